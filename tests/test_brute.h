/*
 * test_brute.h — what test_map_diff.c and test_map_blocks.c share: a seeded
 * RNG, random legal states built through mtrr_wrmsr (with the adversarial
 * non-contiguous mask shapes the scan form exists for), and brute-force page
 * tables of small address spaces (MAXPHYADDR 32 or 33: 2^20 or 2^21 pages).
 *
 * The page tables are the ground truth of both programs.  mtrr_ref_lookup is
 * the project's reference, but under ASan at -O0 it costs ~2.4 us per address
 * with 40 pairs, so a table of 2^20 pages would take seconds per state.  The
 * table is built instead by enumerating the pages each valid pair matches
 * (OR-ing the pair's type bit into the page's type set) and resolving each
 * set by the SDM's precedence list, written here from the SDM and not taken
 * from the library.  br_table_check() then compares the table with
 * mtrr_ref_lookup: on every page for one state per test, and for every
 * state on a window of consecutive pages, every fixed page, every pair's
 * block edges and random pages, so a wrong table cannot hide a wrong
 * library.
 */
#ifndef TEST_BRUTE_H
#define TEST_BRUTE_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mtrr.h"
#include "test_util.h"

#define BR_MIB 0x100000ull
#define BR_GIB 0x40000000ull
#define BR_PAGE 0x1000ull
#define BR_MAX_BITS 33                          /* widest brute-forced space */
#define BR_MAX_PAGES (1u << (BR_MAX_BITS - 12))

/* The fixed-range MSRs in struct mtrr_state order. */
static const uint32_t br_fixed_msr[MTRR_FIXED_MSRS] = {
	MTRR_MSR_FIX64K_00000, MTRR_MSR_FIX16K_80000, MTRR_MSR_FIX16K_A0000,
	MTRR_MSR_FIX4K_C0000, MTRR_MSR_FIX4K_C8000, MTRR_MSR_FIX4K_D0000,
	MTRR_MSR_FIX4K_D8000, MTRR_MSR_FIX4K_E0000, MTRR_MSR_FIX4K_E8000,
	MTRR_MSR_FIX4K_F0000, MTRR_MSR_FIX4K_F8000,
};

/* ------------------------------------------------------------------------ */
/* RNG and environment                                                      */
/* ------------------------------------------------------------------------ */

static inline uint64_t
br_next(uint64_t *x)            /* splitmix64 */
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static inline uint64_t
br_below(uint64_t *x, uint64_t n)
{
	return n ? br_next(x) % n : 0;
}

static inline bool
br_chance(uint64_t *x, unsigned percent)
{
	return br_below(x, 100) < percent;
}

static inline unsigned long
br_env(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : dflt;
}

/*
 * The run's seed: MTRR_PROP_SEED when set (the variable test_map.c reads,
 * so one setting reseeds every property test), else `dflt`.  Printed, so a
 * failure can be replayed.
 */
static inline uint64_t
br_seed(const char *program, uint64_t dflt)
{
	uint64_t seed = br_env("MTRR_PROP_SEED", (unsigned long)dflt);

	print_message("%s: seed %#" PRIx64 " (MTRR_PROP_SEED=%#" PRIx64 " replays it)\n",
		      program, seed, seed);
	return seed;
}

/* An independent stream for item i of a run. */
static inline uint64_t
br_stream(uint64_t seed, uint64_t i)
{
	return seed ^ (i * 0xD1B54A32D192ED03ull);
}

/* ------------------------------------------------------------------------ */
/* States                                                                   */
/* ------------------------------------------------------------------------ */

