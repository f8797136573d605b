// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in recording probe of kernel markers, and its debugfs files.
 *
 * A marker enabled here (set_marker, control, events/<name>/enable) is
 * connected to marker_record(), which stores the marker's arguments in
 * binary with vbin_printf() in a ring buffer; trace and trace_pipe format
 * them with bstr_printf() when they are read. Each marker name known here
 * has a struct marker_event with copies of its name and format, kept while
 * records may refer to it, so that the records of a module stay readable
 * after the module is gone.
 *
 * Locking: marker_sync_mutex -> marker_events_mutex -> (the registry's
 * cpus_read_lock -> markers_mutex). marker_read_mutex serialises the
 * readers of the buffer against its resets and resizes. The directories
 * of events are removed with only marker_sync_mutex held: removal waits
 * for the handlers of their files, which take marker_events_mutex.
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/glob.h>
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/markers.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/poll.h>
#include <linux/ring_buffer.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

/* Longest write the files accept, as dynamic debug's control file. */
#define MARKER_WRITE_MAX	4096
/* Room for the binary arguments of one record, in u32 words. */
#define MARKER_RECORD_WORDS	256
/* Recording buffer size per CPU, by default and at most. */
#define MARKER_BUFFER_KB_DEFAULT	64
#define MARKER_BUFFER_KB_MAX		(1024 * 1024)
/* Longest line of trace or trace_pipe. */
#define MARKER_LINE_MAX		1024
/* Context levels of interrupt_context_level(): task, softirq, irq, NMI. */
#define MARKER_CONTEXTS		4

/**
 * struct marker_event - what the recorder knows of one marker name
 * @list: in marker_events, or in marker_retired once superseded
 * @node: in marker_event_names while in marker_events
 * @rcu: frees the event after the readers that looked it up
 * @dir: events/<name>/ in debugfs, while a site of the name is loaded
 * @format: the marker's format; points into @name's storage
 * @id: identifies the event in records
 * @enabled: connected to the recorder
 * @want: the state the request being checked asks for
 * @loaded: a site of this name and format is loaded
 * @recorded: may have records in the buffer: enabled since the last reset
 * @hits: times the marker fired while enabled
 * @missed: records dropped: buffer full, recursion, or arguments too long
 * @name: the marker's name, followed by the format's storage
 */
struct marker_event {
	struct list_head list;
	struct hlist_node node;
	struct rcu_head rcu;
	struct dentry *dir;
	const char *format;
	u32 id;
	bool enabled;
	bool want;
	bool loaded;
	bool recorded;
	atomic_long_t hits;
	atomic_long_t missed;
	char name[];
};

/**
 * struct marker_record - one record in the ring buffer
 * @id: the id of the marker_event
 * @pid: the task current when the marker fired
 * @comm: the name of that task
 * @args: the arguments, as vbin_printf() stores them
 */
struct marker_record {
	u32 id;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	u32 args[];
};

static DEFINE_MUTEX(marker_sync_mutex);
static DEFINE_MUTEX(marker_events_mutex);
static DEFINE_MUTEX(marker_read_mutex);
static LIST_HEAD(marker_events);
static LIST_HEAD(marker_retired);
/* marker_events by name: a module's load looks up each of its sites. */
static DEFINE_HASHTABLE(marker_event_names, 9);
static DEFINE_XARRAY_ALLOC(marker_event_ids);
static struct trace_buffer *marker_buffer;
static struct dentry *marker_events_dir;

/* Where vbin_printf() writes, one area per CPU and context level. */
struct marker_scratch {
	u32 words[MARKER_CONTEXTS][MARKER_RECORD_WORDS];
};

static struct marker_scratch __percpu *marker_scratch;
static DEFINE_PER_CPU(unsigned int, marker_recursion);

/* Write one record of @event; false if it had to be dropped. */
static bool marker_record_write(struct marker_event *event,
				unsigned int level, const char *fmt,
				va_list *args)
{
	u32 *words = this_cpu_ptr(marker_scratch)->words[level];
	struct ring_buffer_event *rbe;
	struct marker_record *rec;
	va_list ap;
	int nr;

	va_copy(ap, *args);
	nr = vbin_printf(words, MARKER_RECORD_WORDS, fmt, ap);
	va_end(ap);
	/*
	 * vbin_printf() counts a string that would end exactly at the end
	 * of the buffer without copying it: only a record that leaves room
	 * to spare is known to be whole.
	 */
	if (nr < 0 || nr >= MARKER_RECORD_WORDS)
		return false;
	rbe = ring_buffer_lock_reserve(marker_buffer, struct_size(rec, args, nr));
	if (!rbe)
		return false;
	rec = ring_buffer_event_data(rbe);
	rec->id = event->id;
	rec->pid = current->pid;
	memcpy(rec->comm, current->comm, TASK_COMM_LEN);
	rec->comm[TASK_COMM_LEN - 1] = '\0';
	memcpy(rec->args, words, nr * sizeof(*words));
	ring_buffer_unlock_commit(marker_buffer);
	return true;
}

/*
 * The probe. Markers call it with preemption disabled, from any context
 * including NMI; a marker fired from within (by a probe of the ring
 * buffer's code, say) at the same context level is dropped, not recorded.
 */
