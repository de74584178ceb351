/*
 * fuzz_state.h — the input encoding shared by the fuzz targets and by the
 * seed corpus generator (gen_corpus.c): caps, and MTRR writes shaped so that
 * most of them are accepted.  Random 64-bit values almost never pass the
 * reserved-bit checks, so a target that wants interesting states must build
 * them from fields; the raw form keeps every value reachable.
 *
 * Caps, 3 bytes:
 *   vcnt      byte % 41 (strict) or byte % 48 (loose: 41..47 are invalid)
 *   flags     bit 0 FIX, 1 WC, 2 SMRR, 3 AMD, 4 overlap WB;
 *             loose only: bit 5 bad vendor enum, bit 6 bad overlap enum
 *   phys      32 + byte % 21 (strict) or 28 + byte % 28 (loose)
 *   Strict caps are always valid (SMRR is dropped for AMD).
 *
 * A write op starts with a kind byte (kind % 5):
 *   0 VAR    pair, tsel, shape, base (u64), xmask (u64): writes PHYSBASE and
 *            PHYSMASK of pair (pair % vcnt).  type = tsel % 16 through
 *            fuzz_type(); tsel bit 4 keeps the base bits outside the mask
 *            (below the alignment), else they are cleared.  The mask is the
 *            contiguous mask of a 2^k block, k = 12 + (shape & 63) %
 *            (phys - 11), XOR xmask: xmask 0 is an ordinary power-of-two
 *            range, anything else a non-contiguous mask.  shape bit 7
 *            clears V.
 *   1 FIXED  index (% 11), then 8 type selectors, one per byte
 *   2 DEF    b: type = fuzz_type(b & 15), bit 4 FE, bit 5 E
 *   3 RAW    msr (u32), value (u64): written as is
 *   4 BLOCK  pair, tsel, shape, index (u16): the compact form of VAR for an
 *            ordinary aligned block, base = index << k (masked to phys), so
 *            that overlapping ranges take five bytes, not twenty
 */
#ifndef FUZZ_STATE_H
#define FUZZ_STATE_H

#include <string.h>

#include "fuzz_helpers.h"
#include "mtrr.h"

enum { FUZZ_OP_VAR, FUZZ_OP_FIXED, FUZZ_OP_DEF, FUZZ_OP_RAW, FUZZ_OP_BLOCK, FUZZ_OP_KINDS };

/* The five MTRR types; every selector value picks one. */
static inline uint8_t
fuzz_type(unsigned sel)
{
	switch (sel % 5u) {
	case 0: return MTRR_TYPE_UC;
	case 1: return MTRR_TYPE_WC;
	case 2: return MTRR_TYPE_WT;
	case 3: return MTRR_TYPE_WP;
	default: return MTRR_TYPE_WB;
	}
}

/* The selector of a valid type (the inverse of fuzz_type), 0 otherwise. */
static inline uint8_t
fuzz_type_sel(uint8_t type)
{
	switch (type) {
	case MTRR_TYPE_WC: return 1;
	case MTRR_TYPE_WT: return 2;
	case MTRR_TYPE_WP: return 3;
	case MTRR_TYPE_WB: return 4;
	default: return 0;
	}
}

/* The MSR index of fixed MSR i (0..10), in struct mtrr_state order. */
static inline uint32_t
fuzz_fixed_msr(unsigned i)
{
	if (i == 0)
		return MTRR_MSR_FIX64K_00000;
	if (i < 3)
		return MTRR_MSR_FIX16K_80000 + (i - 1u);
	return MTRR_MSR_FIX4K_C0000 + (i - 3u);
}

static inline void
fuzz_caps(struct fuzz_in *in, struct mtrr_caps *c, int strict)
{
	uint8_t vcnt = fuzz_u8(in), flags = fuzz_u8(in), phys = fuzz_u8(in);

	memset(c, 0, sizeof(*c));
	c->vcnt = vcnt % (strict ? 41u : 48u);
	c->fixed = (flags & 1u) != 0;
	c->wc = (flags & 2u) != 0;
	c->smrr = (flags & 4u) != 0;
	c->vendor = (flags & 8u) ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL;
	c->overlap = (flags & 16u) ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
	c->phys_bits = strict ? 32u + phys % 21u : 28u + phys % 28u;
	if (strict) {
		if (c->vendor == MTRR_VENDOR_AMD)
			c->smrr = false;
		return;
	}
	if (flags & 32u)
		c->vendor = (enum mtrr_vendor)2;
	if (flags & 64u)
		c->overlap = (enum mtrr_overlap)2;
}

