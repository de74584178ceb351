/*
 * plan_fuzzer.c — mtrr_plan: the status the header's check order predicts,
 * nothing written on an error, and on success a plan that resolves back.
 *
 * Input:
 *   vcnt      byte % 41
 *   flags     bit 0 caps.fixed, bit 1 caps.wc, bit 2 use_fixed, bit 3
 *             allow_whole_space, bits 7:4 the default: 1..5 UC, WC, WT, WP,
 *             WB; 6 the non-type 2; 7 MTRR_TYPE_ANY (not a default); else free
 *   phys      MAXPHYADDR 32 + byte % 21
 *   reserve   byte % 44 (above vcnt: refused)
 *   damage    0: none; else entry (byte >> 3) % n gets fault byte & 7: 1 an
 *             unaligned start, 2 empty, 3 overlapping its predecessor, 4 past
 *             2^phys, 5 the non-type 3, 6 WC, 7 swapped with its predecessor
 *   then up to 64 entries of 4 bytes: type (% 8: UC, WC, WT, WP, WB, ANY,
 *             WB, UC), unit 2^(12 + byte % (phys - 11)), gap and length - 1
 *             in units; an entry starts at the previous end rounded up to its
 *             unit plus the gap, and is cut at 2^phys (none past it)
 *
 * Properties:
 *   - the status is the one the documented check order gives (worked out
 *     here independently, fixed-range conflicts unit by unit), and on any
 *     error `out` is untouched, `pairs_needed` too unless MTRR_E_TOO_FEW_PAIRS;
 *   - MTRR_E_TOO_FEW_PAIRS: the count exceeds the budget, and with 40 pairs
 *     and no reservation the same count plans (when it fits);
 *   - MTRR_OK: a state mtrr_state_check accepts; DEF_TYPE with E, FE exactly
 *     with use_fixed, the fixed default kept; pairs 0 .. k-1 valid with
 *     contiguous masks (the whole space only when allowed), the rest zero,
 *     k within the budget; no undefined overlap over any pair; and
 *     mtrr_map_lookup_range of every cared-for entry is its type;
 *   - caring less never costs more (one entry made ANY), and fixing the
 *     default to the one a free plan chose costs the same.
 */
#include <string.h>

#include <mtrr.h>

#include "fuzz_helpers.h"

#define MAXW 64

static const uint8_t sel_type[8] = {
	MTRR_TYPE_UC, MTRR_TYPE_WC, MTRR_TYPE_WT, MTRR_TYPE_WP, MTRR_TYPE_WB,
	MTRR_TYPE_ANY, MTRR_TYPE_WB, MTRR_TYPE_UC,
};

struct input {
	struct mtrr_caps caps;
	struct mtrr_plan_opts opts;
	struct mtrr_range w[MAXW];
	size_t n;
};

static void
decode(struct fuzz_in *in, struct input *x)
{
	unsigned flags, dsel, damage;
	uint64_t limit, pos = 0;

	memset(x, 0, sizeof(*x));
	x->caps.vcnt = fuzz_u8(in) % 41u;
	flags = fuzz_u8(in);
	x->caps.phys_bits = 32u + fuzz_u8(in) % 21u;
	x->caps.fixed = (flags & 1u) != 0;
	x->caps.wc = (flags & 2u) != 0;
	x->opts.use_fixed = (flags & 4u) != 0;
	x->opts.allow_whole_space = (flags & 8u) != 0;
	dsel = flags >> 4;
	if (dsel >= 1 && dsel <= 5)
		x->opts.default_type = sel_type[dsel - 1];
	else if (dsel == 6)
		x->opts.default_type = 2;
	else if (dsel == 7)
		x->opts.default_type = MTRR_TYPE_ANY;
	else
		x->opts.default_type = MTRR_PLAN_DEFAULT_FREE;
	x->opts.reserve_pairs = fuzz_u8(in) % 44u;
	damage = fuzz_u8(in);
	limit = 1ull << x->caps.phys_bits;

	while (x->n < MAXW && !fuzz_empty(in)) {
		uint8_t t = sel_type[fuzz_u8(in) % 8u];
		unsigned lg = 12u + fuzz_u8(in) % (x->caps.phys_bits - 11u);
		uint64_t unit = 1ull << lg, gap = fuzz_u8(in), len = fuzz_u8(in) + 1u;
		uint64_t start = ((pos + unit - 1) & ~(unit - 1)) + gap * unit;

		if (start >= limit)
			break;
		x->w[x->n].start = start;
		x->w[x->n].end = len * unit > limit - start ? limit : start + len * unit;
		x->w[x->n].type = t;
		pos = x->w[x->n].end;
		x->n++;
	}
	if (damage != 0 && x->n > 0) {
		size_t k = (damage >> 3) % x->n;
		struct mtrr_range *r = &x->w[k], tmp;

		switch (damage & 7u) {
		case 1: r->start += 0x800; break;
		case 2: r->end = r->start; break;
		case 3: r->start = r->start >= 0x1000 ? r->start - 0x1000 : r->start; break;
		case 4: r->end = limit + 0x1000; break;
		case 5: r->type = 3; break;
		case 6: r->type = MTRR_TYPE_WC; break;
		default:
			if (k > 0) {
				tmp = x->w[k - 1];
				x->w[k - 1] = *r;
				*r = tmp;
			}
			break;
		}
	}
}

