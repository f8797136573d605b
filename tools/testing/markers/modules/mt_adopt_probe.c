// SPDX-License-Identifier: GPL-2.0
/*
 * A probe registered without a format for mt_adopt, before any module has
 * that marker: the registry takes the format of the first site that comes
 * (mt_adopt_a.ko) and must refuse sites of any other (mt_adopt_b.ko), for
 * vm/50-core.sh.
 */

#include <linux/markers.h>
#include <linux/module.h>

static void __printf(3, 0) mt_adopt_probe(void *probe_private,
					  void *call_private,
					  const char *fmt, va_list *args)
{
}

static int __init mt_adopt_probe_init(void)
{
	return marker_probe_register("mt_adopt", NULL, mt_adopt_probe, NULL);
}

static void __exit mt_adopt_probe_exit(void)
{
	marker_probe_unregister("mt_adopt", mt_adopt_probe, NULL);
	marker_synchronize_unregister();
}

module_init(mt_adopt_probe_init);
module_exit(mt_adopt_probe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: a probe that adopts its marker's format");
