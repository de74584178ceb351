/*
 * mtrr.h — libmtrr, x86 Memory Type Range Registers done exactly right.
 *
 * OVERVIEW
 *
 * An MTRR is a model-specific register that tells an x86 processor which memory
 * type (uncacheable, write-combining, write-through, write-protected or
 * write-back) applies to a range of physical addresses.  There are three kinds:
 * eleven fixed-range registers that type the first MiB in 64 KiB, 16 KiB and 4 KiB
 * pieces; up to MTRR_VAR_MAX variable pairs (PHYSBASE/PHYSMASK) that type
 * power-of-two sized, mask-selected blocks; and IA32_MTRR_DEF_TYPE, which holds
 * the type of everything else and the global enable bits.
 *
 * libmtrr models one logical processor's MTRRs for a hypervisor, an emulator,
 * a firmware tool or a fuzzer:
 *
 *   - the register layouts, as unsigned constants (never `1 << 11`);
 *   - power-on RESET and INIT (mtrr_state_reset);
 *   - RDMSR/WRMSR with every architectural #GP check, all or nothing
 *     (mtrr_rdmsr, mtrr_wrmsr);
 *   - the list of MSRs a VMM saves and restores (mtrr_msr_list);
 *   - a reference resolver written like the SDM (mtrr_ref_lookup) and a compiled
 *     map that answers point and range queries in nanoseconds (mtrr_map_*);
 *   - a versioned, validated snapshot for save/restore and migration
 *     (mtrr_state_save, mtrr_state_load).
 *
 * It follows the Intel SDM Vol. 3A, "Memory Cache Control" -> "Memory Type Range
 * Registers (MTRRs)" (MTRR feature identification, IA32_MTRR_DEF_TYPE, fixed and
 * variable ranges, "MTRR Precedences", "MTRR Initialization"), and the AMD APM
 * Vol. 2, "Memory Type Range Registers".  Where they leave room the choice is
 * written next to the declaration it affects and gathered in README.md.
 *
 * RULES THAT HOLD EVERYWHERE
 *
 *   - The caller owns every object.  The library never allocates, never prints
 *     and has no global mutable state: a struct mtrr_state can be embedded in a
 *     vCPU structure, in a kernel or in firmware.
 *   - Every function is thread-safe on distinct objects.  A compiled struct
 *     mtrr_map is immutable once built: any number of threads may look up in
 *     the same map at once.
 *   - Bad input gets a status and changes nothing.  A rejected WRMSR, a corrupt
 *     snapshot or an invalid argument leaves the target object byte for byte as
 *     it was.
 *   - Functions that fill a caller buffer (mtrr_msr_list, mtrr_map_ranges,
 *     mtrr_map_diff, mtrr_state_save) return the full count or size and write at
 *     most `capacity` entries: call once with capacity 0 to size the buffer.
 *
 *   - Guest-chosen values cannot stall the caller.  Every call a VMM makes on
 *     a guest's state has a bounded, measured worst case (BOUNDED WORK, at
 *     the compiled map), and every function that reads a struct mtrr_state
 *     refuses a register image mtrr_wrmsr would not have stored
 *     (mtrr_state_check) instead of computing with it.
 *
 * FOR A VMM: WHICH FUNCTION ON WHICH EXIT
 *
 *   vCPU creation    mtrr_state_init, then mtrr_map_build.
 *   WRMSR exit       mtrr_wrmsr: inject #GP when mtrr_status_is_gp(), handle
 *                    the MSR yourself on MTRR_E_NOT_MTRR.  On MTRR_OK build
 *                    the new map into a second struct mtrr_map, call
 *                    mtrr_map_diff_cover(old, new, ranges, 64), invalidate
 *                    those ranges (zap the EPT/NPT entries), then make the new
 *                    map current.  Bounded whatever the guest wrote.
 *   RDMSR exit       mtrr_rdmsr, same status handling.
 *   EPT/NPT fault    mtrr_map_lookup_inline for the page's type;
 *                    mtrr_map_lookup_range to know whether a 2 MiB / 1 GiB
 *                    mapping can be one large page.
 *   RESET / INIT     mtrr_state_reset(MTRR_RESET_POWER_ON / MTRR_RESET_INIT),
 *                    then rebuild the map.
 *   KVM_GET/SET_MSRS mtrr_msr_list sizes the array and orders it (DEF_TYPE
 *                    last); every value read back goes through mtrr_wrmsr.
 *   migration        mtrr_state_save / mtrr_state_load_ex.  A state filled
 *                    from your own stream: mtrr_state_check before use.
 *
 * The header is C99 and can be included from C++.
 */
#ifndef MTRR_H
#define MTRR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * MTRR_API marks the exported functions.  The shared library is built with
 * hidden visibility, so only these are visible (nm -D shows only mtrr_*).
 * MTRR_STATIC is defined by the build (and by mtrr.pc / the CMake package) for
 * static linking, where no attribute is wanted on Windows.
 */
#if defined(_WIN32) && !defined(MTRR_STATIC)
#  ifdef MTRR_BUILDING
#    define MTRR_API __declspec(dllexport)
#  else
#    define MTRR_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__)
#  define MTRR_API __attribute__((visibility("default")))
#else
#  define MTRR_API
#endif

