/*
 * list.c — baseline (c): the sorted range list of Linux >= 6.5
 * (arch/x86/kernel/cpu/mtrr/generic.c, the "cache_map" scanned by
 * mtrr_type_lookup).  Written here from the algorithm, not from its code:
 *
 *   - built once per MTRR change: the fixed ranges (merged neighbours of one
 *     type, taking precedence), then each valid variable pair as the interval
 *     [base, base + size) with size = -(mask with the bits above MAXPHYADDR
 *     set), overlaps resolved by the pairwise "effective type" (UC wins,
 *     {WT, WB} gives WT, any other mix UC), touching entries of one type
 *     merged; addresses in no entry have the default type;
 *   - per lookup, a linear scan from the first entry.
 *
 * Like Linux it takes every mask as contiguous, so a non-contiguous mask
 * gives wrong answers; they are counted against the reference, not fixed.
 * The range query reports MIXED as soon as two pieces differ (Linux instead
 * returns the merged type with uniform = 0: the same information).
 */
#include "bench.h"

/* Linux's pairwise merge of two types that both apply. */
static uint8_t
effective(uint8_t a, uint8_t b)
{
	if (a == MTRR_TYPE_UC || b == MTRR_TYPE_UC)
		return MTRR_TYPE_UC;
	if ((a == MTRR_TYPE_WT && b == MTRR_TYPE_WB) ||
	    (a == MTRR_TYPE_WB && b == MTRR_TYPE_WT))
		return MTRR_TYPE_WT;
	return a == b ? a : MTRR_TYPE_UC;
}

static void
push(struct list *l, uint64_t start, uint64_t end, uint8_t type, bool fixed)
{
	struct list_entry *prev = l->n ? &l->e[l->n - 1] : NULL;

	if (prev && prev->fixed == fixed && prev->end == start && prev->type == type) {
		prev->end = end;
		return;
	}
	l->e[l->n].start = start;
	l->e[l->n].end = end;
	l->e[l->n].type = type;
	l->e[l->n].fixed = fixed;
	l->n++;
}

static void
sort_unique(uint64_t *v, unsigned *n)
{
	unsigned i, j, out = 0;

	for (i = 1; i < *n; i++) {
		uint64_t x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	for (i = 0; i < *n; i++)
		if (out == 0 || v[out - 1] != v[i])
			v[out++] = v[i];
	*n = out;
}

void
list_build(struct list *l, const struct mtrr_state *s)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	uint64_t lo[MTRR_VAR_MAX], hi[MTRR_VAR_MAX], pt[2 * MTRR_VAR_MAX + 2];
	uint8_t ty[MTRR_VAR_MAX];
	unsigned nv = 0, np = 0, i, k;
	bool fixed_on;

	l->limit = 1ull << s->caps.phys_bits;
	l->enabled = (s->def_type & MTRR_DEF_E) != 0;
	l->def = (uint8_t)(s->def_type & MTRR_DEF_TYPE_MASK);
	l->n = 0;
	if (!l->enabled)
		return;

	fixed_on = s->caps.fixed && (s->def_type & MTRR_DEF_FE);
	if (fixed_on) {
		/* 8 x 64 KiB, 16 x 16 KiB, 64 x 4 KiB, in address order. */
		uint64_t a = 0;
		for (i = 0; i < 88; i++) {
			uint64_t size = i < 8 ? 0x10000 : i < 24 ? 0x4000 : 0x1000;
			uint8_t t = (uint8_t)(s->fixed[i < 8 ? 0 : i < 24 ? 1 + (i - 8) / 8 :
						 3 + (i - 24) / 8] >> (8 * (i % 8)));
			push(l, a, a + size, t, true);
			a += size;
		}
		pt[np++] = MTRR_FIXED_END;
	}

	for (i = 0; i < s->caps.vcnt; i++) {
		uint64_t m;
		if (!(s->var[i].mask & MTRR_PHYSMASK_V))
			continue;
		m = (s->var[i].mask & phys) | ~(l->limit - 1);
		lo[nv] = s->var[i].base & phys;
		hi[nv] = lo[nv] + (~m + 1);     /* size = -mask */
		if (hi[nv] > l->limit || hi[nv] < lo[nv])
			hi[nv] = l->limit;
		ty[nv] = (uint8_t)(s->var[i].base & MTRR_PHYSBASE_TYPE_MASK);
		pt[np++] = lo[nv];
		pt[np++] = hi[nv];
		nv++;
	}
	sort_unique(pt, &np);

	/* Each elementary interval between two boundaries has one type. */
	for (k = 0; k + 1 < np; k++) {
		uint64_t a = pt[k];
		int t = -1;
		if (fixed_on && a < MTRR_FIXED_END)
			continue;               /* the fixed ranges take precedence */
		for (i = 0; i < nv; i++)
			if (lo[i] <= a && a < hi[i])
				t = t < 0 ? ty[i] : effective((uint8_t)t, ty[i]);
		if (t >= 0)
			push(l, a, pt[k + 1], (uint8_t)t, false);
	}
}

uint8_t
list_lookup(const struct list *l, uint64_t addr)
{
	unsigned i;

	if (addr >= l->limit)
		return MTRR_TYPE_INVALID;
	if (!l->enabled)
		return MTRR_TYPE_UC;
	for (i = 0; i < l->n; i++) {
		if (addr >= l->e[i].end)
			continue;
		if (addr < l->e[i].start)
			break;                  /* in a gap: the default */
		return l->e[i].type;
	}
	return l->def;
}

/* Folds the type of one more piece into *type; false when they differ. */
static bool
same_type(int *type, uint8_t t)
{
	if (*type < 0)
		*type = t;
	return *type == t;
}

uint8_t
list_lookup_range(const struct list *l, uint64_t start, uint64_t end)
{
	int type = -1;
	unsigned i;

	if (end <= start || end > l->limit)
		return MTRR_TYPE_INVALID;
	if (!l->enabled)
		return MTRR_TYPE_UC;
	for (i = 0; i < l->n && start < end; i++) {
		if (start >= l->e[i].end)
			continue;
		if (start < l->e[i].start) {    /* a gap before this entry */
			if (!same_type(&type, l->def))
				return MTRR_TYPE_MIXED;
			if (end <= l->e[i].start)
				return (uint8_t)type;
		}
		if (!same_type(&type, l->e[i].type))
			return MTRR_TYPE_MIXED;
		start = l->e[i].end;
	}
	if (start < end && !same_type(&type, l->def))
		return MTRR_TYPE_MIXED;
	return (uint8_t)type;
}
