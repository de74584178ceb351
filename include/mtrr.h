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
 *     (mtrr_state_save, mtrr_state_load);
 *   - on AMD, SYSCFG, TOP_MEM/TOP_MEM2 and the IORRs, and where an access
 *     goes, DRAM or memory-mapped I/O (mtrr_route).
 *
 * It follows the Intel SDM Vol. 3A, "Memory Cache Control" -> "Memory Type Range
 * Registers (MTRRs)" (MTRR feature identification, IA32_MTRR_DEF_TYPE, fixed and
 * variable ranges, "MTRR Precedences", "MTRR Initialization"), and the AMD APM
 * Vol. 2, "Memory Type Range Registers" and "Memory-Mapped I/O".  Where they
 * leave room the choice is written next to the declaration it affects and
 * gathered in README.md.
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
 *   vCPU creation    mtrr_state_init (caps.pat: libmtrr keeps IA32_PAT too),
 *                    then mtrr_map_build into zeroed maps (calloc, = {0}).
 *   WRMSR exit       mtrr_wrmsr: inject #GP when mtrr_status_is_gp(), handle
 *                    the MSR yourself on MTRR_E_NOT_MTRR.  On MTRR_OK build
 *                    the new map into a second struct mtrr_map, call
 *                    mtrr_map_diff_cover(old, new, ranges, 64), invalidate
 *                    those ranges (zap the EPT/NPT entries), then make the new
 *                    map current.  Bounded whatever the guest wrote.
 *   RDMSR exit       mtrr_rdmsr, same status handling.
 *   EPT/NPT fault    mtrr_map_lookup_inline for the page's type;
 *                    mtrr_map_lookup_range to know whether a 2 MiB / 1 GiB
 *                    mapping can be one large page; mtrr_ept_memtype for the
 *                    EMT and IPAT to write under your policy (MIXED: split).
 *                    mtrr_effective_type / mtrr_ept_effective_type say what
 *                    type the guest's access then gets.
 *   vCPU threads     one map for the VM: after a WRMSR's rebuild,
 *                    mtrr_publish it; each vCPU thread calls
 *                    mtrr_published_refresh on its own copy before looking
 *                    up (no lock).  mtrr_state_compare checks that the vCPUs
 *                    agree (the SDM wants identical MTRRs everywhere).
 *   RESET / INIT     mtrr_state_reset(MTRR_RESET_POWER_ON / MTRR_RESET_INIT),
 *                    then rebuild the map.
 *   KVM_GET/SET_MSRS mtrr_msr_list sizes the array and orders it (DEF_TYPE
 *                    last); every value read back goes through mtrr_wrmsr.
 *   migration        mtrr_state_save / mtrr_state_load_ex (format version 2;
 *                    mtrr_state_save_version(1) for a destination with an
 *                    older libmtrr).  A state filled from your own stream:
 *                    mtrr_state_check before use.
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

/*
 * IA32_PAT (when caps.pat; not an MTRR, but it decides the effective type
 * with them): eight entries PA0..PA7, entry i in byte i, its type in bits
 * 2:0 (UC 0, WC 1, WT 4, WP 5, WB 6, UC- 7) and bits 7:3 reserved.  SDM Vol.
 * 3A "IA32_PAT MSR", "Programming the PAT".
 */
#define MTRR_MSR_PAT            0x277u
#define MTRR_PAT_ENTRY_MASK     0x07ull         /* bits 2:0 of entry 0 */
#define MTRR_PAT_RESERVED       0xF8F8F8F8F8F8F8F8ull /* bits 7:3 of every entry */
/* RESET value: PA0..PA7 = WB, WT, UC-, UC, WB, WT, UC-, UC.  INIT keeps the PAT. */
#define MTRR_PAT_POWER_ON       0x0007040600070406ull

#define MTRR_VAR_MAX    40  /* pairs 0x200..0x24F: pair 40 would collide with 0x250 */
#define MTRR_FIXED_MSRS 11  /* fixed-range MSRs */
#define MTRR_FIXED_END  0x100000ull /* the fixed ranges cover [0, 1 MiB) */

/* ------------------------------------------------------------------------ */
/* Types, capabilities and state                                            */
/* ------------------------------------------------------------------------ */

/*
 * Memory types, in their architectural encoding.  2, 3 and 7 are not MTRR
 * types (7 is UC-, a PAT type only): writing them to an MTRR gets #GP.  The
 * last two are not types but answers of the lookup functions.
 */
enum mtrr_type {
	MTRR_TYPE_UC = 0,          /* uncacheable */
	MTRR_TYPE_WC = 1,          /* write-combining (needs MTRRCAP.WC) */
	MTRR_TYPE_WT = 4,          /* write-through */
	MTRR_TYPE_WP = 5,          /* write-protected */
	MTRR_TYPE_WB = 6,          /* write-back */
	MTRR_TYPE_UC_MINUS = 7,    /* UC-: a PAT entry only, never an MTRR type */
	MTRR_TYPE_MIXED = 0xFE,    /* lookup_range: the range is not uniform */
	MTRR_TYPE_INVALID = 0xFF   /* bad argument, e.g. address >= 2^phys_bits */
};

/*
 * The short name of a type ("UC", "WC", "WT", "WP", "WB", "UC-", "MIXED"), or
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
	bool pat;               /* IA32_PAT exists (CPUID.1:EDX.PAT): see MTRR_MSR_PAT */
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
	uint64_t fixed[MTRR_FIXED_MSRS]; /* 0x250, 0x258, 0x259, 0x268..0x26F in that order;
					  * on AMD with RdMem/WrMem as the processor
					  * holds them (MTRR_FIXED_RDMEM) */
	struct {
		uint64_t base;  /* IA32_MTRR_PHYSBASEn */
		uint64_t mask;  /* IA32_MTRR_PHYSMASKn */
	} var[MTRR_VAR_MAX];    /* pairs >= caps.vcnt stay zero */
	uint64_t smrr_base;     /* IA32_SMRR_PHYSBASE, zero without caps.smrr */
	uint64_t smrr_mask;     /* IA32_SMRR_PHYSMASK, zero without caps.smrr */
	uint64_t pat;           /* IA32_PAT, zero without caps.pat */
	/*
	 * AMD only (caps.vendor == MTRR_VENDOR_AMD; zero on Intel): SYSCFG,
	 * TOP_MEM, TOP_MEM2 and the IORRs, described at MTRR_MSR_SYSCFG below.
	 * SYSCFG bits 22:18 are the MTRR bits libmtrr models; every other bit
	 * belongs to the VMM (memory encryption, ...) and is kept as written,
	 * never interpreted.
	 */
	uint64_t syscfg;        /* SYSCFG, MTRR_MSR_SYSCFG */
	uint64_t top_mem;       /* TOP_MEM, MTRR_MSR_TOP_MEM */
	uint64_t top_mem2;      /* TOP_MEM2, MTRR_MSR_TOP_MEM2 */
	struct {
		uint64_t base;  /* IORRBasen */
		uint64_t mask;  /* IORRMaskn */
	} iorr[2];
};

/*
 * AMD's registers around the MTRRs, for MTRR_VENDOR_AMD caps.  From the AMD64
 * Architecture Programmer's Manual (APM) Vol. 2: "System Configuration
 * Register (SYSCFG)" (3.2.1 in revisions 3.3x-3.4x), and "Memory-Mapped I/O"
 * (7.9) with its parts "Extended Fixed-Range MTRR Type-Field Encodings",
 * "IORRs", "IORR Overlapping" and "Top of Memory" (7.9.1-7.9.4).  Section
 * numbers move between revisions; the titles do not.
 *
 * On Intel caps none of them is an MTRR: RDMSR and WRMSR of these indices
 * get MTRR_E_NOT_MTRR (the VMM handles them as it handles any MSR it does not
 * model: a real Intel processor raises #GP), the images stay zero, and
 * mtrr_state_check refuses a non-zero one.
 *
 * SYSCFG (MSR C001_0010h).  Bits 22:18 are the MTRR bits below; libmtrr
 * stores all 64 bits as written and reads them back unchanged, but looks at
 * no other bit: the rest (memory encryption, SNP, ...) belongs to the VMM,
 * which checks its own bits before it calls mtrr_wrmsr.  No value is refused:
 * the APM gives every combination of the five bits a meaning (MtrrFixDramModEn
 * without MtrrFixDramEn is how firmware programs RdMem/WrMem; Tom2ForceMemTypeWB
 * without MtrrTom2En is legal and does nothing).  RESET value: 0, every bit
 * (the processor's own reset value); a VMM that wants its bits otherwise
 * writes SYSCFG after mtrr_state_reset.
 */
#define MTRR_MSR_SYSCFG         0xC0010010u
#define MTRR_SYSCFG_FIX_DRAM_EN     (1ull << 18) /* MtrrFixDramEn: fixed RdMem/WrMem route */
#define MTRR_SYSCFG_FIX_DRAM_MOD_EN (1ull << 19) /* MtrrFixDramModEn: RdMem/WrMem visible */
#define MTRR_SYSCFG_VAR_DRAM_EN     (1ull << 20) /* MtrrVarDramEn: TOP_MEM and IORRs on */
#define MTRR_SYSCFG_TOM2_EN         (1ull << 21) /* MtrrTom2En: TOP_MEM2 on */
#define MTRR_SYSCFG_TOM2_WB         (1ull << 22) /* Tom2ForceMemTypeWB (with MtrrTom2En) */
#define MTRR_SYSCFG_MTRR_BITS       (0x1Full << 18) /* the bits libmtrr models */

