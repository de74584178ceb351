/*
 * test_registers.c — RDMSR/WRMSR against DESIGN.md's register table and the
 * header's contract: each #GP cause triggered by exactly the bit or type
 * value that causes it, the order in which causes are reported, absent and
 * foreign MSRs, read-back of every accepted value, and all-or-nothing (a
 * rejected write leaves the whole struct mtrr_state byte for byte as it was).
 *
 * AMD: SYSCFG, TOP_MEM, TOP_MEM2 and the IORRs (each reserved bit, every
 * SYSCFG value, not MTRRs on Intel caps), and RdMem/WrMem in the fixed MSRs,
 * hidden while SYSCFG.MtrrFixDramModEn is clear (the APM's SYSCFG text).
 *
 * The last test is a seeded randomized differential test against an oracle
 * written here from the table alone, without libmtrr's internal helpers.
 * MTRR_TEST_SEED=<n> in the environment replays another seed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mtrr.h"
#include "test_util.h"

#define NFIXED 11
#define NVAR 40

static const uint32_t fixed_msrs[NFIXED] = {
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F,
};

/* ------------------------------------------------------------------------ */
/* The oracle: DESIGN.md's register table, written out independently.      */
/* ------------------------------------------------------------------------ */

enum o_kind {
	O_NONE, O_CAP, O_DEF, O_FIX, O_BASE, O_MASK, O_SBASE, O_SMASK,
	O_SYSCFG, O_TOP, O_TOP2, O_IBASE, O_IMASK      /* AMD caps only */
};

#define MOD_EN (1ull << 19)     /* SYSCFG.MtrrFixDramModEn */
#define RDWR 0x1818181818181818ull /* RdMem/WrMem of every fixed byte */

struct o_reg {
	enum o_kind kind;
	unsigned n;             /* pair number, or fixed MSR number */
};

static struct o_reg
o_classify(uint32_t msr)
{
	struct o_reg r = { O_NONE, 0 };

	if (msr == 0xFE) {
		r.kind = O_CAP;
	} else if (msr == 0x2FF) {
		r.kind = O_DEF;
	} else if (msr == 0x1F2) {
		r.kind = O_SBASE;
	} else if (msr == 0x1F3) {
		r.kind = O_SMASK;
	} else if (msr >= 0x200 && msr <= 0x24F) {
		r.kind = msr % 2 == 0 ? O_BASE : O_MASK;
		r.n = (msr - 0x200) / 2;
	} else if (msr == 0x250) {
		r.kind = O_FIX;
		r.n = 0;
	} else if (msr == 0x258 || msr == 0x259) {
		r.kind = O_FIX;
		r.n = 1 + (msr - 0x258);
	} else if (msr >= 0x268 && msr <= 0x26F) {
		r.kind = O_FIX;
		r.n = 3 + (msr - 0x268);
	} else if (msr == 0xC0010010u) {
		r.kind = O_SYSCFG;
	} else if (msr == 0xC001001Au) {
		r.kind = O_TOP;
	} else if (msr == 0xC001001Du) {
		r.kind = O_TOP2;
	} else if (msr >= 0xC0010016u && msr <= 0xC0010019u) {
		r.kind = msr % 2 == 0 ? O_IBASE : O_IMASK;
		r.n = (msr - 0xC0010016u) / 2;
	}
	return r;
}

static bool
o_amd_kind(enum o_kind k)
{
	return k == O_SYSCFG || k == O_TOP || k == O_TOP2 || k == O_IBASE || k == O_IMASK;
}

/* The kind for these caps: the AMD registers are no MTRRs on Intel. */
static struct o_reg
o_classify_for(const struct mtrr_caps *c, uint32_t msr)
{
	struct o_reg r = o_classify(msr);

	if (o_amd_kind(r.kind) && c->vendor != MTRR_VENDOR_AMD)
		r.kind = O_NONE;
	return r;
}

/* Bits hi:lo inclusive, one at a time, so it shares nothing with the header's macros. */
static uint64_t
o_bits(unsigned lo, unsigned hi)
{
	uint64_t m = 0;
	unsigned b;

	for (b = lo; b <= hi && b < 64; b++)
		m |= 1ull << b;
	return m;
}

static mtrr_status
o_type(unsigned t, bool wc)
{
	if (t == 0 || t == 4 || t == 5 || t == 6)
		return MTRR_OK;
	if (t == 1)
		return wc ? MTRR_OK : MTRR_E_WC_UNSUPPORTED;
	return MTRR_E_INVALID_TYPE;
}

static bool
o_present(const struct mtrr_caps *c, struct o_reg r)
{
	switch (r.kind) {
	case O_FIX: return c->fixed;
	case O_BASE: case O_MASK: return r.n < c->vcnt;
	case O_SBASE: case O_SMASK: return c->smrr;
	default: return true;
	}
}

/* Which bits of the register may be set at all. */
static uint64_t
o_legal(const struct mtrr_caps *c, enum o_kind k)
{
	switch (k) {
	case O_DEF: return o_bits(0, 7) | o_bits(10, 11);
	case O_BASE: return o_bits(0, 7) | o_bits(12, c->phys_bits - 1);
	case O_MASK: return o_bits(11, c->phys_bits - 1);
	case O_SBASE: return o_bits(0, 7) | o_bits(12, 31);
	case O_SMASK: return o_bits(11, 31);
	case O_TOP: case O_TOP2: return o_bits(23, c->phys_bits - 1);
	case O_IBASE: return o_bits(3, 4) | o_bits(12, c->phys_bits - 1);
	case O_IMASK: return o_bits(11, c->phys_bits - 1);
	case O_FIX:     /* AMD: bits 7:5 of each byte reserved */
		return c->vendor == MTRR_VENDOR_AMD ? ~(o_bits(5, 7) * 0x0101010101010101ull) :
						      ~0ull;
	default: return ~0ull;
	}
}

static mtrr_status
o_write(const struct mtrr_caps *c, uint32_t msr, uint64_t v)
{
	struct o_reg r = o_classify_for(c, msr);
	mtrr_status worst = MTRR_OK;
	unsigned i;

	if (r.kind == O_NONE)
		return MTRR_E_NOT_MTRR;
	if (r.kind == O_CAP)
		return MTRR_E_READ_ONLY;
	if (!o_present(c, r))
		return MTRR_E_ABSENT;
	if (v & ~o_legal(c, r.kind))
		return MTRR_E_RESERVED_BIT;
	switch (r.kind) {
	case O_FIX:
		for (i = 0; i < 8; i++) {
			/* AMD: the type is bits 2:0; 4:3 are RdMem/WrMem. */
			unsigned t = (unsigned)(v >> (8 * i)) &
				     (c->vendor == MTRR_VENDOR_AMD ? 0x07u : 0xFFu);
			mtrr_status st = o_type(t, c->wc);
			if (st == MTRR_E_INVALID_TYPE)
				return st;      /* wins over WC, whatever the byte order */
			if (st != MTRR_OK)
				worst = st;
		}
		return worst;
	case O_DEF: case O_BASE: case O_SBASE:
		return o_type((unsigned)(v & 0xFF), c->wc);
	default:
		return MTRR_OK;
	}
}

static uint64_t
o_cap(const struct mtrr_caps *c)
{
	uint64_t v = c->vcnt;

	if (c->fixed)
		v |= 1ull << 8;
	if (c->wc)
		v |= 1ull << 10;
	if (c->smrr)
		v |= 1ull << 11;
	return v;
}

/* The register images, by the layout the header documents. */
struct o_model {
	uint64_t def, fix[NFIXED], base[NVAR], mask[NVAR], sbase, smask;
	uint64_t syscfg, top, top2, ibase[2], imask[2];
};

