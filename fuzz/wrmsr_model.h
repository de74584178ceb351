/*
 * wrmsr_model.h — the fuzz targets' own reading of the register table in
 * DESIGN.md (and the check order documented at mtrr_wrmsr): which status a
 * write of `v` to `msr` must get on a processor with caps `c`.  Written from
 * the documentation, not from libmtrr/registers.c, so the msr target can
 * judge mtrr_wrmsr and the snapshot target can predict mtrr_state_load's
 * register checks.
 */
#ifndef FUZZ_WRMSR_MODEL_H
#define FUZZ_WRMSR_MODEL_H

#include "mtrr.h"

/* The model's view of an index; written from the SDM table in DESIGN.md. */
enum reg { R_NONE, R_CAP, R_DEF, R_BASE, R_MASK, R_FIXED, R_SBASE, R_SMASK };

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
	default: return R_NONE;
	}
}

static inline int
exists(const struct mtrr_caps *c, enum reg r, unsigned pair)
{
	switch (r) {
	case R_BASE: case R_MASK: return pair < c->vcnt;
	case R_FIXED: return c->fixed;
	case R_SBASE: case R_SMASK: return c->smrr;
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
	if (r == R_NONE)
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
		if (v & ~((r == R_MASK ? addr : addr32) | (1ull << 11)))
			return MTRR_E_RESERVED_BIT;
		return MTRR_OK;
	default:        /* R_FIXED: no reserved bits; an invalid type wins */
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

#endif
