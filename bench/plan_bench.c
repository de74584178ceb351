/*
 * plan_bench.c — mtrr_plan's time on realistic and adversarial wanted maps
 * (the mtrr_plan_bench program).
 *
 *   mtrr_plan_bench [--json FILE] [--samples N] [--map NAME] [--calls N] [--verify]
 *
 * Realistic maps are the memory maps firmware and VMMs program (typical of
 * the machines named: e820 layouts with RAM, firmware-reserved RAM, the PCI
 * hole, stolen graphics memory, 64-bit PCI windows); adversarial ones are
 * made to be slow: many small alternating ranges at 4 KiB offsets over a
 * 52-bit space, so every boundary is a chain of 40 trie levels, both where
 * the plan fits (40 pairs: the registers are read back through a memo that
 * cannot hold them all) and where it does not (only the minimum is computed).
 *
 * Method (as mtrr_bench): every map is planned once and its plan resolved
 * back through mtrr_map_build (each cared-for range has its type) before
 * anything is timed; then a warm-up, and N samples of a batch of calls sized
 * to take about 2 ms, the pair counts summed into a sink the compiler cannot
 * drop.  Reported: min and median ns per call.  --json writes the same
 * figures shaped like Google Benchmark's JSON (context, benchmarks[] with
 * aggregate_name min/median, time_unit "ns").  --verify only checks.
 * --map runs one map; --calls N makes every sample exactly N calls, for an
 * instruction count that does not depend on the machine's load:
 *
 *   valgrind --tool=callgrind --toggle-collect=mtrr_plan \
 *       mtrr_plan_bench --map desktop --samples 1 --calls 1000
 *
 * (instructions per call: the Ir total / 1000, minus the warm-up call's
 * share: 1001 calls are made).
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mtrr.h>

#ifndef MTRR_BENCH_BUILD_TYPE
#define MTRR_BENCH_BUILD_TYPE "unknown"
#endif

#define MIB 0x100000ull
#define GIB 0x40000000ull
#define MAXW 4200

#define UC MTRR_TYPE_UC
#define WT MTRR_TYPE_WT
#define WP MTRR_TYPE_WP
#define WB MTRR_TYPE_WB

struct map {
	const char *name;
	const char *what;
	unsigned vcnt, phys;
	int def;
	unsigned reserve;
	int fixed;
	int realistic;          /* the 50 us target applies */
	struct mtrr_range w[MAXW];
	size_t n;
};

static struct map maps[16];
static size_t nmaps;

static struct map *
add(const char *name, const char *what, unsigned vcnt, unsigned phys, int def,
    unsigned reserve, int fixed, int realistic)
{
	struct map *m = &maps[nmaps++];

	memset(m, 0, sizeof(*m));
	m->name = name;
	m->what = what;
	m->vcnt = vcnt;
	m->phys = phys;
	m->def = def;
	m->reserve = reserve;
	m->fixed = fixed;
	m->realistic = realistic;
	return m;
}

static void
want(struct map *m, uint64_t start, uint64_t end, uint8_t type)
{
	m->w[m->n].start = start;
	m->w[m->n].end = end;
	m->w[m->n].type = type;
	m->n++;
}

/* The first MiB of a PC: RAM, VGA, option ROMs and BIOS write-protected. */
static void
low_mib(struct map *m)
{
	want(m, 0, 0xA0000, WB);
	want(m, 0xA0000, 0xC0000, UC);
	want(m, 0xC0000, MIB, WP);
}

