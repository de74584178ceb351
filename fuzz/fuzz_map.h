/*
 * fuzz_map.h — checks of the compiled map's queries against the oracle
 * (oracle.h), shared by the resolver, diff_cover and range targets.
 *
 * Every check here costs a bounded number of lookups whatever the state, so
 * a target stays fast on adversarial masks and a slow input is the library's
 * fault, never the harness's.  The probe set is the harness's memory: a
 * sorted, de-duplicated list of interesting addresses with the oracle's type
 * at each, for up to FUZZ_STATES states, computed once per input and then
 * consulted by every check (a range answer is compared with the probes that
 * fall inside it, a cover must hold every probe where two states differ).
 */
#ifndef FUZZ_MAP_H
#define FUZZ_MAP_H

#include <string.h>

#include "fuzz_helpers.h"
#include "oracle.h"

#define FUZZ_PROBES 2048
#ifdef FUZZ_COVER_COARSE_OK
#define FUZZ_COARSE 1           /* see check_cover */
#else
#define FUZZ_COARSE 0
#endif
#define FUZZ_STATES 3

struct fuzz_probes {
	size_t n;
	uint64_t addr[FUZZ_PROBES];
	uint8_t type[FUZZ_STATES][FUZZ_PROBES];  /* oracle type of addr[i] in state k */
};

static inline uint64_t
fuzz_limit(const struct mtrr_state *s)
{
	return 1ull << s->caps.phys_bits;
}

static inline void
probes_add(struct fuzz_probes *p, uint64_t a)
{
	if (p->n < FUZZ_PROBES)
		p->addr[p->n++] = a;
}

/*
 * Where a state's types can change: both ends of every valid pair's lowest
 * and highest block, one address either side, the ends of the space and of
 * the first MiB.
 */
static inline void
probes_add_state(struct fuzz_probes *p, const struct mtrr_state *s)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits), limit = fuzz_limit(s);
	unsigned n;

	probes_add(p, 0);
	probes_add(p, 1);
	probes_add(p, MTRR_FIXED_END - 1);
	probes_add(p, MTRR_FIXED_END);
	probes_add(p, MTRR_FIXED_END + 1);
	probes_add(p, limit - 1);
	probes_add(p, limit);
	probes_add(p, limit + 1);
	probes_add(p, UINT64_MAX);
	for (n = 0; n < s->caps.vcnt; n++) {
		uint64_t mask = s->var[n].mask & phys, lo = s->var[n].base & mask;
		uint64_t size = mask ? mask & (0 - mask) : limit;
		uint64_t hi = lo | (~mask & phys & ~(size - 1));

		if (!(s->var[n].mask & MTRR_PHYSMASK_V))
			continue;
		probes_add(p, lo - 1);
		probes_add(p, lo);
		probes_add(p, lo + size - 1);
		probes_add(p, lo + size);
		probes_add(p, hi - 1);
		probes_add(p, hi);
		probes_add(p, hi + size - 1);
		probes_add(p, hi + size);
	}
}

static inline int
probes_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts, drops duplicates, and asks the oracle about each probe in each state. */
static inline void
probes_finish(struct fuzz_probes *p, const struct mtrr_state *const *s, unsigned ns)
{
	size_t i, n = 0;
	unsigned k;

	qsort(p->addr, p->n, sizeof(p->addr[0]), probes_cmp);
	for (i = 0; i < p->n; i++)
		if (n == 0 || p->addr[n - 1] != p->addr[i])
			p->addr[n++] = p->addr[i];
	p->n = n;
	for (k = 0; k < ns && k < FUZZ_STATES; k++)
		for (i = 0; i < n; i++)
			p->type[k][i] = oracle_lookup(s[k], p->addr[i]);
}

/* The index of the first probe >= a (p->n when none). */
static inline size_t
probes_from(const struct fuzz_probes *p, uint64_t a)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->addr[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* mtrr_map_lookup, the inline form and mtrr_ref_lookup agree with the oracle at every probe. */
static inline void
check_probes(const struct fuzz_probes *p, unsigned k, const struct mtrr_map *m,
             const struct mtrr_state *s)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		uint8_t t = p->type[k][i];

		FUZZ_ASSERT_EQ(mtrr_ref_lookup(s, p->addr[i]), t);
		FUZZ_ASSERT_EQ(mtrr_map_lookup(m, p->addr[i]), t);
		FUZZ_ASSERT_EQ(mtrr_map_lookup_inline(m, p->addr[i]), t);
	}
}

/*
 * One lookup_next step at addr < limit: the oracle's type at addr, next in
 * (addr, limit] on a 4 KiB boundary (no type changes inside a page), the
 * run's type at next - 1 and in the middle.  `exact`: next is where the type
 * changes (the run form promises it); otherwise next may stop early, at
 * most at the change, which the checks of the run's inside already cover.
 */