/* The contiguous PHYSMASK of a 2^k block (k = phys_bits: mask 0, all memory). */
static inline uint64_t
fuzz_block_mask(unsigned phys_bits, unsigned k)
{
	return MTRR_PHYS_ADDR_MASK(phys_bits) & ~((1ull << k) - 1u);
}

/*
 * Decodes one write op into at most two (msr, value) writes; returns how
 * many.  `c` must be valid (phys_bits 32..52).
 */
static inline unsigned
fuzz_write_op(struct fuzz_in *in, const struct mtrr_caps *c, uint32_t msr[2],
              uint64_t val[2])
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(c->phys_bits);
	unsigned i, kind = fuzz_u8(in) % FUZZ_OP_KINDS;

	switch (kind) {
	case FUZZ_OP_VAR:
	case FUZZ_OP_BLOCK: {
		unsigned pair = fuzz_u8(in), tsel = fuzz_u8(in), shape = fuzz_u8(in);
		unsigned k = 12u + (shape & 63u) % (c->phys_bits - 11u);
		uint64_t base, mask = fuzz_block_mask(c->phys_bits, k);

		if (kind == FUZZ_OP_BLOCK) {
			base = (fuzz_le(in, 2) << k) & phys;
		} else {
			base = fuzz_u64(in) & phys;
			mask ^= fuzz_u64(in) & phys;
			if (!(tsel & 16u))
				base &= mask;
		}
		pair %= c->vcnt ? c->vcnt : MTRR_VAR_MAX;
		msr[0] = MTRR_MSR_PHYSBASE(pair);
		val[0] = base | fuzz_type(tsel & 15u);
		msr[1] = MTRR_MSR_PHYSMASK(pair);
		val[1] = mask | ((shape & 128u) ? 0 : MTRR_PHYSMASK_V);
		return 2;
	}
	case FUZZ_OP_FIXED:
		msr[0] = fuzz_fixed_msr(fuzz_u8(in) % MTRR_FIXED_MSRS);
		val[0] = 0;
		for (i = 0; i < 8; i++)
			val[0] |= (uint64_t)fuzz_type(fuzz_u8(in)) << (8 * i);
		return 1;
	case FUZZ_OP_DEF: {
		unsigned b = fuzz_u8(in);

		msr[0] = MTRR_MSR_DEF_TYPE;
		val[0] = fuzz_type(b & 15u) | ((b & 16u) ? MTRR_DEF_FE : 0) |
			 ((b & 32u) ? MTRR_DEF_E : 0);
		return 1;
	}
	default:
		msr[0] = fuzz_u32(in);
		val[0] = fuzz_u64(in);
		return 1;
	}
}

/*
 * Applies one write op to `s` through mtrr_wrmsr; a rejected write changes
 * nothing, so `s` stays a state the library could reach.  Returns the number
 * of writes accepted.
 */
static inline unsigned
fuzz_apply_op(struct fuzz_in *in, struct mtrr_state *s)
{
	uint32_t msr[2];
	uint64_t val[2];
	unsigned i, n = fuzz_write_op(in, &s->caps, msr, val), ok = 0;

	for (i = 0; i < n; i++)
		ok += mtrr_wrmsr(s, msr[i], val[i]) == MTRR_OK;
	return ok;
}

/*
 * Caps (strict), a count byte (% 64) and that many write ops: a legal state.
 */
static inline void
fuzz_build_state(struct fuzz_in *in, struct mtrr_state *s)
{
	struct mtrr_caps caps;
	unsigned n;

	fuzz_caps(in, &caps, 1);
	FUZZ_ASSERT(mtrr_state_init(s, &caps) == MTRR_OK);
	for (n = fuzz_u8(in) % 64u; n > 0; n--)
		fuzz_apply_op(in, s);
}

#endif
