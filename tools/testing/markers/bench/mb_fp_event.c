// SPDX-License-Identifier: GPL-2.0
/* make bench, footprint: 100 TRACE_EVENTs, one used in each function. */
#define CREATE_TRACE_POINTS
#include "mb_fp_event_trace.h"

#define MB_FP_SITE(n)	trace_mb_fp_ev_##n(a, b, c)
#include "mb_fp.h"
