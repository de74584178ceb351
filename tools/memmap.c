/*
 * memmap.c — the memory map `mtrr plan` is asked to program: the firmware's
 * e820 map from a Linux boot log, or ranges a person wrote down.
 *
 *   BIOS-e820: [mem 0x0000000000100000-0x000000007aa2dfff] usable
 *       Linux >= 3.x (e820_print_map, later e820__print_table): first and
 *       last address, the type as e820_print_type() names it;
 *   BIOS-e820: 0000000000100000 - 00000000cff80000 (usable)
 *       Linux 2.6: start and end (exclusive), the type in parentheses
 *       ("type 12" without them).
 *   0x100000 0x80000000 WB
 *       START END TYPE, END exclusive, numbers as the other commands take
 *       them (0x hex, decimal, K/M/G/T); TYPE UC WC WT WP WB, or "any".
 *
 * What the e820 types mean for the MTRRs is a decision (help plan says it):
 * RAM the OS maps write-back (usable, persistent memory, soft reserved) must
 * be WB; everything else may be anything, or UC with --reserved-uc; space
 * no entry covers may be anything, or UC below the map's end with
 * --gaps-uc.  Reserved and ACPI entries hold both firmware RAM, which
 * firmware maps WB, and MMIO; the gaps hold the PCI windows.  The OS maps
 * MMIO UC through the PAT whatever the MTRR says (PAT UC or UC- over an
 * MTRR WB is UC, SDM "Effective Page-Level Memory Types"), so by default a
 * plan need not care; the options give what firmware usually programs.
 *
 * Linux prints the e820 map after sanitising it (sorted, no overlaps): an
 * overlap is a log of two boots or a hand-edited one, and an error.  Real
 * maps end entries at 0x9fc00 and the like; Linux uses only whole pages of
 * RAM (PFN_UP/PFN_DOWN), so a RAM entry is rounded inward to 4 KiB and a UC
 * one outward, with a note.  Written ranges are not rounded: a range that
 * is not 4 KiB aligned is an error, as it is for mtrr_plan.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define LINE_MAX_ 512
#define PAGE 0x1000ull

static void
note(struct memmap *m, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
note(struct memmap *m, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (m->nnotes == MEMMAP_NOTES) {
		m->notes_dropped++;
		return;
	}
	m->notes[m->nnotes].line = line;
	va_start(ap, fmt);
	vsnprintf(m->notes[m->nnotes].text, sizeof(m->notes[0].text), fmt, ap);
	va_end(ap);
	m->nnotes++;
}

static int
fail(struct memmap *m, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
fail(struct memmap *m, unsigned line, const char *fmt, ...)
{
	va_list ap;

	m->err_line = line;
	va_start(ap, fmt);
	vsnprintf(m->err, sizeof(m->err), fmt, ap);
	va_end(ap);
	return EXIT_INPUT;
}

/* The next line of text[0..len) into buf (NUL-terminated, "\r" dropped). */
static bool
next_line(const char *text, size_t len, size_t *pos, char *buf, bool *long_line)
{
	size_t n = 0;

	if (*pos >= len)
		return false;
	*long_line = false;
	while (*pos < len && text[*pos] != '\n') {
		if (n + 1 < LINE_MAX_)
			buf[n++] = text[*pos] == '\0' ? '?' : text[*pos];
		else
			*long_line = true;
		(*pos)++;
	}
	if (*pos < len)
		(*pos)++;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return true;
}

