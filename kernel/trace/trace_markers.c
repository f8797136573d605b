// SPDX-License-Identifier: GPL-2.0
/*
 * Every marker is a trace event: markers:<name>.
 *
 * Each marker name the kernel and its modules have loaded gets a trace
 * event of system "markers", with one field per argument (see
 * trace_markers_fields.c), so that ftrace, trace-cmd, perf and BPF
 * programs see markers as they see any other event, with filters,
 * triggers, instances and pid filtering from the trace event machinery.
 *
 * The event's reg() connects a direct probe to the marker for each user:
 * one per trace instance that enables it (its private data is the
 * instance's trace_event_file) and one for perf (the event itself). A
 * marker with one user keeps the patched direct call from its sites to
 * the probe; the probe (trace_markers_probes.c) writes the argument words
 * into the record.
 *
 * Lifetime: an event is created when the first site of its name is
 * loaded and removed when the last one goes, unless it is in use
 * (enabled, open in perf, referenced by a trigger) or was enabled since
 * its creation: its records may then still be in a buffer, and it stays,
 * with its id, so that they stay readable and the marker records again
 * when its module comes back. An event is never removed from inside its
 * own reg(): a work item collects the events left unused.
 *
 * Locking: event_mutex protects the events; under it we call into the
 * registry, which takes its own mutex (and text_mutex). The registry's
 * walk of sites must not create events (that takes trace_types_lock,
 * which is held around some reg() calls): names are collected first and
 * their events created afterwards.
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringhash.h>
#include <linux/workqueue.h>

#include "trace.h"
#include "trace_output.h"
#include "trace_markers.h"

#define MARKER_EVENT_SYSTEM	"markers"

/* Protected by event_mutex. */
static LIST_HEAD(marker_events);
static DEFINE_HASHTABLE(marker_event_names, 8);

static u32 marker_event_hash(const char *name)
{
	return full_name_hash(NULL, name, strlen(name));
}

/**
 * marker_event_find - the event of a marker name
 * @name: the marker's name
 *
 * Context: event_mutex held.
 * Return: the event, or %NULL.
 */
struct marker_event *marker_event_find(const char *name)
{
	struct marker_event *ev;

	lockdep_assert_held(&event_mutex);
	hash_for_each_possible(marker_event_names, ev, node,
			       marker_event_hash(name))
		if (!strcmp(ev->name, name))
			return ev;
	return NULL;
}

static void marker_events_gc_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(marker_events_gc, marker_events_gc_work);

/*
 * An event that nothing uses but that cannot be removed yet: perf drops its
 * reference just after PERF_UNREGISTER, so the removal is tried again,
 * 1, 2, 4 and 8 s later; then it is left to the next change of the loaded
 * sites, since an eprobe on the event holds a reference for as long as
 * it exists and nothing says when it goes. No periodic work otherwise.
 */
#define MARKER_EVENTS_GC_TRIES	4
static unsigned int marker_events_gc_tries;

/* Disconnect a probe, which cannot fail: true when it was connected. */
static bool marker_event_unregister(const char *name, void *probe, void *data)
{
	return !WARN_ON_ONCE(marker_probe_unregister_direct(name, probe, data));
}

/* Whether @ev goes once nothing uses it: see struct marker_event. */
static bool marker_event_removable(const struct marker_event *ev)
{
	return ev->state == MARKER_EVENT_STALE ||
	       (ev->state == MARKER_EVENT_GONE && !ev->recorded);
}

static void marker_event_account(struct marker_event *ev, bool connect,
				 bool perf)
{
	if (connect) {
		ev->users++;
		ev->recorded |= !perf;
	} else if (!--ev->users && marker_event_removable(ev)) {
		/* unused: it goes, or makes way for its name's new format */
		WRITE_ONCE(marker_events_gc_tries, 0);
		schedule_delayed_work(&marker_events_gc, 0);
	}
}

