/*
 * main.c — mtrr_bench: the compiled map against the reference resolver and
 * the peers' algorithms, side by side, in one run.
 *
 *   mtrr_bench [--quick | --verify] [--json FILE|-] [--config NAME]
 *   mtrr_bench --count CONFIG SET IMPL N     (for bench/callgrind.sh)
 *
 * For every configuration (configs.c) the inputs are generated from a fixed
 * seed, and every answer of every implementation is compared with the
 * reference before anything is timed (verify.c): a wrong answer from the
 * compiled map is fatal, a wrong answer from a baseline is counted and
 * printed (those are the peers' known deviations).  Then each row (an input
 * set, a range size, the build) is a warm-up round and `samples` rounds of
 * `batch` calls per implementation, interleaved; the table shows the median
 * and the minimum ns per call and each baseline's median divided by the
 * map's.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#ifndef MTRR_BENCH_BUILD_TYPE
#define MTRR_BENCH_BUILD_TYPE "unknown"
#endif

#define MAX_CONFIGS 16

struct opts {
	bool quick;
	bool verify_only;       /* check the answers, time nothing */
	const char *json;       /* NULL: no JSON */
	const char *only;       /* NULL: every configuration */
	unsigned samples;
	uint64_t batch;         /* lookups per sample */
	uint64_t build_batch;   /* builds per sample */
};

static struct inputs inputs;
static struct subject subj;
static struct outcome outcomes[MAX_CONFIGS];
static FILE *out;

static bool
setup(const struct bench_config *c)
{
	mtrr_status st;

	if (!bench_config_load(c, &subj.state))
		return false;
	st = mtrr_map_build(&subj.map, &subj.state);
	if (st != MTRR_OK) {
		fprintf(stderr, "mtrr_bench: %s: mtrr_map_build: %s\n", c->name,
			mtrr_status_str(st));
		return false;
	}
	scan_build(&subj.scan, &subj.state);
	list_build(&subj.list, &subj.state);
	return true;
}

/* Does implementation i have this row's operation? */
static bool
row_has(unsigned row, unsigned i)
{
	if (row >= NPOINTSETS && (i == IMPL_REF || i == IMPL_INLINE))
		return false;   /* no range query in the reference or inline */
	return !(row == ROW_BUILD && i == IMPL_SCAN);   /* scan builds nothing */
}

static double
time_one(unsigned row, enum impl impl, const struct opts *o)
{
	if (row < NPOINTSETS)
		return time_points(&subj, impl, inputs.points[row], NPOINTS - 1, o->batch);
	if (row < ROW_BUILD)
		return time_ranges(&subj, impl, inputs.ranges[row - ROW_RANGE4K], NRANGES - 1,
				   row_span(row - ROW_RANGE4K), o->batch);
	return time_build(&subj, impl, o->build_batch);
}

/*
 * One row: a warm-up round, then `samples` rounds, each timing every
 * implementation once, back to back.  Interleaved, a slow spell of the
 * machine (another tenant, a frequency change) lands on every implementation
 * of the round, not on whichever happened to be running, so the ratios of the
 * medians stay steady.
 */
static void
measure_row(struct outcome *oc, unsigned row, const struct opts *o)
{
	double *v = calloc((size_t)o->samples * IMPL_NONE, sizeof(*v));
	unsigned s, i;

	if (v == NULL) {
		perror("mtrr_bench");
		exit(2);
	}
	for (s = 0; s <= o->samples; s++)
		for (i = 0; i < IMPL_NONE; i++) {
			double ns;
			if (!row_has(row, i))
				continue;
			ns = time_one(row, (enum impl)i, o);
			if (s > 0)      /* round 0 is the warm-up */
				v[i * o->samples + s - 1] = ns;
		}
	for (i = 0; i < IMPL_NONE; i++) {
		if (!row_has(row, i))
			continue;
		stats_from(&oc->cell[row][i].st, &v[i * o->samples], o->samples,
			   row == ROW_BUILD ? o->build_batch : o->batch);
		oc->cell[row][i].done = true;
	}
	free(v);
}

