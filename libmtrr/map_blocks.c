/*
 * map_blocks.c — exact, bounded questions about aligned blocks of addresses,
 * for the map's scan form and for comparing two maps.
 *
 * WHY THIS EXISTS
 *
 * A non-contiguous PHYSMASK selects a strided set of blocks: PHYSMASK0 =
 * 0x1800 alone splits the space into 2^39 runs at MAXPHYADDR 52.  Walking
 * runs one by one is then unbounded, and a guest chooses the masks.  Every
 * question a VMM asks beyond a point lookup ("where does this type end?",
 * "is [s, e) one type?", "where do two maps differ?") is answered here on
 * aligned power-of-two blocks instead, never run by run.
 *
 * THE ENGINE
 *
 * Each valid pair is a cube over the address bits MAXPHYADDR-1:12: the mask
 * bits are fixed to the base's, the other bits are free.  For an aligned
 * block [x, x + 2^bits), a cube is dead (a fixed bit above the block
 * disagrees with x), full (it tests no bit inside the block: it matches all
 * of it) or live (it matches a part).  The block's function depends only on
 * `bits` and the set of cubes that are not dead ("alive"), because the bits a
 * cube tests inside the block never change: (bits, alive) is the key of a
 * small memo table.
 *
 * decide() answers "one value on the whole block, or MIXED?" exactly:
 *   1. no live cube: the value of the full cubes' types;
 *   2. every combination of the live cubes' types gives one value: that
 *      value (sound: the combinations that really occur are among them);
 *   3. two points of the block have different values: MIXED (the block's
 *      first address, and a few live cubes' own points, are tried);
 *   4. otherwise split on the highest bit a live cube tests: both halves are
 *      aligned blocks again (no alive cube tests the bits between), decided
 *      the same way, with an early exit on the first MIXED half.
 * Deciding uniformity of a union of cubes is a DNF tautology question, hard
 * in general; with at most 80 cubes over 40 bits, steps 2 and 3 settle almost
 * every node, and the splits are counted against a budget.  When the budget
 * runs out the answer is MTRR__UNKNOWN and every caller has a safe reading of
 * it (see the callers and BOUNDED WORK in mtrr.h).
 *
 * The same engine compares two maps: each cube carries tag bits, the types
 * of map a in bits 6:0 and of map b in bits 14:8 (an identical pair in both
 * maps is one cube with both tags), and the value of a point is then "do the
 * two maps' types differ".  A side whose map is uniform on the block (a
 * run-form map, or a block the slot table knows) enters as a constant.
 */
#include <string.h>

#include "internal.h"

#define SIDE_BITS 8u                    /* tag bits per side */
#define TAG_MASK 0xFFu                  /* a side's type bits and its TOM2 bit */

static const struct mtrr__set no_cubes;

static void
set_put(struct mtrr__set *s, unsigned k)
{
	s->w[k >> 6] |= 1ull << (k & 63u);
}

static void
set_drop(struct mtrr__set *s, unsigned k)
{
	s->w[k >> 6] &= ~(1ull << (k & 63u));
}

/* Takes the lowest member out of `s` and returns it; -1u when `s` is empty. */
static unsigned
set_pop(struct mtrr__set *s)
{
	unsigned k;

	if (s->w[0] != 0) {
		k = mtrr__ctz(s->w[0]);
		s->w[0] &= s->w[0] - 1;
		return k;
	}
	if (s->w[1] != 0) {
		k = 64u + mtrr__ctz(s->w[1]);
		s->w[1] &= s->w[1] - 1;
		return k;
	}
	return -1u;
}

/* Every member k of *s, lowest first (a copy of the set is emptied). */
#define FOR_SET(k, s) for (struct mtrr__set it_ = *(s); ((k) = set_pop(&it_)) != -1u;)

void
mtrr__eng_init(struct mtrr__eng *e, unsigned budget)
{
	e->n = 0;
	e->side[0] = no_cubes;
	e->side[1] = no_cubes;
	e->comb[0] = e->comb[1] = NULL;
	e->budget = budget;
	e->witnesses = true;
	memset(e->memo, 0, sizeof(e->memo));
	mtrr__eng_mode(e, MTRR__ENG_TYPE0, MTRR__NOT_CONST, MTRR__NOT_CONST);
}

/* Adds the pairs of a scan-form map as side `side`; merges identical cubes. */
void
mtrr__eng_add(struct mtrr__eng *e, const struct mtrr_map *m, unsigned side)
{
	unsigned k, j;

	e->comb[side] = m->u.var.combine;
	for (k = 0; k < m->nvar; k++) {
		uint16_t tag = (uint16_t)(MTRR__BIT(m->u.var.type[k]) << (SIDE_BITS * side));
		j = e->n;
		if (side == 1)  /* one cube for a pair both maps have */
			for (j = 0; j < e->n; j++)
				if (e->mask[j] == m->u.var.mask[k] &&
				    e->base[j] == m->u.var.base[k])
					break;
		if (j == e->n) {
			e->mask[j] = m->u.var.mask[k];
			e->base[j] = m->u.var.base[k];
			e->tags[j] = 0;
			e->n++;
		}
		e->tags[j] = (uint16_t)(e->tags[j] | tag);
		set_put(&e->side[side], j);
	}
	mtrr__eng_mode(e, e->kind, e->konst[0], e->konst[1]);
}

