/*
 * guest.c — the guest's machine code, hand-assembled for 16-bit real mode.
 * The 0x66 prefix selects 32-bit operands (ECX, EAX, EDX for WRMSR); memory
 * operands use 16-bit addressing through SI.  Check the listing with
 *     objdump -D -b binary -m i8086 --adjust-vma=0x1000 <dump of guest_code>
 */
#include <string.h>

#include "guest.h"

static const uint8_t guest_code[] = {
	/* 1000 */ 0xBE, 0x00, 0x20,            /* mov si, GUEST_TABLE */
	/* loop: */
	/* 1003 */ 0x66, 0x8B, 0x0C,            /* mov ecx, [si]      ; msr */
	/* 1006 */ 0x66, 0x85, 0xC9,            /* test ecx, ecx */
	/* 1009 */ 0x74, 0x0F,                  /* jz done (101A) */
	/* 100B */ 0x66, 0x8B, 0x44, 0x04,      /* mov eax, [si+4]    ; low half */
	/* 100F */ 0x66, 0x8B, 0x54, 0x08,      /* mov edx, [si+8]    ; high half */
	/* 1013 */ 0x0F, 0x30,                  /* wrmsr */
	/* 1015 */ 0x83, 0xC6, 0x0C,            /* add si, 12 */
	/* 1018 */ 0xEB, 0xE9,                  /* jmp loop (1003) */
	/* done: the table is in, tell the VMM */
	/* 101A */ 0xB0, GUEST_STEP_PROGRAMMED, /* mov al, 1 */
	/* 101C */ 0xE6, GUEST_PORT_STEP,       /* out 0x10, al */
	/* then the write that must fault: the entry after the terminator */
	/* 101E */ 0x66, 0x8B, 0x4C, 0x0C,      /* mov ecx, [si+12] */
	/* 1022 */ 0x66, 0x8B, 0x44, 0x10,      /* mov eax, [si+16] */
	/* 1026 */ 0x66, 0x8B, 0x54, 0x14,      /* mov edx, [si+20] */
	/* 102A */ 0x0F, 0x30,                  /* wrmsr              ; #GP expected */
	/* 102C */ 0xB0, GUEST_STEP_NO_GP,      /* mov al, 0xEE       ; not reached */
	/* 102E */ 0xE6, GUEST_PORT_STEP,       /* out 0x10, al */
	/* 1030 */ 0xF4,                        /* hlt */
	/* 1031 */ 0xEB, 0xFD,                  /* jmp 1030 */
};

const uint16_t guest_bad_wrmsr_ip = 0x102A;

/*
 * #GP in real mode: the CPU pushes FLAGS, CS and IP (of the faulting
 * instruction) and jumps through IVT[13].
 */
static const uint8_t guest_gp_handler[] = {
	/* 1100 */ 0x58,                        /* pop ax             ; faulting IP */
	/* 1101 */ 0xBA, GUEST_PORT_IP, 0x00,   /* mov dx, 0x11 */
	/* 1104 */ 0xEF,                        /* out dx, ax */
	/* 1105 */ 0xB0, GUEST_STEP_GP,         /* mov al, 0x0D */
	/* 1107 */ 0xE6, GUEST_PORT_STEP,       /* out 0x10, al */
	/* 1109 */ 0xF4,                        /* hlt */
	/* 110A */ 0xEB, 0xFD,                  /* jmp 1109 */
};

static void
put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	unsigned i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
put_entry(uint8_t *p, const struct guest_msr *e)
{
	put_le(p, e->msr, 4);
	put_le(p + 4, e->value & 0xFFFFFFFFu, 4);
	put_le(p + 8, e->value >> 32, 4);
}

int
guest_install(uint8_t *mem, size_t mem_size, const struct guest_msr *good, size_t n,
	      const struct guest_msr *bad)
{
	static const struct guest_msr end = { 0, 0 };
	size_t i;

	_Static_assert(GUEST_CODE + sizeof(guest_code) <= GUEST_GP_HANDLER, "code overlaps");
	_Static_assert(GUEST_GP_HANDLER + sizeof(guest_gp_handler) <= GUEST_TABLE,
		       "handler overlaps");
	if (mem_size < GUEST_MEM_MIN || n > (GUEST_STACK - 0x100u - GUEST_TABLE) / 12u - 2u)
		return -1;
	put_le(mem + 13 * 4, GUEST_GP_HANDLER, 2);      /* IVT[13].offset */
	put_le(mem + 13 * 4 + 2, 0, 2);                 /* IVT[13].segment */
	memcpy(mem + GUEST_CODE, guest_code, sizeof(guest_code));
	memcpy(mem + GUEST_GP_HANDLER, guest_gp_handler, sizeof(guest_gp_handler));
	for (i = 0; i < n; i++)
		put_entry(mem + GUEST_TABLE + 12u * i, &good[i]);
	put_entry(mem + GUEST_TABLE + 12u * n, &end);
	put_entry(mem + GUEST_TABLE + 12u * (n + 1), bad);
	return 0;
}
