/* SPDX-License-Identifier: GPL-2.0 */
/*
 * make bench, footprint: 100 functions mb_fp_fn_100 to mb_fp_fn_199, each
 * computing a * 3 + (b ^ c) around MB_FP_SITE(n), which the including file
 * defines (nothing, a marker, a TRACE_EVENT, a pr_debug). report.py
 * subtracts the object without sites from the others and divides by 100.
 */
#ifndef MB_FP_H
#define MB_FP_H

#include <linux/compiler.h>
#include <linux/module.h>

#include "mb_x.h"

#define MB_FP_FN(n)							\
static __used noinline int mb_fp_fn_##n(int a, int b, int c)		\
{									\
	MB_FP_SITE(n);							\
	return a * 3 + (b ^ c);						\
}

MB_X100(MB_FP_FN, 1);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel markers benchmark: footprint of 100 sites");

#endif /* MB_FP_H */
