/*
 * mtrr.c — the `mtrr` command: reads an MTRR dump (MSR/value pairs, a Linux
 * or Xen boot log, /proc/mtrr), shows the registers, the effective memory
 * map (as text, JSON or a picture), and answers lookups; `plan` goes the
 * other way, from a memory map to registers.  The interface is in help.c;
 * the parser in parse*.c; the output in show.c, warn.c, mapcmd.c, segs.c
 * and svg.c; planning in plan.c and memmap.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define INPUT_MAX (64u << 20)   /* a boot log is megabytes at most */

struct args {
	struct mtrr_parse_opts opts;
	struct plan_args plan;
	const char *cmd;        /* NULL: show + map */
	const char *lookup_file;
	const char *svg, *html;
	const char *format;     /* --format's value: the input's, or plan's output */
	const char *plan_only;  /* an option only `plan` takes, if one was given */
	bool json, help;
	char **pos;             /* positional arguments after the command */
	int npos;
};

static int
usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mtrr: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'mtrr help%s%s'.\n", cmd ? " " : "", cmd ? cmd : "");
	return EXIT_USAGE;
}

static bool
number_arg(const char *s, unsigned lo, unsigned hi, unsigned *v)
{
	uint64_t x;

	if (!parse_number(s, &x) || x < lo || x > hi)
		return false;
	*v = (unsigned)x;
	return true;
}

/*
 * The value of option `name` given as "--name=V" or "--name V"; *missing
 * when the option is there without its value.
 */
static const char *
option_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 < argc)
		return argv[++*i];
	*missing = true;
	return NULL;
}

/* A word where the command goes: a command, a file, or a typo. */
static int
first_word(struct args *a, char *s)
{
	const char *near;

	if (is_command(s)) {
		a->cmd = s;
		return -1;
	}
	if (strcmp(s, "-") == 0 || strchr(s, '/') != NULL || strchr(s, '.') != NULL) {
		a->pos[a->npos++] = s;
		return -1;
	}
	near = suggest_command(s);
	if (near != NULL)
		return usage_error(NULL, "unknown command '%s'; did you mean '%s'?\n"
				   "(to read a file named '%s', write ./%s)", s, near, s, s);
	return usage_error(NULL, "unknown command '%s' (commands: show map lookup check diff "
			   "plan help)\n(to read a file named '%s', write ./%s)", s, s, s);
}

