/*
 * snapshot.c — save/restore of one vCPU's MTRRs, for migration.
 *
 * FORMAT, version 1.  Every multi-byte field is little-endian and written
 * byte by byte, so the bytes do not depend on the host's endianness or on the
 * size or padding of any struct.
 *
 *   offset  size  field
 *   0       8     magic "MTRRSNAP"
 *   8       2     format version, 1
 *   10      2     header size, 24 (offset of the first register)
 *   12      4     total size in bytes, checksum included: 24 + 8 * count + 4
 *   16      1     source caps.vcnt, 0..40
 *   17      1     source caps flags: bit 0 fixed, bit 1 wc, bit 2 smrr;
 *                 bits 7:3 zero
 *   18      1     source caps.phys_bits, 32..52
 *   19      1     source caps.vendor: 0 Intel, 1 AMD
 *   20      1     source caps.overlap: 0 UC, 1 WB
 *   21      1     register count: 1 + 11 * fixed + 2 * vcnt + 2 * smrr
 *   22      2     zero
 *   24      8 * count  the registers the source caps have, as u64, in this
 *                 order: IA32_MTRR_DEF_TYPE; the 11 fixed MSRs (0x250, 0x258,
 *                 0x259, 0x268..0x26F) when fixed; PHYSBASEn, PHYSMASKn for
 *                 n < vcnt; SMRR_PHYSBASE, SMRR_PHYSMASK when smrr
 *   total-4 4     CRC-32C (Castagnoli, reflected, init and final xor
 *                 0xFFFFFFFF) of every byte before it
 *
 * A snapshot is 28 bytes plus 8 per register: 780 bytes at most.
 *
 * LOAD checks, in this order; the first failure is the status:
 *   0. NULL `s` or `buf`, target caps mtrr_state_init would refuse ->
 *      INVALID_ARG;
 *   1. framing: the first min(len, 8) bytes are not the magic's -> MAGIC;
 *      len < 24 -> TRUNCATED; version -> VERSION; header size other than 24,
 *      or total size disagreeing with the register count -> CORRUPT; total
 *      size above len -> TRUNCATED, below len (trailing bytes are garbage
 *      too) -> CORRUPT; checksum -> CHECKSUM; then, with the bytes known
 *      intact: source caps out of range (the rules of mtrr_state_init),
 *      unknown flag bits, non-zero reserved bytes, a register count other
 *      than the caps imply -> CORRUPT;
 *   2. every register against the SOURCE caps, through the validator
 *      mtrr_wrmsr uses: a value the source processor could never have held
 *      gets that #GP status (RESERVED_BIT, INVALID_TYPE, WC_UNSUPPORTED);
 *   3. compatibility with the TARGET caps, register by register (a failure is
 *      INCOMPATIBLE): the policy is that a load never loses a register's
 *      content and never changes the memory type of an address the source
 *      had.  So:
 *        - a register the target lacks (a pair >= target vcnt, the fixed
 *          MSRs without target fixed, SMRR without target smrr) may be dropped
 *          only when it is zero;
 *        - DEF_TYPE.FE set needs source fixed == target fixed, since FE is
 *          inert without fixed ranges and live with them;
 *        - every kept register must pass the validator against the target
 *          caps: WC needs target wc, PhysBase/PhysMask must fit the target's
 *          MAXPHYADDR (the validator's RESERVED_BIT becomes INCOMPATIBLE: the
 *          value was legal where it came from, it is the target that is
 *          smaller).
 *      A larger target MAXPHYADDR is accepted: every address the source had
 *      keeps its type.  Vendor and overlap policy may differ: the registers'
 *      rules are the same for both vendors (SMRR aside, covered above), and
 *      the overlap policy is the target VMM's choice, so it comes from the
 *      target caps like everything else.
 *
 * Steps 2 and 3 go in snapshot order and name the register at fault in
 * load_ex's *bad_msr.  Splitting them keeps the two meanings apart: a #GP
 * status says the snapshot itself is garbage, INCOMPATIBLE that it is sound
 * but this target cannot hold it.
 *
 * A load that succeeds leaves `s` initialised with the target caps, holding
 * the snapshot's registers: load(save(x)) equals x byte for byte.
 */
#include <string.h>

#include "internal.h"

