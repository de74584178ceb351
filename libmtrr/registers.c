/*
 * registers.c — RDMSR and WRMSR with the architectural #GP checks (SDM
 * "MTRR Feature Identification", "IA32_MTRR_DEF_TYPE MSR", "Fixed Range MTRRs",
 * "Variable Range MTRRs", "System-Management Range Register Interface", and
 * for IA32_PAT "IA32_PAT MSR" and "Programming the PAT"; on AMD, APM Vol. 2
 * "System Configuration Register (SYSCFG)", "Extended Fixed-Range MTRR
 * Type-Field Encodings", "IORRs" and "Top of Memory").
 *
 * AMD's RdMem/WrMem bits are the one place where a write's effect depends
 * on another register: while SYSCFG.MtrrFixDramModEn is clear they are
 * hidden (read as zero, kept on write).  The image always holds the hidden
 * value, so whether an image is valid never depends on SYSCFG; only what
 * RDMSR shows and what WRMSR keeps do.
 */
#include <string.h>

#include "internal.h"

static const uint32_t fixed_msrs[MTRR_FIXED_MSRS] = {
	MTRR_MSR_FIX64K_00000, MTRR_MSR_FIX16K_80000, MTRR_MSR_FIX16K_A0000,
	MTRR_MSR_FIX4K_C0000, MTRR_MSR_FIX4K_C8000, MTRR_MSR_FIX4K_D0000,
	MTRR_MSR_FIX4K_D8000, MTRR_MSR_FIX4K_E0000, MTRR_MSR_FIX4K_E8000,
	MTRR_MSR_FIX4K_F0000, MTRR_MSR_FIX4K_F8000,
};

uint32_t
mtrr__fixed_msr(unsigned i)
{
	return fixed_msrs[i];
}

const uint32_t mtrr__amd_msrs[MTRR__AMD_REGS] = {
	MTRR_MSR_IORR_BASE(0), MTRR_MSR_IORR_MASK(0), MTRR_MSR_IORR_BASE(1),
	MTRR_MSR_IORR_MASK(1), MTRR_MSR_TOP_MEM, MTRR_MSR_TOP_MEM2, MTRR_MSR_SYSCFG,
};

struct mtrr__reg
mtrr__decode(uint32_t msr)
{
	struct mtrr__reg r = { MTRR__NOT_MTRR, 0 };
	unsigned i;

	if (msr >= MTRR_MSR_PHYSBASE0 && msr < MTRR_MSR_PHYSBASE(MTRR_VAR_MAX)) {
		r.kind = (msr & 1u) ? MTRR__PHYSMASK : MTRR__PHYSBASE;
		r.index = (msr - MTRR_MSR_PHYSBASE0) / 2u;
		return r;
	}
	for (i = 0; i < MTRR_FIXED_MSRS; i++) {
		if (msr == fixed_msrs[i]) {
			r.kind = MTRR__FIXED;
			r.index = i;
			return r;
		}
	}
	switch (msr) {
	case MTRR_MSR_CAP: r.kind = MTRR__CAP; break;
	case MTRR_MSR_DEF_TYPE: r.kind = MTRR__DEF_TYPE; break;
	case MTRR_MSR_SMRR_PHYSBASE: r.kind = MTRR__SMRR_BASE; break;
	case MTRR_MSR_SMRR_PHYSMASK: r.kind = MTRR__SMRR_MASK; break;
	case MTRR_MSR_PAT: r.kind = MTRR__PAT; break;
	case MTRR_MSR_SYSCFG: r.kind = MTRR__SYSCFG; break;
	case MTRR_MSR_TOP_MEM: r.kind = MTRR__TOP_MEM; break;
	case MTRR_MSR_TOP_MEM2: r.kind = MTRR__TOP_MEM2; break;
	case MTRR_MSR_IORR_BASE(0): case MTRR_MSR_IORR_BASE(1):
		r.kind = MTRR__IORR_BASE;
		r.index = (msr - MTRR_MSR_IORR_BASE(0)) / 2u;
		break;
	case MTRR_MSR_IORR_MASK(0): case MTRR_MSR_IORR_MASK(1):
		r.kind = MTRR__IORR_MASK;
		r.index = (msr - MTRR_MSR_IORR_MASK(0)) / 2u;
		break;
	default: break;
	}
	return r;
}

/*
 * mtrr__decode for a processor with caps `c`.  Without caps.pat, IA32_PAT is
 * not ours: the status is MTRR_E_NOT_MTRR, not MTRR_E_ABSENT, so a VMM that
 * emulates the PAT itself (or lacks it) keeps handling the MSR as before.
 * The AMD registers on Intel caps likewise: a real Intel processor raises
 * #GP on them, but they are no MTRRs there, and a VMM may model them (or
 * ignore them, as KVM does with unknown MSRs) as it chooses.
 */
static struct mtrr__reg
decode_for(const struct mtrr_caps *c, uint32_t msr)
{
	struct mtrr__reg r = mtrr__decode(msr);

	if ((r.kind == MTRR__PAT && !c->pat) ||
	    (mtrr__kind_amd(r.kind) && c->vendor != MTRR_VENDOR_AMD))
		r.kind = MTRR__NOT_MTRR;
	return r;
}

