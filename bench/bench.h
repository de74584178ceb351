/*
 * bench.h — shared declarations of the mtrr_bench program.
 *
 * The benchmark compares the compiled map (mtrr_map_lookup) with the
 * reference resolver and with two baselines written here from the published
 * algorithms of the peers:
 *
 *   scan  a per-lookup scan of every variable pair, merging the matching
 *         types pairwise in register order (KVM up to Linux 6.10, Xen, Bochs);
 *   list  a sorted list of non-overlapping ranges built once per MTRR change
 *         and scanned linearly per lookup (Linux >= 6.5, mtrr_type_lookup
 *         over its cache_map).
 *
 * Only the public header is used: the benchmark is a client of the library.
 */
#ifndef MTRR_BENCH_H
#define MTRR_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <mtrr.h>

/* ---- configurations (configs.c) ---------------------------------------- */

struct bench_config {
	const char *name;       /* short, used in benchmark names */
	const char *what;       /* one line for the table */
	const char *source;     /* where the register values come from */
	bool typical;           /* the performance targets apply */
	bool noncontig;         /* issue #12's targets for non-contiguous layouts apply */
};

/* The number of configurations. */
size_t bench_config_count(void);

/* Configuration i, or NULL past the end. */
const struct bench_config *bench_config_get(size_t i);

/* Configuration by name, or NULL. */
const struct bench_config *bench_config_find(const char *name);

/*
 * Initialises `s` with the configuration's caps and programs its registers
 * through mtrr_wrmsr.  Returns false (and prints the MSR) when a write is
 * rejected, which is a bug in the configuration or in the library.
 */
bool bench_config_load(const struct bench_config *c, struct mtrr_state *s);

/* ---- baseline (b): per-register scan (scan.c) -------------------------- */

struct scan {
	uint64_t limit;         /* 2^phys_bits */
	bool enabled;           /* DEF_TYPE.E */
	bool fixed_on;          /* DEF_TYPE.FE and fixed MSRs exist */
	uint8_t def;            /* DEF_TYPE.Type */
	unsigned count;         /* VCNT: pairs scanned, valid or not */
	uint8_t fixed[88];      /* the 88 fixed-range bytes, in address order */
	uint64_t base[MTRR_VAR_MAX]; /* PhysBase & PhysMask */
	uint64_t mask[MTRR_VAR_MAX]; /* PhysMask (bits MAXPHYADDR-1:12), 0 if invalid */
	uint8_t type[MTRR_VAR_MAX];
	bool valid[MTRR_VAR_MAX];
	unsigned nsorted;       /* valid pairs, for the range query */
	uint8_t sorted[MTRR_VAR_MAX]; /* valid pairs by increasing base */
};

void scan_build(struct scan *sc, const struct mtrr_state *s);
uint8_t scan_lookup(const struct scan *sc, uint64_t addr);
uint8_t scan_lookup_range(const struct scan *sc, uint64_t start, uint64_t end);

/* ---- baseline (c): sorted range list (list.c) -------------------------- */

#define LIST_MAX (88 + 4 * MTRR_VAR_MAX + 2)

struct list_entry {
	uint64_t start, end;    /* [start, end) */
	uint8_t type;
	bool fixed;             /* came from a fixed-range MSR */
};

struct list {
	uint64_t limit;
	bool enabled;
	uint8_t def;
	unsigned n;
	struct list_entry e[LIST_MAX];
};

void list_build(struct list *l, const struct mtrr_state *s);
uint8_t list_lookup(const struct list *l, uint64_t addr);
uint8_t list_lookup_range(const struct list *l, uint64_t start, uint64_t end);

/* ---- exact range oracle on top of mtrr_ref_lookup (refrange.c) --------- */

/*
 * The type of [start, end) computed from the registers and mtrr_ref_lookup:
 * exact (non-contiguous masks included), slow, used only to check answers.
 */
uint8_t ref_range(const struct mtrr_state *s, uint64_t start, uint64_t end);

/* ---- what is measured (run.c) ------------------------------------------ */

