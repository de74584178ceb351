/*
 * resolver_fuzzer.c — the compiled map against the reference resolver.
 *
 * Input (see fuzz_state.h): a legal state (strict caps, a count byte, write
 * ops applied through mtrr_wrmsr), one more write op that makes the second
 * state of the diff check, a `cut` byte (the capacity of the short-buffer
 * checks, and the MAXPHYADDR 32 + cut % 21 of the third state), then
 * fuzzer-chosen addresses as u64 (values with bit 63 clear are folded into
 * [0, 2^(phys_bits + 1)), so half of them exist).
 *
 * Properties, for the state and the state plus one write:
 *   - mtrr_map_lookup and mtrr_map_lookup_inline == mtrr_ref_lookup at every
 *     fuzzer address, at 0, 1, 1 MiB +- 1, both ends of every 4 KiB page of
 *     the first MiB, both ends and +-1 of every valid pair's lowest and
 *     highest block, 2^phys_bits - 1 and above;
 *   - mtrr_map_lookup_next, from 0 and from every probed address: the type is
 *     the reference's at addr, addr < next <= 2^phys_bits, the reference and
 *     mtrr_map_lookup agree at addr, next - 1 and the middle, every probed
 *     address inside the run has its type; next is exactly where the type
 *     changes unless the masks expand into more than MTRR_VAR_MAX blocks.
 *     The walk from 0 is bounded (WALK_MAX runs); the map-wide checks below
 *     run only when it reached the end, since with non-contiguous masks the
 *     run count can be astronomical;
 *   - mtrr_map_ranges equals the walk merged (sorted, gap-free, neighbours
 *     differ, each range agrees with the reference at both ends), its size
 *     query equals its count, and a short buffer is never overrun;
 *   - mtrr_map_lookup_range: INVALID exactly for end <= start or end >
 *     2^phys_bits; otherwise, when a walk of at most RANGE_MAX runs decides
 *     it, MIXED exactly when two runs inside differ, else the runs' type.
 *     (lookup_range walks the same runs; with non-contiguous masks a uniform
 *     range can be astronomically many runs, so undecided ranges are skipped);
 *   - mtrr_map_diff(a, b) is exactly the set of addresses where the walks of
 *     the two maps differ, as maximal ranges, typed by b where b is uniform
 *     (and then equal to lookup_range in b), else MIXED; the reference
 *     differs at both ends of each range and agrees just outside; the diff
 *     of a map with itself is empty.  Checked for the state plus one write,
 *     and for the state's registers on another MAXPHYADDR (32 + cut % 21),
 *     where addresses only one map has count as different;
 *   - the documented refusals: NULL arguments, a state init would refuse.
 */
#include <string.h>

#include "fuzz_state.h"

/* Work bounds (see blocks() for the small budget). */
#define WALK_MAX  1024  /* runs walked from 0 before giving up on map-wide checks */
#define RANGE_MAX 32    /* runs walked to decide one lookup_range answer */
#define RANGE_RUNS 128  /* walk runs whose edges get lookup_range checks */
#define SMALL_DIV 8     /* the small budget: each bound divided by this */

static unsigned walk_max, range_max, range_runs;
#define PTS_MAX   2048
#define FUZZ_ADDRS 64

struct walk {
	size_t n;               /* runs */
	int complete;           /* reached 2^phys_bits */
	uint64_t start[WALK_MAX + 1];   /* start[n] is the end of the last run */
	uint8_t type[WALK_MAX];
};

static struct walk walk_a, walk_b, walk_c;
static uint64_t pts[PTS_MAX];
static size_t npts, nstep;     /* lookup_next starts from pts[0..nstep) */
static struct mtrr_range got[2 * WALK_MAX + 2], want[2 * WALK_MAX + 2];

static void
add_pt(uint64_t a)
{
	if (npts < PTS_MAX)
		pts[npts++] = a;
}

static uint64_t
limit_of(const struct mtrr_state *s)
{
	return 1ull << s->caps.phys_bits;
}

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

