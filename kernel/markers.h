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
 * @format: the format the probes and sites agree on, or %NULL while unknown
 * @probes: the connected probes; empty only during a batch of changes
 * @batch_refs: changes of the current batch that staged a new @probes
 * @name: the marker's name
 */
struct marker_entry {
	struct hlist_node hlist;
	char *format;
	struct marker_probes *probes;
	unsigned int batch_refs;
	char name[];
};

/* markers_mutex protects the entries and the list of tables. */
extern struct mutex markers_mutex;
extern DECLARE_HASHTABLE(marker_entries, MARKER_ENTRY_BITS);
extern struct list_head marker_tables;
extern struct marker_table core_markers;

/* kernel/markers.c: the registry */
u32 marker_name_hash(const char *name);
struct marker_entry *marker_entry_find(const char *name);
void markers_update(struct marker_table *only, bool warn);
int marker_probes_change_locked(const struct marker_change *changes,
				unsigned int nr);
int marker_table_add(struct marker_table *table);
void marker_table_del(struct marker_table *table);
int marker_adopt_formats(const struct marker_table *table);

/* kernel/markers_patch.c: the state machine of patched sites */
#ifdef CONFIG_MARKERS_PATCHING
int markers_patch_init_table(struct marker_table *table);
void markers_patch_free_table(struct marker_table *table);
void markers_patch_commit(struct list_head *tables);
bool markers_patch_text_reserved(const struct marker_table *table,
				 unsigned long start, unsigned long end);
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
