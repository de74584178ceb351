/*
 * check.c — mtrr_state_check: is every register image of a state one that
 * mtrr_wrmsr could have stored?  For VMMs that fill struct mtrr_state from
 * their own migration stream, and the guard of every function that reads a
 * state (mtrr_map_build calls it on every build, so it must be cheap).
 *
 * Two passes.  The fast pass folds every image into a few accumulators with
 * ORs and bit tests, with no branch and no call per register, and says only
 * "all good" or "something is bad".  Only then does the slow pass walk the
 * registers one by one through mtrr__check_write to name the first bad one.
 *
 * ORDER of the slow pass (the register named in *bad_msr is the first bad
 * one in it):
 *   1. the registers the caps have, in mtrr_msr_list order: PHYSBASEn then
 *      PHYSMASKn for n < vcnt; on AMD IORRBase0, IORRMask0, IORRBase1,
 *      IORRMask1, TOP_MEM, TOP_MEM2 and SYSCFG (which is never bad); the
 *      fixed MSRs (0x250, 0x258, 0x259, 0x268..0x26F) when caps.fixed,
 *      SMRR_PHYSBASE then SMRR_PHYSMASK when caps.smrr, IA32_PAT when
 *      caps.pat, IA32_MTRR_DEF_TYPE; each by mtrr__check_write's rules;
 *   2. then the registers the caps lack, which must be zero, in the same
 *      kind order: PHYSBASEn then PHYSMASKn for vcnt <= n < MTRR_VAR_MAX, on
 *      Intel the AMD registers, the fixed MSRs without caps.fixed, the SMRR
 *      pair without caps.smrr, IA32_PAT without caps.pat.
 * Every register mtrr_msr_list would return comes before every register it
 * would not: a present register's fault is the one a VMM restoring the list
 * would hit first.
 */
#include "check.h"

/*
 * Fixed MSRs: bits 7:3 of every byte (a type >= 8; on AMD only 7:5, next to
 * RdMem/WrMem), bits 2:0 of every byte,
 * and after two words are packed into one (the second shifted up by 4), the
 * low bit of each 3-bit field: bits 0 and 4 of every byte.
 */
#define BYTES_HIGH      0xF8F8F8F8F8F8F8F8ull
#define BYTES_LOW       0x0707070707070707ull
#define FIELDS_BIT0     0x1111111111111111ull
#define BYTES_BIT0      0x0101010101010101ull
/* A type field's bits 2:0; bits 7:3 are caught as if reserved (type >= 8). */
#define TYPE_LOW        0x7ull

/*
 * The loops do a few ORs per iteration: unrolled they cost 10-15 % fewer
 * instructions, and gcc -O2 does not unroll them by itself.
 */
#if defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 8)
#  define PRAGMA_(x) _Pragma(#x)
#  define UNROLL(n) PRAGMA_(GCC unroll n)
#else
#  define UNROLL(n)
#endif