/* The interesting addresses of a state: its blocks' edges, the space's ends. */
static void
add_state_pts(const struct mtrr_state *s)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits), limit = limit_of(s);
	unsigned n;

	add_pt(0);
	add_pt(1);
	add_pt(MTRR_FIXED_END - 1);
	add_pt(MTRR_FIXED_END);
	add_pt(MTRR_FIXED_END + 1);
	add_pt(limit - 1);
	add_pt(limit);
	add_pt(limit + 1);
	add_pt(UINT64_MAX);
	for (n = 0; n < s->caps.vcnt; n++) {
		uint64_t mask = s->var[n].mask & phys, lo = s->var[n].base & mask;
		uint64_t size = mask ? mask & (0 - mask) : limit;
		uint64_t hi = lo | (~mask & phys & ~(size - 1));

		if (!(s->var[n].mask & MTRR_PHYSMASK_V))
			continue;
		add_pt(lo - 1);
		add_pt(lo);
		add_pt(lo + size - 1);
		add_pt(lo + size);
		add_pt(hi - 1);
		add_pt(hi);
		add_pt(hi + size - 1);
		add_pt(hi + size);
	}
}

static void
check_points(const struct mtrr_map *m, const struct mtrr_state *s)
{
	size_t i;

	for (i = 0; i < npts; i++) {
		uint8_t t = mtrr_ref_lookup(s, pts[i]);

		FUZZ_ASSERT_EQ(mtrr_map_lookup(m, pts[i]), t);
		FUZZ_ASSERT_EQ(mtrr_map_lookup_inline(m, pts[i]), t);
	}
}

/* One lookup_next step at addr < limit, checked against the reference. */
static uint8_t
step(const struct mtrr_map *m, const struct mtrr_state *s, uint64_t addr,
     uint64_t *next, int exact)
{
	uint64_t limit = limit_of(s);
	uint8_t t = mtrr_map_lookup_next(m, addr, next);

	FUZZ_ASSERT_EQ(t, mtrr_ref_lookup(s, addr));
	FUZZ_ASSERT(strcmp(mtrr_type_str(t), "INVALID") != 0);    /* a real type */
	FUZZ_ASSERT(*next > addr && *next <= limit);
	FUZZ_ASSERT_EQ(mtrr_ref_lookup(s, *next - 1), t);
	FUZZ_ASSERT_EQ(mtrr_ref_lookup(s, addr + (*next - addr) / 2), t);
	FUZZ_ASSERT_EQ(mtrr_map_lookup(m, addr), t);
	FUZZ_ASSERT_EQ(mtrr_map_lookup(m, *next - 1), t);
	if (exact && *next < limit)
		FUZZ_ASSERT(mtrr_ref_lookup(s, *next) != t);
	return t;
}

