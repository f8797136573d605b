/* SPDX-License-Identifier: GPL-2.0 */
/*
 * make bench: the TRACE_EVENT that the marker event of mb_bench.c is
 * measured against (cases ev_c, ev_te, pf_te): the fields a marker of
 * format "pid %d len %lu comm %s" gets (int pid, unsigned long len, string
 * comm) and the same printed line; and the TRACE_EVENT of the %pI4 cases
 * (ip_c, ip_te, ip_pf_te).
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

/*
 * The %pI4 case (ip_te): an address kept as TRACE_EVENT keeps one, four
 * bytes copied into an __array() field, and a port: what a marker of
 * format "addr %pI4 port %u" gets.
 */
TRACE_EVENT(mb_bench_ip,
	TP_PROTO(const u8 *addr, unsigned int port),
	TP_ARGS(addr, port),
	TP_STRUCT__entry(
		__array(u8, addr, 4)
		__field(unsigned int, port)
	),
	TP_fast_assign(
		memcpy(__entry->addr, addr, 4);
		__entry->port = port;
	),
	TP_printk("addr %pI4 port %u", __entry->addr, __entry->port)
);

#endif /* _MB_BENCH_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE mb_bench_trace
#include <trace/define_trace.h>
