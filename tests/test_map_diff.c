/*
 * test_map_diff.c — where two maps differ (libmtrr/map_diff.c):
 * mtrr_map_diff (exact, unbounded) and mtrr_map_diff_cover (bounded).
 *
 *   - Brute force at MAXPHYADDR 32 (and 33 against 32): the type of every
 *     4 KiB page of both states (test_brute.h, checked against
 *     mtrr_ref_lookup), the exact maximal ranges where they differ with b's
 *     type or MIXED, and from them the exact expected cover for capacities
 *     1, 2, 3, 5 and 64.  States: random legal states of every kind (run and
 *     scan form maps in all four combinations, fixed ranges on and off, E
 *     off, every default type), pairs that differ by one WRMSR (the
 *     hypervisor's case) and pairs that differ by several.
 *   - Hand-made cases where brute force is impossible (MAXPHYADDR 36, 52):
 *     PHYSMASK0 = 0x1800 written over a desktop layout, complementary masks
 *     against one whole-space pair, maps of different widths.
 *   - Identical maps, NULL arguments, capacity 0.
 *
 * mtrr_map_diff walks both maps run by run (its documented cost), so it is
 * compared only where that walk is short; mtrr_map_diff_cover always.
 *
 * MTRR_PROP_SEED reseeds the random part, MTRR_DIFF_PAIRS sets its size.
 */
#include "test_brute.h"

#define PAIRS_DEFAULT 120
#define WINDOW 1024             /* consecutive pages of each table vs the reference */
#define DIFF_FULL_MAX 8192      /* mtrr_map_diff compared in full up to this count */
#define WALK_MAX 20000          /* ... and when both maps have at most this many runs */
#define KEEP 64                 /* expected ranges kept (the largest capacity) */

static const size_t capacities[] = { 1, 2, 3, 5, KEEP };

static uint8_t g_ta[BR_MAX_PAGES], g_tb[BR_MAX_PAGES];
static uint32_t g_nca[BR_MAX_PAGES], g_ncb[BR_MAX_PAGES];
static struct mtrr_range g_want[DIFF_FULL_MAX];
static struct mtrr_range g_got[DIFF_FULL_MAX + 4];

/* The context printed with a failure. */
struct ctx {
	const char *what;
	uint64_t seed;
	unsigned index;
	const struct mtrr_state *a, *b;
};

static void
ctx_fail(const struct ctx *c, const char *file, int line)
{
	print_error("  (%s, seed %#" PRIx64 ", pair %u)\n  state a:\n", c->what, c->seed, c->index);
	br_dump(c->a);
	print_error("  state b:\n");
	br_dump(c->b);
	_fail(file, line);
}

#define CTX_FAIL(c, ...) do { print_error(__VA_ARGS__); ctx_fail((c), __FILE__, __LINE__); } \
	while (0)

static void
build(struct mtrr_map *m, const struct mtrr_state *s)
{
	assert_int_equal(mtrr_map_build(m, s), MTRR_OK);
}

static bool
same_range(const struct mtrr_range *x, const struct mtrr_range *y)
{
	return x->start == y->start && x->end == y->end && x->type == y->type;
}

static void
print_range(const char *label, size_t i, const struct mtrr_range *r)
{
	print_error("  %s[%zu] = [%#" PRIx64 ", %#" PRIx64 ") %s\n", label, i, r->start, r->end,
		    mtrr_type_str(r->type));
}

/*
 * The brute-force diff of the page tables ta, tb (`pages` pages): the count of
 * maximal ranges where they differ; the first `keep` in out[], each with b's
 * type over it or MIXED (ncb: br_next_change of tb); the end of the last.
 */
static size_t
brute_diff(const uint8_t *ta, const uint8_t *tb, const uint32_t *ncb, unsigned pages,
	   struct mtrr_range *out, size_t keep, uint64_t *last_end)
{
	size_t n = 0;
	unsigned p = 0, q;

	*last_end = 0;
	while (p < pages) {
		if (ta[p] == tb[p]) {
			p++;
			continue;
		}
		for (q = p + 1; q < pages && ta[q] != tb[q]; q++)
			;
		if (n < keep) {
			out[n].start = (uint64_t)p << 12;
			out[n].end = (uint64_t)q << 12;
			out[n].type = br_uniform(tb, ncb, p, q);
		}
		n++;
		*last_end = (uint64_t)q << 12;
		p = q;
	}
	return n;
}

struct totals {
	unsigned pairs, forms[4], identical, exact_skipped, full_checks;
	size_t most_ranges;
};

/*
 * mtrr_map_diff and mtrr_map_diff_cover of map ma (state c->a, page table
 * ta) to mb (c->b, tb; ncb its br_next_change) against brute force.
 * `walk_ok`: both maps have few enough runs for mtrr_map_diff's walk.
 */
