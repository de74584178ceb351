/*
 * parse.c — the parser's entry point: picks the format, lets the format's
 * reader collect raw register values, settles the caps, and writes every
 * value through mtrr_wrmsr so that the library's validator, not the parser,
 * decides what is a legal register.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parse_impl.h"

void
mtrr_parse_opts_init(struct mtrr_parse_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = MTRR_FORMAT_AUTO;
	o->fixed = true;
	o->wc = true;
	o->vendor = MTRR_VENDOR_INTEL;
	o->overlap = MTRR_OVERLAP_UC;
	o->default_type = MTRR_TYPE_UC;
	o->tom2_wb = true;
}

const char *
mtrr_format_name(enum mtrr_format f)
{
	switch (f) {
	case MTRR_FORMAT_MSR: return "msr";
	case MTRR_FORMAT_DMESG: return "dmesg";
	case MTRR_FORMAT_PROC: return "proc";
	default: return "auto";
	}
}

const char *
mtrr_type_linux_name(uint8_t type)
{
	return type_linux_name(type);
}

const char *
mtrr_msr_name(uint32_t msr, char *buf, size_t size)
{
	if (msr >= MTRR_MSR_PHYSBASE0 && msr < MTRR_MSR_PHYSBASE(MTRR_VAR_MAX))
		snprintf(buf, size, "IA32_MTRR_PHYS%s%u", (msr & 1u) ? "MASK" : "BASE",
			 (msr - MTRR_MSR_PHYSBASE0) / 2u);
	else if (msr >= MTRR_MSR_FIX4K_C0000 && msr <= MTRR_MSR_FIX4K_F8000)
		snprintf(buf, size, "IA32_MTRR_FIX4K_%05X",
			 0xC0000u + (msr - MTRR_MSR_FIX4K_C0000) * 0x8000u);
	else if (msr == MTRR_MSR_CAP)
		snprintf(buf, size, "IA32_MTRRCAP");
	else if (msr == MTRR_MSR_DEF_TYPE)
		snprintf(buf, size, "IA32_MTRR_DEF_TYPE");
	else if (msr == MTRR_MSR_FIX64K_00000)
		snprintf(buf, size, "IA32_MTRR_FIX64K_00000");
	else if (msr == MTRR_MSR_FIX16K_80000)
		snprintf(buf, size, "IA32_MTRR_FIX16K_80000");
	else if (msr == MTRR_MSR_FIX16K_A0000)
		snprintf(buf, size, "IA32_MTRR_FIX16K_A0000");
	else if (msr == MTRR_MSR_SMRR_PHYSBASE)
		snprintf(buf, size, "IA32_SMRR_PHYSBASE");
	else if (msr == MTRR_MSR_SMRR_PHYSMASK)
		snprintf(buf, size, "IA32_SMRR_PHYSMASK");
	else if (msr == MTRR_MSR_SYSCFG)
		snprintf(buf, size, "SYSCFG");
	else if (msr == MTRR_MSR_TOP_MEM)
		snprintf(buf, size, "TOP_MEM");
	else if (msr == MTRR_MSR_TOP_MEM2)
		snprintf(buf, size, "TOP_MEM2");
	else if (msr >= MTRR_MSR_IORR_BASE(0) && msr <= MTRR_MSR_IORR_MASK(1))
		snprintf(buf, size, "IORR%s%u", (msr & 1u) ? "Mask" : "Base",
			 (msr - MTRR_MSR_IORR_BASE(0)) / 2u);
	else
		snprintf(buf, size, "MSR 0x%X", (unsigned)msr);
	return buf;
}

enum mtrr_parse_error
parse_fail(struct mtrr_dump *d, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (d->err != MTRR_PARSE_OK)
		return d->err;
	d->err = MTRR_PARSE_SYNTAX;
	d->err_line = line;
	va_start(ap, fmt);
	vsnprintf(d->err_text, sizeof(d->err_text), fmt, ap);
	va_end(ap);
	return d->err;
}

void
parse_note(struct mtrr_dump *d, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (d->nnotes == MTRR_PARSE_NOTES) {
		d->notes_dropped++;
		return;
	}
	d->notes[d->nnotes].line = line;
	va_start(ap, fmt);
	vsnprintf(d->notes[d->nnotes].text, sizeof(d->notes[0].text), fmt, ap);
	va_end(ap);
	d->nnotes++;
}

enum mtrr_parse_error
parse_type_word(struct slice *s, struct mtrr_dump *d, unsigned line, uint32_t msr,
		uint8_t *type)
{
	struct slice w = slice_word(s, ",");
	int t = type_from_name(w);
	char name[32], show[40];

	if (t >= 0) {
		*type = (uint8_t)t;
		return MTRR_PARSE_OK;
	}
	if (slice_is(w, "?")) {
		d->err = MTRR_PARSE_REGISTER;
		d->err_line = line;
		d->err_msr = msr;
		d->err_status = MTRR_E_INVALID_TYPE;
		snprintf(d->err_text, sizeof(d->err_text), "%s: type '?' (2, 3 or 7..255): %s",
			 mtrr_msr_name(msr, name, sizeof(name)),
			 mtrr_status_str(MTRR_E_INVALID_TYPE));
		return d->err;
	}
	return parse_fail(d, line, "unknown memory type '%s'",
			  slice_show(w, show, sizeof(show)));
}

enum mtrr_parse_error
raw_add(struct raw *r, struct mtrr_dump *d, uint32_t msr, uint64_t value, unsigned line)
{
	if (r->n == RAW_MAX)
		return parse_fail(d, line, "too many registers");
	r->reg[r->n].msr = msr;
	r->reg[r->n].value = value;
	r->reg[r->n].size = 0;
	r->reg[r->n].line = line;
	r->n++;
	return MTRR_PARSE_OK;
}

/*
 * A boot-log block marker anywhere wins (a log is mostly other lines); else
 * a "regNN: base=" line means /proc/mtrr; else a kernel log without the
 * block (timestamps, "kernel:", "(XEN)", "Linux version", Linux's map
 * summary) is still a log, so that the answer says what it lacks; else
 * MSR/value pairs.
 */
