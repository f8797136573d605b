// SPDX-License-Identifier: GPL-2.0
/*
 * A marked module for the in-VM tests. Writing N to
 * /sys/module/mt_marked/parameters/fire fires mt_mod_event N times; the
 * init function fires mt_mod_init_event once, from init text that is freed
 * after loading.
 */

#include <linux/markers.h>
#include <linux/module.h>

static unsigned long mt_marked_seq;

static noinline void mt_marked_event(void)
{
	mt_marked_seq++;
	trace_mark(mt_mod_event, "seq %lu tag %s", mt_marked_seq, "mt");
}

static int mt_marked_fire(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	while (n--)
		mt_marked_event();
	return 0;
}

static const struct kernel_param_ops mt_marked_fire_ops = {
	.set = mt_marked_fire,
};
module_param_cb(fire, &mt_marked_fire_ops, NULL, 0200);
MODULE_PARM_DESC(fire, "fire mt_mod_event this many times");

static int __init mt_marked_init(void)
{
	trace_mark(mt_mod_init_event, "stage %d", 1);
	return 0;
}

static void __exit mt_marked_exit(void)
{
}

module_init(mt_marked_init);
module_exit(mt_marked_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: a marked module");
