// SPDX-License-Identifier: GPL-2.0
/*
 * A probe module for a misspelt marker name, for vm/50-core.sh: the
 * typed registration waits (the 2.6.31 rule) and the registry says so
 * once the module's init is done; the strict one is refused. Parameter
 * strict reads the strict registration's result.
 */
#include <linux/markers.h>
#include <linux/module.h>

static int mt_typo_strict_ret;
module_param_named(strict, mt_typo_strict_ret, int, 0444);

DEFINE_MARKER_PROBE(mt_typo_probe, "i %d square %lu",
		    int, i, unsigned long, square)
{
}

static int __init mt_typo_probe_init(void)
{
	mt_typo_strict_ret =
		marker_probe_register_typed_strict("exmaple_loop",
						   mt_typo_probe, NULL);
	return marker_probe_register_typed("exmaple_loop", mt_typo_probe,
					   NULL);
}

static void __exit mt_typo_probe_exit(void)
{
	marker_probe_unregister_direct("exmaple_loop", mt_typo_probe, NULL);
	marker_synchronize_unregister();
}

module_init(mt_typo_probe_init);
module_exit(mt_typo_probe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: a probe for a misspelt marker name");
