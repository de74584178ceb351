/*
 * test_map_blocks.c — the scan form's block engine (libmtrr/map_blocks.c),
 * the searches built on it (libmtrr/map_search.c) and the public queries
 * that use them: mtrr_map_lookup_range and mtrr_map_lookup_next.
 *
 * At MAXPHYADDR 32 everything is compared with brute force (test_brute.h:
 * the type of every 4 KiB page, checked against mtrr_ref_lookup), on random
 * scan-form states with many non-contiguous masks of adversarial shapes
 * (alternating bits, complementary pairs, nested cubes of other types,
 * masks testing only bits 12..20, random masks; up to 40 pairs):
 *
 *   - the engine, every block size 2^12..2^32 at random aligned positions,
 *     in every question (one map's type, the other's, "do they differ" with
 *     either side a constant or neither), with a fresh engine per question
 *     and with one engine reused across questions (its memo), at the budgets
 *     of lookup_next, lookup_range and the diff cover, and without witnesses
 *     (as the build asks);
 *   - mtrr__eng_tests: a block whose alive cubes do not test bit b repeats
 *     itself across b;
 *   - mtrr__find_first / mtrr__find_last / mtrr__range_type on one map and
 *     on the difference of two;
 *   - mtrr_map_lookup_range on random ranges and mtrr_map_lookup_next walks.
 *
 * MTRR__UNKNOWN answers, budget-MIXED ranges (a uniform range answered
 * MIXED) and lookup_next budget stops are allowed by the contracts; they are
 * counted, printed, and bounded.  A wrong type is never allowed.
 *
 * At MAXPHYADDR 46 and 52, where brute force is impossible, the answers are
 * checked for consistency with mtrr_ref_lookup and with each other.
 *
 * MTRR_PROP_SEED reseeds; MTRR_BLOCKS_STATES sets the number of states.
 */
#include "test_brute.h"
#include "internal.h"

#define STATES_DEFAULT 36
#define HIGH_STATES_DEFAULT 24
#define PAGES (1u << 20)        /* MAXPHYADDR 32 */
#define PER_SIZE 6              /* engine questions per block size and state */
#define WALK_STEPS 300          /* lookup_next steps per walk */

static const unsigned budgets[] = { MTRR__NEXT_SPLITS, MTRR__RANGE_SPLITS, MTRR__COVER_SPLITS };
#define NBUDGETS (sizeof(budgets) / sizeof(budgets[0]))
/*
 * The most MTRR__UNKNOWN answers (percent of blocks asked) each budget may
 * give on these adversarial states before the test calls it a regression:
 * lookup_next's 8 splits may leave some blocks undecided (it then stops
 * early), the range query's and the cover's budgets are meant to settle
 * practically all of them.
 */
static const unsigned max_unknown_pct[NBUDGETS] = { 10, 3, 1 };

/* Page tables of states a and b: variable ranges only (v*), and full (t*). */
static uint8_t g_va[PAGES], g_vb[PAGES], g_ta[PAGES], g_tb[PAGES];
static uint32_t g_nta[PAGES], g_ntb[PAGES];
/* The value table of each engine question and its br_next_change. */
#define QUESTIONS 5
static uint8_t g_q[QUESTIONS][PAGES];
static uint32_t g_nq[QUESTIONS][PAGES];
static uint8_t g_diff[PAGES];
static uint32_t g_ndiff[PAGES], g_rs[3][PAGES];

struct ctx {
	const char *what;
	uint64_t seed;
	unsigned index;
	const struct mtrr_state *a, *b;
};

static void
ctx_fail(const struct ctx *c, const char *file, int line)
{
	print_error("  (%s, seed %#" PRIx64 ", state %u)\n  state a:\n", c->what, c->seed,
		    c->index);
	br_dump(c->a);
	if (c->b != NULL) {
		print_error("  state b:\n");
		br_dump(c->b);
	}
	_fail(file, line);
}

#define CTX_FAIL(c, ...) do { print_error(__VA_ARGS__); ctx_fail((c), __FILE__, __LINE__); } \
	while (0)

static void
build(struct mtrr_map *m, const struct mtrr_state *s)
{
	assert_int_equal(mtrr_map_build(m, s), MTRR_OK);
}

static const char *
value_str(uint8_t v, bool diff)
{
	if (v == MTRR__UNKNOWN)
		return "UNKNOWN";
	if (diff && v <= 1)
		return v ? "differ" : "agree";
	return mtrr_type_str(v);
}

/* Counters of one run, printed at the end. */
struct stats {
	unsigned long asked[NBUDGETS], unknown[NBUDGETS], uniform, mixed;
	unsigned long nowit, nowit_unknown, tests_checked;
	unsigned long first, first_gave_up, last, last_gave_up, rtype, rtype_mixed_budget;
	unsigned long ranges, ranges_uniform, range_budget_mixed;
	unsigned long steps, stops, walks;
};

/* ------------------------------------------------------------------------ */
/* States                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * A random scan-form state: adversarial shapes, many pairs, E on, a small
 * palette half the time so that uniform blocks made of several cubes are
 * common.  Rebuilt until its map really is in the scan form.
 */
static void
scan_state(uint64_t *x, struct mtrr_state *s, unsigned pb, struct mtrr_map *m)
{
	unsigned tries;

	for (tries = 0; tries < 50; tries++) {
		struct br_style st = br_style_random(x, pb);
		st.adversarial = true;
		st.enable = true;
		st.holes_pct = (unsigned)br_below(x, 50);
		st.max_holes = 4 + (unsigned)br_below(x, 12);
		st.vcnt = br_chance(x, 30) ? MTRR_VAR_MAX : 2 + (unsigned)br_below(x, MTRR_VAR_MAX - 1);
		if (br_chance(x, 50))
			st.palette = (1u << MTRR_TYPE_WB) |
				     (br_chance(x, 50) ? 1u << MTRR_TYPE_UC : 1u << MTRR_TYPE_WT);
		br_random_state(x, s, &st);
		build(m, s);
		if (m->scan)
			return;
	}
	fail_msg("no scan-form state in 50 tries");
}

