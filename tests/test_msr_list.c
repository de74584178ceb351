/*
 * test_msr_list.c — mtrr_msr_list: the MSRs a VMM saves and restores
 * (KVM_GET/SET_MSRS), their order (IA32_MTRR_DEF_TYPE last), the size query
 * and never writing past the caller's capacity — the seed's bug class was a
 * fixed entries[100] that silently overflowed.  On AMD caps the IORRs,
 * TOP_MEM, TOP_MEM2 and SYSCFG come after the pairs, SYSCFG (which enables
 * them) last of those and before the fixed MSRs, whose RdMem/WrMem a
 * restore can set only with SYSCFG.MtrrFixDramModEn back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mtrr.h"
#include "test_util.h"

#define CANARY 0xDEADBEEFu
#define GUARD 8

static const uint32_t fixed_msrs[MTRR_FIXED_MSRS] = {
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F,
};

/* IORRBase0, IORRMask0, IORRBase1, IORRMask1, TOP_MEM, TOP_MEM2, SYSCFG. */
static const uint32_t amd_msrs[7] = {
	0xC0010016u, 0xC0010017u, 0xC0010018u, 0xC0010019u, 0xC001001Au, 0xC001001Du,
	0xC0010010u,
};

/* The header's order: pairs, AMD's, fixed, SMRR, PAT, DEF_TYPE. */
static size_t
expected_list(const struct mtrr_caps *c, uint32_t *out)
{
	size_t n = 0;
	unsigned i;

	for (i = 0; i < c->vcnt; i++) {
		out[n++] = 0x200 + 2 * i;
		out[n++] = 0x201 + 2 * i;
	}
	if (c->vendor == MTRR_VENDOR_AMD)
		for (i = 0; i < 7; i++)
			out[n++] = amd_msrs[i];
	if (c->fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			out[n++] = fixed_msrs[i];
	if (c->smrr) {
		out[n++] = 0x1F2;
		out[n++] = 0x1F3;
	}
	if (c->pat)
		out[n++] = 0x277;
	out[n++] = 0x2FF;
	return n;
}

/* Calls mtrr_msr_list into a canary-guarded buffer and checks the guards. */
static size_t
list_guarded(const struct mtrr_caps *c, uint32_t *out, size_t capacity)
{
	uint32_t buf[GUARD + MTRR_MSR_LIST_MAX + 4 + GUARD];
	size_t i, n, written;

	assert_true(capacity <= MTRR_MSR_LIST_MAX + 4);
	for (i = 0; i < sizeof(buf) / sizeof(buf[0]); i++)
		buf[i] = CANARY;
	n = mtrr_msr_list(c, buf + GUARD, capacity);
	written = n < capacity ? n : capacity;
	for (i = 0; i < GUARD; i++)
		assert_int_equal(buf[i], CANARY);
	/* Nothing past min(count, capacity): not even inside the capacity. */
	for (i = GUARD + written; i < sizeof(buf) / sizeof(buf[0]); i++)
		assert_int_equal(buf[i], CANARY);
	memcpy(out, buf + GUARD, written * sizeof(*out));
	return n;
}

static void
size_query(void **state)
{
	struct mtrr_caps c;
	uint32_t buf[4] = { CANARY, CANARY, CANARY, CANARY };
	unsigned vcnt, f;

	(void)state;
	for (vcnt = 0; vcnt <= MTRR_VAR_MAX; vcnt++)
		for (f = 0; f < 8; f++) {
			size_t want = 2 * vcnt + ((f & 1) ? 11 : 0) + ((f & 2) ? 2 : 0) + 1;

			c = caps_of(vcnt, (f & 1) != 0, (f & 4) != 0, (f & 2) != 0, 36,
				    MTRR_VENDOR_INTEL);
			assert_int_equal(mtrr_msr_list(&c, NULL, 0), want);
			assert_int_equal(mtrr_msr_list(&c, buf + 1, 0), want);
			assert_true(want <= MTRR_MSR_LIST_MAX);
		}
	assert_int_equal(buf[0], CANARY);
	assert_int_equal(buf[1], CANARY);
	assert_int_equal(buf[2], CANARY);
	c = caps_of(MTRR_VAR_MAX, true, true, true, 52, MTRR_VENDOR_INTEL);
	c.pat = true;
	assert_int_equal(mtrr_msr_list(&c, NULL, 0), 2 * 40 + 11 + 3 + 1);
	/* The largest: AMD, 7 registers of its own and no SMRR. */
	c = caps_of(MTRR_VAR_MAX, true, true, false, 52, MTRR_VENDOR_AMD);
	c.pat = true;
	assert_int_equal(mtrr_msr_list(&c, NULL, 0), MTRR_MSR_LIST_MAX);
	assert_int_equal(MTRR_MSR_LIST_MAX, 2 * 40 + 7 + 11 + 1 + 1);
	c.pat = false;
	c.fixed = false;
	c.vcnt = 0;
	assert_int_equal(mtrr_msr_list(&c, NULL, 0), 8);
}

static void
check_exact(const struct mtrr_caps *c, const uint32_t *want, size_t nwant)
{
	uint32_t got[MTRR_MSR_LIST_MAX + 4];
	size_t i;

	assert_int_equal(list_guarded(c, got, MTRR_MSR_LIST_MAX + 4), nwant);
	for (i = 0; i < nwant; i++)
		assert_int_equal(got[i], want[i]);
}

/* Typed by hand from the header, so the order itself is under test. */
static void
exact_lists(void **state)
{
	static const uint32_t none[] = { 0x2FF };
	static const uint32_t two_fixed[] = {
		0x200, 0x201, 0x202, 0x203,
		0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F,
		0x2FF,
	};
	static const uint32_t one_smrr[] = { 0x200, 0x201, 0x1F2, 0x1F3, 0x2FF };
	static const uint32_t fixed_smrr[] = {
		0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F,
		0x1F2, 0x1F3, 0x2FF,
	};
	static const uint32_t amd_none[] = {
		0xC0010016u, 0xC0010017u, 0xC0010018u, 0xC0010019u, 0xC001001Au, 0xC001001Du,
		0xC0010010u, 0x2FF,
	};
	static const uint32_t amd_two_fixed[] = {
		0x200, 0x201, 0x202, 0x203,
		0xC0010016u, 0xC0010017u, 0xC0010018u, 0xC0010019u, 0xC001001Au, 0xC001001Du,
		0xC0010010u,
		0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F,
		0x2FF,
	};
	uint32_t all[MTRR_MSR_LIST_MAX];
	struct mtrr_caps c;
	unsigned i;
	size_t n = 0;

	(void)state;
	c = caps_of(0, false, false, false, 32, MTRR_VENDOR_INTEL);
	check_exact(&c, none, 1);
	c = caps_of(0, false, true, false, 52, MTRR_VENDOR_AMD);
	check_exact(&c, amd_none, sizeof(amd_none) / sizeof(amd_none[0]));
	c = caps_of(2, true, true, false, 36, MTRR_VENDOR_INTEL);
	check_exact(&c, two_fixed, sizeof(two_fixed) / sizeof(two_fixed[0]));
	c = caps_of(2, true, false, false, 48, MTRR_VENDOR_AMD);
	check_exact(&c, amd_two_fixed, sizeof(amd_two_fixed) / sizeof(amd_two_fixed[0]));
	c = caps_of(1, false, false, true, 39, MTRR_VENDOR_INTEL);
	check_exact(&c, one_smrr, sizeof(one_smrr) / sizeof(one_smrr[0]));
	c = caps_of(0, true, true, true, 46, MTRR_VENDOR_INTEL);
	check_exact(&c, fixed_smrr, sizeof(fixed_smrr) / sizeof(fixed_smrr[0]));

	/* The largest: 0x200..0x24F in index order, then the rest. */
	for (i = 0x200; i <= 0x24F; i++)
		all[n++] = i;
	for (i = 0; i < 14; i++)
		all[n++] = fixed_smrr[i];
	assert_int_equal(n, 2 * 40 + 11 + 3);
	c = caps_of(MTRR_VAR_MAX, true, true, true, 52, MTRR_VENDOR_INTEL);
	check_exact(&c, all, n);
	/* IA32_PAT goes just before DEF_TYPE. */
	all[n - 1] = 0x277;
	all[n++] = 0x2FF;
	assert_int_equal(n, 2 * 40 + 11 + 3 + 1);
	c.pat = true;
	check_exact(&c, all, n);
}

/* Every caps combination against the header's rule. */
static void
all_caps(void **state)
{
	uint32_t want[MTRR_MSR_LIST_MAX], got[MTRR_MSR_LIST_MAX + 4];
	struct mtrr_caps c;
	unsigned vcnt, f;
	size_t n, i;

	(void)state;
	for (vcnt = 0; vcnt <= MTRR_VAR_MAX; vcnt++)
		for (f = 0; f < 16; f++) {
			bool amd = (f & 8) != 0;

			if (amd && (f & 2))
				continue;
			c = caps_of(vcnt, (f & 1) != 0, (f & 4) != 0, (f & 2) != 0,
				    32 + (vcnt + f) % 21, amd ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL);
			c.overlap = (f & 4) ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
			n = expected_list(&c, want);
			assert_int_equal(list_guarded(&c, got, MTRR_MSR_LIST_MAX + 4), n);
			for (i = 0; i < n; i++)
				assert_int_equal(got[i], want[i]);
			assert_int_equal(got[n - 1], MTRR_MSR_DEF_TYPE);
		}
}

/* Every capacity from 0 to beyond the count: a prefix, never an overrun. */
static void
too_small_buffer(void **state)
{
	static const unsigned vcnts[] = { 0, 3, 8, MTRR_VAR_MAX };
	uint32_t want[MTRR_MSR_LIST_MAX], got[MTRR_MSR_LIST_MAX + 4];
	struct mtrr_caps c;
	size_t k, n, cap, i;

	(void)state;
	for (k = 0; k < sizeof(vcnts) / sizeof(vcnts[0]); k++) {
		c = caps_of(vcnts[k], true, true, true, 40, MTRR_VENDOR_INTEL);
		n = expected_list(&c, want);
		for (cap = 0; cap <= n + 4; cap++) {
			assert_int_equal(list_guarded(&c, got, cap), n);
			for (i = 0; i < cap && i < n; i++)
				assert_int_equal(got[i], want[i]);
		}
	}
}

static void
impossible_caps(void **state)
{
	uint32_t got[4];
	struct mtrr_caps c;

	(void)state;
	assert_int_equal(mtrr_msr_list(NULL, NULL, 0), 0);
	assert_int_equal(list_guarded(NULL, got, 4), 0);
	c = caps_of(MTRR_VAR_MAX + 1, true, true, false, 36, MTRR_VENDOR_INTEL);
	assert_int_equal(mtrr_msr_list(&c, NULL, 0), 0);
	assert_int_equal(list_guarded(&c, got, 4), 0);
	c = caps_of(8, true, true, false, 31, MTRR_VENDOR_INTEL);
	assert_int_equal(list_guarded(&c, got, 4), 0);
	c.phys_bits = 53;
	assert_int_equal(list_guarded(&c, got, 4), 0);
	c = caps_of(8, true, true, true, 36, MTRR_VENDOR_AMD);
	assert_int_equal(list_guarded(&c, got, 4), 0);
	c = caps_of(8, true, true, false, 36, (enum mtrr_vendor)2);
	assert_int_equal(list_guarded(&c, got, 4), 0);
	c = caps_of(8, true, true, false, 36, MTRR_VENDOR_INTEL);
	c.overlap = (enum mtrr_overlap)2;
	assert_int_equal(list_guarded(&c, got, 4), 0);
}

static int
listed(const uint32_t *list, size_t n, uint32_t msr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == msr)
			return 1;
	return 0;
}

