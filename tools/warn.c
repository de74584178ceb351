/*
 * warn.c — what `mtrr show` flags in a legal register set: things the CPU
 * accepts but that are rarely meant (SDM "Variable Range MTRRs", "MTRR
 * Precedences").  Each check is exact on the (base, mask) form, so strided
 * non-contiguous masks are handled like ordinary ones.
 */
#include <stdlib.h>

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
warn_mask(struct strlist *w, unsigned n, const struct pair *p, unsigned pb)
{
	unsigned low = pair_low_bit(p, pb), hb;
	uint64_t full, phys = MTRR_PHYS_ADDR_MASK(pb);
	char buf[32];

	if (p->mask == 0) {
		strlist_add(w, "pair %u: PHYSMASK 0 matches every address", n);
		return;
	}
	full = phys & ~((1ull << low) - 1);
	if (p->mask != full) {
		hb = high_bit(p->mask);
		if (p->mask == (full & ((2ull << hb) - 1)))
			strlist_add(w, "pair %u: PHYSMASK stops at bit %u, below MAXPHYADDR-1 "
				    "(%u): the range repeats every %s (wrong MAXPHYADDR? try "
				    "--phys-bits %u)", n, hb, pb - 1,
				    size_str(2ull << hb, buf, sizeof(buf)), hb + 1);
		else
			strlist_add(w, "pair %u: non-contiguous PHYSMASK 0x%llx matches %llu "
				    "blocks of %s (legal, rarely meant)", n,
				    (unsigned long long)p->mask, 1ull << pair_free_bits(p, pb),
				    size_str(1ull << low, buf, sizeof(buf)));
	}
	if (p->base & ~p->mask)
		strlist_add(w, "pair %u: PHYSBASE has bits the mask ignores (0x%llx): the range "
			    "starts at 0x%0*llx", n, (unsigned long long)(p->base & ~p->mask),
			    addr_digits(pb), (unsigned long long)pair_start(p));
}

/* True when a set of exactly these two types has no SDM-defined result. */
static bool
undefined_pair(uint8_t a, uint8_t b)
{
	return !types_defined((1u << (a & 7u)) | (1u << (b & 7u)));
}

/*
 * Two pairs share addresses iff their bases agree wherever both masks
 * look; the shared set is then (base_i | base_j, mask_i | mask_j).  A UC
 * pair that covers all of it makes the overlap defined (UC wins).
 */
static void
warn_overlaps(struct strlist *w, const struct mtrr_state *s, const struct pair *p)
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
			strlist_add(w, "pairs %u (%s) and %u (%s) overlap at 0x%0*llx-0x%0*llx%s: "
				    "the SDM leaves the type undefined; libmtrr answers %s", i,
				    mtrr_type_str(p[i].type), j, mtrr_type_str(p[j].type),
				    addr_digits(pb), (unsigned long long)pair_start(&x), addr_digits(pb),
				    (unsigned long long)(pair_start(&x) +
							 (1ull << pair_low_bit(&x, pb)) - 1),
				    pair_free_bits(&x, pb) ? " (first block)" : "",
				    s->caps.overlap == MTRR_OVERLAP_WB ? "WB (--overlap-wb)" :
				    "UC (WB with --overlap-wb)");
		}
	}
}

/* Pair n matches everything pair m matches (for valid pairs). */
static bool
covers(const struct pair *m, const struct pair *n)
{
	return (m->mask & ~n->mask) == 0 && ((m->base ^ n->base) & m->mask) == 0;
}

/*
 * Pairs that change nothing: removing the pair leaves the memory map the
 * same (the library's maps, compared with mtrr_map_diff).  Tried from the
 * last pair down, each one found useless staying removed, so of two
 * duplicates the later one is named.  Skipped when the map is too large to
 * compare exactly.
 */
