// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel markers: changes of probes, alone or in a batch.
 *
 * A change connects a probe to a marker name or disconnects it. It is
 * checked and staged on the name's entry (a new probe array, the format
 * the entry adopts), then the sites of that entry are brought in line
 * with markers_update(), which patches them and cannot fail. Many changes
 * are staged together and applied with one markers_update(): those of a
 * call of marker_probes_change(), all or nothing, and those a task makes
 * between markers_batch_begin() and markers_batch_end(), each with its own
 * result, so that enabling many trace events through any tracefs file is
 * one patch sequence.
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/cpu.h>
#include <linux/markers.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "markers.h"

/* The format of the first loaded site of @entry, or %NULL. */
static const char *marker_entry_site_format(const struct marker_entry *entry)
{
	const struct marker_span *span;
	const struct marker_site *site;

	list_for_each_entry(span, &entry->spans, node) {
		/* trace_mark_enabled() tests sort last, and have no format. */
		site = marker_span_site(span, 0);
		if (!(site->flags & MARKER_SITE_QUERY))
			return site->format;
	}
	return NULL;
}

/* Add the spans of @entry to the list of an update, each once. */
static void marker_update_entry(struct list_head *update,
				struct marker_entry *entry)
{
	struct marker_span *span;

	list_for_each_entry(span, &entry->spans, node)
		if (list_empty(&span->update))
			list_add_tail(&span->update, update);
}

static int marker_check_name(const char *name, const void *probe)
{
	if (!name || !probe) {
		pr_warn("marker %s: %s is NULL\n", name ?: "(null)",
			name ? "probe" : "name");
		return -EINVAL;
	}
	if (!*name || strnlen(name, MARKER_NAME_MAX + 1) > MARKER_NAME_MAX) {
		pr_warn("marker %.*s: name empty or longer than %d bytes\n",
			MARKER_NAME_MAX, name, MARKER_NAME_MAX);
		return -EINVAL;
	}
	return 0;
}

/*
 * The changes of one call are staged on the entries one by one, then
 * applied to the sites of those entries with a single markers_update().
 * struct marker_undo remembers what each staged change replaced, so that
 * a call that fails anywhere leaves the registry as it found it.
 */
struct marker_undo {
	struct marker_entry *entry;
	struct marker_probes *old;
	char *adopted;
	bool stubbed;
	unsigned int stubbed_index;
	void *stubbed_func;
};

/* The format a probe connecting to @entry must use, or %NULL if any. */
static const char *marker_expected_format(const struct marker_entry *entry)
{
	if (!entry)
		return NULL;
	return entry->format ?: marker_entry_site_format(entry);
}

static void marker_entry_release(struct marker_entry *entry)
{
	entry->batch_refs--;
	marker_entry_put(entry);
}

static void marker_stage(struct marker_entry *entry, struct marker_probes *new,
			 struct marker_undo *undo)
{
	undo->entry = entry;
	undo->old = entry->probes;
	entry->probes = new;
	entry->batch_refs++;
}

static int marker_stage_connect(const struct marker_change *change,
				struct marker_entry *entry,
				struct marker_undo *undo)
{
	const char *expected = marker_expected_format(entry);
	const char *format = change->format ?: expected;
	struct marker_probes *new;

	if (change->format && expected && strcmp(change->format, expected)) {
		pr_warn("marker %s: probe format \"%s\" differs from the marker's \"%s\"\n",
			change->name, change->format, expected);
		return -EPERM;
	}
	if (change->strict && (!entry || list_empty(&entry->spans))) {
		pr_warn("marker %s: no loaded code has it, strict registration of %ps refused\n",
			change->name, change->probe.func);
		return -ENOENT;
	}
	if (entry && marker_probes_find(entry->probes, change->probe.func,
					change->probe.probe_private) >= 0) {
		pr_warn("marker %s: probe %ps already registered with this private data\n",
			change->name, change->probe.func);
		return -EBUSY;
	}
	if (!entry) {
		entry = marker_entry_create(change->name);
		if (!entry)
			return -ENOMEM;
	}
	if (!entry->format && format) {
		undo->adopted = kstrdup(format, GFP_KERNEL);
		if (!undo->adopted)
			goto nomem;
		entry->format = undo->adopted;
	}
	new = marker_probes_add(entry->probes, &change->probe);
	if (IS_ERR(new))
		goto nomem;
	marker_stage(entry, new, undo);
	return 0;
nomem:
	if (undo->adopted) {
		entry->format = NULL;
		kfree(undo->adopted);
		undo->adopted = NULL;
	}
	marker_entry_put(entry);
	return -ENOMEM;
}

static int marker_stage_disconnect(const struct marker_change *change,
				   struct marker_entry *entry,
				   struct marker_undo *undo)
{
	struct marker_probes *new;
	int index;

