/* SPDX-License-Identifier: GPL-2.0 */
/*
 * make bench: the TRACE_EVENT that the marker event of mb_bench.c is
 * measured against (cases ev_c, ev_te, pf_te): the fields a marker of
 * format "pid %d len %lu comm %s" gets (int pid, unsigned long len, string
 * comm) and the same printed line.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mb_bench

#if !defined(_MB_BENCH_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MB_BENCH_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(mb_bench_te,
	TP_PROTO(int pid, unsigned long len, const char *comm),
	TP_ARGS(pid, len, comm),
	TP_STRUCT__entry(
		__field(int, pid)
		__field(unsigned long, len)
		__string(comm, comm)
	),
	TP_fast_assign(
		__entry->pid = pid;
		__entry->len = len;
		__assign_str(comm);
	),
	TP_printk("pid %d len %lu comm %s", __entry->pid, __entry->len,
		  __get_str(comm))
);

#endif /* _MB_BENCH_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE mb_bench_trace
#include <trace/define_trace.h>
