// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 marker sites: the patching primitives and the dispatcher.
 *
 * kernel/markers_patch.c decides what to patch and when; this file builds
 * the instructions (a 2- or 5-byte NOP or JMP where objtool left a NOP, a
 * CALL in the out-of-line block) and applies a batch of them with
 * text_poke_queue(), as jump labels do. The dispatcher calls the probes of
 * a site that has no single direct probe.
 */

#include <linux/kernel.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/memory.h>

#include <asm/text-patching.h>

/**
 * arch_marker_nop_len - the length of the NOP objtool left at a jump
 * @code: the jump's address
 *
 * Return: 2 or 5, or 0 if @code holds something else.
 */
int arch_marker_nop_len(const void *code)
{
	if (!memcmp(code, x86_nops[2], 2))
		return 2;
	if (!memcmp(code, x86_nops[JMP32_INSN_SIZE], JMP32_INSN_SIZE))
		return JMP32_INSN_SIZE;
	return 0;
}

/**
 * arch_marker_jump_len - the length of the jump or NOP at a jump
 * @code: the jump's address
 *
 * Return: 2 or 5 bytes, as objtool chose.
 */
int arch_marker_jump_len(const void *code)
{
	const u8 *insn = code;

	return insn[0] == JMP8_INSN_OPCODE || !memcmp(code, x86_nops[2], 2) ?
	       2 : JMP32_INSN_SIZE;
}

/**
 * arch_marker_gen_jump - build the jump of a site, or its NOP
 * @poke: filled in
 * @code: the jump's address
 * @target: the out-of-line block
 * @on: a jump to @target, else a NOP of the same length
 */
void arch_marker_gen_jump(struct marker_poke *poke, void *code, void *target,
			  bool on)
{
	poke->addr = code;
	poke->len = arch_marker_jump_len(code);
	if (on)
		__text_gen_insn(poke->insn, poke->len == 2 ? JMP8_INSN_OPCODE :
				JMP32_INSN_OPCODE, code, target, poke->len);
	else
		memcpy(poke->insn, x86_nops[poke->len], poke->len);
}

/**
 * arch_marker_gen_call - build the call of a site's out-of-line block
 * @poke: filled in
 * @code: the call's address
 * @dest: the function called, through its call thunk if it has one
 *
 * Context: text_mutex held (callthunks_translate_call_dest() says so).
 */
void arch_marker_gen_call(struct marker_poke *poke, void *code, void *dest)
{
	poke->addr = code;
	poke->len = CALL_INSN_SIZE;
	__text_gen_insn(poke->insn, CALL_INSN_OPCODE, code,
			callthunks_translate_call_dest(dest), CALL_INSN_SIZE);
}

/**
 * arch_marker_dispatcher - where the call of a site without direct probe goes
 * @site: the site
 *
 * Return: the dispatcher's entry, as the site's block was built with it.
 */
void *arch_marker_dispatcher(const struct marker_site *site)
{
	static void * const by_nargs[MARKER_MAX_DIRECT_ARGS + 1] = {
		__marker_x86_dispatch0, __marker_x86_dispatch1,
		__marker_x86_dispatch2, __marker_x86_dispatch3,
		__marker_x86_dispatch4, __marker_x86_dispatch5,
	};

	if (site->nargs <= MARKER_MAX_DIRECT_ARGS)
		return by_nargs[site->nargs];
	return __marker_x86_dispatch;
}

/**
 * arch_markers_apply - patch a batch of instructions
 * @pokes: the instructions, in address order
 * @nr: how many
 *
 * One text_poke_queue() batch: three IPI broadcasts for up to 256 sites.
 *
 * Context: text_mutex held.
 */
void arch_markers_apply(const struct marker_poke *pokes, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		text_poke_queue(pokes[i].addr, pokes[i].insn, pokes[i].len,
				NULL);
	text_poke_finish();
}

/*
 * The layout of a va_list on x86-64 (System V ABI). With every register
 * slot marked used, va_arg() takes each argument from overflow_arg_area,
 * one 8-byte slot per argument: the array the site stored on its stack.
 */
struct marker_x86_va_list {
	unsigned int gp_offset;
	unsigned int fp_offset;
	const void *overflow_arg_area;
	const void *reg_save_area;
};

static void marker_call_va(const struct marker_probe *probe,
			   const struct marker_site *site,
			   const unsigned long *args)
{
	struct marker_x86_va_list va = {
		.gp_offset = 6 * 8,
		.fp_offset = 6 * 8 + 16 * 16,
		.overflow_arg_area = args,
	};

	BUILD_BUG_ON(sizeof(va) != sizeof(va_list));
	((marker_probe_func *)probe->func)(probe->probe_private, NULL,
					   site->format, (va_list *)&va);
}

/*
 * Call every probe of @array, direct ones as @call, in which @f and @p are
 * the probe's function and private data. One loop per number of arguments,
 * so that a probe costs the dispatcher what a tracepoint's iterator pays:
 * two loads, the arguments, an indirect call.
 */