static const char *
skip_blank(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Hex digits (an optional 0x first) into *v; false without a digit or on overflow. */
static bool
hex_at(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	unsigned digits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (;; s++, digits++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			break;
		if (x >> 60)
			return false;
		x = x << 4 | d;
	}
	*p = s;
	*v = x;
	return digits > 0;
}

/*
 * An e820 type as Linux names it: the RAM kinds the OS maps write-back, or
 * anything else.  *known: a name some kernel prints.
 */
static bool
e820_is_ram(const char *what, bool *known)
{
	static const char *const other[] = { "reserved", "ACPI data", "ACPI NVS", "unusable" };
	size_t i;

	*known = true;
	if (strcmp(what, "usable") == 0 || strncmp(what, "persistent", 10) == 0 ||
	    strcmp(what, "soft reserved") == 0)
		return true;
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (strcmp(what, other[i]) == 0)
			return false;
	*known = strncmp(what, "type ", 5) == 0;
	return false;
}

/* The text after "BIOS-e820:", in either layout. */
static int
e820_line(struct memmap *m, const char *p, unsigned ln, struct memmap_entry *e)
{
	uint64_t a, b;
	const char *t;
	size_t n;

	p = skip_blank(p);
	if (strncmp(p, "[mem ", 5) == 0) {
		p += 5;
		if (!hex_at(&p, &a) || *p++ != '-' || !hex_at(&p, &b) || *p++ != ']')
			goto bad;
		if (b == UINT64_MAX)
			return fail(m, ln, "e820 entry ends at 2^64");
		b++;                    /* "[mem first-last]" */
		t = skip_blank(p);
		n = strlen(t);
	} else {
		if (!hex_at(&p, &a))
			goto bad;
		p = skip_blank(p);
		if (*p++ != '-')
			goto bad;
		p = skip_blank(p);
		if (!hex_at(&p, &b))
			goto bad;
		t = skip_blank(p);
		n = strlen(t);
		if (*t == '(') {
			const char *close = strchr(t, ')');
			if (close == NULL)
				goto bad;
			t++;
			n = (size_t)(close - t);
		}
	}
	while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
		n--;
	if (n == 0)
		goto bad;
	if (n >= sizeof(e->what))
		n = sizeof(e->what) - 1;
	memcpy(e->what, t, n);
	e->what[n] = '\0';
	e->start = a;
	e->end = b;
	e->line = ln;
	return EXIT_OK;
bad:
	return fail(m, ln, "BIOS-e820 line not understood: expected '[mem 0xFIRST-0xLAST] TYPE' "
		    "or 'START - END (TYPE)'");
}

/* Splits s at blanks into at most `max` words; returns how many there were. */
static unsigned
words(char *s, char **w, unsigned max)
{
	unsigned n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (*s == '\0')
			return n;
		if (n < max)
			w[n] = s;
		n++;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
	}
}

