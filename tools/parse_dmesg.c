/*
 * parse_dmesg.c — the MTRR block of a Linux or Xen boot log.
 *
 * The layouts, as the print functions of arch/x86/kernel/cpu/mtrr/generic.c
 * (Linux) and xen/arch/x86/cpu/mtrr/generic.c (Xen) wrote them:
 *
 *   Linux 2.6.20 to 2.6.25, only when booted with mtrr.show:
 *       MTRR default type: uncachable
 *       MTRR fixed ranges enabled:                 (FE)
 *       MTRR 00000-0FFFF write-back                one line per fixed piece (88)
 *       MTRR variable ranges enabled:              (E)
 *       MTRR 0 base 0000000000 mask F800000000 write-back
 *       MTRR 1 disabled
 *       TOM2: 0000000420000000 aka 16896M          (AMD, 2.6.25)
 *   Linux 2.6.26 or so to 6.4, at every boot as a debug-level message (the
 *   file defined DEBUG; without it, only through dynamic debug):
 *       MTRR default type: uncachable
 *       MTRR fixed ranges enabled:                 (FE; E && FE from 4.2)
 *         00000-9FFFF write-back                   runs of one type merged
 *       MTRR variable ranges enabled:
 *         0 base 0000000000 mask 7F80000000 write-back
 *         1 disabled
 *       TOM2: 0000000420000000 aka 16896M
 *   Linux >= 6.5, only when booted with mtrr=debug: the same block, then
 *   Linux's own map (the summary line is printed at every boot):
 *       MTRR map: 4 entries (3 fixed + 1 variable; max 23), built from 10 variable MTRRs
 *         0: 0000000000000000-000000000009ffff write-back
 *   Xen (mtrr.show, or when the CPUs disagree): the merged layout with
 *   lower-case hex, "TOM2: %012x" plus " (WB)" when SYSCFG forces WB.
 *   Pasted logs also carry "  0 [00E0000000-00FFFFFFFF] mask FFE0000000
 *   uncachable" (first-last address and mask); we found no kernel that
 *   prints it, but its meaning is unambiguous and it is checked.
 *
 * Facts the reader relies on:
 *   - base and mask are printed as "%0*X%05X000" of (hi, lo >> 12): the
 *     register without bits 11:0.  The padding depends on the kernel (the
 *     pfn mask before 2023, x86_phys_bits after), so only the digits count.
 *   - PHYSMASK.V is not printed: "base ... mask" means V = 1, "N disabled"
 *     V = 0.  The type is base bits 7:0; "?" means an invalid type.
 *   - one line per pair n < VCNT, so their count is VCNT; the fixed block
 *     is printed iff MTRRCAP.FIX and covers 00000-FFFFF.
 *
 * Never silently wrong: once "MTRR default type" starts a block, every line
 * up to its end is either understood, or a message the log interleaved
 * (another subsystem, another program: skipped with a note), or an error
 * with its line.  Where the block ends is decided by looking ahead: the
 * variable section ends at the first line after which no variable line
 * follows within LOOKAHEAD lines.
 */
#include <stdio.h>
#include <string.h>

#include "parse_block.h"

#define LOOKAHEAD 16

enum kind {
	K_OTHER, K_EMPTY, K_DEFTYPE, K_FIXED_HDR, K_VAR_HDR, K_MAP_HDR, K_TOM2,
	K_TOM, K_FIXED, K_VAR, K_MAP
};

/* A line of the log, classified. */
struct cline {
	enum kind kind;
	struct log_line l;
	struct slice rest;      /* headers: the text after the marker; else the
				   trimmed entry */
	size_t offset;          /* headers: where the marker is in the message */
};

/* What an entry line is, from its first tokens only. */
static enum kind
entry_kind(struct slice t)
{
	struct slice u = t;
	uint64_t v;
	bool o;

	if (t.n == 0)
		return K_EMPTY;
	if (slice_eat(&u, "TOM2:"))
		return K_TOM2;
	u = t;
	if (slice_eat(&u, "TOM:"))
		return K_TOM;   /* arch/x86/pci/amd_bus.c: "TOM: ... aka ...M", its own TOM2 next */
	u = t;
	slice_eat(&u, "MTRR ");
	if (slice_hex(&u, &v, &o) && u.n > 1 && u.p[0] == '-' && is_hex((unsigned char)u.p[1]))
		return K_FIXED;
	u = t;
	if (slice_dec(&u, &v, &o) && u.n > 0 && u.p[0] == ':')
		return K_MAP;
	u = t;
	slice_eat(&u, "MTRR ");
	if (slice_dec(&u, &v, &o) && u.n > 0 && is_blank((unsigned char)u.p[0]))
		return K_VAR;
	return K_OTHER;
}

