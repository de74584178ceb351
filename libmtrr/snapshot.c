/*
 * snapshot.c — save/restore of one vCPU's MTRRs (and PAT), for migration.
 *
 * Every multi-byte field is little-endian and written byte by byte, so the
 * bytes do not depend on the host's endianness or on the size or padding of
 * any struct.  Two format versions share a 24-byte header; save writes
 * version 2, load reads both.
 *
 *   offset  size  field (both versions unless marked)
 *   0       8     magic "MTRRSNAP"
 *   8       2     format version: 1 or 2
 *   10      2     header size, 24 (offset of the first register)
 *   12      4     total size in bytes, checksum included:
 *                 v1: 24 + 8 * count + 4;  v2: 24 + 12 * count + 4
 *   16      1     source caps.vcnt, 0..40
 *   17      1     source caps flags: bit 0 fixed, bit 1 wc, bit 2 smrr,
 *                 v2 only: bit 3 pat.  Other bits: zero (see v2 below)
 *   18      1     source caps.phys_bits, 32..52
 *   19      1     source caps.vendor: 0 Intel, 1 AMD
 *   20      1     source caps.overlap: 0 UC, 1 WB
 *   21      1     v1: register count, 1 + 11 * fixed + 2 * vcnt + 2 * smrr
 *                 v2: more caps flags, zero
 *   22      2     v1: zero.  v2: register count (u16)
 *   24      ...   the registers (below)
 *   total-4 4     CRC-32C (Castagnoli, reflected, init and final xor
 *                 0xFFFFFFFF) of every byte before it
 *
 * VERSION 1 registers: count values (u64) with no index, in a fixed order:
 * IA32_MTRR_DEF_TYPE; the 11 fixed MSRs (0x250, 0x258, 0x259, 0x268..0x26F)
 * when fixed; PHYSBASEn, PHYSMASKn for n < vcnt; SMRR_PHYSBASE, SMRR_PHYSMASK
 * when smrr.  28 bytes plus 8 per register, 780 at most.  It has no PAT.
 *
 * VERSION 2 registers: count records of 12 bytes, (u32 MSR index, u64
 * value), in strictly increasing index order, one for each register the
 * source caps define: SMRR_PHYSBASE, SMRR_PHYSMASK when smrr; PHYSBASEn,
 * PHYSMASKn for n < vcnt; the fixed MSRs when fixed; IA32_PAT when pat;
 * IA32_MTRR_DEF_TYPE; then, from an AMD source, one for each of SYSCFG
 * (C001_0010h), IORRBase0/Mask0/Base1/Mask1 (C001_0016h..19h), TOP_MEM
 * (C001_001Ah) and TOP_MEM2 (C001_001Dh) whose value is not zero, and for no
 * other (a missing one is zero, its RESET value).  28 bytes plus 12 per
 * register, 1228 at most.  Every value is the register as the processor
 * holds it: an AMD fixed MSR with its RdMem/WrMem bits even while
 * SYSCFG.MtrrFixDramModEn hides them from RDMSR.
 *
 * The AMD records are how version 2 grows without a version 3: an AMD vCPU
 * that never touched its AMD registers writes exactly the bytes an earlier
 * library wrote and loads there too; one that did carries records an earlier
 * library does not know, and it refuses them (INCOMPATIBLE, below) instead of
 * losing them.  A version 1 snapshot cannot hold them: save refuses to write
 * one of an AMD state with any of them non-zero, or with RdMem/WrMem set in a
 * fixed MSR (a library that reads only version 1 refuses those bytes).
 *
 * Version 2 is meant to grow without a version 3: a later library adds a
 * register as one more record (and, when the register depends on a new
 * capability, a caps flag from the bits that are zero today).  A library
 * that meets a flag or a register it does not know refuses the snapshot as
 * MTRR_E_INCOMPATIBLE (naming the register in load_ex's *bad_msr): it could
 * only load it by losing that register.  Snapshots of vCPUs without the new
 * capability keep loading everywhere.
 *
 * LOAD checks, in this order; the first failure is the status:
 *   0. NULL `s` or `buf`, target caps mtrr_state_init would refuse ->
 *      INVALID_ARG;
 *   1. framing: the first min(len, 8) bytes are not the magic's -> MAGIC;
 *      len < 24 -> TRUNCATED; version other than 1 and 2 -> VERSION; header
 *      size other than 24, or total size disagreeing with the register count
 *      -> CORRUPT; total size above len -> TRUNCATED, below len (trailing
 *      bytes are garbage too) -> CORRUPT; checksum -> CHECKSUM; then, with
 *      the bytes known intact:
 *        v1: source caps out of range (the rules of mtrr_state_init),
 *            unknown flag bits, non-zero reserved bytes, a register count
 *            other than the caps imply -> CORRUPT;
 *        v2: a caps flag this library does not know (byte 17 bits 7:4, byte
 *            21) -> INCOMPATIBLE; vendor or overlap above 1, source caps out
 *            of range -> CORRUPT; record indices not strictly increasing ->
 *            CORRUPT; a record for an MSR this library does not model ->
 *            INCOMPATIBLE, that MSR in *bad_msr; records other than exactly
 *            the registers the source caps define followed by AMD records
 *            (from an AMD source, each with a non-zero value: the one form
 *            save writes) -> CORRUPT;
 *   2. every register against the SOURCE caps, through the validator
 *      mtrr_wrmsr uses: a value the source processor could never have held
 *      gets that #GP status (RESERVED_BIT, INVALID_TYPE, WC_UNSUPPORTED);
 *   3. compatibility with the TARGET caps, register by register (a failure is
 *      INCOMPATIBLE): the policy is that a load never loses a register's
 *      content and never changes the memory type of an address the source
 *      had.  So:
 *        - a register the target lacks (a pair >= target vcnt, the fixed
 *          MSRs without target fixed, SMRR without target smrr, IA32_PAT
 *          without target pat) may be dropped only when it holds its
 *          power-on value: zero for the MTRRs, MTRR_PAT_POWER_ON for the
 *          PAT (a processor without the PAT types pages as that value does);
 *        - DEF_TYPE.FE set needs source fixed == target fixed, since FE is
 *          inert without fixed ranges and live with them; so does AMD's
 *          SYSCFG.MtrrFixDramEn, which routes the first MiB by the fixed
 *          ranges' RdMem/WrMem only where there are fixed ranges;
 *        - every kept register must pass the validator against the target
 *          caps: WC needs target wc, PhysBase/PhysMask must fit the target's
 *          MAXPHYADDR (the validator's RESERVED_BIT becomes INCOMPATIBLE: the
 *          value was legal where it came from, it is the target that is
 *          smaller).
 *      A larger target MAXPHYADDR is accepted: every address the source had
 *      keeps its type.  Vendor and overlap policy may differ: where the
 *      registers' rules differ (SMRR, the AMD registers, RdMem/WrMem in AMD
 *      fixed MSRs) the rules above already decide, since on an Intel target
 *      the AMD registers are absent (dropped at zero, else INCOMPATIBLE) and
 *      RdMem/WrMem fail its validator; the overlap policy is the target
 *      VMM's choice, so it comes from the target caps like everything else.
 *      A register the source lacked (a version 1 snapshot has no PAT, a
 *      version 2 one no record of an AMD register at zero) keeps the
 *      target's power-on value.
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

#define SNAP_HEADER     24u
#define SNAP_CRC        4u
/* DEF_TYPE, fixed, pairs, SMRR, PAT and the AMD registers: at most 100 at once. */
#define SNAP_REGS_MAX   (1u + MTRR_FIXED_MSRS + 2u * MTRR_VAR_MAX + 2u + 1u + MTRR__AMD_REGS)
#define REC_V1          8u      /* a value */
#define REC_V2          12u     /* an index and a value */