static uint64_t *
o_slot(struct o_model *m, struct o_reg r)
{
	switch (r.kind) {
	case O_DEF: return &m->def;
	case O_FIX: return &m->fix[r.n];
	case O_BASE: return &m->base[r.n];
	case O_MASK: return &m->mask[r.n];
	case O_SBASE: return &m->sbase;
	case O_SMASK: return &m->smask;
	case O_SYSCFG: return &m->syscfg;
	case O_TOP: return &m->top;
	case O_TOP2: return &m->top2;
	case O_IBASE: return &m->ibase[r.n];
	case O_IMASK: return &m->imask[r.n];
	default: return NULL;
	}
}

/* RdMem/WrMem hidden: AMD with SYSCFG.MtrrFixDramModEn clear. */
static bool
o_hidden(const struct mtrr_caps *c, struct o_reg r, uint64_t syscfg)
{
	return r.kind == O_FIX && c->vendor == MTRR_VENDOR_AMD && !(syscfg & MOD_EN);
}

static mtrr_status
o_read(const struct mtrr_caps *c, struct o_model *m, uint32_t msr, uint64_t *v)
{
	struct o_reg r = o_classify_for(c, msr);

	if (r.kind == O_NONE)
		return MTRR_E_NOT_MTRR;
	if (!o_present(c, r))
		return MTRR_E_ABSENT;
	*v = r.kind == O_CAP ? o_cap(c) : *o_slot(m, r);
	if (o_hidden(c, r, m->syscfg))
		*v &= ~RDWR;    /* read as zero */
	return MTRR_OK;
}

/* The image an accepted write of v stores: hidden RdMem/WrMem stay. */
static uint64_t
o_stored(const struct mtrr_caps *c, struct o_model *m, uint32_t msr, uint64_t v)
{
	struct o_reg r = o_classify_for(c, msr);

	if (o_hidden(c, r, m->syscfg))
		return (v & ~RDWR) | (*o_slot(m, r) & RDWR);
	return v;
}

/* Where the header says the image of `msr` lives in struct mtrr_state. */
static uint64_t *
image_of(struct mtrr_state *s, uint32_t msr)
{
	struct o_reg r = o_classify(msr);

	switch (r.kind) {
	case O_DEF: return &s->def_type;
	case O_FIX: return &s->fixed[r.n];
	case O_BASE: return &s->var[r.n].base;
	case O_MASK: return &s->var[r.n].mask;
	case O_SBASE: return &s->smrr_base;
	case O_SMASK: return &s->smrr_mask;
	case O_SYSCFG: return &s->syscfg;
	case O_TOP: return &s->top_mem;
	case O_TOP2: return &s->top_mem2;
	case O_IBASE: return &s->iorr[r.n].base;
	case O_IMASK: return &s->iorr[r.n].mask;
	default: return NULL;
	}
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static void
new_state(struct mtrr_state *s, const struct mtrr_caps *c)
{
	assert_int_equal(mtrr_state_init(s, c), MTRR_OK);
}

static void
report(const struct mtrr_state *s, const char *what, uint32_t msr, uint64_t v,
       mtrr_status got, mtrr_status want)
{
	const struct mtrr_caps *c = &s->caps;

	print_error("%s: caps{vcnt %u fixed %d wc %d smrr %d phys_bits %u vendor %d} "
		    "msr %#x value %#llx: got %d (%s), want %d (%s)\n", what, c->vcnt,
		    c->fixed, c->wc, c->smrr, c->phys_bits, (int)c->vendor, (unsigned)msr,
		    (unsigned long long)v, (int)got, mtrr_status_str(got), (int)want,
		    mtrr_status_str(want));
	fail();
}

/*
 * WRMSR with status `want`.  Accepted: the register reads back `v` and no
 * other byte of the state changed (an AMD fixed MSR while MtrrFixDramModEn
 * is clear: the image keeps its hidden RdMem/WrMem, and reads show them as
 * zero).  Rejected: no byte of the state changed.
 */
static void
expect_write(struct mtrr_state *s, uint32_t msr, uint64_t v, mtrr_status want)
{
	struct mtrr_state before, after;
	struct o_reg r = o_classify(msr);
	bool hidden = o_hidden(&s->caps, r, s->syscfg);
	mtrr_status st;
	uint64_t rd, img = v;

	memcpy(&before, s, sizeof(before));
	st = mtrr_wrmsr(s, msr, v);
	if (st != want)
		report(&before, "wrmsr", msr, v, st, want);
	memcpy(&after, &before, sizeof(after));
	if (st == MTRR_OK) {
		if (hidden)
			img = (v & ~RDWR) | (*image_of(&before, msr) & RDWR);
		*image_of(&after, msr) = img;
		rd = ~v;
		st = mtrr_rdmsr(s, msr, &rd);
		if (st != MTRR_OK)
			report(&before, "read-back status", msr, v, st, MTRR_OK);
		if (rd != (hidden ? v & ~RDWR : v))
			report(&before, "read-back value differs", msr, rd, MTRR_OK, MTRR_OK);
	}
	if (memcmp(s, &after, sizeof(after)) != 0)
		report(&before, "state bytes", msr, v, st, want);
}

/* RDMSR with status `want`; the out-parameter is written only on MTRR_OK. */
static void
expect_read(const struct mtrr_state *s, uint32_t msr, mtrr_status want, uint64_t value)
{
	uint64_t v = 0x5A5A5A5A5A5A5A5Aull;
	mtrr_status st = mtrr_rdmsr(s, msr, &v);

	if (st != want)
		report(s, "rdmsr", msr, 0, st, want);
	if (st == MTRR_OK)
		assert_int_equal(v, value);
	else
		assert_int_equal(v, 0x5A5A5A5A5A5A5A5Aull);
}

/* Legal, non-zero values in every register the caps have, so writes are visible. */
static void
fill(struct mtrr_state *s)
{
	const struct mtrr_caps *c = &s->caps;
	unsigned i;

	for (i = 0; i < c->vcnt; i++) {
		expect_write(s, 0x200 + 2 * i, (0x12345000ull * (i + 1) & o_bits(12, 31)) | 6,
			     MTRR_OK);
		expect_write(s, 0x201 + 2 * i, o_bits(11, c->phys_bits - 1), MTRR_OK);
	}
	if (c->fixed)
		for (i = 0; i < NFIXED; i++)
			expect_write(s, fixed_msrs[i], 0x0605040006050400ull >> (8 * (i % 4)),
				     MTRR_OK);
	if (c->smrr) {
		expect_write(s, 0x1F2, 0x7FF00006ull, MTRR_OK);
		expect_write(s, 0x1F3, 0xFFF00800ull, MTRR_OK);
	}
	if (c->vendor == MTRR_VENDOR_AMD) {
		expect_write(s, 0xC0010016u, 0xA0000000ull | (1ull << 4), MTRR_OK);
		expect_write(s, 0xC0010017u, o_bits(28, c->phys_bits - 1) | (1ull << 11), MTRR_OK);
		expect_write(s, 0xC0010018u, 0x1000ull | (1ull << 3), MTRR_OK);
		expect_write(s, 0xC0010019u, o_bits(12, c->phys_bits - 1), MTRR_OK);
		expect_write(s, 0xC001001Au, 0x80000000ull, MTRR_OK);
		expect_write(s, 0xC001001Du, 1ull << (c->phys_bits - 1), MTRR_OK);
		/* MtrrFixDramEn, MtrrVarDramEn, MtrrTom2En, Tom2ForceMemTypeWB, SMEE */
		expect_write(s, 0xC0010010u, 0xF40000ull, MTRR_OK);
	}
	expect_write(s, 0x2FF, 0xC06, MTRR_OK);
}

/* What a type field holding t gets, from the header's list. */
static mtrr_status
type_status(unsigned t, bool wc)
{
	switch (t) {
	case 0: case 4: case 5: case 6:
		return MTRR_OK;
	case 1:
		return wc ? MTRR_OK : MTRR_E_WC_UNSUPPORTED;
	default:
		return MTRR_E_INVALID_TYPE;
	}
}

/* ------------------------------------------------------------------------ */
/* Reserved bits, one at a time                                             */
/* ------------------------------------------------------------------------ */

/*
 * Writes each bit alone to `msr` and expects: `reserved` bits rejected with
 * MTRR_E_RESERVED_BIT; bits of the type field (bits 7:0 when `typed`)
 * judged as the type value 1 << b; every other bit accepted and read back.
 * Then all legal bits together, and each reserved bit on top of them.
 */
static void
bits_one_by_one(struct mtrr_state *s, uint32_t msr, uint64_t reserved, bool typed)
{
	uint64_t old, legal_all = ~reserved;
	unsigned b;

	assert_int_equal(mtrr_rdmsr(s, msr, &old), MTRR_OK);
	for (b = 0; b < 64; b++) {
		uint64_t v = 1ull << b;
		mtrr_status want;

		if (reserved & v)
			want = MTRR_E_RESERVED_BIT;
		else if (typed && b < 8)
			want = type_status(1u << b, s->caps.wc);
		else
			want = MTRR_OK;
		expect_write(s, msr, v, want);
		expect_write(s, msr, old, MTRR_OK);
	}
	if (typed)      /* bits 7:0 all set is type 0xFF: use WB */
		legal_all = (legal_all & ~0xFFull) | 6;
	expect_write(s, msr, legal_all, MTRR_OK);
	for (b = 0; b < 64; b++)
		if (reserved & (1ull << b))
			expect_write(s, msr, legal_all | (1ull << b), MTRR_E_RESERVED_BIT);
	expect_write(s, msr, old, MTRR_OK);
}

static void
reserved_bits_each(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;
	unsigned pb, last;
	int wc;

	(void)state;
	/* 36, 46 and 52 are the interesting ones; every width costs little. */
	for (pb = 32; pb <= 52; pb++) {
		for (wc = 0; wc < 2; wc++) {
			c = caps_of(8, true, wc != 0, true, pb, MTRR_VENDOR_INTEL);
			new_state(&s, &c);
			fill(&s);
			last = c.vcnt - 1;
			/* DEF_TYPE: 9:8 and 63:12 */
			bits_one_by_one(&s, 0x2FF, o_bits(8, 9) | o_bits(12, 63), true);
			/* PHYSBASE: 11:8 and 63:MAXPHYADDR */
			bits_one_by_one(&s, 0x200, o_bits(8, 11) | o_bits(pb, 63), true);
			bits_one_by_one(&s, 0x200 + 2 * last, o_bits(8, 11) | o_bits(pb, 63), true);
			/* PHYSMASK: 10:0 and 63:MAXPHYADDR */
			bits_one_by_one(&s, 0x201, o_bits(0, 10) | o_bits(pb, 63), false);
			bits_one_by_one(&s, 0x201 + 2 * last, o_bits(0, 10) | o_bits(pb, 63), false);
			/* SMRR: 31:12 whatever MAXPHYADDR is */
			bits_one_by_one(&s, 0x1F2, o_bits(8, 11) | o_bits(32, 63), true);
			bits_one_by_one(&s, 0x1F3, o_bits(0, 10) | o_bits(32, 63), false);
		}
	}
}

/* Same at vcnt 40 on AMD, so the last pair (0x24E/0x24F) is covered too. */
static void
reserved_bits_last_pair(void **state)
{
	static const unsigned pbs[] = { 36, 46, 52 };
	struct mtrr_state s;
	struct mtrr_caps c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pbs) / sizeof(pbs[0]); i++) {
		c = caps_of(NVAR, false, true, false, pbs[i], MTRR_VENDOR_AMD);
		new_state(&s, &c);
		fill(&s);
		bits_one_by_one(&s, 0x24E, o_bits(8, 11) | o_bits(pbs[i], 63), true);
		bits_one_by_one(&s, 0x24F, o_bits(0, 10) | o_bits(pbs[i], 63), false);
	}
}

