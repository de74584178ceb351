/*
 * test_pat.c — the PAT concern: IA32_PAT as a register (WRMSR/RDMSR checks,
 * RESET and INIT, the MSR list), the MTRR x PAT table cell by cell, the PAT
 * entry a page-table entry selects, CR0.CD, and the EPT composition and the
 * EMT/IPAT a VMM writes.
 *
 * The expected MTRR x PAT table is typed here a second time, in the SDM's own
 * row order and with the types spelled as names, from Intel SDM Vol. 3A,
 * Table "Effective Page-Level Memory Types for Pentium III and More Recent
 * Processor Families" (Table 11-7 in the 2009-2016 editions), independently
 * of libmtrr/pat.c's array.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"              /* mtrr__state_images_ok: the fast pass */
#include "mtrr.h"
#include "test_util.h"

/* The SDM's mnemonics, to the encodings of SDM Table "Memory Types That Can Be Encoded With PAT". */
static uint8_t
enc(const char *name)
{
	static const struct { const char *name; uint8_t code; } names[] = {
		{ "UC", 0x00 }, { "WC", 0x01 }, { "WT", 0x04 }, { "WP", 0x05 },
		{ "WB", 0x06 }, { "UC-", 0x07 },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, name) == 0)
			return names[i].code;
	fail_msg("unknown type name %s", name);
	return 0xFF;
}

/* MTRR type, PAT entry value, effective type: the SDM's rows in its order. */
static const char *const sdm_table[][3] = {
	{ "UC", "UC", "UC" }, { "UC", "UC-", "UC" }, { "UC", "WC", "WC" },
	{ "UC", "WT", "UC" }, { "UC", "WB", "UC" }, { "UC", "WP", "UC" },
	{ "WC", "UC", "UC" }, { "WC", "UC-", "WC" }, { "WC", "WC", "WC" },
	{ "WC", "WT", "UC" }, { "WC", "WB", "WC" }, { "WC", "WP", "UC" },
	{ "WT", "UC", "UC" }, { "WT", "UC-", "UC" }, { "WT", "WC", "WC" },
	{ "WT", "WT", "WT" }, { "WT", "WB", "WT" }, { "WT", "WP", "WP" },
	{ "WB", "UC", "UC" }, { "WB", "UC-", "UC" }, { "WB", "WC", "WC" },
	{ "WB", "WT", "WT" }, { "WB", "WB", "WB" }, { "WB", "WP", "WP" },
	{ "WP", "UC", "UC" }, { "WP", "UC-", "WC" }, { "WP", "WC", "WC" },
	{ "WP", "WT", "WT" }, { "WP", "WB", "WP" }, { "WP", "WP", "WP" },
};
#define SDM_CELLS (sizeof(sdm_table) / sizeof(sdm_table[0]))

/* The expected answer for any byte pair: the table's cell, else INVALID. */
static uint8_t
expect_effective(unsigned mtrr, unsigned pat)
{
	size_t i;

	for (i = 0; i < SDM_CELLS; i++)
		if (enc(sdm_table[i][0]) == mtrr && enc(sdm_table[i][1]) == pat)
			return enc(sdm_table[i][2]);
	return MTRR_TYPE_INVALID;
}

static int
is_mtrr_type(unsigned t)
{
	return t == 0 || t == 1 || t == 4 || t == 5 || t == 6;
}

static int
is_pat_type(unsigned t)
{
	return is_mtrr_type(t) || t == 7;
}

static struct mtrr_caps
pat_caps(bool pat, enum mtrr_vendor vendor)
{
	struct mtrr_caps c = caps_of(8, true, true, false, 40, vendor);

	c.pat = pat;
	return c;
}

/* ---- MTRR x PAT ------------------------------------------------------ */

