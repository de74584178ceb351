/*
 * worst.c — mtrr_worst: the worst case of every call a VMM makes on
 * guest-controlled state, on adversarial legal states, against its bound.
 *
 *   mtrr_worst [--quick] [--reps N] [--json FILE|-] [--states FILE | --no-states]
 *              [--family NAME] [--state NAME]
 *   mtrr_worst --list | --dump NAME
 *   mtrr_worst --decode FILE...         resolver-fuzzer inputs -> states
 *   mtrr_worst --rank K FILE...         the K slowest of them, as states
 *
 * The states (worst_states.c) are families of seeded adversarial states at
 * VCNT 40 and MAXPHYADDR 52, the examples, the bench configurations
 * and the slowest states a fuzzing run found (bench/slow_states.txt).  On
 * each state every call is timed on many inputs:
 *
 *   build         mtrr_map_build of the state;
 *   lookup_range  the whole space, aligned and unaligned ranges of every
 *                 power-of-two size from 4 KiB to the whole space, and ranges
 *                 around the lowest and highest block of every pair;
 *   lookup_next   the first steps of a walk from 0, random addresses, the
 *                 lowest and highest block of every pair;
 *   diff_cover    capacity 64, between the state and the state after one
 *                 legal WRMSR (DEF_TYPE changes, a non-contiguous pair added
 *                 or removed, a mask bit flipped, a base moved, ...);
 *   point         mtrr_map_lookup_inline at random addresses and pair edges,
 *                 one address at a time; and in batches over random addresses
 *                 with mtrr_bench's timed loop (the typical layouts' figure).
 *
 * The bounds (the issue "A hostile guest cannot stall the VMM"): build
 * <= 2 ms, lookup_range <= 0.2 ms, lookup_next <= 10 us, diff_cover with
 * capacity 64 <= 2 ms, and point lookups unchanged on the typical layouts
 * (the fastest batch <= 1.0 ns; the README's medians are 0.83-0.94 ns).
 *
 * Every input is planned first, then timed once per pass, `reps` passes
 * over all the states, each timing after a warm-up call; an input's figure
 * is its minimum.  On a shared machine noise only ever adds time, and a slow
 * spell lands on one pass, not on every timing of an input.  A call too
 * short for the clock is repeated k times per timing (k grows until a timing
 * lasts 2 us).  A family's "median" is the median of its inputs' figures,
 * its "worst" the maximum.  Every answer is sanity-checked once, when the
 * inputs are planned (a range's type holds at both ends, a step's type
 * holds up to next - 1, a cover covers the probes where the maps differ); a
 * failed check is printed.
 *
 * Timing is not a test: the exit status is 0 unless the program could not
 * run (2: a bad option, a state file that does not parse, a refused write).
 * The last line says whether every bound was met; a missed bound prints the
 * registers of the state that missed it.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "worst.h"
#include "../fuzz/fuzz_state.h"

#ifndef MTRR_BENCH_BUILD_TYPE
#define MTRR_BENCH_BUILD_TYPE "unknown"
#endif
#ifndef MTRR_WORST_STATES
#define MTRR_WORST_STATES "slow_states.txt"
#endif

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define COVER_CAP 64
#define MIN_TIMED_NS 2000u      /* a timing shorter than this repeats the call */

enum call { C_BUILD, C_RANGE, C_NEXT, C_COVER, C_POINT, NCALLS };

static const char *const call_name[NCALLS] = {
	"build", "lookup_range", "lookup_next", "diff_cover(64)", "point (inline)"
};

/* The bounds, ns per call; the point bound is on typical medians. */
static const double bound_ns[NCALLS] = { 2e6, 2e5, 1e4, 2e6, 1.0 };

/* How many inputs of each kind; three profiles. */
struct profile {
	unsigned reps;          /* timings per input after the warm-up */
	unsigned per_size;      /* ranges of each size, aligned and unaligned each */
	unsigned edge_pairs;    /* pairs whose block edges give ranges and steps */
	unsigned walk;          /* lookup_next steps walked from 0 */
	unsigned random_next;   /* lookup_next from random addresses */
	unsigned mutations;     /* diff_cover inputs per state (besides "then") */
	unsigned point_addrs;   /* point lookups timed one address at a time */
	unsigned instances;     /* seeded instances per generated family */
	unsigned samples;       /* point batches per pass */
	uint64_t batch;         /* lookups per point batch */
	const char *name;
};

static const struct profile full = { 5, 3, MTRR_VAR_MAX, 256, 64, 12, 48, 6, 3, 100000, "full" };
static const struct profile quick = { 3, 1, 8, 48, 16, 5, 16, 2, 2, 100000, "quick" };
static const struct profile rank = { 2, 1, 8, 32, 8, 4, 0, 0, 0, 0, "rank" };

/* What an input was, for the report of the worst one. */
struct input {
	uint64_t a, b;          /* range [a, b); step from a */
	char what[160];         /* a cover's writes */
};

struct acc {
	double *v;              /* per-input figures (min of the timings), ns */
	size_t n, cap;
	double worst;
	size_t worst_state;
	struct input worst_in;
	size_t over;            /* inputs over the bound */
};

struct fam {
	char name[24];
	size_t nstates;
	struct acc a[NCALLS];
	double point_batch;     /* largest batch minimum of its states */
};

#define MAX_FAMS 32

static struct wset set;
static struct fam fams[MAX_FAMS];
static size_t nfams;
static double (*state_worst)[NCALLS];   /* per state, for --rank */
static double *state_batch;             /* per state, point batch median */
static double *state_batch_min;         /* per state, point batch minimum */
static const struct profile *prof = &full;
static struct profile custom;           /* a profile with --reps changed */
static long checks_failed;
static size_t inputs[NCALLS], over[NCALLS];   /* inputs timed, and over the bound */
static struct mtrr_map map, scratch, map_a, map_b;
static uint64_t limit;                  /* 2^phys_bits of the state measured */

/* ---- timing ------------------------------------------------------------- */

#if defined(__GNUC__)
#define KEEP(x) __asm__ __volatile__("" : "+r"(x))
#else
#define KEEP(x) ((void)0)
#endif

