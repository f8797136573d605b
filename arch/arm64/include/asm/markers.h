/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_ARM64_MARKERS_H
#define _ASM_ARM64_MARKERS_H

/*
 * arm64 marker sites. Included by <linux/markers.h>; do not include it
 * directly.
 *
 * A site is one NOP, recorded in __markers_jump in the layout of
 * __jump_table, that the registry patches into a B to the out-of-line
 * block while the marker has probes. There is no objtool on arm64: the
 * NOP is emitted as such, as arch_static_branch() does.
 *
 * The out-of-line block preserves every register it may change: it saves
 * x0-x18 (x0-x17 with the shadow call stack) and x30 itself (the flags
 * are declared clobbered), so the compiler keeps nothing extra alive
 * across the site and the dormant path is the unmarked one plus the NOP.
 * It stores the arguments in an array on the stack, loads the first ones
 * into the argument registers of a direct probe, and makes one BL,
 * recorded in __markers_call, that the registry patches either to the
 * dispatcher or, for a single direct probe within BL range, to the probe
 * itself.
 */

#include <linux/stringify.h>
#include <linux/thread_info.h>

#define MARKER_SITE_ARCH_FLAGS	0

/* A jump is one B or NOP; the call is one BL. */
#define MARKER_ARCH_JUMP_MAX	4
#define MARKER_ARCH_CALL_LEN	4

/*
 * The dispatchers' entries from the sites (markers_64.S), and their C
 * parts. A site with at most 5 arguments calls the entry for its number
 * of arguments, which takes them from the registers a direct probe would;
 * a site with more calls __marker_arm64_dispatch, which takes them from
 * the site's array on the stack. On entry x9 holds the site.
 */
void __marker_arm64_dispatch(void);
void __marker_arm64_dispatch0(void);
void __marker_arm64_dispatch1(void);
void __marker_arm64_dispatch2(void);
void __marker_arm64_dispatch3(void);
void __marker_arm64_dispatch4(void);
void __marker_arm64_dispatch5(void);

#define __MARKER_ARM64_DISPATCH_IF(n)					\
	".elseif %c[nargs] == " #n "\n\t"				\
	"1: bl __marker_arm64_dispatch" #n "\n\t"
#define MARKER_ARM64_CALL_DISPATCHER					\
	".if %c[nargs] == 0\n\t"					\
	"1: bl __marker_arm64_dispatch0\n\t"				\
	__MARKER_ARM64_DISPATCH_IF(1) __MARKER_ARM64_DISPATCH_IF(2)	\
	__MARKER_ARM64_DISPATCH_IF(3) __MARKER_ARM64_DISPATCH_IF(4)	\
	__MARKER_ARM64_DISPATCH_IF(5)					\
	".else\n\t"							\
	"1: bl __marker_arm64_dispatch\n\t"				\
	".endif\n\t"

/*
 * x0-x18 and x30 in 160 bytes, sp kept 16-byte aligned. x18 is
 * caller-saved unless it is the shadow call stack pointer: with
 * SHADOW_CALL_STACK the kernel is built with -ffixed-x18, every callee
 * keeps it, and it must never be written to the normal stack, where an
 * overflow could replace it.
 *
 * The block makes no frame record of its own. x30 holds no return
 * address of the marked function here (a stale one after a call, or what
 * function_graph put in its place), so a record made of it would be
 * wrong; x29 is left as the marked function has it. A probe's record then
 * chains to the marked function's record (or, in a leaf, its caller's),
 * and an unwinder sees the block's address in the marked function, then
 * the callers the function's own frame gives.
 */
#ifdef CONFIG_SHADOW_CALL_STACK
#define MARKER_ARM64_SAVE_X18_X30	"str x30, [sp, #152]\n\t"
#define MARKER_ARM64_RESTORE_X18_X30	"ldr x30, [sp, #152]\n\t"
#else
#define MARKER_ARM64_SAVE_X18_X30	"stp x18, x30, [sp, #144]\n\t"
#define MARKER_ARM64_RESTORE_X18_X30	"ldp x18, x30, [sp, #144]\n\t"
#endif

