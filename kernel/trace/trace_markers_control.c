// SPDX-License-Identifier: GPL-2.0
/*
 * The languages of set_marker and marker_control (control in debugfs):
 * the markers' events of one trace instance enabled by name, glob or
 * query. trace_markers_tracefs.c makes the files.
 *
 * They exist beside tracefs's set_event for what only markers have: the
 * sites. control takes queries in the style of dynamic debug,
 *
 *	[module GLOB] [file GLOB[:LINE]] [line N[-M]] [func GLOB]
 *	[name GLOB] [format "SUBSTRING"] +|-
 *
 * one per line or separated by ';': + enables and - disables the events
 * of the markers whose sites a query selects. set_marker takes names and
 * globs to enable, !globs to disable, and GLOB:mod:MODULE for the
 * markers of one module. A request for a module not loaded waits for it
 * (trace_markers_pending.c). A write is all or nothing: it is checked
 * whole, then the enables are made (any may fail: those done are undone)
 * and then the disables, which cannot fail.
 *
 * Both work under event_mutex, which protects the events; reading the
 * sites takes the registry's mutex inside it. What a request wants is its
 * own (struct marker_request), not the events'.
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/ctype.h>
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

/**
 * struct marker_request - one request being applied
 * @tr: the trace instance it acts on
 * @staged: what it asks to wait for a module (trace_markers_pending.c)
 * @want: by event type, the events it wants enabled in @tr
 * @toggled: by event type, those it enabled, to disable if it fails
 * @nbits: the size of @want and @toggled: the largest type, plus one
 *
 * The events do not change while a request is applied: adding and
 * removing them takes event_mutex too.
 */
struct marker_request {
	struct trace_array *tr;
	struct list_head staged;
	unsigned long *want;
	unsigned long *toggled;
	unsigned int nbits;
};

static unsigned int marker_event_bit(const struct marker_event *ev)
{
	return ev->call.event.type;
}

static void marker_request_want(struct marker_request *req,
				struct marker_event *ev, bool enable)
{
	__assign_bit(marker_event_bit(ev), req->want, enable);
}

static bool marker_request_wants(const struct marker_request *req,
				 const struct marker_event *ev)
{
	return test_bit(marker_event_bit(ev), req->want);
}

/* Start a request on @tr: every event wants the state it has now. */
static int marker_request_begin(struct marker_request *req,
				struct trace_array *tr)
{
	struct marker_event *ev;

	*req = (struct marker_request) {
		.tr = tr,
		.staged = LIST_HEAD_INIT(req->staged),
	};
	for_each_marker_event(ev)
		req->nbits = max(req->nbits, marker_event_bit(ev) + 1);
	req->want = bitmap_zalloc(req->nbits, GFP_KERNEL);
	req->toggled = bitmap_zalloc(req->nbits, GFP_KERNEL);
	if (req->nbits && (!req->want || !req->toggled)) {
		bitmap_free(req->want);
		bitmap_free(req->toggled);
		return -ENOMEM;
	}
	for_each_marker_event(ev)
		marker_request_want(req, ev, marker_event_enabled(tr, ev));
	return 0;
}

static void marker_request_end(struct marker_request *req)
{
	bitmap_free(req->want);
	bitmap_free(req->toggled);
}

/* Enable the events that want to be, all or nothing. */
static int marker_request_enable(struct marker_request *req)
{
	struct marker_event *ev;
	int ret = 0;

	for_each_marker_event(ev) {
		if (!marker_request_wants(req, ev) ||
		    marker_event_enabled(req->tr, ev))
			continue;
		ret = marker_event_enable(req->tr, ev, true);
		if (ret) {
			pr_warn_ratelimited("marker %s: cannot enable its event (%d)\n",
					    ev->name, ret);
			break;
		}
		__set_bit(marker_event_bit(ev), req->toggled);
	}
	if (ret)
		/* Disabling takes back the connections made. */
		for_each_marker_event(ev)
			if (test_bit(marker_event_bit(ev), req->toggled))
				marker_event_enable(req->tr, ev, false);
	return ret;
}

