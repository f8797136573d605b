// SPDX-License-Identifier: GPL-2.0
/* make bench, footprint: 100 dynamic debug callsites, one per function. */
#include <linux/printk.h>

#define MB_FP_SITE(n)	pr_debug("mb_fp_" #n " a %d b %d c %d\n", a, b, c)
#include "mb_fp.h"
