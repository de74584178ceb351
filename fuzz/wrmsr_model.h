/*
 * wrmsr_model.h — the fuzz targets' own reading of the register table in
 * DESIGN.md (and the check order documented at mtrr_wrmsr): which status a
 * write of `v` to `msr` must get on a processor with caps `c`.  Written from
 * the documentation, not from libmtrr/registers.c, so the msr target can
 * judge mtrr_wrmsr and the snapshot target can predict mtrr_state_load's
 * register checks.  AMD's registers (SYSCFG, TOP_MEM, TOP_MEM2, the IORRs)
 * and the RdMem/WrMem bits of AMD fixed bytes, from the header's words at
 * MTRR_MSR_SYSCFG and mtrr_wrmsr.
 */
#ifndef FUZZ_WRMSR_MODEL_H
#define FUZZ_WRMSR_MODEL_H

#include "mtrr.h"

/* The model's view of an index; written from the SDM table in DESIGN.md. */
enum reg {
	R_NONE, R_CAP, R_DEF, R_BASE, R_MASK, R_FIXED, R_SBASE, R_SMASK,
	R_SYSCFG, R_TOP, R_IBASE, R_IMASK       /* AMD caps only (R_TOP: both) */
};

#define MODEL_MOD_EN (1ull << 19)       /* SYSCFG.MtrrFixDramModEn */
#define MODEL_RDWR 0x1818181818181818ull /* RdMem/WrMem of every fixed byte */

static inline enum reg
classify(uint32_t msr, unsigned *pair)
{
	*pair = 0;
	if (msr >= 0x200u && msr <= 0x24Fu) {
		*pair = (msr - 0x200u) >> 1;
		return (msr & 1u) ? R_MASK : R_BASE;
	}
	if (msr == 0x250u || msr == 0x258u || msr == 0x259u ||
	    (msr >= 0x268u && msr <= 0x26Fu))
		return R_FIXED;
	switch (msr) {
	case 0xFEu: return R_CAP;
	case 0x2FFu: return R_DEF;
	case 0x1F2u: return R_SBASE;
	case 0x1F3u: return R_SMASK;
	case 0xC0010010u: return R_SYSCFG;
	case 0xC001001Au: case 0xC001001Du: return R_TOP;
	case 0xC0010016u: case 0xC0010018u: return R_IBASE;
	case 0xC0010017u: case 0xC0010019u: return R_IMASK;
	default: return R_NONE;
	}
}

static inline int
amd_reg(enum reg r)
{
	return r == R_SYSCFG || r == R_TOP || r == R_IBASE || r == R_IMASK;
}

/*
 * Is `msr` one of the registers libmtrr handles for caps `c` (else
 * MTRR_E_NOT_MTRR)?  The AMD ones only on AMD, IA32_PAT only with caps.pat.
 */
static inline int
model_is_mtrr(const struct mtrr_caps *c, uint32_t msr)
{
	unsigned pair;
	enum reg r = classify(msr, &pair);

	if (msr == 0x277u)
		return c->pat;
	return r != R_NONE && !(amd_reg(r) && c->vendor != MTRR_VENDOR_AMD);
}

static inline int
exists(const struct mtrr_caps *c, enum reg r, unsigned pair)
{
	switch (r) {
	case R_BASE: case R_MASK: return pair < c->vcnt;
	case R_FIXED: return c->fixed;
	case R_SBASE: case R_SMASK: return c->smrr;
	case R_SYSCFG: case R_TOP: case R_IBASE: case R_IMASK:
		return c->vendor == MTRR_VENDOR_AMD;
	default: return r != R_NONE;
	}
}

/* Status of one type field: UC WC WT WP WB only, WC only with the cap. */
static inline mtrr_status
type_status(const struct mtrr_caps *c, uint64_t t)
{
	if (t == 0 || t == 4 || t == 5 || t == 6)
		return MTRR_OK;
	if (t == 1)
		return c->wc ? MTRR_OK : MTRR_E_WC_UNSUPPORTED;
	return MTRR_E_INVALID_TYPE;
}

/*
 * IA32_PAT (0x277), from the header's MTRR_MSR_PAT and mtrr_wrmsr
 * documentation.  It is an MSR of the model only with caps.pat, so classify()
 * leaves it R_NONE and the targets whose caps never have the PAT see no
 * change; with caps.pat, bits 7:3 of an entry are reserved and the entries 2
 * and 3 are no type (WC is fine without MTRRCAP.WC, UC- = 7 is a PAT type).
 */
#define MODEL_MSR_PAT 0x277u

static inline mtrr_status
pat_status(uint64_t v)
{
	unsigned i;

	if (v & 0xF8F8F8F8F8F8F8F8ull)
		return MTRR_E_RESERVED_BIT;
	for (i = 0; i < 8; i++)
		if (((v >> (8 * i)) & 7u) == 2 || ((v >> (8 * i)) & 7u) == 3)
			return MTRR_E_INVALID_TYPE;
	return MTRR_OK;
}

/*
 * The status of a write, in mtrr_wrmsr's documented order: not an MTRR,
 * read-only, absent, reserved bits, then the type fields (of a fixed MSR:
 * an invalid byte anywhere beats WC without the cap).
 */