/* One configuration compiled every way. */
struct subject {
	struct mtrr_state state;
	struct mtrr_map map;
	struct scan scan;
	struct list list;
};

/*
 * IMPL_INLINE is mtrr_map_lookup_inline: the map's fast path inlined into the
 * loop, as a caller that looks up many addresses uses it.  The baselines stay
 * real calls, as they are in their kernels (kvm_mtrr_get_guest_memory_type,
 * Linux's mtrr_type_lookup).  Ratios are to the out-of-line map and, for the
 * targets, to both.
 */
enum impl { IMPL_MAP, IMPL_INLINE, IMPL_REF, IMPL_SCAN, IMPL_LIST, IMPL_NONE, IMPL_COUNT };

/* "map", "inline", "ref", "scan", "list", "none". */
const char *impl_name(enum impl i);

/*
 * One timed batch: `batch` point lookups of `impl` over in[i & mask] (mask + 1
 * a power of two), in ns per lookup.  IMPL_NONE runs the same loop without a
 * lookup (its cost is the harness's own).  The answers go to bench_sink.
 */
double time_points(const struct subject *sj, enum impl impl, const uint64_t *in,
		   size_t mask, uint64_t batch);

/* The same for range lookups [in[i], in[i] + span); not for IMPL_REF. */
double time_ranges(const struct subject *sj, enum impl impl, const uint64_t *in,
		   size_t mask, uint64_t span, uint64_t batch);

/*
 * The PAT type the access to `a` gets in the effective-type measurement: the
 * power-on IA32_PAT's entry selected by address bits 14:12, as if each page's
 * PTE chose another entry (WB, WT, UC-, UC; every entry over 8 pages).  The
 * fault handler has it from its guest page walk before it asks for the type,
 * so the benchmark computes it before timing (inputs.pats).
 */
static inline uint8_t
bench_pat_type(uint64_t a)
{
	return (uint8_t)(MTRR_PAT_POWER_ON >> (8 * ((a >> 12) & 7)));
}

/*
 * `batch` effective types in ns each: mtrr_map_lookup_inline(in[i]) composed
 * with pats[i] by mtrr_effective_type_inline (`compose`), or the same loop
 * with the lookup alone (reading pats[i] too), for an interleaved ratio.
 */
double time_effective(const struct subject *sj, const uint64_t *in, const uint8_t *pats,
		      size_t mask, uint64_t batch, bool compose);

/*
 * `batch` lookups in ns each, BENCH_CHUNK addresses at a time into a buffer:
 * by mtrr_map_lookup_batch (`use_batch`) or by a loop of inline lookups.
 */
#define BENCH_CHUNK 256u
double time_batch(const struct subject *sj, const uint64_t *in, size_t mask, uint64_t batch,
		  bool use_batch);

/* `batch` rebuilds of the map (IMPL_MAP) or the list (IMPL_LIST), ns each. */
double time_build(struct subject *sj, enum impl impl, uint64_t batch);

/* ---- timing (harness.c) ------------------------------------------------- */

/* Monotonic time in nanoseconds. */
uint64_t bench_now_ns(void);

/* A pseudo-random generator (splitmix64), seeded for reproducible inputs. */
uint64_t bench_rand(uint64_t *state);

struct stats {
	double min, median, mean, stddev;   /* ns per operation */
	unsigned samples;
	uint64_t batch;                     /* operations per sample */
};

/* Reduces `n` per-sample figures (ns/op) to their statistics; sorts `v`. */
void stats_from(struct stats *st, double *v, unsigned n, uint64_t batch);

/* Where results go so that no lookup is optimised away. */
extern volatile unsigned bench_sink;

/* ---- inputs and their check (verify.c) ---------------------------------- */

#define NPOINTS (1u << 16)      /* inputs per point set: 512 KiB, fits L2 */
#define NRANGES (1u << 12)      /* inputs per range size */