/*
 * State b for a: a by one WRMSR while that keeps the scan form, else (or by
 * chance) a's caps, fixed ranges and DEF_TYPE with every pair rewritten in
 * an adversarial style.
 */
static void
other_state(uint64_t *x, const struct mtrr_state *a, struct mtrr_state *b, struct mtrr_map *mb)
{
	struct br_style st = br_style_random(x, a->caps.phys_bits);
	unsigned tries, n;

	st.wc = a->caps.wc;
	for (tries = 0; tries < 8 && br_chance(x, 75); tries++) {
		memcpy(b, a, sizeof(*b));
		br_one_write(x, b, &st);
		build(mb, b);
		if (mb->scan)
			return;
	}
	st.adversarial = true;
	st.holes_pct = (unsigned)br_below(x, 50);
	st.max_holes = 4 + (unsigned)br_below(x, 12);
	for (tries = 0; tries < 50; tries++) {
		memcpy(b, a, sizeof(*b));
		for (n = 0; n < a->caps.vcnt; n++)
			br_pair_random(x, b, n, &st);
		build(mb, b);
		if (mb->scan)
			return;
	}
	fail_msg("no scan-form state b in 50 tries");
}

/* `s` with DEF_TYPE.FE clear: what the engine answers (the variable ranges alone). */
static void
without_fixed(const struct mtrr_state *s, struct mtrr_state *out)
{
	memcpy(out, s, sizeof(*out));
	BR_WR(out, MTRR_MSR_DEF_TYPE, s->def_type & ~MTRR_DEF_FE);
}

/* ------------------------------------------------------------------------ */
/* The engine against brute force                                           */
/* ------------------------------------------------------------------------ */

/* One engine question: its kind, constants, value table and name. */
struct question {
	enum mtrr__eng_kind kind;
	uint8_t konst[2];
	bool two_sides;         /* needs map b's cubes */
	const char *name;
};

static void
eng_fresh(struct mtrr__eng *e, unsigned budget, const struct mtrr_map *ma,
	  const struct mtrr_map *mb, const struct question *qu)
{
	mtrr__eng_init(e, budget);
	mtrr__eng_add(e, ma, 0);
	if (qu->two_sides)
		mtrr__eng_add(e, mb, 1);
	mtrr__eng_mode(e, qu->kind, qu->konst[0], qu->konst[1]);
}

/* Checks one engine answer against the value table of its question. */
static void
check_answer(const struct ctx *c, const struct question *qu, unsigned qi, uint64_t x,
	     unsigned bits, uint8_t got, const char *how, unsigned b, struct stats *st)
{
	uint8_t want = br_uniform(g_q[qi], g_nq[qi], x >> 12, (x >> 12) + (1u << (bits - 12)));

	st->asked[b]++;
	if (got == MTRR__UNKNOWN) {
		st->unknown[b]++;
		return;
	}
	if (got != want)
		CTX_FAIL(c, "engine (%s, budget %u), question %s: block [%#" PRIx64 ", +2^%u) "
			 "is %s, brute force %s\n", how, budgets[b], qu->name, x, bits,
			 value_str(got, qu->kind == MTRR__ENG_DIFF),
			 value_str(want, qu->kind == MTRR__ENG_DIFF));
	if (want == MTRR_TYPE_MIXED)
		st->mixed++;
	else
		st->uniform++;
}

/*
 * The questions for maps a and b: a's type, b's type, where they differ,
 * and where each differs from a constant type.  Fills their value tables
 * from the variable-range tables g_va, g_vb.
 */
static unsigned
questions(uint64_t *x, const struct mtrr_state *a, struct question *qu)
{
	uint8_t ka = br_type(x, &a->caps, 0), kb = br_type(x, &a->caps, 0);
	unsigned p, i;

	qu[0] = (struct question){ MTRR__ENG_TYPE0, { MTRR__NOT_CONST, MTRR__NOT_CONST }, false,
				   "type of a" };
	qu[1] = (struct question){ MTRR__ENG_TYPE1, { MTRR__NOT_CONST, MTRR__NOT_CONST }, true,
				   "type of b" };
	qu[2] = (struct question){ MTRR__ENG_DIFF, { MTRR__NOT_CONST, MTRR__NOT_CONST }, true,
				   "a differs from b" };
	qu[3] = (struct question){ MTRR__ENG_DIFF, { ka, MTRR__NOT_CONST }, true,
				   "a constant differs from b" };
	qu[4] = (struct question){ MTRR__ENG_DIFF, { MTRR__NOT_CONST, kb }, false,
				   "a differs from a constant" };
	for (p = 0; p < PAGES; p++) {
		g_q[0][p] = g_va[p];
		g_q[1][p] = g_vb[p];
		g_q[2][p] = g_va[p] != g_vb[p];
		g_q[3][p] = ka != g_vb[p];
		g_q[4][p] = g_va[p] != kb;
	}
	for (i = 0; i < QUESTIONS; i++)
		br_next_change(g_q[i], g_nq[i], PAGES);
	return QUESTIONS;
}

/* A random block of 2^bits at MAXPHYADDR 32: the first, the last, or any. */
static uint64_t
block_at(uint64_t *x, unsigned bits, unsigned j)
{
	uint64_t blocks = 1ull << (32 - bits);

	if (j == 0)
		return 0;
	if (j == 1)
		return (blocks - 1) << bits;
	return br_below(x, blocks) << bits;
}

/*
 * Every question, every block size, PER_SIZE positions each: a fresh
 * engine per question at each budget, and one engine of both maps reused
 * for all questions and positions (its memo must key every answer right).
 */