static void
effective_every_cell(void **state)
{
	unsigned m, p;
	size_t i, valid = 0;

	(void)state;
	for (i = 0; i < SDM_CELLS; i++) {
		uint8_t got = mtrr_effective_type(enc(sdm_table[i][0]), enc(sdm_table[i][1]));
		uint8_t in = mtrr_effective_type_inline(enc(sdm_table[i][0]), enc(sdm_table[i][1]));

		if (got != enc(sdm_table[i][2]) || in != got)
			fail_msg("MTRR %s x PAT %s: got %s (inline %s), SDM says %s",
				 sdm_table[i][0], sdm_table[i][1], mtrr_type_str(got),
				 mtrr_type_str(in), sdm_table[i][2]);
	}
	/* Every other pair of bytes has no answer, inline or not. */
	for (m = 0; m < 256; m++)
		for (p = 0; p < 256; p++) {
			uint8_t got = mtrr_effective_type((uint8_t)m, (uint8_t)p);

			assert_int_equal(got, expect_effective(m, p));
			assert_int_equal(mtrr_effective_type_inline((uint8_t)m, (uint8_t)p), got);
			if (got != MTRR_TYPE_INVALID)
				valid++;
		}
	assert_int_equal(valid, 5 * 6);
	assert_int_equal(SDM_CELLS, 5 * 6);
}

/* Shapes of the table a reader can check at a glance. */
static void
effective_properties(void **state)
{
	unsigned m, p;

	(void)state;
	for (m = 0; m < 8; m++) {
		if (!is_mtrr_type(m))
			continue;
		/* PAT WC is WC over every MTRR type; PAT UC is UC. */
		assert_int_equal(mtrr_effective_type((uint8_t)m, MTRR_TYPE_WC), MTRR_TYPE_WC);
		assert_int_equal(mtrr_effective_type((uint8_t)m, MTRR_TYPE_UC), MTRR_TYPE_UC);
		for (p = 0; p < 8; p++) {
			uint8_t t = mtrr_effective_type((uint8_t)m, (uint8_t)p);

			if (!is_pat_type(p)) {
				assert_int_equal(t, MTRR_TYPE_INVALID);
				continue;
			}
			assert_true(is_mtrr_type(t));           /* never UC- */
			/* MTRR UC: UC unless the PAT asks for WC. */
			if (m == MTRR_TYPE_UC)
				assert_int_equal(t, p == MTRR_TYPE_WC ? MTRR_TYPE_WC : MTRR_TYPE_UC);
			/* MTRR WB: the PAT's type, UC- read as UC. */
			if (m == MTRR_TYPE_WB)
				assert_int_equal(t, p == MTRR_TYPE_UC_MINUS ? MTRR_TYPE_UC : p);
			/* PAT WB: the MTRR's type. */
			if (p == MTRR_TYPE_WB)
				assert_int_equal(t, m);
		}
	}
	/* The cells Bochs gets wrong, and MIXED is not an MTRR type. */
	assert_int_equal(mtrr_effective_type(MTRR_TYPE_WT, MTRR_TYPE_WP), MTRR_TYPE_WP);
	assert_int_equal(mtrr_effective_type(MTRR_TYPE_WP, MTRR_TYPE_UC_MINUS), MTRR_TYPE_WC);
	assert_int_equal(mtrr_effective_type(MTRR_TYPE_MIXED, MTRR_TYPE_WB), MTRR_TYPE_INVALID);
	assert_int_equal(mtrr_effective_type(MTRR_TYPE_UC_MINUS, MTRR_TYPE_WB), MTRR_TYPE_INVALID);
	assert_string_equal(mtrr_type_str(MTRR_TYPE_UC_MINUS), "UC-");
}

/* ---- PAT entries and page-table entries ------------------------------ */

static void
pat_entry_index(void **state)
{
	/* Entry i holds a type that names i: 0 UC, 1 WC, 4 WT, 5 WP, 6 WB, 7 UC-. */
	const uint64_t pat = 0x0706050401000100ull;
	const uint8_t want[8] = { 0, 1, 0, 1, 4, 5, 6, 7 };
	unsigned i;

	(void)state;
	for (i = 0; i < 8; i++)
		assert_int_equal(mtrr_pat_entry(pat, (i & 1) != 0, (i & 2) != 0, (i & 4) != 0),
				 want[i]);
	/* The power-on PAT gives the legacy PCD/PWT meaning. */
	assert_int_equal(mtrr_pat_entry(MTRR_PAT_POWER_ON, false, false, false), MTRR_TYPE_WB);
	assert_int_equal(mtrr_pat_entry(MTRR_PAT_POWER_ON, true, false, false), MTRR_TYPE_WT);
	assert_int_equal(mtrr_pat_entry(MTRR_PAT_POWER_ON, false, true, false),
			 MTRR_TYPE_UC_MINUS);
	assert_int_equal(mtrr_pat_entry(MTRR_PAT_POWER_ON, true, true, false), MTRR_TYPE_UC);
	assert_int_equal(mtrr_pat_entry(MTRR_PAT_POWER_ON, true, true, true), MTRR_TYPE_UC);
}