static void
check_direction(const struct ctx *c, const struct mtrr_map *ma, const struct mtrr_map *mb,
		const uint8_t *ta, const uint8_t *tb, const uint32_t *ncb, unsigned pages,
		bool walk_ok, struct totals *tot)
{
	uint64_t last_end;
	size_t count, n, i, cap;
	unsigned k;

	count = brute_diff(ta, tb, ncb, pages, g_want, DIFF_FULL_MAX, &last_end);
	if (count > tot->most_ranges)
		tot->most_ranges = count;
	tot->identical += count == 0;

	/*
	 * mtrr_map_diff: the full count, every range exact, nothing past
	 * capacity.  It walks both maps run by run (that is its documented
	 * cost), so only where that walk is short.
	 */
	if (count <= DIFF_FULL_MAX && walk_ok) {
		n = mtrr_map_diff(ma, mb, g_got, DIFF_FULL_MAX);
		if (n != count)
			CTX_FAIL(c, "mtrr_map_diff counts %zu ranges, brute force %zu\n", n, count);
		for (i = 0; i < n; i++)
			if (!same_range(&g_got[i], &g_want[i])) {
				print_range("mtrr_map_diff", i, &g_got[i]);
				print_range("brute force", i, &g_want[i]);
				CTX_FAIL(c, "mtrr_map_diff range %zu of %zu differs\n", i, n);
			}
		if (count > 3) {
			memset(g_got, 0xA5, 5 * sizeof(g_got[0]));
			if (mtrr_map_diff(ma, mb, g_got, 3) != count || g_got[3].start !=
			    0xA5A5A5A5A5A5A5A5ull || !same_range(&g_got[2], &g_want[2]))
				CTX_FAIL(c, "mtrr_map_diff with capacity 3 of %zu\n", count);
		}
	} else {
		tot->exact_skipped++;
	}

	/* mtrr_map_diff_cover at each capacity. */
	for (k = 0; k < sizeof(capacities) / sizeof(capacities[0]); k++) {
		struct mtrr_range want_last;
		size_t want_n;

		cap = capacities[k];
		memset(g_got, 0xA5, (cap + 2) * sizeof(g_got[0]));
		n = mtrr_map_diff_cover(ma, mb, g_got, cap);
		want_n = count < cap ? count : cap;
		if (n != want_n)
			CTX_FAIL(c, "mtrr_map_diff_cover capacity %zu: %zu ranges, want %zu "
				 "(exact count %zu)\n", cap, n, want_n, count);
		if (g_got[cap].start != 0xA5A5A5A5A5A5A5A5ull || g_got[cap].type != 0xA5)
			CTX_FAIL(c, "mtrr_map_diff_cover capacity %zu wrote past it\n", cap);
		for (i = 0; i < n; i++) {
			const struct mtrr_range *want = &g_want[i];
			if (count > cap && i == cap - 1) {
				want_last.start = g_want[i].start;
				want_last.end = last_end;
				want_last.type = br_uniform(tb, ncb, want_last.start >> 12,
							    last_end >> 12);
				want = &want_last;
			}
			if (!same_range(&g_got[i], want)) {
				print_range("cover", i, &g_got[i]);
				print_range("want", i, want);
				CTX_FAIL(c, "mtrr_map_diff_cover capacity %zu: range %zu of %zu "
					 "wrong (exact count %zu)\n", cap, i, n, count);
			}
		}
	}
}

/* The runs of a page table (from its br_next_change): mtrr_map_diff walks as many. */
static unsigned
runs(const uint32_t *nc, unsigned pages)
{
	unsigned n = 0, p;

	for (p = 0; p < pages; p = nc[p])
		n++;
	return n;
}

/*
 * Both directions (a to b, b to a) of maps ma, mb of states c->a, c->b
 * against their brute-force page tables; `every_page`: the tables are
 * checked against mtrr_ref_lookup on every page, else on a window.
 */
static void
check_pair(const struct ctx *c, const struct mtrr_map *ma, const struct mtrr_map *mb,
	   uint64_t *x, bool every_page, struct totals *tot)
{
	unsigned pb = c->a->caps.phys_bits > c->b->caps.phys_bits ? c->a->caps.phys_bits :
		      c->b->caps.phys_bits;
	unsigned pages = 1u << (pb - 12);
	struct ctx back = { c->what, c->seed, c->index, c->b, c->a };
	bool walk_ok;

	br_table(c->a, g_ta, pages, false);
	br_table(c->b, g_tb, pages, false);
	br_table_check(x, c->a, g_ta, pages, every_page ? pages : WINDOW, 256);
	br_table_check(x, c->b, g_tb, pages, every_page ? pages : WINDOW, 256);
	tot->full_checks += every_page;
	br_next_change(g_ta, g_nca, pages);
	br_next_change(g_tb, g_ncb, pages);
	walk_ok = runs(g_nca, pages) + runs(g_ncb, pages) <= WALK_MAX;
	check_direction(c, ma, mb, g_ta, g_tb, g_ncb, pages, walk_ok, tot);
	check_direction(&back, mb, ma, g_tb, g_ta, g_nca, pages, walk_ok, tot);
}

