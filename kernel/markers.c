// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel markers: the registry that connects probes to marker sites by name.
 *
 * Every trace_mark() statement leaves a struct marker_site in section
 * __markers of vmlinux or of its module. The registry keeps one entry per
 * marker name that has loaded sites or probes, with the format they agreed
 * on, the RCU-protected array of probes, and the list of its sites (the
 * spans that kernel/markers_index.c cuts when a table of sites is added).
 * A change of probes then recomputes, for the sites of the entries it
 * changed and no others, which probe array each must call, and hands them
 * to kernel/markers_patch.c, which patches them in one text-poke batch
 * sequence (or, for sites that are not patched, just publishes the array).
 *
 * Locking: cpus_read_lock() -> markers_mutex -> text_mutex. markers_mutex
 * protects the entries and the list of tables; the sites' probe arrays are
 * read under RCU-sched by the sites themselves.
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/cpu.h>
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/markers.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include <asm/sections.h>

#include "markers.h"

/* Protects the entries and the list of tables; see kernel/markers.h. */
DEFINE_MUTEX(markers_mutex);
DEFINE_HASHTABLE(marker_entries, MARKER_ENTRY_BITS);
LIST_HEAD(marker_tables);

struct marker_table core_markers;

/* Written by the architecture's patching code under markers_mutex. */
struct marker_stats marker_stats;

/**
 * markers_read_stats - copy the patching counters
 * @stats: where to copy them
 */
