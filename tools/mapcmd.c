/*
 * mapcmd.c — the commands that ask the compiled map: `map`, `lookup`,
 * `diff`, and the comparison with the map Linux printed itself.  Every
 * memory type printed here is the library's answer (mtrr_map_*); the tool
 * only formats it.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/*
 * An upper bound on the number of merged ranges: every matching block of
 * a pair adds at most two boundaries, the fixed ranges at most 88.  A
 * non-contiguous mask can mean 2^39 blocks; listing those would never end.
 */
#define RANGES_MAX 200000u

static bool
map_small(const struct input *in)
{
	const struct mtrr_state *s = &in->dump.state;
	uint64_t blocks = 0;
	unsigned n;

	for (n = 0; n < s->caps.vcnt; n++) {
		struct pair p;
		unsigned z;
		pair_read(s, n, &p);
		if (!p.valid)
			continue;
		z = pair_free_bits(&p, s->caps.phys_bits);
		if (z >= 20)
			return false;
		blocks += 1ull << z;
	}
	return 2 * blocks + 90 <= RANGES_MAX;
}

static bool
build(const struct input *in, struct mtrr_map *m)
{
	if (!map_small(in)) {
		fprintf(stderr, "%s: non-contiguous masks make this map too large to list "
			"(over %u ranges); ask 'mtrr lookup' about addresses instead\n",
			in->name, RANGES_MAX);
		return false;
	}
	return mtrr_map_build(m, &in->dump.state) == MTRR_OK;
}

static struct mtrr_range *
alloc_ranges(size_t n)
{
	struct mtrr_range *r = calloc(n ? n : 1, sizeof(*r));

	if (r == NULL)
		fprintf(stderr, "mtrr: out of memory\n");
	return r;
}

int
map_print(FILE *f, const struct input *in, bool json, const char *indent)
{
	static struct mtrr_map m;
	struct mtrr_range *r;
	unsigned pb = in->dump.state.caps.phys_bits;
	char buf[32];
	size_t n, i;

	if (!build(in, &m))
		return EXIT_INPUT;
	n = mtrr_map_ranges(&m, NULL, 0);
	if ((r = alloc_ranges(n)) == NULL)
		return EXIT_INPUT;
	mtrr_map_ranges(&m, r, n);
	if (json)
		fprintf(f, "{\"phys_bits\": %u, \"ranges\": [", pb);
	for (i = 0; i < n; i++) {
		if (json) {
			fprintf(f, "%s\n  {\"start\": \"0x%llx\", \"end\": \"0x%llx\", "
				"\"type\": \"%s\"}", i ? "," : "", (unsigned long long)r[i].start,
				(unsigned long long)r[i].end, mtrr_type_str(r[i].type));
			continue;
		}
		fputs(indent, f);
		put_range(f, r[i].start, r[i].end, pb);
		fprintf(f, "  %s  %s\n", mtrr_type_str(r[i].type),
			size_str(r[i].end - r[i].start, buf, sizeof(buf)));
	}
	if (json)
		fprintf(f, "\n]}\n");
	free(r);
	return EXIT_OK;
}

int
linux_map_compare(FILE *f, const struct input *in)
{
	static struct mtrr_map m;
	const struct mtrr_dump *d = &in->dump;
	unsigned i, bad = 0, pb = d->state.caps.phys_bits;

	if (d->linux_map_n == 0 || !build(in, &m))
		return 0;
	for (i = 0; i < d->linux_map_n; i++) {
		const struct mtrr_range *e = &d->linux_map[i];
		uint8_t t = mtrr_map_lookup_range(&m, e->start, e->end);
		if (t == e->type)
			continue;
		fprintf(f, "warning: Linux's map (mtrr=debug) has ");
		put_range(f, e->start, e->end, pb);
		fprintf(f, " %s, libmtrr answers %s%s\n", mtrr_type_str(e->type), mtrr_type_str(t),
			d->has_tom2 && e->start == 1ull << 32 && e->end == d->tom2 ?
			" (TOM2: not modelled)" : "");
		bad++;
	}
	if (bad == 0)
		fprintf(f, "Linux's own map (mtrr=debug, %u entries%s) agrees with libmtrr\n",
			d->linux_map_n, d->linux_map_truncated ? ", more not kept" : "");
	return (int)bad;
}

/* Which registers decide the type of `a`: the reader checks the answer. */
static void
explain(FILE *f, const struct mtrr_state *s, uint64_t a)
{
	uint64_t def = 0;
	unsigned n, hits = 0;
	char name[32];

	mtrr_rdmsr(s, MTRR_MSR_DEF_TYPE, &def);
	if (!(def & MTRR_DEF_E)) {
		fprintf(f, "  (MTRRs disabled)");
		return;
	}
	if (a < MTRR_FIXED_END && (def & MTRR_DEF_FE) && s->caps.fixed) {
		uint32_t msr = a < 0x80000 ? MTRR_MSR_FIX64K_00000 :
			       a < 0xA0000 ? MTRR_MSR_FIX16K_80000 :
			       a < 0xC0000 ? MTRR_MSR_FIX16K_A0000 :
			       MTRR_MSR_FIX4K_C0000 + (uint32_t)((a - 0xC0000) / 0x8000);
		fprintf(f, "  (fixed range, %s)", mtrr_msr_name(msr, name, sizeof(name)));
		return;
	}
	for (n = 0; n < s->caps.vcnt; n++) {
		struct pair p;
		pair_read(s, n, &p);
		if (!pair_matches(&p, a))
			continue;
		fprintf(f, "%s%u %s", hits ? ", " : "  (pair ", n, mtrr_type_str(p.type));
		hits++;
	}
	fprintf(f, hits ? ")" : "  (default type)");
}

