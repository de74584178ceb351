/*
 * plan_out.c — what `mtrr plan` prints.  Text: a file of the chosen format
 * in which everything but the registers is a comment, so that it can be
 * used as it is:
 *
 *   msr    "0x200 0x6" lines after IA32_MTRRCAP: an MSR dump, which `mtrr`
 *          itself reads back ('mtrr map plan.txt' shows the same map);
 *   wrmsr  a shell script: MTRRs off, every register, MTRRs on;
 *   c      a C initialiser: an array of {MSR, value} in the order to write.
 *
 * JSON: one document ('mtrr help json').
 */
#include <stdarg.h>
#include <string.h>

#include "plan.h"

/* How comments are written in the chosen format. */
struct pout {
	FILE *f;
	enum plan_format fmt;
	const char *pfx;        /* "# " or " * " */
	const char *indent;     /* pfx + two blanks: listed rows */
};

static void
c_open(const struct pout *p)
{
	if (p->fmt == PLAN_C)
		fputs("/*\n", p->f);
}

static void
c_close(const struct pout *p)
{
	if (p->fmt == PLAN_C)
		fputs(" */\n", p->f);
}

static void
cmt(const struct pout *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
cmt(const struct pout *p, const char *fmt, ...)
{
	va_list ap;

	fputs(p->pfx, p->f);
	va_start(ap, fmt);
	vfprintf(p->f, fmt, ap);
	va_end(ap);
	fputc('\n', p->f);
}

/* An empty comment line, without a trailing blank. */
static void
cmt_blank(const struct pout *p)
{
	fprintf(p->f, "%.*s\n", (int)strlen(p->pfx) - 1, p->pfx);
}

void
plan_print_notes(const struct plan_job *j)
{
	unsigned i;

	for (i = 0; i < j->mm.nnotes; i++)
		fprintf(stderr, "%s:%u: note: %s\n", j->name, j->mm.notes[i].line,
			j->mm.notes[i].text);
	if (j->mm.notes_dropped)
		fprintf(stderr, "%s: note: %u more notes\n", j->name, j->mm.notes_dropped);
}

/* The registers the plan writes: pairs, fixed, DEF_TYPE last (mtrr_msr_list). */
static size_t
plan_msrs(const struct plan_job *j, uint32_t *msrs)
{
	uint32_t all[MTRR_MSR_LIST_MAX];
	size_t n = mtrr_msr_list(&j->caps, all, MTRR_MSR_LIST_MAX), i, k = 0;

	for (i = 0; i < n && i < MTRR_MSR_LIST_MAX; i++)   /* not SMRR, PAT, AMD's */
		if (all[i] >= MTRR_MSR_PHYSBASE0 && all[i] <= MTRR_MSR_DEF_TYPE &&
		    all[i] != MTRR_MSR_PAT)
			msrs[k++] = all[i];
	return k;
}

static uint64_t
rd(const struct mtrr_state *s, uint32_t msr)
{
	uint64_t v = 0;

	mtrr_rdmsr(s, msr, &v);
	return v;
}

static const char *
def_type_str(uint64_t def, char *buf, size_t size)
{
	snprintf(buf, size, "%s%sdefault %s", (def & MTRR_DEF_E) ? "E, " : "",
		 (def & MTRR_DEF_FE) ? "FE, " : "",
		 mtrr_type_str((uint8_t)(def & MTRR_DEF_TYPE_MASK)));
	return buf;
}

/* What a register of the plan holds, for its comment. */
static const char *
reg_comment(const struct plan_job *j, uint32_t msr, char *buf, size_t size)
{
	const struct mtrr_state *s = &j->plan;
	unsigned pb = s->caps.phys_bits, n, i;
	char name[32], sz[32], def[40];
	size_t len;

	mtrr_msr_name(msr, name, sizeof(name));
	if (msr >= MTRR_MSR_PHYSBASE0 && msr < MTRR_MSR_PHYSBASE(MTRR_VAR_MAX)) {
		struct pair p;
		n = (msr - MTRR_MSR_PHYSBASE0) / 2u;
		pair_read(s, n, &p);
		if (!p.valid)
			snprintf(buf, size, "%s: pair %u unused", name, n);
		else if (!(msr & 1u))
			snprintf(buf, size, "%s: 0x%0*llx %s", name, addr_digits(pb),
				 (unsigned long long)pair_start(&p), mtrr_type_str(p.type));
		else
			snprintf(buf, size, "%s: %s", name,
				 pair_low_bit(&p, pb) >= pb ? "the whole space" :
				 size_str(1ull << pair_low_bit(&p, pb), sz, sizeof(sz)));
		return buf;
	}
	if (msr == MTRR_MSR_DEF_TYPE) {
		snprintf(buf, size, "%s: %s", name, def_type_str(rd(s, msr), def, sizeof(def)));
		return buf;
	}
	len = (size_t)snprintf(buf, size, "%s:", name);  /* a fixed MSR: its eight types */
	for (i = 0; i < 8 && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, " %s",
					mtrr_type_str((uint8_t)(rd(s, msr) >> (8 * i))));
	return buf;
}

/* "  pair 0  0x0000000000-0x007fffffff     2 GiB  WB" for each valid pair. */
static void
list_pairs(const struct pout *p, const struct mtrr_state *s)
{
	unsigned n, pb = s->caps.phys_bits;
	char sz[32];

	for (n = 0; n < s->caps.vcnt; n++) {
		struct pair q;
		unsigned low, free_bits;
		pair_read(s, n, &q);
		if (!q.valid)
			continue;
		low = pair_low_bit(&q, pb);
		free_bits = pair_free_bits(&q, pb);
		fprintf(p->f, "%spair %-2u  ", p->indent, n);
		put_range(p->f, pair_start(&q), low >= pb ? 1ull << pb : pair_start(&q) +
			  (1ull << low), pb);
		fprintf(p->f, "  %10s  %s", size_str(1ull << (low >= pb ? pb : low), sz, sizeof(sz)),
			mtrr_type_str(q.type));
		if (free_bits > 0 && free_bits < 64)
			fprintf(p->f, "  (first of %llu blocks)", 1ull << free_bits);
		fputc('\n', p->f);
	}
}

static unsigned
pairs_used(const struct mtrr_state *s)
{
	unsigned n, used = 0;

	for (n = 0; n < s->caps.vcnt; n++)
		used += (rd(s, MTRR_MSR_PHYSMASK(n)) & MTRR_PHYSMASK_V) != 0;
	return used;
}

static void
text_wanted(const struct pout *p, const struct plan_job *j)
{
	unsigned pb = j->caps.phys_bits;
	size_t i;

	if (j->fw != NULL) {
		cmt(p, "wanted: the dump's effective map, %zu ranges covering every address "
		    "(mtrr_map_ranges)", j->nwant);
		if (j->tom2_left) {
			fprintf(p->f, "%s[4 GiB, ", p->indent);
			put_addr(p->f, j->tom2, pb);
			fprintf(p->f, ") left to SYSCFG.Tom2ForceMemTypeWB: SYSCFG and TOP_MEM2 stay "
				"as the firmware set them\n");
		}
		return;
	}
	if (j->mm.kind == MEMMAP_E820)
		cmt(p, "wanted: usable RAM WB; reserved, ACPI and the other e820 types %s; gaps "
		    "%s", j->args->reserved_uc ? "UC (--reserved-uc)" : "any type",
		    j->args->gaps_uc ? "UC (--gaps-uc)" : "any type");
	else
		cmt(p, "wanted: the ranges (END exclusive); gaps %s",
		    j->args->gaps_uc ? "UC (--gaps-uc)" : "any type");
	for (i = 0; i < j->mm.n; i++) {
		const struct memmap_entry *e = &j->mm.v[i];
		fprintf(p->f, "%sline %-4u ", p->indent, e->line);
		put_range(p->f, e->start, e->end, pb);
		if (j->mm.kind == MEMMAP_E820)
			fprintf(p->f, "  %-10s ", e->what);
		fprintf(p->f, "  %s\n", e->want == MTRR_TYPE_ANY ? "any" : mtrr_type_str(e->want));
	}
}

static void
text_cpu(const struct pout *p, const struct plan_job *j)
{
	const struct mtrr_caps *c = &j->caps;
	bool inferred = j->fw ? j->fw->dump.phys_bits_inferred : j->mm.phys_bits_inferred;

	cmt(p, "cpu: %s, MAXPHYADDR %u%s, %u variable pair%s, %s, %s",
	    c->vendor == MTRR_VENDOR_AMD ? "AMD" : "Intel", c->phys_bits,
	    inferred ? (j->fw ? " (inferred)" : " (assumed)") : "", c->vcnt,
	    c->vcnt == 1 ? "" : "s", c->fixed ? "fixed ranges" : "no fixed ranges",
	    c->wc ? "WC" : "no WC");
}

/* "3 of 8 pairs (2 reserved), default type UC (free: ...), fixed ranges" */
static void
text_plan(const struct pout *p, const struct plan_job *j)
{
	uint64_t def = rd(&j->plan, MTRR_MSR_DEF_TYPE);
	char reserved[32] = "";

	if (j->args->reserve)
		snprintf(reserved, sizeof(reserved), ", %u left to the OS", j->args->reserve);
	if (j->st == MTRR_E_TOO_FEW_PAIRS) {
		cmt(p, "plan: none: the map needs %u variable pairs; the CPU has %u%s", j->needed,
		    j->caps.vcnt, reserved);
		return;
	}
	if (j->st == MTRR_E_FIXED_CONFLICT) {
		if (j->conflict)
			cmt(p, "plan: none: the fixed-range unit 0x%05llx-0x%05llx is wanted with two "
			    "types (give --no-fixed)", (unsigned long long)j->conflict_start,
			    (unsigned long long)j->conflict_end - 1);
		else
			cmt(p, "plan: none: a fixed-range unit is wanted with two types (give "
			    "--no-fixed)");
		return;
	}
	if (j->st != MTRR_OK) {
		cmt(p, "plan: none: %s", mtrr_status_str(j->st));
		return;
	}
	cmt(p, "plan: %u of %u pairs%s, default type %s%s, %s", j->needed, j->caps.vcnt, reserved,
	    mtrr_type_str((uint8_t)(def & MTRR_DEF_TYPE_MASK)),
	    j->opts.default_type == MTRR_PLAN_DEFAULT_FREE ? " (free: the fewest pairs)" :
	    j->args->default_set ? " (--default)" : " (as firmware does; --default free: the "
	    "fewest pairs)", (def & MTRR_DEF_FE) ? "fixed ranges" : "no fixed ranges");
	list_pairs(p, &j->plan);
	if (j->repaired) {
		cmt(p, "(the pairs for ranges in [4 GiB, TOM2) that are not WB were added after "
		    "mtrr_plan,");
		cmt(p, " which takes them for the default type: maybe not the fewest)");
	}
	if (j->fw != NULL && pairs_used(&j->fw->dump.state) > j->needed)
		cmt(p, "%u pair%s fewer than the firmware's %u", pairs_used(&j->fw->dump.state) -
		    j->needed, pairs_used(&j->fw->dump.state) - j->needed == 1 ? "" : "s",
		    pairs_used(&j->fw->dump.state));
	else if (j->fw != NULL)
		cmt(p, "as few pairs as the firmware's: it is already minimal");
}

/* One register line in the chosen format, its comment aligned. */
static void
reg_line(const struct pout *p, uint32_t msr, uint64_t v, const char *comment)
{
	char code[64];

	if (p->fmt == PLAN_MSR)
		snprintf(code, sizeof(code), "0x%x 0x%llx", (unsigned)msr, (unsigned long long)v);
	else if (p->fmt == PLAN_WRMSR)
		snprintf(code, sizeof(code), "wrmsr -a 0x%x 0x%llx", (unsigned)msr,
			 (unsigned long long)v);
	else
		snprintf(code, sizeof(code), "\t{ 0x%xu, 0x%llxull },", (unsigned)msr,
			 (unsigned long long)v);
	if (p->fmt == PLAN_C)
		fprintf(p->f, "%-40s/* %s */\n", code, comment);
	else
		fprintf(p->f, "%-32s# %s\n", code, comment);
}

static void
text_registers(const struct pout *p, const struct plan_job *j)
{
	uint32_t msrs[MTRR_MSR_LIST_MAX];
	size_t n = plan_msrs(j, msrs), i;
	const struct mtrr_caps *c = &j->caps;
	uint64_t syscfg = amd_reg(&j->plan, MTRR_MSR_SYSCFG);
	uint64_t tom = amd_reg(&j->plan, MTRR_MSR_TOP_MEM2);
	char buf[200];

	if (p->fmt == PLAN_MSR) {
		snprintf(buf, sizeof(buf), "IA32_MTRRCAP (read-only): the CPU planned for");
		reg_line(p, MTRR_MSR_CAP, (uint64_t)c->vcnt | (c->fixed ? MTRR_CAP_FIX : 0) |
			 (c->wc ? MTRR_CAP_WC : 0) | (c->smrr ? MTRR_CAP_SMRR : 0), buf);
	} else if (p->fmt == PLAN_WRMSR) {
		reg_line(p, MTRR_MSR_DEF_TYPE, 0, "IA32_MTRR_DEF_TYPE: MTRRs off (all UC) while "
			 "they change");
	} else {
		fputs("#include <stdint.h>\n\nstruct msr_value {\n\tuint32_t msr;\n\tuint64_t "
		      "value;\n};\n\n/*\n * Write them in this order on every CPU, with the caches "
		      "disabled and flushed\n * (SDM \"MTRR Considerations in MP Systems\"): the "
		      "last, IA32_MTRR_DEF_TYPE,\n * enables the MTRRs.\n */\nconst struct "
		      "msr_value planned_mtrrs[] = {\n", p->f);
	}
	for (i = 0; i < n; i++)
		reg_line(p, msrs[i], rd(&j->plan, msrs[i]), reg_comment(j, msrs[i], buf,
									sizeof(buf)));
	if (p->fmt == PLAN_C)
		fputs("};\n", p->f);
	if (j->fw == NULL || (syscfg == 0 && tom == 0))
		return;
	if (p->fmt == PLAN_MSR) {
		reg_line(p, MTRR_MSR_SYSCFG, syscfg, "SYSCFG: the dump's MTRR bits, kept");
		reg_line(p, MTRR_MSR_TOP_MEM2, tom, "TOP_MEM2: the dump's, kept");
		return;
	}
	c_open(p);
	cmt(p, "SYSCFG (0x%llx) and TOP_MEM2 (0x%llx) stay as the firmware set them: the plan "
	    "relies on them", (unsigned long long)syscfg, (unsigned long long)tom);
	c_close(p);
}

static void
text_check(const struct pout *p, const struct plan_job *j)
{
	unsigned pb = j->caps.phys_bits;
	size_t i;

	if (j->nbad == 0 && j->fw != NULL) {
		cmt(p, "check: the same map as the firmware's at every address (mtrr_map_diff: no "
		    "difference)");
		return;
	}
	if (j->nbad == 0) {
		cmt(p, "check: every wanted range has its type (%zu ranges, mtrr_map_lookup_range)",
		    j->nwant);
		return;
	}
	cmt(p, "check: FAILED: %zu range%s differ%s from the %s map:", j->nbad,
	    j->nbad == 1 ? "" : "s", j->nbad == 1 ? "s" : "", j->fw ? "firmware's" : "wanted");
	for (i = 0; i < j->nbad && i < PLAN_BAD_MAX; i++) {
		fputs(p->indent, p->f);
		put_range(p->f, j->bad[i].start, j->bad[i].end, pb);
		fprintf(p->f, "  wanted %s, planned %s\n", mtrr_type_str(j->bad_want[i]),
			mtrr_type_str(j->bad[i].type));
	}
}

int
plan_text(const struct plan_job *j)
{
	static struct input planned;
	struct pout p;
	char indent[8], fw_def[40];
	int rc = j->rc;

	p.f = j->out->f;
	p.fmt = j->args->format;
	p.pfx = p.fmt == PLAN_C ? " * " : "# ";
	snprintf(indent, sizeof(indent), "%s  ", p.pfx);
	p.indent = indent;
	if (p.fmt == PLAN_WRMSR)
		fputs("#!/bin/sh\n", p.f);
	c_open(&p);
	if (j->fw != NULL)
		cmt(&p, "mtrr plan --from-log %s: the dump's map with the fewest variable pairs",
		    j->name);
	else if (j->mm.kind == MEMMAP_E820)
		cmt(&p, "mtrr plan %s: the MTRRs for its %zu BIOS-e820 entries (lines %u-%u)",
		    j->name, j->mm.n, j->mm.first_line, j->mm.last_line);
	else
		cmt(&p, "mtrr plan %s: the MTRRs for %zu ranges", j->name, j->mm.n);
	if (p.fmt == PLAN_WRMSR) {
		cmt(&p, "wrmsr -a writes each MSR on every CPU in turn, without the SDM's sequence");
		cmt(&p, "(caches off, CPUs in step): for a test machine or a VM.  Run as root after");
		cmt(&p, "'modprobe msr' (msr-tools).");
	}
	text_wanted(&p, j);
	text_cpu(&p, j);
	if (j->fw != NULL) {
		cmt(&p, "firmware: %u of %u pairs, %s", pairs_used(&j->fw->dump.state),
		    j->fw->dump.state.caps.vcnt, def_type_str(rd(&j->fw->dump.state,
								 MTRR_MSR_DEF_TYPE), fw_def,
							      sizeof(fw_def)));
		list_pairs(&p, &j->fw->dump.state);
	}
	text_plan(&p, j);
	c_close(&p);
	if (j->st != MTRR_OK)
		return rc;
	text_registers(&p, j);
	c_open(&p);
	if (p.fmt != PLAN_C)
		cmt_blank(&p);
	cmt(&p, "the map these registers make (mtrr_map_build):");
	memset(&planned, 0, sizeof(planned));
	planned.name = j->name;
	planned.dump.state = j->plan;
	if (map_print(j->out, &planned, p.indent) != EXIT_OK)
		rc = EXIT_OUTPUT;
	text_check(&p, j);
	c_close(&p);
	return rc;
}

/* JSON ------------------------------------------------------------------- */

static void
json_range(FILE *f, uint64_t start, uint64_t end)
{
	fprintf(f, "\"start\": ");
	json_hex(f, start);
	fprintf(f, ", \"end\": ");
	json_hex(f, end);
	fprintf(f, ", \"size\": ");
	json_hex(f, end - start);
}

static const char *
type_or_any(uint8_t t)
{
	return t == MTRR_TYPE_ANY ? "any" : mtrr_type_str(t);
}

/* The memory-map input, with the keys json_input gives a dump. */
static void
json_memmap_input(FILE *f, const struct plan_job *j)
{
	unsigned i;

	fprintf(f, "{\"name\": ");
	json_str(f, j->name);
	fprintf(f, ", \"builtin\": false, \"format\": ");
	if (j->io_error[0])
		fprintf(f, "null");
	else
		fprintf(f, "\"%s\"", j->mm.kind == MEMMAP_E820 ? "e820" : "ranges");
	fprintf(f, ", \"ok\": %s,\n     \"error\": ", j->rc == EXIT_INPUT ? "false" : "true");
	if (j->io_error[0]) {
		fprintf(f, "{\"kind\": \"io\", \"line\": 0, \"text\": ");
		json_str(f, j->io_error);
		fputc('}', f);
	} else if (j->rc == EXIT_INPUT) {
		fprintf(f, "{\"kind\": \"syntax\", \"line\": %u, \"text\": ", j->mm.err_line);
		json_str(f, j->mm.err);
		fputc('}', f);
	} else {
		fprintf(f, "null");
	}
	fprintf(f, ",\n     \"notes\": [");
	for (i = 0; i < j->mm.nnotes; i++) {
		fprintf(f, "%s{\"line\": %u, \"text\": ", i ? ", " : "", j->mm.notes[i].line);
		json_str(f, j->mm.notes[i].text);
		fputc('}', f);
	}
	fprintf(f, "],\n     \"cpu\": null}");
}

static void
json_pairs(FILE *f, const struct mtrr_state *s)
{
	unsigned n, pb = s->caps.phys_bits, count = 0;

	fputc('[', f);
	for (n = 0; n < s->caps.vcnt; n++) {
		struct pair q;
		unsigned low;
		pair_read(s, n, &q);
		if (!q.valid)
			continue;
		low = pair_low_bit(&q, pb);
		fprintf(f, "%s\n      {\"pair\": %u, \"physbase\": ", count++ ? "," : "", n);
		json_hex(f, q.raw_base);
		fprintf(f, ", \"physmask\": ");
		json_hex(f, q.raw_mask);
		fprintf(f, ", \"type\": \"%s\", \"start\": ", mtrr_type_str(q.type));
		json_hex(f, pair_start(&q));
		fprintf(f, ", \"size\": ");
		json_hex(f, 1ull << (low >= pb ? pb : low));
		fprintf(f, ", \"blocks\": %llu}", 1ull << pair_free_bits(&q, pb));
	}
	fprintf(f, "%s]", count ? "\n    " : "");
}

static void
json_wanted(FILE *f, const struct plan_job *j)
{
	size_t i;

	fprintf(f, ",\n  \"wanted\": {\"source\": \"%s\", \"tom2_left\": %s, \"entries\": [",
		j->fw ? "registers" : j->mm.kind == MEMMAP_E820 ? "e820" : "ranges",
		j->tom2_left ? "true" : "false");
	for (i = 0; j->fw == NULL && i < j->mm.n; i++) {
		const struct memmap_entry *e = &j->mm.v[i];
		fprintf(f, "%s\n    {\"line\": %u, ", i ? "," : "", e->line);
		json_range(f, e->start, e->end);
		fprintf(f, ", \"what\": ");
		json_str(f, e->what);
		fprintf(f, ", \"type\": \"%s\"}", type_or_any(e->want));
	}
	fprintf(f, "%s],\n   \"ranges\": [", j->fw == NULL && j->mm.n ? "\n  " : "");
	for (i = 0; i < j->nwant; i++) {
		fprintf(f, "%s\n    {", i ? "," : "");
		json_range(f, j->want[i].start, j->want[i].end);
		fprintf(f, ", \"type\": \"%s\"}", mtrr_type_str(j->want[i].type));
	}
	fprintf(f, "%s]}", j->nwant ? "\n  " : "");
}

static void
json_plan(FILE *f, const struct plan_job *j)
{
	static const char *const status[] = { "ok", "too_few_pairs", "fixed_conflict", "error" };
	const struct mtrr_caps *c = &j->caps;
	uint32_t msrs[MTRR_MSR_LIST_MAX];
	size_t n, i;
	char name[32];
	int k = j->st == MTRR_OK ? 0 : j->st == MTRR_E_TOO_FEW_PAIRS ? 1 :
		j->st == MTRR_E_FIXED_CONFLICT ? 2 : 3;

	fprintf(f, ",\n  \"cpu\": {\"vendor\": \"%s\", \"phys_bits\": %u, \"phys_bits_inferred\": "
		"%s, \"vcnt\": %u, \"fixed\": %s, \"wc\": %s}",
		c->vendor == MTRR_VENDOR_AMD ? "amd" : "intel", c->phys_bits,
		(j->fw ? j->fw->dump.phys_bits_inferred : j->mm.phys_bits_inferred) ? "true" :
		"false", c->vcnt, c->fixed ? "true" : "false", c->wc ? "true" : "false");
	fprintf(f, ",\n  \"firmware\": ");
	if (j->fw == NULL) {
		fprintf(f, "null");
	} else {
		fprintf(f, "{\"def_type\": ");
		json_hex(f, rd(&j->fw->dump.state, MTRR_MSR_DEF_TYPE));
		fprintf(f, ", \"pairs\": %u, \"variable\": ", pairs_used(&j->fw->dump.state));
		json_pairs(f, &j->fw->dump.state);
		fputc('}', f);
	}
	fprintf(f, ",\n  \"plan\": {\"status\": \"%s\", \"pairs_needed\": ", status[k]);
	if (j->st == MTRR_OK || j->st == MTRR_E_TOO_FEW_PAIRS)
		fprintf(f, "%u", j->needed);
	else
		fprintf(f, "null");
	fprintf(f, ", \"reserve\": %u, \"default_free\": %s, \"whole_space\": %s, "
		"\"use_fixed\": %s, \"fixed_conflict\": ", j->args->reserve,
		j->opts.default_type == MTRR_PLAN_DEFAULT_FREE ? "true" : "false",
		j->args->whole_space ? "true" : "false", j->opts.use_fixed ? "true" : "false");
	if (j->conflict) {
		fprintf(f, "{");
		json_range(f, j->conflict_start, j->conflict_end);
		fprintf(f, "}");
	} else {
		fprintf(f, "null");
	}
	if (j->st != MTRR_OK) {
		fprintf(f, ", \"def_type\": null, \"variable\": [], \"registers\": []}");
		return;
	}
	fprintf(f, ", \"def_type\": ");
	json_hex(f, rd(&j->plan, MTRR_MSR_DEF_TYPE));
	fprintf(f, ",\n    \"variable\": ");
	json_pairs(f, &j->plan);
	fprintf(f, ",\n    \"registers\": [");
	n = plan_msrs(j, msrs);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s\n      {\"msr\": ", i ? "," : "");
		json_hex(f, msrs[i]);
		fprintf(f, ", \"name\": \"%s\", \"value\": ", mtrr_msr_name(msrs[i], name,
									 sizeof(name)));
		json_hex(f, rd(&j->plan, msrs[i]));
		fputc('}', f);
	}
	fprintf(f, "\n    ]}");
}

