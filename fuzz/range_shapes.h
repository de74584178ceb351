/*
 * range_shapes.h — the adversarial states of the range target, written down
 * once for the target (its presets) and for gen_corpus.c (its seeds): each
 * is MAXPHYADDR, the flags byte, a pair count, and for pair i the mask shape
 * shape[i % 8] and the parameter param * (i + 1) (see range_fuzzer.c for
 * what a shape and a parameter make).
 */
#ifndef FUZZ_RANGE_SHAPES_H
#define FUZZ_RANGE_SHAPES_H

#include <stdint.h>

struct range_shape {
	const char *name;
	unsigned phys_bits, flags, pairs;
	unsigned shape[8];
	uint64_t param;
};

static const struct range_shape range_shapes[] = {
	/* Alternating bits from bit 12 up, both phases, 40 pairs. */
	{ "alternating_bits", 52, 0x61, 40, { 0, 0, 0, 0, 0, 0, 0, 0 }, 0x0000000000000001ull },
	/* Forty sparse masks of one to four bits. */
	{ "sparse_masks_40", 52, 0x41, 40, { 1, 1, 1, 1, 1, 1, 1, 1 }, 0x0706050403020103ull },
	/* All bits but a few: huge blocks with a few strides. */
	{ "all_but_few_bits", 48, 0x03, 40, { 2, 2, 2, 2, 2, 2, 2, 2 }, 0x1F17110B07050302ull },
	/* Contiguous blocks with holes punched above their size. */
	{ "blocks_with_holes", 46, 0x25, 40, { 3, 3, 3, 3, 3, 3, 3, 3 }, 0x2A1F150F0A060301ull },
	/* Random masks, each followed by its complement of another type. */
	{ "complement_pairs", 52, 0x51, 40, { 4, 5, 4, 5, 4, 5, 4, 5 }, 0x9E3779B97F4A7C15ull },
	/* One bit each: every other block of 2^k bytes, k from 12 up. */
	{ "single_bits", 52, 0x65, 40, { 7, 7, 7, 7, 7, 7, 7, 7 }, 0x0100000000000000ull },
	/* Every shape in turn, the narrowest space. */
	{ "every_shape_32", 32, 0x0B, 40, { 0, 1, 2, 3, 4, 5, 6, 7 }, 0x0123456789ABCDEFull },
	/* Every shape in turn, invalid pairs among them (shape bit 3). */
	{ "every_shape_v_clear", 44, 0x4F, 24, { 0, 9, 2, 11, 4, 13, 6, 15 }, 0x0F1E2D3C4B5A6978ull },
	/* Ordinary blocks only: the run form, for contrast. */
	{ "ordinary_blocks", 39, 0x6F, 12, { 6, 6, 6, 6, 6, 6, 6, 6 }, 0x0400000012345678ull },
};

#define RANGE_SHAPES (sizeof(range_shapes) / sizeof(range_shapes[0]))

/*
 * The state bytes of shape i (as the range target decodes them), into `out`
 * (at least 3 + 10 * 40 bytes); returns their count.
 */
static inline size_t
range_shape_bytes(unsigned i, uint8_t *out)
{
	const struct range_shape *r = &range_shapes[i];
	size_t n = 0;
	unsigned j, b;

	out[n++] = (uint8_t)(r->phys_bits - 32u);
	out[n++] = (uint8_t)r->flags;
	out[n++] = (uint8_t)(r->pairs - 1u);
	for (j = 0; j < r->pairs; j++) {
		uint64_t param = r->param * (j + 1u);

		out[n++] = (uint8_t)r->shape[j % 8];
		out[n++] = (uint8_t)j;                  /* types in turn */
		for (b = 0; b < 8; b++)
			out[n++] = (uint8_t)(param >> (8 * b));
	}
	return n;
}

#endif