/* Prints a state as the WRMSR sequence that rebuilds it: a reproducer. */
static inline void
br_dump(const struct mtrr_state *s)
{
	unsigned i;

	print_error("caps: vcnt=%u fixed=%d wc=%d smrr=%d phys_bits=%u vendor=%d overlap=%d\n",
		    s->caps.vcnt, s->caps.fixed, s->caps.wc, s->caps.smrr,
		    s->caps.phys_bits, (int)s->caps.vendor, (int)s->caps.overlap);
	if (s->caps.fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			if (s->fixed[i])
				print_error("  wrmsr %#x %#018" PRIx64 "\n", br_fixed_msr[i],
					    s->fixed[i]);
	for (i = 0; i < s->caps.vcnt; i++)
		if (s->var[i].base || s->var[i].mask)
			print_error("  wrmsr %#x %#018" PRIx64 "  wrmsr %#x %#018" PRIx64 "\n",
				    MTRR_MSR_PHYSBASE(i), s->var[i].base,
				    MTRR_MSR_PHYSMASK(i), s->var[i].mask);
	print_error("  wrmsr %#x %#018" PRIx64 "\n", MTRR_MSR_DEF_TYPE, s->def_type);
}

#define BR_WR(s, msr, v) br_wr((s), (msr), (v), __FILE__, __LINE__)
static inline void
br_wr(struct mtrr_state *s, uint32_t msr, uint64_t v, const char *file, int line)
{
	mtrr_status st = mtrr_wrmsr(s, msr, v);

	if (st != MTRR_OK) {
		print_error("%s:%d: wrmsr(%#x, %#" PRIx64 ") = %s, want MTRR_OK\n",
			    file, line, msr, v, mtrr_status_str(st));
		_fail(file, line);
	}
}

static inline void
br_init(struct mtrr_state *s, unsigned vcnt, unsigned phys_bits, bool fixed, bool wc,
	enum mtrr_overlap overlap)
{
	struct mtrr_caps c = caps_of(vcnt, fixed, wc, false, phys_bits, MTRR_VENDOR_INTEL);

	c.overlap = overlap;
	assert_int_equal(mtrr_state_init(s, &c), MTRR_OK);
}

static inline unsigned
br_popcount(uint64_t v)
{
	unsigned n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* A valid type for these caps; `palette` (a bitmap of types, 0: all) narrows it. */
static inline uint8_t
br_type(uint64_t *x, const struct mtrr_caps *c, unsigned palette)
{
	static const uint8_t types[] = { MTRR_TYPE_UC, MTRR_TYPE_WT, MTRR_TYPE_WP,
					 MTRR_TYPE_WB, MTRR_TYPE_WC };
	uint8_t ok[5];
	unsigned n = 0, i;

	for (i = 0; i < (c->wc ? 5u : 4u); i++)
		if (palette == 0 || (palette & (1u << types[i])))
			ok[n++] = types[i];
	if (n == 0)
		return MTRR_TYPE_UC;
	return ok[br_below(x, n)];
}

/* Random fixed-range MSRs: one type, a few, or every byte its own. */
static inline void
br_fixed_random(uint64_t *x, struct mtrr_state *s)
{
	uint8_t common = br_type(x, &s->caps, 0);
	unsigned style = (unsigned)br_below(x, 3), i, b;

	for (i = 0; i < MTRR_FIXED_MSRS; i++) {
		uint64_t v = 0;
		for (b = 0; b < 8; b++) {
			uint8_t t = style == 0 ? common :
				    style == 1 && b < 5 ? common : br_type(x, &s->caps, 0);
			v |= (uint64_t)t << (8 * b);
		}
		BR_WR(s, br_fixed_msr[i], v);
	}
}

/* Mask shapes, all bits MAXPHYADDR-1:12 of `phys`. */
enum br_shape {
	BR_CONTIG,      /* a contiguous mask: one aligned block */
	BR_HOLES,       /* contiguous above its block but for 1..`holes` bits */
	BR_ALTERNATE,   /* a bit pattern (0x5.., 0xA.., 0x3.., 0x0F..) in a window */
	BR_LOW_BITS,    /* tests only bits 12..20 */
	BR_RANDOM,      /* any subset of the address bits */
	BR_WHOLE,       /* mask 0: the whole space */
	BR_SHAPES
};

static inline uint64_t
br_mask(uint64_t *x, unsigned pb, enum br_shape shape, unsigned holes)
{
	static const uint64_t patterns[] = { 0x5555555555555555ull, 0xAAAAAAAAAAAAAAAAull,
					     0x3333333333333333ull, 0xCCCCCCCCCCCCCCCCull,
					     0x0F0F0F0F0F0F0F0Full, 0x00FF00FF00FF00FFull };
	uint64_t phys = MTRR_PHYS_ADDR_MASK(pb), mask;
	unsigned low, high, k;

	switch (shape) {
	case BR_CONTIG:
		low = 12 + (unsigned)br_below(x, pb - 11);
		return low >= pb ? 0 : phys & ~((1ull << low) - 1);
	case BR_HOLES:
		low = 12 + (unsigned)br_below(x, pb - 13);
		mask = phys & ~((1ull << low) - 1);
		for (k = 0; k < holes; k++)
			mask &= ~(1ull << (low + 1 + br_below(x, pb - low - 1)));
		return mask;
	case BR_ALTERNATE:
		low = 12 + (unsigned)br_below(x, 8);
		high = low + 4 + (unsigned)br_below(x, pb - low - 3);
		if (high > pb)
			high = pb;
		mask = patterns[br_below(x, 6)] & phys & ~((1ull << low) - 1);
		return mask & ((1ull << high) - 1);
	case BR_LOW_BITS:
		return br_next(x) & 0x1FF000ull;
	case BR_RANDOM:
		return br_next(x) & br_next(x) & phys;
	case BR_WHOLE:
	default:
		return 0;
	}
}

/* How br_random_state shapes its pairs. */
struct br_style {
	unsigned phys_bits;
	unsigned vcnt;          /* pairs written (caps.vcnt may be larger) */
	unsigned holes_pct;     /* share of BR_HOLES masks, else mostly contiguous */
	unsigned max_holes;     /* holes per BR_HOLES mask, 1..max_holes */
	bool adversarial;       /* every shape, complementary and nested pairs */
	unsigned palette;       /* types allowed in the pairs (bitmap), 0: all */
	bool enable;            /* DEF_TYPE.E */
	bool fe;                /* DEF_TYPE.FE (fixed ranges are written when true) */
	bool wc;                /* caps.wc */
	bool fixed;             /* caps.fixed */
	enum mtrr_overlap overlap;
};

/* A random style for a state of `phys_bits`: the whole variety of legal states. */
static inline struct br_style
br_style_random(uint64_t *x, unsigned phys_bits)
{
	struct br_style st;

	memset(&st, 0, sizeof(st));
	st.phys_bits = phys_bits;
	st.vcnt = (unsigned)(br_chance(x, 50) ? br_below(x, 11) : br_below(x, MTRR_VAR_MAX + 1));
	st.holes_pct = br_chance(x, 35) ? 0 : (unsigned)br_below(x, 60);
	st.max_holes = 1 + (unsigned)br_below(x, 10);
	st.adversarial = br_chance(x, 30);
	st.palette = br_chance(x, 40) ? 0 : (1u << MTRR_TYPE_WB) | (1u << MTRR_TYPE_UC) |
		     (br_chance(x, 50) ? 1u << MTRR_TYPE_WT : 0);
	st.enable = br_chance(x, 90);
	st.fe = br_chance(x, 70);
	st.wc = br_chance(x, 70);
	st.fixed = br_chance(x, 85);
	st.overlap = br_chance(x, 50) ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
	return st;
}

/*
 * Writes pair n of `s` at random in style `st`: the previous pair (n - 1)
 * seeds the complementary (same mask, one masked bit of the base flipped)
 * and nested (a superset mask agreeing with its base) shapes.
 */
static inline void
br_pair_random(uint64_t *x, struct mtrr_state *s, unsigned n, const struct br_style *st)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(st->phys_bits), mask, base;
	unsigned pick = (unsigned)br_below(x, 100);
	uint8_t type = br_type(x, &s->caps, st->palette);

	if (st->adversarial && n > 0 && (s->var[n - 1].mask & MTRR_PHYSMASK_V) && pick < 35) {
		uint64_t pm = s->var[n - 1].mask & phys, pbase = s->var[n - 1].base & phys;
		if (pick < 20 && pm != 0) {
			/* complementary: flip one bit the mask tests */
			uint64_t bits = pm, bit;
			unsigned skip = (unsigned)br_below(x, br_popcount(pm));
			while (skip--)
				bits &= bits - 1;
			bit = bits & -bits;
			mask = pm;
			base = (pbase & pm) ^ bit;
			if (br_chance(x, 70))
				type = (uint8_t)(s->var[n - 1].base & 0xFF);
		} else {
			/* nested: more tested bits, the same values on the old ones */
			mask = pm | (br_next(x) & br_next(x) & phys);
			base = (pbase & pm) | (br_next(x) & mask & ~pm);
		}
	} else {
		enum br_shape shape;
		if (br_below(x, 100) < st->holes_pct)
			shape = BR_HOLES;
		else if (st->adversarial)
			shape = (enum br_shape)br_below(x, BR_SHAPES);
		else
			shape = br_chance(x, 95) ? BR_CONTIG : BR_WHOLE;
		mask = br_mask(x, st->phys_bits, shape, 1 + (unsigned)br_below(x, st->max_holes));
		base = br_next(x) & phys;
		if (br_chance(x, 50))
			base &= mask;           /* else bits below alignment too */
	}
	BR_WR(s, MTRR_MSR_PHYSBASE(n), base | type);
	BR_WR(s, MTRR_MSR_PHYSMASK(n), mask | (br_chance(x, 92) ? MTRR_PHYSMASK_V : 0));
}

/* A random legal state in style `st`, built through mtrr_wrmsr only. */
static inline void
br_random_state(uint64_t *x, struct mtrr_state *s, const struct br_style *st)
{
	unsigned vcnt = st->vcnt, n;

	br_init(s, vcnt + (unsigned)br_below(x, MTRR_VAR_MAX + 1 - vcnt), st->phys_bits,
		st->fixed, st->wc, st->overlap);
	if (st->fe && st->fixed)
		br_fixed_random(x, s);
	for (n = 0; n < vcnt; n++)
		br_pair_random(x, s, n, st);
	BR_WR(s, MTRR_MSR_DEF_TYPE, br_type(x, &s->caps, br_chance(x, 50) ? st->palette : 0) |
	      (st->enable ? MTRR_DEF_E : 0) | (st->fe ? MTRR_DEF_FE : 0));
}

/*
 * One random accepted WRMSR on `s`, as a guest would do it: a pair's base,
 * mask (V toggled, or a new shape), a fixed-range byte, or DEF_TYPE (E, FE,
 * default type).  Exactly one mtrr_wrmsr; returns the MSR written.
 */
static inline uint32_t
br_one_write(uint64_t *x, struct mtrr_state *s, const struct br_style *st)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits), v;
	unsigned k = s->caps.vcnt ? (unsigned)br_below(x, s->caps.vcnt) : 0;
	uint32_t msr;

	switch (s->caps.vcnt ? br_below(x, 5) : 3 + br_below(x, 2)) {
	case 0:         /* toggle V */
		msr = MTRR_MSR_PHYSMASK(k);
		v = s->var[k].mask ^ MTRR_PHYSMASK_V;
		break;
	case 1:         /* a new mask of any shape */
		msr = MTRR_MSR_PHYSMASK(k);
		v = br_mask(x, s->caps.phys_bits, (enum br_shape)br_below(x, BR_SHAPES),
			    1 + (unsigned)br_below(x, 8)) | MTRR_PHYSMASK_V;
		break;
	case 2:         /* a new base */
		msr = MTRR_MSR_PHYSBASE(k);
		v = (br_chance(x, 50) ? br_next(x) & phys : s->var[k].base & ~0xFFull) |
		    br_type(x, &s->caps, st->palette);
		break;
	case 3:         /* one fixed-range byte */
		if (s->caps.fixed) {
			unsigned byte = (unsigned)br_below(x, 8);
			k = (unsigned)br_below(x, MTRR_FIXED_MSRS);
			msr = br_fixed_msr[k];
			v = s->fixed[k] & ~(0xFFull << (8 * byte));
			v |= (uint64_t)br_type(x, &s->caps, 0) << (8 * byte);
			break;
		}
		/* fall through */
	default:        /* DEF_TYPE */
		msr = MTRR_MSR_DEF_TYPE;
		v = s->def_type;
		if (br_chance(x, 50))
			v = (v & ~0xFFull) | br_type(x, &s->caps, 0);
		if (br_chance(x, 30))
			v ^= MTRR_DEF_FE;
		if (br_chance(x, 20))
			v ^= MTRR_DEF_E;
		break;
	}
	BR_WR(s, msr, v);
	return msr;
}