#define FLAG_FIXED      0x01u
#define FLAG_WC         0x02u
#define FLAG_SMRR       0x04u
#define FLAG_PAT        0x08u   /* version 2 only */
#define FLAGS_V1        (FLAG_FIXED | FLAG_WC | FLAG_SMRR)
#define FLAGS_V2        (FLAGS_V1 | FLAG_PAT)

static const unsigned char magic[8] = { 'M', 'T', 'R', 'R', 'S', 'N', 'A', 'P' };

/* Bitwise CRC-32C: a snapshot is about 1 KiB, a table would not pay. */
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
 * The registers caps `c` define, in the order of format `version`; returns
 * the count.  mtrr_msr_list is not reused: its order (DEF_TYPE last) is a
 * restore order, and the snapshot's order is part of the format.  Version
 * 1's order is its own; version 2's is by increasing index.  Not the AMD
 * registers, whose records are optional: amd_order.
 */
static unsigned
snap_msrs(const struct mtrr_caps *c, unsigned version, uint32_t *msrs)
{
	unsigned n = 0, i;

	if (version == 1)
		msrs[n++] = MTRR_MSR_DEF_TYPE;
	if (version == 2 && c->smrr) {
		msrs[n++] = MTRR_MSR_SMRR_PHYSBASE;
		msrs[n++] = MTRR_MSR_SMRR_PHYSMASK;
	}
	if (version == 1 && c->fixed)
		for (i = 0; i < MTRR_FIXED_MSRS; i++)
			msrs[n++] = mtrr__fixed_msr(i);
	for (i = 0; i < c->vcnt; i++) {
		msrs[n++] = MTRR_MSR_PHYSBASE(i);
		msrs[n++] = MTRR_MSR_PHYSMASK(i);
	}
	if (version == 1 && c->smrr) {
		msrs[n++] = MTRR_MSR_SMRR_PHYSBASE;
		msrs[n++] = MTRR_MSR_SMRR_PHYSMASK;
	}
	if (version == 2) {
		if (c->fixed)
			for (i = 0; i < MTRR_FIXED_MSRS; i++)
				msrs[n++] = mtrr__fixed_msr(i);
		if (c->pat)
			msrs[n++] = MTRR_MSR_PAT;
		msrs[n++] = MTRR_MSR_DEF_TYPE;
	}
	return n;
}

