/*
 * test_snapshot.c — mtrr_state_save / mtrr_state_load(_ex).
 *
 * The test carries its own encoder of the snapshot format (as documented at
 * the top of libmtrr/snapshot.c) and its own CRC-32C, checked against the
 * standard check value, so it can craft snapshots with any header or register
 * content and a valid checksum: every framing error, every compatibility rule
 * and every register rule is reached through load, and every failure must
 * leave the target state byte for byte as it was.
 *
 * AMD (the end of the file): SYSCFG, TOP_MEM, TOP_MEM2 and the IORRs travel
 * as version 2 records written only when not zero, the fixed MSRs with
 * their hidden RdMem/WrMem bits; version 1 refuses states that use them.
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

#define PATTERN  0x5A
#define SNAP_MAX 780u           /* 24 + 8 * (1 + 11 + 80 + 2) + 4 */
#define HDR      24u

/* Offsets of the header fields (format version 1). */
enum {
	OFF_MAGIC = 0, OFF_VERSION = 8, OFF_HDRSIZE = 10, OFF_TOTAL = 12,
	OFF_VCNT = 16, OFF_FLAGS = 17, OFF_PHYS = 18, OFF_VENDOR = 19,
	OFF_OVERLAP = 20, OFF_COUNT = 21, OFF_RSVD = 22
};

static const uint32_t fixed_msrs[MTRR_FIXED_MSRS] = {
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F,
};

/* ---- test-side tools ---------------------------------------------------- */

/*
 * The tests up to "format version 2" were written when mtrr_state_save wrote
 * version 1; they keep checking that format, which every later library must
 * still load, through the writer that still produces it.
 */
static size_t
save_v1(const struct mtrr_state *s, void *buf, size_t len)
{
	return mtrr_state_save_version(s, 1, buf, len);
}

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	/* xorshift64*: deterministic for a given seed, good enough here. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static unsigned
rnd_below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static uint32_t
crc32c_ref(const unsigned char *p, size_t n)
{
	uint32_t crc = ~0u;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc & 1u) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
	}
	return ~crc;
}

static void
wr_le(unsigned char *p, uint64_t v, unsigned bytes)
{
	unsigned i;

	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
rd_le(const unsigned char *p, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Re-computes the trailing checksum of a snapshot of `len` bytes. */
static void
reseal(unsigned char *p, size_t len)
{
	wr_le(p + len - 4, crc32c_ref(p, len - 4), 4);
}

/* The registers of `c` in snapshot order; returns the count. */
static unsigned
snap_order(const struct mtrr_caps *c, uint32_t *msrs)
{
	unsigned n = 0, i;

	msrs[n++] = MTRR_MSR_DEF_TYPE;
	if (c->fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			msrs[n++] = fixed_msrs[i];
	for (i = 0; i < c->vcnt; i++) {
		msrs[n++] = MTRR_MSR_PHYSBASE(i);
		msrs[n++] = MTRR_MSR_PHYSMASK(i);
	}
	if (c->smrr) {
		msrs[n++] = MTRR_MSR_SMRR_PHYSBASE;
		msrs[n++] = MTRR_MSR_SMRR_PHYSMASK;
	}
	return n;
}

/*
 * The test's own encoder: header fields from `c` (raw, unchecked, so a test
 * can write impossible caps), `n` register values, a valid checksum.
 */
static size_t
encode(unsigned char *p, const struct mtrr_caps *c, const uint64_t *regs, unsigned n)
{
	size_t total = HDR + 8u * n + 4u;

	memcpy(p + OFF_MAGIC, "MTRRSNAP", 8);
	wr_le(p + OFF_VERSION, 1, 2);
	wr_le(p + OFF_HDRSIZE, HDR, 2);
	wr_le(p + OFF_TOTAL, total, 4);
	p[OFF_VCNT] = (unsigned char)c->vcnt;
	p[OFF_FLAGS] = (unsigned char)((c->fixed ? 1u : 0u) | (c->wc ? 2u : 0u) |
				       (c->smrr ? 4u : 0u));
	p[OFF_PHYS] = (unsigned char)c->phys_bits;
	p[OFF_VENDOR] = (unsigned char)c->vendor;
	p[OFF_OVERLAP] = (unsigned char)c->overlap;
	p[OFF_COUNT] = (unsigned char)n;
	p[OFF_RSVD] = p[OFF_RSVD + 1] = 0;
	for (unsigned i = 0; i < n; i++)
		wr_le(p + HDR + 8u * i, regs[i], 8);
	reseal(p, total);
	return total;
}

/* Register values of `s` in snapshot order; returns the count. */
static unsigned
regs_of(const struct mtrr_state *s, uint32_t *msrs, uint64_t *vals)
{
	unsigned n = snap_order(&s->caps, msrs);

	for (unsigned i = 0; i < n; i++)
		assert_int_equal(mtrr_rdmsr(s, msrs[i], &vals[i]), MTRR_OK);
	return n;
}

/* Encodes state `s` with the test's encoder. */
static size_t
encode_state(unsigned char *p, const struct mtrr_state *s)
{
	uint32_t msrs[128];
	uint64_t vals[128];
	unsigned n = regs_of(s, msrs, vals);

	return encode(p, &s->caps, vals, n);
}

/* Replaces register `msr` of the snapshot of caps `c` and reseals it. */
static void
set_reg(unsigned char *p, size_t len, const struct mtrr_caps *c, uint32_t msr, uint64_t v)
{
	uint32_t msrs[128];
	unsigned n = snap_order(c, msrs);

	for (unsigned i = 0; i < n; i++) {
		if (msrs[i] == msr) {
			wr_le(p + HDR + 8u * i, v, 8);
			reseal(p, len);
			return;
		}
	}
	fail_msg("MSR %#x not in the snapshot", (unsigned)msr);
}

/* ---- random legal states, built through mtrr_wrmsr ---------------------- */

/*
 * Whether rnd_legal gives AMD's registers and RdMem/WrMem bits values: off
 * for the version 1 tests (version 1 cannot hold them), on for AMD's own.
 */
static bool amd_live;

static bool
amd_msr(uint32_t msr)
{
	return msr >= 0xC0010010u && msr <= 0xC001001Du;
}

static uint64_t
rnd_type(const struct mtrr_caps *c)
{
	static const uint8_t types[] = { 0, 4, 5, 6, 1 };

	return types[rnd_below(c->wc ? 5 : 4)];
}

/* A value mtrr_wrmsr accepts for `msr`; zero half the time (sparse states). */
static uint64_t
rnd_legal(const struct mtrr_caps *c, uint32_t msr)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(c->phys_bits), v = 0;
	unsigned i;

	if (rnd_below(2) == 0)
		return 0;
	if (msr == MTRR_MSR_PAT) {      /* eight of UC WC WT WP WB UC- */
		for (i = 0; i < 8; i++)
			v |= (uint64_t)"\0\1\4\5\6\7"[rnd_below(6)] << (8 * i);
		return v;
	}
	if (msr == MTRR_MSR_DEF_TYPE)
		return rnd_type(c) | (rnd() & (MTRR_DEF_FE | MTRR_DEF_E));
	if (msr >= 0x250 && msr <= 0x26F) {
		for (i = 0; i < 8; i++)
			v |= rnd_type(c) << (8 * i);
		if (amd_live && c->vendor == MTRR_VENDOR_AMD)
			v |= rnd() & MTRR_FIXED_RDWR_BITS;
		return v;
	}
	if (amd_msr(msr) && !amd_live)
		return 0;
	switch (msr) {
	case MTRR_MSR_SYSCFG:
		return rnd();
	case MTRR_MSR_TOP_MEM: case MTRR_MSR_TOP_MEM2:
		return rnd() & MTRR_TOP_MEM_MASK(c->phys_bits);
	case MTRR_MSR_IORR_BASE(0): case MTRR_MSR_IORR_BASE(1):
		return rnd() & (phys | MTRR_IORR_RDMEM | MTRR_IORR_WRMEM);
	case MTRR_MSR_IORR_MASK(0): case MTRR_MSR_IORR_MASK(1):
		return rnd() & (phys | MTRR_IORR_V);
	default:
		break;
	}
	if (msr == MTRR_MSR_SMRR_PHYSBASE)
		return (rnd() & MTRR_SMRR_ADDR_MASK) | rnd_type(c);
	if (msr == MTRR_MSR_SMRR_PHYSMASK)
		return rnd() & (MTRR_SMRR_ADDR_MASK | MTRR_PHYSMASK_V);
	if (msr & 1u)
		return rnd() & (phys | MTRR_PHYSMASK_V);
	return (rnd() & phys) | rnd_type(c);
}

static struct mtrr_caps
rnd_caps(void)
{
	struct mtrr_caps c = caps_of(rnd_below(MTRR_VAR_MAX + 1), rnd_below(2), rnd_below(2),
				     false, 32 + rnd_below(21), (enum mtrr_vendor)rnd_below(2));

	c.smrr = c.vendor == MTRR_VENDOR_INTEL && rnd_below(2);
	c.overlap = (enum mtrr_overlap)rnd_below(2);
	return c;
}

static void
rnd_state(struct mtrr_state *s, const struct mtrr_caps *c)
{
	uint32_t msrs[MTRR_MSR_LIST_MAX];
	size_t n = mtrr_msr_list(c, msrs, MTRR_MSR_LIST_MAX);

	assert_int_equal(mtrr_state_init(s, c), MTRR_OK);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(mtrr_wrmsr(s, msrs[i], rnd_legal(c, msrs[i])), MTRR_OK);
}

/* A fixed, busy state: WC default, WB fixed ranges, eight pairs, SMRR. */
static void
busy_state(struct mtrr_state *s, const struct mtrr_caps *c)
{
	uint32_t msrs[MTRR_MSR_LIST_MAX];
	size_t n = mtrr_msr_list(c, msrs, MTRR_MSR_LIST_MAX);

	assert_int_equal(mtrr_state_init(s, c), MTRR_OK);
	for (size_t i = 0; i < n; i++) {
		uint32_t m = msrs[i];
		uint64_t v;

		if (m == MTRR_MSR_DEF_TYPE)
			v = MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB;
		else if (amd_msr(m))
			v = 0;                  /* AMD's: at RESET, as version 1 needs */
		else if (m >= 0x250)
			v = 0x0606060606060606ull;
		else if (m == MTRR_MSR_SMRR_PHYSBASE)
			v = 0x7F000000ull | MTRR_TYPE_WB;
		else if (m == MTRR_MSR_SMRR_PHYSMASK)
			v = 0xFF000000ull | MTRR_PHYSMASK_V;
		else if (m & 1u)
			v = (MTRR_PHYS_ADDR_MASK(c->phys_bits) & ~0xFFFFFFFull) | MTRR_PHYSMASK_V;
		else
			v = ((uint64_t)(m - 0x200u) << 27) | MTRR_TYPE_UC;
		assert_int_equal(mtrr_wrmsr(s, m, v), MTRR_OK);
	}
}

/* ---- load helpers -------------------------------------------------------- */