/*
 * ns = ns per evaluation of EXPR in one timing after a warm-up one.  EXPR
 * runs *k times per timing; *k (1 at first) grows by 4 until a timing lasts
 * MIN_TIMED_NS, and the next pass starts from it.  KEEP(mp) tells the
 * compiler the map may have changed, so a pure lookup is not hoisted out of
 * the loop.
 */
#define MEASURE(ns, k, EXPR)                                                  \
	do {                                                                  \
		unsigned acc_ = 0;                                            \
		bool warm_ = false;                                           \
		for (;;) {                                                    \
			uint64_t i_, t0_ = bench_now_ns(), dt_;               \
			for (i_ = 0; i_ < *(k); i_++) {                       \
				KEEP(mp);                                     \
				acc_ += (unsigned)(EXPR);                     \
				KEEP(acc_);                                   \
			}                                                     \
			dt_ = bench_now_ns() - t0_;                           \
			if (dt_ < MIN_TIMED_NS && *(k) < (1u << 20)) {        \
				*(k) *= 4;                                    \
				continue;                                     \
			}                                                     \
			if (warm_) {                                          \
				(ns) = (double)dt_ / (double)*(k);            \
				break;                                        \
			}                                                     \
			warm_ = true;                                         \
		}                                                             \
		bench_sink = acc_;                                            \
	} while (0)

static double
clock_build(const struct mtrr_state *s, uint32_t *k)
{
	const struct mtrr_map *mp = &scratch;
	double ns;

	MEASURE(ns, k, mtrr_map_build(&scratch, s) + (mp == NULL));
	return ns;
}

static double
clock_range(const struct mtrr_map *mp, uint64_t s, uint64_t e, uint32_t *k)
{
	double ns;

	MEASURE(ns, k, mtrr_map_lookup_range(mp, s, e));
	return ns;
}

static double
clock_next(const struct mtrr_map *mp, uint64_t a, uint32_t *k)
{
	uint64_t nx = 0;
	uint8_t t;
	double ns;

	MEASURE(ns, k, (t = mtrr_map_lookup_next(mp, a, &nx), t + (unsigned)nx));
	return ns;
}

static double
clock_cover(const struct mtrr_map *mp, const struct mtrr_map *b, struct mtrr_range *out,
	    uint32_t *k)
{
	double ns;

	MEASURE(ns, k, mtrr_map_diff_cover(mp, b, out, COVER_CAP));
	return ns;
}

static double
clock_point(const struct mtrr_map *mp, uint64_t a, uint32_t *k)
{
	double ns;

	MEASURE(ns, k, mtrr_map_lookup_inline(mp, a));
	return ns;
}

/* ---- what is timed on one state ----------------------------------------- */

/* One input of a state: the call, its arguments, its figure. */
struct item {
	enum call call;
	unsigned mut;           /* diff_cover: the index of its mutation */
	uint32_t k;             /* calls per timing (MEASURE) */
	uint64_t a, b;          /* lookup_range [a, b); lookup_next, point at a */
	double best;            /* the minimum over the passes, ns */
};

/* A diff_cover input: writes[0, nprep) make sa, the others sb from sa. */
struct mutation {
	const char *label;
	unsigned nprep, n;
	uint32_t msr[3];
	uint64_t val[3];
	struct mtrr_state sa, sb;
};

#define MAX_BATCH 64

/* Everything timed on one state. */
struct plan {
	struct item *items;
	size_t n, cap;
	struct mutation *muts;
	size_t capm;
	unsigned nmuts;
	double batch[MAX_BATCH];        /* point batches, ns per lookup */
	unsigned nbatch;
};

static struct plan *plans;

static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		v = realloc(v, *cap * size);
		if (v == NULL) {
			perror("mtrr_worst");
			exit(2);
		}
	}
	return v;
}

static void
push(size_t idx, enum call c, uint64_t a, uint64_t b, unsigned mut)
{
	struct plan *p = &plans[idx];
	struct item *it;

	p->items = grow(p->items, &p->cap, p->n, sizeof(*p->items));
	it = &p->items[p->n++];
	it->call = c;
	it->mut = mut;
	it->a = a;
	it->b = b;
	it->k = 1;
	it->best = 1e300;
}

static void
check_failed(const struct wstate *w, const char *fmt, ...)
{
	va_list ap;

	if (checks_failed++ < 20) {
		fprintf(stderr, "mtrr_worst: %s: check failed: ", w->name);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
}

/* The lowest and highest block of pair n, [lo, lo + size) and [hi, hi + size). */
static bool
pair_blocks(const struct mtrr_state *s, unsigned n, uint64_t *lo, uint64_t *hi,
	    uint64_t *size)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	uint64_t mask = s->var[n].mask & phys;

	if (n >= s->caps.vcnt || !(s->var[n].mask & MTRR_PHYSMASK_V))
		return false;
	*size = mask ? mask & (~mask + 1) : 1ull << s->caps.phys_bits;
	*lo = s->var[n].base & mask;
	*hi = *lo | (phys & ~mask & ~(*size - 1));
	return true;
}

static void
plan_range(size_t idx, uint64_t s, uint64_t e)
{
	const struct wstate *w = &set.v[idx];
	uint8_t t;

	if (e <= s || e > limit)
		return;
	t = mtrr_map_lookup_range(&map, s, e);
	if (t != MTRR_TYPE_MIXED &&
	    (t != mtrr_map_lookup(&map, s) || t != mtrr_map_lookup(&map, e - 1)))
		check_failed(w, "lookup_range [0x%llx, 0x%llx) = %u, ends %u %u",
			     (unsigned long long)s, (unsigned long long)e, t,
			     mtrr_map_lookup(&map, s), mtrr_map_lookup(&map, e - 1));
	push(idx, C_RANGE, s, e, 0);
}

/* A range of `size` bytes around `e`, clipped to the space. */
static void
around(size_t idx, uint64_t e, uint64_t size)
{
	uint64_t s = e > size / 2 ? e - size / 2 : 0;
	uint64_t end = limit - s > size ? s + size : limit;

	plan_range(idx, s, end);
}

