/*
 * plan_compare.c — how many variable MTRR pairs realistic memory maps take:
 * mtrr_plan against models of EDK2's and coreboot's allocators and against
 * what the machines' own firmware programmed (the mtrr_plan_compare program).
 *
 *   mtrr_plan_compare [--markdown] [--verbose]
 *
 * Every plan in the table is checked before it is counted: its registers are
 * loaded into a struct mtrr_state, mtrr_map_build compiles them, and every
 * range the plan was asked for must resolve to its type.  The program exits
 * 1 when any plan (or a firmware's own register set) fails that check, so
 * ctest runs it as a test.  Nothing is timed.
 *
 * THE MACHINES.  Three sources, named in each table row:
 *   - public boot logs (dmesg pasted in bug reports and mailing lists),
 *     transcribed here: the BIOS-e820 lines, VCNT (the number of pairs
 *     printed), MAXPHYADDR (the width of the printed masks), the default
 *     type, the pairs and TOM2.  The DMI line of each log names the machine;
 *   - "real log": the real AMD boot logs of tests/data (public posts,
 *     tests/data/README.md "Real AMD boot logs", which names each machine
 *     as the rows do), transcribed the same way;
 *   - the logs of tests/data written for this project "typical of the
 *     machines named" (tests/data/README.md), and QEMU guest maps built from
 *     QEMU's memory layout (lowmem split, SeaBIOS's reserved pieces).
 * threadripper-6.8.journal is left out: its pair 2 was added to exercise a
 * warning, so its firmware count says nothing about a firmware.
 *
 * THE WANTED MAP (what every allocator must produce), from the e820 map:
 *   - usable RAM (rounded inward to 4 KiB) is WB;
 *   - the PCI hole, which Linux takes to be the largest gap below 4 GiB
 *     (e820__setup_pci_gap), gets the firmware's own types where the log has
 *     registers (the firmware said what it wants there, e.g. a WP flash
 *     window, or WB that SeaBIOS leaves below 2 GiB), else UC;
 *   - everything else (reserved, ACPI, other gaps, the first MiB, which
 *     every allocator here types with the fixed-range MSRs) is "don't care";
 *   - on AMD machines whose log has TOM2, RAM in [4 GiB, TOM2) is "don't
 *     care" too: SYSCFG.Tom2ForceMemTypeWB types it, and coreboot's AMD
 *     code leaves it out of the MTRRs as well.
 *
 * THE TYPED MAP.  EDK2's and coreboot's allocators have no "don't care":
 * they are given a type for every address.  Each don't-care run between two
 * cared-for ranges takes the type of the range below up to the most aligned
 * address of the run (the one with the most trailing zero bits) and the type
 * of the range above from there: a firmware author who knows that a reserved
 * island in RAM is DRAM and that MMIO starts at a round address types it
 * that way.  A run with the same type on both sides takes that type; the run
 * above the last cared-for range is left to the default type: UC for EDK2,
 * which types every address; coreboot fills only holes below 4 GiB, so above
 * 4 GiB that space takes whichever default type it picks.  libmtrr is also
 * run on exactly the EDK2 model's input (the typed map, UC up to 2^MAXPHYADDR:
 * the column "UC, typed"), so the table separates what the exact search
 * gains from what don't-care space gains.
 *
 * Columns: libmtrr with the default type free, libmtrr with a UC default
 * (what firmware chooses), libmtrr on the typed map with a UC default, the
 * EDK2 model, the coreboot model (its default type in parentheses), the
 * firmware's own pairs ("+TOM2" where SYSCFG types RAM above 4 GiB).  No
 * count is capped by VCNT: a count above it is marked with '!'.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mtrr.h>

#define KIB 0x400ull
#define MIB 0x100000ull
#define GIB 0x40000000ull
#define G4 0x100000000ull

#define UC MTRR_TYPE_UC
#define WC MTRR_TYPE_WC
#define WP MTRR_TYPE_WP
#define WB MTRR_TYPE_WB
#define ANY MTRR_TYPE_ANY

#define MAXP 128                /* pieces of a map */
#define MAXPAIRS 64             /* pairs a model may produce */
#define NODEF (-1)              /* no firmware registers in the log */

/* An e820 entry: [start, end), end exclusive; ram: usable (or persistent). */
struct e820 {
	uint64_t start, end;
	int ram;
};

/* A firmware pair as Linux printed it: PHYSBASE and PHYSMASK addresses. */
struct fwpair {
	uint64_t base, mask;
	uint8_t type;
};

struct machine {
	const char *name;
	const char *source;
	unsigned phys, vcnt;
	const struct e820 *e;
	size_t ne;
	int fw_def;             /* default type, or NODEF */
	const struct fwpair *fw;
	size_t nfw;
	uint64_t tom2;          /* 0: none */
};

/* A pair a model produced: [base, base + size), size a power of two. */
struct pair {
	uint64_t base, size;
	uint8_t type;
};

struct pairs {
	struct pair p[MAXPAIRS];
	unsigned n;
	bool overflow;
};

static void
emit(struct pairs *out, uint64_t base, uint64_t size, uint8_t type)
{
	if (out->n == MAXPAIRS) {
		out->overflow = true;
		return;
	}
	out->p[out->n].base = base;
	out->p[out->n].size = size;
	out->p[out->n].type = type;
	out->n++;
}

/* ------------------------------------------------------------------------ */
/* The machines                                                             */
/* ------------------------------------------------------------------------ */

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Gigabyte H77M-D3H, BIOS F4 02/16/2012, Core i5-3450 (Ivy Bridge desktop),
 * 8.5 GiB; Ubuntu 12.04 dmesg (Linux 3.2) in a public bug report.  Note the
 * 2 MiB at 512 MiB and the page at 1 GiB the BIOS reserves (the Sandy/Ivy
 * Bridge graphics workaround).  MAXPHYADDR 36, 10 pairs.
 */
static const struct e820 h77m_e[] = {
	{ 0x0, 0x9d800, 1 }, { 0x9d800, 0xa0000, 0 }, { 0xe0000, 0x100000, 0 },
	{ 0x100000, 0x20000000, 1 }, { 0x20000000, 0x20200000, 0 },
	{ 0x20200000, 0x40004000, 1 }, { 0x40004000, 0x40005000, 0 },
	{ 0x40005000, 0xd99a3000, 1 }, { 0xd99a3000, 0xda09c000, 0 },
	{ 0xda09c000, 0xda31c000, 0 }, { 0xda31c000, 0xda321000, 0 },
	{ 0xda321000, 0xda364000, 0 }, { 0xda364000, 0xdac80000, 1 },
	{ 0xdac80000, 0xdafdd000, 0 }, { 0xdafdd000, 0xdb000000, 1 },
	{ 0xdb800000, 0xdfa00000, 0 }, { 0xf8000000, 0xfc000000, 0 },
	{ 0xfec00000, 0xfec01000, 0 }, { 0xfed00000, 0xfed04000, 0 },
	{ 0xfed1c000, 0xfed20000, 0 }, { 0xfee00000, 0xfee01000, 0 },
	{ 0xff000000, 0x100000000, 0 }, { 0x100000000, 0x21f600000, 1 },
};
static const struct fwpair h77m_fw[] = {
	{ 0x000000000, 0xE00000000, WB }, { 0x200000000, 0xFE0000000, WB },
	{ 0x0E0000000, 0xFE0000000, UC }, { 0x0DC000000, 0xFFC000000, UC },
	{ 0x0DB800000, 0xFFF800000, UC }, { 0x21F800000, 0xFFF800000, UC },
	{ 0x21F600000, 0xFFFE00000, UC },
};

/*
 * ASUS UL80 laptop (Core 2 U7300), 5 GiB; Ubuntu 10.10 dmesg (Linux 2.6.35)
 * in a public bug report.  MAXPHYADDR 36, 8 pairs.
 */
static const struct e820 ul80_e[] = {
	{ 0x0, 0x9fc00, 1 }, { 0x9fc00, 0xa0000, 0 }, { 0xe1000, 0x100000, 0 },
	{ 0x100000, 0xb7d90000, 1 }, { 0xb7d90000, 0xb7d9f000, 0 },
	{ 0xb7d9f000, 0xb7de0000, 0 }, { 0xb7de0000, 0xb7e00000, 0 },
	{ 0xfee00000, 0xfee01000, 0 }, { 0xffb00000, 0x100000000, 0 },
	{ 0x100000000, 0x140000000, 1 },
};
static const struct fwpair ul80_fw[] = {
	{ 0x000000000, 0xF00000000, WB }, { 0x100000000, 0xFC0000000, WB },
	{ 0x0C0000000, 0xFC0000000, UC }, { 0x0B7E00000, 0xFFFE00000, UC },
	{ 0x0B8000000, 0xFF8000000, UC },
};

/*
 * HPE ProLiant DL325 Gen10, BIOS A41 06/07/2018 (AMD EPYC, UEFI), 64 GiB;
 * dmesg of a public bug report.  Two of the firmware's four pairs are WP
 * windows (0xE4000000 + 64 MiB, 0xFF000000 + 16 MiB); TOM2 = 66 GiB.
 * MAXPHYADDR 48, 8 pairs.  The same log as
 * tests/data/amd-epyc7351p-dl325-5.0.dmesg (not repeated below).
 */
static const struct e820 dl325_e[] = {
	{ 0x0, 0xa0000, 1 }, { 0xf0000, 0x100000, 0 }, { 0x100000, 0x64f50000, 1 },
	{ 0x64f50000, 0x64f53000, 0 }, { 0x64f53000, 0x65479000, 1 },
	{ 0x65479000, 0x6548a000, 0 }, { 0x6548a000, 0x654a2000, 1 },
	{ 0x654a2000, 0x654a6000, 0 }, { 0x654a6000, 0x654ef000, 1 },
	{ 0x654ef000, 0x654f2000, 0 }, { 0x654f2000, 0x6550a000, 1 },
	{ 0x6550a000, 0x6550b000, 0 }, { 0x6550b000, 0x6df6f000, 1 },
	{ 0x6df6f000, 0x6e797000, 0 }, { 0x6e797000, 0x6e798000, 1 },
	{ 0x6e798000, 0x6e79d000, 0 }, { 0x6e79d000, 0x6e79e000, 1 },
	{ 0x6e79e000, 0x6edcf000, 0 }, { 0x6edcf000, 0x76ecf000, 1 },
	{ 0x76ecf000, 0x76fcf000, 0 }, { 0x76fcf000, 0x77fdf000, 0 },
	{ 0x77fdf000, 0x77fef000, 0 }, { 0x77fef000, 0x77fff000, 0 },
	{ 0x77fff000, 0x78000000, 1 }, { 0x78000000, 0x90000000, 0 },
	{ 0xfed80000, 0xfed81000, 0 }, { 0x100000000, 0x107f200000, 1 },
	{ 0x107f200000, 0x1080000000, 0 },
};
static const struct fwpair dl325_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x0000E4000000, 0xFFFFFC000000, WP },
	{ 0x000078000000, 0xFFFFF8000000, UC }, { 0x0000FF000000, 0xFFFFFF000000, WP },
};