/* ------------------------------------------------------------------------ */
/* Brute-force page tables                                                  */
/* ------------------------------------------------------------------------ */

/* The SDM's "MTRR Precedences" on a set of matching types (bitmap of 1 << type). */
static inline uint8_t
br_resolve(unsigned set, uint8_t def, enum mtrr_overlap overlap)
{
	unsigned types = 0, t;

	for (t = 0; t < 8; t++)
		types += (set >> t) & 1u;
	if (types == 0)
		return def;                             /* no match: the default */
	if (set & (1u << MTRR_TYPE_UC))
		return MTRR_TYPE_UC;                    /* UC wins */
	if (types == 1)
		for (t = 0; t < 8; t++)
			if (set == 1u << t)
				return (uint8_t)t;      /* one type */
	if (set == ((1u << MTRR_TYPE_WT) | (1u << MTRR_TYPE_WB)))
		return MTRR_TYPE_WT;                    /* WT over WB */
	return overlap == MTRR_OVERLAP_WB ? MTRR_TYPE_WB : MTRR_TYPE_UC; /* undefined */
}

/*
 * Turns a var_only table of `s` (below) into the full one: with E, FE and
 * the fixed MSRs, the first 256 pages take their fixed-range byte.
 */
static inline void
br_table_fixed(const struct mtrr_state *s, uint8_t *t)
{
	unsigned p;

	if (!(s->def_type & MTRR_DEF_E) || !s->caps.fixed || !(s->def_type & MTRR_DEF_FE))
		return;
	for (p = 0; p < 256; p++)       /* 64 KiB, 16 KiB, then 4 KiB bytes */
		t[p] = (uint8_t)(s->fixed[p < 128 ? 0 : p < 160 ? 1 : p < 192 ? 2 :
					  3 + (p - 192) / 8] >>
				 (8 * (p < 128 ? p / 16 : p < 192 ? (p / 4) % 8 : p % 8)));
}

