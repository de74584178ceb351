/*
 * parse_fuzzer.c — the mtrr tool's dump parser (tools/parse.h).
 *
 * Input: 4 option bytes, then the text.
 *   o0: format (o0 % 4: auto, msr, dmesg, proc); bit 2 vcnt_set; bit 3
 *       fixed_set, bit 4 fixed; bit 5 wc_set, bit 6 wc; bit 7 vendor_set
 *   o1: vcnt (o1 % 48: 41..47 are invalid); bit 7 of o1 also picks AMD
 *   o2: phys_bits: 0 (infer) when o2 < 128, else 28 + o2 % 28 (some invalid);
 *       below 128, bit 6 sets default_type_set
 *   o3: bit 0 overlap WB; default type: fuzz_type(o3 >> 1), or the raw
 *       value o3 >> 2 when bit 1 is set (invalid types included)
 *
 * Properties: any text and options never crash or read out of bounds; the
 * result is OK, SYNTAX, REGISTER or NO_BLOCK (only for a boot log) and
 * equals out->err; every string in the dump is NUL-terminated in its array
 * and the counts are within their arrays (Linux's map entries are ranges in
 * order of reading, complete only when all were kept); parsing is
 * deterministic; an accepted dump has valid caps, and
 * every register of its state passes mtrr_wrmsr (a fresh state written with
 * them is byte for byte equal); the detected format, forced, gives the same
 * dump; a REGISTER error names a #GP status.
 */
#include <string.h>

#include "fuzz_state.h"
#include "parse.h"

static void
check_strings(const struct mtrr_dump *d)
{
	unsigned i;

	FUZZ_ASSERT(memchr(d->err_text, 0, sizeof(d->err_text)) != NULL);
	FUZZ_ASSERT(memchr(d->log.version, 0, sizeof(d->log.version)) != NULL);
	FUZZ_ASSERT(d->nnotes <= MTRR_PARSE_NOTES);
	FUZZ_ASSERT(d->linux_map_n <= MTRR_PARSE_LINUX_MAP);
	FUZZ_ASSERT(d->linux_map_n <= d->linux_map_expected || d->err != MTRR_PARSE_OK);
	FUZZ_ASSERT(!d->linux_map_complete || (d->linux_map_line != 0 &&
					       d->linux_map_n == d->linux_map_expected));
	for (i = 0; i < d->linux_map_n; i++)
		FUZZ_ASSERT(d->linux_map[i].start < d->linux_map[i].end);
	for (i = 0; i < d->nnotes; i++)
		FUZZ_ASSERT(memchr(d->notes[i].text, 0, sizeof(d->notes[i].text)) != NULL);
}

static void
check_state(const struct mtrr_state *s)
{
	uint32_t msrs[MTRR_MSR_LIST_MAX];
	struct mtrr_state fresh;
	size_t n, i;
	uint64_t v;

	FUZZ_ASSERT_EQ(mtrr_state_init(&fresh, &s->caps), MTRR_OK);
	n = mtrr_msr_list(&s->caps, msrs, MTRR_MSR_LIST_MAX);
	FUZZ_ASSERT(n > 0 && n <= MTRR_MSR_LIST_MAX);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT_EQ(mtrr_rdmsr(s, msrs[i], &v), MTRR_OK);
		FUZZ_ASSERT_EQ(mtrr_wrmsr(&fresh, msrs[i], v), MTRR_OK);
	}
	FUZZ_ASSERT(memcmp(&fresh, s, sizeof(fresh)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mtrr_dump d, again;
	struct fuzz_in in = fuzz_in_make(data, size);
	struct mtrr_parse_opts o;
	uint8_t o0 = fuzz_u8(&in), o1 = fuzz_u8(&in), o2 = fuzz_u8(&in), o3 = fuzz_u8(&in);
	const char *text = (const char *)in.p;
	enum mtrr_parse_error e;

	mtrr_parse_opts_init(&o);
	o.format = (enum mtrr_format)(o0 % 4u);
	o.vcnt_set = (o0 & 4u) != 0;
	o.vcnt = o1 % 48u;
	o.fixed_set = (o0 & 8u) != 0;
	o.fixed = (o0 & 16u) != 0;
	o.wc_set = (o0 & 32u) != 0;
	o.wc = (o0 & 64u) != 0;
	o.vendor_set = (o0 & 128u) != 0;
	o.vendor = (o1 & 128u) ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL;
	o.phys_bits = o2 < 128u ? 0 : 28u + o2 % 28u;
	o.default_type_set = o2 < 128u && (o2 & 64u) != 0;
	o.overlap = (o3 & 1u) ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
	o.default_type = (o3 & 2u) ? (uint8_t)(o3 >> 2) : fuzz_type(o3 >> 2);

	memset(&d, 0xA5, sizeof(d));
	e = mtrr_parse(text, in.n, &o, &d);
	FUZZ_ASSERT_EQ(e, d.err);
	FUZZ_ASSERT(e == MTRR_PARSE_OK || e == MTRR_PARSE_SYNTAX || e == MTRR_PARSE_REGISTER ||
		    e == MTRR_PARSE_NO_BLOCK);
	FUZZ_ASSERT(e != MTRR_PARSE_NO_BLOCK || d.format == MTRR_FORMAT_DMESG);
	check_strings(&d);

	memset(&again, 0x5A, sizeof(again));
	FUZZ_ASSERT_EQ(mtrr_parse(text, in.n, &o, &again), e);
	FUZZ_ASSERT(memcmp(&d, &again, sizeof(d)) == 0);

	if (e == MTRR_PARSE_REGISTER) {
		FUZZ_ASSERT(mtrr_status_is_gp(d.err_status));
		return 0;
	}
	if (e != MTRR_PARSE_OK)
		return 0;
	FUZZ_ASSERT(d.format != MTRR_FORMAT_AUTO);
	check_state(&d.state);
	if (o.format == MTRR_FORMAT_AUTO) {
		o.format = d.format;
		FUZZ_ASSERT_EQ(mtrr_parse(text, in.n, &o, &again), MTRR_PARSE_OK);
		FUZZ_ASSERT(memcmp(&d, &again, sizeof(d)) == 0);
	}
	return 0;
}