void markers_read_stats(struct marker_stats *stats)
{
	mutex_lock(&markers_mutex);
	*stats = marker_stats;
	mutex_unlock(&markers_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(markers_read_stats);

u32 marker_name_hash(const char *name)
{
	return jhash(name, strlen(name), 0);
}

struct marker_entry *marker_entry_find(const char *name)
{
	struct marker_entry *entry;

	hash_for_each_possible(marker_entries, entry, hlist,
			       marker_name_hash(name))
		if (!strcmp(entry->name, name))
			return entry;
	return NULL;
}

struct marker_entry *marker_entry_create(const char *name)
{
	size_t len = strlen(name) + 1;
	struct marker_entry *entry;

	entry = kzalloc(struct_size(entry, name, len), GFP_KERNEL);
	if (!entry)
		return NULL;
	memcpy(entry->name, name, len);
	INIT_LIST_HEAD(&entry->spans);
	hash_add(marker_entries, &entry->hlist, marker_name_hash(name));
	return entry;
}

/*
 * Drop what @entry no longer needs: the format once no probe is connected
 * (the next probe may bring another), the entry once it has no probes, no
 * sites and no change in the current batch.
 */
void marker_entry_put(struct marker_entry *entry)
{
	if (entry->probes || entry->batch_refs)
		return;
	kfree(entry->format);
	entry->format = NULL;
	if (!list_empty(&entry->spans))
		return;
	hash_del(&entry->hlist);
	kfree(entry);
}

/*
 * The probes @site must call now, or %NULL. A site whose format differs
 * from its probes' stays off, with one warning until that changes; so does
 * a site whose entry has no format yet, which only a failed allocation can
 * cause, so that no error path turns the format check off.
 */
static struct marker_probes *marker_site_want(const struct marker_span *span,
					      struct marker_site *site,
					      bool warn)
{
	const struct marker_entry *entry = span->entry;
	bool mismatch;

	if (span->table->refused || (site->flags & MARKER_SITE_REFUSED) ||
	    !marker_probes_live(entry->probes)) {
		site->flags &= ~MARKER_SITE_MISMATCH;
		return NULL;
	}
	/* A trace_mark_enabled() test has no format to check. */
	if (site->flags & MARKER_SITE_QUERY)
		return entry->probes;
	mismatch = entry->format && strcmp(entry->format, site->format);
	if (mismatch && warn && !(site->flags & MARKER_SITE_MISMATCH)) {
		pr_warn("marker %s: site %s:%u has format \"%s\", probes expect \"%s\"; site not connected\n",
			site->name, site->file, site->line, site->format,
			entry->format);
		site->flags |= MARKER_SITE_MISMATCH;
	}
	if (!mismatch)
		site->flags &= ~MARKER_SITE_MISMATCH;
	return entry->format && !mismatch ? entry->probes : NULL;
}

#ifndef CONFIG_MARKERS_PATCHING
/* Without patching, a site is on exactly when its probe array is set. */
static void markers_patch_commit(struct list_head *spans)
{
	struct marker_span *span;
	unsigned int k, i;

	list_for_each_entry(span, spans, update) {
		for (k = 0; k < span->nr; k++) {
			i = marker_span_index(span, k);
			rcu_assign_pointer(span->table->sites[i].probes,
					   span->table->want[i]);
		}
	}
}
#endif

/*
 * Bring the sites of the spans on @update in line with the registry, and
 * empty the list. It needs no memory (see struct marker_table), so it
 * cannot fail: neither can a disconnection.
 */
void markers_update(struct list_head *update, bool warn)
{
	struct marker_span *span, *next;
	unsigned int k, i;

	lockdep_assert_cpus_held();
	lockdep_assert_held(&markers_mutex);

	list_for_each_entry(span, update, update) {
		marker_stats.sites += span->nr;
		for (k = 0; k < span->nr; k++) {
			i = marker_span_index(span, k);
			span->table->want[i] =
				marker_site_want(span, &span->table->sites[i],
						 warn);
		}
	}
	markers_patch_commit(update);
	list_for_each_entry_safe(span, next, update, update)
		list_del_init(&span->update);
}

static void marker_change_init(struct marker_change *change, const char *name,
			       const char *format, void *func,
			       void *probe_private, unsigned long flags,
			       bool connect)
{
	*change = (struct marker_change) {
		.name = name,
		.format = format,
		.probe = {
			.func = func,
			.probe_private = probe_private,
			.flags = flags,
		},
		.connect = connect,
	};
}

static int marker_change_one(const char *name, const char *format,
			     void *func, void *probe_private,
			     unsigned long flags, bool connect, bool strict)
{
	struct marker_change change;

	marker_change_init(&change, name, format, func, probe_private, flags,
			   connect);
	change.strict = strict;
	return marker_probes_change(&change, 1);
}

/**
 * marker_probe_register - connect a probe to a marker
 * @name: the marker's name
 * @format: the format the probe expects, or %NULL to take the marker's
 * @probe: the probe
 * @probe_private: private data passed to @probe
 *
 * The marker need not be loaded yet: the probe is connected to every site
 * of that name, in the core kernel or in modules, as soon as it appears.
 * Several probes may be connected to one marker.
 *
 * Context: Process context. Takes cpus_read_lock() and markers_mutex.
 * Return: 0 on success, -EINVAL for a %NULL @name or @probe, -EPERM if
 * @format differs from the marker's, -EBUSY if @probe is already connected
 * with @probe_private, -ENOMEM.
 */
int marker_probe_register(const char *name, const char *format,
			  marker_probe_func *probe, void *probe_private)
{
	return marker_change_one(name, format, (void *)probe, probe_private, 0,
				 true, false);
}
EXPORT_SYMBOL_GPL(marker_probe_register);

/**
 * marker_probe_register_direct - connect a probe taking the arguments directly
 * @name: the marker's name
 * @format: the format the probe expects, or %NULL to take the marker's
 * @probe: a function taking @probe_private and then the marker's arguments,
 *	   each as the type the format says (at most a long wide)
 * @probe_private: private data passed to @probe as first argument
 *
 * When it is the only probe of a marker with at most
 * %MARKER_MAX_DIRECT_ARGS arguments, the marker's sites are patched to
 * call @probe directly, without a dispatcher or an indirect branch.
 *
 * Context: Process context. Takes cpus_read_lock() and markers_mutex.
 * Return: as marker_probe_register().
 */
int marker_probe_register_direct(const char *name, const char *format,
				 void *probe, void *probe_private)
{
	return marker_change_one(name, format, probe, probe_private,
				 MARKER_PROBE_DIRECT, true, false);
}
EXPORT_SYMBOL_GPL(marker_probe_register_direct);

/**
 * marker_probe_register_direct_strict - marker_probe_register_direct(), for
 *					 a marker that loaded code has
 * @name: the marker's name
 * @format: the format the probe expects, or %NULL to take the marker's
 * @probe: as for marker_probe_register_direct()
 * @probe_private: private data passed to @probe as first argument
 *
 * A probe for a name that no loaded code has is refused instead of
 * waiting for it: a misspelt name is an error, not a silent wait.
 *
 * Context: Process context. Takes cpus_read_lock() and markers_mutex.
 * Return: as marker_probe_register(), and -ENOENT if no loaded code has
 * the marker.
 */
int marker_probe_register_direct_strict(const char *name, const char *format,
					void *probe, void *probe_private)
{
	return marker_change_one(name, format, probe, probe_private,
				 MARKER_PROBE_DIRECT, true, true);
}
EXPORT_SYMBOL_GPL(marker_probe_register_direct_strict);

/**
 * marker_probe_unregister - disconnect a probe from a marker
 * @name: the marker's name
 * @probe: the probe
 * @probe_private: the private data it was registered with
 *
 * The probe may still be running on another CPU when this returns; call
 * marker_synchronize_unregister() before freeing what it uses.
 *
 * Context: Process context. Takes cpus_read_lock() and markers_mutex.
 * Return: 0 on success, -EINVAL for a %NULL @name or @probe, -ENOENT if
 * @probe is not connected to @name with @probe_private, -ENOMEM.
 */
int marker_probe_unregister(const char *name, marker_probe_func *probe,
			    void *probe_private)
{
	return marker_change_one(name, NULL, (void *)probe, probe_private, 0,
				 false, false);
}
EXPORT_SYMBOL_GPL(marker_probe_unregister);

/**
 * marker_probe_unregister_direct - disconnect a direct probe from a marker
 * @name: the marker's name
 * @probe: the probe
 * @probe_private: the private data it was registered with
 *
 * Context: Process context. Takes cpus_read_lock() and markers_mutex.
 * Return: as marker_probe_unregister().
 */
int marker_probe_unregister_direct(const char *name, void *probe,
				   void *probe_private)
{
	return marker_change_one(name, NULL, probe, probe_private, 0, false,
				 false);
}
EXPORT_SYMBOL_GPL(marker_probe_unregister_direct);

/**
 * marker_probe_register_direct_cpuslocked - marker_probe_register_direct(),
 *					     CPU hotplug held
 * @name: the marker's name
 * @format: the format the probe expects, or %NULL to take the marker's
 * @probe: as for marker_probe_register_direct()
 * @probe_private: private data passed to @probe as first argument
 *
 * See marker_probes_change_cpuslocked().
 *
 * Context: Process context, CPU hotplug lock held. Takes markers_mutex.
 * Return: as marker_probe_register().
 */
int marker_probe_register_direct_cpuslocked(const char *name,
					    const char *format, void *probe,
					    void *probe_private)
{
	struct marker_change change;

	marker_change_init(&change, name, format, probe, probe_private,
			   MARKER_PROBE_DIRECT, true);
	return marker_probes_change_cpuslocked(&change, 1);
}
EXPORT_SYMBOL_GPL(marker_probe_register_direct_cpuslocked);

/**
 * marker_probe_unregister_direct_cpuslocked - marker_probe_unregister_direct(),
 *					       CPU hotplug held
 * @name: the marker's name
 * @probe: the probe
 * @probe_private: the private data it was registered with
 *
 * See marker_probes_change_cpuslocked().
 *
 * Context: Process context, CPU hotplug lock held. Takes markers_mutex.
 * Return: as marker_probe_unregister().
 */
int marker_probe_unregister_direct_cpuslocked(const char *name, void *probe,
					      void *probe_private)
{
	struct marker_change change;

	marker_change_init(&change, name, NULL, probe, probe_private, 0, false);
	return marker_probes_change_cpuslocked(&change, 1);
}
EXPORT_SYMBOL_GPL(marker_probe_unregister_direct_cpuslocked);

/**
 * marker_get_private_data - find the private data of a connected probe
 * @name: the marker's name
 * @probe: the probe
 * @num: which of @probe's registrations on @name, counting from 0
 *
 * The result should be dereferenced only by the owner of the data: it may
 * be freed as soon as the probe is disconnected.
 *
 * Context: Process context. Takes markers_mutex.
 * Return: the private data, or ERR_PTR(-ENOENT).
 */
void *marker_get_private_data(const char *name, marker_probe_func *probe,
			      int num)
{
	void *found = ERR_PTR(-ENOENT);
	struct marker_entry *entry;
	unsigned int i;

	if (!name || num < 0)
		return found;
	mutex_lock(&markers_mutex);
	entry = marker_entry_find(name);
	for (i = 0; entry && entry->probes && i < entry->probes->nr; i++) {
		if (entry->probes->probes[i].func == (void *)probe &&
		    num-- == 0) {
			found = entry->probes->probes[i].probe_private;
			break;
		}
	}
	mutex_unlock(&markers_mutex);
	return found;
}
EXPORT_SYMBOL_GPL(marker_get_private_data);

/**
 * marker_synchronize_unregister - wait until disconnected probes are done
 *
 * Once this returns, no probe disconnected before the call is running or
 * will run again. A probe module calls it after unregistering its probes
 * and before its exit function returns or frees their data.
 *
 * Context: Process context; sleeps.
 */
void marker_synchronize_unregister(void)
{
	/* Probes run with preemption disabled. */
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(marker_synchronize_unregister);

/**
 * markers_walk_builtin_sites - call a function for every site of vmlinux
 * @fn: the function; it gets the site and "vmlinux", and stops the walk by
 *	returning non-zero
 * @data: passed to @fn
 *
 * For the trace events of vmlinux's markers, which must exist when the
 * boot-time event list is applied (trace_init()), before markers_init()
 * adds these sites to the registry: it reads them from their section.
 *
 * Return: 0, or what @fn returned to stop the walk.
 */
int __init markers_walk_builtin_sites(int (*fn)(const struct marker_site *site,
						const char *module, void *data),
				      void *data)
{
	struct marker_site *site;
	int ret = 0;

	for (site = __start___markers; site < __stop___markers && !ret; site++)
		if (!(site->flags & MARKER_SITE_QUERY))
			ret = fn(site, "vmlinux", data);
	return ret;
}

/*
 * The core kernel's sites. Probes may have registered earlier (the registry
 * needs no initialization): connect them now. The init range is the whole
 * of what free_initmem() frees, .exit.text of built-in code included, as
 * jump_label.c's init_section_contains() has it.
 */
static int __init markers_init(void)
{
	int ret;

	core_markers.sites = __start___markers;
	core_markers.nr_sites = __stop___markers - __start___markers;
	core_markers.jumps = __start___markers_jump;
	core_markers.nr_jumps = __stop___markers_jump - __start___markers_jump;
	core_markers.calls = __start___markers_call;
	core_markers.nr_calls = __stop___markers_call - __start___markers_call;
	core_markers.init_start = (unsigned long)__init_begin;
	core_markers.init_end = (unsigned long)__init_end;

	cpus_read_lock();
	mutex_lock(&markers_mutex);
	ret = core_markers.nr_sites ? marker_table_add(&core_markers) : 0;
	mutex_unlock(&markers_mutex);
	cpus_read_unlock();
	if (ret)
		pr_err("no memory for the core kernel's %u marker sites (%d)\n",
		       core_markers.nr_sites, ret);
	return ret ?: markers_module_init();
}
core_initcall(markers_init);
