/*
 * test_publish.c — the VM-wide view (libmtrr/publish.c): mtrr_state_compare
 * on equal and differing vCPUs, the published map's contract on one thread,
 * and a stress test: one writer republishing two maps in turn while four
 * readers look up, every answer checked against mtrr_ref_lookup of the two
 * states and every refreshed copy against the two maps byte for byte.  The
 * same program runs under ThreadSanitizer as the publish_tsan test.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "mtrr.h"
#include "test_util.h"

#define PHYS 36
#define GIB 0x40000000ull
#define MIB 0x100000ull

static struct mtrr_caps
vm_caps(void)
{
	struct mtrr_caps c = caps_of(8, true, true, false, PHYS, MTRR_VENDOR_INTEL);

	c.pat = true;
	return c;
}

static void
wr(struct mtrr_state *s, uint32_t msr, uint64_t v)
{
	assert_int_equal(mtrr_wrmsr(s, msr, v), MTRR_OK);
}

/* Variable pair n = [base, base + size) of `type`. */
static void
range(struct mtrr_state *s, unsigned n, uint64_t base, uint64_t size, uint8_t type)
{
	wr(s, MTRR_MSR_PHYSBASE(n), base | type);
	wr(s, MTRR_MSR_PHYSMASK(n), (MTRR_PHYS_ADDR_MASK(PHYS) & ~(size - 1)) | MTRR_PHYSMASK_V);
}

/*
 * Two firmware-like layouts that disagree almost everywhere, each with
 * several types, so a lookup in a torn map (one map's index with the other's
 * data) is unlikely to give either map's answer by chance.
 */
static void
state_a(struct mtrr_state *s)
{
	struct mtrr_caps c = vm_caps();
	unsigned i;

	assert_int_equal(mtrr_state_init(s, &c), MTRR_OK);
	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		wr(s, i == 0 ? 0x250u : i < 3 ? 0x257u + i : 0x265u + i, 0x0604050401000406ull);
	range(s, 0, 0x80000000ull, 2 * GIB, MTRR_TYPE_UC);
	range(s, 1, 0xC0000000ull, 256 * MIB, MTRR_TYPE_WC);
	range(s, 2, 4 * GIB, 4 * GIB, MTRR_TYPE_WT);
	range(s, 3, 6 * GIB, 1 * GIB, MTRR_TYPE_WP);
	range(s, 4, 16 * GIB, 16 * GIB, MTRR_TYPE_UC);
	range(s, 5, 0x12345000ull & ~0xFFFFFull, 1 * MIB, MTRR_TYPE_WT);
	wr(s, MTRR_MSR_PAT, 0x0007010600070106ull);
	wr(s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);
}

static void
state_b(struct mtrr_state *s)
{
	struct mtrr_caps c = vm_caps();
	unsigned i;

	assert_int_equal(mtrr_state_init(s, &c), MTRR_OK);
	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		wr(s, i == 0 ? 0x250u : i < 3 ? 0x257u + i : 0x265u + i, 0x0005000406010005ull);
	range(s, 0, 0, 2 * GIB, MTRR_TYPE_WB);
	range(s, 1, 0x40000000ull, 512 * MIB, MTRR_TYPE_WP);
	range(s, 2, 8 * GIB, 8 * GIB, MTRR_TYPE_WB);
	range(s, 3, 12 * GIB, 2 * GIB, MTRR_TYPE_WC);
	range(s, 4, 40 * GIB, 8 * GIB, MTRR_TYPE_WT);
	wr(s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_UC);
}

/* ---- mtrr_state_compare ---------------------------------------------- */

static void
compare_equal(void **state)
{
	static struct mtrr_state s[3];
	const struct mtrr_state *v[3] = { &s[0], &s[1], &s[2] };
	size_t bad_vcpu = 77;
	uint32_t bad_msr = 77;

	(void)state;
	state_a(&s[0]);
	state_a(&s[1]);
	state_a(&s[2]);
	assert_int_equal(mtrr_state_compare(v, 3, &bad_vcpu, &bad_msr), MTRR_OK);
	assert_int_equal(bad_vcpu, 77);         /* untouched on success */
	assert_int_equal(bad_msr, 77);
	assert_int_equal(mtrr_state_compare(v, 1, NULL, NULL), MTRR_OK);
	assert_int_equal(mtrr_state_compare(v, 3, NULL, NULL), MTRR_OK);
}

