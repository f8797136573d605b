// SPDX-License-Identifier: GPL-2.0
/* Must not build: the marker's name given as a string. */
#include <linux/init.h>
#include <linux/markers.h>
#include <linux/module.h>

static int __init mt_cf_init(void)
{
	int a = 1;

	trace_mark("mt_cf_name", "a %d", a);
	return 0;
}
module_init(mt_cf_init);

MODULE_DESCRIPTION("compile-fail case: a string as the name");
MODULE_LICENSE("GPL");
