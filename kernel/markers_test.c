// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kernel markers: the registry's rules, the probes' view of
 * the arguments, the safety of unregistration and of changing probes under
 * load. The patched code itself is markers_patch_test.c's.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* The markers' names, as the registry knows them. */
#define MT_VA		"markers_test_va"
#define MT_DIRECT	"markers_test_direct"
#define MT_NOARGS	"markers_test_noargs"
#define MT_GENERIC	"markers_test_generic"
#define MT_MANY		"markers_test_many"
#define MT_HUNDRED	"markers_test_hundred"
#define MT_NOT_LOADED	"markers_test_not_loaded"
#define MT_NOSUCH	"markers_test_nosuch"
#define MT_FAKE_MODULE	"markers_test_fake_module"

/* The marked functions. noinline keeps one copy of each site. */

static noinline void mt_fire_va(int a, const char *s, u64 c)
{
	trace_mark(markers_test_va, "a %d s %s c %llu", a, s, c);
}

static noinline void mt_fire_direct(unsigned long a, int b)
{
	trace_mark(markers_test_direct, "a %lu b %d", a, b);
}

static noinline void mt_fire_noargs(void)
{
	trace_mark(markers_test_noargs, MARK_NOARGS);
}

static noinline void mt_fire_generic(int a, unsigned long b)
{
	_trace_mark(markers_test_generic, "a %d b %lu", a, b);
}

static noinline void mt_fire_many(int i)
{
	trace_mark(markers_test_many,
		   "%d %d %d %d %d %d %d %d %d %d %d %d",
		   i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6, i + 7, i + 8,
		   i + 9, i + 10, i + 11);
}

#define MT_10(x)	x x x x x x x x x x
#define MT_HUNDRED_SITE	trace_mark(markers_test_hundred, "i %d", i);

/* One marker, one hundred sites. */
static noinline void mt_fire_hundred(int i)
{
	MT_10(MT_10(MT_HUNDRED_SITE))
}

/* What the probes saw. */
struct mt_seen {
	atomic_t calls;
	atomic_t wrong_private;
	char text[160];
	unsigned long a;
	int b;
};

static struct mt_seen mt_seen1, mt_seen2, mt_seen3;

static void mt_reset(void)
{
	memset(&mt_seen1, 0, sizeof(mt_seen1));
	memset(&mt_seen2, 0, sizeof(mt_seen2));
	memset(&mt_seen3, 0, sizeof(mt_seen3));
}

static void __printf(3, 0) mt_va_probe(void *probe_private,
				       void *call_private, const char *fmt,
				       va_list *args)
{
	struct mt_seen *seen = probe_private;
	va_list copy;

	va_copy(copy, *args);
	vsnprintf(seen->text, sizeof(seen->text), fmt, copy);
	va_end(copy);
	atomic_inc(&seen->calls);
}

static void __printf(3, 0) mt_other_va_probe(void *probe_private,
					     void *call_private,
					     const char *fmt, va_list *args)
{
	mt_va_probe(probe_private, call_private, fmt, args);
}

static void mt_direct_probe(void *probe_private, unsigned long a, int b)
{
	struct mt_seen *seen = probe_private;

	seen->a = a;
	seen->b = b;
	atomic_inc(&seen->calls);
}

static void mt_noargs_direct(void *probe_private)
{
	struct mt_seen *seen = probe_private;

	atomic_inc(&seen->calls);
}

static void mt_many_direct(void *probe_private, int a0, int a1, int a2,
			   int a3, int a4, int a5, int a6, int a7, int a8,
			   int a9, int a10, int a11)
{
	struct mt_seen *seen = probe_private;

	seen->a = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
	atomic_inc(&seen->calls);
}

static void mt_generic_direct(void *probe_private, int a, unsigned long b)
{
	struct mt_seen *seen = probe_private;

	seen->a = b;
	seen->b = a;
	atomic_inc(&seen->calls);
}

