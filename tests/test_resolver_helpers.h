/*
 * test_resolver_helpers.h — what test_ref.c and test_map.c share.
 *
 * States are built only through mtrr_state_init and mtrr_wrmsr, and every
 * write must return MTRR_OK, so a test never looks at a state the library
 * would not accept.  The resolution cases below (the SDM's "MTRR Precedences",
 * address limits, non-contiguous masks, ...) are written once and run through
 * both resolvers: the file that includes this header defines rt_expect(), the
 * one place that asks its resolver for the type of an address.
 *
 * Every expected type is worked out by hand from the SDM rules and written
 * as a constant; none comes from the code under test.
 */
#ifndef TEST_RESOLVER_HELPERS_H
#define TEST_RESOLVER_HELPERS_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mtrr.h"
#include "sdm_example.h"
#include "test_util.h"

#define KIB 0x400ull
#define MIB 0x100000ull
#define GIB 0x40000000ull

#define UC MTRR_TYPE_UC
#define WC MTRR_TYPE_WC
#define WT MTRR_TYPE_WT
#define WP MTRR_TYPE_WP
#define WB MTRR_TYPE_WB
#define MIXED MTRR_TYPE_MIXED
#define INVALID MTRR_TYPE_INVALID

/* The fixed-range MSRs in struct mtrr_state order. */
static const uint32_t rt_fixed_msr[MTRR_FIXED_MSRS] = {
	MTRR_MSR_FIX64K_00000, MTRR_MSR_FIX16K_80000, MTRR_MSR_FIX16K_A0000,
	MTRR_MSR_FIX4K_C0000, MTRR_MSR_FIX4K_C8000, MTRR_MSR_FIX4K_D0000,
	MTRR_MSR_FIX4K_D8000, MTRR_MSR_FIX4K_E0000, MTRR_MSR_FIX4K_E8000,
	MTRR_MSR_FIX4K_F0000, MTRR_MSR_FIX4K_F8000,
};

/* Defined by the including file: fail unless its resolver answers `want`. */
static void rt_expect(const struct mtrr_state *s, uint64_t addr, uint8_t want,
		      const char *file, int line);
#define EXPECT(s, addr, want) rt_expect((s), (addr), (uint8_t)(want), __FILE__, __LINE__)

/* Prints a state as the WRMSR sequence that rebuilds it: a reproducer. */
static void
rt_dump(const struct mtrr_state *s)
{
	unsigned i;

	print_error("caps: vcnt=%u fixed=%d wc=%d smrr=%d phys_bits=%u vendor=%d overlap=%d\n",
		    s->caps.vcnt, s->caps.fixed, s->caps.wc, s->caps.smrr,
		    s->caps.phys_bits, (int)s->caps.vendor, (int)s->caps.overlap);
	if (s->caps.fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			print_error("  wrmsr %#x %#018" PRIx64 "\n", rt_fixed_msr[i], s->fixed[i]);
	for (i = 0; i < s->caps.vcnt; i++)
		if (s->var[i].base || s->var[i].mask)
			print_error("  wrmsr %#x %#018" PRIx64 "  wrmsr %#x %#018" PRIx64 "\n",
				    MTRR_MSR_PHYSBASE(i), s->var[i].base,
				    MTRR_MSR_PHYSMASK(i), s->var[i].mask);
	print_error("  wrmsr %#x %#018" PRIx64 "\n", MTRR_MSR_DEF_TYPE, s->def_type);
}

/* Intel caps with fixed ranges and WC, no SMRR, undefined overlaps UC. */
static struct mtrr_caps
rt_caps(unsigned vcnt, unsigned phys_bits)
{
	return caps_of(vcnt, true, true, false, phys_bits, MTRR_VENDOR_INTEL);
}

static void
rt_init(struct mtrr_state *s, const struct mtrr_caps *c)
{
	assert_int_equal(mtrr_state_init(s, c), MTRR_OK);
}

#define WR(s, msr, v) rt_wr((s), (msr), (v), __FILE__, __LINE__)
static void
rt_wr(struct mtrr_state *s, uint32_t msr, uint64_t v, const char *file, int line)
{
	mtrr_status st = mtrr_wrmsr(s, msr, v);

	if (st != MTRR_OK) {
		print_error("%s:%d: wrmsr(%#x, %#" PRIx64 ") = %s, want MTRR_OK\n",
			    file, line, msr, v, mtrr_status_str(st));
		_fail(file, line);
	}
}

/* IA32_MTRR_DEF_TYPE from its fields. */
static uint64_t
rt_def(uint8_t type, bool e, bool fe)
{
	return type | (e ? MTRR_DEF_E : 0) | (fe ? MTRR_DEF_FE : 0);
}

/* A fixed-range MSR value with all eight bytes `type`. */
static uint64_t
rt_fix8(uint8_t type)
{
	return type * 0x0101010101010101ull;
}

static void
rt_fixed_all(struct mtrr_state *s, uint8_t type)
{
	unsigned i;

	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		WR(s, rt_fixed_msr[i], rt_fix8(type));
}

/* Pair n with raw PHYSBASE = base | type and PHYSMASK = mask | V. */
#define PAIR_RAW(s, n, base, mask, type) \
	rt_pair_raw((s), (n), (base), (mask), (uint8_t)(type), __FILE__, __LINE__)
static void
rt_pair_raw(struct mtrr_state *s, unsigned n, uint64_t base, uint64_t mask, uint8_t type,
	    const char *file, int line)
{
	rt_wr(s, MTRR_MSR_PHYSBASE(n), base | type, file, line);
	rt_wr(s, MTRR_MSR_PHYSMASK(n), mask | MTRR_PHYSMASK_V, file, line);
}

/* Pair n covering [start, start + size), size a power of two >= 4 KiB. */
#define PAIR(s, n, start, size, type) \
	rt_pair_raw((s), (n), (start), \
		    MTRR_PHYS_ADDR_MASK((s)->caps.phys_bits) & ~((uint64_t)(size) - 1u), \
		    (uint8_t)(type), __FILE__, __LINE__)

/* Writes a table of MSRs (sdm_example.h). */
static void
rt_load(struct mtrr_state *s, const struct sdm_msr *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		WR(s, w[i].msr, w[i].value);
}

static void
rt_sdm_state(struct mtrr_state *s)
{
	rt_init(s, &sdm_example_caps);
	rt_load(s, sdm_example_msrs, sizeof(sdm_example_msrs) / sizeof(sdm_example_msrs[0]));
}

static void
rt_sdm_literal_state(struct mtrr_state *s)
{
	rt_init(s, &sdm_example_literal_caps);
	rt_load(s, sdm_example_literal,
		sizeof(sdm_example_literal) / sizeof(sdm_example_literal[0]));
}

/* ------------------------------------------------------------------------ */
/* Shared cases                                                             */
/* ------------------------------------------------------------------------ */

static void
test_sdm_example(void **unused)
{
	struct mtrr_state s;
	size_t i;

	(void)unused;
	rt_sdm_state(&s);
	for (i = 0; i < sizeof(sdm_example_points) / sizeof(sdm_example_points[0]); i++)
		EXPECT(&s, sdm_example_points[i].addr, sdm_example_points[i].type);
	/* Both ends of every run of the golden map. */
	for (i = 0; i < sizeof(sdm_example_runs) / sizeof(sdm_example_runs[0]); i++) {
		EXPECT(&s, sdm_example_runs[i].start, sdm_example_runs[i].type);
		EXPECT(&s, sdm_example_runs[i].end - 1, sdm_example_runs[i].type);
	}
}

static void
test_sdm_example_literal(void **unused)
{
	struct mtrr_state s;
	size_t i;

	(void)unused;
	rt_sdm_literal_state(&s);
	for (i = 0; i < sizeof(sdm_example_literal_points) /
			sizeof(sdm_example_literal_points[0]); i++)
		EXPECT(&s, sdm_example_literal_points[i].addr,
		       sdm_example_literal_points[i].type);
	/* The literal PHYSMASK1 (40-bit) is reserved at MAXPHYADDR 36: #GP. */
	rt_init(&s, &sdm_example_caps);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(1), 0x000000FFFE000800ull),
			 MTRR_E_RESERVED_BIT);
}

