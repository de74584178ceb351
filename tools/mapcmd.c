/*
 * mapcmd.c — the commands that ask the compiled map: `map`, `lookup`,
 * `diff`, and the comparison with the map Linux printed itself.  Every
 * memory type printed here is the library's answer (mtrr_map_*); the tool
 * only formats it and says which registers decided it (segs.c).
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static void
json_range(FILE *f, uint64_t start, uint64_t end)
{
	fprintf(f, "\"start\": ");
	json_hex(f, start);
	fprintf(f, ", \"end\": ");
	json_hex(f, end);
	fprintf(f, ", \"size\": ");
	json_hex(f, end - start);
}

int
map_print(const struct out *o, const struct input *in, const char *indent)
{
	const struct mtrr_state *s = &in->dump.state;
	unsigned pb = s->caps.phys_bits;
	struct segs g;
	char size[32], why[160];
	size_t i;
	int rc;

	if ((rc = segs_build(in, &g)) != EXIT_OK)
		return rc;
	if (o->json)
		fprintf(o->f, ",\n  \"ranges\": [");
	for (i = 0; i < g.n; i++) {
		const struct seg *r = &g.v[i];
		if (o->json) {
			fprintf(o->f, "%s\n    {", i ? "," : "");
			json_range(o->f, r->start, r->end);
			fprintf(o->f, ", \"type\": \"%s\", \"decided_by\": ", mtrr_type_str(r->type));
			seg_why_json(o->f, r);
			fputc('}', o->f);
			continue;
		}
		fputs(indent, o->f);
		put_range(o->f, r->start, r->end, pb);
		fprintf(o->f, "  %-2s  %10s  %s\n", mtrr_type_str(r->type),
			size_str(r->end - r->start, size, sizeof(size)),
			seg_why(r, s, why, sizeof(why)));
	}
	if (o->json)
		fprintf(o->f, "\n  ]");
	segs_free(&g);
	return EXIT_OK;
}

/* One difference between Linux's map and ours, merged with the previous. */
struct ldiff {
	uint64_t start, end;
	uint8_t linux_type, ours;
	bool listed;            /* Linux's map lists the range (not a gap) */
};

static void
ldiff_add(struct ldiff *v, size_t *n, size_t cap, const struct ldiff *x)
{
	if (*n > 0 && v[*n - 1].end == x->start && v[*n - 1].linux_type == x->linux_type &&
	    v[*n - 1].ours == x->ours && v[*n - 1].listed == x->listed) {
		v[*n - 1].end = x->end;
		return;
	}
	if (*n < cap)
		v[*n] = *x;
	(*n)++;
}

/* Compares [a, b) of Linux's map, of type t, with the library's map. */
static void
compare_piece(const struct mtrr_map *m, uint64_t a, uint64_t b, uint8_t t, bool listed,
	      struct ldiff *v, size_t *n, size_t cap)
{
	while (a < b) {
		uint64_t next;
		uint8_t ours = mtrr_map_lookup_next(m, a, &next);
		struct ldiff x;
		if (next > b || next <= a)
			next = b;
		if (ours != t) {
			x.start = a;
			x.end = next;
			x.linux_type = t;
			x.ours = ours;
			x.listed = listed;
			ldiff_add(v, n, cap, &x);
		}
		a = next;
	}
}

/*
 * Linux's map (mtrr=debug) lists only what the MTRRs cover: the gaps have
 * the default type (UC when the MTRRs are off).  Both maps are compared
 * over the whole address space, gaps included.
 */