static void mt_va_probe_test(struct kunit *test)
{
	mt_reset();
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register(MT_VA, "a %d s %s c %llu",
					      mt_va_probe, &mt_seen1));
	mt_fire_va(-5, "hello", 1ULL << 40);
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen1.calls));
	KUNIT_EXPECT_STREQ(test, "a -5 s hello c 1099511627776", mt_seen1.text);

	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister(MT_VA, mt_va_probe, &mt_seen1));
	marker_synchronize_unregister();
	mt_fire_va(1, "x", 2);
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen1.calls));
}

static void mt_direct_probe_test(struct kunit *test)
{
	int ret;

	mt_reset();
	ret = marker_probe_register_direct(MT_DIRECT, "a %lu b %d",
					   mt_direct_probe, &mt_seen1);
	KUNIT_ASSERT_EQ(test, 0, ret);
	mt_fire_direct(~0UL - 1, -3);
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen1.calls));
	KUNIT_EXPECT_EQ(test, ~0UL - 1, mt_seen1.a);
	KUNIT_EXPECT_EQ(test, -3, mt_seen1.b);
	ret = marker_probe_unregister_direct(MT_DIRECT, mt_direct_probe,
					     &mt_seen1);
	KUNIT_EXPECT_EQ(test, 0, ret);
	marker_synchronize_unregister();
	mt_fire_direct(1, 1);
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen1.calls));
}

static void mt_noargs_test(struct kunit *test)
{
	int ret;

	mt_reset();
	ret = marker_probe_register(MT_NOARGS, MARK_NOARGS, mt_va_probe,
				    &mt_seen1);
	KUNIT_ASSERT_EQ(test, 0, ret);
	ret = marker_probe_register_direct(MT_NOARGS, NULL, mt_noargs_direct,
					   &mt_seen2);
	KUNIT_ASSERT_EQ(test, 0, ret);
	mt_fire_noargs();
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen1.calls));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen2.calls));
	KUNIT_EXPECT_STREQ(test, " ", mt_seen1.text);
	ret = marker_probe_unregister(MT_NOARGS, mt_va_probe, &mt_seen1);
	KUNIT_EXPECT_EQ(test, 0, ret);
	ret = marker_probe_unregister_direct(MT_NOARGS, mt_noargs_direct,
					     &mt_seen2);
	KUNIT_EXPECT_EQ(test, 0, ret);
}

static void mt_format_test(struct kunit *test)
{
	mt_reset();
	/* A format that is not the marker's is refused. */
	KUNIT_EXPECT_EQ(test, -EPERM,
			marker_probe_register(MT_VA, "a %d", mt_va_probe,
					      &mt_seen1));
	mt_fire_va(1, "x", 2);
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&mt_seen1.calls));

	/* NULL takes the marker's; later probes must then agree with it. */
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register(MT_VA, NULL, mt_va_probe,
					      &mt_seen1));
	KUNIT_EXPECT_EQ(test, -EPERM,
			marker_probe_register(MT_VA, "a %d s %s", mt_va_probe,
					      &mt_seen2));
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_register(MT_VA, "a %d s %s c %llu",
					      mt_va_probe, &mt_seen2));
	mt_fire_va(3, "y", 4);
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen1.calls));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen2.calls));
	KUNIT_EXPECT_STREQ(test, "a 3 s y c 4", mt_seen1.text);
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister(MT_VA, mt_va_probe, &mt_seen1));
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister(MT_VA, mt_va_probe, &mt_seen2));
}

