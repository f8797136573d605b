// SPDX-License-Identifier: GPL-2.0
/*
 * A probe module declaring a license other than the GPL: the markers API
 * is exported GPL-only, so modpost must refuse to link it.
 */
#include <linux/markers.h>
#include <linux/module.h>

static void mt_proprietary_probe(void *probe_private, void *call_private,
				 const char *fmt, va_list *args)
{
}

static int __init mt_proprietary_init(void)
{
	return marker_probe_register("mt_mod_event", NULL,
				     mt_proprietary_probe, NULL);
}
module_init(mt_proprietary_init);

MODULE_LICENSE("Proprietary");
MODULE_DESCRIPTION("markers test: a non-GPL probe module");
