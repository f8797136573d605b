/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of the marker dispatcher from a site's out-of-line block.
 *
 * The block has saved every caller-saved register, so this is an ordinary
 * C call from here on. On entry %rax holds the site and the site's
 * arguments are stored one per 8-byte slot at 8(%rsp), just above the
 * return address. %rdi and %rsi..%r9 hold what a direct probe would get
 * and are ignored here.
 */
#include <linux/export.h>
#include <linux/linkage.h>

	.text
SYM_FUNC_START(__marker_x86_dispatch)
	mov	%rax, %rdi
	lea	8(%rsp), %rsi
	jmp	__marker_dispatch
SYM_FUNC_END(__marker_x86_dispatch)
EXPORT_SYMBOL_GPL(__marker_x86_dispatch)
