/*
 * test_oracle.c — the fuzzers' independent resolver (fuzz/oracle.h).
 *
 * The resolver fuzzer trusts fuzz/oracle.h to judge both the compiled map
 * and mtrr_ref_lookup, so the oracle itself is checked here against a table
 * typed by hand from the SDM's "MTRR Precedences" (one row per subset of the
 * five types, both overlap policies), and against mtrr_ref_lookup on states
 * that realise every subset (in register order and reversed, with duplicates,
 * with invalid pairs of every other type beside them).  Then the point of it
 * all: each precedence mutant below (the bugs a shared combine helper could
 * have) disagrees with the oracle on some state, so the fuzzer would catch it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mtrr.h"
#include "test_util.h"
#include "../fuzz/oracle.h"

#define GIB 0x40000000ull

/* Subset bits, in this order: the index of a row of the table below. */
static const uint8_t member[5] = {
	MTRR_TYPE_UC, MTRR_TYPE_WC, MTRR_TYPE_WT, MTRR_TYPE_WP, MTRR_TYPE_WB
};

#define DEF 0xD0        /* the row's answer is the default type */

/*
 * The SDM's rules, typed out row by row.  Columns: the answer with the
 * overlap policy UC, then with WB.  Rows differ between the columns only
 * where the SDM leaves the overlap undefined.
 */
static const struct {
	const char *set;
	uint8_t uc, wb;
} sdm[32] = {
	/*  0 */ { "{}",             DEF,          DEF },
	/*  1 */ { "UC",             MTRR_TYPE_UC, MTRR_TYPE_UC },
	/*  2 */ { "WC",             MTRR_TYPE_WC, MTRR_TYPE_WC },
	/*  3 */ { "UC WC",          MTRR_TYPE_UC, MTRR_TYPE_UC },
	/*  4 */ { "WT",             MTRR_TYPE_WT, MTRR_TYPE_WT },
	/*  5 */ { "UC WT",          MTRR_TYPE_UC, MTRR_TYPE_UC },
	/*  6 */ { "WC WT",          MTRR_TYPE_UC, MTRR_TYPE_WB },
	/*  7 */ { "UC WC WT",       MTRR_TYPE_UC, MTRR_TYPE_UC },
	/*  8 */ { "WP",             MTRR_TYPE_WP, MTRR_TYPE_WP },
	/*  9 */ { "UC WP",          MTRR_TYPE_UC, MTRR_TYPE_UC },
	/* 10 */ { "WC WP",          MTRR_TYPE_UC, MTRR_TYPE_WB },
	/* 11 */ { "UC WC WP",       MTRR_TYPE_UC, MTRR_TYPE_UC },
	/* 12 */ { "WT WP",          MTRR_TYPE_UC, MTRR_TYPE_WB },
	/* 13 */ { "UC WT WP",       MTRR_TYPE_UC, MTRR_TYPE_UC },
	/* 14 */ { "WC WT WP",       MTRR_TYPE_UC, MTRR_TYPE_WB },
	/* 15 */ { "UC WC WT WP",    MTRR_TYPE_UC, MTRR_TYPE_UC },
	/* 16 */ { "WB",             MTRR_TYPE_WB, MTRR_TYPE_WB },
	/* 17 */ { "UC WB",          MTRR_TYPE_UC, MTRR_TYPE_UC },
	/* 18 */ { "WC WB",          MTRR_TYPE_UC, MTRR_TYPE_WB },
	/* 19 */ { "UC WC WB",       MTRR_TYPE_UC, MTRR_TYPE_UC },
	/* 20 */ { "WT WB",          MTRR_TYPE_WT, MTRR_TYPE_WT },
	/* 21 */ { "UC WT WB",       MTRR_TYPE_UC, MTRR_TYPE_UC },
	/* 22 */ { "WC WT WB",       MTRR_TYPE_UC, MTRR_TYPE_WB },
	/* 23 */ { "UC WC WT WB",    MTRR_TYPE_UC, MTRR_TYPE_UC },
	/* 24 */ { "WP WB",          MTRR_TYPE_UC, MTRR_TYPE_WB },
	/* 25 */ { "UC WP WB",       MTRR_TYPE_UC, MTRR_TYPE_UC },
	/* 26 */ { "WC WP WB",       MTRR_TYPE_UC, MTRR_TYPE_WB },
	/* 27 */ { "UC WC WP WB",    MTRR_TYPE_UC, MTRR_TYPE_UC },
	/* 28 */ { "WT WP WB",       MTRR_TYPE_UC, MTRR_TYPE_WB },
	/* 29 */ { "UC WT WP WB",    MTRR_TYPE_UC, MTRR_TYPE_UC },
	/* 30 */ { "WC WT WP WB",    MTRR_TYPE_UC, MTRR_TYPE_WB },
	/* 31 */ { "UC WC WT WP WB", MTRR_TYPE_UC, MTRR_TYPE_UC },
};