/*
 * QEMU "Standard PC (i440FX + PIIX, 1996)", SeaBIOS 1.10.2, 512 MiB KVM
 * guest; dmesg of a kernel test robot report (Linux 4.17-rc1).  MAXPHYADDR
 * 40, 8 pairs.  SeaBIOS sets a WB default and one UC pair [2 GiB, 4 GiB).
 */
static const struct e820 i440fx512_e[] = {
	{ 0x0, 0x9fc00, 1 }, { 0x9fc00, 0xa0000, 0 }, { 0xf0000, 0x100000, 0 },
	{ 0x100000, 0x1ffe0000, 1 }, { 0x1ffe0000, 0x20000000, 0 },
	{ 0xfeffc000, 0xff000000, 0 }, { 0xfffc0000, 0x100000000, 0 },
};
static const struct fwpair i440fx512_fw[] = { { 0x80000000, 0xFF80000000, UC } };

/* tests/data/intel-desktop.journal: ASUS Z170-A, Linux 6.8. MAXPHYADDR 39. */
static const struct e820 z170_e[] = {
	{ 0x0, 0x58000, 1 }, { 0x58000, 0x59000, 0 }, { 0x59000, 0x9f000, 1 },
	{ 0x9f000, 0x100000, 0 }, { 0x100000, 0x7aa2e000, 1 },
	{ 0x7aa2e000, 0x7b800000, 0 }, { 0x7b800000, 0x80000000, 0 },
	{ 0xe0000000, 0xf0000000, 0 }, { 0x100000000, 0x480000000, 1 },
};
static const struct fwpair z170_fw[] = {
	{ 0x80000000, 0x7F80000000, UC }, { 0x7C000000, 0x7FFC000000, UC },
	{ 0x7B800000, 0x7FFF800000, UC },
};

/* tests/data/epyc-5.4.dmesg: EPYC 7302P, Linux 5.4. MAXPHYADDR 43. */
static const struct e820 epyc_e[] = {
	{ 0x0, 0xa0000, 1 }, { 0xa0000, 0x100000, 0 }, { 0x100000, 0x75daf000, 1 },
	{ 0x75daf000, 0x78000000, 0 }, { 0x78000000, 0xb1a6e000, 1 },
	{ 0xb1a6e000, 0xb3ba6000, 0 }, { 0xb3ba6000, 0xb3d2e000, 0 },
	{ 0xb3d2e000, 0xb428e000, 0 }, { 0xb428e000, 0xb8fff000, 0 },
	{ 0xb8fff000, 0xbc000000, 1 }, { 0xbc000000, 0xc0000000, 0 },
	{ 0xe0000000, 0xf0000000, 0 }, { 0xfd000000, 0x100000000, 0 },
	{ 0x100000000, 0x820000000, 1 },
};
static const struct fwpair epyc_fw[] = {
	{ 0x00000000000, 0x7FF80000000, WB }, { 0x00080000000, 0x7FFC0000000, WB },
};

/* tests/data/phenom-2.6.32.syslog: Phenom II, Linux 2.6.32. MAXPHYADDR 48. */
static const struct e820 phenom_e[] = {
	{ 0x0, 0x9f800, 1 }, { 0x9f800, 0xa0000, 0 }, { 0xf0000, 0x100000, 0 },
	{ 0x100000, 0xcfde0000, 1 }, { 0xcfde0000, 0xcfde3000, 0 },
	{ 0xcfde3000, 0xcfdf0000, 0 }, { 0xcfdf0000, 0xcfe00000, 0 },
	{ 0xe0000000, 0xf0000000, 0 }, { 0xfec00000, 0x100000000, 0 },
	{ 0x100000000, 0x230000000, 1 },
};
static const struct fwpair phenom_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFF0000000, WB },
};

/* tests/data/linux-2.6.24-mtrr-show.syslog: desktop, Ubuntu 8.04. MAXPHYADDR 36. */
static const struct e820 u804_e[] = {
	{ 0x0, 0x9fc00, 1 }, { 0x9fc00, 0xa0000, 0 }, { 0xe4000, 0x100000, 0 },
	{ 0x100000, 0xcff80000, 1 }, { 0xcff80000, 0xcff8e000, 0 },
	{ 0xcff8e000, 0xcffe0000, 0 }, { 0xcffe0000, 0xd0000000, 0 },
	{ 0xfee00000, 0xfee01000, 0 }, { 0xffe00000, 0x100000000, 0 },
	{ 0x100000000, 0x130000000, 1 },
};
static const struct fwpair u804_fw[] = {
	{ 0x000000000, 0xF00000000, WB }, { 0x0D0000000, 0xFF0000000, UC },
	{ 0x0E0000000, 0xFE0000000, UC }, { 0x100000000, 0xFC0000000, WB },
	{ 0x130000000, 0xFF0000000, UC },
};

/*
 * QEMU guests, e820 as QEMU and SeaBIOS lay it out: low RAM below lowmem
 * (i440fx: all RAM below 3.5 GiB when it fits, else 3 GiB; q35: below
 * 2.75 GiB when it fits, else 2 GiB), the rest from 4 GiB; SeaBIOS reserves
 * the top 128 KiB of low RAM (its tables), the KVM TSS pages at 0xfeffc000
 * and the BIOS ROM below 4 GiB; q35 adds its MMCONFIG window at 2.75 GiB.
 * Built by qemu_map(); MAXPHYADDR 40, 8 pairs.
 */
static struct e820 qemu_e[6][10];

/*
 * A QEMU q35 guest under OVMF (UEFI), 8 GiB, typical of what OVMF reports:
 * the top of low RAM cut into EFI runtime, ACPI and reserved pieces at page
 * granularity, the MMCONFIG window, the flash at 0xffc00000.
 */
static const struct e820 ovmf_e[] = {
	{ 0x0, 0xa0000, 1 }, { 0x100000, 0x800000, 1 }, { 0x800000, 0x808000, 0 },
	{ 0x808000, 0x810000, 1 }, { 0x810000, 0x900000, 0 },
	{ 0x900000, 0x7e8ed000, 1 }, { 0x7e8ed000, 0x7eb6d000, 0 },
	{ 0x7eb6d000, 0x7eb7f000, 0 }, { 0x7eb7f000, 0x7ebff000, 0 },
	{ 0x7ebff000, 0x7fe54000, 1 }, { 0x7fe54000, 0x7fe58000, 0 },
	{ 0x7fe58000, 0x7fe5a000, 0 }, { 0x7fe5a000, 0x7ff40000, 1 },
	{ 0x7ff40000, 0x80000000, 0 }, { 0xb0000000, 0xc0000000, 0 },
	{ 0xffc00000, 0x100000000, 0 }, { 0x100000000, 0x280000000, 1 },
};

/*
 * The real AMD boot logs of tests/data (transcribed there from public
 * posts; tests/data/README.md gives each machine, kernel and address).
 * Every one has MAXPHYADDR 48 (masks FFFF...), 8 pairs, a UC default and
 * a TOM2 line.  amd-epyc7351p-dl325-5.0.dmesg is not repeated: it is the
 * HPE DL325 Gen10 log above.  The M4A78T's pair 3 is WC, so every state
 * here has MTRRCAP.WC (as every CPU in the table does).
 */

/* GIGABYTE MZ01-CE1-00, BIOS F02, EPYC 7351P; Linux 5.0. TOM2 = 32.5 GiB. */
static const struct e820 mz01_e[] = {
	{ 0x0, 0xa0000, 1 }, { 0xa0000, 0x100000, 0 }, { 0x100000, 0x75db0000, 1 },
	{ 0x75db0000, 0x76000000, 0 }, { 0x76000000, 0xd9037000, 1 },
	{ 0xd9037000, 0xda49d000, 0 }, { 0xda49d000, 0xda4b8000, 1 },
	{ 0xda4b8000, 0xda510000, 0 }, { 0xda510000, 0xdad6b000, 0 },
	{ 0xdad6b000, 0xdc000000, 1 }, { 0xdc000000, 0xe0000000, 0 },
	{ 0xea700000, 0xea880000, 0 }, { 0xea8f0000, 0xea8f1000, 0 },
	{ 0xeb200000, 0xeb380000, 0 }, { 0xeb3f0000, 0xeb3f1000, 0 },
	{ 0xeb800000, 0xeb980000, 0 }, { 0xeb9f0000, 0xeb9f1000, 0 },
	{ 0xebf00000, 0xebf80000, 0 }, { 0xebff0000, 0xebff1000, 0 },
	{ 0xfea00000, 0xfeb00000, 0 }, { 0xfec00000, 0xfec01000, 0 },
	{ 0xfec10000, 0xfec11000, 0 }, { 0xfed00000, 0xfed01000, 0 },
	{ 0xfed40000, 0xfed45000, 0 }, { 0xfed80000, 0xfed90000, 0 },
	{ 0xfedc0000, 0xfedc1000, 0 }, { 0xfedc2000, 0xfedc9000, 0 },
	{ 0xfee00000, 0xfef00000, 0 }, { 0xff000000, 0x100000000, 0 },
	{ 0x100000000, 0x21f380000, 1 }, { 0x21f380000, 0x220000000, 0 },
	{ 0x220000000, 0x41ff80000, 1 }, { 0x41ff80000, 0x420000000, 0 },
	{ 0x420000000, 0x61ff80000, 1 }, { 0x61ff80000, 0x620000000, 0 },
	{ 0x620000000, 0x81ff80000, 1 }, { 0x81ff80000, 0x820000000, 0 },
};
static const struct fwpair mz01_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFE0000000, WB }, { 0x0000DC000000, 0xFFFFFC000000, UC },
};

