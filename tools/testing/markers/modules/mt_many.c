// SPDX-License-Identifier: GPL-2.0
/*
 * 200 markers with distinct names, mt_many_100 to mt_many_299, to check
 * that enabling them all with one glob is one patching sequence.
 * Writing anything to the "fire" parameter fires each of them once.
 */

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

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel markers test: 200 distinct markers");
