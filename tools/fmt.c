/*
 * fmt.c — how the tool writes and reads numbers.  Addresses are hex, padded
 * to the width of the CPU's address space so columns line up; sizes are
 * exact (the largest binary unit that divides them), never rounded.
 */
#include <stdio.h>
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
	unsigned u = 0;

	while (u < 6 && bytes != 0 && (bytes & 1023u) == 0) {
		bytes >>= 10;
		u++;
	}
	snprintf(buf, n, "%llu %s", (unsigned long long)bytes, unit[u]);
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