/* The header's order: absent before reserved, reserved before type. */
static void
cause_order(void **state)
{
	static const unsigned bad_types[] = { 2, 3, 7, 8, 0x1E, 0xFF };
	struct mtrr_state s;
	struct mtrr_caps c;
	size_t i;

	(void)state;
	c = caps_of(2, true, false, true, 36, MTRR_VENDOR_INTEL);
	new_state(&s, &c);
	fill(&s);
	for (i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
		uint64_t t = bad_types[i];

		expect_write(&s, 0x2FF, (1ull << 9) | t, MTRR_E_RESERVED_BIT);
		expect_write(&s, 0x2FF, (1ull << 63) | t, MTRR_E_RESERVED_BIT);
		expect_write(&s, 0x2FF, t, MTRR_E_INVALID_TYPE);
		expect_write(&s, 0x200, (1ull << 8) | t, MTRR_E_RESERVED_BIT);
		expect_write(&s, 0x202, (1ull << 36) | t, MTRR_E_RESERVED_BIT);
		expect_write(&s, 0x1F2, (1ull << 32) | t, MTRR_E_RESERVED_BIT);
		expect_write(&s, 0x1F2, (1ull << 11) | t, MTRR_E_RESERVED_BIT);
		/* Absent registers: #GP for absence, whatever the value. */
		expect_write(&s, 0x204, (1ull << 8) | t, MTRR_E_ABSENT);
		expect_write(&s, 0x205, 1, MTRR_E_ABSENT);
	}
	/* WC without the cap loses to a reserved bit too. */
	expect_write(&s, 0x2FF, (1ull << 8) | 1, MTRR_E_RESERVED_BIT);
	expect_write(&s, 0x200, (1ull << 63) | 1, MTRR_E_RESERVED_BIT);
	expect_write(&s, 0x1F2, (1ull << 40) | 1, MTRR_E_RESERVED_BIT);

	c = caps_of(0, false, false, false, 36, MTRR_VENDOR_INTEL);
	new_state(&s, &c);
	expect_write(&s, 0x250, 0x0202020202020202ull, MTRR_E_ABSENT);
	expect_write(&s, 0x26F, 0x0101010101010101ull, MTRR_E_ABSENT);
	expect_write(&s, 0x1F2, ~0ull, MTRR_E_ABSENT);
	expect_write(&s, 0x1F3, ~0ull, MTRR_E_ABSENT);
	expect_write(&s, 0x200, ~0ull, MTRR_E_ABSENT);
	/* Read-only before everything. */
	expect_write(&s, 0xFE, ~0ull, MTRR_E_READ_ONLY);
}

/* ------------------------------------------------------------------------ */
/* Type fields                                                              */
/* ------------------------------------------------------------------------ */

/*
 * What fixed-range byte t gets: the whole byte is the type on Intel; on AMD
 * bits 7:5 are reserved and bits 2:0 the type.
 */
static mtrr_status
fixed_byte_status(unsigned t, bool wc, bool amd)
{
	if (!amd)
		return type_status(t, wc);
	return (t & 0xE0u) ? MTRR_E_RESERVED_BIT : type_status(t & 7u, wc);
}

/* Each value 0..255 in each byte of each fixed MSR, the other bytes valid. */
static void
fixed_every_byte_every_type(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;
	unsigned m, byte, t;
	int wc, amd;

	(void)state;
	for (amd = 0; amd < 2; amd++) {
		for (wc = 0; wc < 2; wc++) {
			/* With the cap, the background has WC bytes as well. */
			uint64_t bg = wc ? 0x0605040100060504ull : 0x0605040000060504ull;

			c = caps_of(1, true, wc != 0, false, 40,
				    amd ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL);
			new_state(&s, &c);
			fill(&s);
			for (m = 0; m < NFIXED; m++)
				for (byte = 0; byte < 8; byte++)
					for (t = 0; t < 256; t++) {
						uint64_t v = (bg & ~(0xFFull << (8 * byte))) |
							     ((uint64_t)t << (8 * byte));

						expect_write(&s, fixed_msrs[m], v,
							     fixed_byte_status(t, wc != 0,
									       amd != 0));
					}
		}
	}
}

