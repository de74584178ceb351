/*
 * test_map.c — the compiled map (libmtrr/map_build.c, libmtrr/map_lookup.c):
 * mtrr_map_build, _lookup, _lookup_inline, _lookup_next, _lookup_range,
 * _ranges, _diff.
 *
 * Three kinds of test:
 *   - the hand-computed cases of test_resolver_helpers.h, each point asked of
 *     mtrr_map_lookup, _lookup_next and _lookup_range (and of the reference);
 *   - the map's own contract with hand-written expectations: run walks,
 *     ranges, diffs, buffer sizing, NULL arguments;
 *   - a seeded property test: thousands of random legal states, every query
 *     of the map compared with mtrr_ref_lookup.  A failure prints the seed,
 *     the state as a WRMSR sequence and the address.
 */
#include <stdio.h>
#include <stdlib.h>

#include "test_resolver_helpers.h"

_Static_assert(sizeof(struct mtrr_map) <= 8192, "struct mtrr_map must fit in 8 KiB");

static struct mtrr_map g_map;           /* 8 KiB: off the stack */

static void
rt_build(struct mtrr_map *m, const struct mtrr_state *s)
{
	assert_int_equal(mtrr_map_build(m, s), MTRR_OK);
}

static void
rt_fail(const struct mtrr_state *s, const char *file, int line)
{
	if (s != NULL)
		rt_dump(s);
	_fail(file, line);
}

/*
 * One expected point, through every point query of a map freshly built from
 * `s`: lookup, lookup_inline, lookup_next (type, and a run that starts at
 * addr), and lookup_range over the byte and over its 4 KiB page (no type
 * changes inside a page).  The reference must agree too: the expectations are typed
 * by hand and a wrong one must not hide behind a matching map.
 */
static void
rt_expect(const struct mtrr_state *s, uint64_t addr, uint8_t want, const char *file, int line)
{
	uint64_t limit = 1ull << s->caps.phys_bits, next = 0x5A5A;
	uint8_t got;

	rt_build(&g_map, s);
	got = mtrr_ref_lookup(s, addr);
	if (got != want) {
		print_error("%s:%d: expectation disagrees with the reference at %#" PRIx64
			    ": ref %s, want %s\n", file, line, addr, mtrr_type_str(got),
			    mtrr_type_str(want));
		rt_fail(s, file, line);
	}
	got = mtrr_map_lookup(&g_map, addr);
	if (got != want) {
		print_error("%s:%d: mtrr_map_lookup(%#" PRIx64 ") = %s, want %s\n",
			    file, line, addr, mtrr_type_str(got), mtrr_type_str(want));
		rt_fail(s, file, line);
	}
	got = mtrr_map_lookup_inline(&g_map, addr);
	if (got != want) {
		print_error("%s:%d: mtrr_map_lookup_inline(%#" PRIx64 ") = %s, want %s\n",
			    file, line, addr, mtrr_type_str(got), mtrr_type_str(want));
		rt_fail(s, file, line);
	}
	got = mtrr_map_lookup_next(&g_map, addr, &next);
	if (got != want || (addr < limit && (next <= addr || next > limit)) ||
	    (addr >= limit && next != limit)) {
		print_error("%s:%d: mtrr_map_lookup_next(%#" PRIx64 ") = %s, next %#" PRIx64
			    ", want %s\n", file, line, addr, mtrr_type_str(got), next,
			    mtrr_type_str(want));
		rt_fail(s, file, line);
	}
	if (addr >= limit)
		return;
	got = mtrr_map_lookup_range(&g_map, addr, addr + 1);
	if (got != want) {
		print_error("%s:%d: mtrr_map_lookup_range(%#" PRIx64 ", +1) = %s, want %s\n",
			    file, line, addr, mtrr_type_str(got), mtrr_type_str(want));
		rt_fail(s, file, line);
	}
	got = mtrr_map_lookup_range(&g_map, addr & ~0xFFFull, (addr & ~0xFFFull) + 0x1000);
	if (got != want) {
		print_error("%s:%d: mtrr_map_lookup_range(page of %#" PRIx64 ") = %s, want %s\n",
			    file, line, addr, mtrr_type_str(got), mtrr_type_str(want));
		rt_fail(s, file, line);
	}
	got = mtrr_map_lookup_range(&g_map, addr, next);
	if (got != want) {
		print_error("%s:%d: mtrr_map_lookup_range(%#" PRIx64 ", next %#" PRIx64
			    ") = %s, want %s: lookup_next's run is not uniform\n",
			    file, line, addr, next, mtrr_type_str(got), mtrr_type_str(want));
		rt_fail(s, file, line);
	}
}

#define EXPECT_RANGE(m, start, end, want) \
	rt_expect_range((m), (start), (end), (uint8_t)(want), __FILE__, __LINE__)
static void
rt_expect_range(const struct mtrr_map *m, uint64_t start, uint64_t end, uint8_t want,
		const char *file, int line)
{
	uint8_t got = mtrr_map_lookup_range(m, start, end);

	if (got != want) {
		print_error("%s:%d: mtrr_map_lookup_range(%#" PRIx64 ", %#" PRIx64
			    ") = %s, want %s\n", file, line, start, end,
			    mtrr_type_str(got), mtrr_type_str(want));
		_fail(file, line);
	}
}

/*
 * lookup_next at addr must answer `want` and *next == want_next; with
 * EXPECT_NEXT_UPTO (maps with non-contiguous masks, where *next may stop
 * early) addr < *next <= want_next.
 */
#define EXPECT_NEXT(m, addr, want, want_next) \
	rt_expect_next((m), (addr), (uint8_t)(want), (want_next), true, __FILE__, __LINE__)
#define EXPECT_NEXT_UPTO(m, addr, want, want_next) \
	rt_expect_next((m), (addr), (uint8_t)(want), (want_next), false, __FILE__, __LINE__)
static void
rt_expect_next(const struct mtrr_map *m, uint64_t addr, uint8_t want, uint64_t want_next,
	       bool exact, const char *file, int line)
{
	uint64_t next = 0x5A5A;
	uint8_t got = mtrr_map_lookup_next(m, addr, &next);

	if (got != want || (exact ? next != want_next : next <= addr || next > want_next)) {
		print_error("%s:%d: mtrr_map_lookup_next(%#" PRIx64 ") = %s, next %#" PRIx64
			    ", want %s, next %s %#" PRIx64 "\n", file, line, addr,
			    mtrr_type_str(got), next, mtrr_type_str(want),
			    exact ? "==" : "<=", want_next);
		_fail(file, line);
	}
}

/* Compares a list of ranges with the expected one, entry by entry. */
#define EXPECT_RANGES(got, n, want, wn) \
	rt_expect_ranges((got), (n), (want), (wn), __FILE__, __LINE__)
static void
rt_expect_ranges(const struct mtrr_range *got, size_t n, const struct mtrr_range *want,
		 size_t wn, const char *file, int line)
{
	size_t i;

	if (n != wn) {
		print_error("%s:%d: %zu ranges, want %zu\n", file, line, n, wn);
		for (i = 0; i < n && i < 64; i++)
			print_error("  got [%#" PRIx64 ", %#" PRIx64 ") %s\n", got[i].start,
				    got[i].end, mtrr_type_str(got[i].type));
		_fail(file, line);
	}
	for (i = 0; i < n; i++) {
		if (got[i].start != want[i].start || got[i].end != want[i].end ||
		    got[i].type != want[i].type) {
			print_error("%s:%d: range %zu is [%#" PRIx64 ", %#" PRIx64 ") %s, want [%#"
				    PRIx64 ", %#" PRIx64 ") %s\n", file, line, i, got[i].start,
				    got[i].end, mtrr_type_str(got[i].type), want[i].start,
				    want[i].end, mtrr_type_str(want[i].type));
			_fail(file, line);
		}
	}
}

#define SDM_NRUNS (sizeof(sdm_example_runs) / sizeof(sdm_example_runs[0]))

/* ------------------------------------------------------------------------ */
/* Build                                                                    */
/* ------------------------------------------------------------------------ */

static void
test_build_null(void **unused)
{
	static struct mtrr_map m, before;
	struct mtrr_state s;

	(void)unused;
	rt_sdm_state(&s);
	memset(&m, 0xA5, sizeof(m));
	memcpy(&before, &m, sizeof(m));
	assert_int_equal(mtrr_map_build(NULL, &s), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_map_build(&m, NULL), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_map_build(NULL, NULL), MTRR_E_INVALID_ARG);
	assert_memory_equal(&m, &before, sizeof(m));
	/* A state that never went through mtrr_state_init (caps all zero). */
	memset(&s, 0, sizeof(s));
	assert_int_equal(mtrr_map_build(&m, &s), MTRR_E_INVALID_ARG);
	assert_memory_equal(&m, &before, sizeof(m));
	/* No map: nothing to list (undocumented in mtrr.h; 0 is the only sane answer). */
	rt_sdm_state(&s);
	rt_build(&m, &s);
	assert_int_equal(mtrr_map_ranges(NULL, NULL, 0), 0);
	assert_int_equal(mtrr_map_diff(NULL, &m, NULL, 0), 0);
	assert_int_equal(mtrr_map_diff(&m, NULL, NULL, 0), 0);
	assert_true(sizeof(struct mtrr_map) <= 8192);
}

/* The header promises a pointer-free map: a memcpy'd copy works alone. */
static void
test_map_copy(void **unused)
{
	static struct mtrr_map m, copy;
	struct mtrr_state s;
	size_t i;

	(void)unused;
	rt_sdm_state(&s);
	rt_build(&m, &s);
	memcpy(&copy, &m, sizeof(m));
	memset(&m, 0xFF, sizeof(m));
	for (i = 0; i < sizeof(sdm_example_points) / sizeof(sdm_example_points[0]); i++)
		assert_int_equal(mtrr_map_lookup(&copy, sdm_example_points[i].addr),
				 sdm_example_points[i].type);
}

/*
 * A state filled directly with an image mtrr_wrmsr would refuse (the issue's
 * PHYSBASE type 0xFF, a reserved mask bit, a pair beyond VCNT) is refused:
 * MTRR_E_INVALID_ARG and the map left as it was, byte for byte.
 */
static void
test_build_refuses_bad_image(void **unused)
{
	static struct mtrr_map m, before;
	struct mtrr_state s, bad;

	(void)unused;
	rt_sdm_state(&s);
	rt_build(&m, &s);
	memcpy(&before, &m, sizeof(m));

	bad = s;
	bad.var[0].base = (bad.var[0].base & ~0xFFull) | 0xFF;
	assert_int_equal(mtrr_map_build(&m, &bad), MTRR_E_INVALID_ARG);
	bad = s;
	bad.var[1].mask |= 1ull << 5;
	assert_int_equal(mtrr_map_build(&m, &bad), MTRR_E_INVALID_ARG);
	bad = s;
	bad.var[s.caps.vcnt].mask = MTRR_PHYSMASK_V;
	assert_int_equal(mtrr_map_build(&m, &bad), MTRR_E_INVALID_ARG);
	bad = s;
	bad.def_type |= 1ull << 9;
	assert_int_equal(mtrr_map_build(&m, &bad), MTRR_E_INVALID_ARG);
	assert_memory_equal(&m, &before, sizeof(m));
	assert_int_equal(mtrr_map_build(&m, &s), MTRR_OK);
}

