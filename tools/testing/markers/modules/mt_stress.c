// SPDX-License-Identifier: GPL-2.0
/*
 * SMP stress of marker patching, for tools/testing/markers/vm/30-smp-stress.sh.
 *
 * Writing 1 to /sys/module/mt_stress/parameters/run starts:
 *
 *  - one "firing" kthread bound to each online CPU, which fires three
 *    markers (four sites) in a loop: mt_stress_a (two sites, two
 *    arguments), mt_stress_b (four, a string among them) and mt_stress_c
 *    (six: more than a site can pass to a direct probe, so its direct
 *    probes are always called through the dispatcher);
 *  - two "changing" kthreads, which connect and disconnect probes to those
 *    markers, singly and in marker_probes_change() batches, so that the
 *    sites go from no probe to one, to several and back, and between a
 *    direct call and the dispatcher, while they fire.
 *
 * Writing 0 stops them; every probe is then disconnected and checked, and
 * the read-only parameters hold the figures the script asserts.
 *
 * Each marker has five probe slots, each with its own probe function, three
 * direct (d0, d1, d2) and two va_list (v0, v1): changer 0 owns d0, d1 and
 * v0, so that it can swap one direct probe for another in one batch;
 * changer 1 owns d2 and v1. Each registration of a slot is a session with
 * a sequence number, and its private data is that session's entry in
 * mt_sessions[][], which is how a probe finds out which session called it.
 *
 * The slot's generation, gen = 4 * session + phase, tells everybody where
 * the slot is: phase 1 while the registration runs, 2 once it returned, 3
 * from the start of the unregistration, and 4 * (session + 1) (phase 0)
 * once marker_synchronize_unregister() returned after it.
 *
 *  - A firing thread reads the generations of a marker's slots before and
 *    after firing it, with preemption disabled. If a slot read phase 2 both
 *    times, the hit happened entirely while the probe was connected: the
 *    session "expects" it. Any session overlapping the hit "may" get it.
 *  - A probe reads its slot's generation when called: a session older than
 *    the slot's current one means it was called after
 *    marker_synchronize_unregister() returned ("late"), a newer one or
 *    phase 0 before its registration began ("early"); private data outside
 *    its own slot's sessions is another probe's ("foreign").
 *  - When a session is over, its changer checks that it counted at least
 *    the hits it expected ("lost" otherwise) and at most those it may have
 *    got ("excess" otherwise).
 *  - A direct probe counts the calls that come straight from a site
 *    ("direct_calls"), to show that the sites did call probes directly.
 *
 * The "fault" parameter injects a fault that each of these checks must
 * catch, to check the checks.
 *
 * Why the check of a session waits for the changer's next grace period: a
 * firing thread that read phase 3 just before the slot went to phase 0 may
 * still be adding to the session's "may get" count; the next
 * marker_synchronize_unregister() of the changer waits for it, as its
 * preemption-disabled section began before that store.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/markers.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#define MT_FMT_A	"cpu %u seq %lu"
#define MT_FMT_B	"cpu %u seq %lu tag %s check %lx"
#define MT_FMT_C	"cpu %u seq %lu a %d b %d c %d check %lx"

/* The low bits of a hit's sequence number are the firing CPU. */
#define MT_CPU_BITS	10
#define MT_CPU_MASK	((1UL << MT_CPU_BITS) - 1)
#define MT_CHECK	0x5a5a5a5a5a5a5a5aUL

enum { MT_A, MT_B, MT_C, MT_NR_MARKERS };
enum { MT_D0, MT_D1, MT_V0, MT_D2, MT_V1, MT_PER_MARKER };

#define MT_NR_SLOTS	(MT_NR_MARKERS * MT_PER_MARKER)
#define MT_SLOT(marker, n)	((marker) * MT_PER_MARKER + (n))

/*
 * Session entries per slot, used in turn. A session's entry is reused four
 * sessions later: each session end waits for a grace period, so a probe
 * call late enough to land on the reused entry is beyond any doubt.
 */
#define MT_RING		4

/* Phases of a slot's generation; 0 is between sessions. */
#define MT_REGISTERING	1
#define MT_CONNECTED	2
#define MT_LEAVING	3

