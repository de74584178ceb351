/*
 * snapshot_fuzzer.c — mtrr_state_save / mtrr_state_load(_ex).
 *
 * Input: a mode byte.
 *   Load mode (mode bit 0 clear): target caps (3 bytes, strict, see
 *   fuzz_state.h), then the snapshot bytes, any length.  Mode bit 1 replaces
 *   the target caps by the caps the snapshot's header claims (when they are
 *   valid), so accepted snapshots, and the re-save identity, are common.
 *   Mode bit 2 rewrites the last 4 bytes with the CRC-32C of the others, so
 *   mutations of the header and registers get past the checksum.
 *   Round-trip mode (bit 0 set): a legal state (fuzz_build_state), a u16
 *   position and an xor byte (0: no corruption), then target caps.
 *
 * Properties:
 *   - any bytes, format version 1 or 2: load never crashes; the status is
 *     exactly the one expect_load() derives from the check order documented
 *     at the top of libmtrr/snapshot.c (framing field by field, version 2's
 *     records, then every register against the snapshot's caps by
 *     wrmsr_model.h, then every register against the target), and load_ex
 *     names exactly the register that failed (0 for the framing and for
 *     success, the unknown MSR for a version 2 record of one); on failure the target state is byte for
 *     byte unchanged, load agrees with load_ex; a NULL buffer or impossible
 *     target caps are INVALID_ARG before anything is read;
 *   - an accepted snapshot: the state has the target caps, every register
 *     passes mtrr_wrmsr for them (a fresh state written with them is equal),
 *     each register equals the snapshot's (decoded here from the documented
 *     format), registers the target lacks held their power-on value (zero;
 *     the PAT's for IA32_PAT), registers the source lacked hold theirs; when
 *     the target caps equal the snapshot's, saving again in the snapshot's
 *     version gives the same bytes; with the same overlap policy every address
 *     the source had keeps its memory type;
 *   - round trip: save's size query and length rules, load(save(s)) == s
 *     byte for byte, in version 2 (what save writes) and version 1
 *     (mtrr_state_save_version; it refuses exactly the AMD states that use
 *     SYSCFG, TOP_MEM, TOP_MEM2, the IORRs or RdMem/WrMem), a truncated,
 *     extended or one-byte-corrupted snapshot is refused.
 *
 * AMD (the header's words at mtrr_state_save and load): a version 2
 * snapshot of an AMD source carries, after the registers its caps define, a
 * record for each of SYSCFG, the IORRs, TOP_MEM and TOP_MEM2 that is not
 * zero (in index order); registers are compared as images (RdMem/WrMem
 * included), and routing (mtrr_route) is kept like the memory types.
 */
#include <string.h>

#include "fuzz_state.h"
#include "wrmsr_model.h"

#define SNAP_MAX 2048

/* AMD's registers in index order: version 2's optional records. */
static const uint32_t amd_records[7] = {
	0xC0010010u, 0xC0010016u, 0xC0010017u, 0xC0010018u, 0xC0010019u, 0xC001001Au,
	0xC001001Du,
};

static uint64_t
le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* The format version in the header (offset 8); the header must be there. */
static unsigned
version(const uint8_t *p)
{
	return (unsigned)le(p + 8, 2);
}

/* Bytes per register: v1 a value, v2 an index and a value. */
static unsigned
rec_size(const uint8_t *p)
{
	return version(p) == 2 ? 12u : 8u;
}

/* The register count: byte 21 in v1, u16 at 22 in v2. */
static unsigned
reg_count(const uint8_t *p)
{
	return version(p) == 2 ? (unsigned)le(p + 22, 2) : p[21];
}

/* Register i's value in the snapshot. */
static uint64_t
reg_value(const uint8_t *p, unsigned i)
{
	return le(p + 24 + rec_size(p) * i + (version(p) == 2 ? 4 : 0), 8);
}

/* The power-on value of a register, what a load may drop. */
static uint64_t
power_on(uint32_t msr)
{
	return msr == MODEL_MSR_PAT ? 0x0007040600070406ull : 0;
}

/*
 * The caps in a snapshot header (offsets 16..20, and the PAT flag of
 * version 2), as the format documents; 1 when they are caps
 * mtrr_state_init accepts (its documented rules, not the library's check).
 */
