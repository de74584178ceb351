/*
 * map_lookup.c — queries on a compiled map (its layout: map_build.c).
 */
#include "internal.h"

/* The run holding addr: the last i with start[i] <= addr (start[0] == 0). */
unsigned
mtrr__run_index(const struct mtrr_map *m, uint64_t addr)
{
	const uint64_t *start = m->u.run.start;
	unsigned lo = 0, n = m->nruns;

	/* Branchless: the compare becomes a conditional move. */
	while (n > 1) {
		unsigned half = n / 2;
		lo = start[lo + half] <= addr ? lo + half : lo;
		n -= half;
	}
	return lo;
}

/* An address whose slot t is MIXED or MTRR_MAP_LOW. */
static uint8_t
lookup_mixed(const struct mtrr_map *m, uint64_t addr, uint8_t t)
{
	if (addr < MTRR_FIXED_END)
		return m->fixed[addr >> 12];
	if (t == MTRR_MAP_LOW)
		return m->low_rest;
	if (m->scan)
		return mtrr__scan_lookup(m, addr);
	return m->u.run.type[mtrr__run_index(m, addr)];
}

/*
 * The address is clamped to top, not tested: the slot at top holds the type
 * of [top, limit), so no address below the limit takes a branch that depends
 * on where it falls, and only a mixed slot goes further.
 */
uint8_t
mtrr_map_lookup(const struct mtrr_map *m, uint64_t addr)
{
	uint8_t t;

	if (addr >= m->limit)
		return MTRR_TYPE_INVALID;
	t = m->slot[mtrr__slot_index(m, addr)];
	if (t < MTRR_MAP_LOW)
		return t;
	return lookup_mixed(m, addr, t);
}

/*
 * Type at addr >= 1 MiB and the end of its run.  Scan form: a block search
 * (map_search.c), which may stop early, at a block boundary, only when its
 * budget runs out.
 */
static uint8_t
upper_next(const struct mtrr_map *m, uint64_t addr, uint64_t *next)
{
	struct mtrr__search q;
	unsigned r;
	uint8_t t;

	if (!m->scan) {
		r = mtrr__run_index(m, addr);
		*next = r + 1u < m->nruns ? m->u.run.start[r + 1] : m->limit;
		return m->u.run.type[r];
	}
	t = mtrr_map_lookup(m, addr);
	mtrr__search_init(&q, m, NULL, MTRR__NEXT_SPLITS, MTRR__NEXT_ASKS);
	*next = mtrr__find_first(&q, (addr | 0xFFFu) + 1, m->limit, t);
	return t;
}

uint8_t
mtrr_map_lookup_next(const struct mtrr_map *m, uint64_t addr, uint64_t *next)
{
	uint64_t after;
	uint8_t t;

	if (addr >= m->limit) {
		*next = m->limit;
		return MTRR_TYPE_INVALID;
	}
	if (addr >= MTRR_FIXED_END)
		return upper_next(m, addr, next);

	t = m->fixed[addr >> 12];
	if (m->fixed_next[addr >> 12] != 0) {
		*next = (uint64_t)m->fixed_next[addr >> 12] << 12;
		return t;
	}
	/* The run reaches 1 MiB: it goes on if the first upper run agrees. */
	*next = upper_next(m, MTRR_FIXED_END, &after) == t ? after : MTRR_FIXED_END;
	return t;
}

uint8_t
mtrr_map_lookup_range(const struct mtrr_map *m, uint64_t start, uint64_t end)
{
	struct mtrr__search q;
	uint64_t next;
	uint8_t t;

	if (end <= start || end > m->limit)
		return MTRR_TYPE_INVALID;
	/* One uniform slot holds the range: the common 4 KiB / 2 MiB case. */
	if ((start >> m->shift) == ((end - 1) >> m->shift) ||
	    (start >> m->shift) >= MTRR_MAP_SLOTS) {
		t = m->slot[mtrr__slot_index(m, start)];
		if (t < MTRR_MAP_LOW)
			return t;
		if (t == MTRR_MAP_LOW && start >= MTRR_FIXED_END)
			return m->low_rest;     /* inside slot 0, above the fixed pages */
	}
	/* Runs are merged: the range is uniform iff it ends in its run. */
	if (start >= MTRR_FIXED_END && !m->scan) {
		t = upper_next(m, start, &next);
		return end <= next ? t : MTRR_TYPE_MIXED;
	}
	/* Otherwise a block search for the first address of another type. */
	mtrr__search_init(&q, m, NULL, MTRR__RANGE_SPLITS, MTRR__RANGE_ASKS);
	return mtrr__range_type(&q, 0, start, end);
}

size_t
mtrr_map_ranges(const struct mtrr_map *m, struct mtrr_range *out, size_t capacity)
{
	uint64_t start = 0, end, after;
	size_t n = 0;
	uint8_t t, u;

	if (m == NULL)
		return 0;
	if (out == NULL)
		capacity = 0;
	t = mtrr_map_lookup_next(m, 0, &end);
	while (end < m->limit) {
		u = mtrr_map_lookup_next(m, end, &after);
		if (u != t) {
			n = mtrr__emit(out, capacity, n, start, end, t);
			start = end;
			t = u;
		}
		end = after;
	}
	return mtrr__emit(out, capacity, n, start, m->limit, t);
}
