/*
 * svg.c — `mtrr map --svg FILE` / `--html FILE`: the memory map as a
 * picture, written with fprintf (SVG is text).
 *
 * The address space is drawn as three bands: the first MiB (where the fixed
 * ranges live), the rest below 4 GiB, and the space above 4 GiB.  Inside a
 * band each range (a segment of segs.c: one type, one deciding set of
 * registers) is a box whose width grows with the logarithm of its size, so
 * that a 4 KiB range and a 256 TiB one are both visible: a log-like scale.
 * Every box is coloured by its type and its first address is labelled under
 * it; the band's end closes it.  Above the boxes, one lane per register
 * (the fixed ranges, each valid pair) draws a bar over the addresses the
 * register matches.  Boxes whose type is an overlap the SDM leaves undefined
 * are hatched.  The types are the library's answers; nothing is computed
 * here but positions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define WIDTH 1400.0
#define LEFT 24.0
#define RIGHT 84.0
#define GUTTER 150.0            /* the lane labels, left of the boxes */
#define TRACK_H 44.0
#define LANE_H 15.0
#define MIN_BOX 18.0
#define BARS_MAX 256            /* blocks drawn per pair and band */

struct band {
	const char *title;
	uint64_t lo, hi;        /* [lo, hi) */
};

/* A box of a band: a segment clipped to it, and where it is drawn. */
struct box {
	uint64_t start, end;
	const struct seg *g;
	double x, w;
};

static const char *
fill(uint8_t type)
{
	switch (type) {
	case MTRR_TYPE_UC: return "#d64541";
	case MTRR_TYPE_WC: return "#8e5bb5";
	case MTRR_TYPE_WT: return "#e8912d";
	case MTRR_TYPE_WP: return "#3a9fc9";
	case MTRR_TYPE_WB: return "#3f9b4f";
	default: return "#9a9a9a";
	}
}

static const char *
type_word(uint8_t type)
{
	switch (type) {
	case MTRR_TYPE_UC: return "uncacheable";
	case MTRR_TYPE_WC: return "write-combining";
	case MTRR_TYPE_WT: return "write-through";
	case MTRR_TYPE_WP: return "write-protected";
	case MTRR_TYPE_WB: return "write-back";
	default: return "?";
	}
}

static void
xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			fputc((unsigned char)*s >= 0x20 ? *s : '?', f);
			break;
		}
	}
}

/* log2(1 + v), closely enough for widths: the bit length plus the fraction. */
static double
log_size(uint64_t v)
{
	unsigned k = 0;

	v++;
	while (k < 63 && (v >> (k + 1)) != 0)
		k++;
	return (double)k + (double)(v - (1ull << k)) / (double)(1ull << k);
}

/* The boxes of band `b`, laid out over [LEFT + GUTTER, WIDTH - RIGHT). */
static size_t
layout(const struct segs *g, const struct band *b, struct box *out)
{
	double total = 0, avail = WIDTH - LEFT - GUTTER - RIGHT, x = LEFT + GUTTER, minw;
	size_t i, n = 0;

	for (i = 0; i < g->n; i++) {
		const struct seg *s = &g->v[i];
		uint64_t a = s->start > b->lo ? s->start : b->lo;
		uint64_t e = s->end < b->hi ? s->end : b->hi;
		if (a >= e)
			continue;
		out[n].start = a;
		out[n].end = e;
		out[n].g = s;
		/* the weight: 1 + log2 of the size in 4 KiB pages */
		out[n].w = 1.0 + log_size((e - a) / 4096);
		total += out[n].w;
		n++;
	}
	minw = n ? avail / (double)n : 0;
	minw = minw < MIN_BOX ? minw : MIN_BOX;
	/* give every box at least minw, the rest in proportion to the weights */
	for (i = 0; i < n; i++) {
		out[i].w = minw + (avail - minw * (double)n) * out[i].w / total;
		out[i].x = x;
		x += out[i].w;
	}
	return n;
}

