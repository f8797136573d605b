// SPDX-License-Identifier: GPL-2.0
/*
 * A typed direct probe whose parameter i is a long for the format's %d:
 * it must not build, and the compiler must name the argument.
 */
#include <linux/markers.h>
#include <linux/module.h>

DEFINE_MARKER_PROBE(mt_typed_wrong, "i %d square %lu",
		    long, i, unsigned long, square)
{
	pr_info("mt_typed: %ld %lu\n", i, square);
}

static int __init mt_typed_bad_init(void)
{
	return marker_probe_register_typed("example_loop", mt_typed_wrong,
					   NULL);
}

module_init(mt_typed_bad_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: a typed direct probe with a wrong type");
