/*
 * route.c — where an access goes on AMD: DRAM or memory-mapped I/O.
 *
 * The mechanisms are the APM's (Vol. 2, "Memory-Mapped I/O": "Extended
 * Fixed-Range MTRR Type-Field Encodings", "IORRs", "IORR Overlapping", "Top
 * of Memory"; the enables in "System Configuration Register (SYSCFG)"); their
 * ranking is the one AMD's BIOS and Kernel Developer's Guides give under
 * "Determining The Access Destination for Core Accesses".  route() below is
 * that list, highest first, and mtrr.h says it in words.
 *
 * mtrr_route_next walks from one "edge" to the next: a point where one input
 * of route() changes (the end of a fixed-range unit, TOP_MEM, 4 GiB,
 * TOP_MEM2, the edge of an IORR's matching blocks).  Between two edges the
 * destination is constant, so the first edge where it differs is exactly
 * where it changes.  Edges are cheap to find, IORR ones included (next_match
 * below), but a non-contiguous IORR mask has a strided set of them, so the
 * walk takes at most ROUTE_STEPS of them per call.
 */
#include "check.h"

#define ROUTE_STEPS 256u        /* edges one mtrr_route_next call may pass */

/* The fixed-range byte over addr < 1 MiB, and in *end the end of its range. */
static uint8_t
fixed_byte(const struct mtrr_state *s, uint64_t addr, uint64_t *end)
{
	unsigned msr, byte, shift;

	if (addr < 0x80000) {                   /* FIX64K_00000: 8 x 64 KiB */
		msr = 0;
		shift = 16;
	} else if (addr < 0xC0000) {            /* FIX16K_80000/_A0000: 16 x 16 KiB */
		msr = 1 + (unsigned)((addr - 0x80000) >> 17);
		shift = 14;
	} else {                                /* FIX4K_C0000.._F8000: 64 x 4 KiB */
		msr = 3 + (unsigned)((addr - 0xC0000) >> 15);
		shift = 12;
	}
	byte = (unsigned)((addr >> shift) & 7u);
	*end = ((addr >> shift) + 1) << shift;
	return (uint8_t)(s->fixed[msr] >> (8 * byte));
}

/* Is IORR pair n valid and does it match addr (bits MAXPHYADDR-1:12)? */
static bool
iorr_matches(const struct mtrr_state *s, unsigned n, uint64_t addr)
{
	uint64_t mask = s->iorr[n].mask & MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);

	return (s->iorr[n].mask & MTRR_IORR_V) && ((addr ^ s->iorr[n].base) & mask) == 0;
}

/*
 * The destination of `addr` (< 2^phys_bits) on AMD caps whose TOP_MEM,
 * TOP_MEM2 and IORR images are sound; MTRR_DEST_INVALID only for a corrupt
 * fixed-range byte it answers with.  `bit` is RdMem or WrMem: both sit at
 * the same place in a fixed-range byte and in IORRBase.
 */
static enum mtrr_dest
route(const struct mtrr_state *s, uint64_t addr, uint64_t bit)
{
	uint64_t cfg = s->syscfg, end;
	unsigned n, hits = 0, dram = 0;
	uint8_t b;

	/* 1. Below 1 MiB with MtrrFixDramEn: the fixed range's RdMem/WrMem. */
	if (addr < MTRR_FIXED_END && s->caps.fixed && (cfg & MTRR_SYSCFG_FIX_DRAM_EN)) {
		b = fixed_byte(s, addr, &end);
		if (!mtrr__fixed_byte_ok(&s->caps, b))
			return MTRR_DEST_INVALID;
		return (b & bit) ? MTRR_DEST_DRAM : MTRR_DEST_MMIO;
	}
	if (cfg & MTRR_SYSCFG_VAR_DRAM_EN) {
		/* 2. A valid IORR that matches; two that disagree: MMIO. */
		for (n = 0; n < 2; n++) {
			if (iorr_matches(s, n, addr)) {
				hits++;
				dram += (s->iorr[n].base & bit) != 0;
			}
		}
		if (hits != 0)
			return dram == hits ? MTRR_DEST_DRAM : MTRR_DEST_MMIO;
		/* 3. Below TOP_MEM: DRAM. */
		if (addr < s->top_mem)
			return MTRR_DEST_DRAM;
	}
	/* 3. [4 GiB, TOP_MEM2) with MtrrTom2En: DRAM.  4. Anything else: MMIO. */
	if ((cfg & MTRR_SYSCFG_TOM2_EN) && addr >= MTRR__4GIB && addr < s->top_mem2)
		return MTRR_DEST_DRAM;
	return MTRR_DEST_MMIO;
}

/*
 * The caps and the images route() reads whatever the address (the fixed byte
 * is checked where it is read) are sound, and addr is an address.
 */
