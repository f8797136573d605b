// SPDX-License-Identifier: GPL-2.0
/*
 * A marker whose arguments do not match its format, compiled as if
 * CONFIG_MARKERS=n: the build must still warn (-Wformat).
 */
#undef CONFIG_MARKERS
#include <linux/markers.h>
#include <linux/module.h>

static __used noinline int mt_off_mismatch(int a)
{
	trace_mark(mt_off_mismatch, "s %s", a);
	return a;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: a format mismatch with markers off");
