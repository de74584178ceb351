/*
 * test_check.c — mtrr_state_check (libmtrr/check.c), and how the functions
 * that read a state refuse one whose register images were stored directly
 * instead of through mtrr_wrmsr: mtrr_state_save, mtrr_rdmsr, mtrr_ref_lookup.
 *
 * Good states are built only through mtrr_state_init and mtrr_wrmsr.  A
 * corruption is then written straight into one image: every reserved bit,
 * every invalid type value, WC without the cap, any non-zero image of a
 * register the caps lack.  Which bits are reserved and which types are valid
 * comes from an oracle written here from the header's register table, and
 * each corrupt value is also shown to be one mtrr_wrmsr refuses, so no case
 * can pass by construction.  On AMD caps: TOP_MEM, TOP_MEM2 and the IORRs
 * have reserved bits, SYSCFG none, fixed bytes reserved bits 7:5 and
 * RdMem/WrMem in 4:3; on Intel caps those registers are absent (zero).
 *
 * The randomized tests use a fixed seed; MTRR_TEST_SEED=<n> replays another.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mtrr.h"
#include "check.h"              /* mtrr__state_images_ok, mtrr__check_write */
#include "test_util.h"

#define NFIXED   11
#define NVAR     40
#define SAVE_MAX 2048           /* more than the largest snapshot (1228) */
#define PATTERN  0xA5
#define SENTINEL 0x5A5A5A5A5A5A5A5Aull
#define MIB      0x100000ull

static const uint32_t fixed_msrs[NFIXED] = {
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F,
};

/* ------------------------------------------------------------------------ */
/* The oracle: the header's register table, written out independently.      */
/* ------------------------------------------------------------------------ */

enum kind {
	K_DEF, K_FIX, K_BASE, K_MASK, K_SBASE, K_SMASK,
	K_SYSCFG, K_TOP, K_TOP2, K_IBASE, K_IMASK       /* AMD */
};

#define NAMD 7
/* The AMD registers in mtrr_msr_list's order (the header's words). */
static const uint32_t amd_msrs[NAMD] = {
	0xC0010016u, 0xC0010017u, 0xC0010018u, 0xC0010019u, 0xC001001Au, 0xC001001Du,
	0xC0010010u,
};

struct reg {
	uint32_t msr;
	enum kind kind;
	unsigned n;             /* pair number, or fixed MSR number */
};

static struct reg
reg_of(uint32_t msr)
{
	struct reg r = { msr, K_DEF, 0 };
	unsigned i;

	if (msr >= 0x200 && msr < 0x200 + 2 * NVAR) {
		r.kind = msr % 2 == 0 ? K_BASE : K_MASK;
		r.n = (msr - 0x200) / 2;
	} else if (msr == 0x1F2) {
		r.kind = K_SBASE;
	} else if (msr == 0x1F3) {
		r.kind = K_SMASK;
	} else if (msr == 0xC0010010u) {
		r.kind = K_SYSCFG;
	} else if (msr == 0xC001001Au) {
		r.kind = K_TOP;
	} else if (msr == 0xC001001Du) {
		r.kind = K_TOP2;
	} else if (msr >= 0xC0010016u && msr <= 0xC0010019u) {
		r.kind = msr % 2 == 0 ? K_IBASE : K_IMASK;
		r.n = (msr - 0xC0010016u) / 2;
	} else {
		for (i = 0; i < NFIXED; i++)
			if (msr == fixed_msrs[i]) {
				r.kind = K_FIX;
				r.n = i;
			}
	}
	return r;
}

/* Bits hi:lo inclusive, one at a time. */
static uint64_t
bits(unsigned lo, unsigned hi)
{
	uint64_t m = 0;
	unsigned b;

	for (b = lo; b <= hi && b < 64; b++)
		m |= 1ull << b;
	return m;
}

/* The bits a register may have set at all (a fixed MSR: any, types aside). */
static uint64_t
legal_bits(const struct mtrr_caps *c, enum kind k)
{
	switch (k) {
	case K_DEF: return bits(0, 7) | bits(10, 11);
	case K_BASE: return bits(0, 7) | bits(12, c->phys_bits - 1);
	case K_MASK: return bits(11, c->phys_bits - 1);
	case K_SBASE: return bits(0, 7) | bits(12, 31);
	case K_SMASK: return bits(11, 31);
	case K_TOP: case K_TOP2: return bits(23, c->phys_bits - 1);
	case K_IBASE: return bits(3, 4) | bits(12, c->phys_bits - 1);
	case K_IMASK: return bits(11, c->phys_bits - 1);
	case K_FIX:     /* AMD: bits 7:5 of every byte */
		return c->vendor == MTRR_VENDOR_AMD ? ~(bits(5, 7) * 0x0101010101010101ull) : ~0ull;
	default: return ~0ull;
	}
}

static bool
amd_kind(enum kind k)
{
	return k >= K_SYSCFG;
}

static bool
has_type(enum kind k)
{
	return k == K_DEF || k == K_BASE || k == K_SBASE;
}

static bool
type_valid(unsigned t, bool wc)
{
	return t == 0 || t == 4 || t == 5 || t == 6 || (t == 1 && wc);
}

static bool
present(const struct mtrr_caps *c, struct reg r)
{
	switch (r.kind) {
	case K_FIX: return c->fixed;
	case K_BASE: case K_MASK: return r.n < c->vcnt;
	case K_SBASE: case K_SMASK: return c->smrr;
	case K_SYSCFG: case K_TOP: case K_TOP2: case K_IBASE: case K_IMASK:
		return c->vendor == MTRR_VENDOR_AMD;
	default: return true;
	}
}

