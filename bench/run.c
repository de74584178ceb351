/*
 * run.c — the timed loops.  Each implementation has its own loop with a
 * direct call (an indirect call would add the same few cycles to every
 * implementation and flatten the ratios); the baselines live in other
 * translation units, so like the library they are real calls, never inlined
 * into the loop.  Every answer is added into an accumulator that ends in a
 * volatile sink: without it an unused result can be optimised away.
 */
#include "bench.h"

const char *
impl_name(enum impl i)
{
	static const char *const names[IMPL_COUNT] = { "map", "inline", "ref", "scan", "list", "none" };

	return i < IMPL_COUNT ? names[i] : "?";
}

/*
 * An empty asm that claims to change acc: the compiler must keep one scalar
 * iteration per input (no vectorised or folded loop), so the empty loop of
 * IMPL_NONE costs what the harness costs around a real call.
 */
#if defined(__GNUC__)
#define KEEP(x) __asm__ __volatile__("" : "+r"(x))
#else
#define KEEP(x) ((void)0)
#endif

/*
 * Times `batch` evaluations of EXPR, which reads `a`: the inputs in order,
 * from the start again after the last.  The inner loop walks a pointer, so
 * the harness around EXPR is a load, an add and the loop branch.
 */
#define TIMED_LOOP(EXPR)                                                \
	do {                                                            \
		uint64_t done_ = 0, t0_ = bench_now_ns();               \
		while (done_ < batch) {                                 \
			uint64_t n_ = batch - done_ < mask + 1 ?        \
				      batch - done_ : mask + 1;         \
			const uint64_t *p_ = in, *e_ = in + n_;         \
			for (; p_ != e_; p_++) {                        \
				uint64_t a = *p_;                       \
				acc += (unsigned)(EXPR);                \
				KEEP(acc);                              \
			}                                               \
			done_ += n_;                                    \
		}                                                       \
		elapsed = bench_now_ns() - t0_;                         \
	} while (0)

double
time_points(const struct subject *sj, enum impl impl, const uint64_t *in,
	    size_t mask, uint64_t batch)
{
	uint64_t elapsed = 0;
	unsigned acc = 0;

	switch (impl) {
	case IMPL_MAP:
		TIMED_LOOP(mtrr_map_lookup(&sj->map, a));
		break;
	case IMPL_INLINE:
		TIMED_LOOP(mtrr_map_lookup_inline(&sj->map, a));
		break;
	case IMPL_REF:
		TIMED_LOOP(mtrr_ref_lookup(&sj->state, a));
		break;
	case IMPL_SCAN:
		TIMED_LOOP(scan_lookup(&sj->scan, a));
		break;
	case IMPL_LIST:
		TIMED_LOOP(list_lookup(&sj->list, a));
		break;
	default:
		TIMED_LOOP(a);
		break;
	}
	bench_sink = acc;
	return (double)elapsed / (double)batch;
}

double
time_ranges(const struct subject *sj, enum impl impl, const uint64_t *in,
	    size_t mask, uint64_t span, uint64_t batch)
{
	uint64_t elapsed = 0;
	unsigned acc = 0;

	switch (impl) {
	case IMPL_MAP:
		TIMED_LOOP(mtrr_map_lookup_range(&sj->map, a, a + span));
		break;
	case IMPL_SCAN:
		TIMED_LOOP(scan_lookup_range(&sj->scan, a, a + span));
		break;
	case IMPL_LIST:
		TIMED_LOOP(list_lookup_range(&sj->list, a, a + span));
		break;
	default:
		TIMED_LOOP(a + span);
		break;
	}
	bench_sink = acc;
	return (double)elapsed / (double)batch;
}

/*
 * TIMED_LOOP with a second input: `pat` is pats[] at a's index.  Both loops
 * read it, so the ratio is the composition's cost alone.
 */
#define TIMED_LOOP2(EXPR)                                               \
	do {                                                            \
		uint64_t done_ = 0, t0_ = bench_now_ns();               \
		while (done_ < batch) {                                 \
			size_t n_ = batch - done_ < mask + 1 ?          \
				    (size_t)(batch - done_) : mask + 1; \
			for (size_t i_ = 0; i_ < n_; i_++) {            \
				uint64_t a = in[i_];                    \
				uint8_t pat = pats[i_];                 \
				acc += (unsigned)(EXPR);                \
				KEEP(acc);                              \
			}                                               \
			done_ += n_;                                    \
		}                                                       \
		elapsed = bench_now_ns() - t0_;                         \
	} while (0)

double
time_effective(const struct subject *sj, const uint64_t *in, const uint8_t *pats, size_t mask,
	       uint64_t batch, bool compose)
{
	uint64_t elapsed = 0;
	unsigned acc = 0;

	if (compose)
		TIMED_LOOP2(mtrr_effective_type_inline(mtrr_map_lookup_inline(&sj->map, a), pat));
	else
		TIMED_LOOP2(mtrr_map_lookup_inline(&sj->map, a) + pat);
	bench_sink = acc;
	return (double)elapsed / (double)batch;
}

double
time_batch(const struct subject *sj, const uint64_t *in, size_t mask, uint64_t batch,
	   bool use_batch)
{
	uint8_t out[BENCH_CHUNK];
	uint64_t done = 0, t0 = bench_now_ns(), elapsed;
	size_t at = 0, i;
	unsigned acc = 0;

	/* mask + 1 is a multiple of BENCH_CHUNK: a chunk never wraps. */
	while (done < batch) {
		if (use_batch) {
			mtrr_map_lookup_batch(&sj->map, in + at, out, BENCH_CHUNK);
		} else {
			for (i = 0; i < BENCH_CHUNK; i++)
				out[i] = mtrr_map_lookup_inline(&sj->map, in[at + i]);
		}
		acc += out[done & (BENCH_CHUNK - 1)];
		KEEP(acc);
		at = (at + BENCH_CHUNK) & mask;
		done += BENCH_CHUNK;
	}
	elapsed = bench_now_ns() - t0;
	bench_sink = acc;
	return (double)elapsed / (double)done;
}

double
time_build(struct subject *sj, enum impl impl, uint64_t batch)
{
	static struct mtrr_map scratch;
	uint64_t i, t0, elapsed;
	unsigned acc = 0;

	t0 = bench_now_ns();
	if (impl == IMPL_MAP) {
		for (i = 0; i < batch; i++)
			acc += (unsigned)mtrr_map_build(&scratch, &sj->state);
	} else {
		for (i = 0; i < batch; i++) {
			list_build(&sj->list, &sj->state);
			acc += sj->list.n;
		}
	}
	elapsed = bench_now_ns() - t0;
	bench_sink = acc;
	return (double)elapsed / (double)batch;
}