static uint8_t
sdm_answer(unsigned set, enum mtrr_overlap policy, uint8_t def)
{
	uint8_t t = policy == MTRR_OVERLAP_WB ? sdm[set].wb : sdm[set].uc;

	return t == DEF ? def : t;
}

static void
wr(struct mtrr_state *s, uint32_t msr, uint64_t v)
{
	assert_int_equal(mtrr_wrmsr(s, msr, v), MTRR_OK);
}

/*
 * A state in which the pairs matching address 3 GiB + 4 KiB have exactly the
 * types of `set`.  Layout: `copies` pairs per member, in member order or
 * reversed, with different masks that all cover the probe (a 4 GiB block, a
 * 1 GiB block, a non-contiguous mask); between them, invalid pairs (V clear)
 * of every type and valid pairs of every type that miss the probe.
 * Returns the matching types in register order in `order` and their count.
 */
#define PROBE (3 * GIB + 0x1000)

static unsigned
realise(struct mtrr_state *s, unsigned set, enum mtrr_overlap policy, int reverse,
	unsigned copies, uint8_t def, uint8_t *order)
{
	struct mtrr_caps c = caps_of(MTRR_VAR_MAX, true, true, false, 36, MTRR_VENDOR_INTEL);
	uint64_t phys = MTRR_PHYS_ADDR_MASK(36);
	unsigned pair = 0, n = 0, i, k;

	c.overlap = policy;
	assert_int_equal(mtrr_state_init(s, &c), MTRR_OK);
	for (k = 0; k < 5; k++) {
		unsigned m = reverse ? 4 - k : k;
		uint8_t t = member[m];

		/* Noise: the same type invalid, and valid but elsewhere (8 GiB+). */
		wr(s, MTRR_MSR_PHYSBASE(pair), PROBE | t);
		wr(s, MTRR_MSR_PHYSMASK(pair++), phys & ~(GIB - 1));
		wr(s, MTRR_MSR_PHYSBASE(pair), (8 * GIB) | t);
		wr(s, MTRR_MSR_PHYSMASK(pair++), (phys & ~(GIB - 1)) | MTRR_PHYSMASK_V);
		if (!(set & (1u << m)))
			continue;
		for (i = 0; i < copies; i++) {
			uint64_t base, mask;

			switch (i % 3) {
			case 0:         /* [0, 4 GiB) */
				base = 0;
				mask = phys & ~(4 * GIB - 1);
				break;
			case 1:         /* [3 GiB, 4 GiB) */
				base = 3 * GIB;
				mask = phys & ~(GIB - 1);
				break;
			default:        /* every other 4 KiB page from 4 KiB, all over */
				base = 0x1000;
				mask = 0x1000;
				break;
			}
			wr(s, MTRR_MSR_PHYSBASE(pair), base | t);
			wr(s, MTRR_MSR_PHYSMASK(pair++), mask | MTRR_PHYSMASK_V);
			order[n++] = t;
		}
	}
	wr(s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | def);
	return n;
}

/* The table itself: the oracle's rule and the typed rows agree. */
static void
oracle_matches_table(void **unused)
{
	unsigned set, m;
	int p;

	(void)unused;
	for (p = 0; p < 2; p++) {
		enum mtrr_overlap policy = p ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;

		for (set = 0; set < 32; set++) {
			unsigned count[8] = { 0 };

			for (m = 0; m < 5; m++)
				if (set & (1u << m))
					count[member[m]] = 1 + m;   /* any positive count */
			if (oracle_decide(count, MTRR_TYPE_WP, policy) !=
			    sdm_answer(set, policy, MTRR_TYPE_WP))
				fail_msg("set {%s}, policy %d", sdm[set].set, p);
		}
	}
}