static bool
is_type(unsigned t)
{
	return t == MTRR_TYPE_UC || t == MTRR_TYPE_WC || t == MTRR_TYPE_WT ||
	       t == MTRR_TYPE_WP || t == MTRR_TYPE_WB;
}

/* The status mtrr.h's check order gives for this input. */
static mtrr_status
predict(const struct input *x)
{
	const struct mtrr_caps *c = &x->caps;
	uint64_t limit = 1ull << c->phys_bits, prev = 0;
	int d = x->opts.default_type;
	size_t i, j;
	unsigned u;

	if (d != MTRR_PLAN_DEFAULT_FREE) {
		if (d < 0 || !is_type((unsigned)d))
			return MTRR_E_INVALID_TYPE;
		if (d == MTRR_TYPE_WC && !c->wc)
			return MTRR_E_WC_UNSUPPORTED;
	}
	if (x->opts.reserve_pairs > c->vcnt)
		return MTRR_E_INVALID_ARG;
	if (x->opts.use_fixed && !c->fixed)
		return MTRR_E_ABSENT;
	for (i = 0; i < x->n; i++) {
		const struct mtrr_range *r = &x->w[i];

		if (r->start >= r->end || r->end > limit || r->start % 0x1000 ||
		    r->end % 0x1000 || r->start < prev)
			return MTRR_E_INVALID_ARG;
		if (r->type != MTRR_TYPE_ANY && !is_type(r->type))
			return MTRR_E_INVALID_TYPE;
		if (r->type == MTRR_TYPE_WC && !c->wc)
			return MTRR_E_WC_UNSUPPORTED;
		prev = r->end;
	}
	if (!x->opts.use_fixed)
		return MTRR_OK;
	/* 8 units of 64 KiB, 16 of 16 KiB, 64 of 4 KiB. */
	for (u = 0; u < 88; u++) {
		uint64_t lo = u < 8 ? u * 0x10000ull : u < 24 ? 0x80000 + (u - 8) * 0x4000ull :
			      0xC0000 + (u - 24) * 0x1000ull;
		uint64_t hi = lo + (u < 8 ? 0x10000 : u < 24 ? 0x4000 : 0x1000);
		int t = -1;

		for (j = 0; j < x->n; j++) {
			if (x->w[j].type == MTRR_TYPE_ANY || x->w[j].end <= lo ||
			    x->w[j].start >= hi)
				continue;
			if (t >= 0 && t != x->w[j].type)
				return MTRR_E_FIXED_CONFLICT;
			t = x->w[j].type;
		}
	}
	return MTRR_OK;
}

static bool
defined_set(unsigned set)
{
	return (set & (set - 1)) == 0 || (set & (1u << MTRR_TYPE_UC)) ||
	       set == ((1u << MTRR_TYPE_WT) | (1u << MTRR_TYPE_WB));
}

static struct mtrr_map g_map;