/*
 * MTRR_PURE marks the lookups that only read memory and return a value, so a
 * compiler may keep a map's fields in registers across a loop of lookups.
 */
#if defined(__GNUC__)
#  define MTRR_PURE __attribute__((pure))
#  define MTRR_UNLIKELY(x) __builtin_expect(!!(x), 0) /* private: code layout */
#else
#  define MTRR_PURE
#  define MTRR_UNLIKELY(x) (x)
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                  */
/* ------------------------------------------------------------------------ */

#define MTRR_VERSION_MAJOR 0
#define MTRR_VERSION_MINOR 1
#define MTRR_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH, comparable with < and >. */
#define MTRR_VERSION_NUMBER \
	(MTRR_VERSION_MAJOR * 10000 + MTRR_VERSION_MINOR * 100 + MTRR_VERSION_PATCH)

/*
 * The MTRR_VERSION_NUMBER the library was built with: compare it with the
 * macro to detect a header/library mismatch at run time.
 */
MTRR_API unsigned mtrr_version_number(void);

/* ------------------------------------------------------------------------ */
/* Register indices and fields                                              */
/*                                                                          */
/* Every index is an unsigned int constant, every field an unsigned 64-bit  */
/* constant.  Multi-bit fields come as _SHIFT/_MASK pairs, the mask already */
/* shifted into place.                                                      */
/* ------------------------------------------------------------------------ */

/* IA32_MTRRCAP (read-only): what the processor supports. */
#define MTRR_MSR_CAP            0x0FEu
#define MTRR_CAP_VCNT_SHIFT     0
#define MTRR_CAP_VCNT_MASK      0xFFull         /* bits 7:0, variable pairs */
#define MTRR_CAP_FIX            (1ull << 8)     /* fixed-range MSRs exist */
#define MTRR_CAP_WC             (1ull << 10)    /* WC type is supported */
#define MTRR_CAP_SMRR           (1ull << 11)    /* SMRR pair exists */

/* IA32_MTRR_DEF_TYPE: default type and the enables. */
#define MTRR_MSR_DEF_TYPE       0x2FFu
#define MTRR_DEF_TYPE_SHIFT     0
#define MTRR_DEF_TYPE_MASK      0xFFull         /* bits 7:0, default type */
#define MTRR_DEF_FE             (1ull << 10)    /* fixed ranges enabled */
#define MTRR_DEF_E              (1ull << 11)    /* MTRRs enabled */
/* Every other bit (9:8, 63:12) is reserved. */
#define MTRR_DEF_RESERVED       (~(MTRR_DEF_TYPE_MASK | MTRR_DEF_FE | MTRR_DEF_E))

/* IA32_MTRR_PHYSBASEn = 0x200 + 2n, IA32_MTRR_PHYSMASKn = 0x201 + 2n. */
#define MTRR_MSR_PHYSBASE0      0x200u
#define MTRR_MSR_PHYSMASK0      0x201u
#define MTRR_MSR_PHYSBASE(n)    (MTRR_MSR_PHYSBASE0 + 2u * (unsigned)(n))
#define MTRR_MSR_PHYSMASK(n)    (MTRR_MSR_PHYSMASK0 + 2u * (unsigned)(n))
#define MTRR_PHYSBASE_TYPE_SHIFT 0
#define MTRR_PHYSBASE_TYPE_MASK 0xFFull         /* bits 7:0 */
#define MTRR_PHYSMASK_V         (1ull << 11)    /* the pair is valid */
/* PhysBase and PhysMask are bits MAXPHYADDR-1:12. */
#define MTRR_PHYS_ADDR_SHIFT    12
/* Bits MAXPHYADDR-1:12, for 12 < phys_bits <= 63. */
#define MTRR_PHYS_ADDR_MASK(phys_bits) \
	(((1ull << (phys_bits)) - 1u) & ~0xFFFull)

/* The eleven fixed-range MSRs; each holds 8 one-byte types. */
#define MTRR_MSR_FIX64K_00000   0x250u          /* 8 x 64 KiB from 0x00000 */
#define MTRR_MSR_FIX16K_80000   0x258u          /* 8 x 16 KiB from 0x80000 */
#define MTRR_MSR_FIX16K_A0000   0x259u          /* 8 x 16 KiB from 0xA0000 */
#define MTRR_MSR_FIX4K_C0000    0x268u          /* 8 x 4 KiB from 0xC0000 */
#define MTRR_MSR_FIX4K_C8000    0x269u
#define MTRR_MSR_FIX4K_D0000    0x26Au
#define MTRR_MSR_FIX4K_D8000    0x26Bu
#define MTRR_MSR_FIX4K_E0000    0x26Cu
#define MTRR_MSR_FIX4K_E8000    0x26Du
#define MTRR_MSR_FIX4K_F0000    0x26Eu
#define MTRR_MSR_FIX4K_F8000    0x26Fu

/* IA32_SMRR_PHYSBASE / IA32_SMRR_PHYSMASK (Intel, when MTRRCAP.SMRR). */
#define MTRR_MSR_SMRR_PHYSBASE  0x1F2u
#define MTRR_MSR_SMRR_PHYSMASK  0x1F3u
#define MTRR_SMRR_ADDR_MASK     0xFFFFF000ull   /* bits 31:12 */

