// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel markers: the probe arrays that sites call through.
 *
 * A marker's probes are an RCU-protected array, replaced whole when a
 * probe comes or goes (copy on write, as tracepoint.c's funcs), so that a
 * site always sees a complete array. A removal that cannot get memory for
 * the copy stubs the probe out in place instead: it cannot fail. Sites that
 * are not patched walk the array here, in __marker_call_generic().
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "markers.h"

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

bool marker_probe_live(const struct marker_probe *probe)
{
	return READ_ONCE(probe->func) != (void *)marker_probe_stub;
}

/* The number of probes of @probes that are not stubs. */
unsigned int marker_probes_live(const struct marker_probes *probes)
{
	unsigned int i, nr = 0;

	for (i = 0; probes && i < probes->nr; i++)
		nr += marker_probe_live(&probes->probes[i]);
	return nr;
}

int marker_probes_find(const struct marker_probes *probes,
		       const void *func, const void *probe_private)
{
	unsigned int i;

	for (i = 0; probes && i < probes->nr; i++)
		if (probes->probes[i].func == func &&
		    probes->probes[i].probe_private == probe_private)
			return i;
	return -ENOENT;
}

/* An array of @nr probes, and the entry that ends it. */
static struct marker_probes *marker_probes_alloc(unsigned int nr)
{
	struct marker_probes *probes;

	probes = kmalloc(struct_size(probes, probes, nr + 1), GFP_KERNEL);
	if (probes) {
		probes->nr = nr;
		probes->probes[nr] = (struct marker_probe){};
	}
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

/*
 * How many probes of @probes the dispatchers may call as direct ones: all
 * or none. A stub put in place later keeps the count right: it ignores
 * what it is called with.
 */
static unsigned int marker_probes_nr_direct(const struct marker_probes *probes)
{
	unsigned int i;

	for (i = 0; i < probes->nr; i++)
		if (!(probes->probes[i].flags & MARKER_PROBE_DIRECT))
			return 0;
	return probes->nr;
}

/* A copy of @old with @probe appended. */
struct marker_probes *marker_probes_add(const struct marker_probes *old,
					const struct marker_probe *probe)
{
	struct marker_probes *new;
	unsigned int nr;

	new = marker_probes_alloc(marker_probes_live(old) + 1);
	if (!new)
		return ERR_PTR(-ENOMEM);
	nr = marker_probes_copy(new, old, -1);
	new->probes[nr] = *probe;
	new->nr_direct = marker_probes_nr_direct(new);
	return new;
}

/*
 * A copy of @old without its entry @index, or %NULL if that empties it.
 * Without memory for the copy, the entry becomes a stub in @old itself,
 * and @old is returned: a disconnection never fails.
 */
struct marker_probes *
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
	new->nr_direct = marker_probes_nr_direct(new);
	return new;
}

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
 * __marker_rcu_not_watching - warn of a hit where RCU is not watching
 * @site: the site hit
 *
 * A hit is an RCU reader: every guarantee of the registry (the grace
 * period before a direct call, marker_synchronize_unregister()) rests on
 * it, so markers are forbidden where RCU is not watching (noinstr code,
 * the idle loop between ct_idle_enter() and ct_idle_exit()). As
 * trace_<tracepoint>() does, a kernel with lockdep checks that, on the
 * path of a hit only, so that the dormant path stays one NOP: an armed
 * site's out-of-line block calls rcu_is_watching() before its probes (see
 * <asm/markers.h>), and so does __marker_call_generic(). Such a hit calls
 * no probe and calls this instead; the first one warns, naming its marker.
 */
void notrace __marker_rcu_not_watching(const struct marker_site *site)
{
	WARN_ONCE(1, "markers: RCU not watching for marker %s\n", site->name);
}
EXPORT_SYMBOL_GPL(__marker_rcu_not_watching);

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

	if (IS_ENABLED(CONFIG_LOCKDEP) && !rcu_is_watching()) {
		__marker_rcu_not_watching(site);
		return;
	}
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
