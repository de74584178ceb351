/*
 * parse.h — reads the MTRR dumps people actually have into a struct
 * mtrr_state.  Part of the `mtrr` tool, built as the static library
 * mtrr_parse so that tests and fuzz targets link it without the CLI.
 *
 * Three text formats, detected from the input unless one is forced:
 *
 *   MTRR_FORMAT_MSR    one MSR/value pair a line, hex with or without 0x:
 *                      "0x2ff 0xc06", "2ff=c06", "0x2ff: 0xc06",
 *                      "wrmsr -a 0x2ff 0xc06", or an SDM name instead of
 *                      the index ("IA32_MTRR_DEF_TYPE = 0xc06").  '#' starts
 *                      a comment.  MSR 0xFE (IA32_MTRRCAP), if present,
 *                      gives VCNT, FIX, WC and SMRR.  AMD's SYSCFG
 *                      (0xC0010010), IORRs (0xC0010016-0xC0010019), TOP_MEM
 *                      (0xC001001A) and TOP_MEM2 (0xC001001D) are read too
 *                      and make the vendor AMD.
 *   MTRR_FORMAT_DMESG  the MTRR block of a Linux (2.6.20 and later) or Xen
 *                      boot log, in every layout those kernels printed (see
 *                      parse_dmesg.c for the list, with versions), and
 *                      Linux's own map ("MTRR map: ...", >= 6.5).  A log
 *                      without the block is recognised as such
 *                      (MTRR_PARSE_NO_BLOCK, with struct mtrr_log_info).
 *                      AMD's "TOM2: ..." line becomes TOP_MEM2 and SYSCFG
 *                      (see struct mtrr_parse_opts.tom2_wb).
 *   MTRR_FORMAT_PROC   /proc/mtrr: "reg00: base=0x000000000 (    0MB),
 *                      size= 2048MB, count=1: write-back" (and the older
 *                      "size= 2048MB: write-back, count=1").
 *
 * Every line may carry what logs and mails add in front of it: dmesg,
 * journalctl, syslog and Xen console prefixes, dmesg -x levels, ISO
 * timestamps, mail quoting ("> ", "> > ") and indentation; "\r\n" line ends.
 * Inside a recognised MTRR block a line the parser does not understand is
 * an error with its line number, never the silent end of the block; a
 * message of another kernel subsystem (or another program, in syslog) that
 * the log interleaved with the block is skipped with a note.
 *
 * Every register value reaches the state through mtrr_wrmsr, so the
 * library's validator judges it; the first rejected one is reported with
 * its line.  What the input does not say comes from struct mtrr_parse_opts.
 *
 * The parser never allocates, never prints and never reads past `len`:
 * any byte string is a valid input (the answer may be an error).
 */
#ifndef MTRR_TOOL_PARSE_H
#define MTRR_TOOL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mtrr.h>

enum mtrr_format {
	MTRR_FORMAT_AUTO,
	MTRR_FORMAT_MSR,
	MTRR_FORMAT_DMESG,
	MTRR_FORMAT_PROC
};

/*
 * Defaults for what the input does not say.  Facts the input states
 * (MTRRCAP in the MSR format; the number of variable lines and the presence
 * of fixed ranges in a boot log) win over these; the parser leaves a note
 * when an explicitly set option was overridden.
 */
struct mtrr_parse_opts {
	enum mtrr_format format;        /* AUTO: detect */
	unsigned vcnt;                  /* used when vcnt_set */
	bool vcnt_set;                  /* else: highest pair in the input + 1 */
	unsigned phys_bits;             /* 0: smallest that fits, at least 36 */
	bool fixed;                     /* MTRRCAP.FIX (default true) */
	bool fixed_set;
	bool wc;                        /* MTRRCAP.WC (default true) */
	bool wc_set;
	enum mtrr_vendor vendor;        /* used when vendor_set */
	bool vendor_set;                /* else AMD if a TOM2 line, Intel otherwise */
	enum mtrr_overlap overlap;      /* undefined overlaps: UC (default) or WB */
	uint8_t default_type;           /* DEF_TYPE.Type when the input has none */
	bool default_type_set;          /* --default-type given: a conflicting
					   default type in the input is noted */
	/*
	 * AMD Tom2ForceMemTypeWB (default true).  Linux prints its "TOM2:"
	 * line only when SYSCFG has both MtrrTom2En and Tom2ForceMemTypeWB
	 * (amd_special_default_mtrr()); Xen prints it whenever MtrrTom2En is
	 * set, with " (WB)" when Tom2ForceMemTypeWB is.  So the line gives
	 * TOP_MEM2 and SYSCFG = MtrrTom2En | Tom2ForceMemTypeWB (Xen: the
	 * latter only with "(WB)"), and [4 GiB, TOM2) defaults to WB; a note
	 * says so.  false (--no-tom2-wb): Tom2ForceMemTypeWB stays clear,
	 * also in a SYSCFG value given as an MSR, so that range has the
	 * default type.
	 */
	bool tom2_wb;
};

/* The defaults above: auto format, fixed, WC, UC default type, Intel, TOM2 WB. */
void mtrr_parse_opts_init(struct mtrr_parse_opts *o);

