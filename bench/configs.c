/*
 * configs.c — the MTRR layouts the benchmark measures.  Every register is
 * written through mtrr_wrmsr, so a layout the library would reject with #GP
 * cannot sneak into a figure.
 *
 * Two layouts are "typical" (the performance targets apply to them): what a
 * desktop BIOS programs and what OVMF programs in a QEMU/KVM guest.  The SDM's
 * worked example is a classic small layout; the adversarial ones stress the
 * paths a firmware layout never takes.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

/* Fixed-range MSR value with all eight bytes of type t. */
#define FIX8(t) (0x0101010101010101ull * (uint64_t)(t))

struct writer {
	struct mtrr_state *s;
	bool ok;
};

static void
wr(struct writer *w, uint32_t msr, uint64_t value)
{
	mtrr_status st = mtrr_wrmsr(w->s, msr, value);

	if (st != MTRR_OK) {
		fprintf(stderr, "mtrr_bench: WRMSR 0x%x <- 0x%016llx: %s\n",
			(unsigned)msr, (unsigned long long)value, mtrr_status_str(st));
		w->ok = false;
	}
}

/* Variable pair n: the naturally aligned power-of-two range [base, base+size). */
static void
var_range(struct writer *w, unsigned n, uint64_t base, uint64_t size, uint8_t type)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(w->s->caps.phys_bits);

	wr(w, MTRR_MSR_PHYSBASE(n), base | type);
	wr(w, MTRR_MSR_PHYSMASK(n), (~(size - 1) & phys) | MTRR_PHYSMASK_V);
}

/* Variable pair n with a raw PhysMask (possibly non-contiguous). */
static void
var_raw(struct writer *w, unsigned n, uint64_t base, uint64_t mask, uint8_t type)
{
	wr(w, MTRR_MSR_PHYSBASE(n), base | type);
	wr(w, MTRR_MSR_PHYSMASK(n), mask | MTRR_PHYSMASK_V);
}

static void
fixed_all(struct writer *w, uint64_t f64k, uint64_t f16k_80, uint64_t f16k_a0,
	  uint64_t f4k)
{
	uint32_t msr;

	wr(w, MTRR_MSR_FIX64K_00000, f64k);
	wr(w, MTRR_MSR_FIX16K_80000, f16k_80);
	wr(w, MTRR_MSR_FIX16K_A0000, f16k_a0);
	for (msr = MTRR_MSR_FIX4K_C0000; msr <= MTRR_MSR_FIX4K_F8000; msr++)
		wr(w, msr, f4k);
}

/*
 * A desktop with 16 GiB of RAM: default UC, a WB ladder below 4 GiB with a
 * UC hole for PCI MMIO at 3-4 GiB, the 1 GiB displaced by the hole remapped
 * above 4 GiB (RAM ends at 17 GiB), pairs 7..9 left free for the OS.  Fixed
 * ranges as BIOSes program them (Linux prints them at boot as "00000-9FFFF
 * write-back, A0000-BFFFF uncachable, C0000-FFFFF write-protect").  VCNT 10
 * and MAXPHYADDR 39 are those of Intel client processors since Sandy Bridge.
 */
static void
setup_desktop(struct writer *w)
{
	fixed_all(w, FIX8(MTRR_TYPE_WB), FIX8(MTRR_TYPE_WB), FIX8(MTRR_TYPE_UC),
		  FIX8(MTRR_TYPE_WP));
	var_range(w, 0, 0, 2 * GiB, MTRR_TYPE_WB);
	var_range(w, 1, 2 * GiB, 1 * GiB, MTRR_TYPE_WB);
	var_range(w, 2, 0, 4 * GiB, MTRR_TYPE_WB);
	var_range(w, 3, 3 * GiB, 1 * GiB, MTRR_TYPE_UC);
	var_range(w, 4, 4 * GiB, 4 * GiB, MTRR_TYPE_WB);
	var_range(w, 5, 8 * GiB, 8 * GiB, MTRR_TYPE_WB);
	var_range(w, 6, 16 * GiB, 1 * GiB, MTRR_TYPE_WB);
	wr(w, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_UC);
}

