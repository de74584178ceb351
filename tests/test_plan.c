/*
 * test_plan.c — the planner (libmtrr/plan.c): mtrr_plan.
 *
 *   - bad input: every check of the header's list, each with its status, and
 *     `out` and `pairs_needed` untouched;
 *   - resolve-back: every plan is checked by check_plan (the state is one
 *     mtrr_wrmsr could hold, pairs 0 .. k-1 with contiguous masks and no
 *     undefined overlap anywhere, and mtrr_map_build and mtrr_ref_lookup give
 *     every cared-for range its wanted type), on hand-written firmware-like
 *     maps and on seeded random ones;
 *   - minimality: on small spaces (32 or 64 units, scaled so a unit is
 *     4 KiB .. 128 MiB, everything outside the window don't-care) an
 *     exhaustive search over every set of aligned blocks and types finds no
 *     register set with fewer pairs than the plan, and finds one with as
 *     many;
 *   - the options: reserved pairs, default type fixed or free, the
 *     whole-space pair, fixed ranges on and off, and the EDK2 edge (a map
 *     whose optimum is exactly 32 pairs at VCNT 32).
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mtrr.h"
#include "test_util.h"

#define KIB 0x400ull
#define MIB 0x100000ull
#define GIB 0x40000000ull

#define UC MTRR_TYPE_UC
#define WC MTRR_TYPE_WC
#define WT MTRR_TYPE_WT
#define WP MTRR_TYPE_WP
#define WB MTRR_TYPE_WB
#define ANY MTRR_TYPE_ANY

static struct mtrr_map g_map;           /* large: off the stack */

static struct mtrr_plan_opts
opts_of(int def, unsigned reserve, bool whole, bool fixed)
{
	struct mtrr_plan_opts o;

	memset(&o, 0, sizeof(o));
	o.default_type = def;
	o.reserve_pairs = reserve;
	o.allow_whole_space = whole;
	o.use_fixed = fixed;
	return o;
}

static struct mtrr_range
rng(uint64_t start, uint64_t end, uint8_t type)
{
	struct mtrr_range r;

	memset(&r, 0, sizeof(r));
	r.start = start;
	r.end = end;
	r.type = type;
	return r;
}

/* ---- the resolve-back check ------------------------------------------- */

static void
dump_plan(const struct mtrr_state *s, const struct mtrr_range *want, size_t n)
{
	size_t i;

	print_message("def_type %#" PRIx64 "\n", s->def_type);
	for (i = 0; i < s->caps.vcnt; i++)
		if (s->var[i].mask & MTRR_PHYSMASK_V)
			print_message("  pair %zu base %#" PRIx64 " mask %#" PRIx64 "\n", i,
				      s->var[i].base, s->var[i].mask);
	for (i = 0; i < n; i++)
		print_message("  want [%#" PRIx64 ", %#" PRIx64 ") %s\n", want[i].start,
			      want[i].end, want[i].type == ANY ? "ANY" :
			      mtrr_type_str(want[i].type));
}

/* Is the type set `set` (bitmap of 1 << type) one the SDM defines? */
static bool
defined_set(unsigned set)
{
	return (set & (set - 1)) == 0 || (set & (1u << UC)) ||
	       set == ((1u << WT) | (1u << WB));
}

/* Block [base, base + size) of pair i (mask checked contiguous before). */
static uint64_t
pair_size(const struct mtrr_state *s, size_t i)
{
	uint64_t addr = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	uint64_t m = s->var[i].mask & addr;

	return m == 0 ? 1ull << s->caps.phys_bits : m & (~m + 1);
}

/*
 * The plan `s` for `want` under `o`, `pairs` pairs: a legal state, pairs
 * 0 .. pairs-1 valid with contiguous masks and nothing else, DEF_TYPE as
 * documented, no undefined overlap anywhere, and every cared-for range
 * resolving to its type through the map (lookup_range) and the reference
 * (both ends and the middle).
 */
static void
check_plan(const struct mtrr_state *s, const struct mtrr_range *want, size_t n,
	   const struct mtrr_plan_opts *o, unsigned pairs)
{
	uint64_t addr = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	size_t i, j;

	assert_int_equal(mtrr_state_check(s, NULL), MTRR_OK);
	assert_true(s->def_type & MTRR_DEF_E);
	assert_int_equal(!!(s->def_type & MTRR_DEF_FE), !!o->use_fixed);
	if (o->default_type != MTRR_PLAN_DEFAULT_FREE)
		assert_int_equal(s->def_type & 0xFF, (unsigned)o->default_type);
	assert_true(pairs + o->reserve_pairs <= s->caps.vcnt);
	for (i = 0; i < MTRR_VAR_MAX; i++) {
		uint64_t m = s->var[i].mask & addr, size;

		if (i >= pairs) {
			assert_int_equal(s->var[i].base, 0);
			assert_int_equal(s->var[i].mask, 0);
			continue;
		}
		assert_true(s->var[i].mask & MTRR_PHYSMASK_V);
		size = pair_size(s, i);
		/* contiguous: every address bit from the size up */
		assert_int_equal(m, addr & ~(size - 1));
		assert_int_equal(s->var[i].base & ~0xFFull & (size - 1), 0);
	}
	/* The set of types over each block's addresses is defined. */
	for (i = 0; i < pairs; i++) {
		uint64_t bi = s->var[i].base & addr, si = pair_size(s, i);
		unsigned set = 0;

		for (j = 0; j < pairs; j++) {
			uint64_t bj = s->var[j].base & addr, sj = pair_size(s, j);

			if (sj >= si && bj <= bi && bi < bj + sj)
				set |= 1u << (s->var[j].base & 0xFF);
		}
		if (!defined_set(set)) {
			dump_plan(s, want, n);
			fail_msg("pair %zu sits in an undefined overlap", i);
		}
	}
	assert_int_equal(mtrr_map_build(&g_map, s), MTRR_OK);
	for (i = 0; i < n; i++) {
		uint64_t a = want[i].start, b = want[i].end;
		uint64_t mid = (a + (b - a) / 2) & ~0xFFFull;

		if (want[i].type == ANY)
			continue;
		if (mtrr_map_lookup_range(&g_map, a, b) != want[i].type ||
		    mtrr_ref_lookup(s, a) != want[i].type ||
		    mtrr_ref_lookup(s, mid) != want[i].type ||
		    mtrr_ref_lookup(s, b - 1) != want[i].type) {
			dump_plan(s, want, n);
			fail_msg("want[%zu] [%#" PRIx64 ", %#" PRIx64 ") %s resolves to %s", i,
				 a, b, mtrr_type_str(want[i].type),
				 mtrr_type_str(mtrr_map_lookup_range(&g_map, a, b)));
		}
	}
}

