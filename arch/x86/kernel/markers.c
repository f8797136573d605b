// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 marker sites: the patching primitives.
 *
 * kernel/markers_patch.c decides what to patch and when; this file builds
 * the instructions (a 2- or 5-byte NOP or JMP where objtool left a NOP, a
 * CALL in the out-of-line block) and applies a batch of them with
 * text_poke_queue(), as jump labels do. It also says where a site's
 * dispatcher is, and how a va_list over a site's arguments is laid out,
 * for the dispatchers of kernel/markers_dispatch.c.
 */

#include <linux/kernel.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/memory.h>
#include <linux/module.h>

#include <asm/sections.h>
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

/*
 * Whether the calls at @addr were sent through call thunks. As
 * callthunks_patch_builtin_calls() and callthunks_patch_module_calls() do,
 * only the calls of the kernel's text and of a module's core text are:
 * those of init text keep the destination the build gave them.
 */
static bool marker_x86_text_has_call_thunks(unsigned long addr)
{
	bool ret = false;
#ifdef CONFIG_MODULES
	struct module *mod;
#endif

	if (!IS_ENABLED(CONFIG_CALL_THUNKS))
		return false;
	if (addr >= (unsigned long)_text && addr < (unsigned long)_etext)
		return true;
#ifdef CONFIG_MODULES
	preempt_disable();
	mod = __module_text_address(addr);
	ret = mod && within_module_mem_type(addr, mod, MOD_TEXT);
	preempt_enable();
#endif
	return ret;
}

/**
 * arch_marker_gen_call - build the call of a site's out-of-line block
 * @poke: filled in
 * @code: the call's address
 * @dest: the function called
 *
 * The call goes through @dest's call thunk where the other calls of the
 * text at @code do, so that the call the build left there compares equal
 * to the one built here for the dispatcher, in init text too.
 *
 * Context: text_mutex held (callthunks_translate_call_dest() says so).
 * Return: true: a CALL reaches any kernel text.
 */
bool arch_marker_gen_call(struct marker_poke *poke, void *code, void *dest)
{
	if (marker_x86_text_has_call_thunks((unsigned long)code))
		dest = callthunks_translate_call_dest(dest);
	poke->addr = code;
	poke->len = CALL_INSN_SIZE;
	__text_gen_insn(poke->insn, CALL_INSN_OPCODE, code, dest,
			CALL_INSN_SIZE);
	return true;
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

/**
 * arch_marker_call_va - call a va_list probe with a site's arguments
 * @probe: the probe
 * @site: the site
 * @args: its arguments, one 8-byte slot each
 */
void arch_marker_call_va(const struct marker_probe *probe,
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
