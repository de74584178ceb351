/*
 * msr_fuzzer.c — a guest's RDMSR/WRMSR/RESET/INIT sequence against a shadow
 * model.  Properties:
 *   - mtrr_wrmsr's status equals an independent reading of the SDM table
 *     (DESIGN.md) in wrmsr_model.h, not taken from registers.c;
 *   - an accepted write reads back exactly, and the whole state equals a fresh
 *     state into which the shadow's values are written (nothing else moved);
 *     AMD: the shadow holds images, a fixed MSR's RdMem/WrMem read as zero
 *     and a write keeps them while the shadow's SYSCFG lacks
 *     MtrrFixDramModEn (the header's words at MTRR_FIXED_RDMEM);
 *   - a rejected write leaves the state byte for byte unchanged and is #GP
 *     or MTRR_E_NOT_MTRR; a failed RDMSR does not touch *value;
 *   - power-on RESET zeroes every register and keeps the caps; INIT and an
 *     unknown reset kind change nothing;
 *   - the compiled routing (mtrr_route_map) answers as mtrr_route;
 *   - mtrr_msr_list is exactly the MSRs mtrr_rdmsr accepts, IA32_MTRRCAP
 *     excepted, in the documented order (AMD's registers after the pairs),
 *     and honours its capacity;
 *   - impossible caps are refused by init (target untouched) and msr_list,
 *     and a state carrying them (never initialised) by RDMSR, WRMSR, the
 *     reference and save, untouched.
 *
 * Input: caps (3 bytes, loose: see fuzz_state.h; impossible caps are followed
 * by one MSR selector and a u64 for the refusal checks), then a `cut` byte
 * (the short-buffer capacity of the msr_list check), then ops until the end:
 *   op byte % 8: 0..3 WRMSR, 4 RDMSR, 5 RESET power-on, 6 INIT, 7 reset with
 *   an unknown kind.  RDMSR/WRMSR: an MSR selector byte (< 0xF8: one of the
 *   MTRR MSRs or their neighbours, else a raw u32 follows); WRMSR: a mode
 *   byte and a u64 (mode & 3: 0 raw, 1 shaped into the register's fields,
 *   2/3 shaped then bit (mode >> 2) flipped).
 */
#include <string.h>

#include "fuzz_state.h"
#include "wrmsr_model.h"

/* MTRR MSRs and their neighbours; the selector picks one of these. */
static uint32_t
pick_msr(unsigned sel)
{
	static const uint32_t other[] = {
		MTRR_MSR_CAP, MTRR_MSR_DEF_TYPE, MTRR_MSR_SMRR_PHYSBASE,
		MTRR_MSR_SMRR_PHYSMASK, 0x1F1u, 0x1F4u, 0x1FFu, 0x251u, 0x257u,
		0x25Au, 0x267u, 0x270u, 0x2FEu, 0x300u, 0xFDu, 0xFFu, 0u,
		0xFFFFFFFFu, 0x400002FFu, 0xC00002FFu,
		/* AMD's, twice each (they matter more than their neighbours) */
		0xC0010010u, 0xC0010016u, 0xC0010017u, 0xC0010018u, 0xC0010019u,
		0xC001001Au, 0xC001001Du, 0xC0010010u, 0xC0010016u, 0xC0010017u,
		0xC0010018u, 0xC0010019u, 0xC001001Au, 0xC001001Du,
		0xC001000Fu, 0xC0010011u, 0xC0010015u, 0xC001001Bu, 0xC001001Eu,
	};
	const unsigned n = 2 * MTRR_VAR_MAX + MTRR_FIXED_MSRS +
			   (unsigned)(sizeof(other) / sizeof(other[0]));

	sel %= n;
	if (sel < 2 * MTRR_VAR_MAX)
		return MTRR_MSR_PHYSBASE0 + sel;
	sel -= 2 * MTRR_VAR_MAX;
	if (sel < MTRR_FIXED_MSRS)
		return fuzz_fixed_msr(sel);
	return other[sel - MTRR_FIXED_MSRS];
}

static uint64_t
cap_value(const struct mtrr_caps *c)
{
	return c->vcnt | (c->fixed ? 1ull << 8 : 0) | (c->wc ? 1ull << 10 : 0) |
	       (c->smrr ? 1ull << 11 : 0);
}