/*
 * The batch lookup answers each address as the point lookup does: the SDM
 * example's points, their neighbours, addresses beyond MAXPHYADDR, and a
 * stretch of the first MiB; n 0 writes nothing.
 */
static void
test_lookup_batch(void **unused)
{
	static struct mtrr_map m;
	struct mtrr_state s;
	uint64_t addrs[3 * 64 + 256];
	uint8_t types[sizeof(addrs) / sizeof(addrs[0]) + 1];
	size_t i, n = 0, npts = sizeof(sdm_example_points) / sizeof(sdm_example_points[0]);

	(void)unused;
	rt_sdm_state(&s);
	rt_build(&m, &s);
	for (i = 0; i < npts && n + 3 <= 3 * 64; i++) {
		addrs[n++] = sdm_example_points[i].addr;
		addrs[n++] = sdm_example_points[i].addr + 0x1000;
		addrs[n++] = sdm_example_points[i].addr ^ (1ull << s.caps.phys_bits);
	}
	for (i = 0; i < 256; i++)
		addrs[n++] = i * 0x1000 + (i & 0xFFF);
	memset(types, 0xAA, sizeof(types));
	mtrr_map_lookup_batch(&m, addrs, types, n);
	for (i = 0; i < n; i++)
		assert_int_equal(types[i], mtrr_ref_lookup(&s, addrs[i]));
	assert_int_equal(types[n], 0xAA);
	mtrr_map_lookup_batch(&m, addrs, types, 0);
	assert_int_equal(types[0], mtrr_ref_lookup(&s, addrs[0]));
}

/*
 * Building over a map that held another state leaves nothing behind: the
 * second build must answer like a build into a fresh map.  The first state
 * is large (every pair used, non-contiguous masks); the second small.
 */
static void
test_rebuild(void **unused)
{
	static struct mtrr_map m;
	static struct mtrr_range r[SDM_NRUNS + 1];
	struct mtrr_caps c = rt_caps(MTRR_VAR_MAX, 52);
	struct mtrr_state s;
	unsigned n;

	(void)unused;
	rt_init(&s, &c);
	for (n = 0; n < MTRR_VAR_MAX; n++)
		PAIR_RAW(&s, n, (uint64_t)n << 24, 0xFFFFF0F0F0000ull, n % 2 ? WC : WT);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WP, true, false));
	rt_build(&m, &s);
	rt_sdm_state(&s);
	rt_build(&m, &s);
	assert_int_equal(mtrr_map_ranges(&m, r, SDM_NRUNS + 1), SDM_NRUNS);
	EXPECT_RANGES(r, SDM_NRUNS, sdm_example_runs, SDM_NRUNS);
	EXPECT_NEXT(&m, 1ull << 36, INVALID, 1ull << 36);
	EXPECT_NEXT(&m, 1ull << 40, INVALID, 1ull << 36);
}

/* The map is a snapshot: writes to the state after the build do not show. */
static void
test_map_is_a_snapshot(void **unused)
{
	static struct mtrr_map m;
	struct mtrr_state s;

	(void)unused;
	rt_sdm_state(&s);
	rt_build(&m, &s);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, false, false));
	assert_int_equal(mtrr_map_lookup(&m, 0xA0000000ull), WC);
	rt_build(&m, &s);
	assert_int_equal(mtrr_map_lookup(&m, 0xA0000000ull), UC);
}

/* ------------------------------------------------------------------------ */
/* lookup_next                                                              */
/* ------------------------------------------------------------------------ */

/* Walking the SDM example run by run gives exactly its golden runs. */
static void
test_next_walk_sdm(void **unused)
{
	static struct mtrr_map m;
	struct mtrr_state s;
	uint64_t a = 0, next;
	size_t i;

	(void)unused;
	rt_sdm_state(&s);
	rt_build(&m, &s);
	for (i = 0; i < SDM_NRUNS; i++) {
		assert_int_equal(a, sdm_example_runs[i].start);
		EXPECT_NEXT(&m, a, sdm_example_runs[i].type, sdm_example_runs[i].end);
		(void)mtrr_map_lookup_next(&m, a, &next);
		a = next;
	}
	assert_int_equal(a, 1ull << 36);
	/* From inside a run: the run's end, exactly (contiguous masks). */
	EXPECT_NEXT(&m, 0x12345, WB, 0xA0000);
	EXPECT_NEXT(&m, 0xC4000, WP, 0xC8000);
	EXPECT_NEXT(&m, 0xFFFFF, WP, MIB);
	EXPECT_NEXT(&m, 2 * MIB, WB, 15 * MIB);
	EXPECT_NEXT(&m, 15 * MIB + 4095, UC, 16 * MIB);
	EXPECT_NEXT(&m, 64 * MIB - 1, WB, 64 * MIB);
	EXPECT_NEXT(&m, 99 * MIB, WB, 100 * MIB);
	EXPECT_NEXT(&m, 0xA07FFFFFull, WC, 0xA0800000ull);
	/* The end of the space, and beyond it. */
	EXPECT_NEXT(&m, 0xA0800000ull, UC, 1ull << 36);
	EXPECT_NEXT(&m, (1ull << 36) - 1, UC, 1ull << 36);
	EXPECT_NEXT(&m, 1ull << 36, INVALID, 1ull << 36);
	EXPECT_NEXT(&m, (1ull << 36) + 1, INVALID, 1ull << 36);
	EXPECT_NEXT(&m, UINT64_MAX, INVALID, 1ull << 36);
}

/*
 * Runs that cross 1 MiB: the fixed bytes and the first variable range have
 * one type, so the run goes on past 1 MiB; with FE off the same run is made
 * by a pair alone.
 */
static void
test_next_across_1mib(void **unused)
{
	static struct mtrr_map m;
	struct mtrr_caps c = rt_caps(8, 36);
	struct mtrr_state s;

	(void)unused;
	rt_init(&s, &c);
	rt_fixed_all(&s, WB);
	WR(&s, MTRR_MSR_FIX4K_C0000, rt_fix8(WP));
	PAIR(&s, 0, 0, 16 * MIB, WB);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, true));
	rt_build(&m, &s);
	EXPECT_NEXT(&m, 0, WB, 0xC0000);
	EXPECT_NEXT(&m, 0xC0000, WP, 0xC8000);
	EXPECT_NEXT(&m, 0xC8000, WB, 16 * MIB);
	EXPECT_NEXT(&m, MIB, WB, 16 * MIB);
	EXPECT_NEXT(&m, 16 * MIB, UC, 1ull << 36);
	EXPECT_RANGE(&m, 0xC8000, 16 * MIB, WB);
	EXPECT_RANGE(&m, 0x80000, 2 * MIB, MIXED);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, false));
	rt_build(&m, &s);
	EXPECT_NEXT(&m, 0, WB, 16 * MIB);
	EXPECT_NEXT(&m, 0xFFFFF, WB, 16 * MIB);
	EXPECT_RANGE(&m, 0, 16 * MIB, WB);
	EXPECT_RANGE(&m, 0, 16 * MIB + 1, MIXED);
}

/* Fixed ranges of several types: WB, the VGA hole UC, ROM pages WP. */
static void
rt_fixed_vga_rom(struct mtrr_state *s)
{
	rt_fixed_all(s, WB);
	WR(s, MTRR_MSR_FIX16K_A0000, rt_fix8(UC));
	WR(s, MTRR_MSR_FIX4K_C0000, rt_fix8(WP));
	WR(s, MTRR_MSR_FIX4K_F8000, rt_fix8(WP));
}

/* Every page below 1 MiB (first and last byte), through every point query. */
static void
rt_sweep_first_mib(const struct mtrr_state *s)
{
	uint64_t a;

	for (a = 0; a < MIB; a += 0x1000) {
		EXPECT(s, a, mtrr_ref_lookup(s, a));
		EXPECT(s, a + 0xFFF, mtrr_ref_lookup(s, a + 0xFFF));
	}
}

/*
 * The slots over the first MiB at every slot size the build can pick: 4 KiB
 * slots (one per page), 256 KiB slots inside the first MiB, and a 2 MiB slot
 * reaching past it.  A slot there may only be uniform when its fixed pages and
 * (past 1 MiB) its variable ranges agree.
 */
static void
test_first_mib_slots(void **unused)
{
	struct mtrr_caps c = rt_caps(8, 36);
	struct mtrr_state s;

	(void)unused;
	/* No pair: the highest boundary is 0, slots of 4 KiB, top 8 MiB. */
	rt_init(&s, &c);
	rt_fixed_vga_rom(&s);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, true));
	rt_sweep_first_mib(&s);
	EXPECT(&s, 0x9F000, WB);
	EXPECT(&s, 0xA0000, UC);
	EXPECT(&s, 0xC7FFF, WP);
	EXPECT(&s, 0xF8000, WP);
	EXPECT(&s, MIB, UC);
	EXPECT(&s, 8 * MIB - 1, UC);
	EXPECT(&s, 8 * MIB, UC);
	EXPECT(&s, (1ull << 36) - 1, UC);
	EXPECT(&s, 1ull << 36, INVALID);

	/* Highest boundary 16 MiB: 8 KiB slots of two pages, mixed by 4 KiB types. */
	PAIR(&s, 0, 0, 16 * MIB, WB);
	WR(&s, MTRR_MSR_FIX4K_D0000, 0x0600060006000600ull);   /* UC, WB, UC, ... */
	rt_sweep_first_mib(&s);
	EXPECT(&s, 0xD0000, UC);
	EXPECT(&s, 0xD1FFF, WB);
	EXPECT(&s, 16 * MIB - 1, WB);
	EXPECT(&s, 16 * MIB, UC);
	WR(&s, MTRR_MSR_FIX4K_D0000, rt_fix8(WB));

	/* Highest boundary 512 MiB: 256 KiB slots, two of them mixed. */
	PAIR(&s, 0, 0, 512 * MIB, WB);
	rt_sweep_first_mib(&s);
	EXPECT(&s, 0x7FFFF, WB);
	EXPECT(&s, 0xBFFFF, UC);
	EXPECT(&s, 0xC8000, WB);
	EXPECT(&s, 0xFFFFF, WP);
	EXPECT(&s, MIB, WB);
	EXPECT(&s, 512 * MIB - 1, WB);
	EXPECT(&s, 512 * MIB, UC);              /* top: the clamped slot */

	/* Highest boundary 4 GiB: the 2 MiB slot 0 reaches past 1 MiB. */
	PAIR(&s, 0, 0, 4 * GIB, WB);
	PAIR(&s, 1, 3 * GIB, GIB, UC);
	rt_sweep_first_mib(&s);
	EXPECT(&s, 0xA0000, UC);
	EXPECT(&s, MIB - 1, WP);
	EXPECT(&s, MIB, WB);
	EXPECT(&s, 2 * MIB - 1, WB);
	EXPECT(&s, 3 * GIB - 1, WB);
	EXPECT(&s, 3 * GIB, UC);
	EXPECT(&s, 4 * GIB, UC);

	/* Fixed pages all WB: slot 0 is uniform WB, the same answers. */
	rt_fixed_all(&s, WB);
	rt_sweep_first_mib(&s);
	EXPECT(&s, 2 * MIB - 1, WB);

	/* Fixed pages WB, the variable ranges UC above 1 MiB in the same slot. */
	PAIR(&s, 0, 2 * MIB, 2 * MIB, WB);
	PAIR(&s, 1, 3 * GIB, GIB, WB);
	rt_sweep_first_mib(&s);
	EXPECT(&s, MIB - 1, WB);
	EXPECT(&s, MIB, UC);
	EXPECT(&s, 2 * MIB, WB);

	/* FE clear: the first MiB takes the variable ranges, page by page. */
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(UC, true, false));
	rt_sweep_first_mib(&s);
	EXPECT(&s, 0, UC);
}