static __printf(3, 0) void marker_record(void *probe_private,
					 void *call_private, const char *fmt,
					 va_list *args)
{
	struct marker_event *event = probe_private;
	unsigned int level = interrupt_context_level();
	unsigned int bit = BIT(level);

	atomic_long_inc(&event->hits);
	if (this_cpu_read(marker_recursion) & bit) {
		atomic_long_inc(&event->missed);
		return;
	}
	this_cpu_or(marker_recursion, bit);
	if (!marker_record_write(event, level, fmt, args))
		atomic_long_inc(&event->missed);
	this_cpu_and(marker_recursion, ~bit);
}

/* Reading: one line per record, as ftrace's trace files. */
static size_t marker_format_record(char *buf, int cpu, u64 ts,
				   const struct marker_record *rec)
{
	const struct marker_event *event;
	unsigned long usecs;
	size_t len;

	usecs = do_div(ts, NSEC_PER_SEC) / NSEC_PER_USEC;
	len = scnprintf(buf, MARKER_LINE_MAX, "%16.16s-%-7d [%03d] %6llu.%06lu: ",
			rec->comm, rec->pid, cpu, ts, usecs);
	rcu_read_lock();
	event = xa_load(&marker_event_ids, rec->id);
	if (event) {
		len += scnprintf(buf + len, MARKER_LINE_MAX - len, "%s: ",
				 event->name);
		len += min_t(size_t, MARKER_LINE_MAX - len - 1,
			     bstr_printf(buf + len, MARKER_LINE_MAX - len,
					 event->format, rec->args));
	} else {
		len += scnprintf(buf + len, MARKER_LINE_MAX - len,
				 "(unknown marker id %u)", rec->id);
	}
	rcu_read_unlock();
	while (len && buf[len - 1] == ' ')
		len--;
	len = min_t(size_t, len, MARKER_LINE_MAX - 2);
	buf[len++] = '\n';
	buf[len] = '\0';
	return len;
}

static bool marker_buffer_has_data(void *data)
{
	return !ring_buffer_empty(marker_buffer);
}

/*
 * Consume the oldest record of any CPU and format it into @buf.
 * Return: its length, or 0 if the buffer is empty.
 */
static size_t marker_consume_line(char *buf)
{
	struct ring_buffer_event *rbe;
	unsigned long lost = 0;
	u64 ts, oldest = U64_MAX;
	int cpu, from = -1;
	size_t len = 0;

	lockdep_assert_held(&marker_read_mutex);
	for_each_possible_cpu(cpu) {
		if (ring_buffer_peek(marker_buffer, cpu, &ts, NULL) &&
		    ts < oldest) {
			oldest = ts;
			from = cpu;
		}
	}
	if (from < 0)
		return 0;
	rbe = ring_buffer_consume(marker_buffer, from, &ts, &lost);
	if (!rbe)
		return 0;
	if (lost)
		len = scnprintf(buf, MARKER_LINE_MAX,
				"CPU:%d [LOST %lu EVENTS]\n", from, lost);
	return len + marker_format_record(buf + len, from, ts,
					  ring_buffer_event_data(rbe));
}

/**
 * struct marker_pipe - a reader of trace_pipe
 * @line: the line being copied out
 * @len: its length
 * @off: how much of it was copied already
 */
struct marker_pipe {
	char line[2 * MARKER_LINE_MAX];
	size_t len;
	size_t off;
};

static int marker_pipe_open(struct inode *inode, struct file *file)
{
	struct marker_pipe *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);

	if (!pipe)
		return -ENOMEM;
	file->private_data = pipe;
	return nonseekable_open(inode, file);
}

static int marker_pipe_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/* Copy whole and partial lines, consuming records, until @count is met. */
static ssize_t marker_pipe_copy(struct marker_pipe *pipe, char __user *ubuf,
				size_t count)
{
	size_t done = 0, n;

	while (done < count) {
		if (pipe->off == pipe->len) {
			pipe->off = 0;
			pipe->len = marker_consume_line(pipe->line);
			if (!pipe->len)
				break;
		}
		n = min(count - done, pipe->len - pipe->off);
		if (copy_to_user(ubuf + done, pipe->line + pipe->off, n))
			return done ?: -EFAULT;
		pipe->off += n;
		done += n;
	}
	return done;
}

static ssize_t marker_pipe_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct marker_pipe *pipe = file->private_data;
	ssize_t ret;

	if (!count)
		return 0;
	for (;;) {
		mutex_lock(&marker_read_mutex);
		ret = marker_pipe_copy(pipe, ubuf, count);
		mutex_unlock(&marker_read_mutex);
		if (ret)
			return ret;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = ring_buffer_wait(marker_buffer, RING_BUFFER_ALL_CPUS, 0,
				       marker_buffer_has_data, NULL);
		if (ret)
			return ret;
	}
}

static __poll_t marker_pipe_poll(struct file *file, poll_table *wait)
{
	return ring_buffer_poll_wait(marker_buffer, RING_BUFFER_ALL_CPUS, file,
				     wait, 0);
}

static const struct file_operations marker_pipe_fops = {
	.owner = THIS_MODULE,
	.open = marker_pipe_open,
	.read = marker_pipe_read,
	.poll = marker_pipe_poll,
	.release = marker_pipe_release,
};