static void
plan_ranges(size_t idx, uint64_t *seed)
{
	static const uint64_t spans[3] = { 8 * KiB, 4 * MiB, 2 * GiB };
	const struct mtrr_state *s = &set.v[idx].s;
	unsigned k, j, n, d;

	plan_range(idx, 0, limit);
	for (k = 12; k <= s->caps.phys_bits; k++)
		for (j = 0; j < prof->per_size; j++) {
			uint64_t size = 1ull << k, r = bench_rand(seed) & ~(size - 1) & (limit - 1);
			uint64_t room = limit - size;
			plan_range(idx, r, r + size);
			/* unaligned: a byte start, a size in [2^k, 2^(k+1)) */
			size += room ? bench_rand(seed) % size : 0;
			if (size > limit)
				size = limit;
			room = limit - size;
			r = room ? bench_rand(seed) % (room + 1) : 0;
			plan_range(idx, r, r + size);
		}
	for (n = 0; n < s->caps.vcnt && n < prof->edge_pairs; n++) {
		uint64_t lo, hi, size, edge[4];
		if (!pair_blocks(s, n, &lo, &hi, &size))
			continue;
		edge[0] = lo;
		edge[1] = lo + size;
		edge[2] = hi;
		edge[3] = hi + size;
		plan_range(idx, lo, lo + size);
		plan_range(idx, lo, limit);
		plan_range(idx, 0, lo + size);
		for (j = 0; j < 4; j++)
			for (d = 0; d < 3; d++)
				around(idx, edge[j], spans[d]);
	}
}

/* A lookup_next input at a; its answer's next in *next. */
static void
plan_step(size_t idx, uint64_t a, uint64_t *next)
{
	const struct wstate *w = &set.v[idx];
	uint8_t t = mtrr_map_lookup_next(&map, a, next);

	if (*next <= a || *next > limit || t != mtrr_map_lookup(&map, a) ||
	    t != mtrr_map_lookup(&map, *next - 1)) {
		check_failed(w, "lookup_next 0x%llx = %u, next 0x%llx", (unsigned long long)a,
			     t, (unsigned long long)*next);
		*next = limit;
	}
	push(idx, C_NEXT, a, 0, 0);
}

static void
plan_steps(size_t idx, uint64_t *seed)
{
	const struct mtrr_state *s = &set.v[idx].s;
	uint64_t a = 0, next;
	unsigned i, n;

	for (i = 0; i < prof->walk && a < limit; i++, a = next)
		plan_step(idx, a, &next);
	for (i = 0; i < prof->random_next; i++)
		plan_step(idx, bench_rand(seed) & (limit - 1), &next);
	for (n = 0; n < s->caps.vcnt && n < prof->edge_pairs; n++) {
		uint64_t lo, hi, size;
		if (!pair_blocks(s, n, &lo, &hi, &size))
			continue;
		plan_step(idx, lo, &next);
		plan_step(idx, hi, &next);
	}
}

/* ---- bookkeeping -------------------------------------------------------- */

static struct fam *
fam_of(const char *name)
{
	size_t i;

	for (i = 0; i < nfams; i++)
		if (strcmp(fams[i].name, name) == 0)
			return &fams[i];
	if (nfams == MAX_FAMS) {
		fprintf(stderr, "mtrr_worst: more than %d families\n", MAX_FAMS);
		exit(2);
	}
	snprintf(fams[nfams].name, sizeof(fams[nfams].name), "%s", name);
	return &fams[nfams++];
}

static void
note(struct fam *f, size_t idx, enum call c, double ns, const struct input *in)
{
	struct acc *a = &f->a[c];

	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 256;
		double *v = realloc(a->v, cap * sizeof(*v));
		if (v == NULL) {
			perror("mtrr_worst");
			exit(2);
		}
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = ns;
	inputs[c]++;
	if (c != C_POINT && ns > bound_ns[c]) {
		over[c]++;
		a->over++;
	}
	if (a->n == 1 || ns > a->worst) {
		a->worst = ns;
		a->worst_state = idx;
		a->worst_in = *in;
	}
	if (ns > state_worst[idx][c])
		state_worst[idx][c] = ns;
}

/* ---- diff_cover --------------------------------------------------------- */

static void
mu_add(struct mutation *m, uint32_t msr, uint64_t val)
{
	m->msr[m->n] = msr;
	m->val[m->n++] = val;
}

static bool
contiguous(uint64_t mask, uint64_t phys)
{
	return mask == 0 || mask == (phys & ~((mask & (~mask + 1)) - 1));
}

/* A pair to change: a valid one with a non-contiguous mask if `noncontig`. */
static unsigned
pick_pair(const struct mtrr_state *s, uint64_t *seed, bool noncontig)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	unsigned start = (unsigned)(bench_rand(seed) % s->caps.vcnt), i;

	for (i = 0; i < s->caps.vcnt; i++) {
		unsigned n = (start + i) % s->caps.vcnt;
		uint64_t m = s->var[n].mask;
		if ((m & MTRR_PHYSMASK_V) && (!noncontig || !contiguous(m & phys, phys)))
			return n;
	}
	return start;
}

