// SPDX-License-Identifier: GPL-2.0
/*
 * Markers that get no trace event, for vm/52-trace-lifecycle.sh: two
 * named as the files of events/markers/ (enable, filter), one with a name
 * longer than the registry accepts (133 bytes) and one whose format a
 * record cannot keep (%pd reads a dentry's name through the pointer when
 * printed). Each is said once, when the module loads; the markers
 * themselves still work.
 * Reading the parameter fire fires them.
 */

#include <linux/markers.h>
#include <linux/module.h>

/* the name, 133 bytes, pasted from three parts to fit in lines */
#define MT_PASTE(a, b, c)	a##b##c
#define MT_LONG_NAME	MT_PASTE(mt_long_name_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx, \
				 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx, \
				 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx)

static struct dentry *mt_badname_dentry;

static int mt_badname_fire(char *buffer, const struct kernel_param *kp)
{
	trace_mark(enable, "v %d", 1);
	trace_mark(filter, "v %d", 2);
	trace_mark(mt_unsupported, "name %pd", mt_badname_dentry);
	trace_mark(mt_unsupported, "name %pd", mt_badname_dentry);
	trace_mark(MT_LONG_NAME, "v %d", 3);
	return sysfs_emit(buffer, "fired\n");
}

static const struct kernel_param_ops mt_badname_fire_ops = {
	.get = mt_badname_fire,
};
module_param_cb(fire, &mt_badname_fire_ops, NULL, 0444);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: markers that get no trace event");