/* The AMD registers in version 2's order, by increasing index. */
static const uint32_t amd_order[MTRR__AMD_REGS] = {
	MTRR_MSR_SYSCFG, MTRR_MSR_IORR_BASE(0), MTRR_MSR_IORR_MASK(0),
	MTRR_MSR_IORR_BASE(1), MTRR_MSR_IORR_MASK(1), MTRR_MSR_TOP_MEM, MTRR_MSR_TOP_MEM2,
};

/* Does an AMD state use anything version 1 cannot carry? */
static bool
uses_amd(const struct mtrr_state *s)
{
	unsigned i;

	if (s->caps.vendor != MTRR_VENDOR_AMD)
		return false;
	for (i = 0; i < MTRR__AMD_REGS; i++)
		if (mtrr__get_image(s, amd_order[i]) != 0)
			return true;
	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		if (s->fixed[i] & MTRR_FIXED_RDWR_BITS)
			return true;
	return false;
}

size_t
mtrr_state_save_version(const struct mtrr_state *s, unsigned version, void *buf, size_t len)
{
	uint32_t msrs[SNAP_REGS_MAX];
	unsigned char *p = buf, *r;
	unsigned n, i, rec = version == 1 ? REC_V1 : REC_V2;
	size_t size;

	/* A corrupted image is never serialised: it would not load anyway. */
	if (mtrr_state_check(s, NULL) != MTRR_OK || (version != 1 && version != 2))
		return 0;
	/* Version 1 cannot say the PAT exists, nor hold the AMD registers. */
	if (version == 1 && (s->caps.pat || uses_amd(s)))
		return 0;
	n = snap_msrs(&s->caps, version, msrs);
	if (version == 2 && s->caps.vendor == MTRR_VENDOR_AMD)
		for (i = 0; i < MTRR__AMD_REGS; i++)
			if (mtrr__get_image(s, amd_order[i]) != 0)
				msrs[n++] = amd_order[i];
	size = SNAP_HEADER + (size_t)rec * n + SNAP_CRC;
	if (p == NULL || len < size)
		return size;
	memcpy(p, magic, sizeof(magic));
	put_le(p + 8, version, 2);
	put_le(p + 10, SNAP_HEADER, 2);
	put_le(p + 12, size, 4);
	p[16] = (unsigned char)s->caps.vcnt;
	p[17] = (unsigned char)((s->caps.fixed ? FLAG_FIXED : 0u) |
				(s->caps.wc ? FLAG_WC : 0u) |
				(s->caps.smrr ? FLAG_SMRR : 0u) |
				(s->caps.pat ? FLAG_PAT : 0u));
	p[18] = (unsigned char)s->caps.phys_bits;
	p[19] = (unsigned char)s->caps.vendor;
	p[20] = (unsigned char)s->caps.overlap;
	if (version == 1) {
		p[21] = (unsigned char)n;
		p[22] = p[23] = 0;
	} else {
		p[21] = 0;
		put_le(p + 22, n, 2);
	}
	for (i = 0, r = p + SNAP_HEADER; i < n; i++, r += rec) {
		/* The image, not RDMSR: hidden RdMem/WrMem bits travel too. */
		uint64_t v = mtrr__get_image(s, msrs[i]);

		if (version == 2) {
			put_le(r, msrs[i], 4);
			put_le(r + 4, v, 8);
		} else {
			put_le(r, v, 8);
		}
	}
	put_le(p + size - SNAP_CRC, crc32c(p, size - SNAP_CRC), 4);
	return size;
}