/* Where address a (inside the band) is drawn. */
static double
x_of(const struct box *bx, size_t n, uint64_t a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a < bx[i].end)
			return bx[i].x + bx[i].w * (double)(a - bx[i].start) /
			       (double)(bx[i].end - bx[i].start);
	return n ? bx[n - 1].x + bx[n - 1].w : LEFT + GUTTER;
}

static bool
fixed_decides(const struct mtrr_state *s)
{
	uint64_t def = 0;

	mtrr_rdmsr(s, MTRR_MSR_DEF_TYPE, &def);
	return (def & MTRR_DEF_E) && (def & MTRR_DEF_FE) && s->caps.fixed;
}

/* Whether pair p matches some address of [lo, hi). */
static bool
pair_in(const struct pair *p, unsigned pb, uint64_t lo, uint64_t hi)
{
	uint64_t blocks = 1ull << pair_free_bits(p, pb), size = 1ull << pair_low_bit(p, pb), j;

	for (j = 0; j < blocks && j < 4096; j++) {
		uint64_t a = pair_block(p, pb, j);
		if (a < hi && a + size > lo)
			return true;
	}
	return false;
}

/* One lane: a label and the bars of a register over this band. */
static void
lane(FILE *f, const struct box *bx, size_t n, const struct band *b, double y,
     const char *label, uint8_t type, const struct pair *p, unsigned pb)
{
	uint64_t blocks = 1, size = b->hi - b->lo, j, drawn = 0;
	double first = -1;
	char text[128];

	if (p != NULL) {
		blocks = 1ull << pair_free_bits(p, pb);
		size = 1ull << pair_low_bit(p, pb);
	}
	for (j = 0; j < blocks && drawn < BARS_MAX; j++) {
		uint64_t a = p ? pair_block(p, pb, j) : b->lo, e = a + size;
		double x0, x1;
		if (e <= b->lo || a >= b->hi)
			continue;
		a = a > b->lo ? a : b->lo;
		e = e < b->hi ? e : b->hi;
		x0 = x_of(bx, n, a);
		x1 = x_of(bx, n, e);
		if (x1 - x0 < 2.0)
			x1 = x0 + 2.0;
		if (first < 0)
			first = x0;
		fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			"fill=\"%s\"/>\n", x0, y, x1 - x0, LANE_H - 4, fill(type));
		drawn++;
	}
	if (first < 0)
		return;
	if (blocks > 1)
		snprintf(text, sizeof(text), "%s (%llu blocks)", label, (unsigned long long)blocks);
	else
		snprintf(text, sizeof(text), "%s", label);
	fprintf(f, "<text class=\"lane\" x=\"%.1f\" y=\"%.1f\">", LEFT, y + LANE_H - 6.5);
	xml_text(f, text);
	fprintf(f, "</text>\n");
}

/* How many lanes band `b` has: the fixed ranges, the pairs that touch it. */
static unsigned
band_lanes(const struct mtrr_state *s, const struct band *b)
{
	unsigned n, lanes = b->lo < MTRR_FIXED_END && fixed_decides(s);

	for (n = 0; n < s->caps.vcnt; n++) {
		struct pair p;
		pair_read(s, n, &p);
		lanes += p.valid && pair_in(&p, s->caps.phys_bits, b->lo, b->hi);
	}
	return lanes;
}

#define BAND_FIXED (22.0 + 4.0 + TRACK_H + 4.0 + 60.0) /* a band without its lanes */

/* A band: its title, its register lanes, its boxes, its bounds. */
static double
draw_band(FILE *f, const struct input *in, const struct segs *g, const struct band *b,
	  struct box *bx, double y)
{
	const struct mtrr_state *s = &in->dump.state;
	unsigned pb = s->caps.phys_bits, n;
	size_t nb = layout(g, b, bx), i;
	double label_x = -100, ty;
	char size[32], why[160], label[64];

