/*
 * range_fuzzer.c — mtrr_map_lookup_range and mtrr_map_lookup_next on
 * adversarial states: every pair may get a non-contiguous mask of a chosen
 * shape (alternating bits, a few bits, all but a few bits, a block with
 * holes, random bits, the complement of the previous pair, a single bit),
 * the shapes a hostile guest would write to fragment the map.  The map's
 * range answer is exact (a MIXED for a uniform range is a bug), and it must
 * come back in bounded time whatever the masks: -timeout makes a slow one a
 * finding.
 *
 * Input: a mode byte.  Mode bit 0 clear: a state follows, as below.  Bit 0
 * set: the state is preset (mode >> 1) % RANGE_SHAPES of range_shapes.h (the
 * shapes above at their worst, VCNT 40), whose map is built once per
 * process, and the ranges follow at once.  A map build is most of an
 * input's cost, so presets keep the range queries fast to fuzz while the
 * built states keep the shapes themselves fuzzed; a built state equal to the
 * previous input's reuses its map too.
 *
 * The state:
 *   phys    MAXPHYADDR 32 + byte % 21
 *   flags   bit 0 FIX, bit 1 WC, bit 2 overlap WB, bit 3 DEF_TYPE.FE,
 *           bits 4-7 the default type (fuzz_type)
 *   count   1 + byte % 40 pairs (VCNT is always 40)
 *   per pair: shape byte, type byte (fuzz_type), u64 parameter
 *           shape & 7 picks the mask (see shaped_mask); shape bit 3 clears V;
 *           the base is the parameter mixed and cut to the address bits
 *   then ranges until the end: u64 lo (bit 63 clear: folded into
 *   [0, 2^(phys_bits + 1))), kind byte:
 *           kind % 6: 0 a 4 KiB page, 1 a 2 MiB page, 2 a 1 GiB page (lo
 *           aligned down), 3 [lo, lo + 2^(12 + (kind >> 3) % (phys_bits - 11))),
 *           4 [lo, u64 that follows, folded), 5 the whole space
 *
 * Properties, per range [lo, hi):
 *   - INVALID exactly for an empty range or one beyond the limit;
 *   - at SAMPLES points of the range (both ends, the middle, the rest spread
 *     by a generator seeded from the range), mtrr_map_lookup equals the
 *     oracle; when two of them differ the answer is MIXED; when all agree a
 *     typed answer is their type;
 *   - then check_range (fuzz_map.h): a typed answer agrees with every probe
 *     inside and the first WALK_CAP runs of lookup_next; MIXED must be
 *     confirmed by a probe or one of the first MIXED_CAP runs, a walk that
 *     reaches the end proves it wrong, else it is skipped (too fragmented to
 *     tell within the cap);
 *   - lookup_next from STEPS of the sampled points (the costly call on these
 *     maps): the oracle's type, next on a page boundary in (addr, limit],
 *     the type held up to next - 1 (next may stop early in a scan-form map,
 *     never beyond the change).
 * At most RANGES ranges per input, few lookup_next calls: on these maps a
 * query may spend its whole work budget, so the queries are the cost.
 */
#include <string.h>

#include "fuzz_state.h"
#include "fuzz_map.h"
#include "range_shapes.h"

#define SAMPLES   16    /* oracle points per range */
#define STEPS     1     /* of them, lookup_next starting points */
#define WALK_CAP  1     /* runs walked to check a typed answer */
#define MIXED_CAP 8     /* runs walked to confirm a MIXED one */
#define RANGES    8     /* ranges judged per input */

/* 64-bit mixer (splitmix64's finaliser): spreads a parameter over the bits. */
static uint64_t
mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xBF58476D1CE4E5B9ull;
	x ^= x >> 27;
	x *= 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/* `k` bits at positions 12..phys-1 chosen by the parameter's bytes. */
static uint64_t
few_bits(uint64_t param, unsigned phys_bits, unsigned k)
{
	uint64_t m = 0;
	unsigned i;

	for (i = 0; i < k; i++)
		m |= 1ull << (12u + (unsigned)((param >> (8 * (i + 1))) & 0xFF) % (phys_bits - 12u));
	return m;
}

/*
 * The PHYSMASK address bits of one pair.  `prev_mask`: the previous pair's,
 * for the complement shape (which also changes the base: see the caller).
 */