static void
classify(struct slice raw, size_t prefix_len, struct cline *c)
{
	static const struct {
		const char *marker;
		enum kind kind;
	} headers[] = {
		{ "MTRR default type:", K_DEFTYPE },
		{ "MTRR fixed ranges ", K_FIXED_HDR },
		{ "MTRR variable ranges ", K_VAR_HDR },
		{ "MTRR map: ", K_MAP_HDR },
	};
	struct slice m;
	size_t i;
	long k;

	log_line_split(raw, &c->l);
	m = c->l.msg;
	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		if ((k = slice_find(m, headers[i].marker)) >= 0) {
			c->kind = headers[i].kind;
			c->offset = (size_t)k;
			c->rest.p = m.p + k + strlen(headers[i].marker);
			c->rest.n = m.n - (size_t)k - strlen(headers[i].marker);
			return;
		}
	}
	c->offset = 0;
	c->rest = slice_trim(m);
	c->kind = entry_kind(c->rest);
	if (c->kind == K_OTHER && prefix_len > 0 && m.n > prefix_len) {
		/* the prefix the header line had, which we do not know */
		struct slice t = { m.p + prefix_len, m.n - prefix_len };
		enum kind k2 = entry_kind(slice_trim(t));
		if (k2 != K_OTHER && k2 != K_EMPTY) {
			c->kind = k2;
			c->rest = slice_trim(t);
		}
	}
}

/* Which kernel wrote the log, whether it was asked for the MTRRs. */
static void
log_facts(const struct cline *c, struct mtrr_dump *d, unsigned ln)
{
	struct mtrr_log_info *li = &d->log;
	struct slice m = slice_trim(c->l.msg), w;
	uint64_t v;
	bool o;

	if (c->l.prefixed)
		li->is_log = true;
	if (c->l.xen)
		li->xen = li->is_log = true;
	if (slice_eat(&m, "Xen version ")) {
		li->xen = li->is_log = true;
	} else if (slice_eat(&m, "Linux version ") && li->version_line == 0) {
		li->is_log = true;
		li->version_line = ln;
		w = slice_word(&m, "");
		slice_show(w, li->version, sizeof(li->version));
		if (slice_dec(&w, &v, &o) && !o && v < 1000) {
			li->major = (unsigned)v;
			if (slice_eat(&w, ".") && slice_dec(&w, &v, &o) && !o && v < 1000)
				li->minor = (unsigned)v;
		}
	} else if (slice_find(m, "ommand line:") >= 0 && slice_find(m, "mtrr=debug") >= 0) {
		li->mtrr_debug = true;
	}
}

/*
 * Whether the section in progress goes on after the line ending at `pos`:
 * the line number of the next line that belongs to it, within LOOKAHEAD
 * lines and before any other header, else 0.
 */