int
linux_map_compare(const struct out *o, const struct input *in)
{
	const struct mtrr_dump *d = &in->dump;
	const struct mtrr_state *s = &d->state;
	unsigned pb = s->caps.phys_bits, i;
	uint64_t top = 1ull << pb, pos = 0, def = 0;
	uint8_t gap;
	struct mtrr_map *m;
	struct ldiff v[64];
	size_t n = 0, k;
	bool order = true;

	if (!d->linux_map_line)
		return 0;
	if (!d->linux_map_complete || (m = calloc(1, sizeof(*m))) == NULL) {
		if (o->json)
			fprintf(o->f, ",\n  \"linux_map\": {\"entries\": %u, \"compared\": false}",
				d->linux_map_expected);
		return 0;
	}
	mtrr_rdmsr(s, MTRR_MSR_DEF_TYPE, &def);
	gap = (def & MTRR_DEF_E) ? (uint8_t)(def & MTRR_DEF_TYPE_MASK) : MTRR_TYPE_UC;
	if (mtrr_map_build(m, s) != MTRR_OK) {
		free(m);
		return 0;
	}
	for (i = 0; i < d->linux_map_n; i++) {
		const struct mtrr_range *e = &d->linux_map[i];
		if (e->start < pos || e->end > top) {
			order = false;
			break;
		}
		compare_piece(m, pos, e->start, gap, false, v, &n, 64);
		compare_piece(m, e->start, e->end, e->type, true, v, &n, 64);
		pos = e->end;
	}
	if (order)
		compare_piece(m, pos, top, gap, false, v, &n, 64);
	free(m);
	if (o->json) {
		fprintf(o->f, ",\n  \"linux_map\": {\"entries\": %u, \"compared\": %s, "
			"\"agrees\": %s, \"differences\": [", d->linux_map_n, order ? "true" : "false",
			order && n == 0 ? "true" : "false");
		for (k = 0; k < n && k < 64; k++) {
			fprintf(o->f, "%s\n    {", k ? "," : "");
			json_range(o->f, v[k].start, v[k].end);
			fprintf(o->f, ", \"linux\": \"%s\", \"libmtrr\": \"%s\", \"listed\": %s}",
				mtrr_type_str(v[k].linux_type), mtrr_type_str(v[k].ours),
				v[k].listed ? "true" : "false");
		}
		fprintf(o->f, "%s]}", n ? "\n  " : "");
		return (int)n;
	}
	if (!order) {
		fprintf(o->f, "warning: Linux's map (mtrr=debug, line %u) has entries out of order "
			"or beyond MAXPHYADDR %u: not compared\n", d->linux_map_line, pb);
		return 1;
	}
	if (n == 0) {
		fprintf(o->f, "Linux's own map (mtrr=debug, %u entries; the gaps have the default "
			"type %s) agrees with libmtrr over all of ", d->linux_map_n,
			mtrr_type_str(gap));
		put_range(o->f, 0, top, pb);
		fputc('\n', o->f);
		return 0;
	}
	fprintf(o->f, "warning: Linux's own map (mtrr=debug, line %u) and libmtrr differ:\n",
		d->linux_map_line);
	for (k = 0; k < n && k < 64; k++) {
		fputs("  ", o->f);
		put_range(o->f, v[k].start, v[k].end, pb);
		fprintf(o->f, "  Linux %s%s, libmtrr %s\n", mtrr_type_str(v[k].linux_type),
			v[k].listed ? "" : " (no entry: the default type)",
			mtrr_type_str(v[k].ours));
	}
	if (n > 64)
		fprintf(o->f, "  ... and %zu more\n", n - 64);
	return (int)n;
}