	index = entry ? marker_probes_find(entry->probes, change->probe.func,
					   change->probe.probe_private) : -ENOENT;
	if (index < 0) {
		pr_warn("marker %s: probe %ps is not registered with this private data\n",
			change->name, change->probe.func);
		return -ENOENT;
	}
	new = marker_probes_remove(entry->probes, index);
	if (new == entry->probes) {
		/* Stubbed in place: nothing to free, the func to restore. */
		undo->stubbed = true;
		undo->stubbed_index = index;
		undo->stubbed_func = change->probe.func;
	}
	marker_stage(entry, new, undo);
	return 0;
}

static int marker_stage_change(const struct marker_change *change,
			       struct marker_undo *undo)
{
	struct marker_entry *entry = marker_entry_find(change->name);

	if (change->connect)
		return marker_stage_connect(change, entry, undo);
	return marker_stage_disconnect(change, entry, undo);
}

/* Undo a staged change whose new probe array no site has seen. */
static void marker_unstage(struct marker_undo *undo)
{
	struct marker_entry *entry = undo->entry;

	if (undo->stubbed)
		WRITE_ONCE(entry->probes->probes[undo->stubbed_index].func,
			   undo->stubbed_func);
	else
		kfree(entry->probes);
	entry->probes = undo->old;
	if (undo->adopted) {
		entry->format = NULL;
		kfree(undo->adopted);
	}
	marker_entry_release(entry);
}

/* Keep a change that the sites now follow. */
static void marker_unstage_commit(struct marker_undo *undo)
{
	/*
	 * A stubbed removal replaced nothing: the array it changed in place
	 * is freed by whichever change replaces it, if one does.
	 */
	if (undo->old && !undo->stubbed)
		kfree_rcu(undo->old, rcu);
	marker_entry_release(undo->entry);
}

/* Stage all of @changes or, if one fails, none. */
static int marker_stage_changes(const struct marker_change *changes,
				unsigned int nr, struct marker_undo *undo,
				bool *warn)
{
	unsigned int staged = 0;
	int ret = 0;

	lockdep_assert_held(&markers_mutex);
	while (staged < nr && !ret) {
		ret = marker_stage_change(&changes[staged], &undo[staged]);
		if (!ret)
			*warn |= changes[staged++].connect;
	}
	if (ret)
		while (staged)
			marker_unstage(&undo[--staged]);
	return ret;
}

/* Bring the sites of the entries of @nr staged changes in line with them. */
static void marker_apply_staged(struct marker_undo *undo, unsigned int nr,
				bool warn)
{
	LIST_HEAD(update);
	unsigned int i;

	for (i = 0; i < nr; i++)
		marker_update_entry(&update, undo[i].entry);
	markers_update(&update, warn);
	while (nr)
		marker_unstage_commit(&undo[--nr]);
}

/*
 * A batch (markers_batch_begin() to markers_batch_end()): its owner's
 * changes are staged as they come and kept here, and their sites are
 * patched at its end, in one markers_update(). Protected by
 * markers_mutex; markers_batch_mutex is held by the owner throughout.
 */
static struct {
	struct task_struct *owner;
	unsigned int depth;
	struct marker_undo *undo;
	unsigned int nr;
	unsigned int max;
	bool warn;
} markers_batch;

static DEFINE_MUTEX(markers_batch_mutex);

/* Room in the batch for @nr more staged changes. */
static int markers_batch_reserve(unsigned int nr)
{
	unsigned int max = max3(markers_batch.max * 2, markers_batch.nr + nr,
				64U);
	struct marker_undo *undo;

	if (markers_batch.nr + nr <= markers_batch.max)
		return 0;
	undo = krealloc_array(markers_batch.undo, max, sizeof(*undo),
			      GFP_KERNEL);
	if (!undo)
		return -ENOMEM;
	markers_batch.undo = undo;
	markers_batch.max = max;
	return 0;
}

/* Stage @changes in the batch this task owns; the sites follow at its end. */
static int markers_batch_stage(const struct marker_change *changes,
			       unsigned int nr)
{
	struct marker_undo *undo;
	int ret = markers_batch_reserve(nr);

	if (ret)
		return ret;
	undo = markers_batch.undo + markers_batch.nr;
	memset(undo, 0, nr * sizeof(*undo));
	ret = marker_stage_changes(changes, nr, undo, &markers_batch.warn);
	if (!ret)
		markers_batch.nr += nr;
	return ret;
}

/*
 * A single change keeps its undo record on the stack: a disconnection,
 * alone, needs no memory at all, and cannot fail but for a wrong request.
 * In a batch, the disconnection needs room in the batch; when there is
 * none, the batch's changes so far and the disconnection are applied at
 * once, so that it still cannot fail.
 */
