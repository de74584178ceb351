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

static bool
is_node(uint8_t t)
{
	return t >= MTRR_MAP_NODE && t < MTRR_MAP_NODE + MTRR_MAP_NODES;
}

/*
 * An address >= 1 MiB whose slot t is not a type: the high table, the
 * nodes, then the runs or pairs.  Whether an address needs one node or two
 * is as unpredictable as the address, so the second level is read in any
 * case (from node 0 when there is none) and chosen with a conditional move.
 */
static uint8_t
lookup_mixed(const struct mtrr_map *m, uint64_t addr, uint8_t t)
{
	unsigned sh = m->shift;
	uint8_t u;

	if (t == MTRR_MAP_HIGH) {
		sh = m->hshift;
		t = mtrr__high_c(m)[addr >> sh];
		if (t < MTRR_MAP_NODE)
			return t;
	}
	if (is_node(t)) {
		sh -= MTRR__NODE_BITS;
		t = m->node[t - MTRR_MAP_NODE][(addr >> sh) & (MTRR_MAP_FANOUT - 1)];
		u = m->node[is_node(t) ? t - MTRR_MAP_NODE : 0]
			   [(addr >> (sh - MTRR__NODE_BITS)) & (MTRR_MAP_FANOUT - 1)];
		sh = is_node(t) ? sh - MTRR__NODE_BITS : sh;
		t = is_node(t) ? u : t;
		while (is_node(t)) {
			sh -= MTRR__NODE_BITS;
			t = m->node[t - MTRR_MAP_NODE][(addr >> sh) & (MTRR_MAP_FANOUT - 1)];
		}
		if (t < MTRR_MAP_NODE)
			return t;
	}
	if (m->scan)
		return mtrr__scan_lookup(m, addr);
	return m->u.run.type[mtrr__run_index(m, addr)];
}

/*
 * The same steps as mtrr_map_lookup_inline: the page or the slot chosen with
 * conditional moves (the address is clamped to top, not tested), one load,
 * and only a slot that is not a type goes further.
 */
uint8_t
mtrr_map_lookup(const struct mtrr_map *m, uint64_t addr)
{
	size_t i;
	uint8_t t;

	if (addr >= m->limit)
		return MTRR_TYPE_INVALID;
	i = MTRR_MAP_PAGES + (size_t)((addr < m->top ? addr : m->top) >> m->shift);
	i = addr < MTRR_FIXED_END ? (size_t)(addr >> 12) : i;
	t = m->lut[i];
	if (t < MTRR_MAP_NODE)
		return t;
	return lookup_mixed(m, addr, t);
}

void
mtrr_map_lookup_batch(const struct mtrr_map *m, const uint64_t *addrs, uint8_t *types,
		      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		types[i] = mtrr_map_lookup_inline(m, addrs[i]);
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
	/*
	 * From addr's page, not the next one: a walk's addr is where the last
	 * call stopped, usually the start of a large aligned block, and the
	 * search climbs from there instead of from 4 KiB again.  Out of budget
	 * at once, the page itself is the step.
	 */
	*next = mtrr__find_first(&q, addr & ~0xFFFull, m->limit, t);
	if (*next <= (addr | 0xFFFu))
		*next = (addr | 0xFFFu) + 1;
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

	t = m->lut[addr >> 12];
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
	return mtrr_map_lookup_range_ex(m, start, end, NULL);
}

uint8_t
mtrr_map_lookup_range_ex(const struct mtrr_map *m, uint64_t start, uint64_t end, bool *exact)
{
	struct mtrr__search q;
	uint64_t next;
	unsigned bits;
	uint8_t t;

	if (exact != NULL)
		*exact = true;
	if (end <= start || end > m->limit)
		return MTRR_TYPE_INVALID;
	/* One uniform slot or node entry holds the range: the 4 KiB / 2 MiB case. */
	if (start >= MTRR_FIXED_END) {
		t = mtrr__index_type(m, start, &bits);
		if (t < MTRR_MAP_NODE && ((start ^ (end - 1)) >> bits) == 0)
			return t;
	}
	/* Runs are merged: the range is uniform iff it ends in its run. */
	if (start >= MTRR_FIXED_END && !m->scan) {
		t = upper_next(m, start, &next);
		return end <= next ? t : MTRR_TYPE_MIXED;
	}
	/* Otherwise a block search for the first address of another type. */
	mtrr__search_init(&q, m, NULL, MTRR__RANGE_SPLITS, MTRR__RANGE_ASKS);
	t = mtrr__range_type(&q, 0, start, end);
	if (exact != NULL)
		*exact = !q.gave_up;
	return t;
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
