// SPDX-License-Identifier: GPL-2.0
/*
 * 200 markers with distinct names, mt_many_100 to mt_many_299, to check
 * that enabling them all with one glob is one patching sequence.
 * Writing anything to the "fire" parameter fires each of them once.
 *
 * Writing N to "fire_irq" fires the marker mt_irq N times from a hard
 * interrupt (an hrtimer in HRTIMER_MODE_REL_HARD), 100 us apart.
 */

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/markers.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#define MT_MANY(n)	trace_mark(mt_many_##n, "n %d", n)
#define MT_MANY10(t)							\
	do {								\
		MT_MANY(t##0); MT_MANY(t##1); MT_MANY(t##2);		\
		MT_MANY(t##3); MT_MANY(t##4); MT_MANY(t##5);		\
		MT_MANY(t##6); MT_MANY(t##7); MT_MANY(t##8);		\
		MT_MANY(t##9);						\
	} while (0)
#define MT_MANY100(h)							\
	do {								\
		MT_MANY10(h##0); MT_MANY10(h##1); MT_MANY10(h##2);	\
		MT_MANY10(h##3); MT_MANY10(h##4); MT_MANY10(h##5);	\
		MT_MANY10(h##6); MT_MANY10(h##7); MT_MANY10(h##8);	\
		MT_MANY10(h##9);					\
	} while (0)

static noinline void mt_many_fire(void)
{
	MT_MANY100(1);
	MT_MANY100(2);
}

static int mt_many_set_fire(const char *val, const struct kernel_param *kp)
{
	mt_many_fire();
	return 0;
}

static const struct kernel_param_ops mt_many_fire_ops = {
	.set = mt_many_set_fire,
};
module_param_cb(fire, &mt_many_fire_ops, NULL, 0200);

static struct hrtimer mt_irq_timer;
static atomic_t mt_irq_left;

static enum hrtimer_restart mt_irq_fire(struct hrtimer *timer)
{
	int left = atomic_dec_return(&mt_irq_left);

	trace_mark(mt_irq, "left %d hardirq %d", left, !!in_hardirq());
	if (left <= 0)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(100 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static int mt_many_set_fire_irq(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret || !n)
		return ret ?: -EINVAL;
	hrtimer_cancel(&mt_irq_timer);
	atomic_set(&mt_irq_left, n);
	hrtimer_start(&mt_irq_timer, ns_to_ktime(100 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_HARD);
	return 0;
}

static const struct kernel_param_ops mt_many_fire_irq_ops = {
	.set = mt_many_set_fire_irq,
};
module_param_cb(fire_irq, &mt_many_fire_irq_ops, NULL, 0200);

static int __init mt_many_init(void)
{
	hrtimer_init(&mt_irq_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	mt_irq_timer.function = mt_irq_fire;
	return 0;
}

static void __exit mt_many_exit(void)
{
	hrtimer_cancel(&mt_irq_timer);
}

module_init(mt_many_init);
module_exit(mt_many_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel markers test: 200 distinct markers");