/* Would mtrr_wrmsr accept `v` for this register (present or not)? */
static bool
value_ok(const struct mtrr_caps *c, struct reg r, uint64_t v)
{
	unsigned i;

	if (!present(c, r) || (v & ~legal_bits(c, r.kind)) != 0)
		return false;
	if (has_type(r.kind))
		return type_valid((unsigned)(v & 0xFF), c->wc);
	if (r.kind == K_FIX)    /* AMD: the type is bits 2:0 */
		for (i = 0; i < 8; i++)
			if (!type_valid((unsigned)(v >> (8 * i)) &
					(c->vendor == MTRR_VENDOR_AMD ? 7u : 0xFFu), c->wc))
				return false;
	return true;
}

/* Where the header says the image of a register lives. */
static uint64_t *
image(struct mtrr_state *s, struct reg r)
{
	switch (r.kind) {
	case K_FIX: return &s->fixed[r.n];
	case K_BASE: return &s->var[r.n].base;
	case K_MASK: return &s->var[r.n].mask;
	case K_SBASE: return &s->smrr_base;
	case K_SMASK: return &s->smrr_mask;
	case K_SYSCFG: return &s->syscfg;
	case K_TOP: return &s->top_mem;
	case K_TOP2: return &s->top_mem2;
	case K_IBASE: return &s->iorr[r.n].base;
	case K_IMASK: return &s->iorr[r.n].mask;
	default: return &s->def_type;
	}
}

static uint64_t
image_val(const struct mtrr_state *s, struct reg r)
{
	switch (r.kind) {
	case K_FIX: return s->fixed[r.n];
	case K_BASE: return s->var[r.n].base;
	case K_MASK: return s->var[r.n].mask;
	case K_SBASE: return s->smrr_base;
	case K_SMASK: return s->smrr_mask;
	case K_SYSCFG: return s->syscfg;
	case K_TOP: return s->top_mem;
	case K_TOP2: return s->top_mem2;
	case K_IBASE: return s->iorr[r.n].base;
	case K_IMASK: return s->iorr[r.n].mask;
	default: return s->def_type;
	}
}

/* The first address typed by byte `b` of fixed MSR number i (SDM table). */
static uint64_t
fixed_addr(unsigned i, unsigned b)
{
	if (i == 0)
		return (uint64_t)b * 0x10000;
	if (i <= 2)
		return 0x80000 + (uint64_t)(i - 1) * 0x20000 + (uint64_t)b * 0x4000;
	return 0xC0000 + (uint64_t)(i - 3) * 0x8000 + (uint64_t)b * 0x1000;
}

#define ALL_REGS (2 * NVAR + NFIXED + 3 + NAMD)
/* Room for check_order's list, whatever mtrr_msr_list grows to. */
#define ORDER_MAX (MTRR_MSR_LIST_MAX + ALL_REGS)

/*
 * Every register the struct has an image of, in the order the library
 * promises to report the first bad one: the caps' own registers in
 * mtrr_msr_list order, then the absent ones (pairs, AMD's on Intel, fixed,
 * SMRR).
 * `out` holds ORDER_MAX entries.
 */
static size_t
check_order(const struct mtrr_caps *c, uint32_t *out)
{
	size_t n = mtrr_msr_list(c, out, MTRR_MSR_LIST_MAX);
	unsigned i;

	assert_true(n <= MTRR_MSR_LIST_MAX);
	for (i = c->vcnt; i < NVAR; i++) {
		out[n++] = 0x200 + 2 * i;
		out[n++] = 0x201 + 2 * i;
	}
	if (c->vendor != MTRR_VENDOR_AMD)
		for (i = 0; i < NAMD; i++)
			out[n++] = amd_msrs[i];
	if (!c->fixed)
		for (i = 0; i < NFIXED; i++)
			out[n++] = fixed_msrs[i];
	if (!c->smrr) {
		out[n++] = 0x1F2;
		out[n++] = 0x1F3;
	}
	return n;
}

/* ------------------------------------------------------------------------ */
/* States                                                                   */
/* ------------------------------------------------------------------------ */

static void
wr(struct mtrr_state *s, uint32_t msr, uint64_t v)
{
	mtrr_status st = mtrr_wrmsr(s, msr, v);

	if (st != MTRR_OK) {
		print_error("wrmsr(%#x, %#" PRIx64 ") = %s\n", msr, v, mtrr_status_str(st));
		fail();
	}
}

/*
 * Every register the caps have holds a legal, mostly non-zero value; the
 * MTRRs and the fixed ranges are enabled, so the reference reads DEF_TYPE,
 * the fixed bytes below 1 MiB and every pair above it.  Pair n covers the
 * 16 MiB block at (n + 1) * 16 MiB.  On AMD the fixed bytes carry RdMem and
 * WrMem, hidden at the end (MtrrFixDramModEn clear), and SYSCFG has
 * MtrrTom2En and Tom2ForceMemTypeWB, so the reference reads TOP_MEM2 too.
 */
static void
good_state(struct mtrr_state *s, const struct mtrr_caps *c)
{
	static const uint64_t types[] = { 6, 4, 0, 5, 1 };
	unsigned nt = c->wc ? 5 : 4, i, b;

	assert_int_equal(mtrr_state_init(s, c), MTRR_OK);
	for (i = 0; i < c->vcnt; i++) {
		wr(s, 0x200 + 2 * i, ((uint64_t)(i + 1) << 24) | types[i % nt]);
		wr(s, 0x201 + 2 * i, bits(24, c->phys_bits - 1) | (1ull << 11));
	}
	if (c->vendor == MTRR_VENDOR_AMD) {
		wr(s, 0xC0010010u, 1ull << 19);         /* MtrrFixDramModEn */
		wr(s, 0xC0010016u, 0xA0000000ull | (1ull << 4));
		wr(s, 0xC0010017u, bits(28, c->phys_bits - 1) | (1ull << 11));
		wr(s, 0xC0010018u, 0x1000ull | (1ull << 3));
		wr(s, 0xC0010019u, bits(12, c->phys_bits - 1));
		wr(s, 0xC001001Au, 0x80000000ull);
		wr(s, 0xC001001Du, 1ull << (c->phys_bits - 1));
	}
	if (c->fixed)
		for (i = 0; i < NFIXED; i++) {
			uint64_t v = 0;

			for (b = 0; b < 8; b++)
				v |= types[(i + b) % nt] << (8 * b);
			if (c->vendor == MTRR_VENDOR_AMD)
				v |= 0x1810080018100800ull;     /* RdMem/WrMem */
			wr(s, fixed_msrs[i], v);
		}
	/* MtrrFixDramEn, MtrrVarDramEn, MtrrTom2En, Tom2ForceMemTypeWB, SMEE */
	if (c->vendor == MTRR_VENDOR_AMD)
		wr(s, 0xC0010010u, 0xF40000ull);
	if (c->smrr) {
		wr(s, 0x1F2, 0x7FF00006ull);
		wr(s, 0x1F3, 0xFFF00800ull);
	}
	wr(s, 0x2FF, 0xC06);
}

