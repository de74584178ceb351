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
 *   - any bytes: load never crashes; the status is exactly the one
 *     expect_load() derives from the check order documented at the top of
 *     libmtrr/snapshot.c (framing field by field, then every register against
 *     the snapshot's caps by wrmsr_model.h, then every register against the
 *     target), and load_ex names exactly the register that failed (0 for
 *     the framing and for success); on failure the target state is byte for
 *     byte unchanged, load agrees with load_ex; a NULL buffer or impossible
 *     target caps are INVALID_ARG before anything is read;
 *   - an accepted snapshot: the state has the target caps, every register
 *     passes mtrr_wrmsr for them (a fresh state written with them is equal),
 *     each register equals the snapshot's (decoded here from the documented
 *     format), registers the target lacks were zero, registers the source
 *     lacked are zero; when the target caps equal the snapshot's, saving
 *     again gives the same bytes; with the same overlap policy every address
 *     the source had keeps its memory type;
 *   - round trip: save's size query and length rules, load(save(s)) == s
 *     byte for byte, a truncated, extended or one-byte-corrupted snapshot is
 *     refused.
 */
#include <string.h>

#include "fuzz_state.h"
#include "wrmsr_model.h"

#define SNAP_MAX 2048

static uint64_t
le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/*
 * The caps in a snapshot header (offsets 16..20), as the format documents;
 * 1 when they are caps mtrr_state_init accepts (its documented rules, not
 * the library's check).
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
	       a->vendor == b->vendor && a->overlap == b->overlap;
}

/* The registers of a snapshot taken with caps c, in the format's order. */
static unsigned
snap_order(const struct mtrr_caps *c, uint32_t *msr)
{
	unsigned n = 0, i;

	msr[n++] = MTRR_MSR_DEF_TYPE;
	if (c->fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			msr[n++] = fuzz_fixed_msr(i);
	for (i = 0; i < c->vcnt; i++) {
		msr[n++] = MTRR_MSR_PHYSBASE(i);
		msr[n++] = MTRR_MSR_PHYSMASK(i);
	}
	if (c->smrr) {
		msr[n++] = MTRR_MSR_SMRR_PHYSBASE;
		msr[n++] = MTRR_MSR_SMRR_PHYSMASK;
	}
	return n;
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
	unsigned count, i, pair;
	uint64_t total, v;

	*bad = 0;
	/* 1. Framing: magic on the prefix there is, length, version, sizes. */
	if (memcmp(p, "MTRRSNAP", len < 8 ? len : 8) != 0)
		return MTRR_E_SNAPSHOT_MAGIC;
	if (len < 24)
		return MTRR_E_SNAPSHOT_TRUNCATED;
	if (le(p + 8, 2) != 1)
		return MTRR_E_SNAPSHOT_VERSION;
	count = p[21];
	total = le(p + 12, 4);
	if (le(p + 10, 2) != 24 || total != 24u + 8u * count + 4u)
		return MTRR_E_SNAPSHOT_CORRUPT;
	if (total > len)
		return MTRR_E_SNAPSHOT_TRUNCATED;
	if (total < len)
		return MTRR_E_SNAPSHOT_CORRUPT;
	if (le(p + total - 4, 4) != fuzz_crc32c(p, (size_t)total - 4))
		return MTRR_E_SNAPSHOT_CHECKSUM;
	/* The bytes are intact: now the header's fields must make sense. */
	if ((p[17] & ~7u) != 0 || p[19] > 1 || p[20] > 1 || p[22] != 0 || p[23] != 0 ||
	    !header_caps(p, len, &src) || count != snap_order(&src, msr))
		return MTRR_E_SNAPSHOT_CORRUPT;

	/* 2. Every register against the snapshot's own caps. */
	for (i = 0; i < count; i++) {
		mtrr_status st = expect_write(&src, msr[i], le(p + 24 + 8 * i, 8));

		if (st != MTRR_OK) {
			*bad = msr[i];
			return st;
		}
	}
	/* 3. Every register against the target: dropped only when zero. */
	for (i = 0; i < count; i++) {
		enum reg r = classify(msr[i], &pair);

		v = le(p + 24 + 8 * i, 8);
		if (!exists(target, r, pair)) {
			if (v == 0)
				continue;
		} else if (expect_write(target, msr[i], v) == MTRR_OK &&
			   !(msr[i] == MTRR_MSR_DEF_TYPE && (v & MTRR_DEF_FE) &&
			     src.fixed != target->fixed)) {
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

	for (a = 0; a < MTRR_FIXED_END; a += 0x1000)
		FUZZ_ASSERT_EQ(mtrr_ref_lookup(src, a), mtrr_ref_lookup(dst, a));
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
	struct mtrr_state fresh, src;
	struct mtrr_caps sc;
	unsigned nsrc, ntgt, i;
	uint8_t again[SNAP_MAX];
	uint64_t v;

	FUZZ_ASSERT(caps_equal(&s->caps, target));
	/* Every register passes mtrr_wrmsr for the target, and nothing else moved. */
	ntgt = (unsigned)mtrr_msr_list(target, tgt_msr, MTRR_MSR_LIST_MAX);
	FUZZ_ASSERT(mtrr_state_init(&fresh, target) == MTRR_OK);
	for (i = 0; i < ntgt; i++) {
		FUZZ_ASSERT(mtrr_rdmsr(s, tgt_msr[i], &v) == MTRR_OK);
		FUZZ_ASSERT_EQ(mtrr_wrmsr(&fresh, tgt_msr[i], v), MTRR_OK);
	}
	FUZZ_ASSERT(memcmp(&fresh, s, sizeof(fresh)) == 0);

	/* The snapshot's registers, decoded here, are the state's. */
	FUZZ_ASSERT(header_caps(p, len, &sc));
	nsrc = snap_order(&sc, src_msr);
	FUZZ_ASSERT_EQ(p[21], nsrc);
	FUZZ_ASSERT_EQ(len, 24u + 8u * nsrc + 4u);
	FUZZ_ASSERT(mtrr_state_init(&src, &sc) == MTRR_OK);
	for (i = 0; i < nsrc; i++) {
		uint64_t want = le(p + 24 + 8 * i, 8);

		FUZZ_ASSERT_EQ(mtrr_wrmsr(&src, src_msr[i], want), MTRR_OK);
		if (in_list(tgt_msr, ntgt, src_msr[i])) {
			FUZZ_ASSERT(mtrr_rdmsr(s, src_msr[i], &v) == MTRR_OK);
			FUZZ_ASSERT_EQ(v, want);
		} else {
			FUZZ_ASSERT_EQ(want, 0);        /* dropped only when empty */
		}
	}
	for (i = 0; i < ntgt; i++) {
		if (in_list(src_msr, nsrc, tgt_msr[i]))
			continue;
		FUZZ_ASSERT(mtrr_rdmsr(s, tgt_msr[i], &v) == MTRR_OK);
		FUZZ_ASSERT_EQ(v, 0);
	}
	if (caps_equal(&sc, target)) {
		FUZZ_ASSERT_EQ(mtrr_state_save(s, again, sizeof(again)), len);
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
		/* A register error names one of the snapshot's own registers. */
		FUZZ_ASSERT(header_caps(p, len, &sc));
		FUZZ_ASSERT(in_list(msrs, snap_order(&sc, msrs), bad));
	} else {
		FUZZ_ASSERT_EQ(bad, 0);
	}
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

	size = mtrr_state_save(&s, NULL, 0);
	FUZZ_ASSERT(size >= 28 && size <= SNAP_MAX && (size - 28) % 8 == 0);
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
