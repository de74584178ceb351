/*
 * diff_cover_fuzzer.c — mtrr_map_diff_cover, the bounded cover a VMM asks
 * for after every accepted WRMSR, against the oracle and mtrr_map_diff.
 *
 * Input (see fuzz_state.h): a legal state A; a mode byte (bit 0: B starts as
 * A's registers on MAXPHYADDR 32 + (mode >> 1) % 21, registers that do not
 * fit left at zero; else B starts as a copy of A); a count byte and count % 8
 * more write ops applied to B; a capacity byte (the fuzzer's capacity,
 * 1 + byte); then addresses as u64 (bit 63 clear: folded into
 * [0, 2^(larger width + 1))).
 *
 * Probes: the addresses, the edges of every valid pair of A and B, the ends
 * of the spaces, with the oracle's type in A and in B.
 *
 * Properties, for diff_cover(A, B) with capacities 1, 2, 3, 64 and the
 * fuzzer's (check_cover in fuzz_map.h):
 *   - at most capacity ranges, nothing written past them; sorted, disjoint,
 *     non-empty, below the larger limit, gaps between them;
 *   - 0 exactly when the maps agree: when any probe differs the count is
 *     positive, and when the exact diff is known (below) its count is 0
 *     exactly when the diff is empty;
 *   - every probed address where the two oracles differ lies in a range;
 *     the ends of every range are addresses where A and B differ, and the
 *     addresses just outside agree (every range is an exact diff range or
 *     the coalescing one, whose ends are exact ends); probes inside the exact
 *     ranges all differ;
 *   - each range's type is B's: mtrr_map_lookup_range(B, start, end) when
 *     end <= B's limit, INVALID beyond it, MIXED across it;
 *   - exactness, on one input in EXACT_ONE_IN (a hash of the input picks
 *     it; every input in the replay build): a lock-step walk of lookup_next
 *     through both maps (at most STEP_CAP steps, the types at each step
 *     checked against the oracle) finds the exact diff when it is small;
 *     when it reaches the end with at most
 *     DIFF_MAX ranges, mtrr_map_diff must return exactly those ranges, and
 *     the cover must equal them when they fit in the capacity, else equal
 *     their first capacity - 1 and end with one range from the capacity-th
 *     start to the last end;
 *   - diff_cover(B, A) obeys the same contract with A's types; diff_cover
 *     of a map with itself is empty.
 */
#include <string.h>

#include "fuzz_state.h"
#include "fuzz_map.h"

#define FUZZ_ADDRS 48
#define STEP_CAP   512  /* lock-step walk: steps before the exact diff is unknown */
#define DIFF_MAX   256  /* the exact diff is used when it has at most this many ranges */
#define EXACT_ONE_IN 4  /* inputs that get the walk: 1 in this (all in replays) */

enum { SA, SB };

/* A's registers on a processor of another MAXPHYADDR, as far as they fit. */
static void
other_width(const struct mtrr_state *a, struct mtrr_state *b, unsigned phys_bits)
{
	uint32_t msrs[MTRR_MSR_LIST_MAX];
	struct mtrr_caps caps = a->caps;
	size_t n, i;
	uint64_t v;

	caps.phys_bits = phys_bits;
	FUZZ_ASSERT_EQ(mtrr_state_init(b, &caps), MTRR_OK);
	n = mtrr_msr_list(&caps, msrs, MTRR_MSR_LIST_MAX);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT_EQ(mtrr_rdmsr(a, msrs[i], &v), MTRR_OK);
		(void)mtrr_wrmsr(b, msrs[i], v);
	}
}

/* A map's type and run end at pos; INVALID up to `to` beyond its limit. */
static uint8_t
type_at(const struct mtrr_map *m, const struct mtrr_state *s, uint64_t pos, uint64_t to,
        uint64_t *next)
{
	if (pos >= fuzz_limit(s)) {
		*next = to;
		return MTRR_TYPE_INVALID;
	}
	return mtrr_map_lookup_next(m, pos, next);
}

/*
 * The exact diff of A and B from a lock-step walk, as mtrr_map_diff defines
 * it (maximal ranges, B's type when B is uniform over one, else MIXED).
 * Returns the count, or DIFF_MAX + 1 when the walk took more than STEP_CAP
 * steps or found more than DIFF_MAX ranges.
 */
