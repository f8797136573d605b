// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, in the kernel: what one site costs, case by case, in one boot.
 *
 * Each case is a loop calling a small function (a * 3 + (b ^ c)) that holds
 * the site with three arguments, the way marked code calls marked
 * functions. get_cycles() is read around the whole loop, with interrupts
 * off; under QEMU with -icount shift=0 and one vCPU the TSC counts guest
 * instructions, so the difference divided by the iterations is the exact
 * number of instructions per call. The loop runs "reps" times and every
 * total is printed; tools/testing/markers/bench/report.py takes the median
 * and subtracts case a (the same function without a site).
 *
 * Writing to the "run" parameter runs every case; "run_optprobe" runs the
 * optimized kprobe case, once the script has allowed optimization again
 * (/proc/sys/debug/kprobes-optimization). The recording cases need the
 * script to enable mb_bench_rec through set_marker first.
 *
 * The event cases (ev_*, pf_*) record one event per call of a function
 * with three arguments of other kinds, an int, an unsigned long and a
 * string (current->comm): "pid %d len %lu comm %s". Writing a case's id to
 * "run_case" runs that one case (any case of this file); the script first
 * enables the event in tracefs (ev_mark: events/markers/mb_bench_ev, ev_te:
 * events/mb_bench/mb_bench_te, the TRACE_EVENT of mb_bench_trace.h with the
 * same fields), or opens a perf counting event on it with the ftrace event
 * off (pf_mark, pf_te); ev_prk is trace_printk() of the marker's format.
 * The ip_* cases do the same with an address, "addr %pI4 port %u", against
 * a TRACE_EVENT with an __array(u8, addr, 4) field.
 * A case whose site is not live when it starts is refused (-ENODATA).
 *
 * Results are kernel log lines "mb_bench: R <case> <iters> <total>...",
 * failures "mb_bench: E <case> <error>"; the "failures" parameter counts
 * the latter.
 */

#define pr_fmt(fmt) "mb_bench: " fmt

#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/markers.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/timex.h>
#include <linux/tracepoint.h>

#include <asm/text-patching.h>

#define classic_preempt_disable()	preempt_disable_notrace()
#define classic_preempt_enable()	preempt_enable_notrace()
#include "classic_marker.h"

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

/* After DEFINE_TRACE: define_trace.h leaves DECLARE_TRACE undefined. */
#define CREATE_TRACE_POINTS
#include "mb_bench_trace.h"

DEFINE_CLASSIC_MARKER(mb_bench_classic, MB_FORMAT);

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

static __used __noipa int mb_fn_classic(int a, int b, int c)
{
	classic_trace_mark(mb_bench_classic, MB_FORMAT, a, b, c);
	return MB_BODY(a, b, c);
}

static __used __noipa int mb_fn_pr_debug(int a, int b, int c)
{
	pr_debug(MB_FORMAT "\n", a, b, c);
	return MB_BODY(a, b, c);
}

/* The kprobe target: the same code as mb_fn_none, probed by the cases j. */
static __used __noipa int mb_fn_kprobe(int a, int b, int c)
{
	return MB_BODY(a, b, c);
}

static __used __noipa int mb_fn_record(int a, int b, int c)
{
	trace_mark(mb_bench_rec, MB_FORMAT, a, b, c);
	return MB_BODY(a, b, c);
}

static __used __noipa int mb_fn_trace_printk(int a, int b, int c)
{
	trace_printk(MB_FORMAT "\n", a, b, c);
	return MB_BODY(a, b, c);
}

/*
 * The event cases: an int, an unsigned long and a string, recorded through
 * the marker's trace event, a TRACE_EVENT with the same fields, and
 * trace_printk() of the same format.
 */
#define MB_EV_FORMAT	"pid %d len %lu comm %s"
#define MB_EV_BODY(pid, len, comm)					\
	((pid) * 3 + (int)((len) ^ (unsigned long)(comm)))

static __used __noipa int mb_fn_ev_none(int pid, unsigned long len,
					const char *comm)
{
	return MB_EV_BODY(pid, len, comm);
}

static __used __noipa int mb_fn_ev_marker(int pid, unsigned long len,
					  const char *comm)
{
	trace_mark(mb_bench_ev, MB_EV_FORMAT, pid, len, comm);
	return MB_EV_BODY(pid, len, comm);
}

static __used __noipa int mb_fn_ev_te(int pid, unsigned long len,
				      const char *comm)
{
	trace_mb_bench_te(pid, len, comm);
	return MB_EV_BODY(pid, len, comm);
}

static __used __noipa int mb_fn_ev_printk(int pid, unsigned long len,
					  const char *comm)
{
	trace_printk(MB_EV_FORMAT "\n", pid, len, comm);
	return MB_EV_BODY(pid, len, comm);
}