/* Disable the events that want to be; this cannot fail. */
static void marker_request_disable(struct marker_request *req)
{
	struct marker_event *ev;

	for_each_marker_event(ev)
		if (!marker_request_wants(req, ev) &&
		    marker_event_enabled(req->tr, ev))
			marker_event_enable(req->tr, ev, false);
}

/*
 * Make every event's state what the request wants: the enables, which
 * may fail and are then taken back whole, then the disables, which
 * cannot. The registry's batch patches the sites of all of them in one
 * sequence.
 */
static int marker_request_apply(struct marker_request *req)
{
	int ret;

	markers_batch_begin();
	ret = marker_request_enable(req);
	if (!ret)
		marker_request_disable(req);
	markers_batch_end();
	return ret;
}

/*
 * Apply one request to @tr: let @request() say what it wants and stage
 * what waits for a module, then make all of it or nothing.
 */
static int marker_apply_request(struct trace_array *tr, char *buf,
				int (*request)(struct marker_request *req,
					       char *buf))
{
	struct marker_request req;
	int ret;

	ret = marker_request_begin(&req, tr);
	if (ret)
		return ret;
	ret = request(&req, buf);
	if (!ret)
		ret = marker_request_apply(&req);
	marker_pending_end(&req.staged, !ret);
	marker_request_end(&req);
	return ret;
}

/* One write to set_marker or control: copy it and apply it. */
static ssize_t marker_write_request(struct trace_array *tr,
				    const char __user *ubuf, size_t count,
				    const char *file,
				    int (*request)(struct marker_request *req,
						   char *buf))
{
	char *buf = marker_copy_request(ubuf, count, file);
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&event_mutex);
	ret = marker_apply_request(tr, buf, request);
	mutex_unlock(&event_mutex);
	kfree(buf);
	return ret ?: count;
}

/* The event recording @site, if it records this site's format. */
static struct marker_event *marker_site_event(const struct marker_site *site)
{
	struct marker_event *ev = marker_event_find(site->name);

	if (!ev || strcmp(ev->fields->format, site->format))
		return NULL;
	return ev;
}

/* Module names, as the module loader keeps them: '-' is '_'. */
static void marker_module_name(char *name)
{
	for (name = strchr(name, '-'); name; name = strchr(name + 1, '-'))
		*name = '_';
}

/* set_marker ------------------------------------------------------------ */

/* GLOB:mod:MODULE, for the sites of a loaded module */
struct marker_set_module {
	struct marker_request *req;
	const char *glob;
	const char *module;
	bool enable;
	unsigned int matched;
};

static int marker_set_module_site(const struct marker_site *site,
				  const char *module, void *data)
{
	struct marker_set_module *sm = data;
	struct marker_event *ev;

	if (strcmp(module, sm->module) || !glob_match(sm->glob, site->name))
		return 0;
	ev = marker_site_event(site);
	if (ev) {
		marker_request_want(sm->req, ev, sm->enable);
		sm->matched++;
	}
	return 0;
}

static int marker_set_module_glob(struct marker_request *req,
				  const char *glob, const char *module,
				  bool enable)
{
	struct marker_set_module sm = {
		.req = req,
		.glob = *glob ? glob : "*",
		.module = module,
		.enable = enable,
	};

	markers_walk_sites(marker_set_module_site, &sm);
	if (sm.matched)
		return 0;
	pr_warn_ratelimited("set_marker: \"%s:mod:%s\" matches no marker of that module\n",
			    glob, module);
	return -ENOENT;
}

/*
 * GLOB:mod:MODULE: the markers GLOB selects among those of MODULE (all of
 * them for an empty GLOB), or, if MODULE is not loaded, a request that
 * waits for it; with '!', disable them, or forget that request.
 */
