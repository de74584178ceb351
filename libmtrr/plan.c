/*
 * plan.c — the inverse problem: DEF_TYPE, the fixed ranges and the fewest
 * variable pairs for a wanted memory map (mtrr_plan, documented in mtrr.h).
 *
 * The model.  A pair with a contiguous mask types one aligned power-of-two
 * block, so the blocks of a plan are nodes of the binary trie of the address
 * space: two of them are nested or disjoint.  The type of an address depends
 * only on the set of blocks that hold it, and going down the trie that set
 * only grows.  With the SDM's defined combinations (one type; UC with
 * anything; WT with WB) what the blocks above a node leave for it is one of
 * ten states:
 *
 *   0..4  no block yet: the address gets the default type (UC, WC, WT, WP,
 *         WB for 0..4); one pair of any other type changes it to that type;
 *   5..9  blocks of one effective type (UC, WC, WT, WP, WB) hold it; a pair
 *         can only change that by UC punching a hole (in anything but UC)
 *         or by WT over WB, since every other addition makes the overlap
 *         undefined.  {WT} and {WT, WB} share state WT: the same pairs change
 *         them to the same types.
 *
 * f(node, state), the fewest pairs inside the node that give each cared-for
 * address in it its wanted type, is then a small dynamic programme:
 *
 *   - no cared-for address in the node: 0;
 *   - one wanted type W in the node: 0 when the state already gives W, else 1
 *     (one pair over the node) when a pair can turn the state into W, else
 *     impossible: every state a chain of pairs reaches is reachable in one
 *     step, so more pairs inside the node cannot help;
 *   - otherwise the better of "no pair here": f(left, s) + f(right, s), and
 *     "a pair of type Y over the node": 1 + f(left, s') + f(right, s') for
 *     each Y that changes s (to s').  One pair per node is enough for the
 *     same reason.
 *
 * A node whose cared-for addresses all lie in one half costs what that half
 * costs (a pair over the node and one over the half type the same cared-for
 * addresses), so each node is first shrunk to the smallest aligned block
 * that holds its cared-for span.  After that a node that is not uniform
 * contains a change of wanted type, and at most phys_bits - 11 nodes hold a
 * given change: the programme visits O(n (phys_bits - 11)) nodes, each with
 * ten states.  All five candidate default types are costed in the same pass
 * (states 0..4).
 *
 * Registers.  The pass returns costs, not choices; the choices are read back
 * from the top (plan_emit): at each node the option that achieves its cost,
 * then its children under the state that option leaves, which needs the
 * children's costs again.  Most nodes searched lie on chains (one child a
 * leaf, as below a boundary between two wanted types); a chain is costed
 * again bottom up in one walk into an array and then walked down.  Where a
 * chain ends in a node with two children to search (a branch), their costs
 * come from a memo the first pass filled with exactly such children.  A plan
 * of k pairs has at most 2k changes of wanted type (each needs a boundary of
 * a pair between its two entries), so at most 2k - 1 branches: whenever
 * there is a read-back (k <= 40) the memo holds every child it asks for, and
 * 8-bit saturated costs suffice, the decisions only compare costs up to 40.
 * The read-back so costs about one more pass.
 *
 * Why undefined overlaps are never needed, and the brute-force check that
 * the count is minimal: see mtrr.h ("Planning") and tests/test_plan.c.
 */
#include <string.h>

#include "internal.h"

#define PLAN_NT 5               /* types UC, WC, WT, WP, WB as indices 0..4 */
#define PLAN_NS (2 * PLAN_NT)   /* states, see above */
#define PLAN_INF 0x3FFFFFFFu    /* impossible; sums of two stay below 2^31 */
#define PLAN_MEMO 160           /* children of branch nodes kept, see plan_memo_put */
#define PLAN_MIB 0x100000ull

enum { T_UC, T_WC, T_WT, T_WP, T_WB };

static const uint8_t plan_type[PLAN_NT] = {
	MTRR_TYPE_UC, MTRR_TYPE_WC, MTRR_TYPE_WT, MTRR_TYPE_WP, MTRR_TYPE_WB
};

/*
 * The state after a pair of type index y over a node in state s, or -1 when
 * the pair changes nothing (same type, anything over UC, WB over WT) or makes
 * an overlap the SDM leaves undefined.
 */