int marker_probes_change_locked(const struct marker_change *changes,
				unsigned int nr)
{
	struct marker_undo one = {}, *undo = &one;
	bool warn = false;
	int ret;

	lockdep_assert_held(&markers_mutex);
	if (!nr)
		return 0;
	if (READ_ONCE(markers_batch.owner) == current) {
		ret = markers_batch_stage(changes, nr);
		if (ret != -ENOMEM || nr > 1 || changes->connect)
			return ret;
		marker_apply_staged(markers_batch.undo, markers_batch.nr,
				    markers_batch.warn);
		markers_batch.nr = 0;
		markers_batch.warn = false;
	}
	if (nr > 1) {
		undo = kcalloc(nr, sizeof(*undo), GFP_KERNEL);
		if (!undo)
			return -ENOMEM;
	}
	ret = marker_stage_changes(changes, nr, undo, &warn);
	if (!ret)
		marker_apply_staged(undo, nr, warn);
	if (undo != &one)
		kfree(undo);
	return ret;
}

/**
 * markers_batch_begin - let the changes to come share one patch sequence
 *
 * Until markers_batch_end(), each change of probes that this task makes
 * (marker_probe_register() and the others, marker_probes_change()) is made
 * in the registry at once, with its checks and its error, but the text of
 * the sites it concerns is left as it is; markers_batch_end() then
 * patches every one of those sites in one text-poke batch sequence, with
 * one set of grace periods. Enabling a thousand markers that way costs
 * one sequence instead of a thousand. A probe connected in a batch is
 * called from its end on; one disconnected in a batch may be called until
 * then. Changes made by other tasks meanwhile are made as usual. Batches
 * nest: the outermost end applies them.
 *
 * Context: Process context; takes a mutex that the batch's end releases.
 * No cpus_read_lock() or markers lock held.
 */
void markers_batch_begin(void)
{
	if (READ_ONCE(markers_batch.owner) == current) {
		markers_batch.depth++;
		return;
	}
	mutex_lock(&markers_batch_mutex);
	mutex_lock(&markers_mutex);
	WRITE_ONCE(markers_batch.owner, current);
	markers_batch.depth = 1;
	mutex_unlock(&markers_mutex);
}
EXPORT_SYMBOL_GPL(markers_batch_begin);

/**
 * markers_batch_end - patch the sites of the changes made since the begin
 *
 * This cannot fail: every change was checked, and given its memory, when
 * it was made.
 *
 * Context: Process context, in a batch this task began. Takes
 * cpus_read_lock() and markers_mutex.
 */
void markers_batch_end(void)
{
	if (WARN_ON_ONCE(READ_ONCE(markers_batch.owner) != current) ||
	    --markers_batch.depth)
		return;
	cpus_read_lock();
	mutex_lock(&markers_mutex);
	marker_apply_staged(markers_batch.undo, markers_batch.nr,
			    markers_batch.warn);
	kfree(markers_batch.undo);
	markers_batch.undo = NULL;
	markers_batch.nr = 0;
	markers_batch.max = 0;
	markers_batch.warn = false;
	WRITE_ONCE(markers_batch.owner, NULL);
	mutex_unlock(&markers_mutex);
	cpus_read_unlock();
	mutex_unlock(&markers_batch_mutex);
}
EXPORT_SYMBOL_GPL(markers_batch_end);

/**
 * marker_probes_change - connect and disconnect many probes at once
 * @changes: the changes, applied in order
 * @nr: number of @changes
 *
 * All the sites concerned are patched in one text-poke batch sequence.
 * Each change follows the rules of marker_probe_register() or
 * marker_probe_unregister(); if one of them fails, nothing changes: the
 * registry and the sites end as they were. Hits made while the batch is
 * undone may have seen one thing of it: a disconnection for which no
 * memory could be had for the smaller probe array stubs the probe in its
 * array in place (see marker_probes_remove()), so until the undo puts it
 * back, hits skip that probe as if it had been disconnected meanwhile.
 *
 * Context: Process context. Takes cpus_read_lock() and markers_mutex.
 * Return: 0 on success, or the error of the first change that failed
 * (-EINVAL, -EPERM, -EBUSY, -ENOENT), or -ENOMEM.
 */
int marker_probes_change(const struct marker_change *changes, unsigned int nr)
{
	int ret;

	cpus_read_lock();
	ret = marker_probes_change_cpuslocked(changes, nr);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(marker_probes_change);

/**
 * marker_probes_change_cpuslocked - marker_probes_change(), CPU hotplug held
 * @changes: the changes, applied in order
 * @nr: number of @changes
 *
 * For callers that hold cpus_read_lock() or cpus_write_lock() already,
 * CPU hotplug callbacks among them (where cpus_read_lock() would
 * deadlock), as static_key_enable_cpuslocked() is.
 *
 * Context: Process context, CPU hotplug lock held. Takes markers_mutex.
 * Return: as marker_probes_change().
 */
int marker_probes_change_cpuslocked(const struct marker_change *changes,
				    unsigned int nr)
{
	unsigned int i;
	int ret;

	lockdep_assert_cpus_held();
	for (i = 0; i < nr; i++) {
		ret = marker_check_name(changes[i].name, changes[i].probe.func);
		if (ret)
			return ret;
	}
	mutex_lock(&markers_mutex);
	ret = marker_probes_change_locked(changes, nr);
	mutex_unlock(&markers_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(marker_probes_change_cpuslocked);

