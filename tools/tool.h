/*
 * tool.h — what the files of the `mtrr` command share.  The tool is a
 * client of the public API only (mtrr.h) plus its own parser (parse.h).
 */
#ifndef MTRR_TOOL_H
#define MTRR_TOOL_H

#include <stdio.h>

#include "parse.h"

/*
 * Exit statuses (README "The mtrr tool", `mtrr help`).  A command that has
 * several inputs (check) exits with the largest status it met.
 */
enum {
	EXIT_OK = 0,            /* done; check: valid; diff: same; lookup: all typed */
	EXIT_FOUND = 1,         /* a register the CPU rejects (#GP), maps that
				   differ, an address beyond MAXPHYADDR */
	EXIT_USAGE = 2,         /* the command line is wrong */
	EXIT_INPUT = 3,         /* unreadable input, not an MTRR dump, a log
				   without the block, a map too large to list */
	EXIT_OUTPUT = 4         /* output not written, out of memory */
};

/* One parsed dump and where it came from. */
struct input {
	const char *name;       /* path, "<stdin>" or the built-in sample's name */
	bool builtin;           /* the built-in sample */
	int status;             /* EXIT_OK once parsed, else why not */
	char io_error[160];     /* why the input could not be read, or "" */
	struct mtrr_dump dump;
};

/* How a command writes: text on `f`, or one JSON document. */
struct out {
	FILE *f;
	bool json;
};

/* The built-in sample: a QEMU/OVMF guest's boot log (sample.c). */
extern const char mtrr_sample_name[];
extern const char mtrr_sample_text[];

/* fmt.c: numbers the way the tool prints and reads them. */
int addr_digits(unsigned phys_bits);                    /* hex digits of an address */
void put_addr(FILE *f, uint64_t a, unsigned phys_bits); /* 0x + zero-padded hex */
void put_range(FILE *f, uint64_t start, uint64_t end, unsigned phys_bits); /* [start, end) as
									      start-last */
/* "640 KiB", "2 GiB", "1.92 GiB" (hundredths rounded down), "508 GiB". */
const char *size_str(uint64_t bytes, char *buf, size_t n);
/* "0x1f", "4096", "4G", "16M": hex with 0x, else decimal, optional K/M/G/T. */
bool parse_number(const char *s, uint64_t *v);
void json_str(FILE *f, const char *s);                  /* a JSON string literal */
void json_hex(FILE *f, uint64_t v);                     /* "0x1f" */

