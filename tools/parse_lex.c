/*
 * parse_lex.c — byte-slice tokens for the dump parser.  Everything works
 * on (pointer, length) views of the caller's buffer: the input has no NUL
 * terminator and may contain NUL bytes, so no str* function reads it.
 */
#include <stdio.h>
#include <string.h>

#include "parse_impl.h"

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

bool
slice_next_line(const char *text, size_t len, size_t *pos, struct slice *line)
{
	const char *nl;
	size_t start = *pos;

	if (start >= len)
		return false;
	nl = memchr(text + start, '\n', len - start);
	line->p = text + start;
	line->n = nl ? (size_t)(nl - (text + start)) : len - start;
	*pos = start + line->n + (nl ? 1 : 0);
	if (line->n > 0 && line->p[line->n - 1] == '\r')
		line->n--;
	return true;
}

void
slice_skip_space(struct slice *s)
{
	while (s->n > 0 && is_space((unsigned char)s->p[0])) {
		s->p++;
		s->n--;
	}
}

struct slice
slice_trim(struct slice s)
{
	slice_skip_space(&s);
	while (s.n > 0 && is_space((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

bool
slice_eat(struct slice *s, const char *lit)
{
	size_t n = strlen(lit), i;

	if (s->n < n)
		return false;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)s->p[i]) != lower((unsigned char)lit[i]))
			return false;
	s->p += n;
	s->n -= n;
	return true;
}

bool
slice_is(struct slice s, const char *lit)
{
	return slice_eat(&s, lit) && s.n == 0;
}

long
slice_find(struct slice s, const char *lit)
{
	size_t n = strlen(lit), i;

	if (n == 0 || s.n < n)
		return n == 0 ? 0 : -1;
	for (i = 0; i + n <= s.n; i++)
		if (s.p[i] == lit[0] && memcmp(s.p + i, lit, n) == 0)
			return (long)i;
	return -1;
}

struct slice
slice_word(struct slice *s, const char *stops)
{
	struct slice w;

	slice_skip_space(s);
	w.p = s->p;
	w.n = 0;
	while (w.n < s->n && !is_space((unsigned char)s->p[w.n]) &&
	       (s->p[w.n] == '\0' || strchr(stops, s->p[w.n]) == NULL))
		w.n++;
	s->p += w.n;
	s->n -= w.n;
	return w;
}

const char *
slice_show(struct slice s, char *buf, size_t size)
{
	size_t i, n = s.n < 32 ? s.n : 32;

	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++)
		buf[i] = (s.p[i] >= 0x20 && s.p[i] < 0x7f) ? s.p[i] : '?';
	buf[n] = '\0';
	return buf;
}

static int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool
slice_hex(struct slice *s, uint64_t *v, bool *overflow)
{
	struct slice t = *s;
	uint64_t x = 0;
	size_t digits = 0;
	int d;

	*overflow = false;
	if (t.n > 2 && t.p[0] == '0' && lower((unsigned char)t.p[1]) == 'x' &&
	    hex_digit((unsigned char)t.p[2]) >= 0) {
		t.p += 2;
		t.n -= 2;
	}
	while (t.n > 0 && (d = hex_digit((unsigned char)t.p[0])) >= 0) {
		if (x >> 60)
			*overflow = true;
		x = (x << 4) | (uint64_t)d;
		t.p++;
		t.n--;
		digits++;
	}
	if (digits == 0)
		return false;
	*v = x;
	*s = t;
	return true;
}

bool
slice_dec(struct slice *s, uint64_t *v, bool *overflow)
{
	struct slice t = *s;
	uint64_t x = 0;
	size_t digits = 0;

	*overflow = false;
	while (t.n > 0 && t.p[0] >= '0' && t.p[0] <= '9') {
		uint64_t d = (uint64_t)(t.p[0] - '0');
		if (x > (UINT64_MAX - d) / 10)
			*overflow = true;
		x = x * 10 + d;
		t.p++;
		t.n--;
		digits++;
	}
	if (digits == 0)
		return false;
	*v = x;
	*s = t;
	return true;
}

