/*
 * gen_corpus.c — writes the seed corpora fuzz/corpus/<target>/ from a few
 * meaningful machine configurations, in each target's input encoding
 * (fuzz_state.h and the targets' header comments).
 *
 *   gen_corpus DIR [target...]          write DIR/<target>/<seed>
 *   gen_corpus --check DIR [target...]  exit 1 unless every seed file exists
 *                                       with exactly these bytes
 *
 * Seeds only: regression inputs (regress-*) that the fuzzers found live next
 * to them and are never touched here.
 *
 * The configurations: the SDM's worked example (at MAXPHYADDR 36, and its
 * literal listing at 40 whose PHYSMASK0 is non-contiguous there), typical
 * desktops with UC and WB defaults, QEMU guests under SeaBIOS-like and
 * OVMF-like firmware, overlaps of every type pair under both overlap
 * policies, non-contiguous masks (strided blocks, every other page, two
 * complementary masks), a base with bits below its alignment, E = 0, FE = 0,
 * FE without fixed ranges, the edges of the caps, and an AMD machine with
 * SYSCFG, TOP_MEM, TOP_MEM2, an IORR and RdMem/WrMem (no parse seeds and no
 * version 1 snapshot for it: neither can say those).  The diff_cover seeds
 * pair each configuration with itself plus its extra write, and with its
 * registers on a wider processor.  The range seeds are adversarial states of
 * their own (range_seeds): alternating bits, forty sparse masks, all but a
 * few bits, blocks with holes, complementary pairs, single bits, every
 * shape at once.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_state.h"
#include "range_shapes.h"

#define MIB 0x100000ull
#define GIB 0x40000000ull

/* ---- one configuration ------------------------------------------------ */

enum { W_VAR, W_FIXED, W_DEF, W_RAW };

struct wr {
	int kind;
	unsigned pair;          /* W_VAR */
	uint32_t msr;           /* W_FIXED, W_DEF, W_RAW */
	uint64_t base, mask;    /* W_VAR: PHYSBASE (type included), PHYSMASK (V included) */
	uint64_t value;
};

struct scen {
	const char *name;
	struct mtrr_caps caps;
	struct wr w[64];
	unsigned nw;
	struct wr extra;        /* the one write that makes the diff's second state */
	uint64_t addr[16];
	unsigned naddr;
};

static struct scen sc;

static void
begin(const char *name, unsigned vcnt, int fixed, int wc, unsigned phys_bits)
{
	memset(&sc, 0, sizeof(sc));
	sc.name = name;
	sc.caps.vcnt = vcnt;
	sc.caps.fixed = fixed != 0;
	sc.caps.wc = wc != 0;
	sc.caps.phys_bits = phys_bits;
	sc.extra.kind = W_RAW;          /* default extra: a write to a non-MTRR MSR */
	sc.extra.msr = 0x10;
}

static uint64_t
pmask(uint64_t size)
{
	return MTRR_PHYS_ADDR_MASK(sc.caps.phys_bits) & ~(size - 1);
}

/* A pair from base, PHYSMASK value (V included) and type. */
static struct wr
var_m(unsigned pair, uint64_t base, uint64_t mask, uint8_t type)
{
	struct wr w;

	memset(&w, 0, sizeof(w));
	w.kind = W_VAR;
	w.pair = pair;
	w.base = base | type;
	w.mask = mask;
	return w;
}

/* An ordinary power-of-two range [base, base + size). */
static void
var(unsigned pair, uint64_t base, uint64_t size, uint8_t type)
{
	sc.w[sc.nw++] = var_m(pair, base, pmask(size) | MTRR_PHYSMASK_V, type);
}

static struct wr
raw(uint32_t msr, uint64_t value)
{
	struct wr w;

	memset(&w, 0, sizeof(w));
	w.kind = W_RAW;
	w.msr = msr;
	w.value = value;
	if (msr == MTRR_MSR_DEF_TYPE)
		w.kind = W_DEF;
	else if (msr == MTRR_MSR_FIX64K_00000 || msr == MTRR_MSR_FIX16K_80000 ||
		 msr == MTRR_MSR_FIX16K_A0000 ||
		 (msr >= MTRR_MSR_FIX4K_C0000 && msr <= MTRR_MSR_FIX4K_F8000))
		w.kind = W_FIXED;
	return w;
}

static void
wr(uint32_t msr, uint64_t value)
{
	sc.w[sc.nw++] = raw(msr, value);
}

static void
addrs(unsigned n, const uint64_t *a)
{
	unsigned i;

	for (i = 0; i < n && sc.naddr < 16; i++)
		sc.addr[sc.naddr++] = a[i];
}

#define ADDRS(...) do { \
	static const uint64_t a_[] = { __VA_ARGS__ }; \
	addrs((unsigned)(sizeof(a_) / sizeof(a_[0])), a_); \
} while (0)

static uint64_t
bcast(uint8_t type)
{
	return 0x0101010101010101ull * type;
}

/* The classic PC layout below 1 MiB: RAM, VGA hole, option ROMs, BIOS. */
static void
pc_fixed(uint8_t rom)
{
	unsigned i;

	wr(MTRR_MSR_FIX64K_00000, bcast(MTRR_TYPE_WB));
	wr(MTRR_MSR_FIX16K_80000, bcast(MTRR_TYPE_WB));
	wr(MTRR_MSR_FIX16K_A0000, bcast(MTRR_TYPE_UC));
	wr(MTRR_MSR_FIX4K_C0000, bcast(rom));
	for (i = 1; i < 6; i++)
		wr(MTRR_MSR_FIX4K_C0000 + i, bcast(MTRR_TYPE_UC));
	wr(MTRR_MSR_FIX4K_F0000, bcast(rom));
	wr(MTRR_MSR_FIX4K_F8000, bcast(rom));
}

/* ---- encodings ---------------------------------------------------------- */

struct buf {
	uint8_t b[8192];
	size_t n;
};

static struct buf out;

static void
put(uint64_t v, unsigned bytes)
{
	unsigned i;

	for (i = 0; i < bytes; i++)
		out.b[out.n++] = (uint8_t)(v >> (8 * i));
}

static unsigned
caps_flags(const struct mtrr_caps *c)
{
	return (c->fixed ? 1u : 0u) | (c->wc ? 2u : 0u) | (c->smrr ? 4u : 0u) |
	       (c->vendor == MTRR_VENDOR_AMD ? 8u : 0u) |
	       (c->overlap == MTRR_OVERLAP_WB ? 16u : 0u);
}

static void
put_caps(const struct mtrr_caps *c, int strict)
{
	put(c->vcnt, 1);
	put(caps_flags(c), 1);
	put(c->phys_bits - (strict ? 32u : 28u), 1);
}

static unsigned
ctz64(uint64_t x)
{
	unsigned n = 0;

	while (!(x & 1u)) {
		x >>= 1;
		n++;
	}
	return n;
}

