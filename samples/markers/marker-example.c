// SPDX-License-Identifier: GPL-2.0-only
/*
 * Marker example: a module with markers of several formats, fired when
 * /proc/marker-example is read.
 *
 *	cat /proc/marker-example
 *
 * Connect probe-example.ko, or enable the markers in debugfs, to see them.
 */

#include <linux/markers.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

static int marker_example_show(struct seq_file *m, void *v)
{
	unsigned long square;
	int i;

	trace_mark(example_tick, MARK_NOARGS);
	for (i = 0; i < 4; i++) {
		square = (unsigned long)i * i;
		trace_mark(example_loop, "i %d square %lu", i, square);
		seq_printf(m, "%d %lu\n", i, square);
	}
	return 0;
}

static int marker_example_open(struct inode *inode, struct file *file)
{
	trace_mark(example_open, "pid %d comm %s", task_pid_nr(current),
		   current->comm);
	return single_open(file, marker_example_show, NULL);
}

static const struct proc_ops marker_example_ops = {
	.proc_open = marker_example_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static struct proc_dir_entry *marker_example_entry;

static int __init marker_example_init(void)
{
	marker_example_entry = proc_create("marker-example", 0444, NULL,
					   &marker_example_ops);
	return marker_example_entry ? 0 : -ENOMEM;
}

static void __exit marker_example_exit(void)
{
	proc_remove(marker_example_entry);
}

module_init(marker_example_init);
module_exit(marker_example_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel markers example: a marked module");
