/*
 * parse_dmesg.c — the MTRR block of a Linux (or Xen) boot log, as printed
 * by print_mtrr_state() in arch/x86/kernel/cpu/mtrr/generic.c:
 *
 *     MTRR default type: uncachable
 *     MTRR fixed ranges enabled:
 *       00000-9FFFF write-back
 *       A0000-BFFFF uncachable
 *     MTRR variable ranges enabled:
 *       0 base 000000000 mask F80000000 write-back
 *       1 disabled
 *     TOM2: 0000000420000000 aka 16896M
 *
 * What the kernel source says, and what this reader relies on:
 *   - base and mask are printed as "%0*X%05X000" of (hi, lo >> 12): the
 *     register value with bits 11:0 dropped, i.e. the physical address
 *     bits.  The padding of the high part depends on the kernel: older
 *     ones derive it from the CPU's pfn mask (9 digits at MAXPHYADDR 36,
 *     10 at 39/40, 12 at 48), the 2023 rework from x86_phys_bits (12 at
 *     36, 13 at 39/40).  So the width is never used: the digits are.
 *   - PHYSMASK.V is not printed; a "base ... mask" line means V = 1 and
 *     "N disabled" means V = 0.  The type is base bits 7:0; "?" means an
 *     invalid type.
 *   - one line per pair n < VCNT: their count is VCNT.
 *   - the fixed block is printed iff MTRRCAP.FIX, as merged runs
 *     "start-end type" (end inclusive) covering 00000-FFFFF.
 *   - "fixed ranges enabled" is FE (older kernels) or E && FE (newer);
 *     "variable ranges enabled" is E.
 *   - Linux >= 6.5 prints the block only with mtrr=debug, followed by
 *     "MTRR map: ..." and entries "%3u: %016llx-%016llx %s" of its own map.
 * Xen prints the same block (lower-case hex, "(XEN) " prefix).
 */
#include <stdio.h>
#include <string.h>

#include "parse_impl.h"

/* What an entry reader answers. */
enum { ENTRY_OK = 0, NOT_ENTRY = 1, ENTRY_ERR = -1 };
#define ENTRY_FAIL(...) ((void)parse_fail(__VA_ARGS__), ENTRY_ERR)

enum section { S_NONE, S_FIXED, S_VAR, S_MAP };

struct block {
	enum section sec;
	unsigned def_line;              /* 0: no "MTRR default type" yet */
	uint8_t def_type;
	unsigned fixed_line;            /* 0: no fixed header */
	bool fixed_en;
	uint32_t fixed_next;            /* where the next fixed run must start */
	uint8_t fixed[MTRR_FIXED_MSRS * 8];
	unsigned var_line;              /* 0: no variable header */
	bool var_en;
	unsigned nvar;
	uint64_t base[MTRR_VAR_MAX], mask[MTRR_VAR_MAX];
	unsigned line[MTRR_VAR_MAX];    /* 0: pair disabled */
};

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


static int
fixed_entry(struct block *b, struct slice t, struct raw *r, struct mtrr_dump *d, unsigned ln)
{
	uint64_t start, end;
	uint32_t a;
	uint8_t type;
	bool o1, o2;

	slice_eat(&t, "MTRR ");         /* early 2.6 kernels: "MTRR 00000-0FFFF ..." */
	if (!slice_hex(&t, &start, &o1) || !slice_eat(&t, "-") || !slice_hex(&t, &end, &o2) ||
	    t.n == 0 || (t.p[0] != ' ' && t.p[0] != '\t'))
		return NOT_ENTRY;      /* the block ends */
	if (o1 || o2 || start != b->fixed_next)
		return ENTRY_FAIL(d, ln, "fixed range starts at 0x%llX, expected 0x%05X "
				  "(runs follow each other from 00000)",
				  (unsigned long long)start, (unsigned)b->fixed_next);
	if (end < start || end >= MTRR_FIXED_END)
		return ENTRY_FAIL(d, ln, "fixed range ends at 0x%llX: outside 00000-FFFFF",
				  (unsigned long long)end);
	if ((end + 1) % piece_below((uint32_t)end + 1) != 0)
		return ENTRY_FAIL(d, ln, "fixed range ends at 0x%05llX: not on a %u KiB "
				  "fixed-range boundary", (unsigned long long)end,
				  (unsigned)piece_below((uint32_t)end + 1) / 1024u);
	slice_skip_space(&t);
	if (parse_type_word(&t, d, ln, MTRR_MSR_FIX64K_00000, &type) != MTRR_PARSE_OK)
		return ENTRY_ERR;
	if (slice_trim(t).n != 0)
		return ENTRY_FAIL(d, ln, "unexpected text after the type");
	for (a = (uint32_t)start; a <= end; a += piece_below(a + 1)) {
		b->fixed[piece_index(a)] = type;
		r->fixed_line[piece_index(a)] = ln;
	}
	b->fixed_next = (uint32_t)end + 1;
	return ENTRY_OK;
}