/*
 * A QEMU q35 guest with 8 GiB under OVMF (edk2 OvmfPkg/Library/PlatformInitLib,
 * MemDetect.c: PlatformQemuInitializeRam and PlatformQemuUc32BaseInitialization).
 * OVMF flips the default type to WB with E and FE set, sets every fixed range
 * WB, then marks [640 KiB, 1 MiB) and [Uc32Base, 4 GiB) UC.  Uc32Base is
 * 4 GiB minus the largest power of two not above 4 GiB - LowMemory; QEMU q35
 * puts 2 GiB of an 8 GiB guest below 4 GiB, so Uc32Base = 2 GiB and a single
 * variable pair is used.  KVM exposes VCNT 8 with FIX and WC; 40 is QEMU's
 * default phys-bits.
 */
static void
setup_ovmf(struct writer *w)
{
	fixed_all(w, FIX8(MTRR_TYPE_WB), FIX8(MTRR_TYPE_WB), FIX8(MTRR_TYPE_UC),
		  FIX8(MTRR_TYPE_UC));
	var_range(w, 0, 2 * GiB, 2 * GiB, MTRR_TYPE_UC);
	wr(w, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);
}

/*
 * Intel SDM Vol. 3A, "Example Base and Mask Calculations", example "Setting-Up
 * Memory for a System" (Example 11-2 in the 2016-2023 editions, 12-2 later):
 * 96 MiB of WB RAM at 0-64 and 68-100 MiB, a 4 MiB UC I/O card at 64 MiB, the
 * BIOS area 15-16 MiB UC, an 8 MiB WC frame buffer at 0xA0000000, on a 36-bit
 * processor; pairs 6 and 7 are left to the OS.  The register values are the
 * example's, typed in.  The example leaves IA32_MTRR_DEF_TYPE and the fixed
 * ranges unspecified: here E = 1, default UC, FE = 0.
 */
static void
setup_sdm(struct writer *w)
{
	var_raw(w, 0, 0x000000000ull, 0xFFC000000ull, MTRR_TYPE_WB);   /* 0-64 MiB */
	var_raw(w, 1, 0x004000000ull, 0xFFE000000ull, MTRR_TYPE_WB);   /* 64-96 MiB */
	var_raw(w, 2, 0x006000000ull, 0xFFFC00000ull, MTRR_TYPE_WB);   /* 96-100 MiB */
	var_raw(w, 3, 0x004000000ull, 0xFFFC00000ull, MTRR_TYPE_UC);   /* 64-68 MiB */
	var_raw(w, 4, 0x000F00000ull, 0xFFFF00000ull, MTRR_TYPE_UC);   /* 15-16 MiB */
	var_raw(w, 5, 0x0A0000000ull, 0xFFF800000ull, MTRR_TYPE_WC);   /* A0000000-A07FFFFF */
	wr(w, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_UC);
}

/*
 * Adversarial: VCNT 10, every pair overlapping others, all five types, undefined
 * overlaps ({WB, WC}, {WB, WT, WC}) placed before a UC in register order so a
 * pairwise merge that gives up early hides the UC.  Fixed bytes alternate types.
 */
static void
setup_overlap(struct writer *w)
{
	fixed_all(w, 0x0605040100060504ull, 0x0001040506000104ull,
		  0x0000000001010101ull, 0x0504060005040600ull);
	var_range(w, 0, 0, 64 * GiB, MTRR_TYPE_WB);
	var_range(w, 1, 0, 8 * GiB, MTRR_TYPE_WC);
	var_range(w, 2, 4 * GiB, 1 * GiB, MTRR_TYPE_UC);
	var_range(w, 3, 8 * GiB, 8 * GiB, MTRR_TYPE_WT);
	var_range(w, 4, 12 * GiB, 2 * GiB, MTRR_TYPE_WP);
	var_range(w, 5, 1 * GiB, 1 * GiB, MTRR_TYPE_WB);
	var_range(w, 6, 32 * GiB, 32 * GiB, MTRR_TYPE_WT);
	var_range(w, 7, 48 * GiB, 1 * GiB, MTRR_TYPE_UC);
	var_range(w, 8, 40 * GiB, 4 * GiB, MTRR_TYPE_WC);
	var_range(w, 9, 0, 1 * GiB, MTRR_TYPE_WB);
	wr(w, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_UC);
}