/* One write op of fuzz_state.h's encoding (decoded by fuzz_write_op). */
static void
put_op(const struct wr *w, unsigned phys_bits)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(phys_bits), m, v;
	unsigned k, i;

	switch (w->kind) {
	case W_VAR:
		m = w->mask & phys;
		/*
		 * Contiguous: name the block size, XOR nothing.  Otherwise name
		 * the empty mask (k = phys_bits) and XOR in the whole mask.
		 */
		k = phys_bits;
		if (m != 0 && ((m | (m - 1)) & phys) == phys)
			k = ctz64(m);
		/* An aligned ordinary block: the compact form. */
		if ((w->base & phys & ~m) == 0 && ((w->base & phys) >> k) < 0x10000 &&
		    m == fuzz_block_mask(phys_bits, k)) {
			put(FUZZ_OP_BLOCK, 1);
			put(w->pair, 1);
			put(fuzz_type_sel((uint8_t)w->base), 1);
			put((k - 12u) | ((w->mask & MTRR_PHYSMASK_V) ? 0u : 128u), 1);
			put((w->base & phys) >> k, 2);
			return;
		}
		put(FUZZ_OP_VAR, 1);
		put(w->pair, 1);
		put(fuzz_type_sel((uint8_t)w->base) | 16u, 1);  /* keep base bits as given */
		put((k - 12u) | ((w->mask & MTRR_PHYSMASK_V) ? 0u : 128u), 1);
		put(w->base & phys, 8);
		put(m ^ fuzz_block_mask(phys_bits, k), 8);
		return;
	case W_FIXED:
		/* Bytes that are not bare types (AMD RdMem/WrMem): the raw form. */
		for (i = 0; i < 8; i++) {
			v = (uint8_t)(w->value >> (8 * i));
			if (fuzz_type(fuzz_type_sel((uint8_t)v)) != v)
				break;
		}
		if (i < 8)
			break;
		put(FUZZ_OP_FIXED, 1);
		for (i = 0; i < MTRR_FIXED_MSRS && fuzz_fixed_msr(i) != w->msr; i++)
			;
		put(i, 1);
		for (i = 0; i < 8; i++)
			put(fuzz_type_sel((uint8_t)(w->value >> (8 * i))), 1);
		return;
	case W_DEF:
		v = w->value;
		if ((v & ~(MTRR_DEF_TYPE_MASK | MTRR_DEF_FE | MTRR_DEF_E)) == 0 &&
		    fuzz_type((unsigned)fuzz_type_sel((uint8_t)v)) == (uint8_t)v) {
			put(FUZZ_OP_DEF, 1);
			put(fuzz_type_sel((uint8_t)v) | ((v & MTRR_DEF_FE) ? 16u : 0u) |
			    ((v & MTRR_DEF_E) ? 32u : 0u), 1);
			return;
		}
		break;
	default:
		break;
	}
	put(FUZZ_OP_RAW, 1);
	put(w->msr, 4);
	put(w->value, 8);
}

/* The (msr, value) writes of a configuration, in order. */
static unsigned
flatten(const struct wr *w, uint32_t *msr, uint64_t *val)
{
	if (w->kind == W_VAR) {
		msr[0] = MTRR_MSR_PHYSBASE(w->pair);
		val[0] = w->base;
		msr[1] = MTRR_MSR_PHYSMASK(w->pair);
		val[1] = w->mask;
		return 2;
	}
	msr[0] = w->msr;
	val[0] = w->value;
	return 1;
}

static void
put_state(void)
{
	unsigned i;

	put_caps(&sc.caps, 1);
	put(sc.nw, 1);
	for (i = 0; i < sc.nw; i++)
		put_op(&sc.w[i], sc.caps.phys_bits);
}

static void
enc_resolver(void)
{
	unsigned i;

	put_state();
	put_op(&sc.extra, sc.caps.phys_bits);
	put(sc.nw * 7u, 1);             /* cut */
	for (i = 0; i < sc.naddr; i++)
		put(sc.addr[i] & ((2ull << sc.caps.phys_bits) - 1), 8);
}

/*
 * diff_cover_fuzzer: the state A, the mode (0: B is a copy of A; else bit 0
 * and B's MAXPHYADDR 32 + (mode >> 1)), one op (the extra write) for B, the
 * capacity byte, the addresses.
 */
static void
enc_diff_cover(unsigned b_phys_bits)
{
	unsigned i, top = b_phys_bits > sc.caps.phys_bits ? b_phys_bits : sc.caps.phys_bits;

	put_state();
	put(b_phys_bits ? 1u | ((b_phys_bits - 32u) << 1) : 0u, 1);
	put(1, 1);
	put_op(&sc.extra, b_phys_bits ? b_phys_bits : sc.caps.phys_bits);
	put(sc.nw * 5u, 1);             /* capacity 1 + this */
	for (i = 0; i < sc.naddr; i++)
		put(sc.addr[i] & ((2ull << top) - 1), 8);
}

/* msr_fuzzer: WRMSR raw (selector 0xF8, u32 index, mode 0, u64 value). */
static void
msr_write(uint32_t msr, uint64_t v)
{
	put(0, 1);
	put(0xF8, 1);
	put(msr, 4);
	put(0, 1);
	put(v, 8);
}

static void
msr_read(uint32_t msr)
{
	put(4, 1);
	put(0xF8, 1);
	put(msr, 4);
}

static void
enc_msr(void)
{
	uint32_t msr[2];
	uint64_t val[2];
	unsigned i, j, n;

	put_caps(&sc.caps, 0);
	put(sc.nw, 1);                  /* list cut */
	for (i = 0; i < sc.nw; i++) {
		n = flatten(&sc.w[i], msr, val);
		for (j = 0; j < n; j++)
			msr_write(msr[j], val[j]);
	}
	/* Rejections: reserved bit, invalid type, WC without the cap, read-only,
	 * a pair beyond VCNT, not an MTRR. */
	msr_write(MTRR_MSR_DEF_TYPE, (1ull << 12) | MTRR_DEF_E);
	msr_write(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | 2u);
	msr_write(MTRR_MSR_PHYSBASE(0), 7);
	msr_write(MTRR_MSR_PHYSMASK(0), 1ull << sc.caps.phys_bits);
	msr_write(MTRR_MSR_FIX4K_C0000, 0x0606060606061806ull);
	msr_write(MTRR_MSR_FIX4K_C8000, bcast(MTRR_TYPE_WC));
	msr_write(MTRR_MSR_CAP, 0);
	msr_write(MTRR_MSR_PHYSBASE(sc.caps.vcnt), MTRR_TYPE_WB);
	msr_write(0x10, 0);
	for (i = 0; i < sc.nw; i++) {
		n = flatten(&sc.w[i], msr, val);
		for (j = 0; j < n; j++)
			msr_read(msr[j]);
	}
	msr_read(MTRR_MSR_CAP);
	put(6, 1);                      /* INIT */
	put(5, 1);                      /* RESET */
	msr_read(MTRR_MSR_DEF_TYPE);
}

static int
build(struct mtrr_state *s)
{
	uint32_t msr[2];
	uint64_t val[2];
	unsigned i, j, n;

	if (mtrr_state_init(s, &sc.caps) != MTRR_OK)
		return -1;
	for (i = 0; i < sc.nw; i++) {
		n = flatten(&sc.w[i], msr, val);
		for (j = 0; j < n; j++)
			if (mtrr_wrmsr(s, msr[j], val[j]) != MTRR_OK) {
				fprintf(stderr, "%s: write %u (msr 0x%x) rejected\n",
					sc.name, i, (unsigned)msr[j]);
				return -1;
			}
	}
	return 0;
}