static enum mtrr_format
detect(const char *text, size_t len)
{
	struct slice line;
	size_t pos = 0;
	bool proc = false, log = false;

	while (slice_next_line(text, len, &pos, &line)) {
		struct log_line l;
		struct slice t = slice_trim(slice_unquote(line));

		if (t.n > 0 && t.p[0] == '#')
			continue;
		log_line_split(line, &l);
		if (slice_find(l.msg, "MTRR default type:") >= 0 ||
		    slice_find(l.msg, "MTRR fixed ranges ") >= 0 ||
		    slice_find(l.msg, "MTRR variable ranges ") >= 0)
			return MTRR_FORMAT_DMESG;
		if (slice_eat(&t, "reg") && t.n > 0 && t.p[0] >= '0' && t.p[0] <= '9' &&
		    slice_find(t, "base=") >= 0)
			proc = true;
		if (l.prefixed || slice_find(l.msg, "Linux version ") >= 0 ||
		    slice_find(l.msg, "MTRR map: ") >= 0)
			log = true;
	}
	return proc ? MTRR_FORMAT_PROC : log ? MTRR_FORMAT_DMESG : MTRR_FORMAT_MSR;
}

static unsigned
bit_length(uint64_t v)
{
	unsigned n = 0;

	while (v) {
		n++;
		v >>= 1;
	}
	return n;
}

static bool
is_var_msr(uint32_t msr)
{
	return msr >= MTRR_MSR_PHYSBASE0 && msr < MTRR_MSR_PHYSBASE(MTRR_VAR_MAX);
}

