/*
 * test_parse.c — the dump parser of the `mtrr` tool (tools/parse.h): every
 * input form it promises to read, the register values it must produce, the
 * line and reason of every kind of error, and that no byte string makes it
 * misbehave.  Expected register values are worked out by hand from the
 * input text (comments say how).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"
#include "parse_impl.h"

static struct mtrr_dump d;

static enum mtrr_parse_error
parse_str(const char *text, const struct mtrr_parse_opts *o)
{
	return mtrr_parse(text, strlen(text), o, &d);
}

/* The note whose text contains `part`, or NULL. */
static const struct mtrr_parse_note *
note_with(const char *part)
{
	unsigned i;

	for (i = 0; i < d.nnotes; i++)
		if (strstr(d.notes[i].text, part) != NULL)
			return &d.notes[i];
	return NULL;
}

static uint64_t
reg(uint32_t msr)
{
	uint64_t v = 0xdeadbeefull;

	assert_int_equal(mtrr_rdmsr(&d.state, msr, &v), MTRR_OK);
	return v;
}

/* Every register of an accepted dump must be one mtrr_wrmsr accepts. */
static void
assert_state_valid(void)
{
	struct mtrr_state fresh;
	uint32_t msrs[MTRR_MSR_LIST_MAX];
	size_t n, i;

	assert_int_equal(mtrr_state_init(&fresh, &d.state.caps), MTRR_OK);
	n = mtrr_msr_list(&d.state.caps, msrs, MTRR_MSR_LIST_MAX);
	for (i = 0; i < n; i++)
		assert_int_equal(mtrr_wrmsr(&fresh, msrs[i], reg(msrs[i])), MTRR_OK);
}

static void
test_opts_defaults(void **state)
{
	struct mtrr_parse_opts o;

	(void)state;
	mtrr_parse_opts_init(&o);
	assert_int_equal(o.format, MTRR_FORMAT_AUTO);
	assert_true(o.fixed);
	assert_true(o.wc);
	assert_false(o.vcnt_set);
	assert_int_equal(o.phys_bits, 0);
	assert_int_equal(o.default_type, MTRR_TYPE_UC);
	assert_int_equal(o.overlap, MTRR_OVERLAP_UC);
	/* NULL options mean these defaults */
	assert_int_equal(parse_str("0x2ff 0xc06\n", NULL), MTRR_PARSE_OK);
	assert_true(d.state.caps.fixed && d.state.caps.wc);
}

/* Each way of writing the same pair gives the same register. */
static void
test_msr_forms(void **state)
{
	static const char *const forms[] = {
		"0x2ff 0xc06", "2ff c06", "2ff=c06", "0x2ff: 0xc06", "0x2FF = 0XC06",
		"0x2ff,0xc06", "wrmsr 0x2ff 0xc06", "wrmsr -a 0x2ff 0xc06",
		"wrmsr -p 3 0x2ff 0xc06", "wrmsr -p3 0x2ff 0xc06", "IA32_MTRR_DEF_TYPE = 0xc06",
		"MTRR_DEF_TYPE c06", "MSR_MTRRdefType 0xc06", "mtrrdeftype: c06",
		"  0x2ff\t0x0000000000000c06   # trailing comment",
		"# header\n\n0x2ff 0xc06\r\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		assert_int_equal(parse_str(forms[i], NULL), MTRR_PARSE_OK);
		assert_int_equal(d.format, MTRR_FORMAT_MSR);
		assert_int_equal(reg(MTRR_MSR_DEF_TYPE), 0xc06);
	}
}

static void
test_msr_names(void **state)
{
	(void)state;
	assert_int_equal(parse_str("IA32_MTRR_PHYSBASE3 0x80000006\n"
				   "MTRRphysMask3 0xf80000800\n"
				   "IA32_MTRR_FIX16K_A0000 0x0101010101010101\n"
				   "MTRRfix4K_F8000 0x0505050505050505\n"
				   "IA32_SMRR_PHYSBASE 0x7b000006\n"
				   "IA32_SMRR_PHYSMASK 0xff800800\n", NULL), MTRR_PARSE_OK);
	assert_int_equal(reg(MTRR_MSR_PHYSBASE(3)), 0x80000006);
	assert_int_equal(reg(MTRR_MSR_PHYSMASK(3)), 0xf80000800);
	assert_int_equal(reg(MTRR_MSR_FIX16K_A0000), 0x0101010101010101);
	assert_int_equal(reg(MTRR_MSR_FIX4K_F8000), 0x0505050505050505);
	assert_int_equal(reg(MTRR_MSR_SMRR_PHYSBASE), 0x7b000006);
	assert_true(d.state.caps.smrr);         /* SMRR MSRs given: SMRR exists */
	assert_int_equal(d.state.caps.vcnt, 4);  /* highest pair 3, + 1 */
	assert_true(d.vcnt_inferred);
}