/*
 * snapshot_fuzzer, load mode: mode 2 (target = the snapshot's own caps),
 * 3 caps bytes (unused then), the snapshot in format `version`.  Round-trip
 * mode: mode 1, the state, then flip position (u16) and xor byte (0: no
 * flip), then target caps.
 */
static int
enc_snapshot_load(const struct mtrr_caps *target, unsigned version)
{
	struct mtrr_state s;
	size_t n;

	if (build(&s) != 0)
		return -1;
	put(target ? 0 : 2, 1);
	put_caps(target ? target : &sc.caps, 1);
	n = mtrr_state_save_version(&s, version, out.b + out.n, sizeof(out.b) - out.n);
	if (n == 0 || n > sizeof(out.b) - out.n)
		return -1;
	out.n += n;
	return 0;
}

static void
enc_snapshot_trip(void)
{
	put(1, 1);
	put_state();
	put(0, 2);
	put(0, 1);
	put_caps(&sc.caps, 1);
}

/*
 * pat_fuzzer (its header comment): a count byte and 20-byte records (u8
 * MTRR type, u8 PAT type, u8 EMT, u8 flags: bit 0 IPAT, bit 1 CR0.CD, bits
 * 4:2 page size; u64 IA32_PAT, u64 PTE), then a guest state and ranges.
 */
static void
pat_record(uint8_t m, uint8_t p, uint8_t emt, uint8_t flags, uint64_t pat, uint64_t pte)
{
	put(m, 1);
	put(p, 1);
	put(emt, 1);
	put(flags, 1);
	put(pat, 8);
	put(pte, 8);
}

#define PAT_POWER_ON 0x0007040600070406ull
#define PAT_LINUX    0x0407050600070106ull      /* WB WC UC- UC WB WP UC- WT */

/* A few records, then this configuration as the guest and ranges around its addresses. */
static void
enc_pat_ranges(void)
{
	unsigned i;

	put(4, 1);
	pat_record(MTRR_TYPE_WB, MTRR_TYPE_WC, MTRR_TYPE_WB, 0, PAT_LINUX, 0x8);
	pat_record(MTRR_TYPE_UC, MTRR_TYPE_WC, MTRR_TYPE_UC, 1, PAT_LINUX, 0x1008);
	pat_record(MTRR_TYPE_WP, 7, MTRR_TYPE_WP, 4, PAT_POWER_ON, 0x1010);
	pat_record(MTRR_TYPE_WT, MTRR_TYPE_WP, MTRR_TYPE_WT, 2, PAT_POWER_ON, 0x98);
	put_state();
	for (i = 0; i < sc.naddr; i++) {
		put(sc.addr[i] & ~0xFFFull, 8);
		put(i & 1 ? 9 : 0, 1);          /* 2 MiB or 4 KiB */
		put(i % 4, 1);                  /* every policy, and no policy */
		put(i % 3 == 2, 1);             /* some MMIO */
	}
}

/*
 * parse_fuzzer: 4 option bytes (0: auto-detect, defaults), then a dump in
 * one of the text formats the tool reads.
 */
static void
text(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf((char *)out.b + out.n, sizeof(out.b) - out.n, fmt, ap);
	va_end(ap);
	if (n > 0)
		out.n += (size_t)n;
}

static const char *
linux_type_name(uint8_t t)
{
	switch (t) {
	case MTRR_TYPE_UC: return "uncachable";
	case MTRR_TYPE_WC: return "write-combining";
	case MTRR_TYPE_WT: return "write-through";
	case MTRR_TYPE_WP: return "write-protect";
	default: return "write-back";
	}
}

/* One MSR a line, in the spellings people paste: three styles in turn. */
static void
enc_parse_msr(unsigned style)
{
	uint32_t msr[2];
	uint64_t val[2];
	unsigned i, j, n;
	uint64_t cap = sc.caps.vcnt | (sc.caps.fixed ? MTRR_CAP_FIX : 0) |
		       (sc.caps.wc ? MTRR_CAP_WC : 0) | (sc.caps.smrr ? MTRR_CAP_SMRR : 0);

	put(0, 4);
	text("# %s\n", sc.name);
	text(style == 1 ? "wrmsr -a 0x%x 0x%llx\n" : style == 2 ? "%x=%llx\n" : "0x%x 0x%llx\n",
	     MTRR_MSR_CAP, (unsigned long long)cap);
	for (i = 0; i < sc.nw; i++) {
		n = flatten(&sc.w[i], msr, val);
		for (j = 0; j < n; j++)
			text(style == 1 ? "wrmsr -a 0x%x 0x%llx\n" :
			     style == 2 ? "%x=%llx\n" : "0x%x: 0x%016llx\n",
			     (unsigned)msr[j], (unsigned long long)val[j]);
	}
}

/* /proc/mtrr: only contiguous, valid pairs can be written this way. */
static int
enc_parse_proc(const struct mtrr_state *s)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	unsigned n, lines = 0;

	put(0, 4);
	for (n = 0; n < s->caps.vcnt; n++) {
		uint64_t mask = s->var[n].mask & phys, size;

		if (!(s->var[n].mask & MTRR_PHYSMASK_V))
			continue;
		if (mask == 0 || ((mask | (mask - 1)) & phys) != phys)
			return -1;
		size = mask & (0 - mask);
		text("reg%02u: base=0x%09llx (%5lluMB), size=%5llu%cB, count=1: %s\n", n,
		     (unsigned long long)(s->var[n].base & mask),
		     (unsigned long long)((s->var[n].base & mask) >> 20),
		     (unsigned long long)(size >= MIB ? size >> 20 : size >> 10),
		     size >= MIB ? 'M' : 'K',
		     linux_type_name((uint8_t)s->var[n].base));
		lines++;
	}
	return lines ? 0 : -1;
}

/* The block Linux prints at boot, with a dmesg timestamp on every line. */
static void
enc_parse_dmesg(const struct mtrr_state *s)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(s->caps.phys_bits);
	int width = (int)(s->caps.phys_bits + 3) / 4;
	int e = (s->def_type & MTRR_DEF_E) != 0, fe = e && (s->def_type & MTRR_DEF_FE);
	unsigned n, page, first = 0;
	uint8_t t = 0;

	put(0, 4);
	text("[    0.000000] MTRR default type: %s\n",
	     linux_type_name((uint8_t)s->def_type));
	if (s->caps.fixed) {
		text("[    0.000000] MTRR fixed ranges %sabled:\n", fe ? "en" : "dis");
		for (page = 0; page <= 256; page++) {
			uint8_t p = 0;

			if (page < 256) {
				struct mtrr_state probe;

				/* The fixed byte of this page, read with FE forced on. */
				memcpy(&probe, s, sizeof(probe));
				probe.def_type = MTRR_DEF_E | MTRR_DEF_FE;
				p = mtrr_ref_lookup(&probe, (uint64_t)page << 12);
			}
			if (page == 256 || (page > 0 && p != t)) {
				text("[    0.000000]   %05X-%05X %s\n", first << 12,
				     (page << 12) - 1, linux_type_name(t));
				first = page;
			}
			t = p;
		}
	}
	text("[    0.000000] MTRR variable ranges %sabled:\n", e ? "en" : "dis");
	for (n = 0; n < s->caps.vcnt; n++) {
		if (!(s->var[n].mask & MTRR_PHYSMASK_V)) {
			text("[    0.000000]   %u disabled\n", n);
			continue;
		}
		text("[    0.000000]   %u base %0*llX mask %0*llX %s\n", n,
		     width, (unsigned long long)(s->var[n].base & phys),
		     width, (unsigned long long)(s->var[n].mask & phys),
		     linux_type_name((uint8_t)s->var[n].base));
	}
}