static void
pat_entry_invalid_bytes(void **state)
{
	unsigned b, i;

	(void)state;
	for (i = 0; i < 8; i++)
		for (b = 0; b < 256; b++) {
			/* Entry i holds b, every other entry a valid WB. */
			uint64_t pat = 0x0606060606060606ull & ~(0xFFull << (8 * i));
			uint8_t t;

			pat |= (uint64_t)b << (8 * i);
			t = mtrr_pat_entry(pat, (i & 1) != 0, (i & 2) != 0, (i & 4) != 0);
			assert_int_equal(t, is_pat_type(b) ? b : MTRR_TYPE_INVALID);
			/* A bad neighbour does not spoil another entry. */
			t = mtrr_pat_entry(pat, (i & 1) == 0, (i & 2) != 0, (i & 4) != 0);
			assert_int_equal(t, MTRR_TYPE_WB);
		}
}

static void
pte_pat_bit_by_size(void **state)
{
	/* Only entry 4 (PAT bit set, PCD = PWT = 0) is WC. */
	const uint64_t pat = 0x0606060106060606ull;
	const uint64_t bit7 = 1ull << 7, bit12 = 1ull << 12;

	(void)state;
	assert_int_equal(mtrr_pte_pat_type(pat, bit7, MTRR_PAGE_4K), MTRR_TYPE_WC);
	assert_int_equal(mtrr_pte_pat_type(pat, bit12, MTRR_PAGE_4K), MTRR_TYPE_WB);
	assert_int_equal(mtrr_pte_pat_type(pat, bit12, MTRR_PAGE_2M), MTRR_TYPE_WC);
	assert_int_equal(mtrr_pte_pat_type(pat, bit12, MTRR_PAGE_4M), MTRR_TYPE_WC);
	assert_int_equal(mtrr_pte_pat_type(pat, bit12, MTRR_PAGE_1G), MTRR_TYPE_WC);
	/* Bit 7 of a large-page entry is PS, not PAT. */
	assert_int_equal(mtrr_pte_pat_type(pat, bit7, MTRR_PAGE_2M), MTRR_TYPE_WB);
	assert_int_equal(mtrr_pte_pat_type(pat, bit7 | bit12, MTRR_PAGE_1G), MTRR_TYPE_WC);
	/* PWT is bit 3, PCD bit 4; the address and flag bits are ignored. */
	assert_int_equal(mtrr_pte_pat_type(MTRR_PAT_POWER_ON, 1ull << 3, MTRR_PAGE_4K),
			 MTRR_TYPE_WT);
	assert_int_equal(mtrr_pte_pat_type(MTRR_PAT_POWER_ON, 1ull << 4, MTRR_PAGE_4K),
			 MTRR_TYPE_UC_MINUS);
	assert_int_equal(mtrr_pte_pat_type(MTRR_PAT_POWER_ON,
					   0x8000000123456067ull & ~0x18ull & ~bit7,
					   MTRR_PAGE_4K), MTRR_TYPE_WB);
	assert_int_equal(MTRR_PTE_PWT, 1ull << 3);
	assert_int_equal(MTRR_PTE_PCD, 1ull << 4);
	assert_int_equal(MTRR_PTE_PAT_4K, bit7);
	assert_int_equal(MTRR_PTE_PAT_LARGE, bit12);
	/* An unknown size, and a bad selected entry. */
	assert_int_equal(mtrr_pte_pat_type(pat, 0, (enum mtrr_page_size)4), MTRR_TYPE_INVALID);
	assert_int_equal(mtrr_pte_pat_type(pat, 0, (enum mtrr_page_size)-1), MTRR_TYPE_INVALID);
	assert_int_equal(mtrr_pte_pat_type(0x02, 0, MTRR_PAGE_4K), MTRR_TYPE_INVALID);
}

