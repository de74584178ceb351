/*
 * worst_states.c — the states mtrr_worst measures: one seeded generator per
 * shape of non-contiguous mask, the issue's examples typed in, the bench
 * configurations, and the text format of worst.h (read and written).
 *
 * Every generated family runs at VCNT 40 and MAXPHYADDR 52 with all 40 pairs
 * valid, random fixed-range bytes and a random default type.  Odd instances
 * keep random base bits outside the mask (legal: only masked bits compare)
 * and resolve undefined overlaps to WB, even ones clear them and use UC.
 */
#include <stdlib.h>
#include <string.h>

#include "worst.h"

#define PHYS 52u

static const uint8_t all_types[5] = {
	MTRR_TYPE_UC, MTRR_TYPE_WC, MTRR_TYPE_WT, MTRR_TYPE_WP, MTRR_TYPE_WB
};

struct wstate *
wset_push(struct wset *set)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 64;
		struct wstate *v = realloc(set->v, cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		set->v = v;
		set->cap = cap;
	}
	memset(&set->v[set->n], 0, sizeof(set->v[set->n]));
	return &set->v[set->n++];
}

void
wset_free(struct wset *set)
{
	free(set->v);
	set->v = NULL;
	set->n = set->cap = 0;
}

uint8_t
worst_type(const struct mtrr_caps *caps, uint64_t *seed)
{
	uint8_t t;

	do
		t = all_types[bench_rand(seed) % 5];
	while (t == MTRR_TYPE_WC && !caps->wc);
	return t;
}

/* ---- generators --------------------------------------------------------- */

struct gen {
	struct wstate *w;
	uint64_t seed;
	unsigned inst;
	bool ok;
};

static void
put(struct gen *g, uint32_t msr, uint64_t value)
{
	mtrr_status st = mtrr_wrmsr(&g->w->s, msr, value);

	if (st != MTRR_OK) {
		fprintf(stderr, "mtrr_worst: %s: WRMSR 0x%x <- 0x%016llx: %s\n", g->w->name,
			(unsigned)msr, (unsigned long long)value, mtrr_status_str(st));
		g->ok = false;
	}
}

static uint64_t
rnd(struct gen *g)
{
	return bench_rand(&g->seed);
}

/* A random address bit 12..51. */
static uint64_t
rbit(struct gen *g)
{
	return 1ull << (12u + rnd(g) % (PHYS - 12u));
}

/* Pair n: `mask` (bits 51:12 kept) with V, a base that agrees with `base` on it. */
static void
pair(struct gen *g, unsigned n, uint64_t base, uint64_t mask, uint8_t type)
{
	uint64_t phys = MTRR_PHYS_ADDR_MASK(PHYS);

	mask &= phys;
	base &= phys;
	if (g->inst % 2 == 0)
		base &= mask;           /* even instances: no bits outside the mask */
	put(g, MTRR_MSR_PHYSBASE(n), base | type);
	put(g, MTRR_MSR_PHYSMASK(n), mask | MTRR_PHYSMASK_V);
}

static void
random_pair(struct gen *g, unsigned n, uint64_t mask)
{
	pair(g, n, rnd(g), mask, worst_type(&g->w->s.caps, &g->seed));
}

/* 2..4 (or exactly `bits`) distinct random bits. */
static uint64_t
sparse_mask(struct gen *g, unsigned bits)
{
	uint64_t m = 0;

	if (bits == 0)
		bits = 2u + (unsigned)(rnd(g) % 3u);
	while ((unsigned)__builtin_popcountll(m) < bits)
		m |= rbit(g);
	return m;
}

/* 0x5555.../0xAAAA... over bits 51:12, one bit flipped per pair. */
static uint64_t
alternating_mask(struct gen *g, unsigned n)
{
	uint64_t pat = n % 2 ? 0xAAAAAAAAAAAAAAAAull : 0x5555555555555555ull;

	return pat ^ (1ull << (12u + (n + 7u * g->inst) % (PHYS - 12u)));
}

/* Bits 20:12 only, never empty: the pattern repeats every 2 MiB. */
static uint64_t
low_mask(struct gen *g)
{
	return (rnd(g) & 0x1FF000ull) | (1ull << (12u + rnd(g) % 9u));
}

