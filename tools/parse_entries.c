/*
 * parse_entries.c — the lines of a boot log's MTRR block, one reader each
 * (the layouts and where they come from: parse_dmesg.c).  A reader either
 * understands its whole line or fails with the line number and a reason a
 * person can act on; nothing is silently dropped.
 */
#include <stdio.h>
#include <string.h>

#include "parse_block.h"

/* Size of the fixed-range piece that ends at `b` (or starts at it, below). */
static uint32_t
piece_below(uint32_t b)
{
	return b <= 0x80000u ? 0x10000u : b <= 0xC0000u ? 0x4000u : 0x1000u;
}

static unsigned
piece_index(uint32_t a)
{
	if (a < 0x80000u)
		return a / 0x10000u;
	if (a < 0xC0000u)
		return 8 + (a - 0x80000u) / 0x4000u;
	return 24 + (a - 0xC0000u) / 0x1000u;
}

/* The end of an entry: nothing but blanks. */
enum mtrr_parse_error
entry_end(struct slice t, struct mtrr_dump *d, unsigned ln, const char *what)
{
	char show[40];

	t = slice_trim(t);
	if (t.n != 0)
		return parse_fail(d, ln, "unexpected '%s' after the %s", slice_show(t, show,
				  sizeof(show)), what);
	return MTRR_PARSE_OK;
}

/* "00000-9FFFF write-back" or "MTRR 00000-0FFFF write-back". */
enum mtrr_parse_error
fixed_entry(struct reader *x, struct slice t, unsigned ln)
{
	struct block *b = &x->b;
	struct mtrr_dump *d = x->d;
	uint64_t start, end;
	uint32_t a;
	uint8_t type;
	bool o1, o2;

	slice_eat(&t, "MTRR ");
	if (!slice_hex(&t, &start, &o1) || !slice_eat(&t, "-") || !slice_hex(&t, &end, &o2) ||
	    t.n == 0 || !is_blank((unsigned char)t.p[0]))
		return parse_fail(d, ln, "fixed range not understood: expected 'START-END TYPE' "
				  "in hex, as '00000-9FFFF write-back'");
	if (o1 || o2 || start != b->fixed_next)
		return parse_fail(d, ln, "fixed range starts at 0x%llX, expected 0x%05X "
				  "(runs follow each other from 00000)",
				  (unsigned long long)start, (unsigned)b->fixed_next);
	if (end < start || end >= MTRR_FIXED_END)
		return parse_fail(d, ln, "fixed range ends at 0x%llX: outside 00000-FFFFF",
				  (unsigned long long)end);
	if ((end + 1) % piece_below((uint32_t)end + 1) != 0)
		return parse_fail(d, ln, "fixed range ends at 0x%05llX: not on a %u KiB "
				  "fixed-range boundary", (unsigned long long)end,
				  (unsigned)piece_below((uint32_t)end + 1) / 1024u);
	slice_skip_space(&t);
	if (t.n == 0)
		return parse_fail(d, ln, "fixed range 0x%05llX-0x%05llX has no memory type (is "
				  "the line wrapped?)", (unsigned long long)start,
				  (unsigned long long)end);
	if (parse_type_word(&t, d, ln, MTRR_MSR_FIX64K_00000, &type) != MTRR_PARSE_OK)
		return d->err;
	if (entry_end(t, d, ln, "type") != MTRR_PARSE_OK)
		return d->err;
	for (a = (uint32_t)start; a <= end; a += piece_below(a + 1)) {
		b->fixed[piece_index(a)] = type;
		x->r->fixed_line[piece_index(a)] = ln;
	}
	b->fixed_next = (uint32_t)end + 1;
	return MTRR_PARSE_OK;
}

/* A hex address that the kernel printed with bits 11:0 as "000". */
static enum mtrr_parse_error
page_hex(struct slice *t, uint64_t *v, struct mtrr_dump *d, unsigned ln, unsigned n,
	 const char *what)
{
	bool o;

	slice_skip_space(t);
	if (!slice_hex(t, v, &o))
		return parse_fail(d, ln, "variable range %u: no %s (hex) where expected", n, what);
	if (o)
		return parse_fail(d, ln, "variable range %u: the %s does not fit in 64 bits", n,
				  what);
	return MTRR_PARSE_OK;
}

/*
 * "0 base 0080000000 mask 7F80000000 uncachable", "0 disabled",
 * "0 [0080000000-00FFFFFFFF] mask 7F80000000 uncachable", each with an
 * optional "MTRR " in front.
 */