/**
 * struct mt_session - one registration of a slot's probe, its private data
 * @seq: the session's number, counted per slot
 * @hits: calls of the probe with this session
 * @expected: hits fired while the generation read phase 2 of this session
 *	      before and after
 * @possible: hits whose firing overlapped phases 1 to 3 of this session
 */
struct mt_session {
	unsigned long seq;
	atomic_long_t hits;
	atomic_long_t expected;
	atomic_long_t possible;
};

/**
 * struct mt_slot - a probe function, connected to its marker or not
 * @gen: 4 * session + phase; written only by the changer owning the slot
 * @connected: the owner's view: registered and not yet unregistered
 * @pending: the last session ended, its check waits for a grace period
 */
struct mt_slot {
	unsigned long gen;
	bool connected;
	bool pending;
};

static struct mt_session mt_sessions[MT_NR_SLOTS][MT_RING];
static struct mt_slot mt_slots[MT_NR_SLOTS];

static const char mt_tag[] = "mt_stress";
static const char *const mt_names[MT_NR_MARKERS] = {
	"mt_stress_a", "mt_stress_b", "mt_stress_c",
};

static const char *const mt_formats[MT_NR_MARKERS] = {
	MT_FMT_A, MT_FMT_B, MT_FMT_C,
};

/*
 * Faults to inject, to check that the checks catch them: announce a
 * connection before registering (lost hits), end a session before
 * unregistering (late calls), register with another slot's session
 * (foreign private data).
 */
enum { MT_FAULT_NONE, MT_FAULT_LOST, MT_FAULT_LATE, MT_FAULT_FOREIGN };
static int fault;
module_param(fault, int, 0444);
MODULE_PARM_DESC(fault, "0, or a fault to inject: 1 lost, 2 late, 3 foreign");

/* The figures, exposed as read-only parameters of the same names. */
static atomic_long_t fired, counted, expected, possible, lost, excess;
static atomic_long_t late, early, foreign, bad_args, sessions;
static atomic_long_t direct_sessions, batches, singles, api_errors, workers;
static atomic_long_t direct_calls;

static int mt_counter_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(kp->arg));
}

static const struct kernel_param_ops mt_counter_ops = {
	.get = mt_counter_get,
};

module_param_cb(fired, &mt_counter_ops, &fired, 0444);
MODULE_PARM_DESC(fired, "markers fired by the firing threads");
module_param_cb(counted, &mt_counter_ops, &counted, 0444);
MODULE_PARM_DESC(counted, "probe calls counted by the sessions");
module_param_cb(expected, &mt_counter_ops, &expected, 0444);
MODULE_PARM_DESC(expected, "hits fired while their probe was connected");
module_param_cb(possible, &mt_counter_ops, &possible, 0444);
MODULE_PARM_DESC(possible, "hits that overlapped a session of their probe");
module_param_cb(lost, &mt_counter_ops, &lost, 0444);
MODULE_PARM_DESC(lost, "expected hits that their probe did not count");
module_param_cb(excess, &mt_counter_ops, &excess, 0444);
MODULE_PARM_DESC(excess, "probe calls beyond the hits overlapping the session");
module_param_cb(late, &mt_counter_ops, &late, 0444);
MODULE_PARM_DESC(late, "probe calls after marker_synchronize_unregister()");
module_param_cb(early, &mt_counter_ops, &early, 0444);
MODULE_PARM_DESC(early, "probe calls before their registration began");
module_param_cb(foreign, &mt_counter_ops, &foreign, 0444);
MODULE_PARM_DESC(foreign, "probe calls with another probe's private data");
module_param_cb(bad_args, &mt_counter_ops, &bad_args, 0444);
MODULE_PARM_DESC(bad_args, "probe calls with arguments other than those fired");
module_param_cb(sessions, &mt_counter_ops, &sessions, 0444);
MODULE_PARM_DESC(sessions, "registrations connected, disconnected and checked");
module_param_cb(direct_sessions, &mt_counter_ops, &direct_sessions, 0444);
MODULE_PARM_DESC(direct_sessions, "sessions of direct probes");
module_param_cb(direct_calls, &mt_counter_ops, &direct_calls, 0444);
MODULE_PARM_DESC(direct_calls, "probe calls made by a site patched to the probe");
module_param_cb(batches, &mt_counter_ops, &batches, 0444);
MODULE_PARM_DESC(batches, "marker_probes_change() calls of several changes");
module_param_cb(singles, &mt_counter_ops, &singles, 0444);
MODULE_PARM_DESC(singles, "register/unregister calls of one probe");
module_param_cb(api_errors, &mt_counter_ops, &api_errors, 0444);
MODULE_PARM_DESC(api_errors, "registry calls that failed");
module_param_cb(workers, &mt_counter_ops, &workers, 0444);
MODULE_PARM_DESC(workers, "firing threads started");