static const signed char plan_step[PLAN_NS][PLAN_NT] = {
	/* default UC..WB: any other type takes over */
	{ -1, 5 + T_WC, 5 + T_WT, 5 + T_WP, 5 + T_WB },
	{ 5 + T_UC, -1, 5 + T_WT, 5 + T_WP, 5 + T_WB },
	{ 5 + T_UC, 5 + T_WC, -1, 5 + T_WP, 5 + T_WB },
	{ 5 + T_UC, 5 + T_WC, 5 + T_WT, -1, 5 + T_WB },
	{ 5 + T_UC, 5 + T_WC, 5 + T_WT, 5 + T_WP, -1 },
	/* covered: UC punches holes in anything, WT in WB */
	{ -1, -1, -1, -1, -1 },                 /* UC */
	{ 5 + T_UC, -1, -1, -1, -1 },           /* WC */
	{ 5 + T_UC, -1, -1, -1, -1 },           /* WT (and WT over WB) */
	{ 5 + T_UC, -1, -1, -1, -1 },           /* WP */
	{ 5 + T_UC, -1, 5 + T_WT, -1, -1 },     /* WB */
};

/* Type index of an MTRR type, -1 for anything else. */
static int
plan_index(unsigned type)
{
	switch (type) {
	case MTRR_TYPE_UC: return T_UC;
	case MTRR_TYPE_WC: return T_WC;
	case MTRR_TYPE_WT: return T_WT;
	case MTRR_TYPE_WP: return T_WP;
	case MTRR_TYPE_WB: return T_WB;
	default: return -1;
	}
}

/* The type index an address in state s gets if no further pair holds it. */
static unsigned
plan_effective(unsigned s)
{
	return s < PLAN_NT ? s : s - PLAN_NT;
}

/* An aligned block [lo, lo + 2^k) and the wanted entries [i, j) meeting it. */
struct plan_node {
	uint64_t lo;
	unsigned k;
	size_t i, j;
};

struct plan_memo {
	uint8_t key[6];         /* (base >> 12) << 6 | level, little-endian */
	uint8_t cost[PLAN_NS];  /* saturated at 255 */
};

#define PLAN_CHAIN 42           /* levels 12 .. 52 */

struct plan {
	const struct mtrr_range *w;
	uint64_t floor;         /* cared-for addresses start here (1 MiB with fixed) */
	unsigned top;           /* phys_bits: the level of the whole space */
	bool whole;             /* a pair may cover the whole space */
	bool wc;                /* WC pairs allowed */
	struct mtrr_state *s;   /* read-back: where the pairs go */
	unsigned used;          /* pairs written */
	unsigned memo_used;
	struct plan_memo memo[PLAN_MEMO];
	/* read-back, one chain at a time (plan_emit) */
	uint8_t chain[PLAN_CHAIN][PLAN_NS];     /* costs of each node down the chain */
	signed char side[PLAN_CHAIN];           /* its other child: -1 empty, else type */
	uint8_t level[PLAN_CHAIN];              /* its level */
	uint64_t base[PLAN_CHAIN];              /* its base */
	uint64_t leaf_base[PLAN_CHAIN];         /* its other child's base */
	uint8_t leaf_level[PLAN_CHAIN];         /* and level */
	uint32_t bottom[2][PLAN_NS];            /* costs of the last node's children */
	struct plan_node todo[PLAN_CHAIN + 1];  /* right children waiting */
	uint8_t todo_state[PLAN_CHAIN + 1];
};

enum plan_shape { PLAN_EMPTY, PLAN_UNIFORM, PLAN_MIXED };

/*
 * What the node holds: no cared-for address, one wanted type (in *ti), or
 * several.  Unless empty, the node shrinks to the smallest aligned block
 * holding its cared-for span and its entries to those that span touches.
 */
