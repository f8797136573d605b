// SPDX-License-Identifier: GPL-2.0
/*
 * The marker mt_refmt with the format "val %d", and mt_ptr, a pointer
 * printed hashed and as a number, for vm/52-trace-lifecycle.sh. Reading
 * the parameter fire fires both; mt_refmt_b.c has mt_refmt as "name %s".
 */

#include <linux/markers.h>
#include <linux/module.h>

static int mt_refmt_a_fire(char *buffer, const struct kernel_param *kp)
{
	trace_mark(mt_refmt, "val %d", 7);
	trace_mark(mt_ptr, "p %p v %lx", kp, (unsigned long)kp);
	return sysfs_emit(buffer, "fired\n");
}

static const struct kernel_param_ops mt_refmt_a_fire_ops = {
	.get = mt_refmt_a_fire,
};
module_param_cb(fire, &mt_refmt_a_fire_ops, NULL, 0444);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: mt_refmt with the format \"val %d\"");