/*
 * AMD: registers compare as the processor holds them.  Two vCPUs whose
 * fixed MSRs read the same but hide different RdMem/WrMem route accesses
 * differently: they differ, at that fixed MSR; SYSCFG's own bits count.
 */
static void
compare_amd_hidden_bits(void **state)
{
	static struct mtrr_state s[2];
	const struct mtrr_state *v[2] = { &s[0], &s[1] };
	struct mtrr_caps c = vm_caps();
	size_t bad_vcpu = 0;
	uint32_t bad_msr = 0;
	uint64_t a, b;
	unsigned i;

	(void)state;
	c.vendor = MTRR_VENDOR_AMD;
	c.smrr = false;
	for (i = 0; i < 2; i++) {
		assert_int_equal(mtrr_state_init(&s[i], &c), MTRR_OK);
		wr(&s[i], MTRR_MSR_SYSCFG, MTRR_SYSCFG_FIX_DRAM_MOD_EN);
		wr(&s[i], MTRR_MSR_FIX16K_A0000, i ? 0x1818181818181818ull : 0);
		wr(&s[i], MTRR_MSR_SYSCFG, MTRR_SYSCFG_FIX_DRAM_EN);
	}
	assert_int_equal(mtrr_rdmsr(&s[0], MTRR_MSR_FIX16K_A0000, &a), MTRR_OK);
	assert_int_equal(mtrr_rdmsr(&s[1], MTRR_MSR_FIX16K_A0000, &b), MTRR_OK);
	assert_int_equal(a, b);
	assert_int_equal(mtrr_state_compare(v, 2, &bad_vcpu, &bad_msr), MTRR_E_MISMATCH);
	assert_int_equal(bad_vcpu, 1);
	assert_int_equal(bad_msr, MTRR_MSR_FIX16K_A0000);
	wr(&s[1], MTRR_MSR_SYSCFG, MTRR_SYSCFG_FIX_DRAM_EN | MTRR_SYSCFG_FIX_DRAM_MOD_EN);
	wr(&s[1], MTRR_MSR_FIX16K_A0000, 0);
	assert_int_equal(mtrr_state_compare(v, 2, &bad_vcpu, &bad_msr), MTRR_E_MISMATCH);
	assert_int_equal(bad_msr, MTRR_MSR_SYSCFG);     /* before the fixed MSRs */
	wr(&s[1], MTRR_MSR_SYSCFG, MTRR_SYSCFG_FIX_DRAM_EN);
	assert_int_equal(mtrr_state_compare(v, 2, &bad_vcpu, &bad_msr), MTRR_OK);
}

