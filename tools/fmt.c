/*
 * fmt.c — how the tool writes and reads numbers.  Addresses are hex, padded
 * to the width of the CPU's address space so columns line up; sizes are
 * in the largest binary unit they reach, with two decimals when not whole.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

int
addr_digits(unsigned phys_bits)
{
	return (int)((phys_bits + 3) / 4);
}

void
put_addr(FILE *f, uint64_t a, unsigned phys_bits)
{
	fprintf(f, "0x%0*llx", addr_digits(phys_bits), (unsigned long long)a);
}

void
put_range(FILE *f, uint64_t start, uint64_t end, unsigned phys_bits)
{
	put_addr(f, start, phys_bits);
	fputc('-', f);
	put_addr(f, end - 1, phys_bits);
}

const char *
size_str(uint64_t bytes, char *buf, size_t n)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	uint64_t scale = 1, whole, rem, cents;
	unsigned u = 0;

	while (u < 6 && bytes / scale >= 1024) {
		scale <<= 10;
		u++;
	}
	whole = bytes / scale;
	rem = bytes % scale;
	if (rem == 0) {
		snprintf(buf, n, "%llu %s", (unsigned long long)whole, unit[u]);
		return buf;
	}
	/* hundredths, rounded down: a size is never overstated */
	cents = scale > (1ull << 50) ? (rem >> 20) * 100 / (scale >> 20) : rem * 100 / scale;
	snprintf(buf, n, "%llu.%02llu %s", (unsigned long long)whole, (unsigned long long)cents,
		 unit[u]);
	return buf;
}

bool
parse_number(const char *s, uint64_t *v)
{
	uint64_t x = 0;
	unsigned shift = 0, base = 10, digits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++, digits++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			break;
		if (x > (UINT64_MAX - d) / base)
			return false;
		x = x * base + d;
	}
	if (digits == 0)
		return false;
	if (*s != '\0') {
		static const char units[] = "KMGTP";   /* 2^10 .. 2^50 */
		int c = (*s >= 'a' && *s <= 'z') ? *s - 'a' + 'A' : *s;
		const char *u = strchr(units, c);
		if (c == '\0' || u == NULL || s[1] != '\0')
			return false;
		shift = 10u * (unsigned)(u - units + 1);
	}
	if (shift && x > (UINT64_MAX >> shift))
		return false;
	*v = x << shift;
	return true;
}

void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void
json_hex(FILE *f, uint64_t v)
{
	fprintf(f, "\"0x%llx\"", (unsigned long long)v);
}

void
strlist_add(struct strlist *l, const char *fmt, ...)
{
	char buf[512], **bigger, *copy;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	bigger = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	copy = malloc(strlen(buf) + 1);
	if (bigger == NULL || copy == NULL) {
		if (bigger != NULL)
			l->v = bigger;
		free(copy);
		l->oom = true;
		return;
	}
	memcpy(copy, buf, strlen(buf) + 1);
	l->v = bigger;
	l->v[l->n++] = copy;
}

void
strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
