// SPDX-License-Identifier: GPL-2.0
/*
 * Requests that wait for their module: "GLOB:mod:MODULE" in set_marker
 * and a control query naming "module MODULE", when MODULE is not loaded.
 *
 * Such a request is remembered for its trace instance and applied each
 * time MODULE loads, once its markers' events exist and before its init
 * function runs, so that the markers of its init are recorded too; as
 * set_event's ":mod:" does for modules' trace events. It is listed by the
 * file that took it, and forgotten by "!GLOB:mod:MODULE" (or a "-" query
 * naming the module), by truncating the file, or with its instance.
 * A plain name that no loaded code has is still refused: only a module
 * name waits.
 *
 * A write stages what it adds and marks what it forgets; both take effect
 * only if the whole write succeeds (see marker_pending_end()).
 *
 * Everything here is protected by event_mutex.
 */

#include <linux/list.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "trace_markers.h"

/**
 * struct marker_pending - a request waiting for its module
 * @list: in marker_pending_requests, or a write's staged list
 * @tr: the trace instance it enables events in
 * @query: it is a control query; else a set_marker glob
 * @forget: the write being applied forgets it
 * @module: the module's name
 * @text: the glob (set_marker) or the whole query (control)
 */
struct marker_pending {
	struct list_head list;
	struct trace_array *tr;
	bool query;
	bool forget;
	char *module;
	char text[];
};

static LIST_HEAD(marker_pending_requests);

static void marker_pending_free(struct marker_pending *p)
{
	list_del(&p->list);
	kfree(p->module);
	kfree(p);
}

static bool marker_pending_is(const struct marker_pending *p,
			      struct trace_array *tr, const char *module,
			      const char *text, bool query)
{
	return p->tr == tr && p->query == query && !strcmp(p->module, module) &&
	       (!text || !strcmp(p->text, text));
}

/**
 * marker_pending_add - stage a request for a module not loaded
 * @staged: the write's staged list
 * @tr: the trace instance
 * @module: the module's name
 * @text: the glob, or the whole query
 * @query: @text is a control query
 *
 * A request already remembered is not added twice.
 *
 * Return: 0 or -ENOMEM.
 */
int marker_pending_add(struct list_head *staged, struct trace_array *tr,
		       const char *module, const char *text, bool query)
{
	size_t size = strlen(text) + 1;
	struct marker_pending *p;

	list_for_each_entry(p, &marker_pending_requests, list)
		if (marker_pending_is(p, tr, module, text, query)) {
			p->forget = false;
			return 0;
		}
	list_for_each_entry(p, staged, list)
		if (marker_pending_is(p, tr, module, text, query))
			return 0;
	p = kzalloc(struct_size(p, text, size), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->module = kstrdup(module, GFP_KERNEL);
	if (!p->module) {
		kfree(p);
		return -ENOMEM;
	}
	p->tr = tr;
	p->query = query;
	memcpy(p->text, text, size);
	list_add_tail(&p->list, staged);
	return 0;
}

/**
 * marker_pending_forget - mark the requests of a module to forget
 * @tr: the trace instance
 * @module: the module's name
 * @text: the glob or query to forget, or %NULL for every one of @module
 * @query: forget control queries; else set_marker globs
 *
 * Return: 0, or -ENOENT if nothing is remembered for that.
 */
int marker_pending_forget(struct trace_array *tr, const char *module,
			  const char *text, bool query)
{
	struct marker_pending *p;
	int ret = -ENOENT;

	list_for_each_entry(p, &marker_pending_requests, list) {
		if (marker_pending_is(p, tr, module, text, query)) {
			p->forget = true;
			ret = 0;
		}
	}
	return ret;
}

/**
 * marker_pending_end - end a write: remember and forget, or neither
 * @staged: the write's staged list
 * @done: the whole write succeeded
 */
void marker_pending_end(struct list_head *staged, bool done)
{
	struct marker_pending *p, *tmp;

	list_for_each_entry_safe(p, tmp, &marker_pending_requests, list) {
		if (done && p->forget)
			marker_pending_free(p);
		else
			p->forget = false;
	}
	list_for_each_entry_safe(p, tmp, staged, list) {
		if (done)
			list_move_tail(&p->list, &marker_pending_requests);
		else
			marker_pending_free(p);
	}
}

/**
 * marker_pending_clear - forget the requests of @tr that a file took
 * @tr: the trace instance, or %NULL for every one
 * @query: control's; else set_marker's
 */
void marker_pending_clear(struct trace_array *tr, bool query)
{
	struct marker_pending *p, *tmp;

	list_for_each_entry_safe(p, tmp, &marker_pending_requests, list)
		if ((!tr || p->tr == tr) && p->query == query)
			marker_pending_free(p);
}

/**
 * marker_pending_show - list the requests of @tr that a file took
 * @m: where
 * @tr: the trace instance
 * @query: control's, as comments; else set_marker's, as it takes them
 */
void marker_pending_show(struct seq_file *m, struct trace_array *tr,
			 bool query)
{
	struct marker_pending *p;

	list_for_each_entry(p, &marker_pending_requests, list) {
		if (p->tr != tr || p->query != query)
			continue;
		if (query)
			seq_printf(m, "# waiting for %s: %s\n", p->module,
				   p->text);
		else
			seq_printf(m, "%s:mod:%s\n", p->text, p->module);
	}
}

/**
 * marker_pending_for_module - call @fn for each request waiting for @module
 * @module: the module that is loading
 * @fn: applies one request: its instance, its text, whether it is a query
 *
 * Context: event_mutex held; @fn must not add or forget requests.
 */
void marker_pending_for_module(const char *module,
			       void (*fn)(struct trace_array *tr,
					  const char *module, const char *text,
					  bool query))
{
	struct marker_pending *p;

	list_for_each_entry(p, &marker_pending_requests, list)
		if (!strcmp(p->module, module))
			fn(p->tr, p->module, p->text, p->query);
}