/*
 * Adversarial: non-contiguous PhysMask values (legal, SDM "Variable Range
 * MTRRs": the range is the strided set of blocks the mask selects).  Pair 4
 * selects 128 blocks of 1 GiB, more than a list of intervals can hold.
 */
static void
setup_noncontig(struct writer *w)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(w->s->caps.phys_bits);

	/* [0, 4 GiB) and [8, 12 GiB): bit 33 left out of the mask. */
	var_raw(w, 0, 0, (phys & ~(4 * GiB - 1)) & ~(1ull << 33), MTRR_TYPE_WB);
	/* [3, 4 GiB) and [35, 36 GiB): bit 35 left out. */
	var_raw(w, 1, 3 * GiB, (phys & ~(1 * GiB - 1)) & ~(1ull << 35), MTRR_TYPE_UC);
	/* 16 blocks of 16 MiB every 64 MiB from 4 GiB: bits 29:26 left out. */
	var_raw(w, 2, 4 * GiB, (phys & ~(16 * MiB - 1)) & ~(0xFull << 26), MTRR_TYPE_WC);
	/* 4 pages every 8 KiB from 8 GiB: bits 14:13 left out. */
	var_raw(w, 3, 8 * GiB, (phys & ~(4 * KiB - 1)) & ~(0x3ull << 13), MTRR_TYPE_WT);
	/* Bits 38 and 30 only: every other GiB of the low 256 GiB. */
	var_raw(w, 4, 0, (1ull << 38) | (1ull << 30), MTRR_TYPE_WP);
	/* Two pages 1 MiB apart at 256 GiB: bit 20 left out. */
	var_raw(w, 5, 256 * GiB, (phys & ~(4 * KiB - 1)) & ~(1ull << 20), MTRR_TYPE_UC);
	wr(w, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_WB);
}

/*
 * Adversarial: VCNT 40 (the architectural maximum), every pair valid, at
 * MAXPHYADDR 52: pseudo-random aligned ranges of 1 MiB to 512 GiB below
 * 64 TiB, mostly WB, some nested.  The seed is fixed: same layout every run.
 */
static void
setup_full40(struct writer *w)
{
	static const uint8_t types[8] = {
		MTRR_TYPE_WB, MTRR_TYPE_WB, MTRR_TYPE_WB, MTRR_TYPE_UC,
		MTRR_TYPE_WC, MTRR_TYPE_WT, MTRR_TYPE_WP, MTRR_TYPE_UC
	};
	uint64_t seed = 0x4d545252ull;  /* "MTRR" */
	unsigned n;

	fixed_all(w, FIX8(MTRR_TYPE_WB), FIX8(MTRR_TYPE_WB), FIX8(MTRR_TYPE_UC),
		  FIX8(MTRR_TYPE_WP));
	for (n = 0; n < MTRR_VAR_MAX; n++) {
		uint64_t size = 1ull << (20 + bench_rand(&seed) % 20);
		uint64_t base = bench_rand(&seed) & ((1ull << 46) - 1) & ~(size - 1);
		var_range(w, n, base, size, types[bench_rand(&seed) % 8]);
	}
	wr(w, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);
}

/* The eleven fixed MSRs and the pairs as raw register values, then DEF_TYPE. */
static void
raw_state(struct writer *w, const uint64_t fixed[MTRR_FIXED_MSRS], const uint64_t *pairs,
	  unsigned npairs, uint64_t def_type)
{
	static const uint32_t fixed_msrs[MTRR_FIXED_MSRS] = {
		MTRR_MSR_FIX64K_00000, MTRR_MSR_FIX16K_80000, MTRR_MSR_FIX16K_A0000,
		MTRR_MSR_FIX4K_C0000, MTRR_MSR_FIX4K_C8000, MTRR_MSR_FIX4K_D0000,
		MTRR_MSR_FIX4K_D8000, MTRR_MSR_FIX4K_E0000, MTRR_MSR_FIX4K_E8000,
		MTRR_MSR_FIX4K_F0000, MTRR_MSR_FIX4K_F8000,
	};
	unsigned i;

	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		wr(w, fixed_msrs[i], fixed[i]);
	for (i = 0; i < npairs; i++) {
		wr(w, MTRR_MSR_PHYSBASE(i), pairs[2 * i]);
		wr(w, MTRR_MSR_PHYSMASK(i), pairs[2 * i + 1]);
	}
	wr(w, MTRR_MSR_DEF_TYPE, def_type);
}

