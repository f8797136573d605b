// SPDX-License-Identifier: GPL-2.0
/* Must not build: the marker's name given as a string. */
#include <linux/markers.h>
#include <linux/module.h>

void mt_cf_name(int a);
void mt_cf_name(int a)
{
	trace_mark("mt_cf_name", "a %d", a);
}

MODULE_DESCRIPTION("compile-fail case: a string as the name");
MODULE_LICENSE("GPL");