static void
gen_sparse(struct gen *g)
{
	unsigned n;

	for (n = 0; n < MTRR_VAR_MAX; n++)
		random_pair(g, n, sparse_mask(g, 0));
}

static void
gen_twobit(struct gen *g)
{
	unsigned n;

	for (n = 0; n < MTRR_VAR_MAX; n++)
		random_pair(g, n, sparse_mask(g, 2));
}

static void
gen_alternating(struct gen *g)
{
	unsigned n;

	for (n = 0; n < MTRR_VAR_MAX; n++)
		random_pair(g, n, alternating_mask(g, n));
}

/*
 * Twenty couples of complementary pairs, each couple covering every address
 * (one pair on the blocks with bit k clear, one on those with it set), with
 * every combination of two types.  Instance 0 mod 3: k = 12 for all (even and
 * odd pages); 1 mod 3: k = 12 + couple (every stride); 2 mod 3: random k.
 */
static void
gen_complementary(struct gen *g)
{
	unsigned c;

	for (c = 0; c < MTRR_VAR_MAX / 2; c++) {
		uint64_t k = g->inst % 3 == 0 ? 1ull << 12 :
			     g->inst % 3 == 1 ? 1ull << (12 + c) : rbit(g);
		uint64_t junk = rnd(g) & ~k;
		pair(g, 2 * c, junk, k, all_types[c % 5]);
		pair(g, 2 * c + 1, junk | k, k, all_types[(c + c / 5 + 1) % 5]);
	}
}

static void
gen_random(struct gen *g)
{
	unsigned n;

	for (n = 0; n < MTRR_VAR_MAX; n++)
		random_pair(g, n, rnd(g));
}

/*
 * Forty cubes, each inside the one before, of random types, around one
 * random page.  Even instances: ordinary aligned blocks of 2^51 down to 4 KiB.
 * Odd instances: each mask adds one random bit to the one before (a
 * permutation of bits 51:12), so every cube is strided.
 */