static enum plan_shape
plan_shape(const struct plan *p, struct plan_node *nd, unsigned *ti)
{
	const struct mtrr_range *w = p->w;
	uint64_t hi = nd->lo + (1ull << nd->k), a = 0, b = 0, x;
	size_t e, first = nd->j, last = nd->j;
	bool mixed = false;
	uint8_t t0 = 0;

	for (e = nd->i; e < nd->j; e++) {
		uint64_t s = w[e].start, t = w[e].end < hi ? w[e].end : hi;

		if (s < nd->lo)
			s = nd->lo;
		if (s < p->floor)
			s = p->floor;
		if (w[e].type == MTRR_TYPE_ANY || s >= t)
			continue;
		if (first == nd->j) {
			first = e;
			a = s;
			t0 = w[e].type;
		} else if (w[e].type != t0) {
			mixed = true;
		}
		last = e;
		b = t;
	}
	if (first == nd->j)
		return PLAN_EMPTY;
	/* a and b are 4 KiB aligned, so a ^ (b - 1) has bits 11:0 set. */
	x = a ^ (b - 1);
	nd->k = mtrr__top_bit(x) + 1;
	nd->lo = a & ~((1ull << nd->k) - 1);
	nd->i = first;
	nd->j = last + 1;
	*ti = (unsigned)plan_index(t0);
	return mixed ? PLAN_MIXED : PLAN_UNIFORM;
}

/* May a pair cover a block of level k? */
static bool
plan_allowed(const struct plan *p, unsigned k)
{
	return k < p->top || p->whole;
}

/*
 * Costs of a node that is empty (row 0) or wants type index t alone (row
 * t + 1): 0 where the state already gives t, 1 where one pair over the node
 * turns the state into t (plan_step[s][t] >= 0), else impossible.
 */
#define I_ PLAN_INF
static const uint32_t plan_leaf_table[PLAN_NT + 1][PLAN_NS] = {
	/*  default: UC WC WT WP WB    covered: UC WC WT WP WB */
	{ 0, 0, 0, 0, 0,   0,  0,  0,  0,  0 },     /* empty */
	{ 0, 1, 1, 1, 1,   0,  1,  1,  1,  1 },     /* UC */
	{ 1, 0, 1, 1, 1,   I_, 0,  I_, I_, I_ },    /* WC */
	{ 1, 1, 0, 1, 1,   I_, I_, 0,  I_, 1 },     /* WT */
	{ 1, 1, 1, 0, 1,   I_, I_, I_, 0,  I_ },    /* WP */
	{ 1, 1, 1, 1, 0,   I_, I_, I_, I_, 0 },     /* WB */
};
#undef I_

static void
plan_leaf_costs(int side, uint32_t v[PLAN_NS])
{
	memcpy(v, plan_leaf_table[side + 1], sizeof(plan_leaf_table[0]));
}

/*
 * A node that needs no search: empty (*side = -1), or one wanted type a pair
 * may cover (*side = its index); false for a node to search.  The node is
 * shrunk either way.
 */
static bool
plan_leaf(const struct plan *p, struct plan_node *nd, int *side)
{
	unsigned ti = 0;
	enum plan_shape shape = plan_shape(p, nd, &ti);

	*side = shape == PLAN_EMPTY ? -1 : (int)ti;
	return shape == PLAN_EMPTY || (shape == PLAN_UNIFORM && plan_allowed(p, nd->k));
}

static uint32_t
plan_add(uint32_t a, uint32_t b)
{
	uint32_t c = a + b;     /* both <= PLAN_INF: no wrap */

	return c < PLAN_INF ? c : PLAN_INF;
}

/* Is a pair of type index y usable with these caps? */
static bool
plan_usable(const struct plan *p, unsigned y)
{
	return y != T_WC || p->wc;
}

/*
 * The best option for a node in state s from its children's costs: no pair
 * (the state stays s) or one pair that moves it to the returned state; ties
 * go to no pair, then to the lower type index.  *cost gets the option's cost.
 */
static unsigned
plan_choose(const struct plan *p, const uint32_t *l, const uint32_t *r, bool pair_ok,
	    unsigned s, uint32_t *cost)
{
	uint32_t best = plan_add(l[s], r[s]);
	unsigned y, next = s;

	for (y = 0; pair_ok && y < PLAN_NT; y++) {
		int t = plan_step[s][y];

		if (t >= 0 && plan_usable(p, y)) {
			uint32_t c = plan_add(1, plan_add(l[t], r[t]));

			if (c < best) {
				best = c;
				next = (unsigned)t;
			}
		}
	}
	*cost = best;
	return next;
}