static int
parse_option(int argc, char **argv, int *i, struct args *a)
{
	struct mtrr_parse_opts *o = &a->opts;
	const char *s = argv[*i], *v;
	bool missing = false;

	if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
		a->help = true;
	} else if (strcmp(s, "-V") == 0 || strcmp(s, "--version") == 0) {
		unsigned lib = mtrr_version_number();
		printf("mtrr %d.%d.%d (libmtrr %u.%u.%u)\n", MTRR_VERSION_MAJOR,
		       MTRR_VERSION_MINOR, MTRR_VERSION_PATCH, lib / 10000, lib / 100 % 100,
		       lib % 100);
		exit(fflush(stdout) == 0 ? EXIT_OK : EXIT_OUTPUT);
	} else if ((v = option_value(argc, argv, i, "--format", &missing))) {
		a->format = v;          /* plan: the output's, see validate() */
		if (strcmp(v, "msr") == 0)
			o->format = MTRR_FORMAT_MSR;
		else if (strcmp(v, "dmesg") == 0)
			o->format = MTRR_FORMAT_DMESG;
		else if (strcmp(v, "proc") == 0)
			o->format = MTRR_FORMAT_PROC;
		else if (strcmp(v, "auto") == 0)
			o->format = MTRR_FORMAT_AUTO;
		else if (strcmp(v, "wrmsr") != 0 && strcmp(v, "c") != 0)
			return usage_error(a->cmd, "unknown format '%s' (auto, msr, dmesg, proc; "
					   "plan: msr, wrmsr, c)", v);
	} else if ((v = option_value(argc, argv, i, "--vcnt", &missing))) {
		if (!number_arg(v, 0, MTRR_VAR_MAX, &o->vcnt))
			return usage_error(a->cmd, "--vcnt '%s': must be 0..40", v);
		o->vcnt_set = true;
	} else if ((v = option_value(argc, argv, i, "--phys-bits", &missing))) {
		if (!number_arg(v, 32, 52, &o->phys_bits))
			return usage_error(a->cmd, "--phys-bits '%s': must be 32..52", v);
	} else if ((v = option_value(argc, argv, i, "--vendor", &missing))) {
		if (strcmp(v, "intel") == 0)
			o->vendor = MTRR_VENDOR_INTEL;
		else if (strcmp(v, "amd") == 0)
			o->vendor = MTRR_VENDOR_AMD;
		else
			return usage_error(a->cmd, "unknown vendor '%s' (intel, amd)", v);
		o->vendor_set = true;
	} else if ((v = option_value(argc, argv, i, "--default-type", &missing))) {
		int t = mtrr_type_from_name(v);
		if (t < 0)
			return usage_error(a->cmd, "unknown type '%s' (UC WC WT WP WB)", v);
		o->default_type = (uint8_t)t;
		o->default_type_set = true;
	} else if ((v = option_value(argc, argv, i, "--svg", &missing))) {
		a->svg = v;
	} else if ((v = option_value(argc, argv, i, "--html", &missing))) {
		a->html = v;
	} else if ((v = option_value(argc, argv, i, "-f", &missing))) {
		a->lookup_file = v;
	} else if ((v = option_value(argc, argv, i, "--reserve", &missing))) {
		if (!number_arg(v, 0, MTRR_VAR_MAX, &a->plan.reserve))
			return usage_error(a->cmd, "--reserve '%s': must be 0..40", v);
		a->plan_only = "--reserve";
	} else if ((v = option_value(argc, argv, i, "--default", &missing))) {
		int t = mtrr_type_from_name(v);
		if (strcmp(v, "free") == 0)
			t = MTRR_PLAN_DEFAULT_FREE;
		else if (t < 0)
			return usage_error(a->cmd, "--default '%s': a type (UC WC WT WP WB) or free",
					   v);
		a->plan.default_type = t;
		a->plan.default_set = true;
		a->plan_only = "--default";
	} else if (missing) {
		return usage_error(a->cmd, "%s needs a value", s);
	} else if (strcmp(s, "--fixed") == 0 || strcmp(s, "--no-fixed") == 0) {
		o->fixed = s[2] == 'f';
		o->fixed_set = true;
	} else if (strcmp(s, "--wc") == 0 || strcmp(s, "--no-wc") == 0) {
		o->wc = s[2] == 'w';
		o->wc_set = true;
	} else if (strcmp(s, "--overlap-wb") == 0) {
		o->overlap = MTRR_OVERLAP_WB;
	} else if (strcmp(s, "--no-tom2-wb") == 0) {
		o->tom2_wb = false;
	} else if (strcmp(s, "--from-log") == 0) {
		a->plan.from_log = true;
		a->plan_only = s;
	} else if (strcmp(s, "--whole-space") == 0) {
		a->plan.whole_space = true;
		a->plan_only = s;
	} else if (strcmp(s, "--reserved-uc") == 0) {
		a->plan.reserved_uc = true;
		a->plan_only = s;
	} else if (strcmp(s, "--gaps-uc") == 0) {
		a->plan.gaps_uc = true;
		a->plan_only = s;
	} else if (strcmp(s, "--json") == 0) {
		a->json = true;
	} else {
		return usage_error(a->cmd, "unknown option '%s'", s);
	}
	if (missing)
		return usage_error(a->cmd, "%s needs a value", s);
	return -1;
}

static int
parse_args(int argc, char **argv, struct args *a)
{
	bool options = true;
	int i, rc;

	memset(a, 0, sizeof(*a));
	mtrr_parse_opts_init(&a->opts);
	a->plan.default_type = MTRR_TYPE_UC;
	a->pos = calloc((size_t)argc + 1, sizeof(*a->pos));
	if (a->pos == NULL)
		return EXIT_OUTPUT;
	for (i = 1; i < argc; i++) {
		char *s = argv[i];
		if (!options || s[0] != '-' || strcmp(s, "-") == 0) {
			rc = -1;
			if (a->cmd == NULL && a->npos == 0 && options)
				rc = first_word(a, s);
			else
				a->pos[a->npos++] = s;
			if (rc >= 0)
				return rc;
			continue;
		}
		if (strcmp(s, "--") == 0) {
			options = false;
			continue;
		}
		if ((rc = parse_option(argc, argv, &i, a)) >= 0)
			return rc;
	}
	return -1;
}

/* Reads all of `f` (at most INPUT_MAX bytes) into a malloc'd buffer. */
static char *
slurp(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap), *bigger;

	while (buf != NULL) {
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap) {
			if (ferror(f)) {
				free(buf);
				return NULL;
			}
			*len = n;
			return buf;
		}
		if (cap >= INPUT_MAX) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		bigger = realloc(buf, cap * 2);
		if (bigger == NULL)
			free(buf);
		buf = bigger;
		cap *= 2;
	}
	return NULL;
}

