/*
 * plan.h — what plan.c (the `plan` command: reading, planning, checking)
 * shares with plan_out.c (its text and JSON output).
 */
#ifndef MTRR_TOOL_PLAN_H
#define MTRR_TOOL_PLAN_H

#include "tool.h"

#define PLAN_BAD_MAX 64

/* One run of `mtrr plan`. */
struct plan_job {
	const struct plan_args *args;
	const struct out *out;
	const char *name;               /* the input as the messages call it */
	char io_error[160];             /* why it could not be read, or "" */
	int rc;                         /* the exit status so far */
	bool read;                      /* the input was read: there is something to plan */

	struct mtrr_caps caps;          /* of the CPU planned for */
	struct mtrr_plan_opts opts;
	const struct mtrr_range *want;  /* the wanted map (without TOM2's share) */
	size_t nwant;

	struct memmap mm;               /* memory-map mode */
	struct input *fw;               /* --from-log: the dump, else NULL */
	struct mtrr_map *fw_map;        /* its map */
	struct mtrr_range *fw_want;     /* its ranges: the wanted map */
	uint64_t tom2;                  /* the dump's [4 GiB, tom2) is WB by SYSCFG; 0: no */
	bool tom2_left;                 /* the plan leaves that range to SYSCFG */
	bool repaired;                  /* pairs added where TOM2 made it WB */

	mtrr_status st;                 /* of the last mtrr_plan */
	unsigned needed;                /* pairs: used, or needed (MTRR_E_TOO_FEW_PAIRS) */
	struct mtrr_state plan;
	struct mtrr_map *map;           /* the plan's map */
	struct mtrr_range bad[PLAN_BAD_MAX]; /* where it differs: its type there */
	uint8_t bad_want[PLAN_BAD_MAX]; /* the wanted type there */
	size_t nbad;                    /* how many places differ (may exceed the array) */
	bool conflict;                  /* MTRR_E_FIXED_CONFLICT: the unit below */
	uint64_t conflict_start, conflict_end;
	bool oom;
};

/* plan_out.c */
void plan_print_notes(const struct plan_job *j);  /* memmap notes, on stderr */
int plan_text(const struct plan_job *j);          /* EXIT_OK/FOUND, or EXIT_INPUT */
void plan_json(const struct plan_job *j);

#endif
