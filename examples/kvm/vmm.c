/*
 * vmm.c — a minimal VMM on /dev/kvm that uses libmtrr end to end, through
 * the public API only.  It tells the whole story of a vCPU's MTRRs:
 *
 *   1. create a VM and a vCPU, give it the host's supported CPUID, derive
 *      struct mtrr_caps from what KVM presents (IA32_MTRRCAP, MAXPHYADDR,
 *      vendor) and put the power-on state, sizing KVM_SET_MSRS by
 *      mtrr_msr_list (no fixed array to overflow);
 *   2. run a real-mode guest that programs the MTRRs as firmware does and then
 *      tries a WRMSR with a reserved bit, which must #GP inside the guest;
 *   3. read the MSRs back through mtrr_wrmsr (which refuses garbage), compile
 *      the map and print the effective memory map;
 *   4. RESET the vCPU the SDM way and check that KVM holds E = 0 and V = 0;
 *   5. migrate: snapshot, a second VM, load with its caps, put, read back,
 *      identical registers and maps; then show that a corrupted snapshot and
 *      one that does not fit the target's MAXPHYADDR are refused before
 *      anything reaches KVM;
 *   6. on an AMD host, report what KVM does with SYSCFG, TOP_MEM, TOP_MEM2
 *      and an IORR pair (get, set a legal value, get again), which the VMM
 *      keeps in user space.
 *
 * With --cross-check N it then offers N random MTRR writes to both libmtrr
 * and KVM (KVM_SET_MSRS) and reports every value one accepts and the other
 * refuses.
 *
 * Exit status: 0 when every check held, 1 when one failed, 77 when /dev/kvm is
 * missing or unusable (a skip for ctest, never a pass).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <mtrr.h>

#include "guest.h"
#include "kvm.h"

#define GUEST_MEM       0x100000u       /* 1 MiB at guest physical 0 */
#define EXIT_SKIP       77

static int failures;

static void
check(bool ok, const char *what)
{
	printf("    %s  %s\n", ok ? "ok  " : "FAIL", what);
	if (!ok)
		failures++;
}

/* ---- the state <-> KVM, sized by mtrr_msr_list ---------------------------- */

/* The MSR list for `caps`, allocated to its exact size; *n gets the count. */
static uint32_t *
msr_list(const struct mtrr_caps *caps, size_t *n)
{
	uint32_t *msrs;

	size_t i, kept = 0;

	*n = mtrr_msr_list(caps, NULL, 0);      /* size query first */
	msrs = calloc(*n ? *n : 1, sizeof(*msrs));
	if (msrs != NULL && mtrr_msr_list(caps, msrs, *n) != *n) {
		free(msrs);
		return NULL;
	}
	/*
	 * AMD's SYSCFG, TOP_MEM, TOP_MEM2 and IORRs (0xC0010010..0xC001001D)
	 * are not part of KVM's MTRR emulation: a VMM keeps them in user space
	 * (the snapshot carries them), so they stay out of KVM_GET/SET_MSRS.
	 */
	for (i = 0; msrs != NULL && i < *n; i++)
		if (msrs[i] < MTRR_MSR_SYSCFG || msrs[i] > MTRR_MSR_TOP_MEM2)
			msrs[kept++] = msrs[i];
	*n = kept;
	return msrs;
}

/* KVM_SET_MSRS with every MTRR of `s`, DEF_TYPE last.  0 or -1. */
static int
put_state(const struct vm *v, const struct mtrr_state *s)
{
	size_t n, i;
	uint32_t *msrs = msr_list(&s->caps, &n);
	uint64_t *vals = calloc(n ? n : 1, sizeof(*vals));
	int put = -1;

	if (msrs != NULL && vals != NULL) {
		for (i = 0; i < n; i++)
			(void)mtrr_rdmsr(s, msrs[i], &vals[i]);
		put = vcpu_set_msrs(v, msrs, vals, n);
		if (put != (int)n)
			printf("    KVM_SET_MSRS put %d of %zu MSRs (first refused: %#x)\n", put,
			       n, put >= 0 && (size_t)put < n ? (unsigned)msrs[put] : 0u);
	}
	free(msrs);
	free(vals);
	return put == (int)n ? 0 : -1;
}

/*
 * KVM_GET_MSRS into a fresh state for `caps`, every value through mtrr_wrmsr:
 * a value libmtrr would not accept from a guest is not accepted from KVM
 * either.  0 or -1.
 */
