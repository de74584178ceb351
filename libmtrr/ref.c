/*
 * ref.c — the reference resolver.  It follows the SDM's "MTRR Precedences"
 * list line by line and stays simple: the compiled map, the tests, the
 * fuzzers and the benchmark are all checked against it.
 *
 * It refuses (MTRR_TYPE_INVALID) a state whose images mtrr_wrmsr would not
 * have accepted, but checks only what this call reads, inline and as it
 * goes: DEF_TYPE always, the fixed-range byte it answers with, both images
 * of every pair n < vcnt that the variable-range step scans, and on AMD
 * TOP_MEM2 where Tom2ForceMemTypeWB may give the default.  Not
 * mtrr_state_check on the whole state: the reference is the benchmark's
 * baseline and must cost what a per-lookup register scan costs.
 */
#include "check.h"

/* Does variable pair n cover addr?  Only bits MAXPHYADDR-1:12 compare. */
static bool
var_matches(const struct mtrr_state *s, unsigned n, uint64_t addr)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	uint64_t mask = s->var[n].mask & phys;
	uint64_t base = s->var[n].base & phys;

	return (addr & mask) == (base & mask);
}

/* The fixed-range byte that covers addr < 1 MiB. */
static uint8_t
fixed_type(const struct mtrr_state *s, uint64_t addr)
{
	unsigned msr, byte;

	if (addr < 0x80000) {                   /* FIX64K_00000: 8 x 64 KiB */
		msr = 0;
		byte = (unsigned)(addr >> 16);
	} else if (addr < 0xC0000) {            /* FIX16K_80000/_A0000: 16 x 16 KiB */
		msr = 1 + (unsigned)((addr - 0x80000) >> 17);
		byte = (unsigned)((addr >> 14) & 7u);
	} else {                                /* FIX4K_C0000.._F8000: 64 x 4 KiB */
		msr = 3 + (unsigned)((addr - 0xC0000) >> 15);
		byte = (unsigned)((addr >> 12) & 7u);
	}
	return (uint8_t)(s->fixed[msr] >> (8 * byte));
}

uint8_t
mtrr_ref_lookup(const struct mtrr_state *s, uint64_t addr)
{
	const uint64_t tom2_wb = MTRR_SYSCFG_TOM2_EN | MTRR_SYSCFG_TOM2_WB;
	uint64_t phys;
	unsigned set = 0, n;
	uint8_t fixed;

	if (s == NULL || !mtrr__caps_valid(&s->caps) || addr >> s->caps.phys_bits)
		return MTRR_TYPE_INVALID;       /* beyond MAXPHYADDR: no type */
	if (!mtrr__def_type_ok(&s->caps, s->def_type))
		return MTRR_TYPE_INVALID;       /* corrupted image: no answer */

	/* 1. MTRRs disabled: everything is UC, FE and the ranges are ignored. */
	if (!(s->def_type & MTRR_DEF_E))
		return MTRR_TYPE_UC;

	/*
	 * 2. Below 1 MiB with fixed ranges enabled: the fixed range decides
	 * (on AMD its bits 2:0: RdMem/WrMem route accesses, they do not type).
	 */
	if (addr < MTRR_FIXED_END && (s->def_type & MTRR_DEF_FE) && s->caps.fixed) {
		fixed = fixed_type(s, addr);
		return mtrr__fixed_byte_ok(&s->caps, fixed) ? mtrr__fixed_type(&s->caps, fixed) :
							     MTRR_TYPE_INVALID;
	}

	/* 3. The set of types of ALL matching valid variable ranges. */
	phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	for (n = 0; n < s->caps.vcnt; n++) {
		if (!mtrr__pair_ok(&s->caps, phys, s->var[n].base, s->var[n].mask))
			return MTRR_TYPE_INVALID;
		if ((s->var[n].mask & MTRR_PHYSMASK_V) && var_matches(s, n, addr))
			set |= MTRR__BIT(s->var[n].base & MTRR_PHYSBASE_TYPE_MASK);
	}

	/*
	 * No match: the default type, except that on AMD with MtrrTom2En and
	 * Tom2ForceMemTypeWB the default of [4 GiB, TOP_MEM2) is WB (APM Vol. 2,
	 * "Memory Type Range Registers", SYSCFG).  One type: that type.  UC wins
	 * over everything; WT wins over WB; any other overlap is undefined (UC,
	 * or WB by the caps' policy).
	 */
	if (set == 0 && addr >= MTRR__4GIB && s->caps.vendor == MTRR_VENDOR_AMD &&
	    (s->syscfg & tom2_wb) == tom2_wb) {
		if (!mtrr__top_mem_ok(&s->caps, s->top_mem2))
			return MTRR_TYPE_INVALID;       /* corrupted image: no answer */
		if (addr < s->top_mem2)
			return MTRR_TYPE_WB;
	}
	return mtrr__combine(set, (uint8_t)(s->def_type & MTRR_DEF_TYPE_MASK),
			     s->caps.overlap);
}
