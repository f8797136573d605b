// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs set_marker and control: the markers' events enabled in the
 * top-level trace buffer by name, glob or query.
 *
 * They exist beside tracefs's set_event for what only markers have: the
 * sites. control takes queries in the style of dynamic debug,
 *
 *	[module GLOB] [file GLOB[:LINE]] [func GLOB] [name GLOB]
 *	[format "SUBSTRING"] +|-
 *
 * one per line or separated by ';': + enables and - disables the events
 * of the markers whose sites a query selects. set_marker takes names and
 * globs to enable, !globs to disable. A write is all or nothing: it is
 * checked whole, then the enables are made (any may fail: those done are
 * undone) and then the disables, which cannot fail.
 *
 * Both work under marker_events_lock() (event_mutex), which protects the
 * events; reading the sites takes the registry's mutex inside it.
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/glob.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "trace_markers.h"

/* Longest write the files accept, as dynamic debug's control file. */
#define MARKER_WRITE_MAX	4096

/*
 * Copy a write from user space, NUL-terminated, and refuse what cannot be
 * a request: too long, or holding binary bytes.
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

/* Start or end a request: every event wants the state it has. */
static void marker_events_want_current(void)
{
	struct marker_event *ev;

	list_for_each_entry(ev, &marker_events, list) {
		ev->want = marker_event_enabled(ev);
		ev->toggled = false;
	}
}

/* Enable the events that want to be, in one batch; all or nothing. */
static int marker_events_apply_enables(unsigned int nr)
{
	struct marker_event *ev;
	int ret;

	ret = marker_events_batch_begin(nr);
	if (ret)
		return ret;
	list_for_each_entry(ev, &marker_events, list) {
		if (!ev->want || marker_event_enabled(ev))
			continue;
		ret = marker_event_enable(ev, true);
		if (ret) {
			pr_warn_ratelimited("marker %s: cannot enable its event (%d)\n",
					    ev->name, ret);
			break;
		}
		ev->toggled = true;
	}
	if (!ret)
		ret = marker_events_batch_flush();
	if (ret)
		/* Disabling takes back the connections queued or made. */
		list_for_each_entry(ev, &marker_events, list)
			if (ev->toggled)
				marker_event_enable(ev, false);
	if (ret)
		marker_events_batch_flush();
	marker_events_batch_end();
	return ret;
}

/* Disable the events that want to be; this cannot fail. */
static void marker_events_apply_disables(unsigned int nr)
{
	bool batched = !marker_events_batch_begin(nr);
	struct marker_event *ev;

	list_for_each_entry(ev, &marker_events, list)
		if (!ev->want && marker_event_enabled(ev))
			marker_event_enable(ev, false);
	if (batched) {
		marker_events_batch_flush();
		marker_events_batch_end();
	}
}

/*
 * Make every event's state what its @want says: all the enables in one
 * batch, which may fail and is then taken back whole, then all the
 * disables in another, which cannot fail.
 */
static int marker_events_apply(void)
{
	unsigned int on = 0, off = 0;
	struct marker_event *ev;
	int ret = 0;

	list_for_each_entry(ev, &marker_events, list) {
		if (ev->want == marker_event_enabled(ev))
			continue;
		if (ev->want)
			on++;
		else
			off++;
	}
	if (on)
		ret = marker_events_apply_enables(on);
	if (!ret && off)
		marker_events_apply_disables(off);
	marker_events_want_current();
	return ret;
}

/*
 * One write to set_marker or control: copy it, let @request() set the
 * events' @want, and apply all of it or nothing.
 */
static ssize_t marker_write_request(const char __user *ubuf, size_t count,
				    const char *file, int (*request)(char *))
{
	char *buf = marker_copy_request(ubuf, count, file);
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	marker_events_lock();
	marker_events_want_current();
	ret = request(buf);
	if (ret)
		marker_events_want_current();
	else
		ret = marker_events_apply();
	marker_events_unlock();
	kfree(buf);
	return ret ?: count;
}

/* set_marker ------------------------------------------------------------ */

