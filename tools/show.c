/*
 * show.c — `mtrr show`: the registers decoded, then what looks wrong with
 * them.  Everything is read back through mtrr_rdmsr; nothing here decides a
 * memory type (that is the library's job, see mapcmd.c).
 */
#include <string.h>

#include "tool.h"

static const char *
vendor_str(enum mtrr_vendor v)
{
	return v == MTRR_VENDOR_AMD ? "AMD" : "Intel";
}

static uint64_t
rd(const struct mtrr_state *s, uint32_t msr)
{
	uint64_t v = 0;

	mtrr_rdmsr(s, msr, &v);
	return v;
}

/* The type of fixed piece i (0..87) and its [start, end). */
static uint8_t
fixed_piece(const struct mtrr_state *s, unsigned i, uint64_t *start, uint64_t *end)
{
	static const uint32_t msr[MTRR_FIXED_MSRS] = {
		MTRR_MSR_FIX64K_00000, MTRR_MSR_FIX16K_80000, MTRR_MSR_FIX16K_A0000,
		MTRR_MSR_FIX4K_C0000, MTRR_MSR_FIX4K_C8000, MTRR_MSR_FIX4K_D0000,
		MTRR_MSR_FIX4K_D8000, MTRR_MSR_FIX4K_E0000, MTRR_MSR_FIX4K_E8000,
		MTRR_MSR_FIX4K_F0000, MTRR_MSR_FIX4K_F8000,
	};

	if (i < 8) {
		*start = i * 0x10000ull;
		*end = *start + 0x10000;
	} else if (i < 24) {
		*start = 0x80000 + (i - 8) * 0x4000ull;
		*end = *start + 0x4000;
	} else {
		*start = 0xC0000 + (i - 24) * 0x1000ull;
		*end = *start + 0x1000;
	}
	return (uint8_t)(rd(s, msr[i / 8]) >> (8 * (i % 8)));
}

static void
show_caps(FILE *f, const struct input *in)
{
	const struct mtrr_caps *c = &in->dump.state.caps;

	fprintf(f, "source: %s (%s format)\n", in->name, mtrr_format_name(in->dump.format));
	fprintf(f, "cpu:    %s, MAXPHYADDR %u%s, %u variable pair%s%s, %s, %s, %s%s\n",
		vendor_str(c->vendor), c->phys_bits,
		in->dump.phys_bits_inferred ? " (inferred)" : "", c->vcnt,
		c->vcnt == 1 ? "" : "s", in->dump.vcnt_inferred ? " (inferred)" : "",
		c->fixed ? "fixed ranges" : "no fixed ranges", c->wc ? "WC" : "no WC",
		c->smrr ? "SMRR" : "no SMRR",
		c->overlap == MTRR_OVERLAP_WB ? ", undefined overlaps WB" : "");
}

static void
show_def(FILE *f, const struct mtrr_state *s)
{
	uint64_t def = rd(s, MTRR_MSR_DEF_TYPE);

	fprintf(f, "IA32_MTRR_DEF_TYPE = 0x%llx: MTRRs %s, fixed ranges %s, default type %s\n",
		(unsigned long long)def, (def & MTRR_DEF_E) ? "enabled" : "disabled (all UC)",
		!(def & MTRR_DEF_FE) ? "disabled" :
		s->caps.fixed ? "enabled" : "enabled (but absent: no effect)",
		mtrr_type_str((uint8_t)(def & MTRR_DEF_TYPE_MASK)));
}

static void
show_fixed(FILE *f, const struct mtrr_state *s)
{
	uint64_t def = rd(s, MTRR_MSR_DEF_TYPE), start, end, run_start = 0;
	uint8_t run_type = 0;
	unsigned i;

	if (!s->caps.fixed)
		return;
	if (!(def & MTRR_DEF_FE)) {
		fprintf(f, "\nfixed ranges: disabled (IA32_MTRR_DEF_TYPE.FE = 0)\n");
		return;
	}
	fprintf(f, "\nfixed ranges (%s):\n", (def & MTRR_DEF_E) ? "enabled" : "MTRRs disabled");
	for (i = 0; i <= 88; i++) {
		uint8_t t = i < 88 ? fixed_piece(s, i, &start, &end) : 0;
		if (i > 0 && (i == 88 || t != run_type)) {
			fprintf(f, "  0x%05llx-0x%05llx  %s\n", (unsigned long long)run_start,
				(unsigned long long)(i == 88 ? MTRR_FIXED_END : start) - 1,
				mtrr_type_str(run_type));
		}
		if (i < 88 && (i == 0 || t != run_type)) {
			run_start = start;
			run_type = t;
		}
	}
}

