// SPDX-License-Identifier: GPL-2.0
/*
 * The files that enable markers' events by name, glob and query, with
 * the languages of trace_markers_control.c:
 *
 *   tracefs: set_marker and marker_control at the top level and in every
 *            instance, each acting on its own instance's buffer. They
 *            follow tracefs's permissions (its gid= mount option) and,
 *            unlike debugfs, stay writable under lockdown=integrity.
 *   debugfs: set_marker and control in the markers directory, acting on
 *            the top-level buffer, beside the registry's listings.
 *
 * An open file holds its instance (trace_array_get()), so the instance
 * cannot be removed under it, as with every file of an instance.
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>

#include "trace.h"
#include "trace_markers.h"

static int marker_set_seq_show(struct seq_file *m, void *v)
{
	return marker_set_show(m, m->private);
}

static int marker_control_seq_show(struct seq_file *m, void *v)
{
	return marker_control_show(m, m->private);
}

/*
 * Every open gets a seq_file, whatever its mode: lseek() and read() on
 * any descriptor then act on it, never on a missing one.
 */
static int marker_files_open(struct inode *inode, struct file *file,
			     int (*show)(struct seq_file *m, void *v))
{
	struct trace_array *tr = inode->i_private;
	int ret;

	ret = tracing_check_open_get_tr(tr);
	if (ret)
		return ret;
	ret = single_open(file, show, tr);
	if (ret)
		trace_array_put(tr);
	return ret;
}

static int marker_files_release(struct inode *inode, struct file *file)
{
	trace_array_put(inode->i_private);
	return single_release(inode, file);
}

static struct trace_array *marker_file_tr(struct file *file)
{
	return ((struct seq_file *)file->private_data)->private;
}

/* Opening set_marker with O_TRUNC disables all first, as set_event does. */
static int marker_set_open(struct inode *inode, struct file *file)
{
	int ret = marker_files_open(inode, file, marker_set_seq_show);

	if (!ret && (file->f_mode & FMODE_WRITE) && (file->f_flags & O_TRUNC))
		marker_set_clear(inode->i_private);
	return ret;
}

static ssize_t marker_set_file_write(struct file *file,
				     const char __user *ubuf, size_t count,
				     loff_t *ppos)
{
	return marker_set_write(marker_file_tr(file), ubuf, count);
}

static const struct file_operations marker_set_fops = {
	.open = marker_set_open,
	.read = seq_read,
	.write = marker_set_file_write,
	.llseek = seq_lseek,
	.release = marker_files_release,
};

/* Opening control with O_TRUNC forgets its queries waiting for a module. */
static int marker_control_open(struct inode *inode, struct file *file)
{
	int ret = marker_files_open(inode, file, marker_control_seq_show);

	if (!ret && (file->f_mode & FMODE_WRITE) && (file->f_flags & O_TRUNC))
		marker_control_clear(inode->i_private);
	return ret;
}

static ssize_t marker_control_file_write(struct file *file,
					 const char __user *ubuf, size_t count,
					 loff_t *ppos)
{
	return marker_control_write(marker_file_tr(file), ubuf, count);
}

static const struct file_operations marker_control_fops = {
	.open = marker_control_open,
	.read = seq_read,
	.write = marker_control_file_write,
	.llseek = seq_lseek,
	.release = marker_files_release,
};

/**
 * marker_events_init_tracefs - create an instance's set_marker and
 *				marker_control
 * @tr: the instance, or the top-level trace array
 * @d_tracer: its directory (%NULL: the top of tracefs)
 *
 * Called by init_tracer_tracefs() for the top level and each instance.
 */
void marker_events_init_tracefs(struct trace_array *tr,
				struct dentry *d_tracer)
{
	trace_create_file("set_marker", TRACE_MODE_WRITE, d_tracer, tr,
			  &marker_set_fops);
	trace_create_file("marker_control", TRACE_MODE_WRITE, d_tracer, tr,
			  &marker_control_fops);
}

/**
 * marker_events_del_tracer - forget the requests of an instance removed
 * @tr: the instance
 *
 * Called by __remove_instance().
 *
 * Context: event_mutex held.
 */
void marker_events_del_tracer(struct trace_array *tr)
{
	lockdep_assert_held(&event_mutex);
	marker_pending_clear(tr, false);
	marker_pending_clear(tr, true);
}

/**
 * marker_control_init - create set_marker and control in debugfs
 * @dir: the markers directory of debugfs, or an error or %NULL
 *
 * They act on the top-level buffer.
 */
void marker_control_init(struct dentry *dir)
{
	if (IS_ERR_OR_NULL(dir))
		return;
	debugfs_create_file("set_marker", 0600, dir, top_trace_array(),
			    &marker_set_fops);
	debugfs_create_file("control", 0600, dir, top_trace_array(),
			    &marker_control_fops);
}