/* System76 Thelio, BIOS F42a Z5, Ryzen; Linux 5.3. TOM2 = 32.5 GiB. */
static const struct e820 thelio_e[] = {
	{ 0x0, 0xa0000, 1 }, { 0xa0000, 0x100000, 0 }, { 0x100000, 0x9e02000, 1 },
	{ 0x9e02000, 0xa000000, 0 }, { 0xa000000, 0xa200000, 1 },
	{ 0xa200000, 0xa20c000, 0 }, { 0xa20c000, 0xb000000, 1 },
	{ 0xb000000, 0xb020000, 0 }, { 0xb020000, 0xdb77d000, 1 },
	{ 0xdb77d000, 0xdb8e5000, 0 }, { 0xdb8e5000, 0xdba68000, 1 },
	{ 0xdba68000, 0xdbe81000, 0 }, { 0xdbe81000, 0xdcb01000, 0 },
	{ 0xdcb01000, 0xdf000000, 1 }, { 0xdf000000, 0xe0000000, 0 },
	{ 0xf8000000, 0xfc000000, 0 }, { 0xfd000000, 0x100000000, 0 },
	{ 0x100000000, 0x81f380000, 1 },
};
static const struct fwpair thelio_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFE0000000, WB }, { 0x0000DC260000, 0xFFFFFFFF0000, UC },
};

/* MSI X470 GAMING PRO CARBON, BIOS 2.E3, Ryzen 7 2700X; Linux 5.9. TOM2 = 32.5 GiB. */
static const struct e820 x470_e[] = {
	{ 0x0, 0xa0000, 1 }, { 0xa0000, 0x100000, 0 }, { 0x100000, 0x9d80000, 1 },
	{ 0x9d80000, 0xa000000, 0 }, { 0xa000000, 0xa200000, 1 },
	{ 0xa200000, 0xa20b000, 0 }, { 0xa20b000, 0xb000000, 1 },
	{ 0xb000000, 0xb020000, 0 }, { 0xb020000, 0xdbc4b000, 1 },
	{ 0xdbc4b000, 0xdbdbb000, 0 }, { 0xdbdbb000, 0xdbf3d000, 1 },
	{ 0xdbf3d000, 0xdc354000, 0 }, { 0xdc354000, 0xdcfcc000, 0 },
	{ 0xdcfcc000, 0xdf000000, 1 }, { 0xdf000000, 0xe0000000, 0 },
	{ 0xf8000000, 0xfc000000, 0 }, { 0xfd000000, 0x100000000, 0 },
	{ 0x100000000, 0x81f380000, 1 },
};
static const struct fwpair x470_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFE0000000, WB },
};

/* MSI A320M-A PRO, BIOS 1.30, Ryzen; Linux 5.9. TOM2 = 16.5 GiB. */
static const struct e820 a320m_e[] = {
	{ 0x0, 0xa0000, 1 }, { 0xa0000, 0x100000, 0 }, { 0x100000, 0x9d80000, 1 },
	{ 0x9d80000, 0xa000000, 0 }, { 0xa000000, 0xa200000, 1 },
	{ 0xa200000, 0xa20c000, 0 }, { 0xa20c000, 0xb000000, 1 },
	{ 0xb000000, 0xb020000, 0 }, { 0xb020000, 0xdbd62000, 1 },
	{ 0xdbd62000, 0xdbeac000, 0 }, { 0xdbeac000, 0xdc02d000, 1 },
	{ 0xdc02d000, 0xdc43f000, 0 }, { 0xdc43f000, 0xdd049000, 0 },
	{ 0xdd049000, 0xdf000000, 1 }, { 0xdf000000, 0xe0000000, 0 },
	{ 0xf8000000, 0xfc000000, 0 }, { 0xfd000000, 0x100000000, 0 },
	{ 0x100000000, 0x41f380000, 1 },
};
static const struct fwpair a320m_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFE0000000, WB }, { 0x0000DC7B0000, 0xFFFFFFFF0000, UC },
};

/*
 * ASUS M4A78T-E, BIOS 3406, Phenom II X4 955; Linux 3.2 (old-style e820
 * lines, RAM from 0x100).  Pair 3 is a WC window [0xF0000000, +128 MiB) in
 * the PCI hole.  TOM2 = 8.5 GiB.
 */
static const struct e820 m4a78t_e[] = {
	{ 0x100, 0x9fc00, 1 }, { 0x9fc00, 0xa0000, 0 }, { 0xe6000, 0x100000, 0 },
	{ 0x100000, 0xdfe90000, 1 }, { 0xdfe90000, 0xdfea8000, 0 },
	{ 0xdfea8000, 0xdfed0000, 0 }, { 0xdfed0000, 0xdff00000, 0 },
	{ 0xfff00000, 0x100000000, 0 }, { 0x100000000, 0x220000000, 1 },
};
static const struct fwpair m4a78t_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFE0000000, WB }, { 0x0000F0000000, 0xFFFFF8000000, WC },
};

/*
 * ASUS ROG CROSSHAIR VII HERO (WI-FI), BIOS 1002, Ryzen; Linux 5.2.  A mail
 * client wrapped most e820 types onto the next line; each entry here is the
 * range of one BIOS-e820 line with the type on the line after it (31
 * entries, as many as the log's BIOS-e820 lines).  TOM2 = 16.5 GiB.
 */
static const struct e820 c7h_e[] = {
	{ 0x0, 0x9d400, 1 }, { 0x9d400, 0xa0000, 0 }, { 0xe0000, 0x100000, 0 },
	{ 0x100000, 0x4000000, 1 }, { 0x4000000, 0x400a000, 0 },
	{ 0x400a000, 0x9d00000, 1 }, { 0x9d00000, 0xa000000, 0 },
	{ 0xa000000, 0xb000000, 1 }, { 0xb000000, 0xb020000, 0 },
	{ 0xb020000, 0xd9a12000, 1 }, { 0xd9a12000, 0xdaf0f000, 0 },
	{ 0xdaf0f000, 0xdafc4000, 0 }, { 0xdafc4000, 0xdb0d3000, 1 },
	{ 0xdb0d3000, 0xdb495000, 0 }, { 0xdb495000, 0xdc53c000, 0 },
	{ 0xdc53c000, 0xdf000000, 1 }, { 0xdf000000, 0xe0000000, 0 },
	{ 0xf8000000, 0xfc000000, 0 }, { 0xfd800000, 0xfe000000, 0 },
	{ 0xfea00000, 0xfea10000, 0 }, { 0xfeb80000, 0xfec02000, 0 },
	{ 0xfec10000, 0xfec11000, 0 }, { 0xfec30000, 0xfec31000, 0 },
	{ 0xfed00000, 0xfed01000, 0 }, { 0xfed40000, 0xfed45000, 0 },
	{ 0xfed80000, 0xfed90000, 0 }, { 0xfedc2000, 0xfedd0000, 0 },
	{ 0xfedd4000, 0xfedd6000, 0 }, { 0xfee00000, 0xfef00000, 0 },
	{ 0xff000000, 0x100000000, 0 }, { 0x100000000, 0x41f380000, 1 },
};
static const struct fwpair c7h_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFE0000000, WB },
};

/*
 * HP EliteBook 735 G6, BIOS R74 01.05.00, Ryzen mobile; Linux 5.10, quoted
 * in a mail reply.  Low RAM ends at 0x5e000000; pair 0 is a WP window over
 * the flash [0xFF000000, 4 GiB).  TOM2 = 16.5 GiB.
 */
static const struct e820 eb735_e[] = {
	{ 0x100, 0xa0000, 1 }, { 0x100000, 0x9f00000, 1 }, { 0x9f00000, 0x9f0b000, 0 },
	{ 0x9f0b000, 0x381cf000, 1 }, { 0x381cf000, 0x38fcf000, 0 },
	{ 0x38fcf000, 0x396cf000, 0 }, { 0x396cf000, 0x3974f000, 0 },
	{ 0x3974f000, 0x5e000000, 1 }, { 0xf8000000, 0xfc000000, 0 },
	{ 0xfd100000, 0xfd200000, 0 }, { 0xfec00000, 0xfec01000, 0 },
	{ 0xfec10000, 0xfec11000, 0 }, { 0xfed80000, 0xfed81000, 0 },
	{ 0xfedf1000, 0xfedf2000, 0 }, { 0xfee00000, 0xfee01000, 0 },
	{ 0xff000000, 0x100000000, 0 }, { 0x100000000, 0x41f340000, 1 },
};
static const struct fwpair eb735_fw[] = {
	{ 0x0000FF000000, 0xFFFFFF000000, WP }, { 0x000000000000, 0xFFFF80000000, WB },
	{ 0x000080000000, 0xFFFFC0000000, WB }, { 0x0000C0000000, 0xFFFFE0000000, WB },
};

/*
 * Sun Fire X4600 M2, BIOS 0ABIT132, 8 family 10h Opterons; Linux 5.11.  The
 * "type 9" entry at 0xd7fae000 is not RAM.  TOM2 = 128.6 GiB, the end of RAM.
 */
static const struct e820 x4600_e[] = {
	{ 0x0, 0x99c00, 1 }, { 0x99c00, 0xa0000, 0 }, { 0xe6000, 0x100000, 0 },
	{ 0x100000, 0xd7fa0000, 1 }, { 0xd7fae000, 0xd7fb0000, 0 },
	{ 0xd7fb0000, 0xd7fbe000, 0 }, { 0xd7fbe000, 0xd7ff0000, 0 },
	{ 0xd7ff0000, 0xd8000000, 0 }, { 0xdc000000, 0xf0000000, 0 },
	{ 0xfec00000, 0xfec01000, 0 }, { 0xfee00000, 0xfee01000, 0 },
	{ 0xff700000, 0x100000000, 0 }, { 0x100000000, 0x2028000000, 1 },
};
static const struct fwpair x4600_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFF0000000, WB }, { 0x0000D0000000, 0xFFFFF8000000, WB },
};