static unsigned
form(const struct mtrr_map *ma, const struct mtrr_map *mb)
{
	return (unsigned)ma->scan * 2u + mb->scan;
}

static const char *const form_names[4] = { "run/run", "run/scan", "scan/run", "scan/scan" };

/*
 * A style that most likely compiles to the given form: run form needs at
 * most 79 blocks, so few pairs with few holes; scan form gets masks with
 * many holes or the adversarial shapes.
 */
static struct br_style
style_for(uint64_t *x, unsigned pb, bool scan)
{
	struct br_style st = br_style_random(x, pb);

	if (scan) {
		st.holes_pct = 30 + (unsigned)br_below(x, 70);
		st.max_holes = 7 + (unsigned)br_below(x, 12);
		if (st.vcnt < 2)
			st.vcnt = 2 + (unsigned)br_below(x, 39);
		st.enable = br_chance(x, 97);
	} else {
		st.holes_pct = br_chance(x, 50) ? 0 : 25;
		st.max_holes = 2;
		st.adversarial = false;
		if (st.vcnt > 12)
			st.vcnt = 12;
	}
	return st;
}

/*
 * Random pairs: state a (run form for even i, mostly scan form for odd i),
 * then b from it by one WRMSR (half the pairs), by 2..12 WRMSRs, or with
 * every register replaced by a fresh state's of either form.  Every pair is
 * compared with brute force, both ways round.
 */
static void
test_random_pairs(void **unused)
{
	static struct mtrr_state a, b, fresh;
	static struct mtrr_map ma, mb;
	uint64_t seed = br_seed("map_diff random pairs", 0x646966667ull), x;
	unsigned long pairs = br_env("MTRR_DIFF_PAIRS", PAIRS_DEFAULT);
	struct totals tot;
	unsigned i, k, writes = 0;

	(void)unused;
	memset(&tot, 0, sizeof(tot));
	for (i = 0; i < pairs; i++) {
		struct ctx c = { "random pair", seed, i, &a, &b };
		bool scan_a = i % 2 == 1, scan_b;
		struct br_style st;
		unsigned how;

		x = br_stream(seed, i);
		st = style_for(&x, 32, scan_a);
		br_random_state(&x, &a, &st);
		memcpy(&b, &a, sizeof(b));
		how = (unsigned)br_below(&x, 8);
		if (how < 4) {
			br_one_write(&x, &b, &st);
			writes++;
		} else if (how < 7) {
			for (k = 2 + (unsigned)br_below(&x, 11); k > 0; k--)
				br_one_write(&x, &b, &st);
		} else {
			/* same caps, other registers: replay a fresh state's writes */
			scan_b = br_chance(&x, 50);
			st = style_for(&x, 32, scan_b);
			st.wc = a.caps.wc;
			br_random_state(&x, &fresh, &st);
			for (k = 0; k < MTRR_FIXED_MSRS && a.caps.fixed; k++)
				BR_WR(&b, br_fixed_msr[k], fresh.caps.fixed ? fresh.fixed[k] : 0);
			for (k = 0; k < a.caps.vcnt; k++) {
				uint64_t base = k < fresh.caps.vcnt ? fresh.var[k].base : 0;
				uint64_t mask = k < fresh.caps.vcnt ? fresh.var[k].mask : 0;
				BR_WR(&b, MTRR_MSR_PHYSBASE(k), base);
				BR_WR(&b, MTRR_MSR_PHYSMASK(k), mask);
			}
			BR_WR(&b, MTRR_MSR_DEF_TYPE, fresh.def_type);
		}
		build(&ma, &a);
		build(&mb, &b);
		tot.forms[form(&ma, &mb)]++;
		check_pair(&c, &ma, &mb, &x, i == 0, &tot);
		tot.pairs++;
	}
	print_message("map_diff: %u pairs (%u by one WRMSR), forms a/b: %s %u, %s %u, %s %u, "
		      "%s %u; %u directions identical; most exact ranges %zu; exact diff "
		      "skipped (over %d ranges or %d runs) %u times; %u tables checked on every page\n",
		      tot.pairs, writes, form_names[0], tot.forms[0], form_names[1], tot.forms[1],
		      form_names[2], tot.forms[2], form_names[3], tot.forms[3], tot.identical,
		      tot.most_ranges, DIFF_FULL_MAX, WALK_MAX, tot.exact_skipped, tot.full_checks);
	/* Every combination of forms must have been exercised. */
	for (k = 0; k < 4; k++)
		assert_true(tot.forms[k] >= pairs / 40);
	assert_true(tot.identical >= 1);
	/* The exact diff must have run on at least half of the 2 * pairs directions. */
	assert_true(tot.exact_skipped <= pairs);
}

