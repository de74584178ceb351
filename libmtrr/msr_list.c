/* msr_list.c — the MTRR MSRs a VMM saves and restores, in a safe order. */
#include "internal.h"

static size_t
put(uint32_t *msrs, size_t capacity, size_t n, uint32_t msr)
{
	if (n < capacity)
		msrs[n] = msr;
	return n + 1;
}

size_t
mtrr_msr_list(const struct mtrr_caps *caps, uint32_t *msrs, size_t capacity)
{
	size_t n = 0;
	unsigned i;

	if (!mtrr__caps_valid(caps))
		return 0;
	if (msrs == NULL)
		capacity = 0;
	for (i = 0; i < caps->vcnt; i++) {
		n = put(msrs, capacity, n, MTRR_MSR_PHYSBASE(i));
		n = put(msrs, capacity, n, MTRR_MSR_PHYSMASK(i));
	}
	/*
	 * AMD: the IORRs and TOP_MEM/TOP_MEM2, then SYSCFG, which enables them;
	 * before the fixed MSRs, whose RdMem/WrMem a restore can set only once
	 * SYSCFG.MtrrFixDramModEn is back.
	 */
	if (caps->vendor == MTRR_VENDOR_AMD)
		for (i = 0; i < MTRR__AMD_REGS; i++)
			n = put(msrs, capacity, n, mtrr__amd_msrs[i]);
	if (caps->fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			n = put(msrs, capacity, n, mtrr__fixed_msr(i));
	if (caps->smrr) {
		n = put(msrs, capacity, n, MTRR_MSR_SMRR_PHYSBASE);
		n = put(msrs, capacity, n, MTRR_MSR_SMRR_PHYSMASK);
	}
	if (caps->pat)
		n = put(msrs, capacity, n, MTRR_MSR_PAT);
	/* Last: restoring it enables the MTRRs once every range is in place. */
	return put(msrs, capacity, n, MTRR_MSR_DEF_TYPE);
}
