/*
 * pat_fuzzer.c — the effective memory type (libmtrr/pat.c): MTRR x PAT, the
 * PAT entry a PTE selects, CR0.CD, EPT with and without IPAT, the EMT/IPAT a
 * VMM writes for a guest range, and IA32_PAT as a register.
 *
 * Input: a count byte (% 65), then that many 20-byte records:
 *   u8 mtrr type, u8 PAT type, u8 EMT, u8 flags (bit 0 IPAT, bit 1 CR0.CD,
 *   bits 4:2 page size selector: 0 4K, 1 2M, 2 4M, 3 1G, else invalid),
 *   u64 IA32_PAT value, u64 paging-structure entry;
 * then, when bytes remain, a guest state (fuzz_build_state) and ranges
 * until the end: u64 start, u8 size (4 KiB << (size % 31)), u8 policy
 * (% 4: 3 is no policy), u8 MMIO (bit 0).
 *
 * Properties, each against this file's own reading of the SDM (not pat.c):
 *   - invalid in, MTRR_TYPE_INVALID out, everywhere; a valid answer is one
 *     of UC, WC, WT, WP, WB, never UC-;
 *   - mtrr_effective_type equals the table below, typed from SDM Vol. 3A
 *     "Effective Page-Level Memory Types for Pentium III and More Recent
 *     Processor Families" as rows of letters; an MTRR UC gives UC unless the
 *     PAT says WC; PAT WB gives the MTRR type; MTRR WB gives the PAT type
 *     with UC- read as UC;
 *   - mtrr_ept_effective_type with IPAT is the EMT (when valid), without it
 *     the table with the EMT in the MTRR's place;
 *   - mtrr_pat_entry / mtrr_pte_pat_type pick entry PAT:PCD:PWT (PAT = bit 7
 *     of a 4 KiB PTE, bit 12 of a large-page entry), refuse a byte WRMSR
 *     would refuse; mtrr_page_type adds CR0.CD -> UC;
 *   - IA32_PAT on a vCPU with caps.pat: WRMSR's status is reserved bits 7:3
 *     first, then entries 2 and 3; accepted values read back, refused ones
 *     change nothing; without caps.pat the MSR is MTRR_E_NOT_MTRR;
 *   - mtrr_ept_memtype: MMIO is UC with IPAT; honouring guest MTRRs answers
 *     mtrr_map_lookup_range's type with IPAT clear (MIXED passes through and
 *     leaves *ipat alone); the WB policies answer WB; bad ranges, policies
 *     and NULLs answer MTRR_TYPE_INVALID and leave *ipat alone.
 */
#include <string.h>

#include "fuzz_state.h"

#define INV MTRR_TYPE_INVALID

/*
 * The SDM's table, one string per MTRR type, one letter per PAT type in the
 * order UC, WC, WT, WP, WB, UC-: U = UC, C = WC, T = WT, P = WP, B = WB.
 */
static const char *const rows[] = {
	/* MTRR UC */ "UCUUUU",
	/* MTRR WC */ "UCUUCC",
	/* MTRR WT */ "UCTPTU",
	/* MTRR WP */ "UCTPPC",
	/* MTRR WB */ "UCTPBU",
};

/* Position of a type in the SDM's order above, -1 for no type. */
static int
pos_mtrr(unsigned t)
{
	switch (t) {
	case 0: return 0;
	case 1: return 1;
	case 4: return 2;
	case 5: return 3;
	case 6: return 4;
	default: return -1;
	}
}

static int
pos_pat(unsigned t)
{
	return t == 7 ? 5 : pos_mtrr(t);
}

static uint8_t
letter(char c)
{
	switch (c) {
	case 'U': return 0;
	case 'C': return 1;
	case 'T': return 4;
	case 'P': return 5;
	default: return 6;      /* 'B' */
	}
}

static uint8_t
model_effective(unsigned mtrr, unsigned pat)
{
	int r = pos_mtrr(mtrr), c = pos_pat(pat);

	return r < 0 || c < 0 ? INV : letter(rows[r][c]);
}

