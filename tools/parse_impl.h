/*
 * parse_impl.h — what the parser's files share: byte slices (the input is
 * never NUL-terminated, so no str* function ever touches it), token
 * helpers, and the raw register list each format fills before parse.c
 * writes it into the state.
 */
#ifndef MTRR_TOOL_PARSE_IMPL_H
#define MTRR_TOOL_PARSE_IMPL_H

#include "parse.h"

/* A view of bytes of the input: p[0..n). */
struct slice {
	const char *p;
	size_t n;
};

/* Splits off the next line (without "\n" or "\r\n"); false at the end. */
bool slice_next_line(const char *text, size_t len, size_t *pos, struct slice *line);
void slice_skip_space(struct slice *s);
struct slice slice_trim(struct slice s);
/* Consumes `lit` (ASCII case-insensitive) if s starts with it. */
bool slice_eat(struct slice *s, const char *lit);
/* Offset of the first `lit` (case-sensitive) in s, or -1. */
long slice_find(struct slice s, const char *lit);
/* The next run of characters that are neither space nor in `stops`. */
struct slice slice_word(struct slice *s, const char *stops);
bool slice_is(struct slice s, const char *lit);  /* case-insensitive equality */
/*
 * The first bytes of s for an error message, NUL-terminated in buf: at
 * most 32 characters, anything but printable ASCII shown as '?'.
 */
const char *slice_show(struct slice s, char *buf, size_t size);

/*
 * Number tokens.  slice_hex accepts an optional 0x and at least one hex
 * digit; both return false when no digit is there, and set *overflow (and
 * return true) when the value does not fit in 64 bits.
 */
bool slice_hex(struct slice *s, uint64_t *v, bool *overflow);
bool slice_dec(struct slice *s, uint64_t *v, bool *overflow);

/*
 * The MTRR type named by `w`: Linux's names (uncachable, write-combining,
 * write-through, write-protect, write-back), their common spellings
 * (uncacheable, write-protected) and UC/WC/WT/WP/WB.  -1 if none.
 */
int type_from_name(struct slice w);
/* Linux's name of a valid type. */
const char *type_linux_name(uint8_t t);

/*
 * What a pasted line carries in front of its text: mail quoting ("> ",
 * "> > ", ">>") and indentation.  Returns the rest of the line.
 */
struct slice slice_unquote(struct slice line);

/* A kernel log line taken apart (parse_lex.c). */
struct log_line {
	struct slice msg;       /* the message: quoting, timestamps, levels,
				   syslog/journal and Xen prefixes removed */
	bool prefixed;          /* some log prefix was removed */
	bool xen;               /* it had the "(XEN) " prefix */
	bool other_program;     /* a syslog/journal line of another program */
	struct slice program;   /* that program ("systemd[1]") */
};
void log_line_split(struct slice line, struct log_line *out);

/* The message part of a kernel log line (log_line_split's msg). */
struct slice strip_log_prefix(struct slice line);

/*
 * True when `msg`, found inside an MTRR block, is a message the kernel (or
 * the log) printed for another reason: "x86/PAT: ...", "e820: ...",
 * "last_pfn = ...", a journalctl "-- Boot ... --" marker.  `why` gets a
 * short description for the note.
 */
bool foreign_message(const struct log_line *l, char *why, size_t size);

/* True for every MTRR MSR index (IA32_MTRRCAP and AMD's included). */
bool is_mtrr_msr(uint32_t msr);
/* True for AMD's SYSCFG, IORRBase/Mask0-1, TOP_MEM and TOP_MEM2. */
bool is_amd_msr(uint32_t msr);

/* One register value, in input order. */
struct raw_reg {
	uint32_t msr;
	uint64_t value;
	uint64_t size;          /* /proc/mtrr PHYSMASK: the range size, turned into
				   a mask once MAXPHYADDR is known; else 0 */
	unsigned line;
};

/* pairs, fixed, DEF_TYPE, SMRR (2), spare; AMD: SYSCFG, TOP_MEM(2), IORRs (4) */
#define RAW_MAX (2 * MTRR_VAR_MAX + MTRR_FIXED_MSRS + 4 + 7)

/* What a format parser found, before caps are settled and values written. */
struct raw {
	struct raw_reg reg[RAW_MAX];
	unsigned n;
	unsigned fixed_line[MTRR_FIXED_MSRS * 8]; /* line of each fixed byte */

	bool has_cap;           /* IA32_MTRRCAP value given */
	uint64_t cap;
	unsigned cap_line;
	bool vcnt_known;        /* the input says how many pairs exist */
	unsigned vcnt;
	bool fixed_known;       /* the input says whether fixed ranges exist */
	bool fixed;
	bool any_pair;          /* highest pair index seen, for inference */
	unsigned max_pair;
	uint64_t addr_bits;     /* OR of every address the input gives */
	unsigned line_count;
	bool def_given;         /* the input gives IA32_MTRR_DEF_TYPE */
	unsigned amd_line;      /* first AMD-only register (MSR format); 0: none */
};

/* Appends a register; a syntax error (returned) when the list is full. */
enum mtrr_parse_error raw_add(struct raw *r, struct mtrr_dump *d, uint32_t msr,
			      uint64_t value, unsigned line);

/* Records an error (the first one wins) and returns its kind. */
enum mtrr_parse_error parse_fail(struct mtrr_dump *d, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void parse_note(struct mtrr_dump *d, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The type word at the start of *s (consumed).  Linux prints "?" for a type
 * field holding no valid type: that is reported as the register `msr`
 * rejected with MTRR_E_INVALID_TYPE.
 */
enum mtrr_parse_error parse_type_word(struct slice *s, struct mtrr_dump *d, unsigned line,
				      uint32_t msr, uint8_t *type);

/* The format readers; each fills `r` and returns MTRR_PARSE_OK or an error. */
enum mtrr_parse_error parse_msr_format(const char *text, size_t len, struct raw *r,
				       struct mtrr_dump *d);
enum mtrr_parse_error parse_dmesg_format(const char *text, size_t len, struct raw *r,
					 struct mtrr_dump *d);
enum mtrr_parse_error parse_proc_format(const char *text, size_t len, struct raw *r,
					struct mtrr_dump *d);

#endif