/*
 * Maps of MAXPHYADDR 32 and 33 from the same registers (the 33-bit one
 * repeats the low 4 GiB above it), then one side changed: brute force over
 * 2^21 pages, the 32-bit map INVALID above 4 GiB.
 */
static void
test_random_widths(void **unused)
{
	static struct mtrr_state a, b;
	static struct mtrr_map ma, mb;
	uint64_t seed = br_seed("map_diff widths", 0x77696474ull), x;
	struct totals tot;
	unsigned i, k;

	(void)unused;
	memset(&tot, 0, sizeof(tot));
	for (i = 0; i < 24; i++) {
		struct ctx c = { "32 against 33 bits", seed, i, &a, &b };
		struct br_style st;

		x = br_stream(seed, i);
		st = style_for(&x, 32, i % 2 == 1);
		br_random_state(&x, &a, &st);
		br_init(&b, a.caps.vcnt, 33, a.caps.fixed, a.caps.wc, a.caps.overlap);
		for (k = 0; k < MTRR_FIXED_MSRS && a.caps.fixed; k++)
			BR_WR(&b, br_fixed_msr[k], a.fixed[k]);
		for (k = 0; k < a.caps.vcnt; k++) {
			BR_WR(&b, MTRR_MSR_PHYSBASE(k), a.var[k].base);
			BR_WR(&b, MTRR_MSR_PHYSMASK(k), a.var[k].mask);
		}
		BR_WR(&b, MTRR_MSR_DEF_TYPE, a.def_type);
		st.phys_bits = 33;
		if (i % 3 != 0)
			br_one_write(&x, &b, &st);
		build(&ma, &a);
		build(&mb, &b);
		check_pair(&c, &ma, &mb, &x, false, &tot);
	}
	/* Never identical: the upper 4 GiB exist on one side only. */
	assert_int_equal(tot.identical, 0);
}

/* ------------------------------------------------------------------------ */
/* Hand-made cases                                                          */
/* ------------------------------------------------------------------------ */

/*
 * A desktop layout: fixed ranges (WB RAM, UC VGA hole, WP option ROMs, UC,
 * WP BIOS), WB [0, 2 GiB), WB [2, 3 GiB), WB [4, 8 GiB), WC frame buffer
 * [3.5 GiB, 3.75 GiB), default UC.
 */
static void
desktop(struct mtrr_state *s, unsigned pb)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(pb);
	unsigned k;

	br_init(s, 8, pb, true, true, MTRR_OVERLAP_UC);
	BR_WR(s, MTRR_MSR_FIX64K_00000, 0x0606060606060606ull);
	BR_WR(s, MTRR_MSR_FIX16K_80000, 0x0606060606060606ull);
	BR_WR(s, MTRR_MSR_FIX16K_A0000, 0);
	BR_WR(s, MTRR_MSR_FIX4K_C0000, 0x0505050505050505ull);
	for (k = 4; k < 9; k++)
		BR_WR(s, br_fixed_msr[k], 0);
	BR_WR(s, MTRR_MSR_FIX4K_F0000, 0x0505050505050505ull);
	BR_WR(s, MTRR_MSR_FIX4K_F8000, 0x0505050505050505ull);
	BR_WR(s, MTRR_MSR_PHYSBASE(0), 0 | MTRR_TYPE_WB);
	BR_WR(s, MTRR_MSR_PHYSMASK(0), (phys & ~(2 * BR_GIB - 1)) | MTRR_PHYSMASK_V);
	BR_WR(s, MTRR_MSR_PHYSBASE(1), 2 * BR_GIB | MTRR_TYPE_WB);
	BR_WR(s, MTRR_MSR_PHYSMASK(1), (phys & ~(BR_GIB - 1)) | MTRR_PHYSMASK_V);
	BR_WR(s, MTRR_MSR_PHYSBASE(2), 4 * BR_GIB | MTRR_TYPE_WB);
	BR_WR(s, MTRR_MSR_PHYSMASK(2), (phys & ~(4 * BR_GIB - 1)) | MTRR_PHYSMASK_V);
	BR_WR(s, MTRR_MSR_PHYSBASE(3), 0xE0000000ull | MTRR_TYPE_WC);
	BR_WR(s, MTRR_MSR_PHYSMASK(3), (phys & ~(256 * BR_MIB - 1)) | MTRR_PHYSMASK_V);
	BR_WR(s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_UC);
}

/* Is addr inside one of the n sorted ranges? */
static bool
covered(const struct mtrr_range *r, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && r[lo].start <= addr;
}

/*
 * Every address where the two states differ (by mtrr_ref_lookup) at `samples`
 * random addresses, biased to the low 16 GiB and the first MiBs, lies in
 * the cover; the cover is sorted, disjoint and non-empty.
 */