/*
 * RdMem and WrMem: bits 4 and 3 of each byte of a fixed-range MTRR on AMD
 * ("Extended Fixed-Range MTRR Type-Field Encodings").  The byte's memory
 * type is bits 2:0; bits 7:5 are reserved.  RdMem = 1 sends reads of the
 * byte's range to DRAM, 0 to memory-mapped I/O; WrMem the same for writes
 * (while SYSCFG.MtrrFixDramEn is set: see mtrr_route).
 *
 * The APM's SYSCFG text: while MtrrFixDramModEn is clear, the two bits read
 * as zero and writes to them have no effect; while it is set, they read and
 * write.  libmtrr does exactly that, without #GP: the image in struct
 * mtrr_state always holds the processor's hidden value (what firmware wrote
 * with MtrrFixDramModEn set, then cleared, as coreboot does), mtrr_rdmsr
 * masks it while the bit is clear, and mtrr_wrmsr keeps it then.  So on AMD a
 * fixed byte 0x1E is WB with RdMem and WrMem, accepted in any SYSCFG state,
 * and reads back as 0x1E or, while MtrrFixDramModEn is clear, as 0x06.  On
 * Intel the whole byte is the type: 0x1E gets MTRR_E_INVALID_TYPE.  (KVM
 * checks every fixed byte as a whole type on both vendors, so it raises #GP
 * where libmtrr follows the APM, and KVM_SET_MSRS refuses such a value: a
 * VMM that hands the fixed MSRs to KVM gives it what mtrr_rdmsr shows with
 * MtrrFixDramModEn clear.)
 */
#define MTRR_FIXED_RDMEM        (1ull << 4)     /* of byte 0; shift by 8 * i */
#define MTRR_FIXED_WRMEM        (1ull << 3)
#define MTRR_FIXED_RDWR_BITS    0x1818181818181818ull /* bits 4:3 of every byte */
#define MTRR_FIXED_TYPE_BITS    0x0707070707070707ull /* bits 2:0 of every byte */
#define MTRR_FIXED_AMD_RESERVED 0xE0E0E0E0E0E0E0E0ull /* bits 7:5 of every byte */

/*
 * IORRBase0/1, IORRMask0/1 (C001_0016h..C001_0019h, "IORRs"): two ranges
 * matched like a variable MTRR pair ((addr & PhysMask) == (PhysBase &
 * PhysMask), bits MAXPHYADDR-1:12), whose accesses go to DRAM or MMIO by
 * RdMem/WrMem, while SYSCFG.MtrrVarDramEn is set.  Base: PhysBase
 * MAXPHYADDR-1:12, RdMem 4, WrMem 3; bits 11:5, 2:0 and 63:MAXPHYADDR
 * reserved.  Mask: PhysMask MAXPHYADDR-1:12, V 11; bits 10:0 and
 * 63:MAXPHYADDR reserved.  RESET: zero (V clear).
 */
#define MTRR_MSR_IORR_BASE(n)   (0xC0010016u + 2u * (unsigned)(n)) /* n = 0, 1 */
#define MTRR_MSR_IORR_MASK(n)   (0xC0010017u + 2u * (unsigned)(n))
#define MTRR_IORR_RDMEM         (1ull << 4)     /* IORRBase: reads go to DRAM */
#define MTRR_IORR_WRMEM         (1ull << 3)     /* IORRBase: writes go to DRAM */
#define MTRR_IORR_V             (1ull << 11)    /* IORRMask: the pair is valid */

/*
 * TOP_MEM (C001_001Ah) and TOP_MEM2 (C001_001Dh), "Top of Memory": an
 * address in bits MAXPHYADDR-1:23 (8 MiB granularity); bits 22:0 and
 * 63:MAXPHYADDR are reserved.  With MtrrVarDramEn, [0, TOP_MEM) is DRAM; with
 * MtrrTom2En, [4 GiB, TOP_MEM2) is DRAM, and with Tom2ForceMemTypeWB too its
 * default memory type is WB (mtrr_ref_lookup).  RESET: zero.
 */
#define MTRR_MSR_TOP_MEM        0xC001001Au
#define MTRR_MSR_TOP_MEM2       0xC001001Du
#define MTRR_TOP_MEM_MASK(phys_bits) \
	(((1ull << (phys_bits)) - 1u) & ~((1ull << 23) - 1u))

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
	MTRR_E_BUFFER_TOO_SMALL = 23, /* caller buffer too small */
	MTRR_E_TOO_FEW_PAIRS = 24,    /* mtrr_plan: the map needs more pairs than allowed */
	MTRR_E_FIXED_CONFLICT = 25,   /* mtrr_plan: two types wanted in one fixed range */
	MTRR_E_MISMATCH = 26          /* vCPUs' MTRR/PAT state differs (mtrr_state_compare) */
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
 * RESET state (MTRRs disabled, every MTRR zero, IA32_PAT at MTRR_PAT_POWER_ON
 * when caps.pat).
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
 * carries stale ranges into the next boot.  The caps are kept.  On AMD the
 * same holds for SYSCFG (all 64 bits: its reset value is 0), TOP_MEM,
 * TOP_MEM2, the IORRs and the hidden RdMem/WrMem bits of the fixed MSRs.
 *
 * With caps.pat, IA32_PAT gets MTRR_PAT_POWER_ON (SDM "Programming the PAT").
 *
 * MTRR_RESET_INIT: INIT does not touch the MTRRs nor the PAT (nor, on AMD,
 * SYSCFG, the top-of-memory registers and the IORRs): `s` is unchanged.
 *
 * A NULL `s` or an unknown `kind` does nothing.
 */
MTRR_API void mtrr_state_reset(struct mtrr_state *s, enum mtrr_reset kind);

/*
 * RDMSR: stores the value of MSR `msr` in `*value`.
 *
 * IA32_MTRRCAP reads back what the caps say (VCNT, FIX, WC, SMRR; every other
 * bit zero).  On AMD caps a fixed-range MSR reads with RdMem/WrMem (bits 4:3
 * of each byte) as zero while SYSCFG.MtrrFixDramModEn is clear, and the AMD
 * registers (MTRR_MSR_SYSCFG and below) read as stored; on Intel caps those
 * are MTRR_E_NOT_MTRR whatever their images hold (mtrr_state_check finds a
 * non-zero one).  Returns MTRR_E_NOT_MTRR for an MSR that is not an MTRR,
 * MTRR_E_ABSENT for an MTRR MSR these caps do not have (pair >= VCNT, fixed
 * MSRs without caps.fixed, SMRR without caps.smrr), MTRR_E_INVALID_ARG for a
 * NULL argument or a state that mtrr_state_init did not initialise (caps it
 * would refuse).  MTRR_E_INVALID_ARG too when the image of the register read
 * is corrupt (a struct filled directly): a value mtrr_wrmsr would refuse, or
 * non-zero for a register the caps lack.  `*value` is written only on MTRR_OK.
 *
 * The SDM allows the SMRR pair to be accessed in SMM only; libmtrr does not
 * know about SMM, so a VMM that models SMM gates that itself.
 *
 * IA32_PAT (MTRR_MSR_PAT) is handled as one of these registers when caps.pat
 * is set.  Without caps.pat it gets MTRR_E_NOT_MTRR, not MTRR_E_ABSENT: the
 * PAT is not an MTRR (no MTRRCAP bit announces it; CPUID does), so a VMM
 * that does not hand it to libmtrr keeps handling it exactly as before.
 */
MTRR_API mtrr_status mtrr_rdmsr(const struct mtrr_state *s, uint32_t msr, uint64_t *value);

