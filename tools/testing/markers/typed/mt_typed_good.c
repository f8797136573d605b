// SPDX-License-Identifier: GPL-2.0
/*
 * A typed direct probe whose parameters agree with its format: it builds
 * without a warning, and registers with the format it was defined with.
 */
#include <linux/markers.h>
#include <linux/module.h>

DEFINE_MARKER_PROBE(mt_typed_probe, "i %d square %lu comm %s",
		    int, i, unsigned long, square, const char *, comm)
{
	pr_info("mt_typed: %d %lu %s %p\n", i, square, comm, probe_private);
}

DEFINE_MARKER_PROBE(mt_typed_noargs, MARK_NOARGS)
{
}

static int __init mt_typed_good_init(void)
{
	int ret = marker_probe_register_typed("mt_typed", mt_typed_probe,
					      NULL);

	if (ret)
		return ret;
	return marker_probe_register_typed("mt_typed_noargs", mt_typed_noargs,
					   NULL);
}

static void __exit mt_typed_good_exit(void)
{
	marker_probe_unregister_direct("mt_typed_noargs", mt_typed_noargs, NULL);
	marker_probe_unregister_direct("mt_typed", mt_typed_probe, NULL);
	marker_synchronize_unregister();
}

module_init(mt_typed_good_init);
module_exit(mt_typed_good_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: typed direct probes that agree with their formats");
