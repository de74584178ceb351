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

#endif