/*
 * [top, limit) is one slot (the index is clamped), however far the limit is
 * above the highest boundary; the limit itself and beyond are INVALID.
 */
static void
test_above_top(void **unused)
{
	static const unsigned bits[] = { 32, 36, 46, 52 };
	struct mtrr_state s;
	unsigned i;

	(void)unused;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		struct mtrr_caps c = rt_caps(8, bits[i]);
		uint64_t limit = 1ull << bits[i];

		rt_init(&s, &c);
		PAIR(&s, 0, 0, 2 * GIB, WB);
		PAIR(&s, 1, GIB + 256 * MIB, 256 * MIB, UC);
		WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WT, true, false));
		EXPECT(&s, 2 * GIB - 1, WB);
		EXPECT(&s, 2 * GIB, WT);
		EXPECT(&s, limit - 1, WT);
		EXPECT(&s, limit, INVALID);
		EXPECT(&s, ~0ull, INVALID);
		if (bits[i] > 33) {
			EXPECT(&s, 4 * GIB + 12345, WT);
			EXPECT(&s, limit / 2 + 0x1000, WT);
		}
	}
}

/*
 * Non-contiguous masks: *next may stop early (at a block boundary), never
 * beyond the change of type.  Past the end it is exact.
 */
static void
test_next_noncontiguous(void **unused)
{
	static struct mtrr_map m;
	struct mtrr_caps c = rt_caps(8, 36);
	struct mtrr_state s;

	(void)unused;
	rt_init(&s, &c);
	PAIR_RAW(&s, 0, 0x1000, 0x1000, UC);    /* odd 4 KiB pages */
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, false));
	rt_build(&m, &s);
	EXPECT_NEXT_UPTO(&m, 0x0, WB, 0x1000);
	EXPECT_NEXT_UPTO(&m, 0x1000, UC, 0x2000);
	EXPECT_NEXT_UPTO(&m, 0x1800, UC, 0x2000);
	EXPECT_NEXT_UPTO(&m, MIB + 0x1000, UC, MIB + 0x2000);
	EXPECT_NEXT_UPTO(&m, (1ull << 36) - 0x1000, UC, 1ull << 36);
	EXPECT_NEXT(&m, 1ull << 36, INVALID, 1ull << 36);
	EXPECT_NEXT_UPTO(&m, (1ull << 36) - 0x2000, WB, (1ull << 36) - 0x1000);

	rt_init(&s, &c);
	PAIR_RAW(&s, 0, GIB, GIB, WC);          /* odd GiBs */
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, false));
	rt_build(&m, &s);
	EXPECT_NEXT_UPTO(&m, 5 * GIB, WC, 6 * GIB);
	EXPECT_NEXT_UPTO(&m, 6 * GIB + 123, WB, 7 * GIB);

	rt_init(&s, &c);
	PAIR_RAW(&s, 0, 0x200000000ull, 0xF0FFFF000ull, UC);  /* hole at 31:28 */
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, false));
	rt_build(&m, &s);
	EXPECT_NEXT_UPTO(&m, 0x210000000ull, UC, 0x210001000ull);
	EXPECT_NEXT_UPTO(&m, 0x2F0000000ull, UC, 0x2F0001000ull);
}

/* ------------------------------------------------------------------------ */
/* lookup_range                                                             */
/* ------------------------------------------------------------------------ */

static void
test_range_sdm(void **unused)
{
	static struct mtrr_map m;
	struct mtrr_state s;
	uint64_t top = 1ull << 36;

	(void)unused;
	rt_sdm_state(&s);
	rt_build(&m, &s);
	/* Arguments with no type. */
	EXPECT_RANGE(&m, MIB, MIB, INVALID);            /* empty */
	EXPECT_RANGE(&m, MIB + 1, MIB, INVALID);        /* end < start */
	EXPECT_RANGE(&m, 0, 0, INVALID);
	EXPECT_RANGE(&m, top - 4096, top + 1, INVALID); /* beyond the limit */
	EXPECT_RANGE(&m, top, top + 4096, INVALID);
	EXPECT_RANGE(&m, 0, UINT64_MAX, INVALID);
	EXPECT_RANGE(&m, UINT64_MAX - 1, UINT64_MAX, INVALID);
	/* Up to the limit exactly is fine. */
	EXPECT_RANGE(&m, top - 4096, top, UC);
	EXPECT_RANGE(&m, 0xA0800000ull, top, UC);
	EXPECT_RANGE(&m, 0, top, MIXED);
	/* Inside the fixed ranges. */
	EXPECT_RANGE(&m, 0, 0xA0000, WB);
	EXPECT_RANGE(&m, 0, 0xA0001, MIXED);
	EXPECT_RANGE(&m, 0x9FFFF, 0xA0000, WB);
	EXPECT_RANGE(&m, 0x9FFFF, 0xA0001, MIXED);
	EXPECT_RANGE(&m, 0xC1000, 0xC3000, WP);
	EXPECT_RANGE(&m, 0xC0000, 0xC8000, WP);
	EXPECT_RANGE(&m, 0xC7000, 0xC9000, MIXED);
	EXPECT_RANGE(&m, 0xC8000, 0xF0000, UC);
	/* Across 1 MiB. */
	EXPECT_RANGE(&m, 0xF0000, 2 * MIB, MIXED);
	EXPECT_RANGE(&m, 0xFFFFF, MIB + 1, MIXED);
	EXPECT_RANGE(&m, 0xF0000, MIB, WP);
	EXPECT_RANGE(&m, MIB, 15 * MIB, WB);
	/* Above. */
	EXPECT_RANGE(&m, 2 * MIB, 4 * MIB, WB);         /* a 2 MiB page */
	EXPECT_RANGE(&m, 14 * MIB, 16 * MIB, MIXED);    /* holds the UC MiB */
	EXPECT_RANGE(&m, 15 * MIB, 16 * MIB, UC);
	EXPECT_RANGE(&m, 16 * MIB, 64 * MIB, WB);
	EXPECT_RANGE(&m, 64 * MIB, 68 * MIB, UC);
	EXPECT_RANGE(&m, 68 * MIB, 100 * MIB, WB);
	EXPECT_RANGE(&m, 0, GIB, MIXED);
	EXPECT_RANGE(&m, 2 * GIB, 0xA0000000ull, UC);
	EXPECT_RANGE(&m, 0xA0000000ull, 0xA0800000ull, WC);
	EXPECT_RANGE(&m, 0xA0000000ull, 0xA0A00000ull, MIXED);
	EXPECT_RANGE(&m, 2 * GIB, 3 * GIB, MIXED);      /* 1 GiB page with WC */
	EXPECT_RANGE(&m, 3 * GIB, 4 * GIB, UC);
	EXPECT_RANGE(&m, 4 * GIB, top, UC);
}

/*
 * A 1 GiB and a 2 MiB block holding one 4 KiB range of another type: not
 * uniform (Xen's superpage path calls such a block uniform).
 */
static void
test_range_big_block(void **unused)
{
	static struct mtrr_map m;
	struct mtrr_state s;

	(void)unused;
	rt_big_block_state(&s);
	rt_build(&m, &s);
	EXPECT_RANGE(&m, GIB, 2 * GIB, MIXED);                  /* 1 GiB */
	EXPECT_RANGE(&m, 0x40200000ull, 0x40400000ull, MIXED);  /* 2 MiB */
	EXPECT_RANGE(&m, 0x40000000ull, 0x40200000ull, WB);
	EXPECT_RANGE(&m, 0x40400000ull, 0x40600000ull, WB);
	EXPECT_RANGE(&m, 0x40203000ull, 0x40204000ull, UC);     /* the page */
	EXPECT_RANGE(&m, 0x40203FFFull, 0x40204000ull, UC);
	EXPECT_RANGE(&m, 0x40202000ull, 0x40203000ull, WB);
	EXPECT_RANGE(&m, 0x40202FFFull, 0x40203001ull, MIXED);
	EXPECT_RANGE(&m, 0x40204000ull, 2 * GIB, WB);
	EXPECT_RANGE(&m, 2 * GIB, 3 * GIB, MIXED);              /* 1 GiB */
	EXPECT_RANGE(&m, 0xBFE00000ull, 0xC0000000ull, MIXED);  /* last 2 MiB */
	EXPECT_RANGE(&m, 0xBFC00000ull, 0xBFE00000ull, WB);
	EXPECT_RANGE(&m, 0xBFFFF000ull, 0xC0000000ull, WT);
	EXPECT_RANGE(&m, 0xBFFFF000ull, 0xC0000001ull, MIXED);
	EXPECT_RANGE(&m, 2 * GIB, 0xBFFFF000ull, WB);
	EXPECT_RANGE(&m, 3 * GIB, 4 * GIB, UC);
}

/*
 * Exactness with non-contiguous masks: a shadowed strided pair leaves a huge
 * range uniform; an unshadowed one makes every two pages MIXED.
 */
static void
test_range_noncontiguous(void **unused)
{
	static struct mtrr_map m;
	struct mtrr_caps c = rt_caps(8, 46);
	struct mtrr_state s;
	uint64_t top = 1ull << 46;

	(void)unused;
	rt_init(&s, &c);
	PAIR_RAW(&s, 0, 0x1000, 0x1000, WC);    /* odd pages */
	PAIR_RAW(&s, 1, 0, 0, UC);              /* mask 0: every address */
	rt_fixed_all(&s, UC);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, true));
	rt_build(&m, &s);
	EXPECT_RANGE(&m, 0, top, UC);
	EXPECT_RANGE(&m, MIB, top, UC);
	EXPECT_NEXT_UPTO(&m, 0, UC, top);
	EXPECT_NEXT_UPTO(&m, 0x1000, UC, top);
	assert_int_equal(mtrr_map_ranges(&m, NULL, 0), 1);

	rt_init(&s, &c);
	PAIR_RAW(&s, 0, 0x1000, 0x1000, WC);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, false));
	rt_build(&m, &s);
	EXPECT_RANGE(&m, 0, 0x1000, WB);
	EXPECT_RANGE(&m, 0x1000, 0x2000, WC);
	EXPECT_RANGE(&m, 0x1000, 0x2001, MIXED);
	EXPECT_RANGE(&m, 0x3FFF, 0x5000, MIXED);
	EXPECT_RANGE(&m, 0x4000, 0x5000, WB);
	EXPECT_RANGE(&m, 0, top, MIXED);
	EXPECT_RANGE(&m, top - 0x1000, top, WC);
	EXPECT_RANGE(&m, top - 0x2000, top - 0x1000, WB);
}