/*
 * The %pI4 cases: four bytes of an address copied into the record, as a
 * TRACE_EVENT's __array(u8, addr, 4) field is filled, and a port.
 */
#define MB_IP_FORMAT	"addr %pI4 port %u"
#define MB_IP_BODY(addr, port)	((int)(port) * 3 + (addr)[3])

static __used __noipa int mb_fn_ip_none(const u8 *addr, unsigned int port)
{
	return MB_IP_BODY(addr, port);
}

static __used __noipa int mb_fn_ip_marker(const u8 *addr, unsigned int port)
{
	trace_mark(mb_bench_ip, MB_IP_FORMAT, addr, port);
	return MB_IP_BODY(addr, port);
}

static __used __noipa int mb_fn_ip_te(const u8 *addr, unsigned int port)
{
	trace_mb_bench_ip(addr, port);
	return MB_IP_BODY(addr, port);
}

/*
 * Their addresses are taken, as those of most kernel functions may be: all
 * start with the same endbr64 (IBT), the kprobe target too.
 */
static const void *const mb_fns[] __used = {
	mb_fn_none, mb_fn_marker, mb_fn_tracepoint, mb_fn_classic,
	mb_fn_pr_debug, mb_fn_kprobe, mb_fn_record, mb_fn_trace_printk,
	mb_fn_ev_none, mb_fn_ev_marker, mb_fn_ev_te, mb_fn_ev_printk,
	mb_fn_ip_none, mb_fn_ip_marker, mb_fn_ip_te,
};

static int mb_sink;

/* One timed loop per function, each calling it directly. */
#define MB_LOOP(fn)							\
static noinline u64 mb_loop_##fn(unsigned int n)			\
{									\
	cycles_t t0, t1;						\
	unsigned int i;							\
	int acc = 0;							\
									\
	t0 = get_cycles();						\
	for (i = 0; i < n; i++)						\
		acc += mb_fn_##fn(i, i + 1, i + 2);			\
	t1 = get_cycles();						\
	WRITE_ONCE(mb_sink, acc);					\
	return t1 - t0;							\
}

MB_LOOP(none)
MB_LOOP(marker)
MB_LOOP(tracepoint)
MB_LOOP(classic)
MB_LOOP(pr_debug)
MB_LOOP(kprobe)
MB_LOOP(record)
MB_LOOP(trace_printk)

/* The event cases' loops: the same, with the task's name as the string. */
#define MB_EV_LOOP(fn)							\
static noinline u64 mb_loop_##fn(unsigned int n)			\
{									\
	const char *comm = current->comm;				\
	cycles_t t0, t1;						\
	unsigned int i;							\
	int acc = 0;							\
									\
	OPTIMIZER_HIDE_VAR(comm);					\
	t0 = get_cycles();						\
	for (i = 0; i < n; i++)						\
		acc += mb_fn_##fn(i, i + 1UL, comm);			\
	t1 = get_cycles();						\
	WRITE_ONCE(mb_sink, acc);					\
	return t1 - t0;							\
}

MB_EV_LOOP(ev_none)
MB_EV_LOOP(ev_marker)
MB_EV_LOOP(ev_te)
MB_EV_LOOP(ev_printk)

/* The %pI4 cases' loops: 10.0.0.1, the port the iteration's number. */
#define MB_IP_LOOP(fn)							\
static noinline u64 mb_loop_##fn(unsigned int n)			\
{									\
	static u8 addr[4] = { 10, 0, 0, 1 };				\
	const u8 *a = addr;						\
	cycles_t t0, t1;						\
	unsigned int i;							\
	int acc = 0;							\
									\
	OPTIMIZER_HIDE_VAR(a);						\
	t0 = get_cycles();						\
	for (i = 0; i < n; i++)						\
		acc += mb_fn_##fn(a, i);				\
	t1 = get_cycles();						\
	WRITE_ONCE(mb_sink, acc);					\
	return t1 - t0;							\
}

MB_IP_LOOP(ip_none)
MB_IP_LOOP(ip_marker)
MB_IP_LOOP(ip_te)