/* Rule 1: E = 0 is UC everywhere; FE, the fixed bytes and the pairs are ignored. */
static void
test_disabled(void **unused)
{
	struct mtrr_state s;
	struct mtrr_caps c = rt_caps(8, 36);

	(void)unused;
	rt_init(&s, &c);
	EXPECT(&s, 0, UC);                      /* power-on state */
	EXPECT(&s, (1ull << 36) - 1, UC);
	rt_fixed_all(&s, WB);
	PAIR(&s, 0, 0, 64 * GIB, WB);           /* everything WB if enabled */
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, false, true));
	EXPECT(&s, 0, UC);
	EXPECT(&s, 0x7FFFF, UC);
	EXPECT(&s, 0xC0000, UC);
	EXPECT(&s, 0xFFFFF, UC);
	EXPECT(&s, MIB, UC);
	EXPECT(&s, 4 * GIB, UC);
	EXPECT(&s, (1ull << 36) - 1, UC);
	EXPECT(&s, 1ull << 36, INVALID);        /* rule 4 even when disabled */
	/* The same registers with E = 1: proves the ranges were live. */
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, true));
	EXPECT(&s, 0, WB);
	EXPECT(&s, MIB, WB);
	EXPECT(&s, (1ull << 36) - 1, WB);
}

/* Rule 2 off: FE = 0 sends addresses below 1 MiB to the pairs and default. */
static void
test_fe_clear(void **unused)
{
	struct mtrr_state s;
	struct mtrr_caps c = rt_caps(8, 36);

	(void)unused;
	rt_init(&s, &c);
	rt_fixed_all(&s, WP);                   /* must be ignored */
	PAIR(&s, 0, 0x80000, 512 * KIB, UC);    /* 80000-FFFFF */
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, false));
	EXPECT(&s, 0, WB);                      /* default */
	EXPECT(&s, 0x7FFFF, WB);
	EXPECT(&s, 0x80000, UC);                /* pair 0 */
	EXPECT(&s, 0xC0000, UC);
	EXPECT(&s, 0xFFFFF, UC);
	EXPECT(&s, MIB, WB);
	/* FE = 1: the fixed bytes take over below 1 MiB, pairs or not. */
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, true));
	EXPECT(&s, 0, WP);
	EXPECT(&s, 0x80000, WP);
	EXPECT(&s, 0xFFFFF, WP);
	EXPECT(&s, MIB, WB);
}

/* FE = 1 on a processor without fixed ranges has no effect. */
static void
test_fe_without_fixed_cap(void **unused)
{
	struct mtrr_state s;
	struct mtrr_caps c = rt_caps(8, 36);

	(void)unused;
	c.fixed = false;
	rt_init(&s, &c);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_FIX64K_00000, rt_fix8(UC)), MTRR_E_ABSENT);
	PAIR(&s, 0, 0xC0000, 256 * KIB, WT);    /* C0000-FFFFF */
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, true));
	EXPECT(&s, 0, WB);                      /* default, not a fixed byte */
	EXPECT(&s, 0xBFFFF, WB);
	EXPECT(&s, 0xC0000, WT);
	EXPECT(&s, 0xFFFFF, WT);
	EXPECT(&s, MIB, WB);
}