static void
page_type_and_cr0_cd(void **state)
{
	unsigned m, i;

	(void)state;
	for (m = 0; m < 256; m++)
		for (i = 0; i < 8; i++) {
			uint64_t pte = ((i & 1) ? MTRR_PTE_PWT : 0) | ((i & 2) ? MTRR_PTE_PCD : 0) |
				       ((i & 4) ? MTRR_PTE_PAT_4K : 0);
			uint8_t want = expect_effective(m, (MTRR_PAT_POWER_ON >> (8 * i)) & 0xFF);

			assert_int_equal(mtrr_page_type((uint8_t)m, MTRR_PAT_POWER_ON, pte,
							MTRR_PAGE_4K, false), want);
			/* CR0.CD: UC, but an invalid input stays invalid. */
			assert_int_equal(mtrr_page_type((uint8_t)m, MTRR_PAT_POWER_ON, pte,
							MTRR_PAGE_4K, true),
					 want == MTRR_TYPE_INVALID ? MTRR_TYPE_INVALID : MTRR_TYPE_UC);
		}
	/* WC through the PAT, and CR0.CD over it. */
	assert_int_equal(mtrr_page_type(MTRR_TYPE_WB, 0x01, 0, MTRR_PAGE_2M, false), MTRR_TYPE_WC);
	assert_int_equal(mtrr_page_type(MTRR_TYPE_WB, 0x01, 0, MTRR_PAGE_2M, true), MTRR_TYPE_UC);
	assert_int_equal(mtrr_page_type(MTRR_TYPE_WB, 0x03, 0, MTRR_PAGE_2M, true),
			 MTRR_TYPE_INVALID);
	assert_int_equal(mtrr_page_type(MTRR_TYPE_WB, 0x06, 0, (enum mtrr_page_size)9, true),
			 MTRR_TYPE_INVALID);
}

/* ---- EPT ------------------------------------------------------------- */

static void
ept_effective(void **state)
{
	unsigned e, p;

	(void)state;
	for (e = 0; e < 256; e++)
		for (p = 0; p < 256; p++) {
			uint8_t t0 = mtrr_ept_effective_type((uint8_t)e, false, (uint8_t)p);
			uint8_t t1 = mtrr_ept_effective_type((uint8_t)e, true, (uint8_t)p);

			/* IPAT = 0: the EMT stands where the MTRR type stands. */
			assert_int_equal(t0, expect_effective(e, p));
			/* IPAT = 1: the EMT, whatever the PAT type. */
			assert_int_equal(t1, is_mtrr_type(e) ? e : MTRR_TYPE_INVALID);
		}
	/* EMT 7 is a misconfiguration even though PAT 7 is UC-. */
	assert_int_equal(mtrr_ept_effective_type(7, true, MTRR_TYPE_WB), MTRR_TYPE_INVALID);
	assert_int_equal(MTRR_EPT_MT_MASK, 0x38ull);
	assert_int_equal(MTRR_EPT_IPAT, 0x40ull);
	assert_int_equal(MTRR_EPT_MT_SHIFT, 3);
}

/*
 * A guest: WB default, [0, 1 MiB) fixed with UC at 0xA0000, UC at
 * [0xC0000000, 4 GiB), WC at [0xD0000000, +256 MiB) inside it (UC wins),
 * WT at [4 GiB, 4 GiB + 2 MiB).
 */
