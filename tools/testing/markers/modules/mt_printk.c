// SPDX-License-Identifier: GPL-2.0
/*
 * Markers written as debug output is: printk-style field names ("key=%u",
 * "key: %#x", "key = %d"), and two strings in one record, which the
 * event's probes write out of line (their general case). Writing N to
 * /sys/module/mt_printk/parameters/fire fires each marker once with N; an
 * odd N passes NULL as the second string.
 */

#include <linux/markers.h>
#include <linux/module.h>

static noinline void mt_printk_event(unsigned int n)
{
	trace_mark(mt_printk_kv, "dev=%s len=%u flags: %#x", "vda", n, 0x11);
	trace_mark(mt_printk_two, "dev=%s drv: %s err = %d", "vda",
		   n & 1 ? NULL : "virtio", -(int)n);
}

static int mt_printk_fire(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (!ret)
		mt_printk_event(n);
	return ret;
}

static const struct kernel_param_ops mt_printk_fire_ops = {
	.set = mt_printk_fire,
};
module_param_cb(fire, &mt_printk_fire_ops, NULL, 0200);
MODULE_PARM_DESC(fire, "fire each marker once with this value");

static void __exit mt_printk_exit(void)
{
}
module_exit(mt_printk_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: printk-style formats");
