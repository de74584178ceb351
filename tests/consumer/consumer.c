/*
 * consumer.c — a program built against an installed libmtrr, the way a VMM
 * would: only <mtrr.h> and the library.  C99 on purpose: the header promises it.
 */
#include <stdio.h>

#include <mtrr.h>

static int failures;

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "consumer: FAILED: %s\n", what);
		failures++;
	}
}

int
main(void)
{
	struct mtrr_caps caps = { 0 };
	struct mtrr_state s;
	uint64_t v = 0;

	/* A header/library mismatch is the first thing a broken install shows. */
	check(mtrr_version_number() == MTRR_VERSION_NUMBER, "version matches the header");

	caps.vcnt = 8;
	caps.fixed = true;
	caps.wc = true;
	caps.phys_bits = 36;
	caps.vendor = MTRR_VENDOR_INTEL;
	check(mtrr_state_init(&s, &caps) == MTRR_OK, "mtrr_state_init");

	/* 2 GiB of WB at 0, enabled, default UC. */
	check(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(0), 0x0ull | MTRR_TYPE_WB) == MTRR_OK,
	      "wrmsr PHYSBASE0");
	check(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(0), 0xF80000000ull | MTRR_PHYSMASK_V) == MTRR_OK,
	      "wrmsr PHYSMASK0");
	check(mtrr_wrmsr(&s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_UC) == MTRR_OK,
	      "wrmsr DEF_TYPE");
	check(mtrr_rdmsr(&s, MTRR_MSR_PHYSMASK(0), &v) == MTRR_OK &&
	      v == (0xF80000000ull | MTRR_PHYSMASK_V), "rdmsr PHYSMASK0 reads back");
	check(mtrr_rdmsr(&s, MTRR_MSR_CAP, &v) == MTRR_OK &&
	      v == (8 | MTRR_CAP_FIX | MTRR_CAP_WC), "rdmsr MTRRCAP");

	/* Bit 36 is reserved at MAXPHYADDR 36: #GP, nothing stored. */
	check(mtrr_wrmsr(&s, MTRR_MSR_PHYSBASE(1), 1ull << 36) == MTRR_E_RESERVED_BIT,
	      "reserved bit rejected");
	check(mtrr_status_is_gp(MTRR_E_RESERVED_BIT), "reserved bit is #GP");
	check(mtrr_rdmsr(&s, MTRR_MSR_PHYSBASE(1), &v) == MTRR_OK && v == 0,
	      "rejected write changed nothing");
	check(mtrr_ref_lookup(&s, 0x1000) == MTRR_TYPE_WB, "lookup inside the range");
	check(mtrr_ref_lookup(&s, 0x80000000ull) == MTRR_TYPE_UC, "lookup outside the range");

	if (failures)
		return 1;
	printf("consumer ok: libmtrr %u, %s\n", mtrr_version_number(),
	       mtrr_status_str(MTRR_OK));
	return 0;
}
