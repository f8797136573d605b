// SPDX-License-Identifier: GPL-2.0
/*
 * ARCH=arm64 make bench, in the kernel: what one site costs, case by case,
 * in one boot; the arm64 counterpart of the x86 bench's mb_bench.c, with
 * its cases of a marker and of a tracepoint (same functions, same names).
 *
 * Each case is a loop calling a small function (a * 3 + (b ^ c)) that holds
 * the site with three arguments. The instructions are counted by the PMU:
 * a pinned kernel counter of PERF_COUNT_HW_INSTRUCTIONS on this CPU, read
 * before and after the whole loop with interrupts off, by the PMU driver's
 * read() as perf_event_read_local() does (which is not exported). QEMU's
 * TCG implements that event (INST_RETIRED) only under -icount shift=N,
 * where it is exact: every guest instruction retired at EL1, including
 * the read's own, which case a subtracts. get_cycles() would not do: the
 * generic timer ticks once per 16 instructions under -icount shift=0.
 *
 * The loop runs "reps" times and every total is printed; bench/arm64/
 * report.py takes the median and subtracts case a (the same function
 * without a site). Writing to "run" runs every case.
 *
 * Results are kernel log lines "mb_pmu: R <case> <iters> <total>...",
 * failures "mb_pmu: E <case> <error>"; the "failures" parameter counts
 * the latter.
 */

#define pr_fmt(fmt) "mb_pmu: " fmt

#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/markers.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/perf_event.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/stdarg.h>
#include <linux/tracepoint.h>

#define MB_FORMAT	"a %d b %d c %d"

static unsigned int iters = 1000;
module_param(iters, uint, 0644);
MODULE_PARM_DESC(iters, "iterations of each timed loop");
static unsigned int reps = 9;
module_param(reps, uint, 0644);
MODULE_PARM_DESC(reps, "timed loops per case (the report takes the median)");
static unsigned int failures;
module_param(failures, uint, 0444);
MODULE_PARM_DESC(failures, "cases that could not run");

DECLARE_TRACE(mb_bench_tp, TP_PROTO(int a, int b, int c), TP_ARGS(a, b, c));
DEFINE_TRACE(mb_bench_tp, TP_PROTO(int a, int b, int c), TP_ARGS(a, b, c));

/* The functions the loops call: the same computation, one site each. */
#define MB_BODY(a, b, c)	((a) * 3 + ((b) ^ (c)))

static __used __noipa int mb_fn_none(int a, int b, int c)
{
	return MB_BODY(a, b, c);
}

static __used __noipa int mb_fn_marker(int a, int b, int c)
{
	trace_mark(mb_bench_site, MB_FORMAT, a, b, c);
	return MB_BODY(a, b, c);
}

static __used __noipa int mb_fn_tracepoint(int a, int b, int c)
{
	trace_mb_bench_tp(a, b, c);
	return MB_BODY(a, b, c);
}

static int mb_sink;
static struct perf_event *mb_counter;

/* Instructions retired so far; interrupts are off, the counter is ours. */
static __always_inline u64 mb_count(void)
{
	mb_counter->pmu->read(mb_counter);
	return local64_read(&mb_counter->count);
}

/* One counted loop per function, each calling it directly. */
#define MB_LOOP(fn)							\
static noinline u64 mb_loop_##fn(unsigned int n)			\
{									\
	unsigned int i;							\
	int acc = 0;							\
	u64 t0, t1;							\
									\
	t0 = mb_count();						\
	for (i = 0; i < n; i++)						\
		acc += mb_fn_##fn(i, i + 1, i + 2);			\
	t1 = mb_count();						\
	WRITE_ONCE(mb_sink, acc);					\
	return t1 - t0;							\
}

MB_LOOP(none)
MB_LOOP(marker)
MB_LOOP(tracepoint)

/* The loop alone, for reference. */
static noinline u64 mb_loop_empty(unsigned int n)
{
	unsigned int i;
	int acc = 0;
	u64 t0, t1;

	t0 = mb_count();
	for (i = 0; i < n; i++) {
		acc += i;
		OPTIMIZER_HIDE_VAR(acc);
	}
	t1 = mb_count();
	WRITE_ONCE(mb_sink, acc);
	return t1 - t0;
}