static bool
present(const struct mtrr_caps *c, struct mtrr__reg r)
{
	switch (r.kind) {
	case MTRR__FIXED:
		return c->fixed;
	case MTRR__PHYSBASE:
	case MTRR__PHYSMASK:
		return r.index < c->vcnt;
	case MTRR__SMRR_BASE:
	case MTRR__SMRR_MASK:
		return c->smrr;
	case MTRR__PAT:
		return c->pat;
	default:
		return true;    /* MTRRCAP, DEF_TYPE, and the AMD registers on AMD */
	}
}

/* The #GP status of one type field, or MTRR_OK. */
static mtrr_status
check_type(const struct mtrr_caps *c, uint64_t t)
{
	switch (t) {
	case MTRR_TYPE_WC:
		return c->wc ? MTRR_OK : MTRR_E_WC_UNSUPPORTED;
	case MTRR_TYPE_UC:
	case MTRR_TYPE_WT:
	case MTRR_TYPE_WP:
	case MTRR_TYPE_WB:
		return MTRR_OK;
	default:
		return MTRR_E_INVALID_TYPE;
	}
}

/*
 * The eight bytes of a fixed MSR: an invalid type anywhere wins over WC
 * without the cap anywhere, so the status does not depend on byte order.
 * On AMD a byte is reserved 7:5, RdMem 4, WrMem 3, type 2:0, and a reserved
 * bit anywhere wins over both (the order of mtrr_wrmsr's checks).
 */
static mtrr_status
check_fixed(const struct mtrr_caps *c, uint64_t v)
{
	mtrr_status worst = MTRR_OK;
	unsigned i;

	if (c->vendor == MTRR_VENDOR_AMD) {
		if (v & MTRR_FIXED_AMD_RESERVED)
			return MTRR_E_RESERVED_BIT;
		v &= MTRR_FIXED_TYPE_BITS;
	}
	for (i = 0; i < 8; i++) {
		mtrr_status st = check_type(c, (v >> (8 * i)) & MTRR__TYPE_BITS);
		if (st == MTRR_E_INVALID_TYPE)
			return st;
		if (st != MTRR_OK)
			worst = st;
	}
	return worst;
}

mtrr_status
mtrr__check_write(const struct mtrr_caps *c, uint32_t msr, uint64_t v)
{
	struct mtrr__reg r = decode_for(c, msr);
	uint64_t phys = MTRR_PHYS_ADDR_MASK(c->phys_bits);

	if (r.kind == MTRR__NOT_MTRR)
		return MTRR_E_NOT_MTRR;
	if (r.kind == MTRR__CAP)
		return MTRR_E_READ_ONLY;
	if (!present(c, r))
		return MTRR_E_ABSENT;
	switch (r.kind) {
	case MTRR__DEF_TYPE:
		if (v & MTRR_DEF_RESERVED)
			return MTRR_E_RESERVED_BIT;
		return check_type(c, v & MTRR_DEF_TYPE_MASK);
	case MTRR__FIXED:
		return check_fixed(c, v);       /* no reserved bits, only types */
	case MTRR__PHYSBASE:
		if (v & ~(phys | MTRR_PHYSBASE_TYPE_MASK))
			return MTRR_E_RESERVED_BIT;
		return check_type(c, v & MTRR_PHYSBASE_TYPE_MASK);
	case MTRR__PHYSMASK:
		return (v & ~(phys | MTRR_PHYSMASK_V)) ? MTRR_E_RESERVED_BIT : MTRR_OK;
	case MTRR__SMRR_BASE:
		if (v & ~(MTRR_SMRR_ADDR_MASK | MTRR_PHYSBASE_TYPE_MASK))
			return MTRR_E_RESERVED_BIT;
		return check_type(c, v & MTRR_PHYSBASE_TYPE_MASK);
	case MTRR__PAT:
		return mtrr__pat_check(v);      /* pat.c */
	case MTRR__SMRR_MASK:
		return (v & ~(MTRR_SMRR_ADDR_MASK | MTRR_PHYSMASK_V)) ?
		       MTRR_E_RESERVED_BIT : MTRR_OK;
	case MTRR__SYSCFG:
		return MTRR_OK;                 /* every value: see MTRR_MSR_SYSCFG */
	case MTRR__TOP_MEM:
	case MTRR__TOP_MEM2:
		return (v & ~MTRR_TOP_MEM_MASK(c->phys_bits)) ? MTRR_E_RESERVED_BIT : MTRR_OK;
	case MTRR__IORR_BASE:
		return (v & ~(phys | MTRR_IORR_RDMEM | MTRR_IORR_WRMEM)) ?
		       MTRR_E_RESERVED_BIT : MTRR_OK;
	default: /* MTRR__IORR_MASK */
		return (v & ~(phys | MTRR_IORR_V)) ? MTRR_E_RESERVED_BIT : MTRR_OK;
	}
}