static void
spot_check_cover(const struct ctx *c, const struct mtrr_range *r, size_t n, uint64_t *x,
		 unsigned samples, unsigned *differing)
{
	uint64_t limit = 1ull << (c->a->caps.phys_bits > c->b->caps.phys_bits ?
				  c->a->caps.phys_bits : c->b->caps.phys_bits);
	unsigned i;
	size_t k;

	for (k = 0; k < n; k++)
		if (r[k].start >= r[k].end || (k > 0 && r[k - 1].end > r[k].start) ||
		    r[k].end > limit)
			CTX_FAIL(c, "cover range %zu [%#" PRIx64 ", %#" PRIx64 ") is empty, out of "
				 "order or beyond the limit\n", k, r[k].start, r[k].end);
	for (i = 0; i < samples; i++) {
		uint64_t addr;
		switch (i % 4) {
		case 0: addr = br_below(x, limit); break;
		case 1: addr = br_below(x, limit < 16 * BR_GIB ? limit : 16 * BR_GIB); break;
		case 2: addr = br_below(x, 8 * BR_MIB); break;
		default: addr = limit - 1 - br_below(x, 64 * BR_MIB); break;
		}
		if (mtrr_ref_lookup(c->a, addr) == mtrr_ref_lookup(c->b, addr))
			continue;
		++*differing;
		if (!covered(r, n, addr))
			CTX_FAIL(c, "%#" PRIx64 " differs (%s -> %s) but is outside the cover of "
				 "%zu ranges\n", addr, mtrr_type_str(mtrr_ref_lookup(c->a, addr)),
				 mtrr_type_str(mtrr_ref_lookup(c->b, addr)), n);
	}
}

/*
 * PHYSMASK0 = 0x1800 (V, and bit 12 only) over the desktop layout: pair 0
 * now matches every even page of the whole space.  Worked out by hand:
 *   [1 MiB, 2 GiB)       odd pages lose WB: UC (even pages stay WB);
 *   [2 GiB, 3 GiB)       pair 1 WB: no change;
 *   [3 GiB, 3.5 GiB)     even pages UC -> WB;
 *   [3.5 GiB, 3.75 GiB)  even pages WC -> {WC, WB} undefined: UC;
 *   [3.75 GiB, 4 GiB)    even pages UC -> WB;
 *   [4 GiB, 8 GiB)       pair 2 WB: no change;
 *   [8 GiB, limit)       even pages UC -> WB.
 * So the differences are single pages: the first [1 MiB + 4 KiB, + 4 KiB)
 * UC, the next ones every 8 KiB, the last [limit - 8 KiB, limit - 4 KiB).
 * A cover of capacity c: c - 1 odd pages from 1 MiB + 4 KiB, then one range
 * from the c-th odd page to limit - 4 KiB, MIXED in b (UC and WB pages).
 */
static void
test_mask_0x1800_on_desktop(void **unused)
{
	static const unsigned widths[] = { 36, 52 };
	static const size_t caps[] = { 1, 2, 3, 5, 64, 256 };
	static struct mtrr_state a, b;
	static struct mtrr_map ma, mb;
	static struct mtrr_range r[258];
	uint64_t x = br_seed("map_diff 0x1800", 0x1800);
	unsigned w, k, differing = 0;
	size_t n, i;

	(void)unused;
	for (w = 0; w < 2; w++) {
		uint64_t limit = 1ull << widths[w];
		struct ctx c = { "PHYSMASK0 = 0x1800 on a desktop", 0x1800, widths[w], &a, &b };

		desktop(&a, widths[w]);
		memcpy(&b, &a, sizeof(b));
		BR_WR(&b, MTRR_MSR_PHYSMASK(0), 0x1800);
		build(&ma, &a);
		build(&mb, &b);
		assert_int_equal(ma.scan, 0);
		assert_int_equal(mb.scan, 1);
		/* The layout itself, by the reference, at the corners the comment names. */
		assert_int_equal(mtrr_ref_lookup(&b, BR_MIB + 0x1000), MTRR_TYPE_UC);
		assert_int_equal(mtrr_ref_lookup(&a, BR_MIB + 0x1000), MTRR_TYPE_WB);
		assert_int_equal(mtrr_ref_lookup(&b, 0xE0000000ull), MTRR_TYPE_UC);
		assert_int_equal(mtrr_ref_lookup(&b, limit - 0x2000), MTRR_TYPE_WB);
		assert_int_equal(mtrr_ref_lookup(&a, limit - 0x2000), MTRR_TYPE_UC);

		for (k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
			size_t cap = caps[k];
			memset(r, 0xA5, sizeof(r));
			n = mtrr_map_diff_cover(&ma, &mb, r, cap);
			if (n != cap || r[cap].type != 0xA5)
				CTX_FAIL(&c, "capacity %zu: %zu ranges written\n", cap, n);
			for (i = 0; i + 1 < cap; i++)
				if (r[i].start != BR_MIB + 0x1000 + 0x2000 * i ||
				    r[i].end != r[i].start + 0x1000 || r[i].type != MTRR_TYPE_UC) {
					print_range("cover", i, &r[i]);
					CTX_FAIL(&c, "capacity %zu: range %zu is not odd page %zu above "
						 "1 MiB, UC\n", cap, i, i);
				}
			if (r[cap - 1].start != BR_MIB + 0x1000 + 0x2000 * (cap - 1) ||
			    r[cap - 1].end != limit - 0x1000 || r[cap - 1].type != MTRR_TYPE_MIXED) {
				print_range("cover", cap - 1, &r[cap - 1]);
				CTX_FAIL(&c, "capacity %zu: the last range is not [odd page %zu, "
					 "limit - 4 KiB) MIXED\n", cap, cap - 1);
			}
			spot_check_cover(&c, r, n, &x, 3000, &differing);
		}
		/* The other way round: a's types, the same places. */
		c.a = &b;
		c.b = &a;
		n = mtrr_map_diff_cover(&mb, &ma, r, 3);
		assert_int_equal(n, 3);
		assert_int_equal(r[0].start, BR_MIB + 0x1000);
		assert_int_equal(r[0].end, BR_MIB + 0x2000);
		assert_int_equal(r[0].type, MTRR_TYPE_WB);
		assert_int_equal(r[2].end, limit - 0x1000);
		assert_int_equal(r[2].type, MTRR_TYPE_MIXED);
		spot_check_cover(&c, r, n, &x, 3000, &differing);
	}
	/* The samples must have met differences, or the spot check proved nothing. */
	assert_true(differing > 1000);
}