static uint64_t
rnd(uint64_t *x)                /* splitmix64 */
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void
make_maps(void)
{
	struct map *m;
	uint64_t x = 42, pos;
	unsigned i;

	m = add("desktop", "desktop e820: stolen memory, PCI hole, 16 GiB", 10, 39,
		MTRR_PLAN_DEFAULT_FREE, 0, 1, 1);
	low_mib(m);
	want(m, MIB, 0x7AA2E000, WB);
	want(m, 0x7AA2E000, 0x7B800000, WB);    /* ACPI, firmware */
	want(m, 0x7B800000, 0x80000000, UC);    /* graphics stolen memory */
	want(m, 0x80000000, 0x100000000, UC);
	want(m, 0x100000000, 0x480000000, WB);

	m = add("desktop-edk2", "the same, EDK2's model: UC default, 2 reserved", 10, 39,
		MTRR_TYPE_UC, 2, 1, 1);
	memcpy(m->w, maps[0].w, maps[0].n * sizeof(m->w[0]));
	m->n = maps[0].n;

	m = add("qemu-ovmf", "QEMU q35 + OVMF guest, 6 GiB, 64-bit PCI window", 8, 40,
		MTRR_PLAN_DEFAULT_FREE, 0, 1, 1);
	want(m, 0, 0xA0000, WB);
	want(m, 0xA0000, 0xC0000, UC);
	want(m, 0xC0000, 0x80000000, WB);
	want(m, 0x80000000, 0x100000000, UC);
	want(m, 0x100000000, 0x180000000, WB);
	want(m, 0x800000000, 0x1000000000, UC);

	m = add("laptop", "laptop: odd stolen-memory and TSEG boundaries, 12 GiB", 10, 39,
		MTRR_PLAN_DEFAULT_FREE, 0, 1, 1);
	low_mib(m);
	want(m, MIB, 0x89E00000, WB);
	want(m, 0x89E00000, 0x8A000000, UC);    /* TSEG, 2 MiB */
	want(m, 0x8A000000, 0x8A800000, WB);
	want(m, 0x8A800000, 0x8F800000, UC);    /* stolen, 80 MiB */
	want(m, 0x8F800000, 0x100000000, UC);
	want(m, 0x100000000, 0x36F800000, WB);  /* 9 GiB - 8 MiB remapped */

	m = add("server", "2-socket server: node hole, per-socket PCI windows", 10, 46,
		MTRR_PLAN_DEFAULT_FREE, 0, 1, 1);
	low_mib(m);
	want(m, MIB, 0x78000000, WB);
	want(m, 0x78000000, 0x100000000, UC);
	want(m, 0x100000000, 0x1080000000, WB);
	want(m, 0x1080000000, 0x1100000000, UC);
	want(m, 0x1100000000, 0x2080000000, WB);
	want(m, 0x38000000000, 0x38400000000, UC);
	want(m, 0x3A000000000, 0x3A400000000, UC);

	m = add("server-edk2", "the same, UC default, 2 reserved", 10, 46, MTRR_TYPE_UC, 2, 1,
		1);
	memcpy(m->w, maps[4].w, maps[4].n * sizeof(m->w[0]));
	m->n = maps[4].n;

	/* Adversarial: islands of 1-2 pages, UC between, spread over 2^52. */
	m = add("islands-40", "40 WB islands at random 4 KiB offsets, UC between (fits)",
		40, 52, MTRR_PLAN_DEFAULT_FREE, 0, 0, 0);
	pos = 0;
	for (i = 0; i < 40; i++) {
		uint64_t at = pos + ((1 + rnd(&x) % (1ull << 34)) << 12), len = 0x1000;

		want(m, pos, at, UC);
		want(m, at, at + len, WB);
		pos = at + len;
	}
	want(m, pos, pos + 0x1000, UC);

	m = add("alternate-64", "64 alternating WB/UC/WT ranges of 1-4 pages (too many)", 40, 52,
		MTRR_PLAN_DEFAULT_FREE, 0, 0, 0);
	pos = 0x123456789000ull;
	for (i = 0; i < 64; i++) {
		uint64_t len = (1 + rnd(&x) % 4) << 12;
		static const uint8_t t[3] = { WB, UC, WT };

		want(m, pos, pos + len, t[i % 3]);
		pos += len;
	}

	m = add("alternate-4096", "4096 alternating ranges, 4 KiB offsets (too many)", 40, 52,
		MTRR_PLAN_DEFAULT_FREE, 0, 0, 0);
	pos = 0;
	for (i = 0; i < 4096; i++) {
		uint64_t len = (1 + rnd(&x) % 64) << 12;

		pos += (rnd(&x) % 1024) << 12;
		want(m, pos, pos + len, i & 1 ? UC : WB);
		pos += len;
	}
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static struct mtrr_caps
caps_of(const struct map *m)
{
	struct mtrr_caps c;

	memset(&c, 0, sizeof(c));
	c.vcnt = m->vcnt;
	c.fixed = true;
	c.wc = true;
	c.phys_bits = m->phys;
	return c;
}

static struct mtrr_plan_opts
opts_of(const struct map *m)
{
	struct mtrr_plan_opts o;

	memset(&o, 0, sizeof(o));
	o.default_type = m->def;
	o.reserve_pairs = m->reserve;
	o.use_fixed = m->fixed != 0;
	return o;
}

static struct mtrr_map g_map;

/* Plans m once and checks the plan: 0 when it resolves back (or, too few pairs, says so). */
static int
verify(const struct map *m, mtrr_status *st, unsigned *pairs, uint8_t *def)
{
	struct mtrr_caps c = caps_of(m);
	struct mtrr_plan_opts o = opts_of(m);
	struct mtrr_state s;
	size_t i;

	*st = mtrr_plan(&c, m->w, m->n, &o, &s, pairs);
	*def = 0xFF;
	if (*st == MTRR_E_TOO_FEW_PAIRS)
		return *pairs > m->vcnt - m->reserve ? 0 : 1;
	if (*st != MTRR_OK || mtrr_map_build(&g_map, &s) != MTRR_OK)
		return 1;
	*def = (uint8_t)s.def_type;
	for (i = 0; i < m->n; i++)
		if (mtrr_map_lookup_range(&g_map, m->w[i].start, m->w[i].end) != m->w[i].type) {
			fprintf(stderr, "%s: [%#" PRIx64 ", %#" PRIx64 ") does not resolve to %s\n",
				m->name, m->w[i].start, m->w[i].end, mtrr_type_str(m->w[i].type));
			return 1;
		}
	return 0;
}

static volatile uint64_t sink;

/* ns per call of `calls` plans of m. */
static double
batch(const struct map *m, unsigned calls)
{
	struct mtrr_caps c = caps_of(m);
	struct mtrr_plan_opts o = opts_of(m);
	struct mtrr_state s;
	unsigned pairs = 0, i;
	uint64_t acc = 0;
	double t0 = now_ns();

	for (i = 0; i < calls; i++) {
		acc += (uint64_t)mtrr_plan(&c, m->w, m->n, &o, &s, &pairs) + pairs;
		acc += s.var[0].base;
	}
	sink += acc;
	return (now_ns() - t0) / calls;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	const char *json = NULL, *only = NULL;
	unsigned samples = 15, fixed_calls = 0, k;
	int verify_only = 0, bad = 0, a;
	double res[16][2];
	unsigned res_pairs[16], res_calls[16];
	mtrr_status res_st[16];
	uint8_t res_def[16];
	size_t i;
	FILE *f;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--json") == 0 && a + 1 < argc)
			json = argv[++a];
		else if (strcmp(argv[a], "--samples") == 0 && a + 1 < argc)
			samples = (unsigned)strtoul(argv[++a], NULL, 0);
		else if (strcmp(argv[a], "--map") == 0 && a + 1 < argc)
			only = argv[++a];
		else if (strcmp(argv[a], "--calls") == 0 && a + 1 < argc)
			fixed_calls = (unsigned)strtoul(argv[++a], NULL, 0);
		else if (strcmp(argv[a], "--verify") == 0)
			verify_only = 1;
		else {
			fprintf(stderr, "usage: %s [--json FILE] [--samples N] [--map NAME] "
				"[--calls N] [--verify]\n", argv[0]);
			return 2;
		}
	}
	if (samples < 1 || samples > 1000)
		samples = 15;
	make_maps();
	if (only != NULL) {
		for (i = 0; i < nmaps && strcmp(maps[i].name, only) != 0; i++)
			;
		if (i == nmaps) {
			fprintf(stderr, "%s: no map %s\n", argv[0], only);
			return 2;
		}
		memmove(&maps[0], &maps[i], sizeof(maps[0]));
		nmaps = 1;
	}
	for (i = 0; i < nmaps; i++)
		bad |= verify(&maps[i], &res_st[i], &res_pairs[i], &res_def[i]);
	if (bad || verify_only) {
		printf("%s: %zu maps planned and resolved back%s\n", argv[0], nmaps,
		       bad ? ": FAILED" : "");
		return bad;
	}

	for (i = 0; i < nmaps; i++) {
		double t[1000], one;
		unsigned calls = 1;

		/* warm-up and calibration: a batch of about 2 ms */
		batch(&maps[i], 1);
		if (fixed_calls > 0)
			calls = fixed_calls;
		else
			do {
				one = batch(&maps[i], calls);
				if (one * calls < 2e6)
					calls *= 2;
			} while (one * calls < 2e6 && calls < (1u << 24));
		for (k = 0; k < samples; k++)
			t[k] = batch(&maps[i], calls);
		qsort(t, samples, sizeof(t[0]), cmp_double);
		res[i][0] = t[0];
		res[i][1] = t[samples / 2];
		res_calls[i] = calls;
	}

	printf("mtrr_plan (build %s, %u samples, min / median ns per call)\n\n",
	       MTRR_BENCH_BUILD_TYPE, samples);
	printf("%-15s %5s %5s %4s %-20s %10s %10s  %s\n", "map", "vcnt", "want", "def",
	       "result", "min ns", "median ns", "what");
	for (i = 0; i < nmaps; i++) {
		char result[32];

		if (res_st[i] == MTRR_OK)
			snprintf(result, sizeof(result), "%u pairs", res_pairs[i]);
		else
			snprintf(result, sizeof(result), "too few: needs %u", res_pairs[i]);
		printf("%-15s %5u %5zu %4s %-20s %10.0f %10.0f  %s%s\n", maps[i].name,
		       maps[i].vcnt, maps[i].n, res_def[i] == 0xFF ? "-" :
		       mtrr_type_str(res_def[i]), result, res[i][0], res[i][1], maps[i].what,
		       maps[i].realistic && res[i][1] > 50000 ? "  (over the 50 us target)" : "");
	}

	if (json == NULL)
		return 0;
	f = fopen(json, "w");
	if (f == NULL) {
		perror(json);
		return 1;
	}
	fprintf(f, "{\n  \"context\": {\n    \"executable\": \"%s\",\n"
		"    \"library_build_type\": \"%s\",\n    \"samples\": %u\n  },\n"
		"  \"benchmarks\": [\n", argv[0], MTRR_BENCH_BUILD_TYPE, samples);
	for (i = 0; i < nmaps; i++) {
		for (k = 0; k < 2; k++)
			fprintf(f, "    {\"name\": \"plan/%s_%s\", \"run_name\": \"plan/%s\", "
				"\"run_type\": \"aggregate\", \"aggregate_name\": \"%s\", "
				"\"iterations\": %u, \"real_time\": %.1f, \"cpu_time\": %.1f, "
				"\"time_unit\": \"ns\", \"pairs\": %u, \"fits\": %d}%s\n",
				maps[i].name, k ? "median" : "min", maps[i].name,
				k ? "median" : "min", res_calls[i], res[i][k], res[i][k],
				res_pairs[i], res_st[i] == MTRR_OK,
				i + 1 == nmaps && k == 1 ? "" : ",");
	}
	fprintf(f, "  ]\n}\n");
	return fclose(f) != 0;
}