/*
 * The list and RDMSR agree: every listed MSR reads and can be written back;
 * every MSR that RDMSR accepts, IA32_MTRRCAP aside, is listed.
 */
static void
check_against_rdmsr(const struct mtrr_caps *c)
{
	static const uint32_t high[] = {
		0x40000000u, 0x400002FFu, 0x80000200u, 0xC0000080u, 0xC00102FFu,
		0xFFFF02FFu, 0xFFFFFFFEu, 0xFFFFFFFFu, 0xC001000Fu, 0xC0010011u,
		0xC0010015u, 0xC001001Bu, 0xC001001Cu, 0xC001001Eu,
	};
	uint32_t list[MTRR_MSR_LIST_MAX];
	struct mtrr_state s;
	size_t n, i;
	uint32_t msr;
	uint64_t v;

	assert_int_equal(mtrr_state_init(&s, c), MTRR_OK);
	n = mtrr_msr_list(c, list, MTRR_MSR_LIST_MAX);
	for (i = 0; i < n; i++) {
		assert_int_equal(mtrr_rdmsr(&s, list[i], &v), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(&s, list[i], v), MTRR_OK);
		assert_false(listed(list, i, list[i]));         /* no duplicates */
	}
	assert_false(listed(list, n, MTRR_MSR_CAP));
	for (msr = 0; msr <= 0x3000; msr++) {
		mtrr_status st = mtrr_rdmsr(&s, msr, &v);

		if (st == MTRR_OK && msr != MTRR_MSR_CAP)
			assert_true(listed(list, n, msr));
		else if (msr != MTRR_MSR_CAP)
			assert_false(listed(list, n, msr));
		assert_true(st == MTRR_OK || st == MTRR_E_NOT_MTRR || st == MTRR_E_ABSENT);
	}
	for (i = 0; i < sizeof(high) / sizeof(high[0]); i++)
		assert_int_equal(mtrr_rdmsr(&s, high[i], &v), MTRR_E_NOT_MTRR);
	/* The AMD registers: listed exactly on AMD, where RDMSR takes them. */
	for (i = 0; i < 7; i++) {
		mtrr_status st = mtrr_rdmsr(&s, amd_msrs[i], &v);

		assert_int_equal(st, c->vendor == MTRR_VENDOR_AMD ? MTRR_OK : MTRR_E_NOT_MTRR);
		assert_int_equal(listed(list, n, amd_msrs[i]), st == MTRR_OK);
	}
}