/* A value in the register's own field layout, from random bits r. */
static uint64_t
shape(const struct mtrr_caps *c, uint32_t msr, uint64_t r)
{
	uint64_t addr = MTRR_PHYS_ADDR_MASK(c->phys_bits), v = 0;
	unsigned pair, i;

	switch (classify(msr, &pair)) {
	case R_DEF:
		return fuzz_type((unsigned)r & 15u) | (r & (MTRR_DEF_E | MTRR_DEF_FE));
	case R_BASE:
		return (r & addr) | fuzz_type((unsigned)r & 15u);
	case R_MASK:
		return r & (addr | MTRR_PHYSMASK_V);
	case R_SBASE:
		return (r & MTRR_SMRR_ADDR_MASK) | fuzz_type((unsigned)r & 15u);
	case R_SMASK:
		return r & (MTRR_SMRR_ADDR_MASK | MTRR_PHYSMASK_V);
	case R_FIXED:   /* AMD: RdMem/WrMem from the top bits of r's bytes */
		for (i = 0; i < 8; i++)
			v |= (uint64_t)fuzz_type((unsigned)(r >> (8 * i)) & 0xFFu) << (8 * i);
		if (c->vendor == MTRR_VENDOR_AMD)
			v |= (r >> 3) & MTRR_FIXED_RDWR_BITS;
		return v;
	case R_TOP:
		return r & MTRR_TOP_MEM_MASK(c->phys_bits);
	case R_IBASE:
		return r & (addr | MTRR_IORR_RDMEM | MTRR_IORR_WRMEM);
	case R_IMASK:
		return r & (addr | MTRR_IORR_V);
	default:
		return r;
	}
}

static size_t
find(const uint32_t *a, size_t n, uint32_t x)
{
	size_t i;

	for (i = 0; i < n && a[i] != x; i++)
		;
	return i;
}

struct shadow {
	struct mtrr_caps caps;
	size_t n;
	uint32_t msr[MTRR_MSR_LIST_MAX];
	uint64_t val[MTRR_MSR_LIST_MAX];
};

