/*
 * test_route.c — mtrr_route and mtrr_route_next (libmtrr/route.c): where a
 * read or a write goes on AMD, DRAM or MMIO.
 *
 * The tables come from the APM Vol. 2 text, one mechanism at a time:
 *   "Top of Memory": [0, TOP_MEM) is DRAM and [TOP_MEM, 4 GiB) MMIO with
 *     SYSCFG.MtrrVarDramEn; [4 GiB, TOP_MEM2) DRAM and [TOP_MEM2, the top)
 *     MMIO with MtrrTom2En;
 *   "IORRs": a valid pair (V) that matches sends reads by RdMem and writes
 *     by WrMem, with MtrrVarDramEn;
 *   "Extended Fixed-Range MTRR Type-Field Encodings": below 1 MiB the fixed
 *     byte's RdMem/WrMem decide, with MtrrFixDramEn;
 * and from the ranking of AMD's BKDGs ("Determining The Access Destination
 * for Core Accesses"): fixed ranges over IORRs over TOP_MEM/TOP_MEM2, MMIO
 * when none applies.  Then the walk: mtrr_route_next's runs against
 * mtrr_route page by page, on states drawn at random.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mtrr.h"
#include "test_util.h"

#define KIB 0x400ull
#define MIB 0x100000ull
#define GIB 0x40000000ull

#define FIXDRAM (1ull << 18)    /* SYSCFG.MtrrFixDramEn */
#define MODEN   (1ull << 19)    /* SYSCFG.MtrrFixDramModEn */
#define VARDRAM (1ull << 20)    /* SYSCFG.MtrrVarDramEn */
#define TOM2EN  (1ull << 21)    /* SYSCFG.MtrrTom2En */
#define TOM2WB  (1ull << 22)    /* SYSCFG.Tom2ForceMemTypeWB */
#define RD      (1ull << 4)     /* RdMem, in IORRBase and in a fixed byte */
#define WR      (1ull << 3)     /* WrMem */
#define V       (1ull << 11)    /* IORRMask.V */

enum { M = MTRR_DEST_MMIO, D = MTRR_DEST_DRAM, X = MTRR_DEST_INVALID };

static const uint32_t fixed_msrs[MTRR_FIXED_MSRS] = {
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F,
};

static void
wr(struct mtrr_state *s, uint32_t msr, uint64_t v)
{
	assert_int_equal(mtrr_wrmsr(s, msr, v), MTRR_OK);
}

/* The valid IORRMask of an aligned block of `size` bytes at MAXPHYADDR 40. */
#define BLOCK(size) (((((1ull << 40) - 1) & ~((size) - 1))) | V)

/*
 * An AMD processor, MAXPHYADDR 40, fixed ranges; the fixed MSRs written
 * with MtrrFixDramModEn (as firmware does), then SYSCFG as given.
 * fixed_rdwr: the RdMem/WrMem bits of every fixed byte (0x00..0x18).
 */
struct setup {
	uint64_t syscfg, top_mem, top_mem2;
	uint64_t iorr_base[2], iorr_mask[2];
	uint8_t below_a0000, a0000, c0000, c8000, rest;  /* RdMem/WrMem per region */
};

static void
build(struct mtrr_state *s, const struct setup *u)
{
	struct mtrr_caps c = caps_of(4, true, true, false, 40, MTRR_VENDOR_AMD);
	unsigned i, b;

	assert_int_equal(mtrr_state_init(s, &c), MTRR_OK);
	wr(s, MTRR_MSR_SYSCFG, MODEN);
	for (i = 0; i < MTRR_FIXED_MSRS; i++) {
		uint64_t v = 0;

		for (b = 0; b < 8; b++) {
			uint8_t bits = i < 2 ? u->below_a0000 : i == 2 ? u->a0000 :
				       i == 3 ? u->c0000 : i == 4 ? u->c8000 : u->rest;

			v |= (uint64_t)(bits | MTRR_TYPE_WB) << (8 * b);
		}
		wr(s, fixed_msrs[i], v);
	}
	for (i = 0; i < 2; i++) {
		wr(s, MTRR_MSR_IORR_BASE(i), u->iorr_base[i]);
		wr(s, MTRR_MSR_IORR_MASK(i), u->iorr_mask[i]);
	}
	wr(s, MTRR_MSR_TOP_MEM, u->top_mem);
	wr(s, MTRR_MSR_TOP_MEM2, u->top_mem2);
	wr(s, MTRR_MSR_SYSCFG, u->syscfg);
	/* The memory types play no part in routing: enable them, all WB. */
	wr(s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_UC);
}