#define MARKER_ARM64_SAVE_REGS						\
	"stp x0, x1, [sp, #-160]!\n\t"					\
	"stp x2, x3, [sp, #16]\n\tstp x4, x5, [sp, #32]\n\t"		\
	"stp x6, x7, [sp, #48]\n\tstp x8, x9, [sp, #64]\n\t"		\
	"stp x10, x11, [sp, #80]\n\tstp x12, x13, [sp, #96]\n\t"	\
	"stp x14, x15, [sp, #112]\n\tstp x16, x17, [sp, #128]\n\t"	\
	MARKER_ARM64_SAVE_X18_X30
#define MARKER_ARM64_RESTORE_REGS					\
	MARKER_ARM64_RESTORE_X18_X30					\
	"ldp x16, x17, [sp, #128]\n\tldp x14, x15, [sp, #112]\n\t"	\
	"ldp x12, x13, [sp, #96]\n\tldp x10, x11, [sp, #80]\n\t"	\
	"ldp x8, x9, [sp, #64]\n\tldp x6, x7, [sp, #48]\n\t"		\
	"ldp x4, x5, [sp, #32]\n\tldp x2, x3, [sp, #16]\n\t"		\
	"ldp x0, x1, [sp], #160\n\t"

/* The argument array, rounded up to keep sp 16-byte aligned. */
#define MARKER_ARM64_ARGS_SIZE	"((%c[nargs] * 8 + 15) & ~15)"

#define MARKER_ARM64_LOAD_ARG(n, reg)					\
	".if %c[nargs] > " #n "\n\t"					\
	"ldr " #reg ", [sp, #" #n " * 8]\n\t"				\
	".endif\n\t"

/* Direct probes take (probe_private, arg0, ..., arg4) in x0..x5. */
#define MARKER_ARM64_LOAD_ARGS						\
	MARKER_ARM64_LOAD_ARG(0, x1) MARKER_ARM64_LOAD_ARG(1, x2)	\
	MARKER_ARM64_LOAD_ARG(2, x3) MARKER_ARM64_LOAD_ARG(3, x4)	\
	MARKER_ARM64_LOAD_ARG(4, x5)

/*
 * With lockdep, the block asks rcu_is_watching() whether it may call the
 * probes, once the arguments are stored (the call may change the registers
 * that hold them). When RCU is not watching, it skips the probes and tells
 * __marker_rcu_not_watching(), which warns; the common case costs the
 * call and a taken branch, as for a tracepoint. Tiny RCU, which has no
 * rcu_is_watching() to call, always watches.
 */
#if defined(CONFIG_LOCKDEP) && defined(CONFIG_TREE_RCU)
#define MARKER_ARM64_CHECK_RCU						\
	"bl rcu_is_watching\n\t"					\
	"cbnz w0, 6f\n\t"						\
	"adrp x0, %c[site]\n\t"					\
	"add x0, x0, :lo12:%c[site]\n\t"				\
	"bl __marker_rcu_not_watching\n\t"				\
	"b 7f\n\t"							\
	"6:\n\t"
#define MARKER_ARM64_CHECK_RCU_SKIP	"7:\n\t"
#else
#define MARKER_ARM64_CHECK_RCU		""
#define MARKER_ARM64_CHECK_RCU_SKIP	""
#endif

#define __MARKER_ARM64_STORE(i, x)	"str %[a" #i "], [sp, #" #i " * 8]\n\t"
#define __MARKER_ARM64_INPUT(i, x)	[a##i] "r" ((unsigned long)__marker_arg(x)),

static __always_inline bool arch_marker_site_armed(struct marker_site *site)
{
	asm goto("1: nop\n\t"
		 ".pushsection __markers_jump, \"aw\"\n\t"
		 ".align 3\n\t"
		 ".long 1b - ., %l[l_yes] - .\n\t"
		 ".quad %c0 + 2 - .\n\t"
		 ".popsection\n\t"
		 : : "i" (site) : : l_yes);
	return false;
l_yes:
	return true;
}

/*
 * Preemption is disabled and enabled inside the block, as
 * preempt_disable_notrace() and preempt_enable_notrace() do, so that the
 * block makes no C call: GCC would otherwise give the marked function a
 * frame and callee-saved registers on its dormant path too (x86 has
 * preempt_schedule_notrace_thunk for that; arm64 has none). It stays off
 * from the load of the private data to the return of the probe (see
 * kernel/markers_patch.c for the grace-period rules that rely on it, and
 * for what it means that it is not off yet where the B lands).
 */
