/*
 * internal.h — helpers shared by the library's files.  Never installed; every
 * name here is hidden (no MTRR_API) and starts with mtrr__.
 */
#ifndef MTRR_INTERNAL_H
#define MTRR_INTERNAL_H

#include "mtrr.h"

/* Bits 7:0 of DEF_TYPE/PHYSBASE, and of each byte of a fixed MSR. */
#define MTRR__TYPE_BITS 0xFFull

/* Where a register lives in struct mtrr_state, decoded from its index. */
enum mtrr__kind {
	MTRR__NOT_MTRR,
	MTRR__CAP,
	MTRR__DEF_TYPE,
	MTRR__FIXED,
	MTRR__PHYSBASE,
	MTRR__PHYSMASK,
	MTRR__SMRR_BASE,
	MTRR__SMRR_MASK,
	MTRR__PAT,              /* IA32_PAT: not an MTRR, present with caps.pat */
	/* AMD only: on Intel caps these are not MTRRs (MTRR_E_NOT_MTRR) */
	MTRR__SYSCFG,
	MTRR__TOP_MEM,
	MTRR__TOP_MEM2,
	MTRR__IORR_BASE,        /* index: the pair, 0 or 1 */
	MTRR__IORR_MASK
};

struct mtrr__reg {
	enum mtrr__kind kind;
	unsigned index;         /* pair number, fixed MSR number 0..10, IORR pair */
};

/* True for the registers that exist on AMD caps only. */
static inline bool
mtrr__kind_amd(enum mtrr__kind k)
{
	return k >= MTRR__SYSCFG;
}

/* Decodes `msr`; kind MTRR__NOT_MTRR when it is no MTRR MSR at all. */
struct mtrr__reg mtrr__decode(uint32_t msr);

/* The MSR index of fixed MSR number i (0..10), in struct mtrr_state order. */
uint32_t mtrr__fixed_msr(unsigned i);

/* The AMD registers, in mtrr_msr_list order (SYSCFG, which enables, last). */
#define MTRR__AMD_REGS 7u
extern const uint32_t mtrr__amd_msrs[MTRR__AMD_REGS];

/*
 * The image of a writable register (one mtrr__decode knows, present in the
 * caps or not) as struct mtrr_state holds it: for AMD fixed MSRs with the
 * hidden RdMem/WrMem bits, which mtrr_rdmsr may mask.  mtrr__put_image
 * stores one unchecked, for callers that validated it (snapshot load).
 */
uint64_t mtrr__get_image(const struct mtrr_state *s, uint32_t msr);
void mtrr__put_image(struct mtrr_state *s, uint32_t msr, uint64_t v);

/*
 * WRMSR's checks for an IA32_PAT value (pat.c): MTRR_E_RESERVED_BIT,
 * MTRR_E_INVALID_TYPE or MTRR_OK.
 */
mtrr_status mtrr__pat_check(uint64_t value);

/* True when `c` describes a processor libmtrr can model. */
bool mtrr__caps_valid(const struct mtrr_caps *c);

/*
 * Every check mtrr_wrmsr makes, without storing anything: MTRR_OK when
 * `value` may be written to `msr` on a processor with caps `c`.
 */
mtrr_status mtrr__check_write(const struct mtrr_caps *c, uint32_t msr, uint64_t value);

/* 1 << type for a valid MTRR type: the type sets below are such bitmaps. */
#define MTRR__BIT(t) (1u << (t))

/* Portable bit counts (the builtins where the compiler has them). */
static inline unsigned
mtrr__popcount(uint64_t x)
{
#if defined(__GNUC__) && defined(__POPCNT__)
	return (unsigned)__builtin_popcountll(x);
#else
	/*
	 * Without the instruction the builtin is a call into libgcc; this is a
	 * dozen inline operations (bit counts per 2, 4, 8 bits, then summed).
	 */
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
#endif
}

/* Index of the lowest set bit; x must not be 0. */
static inline unsigned
mtrr__ctz(uint64_t x)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(x);
#else
	unsigned n = 0;
	for (; !(x & 1u); x >>= 1)
		n++;
	return n;
#endif
}

/* Index of the highest set bit; x must not be 0. */
static inline unsigned
mtrr__top_bit(uint64_t x)
{
#if defined(__GNUC__)
	return 63u - (unsigned)__builtin_clzll(x);
#else
	unsigned n = 0;
	while (x >>= 1)
		n++;
	return n;
#endif
}

