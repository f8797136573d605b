// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, arming cost: 1000 markers with distinct names, mb_arm_1000 to
 * mb_arm_1999, one site each, for one glob write to set_marker; and 1000
 * static keys with one site each, which writing 1 (or 0) to the "keys"
 * parameter enables (or disables) one by one, as dynamic debug does for
 * its callsites. The time the keys took is printed as
 * "mb_arm: keys <0|1> <n> <ns>".
 *
 * Writing anything to "fire" runs every site once (a check that the sites
 * are reachable code).
 */

#define pr_fmt(fmt) "mb_arm: " fmt

#include <linux/jump_label.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/markers.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#define MB_NR_KEYS	1000

static struct static_key_false mb_keys[MB_NR_KEYS] = {
	[0 ... MB_NR_KEYS - 1] = STATIC_KEY_FALSE_INIT,
};

static unsigned long mb_key_hits;

/* Site n: the marker mb_arm_<n>, and a branch on static key n - 1000. */
#define MB_ARM(n)							\
	do {								\
		trace_mark(mb_arm_##n, MARK_NOARGS);		\
		if (static_branch_unlikely(&mb_keys[(n) - 1000]))	\
			mb_key_hits++;					\
	} while (0)
#define MB_ARM10(t)							\
	do {								\
		MB_ARM(t##0); MB_ARM(t##1); MB_ARM(t##2);		\
		MB_ARM(t##3); MB_ARM(t##4); MB_ARM(t##5);		\
		MB_ARM(t##6); MB_ARM(t##7); MB_ARM(t##8);		\
		MB_ARM(t##9);						\
	} while (0)
#define MB_ARM100(h)							\
	do {								\
		MB_ARM10(h##0); MB_ARM10(h##1); MB_ARM10(h##2);		\
		MB_ARM10(h##3); MB_ARM10(h##4); MB_ARM10(h##5);		\
		MB_ARM10(h##6); MB_ARM10(h##7); MB_ARM10(h##8);		\
		MB_ARM10(h##9);						\
	} while (0)

static noinline void mb_arm_fire_0(void)
{
	MB_ARM100(10);
}

static noinline void mb_arm_fire_1(void)
{
	MB_ARM100(11);
}

static noinline void mb_arm_fire_2(void)
{
	MB_ARM100(12);
}

static noinline void mb_arm_fire_3(void)
{
	MB_ARM100(13);
}

static noinline void mb_arm_fire_4(void)
{
	MB_ARM100(14);
}

static noinline void mb_arm_fire_5(void)
{
	MB_ARM100(15);
}

static noinline void mb_arm_fire_6(void)
{
	MB_ARM100(16);
}

static noinline void mb_arm_fire_7(void)
{
	MB_ARM100(17);
}

static noinline void mb_arm_fire_8(void)
{
	MB_ARM100(18);
}

static noinline void mb_arm_fire_9(void)
{
	MB_ARM100(19);
}

static int mb_arm_set_fire(const char *val, const struct kernel_param *kp)
{
	mb_arm_fire_0();
	mb_arm_fire_1();
	mb_arm_fire_2();
	mb_arm_fire_3();
	mb_arm_fire_4();
	mb_arm_fire_5();
	mb_arm_fire_6();
	mb_arm_fire_7();
	mb_arm_fire_8();
	mb_arm_fire_9();
	pr_info("fired; %lu key sites on\n", mb_key_hits);
	mb_key_hits = 0;
	return 0;
}

static const struct kernel_param_ops mb_arm_fire_ops = {
	.set = mb_arm_set_fire,
};
module_param_cb(fire, &mb_arm_fire_ops, NULL, 0200);
MODULE_PARM_DESC(fire, "write anything: run every site once");

static int mb_arm_set_keys(const char *val, const struct kernel_param *kp)
{
	unsigned int i;
	bool on;
	u64 t0;
	int ret;

	ret = kstrtobool(val, &on);
	if (ret)
		return ret;
	t0 = ktime_get_ns();
	for (i = 0; i < MB_NR_KEYS; i++) {
		if (on)
			static_branch_enable(&mb_keys[i]);
		else
			static_branch_disable(&mb_keys[i]);
	}
	pr_info("keys %d %u %llu\n", on, MB_NR_KEYS, ktime_get_ns() - t0);
	return 0;
}

static const struct kernel_param_ops mb_arm_keys_ops = {
	.set = mb_arm_set_keys,
};
module_param_cb(keys, &mb_arm_keys_ops, NULL, 0200);
MODULE_PARM_DESC(keys, "1: enable the 1000 static keys one by one, 0: disable them");

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel markers benchmark: 1000 markers and 1000 static keys");