_Static_assert(sizeof(((struct mtrr_state *)0)->var[0]) == 2 * sizeof(uint64_t),
	       "a variable pair is two adjacent images");

/* Where the image of a writable register (present or not) sits in the state. */
static size_t
image_offset(struct mtrr__reg r)
{
	switch (r.kind) {
	case MTRR__FIXED:
		return offsetof(struct mtrr_state, fixed) + r.index * sizeof(uint64_t);
	case MTRR__PHYSBASE:
		return offsetof(struct mtrr_state, var) + r.index * 2 * sizeof(uint64_t);
	case MTRR__PHYSMASK:
		return offsetof(struct mtrr_state, var) + (r.index * 2 + 1) * sizeof(uint64_t);
	case MTRR__SMRR_BASE: return offsetof(struct mtrr_state, smrr_base);
	case MTRR__SMRR_MASK: return offsetof(struct mtrr_state, smrr_mask);
	case MTRR__PAT: return offsetof(struct mtrr_state, pat);
	case MTRR__SYSCFG: return offsetof(struct mtrr_state, syscfg);
	case MTRR__TOP_MEM: return offsetof(struct mtrr_state, top_mem);
	case MTRR__TOP_MEM2: return offsetof(struct mtrr_state, top_mem2);
	case MTRR__IORR_BASE:
		return offsetof(struct mtrr_state, iorr) + r.index * 2 * sizeof(uint64_t);
	case MTRR__IORR_MASK:
		return offsetof(struct mtrr_state, iorr) + (r.index * 2 + 1) * sizeof(uint64_t);
	default: return offsetof(struct mtrr_state, def_type);
	}
}

uint64_t
mtrr__get_image(const struct mtrr_state *s, uint32_t msr)
{
	uint64_t v;

	memcpy(&v, (const unsigned char *)s + image_offset(mtrr__decode(msr)), sizeof(v));
	return v;
}

void
mtrr__put_image(struct mtrr_state *s, uint32_t msr, uint64_t v)
{
	memcpy((unsigned char *)s + image_offset(mtrr__decode(msr)), &v, sizeof(v));
}

/* AMD with SYSCFG.MtrrFixDramModEn clear: RdMem/WrMem are hidden. */
static bool
rdwr_hidden(const struct mtrr_state *s, struct mtrr__reg r)
{
	return r.kind == MTRR__FIXED && s->caps.vendor == MTRR_VENDOR_AMD &&
	       !(s->syscfg & MTRR_SYSCFG_FIX_DRAM_MOD_EN);
}

mtrr_status
mtrr_rdmsr(const struct mtrr_state *s, uint32_t msr, uint64_t *value)
{
	struct mtrr__reg r;
	uint64_t image;

	if (s == NULL || value == NULL || !mtrr__caps_valid(&s->caps))
		return MTRR_E_INVALID_ARG;
	r = decode_for(&s->caps, msr);
	if (r.kind == MTRR__NOT_MTRR)
		return MTRR_E_NOT_MTRR;
	if (r.kind == MTRR__CAP) {
		*value = (uint64_t)s->caps.vcnt |
			 (s->caps.fixed ? MTRR_CAP_FIX : 0) |
			 (s->caps.wc ? MTRR_CAP_WC : 0) |
			 (s->caps.smrr ? MTRR_CAP_SMRR : 0);
		return MTRR_OK;
	}
	/*
	 * A state filled by hand may hold an image mtrr_wrmsr would have
	 * refused, or a non-zero image where the caps have no register:
	 * refuse it rather than hand it to the guest (or report the absent
	 * register as merely absent).
	 */
	image = mtrr__get_image(s, msr);
	if (!present(&s->caps, r))
		return image == 0 ? MTRR_E_ABSENT : MTRR_E_INVALID_ARG;
	if (mtrr__check_write(&s->caps, msr, image) != MTRR_OK)
		return MTRR_E_INVALID_ARG;
	/* APM, SYSCFG: with MtrrFixDramModEn clear RdMem/WrMem read as zero. */
	*value = rdwr_hidden(s, r) ? image & ~MTRR_FIXED_RDWR_BITS : image;
	return MTRR_OK;
}

mtrr_status
mtrr_wrmsr(struct mtrr_state *s, uint32_t msr, uint64_t value)
{
	mtrr_status st;

	/* Caps that init would refuse mean `s` was never initialised. */
	if (s == NULL || !mtrr__caps_valid(&s->caps))
		return MTRR_E_INVALID_ARG;
	st = mtrr__check_write(&s->caps, msr, value);
	if (st != MTRR_OK)
		return st;
	/* APM, SYSCFG: with MtrrFixDramModEn clear, writes leave RdMem/WrMem be. */
	if (rdwr_hidden(s, mtrr__decode(msr)))
		value = (value & ~MTRR_FIXED_RDWR_BITS) |
			(mtrr__get_image(s, msr) & MTRR_FIXED_RDWR_BITS);
	mtrr__put_image(s, msr, value);
	return MTRR_OK;
}