static inline mtrr_status
expect_write(const struct mtrr_caps *c, uint32_t msr, uint64_t v)
{
	uint64_t addr = ((1ull << c->phys_bits) - 1) & ~0xFFFull;
	uint64_t addr32 = 0xFFFFF000ull;
	mtrr_status worst = MTRR_OK;
	unsigned pair, i;
	enum reg r = classify(msr, &pair);

	if (msr == MODEL_MSR_PAT && c->pat)
		return pat_status(v);
	if (!model_is_mtrr(c, msr))
		return MTRR_E_NOT_MTRR;
	if (r == R_CAP)
		return MTRR_E_READ_ONLY;
	if (!exists(c, r, pair))
		return MTRR_E_ABSENT;
	switch (r) {
	case R_DEF:
		if (v & ~(0xFFull | (1ull << 10) | (1ull << 11)))
			return MTRR_E_RESERVED_BIT;
		return type_status(c, v & 0xFF);
	case R_BASE:
	case R_SBASE:
		if (v & ~((r == R_BASE ? addr : addr32) | 0xFFull))
			return MTRR_E_RESERVED_BIT;
		return type_status(c, v & 0xFF);
	case R_MASK:
	case R_SMASK:
	case R_IMASK:   /* IORRMask: PhysMask, V 11 */
		if (v & ~((r == R_SMASK ? addr32 : addr) | (1ull << 11)))
			return MTRR_E_RESERVED_BIT;
		return MTRR_OK;
	case R_SYSCFG:  /* every value: the VMM's bits are the VMM's */
		return MTRR_OK;
	case R_TOP:     /* an address in MAXPHYADDR-1:23 */
		return (v & ~(addr & ~0x7FFFFFull)) ? MTRR_E_RESERVED_BIT : MTRR_OK;
	case R_IBASE:   /* PhysBase, RdMem 4, WrMem 3 */
		return (v & ~(addr | 0x18ull)) ? MTRR_E_RESERVED_BIT : MTRR_OK;
	default:        /* R_FIXED: an invalid type wins; on AMD 7:5 reserved first */
		if (c->vendor == MTRR_VENDOR_AMD) {
			if (v & 0xE0E0E0E0E0E0E0E0ull)
				return MTRR_E_RESERVED_BIT;
			v &= 0x0707070707070707ull;     /* 4:3 RdMem/WrMem */
		}
		for (i = 0; i < 8; i++) {
			mtrr_status st = type_status(c, (v >> (8 * i)) & 0xFF);
			if (st == MTRR_E_INVALID_TYPE)
				return st;
			if (st != MTRR_OK)
				worst = st;
		}
		return worst;
	}
}

/* AMD, MtrrFixDramModEn clear: a fixed MSR's RdMem/WrMem are hidden. */
static inline int
model_hidden(const struct mtrr_caps *c, uint32_t msr, uint64_t syscfg)
{
	unsigned pair;

	return classify(msr, &pair) == R_FIXED && c->vendor == MTRR_VENDOR_AMD &&
	       !(syscfg & MODEL_MOD_EN);
}

/*
 * The image of `msr` in `s`, by the header's struct layout: what the
 * processor holds, RdMem/WrMem included even while RDMSR hides them.
 */
static inline uint64_t
model_image(const struct mtrr_state *s, uint32_t msr)
{
	unsigned pair, i;

	switch (classify(msr, &pair)) {
	case R_BASE: return s->var[pair].base;
	case R_MASK: return s->var[pair].mask;
	case R_FIXED:
		/* classify() said R_FIXED, so one of the 11 matches (the last by elimination). */
		for (i = 0; i + 1 < MTRR_FIXED_MSRS; i++)
			if (msr == (i == 0 ? 0x250u : i < 3 ? 0x257u + i : 0x265u + i))
				break;
		return s->fixed[i];
	case R_SBASE: return s->smrr_base;
	case R_SMASK: return s->smrr_mask;
	case R_DEF: return s->def_type;
	case R_SYSCFG: return s->syscfg;
	case R_TOP: return msr == 0xC001001Au ? s->top_mem : s->top_mem2;
	case R_IBASE: return s->iorr[(msr - 0xC0010016u) / 2].base;
	case R_IMASK: return s->iorr[(msr - 0xC0010017u) / 2].mask;
	default: return msr == MODEL_MSR_PAT ? s->pat : 0;
	}
}

/*
 * Writes the images (msr[i], v[i]) into `s` through mtrr_wrmsr, RdMem/WrMem
 * included: SYSCFG goes in with MtrrFixDramModEn set and gets its own value
 * last.  1 when every write was accepted.
 */
static inline int
model_write_images(struct mtrr_state *s, const uint32_t *msr, const uint64_t *v, size_t n)
{
	uint64_t syscfg = 0;
	int ok = 1, amd = s->caps.vendor == MTRR_VENDOR_AMD;
	size_t i;

	if (amd)
		ok &= mtrr_wrmsr(s, 0xC0010010u, MODEL_MOD_EN) == MTRR_OK;
	for (i = 0; i < n; i++) {
		if (amd && msr[i] == 0xC0010010u) {
			syscfg = v[i];
			continue;
		}
		ok &= mtrr_wrmsr(s, msr[i], v[i]) == MTRR_OK;
	}
	if (amd)
		ok &= mtrr_wrmsr(s, 0xC0010010u, syscfg) == MTRR_OK;
	return ok;
}

#endif