/*
 * WRMSR: validates `value` for MSR `msr` and stores it, or changes nothing.
 *
 * The checks, in this order (the status names the first that fails):
 *   MTRR_E_NOT_MTRR        the MSR is not an MTRR MSR (IA32_PAT counts as
 *                          one when caps.pat is set; SYSCFG, TOP_MEM,
 *                          TOP_MEM2 and the IORRs on AMD caps only);
 *   MTRR_E_READ_ONLY       IA32_MTRRCAP;
 *   MTRR_E_ABSENT          the register does not exist in these caps;
 *   MTRR_E_RESERVED_BIT    a reserved bit is set: DEF_TYPE 9:8 and 63:12;
 *                          PHYSBASE 11:8 and 63:MAXPHYADDR; PHYSMASK 10:0 and
 *                          63:MAXPHYADDR; SMRR_PHYSBASE 11:8 and 63:32;
 *                          SMRR_PHYSMASK 10:0 and 63:32; IA32_PAT bits 7:3
 *                          of any entry (MTRR_PAT_RESERVED); AMD: bits 7:5
 *                          of any fixed-range byte, TOP_MEM and TOP_MEM2
 *                          22:0 and 63:MAXPHYADDR, IORRBase 11:5, 2:0 and
 *                          63:MAXPHYADDR, IORRMask 10:0 and 63:MAXPHYADDR
 *                          (SYSCFG has none: every value is accepted);
 *   MTRR_E_INVALID_TYPE    a type field (DEF_TYPE, PHYSBASE, SMRR_PHYSBASE, any
 *                          byte of a fixed MSR; on AMD bits 2:0 of the byte)
 *                          is not 0, 1, 4, 5 or 6; an IA32_PAT entry is 2 or
 *                          3 (UC- = 7 is a PAT type);
 *   MTRR_E_WC_UNSUPPORTED  a type field is WC and caps.wc is false (not
 *                          for IA32_PAT: MTRRCAP.WC speaks of the MTRRs).
 *
 * Not reserved: DEF_TYPE.FE without caps.fixed is stored, reads back and has
 * no effect.  A PHYSBASE with bits set below its mask's alignment, and a
 * non-contiguous PHYSMASK, are legal (only the masked bits compare).
 *
 * AMD: bits 4:3 of a fixed-range byte are RdMem/WrMem (MTRR_FIXED_RDMEM).
 * While SYSCFG.MtrrFixDramModEn is set they are stored as written; while it
 * is clear the write keeps the hidden bits the image holds and stores the
 * rest (the APM: "writes have no effect" on them), so such a write reads
 * back with bits 4:3 zero.  No #GP either way.  The checks above apply to
 * every byte whatever the bit says.  A value written to SYSCFG, TOP_MEM,
 * TOP_MEM2 or an IORR changes no other register (a processor's SYSCFG write
 * changes no MTRR either): the VMM rebuilds the map after it, as after any
 * accepted write.
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
 * without caps.smrr, IA32_PAT without caps.pat, SYSCFG, TOP_MEM, TOP_MEM2
 * and the IORRs on Intel caps) is zero.  On AMD the fixed images may hold
 * RdMem/WrMem whatever SYSCFG says (the hidden value), and every SYSCFG is
 * fine.  For a VMM that fills a struct mtrr_state from
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
 * Order: the variable pairs (PHYSBASEn, PHYSMASKn for n < vcnt); on AMD
 * caps IORRBase0, IORRMask0, IORRBase1, IORRMask1, TOP_MEM, TOP_MEM2 and
 * SYSCFG; the fixed MSRs when caps->fixed, the SMRR pair when caps->smrr,
 * IA32_PAT when caps->pat, and IA32_MTRR_DEF_TYPE last, so that writing them
 * back in this order enables the MTRRs only once every range is in place.
 * SYSCFG comes after the registers it enables and before the fixed MSRs:
 * values read while MtrrFixDramModEn was set carry RdMem/WrMem, and they
 * land only once SYSCFG has set it again.
 *
 * Writes at most `capacity` indices to `msrs` (a NULL `msrs` counts as capacity
 * 0) and returns the full count, at most MTRR_MSR_LIST_MAX (95 on Intel, 100
 * on AMD): call with capacity 0 to size the buffer.  Returns 0 for a NULL or
 * impossible `caps` (the same rules as mtrr_state_init).
 *
 * The AMD registers are in the list because they are the guest's state; a
 * VMM whose kernel does not save them (check what KVM_GET_MSRS answers for
 * them) keeps them itself: mtrr_state_save carries them.
 */
MTRR_API size_t mtrr_msr_list(const struct mtrr_caps *caps, uint32_t *msrs, size_t capacity);

/*
 * The largest count mtrr_msr_list can return: AMD caps with every pair,
 * fixed ranges, the PAT and the seven AMD registers (Intel's largest, with
 * SMRR instead, is 95).
 */
#define MTRR_MSR_LIST_MAX (2 * MTRR_VAR_MAX + MTRR_FIXED_MSRS + 9)

/* ------------------------------------------------------------------------ */
/* Reference resolver                                                       */
/* ------------------------------------------------------------------------ */

/*
 * The memory type of physical address `addr`, computed straight from the
 * registers by the SDM's precedence rules ("MTRR Precedences"):
 *
 *   1. DEF_TYPE.E = 0: UC.
 *   2. addr < 1 MiB, DEF_TYPE.FE = 1 and caps.fixed: the fixed-range byte
 *      (on AMD its bits 2:0: RdMem/WrMem route, they do not type).
 *   3. Otherwise the set T of types of every valid variable pair n < VCNT with
 *      (addr & PhysMask) == (PhysBase & PhysMask) over bits MAXPHYADDR-1:12:
 *      T empty: DEF_TYPE.Type, except WB on AMD in [4 GiB, TOP_MEM2) with
 *      SYSCFG.MtrrTom2En and Tom2ForceMemTypeWB; one type: that type; UC in
 *      T: UC; T = {WT, WB}: WT; anything else (undefined): UC, or WB with
 *      caps.overlap == MTRR_OVERLAP_WB.
 *   4. addr >= 2^phys_bits: MTRR_TYPE_INVALID.
 *
 * Types combine over the set of ALL matching pairs, never pairwise in
 * register order.  The SMRR pair is not consulted: it applies in SMM only.
 * Slow and simple on purpose: tests, fuzzers and the benchmark trust it.
 * Returns MTRR_TYPE_INVALID for a NULL `s` or one mtrr_state_init did not
 * initialise (caps it would refuse), and when an image this call reads is one
 * mtrr_wrmsr would refuse: DEF_TYPE always, the fixed-range byte it answers
 * with, both images of every pair n < VCNT it scans, and on AMD TOP_MEM2
 * above 4 GiB where no pair matches and SYSCFG has MtrrTom2En and
 * Tom2ForceMemTypeWB.  Those few images are
 * checked inline, not the whole state (mtrr_state_check): it stays as cheap
 * as a per-lookup register scan.
 */
MTRR_API MTRR_PURE uint8_t mtrr_ref_lookup(const struct mtrr_state *s, uint64_t addr);

/* ------------------------------------------------------------------------ */
/* Where an access goes: DRAM or memory-mapped I/O (AMD)                    */
/*                                                                          */
/* On AMD processors the MTRRs' neighbours also route accesses: the fixed   */
/* ranges' RdMem/WrMem bits, the IORRs, TOP_MEM and TOP_MEM2 say whether a  */
/* read or a write of a physical address goes to system memory (DRAM) or    */
/* to memory-mapped I/O (MMIO), independently of its memory type (APM Vol.  */
/* 2, "Memory-Mapped I/O").  Emulators and firmware tools ask this.         */
/*                                                                          */
/* PRECEDENCE.  The APM describes each mechanism alone; AMD's BIOS and      */
/* Kernel Developer's Guides (family 10h-16h, "Determining The Access       */
/* Destination for Core Accesses") rank them, highest first:                */
/*                                                                          */
/*   1. addr < 1 MiB, caps.fixed and SYSCFG.MtrrFixDramEn: the fixed-range  */
/*      byte's RdMem (a read) or WrMem (a write): 1 DRAM, 0 MMIO.           */
/*      Independent of DEF_TYPE.E and .FE, which select memory types; the   */
/*      hidden value counts (see MTRR_FIXED_RDMEM), not what RDMSR shows.   */
/*   2. SYSCFG.MtrrVarDramEn and an IORR pair with V set matching addr      */
/*      ((addr & PhysMask) == (PhysBase & PhysMask), bits MAXPHYADDR-1:12): */
/*      its RdMem or WrMem.  Both pairs matching with different answers is  */
/*      implementation-dependent in the APM ("IORR Overlapping"): libmtrr   */
/*      answers MMIO then, which never lets an access reach DRAM that one   */
/*      of the pairs keeps away from it.                                    */
/*   3. DRAM when SYSCFG.MtrrVarDramEn and addr < TOP_MEM, or               */
/*      SYSCFG.MtrrTom2En and 4 GiB <= addr < TOP_MEM2 ("Top of Memory").   */
/*   4. Otherwise MMIO: with every enable clear, every access is MMIO.      */
/*                                                                          */
/* Not modelled: what ranks above the fixed ranges in those guides (SMM     */
/* ASeg/TSeg, the APIC page, MMIO configuration space) and the              */
/* northbridge's own address map: they are not registers of this library.   */
/* ------------------------------------------------------------------------ */

/* The destination of an access. */
enum mtrr_dest {
	MTRR_DEST_MMIO = 0,             /* memory-mapped I/O */
	MTRR_DEST_DRAM = 1,             /* system memory */
	MTRR_DEST_INVALID = 0xFF        /* no answer: see mtrr_route */
};

/*
 * Where a read (`write` false) or a write (`write` true) of physical address
 * `addr` goes on the AMD processor `s` models, by the precedence above.
 *
 * Returns MTRR_DEST_INVALID for a NULL `s`, caps mtrr_state_init would
 * refuse, addr >= 2^phys_bits, Intel caps (an Intel processor's MTRRs do not
 * route: its chipset does), and when an image this call reads is one
 * mtrr_wrmsr would refuse (the fixed byte it answers with, TOP_MEM,
 * TOP_MEM2, both IORR pairs; checked inline, as mtrr_ref_lookup does).
 * Constant time: no loop over the variable pairs.  Thread-safe on a state
 * nobody writes.
 */
