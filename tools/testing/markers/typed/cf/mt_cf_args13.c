// SPDX-License-Identifier: GPL-2.0
/* Must not build: a marker with 13 arguments, one more than it takes. */
#include <linux/markers.h>
#include <linux/module.h>

void mt_cf_args13(int a);
void mt_cf_args13(int a)
{
	trace_mark(mt_cf_args13,
		   "a %d b %d c %d d %d e %d f %d g %d h %d i %d j %d k %d l %d m %d",
		   a, a, a, a, a, a, a, a, a, a, a, a, a);
}

MODULE_DESCRIPTION("compile-fail case: 13 arguments");
MODULE_LICENSE("GPL");
