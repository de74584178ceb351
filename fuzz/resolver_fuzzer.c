/*
 * resolver_fuzzer.c — the compiled map and the reference resolver, both
 * against the independent oracle of oracle.h.
 *
 * Input (see fuzz_state.h): a legal state (strict caps, a count byte, write
 * ops applied through mtrr_wrmsr), one more write op that makes the second
 * state of the diff checks, a `cut` byte (the capacity of the short-buffer
 * and cover checks, and the MAXPHYADDR 32 + cut % 21 of the third state:
 * the first state's registers on another width), then fuzzer-chosen
 * addresses as u64 (values with bit 63 clear are folded into
 * [0, 2^(phys_bits + 1)), so half of them exist).
 *
 * The probes (fuzz_map.h): the fuzzer's addresses, 0, 1, 1 MiB +- 1, both
 * ends and +-1 of every valid pair's lowest and highest block, 2^phys_bits
 * - 1 and above; with the oracle's type of each in the three states.
 *
 * Every input gets the bounded checks (a few thousand lookups at most):
 *   - mtrr_map_lookup, mtrr_map_lookup_inline and mtrr_ref_lookup equal the
 *     oracle at every probe, in the three states;
 *   - mtrr_map_lookup_next from the fuzzer's addresses and the state's edges
 *     (the first STEP_CHEAP of them), and one step further: the oracle's
 *     type at addr, addr < next <= 2^phys_bits on a page boundary, the type
 *     held at next - 1 and in the middle; next exactly where the type
 *     changes when the masks expand into at most MTRR_VAR_MAX blocks (the
 *     run form); elsewhere lookup_next may stop early;
 *   - mtrr_map_lookup_range on the fixed cases (the whole space, past the
 *     limit, empty, the first MiB) and on ranges between and around the
 *     first RANGE_CHEAP fuzzer addresses (4 KiB, 2 MiB and 1 GiB pages):
 *     INVALID exactly for end <= start or end > 2^phys_bits; a type agrees
 *     with the oracle at both ends, every probe inside and the first
 *     WALK_CHEAP runs; MIXED is confirmed by a probe or the first
 *     MIXED_CHEAP runs (else skipped, see check_range);
 *   - mtrr_map_diff_cover of the state and the state plus one write, and of
 *     the state and its registers on the other width, with capacity
 *     1 + cut % 3: the contract of check_cover (bounded, sorted, exact ranges
 *     differ at every probe inside, each probe where the states differ is
 *     covered, types are b's);
 *   - the documented refusals: NULL arguments, a state init would refuse;
 *     building twice gives the same bytes.
 *
 * One input in DEEP_ONE_IN (a hash of the input picks it, so mutations do
 * not drift towards the slow path; every input in the replay build) also
 * gets the map-wide checks:
 *   - both ends of every 4 KiB page of the first MiB join the probes;
 *   - lookup_next from every probe, and walks from 0 of at most WALK_MAX
 *     runs in each map, each step checked as above; every probe inside a
 *     walked run has the run's type;
 *   - lookup_range on every walked run's edges (the run, one more byte
 *     either side) with walks of RANGE_MAX runs;
 *   - when a walk reached the limit: mtrr_map_ranges equals the walk merged
 *     (sorted, gap-free, neighbours differ, each range agrees with the
 *     oracle at both ends), its size query equals its count, a short buffer
 *     is never overrun;
 *   - when both walks reached the limit: mtrr_map_diff(a, b) is exactly the
 *     set of addresses where the walks differ, as maximal ranges, typed by
 *     b where b is uniform (and then equal to lookup_range in b), else MIXED;
 *     the oracle differs at both ends of each range and agrees just outside;
 *     every probe is inside a range exactly when the states differ there;
 *     the diff of a map with itself is empty; and mtrr_map_diff_cover with
 *     capacities 1, 2, 3, 64 and 1 + cut is exactly that diff, or its first
 *     capacity - 1 ranges and one that coalesces the rest.  For the state
 *     plus one write, and for the registers on the other width, where
 *     addresses only one map has count as different.
 * Walks in maps beyond the run form get an eighth of the bounds: their
 * steps may stop early, so a walk covers less per step.
 */
