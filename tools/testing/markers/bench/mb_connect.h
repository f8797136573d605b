/* SPDX-License-Identifier: GPL-2.0 */
/*
 * make bench: the set-up and tear-down of the cases that connect a probe,
 * shared by mb_bench.c (x86, -icount) and arm64/mb_pmu.c (arm64, the
 * PMU), which define before including it: MB_FORMAT, the marker
 * mb_bench_site and the tracepoint mb_bench_tp with their arguments
 * (int a, int b, int c), and the empty probes mb_probe_direct,
 * mb_probe_direct2, mb_probe_va and mb_probe_tp.
 */
#ifndef _MB_CONNECT_H
#define _MB_CONNECT_H

static int mb_private[3];

/* Set-up and tear-down of the cases that connect something. */
static int mb_direct_on(void)
{
	return marker_probe_register_direct("mb_bench_site", MB_FORMAT,
					    mb_probe_direct, &mb_private[0]);
}

static int mb_direct_off(void)
{
	int ret = marker_probe_unregister_direct("mb_bench_site",
						 mb_probe_direct,
						 &mb_private[0]);

	marker_synchronize_unregister();
	return ret;
}

static int mb_va_on(void)
{
	return marker_probe_register("mb_bench_site", MB_FORMAT, mb_probe_va,
				     NULL);
}

static int mb_va_off(void)
{
	int ret = marker_probe_unregister("mb_bench_site", mb_probe_va, NULL);

	marker_synchronize_unregister();
	return ret;
}

static int mb_two_on(void)
{
	int ret = mb_direct_on();

	if (ret)
		return ret;
	ret = marker_probe_register_direct("mb_bench_site", MB_FORMAT,
					   mb_probe_direct2, &mb_private[1]);
	if (ret)
		mb_direct_off();
	return ret;
}

static int mb_two_off(void)
{
	int ret = marker_probe_unregister_direct("mb_bench_site",
						 mb_probe_direct2,
						 &mb_private[1]);

	return mb_direct_off() ?: ret;
}

/* A third direct probe: the first one again, with other private data. */
static int mb_three_on(void)
{
	int ret = mb_two_on();

	if (ret)
		return ret;
	ret = marker_probe_register_direct("mb_bench_site", MB_FORMAT,
					   mb_probe_direct, &mb_private[2]);
	if (ret)
		mb_two_off();
	return ret;
}

static int mb_three_off(void)
{
	int ret = marker_probe_unregister_direct("mb_bench_site",
						 mb_probe_direct,
						 &mb_private[2]);

	return mb_two_off() ?: ret;
}

/* @nr probes on the tracepoint: mb_probe_tp with data 0, 1, 2. */
static int mb_tp_on_n(int nr)
{
	int i, ret = 0;

	for (i = 0; i < nr && !ret; i++)
		ret = register_trace_mb_bench_tp(mb_probe_tp, &mb_private[i]);
	while (ret && --i > 0)
		unregister_trace_mb_bench_tp(mb_probe_tp, &mb_private[i - 1]);
	return ret;
}

static int mb_tp_off_n(int nr)
{
	int i, ret = 0;

	for (i = 0; i < nr; i++)
		ret = unregister_trace_mb_bench_tp(mb_probe_tp,
						   &mb_private[i]) ?: ret;
	tracepoint_synchronize_unregister();
	return ret;
}

static int mb_tp_on(void)
{
	return mb_tp_on_n(1);
}

static int mb_tp_off(void)
{
	return mb_tp_off_n(1);
}

static int mb_tp2_on(void)
{
	return mb_tp_on_n(2);
}

static int mb_tp2_off(void)
{
	return mb_tp_off_n(2);
}

static int mb_tp3_on(void)
{
	return mb_tp_on_n(3);
}

static int mb_tp3_off(void)
{
	return mb_tp_off_n(3);
}

#endif /* _MB_CONNECT_H */