static void
guest_map(struct mtrr_map *m)
{
	struct mtrr_caps c = pat_caps(true, MTRR_VENDOR_INTEL);
	uint64_t phys = MTRR_PHYS_ADDR_MASK(40);
	struct mtrr_state s;
	unsigned i;

	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	for (i = 0; i < MTRR_FIXED_MSRS; i++) {
		uint32_t msr = i == 0 ? 0x250u : i < 3 ? 0x257u + i : 0x265u + i;

		assert_int_equal(mtrr_wrmsr(&s, msr, i == 2 ? 0 : 0x0606060606060606ull),
				 MTRR_OK);
	}
	assert_int_equal(mtrr_wrmsr(&s, 0x200, 0xC0000000ull | MTRR_TYPE_UC), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x201, (phys & ~0x3FFFFFFFull) | MTRR_PHYSMASK_V),
			 MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x202, 0xD0000000ull | MTRR_TYPE_WC), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x203, (phys & ~0xFFFFFFFull) | MTRR_PHYSMASK_V),
			 MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x204, 0x100000000ull | MTRR_TYPE_WT), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, 0x205, (phys & ~0x1FFFFFull) | MTRR_PHYSMASK_V),
			 MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_DEF_TYPE,
				    MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB), MTRR_OK);
	assert_int_equal(mtrr_map_build(m, &s), MTRR_OK);
}

static void
ept_memtype_policies(void **state)
{
	static struct mtrr_map m;
	const uint64_t mib2 = 0x200000, gib4 = 0x100000000ull;
	bool ipat = true;

	(void)state;
	guest_map(&m);
	/* Honour the guest's MTRRs: its type, IPAT = 0. */
	assert_int_equal(mtrr_ept_memtype(&m, 0x200000, 0x400000, MTRR_EPT_GUEST_MTRR, false,
					  &ipat), MTRR_TYPE_WB);
	assert_false(ipat);
	ipat = true;
	assert_int_equal(mtrr_ept_memtype(&m, 0xA0000, 0xA1000, MTRR_EPT_GUEST_MTRR, false,
					  &ipat), MTRR_TYPE_UC);
	assert_false(ipat);
	assert_int_equal(mtrr_ept_memtype(&m, 0xD0000000, 0xD0000000 + mib2,
					  MTRR_EPT_GUEST_MTRR, false, &ipat), MTRR_TYPE_UC);
	assert_int_equal(mtrr_ept_memtype(&m, gib4, gib4 + mib2, MTRR_EPT_GUEST_MTRR, false,
					  &ipat), MTRR_TYPE_WT);
	/* Not uniform: MIXED, and *ipat left alone. */
	ipat = true;
	assert_int_equal(mtrr_ept_memtype(&m, 0, mib2, MTRR_EPT_GUEST_MTRR, false, &ipat),
			 MTRR_TYPE_MIXED);
	assert_true(ipat);
	assert_int_equal(mtrr_ept_memtype(&m, gib4, gib4 + 0x40000000, MTRR_EPT_GUEST_MTRR,
					  false, &ipat), MTRR_TYPE_MIXED);
	assert_true(ipat);
	/* Guest PAT decides: WB, IPAT = 0, over a mixed range too. */
	assert_int_equal(mtrr_ept_memtype(&m, 0, mib2, MTRR_EPT_GUEST_PAT, false, &ipat),
			 MTRR_TYPE_WB);
	assert_false(ipat);
	/* Forced WB. */
	assert_int_equal(mtrr_ept_memtype(&m, 0xC0000000, 0xC0001000, MTRR_EPT_FORCE_WB, false,
					  &ipat), MTRR_TYPE_WB);
	assert_true(ipat);
	/* MMIO: UC with IPAT under every policy. */
	ipat = false;
	assert_int_equal(mtrr_ept_memtype(&m, 0x200000, 0x201000, MTRR_EPT_GUEST_MTRR, true,
					  &ipat), MTRR_TYPE_UC);
	assert_true(ipat);
	ipat = false;
	assert_int_equal(mtrr_ept_memtype(&m, 0, mib2, MTRR_EPT_GUEST_PAT, true, &ipat),
			 MTRR_TYPE_UC);
	assert_true(ipat);
	ipat = false;
	assert_int_equal(mtrr_ept_memtype(&m, 0, mib2, MTRR_EPT_FORCE_WB, true, &ipat),
			 MTRR_TYPE_UC);
	assert_true(ipat);
}