/* An invalid type in any byte wins over WC-without-cap in any other byte. */
static void
fixed_invalid_beats_wc(void **state)
{
	static const unsigned bad[] = { 2, 3, 7, 8, 0x1E, 0x80, 0xFF };
	struct mtrr_state s;
	struct mtrr_caps c;
	unsigned m, i, j;
	size_t k;

	(void)state;
	c = caps_of(0, true, false, false, 36, MTRR_VENDOR_INTEL);
	new_state(&s, &c);
	fill(&s);
	for (m = 0; m < NFIXED; m++)
		for (i = 0; i < 8; i++)
			for (j = 0; j < 8; j++) {
				uint64_t v = 0x0606060606060606ull;

				if (i == j)
					continue;
				v &= ~(0xFFull << (8 * i)) & ~(0xFFull << (8 * j));
				v |= 1ull << (8 * i);
				for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
					expect_write(&s, fixed_msrs[m],
						     v | ((uint64_t)bad[k] << (8 * j)),
						     MTRR_E_INVALID_TYPE);
				/* Only WC left: the WC status. */
				expect_write(&s, fixed_msrs[m], v | (6ull << (8 * j)),
					     MTRR_E_WC_UNSUPPORTED);
			}
	/* Every byte but one WC, the odd one invalid, at each position. */
	for (m = 0; m < NFIXED; m++)
		for (j = 0; j < 8; j++)
			expect_write(&s, fixed_msrs[m],
				     (0x0101010101010101ull & ~(0xFFull << (8 * j))) |
				     (7ull << (8 * j)), MTRR_E_INVALID_TYPE);
}

/*
 * RdMem/WrMem (bits 4:3): no type bits on Intel, so 0x18 | type is invalid
 * there.  On AMD they are accepted in any SYSCFG state; while
 * MtrrFixDramModEn is clear they read as zero and a write keeps the hidden
 * value (APM, "System Configuration Register (SYSCFG)").
 */
static void
fixed_rdmem_wrmem(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;
	unsigned byte, m;

	(void)state;
	c = caps_of(0, true, true, false, 48, MTRR_VENDOR_INTEL);
	new_state(&s, &c);
	for (byte = 0; byte < 8; byte++) {
		expect_write(&s, 0x250, 0x1Eull << (8 * byte), MTRR_E_INVALID_TYPE);
		expect_write(&s, 0x268, 0x08ull << (8 * byte), MTRR_E_INVALID_TYPE);
		expect_write(&s, 0x26F, 0x16ull << (8 * byte), MTRR_E_INVALID_TYPE);
	}

	c.vendor = MTRR_VENDOR_AMD;
	new_state(&s, &c);
	for (m = 0; m < NFIXED; m++) {
		/* ModEn clear (RESET): the bits are ignored, the types land. */
		expect_write(&s, fixed_msrs[m], 0x1E1E1E1E1E1E1E1Eull, MTRR_OK);
		assert_int_equal(s.fixed[m], 0x0606060606060606ull);
		expect_read(&s, fixed_msrs[m], MTRR_OK, 0x0606060606060606ull);
	}
	/* ModEn set: they read and write. */
	expect_write(&s, 0xC0010010u, MOD_EN, MTRR_OK);
	for (m = 0; m < NFIXED; m++) {
		expect_read(&s, fixed_msrs[m], MTRR_OK, 0x0606060606060606ull);
		expect_write(&s, fixed_msrs[m], 0x1E0E160600081018ull, MTRR_OK);
		expect_read(&s, fixed_msrs[m], MTRR_OK, 0x1E0E160600081018ull);
	}
	/* ModEn cleared again: hidden, kept across writes of the other bits. */
	expect_write(&s, 0xC0010010u, 0, MTRR_OK);
	for (m = 0; m < NFIXED; m++) {
		expect_read(&s, fixed_msrs[m], MTRR_OK, 0x0606060600000000ull);
		expect_write(&s, fixed_msrs[m], 0x0418041804180418ull, MTRR_OK);
		assert_int_equal(s.fixed[m], 0x1C08140004081418ull);
		expect_read(&s, fixed_msrs[m], MTRR_OK, 0x0400040004000400ull);
	}
	/* And visible once more. */
	expect_write(&s, 0xC0010010u, MOD_EN | (1ull << 18), MTRR_OK);
	expect_read(&s, 0x26F, MTRR_OK, 0x1C08140004081418ull);

	/* Bits 7:5 are reserved, with ModEn or without; then the type in 2:0. */
	for (byte = 0; byte < 8; byte++) {
		uint64_t others = 0x1E1E1E1E1E1E1E1Eull & ~(0xFFull << (8 * byte));

		expect_write(&s, 0x250, others | (0x20ull << (8 * byte)), MTRR_E_RESERVED_BIT);
		expect_write(&s, 0x250, others | (0x86ull << (8 * byte)), MTRR_E_RESERVED_BIT);
		expect_write(&s, 0x258, others | (0x1Aull << (8 * byte)), MTRR_E_INVALID_TYPE);
		expect_write(&s, 0x259, others | (0x0Full << (8 * byte)), MTRR_E_INVALID_TYPE);
		expect_write(&s, 0x268, others | (0x19ull << (8 * byte)), MTRR_OK);
	}
	expect_write(&s, 0xC0010010u, 0, MTRR_OK);
	expect_write(&s, 0x250, 0xFF, MTRR_E_RESERVED_BIT);
	expect_write(&s, 0x250, 0x1F, MTRR_E_INVALID_TYPE);

	/* Without WC: reserved beats invalid beats WC, whatever the bytes' order. */
	c.wc = false;
	new_state(&s, &c);
	expect_write(&s, 0x250, 0x0000000000000019ull, MTRR_E_WC_UNSUPPORTED);
	expect_write(&s, 0x250, 0x0000000000001A19ull, MTRR_E_INVALID_TYPE);
	expect_write(&s, 0x250, 0x00000000001A1940ull, MTRR_E_RESERVED_BIT);
	expect_write(&s, 0x250, 0x4000001A00000019ull, MTRR_E_RESERVED_BIT);
}

/*
 * The types the resolvers see in an AMD fixed byte are bits 2:0: 0x1E is WB,
 * 0x18 UC, hidden or not.
 */
static void
fixed_rdmem_wrmem_types(void **state)
{
	static struct mtrr_map map;
	struct mtrr_state s;
	struct mtrr_caps c;
	uint64_t a;

	(void)state;
	c = caps_of(1, true, true, false, 40, MTRR_VENDOR_AMD);
	new_state(&s, &c);
	expect_write(&s, 0xC0010010u, MOD_EN, MTRR_OK);
	expect_write(&s, 0x250, 0x1E1E1E1E1E1E1E1Eull, MTRR_OK);     /* WB, DRAM */
	expect_write(&s, 0x259, 0x1818181811111111ull, MTRR_OK);     /* WC, then UC */
	expect_write(&s, 0x26F, 0x1D1D1D1D05050505ull, MTRR_OK);     /* WP */
	expect_write(&s, 0xC0010010u, 0, MTRR_OK);
	expect_write(&s, 0x2FF, 0xC00, MTRR_OK);                     /* E, FE, UC */
	assert_int_equal(mtrr_map_build(&map, &s), MTRR_OK);
	for (a = 0; a < 0x100000; a += 0x1000) {
		uint8_t want = a < 0x80000 ? 6 : a < 0xA0000 ? 0 : a < 0xB0000 ? 1 :
			       a < 0xC0000 ? 0 : a >= 0xF8000 ? 5 : 0;

		assert_int_equal(mtrr_ref_lookup(&s, a), want);
		assert_int_equal(mtrr_map_lookup(&map, a), want);
	}
	assert_int_equal(mtrr_map_lookup_range(&map, 0, 0x80000), 6);
	assert_int_equal(mtrr_map_lookup_range(&map, 0xF8000, 0x100000), 5);
}