static void
do_walk(struct walk *w, const struct mtrr_map *m, const struct mtrr_state *s)
{
	uint64_t a = 0, limit = limit_of(s), next;
	int exact = runs_exact(s);

	w->n = 0;
	while (a < limit && w->n < walk_max) {
		w->start[w->n] = a;
		w->type[w->n++] = step(m, s, a, &next, exact);
		a = next;
	}
	w->start[w->n] = a;
	w->complete = a == limit;

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

/*
 * lookup_next from arbitrary addresses (not only run starts), and the claim
 * that a run is uniform, probed at every interesting address.
 */
static void
check_runs(const struct walk *w, const struct mtrr_map *m, const struct mtrr_state *s)
{
	uint64_t limit = limit_of(s), next;
	int exact = runs_exact(s);
	size_t i, r;

	for (i = 0; i < nstep; i++) {
		if (pts[i] >= limit)
			continue;
		if (i < walk_max) {
			(void)step(m, s, pts[i], &next, exact);
			if (next < limit)
				(void)step(m, s, next, &next, exact);
		}
		r = walk_find(w, pts[i]);
		if (r < w->n)
			FUZZ_ASSERT_EQ(w->type[r], mtrr_ref_lookup(s, pts[i]));
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
	FUZZ_ASSERT_EQ(got[n - 1].end, limit_of(s));
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT_EQ(got[i].start, want[i].start);
		FUZZ_ASSERT_EQ(got[i].end, want[i].end);
		FUZZ_ASSERT_EQ(got[i].type, want[i].type);
		FUZZ_ASSERT(got[i].start < got[i].end);
		FUZZ_ASSERT_EQ(mtrr_ref_lookup(s, got[i].start), got[i].type);
		FUZZ_ASSERT_EQ(mtrr_ref_lookup(s, got[i].end - 1), got[i].type);
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
 * lookup_range(lo, hi) against a bounded walk of lookup_next and the
 * reference.  The walk runs first: when it neither reaches hi nor meets a
 * change of type within RANGE_MAX runs, lookup_range is not called, since it
 * may have as many runs to walk (see the header comment of this file).
 */
static void
check_range(const struct mtrr_map *m, const struct mtrr_state *s, uint64_t lo, uint64_t hi)
{
	uint64_t limit = limit_of(s), a, next, diff_at = 0;
	uint8_t r, t0, t;
	unsigned k;
	int mixed = 0;

	if (hi <= lo || hi > limit) {
		FUZZ_ASSERT_EQ(mtrr_map_lookup_range(m, lo, hi), MTRR_TYPE_INVALID);
		return;
	}
	t0 = mtrr_ref_lookup(s, lo);
	for (a = lo, k = 0; a < hi && k < range_max && !mixed; a = next, k++) {
		t = mtrr_map_lookup_next(m, a, &next);
		FUZZ_ASSERT_EQ(t, mtrr_ref_lookup(s, a));
		if (t != t0) {
			mixed = 1;
			diff_at = a;
		}
	}
	if (!mixed && a < hi)
		return;                 /* inconclusive: too many runs */
	r = mtrr_map_lookup_range(m, lo, hi);
	if (mixed) {
		/* Two addresses of [lo, hi) differ: lo and diff_at. */
		FUZZ_ASSERT(mtrr_ref_lookup(s, diff_at) != mtrr_ref_lookup(s, lo));
		FUZZ_ASSERT_EQ(r, MTRR_TYPE_MIXED);
		return;
	}
	/* Every run of [lo, hi) has type t0. */
	FUZZ_ASSERT_EQ(r, t0);
	FUZZ_ASSERT_EQ(mtrr_ref_lookup(s, hi - 1), t0);
}

static uint64_t
fold_addr(uint64_t raw, uint64_t limit)
{
	return (raw >> 63) ? raw : raw & ((limit << 1) - 1);
}

static void
check_lookup_range(const struct walk *w, const struct mtrr_map *m,
                   const struct mtrr_state *s, const uint64_t *fz, size_t nfz)
{
	static const uint64_t pages[] = { 0x1000, 0x200000, 0x40000000 };
	uint64_t limit = limit_of(s);
	size_t i, j;

	check_range(m, s, 0, limit);
	check_range(m, s, 0, limit + 1);
	check_range(m, s, limit - 1, limit);
	check_range(m, s, limit, limit + 1);
	check_range(m, s, 5, 5);
	check_range(m, s, 6, 5);
	check_range(m, s, 0, MTRR_FIXED_END);
	check_range(m, s, MTRR_FIXED_END - 1, MTRR_FIXED_END + 1);
	for (i = 0; i < nfz; i++) {
		if (i + 1 < nfz)
			check_range(m, s, fz[i], fz[i + 1]);
		for (j = 0; j < sizeof(pages) / sizeof(pages[0]); j++) {
			uint64_t lo = fz[i] & ~(pages[j] - 1);
			check_range(m, s, lo, lo + pages[j]);
		}
	}
	for (i = 0; i < w->n && i < range_runs; i++) {
		check_range(m, s, w->start[i], w->start[i + 1]);
		if (w->start[i + 1] < limit)
			check_range(m, s, w->start[i], w->start[i + 1] + 1);
		if (w->start[i] > 0)
			check_range(m, s, w->start[i] - 1, w->start[i + 1]);
	}
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

/* Is addr inside one of the n sorted ranges? */
static int
in_ranges(const struct mtrr_range *r, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && r[lo].start <= addr;
}

static void
check_diff(const struct mtrr_map *ma, const struct mtrr_map *mb,
           const struct mtrr_state *sa, const struct mtrr_state *sb,
           const struct walk *wa, const struct walk *wb, size_t cut)
{
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
		/* The reference answers INVALID beyond a state's limit, as the diff counts. */
		FUZZ_ASSERT(mtrr_ref_lookup(sa, lo) != mtrr_ref_lookup(sb, lo));
		FUZZ_ASSERT(mtrr_ref_lookup(sa, hi - 1) != mtrr_ref_lookup(sb, hi - 1));
		if (lo > 0)
			FUZZ_ASSERT_EQ(mtrr_ref_lookup(sa, lo - 1), mtrr_ref_lookup(sb, lo - 1));
		if (hi < to)
			FUZZ_ASSERT_EQ(mtrr_ref_lookup(sa, hi), mtrr_ref_lookup(sb, hi));
	}
	/* Every probed address: inside a diff range exactly when the types differ. */
	for (i = 0; i < npts; i++)
		if (pts[i] < to)
			FUZZ_ASSERT_EQ(in_ranges(got, n, pts[i]),
				       mtrr_ref_lookup(sa, pts[i]) != mtrr_ref_lookup(sb, pts[i]));
	if (n > 0) {
		cut %= n;
		memset(got, 0xA5, (n + 1) * sizeof(got[0]));
		FUZZ_ASSERT_EQ(mtrr_map_diff(ma, mb, got, cut), n);
		FUZZ_ASSERT_EQ(got[cut].start, 0xA5A5A5A5A5A5A5A5ull);
	}
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
	struct fuzz_in in = fuzz_in_make(data, size);
	uint64_t fz[FUZZ_ADDRS], limit;
	size_t nfz = 0, i;
	uint8_t cut;

	fuzz_build_state(&in, &sa);
	memcpy(&sb, &sa, sizeof(sb));
	(void)fuzz_apply_op(&in, &sb);
	cut = fuzz_u8(&in);
	limit = limit_of(&sa);
	while (!fuzz_empty(&in) && nfz < FUZZ_ADDRS)
		fz[nfz++] = fold_addr(fuzz_u64(&in), limit);
	other_phys(&sa, &sc, 32u + cut % 21u);

	walk_max = WALK_MAX;
	range_max = RANGE_MAX;
	range_runs = RANGE_RUNS;
	if (!runs_exact(&sa) || !runs_exact(&sb) || !runs_exact(&sc)) {
		walk_max /= SMALL_DIV;
		range_max /= SMALL_DIV;
		range_runs /= SMALL_DIV;
	}

	FUZZ_ASSERT_EQ(mtrr_map_build(&ma, &sa), MTRR_OK);
	FUZZ_ASSERT_EQ(mtrr_map_build(&mb, &sb), MTRR_OK);
	FUZZ_ASSERT_EQ(mtrr_map_build(&mc, &sc), MTRR_OK);
	/* Deterministic: nothing uninitialised or stale gets into a map. */
	memset(&again, 0x5A, sizeof(again));
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

	npts = 0;
	for (i = 0; i < nfz; i++)
		add_pt(fz[i]);
	add_state_pts(&sa);
	add_state_pts(&sb);
	nstep = npts;
	/* Both ends of every 4 KiB page of the first MiB: point checks only. */
	for (i = 0; i < MTRR_FIXED_END; i += 0x1000) {
		add_pt(i);
		add_pt(i + 0xFFF);
	}

	check_points(&ma, &sa);
	check_points(&mb, &sb);
	check_points(&mc, &sc);
	do_walk(&walk_a, &ma, &sa);
	do_walk(&walk_b, &mb, &sb);
	do_walk(&walk_c, &mc, &sc);
	check_runs(&walk_a, &ma, &sa);
	check_runs(&walk_b, &mb, &sb);
	check_lookup_range(&walk_a, &ma, &sa, fz, nfz);
	if (walk_a.complete)
		check_ranges(&walk_a, &ma, &sa, cut);
	if (walk_b.complete)
		check_ranges(&walk_b, &mb, &sb, cut);
	if (walk_a.complete && walk_b.complete)
		check_diff(&ma, &mb, &sa, &sb, &walk_a, &walk_b, cut);
	/* Maps of different MAXPHYADDR: what only one has counts as different. */
	if (walk_a.complete && walk_c.complete)
		check_diff(&ma, &mc, &sa, &sc, &walk_a, &walk_c, cut);
	return 0;
}