/* Load must fail with `want` (and `bad`), through both entry points, changing nothing. */
static void
load_fails(const void *buf, size_t len, const struct mtrr_caps *target,
	   mtrr_status want, uint32_t bad)
{
	struct mtrr_state s, before;
	uint32_t got_bad = 0xDEADBEEF;

	memset(&s, PATTERN, sizeof(s));
	memcpy(&before, &s, sizeof(s));
	assert_int_equal(mtrr_state_load_ex(&s, target, buf, len, &got_bad), want);
	assert_int_equal(got_bad, bad);
	assert_memory_equal(&s, &before, sizeof(s));
	assert_int_equal(mtrr_state_load(&s, target, buf, len), want);
	assert_memory_equal(&s, &before, sizeof(s));
}

/* Load must succeed; the result goes to *out. */
static void
load_ok(const void *buf, size_t len, const struct mtrr_caps *target, struct mtrr_state *out)
{
	uint32_t bad = 0xDEADBEEF;

	memset(out, PATTERN, sizeof(*out));
	assert_int_equal(mtrr_state_load_ex(out, target, buf, len, &bad), MTRR_OK);
	assert_int_equal(bad, 0);
}

/* ---- format --------------------------------------------------------------- */

static void
crc_is_crc32c(void **state)
{
	struct mtrr_caps c = caps_of(8, true, true, true, 46, MTRR_VENDOR_INTEL);
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s;
	size_t n;

	(void)state;
	/* The catalogued check value of CRC-32C (iSCSI, RFC 3720). */
	assert_int_equal(crc32c_ref((const unsigned char *)"123456789", 9), 0xE3069283u);
	busy_state(&s, &c);
	n = save_v1(&s, buf, sizeof(buf));
	assert_int_equal(rd_le(buf + n - 4, 4), crc32c_ref(buf, n - 4));
}

/* The documented layout, field by field, for a known state. */
static void
save_layout(void **state)
{
	struct mtrr_caps c = caps_of(2, true, true, true, 39, MTRR_VENDOR_INTEL);
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s;
	size_t n;

	(void)state;
	c.overlap = MTRR_OVERLAP_WB;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x2FF, 0xC06), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x250, 0x0605040100060504ull), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x26F, 0x0500000000000000ull), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x202, 0x7F80000000ull | 4), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x203, 0x7FC0000800ull), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x1F3, 0xFFFFF800ull), MTRR_OK);

	n = save_v1(&s, buf, sizeof(buf));
	/* 1 + 11 + 4 + 2 registers. */
	assert_int_equal(n, 24 + 8 * 18 + 4);
	assert_memory_equal(buf, "MTRRSNAP", 8);
	assert_int_equal(rd_le(buf + OFF_VERSION, 2), 1);
	assert_int_equal(rd_le(buf + OFF_HDRSIZE, 2), 24);
	assert_int_equal(rd_le(buf + OFF_TOTAL, 4), n);
	assert_int_equal(buf[OFF_VCNT], 2);
	assert_int_equal(buf[OFF_FLAGS], 7);
	assert_int_equal(buf[OFF_PHYS], 39);
	assert_int_equal(buf[OFF_VENDOR], 0);
	assert_int_equal(buf[OFF_OVERLAP], 1);
	assert_int_equal(buf[OFF_COUNT], 18);
	assert_int_equal(buf[22] | buf[23], 0);
	/* DEF_TYPE first, least significant byte first. */
	assert_int_equal(buf[24], 0x06);
	assert_int_equal(buf[25], 0x0C);
	assert_int_equal(rd_le(buf + 24, 8), 0xC06);
	assert_int_equal(rd_le(buf + 32, 8), 0x0605040100060504ull);           /* 0x250 */
	assert_int_equal(rd_le(buf + 32 + 10 * 8, 8), 0x0500000000000000ull);  /* 0x26F */
	assert_int_equal(rd_le(buf + 120, 8), 0);                              /* 0x200 */
	assert_int_equal(rd_le(buf + 128, 8), 0);                              /* 0x201 */
	assert_int_equal(rd_le(buf + 136, 8), 0x7F80000004ull);                /* 0x202 */
	assert_int_equal(rd_le(buf + 144, 8), 0x7FC0000800ull);                /* 0x203 */
	assert_int_equal(rd_le(buf + 152, 8), 0);                              /* 0x1F2 */
	assert_int_equal(rd_le(buf + 160, 8), 0xFFFFF800ull);                  /* 0x1F3 */
}

/* The library's bytes equal the test's encoder's, for random states: the doc is the format. */
static void
save_matches_spec(void **state)
{
	unsigned char a[SNAP_MAX], b[SNAP_MAX];
	struct mtrr_state s;

	(void)state;
	rng_state = 0x5EED0001;
	for (int i = 0; i < 500; i++) {
		struct mtrr_caps c = rnd_caps();
		size_t n;

		rnd_state(&s, &c);
		n = save_v1(&s, a, sizeof(a));
		assert_int_equal(n, encode_state(b, &s));
		assert_memory_equal(a, b, n);
	}
}

