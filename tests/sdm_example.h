/*
 * sdm_example.h — golden vectors: the Intel SDM's worked MTRR example.
 *
 * Source: Intel 64 and IA-32 Architectures Software Developer's Manual,
 * Vol. 3A, "Memory Cache Control", section "Example Base and Mask
 * Calculations", Example "Setting-Up Memory for a System" (numbered 11.11.3 /
 * Example 11-2 in the revision read, pages 11-27 and 11-28; later revisions
 * renumber the chapter).  The system it describes:
 *
 *   - 96 MiB of RAM, write-back, at 0-64 MiB and 68-100 MiB;
 *   - a 4 MiB I/O card, UC, at 64 MiB (a UC pair over a WB pair);
 *   - an 8 MiB graphics card, WC, at A0000000H;
 *   - the BIOS area 15-16 MiB, UC (a UC pair inside the 0-64 MiB WB pair).
 *
 * The SDM lists the six variable pairs below.  Its listing is not
 * self-consistent: PHYSMASK0 is printed with a 36-bit mask
 * (0000 000F FC00 0800H) and PHYSMASK1..5 with 40-bit masks
 * (0000 00FF xxxx 0800H).  So there are two tables here:
 *
 *   sdm_example_msrs      every mask written at MAXPHYADDR 36 (the width the
 *                         SDM's text assumes), i.e. PHYSMASK1..5 with bits
 *                         39:36 dropped; at 36 bits 0000 00FF... is #GP.
 *   sdm_example_literal   the SDM's values byte for byte, which are only
 *                         writable at MAXPHYADDR >= 40; there PHYSMASK0 leaves
 *                         bits 39:36 out of the compare, so pair 0 matches the
 *                         first 64 MiB of EVERY 64 GiB (k * 64 GiB, k = 0..15).
 *
 * The SDM example says nothing about IA32_MTRR_DEF_TYPE or the fixed ranges.
 * Not from the SDM, chosen here so the table also exercises them: default
 * type UC (what the example relies on for 100 MiB..A0000000H), E = FE = 1,
 * and a classic PC layout below 1 MiB: 00000-9FFFF WB (RAM), A0000-BFFFF UC
 * (legacy VGA), C0000-C7FFF WP (video BIOS), C8000-EFFFF UC (option ROM /
 * MMIO window), F0000-FFFFF WP (system BIOS).
 *
 * Every expected type below was worked out by hand from the SDM's
 * "MTRR Precedences" rules; the comment on each line says why.
 */
#ifndef SDM_EXAMPLE_H
#define SDM_EXAMPLE_H

#include <stdint.h>

#include "mtrr.h"

#define SDM_MIB 0x100000ull
#define SDM_GIB 0x40000000ull

struct sdm_msr {
	uint32_t msr;
	uint64_t value;
};

struct sdm_point {
	uint64_t addr;
	uint8_t type;
};

/* Caps of the example: 8 pairs (P6 family), fixed ranges, WC. */
static const struct mtrr_caps sdm_example_caps = {
	.vcnt = 8, .fixed = true, .wc = true, .smrr = false,
	.phys_bits = 36, .vendor = MTRR_VENDOR_INTEL, .overlap = MTRR_OVERLAP_UC,
};

/* The literal listing needs MAXPHYADDR >= 40. */
static const struct mtrr_caps sdm_example_literal_caps = {
	.vcnt = 8, .fixed = true, .wc = true, .smrr = false,
	.phys_bits = 40, .vendor = MTRR_VENDOR_INTEL, .overlap = MTRR_OVERLAP_UC,
};