/*
 * Two loops on each point set, interleaved like the rows: [0] the inline
 * lookup alone, [1] the variant (`batch`: mtrr_map_lookup_batch; else the
 * effective type of an access, issue 14: within 1.5x a point lookup).
 */
static void
measure_pair(struct cell (*cells)[2], bool batch, const struct opts *o)
{
	double *v = calloc((size_t)o->samples * 2, sizeof(*v));
	unsigned set, s, c;

	if (v == NULL) {
		perror("mtrr_bench");
		exit(2);
	}
	for (set = 0; set < NPOINTSETS; set++) {
		for (s = 0; s <= o->samples; s++)
			for (c = 0; c < 2; c++) {
				double ns = batch ?
					time_batch(&subj, inputs.points[set], NPOINTS - 1, o->batch,
						   c != 0) :
					time_effective(&subj, inputs.points[set], inputs.pats[set],
						       NPOINTS - 1, o->batch, c != 0);
				if (s > 0)
					v[c * o->samples + s - 1] = ns;
			}
		for (c = 0; c < 2; c++) {
			stats_from(&cells[set][c].st, &v[c * o->samples], o->samples, o->batch);
			cells[set][c].done = true;
		}
	}
	free(v);
}

static void
record_effective(struct report *rep, const struct bench_config *cfg, const struct outcome *oc)
{
	unsigned set;

	for (set = 0; set < NPOINTSETS; set++) {
		const struct cell *c = &oc->effective[set][1];
		struct result r;

		memset(&r, 0, sizeof(r));
		snprintf(r.name, sizeof(r.name), "%s/%s/effective", cfg->name, row_name(set));
		r.st = c->st;
		r.ratio = c->st.median / oc->effective[set][0].st.median;  /* to inline */
		r.checked = c->checked ? c->checked : -1;
		r.mismatches = c->mismatches;
		if (!report_add(rep, &r))
			fprintf(stderr, "mtrr_bench: too many results for the JSON report\n");
		c = &oc->batch[set][1];
		memset(&r, 0, sizeof(r));
		snprintf(r.name, sizeof(r.name), "%s/%s/batch", cfg->name, row_name(set));
		r.st = c->st;
		r.ratio = c->st.median / oc->batch[set][0].st.median;  /* to the inline loop */
		r.checked = c->checked ? c->checked : -1;
		r.mismatches = c->mismatches;
		if (!report_add(rep, &r))
			fprintf(stderr, "mtrr_bench: too many results for the JSON report\n");
	}
}

static void
record(struct report *rep, const struct bench_config *cfg, const struct outcome *oc,
       unsigned row, enum impl impl)
{
	const struct cell *c = &oc->cell[row][impl];
	const struct cell *map = &oc->cell[row][IMPL_MAP];
	struct result r;

	memset(&r, 0, sizeof(r));
	snprintf(r.name, sizeof(r.name), "%s/%s/%s", cfg->name, row_name(row), impl_name(impl));
	r.st = c->st;
	r.ratio = impl != IMPL_MAP && map->done ? c->st.median / map->st.median : 0;
	r.checked = c->checked ? c->checked : -1;
	r.mismatches = c->mismatches;
	if (!report_add(rep, &r))
		fprintf(stderr, "mtrr_bench: too many results for the JSON report\n");
}

static bool
run_config(size_t index, const struct opts *o, struct report *rep)
{
	const struct bench_config *cfg = bench_config_get(index);
	struct outcome *oc = &outcomes[index];
	unsigned row, i;

	if (!setup(cfg))
		return false;
	oc->vcnt = subj.state.caps.vcnt;
	inputs_generate(&inputs, subj.state.caps.phys_bits, 0x5eed0000ull + index);
	if (!verify(cfg->name, &subj, &inputs, oc))
		return false;
	if (o->verify_only) {
		fprintf(out, "%-12s %ld points, %ld ranges checked; differing:", cfg->name,
			oc->cell[ROW_UNIFORM][IMPL_MAP].checked * NPOINTSETS,
			oc->cell[ROW_RANGE4K][IMPL_MAP].checked * NSPANS);
		table_mismatches(out, oc);
		return true;
	}
	for (row = 0; row < NROWS; row++) {
		measure_row(oc, row, o);
		for (i = 0; i < IMPL_NONE; i++)
			if (row_has(row, i))
				record(rep, cfg, oc, row, (enum impl)i);
	}
	measure_pair(oc->effective, false, o);
	measure_pair(oc->batch, true, o);
	record_effective(rep, cfg, oc);
	table_print(out, cfg, &subj, oc);
	fflush(out);
	return true;
}