static uint32_t
plan_min(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/*
 * A node's costs from its children's: the best option in every state, the
 * values plan_choose finds, with plan_step's transitions written out (this
 * is the inner loop of the search).  Costs stay <= PLAN_INF, so sums fit.
 */
static void
plan_combine(const struct plan *p, const uint32_t *l, const uint32_t *r, bool pair_ok,
	     uint32_t out[PLAN_NS])
{
	uint32_t sum[PLAN_NS], best = PLAN_INF, second = PLAN_INF;
	unsigned s, y, arg = PLAN_NT;

	for (s = 0; s < PLAN_NS; s++)
		sum[s] = l[s] + r[s];
	if (!pair_ok) {
		for (s = 0; s < PLAN_NS; s++)
			out[s] = plan_min(sum[s], PLAN_INF);
		return;
	}
	/* Default states: a pair of any other usable type takes over. */
	for (y = 0; y < PLAN_NT; y++) {
		uint32_t c = sum[PLAN_NT + y];

		if (!plan_usable(p, y))
			continue;
		if (c < best) {
			second = best;
			best = c;
			arg = y;
		} else if (c < second) {
			second = c;
		}
	}
	for (s = 0; s < PLAN_NT; s++)
		out[s] = plan_min(sum[s], 1 + (s == arg ? second : best));
	/* Covered states: UC punches into anything, WT into WB. */
	out[PLAN_NT + T_UC] = sum[PLAN_NT + T_UC];
	for (y = T_WC; y < PLAN_NT; y++)
		out[PLAN_NT + y] = plan_min(sum[PLAN_NT + y], 1 + sum[PLAN_NT + T_UC]);
	out[PLAN_NT + T_WB] = plan_min(out[PLAN_NT + T_WB], 1 + sum[PLAN_NT + T_WT]);
	for (s = 0; s < PLAN_NS; s++)
		out[s] = plan_min(out[s], PLAN_INF);
}

static uint64_t
plan_memo_key(const struct plan_node *nd)
{
	return (nd->lo >> 12) << 6 | nd->k;
}

static uint64_t
plan_memo_key_at(const struct plan_memo *m)
{
	uint64_t k = 0;
	unsigned s;

	for (s = 0; s < 6; s++)
		k |= (uint64_t)m->key[s] << (8 * s);
	return k;
}

/*
 * Keeps the costs of a child of a branch node.  A plan of k pairs has at
 * most 2k changes of wanted type, hence at most 2k - 1 branches and 4k - 2
 * such children: a memo of PLAN_MEMO >= 4 * 40 - 2 entries holds all of
 * them whenever there is a read-back, and once it is full the plan cannot
 * fit and the rest need not be kept.
 */
static void
plan_memo_put(struct plan *p, uint64_t key, const uint32_t v[PLAN_NS])
{
	struct plan_memo *m;
	unsigned s;

	if (p->memo_used == PLAN_MEMO)
		return;
	m = &p->memo[p->memo_used++];
	for (s = 0; s < 6; s++)
		m->key[s] = (uint8_t)(key >> (8 * s));
	for (s = 0; s < PLAN_NS; s++)
		m->cost[s] = (uint8_t)(v[s] < 255 ? v[s] : 255);
}

static bool
plan_memo_get(const struct plan *p, const struct plan_node *nd, uint32_t v[PLAN_NS])
{
	uint64_t key = plan_memo_key(nd);
	unsigned i, s;

	for (i = 0; i < p->memo_used; i++) {
		if (plan_memo_key_at(&p->memo[i]) != key)
			continue;
		for (s = 0; s < PLAN_NS; s++)
			v[s] = p->memo[i].cost[s];
		return true;
	}
	return false;
}

/* The two halves of a node to search (already shrunk), with their entries. */
static void
plan_split(const struct plan *p, const struct plan_node *nd, struct plan_node *l,
	   struct plan_node *r)
{
	uint64_t mid = nd->lo + (1ull << (nd->k - 1));
	size_t e = nd->i;

	while (e < nd->j && p->w[e].start < mid)
		e++;
	l->lo = nd->lo;
	r->lo = mid;
	l->k = r->k = nd->k - 1;
	l->i = nd->i;
	l->j = e;
	/* Entry e - 1 may straddle mid: then both halves have it. */
	r->i = e > nd->i && p->w[e - 1].end > mid ? e - 1 : e;
	r->j = nd->j;
}

/*
 * f(node, s) for every state s, into v; the node is shrunk.  Returns true
 * for a node that was searched.  The children of a node whose children are
 * both searched (the tops of the chains below a branch) go into the memo:
 * they are what the read-back asks for again.
 */
static bool
plan_cost(struct plan *p, struct plan_node *nd, uint32_t v[PLAN_NS])
{
	struct plan_node c, r;  /* c: the left child, then the right one */
	uint32_t rv[PLAN_NS];
	uint64_t lkey;
	bool lm, rm;
	int side;

	if (plan_leaf(p, nd, &side)) {
		plan_leaf_costs(side, v);
		return false;
	}
	/* Mixed, or uniform over the whole space without a whole-space pair. */
	plan_split(p, nd, &c, &r);
	lm = plan_cost(p, &c, v);
	lkey = plan_memo_key(&c);
	c = r;
	rm = plan_cost(p, &c, rv);
	if (lm && rm) {
		plan_memo_put(p, lkey, v);
		plan_memo_put(p, plan_memo_key(&c), rv);
	}
	plan_combine(p, v, rv, plan_allowed(p, nd->k), v);
	return true;
}

/* One pair [lo, lo + 2^k) of type index ti. */
static void
plan_pair(struct plan *p, uint64_t lo, unsigned k, unsigned ti)
{
	uint64_t mask = MTRR_PHYS_ADDR_MASK(p->top) & ~((1ull << k) - 1);

	if (p->used < MTRR_VAR_MAX) {
		p->s->var[p->used].base = lo | plan_type[ti];
		p->s->var[p->used].mask = mask | MTRR_PHYSMASK_V;
	}
	p->used++;
}

/* The pair, if any, a leaf node (empty: side -1) needs in state s. */
static void
plan_emit_leaf(struct plan *p, uint64_t lo, unsigned k, int side, unsigned s)
{
	if (side >= 0 && plan_effective(s) != (unsigned)side)
		plan_pair(p, lo, k, (unsigned)side);
}

/* Costs saturated to 8 bits (p->chain), and back. */
static void
plan_pack(uint8_t out[PLAN_NS], const uint32_t v[PLAN_NS])
{
	unsigned s;

	for (s = 0; s < PLAN_NS; s++)
		out[s] = (uint8_t)(v[s] < 255 ? v[s] : 255);
}

static void
plan_unpack(uint32_t out[PLAN_NS], const uint8_t v[PLAN_NS])
{
	unsigned s;

	for (s = 0; s < PLAN_NS; s++)
		out[s] = v[s];
}

/*
 * Writes the pairs of an optimal plan of the node in state s: the choices
 * plan_cost costed, outer pairs before inner ones, in address order.
 *
 * Most nodes searched have one child that needs no search (a leaf) and one
 * that does: a chain, as below a boundary between two wanted types.  A chain
 * is costed bottom up once into p->chain and then walked down, so its nodes
 * are not recomputed level after level.  Where it ends, two leaves get their
 * pairs, or a branch takes its children's costs from the memo and goes on
 * with the left one, the right one waiting in p->todo (one per level at
 * most: no recursion).
 */
static void
plan_emit(struct plan *p, struct plan_node nd, unsigned s)
{
	struct plan_node cur, l, r;
	uint32_t lv[PLAN_NS], below[PLAN_NS], here[PLAN_NS], cost;
	unsigned m, i, next, todo = 0;
	int ls, rs;
	bool lleaf, rleaf;

	for (;;) {
		if (plan_leaf(p, &nd, &ls)) {
			plan_emit_leaf(p, nd.lo, nd.k, ls, s);
			if (todo == 0)
				return;
			todo--;
			nd = p->todo[todo];
			s = p->todo_state[todo];
			continue;
		}
		/* Down: the chain's shape. */
		m = 0;
		cur = nd;
		for (;;) {
			plan_split(p, &cur, &l, &r);
			lleaf = plan_leaf(p, &l, &ls);
			rleaf = plan_leaf(p, &r, &rs);
			p->level[m] = (uint8_t)cur.k;
			p->base[m] = cur.lo;
			if (lleaf == rleaf)
				break;
			p->side[m] = (signed char)(lleaf ? ls : rs);
			p->leaf_base[m] = lleaf ? l.lo : r.lo;
			p->leaf_level[m] = (uint8_t)(lleaf ? l.k : r.k);
			cur = lleaf ? r : l;
			m++;
		}
		/* The end: two leaves, or a branch whose children are in the memo. */
		if (lleaf) {
			plan_leaf_costs(ls, p->bottom[0]);
			plan_leaf_costs(rs, p->bottom[1]);
		} else {
			/* Their subtrees again only if it lacked them (it can't). */
			if (!plan_memo_get(p, &l, p->bottom[0]))
				(void)plan_cost(p, &l, p->bottom[0]);
			if (!plan_memo_get(p, &r, p->bottom[1]))
				(void)plan_cost(p, &r, p->bottom[1]);
		}
		/* Up: the costs of every node of the chain. */
		plan_combine(p, p->bottom[0], p->bottom[1], plan_allowed(p, p->level[m]), below);
		plan_pack(p->chain[m], below);
		for (i = m; i-- > 0;) {
			plan_leaf_costs(p->side[i], lv);
			plan_combine(p, lv, below, plan_allowed(p, p->level[i]), here);
			plan_pack(p->chain[i], here);
			memcpy(below, here, sizeof(here));
		}
		/* Down again: choose, write, move on. */
		for (i = 0; i < m; i++) {
			plan_leaf_costs(p->side[i], lv);
			plan_unpack(below, p->chain[i + 1]);
			next = plan_choose(p, lv, below, plan_allowed(p, p->level[i]), s, &cost);
			if (next != s)          /* a step lands in the pair's own type */
				plan_pair(p, p->base[i], p->level[i], plan_effective(next));
			s = next;
			plan_emit_leaf(p, p->leaf_base[i], p->leaf_level[i], p->side[i], s);
		}
		next = plan_choose(p, p->bottom[0], p->bottom[1], plan_allowed(p, cur.k), s,
				   &cost);
		if (next != s)
			plan_pair(p, cur.lo, cur.k, plan_effective(next));
		/* Both children go on in state next: the left one now. */
		p->todo[todo] = r;
		p->todo_state[todo] = (uint8_t)next;
		todo++;
		nd = l;
		s = next;
	}
}

/* Byte b of fixed MSR m (struct mtrr_state order) types [base, base + unit). */
static uint64_t
plan_fixed_unit(unsigned m, unsigned b, uint64_t *unit)
{
	if (m == 0) {
		*unit = 0x10000;
		return (uint64_t)b * 0x10000;
	}
	if (m <= 2) {
		*unit = 0x4000;
		return 0x80000 + (uint64_t)(m - 1) * 0x20000 + (uint64_t)b * 0x4000;
	}
	*unit = 0x1000;
	return 0xC0000 + (uint64_t)(m - 3) * 0x8000 + (uint64_t)b * 0x1000;
}

/*
 * The fixed-range images for the wanted map below 1 MiB: each byte the one
 * type wanted in its unit, UC where nothing is wanted.  MTRR_E_FIXED_CONFLICT
 * when two types are wanted inside one unit.
 */
static mtrr_status
plan_fixed(const struct mtrr_range *w, size_t n, uint64_t fixed[MTRR_FIXED_MSRS])
{
	size_t e = 0, f;
	unsigned m, b;

	for (m = 0; m < MTRR_FIXED_MSRS; m++) {
		uint64_t img = 0;

		for (b = 0; b < 8; b++) {
			uint64_t unit, lo = plan_fixed_unit(m, b, &unit);
			unsigned t = MTRR_TYPE_ANY;

			while (e < n && w[e].end <= lo)
				e++;
			for (f = e; f < n && w[f].start < lo + unit; f++) {
				if (w[f].type == MTRR_TYPE_ANY)
					continue;
				if (t != MTRR_TYPE_ANY && t != w[f].type)
					return MTRR_E_FIXED_CONFLICT;
				t = w[f].type;
			}
			if (t == MTRR_TYPE_ANY)
				t = MTRR_TYPE_UC;
			img |= (uint64_t)t << (8 * b);
		}
		fixed[m] = img;
	}
	return MTRR_OK;
}

/* A type the caller may ask for: MTRR_OK or the status naming the fault. */
static mtrr_status
plan_check_type(const struct mtrr_caps *caps, unsigned type)
{
	if (plan_index(type) < 0)
		return MTRR_E_INVALID_TYPE;
	if (type == MTRR_TYPE_WC && !caps->wc)
		return MTRR_E_WC_UNSUPPORTED;
	return MTRR_OK;
}

/* Every check on the arguments, in the order mtrr.h lists them. */
static mtrr_status
plan_check(const struct mtrr_caps *caps, const struct mtrr_range *want, size_t n,
	   const struct mtrr_plan_opts *o)
{
	uint64_t limit = 1ull << caps->phys_bits, prev = 0;
	mtrr_status st;
	size_t e;

	if (o->default_type != MTRR_PLAN_DEFAULT_FREE) {
		if (o->default_type < 0 || o->default_type > 0xFF)
			return MTRR_E_INVALID_TYPE;
		st = plan_check_type(caps, (unsigned)o->default_type);
		if (st != MTRR_OK)
			return st;
	}
	if (o->reserve_pairs > caps->vcnt)
		return MTRR_E_INVALID_ARG;
	if (o->use_fixed && !caps->fixed)
		return MTRR_E_ABSENT;
	for (e = 0; e < n; e++) {
		const struct mtrr_range *r = &want[e];

		if (r->start >= r->end || r->end > limit || ((r->start | r->end) & 0xFFFu) ||
		    r->start < prev)
			return MTRR_E_INVALID_ARG;
		if (r->type != MTRR_TYPE_ANY) {
			st = plan_check_type(caps, r->type);
			if (st != MTRR_OK)
				return st;
		}
		prev = r->end;
	}
	return MTRR_OK;
}

mtrr_status
mtrr_plan(const struct mtrr_caps *caps, const struct mtrr_range *want, size_t n,
	  const struct mtrr_plan_opts *opts, struct mtrr_state *out, unsigned *pairs_needed)
{
	/* Tie order among default types: UC first, the conservative default. */
	static const unsigned order[PLAN_NT] = { T_UC, T_WB, T_WT, T_WP, T_WC };
	struct plan p;
	struct plan_node root;
	uint64_t fixed[MTRR_FIXED_MSRS];
	uint32_t v[PLAN_NS], need = PLAN_INF;
	unsigned d = T_UC, x;
	mtrr_status st;

	if (caps == NULL || opts == NULL || out == NULL || (want == NULL && n > 0) ||
	    !mtrr__caps_valid(caps))
		return MTRR_E_INVALID_ARG;
	st = plan_check(caps, want, n, opts);
	if (st != MTRR_OK)
		return st;
	if (opts->use_fixed) {
		st = plan_fixed(want, n, fixed);
		if (st != MTRR_OK)
			return st;
	}

	memset(&p, 0, sizeof(p));
	p.w = want;
	p.floor = opts->use_fixed ? PLAN_MIB : 0;
	p.top = caps->phys_bits;
	p.whole = opts->allow_whole_space;
	p.wc = caps->wc;
	root.lo = 0;
	root.k = caps->phys_bits;
	root.i = 0;
	root.j = n;
	(void)plan_cost(&p, &root, v);

	for (x = 0; x < PLAN_NT; x++) {
		unsigned c = order[x];

		if (opts->default_type != MTRR_PLAN_DEFAULT_FREE &&
		    plan_type[c] != (unsigned)opts->default_type)
			continue;
		if (!plan_usable(&p, c))
			continue;
		if (v[c] < need) {
			need = v[c];
			d = c;
		}
	}
	if (need > caps->vcnt - opts->reserve_pairs) {
		if (pairs_needed != NULL)
			*pairs_needed = need;
		return MTRR_E_TOO_FEW_PAIRS;
	}

	/* It fits: from here on `out` is written (it must not overlap `want`). */
	(void)mtrr_state_init(out, caps);       /* caps checked above */
	if (opts->use_fixed)
		memcpy(out->fixed, fixed, sizeof(fixed));
	p.s = out;
	plan_emit(&p, root, d);                 /* exactly `need` pairs */
	out->def_type = plan_type[d] | MTRR_DEF_E | (opts->use_fixed ? MTRR_DEF_FE : 0);
	if (pairs_needed != NULL)
		*pairs_needed = need;
	return MTRR_OK;
}