static void mt_reset_counters(void)
{
	atomic_long_t *all[] = {
		&fired, &counted, &expected, &possible, &lost, &excess, &late,
		&early, &foreign, &bad_args, &sessions, &direct_sessions,
		&batches, &singles, &api_errors, &workers, &direct_calls,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(all); i++)
		atomic_long_set(all[i], 0);
}

/* What every probe does once it has checked its arguments. */
static void mt_hit(void *priv, unsigned int slot, bool args_ok)
{
	struct mt_session *s = priv;
	unsigned long off, gen, seq;

	off = (unsigned long)priv - (unsigned long)mt_sessions[slot];

	if (off >= sizeof(mt_sessions[slot]) || off % sizeof(*s)) {
		atomic_long_inc(&foreign);
		return;
	}
	seq = READ_ONCE(s->seq);
	gen = READ_ONCE(mt_slots[slot].gen);
	if (gen / 4 > seq) {
		atomic_long_inc(&late);
		return;
	}
	if (gen < 4 * seq + MT_REGISTERING) {
		atomic_long_inc(&early);
		return;
	}
	if (!args_ok)
		atomic_long_inc(&bad_args);
	atomic_long_inc(&s->hits);
}

/*
 * What direct probes do: also count the calls that came straight from a
 * site (from this module's text) rather than through the dispatcher.
 */
static void mt_direct_hit(void *priv, unsigned int slot, unsigned long caller,
			  bool args_ok)
{
	if (within_module(caller, THIS_MODULE))
		atomic_long_inc(&direct_calls);
	mt_hit(priv, slot, args_ok);
}

/*
 * The arguments are derived from the sequence number, so that a probe
 * given another hit's or another marker's arguments notices.
 */
static bool mt_args_ok(unsigned int cpu, unsigned long seq)
{
	return cpu == smp_processor_id() && (seq & MT_CPU_MASK) == cpu;
}

static bool mt_args_b_ok(unsigned int cpu, unsigned long seq, const char *tag,
			 unsigned long check)
{
	return mt_args_ok(cpu, seq) && tag == mt_tag && check == ~seq;
}

static bool mt_args_c_ok(unsigned int cpu, unsigned long seq, int a, int b,
			 int c, unsigned long check)
{
	return mt_args_ok(cpu, seq) && a == (int)(seq & 0xffff) && b == -a &&
	       c == (int)(cpu ^ 0x5a) && check == (seq ^ MT_CHECK);
}

/* Direct probes: one function per slot, so that each knows its slot. */
static void mt_a_d0(void *priv, unsigned int cpu, unsigned long seq)
{
	mt_direct_hit(priv, MT_SLOT(MT_A, MT_D0), _RET_IP_,
		      mt_args_ok(cpu, seq));
}

static void mt_a_d1(void *priv, unsigned int cpu, unsigned long seq)
{
	mt_direct_hit(priv, MT_SLOT(MT_A, MT_D1), _RET_IP_,
		      mt_args_ok(cpu, seq));
}

static void mt_a_d2(void *priv, unsigned int cpu, unsigned long seq)
{
	mt_direct_hit(priv, MT_SLOT(MT_A, MT_D2), _RET_IP_,
		      mt_args_ok(cpu, seq));
}

static void mt_b_d0(void *priv, unsigned int cpu, unsigned long seq,
		    const char *tag, unsigned long check)
{
	mt_direct_hit(priv, MT_SLOT(MT_B, MT_D0), _RET_IP_,
		      mt_args_b_ok(cpu, seq, tag, check));
}

static void mt_b_d1(void *priv, unsigned int cpu, unsigned long seq,
		    const char *tag, unsigned long check)
{
	mt_direct_hit(priv, MT_SLOT(MT_B, MT_D1), _RET_IP_,
		      mt_args_b_ok(cpu, seq, tag, check));
}