/*
 * ASUS PRIME X570-PRO, BIOS 2606, Ryzen; Linux 5.4.  e820 types wrapped as
 * in the C7H log (28 entries).  TOM2 = 64.75 GiB.
 */
static const struct e820 x570pro_e[] = {
	{ 0x0, 0xa0000, 1 }, { 0xa0000, 0x100000, 0 }, { 0x100000, 0x9bff000, 1 },
	{ 0x9bff000, 0xa000000, 0 }, { 0xa000000, 0xa200000, 1 },
	{ 0xa200000, 0xa213000, 0 }, { 0xa213000, 0xca43e000, 1 },
	{ 0xca43e000, 0xca793000, 0 }, { 0xca793000, 0xca8e7000, 0 },
	{ 0xca8e7000, 0xcafa4000, 0 }, { 0xcafa4000, 0xcbb64000, 0 },
	{ 0xcbb64000, 0xcbbff000, 0 }, { 0xcbbff000, 0xcd000000, 1 },
	{ 0xcd000000, 0xd0000000, 0 }, { 0xf0000000, 0xf8000000, 0 },
	{ 0xfd100000, 0xfd200000, 0 }, { 0xfd300000, 0xfd500000, 0 },
	{ 0xfea00000, 0xfea10000, 0 }, { 0xfeb80000, 0xfec02000, 0 },
	{ 0xfec10000, 0xfec11000, 0 }, { 0xfed00000, 0xfed01000, 0 },
	{ 0xfed40000, 0xfed45000, 0 }, { 0xfed80000, 0xfed90000, 0 },
	{ 0xfedc2000, 0xfedd0000, 0 }, { 0xfedd4000, 0xfedd6000, 0 },
	{ 0xff000000, 0x100000000, 0 }, { 0x100000000, 0x102f380000, 1 },
	{ 0x102f380000, 0x1030000000, 0 },
};
static const struct fwpair x570pro_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFF0000000, WB }, { 0x0000CB320000, 0xFFFFFFFF0000, UC },
};

/*
 * ASRock Rack X570D4U-2L2T, BIOS P1.30, Ryzen 9 3900XT; Linux 5.10.  Low
 * RAM up to 0xef000000: the firmware's WB ends at 0xF0000000 (5 pairs).
 * TOM2 = 64.25 GiB.
 */
static const struct e820 x570d4u_e[] = {
	{ 0x0, 0x9c400, 1 }, { 0x9c400, 0xa0000, 0 }, { 0xe0000, 0x100000, 0 },
	{ 0x100000, 0x9bff000, 1 }, { 0x9bff000, 0xa000000, 0 },
	{ 0xa000000, 0xa200000, 1 }, { 0xa200000, 0xa213000, 0 },
	{ 0xa213000, 0xeb95a000, 1 }, { 0xeb95a000, 0xecf94000, 0 },
	{ 0xecf94000, 0xecfd2000, 0 }, { 0xecfd2000, 0xed65a000, 0 },
	{ 0xed65a000, 0xee1ff000, 0 }, { 0xee1ff000, 0xef000000, 1 },
	{ 0xef000000, 0xf8000000, 0 }, { 0xfd200000, 0xfd300000, 0 },
	{ 0xfd400000, 0xfd600000, 0 }, { 0xfea00000, 0xfea10000, 0 },
	{ 0xfeb80000, 0xfec02000, 0 }, { 0xfec10000, 0xfec11000, 0 },
	{ 0xfed00000, 0xfed01000, 0 }, { 0xfed40000, 0xfed45000, 0 },
	{ 0xfed80000, 0xfed90000, 0 }, { 0xfedc2000, 0xfedd0000, 0 },
	{ 0xfedd4000, 0xfedd6000, 0 }, { 0xff000000, 0x100000000, 0 },
	{ 0x100000000, 0x100f300000, 1 }, { 0x100f300000, 0x1010000000, 0 },
};
static const struct fwpair x570d4u_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFE0000000, WB }, { 0x0000E0000000, 0xFFFFF0000000, WB },
	{ 0x0000ED8F0000, 0xFFFFFFFF0000, UC },
};

/* MSI B450 TOMAHAWK MAX, BIOS 3.60, Ryzen; Linux 5.6. TOM2 = 64.5 GiB. */
static const struct e820 b450_e[] = {
	{ 0x0, 0xa0000, 1 }, { 0xa0000, 0x100000, 0 }, { 0x100000, 0x9d82000, 1 },
	{ 0x9d82000, 0xa000000, 0 }, { 0xa000000, 0xa200000, 1 },
	{ 0xa200000, 0xa20c000, 0 }, { 0xa20c000, 0xb000000, 1 },
	{ 0xb000000, 0xb020000, 0 }, { 0xb020000, 0xdb4f2000, 1 },
	{ 0xdb4f2000, 0xdb706000, 0 }, { 0xdb706000, 0xdbb8c000, 1 },
	{ 0xdbb8c000, 0xdbcb2000, 0 }, { 0xdbcb2000, 0xdc9f6000, 0 },
	{ 0xdc9f6000, 0xdca9c000, 0 }, { 0xdca9c000, 0xdf000000, 1 },
	{ 0xdf000000, 0xe0000000, 0 }, { 0xf8000000, 0xfc000000, 0 },
	{ 0xfd000000, 0x100000000, 0 }, { 0x100000000, 0x101f300000, 1 },
};
static const struct fwpair b450_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFE0000000, WB }, { 0x0000DC0B0000, 0xFFFFFFFF0000, UC },
};

/*
 * HP ProLiant MicroServer, BIOS O41; Linux 3.2, /var/log/syslog (old-style
 * e820 lines).  TOM2 = 6.5 GiB.
 */
static const struct e820 microsrv_e[] = {
	{ 0x0, 0x9e800, 1 }, { 0x9e800, 0xa0000, 0 }, { 0xe2000, 0x100000, 0 },
	{ 0x100000, 0xd7f90000, 1 }, { 0xd7f9e000, 0xd7fa0000, 0 },
	{ 0xd7fa0000, 0xd7fae000, 0 }, { 0xd7fae000, 0xd7fe0000, 0 },
	{ 0xd7fe0000, 0xd8000000, 0 }, { 0xe0000000, 0xf0000000, 0 },
	{ 0xffa00000, 0x100000000, 0 }, { 0x100000000, 0x1a0000000, 1 },
};
static const struct fwpair microsrv_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFE0000000, WB },
};

/* MSI 760GM-E51, BIOS V1.6, Athlon II X3 435; Linux 3.8. TOM2 = 4.75 GiB. */
static const struct e820 gm760_e[] = {
	{ 0x0, 0x9fc00, 1 }, { 0x9fc00, 0xa0000, 0 }, { 0xe6000, 0x100000, 0 },
	{ 0x100000, 0xcff90000, 1 }, { 0xcff90000, 0xcff9e000, 0 },
	{ 0xcff9e000, 0xcffe0000, 0 }, { 0xcffe0000, 0xd0000000, 0 },
	{ 0xfff00000, 0x100000000, 0 }, { 0x100000000, 0x130000000, 1 },
};
static const struct fwpair gm760_fw[] = {
	{ 0x000000000000, 0xFFFF80000000, WB }, { 0x000080000000, 0xFFFFC0000000, WB },
	{ 0x0000C0000000, 0xFFFFF0000000, WB },
};

static struct machine machines[32];
static size_t nmachines;

static void
add(const char *name, const char *source, unsigned phys, unsigned vcnt, const struct e820 *e,
    size_t ne, int fw_def, const struct fwpair *fw, size_t nfw, uint64_t tom2)
{
	struct machine *m = &machines[nmachines++];

	m->name = name;
	m->source = source;
	m->phys = phys;
	m->vcnt = vcnt;
	m->e = e;
	m->ne = ne;
	m->fw_def = fw_def;
	m->fw = fw;
	m->nfw = nfw;
	m->tom2 = tom2;
}

/* A QEMU guest's e820 map into qemu_e[k]: returns the number of entries. */
static size_t
qemu_map(unsigned k, int q35, uint64_t ram)
{
	struct e820 *e = qemu_e[k];
	uint64_t low = ram, split = q35 ? 0xb0000000 : 0xe0000000;
	size_t n = 0;

	if (ram >= split)
		low = q35 ? 0x80000000 : 0xc0000000;
	e[n++] = (struct e820){ 0x0, 0x9fc00, 1 };
	e[n++] = (struct e820){ 0x9fc00, 0xa0000, 0 };
	e[n++] = (struct e820){ 0xf0000, 0x100000, 0 };
	e[n++] = (struct e820){ 0x100000, low - 0x20000, 1 };
	e[n++] = (struct e820){ low - 0x20000, low, 0 };
	if (q35)
		e[n++] = (struct e820){ 0xb0000000, 0xc0000000, 0 };
	e[n++] = (struct e820){ 0xfeffc000, 0xff000000, 0 };
	e[n++] = (struct e820){ 0xfffc0000, G4, 0 };
	if (ram > low)
		e[n++] = (struct e820){ G4, G4 + ram - low, 1 };
	return n;
}