/* The caps the tests sweep: each MAXPHYADDR and VCNT with each flag mix. */
static const unsigned sweep_pbs[] = { 32, 36, 46, 52 };
static const unsigned sweep_vcnts[] = { 0, 1, 8, 40 };
#define SWEEP_FLAGS 9           /* fixed x wc x smrr on Intel, and AMD */

static struct mtrr_caps
sweep_caps(unsigned pb, unsigned vcnt, unsigned flags)
{
	if (flags == 8)
		return caps_of(vcnt, true, true, false, pb, MTRR_VENDOR_AMD);
	return caps_of(vcnt, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, pb,
		       MTRR_VENDOR_INTEL);
}

/* Calls fn(good state) for every caps of the sweep. */
static void
sweep(void (*fn)(const struct mtrr_state *good))
{
	struct mtrr_state s;
	struct mtrr_caps c;
	size_t p, v;
	unsigned f;

	for (p = 0; p < sizeof(sweep_pbs) / sizeof(sweep_pbs[0]); p++)
		for (v = 0; v < sizeof(sweep_vcnts) / sizeof(sweep_vcnts[0]); v++)
			for (f = 0; f < SWEEP_FLAGS; f++) {
				c = sweep_caps(sweep_pbs[p], sweep_vcnts[v], f);
				good_state(&s, &c);
				fn(&s);
			}
}

/* ------------------------------------------------------------------------ */
/* One corruption, every reader                                             */
/* ------------------------------------------------------------------------ */

static unsigned long refused_count;

static void
report(const struct mtrr_state *s, uint32_t msr, uint64_t v, const char *what)
{
	const struct mtrr_caps *c = &s->caps;

	print_error("caps{vcnt %u fixed %d wc %d smrr %d phys_bits %u vendor %d}, image of "
		    "%#x = %#" PRIx64 ": %s\n", c->vcnt, c->fixed, c->wc, c->smrr,
		    c->phys_bits, (int)c->vendor, (unsigned)msr, v, what);
	fail();
}

#define EXPECT(cond) do { if (!(cond)) report(good, msr, v, #cond); } while (0)

/*
 * Stores `v` straight into the image of `msr` in a copy of `good`, and
 * expects every reader to refuse it.  `byte` is the fixed-range byte the
 * corruption sits in (the reference reads only that one), else -1.
 */
static void
expect_refused(const struct mtrr_state *good, uint32_t msr, uint64_t v, int byte)
{
	const struct mtrr_caps *c = &good->caps;
	struct reg r = reg_of(msr);
	uint64_t top = (1ull << c->phys_bits) - 1;
	uint64_t far[4], rd = SENTINEL;
	unsigned char buf[SAVE_MAX], blank[SAVE_MAX];
	struct mtrr_state bad, probe;
	uint32_t bad_msr = 0xDEAD;
	size_t i;

	far[0] = 0xC0000;
	far[1] = MIB;
	far[2] = 0x1000000;             /* pair 0's block */
	far[3] = top;

	/* It is a corruption: the oracle and mtrr_wrmsr both refuse it. */
	EXPECT(!value_ok(c, r, v));
	memcpy(&probe, good, sizeof(probe));
	EXPECT(mtrr_wrmsr(&probe, msr, v) != MTRR_OK);
	EXPECT(memcmp(&probe, good, sizeof(probe)) == 0);

	memcpy(&bad, good, sizeof(bad));
	*image(&bad, r) = v;
	refused_count++;

	EXPECT(mtrr_state_check(&bad, &bad_msr) == MTRR_E_INVALID_ARG);
	EXPECT(bad_msr == msr);
	EXPECT(mtrr_state_check(&bad, NULL) == MTRR_E_INVALID_ARG);
	EXPECT(!mtrr__state_images_ok(&bad));

	memset(buf, PATTERN, sizeof(buf));
	memset(blank, PATTERN, sizeof(blank));
	EXPECT(mtrr_state_save(&bad, buf, sizeof(buf)) == 0);
	EXPECT(memcmp(buf, blank, sizeof(buf)) == 0);
	EXPECT(mtrr_state_save(&bad, NULL, 0) == 0);

	/* An AMD index on Intel caps is no MTRR, whatever its image holds. */
	EXPECT(mtrr_rdmsr(&bad, msr, &rd) == (amd_kind(r.kind) && !present(c, r) ?
					      MTRR_E_NOT_MTRR : MTRR_E_INVALID_ARG));
	EXPECT(rd == SENTINEL);
	if (msr != 0x2FF) {             /* the other images still read */
		EXPECT(mtrr_rdmsr(&bad, 0x2FF, &rd) == MTRR_OK);
		EXPECT(rd == good->def_type);
	}

	/*
	 * mtrr_route (AMD): INVALID wherever it reads the register: TOP_MEM,
	 * TOP_MEM2 and the IORRs everywhere, a fixed byte (MtrrFixDramEn is
	 * set) where it routes.  Nothing else changes its answers.
	 */
	if (present(c, r) && amd_kind(r.kind)) {
		for (i = 0; i < 4; i++)
			EXPECT(mtrr_route(&bad, far[i], i % 2 != 0) == MTRR_DEST_INVALID);
	} else if (present(c, r) && r.kind == K_FIX && c->vendor == MTRR_VENDOR_AMD) {
		EXPECT(mtrr_route(&bad, fixed_addr(r.n, (unsigned)byte), true) ==
		       MTRR_DEST_INVALID);
		EXPECT(mtrr_route(&bad, MIB, true) == mtrr_route(good, MIB, true));
	} else {
		for (i = 0; i < 4; i++)
			EXPECT(mtrr_route(&bad, far[i], false) == mtrr_route(good, far[i], false));
	}

	/* The reference: INVALID wherever it reads the register. */
	if (!present(c, r) || r.kind == K_SBASE || r.kind == K_SMASK || r.kind == K_TOP ||
	    r.kind == K_IBASE || r.kind == K_IMASK) {
		/* Never read: absent registers, SMRR (SMM only), routing only. */
		for (i = 0; i < 4; i++)
			EXPECT(mtrr_ref_lookup(&bad, far[i]) == mtrr_ref_lookup(good, far[i]));
	} else if (r.kind == K_TOP2) {
		/* Read for the default type above 4 GiB (Tom2ForceMemTypeWB is on). */
		for (i = 0; i < 4; i++)
			EXPECT(mtrr_ref_lookup(&bad, far[i]) == (far[i] >> 32 ?
			       MTRR_TYPE_INVALID : mtrr_ref_lookup(good, far[i])));
	} else if (r.kind == K_FIX) {
		uint64_t a;

		EXPECT(byte >= 0 && byte < 8);
		a = fixed_addr(r.n, (unsigned)byte);
		EXPECT(mtrr_ref_lookup(good, a) != MTRR_TYPE_INVALID);
		EXPECT(mtrr_ref_lookup(&bad, a) == MTRR_TYPE_INVALID);
		EXPECT(mtrr_ref_lookup(&bad, a + 0xFFF) == MTRR_TYPE_INVALID);
	} else {
		/* DEF_TYPE: always read; a pair: read above 1 MiB. */
		for (i = 1; i < 4; i++) {
			EXPECT(mtrr_ref_lookup(good, far[i]) != MTRR_TYPE_INVALID);
			EXPECT(mtrr_ref_lookup(&bad, far[i]) == MTRR_TYPE_INVALID);
		}
		if (r.kind == K_DEF)
			EXPECT(mtrr_ref_lookup(&bad, 0) == MTRR_TYPE_INVALID);
	}
}