/* The runs of a MIXED range, merged, at most 8 of them. */
static void
runs(const struct out *o, const struct mtrr_map *m, uint64_t start, uint64_t end, unsigned pb)
{
	uint64_t a = start, next, run = start;
	uint8_t t, cur = mtrr_map_lookup(m, start);
	unsigned shown = 0;
	FILE *f = o->f;

	fprintf(f, o->json ? ", \"runs\": [" : ":");
	for (;;) {
		t = a < end ? mtrr_map_lookup_next(m, a, &next) : cur;
		if (a < end && (next > end || next <= a))
			next = end;
		if (a >= end || t != cur) {
			if (o->json) {
				fprintf(f, "%s{", shown ? ", " : "");
				json_range(f, run, a);
				fprintf(f, ", \"type\": \"%s\"}", mtrr_type_str(cur));
			} else {
				fprintf(f, "%s ", shown ? "," : "");
				put_range(f, run, a, pb);
				fprintf(f, " %s", mtrr_type_str(cur));
			}
			if (a >= end)
				break;
			if (++shown == 8 && !o->json) {
				fprintf(f, ", ...");
				return;
			}
			if (shown == 256) {
				fprintf(f, "]");
				return;
			}
			run = a;
			cur = t;
		}
		a = next;
	}
	if (o->json)
		fprintf(f, "]");
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

/*
 * A uniform range (or one address): what decides it, if one thing does.
 * 1: *g says; 0: it varies inside the range; -1: too many blocks to tell.
 */
static int
uniform_source(const struct mtrr_state *s, const struct mtrr_map *m, uint64_t a, uint64_t e,
	       struct seg *g)
{
	struct seg x;

	*g = seg_at(s, m, a);
	if (e - a <= 1)
		return 1;
	if (!map_listable(s))
		return -1;
	/* a source change inside [a, e) is at a pair block edge: compare the
	   source at every run start of the pairs' blocks inside */
	{
		unsigned n, pb = s->caps.phys_bits;
		for (n = 0; n < s->caps.vcnt; n++) {
			struct pair p;
			uint64_t j, blocks, size;
			pair_read(s, n, &p);
			if (!p.valid)
				continue;
			blocks = 1ull << pair_free_bits(&p, pb);
			size = 1ull << pair_low_bit(&p, pb);
			for (j = 0; j < blocks; j++) {
				uint64_t edges[2];
				unsigned k;
				edges[0] = pair_block(&p, pb, j);
				edges[1] = edges[0] + size;
				for (k = 0; k < 2; k++) {
					if (edges[k] <= a || edges[k] >= e)
						continue;
					x = seg_at(s, m, edges[k]);
					if (x.kind != g->kind || x.pairs != g->pairs)
						return 0;
				}
			}
		}
		if (a < MTRR_FIXED_END && e > MTRR_FIXED_END) {
			x = seg_at(s, m, MTRR_FIXED_END);
			if (x.kind != g->kind || x.pairs != g->pairs)
				return 0;
		}
	}
	return 1;
}

int
lookup_args(const struct out *o, const struct input *in, char **args, int n)
{
	struct mtrr_map *m;
	const struct mtrr_state *s = &in->dump.state;
	unsigned pb = s->caps.phys_bits;
	int i, rc = EXIT_OK;
	char why[160];
	FILE *f = o->f;

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		fprintf(stderr, "mtrr: out of memory\n");
		return EXIT_OUTPUT;
	}
	if (mtrr_map_build(m, s) != MTRR_OK) {
		free(m);
		return EXIT_INPUT;
	}
	if (o->json)
		fprintf(f, ",\n  \"lookups\": [");
	for (i = 0; i < n; i++) {
		uint64_t a = 0, e = 0;
		bool range = false;
		uint8_t t;
		struct seg g;
		int u;

		parse_query(args[i], &a, &e, &range);
		t = range ? mtrr_map_lookup_range(m, a, e) : mtrr_map_lookup(m, a);
		if (t == MTRR_TYPE_INVALID)
			rc = EXIT_FOUND;
		if (o->json) {
			fprintf(f, "%s\n    {\"query\": ", i ? "," : "");
			json_str(f, args[i]);
			fprintf(f, ", ");
			json_range(f, a, e);
			fprintf(f, ", \"type\": \"%s\", \"decided_by\": ", mtrr_type_str(t));
			if (t != MTRR_TYPE_INVALID && t != MTRR_TYPE_MIXED &&
			    uniform_source(s, m, a, e, &g) == 1)
				seg_why_json(f, &g);
			else
				fprintf(f, "null");
			if (t == MTRR_TYPE_MIXED)
				runs(o, m, a, e, pb);
			fprintf(f, "}");
			continue;
		}
		if (range)
			put_range(f, a, e, pb);
		else
			put_addr(f, a, pb);
		fprintf(f, "  %s", mtrr_type_str(t));
		if (t == MTRR_TYPE_INVALID)
			fprintf(f, "  (beyond MAXPHYADDR %u: no memory type)", pb);
		else if (t == MTRR_TYPE_MIXED)
			runs(o, m, a, e, pb);
		else if ((u = uniform_source(s, m, a, e, &g)) == 1)
			fprintf(f, "  %s", seg_why(&g, s, why, sizeof(why)));
		else if (u == 0)
			fprintf(f, "  (decided by different registers in parts: see 'mtrr map')");
		else
			fprintf(f, "  (strided masks: too many blocks to say what decides each part)");
		fputc('\n', f);
	}
	if (o->json)
		fprintf(f, "%s]", n ? "\n  " : "");
	free(m);
	return rc;
}

/* Checks the arguments of lookup before anything is read. */
bool
lookup_query_ok(const char *arg)
{
	uint64_t a, e;
	bool range;

	return parse_query(arg, &a, &e, &range);
}

