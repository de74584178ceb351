/*
 * plan.c — `mtrr plan`: the registers for a memory map, with the fewest
 * variable pairs (mtrr_plan), then the map they make and a check that it
 * is the one wanted.
 *
 * The wanted map comes from a memory map (memmap.c: a boot log's e820
 * lines, or ranges) or, with --from-log, from a dump's own registers: their
 * effective map (mtrr_map_ranges), every address cared for, so the plan
 * reprograms what the firmware set and the two can be compared.
 *
 * The output is a file of the chosen format in which everything but the
 * registers is a comment (plan_out.c): an MSR dump that `mtrr` reads back, a
 * shell script of wrmsr commands, or a C initialiser.
 *
 * AMD: on a dump whose SYSCFG has MtrrTom2En and Tom2ForceMemTypeWB, the
 * plan keeps SYSCFG and TOP_MEM2 (an OS that reprograms the MTRRs leaves
 * them alone) and leaves [4 GiB, TOP_MEM2) to them: the wanted WB there
 * becomes "any type" for mtrr_plan.  mtrr_plan does not know that an
 * address no pair matches is WB there rather than the default type, so
 * the result is checked against the dump's map.  Where a range in there
 * wants another type and the plan left it to the default (a UC pair of
 * the firmware inside the range, say), it gets pairs of its own
 * (repair_tom2): the count is then the planner's minimum plus those, not
 * proven minimal.  Should that still differ (a pair of the plan over such
 * a range), the map is planned again in full with a WB default, under
 * which Tom2ForceMemTypeWB changes nothing; the first result stays if
 * that does not fit either.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* mtrr_plan with default type `def`; the dump's AMD registers kept. */
static mtrr_status
plan_once(struct plan_job *j, const struct mtrr_range *want, size_t n, int def)
{
	struct mtrr_plan_opts op = j->opts;

	op.default_type = def;
	j->st = mtrr_plan(&j->caps, want, n, &op, &j->plan, &j->needed);
	if (j->st == MTRR_OK && j->fw != NULL)
		amd_copy(&j->plan, &j->fw->dump.state);
	return j->st;
}

/*
 * Builds the plan's map and compares: with the dump's map at every address
 * (--from-log, mtrr_map_diff), else each wanted range with its type
 * (mtrr_map_lookup_range).  Keeps the first PLAN_BAD_MAX mismatches;
 * returns their count.
 */
static size_t
check(struct plan_job *j)
{
	size_t i;

	j->nbad = 0;
	if (mtrr_map_build(j->map, &j->plan) != MTRR_OK)
		return j->nbad = 1;     /* cannot happen: mtrr_plan's states are legal */
	if (j->fw != NULL) {
		j->nbad = mtrr_map_diff(j->fw_map, j->map, j->bad, PLAN_BAD_MAX);
		for (i = 0; i < j->nbad && i < PLAN_BAD_MAX; i++) {
			j->bad_want[i] = mtrr_map_lookup_range(j->fw_map, j->bad[i].start,
							       j->bad[i].end);
			j->bad[i].type = mtrr_map_lookup_range(j->map, j->bad[i].start,
							       j->bad[i].end);
		}
		return j->nbad;
	}
	for (i = 0; i < j->nwant; i++) {
		const struct mtrr_range *w = &j->want[i];
		uint8_t got = mtrr_map_lookup_range(j->map, w->start, w->end);
		if (got == w->type)
			continue;
		if (j->nbad < PLAN_BAD_MAX) {
			j->bad[j->nbad] = *w;
			j->bad[j->nbad].type = got;
			j->bad_want[j->nbad] = w->type;
		}
		j->nbad++;
	}
	return j->nbad;
}

/*
 * The wanted map without the WB that TOM2 gives anyway: [4 GiB, tom2)
 * wanted WB becomes "any" (left out).  `out` holds n + 2 ranges.
 */
static size_t
leave_to_tom2(const struct mtrr_range *w, size_t n, uint64_t tom2, struct mtrr_range *out)
{
	const uint64_t lo = 1ull << 32;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		struct mtrr_range r = w[i];
		if (r.type != MTRR_TYPE_WB || r.end <= lo || r.start >= tom2) {
			out[k++] = r;
			continue;
		}
		if (r.start < lo) {
			out[k] = r;
			out[k++].end = lo;
		}
		if (r.end > tom2) {
			out[k] = r;
			out[k++].start = tom2;
		}
	}
	return k;
}

/*
 * After a plan that left [4 GiB, TOP_MEM2) to TOM2, where the check found
 * WB against a wanted type (mtrr_plan took such a range for the default
 * type, as no pair is needed there in its model): each such range gets
 * pairs of its own, aligned blocks that cover exactly it.  No pair matched
 * there, so nothing else changes type; the check runs again.
 */