static inline uint8_t
check_step(const struct mtrr_map *m, const struct mtrr_state *s, uint64_t addr,
           uint64_t *next, int exact)
{
	uint64_t limit = fuzz_limit(s);
	uint8_t t = mtrr_map_lookup_next(m, addr, next);

	FUZZ_ASSERT_EQ(t, oracle_lookup(s, addr));
	FUZZ_ASSERT(oracle_is_type(t));
	FUZZ_ASSERT(*next > addr && *next <= limit);
	FUZZ_ASSERT_EQ(*next & 0xFFF, 0);
	FUZZ_ASSERT_EQ(oracle_lookup(s, *next - 1), t);
	FUZZ_ASSERT_EQ(oracle_lookup(s, addr + (*next - addr) / 2), t);
	FUZZ_ASSERT_EQ(mtrr_map_lookup(m, *next - 1), t);
	if (exact && *next < limit)
		FUZZ_ASSERT(oracle_lookup(s, *next) != t);
	return t;
}

/* The outcomes of check_range, for targets that count them. */
enum { RANGE_INVALID, RANGE_UNIFORM, RANGE_MIXED, RANGE_SKIPPED };

/*
 * mtrr_map_lookup_range(lo, hi) on state k of the probes.  lookup_range is
 * exact, so it is always called; the answer is then judged:
 *   - INVALID exactly for an empty range or one beyond the limit;
 *   - a type: the oracle has it at lo, hi - 1 and every probe inside (up to
 *     probe_cap of them), and the first walk_cap runs of lookup_next from lo
 *     have it too;
 *   - MIXED: confirmed by two addresses of different types, a probe inside,
 *     hi - 1, or one of the first mixed_cap runs from lo; a walk that
 *     reaches hi without another type proves the range uniform, and the
 *     MIXED wrong.  When none of them tells, the range may be uniform and
 *     too fragmented to walk: skipped, not judged.
 * lookup_next is the costly call on adversarial maps, so the caps are small
 * where a target checks many ranges.  Returns which of the cases it was.
 */
static inline int
check_range(const struct fuzz_probes *p, unsigned k, const struct mtrr_map *m,
            const struct mtrr_state *s, uint64_t lo, uint64_t hi,
            unsigned walk_cap, unsigned mixed_cap, unsigned probe_cap)
{
	uint64_t limit = fuzz_limit(s), a, next;
	uint8_t r = mtrr_map_lookup_range(m, lo, hi), t0;
	size_t i;
	unsigned steps;
	int other = 0;

	if (hi <= lo || hi > limit) {
		FUZZ_ASSERT_EQ(r, MTRR_TYPE_INVALID);
		return RANGE_INVALID;
	}
	t0 = oracle_lookup(s, lo);
	/* The probes inside, and the last address: another type proves MIXED. */
	for (i = probes_from(p, lo); i < p->n && p->addr[i] < hi && probe_cap > 0;
	     i++, probe_cap--)
		other |= p->type[k][i] != t0;
	other |= oracle_lookup(s, hi - 1) != t0;
	if (other) {
		FUZZ_ASSERT_EQ(r, MTRR_TYPE_MIXED);
		return RANGE_MIXED;
	}
	if (r != MTRR_TYPE_MIXED) {
		FUZZ_ASSERT_EQ(r, t0);
		for (a = lo, steps = 0; a < hi && steps < walk_cap; a = next, steps++)
			FUZZ_ASSERT_EQ(check_step(m, s, a, &next, 0), t0);
		return RANGE_UNIFORM;
	}
	/* MIXED because the budget ran out: allowed, nothing to confirm. */
	{
		bool exact = true;

		(void)mtrr_map_lookup_range_ex(m, lo, hi, &exact);
		if (!exact)
			return RANGE_SKIPPED;
	}
	/* MIXED: look for the other type run by run. */
	for (a = lo, steps = 0; a < hi && steps < mixed_cap; a = next, steps++)
		if (check_step(m, s, a, &next, 0) != t0)
			return RANGE_MIXED;
	/* Walked to the end: one type, so a MIXED answer is wrong. */
	FUZZ_ASSERT(a < hi);
	return RANGE_SKIPPED;           /* not confirmed within the caps */
}

/* Is addr inside one of the n sorted, disjoint ranges? */
static inline int
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

/* The type a diff or cover range must carry: b's over it, as the header says. */
static inline uint8_t
cover_type(const struct mtrr_map *mb, const struct mtrr_state *sb, uint64_t lo, uint64_t hi)
{
	uint64_t limit = fuzz_limit(sb);

	if (lo >= limit)
		return MTRR_TYPE_INVALID;
	if (hi > limit)
		return MTRR_TYPE_MIXED;
	return mtrr_map_lookup_range(mb, lo, hi);
}