#define WALK_SHORT 4096

/* The lookup_next steps from 0 to the limit, counting no further than max + 1. */
static unsigned
walk_steps(const struct mtrr_map *m, unsigned max)
{
	uint64_t a = 0, next;
	unsigned steps = 0;

	for (; a < (1ull << 52) && steps <= max; a = next, steps++)
		if (mtrr_map_lookup_next(m, a, &next) == MTRR_TYPE_INVALID)
			break;
	return steps;
}

/*
 * Pairs 0 and 1 of one type with complementary masks (even and odd pages, or
 * one bit higher up) against one whole-space pair of that type: different
 * registers, different map forms, the same type at every address.  Nothing
 * differs: the cover is empty and so is the exact diff.
 */
static void
test_complementary_vs_whole(void **unused)
{
	static const unsigned widths[] = { 32, 36, 46, 52 };
	static const uint64_t bits[] = { 0x1000, 0x100000, 0x80000000ull };
	static struct mtrr_state a, b;
	static struct mtrr_map ma, mb;
	struct mtrr_range r[4];
	unsigned w, k, t, long_walks = 0;

	(void)unused;
	for (w = 0; w < 4; w++) {
		for (k = 0; k < 3; k++) {
			for (t = 0; t < 2; t++) {
				uint8_t type = t ? MTRR_TYPE_WB : MTRR_TYPE_WT;
				struct ctx c = { "complementary masks", 0, widths[w] * 10 + k, &a, &b };
				uint64_t phys = MTRR_PHYS_ADDR_MASK(widths[w]);
				uint8_t want;

				br_init(&a, 4, widths[w], true, true, MTRR_OVERLAP_UC);
				BR_WR(&a, MTRR_MSR_PHYSBASE(0), type);
				BR_WR(&a, MTRR_MSR_PHYSMASK(0), bits[k] | MTRR_PHYSMASK_V);
				BR_WR(&a, MTRR_MSR_PHYSBASE(1), bits[k] | type);
				BR_WR(&a, MTRR_MSR_PHYSMASK(1), bits[k] | MTRR_PHYSMASK_V);
				/* and a UC block at [2, 4 MiB) both have: not one run */
				BR_WR(&a, MTRR_MSR_PHYSBASE(2), 2 * BR_MIB | MTRR_TYPE_UC);
				BR_WR(&a, MTRR_MSR_PHYSMASK(2), (phys & ~(2 * BR_MIB - 1)) |
				      MTRR_PHYSMASK_V);
				BR_WR(&a, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_UC);
				memcpy(&b, &a, sizeof(b));
				BR_WR(&b, MTRR_MSR_PHYSMASK(0), MTRR_PHYSMASK_V);
				BR_WR(&b, MTRR_MSR_PHYSMASK(1), 0);
				build(&ma, &a);
				build(&mb, &b);
				assert_int_equal(ma.scan, k == 2 && widths[w] <= 36 ? 0 : 1);
				if (mtrr_map_diff_cover(&ma, &mb, r, 4) != 0 ||
				    mtrr_map_diff_cover(&mb, &ma, r, 1) != 0)
					CTX_FAIL(&c, "cover of maps that agree everywhere is not empty: "
						 "[%#" PRIx64 ", %#" PRIx64 ") %s\n", r[0].start,
						 r[0].end, mtrr_type_str(r[0].type));
				/*
				 * mtrr_map_diff walks lookup_next: only where that walk
				 * is short (a has 3 runs, but budget stops may cut
				 * them into many steps: counted and printed).
				 */
				if (walk_steps(&ma, WALK_SHORT) > WALK_SHORT) {
					long_walks++;
				} else if (mtrr_map_diff(&ma, &mb, r, 4) != 0 ||
					   mtrr_map_diff(&mb, &ma, r, 4) != 0) {
					CTX_FAIL(&c, "mtrr_map_diff of maps that agree everywhere is "
						 "not empty\n");
				}
				/*
				 * b keeps only the side of pair 0: the other side is UC
				 * there (but in the UC block), to the end of the space;
				 * b's type over that is UC and `type` (MIXED), except
				 * for [2, 4 GiB) at MAXPHYADDR 32, all UC.
				 */
				BR_WR(&b, MTRR_MSR_PHYSMASK(0), bits[k] | MTRR_PHYSMASK_V);
				build(&mb, &b);
				want = k == 2 && widths[w] == 32 ? MTRR_TYPE_UC : MTRR_TYPE_MIXED;
				if (mtrr_map_diff_cover(&ma, &mb, r, 1) != 1 || r[0].start != bits[k] ||
				    r[0].end != 1ull << widths[w] || r[0].type != want)
					CTX_FAIL(&c, "pair 1 dropped: cover [%#" PRIx64 ", %#" PRIx64
						 ") %s, want [%#" PRIx64 ", limit) %s\n", r[0].start,
						 r[0].end, mtrr_type_str(r[0].type), bits[k],
						 mtrr_type_str(want));
			}
		}
	}
	if (long_walks)
		print_message("map_diff complementary: %u of 24 maps of 3 runs take over %u "
			      "lookup_next steps to walk: mtrr_map_diff not run on them\n",
			      long_walks, WALK_SHORT);
}