/*
 * Each fixed-range byte: the 88 sub-ranges get the types UC WC WT WP WB in
 * turn (sub-range k has cycle[k % 5]), so every two neighbours differ, also
 * across MSR boundaries.  Sub-ranges 0..7 are 64 KiB from 0, 8..23 are 16 KiB
 * from 80000H, 24..87 are 4 KiB from C0000H (SDM "Fixed Range MTRRs").
 */
static const uint8_t rt_cycle[5] = { UC, WC, WT, WP, WB };

static void
rt_fixed_cycle_state(struct mtrr_state *s)
{
	struct mtrr_caps c = rt_caps(8, 36);
	unsigned j, i;

	rt_init(s, &c);
	for (j = 0; j < MTRR_FIXED_MSRS; j++) {
		uint64_t v = 0;
		for (i = 0; i < 8; i++)
			v |= (uint64_t)rt_cycle[(8 * j + i) % 5] << (8 * i);
		WR(s, rt_fixed_msr[j], v);
	}
	PAIR(s, 0, 0, 2 * MIB, UC);             /* shadowed below 1 MiB */
	WR(s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, true));
}

static void
test_fixed_boundaries(void **unused)
{
	struct mtrr_state s;
	unsigned k;

	(void)unused;
	rt_fixed_cycle_state(&s);
	/* The named boundaries, by hand: k = 7|8, 15|16, 23|24, 87|end. */
	EXPECT(&s, 0x00000, UC);                /* k 0 */
	EXPECT(&s, 0x0FFFF, UC);
	EXPECT(&s, 0x10000, WC);                /* k 1 */
	EXPECT(&s, 0x7FFFF, WT);                /* k 7, last of FIX64K */
	EXPECT(&s, 0x80000, WP);                /* k 8, first of FIX16K_80000 */
	EXPECT(&s, 0x83FFF, WP);
	EXPECT(&s, 0x84000, WB);                /* k 9 */
	EXPECT(&s, 0x9FFFF, UC);                /* k 15, last of FIX16K_80000 */
	EXPECT(&s, 0xA0000, WC);                /* k 16, first of FIX16K_A0000 */
	EXPECT(&s, 0xBFFFF, WP);                /* k 23, last of FIX16K_A0000 */
	EXPECT(&s, 0xC0000, WB);                /* k 24, first of FIX4K_C0000 */
	EXPECT(&s, 0xC0FFF, WB);
	EXPECT(&s, 0xC1000, UC);                /* k 25 */
	EXPECT(&s, 0xC7FFF, WC);                /* k 31, last of FIX4K_C0000 */
	EXPECT(&s, 0xC8000, WT);                /* k 32, first of FIX4K_C8000 */
	EXPECT(&s, 0xF7FFF, WB);                /* k 79, last of FIX4K_F0000 */
	EXPECT(&s, 0xF8000, UC);                /* k 80, first of FIX4K_F8000 */
	EXPECT(&s, 0xFFFFF, WT);                /* k 87 */
	EXPECT(&s, 0x100000, UC);               /* pair 0 above 1 MiB */
	EXPECT(&s, 0x1FFFFF, UC);
	EXPECT(&s, 0x200000, WB);               /* default */
	/* Then both ends of every sub-range. */
	for (k = 0; k < 88; k++) {
		uint64_t start, size;
		if (k < 8) {
			start = (uint64_t)k * 64 * KIB;
			size = 64 * KIB;
		} else if (k < 24) {
			start = 0x80000 + (uint64_t)(k - 8) * 16 * KIB;
			size = 16 * KIB;
		} else {
			start = 0xC0000 + (uint64_t)(k - 24) * 4 * KIB;
			size = 4 * KIB;
		}
		EXPECT(&s, start, rt_cycle[k % 5]);
		EXPECT(&s, start + size / 2, rt_cycle[k % 5]);
		EXPECT(&s, start + size - 1, rt_cycle[k % 5]);
	}
}

/* No pair matches: the default type, for each type. */
static void
test_no_match_default(void **unused)
{
	static const uint8_t types[] = { UC, WC, WT, WP, WB };
	struct mtrr_state s;
	struct mtrr_caps c = rt_caps(8, 36);
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(types); i++) {
		rt_init(&s, &c);
		PAIR(&s, 0, 4 * GIB, 4 * GIB, types[(i + 1) % 5]);
		WR(&s, MTRR_MSR_DEF_TYPE, rt_def(types[i], true, false));
		EXPECT(&s, 0, types[i]);
		EXPECT(&s, 4 * GIB - 1, types[i]);
		EXPECT(&s, 4 * GIB, types[(i + 1) % 5]);
		EXPECT(&s, 8 * GIB - 1, types[(i + 1) % 5]);
		EXPECT(&s, 8 * GIB, types[i]);
		EXPECT(&s, (1ull << 36) - 1, types[i]);
	}
}