/**
 * struct marker_snapshot - a reader of trace, which consumes nothing
 * @pos: the seq_file position of the record at the iterators' heads
 * @cpu: the CPU whose iterator holds that record, or -1 at the end
 * @ts: its timestamp
 * @rec: the record
 * @line: where it is formatted
 * @iters: one iterator per possible CPU
 *
 * Position 0 is the header; records start at 1.
 */
struct marker_snapshot {
	loff_t pos;
	int cpu;
	u64 ts;
	const struct marker_record *rec;
	char line[2 * MARKER_LINE_MAX];
	struct ring_buffer_iter *iters[];
};

/* Point @snap at the oldest record under its iterators. */
static void marker_snapshot_peek(struct marker_snapshot *snap)
{
	struct ring_buffer_event *rbe;
	u64 ts;
	int cpu;

	snap->cpu = -1;
	for_each_possible_cpu(cpu) {
		if (!snap->iters[cpu])
			continue;
		rbe = ring_buffer_iter_peek(snap->iters[cpu], &ts);
		if (rbe && (snap->cpu < 0 || ts < snap->ts)) {
			snap->cpu = cpu;
			snap->ts = ts;
			snap->rec = ring_buffer_event_data(rbe);
		}
	}
}

static void *marker_snapshot_seek(struct marker_snapshot *snap, loff_t pos)
{
	int cpu;

	if (!pos)
		return SEQ_START_TOKEN;
	if (pos < snap->pos) {
		for_each_possible_cpu(cpu)
			if (snap->iters[cpu])
				ring_buffer_iter_reset(snap->iters[cpu]);
		snap->pos = 1;
	}
	marker_snapshot_peek(snap);
	while (snap->pos < pos && snap->cpu >= 0) {
		ring_buffer_iter_advance(snap->iters[snap->cpu]);
		snap->pos++;
		marker_snapshot_peek(snap);
	}
	return snap->cpu >= 0 ? snap : NULL;
}

static void *marker_snapshot_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&marker_read_mutex);
	return marker_snapshot_seek(m->private, *pos);
}

static void *marker_snapshot_next(struct seq_file *m, void *v, loff_t *pos)
{
	return marker_snapshot_seek(m->private, ++*pos);
}

static void marker_snapshot_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&marker_read_mutex);
}

static int marker_snapshot_show(struct seq_file *m, void *v)
{
	struct marker_snapshot *snap = m->private;
	size_t len;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "#            TASK-PID     CPU    TIMESTAMP  MARKER: ARGUMENTS\n");
		return 0;
	}
	len = marker_format_record(snap->line, snap->cpu, snap->ts, snap->rec);
	seq_write(m, snap->line, len);
	return 0;
}

static const struct seq_operations marker_snapshot_seq_ops = {
	.start = marker_snapshot_start,
	.next = marker_snapshot_next,
	.stop = marker_snapshot_stop,
	.show = marker_snapshot_show,
};

static void marker_snapshot_free(struct marker_snapshot *snap)
{
	int cpu;

	for_each_possible_cpu(cpu)
		if (snap->iters[cpu])
			ring_buffer_read_finish(snap->iters[cpu]);
	ring_buffer_record_enable(marker_buffer);
}

/*
 * While trace is open for reading, recording stops (the events that fire
 * meanwhile count as missed), so that it shows one consistent snapshot.
 */
static int marker_snapshot_open(struct file *file)
{
	struct marker_snapshot *snap;
	int cpu;

	snap = __seq_open_private(file, &marker_snapshot_seq_ops,
				  struct_size(snap, iters, nr_cpu_ids));
	if (!snap)
		return -ENOMEM;
	snap->pos = 1;
	ring_buffer_record_disable(marker_buffer);
	mutex_lock(&marker_read_mutex);
	for_each_possible_cpu(cpu)
		snap->iters[cpu] = ring_buffer_read_start(marker_buffer, cpu,
							  GFP_KERNEL);
	mutex_unlock(&marker_read_mutex);
	return 0;
}

static void marker_events_gc(void);

/* Empty the buffer; events that only records still needed can go. */
static void marker_buffer_reset(void)
{
	struct marker_event *event;

	mutex_lock(&marker_read_mutex);
	ring_buffer_reset(marker_buffer);
	mutex_unlock(&marker_read_mutex);

	/* Not while a sync is removing directories of events it may free. */
	mutex_lock(&marker_sync_mutex);
	mutex_lock(&marker_events_mutex);
	list_for_each_entry(event, &marker_events, list)
		event->recorded = event->enabled;
	list_for_each_entry(event, &marker_retired, list)
		event->recorded = false;
	marker_events_gc();
	mutex_unlock(&marker_events_mutex);
	mutex_unlock(&marker_sync_mutex);
}

static int marker_trace_open(struct inode *inode, struct file *file)
{
	if ((file->f_mode & FMODE_WRITE) && (file->f_flags & O_TRUNC))
		marker_buffer_reset();
	if (file->f_mode & FMODE_READ)
		return marker_snapshot_open(file);
	return 0;
}

static int marker_trace_release(struct inode *inode, struct file *file)
{
	struct seq_file *m;

	if (!(file->f_mode & FMODE_READ))
		return 0;
	m = file->private_data;
	marker_snapshot_free(m->private);
	return seq_release_private(inode, file);
}

/*
 * Copy a write to a control file from user space, NUL-terminated, and
 * refuse what cannot be a request: too long, or holding binary bytes.
 */