enum mtrr_parse_error
var_entry(struct reader *x, struct slice t, unsigned ln)
{
	struct block *b = &x->b;
	struct mtrr_dump *d = x->d;
	uint64_t n64, base = 0, mask = 0, last = 0;
	struct slice num;
	unsigned n;
	uint8_t type = 0;
	bool o, valid = true;
	char show[40];

	slice_eat(&t, "MTRR ");
	num = t;
	slice_dec(&t, &n64, &o);
	num.n = (size_t)(t.p - num.p);
	if (o || n64 != b->nvar)
		return parse_fail(d, ln, "expected variable range %u, got %s", b->nvar,
				  slice_show(num, show, sizeof(show)));
	n = (unsigned)n64;
	if (n >= MTRR_VAR_MAX)
		return parse_fail(d, ln, "more than %d variable ranges", MTRR_VAR_MAX);
	slice_skip_space(&t);
	if (slice_eat(&t, "disabled")) {
		valid = false;
	} else if (slice_eat(&t, "base") && t.n > 0 && is_blank((unsigned char)t.p[0])) {
		if (page_hex(&t, &base, d, ln, n, "base") != MTRR_PARSE_OK)
			return d->err;
		slice_skip_space(&t);
		if (!slice_eat(&t, "mask"))
			return parse_fail(d, ln, "variable range %u: no 'mask' after the base", n);
		if (page_hex(&t, &mask, d, ln, n, "mask") != MTRR_PARSE_OK)
			return d->err;
	} else if (slice_eat(&t, "[")) {
		if (page_hex(&t, &base, d, ln, n, "first address") != MTRR_PARSE_OK)
			return d->err;
		if (!slice_eat(&t, "-") || page_hex(&t, &last, d, ln, n, "last address") !=
		    MTRR_PARSE_OK || !slice_eat(&t, "]"))
			return d->err ? d->err : parse_fail(d, ln, "variable range %u: expected "
							    "'[FIRST-LAST]'", n);
		slice_skip_space(&t);
		if (!slice_eat(&t, "mask"))
			return parse_fail(d, ln, "variable range %u: no 'mask' after the range", n);
		if (page_hex(&t, &mask, d, ln, n, "mask") != MTRR_PARSE_OK)
			return d->err;
		if (mask != 0 && (mask & 0xFFFu) == 0 &&
		    (last < base || last - base != (mask & (~mask + 1)) - 1))
			return parse_fail(d, ln, "variable range %u: [0x%llX-0x%llX] is not the "
					  "block mask 0x%llX selects", n, (unsigned long long)base,
					  (unsigned long long)last, (unsigned long long)mask);
	} else {
		return parse_fail(d, ln, "variable range %u not understood: expected 'base ... "
				  "mask ... TYPE' or 'disabled', got '%s'", n,
				  slice_show(t, show, sizeof(show)));
	}
	if (valid) {
		if ((base | mask) & 0xFFFu)
			return parse_fail(d, ln, "variable range %u: base and mask must end in 000 "
					  "(bits 11:0 are not printed)", n);
		slice_skip_space(&t);
		if (t.n == 0)
			return parse_fail(d, ln, "variable range %u has no memory type (is the "
					  "line wrapped?)", n);
		if (parse_type_word(&t, d, ln, MTRR_MSR_PHYSBASE(n), &type) != MTRR_PARSE_OK)
			return d->err;
		b->base[n] = base | type;
		b->mask[n] = mask | MTRR_PHYSMASK_V;
		b->line[n] = ln;
	}
	if (entry_end(t, d, ln, valid ? "type" : "'disabled'") != MTRR_PARSE_OK)
		return d->err;
	b->nvar++;
	return MTRR_PARSE_OK;
}

/*
 * "TOM2: 0000000420000000 aka 16896M" (Linux, printed only when SYSCFG has
 * MtrrTom2En and Tom2ForceMemTypeWB), "TOM2: 000420000000 (WB)" (Xen,
 * printed with MtrrTom2En, "(WB)" when Tom2ForceMemTypeWB is set too).
 */