/* The resolver seed just encoded, decoded by the fuzzers' own decoder. */
static int
decodes_back(void)
{
	struct mtrr_state want, got;
	struct fuzz_in in = fuzz_in_make(out.b, out.n);

	if (build(&want) != 0)
		return 0;
	fuzz_build_state(&in, &got);
	return memcmp(&want, &got, sizeof(want)) == 0;
}

/* ---- output ------------------------------------------------------------- */

static const char *dir;
static int check_only, failed;
static char *const *targets;
static int ntargets;

static int
wanted(const char *target)
{
	int i;

	for (i = 0; i < ntargets; i++)
		if (strcmp(targets[i], target) == 0)
			return 1;
	return ntargets == 0;
}

static void
emit(const char *target, const char *suffix)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s%s", dir, target, sc.name, suffix);
	if (check_only) {
		static uint8_t old[sizeof(out.b) + 1];
		size_t n = 0;

		f = fopen(path, "rb");
		if (f != NULL) {
			n = fread(old, 1, sizeof(old), f);
			fclose(f);
		}
		if (f == NULL || n != out.n || memcmp(old, out.b, n) != 0) {
			fprintf(stderr, "%s: missing or stale (run gen_corpus)\n", path);
			failed = 1;
		}
		return;
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		perror(dir);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, target);
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s%s", dir, target, sc.name, suffix);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(out.b, 1, out.n, f) != out.n || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/*
 * Damaged copies of the current configuration's snapshot (load mode, own
 * caps: 4 bytes before the snapshot), one per check of the loader.
 */
static void
bad_snapshots(void)
{
	static const struct {
		const char *suffix;
		size_t off;             /* from the snapshot's start */
		uint8_t x;              /* xor */
		int fix_crc;
		int len;                /* added to the length */
	} v[] = {
		{ "-bad-magic", 0, 0x20, 1, 0 },
		{ "-bad-version", 8, 0x03, 1, 0 },
		{ "-bad-header-size", 10, 0x08, 1, 0 },
		{ "-bad-crc", 30, 0x01, 0, 0 },
		{ "-bad-flags", 17, 0x80, 1, 0 },
		{ "-bad-count", 21, 0x01, 1, 0 },
		{ "-reserved-byte", 22, 0x01, 1, 0 },
		{ "-reg-reserved-bit", 24 + 1, 0x10, 1, 0 },   /* DEF_TYPE bit 12 */
		{ "-reg-bad-type", 24 + 8, 0x04, 1, 0 },       /* FIX64K byte 0: WB -> 2 */
		{ "-truncated", 0, 0, 0, -5 },
		{ "-trailing", 0, 0, 0, 1 },
	};
	uint8_t save[sizeof(out.b)];
	size_t n = out.n, i;

	memcpy(save, out.b, n);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t *snap = out.b + 4;
		size_t len = n - 4;

		memcpy(out.b, save, n);
		snap[v[i].off] ^= v[i].x;
		if (v[i].fix_crc) {
			uint32_t c = fuzz_crc32c(snap, len - 4);
			snap[len - 4] = (uint8_t)c;
			snap[len - 3] = (uint8_t)(c >> 8);
			snap[len - 2] = (uint8_t)(c >> 16);
			snap[len - 1] = (uint8_t)(c >> 24);
		}
		out.n = (size_t)((long)n + v[i].len);
		if (v[i].len > 0)
			out.b[n] = 0;
		emit("snapshot", v[i].suffix);
	}
	/* Mode 6: own caps, and the fuzzer re-seals the CRC after mutating. */
	memcpy(out.b, save, n);
	out.b[0] = 6;
	emit("snapshot", "-sealed");
	memcpy(out.b, save, n);
	out.n = n;
}

/* Every encoding of the current configuration. */
static void
done(void)
{
	static unsigned style;
	struct mtrr_caps t;
	struct mtrr_state s;
	int v1;

	if (build(&s) != 0) {
		failed = 1;
		return;
	}
	/* Version 1 and the dump parser cannot say AMD's registers. */
	v1 = mtrr_state_save_version(&s, 1, NULL, 0) != 0;
	if (wanted("parse") && v1) {
		out.n = 0;
		enc_parse_msr(style++ % 3);
		emit("parse", "-msr.txt");
		out.n = 0;
		enc_parse_dmesg(&s);
		emit("parse", "-dmesg.txt");
		out.n = 0;
		if (enc_parse_proc(&s) == 0)
			emit("parse", "-proc.txt");
	}

	if (wanted("resolver")) {
		out.n = 0;
		enc_resolver();
		if (!decodes_back()) {
			fprintf(stderr, "%s: the encoding does not decode to the state\n",
				sc.name);
			failed = 1;
		}
		emit("resolver", "");
	}
	if (wanted("diff_cover")) {
		out.n = 0;
		enc_diff_cover(0);
		emit("diff_cover", "");
		/* The same registers on a wider processor: the new top half differs. */
		out.n = 0;
		enc_diff_cover(sc.caps.phys_bits < 52 ? sc.caps.phys_bits + 1 : 40);
		emit("diff_cover", "-other-width");
	}
	if (wanted("msr")) {
		out.n = 0;
		enc_msr();
		emit("msr", "");
	}
	if (wanted("snapshot")) {
		/* Version 1 (these seeds predate 2) keeps the old loader covered. */
		out.n = 0;
		if (v1 && enc_snapshot_load(NULL, 1) != 0) {
			failed = 1;
			return;
		}
		if (v1)
			emit("snapshot", "-load");
		if (strcmp(sc.name, "sdm_example") == 0)
			bad_snapshots();
		out.n = 0;
		if (enc_snapshot_load(NULL, 2) != 0) {
			failed = 1;
			return;
		}
		emit("snapshot", "-load-v2");
		if (strcmp(sc.name, "sdm_example") == 0) {
			/* The same vCPU with the PAT: a PAT record, the caps flag. */
			sc.caps.pat = true;
			out.n = 0;
			if (enc_snapshot_load(NULL, 2) == 0)
				emit("snapshot", "-load-v2-pat");
			sc.caps.pat = false;
		}
		out.n = 0;
		enc_snapshot_trip();
		emit("snapshot", "-trip");
		/* The same snapshot into a smaller target: usually INCOMPATIBLE. */
		t = sc.caps;
		t.vcnt = t.vcnt > 2 ? t.vcnt - 2 : 0;
		t.wc = false;
		t.phys_bits = t.phys_bits > 36 ? 36 : 32;
		out.n = 0;
		if (enc_snapshot_load(&t, v1 ? 1 : 2) == 0)
			emit("snapshot", "-smaller");
	}
	if (wanted("pat") && (strcmp(sc.name, "sdm_example") == 0 ||
			      strcmp(sc.name, "qemu_ovmf") == 0)) {
		out.n = 0;
		enc_pat_ranges();
		emit("pat", "");
	}
}