/* One pair matches: its type, for each type, at any pair number. */
static void
test_single_match(void **unused)
{
	static const uint8_t types[] = { UC, WC, WT, WP, WB };
	struct mtrr_state s;
	struct mtrr_caps c = rt_caps(MTRR_VAR_MAX, 36);
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(types); i++) {
		unsigned n = (unsigned)(i * 9 + 3);     /* 3, 12, 21, 30, 39 */
		rt_init(&s, &c);
		PAIR(&s, n, 2 * MIB, 2 * MIB, types[i]);
		WR(&s, MTRR_MSR_DEF_TYPE, rt_def(types[i] == WB ? UC : WB, true, true));
		EXPECT(&s, 2 * MIB - 1, types[i] == WB ? UC : WB);
		EXPECT(&s, 2 * MIB, types[i]);
		EXPECT(&s, 3 * MIB, types[i]);
		EXPECT(&s, 4 * MIB - 1, types[i]);
		EXPECT(&s, 4 * MIB, types[i] == WB ? UC : WB);
	}
}

/*
 * Two pairs over [1 GiB, 2 GiB) and [1.5 GiB, 1.5 GiB + 2 MiB), types a then
 * b; checks the overlap (want), each pair alone, and outside (default UC).
 */
static void
rt_two(const struct mtrr_caps *c, uint8_t a, uint8_t b, uint8_t want)
{
	struct mtrr_state s;

	rt_init(&s, c);
	PAIR(&s, 0, GIB, GIB, a);
	PAIR(&s, 1, GIB + GIB / 2, 2 * MIB, b);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, true));
	EXPECT(&s, GIB - 1, UC);
	EXPECT(&s, GIB, a);
	EXPECT(&s, GIB + GIB / 2 - 1, a);
	EXPECT(&s, GIB + GIB / 2, want);
	EXPECT(&s, GIB + GIB / 2 + 2 * MIB - 1, want);
	EXPECT(&s, GIB + GIB / 2 + 2 * MIB, a);
	EXPECT(&s, 2 * GIB - 1, a);
	EXPECT(&s, 2 * GIB, UC);
}

/* The same, with the roles of pair 0 and pair 1 swapped in register order. */
static void
rt_two_rev(const struct mtrr_caps *c, uint8_t a, uint8_t b, uint8_t want)
{
	struct mtrr_state s;

	rt_init(&s, c);
	PAIR(&s, 0, GIB + GIB / 2, 2 * MIB, b);
	PAIR(&s, 1, GIB, GIB, a);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, true));
	EXPECT(&s, GIB, a);
	EXPECT(&s, GIB + GIB / 2, want);
	EXPECT(&s, GIB + GIB / 2 + 2 * MIB - 1, want);
	EXPECT(&s, GIB + GIB / 2 + 2 * MIB, a);
}

/* UC with anything is UC, under both overlap policies, in both orders. */
static void
test_uc_wins(void **unused)
{
	static const uint8_t other[] = { UC, WC, WT, WP, WB };
	struct mtrr_caps c = rt_caps(8, 36);
	size_t i;
	int pol;

	(void)unused;
	for (pol = 0; pol < 2; pol++) {
		c.overlap = pol ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
		for (i = 0; i < sizeof(other); i++) {
			rt_two(&c, other[i], UC, UC);
			rt_two(&c, UC, other[i], UC);
			rt_two_rev(&c, other[i], UC, UC);
			rt_two_rev(&c, UC, other[i], UC);
		}
	}
}

/* {WT, WB} is WT; identical types are that type; both policies. */
static void
test_wt_wb_and_identical(void **unused)
{
	static const uint8_t types[] = { UC, WC, WT, WP, WB };
	struct mtrr_caps c = rt_caps(8, 36);
	size_t i;
	int pol;

	(void)unused;
	for (pol = 0; pol < 2; pol++) {
		c.overlap = pol ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
		rt_two(&c, WT, WB, WT);
		rt_two(&c, WB, WT, WT);
		rt_two_rev(&c, WT, WB, WT);
		rt_two_rev(&c, WB, WT, WT);
		for (i = 0; i < sizeof(types); i++)
			rt_two(&c, types[i], types[i], types[i]);
	}
}

/* Every pair the SDM leaves undefined: UC, or WB under MTRR_OVERLAP_WB. */
static void
test_undefined_pairs(void **unused)
{
	static const uint8_t pairs[][2] = {
		{ WB, WC }, { WB, WP }, { WT, WP }, { WT, WC }, { WC, WP },
	};
	struct mtrr_caps c = rt_caps(8, 36);
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		c.overlap = MTRR_OVERLAP_UC;
		rt_two(&c, pairs[i][0], pairs[i][1], UC);
		rt_two(&c, pairs[i][1], pairs[i][0], UC);
		rt_two_rev(&c, pairs[i][0], pairs[i][1], UC);
		c.overlap = MTRR_OVERLAP_WB;
		rt_two(&c, pairs[i][0], pairs[i][1], WB);
		rt_two(&c, pairs[i][1], pairs[i][0], WB);
		rt_two_rev(&c, pairs[i][0], pairs[i][1], WB);
	}
}

/*
 * Three pairs over the same 2 MiB at 3 GiB, types t[p[0]], t[p[1]], t[p[2]]
 * in register order, a fourth (WB) elsewhere so the pairs are not all alike.
 */
static void
rt_three(const struct mtrr_caps *c, const uint8_t t[3], uint8_t want)
{
	static const unsigned perm[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	struct mtrr_state s;
	unsigned p, j;

	for (p = 0; p < 6; p++) {
		rt_init(&s, c);
		for (j = 0; j < 3; j++)
			PAIR(&s, j, 3 * GIB, 2 * MIB, t[perm[p][j]]);
		PAIR(&s, 3, 0, 2 * GIB, WB);
		WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, true));
		EXPECT(&s, 3 * GIB - 1, UC);
		EXPECT(&s, 3 * GIB, want);
		EXPECT(&s, 3 * GIB + 2 * MIB - 1, want);
		EXPECT(&s, 3 * GIB + 2 * MIB, UC);
	}
}