/*
 * The two states of the performance issue (#12), found by a fuzzer: 8 pairs,
 * most of them non-contiguous, over a mixed first MiB.  Register values as
 * reported there (the V bit on every mask).
 */
static void
setup_state_a(struct writer *w)
{
	static const uint64_t fixed[MTRR_FIXED_MSRS] = {
		0x0400060601010500ull, 0x0404010004060105ull, 0x0604010500050104ull,
		0x0101010400000601ull, 0, 0, 0x0406000106060601ull, 0, 0,
		0x0505050505050505ull, 0x0606060606060606ull,
	};
	static const uint64_t pairs[16] = {
		0x20e805e060004ull, 0x7fffffffe0800ull, 0x2a7be19fcd006ull, 0x43b53d64a9800ull,
		0x20e8000000001ull, 0x7d7e000000800ull, 0x2068c0b0f4000ull, 0x7ffffffffc800ull,
		0x7f1ec0b5a9004ull, 0x7e09790829800ull, 0x7b0fc00000006ull, 0x7df3fc0000800ull,
		0x154e00f926001ull, 0x64ec6e8481800ull, 0x31bf4c8ecb001ull, 0x0a9e02522c800ull,
	};

	raw_state(w, fixed, pairs, 8, 0xc01);
}

static void
setup_state_b(struct writer *w)
{
	static const uint64_t fixed[MTRR_FIXED_MSRS] = {
		0x0600060004010501ull, 0x0606060606060606ull, 0x0101010101010101ull,
		0x0404040404040404ull, 0, 0x0404040404040404ull, 0x0505050505050505ull,
		0x0101010101010101ull, 0x0606060606060606ull, 0x0405050604060006ull,
		0x0104050405040504ull,
	};
	static const uint64_t pairs[16] = {
		0x242041101000ull, 0x353fc39a5800ull, 0x5ull, 0x780000000800ull,
		0x2b73bfe3a004ull, 0x290d75fa8800ull, 0xe25aa001ull, 0x7fffffffe800ull,
		0x290136000004ull, 0x7ffffe000800ull, 0x61fb08000001ull, 0x7ffff8000800ull,
		0x400000000004ull, 0x400000000800ull, 0x5d32ff7a005ull, 0x37ffffffe800ull,
	};

	raw_state(w, fixed, pairs, 8, 0xc06);
}

/*
 * A desktop-like ladder of 6 contiguous pairs plus 3 non-contiguous ones:
 * what the performance issue calls "2-4 non-contiguous pairs among 8-10
 * contiguous ones".  The non-contiguous pairs expand into more blocks than the
 * run list holds, so the map takes its scan form.
 */
static void
setup_mixed_noncontig(struct writer *w)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(w->s->caps.phys_bits);

	fixed_all(w, FIX8(MTRR_TYPE_WB), FIX8(MTRR_TYPE_WB), FIX8(MTRR_TYPE_UC),
		  FIX8(MTRR_TYPE_WP));
	var_range(w, 0, 0, 8 * GiB, MTRR_TYPE_WB);
	var_range(w, 1, 8 * GiB, 4 * GiB, MTRR_TYPE_WB);
	var_range(w, 2, 3 * GiB, 1 * GiB, MTRR_TYPE_UC);
	var_range(w, 3, 0xE0000000ull, 256 * MiB, MTRR_TYPE_WC);
	var_range(w, 4, 12 * GiB, 512 * MiB, MTRR_TYPE_WB);
	var_range(w, 5, 2 * GiB + 512 * MiB, 512 * MiB, MTRR_TYPE_UC);
	/* 256 blocks of 2 MiB every 8 MiB from 4 GiB: bits 30:23 left out. */
	var_raw(w, 6, 4 * GiB, (phys & ~(2 * MiB - 1)) & ~(0xFFull << 23), MTRR_TYPE_WT);
	/* every other 64 KiB page pair in [1, 2 GiB): bits 29:17 and 15 free. */
	var_raw(w, 7, 1 * GiB, (phys & ~(64 * KiB - 1)) & ~(0x1FFFull << 17), MTRR_TYPE_WC);
	/* bits 36 and 22 only: every other 4 MiB in every other 64 GiB. */
	var_raw(w, 8, 0, (1ull << 36) | (1ull << 22), MTRR_TYPE_UC);
	wr(w, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_UC);
}