	if (nb == 0)
		return y;
	fprintf(f, "<text class=\"band\" x=\"%.1f\" y=\"%.1f\">", LEFT, y + 14);
	xml_text(f, b->title);
	fprintf(f, "</text>\n");
	y += 22;
	if (b->lo < MTRR_FIXED_END && fixed_decides(s)) {
		lane(f, bx, nb, b, y, "fixed ranges", 0xFF,
		     NULL, pb);
		y += LANE_H;
	}
	for (n = 0; n < s->caps.vcnt; n++) {
		struct pair p;
		pair_read(s, n, &p);
		if (!p.valid || !pair_in(&p, pb, b->lo, b->hi))
			continue;
		snprintf(label, sizeof(label), "pair %u  %s", n, mtrr_type_str(p.type));
		lane(f, bx, nb, b, y, label, p.type, &p, pb);
		y += LANE_H;
	}
	y += 4;
	fprintf(f, "<text class=\"row\" x=\"%.1f\" y=\"%.1f\">effective type</text>\n", LEFT,
		y + TRACK_H / 2 + 3);
	for (i = 0; i < nb; i++) {
		const struct box *x = &bx[i];
		fprintf(f, "<g><title>");
		put_range(f, x->start, x->end, pb);
		fprintf(f, " %s %s: %s</title>\n", mtrr_type_str(x->g->type),
			size_str(x->end - x->start, size, sizeof(size)), seg_why(x->g, s, why,
			sizeof(why)));
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
			"stroke=\"#ffffff\" stroke-width=\"1\"/>\n", x->x, y, x->w, TRACK_H,
			fill(x->g->type));
		if (x->g->undefined)
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
				"fill=\"url(#undefined)\"/>\n", x->x, y, x->w, TRACK_H);
		if (x->w >= 26)
			fprintf(f, "<text class=\"type\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
				x->x + x->w / 2, y + (x->w >= 64 ? 19 : 27), mtrr_type_str(x->g->type));
		if (x->w >= 64)
			fprintf(f, "<text class=\"size\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
				x->x + x->w / 2, y + 35, size_str(x->end - x->start, size,
				sizeof(size)));
		fprintf(f, "</g>\n");
	}
	/* the bounds: the first address of every box, and the band's end */
	ty = y + TRACK_H + 4;
	for (i = 0; i <= nb; i++) {
		double x = i < nb ? bx[i].x : WIDTH - RIGHT;
		uint64_t a = i < nb ? bx[i].start : bx[nb - 1].end;
		if (x - label_x < 13 && i < nb)
			continue;
		fprintf(f, "<line class=\"tick\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			x, y, x, ty);
		fprintf(f, "<text class=\"bound\" transform=\"translate(%.1f,%.1f) rotate(35)\">"
			"0x%llx</text>\n", x + 2, ty + 6, (unsigned long long)a);
		label_x = x;
	}
	return ty + 60;
}

static void
legend(FILE *f, const struct mtrr_state *s, double y)
{
	static const uint8_t types[] = { MTRR_TYPE_UC, MTRR_TYPE_WC, MTRR_TYPE_WT, MTRR_TYPE_WP,
					 MTRR_TYPE_WB };
	double x = LEFT;
	size_t i;

	for (i = 0; i < sizeof(types); i++) {
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\"/>\n"
			"<text class=\"legend\" x=\"%.1f\" y=\"%.1f\">%s %s</text>\n", x, y,
			fill(types[i]), x + 19, y + 11, mtrr_type_str(types[i]),
			type_word(types[i]));
		x += 170;
	}
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"#3f9b4f\"/>"
		"<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"url(#undefined)\"/>\n"
		"<text class=\"legend\" x=\"%.1f\" y=\"%.1f\">undefined overlap (SDM): libmtrr "
		"answers %s</text>\n", x, y, x, y, x + 19, y + 11,
		s->caps.overlap == MTRR_OVERLAP_WB ? "WB" : "UC");
	fprintf(f, "<text class=\"note\" x=\"%.1f\" y=\"%.1f\">Bars: the addresses each register "
		"matches (fixed ranges win in the first MiB; UC wins an overlap; WT wins over "
		"WB). Box widths grow with the logarithm of the size.</text>\n", LEFT, y + 34);
}