/* "START END TYPE", END exclusive. */
static int
range_line(struct memmap *m, char *s, unsigned ln, bool wc, struct memmap_entry *e)
{
	char *tok[3];
	int t;

	if (words(s, tok, 3) != 3)
		return fail(m, ln, "expected 'START END TYPE' (END exclusive, e.g. '0x100000 "
			    "0x80000000 WB'), or a boot log with BIOS-e820: lines");
	if (!parse_number(tok[0], &e->start))
		return fail(m, ln, "START '%s' is not a number (0x<hex> or decimal, optional "
			    "K/M/G/T)", tok[0]);
	if (!parse_number(tok[1], &e->end))
		return fail(m, ln, "END '%s' is not a number (0x<hex> or decimal, optional "
			    "K/M/G/T)", tok[1]);
	if (strcmp(tok[2], "any") == 0 || strcmp(tok[2], "ANY") == 0)
		t = MTRR_TYPE_ANY;
	else if ((t = mtrr_type_from_name(tok[2])) < 0)
		return fail(m, ln, "unknown type '%s' (UC WC WT WP WB, or any)", tok[2]);
	if (t == MTRR_TYPE_WC && !wc)
		return fail(m, ln, "WC wanted, but the CPU has no WC (--no-wc)");
	if (e->end <= e->start)
		return fail(m, ln, "empty range: END 0x%llx is not above START 0x%llx (END is "
			    "exclusive)", (unsigned long long)e->end, (unsigned long long)e->start);
	if (e->start % PAGE)
		return fail(m, ln, "START 0x%llx is not 4 KiB aligned",
			    (unsigned long long)e->start);
	if (e->end % PAGE == PAGE - 1)
		return fail(m, ln, "END 0x%llx is not 4 KiB aligned: END is exclusive (the first "
			    "address after the range), 0x%llx?", (unsigned long long)e->end,
			    (unsigned long long)e->end + 1);
	if (e->end % PAGE)
		return fail(m, ln, "END 0x%llx is not 4 KiB aligned", (unsigned long long)e->end);
	e->want = (uint8_t)t;
	e->line = ln;
	snprintf(e->what, sizeof(e->what), "%s", t == MTRR_TYPE_ANY ? "any" : tok[2]);
	return EXIT_OK;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct memmap_entry *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Appends [start, end) of `type` to the wanted map, merging with the last. */
static void
want_add(struct memmap *m, uint64_t start, uint64_t end, uint8_t type)
{
	struct mtrr_range *last = m->nwant ? &m->want[m->nwant - 1] : NULL;

	if (end <= start || type == MTRR_TYPE_ANY)
		return;
	if (last != NULL && last->type == type && start <= last->end) {
		if (end > last->end)
			last->end = end;
		return;
	}
	m->want[m->nwant].start = start;
	m->want[m->nwant].end = end;
	m->want[m->nwant].type = type;
	m->nwant++;
}

/* Sorted, no overlap, MAXPHYADDR; then the wanted map, e820 rounded to pages. */
static int
settle(struct memmap *m, const struct memmap_opts *o)
{
	uint64_t top = 0;
	unsigned bits = 0;
	size_t i;

	qsort(m->v, m->n, sizeof(*m->v), cmp_entry);
	for (i = 0; i < m->n; i++) {
		const struct memmap_entry *e = &m->v[i];
		if (i > 0 && e->start < m->v[i - 1].end)
			return fail(m, e->line, "0x%llx-0x%llx overlaps line %u's 0x%llx-0x%llx%s",
				    (unsigned long long)e->start, (unsigned long long)e->end - 1,
				    m->v[i - 1].line, (unsigned long long)m->v[i - 1].start,
				    (unsigned long long)m->v[i - 1].end - 1, m->kind == MEMMAP_E820 ?
				    " (two boots in one log? cut it to one)" : "");
		if (e->end > top)
			top = e->end;
	}
	while (bits < 64 && (bits < 36 || (bits < 52 && top > (1ull << bits))))
		bits++;
	m->phys_bits = o->phys_bits ? o->phys_bits : bits;
	m->phys_bits_inferred = o->phys_bits == 0;
	for (i = 0; i < m->n; i++) {
		const struct memmap_entry *e = &m->v[i];
		if (e->end > (1ull << m->phys_bits))
			return fail(m, e->line, "0x%llx-0x%llx ends beyond MAXPHYADDR %u (2^%u = "
				    "0x%llx)%s", (unsigned long long)e->start,
				    (unsigned long long)e->end - 1, m->phys_bits, m->phys_bits,
				    1ull << m->phys_bits, o->phys_bits ? "" : ": no x86 CPU has it");
	}
	m->want = calloc(m->n ? m->n : 1, sizeof(*m->want));
	if (m->want == NULL)
		return EXIT_OUTPUT;
	for (i = 0; i < m->n; i++) {
		const struct memmap_entry *e = &m->v[i];
		uint64_t a = e->start, b = e->end, gap = i ? m->v[i - 1].end : 0;
		if (o->gaps_uc && gap < a)      /* rounded outward, as UC entries are */
			want_add(m, gap & ~(PAGE - 1), (a + PAGE - 1) & ~(PAGE - 1), MTRR_TYPE_UC);
		if (m->kind == MEMMAP_E820 && e->want == MTRR_TYPE_WB) {
			a = (a + PAGE - 1) & ~(PAGE - 1);
			b &= ~(PAGE - 1);
		} else if (m->kind == MEMMAP_E820) {
			a &= ~(PAGE - 1);
			b = (b + PAGE - 1) & ~(PAGE - 1);
		}
		if ((a != e->start || b != e->end) && e->want != MTRR_TYPE_ANY) {
			if (b > a)
				note(m, e->line, "%s 0x%llx-0x%llx is not 4 KiB aligned: 0x%llx-0x%llx "
				     "is planned %s (%s)", e->what, (unsigned long long)e->start,
				     (unsigned long long)e->end - 1, (unsigned long long)a,
				     (unsigned long long)b - 1, mtrr_type_str(e->want),
				     e->want == MTRR_TYPE_WB ? "only whole pages of RAM are used" :
				     "rounded outward");
			else
				note(m, e->line, "%s 0x%llx-0x%llx holds no whole 4 KiB page: not "
				     "planned", e->what, (unsigned long long)e->start,
				     (unsigned long long)e->end - 1);
		}
		want_add(m, a, b, e->want);
	}
	return EXIT_OK;
}

int
memmap_read(const char *text, size_t len, const struct memmap_opts *o, struct memmap *m)
{
	char buf[LINE_MAX_];
	size_t pos = 0, cap = 0;
	unsigned ln = 0;
	bool e820 = false, block = false, long_line, known;
	int rc;

	memset(m, 0, sizeof(*m));
	while (next_line(text, len, &pos, buf, &long_line)) {
		e820 |= strstr(buf, "BIOS-e820:") != NULL;
		block |= strstr(buf, "MTRR default type:") != NULL;
	}
	if (!e820 && block)
		return fail(m, 0, "a boot log with an MTRR block but no BIOS-e820: lines: to "
			    "reprogram its MTRRs, run 'mtrr plan --from-log FILE'");
	m->kind = e820 ? MEMMAP_E820 : MEMMAP_RANGES;
	for (pos = 0; next_line(text, len, &pos, buf, &long_line);) {
		struct memmap_entry e;
		char *s = buf, *hash;

		ln++;
		memset(&e, 0, sizeof(e));
		if (e820) {
			if ((s = strstr(buf, "BIOS-e820:")) == NULL)
				continue;
			if ((rc = e820_line(m, s + 10, ln, &e)) != EXIT_OK)
				return rc;
			if (e.end <= e.start)
				return fail(m, ln, "empty e820 entry");
			if (e820_is_ram(e.what, &known))
				e.want = MTRR_TYPE_WB;
			else
				e.want = o->reserved_uc ? MTRR_TYPE_UC : MTRR_TYPE_ANY;
			if (!known)
				note(m, ln, "unknown e820 type '%s': planned as %s", e.what,
				     o->reserved_uc ? "UC, as reserved" : "any type, as reserved");
		} else {
			if ((hash = strchr(buf, '#')) != NULL)
				*hash = '\0';
			s = (char *)skip_blank(buf);
			if (*s == '\0')
				continue;
			if (long_line)
				return fail(m, ln, "line longer than %d characters", LINE_MAX_ - 1);
			if ((rc = range_line(m, s, ln, o->wc, &e)) != EXIT_OK)
				return rc;
		}
		if (m->n == cap) {
			struct memmap_entry *bigger;
			cap = cap ? 2 * cap : 64;
			bigger = realloc(m->v, cap * sizeof(*m->v));
			if (bigger == NULL)
				return EXIT_OUTPUT;
			m->v = bigger;
		}
		if (m->n == 0)
			m->first_line = ln;
		m->last_line = ln;
		m->v[m->n++] = e;
	}
	if (m->n == 0)
		return fail(m, 0, "no memory map: no BIOS-e820: lines and no 'START END TYPE' "
			    "lines");
	return settle(m, o);
}

void
memmap_free(struct memmap *m)
{
	free(m->v);
	free(m->want);
	m->v = NULL;
	m->want = NULL;
	m->n = m->nwant = 0;
}
