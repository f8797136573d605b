// SPDX-License-Identifier: GPL-2.0
/*
 * A common mistake: trace_mark_enabled() with a misspelt name. Builds,
 * and modpost warns about mt_cf_enabled_mark_typo, naming the module,
 * and about nothing else.
 */
#include <linux/markers.h>
#include <linux/module.h>

static int mt_cf_enabled_value;

static int __init mt_cf_enabled_init(void)
{
	if (trace_mark_enabled(mt_cf_enabled_mark))
		trace_mark(mt_cf_enabled_mark, "value %d", mt_cf_enabled_value);
	if (trace_mark_enabled(mt_cf_enabled_mark_typo))
		mt_cf_enabled_value++;
	return 0;
}
module_init(mt_cf_enabled_init);

MODULE_DESCRIPTION("markers: a misspelt trace_mark_enabled() name");
MODULE_LICENSE("GPL");