/* ------------------------------------------------------------------------ */
/* mtrr_map_ranges                                                          */
/* ------------------------------------------------------------------------ */

/* Sorted, merged, covering [0, limit), each range's type at both ends. */
static void
rt_check_ranges(const struct mtrr_state *s, const struct mtrr_range *r, size_t n)
{
	uint64_t limit = 1ull << s->caps.phys_bits;
	size_t i;

	assert_true(n >= 1);
	assert_int_equal(r[0].start, 0);
	assert_int_equal(r[n - 1].end, limit);
	for (i = 0; i < n; i++) {
		assert_true(r[i].start < r[i].end);
		assert_int_equal(mtrr_ref_lookup(s, r[i].start), r[i].type);
		assert_int_equal(mtrr_ref_lookup(s, r[i].end - 1), r[i].type);
		if (i + 1 < n) {
			assert_int_equal(r[i].end, r[i + 1].start);
			assert_int_not_equal(r[i].type, r[i + 1].type);
		}
	}
}

static void
test_ranges_sdm(void **unused)
{
	static struct mtrr_map m;
	struct mtrr_range r[SDM_NRUNS + 4];
	struct mtrr_state s;
	size_t i;

	(void)unused;
	rt_sdm_state(&s);
	rt_build(&m, &s);
	assert_int_equal(mtrr_map_ranges(&m, NULL, 0), SDM_NRUNS);
	assert_int_equal(mtrr_map_ranges(&m, r, SDM_NRUNS + 4), SDM_NRUNS);
	EXPECT_RANGES(r, SDM_NRUNS, sdm_example_runs, SDM_NRUNS);
	rt_check_ranges(&s, r, SDM_NRUNS);
	/* Capacity 5 of 13: exactly 5 written, the full count returned. */
	memset(r, 0xC3, sizeof(r));
	assert_int_equal(mtrr_map_ranges(&m, r, 5), SDM_NRUNS);
	EXPECT_RANGES(r, 5, sdm_example_runs, 5);
	for (i = 5; i < SDM_NRUNS + 4; i++) {
		assert_int_equal(r[i].start, 0xC3C3C3C3C3C3C3C3ull);
		assert_int_equal(r[i].end, 0xC3C3C3C3C3C3C3C3ull);
		assert_int_equal(r[i].type, 0xC3);
	}
	memset(r, 0xC3, sizeof(r));
	assert_int_equal(mtrr_map_ranges(&m, r, 0), SDM_NRUNS);
	assert_int_equal(r[0].start, 0xC3C3C3C3C3C3C3C3ull);
}

/*
 * The SDM's literal listing at MAXPHYADDR 40: the 12 runs below 0xA0800000,
 * then UC up to 64 GiB, then for k = 1..15 WB [k * 64 GiB, + 64 MiB) (pair 0
 * aliasing) and UC up to the next 64 GiB: 13 + 30 = 43 runs.
 */
static void
test_ranges_sdm_literal(void **unused)
{
	static struct mtrr_map m;
	struct mtrr_range want[43], got[44];
	struct mtrr_state s;
	size_t n = 0, k;

	(void)unused;
	for (k = 0; k + 1 < SDM_NRUNS; k++)
		want[n++] = sdm_example_runs[k];
	want[n].start = 0xA0800000ull;
	want[n].end = 64 * GIB;
	want[n++].type = UC;
	for (k = 1; k < 16; k++) {
		want[n].start = k * 64 * GIB;
		want[n].end = k * 64 * GIB + 64 * MIB;
		want[n++].type = WB;
		want[n].start = k * 64 * GIB + 64 * MIB;
		want[n].end = (k + 1) * 64 * GIB;
		want[n++].type = UC;
	}
	assert_int_equal(n, 43);
	rt_sdm_literal_state(&s);
	rt_build(&m, &s);
	assert_int_equal(mtrr_map_ranges(&m, NULL, 0), 43);
	assert_int_equal(mtrr_map_ranges(&m, got, 44), 43);
	EXPECT_RANGES(got, 43, want, 43);
	rt_check_ranges(&s, got, 43);
}

/*
 * A strided pair with 128 blocks (more than the run form holds): WC on each
 * odd MiB of [4 GiB, 4 GiB + 256 MiB).  Mask bits 35:28 and 20, base
 * 1_0010_0000H.  Expected by hand: WB up to 4 GiB + 1 MiB, then WC and WB
 * alternating per MiB, the last WC MiB ending at 4 GiB + 256 MiB, then WB:
 * 1 + 128 + 127 + 1 = 257 ranges.
 */
static void
test_ranges_many_blocks(void **unused)
{
	static struct mtrr_map m;
	static struct mtrr_range want[257], got[258];
	struct mtrr_caps c = rt_caps(8, 36);
	struct mtrr_state s;
	size_t n = 0, k;

	(void)unused;
	want[n].start = 0;
	want[n].end = 4 * GIB + MIB;
	want[n++].type = WB;
	for (k = 0; k < 128; k++) {
		uint64_t b = 4 * GIB + (2 * k + 1) * MIB;
		want[n].start = b;
		want[n].end = b + MIB;
		want[n++].type = WC;
		want[n].start = b + MIB;
		want[n].end = k < 127 ? b + 2 * MIB : 1ull << 36;
		want[n++].type = WB;
	}
	assert_int_equal(n, 257);
	rt_init(&s, &c);
	PAIR_RAW(&s, 0, 0x100100000ull, 0xFF0100000ull, WC);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, false));
	rt_build(&m, &s);
	assert_int_equal(mtrr_map_ranges(&m, NULL, 0), 257);
	assert_int_equal(mtrr_map_ranges(&m, got, 258), 257);
	EXPECT_RANGES(got, 257, want, 257);
	rt_check_ranges(&s, got, 257);
	EXPECT_RANGE(&m, 4 * GIB, 4 * GIB + 256 * MIB, MIXED);
	EXPECT_RANGE(&m, 4 * GIB + MIB, 4 * GIB + 2 * MIB, WC);
	EXPECT_RANGE(&m, 4 * GIB + 256 * MIB, 1ull << 36, WB);
	EXPECT_RANGE(&m, 0, 4 * GIB + MIB, WB);
	EXPECT(&s, 4 * GIB + 255 * MIB, WC);
	EXPECT(&s, 4 * GIB + 256 * MIB, WB);
}

/*
 * One uniform run made of many aligned blocks: WC pages at 1000H and at the
 * last page of a 52-bit space, WB (the default) in between, and a third, WB
 * pair with 128 strided 1 MiB blocks (bits 27:21 clear in its mask) that
 * changes no type but makes the map fall back to its scan form.  The WB run
 * [2000H, 2^52 - 1000H) splits into 77 aligned power-of-two blocks; the
 * ranges must still come out merged: 4 of them.
 */
static void
test_ranges_long_run(void **unused)
{
	static struct mtrr_map m;
	const uint64_t top = 1ull << 52;
	const struct mtrr_range want[4] = {
		{ 0, 0x1000, WB }, { 0x1000, 0x2000, WC },
		{ 0x2000, top - 0x1000, WB }, { top - 0x1000, top, WC },
	};
	struct mtrr_caps c = rt_caps(3, 52);
	struct mtrr_range got[5];
	struct mtrr_state s;

	(void)unused;
	rt_init(&s, &c);
	PAIR(&s, 0, 0x1000, 4 * KIB, WC);
	PAIR(&s, 1, top - 0x1000, 4 * KIB, WC);
	PAIR_RAW(&s, 2, 1ull << 40, 0xFFFFFF0100000ull, WB);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, false));
	rt_build(&m, &s);
	assert_int_equal(mtrr_map_ranges(&m, got, 5), 4);
	EXPECT_RANGES(got, 4, want, 4);
	EXPECT_RANGE(&m, 0x2000, top - 0x1000, WB);
	EXPECT_RANGE(&m, MIB, top - 0x1000, WB);
	EXPECT_RANGE(&m, 0x2000, top, MIXED);
	EXPECT_RANGE(&m, 0, top, MIXED);
	EXPECT_NEXT_UPTO(&m, 0x2000, WB, top - 0x1000);
	EXPECT(&s, top - 0x1001, WB);
	EXPECT(&s, top - 0x1000, WC);
}

/* The 88 fixed sub-ranges of test_fixed_boundaries are 88 runs, then UC, WB. */
static void
test_ranges_fixed(void **unused)
{
	static struct mtrr_map m;
	struct mtrr_range got[91];
	struct mtrr_state s;
	unsigned k;

	(void)unused;
	rt_fixed_cycle_state(&s);
	rt_build(&m, &s);
	assert_int_equal(mtrr_map_ranges(&m, got, 91), 90);
	rt_check_ranges(&s, got, 90);
	for (k = 0; k < 88; k++)
		assert_int_equal(got[k].type, rt_cycle[k % 5]);
	assert_int_equal(got[23].end, 0xC0000);
	assert_int_equal(got[87].start, 0xFF000);
	assert_int_equal(got[88].start, MIB);
	assert_int_equal(got[88].end, 2 * MIB);
	assert_int_equal(got[88].type, UC);
	assert_int_equal(got[89].type, WB);
}

/* ------------------------------------------------------------------------ */
/* mtrr_map_diff                                                            */
/* ------------------------------------------------------------------------ */

static size_t
rt_diff(const struct mtrr_state *a, const struct mtrr_state *b, struct mtrr_range *out,
	size_t capacity)
{
	static struct mtrr_map ma, mb;

	rt_build(&ma, a);
	rt_build(&mb, b);
	return mtrr_map_diff(&ma, &mb, out, capacity);
}

/* Writes that change nothing effective give an empty diff. */
static void
test_diff_empty(void **unused)
{
	static struct mtrr_map m;
	struct mtrr_state a, b;
	struct mtrr_range r[4];

	(void)unused;
	rt_sdm_state(&a);
	rt_build(&m, &a);
	assert_int_equal(mtrr_map_diff(&m, &m, r, 4), 0);
	memcpy(&b, &a, sizeof(a));
	assert_int_equal(rt_diff(&a, &b, r, 4), 0);
	/* A WB range inside the WB pair 0. */
	PAIR(&b, 6, 16 * MIB, 16 * MIB, WB);
	assert_int_equal(rt_diff(&a, &b, r, 4), 0);
	/* A WT range shadowed by the UC I/O card at 64-68 MiB, then toggled. */
	PAIR(&b, 7, 64 * MIB, 4 * MIB, WT);
	assert_int_equal(rt_diff(&a, &b, r, 4), 0);
	WR(&b, MTRR_MSR_PHYSMASK(7), 0xFFFC00000ull);
	assert_int_equal(rt_diff(&a, &b, r, 4), 0);
	/* A variable range below 1 MiB while the fixed ranges rule there. */
	PAIR(&b, 7, 0, 512 * KIB, UC);
	assert_int_equal(rt_diff(&a, &b, r, 4), 0);
	/* A non-contiguous pair shadowed everywhere by UC. */
	rt_init(&a, &sdm_example_caps);
	PAIR_RAW(&a, 0, 0, 0, UC);
	WR(&a, MTRR_MSR_DEF_TYPE, rt_def(WB, true, false));
	memcpy(&b, &a, sizeof(a));
	PAIR_RAW(&b, 1, 0x1000, 0x1000, WC);
	assert_int_equal(rt_diff(&a, &b, r, 4), 0);
	/* E = 0 in both, whatever else differs. */
	rt_sdm_state(&a);
	WR(&a, MTRR_MSR_DEF_TYPE, rt_def(UC, false, true));
	rt_init(&b, &sdm_example_caps);
	assert_int_equal(rt_diff(&a, &b, r, 4), 0);
}