static void
save_sizes(void **state)
{
	struct mtrr_caps c = caps_of(MTRR_VAR_MAX, true, true, true, 52, MTRR_VENDOR_INTEL);
	unsigned char buf[SNAP_MAX + 8], before[SNAP_MAX + 8];
	struct mtrr_state s;
	size_t n;

	(void)state;
	busy_state(&s, &c);
	/* Size query: len 0, buf NULL or not. */
	assert_int_equal(save_v1(&s, NULL, 0), SNAP_MAX);
	memset(buf, PATTERN, sizeof(buf));
	memcpy(before, buf, sizeof(buf));
	assert_int_equal(save_v1(&s, buf, 0), SNAP_MAX);
	/* One byte short, or any shorter: nothing written. */
	for (n = 1; n < SNAP_MAX; n++)
		assert_int_equal(save_v1(&s, buf, n), SNAP_MAX);
	assert_memory_equal(buf, before, sizeof(buf));
	/* NULL buffer with a length: a size query too. */
	assert_int_equal(save_v1(&s, NULL, sizeof(buf)), SNAP_MAX);
	/* A larger buffer: exactly SNAP_MAX bytes written. */
	assert_int_equal(save_v1(&s, buf, sizeof(buf)), SNAP_MAX);
	assert_memory_equal(buf + SNAP_MAX, before + SNAP_MAX, 8);

	/* The smallest: no fixed, no pairs, no SMRR. */
	c = caps_of(0, false, false, false, 32, MTRR_VENDOR_AMD);
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	assert_int_equal(save_v1(&s, NULL, 0), 24 + 8 + 4);

	/* NULL state, impossible caps in a state: 0, nothing written. */
	assert_int_equal(save_v1(NULL, buf, sizeof(buf)), 0);
	s.caps.vcnt = MTRR_VAR_MAX + 1;
	memset(buf, PATTERN, sizeof(buf));
	assert_int_equal(save_v1(&s, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, before, sizeof(buf));
}

/* ---- round trip ---------------------------------------------------------- */

static void
round_trip_random(void **state)
{
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s, t;

	(void)state;
	rng_state = 0x5EED0002;
	for (int i = 0; i < 5000; i++) {
		struct mtrr_caps c = rnd_caps();
		size_t n;

		rnd_state(&s, &c);
		n = save_v1(&s, buf, sizeof(buf));
		assert_true(n <= SNAP_MAX);
		load_ok(buf, n, &c, &t);
		assert_memory_equal(&s, &t, sizeof(s));
		/* Saving the loaded state gives the same bytes. */
		{
			unsigned char again[SNAP_MAX];

			assert_int_equal(save_v1(&t, again, sizeof(again)), n);
			assert_memory_equal(buf, again, n);
		}
	}
}

/* A target with other caps that fit: what the target has is kept bit for bit. */
static void
round_trip_reset_and_busy(void **state)
{
	struct mtrr_caps c = caps_of(8, true, true, true, 46, MTRR_VENDOR_INTEL);
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s, t;
	size_t n;

	(void)state;
	busy_state(&s, &c);
	n = save_v1(&s, buf, sizeof(buf));
	load_ok(buf, n, &c, &t);
	assert_memory_equal(&s, &t, sizeof(s));
	/* Loading over a live state replaces it entirely. */
	mtrr_state_reset(&s, MTRR_RESET_POWER_ON);
	n = save_v1(&s, buf, sizeof(buf));
	assert_int_equal(mtrr_state_load(&t, &c, buf, n), MTRR_OK);
	assert_memory_equal(&s, &t, sizeof(s));
	/* The target caps may be the state's own: load(s, &s->caps, ...). */
	busy_state(&s, &c);
	n = save_v1(&s, buf, sizeof(buf));
	assert_int_equal(mtrr_state_load(&t, &t.caps, buf, n), MTRR_OK);
	assert_memory_equal(&s, &t, sizeof(s));
}

/* ---- framing --------------------------------------------------------------- */

static void
framing_truncated(void **state)
{
	struct mtrr_caps c = caps_of(8, true, true, true, 46, MTRR_VENDOR_INTEL);
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s;
	size_t n, len;

	(void)state;
	busy_state(&s, &c);
	n = save_v1(&s, buf, sizeof(buf));
	for (len = 0; len < n; len++) {
		/* An exact-size copy: under ASan, a read past `len` is caught. */
		unsigned char *cut = malloc(len ? len : 1);

		assert_non_null(cut);
		memcpy(cut, buf, len);
		load_fails(cut, len, &c, MTRR_E_SNAPSHOT_TRUNCATED, 0);
		free(cut);
	}
}

static void
framing_every_byte_flip(void **state)
{
	static const unsigned char flips[] = { 0x01, 0x02, 0x10, 0x80, 0xFF };
	struct mtrr_caps c = caps_of(8, true, true, true, 46, MTRR_VENDOR_INTEL);
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s;
	size_t n, i;

	(void)state;
	busy_state(&s, &c);
	n = save_v1(&s, buf, sizeof(buf));
	for (i = 0; i < n; i++) {
		for (size_t f = 0; f < sizeof(flips); f++) {
			struct mtrr_state t, before;
			mtrr_status st;

			buf[i] ^= flips[f];
			memset(&t, PATTERN, sizeof(t));
			memcpy(&before, &t, sizeof(t));
			st = mtrr_state_load(&t, &c, buf, n);
			buf[i] ^= flips[f];
			assert_memory_equal(&t, &before, sizeof(t));
			if (i < OFF_VERSION)
				assert_int_equal(st, MTRR_E_SNAPSHOT_MAGIC);
			else if (i < OFF_HDRSIZE)
				assert_int_equal(st, MTRR_E_SNAPSHOT_VERSION);
			else if (i < OFF_VCNT || i == OFF_COUNT)
				/* header size, total size, count: lengths disagree */
				assert_int_equal(st, MTRR_E_SNAPSHOT_CORRUPT);
			else
				assert_int_equal(st, MTRR_E_SNAPSHOT_CHECKSUM);
		}
	}
	/* And the untouched buffer still loads. */
	assert_int_equal(mtrr_state_load(&s, &c, buf, n), MTRR_OK);
}

static void
framing_magic_version_checksum(void **state)
{
	struct mtrr_caps c = caps_of(4, true, false, false, 36, MTRR_VENDOR_AMD);
	unsigned char buf[SNAP_MAX + 8];
	struct mtrr_state s;
	size_t n;

	(void)state;
	busy_state(&s, &c);
	n = save_v1(&s, buf, sizeof(buf));

	/* Magic: checked on whatever prefix there is. */
	buf[0] = 'X';
	load_fails(buf, n, &c, MTRR_E_SNAPSHOT_MAGIC, 0);
	load_fails(buf, 1, &c, MTRR_E_SNAPSHOT_MAGIC, 0);
	load_fails(buf, 5, &c, MTRR_E_SNAPSHOT_MAGIC, 0);
	buf[0] = 'M';
	memcpy(buf, "mtrrsnap", 8);     /* case matters */
	reseal(buf, n);
	load_fails(buf, n, &c, MTRR_E_SNAPSHOT_MAGIC, 0);
	memcpy(buf, "MTRRSNAP", 8);

	/* Versions 0, 3 and 0xFFFF with a valid checksum (2 is the next format). */
	wr_le(buf + OFF_VERSION, 0, 2);
	reseal(buf, n);
	load_fails(buf, n, &c, MTRR_E_SNAPSHOT_VERSION, 0);
	wr_le(buf + OFF_VERSION, 3, 2);
	reseal(buf, n);
	load_fails(buf, n, &c, MTRR_E_SNAPSHOT_VERSION, 0);
	wr_le(buf + OFF_VERSION, 0xFFFF, 2);
	reseal(buf, n);
	load_fails(buf, n, &c, MTRR_E_SNAPSHOT_VERSION, 0);
	wr_le(buf + OFF_VERSION, 1, 2);
	reseal(buf, n);
	assert_int_equal(mtrr_state_load(&s, &c, buf, n), MTRR_OK);

	/* Checksum: the stored one off by one, or zero. */
	wr_le(buf + n - 4, rd_le(buf + n - 4, 4) ^ 1u, 4);
	load_fails(buf, n, &c, MTRR_E_SNAPSHOT_CHECKSUM, 0);
	wr_le(buf + n - 4, 0, 4);
	load_fails(buf, n, &c, MTRR_E_SNAPSHOT_CHECKSUM, 0);
	/* Two registers swapped: the bytes are a permutation, the CRC still sees it. */
	reseal(buf, n);
	{
		unsigned char tmp[8];

		memcpy(tmp, buf + 24, 8);
		memcpy(buf + 24, buf + 32, 8);
		memcpy(buf + 32, tmp, 8);
	}
	load_fails(buf, n, &c, MTRR_E_SNAPSHOT_CHECKSUM, 0);
}

static void
framing_lengths(void **state)
{
	struct mtrr_caps c = caps_of(4, true, true, false, 36, MTRR_VENDOR_INTEL);
	unsigned char buf[SNAP_MAX + 16];
	struct mtrr_state s;
	size_t n;

	(void)state;
	busy_state(&s, &c);
	n = save_v1(&s, buf, sizeof(buf));
	memset(buf + n, 0, 16);

	/* Trailing bytes after a valid snapshot are garbage. */
	load_fails(buf, n + 1, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	load_fails(buf, n + 8, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);

	/* Header size other than 24. */
	wr_le(buf + OFF_HDRSIZE, 32, 2);
	reseal(buf, n);
	load_fails(buf, n, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	wr_le(buf + OFF_HDRSIZE, 24, 2);

	/* Total size disagreeing with the register count, either way. */
	wr_le(buf + OFF_TOTAL, n + 8, 4);
	reseal(buf, n + 8);
	load_fails(buf, n + 8, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	wr_le(buf + OFF_TOTAL, n - 8, 4);
	reseal(buf, n - 8);
	load_fails(buf, n - 8, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	wr_le(buf + OFF_TOTAL, 0xFFFFFFFFu, 4);
	load_fails(buf, n, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	wr_le(buf + OFF_TOTAL, n, 4);

	/* Count and total agree with each other but not with the caps. */
	buf[OFF_COUNT]++;
	wr_le(buf + OFF_TOTAL, n + 8, 4);
	reseal(buf, n + 8);
	load_fails(buf, n + 8, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	buf[OFF_COUNT] = (unsigned char)(buf[OFF_COUNT] - 2);
	wr_le(buf + OFF_TOTAL, n - 8, 4);
	reseal(buf, n - 8);
	load_fails(buf, n - 8, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	/* A header alone, count 0: consistent framing, but DEF_TYPE is missing. */
	buf[OFF_COUNT] = 0;
	wr_le(buf + OFF_TOTAL, 28, 4);
	reseal(buf, 28);
	load_fails(buf, 28, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
}

/*
 * A buffer of exactly the 24 header bytes (nothing after them: under ASan a
 * read past the header is caught).  The documented order checks the version
 * and the header size before comparing the total size with the length, so
 * a header-only snapshot with a bad version or a bad header size gets that
 * cause, not TRUNCATED; with both fields right it is TRUNCATED.
 */
static void
framing_header_only(void **state)
{
	struct mtrr_caps c = caps_of(2, true, false, false, 36, MTRR_VENDOR_INTEL);
	unsigned char full[SNAP_MAX];
	struct mtrr_state s;
	unsigned char *hdr = malloc(HDR);

	(void)state;
	assert_non_null(hdr);
	busy_state(&s, &c);
	(void)save_v1(&s, full, sizeof(full));

	memcpy(hdr, full, HDR);
	load_fails(hdr, HDR, &c, MTRR_E_SNAPSHOT_TRUNCATED, 0);
	wr_le(hdr + OFF_VERSION, 3, 2);
	load_fails(hdr, HDR, &c, MTRR_E_SNAPSHOT_VERSION, 0);
	wr_le(hdr + OFF_VERSION, 0, 2);
	load_fails(hdr, HDR, &c, MTRR_E_SNAPSHOT_VERSION, 0);

	memcpy(hdr, full, HDR);
	wr_le(hdr + OFF_HDRSIZE, 16, 2);
	load_fails(hdr, HDR, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	wr_le(hdr + OFF_HDRSIZE, 32, 2);
	load_fails(hdr, HDR, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	/* The version is checked before the header size. */
	wr_le(hdr + OFF_VERSION, 7, 2);
	load_fails(hdr, HDR, &c, MTRR_E_SNAPSHOT_VERSION, 0);
	free(hdr);
}

/* Header fields out of range, each with consistent lengths and checksum. */
static void
framing_caps_fields(void **state)
{
	uint64_t regs[128] = { 0 };
	struct mtrr_caps good = caps_of(2, true, true, false, 40, MTRR_VENDOR_INTEL);
	struct mtrr_caps c;
	unsigned char buf[SNAP_MAX + 512];
	size_t n;

	(void)state;
	n = encode(buf, &good, regs, 1 + 11 + 4);
	{
		struct mtrr_state t;

		load_ok(buf, n, &good, &t);
	}
	/* vcnt 41 with a count to match. */
	c = good;
	c.vcnt = MTRR_VAR_MAX + 1;
	n = encode(buf, &c, regs, 1 + 11 + 2 * (MTRR_VAR_MAX + 1));
	load_fails(buf, n, &good, MTRR_E_SNAPSHOT_CORRUPT, 0);
	/* phys_bits 31, 53, 0, 255. */
	c = good;
	for (unsigned pb = 0; pb < 256; pb++) {
		if (pb >= 32 && pb <= 52)
			continue;
		c.phys_bits = pb;
		n = encode(buf, &c, regs, 1 + 11 + 4);
		load_fails(buf, n, &good, MTRR_E_SNAPSHOT_CORRUPT, 0);
	}
	/* Vendor 2, overlap 2. */
	c = good;
	c.vendor = (enum mtrr_vendor)2;
	n = encode(buf, &c, regs, 1 + 11 + 4);
	load_fails(buf, n, &good, MTRR_E_SNAPSHOT_CORRUPT, 0);
	c = good;
	c.overlap = (enum mtrr_overlap)2;
	n = encode(buf, &c, regs, 1 + 11 + 4);
	load_fails(buf, n, &good, MTRR_E_SNAPSHOT_CORRUPT, 0);
	/* SMRR on AMD. */
	c = good;
	c.smrr = true;
	c.vendor = MTRR_VENDOR_AMD;
	n = encode(buf, &c, regs, 1 + 11 + 4 + 2);
	load_fails(buf, n, &good, MTRR_E_SNAPSHOT_CORRUPT, 0);
	/* Unknown flag bits, one at a time; reserved bytes 22 and 23. */
	for (unsigned bit = 3; bit < 8; bit++) {
		n = encode(buf, &good, regs, 1 + 11 + 4);
		buf[OFF_FLAGS] = (unsigned char)(buf[OFF_FLAGS] | (1u << bit));
		reseal(buf, n);
		load_fails(buf, n, &good, MTRR_E_SNAPSHOT_CORRUPT, 0);
	}
	for (unsigned off = OFF_RSVD; off < HDR; off++) {
		n = encode(buf, &good, regs, 1 + 11 + 4);
		buf[off] = 1;
		reseal(buf, n);
		load_fails(buf, n, &good, MTRR_E_SNAPSHOT_CORRUPT, 0);
	}
	/* The count of a snapshot without the fixed MSRs that the flags claim. */
	n = encode(buf, &good, regs, 1 + 4);
	load_fails(buf, n, &good, MTRR_E_SNAPSHOT_CORRUPT, 0);
}

static void
bad_arguments(void **state)
{
	struct mtrr_caps c = caps_of(8, true, true, false, 46, MTRR_VENDOR_INTEL);
	struct mtrr_caps bad = c;
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s;
	uint32_t msr = 7;
	size_t n;

	(void)state;
	busy_state(&s, &c);
	n = save_v1(&s, buf, sizeof(buf));
	assert_int_equal(mtrr_state_load(NULL, &c, buf, n), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_state_load_ex(NULL, &c, buf, n, &msr), MTRR_E_INVALID_ARG);
	assert_int_equal(msr, 0);
	load_fails(NULL, n, &c, MTRR_E_INVALID_ARG, 0);
	load_fails(NULL, 0, &c, MTRR_E_INVALID_ARG, 0);
	load_fails(buf, n, NULL, MTRR_E_INVALID_ARG, 0);
	bad.phys_bits = 53;
	load_fails(buf, n, &bad, MTRR_E_INVALID_ARG, 0);
	bad = c;
	bad.vcnt = MTRR_VAR_MAX + 1;
	load_fails(buf, n, &bad, MTRR_E_INVALID_ARG, 0);
	bad = c;
	bad.smrr = true;
	bad.vendor = MTRR_VENDOR_AMD;
	load_fails(buf, n, &bad, MTRR_E_INVALID_ARG, 0);
	/* bad_msr may be NULL on success and on failure. */
	assert_int_equal(mtrr_state_load_ex(&s, &c, buf, n, NULL), MTRR_OK);
	assert_int_equal(mtrr_state_load_ex(&s, &c, buf, 3, NULL), MTRR_E_SNAPSHOT_TRUNCATED);
}

/* ---- register rules, reached through load ------------------------------- */

/* A snapshot of `s` with register `msr` set to `v` must fail with `want`, naming `msr`. */
static void
reg_fails(const struct mtrr_state *s, uint32_t msr, uint64_t v, mtrr_status want)
{
	unsigned char buf[SNAP_MAX];
	size_t n = encode_state(buf, s);
	struct mtrr_state copy = *s;

	/* The oracle: mtrr_wrmsr on the same caps says the same. */
	assert_int_equal(mtrr_wrmsr(&copy, msr, v), want);
	set_reg(buf, n, &s->caps, msr, v);
	load_fails(buf, n, &s->caps, want, msr);
}

static void
registers_rules(void **state)
{
	struct mtrr_caps c = caps_of(8, true, false, true, 40, MTRR_VENDOR_INTEL);
	struct mtrr_state s;
	unsigned bit;

	(void)state;
	busy_state(&s, &c);
	/* DEF_TYPE: reserved 9:8 and 63:12, types, WC without the cap. */
	for (bit = 8; bit < 64; bit++)
		if (bit != 10 && bit != 11)
			reg_fails(&s, 0x2FF, (1ull << bit) | 6, MTRR_E_RESERVED_BIT);
	reg_fails(&s, 0x2FF, 2, MTRR_E_INVALID_TYPE);
	reg_fails(&s, 0x2FF, 3, MTRR_E_INVALID_TYPE);
	reg_fails(&s, 0x2FF, 7, MTRR_E_INVALID_TYPE);
	reg_fails(&s, 0x2FF, 0xC00 | 0xFF, MTRR_E_INVALID_TYPE);
	reg_fails(&s, 0x2FF, 0xC01, MTRR_E_WC_UNSUPPORTED);
	/* Fixed: a bad byte anywhere, in every MSR; AMD RdMem/WrMem bits. */
	for (unsigned i = 0; i < MTRR_FIXED_MSRS; i++) {
		for (unsigned b = 0; b < 8; b++) {
			uint64_t v = 0x0606060606060606ull & ~(0xFFull << (8 * b));

			reg_fails(&s, fixed_msrs[i], v | (7ull << (8 * b)), MTRR_E_INVALID_TYPE);
			reg_fails(&s, fixed_msrs[i], v | (1ull << (8 * b)), MTRR_E_WC_UNSUPPORTED);
			reg_fails(&s, fixed_msrs[i], v | (0x1Eull << (8 * b)), MTRR_E_INVALID_TYPE);
		}
	}
	/* PHYSBASE/PHYSMASK of every pair: reserved low bits, bits >= MAXPHYADDR. */
	for (unsigned p = 0; p < c.vcnt; p++) {
		for (bit = 8; bit < 12; bit++)
			reg_fails(&s, MTRR_MSR_PHYSBASE(p), (1ull << bit) | 6, MTRR_E_RESERVED_BIT);
		for (bit = 0; bit < 11; bit++)
			reg_fails(&s, MTRR_MSR_PHYSMASK(p), (1ull << bit) | MTRR_PHYSMASK_V,
				  MTRR_E_RESERVED_BIT);
		for (bit = 40; bit < 64; bit++) {
			reg_fails(&s, MTRR_MSR_PHYSBASE(p), 1ull << bit, MTRR_E_RESERVED_BIT);
			reg_fails(&s, MTRR_MSR_PHYSMASK(p), 1ull << bit, MTRR_E_RESERVED_BIT);
		}
		reg_fails(&s, MTRR_MSR_PHYSBASE(p), 0x1000 | 3, MTRR_E_INVALID_TYPE);
		reg_fails(&s, MTRR_MSR_PHYSBASE(p), 0x1000 | 0x80, MTRR_E_INVALID_TYPE);
		reg_fails(&s, MTRR_MSR_PHYSBASE(p), 0x1000 | 1, MTRR_E_WC_UNSUPPORTED);
	}
	/* SMRR: address bits 31:12 only. */
	for (bit = 8; bit < 12; bit++)
		reg_fails(&s, 0x1F2, (1ull << bit) | 6, MTRR_E_RESERVED_BIT);
	for (bit = 0; bit < 11; bit++)
		reg_fails(&s, 0x1F3, (1ull << bit) | MTRR_PHYSMASK_V, MTRR_E_RESERVED_BIT);
	for (bit = 32; bit < 64; bit++) {
		reg_fails(&s, 0x1F2, 1ull << bit, MTRR_E_RESERVED_BIT);
		reg_fails(&s, 0x1F3, 1ull << bit, MTRR_E_RESERVED_BIT);
	}
	reg_fails(&s, 0x1F2, 2, MTRR_E_INVALID_TYPE);
	reg_fails(&s, 0x1F2, 1, MTRR_E_WC_UNSUPPORTED);
}

/* Several bad registers: bad_msr names the first in snapshot order. */
static void
registers_first_bad(void **state)
{
	struct mtrr_caps c = caps_of(8, true, true, false, 36, MTRR_VENDOR_INTEL);
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s;
	size_t n;

	(void)state;
	busy_state(&s, &c);
	n = encode_state(buf, &s);
	set_reg(buf, n, &c, MTRR_MSR_PHYSMASK(5), 1);
	set_reg(buf, n, &c, MTRR_MSR_PHYSBASE(6), 2);
	load_fails(buf, n, &c, MTRR_E_RESERVED_BIT, MTRR_MSR_PHYSMASK(5));
	set_reg(buf, n, &c, MTRR_MSR_FIX4K_D8000, 0x0700);
	load_fails(buf, n, &c, MTRR_E_INVALID_TYPE, MTRR_MSR_FIX4K_D8000);
	set_reg(buf, n, &c, MTRR_MSR_DEF_TYPE, 1ull << 63);
	load_fails(buf, n, &c, MTRR_E_RESERVED_BIT, MTRR_MSR_DEF_TYPE);
}

/* Random garbage in one register: load accepts exactly what mtrr_wrmsr accepts. */
static void
registers_random_garbage(void **state)
{
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s, t;
	int accepted = 0, rejected = 0;

	(void)state;
	rng_state = 0x5EED0003;
	for (int i = 0; i < 5000; i++) {
		struct mtrr_caps c = rnd_caps();
		uint32_t msrs[128];
		unsigned count = snap_order(&c, msrs);
		uint32_t msr = msrs[rnd_below(count)];
		uint64_t v = rnd();
		size_t n;
		mtrr_status want;

		/* Sparse garbage too: a few random bits over a legal value. */
		if (rnd_below(2))
			v = rnd_legal(&c, msr) ^ (1ull << rnd_below(64));
		rnd_state(&s, &c);
		n = encode_state(buf, &s);
		set_reg(buf, n, &c, msr, v);
		memcpy(&t, &s, sizeof(t));
		want = mtrr_wrmsr(&t, msr, v);
		/* A snapshot holds the image: RdMem/WrMem land even while hidden. */
		for (unsigned k = 0; k < MTRR_FIXED_MSRS && want == MTRR_OK; k++)
			if (msr == fixed_msrs[k])
				t.fixed[k] = v;
		if (want == MTRR_OK) {
			struct mtrr_state u;

			load_ok(buf, n, &c, &u);
			assert_memory_equal(&u, &t, sizeof(u));
			accepted++;
		} else {
			assert_true(mtrr_status_is_gp(want));
			load_fails(buf, n, &c, want, msr);
			rejected++;
		}
	}
	assert_true(accepted > 500 && rejected > 500);
}

/* ---- compatibility with the target caps ----------------------------------- */

static void
compat_fewer_pairs(void **state)
{
	struct mtrr_caps src = caps_of(10, true, true, false, 46, MTRR_VENDOR_INTEL);
	struct mtrr_caps tgt = src;
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s, t;
	uint64_t v;
	size_t n;

	(void)state;
	tgt.vcnt = 4;
	busy_state(&s, &src);
	for (unsigned p = 4; p < 10; p++) {
		assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(p), 0), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(p), 0), MTRR_OK);
	}
	/* Zero pairs beyond the target's VCNT are dropped. */
	n = save_v1(&s, buf, sizeof(buf));
	load_ok(buf, n, &tgt, &t);
	assert_memory_equal(&t.caps, &tgt, sizeof(tgt));
	for (unsigned p = 0; p < 4; p++) {
		assert_int_equal(mtrr_rdmsr(&t, MTRR_MSR_PHYSBASE(p), &v), MTRR_OK);
		assert_int_equal(v, s.var[p].base);
		assert_int_equal(mtrr_rdmsr(&t, MTRR_MSR_PHYSMASK(p), &v), MTRR_OK);
		assert_int_equal(v, s.var[p].mask);
	}
	assert_int_equal(mtrr_rdmsr(&t, MTRR_MSR_PHYSBASE(4), &v), MTRR_E_ABSENT);
	assert_int_equal(t.def_type, s.def_type);
	assert_memory_equal(t.fixed, s.fixed, sizeof(t.fixed));
	/* A pair with content there is not: base (even with V clear), or mask alone. */
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(7), 0x1000), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_PHYSBASE(7));
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(7), 0), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(9), 0xFF000000000ull), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_PHYSMASK(9));
	/* Type bits alone are content too (UC is 0, so WB here). */
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(9), 0), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(4), 6), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_PHYSBASE(4));
	/* Down to zero pairs: pair 0 is base 0 (UC at 0), mask set. */
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(4), 0), MTRR_OK);
	tgt.vcnt = 0;
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_PHYSMASK(0));
}