static int
get_state(const struct vm *v, const struct mtrr_caps *caps, struct mtrr_state *s)
{
	size_t n, i;
	uint32_t *msrs = msr_list(caps, &n);
	uint64_t *vals = calloc(n ? n : 1, sizeof(*vals));
	int rc = -1;

	if (msrs == NULL || vals == NULL || mtrr_state_init(s, caps) != MTRR_OK)
		goto out;
	if (vcpu_get_msrs(v, msrs, vals, n) != (int)n) {
		printf("    KVM_GET_MSRS failed\n");
		goto out;
	}
	for (i = 0; i < n; i++) {
		mtrr_status st = mtrr_wrmsr(s, msrs[i], vals[i]);

		if (st != MTRR_OK) {
			printf("    KVM holds MSR %#x = %#" PRIx64 ", which libmtrr refuses: %s\n",
			       (unsigned)msrs[i], vals[i], mtrr_status_str(st));
			goto out;
		}
	}
	rc = 0;
out:
	free(msrs);
	free(vals);
	return rc;
}

/* The raw values KVM holds for the MSR list of `caps` (for "nothing changed"). */
static uint64_t *
raw_msrs(const struct vm *v, const struct mtrr_caps *caps, size_t *n)
{
	uint32_t *msrs = msr_list(caps, n);
	uint64_t *vals = calloc(*n ? *n : 1, sizeof(*vals));

	if (msrs == NULL || vals == NULL || vcpu_get_msrs(v, msrs, vals, *n) != (int)*n) {
		free(vals);
		vals = NULL;
	}
	free(msrs);
	return vals;
}

static void
print_caps(const char *who, const struct mtrr_caps *c, uint64_t mtrrcap)
{
	printf("    %s: IA32_MTRRCAP = %#" PRIx64 " -> VCNT %u, FIX %d, WC %d, SMRR %d; "
	       "MAXPHYADDR %u; %s\n", who, mtrrcap, c->vcnt, c->fixed, c->wc, c->smrr,
	       c->phys_bits, c->vendor == MTRR_VENDOR_AMD ? "AMD" : "Intel");
}

/*
 * What a VMM does after an accepted WRMSR: the ranges whose type changed
 * between the old and the new map, at most 64 whatever the guest wrote,
 * are what it invalidates in the EPT.  Prints them; returns their count.
 */
static size_t
invalidate(const struct mtrr_map *old, const struct mtrr_map *new)
{
	struct mtrr_range r[64];
	size_t n = mtrr_map_diff_cover(old, new, r, 64), i;

	for (i = 0; i < n && i < 8; i++)
		printf("      invalidate [0x%013" PRIx64 ", 0x%013" PRIx64 ")  now %s\n",
		       r[i].start, r[i].end, mtrr_type_str(r[i].type));
	if (n > 8)
		printf("      ... %zu ranges in all\n", n);
	return n;
}

static void
print_map(const struct mtrr_map *m)
{
	size_t n = mtrr_map_ranges(m, NULL, 0), i;
	struct mtrr_range *r = calloc(n ? n : 1, sizeof(*r));

	if (r == NULL)
		return;
	n = mtrr_map_ranges(m, r, n);
	for (i = 0; i < n; i++)
		printf("      [0x%013" PRIx64 ", 0x%013" PRIx64 ")  %s\n", r[i].start, r[i].end,
		       mtrr_type_str(r[i].type));
	free(r);
}

/* ---- step 1: VM, vCPU, CPUID, caps, power-on state ------------------------ */

static int
create_vcpu(struct vm *v, int kvm, const struct kvm_cpuid2 *cpuid, const char *name,
	    struct mtrr_caps *caps)
{
	uint64_t mtrrcap;
	int rc = vm_create(v, kvm, cpuid, GUEST_MEM, GUEST_CODE, GUEST_STACK);

	if (rc == -1) {
		printf("SKIP: KVM_CREATE_VM failed (%s): KVM is not usable here\n",
		       strerror(errno));
		return EXIT_SKIP;
	}
	if (rc < 0) {
		printf("    creating %s failed: %s\n", name, strerror(errno));
		return 1;
	}
	if (vcpu_mtrr_caps(v, cpuid, caps, &mtrrcap) < 0)
		return 1;
	print_caps(name, caps, mtrrcap);
	return 0;
}

/* ---- step 2: the firmware's MTRR plan, and running the guest --------------- */

#define MiB (1ull << 20)
#define GiB (1ull << 30)

