/*
 * publish.c — the VM-wide view: are the vCPUs' states equal, and a compiled
 * map that reader threads use while one writer republishes it.
 *
 * THE PUBLISHED MAP is a seqlock in its "latch" form (Linux calls it
 * seqcount_latch): two copies of the map and a sequence count `seq`.  Readers
 * use copy[seq & 1]; a publish moves them away from the copy it rewrites:
 *
 *     seq = 2g + 1          readers now take copy[1], which holds map g
 *     copy[0] = map g + 1
 *     seq = 2g + 2          readers now take copy[0], map g + 1
 *     copy[1] = map g + 1   (for readers during the next publish)
 *
 * A reader loads seq (acquire), copies copy[seq & 1] word by word, and keeps
 * the copy only if seq has not moved meanwhile; else it starts again.  There
 * is always one copy nobody writes, so a reader never waits for the writer.
 *
 * MEMORY MODEL.  Every access to seq and to the copies' words is atomic, so
 * there is no data race in the C11 sense; the map's bytes are only ever
 * touched as uint64_t, never through a struct mtrr_map lvalue, so no
 * aliasing question either.  Every store is a release and every load an
 * acquire (no fences, no relaxed accesses):
 *
 *   writer                                 reader
 *   W1 store seq = 2g+1                    R1 s1 = load seq
 *   W2 store each word of copy[0]          R2 load each word of copy[s1 & 1]
 *   W3 store seq = 2g+2                    R3 s2 = load seq
 *   W4 store each word of copy[1]          R4 keep the copy only if s1 == s2
 *
 * (a) A reader sees every word of the copy it chose, complete: s1 was stored
 *     by W1 or W3, which comes after the last stores to that copy (W4 of the
 *     previous publish for copy[1], W2 for copy[0]), so reading s1 at R1
 *     makes them happen before R2.
 * (b) A reader that loaded any word stored after its s1 retries: that word's
 *     store (W2 or W4) comes after a store of a newer seq (W1 or W3);
 *     loading it at R2 synchronises with it, so R3, after R2, sees that
 *     newer seq or a later one, and s2 != s1.
 * Together: a copy kept at R4 holds exactly the bytes of one published map.
 * On x86 acquire loads and release stores are plain moves: the orderings
 * cost nothing there.  (Relaxed word accesses between fences would be
 * cheaper on weakly ordered hosts, but ThreadSanitizer does not model
 * fences and could no longer check the protocol.)  seq is 64-bit: it
 * cannot wrap back to s1 while a reader copies.
 *
 * GCC's __atomic builtins on plain uint64_t fields keep _Atomic out of the
 * public header (it must compile as C99 and as C++); other compilers get
 * C11 <stdatomic.h> on the same objects through a cast, which is valid where
 * _Atomic uint64_t has the size and alignment of uint64_t (checked below).
 */
#include <string.h>

#include "internal.h"

#if defined(__GNUC__)
#  define LOAD(p)       __atomic_load_n((p), __ATOMIC_ACQUIRE)
#  define STORE(p, v)   __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#else
#  include <stdatomic.h>
_Static_assert(sizeof(_Atomic uint64_t) == sizeof(uint64_t) &&
	       _Alignof(_Atomic uint64_t) == _Alignof(uint64_t),
	       "_Atomic uint64_t must overlay uint64_t");
#  define LOAD(p)       atomic_load_explicit((const _Atomic uint64_t *)(p), \
					     memory_order_acquire)
#  define STORE(p, v)   atomic_store_explicit((_Atomic uint64_t *)(p), (v), \
					      memory_order_release)
#endif

#define MAP_BYTES sizeof(struct mtrr_map)
#define FULL_WORDS (MAP_BYTES / 8)      /* the last word may be partial */
#define TAIL_BYTES (MAP_BYTES % 8)

/* ---- equal vCPUs ---------------------------------------------------- */

static bool
caps_equal(const struct mtrr_caps *a, const struct mtrr_caps *b)
{
	return a->vcnt == b->vcnt && a->fixed == b->fixed && a->wc == b->wc &&
	       a->smrr == b->smrr && a->phys_bits == b->phys_bits &&
	       a->vendor == b->vendor && a->overlap == b->overlap && a->pat == b->pat;
}

static mtrr_status
fail(mtrr_status st, size_t vcpu, uint32_t msr, size_t *first_bad_vcpu,
     uint32_t *first_bad_msr)
{
	if (first_bad_vcpu != NULL)
		*first_bad_vcpu = vcpu;
	if (first_bad_msr != NULL)
		*first_bad_msr = msr;
	return st;
}