/* Entry PAT:PCD:PWT of `pat`, or INV when that byte is no PAT type. */
static uint8_t
model_entry(uint64_t pat, unsigned index)
{
	unsigned b = (unsigned)(pat >> (8 * index)) & 0xFFu;

	return pos_pat(b) < 0 ? INV : (uint8_t)b;
}

static int
model_size_ok(unsigned sel)
{
	return sel < 4;
}

static unsigned
model_index(uint64_t pte, unsigned size_sel)
{
	uint64_t pat_bit = size_sel == 0 ? 1ull << 7 : 1ull << 12;

	return ((pte & pat_bit) ? 4u : 0u) | ((pte >> 4) & 1u) * 2u | ((pte >> 3) & 1u);
}

static mtrr_status
model_pat_write(uint64_t v)
{
	unsigned i;

	for (i = 0; i < 8; i++)
		if ((v >> (8 * i)) & 0xF8u)
			return MTRR_E_RESERVED_BIT;
	for (i = 0; i < 8; i++)
		if (pos_pat((unsigned)(v >> (8 * i)) & 7u) < 0)
			return MTRR_E_INVALID_TYPE;
	return MTRR_OK;
}

static void
check_type_out(uint8_t t)
{
	FUZZ_ASSERT(t == INV || pos_mtrr(t) >= 0);
}

static void
check_record(struct fuzz_in *in, struct mtrr_state *with, struct mtrr_state *without)
{
	uint8_t m = fuzz_u8(in), p = fuzz_u8(in), emt = fuzz_u8(in), flags = fuzz_u8(in);
	uint64_t pat = fuzz_u64(in), pte = fuzz_u64(in);
	unsigned size_sel = (flags >> 2) & 7u, idx;
	bool ipat = (flags & 1u) != 0, cd = (flags & 2u) != 0;
	uint8_t t, want, sel;
	struct mtrr_state before;
	mtrr_status st;
	uint64_t v;

	/* MTRR x PAT: the table; its shapes. */
	t = mtrr_effective_type(m, p);
	check_type_out(t);
	FUZZ_ASSERT_EQ(t, model_effective(m, p));
	if (pos_mtrr(m) < 0 || pos_pat(p) < 0)
		FUZZ_ASSERT_EQ(t, INV);
	else if (m == MTRR_TYPE_UC)
		FUZZ_ASSERT_EQ(t, p == MTRR_TYPE_WC ? MTRR_TYPE_WC : MTRR_TYPE_UC);
	else if (p == MTRR_TYPE_WB)
		FUZZ_ASSERT_EQ(t, m);
	else if (m == MTRR_TYPE_WB)
		FUZZ_ASSERT_EQ(t, p == 7 ? MTRR_TYPE_UC : p);

	/* EPT: IPAT makes the EMT final; without it the EMT is the MTRR type. */
	t = mtrr_ept_effective_type(emt, ipat, p);
	check_type_out(t);
	if (ipat)
		FUZZ_ASSERT_EQ(t, pos_mtrr(emt) < 0 ? INV : emt);
	else
		FUZZ_ASSERT_EQ(t, model_effective(emt, p));

	/* The PAT entry a PTE selects, and the page's type. */
	idx = model_index(pte, size_sel);
	want = model_size_ok(size_sel) ? model_entry(pat, idx) : INV;
	sel = mtrr_pte_pat_type(pat, pte, (enum mtrr_page_size)size_sel);
	FUZZ_ASSERT_EQ(sel, want);
	FUZZ_ASSERT_EQ(mtrr_pat_entry(pat, idx & 1u, (idx & 2u) != 0, (idx & 4u) != 0),
		       model_entry(pat, idx));
	t = mtrr_page_type(m, pat, pte, (enum mtrr_page_size)size_sel, cd);
	check_type_out(t);
	want = want == INV ? INV : model_effective(m, want);
	FUZZ_ASSERT_EQ(t, want != INV && cd ? MTRR_TYPE_UC : want);

	/* IA32_PAT, the register. */
	memcpy(&before, with, sizeof(before));
	st = mtrr_wrmsr(with, MTRR_MSR_PAT, pat);
	FUZZ_ASSERT_EQ(st, model_pat_write(pat));
	if (st == MTRR_OK) {
		FUZZ_ASSERT_EQ(mtrr_rdmsr(with, MTRR_MSR_PAT, &v), MTRR_OK);
		FUZZ_ASSERT_EQ(v, pat);
	} else {
		FUZZ_ASSERT(mtrr_status_is_gp(st));
		FUZZ_ASSERT(memcmp(&before, with, sizeof(before)) == 0);
	}
	FUZZ_ASSERT_EQ(mtrr_wrmsr(without, MTRR_MSR_PAT, pat), MTRR_E_NOT_MTRR);
}

