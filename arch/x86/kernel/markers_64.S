/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entries of the marker dispatchers from a site's out-of-line block.
 *
 * The block has saved every caller-saved register, so this is an ordinary
 * C call from here on. On entry %rax holds the site and the site's
 * arguments are stored one per 8-byte slot at 8(%rsp), just above the
 * return address; %rdi and %rsi..%r9 hold what a direct probe would get.
 */
#include <linux/export.h>
#include <linux/linkage.h>
#include <linux/objtool.h>

/*
 * No ENDBR: the entries are only ever called directly, by the sites'
 * calls, which the registry writes; their addresses are taken only to
 * build those calls. One instruction less per hit of a dispatched site.
 */
#define MARKER_ENTRY_START(name)				\
	SYM_START(name, SYM_L_GLOBAL, SYM_F_ALIGN)		\
	ANNOTATE_NOENDBR

	.text
MARKER_ENTRY_START(__marker_x86_dispatch)
	mov	%rax, %rdi
	lea	8(%rsp), %rsi
	jmp	__marker_dispatch
SYM_FUNC_END(__marker_x86_dispatch)
EXPORT_SYMBOL_GPL(__marker_x86_dispatch)

/*
 * The entries of sites with N <= 5 arguments: %rsi..%r9 already hold them,
 * as for a direct probe; only the site goes in %rdi, in place of the
 * private data.
 */
.macro MARKER_DISPATCH_ENTRY n
MARKER_ENTRY_START(__marker_x86_dispatch\n)
	mov	%rax, %rdi
	jmp	__marker_dispatch\n
SYM_FUNC_END(__marker_x86_dispatch\n)
EXPORT_SYMBOL_GPL(__marker_x86_dispatch\n)
.endm

	MARKER_DISPATCH_ENTRY 0
	MARKER_DISPATCH_ENTRY 1
	MARKER_DISPATCH_ENTRY 2
	MARKER_DISPATCH_ENTRY 3
	MARKER_DISPATCH_ENTRY 4
	MARKER_DISPATCH_ENTRY 5