/* Mutation `kind` of state s (kinds 0..9), false when it does not apply. */
static bool
make_mutation(const struct mtrr_state *s, unsigned kind, uint64_t *seed, struct mutation *m)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	uint64_t bit = 1ull << (12u + bench_rand(seed) % (s->caps.phys_bits - 12u));
	uint8_t t = worst_type(&s->caps, seed);
	unsigned n, i;

	memset(m, 0, sizeof(*m));
	if (kind >= 3 && kind != 8 && s->caps.vcnt == 0)
		return false;
	n = kind >= 3 && kind != 8 ? pick_pair(s, seed, kind == 4) : 0;
	switch (kind) {
	case 0:
		m->label = "DEF_TYPE type";
		while (t == (s->def_type & 0xFF))
			t = worst_type(&s->caps, seed);
		mu_add(m, MTRR_MSR_DEF_TYPE, (s->def_type & ~0xFFull) | t);
		return true;
	case 1:
		m->label = "DEF_TYPE.E";
		mu_add(m, MTRR_MSR_DEF_TYPE, s->def_type ^ MTRR_DEF_E);
		return true;
	case 2:
		m->label = "DEF_TYPE.FE";
		mu_add(m, MTRR_MSR_DEF_TYPE, s->def_type ^ MTRR_DEF_FE);
		return true;
	case 3: {
		uint64_t mask = 0;
		int bits = 2 + (int)(bench_rand(seed) % 3);
		m->label = "add non-contiguous pair";
		while (__builtin_popcountll(mask) < bits)
			mask |= 1ull << (12u + bench_rand(seed) % (s->caps.phys_bits - 12u));
		mu_add(m, MTRR_MSR_PHYSMASK(n), 0);
		mu_add(m, MTRR_MSR_PHYSBASE(n), (bench_rand(seed) & phys) | t);
		m->nprep = 2;
		mu_add(m, MTRR_MSR_PHYSMASK(n), mask | MTRR_PHYSMASK_V);
		return true;
	}
	case 4:
		m->label = "remove non-contiguous pair";
		mu_add(m, MTRR_MSR_PHYSMASK(n), s->var[n].mask & ~MTRR_PHYSMASK_V);
		return true;
	case 5:
		m->label = "flip a mask bit";
		mu_add(m, MTRR_MSR_PHYSMASK(n), ((s->var[n].mask & phys) ^ bit) | MTRR_PHYSMASK_V);
		return true;
	case 6:
		m->label = "move a base";
		mu_add(m, MTRR_MSR_PHYSBASE(n), (bench_rand(seed) & phys) | (s->var[n].base & 0xFF));
		return true;
	case 7:
		m->label = "pair type";
		mu_add(m, MTRR_MSR_PHYSBASE(n), (s->var[n].base & ~0xFFull) | t);
		return true;
	case 8:
		if (!s->caps.fixed)
			return false;
		m->label = "fixed MSR";
		i = (unsigned)(bench_rand(seed) % MTRR_FIXED_MSRS);
		m->val[0] = 0;
		for (n = 0; n < 8; n++)
			m->val[0] |= (uint64_t)worst_type(&s->caps, seed) << (8 * n);
		m->msr[0] = fuzz_fixed_msr(i);
		m->n = 1;
		return true;
	default: {
		unsigned k = 12u + (unsigned)(bench_rand(seed) % (s->caps.phys_bits - 12u));
		m->label = "add a block";
		mu_add(m, MTRR_MSR_PHYSMASK(n), 0);
		mu_add(m, MTRR_MSR_PHYSBASE(n), (bench_rand(seed) & phys & ~((1ull << k) - 1)) | t);
		m->nprep = 2;
		mu_add(m, MTRR_MSR_PHYSMASK(n), (phys & ~((1ull << k) - 1)) | MTRR_PHYSMASK_V);
		return true;
	}
	}
}

static void
describe(const struct mutation *m, char *buf, size_t len)
{
	size_t used;
	unsigned i;

	used = (size_t)snprintf(buf, len, "%s:", m->label);
	for (i = 0; i < m->n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s %x<-%llx",
					 i == m->nprep ? " then" : "", (unsigned)m->msr[i],
					 (unsigned long long)m->val[i]);
}

/* Every probe where the maps differ is inside the cover. */
static void
check_cover(const struct wstate *w, const struct mtrr_range *out, size_t n, uint64_t *seed)
{
	uint64_t probes[64 + 4 * MTRR_VAR_MAX];
	size_t np = 0, i, j;
	unsigned k;

	for (i = 0; i < 64; i++)
		probes[np++] = bench_rand(seed) & (limit - 1);
	for (k = 0; k < w->s.caps.vcnt; k++) {
		uint64_t lo, hi, size;
		if (!pair_blocks(&w->s, k, &lo, &hi, &size))
			continue;
		probes[np++] = lo;
		probes[np++] = hi;
		probes[np++] = lo + size - 1;
		probes[np++] = hi + size - 1;
	}
	for (i = 1; i < n; i++)
		if (out[i].start < out[i - 1].end)
			check_failed(w, "diff_cover: ranges %zu and %zu overlap", i - 1, i);
	for (i = 0; i < np; i++) {
		if (mtrr_map_lookup(&map_a, probes[i]) == mtrr_map_lookup(&map_b, probes[i]))
			continue;
		for (j = 0; j < n && !(out[j].start <= probes[i] && probes[i] < out[j].end); j++)
			;
		if (j == n)
			check_failed(w, "diff_cover misses 0x%llx", (unsigned long long)probes[i]);
	}
}

/*
 * Adds the diff_cover input of mutation m: builds its two states and maps
 * and checks the cover once.  Nothing when a write is refused.
 */
static void
plan_cover(size_t idx, const struct mutation *m, uint64_t *seed)
{
	struct mtrr_range out[COVER_CAP];
	const struct wstate *w = &set.v[idx];
	struct plan *p = &plans[idx];
	struct mutation *mu;
	unsigned i;
	size_t n;

	p->muts = grow(p->muts, &p->capm, p->nmuts, sizeof(*p->muts));
	mu = &p->muts[p->nmuts];
	*mu = *m;
	memcpy(&mu->sa, &w->s, sizeof(mu->sa));
	for (i = 0; i < mu->nprep; i++)
		if (mtrr_wrmsr(&mu->sa, mu->msr[i], mu->val[i]) != MTRR_OK)
			return;
	memcpy(&mu->sb, &mu->sa, sizeof(mu->sb));
	for (; i < mu->n; i++)
		if (mtrr_wrmsr(&mu->sb, mu->msr[i], mu->val[i]) != MTRR_OK)
			return;
	if (mtrr_map_build(&map_a, &mu->sa) != MTRR_OK ||
	    mtrr_map_build(&map_b, &mu->sb) != MTRR_OK) {
		check_failed(w, "mtrr_map_build refused a mutated state");
		return;
	}
	n = mtrr_map_diff_cover(&map_a, &map_b, out, COVER_CAP);
	if (n > COVER_CAP)
		check_failed(w, "diff_cover wrote %zu > %d ranges", n, COVER_CAP);
	else
		check_cover(w, out, n, seed);
	push(idx, C_COVER, 0, 0, p->nmuts++);
}

static void
plan_covers(size_t idx, uint64_t *seed)
{
	const struct wstate *w = &set.v[idx];
	static struct mutation m;
	unsigned i;

	for (i = 0; i < prof->mutations; i++)
		if (make_mutation(&w->s, i % 10u, seed, &m))
			plan_cover(idx, &m, seed);
	if (w->nthen > 0) {
		memset(&m, 0, sizeof(m));
		m.label = "the state's then";
		for (i = 0; i < w->nthen; i++)
			mu_add(&m, w->then_msr[i], w->then_val[i]);
		plan_cover(idx, &m, seed);
	}
}

/* ---- one state, in passes ----------------------------------------------- */

