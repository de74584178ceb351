/*
 * sample.c — what `mtrr` shows when given no input: the start of the boot
 * log of a Linux 6.8 guest on QEMU (q35, KVM, 8 GiB, OVMF firmware),
 * booted with mtrr=debug so that the kernel prints its MTRRs (Linux >= 6.5
 * prints them only then).  KVM gives the guest 8 variable pairs, fixed
 * ranges and WC; QEMU's default MAXPHYADDR is 40.  OVMF makes the default
 * type WB, the legacy hole 0xA0000-0xFFFFF UC, and the 32-bit PCI hole
 * [2 GiB, 4 GiB) UC with one pair.  The newer kernels pad base and mask to
 * (MAXPHYADDR - 17) / 4 high digits: 13 hex digits at 40 bits.
 */
#include "tool.h"

const char mtrr_sample_name[] = "<built-in sample: QEMU/OVMF guest>";

const char mtrr_sample_text[] =
	"[    0.000000] Linux version 6.8.0-45-generic (buildd@lcy02-amd64-075) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) #45-Ubuntu SMP PREEMPT_DYNAMIC (Ubuntu 6.8.0-45.45-generic 6.8.12)\n"
	"[    0.000000] Command line: BOOT_IMAGE=/vmlinuz-6.8.0-45-generic root=/dev/vda1 ro console=ttyS0 mtrr=debug\n"
	"[    0.000000] BIOS-provided physical RAM map:\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007e8eefff] usable\n"
	"[    0.000000] BIOS-e820: [mem 0x000000007e8ef000-0x000000007eb6efff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x000000007eb6f000-0x000000007eb7efff] ACPI data\n"
	"[    0.000000] BIOS-e820: [mem 0x000000007eb7f000-0x000000007ebfefff] ACPI NVS\n"
	"[    0.000000] BIOS-e820: [mem 0x000000007ebff000-0x000000007ff5ffff] usable\n"
	"[    0.000000] BIOS-e820: [mem 0x000000007ff60000-0x000000007fffffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x00000000b0000000-0x00000000bfffffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x000000027fffffff] usable\n"
	"[    0.000000] NX (Execute Disable) protection: active\n"
	"[    0.000000] efi: EFI v2.7 by EDK II\n"
	"[    0.000000] DMI: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 2024.02-2 03/11/2024\n"
	"[    0.000000] Hypervisor detected: KVM\n"
	"[    0.000004] tsc: Detected 2995.200 MHz processor\n"
	"[    0.002871] e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n"
	"[    0.002874] e820: remove [mem 0x000a0000-0x000fffff] usable\n"
	"[    0.002881] last_pfn = 0x280000 max_arch_pfn = 0x400000000\n"
	"[    0.002902] MTRR default type: write-back\n"
	"[    0.002903] MTRR fixed ranges enabled:\n"
	"[    0.002905]   00000-9FFFF write-back\n"
	"[    0.002906]   A0000-FFFFF uncachable\n"
	"[    0.002907] MTRR variable ranges enabled:\n"
	"[    0.002908]   0 base 0000080000000 mask 000FF80000000 uncachable\n"
	"[    0.002910]   1 disabled\n"
	"[    0.002911]   2 disabled\n"
	"[    0.002912]   3 disabled\n"
	"[    0.002913]   4 disabled\n"
	"[    0.002914]   5 disabled\n"
	"[    0.002915]   6 disabled\n"
	"[    0.002916]   7 disabled\n"
	"[    0.002920] MTRR map: 3 entries (2 fixed + 1 variable; max 18), built from 8 variable MTRRs\n"
	"[    0.002922]   0: 0000000000000000-000000000009ffff write-back\n"
	"[    0.002923]   1: 00000000000a0000-00000000000fffff uncachable\n"
	"[    0.002925]   2: 0000000080000000-00000000ffffffff uncachable\n"
	"[    0.003361] x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT  \n"
	"[    0.003510] last_pfn = 0x7ff60 max_arch_pfn = 0x400000000\n";