static void mt_duplicate_test(struct kunit *test)
{
	mt_reset();
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register(MT_VA, NULL, mt_va_probe,
					      &mt_seen1));
	KUNIT_EXPECT_EQ(test, -EBUSY,
			marker_probe_register(MT_VA, NULL, mt_va_probe,
					      &mt_seen1));
	KUNIT_EXPECT_EQ(test, -EBUSY,
			marker_probe_register_direct(MT_VA, NULL, (void *)mt_va_probe,
						     &mt_seen1));
	/* The same probe with other private data is another registration. */
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_register(MT_VA, NULL, mt_va_probe,
					      &mt_seen2));
	mt_fire_va(1, "z", 1);
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen1.calls));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen2.calls));
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister(MT_VA, mt_va_probe, &mt_seen1));
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister(MT_VA, mt_va_probe, &mt_seen2));
}

static void mt_bad_arguments_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL,
			marker_probe_register(NULL, NULL, mt_va_probe, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			marker_probe_register(MT_VA, NULL, NULL, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			marker_probe_register("", NULL, mt_va_probe, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			marker_probe_register_direct(NULL, NULL,
						     mt_direct_probe, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			marker_probe_unregister(NULL, mt_va_probe, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			marker_probe_unregister(MT_VA, NULL, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			marker_probe_unregister_private_data(NULL, NULL));
	KUNIT_EXPECT_TRUE(test,
			  IS_ERR(marker_get_private_data(NULL, mt_va_probe,
							 0)));
}

static void mt_unknown_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -ENOENT,
			marker_probe_unregister(MT_NOSUCH, mt_va_probe,
						&mt_seen1));
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register(MT_VA, NULL, mt_va_probe,
					      &mt_seen1));
	/* Known marker, but not this (probe, private data). */
	KUNIT_EXPECT_EQ(test, -ENOENT,
			marker_probe_unregister(MT_VA, mt_va_probe, &mt_seen2));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			marker_probe_unregister(MT_VA, mt_other_va_probe,
						&mt_seen1));
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister(MT_VA, mt_va_probe, &mt_seen1));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			marker_probe_unregister(MT_VA, mt_va_probe, &mt_seen1));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			marker_probe_unregister_private_data(mt_va_probe,
							     &mt_seen1));
}

static void mt_not_loaded_test(struct kunit *test)
{
	/* A marker no loaded code has: allowed, connects when it appears. */
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register(MT_NOT_LOADED, "x %d",
					      mt_va_probe, &mt_seen1));
	KUNIT_EXPECT_PTR_EQ(test, (void *)&mt_seen1,
			    marker_get_private_data(MT_NOT_LOADED,
						    mt_va_probe, 0));
	KUNIT_EXPECT_EQ(test, -EPERM,
			marker_probe_register(MT_NOT_LOADED, "x %u",
					      mt_va_probe, &mt_seen2));
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister(MT_NOT_LOADED, mt_va_probe,
						&mt_seen1));
	KUNIT_EXPECT_TRUE(test,
			  IS_ERR(marker_get_private_data(MT_NOT_LOADED,
							 mt_va_probe, 0)));
}

static void mt_private_data_test(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register(MT_VA, NULL, mt_va_probe,
					      &mt_seen1));
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register(MT_VA, NULL, mt_other_va_probe,
					      &mt_seen3));
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register(MT_VA, NULL, mt_va_probe,
					      &mt_seen2));
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register(MT_MANY, NULL, mt_va_probe,
					      &mt_seen1));

	KUNIT_EXPECT_PTR_EQ(test, (void *)&mt_seen1,
			    marker_get_private_data(MT_VA, mt_va_probe, 0));
	KUNIT_EXPECT_PTR_EQ(test, (void *)&mt_seen2,
			    marker_get_private_data(MT_VA, mt_va_probe, 1));
	KUNIT_EXPECT_PTR_EQ(test, ERR_PTR(-ENOENT),
			    marker_get_private_data(MT_VA, mt_va_probe, 2));

	/* Removes (mt_va_probe, &mt_seen1) from both markers, nothing else. */
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister_private_data(mt_va_probe,
							     &mt_seen1));
	KUNIT_EXPECT_PTR_EQ(test, (void *)&mt_seen2,
			    marker_get_private_data(MT_VA, mt_va_probe, 0));
	KUNIT_EXPECT_TRUE(test,
			  IS_ERR(marker_get_private_data(MT_MANY, mt_va_probe,
							 0)));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			marker_probe_unregister_private_data(mt_va_probe,
							     &mt_seen1));

	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister(MT_VA, mt_va_probe, &mt_seen2));
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister(MT_VA, mt_other_va_probe,
						&mt_seen3));
}

