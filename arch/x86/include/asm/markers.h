/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_MARKERS_H
#define _ASM_X86_MARKERS_H

/*
 * x86-64 marker sites. Included by <linux/markers.h>; do not include it
 * directly.
 *
 * A site is a jump that objtool turns into a NOP (two bytes when the
 * out-of-line block is within reach of a short jump, five otherwise),
 * recorded in __markers_jump in the layout of __jump_table so that objtool
 * follows it to the out-of-line block and generates ORC data for it.
 *
 * The out-of-line block preserves every register: it saves the
 * caller-saved ones itself, so the compiler keeps nothing extra alive
 * across the site and the dormant path is the unmarked one plus the NOP.
 * It stores the arguments in an array on the stack, loads the first ones
 * into the argument registers of a direct probe, and makes one call,
 * recorded in __markers_call, that the registry patches either to the
 * dispatcher or, for a single direct probe, to the probe itself.
 */

#include <linux/context_tracking_state.h>
#include <linux/stringify.h>
#include <asm/asm.h>

#define MARKER_SITE_ARCH_FLAGS	0

/* A jump is a 2- or 5-byte JMP or NOP; the call is a 5-byte CALL. */
#define MARKER_ARCH_JUMP_MAX	5
#define MARKER_ARCH_CALL_LEN	5

/*
 * The dispatchers' entries from the sites (markers_64.S), in front of the
 * C dispatchers of kernel/markers_dispatch.c. A site with at most 5
 * arguments calls the entry for its number of arguments, which takes them
 * from the registers a direct probe would; a site with more calls
 * __marker_x86_dispatch, which takes them from the site's array on the
 * stack.
 */
void __marker_x86_dispatch(void);
void __marker_x86_dispatch0(void);
void __marker_x86_dispatch1(void);
void __marker_x86_dispatch2(void);
void __marker_x86_dispatch3(void);
void __marker_x86_dispatch4(void);
void __marker_x86_dispatch5(void);

#define __MARKER_X86_DISPATCH_IF(n)					\
	".elseif %c[nargs] == " #n "\n\t"				\
	"1: call __marker_x86_dispatch" #n "\n\t"
/* The call of the out-of-line block, to the dispatcher for its arguments. */
#define MARKER_X86_CALL_DISPATCHER					\
	".if %c[nargs] == 0\n\t"					\
	"1: call __marker_x86_dispatch0\n\t"				\
	__MARKER_X86_DISPATCH_IF(1) __MARKER_X86_DISPATCH_IF(2)		\
	__MARKER_X86_DISPATCH_IF(3) __MARKER_X86_DISPATCH_IF(4)		\
	__MARKER_X86_DISPATCH_IF(5)					\
	".else\n\t"							\
	"1: call __marker_x86_dispatch\n\t"				\
	".endif\n\t"

/* Calling convention of the out-of-line call, see markers_64.S. */
#define MARKER_X86_SAVE_REGS						\
	"push %%rax\n\tpush %%rcx\n\tpush %%rdx\n\tpush %%rsi\n\t"	\
	"push %%rdi\n\tpush %%r8\n\tpush %%r9\n\tpush %%r10\n\t"	\
	"push %%r11\n\t"
#define MARKER_X86_RESTORE_REGS						\
	"pop %%r11\n\tpop %%r10\n\tpop %%r9\n\tpop %%r8\n\t"		\
	"pop %%rdi\n\tpop %%rsi\n\tpop %%rdx\n\tpop %%rcx\n\t"		\
	"pop %%rax\n\t"

#define MARKER_X86_LOAD_ARG(n, reg)					\
	".if %c[nargs] > " #n "\n\t"					\
	"mov " #n "*8(%%rsp), %%" #reg "\n\t"				\
	".endif\n\t"

/* Direct probes take (probe_private, arg0, ..., arg4). */
#define MARKER_X86_LOAD_ARGS						\
	MARKER_X86_LOAD_ARG(0, rsi) MARKER_X86_LOAD_ARG(1, rdx)		\
	MARKER_X86_LOAD_ARG(2, rcx) MARKER_X86_LOAD_ARG(3, r8)		\
	MARKER_X86_LOAD_ARG(4, r9)

/*
 * With lockdep, the block checks that RCU is watching this CPU before it
 * calls the probes, as rcu_is_watching_curr_cpu() does (preemption is off
 * in the block): one test of this CPU's context_tracking.state. When RCU
 * is not watching, it skips the probes and calls
 * __marker_rcu_not_watching(), which warns. RCU without context tracking
 * (Tiny RCU) always watches.
 */
