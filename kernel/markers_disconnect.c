// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel markers: disconnections that must not fail.
 *
 * Unregistering a probe from every marker, and disconnecting what an
 * unloaded module left connected, select probes with a predicate and
 * disconnect them all: in one batch, or, when there is no memory for the
 * batch, one by one, which needs none.
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/cpu.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "markers.h"

/* Fill @changes (if not %NULL) with a disconnection per matching probe. */
static unsigned int markers_fill_matching(struct marker_change *changes,
					  marker_probe_match *match,
					  const void *data)
{
	struct marker_entry *entry;
	unsigned int i, nr = 0;
	int bkt;

	hash_for_each(marker_entries, bkt, entry, hlist) {
		for (i = 0; entry->probes && i < entry->probes->nr; i++) {
			if (!match(&entry->probes->probes[i], data))
				continue;
			if (changes) {
				changes[nr].name = entry->name;
				changes[nr].probe = entry->probes->probes[i];
			}
			nr++;
		}
	}
	return nr;
}

/*
 * The disconnections of every connected probe that @match() selects, to
 * apply as one batch; %NULL if there are none.
 */
static struct marker_change *markers_collect(marker_probe_match *match,
					     const void *data,
					     unsigned int *nr)
{
	struct marker_change *changes;

	lockdep_assert_held(&markers_mutex);
	*nr = markers_fill_matching(NULL, match, data);
	if (!*nr)
		return NULL;
	changes = kcalloc(*nr, sizeof(*changes), GFP_KERNEL);
	if (!changes)
		return ERR_PTR(-ENOMEM);
	markers_fill_matching(changes, match, data);
	return changes;
}

/* The first connected probe that @match() selects, as a disconnection. */
static bool markers_first_matching(struct marker_change *change,
				   marker_probe_match *match, const void *data)
{
	struct marker_entry *entry;
	unsigned int i;
	int bkt;

	hash_for_each(marker_entries, bkt, entry, hlist) {
		for (i = 0; entry->probes && i < entry->probes->nr; i++) {
			if (!match(&entry->probes->probes[i], data))
				continue;
			*change = (struct marker_change){
				.name = entry->name,
				.probe = entry->probes->probes[i],
			};
			return true;
		}
	}
	return false;
}

/*
 * Disconnect every probe that @match() selects: in one batch, or, when
 * there is no memory for the batch, one by one, which needs none. For
 * unregistration and module unload, which must not fail.
 * Return: the number of probes disconnected.
 */
unsigned int markers_disconnect_matching(marker_probe_match *match,
					 const void *data)
{
	struct marker_change *changes, one;
	unsigned int nr;

	lockdep_assert_held(&markers_mutex);
	changes = markers_collect(match, data, &nr);
	if (!IS_ERR(changes)) {
		if (changes && marker_probes_change_locked(changes, nr))
			changes = ERR_PTR(-ENOMEM);
		else
			kfree(changes);
	}
	if (!IS_ERR(changes))
		return nr;
	for (nr = 0; markers_first_matching(&one, match, data); nr++)
		WARN_ON_ONCE(marker_probes_change_locked(&one, 1));
	return nr;
}

static bool marker_probe_is(const struct marker_probe *probe,
			    const void *data)
{
	const struct marker_probe *wanted = data;

	return probe->func == wanted->func &&
	       probe->probe_private == wanted->probe_private;
}

/**
 * marker_probe_unregister_private_data - disconnect a probe from all markers
 * @probe: the probe
 * @probe_private: the private data it was registered with
 *
 * Disconnects @probe registered with @probe_private from every marker, in
 * one batch (one by one if memory for the batch is short): it cannot fail.
 *
 * Context: Process context. Takes cpus_read_lock() and markers_mutex.
 * Return: 0 on success, -EINVAL for a %NULL @probe, -ENOENT if it was
 * connected nowhere.
 */
int marker_probe_unregister_private_data(marker_probe_func *probe,
					 void *probe_private)
{
	const struct marker_probe wanted = {
		.func = (void *)probe,
		.probe_private = probe_private,
	};
	unsigned int nr;

	if (!probe) {
		pr_warn("marker (any): probe is NULL\n");
		return -EINVAL;
	}
	cpus_read_lock();
	mutex_lock(&markers_mutex);
	nr = markers_disconnect_matching(marker_probe_is, &wanted);
	mutex_unlock(&markers_mutex);
	cpus_read_unlock();
	if (nr)
		return 0;
	pr_warn("marker (any): probe %ps is not registered with this private data\n",
		probe);
	return -ENOENT;
}
EXPORT_SYMBOL_GPL(marker_probe_unregister_private_data);