static int marker_event_connect(struct marker_event *ev, bool perf,
				void *data)
{
	int ret;

	lockdep_assert_held(&event_mutex);
	ret = marker_probe_register_direct(ev->name, ev->fields->format,
					   marker_event_probe(ev, perf), data);
	if (ret) {
		pr_warn("marker %s: cannot connect its event (%d)\n", ev->name,
			ret);
		return ret;
	}
	marker_event_account(ev, true, perf);
	return 0;
}

static void marker_event_disconnect(struct marker_event *ev, bool perf,
				    void *data)
{
	lockdep_assert_held(&event_mutex);
	if (marker_event_unregister(ev->name, marker_event_probe(ev, perf),
				    data))
		marker_event_account(ev, false, perf);
}

/*
 * reg() of the class: REGISTER and UNREGISTER come once per instance (data
 * is its trace_event_file), PERF_REGISTER and PERF_UNREGISTER when perf's
 * first event opens and its last one closes, all with event_mutex held.
 * PERF_ADD and PERF_DEL come from the scheduler, in any context: nothing
 * to do for them, the perf probe checks its CPU's list of events.
 */
static int marker_event_reg(struct trace_event_call *call,
			    enum trace_reg type, void *data)
{
	struct marker_event *ev = marker_event_of(call);

	switch (type) {
	case TRACE_REG_REGISTER:
		return marker_event_connect(ev, false, data);
	case TRACE_REG_UNREGISTER:
		marker_event_disconnect(ev, false, data);
		return 0;
#ifdef CONFIG_PERF_EVENTS
	case TRACE_REG_PERF_REGISTER:
		return marker_event_connect(ev, true, call);
	case TRACE_REG_PERF_UNREGISTER:
		marker_event_disconnect(ev, true, call);
		return 0;
	case TRACE_REG_PERF_OPEN:
	case TRACE_REG_PERF_CLOSE:
	case TRACE_REG_PERF_ADD:
	case TRACE_REG_PERF_DEL:
		return 0;
#endif
	}
	return 0;
}

static int marker_event_define_fields(struct trace_event_call *call)
{
	return marker_fields_define(call, marker_event_of(call)->fields);
}

static struct trace_event_fields marker_event_fields_array[] = {
	{ .type = TRACE_FUNCTION_TYPE,
	  .define_fields = marker_event_define_fields },
	{}
};

/* A line of trace and trace_pipe: "name: " and the marker's format. */
static enum print_line_t marker_event_print(struct trace_iterator *iter,
					    int flags,
					    struct trace_event *event)
{
	struct trace_event_call *call =
		container_of(event, struct trace_event_call, event);
	const struct marker_fields *mf = marker_event_of(call)->fields;
	struct trace_seq *s = &iter->seq;
	unsigned int size = iter->ent_size;
	bool hash_ptr;

	/*
	 * tp_printk: output_printk() gives the record being committed,
	 * which our probe has just written, without its size; it is no
	 * larger than the fixed part and every string at its cap.
	 */
	if (!size)
		size = mf->max_size;
	/* as trace_event_format() reads the option */
	hash_ptr = !iter->tr || (iter->tr->trace_flags & TRACE_ITER_HASH_PTR);
	trace_seq_printf(s, "%s: ", trace_event_name(call));
	marker_fields_print(s, mf, iter->ent, size, hash_ptr);
	trace_seq_putc(s, '\n');
	return trace_handle_return(s);
}

static struct trace_event_functions marker_event_funcs = {
	.trace = marker_event_print,
};

/* --- creation and removal ---------------------------------------------- */

static void marker_event_free(struct marker_event *ev)
{
	if (!ev)
		return;
	if (!IS_ERR_OR_NULL(ev->fields))
		kfree(ev->fields->format);
	marker_fields_free(ev->fields);
	kfree(ev->name);
	kfree(ev);
}