static void
repair_tom2(struct plan_job *j)
{
	unsigned k = j->needed, limit = j->caps.vcnt - j->opts.reserve_pairs, n;
	uint64_t phys = MTRR_PHYS_ADDR_MASK(j->caps.phys_bits);
	size_t i;

	if (j->nbad > PLAN_BAD_MAX)
		return;
	for (i = 0; i < j->nbad; i++) {
		uint64_t a = j->bad[i].start, e = j->bad[i].end;
		if (j->bad[i].type != MTRR_TYPE_WB || j->bad_want[i] > MTRR_TYPE_WB)
			return;         /* not TOM2's doing, or several types: no repair */
		for (n = 0; n < k; n++) {
			struct pair p;
			pair_read(&j->plan, n, &p);
			if (pair_matches(&p, a))
				return;
		}
		while (a < e) {
			uint64_t size = a & (~a + 1);   /* a >= 4 GiB: never 0 */
			while (a + size > e)
				size >>= 1;
			if (k < limit) {
				mtrr_wrmsr(&j->plan, MTRR_MSR_PHYSBASE(k), a | j->bad_want[i]);
				mtrr_wrmsr(&j->plan, MTRR_MSR_PHYSMASK(k),
					   (~(size - 1) & phys) | MTRR_PHYSMASK_V);
			}
			k++;
			a += size;
		}
	}
	j->needed = k;
	if (k > limit)
		j->st = MTRR_E_TOO_FEW_PAIRS;
	else
		check(j);
	j->repaired = true;
}

/* mtrr_plan, and for a dump with TOM2 what the file comment says. */
static void
plan_and_check(struct plan_job *j)
{
	struct mtrr_range *relaxed;
	struct plan_job *first;
	int def = j->opts.default_type;
	size_t n;

	if (j->tom2 == 0) {
		if (plan_once(j, j->want, j->nwant, def) == MTRR_OK)
			check(j);
		return;
	}
	relaxed = malloc((j->nwant + 2) * sizeof(*relaxed));
	first = malloc(sizeof(*first));
	if (relaxed == NULL || first == NULL) {
		free(relaxed);
		free(first);
		j->oom = true;
		return;
	}
	n = leave_to_tom2(j->want, j->nwant, j->tom2, relaxed);
	j->tom2_left = true;
	if (plan_once(j, relaxed, n, def) == MTRR_OK && check(j) != 0)
		repair_tom2(j);
	if ((j->st != MTRR_OK || j->nbad != 0) &&
	    (def == MTRR_PLAN_DEFAULT_FREE || def == MTRR_TYPE_WB)) {
		/* a WB default: no pair means WB in and out of the range, as planned */
		*first = *j;
		j->tom2_left = j->repaired = false;
		if (plan_once(j, j->want, j->nwant, MTRR_TYPE_WB) == MTRR_OK)
			check(j);
		if (j->st != MTRR_OK || j->nbad != 0) {
			*j = *first;    /* no better: say what the first try found */
			if (j->st == MTRR_OK)
				check(j);       /* the map of that plan again */
		}
	}
	free(first);
	free(relaxed);
}

/* Memory-map mode: the caps come from the options. */
static int
from_memmap(struct plan_job *j, const struct mtrr_parse_opts *po, const char *path)
{
	struct memmap_opts mo;
	size_t len = 0;
	char *text;
	int rc;

	text = input_read(path, &j->name, &len);
	if (text == NULL) {
		snprintf(j->io_error, sizeof(j->io_error), "%s", strerror(errno));
		fprintf(stderr, "mtrr: %s: %s\n", j->name, j->io_error);
		return EXIT_INPUT;
	}
	mo.phys_bits = po->phys_bits;
	mo.wc = po->wc;
	mo.reserved_uc = j->args->reserved_uc;
	mo.gaps_uc = j->args->gaps_uc;
	rc = memmap_read(text, len, &mo, &j->mm);
	free(text);
	plan_print_notes(j);
	if (rc == EXIT_OUTPUT) {
		fprintf(stderr, "mtrr: out of memory\n");
		return rc;
	}
	if (rc != EXIT_OK) {
		if (j->mm.err_line)
			fprintf(stderr, "%s:%u: %s\n", j->name, j->mm.err_line, j->mm.err);
		else
			fprintf(stderr, "%s: %s\n", j->name, j->mm.err);
		return rc;
	}
	if (j->mm.phys_bits_inferred)
		fprintf(stderr, "%s: note: MAXPHYADDR %u assumed, the smallest that holds the map: "
			"the masks are for it (give --phys-bits, your CPU's: 'grep -m1 \"address "
			"sizes\" /proc/cpuinfo')\n", j->name, j->mm.phys_bits);
	j->caps.vcnt = po->vcnt_set ? po->vcnt : 8;
	j->caps.phys_bits = j->mm.phys_bits;
	j->caps.fixed = po->fixed;
	j->caps.wc = po->wc;
	j->caps.vendor = po->vendor_set ? po->vendor : MTRR_VENDOR_INTEL;
	j->caps.overlap = po->overlap;
	j->want = j->mm.want;
	j->nwant = j->mm.nwant;
	return EXIT_OK;
}