static void
compat_more_pairs(void **state)
{
	struct mtrr_caps src = caps_of(2, true, true, false, 46, MTRR_VENDOR_INTEL);
	struct mtrr_caps tgt = src;
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s, t;
	size_t n;

	(void)state;
	tgt.vcnt = MTRR_VAR_MAX;
	busy_state(&s, &src);
	n = save_v1(&s, buf, sizeof(buf));
	load_ok(buf, n, &tgt, &t);
	/* Same registers, more (zero) pairs: everything else equal. */
	t.caps.vcnt = src.vcnt;
	assert_memory_equal(&t, &s, sizeof(s));
}

static void
compat_fixed(void **state)
{
	struct mtrr_caps src = caps_of(2, true, true, false, 46, MTRR_VENDOR_INTEL);
	struct mtrr_caps tgt = src;
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s, t;
	size_t n;

	(void)state;
	tgt.fixed = false;
	assert_int_equal(mtrr_state_init(&s, &src), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x2FF, MTRR_DEF_E | 6), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x200, 0x80000000ull), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x201, 0x3FFF80000800ull), MTRR_OK);
	/* Fixed MSRs all zero and FE clear: dropped. */
	n = save_v1(&s, buf, sizeof(buf));
	load_ok(buf, n, &tgt, &t);
	t.caps.fixed = true;
	assert_memory_equal(&t, &s, sizeof(s));
	/* Any fixed MSR with content: incompatible, named. */
	for (unsigned i = 0; i < MTRR_FIXED_MSRS; i++) {
		assert_int_equal(mtrr_wrmsr(&s, fixed_msrs[i], 0x0400000000000000ull), MTRR_OK);
		n = save_v1(&s, buf, sizeof(buf));
		load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, fixed_msrs[i]);
		assert_int_equal(mtrr_wrmsr(&s, fixed_msrs[i], 0), MTRR_OK);
	}
	/* FE set: the first MiB would change type (fixed UC -> variable ranges). */
	assert_int_equal(mtrr_wrmsr(&s, 0x2FF, MTRR_DEF_E | MTRR_DEF_FE | 6), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_DEF_TYPE);
	/* With E clear too: FE would take effect on the next enable. */
	assert_int_equal(mtrr_wrmsr(&s, 0x2FF, MTRR_DEF_FE | 6), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_DEF_TYPE);

	/* The other way: no fixed ranges at the source, FE set (inert there). */
	assert_int_equal(mtrr_state_init(&s, &tgt), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x2FF, MTRR_DEF_E | MTRR_DEF_FE | 6), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &src, MTRR_E_INCOMPATIBLE, MTRR_MSR_DEF_TYPE);
	load_ok(buf, n, &tgt, &t);
	assert_memory_equal(&t, &s, sizeof(s));
	/* FE clear: fine, the target's fixed MSRs start at zero. */
	assert_int_equal(mtrr_wrmsr(&s, 0x2FF, MTRR_DEF_E | 6), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_ok(buf, n, &src, &t);
	assert_int_equal(t.def_type, MTRR_DEF_E | 6);
	for (unsigned i = 0; i < MTRR_FIXED_MSRS; i++)
		assert_int_equal(t.fixed[i], 0);
}