static unsigned
goes_on(const struct reader *x, size_t pos, unsigned ln)
{
	struct slice line;
	struct cline c;
	unsigned i;

	for (i = 1; i <= LOOKAHEAD && slice_next_line(x->text, x->len, &pos, &line); i++) {
		classify(line, x->b.prefix_len, &c);
		switch (x->b.st) {
		case ST_DEF:
		case ST_AFTER_FIXED:
			if (c.kind == K_VAR_HDR || (c.kind == K_FIXED_HDR && x->b.st == ST_DEF))
				return ln + i;
			if (c.kind == K_DEFTYPE || c.kind == K_MAP_HDR || c.kind == K_FIXED_HDR)
				return 0;
			break;
		case ST_FIXED:
			if (c.kind == K_FIXED || c.kind == K_VAR_HDR)
				return ln + i;
			if (c.kind == K_DEFTYPE || c.kind == K_MAP_HDR || c.kind == K_FIXED_HDR)
				return 0;
			break;
		case ST_VAR:
			if (c.kind == K_VAR || c.kind == K_TOM2)
				return ln + i;
			if (c.kind != K_OTHER && c.kind != K_EMPTY && c.kind != K_FIXED &&
			    c.kind != K_MAP)
				return 0;
			break;
		case ST_MAP:
			if (c.kind == K_MAP)
				return ln + i;
			if (c.kind != K_OTHER && c.kind != K_EMPTY && c.kind != K_FIXED &&
			    c.kind != K_VAR)
				return 0;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

static enum mtrr_parse_error
fixed_cut(struct reader *x, unsigned at)
{
	return parse_fail(x->d, x->b.fixed_line, "the fixed ranges stop at 0x%05X, before "
			  "0xFFFFF (line %u goes on with something else): the block is cut",
			  (unsigned)x->b.fixed_next, at);
}

static enum mtrr_parse_error
block_cut(struct reader *x, unsigned at)
{
	if (at == 0)
		return parse_fail(x->d, x->b.def_line, "the MTRR block that starts here has no "
				  "'MTRR variable ranges' line: the log is cut");
	return parse_fail(x->d, x->b.def_line, "the MTRR block that starts here stops at line "
			  "%u without its 'MTRR variable ranges' line: the log is cut", at);
}

static void
map_stops(struct reader *x, unsigned at)
{
	struct mtrr_dump *d = x->d;

	if (x->b.map_count > 0)
		parse_note(d, at, "Linux's map stops after %u of its %u entries: it is not "
			   "compared", x->b.map_count, d->linux_map_expected);
	else if (x->b.def_line)
		parse_note(d, d->linux_map_line, "Linux's map has no entry lines: it is not "
			   "compared");
	x->b.st = x->b.map_return;
}

/* A line that is no part of the section in progress. */
static enum mtrr_parse_error
other_line(struct reader *x, const struct cline *c, size_t pos, unsigned ln)
{
	struct mtrr_dump *d = x->d;
	unsigned next;
	char why[80], show[40];

	if (x->b.st == ST_OUT || x->b.st == ST_AFTER || c->kind == K_EMPTY)
		return MTRR_PARSE_OK;
	next = goes_on(x, pos, ln);
	if (next == 0) {
		switch (x->b.st) {
		case ST_DEF:
		case ST_AFTER_FIXED:
			return block_cut(x, ln);
		case ST_FIXED:
			return fixed_cut(x, ln);
		case ST_VAR:
			x->b.st = ST_AFTER;     /* the block ended on the line before */
			return MTRR_PARSE_OK;
		default:
			map_stops(x, ln);
			return MTRR_PARSE_OK;
		}
	}
	if (foreign_message(&c->l, why, sizeof(why))) {
		parse_note(d, ln, "skipped %s inside the MTRR block (the block goes on at line %u)",
			   why, next);
		d->skipped++;
		return MTRR_PARSE_OK;
	}
	return parse_fail(d, ln, "not an MTRR line, inside the MTRR block (which goes on at "
			  "line %u): '%s'", next, slice_show(slice_trim(c->l.msg), show,
			  sizeof(show)));
}

static enum mtrr_parse_error
header_line(struct reader *x, const struct cline *c, unsigned ln)
{
	struct block *b = &x->b;
	struct mtrr_dump *d = x->d;
	struct slice t = c->rest;

	switch (c->kind) {
	case K_DEFTYPE:
		if (b->def_line)
			return parse_fail(d, ln, "a second MTRR block (the first starts at line %u): "
					  "cut the log to one boot", b->def_line);
		slice_skip_space(&t);
		if (parse_type_word(&t, d, ln, MTRR_MSR_DEF_TYPE, &b->def_type) != MTRR_PARSE_OK ||
		    entry_end(t, d, ln, "default type") != MTRR_PARSE_OK)
			return d->err;
		b->def_line = d->block_line = ln;
		b->prefix_len = c->offset;
		b->st = ST_DEF;
		return MTRR_PARSE_OK;
	case K_FIXED_HDR:
		if (b->st != ST_DEF)
			return parse_fail(d, ln, "'MTRR fixed ranges' out of place: not right after "
					  "'MTRR default type'");
		if (enabled_word(t, &b->fixed_en, d, ln) != MTRR_PARSE_OK)
			return d->err;
		b->fixed_line = ln;
		b->fixed_next = 0;
		b->st = ST_FIXED;
		return MTRR_PARSE_OK;
	case K_VAR_HDR:
		if (b->st == ST_FIXED)
			return fixed_cut(x, ln);
		if (b->st != ST_DEF && b->st != ST_AFTER_FIXED)
			return parse_fail(d, ln, "'MTRR variable ranges' out of place: not after "
					  "'MTRR default type'%s", b->var_line ? " and the fixed "
					  "ranges (a second block?)" : "");
		if (enabled_word(t, &b->var_en, d, ln) != MTRR_PARSE_OK)
			return d->err;
		b->var_line = ln;
		b->st = ST_VAR;
		return MTRR_PARSE_OK;
	default: /* K_MAP_HDR */
		if (b->st == ST_DEF || b->st == ST_AFTER_FIXED)
			return block_cut(x, ln);
		if (b->st == ST_FIXED)
			return fixed_cut(x, ln);
		if (map_header(x, t, ln) != MTRR_PARSE_OK)
			return d->err;
		b->map_return = b->def_line ? ST_AFTER : ST_OUT;
		b->st = ST_MAP;
		if (d->linux_map_expected == 0)
			b->st = b->map_return;
		return MTRR_PARSE_OK;
	}
}

static enum mtrr_parse_error
one_line(struct reader *x, const struct cline *c, size_t pos, unsigned ln)
{
	struct block *b = &x->b;

	switch (c->kind) {
	case K_DEFTYPE:
	case K_FIXED_HDR:
	case K_VAR_HDR:
	case K_MAP_HDR:
		return header_line(x, c, ln);
	case K_TOM2:
		/*
		 * The block's TOM2 line follows its variable ranges.  Older
		 * kernels print a second pair, "TOM: ..." then "TOM2: ...",
		 * from arch/x86/pci/amd_bus.c, later in the boot and whenever
		 * MtrrTom2En is set, Tom2ForceMemTypeWB or not: a TOM2 line
		 * after a TOM line is that one, never the block's.
		 */
		if ((b->st == ST_VAR || b->st == ST_AFTER) && !x->d->has_tom2 && !b->tom_seen) {
			b->st = ST_AFTER;
			return tom2_line(x, c->rest, ln);
		}
		if (b->tom_seen && !x->d->has_tom2 && b->def_line)
			parse_note(x->d, ln, "a TOM2 line after amd_bus's TOM line: not the MTRR "
				   "block's (it does not say Tom2ForceMemTypeWB), not used");
		break;
	case K_TOM:
		b->tom_seen = true;
		if (b->st == ST_VAR) {
			b->st = ST_AFTER;       /* amd_bus prints after the block */
			return MTRR_PARSE_OK;
		}
		break;
	case K_FIXED:
		if (b->st == ST_FIXED) {
			if (fixed_entry(x, c->rest, ln) != MTRR_PARSE_OK)
				return x->d->err;
			if (b->fixed_next == MTRR_FIXED_END)
				b->st = ST_AFTER_FIXED;
			return MTRR_PARSE_OK;
		}
		break;
	case K_VAR:
		if (b->st == ST_VAR)
			return var_entry(x, c->rest, ln);
		break;
	case K_MAP:
		if (b->st == ST_MAP) {
			if (map_entry(x, c->rest, ln) != MTRR_PARSE_OK)
				return x->d->err;
			if (b->map_count == x->d->linux_map_expected)
				b->st = b->map_return;
			return MTRR_PARSE_OK;
		}
		break;
	default:
		break;
	}
	return other_line(x, c, pos, ln);
}

static const uint32_t fixed_msr[MTRR_FIXED_MSRS] = {
	MTRR_MSR_FIX64K_00000, MTRR_MSR_FIX16K_80000, MTRR_MSR_FIX16K_A0000,
	MTRR_MSR_FIX4K_C0000, MTRR_MSR_FIX4K_C8000, MTRR_MSR_FIX4K_D0000,
	MTRR_MSR_FIX4K_D8000, MTRR_MSR_FIX4K_E0000, MTRR_MSR_FIX4K_E8000,
	MTRR_MSR_FIX4K_F0000, MTRR_MSR_FIX4K_F8000,
};

/* Why the log has no block, in one line (the tool adds what to run). */
static enum mtrr_parse_error
no_block(struct mtrr_dump *d)
{
	const struct mtrr_log_info *li = &d->log;

	d->err = MTRR_PARSE_NO_BLOCK;
	d->err_line = 0;
	if (li->summary_line && li->version[0])
		snprintf(d->err_text, sizeof(d->err_text), "no MTRR block: this Linux %s boot log "
			 "has only the summary 'MTRR map: %u entries' (line %u)", li->version,
			 li->summary_entries, li->summary_line);
	else if (li->summary_line)
		snprintf(d->err_text, sizeof(d->err_text), "no MTRR block: this Linux boot log "
			 "has only the summary 'MTRR map: %u entries' (line %u)",
			 li->summary_entries, li->summary_line);
	else if (li->version[0])
		snprintf(d->err_text, sizeof(d->err_text), "no MTRR block in this Linux %s boot "
			 "log (line %u)", li->version, li->version_line);
	else if (li->xen)
		snprintf(d->err_text, sizeof(d->err_text), "no MTRR block in this Xen boot log");
	else if (li->is_log)
		snprintf(d->err_text, sizeof(d->err_text), "no MTRR block in this kernel log");
	else
		snprintf(d->err_text, sizeof(d->err_text), "no Linux MTRR block ('MTRR default "
			 "type: ...') found");
	return d->err;
}

static enum mtrr_parse_error
to_raw(struct block *b, struct raw *r, struct mtrr_dump *d)
{
	uint64_t def = b->def_type;
	unsigned i, j;

	if (!b->def_line)
		return no_block(d);
	if (b->fixed_en)
		def |= MTRR_DEF_FE;
	if (b->var_en)
		def |= MTRR_DEF_E;
	if (raw_add(r, d, MTRR_MSR_DEF_TYPE, def, b->def_line) != MTRR_PARSE_OK)
		return d->err;
	r->def_given = true;
	for (i = 0; b->fixed_line && i < MTRR_FIXED_MSRS; i++) {
		uint64_t v = 0;
		for (j = 0; j < 8; j++)
			v |= (uint64_t)b->fixed[i * 8 + j] << (8 * j);
		if (raw_add(r, d, fixed_msr[i], v, r->fixed_line[i * 8]) != MTRR_PARSE_OK)
			return d->err;
	}
	for (i = 0; i < b->nvar; i++) {
		if (!b->line[i])
			continue;
		if (raw_add(r, d, MTRR_MSR_PHYSBASE(i), b->base[i], b->line[i]) != MTRR_PARSE_OK ||
		    raw_add(r, d, MTRR_MSR_PHYSMASK(i), b->mask[i], b->line[i]) != MTRR_PARSE_OK)
			return d->err;
	}
	r->vcnt_known = true;
	r->vcnt = b->nvar;
	r->fixed_known = true;
	r->fixed = b->fixed_line != 0;
	d->linux_map_complete = d->linux_map_line && d->linux_map_n == d->linux_map_expected;
	if (d->linux_map_line && d->linux_map_expected > MTRR_PARSE_LINUX_MAP)
		parse_note(d, d->linux_map_line, "Linux's map has %u entries, more than the %d "
			   "kept: it is not compared", d->linux_map_expected, MTRR_PARSE_LINUX_MAP);
	return MTRR_PARSE_OK;
}

enum mtrr_parse_error
parse_dmesg_format(const char *text, size_t len, struct raw *r, struct mtrr_dump *d)
{
	struct reader x;
	struct slice line;
	struct cline c;
	size_t pos = 0;
	unsigned ln = 0;

	memset(&x, 0, sizeof(x));
	x.text = text;
	x.len = len;
	x.r = r;
	x.d = d;
	while (slice_next_line(text, len, &pos, &line)) {
		ln++;
		classify(line, x.b.prefix_len, &c);
		log_facts(&c, d, ln);
		if (one_line(&x, &c, pos, ln) != MTRR_PARSE_OK)
			return d->err;
	}
	r->line_count = ln;
	switch (x.b.st) {
	case ST_DEF:
	case ST_AFTER_FIXED:
		return block_cut(&x, 0);
	case ST_FIXED:
		return parse_fail(d, x.b.fixed_line, "the fixed ranges stop at 0x%05X, before "
				  "0xFFFFF: the log is cut", (unsigned)x.b.fixed_next);
	case ST_MAP:
		map_stops(&x, ln);
		break;
	default:
		break;
	}
	return to_raw(&x.b, r, d);
}