/* A growing list of strings (warnings), for text and JSON alike. */
struct strlist {
	char **v;
	size_t n;
	bool oom;
};
void strlist_add(struct strlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strlist_free(struct strlist *l);

/* A variable pair as the resolver sees it (pair.c). */
struct pair {
	bool valid;             /* PHYSMASK.V */
	uint8_t type;
	uint64_t base;          /* PhysBase, bits MAXPHYADDR-1:12 */
	uint64_t mask;          /* PhysMask, bits MAXPHYADDR-1:12 */
	uint64_t raw_base, raw_mask;
};
void pair_read(const struct mtrr_state *s, unsigned n, struct pair *p);
bool pair_matches(const struct pair *p, uint64_t addr);
unsigned pair_low_bit(const struct pair *p, unsigned phys_bits);  /* block = 2^low */
unsigned pair_free_bits(const struct pair *p, unsigned phys_bits); /* 2^free blocks */
uint64_t pair_start(const struct pair *p);                        /* first block */
/* Block `i` (0 <= i < 2^free) of the pair: [*start, *start + 2^low). */
uint64_t pair_block(const struct pair *p, unsigned phys_bits, uint64_t i);
/* Whether the SDM defines the type of this set of types (bit t: type t). */
bool types_defined(unsigned set);
/* An AMD register (SYSCFG, TOP_MEM, TOP_MEM2, IORRs); 0 on Intel. */
uint64_t amd_reg(const struct mtrr_state *s, uint32_t msr);
/*
 * AMD SYSCFG.MtrrTom2En and Tom2ForceMemTypeWB: [4 GiB, end) has the type
 * WB where no pair matches (APM Vol. 2 "Memory Type Range Registers").  The
 * end (TOP_MEM2), or 0 when that is off or empty.
 */
uint64_t tom2_wb_end(const struct mtrr_state *s);
/*
 * Copies AMD's registers from `src` to `dst` through mtrr_wrmsr (nothing on
 * Intel caps: the MSRs are MTRR_E_NOT_MTRR there).
 */
void amd_copy(struct mtrr_state *dst, const struct mtrr_state *src);

/*
 * segs.c: the address space cut where the type or what decides it changes
 * (the `map` rows, the picture).  The type is always the library's answer;
 * what decides it is read from the registers.
 */
enum src_kind {
	SRC_DISABLED,           /* DEF_TYPE.E = 0: everything UC */
	SRC_FIXED,              /* a fixed-range MSR (first MiB, FE set) */
	SRC_DEFAULT,            /* no pair matches: DEF_TYPE.Type */
	SRC_PAIRS,              /* the pairs in `pairs` match */
	SRC_TOM2                /* no pair matches in AMD's [4 GiB, TOP_MEM2): WB */
};
struct seg {
	uint64_t start, end;    /* [start, end) */
	uint8_t type;
	enum src_kind kind;
	uint64_t pairs;         /* bit n: pair n matches (SRC_PAIRS) */
	bool undefined;         /* their types are an overlap the SDM leaves undefined */
};
struct segs {
	struct seg *v;
	size_t n;
	struct mtrr_map *map;   /* the compiled map they were read from */
};
/* Whether listing the map is bounded (strided masks can mean 2^39 runs). */
bool map_listable(const struct mtrr_state *s);
/* EXIT_OK, EXIT_INPUT (too large, with a message) or EXIT_OUTPUT (memory). */
int segs_build(const struct input *in, struct segs *out);
void segs_free(struct segs *g);
/* The segment around `addr` (< 2^phys_bits), without building them all. */
struct seg seg_at(const struct mtrr_state *s, const struct mtrr_map *m, uint64_t addr);
/* "default type", "fixed ranges", "pair 3", "pairs 0+2, UC wins",
   "undefined overlap of pairs 0 and 1", "TOM2 (Tom2ForceMemTypeWB)". */
const char *seg_why(const struct seg *g, const struct mtrr_state *s, char *buf, size_t n);
void seg_why_json(FILE *f, const struct seg *g);

/* show.c */
void show_registers(const struct out *o, const struct input *in);
void check_report(FILE *f, const struct input *in);     /* `check` success line */
void json_input(FILE *f, const struct input *in);       /* one "inputs" member */

/* warn.c: what `show` flags in a legal register set. */
void collect_warnings(const struct mtrr_state *s, struct strlist *w);

/* mapcmd.c */
int map_print(const struct out *o, const struct input *in, const char *indent);
int linux_map_compare(const struct out *o, const struct input *in);
int lookup_args(const struct out *o, const struct input *in, char **args, int n);
bool lookup_query_ok(const char *arg);  /* "A", "A-B", "A+SIZE" */
int diff_maps(const struct out *o, const struct input *a, const struct input *b);

/*
 * memmap.c: the memory map `mtrr plan` programs: a boot log's BIOS-e820
 * lines or "START END TYPE" lines (the file's comment says what each e820
 * type must get, and why).
 */
enum memmap_kind { MEMMAP_E820, MEMMAP_RANGES };
struct memmap_entry {
	uint64_t start, end;    /* [start, end), as the line gives it */
	uint8_t want;           /* the wanted type; MTRR_TYPE_ANY: any will do */
	unsigned line;
	char what[24];          /* the e820 type ("usable", "ACPI NVS") or the TYPE word */
};
#define MEMMAP_NOTES 16
struct memmap {
	enum memmap_kind kind;
	struct memmap_entry *v; /* sorted by start, disjoint */
	size_t n;
	unsigned first_line, last_line;
	struct mtrr_range *want; /* for mtrr_plan: the cared-for ranges, 4 KiB aligned,
				    sorted, merged */
	size_t nwant;
	unsigned phys_bits;     /* --phys-bits, or the smallest >= 36 that holds the map */
	bool phys_bits_inferred;
	unsigned err_line;      /* 0: the input as a whole */
	char err[200];
	unsigned nnotes, notes_dropped;
	struct {
		unsigned line;
		char text[200];
	} notes[MEMMAP_NOTES];
};
struct memmap_opts {
	unsigned phys_bits;     /* 0: infer */
	bool wc;                /* WC may be wanted */
	bool reserved_uc;       /* e820 entries other than RAM must be UC (else: any) */
	bool gaps_uc;           /* so must the space between entries (else: any) */
};
/* EXIT_OK, EXIT_INPUT (err and err_line say why) or EXIT_OUTPUT (memory). */
int memmap_read(const char *text, size_t len, const struct memmap_opts *o, struct memmap *m);
void memmap_free(struct memmap *m);

/* plan.c: `mtrr plan` (help.c has its page). */
enum plan_format { PLAN_MSR, PLAN_WRMSR, PLAN_C };
struct plan_args {
	bool from_log;          /* --from-log: reprogram the dump's own map */
	bool whole_space;       /* --whole-space */
	bool reserved_uc;       /* --reserved-uc */
	bool gaps_uc;           /* --gaps-uc */
	unsigned reserve;       /* --reserve N: pairs left to the OS */
	int default_type;       /* --default: a type, or MTRR_PLAN_DEFAULT_FREE */
	bool default_set;       /* else UC for a memory map, free with --from-log */
	enum plan_format format; /* --format msr|wrmsr|c */
};
int plan_command(const struct out *o, const struct plan_args *p,
		 const struct mtrr_parse_opts *po, const char *file);

/* mtrr.c: reading an input */
/*
 * The bytes of `path` ("-": stdin), malloc'd, in *text and *len; *name is
 * what to call it.  NULL with errno set when it cannot be read.
 */
char *input_read(const char *path, const char **name, size_t *len);
/*
 * Reads and parses `path` (NULL: the built-in sample, noted with `how`);
 * prints the notes and any error as FILE:LINE: text on stderr; returns
 * in->status.
 */
int input_load(const char *path, const struct mtrr_parse_opts *o, struct input *in,
	       const char *how);

/* svg.c: the memory map as a picture, SVG or an HTML page around it. */
int map_picture(const struct input *in, const char *path, bool html);

/* help.c */
void help_general(FILE *f);
bool help_topic(FILE *f, const char *topic);            /* false: no such topic */
bool is_command(const char *word);
const char *suggest_command(const char *word);          /* NULL: nothing close */
void no_block_advice(FILE *f, const struct input *in);  /* what to run instead */

#endif