static void
make_machines(void)
{
	static const char pub[] = "public log";
	static const char td[] = "tests/data";
	static const char rl[] = "real log";
	static const char qm[] = "QEMU layout";
	static const struct { const char *name; int q35; uint64_t ram; } guests[6] = {
		{ "QEMU i440fx 2 GiB", 0, 2 * GIB }, { "QEMU i440fx 4 GiB", 0, 4 * GIB },
		{ "QEMU i440fx 16 GiB", 0, 16 * GIB }, { "QEMU q35 1 GiB", 1, 1 * GIB },
		{ "QEMU q35 4 GiB", 1, 4 * GIB }, { "QEMU q35 64 GiB", 1, 64 * GIB },
	};
	unsigned k;

	add("Gigabyte H77M-D3H (Ivy Bridge desktop)", pub, 36, 10, h77m_e, N(h77m_e), UC,
	    h77m_fw, N(h77m_fw), 0);
	add("ASUS UL80 (Core 2 laptop)", pub, 36, 8, ul80_e, N(ul80_e), UC, ul80_fw, N(ul80_fw),
	    0);
	add("HPE DL325 Gen10 (EPYC server)", pub, 48, 8, dl325_e, N(dl325_e), UC, dl325_fw,
	    N(dl325_fw), 0x1080000000);
	add("QEMU i440fx 512 MiB, SeaBIOS", pub, 40, 8, i440fx512_e, N(i440fx512_e), WB,
	    i440fx512_fw, N(i440fx512_fw), 0);
	add("ASUS Z170-A (Skylake desktop)", td, 39, 10, z170_e, N(z170_e), WB, z170_fw,
	    N(z170_fw), 0);
	add("EPYC 7302P server", td, 43, 8, epyc_e, N(epyc_e), UC, epyc_fw, N(epyc_fw),
	    0x820000000);
	add("Phenom II desktop", td, 48, 8, phenom_e, N(phenom_e), UC, phenom_fw, N(phenom_fw),
	    0x230000000);
	add("Ubuntu 8.04 desktop", td, 36, 8, u804_e, N(u804_e), UC, u804_fw, N(u804_fw), 0);
	add("GIGABYTE MZ01-CE1-00, EPYC 7351P", rl, 48, 8, mz01_e, N(mz01_e), UC, mz01_fw,
	    N(mz01_fw), 0x820000000);
	add("System76 Thelio (Ryzen)", rl, 48, 8, thelio_e, N(thelio_e), UC, thelio_fw,
	    N(thelio_fw), 0x820000000);
	add("MSI X470 GAMING PRO CARBON (MS-7B78), Ryzen 7 2700X", rl, 48, 8, x470_e, N(x470_e),
	    UC, x470_fw, N(x470_fw), 0x820000000);
	add("MSI A320M-A PRO (MS-7C51)", rl, 48, 8, a320m_e, N(a320m_e), UC, a320m_fw,
	    N(a320m_fw), 0x420000000);
	add("ASUS M4A78T-E, Phenom II X4 955", rl, 48, 8, m4a78t_e, N(m4a78t_e), UC, m4a78t_fw,
	    N(m4a78t_fw), 0x220000000);
	add("ASUS ROG CROSSHAIR VII HERO (WI-FI) (Ryzen)", rl, 48, 8, c7h_e, N(c7h_e), UC, c7h_fw,
	    N(c7h_fw), 0x420000000);
	add("HP EliteBook 735 G6 (Ryzen mobile)", rl, 48, 8, eb735_e, N(eb735_e), UC, eb735_fw,
	    N(eb735_fw), 0x420000000);
	add("Sun Fire X4600 M2 (8 sockets, family 10h Opteron)", rl, 48, 8, x4600_e, N(x4600_e),
	    UC, x4600_fw, N(x4600_fw), 0x2028000000);
	add("ASUS PRIME X570-PRO (Ryzen)", rl, 48, 8, x570pro_e, N(x570pro_e), UC, x570pro_fw,
	    N(x570pro_fw), 0x1030000000);
	add("ASRock Rack X570D4U-2L2T, Ryzen 9 3900XT", rl, 48, 8, x570d4u_e, N(x570d4u_e), UC,
	    x570d4u_fw, N(x570d4u_fw), 0x1010000000);
	add("MSI B450 TOMAHAWK MAX (MS-7C02)", rl, 48, 8, b450_e, N(b450_e), UC, b450_fw,
	    N(b450_fw), 0x1020000000);
	add("HP ProLiant MicroServer (N36L/N40L class)", rl, 48, 8, microsrv_e, N(microsrv_e), UC,
	    microsrv_fw, N(microsrv_fw), 0x1a0000000);
	add("MSI 760GM-E51 (MS-7596), Athlon II X3 435", rl, 48, 8, gm760_e, N(gm760_e), UC,
	    gm760_fw, N(gm760_fw), 0x130000000);
	for (k = 0; k < 6; k++)
		add(guests[k].name, qm, 40, 8, qemu_e[k], qemu_map(k, guests[k].q35, guests[k].ram),
		    NODEF, NULL, 0, 0);
	add("QEMU q35 8 GiB, OVMF", "typical", 40, 8, ovmf_e, N(ovmf_e), NODEF, NULL, 0, 0);
}

/* ------------------------------------------------------------------------ */
/* Maps                                                                     */
/* ------------------------------------------------------------------------ */

struct piece {
	uint64_t start, end;
	uint8_t type;           /* WB, UC, WP or ANY */
};

struct pmap {
	struct piece p[MAXP];
	size_t n;
};

static void
put(struct pmap *m, uint64_t start, uint64_t end, uint8_t type)
{
	if (start >= end)
		return;
	if (m->n > 0 && m->p[m->n - 1].end == start && m->p[m->n - 1].type == type) {
		m->p[m->n - 1].end = end;
		return;
	}
	if (m->n == MAXP) {
		fprintf(stderr, "mtrr_plan_compare: map too long\n");
		exit(2);
	}
	m->p[m->n].start = start;
	m->p[m->n].end = end;
	m->p[m->n].type = type;
	m->n++;
}

static uint64_t
up4k(uint64_t a)
{
	return (a + 0xFFFu) & ~0xFFFull;
}

static uint64_t
down4k(uint64_t a)
{
	return a & ~0xFFFull;
}

static uint64_t
pow2floor(uint64_t x)
{
	uint64_t p = 1;

	while (p <= x / 2)
		p <<= 1;
	return p;
}

static unsigned
lsb(uint64_t x)                 /* 64 for 0 */
{
	unsigned i = 0;

	if (x == 0)
		return 64;
	while (!(x & 1u)) {
		x >>= 1;
		i++;
	}
	return i;
}

static unsigned
msb(uint64_t x)                 /* 0 for 0 */
{
	unsigned i = 0;

	while (x >>= 1)
		i++;
	return i;
}

/* Linux's PCI hole: the largest gap in [1 MiB, 4 GiB) no e820 entry covers. */
static void
pci_gap(const struct machine *m, uint64_t *gs, uint64_t *ge)
{
	uint64_t at = MIB;
	size_t i;

	*gs = *ge = 0;
	for (i = 0; i <= m->ne; i++) {
		uint64_t next = i < m->ne ? m->e[i].start : G4;

		if (next > G4)
			next = G4;
		if (next > at && next - at > *ge - *gs) {
			*gs = at;
			*ge = next;
		}
		if (i < m->ne && m->e[i].end > at)
			at = m->e[i].end;
	}
}

static int
fw_state(const struct machine *m, struct mtrr_state *s)
{
	struct mtrr_caps c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.vcnt = m->vcnt;
	c.fixed = true;
	c.wc = true;
	c.phys_bits = m->phys;
	if (mtrr_state_init(s, &c) != MTRR_OK)
		return 1;
	for (i = 0; i < m->nfw; i++)
		if (mtrr_wrmsr(s, MTRR_MSR_PHYSBASE((unsigned)i), m->fw[i].base | m->fw[i].type) !=
		    MTRR_OK ||
		    mtrr_wrmsr(s, MTRR_MSR_PHYSMASK((unsigned)i), m->fw[i].mask | MTRR_PHYSMASK_V) !=
		    MTRR_OK)
			return 1;
	return mtrr_wrmsr(s, MTRR_MSR_DEF_TYPE, (uint64_t)(unsigned)m->fw_def | MTRR_DEF_E) !=
	       MTRR_OK;
}

static struct mtrr_map g_map;

/*
 * The wanted map of m over [0, top of the e820 map), with ANY pieces (the
 * rules are at the top of the file).  The firmware's types in the PCI hole
 * come from its registers: the hole is cut at every pair's ends, and each
 * piece between two cuts has one type.
 */
static int
wanted(const struct machine *m, struct pmap *w)
{
	uint64_t gs, ge, cuts[2 * MAXPAIRS + 2], at = 0;
	size_t i, j, nc = 0;
	struct mtrr_state fw;
	bool gap_done = false;

	w->n = 0;
	pci_gap(m, &gs, &ge);
	if ((gs | ge) & 0xFFFu)
		return 1;
	if (m->fw_def != NODEF) {
		if (fw_state(m, &fw) != 0 || mtrr_map_build(&g_map, &fw) != MTRR_OK)
			return 1;
	}
	for (i = 0; i <= m->ne; i++) {
		uint64_t s = i < m->ne ? up4k(m->e[i].start) : up4k(m->e[m->ne - 1].end);

		if (!gap_done && gs < ge && gs <= s) {  /* the hole lies before entry i */
			gap_done = true;
			put(w, at, gs, ANY);
			cuts[nc++] = gs;
			for (j = 0; j < m->nfw; j++) {
				uint64_t b = m->fw[j].base;
				uint64_t e = b + ((~m->fw[j].mask + 1) & ((1ull << m->phys) - 1));

				if (b > gs && b < ge)
					cuts[nc++] = b;
				if (e > gs && e < ge)
					cuts[nc++] = e;
			}
			cuts[nc++] = ge;
			for (j = 1; j < nc; j++) {      /* insertion sort */
				uint64_t v = cuts[j];
				size_t k = j;

				while (k > 0 && cuts[k - 1] > v) {
					cuts[k] = cuts[k - 1];
					k--;
				}
				cuts[k] = v;
			}
			for (j = 0; j + 1 < nc; j++)
				put(w, cuts[j], cuts[j + 1], m->fw_def == NODEF ? (uint8_t)UC :
				    mtrr_map_lookup_range(&g_map, cuts[j], cuts[j + 1]));
			at = ge;
		}
		if (i == m->ne)
			break;
		if (m->e[i].ram) {
			uint64_t a = up4k(m->e[i].start), b = down4k(m->e[i].end);
			bool tom2 = m->tom2 != 0 && a >= G4 && b <= m->tom2;

			put(w, at, a, ANY);
			put(w, a, b, tom2 ? ANY : WB);
			at = b > at ? b : at;
		}
	}
	put(w, at, up4k(m->e[m->ne - 1].end), ANY);
	for (i = 0; i < w->n; i++)
		if (w->p[i].type == MTRR_TYPE_MIXED || w->p[i].type == MTRR_TYPE_INVALID)
			return 1;
	return 0;
}

/* The address in [a, b] with the most trailing zero bits. */
static uint64_t
most_aligned(uint64_t a, uint64_t b)
{
	unsigned k;

	if (a == 0)
		return 0;
	for (k = 63; k > 0; k--) {
		uint64_t p = ((a >> k) + ((a & ((1ull << k) - 1)) != 0)) << k;

		if (p >= a && p <= b)
			return p;
	}
	return a;
}