/* Every property of a successful plan of k pairs. */
static void
check_plan(const struct input *x, const struct mtrr_state *s, unsigned k)
{
	uint64_t addr = MTRR_PHYS_ADDR_MASK(x->caps.phys_bits), size[MTRR_VAR_MAX];
	size_t i, j;

	FUZZ_ASSERT(mtrr_state_check(s, NULL) == MTRR_OK);
	FUZZ_ASSERT(s->def_type & MTRR_DEF_E);
	FUZZ_ASSERT(!(s->def_type & MTRR_DEF_FE) == !x->opts.use_fixed);
	if (x->opts.default_type != MTRR_PLAN_DEFAULT_FREE)
		FUZZ_ASSERT_EQ(s->def_type & 0xFF, (unsigned)x->opts.default_type);
	FUZZ_ASSERT(k + x->opts.reserve_pairs <= x->caps.vcnt);
	if (!x->opts.use_fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			FUZZ_ASSERT_EQ(s->fixed[i], 0);
	for (i = 0; i < MTRR_VAR_MAX; i++) {
		uint64_t m = s->var[i].mask & addr;

		if (i >= k) {
			FUZZ_ASSERT(s->var[i].base == 0 && s->var[i].mask == 0);
			continue;
		}
		FUZZ_ASSERT(s->var[i].mask & MTRR_PHYSMASK_V);
		size[i] = m == 0 ? 1ull << x->caps.phys_bits : m & (~m + 1);
		FUZZ_ASSERT_EQ(m, addr & ~(size[i] - 1));               /* contiguous */
		FUZZ_ASSERT_EQ(s->var[i].base & addr & (size[i] - 1), 0);
		if (m == 0)
			FUZZ_ASSERT(x->opts.allow_whole_space);
	}
	for (i = 0; i < k; i++) {
		uint64_t bi = s->var[i].base & addr;
		unsigned set = 0;

		for (j = 0; j < k; j++) {
			uint64_t bj = s->var[j].base & addr;

			if (size[j] >= size[i] && bj <= bi && bi - bj < size[j])
				set |= 1u << (s->var[j].base & 0xFF);
		}
		FUZZ_ASSERT(defined_set(set));
	}
	FUZZ_ASSERT(mtrr_map_build(&g_map, s) == MTRR_OK);
	for (i = 0; i < x->n; i++)
		if (x->w[i].type != MTRR_TYPE_ANY)
			FUZZ_ASSERT_EQ(mtrr_map_lookup_range(&g_map, x->w[i].start, x->w[i].end),
				       x->w[i].type);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct input x;
	struct fuzz_in in = fuzz_in_make(data, size);
	struct mtrr_state s, canary;
	unsigned pairs = 0xC0FFEE, more = 0;
	mtrr_status want, st;
	uint8_t def;

	decode(&in, &x);
	want = predict(&x);
	memset(&s, 0x6B, sizeof(s));
	memcpy(&canary, &s, sizeof(s));
	st = mtrr_plan(&x.caps, x.w, x.n, &x.opts, &s, &pairs);
	if (want != MTRR_OK) {
		FUZZ_ASSERT_EQ(st, want);
		FUZZ_ASSERT(memcmp(&s, &canary, sizeof(s)) == 0);
		FUZZ_ASSERT_EQ(pairs, 0xC0FFEE);
		return 0;
	}
	if (st == MTRR_E_TOO_FEW_PAIRS) {
		FUZZ_ASSERT(memcmp(&s, &canary, sizeof(s)) == 0);
		FUZZ_ASSERT(pairs > x.caps.vcnt - x.opts.reserve_pairs);
		if (pairs <= MTRR_VAR_MAX) {
			x.caps.vcnt = MTRR_VAR_MAX;
			x.opts.reserve_pairs = 0;
			FUZZ_ASSERT_EQ(mtrr_plan(&x.caps, x.w, x.n, &x.opts, &s, &more), MTRR_OK);
			FUZZ_ASSERT_EQ(more, pairs);
			check_plan(&x, &s, more);
		}
		return 0;
	}
	FUZZ_ASSERT_EQ(st, MTRR_OK);
	check_plan(&x, &s, pairs);
	def = (uint8_t)s.def_type;

	/* Caring less never costs more. */
	if (x.n > 0) {
		size_t k = (size_t)(pairs + x.n) % x.n;
		uint8_t t = x.w[k].type;

		x.w[k].type = MTRR_TYPE_ANY;
		FUZZ_ASSERT_EQ(mtrr_plan(&x.caps, x.w, x.n, &x.opts, &s, &more), MTRR_OK);
		FUZZ_ASSERT(more <= pairs);
		check_plan(&x, &s, more);
		x.w[k].type = t;
	}
	/* The default a free plan chose, fixed, costs the same. */
	if (x.opts.default_type == MTRR_PLAN_DEFAULT_FREE) {
		x.opts.default_type = def;
		FUZZ_ASSERT_EQ(mtrr_plan(&x.caps, x.w, x.n, &x.opts, &s, &more), MTRR_OK);
		FUZZ_ASSERT_EQ(more, pairs);
		check_plan(&x, &s, more);
	}
	return 0;
}