#undef EXPECT

/* Each reserved bit on top of the good value; each invalid type value. */
static void
corrupt_register(const struct mtrr_state *good, uint32_t msr)
{
	const struct mtrr_caps *c = &good->caps;
	struct reg r = reg_of(msr);
	uint64_t v = image_val(good, r);
	uint64_t legal = legal_bits(c, r.kind);
	unsigned b, t;

	assert_true(present(c, r));
	assert_true(value_ok(c, r, v));
	for (b = 0; b < 64; b++)
		if (!(legal & (1ull << b)))
			expect_refused(good, msr, v | (1ull << b),
				       r.kind == K_FIX ? (int)(b / 8) : -1);
	if (has_type(r.kind))
		for (t = 0; t < 256; t++)
			if (!type_valid(t, c->wc))
				expect_refused(good, msr, (v & ~0xFFull) | t, -1);
	expect_refused(good, msr, ~0ull, r.kind == K_FIX ? 0 : -1);
}

/* ------------------------------------------------------------------------ */
/* Each register kind                                                       */
/* ------------------------------------------------------------------------ */

static void
def_type_case(const struct mtrr_state *good)
{
	corrupt_register(good, 0x2FF);
}

static void
test_def_type(void **state)
{
	(void)state;
	refused_count = 0;
	sweep(def_type_case);
	print_message("def_type: %lu corruptions refused\n", refused_count);
	assert_true(refused_count > 0);
}

static void
pairs_case(const struct mtrr_state *good)
{
	unsigned last = good->caps.vcnt - 1;

	if (good->caps.vcnt == 0)
		return;
	corrupt_register(good, 0x200);
	corrupt_register(good, 0x201);
	corrupt_register(good, 0x200 + 2 * last);
	corrupt_register(good, 0x201 + 2 * last);
}

static void
test_pairs(void **state)
{
	(void)state;
	refused_count = 0;
	sweep(pairs_case);
	print_message("pairs: %lu corruptions refused\n", refused_count);
	assert_true(refused_count > 0);
}

/*
 * Fixed MSRs have no reserved bits on Intel (bits 7:5 of each byte on AMD):
 * each byte of each MSR gets the usual bad values (WC too without the cap),
 * and a few bytes every value.  0x1E is one only on Intel.
 */
static void
fixed_case(const struct mtrr_state *good)
{
	static const unsigned bad[] = { 2, 3, 7, 8, 0x1A, 0x1E, 0x20, 0x80, 0xFF };
	const struct mtrr_caps *c = &good->caps;
	unsigned i, b, t;
	size_t k;

	if (!c->fixed)
		return;
	for (i = 0; i < NFIXED; i++) {
		uint64_t v = good->fixed[i];
		struct reg r = reg_of(fixed_msrs[i]);

		for (b = 0; b < 8; b++) {
			uint64_t hole = v & ~(0xFFull << (8 * b)), w;

			for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
				w = hole | ((uint64_t)bad[k] << (8 * b));
				if (!value_ok(c, r, w))
					expect_refused(good, fixed_msrs[i], w, (int)b);
			}
			if (!c->wc)
				expect_refused(good, fixed_msrs[i], hole | (1ull << (8 * b)),
					       (int)b);
		}
		if (i % 4 != 0)         /* 0x250, 0x269, 0x26D */
			continue;
		b = (i / 4) * 3 + 1;    /* bytes 1, 4, 7 */
		for (t = 0; t < 256; t++) {
			uint64_t w = (v & ~(0xFFull << (8 * b))) | ((uint64_t)t << (8 * b));

			if (!value_ok(c, r, w))
				expect_refused(good, fixed_msrs[i], w, (int)b);
		}
	}
	corrupt_register(good, fixed_msrs[0]);
}