enum mtrr_parse_error
tom2_line(struct reader *x, struct slice t, unsigned ln)
{
	struct mtrr_dump *d = x->d;
	uint64_t v, mb;
	bool o;

	slice_eat(&t, "TOM2:");
	slice_skip_space(&t);
	if (!slice_hex(&t, &v, &o) || o)
		return parse_fail(d, ln, "TOM2 line not understood: expected 'TOM2: <hex>'");
	t = slice_trim(t);
	if (slice_eat(&t, "aka")) {
		slice_skip_space(&t);
		if (!slice_dec(&t, &mb, &o) || !slice_eat(&t, "M") || o)
			return parse_fail(d, ln, "TOM2 line not understood: expected 'aka <n>M'");
		if (mb != v >> 20)
			return parse_fail(d, ln, "TOM2 0x%llx is %llu MiB, the line says %lluM",
					  (unsigned long long)v, (unsigned long long)(v >> 20),
					  (unsigned long long)mb);
		d->tom2_says_wb = true;         /* Linux prints the line only then */
	} else if (slice_eat(&t, "(WB)")) {
		d->tom2_says_wb = true;         /* Xen: Tom2ForceMemTypeWB is set */
	}                                       /* Xen without "(WB)": MtrrTom2En only */
	if (entry_end(t, d, ln, "TOM2 value") != MTRR_PARSE_OK)
		return d->err;
	d->has_tom2 = true;
	d->tom2 = v;
	d->tom2_line = ln;
	return MTRR_PARSE_OK;
}

/* "MTRR map: 4 entries (3 fixed + 1 variable; max 23), built from 10 variable MTRRs". */
enum mtrr_parse_error
map_header(struct reader *x, struct slice t, unsigned ln)
{
	struct mtrr_dump *d = x->d;
	uint64_t n, pairs;
	bool o;
	long k;

	if (d->linux_map_line)
		return parse_fail(d, ln, "a second 'MTRR map' (the first is at line %u): cut "
				  "the log to one boot", d->linux_map_line);
	slice_skip_space(&t);
	if (!slice_dec(&t, &n, &o) || o || !slice_eat(&t, " entries") || n > 100000)
		return parse_fail(d, ln, "'MTRR map:' line not understood: expected 'MTRR map: "
				  "N entries ...'");
	d->linux_map_line = ln;
	d->linux_map_expected = (unsigned)n;
	d->log.summary_line = ln;
	d->log.summary_entries = (unsigned)n;
	if ((k = slice_find(t, "built from ")) >= 0) {
		t.p += k + 11;
		t.n -= (size_t)k + 11;
		if (slice_dec(&t, &pairs, &o) && !o && pairs < 1000)
			d->log.summary_pairs = (unsigned)pairs;
	}
	x->b.map_count = 0;
	return MTRR_PARSE_OK;
}

/* "%3u: %016llx-%016llx %s": Linux's own map, kept to compare with ours. */
enum mtrr_parse_error
map_entry(struct reader *x, struct slice t, unsigned ln)
{
	struct mtrr_dump *d = x->d;
	uint64_t i, start, end;
	uint8_t type;
	bool o1, o2, o3;

	if (!slice_dec(&t, &i, &o1) || !slice_eat(&t, ":"))
		return parse_fail(d, ln, "Linux's map entry not understood");
	if (o1 || i != x->b.map_count)
		return parse_fail(d, ln, "expected entry %u of Linux's map", x->b.map_count);
	slice_skip_space(&t);
	if (!slice_hex(&t, &start, &o2) || !slice_eat(&t, "-") || !slice_hex(&t, &end, &o3) ||
	    o2 || o3 || t.n == 0 || !is_blank((unsigned char)t.p[0]))
		return parse_fail(d, ln, "Linux's map entry %u: expected 'FIRST-LAST TYPE' in hex",
				  x->b.map_count);
	if (end < start || end == UINT64_MAX)
		return parse_fail(d, ln, "Linux's map entry %u: 0x%llx-0x%llx is not a range",
				  x->b.map_count, (unsigned long long)start,
				  (unsigned long long)end);
	slice_skip_space(&t);
	if (parse_type_word(&t, d, ln, MTRR_MSR_DEF_TYPE, &type) != MTRR_PARSE_OK)
		return d->err;
	if (entry_end(t, d, ln, "type") != MTRR_PARSE_OK)
		return d->err;
	if (d->linux_map_n < MTRR_PARSE_LINUX_MAP) {
		d->linux_map[d->linux_map_n].start = start;
		d->linux_map[d->linux_map_n].end = end + 1;
		d->linux_map[d->linux_map_n].type = type;
		d->linux_map_n++;
	}
	x->b.map_count++;
	return MTRR_PARSE_OK;
}

/* "enabled:" or "disabled:" after a section header. */
enum mtrr_parse_error
enabled_word(struct slice t, bool *en, struct mtrr_dump *d, unsigned ln)
{
	t = slice_trim(t);
	if (slice_is(t, "enabled:"))
		*en = true;
	else if (slice_is(t, "disabled:"))
		*en = false;
	else
		return parse_fail(d, ln, "expected 'enabled:' or 'disabled:' after the header");
	return MTRR_PARSE_OK;
}