/* The typed map: every ANY run filled as the top of the file says. */
static void
typed(const struct pmap *w, struct pmap *t)
{
	size_t i, last = w->n;

	t->n = 0;
	while (last > 0 && w->p[last - 1].type == ANY)
		last--;
	for (i = 0; i < last; i++) {
		const struct piece *p = &w->p[i];
		uint8_t below, above;
		uint64_t cut;

		if (p->type != ANY) {
			put(t, p->start, p->end, p->type);
			continue;
		}
		above = w->p[i + 1].type;       /* i + 1 < last, not ANY (merged) */
		below = i > 0 ? w->p[i - 1].type : above;
		cut = below == above ? p->end : most_aligned(p->start, p->end);
		put(t, p->start, cut, below);
		put(t, cut, p->end, above);
	}
}

/* ------------------------------------------------------------------------ */
/* The EDK2 model                                                           */
/* ------------------------------------------------------------------------ */

/*
 * EDK2's MtrrLib (UefiCpuPkg/Library/MtrrLib, the 2017 rewrite), as
 * MtrrSetMemoryAttributesInMtrrSettings computes the pairs from clean
 * registers with one call that lists every range.  The rules modelled:
 *
 *  1. The address space [0, 2^MAXPHYADDR) is a list of ranges, each with one
 *     type: the default type (UC, chosen by the caller, never by MtrrLib)
 *     where nothing is asked, [0, 1 MiB) forced to UC (the fixed MTRRs type
 *     it), adjacent ranges of one type merged.
 *  2. Alignment of an address: its lowest set bit; address 0 counts as
 *     2^(MAXPHYADDR-1), so no pair ever covers the whole space (PHYSMASK 0).
 *  3. Segments, left to right from Base0: while the biggest aligned block at
 *     Base0 fits in the current range, it takes one pair (none when the range
 *     has the default type) — the "full step".  Otherwise the segment runs
 *     over the following ranges whose types are compatible with the first
 *     non-UC one (WB and WT with UC; WP or WC each only with UC), up to
 *     Base1 = Base0 + min(alignment of Base0, largest power of two not above
 *     the compatible length); the range Base1 falls in is cut there.
 *  4. In a segment, each range is cut greedily into aligned power-of-two
 *     blocks from its base (the largest the alignment and the remaining
 *     length allow); the block starts, and Base1, are the vertices of a
 *     graph.  An edge between adjacent vertices costs 1 pair, or 0 when
 *     the block has the default type (then its "optional" cost is 1, paid
 *     when the block lies under a pair of another type).  An edge [S, T)
 *     that one pair can cover (power-of-two length, S aligned to it) and
 *     that holds 2 types (then, in a second pass, 3) costs the subtractive
 *     way: one pair of the lowest-precedence type over all of [S, T) (0 if
 *     it is the default), plus, for each run of higher-precedence ranges
 *     inside, one pair per block of the run (2 types) or the shortest path
 *     over the run's vertices counting optional costs (3 types).
 *     Precedence is by type number: UC > WC > WT > WP > WB, lowest WB;
 *     with the compatibility of rule 3 only UC over anything and WT over WB
 *     ever overlap.
 *  5. The pairs are the shortest path from Base0 to Base1 (Dijkstra, ties
 *     to the later relaxation), expanded edge by edge as rule 4 counted it.
 *  6. A UC pair over exactly [0, 1 MiB) left over from rule 1 is dropped.
 *
 * Left out: the capacity of MtrrLib's range array (2 * VCNT + 2 ranges) and
 * the reserved pairs (PcdCpuNumberOfReservedVariableMtrrs), so a count is
 * never refused; merging with pairs already programmed (the registers
 * start clean here).  EDK2's weight table keeps the optional weights in the
 * lower triangle of the same array, which its Dijkstra also reads as
 * backward edges; the model walks forward edges only (a path over
 * addresses).
 */

#define EMAXV 1024
#define NOEDGE 0xFFu

struct erange {
	uint64_t base, len;
	uint8_t type;
};

struct evtx {
	uint64_t addr, align, len;
	uint8_t type;
	unsigned w, prev;
	bool visited;
};

struct edk2 {
	int def;
	uint64_t a0;
	const struct erange *r;
	size_t nr;
	struct evtx v[EMAXV];
	unsigned nv;
	uint8_t *mw;            /* mandatory weight of edge (i, j), i < j */
	uint8_t *ow;            /* optional weight */
	struct pairs *out;
	bool fail;
};

#define MW(c, i, j) ((c)->mw[(size_t)(i) * (c)->nv + (j)])
#define OW(c, i, j) ((c)->ow[(size_t)(i) * (c)->nv + (j)])

static uint64_t
e_align(uint64_t a, uint64_t a0)
{
	return a == 0 ? a0 : a & (~a + 1);
}

static uint8_t
e_lowest(unsigned types)        /* the highest type number present */
{
	uint8_t t = 7;

	while (t > 0 && !(types & (1u << t)))
		t--;
	return t;
}

static unsigned
e_ntypes(const struct edk2 *c, uint64_t base, uint64_t len, unsigned *types)
{
	unsigned n = 0, mask = 0;
	size_t i;

	for (i = 0; i < c->nr && len > 0; i++) {
		uint64_t end = c->r[i].base + c->r[i].len;

		if (base < c->r[i].base || base >= end)
			continue;
		if (!(mask & (1u << c->r[i].type))) {
			mask |= 1u << c->r[i].type;
			n++;
		}
		if (base + len > end) {
			len -= end - base;
			base = end;
		} else {
			break;
		}
	}
	*types = mask;
	return n;
}

static void
e_least(struct edk2 *c, unsigned start, unsigned stop, bool optional)
{
	unsigned i, mini = start, minw = 0;

	for (i = start; i <= stop; i++) {
		c->v[i].visited = false;
		c->v[i].w = MW(c, start, i);
		if (i == start)
			c->v[i].w = 0;
		else if (c->v[i].w != NOEDGE && optional)
			c->v[i].w += OW(c, start, i);
	}
	while (!c->v[stop].visited) {
		for (i = mini + 1; i <= stop; i++) {
			unsigned m = MW(c, mini, i);

			if (c->v[i].visited || m == NOEDGE)
				continue;
			m += optional ? OW(c, mini, i) : 0u;
			if (minw + m <= c->v[i].w) {
				c->v[i].w = minw + m;
				c->v[i].prev = mini;
			}
		}
		mini = c->nv;
		minw = ~0u;
		for (i = start + 1; i <= stop; i++)
			if (!c->v[i].visited && c->v[i].w < minw) {
				mini = i;
				minw = c->v[i].w;
			}
		if (mini == c->nv) {
			c->fail = true;
			return;
		}
		c->v[mini].visited = true;
	}
}

static unsigned
e_vertex(const struct edk2 *c, unsigned from, unsigned to, uint64_t addr)
{
	unsigned i;

	for (i = from; i <= to; i++)
		if (c->v[i].addr == addr)
			return i;
	return to + 1;
}

/* Rule 4's subtractive cost of [S, T) (out == NULL), or its pairs. */
static void
e_subtract(struct edk2 *c, unsigned s, unsigned t, unsigned types, unsigned ntypes,
	   bool do_emit)
{
	uint64_t base = c->v[s].addr, len = c->v[t].addr - base, hbase = 0, hlen = 0;
	uint8_t low = e_lowest(types), lowprec;
	unsigned prec = types & ~(1u << low);
	bool have = false;
	size_t i;

	lowprec = e_lowest(prec);
	if (!do_emit) {
		MW(c, s, t) = low == c->def ? 0 : 1;
		OW(c, s, t) = low == c->def ? 1 : 0;
	}
	for (i = 0; i < c->nr && len > 0; i++) {
		uint64_t end = c->r[i].base + c->r[i].len, sub;
		unsigned ss, st;

		if (base < c->r[i].base || base >= end)
			continue;
		sub = base + len > end ? end - base : len;
		if (prec & (1u << c->r[i].type)) {
			if (!have)
				hbase = base;
			have = true;
			hlen += sub;
		}
		base += sub;
		len -= sub;
		if (hlen == 0 || (c->r[i].type != low && len != 0))
			continue;
		ss = e_vertex(c, s, t, hbase);
		st = e_vertex(c, ss, t, hbase + hlen);
		if (st > t) {
			c->fail = true;
			return;
		}
		if (ntypes == 2 || ss + 1 == st) {
			if (!do_emit)
				MW(c, s, t) = (uint8_t)(MW(c, s, t) + (st - ss));
			else
				for (; ss < st; ss++)
					emit(c->out, c->v[ss].addr, c->v[ss].len, c->v[ss].type);
		} else {
			e_least(c, ss, st, true);
			if (!do_emit) {
				MW(c, s, t) = (uint8_t)(MW(c, s, t) + c->v[st].w);
			} else {
				while (st != ss && !c->fail) {
					unsigned cur = st, pre = c->v[cur].prev;

					st = pre;
					if (MW(c, pre, cur) + OW(c, pre, cur) != 0)
						emit(c->out, c->v[pre].addr, c->v[cur].addr - c->v[pre].addr,
						     pre + 1 != cur ? lowprec : c->v[pre].type);
					if (pre + 1 != cur)
						e_subtract(c, pre, cur, prec, 2, true);
				}
			}
		}
		have = false;
		hlen = 0;
	}
}

