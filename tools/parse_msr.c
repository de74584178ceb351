/*
 * parse_msr.c — MSR/value pairs, the way rdmsr/wrmsr users write them down:
 *
 *     # comment
 *     0x2ff 0xc06
 *     2ff=c06
 *     0x200: 0x6
 *     wrmsr -a 0x201 0x7f80000800
 *     IA32_MTRR_DEF_TYPE = 0xc06
 *
 * Every number is hex, with or without 0x (rdmsr prints hex without it).
 * A register given twice must have the same value both times: a dump
 * holds one value per register, two different ones mean two CPUs.  AMD's
 * registers go by their index or their APM or Linux name (SYSCFG,
 * MSR_K8_SYSCFG, MSR_AMD64_SYSCFG, TOP_MEM, MSR_K8_TOP_MEM1, TOP_MEM2,
 * IORRBase0, MSR_K8_IORR_MASK1, ...).
 */
#include <stdio.h>
#include <string.h>

#include "parse_impl.h"

/* Every MTRR MSR index, to match names against. */
static uint32_t
nth_mtrr_msr(unsigned i)
{
	static const uint32_t others[] = {
		MTRR_MSR_CAP, MTRR_MSR_DEF_TYPE, MTRR_MSR_FIX64K_00000,
		MTRR_MSR_FIX16K_80000, MTRR_MSR_FIX16K_A0000, MTRR_MSR_SMRR_PHYSBASE,
		MTRR_MSR_SMRR_PHYSMASK, MTRR_MSR_SYSCFG, MTRR_MSR_TOP_MEM, MTRR_MSR_TOP_MEM2,
		MTRR_MSR_IORR_BASE(0), MTRR_MSR_IORR_MASK(0), MTRR_MSR_IORR_BASE(1),
		MTRR_MSR_IORR_MASK(1),
	};

	if (i < 2 * MTRR_VAR_MAX)
		return MTRR_MSR_PHYSBASE0 + i;
	i -= 2 * MTRR_VAR_MAX;
	if (i < 8)
		return MTRR_MSR_FIX4K_C0000 + i;
	i -= 8;
	return i < sizeof(others) / sizeof(others[0]) ? others[i] : 0;
}

/*
 * Linux's names (MSR_MTRRdefType, MSR_MTRRphysBase0, MSR_MTRRfix4K_C0000;
 * MSR_K8_TOP_MEM1, and for the IORRs Xen's MSR_K8_IORR_BASE0), without the
 * "MSR_" and "K8_" the caller strips.
 */
static void
linux_name(uint32_t msr, char *buf, size_t size)
{
	char sdm[32];

	mtrr_msr_name(msr, sdm, sizeof(sdm));
	if (msr == MTRR_MSR_TOP_MEM)
		snprintf(buf, size, "TOP_MEM1");
	else if (msr >= MTRR_MSR_IORR_BASE(0) && msr <= MTRR_MSR_IORR_MASK(1))
		snprintf(buf, size, "IORR_%s%u", (msr & 1u) ? "MASK" : "BASE",
			 (msr - MTRR_MSR_IORR_BASE(0)) / 2u);
	else if (msr == MTRR_MSR_CAP)
		snprintf(buf, size, "MTRRcap");
	else if (msr == MTRR_MSR_DEF_TYPE)
		snprintf(buf, size, "MTRRdefType");
	else if (msr >= MTRR_MSR_PHYSBASE0 && msr < MTRR_MSR_PHYSBASE(MTRR_VAR_MAX))
		snprintf(buf, size, "MTRRphys%s%u", (msr & 1u) ? "Mask" : "Base",
			 (msr - MTRR_MSR_PHYSBASE0) / 2u);
	else if (strncmp(sdm, "IA32_MTRR_FIX", 13) == 0)
		snprintf(buf, size, "MTRRfix%s", sdm + 13);
	else
		snprintf(buf, size, "%s", sdm);
}

static bool
msr_from_name(struct slice w, uint32_t *msr)
{
	char name[32];
	unsigned i;
	uint32_t m;

	slice_eat(&w, "MSR_");
	if (!slice_eat(&w, "IA32_") && !slice_eat(&w, "K8_"))
		slice_eat(&w, "AMD64_");                /* MSR_AMD64_SYSCFG */
	for (i = 0; (m = nth_mtrr_msr(i)) != 0; i++) {
		struct slice a = w;
		mtrr_msr_name(m, name, sizeof(name));
		if (slice_is(a, strncmp(name, "IA32_", 5) == 0 ? name + 5 : name)) {
			*msr = m;
			return true;
		}
		linux_name(m, name, sizeof(name));
		if (slice_is(a, name)) {
			*msr = m;
			return true;
		}
	}
	return false;
}

/* A whole word that is one hex number. */
static bool
word_hex(struct slice w, uint64_t *v, bool *overflow)
{
	return slice_hex(&w, v, overflow) && w.n == 0;
}

/* "wrmsr [-a] [-p CPU]" in front of the pair: skipped. */
static bool
skip_wrmsr(struct slice *s, struct slice *w)
{
	if (!slice_is(*w, "wrmsr") && !slice_is(*w, "msr"))
		return true;
	*w = slice_word(s, ":=,");
	while (w->n > 0 && w->p[0] == '-') {
		if (slice_is(*w, "-p"))
			slice_word(s, ":=,");
		else if (!slice_is(*w, "-a") && !(w->n > 2 && w->p[1] == 'p'))
			return false;
		*w = slice_word(s, ":=,");
	}
	return true;
}

