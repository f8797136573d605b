// SPDX-License-Identifier: GPL-2.0
/*
 * The probes that record a marker's trace event, for ftrace and for perf.
 *
 * They are direct probes (see marker_probe_register_direct()): each takes
 * its marker's arguments in registers, and exists for every number of
 * arguments up to MARKER_MAX_DIRECT_ARGS and every shape of string fields
 * that is common enough to be worth its code (none, or one), so that the
 * compiler turns marker_fields_measure() and marker_fields_write() into
 * the stores and the strlen() a TRACE_EVENT's generated code has.
 */

#include <linux/bitops.h>
#include <linux/markers.h>
#include <linux/perf_event.h>
#include <linux/trace_events.h>

#include "trace.h"
#include "trace_markers.h"

/*
 * The string fields of a probe's shape (see MARKER_EVENT_PROBE()) when
 * they are read from the event at run time; the number of shapes.
 */
#define MARKER_STRINGS_ANY	(~0UL)
#define MARKER_EVENT_MAX_SHAPES	(2 + MARKER_MAX_DIRECT_ARGS)

/*
 * The ftrace path: one record in the buffer of the instance of @file.
 * Inlined into each direct probe below, where @nargs is a constant: every
 * argument is one store, and only the string fields cost more.
 */
static __always_inline void marker_event_record(struct trace_event_file *file,
						unsigned long *args,
						unsigned int nargs,
						unsigned long strings)
{
	const struct marker_fields *mf = marker_event_of(file->event_call)->fields;
	/* trace_event_buffer_reserve() sets it all when it gives a record */
	struct trace_event_buffer fbuffer __uninitialized;
	/* read only where marker_fields_measure() wrote */
	u16 lens[MARKER_MAX_ARGS] __uninitialized;
	unsigned int size;
	void *record;

	if (trace_trigger_soft_disabled(file))
		return;
	if (strings == MARKER_STRINGS_ANY)
		strings = mf->string_mask;
	size = marker_fields_measure(mf, args, lens, strings);
	record = trace_event_buffer_reserve(&fbuffer, file, size);
	if (!record)
		return;
	marker_fields_write(mf, record, args, nargs, lens, strings);
	trace_event_buffer_commit(&fbuffer);
}

#ifdef CONFIG_PERF_EVENTS
/* The perf path: the record goes to the BPF programs, then to perf. */
static __always_inline void marker_event_perf(struct trace_event_call *call,
					      unsigned long *args,
					      unsigned int nargs,
					      unsigned long strings)
{
	const struct marker_fields *mf = marker_event_of(call)->fields;
	struct hlist_head *head = this_cpu_ptr(call->perf_events);
	u16 lens[MARKER_MAX_ARGS] __uninitialized;
	struct pt_regs *regs;
	unsigned int size;
	void *record;
	int rctx;

	if (!bpf_prog_array_valid(call) && hlist_empty(head))
		return;
	if (strings == MARKER_STRINGS_ANY)
		strings = mf->string_mask;
	size = marker_fields_measure(mf, args, lens, strings);
	/* perf's raw samples are u32 size + data, u64 aligned */
	size = ALIGN(size + sizeof(u32), sizeof(u64)) - sizeof(u32);
	record = perf_trace_buf_alloc(size, &regs, &rctx);
	if (!record)
		return;
	perf_fetch_caller_regs(regs);
	marker_fields_write(mf, record, args, nargs, lens, strings);
	perf_trace_run_bpf_submit(record, size, rctx, call, 1, regs, head,
				  NULL);
}
#else
static __always_inline void marker_event_perf(struct trace_event_call *call,
					      unsigned long *args,
					      unsigned int nargs,
					      unsigned long strings)
{
}
#endif

/*
 * The direct probes, one per number of arguments: a direct probe takes
 * exactly its marker's arguments (from 6 on, the dispatcher passes
 * MARKER_MAX_ARGS words). Each gathers them for the two paths above.
 */
#define MARKER_PARAMS0	void *data
#define MARKER_PARAMS1	MARKER_PARAMS0, unsigned long a0
#define MARKER_PARAMS2	MARKER_PARAMS1, unsigned long a1
#define MARKER_PARAMS3	MARKER_PARAMS2, unsigned long a2
#define MARKER_PARAMS4	MARKER_PARAMS3, unsigned long a3
#define MARKER_PARAMS5	MARKER_PARAMS4, unsigned long a4
#define MARKER_PARAMS12	MARKER_PARAMS5, unsigned long a5, unsigned long a6, \
			unsigned long a7, unsigned long a8, unsigned long a9, \
			unsigned long a10, unsigned long a11
#define MARKER_ARGS0	{ 0 }
#define MARKER_ARGS1	{ a0 }
#define MARKER_ARGS2	{ a0, a1 }
#define MARKER_ARGS3	{ a0, a1, a2 }
#define MARKER_ARGS4	{ a0, a1, a2, a3 }
#define MARKER_ARGS5	{ a0, a1, a2, a3, a4 }
#define MARKER_ARGS12	{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 }

/*
 * From 6 arguments on, the dispatcher passes MARKER_MAX_ARGS words, of
 * which the event's format describes the first nr_args.
 */
