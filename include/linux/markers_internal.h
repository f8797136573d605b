/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel markers: the interface between the registry (kernel/markers*.c),
 * the architecture's patching code, the markers' trace events
 * (kernel/trace/trace_markers*.c) and the tests. Not for marked code or
 * probes, which need only <linux/markers.h>.
 */
#ifndef _LINUX_MARKERS_INTERNAL_H
#define _LINUX_MARKERS_INTERNAL_H

#include <linux/list.h>
#include <linux/markers.h>

#ifdef CONFIG_MARKERS

struct dentry;
struct marker_span;
struct notifier_block;

/*
 * Longest marker name the registry accepts, without the NUL: a longer
 * one can never be connected, so it gets no trace event either.
 */
#define MARKER_NAME_MAX		128

/*
 * For the markers' trace events (kernel/trace/trace_markers*.c): the
 * loaded sites, and the markers directory in debugfs.
 */
int markers_walk_sites(int (*fn)(const struct marker_site *site,
				 const char *module, void *data),
		       void *data);
int markers_walk_builtin_sites(int (*fn)(const struct marker_site *site,
					 const char *module, void *data),
			       void *data);
struct dentry *markers_debugfs_dir(void);

/*
 * Interface between kernel/markers.c and the architecture's patching code.
 * Not for marked code or probes.
 */

/**
 * struct marker_table - the sites of the core kernel or of one module
 * @list: in the registry's list of tables
 * @mod: the module, or %NULL for the core kernel
 * @sites: the site descriptors
 * @nr_sites: number of @sites
 * @jumps: the patchable jumps (empty without architecture support)
 * @nr_jumps: number of @jumps
 * @calls: the patchable calls (empty without architecture support)
 * @nr_calls: number of @calls
 * @init_start: start of the init text holding sites that run only once
 * @init_end: end of that init text
 * @by_name: the indexes of @sites, sorted by name
 * @spans: the runs of @by_name that share a name, one per marker
 * @nr_spans: number of @spans
 * @want: for each site, the probes it must call after the current update
 * @plans: for each site, its patch points and the plan of an update
 *	   (kernel/markers_patch.c)
 * @patch_order: the indexes of @jumps, then of @calls, each sorted by site
 * @refused: the module has a bad taint; its sites stay off
 *
 * Everything from @by_name on is allocated with the table, so that an
 * update, and a disconnection with it, needs no memory, and touches only
 * the sites of the markers it changes.
 */
struct marker_table {
	struct list_head list;
	struct module *mod;
	struct marker_site *sites;
	unsigned int nr_sites;
	struct marker_jump *jumps;
	unsigned int nr_jumps;
	struct marker_call *calls;
	unsigned int nr_calls;
	unsigned long init_start;
	unsigned long init_end;
	unsigned int *by_name;
	struct marker_span *spans;
	unsigned int nr_spans;
	struct marker_probes **want;
	void *plans;
	unsigned int *patch_order;
	bool refused;
};

/**
 * struct marker_stats - patching work done so far, for tests and benchmarks
 * @sequences: registry operations that patched text
 * @batches: text-poke batches (text_poke_finish() calls)
 * @pokes: instructions patched
 * @grace_periods: RCU grace periods waited for before a direct call
 * @sites: sites an update brought in line with the registry: only those
 *	   of the markers it changed
 *
 * Protected by the registry's mutex; read it with markers_read_stats().
 */
struct marker_stats {
	unsigned long sequences;
	unsigned long batches;
	unsigned long pokes;
	unsigned long grace_periods;
	unsigned long sites;
};

void markers_read_stats(struct marker_stats *stats);

/* The core kernel's sites, jumps and calls, placed by the linker script. */
extern struct marker_site __start___markers[], __stop___markers[];
extern struct marker_jump __start___markers_jump[], __stop___markers_jump[];
extern struct marker_call __start___markers_call[], __stop___markers_call[];
#if IS_ENABLED(CONFIG_KUNIT)
int markers_module_notify(struct notifier_block *nb, unsigned long state,
			  void *data);
#endif
extern struct marker_stats marker_stats;