struct probe {
	uint64_t addr;
	int rd, wr;             /* M, D or X */
};

struct rcase {
	const char *what;
	struct setup u;
	struct probe p[12];
};

#define END { 0, -1, -1 }

/* The APM's mechanisms, each alone and ranked. */
static const struct rcase cases[] = {
	{ "every enable clear: everything is MMIO (TOP_MEM, IORRs, fixed set)",
	  { 0, 3 * GIB, 16 * GIB, { 0, 0 }, { 0, 0 },
	    0x18, 0x18, 0x18, 0x18, 0x18 },
	  { { 0, M, M }, { 0xA0000, M, M }, { MIB, M, M }, { 2 * GIB, M, M },
	    { 5 * GIB, M, M }, { (1ull << 40) - 1, M, M }, END } },
	{ "MtrrVarDramEn: [0, TOP_MEM) DRAM, [TOP_MEM, 4 GiB) MMIO; no TOM2: MMIO above",
	  { VARDRAM, 3 * GIB, 16 * GIB, { 0, 0 }, { 0, 0 }, 0, 0, 0, 0, 0 },
	  { { 0, D, D }, { 0xA0000, D, D }, { 3 * GIB - 1, D, D }, { 3 * GIB, M, M },
	    { 4 * GIB - 1, M, M }, { 4 * GIB, M, M }, { 8 * GIB, M, M }, END } },
	{ "MtrrVarDramEn, MtrrTom2En: [4 GiB, TOP_MEM2) DRAM, TOP_MEM2 and up MMIO",
	  { VARDRAM | TOM2EN, 0xE0000000ull, 0x440000000ull, { 0, 0 }, { 0, 0 },
	    0, 0, 0, 0, 0 },
	  { { 0xDFFFFFFFull, D, D }, { 0xE0000000ull, M, M }, { 4 * GIB - 1, M, M },
	    { 4 * GIB, D, D }, { 0x43FFFFFFFull, D, D }, { 0x440000000ull, M, M },
	    { (1ull << 40) - 1, M, M }, END } },
	{ "MtrrTom2En alone: TOP_MEM off (MMIO below 4 GiB), TOP_MEM2 on",
	  { TOM2EN | TOM2WB, 3 * GIB, 8 * GIB, { 0, 0 }, { 0, 0 }, 0, 0, 0, 0, 0 },
	  { { 0, M, M }, { GIB, M, M }, { 4 * GIB, D, D }, { 8 * GIB - 1, D, D },
	    { 8 * GIB, M, M }, END } },
	{ "TOP_MEM2 at or below 4 GiB: nothing above 4 GiB is DRAM",
	  { VARDRAM | TOM2EN, 2 * GIB, 3 * GIB, { 0, 0 }, { 0, 0 }, 0, 0, 0, 0, 0 },
	  { { 2 * GIB - 1, D, D }, { 3 * GIB - 1, M, M }, { 4 * GIB, M, M }, END } },
	{ "MtrrFixDramEn: the fixed bytes' RdMem/WrMem below 1 MiB, over TOP_MEM",
	  { FIXDRAM | VARDRAM, 2 * GIB, 0, { 0, 0 }, { 0, 0 }, RD | WR, 0, RD, WR, RD | WR },
	  { { 0, D, D }, { 0x9FFFF, D, D }, { 0xA0000, M, M }, { 0xBFFFF, M, M },
	    { 0xC0000, D, M }, { 0xC7FFF, D, M }, { 0xC8000, M, D }, { 0xD0000, D, D },
	    { 0xFFFFF, D, D }, { MIB, D, D }, END } },
	{ "MtrrFixDramEn without MtrrVarDramEn: above 1 MiB everything is MMIO",
	  { FIXDRAM, 2 * GIB, 0, { 0, 0 }, { 0, 0 }, RD | WR, 0, RD, WR, RD | WR },
	  { { 0, D, D }, { 0xA0000, M, M }, { 0xC0000, D, M }, { MIB, M, M }, END } },
	{ "MtrrFixDramEn clear: the fixed bytes route nothing, TOP_MEM decides",
	  { VARDRAM, 2 * GIB, 0, { 0, 0 }, { 0, 0 }, 0, 0, RD, WR, 0 },
	  { { 0, D, D }, { 0xA0000, D, D }, { 0xC0000, D, D }, { 0xC8000, D, D }, END } },
	{ "IORRs: a matching valid pair, over TOP_MEM both ways",
	  { VARDRAM, 2 * GIB, 0, { 0xA0000000ull | WR, 0x10000000ull },
	    { BLOCK(256 * MIB), BLOCK(16 * MIB) }, 0, 0, 0, 0, 0 },
	  { { 0x9FFFFFFFull, M, M }, { 0xA0000000ull, M, D }, { 0xAFFFFFFFull, M, D },
	    { 0xB0000000ull, M, M }, { 0x0FFFFFFFull, D, D }, { 0x10000000ull, M, M },
	    { 0x10FFFFFFull, M, M }, { 0x11000000ull, D, D }, END } },
	{ "IORRs: V clear, or MtrrVarDramEn clear, and the pair does nothing",
	  { VARDRAM, 2 * GIB, 0, { 0xA0000000ull | RD | WR, 0x10000000ull },
	    { BLOCK(256 * MIB) & ~V, BLOCK(16 * MIB) & ~V }, 0, 0, 0, 0, 0 },
	  { { 0xA0000000ull, M, M }, { 0x10000000ull, D, D }, END } },
	{ "IORRs need MtrrVarDramEn; TOP_MEM2 does not",
	  { TOM2EN, 2 * GIB, 16 * GIB, { 0xA0000000ull | RD | WR, 8 * GIB },
	    { BLOCK(256 * MIB), BLOCK(GIB) }, 0, 0, 0, 0, 0 },
	  { { 0xA0000000ull, M, M }, { 8 * GIB, D, D }, { 9 * GIB, D, D }, END } },
	{ "IORRs over TOP_MEM2: an MMIO hole in [4 GiB, TOP_MEM2)",
	  { VARDRAM | TOM2EN, 2 * GIB, 16 * GIB, { 0, 8 * GIB },
	    { 0, BLOCK(GIB) }, 0, 0, 0, 0, 0 },
	  { { 8 * GIB - 1, D, D }, { 8 * GIB, M, M }, { 9 * GIB - 1, M, M },
	    { 9 * GIB, D, D }, END } },
	{ "IORRs overlapping: agreeing pairs decide, disagreeing ones give MMIO",
	  { VARDRAM, 1 * GIB, 0, { 0xC0000000ull | RD, 0xC0000000ull | RD | WR },
	    { BLOCK(256 * MIB), BLOCK(64 * MIB) }, 0, 0, 0, 0, 0 },
	  { { 0xC0000000ull, D, M }, { 0xC3FFFFFFull, D, M }, { 0xC4000000ull, D, M },
	    { 0xD0000000ull, M, M }, END } },
	{ "fixed ranges over IORRs below 1 MiB; IORRs over TOP_MEM above it",
	  { FIXDRAM | VARDRAM, 2 * GIB, 0, { 0, 0 }, { BLOCK(2 * MIB), 0 },
	    RD | WR, 0, RD | WR, RD | WR, RD | WR },
	  { { 0, D, D }, { 0xA0000, M, M }, { 0xFFFFF, D, D }, { MIB, M, M },
	    { 2 * MIB - 1, M, M }, { 2 * MIB, D, D }, END } },
};