static int
var_entry(struct block *b, struct slice t, struct mtrr_dump *d, unsigned ln)
{
	uint64_t n, base, mask;
	uint8_t type;
	bool o1, o2, o3;

	if (!slice_dec(&t, &n, &o1) || t.n == 0 || (t.p[0] != ' ' && t.p[0] != '\t'))
		return NOT_ENTRY;
	slice_skip_space(&t);
	if (slice_is(slice_trim(t), "disabled")) {
		base = mask = 0;
		type = 0;
	} else if (slice_eat(&t, "base ")) {
		slice_skip_space(&t);
		if (!slice_hex(&t, &base, &o2))
			return ENTRY_FAIL(d, ln, "variable range %llu: no base address",
					  (unsigned long long)n);
		slice_skip_space(&t);
		if (!slice_eat(&t, "mask "))
			return ENTRY_FAIL(d, ln, "variable range %llu: no mask",
					  (unsigned long long)n);
		slice_skip_space(&t);
		if (!slice_hex(&t, &mask, &o3))
			return ENTRY_FAIL(d, ln, "variable range %llu: no mask value",
					  (unsigned long long)n);
		if (o2 || o3)
			return ENTRY_FAIL(d, ln, "variable range %llu: address does not fit "
					  "in 64 bits", (unsigned long long)n);
		if ((base | mask) & 0xFFFu)
			return ENTRY_FAIL(d, ln, "variable range %llu: base and mask must end "
					  "in 000 (bits 11:0 are not printed)", (unsigned long long)n);
		slice_skip_space(&t);
		if (parse_type_word(&t, d, ln, MTRR_MSR_PHYSBASE(n < MTRR_VAR_MAX ? n : 0), &type)
		    != MTRR_PARSE_OK)
			return ENTRY_ERR;
		if (slice_trim(t).n != 0)
			return ENTRY_FAIL(d, ln, "unexpected text after the type");
	} else {
		return NOT_ENTRY;
	}
	if (o1 || n != b->nvar)
		return ENTRY_FAIL(d, ln, "expected variable range %u, got %llu", b->nvar,
				  (unsigned long long)n);
	if (n >= MTRR_VAR_MAX)
		return ENTRY_FAIL(d, ln, "more than %d variable ranges", MTRR_VAR_MAX);
	if (base | mask) {
		b->base[n] = base | type;
		b->mask[n] = mask | MTRR_PHYSMASK_V;
		b->line[n] = ln;
	}
	b->nvar++;
	return ENTRY_OK;
}

/* "%3u: %016llx-%016llx %s": Linux's own map, kept to compare with ours. */
static int
map_entry(struct slice t, struct mtrr_dump *d)
{
	uint64_t n, start, end;
	uint8_t type;
	bool o1, o2, o3;
	int ty;

	if (!slice_dec(&t, &n, &o1) || !slice_eat(&t, ":"))
		return NOT_ENTRY;
	slice_skip_space(&t);
	if (!slice_hex(&t, &start, &o2) || !slice_eat(&t, "-") || !slice_hex(&t, &end, &o3) ||
	    o2 || o3 || end < start || end == UINT64_MAX)
		return NOT_ENTRY;
	ty = type_from_name(slice_trim(t));
	if (ty < 0)
		return NOT_ENTRY;
	type = (uint8_t)ty;
	if (d->linux_map_n == MTRR_PARSE_LINUX_MAP) {
		d->linux_map_truncated = true;
		return ENTRY_OK;
	}
	d->linux_map[d->linux_map_n].start = start;
	d->linux_map[d->linux_map_n].end = end + 1;
	d->linux_map[d->linux_map_n].type = type;
	d->linux_map_n++;
	return ENTRY_OK;
}

static enum mtrr_parse_error
fixed_done(struct block *b, struct mtrr_dump *d)
{
	if (b->fixed_line && b->fixed_next != MTRR_FIXED_END)
		return parse_fail(d, b->fixed_line, "the fixed ranges stop at 0x%05X, "
				  "before 0xFFFFF: the block is cut", (unsigned)b->fixed_next);
	return MTRR_PARSE_OK;
}