static void mt_b_d2(void *priv, unsigned int cpu, unsigned long seq,
		    const char *tag, unsigned long check)
{
	mt_direct_hit(priv, MT_SLOT(MT_B, MT_D2), _RET_IP_,
		      mt_args_b_ok(cpu, seq, tag, check));
}

static void mt_c_d0(void *priv, unsigned int cpu, unsigned long seq, int a,
		    int b, int c, unsigned long check)
{
	mt_direct_hit(priv, MT_SLOT(MT_C, MT_D0), _RET_IP_,
		      mt_args_c_ok(cpu, seq, a, b, c, check));
}

static void mt_c_d1(void *priv, unsigned int cpu, unsigned long seq, int a,
		    int b, int c, unsigned long check)
{
	mt_direct_hit(priv, MT_SLOT(MT_C, MT_D1), _RET_IP_,
		      mt_args_c_ok(cpu, seq, a, b, c, check));
}

static void mt_c_d2(void *priv, unsigned int cpu, unsigned long seq, int a,
		    int b, int c, unsigned long check)
{
	mt_direct_hit(priv, MT_SLOT(MT_C, MT_D2), _RET_IP_,
		      mt_args_c_ok(cpu, seq, a, b, c, check));
}

/* va_list probes: read the arguments the way the format says. */
static bool mt_va_ok(unsigned int marker, const char *fmt, va_list *args)
{
	unsigned long seq, check;
	unsigned int cpu;
	const char *tag;
	int a, b, c;

	if (strcmp(fmt, mt_formats[marker]))
		return false;
	cpu = va_arg(*args, unsigned int);
	seq = va_arg(*args, unsigned long);
	switch (marker) {
	case MT_A:
		return mt_args_ok(cpu, seq);
	case MT_B:
		tag = va_arg(*args, const char *);
		check = va_arg(*args, unsigned long);
		return mt_args_b_ok(cpu, seq, tag, check);
	default:
		a = va_arg(*args, int);
		b = va_arg(*args, int);
		c = va_arg(*args, int);
		check = va_arg(*args, unsigned long);
		return mt_args_c_ok(cpu, seq, a, b, c, check);
	}
}

static __printf(3, 0) void mt_a_v0(void *priv, void *call_private,
				   const char *fmt, va_list *args)
{
	mt_hit(priv, MT_SLOT(MT_A, MT_V0), mt_va_ok(MT_A, fmt, args));
}

static __printf(3, 0) void mt_a_v1(void *priv, void *call_private,
				   const char *fmt, va_list *args)
{
	mt_hit(priv, MT_SLOT(MT_A, MT_V1), mt_va_ok(MT_A, fmt, args));
}

static __printf(3, 0) void mt_b_v0(void *priv, void *call_private,
				   const char *fmt, va_list *args)
{
	mt_hit(priv, MT_SLOT(MT_B, MT_V0), mt_va_ok(MT_B, fmt, args));
}

static __printf(3, 0) void mt_b_v1(void *priv, void *call_private,
				   const char *fmt, va_list *args)
{
	mt_hit(priv, MT_SLOT(MT_B, MT_V1), mt_va_ok(MT_B, fmt, args));
}

static __printf(3, 0) void mt_c_v0(void *priv, void *call_private,
				   const char *fmt, va_list *args)
{
	mt_hit(priv, MT_SLOT(MT_C, MT_V0), mt_va_ok(MT_C, fmt, args));
}

static __printf(3, 0) void mt_c_v1(void *priv, void *call_private,
				   const char *fmt, va_list *args)
{
	mt_hit(priv, MT_SLOT(MT_C, MT_V1), mt_va_ok(MT_C, fmt, args));
}

/* The probe of each slot, in slot order (MT_SLOT()): direct or va_list. */
static const struct {
	void *direct;
	marker_probe_func *va;
} mt_probes[MT_NR_SLOTS] = {
	{ .direct = mt_a_d0 }, { .direct = mt_a_d1 }, { .va = mt_a_v0 },
	{ .direct = mt_a_d2 }, { .va = mt_a_v1 },
	{ .direct = mt_b_d0 }, { .direct = mt_b_d1 }, { .va = mt_b_v0 },
	{ .direct = mt_b_d2 }, { .va = mt_b_v1 },
	{ .direct = mt_c_d0 }, { .direct = mt_c_d1 }, { .va = mt_c_v0 },
	{ .direct = mt_c_d2 }, { .va = mt_c_v1 },
};