/* mtrr_plan that must succeed; checks the plan and returns its pair count. */
static unsigned
plan_ok(const struct mtrr_caps *c, const struct mtrr_range *want, size_t n,
	const struct mtrr_plan_opts *o, struct mtrr_state *s)
{
	unsigned pairs = 12345;
	mtrr_status st = mtrr_plan(c, want, n, o, s, &pairs);

	if (st != MTRR_OK)
		fail_msg("mtrr_plan: %s (pairs %u)", mtrr_status_str(st), pairs);
	check_plan(s, want, n, o, pairs);
	return pairs;
}

/* The number of pairs the map needs: a plan at VCNT 40, checked. */
static unsigned
min_pairs(const struct mtrr_caps *c0, const struct mtrr_range *want, size_t n,
	  const struct mtrr_plan_opts *o)
{
	struct mtrr_caps c = *c0;
	struct mtrr_state s;
	unsigned pairs = 0;
	mtrr_status st;

	c.vcnt = MTRR_VAR_MAX;
	st = mtrr_plan(&c, want, n, o, &s, &pairs);
	if (st == MTRR_E_TOO_FEW_PAIRS) {
		assert_true(pairs > MTRR_VAR_MAX - o->reserve_pairs);
		return pairs;
	}
	assert_int_equal(st, MTRR_OK);
	check_plan(&s, want, n, o, pairs);
	return pairs;
}

/* ---- bad input --------------------------------------------------------- */

/* mtrr_plan must fail with `want_st` and write nothing. */
static void
expect_refused(const struct mtrr_caps *c, const struct mtrr_range *want, size_t n,
	       const struct mtrr_plan_opts *o, mtrr_status want_st, int line)
{
	struct mtrr_state s, before;
	unsigned pairs = 777;
	mtrr_status st;

	memset(&s, 0xA5, sizeof(s));
	memcpy(&before, &s, sizeof(s));
	st = mtrr_plan(c, want, n, o, &s, &pairs);
	if (st != want_st)
		fail_msg("line %d: status %s, want %s", line, mtrr_status_str(st),
			 mtrr_status_str(want_st));
	assert_memory_equal(&s, &before, sizeof(s));
	if (want_st != MTRR_E_TOO_FEW_PAIRS)
		assert_int_equal(pairs, 777);
}
#define REFUSED(c, w, n, o, st) expect_refused(c, w, n, o, st, __LINE__)

static void
bad_pointers_and_caps(void **state)
{
	struct mtrr_caps c = caps_of(8, true, false, false, 36, MTRR_VENDOR_INTEL), bad;
	struct mtrr_plan_opts o = opts_of(MTRR_PLAN_DEFAULT_FREE, 0, false, false);
	struct mtrr_range w[1] = { rng(0, 2 * GIB, WB) };
	struct mtrr_state s;
	unsigned pairs = 5;

	(void)state;
	REFUSED(NULL, w, 1, &o, MTRR_E_INVALID_ARG);
	REFUSED(&c, NULL, 1, &o, MTRR_E_INVALID_ARG);
	REFUSED(&c, w, 1, NULL, MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_plan(&c, w, 1, &o, NULL, &pairs), MTRR_E_INVALID_ARG);
	assert_int_equal(pairs, 5);
	bad = c;
	bad.phys_bits = 31;
	REFUSED(&bad, w, 1, &o, MTRR_E_INVALID_ARG);
	bad = c;
	bad.vcnt = MTRR_VAR_MAX + 1;
	REFUSED(&bad, w, 1, &o, MTRR_E_INVALID_ARG);
	bad = c;
	bad.smrr = true;
	bad.vendor = MTRR_VENDOR_AMD;
	REFUSED(&bad, w, 1, &o, MTRR_E_INVALID_ARG);
	/* NULL want with n == 0 is an empty map, and pairs_needed may be NULL. */
	assert_int_equal(mtrr_plan(&c, NULL, 0, &o, &s, NULL), MTRR_OK);
	assert_int_equal(s.def_type, MTRR_DEF_E | UC);
}

static void
bad_options(void **state)
{
	struct mtrr_caps c = caps_of(8, false, false, false, 36, MTRR_VENDOR_INTEL);
	struct mtrr_range w[1] = { rng(0, 2 * GIB, WB) };
	static const int bad_types[] = { 2, 3, 7, 8, 0xF0, 0xFE, 0xFF, 0x100, -2, 1000 };
	struct mtrr_plan_opts o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
		o = opts_of(bad_types[i], 0, false, false);
		REFUSED(&c, w, 1, &o, MTRR_E_INVALID_TYPE);
	}
	o = opts_of(WC, 0, false, false);
	REFUSED(&c, w, 1, &o, MTRR_E_WC_UNSUPPORTED);
	o = opts_of(MTRR_PLAN_DEFAULT_FREE, 9, false, false);
	REFUSED(&c, w, 1, &o, MTRR_E_INVALID_ARG);
	o = opts_of(UC, 8, false, false);       /* all reserved: legal, no pair left */
	REFUSED(&c, w, 1, &o, MTRR_E_TOO_FEW_PAIRS);
	o = opts_of(MTRR_PLAN_DEFAULT_FREE, 0, false, true);
	REFUSED(&c, w, 1, &o, MTRR_E_ABSENT);
	/* The options are checked before the entries. */
	w[0].type = 3;
	o = opts_of(WC, 0, false, false);
	REFUSED(&c, w, 1, &o, MTRR_E_WC_UNSUPPORTED);
	o = opts_of(MTRR_PLAN_DEFAULT_FREE, 9, false, false);
	REFUSED(&c, w, 1, &o, MTRR_E_INVALID_ARG);
}