/* The EMT/IPAT a VMM writes, for ranges of a guest state built from the input. */
static void
check_ranges(struct fuzz_in *in)
{
	static struct mtrr_state s;
	static struct mtrr_map m;
	uint64_t limit;
	unsigned n;

	fuzz_build_state(in, &s);
	FUZZ_ASSERT_EQ(mtrr_map_build(&m, &s), MTRR_OK);
	limit = 1ull << s.caps.phys_bits;
	for (n = 0; n < 16 && !fuzz_empty(in); n++) {
		uint64_t start = fuzz_u64(in) & ((limit << 1) - 1) & ~0xFFFull;
		uint64_t len = 0x1000ull << (fuzz_u8(in) % 31u), end = start + len;
		unsigned pol = fuzz_u8(in) % 4u;
		bool mmio = (fuzz_u8(in) & 1u) != 0, ipat = !mmio;
		bool valid = end > start && end <= limit && pol < 3;
		uint8_t t = mtrr_ept_memtype(&m, start, end, (enum mtrr_ept_policy)pol, mmio,
					     &ipat);

		if (!valid) {
			FUZZ_ASSERT_EQ(t, INV);
			FUZZ_ASSERT_EQ(ipat, !mmio);    /* untouched */
			continue;
		}
		if (mmio) {
			FUZZ_ASSERT_EQ(t, MTRR_TYPE_UC);
			FUZZ_ASSERT(ipat);
		} else if (pol == MTRR_EPT_GUEST_MTRR) {
			uint8_t want = mtrr_map_lookup_range(&m, start, end);

			FUZZ_ASSERT_EQ(t, want);
			FUZZ_ASSERT_EQ(ipat, t == MTRR_TYPE_MIXED);     /* untouched on MIXED */
			if (t != MTRR_TYPE_MIXED)
				FUZZ_ASSERT_EQ(t, mtrr_ref_lookup(&s, start));
		} else {
			FUZZ_ASSERT_EQ(t, MTRR_TYPE_WB);
			FUZZ_ASSERT_EQ(ipat, pol == MTRR_EPT_FORCE_WB);
		}
		FUZZ_ASSERT_EQ(mtrr_ept_memtype(NULL, start, end, (enum mtrr_ept_policy)pol, mmio,
						&ipat), INV);
		FUZZ_ASSERT_EQ(mtrr_ept_memtype(&m, start, end, (enum mtrr_ept_policy)pol, mmio,
						NULL), INV);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mtrr_state with, without;
	struct fuzz_in in = fuzz_in_make(data, size);
	struct mtrr_caps c;
	unsigned n;

	memset(&c, 0, sizeof(c));
	c.vcnt = 8;
	c.fixed = c.wc = true;
	c.phys_bits = 40;
	FUZZ_ASSERT_EQ(mtrr_state_init(&without, &c), MTRR_OK);
	c.pat = true;
	FUZZ_ASSERT_EQ(mtrr_state_init(&with, &c), MTRR_OK);
	FUZZ_ASSERT_EQ(with.pat, 0x0007040600070406ull);
	for (n = fuzz_u8(&in) % 65u; n > 0; n--)
		check_record(&in, &with, &without);
	if (!fuzz_empty(&in))
		check_ranges(&in);
	return 0;
}