/* --count CONFIG SET IMPL N: N point lookups, for bench/callgrind.sh. */
static int
count_mode(char **argv)
{
	static const char *const sets[NPOINTSETS] = { "uniform", "below4g", "seq4k" };
	const struct bench_config *cfg = bench_config_find(argv[0]);
	unsigned set, impl;
	char *end;
	unsigned long long n = strtoull(argv[3], &end, 10);
	size_t index = 0;

	for (set = 0; set < NPOINTSETS && strcmp(sets[set], argv[1]); set++)
		;
	for (impl = 0; impl < IMPL_COUNT && strcmp(impl_name((enum impl)impl), argv[2]); impl++)
		;
	if (cfg == NULL || set == NPOINTSETS || impl == IMPL_COUNT || *end || n == 0) {
		fprintf(stderr, "mtrr_bench: --count CONFIG {uniform|below4g|seq4k} "
			"{map|ref|scan|list|none} N\n");
		return 2;
	}
	while (bench_config_get(index) != cfg)
		index++;
	if (!setup(cfg))
		return 2;
	inputs_generate(&inputs, subj.state.caps.phys_bits, 0x5eed0000ull + index);
	time_points(&subj, (enum impl)impl, inputs.points[set], NPOINTS - 1, n);
	printf("%s %s %s %llu: sink %u\n", argv[0], argv[1], argv[2], n, bench_sink);
	return 0;
}

static void
usage(void)
{
	size_t i;

	fprintf(stderr,
		"usage: mtrr_bench [--quick | --verify] [--json FILE|-] [--config NAME]\n"
		"       mtrr_bench --count CONFIG SET IMPL N\n"
		"  --quick   11 samples of 10^5 lookups, 10^4 builds (a few seconds);\n"
		"            default 21 samples of 10^6 lookups, 2 x 10^4 builds\n"
		"  --verify  only compare every answer with the reference; time nothing\n"
		"  --json    also write Google Benchmark JSON (\"-\": stdout, table to stderr)\n"
		"  --config  only this configuration\n"
		"  --count   N point lookups of IMPL (map, ref, scan, list, none) on input\n"
		"            SET (uniform, below4g, seq4k), for instruction counting\n"
		"configurations:");
	for (i = 0; bench_config_get(i); i++)
		fprintf(stderr, " %s", bench_config_get(i)->name);
	fprintf(stderr, "\n");
}

static bool
parse(int argc, char **argv, struct opts *o, int *count_at)
{
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--quick") == 0) {
			o->quick = true;
		} else if (strcmp(argv[a], "--verify") == 0) {
			o->verify_only = true;
		} else if (strcmp(argv[a], "--json") == 0 && a + 1 < argc) {
			o->json = argv[++a];
		} else if (strcmp(argv[a], "--config") == 0 && a + 1 < argc) {
			o->only = argv[++a];
		} else if (strcmp(argv[a], "--count") == 0 && a + 4 == argc - 1) {
			*count_at = a + 1;
			return true;
		} else {
			return false;
		}
	}
	if (o->quick) {
		o->samples = 11;
		o->batch = 100000;
		o->build_batch = 10000;
	}
	return bench_config_count() <= MAX_CONFIGS &&
	       (o->only == NULL || bench_config_find(o->only) != NULL);
}

