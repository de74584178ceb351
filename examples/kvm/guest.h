/*
 * guest.h — the example's guest: a few hand-assembled real-mode instructions
 * that program the MTRRs from a table the way firmware does, then try one
 * WRMSR that must raise #GP, caught by a real-mode IVT handler.
 *
 * Guest physical layout (CS = DS = ES = SS = 0, real mode):
 *   0x0000  IVT; entry 13 (#GP) points at GUEST_GP_HANDLER
 *   0x1000  code, entered at CS:IP = 0000:1000
 *   0x1100  #GP handler
 *   0x2000  MSR table: 12-byte entries { u32 msr, u32 eax, u32 edx }, ended
 *           by msr 0, followed by one more entry: the write that must #GP
 *   0x7000  top of the stack
 *
 * The guest reports through I/O ports, which the VMM sees as KVM_EXIT_IO:
 *   GUEST_PORT_STEP (byte): GUEST_STEP_PROGRAMMED after the table,
 *       GUEST_STEP_GP from the #GP handler, GUEST_STEP_NO_GP when the bad
 *       WRMSR did not fault;
 *   GUEST_PORT_IP (word): the #GP handler's return IP, i.e. the address of
 *       the faulting instruction.
 * Every path ends in HLT.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stddef.h>
#include <stdint.h>

#define GUEST_CODE              0x1000u
#define GUEST_GP_HANDLER        0x1100u
#define GUEST_TABLE             0x2000u
#define GUEST_STACK             0x7000u
#define GUEST_MEM_MIN           0x8000u

#define GUEST_PORT_STEP         0x10u
#define GUEST_PORT_IP           0x11u
#define GUEST_STEP_PROGRAMMED   0x01u
#define GUEST_STEP_GP           0x0Du
#define GUEST_STEP_NO_GP        0xEEu

/* Address of the WRMSR that must fault (see the listing in guest.c). */
extern const uint16_t guest_bad_wrmsr_ip;

struct guest_msr {
	uint32_t msr;
	uint64_t value;
};

/*
 * Writes the IVT entry, the code, the handler and the table into `mem` (guest
 * physical 0 .. mem_size): the `n` writes of `good`, then `bad`.  Returns -1
 * when the table does not fit below the stack or mem_size is too small.
 */
int guest_install(uint8_t *mem, size_t mem_size, const struct guest_msr *good, size_t n,
                  const struct guest_msr *bad);

#endif