static void
compare_differs(void **state)
{
	static struct mtrr_state s[3];
	const struct mtrr_state *v[3] = { &s[0], &s[1], &s[2] };
	struct mtrr_caps c;
	size_t bad_vcpu;
	uint32_t bad_msr;

	(void)state;
	state_a(&s[0]);
	state_a(&s[1]);
	state_a(&s[2]);
	/* vCPU 2's PAT. */
	wr(&s[2], MTRR_MSR_PAT, MTRR_PAT_POWER_ON);
	assert_int_equal(mtrr_state_compare(v, 3, &bad_vcpu, &bad_msr), MTRR_E_MISMATCH);
	assert_int_equal(bad_vcpu, 2);
	assert_int_equal(bad_msr, 0x277);
	assert_int_equal(mtrr_state_compare(v, 3, NULL, NULL), MTRR_E_MISMATCH);
	assert_false(mtrr_status_is_gp(MTRR_E_MISMATCH));
	assert_string_equal(mtrr_status_str(MTRR_E_MISMATCH),
			    "vCPUs disagree on their MTRR/PAT state");
	/* vCPU 1 too, in DEF_TYPE and pair 3: the lower vCPU, the first MSR in list order. */
	wr(&s[1], MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_WB);
	wr(&s[1], MTRR_MSR_PHYSMASK(3), 0);
	assert_int_equal(mtrr_state_compare(v, 3, &bad_vcpu, &bad_msr), MTRR_E_MISMATCH);
	assert_int_equal(bad_vcpu, 1);
	assert_int_equal(bad_msr, MTRR_MSR_PHYSMASK(3));
	wr(&s[1], MTRR_MSR_PHYSMASK(3), s[0].var[3].mask);
	assert_int_equal(mtrr_state_compare(v, 2, &bad_vcpu, &bad_msr), MTRR_E_MISMATCH);
	assert_int_equal(bad_msr, MTRR_MSR_DEF_TYPE);
	/* A fixed MSR. */
	state_a(&s[1]);
	wr(&s[1], MTRR_MSR_FIX4K_F8000, 0);
	assert_int_equal(mtrr_state_compare(v, 2, &bad_vcpu, &bad_msr), MTRR_E_MISMATCH);
	assert_int_equal(bad_msr, MTRR_MSR_FIX4K_F8000);
	/* Caps: MSR 0, even when the registers would agree. */
	c = vm_caps();
	c.pat = false;
	assert_int_equal(mtrr_state_init(&s[1], &c), MTRR_OK);
	assert_int_equal(mtrr_state_compare(v, 2, &bad_vcpu, &bad_msr), MTRR_E_MISMATCH);
	assert_int_equal(bad_vcpu, 1);
	assert_int_equal(bad_msr, 0);
	state_a(&s[1]);
	s[1].caps.overlap = MTRR_OVERLAP_WB;
	bad_msr = 5;
	assert_int_equal(mtrr_state_compare(v, 2, &bad_vcpu, &bad_msr), MTRR_E_MISMATCH);
	assert_int_equal(bad_msr, 0);
}