/* AMD: each reserved bit of TOP_MEM, TOP_MEM2 and the IORRs; SYSCFG has none. */
static void
amd_case(const struct mtrr_state *good)
{
	unsigned i;

	if (good->caps.vendor != MTRR_VENDOR_AMD)
		return;
	for (i = 0; i < NAMD - 1; i++)
		corrupt_register(good, amd_msrs[i]);
	assert_int_equal(legal_bits(&good->caps, K_SYSCFG), ~0ull);
}

static void
test_amd(void **state)
{
	(void)state;
	refused_count = 0;
	sweep(amd_case);
	print_message("amd: %lu corruptions refused\n", refused_count);
	assert_true(refused_count > 0);
}

static void
test_fixed(void **state)
{
	(void)state;
	refused_count = 0;
	sweep(fixed_case);
	print_message("fixed: %lu corruptions refused\n", refused_count);
	assert_true(refused_count > 0);
}

static void
smrr_case(const struct mtrr_state *good)
{
	if (!good->caps.smrr)
		return;
	corrupt_register(good, 0x1F2);
	corrupt_register(good, 0x1F3);
}

static void
test_smrr(void **state)
{
	(void)state;
	refused_count = 0;
	sweep(smrr_case);
	print_message("smrr: %lu corruptions refused\n", refused_count);
	assert_true(refused_count > 0);
}

/* A register the caps lack: any non-zero image is a corruption. */
static void
corrupt_absent(const struct mtrr_state *good, uint32_t msr)
{
	unsigned b;

	assert_true(!present(&good->caps, reg_of(msr)));
	assert_int_equal(image_val(good, reg_of(msr)), 0);
	for (b = 0; b < 64; b++)
		expect_refused(good, msr, 1ull << b, -1);
	expect_refused(good, msr, 6, -1);       /* a legal value, where no register is */
	expect_refused(good, msr, ~0ull, -1);
}

static void
absent_case(const struct mtrr_state *good)
{
	const struct mtrr_caps *c = &good->caps;
	unsigned i;

	if (c->vcnt < NVAR) {
		corrupt_absent(good, 0x200 + 2 * c->vcnt);
		corrupt_absent(good, 0x201 + 2 * c->vcnt);
		corrupt_absent(good, 0x200 + 2 * (NVAR - 1));
		corrupt_absent(good, 0x201 + 2 * (NVAR - 1));
	}
	if (!c->fixed)
		for (i = 0; i < NFIXED; i++)
			corrupt_absent(good, fixed_msrs[i]);
	if (!c->smrr) {
		corrupt_absent(good, 0x1F2);
		corrupt_absent(good, 0x1F3);
	}
	if (c->vendor != MTRR_VENDOR_AMD)
		for (i = 0; i < NAMD; i++)
			corrupt_absent(good, amd_msrs[i]);
}

static void
test_absent(void **state)
{
	(void)state;
	refused_count = 0;
	sweep(absent_case);
	print_message("absent: %lu corruptions refused\n", refused_count);
	assert_true(refused_count > 0);
}

/* Every good state of the sweep passes. */
static void
good_case(const struct mtrr_state *good)
{
	uint32_t bad_msr = 0xDEAD;

	assert_int_equal(mtrr_state_check(good, &bad_msr), MTRR_OK);
	assert_int_equal(bad_msr, 0xDEAD);
	assert_true(mtrr__state_images_ok(good));
	assert_true(mtrr_state_save(good, NULL, 0) > 0);
}

static void
test_good_states_pass(void **state)
{
	(void)state;
	sweep(good_case);
}

/* ------------------------------------------------------------------------ */
/* The issue's case, NULL and bad caps, order                               */
/* ------------------------------------------------------------------------ */

/*
 * PHYSBASE type 0xFF stored directly: the type is used as a shift count
 * (1 << type) by a resolver that trusts the image.
 */
static void
test_physbase_type_ff(void **state)
{
	struct mtrr_caps c = caps_of(8, true, true, false, 36, MTRR_VENDOR_INTEL);
	struct mtrr_state s;
	unsigned char buf[SAVE_MAX], blank[SAVE_MAX];
	uint32_t bad_msr = 0;
	uint64_t v = SENTINEL;

	(void)state;
	good_state(&s, &c);
	assert_int_equal(mtrr_ref_lookup(&s, 0x1000000), MTRR_TYPE_WB);
	s.var[0].base = 0x1000000 | 0xFF;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_PHYSBASE(0));
	assert_int_equal(mtrr_ref_lookup(&s, 0x1000000), MTRR_TYPE_INVALID);
	assert_int_equal(mtrr_ref_lookup(&s, 0x1000000ull * 3), MTRR_TYPE_INVALID);
	assert_int_equal(mtrr_rdmsr(&s, MTRR_MSR_PHYSBASE(0), &v), MTRR_E_INVALID_ARG);
	assert_int_equal(v, SENTINEL);
	memset(buf, PATTERN, sizeof(buf));
	memset(blank, PATTERN, sizeof(blank));
	assert_int_equal(mtrr_state_save(&s, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, blank, sizeof(buf));
	/* Below 1 MiB the fixed ranges decide: pair 0 is not read there. */
	assert_int_not_equal(mtrr_ref_lookup(&s, 0), MTRR_TYPE_INVALID);
	/* The same in an invalid pair (V clear) still is a corrupted image. */
	s.var[0].mask &= ~MTRR_PHYSMASK_V;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_PHYSBASE(0));
	assert_int_equal(mtrr_ref_lookup(&s, 0x1000000ull * 3), MTRR_TYPE_INVALID);
}