/* --from-log: the caps and the wanted map come from the dump. */
static int
from_log(struct plan_job *j, const struct mtrr_parse_opts *po, const char *path)
{
	struct mtrr_parse_opts lo = *po;
	const struct mtrr_state *s;
	size_t n;
	int rc;

	/* --vcnt and --no-fixed are about the plan here, not about the dump */
	lo.vcnt_set = false;
	lo.fixed_set = false;
	lo.fixed = true;
	rc = input_load(path, &lo, j->fw, "");
	j->name = j->fw->name;
	if (rc != EXIT_OK)
		return rc;
	s = &j->fw->dump.state;
	if (!map_listable(s)) {
		fprintf(stderr, "%s: non-contiguous masks make this map too large to plan "
			"(mtrr_plan takes ranges)\n", j->name);
		return EXIT_INPUT;
	}
	j->caps = s->caps;
	if (po->vcnt_set)
		j->caps.vcnt = po->vcnt;
	if (mtrr_map_build(j->fw_map, s) != MTRR_OK)
		return EXIT_INPUT;      /* cannot happen: the parser wrote it through mtrr_wrmsr */
	n = mtrr_map_ranges(j->fw_map, NULL, 0);
	j->fw_want = malloc((n ? n : 1) * sizeof(*j->fw_want));
	if (j->fw_want == NULL) {
		j->oom = true;
		return EXIT_OUTPUT;
	}
	mtrr_map_ranges(j->fw_map, j->fw_want, n);
	j->want = j->fw_want;
	j->nwant = n;
	j->tom2 = tom2_wb_end(s);
	return EXIT_OK;
}

/* The unit of the fixed ranges that is wanted with two types (for the message). */
static bool
fixed_conflict(const struct plan_job *j, uint64_t *start, uint64_t *end)
{
	uint64_t a = 0;

	while (a < MTRR_FIXED_END) {
		uint64_t size = a < 0x80000 ? 0x10000 : a < 0xC0000 ? 0x4000 : 0x1000;
		unsigned types = 0;
		size_t i;
		for (i = 0; i < j->nwant; i++)
			if (j->want[i].start < a + size && j->want[i].end > a)
				types |= 1u << (j->want[i].type & 7u);
		if (types & (types - 1)) {
			*start = a;
			*end = a + size;
			return true;
		}
		a += size;
	}
	return false;
}

int
plan_command(const struct out *o, const struct plan_args *p, const struct mtrr_parse_opts *po,
	     const char *file)
{
	static struct input fw;
	struct plan_job *j = calloc(1, sizeof(*j));
	int rc;

	if (j == NULL || (j->map = calloc(1, sizeof(*j->map))) == NULL ||
	    (j->fw_map = calloc(1, sizeof(*j->fw_map))) == NULL) {
		fprintf(stderr, "mtrr: out of memory\n");
		if (j != NULL)
			free(j->map);
		free(j);
		return EXIT_OUTPUT;
	}
	j->args = p;
	j->out = o;
	j->fw = p->from_log ? &fw : NULL;
	j->opts.default_type = p->default_type;
	if (!p->default_set && p->from_log)
		j->opts.default_type = MTRR_PLAN_DEFAULT_FREE;
	j->opts.reserve_pairs = p->reserve;
	j->opts.allow_whole_space = p->whole_space;
	rc = p->from_log ? from_log(j, po, file) : from_memmap(j, po, file);
	if (rc == EXIT_OK) {
		j->opts.use_fixed = j->caps.fixed && !(po->fixed_set && !po->fixed);
		if (p->reserve > j->caps.vcnt) {
			rc = EXIT_USAGE;
			fprintf(stderr, "mtrr: --reserve %u: the CPU has %u variable pairs\nTry "
				"'mtrr help plan'.\n", p->reserve, j->caps.vcnt);
		} else if (j->opts.default_type == MTRR_TYPE_WC && !j->caps.wc) {
			rc = EXIT_USAGE;
			fprintf(stderr, "mtrr: --default WC: the CPU has no WC\nTry 'mtrr help "
				"plan'.\n");
		}
	}
	if (rc == EXIT_OK) {
		j->read = true;
		plan_and_check(j);
		if (j->oom)
			rc = EXIT_OUTPUT;
		else if (j->st == MTRR_E_FIXED_CONFLICT)
			j->conflict = fixed_conflict(j, &j->conflict_start, &j->conflict_end);
		if (rc == EXIT_OK && (j->st != MTRR_OK || j->nbad != 0))
			rc = EXIT_FOUND;
	}
	j->rc = rc;
	if (rc == EXIT_USAGE) {
		/* nothing printed on stdout: as for every usage error */
	} else if (o->json) {
		plan_json(j);
	} else if (j->read) {
		rc = plan_text(j);
	}
	memmap_free(&j->mm);
	free(j->fw_want);
	free(j->map);
	free(j->fw_map);
	free(j);
	return rc;
}