/*
 * The type of [start, end) in a map of MAXPHYADDR pb: the library's answer,
 * or INVALID (no type) for addresses beyond the map.
 */
static uint8_t
type_in(const struct mtrr_map *m, unsigned pb, uint64_t a)
{
	return a >= (1ull << pb) ? MTRR_TYPE_INVALID : mtrr_map_lookup(m, a);
}

static uint64_t
next_in(const struct mtrr_map *m, unsigned pb, uint64_t a, uint64_t limit)
{
	uint64_t next;

	if (a >= (1ull << pb))
		return limit;
	mtrr_map_lookup_next(m, a, &next);
	return next > limit || next <= a ? limit : next;
}

int
diff_maps(const struct out *o, const struct input *a, const struct input *b)
{
	struct mtrr_map *ma = calloc(1, sizeof(*ma)), *mb = calloc(1, sizeof(*mb));
	unsigned pa = a->dump.state.caps.phys_bits, pbb = b->dump.state.caps.phys_bits;
	unsigned pb = pa > pbb ? pa : pbb;
	uint64_t pos = 0, top = 1ull << pb;
	size_t count = 0;
	char size[32];
	FILE *f = o->f;
	int rc = EXIT_OK;

	if (ma == NULL || mb == NULL) {
		fprintf(stderr, "mtrr: out of memory\n");
		rc = EXIT_OUTPUT;
		goto out;
	}
	if (mtrr_map_build(ma, &a->dump.state) != MTRR_OK ||
	    mtrr_map_build(mb, &b->dump.state) != MTRR_OK) {
		rc = EXIT_INPUT;
		goto out;
	}
	if (!map_listable(&a->dump.state) || !map_listable(&b->dump.state)) {
		fprintf(stderr, "%s: non-contiguous masks make these maps too large to compare "
			"range by range; ask 'mtrr lookup' about addresses instead\n",
			map_listable(&a->dump.state) ? b->name : a->name);
		rc = EXIT_INPUT;
		goto out;
	}
	if (o->json)
		fprintf(f, ",\n  \"differences\": [");
	/* walk both maps run by run; report the pieces where the types differ */
	while (pos < top) {
		uint8_t ta = type_in(ma, pa, pos), tb = type_in(mb, pbb, pos);
		uint64_t end = next_in(ma, pa, pos, top), e2 = next_in(mb, pbb, pos, top);
		if (e2 < end)
			end = e2;
		while (end < top && type_in(ma, pa, end) == ta && type_in(mb, pbb, end) == tb) {
			uint64_t n1 = next_in(ma, pa, end, top), n2 = next_in(mb, pbb, end, top);
			end = n1 < n2 ? n1 : n2;
		}
		if (ta != tb) {
			if (o->json) {
				fprintf(f, "%s\n    {", count ? "," : "");
				json_range(f, pos, end);
				fprintf(f, ", \"a\": ");
				if (ta == MTRR_TYPE_INVALID)
					fprintf(f, "null");
				else
					fprintf(f, "\"%s\"", mtrr_type_str(ta));
				fprintf(f, ", \"b\": ");
				if (tb == MTRR_TYPE_INVALID)
					fprintf(f, "null}");
				else
					fprintf(f, "\"%s\"}", mtrr_type_str(tb));
			} else {
				if (count == 0)
					fprintf(f, "--- %s\n+++ %s\n", a->name, b->name);
				if (count == 0 && pa != pbb)
					fprintf(f, "MAXPHYADDR differs (%u, %u): addresses in only one "
						"map have no type in the other (none)\n", pa, pbb);
				put_range(f, pos, end, pb);
				fprintf(f, "  %-4s -> %-4s  %s\n", ta == MTRR_TYPE_INVALID ? "none" :
					mtrr_type_str(ta), tb == MTRR_TYPE_INVALID ? "none" :
					mtrr_type_str(tb), size_str(end - pos, size, sizeof(size)));
			}
			count++;
		}
		pos = end;
	}
	if (o->json)
		fprintf(f, "%s]", count ? "\n  " : "");
	else if (count == 0)
		fprintf(f, "no difference: the memory maps are identical\n");
	rc = count ? EXIT_FOUND : EXIT_OK;
out:
	free(ma);
	free(mb);
	return rc;
}
