/*
 * test_state.c — mtrr_state_init and mtrr_state_reset (SDM "MTRR
 * Initialization"): impossible caps are rejected without touching the
 * target, power-on RESET leaves every register zero and keeps the caps,
 * INIT changes nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mtrr.h"
#include "test_util.h"

#define PATTERN 0xA5

static const uint32_t fixed_msrs[MTRR_FIXED_MSRS] = {
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F,
};

/* SYSCFG, IORRBase0/Mask0/Base1/Mask1, TOP_MEM, TOP_MEM2 (AMD caps only). */
static const uint32_t amd_msrs[7] = {
	0xC0010010u, 0xC0010016u, 0xC0010017u, 0xC0010018u, 0xC0010019u, 0xC001001Au,
	0xC001001Du,
};

/* Init must fail with MTRR_E_INVALID_ARG and leave the patterned target as it was. */
static void
init_rejects(const struct mtrr_caps *c)
{
	struct mtrr_state s, before;

	memset(&s, PATTERN, sizeof(s));
	memcpy(&before, &s, sizeof(s));
	assert_int_equal(mtrr_state_init(&s, c), MTRR_E_INVALID_ARG);
	assert_memory_equal(&s, &before, sizeof(s));
}

static void
init_rejects_null(void **state)
{
	struct mtrr_caps c = caps_of(8, true, true, false, 36, MTRR_VENDOR_INTEL);

	(void)state;
	assert_int_equal(mtrr_state_init(NULL, &c), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_state_init(NULL, NULL), MTRR_E_INVALID_ARG);
	init_rejects(NULL);
}

static void
init_rejects_bad_caps(void **state)
{
	struct mtrr_caps c;

	(void)state;
	c = caps_of(MTRR_VAR_MAX + 1, true, true, false, 36, MTRR_VENDOR_INTEL);
	init_rejects(&c);
	c.vcnt = 255;           /* what an 8-bit VCNT could say */
	init_rejects(&c);
	c.vcnt = ~0u;
	init_rejects(&c);

	c = caps_of(8, true, true, false, 31, MTRR_VENDOR_INTEL);
	init_rejects(&c);
	c.phys_bits = 53;
	init_rejects(&c);
	c.phys_bits = 0;
	init_rejects(&c);
	c.phys_bits = 64;
	init_rejects(&c);
	c.phys_bits = ~0u;
	init_rejects(&c);

	c = caps_of(8, true, true, false, 36, (enum mtrr_vendor)2);
	init_rejects(&c);
	c.vendor = (enum mtrr_vendor)0x7FFFFFFF;
	init_rejects(&c);

	c = caps_of(8, true, true, false, 36, MTRR_VENDOR_INTEL);
	c.overlap = (enum mtrr_overlap)2;
	init_rejects(&c);
	c.overlap = (enum mtrr_overlap)0x7FFFFFFF;
	init_rejects(&c);

	/* AMD has no SMRR MSRs. */
	c = caps_of(8, true, true, true, 36, MTRR_VENDOR_AMD);
	init_rejects(&c);
}

