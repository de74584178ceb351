/*
 * map_build.c — compiles a struct mtrr_state into a struct mtrr_map.
 *
 * THE COMPILED MAP
 *
 * A lookup must answer exactly what mtrr_ref_lookup answers, in a few
 * nanoseconds, from a fixed-size, pointer-free struct.  The map keeps these
 * layers; a lookup stops at the first that knows the answer:
 *
 *   lut[]        One byte table, read with one load: the 256 fixed pages of
 *                the first MiB, then slot[2049].  The lookup picks the page
 *                (addr < 1 MiB) or the slot in one conditional expression on
 *                the address, never on a type (clang: a cmov; gcc: a branch
 *                that only addresses around 1 MiB can mispredict).
 *
 *                fixed pages: the type of every 4 KiB page below 1 MiB, fully
 *                resolved (fixed-range byte when FE is on, else variable
 *                ranges and the default).  fixed_next[p] is the first page
 *                above p of another type (0: none below 1 MiB), so walks and
 *                range queries cross the first MiB in one step.
 *
 *                slots: slot i < 2048 covers [i << shift, (i + 1) << shift),
 *                up to top = 2048 << shift; slot[2048] covers [top, limit).  A
 *                lookup clamps the address to top instead of testing which
 *                side of top it falls on.  A slot holds the type of its
 *                addresses at or above 1 MiB when they have one type (the
 *                pages answer below), else a node or MTRR_TYPE_MIXED.  The run
 *                form picks the smallest shift that puts every type change at
 *                or below top, so slot[2048] is always uniform, and a layout
 *                whose ranges are aligned to 1/2048 of its highest boundary
 *                (every firmware layout seen) answers every lookup there.
 *
 *   low slots,   Scan form only, when the slots of 1/2048 of the space leave
 *   high table   [1 MiB, 4 GiB) mixed (add_low_slots): the slots become 4 MiB
 *                up to top = 8 GiB, where a guest's RAM and most of its faults
 *                are, so that most lookups there are one load again; the
 *                coarse slots move to the high table, node[32..63] read as
 *                2048 entries, and slot[2048], the one the clamp reads from
 *                top on, holds MTRR_MAP_HIGH: only that slow path reads the
 *                high table (entry addr >> hshift), the fast path is the same
 *                for every map.  32 nodes are left for such a map.
 *
 *   node[64][64] Mixed slots, lowest addresses first and breadth first, get
 *                a node: 64 entries of 1/64 of the slot each, entries as in
 *                the slots (a type, a deeper node, or MIXED), down to 4 KiB.
 *                A layout with a few unaligned boundaries, or non-contiguous
 *                masks, then still answers most lookups from a byte after one
 *                or two more loads.  Nodes from ubase on are uniform (all 64
 *                entries one type, or one reference to another uniform node):
 *                in the scan form they can make every path below 4 GiB
 *                equally deep (uniform_depth), and readers that size blocks
 *                read them as the type of the entry referring to them.
 *
 *   runs / var   Slots marked MIXED fall through to one of two exact forms:
 *
 *                run form: the effective map as a sorted list of merged runs
 *                (run.start[i], run.type[i]; run.start[0] == 0, run i ends where
 *                run i+1 starts, the last at the limit), searched with a
 *                branchless binary search.  Every state whose variable ranges
 *                expand into few enough blocks uses it: a pair with a contiguous
 *                mask is one block, so every state without non-contiguous masks
 *                (at most 40 blocks, 81 runs) fits.
 *
 *                scan form: a non-contiguous PhysMask matches 2^k blocks, k the
 *                number of clear mask bits above its lowest set bit; when the
 *                blocks of all pairs exceed MAX_BLOCKS, the runs could explode
 *                (2^39 of them for one pair at phys_bits 52), so the map keeps
 *                the valid pairs instead and a MIXED slot scans them: the types of
 *                all matching pairs OR-ed into a bitmap, resolved by a 128-entry
 *                table.  Exact for every state, only slower on MIXED slots.
 *                Its slots span the whole space (top is the limit), or its
 *                low slots and the high table do.
 *                Whether a block is uniform is decided by split_type(), with a
 *                bounded number of splits: an adversarial 40-pair state builds
 *                in ~0.1-0.3 ms, and map-wide walks stay proportional to the
 *                number of runs for pairs that complement each other.
 *
 * Invariants: the map never refers to the state; every layer answers exactly
 * what the reference answers; it is never written after mtrr_map_build returns,
 * so concurrent lookups need no locking.
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"

/*
 * Blocks the run form accepts: 1 + 2 * MAX_BLOCKS boundaries, and the two of
 * AMD's WB region [4 GiB, TOP_MEM2), fit in the runs.
 */
#define MAX_BLOCKS ((MTRR_MAP_RUNS - 4) / 2)

/* A valid variable pair, reduced to the bits that compare. */
struct pair {
	uint64_t base;          /* PhysBase & PhysMask */
	uint64_t mask;          /* PhysMask, bits MAXPHYADDR-1:12 */
	uint8_t type;
};

/* The first page and the pages per byte of each fixed MSR, in state order. */
static const struct { uint8_t first, pages; } fixed_layout[MTRR_FIXED_MSRS] = {
	{ 0, 16 }, { 128, 4 }, { 160, 4 },
	{ 192, 1 }, { 200, 1 }, { 208, 1 }, { 216, 1 },
	{ 224, 1 }, { 232, 1 }, { 240, 1 }, { 248, 1 },
};

