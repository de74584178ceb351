/*
 * route_map.c — mtrr_route compiled: the routing inputs of a checked state,
 * stored so that one lookup is a few compares.
 *
 * What the reference (route.c) decides from the registers at every call is
 * decided here once:
 *   - the fixed ranges route [0, 1 MiB) only with caps.fixed and
 *     MtrrFixDramEn: fixed_end is 1 MiB then, 0 otherwise, and page[] holds
 *     each 4 KiB page's RdMem/WrMem as bits 0 (read) and 1 (write);
 *   - an IORR pair counts only with MtrrVarDramEn and its V bit: a pair that
 *     does not count gets bit 63 in both its base and its mask, so
 *     ((addr ^ base) & mask) is never 0 for an address (< 2^52) and the
 *     pair needs no flag at lookup;
 *   - TOP_MEM counts only with MtrrVarDramEn (else 0: nothing below it);
 *     [4 GiB, TOP_MEM2) only with MtrrTom2En, stored as its length above
 *     4 GiB so one unsigned compare (addr - 4 GiB < span) tests both ends.
 * Agreement with mtrr_route at every address is what tests/test_route_map.c
 * and the msr fuzzer check.
 */
#include <string.h>

#include "check.h"

#define NEVER (1ull << 63)      /* in base and mask: the pair never matches */

/* Bits 0 (read) and 1 (write) from RdMem/WrMem (bits 4 and 3 of `v`). */
static uint8_t
dram_bits(uint64_t v)
{
	return (uint8_t)(((v & MTRR_IORR_RDMEM) ? 1u : 0u) | ((v & MTRR_IORR_WRMEM) ? 2u : 0u));
}

mtrr_status
mtrr_route_map_build(struct mtrr_route_map *m, const struct mtrr_state *s)
{
	struct mtrr_route_map n;
	uint64_t cfg, phys;
	unsigned i;

	if (m == NULL || s == NULL || mtrr_state_check(s, NULL) != MTRR_OK ||
	    s->caps.vendor != MTRR_VENDOR_AMD)
		return MTRR_E_INVALID_ARG;
	memset(&n, 0, sizeof(n));
	cfg = s->syscfg;
	phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	n.limit = 1ull << s->caps.phys_bits;
	if (s->caps.fixed && (cfg & MTRR_SYSCFG_FIX_DRAM_EN)) {
		n.fixed_end = MTRR_FIXED_END;
		for (i = 0; i < 256; i++) {
			uint64_t addr = (uint64_t)i << 12, v;
			unsigned msr, shift;

			/* The fixed MSR and byte of page i, as route.c's fixed_byte. */
			if (addr < 0x80000) {
				msr = 0;
				shift = 16;
			} else if (addr < 0xC0000) {
				msr = 1 + (unsigned)((addr - 0x80000) >> 17);
				shift = 14;
			} else {
				msr = 3 + (unsigned)((addr - 0xC0000) >> 15);
				shift = 12;
			}
			v = s->fixed[msr] >> (8 * ((addr >> shift) & 7u));
			n.page[i] = dram_bits(v);
		}
	}
	for (i = 0; i < 2; i++) {
		if ((cfg & MTRR_SYSCFG_VAR_DRAM_EN) && (s->iorr[i].mask & MTRR_IORR_V)) {
			n.iorr_mask[i] = s->iorr[i].mask & phys;
			n.iorr_base[i] = s->iorr[i].base & n.iorr_mask[i];
		} else {
			n.iorr_mask[i] = NEVER;
			n.iorr_base[i] = NEVER;
		}
		n.iorr_dram[i] = dram_bits(s->iorr[i].base);
	}
	if (cfg & MTRR_SYSCFG_VAR_DRAM_EN)
		n.top_mem = s->top_mem;
	if ((cfg & MTRR_SYSCFG_TOM2_EN) && s->top_mem2 > MTRR__4GIB)
		n.tom2_span = s->top_mem2 - MTRR__4GIB;
	memcpy(m, &n, sizeof(n));
	return MTRR_OK;
}

enum mtrr_dest
mtrr_route_map_lookup(const struct mtrr_route_map *m, uint64_t addr, bool write)
{
	unsigned bit = write ? 2u : 1u, d;
	bool h0, h1;

	if (addr >= m->limit)
		return MTRR_DEST_INVALID;
	if (addr < m->fixed_end)
		return (m->page[addr >> 12] & bit) ? MTRR_DEST_DRAM : MTRR_DEST_MMIO;
	h0 = ((addr ^ m->iorr_base[0]) & m->iorr_mask[0]) == 0;
	h1 = ((addr ^ m->iorr_base[1]) & m->iorr_mask[1]) == 0;
	if (h0 || h1) {
		/* Every matching pair must send it to DRAM (APM "IORR Overlapping"). */
		d = (h0 ? m->iorr_dram[0] : 3u) & (h1 ? m->iorr_dram[1] : 3u);
		return (d & bit) ? MTRR_DEST_DRAM : MTRR_DEST_MMIO;
	}
	return (addr < m->top_mem || addr - MTRR__4GIB < m->tom2_span) ? MTRR_DEST_DRAM
									: MTRR_DEST_MMIO;
}