static void
test_undefined_triples(void **unused)
{
	static const uint8_t undefined[][3] = {
		{ WT, WB, WC }, { WT, WB, WP }, { WB, WC, WP }, { WT, WC, WP },
		{ WB, WB, WC }, { WT, WT, WP },
	};
	static const uint8_t with_uc[][3] = {
		{ WB, WC, UC }, { WT, WP, UC }, { WC, WP, UC }, { WT, WB, UC },
	};
	static const uint8_t wt_wb[][3] = { { WT, WB, WB }, { WT, WT, WB } };
	struct mtrr_caps c = rt_caps(8, 36);
	struct mtrr_state s;
	size_t i;
	int pol;

	(void)unused;
	for (pol = 0; pol < 2; pol++) {
		c.overlap = pol ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
		for (i = 0; i < sizeof(undefined) / sizeof(undefined[0]); i++)
			rt_three(&c, undefined[i], pol ? WB : UC);
		for (i = 0; i < sizeof(with_uc) / sizeof(with_uc[0]); i++)
			rt_three(&c, with_uc[i], UC);
		for (i = 0; i < sizeof(wt_wb) / sizeof(wt_wb[0]); i++)
			rt_three(&c, wt_wb[i], WT);
		/* All four cacheable types at once. */
		rt_init(&s, &c);
		PAIR(&s, 0, 3 * GIB, 4 * KIB, WT);
		PAIR(&s, 1, 3 * GIB, 4 * KIB, WB);
		PAIR(&s, 2, 3 * GIB, 4 * KIB, WC);
		PAIR(&s, 3, 3 * GIB, 4 * KIB, WP);
		WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, true));
		EXPECT(&s, 3 * GIB, pol ? WB : UC);
		EXPECT(&s, 3 * GIB + 4 * KIB, UC);
	}
}

/*
 * The set rule, not a pairwise fold in register order: KVM up to 6.10 folded
 * pairs in order and returned WB at the first undefined overlap, hiding a UC
 * pair listed after it.  UC anywhere in the set is UC.
 */
static void
test_uc_after_undefined(void **unused)
{
	static const uint8_t orders[][3] = {
		{ WB, WC, UC }, { WC, WB, UC }, { UC, WB, WC }, { WB, UC, WC },
		{ WT, WP, UC }, { UC, WT, WP },
	};
	struct mtrr_caps c = rt_caps(8, 36);
	struct mtrr_state s;
	size_t i;
	int pol;

	(void)unused;
	for (pol = 0; pol < 2; pol++) {
		c.overlap = pol ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
		for (i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
			rt_init(&s, &c);
			PAIR(&s, 0, 0, 4 * GIB, orders[i][0]);
			PAIR(&s, 1, 2 * GIB, 2 * GIB, orders[i][1]);
			PAIR(&s, 2, 3 * GIB, 256 * MIB, orders[i][2]);
			WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, true));
			EXPECT(&s, 3 * GIB, UC);
			EXPECT(&s, 3 * GIB + 256 * MIB - 1, UC);
		}
		/* {WB, WC} then WT: still undefined, not "WT wins over WB". */
		rt_init(&s, &c);
		PAIR(&s, 0, 0, 4 * GIB, WB);
		PAIR(&s, 1, 0, 4 * GIB, WC);
		PAIR(&s, 2, 0, 4 * GIB, WT);
		WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, true));
		EXPECT(&s, 2 * GIB, pol ? WB : UC);
	}
}

/* A pair with V = 0 is ignored, whatever its base, mask and type. */
static void
test_valid_bit(void **unused)
{
	struct mtrr_state s;
	struct mtrr_caps c = rt_caps(8, 36);

	(void)unused;
	rt_init(&s, &c);
	PAIR(&s, 0, 0, 4 * GIB, WB);
	WR(&s, MTRR_MSR_PHYSBASE(1), 2 * GIB | UC);
	WR(&s, MTRR_MSR_PHYSMASK(1), 0xFC0000000ull);   /* 1 GiB mask, V = 0 */
	WR(&s, MTRR_MSR_PHYSBASE(2), WC);
	WR(&s, MTRR_MSR_PHYSMASK(2), 0);                /* would match all */
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WT, true, true));
	EXPECT(&s, 2 * GIB, WB);                /* not {WB, UC} */
	EXPECT(&s, 3 * GIB - 1, WB);
	EXPECT(&s, 4 * GIB, WT);                /* not WC */
	/* Setting V makes the same pair count. */
	WR(&s, MTRR_MSR_PHYSMASK(1), 0xFC0000000ull | MTRR_PHYSMASK_V);
	EXPECT(&s, 2 * GIB, UC);
	EXPECT(&s, 3 * GIB - 1, UC);
	EXPECT(&s, 3 * GIB, WB);
	/* And clearing it again removes it. */
	WR(&s, MTRR_MSR_PHYSMASK(1), 0xFC0000000ull);
	EXPECT(&s, 2 * GIB, WB);
}