/* The whole picture; `standalone` adds the XML declaration. */
static int
svg(FILE *f, const struct input *in, const struct segs *g, bool standalone)
{
	const struct mtrr_state *s = &in->dump.state;
	unsigned pb = s->caps.phys_bits, n, lanes = 0;
	uint64_t def = 0, top = 1ull << pb;
	struct band bands[3] = {
		{ "The first MiB (0x0-0xfffff): the fixed ranges decide", 0, MTRR_FIXED_END },
		{ "1 MiB to 4 GiB (0x100000-0xffffffff)", MTRR_FIXED_END, 1ull << 32 },
		{ "Above 4 GiB, to 2^MAXPHYADDR", 1ull << 32, top },
	};
	struct box *bx = calloc(g->n + 1, sizeof(*bx));
	double y, height;
	size_t i;
	char title[256], label[128];

	if (bx == NULL) {
		fprintf(stderr, "mtrr: out of memory\n");
		return EXIT_OUTPUT;
	}
	mtrr_rdmsr(s, MTRR_MSR_DEF_TYPE, &def);
	for (n = 0; n < s->caps.vcnt; n++) {
		struct pair p;
		pair_read(s, n, &p);
		lanes += p.valid;
	}
	height = 70 + 50;
	for (i = 0; i < 3; i++)
		if (bands[i].lo < top)
			height += BAND_FIXED + band_lanes(s, &bands[i]) * LANE_H;
	snprintf(label, sizeof(label), "Above 4 GiB (0x100000000-0x%llx)",
		 (unsigned long long)(top - 1));
	bands[2].title = label;
	if (!fixed_decides(s))
		bands[0].title = s->caps.fixed ? "The first MiB (0x0-0xfffff): fixed ranges "
			"disabled, the pairs decide" : "The first MiB (0x0-0xfffff): no fixed ranges, "
			"the pairs decide";
	if (standalone)
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n",
		WIDTH, height, WIDTH, height);
	fprintf(f, "<defs><pattern id=\"undefined\" width=\"8\" height=\"8\" "
		"patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
		"<rect width=\"4\" height=\"8\" fill=\"#000000\" fill-opacity=\"0.35\"/>"
		"</pattern>\n<style>\n"
		"text { fill: #222222; }\n"
		".title { font-size: 18px; font-weight: bold; }\n"
		".sub { font-size: 12px; fill: #444444; }\n"
		".band { font-size: 13px; font-weight: bold; }\n"
		".lane { font-size: 10px; fill: #333333; }\n"
		".row { font-size: 10px; fill: #777777; }\n"
		".type { font-size: 12px; font-weight: bold; fill: #ffffff; text-anchor: middle; }\n"
		".size { font-size: 10px; fill: #ffffff; text-anchor: middle; }\n"
		".bound { font-size: 10px; font-family: DejaVu Sans Mono, monospace; }\n"
		".tick { stroke: #555555; stroke-width: 1; }\n"
		".legend { font-size: 12px; }\n"
		".note { font-size: 11px; fill: #555555; }\n"
		"</style></defs>\n");
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
	snprintf(title, sizeof(title), "MTRR memory map: %s", in->name);
	fprintf(f, "<text class=\"title\" x=\"%.1f\" y=\"30\">", LEFT);
	xml_text(f, title);
	fprintf(f, "</text>\n<text class=\"sub\" x=\"%.1f\" y=\"50\">%s, MAXPHYADDR %u, %u "
		"variable pairs (%u in use), MTRRs %s, fixed ranges %s, default type %s</text>\n",
		LEFT, s->caps.vendor == MTRR_VENDOR_AMD ? "AMD" : "Intel", pb, s->caps.vcnt, lanes,
		(def & MTRR_DEF_E) ? "enabled" : "disabled (all UC)",
		!s->caps.fixed ? "absent" : fixed_decides(s) ? "enabled" : "disabled",
		mtrr_type_str((uint8_t)(def & MTRR_DEF_TYPE_MASK)));
	y = 70;
	for (i = 0; i < 3; i++)
		if (bands[i].lo < top)
			y = draw_band(f, in, g, &bands[i], bx, y);
	legend(f, s, y);
	fprintf(f, "</svg>\n");
	free(bx);
	return EXIT_OK;
}

