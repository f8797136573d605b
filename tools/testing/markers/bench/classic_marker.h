/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The markers of Linux 2.6.31 (include/linux/marker.h, kernel/marker.c),
 * rebuilt for comparison, reduced to what a site and a single probe run:
 * a static struct whose state byte the site loads and tests with
 * unlikely(), and a call through the struct's function pointer with the
 * arguments as varargs, to marker_probe_cb(), which starts a va_list for
 * the probe.
 *
 * One difference: 2.6.31 defined the struct inside the statement, in
 * section __markers, where its registry found it; here it is defined at
 * file scope (DEFINE_CLASSIC_MARKER) so that the benchmark can arm it
 * without a registry, and kept out of the __markers section of today's
 * markers. The code of the site is the same.
 *
 * Shared by the kernel module mb_bench.c and the userspace harness
 * native.c. The includer provides unlikely(), likely(), va_list and
 * classic_preempt_disable() / classic_preempt_enable() (2.6.31's
 * rcu_read_lock_sched_notrace() and rcu_read_unlock_sched_notrace()).
 */
#ifndef MB_CLASSIC_MARKER_H
#define MB_CLASSIC_MARKER_H

struct classic_marker;

typedef void classic_probe_func(void *probe_private, void *call_private,
				const char *fmt, va_list *args);

struct classic_probe_closure {
	classic_probe_func *func;
	void *probe_private;
};

struct classic_marker {
	const char *name;
	const char *format;
	char state;
	char ptype;
	void (*call)(const struct classic_marker *mdata, void *call_private,
		     ...);
	struct classic_probe_closure single;
	struct classic_probe_closure *multi;
	const char *tp_name;
	void *tp_cb;
} __aligned(8);

/* 2.6.31's marker_probe_cb(): the va_list path of an armed marker. */
static void classic_marker_probe_cb(const struct classic_marker *mdata,
				    void *call_private, ...)
{
	struct classic_probe_closure *multi;
	va_list args;
	int i;

	classic_preempt_disable();
	if (likely(!mdata->ptype)) {
		va_start(args, call_private);
		mdata->single.func(mdata->single.probe_private, call_private,
				   mdata->format, &args);
		va_end(args);
	} else {
		multi = mdata->multi;
		for (i = 0; multi[i].func; i++) {
			va_start(args, call_private);
			multi[i].func(multi[i].probe_private, call_private,
				      mdata->format, &args);
			va_end(args);
		}
	}
	classic_preempt_enable();
}

/* 2.6.31's __mark_empty_function(): the probe of an unarmed marker. */
static void classic_mark_empty_function(void *probe_private,
					void *call_private,
					const char *fmt, va_list *args)
{
}

#define DEFINE_CLASSIC_MARKER(mname, fmt)				\
	static const char __classic_mstrtab_##mname[] = #mname "\0" fmt; \
	static struct classic_marker __classic_mark_##mname = {		\
		.name = __classic_mstrtab_##mname,			\
		.format = &__classic_mstrtab_##mname[sizeof(#mname)],	\
		.call = classic_marker_probe_cb,			\
		.single = { classic_mark_empty_function, NULL },	\
	}

/* The site: 2.6.31's __trace_mark() with generic = 0, call_private NULL. */
#define classic_trace_mark(name, args...)				\
do {									\
	if (unlikely(__classic_mark_##name.state))			\
		(*__classic_mark_##name.call)(&__classic_mark_##name,	\
					      NULL, ## args);		\
} while (0)

#endif /* MB_CLASSIC_MARKER_H */
