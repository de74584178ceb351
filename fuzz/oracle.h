/*
 * oracle.h — a second resolver, written from DESIGN.md's "Resolution of a
 * physical address" and the SDM's "MTRR Precedences", sharing nothing with
 * the library: no internal.h, no type-set bitmap, no combine table, no
 * fixed-range decoding of libmtrr/ref.c.  The fuzz targets check the compiled
 * map AND mtrr_ref_lookup against it, so a precedence bug in the one helper
 * both of them use cannot pass unseen.
 *
 * How it differs on purpose:
 *   - the matching variable ranges are COUNTED per type (how many pairs of
 *     each type match), and the rules are read off the counts: "some UC",
 *     "exactly the two types WT and WB", "one distinct type";
 *   - the fixed ranges are a table of (first address, bytes, bytes' size)
 *     searched by address, instead of arithmetic on the address's bits;
 *   - a type field that is not an MTRR type, a state whose caps are not ones
 *     mtrr_state_init accepts, an address at or above 2^phys_bits: INVALID.
 *
 * AMD, from the header's words: a fixed byte's type is its bits 2:0 (bits
 * 4:3 are RdMem/WrMem, 7:5 reserved: INVALID when set); with SYSCFG bits 21
 * (MtrrTom2En) and 22 (Tom2ForceMemTypeWB) the default of [4 GiB, TOP_MEM2)
 * is WB, TOP_MEM2 an address in bits width-1:23 (INVALID when other bits
 * are set).
 *
 * Header-only and static, for the fuzz targets and for tests/test_oracle.c.
 */
#ifndef FUZZ_ORACLE_H
#define FUZZ_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include "mtrr.h"

/* The eleven fixed-range MSRs: 8 bytes each, byte i types [first + i*size, ...). */
static const struct oracle_fixed {
	uint32_t first;         /* the address byte 0 types */
	uint32_t size;          /* bytes per type byte: 64, 16 or 4 KiB */
} oracle_fixed_msrs[MTRR_FIXED_MSRS] = {
	{ 0x00000, 0x10000 },   /* IA32_MTRR_FIX64K_00000 */
	{ 0x80000, 0x4000 },    /* IA32_MTRR_FIX16K_80000 */
	{ 0xA0000, 0x4000 },    /* IA32_MTRR_FIX16K_A0000 */
	{ 0xC0000, 0x1000 },    /* IA32_MTRR_FIX4K_C0000 */
	{ 0xC8000, 0x1000 },
	{ 0xD0000, 0x1000 },
	{ 0xD8000, 0x1000 },
	{ 0xE0000, 0x1000 },
	{ 0xE8000, 0x1000 },
	{ 0xF0000, 0x1000 },
	{ 0xF8000, 0x1000 },    /* IA32_MTRR_FIX4K_F8000 */
};

/* 1 for the five MTRR types UC WC WT WP WB, 0 for anything else. */
static inline int
oracle_is_type(unsigned t)
{
	return t == MTRR_TYPE_UC || t == MTRR_TYPE_WC || t == MTRR_TYPE_WT ||
	       t == MTRR_TYPE_WP || t == MTRR_TYPE_WB;
}

/*
 * The rule of step 3 on the per-type match counts count[0..7] (index = the
 * type's encoding): the default when nothing matched, the type when only
 * one type matched (however many pairs), UC whenever a UC pair matched, WT
 * for exactly {WT, WB}, and the overlap policy for every other set.
 */
static inline uint8_t
oracle_decide(const unsigned count[8], uint8_t def, enum mtrr_overlap overlap)
{
	unsigned distinct = 0, t, only = 0;

	for (t = 0; t < 8; t++) {
		if (count[t] != 0) {
			distinct++;
			only = t;
		}
	}
	if (distinct == 0)
		return def;
	if (distinct == 1)
		return (uint8_t)only;
	if (count[MTRR_TYPE_UC] != 0)
		return MTRR_TYPE_UC;
	if (distinct == 2 && count[MTRR_TYPE_WT] != 0 && count[MTRR_TYPE_WB] != 0)
		return MTRR_TYPE_WT;
	return overlap == MTRR_OVERLAP_WB ? MTRR_TYPE_WB : MTRR_TYPE_UC;
}

/* The fixed-range type byte covering addr < 1 MiB. */
static inline uint8_t
oracle_fixed_type(const struct mtrr_state *s, uint64_t addr)
{
	unsigned i;

	for (i = 0; i < MTRR_FIXED_MSRS; i++) {
		uint64_t first = oracle_fixed_msrs[i].first;
		uint64_t size = oracle_fixed_msrs[i].size;

		if (addr >= first && addr < first + 8 * size) {
			uint64_t byte = (addr - first) / size;

			return (uint8_t)(s->fixed[i] >> (8 * byte));
		}
	}
	return MTRR_TYPE_INVALID;       /* not reached below 1 MiB */
}

/* The memory type of physical address addr in state s. */
static inline uint8_t
oracle_lookup(const struct mtrr_state *s, uint64_t addr)
{
	unsigned count[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	unsigned width, n;
	uint64_t cmp;
	uint8_t def, t;

	if (s == NULL)
		return MTRR_TYPE_INVALID;
	width = s->caps.phys_bits;
	if (width < 32 || width > 52 || s->caps.vcnt > MTRR_VAR_MAX)
		return MTRR_TYPE_INVALID;
	if (addr >= (1ull << width))
		return MTRR_TYPE_INVALID;

	/* 1. IA32_MTRR_DEF_TYPE.E (bit 11) clear: UC, nothing else counts. */
	if (((s->def_type >> 11) & 1u) == 0)
		return MTRR_TYPE_UC;

	/* 2. The first MiB, FE (bit 10) set on a processor with fixed MTRRs. */
	if (addr < 0x100000 && ((s->def_type >> 10) & 1u) != 0 && s->caps.fixed) {
		t = oracle_fixed_type(s, addr);
		if (s->caps.vendor == MTRR_VENDOR_AMD)         /* 7:5 0, 4:3 route */
			t = (t >> 5) != 0 ? 0xFF : (uint8_t)(t % 8);
		return oracle_is_type(t) ? t : MTRR_TYPE_INVALID;
	}

	/* 3. Count the matching valid pairs per type; compare bits width-1:12. */
	cmp = ((1ull << width) - 1) & ~(uint64_t)0xFFF;
	for (n = 0; n < s->caps.vcnt; n++) {
		uint64_t mask = s->var[n].mask, base = s->var[n].base;

		if (((mask >> 11) & 1u) == 0)
			continue;
		if (((addr ^ base) & mask & cmp) != 0)
			continue;
		t = (uint8_t)base;
		if (!oracle_is_type(t))
			return MTRR_TYPE_INVALID;
		count[t]++;
	}
	def = (uint8_t)s->def_type;
	if (!oracle_is_type(def))
		return MTRR_TYPE_INVALID;
	/* AMD Tom2ForceMemTypeWB: WB, not the default, in [4 GiB, TOP_MEM2). */
	for (t = 0, n = 0; t < 8; t++)
		n += count[t];
	if (n == 0 && s->caps.vendor == MTRR_VENDOR_AMD && ((s->syscfg >> 21) & 3u) == 3u &&
	    addr >= 0x100000000ull) {
		if ((s->top_mem2 & ~(((1ull << width) - 1) & ~0x7FFFFFull)) != 0)
			return MTRR_TYPE_INVALID;
		if (addr < s->top_mem2)
			def = MTRR_TYPE_WB;
	}
	return oracle_decide(count, def, s->caps.overlap);
}

#endif