static void
warn_useless(struct strlist *w, const struct mtrr_state *s, const struct pair *p)
{
	struct mtrr_state *cut = malloc(sizeof(*cut));
	struct mtrr_map *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	bool gone[MTRR_VAR_MAX] = { false };
	uint64_t def = 0;
	unsigned n, m;

	mtrr_rdmsr(s, MTRR_MSR_DEF_TYPE, &def);
	if (cut == NULL || a == NULL || b == NULL || !(def & MTRR_DEF_E) || !map_listable(s) ||
	    mtrr_map_build(a, s) != MTRR_OK) {
		if (cut == NULL || a == NULL || b == NULL)
			w->oom = true;
		goto out;
	}
	*cut = *s;
	for (n = s->caps.vcnt; n-- > 0;) {
		const char *why = "removing it leaves the memory map unchanged";
		char buf[160];
		if (!p[n].valid ||
		    mtrr_wrmsr(cut, MTRR_MSR_PHYSMASK(n), p[n].raw_mask & ~MTRR_PHYSMASK_V) !=
		    MTRR_OK)
			continue;
		if (mtrr_map_build(b, cut) != MTRR_OK || mtrr_map_diff(a, b, NULL, 0) != 0) {
			mtrr_wrmsr(cut, MTRR_MSR_PHYSMASK(n), p[n].raw_mask);
			continue;
		}
		gone[n] = true;
		for (m = 0; m < s->caps.vcnt; m++) {
			if (m == n || gone[m] || !p[m].valid)
				continue;
			if (p[m].type == p[n].type && p[m].mask == p[n].mask &&
			    covers(&p[m], &p[n])) {
				snprintf(buf, sizeof(buf), "it duplicates pair %u", m);
				why = buf;
				break;
			}
			if (p[m].type == MTRR_TYPE_UC && covers(&p[m], &p[n])) {
				snprintf(buf, sizeof(buf), "it lies inside UC pair %u, and UC wins", m);
				why = buf;
				break;
			}
			if (p[m].type == p[n].type && covers(&p[m], &p[n])) {
				snprintf(buf, sizeof(buf), "it lies inside pair %u, of the same type",
					 m);
				why = buf;
				break;
			}
		}
		if (why != buf && p[n].type == (def & MTRR_DEF_TYPE_MASK))
			why = "it has the default type and nothing it overlaps differs";
		strlist_add(w, "pair %u (%s) changes nothing: %s", n, mtrr_type_str(p[n].type), why);
	}
out:
	free(cut);
	free(a);
	free(b);
}

void
collect_warnings(const struct mtrr_state *s, struct strlist *w)
{
	struct pair p[MTRR_VAR_MAX];
	uint64_t def = 0;
	unsigned n, last_used = 0, holes = 0;
	bool any = false;
	char list[256];
	size_t len = 0;

	mtrr_rdmsr(s, MTRR_MSR_DEF_TYPE, &def);
	if (!(def & MTRR_DEF_E))
		strlist_add(w, "MTRRs are disabled (IA32_MTRR_DEF_TYPE.E = 0): every address is UC");
	if ((def & MTRR_DEF_FE) && !s->caps.fixed)
		strlist_add(w, "IA32_MTRR_DEF_TYPE.FE is set but the CPU has no fixed ranges: it "
			    "has no effect");
	for (n = 0; n < s->caps.vcnt; n++) {
		pair_read(s, n, &p[n]);
		if (p[n].valid) {
			warn_mask(w, n, &p[n], s->caps.phys_bits);
			last_used = n;
			any = true;
		}
	}
	warn_overlaps(w, s, p);
	warn_useless(w, s, p);
	list[0] = '\0';
	for (n = 0; any && n < last_used; n++) {
		if (p[n].valid)
			continue;
		holes++;
		if (len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len, " %u", n);
	}
	if (holes)
		strlist_add(w, "disabled pairs below used ones:%s (harmless; firmware usually packs "
			    "the pairs)", list);
	if (w->oom)
		strlist_add(w, "out of memory: some checks were skipped");
}