#include <string.h>

#include "fuzz_state.h"
#include "fuzz_map.h"

#define FUZZ_ADDRS  64   /* fuzzer-chosen addresses */
#define DEEP_ONE_IN 16   /* inputs that get the map-wide checks: 1 in this */
#define STEP_CHEAP  32   /* lookup_next starting points of the bounded checks */
#define RANGE_CHEAP 8    /* fuzzer addresses whose ranges the bounded checks test */
#define WALK_CHEAP  1    /* runs walked to check a typed lookup_range answer */
#define MIXED_CHEAP 4    /* runs walked to confirm a MIXED one */
#define PROBE_CHEAP 32   /* probes consulted per lookup_range check */

/* Deep bounds. */
#define WALK_MAX   1024  /* runs walked from 0 before giving up on map-wide checks */
#define RANGE_MAX  32    /* runs walked to judge one lookup_range answer */
#define RANGE_RUNS 128   /* walk runs whose edges get lookup_range checks */
#define SMALL_DIV  8     /* beyond the run form: each bound divided by this */

static unsigned walk_max, range_max, range_runs;

struct walk {
	size_t n;               /* runs */
	int complete;           /* reached 2^phys_bits */
	uint64_t start[WALK_MAX + 1];   /* start[n] is the end of the last run */
	uint8_t type[WALK_MAX];
};

static struct walk walk_a, walk_b, walk_c;
static struct fuzz_probes probes;
static uint64_t starts[FUZZ_PROBES];    /* lookup_next starting points */
static size_t nstarts;
static struct mtrr_range got[2 * WALK_MAX + 2], want[2 * WALK_MAX + 2];

/*
 * The aligned blocks the valid pairs match, summed (saturating at 2^63): a
 * pair whose mask has k clear bits above its lowest set bit matches 2^k
 * blocks; a contiguous mask, one.  Forty contiguous pairs make 40, and the
 * header promises exact lookup_next runs unless non-contiguous masks expand
 * into more blocks than the map's run list holds, so up to MTRR_VAR_MAX
 * blocks the runs must be exact.  Beyond, the map may be in its scan form,
 * where lookup_next costs microseconds: those inputs get the small budget.
 */
static uint64_t
blocks(const struct mtrr_state *s)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits), sum = 0;
	unsigned n, k;

	if (!(s->def_type & MTRR_DEF_E))
		return 0;
	for (n = 0; n < s->caps.vcnt; n++) {
		uint64_t mask = s->var[n].mask & phys, free;

		if (!(s->var[n].mask & MTRR_PHYSMASK_V))
			continue;
		free = mask ? phys & ~mask & ~((mask & (0 - mask)) - 1) : 0;
		for (k = 0; free; free &= free - 1)
			k++;
		sum += 1ull << k;
		if (sum >> 63)
			return sum;
	}
	return sum;
}

static int
runs_exact(const struct mtrr_state *s)
{
	return blocks(s) <= MTRR_VAR_MAX;
}


/* The probes' states: 0 the state, 1 the state plus one write, 2 the other width. */
enum { SA, SB, SC };

static void
add_start(uint64_t a)
{
	if (nstarts < FUZZ_PROBES)
		starts[nstarts++] = a;
	probes_add(&probes, a);
}

static void
add_state_starts(const struct mtrr_state *s)
{
	size_t from = probes.n, i;

	probes_add_state(&probes, s);
	for (i = from; i < probes.n && nstarts < FUZZ_PROBES; i++)
		starts[nstarts++] = probes.addr[i];
}

