/*
 * msrtool — the guest side of integrations/qemu/run.sh.
 *
 * Runs inside the test initramfs (static, no libc beyond glibc's static
 * archive) and talks to the MTRRs through Linux's msr driver,
 * /dev/cpu/N/msr: a pread/pwrite at offset MSR is RDMSR/WRMSR on CPU N,
 * and the driver turns a #GP into EIO.  Every line it prints is meant for
 * the host script to parse:
 *
 *   msrtool rd CPU MSR          "RD 0xMSR 0xVALUE" or "RD 0xMSR GP"
 *   msrtool wr CPU MSR VALUE    "WR 0xMSR 0xVALUE OK" or "... GP"
 *   msrtool dump CPU TAG        the MTRRs as "0xMSR 0xVALUE" lines between
 *                               "DUMP-BEGIN TAG" and "DUMP-END TAG", in the
 *                               msr format that 'mtrr check' reads
 *   msrtool badwr CPU           the invalid writes, one "BADWR name gp=G
 *                               changed=C" line each; leaves the bad values
 *                               in place where the CPU took them
 *   msrtool restore CPU FILE    writes back the "0xMSR 0xVALUE" lines of FILE
 *   msrtool cmos get IDX        prints a CMOS RAM byte (survives a reset)
 *   msrtool cmos set IDX VAL
 *
 * Exit status 0, 1 for a #GP (rd, wr), 2 for anything else.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <unistd.h>

#define MSR_MTRRCAP     0xFEu
#define MSR_DEF_TYPE    0x2FFu
#define MSR_PHYSBASE(n) (0x200u + 2u * (n))
#define MSR_PHYSMASK(n) (0x201u + 2u * (n))

static const uint32_t fixed_msrs[] = {
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F,
};

static int
msr_open(int cpu)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/cpu/%d/msr", cpu);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "msrtool: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

/* 0 on success, 1 when the CPU raised #GP (EIO), 2 on another error. */
static int
msr_read(int fd, uint32_t msr, uint64_t *value)
{
	ssize_t n = pread(fd, value, sizeof(*value), msr);

	if (n == (ssize_t)sizeof(*value))
		return 0;
	return (n < 0 && errno == EIO) ? 1 : 2;
}

static int
msr_write(int fd, uint32_t msr, uint64_t value)
{
	ssize_t n = pwrite(fd, &value, sizeof(value), msr);

	if (n == (ssize_t)sizeof(value))
		return 0;
	return (n < 0 && errno == EIO) ? 1 : 2;
}

static uint64_t
num(const char *s)
{
	return strtoull(s, NULL, 0);
}

