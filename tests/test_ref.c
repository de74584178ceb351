/*
 * test_ref.c — the reference resolver, mtrr_ref_lookup (libmtrr/ref.c).
 *
 * The cases live in test_resolver_helpers.h, shared with test_map.c: here
 * each expectation is asked of mtrr_ref_lookup.  Everything the compiled map
 * is checked against rests on these hand-computed answers.
 */
#include "test_resolver_helpers.h"

static void
rt_expect(const struct mtrr_state *s, uint64_t addr, uint8_t want, const char *file, int line)
{
	uint8_t got = mtrr_ref_lookup(s, addr);

	if (got != want) {
		print_error("%s:%d: mtrr_ref_lookup(%#" PRIx64 ") = %s (%u), want %s (%u)\n",
			    file, line, addr, mtrr_type_str(got), got, mtrr_type_str(want), want);
		rt_dump(s);
		_fail(file, line);
	}
}

static void
test_null_state(void **unused)
{
	(void)unused;
	assert_int_equal(mtrr_ref_lookup(NULL, 0), MTRR_TYPE_INVALID);
	assert_int_equal(mtrr_ref_lookup(NULL, MIB), MTRR_TYPE_INVALID);
}

/*
 * A state that never went through mtrr_state_init (all zero: phys_bits 0)
 * has no memory types; shifting by its phys_bits must not be trusted either.
 */
static void
test_uninitialised_state(void **unused)
{
	struct mtrr_state s;

	(void)unused;
	memset(&s, 0, sizeof(s));
	assert_int_equal(mtrr_ref_lookup(&s, 0), MTRR_TYPE_INVALID);
	s.caps.phys_bits = 64;                  /* out of range: would shift by 64 */
	s.def_type = MTRR_DEF_E | WB;
	assert_int_equal(mtrr_ref_lookup(&s, MIB), MTRR_TYPE_INVALID);
}

/* The reference reads the registers on every call: a write shows at once. */
static void
test_follows_writes(void **unused)
{
	struct mtrr_caps c = rt_caps(8, 36);
	struct mtrr_state s;

	(void)unused;
	rt_init(&s, &c);
	WR(&s, MTRR_MSR_DEF_TYPE, rt_def(WB, true, true));
	EXPECT(&s, 0, UC);                      /* fixed bytes are zero */
	EXPECT(&s, 4 * GIB, WB);
	PAIR(&s, 0, 4 * GIB, 4 * GIB, WT);
	EXPECT(&s, 4 * GIB, WT);
	WR(&s, MTRR_MSR_FIX64K_00000, rt_fix8(WP));
	EXPECT(&s, 0, WP);
	mtrr_state_reset(&s, MTRR_RESET_INIT);  /* INIT keeps the MTRRs */
	EXPECT(&s, 4 * GIB, WT);
	mtrr_state_reset(&s, MTRR_RESET_POWER_ON);
	EXPECT(&s, 0, UC);
	EXPECT(&s, 4 * GIB, UC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		RT_SHARED_TESTS,
		cmocka_unit_test(test_null_state),
		cmocka_unit_test(test_uninitialised_state),
		cmocka_unit_test(test_follows_writes),
	};

	return cmocka_run_group_tests_name("ref", tests, NULL, NULL);
}