/*
 * Identical maps: one map against itself, a state built into two maps, and a
 * state against the same pairs written in the reverse order.
 */
static void
test_identical(void **unused)
{
	static struct mtrr_state a, b;
	static struct mtrr_map ma, mb;
	struct mtrr_range r[4];
	uint64_t seed = br_seed("map_diff identical", 0x1de7ull), x;
	unsigned i, k, scan = 0;

	(void)unused;
	for (i = 0; i < 40; i++) {
		struct ctx c = { "identical", seed, i, &a, &b };
		struct br_style st;
		unsigned pb = i % 4 == 0 ? 32 : 32 + (unsigned)(i % 21);

		x = br_stream(seed, i);
		st = style_for(&x, pb, i % 2 == 1);
		br_random_state(&x, &a, &st);
		br_init(&b, a.caps.vcnt, pb, a.caps.fixed, a.caps.wc, a.caps.overlap);
		for (k = 0; k < MTRR_FIXED_MSRS && a.caps.fixed; k++)
			BR_WR(&b, br_fixed_msr[k], a.fixed[k]);
		for (k = 0; k < a.caps.vcnt; k++) {
			unsigned from = a.caps.vcnt - 1 - k;
			BR_WR(&b, MTRR_MSR_PHYSBASE(k), a.var[from].base);
			BR_WR(&b, MTRR_MSR_PHYSMASK(k), a.var[from].mask);
		}
		BR_WR(&b, MTRR_MSR_DEF_TYPE, a.def_type);
		build(&ma, &a);
		build(&mb, &b);
		scan += ma.scan;
		if (mtrr_map_diff_cover(&ma, &ma, r, 4) != 0 ||
		    (!ma.scan && mtrr_map_diff(&ma, &ma, r, 4) != 0))
			CTX_FAIL(&c, "a map differs from itself\n");
		if (mtrr_map_diff_cover(&ma, &mb, r, 4) != 0 || mtrr_map_diff_cover(&mb, &ma, r, 1))
			CTX_FAIL(&c, "a state and its reversed pairs differ in the cover\n");
		if (!ma.scan && mtrr_map_diff(&ma, &mb, r, 4) != 0)
			CTX_FAIL(&c, "a state and its reversed pairs differ\n");
		build(&mb, &a);
		if (mtrr_map_diff_cover(&ma, &mb, r, 4) != 0 || memcmp(&ma, &mb, sizeof(ma)) != 0)
			CTX_FAIL(&c, "one state built twice differs\n");
	}
	assert_true(scan >= 10);
}

/*
 * MAXPHYADDR 36 against 52 (empty states, and the desktop layout): what
 * only the wider map has counts as different, typed INVALID when b is the
 * narrower one.
 */