/* ---- the configurations ----------------------------------------------- */

static void
sdm_example(void)
{
	/*
	 * Intel SDM Vol. 3A, "Example Base and Mask Calculations": 96 MiB of WB
	 * RAM at 0-64 MiB and 64-100 MiB, a UC 4 MiB card at 64 MiB, the UC BIOS
	 * area 15-16 MiB, an 8 MiB WC frame buffer at A0000000H.
	 */
	begin("sdm_example", 8, 1, 1, 36);
	var(0, 0, 64 * MIB, MTRR_TYPE_WB);
	var(1, 64 * MIB, 32 * MIB, MTRR_TYPE_WB);
	var(2, 96 * MIB, 4 * MIB, MTRR_TYPE_WB);
	var(3, 64 * MIB, 4 * MIB, MTRR_TYPE_UC);
	var(4, 15 * MIB, 1 * MIB, MTRR_TYPE_UC);
	var(5, 0xA0000000, 8 * MIB, MTRR_TYPE_WC);
	pc_fixed(MTRR_TYPE_WP);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_UC);
	sc.extra = var_m(3, 64 * MIB, pmask(4 * MIB), MTRR_TYPE_UC); /* V cleared */
	ADDRS(0, 0xA0000, 15 * MIB, 16 * MIB - 1, 64 * MIB, 68 * MIB, 100 * MIB - 1,
	      100 * MIB, 0xA0000000, 0xA0800000, 1ull << 36);
	done();

	/* The literal listing: PHYSMASK1..5 printed 40 bits wide, mask0 36. */
	begin("sdm_literal", 8, 1, 1, 40);
	sc.w[sc.nw++] = var_m(0, 0, 0x0000000FFC000800ull, MTRR_TYPE_WB);
	sc.w[sc.nw++] = var_m(1, 0x04000000, 0x000000FFFE000800ull, MTRR_TYPE_WB);
	sc.w[sc.nw++] = var_m(2, 0x06000000, 0x000000FFFFC00800ull, MTRR_TYPE_WB);
	sc.w[sc.nw++] = var_m(3, 0x04000000, 0x000000FFFFC00800ull, MTRR_TYPE_UC);
	sc.w[sc.nw++] = var_m(4, 0x00F00000, 0x000000FFFFF00800ull, MTRR_TYPE_UC);
	sc.w[sc.nw++] = var_m(5, 0xA0000000, 0x000000FFFF800800ull, MTRR_TYPE_WC);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_UC);
	sc.extra = var_m(0, 0, 0x000000FFFC000800ull, MTRR_TYPE_WB); /* fixed to 40 bits */
	ADDRS(0, 64 * GIB, 64 * GIB + 63 * MIB, 64 * GIB + 64 * MIB, 15 * 64 * GIB);
	done();
}

static void
desktops(void)
{
	/* UC default, WB RAM ranges, a 512 MiB MMIO hole below 4 GiB, SMRR. */
	begin("desktop_uc_default", 10, 1, 1, 39);
	sc.caps.smrr = true;
	var(0, 0, 16 * GIB, MTRR_TYPE_WB);
	var(1, 16 * GIB, 512 * MIB, MTRR_TYPE_WB);
	var(2, 0xE0000000, 512 * MIB, MTRR_TYPE_UC);
	var(3, 0xDF800000, 8 * MIB, MTRR_TYPE_UC);
	pc_fixed(MTRR_TYPE_WP);
	wr(MTRR_MSR_SMRR_PHYSBASE, 0x7F000000 | MTRR_TYPE_WB);
	wr(MTRR_MSR_SMRR_PHYSMASK, 0xFF000000 | MTRR_PHYSMASK_V);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_UC);
	sc.extra = raw(MTRR_MSR_DEF_TYPE, MTRR_DEF_FE | MTRR_TYPE_UC);  /* E off */
	ADDRS(0x9F000, 0xC0000, 0xDF800000, 0xE0000000, 4 * GIB, 16 * GIB + 512 * MIB);
	done();

	/* WB default with UC holes and a WC frame buffer inside one (UC wins). */
	begin("desktop_wb_default", 10, 1, 1, 39);
	var(0, 0x80000000, 2 * GIB, MTRR_TYPE_UC);
	var(1, 0x7C000000, 64 * MIB, MTRR_TYPE_UC);
	var(2, 0xC0000000, 256 * MIB, MTRR_TYPE_WC);
	pc_fixed(MTRR_TYPE_WT);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);
	sc.extra = var_m(2, 0xC0000000, pmask(256 * MIB) | MTRR_PHYSMASK_V, MTRR_TYPE_WB);
	ADDRS(0x7C000000, 0x80000000, 0xC0000000, 0xD0000000, 4 * GIB);
	done();

	/* AMD, 48-bit, UC default: RAM WB up to 3 GiB and 4-64 GiB. */
	begin("amd_phys48", 8, 1, 1, 48);
	sc.caps.vendor = MTRR_VENDOR_AMD;
	var(0, 0, 2 * GIB, MTRR_TYPE_WB);
	var(1, 2 * GIB, 1 * GIB, MTRR_TYPE_WB);
	var(2, 4 * GIB, 4 * GIB, MTRR_TYPE_WB);
	var(3, 8 * GIB, 8 * GIB, MTRR_TYPE_WB);
	var(4, 16 * GIB, 16 * GIB, MTRR_TYPE_WB);
	var(5, 32 * GIB, 32 * GIB, MTRR_TYPE_WB);
	pc_fixed(MTRR_TYPE_WP);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_UC);
	sc.extra = var_m(6, 64 * GIB, pmask(64 * GIB) | MTRR_PHYSMASK_V, MTRR_TYPE_WB);
	ADDRS(3 * GIB, 4 * GIB, 64 * GIB - 1, 64 * GIB, (1ull << 48) - 1);
	done();
}

static void
guests(void)
{
	/* QEMU guest, SeaBIOS-like: WB default, the 32-bit PCI hole UC. */
	begin("qemu_seabios", 8, 1, 1, 40);
	var(0, 0xC0000000, 1 * GIB, MTRR_TYPE_UC);
	pc_fixed(MTRR_TYPE_WP);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);
	sc.extra = var_m(1, 0xFD000000, pmask(16 * MIB) | MTRR_PHYSMASK_V, MTRR_TYPE_WC);
	ADDRS(0xBFFFF000, 0xC0000000, 0xFD000000, 4 * GIB);
	done();

	/* QEMU guest, OVMF-like: UC VGA hole only, 2 GiB PCI hole, 64-bit aperture. */
	begin("qemu_ovmf", 8, 1, 1, 40);
	var(0, 0x80000000, 2 * GIB, MTRR_TYPE_UC);
	var(1, 0x8000000000ull, 32 * GIB, MTRR_TYPE_UC);
	wr(MTRR_MSR_FIX64K_00000, bcast(MTRR_TYPE_WB));
	wr(MTRR_MSR_FIX16K_80000, bcast(MTRR_TYPE_WB));
	wr(MTRR_MSR_FIX16K_A0000, bcast(MTRR_TYPE_UC));
	wr(MTRR_MSR_FIX4K_C0000, bcast(MTRR_TYPE_WB));
	wr(MTRR_MSR_FIX4K_F8000, bcast(MTRR_TYPE_WB));
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);
	sc.extra = var_m(2, 0x80000000, pmask(16 * MIB) | MTRR_PHYSMASK_V, MTRR_TYPE_WC);
	ADDRS(0xA0000, 0xC8000, 0x80000000, 0x8000000000ull, 0x8800000000ull);
	done();
}