/* A header line; *handled false when the line is none. */
static enum mtrr_parse_error
header(struct block *b, struct slice m, struct mtrr_dump *d, unsigned ln, bool *handled)
{
	long k;

	*handled = true;
	if ((k = slice_find(m, "MTRR default type:")) >= 0) {
		if (b->def_line)
			return parse_fail(d, ln, "a second MTRR block (the first starts at "
					  "line %u): cut the log to one boot", b->def_line);
		m.p += k + 18;
		m.n -= (size_t)k + 18;
		slice_skip_space(&m);
		if (parse_type_word(&m, d, ln, MTRR_MSR_DEF_TYPE, &b->def_type) != MTRR_PARSE_OK)
			return d->err;
		b->def_line = ln;
		b->sec = S_NONE;
	} else if ((k = slice_find(m, "MTRR fixed ranges ")) >= 0) {
		m.p += k + 18;
		m.n -= (size_t)k + 18;
		if (!b->def_line || b->fixed_line || b->var_line)
			return parse_fail(d, ln, "'MTRR fixed ranges' out of place: not right "
					  "after 'MTRR default type'");
		b->fixed_en = slice_eat(&m, "enabled");
		b->fixed_line = ln;
		b->sec = S_FIXED;
	} else if ((k = slice_find(m, "MTRR variable ranges ")) >= 0) {
		m.p += k + 21;
		m.n -= (size_t)k + 21;
		if (!b->def_line || b->var_line)
			return parse_fail(d, ln, "'MTRR variable ranges' out of place: not "
					  "after 'MTRR default type'");
		if (fixed_done(b, d) != MTRR_PARSE_OK)
			return d->err;
		b->var_en = slice_eat(&m, "enabled");
		b->var_line = ln;
		b->sec = S_VAR;
	} else if ((k = slice_find(m, "MTRR map: ")) >= 0) {
		b->sec = S_MAP;
	} else {
		*handled = false;
	}
	return MTRR_PARSE_OK;
}

static void
tom2_line(struct slice m, struct mtrr_dump *d, unsigned ln)
{
	uint64_t v;
	bool over;

	slice_eat(&m, "TOM2:");
	slice_skip_space(&m);
	if (!slice_hex(&m, &v, &over) || over)
		return;
	d->has_tom2 = true;
	d->tom2 = v;
	parse_note(d, ln, "TOM2 = 0x%llx: with SYSCFG.Tom2ForceMemTypeWB the default type "
		   "of [4 GiB, TOM2) is WB; libmtrr does not model SYSCFG, so this dump "
		   "uses DEF_TYPE there", (unsigned long long)v);
}

static enum mtrr_parse_error
to_raw(struct block *b, struct raw *r, struct mtrr_dump *d)
{
	uint64_t def = b->def_type;
	unsigned i, j;

	if (!b->def_line)
		return parse_fail(d, 0, "no Linux MTRR block ('MTRR default type: ...') found");
	if (!b->var_line)
		return parse_fail(d, b->def_line, "the MTRR block has no 'MTRR variable "
				  "ranges' line: the log is cut");
	if (b->fixed_en)
		def |= MTRR_DEF_FE;
	if (b->var_en)
		def |= MTRR_DEF_E;
	if (raw_add(r, d, MTRR_MSR_DEF_TYPE, def, b->def_line) != MTRR_PARSE_OK)
		return d->err;
	for (i = 0; b->fixed_line && i < MTRR_FIXED_MSRS; i++) {
		static const uint32_t msr[MTRR_FIXED_MSRS] = {
			MTRR_MSR_FIX64K_00000, MTRR_MSR_FIX16K_80000, MTRR_MSR_FIX16K_A0000,
			MTRR_MSR_FIX4K_C0000, MTRR_MSR_FIX4K_C8000, MTRR_MSR_FIX4K_D0000,
			MTRR_MSR_FIX4K_D8000, MTRR_MSR_FIX4K_E0000, MTRR_MSR_FIX4K_E8000,
			MTRR_MSR_FIX4K_F0000, MTRR_MSR_FIX4K_F8000,
		};
		uint64_t v = 0;
		for (j = 0; j < 8; j++)
			v |= (uint64_t)b->fixed[i * 8 + j] << (8 * j);
		if (raw_add(r, d, msr[i], v, r->fixed_line[i * 8]) != MTRR_PARSE_OK)
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
	return MTRR_PARSE_OK;
}

enum mtrr_parse_error
parse_dmesg_format(const char *text, size_t len, struct raw *r, struct mtrr_dump *d)
{
	struct block b;
	struct slice line;
	size_t pos = 0;
	unsigned ln = 0;

	memset(&b, 0, sizeof(b));
	while (slice_next_line(text, len, &pos, &line)) {
		struct slice m = strip_log_prefix(line), t;
		int e = NOT_ENTRY;
		bool handled;

		ln++;
		if (header(&b, m, d, ln, &handled) != MTRR_PARSE_OK)
			return d->err;
		if (handled)
			continue;
		t = slice_trim(m);
		if (slice_eat(&t, "TOM2:")) {
			tom2_line(m, d, ln);
			continue;
		}
		switch (b.sec) {
		case S_FIXED: e = fixed_entry(&b, t, r, d, ln); break;
		case S_VAR: e = var_entry(&b, t, d, ln); break;
		case S_MAP: e = map_entry(t, d); break;
		default: break;
		}
		if (e == NOT_ENTRY) {
			/* Not an entry: the section is over, the line is not ours. */
			if (b.sec == S_FIXED && fixed_done(&b, d) != MTRR_PARSE_OK)
				return d->err;
			b.sec = S_NONE;
		} else if (e != ENTRY_OK) {
			return d->err;
		}
	}
	r->line_count = ln;
	if (fixed_done(&b, d) != MTRR_PARSE_OK)
		return d->err;
	return to_raw(&b, r, d);
}