static void
ept_memtype_bad_input(void **state)
{
	static struct mtrr_map m;
	const uint64_t limit = 1ull << 40;
	bool ipat = true;
	unsigned pol;

	(void)state;
	guest_map(&m);
	for (pol = 0; pol < 3; pol++) {
		enum mtrr_ept_policy p = (enum mtrr_ept_policy)pol;

		assert_int_equal(mtrr_ept_memtype(NULL, 0, 4096, p, false, &ipat),
				 MTRR_TYPE_INVALID);
		assert_int_equal(mtrr_ept_memtype(&m, 0, 4096, p, false, NULL),
				 MTRR_TYPE_INVALID);
		assert_int_equal(mtrr_ept_memtype(&m, 4096, 4096, p, true, &ipat),
				 MTRR_TYPE_INVALID);
		assert_int_equal(mtrr_ept_memtype(&m, 8192, 4096, p, false, &ipat),
				 MTRR_TYPE_INVALID);
		assert_int_equal(mtrr_ept_memtype(&m, limit - 4096, limit + 4096, p, true,
						  &ipat), MTRR_TYPE_INVALID);
		assert_int_equal(mtrr_ept_memtype(&m, limit, limit + 4096, p, false, &ipat),
				 MTRR_TYPE_INVALID);
		/* The last page exists. */
		assert_true(mtrr_ept_memtype(&m, limit - 4096, limit, p, false, &ipat) !=
			    MTRR_TYPE_INVALID);
		ipat = true;
	}
	assert_int_equal(mtrr_ept_memtype(&m, 0, 4096, (enum mtrr_ept_policy)3, false, &ipat),
			 MTRR_TYPE_INVALID);
	assert_int_equal(mtrr_ept_memtype(&m, 0, 4096, (enum mtrr_ept_policy)3, true, &ipat),
			 MTRR_TYPE_INVALID);
	assert_true(ipat);      /* untouched by every refusal */
}

/* ---- IA32_PAT, the register ----------------------------------------- */

static void
pat_msr_reset_init(void **state)
{
	struct mtrr_caps c;
	struct mtrr_state s;
	uint64_t v = 0;
	int amd;

	(void)state;
	for (amd = 0; amd < 2; amd++) {
		c = pat_caps(true, amd ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL);
		memset(&s, 0x5A, sizeof(s));
		assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
		assert_true(s.caps.pat);
		assert_int_equal(s.pat, 0x0007040600070406ull);
		assert_int_equal(mtrr_rdmsr(&s, 0x277, &v), MTRR_OK);
		assert_int_equal(v, 0x0007040600070406ull);
		assert_int_equal(mtrr_wrmsr(&s, 0x277, 0x0606060606060606ull), MTRR_OK);
		/* INIT keeps the PAT (SDM "Programming the PAT"). */
		mtrr_state_reset(&s, MTRR_RESET_INIT);
		assert_int_equal(mtrr_rdmsr(&s, 0x277, &v), MTRR_OK);
		assert_int_equal(v, 0x0606060606060606ull);
		/* RESET restores the power-on value. */
		mtrr_state_reset(&s, MTRR_RESET_POWER_ON);
		assert_int_equal(mtrr_rdmsr(&s, 0x277, &v), MTRR_OK);
		assert_int_equal(v, MTRR_PAT_POWER_ON);
		assert_true(s.caps.pat);
	}
	assert_int_equal(MTRR_MSR_PAT, 0x277u);
	assert_int_equal(MTRR_PAT_RESERVED, 0xF8F8F8F8F8F8F8F8ull);
}

static void
pat_msr_absent_is_not_mtrr(void **state)
{
	struct mtrr_caps c = pat_caps(false, MTRR_VENDOR_INTEL);
	struct mtrr_state s, before;
	uint64_t v = 42;

	(void)state;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	assert_int_equal(s.pat, 0);
	memcpy(&before, &s, sizeof(s));
	assert_int_equal(mtrr_rdmsr(&s, 0x277, &v), MTRR_E_NOT_MTRR);
	assert_int_equal(v, 42);
	assert_int_equal(mtrr_wrmsr(&s, 0x277, MTRR_PAT_POWER_ON), MTRR_E_NOT_MTRR);
	assert_int_equal(mtrr_wrmsr(&s, 0x277, ~0ull), MTRR_E_NOT_MTRR);
	assert_false(mtrr_status_is_gp(MTRR_E_NOT_MTRR));
	mtrr_state_reset(&s, MTRR_RESET_POWER_ON);
	assert_memory_equal(&s, &before, sizeof(s));
}