/* Every subset, realised in states: the oracle, the table, the reference agree. */
static void
oracle_and_reference_on_every_subset(void **unused)
{
	static const uint8_t defs[] = { MTRR_TYPE_UC, MTRR_TYPE_WB, MTRR_TYPE_WP };
	struct mtrr_state s;
	uint8_t order[16];
	unsigned set, copies, d;
	int p, rev;

	(void)unused;
	for (p = 0; p < 2; p++)
		for (set = 0; set < 32; set++)
			for (rev = 0; rev < 2; rev++)
				for (copies = 1; copies <= 3; copies++)
					for (d = 0; d < 3; d++) {
						enum mtrr_overlap policy =
							p ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
						uint8_t want = sdm_answer(set, policy, defs[d]);

						(void)realise(&s, set, policy, rev, copies, defs[d],
							      order);
						if (oracle_lookup(&s, PROBE) != want ||
						    mtrr_ref_lookup(&s, PROBE) != want)
							fail_msg("set {%s} policy %d rev %d copies "
								 "%u: oracle %u ref %u want %u",
								 sdm[set].set, p, rev, copies,
								 oracle_lookup(&s, PROBE),
								 mtrr_ref_lookup(&s, PROBE), want);
					}
}

/* ---- mutants: what a buggy combine could do; the oracle tells them apart -- */

typedef uint8_t (*mutant_fn)(const uint8_t *order, unsigned n, uint8_t def,
			     enum mtrr_overlap policy);

static uint8_t
undefined(enum mtrr_overlap policy)
{
	return policy == MTRR_OVERLAP_WB ? MTRR_TYPE_WB : MTRR_TYPE_UC;
}

/* Pairwise, in register order: the bug DESIGN.md warns about. */
static uint8_t
mutant_pairwise(const uint8_t *order, unsigned n, uint8_t def, enum mtrr_overlap policy)
{
	uint8_t t;
	unsigned i;

	if (n == 0)
		return def;
	t = order[0];
	for (i = 1; i < n; i++) {
		uint8_t u = order[i];

		if (t == u)
			continue;
		if (t == MTRR_TYPE_UC || u == MTRR_TYPE_UC)
			t = MTRR_TYPE_UC;
		else if ((t == MTRR_TYPE_WT && u == MTRR_TYPE_WB) ||
			 (t == MTRR_TYPE_WB && u == MTRR_TYPE_WT))
			t = MTRR_TYPE_WT;
		else
			t = undefined(policy);
	}
	return t;
}

static unsigned
has(const uint8_t *order, unsigned n, uint8_t t)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (order[i] == t)
			return 1;
	return 0;
}

/* How many distinct types matched. */
static unsigned
distinct(const uint8_t *order, unsigned n)
{
	unsigned t, d = 0;

	for (t = 0; t < 8; t++)
		d += has(order, n, (uint8_t)t);
	return d;
}

/* WT whenever WT and WB both match, whatever else does. */
static uint8_t
mutant_wt_wb_subset(const uint8_t *order, unsigned n, uint8_t def, enum mtrr_overlap policy)
{
	if (n == 0)
		return def;
	if (distinct(order, n) == 1)
		return order[0];
	if (has(order, n, MTRR_TYPE_UC))
		return MTRR_TYPE_UC;
	if (has(order, n, MTRR_TYPE_WT) && has(order, n, MTRR_TYPE_WB))
		return MTRR_TYPE_WT;
	return undefined(policy);
}

/* {WT, WB} tested before UC. */
static uint8_t
mutant_uc_late(const uint8_t *order, unsigned n, uint8_t def, enum mtrr_overlap policy)
{
	unsigned d = distinct(order, n);

	if (n == 0)
		return def;
	if (d == 1)
		return order[0];
	if (has(order, n, MTRR_TYPE_WT) && has(order, n, MTRR_TYPE_WB))
		return MTRR_TYPE_WT;    /* even with UC among them */
	if (has(order, n, MTRR_TYPE_UC))
		return MTRR_TYPE_UC;
	return undefined(policy);
}