/* PHYSMASK for a naturally aligned power-of-two block of `size` bytes. */
static uint64_t
block_mask(const struct mtrr_caps *c, uint64_t size)
{
	return (MTRR_PHYS_ADDR_MASK(c->phys_bits) & ~(size - 1)) | MTRR_PHYSMASK_V;
}

static uint64_t
bytes8(uint8_t type)
{
	return 0x0101010101010101ull * type;
}

/*
 * What firmware writes, in firmware order: MTRRs off; the first MiB (RAM WB,
 * VGA UC, option ROMs WT, BIOS WP); 2 GiB of RAM WB with a 256 MiB UC hole at
 * 1 GiB; a WC frame buffer when WC exists; default UC; then E and FE on.
 * Returns the count written to `w`.
 */
static size_t
firmware_plan(const struct mtrr_caps *c, struct guest_msr *w)
{
	size_t n = 0;
	unsigned i;

	w[n++] = (struct guest_msr){ MTRR_MSR_DEF_TYPE, MTRR_TYPE_UC };
	w[n++] = (struct guest_msr){ MTRR_MSR_FIX64K_00000, bytes8(MTRR_TYPE_WB) };
	w[n++] = (struct guest_msr){ MTRR_MSR_FIX16K_80000, bytes8(MTRR_TYPE_WB) };
	w[n++] = (struct guest_msr){ MTRR_MSR_FIX16K_A0000, bytes8(MTRR_TYPE_UC) };
	for (i = 0; i < 4; i++)         /* 0xC0000-0xDFFFF */
		w[n++] = (struct guest_msr){ MTRR_MSR_FIX4K_C0000 + i, bytes8(MTRR_TYPE_WT) };
	for (i = 4; i < 8; i++)         /* 0xE0000-0xFFFFF */
		w[n++] = (struct guest_msr){ MTRR_MSR_FIX4K_C0000 + i, bytes8(MTRR_TYPE_WP) };
	w[n++] = (struct guest_msr){ MTRR_MSR_PHYSBASE(0), 0 | MTRR_TYPE_WB };
	w[n++] = (struct guest_msr){ MTRR_MSR_PHYSMASK(0), block_mask(c, 2 * GiB) };
	w[n++] = (struct guest_msr){ MTRR_MSR_PHYSBASE(1), 1 * GiB | MTRR_TYPE_UC };
	w[n++] = (struct guest_msr){ MTRR_MSR_PHYSMASK(1), block_mask(c, 256 * MiB) };
	if (c->wc && c->vcnt >= 3) {
		w[n++] = (struct guest_msr){ MTRR_MSR_PHYSBASE(2), 0xE0000000ull | MTRR_TYPE_WC };
		w[n++] = (struct guest_msr){ MTRR_MSR_PHYSMASK(2), block_mask(c, 16 * MiB) };
	}
	w[n++] = (struct guest_msr){ MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_UC };
	return n;
}

static void
on_alarm(int sig)
{
	(void)sig;      /* only there to interrupt KVM_RUN */
}

struct guest_report {
	bool programmed, gp, no_gp;
	int gp_ip;
};

/* Runs the guest to HLT (10 s at most), collecting its reports. 0 or -1. */
static int
run_guest(struct vm *v, struct guest_report *rep)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;       /* no SA_RESTART: KVM_RUN returns EINTR */
	sigaction(SIGALRM, &sa, NULL);
	memset(rep, 0, sizeof(*rep));
	rep->gp_ip = -1;
	alarm(10);
	for (;;) {
		struct kvm_run *r = v->run;

		if (ioctl(v->vcpu, KVM_RUN, 0) < 0) {
			printf("    KVM_RUN: %s\n", errno == EINTR ? "guest timed out" :
			       strerror(errno));
			break;
		}
		if (r->exit_reason == KVM_EXIT_HLT) {
			alarm(0);
			return 0;
		}
		if (r->exit_reason == KVM_EXIT_IO && r->io.direction == KVM_EXIT_IO_OUT) {
			const uint8_t *d = (const uint8_t *)r + r->io.data_offset;

			if (r->io.port == GUEST_PORT_STEP && r->io.size == 1) {
				printf("    guest: out %#x <- %#x\n", r->io.port, d[0]);
				rep->programmed |= d[0] == GUEST_STEP_PROGRAMMED;
				rep->gp |= d[0] == GUEST_STEP_GP;
				rep->no_gp |= d[0] == GUEST_STEP_NO_GP;
				continue;
			}
			if (r->io.port == GUEST_PORT_IP && r->io.size == 2) {
				rep->gp_ip = d[0] | d[1] << 8;
				printf("    guest: out %#x <- %#x (IP of the #GP)\n", r->io.port,
				       (unsigned)rep->gp_ip);
				continue;
			}
		}
		printf("    unexpected exit %u\n", r->exit_reason);
		break;
	}
	alarm(0);
	return -1;
}