static void
test_null_and_bad_caps(void **state)
{
	struct mtrr_caps c = caps_of(8, true, true, true, 36, MTRR_VENDOR_INTEL);
	struct mtrr_state s;
	uint32_t bad_msr = 0xDEAD;

	(void)state;
	assert_int_equal(mtrr_state_check(NULL, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, 0);
	assert_int_equal(mtrr_state_check(NULL, NULL), MTRR_E_INVALID_ARG);

	good_state(&s, &c);
	assert_int_equal(mtrr_state_check(&s, NULL), MTRR_OK);
	s.caps.phys_bits = 53;
	bad_msr = 0xDEAD;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, 0);
	s.caps.phys_bits = 36;
	s.caps.vcnt = NVAR + 1;
	bad_msr = 0xDEAD;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, 0);
	s.caps.vcnt = 8;
	s.caps.vendor = MTRR_VENDOR_AMD;        /* SMRR on AMD: refused caps */
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, 0);
	s.caps.vendor = MTRR_VENDOR_INTEL;
	bad_msr = 0xDEAD;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_OK);
	assert_int_equal(bad_msr, 0xDEAD);
}

/* Legal values that look odd: FE without fixed ranges, WC with the cap, zero. */
static void
test_legal_corner_values(void **state)
{
	struct mtrr_caps c = caps_of(2, false, true, false, 52, MTRR_VENDOR_AMD);
	struct mtrr_state s;
	uint64_t v = 0;

	(void)state;
	good_state(&s, &c);
	s.def_type = MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WC;
	s.var[1].base = bits(12, 51) | MTRR_TYPE_WC;
	s.var[1].mask = bits(11, 51);
	s.var[0].base = 0;
	s.var[0].mask = 0;
	assert_int_equal(mtrr_state_check(&s, NULL), MTRR_OK);
	assert_true(mtrr__state_images_ok(&s));
	assert_int_equal(mtrr_rdmsr(&s, MTRR_MSR_DEF_TYPE, &v), MTRR_OK);
	assert_int_equal(v, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WC);
	assert_int_equal(mtrr_ref_lookup(&s, 0), MTRR_TYPE_WC);
	assert_int_equal(mtrr_ref_lookup(&s, bits(12, 51)), MTRR_TYPE_WC);
	/* Absent register reads stay MTRR_E_ABSENT while their images are zero. */
	assert_int_equal(mtrr_rdmsr(&s, MTRR_MSR_PHYSBASE(2), &v), MTRR_E_ABSENT);
	assert_int_equal(mtrr_rdmsr(&s, MTRR_MSR_FIX64K_00000, &v), MTRR_E_ABSENT);
	assert_int_equal(mtrr_rdmsr(&s, MTRR_MSR_SMRR_PHYSMASK, &v), MTRR_E_ABSENT);
	/* The same WC values without the cap are corruptions. */
	s.caps.wc = false;
	assert_int_equal(mtrr_state_check(&s, NULL), MTRR_E_INVALID_ARG);

	/*
	 * AMD: RdMem/WrMem in every fixed byte, hidden or not, any SYSCFG, an
	 * IORR with a non-contiguous mask, TOP_MEM2 below TOP_MEM.
	 */
	c = caps_of(0, true, false, false, 32, MTRR_VENDOR_AMD);
	good_state(&s, &c);
	memset(s.fixed, 0x18, sizeof(s.fixed));
	s.syscfg = 0;
	s.iorr[0].base = bits(12, 31) | 0x18;
	s.iorr[0].mask = 0xF0F0F000ull | (1ull << 11);
	s.top_mem = bits(23, 31);
	s.top_mem2 = 1ull << 23;
	assert_int_equal(mtrr_state_check(&s, NULL), MTRR_OK);
	assert_true(mtrr__state_images_ok(&s));
	assert_int_equal(mtrr_rdmsr(&s, MTRR_MSR_FIX64K_00000, &v), MTRR_OK);
	assert_int_equal(v, 0);
	s.syscfg = ~0ull;
	assert_int_equal(mtrr_state_check(&s, NULL), MTRR_OK);
	assert_int_equal(mtrr_rdmsr(&s, MTRR_MSR_FIX64K_00000, &v), MTRR_OK);
	assert_int_equal(v, 0x1818181818181818ull);
	s.fixed[4] = 0x2020202020202020ull;     /* bit 5 of each byte: reserved */
	assert_int_equal(mtrr_state_check(&s, NULL), MTRR_E_INVALID_ARG);
}

/* Two or more bad images: the first in the documented order is named. */
static void
test_first_bad_in_order(void **state)
{
	struct mtrr_caps c = caps_of(8, false, false, false, 36, MTRR_VENDOR_INTEL);
	struct mtrr_state s;
	uint32_t bad_msr = 0;

	(void)state;
	good_state(&s, &c);
	s.def_type |= 1ull << 9;
	s.var[7].mask |= 1;
	s.var[9].base = 1;                      /* absent pair */
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_PHYSMASK(7));
	s.var[7].mask &= ~1ull;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_DEF_TYPE);   /* present before absent */
	s.def_type &= ~(1ull << 9);
	s.fixed[0] = 6;                         /* absent fixed, after absent pairs */
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_PHYSBASE(9));
	s.var[9].base = 0;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_FIX64K_00000);
	s.fixed[0] = 0;
	s.smrr_mask = 1ull << 11;               /* absent SMRR, last */
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_SMRR_PHYSMASK);
	s.syscfg = 1ull << 20;                  /* Intel: absent AMD, before fixed */
	s.fixed[3] = 6;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_SYSCFG);
	s.top_mem2 = 1ull << 32;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_TOP_MEM2);
	s.iorr[1].mask = 1;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_IORR_MASK(1));
	s.iorr[1].mask = s.top_mem2 = s.syscfg = 0;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_FIX4K_C0000);
	s.fixed[3] = s.smrr_mask = 0;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_OK);

	/* AMD: pairs, then the IORRs, TOP_MEM, TOP_MEM2, then the fixed MSRs. */
	c = caps_of(2, true, false, false, 36, MTRR_VENDOR_AMD);
	good_state(&s, &c);
	s.fixed[10] |= 0x80;
	s.top_mem |= 1;
	s.iorr[1].base |= 1ull << 36;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_IORR_BASE(1));
	s.iorr[1].base &= ~(1ull << 36);
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_TOP_MEM);
	s.top_mem &= ~1ull;
	s.var[1].mask |= 1;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_PHYSMASK(1));
	s.var[1].mask &= ~1ull;
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
	assert_int_equal(bad_msr, MTRR_MSR_FIX4K_F8000);
	s.fixed[10] &= ~0x80ull;
	s.syscfg = ~0ull;                       /* any SYSCFG */
	assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_OK);
}