static void
run_case(const struct rcase *k, const struct mtrr_state *s)
{
	const struct probe *p;

	for (p = k->p; p->rd >= 0; p++) {
		int rd = (int)mtrr_route(s, p->addr, false), w = (int)mtrr_route(s, p->addr, true);

		if (rd != p->rd || w != p->wr) {
			print_error("%s: %#llx: read %d write %d, want %d %d\n", k->what,
				    (unsigned long long)p->addr, rd, w, p->rd, p->wr);
			fail();
		}
	}
}

static void
apm_cases(void **state)
{
	struct mtrr_state s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		build(&s, &cases[i].u);
		run_case(&cases[i], &s);
	}
}

/*
 * Routing does not read the memory types: DEF_TYPE.E and FE, the variable
 * pairs, the PAT and Tom2ForceMemTypeWB change nothing; the fixed byte's
 * type bits neither.
 */
static void
types_do_not_route(void **state)
{
	static const uint64_t addrs[] = {
		0, 0xA0000, 0xC0000, 0xC8000, MIB, 0x10000000ull, 0xA0000000ull, 3 * GIB,
		5 * GIB, 8 * GIB, (1ull << 40) - 1,
	};
	struct mtrr_state s, t;
	size_t i, k, a;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		build(&s, &cases[i].u);
		memcpy(&t, &s, sizeof(t));
		wr(&t, MTRR_MSR_DEF_TYPE, MTRR_TYPE_WB);       /* E and FE clear */
		wr(&t, MTRR_MSR_PHYSBASE(0), MTRR_TYPE_WC);
		wr(&t, MTRR_MSR_PHYSMASK(0), MTRR_PHYSMASK_V); /* all of it WC */
		wr(&t, MTRR_MSR_SYSCFG, t.syscfg ^ TOM2WB);
		for (k = 0; k < MTRR_FIXED_MSRS; k++) /* types 0, RdMem/WrMem kept */
			t.fixed[k] &= MTRR_FIXED_RDWR_BITS;
		assert_int_equal(mtrr_state_check(&t, NULL), MTRR_OK);
		for (a = 0; a < sizeof(addrs) / sizeof(addrs[0]); a++) {
			assert_int_equal(mtrr_route(&t, addrs[a], false),
					 mtrr_route(&s, addrs[a], false));
			assert_int_equal(mtrr_route(&t, addrs[a], true),
					 mtrr_route(&s, addrs[a], true));
		}
	}
}

