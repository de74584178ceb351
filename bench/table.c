/*
 * table.c — the human-readable output: one table per configuration and the
 * issue's targets, checked on the medians of the same run.
 */
#include "bench.h"

static void
print_cell(FILE *out, const struct cell *c, const struct cell *map)
{
	char buf[48];

	if (!c->done)
		snprintf(buf, sizeof(buf), "-");
	else if (c == map)
		snprintf(buf, sizeof(buf), "%.2f [%.2f]", c->st.median, c->st.min);
	else
		snprintf(buf, sizeof(buf), "%.1f [%.1f] %5.1fx", c->st.median, c->st.min,
			 c->st.median / map->st.median);
	fprintf(out, " %-24s", buf);
}

void
table_mismatches(FILE *out, const struct outcome *oc)
{
	static const enum impl checked[] = { IMPL_MAP, IMPL_INLINE, IMPL_SCAN, IMPL_LIST };
	unsigned row, i;

	for (i = 0; i < 3; i++) {
		long bad = 0, all = 0;
		for (row = 0; row < ROW_BUILD; row++) {
			bad += oc->cell[row][checked[i]].mismatches;
			all += oc->cell[row][checked[i]].checked;
		}
		fprintf(out, " %s %ld/%ld%s", impl_name(checked[i]), bad, all,
			i == 2 ? "\n" : ";");
	}
}

void
table_print(FILE *out, const struct bench_config *cfg, const struct subject *sj,
	    const struct outcome *oc)
{
	const struct mtrr_caps *caps = &sj->state.caps;
	unsigned row, i;

	fprintf(out, "\n== %s: %s%s\n", cfg->name, cfg->what, cfg->typical ? " [typical]" : "");
	fprintf(out, "   VCNT %u, MAXPHYADDR %u, fixed %s, DEF_TYPE 0x%llx; %s\n",
		caps->vcnt, caps->phys_bits, caps->fixed ? "yes" : "no",
		(unsigned long long)sj->state.def_type, cfg->source);
	fprintf(out, "   %zu runs in the effective map, %u entries in the Linux list\n",
		mtrr_map_ranges(&sj->map, NULL, 0), sj->list.n);
	fprintf(out, "   %-16s %-24s %-24s %-24s %-24s %-24s\n", "ns/call", "map median [min]",
		"map inline", "ref (SDM loop)", "scan (KVM/Xen/Bochs)", "list (Linux >= 6.5)");
	for (row = 0; row < NROWS; row++) {
		fprintf(out, "   %-16s", row_name(row));
		for (i = 0; i < IMPL_NONE; i++)
			print_cell(out, &oc->cell[row][i], &oc->cell[row][IMPL_MAP]);
		fprintf(out, "\n");
	}
	fprintf(out, "   %-16s", "effective");
	for (row = 0; row < NPOINTSETS; row++) {
		const struct cell *e = oc->effective[row];
		fprintf(out, " %s %.2f ns = %.2fx inline %.2f;", row_name(row), e[1].st.median,
			e[1].st.median / e[0].st.median, e[0].st.median);
	}
	fprintf(out, " (inline lookup x PAT entry, mtrr_effective_type_inline)\n");
	fprintf(out, "   %-16s", "batch");
	for (row = 0; row < NPOINTSETS; row++) {
		const struct cell *b = oc->batch[row];
		fprintf(out, " %s %.2f ns = %.2fx loop %.2f;", row_name(row), b[1].st.median,
			b[1].st.median / b[0].st.median, b[0].st.median);
	}
	fprintf(out, " (mtrr_map_lookup_batch, 256 a call, against a loop of inline lookups)\n");
	fprintf(out, "   answers differing from the reference (checked before timing):");
	table_mismatches(out, oc);
	for (row = 0; row < ROW_BUILD; row++)
		for (i = IMPL_SCAN; i <= IMPL_LIST; i++)
			if (oc->cell[row][i].mismatches)
				fprintf(out, "     %s %s: %ld of %ld differ\n",
					impl_name((enum impl)i), row_name(row),
					oc->cell[row][i].mismatches, oc->cell[row][i].checked);
}

static bool
target(FILE *out, const char *cfg, const char *what, double got, double bar,
       bool at_least, const char *unit)
{
	bool met = at_least ? got >= bar : got <= bar;

	fprintf(out, "   %-10s %-30s %8.2f%-2s %s %7.2f%-2s %s\n", cfg, what, got, unit,
		at_least ? ">=" : "<=", bar, unit, met ? "met" : "MISSED");
	return met;
}

bool
table_targets(FILE *out, const struct bench_config *cfg, const struct outcome *oc)
{
	static const struct { enum impl impl; double bar; } bars[] = {
		{ IMPL_REF, 10 }, { IMPL_SCAN, 5 }, { IMPL_LIST, 3 }
	};
	bool met = true;
	unsigned row, b;
	char what[64];

	/*
	 * The point-lookup targets are the compiled map's, through its fast
	 * path: mtrr_map_lookup_inline.  The exported mtrr_map_lookup answers
	 * the same behind a call (about 1 ns more here), shown after them.
	 */
	for (row = 0; row < NPOINTSETS; row++)
		for (b = 0; b < 3; b++) {
			const struct cell *c = &oc->cell[row][bars[b].impl];
			snprintf(what, sizeof(what), "%s: %s / %s", row_name(row),
				 impl_name(bars[b].impl), impl_name(IMPL_INLINE));
			met = target(out, cfg->name, what,
				     c->st.median / oc->cell[row][IMPL_INLINE].st.median,
				     bars[b].bar, true, "x") && met;
		}
	for (row = 0; row < NPOINTSETS; row++) {
		fprintf(out, "   %-10s %-30s", cfg->name, row_name(row));
		for (b = 0; b < 3; b++)
			fprintf(out, " %s/map %5.2fx", impl_name(bars[b].impl),
				oc->cell[row][bars[b].impl].st.median /
				oc->cell[row][IMPL_MAP].st.median);
		fprintf(out, "  (out of line: a call more)\n");
	}
	for (row = 0; row < NPOINTSETS; row++) {
		const struct cell *e = oc->effective[row];
		snprintf(what, sizeof(what), "%s: effective / inline", row_name(row));
		met = target(out, cfg->name, what, e[1].st.median / e[0].st.median, 1.5,
			     false, "x") && met;
	}
	snprintf(what, sizeof(what), "map build, VCNT %u", oc->vcnt);
	met = target(out, cfg->name, what, oc->cell[ROW_BUILD][IMPL_MAP].st.median,
		     1000, false, "ns") && met;
	return met;
}

bool
table_targets_noncontig(FILE *out, const struct bench_config *cfg, const struct outcome *oc)
{
	static const enum impl against[] = { IMPL_REF, IMPL_SCAN };
	bool met = true;
	unsigned row, b;
	char what[64];

	for (row = 0; row < NPOINTSETS; row++)
		for (b = 0; b < 2; b++) {
			const struct cell *c = &oc->cell[row][against[b]];
			snprintf(what, sizeof(what), "%s: %s / %s", row_name(row),
				 impl_name(against[b]), impl_name(IMPL_INLINE));
			met = target(out, cfg->name, what,
				     c->st.median / oc->cell[row][IMPL_INLINE].st.median, 3, true,
				     "x") && met;
		}
	snprintf(what, sizeof(what), "map build, VCNT %u", oc->vcnt);
	met = target(out, cfg->name, what, oc->cell[ROW_BUILD][IMPL_MAP].st.median / 1000.0,
		     50, false, "us") && met;
	return met;
}