/* ---- --cross-check N: libmtrr against KVM's own MTRR checks ---------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A value that is legal for `msr` under `c`, as firmware or an OS would write. */
static uint64_t
legal_value(const struct mtrr_caps *c, uint32_t msr)
{
	static const uint8_t types[] = { 0, 4, 5, 6, 1 };
	uint64_t phys = MTRR_PHYS_ADDR_MASK(c->phys_bits), v = 0;
	unsigned ntypes = c->wc ? 5 : 4, i;

	if (msr == MTRR_MSR_DEF_TYPE)
		return types[rnd() % ntypes] | (rnd() & (MTRR_DEF_E | MTRR_DEF_FE));
	if (msr >= MTRR_MSR_FIX64K_00000 && msr <= MTRR_MSR_FIX4K_F8000) {
		for (i = 0; i < 8; i++)
			v |= (uint64_t)types[rnd() % ntypes] << (8 * i);
		return v;
	}
	if (msr == MTRR_MSR_SMRR_PHYSBASE)
		return (rnd() & MTRR_SMRR_ADDR_MASK) | types[rnd() % ntypes];
	if (msr == MTRR_MSR_SMRR_PHYSMASK)
		return rnd() & (MTRR_SMRR_ADDR_MASK | MTRR_PHYSMASK_V);
	if (msr & 1u)
		return rnd() & (phys | MTRR_PHYSMASK_V);
	return (rnd() & phys) | types[rnd() % ntypes];
}

/*
 * N writes, each offered to a libmtrr model of the vCPU and to KVM; both must
 * agree on accept/refuse, and at the end KVM must hold the model's registers.
 */
static void
cross_check(const struct vm *v, const struct mtrr_caps *caps, struct mtrr_state *model,
	    long count)
{
	static const uint32_t extra[] = {
		MTRR_MSR_CAP, MTRR_MSR_SMRR_PHYSBASE, MTRR_MSR_SMRR_PHYSMASK,
	};
	size_t n, i;
	uint32_t *msrs = msr_list(caps, &n);
	long k, both = 0, neither = 0, differ = 0;
	struct mtrr_state back, prev;
	/* With ignore_msrs KVM swallows writes to MSRs it lacks: offer none. */
	size_t absent = kvm_ignores_msrs() ? 0 : 4;

	if (msrs == NULL)
		return;
	if (absent == 0)
		printf("    kvm.ignore_msrs=Y: absent MSRs left out\n");
	for (k = 0; k < count; k++) {
		uint32_t msr;
		uint64_t val;
		mtrr_status st;
		int put;

		i = (size_t)(rnd() % (n + absent));
		if (i < n)
			msr = msrs[i];
		else if (i == n)
			msr = MTRR_MSR_PHYSBASE(caps->vcnt) + (uint32_t)(rnd() & 1u);
		else
			msr = extra[i - n - 1];
		val = legal_value(caps, msr);
		switch (rnd() % 4) {
		case 0: break;                                  /* legal */
		case 1: val ^= 1ull << (rnd() % 64); break;     /* one bit off */
		case 2: val ^= (rnd() & 0xFFu) << (8 * (rnd() % 8)); break; /* a byte */
		default: val = rnd() >> (rnd() % 64); break;    /* anything */
		}
		memcpy(&prev, model, sizeof(prev));
		st = mtrr_wrmsr(model, msr, val);
		put = vcpu_set_msrs(v, &msr, &val, 1);
		if ((st == MTRR_OK) == (put == 1)) {
			if (st == MTRR_OK)
				both++;
			else
				neither++;
			continue;
		}
		differ++;
		if (differ <= 10)
			printf("    DIFFER  MSR %#x <- %#018" PRIx64 ": libmtrr %s, KVM %s\n",
			       (unsigned)msr, val, mtrr_status_str(st),
			       put == 1 ? "accepts" : "refuses");
		/* Keep the model in step with what KVM holds. */
		if (st == MTRR_OK)
			memcpy(model, &prev, sizeof(prev));
		else
			break;  /* KVM took a value the model cannot hold */
	}
	printf("    %ld writes: %ld accepted by both, %ld refused by both, %ld differ\n",
	       k, both, neither, differ);
	check(differ == 0, "libmtrr and KVM accept and refuse exactly the same writes");
	check(get_state(v, caps, &back) == 0 &&
	      memcmp(&back.def_type, &model->def_type,
		     sizeof(*model) - offsetof(struct mtrr_state, def_type)) == 0,
	      "KVM holds exactly what the model accepted");
	free(msrs);
}

