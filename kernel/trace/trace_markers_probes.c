// SPDX-License-Identifier: GPL-2.0
/*
 * The probes that record a marker's trace event, for ftrace and for perf.
 *
 * They are direct probes (see marker_probe_register_direct()): each takes
 * its marker's arguments in registers, and exists for every number of
 * arguments up to MARKER_MAX_DIRECT_ARGS, so that storing the arguments
 * is one store each. A record with at most one string, the common case,
 * is written inline: the stores, a strlen() and a short copy, which is
 * what a TRACE_EVENT's generated code does. More strings take loops out
 * of line. One probe serves every format of its number of arguments:
 * specialising them by their string fields too would make the probes
 * four times as big for a few instructions a record.
 */

#include <linux/bitops.h>
#include <linux/markers.h>
#include <linux/perf_event.h>
#include <linux/trace_events.h>

#include "trace.h"
#include "trace_markers.h"

/*
 * The general case, more than one string field: the loops of
 * marker_fields_measure() and marker_fields_write(), out of line, shared
 * by every probe.
 */
static noinline unsigned int marker_measure_strings(const struct marker_fields *mf,
						    unsigned long *args,
						    u16 *lens)
{
	return marker_fields_measure(mf, args, lens, mf->string_mask);
}

static noinline void marker_write_strings(const struct marker_fields *mf,
					  void *record,
					  const unsigned long *args,
					  unsigned int nargs, const u16 *lens)
{
	marker_fields_write(mf, record, args, nargs, lens, mf->string_mask);
}

/*
 * The number of arguments of a probe of @n: from 6 arguments on, the
 * dispatcher passes MARKER_MAX_ARGS words, of which the event's format
 * describes the first nr_args.
 */
static __always_inline unsigned int
marker_event_nargs(unsigned int n, const struct marker_fields *mf)
{
	return n < MARKER_MAX_ARGS ? n : mf->nr_args;
}

/*
 * What a probe writes: its arguments, as marker_fields_measure() and
 * marker_fields_write() say, inline for at most one string field (the
 * common case, and a TRACE_EVENT's cost), else out of line. Filled by
 * marker_record_measure() for marker_record_write(); inlined, it lives in
 * registers.
 */
struct marker_record {
	const struct marker_fields *mf;
	const char *str;
	unsigned int str_size;
	bool many;
};

/*
 * @n is the probe's number of arguments, a constant: a record of no
 * argument has no string, and the probe of more than five arguments,
 * which is rare, always takes the general case. So do the fields that
 * @mf->general says need it. @lens is for the general case, apart from
 * @rec so that @rec can live in registers.
 */
static __always_inline unsigned int
marker_record_measure(struct marker_record *rec, unsigned long *args,
		      unsigned int n, u16 *lens)
{
	if (!n)
		return rec->mf->size;
	rec->many = n == MARKER_MAX_ARGS || rec->mf->general;
	if (unlikely(rec->many)) {
		rec->str_size = 0;
		return marker_measure_strings(rec->mf, args, lens);
	}
	return marker_fields_measure_one(rec->mf, args, &rec->str,
					 &rec->str_size);
}

static __always_inline void marker_record_write(struct marker_record *rec,
						void *record,
						const unsigned long *args,
						unsigned int n, unsigned int nargs,
						const u16 *lens)
{
	/* the one string first: the general case has no @rec->str_size */
	if (!n)
		marker_fields_store(record, args, 0);
	else if (rec->str_size)
		marker_fields_write_one(rec->mf, record, args, nargs,
					rec->str, rec->str_size);
	else if (unlikely(rec->many))
		marker_write_strings(rec->mf, record, args, nargs, lens);
	else
		marker_fields_store(record, args, nargs);
}

/*
 * The ftrace path: one record in the buffer of the instance of @file.
 * Inlined into each direct probe below, where @n, its number of
 * arguments, is a constant: every argument is one store, and only the
 * string fields cost more.
 */
