// SPDX-License-Identifier: GPL-2.0
/*
 * A probe module written the way probe modules were written for the markers
 * of Linux 2.6.31: <linux/marker.h>, va_list probes, a table of probes
 * registered at init, unregistered and synchronized at exit. It builds and
 * runs unchanged; the only additions are the read-only parameters through
 * which the in-VM tests look at what it saw.
 *
 * This file is released under the GPLv2.
 */

#include <linux/sched.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/marker.h>
#include <asm/atomic.h>

struct probe_data {
	const char *name;
	const char *format;
	marker_probe_func *probe_func;
};

static atomic_t event_count = ATOMIC_INIT(0);
static atomic_t init_event_count = ATOMIC_INIT(0);
static unsigned long last_seq;
static int hits, init_hits, bad_format_ret, duplicate_ret;
static int probe_errors = 1;
module_param(probe_errors, int, 0444);
module_param(hits, int, 0444);
module_param(init_hits, int, 0444);
module_param(bad_format_ret, int, 0444);
module_param(duplicate_ret, int, 0444);
module_param(last_seq, ulong, 0444);

void probe_mod_event(void *probe_data, void *call_data,
	const char *format, va_list *args)
{
	unsigned long seq;
	char *tag;

	/* Read the arguments the way the format says. */
	seq = va_arg(*args, unsigned long);
	tag = va_arg(*args, char *);
	if (tag[0] == 'm' && tag[1] == 't')
		last_seq = seq;
	hits = atomic_inc_return(&event_count);
}

void probe_mod_init_event(void *probe_data, void *call_data,
	const char *format, va_list *args)
{
	int stage = va_arg(*args, int);

	if (stage == 1)
		init_hits = atomic_inc_return(&init_event_count);
}

static struct probe_data probe_array[] =
{
	{	.name = "mt_mod_event",
		.format = "seq %lu tag %s",
		.probe_func = probe_mod_event },
	{	.name = "mt_mod_init_event",
		.format = "stage %d",
		.probe_func = probe_mod_init_event },
};

static int __init probe_init(void)
{
	int result;
	int i;

	for (i = 0; i < ARRAY_SIZE(probe_array); i++) {
		result = marker_probe_register(probe_array[i].name,
				probe_array[i].format,
				probe_array[i].probe_func, &probe_array[i]);
		if (result)
			printk(KERN_INFO "Unable to register probe %s\n",
				probe_array[i].name);
	}
	/* What the API answers to a wrong format and to a duplicate. */
	if (!probe_errors)
		return 0;
	bad_format_ret = marker_probe_register("mt_mod_event", "seq %d",
				probe_mod_event, &event_count);
	duplicate_ret = marker_probe_register(probe_array[0].name,
				probe_array[0].format,
				probe_array[0].probe_func, &probe_array[0]);
	return 0;
}

static void __exit probe_fini(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(probe_array); i++)
		marker_probe_unregister(probe_array[i].name,
			probe_array[i].probe_func, &probe_array[i]);
	printk(KERN_INFO "Number of mt_mod_event : %u\n",
		atomic_read(&event_count));
	marker_synchronize_unregister();
}

module_init(probe_init);
module_exit(probe_fini);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Kernel markers developers");
MODULE_DESCRIPTION("2.6.31-style markers probe");