static void
bad_entries(void **state)
{
	struct mtrr_caps c = caps_of(8, true, false, false, 36, MTRR_VENDOR_INTEL);
	struct mtrr_plan_opts o = opts_of(MTRR_PLAN_DEFAULT_FREE, 0, false, false);
	const uint64_t top = 1ull << 36;
	static const struct {
		struct mtrr_range a, b;
		mtrr_status st;
	} cases[] = {
		/* geometry */
		{ { 0, 0x1000, WB }, { 0x1000, 0x1000, UC }, MTRR_E_INVALID_ARG },     /* empty */
		{ { 0, 0x1000, WB }, { 0x3000, 0x2000, UC }, MTRR_E_INVALID_ARG },     /* reversed */
		{ { 0, 0x1000, WB }, { 0x1800, 0x3000, UC }, MTRR_E_INVALID_ARG },     /* start */
		{ { 0, 0x1000, WB }, { 0x2000, 0x2001, UC }, MTRR_E_INVALID_ARG },     /* end */
		{ { 0, 0x1000, WB }, { 0x2000, 0x10000000001ull, UC }, MTRR_E_INVALID_ARG },
		{ { 0, 0x2000, WB }, { 0x1000, 0x3000, UC }, MTRR_E_INVALID_ARG },     /* overlap */
		{ { 0x4000, 0x5000, WB }, { 0x1000, 0x2000, UC }, MTRR_E_INVALID_ARG }, /* unsorted */
		{ { 0x4000, 0x5000, WB }, { 0x4000, 0x5000, WB }, MTRR_E_INVALID_ARG }, /* twice */
		/* types */
		{ { 0, 0x1000, WB }, { 0x1000, 0x2000, 2 }, MTRR_E_INVALID_TYPE },
		{ { 0, 0x1000, WB }, { 0x1000, 0x2000, 7 }, MTRR_E_INVALID_TYPE },
		{ { 0, 0x1000, WB }, { 0x1000, 0x2000, MTRR_TYPE_MIXED }, MTRR_E_INVALID_TYPE },
		{ { 0, 0x1000, WB }, { 0x1000, 0x2000, MTRR_TYPE_INVALID }, MTRR_E_INVALID_TYPE },
		{ { 0, 0x1000, WB }, { 0x1000, 0x2000, 0xF1 }, MTRR_E_INVALID_TYPE },
		{ { 0, 0x1000, WB }, { 0x1000, 0x2000, WC }, MTRR_E_WC_UNSUPPORTED },
		/* bounds before type; the first bad entry decides */
		{ { 0, 0x1000, 9 }, { 0x800, 0x2000, WC }, MTRR_E_INVALID_TYPE },
		{ { 0x1000, 0x1800, 9 }, { 0, 0x2000, WB }, MTRR_E_INVALID_ARG },
		{ { 0, 0x1000, WC }, { 0x800, 0x2000, 9 }, MTRR_E_WC_UNSUPPORTED },
	};
	struct mtrr_range w[3];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		w[0] = cases[i].a;
		w[1] = cases[i].b;
		REFUSED(&c, w, 2, &o, cases[i].st);
	}
	/* Beyond MAXPHYADDR by one page; exactly up to it is fine. */
	w[0] = rng(0, top + 0x1000, WB);
	REFUSED(&c, w, 1, &o, MTRR_E_INVALID_ARG);
	w[0] = rng(top, top + 0x1000, WB);
	REFUSED(&c, w, 1, &o, MTRR_E_INVALID_ARG);
	w[0] = rng(0, top, WB);
	assert_int_equal(min_pairs(&c, w, 1, &o), 0);
	/* A bad entry after many good ones, and a bad ANY entry. */
	w[0] = rng(0, GIB, WB);
	w[1] = rng(GIB, 2 * GIB, ANY);
	w[2] = rng(2 * GIB, 2 * GIB + 0x1000, 0x81);
	REFUSED(&c, w, 3, &o, MTRR_E_INVALID_TYPE);
	w[2] = rng(GIB + 0x1000, 3 * GIB, WB);
	REFUSED(&c, w, 3, &o, MTRR_E_INVALID_ARG);
	/* Adjacent entries of one type are fine (an unmerged map). */
	w[1] = rng(GIB, 2 * GIB, WB);
	w[2] = rng(2 * GIB, 3 * GIB, WB);
	assert_int_equal(min_pairs(&c, w, 3, &o), 0);
}

static void
fixed_conflict(void **state)
{
	struct mtrr_caps c = caps_of(8, true, false, false, 36, MTRR_VENDOR_INTEL);
	struct mtrr_plan_opts fix = opts_of(MTRR_PLAN_DEFAULT_FREE, 0, false, true);
	struct mtrr_plan_opts var = opts_of(MTRR_PLAN_DEFAULT_FREE, 0, false, false);
	/* EBDA at 0x9F000 inside the 16 KiB unit [0x9C000, 0xA0000). */
	struct mtrr_range w[3] = {
		rng(0, 0x9F000, WB), rng(0x9F000, 0xA0000, UC), rng(MIB, 2 * GIB, WB),
	};
	struct mtrr_state s;

	(void)state;
	REFUSED(&c, w, 3, &fix, MTRR_E_FIXED_CONFLICT);
	/* Planned with pairs instead, it works: WB default, a UC page. */
	assert_int_equal(plan_ok(&c, w, 3, &var, &s), 1);
	/* Moved to a unit boundary, or made don't care, it fits the fixed ranges. */
	w[0].end = w[1].start = 0x9C000;
	assert_int_equal(plan_ok(&c, w, 3, &fix, &s), 0);
	w[0].end = w[1].start = 0x9F000;
	w[1].type = ANY;
	assert_int_equal(plan_ok(&c, w, 3, &fix, &s), 0);
	/* A conflict in a 64 KiB unit and in a 4 KiB one. */
	w[0] = rng(0, 0x8000, WB);
	w[1] = rng(0x8000, 0x10000, WT);
	REFUSED(&c, w, 3, &fix, MTRR_E_FIXED_CONFLICT);
	w[0] = rng(0xC0000, 0xC1000, WP);
	w[1] = rng(0xC1000, 0xC2000, WT);
	assert_int_equal(plan_ok(&c, w, 3, &fix, &s), 0);
	w[1] = rng(0xF0000, 0xF1000, WT);
	w[2] = rng(0xF1000, 0xF2000, WP);
	assert_int_equal(plan_ok(&c, w, 3, &fix, &s), 0);
	/* Entries that span several units and the 1 MiB boundary. */
	w[0] = rng(0, 0xA0000, WB);
	w[1] = rng(0xA0000, 0xC0000, UC);
	w[2] = rng(0xC0000, 0x200000, WP);
	assert_int_equal(plan_ok(&c, w, 3, &fix, &s), 0);
	assert_int_equal(s.def_type, MTRR_DEF_E | MTRR_DEF_FE | WP);
	assert_int_equal(s.fixed[0], 0x0606060606060606ull);
	assert_int_equal(s.fixed[1], 0x0606060606060606ull);
	assert_int_equal(s.fixed[2], 0);
	assert_int_equal(s.fixed[3], 0x0505050505050505ull);
	assert_int_equal(s.fixed[10], 0x0505050505050505ull);
}