/* Rules 4 and 5 for one segment r[0..n). */
static void
e_segment(struct edk2 *c, const struct erange *r, size_t n)
{
	uint64_t base1 = r[n - 1].base + r[n - 1].len;
	unsigned s, t, tc;
	size_t k;

	c->r = r;
	c->nr = n;
	c->nv = 0;
	for (k = 0; k < n; k++) {
		uint64_t b = r[k].base, l = r[k].len;

		while (l != 0) {
			uint64_t a = e_align(b, c->a0), sub = a;

			if (sub > l)
				sub = pow2floor(l);
			if (c->nv + 1 >= EMAXV) {
				c->fail = true;
				return;
			}
			c->v[c->nv] = (struct evtx){ b, a, sub, r[k].type, 0, 0, false };
			c->nv++;
			b += sub;
			l -= sub;
		}
	}
	c->v[c->nv] = (struct evtx){ base1, 0, 0, 0, 0, 0, false };
	c->nv++;
	c->mw = malloc((size_t)c->nv * c->nv);
	c->ow = malloc((size_t)c->nv * c->nv);
	if (c->mw == NULL || c->ow == NULL) {
		c->fail = true;
		goto out;
	}
	memset(c->ow, 0, (size_t)c->nv * c->nv);
	for (s = 0; s < c->nv; s++)
		for (t = 0; t < c->nv; t++)
			MW(c, s, t) = t > s ? NOEDGE : 0;
	for (s = 0; s + 1 < c->nv; s++) {
		MW(c, s, s + 1) = c->v[s].type != c->def;
		OW(c, s, s + 1) = c->v[s].type == c->def;
	}
	for (tc = 2; tc <= 3; tc++)
		for (s = 0; s < c->nv; s++)
			for (t = s + 2; t < c->nv; t++) {
				uint64_t len = c->v[t].addr - c->v[s].addr;
				unsigned types, nt;

				if (len > c->v[s].align)
					break;
				if (MW(c, s, t) != NOEDGE || (len & (len - 1)) != 0)
					continue;
				nt = e_ntypes(c, c->v[s].addr, len, &types);
				if (nt == tc)
					e_subtract(c, s, t, types, tc, false);
				else if (tc == 2)
					break;
			}
	e_least(c, 0, c->nv - 1, false);
	t = c->nv - 1;
	while (t != 0 && !c->fail) {
		unsigned types = 0, nt = 0;

		s = c->v[t].prev;
		if (MW(c, s, t) != 0) {
			nt = e_ntypes(c, c->v[s].addr, c->v[t].addr - c->v[s].addr, &types);
			emit(c->out, c->v[s].addr, c->v[t].addr - c->v[s].addr, e_lowest(types));
		}
		if (s + 1 != t) {
			if (nt == 0)
				nt = e_ntypes(c, c->v[s].addr, c->v[t].addr - c->v[s].addr, &types);
			e_subtract(c, s, t, types, nt, true);
		}
		t = s;
	}
out:
	free(c->mw);
	free(c->ow);
	c->mw = c->ow = NULL;
}

static uint8_t
e_compatible(const struct erange *r, size_t n)
{
	for (; n > 0; r++, n--) {
		switch (r->type) {
		case WB:
		case MTRR_TYPE_WT:
			return (1u << WB) | (1u << MTRR_TYPE_WT) | (1u << UC);
		case WP:
		case MTRR_TYPE_WC:
			return (uint8_t)((1u << r->type) | (1u << UC));
		default:
			if (n == 1)
				return 1u << UC;
		}
	}
	return 1u << UC;
}

static struct edk2 g_edk2;

/* The EDK2 model on the typed map t: pairs in *out; 0, or 1 on failure. */
static int
edk2_model(const struct pmap *t, unsigned phys, struct pairs *out)
{
	struct erange r[2 * MAXP + 4];
	size_t n = 0, i, end;
	uint64_t at = 0, top = 1ull << phys;
	struct edk2 *c = &g_edk2;

#define ADD(b, e, ty)                                                                 \
	do {                                                                          \
		if ((e) > (b)) {                                                      \
			if (n > 0 && r[n - 1].type == (ty) &&                         \
			    r[n - 1].base + r[n - 1].len == (b))                      \
				r[n - 1].len += (e) - (b);                            \
			else                                                          \
				r[n++] = (struct erange){ (b), (e) - (b), (ty) };     \
		}                                                                     \
	} while (0)

	ADD(0, MIB, UC);                /* rule 1: the fixed MTRRs' part */
	at = MIB;
	for (i = 0; i < t->n; i++) {
		uint64_t b = t->p[i].start < MIB ? MIB : t->p[i].start;

		if (t->p[i].end <= MIB)
			continue;
		ADD(at, b, UC);
		ADD(b, t->p[i].end, t->p[i].type);
		at = t->p[i].end;
	}
	ADD(at, top, UC);
#undef ADD

	memset(out, 0, sizeof(*out));
	c->def = UC;
	c->a0 = 1ull << (phys - 1);
	c->out = out;
	c->fail = false;
	/* rule 3 */
	for (i = 0; i < n;) {
		uint64_t base0 = r[i].base, align, len, base1, save;

		while (i < n) {
			align = e_align(base0, c->a0);
			while (base0 + align <= r[i].base + r[i].len) {
				if (r[i].type != c->def)
					emit(out, base0, align, r[i].type);
				base0 += align;
				align = e_align(base0, c->a0);
			}
			r[i].len -= base0 - r[i].base;
			r[i].base = base0;
			if (r[i].len != 0)
				break;
			i++;
		}
		if (i == n)
			break;
		{
			uint8_t compat = e_compatible(&r[i], n - i);

			end = i;
			while (end + 1 < n && (compat & (1u << r[end + 1].type)))
				end++;
		}
		align = e_align(base0, c->a0);
		len = pow2floor(r[end].base + r[end].len - base0);
		base1 = base0 + (align < len ? align : len);
		end = i;
		while (end + 1 < n && base1 > r[end + 1].base)
			end++;
		save = r[end].len;
		r[end].len = base1 - r[end].base;
		e_segment(c, &r[i], end + 1 - i);
		if (c->fail)
			return 1;
		if (save != r[end].len) {
			r[end].base = base1;
			r[end].len = save - r[end].len;
			i = end;
		} else {
			i = end + 1;
		}
	}
	/* rule 6 */
	for (i = 0; i < out->n; i++)
		if (out->p[i].base == 0 && out->p[i].size == MIB) {
			memmove(&out->p[i], &out->p[i + 1], (out->n - i - 1) * sizeof(out->p[0]));
			out->n--;
			break;
		}
	return out->overflow;
}

/* ------------------------------------------------------------------------ */
/* The coreboot model                                                       */
/* ------------------------------------------------------------------------ */

/*
 * coreboot's variable-MTRR allocator (src/cpu/x86/mtrr/mtrr.c, as of the
 * optimize_var_mtrr_hole version, 4.12 and later).  The rules modelled:
 *
 *  1. The address space is the list of typed ranges, adjacent ones of one
 *     type merged, with every hole below 4 GiB filled as UC; above 4 GiB
 *     space no range names keeps the default type.
 *  2. A range ending at or below 1 MiB is skipped (fixed MTRRs); one that
 *     starts at or below 1 MiB is taken to start at 0.
 *  3. A range [a1, a2) is covered greedily from its base: each pair is the
 *     largest power of two that the base's alignment and the remaining size
 *     allow (no overlaps, no subtraction).
 *  4. A WB range may be rounded up to b2 and the added [a2, b2) punched out
 *     with UC pairs ("hole"): b2 is tried at every alignment between the
 *     lowest and the highest set bit of a2, up to a limit (the end of the
 *     next range when it is UC, the base of the next range otherwise, the
 *     next power of two when it is the last range, whose hole is then not
 *     punched when it starts at or above 4 GiB), and kept when the count of
 *     the WB blocks plus the hole's blocks is smaller than without.
 *  5. The default type: every range not UC is counted as for a UC default
 *     and every range not WB as for a WB default (rules 3-4 each); WB wins
 *     only with strictly fewer pairs.  The pairs are those of the ranges
 *     whose type is not the default.
 *
 * Left out: the reserved OS pairs (RESERVE_MTRRS_FOR_OS) and dropping WC
 * when the count exceeds the pairs (one map here has WC, the M4A78T's, and
 * its count stays below VCNT).
 */

struct cbrange {
	uint64_t base, end;
	uint8_t type;
};

static unsigned
cb_blocks(uint64_t base, uint64_t size, uint8_t type, struct pairs *out)
{
	unsigned n = 0;

	while (size != 0) {
		unsigned a = lsb(base), m = msb(size);
		uint64_t sz = 1ull << (a > m ? m : a);

		if (out != NULL)
			emit(out, base, sz, type);
		base += sz;
		size -= sz;
		n++;
	}
	return n;
}

static uint64_t
cb_hole(uint64_t base, uint64_t hole, uint64_t limit, bool carve)
{
	unsigned best = cb_blocks(base, hole - base, 0, NULL), align;
	uint64_t best_end = hole;

	for (align = lsb(hole) + 1; align <= msb(hole); align++) {
		uint64_t end = (hole + (1ull << align) - 1) & ~((1ull << align) - 1);
		unsigned n;

		if (end > limit)
			break;
		n = cb_blocks(base, end - base, 0, NULL) +
		    (carve ? cb_blocks(hole, end - hole, 0, NULL) : 0);
		if (n < best) {
			best = n;
			best_end = end;
		}
	}
	return best_end;
}

static unsigned
cb_range(const struct cbrange *r, const struct cbrange *next, struct pairs *out)
{
	uint64_t a1 = r->base, a2 = r->end, b2 = a2;
	bool carve = false;
	unsigned n;

	if (a2 <= MIB)
		return 0;
	if (a1 <= MIB)
		a1 = 0;
	if (r->type == WB) {
		uint64_t limit;

		if (next == NULL) {
			limit = (a2 + (1ull << msb(a2)) - 1) & ~((1ull << msb(a2)) - 1);
			carve = a1 < G4;
		} else if (next->type == UC) {
			limit = next->end;
			carve = true;
		} else {
			limit = next->base;
			carve = true;
		}
		b2 = cb_hole(a1, a2, limit, carve);
	}
	n = cb_blocks(a1, b2 - a1, r->type, out);
	if (carve && b2 != a2)
		n += cb_blocks(a2, b2 - a2, UC, out);
	return n;
}

/* The coreboot model on the typed map t: pairs in *out, default in *def. */
static void
coreboot_model(const struct pmap *t, struct pairs *out, uint8_t *def)
{
	struct cbrange r[MAXP + 2];
	unsigned uc = 0, wb = 0;
	size_t n = 0, i;

	for (i = 0; i < t->n; i++) {
		if (n > 0 && r[n - 1].type == t->p[i].type && r[n - 1].end == t->p[i].start)
			r[n - 1].end = t->p[i].end;
		else
			r[n++] = (struct cbrange){ t->p[i].start, t->p[i].end, t->p[i].type };
	}
	if (n > 0 && r[n - 1].end < G4) {
		if (r[n - 1].type == UC)
			r[n - 1].end = G4;
		else {
			r[n] = (struct cbrange){ r[n - 1].end, G4, UC };
			n++;
		}
	}
	for (i = 0; i < n; i++) {
		const struct cbrange *next = i + 1 < n ? &r[i + 1] : NULL;

		if (r[i].type != UC)
			uc += cb_range(&r[i], next, NULL);
		if (r[i].type != WB)
			wb += cb_range(&r[i], next, NULL);
	}
	*def = wb < uc ? WB : UC;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++)
		if (r[i].type != *def)
			cb_range(&r[i], i + 1 < n ? &r[i + 1] : NULL, out);
}