static bool mt_slot_direct(unsigned int slot)
{
	return mt_probes[slot].direct;
}

static void *mt_probe_func(unsigned int slot)
{
	return mt_probes[slot].direct ?: (void *)mt_probes[slot].va;
}

/* The sites. Two for mt_stress_a: enabling a marker patches all its sites. */
static noinline void mt_fire_a(unsigned int cpu, unsigned long seq)
{
	trace_mark(mt_stress_a, MT_FMT_A, cpu, seq);
}

static noinline void mt_fire_a_again(unsigned int cpu, unsigned long seq)
{
	trace_mark(mt_stress_a, MT_FMT_A, cpu, seq);
}

static noinline void mt_fire_b(unsigned int cpu, unsigned long seq)
{
	trace_mark(mt_stress_b, MT_FMT_B, cpu, seq, mt_tag, ~seq);
}

static noinline void mt_fire_c(unsigned int cpu, unsigned long seq)
{
	int a = seq & 0xffff;

	trace_mark(mt_stress_c, MT_FMT_C, cpu, seq, a, -a, (int)(cpu ^ 0x5a),
		   seq ^ MT_CHECK);
}

/*
 * Fire site @site once and account the hit to the sessions of its marker.
 * Preemption stays disabled from the first read of the generations to the
 * last update of the counters, so that a changer's grace period waits for
 * the whole of it.
 */
static void mt_fire_one(unsigned int site, unsigned long n)
{
	static const unsigned int marker_of[] = { MT_A, MT_A, MT_B, MT_C };
	unsigned int i, slot, cpu, marker = marker_of[site];
	unsigned long before[MT_PER_MARKER], after, seq, k;
	struct mt_session *s;

	preempt_disable();
	cpu = smp_processor_id();
	seq = (n << MT_CPU_BITS) | cpu;
	for (i = 0; i < MT_PER_MARKER; i++)
		before[i] = READ_ONCE(mt_slots[MT_SLOT(marker, i)].gen);
	/* The site must not run before those reads. */
	smp_rmb();
	switch (site) {
	case 0:
		mt_fire_a(cpu, seq);
		break;
	case 1:
		mt_fire_a_again(cpu, seq);
		break;
	case 2:
		mt_fire_b(cpu, seq);
		break;
	default:
		mt_fire_c(cpu, seq);
		break;
	}
	/* Nor the reads after it before it. */
	smp_rmb();
	for (i = 0; i < MT_PER_MARKER; i++) {
		slot = MT_SLOT(marker, i);
		after = READ_ONCE(mt_slots[slot].gen);
		/* At most two sessions: ending one needs a grace period. */
		for (k = before[i] / 4; k <= after / 4; k++) {
			if (after < 4 * k + MT_REGISTERING ||
			    before[i] > 4 * k + MT_LEAVING)
				continue;
			s = &mt_sessions[slot][k % MT_RING];
			atomic_long_inc(&s->possible);
			if (before[i] == after && after % 4 == MT_CONNECTED)
				atomic_long_inc(&s->expected);
		}
	}
	preempt_enable();
}

/* Below the changers and the shell, which must not starve. */
#define MT_WORKER_NICE	5
/* Hits counted locally before adding them to "fired". */
#define MT_FLUSH_EVERY	64

static int mt_worker(void *unused)
{
	unsigned long n = 0, site;

	set_user_nice(current, MT_WORKER_NICE);
	while (!kthread_should_stop()) {
		for (site = 0; site < 4; site++)
			mt_fire_one(site, ++n);
		if (!(n % MT_FLUSH_EVERY))
			atomic_long_add(MT_FLUSH_EVERY, &fired);
		cond_resched();
	}
	atomic_long_add(n % MT_FLUSH_EVERY, &fired);
	return 0;
}

/**
 * struct mt_changer - a thread connecting and disconnecting probes
 * @task: the thread
 * @owned: the slots it owns, as a mask of slot numbers
 * @hold_ms: most it sleeps after an operation that left probes connected
 * @idle_ms: most it sleeps after one that left none connected
 * @broken: a registry call failed; stop changing until the end
 */
