/*
 * test_status.c — status names, the #GP classification, type names and the
 * version: the small contract a VMM's MSR exit handler relies on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mtrr.h"

/* Every status the header defines, with the value it promises never to change. */
static const struct {
	mtrr_status s;
	int value;
	int gp;                 /* the header's list for mtrr_status_is_gp */
} statuses[] = {
	{ MTRR_OK, 0, 0 },
	{ MTRR_E_NOT_MTRR, 1, 0 },
	{ MTRR_E_ABSENT, 2, 1 },
	{ MTRR_E_READ_ONLY, 3, 1 },
	{ MTRR_E_RESERVED_BIT, 4, 1 },
	{ MTRR_E_INVALID_TYPE, 5, 1 },
	{ MTRR_E_WC_UNSUPPORTED, 6, 1 },
	{ MTRR_E_INVALID_ARG, 16, 0 },
	{ MTRR_E_SNAPSHOT_TRUNCATED, 17, 0 },
	{ MTRR_E_SNAPSHOT_MAGIC, 18, 0 },
	{ MTRR_E_SNAPSHOT_VERSION, 19, 0 },
	{ MTRR_E_SNAPSHOT_CHECKSUM, 20, 0 },
	{ MTRR_E_SNAPSHOT_CORRUPT, 21, 0 },
	{ MTRR_E_INCOMPATIBLE, 22, 0 },
	{ MTRR_E_BUFFER_TOO_SMALL, 23, 0 },
	{ MTRR_E_MISMATCH, 26, 0 },
	{ MTRR_E_TOO_FEW_PAIRS, 24, 0 },
	{ MTRR_E_FIXED_CONFLICT, 25, 0 },
};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))

static int
is_defined(int v)
{
	size_t i;

	for (i = 0; i < NSTATUS; i++)
		if (statuses[i].value == v)
			return 1;
	return 0;
}

/* Binary compatibility: callers store and compare the numbers. */
static void
status_values_are_stable(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NSTATUS; i++)
		assert_int_equal((int)statuses[i].s, statuses[i].value);
}

static void
status_str_defined(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < NSTATUS; i++) {
		const char *a = mtrr_status_str(statuses[i].s);

		assert_non_null(a);
		assert_true(strlen(a) > 0);
		assert_string_not_equal(a, "unknown status");
		for (j = 0; j < i; j++)
			assert_string_not_equal(a, mtrr_status_str(statuses[j].s));
	}
}

static void
status_str_unknown(void **state)
{
	static const int unknown[] = { 7, 8, 15, 100, 255, 0x7FFFFFFF };
	size_t i;
	int v;

	(void)state;
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_string_equal(mtrr_status_str((mtrr_status)unknown[i]), "unknown status");
	/* Every gap between defined values too. */
	for (v = 0; v < 64; v++)
		if (!is_defined(v))
			assert_string_equal(mtrr_status_str((mtrr_status)v), "unknown status");
}

static void
status_is_gp_exact(void **state)
{
	size_t i;
	int v;

	(void)state;
	for (i = 0; i < NSTATUS; i++)
		assert_int_equal(mtrr_status_is_gp(statuses[i].s), statuses[i].gp);
	/* Undefined values are no #GP cause: a VMM must not inject on garbage. */
	for (v = 0; v < 256; v++)
		if (!is_defined(v))
			assert_false(mtrr_status_is_gp((mtrr_status)v));
	assert_false(mtrr_status_is_gp((mtrr_status)0x7FFFFFFF));
}

static void
type_str_all_bytes(void **state)
{
	unsigned t;

	(void)state;
	for (t = 0; t < 256; t++) {
		const char *want;

		switch (t) {
		case 0: want = "UC"; break;
		case 1: want = "WC"; break;
		case 4: want = "WT"; break;
		case 5: want = "WP"; break;
		case 6: want = "WB"; break;
		case 7: want = "UC-"; break;
		case 0xFE: want = "MIXED"; break;
		default: want = "INVALID"; break;
		}
		assert_string_equal(mtrr_type_str((uint8_t)t), want);
	}
	/* The enumerators are the architectural encodings. */
	assert_int_equal(MTRR_TYPE_UC, 0);
	assert_int_equal(MTRR_TYPE_WC, 1);
	assert_int_equal(MTRR_TYPE_WT, 4);
	assert_int_equal(MTRR_TYPE_WP, 5);
	assert_int_equal(MTRR_TYPE_WB, 6);
	assert_int_equal(MTRR_TYPE_MIXED, 0xFE);
	assert_int_equal(MTRR_TYPE_INVALID, 0xFF);
}

static void
version(void **state)
{
	(void)state;
	assert_int_equal(mtrr_version_number(), MTRR_VERSION_NUMBER);
	assert_int_equal(MTRR_VERSION_NUMBER, MTRR_VERSION_MAJOR * 10000 +
			 MTRR_VERSION_MINOR * 100 + MTRR_VERSION_PATCH);
	assert_true(MTRR_VERSION_MINOR < 100 && MTRR_VERSION_PATCH < 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_values_are_stable),
		cmocka_unit_test(status_str_defined),
		cmocka_unit_test(status_str_unknown),
		cmocka_unit_test(status_is_gp_exact),
		cmocka_unit_test(type_str_all_bytes),
		cmocka_unit_test(version),
	};

	return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