static void
check_engine(const struct ctx *c, uint64_t *x, const struct mtrr_map *ma,
	     const struct mtrr_map *mb, struct stats *st)
{
	static struct mtrr__eng fresh, reused, single;
	struct question qu[QUESTIONS];
	unsigned nq = questions(x, c->a, qu), bits, j, b;

	mtrr__eng_init(&reused, 0);
	mtrr__eng_add(&reused, ma, 0);
	mtrr__eng_add(&reused, mb, 1);
	mtrr__eng_init(&single, 0);
	mtrr__eng_add(&single, ma, 0);
	for (bits = 12; bits <= 32; bits++) {
		for (j = 0; j < PER_SIZE; j++) {
			uint64_t at = block_at(x, bits, j);
			unsigned qi = (unsigned)br_below(x, nq);
			const struct question *q = &qu[qi];
			uint8_t got;

			b = (unsigned)br_below(x, NBUDGETS);
			eng_fresh(&fresh, budgets[b], ma, mb, q);
			got = mtrr__eng_block(&fresh, at, bits);
			check_answer(c, q, qi, at, bits, got, "fresh", b, st);

			/* a's type on the engine that knows b too: b's cubes must not matter */
			if (qi == 0) {
				eng_fresh(&fresh, budgets[b], ma, mb, &qu[1]);
				mtrr__eng_mode(&fresh, MTRR__ENG_TYPE0, MTRR__NOT_CONST,
					       MTRR__NOT_CONST);
				got = mtrr__eng_block(&fresh, at, bits);
				check_answer(c, q, qi, at, bits, got, "fresh, both maps", b, st);
			}

			reused.budget = budgets[b];
			mtrr__eng_mode(&reused, q->kind, q->konst[0], q->konst[1]);
			got = mtrr__eng_block(&reused, at, bits);
			check_answer(c, q, qi, at, bits, got, "reused", b, st);

			/* As the build asks: no witnesses, its budget; UNKNOWN or exact. */
			if (!q->two_sides) {
				single.budget = 64;
				single.witnesses = false;
				mtrr__eng_mode(&single, q->kind, q->konst[0], q->konst[1]);
				got = mtrr__eng_block(&single, at, bits);
				st->nowit++;
				if (got == MTRR__UNKNOWN)
					st->nowit_unknown++;
				else if (got != br_uniform(g_q[qi], g_nq[qi], at >> 12,
							   (at >> 12) + (1u << (bits - 12))))
					CTX_FAIL(c, "engine without witnesses, question %s: block "
						 "[%#" PRIx64 ", +2^%u) is %s, brute force says "
						 "otherwise\n", q->name, at, bits,
						 value_str(got, q->kind == MTRR__ENG_DIFF));
			}
		}
	}
}

/*
 * mtrr__eng_tests(x, bits, b) false: no cube alive in the block tests bit
 * b, so the block's two halves across b are the same (the build copies one
 * half's slots to the other on that promise).
 */
static void
check_eng_tests(const struct ctx *c, uint64_t *x, const struct mtrr_map *ma, struct stats *st)
{
	static struct mtrr__eng e;
	unsigned bits, j, b;

	mtrr__eng_init(&e, 0);
	mtrr__eng_add(&e, ma, 0);
	for (bits = 13; bits <= 32; bits++) {
		for (j = 0; j < 3; j++) {
			uint64_t at = block_at(x, bits, j), first = at >> 12, half;
			b = 12 + (unsigned)br_below(x, bits - 12);
			if (mtrr__eng_tests(&e, at, bits, b))
				continue;
			/* every page p of the block equals page p ^ 2^(b-12) */
			half = 1ull << (b - 12);
			for (uint64_t p = first; p < first + (1ull << (bits - 12)); p++)
				if (!(p & half) && g_va[p] != g_va[p | half])
					CTX_FAIL(c, "mtrr__eng_tests([%#" PRIx64 ", +2^%u), bit %u) "
						 "is false, but pages %#" PRIx64 " and %#" PRIx64
						 " differ\n", at, bits, b, p << 12, (p | half) << 12);
			st->tests_checked++;
		}
	}
}

/* ------------------------------------------------------------------------ */
/* Searches and public queries against brute force                          */
/* ------------------------------------------------------------------------ */

/*
 * rs[p]: the first page of the run that holds page p (v is the same on
 * [rs[p], p]), so a backward search is O(1) too.
 */
static void
run_start(const uint8_t *v, uint32_t *rs)
{
	unsigned p;

	rs[0] = 0;
	for (p = 1; p < PAGES; p++)
		rs[p] = v[p] != v[p - 1] ? p : rs[p - 1];
}

/* The first page in [from, stop) with v != want, or `stop` (nc: br_next_change of v). */
static uint64_t
brute_first(const uint8_t *v, const uint32_t *nc, uint64_t from, uint64_t stop, uint8_t want)
{
	uint64_t p = from;

	if (p < stop && v[p] == want)
		p = nc[p];
	return p < stop ? p : stop;
}

/* One past the last page in [lo, hi) with v != want, or lo (rs: run_start of v). */
static uint64_t
brute_last(const uint8_t *v, const uint32_t *rs, uint64_t lo, uint64_t hi, uint8_t want)
{
	uint64_t p;

	if (hi <= lo)
		return lo;
	if (v[hi - 1] != want)
		return hi;
	p = rs[hi - 1];
	return p > lo ? p : lo;
}

/* A random 4 KiB-aligned address of [0, 4 GiB), often at a block edge. */
static uint64_t
page_at(uint64_t *x)
{
	uint64_t a = br_below(x, PAGES) << 12;

	if (br_chance(x, 40))
		a &= ~((1ull << (12 + br_below(x, 20))) - 1);
	return a;
}

/*
 * mtrr__find_first, mtrr__find_last (one map; the difference of two) and
 * mtrr__range_type (each map) at the cover's and the range query's budgets.
 */