/* The size of one block of a pair: 2^(lowest set mask bit), all if no bit. */
static unsigned
block_bits(uint64_t mask, unsigned phys_bits)
{
	return mask ? mtrr__ctz(mask) : phys_bits;
}

/* The clear mask bits above the block size: each doubles the block count. */
static uint64_t
free_bits(const struct pair *p, uint64_t limit, unsigned phys_bits)
{
	unsigned b = block_bits(p->mask, phys_bits);

	return (limit - 1) & ~p->mask & ~((1ull << b) - 1);
}

static unsigned
matching_types(const struct pair *pairs, unsigned n, uint64_t addr)
{
	unsigned set = 0, k;

	/* Branch-free: which pairs match a boundary is as random as the layout. */
	for (k = 0; k < n; k++)
		set |= (unsigned)((addr & pairs[k].mask) == pairs[k].base) << pairs[k].type;
	return set;
}

static void
sort_unique(uint64_t *v, unsigned *n)
{
	unsigned i, j, out;

	for (i = 1; i < *n; i++) {      /* insertion sort: n is small */
		uint64_t x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	for (i = 0, out = 0; i < *n; i++)
		if (out == 0 || v[out - 1] != v[i])
			v[out++] = v[i];
	*n = out;
}

/*
 * Run form: every block boundary, sorted; the type of each elementary
 * interval from the pairs matching its start; then neighbours of one type
 * merged.
 */
static unsigned
build_runs(struct mtrr_map *m, const struct pair *pairs, unsigned npairs,
	   uint8_t def, enum mtrr_overlap overlap, unsigned phys_bits)
{
	uint64_t *start = m->u.run.start;
	unsigned n = 0, i, k, written;

	start[n++] = 0;
	if (m->tom2 != 0) {     /* the WB region's ends, where the default changes */
		start[n++] = MTRR__4GIB;
		if (m->tom2 < m->limit)
			start[n++] = m->tom2;
	}
	for (k = 0; k < npairs; k++) {
		uint64_t size = 1ull << block_bits(pairs[k].mask, phys_bits);
		uint64_t f = free_bits(&pairs[k], m->limit, phys_bits), y = 0;

		do {    /* the subsets of f in increasing order */
			uint64_t b = pairs[k].base | y;
			start[n++] = b;
			if (b + size < m->limit)
				start[n++] = b + size;
			y = (y - f) & f;
		} while (y != 0);
	}
	written = n;
	sort_unique(start, &n);

	for (i = 0, k = 0; i < n; i++) {
		bool wb = start[i] >= MTRR__4GIB && start[i] < m->tom2;
		uint8_t t = mtrr__combine(matching_types(pairs, npairs, start[i]),
					  wb ? MTRR_TYPE_WB : def, overlap);
		if (k > 0 && m->u.run.type[k - 1] == t)
			continue;
		start[k] = start[i];
		m->u.run.type[k++] = t;
	}
	m->nruns = (uint16_t)k;
	return written;
}

/* The smallest shift that puts every run boundary at or below top. */
static uint8_t
pick_shift(const struct mtrr_map *m)
{
	uint64_t last = m->u.run.start[m->nruns - 1];
	unsigned shift = 12;

	while (last > ((uint64_t)MTRR_MAP_SLOTS << shift))
		shift++;
	return (uint8_t)shift;
}

static bool
fill_slots_from_runs(struct mtrr_map *m)
{
	uint64_t gran = 1ull << m->shift;
	uint8_t *slot = mtrr__slots(m);
	bool mixed = false;
	unsigned r;

	for (r = 0; r < m->nruns; r++) {
		uint64_t s = m->u.run.start[r];
		uint64_t first = (s + gran - 1) >> m->shift;
		uint64_t last = MTRR_MAP_SLOTS;

		if (r + 1u < m->nruns)
			last = m->u.run.start[r + 1] >> m->shift;
		if (last > first)
			memset(&slot[first], m->u.run.type[r], (size_t)(last - first));
	}
	/* A boundary inside a slot mixes it; it is below top, so in the table. */
	for (r = 1; r < m->nruns; r++)
		if (m->u.run.start[r] & (gran - 1)) {
			slot[m->u.run.start[r] >> m->shift] = MTRR_TYPE_MIXED;
			mixed = true;
		}
	/* The last run starts at or below top: it is all of [top, limit). */
	slot[MTRR_MAP_SLOTS] = m->u.run.type[m->nruns - 1];
	return mixed;
}

uint8_t
mtrr__scan_lookup(const struct mtrr_map *m, uint64_t addr)
{
	unsigned set = 0, k;

	for (k = 0; k < m->nvar; k++)
		set |= (unsigned)((addr & m->u.var.mask[k]) == m->u.var.base[k])
		       << m->u.var.type[k];
	set |= (unsigned)(addr >= MTRR__4GIB && addr < m->tom2) * MTRR__TOM2_BIT;
	return m->u.var.combine[set];
}

/*
 * Scan form: engine splits, and blocks asked about, one build may spend on
 * its slots (a bound on its time; see BOUNDED WORK in mtrr.h).
 */
#define BUILD_BUDGET 640u       /* engine work, as MTRR__RANGE_SPLITS */
#define BUILD_ASKS 1024u
#define LOW_SHIFT 22u           /* scan form's low slots: 4 MiB, top 8 GiB */
#define NODE_ASKS 1024u

/*
 * The entries dst[] of 2^ebits bytes each under [x, x + 2^bits) (slots, or
 * a node's entries), top-down: a uniform block fills all its entries at
 * once, and halves no pair tells apart are copied.  An entry the engine
 * cannot settle within the budget is MIXED, which is always safe: its
 * lookups scan the pairs.
 */
/*
 * Scan form: the engine's answer for [x, x + 2^bits), MIXED when out of
 * questions or undecided; a block across an end of AMD's WB region is MIXED
 * without asking (its halves are asked about instead).
 */
static uint8_t
scan_block(const struct mtrr_map *m, struct mtrr__eng *e, uint64_t x, unsigned bits,
	   unsigned *asks)
{
	unsigned where = mtrr__tom2_where(m, x, bits);
	uint8_t t;

	if (*asks == 0 || where == 2)
		return MTRR_TYPE_MIXED;
	--*asks;
	mtrr__eng_extra(e, where ? (uint16_t)MTRR__TOM2_BIT : 0);
	t = mtrr__eng_block(e, x, bits);
	return t == MTRR__UNKNOWN ? MTRR_TYPE_MIXED : t;
}

static void
fill_entries(const struct mtrr_map *m, uint8_t *dst, unsigned ebits, struct mtrr__eng *e,
	     uint64_t x, unsigned bits, unsigned *asks)
{
	size_t n = (size_t)1 << (bits - ebits), half = n / 2;
	uint8_t t = scan_block(m, e, x, bits, asks);
	uint64_t mid = x + (1ull << (bits - 1));

	if (t != MTRR_TYPE_MIXED || n == 1 || *asks == 0) {
		memset(dst, t, n);
		return;
	}
	fill_entries(m, dst, ebits, e, x, bits - 1, asks);
	if (mtrr__eng_tests(e, x, bits, bits - 1) ||
	    mtrr__tom2_where(m, x, bits - 1) != mtrr__tom2_where(m, mid, bits - 1) ||
	    mtrr__tom2_where(m, x, bits - 1) == 2)
		fill_entries(m, dst + half, ebits, e, mid, bits - 1, asks);
	else    /* neither a pair nor the WB region tells the halves apart */
		memcpy(dst + half, dst, half);
}

/* Does every slot below 4 GiB give its part of [0, 4 GiB) one type? */
static bool
low_uniform(const struct mtrr_map *m, struct mtrr__eng *e, unsigned *asks)
{
	const uint8_t *slot = mtrr__slots_c(m);
	size_t n = (size_t)(MTRR__4GIB >> m->shift), i;

	if (n == 0)     /* slot 0 holds all of it: ask about [0, 4 GiB) alone */
		return slot[0] < MTRR_MAP_NODE ||
		       scan_block(m, e, 0, 32, asks) != MTRR_TYPE_MIXED;
	for (i = 0; i < n; i++)
		if (slot[i] >= MTRR_MAP_NODE)
			return false;
	return true;
}

/*
 * Scan form, when the slots of 1/2048 of the space leave [1 MiB, 4 GiB)
 * mixed (where a guest's RAM and most of its faults are): low slots of
 * 4 MiB up to top = 8 GiB, so that most lookups there are one load again.
 * The slots just made move to the high table (node[MTRR_MAP_HIGH_NODE..],
 * which leaves 32 nodes), and slot[2048], the one the lookup's clamp reads
 * from top on, sends it there.  A high entry that holds top was decided
 * whole, more cautious than its part from top on needs.  A node under a
 * low slot has 64 KiB entries, one under those 1 KiB entries (four to a
 * page): two levels reach 4 KiB.  Kept only when at least half of the low
 * slots below 4 GiB are types.
 */
static void
add_low_slots(struct mtrr_map *m, struct mtrr__eng *e, unsigned *asks)
{
	uint8_t *slot = mtrr__slots(m), *high = (uint8_t *)m->node +
						MTRR_MAP_HIGH_NODE * MTRR_MAP_FANOUT;
	const size_t nlow = (size_t)(MTRR__4GIB >> LOW_SHIFT);
	size_t i, types = 0;

	memcpy(high, slot, MTRR_MAP_SLOTS);
	m->hshift = m->shift;
	m->shift = LOW_SHIFT;
	m->top = (uint64_t)MTRR_MAP_SLOTS << LOW_SHIFT;
	slot[MTRR_MAP_SLOTS] = MTRR_MAP_HIGH;
	fill_entries(m, slot, LOW_SHIFT, e, 0, LOW_SHIFT + 11, asks);
	for (i = 0; i < nlow; i++)
		types += slot[i] < MTRR_MAP_NODE;
	if (2 * types >= nlow)
		return;
	/*
	 * Most of [0, 4 GiB) is mixed even in 4 MiB slots (a pattern of a
	 * few pages): they would only send the lookups above top through
	 * the high table.  Back to the slots of 1/2048 of the space.
	 */
	memcpy(slot, high, MTRR_MAP_SLOTS);
	slot[MTRR_MAP_SLOTS] = MTRR_TYPE_INVALID;
	m->shift = m->hshift;
	m->hshift = (uint8_t)(m->shift + 11);
	m->top = m->limit;
}

static bool
build_scan(struct mtrr_map *m, const struct pair *pairs, unsigned npairs,
	   uint8_t def, enum mtrr_overlap overlap, unsigned phys_bits,
	   struct mtrr__eng *e, unsigned *asks)
{
	unsigned k, set;

	m->scan = 1;
	m->nvar = (uint8_t)npairs;
	for (k = 0; k < npairs; k++) {
		m->u.var.base[k] = pairs[k].base;
		m->u.var.mask[k] = pairs[k].mask;
		m->u.var.type[k] = pairs[k].type;
	}
	for (set = 0; set < sizeof(m->u.var.combine); set++)
		m->u.var.combine[set] = mtrr__combine(set & ~MTRR__TOM2_BIT,
						      set & MTRR__TOM2_BIT ? MTRR_TYPE_WB : def,
						      overlap);
	m->shift = (uint8_t)(phys_bits - 11);   /* 2048 slots span the space */
	m->top = m->limit;
	m->hshift = (uint8_t)phys_bits;
	mtrr__slots(m)[MTRR_MAP_SLOTS] = MTRR_TYPE_INVALID; /* [top, limit) is empty */
	mtrr__eng_init(e, BUILD_BUDGET);
	e->witnesses = false;   /* MIXED or undecided: a slot is MIXED either way */
	mtrr__eng_add(e, m, 0);
	fill_entries(m, mtrr__slots(m), m->shift, e, 0, phys_bits, asks);
	if (m->shift <= LOW_SHIFT || low_uniform(m, e, asks))
		return false;
	add_low_slots(m, e, asks);
	return true;            /* the high table's rows were written, kept or not */
}

/* Sets `pages` (16, 4 or 1) bytes to t: fixed-size stores, no memset call. */
static void
put_pages(uint8_t *dst, uint8_t t, unsigned pages)
{
	uint64_t v = t * 0x0101010101010101ull;

	if (pages == 16) {
		memcpy(dst, &v, 8);
		memcpy(dst + 8, &v, 8);
	} else if (pages == 4) {
		memcpy(dst, &v, 4);
	} else {
		*dst = t;
	}
}

/* The 8 bytes of v, least significant first (one store where that is memory order). */
static void
put_bytes(uint8_t *dst, uint64_t v)
{
	dst[0] = (uint8_t)v;
	dst[1] = (uint8_t)(v >> 8);
	dst[2] = (uint8_t)(v >> 16);
	dst[3] = (uint8_t)(v >> 24);
	dst[4] = (uint8_t)(v >> 32);
	dst[5] = (uint8_t)(v >> 40);
	dst[6] = (uint8_t)(v >> 48);
	dst[7] = (uint8_t)(v >> 56);
}

/* The type of each 4 KiB page below 1 MiB. */
static void
fill_fixed(struct mtrr_map *m, const struct mtrr_state *s, bool use_fixed)
{
	unsigned i, b, r = 0;

	if (use_fixed) {
		/* AMD: the type is bits 2:0, RdMem/WrMem (4:3) only route. */
		uint64_t types = s->caps.vendor == MTRR_VENDOR_AMD ? MTRR_FIXED_TYPE_BITS : ~0ull;
		uint8_t *lut = m->lut;

		/*
		 * Each MSR group with its own page count, so that the loops
		 * unroll into plain stores: 64 KiB bytes fill 16 pages, 16 KiB
		 * bytes 4, 4 KiB bytes one (fixed_layout[] says where).
		 */
		for (b = 0; b < 8; b++)
			put_pages(lut + 16 * b, (uint8_t)((s->fixed[0] & types) >> (8 * b)), 16);
		for (i = 1; i < 3; i++)
			for (b = 0; b < 8; b++)
				put_pages(lut + fixed_layout[i].first + 4 * b,
					  (uint8_t)((s->fixed[i] & types) >> (8 * b)), 4);
		for (i = 3; i < MTRR_FIXED_MSRS; i++)
			put_bytes(lut + fixed_layout[i].first, s->fixed[i] & types);
		return;
	}
	for (i = 0; i < MTRR__FIXED_PAGES; i++) {
		uint64_t a = (uint64_t)i << 12;
		if (m->scan) {
			m->lut[i] = mtrr__scan_lookup(m, a);
			continue;
		}
		while (r + 1u < m->nruns && m->u.run.start[r + 1] <= a)
			r++;
		m->lut[i] = m->u.run.type[r];
	}
}

/*
 * fixed_next, backwards with the first page of another type carried down.
 * Eight pages at a time: where a page and its successor agree for all eight
 * (compared as one word), all eight take the carried value in one store.
 */
static void
fill_fixed_next(struct mtrr_map *m)
{
	const uint8_t *f = m->lut;
	uint8_t next = 0;
	unsigned p = MTRR__FIXED_PAGES - 1, c;

	m->fixed_next[p] = 0;
	while (p % 8 != 0) {            /* the top chunk has no page 256 */
		p--;
		if (f[p + 1] != f[p])
			next = (uint8_t)(p + 1);
		m->fixed_next[p] = next;
	}
	for (c = p; c > 0; c -= 8) {    /* pages c-8 .. c-1 against c-7 .. c */
		uint64_t lo, hi;
		memcpy(&lo, f + c - 8, 8);
		memcpy(&hi, f + c - 7, 8);
		if (lo == hi) {
			memset(&m->fixed_next[c - 8], next, 8);
			continue;
		}
		for (p = c; p-- > c - 8;) {
			if (f[p + 1] != f[p])
				next = (uint8_t)(p + 1);
			m->fixed_next[p] = next;
		}
	}
}

static uint8_t block_type(const struct mtrr_map *m, struct mtrr__eng *e, uint64_t x,
			  unsigned bits, unsigned *asks);

/*
 * The slots over the first MiB.  Lookups there read the pages, so a slot
 * inside it is never read for a point; it is MIXED.  The slot reaching past
 * 1 MiB holds the type of its part above 1 MiB: in run form, the run holding
 * 1 MiB decides, so that variable ranges that change below 1 MiB (the fixed
 * pages answer there) do not make the slot MIXED (the scan form's engine
 * decided the whole slot, which is only ever more cautious).
 */
static bool
first_mib_slots(struct mtrr_map *m)
{
	uint8_t *slot = mtrr__slots(m);
	uint64_t gran = 1ull << m->shift, a;
	unsigned i, none = 0;
	bool mixed = false;

	for (i = 0, a = 0; a < MTRR_FIXED_END; i++, a += gran)
		if (a + gran <= MTRR_FIXED_END || !m->scan) {
			slot[i] = block_type(m, NULL, a, m->shift, &none);
			/* Only a slot reaching past 1 MiB is ever split. */
			mixed = mixed || (slot[i] == MTRR_TYPE_MIXED && a + gran > MTRR_FIXED_END);
		}
	return mixed;
}

/*
 * The type of the addresses at or above 1 MiB of the block [x, x + 2^bits),
 * or MIXED (also when undecided: a MIXED entry is always safe).
 */
static uint8_t
block_type(const struct mtrr_map *m, struct mtrr__eng *e, uint64_t x, unsigned bits,
	   unsigned *asks)
{
	uint64_t end;
	unsigned r;

	if (x + (1ull << bits) <= MTRR_FIXED_END)
		return MTRR_TYPE_MIXED;         /* never read for a point */
	if (m->scan)
		return scan_block(m, e, x, bits, asks);
	r = mtrr__run_index(m, x < MTRR_FIXED_END ? MTRR_FIXED_END : x);
	end = r + 1u < m->nruns ? m->u.run.start[r + 1] : m->limit;
	return end >= x + (1ull << bits) ? m->u.run.type[r] : MTRR_TYPE_MIXED;
}

/*
 * Gives the mixed entry *ent, covering [x, x + 2^bits), a node when one is
 * left, and fills it.  Returns false when none is.
 */
/* The nodes a map may use: the high table takes the second half. */
static unsigned
node_cap(const struct mtrr_map *m)
{
	return mtrr__has_high(m) ? MTRR_MAP_HIGH_NODE : MTRR_MAP_NODES;
}

static bool
split_entry(struct mtrr_map *m, struct mtrr__eng *e, uint8_t *ent, uint64_t x, unsigned bits,
	    unsigned *asks)
{
	unsigned k = m->nnodes, j, r, sub = bits - MTRR__NODE_BITS;

	/*
	 * Entries of at least 4 KiB, but for the second level under a low
	 * slot (4 MiB, 64 KiB, then 1 KiB entries: four to a page, each page
	 * several entries of its type), which the inline lookup still reads.
	 * Deeper nodes would cost a lookup more loads than the scan of the
	 * pairs.
	 */
	if (k >= node_cap(m) || sub < (mtrr__has_high(m) && x < m->top ? 10u : 12u))
		return false;
	m->nnodes++;
	*ent = (uint8_t)(MTRR_MAP_NODE + k);
	if (m->scan) {
		fill_entries(m, m->node[k], sub, e, x, bits, asks);
		return true;
	}
	/* Run form: one search, then the runs in order along the entries. */
	r = mtrr__run_index(m, x < MTRR_FIXED_END ? MTRR_FIXED_END : x);
	for (j = 0; j < MTRR_MAP_FANOUT; j++) {
		uint64_t a = x + ((uint64_t)j << sub), lo = a < MTRR_FIXED_END ? MTRR_FIXED_END : a;
		uint64_t end;
		while (r + 1u < m->nruns && m->u.run.start[r + 1] <= lo)
			r++;
		end = r + 1u < m->nruns ? m->u.run.start[r + 1] : m->limit;
		m->node[k][j] = a + (1ull << sub) <= MTRR_FIXED_END ? MTRR_TYPE_MIXED :
				end >= a + (1ull << sub) ? m->u.run.type[r] : MTRR_TYPE_MIXED;
	}
	return true;
}

/*
 * Where each node is: its first address and log2 of its entries' size; in
 * scan form, the pairs alive in it, which decide its whole subtree.
 */
struct node_pos {
	uint64_t base[MTRR_MAP_NODES];
	uint64_t floor[MTRR_MAP_NODES]; /* lookups reach it from here on */
	uint8_t bits[MTRR_MAP_NODES];
	struct mtrr__set alive[MTRR_MAP_NODES];
};

/*
 * Splits the mixed entry at [x, x + 2^bits), of which lookups read only
 * the part from `floor` on (1 MiB under a low slot: the pages answer below;
 * top under a high slot), when that part starts below `below` and nodes <
 * cap.  Non-contiguous masks repeat a pattern: in scan form, a block with
 * the same size and the same alive pairs as a node made before has the same
 * types throughout, so the entry shares that node (the nodes form a DAG).
 */
static bool
split_if(struct mtrr_map *m, struct mtrr__eng *e, struct node_pos *pos, uint8_t *ent,
	 uint64_t x, unsigned bits, uint64_t floor, uint64_t below, unsigned cap,
	 unsigned *asks)
{
	unsigned k = m->nnodes, j;
	struct mtrr__set alive = { { 0, 0 } };

	if (*ent != MTRR_TYPE_MIXED || (x > floor ? x : floor) >= below ||
	    x + (1ull << bits) <= floor)
		return true;
	if (m->scan && x >= MTRR_FIXED_END && mtrr__tom2_where(m, x, bits) == 0) {
		mtrr__eng_alive(e, x, bits, &alive);
		for (j = 0; j < k; j++) {
			/* The alive words first: they tell most nodes apart at once. */
			if (pos->alive[j].w[0] == alive.w[0] && pos->alive[j].w[1] == alive.w[1] &&
			    pos->bits[j] + MTRR__NODE_BITS == bits && pos->base[j] >= MTRR_FIXED_END &&
			    mtrr__tom2_where(m, pos->base[j], bits) == 0) {
				*ent = (uint8_t)(MTRR_MAP_NODE + j);
				return true;
			}
		}
	}
	if (k >= cap || !split_entry(m, e, ent, x, bits, asks))
		return false;
	pos->base[k] = x;
	pos->floor[k] = floor;
	pos->bits[k] = (uint8_t)(bits - MTRR__NODE_BITS);
	pos->alive[k] = alive;
	return true;
}

/*
 * The mixed entries of n slots (or high entries) of 2^bits from `ent`,
 * the first at x, split in address order (see split_if); false when the
 * nodes ran out.
 */
static bool
split_slots(struct mtrr_map *m, struct mtrr__eng *e, struct node_pos *pos, uint8_t *ent,
	    size_t n, uint64_t x, unsigned bits, uint64_t floor, uint64_t below, unsigned cap,
	    unsigned *asks)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const uint8_t *p = memchr(&ent[i], MTRR_TYPE_MIXED, n - i);
		if (p == NULL)
			break;          /* most maps: no mixed slot at all */
		i = (size_t)(p - ent);
		if (!split_if(m, e, pos, &ent[i], x + ((uint64_t)i << bits), bits, floor, below,
			      cap, asks))
			return false;
	}
	return true;
}