static void mt_several_probes_test(struct kunit *test)
{
	int ret;

	mt_reset();
	ret = marker_probe_register_direct(MT_DIRECT, NULL, mt_direct_probe,
					   &mt_seen1);
	KUNIT_ASSERT_EQ(test, 0, ret);
	ret = marker_probe_register(MT_DIRECT, NULL, mt_va_probe, &mt_seen2);
	KUNIT_ASSERT_EQ(test, 0, ret);
	ret = marker_probe_register_direct(MT_DIRECT, NULL, mt_direct_probe,
					   &mt_seen3);
	KUNIT_ASSERT_EQ(test, 0, ret);
	mt_fire_direct(42, 7);
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen1.calls));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen2.calls));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen3.calls));
	KUNIT_EXPECT_EQ(test, 42UL, mt_seen3.a);
	KUNIT_EXPECT_EQ(test, 7, mt_seen3.b);
	KUNIT_EXPECT_STREQ(test, "a 42 b 7", mt_seen2.text);

	/* Two direct probes: the dispatcher's loop without the va_list one. */
	ret = marker_probe_unregister(MT_DIRECT, mt_va_probe, &mt_seen2);
	KUNIT_EXPECT_EQ(test, 0, ret);
	mt_fire_direct(~0UL, -9);
	KUNIT_EXPECT_EQ(test, 2, atomic_read(&mt_seen1.calls));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen2.calls));
	KUNIT_EXPECT_EQ(test, 2, atomic_read(&mt_seen3.calls));
	KUNIT_EXPECT_EQ(test, ~0UL, mt_seen1.a);
	KUNIT_EXPECT_EQ(test, -9, mt_seen1.b);
	KUNIT_EXPECT_EQ(test, ~0UL, mt_seen3.a);
	KUNIT_EXPECT_EQ(test, -9, mt_seen3.b);

	/* Going from several probes back to one keeps the right one. */
	ret = marker_probe_unregister_direct(MT_DIRECT, mt_direct_probe,
					     &mt_seen1);
	KUNIT_EXPECT_EQ(test, 0, ret);
	mt_fire_direct(43, 8);
	KUNIT_EXPECT_EQ(test, 2, atomic_read(&mt_seen1.calls));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen2.calls));
	KUNIT_EXPECT_EQ(test, 3, atomic_read(&mt_seen3.calls));
	KUNIT_EXPECT_EQ(test, 43UL, mt_seen3.a);
	ret = marker_probe_unregister_direct(MT_DIRECT, mt_direct_probe,
					     &mt_seen3);
	KUNIT_EXPECT_EQ(test, 0, ret);
}

static void mt_many_args_test(struct kunit *test)
{
	int ret;

	mt_reset();
	ret = marker_probe_register(MT_MANY, NULL, mt_va_probe, &mt_seen1);
	KUNIT_ASSERT_EQ(test, 0, ret);
	ret = marker_probe_register_direct(MT_MANY, NULL, mt_many_direct,
					   &mt_seen2);
	KUNIT_ASSERT_EQ(test, 0, ret);
	mt_fire_many(-6);
	KUNIT_EXPECT_STREQ(test, "-6 -5 -4 -3 -2 -1 0 1 2 3 4 5", mt_seen1.text);
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen2.calls));
	KUNIT_EXPECT_EQ(test, (unsigned long)(-6 * 12 + 66), mt_seen2.a);
	ret = marker_probe_unregister(MT_MANY, mt_va_probe, &mt_seen1);
	KUNIT_EXPECT_EQ(test, 0, ret);
	ret = marker_probe_unregister_direct(MT_MANY, mt_many_direct,
					     &mt_seen2);
	KUNIT_EXPECT_EQ(test, 0, ret);
}