static void
check_searches(const struct ctx *c, uint64_t *x, const struct mtrr_map *ma,
	       const struct mtrr_map *mb, struct stats *st)
{
	static struct mtrr__search q;
	unsigned i, p;

	for (p = 0; p < PAGES; p++)
		g_diff[p] = g_ta[p] != g_tb[p];
	br_next_change(g_diff, g_ndiff, PAGES);
	run_start(g_ta, g_rs[0]);
	run_start(g_tb, g_rs[1]);
	run_start(g_diff, g_rs[2]);
	for (i = 0; i < 48; i++) {
		uint64_t from = page_at(x), to = page_at(x), got, want;
		unsigned what = i % 3;          /* a's type, b's type, the difference */
		const uint8_t *v = what == 0 ? g_ta : what == 1 ? g_tb : g_diff;
		const uint32_t *nc = what == 0 ? g_nta : what == 1 ? g_ntb : g_ndiff;
		uint8_t w;

		if (to < from) {
			uint64_t t = from;
			from = to;
			to = t;
		}
		to = to == from ? 1ull << 32 : to;
		w = br_chance(x, 70) ? v[from >> 12] : v[(to - 1) >> 12];
		if (br_chance(x, 50))
			mtrr__search_init(&q, ma, mb, MTRR__COVER_SPLITS, MTRR__COVER_ASKS);
		else
			mtrr__search_init(&q, ma, mb, MTRR__RANGE_SPLITS, MTRR__RANGE_ASKS);
		q.what = what;
		got = mtrr__find_first(&q, from, to, w);
		want = brute_first(v, nc, from >> 12, to >> 12, w) << 12;
		st->first++;
		st->first_gave_up += q.gave_up;
		if (q.gave_up ? got > want || got < from || (got & 0xFFF) : got != want)
			CTX_FAIL(c, "mtrr__find_first(what %u, [%#" PRIx64 ", %#" PRIx64 "), %s) = %#"
				 PRIx64 "%s, brute force %#" PRIx64 "\n", what, from, to,
				 value_str(w, what == 2), got, q.gave_up ? " (gave up)" : "", want);

		q.gave_up = false;
		q.what = what;
		got = mtrr__find_last(&q, from, to, w);
		want = brute_last(v, g_rs[what], from >> 12, to >> 12, w) << 12;
		st->last++;
		st->last_gave_up += q.gave_up;
		if (q.gave_up ? got < want || got > to || (got & 0xFFF) : got != want)
			CTX_FAIL(c, "mtrr__find_last(what %u, [%#" PRIx64 ", %#" PRIx64 "), %s) = %#"
				 PRIx64 "%s, brute force %#" PRIx64 "\n", what, from, to,
				 value_str(w, what == 2), got, q.gave_up ? " (gave up)" : "", want);

		if (what < 2) {
			uint8_t r;
			mtrr__search_init(&q, ma, mb, MTRR__RANGE_SPLITS, MTRR__RANGE_ASKS);
			r = mtrr__range_type(&q, what, from, to);
			w = br_uniform(v, what ? g_ntb : g_nta, from >> 12, to >> 12);
			st->rtype++;
			if (r == MTRR_TYPE_MIXED && w != MTRR_TYPE_MIXED && q.gave_up)
				st->rtype_mixed_budget++;
			else if (r != w)
				CTX_FAIL(c, "mtrr__range_type(map %u, [%#" PRIx64 ", %#" PRIx64 ")) = "
					 "%s%s, brute force %s\n", what, from, to, mtrr_type_str(r),
					 q.gave_up ? " (gave up)" : "", mtrr_type_str(w));
		}
	}
}

/* mtrr_map_lookup_range(m, s, e) of state c->a against brute force. */
static void
check_range(const struct ctx *c, const struct mtrr_map *m, uint64_t s, uint64_t e,
	    struct stats *st)
{
	uint8_t got = mtrr_map_lookup_range(m, s, e), want;

	if (e <= s || e > (1ull << 32))
		want = MTRR_TYPE_INVALID;
	else
		want = br_uniform(g_ta, g_nta, s >> 12, ((e - 1) >> 12) + 1);
	st->ranges++;
	st->ranges_uniform += want <= MTRR_TYPE_WB;
	if (got == want)
		return;
	if (got == MTRR_TYPE_MIXED && want <= MTRR_TYPE_WB) {
		/* Allowed only when the budget runs out: counted, shown, bounded. */
		if (st->range_budget_mixed++ < 3)
			print_message("budget-MIXED: mtrr_map_lookup_range([%#" PRIx64 ", %#" PRIx64
				      ")) is MIXED, every page is %s (%s, seed %#" PRIx64
				      ", state %u)\n", s, e, mtrr_type_str(want), c->what, c->seed,
				      c->index);
		return;
	}
	CTX_FAIL(c, "mtrr_map_lookup_range([%#" PRIx64 ", %#" PRIx64 ")) = %s, brute force %s\n",
		 s, e, mtrr_type_str(got), mtrr_type_str(want));
}

/* Random ranges of every size and alignment, aligned blocks, and around 1 MiB. */
static void
check_ranges(const struct ctx *c, uint64_t *x, const struct mtrr_map *m, struct stats *st)
{
	unsigned i, bits;

	for (bits = 12; bits <= 32; bits++)
		for (i = 0; i < 3; i++) {
			uint64_t at = block_at(x, bits, i);
			check_range(c, m, at, at + (1ull << bits), st);
		}
	for (i = 0; i < 150; i++) {
		uint64_t s = br_chance(x, 50) ? page_at(x) : br_below(x, 1ull << 32);
		uint64_t len = 1 + br_below(x, 1ull << (1 + br_below(x, 32)));
		check_range(c, m, s, s + len, st);
	}
	check_range(c, m, 0, 1ull << 32, st);
	check_range(c, m, MTRR_FIXED_END, 1ull << 32, st);
	check_range(c, m, MTRR_FIXED_END - 0x1000, MTRR_FIXED_END + 0x1000, st);
	check_range(c, m, MTRR_FIXED_END, MTRR_FIXED_END + 0x200000, st);
	check_range(c, m, 0x1000, 0x1000, st);          /* empty: INVALID */
	check_range(c, m, 0, (1ull << 32) + 1, st);     /* beyond: INVALID */
}

/*
 * lookup_next walks of state c->a: each step has the type of its start and
 * ends at or before the exact change; a step that ends before it is a
 * budget stop (counted).  From random starts and from 0.
 */