MTRR_API MTRR_PURE enum mtrr_dest mtrr_route(const struct mtrr_state *s, uint64_t addr,
                                             bool write);

/*
 * mtrr_route, and in `*next` the first address above `addr` where the
 * destination of that access kind changes (2^phys_bits when it does not up
 * to the end), so a caller walks the DRAM/MMIO map run by run:
 *
 *     for (a = 0; a < limit; a = next) d = mtrr_route_next(s, a, false, &next);
 *
 * Every address in [addr, *next) has the returned destination.  *next is
 * exactly where it changes, except when IORR masks are non-contiguous (a
 * strided set of blocks) and the change is more than 256 edges away: the
 * call then stops at an edge of an IORR block, earlier than the change,
 * and the next call goes on from there (so the work per call stays bounded;
 * a walk's merged runs are exact either way).  On MTRR_DEST_INVALID *next
 * is 2^phys_bits (or 0 when `s` is NULL or its caps are refused); `next`
 * must not be NULL.
 */
MTRR_API enum mtrr_dest mtrr_route_next(const struct mtrr_state *s, uint64_t addr, bool write,
                                        uint64_t *next);

/*
 * The compiled form of mtrr_route, for emulators that route every access:
 * the same answers from a small caller-owned table, with no validation and
 * no walk of the registers per call.  Build it after every change of the
 * state, as a memory-type map (it does not refer to the state afterwards).
 * The fields are private; the layout may change between releases.
 */
struct mtrr_route_map {
	uint64_t limit;                 /* 2^phys_bits */
	uint64_t fixed_end;             /* 1 MiB when the fixed ranges route, else 0 */
	uint64_t top_mem;               /* DRAM below it; 0 without MtrrVarDramEn */
	uint64_t tom2_span;             /* DRAM in [4 GiB, 4 GiB + tom2_span) */
	uint64_t iorr_base[2];          /* PhysBase & PhysMask; never-matching: bit 63 */
	uint64_t iorr_mask[2];          /* bits MAXPHYADDR-1:12; never-matching: bit 63 */
	uint8_t iorr_dram[2];           /* bit 0: reads go to DRAM, bit 1: writes */
	uint8_t pad_[6];
	uint8_t page[256];              /* 4 KiB pages below 1 MiB: bits as iorr_dram */
};

/*
 * Compiles the routing of the AMD processor `s` models into `m`.  Returns
 * MTRR_E_INVALID_ARG, and leaves `m` untouched, for a NULL argument, Intel
 * caps (mtrr_route has no answer there) or a state mtrr_state_check refuses;
 * MTRR_OK otherwise.  Constant time (the 256 pages below 1 MiB).
 */
MTRR_API mtrr_status mtrr_route_map_build(struct mtrr_route_map *m, const struct mtrr_state *s);

/*
 * mtrr_route(s, addr, write) on the state `m` was built from: the same
 * answer for every address, MTRR_DEST_INVALID for addr >= 2^phys_bits.  A
 * handful of compares, no loop; `m` must have been filled by
 * mtrr_route_map_build (never NULL).
 */
MTRR_API MTRR_PURE enum mtrr_dest mtrr_route_map_lookup(const struct mtrr_route_map *m,
                                                        uint64_t addr, bool write);

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
/*   mtrr_map_build           <= 2 ms,   measured 0.50 ms (typical 0.1 us)  */
/*   mtrr_map_lookup_range    <= 0.2 ms, measured 64 us   (typical 3 ns)    */
/*   mtrr_map_lookup_next     <= 10 us,  measured 4.3 us  (typical 2 ns)    */
/*   mtrr_map_diff_cover      <= 2 ms,   measured 0.90 ms (capacity 64;     */
/*                                       typical 59 ns)                     */
/*   mtrr_map_lookup(_inline) unchanged:  one byte load, or a scan of the   */
/*                            valid pairs in a mixed slot (<= 40 compares)  */
/*                                                                          */
/* README.md ("Worst cases") has the measured table and how to reproduce    */
/* it.  What a budget that runs out means is said at each call: it never    */
/* makes an answer wrong, only coarser (an earlier `next`, a MIXED range, a */
/* wider cover); only states of interleaved non-contiguous masks reach a    */
/* range query's or a cover's budget (the _ex forms tell).                  */
/* mtrr_map_ranges and mtrr_map_diff stay exact for                         */
/* tools: their output itself can be astronomically large, so their cost   */
/* is proportional to it.  The query functions use about 3.5 KiB of stack.  */
/* ------------------------------------------------------------------------ */

#define MTRR_MAP_SLOTS 2048 /* private: size of the coarse index */
#define MTRR_MAP_RUNS  160  /* private: most runs kept as a sorted list */
#define MTRR_MAP_PAGES 256  /* private: 4 KiB pages below 1 MiB */
#define MTRR_MAP_NODES 64   /* private: second-level nodes for mixed slots */
#define MTRR_MAP_FANOUT 64  /* private: entries of a node */
/* private: a slot or node entry >= this is not a type: node (it - this) or MIXED */
#define MTRR_MAP_NODE  0x80
/* private: slot[2048] of a map with a high table: it answers from top on */
#define MTRR_MAP_HIGH  0xFD
/* private: the high table, 2048 entries, is node[32..63] (32 nodes are left) */
#define MTRR_MAP_HIGH_NODE 32

/*
 * A compiled, immutable view of one state's effective memory types.  Fixed
 * size (about 8 KiB), caller-owned, no pointers inside (it can be copied with
 * memcpy).  The fields are private: use the mtrr_map_* functions.  Their
 * layout is part of the ABI (the SONAME changes with it) because
 * mtrr_map_lookup_inline reads limit, top, shift and lut directly.  Any number
 * of threads may call the lookup functions on the same map at once.
 */
struct mtrr_map {
	/* private: everything below */
	uint64_t limit;                 /* 2^phys_bits */
	uint64_t top;                   /* MTRR_MAP_SLOTS << shift: the clamp */
	uint64_t tom2;                  /* AMD: [4 GiB, tom2) defaults to WB; 0: off */
	uint8_t shift;                  /* slot i covers [i << shift, (i+1) << shift) */
	uint8_t scan;                   /* 1: runs did not fit, use the scan form */
	uint16_t nruns;                 /* run form: entries of run_start/run_type */
	uint8_t nvar;                   /* scan form: valid pairs kept */
	uint8_t nnodes;                 /* nodes in use */
	uint8_t ubase;                  /* nodes from here on are uniform (one type) */
	uint8_t hshift;                 /* high slot j: [j << hshift, (j+1) << hshift) */
	/*
	 * lut[p], p < MTRR_MAP_PAGES: the type of 4 KiB page p below 1 MiB.
	 * lut[MTRR_MAP_PAGES + i]: slot i, the type of its addresses at or above
	 * 1 MiB, or MTRR_MAP_NODE + k (node k splits it), or MTRR_TYPE_MIXED;
	 * the last slot is [top, limit), or MTRR_MAP_HIGH: the high table
	 * (node[MTRR_MAP_HIGH_NODE...], entry j = addr >> hshift) answers there.
	 */
	uint8_t lut[MTRR_MAP_PAGES + MTRR_MAP_SLOTS + 1];
	uint8_t fixed_next[MTRR_MAP_PAGES]; /* first page of another type, 0: none */
	uint8_t node[MTRR_MAP_NODES][MTRR_MAP_FANOUT]; /* entries as in the slots */
	union {
		struct {
			uint64_t start[MTRR_MAP_RUNS]; /* sorted, start[0] == 0 */
			uint8_t type[MTRR_MAP_RUNS];
		} run;
		struct {
			uint64_t base[MTRR_VAR_MAX];   /* PhysBase & PhysMask */
			uint64_t mask[MTRR_VAR_MAX];   /* PhysMask, bits MAXPHYADDR-1:12 */
			uint8_t type[MTRR_VAR_MAX];
			uint8_t combine[256];          /* type set (bit 7: in [4 GiB, tom2)) -> type */
		} var;
	} u;
};

/*
 * Compiles the effective memory types of `s` into `m`.  Call it once after
 * every change of the state (a WRMSR that returned MTRR_OK, a reset, a load);
 * the map does not refer to `s` afterwards.  Zero `m` before its first build
 * (static storage, `= {0}`, calloc or memset), or pass a map an earlier build
 * or mtrr_published_refresh filled: a build writes what the map uses and
 * clears only what an earlier build may have left, so builds of one state
 * are then byte for byte equal (clearing all 8 KiB every time cost a typical
 * build a third of its time).  A map never zeroed still answers every query
 * exactly (no query reads a byte the build did not write), but may keep
 * stale bytes, and a memory checker (Valgrind, MSan) flags the build's read
 * of the old contents.  Exact for every legal state,
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
 * mtrr_map_lookup with its fast path inlined into the caller: compares,
 * a clamp, a shift and one byte load answer every address below 1 MiB (from
 * the fixed-page table) and every address in a uniform slot, with no call;
 * a slot that holds several types walks up to two node levels inline, and
 * only a deeper or undecided one calls mtrr_map_lookup.  (A map of
 * non-contiguous masks may have fine slots up to 8 GiB and a high table
 * beyond: there, one more load on the same slow path, and the fast path
 * stays as it is for every map.)  The same answers;
 * use it in a loop over many addresses.  Page or slot is one conditional
 * expression: clang compiles it to a cmov, gcc 12 to a branch that only
 * addresses on both sides of 1 MiB in turn can mispredict (forcing a mask
 * select cost gcc's typical lookup 25%, 0.85 -> 1.1 ns, so it is not).
 */
