// SPDX-License-Identifier: GPL-2.0
/*
 * A marked module in variants, for tools/testing/markers/tools-test.sh:
 * each MT_TOOLS_<variant> (set by the Makefile) makes one change to the
 * markers of the base variant, and the test checks what the offline tool
 * tools/markers/markers reports for it. The line of every site is the same
 * in every variant, except where a variant moves one.
 */
#include <linux/init.h>
#include <linux/markers.h>
#include <linux/module.h>

/* the arguments of mt_tools_event, for each variant */
#if defined(MT_TOOLS_appended)
#define MT_TOOLS_EVENT	"pid %d len %lu comm %s", pid, len, comm
#elif defined(MT_TOOLS_type)
#define MT_TOOLS_EVENT	"pid %d len %ld", pid, (long)len
#elif defined(MT_TOOLS_renamed)
#define MT_TOOLS_EVENT	"pid %d size %lu", pid, len
#elif defined(MT_TOOLS_reordered)
#define MT_TOOLS_EVENT	"len %lu pid %d", len, pid
#elif defined(MT_TOOLS_fieldremoved)
#define MT_TOOLS_EVENT	"pid %d", pid
#else
#define MT_TOOLS_EVENT	"pid %d len %lu", pid, len
#endif

static int mt_tools_sum;

/* The same in every variant. */
static noinline void mt_tools_stable_fn(int n)
{
	trace_mark(mt_tools_stable, "n %d", n);
	trace_mark(mt_tools_tick, MARK_NOARGS);
}

/* Its fields change (appended, type, renamed, reordered, fieldremoved). */
static noinline void mt_tools_event_fn(int pid, unsigned long len,
				       const char *comm)
{
	trace_mark(mt_tools_event, MT_TOOLS_EVENT);
}

/* Removed in "removed"; a marker appears in "added". */
static noinline void mt_tools_gone_fn(int x, unsigned int y)
{
#ifndef MT_TOOLS_removed
	trace_mark(mt_tools_gone, "x %d", x);
#endif
#ifdef MT_TOOLS_added
	trace_mark(mt_tools_new, "y %u", y);
#endif
}

/* Its site moves down in "moved". */
static noinline void mt_tools_moving_fn(int n)
{
#ifndef MT_TOOLS_moved
	trace_mark(mt_tools_moving, "n %d", n);
#endif
	mt_tools_sum += n;
#ifdef MT_TOOLS_moved
	trace_mark(mt_tools_moving, "n %d", n);
#endif
}

/* Two sites; "siteremoved" drops the second, "siteadded" adds a third. */
static noinline void mt_tools_twice_fn(int n)
{
	trace_mark(mt_tools_twice, "n %d", n);
	mt_tools_sum += n;
#ifndef MT_TOOLS_siteremoved
	trace_mark(mt_tools_twice, "n %d", n);
#endif
}

static noinline void mt_tools_other_fn(int n)
{
#ifdef MT_TOOLS_siteadded
	trace_mark(mt_tools_twice, "n %d", n);
#endif
	mt_tools_sum -= n;
}

/* Field names refused, every type, and names in printk style ("dev=%s"). */
static noinline void mt_tools_names_fn(int a, const char *s)
{
	trace_mark(mt_tools_names, "int %d common_pid %d x %d x %d 0x%x %s %.*s %%",
		   a, a, a, a, (unsigned int)a, s, a, s);
	trace_mark(mt_tools_types,
		   "a %hhd b %hhu c %hd d %hu e %ld f %lu g %lld h %llu i %zd j %zu k %c l %p",
		   (signed char)a, (unsigned char)a, (short)a,
		   (unsigned short)a, (long)a, (unsigned long)a, (long long)a,
		   (unsigned long long)a, (ssize_t)a, (size_t)a, (char)a, s);
	trace_mark(mt_tools_printk,
		   "dev=%s: len=%u q : %d r = %d k=%*d a==%d dev=%d %s:%d ratio: %d%%",
		   s, (unsigned int)a, a, a, a, a, a, a, s, a, a);
}

static int __init mt_tools_init(void)
{
	mt_tools_stable_fn(1);
	mt_tools_event_fn(2, 3, "comm");
	mt_tools_gone_fn(4, 5);
	mt_tools_moving_fn(6);
	mt_tools_twice_fn(7);
	mt_tools_other_fn(8);
	mt_tools_names_fn(9, "s");
	return 0;
}

static void __exit mt_tools_exit(void)
{
}

module_init(mt_tools_init);
module_exit(mt_tools_exit);
MODULE_DESCRIPTION("Marked module in variants, for the offline markers tool");
MODULE_LICENSE("GPL");
