/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A marker site that a non-GPL module can hold: the markers API and the
 * call of a site are exported GPL-only, so the site's code is never
 * compiled (the condition is false), but its descriptor is, in
 * __markers, and the registry sees it when the module loads.
 */
#ifndef MT_SEC_SITE_H
#define MT_SEC_SITE_H

#include <linux/markers.h>
#include <linux/module.h>

#define MT_SEC_MODULE(name)						\
static int __init name##_init(void)					\
{									\
	if (IS_ENABLED(CONFIG_MT_SEC_NEVER))				\
		trace_mark(name##_event, "n %d", 1);			\
	return 0;							\
}									\
static void __exit name##_exit(void)					\
{									\
}									\
module_init(name##_init);						\
module_exit(name##_exit)

#endif