/*
 * The hidden value routes: RdMem/WrMem written with MtrrFixDramModEn keep
 * routing after it is cleared, while RDMSR shows them as zero; a write
 * without MtrrFixDramModEn does not change them.
 */
static void
hidden_bits_route(void **state)
{
	struct mtrr_caps c = caps_of(0, true, true, false, 36, MTRR_VENDOR_AMD);
	struct mtrr_state s;
	uint64_t v;

	(void)state;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	wr(&s, MTRR_MSR_SYSCFG, MODEN);
	wr(&s, 0x250, 0x1E1E1E1E1E1E1E1Eull);
	wr(&s, MTRR_MSR_SYSCFG, FIXDRAM);
	assert_int_equal(mtrr_rdmsr(&s, 0x250, &v), MTRR_OK);
	assert_int_equal(v, 0x0606060606060606ull);
	assert_int_equal(mtrr_route(&s, 0x10000, false), D);
	assert_int_equal(mtrr_route(&s, 0x10000, true), D);
	wr(&s, 0x250, 0x0000000000000000ull);          /* RdMem/WrMem stay */
	assert_int_equal(mtrr_route(&s, 0x10000, true), D);
	wr(&s, MTRR_MSR_SYSCFG, FIXDRAM | MODEN);
	wr(&s, 0x250, 0x0000000000100000ull);          /* now they change */
	assert_int_equal(mtrr_route(&s, 0x10000, false), M);
	assert_int_equal(mtrr_route(&s, 0x20000, false), D);
	assert_int_equal(mtrr_route(&s, 0x20000, true), M);
	/* caps.fixed false: no fixed ranges to route with. */
	c.fixed = false;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	wr(&s, MTRR_MSR_SYSCFG, FIXDRAM | VARDRAM);
	wr(&s, MTRR_MSR_TOP_MEM, 8 * MIB);
	assert_int_equal(mtrr_route(&s, 0xA0000, true), D);
}

