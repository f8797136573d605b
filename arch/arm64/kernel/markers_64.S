/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entries of the marker dispatchers from a site's out-of-line block.
 *
 * The block has saved every caller-saved register, so this is an ordinary
 * C call from here on. On entry x9 holds the site and the site's arguments
 * are stored one per 8-byte slot at [sp]; x0..x5 hold what a direct probe
 * would get.
 */
#include <linux/export.h>
#include <linux/linkage.h>

	.text
SYM_FUNC_START(__marker_arm64_dispatch)
	mov	x0, x9
	mov	x1, sp
	b	__marker_dispatch
SYM_FUNC_END(__marker_arm64_dispatch)
EXPORT_SYMBOL_GPL(__marker_arm64_dispatch)

/*
 * The entries of sites with N <= 5 arguments: x1..x5 already hold them,
 * as for a direct probe; only the site goes in x0, in place of the
 * private data.
 */
.macro MARKER_DISPATCH_ENTRY n
SYM_FUNC_START(__marker_arm64_dispatch\n)
	mov	x0, x9
	b	__marker_dispatch\n
SYM_FUNC_END(__marker_arm64_dispatch\n)
EXPORT_SYMBOL_GPL(__marker_arm64_dispatch\n)
.endm

	MARKER_DISPATCH_ENTRY 0
	MARKER_DISPATCH_ENTRY 1
	MARKER_DISPATCH_ENTRY 2
	MARKER_DISPATCH_ENTRY 3
	MARKER_DISPATCH_ENTRY 4
	MARKER_DISPATCH_ENTRY 5
