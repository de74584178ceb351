/*
 * map_search.c — searches over aligned blocks: where does a map's type (or
 * the difference of two maps) first or last differ from a value?
 *
 * A forward search from x takes the largest aligned block that starts at x;
 * a block holding only the wanted value is skipped whole, so the blocks grow
 * as x gains trailing zeros, at most one per address bit.  A block with
 * another value ends the search there; a MIXED block is entered: its left
 * half, then its right half.  So one search classifies at most about four
 * blocks per address bit, whatever the number of runs in between.
 *
 * Classifying a block of one map is exact and cheap: fixed pages below
 * 1 MiB, the run list in run form, the slot table, and the block engine
 * (map_blocks.c) for the scan form.  For two maps, a block where both are
 * uniform is decided at once; where a run-form map is mixed the block is
 * entered (its boundaries are few); otherwise the engine decides "do they
 * differ" on the cubes of both.
 */
#include "internal.h"

#define PAGE 0x1000ull
/* one_block: a scan-form block the slot table does not settle */
#define NEEDS_ENGINE 0xFA

static bool
is_value(uint8_t v)
{
	return v <= MTRR_TYPE_WB || v == MTRR_TYPE_INVALID;
}

/* The type the fixed pages of [x, end) share (end <= 1 MiB), or MIXED. */
static uint8_t
pages_type(const uint8_t *fixed, uint64_t x, uint64_t end)
{
	unsigned p = (unsigned)(x >> 12), last = (unsigned)((end - 1) >> 12);

	/* fixed_next would do it in one step, but pages are few */
	for (; p < last; p++)
		if (fixed[p + 1] != fixed[p])
			return MTRR_TYPE_MIXED;
	return fixed[x >> 12];
}

/*
 * A scan-form block of several slots (bits > the slot size at x): MIXED
 * when two of them hold different types (exact, and far cheaper than asking
 * the engine about a block this large), or when the block holds top (low
 * and high slots): the search enters it; else NEEDS_ENGINE when some slot
 * is not a type (the engine decides the block whole, as it would a block
 * inside one slot: entering it slot by slot could take far more questions);
 * else their common type.
 */
static uint8_t
slots_type(const struct mtrr_map *m, uint64_t x, unsigned bits)
{
	unsigned sb = mtrr__slot_bits(m, x);
	const uint8_t *slot = mtrr__slot_ptr(m, x);
	size_t n = (size_t)1 << (bits - sb), i;
	uint8_t t = MTRR_TYPE_INVALID, u;
	bool undecided = false;

	if (x < m->top && x + (1ull << bits) > m->top)
		return MTRR_TYPE_MIXED;
	for (i = 0; i < n; i++) {
		if (i > 0 && slot[i] == slot[i - 1])
			continue;
		u = mtrr__entry_type(m, slot[i]);
		if (u >= MTRR_MAP_NODE)
			undecided = true;
		else if (t == MTRR_TYPE_INVALID)
			t = u;
		else if (u != t)
			return MTRR_TYPE_MIXED;
	}
	return undecided ? NEEDS_ENGINE : t;
}

/* What map m alone says of [x, x + 2^bits) without the engine. */
static uint8_t
one_block(const struct mtrr_map *m, uint64_t x, unsigned bits)
{
	uint64_t end = x + (1ull << bits), rend;
	unsigned r, known;
	uint8_t t;

	if (x >= m->limit)
		return MTRR_TYPE_INVALID;
	if (end > m->limit || (x < MTRR_FIXED_END && end > MTRR_FIXED_END))
		return MTRR_TYPE_MIXED;         /* not one kind of address: enter it */
	if (x < MTRR_FIXED_END)
		return pages_type(m->lut, x, end);
	if (!m->scan) {
		r = mtrr__run_index(m, x);
		rend = r + 1u < m->nruns ? m->u.run.start[r + 1] : m->limit;
		return rend >= end ? m->u.run.type[r] : MTRR_TYPE_MIXED;
	}
	if (bits > mtrr__slot_bits(m, x))
		return slots_type(m, x, bits);
	t = mtrr__index_type(m, x, &known);
	if (t < MTRR_MAP_NODE && bits <= known)
		return t;               /* inside a uniform slot or node entry */
	return NEEDS_ENGINE;
}

/* Do the two maps' fixed pages differ on all of [x, end), none, or some? */
static uint8_t
pages_differ(const struct mtrr_map *a, const struct mtrr_map *b, uint64_t x, uint64_t end)
{
	unsigned p = (unsigned)(x >> 12), last = (unsigned)((end - 1) >> 12);
	uint8_t d = a->lut[p] != b->lut[p];

	for (p++; p <= last; p++)
		if ((a->lut[p] != b->lut[p]) != d)
			return MTRR_TYPE_MIXED;
	return d;
}

/* The TOM2 tags of each map for a block inside or outside its WB region. */
static uint16_t
region_tags(const struct mtrr__search *q, uint64_t x, unsigned bits)
{
	uint16_t tags = 0;

	if (mtrr__tom2_where(q->map[0], x, bits) == 1)
		tags |= MTRR__TOM2_BIT;
	if (q->nmaps == 2 && mtrr__tom2_where(q->map[1], x, bits) == 1)
		tags |= MTRR__TOM2_BIT << 8;
	return tags;
}