/* Every present register reads zero, MTRRCAP reads the caps. */
static void
assert_all_zero(const struct mtrr_state *s)
{
	const struct mtrr_caps *c = &s->caps;
	uint64_t v, cap;
	unsigned i;

	for (i = 0; i < MTRR_VAR_MAX; i++) {
		assert_int_equal(s->var[i].base, 0);
		assert_int_equal(s->var[i].mask, 0);
		if (i < c->vcnt) {
			v = 1;
			assert_int_equal(mtrr_rdmsr(s, 0x200 + 2 * i, &v), MTRR_OK);
			assert_int_equal(v, 0);
			v = 1;
			assert_int_equal(mtrr_rdmsr(s, 0x201 + 2 * i, &v), MTRR_OK);
			assert_int_equal(v, 0);
		}
	}
	for (i = 0; i < MTRR_FIXED_MSRS; i++) {
		assert_int_equal(s->fixed[i], 0);
		if (c->fixed) {
			v = 1;
			assert_int_equal(mtrr_rdmsr(s, fixed_msrs[i], &v), MTRR_OK);
			assert_int_equal(v, 0);
		}
	}
	assert_int_equal(s->def_type, 0);
	v = 1;
	assert_int_equal(mtrr_rdmsr(s, 0x2FF, &v), MTRR_OK);
	assert_int_equal(v, 0);
	assert_int_equal(s->smrr_base, 0);
	assert_int_equal(s->smrr_mask, 0);
	if (c->smrr) {
		v = 1;
		assert_int_equal(mtrr_rdmsr(s, 0x1F2, &v), MTRR_OK);
		assert_int_equal(v, 0);
		v = 1;
		assert_int_equal(mtrr_rdmsr(s, 0x1F3, &v), MTRR_OK);
		assert_int_equal(v, 0);
	}
	cap = c->vcnt | (c->fixed ? 1ull << 8 : 0) | (c->wc ? 1ull << 10 : 0) |
	      (c->smrr ? 1ull << 11 : 0);
	assert_int_equal(mtrr_rdmsr(s, 0xFE, &v), MTRR_OK);
	assert_int_equal(v, cap);
	/* AMD: SYSCFG (every bit), TOP_MEM, TOP_MEM2, the IORRs. */
	assert_int_equal(s->syscfg | s->top_mem | s->top_mem2, 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(s->iorr[i].base | s->iorr[i].mask, 0);
	for (i = 0; i < 7 && c->vendor == MTRR_VENDOR_AMD; i++) {
		v = 1;
		assert_int_equal(mtrr_rdmsr(s, amd_msrs[i], &v), MTRR_OK);
		assert_int_equal(v, 0);
	}
}

static void
assert_caps_equal(const struct mtrr_caps *a, const struct mtrr_caps *b)
{
	assert_int_equal(a->vcnt, b->vcnt);
	assert_int_equal(a->fixed, b->fixed);
	assert_int_equal(a->wc, b->wc);
	assert_int_equal(a->smrr, b->smrr);
	assert_int_equal(a->phys_bits, b->phys_bits);
	assert_int_equal(a->vendor, b->vendor);
	assert_int_equal(a->overlap, b->overlap);
}

static void
init_accepts_limits(void **state)
{
	static const unsigned vcnts[] = { 0, 1, 8, 39, MTRR_VAR_MAX };
	struct mtrr_state s;
	struct mtrr_caps c;
	unsigned pb, i;
	int smrr, amd, wb;

	(void)state;
	for (pb = 32; pb <= 52; pb++)
		for (i = 0; i < sizeof(vcnts) / sizeof(vcnts[0]); i++)
			for (amd = 0; amd < 2; amd++)
				for (smrr = 0; smrr < 2 - amd; smrr++)
					for (wb = 0; wb < 2; wb++) {
						c = caps_of(vcnts[i], (pb & 1) != 0, (pb & 2) != 0,
							    smrr != 0, pb, amd ? MTRR_VENDOR_AMD :
							    MTRR_VENDOR_INTEL);
						c.overlap = wb ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
						/* Garbage before: init must clear all of it. */
						memset(&s, PATTERN, sizeof(s));
						assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
						assert_caps_equal(&s.caps, &c);
						assert_all_zero(&s);
					}
}

/* A legal value with every interesting bit set in each register the caps have. */
static void
fill(struct mtrr_state *s)
{
	const struct mtrr_caps *c = &s->caps;
	uint64_t addr = ((1ull << c->phys_bits) - 1) & ~0xFFFull;
	unsigned i;

	for (i = 0; i < c->vcnt; i++) {
		assert_int_equal(mtrr_wrmsr(s, 0x200 + 2 * i, addr | 6), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(s, 0x201 + 2 * i, addr | (1ull << 11)), MTRR_OK);
	}
	if (c->fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			assert_int_equal(mtrr_wrmsr(s, fixed_msrs[i], 0x0606050504040006ull),
					 MTRR_OK);
	if (c->smrr) {
		assert_int_equal(mtrr_wrmsr(s, 0x1F2, 0xFFFFF006ull), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(s, 0x1F3, 0xFFFFF800ull), MTRR_OK);
	}
	/*
	 * AMD: RdMem/WrMem written with MtrrFixDramModEn, then hidden; every
	 * AMD register, SYSCFG with bits of the VMM's (SME, SNP) besides ours.
	 */
	if (c->vendor == MTRR_VENDOR_AMD) {
		assert_int_equal(mtrr_wrmsr(s, 0xC0010010u, 1ull << 19), MTRR_OK);
		for (i = 0; i < MTRR_FIXED_MSRS && c->fixed; i++)
			assert_int_equal(mtrr_wrmsr(s, fixed_msrs[i], 0x1E1E0E0E16160606ull),
					 MTRR_OK);
		assert_int_equal(mtrr_wrmsr(s, 0xC0010016u, addr | 0x18), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(s, 0xC0010017u, addr | (1ull << 11)), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(s, 0xC0010018u, addr | 0x10), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(s, 0xC0010019u, addr | (1ull << 11)), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(s, 0xC001001Au, addr & ~0x7FFFFFull), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(s, 0xC001001Du, addr & ~0x7FFFFFull), MTRR_OK);
		assert_int_equal(mtrr_wrmsr(s, 0xC0010010u, 0x1F70000ull), MTRR_OK);
	}
	/* FE is legal without caps.fixed too. */
	assert_int_equal(mtrr_wrmsr(s, 0x2FF, (1ull << 11) | (1ull << 10) | 6), MTRR_OK);
}

static const struct mtrr_caps *
reset_caps(size_t *n)
{
	static struct mtrr_caps cs[6];

	cs[0] = caps_of(0, false, false, false, 32, MTRR_VENDOR_INTEL);
	cs[1] = caps_of(8, true, true, false, 36, MTRR_VENDOR_INTEL);
	cs[2] = caps_of(10, true, false, true, 46, MTRR_VENDOR_INTEL);
	cs[3] = caps_of(MTRR_VAR_MAX, true, true, true, 52, MTRR_VENDOR_INTEL);
	cs[4] = caps_of(8, true, true, false, 48, MTRR_VENDOR_AMD);
	cs[5] = caps_of(1, false, true, false, 40, MTRR_VENDOR_AMD);
	cs[5].overlap = MTRR_OVERLAP_WB;
	*n = 6;
	return cs;
}

static void
reset_power_on_zeroes(void **state)
{
	const struct mtrr_caps *cs;
	struct mtrr_state s;
	size_t n, i;

	(void)state;
	cs = reset_caps(&n);
	for (i = 0; i < n; i++) {
		assert_int_equal(mtrr_state_init(&s, &cs[i]), MTRR_OK);
		fill(&s);
		mtrr_state_reset(&s, MTRR_RESET_POWER_ON);
		assert_caps_equal(&s.caps, &cs[i]);
		/* E, FE and every V clear, and every other bit too. */
		assert_all_zero(&s);
		/* The state stays usable: registers are writable again. */
		fill(&s);
	}
}

static void
reset_init_unchanged(void **state)
{
	const struct mtrr_caps *cs;
	struct mtrr_state s, before;
	size_t n, i;

	(void)state;
	cs = reset_caps(&n);
	for (i = 0; i < n; i++) {
		assert_int_equal(mtrr_state_init(&s, &cs[i]), MTRR_OK);
		fill(&s);
		memcpy(&before, &s, sizeof(s));
		mtrr_state_reset(&s, MTRR_RESET_INIT);
		assert_memory_equal(&s, &before, sizeof(s));
	}
}

/*
 * RESET zeroes SYSCFG whole (the VMM's bits too: 0 is the processor's reset
 * value) and the hidden RdMem/WrMem: setting MtrrFixDramModEn afterwards
 * shows zero; INIT keeps them, hidden as they were.
 */
static void
reset_amd_hidden_bits(void **state)
{
	struct mtrr_caps c = caps_of(2, true, true, false, 40, MTRR_VENDOR_AMD);
	struct mtrr_state s;
	uint64_t v;

	(void)state;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	fill(&s);
	assert_int_equal(mtrr_rdmsr(&s, 0x250, &v), MTRR_OK);
	assert_int_equal(v, 0x0606060606060606ull);
	mtrr_state_reset(&s, MTRR_RESET_INIT);
	assert_int_equal(mtrr_wrmsr(&s, 0xC0010010u, 1ull << 19), MTRR_OK);
	assert_int_equal(mtrr_rdmsr(&s, 0x250, &v), MTRR_OK);
	assert_int_equal(v, 0x1E1E0E0E16160606ull);
	mtrr_state_reset(&s, MTRR_RESET_POWER_ON);
	assert_int_equal(mtrr_rdmsr(&s, 0xC0010010u, &v), MTRR_OK);
	assert_int_equal(v, 0);
	assert_int_equal(mtrr_wrmsr(&s, 0xC0010010u, 1ull << 19), MTRR_OK);
	assert_int_equal(mtrr_rdmsr(&s, 0x250, &v), MTRR_OK);
	assert_int_equal(v, 0);
}

static void
reset_null_and_unknown(void **state)
{
	static const int kinds[] = { 2, 3, 255, 0x7FFFFFFF };
	struct mtrr_caps c = caps_of(8, true, true, true, 36, MTRR_VENDOR_INTEL);
	struct mtrr_state s, before;
	size_t i;

	(void)state;
	mtrr_state_reset(NULL, MTRR_RESET_POWER_ON);    /* must not crash */
	mtrr_state_reset(NULL, MTRR_RESET_INIT);
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	fill(&s);
	memcpy(&before, &s, sizeof(s));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		mtrr_state_reset(&s, (enum mtrr_reset)kinds[i]);
		assert_memory_equal(&s, &before, sizeof(s));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_rejects_null),
		cmocka_unit_test(init_rejects_bad_caps),
		cmocka_unit_test(init_accepts_limits),
		cmocka_unit_test(reset_power_on_zeroes),
		cmocka_unit_test(reset_init_unchanged),
		cmocka_unit_test(reset_null_and_unknown),
		cmocka_unit_test(reset_amd_hidden_bits),
	};

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