/* ---- the options -------------------------------------------------------- */

/* A desktop: DOS area, VGA, ROMs, RAM to 0x7B800000, stolen memory and the PCI hole UC, RAM above 4 GiB. */
static const struct mtrr_range desktop[] = {
	{ 0, 0xA0000, WB },
	{ 0xA0000, 0xC0000, UC },
	{ 0xC0000, 0x100000, WP },
	{ 0x100000, 0x7AA2E000, WB },
	{ 0x7AA2E000, 0x7B800000, WB },         /* firmware-reserved RAM */
	{ 0x7B800000, 0x80000000, UC },         /* graphics stolen memory */
	{ 0x80000000, 0x100000000, UC },        /* PCI hole, ECAM, APICs, flash */
	{ 0x100000000, 0x480000000, WB },
};
#define NDESKTOP (sizeof(desktop) / sizeof(desktop[0]))

static void
default_fixed_or_free(void **state)
{
	struct mtrr_caps c = caps_of(10, true, false, false, 39, MTRR_VENDOR_INTEL);
	struct mtrr_plan_opts o;
	struct mtrr_state s;
	unsigned free_pairs, uc_pairs, wb_pairs;

	(void)state;
	o = opts_of(MTRR_PLAN_DEFAULT_FREE, 0, false, true);
	free_pairs = plan_ok(&c, desktop, NDESKTOP, &o, &s);
	/* WB default, UC over [0x7B800000, 4 GiB): 8 + 64 MiB + 2 GiB. */
	assert_int_equal(free_pairs, 3);
	assert_int_equal(s.def_type & 0xFF, WB);
	o.default_type = WB;
	wb_pairs = plan_ok(&c, desktop, NDESKTOP, &o, &s);
	assert_int_equal(wb_pairs, 3);
	o.default_type = UC;
	uc_pairs = plan_ok(&c, desktop, NDESKTOP, &o, &s);
	assert_true(uc_pairs > free_pairs);
	print_message("desktop: %u pairs free (WB), %u with a UC default\n", free_pairs,
		      uc_pairs);
	o.default_type = WT;            /* everything by pairs, WT punched in nothing */
	assert_true(plan_ok(&c, desktop, NDESKTOP, &o, &s) >= uc_pairs);
	/* Free is the best fixed choice, always. */
	o.default_type = WP;
	assert_true(plan_ok(&c, desktop, NDESKTOP, &o, &s) >= free_pairs);
}

static void
ties_prefer_uc(void **state)
{
	struct mtrr_caps c = caps_of(8, false, true, false, 36, MTRR_VENDOR_INTEL);
	struct mtrr_plan_opts o = opts_of(MTRR_PLAN_DEFAULT_FREE, 0, false, false);
	struct mtrr_range w[2] = { rng(0, GIB, WB), rng(GIB, 2 * GIB, UC) };
	struct mtrr_state s;

	(void)state;
	/* Empty map: no pair, UC default. */
	assert_int_equal(plan_ok(&c, w, 0, &o, &s), 0);
	assert_int_equal(s.def_type, MTRR_DEF_E | UC);
	/* One pair either way (WB block or UC block): UC wins the tie. */
	assert_int_equal(plan_ok(&c, w, 2, &o, &s), 1);
	assert_int_equal(s.def_type & 0xFF, UC);
	assert_int_equal(s.var[0].base, WB);
	/* All WC: WC default, no pair. */
	w[0].type = w[1].type = WC;
	assert_int_equal(plan_ok(&c, w, 2, &o, &s), 0);
	assert_int_equal(s.def_type & 0xFF, WC);
	/* Without caps.wc the default is never WC, and no pair is WC. */
	w[0].type = WB;
	w[1].type = WP;
	c.wc = false;
	assert_int_equal(plan_ok(&c, w, 2, &o, &s), 1);
	assert_int_equal(s.def_type & 0xFF, WB);
}

static void
reserved_pairs(void **state)
{
	struct mtrr_caps c = caps_of(8, false, false, false, 36, MTRR_VENDOR_INTEL);
	struct mtrr_plan_opts o = opts_of(UC, 2, false, false);
	struct mtrr_range w[14];
	struct mtrr_state s;
	unsigned i, pairs = 0;

	(void)state;
	/* k WB islands in UC: k pairs with a UC default. */
	for (i = 0; i < 7; i++) {
		w[2 * i] = rng((uint64_t)i * 4 * MIB, (uint64_t)i * 4 * MIB + MIB, WB);
		w[2 * i + 1] = rng((uint64_t)i * 4 * MIB + MIB, (uint64_t)(i + 1) * 4 * MIB, UC);
	}
	assert_int_equal(plan_ok(&c, w, 12, &o, &s), 6);
	assert_int_equal(s.var[6].mask, 0);
	assert_int_equal(s.var[7].mask, 0);
	memset(&s, 0x5A, sizeof(s));
	assert_int_equal(mtrr_plan(&c, w, 14, &o, &s, &pairs), MTRR_E_TOO_FEW_PAIRS);
	assert_int_equal(pairs, 7);
	assert_int_equal(s.def_type, 0x5A5A5A5A5A5A5A5Aull);
	o.reserve_pairs = 1;
	assert_int_equal(plan_ok(&c, w, 14, &o, &s), 7);
	assert_int_equal(s.var[7].mask, 0);
	o.reserve_pairs = 0;
	assert_int_equal(plan_ok(&c, w, 14, &o, &s), 7);
	/* pairs_needed NULL on the error path too. */
	o.reserve_pairs = 2;
	assert_int_equal(mtrr_plan(&c, w, 14, &o, &s, NULL), MTRR_E_TOO_FEW_PAIRS);
	/* VCNT 0: only maps a default type alone gives. */
	c.vcnt = 0;
	o.reserve_pairs = 0;
	o.default_type = MTRR_PLAN_DEFAULT_FREE;
	assert_int_equal(plan_ok(&c, w, 1, &o, &s), 0);
	assert_int_equal(s.def_type, MTRR_DEF_E | WB);
	assert_int_equal(mtrr_plan(&c, w, 2, &o, &s, &pairs), MTRR_E_TOO_FEW_PAIRS);
	assert_int_equal(pairs, 1);
}

