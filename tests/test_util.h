/*
 * test_util.h — small helpers shared by the cmocka programs.
 */
#ifndef MTRR_TEST_UTIL_H
#define MTRR_TEST_UTIL_H

#include <stdbool.h>
#include <string.h>

#include "mtrr.h"

/* Caps with every field set, padding zeroed, overlap policy UC. */
static inline struct mtrr_caps
caps_of(unsigned vcnt, bool fixed, bool wc, bool smrr, unsigned phys_bits,
	enum mtrr_vendor vendor)
{
	struct mtrr_caps c;

	memset(&c, 0, sizeof(c));
	c.vcnt = vcnt;
	c.fixed = fixed;
	c.wc = wc;
	c.smrr = smrr;
	c.phys_bits = phys_bits;
	c.vendor = vendor;
	return c;
}

/* splitmix64 on a caller's state: reproducible from the seed. */
static inline uint64_t
test_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* IA32_MTRR_FIX*: fixed-range MSR i (0..10) in state order. */
static inline uint32_t
test_fixed_msr(unsigned i)
{
	return i == 0 ? 0x250u : i < 3 ? 0x257u + i : 0x265u + i;
}

#endif