static inline uint8_t
mtrr_map_lookup_inline(const struct mtrr_map *m, uint64_t addr)
{
	size_t i;
	uint8_t t;

	if (MTRR_UNLIKELY(addr >= m->limit))
		return MTRR_TYPE_INVALID;
	i = MTRR_MAP_PAGES + (size_t)((addr < m->top ? addr : m->top) >> m->shift);
	i = addr < MTRR_FIXED_END ? (size_t)(addr >> 12) : i;
	t = m->lut[i];
	if (MTRR_UNLIKELY(t >= MTRR_MAP_NODE)) {
		/*
		 * Not a type: the high table from top on, then up to two node
		 * levels inline, without a call (a map without nodes never gets
		 * here for a uniform slot, so its fast path is the load above
		 * and this one test).
		 */
		/* node[k][j] is nodes[k * 64 + j]; entry t refers to node t - 0x80 */
		const uint8_t *nodes = (const uint8_t *)m->node;
		unsigned sh = m->shift;

		if (t == MTRR_MAP_HIGH) {
			/* node[32..63] read as one array of 2048 bytes */
			sh = m->hshift;
			t = nodes[MTRR_MAP_HIGH_NODE * MTRR_MAP_FANOUT + (size_t)(addr >> sh)];
			if (t < MTRR_MAP_NODE)
				return t;
		}

		if (t >= MTRR_MAP_NODE + MTRR_MAP_NODES)
			return mtrr_map_lookup(m, addr);        /* MIXED */
		sh -= 6u;
		t = nodes[((size_t)t << 6) - (MTRR_MAP_NODE << 6) + (size_t)((addr >> sh) & 63u)];
		if (t < MTRR_MAP_NODE)
			return t;                               /* one level */
		if (t >= MTRR_MAP_NODE + MTRR_MAP_NODES)
			return mtrr_map_lookup(m, addr);
		sh -= 6u;
		t = nodes[((size_t)t << 6) - (MTRR_MAP_NODE << 6) + (size_t)((addr >> sh) & 63u)];
		if (t >= MTRR_MAP_NODE)
			return mtrr_map_lookup(m, addr);        /* deeper */
	}
	return t;
}

/*
 * The types of n addresses: types[i] = mtrr_map_lookup(m, addrs[i]) for
 * i < n.  For callers that resolve many pages at once (prefaulting, dirty
 * page migration, the tool): one call, the fast path of every lookup
 * inlined in the library's loop.  addrs and types may not overlap; n 0 does
 * nothing.  Thread-safe like the other lookups.
 */
MTRR_API void mtrr_map_lookup_batch(const struct mtrr_map *m, const uint64_t *addrs,
                                    uint8_t *types, size_t n);

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
 * page of one type?".  Exact on every state without non-contiguous masks,
 * and on non-contiguous ones as far as its budget goes: it decides aligned
 * blocks instead of walking runs.  When the budget runs out it answers
 * MTRR_TYPE_MIXED (the safe answer for a hypervisor: map smaller pages),
 * never a wrong type.  A fuzzer finds such ranges in seconds on states of
 * many interleaved non-contiguous masks, where proving one type can take
 * exponential work; mtrr_map_lookup_range_ex says when it happened.  Worst
 * case: 0.2 ms.
 */
MTRR_API MTRR_PURE uint8_t mtrr_map_lookup_range(const struct mtrr_map *m, uint64_t start, uint64_t end);

/*
 * mtrr_map_lookup_range, and in `*exact` (when not NULL) false when the
 * answer is a MIXED the budget forced (the range may still be of one type).
 */
MTRR_API uint8_t mtrr_map_lookup_range_ex(const struct mtrr_map *m, uint64_t start, uint64_t end,
                                          bool *exact);

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
 * work is bounded whatever the guest wrote: see BOUNDED WORK above for the
 * measured worst case.  This is the call to make after every accepted WRMSR.
 *
 * When that budget runs out (adversarial non-contiguous masks), the cover is
 * still a cover, never smaller, only coarser: the last range then starts at
 * the first address not yet decided (not necessarily a difference), ends at
 * the end of the last difference or, failing that, of the span of the pairs
 * one map lacks, and a range's type may be MIXED where b is uniform; the
 * count is then non-zero even if the maps turn out to agree there (deciding
 * that can take exponential work, which is why there is a budget).
 * mtrr_map_diff_cover_ex says when that happened.
 */
MTRR_API size_t mtrr_map_diff_cover(const struct mtrr_map *a, const struct mtrr_map *b,
                                    struct mtrr_range *out, size_t capacity);

/*
 * mtrr_map_diff_cover, and in `*exact` (when not NULL) whether the output is
 * the exact form above (true) or a coarser cover because the work budget ran
 * out (false).  For tests, fuzzers and VMMs that want to count the latter.
 */
MTRR_API size_t mtrr_map_diff_cover_ex(const struct mtrr_map *a, const struct mtrr_map *b,
                                       struct mtrr_range *out, size_t capacity, bool *exact);

/* ------------------------------------------------------------------------ */
/* Snapshot (save/restore, migration)                                       */
/* ------------------------------------------------------------------------ */

/*
 * Serialises `s` into `buf`: a versioned, little-endian, self-describing
 * format that does not depend on the host (magic "MTRRSNAP", format version,
 * total size, the source caps, every register the caps define, CRC-32C; the
 * byte layout is documented at the top of libmtrr/snapshot.c), in format
 * version 2: 28 bytes plus 12 per register, at most 1228 (MTRR_SNAPSHOT_MAX).
 * An AMD register (SYSCFG, TOP_MEM, TOP_MEM2, an IORR) is written only when
 * it is not zero, so a snapshot of an AMD vCPU whose AMD registers are at
 * their RESET value loads in every libmtrr that reads version 2; the fixed
 * MSRs carry their hidden RdMem/WrMem bits.  Writes nothing unless `len` is at least the
 * full size, and returns the full size in bytes: call with len 0 to size the
 * buffer.  Returns 0, and writes nothing, for a NULL `s` or a state
 * mtrr_state_check refuses (caps mtrr_state_init would refuse, or a register
 * image mtrr_wrmsr would not have stored): a snapshot never carries garbage.
 */
MTRR_API size_t mtrr_state_save(const struct mtrr_state *s, void *buf, size_t len);

/* The largest snapshot mtrr_state_save writes (AMD caps with every register). */
#define MTRR_SNAPSHOT_MAX (28 + 12 * MTRR_MSR_LIST_MAX)

/*
 * mtrr_state_save in an older format `version`, for a destination whose
 * libmtrr predates the current one (e.g. when a VMM migrates to a host it
 * has not upgraded yet).  Version 1 (28 bytes plus 8 per register, at most
 * 780) has no PAT: it refuses a state with caps.pat; nor AMD registers: it
 * refuses an AMD state whose SYSCFG, TOP_MEM, TOP_MEM2 or IORRs are not zero
 * or whose fixed MSRs hold RdMem/WrMem (a library that reads only version 1
 * would refuse those bytes).  Version 2 is what
 * mtrr_state_save writes.  Returns 0, writing nothing, for an unknown
 * version, a state the version cannot express, or whatever mtrr_state_save
 * refuses; the full size otherwise, like mtrr_state_save.
 */
MTRR_API size_t mtrr_state_save_version(const struct mtrr_state *s, unsigned version,
                                        void *buf, size_t len);