static bool
is_fixed_msr(uint32_t msr, unsigned *index)
{
	static const uint32_t fixed[MTRR_FIXED_MSRS] = {
		MTRR_MSR_FIX64K_00000, MTRR_MSR_FIX16K_80000, MTRR_MSR_FIX16K_A0000,
		MTRR_MSR_FIX4K_C0000, MTRR_MSR_FIX4K_C8000, MTRR_MSR_FIX4K_D0000,
		MTRR_MSR_FIX4K_D8000, MTRR_MSR_FIX4K_E0000, MTRR_MSR_FIX4K_E8000,
		MTRR_MSR_FIX4K_F0000, MTRR_MSR_FIX4K_F8000,
	};
	unsigned i;

	for (i = 0; i < MTRR_FIXED_MSRS; i++) {
		if (fixed[i] == msr) {
			*index = i;
			return true;
		}
	}
	return false;
}

/* Caps: what the input says first, then the options, then inference. */
static enum mtrr_parse_error
settle_caps(const struct raw *r, const struct mtrr_parse_opts *o, struct mtrr_dump *d,
	    struct mtrr_caps *c)
{
	uint64_t bits = r->addr_bits;
	bool smrr_seen = false;
	unsigned i, need, smrr_line = r->cap_line;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < r->n; i++) {
		if ((is_var_msr(r->reg[i].msr) && r->reg[i].size == 0) ||
		    (is_amd_msr(r->reg[i].msr) && r->reg[i].msr != MTRR_MSR_SYSCFG))
			bits |= r->reg[i].value & ~0xFFFull;
		if ((r->reg[i].msr == MTRR_MSR_SMRR_PHYSBASE ||
		     r->reg[i].msr == MTRR_MSR_SMRR_PHYSMASK) && !smrr_seen) {
			smrr_seen = true;
			smrr_line = r->reg[i].line;
		}
	}
	if (r->has_cap) {
		uint64_t vcnt = (r->cap & MTRR_CAP_VCNT_MASK) >> MTRR_CAP_VCNT_SHIFT;
		if (vcnt > MTRR_VAR_MAX)
			return parse_fail(d, r->cap_line, "IA32_MTRRCAP.VCNT = %u: more than "
					  "the %d pairs MSRs 0x200-0x24F can hold",
					  (unsigned)vcnt, MTRR_VAR_MAX);
		c->vcnt = (unsigned)vcnt;
		c->fixed = (r->cap & MTRR_CAP_FIX) != 0;
		c->wc = (r->cap & MTRR_CAP_WC) != 0;
		c->smrr = (r->cap & MTRR_CAP_SMRR) != 0;
		d->caps_from_msr = true;
		if ((o->vcnt_set && o->vcnt != c->vcnt) || (o->fixed_set && o->fixed != c->fixed) ||
		    (o->wc_set && o->wc != c->wc))
			parse_note(d, r->cap_line, "IA32_MTRRCAP in the input overrides "
				   "--vcnt/--fixed/--wc");
	} else {
		if (r->vcnt_known) {
			c->vcnt = r->vcnt;
			if (o->vcnt_set && o->vcnt != r->vcnt)
				parse_note(d, 0, "the input has %u variable ranges: --vcnt %u "
					   "ignored", r->vcnt, o->vcnt);
		} else if (o->vcnt_set) {
			c->vcnt = o->vcnt;
		} else {
			c->vcnt = r->any_pair ? r->max_pair + 1 : 0;
			d->vcnt_inferred = true;
		}
		if (r->fixed_known) {
			c->fixed = r->fixed;
			if (o->fixed_set && o->fixed != r->fixed)
				parse_note(d, 0, "the input %s fixed ranges: --%sfixed ignored",
					   r->fixed ? "has" : "has no", o->fixed ? "" : "no-");
		} else {
			c->fixed = o->fixed;
		}
		c->wc = o->wc;
		c->smrr = smrr_seen;
	}
	c->vendor = o->vendor_set ? o->vendor :
		    d->has_tom2 || r->amd_line ? MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL;
	c->overlap = o->overlap;
	if (c->vendor == MTRR_VENDOR_INTEL && r->amd_line) {
		char name[32];
		for (i = 0; r->reg[i].line != r->amd_line || !is_amd_msr(r->reg[i].msr); i++)
			;
		return parse_fail(d, r->amd_line, "%s on an Intel CPU: an AMD register (drop "
				  "--vendor intel)", mtrr_msr_name(r->reg[i].msr, name,
								   sizeof(name)));
	}
	if (c->smrr && c->vendor == MTRR_VENDOR_AMD)
		return parse_fail(d, r->has_cap ? r->cap_line : smrr_line, "SMRR registers on "
				  "an AMD CPU: AMD has none (use --vendor intel)");
	if (o->phys_bits != 0) {
		c->phys_bits = o->phys_bits;
	} else {
		/* Proper masks set every bit up to MAXPHYADDR-1: the smallest
		   width that holds them is the CPU's.  Beyond 52, the write
		   below reports the reserved bits. */
		need = bit_length(bits);
		c->phys_bits = need < 36 ? 36 : need > 52 ? 52 : need;
		d->phys_bits_inferred = true;
	}
	if (mtrr_state_init(&d->state, c) != MTRR_OK)
		return parse_fail(d, 0, "impossible CPU: %u variable pairs, MAXPHYADDR %u",
				  c->vcnt, c->phys_bits);
	return MTRR_PARSE_OK;
}

