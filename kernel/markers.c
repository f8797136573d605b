// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel markers: the registry that connects probes to marker sites by name.
 *
 * Every trace_mark() statement leaves a struct marker_site in section
 * __markers of vmlinux or of its module. The registry keeps one entry per
 * marker name that has probes, with the format they agreed on and the
 * RCU-protected array of probes. After each change it recomputes, for every
 * site, which probe array the site must call, and hands the differences to
 * the architecture, which patches the sites in one text-poke batch sequence
 * (or, for sites that are not patched, just publishes the array).
 *
 * Locking: cpus_read_lock() -> markers_mutex -> text_mutex. markers_mutex
 * protects the entries and the list of tables; the sites' probe arrays are
 * read under RCU-sched by the sites themselves.
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/markers.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include <asm/sections.h>

/* Longest marker name the registry accepts, without the NUL. */
#define MARKER_NAME_MAX		128

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

static DEFINE_MUTEX(markers_mutex);
static DEFINE_HASHTABLE(marker_entries, 9);
static LIST_HEAD(marker_tables);

static struct marker_table core_markers;

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

static u32 marker_name_hash(const char *name)
{
	return jhash(name, strlen(name), 0);
}

static struct marker_entry *marker_entry_find(const char *name)
{
	struct marker_entry *entry;

	hash_for_each_possible(marker_entries, entry, hlist,
			       marker_name_hash(name))
		if (!strcmp(entry->name, name))
			return entry;
	return NULL;
}

static struct marker_entry *marker_entry_create(const char *name)
{
	size_t len = strlen(name) + 1;
	struct marker_entry *entry;

	entry = kzalloc(struct_size(entry, name, len), GFP_KERNEL);
	if (!entry)
		return NULL;
	memcpy(entry->name, name, len);
	hash_add(marker_entries, &entry->hlist, marker_name_hash(name));
	return entry;
}

static void marker_entry_destroy(struct marker_entry *entry)
{
	hash_del(&entry->hlist);
	kfree(entry->format);
	kfree(entry);
}

/*
 * What a disconnected probe is replaced with, in place, when no memory can
 * be had for the new probe array (as tracepoint.c's tp_stub_func): it takes
 * no arguments and so ignores any it is called with. Sites never call it
 * directly, and it is dropped from the array at the next change that
 * can allocate.
 */
static void marker_probe_stub(void)
{
}

static bool marker_probe_live(const struct marker_probe *probe)
{
	return READ_ONCE(probe->func) != (void *)marker_probe_stub;
}

/* The number of probes of @probes that are not stubs. */
static unsigned int marker_probes_live(const struct marker_probes *probes)
{
	unsigned int i, nr = 0;

	for (i = 0; probes && i < probes->nr; i++)
		nr += marker_probe_live(&probes->probes[i]);
	return nr;
}

static int marker_probes_find(const struct marker_probes *probes,
			      const void *func, const void *probe_private)
{
	unsigned int i;

	for (i = 0; probes && i < probes->nr; i++)
		if (probes->probes[i].func == func &&
		    probes->probes[i].probe_private == probe_private)
			return i;
	return -ENOENT;
}

static struct marker_probes *marker_probes_alloc(unsigned int nr)
{
	struct marker_probes *probes;

	probes = kmalloc(struct_size(probes, probes, nr), GFP_KERNEL);
	if (probes)
		probes->nr = nr;
	return probes;
}

/* Copy the live probes of @old but entry @skip (-1 for none) to @new. */
static unsigned int marker_probes_copy(struct marker_probes *new,
				       const struct marker_probes *old,
				       int skip)
{
	unsigned int i, j = 0;

	for (i = 0; old && i < old->nr; i++)
		if ((int)i != skip && marker_probe_live(&old->probes[i]))
			new->probes[j++] = old->probes[i];
	return j;
}

/* A copy of @old with @probe appended. */
static struct marker_probes *marker_probes_add(const struct marker_probes *old,
					       const struct marker_probe *probe)
{
	struct marker_probes *new;
	unsigned int nr;

	new = marker_probes_alloc(marker_probes_live(old) + 1);
	if (!new)
		return ERR_PTR(-ENOMEM);
	nr = marker_probes_copy(new, old, -1);
	new->probes[nr] = *probe;
	return new;
}

/*
 * A copy of @old without its entry @index, or %NULL if that empties it.
 * Without memory for the copy, the entry becomes a stub in @old itself,
 * and @old is returned: a disconnection never fails.
 */
