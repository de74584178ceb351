/*
 * fuzz_helpers.h — what every fuzz target shares: an assert that survives
 * NDEBUG, and a byte consumer that turns the fuzzer's input into structured
 * values.
 *
 * The consumer never fails: past the end of the input it yields zeros, so a
 * short input is just a shorter program and every byte string is meaningful.
 * Multi-byte values are little-endian, so a dictionary entry "\xff\x02\x00\x00"
 * is the 32-bit MSR index 0x2FF.
 */
#ifndef FUZZ_HELPERS_H
#define FUZZ_HELPERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Always on: a fuzz target is an oracle, and assert() disappears in release
 * builds.  abort() is what libFuzzer and the replay main both report as a
 * crash.
 */
#define FUZZ_ASSERT(expr)                                                     \
	do {                                                                  \
		if (!(expr)) {                                                \
			fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed\n",    \
			        __FILE__, __LINE__, #expr);                   \
			abort();                                              \
		}                                                             \
	} while (0)

/* FUZZ_ASSERT with the two 64-bit values printed, for differential checks. */
#define FUZZ_ASSERT_EQ(a, b)                                                  \
	do {                                                                  \
		unsigned long long fuzz_a_ = (unsigned long long)(a);         \
		unsigned long long fuzz_b_ = (unsigned long long)(b);         \
		if (fuzz_a_ != fuzz_b_) {                                     \
			fprintf(stderr, "%s:%d: FUZZ_ASSERT_EQ(%s, %s) failed:" \
			        " 0x%llx != 0x%llx\n", __FILE__, __LINE__,    \
			        #a, #b, fuzz_a_, fuzz_b_);                    \
			abort();                                              \
		}                                                             \
	} while (0)

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline struct fuzz_in
fuzz_in_make(const uint8_t *data, size_t size)
{
	struct fuzz_in in;

	in.p = data;
	in.n = size;
	return in;
}

static inline int
fuzz_empty(const struct fuzz_in *in)
{
	return in->n == 0;
}

static inline uint8_t
fuzz_u8(struct fuzz_in *in)
{
	uint8_t b;

	if (in->n == 0)
		return 0;
	b = *in->p++;
	in->n--;
	return b;
}

/* `bytes` bytes (at most 8), little-endian. */
static inline uint64_t
fuzz_le(struct fuzz_in *in, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)fuzz_u8(in) << (8 * i);
	return v;
}

static inline uint32_t
fuzz_u32(struct fuzz_in *in)
{
	return (uint32_t)fuzz_le(in, 4);
}

static inline uint64_t
fuzz_u64(struct fuzz_in *in)
{
	return fuzz_le(in, 8);
}

/*
 * CRC-32C (Castagnoli, reflected, init and final xor 0xFFFFFFFF), written
 * here from the snapshot format's documentation rather than taken from the
 * library: the corpus generator and the snapshot target use it to seal
 * snapshots they built or mutated, so the checks behind the checksum run.
 */
static inline uint32_t
fuzz_crc32c(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFFu;
	unsigned k;

	while (n-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc & 1u) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
	}
	return ~crc;
}

#endif