/*
 * Breadth first over the mixed entries below `below`: the slots, then the
 * high table's entries, in address order, then the entries of every node
 * made, level by level, until `cap` nodes exist.
 */
static void
grow_nodes(struct mtrr_map *m, struct mtrr__eng *e, struct node_pos *pos, uint64_t below,
	   unsigned cap, unsigned *asks)
{
	unsigned i, j;

	if (!split_slots(m, e, pos, mtrr__slots(m), MTRR_MAP_SLOTS, 0, m->shift,
			 MTRR_FIXED_END, below, cap, asks))
		return;
	if (mtrr__has_high(m) &&
	    !split_slots(m, e, pos, (uint8_t *)m->node + MTRR_MAP_HIGH_NODE * MTRR_MAP_FANOUT,
			 MTRR_MAP_SLOTS, 0, m->hshift, m->top, below, cap, asks))
		return;
	for (i = 0; i < m->nnodes; i++)
		for (j = 0; j < MTRR_MAP_FANOUT; j++)
			if (!split_if(m, e, pos, &m->node[i][j],
				      pos->base[i] + ((uint64_t)j << pos->bits[i]), pos->bits[i],
				      pos->floor[i], below, cap, asks))
				return;
}

/*
 * Nodes for the mixed slots: first half of them for the addresses below
 * 4 GiB, where a guest's RAM and most of its faults are, then the rest
 * anywhere, each breadth first.
 */