/* The loop alone, for reference. */
static noinline u64 mb_loop_empty(unsigned int n)
{
	cycles_t t0, t1;
	unsigned int i;
	int acc = 0;

	t0 = get_cycles();
	for (i = 0; i < n; i++) {
		acc += i;
		OPTIMIZER_HIDE_VAR(acc);
	}
	t1 = get_cycles();
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

static void mb_probe_classic(void *probe_private, void *call_private,
			     const char *fmt, va_list *args)
{
}

static int mb_kp_pre(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}

#include "mb_connect.h"

static int mb_classic_on(void)
{
	__classic_mark_mb_bench_classic.single.func = mb_probe_classic;
	WRITE_ONCE(__classic_mark_mb_bench_classic.state, 1);
	return 0;
}

static int mb_classic_off(void)
{
	WRITE_ONCE(__classic_mark_mb_bench_classic.state, 0);
	synchronize_rcu();
	__classic_mark_mb_bench_classic.single.func =
		classic_mark_empty_function;
	return 0;
}

static struct kprobe mb_kp;

/*
 * The offset of the first instruction after the entry's endbr64 and the
 * fentry call (a 5-byte NOP or call): a kprobe there is an int3 (or an
 * optimized jump), not an ftrace-based kprobe.
 */
static int mb_kprobe_body_offset(void)
{
	static const u8 endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	static const u8 nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	const u8 *p = (const u8 *)mb_fn_kprobe;
	int off = 0;

	OPTIMIZER_HIDE_VAR(p);	/* no reference to mb_fn_kprobe + 4 */

	if (!memcmp(p, endbr64, sizeof(endbr64)))
		off += sizeof(endbr64);
	if (!memcmp(p + off, nop5, sizeof(nop5)) || p[off] == 0xe8)
		off += sizeof(nop5);
	else
		return -EILSEQ;
	return off;
}

static int mb_kprobe_on(int off)
{
	if (off < 0)
		return off;
	memset(&mb_kp, 0, sizeof(mb_kp));
	mb_kp.addr = (kprobe_opcode_t *)((unsigned long)mb_fn_kprobe + off);
	mb_kp.pre_handler = mb_kp_pre;
	return register_kprobe(&mb_kp);
}

/*
 * What the kprobe became: an ftrace-based kprobe keeps the flag on the
 * caller's struct kprobe, but an optimized one is an aggregate probe that
 * holds it, so look at the text: an int3 (0xcc) or a jump (0xe9).
 */
static u8 mb_kprobe_insn(void)
{
	return READ_ONCE(*(u8 *)mb_kp.addr);
}

static void mb_kprobe_info(const char *id)
{
	pr_info("I %s kprobe at %pS, first byte %#x%s\n", id, mb_kp.addr,
		mb_kprobe_insn(), kprobe_ftrace(&mb_kp) ? ", ftrace-based" :
		mb_kprobe_insn() == INT3_INSN_OPCODE ? ", int3" :
		mb_kprobe_insn() == JMP32_INSN_OPCODE ? ", optimized" : "");
}

static int mb_kprobe_entry_on(void)
{
	int ret = mb_kprobe_on(0);

	if (!ret)
		mb_kprobe_info("j");
	return ret;
}

static int mb_kprobe_int3_on(void)
{
	int ret = mb_kprobe_on(mb_kprobe_body_offset());

	if (ret)
		return ret;
	mb_kprobe_info("j_int3");
	if (mb_kprobe_insn() != INT3_INSN_OPCODE) {
		unregister_kprobe(&mb_kp);
		return -EAGAIN;
	}
	return 0;
}

static int mb_kprobe_opt_on(void)
{
	int ret = mb_kprobe_on(mb_kprobe_body_offset());
	int i;

	if (ret)
		return ret;
	/* The optimizer works a few jiffies later, from a workqueue. */
	for (i = 0; i < 500 && mb_kprobe_insn() != JMP32_INSN_OPCODE; i++)
		msleep(20);
	mb_kprobe_info("j_opt");
	if (mb_kprobe_insn() != JMP32_INSN_OPCODE) {
		unregister_kprobe(&mb_kp);
		return -EAGAIN;
	}
	return 0;
}

static int mb_kprobe_off(void)
{
	unregister_kprobe(&mb_kp);
	return 0;
}

/* The optimizer must not have come in the middle of the int3 case. */
static int mb_kprobe_int3_off(void)
{
	bool optimized = mb_kprobe_insn() != INT3_INSN_OPCODE;

	unregister_kprobe(&mb_kp);
	return optimized ? -EAGAIN : 0;
}

/*
 * The event cases need the script to have enabled the event (or opened a
 * perf event on it): refuse to measure a site that is not live.
 */
static int mb_ev_marker_live(void)
{
	return trace_mark_enabled(mb_bench_ev) ? 0 : -ENODATA;
}

static int mb_ev_te_live(void)
{
	return trace_mb_bench_te_enabled() ? 0 : -ENODATA;
}

static int mb_ip_marker_live(void)
{
	return trace_mark_enabled(mb_bench_ip) ? 0 : -ENODATA;
}

static int mb_ip_te_live(void)
{
	return trace_mb_bench_ip_enabled() ? 0 : -ENODATA;
}

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
	{ "d", mb_loop_classic },
	{ "e", mb_loop_pr_debug },
	{ "f", mb_loop_marker, mb_direct_on, mb_direct_off },
	{ "f_va", mb_loop_marker, mb_va_on, mb_va_off },
	{ "g", mb_loop_marker, mb_two_on, mb_two_off },
	{ "g3", mb_loop_marker, mb_three_on, mb_three_off },
	{ "h", mb_loop_tracepoint, mb_tp_on, mb_tp_off },
	{ "h2", mb_loop_tracepoint, mb_tp2_on, mb_tp2_off },
	{ "h3", mb_loop_tracepoint, mb_tp3_on, mb_tp3_off },
	{ "i", mb_loop_classic, mb_classic_on, mb_classic_off },
	{ "j", mb_loop_kprobe, mb_kprobe_entry_on, mb_kprobe_off },
	{ "j_int3", mb_loop_kprobe, mb_kprobe_int3_on, mb_kprobe_int3_off },
	{ "k_rec", mb_loop_record },
	{ "k_printk", mb_loop_trace_printk },
	{ "ev_a", mb_loop_ev_none },
	{ "ev_b", mb_loop_ev_marker },
	{ "ev_c", mb_loop_ev_te },
	{ "ip_a", mb_loop_ip_none },
	{ "ip_b", mb_loop_ip_marker },
	{ "ip_c", mb_loop_ip_te },
};