static void
test_diff_changes(void **unused)
{
	static const struct mtrr_range bios_on[] = { { 15 * MIB, 16 * MIB, WB } };
	static const struct mtrr_range bios_off[] = { { 15 * MIB, 16 * MIB, UC } };
	/* SDM example against all-UC (E = 0), worked out from sdm_example_runs. */
	static const struct mtrr_range enable[] = {
		{ 0x00000,      0xA0000,      WB },
		{ 0xC0000,      0xC8000,      WP },
		{ 0xF0000,      15 * MIB,     MIXED },  /* WP then WB, both differ */
		{ 16 * MIB,     64 * MIB,     WB },
		{ 68 * MIB,     100 * MIB,    WB },
		{ 0xA0000000ull, 0xA0800000ull, WC },
	};
	static const struct mtrr_range disable[] = {
		{ 0x00000,      0xA0000,      UC },
		{ 0xC0000,      0xC8000,      UC },
		{ 0xF0000,      15 * MIB,     UC },
		{ 16 * MIB,     64 * MIB,     UC },
		{ 68 * MIB,     100 * MIB,    UC },
		{ 0xA0000000ull, 0xA0800000ull, UC },
	};
	struct mtrr_state a, b;
	struct mtrr_range r[8];
	size_t i;

	(void)unused;
	rt_sdm_state(&a);
	memcpy(&b, &a, sizeof(a));
	WR(&b, MTRR_MSR_PHYSMASK(4), 0xFFFF00000ull);   /* pair 4: V = 0 */
	assert_int_equal(rt_diff(&a, &b, r, 8), 1);
	EXPECT_RANGES(r, 1, bios_on, 1);
	assert_int_equal(rt_diff(&b, &a, r, 8), 1);
	EXPECT_RANGES(r, 1, bios_off, 1);

	memcpy(&b, &a, sizeof(a));
	WR(&a, MTRR_MSR_DEF_TYPE, rt_def(UC, false, true));
	assert_int_equal(rt_diff(&a, &b, NULL, 0), 6);
	assert_int_equal(rt_diff(&a, &b, r, 8), 6);
	EXPECT_RANGES(r, 6, enable, 6);
	assert_int_equal(rt_diff(&b, &a, r, 8), 6);
	EXPECT_RANGES(r, 6, disable, 6);
	/* Capacity 2 of 6: exactly 2 written. */
	memset(r, 0x3C, sizeof(r));
	assert_int_equal(rt_diff(&a, &b, r, 2), 6);
	EXPECT_RANGES(r, 2, enable, 2);
	for (i = 2; i < 8; i++) {
		assert_int_equal(r[i].start, 0x3C3C3C3C3C3C3C3Cull);
		assert_int_equal(r[i].type, 0x3C);
	}
}

/* Maps of different MAXPHYADDR: the addresses only one has differ. */
static void
test_diff_phys_bits(void **unused)
{
	static const struct mtrr_range grow[] = { { 1ull << 36, 1ull << 40, UC } };
	static const struct mtrr_range shrink[] = { { 1ull << 36, 1ull << 40, INVALID } };
	static const struct mtrr_range literal[] = { { 1ull << 36, 1ull << 40, MIXED } };
	struct mtrr_caps c36 = rt_caps(8, 36), c40 = rt_caps(8, 40);
	struct mtrr_state a, b;
	struct mtrr_range r[4];

	(void)unused;
	rt_init(&a, &c36);
	rt_init(&b, &c40);
	assert_int_equal(rt_diff(&a, &b, r, 4), 1);
	EXPECT_RANGES(r, 1, grow, 1);
	/* b has no type beyond its limit: INVALID, uniformly. */
	assert_int_equal(rt_diff(&b, &a, r, 4), 1);
	EXPECT_RANGES(r, 1, shrink, 1);
	/*
	 * The SDM example at 36 bits against its literal listing at 40: the same
	 * below 64 GiB; above, the literal one has WB aliases and UC.
	 */
	rt_sdm_state(&a);
	rt_sdm_literal_state(&b);
	assert_int_equal(rt_diff(&a, &b, r, 4), 1);
	EXPECT_RANGES(r, 1, literal, 1);
}

/* ------------------------------------------------------------------------ */
/* Property test: random legal states, map against reference               */
/* ------------------------------------------------------------------------ */

#define PROP_STATES_DEFAULT 2000
#define PROP_MAX_RANGES 4096    /* full-map checks only up to this count */
#define PROP_MAX_STEPS 100000   /* lookup_next walks longer than this: skipped */
#define PROP_DEEP_RANGES 16     /* ranges per state checked with every query */

static uint64_t
rng_next(uint64_t *x)           /* splitmix64 */
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint64_t
rng_below(uint64_t *x, uint64_t n)
{
	return n ? rng_next(x) % n : 0;
}

static bool
rng_chance(uint64_t *x, unsigned percent)
{
	return rng_below(x, 100) < percent;
}

static uint8_t
rng_type(uint64_t *x, const struct mtrr_caps *c)
{
	static const uint8_t types[] = { UC, WT, WP, WB, WC };

	return types[rng_below(x, c->wc ? 5 : 4)];
}

/* The context of one property check, printed with any failure. */
struct prop {
	uint64_t seed;
	unsigned index;
	const struct mtrr_state *s;
	const struct mtrr_map *m;
	uint64_t limit;
	bool contiguous;        /* no valid pair has a non-contiguous mask */
	unsigned skipped;       /* full-map checks skipped: too many ranges */
};

#define PROP_FAIL(p, ...) do { \
	print_error("property test, seed %#" PRIx64 ", state %u: ", (p)->seed, (p)->index); \
	print_error(__VA_ARGS__); \
	rt_fail((p)->s, __FILE__, __LINE__); \
} while (0)

/*
 * A random PhysMask: contiguous, or (holes_pct %) with up to 5 bits cleared
 * above its block, so at most 32 blocks: fragmented enough to need the exact
 * handling, never so much that counting the ranges takes long.
 */
static uint64_t
rng_mask(uint64_t *x, unsigned pb, unsigned holes_pct, bool *contiguous)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(pb), mask;
	unsigned low, k, holes;

	switch (rng_below(x, 4)) {      /* block size 2^low */
	case 0: low = 12 + (unsigned)rng_below(x, 10); break;
	case 1: low = 20 + (unsigned)rng_below(x, 12); break;
	case 2: low = 12 + (unsigned)rng_below(x, pb - 11); break;
	default: low = 21 + 9 * (unsigned)rng_below(x, 2); break;  /* 2 MiB, 1 GiB */
	}
	if (low > pb)
		low = pb;
	mask = phys & ~((1ull << low) - 1);
	*contiguous = true;
	if (low + 1 < pb && rng_chance(x, holes_pct)) {
		holes = 1 + (unsigned)rng_below(x, 5);
		for (k = 0; k < holes; k++)
			mask &= ~(1ull << (low + 1 + rng_below(x, pb - low - 1)));
		*contiguous = false;
	}
	return mask;
}

/* Builds a random legal state through mtrr_wrmsr; returns whether all masks are contiguous. */
static bool
rng_state(uint64_t *x, struct mtrr_state *s)
{
	static const unsigned widths[] = { 32, 36, 39, 40, 46, 48, 52 };
	struct mtrr_caps c;
	bool contiguous = true;
	unsigned n, i, b, holes_pct;

	memset(&c, 0, sizeof(c));
	c.vcnt = (unsigned)(rng_chance(x, 50) ? rng_below(x, 11) : rng_below(x, MTRR_VAR_MAX + 1));
	c.fixed = rng_chance(x, 80);
	c.wc = rng_chance(x, 70);
	c.vendor = rng_chance(x, 50) ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL;
	c.smrr = c.vendor == MTRR_VENDOR_INTEL && rng_chance(x, 30);
	c.phys_bits = rng_chance(x, 50) ? widths[rng_below(x, 7)] : 32 + (unsigned)rng_below(x, 21);
	c.overlap = rng_chance(x, 50) ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
	rt_init(s, &c);
	/* 20 % of masks non-contiguous on average; half the states have none. */
	holes_pct = rng_chance(x, 50) ? 0 : 40;

	if (c.fixed) {
		uint8_t common = rng_type(x, &c);
		unsigned style = (unsigned)rng_below(x, 3);
		for (i = 0; i < MTRR_FIXED_MSRS; i++) {
			uint64_t v = 0;
			for (b = 0; b < 8; b++) {
				uint8_t t = style == 0 ? common :
					    style == 1 ? (b < 4 ? common : rng_type(x, &c)) :
					    rng_type(x, &c);
				v |= (uint64_t)t << (8 * b);
			}
			if (rng_chance(x, 30))
				v = rt_fix8(common);
			WR(s, rt_fixed_msr[i], v);
		}
	}
	for (n = 0; n < c.vcnt; n++) {
		uint64_t phys = MTRR_PHYS_ADDR_MASK(c.phys_bits), base, mask;
		bool contig, valid = rng_chance(x, 80);

		if (rng_chance(x, 10))
			continue;                       /* left zero */
		mask = rng_mask(x, c.phys_bits, holes_pct, &contig);
		/*
		 * Most bases in the low 8 GiB, so that pairs overlap; some small
		 * ranges in the first 2 MiB, where they meet the fixed ranges.
		 */
		base = rng_next(x) & phys;
		if (rng_chance(x, 15)) {
			base &= 2 * MIB - 1;
			mask |= phys & ~((1ull << (12 + rng_below(x, 9))) - 1);
		} else if (rng_chance(x, 60)) {
			base &= (1ull << (c.phys_bits < 33 ? c.phys_bits : 33)) - 1;
		}
		if (rng_chance(x, 50))
			base &= mask;                   /* else bits below alignment */
		WR(s, MTRR_MSR_PHYSBASE(n), base | rng_type(x, &c));
		WR(s, MTRR_MSR_PHYSMASK(n), mask | (valid ? MTRR_PHYSMASK_V : 0));
		if (valid && !contig)
			contiguous = false;
	}
	if (c.smrr && rng_chance(x, 50)) {
		WR(s, MTRR_MSR_SMRR_PHYSBASE, (rng_next(x) & MTRR_SMRR_ADDR_MASK) | rng_type(x, &c));
		WR(s, MTRR_MSR_SMRR_PHYSMASK, (rng_next(x) & MTRR_SMRR_ADDR_MASK) | MTRR_PHYSMASK_V);
	}
	WR(s, MTRR_MSR_DEF_TYPE, rt_def(rng_type(x, &c), rng_chance(x, 85), rng_chance(x, 70)));
	/*
	 * AMD: SYSCFG's TOM2 bits (both, or one of them, which does nothing)
	 * and TOP_MEM2 within the low 64 GiB or anywhere: [4 GiB, TOP_MEM2)
	 * then defaults to WB.  Stored directly: these images are legal.
	 */
	if (c.vendor == MTRR_VENDOR_AMD && rng_chance(x, 60)) {
		s->syscfg = MTRR_SYSCFG_TOM2_EN | MTRR_SYSCFG_TOM2_WB;
		if (rng_chance(x, 15))
			s->syscfg &= rng_chance(x, 50) ? ~MTRR_SYSCFG_TOM2_EN : ~MTRR_SYSCFG_TOM2_WB;
		s->top_mem2 = rng_next(x) & MTRR_TOP_MEM_MASK(c.phys_bits);
		if (rng_chance(x, 70))
			s->top_mem2 &= (64ull << 30) - 1;
	}
	return contiguous;
}

