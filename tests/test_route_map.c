/*
 * test_route_map.c — mtrr_route_map_build and mtrr_route_map_lookup
 * (libmtrr/route_map.c): the compiled routing gives mtrr_route's answer.
 *
 * First the cases where a compiled form can go wrong on its own: every
 * enable off and on, an IORR pair without V, two matching pairs that
 * disagree, an IORR mask of 0, TOP_MEM2 at or below 4 GiB, the last address
 * and the first one past it.  Then random AMD states of every width, fixed
 * ranges or not, compared with the reference at every point where a route
 * input changes (page by page below 1 MiB, both sides of TOP_MEM, 4 GiB,
 * TOP_MEM2, the first and last blocks of each IORR) and at random addresses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mtrr.h"
#include "test_util.h"

#define MIB 0x100000ull
#define GIB 0x40000000ull

#define FIXDRAM MTRR_SYSCFG_FIX_DRAM_EN
#define MODEN   MTRR_SYSCFG_FIX_DRAM_MOD_EN
#define VARDRAM MTRR_SYSCFG_VAR_DRAM_EN
#define TOM2EN  MTRR_SYSCFG_TOM2_EN
#define TOM2WB  MTRR_SYSCFG_TOM2_WB
#define RD      MTRR_IORR_RDMEM         /* also in a fixed byte */
#define WR      MTRR_IORR_WRMEM
#define V       MTRR_IORR_V

enum { M = MTRR_DEST_MMIO, D = MTRR_DEST_DRAM, X = MTRR_DEST_INVALID };

static void
wr(struct mtrr_state *s, uint32_t msr, uint64_t v)
{
	assert_int_equal(mtrr_wrmsr(s, msr, v), MTRR_OK);
}

/* The map of `s` answers `addr` as mtrr_route does, for reads and writes. */
static void
agrees(const struct mtrr_route_map *m, const struct mtrr_state *s, uint64_t addr)
{
	int w;

	for (w = 0; w < 2; w++) {
		int want = (int)mtrr_route(s, addr, w != 0);
		int got = (int)mtrr_route_map_lookup(m, addr, w != 0);

		if (got != want) {
			print_error("%s of %#llx: map %d, reference %d (syscfg %#llx)\n",
				    w ? "write" : "read", (unsigned long long)addr, got, want,
				    (unsigned long long)s->syscfg);
			fail();
		}
	}
}

static void
build(struct mtrr_route_map *m, const struct mtrr_state *s)
{
	assert_int_equal(mtrr_route_map_build(m, s), MTRR_OK);
}

static void
refusals(void **state)
{
	struct mtrr_caps amd = caps_of(8, true, true, false, 40, MTRR_VENDOR_AMD);
	struct mtrr_caps intel = amd;
	struct mtrr_route_map m, before;
	struct mtrr_state s;

	(void)state;
	intel.vendor = MTRR_VENDOR_INTEL;
	memset(&m, 0xA5, sizeof(m));
	memcpy(&before, &m, sizeof(m));
	assert_int_equal(mtrr_state_init(&s, &amd), MTRR_OK);
	assert_int_equal(mtrr_route_map_build(NULL, &s), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_route_map_build(&m, NULL), MTRR_E_INVALID_ARG);
	/* Intel: mtrr_route has no answer, so neither has a map. */
	assert_int_equal(mtrr_state_init(&s, &intel), MTRR_OK);
	assert_int_equal(mtrr_route(&s, 0, false), X);
	assert_int_equal(mtrr_route_map_build(&m, &s), MTRR_E_INVALID_ARG);
	/* Images mtrr_wrmsr would never store: TOP_MEM2, an IORR, a fixed byte. */
	assert_int_equal(mtrr_state_init(&s, &amd), MTRR_OK);
	s.top_mem2 = 1ull << 40;
	assert_int_equal(mtrr_route_map_build(&m, &s), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_state_init(&s, &amd), MTRR_OK);
	s.iorr[1].base = 1;
	assert_int_equal(mtrr_route_map_build(&m, &s), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_state_init(&s, &amd), MTRR_OK);
	s.fixed[4] = 0x20;
	assert_int_equal(mtrr_route_map_build(&m, &s), MTRR_E_INVALID_ARG);
	assert_memory_equal(&m, &before, sizeof(m));
}

