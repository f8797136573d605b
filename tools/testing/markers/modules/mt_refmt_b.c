// SPDX-License-Identifier: GPL-2.0
/*
 * The marker mt_refmt with the format "name %s", for
 * vm/52-trace-lifecycle.sh: the name of mt_refmt_a.c's marker with
 * another record layout. Reading the parameter fire fires it.
 */

#include <linux/markers.h>
#include <linux/module.h>

static int mt_refmt_b_fire(char *buffer, const struct kernel_param *kp)
{
	trace_mark(mt_refmt, "name %s", "hello");
	return sysfs_emit(buffer, "fired\n");
}

static const struct kernel_param_ops mt_refmt_b_fire_ops = {
	.get = mt_refmt_b_fire,
};
module_param_cb(fire, &mt_refmt_b_fire_ops, NULL, 0444);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: mt_refmt with the format \"name %s\"");
