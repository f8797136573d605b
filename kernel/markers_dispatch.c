// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel markers: the dispatchers of patched sites, for every architecture
 * that patches them.
 *
 * A patched site whose marker has several probes, or a va_list probe,
 * calls a dispatcher through its architecture's entry (markers_64.S):
 * __marker_dispatch() with the site and its argument array, or, for a
 * site with at most MARKER_MAX_DIRECT_ARGS arguments, the dispatcher for
 * its number of arguments, which gets them as a direct probe does. Both
 * run with preemption disabled by the site, an RCU-sched reader.
 */

#include <linux/compiler.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/rcupdate.h>

/*
 * Call every probe of @array, direct ones as @call, in which @f and @p are
 * the probe's function and private data. One loop per number of arguments,
 * so that a probe costs the dispatcher what a tracepoint's iterator pays:
 * two loads, the arguments, an indirect call.
 */
#define marker_for_each_probe(array, site, args, call)			\
do {									\
	const struct marker_probes *__probes = (array);			\
	const struct marker_probe *__probe = __probes->probes;		\
	const struct marker_probe *__end = __probe + __probes->nr;	\
	void *f, *p;							\
									\
	for (; __probe < __end; __probe++) {				\
		if (unlikely(!(__probe->flags & MARKER_PROBE_DIRECT))) {	\
			arch_marker_call_va(__probe, site, args);		\
			continue;					\
		}							\
		f = __probe->func;					\
		p = __probe->probe_private;				\
		call;							\
	}								\
} while (0)

typedef void marker_direct0_t(void *p);
typedef void marker_direct1_t(void *p, unsigned long);
typedef void marker_direct2_t(void *p, unsigned long, unsigned long);
typedef void marker_direct3_t(void *p, unsigned long, unsigned long,
			      unsigned long);
typedef void marker_direct4_t(void *p, unsigned long, unsigned long,
			      unsigned long, unsigned long);
typedef void marker_direct5_t(void *p, unsigned long, unsigned long,
			      unsigned long, unsigned long, unsigned long);
/* 6 to 12 arguments: see marker_call_direct() for the words past nargs. */
typedef void marker_direct12_t(void *p, unsigned long, unsigned long,
			       unsigned long, unsigned long, unsigned long,
			       unsigned long, unsigned long, unsigned long,
			       unsigned long, unsigned long, unsigned long,
			       unsigned long);

/**
 * __marker_dispatch - call every probe of an armed site
 * @site: the site
 * @args: its arguments, one 8-byte slot each
 *
 * Reached from the site's out-of-line block through the architecture's
 * entry, with preemption disabled.
 */
void notrace __marker_dispatch(const struct marker_site *site,
			       const unsigned long *args)
{
	const struct marker_probes *probes;
	const unsigned long *a = args;

	/*
	 * The site holds preemption off, an RCU-sched reader. Not
	 * rcu_dereference_sched(): with PROVE_RCU its check costs several
	 * times the probes' calls. __traceiter_*() reads tracepoint probes
	 * raw too.
	 */
	probes = rcu_dereference_raw(site->probes);
	if (unlikely(!probes))
		return;
	switch (site->nargs) {
	case 0:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct0_t *)f)(p));
		break;
	case 1:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct1_t *)f)(p, a[0]));
		break;
	case 2:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct2_t *)f)(p, a[0], a[1]));
		break;
	case 3:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct3_t *)f)(p, a[0], a[1],
							      a[2]));
		break;
	case 4:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct4_t *)f)(p, a[0], a[1],
							      a[2], a[3]));
		break;
	case 5:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct5_t *)f)(p, a[0], a[1],
							      a[2], a[3], a[4]));
		break;
	default:
		marker_for_each_probe(probes, site, a,
				      ((marker_direct12_t *)f)(p, a[0], a[1],
							       a[2], a[3], a[4],
							       a[5], a[6], a[7],
							       a[8], a[9], a[10],
							       a[11]));
		break;
	}
}

/*
 * The dispatchers of sites with N <= 5 arguments, reached with the
 * arguments in registers (see the architecture's markers_64.S). When
 * every probe is direct (nr_direct), the loop is a tracepoint iterator's:
 * two loads and a call per probe, until the entry whose func is NULL.
 */
#define MARKER_DISPATCH_PARAMS0	const struct marker_site *site
#define MARKER_DISPATCH_PARAMS1	MARKER_DISPATCH_PARAMS0, unsigned long a0
#define MARKER_DISPATCH_PARAMS2	MARKER_DISPATCH_PARAMS1, unsigned long a1
#define MARKER_DISPATCH_PARAMS3	MARKER_DISPATCH_PARAMS2, unsigned long a2
#define MARKER_DISPATCH_PARAMS4	MARKER_DISPATCH_PARAMS3, unsigned long a3
#define MARKER_DISPATCH_PARAMS5	MARKER_DISPATCH_PARAMS4, unsigned long a4

/*
 * A va_list probe among them: the loop of __marker_dispatch() for this
 * number of arguments, with the array a va_list is built over.
 */
#define MARKER_DISPATCH_N(n, args...)					\
static noinline void							\
marker_dispatch_mixed##n(const struct marker_probes *probes,		\
			 MARKER_DISPATCH_PARAMS##n)			\
{									\
	const unsigned long a[(n) + 1] = { args };			\
									\
	marker_for_each_probe(probes, site, a,				\
			      ((marker_direct##n##_t *)f)(p, ## args));	\
}									\
									\
void notrace __marker_dispatch##n(MARKER_DISPATCH_PARAMS##n)		\
{									\
	const struct marker_probes *probes;				\
	const struct marker_probe *probe;				\
	void *f;							\
									\
	probes = rcu_dereference_raw(site->probes);			\
	if (likely(probes && probes->nr_direct)) {			\
		probe = probes->probes;					\
		f = READ_ONCE(probe->func);				\
		do {							\
			((marker_direct##n##_t *)f)			\
				(probe->probe_private, ## args);	\
		} while ((f = READ_ONCE((++probe)->func)));		\
	} else if (probes) {						\
		marker_dispatch_mixed##n(probes, site, ## args);	\
	}								\
}

MARKER_DISPATCH_N(0)
MARKER_DISPATCH_N(1, a0)
MARKER_DISPATCH_N(2, a0, a1)
MARKER_DISPATCH_N(3, a0, a1, a2)
MARKER_DISPATCH_N(4, a0, a1, a2, a3)
MARKER_DISPATCH_N(5, a0, a1, a2, a3, a4)
