/*
 * pat.c — the memory type an access really gets: the MTRR type combined with
 * the PAT entry a page-table entry selects, and the same composition under
 * EPT, where the EPT memory type takes the MTRRs' place.
 *
 * Sources (Intel SDM; section numbers move between editions, the names do
 * not):
 *   Vol. 3A "Selecting Memory Types for Pentium III and More Recent Processor
 *   Families" (11.5.2.2 in the 2009-2016 editions), Table "Effective
 *   Page-Level Memory Types for Pentium III and More Recent Processor
 *   Families" (Table 11-7 there): the MTRR x PAT cells below;
 *   Vol. 3A "IA32_PAT MSR", "Selecting a Memory Type from the PAT" and
 *   "Programming the PAT" (11.12.2-11.12.4): entry layout, encodings, index
 *   PAT:PCD:PWT, PAT bit 7 in a 4 KiB PTE and bit 12 in a large-page entry;
 *   Vol. 3C "Memory Type Used for Translated Guest-Physical Addresses"
 *   (24.2.5.2 in the 2008 edition, 28.2.6.2 in 2016): EMT in bits 5:3 of the
 *   last EPT entry (UC, WC, WT, WP, WB; 2, 3 and 7 are an EPT
 *   misconfiguration), IPAT in bit 6, "using the EPT memory type in place of
 *   the MTRR memory type", and CR0.CD = 1 making the access UC.
 */
#include "internal.h"

/* Shorthands for the table: X is a cell that has no answer. */
#define UC      MTRR_TYPE_UC
#define WC      MTRR_TYPE_WC
#define WT      MTRR_TYPE_WT
#define WP      MTRR_TYPE_WP
#define WB      MTRR_TYPE_WB
#define X       MTRR_TYPE_INVALID

/*
 * effective[mtrr][pat]: rows are the MTRR (or EPT) type, columns the PAT
 * entry's type, both by encoding 0..7, so a lookup needs no translation.
 * Row 7 and columns/rows 2 and 3 are not types (UC- = 7 is a PAT type only).
 *
 * The SDM's notes, kept because they say where each UC comes from:
 *   (1) the UC comes from the MTRRs: nothing was ever cached, no snoop needed;
 *   (2) the UC comes from the page tables: the line may be cached through an
 *       alias, so the processor checks its caches;
 *   (3) "undefined" in earlier editions; every processor with both the PAT
 *       and the MTRRs gives the result shown.
 * The two cells marked (3) in the WT and WP rows are the ones emulators most
 * often get wrong: MTRR WT x PAT WP is WP, and MTRR WP x PAT UC- is WC.
 */
static const uint8_t effective[8][8] = {
	{       /* MTRR UC: every PAT type gives UC, except WC */
		UC,     /* PAT UC  -> UC (1) */
		WC,     /* PAT WC  -> WC */
		X, X,   /* PAT 2, 3: no type */
		UC,     /* PAT WT  -> UC (1) */
		UC,     /* PAT WP  -> UC (1) */
		UC,     /* PAT WB  -> UC (1) */
		UC,     /* PAT UC- -> UC (1) */
	},
	{       /* MTRR WC */
		UC,     /* PAT UC  -> UC (2) */
		WC,     /* PAT WC  -> WC */
		X, X,
		UC,     /* PAT WT  -> UC (2, 3) */
		UC,     /* PAT WP  -> UC (2, 3) */
		WC,     /* PAT WB  -> WC */
		WC,     /* PAT UC- -> WC: what UC- exists for */
	},
	{ X, X, X, X, X, X, X, X },     /* MTRR 2: no type */
	{ X, X, X, X, X, X, X, X },     /* MTRR 3: no type */
	{       /* MTRR WT */
		UC,     /* PAT UC  -> UC (2) */
		WC,     /* PAT WC  -> WC */
		X, X,
		WT,     /* PAT WT  -> WT */
		WP,     /* PAT WP  -> WP (3) */
		WT,     /* PAT WB  -> WT */
		UC,     /* PAT UC- -> UC (2) */
	},
	{       /* MTRR WP */
		UC,     /* PAT UC  -> UC (2) */
		WC,     /* PAT WC  -> WC */
		X, X,
		WT,     /* PAT WT  -> WT (3) */
		WP,     /* PAT WP  -> WP */
		WP,     /* PAT WB  -> WP */
		WC,     /* PAT UC- -> WC (3) */
	},
	{       /* MTRR WB: the PAT type, UC- read as UC */
		UC,     /* PAT UC  -> UC (2) */
		WC,     /* PAT WC  -> WC */
		X, X,
		WT,     /* PAT WT  -> WT */
		WP,     /* PAT WP  -> WP */
		WB,     /* PAT WB  -> WB */
		UC,     /* PAT UC- -> UC (2) */
	},
	{ X, X, X, X, X, X, X, X },     /* MTRR 7: UC- is no MTRR type */
};