static void
build_nodes(struct mtrr_map *m, struct mtrr__eng *e, unsigned *asks)
{
	struct node_pos pos;

	m->nnodes = 0;
	grow_nodes(m, e, &pos, 4ull << 30, node_cap(m) / 2, asks);
	grow_nodes(m, e, &pos, m->limit, node_cap(m), asks);
}

/*
 * Uniform depth below 4 GiB (scan form).  Random addresses below 4 GiB of a
 * map with non-contiguous masks can fall into slot entries that are types
 * and entries that are nodes, and under a node into types and deeper
 * nodes; when no depth dominates, the inline lookup's branches on the depth
 * miss about as often as they hit (5-7 ns a lookup).  Then every path from
 * a slot below 4 GiB is made as deep as the deepest (one or two levels):
 * a type t in such a slot becomes a reference to a uniform node U1(t),
 * whose entries are all t, or (depth two) all refer to U2(t), whose entries
 * are all t; at depth two a type in a node under such a slot becomes a
 * reference to U2(t).  The lookup's branches then go the same way for every
 * address there.  Uniform nodes sit at indices from m->ubase on; every
 * reader that sizes blocks (mtrr__index_type, the searches) reads one as
 * the type of the entry that refers to it, so no block gets smaller.
 * Nothing changes when one depth holds at least 7/8 of the space below
 * 4 GiB, or when too few nodes are left.  The 7/8 is measured: a node
 * level costs a lookup about as much (~1.1 ns) as a branch that misses on
 * 1/8 of random addresses, and sequential walks, whose depth changes
 * rarely, only pay for the level (the mtrr_bench noncontig-mix layout,
 * 1/8 of its space below 4 GiB one level deep: random 1.9 ns either way,
 * sequential 0.8 ns as it is, 1.9 ns made uniform; with 1/4: random
 * 3.7 -> 2.1 ns, sequential 1.4 -> 2.1 ns).
 */