static char *marker_copy_request(const char __user *ubuf, size_t count,
				 const char *file)
{
	char *buf;
	size_t i;

	if (count > MARKER_WRITE_MAX) {
		pr_warn_ratelimited("%s: write of %zu bytes refused, the limit is %d\n",
				    file, count, MARKER_WRITE_MAX);
		return ERR_PTR(-E2BIG);
	}
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return buf;
	for (i = 0; i < count; i++) {
		if (!isprint(buf[i]) && !isspace(buf[i])) {
			pr_warn_ratelimited("%s: write refused, byte %zu is %#04x, not text\n",
					    file, i, (unsigned char)buf[i]);
			kfree(buf);
			return ERR_PTR(-EINVAL);
		}
	}
	return buf;
}

/*
 * Opening trace with O_TRUNC (echo > trace) empties the buffer; the write
 * that follows must be white space and does nothing more.
 */
static ssize_t marker_trace_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	char *buf = marker_copy_request(ubuf, count, "trace");

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (*skip_spaces(buf)) {
		pr_warn_ratelimited("trace: only an empty write (echo > trace) is accepted\n");
		kfree(buf);
		return -EINVAL;
	}
	kfree(buf);
	return count;
}

static const struct file_operations marker_trace_fops = {
	.owner = THIS_MODULE,
	.open = marker_trace_open,
	.read = seq_read,
	.write = marker_trace_write,
	.llseek = seq_lseek,
	.release = marker_trace_release,
};

/* The events: one per marker name (and format) seen loaded. */

static u32 marker_event_hash(const char *name)
{
	return jhash(name, strlen(name), 0);
}

static struct marker_event *marker_event_find(const char *name)
{
	struct marker_event *event;

	hash_for_each_possible(marker_event_names, event, node,
			       marker_event_hash(name))
		if (!strcmp(event->name, name))
			return event;
	return NULL;
}

static struct marker_event *marker_event_create(const char *name,
						const char *format)
{
	size_t name_len = strlen(name) + 1, format_len = strlen(format) + 1;
	struct marker_event *event;
	char *fmt;

	event = kzalloc(struct_size(event, name, name_len + format_len),
			GFP_KERNEL);
	if (!event)
		return NULL;
	memcpy(event->name, name, name_len);
	fmt = event->name + name_len;
	memcpy(fmt, format, format_len);
	event->format = fmt;
	if (xa_alloc(&marker_event_ids, &event->id, event, xa_limit_31b,
		     GFP_KERNEL)) {
		kfree(event);
		return NULL;
	}
	list_add_tail(&event->list, &marker_events);
	hash_add(marker_event_names, &event->node, marker_event_hash(name));
	return event;
}

static void marker_event_free(struct marker_event *event)
{
	xa_erase(&marker_event_ids, event->id);
	hash_del(&event->node);
	list_del(&event->list);
	kfree_rcu(event, rcu);
}

/*
 * Free the events nothing needs: not loaded, not enabled, no directory
 * and no record in the buffer. The recorder may still be running with an
 * event it was just disconnected from, hence kfree_rcu().
 */
static void marker_events_gc(void)
{
	struct marker_event *event, *tmp;

	lockdep_assert_held(&marker_sync_mutex);
	lockdep_assert_held(&marker_events_mutex);
	list_for_each_entry_safe(event, tmp, &marker_events, list)
		if (!event->loaded && !event->enabled && !event->recorded &&
		    !event->dir)
			marker_event_free(event);
	list_for_each_entry_safe(event, tmp, &marker_retired, list)
		if (!event->recorded && !event->dir)
			marker_event_free(event);
}

/* Connect and disconnect the recorder where @want differs, in one batch. */
static int marker_events_apply(void)
{
	struct marker_change *changes;
	struct marker_event *event;
	unsigned int nr = 0;
	int ret;

	lockdep_assert_held(&marker_events_mutex);
	list_for_each_entry(event, &marker_events, list)
		nr += event->want != event->enabled;
	if (!nr)
		return 0;
	changes = kcalloc(nr, sizeof(*changes), GFP_KERNEL);
	if (!changes) {
		ret = -ENOMEM;
		goto out;
	}
	nr = 0;
	list_for_each_entry(event, &marker_events, list) {
		if (event->want == event->enabled)
			continue;
		changes[nr].name = event->name;
		changes[nr].format = event->format;
		changes[nr].probe.func = (void *)marker_record;
		changes[nr].probe.probe_private = event;
		changes[nr++].connect = event->want;
	}
	ret = marker_probes_change(changes, nr);
	kfree(changes);
out:
	list_for_each_entry(event, &marker_events, list) {
		if (ret) {
			event->want = event->enabled;
			continue;
		}
		event->enabled = event->want;
		event->recorded |= event->enabled;
	}
	return ret;
}

static int marker_enable_show(struct seq_file *m, void *v)
{
	struct marker_event *event = m->private;

	seq_printf(m, "%d\n", READ_ONCE(event->enabled));
	return 0;
}

static int marker_enable_open(struct inode *inode, struct file *file)
{
	return single_open(file, marker_enable_show, inode->i_private);
}