#undef UC
#undef WC
#undef WT
#undef WP
#undef WB
#undef X

/*
 * The table is also the list of valid encodings: a row with an answer is an
 * MTRR (and EPT) type, a column with an answer a PAT type.
 */
static bool
mtrr_type_valid(uint64_t t)
{
	return t < 8 && effective[t][MTRR_TYPE_WB] != MTRR_TYPE_INVALID;
}

static bool
pat_type_valid(uint64_t t)
{
	return t < 8 && effective[MTRR_TYPE_WB][t] != MTRR_TYPE_INVALID;
}

/*
 * IA32_PAT for WRMSR: bits 7:3 of each entry are reserved, checked first as
 * for DEF_TYPE; of the low three bits, 2 and 3 are no type.  UC- (7) is
 * valid, and so is WC whatever MTRRCAP.WC says (that bit speaks of the
 * MTRRs).
 */
mtrr_status
mtrr__pat_check(uint64_t value)
{
	unsigned i;

	if (value & MTRR_PAT_RESERVED)
		return MTRR_E_RESERVED_BIT;
	for (i = 0; i < 8; i++)
		if (!pat_type_valid((value >> (8 * i)) & MTRR_PAT_ENTRY_MASK))
			return MTRR_E_INVALID_TYPE;
	return MTRR_OK;
}

uint8_t
mtrr_effective_type(uint8_t mtrr_type, uint8_t pat_type)
{
	if (mtrr_type >= 8 || pat_type >= 8)
		return MTRR_TYPE_INVALID;
	return effective[mtrr_type][pat_type];
}

uint8_t
mtrr_pat_entry(uint64_t pat, bool pwt, bool pcd, bool pat_bit)
{
	unsigned i = (pat_bit ? 4u : 0u) | (pcd ? 2u : 0u) | (pwt ? 1u : 0u);
	uint8_t t = (uint8_t)(pat >> (8 * i));

	/* A byte WRMSR would refuse (reserved bits, 2, 3) selects no type. */
	return pat_type_valid(t) ? t : MTRR_TYPE_INVALID;
}

uint8_t
mtrr_pte_pat_type(uint64_t pat, uint64_t pte, enum mtrr_page_size size)
{
	uint64_t pat_bit;

	switch (size) {
	case MTRR_PAGE_4K:
		pat_bit = MTRR_PTE_PAT_4K;
		break;
	case MTRR_PAGE_2M:
	case MTRR_PAGE_4M:
	case MTRR_PAGE_1G:
		pat_bit = MTRR_PTE_PAT_LARGE;
		break;
	default:
		return MTRR_TYPE_INVALID;
	}
	return mtrr_pat_entry(pat, (pte & MTRR_PTE_PWT) != 0, (pte & MTRR_PTE_PCD) != 0,
			      (pte & pat_bit) != 0);
}

uint8_t
mtrr_page_type(uint8_t mtrr_type, uint64_t pat, uint64_t pte, enum mtrr_page_size size,
	       bool cr0_cd)
{
	uint8_t t = mtrr_effective_type(mtrr_type, mtrr_pte_pat_type(pat, pte, size));

	/* Bad input stays bad even with the caches off. */
	if (t == MTRR_TYPE_INVALID || !cr0_cd)
		return t;
	return MTRR_TYPE_UC;
}

uint8_t
mtrr_ept_effective_type(uint8_t emt, bool ipat, uint8_t pat_type)
{
	if (!mtrr_type_valid(emt))
		return MTRR_TYPE_INVALID;       /* an EPT misconfiguration */
	if (ipat)
		return emt;                     /* the PAT type is not looked at */
	return mtrr_effective_type(emt, pat_type);
}

uint8_t
mtrr_ept_memtype(const struct mtrr_map *guest, uint64_t start, uint64_t end,
		 enum mtrr_ept_policy policy, bool mmio, bool *ipat)
{
	uint8_t t;

	if (guest == NULL || ipat == NULL || start >= end || end > guest->limit)
		return MTRR_TYPE_INVALID;
	if (policy != MTRR_EPT_GUEST_MTRR && policy != MTRR_EPT_GUEST_PAT &&
	    policy != MTRR_EPT_FORCE_WB)
		return MTRR_TYPE_INVALID;
	if (mmio) {
		*ipat = true;
		return MTRR_TYPE_UC;
	}
	switch (policy) {
	case MTRR_EPT_GUEST_MTRR:
		t = mtrr_map_lookup_range(guest, start, end);
		if (t == MTRR_TYPE_MIXED || t == MTRR_TYPE_INVALID)
			return t;       /* MIXED: split the range and ask again */
		*ipat = false;
		return t;
	case MTRR_EPT_GUEST_PAT:
		*ipat = false;
		return MTRR_TYPE_WB;
	default:                /* MTRR_EPT_FORCE_WB */
		*ipat = true;
		return MTRR_TYPE_WB;
	}
}