/* The value of [x, x + 2^bits) for the search's question. */
static uint8_t
classify(struct mtrr__search *q, uint64_t x, unsigned bits)
{
	uint8_t v[2];
	unsigned i;

	if (q->what < 2) {
		v[0] = one_block(q->map[q->what], x, bits);
		if (v[0] != NEEDS_ENGINE)
			return v[0];
		if (mtrr__tom2_where(q->map[q->what], x, bits) == 2)
			return MTRR_TYPE_MIXED; /* across an end of AMD's WB region */
		if (q->asks == 0)
			return MTRR__UNKNOWN;
		q->asks--;
		mtrr__eng_mode(&q->eng, q->what ? MTRR__ENG_TYPE1 : MTRR__ENG_TYPE0,
			       MTRR__NOT_CONST, MTRR__NOT_CONST);
		mtrr__eng_extra(&q->eng, region_tags(q, x, bits));
		return mtrr__eng_block(&q->eng, x, bits);
	}
	for (i = 0; i < 2; i++)
		v[i] = one_block(q->map[i], x, bits);
	if (is_value(v[0]) && is_value(v[1]))
		return v[0] != v[1];
	if (x + (1ull << bits) <= MTRR_FIXED_END)
		return pages_differ(q->map[0], q->map[1], x, x + (1ull << bits));
	if (v[0] == MTRR_TYPE_MIXED || v[1] == MTRR_TYPE_MIXED)
		return MTRR_TYPE_MIXED;         /* enter it: see the top comment */
	for (i = 0; i < 2; i++) {
		if (v[i] != NEEDS_ENGINE)
			continue;
		v[i] = MTRR__NOT_CONST;
		if (mtrr__tom2_where(q->map[i], x, bits) == 2)
			return MTRR_TYPE_MIXED;
	}
	if (q->asks == 0)
		return MTRR__UNKNOWN;
	q->asks--;
	mtrr__eng_mode(&q->eng, MTRR__ENG_DIFF, v[0], v[1]);
	mtrr__eng_extra(&q->eng, region_tags(q, x, bits));
	return mtrr__eng_block(&q->eng, x, bits);
}

void
mtrr__search_init(struct mtrr__search *q, const struct mtrr_map *a,
		  const struct mtrr_map *b, unsigned budget, unsigned asks)
{
	q->asks = asks;
	q->map[0] = a;
	q->map[1] = b != NULL ? b : a;
	q->nmaps = b != NULL ? 2 : 1;
	q->what = 0;
	q->to = a->limit;
	if (b != NULL && b->limit > q->to)
		q->to = b->limit;
	q->gave_up = false;
	mtrr__eng_init(&q->eng, budget);
	if (a->scan)
		mtrr__eng_add(&q->eng, a, 0);
	if (b != NULL && b->scan)
		mtrr__eng_add(&q->eng, b, 1);
}

static unsigned
block_bits_at(const struct mtrr__search *q, uint64_t x)
{
	unsigned top = mtrr__ctz(q->to);

	return x != 0 && mtrr__ctz(x) < top ? mtrr__ctz(x) : top;
}

uint64_t
mtrr__find_first(struct mtrr__search *q, uint64_t from, uint64_t stop, uint8_t want)
{
	uint64_t x = from;
	unsigned bits;
	uint8_t v;

	while (x < stop) {
		bits = block_bits_at(q, x);
		v = classify(q, x, bits);
		if (v == want) {
			x += 1ull << bits;
			continue;
		}
		/* Enter the block: the first half that is not all `want`. */
		while (v == MTRR_TYPE_MIXED && x < stop) {
			bits--;                 /* a 4 KiB block is never MIXED */
			v = classify(q, x, bits);
			if (v != want)
				continue;
			x += 1ull << bits;
			v = classify(q, x, bits);
			if (v == want) {        /* nothing here after all */
				x += 1ull << bits;
				break;
			}
		}
		if (x >= stop)
			return stop;
		if (v == want)
			continue;
		if (v == MTRR__UNKNOWN)
			q->gave_up = true;
		return x;
	}
	return stop;
}

uint64_t
mtrr__find_last(struct mtrr__search *q, uint64_t lo, uint64_t hi, uint8_t want)
{
	uint64_t y = hi;
	unsigned bits;
	uint8_t v;

	while (y > lo) {
		bits = block_bits_at(q, y);
		while (y - (1ull << bits) < lo)
			bits--;
		v = classify(q, y - (1ull << bits), bits);
		if (v == want) {
			y -= 1ull << bits;
			continue;
		}
		/* Enter the block [y - 2^bits, y): right half first. */
		while (v == MTRR_TYPE_MIXED) {
			bits--;
			v = classify(q, y - (1ull << bits), bits);
			if (v != want)
				continue;
			y -= 1ull << bits;
			v = classify(q, y - (1ull << bits), bits);
			if (v == want) {
				y -= 1ull << bits;
				break;
			}
		}
		if (v == want)
			continue;
		if (v == MTRR__UNKNOWN)
			q->gave_up = true;
		return y;
	}
	return lo;
}

uint8_t
mtrr__range_type(struct mtrr__search *q, unsigned i, uint64_t s, uint64_t e)
{
	unsigned what = q->what;
	uint8_t t = mtrr_map_lookup(q->map[i], s);
	uint64_t x;

	q->what = i;
	x = mtrr__find_first(q, s & ~(PAGE - 1), e, t);
	q->what = what;
	return x >= e ? t : MTRR_TYPE_MIXED;
}