/* No answer: bad arguments, Intel caps, a corrupt image the call reads. */
static void
invalid(void **state)
{
	struct setup u = { FIXDRAM | VARDRAM | TOM2EN, 2 * GIB, 8 * GIB,
			   { 0xA0000000ull | RD, 0 }, { BLOCK(256 * MIB), 0 },
			   RD | WR, 0, RD, WR, RD | WR };
	struct mtrr_caps c = caps_of(8, true, true, true, 40, MTRR_VENDOR_INTEL);
	struct mtrr_state s, bad;
	uint64_t next = 1;

	(void)state;
	assert_int_equal(mtrr_route(NULL, 0, false), X);
	assert_int_equal(mtrr_route_next(NULL, 0, false, &next), X);
	assert_int_equal(next, 0);
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	assert_int_equal(mtrr_route(&s, 0, false), X);   /* Intel: the chipset routes */
	assert_int_equal(mtrr_route_next(&s, 0, true, &next), X);
	assert_int_equal(next, 1ull << 40);
	s.caps.phys_bits = 60;                          /* never initialised */
	assert_int_equal(mtrr_route(&s, 0, false), X);
	next = 1;
	assert_int_equal(mtrr_route_next(&s, 0, false, &next), X);
	assert_int_equal(next, 0);

	build(&s, &u);
	assert_int_equal(mtrr_route(&s, (1ull << 40) - 1, false), M);
	assert_int_equal(mtrr_route(&s, 1ull << 40, false), X);
	assert_int_equal(mtrr_route(&s, ~0ull, true), X);
	assert_int_equal(mtrr_route_next(&s, 1ull << 40, true, &next), X);
	assert_int_equal(next, 1ull << 40);
	/* Corrupt images: TOP_MEM, TOP_MEM2, an IORR: refused everywhere. */
	memcpy(&bad, &s, sizeof(bad));
	bad.top_mem |= 1;
	assert_int_equal(mtrr_route(&bad, 8 * GIB, false), X);
	memcpy(&bad, &s, sizeof(bad));
	bad.top_mem2 |= 1ull << 40;
	assert_int_equal(mtrr_route(&bad, 0, false), X);
	memcpy(&bad, &s, sizeof(bad));
	bad.iorr[1].base |= 1;                          /* even an invalid pair */
	assert_int_equal(mtrr_route(&bad, 5 * GIB, true), X);
	memcpy(&bad, &s, sizeof(bad));
	bad.iorr[0].mask |= 1ull << 40;
	assert_int_equal(mtrr_route(&bad, 5 * GIB, true), X);
	/* A corrupt fixed byte: refused where it routes, nowhere else. */
	memcpy(&bad, &s, sizeof(bad));
	bad.fixed[3] |= 0x20;                           /* byte 0 of FIX4K_C0000 */
	assert_int_equal(mtrr_route(&bad, 0xC0000, false), X);
	assert_int_equal(mtrr_route(&bad, 0xC1000, false), D);
	assert_int_equal(mtrr_route_next(&bad, 0xC1000, false, &next), D);
	assert_int_equal(next, 0xC8000);
	assert_int_equal(mtrr_route_next(&bad, 0xBF000, true, &next), M);
	assert_int_equal(next, 0xC0000);                /* INVALID from there */
	bad.syscfg &= ~FIXDRAM;
	assert_int_equal(mtrr_route(&bad, 0xC0000, false), D);
	bad.fixed[3] = 7;                               /* not a type at all */
	bad.syscfg |= FIXDRAM;
	assert_int_equal(mtrr_route(&bad, 0xC0000, false), X);
	/* The state is not changed by any of it. */
	memcpy(&bad, &s, sizeof(bad));
	(void)mtrr_route_next(&s, 0, false, &next);
	assert_memory_equal(&bad, &s, sizeof(s));
}