bool
mtrr__state_images_ok(const struct mtrr_state *s)
{
	const struct mtrr_caps *c = &s->caps;
	uint64_t phys = MTRR_PHYS_ADDR_MASK(c->phys_bits);
	uint64_t all_ones = ~0ull;
	uint64_t no_wc = c->wc ? 0 : all_ones;
	uint64_t amd_keep = c->vendor == MTRR_VENDOR_AMD ? all_ones : 0;
	uint64_t fixed_bad = !c->fixed ? all_ones :
			     amd_keep ? MTRR_FIXED_AMD_RESERVED : BYTES_HIGH;
	uint64_t smrr_keep = c->smrr ? all_ones : 0;
	uint64_t pat_keep = c->pat ? all_ones : 0;
	uint64_t bases = 0, masks = 0, absent_b = 0, absent_m = 0, fixed = 0;
	uint64_t bad23_7 = 0, bad1 = 0, bad;
	unsigned types = 0, n, i;

	/*
	 * Present pairs: the ORs of all bases and of all masks meet the
	 * reserved-bit tests together; each base's type goes into a bitmap of
	 * the types seen.  The shift takes bits 4:0 (x86 shifts mask the count
	 * that way anyway, so there is no separate AND): a type >= 8 lands on
	 * some bit, but it also sets bits 7:3 of the base, which the "reserved"
	 * test below refuses, so only bits 7:0 of the bitmap are looked at.
	 */
	UNROLL(4)
	for (n = 0; n < c->vcnt; n++) {
		bases |= s->var[n].base;
		masks |= s->var[n].mask;
		types |= 1u << (s->var[n].base & 31u);
	}
	UNROLL(4)
	for (; n < MTRR_VAR_MAX; n++) {         /* absent pairs: all zero */
		absent_b |= s->var[n].base;
		absent_m |= s->var[n].mask;
	}

	/*
	 * Fixed MSRs, sixteen types per step.  Bits 7:3 of every byte meet one
	 * OR.  Bits 2:0 of the bytes of two words are packed into one word as
	 * 3-bit fields at bits 0 and 4 of each byte.  With a, b, c the bits 0,
	 * 1, 2 of a field, it is an invalid type when b & (!c | a) (2, 3, 7) and
	 * WC when a & !b & !c.  Shifting the word by 1 and 2 lines bits 1 and 2
	 * of every field up under its bit 0; what the shifts move elsewhere is
	 * garbage that FIELDS_BIT0 drops at the end.
	 */
	UNROLL(11)
	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		fixed |= s->fixed[i];
	UNROLL(6)
	for (i = 0; i < MTRR_FIXED_MSRS; i += 2) {
		uint64_t w = s->fixed[i] & BYTES_LOW, w1, w2;

		if (i + 1 < MTRR_FIXED_MSRS)    /* constant once unrolled */
			w |= (s->fixed[i + 1] & BYTES_LOW) << 4;
		w1 = w >> 1;
		w2 = w >> 2;
		bad23_7 |= w1 & (w | ~w2);
		bad1 |= w & ~(w1 | w2);
	}

	bad = (bases & ~(phys | TYPE_LOW)) |
	      (masks & ~(phys | MTRR_PHYSMASK_V)) |
	      absent_b | absent_m |
	      (fixed & fixed_bad) |
	      ((bad23_7 | (bad1 & no_wc)) & FIELDS_BIT0) |
	      (s->def_type & (MTRR_DEF_RESERVED | (MTRR_DEF_TYPE_MASK & ~TYPE_LOW))) |
	      (s->smrr_base & ~(smrr_keep & (MTRR_SMRR_ADDR_MASK | TYPE_LOW))) |
	      (s->smrr_mask & ~(smrr_keep & (MTRR_SMRR_ADDR_MASK | MTRR_PHYSMASK_V))) |
	      /*
	       * IA32_PAT: bits 7:3 of each entry reserved (all of it when
	       * absent); with a, b, c bits 0, 1, 2 of an entry, 2 and 3 are
	       * b & !c, found as above on bit 0 of every byte.
	       */
	      (s->pat & ~(pat_keep & BYTES_LOW)) |
	      ((s->pat >> 1) & ~(s->pat >> 2) & BYTES_BIT0) |
	      /* AMD: SYSCFG anything; Intel: all of them zero. */
	      (s->syscfg & ~amd_keep) |
	      ((s->top_mem | s->top_mem2) & ~(amd_keep & MTRR_TOP_MEM_MASK(c->phys_bits))) |
	      ((s->iorr[0].base | s->iorr[1].base) &
	       ~(amd_keep & (phys | MTRR_IORR_RDMEM | MTRR_IORR_WRMEM))) |
	      ((s->iorr[0].mask | s->iorr[1].mask) & ~(amd_keep & (phys | MTRR_IORR_V)));
	/* Zero images (absent SMRR) add type 0, which is always valid. */
	types |= MTRR__BIT(s->def_type & TYPE_LOW) | MTRR__BIT(s->smrr_base & TYPE_LOW);
	return bad == 0 && (types & MTRR__BAD_TYPES(c->wc)) == 0;
}