/*
 * The type a set of matching variable-range types resolves to (SDM "MTRR
 * Precedences"): `set` is a bitmap of MTRR__BIT(type); `def` is the default
 * type for the empty set.
 */
static inline uint8_t
mtrr__combine(unsigned set, uint8_t def, enum mtrr_overlap overlap)
{
	if (set == 0)
		return def;
	if ((set & (set - 1)) == 0)             /* exactly one type */
		return (uint8_t)mtrr__ctz(set);
	if (set & MTRR__BIT(MTRR_TYPE_UC))
		return MTRR_TYPE_UC;
	if (set == (MTRR__BIT(MTRR_TYPE_WT) | MTRR__BIT(MTRR_TYPE_WB)))
		return MTRR_TYPE_WT;
	return overlap == MTRR_OVERLAP_WB ? MTRR_TYPE_WB : MTRR_TYPE_UC;
}

#define MTRR__4GIB (1ull << 32)

/*
 * AMD Tom2ForceMemTypeWB: with SYSCFG.MtrrTom2En and .Tom2ForceMemTypeWB the
 * addresses in [4 GiB, TOP_MEM2) that no variable range matches are WB, not
 * DEF_TYPE.Type.  The end of that region, or 0 when it is off or empty.
 */
static inline uint64_t
mtrr__tom2_end(const struct mtrr_state *s)
{
	const uint64_t both = MTRR_SYSCFG_TOM2_EN | MTRR_SYSCFG_TOM2_WB;
	uint64_t end = s->top_mem2 & MTRR_TOP_MEM_MASK(s->caps.phys_bits);

	if (s->caps.vendor != MTRR_VENDOR_AMD || (s->syscfg & both) != both ||
	    end <= MTRR__4GIB)
		return 0;
	return end;
}

/* Map internals shared by map_build.c and map_lookup.c. */
#define MTRR__TOM2_BIT 0x80u    /* in a type set: the address is in [4 GiB, tom2) */

/* Where [x, x + 2^bits) lies against [4 GiB, tom2): 0 out, 1 in, 2 across. */
static inline unsigned
mtrr__tom2_where(const struct mtrr_map *m, uint64_t x, unsigned bits)
{
	uint64_t end = x + (1ull << bits);

	if (end <= MTRR__4GIB || x >= m->tom2)
		return 0;
	return x >= MTRR__4GIB && end <= m->tom2 ? 1 : 2;
}

#define MTRR__FIXED_PAGES 256u  /* 4 KiB pages below 1 MiB */

/* The slots and the fixed pages, both in lut[]. */
static inline uint8_t *
mtrr__slots(struct mtrr_map *m)
{
	return m->lut + MTRR_MAP_PAGES;
}

static inline const uint8_t *
mtrr__slots_c(const struct mtrr_map *m)
{
	return m->lut + MTRR_MAP_PAGES;
}

/* Does the map have a high table (slot[MTRR_MAP_SLOTS] is MTRR_MAP_HIGH)? */
static inline bool
mtrr__has_high(const struct mtrr_map *m)
{
	return m->lut[MTRR_MAP_PAGES + MTRR_MAP_SLOTS] == MTRR_MAP_HIGH;
}

/*
 * The high table: node[MTRR_MAP_HIGH_NODE...] as one array of
 * MTRR_MAP_SLOTS entries (the node rows are contiguous bytes of m->node).
 */
static inline const uint8_t *
mtrr__high_c(const struct mtrr_map *m)
{
	return (const uint8_t *)m->node + MTRR_MAP_HIGH_NODE * MTRR_MAP_FANOUT;
}

/*
 * The slot entry of 1 MiB <= addr < limit: below top slot addr >> shift;
 * from top on slot[MTRR_MAP_SLOTS], or, in a map with a high table, high
 * entry addr >> hshift.  Entries that follow it in memory are the slots
 * (or high entries) that follow it in the address space.
 */
static inline const uint8_t *
mtrr__slot_ptr(const struct mtrr_map *m, uint64_t addr)
{
	if (addr < m->top)
		return mtrr__slots_c(m) + (addr >> m->shift);
	if (!mtrr__has_high(m))
		return mtrr__slots_c(m) + MTRR_MAP_SLOTS;
	return mtrr__high_c(m) + (addr >> m->hshift);
}

