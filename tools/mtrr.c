/*
 * mtrr.c — the `mtrr` command: reads an MTRR dump (MSR/value pairs, a Linux
 * boot log, /proc/mtrr), shows the registers, the effective memory map,
 * and answers lookups.  See usage() for the interface; the parser is in
 * parse*.c, the output in show.c, warn.c and mapcmd.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define INPUT_MAX (64u << 20)   /* a boot log is megabytes at most */

static const char usage_text[] =
	"usage: mtrr [OPTIONS] [FILE]                  registers and memory map\n"
	"       mtrr [OPTIONS] show [FILE]             registers decoded, with warnings\n"
	"       mtrr [OPTIONS] map [--json] [FILE]     effective memory map\n"
	"       mtrr [OPTIONS] lookup [-f FILE] ADDR...  memory type of addresses/ranges\n"
	"       mtrr [OPTIONS] check [FILE...]         validate every register\n"
	"       mtrr [OPTIONS] diff FILE_A FILE_B      where the memory maps differ\n"
	"\n"
	"FILE is an MTRR dump: MSR/value pairs ('0x2ff 0xc06', '2ff=c06', MSR 0xFE\n"
	"gives the caps), a Linux boot log with the MTRR block (dmesg, journalctl,\n"
	"syslog; Linux >= 6.5 prints it with mtrr=debug), or /proc/mtrr.  '-' reads\n"
	"stdin; no FILE uses a built-in sample (a QEMU/OVMF guest's boot log).\n"
	"ADDR is 0x<hex> or decimal with an optional K/M/G/T suffix; A-B is the\n"
	"range from A to B inclusive (as map prints it), A+SIZE the SIZE bytes at A.\n"
	"Text output prints ranges as first-last byte; --json ends are exclusive.\n"
	"\n"
	"options (for what the input does not say; facts in the input win):\n"
	"  --format auto|msr|dmesg|proc  input format (default: detected)\n"
	"  --vcnt N             variable pairs (default: highest pair in the input + 1)\n"
	"  --phys-bits N        MAXPHYADDR, 32..52 (default: smallest that fits, >= 36)\n"
	"  --fixed, --no-fixed  fixed-range MTRRs exist (default: yes)\n"
	"  --wc, --no-wc        the WC type is supported (default: yes)\n"
	"  --vendor intel|amd   (default: intel; amd when the log has TOM2)\n"
	"  --overlap-wb         undefined overlaps resolve to WB, as KVM did (default UC)\n"
	"  --default-type TYPE  /proc/mtrr default type: UC WC WT WP WB (default UC)\n"
	"  -h, --help           this text;  -V, --version  the version\n"
	"\n"
	"exit status: 0 ok; 1 check found a bad register, diff found differences,\n"
	"or lookup was asked beyond MAXPHYADDR; 2 usage or input error.\n";

struct args {
	struct mtrr_parse_opts opts;
	const char *cmd;        /* NULL: show + map */
	const char *lookup_file;
	bool json;
	char **pos;             /* positional arguments after the command */
	int npos;
};

