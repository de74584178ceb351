/* kvm.c — thin /dev/kvm plumbing for the example VMM (see kvm.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm.h"

int
kvm_open(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (ioctl(fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		close(fd);
		return -1;
	}
	return fd;
}

struct kvm_cpuid2 *
kvm_supported_cpuid(int kvm)
{
	unsigned nent;

	for (nent = 64; nent <= 4096; nent *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));

		if (c == NULL)
			return NULL;
		c->nent = nent;
		if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c) == 0)
			return c;
		free(c);
		if (errno != E2BIG)
			return NULL;
	}
	return NULL;
}

const struct kvm_cpuid_entry2 *
cpuid_find(const struct kvm_cpuid2 *c, uint32_t function, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < c->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function != function)
			continue;
		if ((e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) && e->index != index)
			continue;
		return e;
	}
	return NULL;
}

/* Real mode, flat segment 0: the vCPU's reset state points at 0xFFFF0. */
static int
enter_real_mode(const struct vm *v, uint16_t ip, uint16_t sp)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(v->vcpu, KVM_GET_SREGS, &sregs) < 0)
		return -1;
	/* Data segments are already base 0 after reset; only CS is not. */
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	sregs.idt.base = 0;     /* the real-mode IVT */
	sregs.idt.limit = 0x3FF;
	if (ioctl(v->vcpu, KVM_SET_SREGS, &sregs) < 0)
		return -1;
	memset(&regs, 0, sizeof(regs));
	regs.rip = ip;
	regs.rsp = sp;
	regs.rflags = 0x2;      /* bit 1 is always set; IF clear */
	return ioctl(v->vcpu, KVM_SET_REGS, &regs) < 0 ? -1 : 0;
}

int
vm_create(struct vm *v, int kvm, const struct kvm_cpuid2 *cpuid, size_t mem_size,
	  uint16_t ip, uint16_t sp)
{
	struct kvm_userspace_memory_region region;
	int size;

	memset(v, 0, sizeof(*v));
	v->vm = v->vcpu = -1;
	v->vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (v->vm < 0)
		return -1;
	/* Intel without unrestricted guest emulates real mode through a TSS. */
	(void)ioctl(v->vm, KVM_SET_TSS_ADDR, 0xFFFBD000ul);
	v->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		      MAP_NORESERVE, -1, 0);
	if (v->mem == MAP_FAILED) {
		v->mem = NULL;
		return -2;
	}
	v->mem_size = mem_size;
	memset(&region, 0, sizeof(region));
	region.guest_phys_addr = 0;
	region.memory_size = mem_size;
	region.userspace_addr = (uint64_t)(uintptr_t)v->mem;
	if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return -2;
	v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		return -2;
	if (ioctl(v->vcpu, KVM_SET_CPUID2, cpuid) < 0)
		return -2;
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size <= 0)
		return -2;
	v->run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		return -2;
	}
	v->run_size = (size_t)size;
	return enter_real_mode(v, ip, sp) < 0 ? -2 : 0;
}

void
vm_destroy(struct vm *v)
{
	if (v->run != NULL)
		munmap(v->run, v->run_size);
	if (v->vcpu >= 0)
		close(v->vcpu);
	if (v->mem != NULL)
		munmap(v->mem, v->mem_size);
	if (v->vm >= 0)
		close(v->vm);
	memset(v, 0, sizeof(*v));
	v->vm = v->vcpu = -1;
}

/* A kvm_msrs with room for exactly n entries, zeroed. */
static struct kvm_msrs *
msrs_alloc(const uint32_t *msrs, size_t n)
{
	struct kvm_msrs *m = calloc(1, sizeof(*m) + n * sizeof(m->entries[0]));
	size_t i;

	if (m == NULL)
		return NULL;
	m->nmsrs = (uint32_t)n;
	for (i = 0; i < n; i++)
		m->entries[i].index = msrs[i];
	return m;
}

int
vcpu_get_msrs(const struct vm *v, const uint32_t *msrs, uint64_t *vals, size_t n)
{
	struct kvm_msrs *m = msrs_alloc(msrs, n);
	int got, i;

	if (m == NULL)
		return -1;
	got = ioctl(v->vcpu, KVM_GET_MSRS, m);
	for (i = 0; i < got; i++)
		vals[i] = m->entries[i].data;
	free(m);
	return got;
}

int
vcpu_set_msrs(const struct vm *v, const uint32_t *msrs, const uint64_t *vals, size_t n)
{
	struct kvm_msrs *m = msrs_alloc(msrs, n);
	size_t i;
	int put;

	if (m == NULL)
		return -1;
	for (i = 0; i < n; i++)
		m->entries[i].data = vals[i];
	put = ioctl(v->vcpu, KVM_SET_MSRS, m);
	free(m);
	return put;
}

int
kvm_ignores_msrs(void)
{
	FILE *f = fopen("/sys/module/kvm/parameters/ignore_msrs", "r");
	int c;

	if (f == NULL)
		return 0;
	c = fgetc(f);
	fclose(f);
	return c == 'Y' || c == 'y' || c == '1';
}

int
vcpu_mtrr_caps(const struct vm *v, const struct kvm_cpuid2 *cpuid, struct mtrr_caps *caps,
	       uint64_t *mtrrcap)
{
	const struct kvm_cpuid_entry2 *leaf0 = cpuid_find(cpuid, 0, 0);
	const struct kvm_cpuid_entry2 *addr = cpuid_find(cpuid, 0x80000008u, 0);
	const uint32_t msr = MTRR_MSR_CAP;
	uint64_t cap;

	if (vcpu_get_msrs(v, &msr, &cap, 1) != 1) {
		fprintf(stderr, "KVM_GET_MSRS(IA32_MTRRCAP) failed\n");
		return -1;
	}
	if (leaf0 == NULL || addr == NULL) {
		fprintf(stderr, "CPUID leaf 0 or 0x80000008 missing\n");
		return -1;
	}
	memset(caps, 0, sizeof(*caps));
	/* "AuthenticAMD" and Hygon's "HygonGenuine" follow the APM. */
	caps->vendor = (leaf0->ebx == 0x68747541u || leaf0->ebx == 0x6F677948u) ?
		       MTRR_VENDOR_AMD : MTRR_VENDOR_INTEL;
	caps->vcnt = (unsigned)(cap & MTRR_CAP_VCNT_MASK);
	if (caps->vcnt > MTRR_VAR_MAX)
		caps->vcnt = MTRR_VAR_MAX;      /* more would collide with 0x250 */
	caps->fixed = (cap & MTRR_CAP_FIX) != 0;
	caps->wc = (cap & MTRR_CAP_WC) != 0;
	caps->smrr = (cap & MTRR_CAP_SMRR) != 0 && caps->vendor == MTRR_VENDOR_INTEL;
	caps->phys_bits = addr->eax & 0xFFu;
	*mtrrcap = cap;
	return 0;
}