/* ---- mtrr_route_next -------------------------------------------------- */

struct run {
	uint64_t end;
	int dest;
};

/* The walk of `s` for one access kind gives exactly `want`. */
static void
walk_is(const struct mtrr_state *s, bool write, const struct run *want, size_t n)
{
	uint64_t a = 0, next, limit = 1ull << s->caps.phys_bits;
	size_t i = 0;
	int d;

	for (; a < limit; a = next, i++) {
		d = (int)mtrr_route_next(s, a, write, &next);
		assert_true(i < n);
		if (next != want[i].end || d != want[i].dest) {
			print_error("run %zu from %#llx: to %#llx %d, want %#llx %d\n", i,
				    (unsigned long long)a, (unsigned long long)next, d,
				    (unsigned long long)want[i].end, want[i].dest);
			fail();
		}
	}
	assert_int_equal(i, n);
}

static void
walks(void **state)
{
	/* "fixed ranges over IORRs below 1 MiB; IORRs over TOP_MEM above it" */
	static const struct run fixed_iorr[] = {
		{ 0xA0000, D }, { 0xC0000, M }, { MIB, D }, { 2 * MIB, M }, { 2 * GIB, D },
		{ 1ull << 40, M },
	};
	/* "MtrrFixDramEn: ..." for reads, then for writes */
	static const struct run fixed_rd[] = {
		{ 0xA0000, D }, { 0xC0000, M }, { 0xC8000, D }, { 0xD0000, M },
		{ 2 * GIB, D }, { 1ull << 40, M },
	};
	static const struct run fixed_wr[] = {
		{ 0xA0000, D }, { 0xC8000, M }, { 2 * GIB, D }, { 1ull << 40, M },
	};
	/* "IORRs over TOP_MEM2" */
	static const struct run hole[] = {
		{ 2 * GIB, D }, { 4 * GIB, M }, { 8 * GIB, D }, { 9 * GIB, M },
		{ 16 * GIB, D }, { 1ull << 40, M },
	};
	static const struct run all_mmio[] = { { 1ull << 40, M } };
	struct mtrr_state s;
	uint64_t next;

	(void)state;
	build(&s, &cases[13].u);
	walk_is(&s, false, fixed_iorr, sizeof(fixed_iorr) / sizeof(fixed_iorr[0]));
	walk_is(&s, true, fixed_iorr, sizeof(fixed_iorr) / sizeof(fixed_iorr[0]));
	build(&s, &cases[5].u);
	walk_is(&s, false, fixed_rd, sizeof(fixed_rd) / sizeof(fixed_rd[0]));
	walk_is(&s, true, fixed_wr, sizeof(fixed_wr) / sizeof(fixed_wr[0]));
	build(&s, &cases[11].u);
	walk_is(&s, false, hole, sizeof(hole) / sizeof(hole[0]));
	build(&s, &cases[0].u);
	walk_is(&s, true, all_mmio, 1);
	/* From inside a run: the same end. */
	build(&s, &cases[11].u);
	assert_int_equal(mtrr_route_next(&s, 8 * GIB + 12345, false, &next), M);
	assert_int_equal(next, 9 * GIB);
	assert_int_equal(mtrr_route_next(&s, (1ull << 40) - 1, false, &next), M);
	assert_int_equal(next, 1ull << 40);
}

/*
 * A non-contiguous IORR mask: a strided set of blocks.  Every other 4 KiB
 * page of the whole space is MMIO: the walk still gives exact runs, one
 * call per run, and a state whose runs merge over many edges (the blocks
 * route the same as around them) stops at an edge after its budget.
 */