/* Rows of a configuration's table: point sets, range sizes, the build. */
enum row {
	ROW_UNIFORM,            /* points uniform over [0, 2^phys_bits) */
	ROW_BELOW4G,            /* points uniform over [0, 4 GiB) */
	ROW_SEQ4K,              /* a walk from 0 in 4 KiB steps */
	ROW_RANGE4K,            /* aligned spans of 4 KiB, 2 MiB, 1 GiB */
	ROW_RANGE2M,
	ROW_RANGE1G,
	ROW_BUILD,              /* mtrr_map_build (and the list's build) */
	NROWS
};
#define NPOINTSETS 3
#define NSPANS 3

/* "point_uniform", ..., "range1g", "build". */
const char *row_name(unsigned row);
/* The span of range row ROW_RANGE4K + k. */
uint64_t row_span(unsigned k);

struct inputs {
	uint64_t points[NPOINTSETS][NPOINTS];
	uint8_t points_ref[NPOINTSETS][NPOINTS];
	uint8_t pats[NPOINTSETS][NPOINTS];  /* bench_pat_type(points[k][i]) */
	uint64_t ranges[NSPANS][NRANGES];   /* starts; a range is [s, s + span) */
	uint8_t ranges_ref[NSPANS][NRANGES];
};

/* Fills the inputs for a space of 2^phys_bits from a seed (reproducible). */
void inputs_generate(struct inputs *in, unsigned phys_bits, uint64_t seed);

/* One measured operation of one implementation. */
struct cell {
	bool done;              /* measured */
	struct stats st;
	long checked;           /* answers compared with the reference */
	long mismatches;
};

/* Everything measured for one configuration. */
struct outcome {
	struct cell cell[NROWS][IMPL_COUNT];
	/* per point set: [0] the inline lookup, [1] composed with the PAT type */
	struct cell effective[NPOINTSETS][2];
	/* per point set: [0] a loop of inline lookups, [1] mtrr_map_lookup_batch */
	struct cell batch[NPOINTSETS][2];
	unsigned vcnt;
};

/*
 * Compares every answer of the map and the baselines with the reference
 * (recording the reference answers in `in`) and counts the differences in
 * `oc`.  Returns false, after printing the first differences, when the map
 * differs anywhere.
 */
bool verify(const char *name, const struct subject *sj, struct inputs *in,
	    struct outcome *oc);

/* ---- the human table (table.c) ------------------------------------------ */

/* The table of one configuration. */
void table_print(FILE *out, const struct bench_config *cfg, const struct subject *sj,
		 const struct outcome *oc);

/* One line: per implementation, how many answers differed. */
void table_mismatches(FILE *out, const struct outcome *oc);

/* Prints the targets for a typical configuration; true if all met. */
bool table_targets(FILE *out, const struct bench_config *cfg, const struct outcome *oc);

/*
 * Prints issue #12's targets for a non-contiguous layout (inline point
 * lookup >= 3x the reference and the scan, build <= 50 us); true if all met.
 */
bool table_targets_noncontig(FILE *out, const struct bench_config *cfg,
			     const struct outcome *oc);

/* ---- report (report.c) -------------------------------------------------- */

struct result {
	char name[96];          /* config/benchmark/impl */
	struct stats st;
	double ratio;           /* its median / the map's median; 0: none */
	long checked;           /* answers compared with the reference; -1: none */
	long mismatches;        /* of those, how many differed */
};

/* The processor's model name ("unknown" when it cannot be read). */
const char *bench_cpu_model(void);

/*
 * Collects results and, when `json_path` is not NULL, writes them at
 * report_close as Google Benchmark JSON ("-" is stdout).  NULL on failure.
 */
struct report *report_open(const char *json_path, const char *argv0);
/* Adds one result; false when the report is full. */
bool report_add(struct report *r, const struct result *res);
/* Adds a number or a string to the JSON "context" object. */
void report_context_num(struct report *r, const char *key, double v);
void report_context_str(struct report *r, const char *key, const char *v);
/* Writes the JSON and frees `r`; false on an I/O error. */
bool report_close(struct report *r);

#endif