static int
header_caps(const uint8_t *p, size_t len, struct mtrr_caps *c)
{
	if (len < 24)
		return 0;
	memset(c, 0, sizeof(*c));
	c->vcnt = p[16];
	c->fixed = (p[17] & 1u) != 0;
	c->wc = (p[17] & 2u) != 0;
	c->smrr = (p[17] & 4u) != 0;
	c->pat = version(p) == 2 && (p[17] & 8u) != 0;
	c->phys_bits = p[18];
	c->vendor = p[19] ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL;
	c->overlap = p[20] ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
	return c->vcnt <= MTRR_VAR_MAX && c->phys_bits >= 32 && c->phys_bits <= 52 &&
	       !(c->smrr && c->vendor == MTRR_VENDOR_AMD);
}

static int
caps_equal(const struct mtrr_caps *a, const struct mtrr_caps *b)
{
	return a->vcnt == b->vcnt && a->fixed == b->fixed && a->wc == b->wc &&
	       a->smrr == b->smrr && a->phys_bits == b->phys_bits &&
	       a->vendor == b->vendor && a->overlap == b->overlap && a->pat == b->pat;
}

/*
 * The registers of a snapshot taken with caps c, in the order of format
 * version `ver`: v1's own order, v2's increasing index.
 */
static unsigned
snap_order(const struct mtrr_caps *c, unsigned ver, uint32_t *msr)
{
	unsigned n = 0, i;

	if (ver == 1) {
		msr[n++] = MTRR_MSR_DEF_TYPE;
		if (c->fixed)
			for (i = 0; i < MTRR_FIXED_MSRS; i++)
				msr[n++] = fuzz_fixed_msr(i);
	}
	if (ver == 2 && c->smrr) {
		msr[n++] = MTRR_MSR_SMRR_PHYSBASE;
		msr[n++] = MTRR_MSR_SMRR_PHYSMASK;
	}
	for (i = 0; i < c->vcnt; i++) {
		msr[n++] = MTRR_MSR_PHYSBASE(i);
		msr[n++] = MTRR_MSR_PHYSMASK(i);
	}
	if (ver == 1 && c->smrr) {
		msr[n++] = MTRR_MSR_SMRR_PHYSBASE;
		msr[n++] = MTRR_MSR_SMRR_PHYSMASK;
	}
	if (ver == 2) {
		if (c->fixed)
			for (i = 0; i < MTRR_FIXED_MSRS; i++)
				msr[n++] = fuzz_fixed_msr(i);
		if (c->pat)
			msr[n++] = MODEL_MSR_PAT;
		msr[n++] = MTRR_MSR_DEF_TYPE;
	}
	return n;
}

/*
 * Version 2's header fields and records, after the checksum: MTRR_OK, with
 * the caps in *src and the count in *count, or the documented status (and
 * in *bad the unknown MSR that made it INCOMPATIBLE).
 */
static mtrr_status
expect_v2_records(const uint8_t *p, size_t len, struct mtrr_caps *src, unsigned *count,
		  uint32_t *bad)
{
	uint32_t want[MTRR_MSR_LIST_MAX], msr, prev = 0;
	unsigned n = reg_count(p), i, pair, want_n;

	if ((p[17] & 0xF0u) != 0 || p[21] != 0)
		return MTRR_E_INCOMPATIBLE;     /* a later library's capability */
	if (p[19] > 1 || p[20] > 1 || !header_caps(p, len, src))
		return MTRR_E_SNAPSHOT_CORRUPT;
	for (i = 0; i < n; i++) {
		msr = (uint32_t)le(p + 24 + 12 * i, 4);
		if (i > 0 && msr <= prev)
			return MTRR_E_SNAPSHOT_CORRUPT;
		prev = msr;
	}
	for (i = 0; i < n; i++) {
		msr = (uint32_t)le(p + 24 + 12 * i, 4);
		if (classify(msr, &pair) == R_NONE && msr != MODEL_MSR_PAT) {
			*bad = msr;
			return MTRR_E_INCOMPATIBLE;     /* a later library's register */
		}
	}
	/* The caps' registers, then AMD records (AMD source, non-zero values). */
	want_n = snap_order(src, 2, want);
	if (n < want_n || n - want_n > 7)
		return MTRR_E_SNAPSHOT_CORRUPT;
	for (i = 0; i < n; i++) {
		msr = (uint32_t)le(p + 24 + 12 * i, 4);
		if (i < want_n ? msr != want[i] :
		    src->vendor != MTRR_VENDOR_AMD || le(p + 24 + 12 * i + 4, 8) == 0)
			return MTRR_E_SNAPSHOT_CORRUPT;
	}
	*count = n;
	return MTRR_OK;
}