static void
overlaps(int policy_wb)
{
	begin(policy_wb ? "overlaps_policy_wb" : "overlaps_policy_uc", 12, 0, 1, 36);
	sc.caps.overlap = policy_wb ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
	var(0, 0, 1 * GIB, MTRR_TYPE_WB);
	var(1, 0, 512 * MIB, MTRR_TYPE_WT);             /* WT + WB: WT */
	var(2, 256 * MIB, 4 * MIB, MTRR_TYPE_UC);       /* UC + WT + WB: UC */
	var(3, 512 * MIB, 256 * MIB, MTRR_TYPE_WC);     /* WC + WB: undefined */
	var(4, 768 * MIB, 256 * MIB, MTRR_TYPE_WP);     /* WP + WB: undefined */
	var(5, 1 * GIB, 16 * MIB, MTRR_TYPE_WT);
	var(6, 1 * GIB, 8 * MIB, MTRR_TYPE_WP);         /* WT + WP: undefined */
	var(7, 1 * GIB + 16 * MIB, 16 * MIB, MTRR_TYPE_WC);
	var(8, 1 * GIB + 16 * MIB, 4 * MIB, MTRR_TYPE_WT); /* WC + WT */
	var(9, 1 * GIB + 16 * MIB, 1 * MIB, MTRR_TYPE_WB); /* WC + WT + WB */
	var(10, 512 * MIB, 1 * MIB, MTRR_TYPE_WC);       /* the same type twice */
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_WT);
	sc.extra = var_m(0, 0, pmask(1 * GIB) | MTRR_PHYSMASK_V, MTRR_TYPE_WT);
	ADDRS(256 * MIB, 512 * MIB, 768 * MIB, 1 * GIB, 1 * GIB + 16 * MIB, 1 * GIB + 17 * MIB);
	done();
}

static void
noncontiguous(void)
{
	uint64_t phys;

	/* Two 256 MiB blocks 1 GiB apart: bit 30 left out of the mask. */
	begin("noncontig_strided", 4, 1, 0, 36);
	phys = MTRR_PHYS_ADDR_MASK(36);
	sc.w[sc.nw++] = var_m(0, 0, (pmask(256 * MIB) & ~(1ull << 30)) | MTRR_PHYSMASK_V,
			      MTRR_TYPE_UC);
	sc.w[sc.nw++] = var_m(1, 0, (phys & ~0xF0000000ull) | MTRR_PHYSMASK_V, MTRR_TYPE_WT);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_WB);
	sc.extra = var_m(2, 2 * GIB, pmask(2 * GIB) | MTRR_PHYSMASK_V, MTRR_TYPE_UC);
	ADDRS(256 * MIB, 1 * GIB, 1 * GIB + 256 * MIB, 0x10000000, 0x10001000);
	done();

	/* Every other 4 KiB page: 2^(phys_bits - 13) blocks, the scan form. */
	begin("noncontig_every_other_page", 2, 0, 1, 48);
	sc.w[sc.nw++] = var_m(0, 0x1000, 0x1000 | MTRR_PHYSMASK_V, MTRR_TYPE_WC);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_WB);
	sc.extra = var_m(1, 0, pmask(1ull << 47) | MTRR_PHYSMASK_V, MTRR_TYPE_UC);
	ADDRS(0x1000, 0x2000, 0x2FFF, 0x23456789000ull);
	done();

	/* Two complementary strided masks of one type: every address is WB. */
	begin("noncontig_complement", 2, 0, 0, 40);
	sc.w[sc.nw++] = var_m(0, 0, 0x200000 | MTRR_PHYSMASK_V, MTRR_TYPE_WB);
	sc.w[sc.nw++] = var_m(1, 0x200000, 0x200000 | MTRR_PHYSMASK_V, MTRR_TYPE_WB);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_UC);
	sc.extra = raw(MTRR_MSR_PHYSMASK(1), 0x200000);         /* V off: half UC */
	ADDRS(0, 0x1FFFFF, 0x200000, 0x400000);
	done();

	/* Base bits below the mask's alignment: only the masked bits compare. */
	begin("unaligned_base", 2, 1, 0, 44);
	sc.w[sc.nw++] = var_m(0, 0x23456789000ull, pmask(1 * GIB) | MTRR_PHYSMASK_V,
			      MTRR_TYPE_WP);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_WB);
	sc.extra = var_m(1, 0x23456789000ull, pmask(4096) | MTRR_PHYSMASK_V, MTRR_TYPE_UC);
	ADDRS(0x23440000000ull, 0x23456789000ull, 0x2347FFFFFFFull, 0x23480000000ull);
	done();
}

static void
enables(void)
{
	/* Everything programmed, E clear: all UC, FE and the ranges ignored. */
	begin("e_clear", 4, 1, 1, 36);
	var(0, 0, 4 * GIB, MTRR_TYPE_WB);
	pc_fixed(MTRR_TYPE_WP);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_FE | MTRR_TYPE_WB);
	sc.extra = raw(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);
	ADDRS(0, 0xC0000, 1 * GIB);
	done();

	/* E set, FE clear: the fixed MSRs are ignored below 1 MiB. */
	begin("fe_clear", 4, 1, 1, 36);
	var(0, 0, 1 * MIB, MTRR_TYPE_WT);
	var(1, 0xA0000, 128 * 1024, MTRR_TYPE_WC);
	pc_fixed(MTRR_TYPE_WP);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_WB);
	sc.extra = raw(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);
	ADDRS(0, 0xA0000, 0xC0000, 0xFFFFF, 0x100000);
	done();

	/* FE without fixed ranges in the caps: stored, no effect. */
	begin("fe_without_fixed", 2, 0, 0, 32);
	var(0, 0, 512 * 1024, MTRR_TYPE_UC);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);
	sc.extra = raw(MTRR_MSR_FIX64K_00000, 0);       /* absent: rejected */
	ADDRS(0, 0x7FFFF, 0x80000, 0xFFFFFFFF);
	done();
}

static void
edges(void)
{
	/* No variable pairs, the widest address space. */
	begin("vcnt0_phys52", 0, 1, 0, 52);
	wr(MTRR_MSR_FIX64K_00000, bcast(MTRR_TYPE_WT));
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);
	sc.extra = raw(MTRR_MSR_PHYSBASE(0), MTRR_TYPE_UC);    /* absent: rejected */
	ADDRS(0, 0x7FFFF, 0x80000, (1ull << 52) - 1);
	done();

	/* The narrowest space; a mask of 0 matches everything; all 40 pairs. */
	begin("phys32_vcnt40", 40, 1, 1, 32);
	sc.w[sc.nw++] = var_m(0, 0, MTRR_PHYSMASK_V, MTRR_TYPE_WB);
	var(1, 0xF0000000, 256 * MIB, MTRR_TYPE_UC);
	var(39, 0xFEC00000, 4096, MTRR_TYPE_WC);
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_UC);
	sc.extra = var_m(38, 0xFFFFF000, pmask(4096) | MTRR_PHYSMASK_V, MTRR_TYPE_WP);
	ADDRS(0, 0xEFFFFFFF, 0xF0000000, 0xFEC00000, 0xFFFFFFFF);
	done();
}