static void
pat_msr_every_byte(void **state)
{
	struct mtrr_caps c;
	struct mtrr_state s, before;
	unsigned i, b, wc;
	uint64_t v;

	(void)state;
	for (wc = 0; wc < 2; wc++) {
		c = pat_caps(true, MTRR_VENDOR_INTEL);
		c.wc = wc != 0;         /* MTRRCAP.WC does not limit the PAT */
		assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
		for (i = 0; i < 8; i++)
			for (b = 0; b < 256; b++) {
				uint64_t val = (MTRR_PAT_POWER_ON & ~(0xFFull << (8 * i))) |
					       ((uint64_t)b << (8 * i));
				mtrr_status want = (b & 0xF8) ? MTRR_E_RESERVED_BIT :
						   is_pat_type(b) ? MTRR_OK : MTRR_E_INVALID_TYPE;

				memcpy(&before, &s, sizeof(s));
				assert_int_equal(mtrr_wrmsr(&s, 0x277, val), want);
				if (want != MTRR_OK) {
					assert_true(mtrr_status_is_gp(want));
					assert_memory_equal(&s, &before, sizeof(s));
					continue;
				}
				assert_int_equal(mtrr_rdmsr(&s, 0x277, &v), MTRR_OK);
				assert_int_equal(v, val);
			}
	}
	/* Reserved bits win over a bad type elsewhere, whatever their order. */
	assert_int_equal(mtrr_wrmsr(&s, 0x277, 0x0200000000000008ull), MTRR_E_RESERVED_BIT);
	assert_int_equal(mtrr_wrmsr(&s, 0x277, 0x0800000000000002ull), MTRR_E_RESERVED_BIT);
	/* Every single reserved bit. */
	for (i = 0; i < 64; i++)
		if ((i & 7) >= 3)
			assert_int_equal(mtrr_wrmsr(&s, 0x277, MTRR_PAT_POWER_ON | (1ull << i)),
					 MTRR_E_RESERVED_BIT);
	/* UC- is a PAT type, still no MTRR type. */
	assert_int_equal(mtrr_wrmsr(&s, 0x277, 0x0707070707070707ull), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&s, MTRR_MSR_DEF_TYPE, 7), MTRR_E_INVALID_TYPE);
	assert_int_equal(mtrr_wrmsr(&s, 0x200, 7), MTRR_E_INVALID_TYPE);
	assert_int_equal(mtrr_wrmsr(&s, 0x250, 0x0707070707070707ull), MTRR_E_INVALID_TYPE);
}

static void
pat_msr_in_list(void **state)
{
	uint32_t list[MTRR_MSR_LIST_MAX + 1];
	struct mtrr_caps c;
	size_t n, i;

	(void)state;
	c = pat_caps(true, MTRR_VENDOR_AMD);
	c.vcnt = 1;
	c.fixed = false;
	n = mtrr_msr_list(&c, list, MTRR_MSR_LIST_MAX + 1);
	assert_int_equal(n, 11);                /* the pair, AMD's seven, PAT, DEF_TYPE */
	assert_int_equal(list[0], 0x200);
	assert_int_equal(list[1], 0x201);
	assert_int_equal(list[8], MTRR_MSR_SYSCFG);
	assert_int_equal(list[9], 0x277);       /* before DEF_TYPE ... */
	assert_int_equal(list[10], 0x2FF);      /* ... which stays last */
	c = caps_of(MTRR_VAR_MAX, true, true, true, 52, MTRR_VENDOR_INTEL);
	c.pat = true;
	n = mtrr_msr_list(&c, list, MTRR_MSR_LIST_MAX + 1);
	assert_true(n <= MTRR_MSR_LIST_MAX);
	assert_int_equal(n, 2 * 40 + 11 + 2 + 1 + 1);
	assert_int_equal(list[n - 2], 0x277);
	assert_int_equal(list[n - 1], 0x2FF);
	c.pat = false;
	n = mtrr_msr_list(&c, list, MTRR_MSR_LIST_MAX + 1);
	assert_int_equal(n, 2 * 40 + 11 + 2 + 1);
	for (i = 0; i < n; i++)
		assert_true(list[i] != 0x277);
}