/* Empty probes, one of each kind. */
static void mb_probe_direct(void *priv, int a, int b, int c)
{
}

static void mb_probe_direct2(void *priv, int a, int b, int c)
{
}

static void mb_probe_va(void *probe_private, void *call_private,
			const char *fmt, va_list *args)
{
}

static void mb_probe_tp(void *data, int a, int b, int c)
{
}

#include "mb_connect.h"

struct mb_case {
	const char *id;
	u64 (*loop)(unsigned int n);
	int (*on)(void);
	int (*off)(void);
};

static const struct mb_case mb_cases[] = {
	{ "a0", mb_loop_empty },
	{ "a", mb_loop_none },
	{ "b", mb_loop_marker },
	{ "c", mb_loop_tracepoint },
	{ "f", mb_loop_marker, mb_direct_on, mb_direct_off },
	{ "f_va", mb_loop_marker, mb_va_on, mb_va_off },
	{ "g", mb_loop_marker, mb_two_on, mb_two_off },
	{ "g3", mb_loop_marker, mb_three_on, mb_three_off },
	{ "h", mb_loop_tracepoint, mb_tp_on, mb_tp_off },
	{ "h2", mb_loop_tracepoint, mb_tp2_on, mb_tp2_off },
	{ "h3", mb_loop_tracepoint, mb_tp3_on, mb_tp3_off },
};

#define MB_LINE_MAX	900

static void mb_run_case(const struct mb_case *c, char *line)
{
	unsigned long flags;
	unsigned int r;
	size_t len;
	int ret;
	u64 t;

	/* a counter the PMU could not schedule reads nothing: refuse */
	if (READ_ONCE(mb_counter->state) != PERF_EVENT_STATE_ACTIVE) {
		pr_err("E %s counter not active (state %d)\n", c->id,
		       READ_ONCE(mb_counter->state));
		failures++;
		return;
	}
	ret = c->on ? c->on() : 0;
	if (ret) {
		pr_err("E %s %d\n", c->id, ret);
		failures++;
		return;
	}
	len = scnprintf(line, MB_LINE_MAX, "R %s %u", c->id, iters);
	for (r = 0; r < reps; r++) {
		local_irq_save(flags);
		t = c->loop(iters);
		local_irq_restore(flags);
		len += scnprintf(line + len, MB_LINE_MAX - len, " %llu", t);
	}
	ret = c->off ? c->off() : 0;
	pr_info("%s\n", line);
	if (ret) {
		pr_err("E %s %d (when disconnecting)\n", c->id, ret);
		failures++;
	}
}

/*
 * Every case on one CPU, the counter's: migration is off (the cases
 * sleep in their set-up, so preemption cannot be).
 */
static int mb_run(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.config = PERF_COUNT_HW_INSTRUCTIONS,
		.size = sizeof(attr),
		.pinned = 1,
		.exclude_user = 1,
		.exclude_hv = 1,
	};
	char *line;
	unsigned int i;
	int cpu, ret = 0;

	if (!iters || !reps || reps > 64)
		return -EINVAL;
	line = kmalloc(MB_LINE_MAX, GFP_KERNEL);
	if (!line)
		return -ENOMEM;
	migrate_disable();
	cpu = smp_processor_id();
	mb_counter = perf_event_create_kernel_counter(&attr, cpu, NULL, NULL,
						      NULL);
	if (IS_ERR(mb_counter)) {
		ret = PTR_ERR(mb_counter);
		pr_err("E counter %d (no PMU instruction counter: QEMU needs -icount)\n",
		       ret);
		failures++;
		goto out;
	}
	pr_info("I counter PERF_COUNT_HW_INSTRUCTIONS on cpu %d\n", cpu);
	for (i = 0; i < ARRAY_SIZE(mb_cases); i++) {
		mb_run_case(&mb_cases[i], line);
		cond_resched();
	}
	perf_event_release_kernel(mb_counter);
out:
	migrate_enable();
	kfree(line);
	return ret;
}

static int mb_set_run(const char *val, const struct kernel_param *kp)
{
	return mb_run();
}

static const struct kernel_param_ops mb_run_ops = {
	.set = mb_set_run,
};
module_param_cb(run, &mb_run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "write anything: run every case");

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel markers benchmark on arm64: instructions per site, by the PMU");