static void
list_matches_rdmsr(void **state)
{
	static const unsigned vcnts[] = { 0, 1, 8, 39, MTRR_VAR_MAX };
	struct mtrr_caps c;
	size_t i;
	unsigned f;

	(void)state;
	for (i = 0; i < sizeof(vcnts) / sizeof(vcnts[0]); i++)
		for (f = 0; f < 4; f++) {
			c = caps_of(vcnts[i], (f & 1) != 0, true, (f & 2) != 0, 36,
				    MTRR_VENDOR_INTEL);
			check_against_rdmsr(&c);
		}
	c = caps_of(8, true, true, false, 48, MTRR_VENDOR_AMD);
	check_against_rdmsr(&c);
	c.pat = true;
	check_against_rdmsr(&c);
}

/* What a VMM does on migration: read every listed MSR, write them back in order. */
static void
save_restore_in_list_order(void **state)
{
	static const uint64_t fixed_vals[] = {
		0x0606060606060606ull, 0x0506040100060504ull, 0x0000000000000001ull,
	};
	uint32_t list[MTRR_MSR_LIST_MAX];
	uint64_t vals[MTRR_MSR_LIST_MAX];
	struct mtrr_state src, dst;
	struct mtrr_caps c;
	size_t n, i;

	(void)state;
	c = caps_of(10, true, true, true, 46, MTRR_VENDOR_INTEL);
	assert_int_equal(mtrr_state_init(&src, &c), MTRR_OK);
	for (i = 0; i < 10; i++) {
		assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_PHYSBASE(i),
					    (0x100000000ull * (i + 1)) | 6), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_PHYSMASK(i),
					    0x3FFF00000000ull | MTRR_PHYSMASK_V), MTRR_OK);
	}
	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		assert_int_equal(mtrr_wrmsr(&src, fixed_msrs[i], fixed_vals[i % 3]), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_SMRR_PHYSBASE, 0x7F000006ull), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_SMRR_PHYSMASK, 0xFF000800ull), MTRR_OK);
	assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_DEF_TYPE, 0xC00), MTRR_OK);

	n = mtrr_msr_list(&c, list, MTRR_MSR_LIST_MAX);
	for (i = 0; i < n; i++)
		assert_int_equal(mtrr_rdmsr(&src, list[i], &vals[i]), MTRR_OK);
	assert_int_equal(mtrr_state_init(&dst, &c), MTRR_OK);
	for (i = 0; i < n; i++) {
		uint64_t def;

		/* The MTRRs stay disabled until the last write. */
		assert_int_equal(mtrr_rdmsr(&dst, MTRR_MSR_DEF_TYPE, &def), MTRR_OK);
		assert_int_equal(def & MTRR_DEF_E, 0);
		assert_int_equal(mtrr_wrmsr(&dst, list[i], vals[i]), MTRR_OK);
	}
	assert_memory_equal(&src, &dst, sizeof(src));
}

