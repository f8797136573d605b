// SPDX-License-Identifier: GPL-2.0
/* Must not build: a marker with 13 arguments, one more than it takes. */
#include <linux/init.h>
#include <linux/markers.h>
#include <linux/module.h>

static int __init mt_cf_init(void)
{
	int a = 1;

	trace_mark(mt_cf_args13,
		   "a %d b %d c %d d %d e %d f %d g %d h %d i %d j %d k %d l %d m %d",
		   a, a, a, a, a, a, a, a, a, a, a, a, a);
	return 0;
}
module_init(mt_cf_init);

MODULE_DESCRIPTION("compile-fail case: 13 arguments");
MODULE_LICENSE("GPL");