static void
cases(void **state)
{
	struct mtrr_caps c = caps_of(8, true, true, false, 40, MTRR_VENDOR_AMD);
	struct mtrr_route_map m;
	struct mtrr_state s;
	uint64_t top = 1ull << 40;

	(void)state;
	/* At RESET every enable is clear: all MMIO, INVALID past the top. */
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	build(&m, &s);
	assert_int_equal(mtrr_route_map_lookup(&m, 0, false), M);
	assert_int_equal(mtrr_route_map_lookup(&m, top - 1, true), M);
	assert_int_equal(mtrr_route_map_lookup(&m, top, false), X);
	assert_int_equal(mtrr_route_map_lookup(&m, ~0ull, true), X);

	/* The fixed ranges: reads of 0xC0000 to DRAM, writes to MMIO. */
	wr(&s, MTRR_MSR_SYSCFG, MODEN);
	wr(&s, test_fixed_msr(3), RD | (WR << 8));          /* 0xC0000 rd, 0xC1000 wr */
	wr(&s, MTRR_MSR_TOP_MEM, 2 * GIB);
	wr(&s, MTRR_MSR_SYSCFG, FIXDRAM | VARDRAM);
	build(&m, &s);
	assert_int_equal(mtrr_route_map_lookup(&m, 0xC0000, false), D);
	assert_int_equal(mtrr_route_map_lookup(&m, 0xC0000, true), M);
	assert_int_equal(mtrr_route_map_lookup(&m, 0xC1FFF, true), D);
	assert_int_equal(mtrr_route_map_lookup(&m, 0xC1FFF, false), M);
	assert_int_equal(mtrr_route_map_lookup(&m, 0x10000, false), M);  /* byte 0 */
	assert_int_equal(mtrr_route_map_lookup(&m, MIB, false), D);      /* TOP_MEM */
	/* Without MtrrFixDramEn the first MiB is below TOP_MEM: DRAM. */
	wr(&s, MTRR_MSR_SYSCFG, VARDRAM);
	build(&m, &s);
	assert_int_equal(mtrr_route_map_lookup(&m, 0x10000, false), D);
	assert_int_equal(mtrr_route_map_lookup(&m, 2 * GIB - 1, true), D);
	assert_int_equal(mtrr_route_map_lookup(&m, 2 * GIB, true), M);

	/* Two IORRs over [3 GiB, 3 GiB + 1 MiB): one says DRAM, one MMIO. */
	wr(&s, MTRR_MSR_IORR_BASE(0), 3 * GIB | RD | WR);
	wr(&s, MTRR_MSR_IORR_MASK(0), ((top - 1) & ~(GIB - 1)) | V);
	wr(&s, MTRR_MSR_IORR_BASE(1), 3 * GIB | RD);
	wr(&s, MTRR_MSR_IORR_MASK(1), ((top - 1) & ~(MIB - 1)) | V);
	build(&m, &s);
	assert_int_equal(mtrr_route_map_lookup(&m, 3 * GIB, false), D);   /* both RD */
	assert_int_equal(mtrr_route_map_lookup(&m, 3 * GIB, true), M);    /* disagree */
	assert_int_equal(mtrr_route_map_lookup(&m, 3 * GIB + MIB, true), D); /* pair 0 */
	assert_int_equal(mtrr_route_map_lookup(&m, 4 * GIB, true), M);
	/* Without V a pair does not match; without MtrrVarDramEn neither does. */
	wr(&s, MTRR_MSR_IORR_MASK(1), (top - 1) & ~(MIB - 1));
	build(&m, &s);
	assert_int_equal(mtrr_route_map_lookup(&m, 3 * GIB, true), D);
	wr(&s, MTRR_MSR_SYSCFG, 0);
	build(&m, &s);
	assert_int_equal(mtrr_route_map_lookup(&m, 3 * GIB, true), M);
	assert_int_equal(mtrr_route_map_lookup(&m, 0, true), M);
	/* A mask of 0 with V matches every address. */
	wr(&s, MTRR_MSR_IORR_MASK(1), V);
	wr(&s, MTRR_MSR_SYSCFG, VARDRAM);
	build(&m, &s);
	assert_int_equal(mtrr_route_map_lookup(&m, top - 1, false), D);
	assert_int_equal(mtrr_route_map_lookup(&m, top - 1, true), M);

	/* TOP_MEM2: [4 GiB, TOP_MEM2) with MtrrTom2En; empty at or below 4 GiB. */
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	wr(&s, MTRR_MSR_TOP_MEM2, 6 * GIB);
	wr(&s, MTRR_MSR_SYSCFG, TOM2EN);
	build(&m, &s);
	assert_int_equal(mtrr_route_map_lookup(&m, 4 * GIB - 1, false), M);
	assert_int_equal(mtrr_route_map_lookup(&m, 4 * GIB, false), D);
	assert_int_equal(mtrr_route_map_lookup(&m, 6 * GIB - 1, true), D);
	assert_int_equal(mtrr_route_map_lookup(&m, 6 * GIB, true), M);
	assert_int_equal(mtrr_route_map_lookup(&m, 0, true), M);
	wr(&s, MTRR_MSR_TOP_MEM2, 2 * GIB);
	build(&m, &s);
	assert_int_equal(mtrr_route_map_lookup(&m, 0, true), M);
	assert_int_equal(mtrr_route_map_lookup(&m, 3 * GIB, true), M);
	assert_int_equal(mtrr_route_map_lookup(&m, 5 * GIB, true), M);
	wr(&s, MTRR_MSR_TOP_MEM2, 4 * GIB);
	build(&m, &s);
	assert_int_equal(mtrr_route_map_lookup(&m, 4 * GIB, true), M);
	wr(&s, MTRR_MSR_TOP_MEM2, 0);
	build(&m, &s);
	assert_int_equal(mtrr_route_map_lookup(&m, 4 * GIB, true), M);
}