struct mt_changer {
	struct task_struct *task;
	unsigned long owned;
	unsigned int hold_ms;
	unsigned int idle_ms;
	bool broken;
};

/* The slots in @mask of the first marker, on every marker. */
#define MT_ON_EACH_MARKER(mask)						\
	((mask) * (1UL | 1UL << MT_PER_MARKER | 1UL << (2 * MT_PER_MARKER)))

/*
 * Changer 0 changes often, with up to three probes per marker, two of
 * them direct; changer 1 connects its probes for short whiles, so that
 * the markers are often left with one direct probe of changer 0.
 */
static struct mt_changer mt_changers[] = {
	{
		/* d0, d1 and v0 of each marker */
		.owned = MT_ON_EACH_MARKER(0x7),
		.hold_ms = 2,
		.idle_ms = 2,
	},
	{
		/* d2 and v1 */
		.owned = MT_ON_EACH_MARKER(0x18),
		.hold_ms = 5,
		.idle_ms = 40,
	},
};

static unsigned long mt_connected(const struct mt_changer *c)
{
	unsigned long mask = 0;
	unsigned int slot;

	for_each_set_bit(slot, &c->owned, MT_NR_SLOTS)
		if (mt_slots[slot].connected)
			mask |= BIT(slot);
	return mask;
}

static void mt_set_phase(unsigned int slot, unsigned long phase)
{
	/* Orders the session's fields before the generation announcing it. */
	smp_store_release(&mt_slots[slot].gen,
			  (mt_slots[slot].gen & ~3UL) | phase);
}

/*
 * The session is over: from here on, a call of its probe with its private
 * data is late.
 */
static void mt_end_session(unsigned int slot)
{
	/* Orders the store before what follows, the next grace period too. */
	smp_store_mb(mt_slots[slot].gen, (mt_slots[slot].gen | 3) + 1);
}

/* Check a session that ended before the changer's last grace period. */
static void mt_check_session(unsigned int slot)
{
	unsigned long seq = mt_slots[slot].gen / 4 - 1;
	struct mt_session *s = &mt_sessions[slot][seq % MT_RING];
	long hits = atomic_long_read(&s->hits);
	long want = atomic_long_read(&s->expected);
	long may = atomic_long_read(&s->possible);

	atomic_long_add(hits, &counted);
	atomic_long_add(want, &expected);
	atomic_long_add(may, &possible);
	atomic_long_inc(&sessions);
	if (mt_slot_direct(slot))
		atomic_long_inc(&direct_sessions);
	if (hits < want) {
		atomic_long_add(want - hits, &lost);
		pr_err("probe %ps session %lu: %ld hits fired while connected, %ld counted\n",
		       mt_probe_func(slot), seq, want, hits);
	}
	if (hits > may) {
		atomic_long_add(hits - may, &excess);
		pr_err("probe %ps session %lu: %ld calls, %ld hits overlapping\n",
		       mt_probe_func(slot), seq, hits, may);
	}
	mt_slots[slot].pending = false;
}

/* The historical calls for one change, which are one-change batches inside. */
static int mt_call_one(const struct marker_change *ch)
{
	void *func = ch->probe.func, *priv = ch->probe.probe_private;

	if (ch->probe.flags & MARKER_PROBE_DIRECT) {
		if (ch->connect)
			return marker_probe_register_direct(ch->name,
							    ch->format,
							    func, priv);
		return marker_probe_unregister_direct(ch->name, func, priv);
	}
	if (ch->connect)
		return marker_probe_register(ch->name, ch->format, func, priv);
	return marker_probe_unregister(ch->name, func, priv);
}

/*
 * Make the connected slots of @c be @want: announce the changes in the
 * generations, make them in one registry call, and, if some probe left,
 * wait with marker_synchronize_unregister() and end its session.
 */