/* DEF_TYPE, PHYSBASE and SMRR_PHYSBASE type fields, each value 0..255. */
static void
type_field_every_value(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;
	unsigned t;
	int wc;

	(void)state;
	for (wc = 0; wc < 2; wc++) {
		c = caps_of(4, true, wc != 0, true, 46, MTRR_VENDOR_INTEL);
		new_state(&s, &c);
		fill(&s);
		for (t = 0; t < 256; t++) {
			mtrr_status want = type_status(t, wc != 0);

			expect_write(&s, 0x2FF, t, want);
			expect_write(&s, 0x2FF, 0xC00ull | t, want);
			expect_write(&s, 0x200, 0x3FFFFFFFF000ull | t, want);
			expect_write(&s, 0x206, 0x000080000000ull | t, want);
			expect_write(&s, 0x1F2, 0xFFFFF000ull | t, want);
			/* PHYSMASK and SMRR_PHYSMASK have no type: 7:0 are reserved. */
			expect_write(&s, 0x201, 0x3FFFFFFFF800ull | t,
				     t ? MTRR_E_RESERVED_BIT : MTRR_OK);
			expect_write(&s, 0x1F3, 0xFFFFF800ull | t,
				     t ? MTRR_E_RESERVED_BIT : MTRR_OK);
		}
	}
}

/* WC with and without caps.wc, in each kind of type field. */
static void
wc_needs_cap(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;
	int wc;

	(void)state;
	for (wc = 0; wc < 2; wc++) {
		mtrr_status want = wc ? MTRR_OK : MTRR_E_WC_UNSUPPORTED;

		c = caps_of(2, true, wc != 0, true, 36, MTRR_VENDOR_INTEL);
		new_state(&s, &c);
		fill(&s);
		expect_write(&s, 0x2FF, 0xC01, want);
		expect_write(&s, 0x200, 0xF0000001ull, want);
		expect_write(&s, 0x202, 0x1, want);
		expect_write(&s, 0x1F2, 0x7FF00001ull, want);
		expect_write(&s, 0x250, 0x0101010101010101ull, want);
		expect_write(&s, 0x259, 0x0000000100000000ull, want);
		expect_write(&s, 0x26F, 0x0100000000000000ull, want);
		expect_read(&s, 0xFE, MTRR_OK, 2 | (1ull << 8) | (1ull << 11) |
			    (wc ? 1ull << 10 : 0));
	}
}

/* DEF_TYPE.FE is not reserved without caps.fixed: stored, read back. */
static void
fe_without_fixed(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;

	(void)state;
	c = caps_of(8, false, false, false, 36, MTRR_VENDOR_INTEL);
	new_state(&s, &c);
	expect_write(&s, 0x2FF, 1ull << 10, MTRR_OK);
	expect_read(&s, 0x2FF, MTRR_OK, 1ull << 10);
	expect_write(&s, 0x2FF, (1ull << 11) | (1ull << 10) | 6, MTRR_OK);
	expect_read(&s, 0x2FF, MTRR_OK, 0xC06);
	/* The fixed MSRs still do not exist. */
	expect_read(&s, 0x250, MTRR_E_ABSENT, 0);
	expect_write(&s, 0x250, 0, MTRR_E_ABSENT);
}

/* ------------------------------------------------------------------------ */
/* Absent, read-only and foreign MSRs                                       */
/* ------------------------------------------------------------------------ */

static void
absent_variable_pairs(void **state)
{
	static const unsigned vcnts[] = { 0, 1, 2, 7, 8, 16, 39, NVAR };
	struct mtrr_state s;
	struct mtrr_caps c;
	size_t i;
	unsigned n;

	(void)state;
	for (i = 0; i < sizeof(vcnts) / sizeof(vcnts[0]); i++) {
		c = caps_of(vcnts[i], true, true, true, 52, MTRR_VENDOR_INTEL);
		new_state(&s, &c);
		fill(&s);
		for (n = 0; n < NVAR; n++) {
			uint32_t base = 0x200 + 2 * n, mask = base + 1;

			if (n < vcnts[i]) {
				expect_read(&s, base, MTRR_OK, *image_of(&s, base));
				expect_read(&s, mask, MTRR_OK, *image_of(&s, mask));
				expect_write(&s, base, 0xABCDE000ull | 5, MTRR_OK);
				expect_write(&s, mask, 0xFFFFF800ull, MTRR_OK);
			} else {
				expect_read(&s, base, MTRR_E_ABSENT, 0);
				expect_read(&s, mask, MTRR_E_ABSENT, 0);
				expect_write(&s, base, 6, MTRR_E_ABSENT);
				expect_write(&s, mask, 0, MTRR_E_ABSENT);
				expect_write(&s, mask, 1ull << 11, MTRR_E_ABSENT);
			}
		}
	}
	/* 0x24F is PHYSMASK39: absent at vcnt 39, present at 40. */
	c = caps_of(39, false, false, false, 36, MTRR_VENDOR_INTEL);
	new_state(&s, &c);
	expect_read(&s, 0x24F, MTRR_E_ABSENT, 0);
	expect_write(&s, 0x24F, 1ull << 11, MTRR_E_ABSENT);
	expect_write(&s, 0x24D, 1ull << 11, MTRR_OK);
	c.vcnt = NVAR;
	new_state(&s, &c);
	expect_write(&s, 0x24F, 1ull << 11, MTRR_OK);
	expect_read(&s, 0x24F, MTRR_OK, 1ull << 11);
}

static void
absent_fixed_and_smrr(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;
	unsigned m;
	int amd;

	(void)state;
	for (amd = 0; amd < 2; amd++) {
		c = caps_of(8, false, true, false, 36, amd ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL);
		new_state(&s, &c);
		fill(&s);
		for (m = 0; m < NFIXED; m++) {
			expect_read(&s, fixed_msrs[m], MTRR_E_ABSENT, 0);
			expect_write(&s, fixed_msrs[m], 0, MTRR_E_ABSENT);
			expect_write(&s, fixed_msrs[m], 0x0606060606060606ull, MTRR_E_ABSENT);
		}
		expect_read(&s, 0x1F2, MTRR_E_ABSENT, 0);
		expect_read(&s, 0x1F3, MTRR_E_ABSENT, 0);
		expect_write(&s, 0x1F2, 6, MTRR_E_ABSENT);
		expect_write(&s, 0x1F3, 0, MTRR_E_ABSENT);
		expect_write(&s, 0x1F3, 0xFFFFF800ull, MTRR_E_ABSENT);
		/* DEF_TYPE always exists. */
		expect_read(&s, 0x2FF, MTRR_OK, 0xC06);
	}
	/* And with the caps, they exist. */
	c = caps_of(0, true, false, true, 36, MTRR_VENDOR_INTEL);
	new_state(&s, &c);
	for (m = 0; m < NFIXED; m++) {
		expect_read(&s, fixed_msrs[m], MTRR_OK, 0);
		expect_write(&s, fixed_msrs[m], 0x0605040006050400ull >> (8 * (m % 4)), MTRR_OK);
	}
	expect_read(&s, 0x1F2, MTRR_OK, 0);
	expect_write(&s, 0x1F2, 0xA0000006ull, MTRR_OK);
	expect_write(&s, 0x1F3, 0xFF800800ull, MTRR_OK);
}