static void
gen_nested(struct gen *g)
{
	uint8_t order[PHYS - 12u];
	uint64_t p = rnd(g), mask = 0;
	unsigned n, i;

	for (i = 0; i < PHYS - 12u; i++)
		order[i] = (uint8_t)(12u + i);
	for (i = PHYS - 13u; i > 0; i--) {          /* Fisher-Yates */
		unsigned j = (unsigned)(rnd(g) % (i + 1u));
		uint8_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (n = 0; n < MTRR_VAR_MAX; n++) {
		if (g->inst % 2 == 0)
			mask = ~((1ull << (PHYS - 1u - n)) - 1u);
		else
			mask |= 1ull << order[n % (PHYS - 12u)];
		pair(g, n, p, mask, worst_type(&g->w->s.caps, &g->seed));
	}
}

static void
gen_lowbits(struct gen *g)
{
	unsigned n;

	for (n = 0; n < MTRR_VAR_MAX; n++)
		random_pair(g, n, low_mask(g));
}

/* Every pair a shape of its own: the families above, mixed, and plain blocks. */
static void
gen_mixed(struct gen *g)
{
	unsigned n;

	for (n = 0; n < MTRR_VAR_MAX; n++) {
		uint64_t m;
		switch (rnd(g) % 6u) {
		case 0: m = ~((1ull << (12u + rnd(g) % (PHYS - 12u))) - 1u); break;
		case 1: m = sparse_mask(g, 0); break;
		case 2: m = sparse_mask(g, 2); break;
		case 3: m = alternating_mask(g, n); break;
		case 4: m = rnd(g); break;
		default: m = low_mask(g); break;
		}
		random_pair(g, n, m);
	}
}

struct family {
	const char *name;
	void (*gen)(struct gen *g);
};

static const struct family families[] = {
	{ "sparse", gen_sparse },               /* 2-4 random bits per mask */
	{ "two-bit", gen_twobit },
	{ "alternating", gen_alternating },
	{ "complementary", gen_complementary },
	{ "random", gen_random },
	{ "nested", gen_nested },
	{ "low-bits", gen_lowbits },            /* bits 20:12 only */
	{ "mixed", gen_mixed },
};

static bool
add_generated(struct wset *set, const struct family *f, unsigned inst)
{
	struct mtrr_caps caps = { .vcnt = MTRR_VAR_MAX, .fixed = true, .wc = true,
				  .phys_bits = PHYS };
	struct wstate *w = wset_push(set);
	struct gen g;
	unsigned i, b;

	if (w == NULL)
		return false;
	caps.overlap = inst % 2 ? MTRR_OVERLAP_WB : MTRR_OVERLAP_UC;
	snprintf(w->name, sizeof(w->name), "%s-%u", f->name, inst);
	snprintf(w->family, sizeof(w->family), "%s", f->name);
	mtrr_state_init(&w->s, &caps);
	g.w = w;
	g.inst = inst;
	g.ok = true;
	/* A seed per family and instance: adding a family changes no other. */
	g.seed = 0x776f727374ull;       /* "worst" */
	for (i = 0; f->name[i]; i++)
		g.seed = g.seed * 131u + (unsigned char)f->name[i];
	g.seed += 0x10000ull * inst;
	for (i = 0; i < MTRR_FIXED_MSRS; i++) {
		uint64_t v = 0;
		for (b = 0; b < 8; b++)
			v |= (uint64_t)worst_type(&caps, &g.seed) << (8 * b);
		put(&g, i == 0 ? MTRR_MSR_FIX64K_00000 :
			i < 3 ? MTRR_MSR_FIX16K_80000 + (i - 1u) : MTRR_MSR_FIX4K_C0000 + (i - 3u),
		    v);
	}
	f->gen(&g);
	put(&g, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | worst_type(&caps, &g.seed));
	return g.ok;
}

/*
 * The issue's example: PHYSMASK0 = 0x1800 (bit 12 and V) alone, every other
 * 4 KiB page UC in a WB space: 2^(MAXPHYADDR - 13) runs.
 */
static bool
add_example(struct wset *set, unsigned phys)
{
	struct mtrr_caps caps = { .vcnt = MTRR_VAR_MAX, .fixed = true, .wc = true,
				  .phys_bits = phys };
	struct wstate *w = wset_push(set);
	struct gen g;
	uint32_t msr;

	if (w == NULL)
		return false;
	snprintf(w->name, sizeof(w->name), "physmask-1800-p%u", phys);
	snprintf(w->family, sizeof(w->family), "issue-example");
	mtrr_state_init(&w->s, &caps);
	g.w = w;
	g.ok = true;
	put(&g, MTRR_MSR_FIX64K_00000, 0x0606060606060606ull);
	put(&g, MTRR_MSR_FIX16K_80000, 0x0606060606060606ull);
	put(&g, MTRR_MSR_FIX16K_A0000, 0);
	for (msr = MTRR_MSR_FIX4K_C0000; msr <= MTRR_MSR_FIX4K_F8000; msr++)
		put(&g, msr, 0x0505050505050505ull);
	put(&g, MTRR_MSR_PHYSBASE(0), MTRR_TYPE_UC);
	put(&g, MTRR_MSR_PHYSMASK(0), 0x1800);
	put(&g, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB);
	return g.ok;
}

/*
 * Issue 12's states A and B, as reported (the V bit 0x800 added to the masks
 * that lacked it, so that every pair is valid).
 */
static const char issue12_states[] =
	"state issue12-A\n"
	"caps vcnt=8 phys=51 fixed=1 wc=1\n"
	"250 0400060601010500\n258 0404010004060105\n259 0604010500050104\n"
	"268 0101010400000601\n269 0\n26a 0\n26b 0406000106060601\n26c 0\n26d 0\n"
	"26e 0505050505050505\n26f 0606060606060606\n"
	"200 20e805e060004\n201 7fffffffe0800\n"
	"202 2a7be19fcd006\n203 43b53d64a9800\n"
	"204 20e8000000001\n205 7d7e000000800\n"
	"206 2068c0b0f4000\n207 7ffffffffc800\n"
	"208 7f1ec0b5a9004\n209 7e09790829800\n"
	"20a 7b0fc00000006\n20b 7df3fc0000800\n"
	"20c 154e00f926001\n20d 64ec6e8481800\n"
	"20e 31bf4c8ecb001\n20f a9e02522c800\n"
	"2ff c01\n"
	"end\n"
	"state issue12-B\n"
	"caps vcnt=8 phys=47 fixed=1 wc=1\n"
	"250 0600060004010501\n258 0606060606060606\n259 0101010101010101\n"
	"268 0404040404040404\n269 0\n26a 0404040404040404\n26b 0505050505050505\n"
	"26c 0101010101010101\n26d 0606060606060606\n26e 0405050604060006\n"
	"26f 0104050405040504\n"
	"200 242041101000\n201 353fc39a5800\n"
	"202 5\n203 780000000800\n"
	"204 2b73bfe3a004\n205 290d75fa8800\n"
	"206 e25aa001\n207 7fffffffe800\n"
	"208 290136000004\n209 7ffffe000800\n"
	"20a 61fb08000001\n20b 7ffff8000800\n"
	"20c 400000000004\n20d 400000000800\n"
	"20e 5d32ff7a005\n20f 37ffffffe800\n"
	"2ff c06\n"
	"end\n";

bool
wset_add_builtin(struct wset *set, unsigned instances)
{
	size_t f, i;
	unsigned inst;

	for (f = 0; f < sizeof(families) / sizeof(families[0]); f++)
		for (inst = 0; inst < instances; inst++)
			if (!add_generated(set, &families[f], inst))
				return false;
	if (!add_example(set, 36) || !add_example(set, 46) || !add_example(set, 52))
		return false;
	if (!wset_parse(set, issue12_states, "issue12", "issue12"))
		return false;
	for (i = 0; bench_config_get(i); i++) {
		const struct bench_config *c = bench_config_get(i);
		struct wstate *w = wset_push(set);
		if (w == NULL)
			return false;
		snprintf(w->name, sizeof(w->name), "%s", c->name);
		snprintf(w->family, sizeof(w->family), "%s",
			 c->typical ? "typical" : "bench-adversarial");
		if (!bench_config_load(c, &w->s))
			return false;
	}
	return true;
}

/* ---- the text format ---------------------------------------------------- */

static bool
parse_caps(char *p, struct mtrr_caps *c)
{
	memset(c, 0, sizeof(*c));
	for (;;) {
		char *tok, *eq;
		unsigned long v;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return true;
		tok = p;
		p += strcspn(p, " \t");
		if (*p != '\0')
			*p++ = '\0';
		if ((eq = strchr(tok, '=')) == NULL)
			return false;
		*eq++ = '\0';
		v = strtoul(eq, NULL, 0);
		if (strcmp(tok, "vcnt") == 0)
			c->vcnt = (unsigned)v;
		else if (strcmp(tok, "phys") == 0)
			c->phys_bits = (unsigned)v;
		else if (strcmp(tok, "fixed") == 0)
			c->fixed = v != 0;
		else if (strcmp(tok, "wc") == 0)
			c->wc = v != 0;
		else if (strcmp(tok, "smrr") == 0)
			c->smrr = v != 0;
		else if (strcmp(tok, "vendor") == 0 && strcmp(eq, "intel") == 0)
			c->vendor = MTRR_VENDOR_INTEL;
		else if (strcmp(tok, "vendor") == 0 && strcmp(eq, "amd") == 0)
			c->vendor = MTRR_VENDOR_AMD;
		else if (strcmp(tok, "overlap") == 0 && strcmp(eq, "uc") == 0)
			c->overlap = MTRR_OVERLAP_UC;
		else if (strcmp(tok, "overlap") == 0 && strcmp(eq, "wb") == 0)
			c->overlap = MTRR_OVERLAP_WB;
		else
			return false;
	}
}

/* "MSR VALUE" in hex; false when either is missing or not a number. */
static bool
parse_write(const char *p, uint32_t *msr, uint64_t *value)
{
	char *end;
	unsigned long long m = strtoull(p, &end, 16);

	if (end == p || m > 0xFFFFFFFFull)
		return false;
	p = end;
	*value = strtoull(p, &end, 16);
	if (end == p)
		return false;
	while (*end == ' ' || *end == '\t')
		end++;
	*msr = (uint32_t)m;
	return *end == '\0';
}

bool
wset_parse(struct wset *set, const char *text, const char *origin, const char *family)
{
	char line[256];
	struct wstate *w = NULL;
	bool have_caps = false;
	unsigned lineno = 0;
	const char *why = NULL;

	while (*text) {
		size_t len = strcspn(text, "\n");
		char *p, *hash;
		uint32_t msr;
		uint64_t value;
		mtrr_status st;

		lineno++;
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, text, len);
		line[len] = '\0';
		text += strcspn(text, "\n");
		if (*text)
			text++;
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		for (p = line + strlen(line); p > line && (p[-1] == ' ' || p[-1] == '\t' ||
							   p[-1] == '\r'); p--)
			p[-1] = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0')
			continue;
		if (strncmp(p, "state ", 6) == 0) {
			if (w != NULL) {
				why = "state inside a state (missing end)";
				break;
			}
			if ((w = wset_push(set)) == NULL) {
				why = "out of memory";
				break;
			}
			snprintf(w->name, sizeof(w->name), "%s", p + 6);
			snprintf(w->family, sizeof(w->family), "%s", family);
			have_caps = false;
		} else if (w == NULL) {
			why = "expected 'state NAME'";
			break;
		} else if (strncmp(p, "family ", 7) == 0) {
			snprintf(w->family, sizeof(w->family), "%s", p + 7);
		} else if (strncmp(p, "caps ", 5) == 0) {
			struct mtrr_caps caps;
			if (!parse_caps(p + 5, &caps) || mtrr_state_init(&w->s, &caps) != MTRR_OK) {
				why = "bad caps";
				break;
			}
			have_caps = true;
		} else if (strcmp(p, "end") == 0) {
			if (!have_caps) {
				why = "state without caps";
				break;
			}
			w = NULL;
		} else if (!have_caps) {
			why = "a write before the caps";
			break;
		} else if (strncmp(p, "then ", 5) == 0) {
			if (!parse_write(p + 5, &msr, &value) || w->nthen == WORST_THEN_MAX) {
				why = "bad 'then MSR VALUE' (at most two)";
				break;
			}
			w->then_msr[w->nthen] = msr;
			w->then_val[w->nthen++] = value;
		} else if (!parse_write(p, &msr, &value)) {
			why = "expected 'MSR VALUE' in hex";
			break;
		} else if ((st = mtrr_wrmsr(&w->s, msr, value)) != MTRR_OK) {
			why = mtrr_status_str(st);
			break;
		}
	}
	if (why == NULL && w != NULL)
		why = "missing end";
	if (why != NULL) {
		fprintf(stderr, "%s:%u: %s\n", origin, lineno, why);
		return false;
	}
	return true;
}