static struct marker_probes *
marker_probes_remove(struct marker_probes *old, unsigned int index)
{
	struct marker_probes *new;

	if (marker_probes_live(old) == 1)
		return NULL;
	new = marker_probes_alloc(marker_probes_live(old) - 1);
	if (!new) {
		WRITE_ONCE(old->probes[index].func, (void *)marker_probe_stub);
		return old;
	}
	marker_probes_copy(new, old, index);
	return new;
}

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
	return !marker_table_init_freed(table);
}

/*
 * The probes @site must call now, or %NULL. A site whose format differs
 * from its probes' stays off, with one warning until that changes; so does
 * a site whose entry has no format yet, which only a failed allocation can
 * cause, so that no error path turns the format check off.
 */
static struct marker_probes *marker_site_want(const struct marker_table *table,
					      struct marker_site *site,
					      bool warn)
{
	struct marker_entry *entry;

	if (table->refused || (site->flags & MARKER_SITE_REFUSED))
		return NULL;
	entry = marker_entry_find(site->name);
	/* A trace_mark_enabled() test has no format to check. */
	if (entry && (site->flags & MARKER_SITE_QUERY))
		return marker_probes_live(entry->probes) ? entry->probes : NULL;
	if (!entry || !entry->format) {
		site->flags &= ~MARKER_SITE_MISMATCH;
		return NULL;
	}
	if (strcmp(entry->format, site->format)) {
		if (warn && !(site->flags & MARKER_SITE_MISMATCH)) {
			pr_warn("marker %s: site %s:%u has format \"%s\", probes expect \"%s\"; site not connected\n",
				site->name, site->file, site->line,
				site->format, entry->format);
			site->flags |= MARKER_SITE_MISMATCH;
		}
		return NULL;
	}
	site->flags &= ~MARKER_SITE_MISMATCH;
	return marker_probes_live(entry->probes) ? entry->probes : NULL;
}

#ifndef CONFIG_MARKERS_PATCHING
/* Without patching, a site is on exactly when its probe array is set. */
static void arch_markers_commit(struct list_head *tables)
{
	struct marker_table *table;
	unsigned int i;

	list_for_each_entry(table, tables, list)
		for (i = 0; table->update && i < table->nr_sites; i++)
			rcu_assign_pointer(table->sites[i].probes,
					   table->want[i]);
}

static int arch_markers_init_table(struct marker_table *table)
{
	return 0;
}

static void arch_markers_free_table(struct marker_table *table)
{
}
#endif

/*
 * Bring the sites of one table (@only) or of all tables in line with the
 * registry. It needs no memory (see struct marker_table), so it cannot
 * fail: neither can a disconnection.
 */
