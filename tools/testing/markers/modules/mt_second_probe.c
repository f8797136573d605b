// SPDX-License-Identifier: GPL-2.0
/*
 * A second probe on mt_mod_event, in the direct form, for the in-VM tests
 * of several probes per marker and of unload orders.
 */

#include <linux/atomic.h>
#include <linux/markers.h>
#include <linux/module.h>

static atomic_t mt_second_count = ATOMIC_INIT(0);
static int hits;
module_param(hits, int, 0444);
/* Leave without unregistering: the registry must disconnect the probe. */
static bool forget;
module_param(forget, bool, 0444);

static void mt_second_probe(void *probe_private, unsigned long seq,
			    const char *tag)
{
	hits = atomic_inc_return(&mt_second_count);
}

static int __init mt_second_init(void)
{
	return marker_probe_register_direct("mt_mod_event", "seq %lu tag %s",
					    mt_second_probe, NULL);
}

static void __exit mt_second_exit(void)
{
	if (forget)
		return;
	marker_probe_unregister_direct("mt_mod_event", mt_second_probe, NULL);
	marker_synchronize_unregister();
}

module_init(mt_second_init);
module_exit(mt_second_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: a second, direct probe");