/* ------------------------------------------------------------------------ */
/* Checks                                                                   */
/* ------------------------------------------------------------------------ */

static bool verbose;

/* Does every non-ANY piece of w at or above `from` resolve to its type in s? */
static int
check(const char *who, const struct machine *m, const struct mtrr_state *s,
      const struct pmap *w, uint64_t from)
{
	size_t i;

	if (mtrr_map_build(&g_map, s) != MTRR_OK) {
		fprintf(stderr, "%s, %s: the registers do not build a map\n", m->name, who);
		return 1;
	}
	for (i = 0; i < w->n; i++) {
		uint64_t a = w->p[i].start < from ? from : w->p[i].start;
		uint8_t got;

		if (w->p[i].type == ANY || w->p[i].end <= a)
			continue;
		got = mtrr_map_lookup_range(&g_map, a, w->p[i].end);
		if (got != w->p[i].type) {
			fprintf(stderr, "%s, %s: [%#" PRIx64 ", %#" PRIx64 ") is %s, wanted %s\n",
				m->name, who, a, w->p[i].end, mtrr_type_str(got),
				mtrr_type_str(w->p[i].type));
			return 1;
		}
	}
	return 0;
}

/* A model's pairs as a state (FE clear: the models' first MiB is not checked). */
static int
model_state(const struct machine *m, const struct pairs *p, uint8_t def, struct mtrr_state *s)
{
	struct mtrr_caps c;
	uint64_t lim = (1ull << m->phys) - 1;
	unsigned i;

	memset(&c, 0, sizeof(c));
	c.vcnt = MTRR_VAR_MAX;
	c.fixed = true;
	c.wc = true;
	c.phys_bits = m->phys;
	if (p->n > MTRR_VAR_MAX || mtrr_state_init(s, &c) != MTRR_OK)
		return 1;
	for (i = 0; i < p->n; i++)
		if (mtrr_wrmsr(s, MTRR_MSR_PHYSBASE(i), p->p[i].base | p->p[i].type) != MTRR_OK ||
		    mtrr_wrmsr(s, MTRR_MSR_PHYSMASK(i), (~(p->p[i].size - 1) & lim & ~0xFFFull) |
			       MTRR_PHYSMASK_V) != MTRR_OK)
			return 1;
	return mtrr_wrmsr(s, MTRR_MSR_DEF_TYPE, def | MTRR_DEF_E) != MTRR_OK;
}

static void
dump_pairs(const char *who, const struct pairs *p, uint8_t def)
{
	unsigned i;

	printf("    %s: default %s\n", who, mtrr_type_str(def));
	for (i = 0; i < p->n; i++)
		printf("      [%#" PRIx64 ", +%#" PRIx64 ") %s\n", p->p[i].base, p->p[i].size,
		       mtrr_type_str(p->p[i].type));
}

/* mtrr_plan on the non-ANY pieces of w; the state in *s; 0, or 1 on failure. */
static int
plan(const struct machine *m, const struct pmap *w, int def, struct mtrr_state *s,
     unsigned *pairs)
{
	struct mtrr_range want[MAXP];
	struct mtrr_caps c;
	struct mtrr_plan_opts o;
	size_t i, n = 0;

	for (i = 0; i < w->n; i++)
		if (w->p[i].type != ANY)
			want[n++] = (struct mtrr_range){ w->p[i].start, w->p[i].end, w->p[i].type };
	memset(&c, 0, sizeof(c));
	c.vcnt = MTRR_VAR_MAX;
	c.fixed = true;
	c.wc = true;
	c.phys_bits = m->phys;
	memset(&o, 0, sizeof(o));
	o.default_type = def;
	o.use_fixed = true;
	if (mtrr_plan(&c, want, n, &o, s, pairs) != MTRR_OK) {
		fprintf(stderr, "%s: mtrr_plan failed\n", m->name);
		return 1;
	}
	return check("libmtrr", m, s, w, 0);
}

/* ------------------------------------------------------------------------ */

struct row {
	size_t ranges;
	unsigned free_n, uc_n, typed_n, edk2_n, cb_n;
	uint8_t free_def, cb_def;
};

static int
run(const struct machine *m, struct row *row)
{
	static struct pmap w, t, t2;
	static struct mtrr_state s;
	struct pairs p;
	size_t i;
	int bad = 0;

	if (wanted(m, &w) != 0) {
		fprintf(stderr, "%s: cannot build the wanted map\n", m->name);
		return 1;
	}
	typed(&w, &t);
	row->ranges = 0;
	for (i = 0; i < w.n; i++)
		row->ranges += w.p[i].type != ANY;

	bad |= plan(m, &w, MTRR_PLAN_DEFAULT_FREE, &s, &row->free_n);
	row->free_def = (uint8_t)(s.def_type & MTRR_DEF_TYPE_MASK);
	bad |= plan(m, &w, UC, &s, &row->uc_n);
	t2 = t;                 /* EDK2's input: the rest of the space UC */
	put(&t2, t.n > 0 ? t.p[t.n - 1].end : 0, 1ull << m->phys, UC);
	bad |= plan(m, &t2, UC, &s, &row->typed_n);

	if (edk2_model(&t, m->phys, &p) != 0 || model_state(m, &p, UC, &s) != 0) {
		fprintf(stderr, "%s: the EDK2 model failed\n", m->name);
		bad = 1;
	} else {
		bad |= check("EDK2 model", m, &s, &t, MIB);
		bad |= check("EDK2 model", m, &s, &w, MIB);
	}
	row->edk2_n = p.n;
	if (verbose)
		dump_pairs("EDK2 model", &p, UC);

	coreboot_model(&t, &p, &row->cb_def);
	if (model_state(m, &p, row->cb_def, &s) != 0) {
		fprintf(stderr, "%s: the coreboot model failed\n", m->name);
		bad = 1;
	} else {
		bad |= check("coreboot model", m, &s, &t, MIB);
		bad |= check("coreboot model", m, &s, &w, MIB);
	}
	row->cb_n = p.n;
	if (verbose)
		dump_pairs("coreboot model", &p, row->cb_def);

	if (m->fw_def != NODEF) {
		if (fw_state(m, &s) != 0) {
			fprintf(stderr, "%s: the firmware's registers are refused\n", m->name);
			bad = 1;
		} else {
			bad |= check("firmware", m, &s, &w, MIB);
		}
	}
	if (verbose) {
		printf("    wanted:\n");
		for (i = 0; i < w.n; i++)
			printf("      [%#" PRIx64 ", %#" PRIx64 ") %s\n", w.p[i].start, w.p[i].end,
			       w.p[i].type == ANY ? "any" : mtrr_type_str(w.p[i].type));
		printf("    typed:\n");
		for (i = 0; i < t.n; i++)
			printf("      [%#" PRIx64 ", %#" PRIx64 ") %s\n", t.p[i].start, t.p[i].end,
			       mtrr_type_str(t.p[i].type));
	}
	return bad;
}

static const char *
count(char *buf, size_t len, unsigned n, unsigned vcnt, const char *def)
{
	snprintf(buf, len, "%u%s%s%s%s", n, n > vcnt ? "!" : "", def ? " (" : "",
		 def ? def : "", def ? ")" : "");
	return buf;
}

int
main(int argc, char **argv)
{
	bool md = false;
	int bad = 0, a;
	size_t i;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--markdown") == 0) {
			md = true;
		} else if (strcmp(argv[a], "--verbose") == 0) {
			verbose = true;
		} else {
			fprintf(stderr, "usage: %s [--markdown] [--verbose]\n", argv[0]);
			return 2;
		}
	}
	make_machines();
	if (md)
		printf("| machine (source) | VCNT | ranges | libmtrr, free | libmtrr, UC "
		       "| libmtrr, UC, typed | EDK2 model | coreboot model | firmware |\n"
		       "|---|---|---|---|---|---|---|---|---|\n");
	else
		printf("%-40s %-11s %4s %6s %9s %4s %5s %4s %9s %s\n", "machine", "source",
		       "VCNT", "ranges", "free", "UC", "typed", "EDK2", "coreboot", "firmware");
	for (i = 0; i < nmachines; i++) {
		const struct machine *m = &machines[i];
		char f[32], u[32], t[32], e[32], c[32], fw[32];
		struct row r;
		int b;

		if (verbose)
			printf("%s\n", m->name);
		b = run(m, &r);
		bad |= b;
		count(f, sizeof(f), r.free_n, m->vcnt, mtrr_type_str(r.free_def));
		count(u, sizeof(u), r.uc_n, m->vcnt, NULL);
		count(t, sizeof(t), r.typed_n, m->vcnt, NULL);
		count(e, sizeof(e), r.edk2_n, m->vcnt, NULL);
		count(c, sizeof(c), r.cb_n, m->vcnt, mtrr_type_str(r.cb_def));
		if (m->fw_def == NODEF)
			snprintf(fw, sizeof(fw), "-");
		else
			snprintf(fw, sizeof(fw), "%zu (%s)%s", m->nfw,
				 mtrr_type_str((uint8_t)m->fw_def), m->tom2 ? " +TOM2" : "");
		if (md)
			printf("| %s (%s) | %u | %zu | %s | %s | %s | %s | %s | %s |\n", m->name,
			       m->source, m->vcnt, r.ranges, f, u, t, e, c, fw);
		else
			printf("%-40s %-11s %4u %6zu %9s %4s %5s %4s %9s %s%s\n", m->name,
			       m->source, m->vcnt, r.ranges, f, u, t, e, c, fw,
			       b ? "  FAILED" : "");
	}
	if (bad)
		fprintf(stderr, "%s: a plan does not resolve to the wanted map\n", argv[0]);
	return bad;
}