static void
compat_wc(void **state)
{
	struct mtrr_caps src = caps_of(4, true, true, false, 46, MTRR_VENDOR_INTEL);
	struct mtrr_caps tgt = src;
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s, t;
	size_t n;

	(void)state;
	tgt.wc = false;
	busy_state(&s, &src);
	n = save_v1(&s, buf, sizeof(buf));
	load_ok(buf, n, &tgt, &t);      /* no WC in use */
	assert_int_equal(mtrr_wrmsr(&s, 0x2FF, MTRR_DEF_E | 1), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_DEF_TYPE);
	assert_int_equal(mtrr_wrmsr(&s, 0x2FF, MTRR_DEF_E | 0), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x259, 0x0101000000000000ull), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, 0x259);
	assert_int_equal(mtrr_wrmsr(&s, 0x259, 0), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(3), 0xE0000000ull | 1), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_PHYSBASE(3));
	/* A WC pair the target does not have at all is named as such too. */
	tgt.wc = true;
	tgt.vcnt = 3;
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_PHYSBASE(3));
}

static void
compat_smrr(void **state)
{
	struct mtrr_caps src = caps_of(2, true, true, true, 46, MTRR_VENDOR_INTEL);
	struct mtrr_caps tgt = src;
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s, t;
	size_t n;

	(void)state;
	tgt.smrr = false;
	busy_state(&s, &src);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_SMRR_PHYSBASE);
	assert_int_equal(mtrr_wrmsr(&s, 0x1F2, 0), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_SMRR_PHYSMASK);
	assert_int_equal(mtrr_wrmsr(&s, 0x1F3, 0), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_ok(buf, n, &tgt, &t);
	/* Into an AMD target (no SMRR): the same rule. */
	tgt.vendor = MTRR_VENDOR_AMD;
	load_ok(buf, n, &tgt, &t);
	assert_int_equal(t.caps.vendor, MTRR_VENDOR_AMD);
	t.caps = s.caps;
	assert_memory_equal(&t, &s, sizeof(s));
	/* From no SMRR to SMRR: the pair starts at zero. */
	assert_int_equal(mtrr_state_init(&s, &tgt), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x2FF, 0xC06), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_ok(buf, n, &src, &t);
	assert_int_equal(t.smrr_base | t.smrr_mask, 0);
	assert_int_equal(t.def_type, 0xC06);
}

static void
compat_phys_bits(void **state)
{
	struct mtrr_caps src = caps_of(4, true, true, false, 52, MTRR_VENDOR_INTEL);
	struct mtrr_caps tgt = src;
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s, t;
	size_t n;

	(void)state;
	tgt.phys_bits = 46;
	assert_int_equal(mtrr_state_init(&s, &src), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x2FF, 0xC06), MTRR_OK);
	/* 2 GiB UC at 2 GiB, with a mask that names bits 45:31 only. */
	assert_int_equal(mtrr_wrmsr(&s, 0x200, 0x80000000ull), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x201, 0x3FFF80000800ull), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_ok(buf, n, &tgt, &t);
	assert_int_equal(t.var[0].mask, 0x3FFF80000800ull);
	/* The same range with the mask filled up to bit 51: does not fit 46 bits. */
	assert_int_equal(mtrr_wrmsr(&s, 0x201, 0xFFFFF80000800ull), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_PHYSMASK(0));
	/* A base above the target's 2^46, even in a disabled pair. */
	assert_int_equal(mtrr_wrmsr(&s, 0x201, 0), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x206, 1ull << 50), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_fails(buf, n, &tgt, MTRR_E_INCOMPATIBLE, MTRR_MSR_PHYSBASE(3));
	/* Into a larger MAXPHYADDR: accepted. */
	assert_int_equal(mtrr_state_init(&s, &tgt), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x201, 0x3FFF80000800ull), MTRR_OK);
	n = save_v1(&s, buf, sizeof(buf));
	load_ok(buf, n, &src, &t);
	assert_int_equal(t.caps.phys_bits, 52);
	assert_int_equal(t.var[0].mask, 0x3FFF80000800ull);
}

/*
 * The policy as a property, over random source and target caps: a load that
 * succeeds keeps every register the target has (zero where the source had
 * none) and the memory type of every address both have; one that fails with
 * INCOMPATIBLE names a register.
 */
static void
compat_random_property(void **state)
{
	unsigned char buf[SNAP_MAX];
	struct mtrr_state s, t;
	int ok = 0, incompatible = 0;

	(void)state;
	rng_state = 0x5EED0004;
	for (int i = 0; i < 4000; i++) {
		struct mtrr_caps sc = rnd_caps(), tc = rnd_caps();
		uint32_t msrs[MTRR_MSR_LIST_MAX], bad = 0;
		size_t n, m;
		mtrr_status st;

		/* Keep the caps close, so that both outcomes happen often. */
		if (rnd_below(2))
			tc.vcnt = sc.vcnt;
		if (rnd_below(2))
			tc.fixed = sc.fixed;
		tc.overlap = sc.overlap;
		rnd_state(&s, &sc);
		/* Sparse pairs: clear most, so dropping them can work. */
		for (unsigned p = 0; p < sc.vcnt; p++) {
			if (rnd_below(4) != 0) {
				assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(p), 0), MTRR_OK);
				assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(p), 0), MTRR_OK);
			}
		}
		n = save_v1(&s, buf, sizeof(buf));
		memset(&t, PATTERN, sizeof(t));
		st = mtrr_state_load_ex(&t, &tc, buf, n, &bad);
		if (st != MTRR_OK) {
			assert_int_equal(st, MTRR_E_INCOMPATIBLE);
			assert_true(bad != 0);
			incompatible++;
			continue;
		}
		ok++;
		/* field by field: tc's padding bytes are whatever the stack held */
		assert_int_equal(t.caps.vcnt, tc.vcnt);
		assert_int_equal(t.caps.fixed, tc.fixed);
		assert_int_equal(t.caps.wc, tc.wc);
		assert_int_equal(t.caps.smrr, tc.smrr);
		assert_int_equal(t.caps.phys_bits, tc.phys_bits);
		assert_int_equal(t.caps.vendor, tc.vendor);
		assert_int_equal(t.caps.overlap, tc.overlap);
		assert_int_equal(t.caps.pat, tc.pat);
		m = mtrr_msr_list(&tc, msrs, MTRR_MSR_LIST_MAX);
		for (size_t k = 0; k < m; k++) {
			uint64_t a = 0, b;

			if (mtrr_rdmsr(&s, msrs[k], &a) != MTRR_OK)
				a = 0;
			assert_int_equal(mtrr_rdmsr(&t, msrs[k], &b), MTRR_OK);
			assert_int_equal(a, b);
		}
		for (int k = 0; k < 64; k++) {
			unsigned pb = sc.phys_bits < tc.phys_bits ? sc.phys_bits : tc.phys_bits;
			uint64_t addr = rnd() & ((1ull << pb) - 1);

			if (k < 16)
				addr &= 0xFFFFF;        /* the first MiB too */
			assert_int_equal(mtrr_ref_lookup(&t, addr), mtrr_ref_lookup(&s, addr));
		}
	}
	assert_true(ok > 400 && incompatible > 400);
}

/* ---- format version 2 ------------------------------------------------------ */

#define SNAP_MAX_V2 1168u       /* 24 + 12 * (1 + 11 + 80 + 2 + 1) + 4 */
#define OFF_FLAGS2 21           /* v2: more caps flags */
#define OFF_COUNT2 22           /* v2: u16 register count */
#define REC2 12u

