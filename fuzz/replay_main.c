/*
 * replay_main.c — a main() for fuzz targets built without libFuzzer (gcc, or
 * clang without MTRR_LIBFUZZER): runs LLVMFuzzerTestOneInput once on the
 * empty input and once on every file named on the command line, and on every
 * regular file inside each directory named (not recursively, in name order so
 * runs are reproducible).  A failed property aborts, which fails the test.
 *
 * It exits non-zero when an argument cannot be read or when no input at all
 * was found: a corpus that silently went missing must not pass.  It prints
 * the slowest input and its time, so a replay shows how far the slowest
 * seed is from run_fuzzers.sh's per-input timeout.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static double slowest_ms;
static char slowest[4096];

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Runs the target on the contents of `path`, in a buffer of exactly that size. */
static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len = -1;
	double t;

	if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		/* malloc(len): ASan then catches a read one byte past the input. */
		buf = malloc(len ? (size_t)len : 1);
		if (buf != NULL && fread(buf, 1, (size_t)len, f) != (size_t)len)
			len = -1;
	}
	if (f == NULL || buf == NULL || len < 0) {
		perror(path);
		free(buf);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	fclose(f);
	t = now_ms();
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	t = now_ms() - t;
	if (t > slowest_ms) {
		slowest_ms = t;
		snprintf(slowest, sizeof(slowest), "%s", path);
	}
	free(buf);
	return 0;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Replays every regular file of `dir`; returns the count, -1 on error. */
static long
run_dir(const char *dir)
{
	struct dirent **names;
	long count = 0;
	int n, i, bad = 0;

	n = scandir(dir, &names, NULL, by_name);
	if (n < 0) {
		perror(dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		if (!bad && names[i]->d_name[0] != '.' &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     names[i]->d_name) < sizeof(path) &&
		    stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(path) != 0)
				bad = 1;
			else
				count++;
		}
		free(names[i]);
	}
	free(names);
	return bad ? -1 : count;
}

int
main(int argc, char **argv)
{
	long total = 0;
	int i;

	LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
	for (i = 1; i < argc; i++) {
		struct stat st;
		long n;

		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			return 1;
		}
		n = S_ISDIR(st.st_mode) ? run_dir(argv[i]) : (run_file(argv[i]) ? -1 : 1);
		if (n < 0)
			return 1;
		total += n;
	}
	printf("%s: replayed %ld input(s); slowest %.3f ms (%s)\n", argv[0], total,
	       slowest_ms, slowest);
	if (total == 0) {
		fprintf(stderr, "%s: no input found\n", argv[0]);
		return 1;
	}
	return 0;
}
