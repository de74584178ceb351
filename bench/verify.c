/*
 * verify.c — the benchmark inputs, and every answer checked against the
 * reference before anything is timed: a benchmark of a wrong resolver
 * measures nothing.
 */
#include "bench.h"

static const char *const row_names[NROWS] = {
	"point_uniform", "point_below4g", "point_seq4k",
	"range4k", "range2m", "range1g", "build"
};

const char *
row_name(unsigned row)
{
	return row < NROWS ? row_names[row] : "?";
}

uint64_t
row_span(unsigned k)
{
	static const uint64_t spans[NSPANS] = { 1ull << 12, 1ull << 21, 1ull << 30 };

	return spans[k];
}

void
inputs_generate(struct inputs *in, unsigned phys_bits, uint64_t seed)
{
	uint64_t limit = 1ull << phys_bits;
	uint64_t low = limit < (1ull << 32) ? limit : 1ull << 32;
	size_t i;
	unsigned k;

	for (i = 0; i < NPOINTS; i++) {
		in->points[ROW_UNIFORM][i] = bench_rand(&seed) & (limit - 1);
		in->points[ROW_BELOW4G][i] = bench_rand(&seed) & (low - 1);
		in->points[ROW_SEQ4K][i] = ((uint64_t)i << 12) & (limit - 1);
	}
	/* Aligned spans, half anywhere, half below 4 GiB (where layouts differ). */
	for (k = 0; k < NSPANS; k++)
		for (i = 0; i < NRANGES; i++) {
			uint64_t region = (i & 1) ? low : limit;
			in->ranges[k][i] = bench_rand(&seed) & (region - 1) & ~(row_span(k) - 1);
		}
}

static void
count(struct cell *c, uint8_t got, uint8_t want)
{
	c->checked++;
	c->mismatches += got != want;
}

/* The first few differences of the map, for a reproducer. */
static void
show_map_errors(const struct subject *sj, const struct inputs *in)
{
	unsigned k, shown = 0;
	size_t i;

	for (k = 0; k < NPOINTSETS; k++)
		for (i = 0; i < NPOINTS && shown < 5; i++) {
			uint8_t got = mtrr_map_lookup(&sj->map, in->points[k][i]);
			if (got == in->points_ref[k][i])
				continue;
			fprintf(stderr, "  mtrr_map_lookup(0x%llx) = %s, reference %s\n",
				(unsigned long long)in->points[k][i], mtrr_type_str(got),
				mtrr_type_str(in->points_ref[k][i]));
			shown++;
		}
	for (k = 0; k < NSPANS; k++)
		for (i = 0; i < NRANGES && shown < 10; i++) {
			uint64_t a = in->ranges[k][i], e = a + row_span(k);
			uint8_t got = mtrr_map_lookup_range(&sj->map, a, e);
			if (got == in->ranges_ref[k][i])
				continue;
			fprintf(stderr, "  mtrr_map_lookup_range(0x%llx, 0x%llx) = %s, reference %s\n",
				(unsigned long long)a, (unsigned long long)e, mtrr_type_str(got),
				mtrr_type_str(in->ranges_ref[k][i]));
			shown++;
		}
}

bool
verify(const char *name, const struct subject *sj, struct inputs *in, struct outcome *oc)
{
	bool ok = true;
	unsigned k;
	size_t i;

	for (k = 0; k < NPOINTSETS; k++) {
		struct cell *row = oc->cell[k];
		for (i = 0; i < NPOINTS; i++) {
			uint64_t a = in->points[k][i];
			uint8_t want = mtrr_ref_lookup(&sj->state, a);
			in->points_ref[k][i] = want;
			count(&row[IMPL_MAP], mtrr_map_lookup(&sj->map, a), want);
			count(&row[IMPL_INLINE], mtrr_map_lookup_inline(&sj->map, a), want);
			count(&row[IMPL_SCAN], scan_lookup(&sj->scan, a), want);
			count(&row[IMPL_LIST], list_lookup(&sj->list, a), want);
			in->pats[k][i] = bench_pat_type(a);
			count(&oc->effective[k][1],
			      mtrr_effective_type_inline(mtrr_map_lookup_inline(&sj->map, a),
							 in->pats[k][i]),
			      mtrr_effective_type(want, in->pats[k][i]));
		}
	}
	for (k = 0; k < NPOINTSETS; k++) {
		uint8_t out[BENCH_CHUNK];
		for (i = 0; i < NPOINTS; i += BENCH_CHUNK) {
			size_t j;
			mtrr_map_lookup_batch(&sj->map, &in->points[k][i], out, BENCH_CHUNK);
			for (j = 0; j < BENCH_CHUNK; j++)
				count(&oc->batch[k][1], out[j], in->points_ref[k][i + j]);
		}
	}
	for (k = 0; k < NSPANS; k++) {
		struct cell *row = oc->cell[ROW_RANGE4K + k];
		for (i = 0; i < NRANGES; i++) {
			uint64_t a = in->ranges[k][i], e = a + row_span(k);
			uint8_t want = ref_range(&sj->state, a, e);
			in->ranges_ref[k][i] = want;
			count(&row[IMPL_MAP], mtrr_map_lookup_range(&sj->map, a, e), want);
			count(&row[IMPL_SCAN], scan_lookup_range(&sj->scan, a, e), want);
			count(&row[IMPL_LIST], list_lookup_range(&sj->list, a, e), want);
		}
	}
	for (k = 0; k < NPOINTSETS; k++) {
		const struct cell *c = &oc->batch[k][1];
		if (c->mismatches == 0)
			continue;
		fprintf(stderr, "mtrr_bench: %s: mtrr_map_lookup_batch differs from the "
			"reference on %ld of %ld %s inputs\n", name, c->mismatches,
			c->checked, row_name(k));
		ok = false;
	}
	for (k = 0; k < NPOINTSETS; k++) {
		const struct cell *c = &oc->effective[k][1];
		if (c->mismatches == 0)
			continue;
		fprintf(stderr, "mtrr_bench: %s: the effective type differs from the "
			"reference's on %ld of %ld %s inputs\n", name, c->mismatches,
			c->checked, row_name(k));
		ok = false;
	}
	for (k = 0; k < ROW_BUILD; k++) {
		const struct cell *c = &oc->cell[k][IMPL_MAP];
		if (c->mismatches == 0)
			continue;
		fprintf(stderr, "mtrr_bench: %s: the compiled map differs from the "
			"reference on %ld of %ld %s inputs\n", name, c->mismatches,
			c->checked, row_name(k));
		ok = false;
	}
	if (!ok)
		show_map_errors(sj, in);
	return ok;
}