static void
plan_points(size_t idx, uint64_t *seed)
{
	const struct mtrr_state *s = &set.v[idx].s;
	unsigned i, n;
	uint64_t a;

	for (i = 0; i < prof->point_addrs; i++) {
		a = bench_rand(seed) & (limit - 1);
		push(idx, C_POINT, i % 4 == 3 ? a & (4 * GiB - 1) : a, 0, 0);
	}
	for (n = 0; prof->point_addrs && n < s->caps.vcnt && n < prof->edge_pairs; n++) {
		uint64_t lo, hi, size;
		if (pair_blocks(s, n, &lo, &hi, &size))
			push(idx, C_POINT, lo, 0, 0);
	}
}

/* Every input of state idx, each answer checked once.  False: no map. */
static bool
plan_state(size_t idx)
{
	const struct wstate *w = &set.v[idx];
	uint64_t seed = 0x5eedull + idx;
	mtrr_status st = mtrr_map_build(&map, &w->s);
	size_t i;

	if (st != MTRR_OK) {
		fprintf(stderr, "mtrr_worst: %s: mtrr_map_build: %s\n", w->name, mtrr_status_str(st));
		return false;
	}
	limit = 1ull << w->s.caps.phys_bits;
	for (i = 0; w->name[i]; i++)
		seed = seed * 131u + (unsigned char)w->name[i];
	push(idx, C_BUILD, 0, 0, 0);
	plan_ranges(idx, &seed);
	plan_steps(idx, &seed);
	plan_covers(idx, &seed);
	plan_points(idx, &seed);
	return true;
}

/*
 * prof->samples batches of prof->batch inline lookups at 4096 random
 * addresses of the space, after a warm-up batch, with mtrr_bench's own timed
 * loop (run.c), so the figure compares with its "random over 2^phys" row.
 */
static void
batch_points(size_t idx)
{
	static struct subject sj;
	static uint64_t in[4096];
	struct plan *p = &plans[idx];
	uint64_t seed = 0xba7c4ull + idx;
	unsigned s;
	size_t i;

	memcpy(&sj.state, &set.v[idx].s, sizeof(sj.state));
	if (mtrr_map_build(&sj.map, &sj.state) != MTRR_OK)
		return;
	for (i = 0; i < 4096; i++)
		in[i] = bench_rand(&seed) & (limit - 1);
	for (s = 0; s <= prof->samples; s++) {
		double ns = time_points(&sj, IMPL_INLINE, in, 4095, prof->batch);
		if (s > 0 && p->nbatch < MAX_BATCH)
			p->batch[p->nbatch++] = ns;
	}
}

/* One timing of every input of state idx; each keeps its minimum. */
static void
run_pass(size_t idx)
{
	struct mtrr_range out[COVER_CAP];
	const struct wstate *w = &set.v[idx];
	struct plan *p = &plans[idx];
	unsigned built = -1u;
	size_t i;

	(void)mtrr_map_build(&map, &w->s);
	limit = 1ull << w->s.caps.phys_bits;
	for (i = 0; i < p->n; i++) {
		struct item *it = &p->items[i];
		double ns = 0;
		switch (it->call) {
		case C_BUILD:
			ns = clock_build(&w->s, &it->k);
			break;
		case C_RANGE:
			ns = clock_range(&map, it->a, it->b, &it->k);
			break;
		case C_NEXT:
			ns = clock_next(&map, it->a, &it->k);
			break;
		case C_COVER:
			if (built != it->mut) {
				(void)mtrr_map_build(&map_a, &p->muts[it->mut].sa);
				(void)mtrr_map_build(&map_b, &p->muts[it->mut].sb);
				built = it->mut;
			}
			ns = clock_cover(&map_a, &map_b, out, &it->k);
			break;
		default:
			ns = clock_point(&map, it->a, &it->k);
			break;
		}
		if (ns < it->best)
			it->best = ns;
	}
	if (prof->samples)
		batch_points(idx);
}

/* Hands the figures of state idx to its family, frees its plan. */
static void
finish_state(size_t idx)
{
	const struct wstate *w = &set.v[idx];
	struct fam *f = fam_of(w->family);
	struct plan *p = &plans[idx];
	struct input in;
	struct stats st;
	size_t i;

	f->nstates++;
	for (i = 0; i < p->n; i++) {
		const struct item *it = &p->items[i];
		memset(&in, 0, sizeof(in));
		in.a = it->a;
		in.b = it->b;
		if (it->call == C_COVER)
			describe(&p->muts[it->mut], in.what, sizeof(in.what));
		note(f, idx, it->call, it->best, &in);
	}
	if (p->nbatch) {
		stats_from(&st, p->batch, p->nbatch, prof->batch);
		state_batch[idx] = st.median;
		state_batch_min[idx] = st.min;
		if (st.min > f->point_batch)
			f->point_batch = st.min;
	}
	free(p->items);
	free(p->muts);
	memset(p, 0, sizeof(*p));
}

/*
 * Measures the states i in [lo, hi) with sel[i] (NULL: all): plans every
 * input, then prof->reps passes over all of them, so the timings of one
 * input are spread over the whole run and a slow spell of the shared
 * machine does not land on all of them.  False when a state has no map.
 */
static bool
measure(size_t lo, size_t hi, const bool *sel, bool verbose)
{
	unsigned pass;
	size_t i;

	for (i = lo; i < hi; i++)
		if ((sel == NULL || sel[i]) && !plan_state(i))
			return false;
	for (pass = 0; pass < prof->reps; pass++) {
		if (verbose)
			fprintf(stderr, "mtrr_worst: pass %u of %u\n", pass + 1, prof->reps);
		for (i = lo; i < hi; i++)
			if (sel == NULL || sel[i])
				run_pass(i);
	}
	for (i = lo; i < hi; i++) {
		if (sel != NULL && !sel[i])
			continue;
		finish_state(i);
		if (verbose)
			fprintf(stderr, "  %-28s build %8.0f ns  range %9.0f ns  next %7.0f ns  "
				"cover %9.0f ns\n", set.v[i].name, state_worst[i][C_BUILD],
				state_worst[i][C_RANGE], state_worst[i][C_NEXT],
				state_worst[i][C_COVER]);
	}
	return true;
}

/* ---- output ------------------------------------------------------------- */

