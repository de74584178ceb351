/*
 * kvm.h — the little of /dev/kvm the example needs: one VM with one vCPU and
 * some guest memory at guest physical 0, CPUID, MSR get/set, run.
 */
#ifndef EXAMPLE_KVM_H
#define EXAMPLE_KVM_H

#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>

#include <mtrr.h>

struct vm {
	int vm;                 /* VM fd, -1 when not created */
	int vcpu;               /* vCPU fd */
	struct kvm_run *run;    /* the vCPU's shared run page */
	size_t run_size;
	uint8_t *mem;           /* guest physical 0 .. mem_size */
	size_t mem_size;
};

/* Opens /dev/kvm and checks the API version; -1 when KVM is unusable. */
int kvm_open(void);

/* KVM_GET_SUPPORTED_CPUID, grown until it fits; NULL on error. free() it. */
struct kvm_cpuid2 *kvm_supported_cpuid(int kvm);

/* The CPUID entry for (function, index), or NULL. */
const struct kvm_cpuid_entry2 *cpuid_find(const struct kvm_cpuid2 *c, uint32_t function,
                                          uint32_t index);

/*
 * Creates a VM with `mem_size` bytes of memory at guest physical 0 and one
 * vCPU with CPUID `cpuid`, in real mode at CS:IP = 0000:`ip`, SS:SP = 0000:`sp`.
 * Returns 0, -1 when KVM_CREATE_VM itself fails (KVM unusable: a skip), or
 * -2 on any later error.  `v` can be given to vm_destroy in every case.
 */
int vm_create(struct vm *v, int kvm, const struct kvm_cpuid2 *cpuid, size_t mem_size,
              uint16_t ip, uint16_t sp);
void vm_destroy(struct vm *v);

/*
 * KVM_GET_MSRS / KVM_SET_MSRS for `n` MSRs; return what the ioctl returns
 * (the number of MSRs processed, which stops at the first one KVM refuses),
 * or -1.  The kvm_msrs buffer is sized from n: no fixed array to overflow.
 */
int vcpu_get_msrs(const struct vm *v, const uint32_t *msrs, uint64_t *vals, size_t n);
int vcpu_set_msrs(const struct vm *v, const uint32_t *msrs, const uint64_t *vals, size_t n);

/*
 * True when the kvm module runs with ignore_msrs=Y: KVM then accepts writes
 * to MSRs it does not know (a pair >= VCNT, SMRR on AMD) and drops them.
 */
int kvm_ignores_msrs(void);

/*
 * The caps of this vCPU as KVM presents them: IA32_MTRRCAP read through
 * KVM_GET_MSRS, MAXPHYADDR from CPUID 0x80000008 EAX[7:0], the vendor from
 * CPUID 0.  Returns 0, or -1 with a message on stderr.
 */
int vcpu_mtrr_caps(const struct vm *v, const struct kvm_cpuid2 *cpuid, struct mtrr_caps *caps,
                   uint64_t *mtrrcap);

#endif
