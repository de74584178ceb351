/*
 * parse_lex.c — byte-slice tokens for the dump parser.  Everything works
 * on (pointer, length) views of the caller's buffer: the input has no NUL
 * terminator and may contain NUL bytes, so no str* function reads it.
 */
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

struct slice
strip_log_prefix(struct slice line)
{
	long k = slice_find(line, "kernel: ");
	int round;

	/* syslog and journalctl: "Jan 01 00:00:00 host kernel: message" */
	if (k >= 0 && k < 160) {
		line.p += k + 8;
		line.n -= (size_t)k + 8;
	}
	for (round = 0; round < 4; round++) {
		if (eat_level(&line) || eat_bracket(&line) || eat_facility(&line) ||
		    slice_eat(&line, "(XEN) "))
			continue;
		break;
	}
	return line;
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
		return msr >= MTRR_MSR_FIX4K_C0000 && msr <= MTRR_MSR_FIX4K_F8000;
	}
}