static void
compare_bad_input(void **state)
{
	static struct mtrr_state s[3];
	const struct mtrr_state *v[3] = { &s[0], NULL, &s[2] };
	size_t bad_vcpu = 9;
	uint32_t bad_msr = 9;

	(void)state;
	state_a(&s[0]);
	state_a(&s[2]);
	assert_int_equal(mtrr_state_compare(NULL, 3, &bad_vcpu, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_vcpu, 0);
	assert_int_equal(bad_msr, 0);
	assert_int_equal(mtrr_state_compare(v, 0, NULL, NULL), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_state_compare(v, 3, &bad_vcpu, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_vcpu, 1);
	assert_int_equal(bad_msr, 0);
	/* A corrupted image: refused, named as mtrr_state_check names it. */
	v[1] = &s[0];
	s[2].def_type |= 1ull << 12;
	assert_int_equal(mtrr_state_compare(v, 3, &bad_vcpu, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_vcpu, 2);
	assert_int_equal(bad_msr, MTRR_MSR_DEF_TYPE);
	/* Impossible caps. */
	s[2].def_type &= ~(1ull << 12);
	s[2].caps.phys_bits = 60;
	assert_int_equal(mtrr_state_compare(v, 3, &bad_vcpu, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_vcpu, 2);
	assert_int_equal(bad_msr, 0);
}

/* ---- the published map on one thread ---------------------------------- */

static struct mtrr_state g_a, g_b;
static struct mtrr_map g_map_a, g_map_b;
static struct mtrr_published g_pub;

static void
build_maps(void)
{
	state_a(&g_a);
	state_b(&g_b);
	assert_int_equal(mtrr_map_build(&g_map_a, &g_a), MTRR_OK);
	assert_int_equal(mtrr_map_build(&g_map_b, &g_b), MTRR_OK);
}

static const uint64_t probes[] = {
	0, 0x9F000, 0xA0000, 0xC8000, 0xFF000, MIB, 0x12345000, 0x40000000, 0x5FFFFFFF,
	0x80000000, 0xC0000000, 0xCFFFFFFF, 0xD0000000, 4 * GIB, 6 * GIB + 5, 7 * GIB,
	12 * GIB, 16 * GIB, 40 * GIB, (1ull << PHYS) - 1, 1ull << PHYS, ~0ull,
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

static void
published_single_thread(void **state)
{
	static struct mtrr_map copy;
	uint64_t gen = MTRR_PUBLISHED_NONE;
	size_t i;

	(void)state;
	build_maps();
	assert_int_equal(mtrr_published_init(&g_pub, &g_map_a), MTRR_OK);
	assert_int_equal(mtrr_published_generation(&g_pub), 0);
	for (i = 0; i < NPROBES; i++)
		assert_int_equal(mtrr_published_lookup(&g_pub, probes[i]),
				 mtrr_ref_lookup(&g_a, probes[i]));
	assert_int_equal(mtrr_published_lookup_range(&g_pub, 0, MIB),
			 mtrr_map_lookup_range(&g_map_a, 0, MIB));
	assert_int_equal(mtrr_published_lookup_range(&g_pub, 4 * GIB, 8 * GIB), MTRR_TYPE_MIXED);
	assert_int_equal(mtrr_published_lookup_range(&g_pub, 4 * GIB, 6 * GIB), MTRR_TYPE_WT);

	assert_true(mtrr_published_refresh(&g_pub, &copy, &gen));
	assert_int_equal(gen, 0);
	assert_memory_equal(&copy, &g_map_a, sizeof(copy));
	assert_false(mtrr_published_refresh(&g_pub, &copy, &gen));

	assert_int_equal(mtrr_publish(&g_pub, &g_map_b), MTRR_OK);
	assert_int_equal(mtrr_published_generation(&g_pub), 1);
	for (i = 0; i < NPROBES; i++)
		assert_int_equal(mtrr_published_lookup(&g_pub, probes[i]),
				 mtrr_ref_lookup(&g_b, probes[i]));
	assert_int_equal(mtrr_published_lookup_range(&g_pub, 8 * GIB, 12 * GIB), MTRR_TYPE_WB);
	assert_true(mtrr_published_refresh(&g_pub, &copy, &gen));
	assert_int_equal(gen, 1);
	assert_memory_equal(&copy, &g_map_b, sizeof(copy));
	/* The copy is a map like any other: the diff of the two is what changed. */
	assert_true(mtrr_map_diff_cover(&g_map_a, &copy, (struct mtrr_range[4]){ { 0, 0, 0 } },
					4) > 0);

	/* Publishing copies: the caller's map may change at once. */
	memcpy(&copy, &g_map_a, sizeof(copy));
	assert_int_equal(mtrr_publish(&g_pub, &copy), MTRR_OK);
	memset(&copy, 0xEE, sizeof(copy));
	assert_int_equal(mtrr_published_generation(&g_pub), 2);
	for (i = 0; i < NPROBES; i++)
		assert_int_equal(mtrr_published_lookup(&g_pub, probes[i]),
				 mtrr_ref_lookup(&g_a, probes[i]));
	gen = 1;
	assert_true(mtrr_published_refresh(&g_pub, &copy, &gen));
	assert_int_equal(gen, 2);
	assert_memory_equal(&copy, &g_map_a, sizeof(copy));
}

static void
published_bad_input(void **state)
{
	static unsigned char raw[sizeof(struct mtrr_published) + 8];
	static struct mtrr_map copy;
	struct mtrr_published *odd = (struct mtrr_published *)(void *)(raw + 4);
	uint64_t gen = 5;

	(void)state;
	build_maps();
	assert_int_equal(mtrr_published_init(NULL, &g_map_a), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_published_init(&g_pub, NULL), MTRR_E_INVALID_ARG);
	/* Not 8-byte aligned: refused (its atomics could tear on 32-bit hosts). */
	if (((uintptr_t)raw & 7u) == 0)
		assert_int_equal(mtrr_published_init(odd, &g_map_a), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_published_init(&g_pub, &g_map_a), MTRR_OK);
	assert_int_equal(mtrr_publish(NULL, &g_map_b), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_publish(&g_pub, NULL), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_published_generation(&g_pub), 0);
	assert_int_equal(mtrr_published_generation(NULL), MTRR_PUBLISHED_NONE);
	assert_false(mtrr_published_refresh(NULL, &copy, &gen));
	assert_false(mtrr_published_refresh(&g_pub, NULL, &gen));
	assert_false(mtrr_published_refresh(&g_pub, &copy, NULL));
	assert_int_equal(gen, 5);
	assert_int_equal(mtrr_published_lookup(NULL, 0), MTRR_TYPE_INVALID);
	assert_int_equal(mtrr_published_lookup_range(NULL, 0, 4096), MTRR_TYPE_INVALID);
	assert_int_equal(mtrr_published_lookup_range(&g_pub, 4096, 4096), MTRR_TYPE_INVALID);
}

/* ---- one writer, four readers ------------------------------------------ */

#define READERS 4
#define MIN_PUBLISHES 2000
#define MIN_REFRESHES 64        /* per reader: publishes it saw land */
#define MAX_SECONDS 3           /* a loaded machine stops the test here */
#define NADDR 256

static uint64_t s_addr[NADDR], s_start[NADDR], s_end[NADDR];
static uint8_t s_ref[2][NADDR], s_range[2][NADDR];
static int s_done;                      /* atomic: the writer finished */
static unsigned long s_publishes;

struct reader {
	pthread_t thread;
	unsigned id;
	unsigned long lookups, refreshes, saw[2], errors;
	char first_error[160];
};

static uint64_t
xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void
reader_error(struct reader *r, const char *what, unsigned k, unsigned got)
{
	if (r->errors++ == 0)
		snprintf(r->first_error, sizeof(r->first_error),
			 "reader %u: %s at index %u: got %u", r->id, what, k, got);
}

static void *
reader_main(void *arg)
{
	static struct mtrr_map copies[READERS];
	struct reader *r = arg;
	struct mtrr_map *copy = &copies[r->id];
	uint64_t x = 0x9E3779B97F4A7C15ull * (r->id + 1), gen = MTRR_PUBLISHED_NONE;
	uint64_t last_gen = 0;
	int which = -1;

	while (!__atomic_load_n(&s_done, __ATOMIC_ACQUIRE)) {
		unsigned k = (unsigned)(xorshift(&x) % NADDR);
		uint8_t t;

		/* The one-call forms: some published map's answer. */
		t = mtrr_published_lookup(&g_pub, s_addr[k]);
		if (t != s_ref[0][k] && t != s_ref[1][k])
			reader_error(r, "lookup", k, t);
		t = mtrr_published_lookup_range(&g_pub, s_start[k], s_end[k]);
		if (t != s_range[0][k] && t != s_range[1][k])
			reader_error(r, "lookup_range", k, t);
		r->lookups += 2;

		/* The vCPU fast path: refresh a private copy, look up in it. */
		if (mtrr_published_refresh(&g_pub, copy, &gen)) {
			__atomic_store_n(&r->refreshes, r->refreshes + 1, __ATOMIC_RELAXED);
			if (gen < last_gen)
				reader_error(r, "generation went back", k, (unsigned)gen);
			last_gen = gen;
			which = memcmp(copy, &g_map_a, sizeof(*copy)) == 0 ? 0 :
				memcmp(copy, &g_map_b, sizeof(*copy)) == 0 ? 1 : -1;
			if (which < 0)
				reader_error(r, "refreshed copy is neither map", k, 0);
			/* Generation g holds map A when g is even (see writer_main). */
			else if ((int)(gen & 1) != which)
				reader_error(r, "copy does not match its generation", k,
					     (unsigned)gen);
			else
				r->saw[which]++;
		}
		if (which >= 0) {
			t = mtrr_map_lookup_inline(copy, s_addr[k]);
			if (t != s_ref[which][k])
				reader_error(r, "lookup in refreshed copy", k, t);
			r->lookups++;
		}
	}
	return NULL;
}

static long
elapsed_us(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000000L + (t.tv_nsec - t0->tv_nsec) / 1000;
}

/*
 * Publishes B at odd generations and A at even ones, at least MIN_PUBLISHES
 * times and until every reader has seen MIN_REFRESHES of them land: on a
 * loaded two-core machine the threads may share one core, and publishes
 * must go on until readers have run between them.
 */
static void *
writer_main(void *arg)
{
	struct reader *readers;
	struct timespec t0, t1;
	unsigned long i;
	unsigned k, least;

	readers = arg;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1;; i++) {
		mtrr_publish(&g_pub, (i & 1) ? &g_map_b : &g_map_a);
		/* Busy, not asleep: a reader on the other core copies meanwhile. */
		clock_gettime(CLOCK_MONOTONIC, &t1);
		while (elapsed_us(&t1) < 5)
			;
		least = ~0u;
		for (k = 0; k < READERS; k++) {
			unsigned long n = __atomic_load_n(&readers[k].refreshes, __ATOMIC_RELAXED);

			least = n < least ? (unsigned)n : least;
		}
		if (i >= MIN_PUBLISHES && (least >= MIN_REFRESHES ||
					   elapsed_us(&t0) > MAX_SECONDS * 1000000L))
			break;
	}
	s_publishes = i;
	__atomic_store_n(&s_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void
published_stress(void **state)
{
	static struct reader readers[READERS];
	uint64_t x = 12345;
	pthread_t writer;
	unsigned i, k;

	(void)state;
	build_maps();
	for (k = 0; k < NADDR; k++) {
		uint64_t a = k < NPROBES ? probes[k] : xorshift(&x) % (48 * GIB);
		uint64_t len = 0x1000ull << (xorshift(&x) % 20);

		s_addr[k] = a;
		s_ref[0][k] = mtrr_ref_lookup(&g_a, a);
		s_ref[1][k] = mtrr_ref_lookup(&g_b, a);
		s_start[k] = a & ~0xFFFull;
		s_end[k] = s_start[k] + len;
		s_range[0][k] = mtrr_map_lookup_range(&g_map_a, s_start[k], s_end[k]);
		s_range[1][k] = mtrr_map_lookup_range(&g_map_b, s_start[k], s_end[k]);
	}
	assert_int_equal(mtrr_published_init(&g_pub, &g_map_a), MTRR_OK);
	s_done = 0;
	for (i = 0; i < READERS; i++) {
		readers[i].id = i;
		assert_int_equal(pthread_create(&readers[i].thread, NULL, reader_main,
						&readers[i]), 0);
	}
	assert_int_equal(pthread_create(&writer, NULL, writer_main, readers), 0);
	assert_int_equal(pthread_join(writer, NULL), 0);
	for (i = 0; i < READERS; i++)
		assert_int_equal(pthread_join(readers[i].thread, NULL), 0);

	assert_int_equal(mtrr_published_generation(&g_pub), s_publishes);
	print_message("%lu publishes\n", s_publishes);
	for (i = 0; i < READERS; i++) {
		struct reader *r = &readers[i];

		print_message("reader %u: %lu lookups, %lu refreshes (A %lu, B %lu)\n", i,
			      r->lookups, r->refreshes, r->saw[0], r->saw[1]);
		if (r->errors != 0)
			fail_msg("%lu errors; first: %s", r->errors, r->first_error);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compare_equal),
		cmocka_unit_test(compare_differs),
		cmocka_unit_test(compare_amd_hidden_bits),
		cmocka_unit_test(compare_bad_input),
		cmocka_unit_test(published_single_thread),
		cmocka_unit_test(published_bad_input),
		cmocka_unit_test(published_stress),
	};

	return cmocka_run_group_tests_name("publish", tests, NULL, NULL);
}