#ifdef CONFIG_PREEMPT_DYNAMIC
#define MARKER_ARM64_RESCHED	"dynamic_preempt_schedule_notrace"
#else
#define MARKER_ARM64_RESCHED	"preempt_schedule_notrace"
#endif

#define MARKER_ARM64_PREEMPT_DISABLE					\
	".if %c[pcount]\n\t"						\
	"mrs x9, sp_el0\n\t"						\
	"ldr w10, [x9, #%c[count]]\n\t"					\
	"add w10, w10, #1\n\t"						\
	"str w10, [x9, #%c[count]]\n\t"					\
	".endif\n\t"

/* As __preempt_count_dec_and_test(): the count, then need_resched. */
#define MARKER_ARM64_PREEMPT_ENABLE					\
	".if %c[pcount]\n\t"						\
	"mrs x9, sp_el0\n\t"						\
	"ldr x10, [x9, #%c[pc]]\n\t"					\
	"sub x10, x10, #1\n\t"						\
	"str w10, [x9, #%c[count]]\n\t"					\
	".if %c[resched]\n\t"						\
	"cbz x10, 8f\n\t"						\
	"ldr x10, [x9, #%c[pc]]\n\t"					\
	"cbnz x10, 9f\n\t"						\
	"8: bl " MARKER_ARM64_RESCHED "\n\t"				\
	"9:\n\t"							\
	".endif\n\t"							\
	".endif\n\t"

/*
 * Every input is stored before any register is written, so that an input
 * the compiler placed in x1..x5, x9 or x10 is read before it is replaced.
 */
#define __marker_arm64_call(msite, args...)				\
	asm volatile(MARKER_ARM64_SAVE_REGS				\
		     ".if %c[nargs]\n\t"				\
		     "sub sp, sp, #" MARKER_ARM64_ARGS_SIZE "\n\t"	\
		     ".endif\n\t"					\
		     __MARKER_MAP(__MARKER_ARM64_STORE, args)		\
		     MARKER_ARM64_PREEMPT_DISABLE			\
		     MARKER_ARM64_CHECK_RCU				\
		     MARKER_ARM64_LOAD_ARGS				\
		     "adrp x9, %c[site]\n\t"				\
		     "add x9, x9, :lo12:%c[site]\n\t"			\
		     "ldr x0, [x9, #%c[priv]]\n\t"			\
		     MARKER_ARM64_CALL_DISPATCHER			\
		     MARKER_ARM64_CHECK_RCU_SKIP			\
		     MARKER_ARM64_PREEMPT_ENABLE			\
		     ".if %c[nargs]\n\t"				\
		     "add sp, sp, #" MARKER_ARM64_ARGS_SIZE "\n\t"	\
		     ".endif\n\t"					\
		     MARKER_ARM64_RESTORE_REGS				\
		     ".pushsection __markers_call, \"aw\"\n\t"		\
		     ".balign 4\n\t"					\
		     ".long 1b - .\n\t"					\
		     ".long %c[site] - .\n\t"				\
		     ".popsection"					\
		     :							\
		     : __MARKER_MAP(__MARKER_ARM64_INPUT, args)		\
		       [site] "i" (&(msite)),				\
		       [nargs] "i" (COUNT_ARGS(args)),			\
		       [priv] "i" (offsetof(struct marker_site,		\
					    probe_private)),		\
		       [pc] "i" (offsetof(struct thread_info,		\
					  preempt_count)),		\
		       [count] "i" (offsetof(struct thread_info,		\
					     preempt.count)),		\
		       [pcount] "i" (IS_ENABLED(CONFIG_PREEMPT_COUNT)),	\
		       [resched] "i" (IS_ENABLED(CONFIG_PREEMPTION))	\
		     : "cc", "memory")

#define __marker_arch_site(msite, args...)				\
do {									\
	if (unlikely(arch_marker_site_armed(&(msite))))			\
		__marker_arm64_call(msite, ## args);			\
} while (0)

#endif /* _ASM_ARM64_MARKERS_H */