static int
in_list(const uint32_t *list, unsigned n, uint32_t msr)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (list[i] == msr)
			return 1;
	return 0;
}

/*
 * What mtrr_state_load must answer for these bytes and a valid target, step
 * by step in the order documented at the top of libmtrr/snapshot.c, and the
 * MSR load_ex must name in *bad (0 unless a register failed).
 */
static mtrr_status
expect_load(const struct mtrr_caps *target, const uint8_t *p, size_t len, uint32_t *bad)
{
	uint32_t msr[MTRR_MSR_LIST_MAX];
	struct mtrr_caps src;
	unsigned count, i, pair, ver;
	uint64_t total, v;
	mtrr_status st;

	*bad = 0;
	/* 1. Framing: magic on the prefix there is, length, version, sizes. */
	if (memcmp(p, "MTRRSNAP", len < 8 ? len : 8) != 0)
		return MTRR_E_SNAPSHOT_MAGIC;
	if (len < 24)
		return MTRR_E_SNAPSHOT_TRUNCATED;
	ver = version(p);
	if (ver != 1 && ver != 2)
		return MTRR_E_SNAPSHOT_VERSION;
	count = reg_count(p);
	total = le(p + 12, 4);
	if (le(p + 10, 2) != 24 || total != 24u + (uint64_t)rec_size(p) * count + 4u)
		return MTRR_E_SNAPSHOT_CORRUPT;
	if (total > len)
		return MTRR_E_SNAPSHOT_TRUNCATED;
	if (total < len)
		return MTRR_E_SNAPSHOT_CORRUPT;
	if (le(p + total - 4, 4) != fuzz_crc32c(p, (size_t)total - 4))
		return MTRR_E_SNAPSHOT_CHECKSUM;
	/* The bytes are intact: now the header's fields must make sense. */
	if (ver == 1 && ((p[17] & ~7u) != 0 || p[19] > 1 || p[20] > 1 || p[22] != 0 ||
			 p[23] != 0 || !header_caps(p, len, &src) ||
			 count != snap_order(&src, 1, msr)))
		return MTRR_E_SNAPSHOT_CORRUPT;
	if (ver == 2) {
		st = expect_v2_records(p, len, &src, &count, bad);
		if (st != MTRR_OK)
			return st;
		for (i = 0; i < count; i++)     /* the records, AMD's included */
			msr[i] = (uint32_t)le(p + 24 + 12 * i, 4);
	}

	/* 2. Every register against the snapshot's own caps. */
	for (i = 0; i < count; i++) {
		st = expect_write(&src, msr[i], reg_value(p, i));
		if (st != MTRR_OK) {
			*bad = msr[i];
			return st;
		}
	}
	/* 3. Every register against the target: dropped only at its power-on value. */
	for (i = 0; i < count; i++) {
		enum reg r = classify(msr[i], &pair);
		int present = msr[i] == MODEL_MSR_PAT ? target->pat : exists(target, r, pair);

		v = reg_value(p, i);
		if (!present) {
			if (v == power_on(msr[i]))
				continue;
		} else if (expect_write(target, msr[i], v) == MTRR_OK &&
			   !(src.fixed != target->fixed &&
			     ((msr[i] == MTRR_MSR_DEF_TYPE && (v & MTRR_DEF_FE)) ||
			      (msr[i] == MTRR_MSR_SYSCFG && (v & MTRR_SYSCFG_FIX_DRAM_EN))))) {
			continue;
		}
		*bad = msr[i];
		return MTRR_E_INCOMPATIBLE;
	}
	return MTRR_OK;
}

/*
 * Every address both states have keeps its type (probed where a type can
 * change: the first MiB page by page, the edges of the source's pairs).
 */
