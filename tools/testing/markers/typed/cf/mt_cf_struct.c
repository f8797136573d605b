// SPDX-License-Identifier: GPL-2.0
/* Must not build: a struct passed where a scalar or pointer travels. */
#include <linux/markers.h>
#include <linux/module.h>

struct mt_cf_pair {
	int a;
	int b;
};

void mt_cf_struct(struct mt_cf_pair p);
void mt_cf_struct(struct mt_cf_pair p)
{
	trace_mark(mt_cf_struct, "p %d", p);
}

MODULE_DESCRIPTION("compile-fail case: a struct argument");
MODULE_LICENSE("GPL");