static void
check_walks(const struct ctx *c, uint64_t *x, const struct mtrr_map *m, struct stats *st)
{
	unsigned w, k;

	for (w = 0; w < 4; w++) {
		uint64_t a = w == 0 ? 0 : br_chance(x, 50) ? page_at(x) : br_below(x, 1ull << 32);

		st->walks++;
		for (k = 0; k < WALK_STEPS && a < (1ull << 32); k++) {
			uint64_t next = 0x5A5A, change;
			uint8_t t = mtrr_map_lookup_next(m, a, &next);

			change = (uint64_t)g_nta[a >> 12] << 12;
			st->steps++;
			if (t != g_ta[a >> 12] || next <= a || next > change ||
			    (next & 0xFFF) != 0)
				CTX_FAIL(c, "mtrr_map_lookup_next(%#" PRIx64 ") = %s, next %#" PRIx64
					 "; brute force %s up to %#" PRIx64 "\n", a, mtrr_type_str(t),
					 next, mtrr_type_str(g_ta[a >> 12]), change);
			if (next < change) {
				st->stops++;
				/* the range query must still see [a, next) as one type */
				if (mtrr_map_lookup_range(m, a, next) != t)
					CTX_FAIL(c, "lookup_range([%#" PRIx64 ", %#" PRIx64 ")) is not "
						 "%s after a lookup_next step\n", a, next,
						 mtrr_type_str(t));
			}
			a = next;
		}
	}
}

/* ------------------------------------------------------------------------ */
/* The MAXPHYADDR 32 test                                                   */
/* ------------------------------------------------------------------------ */

static void
print_stats(const struct stats *st, unsigned states)
{
	unsigned b;

	print_message("map_blocks: %u scan-form state pairs at MAXPHYADDR 32\n", states);
	for (b = 0; b < NBUDGETS; b++)
		print_message("  engine, budget %4u splits: %lu blocks, %lu UNKNOWN (%.3f %%)\n",
			      budgets[b], st->asked[b], st->unknown[b],
			      st->asked[b] ? 100.0 * (double)st->unknown[b] / (double)st->asked[b] : 0.0);
	print_message("  engine answers: %lu uniform, %lu MIXED; without witnesses (budget 64): "
		      "%lu blocks, %lu UNKNOWN; eng_tests halves checked: %lu\n", st->uniform,
		      st->mixed, st->nowit, st->nowit_unknown, st->tests_checked);
	print_message("  searches: find_first %lu (gave up %lu), find_last %lu (gave up %lu), "
		      "range_type %lu (budget-MIXED %lu)\n", st->first, st->first_gave_up,
		      st->last, st->last_gave_up, st->rtype, st->rtype_mixed_budget);
	print_message("  lookup_range: %lu ranges (%lu uniform), budget-MIXED %lu\n", st->ranges,
		      st->ranges_uniform, st->range_budget_mixed);
	print_message("  lookup_next: %lu walks, %lu steps, %lu budget stops (%.2f %%)\n",
		      st->walks, st->steps, st->stops,
		      st->steps ? 100.0 * (double)st->stops / (double)st->steps : 0.0);
}

static void
test_exact_32(void **unused)
{
	static struct mtrr_state a, b, va, vb;
	static struct mtrr_map ma, mb;
	uint64_t seed = br_seed("map_blocks", 0x626c6b73ull), x;
	unsigned long states = br_env("MTRR_BLOCKS_STATES", STATES_DEFAULT);
	struct stats st;
	unsigned long asked = 0;
	unsigned i, k;

	(void)unused;
	memset(&st, 0, sizeof(st));
	for (i = 0; i < states; i++) {
		struct ctx c = { "scan form at MAXPHYADDR 32", seed, i, &a, &b };

		x = br_stream(seed, i);
		scan_state(&x, &a, 32, &ma);
		other_state(&x, &a, &b, &mb);
		without_fixed(&a, &va);
		without_fixed(&b, &vb);
		br_table(&a, g_va, PAGES, true);
		br_table(&b, g_vb, PAGES, true);
		memcpy(g_ta, g_va, PAGES);
		memcpy(g_tb, g_vb, PAGES);
		br_table_fixed(&a, g_ta);
		br_table_fixed(&b, g_tb);
		br_table_check(&x, &va, g_va, PAGES, i == 0 ? PAGES : 1024, 256);
		br_table_check(&x, &vb, g_vb, PAGES, 1024, 256);
		br_table_check(&x, &a, g_ta, PAGES, 1024, 256);
		br_table_check(&x, &b, g_tb, PAGES, 1024, 256);
		br_next_change(g_ta, g_nta, PAGES);
		br_next_change(g_tb, g_ntb, PAGES);

		check_engine(&c, &x, &ma, &mb, &st);
		check_eng_tests(&c, &x, &ma, &st);
		check_searches(&c, &x, &ma, &mb, &st);
		check_ranges(&c, &x, &ma, &st);
		check_walks(&c, &x, &ma, &st);
	}
	print_stats(&st, (unsigned)states);
	for (k = 0; k < NBUDGETS; k++)
		assert_true(st.unknown[k] * 100 <= st.asked[k] * max_unknown_pct[k]);
	assert_true(st.range_budget_mixed * 100 <= st.ranges);
	assert_true(st.rtype_mixed_budget * 100 <= st.rtype);
	/* The questions must have met both answers often, or they proved little. */
	for (k = 0; k < NBUDGETS; k++)
		asked += st.asked[k];
	assert_true(st.uniform > asked / 25 && st.mixed > asked / 25);
}

/*
 * Hand-made shapes the generator reaches only by chance, each against brute
 * force through every query: complementary masks (uniform everywhere),
 * alternating bits, nested cubes of three types, bits 12..20 only.
 */