static void
same_types(const struct mtrr_state *src, const struct mtrr_state *dst)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(src->caps.phys_bits);
	uint64_t limit = 1ull << src->caps.phys_bits, a;

	/* Addresses beyond a smaller target's MAXPHYADDR no longer exist. */
	if (dst->caps.phys_bits < src->caps.phys_bits)
		limit = 1ull << dst->caps.phys_bits;
	unsigned n;

	for (a = 0; a < MTRR_FIXED_END; a += 0x1000) {
		FUZZ_ASSERT_EQ(mtrr_ref_lookup(src, a), mtrr_ref_lookup(dst, a));
		if (src->caps.vendor == MTRR_VENDOR_AMD && dst->caps.vendor == MTRR_VENDOR_AMD) {
			FUZZ_ASSERT_EQ(mtrr_route(src, a, false), mtrr_route(dst, a, false));
			FUZZ_ASSERT_EQ(mtrr_route(src, a, true), mtrr_route(dst, a, true));
		}
	}
	FUZZ_ASSERT_EQ(mtrr_ref_lookup(src, limit - 1), mtrr_ref_lookup(dst, limit - 1));
	for (n = 0; n < src->caps.vcnt; n++) {
		uint64_t mask = src->var[n].mask & phys, lo = src->var[n].base & mask;
		uint64_t size = mask ? mask & (0 - mask) : limit;
		uint64_t pts[4] = { lo, lo + size - 1, lo + size, lo - 1 };
		unsigned i;

		for (i = 0; i < 4; i++)
			if (pts[i] < limit)
				FUZZ_ASSERT_EQ(mtrr_ref_lookup(src, pts[i]),
					       mtrr_ref_lookup(dst, pts[i]));
	}
}

static void
check_accepted(const struct mtrr_state *s, const struct mtrr_caps *target,
               const uint8_t *p, size_t len)
{
	uint32_t src_msr[MTRR_MSR_LIST_MAX], tgt_msr[MTRR_MSR_LIST_MAX];
	uint64_t src_val[MTRR_MSR_LIST_MAX], tgt_val[MTRR_MSR_LIST_MAX];
	struct mtrr_state fresh, src;
	struct mtrr_caps sc;
	unsigned nsrc, ntgt, i;
	uint8_t again[SNAP_MAX];
	uint64_t v;

	FUZZ_ASSERT(caps_equal(&s->caps, target));
	/*
	 * Every register passes mtrr_wrmsr for the target, and nothing else
	 * moved: the images (RdMem/WrMem included) written into a fresh state
	 * give `s` again.
	 */
	ntgt = (unsigned)mtrr_msr_list(target, tgt_msr, MTRR_MSR_LIST_MAX);
	FUZZ_ASSERT(mtrr_state_init(&fresh, target) == MTRR_OK);
	for (i = 0; i < ntgt; i++) {
		FUZZ_ASSERT(mtrr_rdmsr(s, tgt_msr[i], &v) == MTRR_OK);
		tgt_val[i] = model_image(s, tgt_msr[i]);
		FUZZ_ASSERT_EQ(v, model_hidden(target, tgt_msr[i], s->syscfg) ?
				  tgt_val[i] & ~MODEL_RDWR : tgt_val[i]);
	}
	FUZZ_ASSERT(model_write_images(&fresh, tgt_msr, tgt_val, ntgt));
	FUZZ_ASSERT(memcmp(&fresh, s, sizeof(fresh)) == 0);

	/*
	 * The snapshot's registers, decoded here, are the state's: the ones
	 * the caps define, in the version's order, then (version 2) AMD's
	 * records.
	 */
	FUZZ_ASSERT(header_caps(p, len, &sc));
	nsrc = snap_order(&sc, version(p), src_msr);
	for (i = 0; version(p) == 2 && i < 7; i++)
		if (nsrc < reg_count(p) && le(p + 24 + 12 * nsrc, 4) == amd_records[i])
			src_msr[nsrc++] = amd_records[i];
	FUZZ_ASSERT_EQ(reg_count(p), nsrc);
	FUZZ_ASSERT_EQ(len, 24u + rec_size(p) * nsrc + 4u);
	FUZZ_ASSERT(mtrr_state_init(&src, &sc) == MTRR_OK);
	for (i = 0; i < nsrc; i++) {
		uint64_t want = reg_value(p, i);

		if (version(p) == 2)
			FUZZ_ASSERT_EQ(le(p + 24 + 12 * i, 4), src_msr[i]);
		src_val[i] = want;
		if (in_list(tgt_msr, ntgt, src_msr[i]))
			FUZZ_ASSERT_EQ(model_image(s, src_msr[i]), want);
		else    /* dropped only when it held its power-on value */
			FUZZ_ASSERT_EQ(want, power_on(src_msr[i]));
	}
	FUZZ_ASSERT(model_write_images(&src, src_msr, src_val, nsrc));
	for (i = 0; i < ntgt; i++) {
		if (in_list(src_msr, nsrc, tgt_msr[i]))
			continue;
		FUZZ_ASSERT_EQ(model_image(s, tgt_msr[i]), power_on(tgt_msr[i]));
	}
	if (caps_equal(&sc, target)) {
		FUZZ_ASSERT_EQ(mtrr_state_save_version(s, version(p), again, sizeof(again)), len);
		FUZZ_ASSERT(memcmp(again, p, len) == 0);
	}
	if (sc.overlap == target->overlap)
		same_types(&src, s);
}