/*
 * Issue #12's family, a second and third instance.  8 contiguous + 2
 * non-contiguous pairs, 46-bit, default UC, a desktop-like WB ladder: every
 * other 1 GiB WT from 64 GiB to 128 GiB, and every other 2 MiB UC in
 * [2 GiB, 3 GiB) (a quarter of the space below 4 GiB is split at 2 MiB).
 */
static void
setup_mixed_noncontig2(struct writer *w)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(w->s->caps.phys_bits);

	fixed_all(w, FIX8(MTRR_TYPE_WB), FIX8(MTRR_TYPE_WB), FIX8(MTRR_TYPE_UC),
		  FIX8(MTRR_TYPE_WP));
	var_range(w, 0, 0, 2 * GiB, MTRR_TYPE_WB);
	var_range(w, 1, 2 * GiB, 1 * GiB, MTRR_TYPE_WB);
	var_range(w, 2, 4 * GiB, 4 * GiB, MTRR_TYPE_WB);
	var_range(w, 3, 8 * GiB, 8 * GiB, MTRR_TYPE_WB);
	var_range(w, 4, 16 * GiB, 16 * GiB, MTRR_TYPE_WB);
	var_range(w, 5, 32 * GiB, 2 * GiB, MTRR_TYPE_WB);
	var_range(w, 6, 0xC0000000ull, 256 * MiB, MTRR_TYPE_WC);
	var_range(w, 7, 0xD0000000ull, 16 * MiB, MTRR_TYPE_UC);
	/* bit 30 set, bits 35:31 free: every other GiB of [64, 128 GiB). */
	var_raw(w, 8, 64 * GiB, (phys & ~(1 * GiB - 1)) & ~(0x1Full << 31), MTRR_TYPE_WT);
	/* bit 21 set, bits 29:22 free: every other 2 MiB of [2, 3 GiB). */
	var_raw(w, 9, 2 * GiB, (phys & ~(2 * MiB - 1)) & ~(0xFFull << 22), MTRR_TYPE_UC);
	wr(w, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_UC);
}

/*
 * 6 contiguous + 4 non-contiguous pairs, 42-bit, default WB (OVMF-like):
 * every other page of [1 MiB, 2 MiB) UC, 16 blocks of 64 KiB every 1 MiB
 * from 512 MiB WC, WT where address bits 33 and 35 are clear (all of the
 * first 8 GiB but the UC hole), every other GiB of [256, 512 GiB) WP.
 */
static void
setup_mixed_noncontig4(struct writer *w)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(w->s->caps.phys_bits);

	fixed_all(w, FIX8(MTRR_TYPE_WB), FIX8(MTRR_TYPE_WB), FIX8(MTRR_TYPE_UC),
		  FIX8(MTRR_TYPE_UC));
	var_range(w, 0, 2 * GiB, 2 * GiB, MTRR_TYPE_UC);
	var_range(w, 1, 0xE0000000ull, 256 * MiB, MTRR_TYPE_WC);
	var_range(w, 2, 64 * GiB, 64 * GiB, MTRR_TYPE_UC);
	var_range(w, 3, 1 * GiB, 256 * MiB, MTRR_TYPE_WT);
	var_range(w, 4, 16 * GiB, 1 * GiB, MTRR_TYPE_WP);
	var_range(w, 5, 0xFEC00000ull, 4 * KiB, MTRR_TYPE_UC);
	var_raw(w, 6, 1 * MiB + 4 * KiB, (phys & ~(4 * KiB - 1)) & ~(0xFFull << 13),
		MTRR_TYPE_UC);
	var_raw(w, 7, 512 * MiB, (phys & ~(64 * KiB - 1)) & ~(0xFull << 20), MTRR_TYPE_WC);
	var_raw(w, 8, 0, (1ull << 35) | (1ull << 33), MTRR_TYPE_WT);
	var_raw(w, 9, 256 * GiB, (phys & ~(1 * GiB - 1)) & ~(0x7Full << 31), MTRR_TYPE_WP);
	wr(w, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);
}

struct config_def {
	struct bench_config pub;
	struct mtrr_caps caps;
	void (*setup)(struct writer *w);
};