char *
input_read(const char *path, const char **name, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL;
	int err;

	*name = f == stdin ? "<stdin>" : path;
	if (f == NULL)
		return NULL;
	buf = slurp(f, len);
	err = errno;
	if (f != stdin)
		fclose(f);
	errno = err;
	return buf;
}

int
input_load(const char *path, const struct mtrr_parse_opts *o, struct input *in,
	   const char *how)
{
	const struct mtrr_dump *d = &in->dump;
	const char *text = mtrr_sample_text;
	size_t len = strlen(mtrr_sample_text);
	char *buf = NULL;
	unsigned i;

	memset(in, 0, sizeof(*in));
	in->name = mtrr_sample_name;
	in->builtin = path == NULL;
	if (path != NULL) {
		if ((buf = input_read(path, &in->name, &len)) == NULL) {
			snprintf(in->io_error, sizeof(in->io_error), "%s", strerror(errno));
			fprintf(stderr, "mtrr: %s: %s\n", in->name, in->io_error);
			return in->status = EXIT_INPUT;
		}
		text = buf;
	} else {
		fprintf(stderr, "mtrr: note: no FILE given: this is the built-in sample, a "
			"QEMU/OVMF guest's boot log (%s)\n", how);
	}
	mtrr_parse(text, len, o, &in->dump);
	free(buf);
	for (i = 0; i < d->nnotes; i++) {
		if (d->notes[i].line)
			fprintf(stderr, "%s:%u: note: %s\n", in->name, d->notes[i].line,
				d->notes[i].text);
		else
			fprintf(stderr, "%s: note: %s\n", in->name, d->notes[i].text);
	}
	if (d->notes_dropped)
		fprintf(stderr, "%s: note: %u more notes\n", in->name, d->notes_dropped);
	if (d->err == MTRR_PARSE_OK)
		return in->status = EXIT_OK;
	if (d->err_line)
		fprintf(stderr, "%s:%u: %s\n", in->name, d->err_line, d->err_text);
	else
		fprintf(stderr, "%s: %s\n", in->name, d->err_text);
	if (d->err == MTRR_PARSE_NO_BLOCK)
		no_block_advice(stderr, in);
	return in->status = d->err == MTRR_PARSE_REGISTER ? EXIT_FOUND : EXIT_INPUT;
}

static int
worst(int a, int b)
{
	return a > b ? a : b;
}

/* The inputs of the JSON document. */
static void
json_inputs(const struct out *o, struct input **in, int n)
{
	int i;

	if (!o->json)
		return;
	fprintf(o->f, ",\n  \"inputs\": [");
	for (i = 0; i < n; i++) {
		fprintf(o->f, "%s\n    ", i ? "," : "");
		json_input(o->f, in[i]);
	}
	fprintf(o->f, "\n  ]");
}

/* --format with `plan` names the output: msr, wrmsr or c. */
static int
plan_format(struct args *a)
{
	const char *f = a->format;

	a->opts.format = MTRR_FORMAT_AUTO;      /* the input's is detected */
	if (f == NULL || strcmp(f, "msr") == 0)
		a->plan.format = PLAN_MSR;
	else if (strcmp(f, "wrmsr") == 0)
		a->plan.format = PLAN_WRMSR;
	else if (strcmp(f, "c") == 0)
		a->plan.format = PLAN_C;
	else
		return usage_error(a->cmd, "plan --format '%s': the output is msr, wrmsr or c", f);
	return -1;
}

/* Checks what goes with which command, before anything is read. */
static int
validate(struct args *a, const char *cmd)
{
	int i;

	if ((a->svg || a->html) && strcmp(cmd, "map") != 0)
		return usage_error(a->cmd, "--svg and --html go with 'map'");
	if (a->svg && a->html)
		return usage_error(a->cmd, "--svg and --html: one picture at a time");
	if (a->lookup_file && strcmp(cmd, "lookup") != 0)
		return usage_error(a->cmd, "-f goes with 'lookup'");
	if (strcmp(cmd, "plan") == 0) {
		if (a->npos != 1)
			return usage_error(a->cmd, "plan needs one FILE (a memory map; with "
					   "--from-log, an MTRR dump), got %d", a->npos);
		return plan_format(a);
	}
	if (a->plan_only)
		return usage_error(a->cmd, "%s goes with 'plan'", a->plan_only);
	if (a->format && (strcmp(a->format, "wrmsr") == 0 || strcmp(a->format, "c") == 0))
		return usage_error(a->cmd, "--format %s goes with 'plan' (input formats: auto, "
				   "msr, dmesg, proc)", a->format);
	if (strcmp(cmd, "diff") == 0 && a->npos != 2)
		return usage_error(a->cmd, "diff needs two files, got %d", a->npos);
	if (strcmp(cmd, "lookup") == 0) {
		if (a->npos == 0)
			return usage_error(a->cmd, "lookup needs addresses");
		for (i = 0; i < a->npos; i++)
			if (!lookup_query_ok(a->pos[i]))
				return usage_error(a->cmd, "'%s' is not an address (0x<hex> or "
						   "decimal, optional K/M/G/T) or a range (A-B with "
						   "B inclusive, A+SIZE)", a->pos[i]);
	}
	if ((strcmp(cmd, "show") == 0 || strcmp(cmd, "map") == 0 || cmd[0] == '\0') &&
	    a->npos > 1)
		return usage_error(a->cmd, "one FILE at most, got '%s' too", a->pos[1]);
	return -1;
}