/*
 * The type of every 4 KiB page of [0, pages << 12) in state `s`
 * (phys_bits <= BR_MAX_BITS), MTRR_TYPE_INVALID beyond its limit.  With
 * `var_only` the fixed ranges are ignored (what the map's block engine
 * answers: the variable ranges and the default alone).
 */
static inline void
br_table(const struct mtrr_state *s, uint8_t *t, unsigned pages, bool var_only)
{
	static uint8_t set[BR_MAX_PAGES];
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	unsigned own = 1u << (s->caps.phys_bits - 12), p, n;
	uint8_t def = (uint8_t)(s->def_type & MTRR_DEF_TYPE_MASK), combine[128];

	assert_true(s->caps.phys_bits <= BR_MAX_BITS && pages <= BR_MAX_PAGES);
	if (!(s->def_type & MTRR_DEF_E)) {
		memset(t, MTRR_TYPE_UC, own < pages ? own : pages);
	} else {
		memset(set, 0, own);
		for (n = 0; n < s->caps.vcnt; n++) {
			uint32_t pm, pbase, free, y = 0;
			if (!(s->var[n].mask & MTRR_PHYSMASK_V))
				continue;
			pm = (uint32_t)((s->var[n].mask & phys) >> 12);
			pbase = (uint32_t)((s->var[n].base & phys) >> 12) & pm;
			free = (own - 1u) & ~pm;
			do {    /* every page the pair matches: base | a subset of free */
				set[pbase | y] = (uint8_t)(set[pbase | y] |
					(1u << (s->var[n].base & 0xFFu)));
				y = (y - free) & free;
			} while (y != 0);
		}
		for (p = 0; p < 128; p++)
			combine[p] = br_resolve(p, def, s->caps.overlap);
		for (p = 0; p < own && p < pages; p++)
			t[p] = combine[set[p]];
		if (!var_only)
			br_table_fixed(s, t);
	}
	for (p = own; p < pages; p++)
		t[p] = MTRR_TYPE_INVALID;
}