/* The runs of a MIXED range, merged, at most 8 of them. */
static void
runs(FILE *f, const struct mtrr_map *m, uint64_t start, uint64_t end, unsigned pb)
{
	uint64_t a = start, next, run = start;
	uint8_t t, cur = mtrr_map_lookup(m, start);
	unsigned shown = 0;

	fprintf(f, ":");
	while (a < end) {
		t = mtrr_map_lookup_next(m, a, &next);
		if (next > end || next <= a)
			next = end;
		if (t != cur) {
			fprintf(f, "%s ", shown ? "," : "");
			put_range(f, run, a, pb);
			fprintf(f, " %s", mtrr_type_str(cur));
			if (++shown == 8) {
				fprintf(f, ", ...");
				return;
			}
			run = a;
			cur = t;
		}
		a = next;
	}
	fprintf(f, "%s ", shown ? "," : "");
	put_range(f, run, end, pb);
	fprintf(f, " %s", mtrr_type_str(cur));
}

/* "A", "A-B" (B inclusive, as map prints) or "A+SIZE": [start, end). */
static bool
parse_query(const char *arg, uint64_t *start, uint64_t *end, bool *range)
{
	char buf[64];
	const char *sep;
	uint64_t b;

	if (arg[0] == '\0')
		return false;
	sep = strpbrk(arg + 1, "-+");
	*range = sep != NULL;
	if (sep == NULL) {
		if (!parse_number(arg, start))
			return false;
		*end = *start + 1;
		return true;
	}
	if ((size_t)(sep - arg) >= sizeof(buf))
		return false;
	memcpy(buf, arg, (size_t)(sep - arg));
	buf[sep - arg] = '\0';
	if (!parse_number(buf, start) || !parse_number(sep + 1, &b))
		return false;
	if (*sep == '-') {
		if (b < *start)
			return false;
		*end = b + 1;   /* 0 for the last byte of 2^64: INVALID, printed right */
	} else {
		if (b == 0 || b > UINT64_MAX - *start)
			return false;
		*end = *start + b;
	}
	return true;
}

int
lookup_args(FILE *f, const struct input *in, char **args, int n)
{
	static struct mtrr_map m;
	const struct mtrr_state *s = &in->dump.state;
	unsigned pb = s->caps.phys_bits;
	int i, rc = EXIT_OK;

	for (i = 0; i < n; i++) {
		uint64_t a, e;
		bool range;
		if (!parse_query(args[i], &a, &e, &range)) {
			fprintf(stderr, "mtrr: '%s' is not an address (0x<hex> or decimal, "
				"optional K/M/G/T) or a range (A-B with B inclusive, A+SIZE)\n",
				args[i]);
			return EXIT_INPUT;
		}
	}
	if (mtrr_map_build(&m, s) != MTRR_OK)
		return EXIT_INPUT;
	for (i = 0; i < n; i++) {
		uint64_t a, e;
		bool range;
		uint8_t t;

		parse_query(args[i], &a, &e, &range);
		t = range ? mtrr_map_lookup_range(&m, a, e) : mtrr_map_lookup(&m, a);
		if (range)
			put_range(f, a, e, pb);
		else
			put_addr(f, a, pb);
		fprintf(f, "  %s", mtrr_type_str(t));
		if (t == MTRR_TYPE_INVALID) {
			fprintf(f, "  (beyond MAXPHYADDR %u: no memory type)", pb);
			rc = EXIT_FOUND;
		} else if (t == MTRR_TYPE_MIXED) {
			runs(f, &m, a, e, pb);
		} else if (!range) {
			explain(f, s, a);
		}
		fputc('\n', f);
	}
	return rc;
}

/*
 * The type of [start, end) in a map of MAXPHYADDR pb; addresses the map does
 * not have are "none" (the maps of a diff may differ in MAXPHYADDR).
 */
static void
put_type_in(FILE *f, const struct mtrr_map *m, unsigned pb, uint64_t start, uint64_t end)
{
	uint64_t limit = 1ull << pb;

	if (start >= limit) {
		fputs("none", f);
		return;
	}
	fputs(mtrr_type_str(mtrr_map_lookup_range(m, start, end < limit ? end : limit)), f);
	if (end > limit)
		fprintf(f, ", none from 0x%llx", (unsigned long long)limit);
}

int
diff_maps(FILE *f, const struct input *a, const struct input *b)
{
	static struct mtrr_map ma, mb;
	unsigned pa = a->dump.state.caps.phys_bits, pbb = b->dump.state.caps.phys_bits;
	unsigned pb = pa > pbb ? pa : pbb;
	struct mtrr_range *r;
	size_t n, i;

	if (!build(a, &ma) || !build(b, &mb))
		return EXIT_INPUT;
	n = mtrr_map_diff(&ma, &mb, NULL, 0);
	if (n == 0) {
		fprintf(f, "no difference: the memory maps are identical\n");
		return EXIT_OK;
	}
	if ((r = alloc_ranges(n)) == NULL)
		return EXIT_INPUT;
	mtrr_map_diff(&ma, &mb, r, n);
	fprintf(f, "--- %s\n+++ %s\n", a->name, b->name);
	if (pa != pbb)
		fprintf(f, "MAXPHYADDR differs (%u, %u): addresses in only one map differ\n",
			pa, pbb);
	for (i = 0; i < n; i++) {
		put_range(f, r[i].start, r[i].end, pb);
		fputs("  ", f);
		put_type_in(f, &ma, pa, r[i].start, r[i].end);
		fputs(" -> ", f);
		put_type_in(f, &mb, pbb, r[i].start, r[i].end);
		fputc('\n', f);
	}
	free(r);
	return EXIT_FOUND;
}
