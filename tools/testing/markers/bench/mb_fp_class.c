// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, footprint: 100 DEFINE_EVENTs of one DECLARE_EVENT_CLASS, one
 * used in each function.
 */
#define CREATE_TRACE_POINTS
#include "mb_fp_class_trace.h"

#define MB_FP_SITE(n)	trace_mb_fp_cl_##n(a, b, c)
#include "mb_fp.h"
