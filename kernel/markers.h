/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel markers: what the files of the registry share (kernel/markers*.c),
 * and nobody else.
 */
#ifndef _KERNEL_MARKERS_H
#define _KERNEL_MARKERS_H

#include <linux/hashtable.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/mutex.h>

#define MARKER_ENTRY_BITS	9

/**
 * struct marker_entry - the registry's record of one marker name
 * @hlist: in marker_entries
 * @spans: the loaded sites of this name, a struct marker_span per table
 * @format: the format the probes and sites agree on; %NULL while no probe
 *	    is connected, or while none said and no site is loaded
 * @probes: the connected probes, or %NULL
 * @batch_refs: changes of the current batch that staged a new @probes
 * @name: the marker's name
 *
 * An entry lives while the name has loaded sites, probes, or changes in
 * the current batch: a probe waiting for its marker has one, and so has a
 * marker nobody listens to, so that connecting it finds its sites at once.
 */
struct marker_entry {
	struct hlist_node hlist;
	struct list_head spans;
	char *format;
	struct marker_probes *probes;
	unsigned int batch_refs;
	char name[];
};

/**
 * struct marker_span - the sites of one table that have one marker's name
 * @node: in the entry's @spans, in the order the tables were added
 * @update: in the list of spans the current update brings in line
 * @table: the table
 * @entry: the marker's entry
 * @first: where the sites start in @table->by_name
 * @nr: how many there are; trace_mark_enabled() tests come last
 * @adopted: @entry took its format from here while the table was added
 */
struct marker_span {
	struct list_head node;
	struct list_head update;
	struct marker_table *table;
	struct marker_entry *entry;
	unsigned int first;
	unsigned int nr;
	bool adopted;
};

/* The index in its table of the @k-th site of @span. */
static inline unsigned int marker_span_index(const struct marker_span *span,
					     unsigned int k)
{
	return span->table->by_name[span->first + k];
}

static inline struct marker_site *marker_span_site(const struct marker_span *span,
						   unsigned int k)
{
	return &span->table->sites[marker_span_index(span, k)];
}

/* markers_mutex protects the entries and the list of tables. */
extern struct mutex markers_mutex;
extern DECLARE_HASHTABLE(marker_entries, MARKER_ENTRY_BITS);
extern struct list_head marker_tables;
extern struct marker_table core_markers;

/* kernel/markers.c: the registry */
u32 marker_name_hash(const char *name);
struct marker_entry *marker_entry_find(const char *name);
struct marker_entry *marker_entry_create(const char *name);
void marker_entry_put(struct marker_entry *entry);
void markers_update(struct list_head *update, bool warn);
int marker_probes_change_locked(const struct marker_change *changes,
				unsigned int nr);

/* kernel/markers_index.c: the tables of sites, indexed by name */
int marker_table_add(struct marker_table *table);
void marker_table_del(struct marker_table *table);

/* kernel/markers_patch.c: the state machine of patched sites */
#ifdef CONFIG_MARKERS_PATCHING
int markers_patch_init_table(struct marker_table *table);
void markers_patch_free_table(struct marker_table *table);
void markers_patch_commit(struct list_head *spans);
bool markers_patch_text_reserved(const struct marker_table *table,
				 unsigned long start, unsigned long end);
#else
static inline int markers_patch_init_table(struct marker_table *table)
{
	return 0;
}

static inline void markers_patch_free_table(struct marker_table *table)
{
}
#endif

/* kernel/markers_probes.c: the probe arrays */
bool marker_probe_live(const struct marker_probe *probe);
unsigned int marker_probes_live(const struct marker_probes *probes);
int marker_probes_find(const struct marker_probes *probes, const void *func,
		       const void *probe_private);
struct marker_probes *marker_probes_add(const struct marker_probes *old,
					const struct marker_probe *probe);
struct marker_probes *marker_probes_remove(struct marker_probes *old,
					   unsigned int index);

/* kernel/markers_disconnect.c */
typedef bool marker_probe_match(const struct marker_probe *probe,
				const void *data);
unsigned int markers_disconnect_matching(marker_probe_match *match,
					 const void *data);

/* kernel/markers_module.c */
int markers_module_init(void);

#endif /* _KERNEL_MARKERS_H */