static void
mtrrcap_read_only(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;
	unsigned vcnt, f, b;

	(void)state;
	for (vcnt = 0; vcnt <= NVAR; vcnt++)
		for (f = 0; f < 16; f++) {
			bool amd = (f & 8) != 0;

			if (amd && (f & 4))
				continue;       /* no SMRR on AMD */
			c = caps_of(vcnt, (f & 1) != 0, (f & 2) != 0, (f & 4) != 0,
				    32 + vcnt % 21, amd ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL);
			new_state(&s, &c);
			expect_read(&s, 0xFE, MTRR_OK, vcnt | ((f & 1) ? 0x100ull : 0) |
				    ((f & 2) ? 0x400ull : 0) | ((f & 4) ? 0x800ull : 0));
		}
	c = caps_of(8, true, true, true, 36, MTRR_VENDOR_INTEL);
	new_state(&s, &c);
	fill(&s);
	expect_write(&s, 0xFE, 0, MTRR_E_READ_ONLY);
	expect_write(&s, 0xFE, 0xD08, MTRR_E_READ_ONLY);    /* its own value */
	expect_write(&s, 0xFE, ~0ull, MTRR_E_READ_ONLY);
	for (b = 0; b < 64; b++)
		expect_write(&s, 0xFE, 1ull << b, MTRR_E_READ_ONLY);
	expect_read(&s, 0xFE, MTRR_OK, 0xD08);
}

static const uint32_t not_mtrr[] = {
	0x0, 0x1, 0x10, 0xFD, 0xFF, 0x100, 0x1F0, 0x1F1, 0x1F4, 0x1F5, 0x1FF,
	0x251, 0x252, 0x257, 0x25A, 0x25F, 0x260, 0x267, 0x270, 0x277, 0x27F,
	0x2FE, 0x300, 0x1200, 0x1201, 0x2200, 0x102FF, 0xC0000080u, 0x800002FFu,
	0x400002FFu, 0xFFFFFFFFu, 0xFFFFFFFEu,
	/* around the AMD registers: HWCR, SMM_ADDR, NB_CFG, ... */
	0xC001000Fu, 0xC0010011u, 0xC0010015u, 0xC001001Bu, 0xC001001Cu, 0xC001001Eu,
	0xC001001Fu, 0xC0000010u, 0x00010010u, 0xC0010116u,
};

static const uint32_t amd_msrs[] = {
	0xC0010010u, 0xC0010016u, 0xC0010017u, 0xC0010018u, 0xC0010019u, 0xC001001Au,
	0xC001001Du,
};
#define NAMD (sizeof(amd_msrs) / sizeof(amd_msrs[0]))

static void
not_mtrr_msrs(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;
	size_t i;
	int amd;

	(void)state;
	for (amd = 0; amd < 2; amd++) {
		c = caps_of(NVAR, true, true, !amd, 52, amd ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL);
		new_state(&s, &c);
		fill(&s);
		for (i = 0; i < sizeof(not_mtrr) / sizeof(not_mtrr[0]); i++) {
			expect_read(&s, not_mtrr[i], MTRR_E_NOT_MTRR, 0);
			expect_write(&s, not_mtrr[i], 0, MTRR_E_NOT_MTRR);
			expect_write(&s, not_mtrr[i], 6, MTRR_E_NOT_MTRR);
			expect_write(&s, not_mtrr[i], ~0ull, MTRR_E_NOT_MTRR);
		}
		/* Every gap in 0x250..0x26F. */
		for (i = 0x250; i <= 0x26F; i++) {
			uint32_t msr = (uint32_t)i;

			if (o_classify(msr).kind == O_FIX)
				continue;
			expect_read(&s, msr, MTRR_E_NOT_MTRR, 0);
			expect_write(&s, msr, 0, MTRR_E_NOT_MTRR);
		}
	}
	/* Foreign stays foreign without any caps. */
	c = caps_of(0, false, false, false, 32, MTRR_VENDOR_INTEL);
	new_state(&s, &c);
	for (i = 0; i < sizeof(not_mtrr) / sizeof(not_mtrr[0]); i++) {
		expect_read(&s, not_mtrr[i], MTRR_E_NOT_MTRR, 0);
		expect_write(&s, not_mtrr[i], 0, MTRR_E_NOT_MTRR);
	}
}

/* ------------------------------------------------------------------------ */
/* AMD: SYSCFG, TOP_MEM, TOP_MEM2, the IORRs                                */
/* ------------------------------------------------------------------------ */

/* Each reserved bit of TOP_MEM/TOP_MEM2 and the IORRs, at every MAXPHYADDR. */
static void
amd_reserved_bits(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;
	unsigned pb, n;

	(void)state;
	for (pb = 32; pb <= 52; pb++) {
		c = caps_of(2, pb % 2 == 0, true, false, pb, MTRR_VENDOR_AMD);
		new_state(&s, &c);
		fill(&s);
		/* TOP_MEM, TOP_MEM2: address 51:23 (to MAXPHYADDR), nothing else */
		bits_one_by_one(&s, 0xC001001Au, o_bits(0, 22) | o_bits(pb, 63), false);
		bits_one_by_one(&s, 0xC001001Du, o_bits(0, 22) | o_bits(pb, 63), false);
		for (n = 0; n < 2; n++) {
			/* IORRBase: PhysBase, RdMem 4, WrMem 3 */
			bits_one_by_one(&s, 0xC0010016u + 2 * n,
					o_bits(0, 2) | o_bits(5, 11) | o_bits(pb, 63), false);
			/* IORRMask: PhysMask, V 11 */
			bits_one_by_one(&s, 0xC0010017u + 2 * n,
					o_bits(0, 10) | o_bits(pb, 63), false);
		}
		/* SYSCFG: nothing reserved for libmtrr, every bit the VMM's or ours */
		bits_one_by_one(&s, 0xC0010010u, 0, false);
	}
}

/*
 * SYSCFG: any value is stored and read back whole, the VMM's bits as much
 * as the MTRR bits, and changes no other register (the fixed MSRs' hidden
 * bits included).
 */
static void
amd_syscfg_any_value(void **state)
{
	static const uint64_t values[] = {
		0, ~0ull, 0x7C0000ull, 0x80000ull, 0x400000ull, 0x1800000ull,
		0xFFFFFFFFFF83FFFFull, 0x8000000000000001ull, 0x0123456789ABCDEFull,
	};
	struct mtrr_state s;
	struct mtrr_caps c;
	size_t i;
	unsigned b;

	(void)state;
	c = caps_of(8, true, true, false, 48, MTRR_VENDOR_AMD);
	new_state(&s, &c);
	fill(&s);
	expect_write(&s, 0xC0010010u, MOD_EN, MTRR_OK);
	expect_write(&s, 0x250, 0x1E1E1E1E1E1E1E1Eull, MTRR_OK);
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		expect_write(&s, 0xC0010010u, values[i], MTRR_OK);
		expect_read(&s, 0xC0010010u, MTRR_OK, values[i]);
		assert_int_equal(s.fixed[0], 0x1E1E1E1E1E1E1E1Eull);
		expect_read(&s, 0x250, MTRR_OK, (values[i] & MOD_EN) ? 0x1E1E1E1E1E1E1E1Eull :
				0x0606060606060606ull);
	}
	for (b = 0; b < 64; b++) {
		expect_write(&s, 0xC0010010u, 1ull << b, MTRR_OK);
		expect_write(&s, 0xC0010010u, ~(1ull << b), MTRR_OK);
	}
}

/*
 * On Intel caps the AMD indices are no MTRRs: MTRR_E_NOT_MTRR for every
 * value, whatever else the caps have; on AMD they exist whatever the caps
 * (no fixed ranges, no pairs).  Their neighbours are never MTRRs.
 */