static void mt_apply(struct mt_changer *c, unsigned long want)
{
	struct marker_change changes[MT_NR_SLOTS];
	unsigned long diff = (want ^ mt_connected(c)) & c->owned;
	unsigned long leaving = 0;
	unsigned int slot, nr = 0;
	struct mt_session *s;
	int ret;

	if (!diff)
		return;
	for_each_set_bit(slot, &diff, MT_NR_SLOTS) {
		changes[nr] = (struct marker_change) {
			.name = mt_names[slot / MT_PER_MARKER],
			.format = mt_formats[slot / MT_PER_MARKER],
			.probe.func = mt_probe_func(slot),
			.probe.flags = mt_slot_direct(slot) ?
				       MARKER_PROBE_DIRECT : 0,
			.connect = !mt_slots[slot].connected,
		};
		s = &mt_sessions[slot][mt_slots[slot].gen / 4 % MT_RING];
		changes[nr].probe.probe_private = s;
		if (fault == MT_FAULT_FOREIGN)
			changes[nr].probe.probe_private =
				mt_sessions[slot ^ 1] + (s - mt_sessions[slot]);
		if (changes[nr].connect) {
			s->seq = mt_slots[slot].gen / 4;
			atomic_long_set(&s->hits, 0);
			atomic_long_set(&s->expected, 0);
			atomic_long_set(&s->possible, 0);
			mt_set_phase(slot, fault == MT_FAULT_LOST ?
				     MT_CONNECTED : MT_REGISTERING);
		} else if (fault == MT_FAULT_LATE) {
			mt_end_session(slot);
		} else {
			mt_set_phase(slot, MT_LEAVING);
		}
		nr++;
	}

	if (nr == 1 && get_random_u32_below(2)) {
		atomic_long_inc(&singles);
		ret = mt_call_one(&changes[0]);
	} else {
		atomic_long_add(nr > 1, &batches);
		atomic_long_add(nr == 1, &singles);
		ret = marker_probes_change(changes, nr);
	}
	if (ret) {
		atomic_long_inc(&api_errors);
		pr_err("registry call of %u change(s) failed: %d\n", nr, ret);
		c->broken = true;
	}

	nr = 0;
	for_each_set_bit(slot, &diff, MT_NR_SLOTS) {
		if (!changes[nr++].connect) {
			/* On failure it stays connected, still leaving. */
			if (!ret) {
				mt_slots[slot].connected = false;
				leaving |= BIT(slot);
			}
		} else if (ret) {
			/* Never connected: end the session like a departure. */
			mt_set_phase(slot, MT_LEAVING);
			leaving |= BIT(slot);
		} else {
			mt_slots[slot].connected = true;
			mt_set_phase(slot, MT_CONNECTED);
		}
	}
	if (!leaving)
		return;

	marker_synchronize_unregister();
	for_each_set_bit(slot, &c->owned, MT_NR_SLOTS)
		if (mt_slots[slot].pending)
			mt_check_session(slot);
	for_each_set_bit(slot, &leaving, MT_NR_SLOTS) {
		if (mt_slots[slot].gen % 4)
			mt_end_session(slot);
		mt_slots[slot].pending = true;
	}
}

/* The slots of @marker. */
static unsigned long mt_marker_slots(unsigned int marker)
{
	return GENMASK(MT_SLOT(marker, MT_PER_MARKER - 1), MT_SLOT(marker, 0));
}

/* One slot of @mask, at random; @mask must not be empty. */
static unsigned long mt_pick(unsigned long mask)
{
	unsigned int n = get_random_u32_below(hweight_long(mask));
	unsigned int slot;

	for_each_set_bit(slot, &mask, MT_NR_SLOTS)
		if (!n--)
			break;
	return BIT(slot);
}

/* One step of a random walk between the states a marker can be in. */
static void mt_change_step(struct mt_changer *c)
{
	unsigned int marker = get_random_u32_below(MT_NR_MARKERS);
	unsigned long mine = c->owned & mt_marker_slots(marker);
	unsigned long now = mt_connected(c), directs = 0, others;
	unsigned long any = get_random_u32();
	unsigned int slot;

	for_each_set_bit(slot, &mine, MT_NR_SLOTS)
		if (mt_slot_direct(slot))
			directs |= BIT(slot);
	others = now & ~mine;

	switch (get_random_u32_below(8)) {
	case 0:
	case 1:
	case 2:
		/* One probe more or less: 0 -> 1 -> N and back. */
		mt_apply(c, now ^ mt_pick(mine));
		break;
	case 3:
	case 4:
		/* Any other set of probes on this marker, in one batch. */
		mt_apply(c, others | (any & mine));
		break;
	case 5:
		/*
		 * One direct probe alone: from N probes to one, or, if one
		 * direct probe was alone, another one instead in one batch
		 * (a direct call to another, with other private data).
		 */
		if (hweight_long(now & mine) == 1 && (now & directs) &&
		    hweight_long(directs) > 1)
			mt_apply(c, others | mt_pick(directs & ~now));
		else
			mt_apply(c, others | mt_pick(directs));
		break;
	case 6:
		/* All of this marker's probes at once, or none. */
		mt_apply(c, now & mine ? others : others | mine);
		break;
	default:
		/* Any set of probes on every marker, in one batch. */
		mt_apply(c, any & c->owned);
		break;
	}
}

