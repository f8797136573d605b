// SPDX-License-Identifier: GPL-2.0
/*
 * The marker mt_adopt with the format "b %s", for vm/50-core.sh: see
 * mt_adopt_probe.c. It fires once, when the module is loaded.
 */

#include <linux/markers.h>
#include <linux/module.h>

static noinline void mt_adopt_b_fire(const char *s)
{
	trace_mark(mt_adopt, "b %s", s);
}

static int __init mt_adopt_b_init(void)
{
	mt_adopt_b_fire("x");
	return 0;
}

static void __exit mt_adopt_b_exit(void)
{
}

module_init(mt_adopt_b_init);
module_exit(mt_adopt_b_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: mt_adopt with the format \"b %s\"");