/*
 * Restores a snapshot into `s` for a vCPU with caps `target`, all or nothing:
 * on any error `s` is unchanged.  `len` must be the snapshot's exact size
 * (trailing bytes are MTRR_E_SNAPSHOT_CORRUPT).  The checks, in order:
 *
 *   framing      magic, length, version (1 and 2 load), CRC-32C, field
 *                ranges, the records of version 2
 *                (MTRR_E_SNAPSHOT_MAGIC/_TRUNCATED/_VERSION/_CORRUPT/_CHECKSUM;
 *                a version 2 record of an AMD register from an Intel
 *                source, or one holding zero, is _CORRUPT);
 *                a capability flag or a register this library does not know
 *                (a version 2 snapshot from a later libmtrr) is
 *                MTRR_E_INCOMPATIBLE, the register named by load_ex;
 *   registers    each against the snapshot's own caps, by the rules of
 *                mtrr_wrmsr (a #GP status: the snapshot is garbage);
 *   target       the policy "a load never loses a register's content and
 *                never changes the type of an address the source had"
 *                (MTRR_E_INCOMPATIBLE): a register the target lacks (pair >=
 *                target vcnt, fixed MSRs, SMRR, PAT) may be dropped only when
 *                it holds its power-on value (zero; MTRR_PAT_POWER_ON for the
 *                PAT), and one the source lacked (a version 1 snapshot's PAT,
 *                an AMD register the snapshot has no record of) keeps the
 *                target's;
 *                DEF_TYPE.FE set, and AMD's SYSCFG.MtrrFixDramEn set (the
 *                fixed ranges route the first MiB), need the same caps.fixed
 *                on both sides; every kept register must pass mtrr_wrmsr's rules for the
 *                target (WC needs target.wc, bases and masks must fit the
 *                target's MAXPHYADDR).  Vendor and overlap policy may differ:
 *                an AMD source's AMD registers and RdMem/WrMem bits then
 *                follow the rules above (an Intel target has none of them).
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

/* ------------------------------------------------------------------------ */
/* Planning: the registers for a wanted memory map                          */
/*                                                                          */
/* The inverse of the resolver.  Firmware (EDK2's MtrrLib, coreboot,        */
/* SeaBIOS), a VMM that boots a guest kernel directly, and an OS that       */
/* cleans up after its firmware all need DEF_TYPE, fixed ranges and         */
/* variable pairs that produce a memory map; mtrr_plan computes them with   */
/* the fewest variable pairs.                                               */
/*                                                                          */
/* THE WANTED MAP is a sorted array of struct mtrr_range: each [start, end) */
/* with the type every address in it must get, or MTRR_TYPE_ANY where any   */
/* type will do (unpopulated space, holes nothing maps).  Addresses that no */
/* entry covers are "don't care" as well, so a map lists what matters and   */
/* nothing else.  The output of mtrr_map_ranges is a valid wanted map:      */
/* planning it reprograms what a firmware set, with the fewest pairs.       */
/* Don't-care space is what lets blocks grow: a plan is free to type it     */
/* anything, and usually does.                                              */
/*                                                                          */
/* THE MODEL.  Every cared-for address must get its wanted type by the SDM  */
/* rules (mtrr_ref_lookup): the fixed range below 1 MiB when FE is set,     */
/* else the default type where no pair matches, the pair's type where one   */
/* type matches, UC where UC is among them, WT where WT and WB match.       */
/*                                                                          */
/*   - No undefined overlap, anywhere.  A plan never makes two pairs of a   */
/*     combination the SDM leaves undefined ({WB, WC}, {WT, WP}, ...) match */
/*     one address, not even a don't-care one, so it means the same under   */
/*     either caps.overlap policy and on every processor.  This costs no    */
/*     pair: in a plan with such an address, the smallest pair over it can  */
/*     be dropped (every address under that pair sees all of the undefined  */
/*     combination, so a cared-for one there is UC by another pair and      */
/*     stays UC), and repeating that leaves none.                           */
/*   - Contiguous masks only: each pair types one aligned power-of-two      */
/*     block of at least 4 KiB (PHYSMASK = all ones above the size; the     */
/*     whole space, PHYSMASK 0, with allow_whole_space).  A non-contiguous  */
/*     mask types a strided set of blocks and can occasionally save a pair  */
/*     (WB wanted on pages 0 and 2 and UC on pages 1 and 3 is one pair      */
/*     whose mask tests bit 12 but not bit 13, and two with contiguous      */
/*     masks), but the SDM presents ranges as power-of-two blocks and most  */
/*     code that reads the registers back assumes contiguous masks (Linux   */
/*     computes a pair's size as -mask, "correct if size is a power of      */
/*     two"), so a plan never uses one.  "Fewest" is among contiguous       */
/*     masks.                                                               */
/*   - Below 1 MiB: with opts.use_fixed the fixed-range MSRs type           */
/*     [0, 1 MiB) (DEF_TYPE.FE set) and the pairs and the default need not  */
/*     care there; without it the first MiB is planned like any other       */
/*     address, with pairs and the default type.                            */
/*                                                                          */
/* MINIMAL.  Within that model the number of pairs is exactly the minimum,  */
/* for every input: the planner is an exact dynamic programme over the      */
/* binary trie of the address space that considers every default type the   */
/* options allow, a whole-space pair when allowed, UC holes punched in any  */
/* type and WT holes in WB, and don't-care space on every block             */
/* (libmtrr/plan.c has the derivation).  tests/test_plan.c checks the count */
/* against an exhaustive search over every register set on small spaces,    */
/* and every plan is resolved back through mtrr_map_build.                  */
/* ------------------------------------------------------------------------ */

/*
 * The wanted type "don't care" in a map given to mtrr_plan: any type will
 * do.  Not a memory type: no register holds it and no lookup returns it
 * (mtrr_type_str calls it "INVALID").
 */
#define MTRR_TYPE_ANY 0xF0

/* mtrr_plan_opts.default_type: the planner picks the default type. */
#define MTRR_PLAN_DEFAULT_FREE (-1)

/*
 * What the caller allows the planner.  A zero-initialised struct asks for a
 * UC default (what most firmware uses), every pair usable, no whole-space
 * pair and no fixed ranges; set the fields you mean.
 */
struct mtrr_plan_opts {
	/*
	 * The default type (DEF_TYPE.Type) as an enum mtrr_type, or
	 * MTRR_PLAN_DEFAULT_FREE to let the planner pick the one that needs
	 * the fewest pairs.  Free, a tie goes to UC, then WB, WT, WP, WC:
	 * don't-care space stays uncached when that costs nothing.
	 */
	int default_type;
	/*
	 * Pairs to leave unused at the top for the OS (EDK2 reserves 2 by
	 * default).  The plan uses pairs 0 .. k-1 with k <= caps.vcnt -
	 * reserve_pairs.
	 */
	unsigned reserve_pairs;
	/*
	 * May one pair cover all of [0, 2^phys_bits) (PHYSMASK with only V
	 * set)?  It acts as a second default type under the precedence rules,
	 * which only helps when default_type is fixed: a UC default with a
	 * whole-space WB pair and UC holes.  A size computed from the mask the
	 * usual way comes out as 0 for it, which some tools take for an unused
	 * pair, hence off unless asked for.
	 */
	bool allow_whole_space;
	/*
	 * Type [0, 1 MiB) with the eleven fixed-range MSRs (needs caps.fixed):
	 * each byte gets the one type its unit (64 KiB below 512 KiB, 16 KiB
	 * below 768 KiB, 4 KiB above) wants, UC where it wants nothing, and
	 * DEF_TYPE.FE is set.  Off: FE stays clear, the fixed MSRs zero, and
	 * the first MiB is planned with the pairs.
	 */
	bool use_fixed;
};

/*
 * Plans the MTRRs of a processor with `caps` for the wanted map `want`
 * (`n` entries) under `opts`, with the fewest variable pairs, and on MTRR_OK
 * stores the complete state in `out`:
 *
 *   - DEF_TYPE: the default type, E, and FE when opts->use_fixed;
 *   - the fixed-range images (opts->use_fixed), else zero;
 *   - pairs 0 .. k-1: PHYSBASE = block base | type, PHYSMASK = contiguous
 *     mask | V, outer blocks before the blocks they contain, in address
 *     order; every other pair, and SMRR, zero.
 *
 * The result is a state mtrr_state_init + mtrr_wrmsr could hold: writing the
 * MSRs of mtrr_msr_list(caps) in that order reproduces it (DEF_TYPE, with E,
 * last), and mtrr_map_build of it gives every cared-for address its wanted
 * type.  `*pairs_needed` (when not NULL) gets k.  The same input always gives
 * the same plan.
 *
 * The wanted map: entries sorted by address, non-overlapping (adjacent is
 * fine), each 4 KiB aligned at both ends, non-empty, ending at or below
 * 2^caps->phys_bits; type one of the enum mtrr_type types (WC only with
 * caps->wc) or MTRR_TYPE_ANY.  `want` may be NULL when `n` is 0 (nothing is
 * cared for: a plan with no pair).
 *
 * Errors leave `out` untouched.  The checks, in order (the first that fails
 * gives the status):
 *
 *   MTRR_E_INVALID_ARG     `caps`, `opts` or `out` NULL, `want` NULL with
 *                          n > 0, caps mtrr_state_init would refuse;
 *   MTRR_E_INVALID_TYPE    opts->default_type neither a type nor
 *                          MTRR_PLAN_DEFAULT_FREE;
 *   MTRR_E_WC_UNSUPPORTED  opts->default_type is WC without caps->wc;
 *   MTRR_E_INVALID_ARG     opts->reserve_pairs > caps->vcnt;
 *   MTRR_E_ABSENT          opts->use_fixed without caps->fixed;
 *   then each entry in order, its bounds before its type:
 *   MTRR_E_INVALID_ARG     empty, not 4 KiB aligned, beyond 2^phys_bits, or
 *                          starting below the previous entry's end
 *                          (unsorted or overlapping);
 *   MTRR_E_INVALID_TYPE    a type that is neither a type nor MTRR_TYPE_ANY;
 *   MTRR_E_WC_UNSUPPORTED  WC without caps->wc;
 *   then the plan:
 *   MTRR_E_FIXED_CONFLICT  opts->use_fixed and two types wanted inside one
 *                          fixed-range unit (plan without use_fixed, or
 *                          make the map that coarse below 1 MiB);
 *   MTRR_E_TOO_FEW_PAIRS   the minimum exceeds caps->vcnt -
 *                          opts->reserve_pairs; `*pairs_needed` (when not
 *                          NULL) gets that minimum, so a caller knows how
 *                          many pairs to free or to give its guest.
 *
 * `*pairs_needed` is written on MTRR_OK and MTRR_E_TOO_FEW_PAIRS only.
 *
 * `out` must not overlap `want`.
 *
 * Cost: no allocation, no global state; at most about 15 KiB of stack (a
 * 6 KiB frame, and 0.2 KiB per level of the address trie below it).  The
 * minimum costs one pass over the trie nodes that hold a change of wanted
 * type: linear in n, times at most phys_bits - 11; the registers, when the
 * plan fits, about one more pass.  Measured (Release, AMD EPYC VM, min of
 * 21 samples; bench/plan_bench.c, instructions from callgrind):
 *
 *   desktop e820, fixed ranges, VCNT 10     1.2 us   20 k instructions
 *   two-socket server, 10 entries           1.6 us   26 k
 *   QEMU q35 + OVMF guest                   0.5 us
 *   40 one-page islands over 2^52, 40 pairs 120 us   1.6 M (worst we know
 *                                                     of for a plan that fits)
 *   4096 alternating ranges, count only     230 us   3.5 M (about 60 ns
 *                                                     per entry)
 *
 * Thread-safe: it only reads its inputs and writes `out` and `pairs_needed`.
 */