/* Right in every rule but the overlap policy, which is read backwards. */
static uint8_t
mutant_policy_swapped(const uint8_t *order, unsigned n, uint8_t def,
		      enum mtrr_overlap policy)
{
	unsigned d = distinct(order, n);

	if (n == 0)
		return def;
	if (d == 1)
		return order[0];
	if (has(order, n, MTRR_TYPE_UC))
		return MTRR_TYPE_UC;
	if (d == 2 && has(order, n, MTRR_TYPE_WT) && has(order, n, MTRR_TYPE_WB))
		return MTRR_TYPE_WT;
	return undefined(policy == MTRR_OVERLAP_WB ? MTRR_OVERLAP_UC : MTRR_OVERLAP_WB);
}

/* The last matching pair wins (a "first/last match" resolver). */
static uint8_t
mutant_last_wins(const uint8_t *order, unsigned n, uint8_t def, enum mtrr_overlap policy)
{
	(void)policy;
	return n ? order[n - 1] : def;
}

/* Each mutant disagrees with the oracle on at least one realised state. */
static void
oracle_catches_mutants(void **unused)
{
	static const struct { const char *name; mutant_fn f; } mutants[] = {
		{ "pairwise in register order", mutant_pairwise },
		{ "WT when WT and WB are among others", mutant_wt_wb_subset },
		{ "{WT, WB} before UC", mutant_uc_late },
		{ "overlap policy swapped", mutant_policy_swapped },
		{ "last match wins", mutant_last_wins },
	};
	struct mtrr_state s;
	uint8_t order[16];
	unsigned i, set, copies;
	int p, rev;

	(void)unused;
	for (i = 0; i < sizeof(mutants) / sizeof(mutants[0]); i++) {
		unsigned caught = 0;

		for (p = 0; p < 2; p++)
			for (set = 0; set < 32; set++)
				for (rev = 0; rev < 2; rev++)
					for (copies = 1; copies <= 2; copies++) {
						enum mtrr_overlap policy =
							p ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
						unsigned n = realise(&s, set, policy, rev, copies,
								     MTRR_TYPE_WB, order);

						caught += mutants[i].f(order, n, MTRR_TYPE_WB,
								       policy) !=
							  oracle_lookup(&s, PROBE);
					}
		if (caught == 0)
			fail_msg("mutant \"%s\" is not caught", mutants[i].name);
	}
}

/* ---- the rest of the resolution: E, FE, fixed ranges, the limit -------------- */

/* Fixed MSRs whose neighbouring bytes differ, written through mtrr_wrmsr. */
static void
fixed_pattern(struct mtrr_state *s)
{
	static const uint8_t types[5] = { 0, 1, 4, 5, 6 };
	static const uint32_t msr[MTRR_FIXED_MSRS] = {
		0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F,
	};
	unsigned i, b;

	for (i = 0; i < MTRR_FIXED_MSRS; i++) {
		uint64_t v = 0;

		for (b = 0; b < 8; b++)
			v |= (uint64_t)types[(i * 3 + b) % 5] << (8 * b);
		wr(s, msr[i], v);
	}
}

