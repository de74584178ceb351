/*
 * map_lookup.c — queries on a compiled map (its layout: map_build.c).
 */
#include "internal.h"

/* The run holding addr: the last i with start[i] <= addr (start[0] == 0). */
static unsigned
run_index(const struct mtrr_map *m, uint64_t addr)
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
	return m->u.run.type[run_index(m, addr)];
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

/* Scan form: blocks are not maximal; join up to this many of one type. */
#define SCAN_JOIN 64

/* Type at addr >= 1 MiB and the end of its run (or of a piece of it). */
static uint8_t
upper_next(const struct mtrr_map *m, uint64_t addr, uint64_t *next)
{
	unsigned r, i;
	uint8_t t;

	if (!m->scan) {
		r = run_index(m, addr);
		*next = r + 1u < m->nruns ? m->u.run.start[r + 1] : m->limit;
		return m->u.run.type[r];
	}
	t = mtrr__scan_block(m, addr, next);
	for (i = 0; i < SCAN_JOIN && *next < m->limit; i++) {
		uint64_t end;
		if (mtrr__scan_block(m, *next, &end) != t)
			break;
		*next = end;
	}
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
	if (start >= MTRR_FIXED_END) {
		/* Runs are merged: the range is uniform iff it ends in its run. */
		if (!m->scan) {
			t = upper_next(m, start, &next);
			return end <= next ? t : MTRR_TYPE_MIXED;
		}
		/* Scan form: walk the uniform blocks, none beyond the range. */
		t = mtrr__scan_block(m, start, &next);
		while (next < end)
			if (mtrr__scan_block(m, next, &next) != t)
				return MTRR_TYPE_MIXED;
		return t;
	}
	/* From the first MiB: fixed runs, then the upper runs or blocks. */
	t = mtrr_map_lookup_next(m, start, &next);
	while (next < end)
		if (mtrr_map_lookup_next(m, next, &next) != t)
			return MTRR_TYPE_MIXED;
	return t;
}

/* Appends [start, end) to out when there is room; returns the new count. */
static size_t
emit(struct mtrr_range *out, size_t capacity, size_t n,
     uint64_t start, uint64_t end, uint8_t type)
{
	if (n < capacity) {
		out[n].start = start;
		out[n].end = end;
		out[n].type = type;
	}
	return n + 1;
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
			n = emit(out, capacity, n, start, end, t);
			start = end;
			t = u;
		}
		end = after;
	}
	return emit(out, capacity, n, start, m->limit, t);
}

/* Type and run end in a map, INVALID (up to `to`) beyond its limit. */
static uint8_t
type_next(const struct mtrr_map *m, uint64_t addr, uint64_t to, uint64_t *next)
{
	if (addr >= m->limit) {
		*next = to;
		return MTRR_TYPE_INVALID;
	}
	return mtrr_map_lookup_next(m, addr, next);
}

size_t
mtrr_map_diff(const struct mtrr_map *a, const struct mtrr_map *b,
	      struct mtrr_range *out, size_t capacity)
{
	uint64_t to, pos = 0, start = 0, na, nb;
	bool open = false;
	size_t n = 0;
	uint8_t type = 0;

	if (a == NULL || b == NULL)
		return 0;
	if (out == NULL)
		capacity = 0;
	to = a->limit > b->limit ? a->limit : b->limit;
	while (pos < to) {
		uint8_t ta = type_next(a, pos, to, &na);
		uint8_t tb = type_next(b, pos, to, &nb);

		if (ta != tb) {
			if (!open) {
				open = true;
				start = pos;
				type = tb;
			} else if (type != tb) {
				type = MTRR_TYPE_MIXED;
			}
		} else if (open) {
			n = emit(out, capacity, n, start, pos, type);
			open = false;
		}
		pos = na < nb ? na : nb;
	}
	if (open)
		n = emit(out, capacity, n, start, to, type);
	return n;
}