/* The bits of `msr` that are reserved on a CPU with caps `c`. */
static uint64_t
reserved_bits(const struct mtrr_caps *c, uint32_t msr)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(c->phys_bits);

	if (msr == MTRR_MSR_DEF_TYPE)
		return MTRR_DEF_RESERVED;
	if (msr == MTRR_MSR_SMRR_PHYSBASE)
		return ~(MTRR_SMRR_ADDR_MASK | MTRR_PHYSBASE_TYPE_MASK);
	if (msr == MTRR_MSR_SMRR_PHYSMASK)
		return ~(MTRR_SMRR_ADDR_MASK | MTRR_PHYSMASK_V);
	if (is_var_msr(msr))
		return (msr & 1u) ? ~(phys | MTRR_PHYSMASK_V) : ~(phys | MTRR_PHYSBASE_TYPE_MASK);
	if (msr == MTRR_MSR_TOP_MEM || msr == MTRR_MSR_TOP_MEM2)
		return ~MTRR_TOP_MEM_MASK(c->phys_bits);
	if (msr == MTRR_MSR_IORR_BASE(0) || msr == MTRR_MSR_IORR_BASE(1))
		return ~(phys | MTRR_IORR_RDMEM | MTRR_IORR_WRMEM);
	if (msr == MTRR_MSR_IORR_MASK(0) || msr == MTRR_MSR_IORR_MASK(1))
		return ~(phys | MTRR_IORR_V);
	return 0;
}

static bool
valid_type(uint64_t t, bool wc)
{
	return t == MTRR_TYPE_UC || (t == MTRR_TYPE_WC && wc) || t == MTRR_TYPE_WT ||
	       t == MTRR_TYPE_WP || t == MTRR_TYPE_WB;
}