/* The writes, in a safe order: ranges first, DEF_TYPE (enable) last. */
#define SDM_FIXED_WRITES \
	{ MTRR_MSR_FIX64K_00000, 0x0606060606060606ull }, /* 00000-7FFFF WB */ \
	{ MTRR_MSR_FIX16K_80000, 0x0606060606060606ull }, /* 80000-9FFFF WB */ \
	{ MTRR_MSR_FIX16K_A0000, 0x0000000000000000ull }, /* A0000-BFFFF UC */ \
	{ MTRR_MSR_FIX4K_C0000,  0x0505050505050505ull }, /* C0000-C7FFF WP */ \
	{ MTRR_MSR_FIX4K_C8000,  0x0000000000000000ull }, /* C8000-CFFFF UC */ \
	{ MTRR_MSR_FIX4K_D0000,  0x0000000000000000ull }, \
	{ MTRR_MSR_FIX4K_D8000,  0x0000000000000000ull }, \
	{ MTRR_MSR_FIX4K_E0000,  0x0000000000000000ull }, \
	{ MTRR_MSR_FIX4K_E8000,  0x0000000000000000ull }, /* ..EFFFF UC */ \
	{ MTRR_MSR_FIX4K_F0000,  0x0505050505050505ull }, /* F0000-FFFFF WP */ \
	{ MTRR_MSR_FIX4K_F8000,  0x0505050505050505ull }

static const struct sdm_msr sdm_example_msrs[] = {
	SDM_FIXED_WRITES,
	{ MTRR_MSR_PHYSBASE(0), 0x0000000000000006ull }, /* 0-64 MiB WB */
	{ MTRR_MSR_PHYSMASK(0), 0x0000000FFC000800ull },
	{ MTRR_MSR_PHYSBASE(1), 0x0000000004000006ull }, /* 64-96 MiB WB */
	{ MTRR_MSR_PHYSMASK(1), 0x0000000FFE000800ull },
	{ MTRR_MSR_PHYSBASE(2), 0x0000000006000006ull }, /* 96-100 MiB WB */
	{ MTRR_MSR_PHYSMASK(2), 0x0000000FFFC00800ull },
	{ MTRR_MSR_PHYSBASE(3), 0x0000000004000000ull }, /* 64-68 MiB UC */
	{ MTRR_MSR_PHYSMASK(3), 0x0000000FFFC00800ull },
	{ MTRR_MSR_PHYSBASE(4), 0x0000000000F00000ull }, /* 15-16 MiB UC */
	{ MTRR_MSR_PHYSMASK(4), 0x0000000FFFF00800ull },
	{ MTRR_MSR_PHYSBASE(5), 0x00000000A0000001ull }, /* A0000000-A07FFFFF WC */
	{ MTRR_MSR_PHYSMASK(5), 0x0000000FFF800800ull },
	{ MTRR_MSR_DEF_TYPE,    0x0000000000000C00ull }, /* E, FE, default UC */
};

static const struct sdm_msr sdm_example_literal[] = {
	SDM_FIXED_WRITES,
	{ MTRR_MSR_PHYSBASE(0), 0x0000000000000006ull },
	{ MTRR_MSR_PHYSMASK(0), 0x0000000FFC000800ull }, /* 36-bit, as printed */
	{ MTRR_MSR_PHYSBASE(1), 0x0000000004000006ull },
	{ MTRR_MSR_PHYSMASK(1), 0x000000FFFE000800ull }, /* 40-bit, as printed */
	{ MTRR_MSR_PHYSBASE(2), 0x0000000006000006ull },
	{ MTRR_MSR_PHYSMASK(2), 0x000000FFFFC00800ull },
	{ MTRR_MSR_PHYSBASE(3), 0x0000000004000000ull },
	{ MTRR_MSR_PHYSMASK(3), 0x000000FFFFC00800ull },
	{ MTRR_MSR_PHYSBASE(4), 0x0000000000F00000ull },
	{ MTRR_MSR_PHYSMASK(4), 0x000000FFFFF00800ull },
	{ MTRR_MSR_PHYSBASE(5), 0x00000000A0000001ull },
	{ MTRR_MSR_PHYSMASK(5), 0x000000FFFF800800ull },
	{ MTRR_MSR_DEF_TYPE,    0x0000000000000C00ull },
};