/* Apply one token of set_marker to the @want of the events it matches. */
static int marker_set_token(const char *token)
{
	bool enable = token[0] != '!';
	const char *glob = enable ? token : token + 1;
	struct marker_event *ev;
	unsigned int matched = 0;

	if (!*glob) {
		pr_warn_ratelimited("set_marker: \"!\" without a name or glob\n");
		return -EINVAL;
	}
	list_for_each_entry(ev, &marker_events, list) {
		if (!glob_match(glob, ev->name))
			continue;
		if (!ev->loaded && (enable || !marker_event_enabled(ev)))
			continue;
		ev->want = enable;
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

static ssize_t marker_set_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	return marker_write_request(ubuf, count, "set_marker",
				    marker_set_request);
}

static int marker_set_show(struct seq_file *m, void *v)
{
	struct marker_event *ev;

	marker_events_lock();
	list_for_each_entry(ev, &marker_events, list)
		if (marker_event_enabled(ev))
			seq_printf(m, "%s\n", ev->name);
	marker_events_unlock();
	return 0;
}

/*
 * Opening set_marker with O_TRUNC (echo x > set_marker) disables all, as
 * set_event does, which is why this is not DEFINE_SHOW_STORE_ATTRIBUTE()'s
 * open. Every open gets a seq_file, whatever its mode: lseek() and read()
 * on any descriptor then act on it, never on a missing one.
 */
static int marker_set_open(struct inode *inode, struct file *file)
{
	struct marker_event *ev;

	if ((file->f_mode & FMODE_WRITE) && (file->f_flags & O_TRUNC)) {
		marker_events_lock();
		marker_events_want_current();
		list_for_each_entry(ev, &marker_events, list)
			ev->want = false;
		marker_events_apply();
		marker_events_unlock();
	}
	return single_open(file, marker_set_show, NULL);
}

static const struct file_operations marker_set_fops = {
	.open = marker_set_open,
	.read = seq_read,
	.write = marker_set_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* control --------------------------------------------------------------- */

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

/* The event recording @site, if it records this site's format. */
static struct marker_event *marker_site_event(const struct marker_site *site)
{
	struct marker_event *ev = marker_event_find(site->name);

	if (!ev || strcmp(ev->fields->format, site->format))
		return NULL;
	return ev;
}

static int marker_query_site(const struct marker_site *site,
			     const char *module, void *data)
{
	struct marker_query *q = data;
	struct marker_event *ev;

	if (!marker_query_match(q, site, module))
		return 0;
	ev = marker_site_event(site);
	if (!ev)
		return 0;
	ev->want = q->enable;
	q->matched++;
	return 0;
}

static int marker_control_request(char *buf)
{
	struct marker_query q;
	char shown[64];
	char *query;
	int ret;

	while ((query = strsep(&buf, ";\n"))) {
		/* parsing cuts the query into words: keep it to show it */
		strscpy(shown, query, sizeof(shown));
		ret = marker_query_parse(&q, query);
		if (ret == -ENODATA)
			continue;
		if (ret) {
			pr_warn_ratelimited("control: malformed query \"%s\"\n",
					    strim(shown));
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
	return marker_write_request(ubuf, count, "control",
				    marker_control_request);
}

static int marker_control_site(const struct marker_site *site,
			       const char *module, void *data)
{
	struct marker_event *ev = marker_site_event(site);
	bool on = ev && marker_event_enabled(ev);
	bool soft = ev && marker_event_soft_mode(ev);

	/* '*': a trigger controls the event, as its enable file shows */
	seq_printf(data, "%s:%u [%s]%s %s =%c%s \"%s\"\n", site->file,
		   site->line, module, site->function, site->name,
		   on ? 'r' : '_', soft ? "*" : "", site->format);
	return 0;
}

static int marker_control_show(struct seq_file *m, void *v)
{
	seq_puts(m, "# file:line [module]function name =flags \"format\"\n");
	marker_events_lock();
	markers_walk_sites(marker_control_site, m);
	marker_events_unlock();
	return 0;
}

DEFINE_SHOW_STORE_ATTRIBUTE(marker_control);

/**
 * marker_control_init - create set_marker and control
 * @dir: the markers directory of debugfs, or an error or %NULL
 */
void marker_control_init(struct dentry *dir)
{
	if (IS_ERR_OR_NULL(dir))
		return;
	debugfs_create_file("set_marker", 0600, dir, NULL, &marker_set_fops);
	debugfs_create_file("control", 0600, dir, NULL, &marker_control_fops);
}