/* Turns a rejected write into file:line and a reason a person can act on. */
static enum mtrr_parse_error
rejected(const struct raw *r, const struct raw_reg *g, mtrr_status st, struct mtrr_dump *d)
{
	const struct mtrr_caps *c = &d->state.caps;
	char name[32], why[96] = "";
	unsigned line = g->line, fi, b;

	mtrr_msr_name(g->msr, name, sizeof(name));
	switch (st) {
	case MTRR_E_ABSENT:
		if (is_var_msr(g->msr))
			snprintf(why, sizeof(why), " (pair %u, the CPU has %u)",
				 (g->msr - MTRR_MSR_PHYSBASE0) / 2u, c->vcnt);
		else if (g->msr == MTRR_MSR_SMRR_PHYSBASE || g->msr == MTRR_MSR_SMRR_PHYSMASK)
			snprintf(why, sizeof(why), " (IA32_MTRRCAP.SMRR = 0)");
		else
			snprintf(why, sizeof(why), " (IA32_MTRRCAP.FIX = 0)");
		break;
	case MTRR_E_RESERVED_BIT:
		snprintf(why, sizeof(why), " (bits 0x%llx at MAXPHYADDR %u)",
			 (unsigned long long)(g->value & reserved_bits(c, g->msr)),
			 c->phys_bits);
		break;
	case MTRR_E_INVALID_TYPE:
	case MTRR_E_WC_UNSUPPORTED:
		if (is_fixed_msr(g->msr, &fi)) {
			for (b = 0; b < 8; b++) {
				uint64_t t = (g->value >> (8 * b)) & 0xFFu;
				if (!valid_type(t, st == MTRR_E_INVALID_TYPE || c->wc))
					break;
			}
			if (b == 8)
				b = 0;
			line = r->fixed_line[fi * 8 + b] ? r->fixed_line[fi * 8 + b] : line;
			snprintf(why, sizeof(why), " (byte %u: type %u)", b,
				 (unsigned)((g->value >> (8 * b)) & 0xFFu));
		} else {
			snprintf(why, sizeof(why), " (type %u)", (unsigned)(g->value & 0xFFu));
		}
		break;
	default:
		break;
	}
	d->err = MTRR_PARSE_REGISTER;
	d->err_line = line;
	d->err_msr = g->msr;
	d->err_status = st;
	snprintf(d->err_text, sizeof(d->err_text), "%s = 0x%llx: %s%s", name,
		 (unsigned long long)g->value, mtrr_status_str(st), why);
	return d->err;
}

/*
 * IA32_MTRR_DEF_TYPE when the input has none (/proc/mtrr never has it; an
 * MSR list may lack it), and a --default-type that the input contradicts.
 */
static enum mtrr_parse_error
default_type(struct raw *r, const struct mtrr_parse_opts *o, struct mtrr_dump *d)
{
	uint64_t def = (uint64_t)o->default_type | MTRR_DEF_E;
	unsigned i, fi;
	bool any_fixed = false;

	if (r->def_given) {
		for (i = 0; i < r->n; i++) {
			uint64_t t = r->reg[i].value & MTRR_DEF_TYPE_MASK;
			if (r->reg[i].msr != MTRR_MSR_DEF_TYPE || !o->default_type_set ||
			    t == o->default_type)
				continue;
			parse_note(d, r->reg[i].line, "the input gives the default type (%s): "
				   "--default-type %s is not used", mtrr_type_str((uint8_t)t),
				   mtrr_type_str(o->default_type));
		}
		return MTRR_PARSE_OK;
	}
	if (d->format == MTRR_FORMAT_PROC) {
		parse_note(d, 0, "/proc/mtrr has no default type: %s %s%s",
			   o->default_type_set ? "using" : "assuming",
			   mtrr_type_str(o->default_type), o->default_type_set ?
			   " (--default-type)" : " (give --default-type TYPE if it is another)");
		return raw_add(r, d, MTRR_MSR_DEF_TYPE, def, 0);
	}
	if (!o->default_type_set) {
		parse_note(d, 0, "no IA32_MTRR_DEF_TYPE (0x2FF) in the input: it reads 0, so the "
			   "MTRRs are off and every address is UC (add it, or give --default-type)");
		return MTRR_PARSE_OK;
	}
	for (i = 0; i < r->n; i++)
		any_fixed |= is_fixed_msr(r->reg[i].msr, &fi);
	if (any_fixed)
		def |= MTRR_DEF_FE;
	parse_note(d, 0, "no IA32_MTRR_DEF_TYPE (0x2FF) in the input: using 0x%llx (E%s, "
		   "default type %s from --default-type)", (unsigned long long)def,
		   any_fixed ? ", FE" : "", mtrr_type_str(o->default_type));
	return raw_add(r, d, MTRR_MSR_DEF_TYPE, def, 0);
}