static const char *
fmt_ns(char *buf, size_t len, double ns)
{
	if (ns < 10)
		snprintf(buf, len, "%.2f ns", ns);
	else if (ns < 1e3)
		snprintf(buf, len, "%.1f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	return buf;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(struct acc *a)
{
	if (a->n == 0)
		return 0;
	qsort(a->v, a->n, sizeof(*a->v), cmp_double);
	return a->n % 2 ? a->v[a->n / 2] : (a->v[a->n / 2 - 1] + a->v[a->n / 2]) / 2;
}

static const char *
fmt_input(char *buf, size_t len, enum call c, const struct input *in)
{
	switch (c) {
	case C_RANGE:
		snprintf(buf, len, "[0x%llx, 0x%llx)", (unsigned long long)in->a,
			 (unsigned long long)in->b);
		break;
	case C_NEXT:
	case C_POINT:
		snprintf(buf, len, "addr 0x%llx", (unsigned long long)in->a);
		break;
	case C_COVER:
		snprintf(buf, len, "%s", in->what);
		break;
	default:
		snprintf(buf, len, "the state");
		break;
	}
	return buf;
}

static void
print_families(FILE *out)
{
	char b1[32], b2[32];
	size_t i;
	unsigned c;

	fprintf(out, "\nPer family: median / worst over inputs; each input's figure is the "
		"minimum of %u timings\n", prof->reps);
	fprintf(out, "%-18s %6s", "family", "states");
	for (c = 0; c < NCALLS; c++)
		fprintf(out, " | %-21s", call_name[c]);
	fprintf(out, " | point batch min\n");
	for (i = 0; i < nfams; i++) {
		struct fam *f = &fams[i];
		fprintf(out, "%-18s %6zu", f->name, f->nstates);
		for (c = 0; c < NCALLS; c++) {
			char cell[48];
			if (f->a[c].n == 0)
				snprintf(cell, sizeof(cell), "-");
			else
				snprintf(cell, sizeof(cell), "%s / %s",
					 fmt_ns(b1, sizeof(b1), median(&f->a[c])),
					 fmt_ns(b2, sizeof(b2), f->a[c].worst));
			fprintf(out, " | %-21s", cell);
		}
		fprintf(out, " | %s\n", f->point_batch > 0 ?
			fmt_ns(b1, sizeof(b1), f->point_batch) : "-");
	}
}

/* The overall worst of call c over the families: the family index, or -1. */
static int
overall(enum call c)
{
	int best = -1;
	size_t i;

	for (i = 0; i < nfams; i++)
		if (fams[i].a[c].n && (best < 0 || fams[i].a[c].worst > fams[best].a[c].worst))
			best = (int)i;
	return best;
}

/*
 * The point figure: the largest batch minimum of the typical layouts, as
 * every other figure is a minimum (the largest batch median in *median).
 */
static double
typical_point(const char **where, double *median)
{
	double worst = 0;
	size_t i;

	*where = "-";
	*median = 0;
	for (i = 0; i < set.n; i++)
		if (strcmp(set.v[i].family, "typical") == 0 && state_batch[i] > 0) {
			if (state_batch_min[i] > worst) {
				worst = state_batch_min[i];
				*where = set.v[i].name;
			}
			if (state_batch[i] > *median)
				*median = state_batch[i];
		}
	return worst;
}

static bool
print_bounds(FILE *out)
{
	char b1[32], b2[32], text[192];
	bool met = true, missed_any = false;
	unsigned c;

	fprintf(out, "\nBounds (worst = the maximum over every input of every state of the "
		"minimum of its timings):\n");
	for (c = 0; c < NCALLS; c++) {
		int fi = overall((enum call)c);
		double worst;
		const char *where;
		bool ok;
		if (c == C_POINT) {
			double med;
			worst = typical_point(&where, &med);
			if (worst == 0)
				continue;
			ok = worst <= bound_ns[c];
			fprintf(out, "  %-15s <= 1.0 ns  min    %-10s %-7s %s (median %.2f ns; typical "
				"layouts, random addresses; README: 0.83-0.94 ns)\n", call_name[c],
				fmt_ns(b2, sizeof(b2), worst), ok ? "MET" : "MISSED", where, med);
		} else {
			struct acc *a;
			if (fi < 0)
				continue;
			a = &fams[fi].a[c];
			ok = a->worst <= bound_ns[c];
			fprintf(out, "  %-15s <= %-7s worst %-10s %-7s %s, %s\n", call_name[c],
				fmt_ns(b1, sizeof(b1), bound_ns[c]),
				fmt_ns(b2, sizeof(b2), a->worst), ok ? "MET" : "MISSED",
				set.v[a->worst_state].name,
				fmt_input(text, sizeof(text), (enum call)c, &a->worst_in));
			if (!ok) {
				size_t i;
				fprintf(out, "  %-15s %zu of %zu inputs over the bound:", "",
					over[c], inputs[c]);
				for (i = 0; i < nfams; i++)
					if (fams[i].a[c].over)
						fprintf(out, " %s %zu", fams[i].name, fams[i].a[c].over);
				fputc('\n', out);
			}
		}
		met = met && ok;
		missed_any = missed_any || !ok;
	}
	if (missed_any) {
		fprintf(out, "\nStates where a bound was missed (mtrr_worst --state NAME "
			"reproduces; the format of bench/slow_states.txt):\n");
		for (c = 0; c < C_POINT; c++) {
			int fi = overall((enum call)c);
			if (fi < 0 || fams[fi].a[c].worst <= bound_ns[c])
				continue;
			fprintf(out, "# %s: %s\n", call_name[c],
				fmt_input(text, sizeof(text), (enum call)c, &fams[fi].a[c].worst_in));
			wstate_print(out, &set.v[fams[fi].a[c].worst_state]);
		}
	}
	return met;
}

static void
put_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void
put_json_entry(FILE *f, bool *first, const char *fam, unsigned c, const char *agg,
	       size_t n, double v)
{
	char run[96];

	snprintf(run, sizeof(run), "%s/%s", fam, call_name[c]);
	fprintf(f, "%s    {\"name\": ", *first ? "" : ",\n");
	fprintf(f, "\"%s_%s\", \"run_name\": ", run, agg);
	put_json_str(f, run);
	fprintf(f, ", \"run_type\": \"aggregate\", \"aggregate_name\": \"%s\", "
		"\"iterations\": %zu, \"real_time\": %.6g, \"cpu_time\": %.6g, "
		"\"time_unit\": \"ns\"}", agg, n, v, v);
	*first = false;
}

/*
 * Google-Benchmark-shaped JSON: per family and call, a "median" and a "max"
 * aggregate (iterations = the number of inputs), and a "bounds" array.
 */
static bool
write_json(const char *path, const char *argv0, bool met)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	char date[64] = "", text[192];
	time_t now = time(NULL);
	struct tm tm;
	bool first = true, ok;
	size_t i;
	unsigned c;

	if (f == NULL) {
		perror(path);
		return false;
	}
	if (localtime_r(&now, &tm))
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S%z", &tm);
	fprintf(f, "{\n  \"context\": {\"date\": ");
	put_json_str(f, date);
	fprintf(f, ", \"executable\": ");
	put_json_str(f, argv0);
	fprintf(f, ", \"num_cpus\": %ld, \"cpu_model\": ", sysconf(_SC_NPROCESSORS_ONLN));
	put_json_str(f, bench_cpu_model());
	fprintf(f, ", \"library_build_type\": ");
	put_json_str(f, MTRR_BENCH_BUILD_TYPE);
	fprintf(f, ", \"libmtrr_version\": %u, \"reps\": %u, \"profile\": \"%s\"},\n",
		mtrr_version_number(), prof->reps, prof->name);
	fprintf(f, "  \"benchmarks\": [\n");
	for (i = 0; i < nfams; i++)
		for (c = 0; c < NCALLS; c++) {
			struct acc *a = &fams[i].a[c];
			if (a->n == 0)
				continue;
			put_json_entry(f, &first, fams[i].name, c, "median", a->n, median(a));
			put_json_entry(f, &first, fams[i].name, c, "max", a->n, a->worst);
		}
	fprintf(f, "\n  ],\n  \"bounds\": [\n");
	first = true;
	for (c = 0; c < NCALLS; c++) {
		int fi = overall((enum call)c);
		const char *state, *input = text;
		double worst;
		if (fi < 0)
			continue;
		if (c == C_POINT) {
			double med;
			worst = typical_point(&state, &med);
			if (worst == 0)
				continue;
			input = "minimum batch at random addresses, typical layouts";
		} else {
			worst = fams[fi].a[c].worst;
			state = set.v[fams[fi].a[c].worst_state].name;
			fmt_input(text, sizeof(text), (enum call)c, &fams[fi].a[c].worst_in);
		}
		fprintf(f, "%s    {\"call\": ", first ? "" : ",\n");
		put_json_str(f, call_name[c]);
		fprintf(f, ", \"bound_ns\": %.6g, \"worst_ns\": %.6g, \"met\": %s, \"state\": ",
			bound_ns[c], worst, worst <= bound_ns[c] ? "true" : "false");
		put_json_str(f, state);
		fprintf(f, ", \"input\": ");
		put_json_str(f, input);
		fprintf(f, "}");
		first = false;
	}
	fprintf(f, "\n  ],\n  \"worst_case_bounds_met\": %s\n}\n", met ? "true" : "false");
	ok = !ferror(f);
	if (f != stdout)
		ok = fclose(f) == 0 && ok;
	return ok;
}

/* ---- fuzzer inputs ------------------------------------------------------ */

/*
 * The state a resolver_fuzzer input builds (fuzz_build_state) and its next
 * write op (the state b of the target's diff checks), as "then" writes when
 * mtrr_wrmsr accepts them.
 */
static bool
decode_input(const char *path, struct wstate *w)
{
	static uint8_t data[1 << 16];
	FILE *f = fopen(path, "rb");
	struct mtrr_state after;
	struct fuzz_in in;
	const char *base = strrchr(path, '/');
	uint32_t msr[2];
	uint64_t val[2];
	size_t size;
	unsigned i, n;

	if (f == NULL) {
		perror(path);
		return false;
	}
	size = fread(data, 1, sizeof(data), f);
	fclose(f);
	in = fuzz_in_make(data, size);
	fuzz_build_state(&in, &w->s);
	snprintf(w->name, sizeof(w->name), "fuzz-%.40s", base ? base + 1 : path);
	snprintf(w->family, sizeof(w->family), "fuzzer-slow");
	memcpy(&after, &w->s, sizeof(after));
	n = fuzz_write_op(&in, &w->s.caps, msr, val);
	for (i = 0; i < n; i++)
		if (mtrr_wrmsr(&after, msr[i], val[i]) == MTRR_OK) {
			w->then_msr[w->nthen] = msr[i];
			w->then_val[w->nthen++] = val[i];
		}
	return true;
}

/*
 * --rank K FILE...: decodes every input, measures it with few inputs and two
 * timings each, and prints the slowest states: for each of build,
 * lookup_range, lookup_next and diff_cover, the K / 4 (at least one) whose
 * worst input of that call is the slowest, each once, with its figures in a
 * comment.  That output is bench/slow_states.txt.
 */
static int
rank_mode(unsigned k, char **files, int nfiles)
{
	size_t *order, *picked, npicked = 0, i, j, per = k / 4 ? k / 4 : 1;
	char b[NCALLS][32];
	unsigned c;
	int a;

	for (a = 0; a < nfiles; a++) {
		struct wstate *w = wset_push(&set);
		if (w == NULL || !decode_input(files[a], w))
			return 2;
	}
	state_worst = calloc(set.n, sizeof(*state_worst));
	state_batch = calloc(set.n, sizeof(*state_batch));
	state_batch_min = calloc(set.n, sizeof(*state_batch_min));
	plans = calloc(set.n, sizeof(*plans));
	order = calloc(set.n, sizeof(*order));
	picked = calloc(4 * per, sizeof(*picked));
	if (state_worst == NULL || state_batch == NULL || state_batch_min == NULL ||
	    plans == NULL || order == NULL || picked == NULL)
		return 2;
	/* in chunks of 64 states: the plans of thousands would not fit in cache */
	for (i = 0; i < set.n; i += 64)
		if (!measure(i, set.n - i > 64 ? i + 64 : set.n, NULL, false))
			return 2;
	for (c = 0; c < C_POINT; c++) {
		size_t got = 0;
		for (i = 0; i < set.n; i++)
			order[i] = i;
		/* selection of the `per` largest: a few thousand states at most */
		for (i = 0; i < set.n && got < per; i++) {
			size_t best = i;
			for (j = i + 1; j < set.n; j++)
				if (state_worst[order[j]][c] > state_worst[order[best]][c])
					best = j;
			j = order[i];
			order[i] = order[best];
			order[best] = j;
			for (j = 0; j < npicked && picked[j] != order[i]; j++)
				;
			if (j == npicked)
				picked[npicked++] = order[i];
			got++;
		}
	}
	printf("# The slowest of %zu resolver-fuzzer inputs: for each of build, lookup_range,\n"
	       "# lookup_next and diff_cover, the %zu slowest states (mtrr_worst --rank %u,\n"
	       "# %s, library build type %s).\n", set.n, per, k, bench_cpu_model(),
	       MTRR_BENCH_BUILD_TYPE);
	for (i = 0; i < npicked; i++) {
		const double *sw = state_worst[picked[i]];
		printf("\n# build %s, lookup_range %s, lookup_next %s, diff_cover %s\n",
		       fmt_ns(b[0], sizeof(b[0]), sw[C_BUILD]), fmt_ns(b[1], sizeof(b[1]), sw[C_RANGE]),
		       fmt_ns(b[2], sizeof(b[2]), sw[C_NEXT]), fmt_ns(b[3], sizeof(b[3]), sw[C_COVER]));
		wstate_print(stdout, &set.v[picked[i]]);
	}
	free(order);
	free(picked);
	return 0;
}

/* ---- main --------------------------------------------------------------- */

static void
usage(void)
{
	fprintf(stderr,
		"usage: mtrr_worst [--quick] [--reps N] [--json FILE|-] [--states FILE | --no-states]\n"
		"                  [--family NAME] [--state NAME]\n"
		"       mtrr_worst --list | --dump NAME\n"
		"       mtrr_worst --decode FILE...   resolver-fuzzer inputs as states\n"
		"       mtrr_worst --rank K FILE...   the K slowest of them, as states\n"
		"  --quick     2 instances per family, fewer inputs, 3 timings each (seconds);\n"
		"              default 6 instances, 5 timings per input\n"
		"  --reps N    timings per input (after the warm-up); give it after --quick\n"
		"  --states    extra states (default %s)\n", MTRR_WORST_STATES);
}

int
main(int argc, char **argv)
{
	const char *json = NULL, *states = MTRR_WORST_STATES, *only_fam = NULL,
		   *only_state = NULL, *dump = NULL;
	bool list = false, met, *sel;
	FILE *out;
	size_t i;
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--quick") == 0) {
			prof = &quick;
		} else if (strcmp(argv[a], "--json") == 0 && a + 1 < argc) {
			json = argv[++a];
		} else if (strcmp(argv[a], "--states") == 0 && a + 1 < argc) {
			states = argv[++a];
		} else if (strcmp(argv[a], "--no-states") == 0) {
			states = NULL;
		} else if (strcmp(argv[a], "--family") == 0 && a + 1 < argc) {
			only_fam = argv[++a];
		} else if (strcmp(argv[a], "--state") == 0 && a + 1 < argc) {
			only_state = argv[++a];
		} else if (strcmp(argv[a], "--reps") == 0 && a + 1 < argc) {
			custom = *prof;
			custom.reps = (unsigned)strtoul(argv[++a], NULL, 10);
			if (custom.reps == 0) {
				usage();
				return 2;
			}
			prof = &custom;
		} else if (strcmp(argv[a], "--list") == 0) {
			list = true;
		} else if (strcmp(argv[a], "--dump") == 0 && a + 1 < argc) {
			dump = argv[++a];
		} else if (strcmp(argv[a], "--decode") == 0 && a + 1 < argc) {
			for (a++; a < argc; a++) {
				struct wstate w;
				memset(&w, 0, sizeof(w));
				if (!decode_input(argv[a], &w))
					return 2;
				wstate_print(stdout, &w);
			}
			return 0;
		} else if (strcmp(argv[a], "--rank") == 0 && a + 2 < argc) {
			prof = &rank;
			return rank_mode((unsigned)strtoul(argv[a + 1], NULL, 10), argv + a + 2,
					 argc - a - 2);
		} else {
			usage();
			return 2;
		}
	}
	if (!wset_add_builtin(&set, prof->instances))
		return 2;
	if (states != NULL && !wset_load_file(&set, states, "fuzzer-slow"))
		return 2;
	if (list || dump) {
		for (i = 0; i < set.n; i++)
			if (list)
				printf("%-24s %s\n", set.v[i].name, set.v[i].family);
			else if (strcmp(set.v[i].name, dump) == 0)
				wstate_print(stdout, &set.v[i]);
		return 0;
	}
	state_worst = calloc(set.n, sizeof(*state_worst));
	state_batch = calloc(set.n, sizeof(*state_batch));
	state_batch_min = calloc(set.n, sizeof(*state_batch_min));
	plans = calloc(set.n, sizeof(*plans));
	sel = calloc(set.n, sizeof(*sel));
	if (state_worst == NULL || state_batch == NULL || state_batch_min == NULL ||
	    plans == NULL || sel == NULL)
		return 2;
	for (i = 0; i < set.n; i++)
		sel[i] = (only_fam == NULL || strcmp(set.v[i].family, only_fam) == 0) &&
			 (only_state == NULL || strcmp(set.v[i].name, only_state) == 0);

	out = json && strcmp(json, "-") == 0 ? stderr : stdout;
	fprintf(out, "mtrr_worst: libmtrr %u, %s, library build type %s, %u timings per input\n",
		mtrr_version_number(), bench_cpu_model(), MTRR_BENCH_BUILD_TYPE, prof->reps);
	if (strcmp(MTRR_BENCH_BUILD_TYPE, "release") != 0)
		fprintf(out, "note: configure with -DCMAKE_BUILD_TYPE=Release for figures that "
			"mean something\n");
	if (!measure(0, set.n, sel, true))
		return 2;
	print_families(out);
	met = print_bounds(out);
	if (checks_failed)
		fprintf(out, "\nanswer checks failed: %ld (the first are on stderr)\n", checks_failed);
	if (json != NULL && !write_json(json, argv[0], met))
		return 2;
	fprintf(out, "worst-case bounds met: %s\n", met ? "yes" : "no");
	return 0;
}