/* A new event for a site of @name, not yet added to the trace events. */
static struct marker_event *marker_event_alloc(const char *name,
					       const char *format,
					       unsigned int nargs)
{
	struct marker_event *ev = kzalloc(sizeof(*ev), GFP_KERNEL);
	char *fmt;

	if (!ev)
		return ERR_PTR(-ENOMEM);
	ev->name = kstrdup(name, GFP_KERNEL);
	fmt = kstrdup(format, GFP_KERNEL);
	if (!ev->name || !fmt) {
		kfree(fmt);
		marker_event_free(ev);
		return ERR_PTR(-ENOMEM);
	}
	ev->fields = marker_fields_parse(fmt, nargs);
	if (IS_ERR(ev->fields)) {
		int ret = PTR_ERR(ev->fields);

		kfree(fmt);
		marker_event_free(ev);
		return ERR_PTR(ret);
	}
	ev->nargs = nargs;
	INIT_LIST_HEAD(&ev->class.fields);
	ev->class.system = MARKER_EVENT_SYSTEM;
	ev->class.reg = marker_event_reg;
	ev->class.fields_array = marker_event_fields_array;
	ev->tp.name = ev->name;
	ev->call.class = &ev->class;
	ev->call.tp = &ev->tp;
	ev->call.print_fmt = ev->fields->print_fmt;
	ev->call.event.funcs = &marker_event_funcs;
	ev->call.flags = TRACE_EVENT_FL_TRACEPOINT | TRACE_EVENT_FL_DYNAMIC;
	return ev;
}

/*
 * Add @ev to the trace events with @add: trace_add_event_call(), or at
 * boot trace_early_add_event_call().
 */
static int marker_event_add(struct marker_event *ev,
			    int (*add)(struct trace_event_call *call))
{
	int ret;

	lockdep_assert_held(&event_mutex);
	if (!register_trace_event(&ev->call.event))
		return -ENODEV;
	ret = add(&ev->call);
	if (ret) {
		unregister_trace_event(&ev->call.event);
		return ret;
	}
	list_add_tail(&ev->list, &marker_events);
	hash_add(marker_event_names, &ev->node, marker_event_hash(ev->name));
	return 0;
}

/* Add the events of a walk's new names, with @add as above. */
static void marker_events_add(struct list_head *fresh,
			      int (*add)(struct trace_event_call *call))
{
	struct marker_event *ev, *tmp;
	int ret;

	list_for_each_entry_safe(ev, tmp, fresh, list) {
		list_del(&ev->list);
		ret = marker_event_add(ev, add);
		if (ret) {
			pr_warn("marker %s: cannot add its trace event (%d)\n",
				ev->name, ret);
			marker_event_free(ev);
		}
	}
}

/*
 * Take @ev out of the trace events if nothing uses it, onto @gone; its
 * memory is freed once no probe can be running with it.
 */
static bool marker_event_remove(struct marker_event *ev,
				struct list_head *gone)
{
	lockdep_assert_held(&event_mutex);
	if (ev->users || trace_event_dyn_busy(&ev->call) ||
	    trace_remove_event_call(&ev->call))
		return false;
	list_move(&ev->list, gone);
	hash_del(&ev->node);
	return true;
}

static void marker_events_free(struct list_head *gone)
{
	struct marker_event *ev, *tmp;

	if (list_empty(gone))
		return;
	/* No probe is connected to them; one may still be running. */
	marker_synchronize_unregister();
	list_for_each_entry_safe(ev, tmp, gone, list)
		marker_event_free(ev);
}

/* --- following the loaded sites ---------------------------------------- */

/**
 * struct marker_scan - what a walk of the loaded sites found
 * @fresh: events for names without one, to be added after the walk
 * @warned: the names of @module warned about, a struct marker_warned each
 * @module: the module whose sites are new (NULL: none), or "*" for all:
 *	    a site that gets no event is said once, when it is loaded
 * @stale: an event's name is loaded with another format
 */
struct marker_scan {
	struct list_head fresh;
	struct list_head warned;
	const char *module;
	bool stale;
};

struct marker_warned {
	struct list_head list;
	const char *name;
};