#define MTRR_VAR_MAX    40  /* pairs 0x200..0x24F: pair 40 would collide with 0x250 */
#define MTRR_FIXED_MSRS 11  /* fixed-range MSRs */
#define MTRR_FIXED_END  0x100000ull /* the fixed ranges cover [0, 1 MiB) */

/* ------------------------------------------------------------------------ */
/* Types, capabilities and state                                            */
/* ------------------------------------------------------------------------ */

/*
 * Memory types, in their architectural encoding.  2, 3 and 7 are not MTRR
 * types (7 is UC-, a PAT type only): writing them gets #GP.  The last two are
 * not types but answers of the lookup functions.
 */
enum mtrr_type {
	MTRR_TYPE_UC = 0,          /* uncacheable */
	MTRR_TYPE_WC = 1,          /* write-combining (needs MTRRCAP.WC) */
	MTRR_TYPE_WT = 4,          /* write-through */
	MTRR_TYPE_WP = 5,          /* write-protected */
	MTRR_TYPE_WB = 6,          /* write-back */
	MTRR_TYPE_MIXED = 0xFE,    /* lookup_range: the range is not uniform */
	MTRR_TYPE_INVALID = 0xFF   /* bad argument, e.g. address >= 2^phys_bits */
};

/*
 * The short name of a type ("UC", "WC", "WT", "WP", "WB", "MIXED"), or
 * "INVALID" for any other value.  Never NULL; the string is static.
 */
MTRR_API const char *mtrr_type_str(uint8_t type);

/* Which architecture manual the model follows where the two differ. */
enum mtrr_vendor { MTRR_VENDOR_INTEL, MTRR_VENDOR_AMD };

/* mtrr_state_reset: power-on/hardware RESET, or INIT. */
enum mtrr_reset { MTRR_RESET_POWER_ON, MTRR_RESET_INIT };

/*
 * What an overlap of variable ranges that the SDM leaves undefined resolves
 * to (any set of two or more types that is neither "contains UC" nor exactly
 * {WT, WB}, e.g. {WB, WC} or {WT, WP}).  UC is the default, as Linux assumes;
 * WB is what KVM answered up to Linux 6.10.  Both resolvers honour it.
 */
enum mtrr_overlap { MTRR_OVERLAP_UC = 0, MTRR_OVERLAP_WB = 1 };

/*
 * What the modelled processor has: IA32_MTRRCAP plus MAXPHYADDR.  Zero-
 * initialise it and set the fields, so fields added later get their default.
 */
struct mtrr_caps {
	unsigned vcnt;          /* IA32_MTRRCAP.VCNT, 0..MTRR_VAR_MAX */
	bool fixed;             /* IA32_MTRRCAP.FIX */
	bool wc;                /* IA32_MTRRCAP.WC */
	bool smrr;              /* IA32_MTRRCAP.SMRR (Intel only) */
	unsigned phys_bits;     /* MAXPHYADDR, 32..52 */
	enum mtrr_vendor vendor;
	enum mtrr_overlap overlap; /* undefined overlaps: UC (default) or WB */
};

/*
 * One logical processor's MTRRs.  Public and caller-owned: embed it in your
 * vCPU.  Read the registers through mtrr_rdmsr and change them only through
 * mtrr_wrmsr, mtrr_state_reset and mtrr_state_load, which keep the invariant
 * that every image holds a value mtrr_wrmsr would accept.  The images are
 * visible so that a debugger, a test or a fuzzer can look at them.
 */
struct mtrr_state {
	struct mtrr_caps caps;  /* fixed at init */
	uint64_t def_type;      /* IA32_MTRR_DEF_TYPE */
	uint64_t fixed[MTRR_FIXED_MSRS]; /* 0x250, 0x258, 0x259, 0x268..0x26F in that order */
	struct {
		uint64_t base;  /* IA32_MTRR_PHYSBASEn */
		uint64_t mask;  /* IA32_MTRR_PHYSMASKn */
	} var[MTRR_VAR_MAX];    /* pairs >= caps.vcnt stay zero */
	uint64_t smrr_base;     /* IA32_SMRR_PHYSBASE, zero without caps.smrr */
	uint64_t smrr_mask;     /* IA32_SMRR_PHYSMASK, zero without caps.smrr */
};

/* A range of physical addresses [start, end) and its memory type. */
struct mtrr_range {
	uint64_t start;
	uint64_t end;           /* exclusive */
	uint8_t type;           /* enum mtrr_type */
};

/* ------------------------------------------------------------------------ */
/* Status                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * Results.  Values are explicit and never renumbered.  The #GP causes
 * (1 < value < 16) tell a VMM to inject #GP(0) into the guest; see
 * mtrr_status_is_gp.
 */