/*
 * log2 of the size of addr's slot entry: shift below top; from top on
 * hshift, which is phys_bits without a high table (slot[MTRR_MAP_SLOTS] is
 * all of [top, limit)).  An entry from top on starts at an address aligned
 * to its size and may begin below top; only its part from top on is read
 * through it.
 */
static inline unsigned
mtrr__slot_bits(const struct mtrr_map *m, uint64_t addr)
{
	return addr < m->top ? m->shift : m->hshift;
}

#define MTRR__NODE_BITS 6u      /* log2(MTRR_MAP_FANOUT) */

/*
 * Entry t with a uniform node (index >= m->ubase: every entry the same, see
 * uniform_depth in map_build.c) read as the type it stands for; any other
 * entry as it is.  A uniform node holds a type or a reference to another
 * uniform node, so this takes at most two steps.
 */
static inline uint8_t
mtrr__entry_type(const struct mtrr_map *m, uint8_t t)
{
	while (t >= MTRR_MAP_NODE + m->ubase && t < MTRR_MAP_NODE + MTRR_MAP_NODES)
		t = m->node[t - MTRR_MAP_NODE][0];
	return t;
}

/*
 * The type the slots and nodes give addr (1 MiB <= addr < limit), or MIXED;
 * `*bits` is set to log2 of the size of the uniform block found (when a type
 * is returned) or of the mixed one: the aligned 2^bits block holding addr,
 * only its part from top on when addr >= top.  A uniform node counts as the
 * type of the entry that refers to it, so the block is that entry's.
 */
static inline uint8_t
mtrr__index_type(const struct mtrr_map *m, uint64_t addr, unsigned *bits)
{
	unsigned sh = mtrr__slot_bits(m, addr);
	uint8_t t = mtrr__entry_type(m, *mtrr__slot_ptr(m, addr));

	while (t >= MTRR_MAP_NODE && t < MTRR_MAP_NODE + MTRR_MAP_NODES) {
		sh -= MTRR__NODE_BITS;
		t = mtrr__entry_type(m, m->node[t - MTRR_MAP_NODE]
					       [(addr >> sh) & (MTRR_MAP_FANOUT - 1)]);
	}
	*bits = sh > 12 ? sh : 12;      /* entries under a page: its type */
	return t;
}

/* Scan form: the type of addr from every kept pair. */
uint8_t mtrr__scan_lookup(const struct mtrr_map *m, uint64_t addr);

/* Appends [start, end) to out when n < capacity; returns n + 1. */
static inline size_t
mtrr__emit(struct mtrr_range *out, size_t capacity, size_t n, uint64_t start, uint64_t end,
	   uint8_t type)
{
	if (n < capacity) {
		out[n].start = start;
		out[n].end = end;
		out[n].type = type;
	}
	return n + 1;
}

/* The run holding addr in a run-form map: the last i with start[i] <= addr. */
unsigned mtrr__run_index(const struct mtrr_map *m, uint64_t addr);

/* ---- map_blocks.c: exact questions about aligned blocks ---------------- */

#define MTRR__CUBES (2 * MTRR_VAR_MAX)  /* the pairs of two maps */
#define MTRR__MEMO 64                   /* memo entries (a power of two) */
#define MTRR__NOT_CONST 0xFC            /* a side that is not a constant */
#define MTRR__UNKNOWN 0xFB              /* out of budget: not decided */

struct mtrr__set { uint64_t w[2]; };    /* a set of cubes, bit k = cube k */

/* What a block's value is: map a's type, map b's type, or "they differ". */
enum mtrr__eng_kind { MTRR__ENG_TYPE0, MTRR__ENG_TYPE1, MTRR__ENG_DIFF };

struct mtrr__memo {
	struct mtrr__set alive;
	uint8_t used, bits, kind, v, answer, konst[2];
	uint16_t extra;
};

/*
 * The block engine (its design: map_blocks.c).  Lives on the caller's stack
 * for one query (about 3 KiB), never in a map.
 */