static void mt_generic_site_test(struct kunit *test)
{
	int ret;

	mt_reset();
	mt_fire_generic(1, 2);
	ret = marker_probe_register(MT_GENERIC, "a %d b %lu", mt_va_probe,
				    &mt_seen1);
	KUNIT_ASSERT_EQ(test, 0, ret);
	ret = marker_probe_register_direct(MT_GENERIC, NULL, mt_generic_direct,
					   &mt_seen2);
	KUNIT_ASSERT_EQ(test, 0, ret);
	mt_fire_generic(-9, 1UL << 63);
	KUNIT_EXPECT_STREQ(test, "a -9 b 9223372036854775808", mt_seen1.text);
	KUNIT_EXPECT_EQ(test, -9, mt_seen2.b);
	KUNIT_EXPECT_EQ(test, 1UL << 63, mt_seen2.a);
	ret = marker_probe_unregister(MT_GENERIC, mt_va_probe, &mt_seen1);
	KUNIT_EXPECT_EQ(test, 0, ret);
	ret = marker_probe_unregister_direct(MT_GENERIC, mt_generic_direct,
					     &mt_seen2);
	KUNIT_EXPECT_EQ(test, 0, ret);
	marker_synchronize_unregister();
	mt_fire_generic(1, 2);
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen1.calls));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mt_seen2.calls));
}

#ifdef CONFIG_MODULES
/*
 * The module notifier on a fake module: a site in a module with a bad
 * taint stays off, in a clean one it connects.
 */
static struct marker_site mt_fake_sites[] = {
	{
		.name = MT_FAKE_MODULE,
		.format = "x %d",
		.function = "mt_fake_sites",
		.file = __FILE__,
		.nargs = 1,
		.flags = MARKER_SITE_GENERIC,
	},
};

static bool mt_fake_module_connects(struct kunit *test, unsigned long taints)
{
	struct module *mod;
	bool connected;

	mod = kunit_kzalloc(test, sizeof(*mod), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mod);
	strscpy(mod->name, "mt_fake", sizeof(mod->name));
	mod->taints = taints;
	mod->state = MODULE_STATE_COMING;
	mod->markers = mt_fake_sites;
	mod->num_markers = ARRAY_SIZE(mt_fake_sites);
	KUNIT_EXPECT_EQ(test, NOTIFY_OK,
			markers_module_notify(NULL, MODULE_STATE_COMING, mod));
	connected = rcu_access_pointer(mt_fake_sites[0].probes);
	mod->state = MODULE_STATE_GOING;
	markers_module_notify(NULL, MODULE_STATE_GOING, mod);
	return connected;
}

static void mt_bad_taint_test(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register(MT_FAKE_MODULE, "x %d",
					      mt_va_probe, &mt_seen1));
	KUNIT_EXPECT_TRUE(test,
			  mt_fake_module_connects(test, BIT(TAINT_OOT_MODULE)));
	KUNIT_EXPECT_FALSE(test,
			   mt_fake_module_connects(test,
						   BIT(TAINT_PROPRIETARY_MODULE)));
	KUNIT_EXPECT_FALSE(test,
			   mt_fake_module_connects(test,
						   BIT(TAINT_FORCED_MODULE)));
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister(MT_FAKE_MODULE, mt_va_probe,
						&mt_seen1));
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(mt_fake_sites[0].probes));
}
#endif

/* What patching counters must show: nothing where sites are not patched. */
static unsigned long mt_patched(unsigned long n)
{
	return IS_ENABLED(CONFIG_MARKERS_PATCHING) ? n : 0;
}

