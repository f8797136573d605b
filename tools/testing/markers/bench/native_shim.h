/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What <linux/markers.h> and <asm/markers.h> take from the rest of the
 * kernel, for building the real site code in userspace (native.c).
 * bench.sh makes the include directory out/bench/native-inc: the real
 * <linux/markers.h>, <asm/markers.h>, <linux/args.h>, <linux/stringify.h>,
 * <linux/compiler_attributes.h> and <linux/kconfig.h>; the system's
 * <linux/errno.h> and <linux/types.h>; empty files for the other kernel
 * headers they include. This file supplies the rest.
 */
#ifndef MB_NATIVE_SHIM_H
#define MB_NATIVE_SHIM_H

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#undef __always_inline		/* <sys/cdefs.h> has these too */
#undef __attribute_const__
#include <linux/compiler_attributes.h>
#include <linux/kconfig.h>

#define CONFIG_MARKERS		1
#define CONFIG_MARKERS_PATCHING	1

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define __rcu
#define __counted_by(member)

typedef __u8 u8;
typedef __u16 u16;
typedef __s32 s32;
typedef __u32 u32;
typedef __u64 u64;

struct list_head {
	struct list_head *next, *prev;
};

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

#define rcu_access_pointer(p)	(p)

/* From <asm/asm.h>. */
#define _ASM_ALIGN		" .balign 8 "
#define _ASM_PTR		" .quad "
register unsigned long current_stack_pointer asm("rsp");
#define ASM_CALL_CONSTRAINT	"+r" (current_stack_pointer)

/*
 * preempt_disable_notrace() and preempt_enable_notrace() as x86 builds
 * them: an increment of the per-CPU count (%gs there, a thread-local
 * variable in %fs here), and a decrement that calls the scheduler when it
 * reaches zero. The "need resched" bit is kept inverted in the count, as
 * the kernel does, so that zero means "reschedule".
 */
extern __thread unsigned int mb_preempt_count;
void mb_preempt_schedule(void);

static __always_inline void preempt_disable_notrace(void)
{
	asm volatile("incl %0" : "+m" (mb_preempt_count) : : "memory");
}

static __always_inline void preempt_enable_notrace(void)
{
	asm goto("decl %0\n\tje %l[resched]"
		 : : "m" (mb_preempt_count) : "memory", "cc" : resched);
	return;
resched:
	mb_preempt_schedule();
}

/* <linux/args.h> defines it too, with other parameter names. */
#undef __CONCAT

#endif /* MB_NATIVE_SHIM_H */