/* ---- random states against the reference ------------------------------ */

static uint64_t rng;

static uint64_t
rnd(void)
{
	return test_rand(&rng);
}

static unsigned
rnd_below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* A value in [0, 2^bits) biased to the places routing cares about. */
static uint64_t
rnd_addr_near(uint64_t limit)
{
	static const uint64_t marks[] = { 0, MIB, 2 * GIB, 4 * GIB, 6 * GIB, 64 * GIB };
	uint64_t a = rnd_below(2) ? marks[rnd_below(6)] + (rnd() & 0x3FFFFFFF) : rnd();

	return a & (limit - 1);
}

/*
 * A random AMD state: any width 32..52, fixed ranges or not, enables,
 * TOP_MEM and TOP_MEM2 anywhere (below 4 GiB too), IORRs with masks of one
 * block or any bits, V or not, fixed bytes with random RdMem/WrMem.
 */
static void
rnd_state(struct mtrr_state *s)
{
	unsigned bits = 32 + rnd_below(21);
	struct mtrr_caps c = caps_of(rnd_below(9), rnd_below(4) != 0, true, false, bits,
				     MTRR_VENDOR_AMD);
	uint64_t limit = 1ull << bits, phys = (limit - 1) & ~0xFFFull;
	uint64_t top = (limit - 1) & ~((1ull << 23) - 1);
	unsigned i;

	assert_int_equal(mtrr_state_init(s, &c), MTRR_OK);
	wr(s, MTRR_MSR_SYSCFG, MODEN);
	for (i = 0; i < MTRR_FIXED_MSRS && c.fixed; i++)
		wr(s, test_fixed_msr(i), rnd() & MTRR_FIXED_RDWR_BITS);
	for (i = 0; i < 2; i++) {
		uint64_t mask;

		if (rnd_below(2))
			mask = phys & ~((1ull << (12 + rnd_below(bits - 11))) - 1);
		else
			mask = rnd() & phys;
		wr(s, MTRR_MSR_IORR_BASE(i), (rnd() & phys) | (rnd() & (RD | WR)));
		wr(s, MTRR_MSR_IORR_MASK(i), mask | (rnd_below(4) ? V : 0));
	}
	wr(s, MTRR_MSR_TOP_MEM, rnd_addr_near(limit) & top);
	wr(s, MTRR_MSR_TOP_MEM2, rnd_addr_near(limit) & top);
	wr(s, MTRR_MSR_SYSCFG, (rnd() & ~0x7FFFFFFFull) |       /* the VMM's high bits */
				   (rnd() & (FIXDRAM | MODEN | VARDRAM | TOM2EN | TOM2WB)));
}

/* The first and last address of IORR pair n's first matching block at or above 0. */
static void
iorr_points(const struct mtrr_state *s, unsigned n, uint64_t *pts)
{
	uint64_t limit = 1ull << s->caps.phys_bits;
	uint64_t mask = s->iorr[n].mask & (limit - 1) & ~0xFFFull;
	uint64_t lo = s->iorr[n].base & mask & (limit - 1);
	uint64_t size = mask ? mask & (0 - mask) : limit;

	pts[0] = lo;
	pts[1] = lo + size - 1;
	pts[2] = lo + size;
	pts[3] = lo - 1;
}

static void
random_states(void **state)
{
	struct mtrr_route_map m;
	struct mtrr_state s;
	unsigned it, i;

	(void)state;
	rng = 0x524D4150ull;
	for (it = 0; it < 400; it++) {
		uint64_t limit, pts[16], a;
		unsigned np = 0;

		rnd_state(&s);
		limit = 1ull << s.caps.phys_bits;
		build(&m, &s);
		for (a = 0; a < MIB + 0x2000; a += 0x1000) {
			agrees(&m, &s, a);
			agrees(&m, &s, a + 0xFFF);
		}
		pts[np++] = s.top_mem;
		pts[np++] = s.top_mem - 1;
		pts[np++] = s.top_mem2;
		pts[np++] = s.top_mem2 - 1;
		pts[np++] = 4 * GIB;
		pts[np++] = 4 * GIB - 1;
		pts[np++] = limit - 1;
		pts[np++] = limit;
		iorr_points(&s, 0, pts + np);
		np += 4;
		iorr_points(&s, 1, pts + np);
		np += 4;
		for (i = 0; i < np; i++)
			agrees(&m, &s, pts[i]);
		for (i = 0; i < 256; i++)
			agrees(&m, &s, rnd_addr_near(limit));
		agrees(&m, &s, ~0ull);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refusals),
		cmocka_unit_test(cases),
		cmocka_unit_test(random_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