#define MARKER_SCAN_ALL		"*"

/*
 * Whether to say why a site of @name in @module gets no event: once per
 * name, in the walk that follows the module's load.
 */
static bool marker_scan_warn(struct marker_scan *scan, const char *name,
			     const char *module)
{
	struct marker_warned *w;

	if (!scan->module || (strcmp(scan->module, MARKER_SCAN_ALL) &&
			      strcmp(scan->module, module)))
		return false;
	list_for_each_entry(w, &scan->warned, list)
		if (!strcmp(w->name, name))
			return false;
	/* the site's name lives as long as the walk, which holds its module */
	w = kmalloc(sizeof(*w), GFP_KERNEL);
	if (w) {
		w->name = name;
		list_add(&w->list, &scan->warned);
	}
	return true;
}

/*
 * Why @name cannot name an event, or NULL. eventfs looks a name up among
 * the system's directories first, so an event named as one of the
 * system's own files would hide that file.
 */
static const char *marker_event_name_refused(const char *name)
{
	if (strnlen(name, MARKER_NAME_MAX + 1) > MARKER_NAME_MAX)
		return "the name is longer than markers accept";
	if (!strcmp(name, "enable") || !strcmp(name, "filter"))
		return "the name is one of events/" MARKER_EVENT_SYSTEM "/'s files";
	return NULL;
}

static struct marker_event *marker_scan_find(struct marker_scan *scan,
					     const char *name)
{
	struct marker_event *ev = marker_event_find(name);

	if (ev)
		return ev;
	list_for_each_entry(ev, &scan->fresh, list)
		if (!strcmp(ev->name, name))
			return ev;
	return NULL;
}

static int marker_scan_site(const struct marker_site *site,
			    const char *module, void *data)
{
	struct marker_scan *scan = data;
	struct marker_event *ev = marker_scan_find(scan, site->name);
	const char *why;

	if (ev && !strcmp(ev->fields->format, site->format)) {
		ev->state = MARKER_EVENT_LIVE;
		return 0;
	}
	if (ev) {
		if (marker_scan_warn(scan, site->name, module))
			pr_warn("marker %s: loaded with format \"%s\", its event records \"%s\"\n",
				site->name, site->format, ev->fields->format);
		if (ev->state != MARKER_EVENT_LIVE)
			ev->state = MARKER_EVENT_STALE;
		scan->stale = true;
		return 0;
	}
	why = marker_event_name_refused(site->name);
	if (why) {
		if (marker_scan_warn(scan, site->name, module))
			pr_warn("marker %.*s: no trace event: %s\n",
				MARKER_NAME_MAX, site->name, why);
		return 0;
	}
	ev = marker_event_alloc(site->name, site->format, site->nargs);
	if (IS_ERR(ev)) {
		if (marker_scan_warn(scan, site->name, module))
			pr_warn("marker %s: no trace event for format \"%s\" (%ld)\n",
				site->name, site->format, PTR_ERR(ev));
		return 0;
	}
	ev->state = MARKER_EVENT_LIVE;
	list_add_tail(&ev->list, &scan->fresh);
	return 0;
}

static void marker_scan_free_warned(struct marker_scan *scan)
{
	struct marker_warned *w, *tmp;

	list_for_each_entry_safe(w, tmp, &scan->warned, list)
		kfree(w);
}

/*
 * One walk of the sites: mark the events loaded, add those of new names.
 * Sites of @module (see struct marker_scan) that get no event say why.
 */
static bool marker_events_scan(const char *module)
{
	struct marker_scan scan = {
		.fresh = LIST_HEAD_INIT(scan.fresh),
		.warned = LIST_HEAD_INIT(scan.warned),
		.module = module,
	};
	struct marker_event *ev;

	/* each site of an event's name then says where the event stands */
	list_for_each_entry(ev, &marker_events, list)
		ev->state = MARKER_EVENT_GONE;
	markers_walk_sites(marker_scan_site, &scan);
	marker_scan_free_warned(&scan);
	marker_events_add(&scan.fresh, trace_add_event_call);
	return scan.stale;
}