static void
test_widths(void **unused)
{
	static struct mtrr_state a, b;
	static struct mtrr_map ma, mb;
	struct mtrr_range r[4];

	(void)unused;
	br_init(&a, 8, 36, true, true, MTRR_OVERLAP_UC);
	br_init(&b, 8, 52, true, true, MTRR_OVERLAP_UC);
	build(&ma, &a);
	build(&mb, &b);
	assert_int_equal(mtrr_map_diff_cover(&ma, &mb, r, 4), 1);
	assert_int_equal(r[0].start, 1ull << 36);
	assert_int_equal(r[0].end, 1ull << 52);
	assert_int_equal(r[0].type, MTRR_TYPE_UC);
	assert_int_equal(mtrr_map_diff(&ma, &mb, r, 4), 1);
	assert_int_equal(r[0].type, MTRR_TYPE_UC);
	assert_int_equal(mtrr_map_diff_cover(&mb, &ma, r, 4), 1);
	assert_int_equal(r[0].start, 1ull << 36);
	assert_int_equal(r[0].end, 1ull << 52);
	assert_int_equal(r[0].type, MTRR_TYPE_INVALID);

	/* The desktop at 36 against the even-page desktop at 52: b WB/UC, then INVALID. */
	desktop(&a, 36);
	desktop(&b, 52);
	BR_WR(&b, MTRR_MSR_PHYSMASK(0), 0x1800);
	build(&ma, &a);
	build(&mb, &b);
	assert_int_equal(mtrr_map_diff_cover(&ma, &mb, r, 2), 2);
	assert_int_equal(r[0].start, BR_MIB + 0x1000);
	assert_int_equal(r[0].end, BR_MIB + 0x2000);
	assert_int_equal(r[1].start, BR_MIB + 0x3000);
	assert_int_equal(r[1].end, 1ull << 52);         /* all of [2^36, 2^52) differs */
	assert_int_equal(r[1].type, MTRR_TYPE_MIXED);
	assert_int_equal(mtrr_map_diff_cover(&mb, &ma, r, 2), 2);
	assert_int_equal(r[0].type, MTRR_TYPE_WB);
	assert_int_equal(r[1].end, 1ull << 52);
	assert_int_equal(r[1].type, MTRR_TYPE_MIXED);   /* WB, UC, then INVALID */
	assert_int_equal(mtrr_map_diff_cover(&mb, &ma, r, 1), 1);
	assert_int_equal(r[0].start, BR_MIB + 0x1000);
	assert_int_equal(r[0].end, 1ull << 52);
}

/* NULL maps, a NULL buffer, capacity 0: 0, and nothing written. */
static void
test_null_and_zero(void **unused)
{
	static struct mtrr_state a, b;
	static struct mtrr_map ma, mb;
	struct mtrr_range r[2];

	(void)unused;
	desktop(&a, 36);
	memcpy(&b, &a, sizeof(b));
	BR_WR(&b, MTRR_MSR_PHYSMASK(0), 0x1800);
	build(&ma, &a);
	build(&mb, &b);
	memset(r, 0xA5, sizeof(r));
	assert_int_equal(mtrr_map_diff_cover(NULL, &mb, r, 2), 0);
	assert_int_equal(mtrr_map_diff_cover(&ma, NULL, r, 2), 0);
	assert_int_equal(mtrr_map_diff_cover(NULL, NULL, r, 2), 0);
	assert_int_equal(mtrr_map_diff_cover(&ma, &mb, NULL, 2), 0);
	assert_int_equal(mtrr_map_diff_cover(&ma, &mb, r, 0), 0);
	assert_int_equal(mtrr_map_diff(NULL, &mb, r, 2), 0);
	assert_int_equal(mtrr_map_diff(&ma, NULL, r, 2), 0);
	assert_int_equal(r[0].start, 0xA5A5A5A5A5A5A5A5ull);
	assert_int_equal(r[0].type, 0xA5);
	/* The same maps answer when the arguments are there. */
	assert_int_equal(mtrr_map_diff_cover(&ma, &mb, r, 2), 2);
	/* mtrr_map_diff with no buffer: the full count of a run-form pair. */
	desktop(&b, 36);
	BR_WR(&b, MTRR_MSR_PHYSMASK(3), 0);     /* the frame buffer goes: UC */
	build(&mb, &b);
	assert_int_equal(mtrr_map_diff(&ma, &mb, NULL, 0), 1);
	assert_int_equal(mtrr_map_diff(&ma, &mb, NULL, 5), 1);
	assert_int_equal(mtrr_map_diff_cover(&ma, &mb, r, 1), 1);
	assert_int_equal(r[0].start, 0xE0000000ull);
	assert_int_equal(r[0].end, 0xF0000000ull);
	assert_int_equal(r[0].type, MTRR_TYPE_UC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_and_zero),
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_complementary_vs_whole),
		cmocka_unit_test(test_mask_0x1800_on_desktop),
		cmocka_unit_test(test_random_widths),
		cmocka_unit_test(test_random_pairs),
	};

	return cmocka_run_group_tests_name("map_diff", tests, NULL, NULL);
}