/*
 * AMD: a source whose SYSCFG has MtrrFixDramModEn reads its RdMem/WrMem
 * bits, and writing back in list order (SYSCFG before the fixed MSRs) puts
 * them back; every enable lands after the registers it enables.  Without
 * MtrrFixDramModEn RDMSR cannot see them, nor can a restore through WRMSR:
 * mtrr_state_save carries them instead.
 */
static void
amd_save_restore_in_list_order(void **state)
{
	uint32_t list[MTRR_MSR_LIST_MAX];
	uint64_t vals[MTRR_MSR_LIST_MAX];
	struct mtrr_state src, dst;
	struct mtrr_caps c;
	size_t n, i, at_syscfg = 0, at_fixed = 0;
	int mod;

	(void)state;
	for (mod = 0; mod < 2; mod++) {
		c = caps_of(2, true, true, false, 40, MTRR_VENDOR_AMD);
		assert_int_equal(mtrr_state_init(&src, &c), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_SYSCFG, MTRR_SYSCFG_FIX_DRAM_MOD_EN),
				 MTRR_OK);
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			assert_int_equal(mtrr_wrmsr(&src, fixed_msrs[i], 0x1E1E1E1E00001E1Eull),
					 MTRR_OK);
		assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_PHYSBASE(0), 6), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_PHYSMASK(0),
					    0xFF80000000ull | MTRR_PHYSMASK_V), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_IORR_BASE(0),
					    0xC0000000ull | MTRR_IORR_WRMEM), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_IORR_MASK(0),
					    0xFFF0000000ull | MTRR_IORR_V), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_TOP_MEM, 0x80000000ull), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_TOP_MEM2, 0x4000000000ull), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_SYSCFG,
					    (mod ? MTRR_SYSCFG_FIX_DRAM_MOD_EN : 0) |
					    (MTRR_SYSCFG_MTRR_BITS & ~MTRR_SYSCFG_FIX_DRAM_MOD_EN)),
				 MTRR_OK);
		assert_int_equal(mtrr_wrmsr(&src, MTRR_MSR_DEF_TYPE, 0xC00), MTRR_OK);

		n = mtrr_msr_list(&c, list, MTRR_MSR_LIST_MAX);
		for (i = 0; i < n; i++) {
			assert_int_equal(mtrr_rdmsr(&src, list[i], &vals[i]), MTRR_OK);
			if (list[i] == MTRR_MSR_SYSCFG)
				at_syscfg = i;
			if (list[i] == fixed_msrs[0])
				at_fixed = i;
		}
		assert_true(at_syscfg < at_fixed);
		assert_int_equal(list[at_syscfg - 1], MTRR_MSR_TOP_MEM2);
		assert_int_equal(mtrr_state_init(&dst, &c), MTRR_OK);
		for (i = 0; i < n; i++)
			assert_int_equal(mtrr_wrmsr(&dst, list[i], vals[i]), MTRR_OK);
		if (mod) {
			assert_memory_equal(&src, &dst, sizeof(src));
		} else {
			/* Hidden: the restore has the types, not RdMem/WrMem. */
			for (i = 0; i < MTRR_FIXED_MSRS; i++) {
				assert_int_equal(dst.fixed[i], 0x0606060600000606ull);
				dst.fixed[i] = src.fixed[i];
			}
			assert_memory_equal(&src, &dst, sizeof(src));
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(size_query),
		cmocka_unit_test(exact_lists),
		cmocka_unit_test(all_caps),
		cmocka_unit_test(too_small_buffer),
		cmocka_unit_test(impossible_caps),
		cmocka_unit_test(list_matches_rdmsr),
		cmocka_unit_test(save_restore_in_list_order),
		cmocka_unit_test(amd_save_restore_in_list_order),
	};

	return cmocka_run_group_tests_name("msr_list", tests, NULL, NULL);
}