static void
uniform_depth(struct mtrr_map *m)
{
	uint8_t *slot = mtrr__slots(m);
	uint64_t below = 4ull << 30, l1 = 0;
	size_t nreg = (size_t)((below + (1ull << m->shift) - 1) >> m->shift), i;
	/* space per depth 0, 1, 2, deeper; in 1/4096 of a slot */
	uint64_t w[4] = { 0, 0, 0, 0 }, most, total;
	uint16_t n1[MTRR_MAP_NODES], n2[MTRR_MAP_NODES], deep[MTRR_MAP_NODES];
	unsigned need1 = 0, need2 = 0, t, k, j, count, depth;
	uint8_t u1[8], u2[8];

	if (nreg > MTRR_MAP_SLOTS)
		nreg = MTRR_MAP_SLOTS;
	/* Per node: entries that are types, and under its node entries. */
	for (k = 0; k < m->nnodes; k++) {
		n1[k] = 0;
		n2[k] = 0;
		for (j = 0; j < MTRR_MAP_FANOUT; j++)
			n1[k] = (uint16_t)(n1[k] + (m->node[k][j] < 8));
	}
	for (k = 0; k < m->nnodes; k++) {
		deep[k] = 0;
		for (j = 0; j < MTRR_MAP_FANOUT; j++) {
			uint8_t e = m->node[k][j];
			if (e >= MTRR_MAP_NODE && e < MTRR_MAP_NODE + m->nnodes) {
				n2[k] = (uint16_t)(n2[k] + n1[e - MTRR_MAP_NODE]);
				deep[k] = (uint16_t)(deep[k] + MTRR_MAP_FANOUT - n1[e - MTRR_MAP_NODE]);
			} else if (e >= 8) {
				deep[k] = (uint16_t)(deep[k] + MTRR_MAP_FANOUT);
			}
		}
	}
	for (i = 0; i < nreg; i++) {
		if (slot[i] >= MTRR_MAP_NODE && slot[i] < MTRR_MAP_NODE + m->nnodes) {
			k = slot[i] - MTRR_MAP_NODE;
			l1 |= 1ull << k;
			w[1] += 64u * n1[k];
			w[2] += n2[k];
			w[3] += deep[k];
		} else if (slot[i] < 8) {
			need1 |= 1u << slot[i];
			w[0] += 4096;
		} else {
			w[3] += 4096;
		}
	}
	if (l1 == 0)
		return;
	total = w[0] + w[1] + w[2] + w[3];
	most = w[0] > w[1] ? w[0] : w[1];
	most = most > w[2] ? most : w[2];
	most = most > w[3] ? most : w[3];
	if (total - most <= total / 8)
		return;
	depth = w[2] + w[3] > 0 ? 2 : 1;
	if (depth == 2)
		for (k = 0; k < m->nnodes; k++)
			if (l1 >> k & 1)
				for (j = 0; j < MTRR_MAP_FANOUT; j++)
					if (m->node[k][j] < 8)
						need2 |= 1u << m->node[k][j];
	if (depth == 2)
		need2 |= need1;                 /* U1(t) refers to U2(t) */
	count = mtrr__popcount(need1) + mtrr__popcount(need2);
	if (m->nnodes + count > node_cap(m))
		return;
	m->ubase = m->nnodes;
	for (t = 0; t < 8; t++)
		if (need2 >> t & 1) {
			u2[t] = m->nnodes++;
			memset(m->node[u2[t]], (int)t, MTRR_MAP_FANOUT);
		}
	for (t = 0; t < 8; t++)
		if (need1 >> t & 1) {
			u1[t] = m->nnodes++;
			memset(m->node[u1[t]], depth == 2 ? MTRR_MAP_NODE + u2[t] : (int)t,
			       MTRR_MAP_FANOUT);
		}
	if (depth == 2)
		for (k = 0; k < m->ubase; k++)
			if (l1 >> k & 1)
				for (j = 0; j < MTRR_MAP_FANOUT; j++)
					if (m->node[k][j] < 8)
						m->node[k][j] = (uint8_t)(MTRR_MAP_NODE +
									  u2[m->node[k][j]]);
	for (i = 0; i < nreg; i++)
		if (slot[i] < 8)
			slot[i] = (uint8_t)(MTRR_MAP_NODE + u1[slot[i]]);
}

