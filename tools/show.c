/*
 * show.c — `mtrr show`: the registers decoded, then what looks wrong with
 * them.  Everything is read back through mtrr_rdmsr; nothing here decides a
 * memory type (that is the library's job, see mapcmd.c and segs.c).
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

/* Calls `each` for every run of one type in the fixed ranges. */
static void
fixed_runs(const struct mtrr_state *s, void (*each)(void *ctx, uint64_t start, uint64_t end,
						     uint8_t type, bool first), void *ctx)
{
	uint64_t start, end, run_start = 0;
	uint8_t run_type = 0;
	unsigned i, runs = 0;

	for (i = 0; i <= 88; i++) {
		uint8_t t = i < 88 ? fixed_piece(s, i, &start, &end) : 0;
		if (i > 0 && (i == 88 || t != run_type))
			each(ctx, run_start, i == 88 ? MTRR_FIXED_END : start, run_type, runs++ == 0);
		if (i < 88 && (i == 0 || t != run_type)) {
			run_start = start;
			run_type = t;
		}
	}
}

static void
fixed_text(void *ctx, uint64_t start, uint64_t end, uint8_t type, bool first)
{
	(void)first;
	fprintf((FILE *)ctx, "  0x%05llx-0x%05llx  %s\n", (unsigned long long)start,
		(unsigned long long)end - 1, mtrr_type_str(type));
}