#if defined(CONFIG_LOCKDEP) && defined(CONFIG_CONTEXT_TRACKING_IDLE)
#define MARKER_X86_CHECK_RCU						\
	"testl %[ct_watching], " __percpu_arg([ct_state]) "\n\t"	\
	"jnz 6f\n\t"							\
	"lea %c[site](%%rip), %%rdi\n\t"				\
	"call __marker_rcu_not_watching\n\t"				\
	"jmp 7f\n\t"							\
	"6:\n\t"
#define MARKER_X86_CHECK_RCU_SKIP	"7:\n\t"
#define MARKER_X86_CHECK_RCU_INPUTS					\
	[ct_state] "m" (__my_cpu_var(context_tracking.state.counter)),	\
	[ct_watching] "i" (CT_RCU_WATCHING),
#else
#define MARKER_X86_CHECK_RCU		""
#define MARKER_X86_CHECK_RCU_SKIP	""
#define MARKER_X86_CHECK_RCU_INPUTS
#endif

#define __MARKER_X86_STORE(i, x)	"mov %[a" #i "], " #i "*8(%%rsp)\n\t"
#define __MARKER_X86_INPUT(i, x)	[a##i] "r" ((unsigned long)__marker_arg(x)),

static __always_inline bool arch_marker_site_armed(struct marker_site *site)
{
	asm goto("1: jmp %l[l_yes] # objtool NOPs this\n\t"
		 ".pushsection __markers_jump, \"aw\"\n\t"
		 _ASM_ALIGN "\n\t"
		 ".long 1b - .\n\t"
		 ".long %l[l_yes] - .\n\t"
		 _ASM_PTR " %c0 + 2 - .\n\t"
		 ".popsection\n\t"
		 : : "i" (site) : : l_yes);
	return false;
l_yes:
	return true;
}

/*
 * @after_load: instructions placed between the load of the private data
 * and the call, that may use %r10 and %r11; empty for trace_mark(). The
 * KUnit test of the grace-period rules widens that window with it.
 */
#define __marker_x86_call_after_load(msite, after_load, args...)	\
	asm volatile(MARKER_X86_SAVE_REGS				\
		     ".if %c[nargs]\n\t"				\
		     "sub $%c[nargs]*8, %%rsp\n\t"			\
		     ".endif\n\t"					\
		     __MARKER_MAP(__MARKER_X86_STORE, args)		\
		     MARKER_X86_CHECK_RCU				\
		     MARKER_X86_LOAD_ARGS				\
		     "lea %c[site](%%rip), %%rax\n\t"			\
		     "mov %c[site]+%c[priv](%%rip), %%rdi\n\t"		\
		     after_load						\
		     MARKER_X86_CALL_DISPATCHER				\
		     MARKER_X86_CHECK_RCU_SKIP				\
		     ".if %c[nargs]\n\t"				\
		     "add $%c[nargs]*8, %%rsp\n\t"			\
		     ".endif\n\t"					\
		     MARKER_X86_RESTORE_REGS				\
		     ".pushsection __markers_call, \"aw\"\n\t"		\
		     ".balign 4\n\t"					\
		     ".long 1b - .\n\t"					\
		     ".long %c[site] - .\n\t"				\
		     ".popsection"					\
		     : ASM_CALL_CONSTRAINT				\
		     : __MARKER_MAP(__MARKER_X86_INPUT, args)		\
		       MARKER_X86_CHECK_RCU_INPUTS			\
		       [site] "i" (&(msite)),				\
		       [nargs] "i" (COUNT_ARGS(args)),			\
		       [priv] "i" (offsetof(struct marker_site,		\
					    probe_private))		\
		     : "memory")

#define __marker_x86_call(msite, args...)				\
	__marker_x86_call_after_load(msite, "", ## args)

/*
 * Preemption stays off from the load of the private data to the return of
 * the probe, so that one grace period after a write of the private data no
 * CPU holds an older value. It is not off yet where the jump lands: see
 * arch/x86/kernel/markers.c for what that means to the registry.
 */
#define __marker_arch_site(msite, args...)				\
do {									\
	if (unlikely(arch_marker_site_armed(&(msite)))) {		\
		preempt_disable_notrace();				\
		__marker_x86_call(msite, ## args);			\
		preempt_enable_notrace();				\
	}								\
} while (0)

#endif /* _ASM_X86_MARKERS_H */