static __always_inline void marker_event_record(struct trace_event_file *file,
						unsigned long *args,
						unsigned int n)
{
	/* each member is set before it is read */
	struct marker_record rec __uninitialized;
	/* trace_event_buffer_reserve() sets it all when it gives a record */
	struct trace_event_buffer fbuffer __uninitialized;
	/* for the general case, read only where it wrote */
	u16 lens[MARKER_MAX_ARGS] __uninitialized;
	unsigned int size, nargs;
	void *record;

	if (trace_trigger_soft_disabled(file))
		return;
	rec.mf = marker_event_of(file->event_call)->fields;
	nargs = marker_event_nargs(n, rec.mf);
	size = marker_record_measure(&rec, args, n, lens);
	record = trace_event_buffer_reserve(&fbuffer, file, size);
	if (!record)
		return;
	marker_record_write(&rec, record, args, n, nargs, lens);
	trace_event_buffer_commit(&fbuffer);
}

#ifdef CONFIG_PERF_EVENTS
/* The perf path: the record goes to the BPF programs, then to perf. */
static __always_inline void marker_event_perf(struct trace_event_call *call,
					      unsigned long *args,
					      unsigned int n)
{
	/* each member is set before it is read */
	struct marker_record rec __uninitialized;
	struct hlist_head *head = this_cpu_ptr(call->perf_events);
	/* for the general case, read only where it wrote */
	u16 lens[MARKER_MAX_ARGS] __uninitialized;
	/* perf_trace_buf_alloc() sets them when it gives a record */
	struct pt_regs *regs __uninitialized;
	int rctx __uninitialized;
	unsigned int size, nargs;
	void *record;

	if (!bpf_prog_array_valid(call) && hlist_empty(head))
		return;
	rec.mf = marker_event_of(call)->fields;
	nargs = marker_event_nargs(n, rec.mf);
	size = marker_record_measure(&rec, args, n, lens);
	/* perf's raw samples are u32 size + data, u64 aligned */
	size = ALIGN(size + sizeof(u32), sizeof(u64)) - sizeof(u32);
	record = perf_trace_buf_alloc(size, &regs, &rctx);
	if (!record)
		return;
	perf_fetch_caller_regs(regs);
	marker_record_write(&rec, record, args, n, nargs, lens);
	perf_trace_run_bpf_submit(record, size, rctx, call, 1, regs, head,
				  NULL);
}
#else
static __always_inline void marker_event_perf(struct trace_event_call *call,
					      unsigned long *args,
					      unsigned int n)
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

#define MARKER_EVENT_PROBE(n)						\
static void marker_event_probe##n(MARKER_PARAMS##n)			\
{									\
	struct trace_event_file *file = data;				\
	unsigned long args[] = MARKER_ARGS##n;				\
									\
	marker_event_record(file, args, n);				\
}									\
static void marker_perf_probe##n(MARKER_PARAMS##n)			\
{									\
	unsigned long args[] = MARKER_ARGS##n;				\
									\
	marker_event_perf(data, args, n);				\
}

MARKER_EVENT_PROBE(0)
MARKER_EVENT_PROBE(1)
MARKER_EVENT_PROBE(2)
MARKER_EVENT_PROBE(3)
MARKER_EVENT_PROBE(4)
MARKER_EVENT_PROBE(5)
MARKER_EVENT_PROBE(12)

static void *const marker_event_probes[] = {
	marker_event_probe0, marker_event_probe1, marker_event_probe2,
	marker_event_probe3, marker_event_probe4, marker_event_probe5,
};

static void *const marker_perf_probes[] = {
	marker_perf_probe0, marker_perf_probe1, marker_perf_probe2,
	marker_perf_probe3, marker_perf_probe4, marker_perf_probe5,
};

/**
 * marker_event_probe - the direct probe that records an event
 * @ev: the event
 * @perf: the probe for perf (its private data is the event's call), or the
 *	  one for a trace instance (its private data is the instance's file)
 *
 * Return: the probe for @ev's number of arguments.
 */
void *marker_event_probe(const struct marker_event *ev, bool perf)
{
	if (ev->nargs < ARRAY_SIZE(marker_event_probes))
		return perf ? marker_perf_probes[ev->nargs] :
			      marker_event_probes[ev->nargs];
	return perf ? marker_perf_probe12 : marker_event_probe12;
}