static void
html_table(FILE *f, const struct input *in, const struct segs *g)
{
	const struct mtrr_state *s = &in->dump.state;
	char size[32], why[160];
	size_t i;

	fprintf(f, "<table>\n<tr><th>first</th><th>last</th><th>type</th><th>size</th>"
		"<th>decided by</th></tr>\n");
	for (i = 0; i < g->n; i++) {
		const struct seg *x = &g->v[i];
		fprintf(f, "<tr><td><code>");
		put_addr(f, x->start, s->caps.phys_bits);
		fprintf(f, "</code></td><td><code>");
		put_addr(f, x->end - 1, s->caps.phys_bits);
		fprintf(f, "</code></td><td><span class=\"t\" style=\"background:%s\">%s</span></td>"
			"<td class=\"n\">%s</td><td>", fill(x->type), mtrr_type_str(x->type),
			size_str(x->end - x->start, size, sizeof(size)));
		xml_text(f, seg_why(x, s, why, sizeof(why)));
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</table>\n");
}

static void
html_warnings(FILE *f, const struct input *in)
{
	struct strlist w = { NULL, 0, false };
	size_t i;

	collect_warnings(&in->dump.state, &w);
	fprintf(f, "<h2>Warnings</h2>\n<ul>\n");
	for (i = 0; i < w.n; i++) {
		fprintf(f, "<li>");
		xml_text(f, w.v[i]);
		fprintf(f, "</li>\n");
	}
	if (w.n == 0)
		fprintf(f, "<li>none</li>\n");
	fprintf(f, "</ul>\n");
	strlist_free(&w);
}

int
map_picture(const struct input *in, const char *path, bool html)
{
	struct segs g;
	FILE *f;
	int rc;

	if ((rc = segs_build(in, &g)) != EXIT_OK)
		return rc;
	if (g.n > 5000) {
		fprintf(stderr, "%s: %zu ranges are too many to draw\n", in->name, g.n);
		segs_free(&g);
		return EXIT_INPUT;
	}
	f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "mtrr: %s: cannot write: %s\n", path, strerror(errno));
		segs_free(&g);
		return EXIT_OUTPUT;
	}
	if (html) {
		fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
			"<title>MTRR memory map: ");
		xml_text(f, in->name);
		fprintf(f, "</title>\n<style>\nbody { font-family: DejaVu Sans, Verdana, sans-serif;"
			" margin: 16px; color: #222; }\ntable { border-collapse: collapse; "
			"margin-top: 12px; }\ntd, th { padding: 2px 10px; border-bottom: 1px solid "
			"#ddd; text-align: left; }\ntd.n { text-align: right; }\n.t { color: #fff; "
			"padding: 0 6px; border-radius: 3px; font-weight: bold; }\nsvg { max-width: "
			"100%%; height: auto; }\n</style>\n"
			"</head>\n<body>\n");
		rc = svg(f, in, &g, false);
		html_table(f, in, &g);
		html_warnings(f, in);
		fprintf(f, "<p>Written by mtrr %d.%d.%d from libmtrr's memory map.</p>\n"
			"</body>\n</html>\n", MTRR_VERSION_MAJOR, MTRR_VERSION_MINOR,
			MTRR_VERSION_PATCH);
	} else {
		rc = svg(f, in, &g, true);
	}
	segs_free(&g);
	if (fclose(f) != 0 && rc == EXIT_OK) {
		fprintf(stderr, "mtrr: %s: write error\n", path);
		rc = EXIT_OUTPUT;
	}
	return rc;
}