static int marker_set_mod_token(struct marker_request *req, char *glob,
				char *mod, bool enable)
{
	char *module = mod + strlen(":mod:");
	int ret;

	*mod = '\0';
	if (!*module || strchr(module, ':')) {
		pr_warn_ratelimited("set_marker: \"%s:mod:%s\" names no module\n",
				    glob, module);
		return -EINVAL;
	}
	marker_module_name(module);
	if (marker_events_module_loaded(module))
		return marker_set_module_glob(req, glob, module, enable);
	if (enable)
		return marker_pending_add(&req->staged, req->tr, module, glob,
					  false);
	ret = marker_pending_forget(req->tr, module, glob, false);
	if (ret)
		pr_warn_ratelimited("set_marker: \"%s:mod:%s\": the module is not loaded and nothing waits for it\n",
				    glob, module);
	return ret;
}

/* Apply one token of set_marker to the @want of the events it matches. */
static int marker_set_token(struct marker_request *req, char *token)
{
	bool enable = token[0] != '!';
	char *glob = enable ? token : token + 1;
	struct trace_array *tr = req->tr;
	unsigned int matched = 0;
	struct marker_event *ev;
	char *mod;

	if (!*glob) {
		pr_warn_ratelimited("set_marker: \"!\" without a name or glob\n");
		return -EINVAL;
	}
	mod = strstr(glob, ":mod:");
	if (mod)
		return marker_set_mod_token(req, glob, mod, enable);
	for_each_marker_event(ev) {
		if (!glob_match(glob, ev->name))
			continue;
		if (ev->state != MARKER_EVENT_LIVE &&
		    (enable || !marker_event_enabled(tr, ev)))
			continue;
		marker_request_want(req, ev, enable);
		matched++;
	}
	if (!matched) {
		pr_warn_ratelimited("set_marker: \"%s\" matches no %s marker\n", glob,
				    enable ? "loaded" : "loaded or enabled");
		return -ENOENT;
	}
	return 0;
}