static void
whole_space_pair(void **state)
{
	struct mtrr_caps c = caps_of(8, false, false, false, 32, MTRR_VENDOR_INTEL);
	struct mtrr_plan_opts o = opts_of(UC, 0, false, false);
	/* WB everywhere but a 128 MiB UC hole in the top GiB. */
	struct mtrr_range w[3] = {
		rng(0, 0xC0000000, WB), rng(0xC0000000, 0xC8000000, UC),
		rng(0xC8000000, 0x100000000, WB),
	};
	struct mtrr_state s;

	(void)state;
	/* UC default, no whole-space pair: WB [0, 2G) [2G, 4G), UC hole. */
	assert_int_equal(plan_ok(&c, w, 3, &o, &s), 3);
	/* With it: WB over everything, the UC hole. */
	o.allow_whole_space = true;
	assert_int_equal(plan_ok(&c, w, 3, &o, &s), 2);
	assert_int_equal(s.var[0].base, WB);
	assert_int_equal(s.var[0].mask, MTRR_PHYSMASK_V);
	/* A free default makes it useless: WB default, the hole. */
	o.default_type = MTRR_PLAN_DEFAULT_FREE;
	assert_int_equal(plan_ok(&c, w, 3, &o, &s), 1);
	assert_int_equal(s.def_type & 0xFF, WB);
	/* The whole-space pair at a wider MAXPHYADDR types the top too. */
	c.phys_bits = 52;
	w[2].end = 1ull << 52;
	o.default_type = UC;
	assert_int_equal(plan_ok(&c, w, 3, &o, &s), 2);
	o.allow_whole_space = false;
	assert_int_equal(plan_ok(&c, w, 3, &o, &s), 3);
	/* Wanted everywhere as WB under a fixed UC default, no hole. */
	w[0].end = 1ull << 52;
	assert_int_equal(plan_ok(&c, w, 1, &o, &s), 2);
	o.allow_whole_space = true;
	assert_int_equal(plan_ok(&c, w, 1, &o, &s), 1);
}

static void
fixed_ranges_on_off(void **state)
{
	struct mtrr_caps c = caps_of(10, true, false, false, 39, MTRR_VENDOR_INTEL);
	struct mtrr_plan_opts o = opts_of(UC, 0, false, true);
	struct mtrr_state s;
	unsigned with, without;

	(void)state;
	with = plan_ok(&c, desktop, NDESKTOP, &o, &s);
	assert_int_equal(s.fixed[0], 0x0606060606060606ull);
	assert_int_equal(s.fixed[2], 0);
	assert_int_equal(s.fixed[3], 0x0505050505050505ull);
	o.use_fixed = false;
	without = min_pairs(&c, desktop, NDESKTOP, &o);
	print_message("desktop, UC default: %u pairs with fixed ranges, %u without\n", with,
		      without);
	assert_true(without > with);
	o.default_type = MTRR_PLAN_DEFAULT_FREE;
	without = plan_ok(&c, desktop, NDESKTOP, &o, &s);
	for (unsigned i = 0; i < MTRR_FIXED_MSRS; i++)
		assert_int_equal(s.fixed[i], 0);
	/* caps.fixed without use_fixed: FE clear, first MiB by pairs. */
	assert_int_equal(s.def_type & MTRR_DEF_FE, 0);
	o.default_type = UC;
	/* Below 1 MiB nothing else: with the fixed ranges the pairs ignore it. */
	{
		struct mtrr_range w[2] = { rng(0, 0x1000, WT), rng(MIB, 2 * MIB, WB) };

		o.use_fixed = true;
		assert_int_equal(plan_ok(&c, w, 2, &o, &s), 1);
		assert_int_equal(s.fixed[0] & 0xFF, WT);
		assert_int_equal(s.fixed[1], 0);        /* don't care: UC */
		assert_int_equal(s.var[0].base, MIB | WB);
		o.use_fixed = false;
		assert_int_equal(plan_ok(&c, w, 2, &o, &s), 2);
	}
}

/*
 * EDK2's MtrrLib sizes its work arrays for 32 pairs and overflowed when an
 * optimum needed exactly 32: 32 WB MiB islands 2 MiB apart need 32 pairs
 * whatever the default type.
 */
static void
edk2_32_pair_edge(void **state)
{
	struct mtrr_caps c = caps_of(32, true, false, false, 36, MTRR_VENDOR_INTEL);
	struct mtrr_plan_opts o = opts_of(MTRR_PLAN_DEFAULT_FREE, 0, false, false);
	struct mtrr_range w[82];
	struct mtrr_state s;
	unsigned i, pairs = 0;

	(void)state;
	for (i = 0; i < 41; i++) {
		w[2 * i] = rng(GIB + i * 2 * MIB, GIB + i * 2 * MIB + MIB, WB);
		w[2 * i + 1] = rng(GIB + i * 2 * MIB + MIB, GIB + (i + 1) * 2 * MIB, UC);
	}
	assert_int_equal(plan_ok(&c, w, 64, &o, &s), 32);
	o.default_type = UC;
	assert_int_equal(plan_ok(&c, w, 64, &o, &s), 32);
	o.default_type = WB;
	assert_int_equal(plan_ok(&c, w, 64, &o, &s), 32);
	c.vcnt = 31;
	assert_int_equal(mtrr_plan(&c, w, 64, &o, &s, &pairs), MTRR_E_TOO_FEW_PAIRS);
	assert_int_equal(pairs, 32);
	c.vcnt = 34;
	o.reserve_pairs = 2;            /* EDK2's reservation */
	assert_int_equal(plan_ok(&c, w, 64, &o, &s), 32);
	/* And the largest count that fits at all: 40 of them at VCNT 40. */
	c.vcnt = MTRR_VAR_MAX;
	o.reserve_pairs = 0;
	assert_int_equal(plan_ok(&c, w, 80, &o, &s), 40);
	assert_int_equal(mtrr_plan(&c, w, 82, &o, &s, &pairs), MTRR_E_TOO_FEW_PAIRS);
	assert_int_equal(pairs, 41);
}

/* ---- realistic maps ---------------------------------------------------- */