size_t
mtrr_state_save(const struct mtrr_state *s, void *buf, size_t len)
{
	return mtrr_state_save_version(s, 2, buf, len);
}

/* The bytes, as step 1 leaves them: their caps and registers. */
struct snap {
	unsigned version;
	struct mtrr_caps src;
	unsigned count;
	uint32_t msrs[SNAP_REGS_MAX];
	uint64_t vals[SNAP_REGS_MAX];
};

/* Step 1 up to the checksum: the bytes are a whole, intact snapshot. */
static mtrr_status
check_frame(const unsigned char *p, size_t len, struct snap *sn)
{
	size_t total;
	unsigned rec;

	if (memcmp(p, magic, len < sizeof(magic) ? len : sizeof(magic)) != 0)
		return MTRR_E_SNAPSHOT_MAGIC;
	if (len < SNAP_HEADER)
		return MTRR_E_SNAPSHOT_TRUNCATED;
	sn->version = (unsigned)get_le(p + 8, 2);
	if (sn->version != 1 && sn->version != 2)
		return MTRR_E_SNAPSHOT_VERSION;
	rec = sn->version == 1 ? REC_V1 : REC_V2;
	sn->count = sn->version == 1 ? p[21] : (unsigned)get_le(p + 22, 2);
	total = (size_t)get_le(p + 12, 4);
	if (get_le(p + 10, 2) != SNAP_HEADER ||
	    total != SNAP_HEADER + (size_t)rec * sn->count + SNAP_CRC)
		return MTRR_E_SNAPSHOT_CORRUPT;
	if (total > len)
		return MTRR_E_SNAPSHOT_TRUNCATED;
	if (total < len)
		return MTRR_E_SNAPSHOT_CORRUPT;     /* trailing bytes: garbage */
	if (get_le(p + total - SNAP_CRC, 4) != crc32c(p, total - SNAP_CRC))
		return MTRR_E_SNAPSHOT_CHECKSUM;
	return MTRR_OK;
}