static int
usage_error(const char *fmt, const char *what)
{
	fprintf(stderr, "mtrr: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "\nTry 'mtrr --help'.\n");
	return EXIT_INPUT;
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

/* The value of option `name` given as "--name=V" or "--name V". */
static const char *
option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int
parse_args(int argc, char **argv, struct args *a)
{
	static const char *const cmds[5] = { "show", "map", "lookup", "check", "diff" };
	struct mtrr_parse_opts *o = &a->opts;
	bool options = true;
	const char *v;
	int i;
	size_t k;

	memset(a, 0, sizeof(*a));
	mtrr_parse_opts_init(o);
	a->pos = calloc((size_t)argc + 1, sizeof(*a->pos));
	if (a->pos == NULL)
		return EXIT_INPUT;
	for (i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (!options || s[0] != '-' || strcmp(s, "-") == 0) {
			bool is_cmd = false;
			for (k = 0; a->cmd == NULL && a->npos == 0 && k < 5; k++) {
				if (strcmp(s, cmds[k]) == 0) {
					is_cmd = true;
					a->cmd = cmds[k];
				}
			}
			if (!is_cmd)
				a->pos[a->npos++] = argv[i];
			continue;
		}
		if (strcmp(s, "--") == 0) {
			options = false;
		} else if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		} else if (strcmp(s, "-V") == 0 || strcmp(s, "--version") == 0) {
			unsigned lib = mtrr_version_number();
			printf("mtrr %d.%d.%d (libmtrr %u.%u.%u)\n", MTRR_VERSION_MAJOR,
			       MTRR_VERSION_MINOR, MTRR_VERSION_PATCH, lib / 10000,
			       lib / 100 % 100, lib % 100);
			exit(EXIT_OK);
		} else if ((v = option_value(argc, argv, &i, "--format"))) {
			if (strcmp(v, "msr") == 0)
				o->format = MTRR_FORMAT_MSR;
			else if (strcmp(v, "dmesg") == 0)
				o->format = MTRR_FORMAT_DMESG;
			else if (strcmp(v, "proc") == 0)
				o->format = MTRR_FORMAT_PROC;
			else if (strcmp(v, "auto") == 0)
				o->format = MTRR_FORMAT_AUTO;
			else
				return usage_error("unknown format '%s'", v);
		} else if ((v = option_value(argc, argv, &i, "--vcnt"))) {
			if (!number_arg(v, 0, MTRR_VAR_MAX, &o->vcnt))
				return usage_error("--vcnt '%s': must be 0..40", v);
			o->vcnt_set = true;
		} else if ((v = option_value(argc, argv, &i, "--phys-bits"))) {
			if (!number_arg(v, 32, 52, &o->phys_bits))
				return usage_error("--phys-bits '%s': must be 32..52", v);
		} else if ((v = option_value(argc, argv, &i, "--vendor"))) {
			if (strcmp(v, "intel") == 0)
				o->vendor = MTRR_VENDOR_INTEL;
			else if (strcmp(v, "amd") == 0)
				o->vendor = MTRR_VENDOR_AMD;
			else
				return usage_error("unknown vendor '%s' (intel, amd)", v);
			o->vendor_set = true;
		} else if ((v = option_value(argc, argv, &i, "--default-type"))) {
			int t = mtrr_type_from_name(v);
			if (t < 0)
				return usage_error("unknown type '%s' (UC WC WT WP WB)", v);
			o->default_type = (uint8_t)t;
		} else if (strcmp(s, "--fixed") == 0 || strcmp(s, "--no-fixed") == 0) {
			o->fixed = s[2] == 'f';
			o->fixed_set = true;
		} else if (strcmp(s, "--wc") == 0 || strcmp(s, "--no-wc") == 0) {
			o->wc = s[2] == 'w';
			o->wc_set = true;
		} else if (strcmp(s, "--overlap-wb") == 0) {
			o->overlap = MTRR_OVERLAP_WB;
		} else if (strcmp(s, "--json") == 0) {
			a->json = true;
		} else if ((v = option_value(argc, argv, &i, "-f"))) {
			a->lookup_file = v;
		} else {
			return usage_error("unknown option '%s'", s);
		}
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

/*
 * Reads and parses `path` (NULL: the built-in sample).  Prints the notes and
 * any error as FILE:LINE: text; returns EXIT_OK, or the status to exit with.
 */
static int
load(const char *path, const struct mtrr_parse_opts *o, struct input *in, bool check)
{
	const struct mtrr_dump *d = &in->dump;
	const char *text = mtrr_sample_text;
	size_t len = strlen(mtrr_sample_text);
	char *buf = NULL;
	unsigned i;

	in->name = mtrr_sample_name;
	if (path != NULL) {
		FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
		in->name = f == stdin ? "<stdin>" : path;
		if (f == NULL || (buf = slurp(f, &len)) == NULL) {
			fprintf(stderr, "mtrr: %s: %s\n", in->name, strerror(errno));
			if (f != NULL && f != stdin)
				fclose(f);
			return EXIT_INPUT;
		}
		if (f != stdin)
			fclose(f);
		text = buf;
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
		return EXIT_OK;
	if (d->err_line)
		fprintf(stderr, "%s:%u: %s\n", in->name, d->err_line, d->err_text);
	else
		fprintf(stderr, "%s: %s\n", in->name, d->err_text);
	return check && d->err == MTRR_PARSE_REGISTER ? EXIT_FOUND : EXIT_INPUT;
}

static int
run(struct args *a)
{
	static struct input in, in2;
	const char *cmd = a->cmd ? a->cmd : "";
	int rc, i;

	if (a->json && strcmp(cmd, "map") != 0)
		return usage_error("--json goes with %s", "map");
	if (a->lookup_file && strcmp(cmd, "lookup") != 0)
		return usage_error("-f goes with %s", "lookup");
	if (strcmp(cmd, "check") == 0) {
		int worst = EXIT_OK;
		for (i = 0; i < (a->npos ? a->npos : 1); i++) {
			rc = load(a->npos ? a->pos[i] : NULL, &a->opts, &in, true);
			if (rc == EXIT_OK)
				check_report(stdout, &in);
			worst = rc > worst ? rc : worst;
		}
		return worst;
	}
	if (strcmp(cmd, "diff") == 0) {
		if (a->npos != 2)
			return usage_error("diff needs two files, got %s", a->npos < 2 ? "fewer" :
					   "more");
		if ((rc = load(a->pos[0], &a->opts, &in, false)) != EXIT_OK ||
		    (rc = load(a->pos[1], &a->opts, &in2, false)) != EXIT_OK)
			return rc;
		return diff_maps(stdout, &in, &in2);
	}
	if (strcmp(cmd, "lookup") == 0) {
		if (a->npos == 0)
			return usage_error("lookup needs addresses%s", "");
		if ((rc = load(a->lookup_file, &a->opts, &in, false)) != EXIT_OK)
			return rc;
		return lookup_args(stdout, &in, a->pos, a->npos);
	}
	if (a->npos > 1)
		return usage_error("one FILE at most, got '%s' too", a->pos[1]);
	if ((rc = load(a->npos ? a->pos[0] : NULL, &a->opts, &in, false)) != EXIT_OK)
		return rc;
	if (strcmp(cmd, "map") == 0)
		return map_print(stdout, &in, a->json, "");
	show_registers(stdout, &in);
	linux_map_compare(stdout, &in);
	if (strcmp(cmd, "show") == 0)
		return EXIT_OK;
	printf("\neffective memory map:\n");
	return map_print(stdout, &in, false, "  ");
}

int
main(int argc, char **argv)
{
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc < 0)
		rc = run(&a);
	free(a.pos);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "mtrr: write error: %s\n", strerror(errno));
		return EXIT_INPUT;
	}
	return rc;
}