/*
 * What a "TOM2:" line means for SYSCFG and TOP_MEM2 (struct
 * mtrr_parse_opts.tom2_wb), and --no-tom2-wb on a SYSCFG value given as an
 * MSR.  After the caps are settled: only AMD has these registers.
 */
static enum mtrr_parse_error
tom2_registers(struct raw *r, const struct mtrr_parse_opts *o, struct mtrr_dump *d)
{
	uint64_t end = d->tom2 & MTRR_TOP_MEM_MASK(d->state.caps.phys_bits), syscfg;
	unsigned i;

	for (i = 0; !o->tom2_wb && i < r->n; i++) {
		if (r->reg[i].msr != MTRR_MSR_SYSCFG || !(r->reg[i].value & MTRR_SYSCFG_TOM2_WB))
			continue;
		r->reg[i].value &= ~MTRR_SYSCFG_TOM2_WB;
		parse_note(d, r->reg[i].line, "SYSCFG.Tom2ForceMemTypeWB cleared (--no-tom2-wb)");
	}
	if (!d->has_tom2)
		return MTRR_PARSE_OK;
	if (d->state.caps.vendor != MTRR_VENDOR_AMD) {
		parse_note(d, d->tom2_line, "TOM2 line not used: TOP_MEM2 and SYSCFG are AMD "
			   "registers (--vendor intel)");
		return MTRR_PARSE_OK;
	}
	syscfg = MTRR_SYSCFG_TOM2_EN;
	if (end <= (1ull << 32))
		parse_note(d, d->tom2_line, "TOM2 line: TOP_MEM2 0x%llx is not above 4 GiB, so "
			   "no range defaults to WB", (unsigned long long)d->tom2);
	else if (!d->tom2_says_wb)
		parse_note(d, d->tom2_line, "TOM2 line without (WB): SYSCFG.MtrrTom2En only, so "
			   "[4 GiB, 0x%llx) has the default type", (unsigned long long)end);
	else if (!o->tom2_wb)
		parse_note(d, d->tom2_line, "TOM2 line: SYSCFG.Tom2ForceMemTypeWB left clear "
			   "(--no-tom2-wb), so [4 GiB, 0x%llx) has the default type",
			   (unsigned long long)end);
	else
		parse_note(d, d->tom2_line, "TOM2 line: [4 GiB, 0x%llx) defaults to WB "
			   "(SYSCFG.Tom2ForceMemTypeWB, as %s)", (unsigned long long)end,
			   d->log.xen ? "Xen marks the line (WB)" :
			   "Linux prints this line only then");
	if (d->tom2_says_wb && o->tom2_wb)
		syscfg |= MTRR_SYSCFG_TOM2_WB;
	if (raw_add(r, d, MTRR_MSR_SYSCFG, syscfg, d->tom2_line) != MTRR_PARSE_OK)
		return d->err;
	return raw_add(r, d, MTRR_MSR_TOP_MEM2, d->tom2, d->tom2_line);
}

/*
 * Every register through mtrr_wrmsr, SYSCFG first: its MtrrFixDramModEn
 * decides whether the fixed ranges keep their RdMem/WrMem bits.
 */