static void
check_load(const struct mtrr_caps *target, const uint8_t *p, size_t len)
{
	static struct mtrr_state s, before, s2;
	uint32_t bad = 0xDEADBEEF, want_bad, msrs[MTRR_MSR_LIST_MAX];
	struct mtrr_caps sc, wrong = *target;
	unsigned i;
	mtrr_status st, want = expect_load(target, p, len, &want_bad);

	memset(&s, 0x5A, sizeof(s));
	memcpy(&before, &s, sizeof(s));
	/* Refused before a byte is read: no buffer, impossible target caps. */
	FUZZ_ASSERT_EQ(mtrr_state_load_ex(&s, target, NULL, len, &bad), MTRR_E_INVALID_ARG);
	FUZZ_ASSERT_EQ(bad, 0);
	wrong.phys_bits = 53;
	FUZZ_ASSERT_EQ(mtrr_state_load(&s, &wrong, p, len), MTRR_E_INVALID_ARG);
	FUZZ_ASSERT_EQ(mtrr_state_load(NULL, target, p, len), MTRR_E_INVALID_ARG);
	FUZZ_ASSERT(memcmp(&s, &before, sizeof(s)) == 0);

	bad = 0xDEADBEEF;
	st = mtrr_state_load_ex(&s, target, p, len, &bad);
	FUZZ_ASSERT_EQ(st, want);
	FUZZ_ASSERT_EQ(bad, want_bad);
	FUZZ_ASSERT(mtrr_status_str(st)[0] != '\0');
	memset(&s2, 0x5A, sizeof(s2));
	FUZZ_ASSERT_EQ(mtrr_state_load(&s2, target, p, len), st);
	FUZZ_ASSERT(memcmp(&s, &s2, sizeof(s)) == 0);
	FUZZ_ASSERT_EQ(mtrr_state_load_ex(&s2, target, p, len, NULL), st);
	if (st == MTRR_OK) {
		FUZZ_ASSERT_EQ(bad, 0);
		check_accepted(&s, target, p, len);
		return;
	}
	FUZZ_ASSERT(memcmp(&s, &before, sizeof(s)) == 0);
	FUZZ_ASSERT(st == MTRR_E_RESERVED_BIT || st == MTRR_E_INVALID_TYPE ||
		    st == MTRR_E_WC_UNSUPPORTED || st == MTRR_E_INCOMPATIBLE ||
		    (st >= MTRR_E_SNAPSHOT_TRUNCATED && st <= MTRR_E_SNAPSHOT_CORRUPT));
	if (mtrr_status_is_gp(st) || (st == MTRR_E_INCOMPATIBLE && bad != 0)) {
		/*
		 * A register error names one of the snapshot's own registers:
		 * in v2 one of its records (the framing held, so they are all
		 * there), in v1 one its caps give.
		 */
		if (version(p) == 2) {
			for (i = 0; i < reg_count(p) && le(p + 24 + 12 * i, 4) != bad; i++)
				;
			FUZZ_ASSERT(i < reg_count(p));
		} else {
			FUZZ_ASSERT(header_caps(p, len, &sc));
			FUZZ_ASSERT(in_list(msrs, snap_order(&sc, 1, msrs), bad));
		}
	} else {
		FUZZ_ASSERT_EQ(bad, 0);
	}
}

/* Does s hold anything version 1 cannot (the header: AMD registers, RdMem/WrMem)? */
static int
uses_amd(const struct mtrr_state *s)
{
	unsigned i;

	if (s->caps.vendor != MTRR_VENDOR_AMD)
		return 0;
	for (i = 0; i < 7; i++)
		if (model_image(s, amd_records[i]) != 0)
			return 1;
	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		if (s->fixed[i] & MODEL_RDWR)
			return 1;
	return 0;
}

