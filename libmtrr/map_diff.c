/*
 * map_diff.c — where two maps differ: exactly (mtrr_map_diff, for tools) and
 * as a bounded cover (mtrr_map_diff_cover, for a hypervisor's WRMSR path).
 */
#include <string.h>

#include "internal.h"

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
			n = mtrr__emit(out, capacity, n, start, pos, type);
			open = false;
		}
		pos = na < nb ? na : nb;
	}
	if (open)
		n = mtrr__emit(out, capacity, n, start, to, type);
	return n;
}

/* The type of b on [s, e), INVALID beyond its limit, MIXED across it. */
static uint8_t
type_in_b(struct mtrr__search *q, uint64_t s, uint64_t e)
{
	const struct mtrr_map *b = q->map[1];

	if (s >= b->limit)
		return MTRR_TYPE_INVALID;
	if (e > b->limit)
		return MTRR_TYPE_MIXED;
	return mtrr__range_type(q, 1, s, e);
}

/*
 * Where two scan-form maps can differ at all, above 1 MiB: only where a pair
 * that one of them lacks matches, when both combine types the same way.  The
 * span [lowest, highest + 1) of those pairs' blocks, or the whole space.
 */
static void
pairs_hull(const struct mtrr__search *q, uint64_t *lo, uint64_t *hi)
{
	const struct mtrr_map *a = q->map[0], *b = q->map[1];
	const struct mtrr__eng *e = &q->eng;
	unsigned k;

	*lo = 0;
	*hi = q->to;
	if (q->nmaps != 2 || !a->scan || !b->scan || a->limit != b->limit || a->tom2 != b->tom2 ||
	    memcmp(a->u.var.combine, b->u.var.combine, sizeof(a->u.var.combine)) != 0)
		return;
	*lo = q->to;
	*hi = 0;
	for (k = 0; k < e->n; k++) {
		uint64_t last = e->base[k] | ((a->limit - 1) & ~e->mask[k] & ~0xFFFull);
		if ((e->tags[k] & 0xFFu) != 0 && (e->tags[k] >> 8) != 0)
			continue;       /* in both maps: no difference from it */
		if (e->base[k] < *lo)
			*lo = e->base[k];
		if (last + 0x1000 > *hi)
			*hi = last + 0x1000;
	}
}

/*
 * The last range of a cover that ran out of room (or of budget): from
 * `start` to the end of the last difference at or after it.  When the
 * search ran out of budget, the bounds are those of the pairs that differ.
 */
static size_t
close_cover(struct mtrr__search *q, struct mtrr_range *out, size_t n, uint64_t start,
	    uint64_t known_end)
{
	uint64_t end, lo, hi;

	q->what = 2;
	end = mtrr__find_last(q, start, q->to, 0);
	if (end < known_end)
		end = known_end;
	if (q->gave_up && start >= MTRR_FIXED_END) {
		pairs_hull(q, &lo, &hi);
		if (start < lo && known_end <= lo)
			start = lo;
		if (end > hi && known_end <= hi)
			end = hi;
	}
	if (end <= start)
		return n;
	return mtrr__emit(out, n + 1, n, start, end, type_in_b(q, start, end));
}

/*
 * Two run-form maps: mtrr_map_diff is bounded (at most a few hundred runs),
 * so it gives the exact ranges; when they do not fit, the last slot becomes
 * the coalescing range.
 */
static size_t
cover_by_runs(struct mtrr__search *q, struct mtrr_range *out, size_t capacity)
{
	size_t n = mtrr_map_diff(q->map[0], q->map[1], out, capacity);

	if (n <= capacity)
		return n;
	return close_cover(q, out, capacity - 1, out[capacity - 1].start, out[capacity - 1].end);
}

static size_t
cover(struct mtrr__search *q, struct mtrr_range *out, size_t capacity)
{
	uint64_t pos = 0, s, e;
	size_t n = 0;

	if (!q->map[0]->scan && !q->map[1]->scan)
		return cover_by_runs(q, out, capacity);
	while (pos < q->to) {
		q->what = 2;
		s = mtrr__find_first(q, pos, q->to, 0);
		if (s >= q->to)
			break;
		if (q->gave_up)
			return close_cover(q, out, n, s, s);
		e = mtrr__find_first(q, s, q->to, 1);
		if (q->gave_up || n + 1 == capacity)
			return close_cover(q, out, n, s, e);
		n = mtrr__emit(out, capacity, n, s, e, type_in_b(q, s, e));
		pos = e;
	}
	return n;
}

size_t
mtrr_map_diff_cover_ex(const struct mtrr_map *a, const struct mtrr_map *b,
		       struct mtrr_range *out, size_t capacity, bool *exact)
{
	struct mtrr__search q;
	size_t n;

	if (exact != NULL)
		*exact = true;
	if (a == NULL || b == NULL || out == NULL || capacity == 0)
		return 0;
	mtrr__search_init(&q, a, b, MTRR__COVER_SPLITS, MTRR__COVER_ASKS);
	n = cover(&q, out, capacity);
	if (exact != NULL)
		*exact = !q.gave_up;
	return n;
}

size_t
mtrr_map_diff_cover(const struct mtrr_map *a, const struct mtrr_map *b,
		    struct mtrr_range *out, size_t capacity)
{
	return mtrr_map_diff_cover_ex(a, b, out, capacity, NULL);
}