static uint64_t
shaped_mask(unsigned shape, uint64_t param, unsigned phys_bits, uint64_t prev_mask)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(phys_bits), m;
	unsigned low = 12u + (unsigned)(param >> 56) % (phys_bits - 12u);

	switch (shape & 7u) {
	case 0:         /* alternating bits from `low` up */
		m = (param & 1u) ? 0xAAAAAAAAAAAAAAAAull : 0x5555555555555555ull;
		return m & phys & ~((1ull << low) - 1);
	case 1:         /* one to four bits */
		return few_bits(param, phys_bits, 1u + (unsigned)(param & 3u));
	case 2:         /* all but one to four bits */
		return phys & ~few_bits(param, phys_bits, 1u + (unsigned)(param & 3u));
	case 3:         /* a contiguous block mask with holes above its lowest bit */
		m = phys & ~((1ull << low) - 1);
		return m & ~(few_bits(param, phys_bits, 1u + (unsigned)(param & 3u)) &
			     ~(1ull << low));
	case 4:         /* anything */
		return mix(param) & phys;
	case 5:         /* the previous pair's mask: with a base that complements it */
		return prev_mask;
	case 6:         /* an ordinary power-of-two block */
		return phys & ~((1ull << low) - 1);
	default:        /* one bit: every other block of 2^bit bytes */
		return 1ull << low;
	}
}

static uint64_t
fold(uint64_t raw, uint64_t limit)
{
	return (raw >> 63) ? raw : raw & ((limit << 1) - 1);
}

/* The state: VCNT 40, up to 40 shaped pairs, written through mtrr_wrmsr. */
static void
build(struct fuzz_in *in, struct mtrr_state *s)
{
	struct mtrr_caps c;
	uint64_t phys, prev_mask = 0, prev_base = 0;
	unsigned flags, n, i;

	memset(&c, 0, sizeof(c));
	c.phys_bits = 32u + fuzz_u8(in) % 21u;
	flags = fuzz_u8(in);
	c.vcnt = MTRR_VAR_MAX;
	c.fixed = (flags & 1u) != 0;
	c.wc = (flags & 2u) != 0;
	c.overlap = (flags & 4u) ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
	FUZZ_ASSERT_EQ(mtrr_state_init(s, &c), MTRR_OK);
	phys = MTRR_PHYS_ADDR_MASK(c.phys_bits);
	n = 1u + fuzz_u8(in) % MTRR_VAR_MAX;
	for (i = 0; i < n; i++) {
		unsigned shape = fuzz_u8(in), tsel = fuzz_u8(in);
		uint64_t param = fuzz_u64(in), mask, base;

		mask = shaped_mask(shape, param, c.phys_bits, prev_mask);
		if ((shape & 7u) == 5 && mask != 0)
			/* Flip one compared bit of the previous base: the complement. */
			base = prev_base ^ (mask & (0 - mask));
		else
			base = mix(param ^ 0x9E3779B97F4A7C15ull) & phys;
		(void)mtrr_wrmsr(s, MTRR_MSR_PHYSBASE(i), base | fuzz_type(tsel));
		(void)mtrr_wrmsr(s, MTRR_MSR_PHYSMASK(i),
				 mask | ((shape & 8u) ? 0 : MTRR_PHYSMASK_V));
		prev_mask = mask;
		prev_base = base;
	}
	/* Fixed ranges: a changing type every 4 KiB page of the last MSR. */
	if (c.fixed)
		(void)mtrr_wrmsr(s, MTRR_MSR_FIX4K_F8000, 0x0600040005000600ull);
	(void)mtrr_wrmsr(s, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | fuzz_type(flags >> 4) |
			 ((flags & 8u) ? MTRR_DEF_FE : 0));
}

/* The points of [lo, hi) that get sampled: ends, middle, spread the rest. */
static unsigned
samples(uint64_t lo, uint64_t hi, uint64_t *pt)
{
	uint64_t len = hi - lo, x = mix(lo ^ (hi << 1));
	unsigned n = 0;

	pt[n++] = lo;
	pt[n++] = hi - 1;
	pt[n++] = lo + len / 2;
	while (n < SAMPLES) {
		x = mix(x + n);
		/* Half on page edges, where types change; half anywhere. */
		pt[n] = lo + x % len;
		if ((n & 1u) && (pt[n] & ~0xFFFull) >= lo)
			pt[n] &= ~0xFFFull;
		n++;
	}
	return n;
}

