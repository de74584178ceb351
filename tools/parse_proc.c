/*
 * parse_proc.c — /proc/mtrr, as arch/x86/kernel/cpu/mtrr/if.c prints it:
 *
 *     reg00: base=0x000000000 (    0MB), size= 2048MB, count=1: write-back
 *     reg01: base=0x0c0000000 ( 3072MB), size=  256KB, count=1: uncachable
 *
 * and the older "reg00: base=0x00000000 (   0MB), size=1024MB: write-back,
 * count=1".  Only valid pairs are listed (size 0 is skipped by the kernel);
 * the size is 2^k bytes, in KB below 1 MB and MB from 1 MB on.  Non-root
 * readers of Linux >= 5.x see base 0, size 0 and type "?": reported as such.
 *
 * /proc/mtrr has no default type, no enable bits and no fixed ranges: parse.c
 * takes the default type from the options (UC unless --default-type) and
 * sets E (the kernel lists ranges it uses); FE stays clear.
 */
#include <stdio.h>
#include <string.h>

#include "parse_impl.h"

static bool
power_of_two(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/* "( 3072MB)": the base in MB, checked against the hex base. */
static enum mtrr_parse_error
base_mb(struct slice *t, uint64_t base, struct mtrr_dump *d, unsigned ln)
{
	uint64_t mb;
	bool over;

	if (!slice_eat(t, "("))
		return MTRR_PARSE_OK;
	slice_skip_space(t);
	if (!slice_dec(t, &mb, &over) || !slice_eat(t, "MB") || !slice_eat(t, ")"))
		return parse_fail(d, ln, "expected '(<n>MB)' after the base");
	if (over || mb != base >> 20)
		return parse_fail(d, ln, "base 0x%llx is %llu MB, the line says %llu MB",
				  (unsigned long long)base, (unsigned long long)(base >> 20),
				  (unsigned long long)mb);
	return MTRR_PARSE_OK;
}

static enum mtrr_parse_error
size_field(struct slice *t, uint64_t *size, struct mtrr_dump *d, unsigned ln)
{
	uint64_t n;
	unsigned shift;
	bool over;

	slice_skip_space(t);
	if (!slice_dec(t, &n, &over))
		return parse_fail(d, ln, "expected a decimal size after 'size='");
	if (slice_eat(t, "KB"))
		shift = 10;
	else if (slice_eat(t, "MB"))
		shift = 20;
	else if (slice_eat(t, "GB"))
		shift = 30;
	else
		return parse_fail(d, ln, "size needs a unit: KB or MB");
	if (over || n > (UINT64_MAX >> shift))
		return parse_fail(d, ln, "size does not fit in 64 bits");
	*size = n << shift;
	return MTRR_PARSE_OK;
}

/* The rest after the size: "count=N" and the type, in either order. */
static enum mtrr_parse_error
tail(struct slice t, uint32_t msr, uint8_t *type, struct mtrr_dump *d, unsigned ln)
{
	bool have_type = false;

	for (;;) {
		uint64_t count;
		bool over;

		while (t.n > 0 && (t.p[0] == ',' || t.p[0] == ':' || t.p[0] == ' ' ||
				   t.p[0] == '\t'))
			t.p++, t.n--;
		if (t.n == 0)
			break;
		if (slice_eat(&t, "count=")) {
			if (!slice_dec(&t, &count, &over))
				return parse_fail(d, ln, "expected a number after 'count='");
			continue;
		}
		if (have_type)
			return parse_fail(d, ln, "unexpected text after the type");
		if (parse_type_word(&t, d, ln, msr, type) != MTRR_PARSE_OK)
			return d->err;
		have_type = true;
	}
	if (!have_type)
		return parse_fail(d, ln, "no memory type");
	return MTRR_PARSE_OK;
}

static enum mtrr_parse_error
proc_line(struct slice t, struct raw *r, struct mtrr_dump *d, unsigned ln, bool seen[])
{
	uint64_t n, base, size = 0; /* gcc -O2 cannot see size_field set it */
	uint8_t type;
	bool over;
	struct slice rest;

	if (!slice_eat(&t, "reg") || !slice_dec(&t, &n, &over) || !slice_eat(&t, ":"))
		return parse_fail(d, ln, "expected 'regNN: base=0x... size=...' (/proc/mtrr)");
	if (over || n >= MTRR_VAR_MAX)
		return parse_fail(d, ln, "reg%llu: at most %d variable ranges exist",
				  (unsigned long long)n, MTRR_VAR_MAX);
	if (seen[n])
		return parse_fail(d, ln, "reg%02u listed twice", (unsigned)n);
	seen[n] = true;
	slice_skip_space(&t);
	if (!slice_eat(&t, "base=") || !slice_hex(&t, &base, &over) || over)
		return parse_fail(d, ln, "expected 'base=0x<hex>'");
	slice_skip_space(&t);
	if (base_mb(&t, base, d, ln) != MTRR_PARSE_OK)
		return d->err;
	while (t.n > 0 && (t.p[0] == ',' || t.p[0] == ' ' || t.p[0] == '\t'))
		t.p++, t.n--;
	if (!slice_eat(&t, "size="))
		return parse_fail(d, ln, "expected 'size=' after the base");
	if (size_field(&t, &size, d, ln) != MTRR_PARSE_OK)
		return d->err;
	rest = slice_trim(t);
	if (size == 0 && slice_find(rest, "?") >= 0)
		return parse_fail(d, ln, "size 0, type '?': /proc/mtrr was read without root "
				  "privileges, which hides the registers; read it as root");
	if (tail(rest, MTRR_MSR_PHYSBASE(n), &type, d, ln) != MTRR_PARSE_OK)
		return d->err;
	if (!power_of_two(size) || size < 0x1000u)
		return parse_fail(d, ln, "size 0x%llx: a variable range is 2^k bytes, "
				  "at least 4 KiB", (unsigned long long)size);
	if (base & 0xFFFu)
		return parse_fail(d, ln, "base 0x%llx: not 4 KiB aligned",
				  (unsigned long long)base);
	if (base > UINT64_MAX - (size - 1))
		return parse_fail(d, ln, "range beyond 2^64");
	r->addr_bits |= base | (base + (size - 1));
	if (!r->any_pair || n > r->max_pair)
		r->max_pair = (unsigned)n;
	r->any_pair = true;
	if (raw_add(r, d, MTRR_MSR_PHYSBASE(n), base | type, ln) != MTRR_PARSE_OK ||
	    raw_add(r, d, MTRR_MSR_PHYSMASK(n), 0, ln) != MTRR_PARSE_OK)
		return d->err;
	r->reg[r->n - 1].size = size;   /* the mask waits for MAXPHYADDR */
	return MTRR_PARSE_OK;
}

enum mtrr_parse_error
parse_proc_format(const char *text, size_t len, struct raw *r, struct mtrr_dump *d)
{
	bool seen[MTRR_VAR_MAX] = { false };
	struct slice line;
	size_t pos = 0;
	unsigned ln = 0;

	while (slice_next_line(text, len, &pos, &line)) {
		struct slice t = slice_trim(slice_unquote(line));

		ln++;
		if (t.n == 0 || t.p[0] == '#')
			continue;
		if (proc_line(t, r, d, ln, seen) != MTRR_PARSE_OK)
			return d->err;
	}
	r->line_count = ln;
	if (r->n == 0)
		return parse_fail(d, 0, "no 'regNN:' line (/proc/mtrr format)");
	parse_note(d, 0, "/proc/mtrr has no fixed ranges: the first MiB follows the "
		   "variable ranges");
	return MTRR_PARSE_OK;
}
