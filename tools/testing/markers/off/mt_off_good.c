// SPDX-License-Identifier: GPL-2.0
/*
 * Marked code compiled as if CONFIG_MARKERS=n: the markers must leave
 * nothing behind (no section, no call), and their arguments must not be
 * evaluated. autoconf.h is included before this file, so undefining the
 * option here is what a kernel without markers sees.
 */
#undef CONFIG_MARKERS
#include <linux/markers.h>
#include <linux/module.h>

static int mt_off_evaluated;

static noinline int mt_off_side_effect(void)
{
	return ++mt_off_evaluated;
}

static __used noinline int mt_off_marked(int a, const char *s)
{
	trace_mark(mt_off_event, "a %d s %s n %d", a, s, mt_off_side_effect());
	_trace_mark(mt_off_generic, MARK_NOARGS);
	return a + mt_off_evaluated;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: markers configured out");
