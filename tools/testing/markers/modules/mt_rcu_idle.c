// SPDX-License-Identifier: GPL-2.0
/*
 * A marker hit where RCU is not watching, for vm/58-rcu-watching.sh.
 * Writing N to /sys/module/mt_rcu_idle/parameters/fire fires mt_rcu_idle
 * with the value N, as any code would; writing N to fire_idle fires it
 * between ct_idle_enter() and ct_idle_exit(), where the idle loop tells
 * RCU that this CPU is idle. A kernel with lockdep must warn about that
 * hit, naming the marker, and call no probe.
 */

#include <linux/context_tracking.h>
#include <linux/irqflags.h>
#include <linux/markers.h>
#include <linux/module.h>

static noinline void mt_rcu_idle_hit(unsigned int n)
{
	trace_mark(mt_rcu_idle, "n %u", n);
}

static int mt_rcu_idle_fire(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	mt_rcu_idle_hit(n);
	return 0;
}

static int mt_rcu_idle_fire_idle(const char *val,
				 const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	local_irq_disable();
	ct_idle_enter();
	mt_rcu_idle_hit(n);
	ct_idle_exit();
	local_irq_enable();
	return 0;
}

static const struct kernel_param_ops mt_rcu_idle_fire_ops = {
	.set = mt_rcu_idle_fire,
};
module_param_cb(fire, &mt_rcu_idle_fire_ops, NULL, 0200);
MODULE_PARM_DESC(fire, "fire mt_rcu_idle with this value");

static const struct kernel_param_ops mt_rcu_idle_fire_idle_ops = {
	.set = mt_rcu_idle_fire_idle,
};
module_param_cb(fire_idle, &mt_rcu_idle_fire_idle_ops, NULL, 0200);
MODULE_PARM_DESC(fire_idle, "fire mt_rcu_idle with this value, RCU not watching");

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: a marker hit where RCU is not watching");