/* Every point query at addr against the reference. */
static void
prop_point(struct prop *p, uint64_t addr)
{
	uint8_t want = mtrr_ref_lookup(p->s, addr), got;
	uint64_t next = 0x5A5A;

	got = mtrr_map_lookup(p->m, addr);
	if (got != want)
		PROP_FAIL(p, "mtrr_map_lookup(%#" PRIx64 ") = %s, reference %s\n", addr,
			  mtrr_type_str(got), mtrr_type_str(want));
	got = mtrr_map_lookup_inline(p->m, addr);
	if (got != want)
		PROP_FAIL(p, "mtrr_map_lookup_inline(%#" PRIx64 ") = %s, reference %s\n", addr,
			  mtrr_type_str(got), mtrr_type_str(want));
	got = mtrr_map_lookup_next(p->m, addr, &next);
	if (got != want)
		PROP_FAIL(p, "mtrr_map_lookup_next(%#" PRIx64 ") = %s, reference %s\n", addr,
			  mtrr_type_str(got), mtrr_type_str(want));
	if (addr >= p->limit) {
		if (next != p->limit)
			PROP_FAIL(p, "mtrr_map_lookup_next(%#" PRIx64 ") next %#" PRIx64
				  ", want the limit\n", addr, next);
		return;
	}
	if (next <= addr || next > p->limit || mtrr_ref_lookup(p->s, next - 1) != want)
		PROP_FAIL(p, "mtrr_map_lookup_next(%#" PRIx64 ") next %#" PRIx64
			  ": reference at next - 1 is %s, want %s\n", addr, next,
			  mtrr_type_str(mtrr_ref_lookup(p->s, next - 1)), mtrr_type_str(want));
	if (p->contiguous && next < p->limit && mtrr_ref_lookup(p->s, next) == want)
		PROP_FAIL(p, "mtrr_map_lookup_next(%#" PRIx64 ") next %#" PRIx64
			  " is not where the type changes (contiguous masks)\n", addr, next);
	got = mtrr_map_lookup_range(p->m, addr, addr + 1);
	if (got != want)
		PROP_FAIL(p, "mtrr_map_lookup_range(%#" PRIx64 ", +1) = %s, reference %s\n",
			  addr, mtrr_type_str(got), mtrr_type_str(want));
}

/* Each point and its two neighbours. */
static void
prop_point3(struct prop *p, uint64_t addr)
{
	prop_point(p, addr - 1);        /* wraps to UINT64_MAX at 0: INVALID */
	prop_point(p, addr);
	prop_point(p, addr + 1);
}

/*
 * The expected lookup_range, independently of the map: ranges of at most
 * 256 pages page by page from the reference (no type changes inside a 4 KiB
 * page); longer ones by walking lookup_next with the reference checked at
 * both ends of every step.  Returns false when the walk was too long.
 */
static bool
prop_range_oracle(struct prop *p, uint64_t start, uint64_t end, uint8_t *want)
{
	uint64_t a, next;
	unsigned steps = 0;
	uint8_t t0, t;

	if (end <= start || end > p->limit) {
		*want = INVALID;
		return true;
	}
	t0 = mtrr_ref_lookup(p->s, start);
	if (((end - 1) >> 12) - (start >> 12) <= 256) {
		for (a = (start | 0xFFF) + 1; a < end; a += 0x1000)
			if (mtrr_ref_lookup(p->s, a) != t0) {
				*want = MIXED;
				return true;
			}
		*want = t0;
		return true;
	}
	for (a = start; a < end; a = next) {
		if (++steps > PROP_MAX_STEPS)
			return false;
		t = mtrr_map_lookup_next(p->m, a, &next);
		if (t != mtrr_ref_lookup(p->s, a) || next <= a ||
		    t != mtrr_ref_lookup(p->s, (next < end ? next : end) - 1))
			PROP_FAIL(p, "lookup_next walk from %#" PRIx64 ": %s to %#" PRIx64
				  " disagrees with the reference\n", a, mtrr_type_str(t), next);
		if (t != t0) {
			*want = MIXED;
			return true;
		}
	}
	*want = t0;
	return true;
}

static void
prop_range(struct prop *p, uint64_t start, uint64_t end)
{
	uint8_t want, got;

	if (!prop_range_oracle(p, start, end, &want))
		return;
	got = mtrr_map_lookup_range(p->m, start, end);
	if (got != want)
		PROP_FAIL(p, "mtrr_map_lookup_range(%#" PRIx64 ", %#" PRIx64 ") = %s, expected %s\n",
			  start, end, mtrr_type_str(got), mtrr_type_str(want));
}

/* A random address, mostly where things happen (low 8 GiB, first MiB). */
static uint64_t
rng_addr(uint64_t *x, uint64_t limit)
{
	switch (rng_below(x, 4)) {
	case 0: return rng_below(x, MTRR_FIXED_END + 0x10000);
	case 1: return rng_below(x, limit < 8 * GIB ? limit : 8 * GIB);
	default: return rng_below(x, limit);
	}
}

static struct mtrr_range g_ranges[PROP_MAX_RANGES];

/* mtrr_map_ranges against the reference; the walk against the ranges. */
static void
prop_ranges(struct prop *p, uint64_t *x)
{
	size_t n = mtrr_map_ranges(p->m, NULL, 0), i;
	uint64_t a, next;
	unsigned steps;

	if (n > PROP_MAX_RANGES) {
		p->skipped++;
		return;
	}
	if (mtrr_map_ranges(p->m, g_ranges, PROP_MAX_RANGES) != n)
		PROP_FAIL(p, "mtrr_map_ranges count changed between calls\n");
	if (n == 0 || g_ranges[0].start != 0 || g_ranges[n - 1].end != p->limit)
		PROP_FAIL(p, "mtrr_map_ranges does not cover [0, limit): %zu ranges\n", n);
	for (i = 0; i < n; i++) {
		const struct mtrr_range *r = &g_ranges[i];
		uint64_t mid = r->start + rng_below(x, r->end - r->start);
		if (r->start >= r->end || (i + 1 < n && (r->end != r[1].start ||
							 r->type == r[1].type)))
			PROP_FAIL(p, "range %zu [%#" PRIx64 ", %#" PRIx64 ") %s: not sorted, "
				  "contiguous and merged\n", i, r->start, r->end,
				  mtrr_type_str(r->type));
		if (mtrr_ref_lookup(p->s, r->start) != r->type ||
		    mtrr_ref_lookup(p->s, r->end - 1) != r->type ||
		    mtrr_ref_lookup(p->s, mid) != r->type)
			PROP_FAIL(p, "range %zu [%#" PRIx64 ", %#" PRIx64 ") %s: the reference has %s"
				  " at start, %s at end - 1, %s at %#" PRIx64 "\n", i, r->start,
				  r->end, mtrr_type_str(r->type),
				  mtrr_type_str(mtrr_ref_lookup(p->s, r->start)),
				  mtrr_type_str(mtrr_ref_lookup(p->s, r->end - 1)),
				  mtrr_type_str(mtrr_ref_lookup(p->s, mid)), mid);
		/* The queries that walk: on a sample of the ranges, to bound the time. */
		if (n > PROP_DEEP_RANGES && rng_below(x, n) >= PROP_DEEP_RANGES && i + 1 < n)
			continue;
		prop_point3(p, r->start);
		prop_range(p, r->start, r->end);
		if (r->end - r->start > 1)
			prop_range(p, r->start + 1, r->end);
		if (i + 1 < n)
			prop_range(p, r->start, r->end + 1);
	}
	/*
	 * The lookup_next walk from 0: each step inside one range of its type;
	 * with contiguous masks the steps ARE the ranges.
	 */
	for (a = 0, i = 0, steps = 0; a < p->limit; a = next, steps++) {
		uint8_t t = mtrr_map_lookup_next(p->m, a, &next);
		while (g_ranges[i].end <= a)
			i++;
		if (t != g_ranges[i].type || next > g_ranges[i].end || next <= a ||
		    (p->contiguous && (a != g_ranges[i].start || next != g_ranges[i].end)))
			PROP_FAIL(p, "lookup_next walk step [%#" PRIx64 ", %#" PRIx64 ") %s against "
				  "range [%#" PRIx64 ", %#" PRIx64 ") %s\n", a, next,
				  mtrr_type_str(t), g_ranges[i].start, g_ranges[i].end,
				  mtrr_type_str(g_ranges[i].type));
		if (steps > PROP_MAX_STEPS)
			PROP_FAIL(p, "lookup_next walk from 0 takes over %u steps for %zu ranges\n",
				  PROP_MAX_STEPS, n);
	}
}

/* The interesting addresses of each valid pair: its block edges. */
static void
prop_pair_edges(struct prop *p, uint64_t *x)
{
	const struct mtrr_state *s = p->s;
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	unsigned n, k;

	for (n = 0; n < s->caps.vcnt; n++) {
		uint64_t mask = s->var[n].mask & phys, size, block;
		if (!(s->var[n].mask & MTRR_PHYSMASK_V))
			continue;
		size = mask ? mask & -mask : p->limit;
		for (k = 0; k < 1 + (n % 2); k++) {
			/* A random block of the pair: free bits random, masked bits its base. */
			block = (s->var[n].base & mask) | (rng_next(x) & phys & ~mask & ~(size - 1));
			prop_point3(p, block);
			prop_point3(p, block + size);
			prop_range(p, block, block + size);
			prop_range(p, block & ~(2 * MIB - 1), (block & ~(2 * MIB - 1)) + 2 * MIB);
			prop_range(p, block & ~(GIB - 1), (block & ~(GIB - 1)) + GIB);
		}
	}
}