/* ------------------------------------------------------------------------ */
/* Randomized                                                               */
/* ------------------------------------------------------------------------ */

static uint64_t rng;

/* splitmix64: reproducible from the seed. */
static uint64_t
rnd(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static unsigned
rnd_below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static void
seed_rng(uint64_t salt)
{
	const char *e = getenv("MTRR_TEST_SEED");

	rng = (e != NULL ? strtoull(e, NULL, 0) : 0x636865636B2D6D74ull) ^ salt;
}

static struct mtrr_caps
rnd_caps(void)
{
	bool amd = rnd_below(4) == 0;

	return caps_of(rnd_below(2) ? sweep_vcnts[rnd_below(4)] : rnd_below(NVAR + 1),
		       rnd_below(4) != 0, rnd_below(2) != 0, !amd && rnd_below(2) != 0,
		       rnd_below(2) ? sweep_pbs[rnd_below(4)] : 32 + rnd_below(21),
		       amd ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL);
}

/* A type: mostly valid ones (WC among them), sometimes anything. */
static uint64_t
rnd_type(void)
{
	static const uint8_t some[] = { 0, 1, 4, 5, 6, 0, 1, 4, 5, 6, 2, 3, 7, 8, 0x1E, 0xFF };
	unsigned k = rnd_below(20);

	return k < 16 ? some[k] : rnd() & 0xFF;
}

/* A value shaped for the register, sometimes with one bit flipped. */
static uint64_t
rnd_value(const struct mtrr_caps *c, uint32_t msr)
{
	static const uint64_t valid[] = { 0, 1, 4, 5, 6 };
	uint64_t addr = rnd() & bits(12, c->phys_bits - 1), v = 0;
	bool clean;
	unsigned i;

	switch (reg_of(msr).kind) {
	case K_DEF: v = rnd_type() | (rnd() & 0xC00); break;
	case K_BASE: v = rnd_type() | addr; break;
	case K_MASK: v = addr | (rnd() & 0x800); break;
	case K_SBASE: v = rnd_type() | (rnd() & 0xFFFFF000ull); break;
	case K_SMASK: v = rnd() & 0xFFFFF800ull; break;
	case K_SYSCFG: v = rnd(); break;
	case K_TOP: case K_TOP2: v = addr & bits(23, 63); break;
	case K_IBASE: v = addr | (rnd() & 0x18); break;
	case K_IMASK: v = addr | (rnd() & 0x800); break;
	default:                /* half the words of valid types only */
		clean = rnd_below(2) != 0;
		for (i = 0; i < 8; i++)
			v |= (clean ? valid[rnd_below(5)] : rnd_type()) << (8 * i);
		break;
	}
	switch (rnd_below(8)) {
	case 0: return v ^ (1ull << rnd_below(64));
	case 1: return 0;
	case 2: return rnd();
	default: return v;
	}
}

/* Any register the struct has an image of. */
static uint32_t
rnd_msr(void)
{
	unsigned k = rnd_below(ALL_REGS);

	if (k < 2 * NVAR)
		return 0x200 + k;
	k -= 2 * NVAR;
	if (k < NFIXED)
		return fixed_msrs[k];
	k -= NFIXED;
	if (k < NAMD)
		return amd_msrs[k];
	k -= NAMD;
	return k == 0 ? 0x1F2 : k == 1 ? 0x1F3 : 0x2FF;
}

/* A state from random writes through mtrr_wrmsr (most accepted). */
static void
rnd_state(struct mtrr_state *s, const struct mtrr_caps *c, unsigned writes)
{
	unsigned i;

	assert_int_equal(mtrr_state_init(s, c), MTRR_OK);
	for (i = 0; i < writes; i++) {
		uint32_t msr = rnd_msr();

		(void)mtrr_wrmsr(s, msr, rnd_value(c, msr));
	}
}

/*
 * Whatever mtrr_wrmsr accepted, in any sequence, passes the check: after
 * every write, with `bad_msr` untouched, and it saves and reads back.
 */
static void
test_wrmsr_states_pass(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;
	uint32_t list[MTRR_MSR_LIST_MAX], bad_msr;
	unsigned long accepted = 0, writes = 0;
	unsigned ci, op;
	size_t n, i;
	uint64_t v;

	(void)state;
	seed_rng(1);
	for (ci = 0; ci < 300; ci++) {
		c = rnd_caps();
		memset(&s, (int)rnd_below(256), sizeof(s));
		assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
		for (op = 0; op < 200; op++) {
			uint32_t msr = rnd_msr();

			writes++;
			if (mtrr_wrmsr(&s, msr, rnd_value(&c, msr)) == MTRR_OK)
				accepted++;
			bad_msr = 0xDEAD;
			if (mtrr_state_check(&s, &bad_msr) != MTRR_OK || bad_msr != 0xDEAD) {
				print_error("legal state refused, bad_msr %#x\n", bad_msr);
				fail();
			}
			assert_true(mtrr__state_images_ok(&s));
		}
		assert_true(mtrr_state_save(&s, NULL, 0) > 0);
		n = mtrr_msr_list(&c, list, MTRR_MSR_LIST_MAX);
		for (i = 0; i < n; i++)
			assert_int_equal(mtrr_rdmsr(&s, list[i], &v), MTRR_OK);
		assert_int_not_equal(mtrr_ref_lookup(&s, MIB), MTRR_TYPE_INVALID);
	}
	print_message("wrmsr states: %lu writes, %lu accepted\n", writes, accepted);
	assert_true(accepted > writes / 5);
}

/*
 * One random image replaced by a random value in a legal state: the check's
 * verdict is mtrr__check_write's for a present register and "zero" for an
 * absent one, the fast pass agrees, and a refusal names that register.
 */
static void
test_random_corruption(void **state)
{
	struct mtrr_state s, bad;
	struct mtrr_caps c;
	unsigned long good_n = 0, bad_n = 0, absent_n = 0;
	unsigned it;

	(void)state;
	seed_rng(2);
	memset(&c, 0, sizeof(c));
	for (it = 0; it < 200000; it++) {
		uint32_t msr = rnd_msr(), bad_msr = 0xDEAD;
		struct reg r = reg_of(msr);
		uint64_t v, rd = SENTINEL;
		bool want;
		mtrr_status st, rst;

		if (it % 100 == 0) {
			c = rnd_caps();
			rnd_state(&s, &c, 150);
			assert_int_equal(mtrr_state_check(&s, NULL), MTRR_OK);
		}
		v = rnd_value(&c, msr);
		if (present(&c, r)) {
			want = mtrr__check_write(&c, msr, v) == MTRR_OK;
			/* The oracle and the validator agree on what is legal. */
			assert_int_equal(want, value_ok(&c, r, v));
		} else {
			want = v == 0;
			absent_n++;
		}
		memcpy(&bad, &s, sizeof(bad));
		*image(&bad, r) = v;
		st = mtrr_state_check(&bad, &bad_msr);
		rst = mtrr_rdmsr(&bad, msr, &rd);
		if (st != (want ? MTRR_OK : MTRR_E_INVALID_ARG) ||
		    bad_msr != (want ? 0xDEAD : msr) || mtrr__state_images_ok(&bad) != want ||
		    (mtrr_state_save(&bad, NULL, 0) > 0) != want ||
		    (amd_kind(r.kind) && !present(&c, r) ? rst != MTRR_E_NOT_MTRR :
		     (rst == MTRR_E_INVALID_ARG) == want)) {
			print_error("it %u: caps{vcnt %u fixed %d wc %d smrr %d pb %u}, image of "
				    "%#x = %#" PRIx64 ": want %s, check %s (bad_msr %#x), "
				    "rdmsr %s\n", it, c.vcnt, c.fixed, c.wc, c.smrr, c.phys_bits,
				    msr, v, want ? "ok" : "refused", mtrr_status_str(st), bad_msr,
				    mtrr_status_str(rst));
			fail();
		}
		/* RDMSR hides an AMD fixed MSR's RdMem/WrMem without MtrrFixDramModEn. */
		if (want && present(&c, r))
			assert_int_equal(rd, r.kind == K_FIX && c.vendor == MTRR_VENDOR_AMD &&
					 !(bad.syscfg & (1ull << 19)) ? v & ~0x1818181818181818ull : v);
		if (want)
			good_n++;
		else
			bad_n++;
	}
	print_message("random corruption: %lu accepted, %lu refused, %lu absent\n",
		      good_n, bad_n, absent_n);
	/* Both verdicts, for present and absent registers, must be common. */
	assert_true(good_n > it / 5 && bad_n > it / 5 && absent_n > it / 10);
}

/*
 * Several bad images at once: the one named is the first of them in
 * check_order (mtrr_msr_list's order, then the absent registers).
 */
static void
test_random_first_bad(void **state)
{
	uint32_t order[ORDER_MAX];
	struct mtrr_state s;
	struct mtrr_caps c;
	unsigned it, k, nbad;
	size_t n, i;

	(void)state;
	seed_rng(3);
	for (it = 0; it < 5000; it++) {
		bool hit[ORDER_MAX];
		uint32_t bad_msr = 0, want = 0;

		c = rnd_caps();
		rnd_state(&s, &c, 100);
		n = check_order(&c, order);
		assert_int_equal(n, ALL_REGS);
		memset(hit, 0, sizeof(hit));
		nbad = 1 + rnd_below(4);
		for (k = 0; k < nbad; k++) {
			size_t at = rnd_below((unsigned)n);
			struct reg r = reg_of(order[at]);
			uint64_t v;

			if (r.kind == K_SYSCFG && present(&c, r)) {
				k--;            /* every value is a good one: again */
				continue;
			}

			do
				v = rnd_value(&c, order[at]);
			while (value_ok(&c, r, v) || (!present(&c, r) && v == 0));
			*image(&s, r) = v;
			hit[at] = true;
		}
		for (i = 0; i < n && want == 0; i++)
			if (hit[i])
				want = order[i];
		assert_int_equal(mtrr_state_check(&s, &bad_msr), MTRR_E_INVALID_ARG);
		if (bad_msr != want) {
			print_error("it %u: caps{vcnt %u fixed %d smrr %d}: named %#x, want %#x\n",
				    it, c.vcnt, c.fixed, c.smrr, bad_msr, want);
			fail();
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_states_pass),
		cmocka_unit_test(test_def_type),
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_smrr),
		cmocka_unit_test(test_amd),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_physbase_type_ff),
		cmocka_unit_test(test_null_and_bad_caps),
		cmocka_unit_test(test_legal_corner_values),
		cmocka_unit_test(test_first_bad_in_order),
		cmocka_unit_test(test_wrmsr_states_pass),
		cmocka_unit_test(test_random_corruption),
		cmocka_unit_test(test_random_first_bad),
	};

	return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