static void
strided_iorr(void **state)
{
	struct mtrr_caps c = caps_of(0, false, false, false, 36, MTRR_VENDOR_AMD);
	struct mtrr_state s;
	uint64_t a, next;
	unsigned calls = 0;

	(void)state;
	assert_int_equal(mtrr_state_init(&s, &c), MTRR_OK);
	wr(&s, MTRR_MSR_IORR_BASE(0), 0x1000);
	wr(&s, MTRR_MSR_IORR_MASK(0), 0x1000 | V);      /* odd pages */
	wr(&s, MTRR_MSR_TOP_MEM, 0xFF800000ull);
	wr(&s, MTRR_MSR_SYSCFG, VARDRAM);
	for (a = 0; a < 64 * KIB; a = next, calls++) {
		int d = (int)mtrr_route_next(&s, a, false, &next);

		assert_int_equal(next, a + 4 * KIB);
		assert_int_equal(d, (a >> 12) & 1 ? M : D);
	}
	assert_int_equal(calls, 16);
	/* Above TOP_MEM the odd pages are MMIO as well: one run, many edges. */
	assert_int_equal(mtrr_route_next(&s, 0xFF800000ull, true, &next), M);
	assert_true(next > 0xFF800000ull + 200 * 4 * KIB);
	assert_true(next < 1ull << 36);
	assert_int_equal(next & 0xFFF, 0);
	assert_int_equal(mtrr_route(&s, next, true), M);  /* a budget stop */
	/* From the last byte of a page: the next page is the edge. */
	assert_int_equal(mtrr_route_next(&s, 0xFFF, false, &next), D);
	assert_int_equal(next, 0x1000);
	assert_int_equal(mtrr_route_next(&s, 0x2FFF, true, &next), D);
	assert_int_equal(next, 0x3000);
	/* The upper half never matches IORR1: no edge of it up to the top. */
	wr(&s, MTRR_MSR_IORR_BASE(1), RD | WR);
	wr(&s, MTRR_MSR_IORR_MASK(1), (1ull << 35) | V);        /* the lower half */
	wr(&s, MTRR_MSR_IORR_MASK(0), 0);
	assert_int_equal(mtrr_route_next(&s, 1ull << 35, false, &next), M);
	assert_int_equal(next, 1ull << 36);
	assert_int_equal(mtrr_route_next(&s, (1ull << 35) - 0x1000, false, &next), D);
	assert_int_equal(next, 1ull << 35);
	wr(&s, MTRR_MSR_IORR_MASK(0), 0x1000 | V);
	/* An IORR mask of 0 with V: the pair matches everything. */
	wr(&s, MTRR_MSR_IORR_MASK(1), V);
	wr(&s, MTRR_MSR_IORR_BASE(1), RD | WR);
	assert_int_equal(mtrr_route_next(&s, 0, false, &next), D);
	assert_int_equal(next, 0x1000);
	assert_int_equal(mtrr_route_next(&s, 0x1000, false, &next), M);
	assert_int_equal(next, 0x2000);
	wr(&s, MTRR_MSR_IORR_MASK(0), 0);
	assert_int_equal(mtrr_route_next(&s, 0x1000, false, &next), D);
	assert_int_equal(next, 1ull << 36);
}

/* ---- random states against the page-by-page answer ------------------- */

static uint64_t rng;