static void
judge(const struct fuzz_probes *p, const struct mtrr_map *m, const struct mtrr_state *s,
      uint64_t lo, uint64_t hi)
{
	uint64_t pt[SAMPLES], limit = fuzz_limit(s), next;
	unsigned n, i;
	uint8_t r, t0;
	int mixed = 0;

	if (hi <= lo || hi > limit) {
		FUZZ_ASSERT_EQ(mtrr_map_lookup_range(m, lo, hi), MTRR_TYPE_INVALID);
		return;
	}
	r = mtrr_map_lookup_range(m, lo, hi);
	n = samples(lo, hi, pt);
	t0 = oracle_lookup(s, pt[0]);
	for (i = 0; i < n; i++) {
		uint8_t t = oracle_lookup(s, pt[i]);

		FUZZ_ASSERT_EQ(mtrr_map_lookup(m, pt[i]), t);
		mixed |= t != t0;
		if (i < STEPS)
			(void)check_step(m, s, pt[(i + 1) % n], &next, 0);
	}
	if (mixed)
		FUZZ_ASSERT_EQ(r, MTRR_TYPE_MIXED);
	else if (r != MTRR_TYPE_MIXED)
		FUZZ_ASSERT_EQ(r, t0);
	(void)check_range(p, 0, m, s, lo, hi, WALK_CAP, MIXED_CAP, FUZZ_PROBES);
}

/* A state, its map and its probes. */
struct mapped {
	struct mtrr_state s;
	struct mtrr_map m;
	struct fuzz_probes probes;
	int ready;
};

static void
map_state(struct mapped *x)
{
	const struct mtrr_state *states[1] = { &x->s };

	FUZZ_ASSERT_EQ(mtrr_map_build(&x->m, &x->s), MTRR_OK);
	x->probes.n = 0;
	probes_add_state(&x->probes, &x->s);
	probes_finish(&x->probes, states, 1);
	check_probes(&x->probes, 0, &x->m, &x->s);
	x->ready = 1;
}

/* Preset i, built on first use. */
static struct mapped *
preset(unsigned i)
{
	static struct mapped p[RANGE_SHAPES];
	uint8_t bytes[3 + 10 * MTRR_VAR_MAX];

	if (!p[i].ready) {
		struct fuzz_in in = fuzz_in_make(bytes, range_shape_bytes(i, bytes));

		build(&in, &p[i].s);
		map_state(&p[i]);
	}
	return &p[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t pages[3] = { 0x1000, 0x200000, 0x40000000 };
	static struct mapped last;
	static struct mtrr_state s;
	struct fuzz_in in = fuzz_in_make(data, size);
	const struct mapped *x;
	uint64_t limit, lo, hi;
	unsigned kind, k, judged = 0, mode = fuzz_u8(&in);

	if (mode & 1u) {
		x = preset((mode >> 1) % (unsigned)RANGE_SHAPES);
	} else {
		build(&in, &s);
		if (!last.ready || memcmp(&s, &last.s, sizeof(s)) != 0) {
			memcpy(&last.s, &s, sizeof(s));
			map_state(&last);
		}
		x = &last;
	}
	limit = fuzz_limit(&x->s);
	judge(&x->probes, &x->m, &x->s, 0, limit);
	while (!fuzz_empty(&in) && judged++ < RANGES) {
		lo = fold(fuzz_u64(&in), limit);
		kind = fuzz_u8(&in);
		switch (kind % 6u) {
		case 0: case 1: case 2:
			lo &= ~(pages[kind % 6u] - 1);
			hi = lo + pages[kind % 6u];
			break;
		case 3:
			k = 12u + (kind >> 3) % (x->s.caps.phys_bits - 11u);
			hi = lo + (1ull << k);
			break;
		case 4:
			hi = fold(fuzz_u64(&in), limit);
			break;
		default:
			lo = 0;
			hi = limit;
			break;
		}
		judge(&x->probes, &x->m, &x->s, lo, hi);
	}
	return 0;
}