MTRR_API mtrr_status mtrr_plan(const struct mtrr_caps *caps, const struct mtrr_range *want,
                               size_t n, const struct mtrr_plan_opts *opts,
                               struct mtrr_state *out, unsigned *pairs_needed);

/* ------------------------------------------------------------------------ */
/* Effective memory type: PAT, MTRR x PAT, EPT                              */
/*                                                                          */
/* The MTRR type of an address is only half of the answer: the type an      */
/* access really gets combines it with the PAT entry the page-table entry   */
/* selects (Intel SDM Vol. 3A, "Selecting Memory Types for Pentium III and  */
/* More Recent Processor Families", Table "Effective Page-Level Memory      */
/* Types for Pentium III and More Recent Processor Families"), and under    */
/* EPT the EPT memory type (EMT) takes the MTRR type's place (Vol. 3C,      */
/* "Memory Type Used for Translated Guest-Physical Addresses").  These      */
/* functions are pure: no state, no caps, safe from any thread.  Every      */
/* invalid input (a type that is not one, a PAT byte WRMSR would refuse)    */
/* gives MTRR_TYPE_INVALID, never a guess.  AMD's APM has its own MTRR x    */
/* PAT table with the CD and WC+ types, which enum mtrr_type does not have: */
/* these functions follow the SDM.                                          */
/* ------------------------------------------------------------------------ */

/* Page-table entry bits that select a PAT entry (SDM "Selecting a Memory Type from the PAT"). */
#define MTRR_PTE_PWT            (1ull << 3)     /* any level */
#define MTRR_PTE_PCD            (1ull << 4)     /* any level */
#define MTRR_PTE_PAT_4K         (1ull << 7)     /* a PTE mapping a 4 KiB page */
#define MTRR_PTE_PAT_LARGE      (1ull << 12)    /* a PDE/PDPTE mapping a large page */

/* The size of the page a paging-structure entry maps: where its PAT bit is. */
enum mtrr_page_size {
	MTRR_PAGE_4K = 0,       /* PTE: PAT is bit 7 */
	MTRR_PAGE_2M = 1,       /* PDE with PS = 1: PAT is bit 12 */
	MTRR_PAGE_4M = 2,       /* 32-bit paging PDE with PS = 1: bit 12 */
	MTRR_PAGE_1G = 3        /* PDPTE with PS = 1: bit 12 */
};

/*
 * The effective memory type of an access whose MTRR type is `mtrr_type` and
 * whose PAT entry holds `pat_type`, with normal caching (CR0.CD = 0): the
 * SDM's table, every cell, including the ones earlier editions called
 * undefined (MTRR WT x PAT WP = WP, MTRR WP x PAT WT = WT, MTRR WP x PAT
 * UC- = WC).  UC- (7) combines with MTRR WC to WC and with everything else to
 * UC; PAT WC is WC over every MTRR type, MTRR UC included.
 *
 * `mtrr_type` must be UC, WC, WT, WP or WB (an answer of mtrr_map_lookup, not
 * MTRR_TYPE_MIXED); `pat_type` UC, WC, WT, WP, WB or UC-.  Anything else gives
 * MTRR_TYPE_INVALID.  The answer is never UC-.  One table load.
 */
MTRR_API uint8_t mtrr_effective_type(uint8_t mtrr_type, uint8_t pat_type);

/*
 * mtrr_effective_type inlined into the caller, for the fault path that
 * composes it with mtrr_map_lookup_inline: the same answer for every input
 * (tests/test_pat.c compares all 65536), one load from a 65-byte table
 * (cells[mtrr][pat], the SDM table by encoding, 0xFF where either index is
 * not a type; the last cell for inputs of 8 and above), no call.
 */
static inline uint8_t
mtrr_effective_type_inline(uint8_t mtrr_type, uint8_t pat_type)
{
	static const uint8_t cells[65] = {
		/* PAT:  UC    WC    2     3     WT    WP    WB    UC-   MTRR */
		0x00, 0x01, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, /* UC */
		0x00, 0x01, 0xFF, 0xFF, 0x00, 0x00, 0x01, 0x01, /* WC */
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* 2 */
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* 3 */
		0x00, 0x01, 0xFF, 0xFF, 0x04, 0x05, 0x04, 0x00, /* WT */
		0x00, 0x01, 0xFF, 0xFF, 0x04, 0x05, 0x05, 0x01, /* WP */
		0x00, 0x01, 0xFF, 0xFF, 0x04, 0x05, 0x06, 0x00, /* WB */
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* UC- */
		0xFF,                                           /* no type */
	};
	unsigned i = ((unsigned)mtrr_type << 3) | pat_type;

	/* Either input >= 8: the last cell.  A select, not a branch. */
	return cells[(mtrr_type | pat_type) < 8u ? i : 64u];
}

/*
 * The type in entry PAT:PCD:PWT (0..7) of the IA32_PAT value `pat`: UC, WC,
 * WT, WP, WB or UC-, or MTRR_TYPE_INVALID when that byte is not a value
 * WRMSR accepts (reserved bits 7:3 set, or 2 or 3).  The other seven entries
 * are not looked at.  A processor without the PAT behaves as if `pat` were
 * MTRR_PAT_POWER_ON and pat_bit 0.
 */
MTRR_API uint8_t mtrr_pat_entry(uint64_t pat, bool pwt, bool pcd, bool pat_bit);

/*
 * mtrr_pat_entry with PWT (bit 3), PCD (bit 4) and the PAT bit taken from the
 * paging-structure entry `pte` that maps the page: bit 7 for MTRR_PAGE_4K,
 * bit 12 for the large sizes.  Every other bit of `pte` is ignored (the caller
 * knows it is a present leaf).  MTRR_TYPE_INVALID for an unknown `size`.
 */
MTRR_API uint8_t mtrr_pte_pat_type(uint64_t pat, uint64_t pte, enum mtrr_page_size size);

/*
 * The type an access through leaf entry `pte` gets: mtrr_effective_type of
 * `mtrr_type` and the PAT entry `pte` selects in `pat`, or UC when `cr0_cd`
 * (CR0.CD = 1: the caches are in no-fill mode and nothing new is cached; the
 * SDM makes an EPT-translated access UC then, and a hypervisor maps such a
 * guest's memory UC).  MTRR_TYPE_INVALID when any input is invalid, CR0.CD
 * or not.
 */
MTRR_API uint8_t mtrr_page_type(uint8_t mtrr_type, uint64_t pat, uint64_t pte,
                                enum mtrr_page_size size, bool cr0_cd);

/* EPT leaf-entry fields (SDM Vol. 3C, the EPT entry formats). */
#define MTRR_EPT_MT_SHIFT       3
#define MTRR_EPT_MT_MASK        (7ull << 3)     /* bits 5:3, EPT memory type */
#define MTRR_EPT_IPAT           (1ull << 6)     /* ignore PAT */

/*
 * The effective type of a guest access under EPT with guest CR0.CD = 0 (with
 * CR0.CD = 1 the SDM makes it UC whatever EPT says): with `ipat` the EPT
 * memory type `emt` itself (`pat_type` is not looked at, as the processor
 * does not look at it); without, mtrr_effective_type(emt, pat_type), the EMT
 * standing where the MTRR type stands (the host's and guest's MTRRs play no
 * part).  `emt` must be UC, WC, WT, WP or WB: 2, 3, 7 and the rest are an EPT
 * misconfiguration and give MTRR_TYPE_INVALID, as does an invalid
 * `pat_type` when `ipat` is false.
 */