/*
 * nc[p]: the first page q > p with v[q] != v[p], or `pages`.  Then [p, q)
 * is uniform iff q <= nc[p]: every range question is O(1).
 */
static inline void
br_next_change(const uint8_t *v, uint32_t *nc, unsigned pages)
{
	unsigned p;

	nc[pages - 1] = pages;
	for (p = pages - 1; p-- > 0;)
		nc[p] = v[p] != v[p + 1] ? p + 1 : nc[p + 1];
}

/* v[p] of [first, end) pages if uniform, else MIXED. */
static inline uint8_t
br_uniform(const uint8_t *v, const uint32_t *nc, uint64_t first, uint64_t end)
{
	return nc[first] >= end ? v[first] : MTRR_TYPE_MIXED;
}

/*
 * The table against mtrr_ref_lookup: every page of a random window of
 * `window` pages (all of them when window >= pages), every fixed page, both
 * edges of one block of each valid pair, and `samples` random pages.  The
 * reference is consulted on `ref` (the same state, or its copy with FE
 * clear for a var_only table).
 */
static inline void
br_table_check(uint64_t *x, const struct mtrr_state *ref, const uint8_t *t, unsigned pages,
	       unsigned window, unsigned samples)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(ref->caps.phys_bits), limit = 1ull << ref->caps.phys_bits;
	uint64_t p, first;
	unsigned i, n, k;