/* QEMU q35 guest under OVMF, 6 GiB: RAM split at 2 GiB, 64-bit PCI window. */
static const struct mtrr_range qemu_ovmf[] = {
	{ 0, 0xA0000, WB },
	{ 0xA0000, 0xC0000, UC },
	{ 0xC0000, 0x100000, WB },              /* OVMF shadows nothing: RAM */
	{ 0x100000, 0x80000000, WB },
	{ 0x80000000, 0x100000000, UC },        /* PCI hole, ECAM at 0xB0000000 */
	{ 0x100000000, 0x180000000, WB },
	{ 0x800000000, 0x1000000000, UC },      /* 64-bit PCI window, 32 GiB */
};

/* Two-socket server: MMIO from 0x78000000, a hole between the nodes, per-socket windows. */
static const struct mtrr_range server[] = {
	{ 0, 0x9C000, WB },
	{ 0x9C000, 0xA0000, WB },               /* EBDA */
	{ 0xA0000, 0xC0000, UC },
	{ 0xC0000, 0x100000, WP },
	{ 0x100000, 0x6F7FF000, WB },
	{ 0x6F7FF000, 0x78000000, WB },         /* ACPI, firmware reserved */
	{ 0x78000000, 0x80000000, UC },         /* TSEG, ME */
	{ 0x80000000, 0x100000000, UC },
	{ 0x100000000, 0x1080000000, WB },      /* node 0 */
	{ 0x1080000000, 0x1100000000, UC },     /* hole */
	{ 0x1100000000, 0x2080000000, WB },     /* node 1 */
	{ 0x38000000000, 0x38400000000, UC },   /* socket 0 window */
	{ 0x3A000000000, 0x3A400000000, UC },   /* socket 1 window */
};

static void
realistic_maps(void **state)
{
	struct mtrr_caps c = caps_of(10, true, true, false, 46, MTRR_VENDOR_INTEL);
	struct mtrr_plan_opts o = opts_of(MTRR_PLAN_DEFAULT_FREE, 0, false, true);
	struct mtrr_state s;
	unsigned n;

	(void)state;
	n = plan_ok(&c, qemu_ovmf, sizeof(qemu_ovmf) / sizeof(qemu_ovmf[0]), &o, &s);
	/* WB default, UC [2G, 4G) and [32G, 64G); WB [4G, 6G) is default. */
	assert_int_equal(n, 2);
	n = plan_ok(&c, server, sizeof(server) / sizeof(server[0]), &o, &s);
	assert_true(n <= 6);
	print_message("server: %u pairs, default %s\n", n, mtrr_type_str((uint8_t)s.def_type));
	o.default_type = UC;
	print_message("server, UC default: %u pairs\n",
		      plan_ok(&c, server, sizeof(server) / sizeof(server[0]), &o, &s));
	o.use_fixed = false;
	print_message("server, UC default, no fixed: %u pairs\n",
		      min_pairs(&c, server, sizeof(server) / sizeof(server[0]), &o));
}

/* ---- seeded random maps: resolve-back --------------------------------- */

static uint64_t
rnd(uint64_t *x)                /* splitmix64 */
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint64_t
rnd_below(uint64_t *x, uint64_t n)
{
	return n ? rnd(x) % n : 0;
}

static uint8_t
rnd_type(uint64_t *x, bool wc, unsigned any_percent)
{
	static const uint8_t t[] = { UC, WT, WP, WB, WC };

	if (rnd_below(x, 100) < any_percent)
		return ANY;
	return t[rnd_below(x, wc ? 5 : 4)];
}

/*
 * A random wanted map: `n` entries whose boundaries are multiples of 2^g
 * (g >= 12), sometimes with gaps and explicit ANY entries.
 */
static size_t
random_map(uint64_t *x, const struct mtrr_caps *c, struct mtrr_range *w, size_t n, unsigned g)
{
	uint64_t limit = 1ull << c->phys_bits, pos = 0, gran = 1ull << g;
	size_t k = 0;

	while (k < n && pos < limit) {
		uint64_t len = (1 + rnd_below(x, 8)) * gran << rnd_below(x, 6);

		if (rnd_below(x, 4) == 0)
			pos += (1 + rnd_below(x, 4)) * gran;            /* a gap */
		if (pos >= limit)
			break;
		if (len > limit - pos)
			len = limit - pos;
		w[k++] = rng(pos, pos + len, rnd_type(x, c->wc, 10));
		pos += len;
	}
	return k;
}

static void
random_resolve_back(void **state)
{
	uint64_t x = 0x706C616E;                /* "plan" */
	struct mtrr_range w[24];
	struct mtrr_state s;
	unsigned i, ok = 0, too_few = 0;

	(void)state;
	for (i = 0; i < 3000; i++) {
		struct mtrr_caps c = caps_of((unsigned)rnd_below(&x, 41), rnd_below(&x, 2) != 0,
					     rnd_below(&x, 2) != 0, false,
					     32 + (unsigned)rnd_below(&x, 21), MTRR_VENDOR_INTEL);
		unsigned g = 12 + (unsigned)rnd_below(&x, c.phys_bits - 16);
		size_t n = random_map(&x, &c, w, 1 + rnd_below(&x, 24), g);
		struct mtrr_plan_opts o;
		unsigned pairs = 0, more = 0, def;
		mtrr_status st;

		o = opts_of(rnd_below(&x, 3) ? MTRR_PLAN_DEFAULT_FREE : rnd_type(&x, c.wc, 0),
			    (unsigned)rnd_below(&x, c.vcnt + 1) / 2, rnd_below(&x, 2) != 0,
			    c.fixed && rnd_below(&x, 2));
		st = mtrr_plan(&c, w, n, &o, &s, &pairs);
		if (st == MTRR_E_FIXED_CONFLICT) {
			assert_true(o.use_fixed);
			continue;
		}
		if (st == MTRR_E_TOO_FEW_PAIRS) {
			assert_true(pairs > c.vcnt - o.reserve_pairs);
			/* The count is the same one a larger VCNT plans with. */
			if (pairs + o.reserve_pairs <= MTRR_VAR_MAX) {
				c.vcnt = MTRR_VAR_MAX;
				assert_int_equal(plan_ok(&c, w, n, &o, &s), pairs);
			}
			too_few++;
			continue;
		}
		assert_int_equal(st, MTRR_OK);
		check_plan(&s, w, n, &o, pairs);
		def = (unsigned)(s.def_type & 0xFF);
		ok++;
		/* Caring less never costs more: every ANY entry dropped, one entry made ANY. */
		if (n > 1) {
			size_t k = rnd_below(&x, n);
			uint8_t t = w[k].type;

			w[k].type = ANY;
			assert_int_equal(mtrr_plan(&c, w, n, &o, &s, &more), MTRR_OK);
			assert_true(more <= pairs);
			w[k].type = t;
		}
		/* A free default is never worse than the one it picked, fixed. */
		if (o.default_type == MTRR_PLAN_DEFAULT_FREE) {
			o.default_type = (int)def;
			assert_int_equal(plan_ok(&c, w, n, &o, &s), pairs);
		}
	}
	print_message("random maps: %u planned, %u too few pairs\n", ok, too_few);
	assert_true(ok > 1000);
	assert_true(too_few > 50);
}

