/*
 * report.c — JSON output shaped like Google Benchmark's (--benchmark_format=
 * json with --benchmark_report_aggregates_only), so tools that read those
 * files (compare.py and friends) read ours: a "context" object and a
 * "benchmarks" array whose entries carry name, run_name, run_type "aggregate",
 * aggregate_name (median, min, mean, stddev), iterations (operations per
 * sample), real_time and cpu_time in "ns".  Extra keys are counters, as
 * Google Benchmark writes user counters: ratio_to_map, checked, mismatches.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#ifndef MTRR_BENCH_BUILD_TYPE
#define MTRR_BENCH_BUILD_TYPE "unknown"
#endif

#define MAX_RESULTS 512
#define MAX_CONTEXT 16

struct kv {
	const char *key;
	char str[128];
	double num;
	bool is_num;
};

struct report {
	const char *path;
	const char *argv0;
	size_t n, nctx;
	struct result res[MAX_RESULTS];
	struct kv ctx[MAX_CONTEXT];
};

/* First value of "key : value" in /proc/cpuinfo, or false. */
static bool
cpuinfo(const char *key, char *out, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];
	bool found = false;

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (strncmp(line, key, strlen(key)) != 0 || colon == NULL)
			continue;
		colon++;
		while (*colon == ' ')
			colon++;
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(out, len, "%s", colon);
		found = true;
	}
	fclose(f);
	return found;
}

const char *
bench_cpu_model(void)
{
	static char model[128];

	if (model[0] == '\0' && !cpuinfo("model name", model, sizeof(model)))
		snprintf(model, sizeof(model), "unknown");
	return model;
}

/* True unless the cpufreq governor is "performance" (or absent). */
static bool
scaling_enabled(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "r");
	char gov[64] = "";
	bool on;

	if (f == NULL)
		return false;
	on = fgets(gov, sizeof(gov), f) != NULL && strncmp(gov, "performance", 11) != 0;
	fclose(f);
	return on;
}

static void
put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

struct report *
report_open(const char *json_path, const char *argv0)
{
	struct report *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->path = json_path;
	r->argv0 = argv0;
	return r;
}

bool
report_add(struct report *r, const struct result *res)
{
	if (r->n == MAX_RESULTS)
		return false;
	r->res[r->n++] = *res;
	return true;
}

static struct kv *
ctx_slot(struct report *r, const char *key)
{
	if (r->nctx == MAX_CONTEXT)
		return NULL;
	r->ctx[r->nctx].key = key;
	return &r->ctx[r->nctx++];
}

void
report_context_num(struct report *r, const char *key, double v)
{
	struct kv *kv = ctx_slot(r, key);

	if (kv) {
		kv->num = v;
		kv->is_num = true;
	}
}

void
report_context_str(struct report *r, const char *key, const char *v)
{
	struct kv *kv = ctx_slot(r, key);

	if (kv)
		snprintf(kv->str, sizeof(kv->str), "%s", v);
}

static void
put_context(FILE *f, const struct report *r)
{
	char date[64] = "", host[256] = "unknown", mhz[64] = "0";
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	if (localtime_r(&now, &tm))
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S%z", &tm);
	gethostname(host, sizeof(host) - 1);
	cpuinfo("cpu MHz", mhz, sizeof(mhz));

	fprintf(f, "  \"context\": {\n    \"date\": ");
	put_str(f, date);
	fprintf(f, ",\n    \"host_name\": ");
	put_str(f, host);
	fprintf(f, ",\n    \"executable\": ");
	put_str(f, r->argv0);
	fprintf(f, ",\n    \"num_cpus\": %ld,\n    \"mhz_per_cpu\": %.0f,\n",
		sysconf(_SC_NPROCESSORS_ONLN), atof(mhz));
	fprintf(f, "    \"cpu_scaling_enabled\": %s,\n    \"caches\": [],\n",
		scaling_enabled() ? "true" : "false");
	fprintf(f, "    \"library_build_type\": ");
	put_str(f, MTRR_BENCH_BUILD_TYPE);
	fprintf(f, ",\n    \"cpu_model\": ");
	put_str(f, bench_cpu_model());
	for (i = 0; i < r->nctx; i++) {
		fprintf(f, ",\n    ");
		put_str(f, r->ctx[i].key);
		fprintf(f, ": ");
		if (r->ctx[i].is_num)
			fprintf(f, "%.17g", r->ctx[i].num);
		else
			put_str(f, r->ctx[i].str);
	}
	fprintf(f, "\n  },\n");
}

static void
put_aggregate(FILE *f, const struct result *res, size_t family, const char *agg,
	      double v, bool first)
{
	fprintf(f, "%s    {\n      \"name\": ", first ? "" : ",\n");
	fprintf(f, "\"%s_%s\",\n      \"family_index\": %zu,\n", res->name, agg, family);
	fprintf(f, "      \"per_family_instance_index\": 0,\n      \"run_name\": ");
	put_str(f, res->name);
	fprintf(f, ",\n      \"run_type\": \"aggregate\",\n      \"repetitions\": %u,\n"
		"      \"threads\": 1,\n      \"aggregate_name\": \"%s\",\n"
		"      \"aggregate_unit\": \"time\",\n      \"iterations\": %llu,\n"
		"      \"real_time\": %.6g,\n      \"cpu_time\": %.6g,\n"
		"      \"time_unit\": \"ns\"",
		res->st.samples, agg, (unsigned long long)res->st.batch, v, v);
	if (res->ratio > 0)
		fprintf(f, ",\n      \"ratio_to_map\": %.6g", res->ratio);
	if (res->checked >= 0)
		fprintf(f, ",\n      \"checked\": %ld,\n      \"mismatches\": %ld",
			res->checked, res->mismatches);
	fprintf(f, "\n    }");
}

bool
report_close(struct report *r)
{
	FILE *f;
	size_t i;
	bool ok;

	if (r->path == NULL) {
		free(r);
		return true;
	}
	f = strcmp(r->path, "-") == 0 ? stdout : fopen(r->path, "w");
	if (f == NULL) {
		perror(r->path);
		free(r);
		return false;
	}
	fprintf(f, "{\n");
	put_context(f, r);
	fprintf(f, "  \"benchmarks\": [\n");
	for (i = 0; i < r->n; i++) {
		const struct result *res = &r->res[i];
		put_aggregate(f, res, i, "median", res->st.median, i == 0);
		put_aggregate(f, res, i, "min", res->st.min, false);
		put_aggregate(f, res, i, "mean", res->st.mean, false);
		put_aggregate(f, res, i, "stddev", res->st.stddev, false);
	}
	fprintf(f, "\n  ]\n}\n");
	ok = !ferror(f);
	if (f != stdout)
		ok = fclose(f) == 0 && ok;
	else
		ok = fflush(f) == 0 && ok;
	free(r);
	return ok;
}