/* ---- the story -------------------------------------------------------------- */

/*
 * [6] AMD: what KVM itself does with the registers libmtrr models besides the
 * MTRRs (SYSCFG, TOP_MEM, TOP_MEM2, the IORRs), which this VMM keeps in user
 * space.  A report, not a check: KVM may refuse them, ignore writes or
 * emulate some; each is read, written with a value mtrr_wrmsr accepts, and
 * read back, one MSR per ioctl, and what happened is printed.
 */
static void
amd_report(const struct vm *v, const struct mtrr_caps *caps)
{
	static const struct { uint32_t msr; const char *name; } regs[] = {
		{ MTRR_MSR_SYSCFG, "SYSCFG" }, { MTRR_MSR_TOP_MEM, "TOP_MEM" },
		{ MTRR_MSR_TOP_MEM2, "TOP_MEM2" }, { MTRR_MSR_IORR_BASE(0), "IORRBase0" },
		{ MTRR_MSR_IORR_MASK(0), "IORRMask0" },
	};
	struct mtrr_state model;
	size_t i;

	printf("[6] AMD: KVM and the registers kept in user space\n");
	if (mtrr_state_init(&model, caps) != MTRR_OK)
		return;
	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		uint32_t msr = regs[i].msr;
		uint64_t before = 0, want, after = 0;
		int got, put, back;

		switch (msr) {
		case MTRR_MSR_SYSCFG:
			want = MTRR_SYSCFG_TOM2_EN | MTRR_SYSCFG_TOM2_WB;
			break;
		case MTRR_MSR_TOP_MEM:
			want = 0x80000000ull;           /* 2 GiB */
			break;
		case MTRR_MSR_TOP_MEM2:
			want = 0x880000000ull;          /* 34 GiB */
			break;
		case MTRR_MSR_IORR_BASE(0):
			want = 0xC0000000ull | MTRR_IORR_RDMEM;
			break;
		default:
			want = (MTRR_PHYS_ADDR_MASK(caps->phys_bits) & ~0xFFFFFFFull) | MTRR_IORR_V;
			break;
		}
		if (mtrr_wrmsr(&model, msr, want) != MTRR_OK) {
			printf("    %-9s libmtrr refuses the test value %#" PRIx64 "\n",
			       regs[i].name, want);
			continue;
		}
		got = vcpu_get_msrs(v, &msr, &before, 1);
		put = vcpu_set_msrs(v, &msr, &want, 1);
		back = vcpu_get_msrs(v, &msr, &after, 1);
		printf("    %-9s (%#x) get: %s %#" PRIx64 "; set %#" PRIx64 ": %s; get: %s %#"
		       PRIx64 "%s\n", regs[i].name, (unsigned)msr, got == 1 ? "ok" : "refused",
		       before, want, put == 1 ? "accepted" : "refused",
		       back == 1 ? "ok" : "refused", after,
		       put == 1 && back == 1 && after != want ? " (not kept)" : "");
	}
	if (kvm_ignores_msrs())
		printf("    note: kvm.ignore_msrs is set: refusals may read as zero "
		       "instead\n");
}

