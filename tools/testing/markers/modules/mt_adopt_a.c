// SPDX-License-Identifier: GPL-2.0
/*
 * The marker mt_adopt with the format "a %d", for vm/50-core.sh: see
 * mt_adopt_probe.c. It fires once, when the module is loaded.
 */

#include <linux/markers.h>
#include <linux/module.h>
#include <linux/uaccess.h>

/*
 * Reading the parameter jump_table tries to rewrite the first entry of the
 * module's __markers_jump with its own value: "read-only" once the module
 * is live, as for __jump_table.
 */
static int mt_jump_table_get(char *buffer, const struct kernel_param *kp)
{
	struct marker_jump *jump = THIS_MODULE->marker_jumps;
	s32 code;

	if (!THIS_MODULE->num_marker_jumps)
		return sysfs_emit(buffer, "none\n");
	/* copy_to_kernel_nofault() is not exported: its core is a macro */
	code = READ_ONCE(jump->code);
	pagefault_disable();
	__put_kernel_nofault(&jump->code, &code, s32, fault);
	pagefault_enable();
	return sysfs_emit(buffer, "writable\n");
fault:
	pagefault_enable();
	return sysfs_emit(buffer, "read-only\n");
}

static const struct kernel_param_ops mt_jump_table_ops = {
	.get = mt_jump_table_get,
};
module_param_cb(jump_table, &mt_jump_table_ops, NULL, 0444);

static noinline void mt_adopt_a_fire(int v)
{
	trace_mark(mt_adopt, "a %d", v);
}

static int __init mt_adopt_a_init(void)
{
	mt_adopt_a_fire(1);
	return 0;
}

static void __exit mt_adopt_a_exit(void)
{
}

module_init(mt_adopt_a_init);
module_exit(mt_adopt_a_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: mt_adopt with the format \"a %d\"");
