/*
 * check.h — register-image checks shared by check.c (mtrr_state_check) and
 * the per-call checks of the reference resolver.  Never installed; names
 * start with mtrr__ and nothing here is exported.
 *
 * The inline helpers answer exactly what mtrr__check_write answers for a
 * present register, without its decoding: they are for callers that read a
 * handful of images and must stay cheap.
 */
#ifndef MTRR_CHECK_H
#define MTRR_CHECK_H

#include "internal.h"

/*
 * Of the type values 0..7, the ones that are not MTRR types for caps with
 * (or without) WC, as a bitmap of MTRR__BIT(type): 2, 3 and 7 always, 1 (WC)
 * without MTRRCAP.WC.  Every value >= 8 is invalid as well.
 */
#define MTRR__BAD_TYPES_WC   (MTRR__BIT(2) | MTRR__BIT(3) | MTRR__BIT(7))
#define MTRR__BAD_TYPES(wc)  (MTRR__BAD_TYPES_WC | ((wc) ? 0u : MTRR__BIT(MTRR_TYPE_WC)))

/* True when type field `t` (0..255) holds a type mtrr_wrmsr accepts. */
static inline bool
mtrr__type_ok(const struct mtrr_caps *c, uint64_t t)
{
	return t < 8 && (MTRR__BIT(t) & MTRR__BAD_TYPES(c->wc)) == 0;
}

/*
 * The memory type in fixed-range byte `b`: the whole byte on Intel, bits 2:0
 * on AMD (4:3 are RdMem/WrMem, 7:5 reserved).
 */
static inline uint8_t
mtrr__fixed_type(const struct mtrr_caps *c, uint8_t b)
{
	return c->vendor == MTRR_VENDOR_AMD ? (uint8_t)(b & 7u) : b;
}

/* Fixed-range byte `b` is one mtrr_wrmsr accepts (a type; on AMD 7:5 clear). */
static inline bool
mtrr__fixed_byte_ok(const struct mtrr_caps *c, uint8_t b)
{
	if (c->vendor == MTRR_VENDOR_AMD && (b & 0xE0u) != 0)
		return false;
	return mtrr__type_ok(c, mtrr__fixed_type(c, b));
}

/* IA32_MTRR_DEF_TYPE image `v` is one mtrr_wrmsr accepts. */
static inline bool
mtrr__def_type_ok(const struct mtrr_caps *c, uint64_t v)
{
	return (v & MTRR_DEF_RESERVED) == 0 && mtrr__type_ok(c, v & MTRR_DEF_TYPE_MASK);
}

/*
 * The images of a present variable pair are ones mtrr_wrmsr accepts; `phys`
 * is MTRR_PHYS_ADDR_MASK(c->phys_bits).
 */
static inline bool
mtrr__pair_ok(const struct mtrr_caps *c, uint64_t phys, uint64_t base, uint64_t mask)
{
	return (base & ~(phys | MTRR_PHYSBASE_TYPE_MASK)) == 0 &&
	       (mask & ~(phys | MTRR_PHYSMASK_V)) == 0 &&
	       mtrr__type_ok(c, base & MTRR_PHYSBASE_TYPE_MASK);
}

/* TOP_MEM or TOP_MEM2 image `v` is one mtrr_wrmsr accepts. */
static inline bool
mtrr__top_mem_ok(const struct mtrr_caps *c, uint64_t v)
{
	return (v & ~MTRR_TOP_MEM_MASK(c->phys_bits)) == 0;
}

/* The images of IORR pair (base, mask) are ones mtrr_wrmsr accepts. */
static inline bool
mtrr__iorr_ok(uint64_t phys, uint64_t base, uint64_t mask)
{
	return (base & ~(phys | MTRR_IORR_RDMEM | MTRR_IORR_WRMEM)) == 0 &&
	       (mask & ~(phys | MTRR_IORR_V)) == 0;
}

/*
 * mtrr_state_check's fast path: true when every image of `s` (whose caps are
 * valid) is one mtrr_wrmsr could have stored and every register the caps
 * lack is zero.  Exactly mtrr_state_check's verdict; it only does not say
 * which register is bad.  Declared here so the tests can hold it to that.
 */
bool mtrr__state_images_ok(const struct mtrr_state *s);

#endif