/**
 * marker_call_direct - call a direct probe with the marker's arguments
 * @probe: the probe
 * @nargs: number of arguments in @args
 * @args: the arguments, one machine word each
 *
 * For the dispatchers: a direct probe is called with exactly its marker's
 * number of arguments, as the C type it declared (a word-sized integer or
 * pointer, or a narrower integer the callee reads the low bits of). Inline:
 * @nargs is the site's, and the dispatcher's loop should cost no more per
 * probe than a tracepoint's iterator.
 */
static __always_inline void
marker_call_direct(const struct marker_probe *probe, unsigned int nargs,
		   const unsigned long *args)
{
	const unsigned long *a = args;
	void *p = probe->probe_private;

	switch (nargs) {
	case 0:
		((void (*)(void *))probe->func)(p);
		break;
	case 1:
		((void (*)(void *, unsigned long))probe->func)(p, a[0]);
		break;
	case 2:
		((void (*)(void *, unsigned long, unsigned long))probe->func)
			(p, a[0], a[1]);
		break;
	case 3:
		((void (*)(void *, unsigned long, unsigned long,
			   unsigned long))probe->func)(p, a[0], a[1], a[2]);
		break;
	case 4:
		((void (*)(void *, unsigned long, unsigned long, unsigned long,
			   unsigned long))probe->func)(p, a[0], a[1], a[2], a[3]);
		break;
	case 5:
		((void (*)(void *, unsigned long, unsigned long, unsigned long,
			   unsigned long, unsigned long))probe->func)
			(p, a[0], a[1], a[2], a[3], a[4]);
		break;
	default:
		/*
		 * 6 to MARKER_MAX_ARGS: the words past @nargs are readable (the
		 * generic dispatcher zeroes them; on x86 they are the saved
		 * registers above the site's argument array) and the callee
		 * ignores them.
		 */
		((void (*)(void *, unsigned long, unsigned long, unsigned long,
			   unsigned long, unsigned long, unsigned long,
			   unsigned long, unsigned long, unsigned long,
			   unsigned long, unsigned long,
			   unsigned long))probe->func)
			(p, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
			 a[8], a[9], a[10], a[11]);
		break;
	}
}

bool marker_site_text_patchable(const struct marker_table *table,
				unsigned long addr);

/*
 * The check of a hit in a kernel with lockdep (kernel/markers_probes.c),
 * made from the out-of-line block of an armed site and from
 * __marker_call_generic().
 */
void __marker_rcu_not_watching(const struct marker_site *site);

#ifdef CONFIG_MARKERS_PATCHING
/*
 * The primitives of an architecture that patches sites, for the state
 * machine of kernel/markers_patch.c. <asm/markers.h> gives the longest
 * jump (MARKER_ARCH_JUMP_MAX) and the call's length (MARKER_ARCH_CALL_LEN).
 */
#define MARKER_POKE_MAX		8

/**
 * struct marker_poke - one instruction to patch
 * @addr: where
 * @len: its length in bytes
 * @insn: the new instruction
 */
struct marker_poke {
	void *addr;
	u8 len;
	u8 insn[MARKER_POKE_MAX];
};

int arch_marker_nop_len(const void *code);
int arch_marker_jump_len(const void *code);
void arch_marker_gen_jump(struct marker_poke *poke, void *code, void *target,
			  bool on);
bool arch_marker_gen_call(struct marker_poke *poke, void *code, void *dest);
void *arch_marker_dispatcher(const struct marker_site *site);
void arch_markers_apply(const struct marker_poke *pokes, unsigned int nr);
void arch_marker_call_va(const struct marker_probe *probe,
			 const struct marker_site *site,
			 const unsigned long *args);

/*
 * The dispatchers (kernel/markers_dispatch.c), reached from the entries of
 * the architecture's sites.
 */
void __marker_dispatch(const struct marker_site *site,
		       const unsigned long *args);
void __marker_dispatch0(const struct marker_site *site);
void __marker_dispatch1(const struct marker_site *site, unsigned long a0);
void __marker_dispatch2(const struct marker_site *site, unsigned long a0,
			unsigned long a1);
void __marker_dispatch3(const struct marker_site *site, unsigned long a0,
			unsigned long a1, unsigned long a2);
void __marker_dispatch4(const struct marker_site *site, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3);
void __marker_dispatch5(const struct marker_site *site, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3,
			unsigned long a4);
#endif

#endif /* CONFIG_MARKERS */

#endif /* _LINUX_MARKERS_INTERNAL_H */