struct mtrr__eng {
	unsigned n;                             /* cubes */
	uint64_t mask[MTRR__CUBES];             /* PhysMask bits MAXPHYADDR-1:12 */
	uint64_t base[MTRR__CUBES];             /* PhysBase & PhysMask */
	uint16_t tags[MTRR__CUBES];             /* side 0 types 6:0, side 1 14:8 */
	struct mtrr__set side[2];               /* the cubes of each side */
	const uint8_t *comb[2];                 /* type set -> type, per side */
	enum mtrr__eng_kind kind;               /* the current question */
	uint8_t konst[2];                       /* a side's constant, or NOT_CONST */
	uint16_t extra;                         /* tags every point of the block has */
	struct mtrr__set rel;                   /* cubes the question looks at */
	unsigned budget;                        /* work left: a split costs 1 + its live pairs */
	bool witnesses;                         /* look for MIXED by sampling (step 3) */
	struct mtrr__memo memo[MTRR__MEMO];
};

void mtrr__eng_init(struct mtrr__eng *e, unsigned budget);
/* Adds the pairs of scan-form map m as side 0 or 1. */
void mtrr__eng_add(struct mtrr__eng *e, const struct mtrr_map *m, unsigned side);
/*
 * Sets the question; a side given as a constant ignores its cubes.  `extra`
 * (set by mtrr__eng_extra, 0 here) holds the tags of the block's region: the
 * TOM2 bit of each side whose map defaults the block to WB.
 */
void mtrr__eng_mode(struct mtrr__eng *e, enum mtrr__eng_kind kind, uint8_t konst0,
		    uint8_t konst1);
void mtrr__eng_extra(struct mtrr__eng *e, uint16_t extra);
/*
 * The value of the aligned block [x, x + 2^bits) from the variable ranges
 * alone: one type (0 or 1 for DIFF), MTRR_TYPE_MIXED, or MTRR__UNKNOWN when
 * the budget ran out.
 */
uint8_t mtrr__eng_block(struct mtrr__eng *e, uint64_t x, unsigned bits);
/*
 * The cubes alive in the aligned block [x, x + 2^bits): with `bits`, they
 * decide everything about the block (two blocks with the same are equal).
 */
void mtrr__eng_alive(const struct mtrr__eng *e, uint64_t x, unsigned bits,
		     struct mtrr__set *alive);
/* Does a cube alive in the block [x, x + 2^bits) test address bit b? */
bool mtrr__eng_tests(const struct mtrr__eng *e, uint64_t x, unsigned bits, unsigned b);

/* ---- map_search.c: searches over aligned blocks ------------------------ */

/*
 * A search over one map (values are its types) or over the difference of
 * two (values are 0 where they agree, 1 where they differ).
 */
struct mtrr__search {
	const struct mtrr_map *map[2];
	unsigned nmaps;
	unsigned what;          /* 0, 1: the type of map[what]; 2: the difference */
	uint64_t to;            /* the end of the space searched */
	bool gave_up;           /* a search stopped undecided (budget) */
	unsigned asks;          /* engine questions left */
	struct mtrr__eng eng;
};

/*
 * Budgets: engine work (a split costs 1 + the pairs live in it, so states
 * with few pairs get many more splits for the same time) and engine
 * questions, for one lookup_next step, one range query, one whole diff
 * cover.  They bound the time of a call whatever the registers hold; the
 * measured worst cases are in mtrr.h (BOUNDED WORK).
 */
#define MTRR__NEXT_SPLITS 192u
#define MTRR__NEXT_ASKS 8u
#define MTRR__RANGE_SPLITS 2560u
#define MTRR__RANGE_ASKS 384u
#define MTRR__COVER_SPLITS 24576u
#define MTRR__COVER_ASKS 16384u

void mtrr__search_init(struct mtrr__search *q, const struct mtrr_map *a,
		       const struct mtrr_map *b, unsigned budget, unsigned asks);
/*
 * The first address in [from, stop) (from 4 KiB aligned) whose value is not
 * `want`, or stop.  When the budget runs out it returns the first address not
 * yet decided and sets q->gave_up: [from, result) holds `want` all the same.
 */
uint64_t mtrr__find_first(struct mtrr__search *q, uint64_t from, uint64_t stop, uint8_t want);
/*
 * One past the last address in [lo, hi) (both 4 KiB aligned) whose value is
 * not `want`, or lo.  Out of budget it returns an address at or above the
 * answer and sets q->gave_up.
 */
uint64_t mtrr__find_last(struct mtrr__search *q, uint64_t lo, uint64_t hi, uint8_t want);
/* The type of map[i] on [s, e) (e <= its limit), MIXED when not uniform. */
uint8_t mtrr__range_type(struct mtrr__search *q, unsigned i, uint64_t s, uint64_t e);

#endif