/* ---- minimality against an exhaustive search ---------------------------- */

/*
 * A toy space: `units` (<= 64) units of 2^shift bytes from `base`, each
 * wanting one type or ANY; every address outside is don't care.  A register
 * set is judged unit by unit: for a wanted map that is constant on units,
 * blocks smaller than a unit never help (keep, in every unit, the blocks that
 * hold one chosen offset, scaled up to the unit: each unit's type becomes
 * the type at that offset), and a block larger than the window acts on it
 * as the window block.  So the search ranges over the aligned blocks of
 * units inside the window (the window itself only when a pair may cover it:
 * always, unless the window is the whole space and no whole-space pair is
 * allowed), any type, and every default type the options allow; overlaps
 * the SDM leaves undefined fail a cared-for unit and are fine elsewhere.
 */
struct toy {
	unsigned units, log_units, shift, phys;
	uint64_t base;
	uint8_t want[64];
	bool wc, window_pair;
	int def;
};

static const uint8_t toy_types[5] = { UC, WC, WT, WP, WB };

struct search {
	uint64_t full;          /* the window's units */
	uint64_t want[5];       /* units wanting toy_types[t] */
	unsigned ntypes;        /* 5 with WC, else the four others */
	unsigned log_units;
	bool window_pair;
	unsigned long nodes;
};

static int
toy_ix(uint8_t type)
{
	unsigned t;

	for (t = 0; t < 5; t++)
		if (toy_types[t] == type)
			return (int)t;
	return -1;
}

/* Can `depth` more blocks make every cared-for unit right, given m[type] covers? */
static bool
search(struct search *q, uint64_t m[5], unsigned d, unsigned depth)
{
	uint64_t any = m[0] | m[1] | m[2] | m[3] | m[4], r[5], wrong = 0, onlyx[5];
	unsigned t, lv, u;

	q->nodes++;
	for (t = 0; t < 5; t++) {
		uint64_t others = 0;
		unsigned o;

		for (o = 0; o < 5; o++)
			if (o != t)
				others |= m[o];
		onlyx[t] = m[t] & ~others;
	}
	r[0] = m[0];                                            /* UC wins */
	r[1] = onlyx[1];
	r[2] = onlyx[2] | (m[2] & m[4] & ~(m[0] | m[1] | m[3])); /* WT over WB */
	r[3] = onlyx[3];
	r[4] = onlyx[4];
	r[d] |= q->full & ~any;                                 /* the default */
	for (t = 0; t < 5; t++)
		wrong |= q->want[t] & ~r[t];
	if (wrong == 0)
		return true;
	if (depth == 0)
		return false;
	/* Some block over the lowest wrong unit must still be added. */
	u = (unsigned)__builtin_ctzll(wrong);
	for (lv = 0; lv <= q->log_units; lv++) {
		uint64_t size = 1ull << lv;
		uint64_t bm = (size >= 64 ? ~0ull : ((1ull << size) - 1)) << (u & ~(size - 1));

		if (lv == q->log_units && !q->window_pair)
			continue;
		for (t = 0; t < 5; t++) {
			uint64_t old = m[t];

			if ((t == 1 && q->ntypes < 5) || (old & bm) == bm)
				continue;               /* no WC; or changes nothing */
			m[t] |= bm;
			if (search(q, m, d, depth - 1)) {
				m[t] = old;
				return true;
			}
			m[t] = old;
		}
	}
	return false;
}

/* The fewest blocks the exhaustive search finds, up to max_depth; max + 1 if none. */
static unsigned
brute_min(const struct toy *toy, unsigned max_depth, unsigned long *nodes)
{
	struct search q;
	unsigned depth, d, u;

	memset(&q, 0, sizeof(q));
	q.full = toy->units == 64 ? ~0ull : (1ull << toy->units) - 1;
	q.ntypes = toy->wc ? 5 : 4;
	q.log_units = toy->log_units;
	q.window_pair = toy->window_pair;
	for (u = 0; u < toy->units; u++)
		if (toy->want[u] != ANY)
			q.want[toy_ix(toy->want[u])] |= 1ull << u;
	for (depth = 0; depth <= max_depth; depth++) {
		for (d = 0; d < 5; d++) {
			uint64_t m[5] = { 0, 0, 0, 0, 0 };

			if (toy->def != MTRR_PLAN_DEFAULT_FREE && toy_types[d] != toy->def)
				continue;
			if (d == 1 && !toy->wc)
				continue;
			if (search(&q, m, d, depth)) {
				*nodes += q.nodes;
				return depth;
			}
		}
	}
	*nodes += q.nodes;
	return max_depth + 1;
}

/* The toy as a wanted map (runs merged; ANY runs left out or listed). */
static size_t
toy_map(const struct toy *toy, struct mtrr_range *w, bool list_any)
{
	uint64_t unit = 1ull << toy->shift;
	size_t n = 0;
	unsigned u = 0, v;

	while (u < toy->units) {
		for (v = u + 1; v < toy->units && toy->want[v] == toy->want[u]; v++)
			;
		if (toy->want[u] != ANY || list_any)
			w[n++] = rng(toy->base + u * unit, toy->base + v * unit, toy->want[u]);
		u = v;
	}
	return n;
}

/* A random toy: a few runs of random types over the units. */
static void
random_toy(uint64_t *x, struct toy *toy)
{
	unsigned runs = 1 + (unsigned)rnd_below(x, 6), u = 0, r;

	for (r = 0; r < runs; r++) {
		unsigned end = r + 1 == runs ? toy->units :
			       u + (unsigned)rnd_below(x, toy->units - u + 1);
		uint8_t t = rnd_type(x, toy->wc, 25);

		while (u < end)
			toy->want[u++] = t;
	}
	/* Sometimes a few single-unit changes on top. */
	for (r = (unsigned)rnd_below(x, 3); r > 0; r--)
		toy->want[rnd_below(x, toy->units)] = rnd_type(x, toy->wc, 25);
}