static __always_inline unsigned int
marker_event_nargs(unsigned int n, struct trace_event_call *call)
{
	return n < MARKER_MAX_ARGS ? n : marker_event_of(call)->fields->nr_args;
}

/*
 * Each probe exists for a shape of arguments: any (the string fields read
 * from the event at run time), none a string, or one string, at @s. Where
 * the shape is known, the compiler keeps the arguments in registers and
 * drops the loops over the strings, as a TRACE_EVENT's generated code has
 * none: a marker with at most one string records at a TRACE_EVENT's cost.
 */
#define MARKER_EVENT_PROBE(n, shape, strings)				\
static void marker_event_probe##n##shape(MARKER_PARAMS##n)		\
{									\
	struct trace_event_file *file = data;				\
	unsigned long args[] = MARKER_ARGS##n;				\
									\
	marker_event_record(file, args,					\
			    marker_event_nargs(n, file->event_call),	\
			    strings);					\
}									\
static void marker_perf_probe##n##shape(MARKER_PARAMS##n)		\
{									\
	unsigned long args[] = MARKER_ARGS##n;				\
									\
	marker_event_perf(data, args, marker_event_nargs(n, data),	\
			  strings);					\
}

#define MARKER_EVENT_PROBES(n)						\
	MARKER_EVENT_PROBE(n, _any, MARKER_STRINGS_ANY)			\
	MARKER_EVENT_PROBE(n, _none, 0)

MARKER_EVENT_PROBES(0)
MARKER_EVENT_PROBES(1)
MARKER_EVENT_PROBE(1, _s0, BIT(0))
MARKER_EVENT_PROBES(2)
MARKER_EVENT_PROBE(2, _s0, BIT(0))
MARKER_EVENT_PROBE(2, _s1, BIT(1))
MARKER_EVENT_PROBES(3)
MARKER_EVENT_PROBE(3, _s0, BIT(0))
MARKER_EVENT_PROBE(3, _s1, BIT(1))
MARKER_EVENT_PROBE(3, _s2, BIT(2))
MARKER_EVENT_PROBES(4)
MARKER_EVENT_PROBE(4, _s0, BIT(0))
MARKER_EVENT_PROBE(4, _s1, BIT(1))
MARKER_EVENT_PROBE(4, _s2, BIT(2))
MARKER_EVENT_PROBE(4, _s3, BIT(3))
MARKER_EVENT_PROBES(5)
MARKER_EVENT_PROBE(5, _s0, BIT(0))
MARKER_EVENT_PROBE(5, _s1, BIT(1))
MARKER_EVENT_PROBE(5, _s2, BIT(2))
MARKER_EVENT_PROBE(5, _s3, BIT(3))
MARKER_EVENT_PROBE(5, _s4, BIT(4))
MARKER_EVENT_PROBE(12, _any, MARKER_STRINGS_ANY)

/*
 * The probes of prefix @p as a table [nargs][shape]: shape 0 is any, 1 no
 * string, 2 + s one string at s.
 */
#define MARKER_SHAPES(p, n, ...)	{ p##n##_any, p##n##_none, __VA_ARGS__ }
#define MARKER_SHAPE_TABLE(p) {						\
	MARKER_SHAPES(p, 0),						\
	MARKER_SHAPES(p, 1, p##1_s0),					\
	MARKER_SHAPES(p, 2, p##2_s0, p##2_s1),				\
	MARKER_SHAPES(p, 3, p##3_s0, p##3_s1, p##3_s2),			\
	MARKER_SHAPES(p, 4, p##4_s0, p##4_s1, p##4_s2, p##4_s3),	\
	MARKER_SHAPES(p, 5, p##5_s0, p##5_s1, p##5_s2, p##5_s3, p##5_s4), \
}

static void *const marker_event_probes[][MARKER_EVENT_MAX_SHAPES] =
	MARKER_SHAPE_TABLE(marker_event_probe);

static void *const marker_perf_probes[][MARKER_EVENT_MAX_SHAPES] =
	MARKER_SHAPE_TABLE(marker_perf_probe);

/* The column of marker_event_probes[] for the string fields of @mf. */
static unsigned int marker_event_shape(const struct marker_fields *mf)
{
	if (!mf->string_mask)
		return 1;
	if (hweight16(mf->string_mask) == 1)
		return 2 + __ffs(mf->string_mask);
	return 0;
}

/**
 * marker_event_probe - the direct probe that records an event
 * @ev: the event
 * @perf: the probe for perf (its private data is the event's call), or the
 *	  one for a trace instance (its private data is the instance's file)
 *
 * Return: the probe for @ev's number of arguments and string fields.
 */
void *marker_event_probe(const struct marker_event *ev, bool perf)
{
	unsigned int shape = marker_event_shape(ev->fields);

	if (ev->nargs < ARRAY_SIZE(marker_event_probes))
		return perf ? marker_perf_probes[ev->nargs][shape] :
			      marker_event_probes[ev->nargs][shape];
	return perf ? marker_perf_probe12_any : marker_event_probe12_any;
}

/* --- the event's callbacks --------------------------------------------- */