static bool
route_ok(const struct mtrr_state *s, uint64_t addr)
{
	const struct mtrr_caps *c;
	uint64_t phys;

	if (s == NULL || !mtrr__caps_valid(&s->caps))
		return false;
	c = &s->caps;
	phys = MTRR_PHYS_ADDR_MASK(c->phys_bits);
	return c->vendor == MTRR_VENDOR_AMD && (addr >> c->phys_bits) == 0 &&
	       mtrr__top_mem_ok(c, s->top_mem) && mtrr__top_mem_ok(c, s->top_mem2) &&
	       mtrr__iorr_ok(phys, s->iorr[0].base, s->iorr[0].mask) &&
	       mtrr__iorr_ok(phys, s->iorr[1].base, s->iorr[1].mask);
}

enum mtrr_dest
mtrr_route(const struct mtrr_state *s, uint64_t addr, bool write)
{
	if (!route_ok(s, addr))
		return MTRR_DEST_INVALID;
	return route(s, addr, write ? MTRR_IORR_WRMEM : MTRR_IORR_RDMEM);
}

/*
 * The smallest x >= y with (x & m) == p (p within m, m within bits 51:12),
 * or UINT64_MAX when there is none.  From the top bit down, x follows y as
 * long as the bits m fixes agree with y's.  Where a fixed bit is 1 and y's
 * is 0, x takes it, and every lower bit that is free 0: done.  Where it is 0
 * and y's is 1, following y is hopeless, and the answer sets the lowest free
 * bit above that y had at 0 (every lower free bit 0).  Every free bit that
 * y has at 0 is such a way out; the lowest one seen so far is the best.
 */
static uint64_t
next_match(uint64_t y, uint64_t m, uint64_t p)
{
	uint64_t bit, above, escape = UINT64_MAX;
	unsigned i;

	for (i = 64; i-- > 0;) {
		bit = 1ull << i;
		above = ~((bit << 1) - 1);      /* bits above i (none for i = 63) */
		if (!(m & bit)) {
			if (!(y & bit))
				escape = (y & above) | bit | (p & (bit - 1));
			continue;
		}
		if ((p & bit) == (y & bit))
			continue;
		if (p & bit)
			return (y & above) | bit | (p & (bit - 1));
		return escape;
	}
	return y;                               /* y itself matches */
}

/* The first address above x where IORR pair n starts or stops matching, or limit. */
static uint64_t
iorr_edge(const struct mtrr_state *s, unsigned n, uint64_t x, uint64_t limit)
{
	uint64_t mask = s->iorr[n].mask & MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	uint64_t y;

	if (mask == 0)
		return limit;                   /* matches everything */
	/*
	 * Matching: the aligned block of the mask's lowest bit matches as a
	 * whole, and the next one differs in that bit.
	 */
	if (((x ^ s->iorr[n].base) & mask) == 0)
		return (x | ((1ull << mtrr__ctz(mask)) - 1)) + 1;
	y = next_match(x + 1, mask, s->iorr[n].base & mask);
	return y < limit ? y : limit;
}

/* The first edge above x (x < limit): at most limit. */
static uint64_t
next_edge(const struct mtrr_state *s, uint64_t x, uint64_t limit)
{
	uint64_t cfg = s->syscfg, e = limit, c;
	unsigned n;

	if (x < MTRR_FIXED_END && s->caps.fixed && (cfg & MTRR_SYSCFG_FIX_DRAM_EN)) {
		(void)fixed_byte(s, x, &c);     /* the byte decides all of [x, c) */
		return c;
	}
	if (cfg & MTRR_SYSCFG_VAR_DRAM_EN) {
		if (x < s->top_mem)
			e = s->top_mem;
		for (n = 0; n < 2; n++) {
			if (!(s->iorr[n].mask & MTRR_IORR_V))
				continue;
			c = iorr_edge(s, n, x, limit);
			e = c < e ? c : e;
		}
	}
	if (cfg & MTRR_SYSCFG_TOM2_EN) {
		c = x < MTRR__4GIB ? MTRR__4GIB : x < s->top_mem2 ? s->top_mem2 : limit;
		e = c < e ? c : e;
	}
	return e;
}

enum mtrr_dest
mtrr_route_next(const struct mtrr_state *s, uint64_t addr, bool write, uint64_t *next)
{
	uint64_t bit = write ? MTRR_IORR_WRMEM : MTRR_IORR_RDMEM, limit, x, c;
	enum mtrr_dest d;
	unsigned steps;

	if (s == NULL || !mtrr__caps_valid(&s->caps)) {
		*next = 0;
		return MTRR_DEST_INVALID;
	}
	limit = 1ull << s->caps.phys_bits;
	d = route_ok(s, addr) ? route(s, addr, bit) : MTRR_DEST_INVALID;
	if (d == MTRR_DEST_INVALID) {
		*next = limit;
		return d;
	}
	for (x = addr, steps = 0; steps < ROUTE_STEPS; steps++) {
		c = next_edge(s, x, limit);
		if (c >= limit || route(s, c, bit) != d) {
			*next = c;
			return d;
		}
		x = c;
	}
	*next = x;                              /* out of steps: an edge, d up to it */
	return d;
}
