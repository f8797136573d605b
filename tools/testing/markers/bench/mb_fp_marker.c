// SPDX-License-Identifier: GPL-2.0
/* make bench, footprint: 100 markers, one per function. */
#include <linux/markers.h>

#define MB_FP_SITE(n)	trace_mark(mb_fp_##n, "a %d b %d c %d", a, b, c)
#include "mb_fp.h"