static void
skip_separators(struct slice *s)
{
	for (;;) {
		slice_skip_space(s);
		if (s->n == 0 || (s->p[0] != ':' && s->p[0] != '=' && s->p[0] != ','))
			return;
		s->p++;
		s->n--;
	}
}

static enum mtrr_parse_error
add_pair(struct raw *r, struct mtrr_dump *d, uint64_t msr, uint64_t value, unsigned line)
{
	char name[32];
	unsigned i;

	if (msr > UINT32_MAX)
		return parse_fail(d, line, "MSR index 0x%llx does not fit in 32 bits",
				  (unsigned long long)msr);
	if (!is_mtrr_msr((uint32_t)msr))
		return parse_fail(d, line, "MSR 0x%X is not an MTRR MSR (%s)", (unsigned)msr,
				  "MTRR dumps hold 0xFE, 0x1F2-0x1F3, 0x200-0x24F, "
				  "0x250-0x26F, 0x2FF; AMD: 0xC0010010, 0xC0010016-19, "
				  "0xC001001A, 0xC001001D");
	mtrr_msr_name((uint32_t)msr, name, sizeof(name));
	if (msr == MTRR_MSR_DEF_TYPE)
		r->def_given = true;
	if (is_amd_msr((uint32_t)msr) && r->amd_line == 0)
		r->amd_line = line;
	if (msr == MTRR_MSR_CAP) {
		if (r->has_cap && r->cap != value)
			return parse_fail(d, line, "%s given twice with different values "
					  "(line %u): a dump of two CPUs?", name, r->cap_line);
		r->has_cap = true;
		r->cap = value;
		r->cap_line = line;
		return MTRR_PARSE_OK;
	}
	for (i = 0; i < r->n; i++) {
		if (r->reg[i].msr != msr)
			continue;
		if (r->reg[i].value != value)
			return parse_fail(d, line, "%s given twice with different values "
					  "(line %u): a dump of two CPUs?", name, r->reg[i].line);
		return MTRR_PARSE_OK;
	}
	if (msr >= MTRR_MSR_PHYSBASE0 && msr < MTRR_MSR_PHYSBASE(MTRR_VAR_MAX)) {
		unsigned pair = (unsigned)(msr - MTRR_MSR_PHYSBASE0) / 2u;
		if (!r->any_pair || pair > r->max_pair)
			r->max_pair = pair;
		r->any_pair = true;
	}
	if (msr >= MTRR_MSR_FIX64K_00000 && msr <= MTRR_MSR_FIX4K_F8000) {
		unsigned fi = msr == MTRR_MSR_FIX64K_00000 ? 0 :
			      msr <= MTRR_MSR_FIX16K_A0000 ? 1 + (unsigned)(msr - MTRR_MSR_FIX16K_80000) :
			      3 + (unsigned)(msr - MTRR_MSR_FIX4K_C0000);
		for (i = 0; i < 8; i++)
			r->fixed_line[fi * 8 + i] = line;
	}
	return raw_add(r, d, (uint32_t)msr, value, line);
}

enum mtrr_parse_error
parse_msr_format(const char *text, size_t len, struct raw *r, struct mtrr_dump *d)
{
	struct slice line;
	size_t pos = 0;
	unsigned ln = 0;
	char show[40];

	while (slice_next_line(text, len, &pos, &line)) {
		struct slice s, w;
		uint64_t msr, value;
		bool over;
		long hash;
		uint32_t m32;

		ln++;
		line = slice_unquote(line);
		hash = slice_find(line, "#");
		if (hash >= 0)
			line.n = (size_t)hash;
		s = slice_trim(line);
		if (s.n == 0)
			continue;
		w = slice_word(&s, ":=,");
		if (!skip_wrmsr(&s, &w))
			return parse_fail(d, ln, "unknown wrmsr option '%s'",
					  slice_show(w, show, sizeof(show)));
		if (word_hex(w, &msr, &over)) {
			if (over)
				return parse_fail(d, ln, "MSR index does not fit in 64 bits");
		} else if (msr_from_name(w, &m32)) {
			msr = m32;
		} else {
			return parse_fail(d, ln, "expected 'MSR VALUE' in hex (e.g. '0x2ff 0xc06')"
					  ", got '%s'", slice_show(w, show, sizeof(show)));
		}
		skip_separators(&s);
		w = slice_word(&s, "");
		if (w.n == 0)
			return parse_fail(d, ln, "MSR 0x%llx has no value",
					  (unsigned long long)msr);
		if (!word_hex(w, &value, &over))
			return parse_fail(d, ln, "value '%s' is not a hex number",
					  slice_show(w, show, sizeof(show)));
		if (over)
			return parse_fail(d, ln, "value does not fit in 64 bits");
		s = slice_trim(s);
		if (s.n != 0)
			return parse_fail(d, ln, "unexpected '%s' after the value",
					  slice_show(s, show, sizeof(show)));
		if (add_pair(r, d, msr, value, ln) != MTRR_PARSE_OK)
			return d->err;
	}
	r->line_count = ln;
	return MTRR_PARSE_OK;
}