/* Pairs >= VCNT do not exist; VCNT = 0 resolves to the default (and fixed). */
static void
test_vcnt_limits(void **unused)
{
	struct mtrr_state s, before;
	struct mtrr_caps c = rt_caps(2, 36);

	(void)unused;
	rt_init(&s, &c);
	PAIR(&s, 1, 0, 4 * GIB, WT);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, true));
	memcpy(&before, &s, sizeof(s));
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(2), UC), MTRR_E_ABSENT);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(2), MTRR_PHYSMASK_V), MTRR_E_ABSENT);
	assert_memory_equal(&s, &before, sizeof(s));
	EXPECT(&s, MIB, WT);
	EXPECT(&s, 4 * GIB, WB);

	c = rt_caps(0, 36);
	rt_init(&s, &c);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(0), UC), MTRR_E_ABSENT);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(0), MTRR_PHYSMASK_V), MTRR_E_ABSENT);
	WR(&s, MTRR_MSR_FIX64K_00000, rt_fix8(UC));
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, true));
	EXPECT(&s, 0, UC);                      /* fixed */
	EXPECT(&s, 0x7FFFF, UC);
	EXPECT(&s, 0x80000, UC);                /* FIX16K_80000 is zero: UC */
	EXPECT(&s, MIB, WB);                    /* default */
	EXPECT(&s, (1ull << 36) - 1, WB);

	/* The last pair of the largest VCNT is consulted. */
	c = rt_caps(MTRR_VAR_MAX, 36);
	rt_init(&s, &c);
	PAIR(&s, MTRR_VAR_MAX - 1, 8 * GIB, 8 * GIB, WP);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, true));
	EXPECT(&s, 8 * GIB - 1, WB);
	EXPECT(&s, 8 * GIB, WP);
	EXPECT(&s, 16 * GIB - 1, WP);
	EXPECT(&s, 16 * GIB, WB);
}

/* 0, 1 MiB - 1, 1 MiB, the last byte, 2^phys_bits, UINT64_MAX. */
static void
test_address_limits(void **unused)
{
	static const unsigned widths[] = { 32, 36, 46, 52 };
	struct mtrr_state s;
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		unsigned pb = widths[i];
		uint64_t top = 1ull << pb;
		struct mtrr_caps c = rt_caps(8, pb);

		rt_init(&s, &c);
		rt_fixed_all(&s, WT);
		PAIR(&s, 0, top - 4 * KIB, 4 * KIB, UC);   /* last page */
		PAIR(&s, 1, 0, 2 * MIB, WP);               /* across 1 MiB */
		WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, true));
		EXPECT(&s, 0, WT);
		EXPECT(&s, MIB - 1, WT);
		EXPECT(&s, MIB, WP);
		EXPECT(&s, 2 * MIB - 1, WP);
		EXPECT(&s, 2 * MIB, WB);
		EXPECT(&s, top - 4 * KIB - 1, WB);
		EXPECT(&s, top - 4 * KIB, UC);
		EXPECT(&s, top - 1, UC);
		EXPECT(&s, top, INVALID);
		EXPECT(&s, top + MIB, INVALID);  /* would alias pair 1 if truncated */
		EXPECT(&s, top + top - 1, INVALID);
		EXPECT(&s, 1ull << 63, INVALID);
		EXPECT(&s, UINT64_MAX, INVALID);
		/* Disabled: UC below the limit, still INVALID above. */
		WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, false, true));
		EXPECT(&s, 0, UC);
		EXPECT(&s, top - 1, UC);
		EXPECT(&s, top, INVALID);
		EXPECT(&s, UINT64_MAX, INVALID);
	}
}

/*
 * Non-contiguous masks: a pair matches A when (A & mask) == (base & mask),
 * whatever the holes in the mask.
 */
static void
test_noncontiguous_page_stride(void **unused)
{
	static const unsigned widths[] = { 36, 52 };
	struct mtrr_state s;
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		uint64_t top = 1ull << widths[i];
		struct mtrr_caps c = rt_caps(8, widths[i]);

		rt_init(&s, &c);
		/* Mask = bit 12 only, base bit 12 set: every odd 4 KiB page. */
		PAIR_RAW(&s, 0, 0x1000, 0x1000, UC);
		WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, false));
		EXPECT(&s, 0x0000, WB);
		EXPECT(&s, 0x0FFF, WB);
		EXPECT(&s, 0x1000, UC);
		EXPECT(&s, 0x1FFF, UC);
		EXPECT(&s, 0x2000, WB);
		EXPECT(&s, MIB, WB);             /* bit 12 of 100000H is 0 */
		EXPECT(&s, MIB + 0x1000, UC);
		EXPECT(&s, 0x123457789ull, UC);  /* bits 15:12 = 7: bit 12 set */
		EXPECT(&s, 0x123456789ull, WB);  /* bits 15:12 = 6: bit 12 clear */
		EXPECT(&s, top - 0x1000, UC);
		EXPECT(&s, top - 0x1001, WB);
		EXPECT(&s, top - 1, UC);
		EXPECT(&s, top, INVALID);
	}
}

static void
test_noncontiguous_gib_stride(void **unused)
{
	struct mtrr_state s;
	struct mtrr_caps c = rt_caps(8, 36);

	(void)unused;
	rt_init(&s, &c);
	/* Mask = bit 30 only, base bit 30 set: every odd GiB. */
	PAIR_RAW(&s, 0, GIB, GIB, WC);
	/* And an overlapping ordinary WB pair over 0-4 GiB. */
	PAIR(&s, 1, 0, 4 * GIB, WB);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, true));
	EXPECT(&s, MIB, WB);
	EXPECT(&s, GIB - 1, WB);
	EXPECT(&s, GIB, UC);                    /* {WC, WB}: undefined -> UC */
	EXPECT(&s, 2 * GIB - 1, UC);
	EXPECT(&s, 2 * GIB, WB);
	EXPECT(&s, 3 * GIB, UC);
	EXPECT(&s, 4 * GIB - 1, UC);
	EXPECT(&s, 4 * GIB, UC);                /* default: bit 30 clear */
	EXPECT(&s, 5 * GIB, WC);                /* pair 0 only */
	EXPECT(&s, 21 * GIB + 12345, WC);       /* 21 is odd */
	EXPECT(&s, 22 * GIB, UC);
	EXPECT(&s, 64 * GIB - 1, WC);           /* GiB 63 */
	c.overlap = MTRR_OVERLAP_WB;
	rt_init(&s, &c);
	PAIR_RAW(&s, 0, GIB, GIB, WC);
	PAIR(&s, 1, 0, 4 * GIB, WB);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, true));
	EXPECT(&s, GIB, WB);
	EXPECT(&s, 5 * GIB, WC);
}

