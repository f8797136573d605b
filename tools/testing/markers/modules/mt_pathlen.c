// SPDX-License-Identifier: GPL-2.0
/*
 * The functions whose dormant path tools/testing/markers/pathlen.py
 * measures in the built module: each computation unmarked, with a marker,
 * and with a tracepoint taking the same arguments.
 *
 * f: one value in, little live across the site.
 * g: six values in, three products passed to the site, and all nine
 *    values live after it.
 * h: as f, with an argument computed only when trace_mark_enabled().
 */

#include <linux/markers.h>
#include <linux/module.h>
#include <linux/tracepoint.h>

DECLARE_TRACE(mt_pathlen_f_tp, TP_PROTO(int a, int b), TP_ARGS(a, b));
DEFINE_TRACE(mt_pathlen_f_tp, TP_PROTO(int a, int b), TP_ARGS(a, b));
DECLARE_TRACE(mt_pathlen_g_tp, TP_PROTO(long x, long y, long z),
	      TP_ARGS(x, y, z));
DEFINE_TRACE(mt_pathlen_g_tp, TP_PROTO(long x, long y, long z),
	     TP_ARGS(x, y, z));

static __used noinline int mt_pathlen_f_none(int a, int b)
{
	return a * 3 + b;
}

static __used noinline int mt_pathlen_f_marker(int a, int b)
{
	trace_mark(mt_pathlen_f, "a %d b %d", a, b);
	return a * 3 + b;
}

static __used noinline int mt_pathlen_f_tracepoint(int a, int b)
{
	trace_mt_pathlen_f_tp(a, b);
	return a * 3 + b;
}

#define MT_G_RESULT(a, b, c, d, e, f, x, y, z) \
	((a) ^ (b) ^ (c) ^ (d) ^ (e) ^ (f) ^ ((x) + (y) + (z)))

static __used noinline long
mt_pathlen_g_none(long a, long b, long c, long d, long e, long f)
{
	long x = a * b, y = c * d, z = e * f;

	return MT_G_RESULT(a, b, c, d, e, f, x, y, z);
}

static __used noinline long
mt_pathlen_g_marker(long a, long b, long c, long d, long e, long f)
{
	long x = a * b, y = c * d, z = e * f;

	trace_mark(mt_pathlen_g, "x %ld y %ld z %ld", x, y, z);
	return MT_G_RESULT(a, b, c, d, e, f, x, y, z);
}

static __used noinline long
mt_pathlen_g_tracepoint(long a, long b, long c, long d, long e, long f)
{
	long x = a * b, y = c * d, z = e * f;

	trace_mt_pathlen_g_tp(x, y, z);
	return MT_G_RESULT(a, b, c, d, e, f, x, y, z);
}

/*
 * h: an argument that costs a call to compute, computed only while the
 * marker (or tracepoint) has probes.
 */
DECLARE_TRACE(mt_pathlen_h_tp, TP_PROTO(int sum), TP_ARGS(sum));
DEFINE_TRACE(mt_pathlen_h_tp, TP_PROTO(int sum), TP_ARGS(sum));

static noinline int mt_pathlen_h_sum(int a, int b)
{
	return a + b;
}

static __used noinline int mt_pathlen_h_none(int a, int b)
{
	return a * 3 + b;
}

static __used noinline int mt_pathlen_h_enabled(int a, int b)
{
	if (trace_mark_enabled(mt_pathlen_h))
		trace_mark(mt_pathlen_h, "sum %d", mt_pathlen_h_sum(a, b));
	return a * 3 + b;
}

static __used noinline int mt_pathlen_h_tracepoint(int a, int b)
{
	if (trace_mt_pathlen_h_tp_enabled())
		trace_mt_pathlen_h_tp(mt_pathlen_h_sum(a, b));
	return a * 3 + b;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: dormant path length against tracepoints");