mtrr_status
mtrr_state_compare(const struct mtrr_state *const *states, size_t n,
		   size_t *first_bad_vcpu, uint32_t *first_bad_msr)
{
	uint32_t msrs[MTRR_MSR_LIST_MAX], bad;
	size_t i, k, count;
	uint64_t a, b;

	if (states == NULL || n == 0)
		return fail(MTRR_E_INVALID_ARG, 0, 0, first_bad_vcpu, first_bad_msr);
	/* Validate every state first: a mismatch is only meaningful between sound ones. */
	for (i = 0; i < n; i++)
		if (mtrr_state_check(states[i], &bad) != MTRR_OK)
			return fail(MTRR_E_INVALID_ARG, i, bad, first_bad_vcpu,
				    first_bad_msr);
	count = mtrr_msr_list(&states[0]->caps, msrs, MTRR_MSR_LIST_MAX);
	for (i = 1; i < n; i++) {
		if (!caps_equal(&states[0]->caps, &states[i]->caps))
			return fail(MTRR_E_MISMATCH, i, 0, first_bad_vcpu, first_bad_msr);
		for (k = 0; k < count; k++) {
			/*
			 * The images, not RDMSR: AMD's hidden RdMem/WrMem bits
			 * route accesses even while RDMSR shows them as zero.
			 */
			a = mtrr__get_image(states[0], msrs[k]);
			b = mtrr__get_image(states[i], msrs[k]);
			if (a != b)
				return fail(MTRR_E_MISMATCH, i, msrs[k], first_bad_vcpu,
					    first_bad_msr);
		}
	}
	return MTRR_OK;
}

/* ---- the published map ---------------------------------------------- */

/* Stores the bytes of `m` into copy `c`, word by word. */
static void
store_copy(uint64_t *c, const struct mtrr_map *m)
{
	const unsigned char *src = (const unsigned char *)m;
	uint64_t w;
	size_t i;

	for (i = 0; i < FULL_WORDS; i++) {
		memcpy(&w, src + 8 * i, 8);
		STORE(&c[i], w);
	}
	if (TAIL_BYTES != 0) {
		w = 0;
		memcpy(&w, src + 8 * i, TAIL_BYTES);
		STORE(&c[i], w);
	}
}

/*
 * Copies the current map into `m` and returns the seq it was published
 * under.  `m` is scribbled on by a try that a publish overlaps, and complete
 * when this returns.
 */
static uint64_t
load_copy(const struct mtrr_published *p, struct mtrr_map *m)
{
	unsigned char *dst = (unsigned char *)m;
	uint64_t s1, s2;
	size_t i;

	for (;;) {
		const uint64_t *c;

		s1 = LOAD(&p->seq);
		c = p->copy[s1 & 1u];
		for (i = 0; i < FULL_WORDS; i++) {
			uint64_t w = LOAD(&c[i]);

			memcpy(dst + 8 * i, &w, 8);
		}
		if (TAIL_BYTES != 0) {
			uint64_t w = LOAD(&c[i]);

			memcpy(dst + 8 * i, &w, TAIL_BYTES);
		}
		s2 = LOAD(&p->seq);
		if (s1 == s2)
			return s1;
	}
}

static bool
aligned8(const void *p)
{
	return ((uintptr_t)p & 7u) == 0;
}

mtrr_status
mtrr_published_init(struct mtrr_published *p, const struct mtrr_map *m)
{
	if (p == NULL || m == NULL || !aligned8(p))
		return MTRR_E_INVALID_ARG;
	memset(p->pad_, 0, sizeof(p->pad_));
	store_copy(p->copy[0], m);
	store_copy(p->copy[1], m);
	/* Whoever reads this seq 0 sees both copies. */
	STORE(&p->seq, 0);
	return MTRR_OK;
}

mtrr_status
mtrr_publish(struct mtrr_published *p, const struct mtrr_map *m)
{
	uint64_t s;

	if (p == NULL || m == NULL)
		return MTRR_E_INVALID_ARG;
	s = LOAD(&p->seq);              /* even: only this writer stores it */
	STORE(&p->seq, s + 1);          /* W1: readers leave copy[0] */
	store_copy(p->copy[0], m);      /* W2 */
	STORE(&p->seq, s + 2);          /* W3: readers come back to copy[0] */
	store_copy(p->copy[1], m);      /* W4 */
	return MTRR_OK;
}

uint64_t
mtrr_published_generation(const struct mtrr_published *p)
{
	if (p == NULL)
		return MTRR_PUBLISHED_NONE;
	/* seq 2g and 2g + 1 both mean "map g is what readers get". */
	return LOAD(&p->seq) >> 1;
}

bool
mtrr_published_refresh(const struct mtrr_published *p, struct mtrr_map *map,
		       uint64_t *generation)
{
	if (p == NULL || map == NULL || generation == NULL)
		return false;
	if (LOAD(&p->seq) >> 1 == *generation)
		return false;
	*generation = load_copy(p, map) >> 1;
	return true;
}

uint8_t
mtrr_published_lookup(const struct mtrr_published *p, uint64_t addr)
{
	struct mtrr_map m;

	if (p == NULL)
		return MTRR_TYPE_INVALID;
	(void)load_copy(p, &m);
	return mtrr_map_lookup(&m, addr);
}

uint8_t
mtrr_published_lookup_range(const struct mtrr_published *p, uint64_t start, uint64_t end)
{
	struct mtrr_map m;

	if (p == NULL)
		return MTRR_TYPE_INVALID;
	(void)load_copy(p, &m);
	return mtrr_map_lookup_range(&m, start, end);
}
