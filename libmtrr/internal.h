/*
 * internal.h — helpers shared by the library's files.  Never installed; every
 * name here is hidden (no MTRR_API) and starts with mtrr__.
 */
#ifndef MTRR_INTERNAL_H
#define MTRR_INTERNAL_H

#include "mtrr.h"

/* Bits 7:0 of DEF_TYPE/PHYSBASE, and of each byte of a fixed MSR. */
#define MTRR__TYPE_BITS 0xFFull

/* Where a register lives in struct mtrr_state, decoded from its index. */
enum mtrr__kind {
	MTRR__NOT_MTRR,
	MTRR__CAP,
	MTRR__DEF_TYPE,
	MTRR__FIXED,
	MTRR__PHYSBASE,
	MTRR__PHYSMASK,
	MTRR__SMRR_BASE,
	MTRR__SMRR_MASK
};

struct mtrr__reg {
	enum mtrr__kind kind;
	unsigned index;         /* pair number, or fixed MSR number 0..10 */
};

/* Decodes `msr`; kind MTRR__NOT_MTRR when it is no MTRR MSR at all. */
struct mtrr__reg mtrr__decode(uint32_t msr);

/* The MSR index of fixed MSR number i (0..10), in struct mtrr_state order. */
uint32_t mtrr__fixed_msr(unsigned i);

/* True when `c` describes a processor libmtrr can model. */
bool mtrr__caps_valid(const struct mtrr_caps *c);

/*
 * Every check mtrr_wrmsr makes, without storing anything: MTRR_OK when
 * `value` may be written to `msr` on a processor with caps `c`.
 */
mtrr_status mtrr__check_write(const struct mtrr_caps *c, uint32_t msr, uint64_t value);

/* 1 << type for a valid MTRR type: the type sets below are such bitmaps. */
#define MTRR__BIT(t) (1u << (t))

/* Portable bit counts (the builtins where the compiler has them). */
static inline unsigned
mtrr__popcount(uint64_t x)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_popcountll(x);
#else
	unsigned n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
#endif
}

/* Index of the lowest set bit; x must not be 0. */
static inline unsigned
mtrr__ctz(uint64_t x)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(x);
#else
	unsigned n = 0;
	for (; !(x & 1u); x >>= 1)
		n++;
	return n;
#endif
}

/* Index of the highest set bit; x must not be 0. */
static inline unsigned
mtrr__top_bit(uint64_t x)
{
#if defined(__GNUC__)
	return 63u - (unsigned)__builtin_clzll(x);
#else
	unsigned n = 0;
	while (x >>= 1)
		n++;
	return n;
#endif
}

/*
 * The type a set of matching variable-range types resolves to (SDM "MTRR
 * Precedences"): `set` is a bitmap of MTRR__BIT(type); `def` is the default
 * type for the empty set.
 */
static inline uint8_t
mtrr__combine(unsigned set, uint8_t def, enum mtrr_overlap overlap)
{
	if (set == 0)
		return def;
	if ((set & (set - 1)) == 0)             /* exactly one type */
		return (uint8_t)mtrr__ctz(set);
	if (set & MTRR__BIT(MTRR_TYPE_UC))
		return MTRR_TYPE_UC;
	if (set == (MTRR__BIT(MTRR_TYPE_WT) | MTRR__BIT(MTRR_TYPE_WB)))
		return MTRR_TYPE_WT;
	return overlap == MTRR_OVERLAP_WB ? MTRR_TYPE_WB : MTRR_TYPE_UC;
}

/* Map internals shared by map_build.c and map_lookup.c. */
#define MTRR__FIXED_PAGES 256u  /* 4 KiB pages below 1 MiB */

/* The slot of addr < limit: slot[MTRR_MAP_SLOTS] holds all of [top, limit). */
static inline size_t
mtrr__slot_index(const struct mtrr_map *m, uint64_t addr)
{
	return (size_t)((addr < m->top ? addr : m->top) >> m->shift);
}

/*
 * Scan form: the type of the uniform block [.., *end) that holds addr (an
 * address >= 1 MiB below the limit), found by halving from the whole space.
 */
uint8_t mtrr__scan_block(const struct mtrr_map *m, uint64_t addr, uint64_t *end);

/* Scan form: the type of addr from every kept pair. */
uint8_t mtrr__scan_lookup(const struct mtrr_map *m, uint64_t addr);

#endif
