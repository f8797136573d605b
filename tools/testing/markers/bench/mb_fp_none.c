// SPDX-License-Identifier: GPL-2.0
/* make bench, footprint: the 100 functions without any site (the baseline). */
#define MB_FP_SITE(n)	((void)(n))
#include "mb_fp.h"