static void
test_shapes_32(void **unused)
{
	static struct mtrr_state a, b, va, vb;
	static struct mtrr_map ma, mb;
	uint64_t seed = br_seed("map_blocks shapes", 0x73686170ull), x = seed;
	struct stats st;
	unsigned shape, k;

	(void)unused;
	memset(&st, 0, sizeof(st));
	for (shape = 0; shape < 8; shape++) {
		struct ctx c = { "hand-made shape", seed, shape, &a, &b };

		br_init(&a, MTRR_VAR_MAX, 32, true, true, MTRR_OVERLAP_UC);
		switch (shape) {
		case 0:         /* 20 complementary pairs: bit 12 + k, both halves WB */
			for (k = 0; k < 20; k++) {
				uint64_t bit = 1ull << (12 + k);
				BR_WR(&a, MTRR_MSR_PHYSBASE(2 * k), MTRR_TYPE_WB);
				BR_WR(&a, MTRR_MSR_PHYSMASK(2 * k), bit | MTRR_PHYSMASK_V);
				BR_WR(&a, MTRR_MSR_PHYSBASE(2 * k + 1), bit | MTRR_TYPE_WB);
				BR_WR(&a, MTRR_MSR_PHYSMASK(2 * k + 1), bit | MTRR_PHYSMASK_V);
			}
			break;
		case 1:         /* alternating bits, alternating types */
			for (k = 0; k < 40; k++) {
				uint64_t m = (k % 2 ? 0x55555000ull : 0xAAAAA000ull) >> (k % 4);
				BR_WR(&a, MTRR_MSR_PHYSBASE(k), ((uint64_t)k << 12 & m) |
				      (k % 3 ? MTRR_TYPE_WB : MTRR_TYPE_WT));
				BR_WR(&a, MTRR_MSR_PHYSMASK(k), (m & 0xFFFFF000ull) | MTRR_PHYSMASK_V);
			}
			break;
		case 2:         /* nested cubes: every level one more bit, types cycling */
			for (k = 0; k < 20; k++) {
				static const uint8_t types[] = { MTRR_TYPE_WB, MTRR_TYPE_WT,
								 MTRR_TYPE_WP };
				uint64_t m = 0;
				unsigned j;
				for (j = 0; j <= k; j++)
					m |= 1ull << (12 + (j * 7) % 20);
				BR_WR(&a, MTRR_MSR_PHYSBASE(k), (0x5A5A5000ull & m) | types[k % 3]);
				BR_WR(&a, MTRR_MSR_PHYSMASK(k), m | MTRR_PHYSMASK_V);
			}
			break;
		case 3:         /* bits 12..20 only: a 2 MiB pattern repeated */
			for (k = 0; k < 40; k++) {
				uint64_t m = (0x1FF000ull & ((uint64_t)(k * 0x9E37u + 0x1000u) << 4)) |
					     0x1000;
				BR_WR(&a, MTRR_MSR_PHYSBASE(k), ((uint64_t)k << 13 & m) |
				      (k % 2 ? MTRR_TYPE_WB : MTRR_TYPE_UC));
				BR_WR(&a, MTRR_MSR_PHYSMASK(k), m | MTRR_PHYSMASK_V);
			}
			break;
		case 4:         /* four cubes tiling the space over bits 13 and 31 */
			for (k = 0; k < 4; k++) {
				uint64_t m = 0x80002000ull;
				BR_WR(&a, MTRR_MSR_PHYSBASE(k), ((k & 1 ? 0x2000ull : 0) |
				      (k & 2 ? 0x80000000ull : 0)) | MTRR_TYPE_WB);
				BR_WR(&a, MTRR_MSR_PHYSMASK(k), m | MTRR_PHYSMASK_V);
			}
			/* and 36 single-page holes of UC, strided */
			for (k = 4; k < 40; k++) {
				BR_WR(&a, MTRR_MSR_PHYSBASE(k), ((uint64_t)k << 22) | MTRR_TYPE_UC);
				BR_WR(&a, MTRR_MSR_PHYSMASK(k), 0xFFC01000ull | MTRR_PHYSMASK_V);
			}
			break;
		case 5:         /* complementary on 8 bits with 3 types: never uniform */
			for (k = 0; k < 8; k++) {
				uint64_t bit = 1ull << (14 + 2 * k);
				BR_WR(&a, MTRR_MSR_PHYSBASE(2 * k), MTRR_TYPE_WB);
				BR_WR(&a, MTRR_MSR_PHYSMASK(2 * k), bit | MTRR_PHYSMASK_V);
				BR_WR(&a, MTRR_MSR_PHYSBASE(2 * k + 1), bit |
				      (k % 2 ? MTRR_TYPE_WT : MTRR_TYPE_WB));
				BR_WR(&a, MTRR_MSR_PHYSMASK(2 * k + 1), bit | MTRR_PHYSMASK_V);
			}
			break;
		case 6:         /* PHYSMASK0 = 0x1800 over a WB whole-space pair */
			BR_WR(&a, MTRR_MSR_PHYSBASE(0), MTRR_TYPE_UC);
			BR_WR(&a, MTRR_MSR_PHYSMASK(0), 0x1800);
			BR_WR(&a, MTRR_MSR_PHYSBASE(1), MTRR_TYPE_WB);
			BR_WR(&a, MTRR_MSR_PHYSMASK(1), MTRR_PHYSMASK_V);
			break;
		default:        /* 40 random masks of many bits, WB and WT only */
			for (k = 0; k < 40; k++) {
				uint64_t m = br_next(&x) & br_next(&x) & 0xFFFFF000ull;
				BR_WR(&a, MTRR_MSR_PHYSBASE(k), (br_next(&x) & m) |
				      (k % 5 ? MTRR_TYPE_WB : MTRR_TYPE_WT));
				BR_WR(&a, MTRR_MSR_PHYSMASK(k), m | MTRR_PHYSMASK_V);
			}
			break;
		}
		BR_WR(&a, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_UC);
		build(&ma, &a);
		assert_int_equal(ma.scan, 1);
		/* b: pair 0 switched off (a one-write change of the shape). */
		memcpy(&b, &a, sizeof(b));
		BR_WR(&b, MTRR_MSR_PHYSMASK(0), a.var[0].mask & ~MTRR_PHYSMASK_V);
		build(&mb, &b);
		if (!mb.scan) {         /* the engine needs both in the scan form */
			memcpy(&b, &a, sizeof(b));
			build(&mb, &b);
		}
		without_fixed(&a, &va);
		without_fixed(&b, &vb);
		br_table(&a, g_va, PAGES, true);
		br_table(&b, g_vb, PAGES, true);
		memcpy(g_ta, g_va, PAGES);
		memcpy(g_tb, g_vb, PAGES);
		br_table_fixed(&a, g_ta);
		br_table_fixed(&b, g_tb);
		br_table_check(&x, &a, g_ta, PAGES, 4096, 512);
		br_table_check(&x, &va, g_va, PAGES, 4096, 512);
		br_table_check(&x, &vb, g_vb, PAGES, 4096, 512);
		br_next_change(g_ta, g_nta, PAGES);
		br_next_change(g_tb, g_ntb, PAGES);
		if (shape == 0 && g_nta[256] != PAGES)
			CTX_FAIL(&c, "complementary pairs are not WB everywhere above 1 MiB\n");

		check_engine(&c, &x, &ma, &mb, &st);
		check_eng_tests(&c, &x, &ma, &st);
		check_searches(&c, &x, &ma, &mb, &st);
		check_ranges(&c, &x, &ma, &st);
		check_walks(&c, &x, &ma, &st);
	}
	print_stats(&st, 8);
	for (k = 0; k < NBUDGETS; k++)
		assert_true(st.unknown[k] * 100 <= st.asked[k] * max_unknown_pct[k]);
	assert_true(st.range_budget_mixed * 100 <= st.ranges);
}