static enum mtrr_parse_error
write_all(struct raw *r, struct mtrr_dump *d)
{
	const struct mtrr_caps *c = &d->state.caps;
	bool base_seen[MTRR_VAR_MAX] = { false }, mask_seen[MTRR_VAR_MAX] = { false };
	bool any_fixed = false;
	unsigned i, fi;
	uint64_t def = 0;

	for (i = 1; i < r->n; i++) {    /* at most one SYSCFG: to the front */
		if (r->reg[i].msr == MTRR_MSR_SYSCFG) {
			struct raw_reg g = r->reg[i];
			memmove(&r->reg[1], &r->reg[0], i * sizeof(r->reg[0]));
			r->reg[0] = g;
		}
	}
	for (i = 0; i < r->n; i++) {
		struct raw_reg *g = &r->reg[i];
		mtrr_status st;

		if (g->size != 0)       /* a /proc/mtrr size becomes a mask */
			g->value = (~(g->size - 1) & MTRR_PHYS_ADDR_MASK(c->phys_bits)) |
				   MTRR_PHYSMASK_V;
		st = mtrr_wrmsr(&d->state, g->msr, g->value);
		if (st != MTRR_OK)
			return rejected(r, g, st, d);
		if (is_var_msr(g->msr)) {
			unsigned n = (g->msr - MTRR_MSR_PHYSBASE0) / 2u;
			if (g->msr & 1u)
				mask_seen[n] = true;
			else
				base_seen[n] = true;
		}
		if (is_fixed_msr(g->msr, &fi))
			any_fixed = true;
		if (g->msr == MTRR_MSR_DEF_TYPE)
			def = g->value;
	}
	if (d->format == MTRR_FORMAT_MSR) {
		for (i = 0; i < MTRR_VAR_MAX; i++)
			if (base_seen[i] && !mask_seen[i])
				parse_note(d, 0, "IA32_MTRR_PHYSBASE%u without IA32_MTRR_PHYSMASK%u:"
					   " the pair is off (V = 0)", i, i);
		if (c->fixed && (def & MTRR_DEF_FE) && (def & MTRR_DEF_E) && !any_fixed)
			parse_note(d, 0, "fixed ranges enabled but no fixed-range MSR given:"
				   " the first MiB reads as UC");
	}
	return MTRR_PARSE_OK;
}

enum mtrr_parse_error
mtrr_parse(const char *text, size_t len, const struct mtrr_parse_opts *opts,
	   struct mtrr_dump *out)
{
	static const char empty[1] = "";
	struct mtrr_parse_opts def;
	struct mtrr_caps caps;
	struct raw r;
	enum mtrr_parse_error e;

	if (opts == NULL) {
		mtrr_parse_opts_init(&def);
		opts = &def;
	}
	if (text == NULL) {
		text = empty;
		len = 0;
	}
	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	if (opts->phys_bits != 0 && (opts->phys_bits < 32 || opts->phys_bits > 52))
		return parse_fail(out, 0, "MAXPHYADDR %u: must be 32..52", opts->phys_bits);
	if (opts->vcnt_set && opts->vcnt > MTRR_VAR_MAX)
		return parse_fail(out, 0, "%u variable pairs: at most %d", opts->vcnt,
				  MTRR_VAR_MAX);
	out->format = opts->format == MTRR_FORMAT_AUTO ? detect(text, len) : opts->format;
	switch (out->format) {
	case MTRR_FORMAT_DMESG:
		e = parse_dmesg_format(text, len, &r, out);
		break;
	case MTRR_FORMAT_PROC:
		e = parse_proc_format(text, len, &r, out);
		break;
	default:
		out->format = MTRR_FORMAT_MSR;
		e = parse_msr_format(text, len, &r, out);
		break;
	}
	if (e != MTRR_PARSE_OK)
		return e;
	if (r.n == 0 && !r.has_cap)
		return parse_fail(out, 0, "no MTRR registers found (as %s format)",
				  mtrr_format_name(out->format));
	if (default_type(&r, opts, out) != MTRR_PARSE_OK)
		return out->err;
	if (out->has_tom2 && !(opts->vendor_set && opts->vendor == MTRR_VENDOR_INTEL))
		r.addr_bits |= out->tom2;
	if (settle_caps(&r, opts, out, &caps) != MTRR_PARSE_OK ||
	    tom2_registers(&r, opts, out) != MTRR_PARSE_OK)
		return out->err;
	return write_all(&r, out);
}