static void
show_pair(FILE *f, const struct mtrr_state *s, unsigned n, const struct pair *p)
{
	unsigned pb = s->caps.phys_bits, low = pair_low_bit(p, pb);
	unsigned free_bits = pair_free_bits(p, pb);
	uint64_t size = low >= 64 ? 0 : 1ull << low;
	char buf[32];

	fprintf(f, "  %5u  ", n);
	put_range(f, pair_start(p), pair_start(p) + size, pb);
	fprintf(f, "  %9s  %s  PHYSBASE=0x%llx PHYSMASK=0x%llx", size_str(size, buf, sizeof(buf)),
		mtrr_type_str(p->type), (unsigned long long)p->raw_base,
		(unsigned long long)p->raw_mask);
	if (free_bits > 0 && free_bits < 64)
		fprintf(f, "  (first of %llu blocks)", 1ull << free_bits);
	fputc('\n', f);
}

static void
show_var(FILE *f, const struct mtrr_state *s)
{
	uint64_t def = rd(s, MTRR_MSR_DEF_TYPE);
	unsigned n, off_from = 0;
	bool in_off = false;

	fprintf(f, "\nvariable ranges (%s):\n", (def & MTRR_DEF_E) ? "enabled" : "MTRRs disabled");
	if (s->caps.vcnt == 0)
		fprintf(f, "  none (VCNT = 0)\n");
	for (n = 0; n <= s->caps.vcnt; n++) {
		struct pair p = { 0 };
		if (n < s->caps.vcnt)
			pair_read(s, n, &p);
		if (n < s->caps.vcnt && !p.valid) {
			if (!in_off)
				off_from = n;
			in_off = true;
			continue;
		}
		if (in_off) {
			char idx[16];
			if (off_from == n - 1)
				snprintf(idx, sizeof(idx), "%u", off_from);
			else
				snprintf(idx, sizeof(idx), "%u-%u", off_from, n - 1);
			fprintf(f, "  %5s  disabled\n", idx);
			in_off = false;
		}
		if (n < s->caps.vcnt)
			show_pair(f, s, n, &p);
	}
}

static void
show_smrr(FILE *f, const struct mtrr_state *s)
{
	uint64_t base = rd(s, MTRR_MSR_SMRR_PHYSBASE), mask = rd(s, MTRR_MSR_SMRR_PHYSMASK);
	uint64_t m = mask & MTRR_SMRR_ADDR_MASK, size = (~m & 0xFFFFFFFFull) + 1;

	if (!s->caps.smrr)
		return;
	if (!(mask & MTRR_PHYSMASK_V)) {
		fprintf(f, "\nSMRR: disabled\n");
		return;
	}
	fprintf(f, "\nSMRR (SMM only, not part of the memory map): ");
	put_range(f, base & m, (base & m) + size, 32);
	fprintf(f, "  %s\n", mtrr_type_str((uint8_t)(base & MTRR_PHYSBASE_TYPE_MASK)));
}

void
show_registers(FILE *f, const struct input *in)
{
	const struct mtrr_state *s = &in->dump.state;

	show_caps(f, in);
	show_def(f, s);
	show_fixed(f, s);
	show_var(f, s);
	show_smrr(f, s);
	fputc('\n', f);
	if (show_warnings(f, s) == 0)
		fprintf(f, "no warnings\n");
}

void
check_report(FILE *f, const struct input *in)
{
	const struct mtrr_state *s = &in->dump.state;
	unsigned n, used = 0;

	for (n = 0; n < s->caps.vcnt; n++) {
		struct pair p;
		pair_read(s, n, &p);
		used += p.valid;
	}
	fprintf(f, "%s: ok: every register is valid (%s format; %u of %u variable pairs in use;"
		" %s; MAXPHYADDR %u)\n", in->name, mtrr_format_name(in->dump.format), used,
		s->caps.vcnt, s->caps.fixed ? "fixed ranges" : "no fixed ranges",
		s->caps.phys_bits);
}
