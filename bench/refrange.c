/*
 * refrange.c — the exact type of a range, from the registers and
 * mtrr_ref_lookup only, to check mtrr_map_lookup_range and the baselines.
 *
 * The range is cut into naturally aligned blocks of 2^j bytes.  A block has one
 * type when no register can tell its addresses apart: every valid pair either
 * has no mask bit below 2^j (all addresses compare alike) or already differs
 * from its base in a mask bit at or above 2^j (no address matches), and the
 * block does not hold more than one fixed range.  Then one mtrr_ref_lookup
 * answers for the whole block; otherwise it is split in halves.  At 4 KiB every
 * block is uniform, so the recursion ends.  The walk stops at the second type.
 */
#include "bench.h"

struct walk {
	const struct mtrr_state *s;
	uint64_t phys;
	bool fixed_on;
	int type;               /* -1 until the first block */
	bool mixed;
};

/* The size of the fixed ranges covering [addr, addr + 1) below 1 MiB. */
static unsigned
fixed_bits(uint64_t addr)
{
	return addr < 0x80000 ? 16 : addr < 0xC0000 ? 14 : 12;
}

static bool
block_uniform(const struct walk *w, uint64_t b, unsigned j)
{
	uint64_t low = (1ull << j) - 1;
	unsigned n;

	if (!(w->s->def_type & MTRR_DEF_E))
		return true;
	if (w->fixed_on && b < MTRR_FIXED_END &&
	    (b + low >= MTRR_FIXED_END || j > fixed_bits(b)))
		return false;
	for (n = 0; n < w->s->caps.vcnt; n++) {
		uint64_t mask = w->s->var[n].mask & w->phys;
		if (!(w->s->var[n].mask & MTRR_PHYSMASK_V) || !(mask & low))
			continue;
		if ((b ^ w->s->var[n].base) & mask & ~low)
			continue;
		return false;
	}
	return true;
}

static void
visit(struct walk *w, uint64_t b, unsigned j)
{
	uint8_t t;

	if (w->mixed)
		return;
	if (j > 12 && !block_uniform(w, b, j)) {
		visit(w, b, j - 1);
		visit(w, b + (1ull << (j - 1)), j - 1);
		return;
	}
	t = mtrr_ref_lookup(w->s, b);
	if (w->type < 0)
		w->type = t;
	else if (w->type != t)
		w->mixed = true;
}

uint8_t
ref_range(const struct mtrr_state *s, uint64_t start, uint64_t end)
{
	struct walk w;
	uint64_t limit = 1ull << s->caps.phys_bits;

	if (end <= start || end > limit)
		return MTRR_TYPE_INVALID;
	w.s = s;
	w.phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	w.fixed_on = s->caps.fixed && (s->def_type & MTRR_DEF_FE);
	w.type = -1;
	w.mixed = false;
	/* No type changes inside a 4 KiB page: widen the range to whole pages. */
	start &= ~0xFFFull;
	end = (end + 0xFFFull) & ~0xFFFull;
	/* The largest aligned blocks that tile [start, end). */
	while (start < end && !w.mixed) {
		unsigned j = 12;
		while (j + 1 < 64 && !(start & ((1ull << (j + 1)) - 1)) &&
		       start + (1ull << (j + 1)) <= end)
			j++;
		visit(&w, start, j);
		start += 1ull << j;
	}
	return w.mixed ? MTRR_TYPE_MIXED : (uint8_t)w.type;
}