typedef enum mtrr_status {
	MTRR_OK = 0,                  /* done */
	MTRR_E_NOT_MTRR = 1,          /* not an MTRR MSR: the caller handles it */
	MTRR_E_ABSENT = 2,            /* #GP: the register does not exist in these caps */
	MTRR_E_READ_ONLY = 3,         /* #GP: write to IA32_MTRRCAP */
	MTRR_E_RESERVED_BIT = 4,      /* #GP: a reserved bit is set */
	MTRR_E_INVALID_TYPE = 5,      /* #GP: a type field holds 2, 3, 7 or 8..255 */
	MTRR_E_WC_UNSUPPORTED = 6,    /* #GP: a type field holds WC, MTRRCAP.WC is 0 */
	MTRR_E_INVALID_ARG = 16,      /* NULL pointer, impossible caps, bad enum */
	MTRR_E_SNAPSHOT_TRUNCATED = 17, /* snapshot shorter than its header says */
	MTRR_E_SNAPSHOT_MAGIC = 18,   /* not a libmtrr snapshot */
	MTRR_E_SNAPSHOT_VERSION = 19, /* snapshot format version not supported */
	MTRR_E_SNAPSHOT_CHECKSUM = 20, /* snapshot bytes corrupted */
	MTRR_E_SNAPSHOT_CORRUPT = 21, /* framing fields inconsistent */
	MTRR_E_INCOMPATIBLE = 22,     /* snapshot does not fit the target caps */
	MTRR_E_BUFFER_TOO_SMALL = 23  /* caller buffer too small */
} mtrr_status;

/*
 * True when a guest RDMSR/WRMSR that got this status must receive #GP(0):
 * MTRR_E_ABSENT, MTRR_E_READ_ONLY, MTRR_E_RESERVED_BIT, MTRR_E_INVALID_TYPE,
 * MTRR_E_WC_UNSUPPORTED.  False for MTRR_OK, for MTRR_E_NOT_MTRR (the MSR
 * belongs to someone else) and for the VMM-side errors.
 */
MTRR_API bool mtrr_status_is_gp(mtrr_status s);

/*
 * A one-line, human-readable description of `s`, e.g. "reserved bit set".
 * Never NULL; unknown values give "unknown status".  The string is static.
 */
MTRR_API const char *mtrr_status_str(mtrr_status s);

/* ------------------------------------------------------------------------ */
/* State: init, reset, RDMSR, WRMSR                                         */
/* ------------------------------------------------------------------------ */

/*
 * Initialises `s` for a processor with capabilities `caps`, in the power-on
 * RESET state (MTRRs disabled, every register zero).
 *
 * Returns MTRR_E_INVALID_ARG, and leaves `s` untouched, when `s` or `caps` is
 * NULL, caps->vcnt > MTRR_VAR_MAX, caps->phys_bits is outside 32..52,
 * caps->vendor or caps->overlap is not one of its enumerators, or caps->smrr is
 * set for MTRR_VENDOR_AMD (AMD has no SMRR MSRs; its SMM range registers are
 * not MTRRs).
 */
MTRR_API mtrr_status mtrr_state_init(struct mtrr_state *s, const struct mtrr_caps *caps);

/*
 * Applies a processor reset to `s`.
 *
 * MTRR_RESET_POWER_ON: the SDM clears IA32_MTRR_DEF_TYPE.E, .FE and every
 * PHYSMASKn.V and leaves the other bits undefined; libmtrr zeroes every
 * register (SMRR included), so a reset vCPU is deterministic and never
 * carries stale ranges into the next boot.  The caps are kept.
 *
 * MTRR_RESET_INIT: INIT does not touch the MTRRs: `s` is unchanged.
 *
 * A NULL `s` or an unknown `kind` does nothing.
 */
MTRR_API void mtrr_state_reset(struct mtrr_state *s, enum mtrr_reset kind);

/*
 * RDMSR: stores the value of MSR `msr` in `*value`.
 *
 * IA32_MTRRCAP reads back what the caps say (VCNT, FIX, WC, SMRR; every other
 * bit zero).  Returns MTRR_E_NOT_MTRR for an MSR that is not an MTRR,
 * MTRR_E_ABSENT for an MTRR MSR these caps do not have (pair >= VCNT, fixed
 * MSRs without caps.fixed, SMRR without caps.smrr), MTRR_E_INVALID_ARG for a
 * NULL argument or a state that mtrr_state_init did not initialise (caps it
 * would refuse).  `*value` is written only on MTRR_OK.
 *
 * The SDM allows the SMRR pair to be accessed in SMM only; libmtrr does not
 * know about SMM, so a VMM that models SMM gates that itself.
 */
MTRR_API mtrr_status mtrr_rdmsr(const struct mtrr_state *s, uint32_t msr, uint64_t *value);