static const struct {
	const char *name;
	uint8_t type;
} type_names[] = {
	{ "uncachable", MTRR_TYPE_UC },         /* Linux's spelling */
	{ "uncacheable", MTRR_TYPE_UC },
	{ "write-combining", MTRR_TYPE_WC },
	{ "write-through", MTRR_TYPE_WT },
	{ "write-protect", MTRR_TYPE_WP },      /* Linux's spelling */
	{ "write-protected", MTRR_TYPE_WP },
	{ "write-back", MTRR_TYPE_WB },
	{ "UC", MTRR_TYPE_UC },
	{ "WC", MTRR_TYPE_WC },
	{ "WT", MTRR_TYPE_WT },
	{ "WP", MTRR_TYPE_WP },
	{ "WB", MTRR_TYPE_WB },
};

int
type_from_name(struct slice w)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (slice_is(w, type_names[i].name))
			return type_names[i].type;
	return -1;
}

int
mtrr_type_from_name(const char *name)
{
	struct slice w;

	w.p = name;
	w.n = strlen(name);
	return type_from_name(w);
}

const char *
type_linux_name(uint8_t t)
{
	switch (t) {
	case MTRR_TYPE_UC: return "uncachable";
	case MTRR_TYPE_WC: return "write-combining";
	case MTRR_TYPE_WT: return "write-through";
	case MTRR_TYPE_WP: return "write-protect";
	case MTRR_TYPE_WB: return "write-back";
	default: return "?";
	}
}