/*
 * What an earlier build (or the zeroing before the first) may have left
 * nonzero outside what this build writes: the invariant after every build
 * is that node rows from nnodes on (but the high table's, with one) and the
 * union past the runs or pairs in use are zero.  Read from the map before
 * the build writes it; values no build writes (an unzeroed map) are clamped,
 * and an unknown form clears everything.
 */
struct dirty {
	unsigned rows;          /* node rows [0, rows) may be nonzero */
	unsigned n;             /* runs or pairs [0, n) may be nonzero */
	unsigned written;       /* this build: run starts [0, written) written */
	bool scan;              /* the union holds pairs, not runs */
	bool known;             /* scan was 0 or 1: the union's layout is known */
	bool high;              /* this build wrote the high table's rows */
};

static void
dirty_before(const struct mtrr_map *m, struct dirty *d)
{
	d->rows = mtrr__has_high(m) || m->nnodes > MTRR_MAP_NODES ? MTRR_MAP_NODES : m->nnodes;
	d->known = m->scan <= 1;
	d->scan = m->scan == 1;
	d->n = d->scan ? (m->nvar < MTRR_VAR_MAX ? m->nvar : MTRR_VAR_MAX)
		       : (m->nruns < MTRR_MAP_RUNS ? m->nruns : MTRR_MAP_RUNS);
	d->written = 0;
	d->high = false;
}