MTRR_API uint8_t mtrr_ept_effective_type(uint8_t emt, bool ipat, uint8_t pat_type);

/*
 * How a VMM chooses the EPT memory type of guest RAM (MMIO aside).
 */
enum mtrr_ept_policy {
	/*
	 * EMT = the guest's MTRR type, IPAT = 0: the guest's MTRRs and PAT
	 * both count, as on bare metal.  For VMs with non-coherent DMA (an
	 * assigned device that does not snoop), where the guest's UC/WC must
	 * really reach memory; KVM does this for such VMs.
	 */
	MTRR_EPT_GUEST_MTRR = 0,
	/*
	 * EMT = WB, IPAT = 0: the guest's PAT decides, its MTRRs are ignored
	 * (WB x PAT = the PAT type).  What KVM does since Linux 6.11 for VMs
	 * without non-coherent DMA.
	 */
	MTRR_EPT_GUEST_PAT = 1,
	/*
	 * EMT = WB, IPAT = 1: everything WB whatever the guest says.  What KVM
	 * did before 6.11 without non-coherent DMA; safe only when every
	 * device the guest can reach snoops.
	 */
	MTRR_EPT_FORCE_WB = 2
};

/*
 * The EPT memory type, and in `*ipat` the IPAT bit, a VMM writes for the
 * guest-physical range [start, end) mapped by one EPT leaf (4 KiB, 2 MiB or
 * 1 GiB), from `guest`, the map of the guest's MTRRs:
 *
 *   mmio (the range is device memory: the caller knows, the MTRRs do not)
 *                        UC, IPAT = 1, under every policy: no guest setting
 *                        can make an access to a device cacheable.  (KVM
 *                        writes UC with IPAT = 0 instead, which lets a guest
 *                        PAT WC through to a device BAR; a VMM that wants
 *                        that writes it itself.)
 *   MTRR_EPT_GUEST_MTRR  the guest MTRR type of the range, IPAT = 0; or
 *                        MTRR_TYPE_MIXED when the range holds several types:
 *                        map it with smaller pages and ask again per page;
 *   MTRR_EPT_GUEST_PAT   WB, IPAT = 0;
 *   MTRR_EPT_FORCE_WB    WB, IPAT = 1.
 *
 * Returns MTRR_TYPE_INVALID, leaving `*ipat` untouched, for a NULL argument,
 * an unknown policy, or a range that is empty or reaches beyond the guest's
 * MAXPHYADDR (the same ranges mtrr_map_lookup_range refuses); `*ipat` is also
 * untouched on MTRR_TYPE_MIXED.  Cost: one mtrr_map_lookup_range under
 * MTRR_EPT_GUEST_MTRR (see BOUNDED WORK), constant otherwise.  The guest's
 * CR0.CD needs no handling here: the processor makes the access UC itself.
 */
MTRR_API uint8_t mtrr_ept_memtype(const struct mtrr_map *guest, uint64_t start, uint64_t end,
                                  enum mtrr_ept_policy policy, bool mmio, bool *ipat);

/* ------------------------------------------------------------------------ */
/* VM-wide view: equal vCPUs, and a map readers share with one writer       */
/* ------------------------------------------------------------------------ */

/*
 * Checks that the vCPUs of a VM agree: the SDM requires every processor of a
 * system to have identical MTRRs ("MTRR Considerations in MP Systems"), and
 * an operating system programs one PAT value on all of them (Linux warns when
 * firmware leaves them inconsistent).  They agree when they have the same
 * caps and the same value in every register mtrr_msr_list names for them,
 * PAT included.  `states` points to `n` state pointers (vCPU 0 first); each
 * state is compared with vCPU 0.
 *
 * Returns MTRR_OK when they all agree (n = 1 trivially).  MTRR_E_MISMATCH
 * when one differs: `*first_bad_vcpu` is the lowest index that differs from
 * vCPU 0 and `*first_bad_msr` its first differing register in mtrr_msr_list
 * order (DEF_TYPE last), or 0 when the caps differ.  MTRR_E_INVALID_ARG for a
 * NULL `states`, n = 0, a NULL entry, or a state mtrr_state_check refuses
 * (`*first_bad_vcpu` names it and `*first_bad_msr` is mtrr_state_check's).
 * The out-parameters may be NULL and are written only on an error.  Cost:
 * n times mtrr_state_check and up to 100 register compares.  Registers
 * compare as the processor holds them: AMD fixed MSRs with their hidden
 * RdMem/WrMem bits, whatever mtrr_rdmsr shows.
 */
MTRR_API mtrr_status mtrr_state_compare(const struct mtrr_state *const *states, size_t n,
                                        size_t *first_bad_vcpu, uint32_t *first_bad_msr);

/* private: the size of a map in 64-bit words */
#define MTRR_PUBLISHED_WORDS ((sizeof(struct mtrr_map) + 7) / 8)

/*
 * A compiled map that any number of reader threads look up without locks
 * while one writer republishes it (after a WRMSR on any vCPU, a reset, a
 * migration), without allocation: a caller-owned struct of about two maps.
 *
 * It holds two copies of the map and a sequence count (the "latch" form of a
 * seqlock): while the writer rewrites one copy, readers use the other, so a
 * reader never waits for the writer and never sees half of one map and half
 * of another; a reader retries only when a publish overlapped its read.
 * Readers copy the map out (a struct mtrr_map of their own) before they look
 * anything up, so the answers are those of one published map, exactly.
 *
 * The fast path for a vCPU thread is mtrr_published_refresh on a map it
 * keeps: one atomic load when nothing was published, then
 * mtrr_map_lookup_inline on its own copy.  mtrr_published_lookup and
 * _lookup_range are the one-call form: they copy the whole map each time.
 *
 * The fields are private.  The struct must be 8-byte aligned (it is wherever
 * uint64_t is, and on 32-bit x86 when allocated with that alignment).
 */
struct mtrr_published {
	/* private: everything below */
	uint64_t seq;                   /* publishes * 2, odd while one runs */
	uint64_t pad_[7];               /* seq alone in its cache line */
	uint64_t copy[2][MTRR_PUBLISHED_WORDS]; /* the map's bytes, twice */
};

/* A generation no published map has: start a reader's generation with it. */
#define MTRR_PUBLISHED_NONE UINT64_MAX

/*
 * Makes `m` the published map of `p`, generation 0.  Not thread-safe: call it
 * before any reader or writer uses `p` (start the threads afterwards).
 * Returns MTRR_E_INVALID_ARG, changing nothing, for a NULL argument or a `p`
 * that is not 8-byte aligned.
 */
MTRR_API mtrr_status mtrr_published_init(struct mtrr_published *p, const struct mtrr_map *m);

/*
 * Publishes `m` (copied: the caller may reuse it at once): readers that start
 * after this call returns see `m` or a later map; readers already running
 * see the previous map or `m`, never a mix.  ONE writer: calls on the same
 * `p` must not overlap (a VMM holds its MTRR lock around mtrr_wrmsr,
 * mtrr_map_build and mtrr_publish).  Never waits for readers.  Cost: two
 * copies of the map.  Returns MTRR_E_INVALID_ARG for a NULL argument,
 * MTRR_OK otherwise.
 */
MTRR_API mtrr_status mtrr_publish(struct mtrr_published *p, const struct mtrr_map *m);

/*
 * The generation of the currently published map: 0 after mtrr_published_init,
 * one more after each mtrr_publish.  A reader that remembers it knows
 * whether anything changed (e.g. whether its cached EPT decisions are stale).
 * Any thread; one atomic load.  Returns MTRR_PUBLISHED_NONE for a NULL `p`.
 */
MTRR_API uint64_t mtrr_published_generation(const struct mtrr_published *p);

/*
 * Brings the reader's own copy `map` up to date: when `*generation` is the
 * current generation, returns false at once (one atomic load) and `map` is
 * left alone; otherwise copies the published map into `map`, stores its
 * generation in `*generation` and returns true.  Start with *generation =
 * MTRR_PUBLISHED_NONE.  Any number of threads, each with its own `map` and
 * `generation`; never blocks (a copy overlapped by a publish is redone).  The
 * copy is a map like any other: every mtrr_map_* call works on it, including
 * mtrr_map_diff_cover of the old copy against the new one.  False, changing
 * nothing, for a NULL argument.
 */
MTRR_API bool mtrr_published_refresh(const struct mtrr_published *p, struct mtrr_map *map,
                                     uint64_t *generation);

/*
 * mtrr_map_lookup / mtrr_map_lookup_range on the currently published map, in
 * one call from any thread: the answer is exactly that of one map that was
 * published while the call ran.  Each call copies the map to its stack
 * (about 2 * sizeof(struct mtrr_map) of stack with the range query's), so it
 * costs a copy more than the lookup: in a loop, use mtrr_published_refresh.
 * MTRR_TYPE_INVALID for a NULL `p`.
 */
MTRR_API uint8_t mtrr_published_lookup(const struct mtrr_published *p, uint64_t addr);
MTRR_API uint8_t mtrr_published_lookup_range(const struct mtrr_published *p, uint64_t start,
                                             uint64_t end);

#ifdef __cplusplus
}
#endif

#endif /* MTRR_H */