static void
round_trip(struct fuzz_in *in)
{
	static struct mtrr_state s, t;
	static uint8_t buf[SNAP_MAX + 16], copy[SNAP_MAX + 16];
	struct mtrr_caps target;
	size_t size, pos;
	uint8_t x;

	fuzz_build_state(in, &s);
	pos = (size_t)fuzz_le(in, 2);
	x = fuzz_u8(in);
	fuzz_caps(in, &target, 1);

	/*
	 * Version 1 too: the caps here have no PAT, so it can express s unless
	 * s uses AMD's registers or RdMem/WrMem.
	 */
	size = mtrr_state_save_version(&s, 1, buf, sizeof(buf));
	if (uses_amd(&s)) {
		FUZZ_ASSERT_EQ(size, 0);
	} else {
		FUZZ_ASSERT(size >= 28 && size <= SNAP_MAX && (size - 28) % 8 == 0);
		memset(&t, 0x5A, sizeof(t));
		FUZZ_ASSERT_EQ(mtrr_state_load(&t, &s.caps, buf, size), MTRR_OK);
		FUZZ_ASSERT(memcmp(&t, &s, sizeof(t)) == 0);
		check_load(&s.caps, buf, size);
	}

	size = mtrr_state_save(&s, NULL, 0);
	FUZZ_ASSERT(size >= 28 && size <= SNAP_MAX && (size - 28) % 12 == 0);
	memset(buf, 0xA5, sizeof(buf));
	FUZZ_ASSERT_EQ(mtrr_state_save(&s, buf, size - 1), size);
	FUZZ_ASSERT_EQ(buf[0], 0xA5);                   /* too short: nothing written */
	FUZZ_ASSERT_EQ(mtrr_state_save(&s, buf, size + 16), size);
	FUZZ_ASSERT_EQ(buf[size], 0xA5);                /* nothing past the size */
	FUZZ_ASSERT(memcmp(buf, "MTRRSNAP", 8) == 0);

	memset(&t, 0x5A, sizeof(t));
	FUZZ_ASSERT_EQ(mtrr_state_load(&t, &s.caps, buf, size), MTRR_OK);
	FUZZ_ASSERT(memcmp(&t, &s, sizeof(t)) == 0);
	check_load(&s.caps, buf, size);
	FUZZ_ASSERT(mtrr_state_load(&t, &s.caps, buf, size - 1) != MTRR_OK);
	FUZZ_ASSERT(mtrr_state_load(&t, &s.caps, buf, size + 1) != MTRR_OK);
	FUZZ_ASSERT(memcmp(&t, &s, sizeof(t)) == 0);
	check_load(&s.caps, buf, size - 1);
	check_load(&s.caps, buf, size + 1);

	/* CRC-32C detects every error confined to one byte. */
	if (x != 0) {
		memcpy(copy, buf, size);
		copy[pos % size] ^= x;
		FUZZ_ASSERT(mtrr_state_load(&t, &s.caps, copy, size) != MTRR_OK);
		check_load(&s.caps, copy, size);
	}
	/* Another processor: the compatibility rules. */
	check_load(&target, buf, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t sealed[SNAP_MAX];
	struct fuzz_in in = fuzz_in_make(data, size);
	struct mtrr_caps target, own;
	uint8_t mode = fuzz_u8(&in);

	if (mode & 1u) {
		round_trip(&in);
		return 0;
	}
	fuzz_caps(&in, &target, 1);
	if ((mode & 2u) && header_caps(in.p, in.n, &own))
		target = own;
	if ((mode & 4u) && in.n >= 4 && in.n <= sizeof(sealed)) {
		uint32_t c = fuzz_crc32c(in.p, in.n - 4);

		memcpy(sealed, in.p, in.n - 4);
		sealed[in.n - 4] = (uint8_t)c;
		sealed[in.n - 3] = (uint8_t)(c >> 8);
		sealed[in.n - 2] = (uint8_t)(c >> 16);
		sealed[in.n - 1] = (uint8_t)(c >> 24);
		check_load(&target, sealed, in.n);
		return 0;
	}
	check_load(&target, in.p, in.n);
	return 0;
}
