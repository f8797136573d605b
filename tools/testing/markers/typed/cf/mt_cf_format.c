// SPDX-License-Identifier: GPL-2.0
/* Builds with one -Wformat warning: a long for a %d. */
#include <linux/init.h>
#include <linux/markers.h>
#include <linux/module.h>

static int __init mt_cf_init(void)
{
	long a = 1;

	trace_mark(mt_cf_format, "a %d", a);
	return 0;
}
module_init(mt_cf_init);

MODULE_DESCRIPTION("compile-warn case: an argument that is not its conversion's type");
MODULE_LICENSE("GPL");