/* lookup_next from the first `count` starting points, and one step further. */
static void
check_steps(const struct mtrr_map *m, const struct mtrr_state *s, size_t count)
{
	uint64_t limit = fuzz_limit(s), next;
	int exact = runs_exact(s);
	size_t i;

	for (i = 0; i < count && i < nstarts; i++) {
		if (starts[i] >= limit)
			continue;
		(void)check_step(m, s, starts[i], &next, exact);
		if (next < limit)
			(void)check_step(m, s, next, &next, exact);
	}
}

static void
do_walk(struct walk *w, const struct mtrr_map *m, const struct mtrr_state *s)
{
	uint64_t a = 0, limit = fuzz_limit(s), next;
	int exact = runs_exact(s);

	w->n = 0;
	while (a < limit && w->n < walk_max) {
		w->start[w->n] = a;
		w->type[w->n++] = check_step(m, s, a, &next, exact);
		a = next;
	}
	w->start[w->n] = a;
	w->complete = a == limit;
}

/* lookup_next at and beyond the limit: INVALID, next = the limit. */
static void
check_beyond(const struct mtrr_map *m, const struct mtrr_state *s)
{
	uint64_t limit = fuzz_limit(s), next = 0;

	FUZZ_ASSERT_EQ(mtrr_map_lookup_next(m, limit, &next), MTRR_TYPE_INVALID);
	FUZZ_ASSERT_EQ(next, limit);
	next = 0;
	FUZZ_ASSERT_EQ(mtrr_map_lookup_next(m, UINT64_MAX, &next), MTRR_TYPE_INVALID);
	FUZZ_ASSERT_EQ(next, limit);
}