static void
amd_registers_by_vendor(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;
	size_t i;
	int amd;

	(void)state;
	c = caps_of(NVAR, true, true, true, 52, MTRR_VENDOR_INTEL);
	c.pat = true;
	new_state(&s, &c);
	fill(&s);
	for (i = 0; i < NAMD; i++) {
		expect_read(&s, amd_msrs[i], MTRR_E_NOT_MTRR, 0);
		expect_write(&s, amd_msrs[i], 0, MTRR_E_NOT_MTRR);
		expect_write(&s, amd_msrs[i], 0x80000000ull, MTRR_E_NOT_MTRR);
		expect_write(&s, amd_msrs[i], ~0ull, MTRR_E_NOT_MTRR);
		assert_false(mtrr_status_is_gp(mtrr_wrmsr(&s, amd_msrs[i], 1)));
	}
	for (amd = 0; amd < 2; amd++) {
		c = caps_of(0, false, false, false, 32, amd ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL);
		new_state(&s, &c);
		for (i = 0; i < NAMD; i++) {
			expect_read(&s, amd_msrs[i], amd ? MTRR_OK : MTRR_E_NOT_MTRR, 0);
			expect_write(&s, amd_msrs[i], 0, amd ? MTRR_OK : MTRR_E_NOT_MTRR);
		}
		expect_write(&s, 0xC001001Au, 0xFF800000ull, amd ? MTRR_OK : MTRR_E_NOT_MTRR);
		expect_write(&s, 0xC001001Au, 1ull << 32, amd ? MTRR_E_RESERVED_BIT :
			     MTRR_E_NOT_MTRR);
		expect_write(&s, 0xC0010017u, 0xFFFFF800ull, amd ? MTRR_OK : MTRR_E_NOT_MTRR);
	}
}

/* Example values from firmware: accepted, read back; near misses refused. */
static void
amd_register_values(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;

	(void)state;
	c = caps_of(8, true, true, false, 48, MTRR_VENDOR_AMD);
	new_state(&s, &c);
	/* TOP_MEM 3.5 GiB, TOM2 36 GiB: 8 MiB multiples */
	expect_write(&s, 0xC001001Au, 0xE0000000ull, MTRR_OK);
	expect_write(&s, 0xC001001Du, 0x900000000ull, MTRR_OK);
	expect_write(&s, 0xC001001Au, 0xE0400000ull, MTRR_E_RESERVED_BIT);    /* 4 MiB */
	expect_write(&s, 0xC001001Du, 0x900001000ull, MTRR_E_RESERVED_BIT);
	expect_write(&s, 0xC001001Du, 0xFFFFFF800000ull, MTRR_OK);          /* the top */
	expect_write(&s, 0xC001001Du, 0x1000000000000ull, MTRR_E_RESERVED_BIT);
	/* An IORR for a 16 MiB frame buffer, writes to DRAM (a shadow) */
	expect_write(&s, 0xC0010016u, 0xFD000000ull | (1ull << 3), MTRR_OK);
	expect_write(&s, 0xC0010017u, 0xFFFFFF000000ull | (1ull << 11), MTRR_OK);
	expect_write(&s, 0xC0010016u, 0xFD000006ull, MTRR_E_RESERVED_BIT);   /* no type field */
	expect_write(&s, 0xC0010016u, 0xFD000020ull, MTRR_E_RESERVED_BIT);
	expect_write(&s, 0xC0010017u, 0xFFFFFF000400ull, MTRR_E_RESERVED_BIT);
	/* A non-contiguous mask and a base below its alignment are not refused. */
	expect_write(&s, 0xC0010019u, 0xF0F0F0F0F000ull | (1ull << 11), MTRR_OK);
	expect_write(&s, 0xC0010018u, 0x123456789000ull | (3ull << 3), MTRR_OK);
	expect_read(&s, 0xC0010018u, MTRR_OK, 0x123456789000ull | (3ull << 3));
}

static void
null_arguments(void **state)
{
	struct mtrr_state s;
	struct mtrr_caps c;
	uint64_t v = 42;

	(void)state;
	c = caps_of(8, true, true, true, 36, MTRR_VENDOR_INTEL);
	new_state(&s, &c);
	assert_int_equal(mtrr_wrmsr(NULL, 0x2FF, 0), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_wrmsr(NULL, 0x1F1, 0), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_rdmsr(NULL, 0x2FF, &v), MTRR_E_INVALID_ARG);
	assert_int_equal(v, 42);
	assert_int_equal(mtrr_rdmsr(&s, 0x2FF, NULL), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_rdmsr(&s, 0xFE, NULL), MTRR_E_INVALID_ARG);
	assert_int_equal(mtrr_rdmsr(NULL, 0xFE, NULL), MTRR_E_INVALID_ARG);
}

/* ------------------------------------------------------------------------ */
/* Randomized differential test against the oracle                          */
/* ------------------------------------------------------------------------ */

static uint64_t rng;