static void
header_caps(const unsigned char *p, struct mtrr_caps *c)
{
	memset(c, 0, sizeof(*c));
	c->vcnt = p[16];
	c->fixed = (p[17] & FLAG_FIXED) != 0;
	c->wc = (p[17] & FLAG_WC) != 0;
	c->smrr = (p[17] & FLAG_SMRR) != 0;
	c->pat = (p[17] & FLAG_PAT) != 0;
	c->phys_bits = p[18];
	c->vendor = p[19] ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL;
	c->overlap = p[20] ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
}

/* Version 1's header fields: fills sn->src, msrs and vals. */
static mtrr_status
check_v1(const unsigned char *p, struct snap *sn)
{
	unsigned i;

	header_caps(p, &sn->src);
	if ((p[17] & ~FLAGS_V1) != 0 || p[19] > 1 || p[20] > 1 || p[22] != 0 || p[23] != 0 ||
	    !mtrr__caps_valid(&sn->src))
		return MTRR_E_SNAPSHOT_CORRUPT;
	if (sn->count != snap_msrs(&sn->src, 1, sn->msrs))
		return MTRR_E_SNAPSHOT_CORRUPT;
	for (i = 0; i < sn->count; i++)
		sn->vals[i] = get_le(p + SNAP_HEADER + REC_V1 * i, 8);
	return MTRR_OK;
}

/*
 * An index this library knows: a register some caps give (or MTRRCAP, never
 * saved, so a record of it is corrupt rather than from a later library).
 */
static bool
known_msr(uint32_t msr)
{
	return mtrr__decode(msr).kind != MTRR__NOT_MTRR;
}

/*
 * Version 2's header fields and records: fills sn->src, msrs and vals.  The
 * records are checked in the bytes first, so that any count (a later
 * library may write more registers than this one knows) is safe: nothing is
 * stored before the count is known to fit.
 */
static mtrr_status
check_v2(const unsigned char *p, struct snap *sn, uint32_t *bad_msr)
{
	uint32_t want[SNAP_REGS_MAX], msr, prev = 0;
	const unsigned char *r;
	unsigned i, n;

	/* A capability of a later library: loading would lose what it adds. */
	if ((p[17] & ~FLAGS_V2) != 0 || p[21] != 0)
		return MTRR_E_INCOMPATIBLE;
	header_caps(p, &sn->src);
	if (p[19] > 1 || p[20] > 1 || !mtrr__caps_valid(&sn->src))
		return MTRR_E_SNAPSHOT_CORRUPT;
	for (i = 0, r = p + SNAP_HEADER; i < sn->count; i++, r += REC_V2) {
		msr = (uint32_t)get_le(r, 4);
		if (i > 0 && msr <= prev)
			return MTRR_E_SNAPSHOT_CORRUPT;
		prev = msr;
	}
	for (i = 0, r = p + SNAP_HEADER; i < sn->count; i++, r += REC_V2) {
		msr = (uint32_t)get_le(r, 4);
		if (!known_msr(msr)) {
			*bad_msr = msr;
			return MTRR_E_INCOMPATIBLE;
		}
	}
	/*
	 * The registers the caps define, then AMD records only.  Those end at
	 * DEF_TYPE (0x2FF), and every known index above it is an AMD one, so
	 * with the indices increasing the rest are distinct AMD registers: at
	 * most MTRR__AMD_REGS of them.
	 */
	n = snap_msrs(&sn->src, 2, want);
	if (sn->count < n || sn->count - n > MTRR__AMD_REGS)
		return MTRR_E_SNAPSHOT_CORRUPT;
	for (i = 0, r = p + SNAP_HEADER; i < sn->count; i++, r += REC_V2) {
		sn->msrs[i] = (uint32_t)get_le(r, 4);
		sn->vals[i] = get_le(r + 4, 8);
		if (i < n ? sn->msrs[i] != want[i] :
		    sn->src.vendor != MTRR_VENDOR_AMD || sn->vals[i] == 0)
			return MTRR_E_SNAPSHOT_CORRUPT;
	}
	return MTRR_OK;
}