void
plan_json(const struct plan_job *j)
{
	static struct input planned;
	FILE *f = j->out->f;
	size_t i;

	fprintf(f, "{\n  \"schema\": \"mtrr/1\",\n  \"command\": \"plan\",\n  \"inputs\": [\n    ");
	if (j->fw != NULL)
		json_input(f, j->fw);
	else
		json_memmap_input(f, j);
	fprintf(f, "\n  ]");
	if (!j->read)
		return;
	json_wanted(f, j);
	json_plan(f, j);
	if (j->st != MTRR_OK) {
		fprintf(f, ",\n  \"ranges\": [],\n  \"check\": null");
		return;
	}
	memset(&planned, 0, sizeof(planned));
	planned.name = j->name;
	planned.dump.state = j->plan;
	map_print(j->out, &planned, "");
	fprintf(f, ",\n  \"check\": {\"against\": \"%s\", \"ok\": %s, \"differences\": [",
		j->fw ? "firmware" : "wanted", j->nbad ? "false" : "true");
	for (i = 0; i < j->nbad && i < PLAN_BAD_MAX; i++) {
		fprintf(f, "%s\n    {", i ? "," : "");
		json_range(f, j->bad[i].start, j->bad[i].end);
		fprintf(f, ", \"wanted\": \"%s\", \"planned\": \"%s\"}",
			mtrr_type_str(j->bad_want[i]), mtrr_type_str(j->bad[i].type));
	}
	fprintf(f, "%s], \"count\": %zu}", j->nbad ? "\n  " : "", j->nbad);
}
