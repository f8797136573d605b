// SPDX-License-Identifier: GPL-2.0
/* Builds with one -Wformat warning: a long for a %d. */
#include <linux/markers.h>
#include <linux/module.h>

void mt_cf_format(long a);
void mt_cf_format(long a)
{
	trace_mark(mt_cf_format, "a %d", a);
}

MODULE_DESCRIPTION("compile-warn case: an argument that is not its conversion's type");
MODULE_LICENSE("GPL");