#define marker_for_each_probe(array, site, args, call)			\
do {									\
	const struct marker_probes *__probes = (array);			\
	const struct marker_probe *__probe = __probes->probes;		\
	const struct marker_probe *__end = __probe + __probes->nr;	\
	void *f, *p;							\
									\
	for (; __probe < __end; __probe++) {				\
		if (unlikely(!(__probe->flags & MARKER_PROBE_DIRECT))) {	\
			marker_call_va(__probe, site, args);		\
			continue;					\
		}							\
		f = __probe->func;					\
		p = __probe->probe_private;				\
		call;							\
	}								\
} while (0)

typedef void marker_direct0_t(void *p);
typedef void marker_direct1_t(void *p, unsigned long);
typedef void marker_direct2_t(void *p, unsigned long, unsigned long);
typedef void marker_direct3_t(void *p, unsigned long, unsigned long,
			      unsigned long);
typedef void marker_direct4_t(void *p, unsigned long, unsigned long,
			      unsigned long, unsigned long);
typedef void marker_direct5_t(void *p, unsigned long, unsigned long,
			      unsigned long, unsigned long, unsigned long);
/* 6 to 12 arguments: see marker_call_direct() for the words past nargs. */
typedef void marker_direct12_t(void *p, unsigned long, unsigned long,
			       unsigned long, unsigned long, unsigned long,
			       unsigned long, unsigned long, unsigned long,
			       unsigned long, unsigned long, unsigned long,
			       unsigned long);

/**
 * __marker_dispatch - call every probe of an armed site
 * @site: the site
 * @args: its arguments, one 8-byte slot each
 *
 * Reached from the site's out-of-line block through __marker_x86_dispatch,
 * with preemption disabled.
 */
void notrace __marker_dispatch(const struct marker_site *site,
			       const unsigned long *args)
{
	const struct marker_probes *probes;
	const unsigned long *a = args;

	/*
	 * The site holds preemption off, an RCU-sched reader. Not
	 * rcu_dereference_sched(): with PROVE_RCU its check costs several
	 * times the probes' calls. __traceiter_*() reads tracepoint probes
	 * raw too.
	 */
	probes = rcu_dereference_raw(site->probes);
	if (unlikely(!probes))
		return;
	switch (site->nargs) {
	case 0:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct0_t *)f)(p));
		break;
	case 1:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct1_t *)f)(p, a[0]));
		break;
	case 2:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct2_t *)f)(p, a[0], a[1]));
		break;
	case 3:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct3_t *)f)(p, a[0], a[1],
							      a[2]));
		break;
	case 4:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct4_t *)f)(p, a[0], a[1],
							      a[2], a[3]));
		break;
	case 5:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct5_t *)f)(p, a[0], a[1],
							      a[2], a[3], a[4]));
		break;
	default:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct12_t *)f)(p, a[0], a[1],
							       a[2], a[3], a[4],
							       a[5], a[6], a[7],
							       a[8], a[9], a[10],
							       a[11]));
		break;
	}
}

/*
 * The dispatchers of sites with N <= 5 arguments, reached with the
 * arguments in registers (see markers_64.S). When every probe is direct,
 * each costs what a probe of a tracepoint's iterator costs: two loads and
 * a call, with no test; otherwise the general dispatcher takes over.
 */
#define MARKER_DISPATCH_N(n, params, args...)				\
static noinline void							\
marker_dispatch_mixed##n(const struct marker_site *site params)		\
{									\
	const unsigned long a[MARKER_MAX_DIRECT_ARGS] = { args };	\
									\
	__marker_dispatch(site, a);					\
}									\
									\
void notrace __marker_dispatch##n(const struct marker_site *site params)	\
{									\
	const struct marker_probes *probes;				\
	const struct marker_probe *probe, *end;				\
									\
	probes = rcu_dereference_raw(site->probes);			\
	if (unlikely(!probes))						\
		return;							\
	if (unlikely(!probes->all_direct)) {				\
		marker_dispatch_mixed##n(site, ## args);		\
		return;							\
	}								\
	end = probes->probes + probes->nr;				\
	for (probe = probes->probes; probe < end; probe++)		\
		((marker_direct##n##_t *)probe->func)(probe->probe_private,	\
						       ## args);	\
}

#define MARKER_ARG(n)	, unsigned long a##n

MARKER_DISPATCH_N(0, )
MARKER_DISPATCH_N(1, MARKER_ARG(0), a0)
MARKER_DISPATCH_N(2, MARKER_ARG(0) MARKER_ARG(1), a0, a1)
MARKER_DISPATCH_N(3, MARKER_ARG(0) MARKER_ARG(1) MARKER_ARG(2), a0, a1, a2)
MARKER_DISPATCH_N(4, MARKER_ARG(0) MARKER_ARG(1) MARKER_ARG(2) MARKER_ARG(3),
		  a0, a1, a2, a3)
MARKER_DISPATCH_N(5, MARKER_ARG(0) MARKER_ARG(1) MARKER_ARG(2) MARKER_ARG(3)
		  MARKER_ARG(4), a0, a1, a2, a3, a4)