#define MT_CHANGE(n, f, fn, priv, fl, on)				\
	{ .name = (n), .format = (f),					\
	  .probe = { .func = (void *)(fn), .probe_private = (priv),	\
		     .flags = (fl) },					\
	  .connect = (on) }

static void mt_fire_batch(void)
{
	mt_fire_va(1, "x", 2);
	mt_fire_noargs();
	mt_fire_hundred(3);
}

static void mt_expect_calls(struct kunit *test, int va, int noargs,
			    int hundred)
{
	KUNIT_EXPECT_EQ(test, va, atomic_read(&mt_seen1.calls));
	KUNIT_EXPECT_EQ(test, noargs, atomic_read(&mt_seen2.calls));
	KUNIT_EXPECT_EQ(test, hundred, atomic_read(&mt_seen3.calls));
}

/* A batch of changes is applied whole, in one sequence, or not at all. */
static void mt_batch_test(struct kunit *test)
{
	struct marker_change on[] = {
		MT_CHANGE(MT_VA, NULL, mt_va_probe, &mt_seen1, 0, true),
		MT_CHANGE(MT_NOARGS, NULL, mt_noargs_direct, &mt_seen2,
			  MARKER_PROBE_DIRECT, true),
		MT_CHANGE(MT_HUNDRED, "wrong %d", mt_va_probe, &mt_seen3, 0,
			  true),
	};
	struct marker_change off[] = {
		MT_CHANGE(MT_VA, NULL, mt_va_probe, &mt_seen1, 0, false),
		MT_CHANGE(MT_NOARGS, NULL, mt_noargs_direct, &mt_seen2, 0,
			  false),
		MT_CHANGE(MT_HUNDRED, NULL, mt_va_probe, &mt_seen3, 0, false),
		MT_CHANGE(MT_VA, NULL, mt_other_va_probe, &mt_seen1, 0, false),
	};
	struct marker_change twice[] = {
		MT_CHANGE(MT_VA, NULL, mt_va_probe, &mt_seen1, 0, true),
		MT_CHANGE(MT_VA, NULL, mt_va_probe, &mt_seen1, 0, true),
	};
	struct marker_stats before, after;

	mt_reset();
	KUNIT_EXPECT_EQ(test, 0, marker_probes_change(on, 0));

	/* The last change has the wrong format: none of them is made. */
	markers_read_stats(&before);
	KUNIT_EXPECT_EQ(test, -EPERM, marker_probes_change(on, 3));
	markers_read_stats(&after);
	KUNIT_EXPECT_EQ(test, 0, after.pokes - before.pokes);
	mt_fire_batch();
	mt_expect_calls(test, 0, 0, 0);
	KUNIT_EXPECT_TRUE(test, IS_ERR(marker_get_private_data(MT_VA,
							       mt_va_probe,
							       0)));

	/* A duplicate inside one batch is seen, and undoes the first. */
	KUNIT_EXPECT_EQ(test, -EBUSY, marker_probes_change(twice, 2));
	mt_fire_batch();
	mt_expect_calls(test, 0, 0, 0);

	/*
	 * Three markers, 102 sites: one sequence, one batch, once earlier
	 * tests' uses of these sites are a grace period old (else the direct
	 * call waits for one, in a batch of its own).
	 */
	on[2].format = NULL;
	marker_synchronize_unregister();
	markers_read_stats(&before);
	KUNIT_ASSERT_EQ(test, 0, marker_probes_change(on, 3));
	markers_read_stats(&after);
	KUNIT_EXPECT_EQ(test, mt_patched(1), after.sequences - before.sequences);
	KUNIT_EXPECT_EQ(test, mt_patched(1), after.batches - before.batches);
	mt_fire_batch();
	mt_expect_calls(test, 1, 1, 100);

	/* The fourth disconnection is of a probe never connected: -ENOENT. */
	KUNIT_EXPECT_EQ(test, -ENOENT, marker_probes_change(off, 4));
	mt_fire_batch();
	mt_expect_calls(test, 2, 2, 200);

	markers_read_stats(&before);
	KUNIT_EXPECT_EQ(test, 0, marker_probes_change(off, 3));
	markers_read_stats(&after);
	KUNIT_EXPECT_EQ(test, mt_patched(1), after.sequences - before.sequences);
	marker_synchronize_unregister();
	mt_fire_batch();
	mt_expect_calls(test, 2, 2, 200);
}

