/*
 * scan.c — baseline (b): the per-lookup register scan of KVM (up to Linux
 * 6.10, arch/x86/kvm/mtrr.c), Xen (hvm/mtrr.c) and Bochs.  Written here from
 * the algorithm, not from their code:
 *
 *   - MTRRs disabled: UC;
 *   - below 1 MiB with fixed ranges enabled: the fixed-range byte, by table;
 *   - otherwise every variable pair in register order; the types of the
 *     matching pairs are merged pairwise into a running type: equal types
 *     stay, UC wins at once, {WT, WB} gives WT, and any other pair is
 *     undefined, answered WB at once (KVM's choice) — which is how a first
 *     undefined pair hides a later UC.  No match: the default type.
 *
 * It is a speed baseline; its answers are compared with the reference before
 * timing and the differences are reported, not fixed.
 *
 * The range query follows KVM's kvm_mtrr_check_gfn_range_consistency: every
 * fixed range and every variable pair (taken as the interval its base and
 * mask describe when the mask is contiguous) that overlaps the range must
 * have one type, and when the pairs do not cover the range that type must be
 * the default; anything else is MIXED.
 */
#include "bench.h"

/* Start address of fixed-range byte i (0..87). */
static uint64_t
fixed_start(unsigned i)
{
	if (i < 8)
		return (uint64_t)i << 16;
	if (i < 24)
		return 0x80000ull + ((uint64_t)(i - 8) << 14);
	return 0xC0000ull + ((uint64_t)(i - 24) << 12);
}

/* Index of the fixed-range byte covering addr < 1 MiB. */
static unsigned
fixed_index(uint64_t addr)
{
	if (addr < 0x80000)
		return (unsigned)(addr >> 16);
	if (addr < 0xC0000)
		return 8 + (unsigned)((addr - 0x80000) >> 14);
	return 24 + (unsigned)((addr - 0xC0000) >> 12);
}

void
scan_build(struct scan *sc, const struct mtrr_state *s)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	unsigned i, b;

	sc->limit = 1ull << s->caps.phys_bits;
	sc->enabled = (s->def_type & MTRR_DEF_E) != 0;
	sc->fixed_on = s->caps.fixed && (s->def_type & MTRR_DEF_FE);
	sc->def = (uint8_t)(s->def_type & MTRR_DEF_TYPE_MASK);
	sc->count = s->caps.vcnt;
	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		for (b = 0; b < 8; b++)
			sc->fixed[i * 8 + b] = (uint8_t)(s->fixed[i] >> (8 * b));
	for (i = 0; i < sc->count; i++) {
		sc->valid[i] = (s->var[i].mask & MTRR_PHYSMASK_V) != 0;
		sc->mask[i] = s->var[i].mask & phys;
		sc->base[i] = s->var[i].base & sc->mask[i];
		sc->type[i] = (uint8_t)(s->var[i].base & MTRR_PHYSBASE_TYPE_MASK);
	}
	/* KVM keeps the valid pairs on a list sorted by base (insertion sort). */
	sc->nsorted = 0;
	for (i = 0; i < sc->count; i++) {
		if (!sc->valid[i])
			continue;
		for (b = sc->nsorted; b > 0 && sc->base[sc->sorted[b - 1]] > sc->base[i]; b--)
			sc->sorted[b] = sc->sorted[b - 1];
		sc->sorted[b] = (uint8_t)i;
		sc->nsorted++;
	}
}

uint8_t
scan_lookup(const struct scan *sc, uint64_t addr)
{
	int type = -1;
	unsigned i;

	if (addr >= sc->limit)
		return MTRR_TYPE_INVALID;
	if (!sc->enabled)
		return MTRR_TYPE_UC;
	if (sc->fixed_on && addr < MTRR_FIXED_END)
		return sc->fixed[fixed_index(addr)];
	for (i = 0; i < sc->count; i++) {
		int cur;
		if (!sc->valid[i] || (addr & sc->mask[i]) != sc->base[i])
			continue;
		cur = sc->type[i];
		if (type < 0 || type == cur) {
			type = cur;
			continue;
		}
		if (type == MTRR_TYPE_UC || cur == MTRR_TYPE_UC)
			return MTRR_TYPE_UC;
		if ((type == MTRR_TYPE_WT && cur == MTRR_TYPE_WB) ||
		    (type == MTRR_TYPE_WB && cur == MTRR_TYPE_WT)) {
			type = MTRR_TYPE_WT;
			continue;
		}
		return MTRR_TYPE_WB;    /* undefined overlap: KVM answered WB */
	}
	return type < 0 ? sc->def : (uint8_t)type;
}

/* Folds one more overlapping type into *type; false when they differ. */
static bool
same_type(int *type, uint8_t t)
{
	if (*type < 0)
		*type = t;
	return *type == t;
}

uint8_t
scan_lookup_range(const struct scan *sc, uint64_t start, uint64_t end)
{
	uint64_t covered_to = start;
	bool partial = false;
	int type = -1;
	unsigned i, k;

	if (end <= start || end > sc->limit)
		return MTRR_TYPE_INVALID;
	if (!sc->enabled)
		return MTRR_TYPE_UC;
	if (sc->fixed_on && start < MTRR_FIXED_END) {
		for (i = fixed_index(start); i < 88 && fixed_start(i) < end; i++)
			if (!same_type(&type, sc->fixed[i]))
				return MTRR_TYPE_MIXED;
		if (end <= MTRR_FIXED_END)
			return (uint8_t)type;
		start = covered_to = MTRR_FIXED_END;
	}
	/*
	 * The pairs as intervals [base, base + size), walked by increasing
	 * base as KVM does: the covered prefix of the range grows while the
	 * next overlapping pair starts inside it.
	 */
	for (k = 0; k < sc->nsorted; k++) {
		uint64_t lo, hi;
		i = sc->sorted[k];
		lo = sc->base[i];
		hi = lo + ((~sc->mask[i] & (sc->limit - 1)) | 0xFFFull) + 1;
		if (hi <= start || lo >= end)
			continue;
		if (!same_type(&type, sc->type[i]))
			return MTRR_TYPE_MIXED;
		if (lo <= covered_to && hi > covered_to)
			covered_to = hi;
	}
	partial = covered_to < end;
	if (type < 0)
		return sc->def;
	if (partial && type != sc->def)
		return MTRR_TYPE_MIXED;
	return (uint8_t)type;
}