/* What the loop around a call costs: part of every figure, not subtracted. */
static void
time_empty_loop(struct stats *st, const struct opts *o)
{
	double *v = calloc(o->samples, sizeof(*v));
	unsigned k;

	if (v == NULL) {
		perror("mtrr_bench");
		exit(2);
	}
	for (k = 0; k <= o->samples; k++) {
		double ns = time_points(&subj, IMPL_NONE, inputs.points[ROW_UNIFORM],
					NPOINTS - 1, o->batch);
		if (k > 0)
			v[k - 1] = ns;
	}
	stats_from(st, v, o->samples, o->batch);
	free(v);
}

static void
header(const struct opts *o, struct report *rep)
{
	struct cell empty;

	fprintf(out, "mtrr_bench: libmtrr %u, %s, sizeof(struct mtrr_map) = %zu bytes\n",
		mtrr_version_number(), bench_cpu_model(), sizeof(struct mtrr_map));
	if (strcmp(MTRR_BENCH_BUILD_TYPE, "release") != 0 &&
	    strcmp(MTRR_BENCH_BUILD_TYPE, "relwithdebinfo") != 0)
		fprintf(out, "note: libmtrr was configured with build type '%s'; configure "
			"with -DCMAKE_BUILD_TYPE=Release for figures that mean something\n",
			MTRR_BENCH_BUILD_TYPE);
	if (o->verify_only)
		return;
	fprintf(out, "%u interleaved samples of %llu lookups (%llu builds) after a warm-up round; "
		"every answer checked against mtrr_ref_lookup first\n", o->samples,
		(unsigned long long)o->batch, (unsigned long long)o->build_batch);
	time_empty_loop(&empty.st, o);
	fprintf(out, "empty harness loop (load input, accumulate): %.2f ns/call median, "
		"not subtracted\n", empty.st.median);
	report_context_num(rep, "empty_loop_ns", empty.st.median);
	report_context_num(rep, "libmtrr_version", mtrr_version_number());
	report_context_num(rep, "sizeof_mtrr_map", (double)sizeof(struct mtrr_map));
	report_context_num(rep, "samples", o->samples);
	report_context_num(rep, "batch", (double)o->batch);
	report_context_num(rep, "build_batch", (double)o->build_batch);
}

int
main(int argc, char **argv)
{
	struct opts o = { false, false, NULL, NULL, 21, 1000000, 20000 };
	struct report *rep;
	bool ok = true, met = true;
	int count_at = 0;
	size_t i;

	if (!parse(argc, argv, &o, &count_at)) {
		usage();
		return 2;
	}
	if (count_at)
		return count_mode(argv + count_at);
	out = o.json && strcmp(o.json, "-") == 0 ? stderr : stdout;
	rep = report_open(o.verify_only ? NULL : o.json, argv[0]);
	if (rep == NULL)
		return 2;
	header(&o, rep);
	for (i = 0; ok && bench_config_get(i); i++)
		if (o.only == NULL || strcmp(o.only, bench_config_get(i)->name) == 0)
			ok = run_config(i, &o, rep);
	if (ok && !o.verify_only) {
		fprintf(out, "\nTargets on the typical configurations (medians of this run; "
			"instructions per lookup: bench/callgrind.sh):\n");
		for (i = 0; bench_config_get(i); i++)
			if (bench_config_get(i)->typical && outcomes[i].cell[ROW_BUILD][IMPL_MAP].done)
				met = table_targets(out, bench_config_get(i), &outcomes[i]) && met;
		fprintf(out, "\nIssue #12's targets on the non-contiguous layouts (inline lookup "
			"against the reference and the per-register scan; build):\n");
		for (i = 0; bench_config_get(i); i++)
			if (bench_config_get(i)->noncontig &&
			    outcomes[i].cell[ROW_BUILD][IMPL_MAP].done)
				met = table_targets_noncontig(out, bench_config_get(i),
							      &outcomes[i]) && met;
		fprintf(out, "   all timing targets met: %s\n", met ? "yes" : "NO");
	}
	if (!report_close(rep))
		ok = false;
	return ok ? 0 : 1;
}