void
mtrr__eng_mode(struct mtrr__eng *e, enum mtrr__eng_kind kind, uint8_t konst0, uint8_t konst1)
{
	e->kind = kind;
	e->konst[0] = konst0;
	e->konst[1] = konst1;
	e->extra = 0;
	e->rel = no_cubes;
	if (kind != MTRR__ENG_TYPE1 && konst0 == MTRR__NOT_CONST) {
		e->rel.w[0] |= e->side[0].w[0];
		e->rel.w[1] |= e->side[0].w[1];
	}
	if (kind != MTRR__ENG_TYPE0 && konst1 == MTRR__NOT_CONST) {
		e->rel.w[0] |= e->side[1].w[0];
		e->rel.w[1] |= e->side[1].w[1];
	}
}

void
mtrr__eng_extra(struct mtrr__eng *e, uint16_t extra)
{
	e->extra = extra;
}

/* The value of a point whose matching cubes' tags are `tags`. */
static uint8_t
value(const struct mtrr__eng *e, unsigned tags)
{
	uint8_t v0 = e->konst[0], v1 = e->konst[1];

	tags |= e->extra;
	if (v0 == MTRR__NOT_CONST && e->kind != MTRR__ENG_TYPE1)
		v0 = e->comb[0][tags & TAG_MASK];
	if (e->kind == MTRR__ENG_TYPE0)
		return v0;
	if (v1 == MTRR__NOT_CONST)
		v1 = e->comb[1][(tags >> SIDE_BITS) & TAG_MASK];
	if (e->kind == MTRR__ENG_TYPE1)
		return v1;
	return v0 != v1;
}

/* The tags of the cubes in `s` that match point p. */
static unsigned
tags_at(const struct mtrr__eng *e, const struct mtrr__set *s, uint64_t p)
{
	unsigned tags = 0, k;

	FOR_SET(k, s)
		if (((p ^ e->base[k]) & e->mask[k]) == 0)
			tags |= e->tags[k];
	return tags;
}

/*
 * Step 2: the value every union of `full` with some of the live tags gives,
 * or MIXED when they do not all agree (or there are too many to try).
 */
static uint8_t
combinations(const struct mtrr__eng *e, unsigned full, const uint16_t *distinct, unsigned nd)
{
	unsigned sub, i, tags;
	uint8_t v = value(e, full);

	if (nd > 6)
		return MTRR_TYPE_MIXED;
	for (sub = 1; sub < (1u << nd); sub++) {
		for (tags = full, i = 0; i < nd; i++)
			if (sub & (1u << i))
				tags |= distinct[i];
		if (value(e, tags) != v)
			return MTRR_TYPE_MIXED;
	}
	return v;
}

static unsigned
memo_slot(const struct mtrr__eng *e, unsigned bits, const struct mtrr__set *alive, uint8_t v)
{
	uint64_t h = alive->w[0] * 0x9E3779B97F4A7C15ull ^ alive->w[1] * 0xC2B2AE3D27D4EB4Full;

	h ^= (uint64_t)bits << 56 ^ (uint64_t)e->kind << 48 ^ (uint64_t)e->konst[0] << 40 ^
	     (uint64_t)e->konst[1] << 32 ^ (uint64_t)v << 24 ^ (uint64_t)e->extra << 8;
	h *= 0xD6E8FEB86659FD93ull;
	return (unsigned)(h >> 40) & (MTRR__MEMO - 1u);
}

static bool
memo_is(const struct mtrr__eng *e, const struct mtrr__memo *me, unsigned bits,
	const struct mtrr__set *alive, uint8_t v)
{
	return me->used && me->bits == bits && me->v == v && me->kind == e->kind &&
	       me->konst[0] == e->konst[0] && me->konst[1] == e->konst[1] &&
	       me->extra == e->extra &&
	       me->alive.w[0] == alive->w[0] && me->alive.w[1] == alive->w[1];
}

static int
remember(struct mtrr__eng *e, unsigned slot, unsigned bits, const struct mtrr__set *alive,
	 uint8_t v, int answer)
{
	struct mtrr__memo *me = &e->memo[slot];

	me->used = 1;
	me->bits = (uint8_t)bits;
	me->v = v;
	me->kind = (uint8_t)e->kind;
	me->konst[0] = e->konst[0];
	me->konst[1] = e->konst[1];
	me->extra = e->extra;
	me->alive = *alive;
	me->answer = (uint8_t)answer;
	return answer;
}

/* Fixed point for cube volumes: a block is 2^VOL, a cube testing w bits 2^(VOL-w). */
#define VOL 52

/* Step 3: a few live cubes' own points (the rest of the block's bits 0, then 1). */
#define WITNESSES 2

/*
 * Is every address of the aligned block [x, x + 2^bits) of value v?  1 yes,
 * 0 no, -1 undecided (budget).  `alive` are the cubes not dead there.
 */