/*
 * WRMSR: validates `value` for MSR `msr` and stores it, or changes nothing.
 *
 * The checks, in this order (the status names the first that fails):
 *   MTRR_E_NOT_MTRR        the MSR is not an MTRR MSR;
 *   MTRR_E_READ_ONLY       IA32_MTRRCAP;
 *   MTRR_E_ABSENT          the register does not exist in these caps;
 *   MTRR_E_RESERVED_BIT    a reserved bit is set: DEF_TYPE 9:8 and 63:12;
 *                          PHYSBASE 11:8 and 63:MAXPHYADDR; PHYSMASK 10:0 and
 *                          63:MAXPHYADDR; SMRR_PHYSBASE 11:8 and 63:32;
 *                          SMRR_PHYSMASK 10:0 and 63:32;
 *   MTRR_E_INVALID_TYPE    a type field (DEF_TYPE, PHYSBASE, SMRR_PHYSBASE, any
 *                          byte of a fixed MSR) is not 0, 1, 4, 5 or 6;
 *   MTRR_E_WC_UNSUPPORTED  a type field is WC and caps.wc is false.
 *
 * Not reserved: DEF_TYPE.FE without caps.fixed is stored, reads back and has
 * no effect.  A PHYSBASE with bits set below its mask's alignment, and a
 * non-contiguous PHYSMASK, are legal (only the masked bits compare).
 *
 * AMD: bits 4:3 of a fixed-range byte are RdMem/WrMem, which exist only while
 * SYSCFG.MtrrFixDramModEn is set.  libmtrr models a processor on which that bit
 * is clear (as KVM does), so each fixed-range byte must be a valid type for
 * both vendors and 0x18 | type gets MTRR_E_INVALID_TYPE.
 *
 * Returns MTRR_E_INVALID_ARG for a NULL `s` or one whose caps mtrr_state_init
 * would refuse (never initialised).  A VMM injects #GP(0) when
 * mtrr_status_is_gp() is true, and handles the MSR itself on MTRR_E_NOT_MTRR.
 */
MTRR_API mtrr_status mtrr_wrmsr(struct mtrr_state *s, uint32_t msr, uint64_t value);

/*
 * Checks every register image of `s` as mtrr_wrmsr would check a write of it:
 * reserved bits, type fields, WC without caps.wc, and that every register the
 * caps do not have (pairs >= vcnt, the fixed MSRs without caps.fixed, SMRR
 * without caps.smrr) is zero.  For a VMM that fills a struct mtrr_state from
 * its own stream instead of through mtrr_wrmsr/mtrr_state_load.
 *
 * Returns MTRR_OK when every image is one mtrr_wrmsr could have stored, else
 * MTRR_E_INVALID_ARG (also for a NULL `s` or caps mtrr_state_init would
 * refuse), with the MSR index of the first bad register in `*bad_msr` (0 when
 * the caps themselves are bad; `bad_msr` may be NULL; untouched on MTRR_OK).
 * Registers are checked in mtrr_msr_list order.  The same check guards every
 * function that reads a state: mtrr_map_build, mtrr_state_save and
 * mtrr_ref_lookup refuse a corrupted image instead of computing with it.
 */
MTRR_API mtrr_status mtrr_state_check(const struct mtrr_state *s, uint32_t *bad_msr);

/*
 * Lists the MTRR MSRs a VMM saves and restores for a vCPU with `caps`: the
 * writable registers the caps define (not IA32_MTRRCAP, which is read-only).
 * Order: the variable pairs (PHYSBASEn, PHYSMASKn for n < vcnt), the fixed
 * MSRs when caps->fixed, the SMRR pair when caps->smrr, and IA32_MTRR_DEF_TYPE
 * last, so that writing them back in this order enables the MTRRs only once
 * every range is in place.
 *
 * Writes at most `capacity` indices to `msrs` (a NULL `msrs` counts as capacity
 * 0) and returns the full count, at most 2 * MTRR_VAR_MAX +
 * MTRR_FIXED_MSRS + 3: call with capacity 0 to size the buffer.  Returns 0 for
 * a NULL or impossible `caps` (the same rules as mtrr_state_init).
 */
MTRR_API size_t mtrr_msr_list(const struct mtrr_caps *caps, uint32_t *msrs, size_t capacity);

/* The largest count mtrr_msr_list can return. */
#define MTRR_MSR_LIST_MAX (2 * MTRR_VAR_MAX + MTRR_FIXED_MSRS + 3)

/* ------------------------------------------------------------------------ */
/* Reference resolver                                                       */
/* ------------------------------------------------------------------------ */

/*
 * The memory type of physical address `addr`, computed straight from the
 * registers by the SDM's precedence rules ("MTRR Precedences"):
 *
 *   1. DEF_TYPE.E = 0: UC.
 *   2. addr < 1 MiB, DEF_TYPE.FE = 1 and caps.fixed: the fixed-range byte.
 *   3. Otherwise the set T of types of every valid variable pair n < VCNT with
 *      (addr & PhysMask) == (PhysBase & PhysMask) over bits MAXPHYADDR-1:12:
 *      T empty: DEF_TYPE.Type; one type: that type; UC in T: UC;
 *      T = {WT, WB}: WT; anything else (undefined): UC, or WB with
 *      caps.overlap == MTRR_OVERLAP_WB.
 *   4. addr >= 2^phys_bits: MTRR_TYPE_INVALID.
 *
 * Types combine over the set of ALL matching pairs, never pairwise in
 * register order.  The SMRR pair is not consulted: it applies in SMM only.
 * Slow and simple on purpose: tests, fuzzers and the benchmark trust it.
 * Returns MTRR_TYPE_INVALID for a NULL `s` or one mtrr_state_init did not
 * initialise (caps it would refuse).
 */
MTRR_API MTRR_PURE uint8_t mtrr_ref_lookup(const struct mtrr_state *s, uint64_t addr);