static int marker_set_request(struct marker_request *req, char *buf)
{
	char *token;
	int ret;

	while ((token = strsep(&buf, " \t\n\r\v\f"))) {
		if (!*token)
			continue;
		ret = marker_set_token(req, token);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * marker_set_write - a write to set_marker
 * @tr: the trace instance it acts on
 * @ubuf: what was written
 * @count: its size
 *
 * Return: @count, or the error that refused the whole request.
 */
ssize_t marker_set_write(struct trace_array *tr, const char __user *ubuf,
			 size_t count)
{
	return marker_write_request(tr, ubuf, count, "set_marker",
				    marker_set_request);
}

/**
 * marker_set_show - set_marker's listing: the events recording in @tr
 * @m: where to list them
 * @tr: the trace instance
 *
 * Return: 0.
 */
int marker_set_show(struct seq_file *m, struct trace_array *tr)
{
	struct marker_event *ev;

	mutex_lock(&event_mutex);
	for_each_marker_event(ev)
		if (marker_event_enabled(tr, ev))
			seq_printf(m, "%s\n", ev->name);
	marker_pending_show(m, tr, false);
	mutex_unlock(&event_mutex);
	return 0;
}

/**
 * marker_set_clear - disable every marker's event in @tr, forget what waits
 * @tr: the trace instance
 *
 * What opening set_marker with O_TRUNC does, as set_event does.
 */
void marker_set_clear(struct trace_array *tr)
{
	struct marker_request req;

	mutex_lock(&event_mutex);
	marker_pending_clear(tr, false);
	if (!marker_request_begin(&req, tr)) {
		bitmap_zero(req.want, req.nbits);
		marker_request_apply(&req);
		marker_request_end(&req);
	}
	mutex_unlock(&event_mutex);
}

/* control --------------------------------------------------------------- */

/**
 * struct marker_query - one parsed query of control
 * @module: glob on the module name ("vmlinux" for the core kernel)
 * @file: glob on the source file path or its base name
 * @func: glob on the function
 * @name: glob on the marker name
 * @format: substring of the format
 * @first_line: first source line selected (0 and @last_line 0: any line)
 * @last_line: last source line selected
 * @bad: the word that made the query malformed, for the warning
 * @enable: + or -
 * @matched: sites selected
 * @req: the request it is part of, which gets what it selects
 */
struct marker_query {
	const char *module;
	const char *file;
	const char *func;
	const char *name;
	const char *format;
	unsigned int first_line;
	unsigned int last_line;
	const char *bad;
	bool enable;
	unsigned int matched;
	struct marker_request *req;
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

/*
 * A line or a range of lines, as dynamic debug takes them: "N", "N-M",
 * "-M" (from the first line) or "N-" (to the last).
 */
static int marker_query_lines(struct marker_query *q, char *arg)
{
	char *dash = strchr(arg, '-');

	if (q->last_line)
		return -EINVAL;
	if (!dash) {
		if (kstrtouint(arg, 10, &q->first_line) || !q->first_line)
			return -EINVAL;
		q->last_line = q->first_line;
		return 0;
	}
	*dash = '\0';
	q->first_line = 1;
	q->last_line = UINT_MAX;
	if ((*arg && kstrtouint(arg, 10, &q->first_line)) ||
	    (dash[1] && kstrtouint(dash + 1, 10, &q->last_line)) ||
	    !q->first_line || q->first_line > q->last_line)
		return -EINVAL;
	return 0;
}

static int marker_query_file(struct marker_query *q, char *arg)
{
	char *colon = strrchr(arg, ':');

	q->file = arg;
	if (!colon)
		return 0;
	*colon = '\0';
	return marker_query_lines(q, colon + 1);
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
	else if (!strcmp(key, "line"))
		return marker_query_lines(q, arg);
	else
		return -EINVAL;
	if (*field)
		return -EINVAL;
	if (field == &q->file)
		return marker_query_file(q, arg);
	*field = arg;
	return 0;
}

/* Parse one query; -ENODATA if it is empty. @q->bad names a bad word. */
static int marker_query_parse(struct marker_query *q, char *query)
{
	char *word, *arg;

	memset(q, 0, sizeof(*q));
	for (;;) {
		word = marker_query_word(&query);
		if (IS_ERR_OR_NULL(word))
			break;
		q->bad = word;
		if (!strcmp(word, "+") || !strcmp(word, "-")) {
			q->enable = *word == '+';
			word = marker_query_word(&query);
			if (!word)
				return 0;
			q->bad = IS_ERR(word) ? "\"" : word;
			return -EINVAL;
		}
		arg = marker_query_word(&query);
		if (IS_ERR(arg))
			q->bad = "\"";
		if (IS_ERR_OR_NULL(arg) || marker_query_term(q, word, arg))
			return -EINVAL;
	}
	if (IS_ERR(word))
		q->bad = "\"";
	else if (q->bad)
		q->bad = "+ or -";
	return q->bad ? -EINVAL : -ENODATA;
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
	       (!q->last_line || (site->line >= q->first_line &&
				  site->line <= q->last_line)) &&
	       (!q->func || glob_match(q->func, site->function)) &&
	       (!q->name || glob_match(q->name, site->name)) &&
	       (!q->format || strstr(site->format, q->format));
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
	marker_request_want(q->req, ev, q->enable);
	q->matched++;
	return 0;
}

/*
 * A query that matched nothing because it names a module (a plain name,
 * no glob) that is not loaded waits for it; "-" forgets what waits.
 */
static int marker_query_wait(struct marker_request *req,
			     struct marker_query *q, const char *text)
{
	char *module;
	int ret;

	if (!q->module || strpbrk(q->module, "*?[") ||
	    marker_events_module_loaded(q->module))
		return -ENOENT;
	module = kstrdup(q->module, GFP_KERNEL);
	if (!module)
		return -ENOMEM;
	marker_module_name(module);
	if (q->enable)
		ret = marker_pending_add(&req->staged, req->tr, module, text,
					 true);
	else
		ret = marker_pending_forget(req->tr, module, NULL, true);
	kfree(module);
	return ret;
}

/* One query: the request wants its sites' events on or off, or it waits. */
static int marker_control_query(struct marker_request *req, char *query)
{
	/* parsing cuts the query into words: keep it to show and remember */
	char *text = kstrdup(strim(query), GFP_KERNEL);
	struct marker_query q;
	int ret;

	if (!text)
		return -ENOMEM;
	ret = marker_query_parse(&q, query);
	if (ret == -EINVAL)
		pr_warn_ratelimited("control: malformed query \"%s\" at \"%s\"\n",
				    text, q.bad);
	if (!ret) {
		q.req = req;
		markers_walk_sites(marker_query_site, &q);
		if (!q.matched)
			ret = marker_query_wait(req, &q, text);
		if (ret == -ENOENT)
			pr_warn_ratelimited("control: query \"%s\" matches no loaded marker\n",
					    text);
	}
	kfree(text);
	return ret == -ENODATA ? 0 : ret;
}

static int marker_control_request(struct marker_request *req, char *buf)
{
	char *query;
	int ret;

	while ((query = strsep(&buf, ";\n"))) {
		ret = marker_control_query(req, query);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * marker_control_write - a write to marker_control (control in debugfs)
 * @tr: the trace instance it acts on
 * @ubuf: what was written
 * @count: its size
 *
 * Return: @count, or the error that refused the whole request.
 */
ssize_t marker_control_write(struct trace_array *tr, const char __user *ubuf,
			     size_t count)
{
	return marker_write_request(tr, ubuf, count, "control",
				    marker_control_request);
}

/* Where control's listing goes, and for which instance. */
struct marker_control_listing {
	struct seq_file *m;
	struct trace_array *tr;
};

static int marker_control_site(const struct marker_site *site,
			       const char *module, void *data)
{
	struct marker_control_listing *l = data;
	struct marker_event *ev = marker_site_event(site);
	bool on = ev && marker_event_enabled(l->tr, ev);
	bool soft = ev && marker_event_soft_mode(l->tr, ev);

	/* '*': a trigger controls the event, as its enable file shows */
	seq_printf(l->m, "%s:%u [%s]%s %s =%c%s \"%s\"\n", site->file,
		   site->line, module, site->function, site->name,
		   on ? 'r' : '_', soft ? "*" : "", site->format);
	return 0;
}

/**
 * marker_control_show - control's listing: one line per site
 * @m: where to list them
 * @tr: the trace instance whose state the flags show
 *
 * Return: 0.
 */
int marker_control_show(struct seq_file *m, struct trace_array *tr)
{
	struct marker_control_listing l = { .m = m, .tr = tr };

	seq_puts(m, "# file:line [module]function name =flags \"format\"\n");
	mutex_lock(&event_mutex);
	markers_walk_sites(marker_control_site, &l);
	marker_pending_show(m, tr, true);
	mutex_unlock(&event_mutex);
	return 0;
}

/**
 * marker_control_clear - forget the queries of @tr that wait for a module
 * @tr: the trace instance
 *
 * What opening control with O_TRUNC does.
 */
void marker_control_clear(struct trace_array *tr)
{
	mutex_lock(&event_mutex);
	marker_pending_clear(tr, true);
	mutex_unlock(&event_mutex);
}

/*
 * Apply a request that waited for @module, now loading, as the write it
 * was: a set_marker token GLOB:mod:MODULE, or a control query.
 */
static void marker_apply_waiting(struct trace_array *tr, const char *module,
				 const char *text, bool query)
{
	char *buf = query ? kstrdup(text, GFP_KERNEL) :
			    kasprintf(GFP_KERNEL, "%s:mod:%s", text, module);
	int ret = -ENOMEM;

	if (buf)
		ret = marker_apply_request(tr, buf, query ?
					   marker_control_request :
					   marker_set_request);
	if (ret)
		pr_warn("marker %s: the request waiting for module %s failed (%d)\n",
			text, module, ret);
	kfree(buf);
}

/**
 * marker_control_module_loaded - apply the requests waiting for @module
 * @module: a module whose markers' events have just been added
 *
 * Called before the module's init function runs.
 */
void marker_control_module_loaded(const char *module)
{
	mutex_lock(&event_mutex);
	marker_pending_for_module(module, marker_apply_waiting);
	mutex_unlock(&event_mutex);
}