/* The slow pass: the first bad register in the documented order, or 0. */
static uint32_t
first_bad(const struct mtrr_state *s)
{
	const struct mtrr_caps *c = &s->caps;
	unsigned n, i;

	for (n = 0; n < c->vcnt; n++) {
		if (mtrr__check_write(c, MTRR_MSR_PHYSBASE(n), s->var[n].base) != MTRR_OK)
			return MTRR_MSR_PHYSBASE(n);
		if (mtrr__check_write(c, MTRR_MSR_PHYSMASK(n), s->var[n].mask) != MTRR_OK)
			return MTRR_MSR_PHYSMASK(n);
	}
	if (c->vendor == MTRR_VENDOR_AMD)
		for (i = 0; i < MTRR__AMD_REGS; i++)
			if (mtrr__check_write(c, mtrr__amd_msrs[i],
					      mtrr__get_image(s, mtrr__amd_msrs[i])) != MTRR_OK)
				return mtrr__amd_msrs[i];
	if (c->fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			if (mtrr__check_write(c, mtrr__fixed_msr(i), s->fixed[i]) != MTRR_OK)
				return mtrr__fixed_msr(i);
	if (c->smrr) {
		if (mtrr__check_write(c, MTRR_MSR_SMRR_PHYSBASE, s->smrr_base) != MTRR_OK)
			return MTRR_MSR_SMRR_PHYSBASE;
		if (mtrr__check_write(c, MTRR_MSR_SMRR_PHYSMASK, s->smrr_mask) != MTRR_OK)
			return MTRR_MSR_SMRR_PHYSMASK;
	}
	if (c->pat && mtrr__check_write(c, MTRR_MSR_PAT, s->pat) != MTRR_OK)
		return MTRR_MSR_PAT;
	if (mtrr__check_write(c, MTRR_MSR_DEF_TYPE, s->def_type) != MTRR_OK)
		return MTRR_MSR_DEF_TYPE;

	/* The registers the caps lack must hold zero. */
	for (n = c->vcnt; n < MTRR_VAR_MAX; n++) {
		if (s->var[n].base != 0)
			return MTRR_MSR_PHYSBASE(n);
		if (s->var[n].mask != 0)
			return MTRR_MSR_PHYSMASK(n);
	}
	if (c->vendor != MTRR_VENDOR_AMD)
		for (i = 0; i < MTRR__AMD_REGS; i++)
			if (mtrr__get_image(s, mtrr__amd_msrs[i]) != 0)
				return mtrr__amd_msrs[i];
	if (!c->fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			if (s->fixed[i] != 0)
				return mtrr__fixed_msr(i);
	if (!c->smrr && s->smrr_base != 0)
		return MTRR_MSR_SMRR_PHYSBASE;
	if (!c->smrr && s->smrr_mask != 0)
		return MTRR_MSR_SMRR_PHYSMASK;
	if (!c->pat && s->pat != 0)
		return MTRR_MSR_PAT;
	return 0;
}

mtrr_status
mtrr_state_check(const struct mtrr_state *s, uint32_t *bad_msr)
{
	uint32_t msr;

	if (s == NULL || !mtrr__caps_valid(&s->caps)) {
		if (bad_msr != NULL)
			*bad_msr = 0;
		return MTRR_E_INVALID_ARG;
	}
	if (MTRR_UNLIKELY(!mtrr__state_images_ok(s))) {
		/*
		 * The slow pass is the definition; the fast pass agrees with
		 * it (the tests hold it to that), and if it ever did not, the
		 * slow pass's "nothing bad" is the answer.
		 */
		msr = first_bad(s);
		if (msr != 0) {
			if (bad_msr != NULL)
				*bad_msr = msr;
			return MTRR_E_INVALID_ARG;
		}
	}
	return MTRR_OK;
}