static int
run(struct args *a, const struct out *o)
{
	static struct input in, in2;
	struct input *list[2] = { &in, &in2 };
	const char *cmd = a->cmd ? a->cmd : "";
	int rc, i;

	if (strcmp(cmd, "help") == 0 || a->help) {
		const char *topic = strcmp(cmd, "help") == 0 ? (a->npos ? a->pos[0] : NULL) : a->cmd;
		if (topic == NULL) {
			help_general(stdout);
		} else if (!help_topic(stdout, topic)) {
			return usage_error(NULL, "no help on '%s' (topics: show map lookup check "
					   "diff plan help formats json dump)", topic);
		}
		return EXIT_OK;
	}
	if ((rc = validate(a, cmd)) >= 0)
		return rc;
	if (strcmp(cmd, "plan") == 0)   /* it writes its own JSON document */
		return plan_command(o, &a->plan, &a->opts, a->pos[0]);
	if (o->json)
		fprintf(o->f, "{\n  \"schema\": \"mtrr/1\",\n  \"command\": \"%s\"",
			cmd[0] ? cmd : "default");
	if (strcmp(cmd, "check") == 0) {
		int worst_rc = EXIT_OK;
		if (o->json)
			fprintf(o->f, ",\n  \"inputs\": [");
		for (i = 0; i < (a->npos ? a->npos : 1); i++) {
			rc = input_load(a->npos ? a->pos[i] : NULL, &a->opts, &in, "give dump files");
			if (o->json) {
				fprintf(o->f, "%s\n    ", i ? "," : "");
				json_input(o->f, &in);
			} else if (rc == EXIT_OK) {
				check_report(o->f, &in);
			}
			worst_rc = worst(worst_rc, rc);
		}
		if (o->json)
			fprintf(o->f, "\n  ]");
		return worst_rc;
	}
	if (strcmp(cmd, "diff") == 0) {
		rc = worst(input_load(a->pos[0], &a->opts, &in, ""),
			   input_load(a->pos[1], &a->opts, &in2, ""));
		json_inputs(o, list, 2);
		return rc != EXIT_OK ? rc : diff_maps(o, &in, &in2);
	}
	if (strcmp(cmd, "lookup") == 0) {
		rc = input_load(a->lookup_file, &a->opts, &in, "give one with -f FILE");
		json_inputs(o, list, 1);
		return rc != EXIT_OK ? rc : lookup_args(o, &in, a->pos, a->npos);
	}
	rc = input_load(a->npos ? a->pos[0] : NULL, &a->opts, &in,
			"give a dump file, or - for stdin");
	json_inputs(o, list, 1);
	if (rc != EXIT_OK)
		return rc;
	if (strcmp(cmd, "map") == 0) {
		rc = map_print(o, &in, "");
		if (rc == EXIT_OK && (a->svg || a->html))
			rc = map_picture(&in, a->svg ? a->svg : a->html, a->html != NULL);
		return rc;
	}
	show_registers(o, &in);
	linux_map_compare(o, &in);
	if (strcmp(cmd, "show") == 0)
		return EXIT_OK;
	if (!o->json)
		fprintf(o->f, "\neffective memory map:\n");
	return map_print(o, &in, "  ");
}

int
main(int argc, char **argv)
{
	struct args a;
	struct out o;
	int rc = parse_args(argc, argv, &a);

	o.f = stdout;
	o.json = a.json;
	if (rc < 0) {
		rc = run(&a, &o);
		if (a.json && rc != EXIT_USAGE && !a.help && !(a.cmd && strcmp(a.cmd, "help") == 0))
			fprintf(o.f, ",\n  \"exit_status\": %d\n}\n", rc);
	}
	free(a.pos);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "mtrr: write error: %s\n", strerror(errno));
		return EXIT_OUTPUT;
	}
	return rc;
}
