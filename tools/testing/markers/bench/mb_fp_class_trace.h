/* SPDX-License-Identifier: GPL-2.0 */
/* make bench, footprint: 100 DEFINE_EVENTs, mb_fp_cl_100 to mb_fp_cl_199. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mb_fp_cl

#if !defined(_MB_FP_CLASS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MB_FP_CLASS_TRACE_H

#include <linux/tracepoint.h>

#include "mb_x.h"

DECLARE_EVENT_CLASS(mb_fp_class,
		    TP_PROTO(int a, int b, int c),
		    TP_ARGS(a, b, c),
		    TP_STRUCT__entry(__field(int, a)
				     __field(int, b)
				     __field(int, c)),
		    TP_fast_assign(__entry->a = a;
				   __entry->b = b;
				   __entry->c = c;),
		    TP_printk("a %d b %d c %d", __entry->a, __entry->b,
			      __entry->c));

#define MB_FP_CLASS_EVENT(n)						\
	DEFINE_EVENT(mb_fp_class, mb_fp_cl_##n,				\
		TP_PROTO(int a, int b, int c),				\
		TP_ARGS(a, b, c))

MB_X100(MB_FP_CLASS_EVENT, 1);

#endif /* _MB_FP_CLASS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE mb_fp_class_trace
#include <trace/define_trace.h>