static void
test_msr_cap(void **state)
{
	(void)state;
	/* 0xd0a: VCNT 10, FIX (bit 8), WC (bit 10), SMRR (bit 11) */
	assert_int_equal(parse_str("0xfe 0xd0a\n0x2ff 0xc06\n", NULL), MTRR_PARSE_OK);
	assert_true(d.caps_from_msr);
	assert_false(d.vcnt_inferred);
	assert_int_equal(d.state.caps.vcnt, 10);
	assert_true(d.state.caps.fixed);
	assert_true(d.state.caps.wc);
	assert_true(d.state.caps.smrr);
	/* 0x8: VCNT 8, no FIX, no WC: a fixed MSR is then absent */
	assert_int_equal(parse_str("0xfe 0x8\n0x250 0\n", NULL), MTRR_PARSE_REGISTER);
	assert_int_equal(d.err_status, MTRR_E_ABSENT);
	assert_int_equal(d.err_line, 2);
	/* the cap wins over an option that says otherwise, with a note */
	{
		struct mtrr_parse_opts o;
		mtrr_parse_opts_init(&o);
		o.vcnt = 2;
		o.vcnt_set = true;
		assert_int_equal(parse_str("0xfe 0x508\n0x20e 0x6\n", &o), MTRR_PARSE_OK);
		assert_int_equal(d.state.caps.vcnt, 8);
		assert_int_equal(d.nnotes, 3);
		assert_non_null(note_with("overrides --vcnt"));
		assert_int_equal(note_with("overrides --vcnt")->line, 1);
		/* PHYSBASE7 came without its PHYSMASK7, and there is no DEF_TYPE */
		assert_non_null(note_with("PHYSMASK7"));
		assert_non_null(note_with("no IA32_MTRR_DEF_TYPE"));
	}
	/* VCNT 41 cannot exist: pair 40 would be MSR 0x250 */
	assert_int_equal(parse_str("0xfe 0x529\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 1);
}

static void
test_phys_bits(void **state)
{
	struct mtrr_parse_opts o;

	(void)state;
	/* highest address bit 38 (mask 0x7f80000000) -> 39 */
	assert_int_equal(parse_str("0x200 0x6\n0x201 0x7f80000800\n", NULL), MTRR_PARSE_OK);
	assert_int_equal(d.state.caps.phys_bits, 39);
	assert_true(d.phys_bits_inferred);
	/* small addresses still give at least 36 */
	assert_int_equal(parse_str("0x200 0x6\n0x201 0xff000800\n", NULL), MTRR_PARSE_OK);
	assert_int_equal(d.state.caps.phys_bits, 36);
	/* given: bit 40 is then reserved, named with its line */
	mtrr_parse_opts_init(&o);
	o.phys_bits = 40;
	assert_int_equal(parse_str("0x2ff 0xc06\n0x201 0x1ff80000800\n", &o),
			 MTRR_PARSE_REGISTER);
	assert_int_equal(d.err_status, MTRR_E_RESERVED_BIT);
	assert_int_equal(d.err_msr, MTRR_MSR_PHYSMASK(0));
	assert_int_equal(d.err_line, 2);
	assert_non_null(strstr(d.err_text, "0x10000000000"));
	/* beyond 52 bits no CPU has it: clamped to 52 and rejected */
	assert_int_equal(parse_str("0x201 0x8000000000000800\n", NULL), MTRR_PARSE_REGISTER);
	assert_int_equal(d.err_status, MTRR_E_RESERVED_BIT);
	/* impossible options */
	o.phys_bits = 53;
	assert_int_equal(parse_str("0x2ff 0\n", &o), MTRR_PARSE_SYNTAX);
	mtrr_parse_opts_init(&o);
	o.vcnt = 41;
	o.vcnt_set = true;
	assert_int_equal(parse_str("0x2ff 0\n", &o), MTRR_PARSE_SYNTAX);
}

static void
test_msr_errors(void **state)
{
	(void)state;
	assert_int_equal(parse_str("0x2ff 0xc06\n\n0x200 0x2\n", NULL), MTRR_PARSE_REGISTER);
	assert_int_equal(d.err_line, 3);
	assert_int_equal(d.err_status, MTRR_E_INVALID_TYPE);
	/* not an MTRR at all: the input is no MTRR dump (no #GP cause) */
	assert_int_equal(parse_str("0x2ff 0\n0x277 0x7040600070406\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 2);
	assert_non_null(strstr(d.err_text, "0x277"));
	assert_int_equal(parse_str("0x2ff 0xc06\n0x2ff 0xc00\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 2);
	/* the same value twice is one register */
	assert_int_equal(parse_str("0x2ff 0xc06\n2ff c06\n", NULL), MTRR_PARSE_OK);
	assert_int_equal(parse_str("0x2ff\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(parse_str("0x2ff 0xc06 0x1\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(parse_str("0x2ff zz\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(parse_str("0x2ff 0x10000000000000000\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(parse_str("0x100000000 0\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(parse_str("wrmsr -z 0x2ff 0\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(parse_str("IA32_MTRR_PHYSBASE40 0\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(parse_str("\n# only a comment\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 0);
	assert_int_equal(parse_str("", NULL), MTRR_PARSE_SYNTAX);
	/* WC without the cap: rejected by the library, byte located */
	{
		struct mtrr_parse_opts o;
		mtrr_parse_opts_init(&o);
		o.wc = false;
		assert_int_equal(parse_str("0x250 0x0606010606060606\n", &o), MTRR_PARSE_REGISTER);
		assert_int_equal(d.err_status, MTRR_E_WC_UNSUPPORTED);
		assert_non_null(strstr(d.err_text, "byte 5"));
	}
}

/* One boot-log MTRR block, written with `prefix` before every line. */
static const char *const block[] = {
	"MTRR default type: uncachable",
	"MTRR fixed ranges enabled:",
	"  00000-9FFFF write-back",
	"  A0000-BFFFF uncachable",
	"  C0000-CFFFF write-protect",
	"  D0000-DFFFF uncachable",
	"  E0000-FFFFF write-protect",
	"MTRR variable ranges enabled:",
	"  0 base 000000000 mask F00000000 write-back",
	"  1 base 0E0000000 mask FE0000000 uncachable",
	"  2 disabled",
	"  3 base 100000000 mask FC0000000 write-back",
};

static void
check_block(void)
{
	assert_int_equal(d.format, MTRR_FORMAT_DMESG);
	assert_int_equal(d.state.caps.vcnt, 4);
	assert_true(d.state.caps.fixed);
	assert_int_equal(d.state.caps.phys_bits, 36);
	/* default UC (0), E (bit 11) and FE (bit 10) */
	assert_int_equal(reg(MTRR_MSR_DEF_TYPE), 0xc00);
	/* 64K pieces 0-9 WB: 0x00000-0x7FFFF all WB */
	assert_int_equal(reg(MTRR_MSR_FIX64K_00000), 0x0606060606060606);
	/* 16K pieces 0x80000-0x9FFFF WB */
	assert_int_equal(reg(MTRR_MSR_FIX16K_80000), 0x0606060606060606);
	assert_int_equal(reg(MTRR_MSR_FIX16K_A0000), 0);
	/* 4K: C0000-CFFFF WP is MSRs 0x268, 0x269; D0000-DFFFF UC; E0000- WP */
	assert_int_equal(reg(MTRR_MSR_FIX4K_C0000), 0x0505050505050505);
	assert_int_equal(reg(MTRR_MSR_FIX4K_C8000), 0x0505050505050505);
	assert_int_equal(reg(MTRR_MSR_FIX4K_D0000), 0);
	assert_int_equal(reg(MTRR_MSR_FIX4K_D8000), 0);
	assert_int_equal(reg(MTRR_MSR_FIX4K_E0000), 0x0505050505050505);
	assert_int_equal(reg(MTRR_MSR_FIX4K_F8000), 0x0505050505050505);
	/* base keeps the type in bits 7:0, mask gets V (bit 11) */
	assert_int_equal(reg(MTRR_MSR_PHYSBASE(0)), 0x6);
	assert_int_equal(reg(MTRR_MSR_PHYSMASK(0)), 0xf00000800);
	assert_int_equal(reg(MTRR_MSR_PHYSBASE(1)), 0xe0000000);
	assert_int_equal(reg(MTRR_MSR_PHYSMASK(1)), 0xfe0000800);
	assert_int_equal(reg(MTRR_MSR_PHYSMASK(2)), 0);
	assert_int_equal(reg(MTRR_MSR_PHYSBASE(3)), 0x100000006);
	assert_state_valid();
}

static void
parse_block(const char *prefix, const char *eol)
{
	char text[4096];
	size_t i, n = 0;

	n += (size_t)snprintf(text + n, sizeof(text) - n, "%sLinux version 5.10%s", prefix, eol);
	for (i = 0; i < sizeof(block) / sizeof(block[0]); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s%s", prefix, block[i], eol);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "%sx86/PAT: Configuration%s", prefix,
			      eol);
	assert_true(n < sizeof(text));
	assert_int_equal(parse_str(text, NULL), MTRR_PARSE_OK);
	check_block();
}

static void
test_dmesg_prefixes(void **state)
{
	(void)state;
	parse_block("", "\n");
	parse_block("[    0.000000] ", "\n");
	parse_block("[    0.000000] ", "\r\n");
	parse_block("<6>[    0.000000] ", "\n");
	parse_block("<7>", "\n");
	parse_block("[Mon Jan  1 00:00:00 2024] ", "\n");
	parse_block("Jan 01 00:00:00 host kernel: ", "\n");
	parse_block("Jan 12 08:14:31 lab kernel: [    0.000000] ", "\n");
	parse_block("kern  :info  : [    0.000000] ", "\n");
	parse_block("(XEN) ", "\n");
	parse_block("(XEN) [    0.000000] ", "\n");
}

/* The padding differs between kernels; the digits are what counts. */
static void
test_dmesg_widths(void **state)
{
	static const char *const lines[] = {
		"  0 base 080000000 mask F80000000 uncachable",         /* old, 36 bits */
		"  0 base 0080000000 mask 7F80000000 uncachable",       /* old, 39 bits */
		"  0 base 0000080000000 mask 0007F80000000 uncachable", /* 6.5+, 39 bits */
		"  0 base 000080000000 mask 7fff80000000 uncachable",   /* Xen, 47 bits */
	};
	static const uint64_t mask[] = { 0xf80000800, 0x7f80000800, 0x7f80000800,
					 0x7fff80000800 };
	static const unsigned bits[] = { 36, 39, 39, 47 };
	char text[256];
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), "MTRR default type: write-back\n"
			 "MTRR variable ranges enabled:\n%s\n  1 disabled\n", lines[i]);
		assert_int_equal(parse_str(text, NULL), MTRR_PARSE_OK);
		assert_int_equal(reg(MTRR_MSR_PHYSBASE(0)), 0x80000000);
		assert_int_equal(reg(MTRR_MSR_PHYSMASK(0)), mask[i]);
		assert_int_equal(d.state.caps.phys_bits, bits[i]);
		/* no fixed block printed: the CPU has none */
		assert_false(d.state.caps.fixed);
		assert_int_equal(d.state.caps.vcnt, 2);
		assert_int_equal(reg(MTRR_MSR_DEF_TYPE), 0x806);
	}
}

static void
test_dmesg_enables(void **state)
{
	(void)state;
	/* MTRRs off: both "disabled"; FE and E clear */
	assert_int_equal(parse_str("MTRR default type: write-back\n"
				   "MTRR fixed ranges disabled:\n  00000-FFFFF uncachable\n"
				   "MTRR variable ranges disabled:\n  0 disabled\n", NULL),
			 MTRR_PARSE_OK);
	assert_int_equal(reg(MTRR_MSR_DEF_TYPE), 0x6);
	assert_true(d.state.caps.fixed);
	/* early 2.6: "MTRR " before fixed runs; write-through, write-combining */
	assert_int_equal(parse_str("MTRR default type: write-through\n"
				   "MTRR fixed ranges enabled:\n MTRR 00000-7FFFF write-combining\n"
				   " MTRR 80000-FFFFF write-back\n"
				   "MTRR variable ranges enabled:\n  0 disabled\n", NULL),
			 MTRR_PARSE_OK);
	assert_int_equal(reg(MTRR_MSR_DEF_TYPE), 0xc04);
	assert_int_equal(reg(MTRR_MSR_FIX64K_00000), 0x0101010101010101);
	assert_int_equal(reg(MTRR_MSR_FIX16K_A0000), 0x0606060606060606);
}

static void
test_dmesg_tom2_and_map(void **state)
{
	(void)state;
	assert_int_equal(parse_str(
		"MTRR default type: uncachable\n"
		"MTRR variable ranges enabled:\n"
		"  0 base 000000000000 mask FFFF80000000 write-back\n"
		"TOM2: 0000000420000000 aka 16896M\n"
		"MTRR map: 2 entries (0 fixed + 2 variable; max 3), built from 2 variable MTRRs\n"
		"  0: 0000000000000000-000000007fffffff write-back\n"
		"  1: 0000000100000000-000000041fffffff write-back\n"
		"x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT\n"
		"  2: 0000000500000000-00000005ffffffff write-back\n", NULL), MTRR_PARSE_OK);
	assert_true(d.has_tom2);
	assert_int_equal(d.tom2, 0x420000000);
	assert_int_equal(d.state.caps.vendor, MTRR_VENDOR_AMD);
	assert_int_equal(d.nnotes, 1);
	assert_int_equal(d.notes[0].line, 4);
	/* entries up to the first other line; end made exclusive */
	assert_int_equal(d.linux_map_n, 2);
	assert_int_equal(d.linux_map[1].start, 0x100000000);
	assert_int_equal(d.linux_map[1].end, 0x420000000);
	assert_int_equal(d.linux_map[1].type, MTRR_TYPE_WB);
}

static void
test_dmesg_errors(void **state)
{
	static const struct {
		const char *text;
		enum mtrr_parse_error err;
		unsigned line;
	} cases[] = {
		/* cut before the variable ranges */
		{ "MTRR default type: write-back\nMTRR fixed ranges enabled:\n"
		  "  00000-FFFFF write-back\nother\n", MTRR_PARSE_SYNTAX, 1 },
		/* fixed runs with a gap, not on a boundary, past 1 MiB, short */
		{ "MTRR default type: write-back\nMTRR fixed ranges enabled:\n"
		  "  00000-9FFFF write-back\n  C0000-FFFFF write-back\n", MTRR_PARSE_SYNTAX, 4 },
		{ "MTRR default type: write-back\nMTRR fixed ranges enabled:\n"
		  "  00000-A1FFF write-back\n", MTRR_PARSE_SYNTAX, 3 },
		{ "MTRR default type: write-back\nMTRR fixed ranges enabled:\n"
		  "  00000-100FFF write-back\n", MTRR_PARSE_SYNTAX, 3 },
		{ "MTRR default type: write-back\nMTRR fixed ranges enabled:\n"
		  "  00000-9FFFF write-back\nMTRR variable ranges enabled:\n", MTRR_PARSE_SYNTAX, 2 },
		/* variable lines out of order, too many, malformed */
		{ "MTRR default type: write-back\nMTRR variable ranges enabled:\n"
		  "  1 disabled\n", MTRR_PARSE_SYNTAX, 3 },
		{ "MTRR default type: write-back\nMTRR variable ranges enabled:\n"
		  "  0 base 80000000 write-back\n", MTRR_PARSE_SYNTAX, 3 },
		{ "MTRR default type: write-back\nMTRR variable ranges enabled:\n"
		  "  0 base 80000800 mask F80000000 write-back\n", MTRR_PARSE_SYNTAX, 3 },
		{ "MTRR default type: write-back\nMTRR variable ranges enabled:\n"
		  "  0 base 80000000 mask F80000000 write-forward\n", MTRR_PARSE_SYNTAX, 3 },
		{ "MTRR default type: write-back\nMTRR variable ranges enabled:\n"
		  "  0 base 80000000 mask F80000000 write-back extra\n", MTRR_PARSE_SYNTAX, 3 },
		/* an invalid type, which Linux prints as ? */
		{ "MTRR default type: ?\nMTRR variable ranges enabled:\n", MTRR_PARSE_REGISTER, 1 },
		{ "MTRR default type: write-back\nMTRR variable ranges enabled:\n"
		  "  0 base 80000000 mask F80000000 ?\n", MTRR_PARSE_REGISTER, 3 },
		/* two boots in one log; headers out of order */
		{ "MTRR default type: write-back\nMTRR variable ranges enabled:\n"
		  "MTRR default type: write-back\n", MTRR_PARSE_SYNTAX, 3 },
		{ "MTRR variable ranges enabled:\n", MTRR_PARSE_SYNTAX, 1 },
		{ "MTRR default type: write-back\nMTRR variable ranges enabled:\n"
		  "MTRR fixed ranges enabled:\n", MTRR_PARSE_SYNTAX, 3 },
	};
	size_t i;
	char many[4096];
	size_t n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse_str(cases[i].text, NULL), cases[i].err);
		assert_int_equal(d.err_line, cases[i].line);
		assert_true(d.err_text[0] != '\0');
	}
	/* a log without the block, read as one */
	{
		struct mtrr_parse_opts o;
		mtrr_parse_opts_init(&o);
		o.format = MTRR_FORMAT_DMESG;
		assert_int_equal(parse_str("Linux version 6.1\n", &o), MTRR_PARSE_NO_BLOCK);
		assert_int_equal(d.err_line, 0);
	}
	/* 41 variable lines: more than MSRs 0x200-0x24F hold */
	n = (size_t)snprintf(many, sizeof(many), "MTRR default type: write-back\n"
			     "MTRR variable ranges enabled:\n");
	for (i = 0; i <= MTRR_VAR_MAX; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "  %zu disabled\n", i);
	assert_int_equal(parse_str(many, NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 3 + MTRR_VAR_MAX);
	/* WC in a fixed run without the WC cap: the run's line */
	{
		struct mtrr_parse_opts o;
		mtrr_parse_opts_init(&o);
		o.wc = false;
		assert_int_equal(parse_str("MTRR default type: write-back\n"
					   "MTRR fixed ranges enabled:\n  00000-BFFFF write-back\n"
					   "  C0000-C7FFF write-combining\n  C8000-FFFFF write-back\n"
					   "MTRR variable ranges enabled:\n", &o), MTRR_PARSE_REGISTER);
		assert_int_equal(d.err_status, MTRR_E_WC_UNSUPPORTED);
		assert_int_equal(d.err_msr, MTRR_MSR_FIX4K_C0000);
		assert_int_equal(d.err_line, 4);
	}
}

/* Pasted lines: mail quoting, indentation, more log prefixes. */
static void
test_dmesg_pasted(void **state)
{
	(void)state;
	parse_block("> ", "\n");
	parse_block("> > ", "\n");
	parse_block(">> [    0.000000] ", "\n");
	parse_block(">", "\n");
	parse_block("    ", "\r\n");
	parse_block("\t> [    0.000000] ", "\r\n");
	parse_block("2024-06-12T19:03:55,000123+02:00 ", "\n");          /* dmesg --time-format iso */
	parse_block("2023-11-02T08:41:17+0100 nas kernel: ", "\n");       /* journalctl -o short-iso */
	parse_block("2023-11-02T08:41:17.123456+01:00 nas kernel: ", "\n"); /* RFC 3339 syslog */
	parse_block("Feb  9 07:30:12 box kernel: [    0.000000] ", "\n");
	parse_block("<6>[    0.000000][    T0] ", "\n");                  /* CONFIG_PRINTK_CALLER */
	parse_block("(XEN) [2024-05-03 11:20:41.540] ", "\n");
}

static void
test_log_lines(void **state)
{
	struct log_line l;
	struct slice line;
	char why[80];

	(void)state;
	line.p = "Feb  9 07:30:12 box systemd[1]: Started foo.";
	line.n = strlen(line.p);
	log_line_split(line, &l);
	assert_true(l.other_program && l.prefixed);
	assert_true(slice_is(l.program, "systemd[1]"));
	assert_true(foreign_message(&l, why, sizeof(why)));
	assert_non_null(strstr(why, "systemd[1]"));
	/* an ISO dmesg line whose message looks like "host tag:" is a message */
	line.p = "2024-06-12T19:03:55,000000+02:00 MTRR map: 5 entries";
	line.n = strlen(line.p);
	log_line_split(line, &l);
	assert_false(l.other_program);
	assert_true(slice_is(l.msg, "MTRR map: 5 entries"));
	line.p = "  >  > [    1.5] x86/PAT: Configuration";
	line.n = strlen(line.p);
	log_line_split(line, &l);
	assert_true(slice_is(l.msg, "x86/PAT: Configuration"));
	assert_true(foreign_message(&l, why, sizeof(why)));
	/* MTRR's own lines and unknown text are not foreign */
	line.p = "TOM2: 0000000420000000 aka 16896M";
	line.n = strlen(line.p);
	log_line_split(line, &l);
	assert_false(foreign_message(&l, why, sizeof(why)));
	line.p = "the second pair was here";
	line.n = strlen(line.p);
	log_line_split(line, &l);
	assert_false(foreign_message(&l, why, sizeof(why)));
	line.p = "-- Boot 4f2a8c --";
	line.n = strlen(line.p);
	log_line_split(line, &l);
	assert_true(foreign_message(&l, why, sizeof(why)));
}

/* Linux 2.6.20-2.6.25 with mtrr.show: one line per fixed piece, "MTRR n". */
static void
test_dmesg_2_6_mtrr_show(void **state)
{
	char text[8192];
	size_t n = 0;
	unsigned i, k;

	(void)state;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "MTRR default type: uncachable\n"
			      "MTRR fixed ranges enabled:\n");
	for (i = 0; i < 88; i++) {
		unsigned base = i < 8 ? i * 0x10000u : i < 24 ? 0x80000u + (i - 8) * 0x4000u :
				0xC0000u + (i - 24) * 0x1000u;
		unsigned step = i < 8 ? 0x10000u : i < 24 ? 0x4000u : 0x1000u;
		n += (size_t)snprintf(text + n, sizeof(text) - n, "MTRR %05X-%05X %s\n", base,
				      base + step - 1, base < 0xA0000u ? "write-back" :
				      base < 0xC0000u ? "uncachable" : "write-protect");
	}
	n += (size_t)snprintf(text + n, sizeof(text) - n, "MTRR variable ranges enabled:\n"
			      "MTRR 0 base 0000000000 mask F800000000 write-back\n"
			      "MTRR 1 disabled\nTOM2: 0000000420000000 aka 16896M\n");
	assert_true(n < sizeof(text));
	assert_int_equal(parse_str(text, NULL), MTRR_PARSE_OK);
	assert_int_equal(reg(MTRR_MSR_DEF_TYPE), 0xc00);
	assert_int_equal(reg(MTRR_MSR_FIX16K_80000), 0x0606060606060606);
	assert_int_equal(reg(MTRR_MSR_FIX16K_A0000), 0);
	for (k = 0; k < 8; k++)
		assert_int_equal(reg(MTRR_MSR_FIX4K_C0000 + k), 0x0505050505050505);
	assert_int_equal(reg(MTRR_MSR_PHYSBASE(0)), 0x6);
	assert_int_equal(reg(MTRR_MSR_PHYSMASK(0)), 0xf800000800);
	assert_int_equal(d.state.caps.vcnt, 2);
	assert_int_equal(d.state.caps.phys_bits, 40);
	assert_true(d.has_tom2);
	assert_int_equal(d.tom2, 0x420000000);
	assert_state_valid();
	/* a wrong "aka" is an error */
	assert_int_equal(parse_str("MTRR default type: uncachable\nMTRR variable ranges "
				   "enabled:\n  0 disabled\nTOM2: 0000000420000000 aka 16M\n", NULL),
			 MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 4);
}

/* "  0 [FIRST-LAST] mask MASK TYPE", and the block mask must match. */
static void
test_dmesg_bracket(void **state)
{
	(void)state;
	assert_int_equal(parse_str("MTRR default type: uncachable\n"
				   "MTRR variable ranges enabled:\n"
				   "  0 [0000000000-007FFFFFFF] mask FF80000000 write-back\n"
				   "  1 [00E0000000-00FFFFFFFF] mask FFE0000000 uncachable\n"
				   "  2 disabled\n", NULL), MTRR_PARSE_OK);
	assert_int_equal(reg(MTRR_MSR_PHYSBASE(1)), 0xe0000000);
	assert_int_equal(reg(MTRR_MSR_PHYSMASK(1)), 0xffe0000800);
	assert_int_equal(d.state.caps.vcnt, 3);
	/* 512 MiB mask, a 256 MiB range */
	assert_int_equal(parse_str("MTRR default type: uncachable\n"
				   "MTRR variable ranges enabled:\n"
				   "  0 [00E0000000-00EFFFFFFF] mask FFE0000000 uncachable\n", NULL),
			 MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 3);
	assert_non_null(strstr(d.err_text, "not the block"));
	assert_int_equal(parse_str("MTRR default type: uncachable\n"
				   "MTRR variable ranges enabled:\n"
				   "  0 [00E0000000-00FFFFFFFF mask FFE0000000 uncachable\n", NULL),
			 MTRR_PARSE_SYNTAX);
}

/* Xen: lower-case hex, "(XEN) " and timestamps, TOM2 with "(WB)". */
static void
test_dmesg_xen(void **state)
{
	(void)state;
	assert_int_equal(parse_str(
		"(XEN) [2024-05-03 11:20:41.512] Xen version 4.17.3 (Debian)\n"
		"(XEN) [2024-05-03 11:20:41.540] MTRR default type: uncachable\n"
		"(XEN) [2024-05-03 11:20:41.540] MTRR fixed ranges enabled:\n"
		"(XEN) [2024-05-03 11:20:41.540]   00000-9ffff write-back\n"
		"(XEN) [2024-05-03 11:20:41.540]   a0000-fffff uncachable\n"
		"(XEN) [2024-05-03 11:20:41.540] MTRR variable ranges enabled:\n"
		"(XEN) [2024-05-03 11:20:41.540]   0 base 000000000000 mask ffff80000000 write-back\n"
		"(XEN) [2024-05-03 11:20:41.540]   1 disabled\n"
		"(XEN) [2024-05-03 11:20:41.540] TOM2: 000840000000 (WB)\n", NULL), MTRR_PARSE_OK);
	assert_true(d.log.xen);
	assert_true(d.has_tom2);
	assert_int_equal(d.tom2, 0x840000000);
	assert_int_equal(d.tom2_line, 9);
	assert_int_equal(d.state.caps.vendor, MTRR_VENDOR_AMD);
	assert_int_equal(reg(MTRR_MSR_PHYSMASK(0)), 0xffff80000800);
	assert_int_equal(d.block_line, 2);
}

/* AMD's SYSCFG as the parser wrote it (through mtrr_wrmsr). */
static uint64_t
syscfg(void)
{
	return reg(MTRR_MSR_SYSCFG);
}

/*
 * A TOM2 line: Linux prints it only when SYSCFG has MtrrTom2En and
 * Tom2ForceMemTypeWB (amd_special_default_mtrr), Xen with MtrrTom2En and
 * " (WB)" for Tom2ForceMemTypeWB; --no-tom2-wb leaves the latter clear.
 * [4 GiB, TOM2) is then WB where no pair matches, in the library's map.
 */
static void
test_dmesg_tom2_syscfg(void **state)
{
	static const char linux_log[] =
		"MTRR default type: uncachable\n"
		"MTRR variable ranges enabled:\n"
		"  0 base 000000000000 mask FFFF80000000 write-back\n"
		"  1 disabled\n"
		"TOM2: 0000000420000000 aka 16896M\n";
	struct mtrr_parse_opts o;
	struct mtrr_map m = { 0 };
	const struct mtrr_parse_note *n;

	(void)state;
	assert_int_equal(parse_str(linux_log, NULL), MTRR_PARSE_OK);
	assert_true(d.tom2_says_wb);
	assert_int_equal(syscfg(), MTRR_SYSCFG_TOM2_EN | MTRR_SYSCFG_TOM2_WB);
	assert_int_equal(reg(MTRR_MSR_TOP_MEM2), 0x420000000);
	assert_state_valid();
	n = note_with("defaults to WB");
	assert_non_null(n);
	assert_int_equal(n->line, 5);
	assert_non_null(strstr(n->text, "[4 GiB, 0x420000000)"));
	assert_null(note_with("not model"));
	assert_int_equal(mtrr_map_build(&m, &d.state), MTRR_OK);
	assert_int_equal(mtrr_map_lookup(&m, 0xffffffff), MTRR_TYPE_UC);
	assert_int_equal(mtrr_map_lookup(&m, 0x100000000), MTRR_TYPE_WB);
	assert_int_equal(mtrr_map_lookup(&m, 0x41fffffff), MTRR_TYPE_WB);
	assert_int_equal(mtrr_map_lookup(&m, 0x420000000), MTRR_TYPE_UC);

	/* --no-tom2-wb: TOP_MEM2 and MtrrTom2En only; the range keeps UC */
	mtrr_parse_opts_init(&o);
	o.tom2_wb = false;
	assert_int_equal(parse_str(linux_log, &o), MTRR_PARSE_OK);
	assert_int_equal(syscfg(), MTRR_SYSCFG_TOM2_EN);
	assert_int_equal(reg(MTRR_MSR_TOP_MEM2), 0x420000000);
	assert_non_null(note_with("--no-tom2-wb"));
	assert_int_equal(mtrr_map_build(&m, &d.state), MTRR_OK);
	assert_int_equal(mtrr_map_lookup(&m, 0x100000000), MTRR_TYPE_UC);

	/* Xen without "(WB)": MtrrTom2En only */
	assert_int_equal(parse_str("(XEN) MTRR default type: uncachable\n"
				   "(XEN) MTRR variable ranges enabled:\n"
				   "(XEN)   0 base 000000000000 mask ffff80000000 write-back\n"
				   "(XEN) TOM2: 000210000000\n", NULL), MTRR_PARSE_OK);
	assert_false(d.tom2_says_wb);
	assert_int_equal(syscfg(), MTRR_SYSCFG_TOM2_EN);
	assert_non_null(note_with("without (WB)"));

	/* --vendor intel: the line is not used, and says so */
	mtrr_parse_opts_init(&o);
	o.vendor = MTRR_VENDOR_INTEL;
	o.vendor_set = true;
	assert_int_equal(parse_str(linux_log, &o), MTRR_PARSE_OK);
	assert_int_equal(d.state.caps.vendor, MTRR_VENDOR_INTEL);
	assert_int_equal(d.state.syscfg, 0);
	assert_int_equal(d.state.top_mem2, 0);
	assert_non_null(note_with("not used"));

	/* TOP_MEM2 beyond MAXPHYADDR: its reserved bits, at the TOM2 line */
	mtrr_parse_opts_init(&o);
	o.phys_bits = 32;
	assert_int_equal(parse_str("MTRR default type: uncachable\n"
				   "MTRR variable ranges enabled:\n"
				   "  0 disabled\n"
				   "TOM2: 0000000420000000 aka 16896M\n", &o), MTRR_PARSE_REGISTER);
	assert_int_equal(d.err_line, 4);
	assert_int_equal(d.err_msr, MTRR_MSR_TOP_MEM2);
	assert_int_equal(d.err_status, MTRR_E_RESERVED_BIT);
}

/* AMD's registers as MSR pairs: by index and by APM or Linux name. */
static void
test_msr_amd(void **state)
{
	struct mtrr_parse_opts o;
	struct mtrr_map m = { 0 };
	char name[32];

	(void)state;
	assert_int_equal(parse_str("0x2ff 0xc00\n"
				   "0x200 0x6\n0x201 0xffff80000800\n"
				   "0x204 0x400000000\n0x205 0xfffff0000800\n"
				   "MSR_AMD64_SYSCFG 0x740000\n"
				   "MSR_K8_TOP_MEM1 0xc0000000\n"
				   "0xc001001d 0x440000000\n"
				   "IORRBase0 0xd0000000\n"
				   "MSR_K8_IORR_MASK0 0xfffff0000800\n", NULL), MTRR_PARSE_OK);
	assert_int_equal(d.state.caps.vendor, MTRR_VENDOR_AMD);
	assert_int_equal(d.state.caps.phys_bits, 48);
	assert_int_equal(syscfg(), 0x740000);
	assert_int_equal(reg(MTRR_MSR_TOP_MEM), 0xc0000000);
	assert_int_equal(reg(MTRR_MSR_TOP_MEM2), 0x440000000);
	assert_int_equal(reg(MTRR_MSR_IORR_BASE(0)), 0xd0000000);
	assert_int_equal(reg(MTRR_MSR_IORR_MASK(0)), 0xfffff0000800);
	assert_false(d.has_tom2);
	assert_state_valid();
	/* the UC pair decides inside [4 GiB, TOP_MEM2); WB around it */
	assert_int_equal(mtrr_map_build(&m, &d.state), MTRR_OK);
	assert_int_equal(mtrr_map_lookup(&m, 0x3fffff000), MTRR_TYPE_WB);
	assert_int_equal(mtrr_map_lookup(&m, 0x400000000), MTRR_TYPE_UC);
	assert_int_equal(mtrr_map_lookup(&m, 0x410000000), MTRR_TYPE_WB);
	assert_int_equal(mtrr_map_lookup(&m, 0x440000000), MTRR_TYPE_UC);

	/* --no-tom2-wb clears Tom2ForceMemTypeWB of a given SYSCFG, with a note */
	mtrr_parse_opts_init(&o);
	o.tom2_wb = false;
	assert_int_equal(parse_str("0x2ff 0xc00\nSYSCFG 0x600000\nTOP_MEM2 0x440000000\n", &o),
			 MTRR_PARSE_OK);
	assert_int_equal(syscfg(), MTRR_SYSCFG_TOM2_EN);
	assert_non_null(note_with("cleared (--no-tom2-wb)"));

	/* on an Intel CPU they are an error at their line */
	mtrr_parse_opts_init(&o);
	o.vendor = MTRR_VENDOR_INTEL;
	o.vendor_set = true;
	assert_int_equal(parse_str("0x2ff 0xc00\n0x200 0x6\nTOP_MEM2 0x440000000\n", &o),
			 MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 3);
	assert_non_null(strstr(d.err_text, "TOP_MEM2 on an Intel CPU"));

	/* reserved bits: TOP_MEM below 8 MiB granularity, an IORR mask bit 10 */
	assert_int_equal(parse_str("0x2ff 0xc00\nTOP_MEM 0xc0001000\n", NULL),
			 MTRR_PARSE_REGISTER);
	assert_int_equal(d.err_line, 2);
	assert_int_equal(d.err_msr, MTRR_MSR_TOP_MEM);
	assert_int_equal(d.err_status, MTRR_E_RESERVED_BIT);
	assert_non_null(strstr(d.err_text, "bits 0x1000"));
	assert_int_equal(parse_str("0x2ff 0xc00\n0xc0010017 0xfffff0000c00\n", NULL),
			 MTRR_PARSE_REGISTER);
	assert_int_equal(d.err_msr, MTRR_MSR_IORR_MASK(0));

	assert_string_equal(mtrr_msr_name(MTRR_MSR_SYSCFG, name, sizeof(name)), "SYSCFG");
	assert_string_equal(mtrr_msr_name(MTRR_MSR_IORR_MASK(1), name, sizeof(name)),
			    "IORRMask1");
	assert_string_equal(mtrr_msr_name(MTRR_MSR_TOP_MEM2, name, sizeof(name)), "TOP_MEM2");
}

/* Linux >= 6.5 with mtrr=debug: the map after the block, whole or cut. */
static void
test_dmesg_linux_map(void **state)
{
	static const char head[] =
		"[    0.000000] Command line: ro mtrr=debug\n"
		"[    0.002902] MTRR default type: write-back\n"
		"[    0.002907] MTRR variable ranges enabled:\n"
		"[    0.002908]   0 base 0000080000000 mask 000FF80000000 uncachable\n"
		"[    0.002910]   1 disabled\n"
		"[    0.002920] MTRR map: 2 entries (0 fixed + 2 variable; max 4), built from 2 "
		"variable MTRRs\n"
		"[    0.002922]   0: 0000000000000000-000000000009ffff write-back\n";
	char text[2048];

	(void)state;
	snprintf(text, sizeof(text), "%s%s", head,
		 "[    0.002923] random: crng init done\n"
		 "[    0.002925]   1: 0000000080000000-00000000ffffffff uncachable\n");
	assert_int_equal(parse_str(text, NULL), MTRR_PARSE_OK);
	assert_true(d.log.mtrr_debug);
	assert_int_equal(d.linux_map_line, 6);
	assert_int_equal(d.linux_map_expected, 2);
	assert_int_equal(d.linux_map_n, 2);
	assert_true(d.linux_map_complete);
	assert_int_equal(d.linux_map[1].end, 0x100000000);
	assert_int_equal(d.skipped, 1);
	assert_int_equal(d.log.summary_pairs, 2);
	/* cut: a note, not compared */
	snprintf(text, sizeof(text), "%s%s", head, "[    0.003361] x86/PAT: Configuration\n");
	assert_int_equal(parse_str(text, NULL), MTRR_PARSE_OK);
	assert_false(d.linux_map_complete);
	assert_non_null(note_with("stops after 1 of its 2 entries"));
	/* an entry out of order is an error */
	snprintf(text, sizeof(text), "%s%s", head,
		 "[    0.002925]   2: 0000000080000000-00000000ffffffff uncachable\n");
	assert_int_equal(parse_str(text, NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 8);
	/* a second map */
	snprintf(text, sizeof(text), "%s%s", head,
		 "  1: 0000000080000000-00000000ffffffff uncachable\nMTRR map: 0 entries\n");
	assert_int_equal(parse_str(text, NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 9);
}

/* Inside the block: foreign messages skipped with a note, others an error. */
static void
test_dmesg_inside_block(void **state)
{
	static const char good[] =
		"Feb  9 07:30:12 box kernel: [    0.000000] MTRR default type: write-back\n"
		"Feb  9 07:30:12 box kernel: [    0.000000] MTRR fixed ranges enabled:\n"
		"Feb  9 07:30:12 box kernel: [    0.000000]   00000-9FFFF write-back\n"
		"Feb  9 07:30:12 box kernel: [    0.000000] e820: update [mem 0x0-0xfff]\n"
		"Feb  9 07:30:12 box kernel: [    0.000000]   A0000-FFFFF uncachable\n"
		"Feb  9 07:30:12 box kernel: [    0.000000] MTRR variable ranges enabled:\n"
		"Feb  9 07:30:12 box kernel: [    0.000000]   0 base 0080000000 mask 7F80000000 "
		"uncachable\n"
		"Feb  9 07:30:12 box rsyslogd: [origin software=\"rsyslogd\"] start\n"
		"\n"
		"Feb  9 07:30:12 box kernel: [    0.000000]   1 base 007C000000 mask 7FFC000000 "
		"uncachable\n"
		"Feb  9 07:30:12 box kernel: [    0.000000]   2 disabled\n"
		"Feb  9 07:30:12 box kernel: [    0.000000] x86/PAT: Configuration [0-7]\n"
		"Feb  9 07:30:12 box kernel: [    0.000000] not an MTRR line, but after the block\n";

	(void)state;
	assert_int_equal(parse_str(good, NULL), MTRR_PARSE_OK);
	assert_int_equal(d.state.caps.vcnt, 3);
	assert_int_equal(reg(MTRR_MSR_PHYSMASK(1)), 0x7ffc000800);
	assert_int_equal(d.skipped, 2);
	assert_int_equal(note_with("'e820:'")->line, 4);
	assert_int_equal(note_with("rsyslogd")->line, 8);
	/* an unknown line between two pairs: an error at its line */
	assert_int_equal(parse_str("MTRR default type: write-back\n"
				   "MTRR variable ranges enabled:\n"
				   "  0 base 0080000000 mask 7F80000000 uncachable\n"
				   "(pair 1 was cut from the paste)\n"
				   "  1 disabled\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 4);
	assert_non_null(strstr(d.err_text, "goes on at line 5"));
	/* ... and in the fixed runs, and between the headers */
	assert_int_equal(parse_str("MTRR default type: write-back\nMTRR fixed ranges enabled:\n"
				   "  00000-9FFFF write-back\nsomething else\n"
				   "  A0000-FFFFF uncachable\nMTRR variable ranges enabled:\n", NULL),
			 MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 4);
	assert_int_equal(parse_str("MTRR default type: write-back\nsomething else\n"
				   "MTRR variable ranges enabled:\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 2);
	/* a line that starts like an entry but is not one: never the block's end */
	assert_int_equal(parse_str("MTRR default type: write-back\n"
				   "MTRR variable ranges enabled:\n"
				   "  0 base 0080000000 mask 7F80000000\n"
				   "uncachable\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 3);
	assert_non_null(strstr(d.err_text, "wrapped"));
	assert_int_equal(parse_str("MTRR default type: write-back\n"
				   "MTRR variable ranges enabled:\n"
				   "  0 start 0080000000 write-back\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 3);
	assert_int_equal(parse_str("MTRR default type: write-back\nMTRR fixed ranges enabled:\n"
				   "  00000-9FFFF\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 3);
	/* headers that say neither enabled nor disabled */
	assert_int_equal(parse_str("MTRR default type: write-back\n"
				   "MTRR variable ranges on:\n", NULL), MTRR_PARSE_SYNTAX);
	/* an unknown prefix, learnt from the first header */
	assert_int_equal(parse_str("cpu0|MTRR default type: write-back\n"
				   "cpu0|MTRR variable ranges enabled:\n"
				   "cpu0|  0 base 0080000000 mask 7F80000000 uncachable\n"
				   "cpu0|  1 disabled\n", NULL), MTRR_PARSE_OK);
	assert_int_equal(d.state.caps.vcnt, 2);
}

/* Logs without the block say what they are. */
static void
test_no_block(void **state)
{
	(void)state;
	assert_int_equal(parse_str(
		"[    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org)\n"
		"[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz ro quiet\n"
		"[    0.001127] x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT\n",
		NULL), MTRR_PARSE_NO_BLOCK);
	assert_int_equal(d.format, MTRR_FORMAT_DMESG);
	assert_true(d.log.is_log);
	assert_string_equal(d.log.version, "6.1.0-18-amd64");
	assert_int_equal(d.log.major, 6);
	assert_int_equal(d.log.minor, 1);
	assert_int_equal(d.log.version_line, 1);
	assert_false(d.log.mtrr_debug);
	assert_int_equal(d.err_line, 0);
	assert_non_null(strstr(d.err_text, "6.1.0-18-amd64"));
	assert_int_equal(parse_str(
		"[    0.000000] Linux version 6.8.0-49-generic (buildd@lcy02-amd64-103)\n"
		"[    0.000884] MTRR map: 4 entries (3 fixed + 1 variable; max 23), built from 10 "
		"variable MTRRs\n"
		"[    0.000886] x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT\n",
		NULL), MTRR_PARSE_NO_BLOCK);
	assert_int_equal(d.log.summary_line, 2);
	assert_int_equal(d.log.summary_entries, 4);
	assert_int_equal(d.log.summary_pairs, 10);
	assert_non_null(strstr(d.err_text, "summary"));
	assert_int_equal(parse_str("(XEN) Xen version 4.17.3\n(XEN) Initial low memory\n", NULL),
			 MTRR_PARSE_NO_BLOCK);
	assert_true(d.log.xen);
	assert_int_equal(parse_str("Mar 14 09:12:03 orca kernel: usb 1-1: new device\n", NULL),
			 MTRR_PARSE_NO_BLOCK);
	assert_true(d.log.is_log);
	assert_string_equal(d.log.version, "");
}

/* The default type: from the input, else from the options, with notes. */
static void
test_default_type(void **state)
{
	struct mtrr_parse_opts o;

	(void)state;
	mtrr_parse_opts_init(&o);
	o.default_type = MTRR_TYPE_WB;
	o.default_type_set = true;
	/* the input says UC: --default-type is not used, with a note */
	assert_int_equal(parse_str("MTRR default type: uncachable\n"
				   "MTRR variable ranges enabled:\n  0 disabled\n", &o), MTRR_PARSE_OK);
	assert_int_equal(reg(MTRR_MSR_DEF_TYPE) & 0xff, MTRR_TYPE_UC);
	assert_int_equal(note_with("--default-type WB is not used")->line, 1);
	/* an MSR list without 0x2FF: E, FE when fixed MSRs are given, the type */
	assert_int_equal(parse_str("0x250 0x0606060606060606\n0x200 0x0\n0x201 0xff000800\n", &o),
			 MTRR_PARSE_OK);
	assert_int_equal(reg(MTRR_MSR_DEF_TYPE), 0xc06);
	assert_non_null(note_with("from --default-type"));
	/* without the option: it reads 0, with a note */
	assert_int_equal(parse_str("0x200 0x0\n0x201 0xff000800\n", NULL), MTRR_PARSE_OK);
	assert_int_equal(reg(MTRR_MSR_DEF_TYPE), 0);
	assert_non_null(note_with("MTRRs are off"));
	/* /proc/mtrr takes it and says which */
	assert_int_equal(parse_str("reg00: base=0x0 (0MB), size=4MB, count=1: write-back\n", &o),
			 MTRR_PARSE_OK);
	assert_int_equal(reg(MTRR_MSR_DEF_TYPE), 0x806);
	assert_non_null(note_with("using WB"));
}

static void
test_proc(void **state)
{
	struct mtrr_parse_opts o;

	(void)state;
	mtrr_parse_opts_init(&o);
	o.default_type = MTRR_TYPE_WB;
	assert_int_equal(parse_str(
		"reg00: base=0x000000000 (    0MB), size= 4096MB, count=1: write-back\n"
		"reg02: base=0x0c0000000 ( 3072MB), size=  256KB, count=2: write-combining\n",
		&o), MTRR_PARSE_OK);
	assert_int_equal(d.format, MTRR_FORMAT_PROC);
	assert_int_equal(d.state.caps.vcnt, 3);
	assert_int_equal(d.state.caps.phys_bits, 36);
	/* E set, FE clear, default from the options */
	assert_int_equal(reg(MTRR_MSR_DEF_TYPE), 0x806);
	/* 4096 MB at MAXPHYADDR 36: mask 0xf00000000 | V */
	assert_int_equal(reg(MTRR_MSR_PHYSMASK(0)), 0xf00000800);
	/* 256 KB: mask 0xffffc0000 | V */
	assert_int_equal(reg(MTRR_MSR_PHYSBASE(2)), 0xc0000001);
	assert_int_equal(reg(MTRR_MSR_PHYSMASK(2)), 0xffffc0800);
	assert_int_equal(d.nnotes, 2);
	assert_state_valid();
	/* the older layout, and the mask follows a given MAXPHYADDR */
	o.phys_bits = 40;
	assert_int_equal(parse_str("reg01: base=0xd8000000 (3456MB), size= 128MB: "
				   "write-combining, count=2\n", &o), MTRR_PARSE_OK);
	assert_int_equal(reg(MTRR_MSR_PHYSMASK(1)), 0xfff8000800);
	/* errors */
	assert_int_equal(parse_str("reg00: base=0x000000000 (    0MB), size=    0KB, "
				   "count=0: ?\n", NULL), MTRR_PARSE_SYNTAX);
	assert_non_null(strstr(d.err_text, "root"));
	assert_int_equal(parse_str("reg00: base=0x0 (0MB), size= 768MB, count=1: "
				   "write-back\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(parse_str("reg00: base=0x80000000 (1024MB), size= 1MB, count=1: "
				   "write-back\n", NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(parse_str("reg00: base=0x0 (0MB), size=4MB, count=1: write-back\n"
				   "reg00: base=0x0 (0MB), size=4MB, count=1: write-back\n",
				   NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 2);
	assert_int_equal(parse_str("reg40: base=0x0 (0MB), size=4MB, count=1: write-back\n",
				   NULL), MTRR_PARSE_SYNTAX);
	assert_int_equal(parse_str("reg00: base=0x0 (0MB), size=4MB, count=1\n", NULL),
			 MTRR_PARSE_SYNTAX);
	assert_int_equal(parse_str("reg00: base=0x0 (0MB), size=4 MB, count=1: write-back\n",
				   NULL), MTRR_PARSE_SYNTAX);
	o.format = MTRR_FORMAT_PROC;
	assert_int_equal(parse_str("0x2ff 0xc06\n", &o), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 1);
	o.wc = false;   /* a WC default type without the cap: the library says no */
	o.default_type = MTRR_TYPE_WC;
	assert_int_equal(parse_str("reg00: base=0x0 (0MB), size=4MB, count=1: write-back\n",
				   &o), MTRR_PARSE_REGISTER);
	assert_int_equal(d.err_msr, MTRR_MSR_DEF_TYPE);
}

static void
test_detect_and_force(void **state)
{
	struct mtrr_parse_opts o;

	(void)state;
	assert_int_equal(parse_str("junk\n[1] MTRR default type: write-back\n"
				   "MTRR variable ranges enabled:\n", NULL), MTRR_PARSE_OK);
	assert_int_equal(d.format, MTRR_FORMAT_DMESG);
	assert_int_equal(parse_str("reg00: base=0x0 (0MB), size=4MB, count=1: write-back\n",
				   NULL), MTRR_PARSE_OK);
	assert_int_equal(d.format, MTRR_FORMAT_PROC);
	/* forced formats read nothing else */
	mtrr_parse_opts_init(&o);
	o.format = MTRR_FORMAT_MSR;
	assert_int_equal(parse_str("MTRR default type: write-back\n", &o), MTRR_PARSE_SYNTAX);
	assert_int_equal(d.err_line, 1);
	o.format = MTRR_FORMAT_DMESG;
	assert_int_equal(parse_str("0x2ff 0xc06\n", &o), MTRR_PARSE_NO_BLOCK);
	assert_false(d.log.is_log);
	assert_string_equal(mtrr_format_name(MTRR_FORMAT_DMESG), "dmesg");
	assert_string_equal(mtrr_format_name(MTRR_FORMAT_AUTO), "auto");
}

static void
test_names(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(mtrr_msr_name(0x213, buf, sizeof(buf)), "IA32_MTRR_PHYSMASK9");
	assert_string_equal(mtrr_msr_name(0x26b, buf, sizeof(buf)), "IA32_MTRR_FIX4K_D8000");
	assert_string_equal(mtrr_msr_name(0x258, buf, sizeof(buf)), "IA32_MTRR_FIX16K_80000");
	assert_string_equal(mtrr_msr_name(0xfe, buf, sizeof(buf)), "IA32_MTRRCAP");
	assert_string_equal(mtrr_msr_name(0x1f3, buf, sizeof(buf)), "IA32_SMRR_PHYSMASK");
	assert_string_equal(mtrr_msr_name(0x277, buf, sizeof(buf)), "MSR 0x277");
	assert_int_equal(mtrr_type_from_name("uncachable"), MTRR_TYPE_UC);
	assert_int_equal(mtrr_type_from_name("Write-Protected"), MTRR_TYPE_WP);
	assert_int_equal(mtrr_type_from_name("wb"), MTRR_TYPE_WB);
	assert_int_equal(mtrr_type_from_name("UC-"), -1);
	assert_int_equal(mtrr_type_from_name(""), -1);
}

/* NUL bytes, a very long line, every prefix of a real log, random bytes. */
static void
test_robust(void **state)
{
	static char big[1 << 16];
	char text[2048];
	size_t n = 0, i, len;
	uint32_t x = 12345;
	enum mtrr_parse_error e;

	(void)state;
	assert_int_equal(mtrr_parse("0x2ff\0 0xc06\n", 13, NULL, &d), MTRR_PARSE_SYNTAX);
	assert_int_equal(mtrr_parse("0x2ff 0xc06", 5, NULL, &d), MTRR_PARSE_SYNTAX);
	assert_int_equal(mtrr_parse(NULL, 0, NULL, &d), MTRR_PARSE_SYNTAX);
	memset(big, 'a', sizeof(big));
	assert_int_equal(mtrr_parse(big, sizeof(big), NULL, &d), MTRR_PARSE_SYNTAX);
	memset(big, ' ', sizeof(big));
	memcpy(big + sizeof(big) - 12, "0x2ff 0xc06\n", 12);
	assert_int_equal(mtrr_parse(big, sizeof(big), NULL, &d), MTRR_PARSE_OK);

	for (i = 0; i < sizeof(block) / sizeof(block[0]); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "[ 0.0] %s\n", block[i]);
	for (len = 0; len <= n; len++) {
		e = mtrr_parse(text, len, NULL, &d);
		assert_true(e == MTRR_PARSE_OK || e == MTRR_PARSE_SYNTAX ||
			    e == MTRR_PARSE_REGISTER || e == MTRR_PARSE_NO_BLOCK);
		if (e == MTRR_PARSE_OK)
			assert_state_valid();
	}
	/* random mutations of the block: any answer, never a crash */
	for (i = 0; i < 3000; i++) {
		char t[2048];
		unsigned k;
		memcpy(t, text, n);
		for (k = 0; k < 4; k++) {
			x = x * 1103515245u + 12345u;
			t[(x >> 8) % n] = (char)(x >> 20);
		}
		e = mtrr_parse(t, n, NULL, &d);
		if (e == MTRR_PARSE_OK)
			assert_state_valid();
		else
			assert_true(d.err_text[0] != '\0');
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opts_defaults),
		cmocka_unit_test(test_msr_forms),
		cmocka_unit_test(test_msr_names),
		cmocka_unit_test(test_msr_cap),
		cmocka_unit_test(test_phys_bits),
		cmocka_unit_test(test_msr_errors),
		cmocka_unit_test(test_dmesg_prefixes),
		cmocka_unit_test(test_dmesg_widths),
		cmocka_unit_test(test_dmesg_enables),
		cmocka_unit_test(test_dmesg_tom2_and_map),
		cmocka_unit_test(test_dmesg_errors),
		cmocka_unit_test(test_dmesg_pasted),
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_dmesg_2_6_mtrr_show),
		cmocka_unit_test(test_dmesg_bracket),
		cmocka_unit_test(test_dmesg_xen),
		cmocka_unit_test(test_dmesg_tom2_syscfg),
		cmocka_unit_test(test_msr_amd),
		cmocka_unit_test(test_dmesg_linux_map),
		cmocka_unit_test(test_dmesg_inside_block),
		cmocka_unit_test(test_no_block),
		cmocka_unit_test(test_default_type),
		cmocka_unit_test(test_proc),
		cmocka_unit_test(test_detect_and_force),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_robust),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