static void
test_noncontiguous_hole(void **unused)
{
	struct mtrr_state s;
	struct mtrr_caps c = rt_caps(8, 36);

	(void)unused;
	rt_init(&s, &c);
	/*
	 * Mask bits 35:32 and 27:12 (a hole at 31:28), base 2_0000_0000H: the
	 * 4 KiB page at 2_X000_0000H for each X = 0..F.
	 */
	PAIR_RAW(&s, 0, 0x200000000ull, 0xF0FFFF000ull, UC);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, true));
	EXPECT(&s, 0x200000000ull, UC);
	EXPECT(&s, 0x200000FFFull, UC);
	EXPECT(&s, 0x200001000ull, WB);
	EXPECT(&s, 0x1FFFFFFFFull, WB);
	EXPECT(&s, 0x208000000ull, WB);         /* bit 27 set */
	EXPECT(&s, 0x210000000ull, UC);         /* X = 1 */
	EXPECT(&s, 0x210000FFFull, UC);
	EXPECT(&s, 0x20FFFFFFFull, WB);
	EXPECT(&s, 0x2F0000000ull, UC);         /* X = F */
	EXPECT(&s, 0x2F0000FFFull, UC);
	EXPECT(&s, 0x2F0001000ull, WB);
	EXPECT(&s, 0x300000000ull, WB);         /* bits 35:32 = 3 */
	EXPECT(&s, 0x000000000ull, UC);         /* FE = 1, fixed bytes all UC */
	EXPECT(&s, 0x000100000ull, WB);         /* bits 35:32 = 0 */
}

/*
 * PhysBase with bits set below its mask's alignment is legal and only the
 * masked bits compare.  Linux <= 6.3 loops forever building ranges from such
 * a pair; Linux >= 6.4 and KVM place the range at PhysBase instead of at
 * PhysBase & PhysMask, so they type the wrong addresses.
 */
static void
test_base_below_alignment(void **unused)
{
	struct mtrr_state s;
	struct mtrr_caps c = rt_caps(8, 36);

	(void)unused;
	rt_init(&s, &c);
	/* 1 GiB mask, base 5234_5000H: the block is [40000000H, 80000000H). */
	PAIR_RAW(&s, 0, 0x52345000ull, 0xFC0000000ull, WT);
	/* 16 KiB mask, base 105000H: the block is [104000H, 108000H). */
	PAIR_RAW(&s, 1, 0x105000ull, 0xFFFFFC000ull, UC);
	/* Hole at bits 31:28 in the mask, base bits there set: ignored. */
	PAIR_RAW(&s, 2, 0x350000000ull, 0xF0FFFF000ull, WP);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, false));
	EXPECT(&s, 0x3FFFFFFFull, WB);
	EXPECT(&s, 0x40000000ull, WT);          /* below the written base */
	EXPECT(&s, 0x52344FFFull, WT);
	EXPECT(&s, 0x52345000ull, WT);
	EXPECT(&s, 0x7FFFFFFFull, WT);
	EXPECT(&s, 0x80000000ull, WB);          /* base + size is NOT covered */
	EXPECT(&s, 0x92344FFFull, WB);
	EXPECT(&s, 0x103FFFull, WB);
	EXPECT(&s, 0x104000ull, UC);            /* below the written base */
	EXPECT(&s, 0x107FFFull, UC);
	EXPECT(&s, 0x108000ull, WB);
	EXPECT(&s, 0x109000ull, WB);
	EXPECT(&s, 0x300000000ull, WP);         /* X = 0 */
	EXPECT(&s, 0x350000000ull, WP);         /* X = 5 */
	EXPECT(&s, 0x3F0000FFFull, WP);         /* X = F */
	EXPECT(&s, 0x350001000ull, WB);
}

/*
 * A 1 GiB and a 2 MiB block, each holding one 4 KiB range of another type:
 * [1 GiB, 2 GiB) WB with a UC page at 4020_3000H; [2 GiB, 3 GiB) WB with a WT
 * page at its last page BFFF_F000H ({WT, WB} -> WT).  Default UC.
 */
static void
rt_big_block_state(struct mtrr_state *s)
{
	struct mtrr_caps c = rt_caps(8, 36);

	rt_init(s, &c);
	PAIR(s, 0, GIB, GIB, WB);
	PAIR(s, 1, 0x40203000ull, 4 * KIB, UC);
	PAIR(s, 2, 2 * GIB, GIB, WB);
	PAIR(s, 3, 0xBFFFF000ull, 4 * KIB, WT);
	WR(s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, true));
}

static void
test_big_block_small_range(void **unused)
{
	struct mtrr_state s;

	(void)unused;
	rt_big_block_state(&s);
	EXPECT(&s, GIB - 1, UC);
	EXPECT(&s, GIB, WB);
	EXPECT(&s, 0x40202FFFull, WB);
	EXPECT(&s, 0x40203000ull, UC);
	EXPECT(&s, 0x40203FFFull, UC);
	EXPECT(&s, 0x40204000ull, WB);
	EXPECT(&s, 0xBFFFEFFFull, WB);
	EXPECT(&s, 0xBFFFF000ull, WT);
	EXPECT(&s, 0xBFFFFFFFull, WT);
	EXPECT(&s, 0xC0000000ull, UC);
}