/* events/<name>/enable takes "0" or "1", and nothing else. */
static ssize_t marker_enable_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct marker_event *event = file_inode(file)->i_private;
	char *buf = marker_copy_request(ubuf, count, "enable");
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	strim(buf);
	if (strcmp(buf, "0") && strcmp(buf, "1")) {
		pr_warn_ratelimited("marker %s: enable takes 0 or 1, not \"%s\"\n",
				    event->name, buf);
		kfree(buf);
		return -EINVAL;
	}
	mutex_lock(&marker_events_mutex);
	if (event->loaded) {
		event->want = buf[0] == '1';
		ret = marker_events_apply();
	} else {
		/* Its module went while this write waited for the mutex. */
		pr_warn_ratelimited("marker %s: no longer loaded\n", event->name);
		ret = -ENODEV;
	}
	mutex_unlock(&marker_events_mutex);
	kfree(buf);
	return ret ?: count;
}

static const struct file_operations marker_enable_fops = {
	.owner = THIS_MODULE,
	.open = marker_enable_open,
	.read = seq_read,
	.write = marker_enable_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/*
 * The type of the conversion at @p (just after its '%'), and its length
 * in *@len; formats follow the kernel's printk() conventions.
 */
static const char *marker_conversion_type(const char *p, size_t *len)
{
	static const char * const ints[] = { "int", "long", "long long",
					     "short", "char", "size_t" };
	const char *start = p;
	unsigned int size = 0;
	bool is_unsigned;
	char conv;

	p += strspn(p, "-+ #0123456789.*");
	if (*p == 'l')
		size = p[1] == 'l' ? 2 : 1;
	else if (*p == 'h')
		size = p[1] == 'h' ? 4 : 3;
	else if (*p == 'z')
		size = 5;
	p += size == 2 || size == 4 ? 2 : size ? 1 : 0;
	conv = *p ? *p++ : '\0';
	if (conv == 'p')
		while (isalnum(*p))
			p++;
	*len = p - start;
	switch (conv) {
	case 'd':
	case 'i':
		return size == 5 ? "ssize_t" : ints[size];
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		is_unsigned = true;
		break;
	case 'c':
		return "char";
	case 's':
		return "string";
	case 'p':
		return "pointer";
	default:
		return "unknown";
	}
	switch (size) {
	case 1:
		return "unsigned long";
	case 2:
		return "unsigned long long";
	case 3:
		return "unsigned short";
	case 4:
		return "unsigned char";
	case 5:
		return "size_t";
	}
	return is_unsigned ? "unsigned int" : "int";
}

/*
 * The word just before @conv, after @from (the end of the previous
 * conversion, so that the "d" of "%d %u" names nothing): the field's name
 * by convention.
 */
static int marker_field_name(const char *from, const char *conv,
			     const char **name)
{
	const char *end = conv, *start;

	while (end > from && end[-1] == ' ')
		end--;
	start = end;
	while (start > from && (isalnum(start[-1]) || start[-1] == '_'))
		start--;
	*name = start;
	return end - start;
}

/* One line per argument: its type and its name ("field %type"). */
static void marker_show_fields(struct seq_file *m, const char *fmt)
{
	const char *p = fmt, *from = fmt, *type, *name;
	unsigned int nr = 0;
	size_t len;
	int name_len;

	while ((p = strchr(p, '%'))) {
		if (p[1] == '%') {
			p += 2;
			continue;
		}
		type = marker_conversion_type(p + 1, &len);
		name_len = marker_field_name(from, p, &name);
		if (name_len)
			seq_printf(m, "\t%s %.*s;\n", type, name_len, name);
		else
			seq_printf(m, "\t%s arg%u;\n", type, nr);
		nr++;
		p += 1 + len;
		from = p;
	}
}

static int marker_format_show(struct seq_file *m, void *v)
{
	struct marker_event *event = m->private;

	seq_printf(m, "name: %s\nID: %u\nformat: \"%s\"\nfields:\n",
		   event->name, event->id, event->format);
	marker_show_fields(m, event->format);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(marker_format);

static int marker_hits_show(struct seq_file *m, void *v)
{
	struct marker_event *event = m->private;

	seq_printf(m, "%lu\n", atomic_long_read(&event->hits));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(marker_hits);

static int marker_missed_show(struct seq_file *m, void *v)
{
	struct marker_event *event = m->private;

	seq_printf(m, "%lu\n", atomic_long_read(&event->missed));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(marker_missed);

static void marker_event_create_dir(struct marker_event *event)
{
	struct dentry *dir = debugfs_create_dir(event->name, marker_events_dir);

	if (IS_ERR(dir)) {
		pr_warn("marker %s: no debugfs directory (%ld)\n", event->name,
			PTR_ERR(dir));
		return;
	}
	debugfs_create_file("enable", 0600, dir, event, &marker_enable_fops);
	debugfs_create_file("format", 0400, dir, event, &marker_format_fops);
	debugfs_create_file("hits", 0400, dir, event, &marker_hits_fops);
	debugfs_create_file("missed", 0400, dir, event, &marker_missed_fops);
	event->dir = dir;
}

/*
 * A site seen loaded. A name met again with another format (a module
 * rebuilt with a new one) gets a new event, unless the old format is
 * loaded too or still enabled: the registry then refuses the new sites.
 */
static int marker_event_site_loaded(const struct marker_site *site,
				    const char *module, void *data)
{
	struct marker_event *event = marker_event_find(site->name);

	if (event && strcmp(event->format, site->format)) {
		if (event->loaded || event->enabled)
			return 0;
		hash_del(&event->node);
		list_move_tail(&event->list, &marker_retired);
		event = NULL;
	}
	if (!event) {
		event = marker_event_create(site->name, site->format);
		if (!event)
			return -ENOMEM;
	}
	event->loaded = true;
	return 0;
}

/*
 * Take the directories of the events no longer loaded; they are removed
 * by the caller without marker_events_mutex.
 */
static unsigned int marker_events_take_dirs(struct list_head *list,
					    struct dentry **dirs,
					    unsigned int max)
{
	struct marker_event *event;
	unsigned int nr = 0;

	list_for_each_entry(event, list, list) {
		if (!event->dir || event->loaded)
			continue;
		if (nr < max)
			dirs[nr] = event->dir;
		event->dir = NULL;
		nr++;
	}
	return nr;
}

/* Bring the events and their directories in line with the loaded sites. */
static void marker_events_sync(void)
{
	struct marker_event *event;
	struct dentry **dirs;
	unsigned int nr = 0, max = 0, i;
	int ret;

	mutex_lock(&marker_sync_mutex);
	mutex_lock(&marker_events_mutex);
	list_for_each_entry(event, &marker_events, list) {
		event->loaded = false;
		max += !!event->dir;
	}
	ret = markers_walk_sites(marker_event_site_loaded, NULL);
	if (ret)
		pr_warn("cannot follow the loaded markers (%d)\n", ret);
	list_for_each_entry(event, &marker_retired, list)
		max += !!event->dir;
	dirs = kcalloc(max, sizeof(*dirs), GFP_KERNEL);
	if (!dirs)
		max = 0;
	nr += marker_events_take_dirs(&marker_events, dirs, max);
	nr += marker_events_take_dirs(&marker_retired, dirs + nr, max - nr);
	list_for_each_entry(event, &marker_events, list)
		if (event->loaded && !event->dir)
			marker_event_create_dir(event);
	mutex_unlock(&marker_events_mutex);

	for (i = 0; i < min(nr, max); i++)
		debugfs_remove(dirs[i]);
	kfree(dirs);

	mutex_lock(&marker_events_mutex);
	marker_events_gc();
	mutex_unlock(&marker_events_mutex);
	mutex_unlock(&marker_sync_mutex);
}

/* set_marker: names and globs to enable, !globs to disable. */

/* Apply one token of set_marker to the @want of the events it matches. */
static int marker_set_token(const char *token)
{
	bool enable = token[0] != '!';
	const char *glob = enable ? token : token + 1;
	struct marker_event *event;
	unsigned int matched = 0;

	if (!*glob) {
		pr_warn_ratelimited("set_marker: \"!\" without a name or glob\n");
		return -EINVAL;
	}
	list_for_each_entry(event, &marker_events, list) {
		if (!glob_match(glob, event->name))
			continue;
		if (!event->loaded && !(event->enabled && !enable))
			continue;
		event->want = enable;
		matched++;
	}
	if (!matched) {
		pr_warn_ratelimited("set_marker: \"%s\" matches no %s marker\n", glob,
				    enable ? "loaded" : "loaded or enabled");
		return -ENOENT;
	}
	return 0;
}

static int marker_set_request(char *buf)
{
	char *token;
	int ret;

	while ((token = strsep(&buf, " \t\n\r\v\f"))) {
		if (!*token)
			continue;
		ret = marker_set_token(token);
		if (ret)
			return ret;
	}
	return 0;
}

/* Roll back the @want of every event after a refused request. */
static void marker_events_unwant(void)
{
	struct marker_event *event;

	list_for_each_entry(event, &marker_events, list)
		event->want = event->enabled;
}

static ssize_t marker_set_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char *buf = marker_copy_request(ubuf, count, "set_marker");
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&marker_events_mutex);
	ret = marker_set_request(buf);
	if (ret)
		marker_events_unwant();
	else
		ret = marker_events_apply();
	mutex_unlock(&marker_events_mutex);
	kfree(buf);
	return ret ?: count;
}

static int marker_set_show(struct seq_file *m, void *v)
{
	struct marker_event *event;

	mutex_lock(&marker_events_mutex);
	list_for_each_entry(event, &marker_events, list)
		if (event->enabled)
			seq_printf(m, "%s\n", event->name);
	mutex_unlock(&marker_events_mutex);
	return 0;
}

/* Opening set_marker with O_TRUNC (echo x > set_marker) disables all. */
static int marker_set_open(struct inode *inode, struct file *file)
{
	struct marker_event *event;
	int ret;

	if ((file->f_mode & FMODE_WRITE) && (file->f_flags & O_TRUNC)) {
		mutex_lock(&marker_events_mutex);
		list_for_each_entry(event, &marker_events, list)
			event->want = false;
		ret = marker_events_apply();
		mutex_unlock(&marker_events_mutex);
		if (ret)
			return ret;
	}
	if (file->f_mode & FMODE_READ)
		return single_open(file, marker_set_show, NULL);
	return 0;
}

static int marker_set_release(struct inode *inode, struct file *file)
{
	if (file->f_mode & FMODE_READ)
		return single_release(inode, file);
	return 0;
}

static const struct file_operations marker_set_fops = {
	.owner = THIS_MODULE,
	.open = marker_set_open,
	.read = seq_read,
	.write = marker_set_write,
	.llseek = seq_lseek,
	.release = marker_set_release,
};

/*
 * control: queries in the style of dynamic debug, one per line or
 * separated by ';':
 *
 *	[module GLOB] [file GLOB[:LINE]] [func GLOB] [name GLOB]
 *	[format "SUBSTRING"] +|-
 *
 * A query selects sites; + enables and - disables the markers (names)
 * of the sites it selects. Reading lists every site and its state.
 */

/**
 * struct marker_query - one parsed query of control
 * @module: glob on the module name ("vmlinux" for the core kernel)
 * @file: glob on the source file path or its base name
 * @func: glob on the function
 * @name: glob on the marker name
 * @format: substring of the format
 * @line: source line, or 0 for any
 * @enable: + or -
 * @matched: sites selected
 */
struct marker_query {
	const char *module;
	const char *file;
	const char *func;
	const char *name;
	const char *format;
	unsigned int line;
	bool enable;
	unsigned int matched;
};

/*
 * The next white-space separated word of *@p, or a "double-quoted" one;
 * NULL at the end, ERR_PTR(-EINVAL) for an unterminated quote.
 */
static char *marker_query_word(char **p)
{
	char *word = skip_spaces(*p), *end;

	if (!*word)
		return NULL;
	if (*word == '"') {
		end = strchr(++word, '"');
		if (!end)
			return ERR_PTR(-EINVAL);
	} else {
		end = word;
		while (*end && !isspace(*end))
			end++;
	}
	*p = *end ? end + 1 : end;
	*end = '\0';
	return word;
}

static int marker_query_file(struct marker_query *q, char *arg)
{
	char *colon = strrchr(arg, ':');

	q->file = arg;
	if (!colon)
		return 0;
	*colon = '\0';
	if (kstrtouint(colon + 1, 10, &q->line) || !q->line)
		return -EINVAL;
	return 0;
}

/* Fill @q from one keyword and its argument. */
static int marker_query_term(struct marker_query *q, const char *key,
			     char *arg)
{
	const char **field;

	if (!strcmp(key, "module"))
		field = &q->module;
	else if (!strcmp(key, "file"))
		field = &q->file;
	else if (!strcmp(key, "func"))
		field = &q->func;
	else if (!strcmp(key, "name"))
		field = &q->name;
	else if (!strcmp(key, "format"))
		field = &q->format;
	else
		return -EINVAL;
	if (*field)
		return -EINVAL;
	if (field == &q->file)
		return marker_query_file(q, arg);
	*field = arg;
	return 0;
}

/* Parse one query; -ENODATA if it is empty. */
static int marker_query_parse(struct marker_query *q, char *query)
{
	char *word, *arg;

	memset(q, 0, sizeof(*q));
	for (;;) {
		word = marker_query_word(&query);
		if (IS_ERR_OR_NULL(word))
			break;
		if (!strcmp(word, "+") || !strcmp(word, "-")) {
			q->enable = *word == '+';
			return marker_query_word(&query) ? -EINVAL : 0;
		}
		arg = marker_query_word(&query);
		if (IS_ERR_OR_NULL(arg) || marker_query_term(q, word, arg))
			return -EINVAL;
	}
	if (IS_ERR(word) || q->module || q->file || q->func || q->name ||
	    q->format)
		return -EINVAL;
	return -ENODATA;
}

static bool marker_query_file_match(const char *glob, const char *file)
{
	return glob_match(glob, file) || glob_match(glob, kbasename(file));
}

static bool marker_query_match(const struct marker_query *q,
			       const struct marker_site *site,
			       const char *module)
{
	return (!q->module || glob_match(q->module, module)) &&
	       (!q->file || marker_query_file_match(q->file, site->file)) &&
	       (!q->line || q->line == site->line) &&
	       (!q->func || glob_match(q->func, site->function)) &&
	       (!q->name || glob_match(q->name, site->name)) &&
	       (!q->format || strstr(site->format, q->format));
}

static int marker_query_site(const struct marker_site *site,
			     const char *module, void *data)
{
	struct marker_query *q = data;
	struct marker_event *event;

	if (!marker_query_match(q, site, module))
		return 0;
	event = marker_event_find(site->name);
	if (!event || strcmp(event->format, site->format))
		return 0;
	event->want = q->enable;
	q->matched++;
	return 0;
}

static int marker_control_request(char *buf)
{
	struct marker_query q;
	char *query;
	int ret;

	while ((query = strsep(&buf, ";\n"))) {
		ret = marker_query_parse(&q, query);
		if (ret == -ENODATA)
			continue;
		if (ret) {
			pr_warn_ratelimited("control: malformed query \"%s\"\n", query);
			return ret;
		}
		markers_walk_sites(marker_query_site, &q);
		if (!q.matched) {
			pr_warn_ratelimited("control: query matches no loaded marker\n");
			return -ENOENT;
		}
	}
	return 0;
}

static ssize_t marker_control_write(struct file *file,
				    const char __user *ubuf, size_t count,
				    loff_t *ppos)
{
	char *buf = marker_copy_request(ubuf, count, "control");
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&marker_events_mutex);
	ret = marker_control_request(buf);
	if (ret)
		marker_events_unwant();
	else
		ret = marker_events_apply();
	mutex_unlock(&marker_events_mutex);
	kfree(buf);
	return ret ?: count;
}

static int marker_control_site(const struct marker_site *site,
			       const char *module, void *data)
{
	struct marker_event *event = marker_event_find(site->name);
	bool on = event && event->enabled &&
		  !strcmp(event->format, site->format);

	seq_printf(data, "%s:%u [%s]%s %s =%c \"%s\"\n", site->file,
		   site->line, module, site->function, site->name,
		   on ? 'r' : '_', site->format);
	return 0;
}

static int marker_control_show(struct seq_file *m, void *v)
{
	seq_puts(m, "# file:line [module]function name =flags \"format\"\n");
	mutex_lock(&marker_events_mutex);
	markers_walk_sites(marker_control_site, m);
	mutex_unlock(&marker_events_mutex);
	return 0;
}

static int marker_control_open(struct inode *inode, struct file *file)
{
	return single_open(file, marker_control_show, NULL);
}

static const struct file_operations marker_control_fops = {
	.owner = THIS_MODULE,
	.open = marker_control_open,
	.read = seq_read,
	.write = marker_control_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int marker_buffer_size_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%lu\n",
		   ring_buffer_size(marker_buffer, cpumask_first(cpu_possible_mask)) >> 10);
	return 0;
}