/*
 * AMD, firmware style: RdMem/WrMem set with MtrrFixDramModEn (RAM to DRAM,
 * the VGA hole to MMIO, shadowed ROMs read from DRAM and written to MMIO),
 * TOP_MEM at 3 GiB, TOP_MEM2 at 34 GiB with Tom2ForceMemTypeWB, an IORR
 * sending writes of [3.25, 3.5 GiB) to DRAM; the extra write drops
 * Tom2ForceMemTypeWB, so the map of [4 GiB, TOP_MEM2) changes.
 */
static void
amd(void)
{
	const uint64_t on = (1ull << 18) | (1ull << 20) | (1ull << 21);

	begin("amd_tom2_iorr", 8, 1, 1, 48);
	sc.caps.vendor = MTRR_VENDOR_AMD;
	wr(MTRR_MSR_SYSCFG, 1ull << 19);                /* MtrrFixDramModEn */
	wr(MTRR_MSR_FIX64K_00000, bcast(0x18 | MTRR_TYPE_WB));
	wr(MTRR_MSR_FIX16K_80000, bcast(0x18 | MTRR_TYPE_WB));
	wr(MTRR_MSR_FIX16K_A0000, bcast(MTRR_TYPE_UC));
	wr(MTRR_MSR_FIX4K_C0000, bcast(0x10 | MTRR_TYPE_WP));
	wr(MTRR_MSR_FIX4K_F8000, bcast(0x10 | MTRR_TYPE_WP));
	var(0, 0, 2 * GIB, MTRR_TYPE_WB);
	var(1, 2 * GIB, 1 * GIB, MTRR_TYPE_WB);
	wr(MTRR_MSR_IORR_BASE(0), 0xD0000000ull | MTRR_IORR_WRMEM);
	wr(MTRR_MSR_IORR_MASK(0), (MTRR_PHYS_ADDR_MASK(48) & ~(256 * MIB - 1)) | MTRR_IORR_V);
	wr(MTRR_MSR_TOP_MEM, 3 * GIB);
	wr(MTRR_MSR_TOP_MEM2, 34 * GIB);
	wr(MTRR_MSR_SYSCFG, on | (1ull << 22));
	wr(MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_UC);
	sc.extra = raw(MTRR_MSR_SYSCFG, on);
	ADDRS(0xA0000, 0xC0000, 3 * GIB, 0xD0000000, 4 * GIB, 34 * GIB - 1, 34 * GIB);
	done();
}

/* msr_fuzzer only: caps that init must refuse. */
static void
bad_caps(void)
{
	static const uint8_t c[][3] = {
		{ 45, 0x03, 10 },       /* vcnt 45 */
		{ 8, 0x03, 1 },         /* phys_bits 29 */
		{ 8, 0x0F, 12 },        /* SMRR on AMD */
		{ 8, 0x23, 12 },        /* bad vendor enum */
		{ 8, 0x43, 12 },        /* bad overlap enum */
	};
	char name[32];
	unsigned i;

	if (!wanted("msr"))
		return;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(name, sizeof(name), "bad_caps_%u", i);
		sc.name = name;
		out.n = 0;
		put(c[i][0], 1);
		put(c[i][1], 1);
		put(c[i][2], 1);
		emit("msr", "");
	}
}

/*
 * range_fuzzer: the mode byte, then (mode 0) an adversarial state of
 * range_shapes.h in the target's encoding, or (mode 1 | 2 * i) preset i
 * itself; then ranges (u64 lo, kind byte, and a u64 end for kind 4).
 */
static void
range_ranges(uint64_t limit)
{
	unsigned k;

	/* Pages of each size here and there, powers of two, the whole space. */
	for (k = 0; k < 6; k++) {
		uint64_t lo = (limit / 7u) * (k + 1u) + 0x1000u * k;

		put(lo, 8);
		put(k < 4 ? k : 3u | (k << 3), 1);
	}
	put(0x1000, 8);
	put(4, 1);                              /* [4 KiB, limit - 4 KiB) */
	put(limit - 0x1000, 8);
	put(0, 8);
	put(5, 1);                              /* the whole space */
}

static void
range_seeds(void)
{
	char name[64];
	unsigned i;

	if (!wanted("range"))
		return;
	for (i = 0; i < RANGE_SHAPES; i++) {
		uint64_t limit = 1ull << range_shapes[i].phys_bits;

		out.n = 0;
		sc.name = range_shapes[i].name;
		put(0, 1);
		out.n += range_shape_bytes(i, out.b + out.n);
		range_ranges(limit);
		emit("range", "");
		/* The same state as a preset: only the ranges to mutate. */
		out.n = 0;
		snprintf(name, sizeof(name), "preset_%s", range_shapes[i].name);
		sc.name = name;
		put(1u | 2u * i, 1);
		range_ranges(limit);
		emit("range", "");
	}
}

/*
 * plan_fuzzer: wanted memory maps in its encoding (see its header): vcnt,
 * flags, phys, reserve, damage, then 4-byte entries (type selector, unit,
 * gap, length - 1), each range cut into as few entries as the encoding
 * allows.
 */
struct plan_want {
	uint64_t start, end;
	unsigned sel;           /* 0 UC, 1 WC, 2 WT, 3 WP, 4 WB, 5 ANY */
};

struct plan_seed {
	const char *name;
	unsigned vcnt, flags, phys, reserve;
	struct plan_want w[12];
};

static void
plan_put(const struct plan_seed *p, uint64_t *prev, const struct plan_want *w)
{
	uint64_t start = w->start;

	while (start < w->end) {
		unsigned lg = p->phys;
		uint64_t unit, base, len;

		for (;; lg--) {
			unit = 1ull << lg;
			base = (*prev + unit - 1) & ~(unit - 1);
			if (lg == 12 || (start % unit == 0 && unit <= w->end - start &&
					 base <= start && (start - base) / unit <= 255))
				break;
		}
		len = (w->end - start) / unit;
		len = len > 256 ? 256 : len;
		put(w->sel, 1);
		put(lg - 12, 1);
		put((start - base) / unit, 1);
		put(len - 1, 1);
		start += len * unit;
		*prev = start;
	}
}