/*
 * The usual firmware layout: WB 0-4 GiB with a UC MMIO hole at 3-4 GiB made
 * by an overlapping UC pair, RAM above 4 GiB in another WB pair, default UC.
 * Inside the hole it is UC whatever the register order and policy.
 */
static void
test_firmware_layout(void **unused)
{
	struct mtrr_caps c = rt_caps(8, 36);
	struct mtrr_state s;
	int pol, order;

	(void)unused;
	for (pol = 0; pol < 2; pol++) {
		c.overlap = pol ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
		for (order = 0; order < 2; order++) {
			rt_init(&s, &c);
			rt_fixed_all(&s, WB);
			PAIR(&s, order ? 1u : 0u, 0, 4 * GIB, WB);
			PAIR(&s, order ? 0u : 1u, 3 * GIB, GIB, UC);
			PAIR(&s, 2, 4 * GIB, 4 * GIB, WB);
			WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, true));
			EXPECT(&s, 0, WB);
			EXPECT(&s, MIB, WB);
			EXPECT(&s, 3 * GIB - 1, WB);
			EXPECT(&s, 3 * GIB, UC);
			EXPECT(&s, 3 * GIB + GIB / 2, UC);
			EXPECT(&s, 4 * GIB - 1, UC);
			EXPECT(&s, 4 * GIB, WB);
			EXPECT(&s, 8 * GIB - 1, WB);
			EXPECT(&s, 8 * GIB, UC);
		}
	}
}

/*
 * The same hole with a WC framebuffer pair inside it, in all six register
 * orders: {WB, UC, WC} is UC.  A fold in order that stops at the undefined
 * {WB, WC} (KVM <= 6.10 with its WB choice) answers WB inside the hole.  A
 * second WC pair below the hole gives {WB, WC}: the overlap policy decides.
 */
static void
test_firmware_wc_in_hole(void **unused)
{
	static const unsigned perm[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	struct mtrr_caps c = rt_caps(8, 36);
	struct mtrr_state s;
	int pol, p;

	(void)unused;
	for (pol = 0; pol < 2; pol++) {
		c.overlap = pol ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
		for (p = 0; p < 6; p++) {
			rt_init(&s, &c);
			PAIR(&s, perm[p][0], 0, 4 * GIB, WB);
			PAIR(&s, perm[p][1], 3 * GIB, GIB, UC);
			PAIR(&s, perm[p][2], 0xE0000000ull, 256 * MIB, WC);
			PAIR(&s, 3, 2 * GIB, 256 * MIB, WC);
			WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, false));
			EXPECT(&s, 0xBFFFFFFFull, WB);
			EXPECT(&s, 0xC0000000ull, UC);
			EXPECT(&s, 0xDFFFFFFFull, UC);
			EXPECT(&s, 0xE0000000ull, UC);
			EXPECT(&s, 0xEFFFFFFFull, UC);
			EXPECT(&s, 0xF0000000ull, UC);
			EXPECT(&s, 0x80000000ull, pol ? WB : UC);
			EXPECT(&s, 0x8FFFFFFFull, pol ? WB : UC);
			EXPECT(&s, 0x90000000ull, WB);
			EXPECT(&s, 4 * GIB, UC);
		}
	}
}

/* The SMRR pair applies in SMM only: the resolvers do not consult it. */
static void
test_smrr_ignored(void **unused)
{
	struct mtrr_caps c = rt_caps(8, 36);
	struct mtrr_state s;

	(void)unused;
	c.smrr = true;
	rt_init(&s, &c);
	WR(&s, MTRR_MSR_SMRR_PHYSBASE, 0x80000000ull | UC);
	WR(&s, MTRR_MSR_SMRR_PHYSMASK, 0xFF800000ull | MTRR_PHYSMASK_V);
	PAIR(&s, 0, 0, 4 * GIB, WB);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, false));
	EXPECT(&s, 0x80000000ull, WB);
	EXPECT(&s, 0x807FFFFFull, WB);
}

#define RT_SHARED_TESTS \
	cmocka_unit_test(test_sdm_example), \
	cmocka_unit_test(test_sdm_example_literal), \
	cmocka_unit_test(test_disabled), \
	cmocka_unit_test(test_fe_clear), \
	cmocka_unit_test(test_fe_without_fixed_cap), \
	cmocka_unit_test(test_fixed_boundaries), \
	cmocka_unit_test(test_no_match_default), \
	cmocka_unit_test(test_single_match), \
	cmocka_unit_test(test_uc_wins), \
	cmocka_unit_test(test_wt_wb_and_identical), \
	cmocka_unit_test(test_undefined_pairs), \
	cmocka_unit_test(test_undefined_triples), \
	cmocka_unit_test(test_uc_after_undefined), \
	cmocka_unit_test(test_valid_bit), \
	cmocka_unit_test(test_vcnt_limits), \
	cmocka_unit_test(test_address_limits), \
	cmocka_unit_test(test_noncontiguous_page_stride), \
	cmocka_unit_test(test_noncontiguous_gib_stride), \
	cmocka_unit_test(test_noncontiguous_hole), \
	cmocka_unit_test(test_base_below_alignment), \
	cmocka_unit_test(test_big_block_small_range), \
	cmocka_unit_test(test_firmware_layout), \
	cmocka_unit_test(test_firmware_wc_in_hole), \
	cmocka_unit_test(test_smrr_ignored)

#endif