/* The registers of `c` in version 2's order: increasing index. */
static unsigned
snap_order_v2(const struct mtrr_caps *c, uint32_t *msrs)
{
	unsigned n = 0, i;

	if (c->smrr) {
		msrs[n++] = 0x1F2;
		msrs[n++] = 0x1F3;
	}
	for (i = 0; i < 2 * c->vcnt; i++)
		msrs[n++] = 0x200 + i;
	if (c->fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			msrs[n++] = fixed_msrs[i];
	if (c->pat)
		msrs[n++] = 0x277;
	msrs[n++] = 0x2FF;
	return n;
}

/* The test's version 2 encoder: raw caps bytes, any records, a valid checksum. */
static size_t
encode_v2(unsigned char *p, const struct mtrr_caps *c, unsigned flags_extra,
	  const uint32_t *msrs, const uint64_t *vals, unsigned n)
{
	size_t total = HDR + REC2 * n + 4u;

	memcpy(p + OFF_MAGIC, "MTRRSNAP", 8);
	wr_le(p + OFF_VERSION, 2, 2);
	wr_le(p + OFF_HDRSIZE, HDR, 2);
	wr_le(p + OFF_TOTAL, total, 4);
	p[OFF_VCNT] = (unsigned char)c->vcnt;
	p[OFF_FLAGS] = (unsigned char)((c->fixed ? 1u : 0u) | (c->wc ? 2u : 0u) |
				       (c->smrr ? 4u : 0u) | (c->pat ? 8u : 0u) | flags_extra);
	p[OFF_PHYS] = (unsigned char)c->phys_bits;
	p[OFF_VENDOR] = (unsigned char)c->vendor;
	p[OFF_OVERLAP] = (unsigned char)c->overlap;
	p[OFF_FLAGS2] = 0;
	wr_le(p + OFF_COUNT2, n, 2);
	for (unsigned i = 0; i < n; i++) {
		wr_le(p + HDR + REC2 * i, msrs[i], 4);
		wr_le(p + HDR + REC2 * i + 4, vals[i], 8);
	}
	reseal(p, total);
	return total;
}

/* AMD's registers in index order, as version 2 records them. */
static const uint32_t amd_v2[7] = {
	0xC0010010u, 0xC0010016u, 0xC0010017u, 0xC0010018u, 0xC0010019u, 0xC001001Au,
	0xC001001Du,
};

/*
 * The image of `msr` in `s`, by the header's struct layout: what the
 * processor holds (an AMD fixed MSR's RdMem/WrMem included), not RDMSR's view.
 */
static uint64_t
image_of(const struct mtrr_state *s, uint32_t msr)
{
	unsigned i;

	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		if (msr == fixed_msrs[i])
			return s->fixed[i];
	if (msr >= 0x200 && msr < 0x250)
		return (msr & 1u) ? s->var[(msr - 0x200) / 2].mask : s->var[(msr - 0x200) / 2].base;
	switch (msr) {
	case 0x1F2: return s->smrr_base;
	case 0x1F3: return s->smrr_mask;
	case 0x277: return s->pat;
	case 0x2FF: return s->def_type;
	case 0xC0010010u: return s->syscfg;
	case 0xC001001Au: return s->top_mem;
	case 0xC001001Du: return s->top_mem2;
	default:
		assert_true(msr >= 0xC0010016u && msr <= 0xC0010019u);
		return (msr & 1u) ? s->iorr[(msr - 0xC0010016u) / 2].mask :
				    s->iorr[(msr - 0xC0010016u) / 2].base;
	}
}

/*
 * `s` through the test's encoder, the way the format's documentation says
 * save writes it (images; AMD's registers only when not zero); its MSRs and
 * values in *msrs, *vals.
 */
static size_t
encode_state_v2(unsigned char *p, const struct mtrr_state *s, uint32_t *msrs, uint64_t *vals,
		unsigned *count)
{
	unsigned n = snap_order_v2(&s->caps, msrs), i;

	for (i = 0; i < n; i++)
		vals[i] = image_of(s, msrs[i]);
	for (i = 0; i < 7 && s->caps.vendor == MTRR_VENDOR_AMD; i++) {
		if (image_of(s, amd_v2[i]) == 0)
			continue;
		msrs[n] = amd_v2[i];
		vals[n++] = image_of(s, amd_v2[i]);
	}
	*count = n;
	return encode_v2(p, &s->caps, 0, msrs, vals, n);
}

static struct mtrr_caps
pat_caps(unsigned vcnt, bool fixed, bool smrr, unsigned phys)
{
	struct mtrr_caps c = caps_of(vcnt, fixed, true, smrr, phys, MTRR_VENDOR_INTEL);

	c.pat = true;
	return c;
}

/* save writes exactly what the format's documentation says. */
static void
v2_save_matches_spec(void **state)
{
	static unsigned char got[SNAP_MAX_V2 + 8], want[SNAP_MAX_V2];
	uint32_t msrs[128];
	uint64_t vals[128];
	struct mtrr_state s;
	struct mtrr_caps c;
	unsigned n, i;
	size_t len;

	(void)state;
	rng_state = 0x5eed0002;
	for (i = 0; i < 300; i++) {
		c = rnd_caps();
		c.pat = rnd_below(2);
		rnd_state(&s, &c);
		if (c.pat)
			assert_int_equal(mtrr_wrmsr(&s, 0x277, 0x0001040506070001ull), MTRR_OK);
		len = encode_state_v2(want, &s, msrs, vals, &n);
		assert_int_equal(len, 28 + 12 * n);
		assert_int_equal(mtrr_state_save(&s, NULL, 0), len);
		memset(got, 0xA5, sizeof(got));
		assert_int_equal(mtrr_state_save(&s, got, sizeof(got)), len);
		assert_memory_equal(got, want, len);
		assert_int_equal(got[len], 0xA5);
		assert_int_equal(mtrr_state_save_version(&s, 2, got, sizeof(got)), len);
		assert_memory_equal(got, want, len);
		/* Version 1 of the same state: the test's v1 encoder, or refused with a PAT. */
		if (c.pat) {
			assert_int_equal(save_v1(&s, got, sizeof(got)), 0);
		} else {
			len = encode_state(want, &s);
			assert_int_equal(save_v1(&s, got, sizeof(got)), len);
			assert_memory_equal(got, want, len);
		}
	}
	/* The largest snapshot; unknown versions. */
	c = pat_caps(MTRR_VAR_MAX, true, true, 52);
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	assert_int_equal(mtrr_state_save(&s, NULL, 0), SNAP_MAX_V2);
	assert_int_equal(mtrr_state_save_version(&s, 0, got, sizeof(got)), 0);
	assert_int_equal(mtrr_state_save_version(&s, 3, got, sizeof(got)), 0);
	assert_int_equal(mtrr_state_save_version(NULL, 2, got, sizeof(got)), 0);
	c.pat = false;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	assert_int_equal(mtrr_state_save_version(&s, 1, NULL, 0), SNAP_MAX);
	assert_int_equal(mtrr_state_save(&s, NULL, 0), SNAP_MAX_V2 - 12);
}

static void
v2_round_trip(void **state)
{
	static unsigned char buf[SNAP_MAX_V2];
	struct mtrr_state s, t;
	struct mtrr_caps c;
	size_t n;
	unsigned i;

	(void)state;
	rng_state = 0x5eed0003;
	for (i = 0; i < 500; i++) {
		c = rnd_caps();
		c.pat = rnd_below(2);
		rnd_state(&s, &c);
		if (c.pat && rnd_below(2))
			assert_int_equal(mtrr_wrmsr(&s, 0x277, 0x0700010405060007ull), MTRR_OK);
		n = mtrr_state_save(&s, buf, sizeof(buf));
		assert_true(n >= 28 && n <= SNAP_MAX_V2);
		load_ok(buf, n, &c, &t);
		assert_memory_equal(&t, &s, sizeof(s));
	}
}

static void
v2_framing(void **state)
{
	static unsigned char buf[SNAP_MAX_V2 + 32];
	uint32_t msrs[128];
	uint64_t vals[128];
	struct mtrr_caps c = pat_caps(2, true, true, 40), bad;
	struct mtrr_state s, t;
	unsigned n;
	size_t len;

	(void)state;
	busy_state(&s, &c);
	len = encode_state_v2(buf, &s, msrs, vals, &n);
	load_ok(buf, len, &c, &t);
	assert_memory_equal(&t, &s, sizeof(s));
	/* Lengths, count, checksum. */
	load_fails(buf, len - 1, &c, MTRR_E_SNAPSHOT_TRUNCATED, 0);
	load_fails(buf, len + 1, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	wr_le(buf + OFF_COUNT2, n + 1, 2);
	reseal(buf, len);
	load_fails(buf, len, &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	wr_le(buf + OFF_COUNT2, n, 2);
	buf[HDR + 5] ^= 1;
	load_fails(buf, len, &c, MTRR_E_SNAPSHOT_CHECKSUM, 0);
	buf[HDR + 5] ^= 1;
	/* A capability of a later library: INCOMPATIBLE, checked before the caps. */
	len = encode_v2(buf, &c, 0x10, msrs, vals, n);
	load_fails(buf, len, &c, MTRR_E_INCOMPATIBLE, 0);
	len = encode_v2(buf, &c, 0x80, msrs, vals, n);
	load_fails(buf, len, &c, MTRR_E_INCOMPATIBLE, 0);
	len = encode_v2(buf, &c, 0, msrs, vals, n);
	buf[OFF_FLAGS2] = 1;
	reseal(buf, len);
	load_fails(buf, len, &c, MTRR_E_INCOMPATIBLE, 0);
	buf[OFF_PHYS] = 60;
	reseal(buf, len);
	load_fails(buf, len, &c, MTRR_E_INCOMPATIBLE, 0);
	/* Known caps out of range. */
	bad = c;
	bad.phys_bits = 60;
	load_fails(buf, encode_v2(buf, &bad, 0, msrs, vals, n), &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	bad = c;
	bad.vendor = (enum mtrr_vendor)2;
	load_fails(buf, encode_v2(buf, &bad, 0, msrs, vals, n), &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	bad = c;
	bad.overlap = (enum mtrr_overlap)2;
	load_fails(buf, encode_v2(buf, &bad, 0, msrs, vals, n), &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	bad = c;
	bad.vendor = MTRR_VENDOR_AMD;   /* SMRR on AMD */
	load_fails(buf, encode_v2(buf, &bad, 0, msrs, vals, n), &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
}

static void
v2_records(void **state)
{
	static unsigned char buf[SNAP_MAX_V2 + 64];
	uint32_t msrs[128], m2[128];
	uint64_t vals[128], v2[128];
	struct mtrr_caps c = pat_caps(2, true, true, 40), small;
	unsigned char *hdr;
	struct mtrr_state s;
	unsigned n, i;

	(void)state;
	busy_state(&s, &c);
	(void)encode_state_v2(buf, &s, msrs, vals, &n);
	/* Out of order, or twice: CORRUPT. */
	memcpy(m2, msrs, sizeof(msrs));
	m2[3] = msrs[4];
	m2[4] = msrs[3];
	load_fails(buf, encode_v2(buf, &c, 0, m2, vals, n), &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	m2[3] = m2[4] = msrs[3];
	load_fails(buf, encode_v2(buf, &c, 0, m2, vals, n), &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	/* A register this library does not model (AMD's MMIO_CONF_BASE): INCOMPATIBLE, named. */
	memcpy(m2, msrs, sizeof(msrs));
	memcpy(v2, vals, sizeof(vals));
	m2[n] = 0xC0010058u;
	v2[n] = 0;
	load_fails(buf, encode_v2(buf, &c, 0, m2, v2, n + 1), &c, MTRR_E_INCOMPATIBLE,
		   0xC0010058u);
	/* One it knows, that an Intel source cannot have (SYSCFG): CORRUPT. */
	m2[n] = 0xC0010010u;
	v2[n] = 1ull << 20;
	load_fails(buf, encode_v2(buf, &c, 0, m2, v2, n + 1), &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	/* ... even where the records are fewer than this library's largest. */
	small = c;
	small.vcnt = 0;
	small.fixed = false;
	small.smrr = false;
	m2[0] = 0x277;
	v2[0] = MTRR_PAT_POWER_ON;
	m2[1] = 0x2FF;
	v2[1] = 0;
	m2[2] = 0x300;
	v2[2] = 0;
	load_fails(buf, encode_v2(buf, &small, 0, m2, v2, 3), &small, MTRR_E_INCOMPATIBLE, 0x300);
	/* ... and more records than this library could hold. */
	for (i = 0; i < 100; i++) {
		m2[i] = 0xC0000000u + i;
		v2[i] = i;
	}
	load_fails(buf, encode_v2(buf, &small, 0, m2, v2, 100), &small, MTRR_E_INCOMPATIBLE,
		   0xC0000000u);
	/* Known registers the caps do not give, or one missing: CORRUPT. */
	m2[0] = 0x200;          /* a pair with vcnt 0 */
	v2[0] = 0;
	m2[1] = 0x277;
	v2[1] = MTRR_PAT_POWER_ON;
	m2[2] = 0x2FF;
	v2[2] = 0;
	load_fails(buf, encode_v2(buf, &small, 0, m2, v2, 3), &small, MTRR_E_SNAPSHOT_CORRUPT, 0);
	m2[1] = 0x2FF;          /* the right count, a wrong register */
	load_fails(buf, encode_v2(buf, &small, 0, m2, v2, 2), &small, MTRR_E_SNAPSHOT_CORRUPT, 0);
	m2[1] = 0x277;
	m2[0] = 0xFE;           /* MTRRCAP is never saved */
	load_fails(buf, encode_v2(buf, &small, 0, m2, v2, 3), &small, MTRR_E_SNAPSHOT_CORRUPT, 0);
	load_fails(buf, encode_v2(buf, &small, 0, m2 + 2, v2 + 2, 1), &small,
		   MTRR_E_SNAPSHOT_CORRUPT, 0);        /* no PAT record */
	load_fails(buf, encode_v2(buf, &small, 0, m2 + 1, v2 + 1, 1), &small,
		   MTRR_E_SNAPSHOT_CORRUPT, 0);        /* no DEF_TYPE record */
	load_fails(buf, encode_v2(buf, &small, 0, m2, v2, 0), &small,
		   MTRR_E_SNAPSHOT_CORRUPT, 0);        /* no record at all */
	/* A header-only buffer with a count: TRUNCATED (ASan: nothing read past it). */
	(void)encode_v2(buf, &small, 0, m2 + 1, v2 + 1, 2);
	hdr = malloc(HDR);
	assert_non_null(hdr);
	memcpy(hdr, buf, HDR);
	load_fails(hdr, HDR, &small, MTRR_E_SNAPSHOT_TRUNCATED, 0);
	free(hdr);
}

static void
v2_register_rules(void **state)
{
	static unsigned char buf[SNAP_MAX_V2];
	uint32_t msrs[128];
	uint64_t vals[128], v2[128];
	struct mtrr_caps c = pat_caps(2, true, true, 40);
	struct mtrr_state s;
	unsigned n, i, pat = 0;

	(void)state;
	busy_state(&s, &c);
	(void)encode_state_v2(buf, &s, msrs, vals, &n);
	for (i = 0; i < n; i++)
		if (msrs[i] == 0x277)
			pat = i;
	assert_true(pat != 0);
	memcpy(v2, vals, sizeof(vals));
	v2[pat] = MTRR_PAT_POWER_ON | 0x08;
	load_fails(buf, encode_v2(buf, &c, 0, msrs, v2, n), &c, MTRR_E_RESERVED_BIT, 0x277);
	v2[pat] = 0x0000000000000300ull;
	load_fails(buf, encode_v2(buf, &c, 0, msrs, v2, n), &c, MTRR_E_INVALID_TYPE, 0x277);
	/* The first bad register in index order: SMRR_PHYSBASE comes first now. */
	v2[0] = 2;              /* SMRR_PHYSBASE with type 2 */
	load_fails(buf, encode_v2(buf, &c, 0, msrs, v2, n), &c, MTRR_E_INVALID_TYPE, 0x1F2);
}

static void
v2_pat_compat(void **state)
{
	static unsigned char buf[SNAP_MAX_V2];
	struct mtrr_caps with = pat_caps(4, true, false, 40), without = with;
	struct mtrr_state s, t;
	uint64_t v;
	size_t len;

	(void)state;
	without.pat = false;
	/* A PAT at its power-on value is dropped onto a target without one. */
	busy_state(&s, &with);
	assert_int_equal(mtrr_wrmsr(&s, 0x277, MTRR_PAT_POWER_ON), MTRR_OK);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_ok(buf, len, &without, &t);
	assert_false(t.caps.pat);
	assert_int_equal(t.pat, 0);
	assert_int_equal(mtrr_rdmsr(&t, 0x277, &v), MTRR_E_NOT_MTRR);
	/* Any other PAT would be lost: INCOMPATIBLE, named. */
	assert_int_equal(mtrr_wrmsr(&s, 0x277, 0x0606060606060601ull), MTRR_OK);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_fails(buf, len, &without, MTRR_E_INCOMPATIBLE, 0x277);
	load_ok(buf, len, &with, &t);
	assert_memory_equal(&t, &s, sizeof(s));
	/* A source without the PAT (v1 or v2): the target keeps its power-on PAT. */
	busy_state(&s, &without);
	len = save_v1(&s, buf, sizeof(buf));
	load_ok(buf, len, &with, &t);
	assert_true(t.caps.pat);
	assert_int_equal(mtrr_rdmsr(&t, 0x277, &v), MTRR_OK);
	assert_int_equal(v, MTRR_PAT_POWER_ON);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_ok(buf, len, &with, &t);
	assert_int_equal(t.pat, MTRR_PAT_POWER_ON);
	/* The other registers went across unchanged. */
	assert_int_equal(t.def_type, s.def_type);
	assert_memory_equal(t.var, s.var, sizeof(s.var));
	assert_memory_equal(t.fixed, s.fixed, sizeof(s.fixed));
}

/* ---- AMD: SYSCFG, TOP_MEM, TOP_MEM2, the IORRs, RdMem/WrMem ---------------- */

/* An AMD state with every AMD register and RdMem/WrMem random (often zero). */
static void
rnd_amd_state(struct mtrr_state *s, struct mtrr_caps *c)
{
	*c = rnd_caps();
	c->vendor = MTRR_VENDOR_AMD;
	c->smrr = false;
	c->pat = rnd_below(2);
	amd_live = true;
	rnd_state(s, c);
	amd_live = false;
}

/*
 * Version 2 of an AMD state: the documented bytes (AMD records for the
 * registers that are not zero, images with their hidden bits), and it loads
 * back byte for byte.  Version 1 takes the state exactly when it uses none
 * of it.
 */
static void
amd_round_trip(void **state)
{
	static unsigned char got[MTRR_SNAPSHOT_MAX + 8], want[MTRR_SNAPSHOT_MAX];
	uint32_t msrs[128];
	uint64_t vals[128];
	struct mtrr_state s, t;
	struct mtrr_caps c;
	unsigned n, i, k, hidden = 0, v1 = 0, amd_recs = 0;
	size_t len;

	(void)state;
	rng_state = 0x5eed00a1;
	for (i = 0; i < 2000; i++) {
		bool uses = false;

		rnd_amd_state(&s, &c);
		if (i % 4 == 0)         /* some with every AMD register at zero */
			s.syscfg = s.top_mem = s.top_mem2 = s.iorr[0].base = s.iorr[0].mask =
				s.iorr[1].base = s.iorr[1].mask = 0;
		if (i % 8 == 0)
			for (k = 0; k < MTRR_FIXED_MSRS; k++)
				s.fixed[k] &= ~MTRR_FIXED_RDWR_BITS;
		assert_int_equal(mtrr_state_check(&s, NULL), MTRR_OK);
		len = encode_state_v2(want, &s, msrs, vals, &n);
		assert_int_equal(mtrr_state_save(&s, got, sizeof(got)), len);
		assert_memory_equal(got, want, len);
		assert_true(len <= MTRR_SNAPSHOT_MAX);
		load_ok(got, len, &c, &t);
		assert_memory_equal(&t, &s, sizeof(s));
		for (k = 0; k < 7; k++)
			if (image_of(&s, amd_v2[k]) != 0) {
				uses = true;
				amd_recs++;
			}
		for (k = 0; k < MTRR_FIXED_MSRS && c.fixed; k++)
			if (s.fixed[k] & MTRR_FIXED_RDWR_BITS) {
				uses = true;
				hidden += !(s.syscfg & MTRR_SYSCFG_FIX_DRAM_MOD_EN);
			}
		len = save_v1(&s, got, sizeof(got));
		if (uses || c.pat) {
			assert_int_equal(len, 0);
		} else {
			v1++;
			load_ok(got, len, &c, &t);
			assert_memory_equal(&t, &s, sizeof(s));
		}
	}
	assert_true(hidden > 100 && v1 > 50 && amd_recs > 1000);
}

/*
 * An AMD vCPU whose AMD registers are at their RESET value writes the bytes
 * a library from before them wrote: no AMD record at all.  Each one set
 * adds exactly its record, in index order.
 */
static void
amd_records_only_when_set(void **state)
{
	static unsigned char buf[MTRR_SNAPSHOT_MAX], want[MTRR_SNAPSHOT_MAX];
	uint32_t msrs[128];
	uint64_t vals[128];
	struct mtrr_caps c = caps_of(2, true, true, false, 40, MTRR_VENDOR_AMD);
	struct mtrr_state s, t;
	size_t len, base_len;
	unsigned n, k;

	(void)state;
	busy_state(&s, &c);
	base_len = mtrr_state_save(&s, buf, sizeof(buf));
	assert_int_equal(base_len, 28 + 12 * (4 + 11 + 1));
	n = snap_order_v2(&c, msrs);
	for (k = 0; k < n; k++)
		vals[k] = image_of(&s, msrs[k]);
	assert_int_equal(encode_v2(want, &c, 0, msrs, vals, n), base_len);
	assert_memory_equal(buf, want, base_len);
	/* One at a time: one more record, and that is the register's. */
	for (k = 0; k < 7; k++) {
		uint64_t v = amd_v2[k] == 0xC0010010u ? 1ull << 23 :
			     amd_v2[k] == 0xC0010017u || amd_v2[k] == 0xC0010019u ?
			     0xFF00000800ull : 0x0080000000ull;

		busy_state(&s, &c);
		assert_int_equal(mtrr_wrmsr(&s, amd_v2[k], v), MTRR_OK);
		len = mtrr_state_save(&s, buf, sizeof(buf));
		assert_int_equal(len, base_len + 12);
		assert_int_equal(rd_le(buf + len - 4 - 12, 4), amd_v2[k]);
		assert_int_equal(rd_le(buf + len - 4 - 8, 8), v);
		load_ok(buf, len, &c, &t);
		assert_memory_equal(&t, &s, sizeof(s));
		assert_int_equal(save_v1(&s, buf, sizeof(buf)), 0);
	}
	/* RdMem/WrMem alone: no new record, but the fixed records carry them. */
	busy_state(&s, &c);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_SYSCFG, MTRR_SYSCFG_FIX_DRAM_MOD_EN), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, fixed_msrs[3], 0x1E1E1E1E1E1E1E1Eull), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_SYSCFG, 0), MTRR_OK);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	assert_int_equal(len, base_len);
	load_ok(buf, len, &c, &t);
	assert_memory_equal(&t, &s, sizeof(s));
	assert_int_equal(t.fixed[3], 0x1E1E1E1E1E1E1E1Eull);
	assert_int_equal(save_v1(&s, buf, sizeof(buf)), 0);
}

/* The records' rules: where they may be, which values, each reserved bit. */
static void
amd_records_rules(void **state)
{
	static unsigned char buf[MTRR_SNAPSHOT_MAX + 64];
	uint32_t msrs[128], m2[128];
	uint64_t vals[128], v2[128];
	struct mtrr_caps c = caps_of(1, true, true, false, 36, MTRR_VENDOR_AMD), intel = c;
	struct mtrr_state s, t;
	unsigned n, k;

	(void)state;
	intel.vendor = MTRR_VENDOR_INTEL;
	busy_state(&s, &c);
	n = snap_order_v2(&c, msrs);
	for (k = 0; k < n; k++)
		vals[k] = image_of(&s, msrs[k]);
	memcpy(m2, msrs, sizeof(msrs));
	memcpy(v2, vals, sizeof(vals));
	/* Every AMD record at once, legal values: loads. */
	for (k = 0; k < 7; k++) {
		m2[n + k] = amd_v2[k];
		v2[n + k] = amd_v2[k] == 0xC0010010u ? ~0ull : 0x0F00000000ull |
			    (amd_v2[k] == 0xC0010017u || amd_v2[k] == 0xC0010019u ? MTRR_IORR_V : 0);
	}
	load_ok(buf, encode_v2(buf, &c, 0, m2, v2, n + 7), &c, &t);
	assert_int_equal(t.syscfg, ~0ull);
	assert_int_equal(t.top_mem2, 0x0F00000000ull);
	assert_int_equal(t.iorr[1].mask, 0x0F00000000ull | MTRR_IORR_V);
	/* From an Intel source: CORRUPT (the caps do not give them). */
	load_fails(buf, encode_v2(buf, &intel, 0, m2, v2, n + 7), &intel,
		   MTRR_E_SNAPSHOT_CORRUPT, 0);
	/* A record of zero is not what save writes: CORRUPT. */
	v2[n + 3] = 0;
	load_fails(buf, encode_v2(buf, &c, 0, m2, v2, n + 7), &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	v2[n + 3] = 0x0F00000000ull;
	/* Out of order, twice, or before DEF_TYPE: CORRUPT. */
	m2[n + 1] = amd_v2[2];
	m2[n + 2] = amd_v2[1];
	load_fails(buf, encode_v2(buf, &c, 0, m2, v2, n + 7), &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	m2[n + 1] = m2[n + 2] = amd_v2[1];
	load_fails(buf, encode_v2(buf, &c, 0, m2, v2, n + 7), &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	m2[n + 2] = amd_v2[2];
	m2[n - 1] = 0xC0010010u;        /* in DEF_TYPE's place */
	load_fails(buf, encode_v2(buf, &c, 0, m2, v2, n), &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
	m2[n - 1] = 0x2FF;
	/* Each reserved bit of each record: its #GP status, named. */
	for (k = 1; k < 7; k++) {
		uint64_t keep = v2[n + k];
		unsigned b;

		for (b = 0; b < 64; b++) {
			uint64_t v = keep | (1ull << b);
			struct mtrr_state probe;

			assert_int_equal(mtrr_state_init(&probe, &c), MTRR_OK);
			if (mtrr_wrmsr(&probe, amd_v2[k], v) == MTRR_OK)
				continue;
			v2[n + k] = v;
			load_fails(buf, encode_v2(buf, &c, 0, m2, v2, n + 7), &c,
				   MTRR_E_RESERVED_BIT, amd_v2[k]);
		}
		v2[n + k] = keep;
	}
	/* RdMem/WrMem in a fixed record from an AMD source: fine; from Intel: garbage. */
	v2[2] = 0x1E1E1E1E1E1E1E1Eull;          /* after the pair: 0x250 */
	assert_int_equal(m2[2], 0x250);
	load_ok(buf, encode_v2(buf, &c, 0, m2, v2, n), &c, &t);
	assert_int_equal(t.fixed[0], 0x1E1E1E1E1E1E1E1Eull);
	load_fails(buf, encode_v2(buf, &intel, 0, m2, v2, n), &intel, MTRR_E_INVALID_TYPE, 0x250);
	v2[2] = 0x2020202020202020ull;
	load_fails(buf, encode_v2(buf, &c, 0, m2, v2, n), &c, MTRR_E_RESERVED_BIT, 0x250);
	/* More records than the caps' own and AMD's seven: CORRUPT. */
	c.vcnt = 0;
	c.fixed = false;
	for (k = 0; k < 10; k++) {
		m2[k] = 0x200 + k;
		v2[k] = 0;
	}
	m2[10] = 0x2FF;
	v2[10] = 0;
	load_fails(buf, encode_v2(buf, &c, 0, m2, v2, 11), &c, MTRR_E_SNAPSHOT_CORRUPT, 0);
}

/*
 * Across vendors and widths: an AMD register at zero is dropped onto an
 * Intel target, any other is INCOMPATIBLE (named, in snapshot order), as are
 * RdMem/WrMem bits; a narrower target must hold TOP_MEM2 and the IORRs; an
 * Intel source gives an AMD target its RESET values.
 */
static void
amd_compat(void **state)
{
	static unsigned char buf[MTRR_SNAPSHOT_MAX];
	struct mtrr_caps amd = caps_of(2, true, true, false, 40, MTRR_VENDOR_AMD), intel = amd;
	struct mtrr_caps narrow = amd, nofix;
	struct mtrr_state s, t;
	size_t len;
	uint64_t v;

	(void)state;
	intel.vendor = MTRR_VENDOR_INTEL;
	narrow.phys_bits = 36;
	busy_state(&s, &amd);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_ok(buf, len, &intel, &t);
	assert_int_equal(t.caps.vendor, MTRR_VENDOR_INTEL);
	assert_int_equal(mtrr_rdmsr(&t, MTRR_MSR_SYSCFG, &v), MTRR_E_NOT_MTRR);
	assert_memory_equal(t.fixed, s.fixed, sizeof(s.fixed));
	/* SYSCFG and TOP_MEM2 set: SYSCFG is named, the first in index order. */
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_TOP_MEM2, 0x1000000000ull), MTRR_OK);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_fails(buf, len, &intel, MTRR_E_INCOMPATIBLE, MTRR_MSR_TOP_MEM2);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_SYSCFG, 1ull << 22), MTRR_OK);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_fails(buf, len, &intel, MTRR_E_INCOMPATIBLE, MTRR_MSR_SYSCFG);
	/* A TOP_MEM2 of 64 GiB does not fit 36 bits; 64 GiB - 8 MiB does. */
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(0), 0), MTRR_OK);    /* 40 bits */
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(1), 0), MTRR_OK);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_fails(buf, len, &narrow, MTRR_E_INCOMPATIBLE, MTRR_MSR_TOP_MEM2);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_TOP_MEM2, 0xFFF800000ull), MTRR_OK);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_ok(buf, len, &narrow, &t);
	assert_int_equal(t.top_mem2, 0xFFF800000ull);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_IORR_MASK(1), 0xF000000000ull | MTRR_IORR_V),
			 MTRR_OK);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_fails(buf, len, &narrow, MTRR_E_INCOMPATIBLE, MTRR_MSR_IORR_MASK(1));
	/* RdMem/WrMem (hidden) cannot go to Intel: the fixed MSR is named. */
	busy_state(&s, &amd);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_SYSCFG, MTRR_SYSCFG_FIX_DRAM_MOD_EN), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, fixed_msrs[5], 0x0606060616060606ull), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_SYSCFG, 0), MTRR_OK);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_fails(buf, len, &intel, MTRR_E_INCOMPATIBLE, fixed_msrs[5]);
	load_ok(buf, len, &amd, &t);
	assert_memory_equal(&t, &s, sizeof(s));
	/* Intel to AMD: the AMD registers start at their RESET value. */
	busy_state(&s, &intel);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	memset(&t, PATTERN, sizeof(t));
	load_ok(buf, len, &amd, &t);
	assert_int_equal(t.syscfg | t.top_mem | t.top_mem2 | t.iorr[0].base | t.iorr[0].mask |
			 t.iorr[1].base | t.iorr[1].mask, 0);
	len = save_v1(&s, buf, sizeof(buf));
	load_ok(buf, len, &amd, &t);
	assert_int_equal(t.syscfg | t.top_mem2, 0);
	/*
	 * MtrrFixDramEn routes the first MiB by the fixed ranges only where there
	 * are fixed ranges: like DEF_TYPE.FE it needs the same caps.fixed on both
	 * sides, or the destination of [0, 1 MiB) would change.  Clear, it
	 * moves freely.
	 */
	nofix = amd;
	nofix.fixed = false;
	assert_int_equal(mtrr_state_init(&s, &nofix), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_TOP_MEM, 0x80000000ull), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_SYSCFG, MTRR_SYSCFG_VAR_DRAM_EN |
				    MTRR_SYSCFG_FIX_DRAM_EN), MTRR_OK);
	assert_int_equal(mtrr_route(&s, 0x1000, false), MTRR_DEST_DRAM);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_fails(buf, len, &amd, MTRR_E_INCOMPATIBLE, MTRR_MSR_SYSCFG);
	load_ok(buf, len, &nofix, &t);
	assert_memory_equal(&t, &s, sizeof(s));
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_SYSCFG, MTRR_SYSCFG_VAR_DRAM_EN), MTRR_OK);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_ok(buf, len, &amd, &t);
	assert_int_equal(mtrr_route(&t, 0x1000, false), MTRR_DEST_DRAM);
	/* The other way: fixed ranges at the source, none at the target. */
	assert_int_equal(mtrr_state_init(&s, &amd), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_SYSCFG, MTRR_SYSCFG_FIX_DRAM_EN), MTRR_OK);
	len = mtrr_state_save(&s, buf, sizeof(buf));
	load_fails(buf, len, &nofix, MTRR_E_INCOMPATIBLE, MTRR_MSR_SYSCFG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc_is_crc32c),
		cmocka_unit_test(save_layout),
		cmocka_unit_test(save_matches_spec),
		cmocka_unit_test(save_sizes),
		cmocka_unit_test(round_trip_random),
		cmocka_unit_test(round_trip_reset_and_busy),
		cmocka_unit_test(framing_truncated),
		cmocka_unit_test(framing_every_byte_flip),
		cmocka_unit_test(framing_magic_version_checksum),
		cmocka_unit_test(framing_lengths),
		cmocka_unit_test(framing_header_only),
		cmocka_unit_test(framing_caps_fields),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(registers_rules),
		cmocka_unit_test(registers_first_bad),
		cmocka_unit_test(registers_random_garbage),
		cmocka_unit_test(compat_fewer_pairs),
		cmocka_unit_test(compat_more_pairs),
		cmocka_unit_test(compat_fixed),
		cmocka_unit_test(compat_wc),
		cmocka_unit_test(compat_smrr),
		cmocka_unit_test(compat_phys_bits),
		cmocka_unit_test(compat_random_property),
		cmocka_unit_test(v2_save_matches_spec),
		cmocka_unit_test(v2_round_trip),
		cmocka_unit_test(v2_framing),
		cmocka_unit_test(amd_round_trip),
		cmocka_unit_test(amd_records_only_when_set),
		cmocka_unit_test(amd_records_rules),
		cmocka_unit_test(amd_compat),
		cmocka_unit_test(v2_records),
		cmocka_unit_test(v2_register_rules),
		cmocka_unit_test(v2_pat_compat),
	};

	return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}