/* ------------------------------------------------------------------------ */
/* Compiled map                                                             */
/*                                                                          */
/* BOUNDED WORK.  Every register value comes from a guest (WRMSR) or from a */
/* migration stream, so no legal state may make a call take long.  A        */
/* non-contiguous PHYSMASK is legal and can split the space into            */
/* astronomically many runs (PHYSMASK0 = 0x1800 alone: every other 4 KiB    */
/* page, 2^39 runs at MAXPHYADDR 52).  The map therefore answers every      */
/* question a VMM asks on aligned power-of-two blocks, never run by run     */
/* (libmtrr/map_blocks.c): whether a block holds one type is decided        */
/* exactly from the pairs, and each call has a fixed budget of such         */
/* decisions.  The budgets are sized so that, on adversarial legal states   */
/* at VCNT 40 and MAXPHYADDR 52 (non-contiguous masks of every shape: 40    */
/* sparse masks, two-bit masks, alternating bits, complementary pairs,      */
/* random masks; the states a fuzzer finds slowest), Release, on an AMD     */
/* EPYC Zen 4 VM, the worst cases measured are:                             */
/*                                                                          */
/*   mtrr_map_build           <= 2 ms     (typical layouts: 0.2-0.3 us)     */
/*   mtrr_map_lookup_range    <= 0.2 ms   (typical: a few ns)               */
/*   mtrr_map_lookup_next     <= 10 us    (typical: a few ns)               */
/*   mtrr_map_diff_cover      <= 2 ms     (capacity 64; typical: < 10 us)   */
/*   mtrr_map_lookup(_inline) unchanged:  one byte load, or a scan of the   */
/*                            valid pairs in a mixed slot (<= 40 compares)  */
/*                                                                          */
/* README.md ("Worst cases") has the measured table and how to reproduce    */
/* it.  What a budget that runs out means is said at each call: it never    */
/* makes an answer wrong, only coarser (an earlier `next`, a MIXED range, a */
/* wider cover), and no state we know of reaches the budget of a range      */
/* query or a cover.  mtrr_map_ranges and mtrr_map_diff stay exact for      */
/* tools: their output itself can be astronomically large, so their cost   */
/* is proportional to it.  The query functions use about 3.5 KiB of stack.  */
/* ------------------------------------------------------------------------ */

#define MTRR_MAP_SLOTS 2048 /* private: size of the coarse index */
#define MTRR_MAP_RUNS  160  /* private: most runs kept as a sorted list */
/* private: slot 0 holds this when only its fixed pages mix it (see low_rest) */
#define MTRR_MAP_LOW   0xFD

/*
 * A compiled, immutable view of one state's effective memory types.  Fixed
 * size (at most 4 KiB), caller-owned, no pointers inside (it can be copied
 * with memcpy).  The fields are private: use the mtrr_map_* functions.  Their
 * layout is part of the ABI (the SONAME changes with it) because
 * mtrr_map_lookup_inline reads limit, top, shift, slot, fixed and low_rest directly.  Any
 * number of threads may call the lookup functions on the same map at once.
 */
struct mtrr_map {
	/* private: everything below */
	uint64_t limit;                 /* 2^phys_bits */
	uint64_t top;                   /* MTRR_MAP_SLOTS << shift: the clamp */
	uint8_t shift;                  /* slot i covers [i << shift, (i+1) << shift) */
	uint8_t scan;                   /* 1: runs did not fit, use the scan form */
	uint16_t nruns;                 /* run form: entries of run_start/run_type */
	uint8_t nvar;                   /* scan form: valid pairs kept */
	uint8_t low_rest;               /* slot 0 is MTRR_MAP_LOW: type of [1 MiB, end) */
	uint8_t pad_[2];
	uint8_t fixed[256];             /* type of each 4 KiB page below 1 MiB */
	uint8_t fixed_next[256];        /* first page of another type, 0: none below 1 MiB */
	/* uniform type, MTRR_TYPE_MIXED or MTRR_MAP_LOW; the last: [top, limit) */
	uint8_t slot[MTRR_MAP_SLOTS + 1];
	union {
		struct {
			uint64_t start[MTRR_MAP_RUNS]; /* sorted, start[0] == 0 */
			uint8_t type[MTRR_MAP_RUNS];
		} run;
		struct {
			uint64_t base[MTRR_VAR_MAX];   /* PhysBase & PhysMask */
			uint64_t mask[MTRR_VAR_MAX];   /* PhysMask, bits MAXPHYADDR-1:12 */
			uint8_t type[MTRR_VAR_MAX];
			uint8_t combine[128];          /* type-set bitmap -> type */
		} var;
	} u;
};

/*
 * Compiles the effective memory types of `s` into `m`.  Call it once after
 * every change of the state (a WRMSR that returned MTRR_OK, a reset, a load);
 * the map does not refer to `s` afterwards.  Exact for every legal state,
 * non-contiguous masks included.  Returns MTRR_E_INVALID_ARG, and leaves `m`
 * untouched, for a NULL argument or a state that mtrr_state_check refuses
 * (caps mtrr_state_init would refuse, or a register image mtrr_wrmsr would
 * never have stored); MTRR_OK otherwise.  Time: a fraction of a microsecond
 * for firmware layouts; states whose masks expand into many blocks decide
 * at most a fixed number of blocks (BOUNDED WORK above), and a slot left
 * undecided only makes lookups there scan the pairs.
 */