static void markers_update(struct marker_table *only, bool warn)
{
	struct marker_table *table;
	unsigned int i;

	lockdep_assert_cpus_held();
	lockdep_assert_held(&markers_mutex);

	list_for_each_entry(table, &marker_tables, list) {
		table->update = (!only || table == only) && table->nr_sites;
		for (i = 0; table->update && i < table->nr_sites; i++)
			table->want[i] = marker_site_want(table,
							  &table->sites[i],
							  warn);
	}
	arch_markers_commit(&marker_tables);
	list_for_each_entry(table, &marker_tables, list)
		table->update = false;
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
 * A batch of changes is staged on the entries one by one, then applied to
 * the sites with a single markers_update(). struct marker_undo remembers
 * what each staged change replaced, so that a batch that fails anywhere
 * leaves the registry as it found it; @site_format is found before
 * staging (see marker_find_site_formats()).
 */
struct marker_undo {
	struct marker_entry *entry;
	struct marker_probes *old;
	char *adopted;
	const char *site_format;
	bool stubbed;
	unsigned int stubbed_index;
	void *stubbed_func;
};

/**
 * struct marker_format_lookup - a name whose loaded format a batch needs
 * @node: in the batch's hash of names
 * @name: the marker's name
 * @format: where to store the format of its first loaded site
 */
struct marker_format_lookup {
	struct hlist_node node;
	const char *name;
	const char **format;
};

static void marker_lookup_site(const struct marker_site *site,
			       struct hlist_head *heads, unsigned int bits)
{
	u32 hash = hash_32(marker_name_hash(site->name), bits);
	struct marker_format_lookup *lookup;

	if (site->flags & MARKER_SITE_QUERY)
		return;
	hlist_for_each_entry(lookup, &heads[hash], node)
		if (!*lookup->format && !strcmp(lookup->name, site->name))
			*lookup->format = site->format;
}

/*
 * The format of the first loaded site of each marker that a batch connects
 * and whose entry does not know its format yet. The names are hashed so
 * that one walk over the loaded sites serves the whole batch: enabling a
 * thousand markers must not walk every site a thousand times.
 */
static int marker_find_site_formats(const struct marker_change *changes,
				    unsigned int nr, struct marker_undo *undo)
{
	unsigned int bits = ilog2(nr) + 1, i, n = 0;
	struct marker_format_lookup *lookups;
	const struct marker_entry *entry;
	struct marker_table *table;
	struct hlist_head *heads;
	int ret = -ENOMEM;

	/* A batch of disconnections must not need memory: it looks up nothing. */
	for (i = 0; i < nr && !n; i++)
		n = changes[i].connect;
	if (!n)
		return 0;
	n = 0;
	lookups = kcalloc(nr, sizeof(*lookups), GFP_KERNEL);
	heads = kcalloc(1U << bits, sizeof(*heads), GFP_KERNEL);
	if (!lookups || !heads)
		goto out;
	for (i = 0; i < nr; i++) {
		entry = marker_entry_find(changes[i].name);
		if (!changes[i].connect || (entry && entry->format))
			continue;
		lookups[n].name = changes[i].name;
		lookups[n].format = &undo[i].site_format;
		hlist_add_head(&lookups[n++].node,
			       &heads[hash_32(marker_name_hash(changes[i].name),
					      bits)]);
	}
	if (n)
		list_for_each_entry(table, &marker_tables, list)
			for (i = 0; i < table->nr_sites; i++)
				marker_lookup_site(&table->sites[i], heads,
						   bits);
	ret = 0;
out:
	kfree(heads);
	kfree(lookups);
	return ret;
}

/* The format @undo's probe must use, or %NULL if anything goes. */
static const char *marker_expected_format(const struct marker_entry *entry,
					  const struct marker_undo *undo)
{
	if (entry && entry->format)
		return entry->format;
	return undo->site_format;
}

static void marker_entry_release(struct marker_entry *entry)
{
	if (!--entry->batch_refs && !entry->probes)
		marker_entry_destroy(entry);
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
	const char *expected = marker_expected_format(entry, undo);
	const char *format = change->format ?: expected;
	struct marker_probes *new;

	if (change->format && expected && strcmp(change->format, expected)) {
		pr_warn("marker %s: probe format \"%s\" differs from the marker's \"%s\"\n",
			change->name, change->format, expected);
		return -EPERM;
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
	if (!entry->probes && !entry->batch_refs)
		marker_entry_destroy(entry);
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

static int __marker_probes_change(const struct marker_change *changes,
				  unsigned int nr, struct marker_undo *undo)
{
	unsigned int staged = 0;
	bool warn = false;
	int ret = 0;

	lockdep_assert_held(&markers_mutex);

	ret = marker_find_site_formats(changes, nr, undo);
	while (staged < nr && !ret) {
		warn |= changes[staged].connect;
		ret = marker_stage_change(&changes[staged], &undo[staged]);
		if (!ret)
			staged++;
	}
	if (!ret)
		markers_update(NULL, warn);
	if (ret) {
		while (staged)
			marker_unstage(&undo[--staged]);
		return ret;
	}
	while (staged)
		marker_unstage_commit(&undo[--staged]);
	return 0;
}

/*
 * A single change keeps its undo record on the stack: a disconnection,
 * alone, needs no memory at all, and cannot fail but for a wrong request.
 */
static int marker_probes_change_locked(const struct marker_change *changes,
				       unsigned int nr)
{
	struct marker_undo one = {}, *undo = &one;
	int ret;

	if (!nr)
		return 0;
	if (nr > 1) {
		undo = kcalloc(nr, sizeof(*undo), GFP_KERNEL);
		if (!undo)
			return -ENOMEM;
	}
	ret = __marker_probes_change(changes, nr, undo);
	if (undo != &one)
		kfree(undo);
	return ret;
}

/**
 * marker_probes_change - connect and disconnect many probes at once
 * @changes: the changes, applied in order
 * @nr: number of @changes
 *
 * All the sites concerned are patched in one text-poke batch sequence.
 * Each change follows the rules of marker_probe_register() or
 * marker_probe_unregister(); if one of them fails, or patching does,
 * nothing changes at all.
 *
 * Context: Process context. Takes cpus_read_lock() and markers_mutex.
 * Return: 0 on success, or the error of the first change that failed
 * (-EINVAL, -EPERM, -EBUSY, -ENOENT), or -ENOMEM.
 */
int marker_probes_change(const struct marker_change *changes, unsigned int nr)
{
	unsigned int i;
	int ret;

	for (i = 0; i < nr; i++) {
		ret = marker_check_name(changes[i].name, changes[i].probe.func);
		if (ret)
			return ret;
	}
	cpus_read_lock();
	mutex_lock(&markers_mutex);
	ret = marker_probes_change_locked(changes, nr);
	mutex_unlock(&markers_mutex);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(marker_probes_change);

static int marker_change_one(const char *name, const char *format,
			     void *func, void *probe_private,
			     unsigned long flags, bool connect)
{
	struct marker_change change = {
		.name = name,
		.format = format,
		.probe = {
			.func = func,
			.probe_private = probe_private,
			.flags = flags,
		},
		.connect = connect,
	};

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
				 true);
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
				 MARKER_PROBE_DIRECT, true);
}
EXPORT_SYMBOL_GPL(marker_probe_register_direct);

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
				 false);
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
	return marker_change_one(name, NULL, probe, probe_private, 0, false);
}
EXPORT_SYMBOL_GPL(marker_probe_unregister_direct);

