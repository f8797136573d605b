// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel markers: the index of sites by marker name.
 *
 * When a table of sites (the core kernel's, or a module's) joins the
 * registry, its sites are sorted by name, and each run of one name becomes
 * a struct marker_span on the entry of that name, created if the name is
 * new. An update of a marker then walks its entry's spans, and nothing
 * else; a connection finds the marker's format on its first site. All the
 * memory the table's later updates need is allocated here, so that an
 * update, and a disconnection with it, cannot fail.
 */

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "markers.h"

/*
 * Whether the text at @addr, a site of @table, may still be patched: not
 * once the init section holding it has been freed.
 */
static bool marker_table_init_freed(const struct marker_table *table)
{
#ifdef CONFIG_MODULES
	if (table->mod)
		return table->mod->state != MODULE_STATE_COMING;
#endif
	return system_state >= SYSTEM_FREEING_INITMEM;
}

bool marker_site_text_patchable(const struct marker_table *table,
				unsigned long addr)
{
	if (addr < table->init_start || addr >= table->init_end)
		return true;
	if (marker_table_init_freed(table))
		return false;
	/*
	 * Built-in .exit.text lies with the init text but is no kernel text
	 * (text_poke() cannot map it) and never runs: as
	 * jump_label_can_update() does, leave it alone.
	 */
	return table->mod || kernel_text_address(addr);
}

static int marker_site_cmp(const void *a, const void *b, const void *priv)
{
	const struct marker_site *sites = priv;
	unsigned int ia = *(const unsigned int *)a, ib = *(const unsigned int *)b;
	const struct marker_site *sa = &sites[ia], *sb = &sites[ib];
	int ret = strcmp(sa->name, sb->name);

	if (ret)
		return ret;
	/* trace_mark_enabled() tests last: they have no format. */
	ret = (sa->flags & MARKER_SITE_QUERY) - (sb->flags & MARKER_SITE_QUERY);
	if (ret)
		return ret;
	return ia < ib ? -1 : ia > ib;
}

/* Sort the sites of @table by name, and count the names. */
static int marker_table_sort(struct marker_table *table)
{
	unsigned int i;

	table->by_name = kvmalloc_array(table->nr_sites,
					sizeof(*table->by_name), GFP_KERNEL);
	if (!table->by_name)
		return -ENOMEM;
	for (i = 0; i < table->nr_sites; i++)
		table->by_name[i] = i;
	sort_r(table->by_name, table->nr_sites, sizeof(*table->by_name),
	       marker_site_cmp, NULL, table->sites);
	table->nr_spans = 0;
	for (i = 0; i < table->nr_sites; i++)
		table->nr_spans += !i ||
			strcmp(table->sites[table->by_name[i - 1]].name,
			       table->sites[table->by_name[i]].name);
	return 0;
}

/* Take @table's spans off their entries, and drop the entries left empty. */
static void marker_table_unlink(struct marker_table *table)
{
	struct marker_span *span;

	for (span = table->spans; table->spans &&
	     span < table->spans + table->nr_spans; span++) {
		if (!span->entry)
			continue;
		if (span->adopted) {
			kfree(span->entry->format);
			span->entry->format = NULL;
			span->adopted = false;
		}
		list_del(&span->node);
		marker_entry_put(span->entry);
		span->entry = NULL;
	}
}

/* Cut @table's sorted sites into spans, one per name, each on its entry. */
static int marker_table_link(struct marker_table *table)
{
	struct marker_span *span = NULL;
	const char *name;
	unsigned int i;

	table->spans = kvcalloc(table->nr_spans, sizeof(*table->spans),
				GFP_KERNEL);
	if (!table->spans)
		return -ENOMEM;
	for (i = 0; i < table->nr_sites; i++) {
		name = table->sites[table->by_name[i]].name;
		if (span && !strcmp(span->entry->name, name)) {
			span->nr++;
			continue;
		}
		span = span ? span + 1 : table->spans;
		span->table = table;
		span->first = i;
		span->nr = 1;
		INIT_LIST_HEAD(&span->update);
		span->entry = marker_entry_find(name) ?:
			      marker_entry_create(name);
		if (!span->entry) {
			marker_table_unlink(table);
			return -ENOMEM;
		}
		list_add_tail(&span->node, &span->entry->spans);
	}
	return 0;
}

/*
 * Probes registered before any site of their marker existed, without a
 * format, take the format of the first site that arrives. If a copy fails,
 * the table is not added: an entry without a format would connect sites of
 * any format.
 */
static int marker_table_adopt_formats(struct marker_table *table)
{
	struct marker_span *span;
	struct marker_site *site;

	for (span = table->spans; span < table->spans + table->nr_spans;
	     span++) {
		site = marker_span_site(span, 0);
		if (!span->entry->probes || span->entry->format ||
		    (site->flags & MARKER_SITE_QUERY))
			continue;
		span->entry->format = kstrdup(site->format, GFP_KERNEL);
		if (!span->entry->format)
			return -ENOMEM;
		span->adopted = true;
	}
	return 0;
}

static void marker_table_free(struct marker_table *table)
{
	markers_patch_free_table(table);
	kvfree(table->want);
	table->want = NULL;
	kvfree(table->spans);
	table->spans = NULL;
	kvfree(table->by_name);
	table->by_name = NULL;
}

/*
 * Index the sites of @table by name, and allocate the memory every later
 * update of them needs, so that updates cannot fail.
 */
static int marker_table_index(struct marker_table *table)
{
	int ret;

	table->want = kvcalloc(table->nr_sites, sizeof(*table->want),
			       GFP_KERNEL);
	if (!table->want)
		return -ENOMEM;
	ret = marker_table_sort(table);
	if (!ret)
		ret = markers_patch_init_table(table);
	if (!ret)
		ret = marker_table_link(table);
	return ret;
}

/**
 * marker_table_add - add a table of sites to the registry and connect them
 * @table: the table, with at least one site
 *
 * Return: 0, or -ENOMEM, in which case nothing changed.
 */
int marker_table_add(struct marker_table *table)
{
	LIST_HEAD(update);
	unsigned int i;
	int ret;

	ret = marker_table_index(table);
	if (!ret)
		ret = marker_table_adopt_formats(table);
	if (ret) {
		marker_table_unlink(table);
		marker_table_free(table);
		return ret;
	}
	list_add_tail(&table->list, &marker_tables);
	for (i = 0; i < table->nr_spans; i++) {
		table->spans[i].adopted = false;
		list_add_tail(&table->spans[i].update, &update);
	}
	markers_update(&update, true);
	return 0;
}

/**
 * marker_table_del - remove a table from the registry
 * @table: the table, whose probes were all disconnected
 */
void marker_table_del(struct marker_table *table)
{
	list_del(&table->list);
	marker_table_unlink(table);
	marker_table_free(table);
}