/* A state filled by hand: mtrr_state_check (both passes), RDMSR and map_build refuse a bad PAT. */
static void
pat_msr_state_check(void **state)
{
	static struct mtrr_map m;
	struct mtrr_caps c = pat_caps(true, MTRR_VENDOR_INTEL);
	struct mtrr_state s;
	uint32_t bad;
	unsigned i, b;
	uint64_t v;

	(void)state;
	for (i = 0; i < 8; i++)
		for (b = 0; b < 256; b++) {
			int ok = (b & 0xF8) == 0 && is_pat_type(b);

			assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
			s.pat = (MTRR_PAT_POWER_ON & ~(0xFFull << (8 * i))) | ((uint64_t)b << (8 * i));
			bad = 0;
			assert_int_equal(mtrr_state_check(&s, &bad), ok ? MTRR_OK : MTRR_E_INVALID_ARG);
			assert_int_equal(bad, ok ? 0 : 0x277);
			assert_int_equal(mtrr__state_images_ok(&s), ok);
			assert_int_equal(mtrr_rdmsr(&s, 0x277, &v), ok ? MTRR_OK : MTRR_E_INVALID_ARG);
			assert_int_equal(mtrr_map_build(&m, &s), ok ? MTRR_OK : MTRR_E_INVALID_ARG);
		}
	/* Present: checked after SMRR, before DEF_TYPE (mtrr_msr_list order). */
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	s.pat = 2;
	s.def_type = 2;
	assert_int_equal(mtrr_state_check(&s, &bad), MTRR_E_INVALID_ARG);
	assert_int_equal(bad, 0x277);
	s.fixed[10] = 2;
	assert_int_equal(mtrr_state_check(&s, &bad), MTRR_E_INVALID_ARG);
	assert_int_equal(bad, MTRR_MSR_FIX4K_F8000);
	/* Absent: must be zero, named after every present register. */
	c.pat = false;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	s.pat = MTRR_PAT_POWER_ON;
	assert_int_equal(mtrr_state_check(&s, &bad), MTRR_E_INVALID_ARG);
	assert_int_equal(bad, 0x277);
	assert_false(mtrr__state_images_ok(&s));
	assert_int_equal(mtrr_rdmsr(&s, 0x277, &v), MTRR_E_NOT_MTRR);
	s.def_type = 1ull << 12;
	assert_int_equal(mtrr_state_check(&s, &bad), MTRR_E_INVALID_ARG);
	assert_int_equal(bad, MTRR_MSR_DEF_TYPE);
	s.def_type = 0;
	s.var[7].mask = 1;      /* absent pairs come before an absent PAT */
	assert_int_equal(mtrr_state_check(&s, &bad), MTRR_E_INVALID_ARG);
	assert_int_equal(bad, MTRR_MSR_PHYSMASK(7));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(effective_every_cell),
		cmocka_unit_test(effective_properties),
		cmocka_unit_test(pat_entry_index),
		cmocka_unit_test(pat_entry_invalid_bytes),
		cmocka_unit_test(pte_pat_bit_by_size),
		cmocka_unit_test(page_type_and_cr0_cd),
		cmocka_unit_test(ept_effective),
		cmocka_unit_test(ept_memtype_policies),
		cmocka_unit_test(ept_memtype_bad_input),
		cmocka_unit_test(pat_msr_reset_init),
		cmocka_unit_test(pat_msr_absent_is_not_mtrr),
		cmocka_unit_test(pat_msr_every_byte),
		cmocka_unit_test(pat_msr_in_list),
		cmocka_unit_test(pat_msr_state_check),
	};

	return cmocka_run_group_tests_name("pat", tests, NULL, NULL);
}
