/*
 * tool.h — what the files of the `mtrr` command share.  The tool is a
 * client of the public API only (mtrr.h) plus its own parser (parse.h).
 */
#ifndef MTRR_TOOL_H
#define MTRR_TOOL_H

#include <stdio.h>

#include "parse.h"

/* Exit statuses. */
enum {
	EXIT_OK = 0,
	EXIT_FOUND = 1,         /* check: a bad register; diff: maps differ;
				   lookup: an address beyond MAXPHYADDR */
	EXIT_INPUT = 2          /* usage error, unreadable or malformed input */
};

/* One parsed dump and where it came from. */
struct input {
	const char *name;       /* path, "<stdin>" or "<built-in sample>" */
	struct mtrr_dump dump;
};

/* The built-in sample: a QEMU/OVMF guest's boot log (sample.c). */
extern const char mtrr_sample_name[];
extern const char mtrr_sample_text[];

/* fmt.c: numbers the way the tool prints and reads them. */
int addr_digits(unsigned phys_bits);                    /* hex digits of an address */
void put_addr(FILE *f, uint64_t a, unsigned phys_bits); /* 0x + zero-padded hex */
void put_range(FILE *f, uint64_t start, uint64_t end, unsigned phys_bits); /* [start, end) as
									      start-last */
const char *size_str(uint64_t bytes, char *buf, size_t n); /* exact: "640 KiB", "2 GiB" */
/* "0x1f", "4096", "4G", "16M": hex with 0x, else decimal, optional K/M/G/T. */
bool parse_number(const char *s, uint64_t *v);

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

/* show.c */
void show_registers(FILE *f, const struct input *in);   /* `show` */
unsigned show_warnings(FILE *f, const struct mtrr_state *s); /* returns the count */
void check_report(FILE *f, const struct input *in);     /* `check` success line */

/* mapcmd.c */
int map_print(FILE *f, const struct input *in, bool json, const char *indent);
int linux_map_compare(FILE *f, const struct input *in);
int lookup_args(FILE *f, const struct input *in, char **args, int n);
int diff_maps(FILE *f, const struct input *a, const struct input *b);

#endif
