/*
 * state.c — initialisation and RESET/INIT (SDM "MTRR Initialization"; for the
 * PAT, "Programming the PAT": its power-on value, kept across INIT; on AMD,
 * SYSCFG, whose reset value is 0 in every bit, and TOP_MEM, TOP_MEM2 and the
 * IORRs, which the APM leaves undefined at reset: zero here too).
 */
#include <string.h>

#include "internal.h"

bool
mtrr__caps_valid(const struct mtrr_caps *c)
{
	if (c == NULL || c->vcnt > MTRR_VAR_MAX)
		return false;
	if (c->phys_bits < 32 || c->phys_bits > 52)
		return false;
	if (c->vendor != MTRR_VENDOR_INTEL && c->vendor != MTRR_VENDOR_AMD)
		return false;
	if (c->overlap != MTRR_OVERLAP_UC && c->overlap != MTRR_OVERLAP_WB)
		return false;
	/* caps.pat suits both vendors (IA32_PAT: Pentium III, Athlon and later). */
	/* SMRR is an Intel MSR pair; AMD's SMM ranges are not MTRRs. */
	return !(c->smrr && c->vendor == MTRR_VENDOR_AMD);
}

/*
 * Zeroes every byte of `s`, padding included, then stores the caps field by
 * field (a struct copy would bring the caller's padding bytes along), so two
 * states with equal contents compare equal with memcmp.  With caps.pat the
 * PAT then gets its power-on value: RESET and init both start from there.
 */
static void
zero_keeping_caps(struct mtrr_state *s, const struct mtrr_caps *caps)
{
	struct mtrr_caps c = *caps;

	memset(s, 0, sizeof(*s));
	s->caps.vcnt = c.vcnt;
	s->caps.fixed = c.fixed;
	s->caps.wc = c.wc;
	s->caps.smrr = c.smrr;
	s->caps.phys_bits = c.phys_bits;
	s->caps.vendor = c.vendor;
	s->caps.overlap = c.overlap;
	s->caps.pat = c.pat;
	if (c.pat)
		s->pat = MTRR_PAT_POWER_ON;
}

mtrr_status
mtrr_state_init(struct mtrr_state *s, const struct mtrr_caps *caps)
{
	if (s == NULL || !mtrr__caps_valid(caps))
		return MTRR_E_INVALID_ARG;
	zero_keeping_caps(s, caps);
	return MTRR_OK;
}

void
mtrr_state_reset(struct mtrr_state *s, enum mtrr_reset kind)
{
	if (s == NULL || kind != MTRR_RESET_POWER_ON)
		return;         /* INIT leaves the MTRRs as they are */
	/*
	 * The SDM only promises E, FE and every V clear; the rest is undefined.
	 * Zero it all: a reset vCPU must not carry the previous boot's ranges.
	 * The PAT gets its architectural power-on value.  On AMD, SYSCFG's
	 * VMM-owned bits go to zero with the rest: their reset value too.
	 */
	zero_keeping_caps(s, &s->caps);
}
