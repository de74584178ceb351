/*
 * segs.c — the address space cut into segments where the memory type, or
 * what decides it, changes: the rows of `map` and the boxes of the picture.
 *
 * Every boundary is one of: a boundary of the library's merged map
 * (mtrr_map_ranges), an edge of a block of a valid pair, 1 MiB, and on
 * AMD with Tom2ForceMemTypeWB 4 GiB and TOP_MEM2.  Between
 * two of them the type is constant (the map says so) and so is the set of
 * matching pairs (no block edge inside), so one lookup and one register
 * scan at the start of each piece describe all of it.  Adjacent pieces
 * with the same type and the same deciding registers are merged.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/*
 * An upper bound on the boundaries: every matching block of a pair adds at
 * most two, the fixed ranges at most 88.  A non-contiguous mask can mean
 * 2^39 blocks; listing those would never end.
 */
#define BOUNDS_MAX 400000u

static bool
fixed_decides(const struct mtrr_state *s, uint64_t def)
{
	return (def & MTRR_DEF_E) && (def & MTRR_DEF_FE) && s->caps.fixed;
}

bool
map_listable(const struct mtrr_state *s)
{
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
	return 4 * blocks + 200 <= BOUNDS_MAX;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* What decides [addr, ...): the registers that match addr. */
static void
describe(const struct mtrr_state *s, uint64_t addr, struct seg *g)
{
	uint64_t def = 0;
	unsigned n, types = 0;

	mtrr_rdmsr(s, MTRR_MSR_DEF_TYPE, &def);
	g->pairs = 0;
	g->undefined = false;
	if (!(def & MTRR_DEF_E)) {
		g->kind = SRC_DISABLED;
		return;
	}
	if (addr < MTRR_FIXED_END && fixed_decides(s, def)) {
		g->kind = SRC_FIXED;
		return;
	}
	for (n = 0; n < s->caps.vcnt; n++) {
		struct pair p;
		pair_read(s, n, &p);
		if (pair_matches(&p, addr)) {
			g->pairs |= 1ull << n;
			types |= 1u << (p.type & 7u);
		}
	}
	g->kind = g->pairs ? SRC_PAIRS : SRC_DEFAULT;
	if (!g->pairs && addr >= (1ull << 32) && addr < tom2_wb_end(s))
		g->kind = SRC_TOM2;
	g->undefined = !types_defined(types);
}

struct seg
seg_at(const struct mtrr_state *s, const struct mtrr_map *m, uint64_t addr)
{
	struct seg g;

	memset(&g, 0, sizeof(g));
	g.start = addr;
	g.end = addr + 1;
	g.type = mtrr_map_lookup(m, addr);
	describe(s, addr, &g);
	return g;
}

static bool
same_source(const struct seg *a, const struct seg *b)
{
	return a->type == b->type && a->kind == b->kind && a->pairs == b->pairs;
}

int
segs_build(const struct input *in, struct segs *out)
{
	const struct mtrr_state *s = &in->dump.state;
	unsigned pb = s->caps.phys_bits, n;
	uint64_t top = 1ull << pb, *b = NULL;
	struct mtrr_range *r = NULL;
	size_t nr, nb = 0, i, k;

	memset(out, 0, sizeof(*out));
	if (!map_listable(s)) {
		fprintf(stderr, "%s: non-contiguous masks make this map too large to list "
			"(over %u boundaries); ask 'mtrr lookup' about addresses instead\n",
			in->name, BOUNDS_MAX);
		return EXIT_INPUT;
	}
	out->map = calloc(1, sizeof(*out->map));
	if (out->map == NULL || mtrr_map_build(out->map, s) != MTRR_OK)
		goto oom;
	nr = mtrr_map_ranges(out->map, NULL, 0);
	r = calloc(nr ? nr : 1, sizeof(*r));
	b = calloc(2 * nr + BOUNDS_MAX / 2 + 6, sizeof(*b));
	if (r == NULL || b == NULL)
		goto oom;
	mtrr_map_ranges(out->map, r, nr);
	b[nb++] = 0;
	b[nb++] = top;
	b[nb++] = MTRR_FIXED_END;
	if (tom2_wb_end(s)) {
		b[nb++] = 1ull << 32;
		b[nb++] = tom2_wb_end(s);
	}
	for (i = 0; i < nr; i++)
		b[nb++] = r[i].start;
	for (n = 0; n < s->caps.vcnt; n++) {
		struct pair p;
		uint64_t blocks, j, size;
		pair_read(s, n, &p);
		if (!p.valid)
			continue;
		blocks = 1ull << pair_free_bits(&p, pb);
		size = 1ull << pair_low_bit(&p, pb);
		for (j = 0; j < blocks; j++) {
			uint64_t a = pair_block(&p, pb, j);
			b[nb++] = a;
			b[nb++] = a + size;
		}
	}
	qsort(b, nb, sizeof(*b), cmp_u64);
	out->v = calloc(nb, sizeof(*out->v));
	if (out->v == NULL)
		goto oom;
	for (i = 0; i + 1 < nb; i++) {
		struct seg g;
		if (b[i] >= top)
			break;
		if (b[i + 1] == b[i])
			continue;
		g.start = b[i];
		g.end = b[i + 1] < top ? b[i + 1] : top;
		g.type = mtrr_map_lookup(out->map, g.start);
		describe(s, g.start, &g);
		k = out->n;
		if (k > 0 && same_source(&out->v[k - 1], &g) && out->v[k - 1].end == g.start)
			out->v[k - 1].end = g.end;
		else
			out->v[out->n++] = g;
	}
	free(r);
	free(b);
	return EXIT_OK;
oom:
	fprintf(stderr, "mtrr: out of memory\n");
	free(r);
	free(b);
	segs_free(out);
	return EXIT_OUTPUT;
}

void
segs_free(struct segs *g)
{
	free(g->v);
	free(g->map);
	memset(g, 0, sizeof(*g));
}

/* "0+2+5" */
static void
pair_list(uint64_t pairs, const char *sep, const char *last, char *buf, size_t size)
{
	unsigned n, count = 0, total = 0;
	size_t len = 0;

	for (n = 0; n < 64; n++)
		total += (unsigned)((pairs >> n) & 1u);
	buf[0] = '\0';
	for (n = 0; n < 64 && len < size; n++) {
		if (!(pairs & (1ull << n)))
			continue;
		count++;
		len += (size_t)snprintf(buf + len, size - len, "%s%u",
					count == 1 ? "" : count == total ? last : sep, n);
	}
}

const char *
seg_why(const struct seg *g, const struct mtrr_state *s, char *buf, size_t size)
{
	char list[160];
	unsigned n, types = 0;

	switch (g->kind) {
	case SRC_DISABLED:
		snprintf(buf, size, "MTRRs disabled");
		return buf;
	case SRC_FIXED:
		snprintf(buf, size, "fixed ranges");
		return buf;
	case SRC_DEFAULT:
		snprintf(buf, size, "default type");
		return buf;
	case SRC_TOM2:
		snprintf(buf, size, "TOM2 (Tom2ForceMemTypeWB)");
		return buf;
	default:
		break;
	}
	if ((g->pairs & (g->pairs - 1)) == 0) {
		for (n = 0; !(g->pairs & (1ull << n)); n++)
			;
		snprintf(buf, size, "pair %u", n);
		return buf;
	}
	if (g->undefined) {
		pair_list(g->pairs, ", ", " and ", list, sizeof(list));
		snprintf(buf, size, "undefined overlap of pairs %s", list);
		return buf;
	}
	for (n = 0; n < s->caps.vcnt; n++) {
		struct pair p;
		pair_read(s, n, &p);
		if (g->pairs & (1ull << n))
			types |= 1u << (p.type & 7u);
	}
	pair_list(g->pairs, "+", "+", list, sizeof(list));
	if ((types & (types - 1)) == 0)
		snprintf(buf, size, "pairs %s", list);
	else
		snprintf(buf, size, "pairs %s, %s wins", list, mtrr_type_str(g->type));
	return buf;
}

void
seg_why_json(FILE *f, const struct seg *g)
{
	static const char *const kind[] = { "disabled", "fixed", "default", "pairs", "tom2" };
	unsigned n, count = 0;

	fprintf(f, "{\"kind\": \"%s\", \"pairs\": [", kind[g->kind]);
	for (n = 0; n < 64; n++)
		if (g->pairs & (1ull << n))
			fprintf(f, "%s%u", count++ ? ", " : "", n);
	fprintf(f, "], \"undefined\": %s}", g->undefined ? "true" : "false");
}