/* A register's power-on value: what may be dropped without losing anything. */
static uint64_t
power_on(uint32_t msr)
{
	return msr == MTRR_MSR_PAT ? MTRR_PAT_POWER_ON : 0;
}

/* Step 3 for one register, already valid for the source caps. */
static mtrr_status
check_target(const struct mtrr_caps *src, const struct mtrr_caps *tgt,
	     uint32_t msr, uint64_t v)
{
	mtrr_status st = mtrr__check_write(tgt, msr, v);

	/* Without caps.pat the PAT is "not an MTRR": for the target, absent. */
	if (st == MTRR_E_ABSENT || st == MTRR_E_NOT_MTRR)
		return v == power_on(msr) ? MTRR_E_ABSENT : MTRR_E_INCOMPATIBLE;
	if (st != MTRR_OK)
		return MTRR_E_INCOMPATIBLE;
	if (src->fixed != tgt->fixed &&
	    ((msr == MTRR_MSR_DEF_TYPE && (v & MTRR_DEF_FE)) ||
	     (msr == MTRR_MSR_SYSCFG && (v & MTRR_SYSCFG_FIX_DRAM_EN))))
		return MTRR_E_INCOMPATIBLE;
	return MTRR_OK;
}

mtrr_status
mtrr_state_load_ex(struct mtrr_state *s, const struct mtrr_caps *target,
		   const void *buf, size_t len, uint32_t *bad_msr)
{
	const unsigned char *p = buf;
	struct mtrr_state n;
	struct snap sn;
	uint32_t bad = 0;
	unsigned i;
	mtrr_status st;

	if (bad_msr != NULL)
		*bad_msr = 0;
	if (s == NULL || p == NULL || !mtrr__caps_valid(target))
		return MTRR_E_INVALID_ARG;
	st = check_frame(p, len, &sn);
	if (st == MTRR_OK)
		st = sn.version == 1 ? check_v1(p, &sn) : check_v2(p, &sn, &bad);
	if (st != MTRR_OK)
		goto out;

	/* Step 2: garbage for its own processor is reported as the #GP it is. */
	for (i = 0; i < sn.count; i++) {
		st = mtrr__check_write(&sn.src, sn.msrs[i], sn.vals[i]);
		if (st != MTRR_OK)
			goto bad;
	}
	/*
	 * Step 3, building the new state on the side: `s` is written once, at
	 * the end, or not at all.  Registers the target lacks hold their
	 * power-on value here (check_target said so) and stay dropped.
	 */
	(void)mtrr_state_init(&n, target);
	for (i = 0; i < sn.count; i++) {
		st = check_target(&sn.src, target, sn.msrs[i], sn.vals[i]);
		if (st == MTRR_E_ABSENT)
			continue;
		if (st != MTRR_OK)
			goto bad;
		/*
		 * Stored as is, not through mtrr_wrmsr: an AMD fixed MSR's
		 * RdMem/WrMem must land whatever SYSCFG says (and SYSCFG's
		 * record comes after the fixed MSRs).
		 */
		mtrr__put_image(&n, sn.msrs[i], sn.vals[i]);
	}
	/* memcpy, not =: padding bytes too, so equal states compare equal. */
	memcpy(s, &n, sizeof(n));
	return MTRR_OK;
bad:
	bad = sn.msrs[i];
out:
	if (bad_msr != NULL)
		*bad_msr = bad;
	return st;
}

mtrr_status
mtrr_state_load(struct mtrr_state *s, const struct mtrr_caps *target,
		const void *buf, size_t len)
{
	return mtrr_state_load_ex(s, target, buf, len, NULL);
}