/* Run one by one through "run_case", after the script's set-up of each. */
static const struct mb_case mb_ev_cases[] = {
	{ "ev_mark", mb_loop_ev_marker, mb_ev_marker_live },
	{ "ev_te", mb_loop_ev_te, mb_ev_te_live },
	{ "ev_prk", mb_loop_ev_printk },
	{ "pf_mark", mb_loop_ev_marker, mb_ev_marker_live },
	{ "pf_te", mb_loop_ev_te, mb_ev_te_live },
	{ "ip_mark", mb_loop_ip_marker, mb_ip_marker_live },
	{ "ip_te", mb_loop_ip_te, mb_ip_te_live },
	{ "ip_pf_mark", mb_loop_ip_marker, mb_ip_marker_live },
	{ "ip_pf_te", mb_loop_ip_te, mb_ip_te_live },
};

static const struct mb_case mb_case_optprobe = {
	"j_opt", mb_loop_kprobe, mb_kprobe_opt_on, mb_kprobe_off
};

#define MB_LINE_MAX	900

static void mb_run_case(const struct mb_case *c, char *line)
{
	unsigned long flags;
	unsigned int r;
	size_t len;
	int ret;
	u64 t;

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

static int mb_run(const struct mb_case *cases, unsigned int nr)
{
	char *line;
	unsigned int i;

	if (!iters || !reps || reps > 64)
		return -EINVAL;
	line = kmalloc(MB_LINE_MAX, GFP_KERNEL);
	if (!line)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		mb_run_case(&cases[i], line);
		cond_resched();
	}
	kfree(line);
	return 0;
}

static int mb_set_run(const char *val, const struct kernel_param *kp)
{
	return mb_run(mb_cases, ARRAY_SIZE(mb_cases));
}

static const struct kernel_param_ops mb_run_ops = {
	.set = mb_set_run,
};
module_param_cb(run, &mb_run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "write anything: run every case");

static int mb_set_run_optprobe(const char *val, const struct kernel_param *kp)
{
	return mb_run(&mb_case_optprobe, 1);
}

static const struct kernel_param_ops mb_run_optprobe_ops = {
	.set = mb_set_run_optprobe,
};
module_param_cb(run_optprobe, &mb_run_optprobe_ops, NULL, 0200);
MODULE_PARM_DESC(run_optprobe, "write anything: run the optimized kprobe case");

static const struct mb_case *mb_find_case(const char *id)
{
	static const struct {
		const struct mb_case *cases;
		unsigned int nr;
	} tables[] = {
		{ mb_cases, ARRAY_SIZE(mb_cases) },
		{ mb_ev_cases, ARRAY_SIZE(mb_ev_cases) },
		{ &mb_case_optprobe, 1 },
	};
	unsigned int t, i;

	for (t = 0; t < ARRAY_SIZE(tables); t++)
		for (i = 0; i < tables[t].nr; i++)
			if (!strcmp(tables[t].cases[i].id, id))
				return &tables[t].cases[i];
	return NULL;
}

static int mb_set_run_case(const char *val, const struct kernel_param *kp)
{
	char id[16];
	const struct mb_case *c;

	if (strscpy(id, val, sizeof(id)) < 0)
		return -EINVAL;
	c = mb_find_case(strim(id));
	if (!c)
		return -ENOENT;
	return mb_run(c, 1);
}

static const struct kernel_param_ops mb_run_case_ops = {
	.set = mb_set_run_case,
};
module_param_cb(run_case, &mb_run_case_ops, NULL, 0200);
MODULE_PARM_DESC(run_case, "write a case's id: run that case");

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel markers benchmark: instructions per site, case by case");