/**
 * marker_events_early_init - the events of vmlinux's markers, at boot
 *
 * Called by event_trace_enable() before it makes the boot-time event files
 * and applies trace_event= and trace_trigger=, so that those (and, later,
 * bootconfig's ftrace.event) can name the markers of vmlinux: their
 * events are added as built-in events are. A probe that enabling one
 * connects waits in the registry until markers_init() adds vmlinux's
 * sites, at core_initcall, and patches them.
 */
void __init marker_events_early_init(void)
{
	/* silent: marker_events_init() says why a site gets no event */
	struct marker_scan scan = {
		.fresh = LIST_HEAD_INIT(scan.fresh),
		.warned = LIST_HEAD_INIT(scan.warned),
	};

	mutex_lock(&event_mutex);
	markers_walk_builtin_sites(marker_scan_site, &scan);
	marker_scan_free_warned(&scan);
	marker_events_add(&scan.fresh, trace_early_add_event_call);
	mutex_unlock(&event_mutex);
}

/*
 * Bring the events in line with the loaded sites: add the events of new
 * names; remove those of names gone, unless in use or recorded. An event
 * whose name came back with another format, and that nothing uses now,
 * makes way for one of the new format. The buffers that hold records of
 * an event removed are reset, as dynamic events and modules' events do,
 * before an event that may take its id is added: no record is ever
 * printed through another event's layout.
 * Return: whether an unused event could not be removed for a reference.
 */
static bool __marker_events_sync(const char *module)
{
	struct marker_event *ev, *tmp;
	bool stale, retry = false;
	LIST_HEAD(gone);

	mutex_lock(&event_mutex);
	stale = marker_events_scan(module);
	list_for_each_entry_safe(ev, tmp, &marker_events, list) {
		if (!marker_event_removable(ev) ||
		    marker_event_remove(ev, &gone))
			continue;
		retry |= !ev->users;
	}
	mutex_unlock(&event_mutex);
	if (list_empty(&gone))
		return retry;
	/* takes trace_types_lock, which comes before event_mutex */
	tracing_reset_all_online_cpus();
	if (stale) {
		mutex_lock(&event_mutex);
		marker_events_scan(module);
		mutex_unlock(&event_mutex);
	}
	marker_events_free(&gone);
	return retry;
}

/* After a change of the loaded sites: the removals get new tries. */
static void marker_events_sync(const char *module)
{
	WRITE_ONCE(marker_events_gc_tries, 0);
	if (__marker_events_sync(module))
		schedule_delayed_work(&marker_events_gc, HZ);
}

static void marker_events_gc_work(struct work_struct *work)
{
	unsigned int tries = READ_ONCE(marker_events_gc_tries) + 1;

	WRITE_ONCE(marker_events_gc_tries, tries);
	if (__marker_events_sync(NULL) && tries < MARKER_EVENTS_GC_TRIES)
		schedule_delayed_work(&marker_events_gc, HZ << tries);
}

/* --- the instances' buffers, for trace_markers_control.c --------------- */

/**
 * marker_event_next - the event after @ev, for for_each_marker_event()
 * @ev: an event, or %NULL for the first
 *
 * Context: event_mutex held.
 * Return: the next event, or %NULL after the last.
 */
struct marker_event *marker_event_next(struct marker_event *ev)
{
	struct list_head *next = ev ? ev->list.next : marker_events.next;

	lockdep_assert_held(&event_mutex);
	if (next == &marker_events)
		return NULL;
	return list_entry(next, struct marker_event, list);
}

/* The file of @ev in trace instance @tr, or NULL. */
static struct trace_event_file *marker_event_file(struct trace_array *tr,
						  struct marker_event *ev)
{
	struct trace_event_file *file;