/*
 * Zeroes what an earlier build may have left and this one did not write
 * (struct dirty), so that builds of one state are byte for byte equal.
 * Only that: clearing all 4 KiB of nodes and the whole run list every time
 * cost a typical build a third of its time.
 */
static void
clear_unused(struct mtrr_map *m, const struct dirty *d)
{
	unsigned char *u = (unsigned char *)&m->u;
	unsigned rows = d->high && d->rows < MTRR_MAP_NODES ? MTRR_MAP_NODES : d->rows;
	unsigned n = d->n, used;

	if (mtrr__has_high(m) && rows > MTRR_MAP_HIGH_NODE)
		rows = MTRR_MAP_HIGH_NODE;      /* the high table is in use */
	if (rows > m->nnodes)
		memset(m->node[m->nnodes], 0, (rows - m->nnodes) * sizeof(m->node[0]));
	memset((unsigned char *)m + offsetof(struct mtrr_map, node) + sizeof(m->node), 0,
	       offsetof(struct mtrr_map, u) - offsetof(struct mtrr_map, node) - sizeof(m->node));
	if (!d->known || d->scan != (m->scan != 0)) {
		/* The other form's data, or unknown: the whole union but what is used. */
		if (m->scan) {
			used = offsetof(struct mtrr_map, u.var.combine) + sizeof(m->u.var.combine) -
			       offsetof(struct mtrr_map, u);
			memset(u + used, 0, sizeof(m->u) - used);
			n = MTRR_VAR_MAX;
		} else {
			n = MTRR_MAP_RUNS;
		}
	}
	if (m->scan) {
		if (n > m->nvar) {
			memset(&m->u.var.base[m->nvar], 0, (n - m->nvar) * sizeof(uint64_t));
			memset(&m->u.var.mask[m->nvar], 0, (n - m->nvar) * sizeof(uint64_t));
			memset(&m->u.var.type[m->nvar], 0, n - m->nvar);
		}
		return;
	}
	if (n > m->nruns)
		memset(&m->u.run.type[m->nruns], 0, n - m->nruns);
	if (d->written > n)
		n = d->written;
	if (n > m->nruns)
		memset(&m->u.run.start[m->nruns], 0, (n - m->nruns) * sizeof(uint64_t));
	used = sizeof(m->u.run);
	memset(u + used, 0, sizeof(m->u) - used);
}