/* A random write of one more MSR; the diff against the reference. */
static void
prop_diff(struct prop *p, uint64_t *x)
{
	static struct mtrr_state b;
	static struct mtrr_map mb;
	const struct mtrr_state *a = p->s;
	uint64_t prev = 0, v, pts[4];
	size_t n, i, j;
	bool contig;

	memcpy(&b, a, sizeof(b));
	switch (rng_below(x, 4)) {
	case 0:
		if (b.caps.vcnt) {
			unsigned k = (unsigned)rng_below(x, b.caps.vcnt);
			WR(&b, MTRR_MSR_PHYSMASK(k), b.var[k].mask ^ MTRR_PHYSMASK_V);
			break;
		}
		/* fall through */
	case 1:
		if (b.caps.vcnt) {
			unsigned k = (unsigned)rng_below(x, b.caps.vcnt);
			v = rng_mask(x, b.caps.phys_bits, 20, &contig);
			WR(&b, MTRR_MSR_PHYSBASE(k), (rng_next(x) & v) | rng_type(x, &b.caps));
			WR(&b, MTRR_MSR_PHYSMASK(k), v | MTRR_PHYSMASK_V);
			break;
		}
		/* fall through */
	case 2:
		if (b.caps.fixed) {
			unsigned k = (unsigned)rng_below(x, MTRR_FIXED_MSRS);
			unsigned byte = (unsigned)rng_below(x, 8);
			v = b.fixed[k] & ~(0xFFull << (8 * byte));
			v |= (uint64_t)rng_type(x, &b.caps) << (8 * byte);
			WR(&b, rt_fixed_msr[k], v);
			break;
		}
		/* fall through */
	default:
		WR(&b, MTRR_MSR_DEF_TYPE, b.def_type ^ (rng_chance(x, 50) ? MTRR_DEF_FE : 0) ^
		   (rng_chance(x, 30) ? MTRR_DEF_E : 0));
		break;
	}
	rt_build(&mb, &b);
	n = mtrr_map_diff(p->m, &mb, NULL, 0);
	if (n > PROP_MAX_RANGES) {
		p->skipped++;
		return;
	}
	if (mtrr_map_diff(p->m, &mb, g_ranges, PROP_MAX_RANGES) != n)
		PROP_FAIL(p, "mtrr_map_diff count changed between calls\n");
	for (i = 0; i <= n; i++) {
		/* The gap before range i (or after the last): both maps agree. */
		uint64_t gap_end = i < n ? g_ranges[i].start : p->limit;
		if (gap_end > prev) {
			pts[0] = prev;
			pts[1] = gap_end - 1;
			pts[2] = prev + rng_below(x, gap_end - prev);
			for (j = 0; j < 3; j++)
				if (mtrr_ref_lookup(a, pts[j]) != mtrr_ref_lookup(&b, pts[j]))
					PROP_FAIL(p, "diff misses %#" PRIx64 " (%s -> %s)\n", pts[j],
						  mtrr_type_str(mtrr_ref_lookup(a, pts[j])),
						  mtrr_type_str(mtrr_ref_lookup(&b, pts[j])));
		} else if (i > 0 && i < n) {
			PROP_FAIL(p, "diff ranges %zu and %zu touch or overlap: not maximal\n",
				  i - 1, i);
		}
		if (i == n)
			break;
		/* Inside range i: they differ at the ends; the type is b's. */
		pts[0] = g_ranges[i].start;
		pts[1] = g_ranges[i].end - 1;
		for (j = 0; j < 2; j++)
			if (mtrr_ref_lookup(a, pts[j]) == mtrr_ref_lookup(&b, pts[j]) ||
			    (g_ranges[i].type != MIXED &&
			     g_ranges[i].type != mtrr_ref_lookup(&b, pts[j])))
				PROP_FAIL(p, "diff range [%#" PRIx64 ", %#" PRIx64 ") %s wrong at %#"
					  PRIx64 " (%s -> %s)\n", g_ranges[i].start,
					  g_ranges[i].end, mtrr_type_str(g_ranges[i].type), pts[j],
					  mtrr_type_str(mtrr_ref_lookup(a, pts[j])),
					  mtrr_type_str(mtrr_ref_lookup(&b, pts[j])));
		if (g_ranges[i].start >= g_ranges[i].end)
			PROP_FAIL(p, "empty diff range %zu\n", i);
		if ((g_ranges[i].type == MIXED) !=
		    (mtrr_map_lookup_range(&mb, g_ranges[i].start, g_ranges[i].end) == MIXED))
			PROP_FAIL(p, "diff range [%#" PRIx64 ", %#" PRIx64 ") type %s, but b's "
				  "type over it is %s\n", g_ranges[i].start, g_ranges[i].end,
				  mtrr_type_str(g_ranges[i].type),
				  mtrr_type_str(mtrr_map_lookup_range(&mb, g_ranges[i].start,
								      g_ranges[i].end)));
		prev = g_ranges[i].end;
	}
}

static unsigned long
env_number(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : dflt;
}

/*
 * MTRR_PROP_SEED and MTRR_PROP_STATES override the fixed seed and the count
 * (to reproduce a failure, or to run longer); the default run is the same
 * every time.
 */
static void
test_property(void **unused)
{
	static struct mtrr_state s;
	static struct mtrr_map m;
	uint64_t seed = env_number("MTRR_PROP_SEED", 0x6D747272ul), x;
	unsigned long states = env_number("MTRR_PROP_STATES", PROP_STATES_DEFAULT);
	unsigned skipped = 0, i, k;

	(void)unused;
	for (i = 0; i < states; i++) {
		struct prop p;
		x = seed ^ ((uint64_t)i * 0xD1B54A32D192ED03ull);
		memset(&p, 0, sizeof(p));
		p.seed = seed;
		p.index = i;
		p.s = &s;
		p.m = &m;
		p.contiguous = rng_state(&x, &s);
		p.limit = 1ull << s.caps.phys_bits;
		rt_build(&m, &s);

		for (k = 0; k < 32; k++)
			prop_point(&p, rng_addr(&x, p.limit));
		prop_point3(&p, 0);
		prop_point3(&p, MTRR_FIXED_END);
		prop_point3(&p, p.limit);
		prop_point(&p, UINT64_MAX);
		for (k = 0; k < 8; k++) {
			uint64_t a = rng_addr(&x, p.limit);
			prop_range(&p, a, a + 1 + rng_below(&x, 256 * 0x1000));
			prop_range(&p, a, a + rng_below(&x, p.limit));
		}
		prop_range(&p, 0, p.limit);
		prop_range(&p, MTRR_FIXED_END, p.limit);
		prop_pair_edges(&p, &x);
		prop_ranges(&p, &x);
		if (i % 4 == 0)
			prop_diff(&p, &x);
		skipped += p.skipped;
	}
	print_message("property test: seed %#" PRIx64 ", %lu states, %u full-map checks "
		      "skipped (over %d ranges)\n", seed, states, skipped, PROP_MAX_RANGES);
	assert_true(skipped < states / 10 + 1);
}

/*
 * Two WB pairs with complementary non-contiguous masks (even and odd 4 KiB
 * pages) over a UC default: every address is WB.  The scan form must see
 * that without stepping through 2^40 pages: the walk from 0 is one run.
 */
/* Issue 12's state B (a fuzzer's input, registers as the issue gives them). */
static void
state_b(struct mtrr_state *s)
{
	static const uint64_t fixed[MTRR_FIXED_MSRS] = {
		0x0600060004010501ull, 0x0606060606060606ull, 0x0101010101010101ull,
		0x0404040404040404ull, 0, 0x0404040404040404ull, 0x0505050505050505ull,
		0x0101010101010101ull, 0x0606060606060606ull, 0x0405050604060006ull,
		0x0104050405040504ull,
	};
	static const uint64_t pairs[16] = {
		0x242041101000ull, 0x353fc39a5800ull, 0x5ull, 0x780000000800ull,
		0x2b73bfe3a004ull, 0x290d75fa8800ull, 0xe25aa001ull, 0x7fffffffe800ull,
		0x290136000004ull, 0x7ffffe000800ull, 0x61fb08000001ull, 0x7ffff8000800ull,
		0x400000000004ull, 0x400000000800ull, 0x5d32ff7a005ull, 0x37ffffffe800ull,
	};
	struct mtrr_caps c = caps_of(8, true, true, false, 47, MTRR_VENDOR_INTEL);
	unsigned i;

	assert_int_equal(mtrr_state_init(s, &c), MTRR_OK);
	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		assert_int_equal(mtrr_wrmsr(s, test_fixed_msr(i), fixed[i]), MTRR_OK);
	for (i = 0; i < 8; i++) {
		assert_int_equal(mtrr_wrmsr(s, MTRR_MSR_PHYSBASE(i), pairs[2 * i]), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(s, MTRR_MSR_PHYSMASK(i), pairs[2 * i + 1]), MTRR_OK);
	}
	assert_int_equal(mtrr_wrmsr(s, MTRR_MSR_DEF_TYPE, 0xC06), MTRR_OK);
}

/* How many node levels the inline lookup walks for addr (1 MiB <= addr < limit). */
static unsigned
node_depth(const struct mtrr_map *m, uint64_t a)
{
	unsigned depth = 0, sh = m->shift;
	uint8_t t = m->lut[MTRR_MAP_PAGES + ((a < m->top ? a : m->top) >> m->shift)];

	if (t == MTRR_MAP_HIGH) {
		sh = m->hshift;
		t = m->node[MTRR_MAP_HIGH_NODE + ((a >> sh) >> 6)][(a >> sh) & 63];
	}
	while (t >= MTRR_MAP_NODE && t < MTRR_MAP_NODE + MTRR_MAP_NODES) {
		sh -= 6;
		t = m->node[t - MTRR_MAP_NODE][(a >> sh) & 63];
		depth++;
	}
	return t < MTRR_MAP_NODE ? depth : 99;
}

/* A range query's answer from the reference, page by page (the range is small). */
static uint8_t
ref_range(const struct mtrr_state *s, uint64_t start, uint64_t end)
{
	uint8_t t = mtrr_ref_lookup(s, start);
	uint64_t a;

	for (a = start + 0x1000; a < end; a += 0x1000)
		if (mtrr_ref_lookup(s, a) != t)
			return MTRR_TYPE_MIXED;
	return t;
}

/*
 * Low slots and the high table (map_build.c, add_low_slots): in the scan
 * form, slots of 1/2048 of state B's 47-bit space (64 GiB) leave all of
 * [1 MiB, 4 GiB) in one mixed slot; the map then has 4 MiB slots up to
 * 8 GiB and the 64 GiB slots as its high table.  Below 4 GiB nearly every
 * address is answered by its slot alone (one 8 KiB WC range needs a node);
 * every answer, on both sides of top, at high-table boundaries and with
 * range queries across top, is the reference's.
 */