/*
 * The effective map of sdm_example_msrs at MAXPHYADDR 36: every maximal run,
 * in order, covering [0, 2^36).
 */
static const struct mtrr_range sdm_example_runs[] = {
	{ 0x00000,            0xA0000,            MTRR_TYPE_WB }, /* fixed */
	{ 0xA0000,            0xC0000,            MTRR_TYPE_UC }, /* fixed */
	{ 0xC0000,            0xC8000,            MTRR_TYPE_WP }, /* fixed */
	{ 0xC8000,            0xF0000,            MTRR_TYPE_UC }, /* fixed */
	{ 0xF0000,            SDM_MIB,            MTRR_TYPE_WP }, /* fixed */
	{ SDM_MIB,            15 * SDM_MIB,       MTRR_TYPE_WB }, /* pair 0 */
	{ 15 * SDM_MIB,       16 * SDM_MIB,       MTRR_TYPE_UC }, /* {WB,UC} */
	{ 16 * SDM_MIB,       64 * SDM_MIB,       MTRR_TYPE_WB }, /* pair 0 */
	{ 64 * SDM_MIB,       68 * SDM_MIB,       MTRR_TYPE_UC }, /* {WB,UC} */
	{ 68 * SDM_MIB,       100 * SDM_MIB,      MTRR_TYPE_WB }, /* pairs 1, 2 */
	{ 100 * SDM_MIB,      0xA0000000ull,      MTRR_TYPE_UC }, /* default */
	{ 0xA0000000ull,      0xA0800000ull,      MTRR_TYPE_WC }, /* pair 5 */
	{ 0xA0800000ull,      1ull << 36,         MTRR_TYPE_UC }, /* default */
};

/* Point lookups on sdm_example_msrs at MAXPHYADDR 36. */
static const struct sdm_point sdm_example_points[] = {
	{ 0x0,                MTRR_TYPE_WB },  /* FIX64K byte 0 */
	{ 0x7FFFF,            MTRR_TYPE_WB },  /* FIX64K byte 7 */
	{ 0x80000,            MTRR_TYPE_WB },  /* FIX16K_80000 byte 0 */
	{ 0x9FFFF,            MTRR_TYPE_WB },  /* FIX16K_80000 byte 7 */
	{ 0xA0000,            MTRR_TYPE_UC },  /* FIX16K_A0000 byte 0 */
	{ 0xBFFFF,            MTRR_TYPE_UC },  /* FIX16K_A0000 byte 7 */
	{ 0xC0000,            MTRR_TYPE_WP },  /* FIX4K_C0000 byte 0 */
	{ 0xC7FFF,            MTRR_TYPE_WP },  /* FIX4K_C0000 byte 7 */
	{ 0xC8000,            MTRR_TYPE_UC },  /* FIX4K_C8000 byte 0 */
	{ 0xEFFFF,            MTRR_TYPE_UC },  /* FIX4K_E8000 byte 7 */
	{ 0xF0000,            MTRR_TYPE_WP },  /* FIX4K_F0000 byte 0 */
	{ 0xFFFFF,            MTRR_TYPE_WP },  /* FIX4K_F8000 byte 7 */
	{ SDM_MIB,            MTRR_TYPE_WB },  /* pair 0 only */
	{ 15 * SDM_MIB - 1,   MTRR_TYPE_WB },  /* pair 0 only */
	{ 15 * SDM_MIB,       MTRR_TYPE_UC },  /* pairs 0 (WB) + 4 (UC): UC */
	{ 16 * SDM_MIB - 1,   MTRR_TYPE_UC },
	{ 16 * SDM_MIB,       MTRR_TYPE_WB },  /* pair 0 only again */
	{ 64 * SDM_MIB - 1,   MTRR_TYPE_WB },  /* last byte of pair 0 */
	{ 64 * SDM_MIB,       MTRR_TYPE_UC },  /* pairs 1 (WB) + 3 (UC): UC */
	{ 68 * SDM_MIB - 1,   MTRR_TYPE_UC },
	{ 68 * SDM_MIB,       MTRR_TYPE_WB },  /* pair 1 only */
	{ 96 * SDM_MIB - 1,   MTRR_TYPE_WB },  /* last byte of pair 1 */
	{ 96 * SDM_MIB,       MTRR_TYPE_WB },  /* pair 2 */
	{ 100 * SDM_MIB - 1,  MTRR_TYPE_WB },  /* last byte of pair 2 */
	{ 100 * SDM_MIB,      MTRR_TYPE_UC },  /* no pair: default UC */
	{ 0x9FFFFFFFull,      MTRR_TYPE_UC },
	{ 0xA0000000ull,      MTRR_TYPE_WC },  /* pair 5 */
	{ 0xA07FFFFFull,      MTRR_TYPE_WC },
	{ 0xA0800000ull,      MTRR_TYPE_UC },  /* default */
	{ 0xFFFFFFFFull,      MTRR_TYPE_UC },
	{ 16 * SDM_GIB,       MTRR_TYPE_UC },  /* 36-bit masks: no alias */
	{ (1ull << 36) - 1,   MTRR_TYPE_UC },  /* last byte of the space */
	{ 1ull << 36,         MTRR_TYPE_INVALID }, /* beyond MAXPHYADDR */
};