mtrr_status
mtrr_map_build(struct mtrr_map *m, const struct mtrr_state *s)
{
	struct pair pairs[MTRR_VAR_MAX];
	struct mtrr__eng e;
	struct dirty dirty;
	unsigned npairs = 0, n, phys_bits, asks = BUILD_ASKS;
	uint64_t phys, blocks = 0, fb;
	uint8_t def = MTRR_TYPE_UC;
	bool enabled, use_fixed, mixed;

	/* A register image mtrr_wrmsr would refuse never reaches the map. */
	if (m == NULL || mtrr_state_check(s, NULL) != MTRR_OK)
		return MTRR_E_INVALID_ARG;
	phys_bits = s->caps.phys_bits;
	phys = MTRR_PHYS_ADDR_MASK(phys_bits);
	enabled = (s->def_type & MTRR_DEF_E) != 0;
	use_fixed = enabled && s->caps.fixed && (s->def_type & MTRR_DEF_FE);

	/* With E clear every pair and FE are ignored and the default is UC. */
	if (enabled) {
		def = (uint8_t)(s->def_type & MTRR_DEF_TYPE_MASK);
		for (n = 0; n < s->caps.vcnt; n++) {
			struct pair *p = &pairs[npairs];
			if (!(s->var[n].mask & MTRR_PHYSMASK_V))
				continue;
			p->mask = s->var[n].mask & phys;
			p->base = s->var[n].base & p->mask;
			p->type = (uint8_t)(s->var[n].base & MTRR_PHYSBASE_TYPE_MASK);
			fb = free_bits(p, 1ull << phys_bits, phys_bits);
			blocks += fb ? 1ull << mtrr__popcount(fb) : 1u;  /* 0: contiguous */
			npairs++;
		}
	}

	/* Every field is written below; the nodes past nnodes are never read. */
	dirty_before(m, &dirty);
	m->limit = 1ull << phys_bits;
	m->tom2 = enabled ? mtrr__tom2_end(s) : 0;
	if (m->tom2 > m->limit)
		m->tom2 = m->limit;
	m->scan = 0;
	m->nruns = 0;
	m->nvar = 0;
	m->ubase = MTRR_MAP_NODES;      /* no uniform node */
	if (blocks <= MAX_BLOCKS) {
		dirty.written = build_runs(m, pairs, npairs, def, s->caps.overlap, phys_bits);
		m->shift = pick_shift(m);
		m->top = (uint64_t)MTRR_MAP_SLOTS << m->shift;
		m->hshift = (uint8_t)phys_bits; /* one high slot: [top, limit) */
		mixed = fill_slots_from_runs(m);
	} else {
		dirty.high = build_scan(m, pairs, npairs, def, s->caps.overlap, phys_bits, &e,
					&asks);
		mixed = true;
	}
	fill_fixed(m, s, use_fixed);
	fill_fixed_next(m);
	mixed = first_mib_slots(m) || mixed;
	asks += NODE_ASKS;
	m->nnodes = 0;
	if (mixed)      /* most maps: no slot to split, no 2 KiB to search twice */
		build_nodes(m, &e, &asks);
	if (m->scan)
		uniform_depth(m);
	clear_unused(m, &dirty);
	return MTRR_OK;
}