static void
fixed_json(void *ctx, uint64_t start, uint64_t end, uint8_t type, bool first)
{
	FILE *f = ctx;

	fprintf(f, "%s{\"start\": ", first ? "" : ", ");
	json_hex(f, start);
	fprintf(f, ", \"end\": ");
	json_hex(f, end);
	fprintf(f, ", \"type\": \"%s\"}", mtrr_type_str(type));
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
	uint64_t def = rd(s, MTRR_MSR_DEF_TYPE);

	if (!s->caps.fixed)
		return;
	if (!(def & MTRR_DEF_FE)) {
		fprintf(f, "\nfixed ranges: disabled (IA32_MTRR_DEF_TYPE.FE = 0)\n");
		return;
	}
	fprintf(f, "\nfixed ranges (%s):\n", (def & MTRR_DEF_E) ? "enabled" : "MTRRs disabled");
	fixed_runs(s, fixed_text, f);
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
	fprintf(f, "  %10s  %s  PHYSBASE=0x%llx PHYSMASK=0x%llx", size_str(size, buf, sizeof(buf)),
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

/* The SMRR range: [base & mask, + size) over bits 31:12. */
static bool
smrr_range(const struct mtrr_state *s, uint64_t *start, uint64_t *end, uint8_t *type)
{
	uint64_t base = rd(s, MTRR_MSR_SMRR_PHYSBASE), mask = rd(s, MTRR_MSR_SMRR_PHYSMASK);
	uint64_t m = mask & MTRR_SMRR_ADDR_MASK;

	*start = base & m;
	*end = *start + ((~m & 0xFFFFFFFFull) + 1);
	*type = (uint8_t)(base & MTRR_PHYSBASE_TYPE_MASK);
	return (mask & MTRR_PHYSMASK_V) != 0;
}

static void
show_smrr(FILE *f, const struct mtrr_state *s)
{
	uint64_t start, end;
	uint8_t type;

	if (!s->caps.smrr)
		return;
	if (!smrr_range(s, &start, &end, &type)) {
		fprintf(f, "\nSMRR: disabled\n");
		return;
	}
	fprintf(f, "\nSMRR (SMM only, not part of the memory map): ");
	put_range(f, start, end, 32);
	fprintf(f, "  %s\n", mtrr_type_str(type));
}

static bool
amd_any(const struct mtrr_state *s)
{
	static const uint32_t msr[] = {
		MTRR_MSR_SYSCFG, MTRR_MSR_TOP_MEM, MTRR_MSR_TOP_MEM2, MTRR_MSR_IORR_BASE(0),
		MTRR_MSR_IORR_MASK(0), MTRR_MSR_IORR_BASE(1), MTRR_MSR_IORR_MASK(1),
	};
	size_t i;

	for (i = 0; i < sizeof(msr) / sizeof(msr[0]); i++)
		if (amd_reg(s, msr[i]) != 0)
			return true;
	return false;
}

/* AMD's SYSCFG, TOP_MEM, TOP_MEM2 and IORRs, when any is set. */
static void
show_amd(FILE *f, const struct input *in)
{
	static const char *const bits[] = {
		"MtrrFixDramEn", "MtrrFixDramModEn", "MtrrVarDramEn", "MtrrTom2En",
		"Tom2ForceMemTypeWB",
	};
	const struct mtrr_state *s = &in->dump.state;
	uint64_t syscfg = amd_reg(s, MTRR_MSR_SYSCFG), end = tom2_wb_end(s), v;
	unsigned b, n, shown = 0, pb = s->caps.phys_bits;
	char size[32];

	if (!amd_any(s))
		return;
	fprintf(f, "\nAMD: SYSCFG = 0x%llx", (unsigned long long)syscfg);
	for (b = 0; b < 5; b++)
		if (syscfg & (MTRR_SYSCFG_FIX_DRAM_EN << b))
			fprintf(f, "%s%s", shown++ ? ", " : " (", bits[b]);
	if (shown)
		fputc(')', f);
	if (in->dump.has_tom2)
		fprintf(f, ", from the TOM2 line (line %u)", in->dump.tom2_line);
	fputc('\n', f);
	if ((v = amd_reg(s, MTRR_MSR_TOP_MEM)) != 0)
		fprintf(f, "     TOP_MEM = 0x%llx\n", (unsigned long long)v);
	if ((v = amd_reg(s, MTRR_MSR_TOP_MEM2)) != 0)
		fprintf(f, "     TOP_MEM2 = 0x%llx\n", (unsigned long long)v);
	for (n = 0; n < 2; n++) {
		uint64_t base = amd_reg(s, MTRR_MSR_IORR_BASE(n));
		uint64_t mask = amd_reg(s, MTRR_MSR_IORR_MASK(n));
		if (base | mask)
			fprintf(f, "     IORR%u: base 0x%llx mask 0x%llx%s (routes accesses to "
				"DRAM or MMIO; no memory type)\n", n, (unsigned long long)base,
				(unsigned long long)mask, (mask & MTRR_IORR_V) ? "" : ", V clear");
	}
	if (end) {
		fprintf(f, "     [4 GiB, ");
		put_addr(f, end, pb);
		fprintf(f, ") = %s defaults to WB where no pair matches\n",
			size_str(end - (1ull << 32), size, sizeof(size)));
	} else if (syscfg & MTRR_SYSCFG_TOM2_EN) {
		fprintf(f, "     Tom2ForceMemTypeWB clear: [4 GiB, TOP_MEM2) has the default "
			"type\n");
	}
}

static void
registers_json(FILE *f, const struct mtrr_state *s)
{
	uint64_t def = rd(s, MTRR_MSR_DEF_TYPE), start, end;
	unsigned n, pb = s->caps.phys_bits;
	uint8_t type;

	fprintf(f, ",\n  \"registers\": {\n    \"def_type\": {\"value\": ");
	json_hex(f, def);
	fprintf(f, ", \"enabled\": %s, \"fixed_enabled\": %s, \"type\": \"%s\"},\n",
		(def & MTRR_DEF_E) ? "true" : "false", (def & MTRR_DEF_FE) ? "true" : "false",
		mtrr_type_str((uint8_t)(def & MTRR_DEF_TYPE_MASK)));
	fprintf(f, "    \"fixed\": [");
	if (s->caps.fixed)
		fixed_runs(s, fixed_json, f);
	fprintf(f, "],\n    \"variable\": [");
	for (n = 0; n < s->caps.vcnt; n++) {
		struct pair p;
		unsigned low;
		pair_read(s, n, &p);
		low = pair_low_bit(&p, pb);
		fprintf(f, "%s\n      {\"pair\": %u, \"valid\": %s, \"physbase\": ", n ? "," : "", n,
			p.valid ? "true" : "false");
		json_hex(f, p.raw_base);
		fprintf(f, ", \"physmask\": ");
		json_hex(f, p.raw_mask);
		fprintf(f, ", \"type\": \"%s\", \"start\": ", mtrr_type_str(p.type));
		json_hex(f, pair_start(&p));
		fprintf(f, ", \"size\": ");
		json_hex(f, low >= 64 ? 0 : 1ull << low);
		fprintf(f, ", \"blocks\": %llu}", 1ull << pair_free_bits(&p, pb));
	}
	fprintf(f, "%s],\n    \"smrr\": ", s->caps.vcnt ? "\n    " : "");
	if (!s->caps.smrr) {
		fprintf(f, "null");
	} else {
		bool v = smrr_range(s, &start, &end, &type);
		fprintf(f, "{\"valid\": %s, \"start\": ", v ? "true" : "false");
		json_hex(f, start);
		fprintf(f, ", \"end\": ");
		json_hex(f, end);
		fprintf(f, ", \"type\": \"%s\"}", mtrr_type_str(type));
	}
	fprintf(f, ",\n    \"amd\": ");
	if (s->caps.vendor != MTRR_VENDOR_AMD) {
		fprintf(f, "null");
	} else {
		fprintf(f, "{\"syscfg\": ");
		json_hex(f, amd_reg(s, MTRR_MSR_SYSCFG));
		fprintf(f, ", \"top_mem\": ");
		json_hex(f, amd_reg(s, MTRR_MSR_TOP_MEM));
		fprintf(f, ", \"top_mem2\": ");
		json_hex(f, amd_reg(s, MTRR_MSR_TOP_MEM2));
		fprintf(f, ", \"iorr\": [");
		for (n = 0; n < 2; n++) {
			fprintf(f, "%s{\"base\": ", n ? ", " : "");
			json_hex(f, amd_reg(s, MTRR_MSR_IORR_BASE(n)));
			fprintf(f, ", \"mask\": ");
			json_hex(f, amd_reg(s, MTRR_MSR_IORR_MASK(n)));
			fputc('}', f);
		}
		fprintf(f, "], \"tom2_wb_end\": ");
		if (tom2_wb_end(s))
			json_hex(f, tom2_wb_end(s));
		else
			fprintf(f, "null");
		fputc('}', f);
	}
	fprintf(f, "\n  }");
}

void
show_registers(const struct out *o, const struct input *in)
{
	const struct mtrr_state *s = &in->dump.state;
	struct strlist w = { NULL, 0, false };
	size_t i;

	collect_warnings(s, &w);
	if (o->json) {
		registers_json(o->f, s);
		fprintf(o->f, ",\n  \"warnings\": [");
		for (i = 0; i < w.n; i++) {
			fprintf(o->f, "%s\n    ", i ? "," : "");
			json_str(o->f, w.v[i]);
		}
		fprintf(o->f, "%s]", w.n ? "\n  " : "");
		strlist_free(&w);
		return;
	}
	show_caps(o->f, in);
	show_def(o->f, s);
	show_fixed(o->f, s);
	show_var(o->f, s);
	show_smrr(o->f, s);
	show_amd(o->f, in);
	fputc('\n', o->f);
	for (i = 0; i < w.n; i++)
		fprintf(o->f, "warning: %s\n", w.v[i]);
	if (w.n == 0)
		fprintf(o->f, "no warnings\n");
	strlist_free(&w);
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

void
json_input(FILE *f, const struct input *in)
{
	static const char *const kind[] = { "ok", "syntax", "register", "no_block" };
	const struct mtrr_dump *d = &in->dump;
	const struct mtrr_caps *c = &d->state.caps;
	unsigned i;

	fprintf(f, "{\"name\": ");
	json_str(f, in->name);
	fprintf(f, ", \"builtin\": %s, \"format\": ", in->builtin ? "true" : "false");
	if (d->format == MTRR_FORMAT_AUTO)
		fprintf(f, "null");
	else
		fprintf(f, "\"%s\"", mtrr_format_name(d->format));
	fprintf(f, ", \"ok\": %s,\n     \"error\": ", in->status == EXIT_OK ? "true" : "false");
	if (in->status == EXIT_OK) {
		fputs("null", f);
	} else if (in->io_error[0]) {
		fprintf(f, "{\"kind\": \"io\", \"line\": 0, \"text\": ");
		json_str(f, in->io_error);
		fputc('}', f);
	} else {
		fprintf(f, "{\"kind\": \"%s\", \"line\": %u, \"text\": ", kind[d->err & 3], d->err_line);
		json_str(f, d->err_text);
		if (d->err == MTRR_PARSE_REGISTER) {
			fprintf(f, ", \"msr\": ");
			json_hex(f, d->err_msr);
			fprintf(f, ", \"status\": ");
			json_str(f, mtrr_status_str(d->err_status));
		}
		fprintf(f, "}");
	}
	fprintf(f, ",\n     \"notes\": [");
	for (i = 0; i < d->nnotes; i++) {
		fprintf(f, "%s{\"line\": %u, \"text\": ", i ? ", " : "", d->notes[i].line);
		json_str(f, d->notes[i].text);
		fprintf(f, "}");
	}
	fprintf(f, "],\n     \"cpu\": ");
	if (in->status != EXIT_OK) {
		fprintf(f, "null}");
		return;
	}
	fprintf(f, "{\"vendor\": \"%s\", \"phys_bits\": %u, \"phys_bits_inferred\": %s, "
		"\"vcnt\": %u, \"vcnt_inferred\": %s, \"fixed\": %s, \"wc\": %s, \"smrr\": %s, "
		"\"undefined_overlap\": \"%s\"}}", c->vendor == MTRR_VENDOR_AMD ? "amd" : "intel",
		c->phys_bits, d->phys_bits_inferred ? "true" : "false", c->vcnt,
		d->vcnt_inferred ? "true" : "false", c->fixed ? "true" : "false",
		c->wc ? "true" : "false", c->smrr ? "true" : "false",
		c->overlap == MTRR_OVERLAP_WB ? "WB" : "UC");
}