/*
 * Point lookups on sdm_example_literal at MAXPHYADDR 40.  Below 64 GiB it is
 * the map above.  Pairs 1..5 compare bits 39:12 and do not repeat; pair 0
 * compares only bits 35:26, so [k * 64 GiB, k * 64 GiB + 64 MiB) is WB for
 * every k, and pair 4 (15-16 MiB, UC) does NOT repeat with it.
 */
static const struct sdm_point sdm_example_literal_points[] = {
	{ 0x0,                      MTRR_TYPE_WB },  /* fixed */
	{ 0xA0000,                  MTRR_TYPE_UC },  /* fixed */
	{ 15 * SDM_MIB,             MTRR_TYPE_UC },  /* {WB, UC} */
	{ 64 * SDM_MIB,             MTRR_TYPE_UC },  /* {WB, UC} */
	{ 68 * SDM_MIB,             MTRR_TYPE_WB },
	{ 100 * SDM_MIB,            MTRR_TYPE_UC },
	{ 0xA0000000ull,            MTRR_TYPE_WC },
	{ 0xA0800000ull,            MTRR_TYPE_UC },
	{ 64 * SDM_GIB - 1,         MTRR_TYPE_UC },  /* default */
	{ 64 * SDM_GIB,             MTRR_TYPE_WB },  /* pair 0, alias k = 1 */
	{ 64 * SDM_GIB + 15 * SDM_MIB, MTRR_TYPE_WB }, /* pair 4 does not alias */
	{ 64 * SDM_GIB + 64 * SDM_MIB - 1, MTRR_TYPE_WB },
	{ 64 * SDM_GIB + 64 * SDM_MIB, MTRR_TYPE_UC }, /* pairs 1, 3 do not alias */
	{ 64 * SDM_GIB + 0xA0000000ull, MTRR_TYPE_UC }, /* pair 5 does not alias */
	{ 15 * 64 * SDM_GIB,        MTRR_TYPE_WB },  /* alias k = 15 */
	{ 15 * 64 * SDM_GIB + 64 * SDM_MIB - 1, MTRR_TYPE_WB },
	{ 15 * 64 * SDM_GIB + 64 * SDM_MIB, MTRR_TYPE_UC },
	{ (1ull << 40) - 1,         MTRR_TYPE_UC },
	{ 1ull << 40,               MTRR_TYPE_INVALID },
};

#endif