bool
wset_load_file(struct wset *set, const char *path, const char *family)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0, cap = 0, got;
	bool ok;

	if (f == NULL) {
		perror(path);
		return false;
	}
	do {
		if (cap - len < 4096) {
			char *t = realloc(text, cap + 65536);
			if (t == NULL) {
				fclose(f);
				free(text);
				return false;
			}
			text = t;
			cap += 65536;
		}
		got = fread(text + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	fclose(f);
	text[len] = '\0';
	ok = wset_parse(set, text, path, family);
	free(text);
	return ok;
}

void
wstate_print(FILE *f, const struct wstate *w)
{
	const struct mtrr_caps *c = &w->s.caps;
	uint32_t msrs[MTRR_MSR_LIST_MAX];
	size_t n = mtrr_msr_list(c, msrs, MTRR_MSR_LIST_MAX), i;
	unsigned k;

	fprintf(f, "state %s\nfamily %s\n", w->name, w->family);
	fprintf(f, "caps vcnt=%u phys=%u fixed=%d wc=%d smrr=%d vendor=%s overlap=%s\n",
		c->vcnt, c->phys_bits, c->fixed, c->wc, c->smrr,
		c->vendor == MTRR_VENDOR_AMD ? "amd" : "intel",
		c->overlap == MTRR_OVERLAP_WB ? "wb" : "uc");
	for (i = 0; i < n; i++) {
		uint64_t v;
		if (mtrr_rdmsr(&w->s, msrs[i], &v) == MTRR_OK && v != 0)
			fprintf(f, "%x %llx\n", (unsigned)msrs[i], (unsigned long long)v);
	}
	for (k = 0; k < w->nthen; k++)
		fprintf(f, "then %x %llx\n", (unsigned)w->then_msr[k],
			(unsigned long long)w->then_val[k]);
	fprintf(f, "end\n");
}