/* The expected list, built from the header's words, not from msr_list.c. */
static size_t
expected_list(const struct mtrr_caps *c, uint32_t *out)
{
	size_t n = 0;
	unsigned i;

	for (i = 0; i < c->vcnt; i++) {
		out[n++] = 0x200u + 2 * i;
		out[n++] = 0x201u + 2 * i;
	}
	if (c->vendor == MTRR_VENDOR_AMD) {     /* SYSCFG, which enables, last */
		for (i = 0; i < 4; i++)
			out[n++] = 0xC0010016u + i;
		out[n++] = 0xC001001Au;
		out[n++] = 0xC001001Du;
		out[n++] = 0xC0010010u;
	}
	if (c->fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			out[n++] = fuzz_fixed_msr(i);
	if (c->smrr) {
		out[n++] = 0x1F2u;
		out[n++] = 0x1F3u;
	}
	out[n++] = 0x2FFu;
	return n;
}

static void
check_list(struct shadow *sh, const struct mtrr_state *s, size_t cut)
{
	uint32_t want[MTRR_MSR_LIST_MAX], got[MTRR_MSR_LIST_MAX + 1];
	size_t n = expected_list(&sh->caps, want), i;
	uint32_t msr;
	uint64_t v;

	FUZZ_ASSERT_EQ(mtrr_msr_list(&sh->caps, NULL, 0), n);
	FUZZ_ASSERT_EQ(mtrr_msr_list(&sh->caps, NULL, 5), n);  /* NULL: capacity 0 */
	memset(got, 0xA5, sizeof(got));
	FUZZ_ASSERT_EQ(mtrr_msr_list(&sh->caps, got, MTRR_MSR_LIST_MAX + 1), n);
	FUZZ_ASSERT(memcmp(got, want, n * sizeof(got[0])) == 0);
	FUZZ_ASSERT_EQ(got[n], 0xA5A5A5A5u);

	/* A short buffer gets the first `cut` entries and nothing beyond. */
	cut %= n + 1;
	memset(got, 0xA5, sizeof(got));
	FUZZ_ASSERT_EQ(mtrr_msr_list(&sh->caps, got, cut), n);
	FUZZ_ASSERT(memcmp(got, want, cut * sizeof(got[0])) == 0);
	FUZZ_ASSERT_EQ(got[cut], 0xA5A5A5A5u);

	/* The list is exactly what RDMSR accepts, MTRRCAP aside. */
	for (i = 0, msr = 0; msr < 0x400u; msr++) {
		if (msr == MTRR_MSR_CAP || mtrr_rdmsr(s, msr, &v) != MTRR_OK)
			continue;
		FUZZ_ASSERT(find(want, n, msr) < n);
		i++;
	}
	for (msr = 0xC0010000u; msr < 0xC0010020u; msr++) {
		if (mtrr_rdmsr(s, msr, &v) != MTRR_OK)
			continue;
		FUZZ_ASSERT(find(want, n, msr) < n);
		i++;
	}
	FUZZ_ASSERT_EQ(i, n);   /* want[] holds no duplicates */

	sh->n = n;
	memcpy(sh->msr, want, n * sizeof(want[0]));
	memset(sh->val, 0, sizeof(sh->val));
}

/* The shadow's SYSCFG (0 on Intel, where it is not listed). */
static uint64_t
shadow_syscfg(const struct shadow *sh)
{
	size_t i = find(sh->msr, sh->n, 0xC0010010u);

	return i < sh->n ? sh->val[i] : 0;
}

/* What RDMSR shows of image v of msr: RdMem/WrMem hidden without ModEn. */
static uint64_t
shown(const struct shadow *sh, uint32_t msr, uint64_t v)
{
	return model_hidden(&sh->caps, msr, shadow_syscfg(sh)) ? v & ~MODEL_RDWR : v;
}

/*
 * Every register reads back the shadow's value (as RDMSR shows it), and `s`
 * is byte for byte the state obtained by writing the shadow's images into a
 * fresh state: every image is a value mtrr_wrmsr accepts and nothing
 * outside the images moved.
 */
static void
check_state(const struct shadow *sh, const struct mtrr_state *s)
{
	struct mtrr_state fresh;
	uint64_t v, cfg = shadow_syscfg(sh);    /* once: shown() would search per MSR */
	size_t i;

	FUZZ_ASSERT(memcmp(&s->caps, &sh->caps, sizeof(sh->caps)) == 0);
	FUZZ_ASSERT(mtrr_rdmsr(s, MTRR_MSR_CAP, &v) == MTRR_OK);
	FUZZ_ASSERT_EQ(v, cap_value(&sh->caps));
	FUZZ_ASSERT(mtrr_state_init(&fresh, &sh->caps) == MTRR_OK);
	for (i = 0; i < sh->n; i++) {
		FUZZ_ASSERT(mtrr_rdmsr(s, sh->msr[i], &v) == MTRR_OK);
		FUZZ_ASSERT_EQ(v, model_hidden(&sh->caps, sh->msr[i], cfg) ?
				  sh->val[i] & ~MODEL_RDWR : sh->val[i]);
		FUZZ_ASSERT_EQ(model_image(s, sh->msr[i]), sh->val[i]);
	}
	FUZZ_ASSERT(model_write_images(&fresh, sh->msr, sh->val, sh->n));
	FUZZ_ASSERT(memcmp(&fresh, s, sizeof(fresh)) == 0);
}

/*
 * Impossible caps: init refuses them and leaves the target alone, msr_list
 * lists nothing, and a state that carries them (never initialised) is
 * refused by every accessor without being touched.
 */
static void
bad_caps(const struct mtrr_caps *caps, uint32_t msr, uint64_t v)
{
	struct mtrr_state s, before;
	uint32_t list[4] = { 7, 7, 7, 7 };
	uint64_t got = 0x0123456789ABCDEFull;

	memset(&s, 0x5A, sizeof(s));
	memcpy(&before, &s, sizeof(s));
	FUZZ_ASSERT_EQ(mtrr_state_init(&s, caps), MTRR_E_INVALID_ARG);
	FUZZ_ASSERT(memcmp(&s, &before, sizeof(s)) == 0);
	FUZZ_ASSERT_EQ(mtrr_msr_list(caps, list, 4), 0);
	FUZZ_ASSERT(list[0] == 7 && list[3] == 7);

	memcpy(&s.caps, caps, sizeof(*caps));
	memcpy(&before, &s, sizeof(s));
	FUZZ_ASSERT_EQ(mtrr_wrmsr(&s, msr, v), MTRR_E_INVALID_ARG);
	FUZZ_ASSERT_EQ(mtrr_rdmsr(&s, msr, &got), MTRR_E_INVALID_ARG);
	FUZZ_ASSERT_EQ(got, 0x0123456789ABCDEFull);
	FUZZ_ASSERT_EQ(mtrr_ref_lookup(&s, v), MTRR_TYPE_INVALID);
	FUZZ_ASSERT_EQ(mtrr_state_save(&s, NULL, 0), 0);
	FUZZ_ASSERT(memcmp(&s, &before, sizeof(s)) == 0);
}

static int
caps_ok(const struct mtrr_caps *c)
{
	return c->vcnt <= MTRR_VAR_MAX && c->phys_bits >= 32 && c->phys_bits <= 52 &&
	       (c->vendor == MTRR_VENDOR_INTEL || c->vendor == MTRR_VENDOR_AMD) &&
	       (c->overlap == MTRR_OVERLAP_UC || c->overlap == MTRR_OVERLAP_WB) &&
	       !(c->smrr && c->vendor == MTRR_VENDOR_AMD);
}

static uint32_t
read_msr_index(struct fuzz_in *in)
{
	uint8_t sel = fuzz_u8(in);

	return sel < 0xF8u ? pick_msr(sel) : fuzz_u32(in);
}

static void
do_wrmsr(struct fuzz_in *in, struct shadow *sh, struct mtrr_state *s)
{
	struct mtrr_state before;
	uint32_t msr = read_msr_index(in);
	unsigned mode = fuzz_u8(in);
	uint64_t v = fuzz_u64(in), got;
	mtrr_status st;
	size_t i;

	if (mode & 3u)
		v = shape(&sh->caps, msr, v);
	if (mode & 2u)
		v ^= 1ull << (mode >> 2);
	memcpy(&before, s, sizeof(before));
	st = mtrr_wrmsr(s, msr, v);
	FUZZ_ASSERT_EQ(st, expect_write(&sh->caps, msr, v));
	FUZZ_ASSERT(mtrr_status_str(st) != NULL && mtrr_status_str(st)[0] != '\0');
	if (st != MTRR_OK) {
		FUZZ_ASSERT(mtrr_status_is_gp(st) || st == MTRR_E_NOT_MTRR);
		FUZZ_ASSERT(memcmp(&before, s, sizeof(before)) == 0);
		/* The guest sees #GP exactly for MTRR MSRs. */
		FUZZ_ASSERT_EQ(mtrr_status_is_gp(st), model_is_mtrr(&sh->caps, msr));
		return;
	}
	i = find(sh->msr, sh->n, msr);
	FUZZ_ASSERT(i < sh->n);         /* accepted, so listed */
	/* Without MtrrFixDramModEn an AMD fixed MSR keeps its RdMem/WrMem. */
	if (model_hidden(&sh->caps, msr, shadow_syscfg(sh)))
		v = (v & ~MODEL_RDWR) | (sh->val[i] & MODEL_RDWR);
	sh->val[i] = v;
	FUZZ_ASSERT(mtrr_rdmsr(s, msr, &got) == MTRR_OK);
	FUZZ_ASSERT_EQ(got, shown(sh, msr, v));
}

static void
do_rdmsr(struct fuzz_in *in, const struct shadow *sh, const struct mtrr_state *s)
{
	uint32_t msr = read_msr_index(in);
	uint64_t v = 0x0123456789ABCDEFull;
	unsigned pair;
	enum reg r = classify(msr, &pair);
	mtrr_status st = mtrr_rdmsr(s, msr, &v);
	size_t i;

	if (!model_is_mtrr(&sh->caps, msr) || !exists(&sh->caps, r, pair)) {
		FUZZ_ASSERT_EQ(st, !model_is_mtrr(&sh->caps, msr) ? MTRR_E_NOT_MTRR :
				   MTRR_E_ABSENT);
		FUZZ_ASSERT_EQ(v, 0x0123456789ABCDEFull);
		return;
	}
	FUZZ_ASSERT_EQ(st, MTRR_OK);
	if (r == R_CAP) {
		FUZZ_ASSERT_EQ(v, cap_value(&sh->caps));
		return;
	}
	i = find(sh->msr, sh->n, msr);
	FUZZ_ASSERT(i < sh->n);
	FUZZ_ASSERT_EQ(v, shown(sh, msr, sh->val[i]));
}

/*
 * The compiled routing (mtrr_route_map) answers as mtrr_route where a route
 * input changes: pages below 1 MiB, both sides of TOP_MEM, 4 GiB, TOP_MEM2,
 * the first block of each IORR pair, the top.  Intel: neither has an answer.
 */
static void
check_route(const struct mtrr_state *s)
{
	struct mtrr_route_map m;
	uint64_t limit = 1ull << s->caps.phys_bits, pts[20], a;
	unsigned n = 0, i, w;

	if (s->caps.vendor != MTRR_VENDOR_AMD) {
		FUZZ_ASSERT_EQ(mtrr_route_map_build(&m, s), MTRR_E_INVALID_ARG);
		FUZZ_ASSERT_EQ(mtrr_route(s, 0, false), MTRR_DEST_INVALID);
		return;
	}
	FUZZ_ASSERT_EQ(mtrr_route_map_build(&m, s), MTRR_OK);
	pts[n++] = s->top_mem;
	pts[n++] = s->top_mem - 1;
	pts[n++] = s->top_mem2;
	pts[n++] = s->top_mem2 - 1;
	pts[n++] = 1ull << 32;
	pts[n++] = (1ull << 32) - 1;
	pts[n++] = limit - 1;
	pts[n++] = limit;
	for (i = 0; i < 2; i++) {
		uint64_t mask = s->iorr[i].mask & (limit - 1) & ~0xFFFull;
		uint64_t lo = s->iorr[i].base & mask, size = mask ? mask & (0 - mask) : limit;

		pts[n++] = lo;
		pts[n++] = lo - 1;
		pts[n++] = lo + size;
		pts[n++] = lo + size - 1;
	}
	for (w = 0; w < 2; w++) {
		for (i = 0; i < n; i++)
			FUZZ_ASSERT_EQ(mtrr_route_map_lookup(&m, pts[i], w != 0),
				       mtrr_route(s, pts[i], w != 0));
		for (a = 0; a <= MTRR_FIXED_END; a += 0x1000)
			FUZZ_ASSERT_EQ(mtrr_route_map_lookup(&m, a, w != 0),
				       mtrr_route(s, a, w != 0));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = fuzz_in_make(data, size);
	struct shadow sh;
	struct mtrr_state s, before;
	uint64_t v;

	fuzz_caps(&in, &sh.caps, 0);
	if (!caps_ok(&sh.caps)) {
		uint32_t msr = read_msr_index(&in);

		bad_caps(&sh.caps, msr, fuzz_u64(&in));
		return 0;
	}
	FUZZ_ASSERT_EQ(mtrr_state_init(NULL, &sh.caps), MTRR_E_INVALID_ARG);
	FUZZ_ASSERT_EQ(mtrr_msr_list(NULL, NULL, 0), 0);
	FUZZ_ASSERT(mtrr_state_init(&s, &sh.caps) == MTRR_OK);
	FUZZ_ASSERT_EQ(mtrr_version_number(), MTRR_VERSION_NUMBER);
	check_list(&sh, &s, fuzz_u8(&in));
	FUZZ_ASSERT_EQ(mtrr_wrmsr(NULL, MTRR_MSR_DEF_TYPE, 0), MTRR_E_INVALID_ARG);
	FUZZ_ASSERT_EQ(mtrr_rdmsr(&s, MTRR_MSR_DEF_TYPE, NULL), MTRR_E_INVALID_ARG);
	FUZZ_ASSERT_EQ(mtrr_rdmsr(NULL, MTRR_MSR_DEF_TYPE, &v), MTRR_E_INVALID_ARG);
	mtrr_state_reset(NULL, MTRR_RESET_POWER_ON);

	while (!fuzz_empty(&in)) {
		unsigned op = fuzz_u8(&in) % 8u;

		switch (op) {
		case 4:
			do_rdmsr(&in, &sh, &s);
			break;
		case 5:
			mtrr_state_reset(&s, MTRR_RESET_POWER_ON);
			memset(sh.val, 0, sizeof(sh.val));
			break;
		case 6:
		case 7:
			memcpy(&before, &s, sizeof(s));
			mtrr_state_reset(&s, op == 6 ? MTRR_RESET_INIT :
					 (enum mtrr_reset)(2 + fuzz_u8(&in)));
			FUZZ_ASSERT(memcmp(&before, &s, sizeof(s)) == 0);
			break;
		default:
			do_wrmsr(&in, &sh, &s);
			break;
		}
		check_state(&sh, &s);
	}
	check_route(&s);
	return 0;
}