static int
all_are(struct mtrr__eng *e, uint64_t x, unsigned bits, const struct mtrr__set *alive, uint8_t v)
{
	uint64_t low = (1ull << bits) - 1, tested = 0, volume = 0, bit;
	struct mtrr__set live = no_cubes, half[2];
	uint16_t distinct[7];
	unsigned full = 0, nd = 0, k, i, slot, tried = 0;
	unsigned cost = 1;      /* what a split here costs: 1 + its live pairs */
	uint8_t u;
	int r[2];

	FOR_SET(k, alive) {
		uint64_t in = e->mask[k] & low;
		if (in == 0) {
			full |= e->tags[k];
			continue;
		}
		cost++;
		set_put(&live, k);
		tested |= in;
		volume += 1ull << (VOL - mtrr__popcount(in));
		for (i = 0; i < nd && distinct[i] != e->tags[k]; i++)
			;
		if (i == nd && nd < 7)
			distinct[nd++] = e->tags[k];
	}
	u = value(e, full);
	if (tested == 0)
		return u == v;
	/* The live cubes cannot cover the block: somewhere only `full` matches. */
	if (u != v && volume < (1ull << VOL))
		return 0;
	/*
	 * No live cube tests a bit from the highest tested one up to the block
	 * size, so the block repeats a smaller one: key the memo by that size,
	 * and a walk up through the levels asks each question once.
	 */
	bits = mtrr__top_bit(tested) + 1;
	slot = memo_slot(e, bits, alive, v);
	if (memo_is(e, &e->memo[slot], bits, alive, v))
		return e->memo[slot].answer;
	u = combinations(e, full, distinct, nd);
	if (u != MTRR_TYPE_MIXED)
		return remember(e, slot, bits, alive, v, u == v);
	if (e->budget < cost)
		return -1;
	if (!e->witnesses)
		goto split;
	if (value(e, full | tags_at(e, &live, x)) != v)
		return remember(e, slot, bits, alive, v, 0);
	FOR_SET(k, &live) {
		uint64_t own = x | (e->base[k] & low);
		if (value(e, full | tags_at(e, &live, own)) != v ||
		    value(e, full | tags_at(e, &live, own | (low & ~e->mask[k]))) != v)
			return remember(e, slot, bits, alive, v, 0);
		if (++tried == WITNESSES)
			break;
	}
split:
	e->budget -= cost;

	/* Step 4: split on the highest tested bit; both halves are blocks. */
	bit = 1ull << mtrr__top_bit(tested);
	half[0] = half[1] = *alive;
	FOR_SET(k, &live)
		if (e->mask[k] & bit)
			set_drop(&half[(e->base[k] & bit) ? 0 : 1], k);
	for (i = 0; i < 2; i++) {
		r[i] = all_are(e, i ? x | bit : x, mtrr__ctz(bit), &half[i], v);
		if (r[i] == 0)
			return remember(e, slot, bits, alive, v, 0);
	}
	if (r[0] < 0 || r[1] < 0)
		return -1;
	return remember(e, slot, bits, alive, v, 1);
}

/*
 * The cubes of e->rel alive in [x, x + 2^bits): a word at a time, lowest
 * member cleared each step (the builds call this for every entry they
 * consider, so FOR_SET's generality costs here).
 */
static void
alive_at(const struct mtrr__eng *e, uint64_t x, unsigned bits, struct mtrr__set *alive)
{
	uint64_t high = ~((1ull << bits) - 1);
	unsigned w;

	for (w = 0; w < 2; w++) {
		uint64_t rest = e->rel.w[w], out = 0;
		while (rest != 0) {
			unsigned k = w * 64u + mtrr__ctz(rest);
			rest &= rest - 1;
			if (((x ^ e->base[k]) & e->mask[k] & high) == 0)
				out |= 1ull << (k & 63u);
		}
		alive->w[w] = out;
	}
}

void
mtrr__eng_alive(const struct mtrr__eng *e, uint64_t x, unsigned bits, struct mtrr__set *alive)
{
	alive_at(e, x & ~((1ull << bits) - 1), bits, alive);
}

uint8_t
mtrr__eng_block(struct mtrr__eng *e, uint64_t x, unsigned bits)
{
	struct mtrr__set alive;
	uint8_t v;
	int r;

	x &= ~((1ull << bits) - 1);
	alive_at(e, x, bits, &alive);
	v = value(e, tags_at(e, &alive, x));
	r = all_are(e, x, bits, &alive, v);
	return r > 0 ? v : r == 0 ? MTRR_TYPE_MIXED : MTRR__UNKNOWN;
}

bool
mtrr__eng_tests(const struct mtrr__eng *e, uint64_t x, unsigned bits, unsigned b)
{
	uint64_t high = ~((1ull << bits) - 1);
	unsigned w;

	for (w = 0; w < 2; w++) {
		uint64_t rest = e->rel.w[w];
		while (rest != 0) {
			unsigned k = w * 64u + mtrr__ctz(rest);
			rest &= rest - 1;
			if (((x ^ e->base[k]) & e->mask[k] & high) == 0 &&
			    (e->mask[k] & (1ull << b)))
				return true;
		}
	}
	return false;
}