/*
 * mtrr_map_diff_cover(ma, mb, out, cap), states ka and kb of the probes.
 * The contract, checked without knowing the exact diff:
 *   - at most cap ranges, nothing written past them; sorted, disjoint,
 *     non-empty, below the larger limit, separated by at least one address;
 *   - every range is an exact diff range or the coalescing last one, whose
 *     ends are ends of exact ranges: so the states differ at start and at
 *     end - 1, and agree at start - 1 and at end (inside the space);
 *   - every probe where the states differ is covered, and some range exists
 *     when one does; when fewer than cap ranges came back the cover is the
 *     exact diff (and so are the first cap - 1 ranges always): every probe
 *     inside those ranges differs;
 *   - each type is b's over the range (lookup_range, INVALID beyond b's
 *     limit, MIXED across it).
 * With `want` (the exact diff, nwant ranges; NULL when unknown) the output
 * is compared with it range by range as the header defines.  Returns the count.
 *
 * Built with FUZZ_COVER_COARSE_OK, only what keeps a VMM safe is checked:
 * the count, order and bounds, every difference covered, and a type other
 * than MIXED right.  That is for a campaign that must keep looking for an
 * unsafe cover while a known coarse one (a budget that ran out: a range
 * starting or ending where the maps agree, a MIXED type, fewer ranges than
 * the capacity allowed) waits for a decision; the default is the contract.
 */
static inline size_t
check_cover(const struct fuzz_probes *p, unsigned ka, unsigned kb,
            const struct mtrr_map *ma, const struct mtrr_map *mb,
            const struct mtrr_state *sa, const struct mtrr_state *sb, size_t cap,
            struct mtrr_range *out, const struct mtrr_range *want, size_t nwant)
{
	uint64_t to = fuzz_limit(sa) > fuzz_limit(sb) ? fuzz_limit(sa) : fuzz_limit(sb);
	size_t n, i, exact;
	int differs = 0;

	bool fine = true;       /* the cover says it is exact */
	int coarse;

	memset(out, 0xA5, (cap + 1) * sizeof(out[0]));
	n = mtrr_map_diff_cover_ex(ma, mb, out, cap, &fine);
	/* a cover whose budget ran out only has to be safe (and says so) */
	coarse = FUZZ_COARSE || !fine;
	FUZZ_ASSERT(n <= cap);
	FUZZ_ASSERT_EQ(out[n].start, 0xA5A5A5A5A5A5A5A5ull);
	exact = n < cap ? n : n - 1;
	for (i = 0; i < n; i++) {
		uint64_t lo = out[i].start, hi = out[i].end;

		FUZZ_ASSERT(lo < hi && hi <= to);
		if (i > 0)
			FUZZ_ASSERT(out[i - 1].end <= lo);
		if (out[i].type != MTRR_TYPE_MIXED || !coarse)
			FUZZ_ASSERT_EQ(out[i].type, cover_type(mb, sb, lo, hi));
		if (coarse)
			continue;
		if (i > 0)
			FUZZ_ASSERT(out[i - 1].end < lo);
		FUZZ_ASSERT(oracle_lookup(sa, lo) != oracle_lookup(sb, lo));
		FUZZ_ASSERT(oracle_lookup(sa, hi - 1) != oracle_lookup(sb, hi - 1));
		if (lo > 0)
			FUZZ_ASSERT_EQ(oracle_lookup(sa, lo - 1), oracle_lookup(sb, lo - 1));
		if (hi < to)
			FUZZ_ASSERT_EQ(oracle_lookup(sa, hi), oracle_lookup(sb, hi));
	}
	for (i = 0; i < p->n && p->addr[i] < to; i++) {
		int d = p->type[ka][i] != p->type[kb][i];

		differs |= d;
		if (d)
			FUZZ_ASSERT(in_ranges(out, n, p->addr[i]));
		else if (exact > 0 && !coarse)
			FUZZ_ASSERT(!in_ranges(out, exact, p->addr[i]));
	}
	if (differs)
		FUZZ_ASSERT(n > 0);
	if (want != NULL && !coarse) {
		size_t same = nwant <= cap ? nwant : cap - 1;

		FUZZ_ASSERT_EQ(n, nwant <= cap ? nwant : cap);
		for (i = 0; i < same; i++) {
			FUZZ_ASSERT_EQ(out[i].start, want[i].start);
			FUZZ_ASSERT_EQ(out[i].end, want[i].end);
			FUZZ_ASSERT_EQ(out[i].type, want[i].type);
		}
		if (nwant > cap) {
			FUZZ_ASSERT_EQ(out[cap - 1].start, want[cap - 1].start);
			FUZZ_ASSERT_EQ(out[cap - 1].end, want[nwant - 1].end);
		}
	}
	if (want != NULL && coarse && fine)
		FUZZ_ASSERT_EQ(n == 0, nwant == 0);
	if (want != NULL && nwant > 0)
		FUZZ_ASSERT(n > 0);     /* a difference is never left out */
	return n;
}

/* FNV-1a of the input: picks the inputs that get the expensive checks. */
static inline uint32_t
fuzz_hash(const uint8_t *data, size_t size)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return h;
}

#endif