static int mt_changer_fn(void *data)
{
	struct mt_changer *c = data;
	unsigned int slot, ms;

	while (!kthread_should_stop()) {
		if (!c->broken)
			mt_change_step(c);
		ms = mt_connected(c) ? c->hold_ms : c->idle_ms;
		msleep(1 + get_random_u32_below(ms));
	}
	/* Leave nothing connected, and check every session. */
	mt_apply(c, 0);
	marker_synchronize_unregister();
	for_each_set_bit(slot, &c->owned, MT_NR_SLOTS)
		if (mt_slots[slot].pending)
			mt_check_session(slot);
	return 0;
}

static DEFINE_MUTEX(mt_run_lock);
static struct task_struct **mt_workers;
static bool mt_running;

static void mt_stop(void)
{
	unsigned int i, cpu;

	if (!mt_running)
		return;
	/* The changers end under load: the firing threads still run. */
	for (i = 0; i < ARRAY_SIZE(mt_changers); i++) {
		if (mt_changers[i].task)
			kthread_stop(mt_changers[i].task);
		mt_changers[i].task = NULL;
	}
	for_each_possible_cpu(cpu)
		if (mt_workers[cpu])
			kthread_stop(mt_workers[cpu]);
	kfree(mt_workers);
	mt_workers = NULL;
	mt_running = false;
}

static int mt_start(void)
{
	struct task_struct *t = NULL;
	unsigned int i, cpu;

	if (mt_running)
		return -EBUSY;
	mt_workers = kcalloc(nr_cpu_ids, sizeof(*mt_workers), GFP_KERNEL);
	if (!mt_workers)
		return -ENOMEM;
	mt_reset_counters();
	for (i = 0; i < ARRAY_SIZE(mt_changers); i++)
		mt_changers[i].broken = false;
	mt_running = true;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		t = kthread_run_on_cpu(mt_worker, NULL, cpu,
				       "mt_stress_fire/%u");
		if (IS_ERR(t))
			break;
		mt_workers[cpu] = t;
		atomic_long_inc(&workers);
	}
	cpus_read_unlock();
	if (IS_ERR(t))
		goto fail;
	for (i = 0; i < ARRAY_SIZE(mt_changers); i++) {
		t = kthread_run(mt_changer_fn, &mt_changers[i],
				"mt_stress_change/%u", i);
		if (IS_ERR(t))
			goto fail;
		mt_changers[i].task = t;
	}
	return 0;
fail:
	mt_stop();
	return PTR_ERR(t);
}

static int mt_run_set(const char *val, const struct kernel_param *kp)
{
	bool run;
	int ret = kstrtobool(val, &run);

	if (ret)
		return ret;
	mutex_lock(&mt_run_lock);
	if (run)
		ret = mt_start();
	else
		mt_stop();
	mutex_unlock(&mt_run_lock);
	return ret;
}

static int mt_run_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(mt_running));
}

static const struct kernel_param_ops mt_run_ops = {
	.set = mt_run_set,
	.get = mt_run_get,
};
module_param_cb(run, &mt_run_ops, NULL, 0644);
MODULE_PARM_DESC(run, "1 starts the stress, 0 stops it and checks it all");

static int __init mt_stress_init(void)
{
	return 0;
}

static void __exit mt_stress_exit(void)
{
	mutex_lock(&mt_run_lock);
	mt_stop();
	mutex_unlock(&mt_run_lock);
	/* The changers synchronized already; this is for the rule's sake. */
	marker_synchronize_unregister();
}

module_init(mt_stress_init);
module_exit(mt_stress_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: SMP stress of patching under load");