/* splitmix64: fast, good enough, and reproducible from the seed. */
static uint64_t
rnd(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static unsigned
rnd_below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static struct mtrr_caps
rnd_caps(void)
{
	static const unsigned vcnts[] = { 0, 1, 2, 7, 8, 10, 39, NVAR };
	static const unsigned pbs[] = { 32, 36, 39, 46, 48, 52 };
	struct mtrr_caps c;
	bool amd = rnd_below(4) == 0;

	memset(&c, 0, sizeof(c));
	c.vcnt = rnd_below(2) ? vcnts[rnd_below(8)] : rnd_below(NVAR + 1);
	c.fixed = rnd_below(4) != 0;
	c.wc = rnd_below(2) != 0;
	c.smrr = !amd && rnd_below(2) != 0;
	c.phys_bits = rnd_below(2) ? pbs[rnd_below(6)] : 32 + rnd_below(21);
	c.vendor = amd ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL;
	c.overlap = rnd_below(2) ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
	return c;
}

static uint32_t
rnd_msr(const struct mtrr_caps *c)
{
	static const uint32_t edges[] = {
		0xFE, 0x2FF, 0x1F2, 0x1F3, 0x1F1, 0x1F4, 0x1FF, 0x24E, 0x24F, 0x250, 0x251,
		0x257, 0x258, 0x259, 0x25A, 0x267, 0x268, 0x26F, 0x270, 0x2FE, 0x300, 0xFF,
		0xFFFFFFFFu,
	};
	unsigned pair;

	switch (rnd_below(c->vendor == MTRR_VENDOR_AMD ? 14 : 13)) {
	case 12: return amd_msrs[rnd_below(NAMD)];      /* on Intel: not MTRRs */
	case 13: return amd_msrs[rnd_below(NAMD)];
	case 0: return edges[rnd_below(sizeof(edges) / sizeof(edges[0]))];
	case 1: return 0x200 + rnd_below(0x50);
	case 2: case 3: case 4:         /* a pair that exists, if any */
		if (c->vcnt > 0)
			return 0x200 + 2 * rnd_below(c->vcnt) + rnd_below(2);
		return 0x2FF;
	case 5: return fixed_msrs[rnd_below(NFIXED)];
	case 6:         /* around the last present pair */
		pair = c->vcnt + rnd_below(3);
		pair = pair >= 2 ? pair - 2 : pair;
		return 0x200 + 2 * pair + rnd_below(2);
	case 7: return 0x1F0 + rnd_below(0x120);
	case 8: return (uint32_t)rnd();
	case 9: return 0x2FF;
	default: return c->smrr ? 0x1F2 + rnd_below(2) : fixed_msrs[rnd_below(NFIXED)];
	}
}

static uint64_t
rnd_type(void)
{
	static const uint8_t valid[] = { 0, 1, 4, 5, 6 };
	static const uint8_t invalid[] = { 2, 3, 7, 8, 0xFE, 0xFF };
	unsigned k = rnd_below(16);

	if (k < 12)
		return valid[k % 5];
	if (k == 12)
		return invalid[rnd_below(6)];
	if (k == 13)
		return 0x18u | valid[rnd_below(5)];
	return rnd() & 0xFF;
}

/* A value with the right shape for the register, every field random. */
static uint64_t
rnd_shaped(const struct mtrr_caps *c, uint32_t msr)
{
	uint64_t addr = rnd() & o_bits(12, c->phys_bits - 1);
	uint64_t v = 0;
	unsigned i;

	switch (o_classify(msr).kind) {
	case O_DEF:
		return rnd_type() | (rnd() & 0xC00);
	case O_BASE:
		return rnd_type() | addr;
	case O_MASK:
		return addr | (rnd() & 0x800);
	case O_SBASE:
		return rnd_type() | (rnd() & 0xFFFFF000ull);
	case O_SMASK:
		return (rnd() & 0xFFFFF800ull);
	case O_SYSCFG:
		return rnd_below(2) ? rnd() : rnd() & o_bits(18, 22);
	case O_TOP: case O_TOP2:
		return addr & o_bits(23, 63);
	case O_IBASE:
		return addr | (rnd() & 0x18);
	case O_IMASK:
		return addr | (rnd() & 0x800);
	default:
		for (i = 0; i < 8; i++)
			v |= rnd_type() << (8 * i);
		return v;
	}
}

static uint64_t
rnd_value(const struct mtrr_caps *c, uint32_t msr)
{
	static const unsigned edge_bits[] = { 8, 9, 10, 11, 12, 31, 32, 63 };
	unsigned pb = c->phys_bits;

	switch (rnd_below(12)) {
	case 0: return 1ull << rnd_below(64);
	case 1: return rnd();
	case 2: case 3: case 4: case 10: case 11: return rnd_shaped(c, msr);
	case 5: return rnd_shaped(c, msr) ^ (1ull << rnd_below(64));
	case 6:
		switch (rnd_below(3)) {
		case 0: return rnd_shaped(c, msr) | (1ull << pb);
		case 1: return rnd_shaped(c, msr) | (1ull << (pb - 1));
		default: return rnd_shaped(c, msr) | (1ull << edge_bits[rnd_below(8)]);
		}
	case 7: return 0;
	case 8: return rnd_shaped(c, fixed_msrs[0]);
	default: return rnd() & 0xFFF;
	}
}

static uint64_t
seed_from_env(void)
{
	const char *e = getenv("MTRR_TEST_SEED");

	return e != NULL ? strtoull(e, NULL, 0) : 0x6D7472722D726567ull;
}

/* Every MTRR MSR index there is, for the periodic full comparison. */
static size_t
all_mtrr_msrs(uint32_t *out)
{
	size_t n = 0;
	unsigned i;

	out[n++] = 0xFE;
	out[n++] = 0x2FF;
	out[n++] = 0x1F2;
	out[n++] = 0x1F3;
	for (i = 0; i < 2 * NVAR; i++)
		out[n++] = 0x200 + i;
	for (i = 0; i < NFIXED; i++)
		out[n++] = fixed_msrs[i];
	for (i = 0; i < NAMD; i++)
		out[n++] = amd_msrs[i];
	return n;
}

static void
compare_read(const struct mtrr_state *s, struct o_model *m, uint32_t msr)
{
	uint64_t got = 0x5A5A5A5A5A5A5A5Aull, want = 0x5A5A5A5A5A5A5A5Aull;
	mtrr_status st = mtrr_rdmsr(s, msr, &got);
	mtrr_status ost = o_read(&s->caps, m, msr, &want);

	if (st != ost)
		report(s, "differential rdmsr", msr, 0, st, ost);
	if (got != want)
		report(s, "differential rdmsr value differs", msr, got, st, ost);
}

#define DIFF_CAPS 2000
#define DIFF_OPS  200

static void
differential(void **state)
{
	uint32_t all[4 + 2 * NVAR + NFIXED + NAMD];
	size_t nall = all_mtrr_msrs(all);
	struct mtrr_state s, before;
	struct o_model m;
	struct mtrr_caps c;
	unsigned long ops = 0, writes = 0, hist[7] = { 0 };
	uint64_t seed = seed_from_env();
	unsigned ci, op;
	size_t i;

	(void)state;
	rng = seed;
	for (ci = 0; ci < DIFF_CAPS; ci++) {
		c = rnd_caps();
		/* Whatever was there before, init starts from all zero. */
		memset(&s, (int)rnd_below(256), sizeof(s));
		new_state(&s, &c);
		memset(&m, 0, sizeof(m));
		for (op = 0; op < DIFF_OPS; op++, ops++) {
			uint32_t msr = rnd_msr(&c);
			unsigned what = rnd_below(100);

			if (what < 80) {
				uint64_t v = rnd_value(&c, msr);
				mtrr_status want = o_write(&c, msr, v), st;

				memcpy(&before, &s, sizeof(s));
				st = mtrr_wrmsr(&s, msr, v);
				writes++;
				if ((unsigned)st < 7)
					hist[st]++;
				if (st != want) {
					print_error("seed %#llx op %lu\n", (unsigned long long)seed, ops);
					report(&before, "differential wrmsr", msr, v, st, want);
				}
				if (st == MTRR_OK) {
					uint64_t img = o_stored(&c, &m, msr, v);

					*o_slot(&m, o_classify(msr)) = img;
					*image_of(&before, msr) = img;
				}
				if (memcmp(&s, &before, sizeof(s)) != 0) {
					print_error("seed %#llx op %lu\n", (unsigned long long)seed, ops);
					report(&before, "differential state bytes", msr, v, st, want);
				}
				compare_read(&s, &m, msr);
			} else if (what < 99) {
				compare_read(&s, &m, msr);
			} else if (what == 99 && rnd_below(4) == 0) {
				mtrr_state_reset(&s, MTRR_RESET_POWER_ON);
				memset(&m, 0, sizeof(m));
			} else {
				mtrr_state_reset(&s, MTRR_RESET_INIT);
			}
			if (op % 64 == 63)
				for (i = 0; i < nall; i++)
					compare_read(&s, &m, all[i]);
		}
		for (i = 0; i < nall; i++)
			compare_read(&s, &m, all[i]);
	}
	print_message("differential: seed %#llx, %lu ops, %lu writes: ok %lu, not-mtrr %lu, "
		      "absent %lu, read-only %lu, reserved %lu, type %lu, wc %lu\n",
		      (unsigned long long)seed, ops, writes, hist[0], hist[1], hist[2], hist[3],
		      hist[4], hist[5], hist[6]);
	/* The generator must reach every outcome often, or the test proves little. */
	assert_true(hist[MTRR_OK] > writes / 4);
	for (i = 1; i < 7; i++)
		assert_true(hist[i] > writes / 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reserved_bits_each),
		cmocka_unit_test(reserved_bits_last_pair),
		cmocka_unit_test(cause_order),
		cmocka_unit_test(fixed_every_byte_every_type),
		cmocka_unit_test(fixed_invalid_beats_wc),
		cmocka_unit_test(fixed_rdmem_wrmem),
		cmocka_unit_test(fixed_rdmem_wrmem_types),
		cmocka_unit_test(type_field_every_value),
		cmocka_unit_test(wc_needs_cap),
		cmocka_unit_test(fe_without_fixed),
		cmocka_unit_test(absent_variable_pairs),
		cmocka_unit_test(absent_fixed_and_smrr),
		cmocka_unit_test(mtrrcap_read_only),
		cmocka_unit_test(not_mtrr_msrs),
		cmocka_unit_test(amd_reserved_bits),
		cmocka_unit_test(amd_syscfg_any_value),
		cmocka_unit_test(amd_registers_by_vendor),
		cmocka_unit_test(amd_register_values),
		cmocka_unit_test(null_arguments),
		cmocka_unit_test(differential),
	};

	return cmocka_run_group_tests_name("registers", tests, NULL, NULL);
}