/* ------------------------------------------------------------------------ */
/* MAXPHYADDR 46 and 52: consistency                                        */
/* ------------------------------------------------------------------------ */

struct high_stats {
	unsigned long uniform, mixed, mixed_confirmed, mixed_unconfirmed, points;
	unsigned long steps, exact_steps, same_after, budget_mixed, eng_uniform, eng_points;
};

/* A random address below limit: anywhere, low, or at a block edge. */
static uint64_t
high_addr(uint64_t *x, uint64_t limit)
{
	uint64_t a = br_below(x, limit);

	switch (br_below(x, 4)) {
	case 0: return br_below(x, 16 * BR_GIB);
	case 1: return a & ~((1ull << (12 + br_below(x, 30))) - 1);
	default: return a;
	}
}

/*
 * lookup_range [s, e) against the reference: a uniform answer t must hold
 * at sampled points (both ends, powers of two from s, random ones, each
 * pair's matching blocks that start inside); a MIXED answer must be backed
 * by two addresses of different types, found by walking lookup_next from s
 * for at most 64 steps (a walk that covers [s, e) in one type contradicts
 * it: a failure; one that runs out of steps is counted as unconfirmed).
 */
static void
high_range(const struct ctx *c, uint64_t *x, const struct mtrr_map *m, uint64_t s, uint64_t e,
	   struct high_stats *hs)
{
	const struct mtrr_state *st = c->a;
	uint64_t phys = MTRR_PHYS_ADDR_MASK(st->caps.phys_bits), a, next;
	uint8_t got = mtrr_map_lookup_range(m, s, e), t0 = mtrr_ref_lookup(st, s);
	unsigned k, n;

	if (got <= MTRR_TYPE_WB) {
		uint64_t pts[80];
		unsigned np = 0;

		hs->uniform++;
		pts[np++] = s;
		pts[np++] = e - 1;
		for (k = 0; k < 24; k++)
			pts[np++] = s + br_below(x, e - s);
		for (k = 12; k < 64 && (s + (1ull << k)) < e && np < 48; k++)
			pts[np++] = s + (1ull << k);
		for (n = 0; n < st->caps.vcnt && np < 80; n++) {
			uint64_t mask = st->var[n].mask & phys, p;
			if (!(st->var[n].mask & MTRR_PHYSMASK_V))
				continue;
			/* the pair's first matching block at or above s: within e? */
			p = (st->var[n].base & mask) | (s & ~mask);
			if (p >= s && p < e)
				pts[np++] = p;
		}
		for (k = 0; k < np; k++) {
			hs->points++;
			if (mtrr_ref_lookup(st, pts[k]) != got)
				CTX_FAIL(c, "lookup_range([%#" PRIx64 ", %#" PRIx64 ")) = %s, but "
					 "mtrr_ref_lookup(%#" PRIx64 ") = %s\n", s, e,
					 mtrr_type_str(got), pts[k],
					 mtrr_type_str(mtrr_ref_lookup(st, pts[k])));
		}
		return;
	}
	if (got != MTRR_TYPE_MIXED)
		CTX_FAIL(c, "lookup_range([%#" PRIx64 ", %#" PRIx64 ")) = %s\n", s, e,
			 mtrr_type_str(got));
	hs->mixed++;
	for (a = s, k = 0; a < e && k < 64; a = next, k++) {
		uint8_t t = mtrr_map_lookup_next(m, a, &next);
		if (t != mtrr_ref_lookup(st, a) || next <= a ||
		    mtrr_ref_lookup(st, next - 1) != t)
			CTX_FAIL(c, "lookup_next(%#" PRIx64 ") = %s to %#" PRIx64 ": the reference "
				 "disagrees\n", a, mtrr_type_str(t), next);
		if (t != t0) {
			hs->mixed_confirmed++;
			return;
		}
	}
	if (a >= e) {
		/* Every step had t0 and the steps cover [s, e): is it really uniform? */
		hs->budget_mixed++;
		print_message("lookup_range([%#" PRIx64 ", %#" PRIx64 ")) is MIXED, but lookup_next "
			      "walks it in %u steps of %s (%s, seed %#" PRIx64 ", state %u)\n", s, e,
			      k, mtrr_type_str(t0), c->what, c->seed, c->index);
		return;
	}
	hs->mixed_unconfirmed++;
}

/*
 * One lookup_next step from addr: the reference agrees at both ends, the
 * range query sees [addr, next) as one type and [addr, next + 4 KiB) as MIXED
 * where the reference changes at next.
 */