static int
story(int kvm, const struct kvm_cpuid2 *cpuid, long cross)
{
	struct vm vm1, vm2;
	struct mtrr_caps caps, caps2;
	struct mtrr_state s, expect, got, saved, reset, dst, back, before_load;
	static struct mtrr_map map1, map2;
	struct guest_msr plan[32], bad;
	struct guest_report rep;
	size_t nplan, i, snap_len, nraw;
	unsigned char *snap = NULL, *broken = NULL;
	uint64_t *raw = NULL, *raw_after = NULL;
	mtrr_status st;
	uint32_t bad_msr;
	int rc;

	vm1.vm = vm2.vm = -1;
	vm1.vcpu = vm2.vcpu = -1;
	vm1.run = vm2.run = NULL;
	vm1.mem = vm2.mem = NULL;

	printf("[1] VM and vCPU, CPUID, caps from KVM, power-on MTRR state\n");
	rc = create_vcpu(&vm1, kvm, cpuid, "vCPU 0 of VM 1", &caps);
	if (rc != 0)
		goto done;
	check(mtrr_state_init(&s, &caps) == MTRR_OK, "mtrr_state_init with the vCPU's caps");
	printf("    mtrr_msr_list: %zu MSRs to put (size query first)\n",
	       mtrr_msr_list(&caps, NULL, 0));
	check(put_state(&vm1, &s) == 0, "KVM_SET_MSRS took every MTRR MSR of the power-on state");

	printf("[2] real-mode guest programs the MTRRs, then a WRMSR with a reserved bit\n");
	nplan = firmware_plan(&caps, plan);
	check(mtrr_state_init(&expect, &caps) == MTRR_OK, "model of what the guest writes");
	for (i = 0; i < nplan; i++) {
		st = mtrr_wrmsr(&expect, plan[i].msr, plan[i].value);
		if (st != MTRR_OK) {
			printf("    plan: MSR %#x <- %#" PRIx64 ": %s\n", (unsigned)plan[i].msr,
			       plan[i].value, mtrr_status_str(st));
			check(false, "the firmware plan is legal for these caps");
		}
	}
	/* PHYSMASK1 with bit MAXPHYADDR set: a range above the address space. */
	bad.msr = MTRR_MSR_PHYSMASK(1);
	bad.value = block_mask(&caps, 256 * MiB) | (1ull << caps.phys_bits);
	memcpy(&got, &expect, sizeof(got));
	st = mtrr_wrmsr(&got, bad.msr, bad.value);
	printf("    bad write: MSR %#x <- %#" PRIx64 ": libmtrr says \"%s\"\n",
	       (unsigned)bad.msr, bad.value, mtrr_status_str(st));
	check(st == MTRR_E_RESERVED_BIT && mtrr_status_is_gp(st), "libmtrr: that write is a #GP");
	check(guest_install(vm1.mem, vm1.mem_size, plan, nplan, &bad) == 0, "guest loaded");
	check(run_guest(&vm1, &rep) == 0, "guest ran to HLT");
	check(rep.programmed, "guest wrote its MTRR table");
	check(rep.gp && !rep.no_gp, "the reserved-bit WRMSR raised #GP in the guest (IVT[13])");
	check(rep.gp_ip == guest_bad_wrmsr_ip, "the #GP points at that WRMSR");

	printf("[3] MSRs back from KVM, every value through mtrr_wrmsr; the memory map\n");
	check(get_state(&vm1, &caps, &got) == 0, "KVM_GET_MSRS -> mtrr_wrmsr accepted every value");
	check(memcmp(&got, &expect, sizeof(got)) == 0,
	      "KVM holds exactly what the guest wrote (and not the refused write)");
	check(mtrr_map_build(&map1, &got) == MTRR_OK, "mtrr_map_build");
	print_map(&map1);
	check(mtrr_map_lookup(&map1, 0x0) == MTRR_TYPE_WB &&
	      mtrr_map_lookup(&map1, 0xA0000) == MTRR_TYPE_UC &&
	      mtrr_map_lookup(&map1, 0xC0000) == MTRR_TYPE_WT &&
	      mtrr_map_lookup(&map1, 0xF0000) == MTRR_TYPE_WP &&
	      mtrr_map_lookup(&map1, 0x100000) == MTRR_TYPE_WB &&
	      mtrr_map_lookup(&map1, 1 * GiB) == MTRR_TYPE_UC &&
	      mtrr_map_lookup(&map1, 1 * GiB + 256 * MiB) == MTRR_TYPE_WB &&
	      mtrr_map_lookup(&map1, 2 * GiB) == MTRR_TYPE_UC,
	      "WB RAM, UC VGA, WT/WP ROMs, UC hole at 1 GiB, UC above 2 GiB");
	if (caps.wc && caps.vcnt >= 3)
		check(mtrr_map_lookup(&map1, 0xE0000000ull) == MTRR_TYPE_WC, "WC frame buffer");
	check(mtrr_map_lookup_range(&map1, 0, 2 * GiB) == MTRR_TYPE_MIXED &&
	      mtrr_map_lookup_range(&map1, 1 * GiB, 1 * GiB + 256 * MiB) == MTRR_TYPE_UC,
	      "range lookups");

	/* The EPT invalidation for the guest's programming, then a hostile write. */
	check(mtrr_state_init(&s, &caps) == MTRR_OK && mtrr_map_build(&map2, &s) == MTRR_OK,
	      "the power-on map");
	printf("    from power-on to the guest's MTRRs, mtrr_map_diff_cover:\n");
	i = invalidate(&map2, &map1);
	check(i >= 1 && i <= 64, "a bounded list of ranges to invalidate");
	s = got;
	check(mtrr_wrmsr(&s, MTRR_MSR_PHYSMASK(0), 0x1000 | MTRR_PHYSMASK_V) == MTRR_OK &&
	      mtrr_map_build(&map2, &s) == MTRR_OK,
	      "a legal hostile write: PHYSMASK0 = 0x1800 (every other 4 KiB page)");
	printf("    after it (mtrr_map_diff would list 2^%u ranges):\n", caps.phys_bits - 13);
	i = invalidate(&map1, &map2);
	check(i >= 1 && i <= 64 &&
	      mtrr_map_lookup_range(&map2, 0, 1ull << caps.phys_bits) == MTRR_TYPE_MIXED,
	      "still 64 ranges at most, at once");
	saved = got;

	printf("[4] RESET: mtrr_state_reset(POWER_ON), put, read back\n");
	reset = got;
	mtrr_state_reset(&reset, MTRR_RESET_POWER_ON);
	check(put_state(&vm1, &reset) == 0, "KVM_SET_MSRS of the reset state");
	raw = raw_msrs(&vm1, &caps, &nraw);
	check(raw != NULL, "KVM_GET_MSRS");
	if (raw != NULL) {
		uint32_t *msrs = msr_list(&caps, &nraw);
		bool e_clear = true, v_clear = true, all_zero = true;

		for (i = 0; msrs != NULL && i < nraw; i++) {
			if (msrs[i] == MTRR_MSR_DEF_TYPE && (raw[i] & MTRR_DEF_E))
				e_clear = false;
			if (msrs[i] >= MTRR_MSR_PHYSMASK0 && msrs[i] < MTRR_MSR_FIX64K_00000 &&
			    (msrs[i] & 1u) && (raw[i] & MTRR_PHYSMASK_V))
				v_clear = false;
			if (raw[i] != 0)
				all_zero = false;
		}
		check(msrs != NULL && e_clear, "KVM: IA32_MTRR_DEF_TYPE.E = 0");
		check(msrs != NULL && v_clear, "KVM: every IA32_MTRR_PHYSMASKn.V = 0");
		check(msrs != NULL && all_zero,
		      "KVM: every MTRR zero (libmtrr zeroes what the SDM leaves undefined)");
		free(msrs);
		free(raw);
		raw = NULL;
	}

	printf("[5] migration: snapshot of [3], a second VM, load, put, compare\n");
	snap_len = mtrr_state_save(&saved, NULL, 0);
	snap = malloc(snap_len);
	broken = malloc(snap_len);
	check(snap != NULL && broken != NULL && mtrr_state_save(&saved, snap, snap_len) == snap_len,
	      "mtrr_state_save");
	if (snap == NULL || broken == NULL)
		goto done;
	printf("    snapshot: %zu bytes\n", snap_len);
	rc = create_vcpu(&vm2, kvm, cpuid, "vCPU 0 of VM 2", &caps2);
	if (rc != 0)
		goto done;
	st = mtrr_state_load_ex(&dst, &caps2, snap, snap_len, &bad_msr);
	printf("    mtrr_state_load_ex: %s\n", mtrr_status_str(st));
	check(st == MTRR_OK, "the snapshot loads with the second vCPU's caps");
	check(st == MTRR_OK && put_state(&vm2, &dst) == 0, "KVM_SET_MSRS on the second vCPU");
	check(get_state(&vm2, &caps2, &back) == 0, "read back through mtrr_wrmsr");
	check(memcmp(&back.def_type, &saved.def_type,
		     sizeof(saved) - offsetof(struct mtrr_state, def_type)) == 0,
	      "registers identical to the source vCPU's");
	check(mtrr_map_build(&map2, &back) == MTRR_OK &&
	      mtrr_map_diff_cover(&map1, &map2, &(struct mtrr_range){ 0, 0, 0 }, 1) == 0,
	      "mtrr_map_diff_cover: the maps are identical");

	/* Refusals: neither may reach KVM. */
	raw = raw_msrs(&vm2, &caps2, &nraw);
	memcpy(broken, snap, snap_len);
	broken[snap_len / 2] ^= 0x40;
	memset(&before_load, 0x5A, sizeof(before_load));
	memcpy(&dst, &before_load, sizeof(dst));
	st = mtrr_state_load_ex(&dst, &caps2, broken, snap_len, &bad_msr);
	printf("    one byte flipped at %zu: refused: %s\n", snap_len / 2, mtrr_status_str(st));
	check(st == MTRR_E_SNAPSHOT_CHECKSUM && memcmp(&dst, &before_load, sizeof(dst)) == 0,
	      "corrupted snapshot refused, target state untouched");
	{
		struct mtrr_caps big = caps2, tgt = caps2;
		struct mtrr_state wide;
		unsigned char wide_snap[1024];
		size_t wide_len;

		big.phys_bits = 52;
		if (tgt.phys_bits >= 52)
			tgt.phys_bits = 46;     /* no smaller host to show: pretend */
		check(mtrr_state_init(&wide, &big) == MTRR_OK &&
		      mtrr_wrmsr(&wide, MTRR_MSR_PHYSBASE(0), (1ull << 50) | MTRR_TYPE_WB) == MTRR_OK &&
		      mtrr_wrmsr(&wide, MTRR_MSR_PHYSMASK(0),
				 block_mask(&big, 1ull << 40)) == MTRR_OK &&
		      mtrr_wrmsr(&wide, MTRR_MSR_DEF_TYPE, MTRR_DEF_E | MTRR_TYPE_UC) == MTRR_OK,
		      "a MAXPHYADDR-52 state with 1 TiB WB at 1 PiB");
		wide_len = mtrr_state_save(&wide, wide_snap, sizeof(wide_snap));
		st = mtrr_state_load_ex(&dst, &tgt, wide_snap, wide_len, &bad_msr);
		printf("    MAXPHYADDR 52 snapshot into MAXPHYADDR %u: refused: %s (MSR %#x)\n",
		       tgt.phys_bits, mtrr_status_str(st), (unsigned)bad_msr);
		check(st == MTRR_E_INCOMPATIBLE && bad_msr == MTRR_MSR_PHYSBASE(0) &&
		      memcmp(&dst, &before_load, sizeof(dst)) == 0,
		      "range above the target's 2^MAXPHYADDR refused, naming PHYSBASE0");
	}
	raw_after = raw_msrs(&vm2, &caps2, &nraw);
	check(raw != NULL && raw_after != NULL &&
	      memcmp(raw, raw_after, nraw * sizeof(*raw)) == 0,
	      "nothing was put into KVM: the second vCPU's MSRs are unchanged");

	if (caps2.vendor == MTRR_VENDOR_AMD)
		amd_report(&vm2, &caps2);

	if (cross > 0) {
		printf("[+] cross-check: %ld random writes, libmtrr vs KVM_SET_MSRS\n", cross);
		cross_check(&vm2, &caps2, &back, cross);
	}
	rc = 0;
done:
	free(snap);
	free(broken);
	free(raw);
	free(raw_after);
	vm_destroy(&vm1);
	vm_destroy(&vm2);
	return rc;
}