static int marker_buffer_size_open(struct inode *inode, struct file *file)
{
	return single_open(file, marker_buffer_size_show, NULL);
}

/* buffer_size_kb: the size of the buffer of each CPU, in KiB. */
/*
 * The ring buffer allocates what it is asked for on every CPU, and may
 * drive the system into the OOM killer doing so: refuse to grow it by more
 * than half of the memory available now.
 */
static bool marker_buffer_size_fits(unsigned long kb)
{
	u64 have = 0, want = (u64)kb * num_online_cpus();
	u64 avail = (u64)si_mem_available() << (PAGE_SHIFT - 10);
	int cpu;

	for_each_online_cpu(cpu)
		have += ring_buffer_size(marker_buffer, cpu) >> 10;
	return want <= have || want - have <= avail / 2;
}

static ssize_t marker_buffer_size_write(struct file *file,
					const char __user *ubuf, size_t count,
					loff_t *ppos)
{
	char *buf = marker_copy_request(ubuf, count, "buffer_size_kb");
	unsigned long kb;
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = kstrtoul(strim(buf), 10, &kb);
	if (ret || !kb || kb > MARKER_BUFFER_KB_MAX) {
		pr_warn_ratelimited("buffer_size_kb: \"%s\" is not a size from 1 to %d\n",
				    strim(buf), MARKER_BUFFER_KB_MAX);
		kfree(buf);
		return -EINVAL;
	}
	kfree(buf);
	mutex_lock(&marker_read_mutex);
	if (marker_buffer_size_fits(kb))
		ret = ring_buffer_resize(marker_buffer, kb << 10,
					 RING_BUFFER_ALL_CPUS);
	else
		ret = -ENOMEM;
	mutex_unlock(&marker_read_mutex);
	if (ret < 0)
		pr_warn_ratelimited("buffer_size_kb: cannot resize to %lu KiB on each of %u CPUs (%d)\n",
				    kb, num_online_cpus(), ret);
	return ret < 0 ? ret : count;
}

