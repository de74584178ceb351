/*
 * pair.c — a variable-range pair decoded for display.  The pair matches
 * address A when (A & PhysMask) == (PhysBase & PhysMask) over bits
 * MAXPHYADDR-1:12 (SDM "Variable Range MTRRs"); a mask whose set bits run
 * from some bit k up to MAXPHYADDR-1 selects one naturally aligned block
 * of 2^k bytes, any other mask a strided set of such blocks.
 */
#include "tool.h"

void
pair_read(const struct mtrr_state *s, unsigned n, struct pair *p)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);

	p->raw_base = p->raw_mask = 0;
	mtrr_rdmsr(s, MTRR_MSR_PHYSBASE(n), &p->raw_base);
	mtrr_rdmsr(s, MTRR_MSR_PHYSMASK(n), &p->raw_mask);
	p->valid = (p->raw_mask & MTRR_PHYSMASK_V) != 0;
	p->type = (uint8_t)(p->raw_base & MTRR_PHYSBASE_TYPE_MASK);
	p->base = p->raw_base & phys;
	p->mask = p->raw_mask & phys;
}

bool
pair_matches(const struct pair *p, uint64_t addr)
{
	return p->valid && (addr & p->mask) == (p->base & p->mask);
}

unsigned
pair_low_bit(const struct pair *p, unsigned phys_bits)
{
	unsigned k = 12;

	if (p->mask == 0)
		return phys_bits;
	while (!(p->mask & (1ull << k)))
		k++;
	return k;
}

unsigned
pair_free_bits(const struct pair *p, unsigned phys_bits)
{
	unsigned k, n = 0;

	for (k = pair_low_bit(p, phys_bits); k < phys_bits; k++)
		if (!(p->mask & (1ull << k)))
			n++;
	return n;
}

uint64_t
pair_start(const struct pair *p)
{
	return p->base & p->mask;
}

uint64_t
pair_block(const struct pair *p, unsigned phys_bits, uint64_t i)
{
	uint64_t start = pair_start(p);
	unsigned k;

	for (k = pair_low_bit(p, phys_bits); k < phys_bits && i != 0; k++) {
		if (p->mask & (1ull << k))
			continue;
		if (i & 1u)
			start |= 1ull << k;
		i >>= 1;
	}
	return start;
}

bool
types_defined(unsigned set)
{
	return (set & (set - 1)) == 0 || (set & (1u << MTRR_TYPE_UC)) ||
	       set == ((1u << MTRR_TYPE_WT) | (1u << MTRR_TYPE_WB));
}

uint64_t
amd_reg(const struct mtrr_state *s, uint32_t msr)
{
	uint64_t v = 0;

	if (mtrr_rdmsr(s, msr, &v) != MTRR_OK)  /* MTRR_E_NOT_MTRR on Intel caps */
		return 0;
	return v;
}

uint64_t
tom2_wb_end(const struct mtrr_state *s)
{
	const uint64_t both = MTRR_SYSCFG_TOM2_EN | MTRR_SYSCFG_TOM2_WB;
	uint64_t end = amd_reg(s, MTRR_MSR_TOP_MEM2) & MTRR_TOP_MEM_MASK(s->caps.phys_bits);

	if ((amd_reg(s, MTRR_MSR_SYSCFG) & both) != both || end <= (1ull << 32))
		return 0;
	return end;
}

void
amd_copy(struct mtrr_state *dst, const struct mtrr_state *src)
{
	static const uint32_t msr[] = {
		MTRR_MSR_IORR_BASE(0), MTRR_MSR_IORR_MASK(0), MTRR_MSR_IORR_BASE(1),
		MTRR_MSR_IORR_MASK(1), MTRR_MSR_TOP_MEM, MTRR_MSR_TOP_MEM2, MTRR_MSR_SYSCFG,
	};
	size_t i;

	for (i = 0; i < sizeof(msr) / sizeof(msr[0]); i++)
		mtrr_wrmsr(dst, msr[i], amd_reg(src, msr[i]));
}
