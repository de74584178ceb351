/*
 * parse_block.h — what the boot-log reader (parse_dmesg.c: the block's
 * structure, where it starts and ends) shares with the readers of its
 * lines (parse_entries.c: one function per kind of line).
 */
#ifndef MTRR_TOOL_PARSE_BLOCK_H
#define MTRR_TOOL_PARSE_BLOCK_H

#include "parse_impl.h"

enum state {
	ST_OUT,         /* before the block, or after it and Linux's map */
	ST_DEF,         /* after "MTRR default type" */
	ST_FIXED,       /* fixed runs until 0xFFFFF */
	ST_AFTER_FIXED, /* fixed runs complete, the variable header next */
	ST_VAR,         /* variable lines */
	ST_AFTER,       /* the block is complete: TOM2 and Linux's map may follow */
	ST_MAP          /* Linux's map entries */
};

/* The MTRR block being read: its registers as the lines gave them. */
struct block {
	enum state st, map_return;  /* where we are; where Linux's map returns to */
	size_t prefix_len;      /* an unknown prefix before "MTRR default type" */
	unsigned def_line;      /* 0: no "MTRR default type" yet */
	uint8_t def_type;
	unsigned fixed_line;    /* 0: no fixed header */
	bool fixed_en;
	uint32_t fixed_next;    /* where the next fixed run must start */
	uint8_t fixed[MTRR_FIXED_MSRS * 8];
	unsigned var_line;      /* 0: no variable header */
	bool var_en;
	unsigned nvar;
	uint64_t base[MTRR_VAR_MAX], mask[MTRR_VAR_MAX];
	unsigned line[MTRR_VAR_MAX]; /* 0: pair disabled */
	unsigned map_count;     /* Linux's map entries read */
	bool tom_seen;          /* amd_bus.c's "TOM:" line: a TOM2 after it is its own */
};

/* The reader: the whole log (for looking ahead), the block, the results. */
struct reader {
	const char *text;
	size_t len;
	struct block b;
	struct raw *r;
	struct mtrr_dump *d;
};

static inline bool
is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline bool
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/*
 * The line readers: each reads the trimmed text of line `ln`, updates the
 * block (or the dump), and returns MTRR_PARSE_OK or the error it recorded.
 */
/* "00000-9FFFF write-back", "MTRR 00000-0FFFF write-back" */
enum mtrr_parse_error fixed_entry(struct reader *x, struct slice t, unsigned ln);
/* "0 base ... mask ... TYPE", "0 disabled", "0 [FIRST-LAST] mask ... TYPE" */
enum mtrr_parse_error var_entry(struct reader *x, struct slice t, unsigned ln);
/* "TOM2: <hex> aka <n>M", "TOM2: <hex> (WB)" */
enum mtrr_parse_error tom2_line(struct reader *x, struct slice t, unsigned ln);
/* the text after "MTRR map: " */
enum mtrr_parse_error map_header(struct reader *x, struct slice t, unsigned ln);
/* "0: 0000000000000000-000000000009ffff write-back" */
enum mtrr_parse_error map_entry(struct reader *x, struct slice t, unsigned ln);
/* the end of an entry: nothing but blanks after the `what` just read */
enum mtrr_parse_error entry_end(struct slice t, struct mtrr_dump *d, unsigned ln,
			       const char *what);
/* "enabled:" or "disabled:" after a section header */
enum mtrr_parse_error enabled_word(struct slice t, bool *en, struct mtrr_dump *d, unsigned ln);

#endif