static void
high_next(const struct ctx *c, const struct mtrr_map *m, uint64_t addr, struct high_stats *hs)
{
	const struct mtrr_state *st = c->a;
	uint64_t limit = 1ull << st->caps.phys_bits, next = 0x5A5A;
	uint8_t t = mtrr_map_lookup_next(m, addr, &next), r;

	hs->steps++;
	if (t != mtrr_ref_lookup(st, addr) || next <= addr || next > limit ||
	    mtrr_ref_lookup(st, next - 1) != t || (next & 0xFFF))
		CTX_FAIL(c, "lookup_next(%#" PRIx64 ") = %s to %#" PRIx64 ": the reference has %s "
			 "at next - 1\n", addr, mtrr_type_str(t), next,
			 mtrr_type_str(mtrr_ref_lookup(st, next - 1)));
	r = mtrr_map_lookup_range(m, addr, next);
	if (r != t)
		CTX_FAIL(c, "lookup_next(%#" PRIx64 ") = %s to %#" PRIx64 ", but lookup_range of "
			 "that is %s\n", addr, mtrr_type_str(t), next, mtrr_type_str(r));
	if (next == limit)
		return;
	r = mtrr_map_lookup_range(m, addr, next + 0x1000);
	if (mtrr_ref_lookup(st, next) != t) {
		hs->exact_steps++;
		if (r != MTRR_TYPE_MIXED)
			CTX_FAIL(c, "the type changes at %#" PRIx64 " but lookup_range([%#" PRIx64
				 ", %#" PRIx64 ")) = %s\n", next, addr, next + 0x1000,
				 mtrr_type_str(r));
	} else {
		hs->same_after++;       /* the type goes on at next: a budget stop */
		if (r != t && r != MTRR_TYPE_MIXED)
			CTX_FAIL(c, "lookup_range([%#" PRIx64 ", %#" PRIx64 ")) = %s, type %s at "
				 "both ends\n", addr, next + 0x1000, mtrr_type_str(r),
				 mtrr_type_str(t));
	}
}

/* The engine at high MAXPHYADDR: a uniform block holds its type at sampled points. */
static void
high_engine(const struct ctx *c, uint64_t *x, const struct mtrr_map *m,
	    const struct mtrr_state *var_only, struct high_stats *hs)
{
	static struct mtrr__eng e;
	unsigned pb = c->a->caps.phys_bits, i, k;

	for (i = 0; i < 40; i++) {
		unsigned bits = 12 + (unsigned)br_below(x, pb - 11);
		uint64_t at = br_below(x, 1ull << (pb - bits)) << bits;
		uint8_t got;

		mtrr__eng_init(&e, MTRR__RANGE_SPLITS);
		mtrr__eng_add(&e, m, 0);
		got = mtrr__eng_block(&e, at, bits);
		if (got > MTRR_TYPE_WB)
			continue;
		hs->eng_uniform++;
		for (k = 0; k < 24; k++) {
			uint64_t p = at + (k == 0 ? 0 : k == 1 ? (1ull << bits) - 1 :
					   br_below(x, 1ull << bits));
			hs->eng_points++;
			if (mtrr_ref_lookup(var_only, p) != got)
				CTX_FAIL(c, "engine: block [%#" PRIx64 ", +2^%u) is %s, but the "
					 "variable ranges give %#" PRIx64 " %s\n", at, bits,
					 mtrr_type_str(got), p,
					 mtrr_type_str(mtrr_ref_lookup(var_only, p)));
		}
	}
}

static void
test_consistency_high(void **unused)
{
	static struct mtrr_state a, va;
	static struct mtrr_map ma;
	uint64_t seed = br_seed("map_blocks high", 0x68696768ull), x;
	unsigned long states = br_env("MTRR_BLOCKS_STATES", HIGH_STATES_DEFAULT);
	struct high_stats hs;
	unsigned i, k;

	(void)unused;
	memset(&hs, 0, sizeof(hs));
	for (i = 0; i < states; i++) {
		struct ctx c = { "scan form, consistency", seed, i, &a, NULL };
		unsigned pb = i % 2 ? 52 : 46;
		uint64_t limit = 1ull << pb;

		x = br_stream(seed, i);
		scan_state(&x, &a, pb, &ma);
		without_fixed(&a, &va);
		for (k = 0; k < 40; k++) {
			uint64_t s = high_addr(&x, limit), e;
			if (k % 2) {
				e = s + 1 + br_below(&x, 1ull << br_below(&x, pb));
			} else {        /* an aligned block */
				s &= ~((1ull << (12 + br_below(&x, pb - 12))) - 1);
				e = s + (1ull << mtrr__ctz(s | limit));
			}
			if (e > limit)
				e = limit;
			high_range(&c, &x, &ma, s, e, &hs);
		}
		high_range(&c, &x, &ma, 0, limit, &hs);
		high_range(&c, &x, &ma, MTRR_FIXED_END, limit, &hs);
		for (k = 0; k < 60; k++)
			high_next(&c, &ma, high_addr(&x, limit), &hs);
		high_engine(&c, &x, &ma, &va, &hs);
	}
	print_message("map_blocks high (46, 52): %lu states; lookup_range %lu uniform (%lu points "
		      "agree), %lu MIXED (%lu confirmed by a walk, %lu unconfirmed in 64 steps, "
		      "%lu budget-MIXED); lookup_next %lu steps, %lu end where the reference "
		      "changes, %lu stop early (budget); engine %lu uniform "
		      "blocks (%lu points agree)\n", states, hs.uniform, hs.points, hs.mixed,
		      hs.mixed_confirmed, hs.mixed_unconfirmed, hs.budget_mixed, hs.steps,
		      hs.exact_steps, hs.same_after, hs.eng_uniform, hs.eng_points);
	assert_true(hs.uniform > 0 && hs.mixed > 0);
	assert_true(hs.budget_mixed * 100 <= hs.uniform + hs.mixed);
	assert_true(hs.mixed_unconfirmed * 10 <= hs.mixed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes_32),
		cmocka_unit_test(test_exact_32),
		cmocka_unit_test(test_consistency_high),
	};

	return cmocka_run_group_tests_name("map_blocks", tests, NULL, NULL);
}
