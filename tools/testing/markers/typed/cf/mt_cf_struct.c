// SPDX-License-Identifier: GPL-2.0
/* Must not build: a struct passed where a scalar or pointer travels. */
#include <linux/init.h>
#include <linux/markers.h>
#include <linux/module.h>

struct mt_cf_pair {
	int a;
	int b;
};

static int __init mt_cf_init(void)
{
	struct mt_cf_pair p = { 1, 2 };

	trace_mark(mt_cf_struct, "p %d", p);
	return 0;
}
module_init(mt_cf_init);

MODULE_DESCRIPTION("compile-fail case: a struct argument");
MODULE_LICENSE("GPL");