	/*
	 * The top-level buffer's file lives as long as the event: keep it.
	 * find_event_file() walks every event of the system. Found when
	 * first needed: an event added at boot has its files made after.
	 */
	if (tr == top_trace_array()) {
		if (!ev->top_file)
			ev->top_file = find_event_file(tr, MARKER_EVENT_SYSTEM,
						       ev->name);
		return ev->top_file;
	}
	/* find_event_file() compares names: the call is enough here */
	list_for_each_entry(file, &tr->events, list)
		if (file->event_call == &ev->call)
			return file;
	return NULL;
}

/**
 * marker_event_enabled - whether @ev records in the buffer of @tr
 * @tr: the trace instance
 * @ev: the event
 *
 * Context: event_mutex held.
 * Return: true if it does.
 */
bool marker_event_enabled(struct trace_array *tr, struct marker_event *ev)
{
	struct trace_event_file *file = marker_event_file(tr, ev);
	unsigned long flags = file ? READ_ONCE(file->flags) : 0;

	/* soft-disabled: a trigger keeps it registered, nothing records */
	return (flags & EVENT_FILE_FL_ENABLED) &&
	       !(flags & EVENT_FILE_FL_SOFT_DISABLED);
}

/**
 * marker_event_soft_mode - whether a trigger controls @ev in @tr
 * @tr: the trace instance
 * @ev: the event
 *
 * Context: event_mutex held.
 * Return: true if an enable_event or disable_event trigger names it.
 */
bool marker_event_soft_mode(struct trace_array *tr, struct marker_event *ev)
{
	struct trace_event_file *file = marker_event_file(tr, ev);

	return file && (READ_ONCE(file->flags) & EVENT_FILE_FL_SOFT_MODE);
}

/**
 * marker_event_enable - enable or disable @ev in the buffer of @tr
 * @tr: the trace instance
 * @ev: the event
 * @enable: the state wanted
 *
 * As set_event does: enabling an event in soft mode makes it record, and
 * disabling it leaves it soft-disabled, registered for its trigger.
 *
 * Context: event_mutex held.
 * Return: 0, or what enabling failed with. Disabling does not fail.
 */
int marker_event_enable(struct trace_array *tr, struct marker_event *ev,
			bool enable)
{
	struct trace_event_file *file = marker_event_file(tr, ev);

	if (!file)
		return -ENODEV;
	return trace_event_enable_disable(file, enable, 0);
}

/**
 * marker_events_module_loaded - whether a module of that name is loaded
 * @name: the module's name, or "vmlinux"
 *
 * Return: true if it is (or is loading).
 */
bool marker_events_module_loaded(const char *name)
{
	bool loaded = !strcmp(name, "vmlinux");

#ifdef CONFIG_MODULES
	preempt_disable();
	loaded |= !!find_module(name);
	preempt_enable();
#endif
	return loaded;
}

#ifdef CONFIG_MODULES
static int marker_events_module_notify(struct notifier_block *nb,
				       unsigned long state, void *data)
{
	struct module *mod = data;

	if (!mod->num_markers)
		return NOTIFY_OK;
	if (state == MODULE_STATE_COMING) {
		marker_events_sync(mod->name);
		/* before its init runs, so that its markers are recorded */
		marker_control_module_loaded(mod->name);
	} else if (state == MODULE_STATE_GOING) {
		marker_events_sync(NULL);
	}
	return NOTIFY_OK;
}

static struct notifier_block marker_events_module_nb = {
	.notifier_call = marker_events_module_notify,
	/* After the registry has added or removed the module's sites. */
	.priority = -2,
};
#endif

static int __init marker_events_init(void)
{
	/*
	 * The notifier first: a module that loads during the first walk is
	 * then walked again when it is, not missed between the two.
	 */
#ifdef CONFIG_MODULES
	int ret = register_module_notifier(&marker_events_module_nb);

	if (ret)
		return ret;
#endif
	marker_events_sync(MARKER_SCAN_ALL);
	marker_control_init(markers_debugfs_dir());
	return 0;
}
late_initcall(marker_events_init);
