// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probe example: connects to the markers of marker-example.ko, in either
 * load order, with both probe forms:
 *
 * - a va_list probe (the historical form), which can serve any marker;
 * - a direct probe, which receives the marker's arguments as C arguments
 *   and, as the only probe of its marker, is called directly by the site.
 */

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/marker.h>
#include <linux/module.h>

static atomic_t probe_example_events = ATOMIC_INIT(0);

/* va_list form: print any marker with its own format. */
static void __printf(3, 0)
probe_example_any(void *probe_private, void *call_private, const char *format,
		  va_list *args)
{
	const char *name = probe_private;
	char text[128];
	va_list copy;

	va_copy(copy, *args);
	vsnprintf(text, sizeof(text), format, copy);
	va_end(copy);
	atomic_inc(&probe_example_events);
	pr_info("probe-example: %s: %s\n", name, text);
}

/*
 * Direct form for "i %d square %lu", typed: the compiler checks the
 * parameters against the format, which registration passes along.
 */
DEFINE_MARKER_PROBE(probe_example_loop, "i %d square %lu",
		    int, i, unsigned long, square)
{
	atomic_inc(&probe_example_events);
	pr_info("probe-example: example_loop (direct): i=%d square=%lu\n",
		i, square);
}

struct probe_example_va {
	const char *name;
	const char *format;
};

static const struct probe_example_va probe_example_va[] = {
	{ "example_open", "pid %d comm %s" },
	{ "example_tick", MARK_NOARGS },
};

static void probe_example_unregister(unsigned int nr_va)
{
	while (nr_va--)
		marker_probe_unregister(probe_example_va[nr_va].name,
					probe_example_any,
					(void *)probe_example_va[nr_va].name);
}

static int __init probe_example_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(probe_example_va); i++) {
		ret = marker_probe_register(probe_example_va[i].name,
					    probe_example_va[i].format,
					    probe_example_any,
					    (void *)probe_example_va[i].name);
		if (ret) {
			pr_warn("probe-example: %s: error %d\n",
				probe_example_va[i].name, ret);
			probe_example_unregister(i);
			return ret;
		}
	}
	ret = marker_probe_register_typed("example_loop", probe_example_loop,
					  NULL);
	if (ret) {
		probe_example_unregister(ARRAY_SIZE(probe_example_va));
		return ret;
	}
	return 0;
}

static void __exit probe_example_exit(void)
{
	marker_probe_unregister_direct("example_loop", probe_example_loop,
				       NULL);
	probe_example_unregister(ARRAY_SIZE(probe_example_va));
	/* No probe of this module may run once its text is gone. */
	marker_synchronize_unregister();
	pr_info("probe-example: %d events\n",
		atomic_read(&probe_example_events));
}

module_init(probe_example_init);
module_exit(probe_example_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel markers example: a probe module");