MTRR_API mtrr_status mtrr_map_build(struct mtrr_map *m, const struct mtrr_state *s);

/*
 * The memory type of `addr`: the same answer as mtrr_ref_lookup on the state
 * the map was built from, MTRR_TYPE_INVALID for addr >= 2^phys_bits.  The hot
 * path of an EPT/NPT fault handler.  The lookup functions take a map that
 * mtrr_map_build filled (never NULL: the hot path does not check it).  This
 * exported form is for callers that cannot inline (other languages, function
 * pointers); from C, mtrr_map_lookup_inline saves the call, which costs more
 * than the lookup itself.
 */
MTRR_API MTRR_PURE uint8_t mtrr_map_lookup(const struct mtrr_map *m, uint64_t addr);

/*
 * mtrr_map_lookup with its fast path inlined into the caller: two compares, a
 * conditional move, a shift and one byte load answer every address outside a
 * MIXED slot, with no call and no unpredictable branch.  A mixed slot below
 * 1 MiB reads the fixed-page table, slot 0 mixed only by those pages answers
 * above 1 MiB from one byte, both inline too; the other mixed slots call
 * mtrr_map_lookup.  The same answers; use it in a loop over many addresses.
 */
static inline uint8_t
mtrr_map_lookup_inline(const struct mtrr_map *m, uint64_t addr)
{
	uint8_t t;

	if (MTRR_UNLIKELY(addr >= m->limit))
		return MTRR_TYPE_INVALID;
	t = m->slot[(addr < m->top ? addr : m->top) >> m->shift];
	if (MTRR_UNLIKELY(t >= MTRR_MAP_LOW)) {
		if (addr < MTRR_FIXED_END)
			return m->fixed[addr >> 12];
		if (t == MTRR_MAP_LOW)
			return m->low_rest;
		return mtrr_map_lookup(m, addr);
	}
	return t;
}

/*
 * The type of `addr`, and in `*next` the first address above `addr` where the
 * type may change (2^phys_bits when it does not change up to the end), so a
 * caller walks the map run by run:
 *
 *     for (a = 0; a < limit; a = next) t = mtrr_map_lookup_next(m, a, &next);
 *
 * Every address in [addr, *next) has the returned type, and *next is exactly
 * where the type changes, with one exception: in a map whose non-contiguous
 * masks expand into too many blocks for the run list, a call that runs out
 * of its budget (BOUNDED WORK above) stops early, at the boundary of an
 * aligned power-of-two block (addr < *next <= the change); the next call
 * goes on from there.  A walk's merged runs are exact either way.  For addr
 * >= 2^phys_bits the answer is MTRR_TYPE_INVALID and *next is set to
 * 2^phys_bits.  `next` must not be NULL.  Worst case: 10 us per call.
 */
MTRR_API uint8_t mtrr_map_lookup_next(const struct mtrr_map *m, uint64_t addr, uint64_t *next);

/*
 * The type of the range [start, end): its type when every address in it has
 * the same type, MTRR_TYPE_MIXED when not, MTRR_TYPE_INVALID when end <= start
 * or end > 2^phys_bits.  Answers "may this 2 MiB / 1 GiB mapping be one large
 * page of one type?".  Exact for any range, of any size, on any legal state:
 * on non-contiguous masks it decides aligned blocks instead of walking runs.
 * Should its budget ever run out it answers MTRR_TYPE_MIXED (the safe answer
 * for a hypervisor: map smaller pages), never a wrong type; no state we know
 * of reaches it.  Worst case: 0.2 ms.
 */
MTRR_API MTRR_PURE uint8_t mtrr_map_lookup_range(const struct mtrr_map *m, uint64_t start, uint64_t end);

/*
 * The effective memory map: sorted, merged (neighbours differ in type), and
 * covering [0, 2^phys_bits) exactly.  Writes at most `capacity` ranges to `out`
 * (NULL allowed with capacity 0) and returns the full count.
 *
 * Returns 0 for a NULL `m`.  Cost: proportional to the count, for tools.
 * UNBOUNDED on guest-controlled state: non-contiguous masks can make the
 * count astronomically large (a mask selecting every other 4 KiB page yields
 * 2^39 ranges at phys_bits 52), and the call is exact, so it takes as long as
 * counting them takes.  A VMM never calls it on a guest's map.
 */
MTRR_API size_t mtrr_map_ranges(const struct mtrr_map *m, struct mtrr_range *out, size_t capacity);

/*
 * Where two maps of the same caps differ: the maximal ranges [start, end) in
 * which the type in `a` differs from the type in `b` at every address, sorted.
 * Each range's `type` is its type in `b` (the new map) when uniform, else
 * MTRR_TYPE_MIXED.  Empty (0) when a write changed nothing that matters, so a
 * hypervisor invalidates only what changed, or nothing.  Maps of different
 * phys_bits: addresses that exist in only one of them count as different (and
 * have type MTRR_TYPE_INVALID in the map that lacks them).  Returns 0 when
 * `a` or `b` is NULL.
 * Writes at most `capacity` ranges and returns the full count.  UNBOUNDED on
 * guest-controlled state, like mtrr_map_ranges: the count itself can be
 * astronomical (one guest write of PHYSMASK0 = 0x1800 makes 2^39 ranges at
 * phys_bits 52).  For tools; a VMM calls mtrr_map_diff_cover.
 */