#define SNAP_VERSION    1u
#define SNAP_HEADER     24u
#define SNAP_CRC        4u
#define SNAP_REGS_MAX   (1u + MTRR_FIXED_MSRS + 2u * MTRR_VAR_MAX + 2u)

#define FLAG_FIXED      0x01u
#define FLAG_WC         0x02u
#define FLAG_SMRR       0x04u

static const unsigned char magic[8] = { 'M', 'T', 'R', 'R', 'S', 'N', 'A', 'P' };

/* Bitwise CRC-32C: a snapshot is under 1 KiB, a table would not pay. */
static uint32_t
crc32c(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFFu;
	unsigned k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
	}
	return crc ^ 0xFFFFFFFFu;
}

static void
put_le(unsigned char *p, uint64_t v, unsigned bytes)
{
	unsigned i;

	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
get_le(const unsigned char *p, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/*
 * The registers caps `c` define, in snapshot order; returns the count.
 * mtrr_msr_list is not reused: its order (DEF_TYPE last) is a restore order,
 * and the snapshot's order is part of the format.
 */
static unsigned
snap_msrs(const struct mtrr_caps *c, uint32_t *msrs)
{
	unsigned n = 0, i;

	msrs[n++] = MTRR_MSR_DEF_TYPE;
	if (c->fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			msrs[n++] = mtrr__fixed_msr(i);
	for (i = 0; i < c->vcnt; i++) {
		msrs[n++] = MTRR_MSR_PHYSBASE(i);
		msrs[n++] = MTRR_MSR_PHYSMASK(i);
	}
	if (c->smrr) {
		msrs[n++] = MTRR_MSR_SMRR_PHYSBASE;
		msrs[n++] = MTRR_MSR_SMRR_PHYSMASK;
	}
	return n;
}

size_t
mtrr_state_save(const struct mtrr_state *s, void *buf, size_t len)
{
	uint32_t msrs[SNAP_REGS_MAX];
	unsigned char *p = buf;
	unsigned n, i;
	size_t size;

	/* A corrupted image is never serialised: it would not load anyway. */
	if (mtrr_state_check(s, NULL) != MTRR_OK)
		return 0;
	n = snap_msrs(&s->caps, msrs);
	size = SNAP_HEADER + 8u * n + SNAP_CRC;
	if (p == NULL || len < size)
		return size;
	memcpy(p, magic, sizeof(magic));
	put_le(p + 8, SNAP_VERSION, 2);
	put_le(p + 10, SNAP_HEADER, 2);
	put_le(p + 12, size, 4);
	p[16] = (unsigned char)s->caps.vcnt;
	p[17] = (unsigned char)((s->caps.fixed ? FLAG_FIXED : 0u) |
				(s->caps.wc ? FLAG_WC : 0u) |
				(s->caps.smrr ? FLAG_SMRR : 0u));
	p[18] = (unsigned char)s->caps.phys_bits;
	p[19] = (unsigned char)s->caps.vendor;
	p[20] = (unsigned char)s->caps.overlap;
	p[21] = (unsigned char)n;
	p[22] = p[23] = 0;
	for (i = 0; i < n; i++) {
		uint64_t v = 0;

		(void)mtrr_rdmsr(s, msrs[i], &v);  /* present by construction */
		put_le(p + SNAP_HEADER + 8u * i, v, 8);
	}
	put_le(p + size - SNAP_CRC, crc32c(p, size - SNAP_CRC), 4);
	return size;
}

/* Step 1: framing and header fields; fills *src and returns the count. */
static mtrr_status
check_framing(const unsigned char *p, size_t len, struct mtrr_caps *src, unsigned *count)
{
	size_t total;
	unsigned flags;

	if (memcmp(p, magic, len < sizeof(magic) ? len : sizeof(magic)) != 0)
		return MTRR_E_SNAPSHOT_MAGIC;
	if (len < SNAP_HEADER)
		return MTRR_E_SNAPSHOT_TRUNCATED;
	if (get_le(p + 8, 2) != SNAP_VERSION)
		return MTRR_E_SNAPSHOT_VERSION;
	total = (size_t)get_le(p + 12, 4);
	*count = p[21];
	if (get_le(p + 10, 2) != SNAP_HEADER ||
	    total != SNAP_HEADER + 8u * *count + SNAP_CRC)
		return MTRR_E_SNAPSHOT_CORRUPT;
	if (total > len)
		return MTRR_E_SNAPSHOT_TRUNCATED;
	if (total < len)
		return MTRR_E_SNAPSHOT_CORRUPT;     /* trailing bytes: garbage */
	if (get_le(p + total - SNAP_CRC, 4) != crc32c(p, total - SNAP_CRC))
		return MTRR_E_SNAPSHOT_CHECKSUM;

	flags = p[17];
	memset(src, 0, sizeof(*src));
	src->vcnt = p[16];
	src->fixed = (flags & FLAG_FIXED) != 0;
	src->wc = (flags & FLAG_WC) != 0;
	src->smrr = (flags & FLAG_SMRR) != 0;
	src->phys_bits = p[18];
	src->vendor = p[19] ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL;
	src->overlap = p[20] ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
	if ((flags & ~(FLAG_FIXED | FLAG_WC | FLAG_SMRR)) != 0 || p[19] > 1 ||
	    p[20] > 1 || p[22] != 0 || p[23] != 0 || !mtrr__caps_valid(src))
		return MTRR_E_SNAPSHOT_CORRUPT;
	if (*count != 1u + (src->fixed ? MTRR_FIXED_MSRS : 0u) + 2u * src->vcnt +
		      (src->smrr ? 2u : 0u))
		return MTRR_E_SNAPSHOT_CORRUPT;
	return MTRR_OK;
}

/* Step 3 for one register, already valid for the source caps. */
static mtrr_status
check_target(const struct mtrr_caps *src, const struct mtrr_caps *tgt,
	     uint32_t msr, uint64_t v)
{
	mtrr_status st = mtrr__check_write(tgt, msr, v);

	if (st == MTRR_E_ABSENT)
		return v == 0 ? MTRR_E_ABSENT : MTRR_E_INCOMPATIBLE;
	if (st != MTRR_OK)
		return MTRR_E_INCOMPATIBLE;
	if (msr == MTRR_MSR_DEF_TYPE && (v & MTRR_DEF_FE) && src->fixed != tgt->fixed)
		return MTRR_E_INCOMPATIBLE;
	return MTRR_OK;
}

mtrr_status
mtrr_state_load_ex(struct mtrr_state *s, const struct mtrr_caps *target,
		   const void *buf, size_t len, uint32_t *bad_msr)
{
	uint32_t msrs[SNAP_REGS_MAX];
	uint64_t vals[SNAP_REGS_MAX];
	const unsigned char *p = buf;
	struct mtrr_caps src;
	struct mtrr_state n;
	unsigned count, i;
	mtrr_status st;

	if (bad_msr != NULL)
		*bad_msr = 0;
	if (s == NULL || p == NULL || !mtrr__caps_valid(target))
		return MTRR_E_INVALID_ARG;
	st = check_framing(p, len, &src, &count);
	if (st != MTRR_OK)
		return st;
	(void)snap_msrs(&src, msrs);
	for (i = 0; i < count; i++)
		vals[i] = get_le(p + SNAP_HEADER + 8u * i, 8);

	/* Step 2: garbage for its own processor is reported as the #GP it is. */
	for (i = 0; i < count; i++) {
		st = mtrr__check_write(&src, msrs[i], vals[i]);
		if (st != MTRR_OK)
			goto bad;
	}
	/*
	 * Step 3, building the new state on the side: `s` is written once, at
	 * the end, or not at all.  Registers the target lacks are zero here
	 * (check_target said so) and stay dropped.
	 */
	(void)mtrr_state_init(&n, target);
	for (i = 0; i < count; i++) {
		st = check_target(&src, target, msrs[i], vals[i]);
		if (st == MTRR_E_ABSENT)
			continue;
		if (st != MTRR_OK)
			goto bad;
		(void)mtrr_wrmsr(&n, msrs[i], vals[i]);
	}
	/* memcpy, not =: padding bytes too, so equal states compare equal. */
	memcpy(s, &n, sizeof(n));
	return MTRR_OK;
bad:
	if (bad_msr != NULL)
		*bad_msr = msrs[i];
	return st;
}

mtrr_status
mtrr_state_load(struct mtrr_state *s, const struct mtrr_caps *target,
		const void *buf, size_t len)
{
	return mtrr_state_load_ex(s, target, buf, len, NULL);
}
