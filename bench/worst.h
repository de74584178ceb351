/*
 * worst.h — shared declarations of the mtrr_worst program (worst.c, the
 * measurements; worst_states.c, the states it measures).
 *
 * A state is a set of caps and the WRMSRs that program it, all accepted by
 * mtrr_wrmsr: nothing the library would refuse gets into a figure.  States
 * come from seeded generators (one family per mask shape), from register
 * lists typed in (the examples), from bench/configs.c (the typical
 * layouts) and from a text file (the slowest inputs a fuzzing run found).
 *
 * The text format, one state per block (`#` starts a comment):
 *
 *   state NAME
 *   family NAME                       optional; default given by the reader
 *   caps vcnt=8 phys=47 [fixed=1] [wc=1] [smrr=0] [vendor=intel|amd] [overlap=uc|wb]
 *   MSR VALUE                         hex: a WRMSR that must be accepted
 *   then MSR VALUE                    at most two: the write after (diff_cover)
 *   end
 */
#ifndef MTRR_WORST_H
#define MTRR_WORST_H

#include "bench.h"

#define WORST_THEN_MAX 2

struct wstate {
	char name[48];
	char family[24];
	struct mtrr_state s;
	unsigned nthen;                 /* writes of a "then" line (0: none) */
	uint32_t then_msr[WORST_THEN_MAX];
	uint64_t then_val[WORST_THEN_MAX];
};

/* A growable list of states, in the order they were added. */
struct wset {
	struct wstate *v;
	size_t n, cap;
};

/* A new state at the end of `set` (zeroed), or NULL when out of memory. */
struct wstate *wset_push(struct wset *set);
void wset_free(struct wset *set);

/*
 * The generated families, `instances` seeded instances of each, at VCNT 40
 * and MAXPHYADDR 52, then the examples, the bench configurations
 * (typical and adversarial).  False, after printing the write, when
 * mtrr_wrmsr refuses a register (a bug here or in the library).
 */
bool wset_add_builtin(struct wset *set, unsigned instances);

/*
 * Parses states in the text format above from `text` (NUL-terminated);
 * `origin` names the source in messages, `family` is the default family.
 * False, after printing file:line: reason, on a syntax error or a refused
 * write.
 */
bool wset_parse(struct wset *set, const char *text, const char *origin, const char *family);
/* The same for the contents of file `path`. */
bool wset_load_file(struct wset *set, const char *path, const char *family);

/* Prints `w` in the text format (every non-zero register, DEF_TYPE last). */
void wstate_print(FILE *f, const struct wstate *w);

/* A random valid type for these caps (WC only when caps->wc). */
uint8_t worst_type(const struct mtrr_caps *caps, uint64_t *seed);

#endif