static struct marker_site *mt_find_site(const char *name)
{
	struct marker_site *site;

	for (site = __start___markers; site < __stop___markers; site++)
		if (!strcmp(site->name, name))
			return site;
	return NULL;
}

/* What the compiler records for a site: name, format, where it is. */
static void mt_site_metadata_test(struct kunit *test)
{
	struct marker_site *site = mt_find_site(MT_VA);

	KUNIT_ASSERT_NOT_NULL(test, site);
	KUNIT_EXPECT_STREQ(test, "a %d s %s c %llu", site->format);
	KUNIT_EXPECT_STREQ(test, "mt_fire_va", site->function);
	KUNIT_EXPECT_NOT_NULL(test, strstr(site->file, "markers_test.c"));
	KUNIT_EXPECT_GT(test, site->line, 0U);
	KUNIT_EXPECT_EQ(test, 3, site->nargs);
	/* The pointer and the u64 are wider than an int, not the int. */
	KUNIT_EXPECT_EQ(test, BIT(1) | BIT(2), (unsigned long)site->wide);
	/* Name and format sit together in __markers_strings. */
	KUNIT_EXPECT_PTR_EQ(test, site->name + sizeof(MT_VA), site->format);
	site = mt_find_site(MT_GENERIC);
	KUNIT_ASSERT_NOT_NULL(test, site);
	KUNIT_EXPECT_TRUE(test, site->flags & MARKER_SITE_GENERIC);
}

/* Load: threads firing a marker while the test changes its probes. */

static bool mt_stop_firing;