static void
cpu_facts(char vendor[13], unsigned *phys_bits)
{
	unsigned a, b, c, d;

	__cpuid(0, a, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
	*phys_bits = 36;
	__cpuid(0x80000000u, a, b, c, d);
	if (a >= 0x80000008u) {
		__cpuid(0x80000008u, a, b, c, d);
		*phys_bits = a & 0xFF;
	}
}

static int
cmd_dump(int cpu, const char *tag)
{
	int fd = msr_open(cpu);
	uint64_t cap = 0, v;
	unsigned i, vcnt, phys_bits;
	char vendor[13];

	cpu_facts(vendor, &phys_bits);
	printf("DUMP-BEGIN %s\n", tag);
	printf("# cpu %d vendor %s phys_bits %u\n", cpu, vendor, phys_bits);
	if (msr_read(fd, MSR_MTRRCAP, &cap) == 0)
		printf("0x%x 0x%" PRIx64 "\n", MSR_MTRRCAP, cap);
	vcnt = (unsigned)(cap & 0xFF);
	for (i = 0; i < vcnt; i++) {
		if (msr_read(fd, MSR_PHYSBASE(i), &v) == 0)
			printf("0x%x 0x%" PRIx64 "\n", MSR_PHYSBASE(i), v);
		if (msr_read(fd, MSR_PHYSMASK(i), &v) == 0)
			printf("0x%x 0x%" PRIx64 "\n", MSR_PHYSMASK(i), v);
	}
	if (cap & (1u << 8)) {
		for (i = 0; i < sizeof(fixed_msrs) / sizeof(fixed_msrs[0]); i++)
			if (msr_read(fd, fixed_msrs[i], &v) == 0)
				printf("0x%x 0x%" PRIx64 "\n", fixed_msrs[i], v);
	}
	if (msr_read(fd, MSR_DEF_TYPE, &v) == 0)
		printf("0x%x 0x%" PRIx64 "\n", MSR_DEF_TYPE, v);
	printf("DUMP-END %s\n", tag);
	close(fd);
	return 0;
}

/*
 * One invalid write: the CPU must raise #GP and keep the old value.  The
 * value is built from the register's current content so that only the
 * one wrong field differs.
 */
static void
bad_write(int fd, const char *name, uint32_t msr, uint64_t set, uint64_t clear)
{
	uint64_t before = 0, after = 0, value;
	int rd = msr_read(fd, msr, &before);
	int wr, changed;

	value = ((rd == 0 ? before : 0) & ~clear) | set;
	wr = msr_write(fd, msr, value);
	if (msr_read(fd, msr, &after) != 0)
		changed = 0; /* an absent register reads #GP: nothing stored */
	else
		changed = (rd != 0) ? (after != 0) : (after != before);
	printf("BADWR %s msr=0x%x value=0x%" PRIx64 " gp=%d changed=%d\n",
	       name, msr, value, wr == 1, changed);
}

static int
cmd_badwr(int cpu)
{
	int fd = msr_open(cpu);
	unsigned phys_bits;
	char vendor[13];

	cpu_facts(vendor, &phys_bits);
	bad_write(fd, "def_type_bit8", MSR_DEF_TYPE, 1ull << 8, 0);
	bad_write(fd, "def_type_bit12", MSR_DEF_TYPE, 1ull << 12, 0);
	bad_write(fd, "def_type_type2", MSR_DEF_TYPE, 2, 0xFF);
	bad_write(fd, "physbase7_type3", MSR_PHYSBASE(7), 3, 0xFF);
	bad_write(fd, "physbase7_type7", MSR_PHYSBASE(7), 7, 0xFF);
	bad_write(fd, "physbase7_bit9", MSR_PHYSBASE(7), 1ull << 9, 0);
	bad_write(fd, "physbase7_above_maxphyaddr", MSR_PHYSBASE(7),
		  1ull << phys_bits, 0);
	bad_write(fd, "physmask7_bit0", MSR_PHYSMASK(7), 1, 0);
	bad_write(fd, "physmask7_bit63", MSR_PHYSMASK(7), 1ull << 63, 0);
	bad_write(fd, "fix64k_byte3_type2", 0x250, 2ull << 24, 0xFFull << 24);
	bad_write(fd, "fix4k_f8000_byte7_type7", 0x26F, 7ull << 56, 0xFFull << 56);
	bad_write(fd, "mtrrcap_write", MSR_MTRRCAP, 0, 0);
	bad_write(fd, "physbase8_beyond_vcnt", MSR_PHYSBASE(8), 6, 0);
	bad_write(fd, "physmask39_beyond_vcnt", MSR_PHYSMASK(39), 1ull << 11, 0);
	close(fd);
	return 0;
}

static int
cmd_restore(int cpu, const char *file)
{
	FILE *f = fopen(file, "r");
	int fd = msr_open(cpu), bad = 0;
	char line[256];

	if (!f) {
		perror(file);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		char *end;
		uint32_t msr;
		uint64_t v;

		if (strncmp(line, "0x", 2) != 0)
			continue;
		msr = (uint32_t)strtoul(line, &end, 0);
		v = strtoull(end, NULL, 0);
		if (msr == MSR_MTRRCAP)
			continue;
		if (msr_write(fd, msr, v) != 0) {
			printf("RESTORE 0x%x 0x%" PRIx64 " failed\n", msr, v);
			bad = 1;
		}
	}
	fclose(f);
	close(fd);
	return bad ? 2 : 0;
}

static int
cmd_cmos(int argc, char **argv)
{
	unsigned idx;

	if (argc < 4 || ioperm(0x70, 2, 1) != 0) {
		fprintf(stderr, "msrtool: cmos: bad arguments or no I/O permission\n");
		return 2;
	}
	idx = (unsigned)num(argv[3]) & 0x7F;
	outb((unsigned char)idx, 0x70);
	if (strcmp(argv[2], "set") == 0 && argc >= 5) {
		outb((unsigned char)num(argv[4]), 0x71);
		return 0;
	}
	printf("%u\n", inb(0x71));
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "rd") == 0) {
		int fd = msr_open(atoi(argv[2]));
		uint32_t msr = (uint32_t)num(argv[3]);
		uint64_t v;
		int r = msr_read(fd, msr, &v);

		if (r == 0)
			printf("RD 0x%x 0x%" PRIx64 "\n", msr, v);
		else
			printf("RD 0x%x %s\n", msr, r == 1 ? "GP" : "ERROR");
		return r;
	}
	if (argc >= 5 && strcmp(argv[1], "wr") == 0) {
		int fd = msr_open(atoi(argv[2]));
		uint32_t msr = (uint32_t)num(argv[3]);
		uint64_t v = num(argv[4]);
		int r = msr_write(fd, msr, v);

		printf("WR 0x%x 0x%" PRIx64 " %s\n", msr, v,
		       r == 0 ? "OK" : r == 1 ? "GP" : "ERROR");
		return r;
	}
	if (argc >= 4 && strcmp(argv[1], "dump") == 0)
		return cmd_dump(atoi(argv[2]), argv[3]);
	if (argc >= 3 && strcmp(argv[1], "badwr") == 0)
		return cmd_badwr(atoi(argv[2]));
	if (argc >= 4 && strcmp(argv[1], "restore") == 0)
		return cmd_restore(atoi(argv[2]), argv[3]);
	if (argc >= 3 && strcmp(argv[1], "cmos") == 0)
		return cmd_cmos(argc, argv);
	fprintf(stderr, "usage: msrtool rd|wr|dump|badwr|restore|cmos ...\n");
	return 2;
}