static void
oracle_fixed_and_enables(void **unused)
{
	struct mtrr_caps c = caps_of(2, true, true, false, 40, MTRR_VENDOR_INTEL);
	struct mtrr_state s;
	uint64_t a;

	(void)unused;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	fixed_pattern(&s);
	wr(&s, MTRR_MSR_PHYSBASE(0), MTRR_TYPE_WT);
	wr(&s, MTRR_MSR_PHYSMASK(0), (MTRR_PHYS_ADDR_MASK(40) & ~(GIB - 1)) | MTRR_PHYSMASK_V);
	wr(&s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);

	/* Hand-picked bytes: the first and last of each kind of fixed MSR. */
	assert_int_equal(oracle_lookup(&s, 0x00000), (uint8_t)s.fixed[0]);
	assert_int_equal(oracle_lookup(&s, 0x7FFFF), (uint8_t)(s.fixed[0] >> 56));
	assert_int_equal(oracle_lookup(&s, 0x80000), (uint8_t)s.fixed[1]);
	assert_int_equal(oracle_lookup(&s, 0x9C000), (uint8_t)(s.fixed[1] >> 56));
	assert_int_equal(oracle_lookup(&s, 0xA4000), (uint8_t)(s.fixed[2] >> 8));
	assert_int_equal(oracle_lookup(&s, 0xC0FFF), (uint8_t)s.fixed[3]);
	assert_int_equal(oracle_lookup(&s, 0xC1000), (uint8_t)(s.fixed[3] >> 8));
	assert_int_equal(oracle_lookup(&s, 0xFF000), (uint8_t)(s.fixed[10] >> 56));
	/* Every page of the first MiB, and above: as the reference says. */
	for (a = 0; a < 0x100000 + 0x4000; a += 0x1000) {
		assert_int_equal(oracle_lookup(&s, a), mtrr_ref_lookup(&s, a));
		assert_int_equal(oracle_lookup(&s, a + 0xFFF), mtrr_ref_lookup(&s, a + 0xFFF));
	}
	assert_int_equal(oracle_lookup(&s, 0x100000), MTRR_TYPE_WT);
	assert_int_equal(oracle_lookup(&s, GIB), MTRR_TYPE_WB);

	/* FE clear: the variable ranges below 1 MiB. */
	wr(&s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_WB);
	assert_int_equal(oracle_lookup(&s, 0x80000), MTRR_TYPE_WT);
	/* E clear: UC everywhere, the default type and FE ignored. */
	wr(&s, MTRR_MSR_DEF_TYPE, MTRR_DEF_FE | MTRR_TYPE_WB);
	assert_int_equal(oracle_lookup(&s, 0x80000), MTRR_TYPE_UC);
	assert_int_equal(oracle_lookup(&s, 2 * GIB), MTRR_TYPE_UC);
	/* The limit: 2^40 and above have no type. */
	assert_int_equal(oracle_lookup(&s, (1ull << 40) - 1), MTRR_TYPE_UC);
	assert_int_equal(oracle_lookup(&s, 1ull << 40), MTRR_TYPE_INVALID);
	assert_int_equal(oracle_lookup(&s, UINT64_MAX), MTRR_TYPE_INVALID);
	assert_int_equal(oracle_lookup(NULL, 0), MTRR_TYPE_INVALID);

	/* FE without fixed ranges in the caps: no effect. */
	c.fixed = false;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	wr(&s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WP);
	assert_int_equal(oracle_lookup(&s, 0), MTRR_TYPE_WP);
	assert_int_equal(mtrr_ref_lookup(&s, 0), MTRR_TYPE_WP);
}

/* A register image that is not a type, or caps init refuses: no type. */
static void
oracle_corrupt_images(void **unused)
{
	struct mtrr_caps c = caps_of(1, true, false, false, 36, MTRR_VENDOR_INTEL);
	struct mtrr_state s;

	(void)unused;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	s.def_type = MTRR_DEF_E | 2u;
	assert_int_equal(oracle_lookup(&s, GIB), MTRR_TYPE_INVALID);
	s.def_type = MTRR_DEF_E | MTRR_TYPE_WB;
	s.var[0].base = 7;
	s.var[0].mask = MTRR_PHYSMASK_V;
	assert_int_equal(oracle_lookup(&s, GIB), MTRR_TYPE_INVALID);
	s.var[0].base = 0;
	s.def_type = MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB;
	s.fixed[0] = 3;
	assert_int_equal(oracle_lookup(&s, 0), MTRR_TYPE_INVALID);
	s.caps.phys_bits = 53;
	assert_int_equal(oracle_lookup(&s, GIB), MTRR_TYPE_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(oracle_matches_table),
		cmocka_unit_test(oracle_and_reference_on_every_subset),
		cmocka_unit_test(oracle_catches_mutants),
		cmocka_unit_test(oracle_fixed_and_enables),
		cmocka_unit_test(oracle_corrupt_images),
	};

	return cmocka_run_group_tests_name("oracle", tests, NULL, NULL);
}