enum mtrr_parse_error {
	MTRR_PARSE_OK = 0,
	MTRR_PARSE_SYNTAX = 1,          /* the text is not a dump we can read */
	MTRR_PARSE_REGISTER = 2,        /* mtrr_wrmsr rejected a register with a
					   #GP status (mtrr_status_is_gp) */
	MTRR_PARSE_NO_BLOCK = 3         /* a kernel log without the MTRR block:
					   struct mtrr_log_info says what it is */
};

#define MTRR_PARSE_NOTES 16
#define MTRR_PARSE_TEXT 160
/* Linux's map has at most 88 fixed + 2 * VCNT + 1 (TOM2) entries. */
#define MTRR_PARSE_LINUX_MAP 192

struct mtrr_parse_note {
	unsigned line;                  /* 0: about the input as a whole */
	char text[MTRR_PARSE_TEXT];
};

/*
 * What a kernel log says about itself, for the advice a log without the
 * MTRR block needs (which kernel, which option would have printed it).
 */
struct mtrr_log_info {
	bool is_log;                    /* kernel log markers were seen */
	bool xen;                       /* "(XEN) " lines: a Xen console log */
	char version[40];               /* "6.1.0-18-amd64" ("Linux version"), or "" */
	unsigned major, minor;          /* of `version`; 0.0 when unknown */
	unsigned version_line;
	bool mtrr_debug;                /* "mtrr=debug" on the kernel command line */
	/* Linux >= 6.5 always prints "MTRR map: N entries (F fixed + V variable;
	   max M), built from P variable MTRRs"; the block only with mtrr=debug. */
	unsigned summary_line;          /* 0: no such line */
	unsigned summary_entries, summary_pairs;
};

/* A parsed dump: the state plus what the tool tells the user about it. */
struct mtrr_dump {
	struct mtrr_state state;        /* valid when err == MTRR_PARSE_OK */
	enum mtrr_format format;        /* the format read (detected or forced) */

	enum mtrr_parse_error err;
	unsigned err_line;              /* 1-based; 0: the input as a whole */
	uint32_t err_msr;               /* MTRR_PARSE_REGISTER: the register */
	mtrr_status err_status;         /* MTRR_PARSE_REGISTER: why (a #GP cause) */
	char err_text[MTRR_PARSE_TEXT]; /* the reason, one line, no file:line */

	/* How each cap was obtained. */
	bool phys_bits_inferred;        /* smallest that fits the input */
	bool vcnt_inferred;             /* highest pair + 1 (MSR, proc formats) */
	bool caps_from_msr;             /* IA32_MTRRCAP was in the input */

	/*
	 * AMD TOP_MEM2 from a boot log's "TOM2:" line (the state's SYSCFG and
	 * TOP_MEM2 hold what it implies); tom2_says_wb: the line says
	 * Tom2ForceMemTypeWB is set (every Linux line; Xen's with "(WB)").
	 */
	bool has_tom2;
	bool tom2_says_wb;
	uint64_t tom2;
	unsigned tom2_line;

	struct mtrr_log_info log;       /* MTRR_FORMAT_DMESG only */
	unsigned block_line;            /* first line of the MTRR block (dmesg) */
	unsigned skipped;               /* foreign lines skipped inside the block */

	/*
	 * Linux's own map from a boot log with mtrr=debug ("MTRR map:"
	 * entries), [start, end) with the type Linux computed; for comparison.
	 */
	unsigned linux_map_n;           /* entries kept, <= MTRR_PARSE_LINUX_MAP */
	unsigned linux_map_line;        /* the "MTRR map:" line; 0: none */
	unsigned linux_map_expected;    /* N of "MTRR map: N entries" */
	bool linux_map_complete;        /* all N entries read and kept */
	struct mtrr_range linux_map[MTRR_PARSE_LINUX_MAP];

	unsigned nnotes;                /* notes kept, <= MTRR_PARSE_NOTES */
	unsigned notes_dropped;
	struct mtrr_parse_note notes[MTRR_PARSE_NOTES];
};

/*
 * Parses `len` bytes at `text` (no NUL needed; NUL bytes are ordinary
 * characters) into `out`.  Returns out->err: MTRR_PARSE_OK with out->state
 * filled, or an error with err_line and err_text set.  `opts` may be NULL
 * for the defaults.
 */
enum mtrr_parse_error mtrr_parse(const char *text, size_t len,
				 const struct mtrr_parse_opts *opts,
				 struct mtrr_dump *out);

/*
 * The MTRR type a name stands for: UC WC WT WP WB, or Linux's names
 * (uncachable, write-back, ...), any case.  -1 for anything else.
 */
int mtrr_type_from_name(const char *name);

/* Linux's name of a valid MTRR type ("write-back"), else "?". */
const char *mtrr_type_linux_name(uint8_t type);

/* "msr", "dmesg", "proc" or "auto". */
const char *mtrr_format_name(enum mtrr_format f);

/*
 * The SDM name of an MTRR MSR ("IA32_MTRR_PHYSBASE3"), the APM name of an
 * AMD one ("SYSCFG", "TOP_MEM2", "IORRBase0"), or "MSR 0x%X" for any other
 * index, in `buf` (at least 32 bytes).  Returns buf.
 */
const char *mtrr_msr_name(uint32_t msr, char *buf, size_t size);

#endif
