// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 marker sites: the patching primitives.
 *
 * kernel/markers_patch.c decides what to patch and when; this file builds
 * the instructions (a NOP or a B at a site, a BL in its out-of-line block)
 * and applies a batch of them as jump labels do: each with
 * aarch64_insn_patch_text_nosync(), then one kick_all_cpus_sync() for the
 * batch. B, BL and NOP may be exchanged for one another while other CPUs
 * execute them, so no stop_machine() is needed.
 *
 * A BL reaches +-128 MiB. A direct probe out of reach of a site is not
 * called directly: its call stays on the dispatcher, which calls it. A
 * site whose BL does not reach the dispatcher itself (a module placed far
 * from the kernel, its call resolved to a PLT) is refused when its module
 * is loaded and stays off.
 */

#include <linux/kernel.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/sizes.h>
#include <linux/smp.h>
#include <linux/string.h>

#include <asm/insn.h>
#include <asm/patching.h>

static void marker_put_insn(struct marker_poke *poke, void *code, u32 insn)
{
	__le32 le = cpu_to_le32(insn);

	poke->addr = code;
	poke->len = AARCH64_INSN_SIZE;
	memcpy(poke->insn, &le, AARCH64_INSN_SIZE);
}

/**
 * arch_marker_nop_len - the length of the NOP a site was built with
 * @code: the jump's address
 *
 * Return: 4, or 0 if @code holds something else.
 */
int arch_marker_nop_len(const void *code)
{
	return le32_to_cpup(code) == aarch64_insn_gen_nop() ?
	       AARCH64_INSN_SIZE : 0;
}

/**
 * arch_marker_jump_len - the length of the jump or NOP at a jump
 * @code: the jump's address
 *
 * Return: 4.
 */
int arch_marker_jump_len(const void *code)
{
	return AARCH64_INSN_SIZE;
}

/**
 * arch_marker_gen_jump - build the jump of a site, or its NOP
 * @poke: filled in
 * @code: the jump's address
 * @target: the out-of-line block
 * @on: a B to @target, else a NOP
 */
void arch_marker_gen_jump(struct marker_poke *poke, void *code, void *target,
			  bool on)
{
	u32 insn = aarch64_insn_gen_nop();

	if (on)
		insn = aarch64_insn_gen_branch_imm((unsigned long)code,
						   (unsigned long)target,
						   AARCH64_INSN_BRANCH_NOLINK);
	marker_put_insn(poke, code, insn);
}

/**
 * arch_marker_gen_call - build the call of a site's out-of-line block
 * @poke: filled in
 * @code: the call's address
 * @dest: the function called
 *
 * Return: false if @dest is out of reach of a BL at @code.
 */
bool arch_marker_gen_call(struct marker_poke *poke, void *code, void *dest)
{
	long offset = (long)dest - (long)code;
	u32 insn;

	/* checked here: aarch64_insn_gen_branch_imm() would log an error */
	if (offset < -SZ_128M || offset >= SZ_128M)
		return false;
	insn = aarch64_insn_gen_branch_imm((unsigned long)code,
					   (unsigned long)dest,
					   AARCH64_INSN_BRANCH_LINK);
	marker_put_insn(poke, code, insn);
	return insn != AARCH64_BREAK_FAULT;
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
		__marker_arm64_dispatch0, __marker_arm64_dispatch1,
		__marker_arm64_dispatch2, __marker_arm64_dispatch3,
		__marker_arm64_dispatch4, __marker_arm64_dispatch5,
	};

	if (site->nargs <= MARKER_MAX_DIRECT_ARGS)
		return by_nargs[site->nargs];
	return __marker_arm64_dispatch;
}

/**
 * arch_markers_apply - patch a batch of instructions
 * @pokes: the instructions, in address order
 * @nr: how many
 *
 * As arch_jump_label_transform_queue() and _apply(): each write cleans its
 * own cache line; one IPI to every CPU ends the batch.
 */
void arch_markers_apply(const struct marker_poke *pokes, unsigned int nr)
{
	unsigned int i;
	__le32 le;

	for (i = 0; i < nr; i++) {
		memcpy(&le, pokes[i].insn, AARCH64_INSN_SIZE);
		aarch64_insn_patch_text_nosync(pokes[i].addr,
					       le32_to_cpu(le));
	}
	kick_all_cpus_sync();
}

/*
 * A va_list on arm64 (AAPCS64) whose register save areas are used up:
 * va_arg() takes every argument from __stack, one 8-byte slot each, the
 * array the site stored on its stack.
 */
struct marker_arm64_va_list {
	const void *stack;
	const void *gr_top;
	const void *vr_top;
	int gr_offs;
	int vr_offs;
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
	struct marker_arm64_va_list va = { .stack = args };

	BUILD_BUG_ON(sizeof(va) != sizeof(va_list));
	((marker_probe_func *)probe->func)(probe->probe_private, NULL,
					   site->format, (va_list *)&va);
}