typedef bool marker_probe_match(const struct marker_probe *probe,
				const void *data);

/* Fill @changes (if not %NULL) with a disconnection per matching probe. */
static unsigned int markers_fill_matching(struct marker_change *changes,
					  marker_probe_match *match,
					  const void *data)
{
	struct marker_entry *entry;
	unsigned int i, nr = 0;
	int bkt;

	hash_for_each(marker_entries, bkt, entry, hlist) {
		for (i = 0; i < entry->probes->nr; i++) {
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
		for (i = 0; i < entry->probes->nr; i++) {
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
static unsigned int markers_disconnect_matching(marker_probe_match *match,
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
	for (i = 0; entry && i < entry->probes->nr; i++) {
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

/* Read the arguments of a generic site into words, as the site declared. */
static void marker_read_args(const struct marker_site *site, va_list *ap,
			     unsigned long *args)
{
	unsigned int i;

	for (i = 0; i < MARKER_MAX_ARGS; i++) {
		if (i >= site->nargs)
			args[i] = 0;
		else if (site->wide & BIT(i))
			args[i] = va_arg(*ap, unsigned long);
		else
			args[i] = va_arg(*ap, unsigned int);
	}
}

/**
 * __marker_call_generic - call the probes of a site that is not patched
 * @site: the site
 * @call_private: passed to va_list probes
 * @...: the site's arguments
 *
 * Called by _trace_mark() sites, and by every site on architectures
 * without patching, once the site's probe array is set.
 */
void __marker_call_generic(const struct marker_site *site,
			   void *call_private, ...)
{
	unsigned long args[MARKER_MAX_ARGS];
	const struct marker_probes *probes;
	const struct marker_probe *probe;
	bool have_args = false;
	unsigned int i;
	va_list ap;

	preempt_disable_notrace();
	probes = rcu_dereference_sched(site->probes);
	for (i = 0; probes && i < probes->nr; i++) {
		probe = &probes->probes[i];
		if (!(probe->flags & MARKER_PROBE_DIRECT)) {
			va_start(ap, call_private);
			((marker_probe_func *)probe->func)(probe->probe_private,
							   call_private,
							   site->format, &ap);
			va_end(ap);
			continue;
		}
		if (!have_args) {
			va_start(ap, call_private);
			marker_read_args(site, &ap, args);
			va_end(ap);
			have_args = true;
		}
		marker_call_direct(probe, site->nargs, args);
	}
	preempt_enable_notrace();
}
EXPORT_SYMBOL_GPL(__marker_call_generic);

/*
 * Add @table to the registry, with the memory every later update of it
 * needs, so that updates cannot fail.
 */
static int marker_table_add(struct marker_table *table)
{
	int ret;

	table->want = kvcalloc(table->nr_sites, sizeof(*table->want),
			       GFP_KERNEL);
	if (!table->want && table->nr_sites)
		return -ENOMEM;
	ret = arch_markers_init_table(table);
	if (ret) {
		kvfree(table->want);
		return ret;
	}
	list_add_tail(&table->list, &marker_tables);
	return 0;
}

static void marker_table_del(struct marker_table *table)
{
	list_del(&table->list);
	arch_markers_free_table(table);
	kvfree(table->want);
	table->want = NULL;
}

/*
 * Probes registered before any site of their marker existed, without a
 * format, take the format of the first site that arrives. If a copy fails,
 * the table is not added: an entry without a format would connect sites of
 * any format.
 */
static int marker_adopt_formats(const struct marker_table *table)
{
	struct marker_entry *entry;
	unsigned int i;

	for (i = 0; i < table->nr_sites; i++) {
		if (table->sites[i].flags & MARKER_SITE_QUERY)
			continue;
		entry = marker_entry_find(table->sites[i].name);
		if (!entry || entry->format)
			continue;
		entry->format = kstrdup(table->sites[i].format, GFP_KERNEL);
		if (!entry->format)
			return -ENOMEM;
	}
	return 0;
}

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

	ret = marker_adopt_formats(table);
	if (ret) {
		pr_warn("module %s: no memory for the formats of its markers (first: %s); not loaded\n",
			mod->name, table->sites[0].name);
		kfree(table);
		return ret;
	}
	ret = marker_table_add(table);
	if (ret) {
		kfree(table);
		return ret;
	}
	markers_update(table, true);
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
		for (i = 0; i < entry->probes->nr; i++)
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
	ret = arch_markers_text_reserved(&table, start, end);
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
	if (arch_markers_text_reserved(&core_markers, s, e))
		return true;
#endif
	return markers_module_text_reserved(s, e);
}

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

/* Whether an earlier site of @table has the name of site @index. */
static bool marker_name_seen(const struct marker_table *table,
			     unsigned int index)
{
	unsigned int i;

	for (i = 0; i < index; i++)
		if (!(table->sites[i].flags & MARKER_SITE_QUERY) &&
		    !strcmp(table->sites[i].name, table->sites[index].name))
			return true;
	return false;
}

/* One line per marker and module: name, format, sites, state, probes. */
static int available_markers_show(struct seq_file *m, void *v)
{
	const struct marker_probes *probes;
	const struct marker_table *table;
	unsigned int i, j, nr_sites, nr_on;

	mutex_lock(&markers_mutex);
	list_for_each_entry(table, &marker_tables, list) {
		for (i = 0; i < table->nr_sites; i++) {
			/* trace_mark_enabled() tests are no markers */
			if ((table->sites[i].flags & MARKER_SITE_QUERY) ||
			    marker_name_seen(table, i))
				continue;
			nr_sites = 0;
			nr_on = 0;
			probes = NULL;
			for (j = i; j < table->nr_sites; j++) {
				if ((table->sites[j].flags & MARKER_SITE_QUERY) ||
				    strcmp(table->sites[j].name,
					   table->sites[i].name))
					continue;
				nr_sites++;
				if (rcu_access_pointer(table->sites[j].probes)) {
					nr_on++;
					probes = marker_site_probes(&table->sites[j]);
				}
			}
			seq_printf(m, "%s \"%s\" sites=%u state=%s probes=%u module=%s\n",
				   table->sites[i].name, table->sites[i].format,
				   nr_sites, nr_on ? "on" : "off",
				   marker_probes_live(probes),
				   marker_table_name(table));
		}
	}
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
	unsigned int i, nr_sites = 0, nr_on = 0, nr_mismatch = 0;
	const struct marker_table *table;
	const struct marker_site *site;
	const char *state;

	list_for_each_entry(table, &marker_tables, list) {
		for (i = 0; i < table->nr_sites; i++) {
			site = &table->sites[i];
			if ((site->flags & MARKER_SITE_QUERY) ||
			    strcmp(site->name, entry->name))
				continue;
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
	seq_printf(m, "sequences %lu\nbatches %lu\npokes %lu\ngrace_periods %lu\n",
		   stats.sequences, stats.batches, stats.pokes,
		   stats.grace_periods);
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
	ret = marker_table_add(&core_markers);
	if (!ret)
		ret = marker_adopt_formats(&core_markers);
	if (!ret)
		markers_update(&core_markers, true);
	mutex_unlock(&markers_mutex);
	cpus_read_unlock();
	if (ret)
		pr_err("no memory for the core kernel's %u marker sites (%d)\n",
		       core_markers.nr_sites, ret);
#ifdef CONFIG_MODULES
	ret = register_module_notifier(&markers_module_nb);
#endif
	return ret;
}
core_initcall(markers_init);