#define BR_CHECK_PAGE(pg) do { \
	uint64_t pg_ = (pg); \
	uint8_t want_ = mtrr_ref_lookup(ref, pg_ << 12); \
	if (pg_ < pages && t[pg_] != want_) { \
		print_error("brute table: page %#" PRIx64 " is %s, mtrr_ref_lookup says %s\n", \
			    pg_ << 12, mtrr_type_str(t[pg_]), mtrr_type_str(want_)); \
		br_dump(ref); \
		fail(); \
	} \
} while (0)
	if (window > pages)
		window = pages;
	first = br_below(x, pages - window + 1u);
	for (p = first; p < first + window; p++)
		BR_CHECK_PAGE(p);
	for (p = 0; p < 257; p++)
		BR_CHECK_PAGE(p);
	for (n = 0; n < ref->caps.vcnt; n++) {
		uint64_t mask = ref->var[n].mask & phys, size = mask ? mask & -mask : limit, b;
		if (!(ref->var[n].mask & MTRR_PHYSMASK_V))
			continue;
		b = (ref->var[n].base & mask) | (br_next(x) & phys & ~mask & ~(size - 1));
		for (k = 0; k < 2; k++) {
			BR_CHECK_PAGE((b >> 12) - k);
			BR_CHECK_PAGE(((b + size) >> 12) - k);
		}
	}
	for (i = 0; i < samples; i++)
		BR_CHECK_PAGE(br_below(x, pages));
#undef BR_CHECK_PAGE
}

#endif