static const struct config_def configs[] = {
	{ { "desktop", "Intel desktop, 16 GiB, default UC, WB ladder, PCI hole 3-4 GiB",
	    "BIOS-style layout (see configs.c)", true, false },
	  { .vcnt = 10, .fixed = true, .wc = true, .smrr = true, .phys_bits = 39 },
	  setup_desktop },
	{ { "qemu-ovmf", "QEMU q35 + OVMF guest, 8 GiB, default WB, UC 2-4 GiB",
	    "edk2 OvmfPkg PlatformInitLib MemDetect.c", true, false },
	  { .vcnt = 8, .fixed = true, .wc = true, .phys_bits = 40 },
	  setup_ovmf },
	{ { "sdm-example", "Intel SDM Vol. 3A worked example, 96 MiB, 36-bit",
	    "SDM Vol. 3A 'Example Base and Mask Calculations'", false, false },
	  { .vcnt = 8, .fixed = true, .wc = true, .phys_bits = 36 },
	  setup_sdm },
	{ { "overlap10", "adversarial: VCNT 10, heavy overlaps, mixed/undefined types",
	    "synthetic", false, false },
	  { .vcnt = 10, .fixed = true, .wc = true, .phys_bits = 46 },
	  setup_overlap },
	{ { "noncontig", "adversarial: non-contiguous masks (strided blocks)",
	    "synthetic", false, false },
	  { .vcnt = 8, .fixed = true, .wc = true, .phys_bits = 39 },
	  setup_noncontig },
	{ { "full40", "adversarial: VCNT 40, all pairs valid, 52-bit",
	    "synthetic, fixed seed", false, false },
	  { .vcnt = MTRR_VAR_MAX, .fixed = true, .wc = true, .phys_bits = 52 },
	  setup_full40 },
	{ { "noncontig-mix", "6 contiguous + 3 non-contiguous pairs, 39-bit (scan form)",
	    "synthetic (issue #12's family)", false, true },
	  { .vcnt = 10, .fixed = true, .wc = true, .phys_bits = 39 },
	  setup_mixed_noncontig },
	{ { "noncontig-mix2", "8 contiguous + 2 non-contiguous pairs, 46-bit (scan form)",
	    "synthetic (issue #12's family)", false, true },
	  { .vcnt = 10, .fixed = true, .wc = true, .phys_bits = 46 },
	  setup_mixed_noncontig2 },
	{ { "noncontig-mix4", "6 contiguous + 4 non-contiguous pairs, 42-bit (scan form)",
	    "synthetic (issue #12's family)", false, true },
	  { .vcnt = 10, .fixed = true, .wc = true, .phys_bits = 42 },
	  setup_mixed_noncontig4 },
	{ { "state-a", "issue #12 state A: 8 pairs, mostly non-contiguous, 51-bit",
	    "a fuzzer's input, registers as in issue #12", false, true },
	  { .vcnt = 8, .fixed = true, .wc = true, .phys_bits = 51 },
	  setup_state_a },
	{ { "state-b", "issue #12 state B: 8 pairs, mostly non-contiguous, 47-bit",
	    "a fuzzer's input, registers as in issue #12", false, true },
	  { .vcnt = 8, .fixed = true, .wc = true, .phys_bits = 47 },
	  setup_state_b },
};

size_t
bench_config_count(void)
{
	return sizeof(configs) / sizeof(configs[0]);
}

const struct bench_config *
bench_config_get(size_t i)
{
	return i < bench_config_count() ? &configs[i].pub : NULL;
}

const struct bench_config *
bench_config_find(const char *name)
{
	size_t i;

	for (i = 0; i < bench_config_count(); i++)
		if (strcmp(configs[i].pub.name, name) == 0)
			return &configs[i].pub;
	return NULL;
}

bool
bench_config_load(const struct bench_config *c, struct mtrr_state *s)
{
	/* pub is the first member: the definition holding c. */
	const struct config_def *d = (const struct config_def *)(const void *)c;
	struct writer w = { s, true };
	mtrr_status st = mtrr_state_init(s, &d->caps);

	if (st != MTRR_OK) {
		fprintf(stderr, "mtrr_bench: %s: mtrr_state_init: %s\n", c->name,
			mtrr_status_str(st));
		return false;
	}
	d->setup(&w);
	return w.ok;
}