static int mt_firing_thread(void *data)
{
	unsigned long i = 0;

	while (!READ_ONCE(mt_stop_firing) && !kthread_should_stop()) {
		mt_fire_direct(i++, 1);
		if (!(i % 64))
			cond_resched();
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static void mt_start_firing(struct kunit *test, struct task_struct **threads,
			    int nr)
{
	int i;

	WRITE_ONCE(mt_stop_firing, false);
	for (i = 0; i < nr; i++) {
		threads[i] = kthread_run(mt_firing_thread, NULL, "mt_fire/%d",
					 i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(threads[i]));
	}
}

static void mt_stop(struct task_struct **threads, int nr)
{
	int i;

	WRITE_ONCE(mt_stop_firing, true);
	for (i = 0; i < nr; i++)
		kthread_stop(threads[i]);
}

static void mt_checked_probe(void *probe_private, unsigned long a, int b)
{
	struct mt_seen *seen = probe_private;

	if (seen != &mt_seen1)
		atomic_inc(&mt_seen3.wrong_private);
	atomic_inc(&mt_seen1.calls);
}

static void mt_checked_probe2(void *probe_private, unsigned long a, int b)
{
	struct mt_seen *seen = probe_private;

	if (seen != &mt_seen2)
		atomic_inc(&mt_seen3.wrong_private);
	atomic_inc(&mt_seen2.calls);
}

static void mt_synchronize_unregister_test(struct kunit *test)
{
	struct task_struct *threads[2];
	int calls, tries, ret;

	mt_reset();
	mt_start_firing(test, threads, ARRAY_SIZE(threads));
	ret = marker_probe_register_direct(MT_DIRECT, NULL, mt_checked_probe,
					   &mt_seen1);
	KUNIT_ASSERT_EQ(test, 0, ret);
	for (tries = 0; tries < 1000 && atomic_read(&mt_seen1.calls) < 100;
	     tries++)
		usleep_range(1000, 2000);
	KUNIT_EXPECT_GE(test, atomic_read(&mt_seen1.calls), 100);
	ret = marker_probe_unregister_direct(MT_DIRECT, mt_checked_probe,
					     &mt_seen1);
	KUNIT_EXPECT_EQ(test, 0, ret);
	marker_synchronize_unregister();
	calls = atomic_read(&mt_seen1.calls);
	msleep(50);
	KUNIT_EXPECT_EQ(test, calls, atomic_read(&mt_seen1.calls));
	mt_stop(threads, ARRAY_SIZE(threads));
}

/*
 * 1 -> 0 -> 1 and N -> 1 with other private data, under load: a probe must
 * never be called with another probe's private data.
 */
static void mt_private_consistency_test(struct kunit *test)
{
	struct task_struct *threads[2];
	int round, ret;

	mt_reset();
	mt_start_firing(test, threads, ARRAY_SIZE(threads));
	for (round = 0; round < 40; round++) {
		ret = marker_probe_register_direct(MT_DIRECT, NULL,
						   mt_checked_probe, &mt_seen1);
		KUNIT_ASSERT_EQ(test, 0, ret);
		usleep_range(200, 400);
		ret = marker_probe_unregister_direct(MT_DIRECT,
						     mt_checked_probe,
						     &mt_seen1);
		KUNIT_ASSERT_EQ(test, 0, ret);
		ret = marker_probe_register_direct(MT_DIRECT, NULL,
						   mt_checked_probe2,
						   &mt_seen2);
		KUNIT_ASSERT_EQ(test, 0, ret);
		ret = marker_probe_register_direct(MT_DIRECT, NULL,
						   mt_checked_probe, &mt_seen1);
		KUNIT_ASSERT_EQ(test, 0, ret);
		usleep_range(200, 400);
		ret = marker_probe_unregister_direct(MT_DIRECT,
						     mt_checked_probe2,
						     &mt_seen2);
		KUNIT_ASSERT_EQ(test, 0, ret);
		usleep_range(200, 400);
		ret = marker_probe_unregister_direct(MT_DIRECT,
						     mt_checked_probe,
						     &mt_seen1);
		KUNIT_ASSERT_EQ(test, 0, ret);
	}
	mt_stop(threads, ARRAY_SIZE(threads));
	marker_synchronize_unregister();
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&mt_seen3.wrong_private));
	KUNIT_EXPECT_GT(test, atomic_read(&mt_seen1.calls), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&mt_seen2.calls), 0);
}

static struct kunit_case markers_test_cases[] = {
	KUNIT_CASE(mt_site_metadata_test),
	KUNIT_CASE(mt_va_probe_test),
	KUNIT_CASE(mt_direct_probe_test),
	KUNIT_CASE(mt_noargs_test),
	KUNIT_CASE(mt_format_test),
	KUNIT_CASE(mt_duplicate_test),
	KUNIT_CASE(mt_bad_arguments_test),
	KUNIT_CASE(mt_unknown_test),
	KUNIT_CASE(mt_not_loaded_test),
	KUNIT_CASE(mt_private_data_test),
	KUNIT_CASE(mt_several_probes_test),
	KUNIT_CASE(mt_many_args_test),
	KUNIT_CASE(mt_generic_site_test),
#ifdef CONFIG_MODULES
	KUNIT_CASE(mt_bad_taint_test),
#endif
	KUNIT_CASE_SLOW(mt_synchronize_unregister_test),
	KUNIT_CASE_SLOW(mt_private_consistency_test),
	KUNIT_CASE(mt_batch_test),
	{}
};

static struct kunit_suite markers_test_suite = {
	.name = "markers",
	.test_cases = markers_test_cases,
};

kunit_test_suite(markers_test_suite);

MODULE_DESCRIPTION("KUnit tests for kernel markers");
MODULE_LICENSE("GPL");