static size_t
walk_diff(const struct mtrr_map *ma, const struct mtrr_map *mb,
          const struct mtrr_state *sa, const struct mtrr_state *sb, struct mtrr_range *out)
{
	uint64_t to = fuzz_limit(sa) > fuzz_limit(sb) ? fuzz_limit(sa) : fuzz_limit(sb);
	uint64_t pos = 0, na, nb, end;
	size_t n = 0;
	unsigned steps;

	for (steps = 0; pos < to; steps++, pos = end) {
		uint8_t ta, tb;

		if (steps == STEP_CAP)
			return DIFF_MAX + 1;
		ta = type_at(ma, sa, pos, to, &na);
		tb = type_at(mb, sb, pos, to, &nb);
		FUZZ_ASSERT_EQ(ta, oracle_lookup(sa, pos));
		FUZZ_ASSERT_EQ(tb, oracle_lookup(sb, pos));
		FUZZ_ASSERT(na > pos && nb > pos);
		end = na < nb ? na : nb;
		if (ta == tb)
			continue;
		if (n > 0 && out[n - 1].end == pos) {
			out[n - 1].end = end;
			if (out[n - 1].type != tb)
				out[n - 1].type = MTRR_TYPE_MIXED;
			continue;
		}
		if (n == DIFF_MAX)
			return DIFF_MAX + 1;
		out[n].start = pos;
		out[n].end = end;
		out[n++].type = tb;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mtrr_state sa, sb;
	static struct mtrr_map ma, mb;
	static struct fuzz_probes probes;
	static struct mtrr_range walked[DIFF_MAX + 1], diff[DIFF_MAX + 1], out[DIFF_MAX + 2];
	const struct mtrr_state *states[2] = { &sa, &sb };
	struct fuzz_in in = fuzz_in_make(data, size);
	size_t caps[5] = { 1, 2, 3, 64, 0 }, n, nwalk, i;
	uint64_t limit;
	unsigned mode, ops, nfz = 0;

	fuzz_build_state(&in, &sa);
	mode = fuzz_u8(&in);
	if (mode & 1u)
		other_width(&sa, &sb, 32u + (mode >> 1) % 21u);
	else
		memcpy(&sb, &sa, sizeof(sb));
	for (ops = fuzz_u8(&in) % 8u; ops > 0; ops--)
		(void)fuzz_apply_op(&in, &sb);
	caps[4] = 1u + fuzz_u8(&in);
	FUZZ_ASSERT_EQ(mtrr_map_build(&ma, &sa), MTRR_OK);
	FUZZ_ASSERT_EQ(mtrr_map_build(&mb, &sb), MTRR_OK);

	limit = fuzz_limit(&sa) > fuzz_limit(&sb) ? fuzz_limit(&sa) : fuzz_limit(&sb);
	probes.n = 0;
	while (!fuzz_empty(&in) && nfz++ < FUZZ_ADDRS) {
		uint64_t raw = fuzz_u64(&in);

		probes_add(&probes, (raw >> 63) ? raw : raw & ((limit << 1) - 1));
	}
	probes_add_state(&probes, &sa);
	probes_add_state(&probes, &sb);
	probes_finish(&probes, states, 2);

	FUZZ_ASSERT_EQ(mtrr_map_diff_cover(&ma, &ma, out, 1), 0);
	FUZZ_ASSERT_EQ(mtrr_map_diff_cover(&mb, &mb, out, 64), 0);

	/* The exact diff, when a bounded walk can tell it (on a sample of inputs). */
	nwalk = DIFF_MAX + 1;
#ifndef FUZZ_REPLAY
	if (fuzz_hash(data, size) % EXACT_ONE_IN == 0)
#endif
		nwalk = walk_diff(&ma, &mb, &sa, &sb, walked);
	if (nwalk <= DIFF_MAX) {
		FUZZ_ASSERT_EQ(mtrr_map_diff(&ma, &mb, NULL, 0), nwalk);
		memset(diff, 0xA5, sizeof(diff));
		FUZZ_ASSERT_EQ(mtrr_map_diff(&ma, &mb, diff, DIFF_MAX + 1), nwalk);
		for (i = 0; i < nwalk; i++) {
			FUZZ_ASSERT_EQ(diff[i].start, walked[i].start);
			FUZZ_ASSERT_EQ(diff[i].end, walked[i].end);
			FUZZ_ASSERT_EQ(diff[i].type, walked[i].type);
		}
	}
	for (i = 0; i < 5; i++) {
		n = check_cover(&probes, SA, SB, &ma, &mb, &sa, &sb, caps[i], out,
				nwalk <= DIFF_MAX ? diff : NULL, nwalk);
		if (nwalk <= DIFF_MAX)
			FUZZ_ASSERT_EQ(n == 0, nwalk == 0);
	}
	/* The other direction: the same places, A's types. */
	(void)check_cover(&probes, SB, SA, &mb, &ma, &sb, &sa, caps[4], out, NULL, 0);
	return 0;
}