static uint64_t
rnd(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static unsigned
rnd_below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/*
 * A random AMD state at MAXPHYADDR 32: enables, TOP_MEM and TOP_MEM2, IORRs
 * with masks contiguous or not but never testing bits below `gran` (so the
 * destination is constant on 2^gran blocks above 1 MiB), fixed bytes with
 * random RdMem/WrMem.
 */
static void
rnd_state(struct mtrr_state *s, unsigned gran)
{
	struct mtrr_caps c = caps_of(0, rnd_below(4) != 0, true, false, 32, MTRR_VENDOR_AMD);
	uint64_t phys = 0xFFFFF000ull, g = ~((1ull << gran) - 1);
	unsigned i;

	assert_int_equal(mtrr_state_init(s, &c), MTRR_OK);
	wr(s, MTRR_MSR_SYSCFG, MODEN);
	for (i = 0; i < MTRR_FIXED_MSRS && c.fixed; i++)
		wr(s, fixed_msrs[i], rnd() & MTRR_FIXED_RDWR_BITS);
	for (i = 0; i < 2; i++) {
		uint64_t mask;

		if (rnd_below(2))       /* a block of 2^k */
			mask = phys & ~((1ull << (gran + rnd_below(33 - gran))) - 1);
		else                    /* any bits */
			mask = rnd() & phys;
		wr(s, MTRR_MSR_IORR_BASE(i), (rnd() & phys & g) | (rnd() & (RD | WR)));
		wr(s, MTRR_MSR_IORR_MASK(i), (mask & g) | (rnd_below(4) ? V : 0));
	}
	wr(s, MTRR_MSR_TOP_MEM, rnd() & 0xFF800000ull);
	wr(s, MTRR_MSR_TOP_MEM2, rnd() & 0xFF800000ull);
	wr(s, MTRR_MSR_SYSCFG, rnd() & (FIXDRAM | VARDRAM | TOM2EN | TOM2WB));
}

/*
 * Every walk of every state: each run holds one destination at every block
 * (pages below 1 MiB, 2^gran blocks above), and a run's end is a change,
 * unless the call ran out of edges (then it is an edge: the walk goes on).
 */
static void
walk_matches_route(void **state)
{
	static const unsigned grans[] = { 16, 16, 20, 24 };
	struct mtrr_state s;
	unsigned it, stops = 0, runs = 0;

	(void)state;
	rng = 0x726F757465ull;
	for (it = 0; it < 48; it++) {
		unsigned gran = grans[it % 4];
		int write;

		rnd_state(&s, gran);
		for (write = 0; write < 2; write++) {
			uint64_t a = 0, next, b;

			for (; a < 1ull << 32; a = next) {
				int d = (int)mtrr_route_next(&s, a, write != 0, &next);

				assert_true(d == M || d == D);
				assert_true(next > a && next <= 1ull << 32);
				for (b = a; b < next;
				     b = b < MTRR_FIXED_END ? b + 4 * KIB : b + (1ull << gran))
					assert_int_equal((int)mtrr_route(&s, b, write != 0), d);
				assert_int_equal((int)mtrr_route(&s, next - 1, write != 0), d);
				if (next < 1ull << 32 &&
				    (int)mtrr_route(&s, next, write != 0) == d)
					stops++;
				runs++;
			}
		}
	}
	print_message("route walks: %u runs, %u budget stops\n", runs, stops);
	assert_true(runs > 1000);
}

/* Contiguous IORR masks never need the budget: every end is a change. */
static void
walk_exact_contiguous(void **state)
{
	struct mtrr_state s;
	unsigned it, i;

	(void)state;
	rng = 0x636F6E74ull;
	for (it = 0; it < 2000; it++) {
		uint64_t a, next;
		int write = (int)(it & 1), d;

		rnd_state(&s, 12);
		for (i = 0; i < 2; i++) {
			uint64_t m = s.iorr[i].mask & 0xFFFFF000ull;

			/* Make the mask contiguous: all ones above its lowest bit. */
			if (m != 0)
				s.iorr[i].mask = (0xFFFFF000ull & ~((m & (0 - m)) - 1)) |
						 (s.iorr[i].mask & V);
		}
		for (a = 0; a < 1ull << 32; a = next) {
			d = (int)mtrr_route_next(&s, a, write != 0, &next);
			if (next < 1ull << 32)
				assert_int_not_equal((int)mtrr_route(&s, next, write != 0), d);
			assert_int_equal((int)mtrr_route(&s, next - 1, write != 0), d);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(apm_cases),
		cmocka_unit_test(types_do_not_route),
		cmocka_unit_test(hidden_bits_route),
		cmocka_unit_test(invalid),
		cmocka_unit_test(walks),
		cmocka_unit_test(strided_iorr),
		cmocka_unit_test(walk_matches_route),
		cmocka_unit_test(walk_exact_contiguous),
	};

	return cmocka_run_group_tests_name("route", tests, NULL, NULL);
}
