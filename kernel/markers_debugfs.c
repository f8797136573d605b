// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel markers: the loaded sites, as /sys/kernel/debug/markers lists
 * them (available_markers, sites, probes, stats) and as the markers'
 * trace events walk them.
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/debugfs.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>

#include "markers.h"

static const char *marker_table_name(const struct marker_table *table)
{
	return table->mod ? module_name(table->mod) : "vmlinux";
}

/**
 * markers_walk_sites - call a function for every loaded site
 * @fn: the function; it gets the site and the name of its module (or
 *	"vmlinux"), and stops the walk by returning non-zero
 * @data: passed to @fn
 *
 * Context: Process context. Takes markers_mutex: @fn must not call into
 * the registry.
 * Return: 0, or what @fn returned to stop the walk.
 */
int markers_walk_sites(int (*fn)(const struct marker_site *site,
				 const char *module, void *data),
		       void *data)
{
	const struct marker_table *table;
	unsigned int i;
	int ret = 0;

	mutex_lock(&markers_mutex);
	list_for_each_entry(table, &marker_tables, list) {
		for (i = 0; i < table->nr_sites && !ret; i++)
			if (!(table->sites[i].flags & MARKER_SITE_QUERY))
				ret = fn(&table->sites[i],
					 marker_table_name(table), data);
	}
	mutex_unlock(&markers_mutex);
	return ret;
}

#ifdef CONFIG_DEBUG_FS
static const struct marker_probes *
marker_site_probes(const struct marker_site *site)
{
	return rcu_dereference_protected(site->probes,
					 lockdep_is_held(&markers_mutex));
}

/*
 * One line per marker and module: name, format, sites, state, probes.
 * trace_mark_enabled() tests are no markers: they are not counted, and a
 * name that only they have in a module is not listed.
 */
static void marker_show_span(struct seq_file *m, const struct marker_span *span)
{
	const struct marker_probes *probes = NULL;
	unsigned int k, nr_sites = 0, nr_on = 0;
	const struct marker_site *site;

	for (k = 0; k < span->nr; k++) {
		site = marker_span_site(span, k);
		if (site->flags & MARKER_SITE_QUERY)
			break;
		nr_sites++;
		if (rcu_access_pointer(site->probes)) {
			nr_on++;
			probes = marker_site_probes(site);
		}
	}
	if (nr_sites)
		seq_printf(m, "%s \"%s\" sites=%u state=%s probes=%u module=%s\n",
			   span->entry->name, marker_span_site(span, 0)->format,
			   nr_sites, nr_on ? "on" : "off",
			   marker_probes_live(probes),
			   marker_table_name(span->table));
}

static int available_markers_show(struct seq_file *m, void *v)
{
	const struct marker_table *table;
	unsigned int i;

	mutex_lock(&markers_mutex);
	list_for_each_entry(table, &marker_tables, list)
		for (i = 0; i < table->nr_spans; i++)
			marker_show_span(m, &table->spans[i]);
	mutex_unlock(&markers_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(available_markers);

static void marker_show_site(struct seq_file *m,
			     const struct marker_table *table,
			     const struct marker_site *site)
{
	const struct marker_probes *probes = marker_site_probes(site);

	seq_printf(m, "%s %s:%u %s [%s] %s", site->name, site->file,
		   site->line, site->function, marker_table_name(table),
		   probes ? "on" : "off");
	if (site->flags & MARKER_SITE_ARMED)
		seq_puts(m, " armed");
	if (site->flags & MARKER_SITE_GENERIC)
		seq_puts(m, " generic");
	if (site->flags & MARKER_SITE_QUERY)
		seq_puts(m, " enabled-test");
	if (site->flags & MARKER_SITE_REFUSED)
		seq_puts(m, " refused");
	if (site->direct)
		seq_printf(m, " direct=%ps", site->direct);
	seq_putc(m, '\n');
}

/* One line per site: where it is and how it is patched. */
static int marker_sites_show(struct seq_file *m, void *v)
{
	const struct marker_table *table;
	unsigned int i;

	mutex_lock(&markers_mutex);
	list_for_each_entry(table, &marker_tables, list)
		for (i = 0; i < table->nr_sites; i++)
			marker_show_site(m, table, &table->sites[i]);
	mutex_unlock(&markers_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(marker_sites);

/*
 * One line per marker name that has probes, with what its sites do for
 * them: a probe registered for a name no loaded code has (a misspelt name,
 * or a module not loaded yet) is "waiting", and one whose sites all have
 * another format is "mismatch", so that neither goes unnoticed.
 */
static void marker_show_entry(struct seq_file *m,
			      const struct marker_entry *entry)
{
	unsigned int k, nr_sites = 0, nr_on = 0, nr_mismatch = 0;
	const struct marker_span *span;
	const struct marker_site *site;
	const char *state;

	if (!entry->probes)
		return;
	list_for_each_entry(span, &entry->spans, node) {
		for (k = 0; k < span->nr; k++) {
			site = marker_span_site(span, k);
			if (site->flags & MARKER_SITE_QUERY)
				break;
			nr_sites++;
			if (rcu_access_pointer(site->probes))
				nr_on++;
			else if (site->flags & MARKER_SITE_MISMATCH)
				nr_mismatch++;
		}
	}
	if (!nr_sites)
		state = "waiting";
	else if (nr_on)
		state = "on";
	else
		state = nr_mismatch ? "mismatch" : "off";
	seq_printf(m, "%s \"%s\" probes=%u sites=%u on=%u state=%s\n",
		   entry->name, entry->format ?: "",
		   marker_probes_live(entry->probes), nr_sites, nr_on, state);
}

static int marker_probes_show(struct seq_file *m, void *v)
{
	const struct marker_entry *entry;
	int bkt;

	mutex_lock(&markers_mutex);
	hash_for_each(marker_entries, bkt, entry, hlist)
		marker_show_entry(m, entry);
	mutex_unlock(&markers_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(marker_probes);

/* The patching counters, for users and benchmarks. */
static int marker_stats_show(struct seq_file *m, void *v)
{
	struct marker_stats stats;

	markers_read_stats(&stats);
	seq_printf(m, "sequences %lu\nbatches %lu\npokes %lu\ngrace_periods %lu\nsites %lu\n",
		   stats.sequences, stats.batches, stats.pokes,
		   stats.grace_periods, stats.sites);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(marker_stats);

static struct dentry *markers_dir;

/**
 * markers_debugfs_dir - the markers directory in debugfs
 *
 * Return: the directory, an ERR_PTR() (which debugfs functions accept as a
 * parent and ignore) if debugfs has none, or %NULL before fs_initcall.
 */
struct dentry *markers_debugfs_dir(void)
{
	return markers_dir;
}

static int __init markers_debugfs_init(void)
{
	markers_dir = debugfs_create_dir("markers", NULL);
	debugfs_create_file("available_markers", 0400, markers_dir, NULL,
			    &available_markers_fops);
	debugfs_create_file("sites", 0400, markers_dir, NULL,
			    &marker_sites_fops);
	debugfs_create_file("probes", 0400, markers_dir, NULL,
			    &marker_probes_fops);
	debugfs_create_file("stats", 0400, markers_dir, NULL,
			    &marker_stats_fops);
	return 0;
}
fs_initcall(markers_debugfs_init);
#else
struct dentry *markers_debugfs_dir(void)
{
	return ERR_PTR(-ENODEV);
}
#endif /* CONFIG_DEBUG_FS */
