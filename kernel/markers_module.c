// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel markers: the sites of modules, and the text kprobes must avoid.
 *
 * A module's sites become a table of the registry when it is COMING and
 * leave when it is GOING, after its leftover probes are disconnected.
 * markers_text_reserved() tells kprobes where markers patch, without
 * locks: from the core kernel's arrays, and from a module's own arrays
 * under a reference to the module, never from the registry's table.
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/cpu.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "markers.h"

#ifdef CONFIG_MODULES
/*
 * The same policy as tracepoints: code from a module with a taint other
 * than out-of-tree, staging, unsigned, test or livepatch is not trusted to
 * have a consistent build, so its markers are not connected.
 */
static bool marker_module_bad_taint(const struct module *mod)
{
	return mod->taints & ~(BIT(TAINT_OOT_MODULE) | BIT(TAINT_CRAP) |
			       BIT(TAINT_UNSIGNED_MODULE) | BIT(TAINT_TEST) |
			       BIT(TAINT_LIVEPATCH));
}

/*
 * Describe the sites of @mod in @table. Everything it points to lives in
 * the module's own memory, as long as the module.
 */
static void marker_module_table(struct module *mod, struct marker_table *table)
{
	table->mod = mod;
	table->sites = mod->markers;
	table->nr_sites = mod->num_markers;
	table->jumps = mod->marker_jumps;
	table->nr_jumps = mod->num_marker_jumps;
	table->calls = mod->marker_calls;
	table->nr_calls = mod->num_marker_calls;
	/* The module forgets where its init text was once it frees it. */
	table->init_start = (unsigned long)mod->mem[MOD_INIT_TEXT].base;
	table->init_end = table->init_start + mod->mem[MOD_INIT_TEXT].size;
}

static int markers_module_coming(struct module *mod)
{
	struct marker_table *table;
	int ret;

	if (!mod->num_markers)
		return 0;
	table = kzalloc(sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	marker_module_table(mod, table);
	table->refused = marker_module_bad_taint(mod);
	if (table->refused)
		pr_warn("module %s: taint %#lx, its %u marker sites stay off (first: %s)\n",
			mod->name, mod->taints, table->nr_sites,
			table->sites[0].name);

	ret = marker_table_add(table);
	if (ret) {
		pr_warn("module %s: no memory for the index of its markers (first: %s); not loaded\n",
			mod->name, table->sites[0].name);
		kfree(table);
		return ret;
	}
	mod->marker_table = table;
	return 0;
}

static bool marker_probe_in_module(const struct marker_probe *probe,
				   const void *data)
{
	return within_module((unsigned long)probe->func, data);
}

/*
 * A probe module that leaves without unregistering would leave sites
 * calling freed code: disconnect what it left behind, and say so.
 */
static void markers_drop_module_probes(const struct module *mod)
{
	struct marker_entry *entry;
	unsigned int i;
	int bkt;

	hash_for_each(marker_entries, bkt, entry, hlist)
		for (i = 0; entry->probes && i < entry->probes->nr; i++)
			if (marker_probe_in_module(&entry->probes->probes[i],
						   mod))
				pr_warn("marker %s: module %s unloaded with probe %ps connected; disconnecting it\n",
					entry->name, mod->name,
					entry->probes->probes[i].func);
	markers_disconnect_matching(marker_probe_in_module, mod);
}

static void markers_module_going(struct module *mod)
{
	struct marker_table *table = mod->marker_table;

	markers_drop_module_probes(mod);
	if (!table)
		return;
	marker_table_del(table);
	mod->marker_table = NULL;
	kfree(table);
}

/*
 * A probe of @mod that still waits once its init is done is most likely
 * for a misspelt name: say so, once per marker.
 */
static void markers_module_live(const struct module *mod)
{
	struct marker_entry *entry;
	unsigned int i;
	int bkt;

	hash_for_each(marker_entries, bkt, entry, hlist) {
		if (!entry->probes || !list_empty(&entry->spans))
			continue;
		for (i = 0; i < entry->probes->nr; i++) {
			if (!marker_probe_in_module(&entry->probes->probes[i],
						    mod))
				continue;
			pr_info_ratelimited("marker %s: probe %ps still waits after its module's init: no loaded code has this marker\n",
					    entry->name,
					    entry->probes->probes[i].func);
			break;
		}
	}
}

VISIBLE_IF_KUNIT
int markers_module_notify(struct notifier_block *nb, unsigned long state,
			  void *data)
{
	struct module *mod = data;
	int ret = 0;

	cpus_read_lock();
	mutex_lock(&markers_mutex);
	switch (state) {
	case MODULE_STATE_COMING:
		ret = markers_module_coming(mod);
		break;
	case MODULE_STATE_GOING:
		markers_module_going(mod);
		break;
	case MODULE_STATE_LIVE:
		markers_module_live(mod);
		break;
	}
	mutex_unlock(&markers_mutex);
	cpus_read_unlock();
	return notifier_from_errno(ret);
}
EXPORT_SYMBOL_IF_KUNIT(markers_module_notify);

static struct notifier_block markers_module_nb = {
	.notifier_call = markers_module_notify,
	/* After jump labels and static calls have set up the module's text. */
	.priority = -1,
};

/* Follow module loads and unloads, once the core kernel's sites are in. */
int __init markers_module_init(void)
{
	return register_module_notifier(&markers_module_nb);
}
#else
int __init markers_module_init(void)
{
	return 0;
}
#endif /* CONFIG_MODULES */

#if defined(CONFIG_MARKERS_PATCHING) && defined(CONFIG_MODULES)
/*
 * As jump_label_mod_text_reserved(): a reference keeps the module, and
 * with it the arrays its table describes, until the check is done. The
 * registry's own table, freed when the module goes, is not used.
 */
static bool markers_module_text_reserved(unsigned long start,
					 unsigned long end)
{
	struct marker_table table = {};
	struct module *mod;
	bool ret;

	preempt_disable();
	mod = __module_text_address(start);
	if (mod && !try_module_get(mod))
		mod = NULL;
	preempt_enable();
	if (!mod)
		return false;
	marker_module_table(mod, &table);
	ret = markers_patch_text_reserved(&table, start, end);
	module_put(mod);
	return ret;
}
#else
static bool markers_module_text_reserved(unsigned long start,
					 unsigned long end)
{
	return false;
}
#endif

/**
 * markers_text_reserved - whether a text range holds patchable marker code
 * @start: first byte of the range
 * @end: last byte of the range
 *
 * For kprobes, which must not place a probe where markers patch. Lockless:
 * the core kernel's patch points never change, and a module's are read
 * under a reference to the module.
 *
 * Return: true if [@start, @end] overlaps a marker's jump or call.
 */
bool markers_text_reserved(void *start, void *end)
{
	unsigned long s = (unsigned long)start, e = (unsigned long)end;

#ifdef CONFIG_MARKERS_PATCHING
	if (markers_patch_text_reserved(&core_markers, s, e))
		return true;
#endif
	return markers_module_text_reserved(s, e);
}