static void
plan_seeds(void)
{
	static const struct plan_seed seeds[] = {
		/* Desktop e820, fixed ranges, free default: 3 pairs. */
		{ "desktop", 10, 0x07, 39, 0, {
			{ 0, 0xA0000, 4 }, { 0xA0000, 0xC0000, 0 }, { 0xC0000, MIB, 3 },
			{ MIB, 0x7B800000, 4 }, { 0x7B800000, 0x100000000, 0 },
			{ 0x100000000, 0x480000000, 4 } } },
		/* The same in EDK2's model: UC default, 2 pairs reserved. */
		{ "desktop_edk2", 10, 0x17, 39, 2, {
			{ 0, 0xA0000, 4 }, { 0xA0000, 0xC0000, 0 }, { 0xC0000, MIB, 3 },
			{ MIB, 0x7B800000, 4 }, { 0x7B800000, 0x100000000, 0 },
			{ 0x100000000, 0x480000000, 4 } } },
		/* QEMU q35 + OVMF, 6 GiB and a 64-bit PCI window, VCNT 8. */
		{ "qemu_ovmf", 8, 0x07, 40, 0, {
			{ 0, 0xA0000, 4 }, { 0xA0000, 0xC0000, 0 }, { 0xC0000, 0x80000000, 4 },
			{ 0x80000000, 0x100000000, 0 }, { 0x100000000, 0x180000000, 4 },
			{ 0x800000000, 0x1000000000, 0 } } },
		/* Two-socket server: hole between the nodes, per-socket windows. */
		{ "server", 10, 0x07, 46, 0, {
			{ 0, 0xA0000, 4 }, { 0xA0000, 0xC0000, 0 }, { 0xC0000, MIB, 3 },
			{ MIB, 0x78000000, 4 }, { 0x78000000, 0x100000000, 0 },
			{ 0x100000000, 0x1080000000, 4 }, { 0x1080000000, 0x1100000000, 0 },
			{ 0x1100000000, 0x2080000000, 4 }, { 0x38000000000, 0x38400000000, 0 },
			{ 0x3A000000000, 0x3A400000000, 0 } } },
		/* A WC framebuffer inside the PCI hole, WT over WB, no fixed ranges. */
		{ "wc_wt", 8, 0x02, 36, 0, {
			{ 0, 0x80000000, 4 }, { 0x80000000, 0xC0000000, 0 },
			{ 0xC0000000, 0xD0000000, 1 }, { 0xD0000000, 0x100000000, 0 },
			{ 0x100000000, 0x140000000, 4 }, { 0x140000000, 0x140200000, 2 },
			{ 0x140200000, 0x200000000, 4 } } },
		/* UC default fixed, whole-space pair allowed: WB everything, a hole. */
		{ "whole_space", 4, 0x18, 32, 0, {
			{ 0, 0xC0000000, 4 }, { 0xC0000000, 0xC8000000, 0 },
			{ 0xC8000000, 0x100000000, 4 } } },
		/* Pages alternating in a don't-care sea: too few pairs at VCNT 4. */
		{ "alternating", 4, 0x00, 52, 0, {
			{ 0x123456000, 0x123457000, 4 }, { 0x123457000, 0x123459000, 0 },
			{ 0x123459000, 0x12345A000, 2 }, { 0x12345A000, 0x12345D000, 4 },
			{ 0x12345D000, 0x12345E000, 3 }, { 0x12345E000, 0x123460000, 0 },
			{ 0x123460000, 0x123461000, 4 }, { 0x123461000, 0x123463000, 5 },
			{ 0x123463000, 0x123464000, 0 } } },
		/* EBDA boundary inside a 16 KiB fixed unit: MTRR_E_FIXED_CONFLICT. */
		{ "fixed_conflict", 8, 0x05, 36, 0, {
			{ 0, 0x9F000, 4 }, { 0x9F000, 0xA0000, 0 }, { MIB, 0x80000000, 4 } } },
	};
	unsigned i, j, d;

	if (!wanted("plan"))
		return;
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		const struct plan_seed *p = &seeds[i];

		/* Damage 0, then one seed per fault of the header's list. */
		for (d = 0; d < (i == 0 ? 8u : 1u); d++) {
			uint64_t prev = 0;
			char suffix[24];

			out.n = 0;
			sc.name = p->name;
			put(p->vcnt, 1);
			put(p->flags, 1);
			put(p->phys - 32, 1);
			put(p->reserve, 1);
			put(d == 0 ? 0 : (3u << 3) | d, 1);     /* entry 3 gets fault d */
			for (j = 0; j < 12 && p->w[j].end != 0; j++)
				plan_put(p, &prev, &p->w[j]);
			suffix[0] = '\0';
			if (d != 0)
				snprintf(suffix, sizeof(suffix), "-fault%u", d);
			emit("plan", suffix);
		}
	}
}

/* pat_fuzzer seeds of their own: every MTRR x PAT byte pair, and PTE shapes. */
static void
pat_seeds(void)
{
	static const uint64_t bad_pats[] = {
		PAT_POWER_ON | 0x08, 0x0200000000000000ull, 0x0303030303030303ull,
		0xFFFFFFFFFFFFFFFFull, 0x0707070707070707ull, 0x0101010101010101ull,
	};
	static const uint8_t odd[] = { 2, 3, 7, 8, 0x7F, 0xFE, 0xFF, 0x46 };
	unsigned m, p, i;

	if (!wanted("pat"))
		return;
	sc.name = "cells";
	out.n = 0;
	put(64, 1);
	for (m = 0; m < 8; m++)
		for (p = 0; p < 8; p++)
			pat_record((uint8_t)m, (uint8_t)p, (uint8_t)m, (uint8_t)((m + p) & 3u),
				   PAT_POWER_ON, (uint64_t)p << 3);
	emit("pat", "");

	sc.name = "pte";
	out.n = 0;
	put(48, 1);
	for (i = 0; i < 48; i++) {
		/* Sizes 0..5 (4 and 5 invalid), each with the 8 PWT/PCD/PAT-bit mixes. */
		unsigned idx = i & 7u, size = i >> 3;
		uint64_t pte = ((idx & 1u) ? 0x8ull : 0) | ((idx & 2u) ? 0x10ull : 0) |
			       ((idx & 4u) ? (size == 0 ? 0x80ull : 0x1000ull) : 0) |
			       (size ? 0x80ull : 0) | 0x123456000ull;

		pat_record(MTRR_TYPE_WB, MTRR_TYPE_WB, MTRR_TYPE_WB, (uint8_t)(size << 2 | (i & 2)),
			   PAT_LINUX, pte);
	}
	emit("pat", "");

	sc.name = "bad_bytes";
	out.n = 0;
	put(sizeof(odd) + sizeof(bad_pats) / sizeof(bad_pats[0]), 1);
	for (i = 0; i < sizeof(odd); i++)
		pat_record(odd[i], odd[(i + 3) % sizeof(odd)], odd[(i + 5) % sizeof(odd)],
			   (uint8_t)i, PAT_POWER_ON, 0);
	for (i = 0; i < sizeof(bad_pats) / sizeof(bad_pats[0]); i++)
		pat_record(MTRR_TYPE_WB, MTRR_TYPE_UC, MTRR_TYPE_WB, 0, bad_pats[i], 0x18);
	emit("pat", "");
}

int
main(int argc, char **argv)
{
	int i = 1;

	if (i < argc && strcmp(argv[i], "--check") == 0) {
		check_only = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: %s [--check] DIR [target...]\n", argv[0]);
		return 2;
	}
	dir = argv[i++];
	targets = argv + i;
	ntargets = argc - i;

	sdm_example();
	desktops();
	guests();
	overlaps(0);
	overlaps(1);
	noncontiguous();
	enables();
	edges();
	amd();
	bad_caps();
	range_seeds();
	plan_seeds();
	pat_seeds();
	return failed;
}