struct slice
slice_unquote(struct slice line)
{
	for (;;) {
		slice_skip_space(&line);
		if (line.n == 0 || line.p[0] != '>')
			return line;
		line.p++;
		line.n--;
	}
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Consumes n digits. */
static bool
eat_digits(struct slice *s, size_t n)
{
	size_t i;

	if (s->n < n)
		return false;
	for (i = 0; i < n; i++)
		if (!is_digit((unsigned char)s->p[i]))
			return false;
	s->p += n;
	s->n -= n;
	return true;
}

/* Consumes any number of digits (at least one). */
static bool
eat_number(struct slice *s)
{
	size_t i = 0;

	while (i < s->n && is_digit((unsigned char)s->p[i]))
		i++;
	s->p += i;
	s->n -= i;
	return i > 0;
}

/*
 * "2024-03-14T09:12:03,123456+01:00 " (dmesg --time-format iso: a comma
 * before the fraction) or "2024-03-14T09:12:03.123456+0100 " (journalctl -o
 * short-iso[-precise], RFC 3339 syslog: a host and a tag follow).  *comma
 * tells which.
 */
static bool
eat_iso_time(struct slice *s, bool *comma)
{
	struct slice t = *s;

	if (!eat_digits(&t, 4) || !slice_eat(&t, "-") || !eat_digits(&t, 2) ||
	    !slice_eat(&t, "-") || !eat_digits(&t, 2) ||
	    !(slice_eat(&t, "T") || slice_eat(&t, " ")) || !eat_digits(&t, 2) ||
	    !slice_eat(&t, ":") || !eat_digits(&t, 2) || !slice_eat(&t, ":") ||
	    !eat_digits(&t, 2))
		return false;
	*comma = slice_eat(&t, ",");
	if (*comma || slice_eat(&t, "."))
		eat_number(&t);
	if (slice_eat(&t, "+") || slice_eat(&t, "-")) {
		eat_digits(&t, 2);
		slice_eat(&t, ":");
		eat_digits(&t, 2);
	} else {
		slice_eat(&t, "Z");
	}
	if (!slice_eat(&t, " "))
		return false;
	*s = t;
	return true;
}

/* "Mar 14 09:12:03 " (syslog, journalctl -o short), ".123456" allowed. */
static bool
eat_bsd_time(struct slice *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct slice t = *s;
	size_t m;

	if (t.n < 4)
		return false;
	for (m = 0; m < 12; m++)
		if (memcmp(t.p, months + 3 * m, 3) == 0)
			break;
	if (m == 12 || t.p[3] != ' ')
		return false;
	t.p += 4;
	t.n -= 4;
	slice_skip_space(&t);
	if (!eat_number(&t) || !slice_eat(&t, " ") || !eat_digits(&t, 2) ||
	    !slice_eat(&t, ":") || !eat_digits(&t, 2) || !slice_eat(&t, ":") ||
	    !eat_digits(&t, 2))
		return false;
	if (slice_eat(&t, "."))
		eat_number(&t);
	if (!slice_eat(&t, " "))
		return false;
	*s = t;
	return true;
}

/*
 * A syslog or journal header: a timestamp, a host name and a tag
 * ("kernel:", "systemd[1]:").  On success *tag is the tag without ':'.
 */
static bool
eat_syslog(struct slice *s, struct slice *tag)
{
	struct slice t = *s, host;
	size_t i;
	bool comma = false;

	if (!eat_bsd_time(&t) && (!eat_iso_time(&t, &comma) || comma))
		return false;
	host = slice_word(&t, "");
	if (host.n == 0 || t.n == 0 || t.p[0] != ' ')
		return false;
	slice_skip_space(&t);
	for (i = 0; i < t.n && i < 64 && t.p[i] != ':' && t.p[i] != ' '; i++)
		;
	if (i == 0 || i == t.n || t.p[i] != ':')
		return false;
	tag->p = t.p;
	tag->n = i;
	t.p += i + 1;
	t.n -= i + 1;
	slice_eat(&t, " ");
	*s = t;
	return true;
}

/* "[    0.000000] ", "[Mon Jan  1 00:00:00 2024] ": a bracket within 64 bytes. */
static bool
eat_bracket(struct slice *s)
{
	size_t i;

	if (s->n == 0 || s->p[0] != '[')
		return false;
	for (i = 1; i < s->n && i < 64; i++) {
		if (s->p[i] == ']') {
			s->p += i + 1;
			s->n -= i + 1;
			if (s->n > 0 && s->p[0] == ' ')
				slice_eat(s, " ");
			return true;
		}
	}
	return false;
}

/* "<6>": a printk level as dmesg -r prints it. */
static bool
eat_level(struct slice *s)
{
	size_t i;

	if (s->n < 3 || s->p[0] != '<')
		return false;
	for (i = 1; i < s->n && i < 8 && s->p[i] >= '0' && s->p[i] <= '9'; i++)
		;
	if (i == 1 || i >= s->n || s->p[i] != '>')
		return false;
	s->p += i + 1;
	s->n -= i + 1;
	return true;
}

/* "kern  :info  : " as dmesg -x prints it: word, colon, word, colon. */
static bool
eat_facility(struct slice *s)
{
	struct slice t = *s;
	int colons = 0;

	while (colons < 2) {
		size_t i = 0;
		while (i < t.n && t.p[i] >= 'a' && t.p[i] <= 'z')
			i++;
		if (i == 0 || i > 8)
			return false;
		t.p += i;
		t.n -= i;
		slice_skip_space(&t);
		if (!slice_eat(&t, ":"))
			return false;
		colons++;
	}
	if (!slice_eat(&t, " "))
		return false;
	*s = t;
	return true;
}

void
log_line_split(struct slice line, struct log_line *out)
{
	struct slice tag;
	long k;
	int round;
	bool comma;

	memset(out, 0, sizeof(*out));
	line = slice_unquote(line);
	if (eat_syslog(&line, &tag)) {
		out->prefixed = true;
		if (!slice_is(tag, "kernel")) {
			out->other_program = true;
			out->program = tag;
		}
	} else if ((k = slice_find(line, "kernel: ")) >= 0 && k < 160) {
		/* other syslog/journal layouts: "... host kernel: message" */
		line.p += k + 8;
		line.n -= (size_t)k + 8;
		out->prefixed = true;
	}
	for (round = 0; round < 6; round++) {
		if (slice_eat(&line, "(XEN) ")) {
			out->xen = true;
		} else if (!(eat_level(&line) || eat_bracket(&line) || eat_facility(&line) ||
			     eat_iso_time(&line, &comma))) {
			break;
		}
		out->prefixed = true;
	}
	out->msg = line;
}

struct slice
strip_log_prefix(struct slice line)
{
	struct log_line l;

	log_line_split(line, &l);
	return l.msg;
}

/* Messages of early boot that print no "subsystem:" tag. */
static const char *const untagged[] = {
	"Linux version ", "last_pfn = ", "x86 PAT enabled", "original variable MTRRs",
	"New variable MTRRs", "total RAM covered", "Found optimal setting",
	"gran_size", "reg ", "e820 ", "BIOS-e820", "BIOS-provided", "NX (Execute",
	"DMI ", "Command line", "Kernel command line", "Hypervisor detected",
	"Initial low memory", "Xen version", "Using ", "found SMP", "Zone ranges",
	"Early memory", "Movable zone", "On node", "Memory: ", "Freeing ",
	"Booting ", "Calibrating ", "Disabled fast string", "CPU ",
	"-- Boot ", "-- Logs begin", "-- Journal begins", "-- No entries",
};

bool
foreign_message(const struct log_line *l, char *why, size_t size)
{
	struct slice m = slice_trim(l->msg);
	char show[40];
	size_t i;

	if (l->other_program) {
		snprintf(why, size, "a line of %s",
			 slice_show(l->program, show, sizeof(show)));
		return true;
	}
	for (i = 0; i < sizeof(untagged) / sizeof(untagged[0]); i++) {
		struct slice t = m, head;
		if (slice_eat(&t, untagged[i])) {
			head.p = m.p;
			head.n = strlen(untagged[i]);
			snprintf(why, size, "a '%s' kernel message",
				 slice_show(slice_trim(head), show, sizeof(show)));
			return true;
		}
	}
	/* "subsystem: text" ("x86/PAT: ...", "e820: ...", "ACPI: ..."): a tag
	   of letters, digits and _./- that starts with a letter */
	if (m.n == 0 || !((m.p[0] >= 'a' && m.p[0] <= 'z') || (m.p[0] >= 'A' && m.p[0] <= 'Z')))
		return false;
	for (i = 1; i < m.n && i < 32; i++) {
		char c = m.p[i];
		if (c == ':') {
			struct slice tag = { m.p, i };
			if (slice_is(tag, "MTRR") || slice_is(tag, "TOM2"))
				return false;
			snprintf(why, size, "a '%s:' kernel message",
				 slice_show(tag, show, sizeof(show)));
			return true;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit((unsigned char)c) ||
		      c == '_' || c == '.' || c == '/' || c == '-'))
			return false;
	}
	return false;
}

bool
is_mtrr_msr(uint32_t msr)
{
	if (msr >= MTRR_MSR_PHYSBASE0 && msr < MTRR_MSR_PHYSBASE(MTRR_VAR_MAX))
		return true;
	switch (msr) {
	case MTRR_MSR_CAP:
	case MTRR_MSR_DEF_TYPE:
	case MTRR_MSR_FIX64K_00000:
	case MTRR_MSR_FIX16K_80000:
	case MTRR_MSR_FIX16K_A0000:
	case MTRR_MSR_SMRR_PHYSBASE:
	case MTRR_MSR_SMRR_PHYSMASK:
		return true;
	default:
		return (msr >= MTRR_MSR_FIX4K_C0000 && msr <= MTRR_MSR_FIX4K_F8000) ||
		       is_amd_msr(msr);
	}
}

bool
is_amd_msr(uint32_t msr)
{
	return msr == MTRR_MSR_SYSCFG || msr == MTRR_MSR_TOP_MEM || msr == MTRR_MSR_TOP_MEM2 ||
	       (msr >= MTRR_MSR_IORR_BASE(0) && msr <= MTRR_MSR_IORR_MASK(1));
}