MTRR_API size_t mtrr_map_diff(const struct mtrr_map *a, const struct mtrr_map *b,
                              struct mtrr_range *out, size_t capacity);

/*
 * A bounded cover of where two maps differ, for the hypervisor's WRMSR path:
 * at most `capacity` (>= 1) sorted, disjoint ranges whose union holds every
 * address where `a` and `b` answer differently.  When mtrr_map_diff's exact
 * maximal ranges number at most `capacity`, they are exactly what is written
 * (same bounds, same types).  Otherwise the first capacity - 1 exact ranges
 * are written and the last range coalesces every later difference: it runs
 * from the start of the next exact range to the end of the last one.  Each
 * range's type is its type in `b` when uniform there, else MTRR_TYPE_MIXED
 * (MTRR_TYPE_INVALID beyond b's limit, as in mtrr_map_diff).
 *
 * Returns the number of ranges written: at most `capacity`, and 0 exactly
 * when the maps agree at every address (or `a`, `b` or `out` is NULL, or
 * capacity is 0).  Over-invalidating is safe and stalling is not, so the
 * work is bounded whatever the guest wrote: see BOUNDED WORK below for the
 * measured worst case.  This is the call to make after every accepted WRMSR.
 */
MTRR_API size_t mtrr_map_diff_cover(const struct mtrr_map *a, const struct mtrr_map *b,
                                    struct mtrr_range *out, size_t capacity);

/* ------------------------------------------------------------------------ */
/* Snapshot (save/restore, migration)                                       */
/* ------------------------------------------------------------------------ */

/*
 * Serialises `s` into `buf`: a versioned, little-endian, self-describing
 * format that does not depend on the host (magic "MTRRSNAP", format version,
 * total size, the source caps, every register the caps define, CRC-32C; the
 * byte layout is documented at the top of libmtrr/snapshot.c).  28 bytes plus
 * 8 per register, at most 780.  Writes nothing unless `len` is at least the
 * full size, and returns the full size in bytes: call with len 0 to size the
 * buffer.  Returns 0 for a NULL `s` or one whose caps mtrr_state_init would
 * refuse.
 */
MTRR_API size_t mtrr_state_save(const struct mtrr_state *s, void *buf, size_t len);

/*
 * Restores a snapshot into `s` for a vCPU with caps `target`, all or nothing:
 * on any error `s` is unchanged.  `len` must be the snapshot's exact size
 * (trailing bytes are MTRR_E_SNAPSHOT_CORRUPT).  The checks, in order:
 *
 *   framing      magic, length, version, CRC-32C, field ranges
 *                (MTRR_E_SNAPSHOT_MAGIC/_TRUNCATED/_VERSION/_CORRUPT/_CHECKSUM);
 *   registers    each against the snapshot's own caps, by the rules of
 *                mtrr_wrmsr (a #GP status: the snapshot is garbage);
 *   target       the policy "a load never loses a register's content and
 *                never changes the type of an address the source had"
 *                (MTRR_E_INCOMPATIBLE): a register the target lacks (pair >=
 *                target vcnt, fixed MSRs, SMRR) may be dropped only when zero;
 *                DEF_TYPE.FE set needs the same caps.fixed on both sides;
 *                every kept register must pass mtrr_wrmsr's rules for the
 *                target (WC needs target.wc, bases and masks must fit the
 *                target's MAXPHYADDR).  Vendor and overlap policy may differ.
 *
 * MAXPHYADDR may differ: every address both vCPUs have keeps its type.  A
 * narrower target is accepted when every register fits, and simply lacks the
 * addresses above its width.  On a wider target the masks, written for the
 * narrower width, leave the new high bits clear, so each range repeats in the
 * new upper space: that is what the hardware would do too.  A VMM that wants
 * neither keeps MAXPHYADDR equal across a migration (as it must for CPUID).
 *
 * Returns MTRR_E_INVALID_ARG, changing nothing, for a NULL `s` or `buf` or a
 * `target` mtrr_state_init would refuse.
 *
 * On success `s` is initialised with `target` and holds the snapshot's
 * registers: load(save(x)) equals x byte for byte.  See mtrr_state_load_ex
 * for the register at fault.
 */
MTRR_API mtrr_status mtrr_state_load(struct mtrr_state *s, const struct mtrr_caps *target,
                                     const void *buf, size_t len);

/*
 * mtrr_state_load, and on a register error (a #GP status or
 * MTRR_E_INCOMPATIBLE caused by one register) the MSR index of the first
 * offending register in `*bad_msr` (set to 0 otherwise; `bad_msr` may be NULL).
 */
MTRR_API mtrr_status mtrr_state_load_ex(struct mtrr_state *s, const struct mtrr_caps *target,
                                        const void *buf, size_t len, uint32_t *bad_msr);

#ifdef __cplusplus
}
#endif

#endif /* MTRR_H */