int
main(int argc, char **argv)
{
	struct kvm_cpuid2 *cpuid;
	const struct kvm_cpuid_entry2 *e;
	long cross = 0;
	int kvm, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "--cross-check") == 0) {
		cross = strtol(argv[2], NULL, 0);
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [--cross-check N]\n", argv[0]);
		return 2;
	}
	kvm = kvm_open();
	if (kvm < 0) {
		printf("SKIP: /dev/kvm missing or unusable (%s)\n", strerror(errno));
		return EXIT_SKIP;
	}
	cpuid = kvm_supported_cpuid(kvm);
	if (cpuid == NULL) {
		printf("FAIL: KVM_GET_SUPPORTED_CPUID: %s\n", strerror(errno));
		close(kvm);
		return 1;
	}
	e = cpuid_find(cpuid, 1, 0);
	printf("host: KVM API %d, %u CPUID entries, CPUID.1:EDX.MTRR = %d\n",
	       KVM_API_VERSION, cpuid->nent, e != NULL && (e->edx >> 12 & 1u));
	rc = story(kvm, cpuid, cross);
	free(cpuid);
	close(kvm);
	if (rc == EXIT_SKIP)
		return EXIT_SKIP;
	if (rc != 0)
		failures++;
	printf("%s: %d check(s) failed\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