static void
minimal_vs_exhaustive(void **state)
{
	/* Layouts: whole 4 GiB space in 128 MiB units; 64 units of 64 MiB; pages. */
	static const struct {
		unsigned units, log_units, shift, phys;
		uint64_t base;
		bool fixed;             /* fixed ranges on, window above 1 MiB */
	} lay[] = {
		{ 32, 5, 27, 32, 0, false },
		{ 64, 6, 26, 32, 0, false },
		{ 32, 5, 12, 36, 0, false },
		{ 32, 5, 12, 40, 0x7FFE0000, false },
		{ 32, 5, 21, 52, 0x40000000, false },
		{ 16, 4, 16, 36, 0x100000, true },
	};
	uint64_t x = 0x6D696E;
	unsigned i, proved = 0, deep = 0, by_count[6] = { 0 };
	unsigned long nodes = 0;
	struct mtrr_range w[2 + 64];

	(void)state;
	for (i = 0; i < 1200; i++) {
		const unsigned l = (unsigned)rnd_below(&x, sizeof(lay) / sizeof(lay[0]));
		struct toy toy;
		struct mtrr_caps c;
		struct mtrr_plan_opts o;
		struct mtrr_state s;
		size_t n, k = 0;
		unsigned pairs, brute, max;
		bool whole_space = (uint64_t)lay[l].units << lay[l].shift == 1ull << lay[l].phys;

		memset(&toy, 0, sizeof(toy));
		toy.units = lay[l].units;
		toy.log_units = lay[l].log_units;
		toy.shift = lay[l].shift;
		toy.phys = lay[l].phys;
		toy.base = lay[l].base;
		toy.wc = rnd_below(&x, 2) != 0;
		toy.def = rnd_below(&x, 2) ? MTRR_PLAN_DEFAULT_FREE : rnd_type(&x, toy.wc, 0);
		random_toy(&x, &toy);
		c = caps_of(MTRR_VAR_MAX, lay[l].fixed, toy.wc, false, toy.phys,
			    MTRR_VENDOR_INTEL);
		o = opts_of(toy.def, 0, rnd_below(&x, 2) != 0, lay[l].fixed);
		toy.window_pair = !whole_space || o.allow_whole_space;
		if (lay[l].fixed) {
			/* Something below 1 MiB, for the fixed ranges only. */
			w[k++] = rng(0, 0xA0000, WB);
			w[k++] = rng(0xC0000, 0x100000, rnd_type(&x, toy.wc, 0));
		}
		n = k + toy_map(&toy, w + k, rnd_below(&x, 2) != 0);
		pairs = plan_ok(&c, w, n, &o, &s);
		/* Prove up to 4 pairs minimal (3 on 64 units); beyond, a shallower search. */
		max = toy.units == 64 ? 3 : 4;
		max = pairs <= max ? pairs : max - 1;
		brute = brute_min(&toy, max, &nodes);
		if (brute != (pairs <= max ? pairs : max + 1)) {
			dump_plan(&s, w, n);
			fail_msg("case %u: plan %u pairs, exhaustive search %u (max %u)", i,
				 pairs, brute, max);
		}
		if (pairs <= max)
			proved++;
		else
			deep++;
		by_count[pairs < 5 ? pairs : 5]++;
	}
	print_message("exhaustive: %u plans proved minimal, %u shown to need > 2-3 pairs;"
		      " by count 0:%u 1:%u 2:%u 3:%u 4:%u 5+:%u; %lu search nodes\n",
		      proved, deep, by_count[0], by_count[1], by_count[2], by_count[3],
		      by_count[4], by_count[5], nodes);
	assert_true(proved > 900);
	assert_true(by_count[3] + by_count[4] > 150);
}

/* Hand-checked small cases for the search itself: it must not be vacuous. */
static void
exhaustive_search_sanity(void **state)
{
	struct toy toy;
	unsigned long nodes = 0;
	unsigned u;

	(void)state;
	memset(&toy, 0, sizeof(toy));
	toy.units = 32;
	toy.log_units = 5;
	toy.window_pair = true;
	toy.def = UC;
	for (u = 0; u < 32; u++)
		toy.want[u] = ANY;
	assert_int_equal(brute_min(&toy, 3, &nodes), 0);
	/* WB on units 0..6 and UC on 7 under a UC default: WB [0, 8) + UC 7. */
	for (u = 0; u < 8; u++)
		toy.want[u] = WB;
	toy.want[7] = UC;
	assert_int_equal(brute_min(&toy, 3, &nodes), 2);
	/* ... WT at 7 instead: WT over WB. */
	toy.want[7] = WT;
	assert_int_equal(brute_min(&toy, 3, &nodes), 2);
	/* ... WP at 7: no precedence helps: 0..3, 4..5, 6, 7. */
	toy.want[7] = WP;
	assert_int_equal(brute_min(&toy, 3, &nodes), 4);
	toy.def = MTRR_PLAN_DEFAULT_FREE;     /* WB default, WP at 7 */
	assert_int_equal(brute_min(&toy, 3, &nodes), 1);
	/* Pages 0 and 2 WB, 1 and 3 UC: two contiguous blocks (one strided one). */
	for (u = 0; u < 8; u++)
		toy.want[u] = ANY;
	toy.want[0] = toy.want[2] = WB;
	toy.want[1] = toy.want[3] = UC;
	assert_int_equal(brute_min(&toy, 3, &nodes), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_pointers_and_caps),
		cmocka_unit_test(bad_options),
		cmocka_unit_test(bad_entries),
		cmocka_unit_test(fixed_conflict),
		cmocka_unit_test(default_fixed_or_free),
		cmocka_unit_test(ties_prefer_uc),
		cmocka_unit_test(reserved_pairs),
		cmocka_unit_test(whole_space_pair),
		cmocka_unit_test(fixed_ranges_on_off),
		cmocka_unit_test(edk2_32_pair_edge),
		cmocka_unit_test(realistic_maps),
		cmocka_unit_test(random_resolve_back),
		cmocka_unit_test(exhaustive_search_sanity),
		cmocka_unit_test(minimal_vs_exhaustive),
	};

	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
