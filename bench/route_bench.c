/*
 * route_bench.c — mtrr_route (the reference, which checks the images it
 * reads at every call) against mtrr_route_map_lookup (the compiled form),
 * on AMD states firmware sets up: an EPYC-like server (TOP_MEM at 2 GiB,
 * TOP_MEM2 at 66 GiB, the fixed ranges routing the legacy VGA hole to
 * MMIO), the same with an IORR over a PCI window, and a guest whose IORRs
 * use non-contiguous masks.  Each answer is checked against the reference
 * before anything is timed; then interleaved samples of reads and writes
 * at random addresses (uniform, below 4 GiB, the first MiB).
 *
 *   mtrr_route_bench [--quick]
 *
 * Exits non-zero if the compiled form ever differs.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mtrr.h>

#define GIB (1ull << 30)
#define NIN 4096u

#if defined(__GNUC__)
#define KEEP(x) __asm__ __volatile__("" : "+r"(x))
#else
#define KEEP(x) ((void)0)
#endif

static volatile unsigned sink;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static bool
wr(struct mtrr_state *s, uint32_t msr, uint64_t v)
{
	if (mtrr_wrmsr(s, msr, v) == MTRR_OK)
		return true;
	fprintf(stderr, "mtrr_route_bench: WRMSR 0x%x <- 0x%llx refused\n", (unsigned)msr,
		(unsigned long long)v);
	return false;
}

/* 0: server, 1: server + IORR over [3 GiB, 3.5 GiB), 2: strided IORRs. */
static bool
setup(struct mtrr_state *s, unsigned which)
{
	struct mtrr_caps c;
	uint64_t phys = ((1ull << 48) - 1) & ~0xFFFull;
	unsigned i;
	bool ok;

	memset(&c, 0, sizeof(c));
	c.vcnt = 8;
	c.fixed = true;
	c.wc = true;
	c.phys_bits = 48;
	c.vendor = MTRR_VENDOR_AMD;
	if (mtrr_state_init(s, &c) != MTRR_OK)
		return false;
	ok = wr(s, MTRR_MSR_SYSCFG, MTRR_SYSCFG_FIX_DRAM_MOD_EN);
	/* RdMem/WrMem on everything but the VGA hole [0xA0000, 0xC0000). */
	ok = ok && wr(s, MTRR_MSR_FIX64K_00000, 0x1E1E1E1E1E1E1E1Eull);
	ok = ok && wr(s, MTRR_MSR_FIX16K_80000, 0x1E1E1E1E1E1E1E1Eull);
	ok = ok && wr(s, MTRR_MSR_FIX16K_A0000, 0);
	for (i = 0; i < 8; i++)
		ok = ok && wr(s, MTRR_MSR_FIX4K_C0000 + i, i < 4 ? 0x0505050505050505ull :
							      0x1E1E1E1E1E1E1E1Eull);
	ok = ok && wr(s, MTRR_MSR_TOP_MEM, 2 * GIB);
	ok = ok && wr(s, MTRR_MSR_TOP_MEM2, 66 * GIB);
	if (which == 1) {
		ok = ok && wr(s, MTRR_MSR_IORR_BASE(0), 3 * GIB | MTRR_IORR_RDMEM);
		ok = ok && wr(s, MTRR_MSR_IORR_MASK(0), (phys & ~(GIB / 2 - 1)) | MTRR_IORR_V);
	} else if (which == 2) {
		ok = ok && wr(s, MTRR_MSR_IORR_BASE(0), 0x1000 | MTRR_IORR_WRMEM);
		ok = ok && wr(s, MTRR_MSR_IORR_MASK(0), 0x1000 | MTRR_IORR_V);
		ok = ok && wr(s, MTRR_MSR_IORR_BASE(1), 0x200000 | MTRR_IORR_RDMEM);
		ok = ok && wr(s, MTRR_MSR_IORR_MASK(1), (phys & ~(GIB - 1)) | 0x200000 |
						       MTRR_IORR_V);
	}
	return ok && wr(s, MTRR_MSR_SYSCFG, MTRR_SYSCFG_FIX_DRAM_EN | MTRR_SYSCFG_VAR_DRAM_EN |
					    MTRR_SYSCFG_TOM2_EN);
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	static const char *const names[] = { "server", "server+IORR", "strided IORRs" };
	static const char *const sets[] = { "uniform", "below 4 GiB", "first MiB" };
	static uint64_t in[3][NIN];
	bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
	unsigned samples = quick ? 11 : 31, reps = quick ? 50 : 200, w, k, i, r, set;
	struct mtrr_route_map m;
	struct mtrr_state s;
	uint64_t seed = 0x726F757465ull;
	int status = 0;

	if (argc > 1 && !quick) {
		fprintf(stderr, "usage: mtrr_route_bench [--quick]\n");
		return 2;
	}
	printf("mtrr_route_bench: ns per call, median of %u interleaved samples of %u calls\n",
	       samples, reps * NIN);
	for (k = 0; k < 3; k++) {
		if (!setup(&s, k) || mtrr_route_map_build(&m, &s) != MTRR_OK)
			return 2;
		for (i = 0; i < NIN; i++) {
			in[0][i] = rnd(&seed) & ((1ull << 48) - 1);
			in[1][i] = rnd(&seed) & (4 * GIB - 1);
			in[2][i] = rnd(&seed) & (MTRR_FIXED_END - 1);
		}
		for (set = 0; set < 3; set++)
			for (w = 0; w < 2; w++)
				for (i = 0; i < NIN; i++)
					if (mtrr_route(&s, in[set][i], w) !=
					    mtrr_route_map_lookup(&m, in[set][i], w)) {
						fprintf(stderr, "%s: 0x%llx differs\n", names[k],
							(unsigned long long)in[set][i]);
						status = 1;
					}
		for (set = 0; set < 3; set++) {
			double t[2][64];
			for (r = 0; r <= samples; r++) {
				unsigned which, acc = 0;
				for (which = 0; which < 2; which++) {
					uint64_t t0 = now_ns();
					unsigned rep;
					for (rep = 0; rep < reps; rep++)
						for (i = 0; i < NIN; i++) {
							uint64_t a = in[set][i];
							bool wr_ = (i & 1) != 0;
							acc += which ? (unsigned)mtrr_route_map_lookup(&m, a, wr_)
								     : (unsigned)mtrr_route(&s, a, wr_);
							KEEP(acc);
						}
					if (r > 0)
						t[which][r - 1] = (double)(now_ns() - t0) /
								  ((double)reps * NIN);
				}
				sink = acc;
			}
			qsort(t[0], samples, sizeof(double), cmp);
			qsort(t[1], samples, sizeof(double), cmp);
			printf("  %-14s %-12s mtrr_route %6.2f   mtrr_route_map_lookup %5.2f   %5.1fx\n",
			       names[k], sets[set], t[0][samples / 2], t[1][samples / 2],
			       t[0][samples / 2] / t[1][samples / 2]);
		}
	}
	return status;
}