static const struct file_operations marker_buffer_size_fops = {
	.owner = THIS_MODULE,
	.open = marker_buffer_size_open,
	.read = seq_read,
	.write = marker_buffer_size_write,
	.llseek = seq_lseek,
	.release = single_release,
};

#ifdef CONFIG_MODULES
static int marker_events_module_notify(struct notifier_block *nb,
				       unsigned long state, void *data)
{
	struct module *mod = data;

	if (mod->num_markers && (state == MODULE_STATE_COMING ||
				 state == MODULE_STATE_GOING))
		marker_events_sync();
	return NOTIFY_OK;
}

static struct notifier_block marker_events_module_nb = {
	.notifier_call = marker_events_module_notify,
	/* After the registry has added or removed the module's sites. */
	.priority = -2,
};
#endif

static int __init marker_probe_init(void)
{
	struct dentry *dir = markers_debugfs_dir();

	if (IS_ERR_OR_NULL(dir))
		return 0;
	marker_scratch = alloc_percpu(struct marker_scratch);
	marker_buffer = ring_buffer_alloc(MARKER_BUFFER_KB_DEFAULT << 10, 0);
	if (!marker_scratch || !marker_buffer) {
		pr_warn("no memory for the recording probe\n");
		free_percpu(marker_scratch);
		if (marker_buffer)
			ring_buffer_free(marker_buffer);
		return -ENOMEM;
	}
	marker_events_dir = debugfs_create_dir("events", dir);
	debugfs_create_file("set_marker", 0600, dir, NULL, &marker_set_fops);
	debugfs_create_file("control", 0600, dir, NULL, &marker_control_fops);
	debugfs_create_file("trace", 0600, dir, NULL, &marker_trace_fops);
	debugfs_create_file("trace_pipe", 0400, dir, NULL, &marker_pipe_fops);
	debugfs_create_file("buffer_size_kb", 0600, dir, NULL,
			    &marker_buffer_size_fops);
	marker_events_sync();
#ifdef CONFIG_MODULES
	return register_module_notifier(&marker_events_module_nb);
#else
	return 0;
#endif
}
late_initcall(marker_probe_init);