static void
test_low_slots(void **state)
{
	struct mtrr_state s;
	struct mtrr_map *m = &g_map;
	uint64_t rng = 0x6C6F77736C6F7473ull, a, e;
	unsigned i, one_load = 0;
	bool exact;

	(void)state;
	state_b(&s);
	assert_int_equal(mtrr_map_build(m, &s), MTRR_OK);
	assert_int_equal(m->scan, 1);
	assert_int_equal(m->lut[MTRR_MAP_PAGES + MTRR_MAP_SLOTS], MTRR_MAP_HIGH);
	assert_int_equal(m->shift, 22);
	assert_int_equal(m->top, 8ull << 30);
	assert_int_equal(m->hshift, 47 - 11);
	assert_true(m->nnodes <= MTRR_MAP_HIGH_NODE);
	for (i = 0; i < 4096; i++) {
		a = MTRR_FIXED_END + test_rand(&rng) % ((4ull << 30) - MTRR_FIXED_END);
		one_load += node_depth(m, a) == 0;
		assert_int_equal(mtrr_map_lookup_inline(m, a), mtrr_ref_lookup(&s, a));
		assert_int_equal(mtrr_map_lookup(m, a), mtrr_ref_lookup(&s, a));
		a = m->top + test_rand(&rng) % (m->limit - m->top);
		assert_int_equal(mtrr_map_lookup_inline(m, a), mtrr_ref_lookup(&s, a));
		assert_int_equal(mtrr_map_lookup(m, a), mtrr_ref_lookup(&s, a));
	}
	assert_true(one_load >= 4096 - 8);
	/* The WC pages at 0xe25aa000 need a node; their neighbours do not. */
	for (a = 0xe25a8000ull; a < 0xe25ae000ull; a += 0x1000)
		assert_int_equal(mtrr_map_lookup_inline(m, a), mtrr_ref_lookup(&s, a));
	assert_int_equal(mtrr_map_lookup_inline(m, 0xe25aa000ull), MTRR_TYPE_UC);
	/* Both sides of top and of every high entry's start. */
	for (a = m->top - 0x2000; a < m->top + 0x2000; a += 0x1000)
		assert_int_equal(mtrr_map_lookup_inline(m, a), mtrr_ref_lookup(&s, a));
	for (i = 1; i < MTRR_MAP_SLOTS; i++) {
		uint64_t b = (uint64_t)i << m->hshift;
		assert_int_equal(mtrr_map_lookup_inline(m, b - 0x1000), mtrr_ref_lookup(&s, b - 0x1000));
		assert_int_equal(mtrr_map_lookup_inline(m, b), mtrr_ref_lookup(&s, b));
	}
	/* Range queries across top and inside the high slot that holds it. */
	for (a = m->top - 0x4000; a <= m->top + 0x4000; a += 0x1000)
		for (e = a + 0x1000; e <= a + 0x8000; e += 0x1000) {
			exact = false;
			assert_int_equal(mtrr_map_lookup_range_ex(m, a, e, &exact),
					 ref_range(&s, a, e));
			assert_true(exact);
		}
}

/* A state of one pair (base|type, mask without V) over the default `def`. */
static void
one_pair_state(struct mtrr_state *s, unsigned pb, uint64_t base, uint64_t mask, uint8_t def)
{
	struct mtrr_caps c = caps_of(8, true, true, false, pb, MTRR_VENDOR_INTEL);

	assert_int_equal(mtrr_state_init(s, &c), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(s, MTRR_MSR_PHYSBASE(0), base), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(s, MTRR_MSR_PHYSMASK(0), mask | MTRR_PHYSMASK_V), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | def), MTRR_OK);
}

/*
 * A build clears only what an earlier build may have left (map_build.c,
 * struct dirty), so the map must start zeroed or built.  Over every pair of
 * states of different shapes (run form with and without nodes, scan form
 * with the high table, scan form whose high table was written and given
 * up, scan form without nodes), building one over the other gives exactly
 * the bytes of a build into zeroed memory.  And a build into memory never
 * zeroed still answers exactly: every lookup and range query over the
 * state's edges is the reference's.
 */
static void
test_build_over_earlier(void **unused)
{
	static struct mtrr_state st[5];
	static struct mtrr_map fresh, m;
	uint64_t rng = 0x6469727479ull;
	unsigned i, j, k;

	(void)unused;
	rt_sdm_state(&st[0]);                                           /* runs */
	one_pair_state(&st[1], 36, 0x7FFFF000ull | MTRR_TYPE_UC,      /* a node */
		       MTRR_PHYS_ADDR_MASK(36) & ~0xFFFull, MTRR_TYPE_WB);
	state_b(&st[2]);                                                /* high table */
	one_pair_state(&st[3], 46, 0x1000ull | MTRR_TYPE_UC, 0x1000ull, /* given up */
		       MTRR_TYPE_WB);
	one_pair_state(&st[4], 40, MTRR_TYPE_WC, 1ull << 39, MTRR_TYPE_UC); /* no node */
	rt_build(&m, &st[2]);
	assert_int_equal(m.lut[MTRR_MAP_PAGES + MTRR_MAP_SLOTS], MTRR_MAP_HIGH);
	rt_build(&m, &st[3]);
	assert_int_equal(m.scan, 1);
	assert_true(m.lut[MTRR_MAP_PAGES + MTRR_MAP_SLOTS] != MTRR_MAP_HIGH);
	rt_build(&m, &st[1]);
	assert_true(m.nnodes > 0 && !m.scan);
	for (i = 0; i < 5; i++)
		for (j = 0; j < 5; j++) {
			memset(&fresh, 0, sizeof(fresh));
			rt_build(&fresh, &st[j]);
			memset(&m, 0, sizeof(m));
			rt_build(&m, &st[i]);
			rt_build(&m, &st[j]);
			if (memcmp(&m, &fresh, sizeof(m)) != 0)
				fail_msg("state %u built over state %u differs from a fresh build", j, i);
		}
	for (i = 0; i < 5; i++) {
		uint64_t limit = 1ull << st[i].caps.phys_bits;

		memset(&m, 0x5A, sizeof(m));
		rt_build(&m, &st[i]);
		for (k = 0; k < 2000; k++) {
			uint64_t a = test_rand(&rng) % limit & ~0xFFFull;
			uint64_t e = a + (0x1000ull << (test_rand(&rng) % 12));
			uint8_t want = mtrr_ref_lookup(&st[i], a);

			assert_int_equal(mtrr_map_lookup_inline(&m, a), want);
			assert_int_equal(mtrr_map_lookup(&m, a), want);
			if (e <= limit && e - a <= 0x40000)
				assert_int_equal(mtrr_map_lookup_range(&m, a, e), ref_range(&st[i], a, e));
		}
	}
}

/*
 * Uniform depth (map_build.c): when no depth holds 7/8 of the space below
 * 4 GiB, every path from a slot there is made as deep as the deepest.  One
 * non-contiguous UC pair over every other 64 KiB of [0, 1 GiB) at 39 bits:
 * a quarter of the 4 MiB slots below 4 GiB need a node level; after
 * the build every address below 4 GiB is exactly one level deep, every
 * answer is the reference's, and a block a uniform node stands for is still
 * read as one block (a range query over it answers its type, exactly).
 */
static void
test_uniform_depth(void **state)
{
	struct mtrr_caps c = caps_of(8, true, true, false, 39, MTRR_VENDOR_INTEL);
	uint64_t phys = MTRR_PHYS_ADDR_MASK(39);
	uint64_t mask = (phys & ~0xFFFFull & ~(0x1FFFull << 17)) | MTRR_PHYSMASK_V;
	struct mtrr_state s;
	struct mtrr_map *m = &g_map;
	uint64_t rng = 0x756E69666F726Dull, a;
	unsigned i, uniform_seen = 0;

	(void)state;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(0), MTRR_TYPE_UC), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(0), mask), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_WB), MTRR_OK);
	assert_int_equal(mtrr_map_build(m, &s), MTRR_OK);
	assert_int_equal(m->scan, 1);
	assert_int_equal(m->lut[MTRR_MAP_PAGES + MTRR_MAP_SLOTS], MTRR_MAP_HIGH);
	assert_true(m->ubase < m->nnodes);              /* uniform nodes were made */
	for (i = 0; i < 4096; i++) {
		a = MTRR_FIXED_END + test_rand(&rng) % ((4ull << 30) - MTRR_FIXED_END);
		if (node_depth(m, a) != 1)
			fail_msg("0x%llx: %u node levels, below 4 GiB", (unsigned long long)a,
				 node_depth(m, a));
		assert_int_equal(mtrr_map_lookup_inline(m, a), mtrr_ref_lookup(&s, a));
		assert_int_equal(mtrr_map_lookup(m, a), mtrr_ref_lookup(&s, a));
	}
	/* Every slot from 1 GiB to 4 GiB is a uniform node: one 4 MiB block. */
	for (a = 1ull << 30; a < (4ull << 30); a += 4ull << 20) {
		uint8_t e = m->lut[MTRR_MAP_PAGES + (a >> m->shift)], t;
		bool exact = false;

		assert_true(e >= MTRR_MAP_NODE + m->ubase && e < MTRR_MAP_NODE + MTRR_MAP_NODES);
		t = mtrr_map_lookup_range_ex(m, a, a + (4ull << 20), &exact);
		assert_true(exact);
		assert_int_equal(t, MTRR_TYPE_WB);
		assert_int_equal(t, m->node[e - MTRR_MAP_NODE][0]);
		uniform_seen++;
	}
	assert_int_equal(uniform_seen, 768);
	/* Below 1 GiB a 64 KiB block alternates, and 128 KiB are MIXED. */
	assert_int_equal(mtrr_map_lookup_range(m, 1ull << 29, (1ull << 29) + 0x10000), MTRR_TYPE_UC);
	assert_int_equal(mtrr_map_lookup_range(m, 1ull << 29, (1ull << 29) + 0x20000),
			 MTRR_TYPE_MIXED);
}

static void
test_complementary_masks(void **state)
{
	struct mtrr_caps c = { .vcnt = 2, .phys_bits = 52 };
	static struct mtrr_state s;
	static struct mtrr_map m;
	uint64_t limit = 1ull << 52, next = 0;

	(void)state;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(0), MTRR_TYPE_WB), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(0), 0x1000 | MTRR_PHYSMASK_V), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(1), 0x1000 | MTRR_TYPE_WB), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(1), 0x1000 | MTRR_PHYSMASK_V), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_UC), MTRR_OK);
	assert_int_equal(mtrr_map_build(&m, &s), MTRR_OK);

	assert_int_equal(mtrr_map_lookup(&m, 0x5000), MTRR_TYPE_WB);
	assert_int_equal(mtrr_map_lookup(&m, 0x123456000ull), MTRR_TYPE_WB);
	assert_int_equal(mtrr_map_lookup_next(&m, 0x100000, &next), MTRR_TYPE_WB);
	assert_int_equal(next, limit);
	assert_int_equal(mtrr_map_lookup_range(&m, 0, limit), MTRR_TYPE_WB);
	assert_int_equal(mtrr_map_ranges(&m, NULL, 0), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		RT_SHARED_TESTS,
		cmocka_unit_test(test_build_null),
		cmocka_unit_test(test_map_copy),
		cmocka_unit_test(test_lookup_batch),
		cmocka_unit_test(test_build_refuses_bad_image),
		cmocka_unit_test(test_rebuild),
		cmocka_unit_test(test_map_is_a_snapshot),
		cmocka_unit_test(test_next_walk_sdm),
		cmocka_unit_test(test_next_across_1mib),
		cmocka_unit_test(test_first_mib_slots),
		cmocka_unit_test(test_above_top),
		cmocka_unit_test(test_next_noncontiguous),
		cmocka_unit_test(test_range_sdm),
		cmocka_unit_test(test_range_big_block),
		cmocka_unit_test(test_range_noncontiguous),
		cmocka_unit_test(test_ranges_sdm),
		cmocka_unit_test(test_ranges_sdm_literal),
		cmocka_unit_test(test_ranges_many_blocks),
		cmocka_unit_test(test_ranges_long_run),
		cmocka_unit_test(test_ranges_fixed),
		cmocka_unit_test(test_diff_empty),
		cmocka_unit_test(test_diff_changes),
		cmocka_unit_test(test_diff_phys_bits),
		cmocka_unit_test(test_complementary_masks),
		cmocka_unit_test(test_low_slots),
		cmocka_unit_test(test_build_over_earlier),
		cmocka_unit_test(test_uniform_depth),
		cmocka_unit_test(test_property),
	};

	return cmocka_run_group_tests_name("map", tests, NULL, NULL);
}