/* The run of the walk that holds addr, or w->n when beyond the walk. */
static size_t
walk_find(const struct walk *w, uint64_t addr)
{
	size_t lo = 0, hi = w->n;

	if (addr >= w->start[w->n])
		return w->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->start[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Every probe inside a walked run has the run's type. */
static void
check_runs(const struct walk *w, unsigned k)
{
	size_t i, r;

	for (i = 0; i < probes.n; i++) {
		r = walk_find(w, probes.addr[i]);
		if (r < w->n)
			FUZZ_ASSERT_EQ(w->type[r], probes.type[k][i]);
	}
}

/* The walk with neighbours of one type joined: what map_ranges must say. */
static size_t
merge_walk(const struct walk *w, struct mtrr_range *out)
{
	size_t i, n = 0;

	for (i = 0; i < w->n; i++) {
		if (n > 0 && out[n - 1].type == w->type[i]) {
			out[n - 1].end = w->start[i + 1];
			continue;
		}
		out[n].start = w->start[i];
		out[n].end = w->start[i + 1];
		out[n++].type = w->type[i];
	}
	return n;
}

static void
check_ranges(const struct walk *w, const struct mtrr_map *m, const struct mtrr_state *s,
             size_t cut)
{
	size_t n = merge_walk(w, want), i;

	FUZZ_ASSERT_EQ(mtrr_map_ranges(m, NULL, 0), n);
	FUZZ_ASSERT_EQ(mtrr_map_ranges(m, NULL, 3), n);
	memset(got, 0xA5, (n + 1) * sizeof(got[0]));
	FUZZ_ASSERT_EQ(mtrr_map_ranges(m, got, n + 1), n);
	FUZZ_ASSERT_EQ(got[n].start, 0xA5A5A5A5A5A5A5A5ull);
	FUZZ_ASSERT_EQ(got[0].start, 0);
	FUZZ_ASSERT_EQ(got[n - 1].end, fuzz_limit(s));
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT_EQ(got[i].start, want[i].start);
		FUZZ_ASSERT_EQ(got[i].end, want[i].end);
		FUZZ_ASSERT_EQ(got[i].type, want[i].type);
		FUZZ_ASSERT(got[i].start < got[i].end);
		FUZZ_ASSERT_EQ(oracle_lookup(s, got[i].start), got[i].type);
		FUZZ_ASSERT_EQ(oracle_lookup(s, got[i].end - 1), got[i].type);
		if (i > 0) {
			FUZZ_ASSERT_EQ(got[i - 1].end, got[i].start);
			FUZZ_ASSERT(got[i - 1].type != got[i].type);
		}
	}
	cut %= n;
	memset(got, 0xA5, (n + 1) * sizeof(got[0]));
	FUZZ_ASSERT_EQ(mtrr_map_ranges(m, got, cut), n);
	FUZZ_ASSERT(cut == 0 || got[cut - 1].end == want[cut - 1].end);
	FUZZ_ASSERT_EQ(got[cut].start, 0xA5A5A5A5A5A5A5A5ull);
}

/*
 * lookup_range on the fixed cases and around the fuzzer's addresses (the
 * first `nfz` of them), and with `w` on the edges of the walked runs.
 */
static void
check_lookup_range(const struct walk *w, const struct mtrr_map *m,
                   const struct mtrr_state *s, const uint64_t *fz, size_t nfz,
                   unsigned walk_cap, unsigned mixed_cap, unsigned probe_cap)
{
	static const uint64_t pages[] = { 0x1000, 0x200000, 0x40000000 };
	uint64_t limit = fuzz_limit(s);
	size_t i, j;

#define RANGE(lo, hi) \
	(void)check_range(&probes, SA, m, s, (lo), (hi), walk_cap, mixed_cap, probe_cap)
	RANGE(0, limit);
	RANGE(0, limit + 1);
	RANGE(limit - 1, limit);
	RANGE(limit, limit + 1);
	RANGE(5, 5);
	RANGE(6, 5);
	RANGE(0, MTRR_FIXED_END);
	RANGE(MTRR_FIXED_END - 1, MTRR_FIXED_END + 1);
	for (i = 0; i < nfz; i++) {
		if (i + 1 < nfz)
			RANGE(fz[i], fz[i + 1]);
		for (j = 0; j < sizeof(pages) / sizeof(pages[0]); j++) {
			uint64_t lo = fz[i] & ~(pages[j] - 1);
			RANGE(lo, lo + pages[j]);
		}
	}
	for (i = 0; w != NULL && i < w->n && i < range_runs; i++) {
		RANGE(w->start[i], w->start[i + 1]);
		if (w->start[i + 1] < limit)
			RANGE(w->start[i], w->start[i + 1] + 1);
		if (w->start[i] > 0)
			RANGE(w->start[i] - 1, w->start[i + 1]);
	}
#undef RANGE
}

static uint64_t
fold_addr(uint64_t raw, uint64_t limit)
{
	return (raw >> 63) ? raw : raw & ((limit << 1) - 1);
}

/* A walk's type at pos and the end of that run; INVALID up to `to` past its end. */
static uint8_t
walk_at(const struct walk *w, size_t *i, uint64_t pos, uint64_t to, uint64_t *end)
{
	if (pos >= w->start[w->n]) {
		*end = to;
		return MTRR_TYPE_INVALID;
	}
	while (w->start[*i + 1] <= pos)
		(*i)++;
	*end = w->start[*i + 1];
	return w->type[*i];
}

/*
 * What diff(a, b) must be: the maximal ranges where the two complete walks
 * differ (addresses only one map has differ), each typed by b when b is
 * uniform over it, else MIXED.  Returns the count; *to is the larger limit.
 */
static size_t
expected_diff(const struct walk *a, const struct walk *b, struct mtrr_range *out,
              uint64_t *to)
{
	size_t i = 0, j = 0, n = 0;
	uint64_t pos = 0, ea, eb, end;

	*to = a->start[a->n] > b->start[b->n] ? a->start[a->n] : b->start[b->n];
	for (; pos < *to; pos = end) {
		uint8_t ta = walk_at(a, &i, pos, *to, &ea), tb = walk_at(b, &j, pos, *to, &eb);

		end = ea < eb ? ea : eb;
		if (ta == tb)
			continue;
		if (n > 0 && out[n - 1].end == pos) {
			out[n - 1].end = end;
			if (out[n - 1].type != tb)
				out[n - 1].type = MTRR_TYPE_MIXED;
		} else {
			out[n].start = pos;
			out[n].end = end;
			out[n++].type = tb;
		}
	}
	return n;
}

static void
check_diff(const struct mtrr_map *ma, const struct mtrr_map *mb,
           const struct mtrr_state *sa, const struct mtrr_state *sb, unsigned kb,
           const struct walk *wa, const struct walk *wb, size_t cut)
{
	static struct mtrr_range cover[65];
	size_t caps[5] = { 1, 2, 3, 64, 1 + cut };
	uint64_t to;
	size_t n = expected_diff(wa, wb, want, &to), i;
	int same_caps = sa->caps.phys_bits == sb->caps.phys_bits;

	FUZZ_ASSERT_EQ(mtrr_map_diff(ma, ma, NULL, 0), 0);
	FUZZ_ASSERT_EQ(mtrr_map_diff(ma, mb, NULL, 0), n);
	FUZZ_ASSERT_EQ(mtrr_map_diff(mb, ma, NULL, 0), n);
	memset(got, 0xA5, (n + 1) * sizeof(got[0]));
	FUZZ_ASSERT_EQ(mtrr_map_diff(ma, mb, got, n + 1), n);
	FUZZ_ASSERT_EQ(got[n].start, 0xA5A5A5A5A5A5A5A5ull);
	for (i = 0; i < n; i++) {
		uint64_t lo = got[i].start, hi = got[i].end;

		FUZZ_ASSERT_EQ(lo, want[i].start);
		FUZZ_ASSERT_EQ(hi, want[i].end);
		FUZZ_ASSERT_EQ(got[i].type, want[i].type);
		if (same_caps)
			FUZZ_ASSERT_EQ(got[i].type, mtrr_map_lookup_range(mb, lo, hi));
		/* The oracle answers INVALID beyond a state's limit, as the diff counts. */
		FUZZ_ASSERT(oracle_lookup(sa, lo) != oracle_lookup(sb, lo));
		FUZZ_ASSERT(oracle_lookup(sa, hi - 1) != oracle_lookup(sb, hi - 1));
		if (lo > 0)
			FUZZ_ASSERT_EQ(oracle_lookup(sa, lo - 1), oracle_lookup(sb, lo - 1));
		if (hi < to)
			FUZZ_ASSERT_EQ(oracle_lookup(sa, hi), oracle_lookup(sb, hi));
	}
	/* Every probe: inside a diff range exactly when the types differ. */
	for (i = 0; i < probes.n; i++)
		if (probes.addr[i] < to)
			FUZZ_ASSERT_EQ(in_ranges(got, n, probes.addr[i]),
				       probes.type[SA][i] != probes.type[kb][i]);
	if (n > 0) {
		cut %= n;
		memset(got, 0xA5, (n + 1) * sizeof(got[0]));
		FUZZ_ASSERT_EQ(mtrr_map_diff(ma, mb, got, cut), n);
		FUZZ_ASSERT_EQ(got[cut].start, 0xA5A5A5A5A5A5A5A5ull);
	}
	/* The bounded cover: this diff, or its head and one coalescing range. */
	for (i = 0; i < 5; i++)
		if (caps[i] <= 64)
			(void)check_cover(&probes, SA, kb, ma, mb, sa, sb, caps[i], cover,
					  want, n);
}

/*
 * The third state of the diff check: sa's registers on a processor with
 * another MAXPHYADDR (those that do not fit are left at zero).
 */
static void
other_phys(const struct mtrr_state *sa, struct mtrr_state *sc, unsigned phys_bits)
{
	uint32_t msrs[MTRR_MSR_LIST_MAX];
	struct mtrr_caps caps = sa->caps;
	size_t n, i;
	uint64_t v;

	caps.phys_bits = phys_bits;
	FUZZ_ASSERT_EQ(mtrr_state_init(sc, &caps), MTRR_OK);
	n = mtrr_msr_list(&caps, msrs, MTRR_MSR_LIST_MAX);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT_EQ(mtrr_rdmsr(sa, msrs[i], &v), MTRR_OK);
		(void)mtrr_wrmsr(sc, msrs[i], v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mtrr_state sa, sb, sc, bad;
	static struct mtrr_map ma, mb, mc, again;
	static struct mtrr_range cover[4];
	const struct mtrr_state *states[FUZZ_STATES] = { &sa, &sb, &sc };
	struct fuzz_in in = fuzz_in_make(data, size);
	uint64_t fz[FUZZ_ADDRS], limit;
	size_t nfz = 0, i;
	uint8_t cut;
#ifdef FUZZ_REPLAY
	int deep = 1;
#else
	int deep = fuzz_hash(data, size) % DEEP_ONE_IN == 0;
#endif

	fuzz_build_state(&in, &sa);
	memcpy(&sb, &sa, sizeof(sb));
	(void)fuzz_apply_op(&in, &sb);
	cut = fuzz_u8(&in);
	limit = fuzz_limit(&sa);
	while (!fuzz_empty(&in) && nfz < FUZZ_ADDRS)
		fz[nfz++] = fold_addr(fuzz_u64(&in), limit);
	other_phys(&sa, &sc, 32u + cut % 21u);

	FUZZ_ASSERT_EQ(mtrr_map_build(&ma, &sa), MTRR_OK);
	FUZZ_ASSERT_EQ(mtrr_map_build(&mb, &sb), MTRR_OK);
	FUZZ_ASSERT_EQ(mtrr_map_build(&mc, &sc), MTRR_OK);
	/*
	 * A build into memory never zeroed answers exactly: no query reads a
	 * byte the build did not write.
	 */
	memset(&again, 0x5A, sizeof(again));
	FUZZ_ASSERT_EQ(mtrr_map_build(&again, &sa), MTRR_OK);
	for (i = 0; i < nfz; i++)
		FUZZ_ASSERT_EQ(mtrr_map_lookup_inline(&again, fz[i]), mtrr_map_lookup(&ma, fz[i]));
	/*
	 * Deterministic: a build over an earlier one (sb's; ma's was the last
	 * input's) is byte for byte the same, nothing stale is left.
	 */
	memcpy(&again, &mb, sizeof(again));
	FUZZ_ASSERT_EQ(mtrr_map_build(&again, &sa), MTRR_OK);
	FUZZ_ASSERT(memcmp(&again, &ma, sizeof(again)) == 0);
	/* Refused: NULL, or a state mtrr_state_init would refuse; m untouched. */
	FUZZ_ASSERT_EQ(mtrr_map_build(&again, NULL), MTRR_E_INVALID_ARG);
	FUZZ_ASSERT_EQ(mtrr_map_build(NULL, &sa), MTRR_E_INVALID_ARG);
	memcpy(&bad, &sa, sizeof(bad));
	bad.caps.phys_bits = 53u + cut % 11u;
	FUZZ_ASSERT_EQ(mtrr_map_build(&again, &bad), MTRR_E_INVALID_ARG);
	FUZZ_ASSERT(memcmp(&again, &ma, sizeof(again)) == 0);
	FUZZ_ASSERT_EQ(mtrr_ref_lookup(&bad, 0), MTRR_TYPE_INVALID);
	FUZZ_ASSERT_EQ(mtrr_ref_lookup(NULL, 0), MTRR_TYPE_INVALID);
	FUZZ_ASSERT_EQ(mtrr_map_ranges(NULL, NULL, 0), 0);
	FUZZ_ASSERT_EQ(mtrr_map_diff(NULL, &ma, NULL, 0), 0);
	FUZZ_ASSERT_EQ(mtrr_map_diff(&ma, NULL, NULL, 0), 0);
	FUZZ_ASSERT_EQ(mtrr_map_diff_cover(NULL, &ma, cover, 4), 0);
	FUZZ_ASSERT_EQ(mtrr_map_diff_cover(&ma, NULL, cover, 4), 0);
	FUZZ_ASSERT_EQ(mtrr_map_diff_cover(&ma, &mb, NULL, 4), 0);
	FUZZ_ASSERT_EQ(mtrr_map_diff_cover(&ma, &mb, cover, 0), 0);
	FUZZ_ASSERT_EQ(mtrr_map_diff_cover(&ma, &ma, cover, 4), 0);

	probes.n = 0;
	nstarts = 0;
	for (i = 0; i < nfz; i++)
		add_start(fz[i]);
	add_state_starts(&sa);
	add_state_starts(&sb);
	if (deep) {
		/* Both ends of every 4 KiB page of the first MiB: probes only. */
		for (i = 0; i < MTRR_FIXED_END; i += 0x1000) {
			probes_add(&probes, i);
			probes_add(&probes, i + 0xFFF);
		}
	}
	probes_finish(&probes, states, FUZZ_STATES);

	/* The bounded checks, on every input. */
	check_probes(&probes, SA, &ma, &sa);
	check_probes(&probes, SB, &mb, &sb);
	check_probes(&probes, SC, &mc, &sc);
	check_beyond(&ma, &sa);
	check_beyond(&mc, &sc);
	check_steps(&ma, &sa, deep ? nstarts : STEP_CHEAP);
	check_steps(&mb, &sb, deep ? nstarts : STEP_CHEAP);
	range_runs = 0;
	check_lookup_range(NULL, &ma, &sa, fz, nfz < RANGE_CHEAP ? nfz : RANGE_CHEAP,
			   WALK_CHEAP, MIXED_CHEAP, PROBE_CHEAP);
	(void)check_cover(&probes, SA, SB, &ma, &mb, &sa, &sb, 1u + cut % 3u, cover, NULL, 0);
	(void)check_cover(&probes, SA, SC, &ma, &mc, &sa, &sc, 1u + cut % 3u, cover, NULL, 0);
	if (!deep)
		return 0;

	/* The map-wide checks, on one input in DEEP_ONE_IN. */
	walk_max = WALK_MAX;
	range_max = RANGE_MAX;
	range_runs = RANGE_RUNS;
	if (!runs_exact(&sa) || !runs_exact(&sb) || !runs_exact(&sc)) {
		walk_max /= SMALL_DIV;
		range_max /= SMALL_DIV;
		range_runs /= SMALL_DIV;
	}
	do_walk(&walk_a, &ma, &sa);
	do_walk(&walk_b, &mb, &sb);
	do_walk(&walk_c, &mc, &sc);
	check_runs(&walk_a, SA);
	check_runs(&walk_b, SB);
	check_runs(&walk_c, SC);
	check_lookup_range(&walk_a, &ma, &sa, fz, nfz, range_max, range_max, FUZZ_PROBES);
	if (walk_a.complete)
		check_ranges(&walk_a, &ma, &sa, cut);
	if (walk_b.complete)
		check_ranges(&walk_b, &mb, &sb, cut);
	if (walk_a.complete && walk_b.complete)
		check_diff(&ma, &mb, &sa, &sb, SB, &walk_a, &walk_b, cut);
	/* Maps of different MAXPHYADDR: what only one has counts as different. */
	if (walk_a.complete && walk_c.complete)
		check_diff(&ma, &mc, &sa, &sc, SC, &walk_a, &walk_c, cut);
	return 0;
}
