/*
 * warn.c — what `mtrr show` flags in a legal register set: things the CPU
 * accepts but that are rarely meant (SDM "Variable Range MTRRs", "MTRR
 * Precedences").  Each check is exact on the (base, mask) form, so strided
 * non-contiguous masks are handled like ordinary ones.
 */
#include "tool.h"

static unsigned
high_bit(uint64_t v)
{
	unsigned k = 63;

	while (k > 0 && !(v & (1ull << k)))
		k--;
	return k;
}

static void
warn_mask(FILE *f, unsigned n, const struct pair *p, unsigned pb, unsigned *count)
{
	unsigned low = pair_low_bit(p, pb), hb;
	uint64_t full, phys = MTRR_PHYS_ADDR_MASK(pb);
	char buf[32];

	if (p->mask == 0) {
		fprintf(f, "warning: pair %u: PHYSMASK 0 matches every address\n", n);
		(*count)++;
		return;
	}
	full = phys & ~((1ull << low) - 1);
	if (p->mask != full) {
		hb = high_bit(p->mask);
		if (p->mask == (full & ((2ull << hb) - 1)))
			fprintf(f, "warning: pair %u: PHYSMASK stops at bit %u, below MAXPHYADDR-1 "
				"(%u): the range repeats every %s (wrong MAXPHYADDR? try "
				"--phys-bits %u)\n", n, hb, pb - 1,
				size_str(2ull << hb, buf, sizeof(buf)), hb + 1);
		else
			fprintf(f, "warning: pair %u: non-contiguous PHYSMASK 0x%llx matches %llu "
				"blocks of %s (legal, rarely meant)\n", n,
				(unsigned long long)p->mask, 1ull << pair_free_bits(p, pb),
				size_str(1ull << low, buf, sizeof(buf)));
		(*count)++;
	}
	if (p->base & ~p->mask) {
		fprintf(f, "warning: pair %u: PHYSBASE has bits the mask ignores (0x%llx): "
			"the range starts at ", n, (unsigned long long)(p->base & ~p->mask));
		put_addr(f, pair_start(p), pb);
		fputc('\n', f);
		(*count)++;
	}
}

/* True when a set of exactly these two types has no SDM-defined result. */
static bool
undefined_pair(uint8_t a, uint8_t b)
{
	if (a == b || a == MTRR_TYPE_UC || b == MTRR_TYPE_UC)
		return false;
	return !((a == MTRR_TYPE_WT && b == MTRR_TYPE_WB) ||
		 (a == MTRR_TYPE_WB && b == MTRR_TYPE_WT));
}

/*
 * Two pairs share addresses iff their bases agree wherever both masks
 * look; the shared set is then (base_i | base_j, mask_i | mask_j).  A UC
 * pair that covers all of it makes the overlap defined (UC wins).
 */
static void
warn_overlaps(FILE *f, const struct mtrr_state *s, const struct pair *p, unsigned *count)
{
	unsigned i, j, k, pb = s->caps.phys_bits;

	for (i = 0; i < s->caps.vcnt; i++) {
		for (j = i + 1; j < s->caps.vcnt; j++) {
			struct pair x = { 0 };
			bool covered = false;

			if (!p[i].valid || !p[j].valid || !undefined_pair(p[i].type, p[j].type) ||
			    ((p[i].base ^ p[j].base) & p[i].mask & p[j].mask) != 0)
				continue;
			x.valid = true;
			x.mask = p[i].mask | p[j].mask;
			x.base = (p[i].base & p[i].mask) | (p[j].base & p[j].mask);
			for (k = 0; k < s->caps.vcnt && !covered; k++)
				covered = p[k].valid && p[k].type == MTRR_TYPE_UC &&
					  (p[k].mask & ~x.mask) == 0 &&
					  ((x.base ^ p[k].base) & p[k].mask) == 0;
			if (covered)
				continue;
			fprintf(f, "warning: pairs %u (%s) and %u (%s) overlap at ", i,
				mtrr_type_str(p[i].type), j, mtrr_type_str(p[j].type));
			put_range(f, pair_start(&x), pair_start(&x) +
				  (1ull << pair_low_bit(&x, pb)), pb);
			fprintf(f, "%s: the SDM leaves the type undefined; libmtrr answers %s\n",
				pair_free_bits(&x, pb) ? " (first block)" : "",
				s->caps.overlap == MTRR_OVERLAP_WB ? "WB (--overlap-wb)" :
				"UC (WB with --overlap-wb)");
			(*count)++;
		}
	}
}

unsigned
show_warnings(FILE *f, const struct mtrr_state *s)
{
	struct pair p[MTRR_VAR_MAX];
	uint64_t def = 0;
	unsigned n, count = 0, last_used = 0, holes = 0;
	bool any = false;

	mtrr_rdmsr(s, MTRR_MSR_DEF_TYPE, &def);
	if (!(def & MTRR_DEF_E)) {
		fprintf(f, "warning: MTRRs are disabled (IA32_MTRR_DEF_TYPE.E = 0): every "
			"address is UC\n");
		count++;
	}
	if ((def & MTRR_DEF_FE) && !s->caps.fixed) {
		fprintf(f, "warning: IA32_MTRR_DEF_TYPE.FE is set but the CPU has no fixed "
			"ranges: it has no effect\n");
		count++;
	}
	for (n = 0; n < s->caps.vcnt; n++) {
		pair_read(s, n, &p[n]);
		if (p[n].valid) {
			warn_mask(f, n, &p[n], s->caps.phys_bits, &count);
			last_used = n;
			any = true;
		}
	}
	warn_overlaps(f, s, p, &count);
	for (n = 0; any && n < last_used; n++) {
		if (p[n].valid)
			continue;
		if (holes++ == 0)
			fprintf(f, "warning: disabled pairs below used ones:");
		fprintf(f, " %u", n);
	}
	if (holes) {
		fprintf(f, " (harmless; firmware usually packs the pairs)\n");
		count++;
	}
	return count;
}
