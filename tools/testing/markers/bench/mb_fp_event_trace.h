/* SPDX-License-Identifier: GPL-2.0 */
/* make bench, footprint: 100 TRACE_EVENTs, mb_fp_ev_100 to mb_fp_ev_199. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mb_fp_ev

#if !defined(_MB_FP_EVENT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MB_FP_EVENT_TRACE_H

#include <linux/tracepoint.h>

#include "mb_x.h"

#define MB_FP_EVENT(n)							\
	TRACE_EVENT(mb_fp_ev_##n,					\
		TP_PROTO(int a, int b, int c),				\
		TP_ARGS(a, b, c),					\
		TP_STRUCT__entry(__field(int, a)			\
				 __field(int, b)			\
				 __field(int, c)),			\
		TP_fast_assign(__entry->a = a;				\
			       __entry->b = b;				\
			       __entry->c = c;),			\
		TP_printk("a %d b %d c %d", __entry->a, __entry->b,	\
			  __entry->c))

MB_X100(MB_FP_EVENT, 1);

#endif /* _MB_FP_EVENT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE mb_fp_event_trace
#include <trace/define_trace.h>
