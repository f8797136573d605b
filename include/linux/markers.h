/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MARKERS_H
#define _LINUX_MARKERS_H

/*
 * Kernel markers: static instrumentation points that cost one NOP while
 * nobody listens and a direct call to the probe while somebody does.
 *
 * A marked function contains one line:
 *
 *	trace_mark(net_rx_drop, "dev %s len %u", dev->name, skb->len);
 *
 * See Documentation/markers.txt for the rules and the cost model.
 */

#include <linux/args.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/stdarg.h>
#include <linux/types.h>

/*
 * marker_probe_func - probe receiving the marker's arguments as a va_list
 * @probe_private: the private data given at registration
 * @call_private: private data of the call site (always NULL for trace_mark())
 * @fmt: the format string of the marker that fired
 * @args: the marker's arguments, to be read with va_arg() as @fmt says
 *
 * (A plain comment: kernel-doc cannot parse a typedef carrying __printf.)
 * This is the probe type of the historical markers API (Linux 2.6.31's).
 * It suits probes that serve many markers, like a tracer that
 * records every marker with one function. A probe for one known marker is
 * cheaper in the direct form, see marker_probe_register_direct().
 */
typedef __printf(3, 0) void marker_probe_func(void *probe_private,
					      void *call_private,
					      const char *fmt, va_list *args);

/* Format string of a marker that has no arguments. */
#define MARK_NOARGS " "

/* Most arguments one marker may pass. */
#define MARKER_MAX_ARGS		12
/* Most arguments a marker may have and still call a direct probe directly. */
#define MARKER_MAX_DIRECT_ARGS	5

/* struct marker_site.flags: GENERIC and QUERY are the compiler's */
#define MARKER_SITE_GENERIC	0x01	/* flag-tested site, never patched */
#define MARKER_SITE_ARMED	0x02	/* its jumps lead to the call */
#define MARKER_SITE_USED	0x04	/* it has been armed since it was loaded */
#define MARKER_SITE_REFUSED	0x08	/* unexpected code: never patched */
#define MARKER_SITE_MISMATCH	0x10	/* its format is not its probes': off */
#define MARKER_SITE_QUERY	0x20	/* a trace_mark_enabled() test */

/* struct marker_probe.flags */
#define MARKER_PROBE_DIRECT	0x01	/* arguments passed as C arguments */

/**
 * struct marker_probe - one probe connected to a marker
 * @func: a marker_probe_func, or a direct probe taking the private data
 *	  followed by the marker's arguments
 * @probe_private: private data given to @func
 * @flags: %MARKER_PROBE_DIRECT for a direct probe
 */
struct marker_probe {
	void *func;
	void *probe_private;
	unsigned long flags;
};

/**
 * struct marker_probes - the probes connected to a marker, RCU protected
 * @rcu: frees the array once no site can be calling through it
 * @nr: number of entries in @probes
 * @nr_direct: @nr if every probe is a direct probe, else 0: whether a
 *	dispatcher may call them all alike
 * @probes: the probes, in registration order, then an entry whose func
 *	    is %NULL, which ends the dispatchers' loops (as a tracepoint's)
 */
struct marker_probes {
	struct rcu_head rcu;
	unsigned int nr;
	unsigned int nr_direct;
	struct marker_probe probes[];
};

/**
 * struct marker_site - one trace_mark() statement, emitted in section __markers
 * @name: the marker's name, in section __markers_strings
 * @format: the marker's format, in section __markers_strings
 * @function: the function holding the site
 * @file: the source file holding the site
 * @line: the source line of the site
 * @nargs: number of arguments the site passes
 * @flags: %MARKER_SITE_GENERIC for a site tested through @probes
 * @wide: bit n is set when argument n is wider than an int
 * @probes: the connected probes, or %NULL while the marker is off
 * @probe_private: private data passed by a site patched to call one direct
 *		   probe; only changed while no CPU can be using it
 * @direct: the direct probe the site's call is patched to, or %NULL
 *
 * Everything above @probes is written by the compiler; the rest belongs to
 * kernel/markers.c and the architecture code.
 */
struct marker_site {
	const char *name;
	const char *format;
	const char *function;
	const char *file;
	unsigned int line;
	u8 nargs;
	u8 flags;
	u16 wide;
	struct marker_probes __rcu *probes;
	void *probe_private;
	void *direct;
};

/**
 * struct marker_jump - a patchable jump to a site's out-of-line block
 * @code: address of the NOP or jump, relative to this field
 * @target: address of the out-of-line block, relative to this field
 * @site: address of the site, relative to this field, plus 2
 *
 * Same layout as struct jump_entry, so that objtool handles both alike.
 * Emitted in section __markers_jump by architectures that patch sites.
 */
struct marker_jump {
	s32 code;
	s32 target;
	long site;
};

/**
 * struct marker_call - the patchable call of a site's out-of-line block
 * @code: address of the call instruction, relative to this field
 * @site: address of the site, relative to this field
 *
 * Emitted in section __markers_call by architectures that patch sites.
 */
struct marker_call {
	s32 code;
	s32 site;
};

/**
 * struct marker_change - one change of a batch, for marker_probes_change()
 * @name: the marker's name
 * @format: when connecting, the format the probe expects, or %NULL
 * @probe: the probe, with its private data and flags
 * @connect: true to connect @probe, false to disconnect it
 * @strict: when connecting, refuse (-ENOENT) a marker no loaded code has,
 *	    instead of waiting for it
 */
struct marker_change {
	const char *name;
	const char *format;
	struct marker_probe probe;
	bool connect;
	bool strict;
};

#ifdef CONFIG_MARKERS

/*
 * Apply m(index, argument) to each argument, in order. COUNT_ARGS() counts
 * to 15; MARKER_MAX_ARGS is enforced with a static assertion.
 */
#define __MARKER_MAP0(m, ...)
#define __MARKER_MAP1(m, a)	 m(0, a)
#define __MARKER_MAP2(m, a, b)	 m(0, a) m(1, b)
#define __MARKER_MAP3(m, a, b, c) m(0, a) m(1, b) m(2, c)
#define __MARKER_MAP4(m, a, b, c, d) \
	__MARKER_MAP3(m, a, b, c) m(3, d)
#define __MARKER_MAP5(m, a, b, c, d, e) \
	__MARKER_MAP4(m, a, b, c, d) m(4, e)
#define __MARKER_MAP6(m, a, b, c, d, e, f) \
	__MARKER_MAP5(m, a, b, c, d, e) m(5, f)
#define __MARKER_MAP7(m, a, b, c, d, e, f, g) \
	__MARKER_MAP6(m, a, b, c, d, e, f) m(6, g)
#define __MARKER_MAP8(m, a, b, c, d, e, f, g, h) \
	__MARKER_MAP7(m, a, b, c, d, e, f, g) m(7, h)
#define __MARKER_MAP9(m, a, b, c, d, e, f, g, h, i) \
	__MARKER_MAP8(m, a, b, c, d, e, f, g, h) m(8, i)
#define __MARKER_MAP10(m, a, b, c, d, e, f, g, h, i, j) \
	__MARKER_MAP9(m, a, b, c, d, e, f, g, h, i) m(9, j)
#define __MARKER_MAP11(m, a, b, c, d, e, f, g, h, i, j, k) \
	__MARKER_MAP10(m, a, b, c, d, e, f, g, h, i, j) m(10, k)
#define __MARKER_MAP12(m, a, b, c, d, e, f, g, h, i, j, k, l) \
	__MARKER_MAP11(m, a, b, c, d, e, f, g, h, i, j, k) m(11, l)
/* Past MARKER_MAX_ARGS: mapped all the same, so that one error says so. */
#define __MARKER_MAP13(m, a, b, c, d, e, f, g, h, i, j, k, l, n) \
	__MARKER_MAP12(m, a, b, c, d, e, f, g, h, i, j, k, l) m(12, n)
#define __MARKER_MAP14(m, a, b, c, d, e, f, g, h, i, j, k, l, n, o) \
	__MARKER_MAP13(m, a, b, c, d, e, f, g, h, i, j, k, l, n) m(13, o)
#define __MARKER_MAP15(m, a, b, c, d, e, f, g, h, i, j, k, l, n, o, p) \
	__MARKER_MAP14(m, a, b, c, d, e, f, g, h, i, j, k, l, n, o) m(14, p)
#define __MARKER_MAP(m, args...) \
	CONCATENATE(__MARKER_MAP, COUNT_ARGS(args))(m, ## args)

/*
 * Arguments travel as one machine word each. __marker_passed() has the
 * type the argument is passed as: arrays decay to pointers, as they do in
 * a conditional expression (not "+ 0", which refuses a pointer to an
 * incomplete type, an opaque struct). A struct or union cannot travel in
 * a word: an assertion says so, and everywhere else the argument is used
 * as __marker_arg(), which is 0 then, so that the assertion is the one
 * error the compiler gives for it.
 */
#ifndef __CHECKER__
#define __MARKER_TYPE_CLASS_RECORD	12	/* __builtin_classify_type() */
#define __MARKER_TYPE_CLASS_UNION	13
#define __marker_arg_scalar(x)						\
	(__builtin_classify_type(x) != __MARKER_TYPE_CLASS_RECORD &&	\
	 __builtin_classify_type(x) != __MARKER_TYPE_CLASS_UNION)
#define __marker_arg(x)	__builtin_choose_expr(__marker_arg_scalar(x), (x), 0)
#else
/* sparse has no __builtin_classify_type(); the compiler checks it */
#define __marker_arg_scalar(x)	1
#define __marker_arg(x)		(x)
#endif

#define __marker_passed(x)	(0 ? __marker_arg(x) : __marker_arg(x))

#define __MARKER_ARG_SIZE(i, x)						\
	static_assert(__marker_arg_scalar(x),				\
		      "marker argument " #i " is a struct or union");	\
	static_assert(sizeof(__marker_passed(x)) <= sizeof(long),	\
		      "marker argument " #i " is wider than a long");
#define __MARKER_WIDE(i, x)						\
	| (sizeof(__marker_passed(x)) > sizeof(int) ? 1U << (i) : 0)
#define __MARKER_CHECKED(i, x)	, __marker_arg(x)

#define __MARKER_CHECK_ARGS(args...)					\
	static_assert(COUNT_ARGS(args) <= MARKER_MAX_ARGS,		\
		      "a marker takes at most 12 arguments");		\
	__MARKER_MAP(__MARKER_ARG_SIZE, args)

/*
 * The site descriptor and its strings. Name and format are laid out as
 * "name\0format" in __markers_strings so that tools can read them from
 * vmlinux or a .ko without running it.
 */
#define __MARKER_SITE(site, mname, mformat, site_flags, args...)		\
	static const char __marker_str_##mname[]				\
		__section("__markers_strings") __aligned(1) =		\
		#mname "\0" mformat;					\
	static struct marker_site site __used				\
		__section("__markers") __aligned(8) = {			\
		.name = __marker_str_##mname,				\
		.format = __marker_str_##mname + sizeof(#mname),		\
		.function = __func__,					\
		.file = __FILE__,					\
		.line = __LINE__,					\
		.nargs = COUNT_ARGS(args),				\
		.flags = (site_flags),					\
		.wide = 0 __MARKER_MAP(__MARKER_WIDE, args),		\
	}

/*
 * The descriptor of a trace_mark_enabled() test: the marker's name, no
 * format, no arguments, and no call; it is on while the marker has probes.
 */
#define __MARKER_QUERY_SITE(site, mname, site_flags)			\
	static const char __marker_enabled_str_##mname[]		\
		__section("__markers_strings") __aligned(1) = #mname "\0";	\
	static struct marker_site site __used				\
		__section("__markers") __aligned(8) = {			\
		.name = __marker_enabled_str_##mname,			\
		.format = __marker_enabled_str_##mname + sizeof(#mname), \
		.function = __func__,					\
		.file = __FILE__,					\
		.line = __LINE__,					\
		.flags = (site_flags) | MARKER_SITE_QUERY,		\
	}

void __marker_call_generic(const struct marker_site *site,
			   void *call_private, ...);

/* The portable site: a pointer test, then a call through the probe list. */
#define __marker_generic_site(site, args...)				\
do {									\
	if (unlikely(rcu_access_pointer((site).probes)))		\
		__marker_call_generic(&(site), NULL, ## args);		\
} while (0)

#ifdef CONFIG_MARKERS_PATCHING
#include <asm/markers.h>
#define __marker_arch_enabled(site)	arch_marker_site_armed(&(site))
#else
#define __marker_arch_site(site, args...) __marker_generic_site(site, ## args)
#define __marker_arch_enabled(site)	(!!rcu_access_pointer((site).probes))
#define MARKER_SITE_ARCH_FLAGS MARKER_SITE_GENERIC
#endif

#define __trace_mark(site_flags, site_macro, name, format, args...)	\
do {									\
	__MARKER_CHECK_ARGS(args)					\
	__MARKER_SITE(__marker_site_##name, name, format,		\
		      site_flags, ## args);				\
	__marker_check_format(format					\
			      __MARKER_MAP(__MARKER_CHECKED, args));	\
	site_macro(__marker_site_##name, ## args);			\
} while (0)

/**
 * trace_mark - place a marker
 * @name: the marker's name, an identifier unique in the kernel (not a string)
 * @format: printf-like format string describing the arguments
 * @args: the arguments, at most %MARKER_MAX_ARGS, each at most a long wide
 *
 * While no probe is connected, the site is one NOP instruction on
 * architectures that patch sites, and the arguments are not evaluated.
 * Probes run with preemption disabled.
 */
#define trace_mark(name, format, args...)				\
	__trace_mark(MARKER_SITE_ARCH_FLAGS, __marker_arch_site,	\
		     name, format, ## args)

/**
 * trace_mark_enabled - whether a marker has probes
 * @name: the marker's name
 *
 * For code that must compute a marker's arguments (format a buffer, walk a
 * list) only when somebody listens::
 *
 *	if (trace_mark_enabled(net_rx_drop))
 *		trace_mark(net_rx_drop, "why %s", drop_reason(skb));
 *
 * While the marker has no probe the test costs what a site does, one NOP
 * on architectures that patch sites; it is patched with the marker's
 * sites. The code it guards may still cost the caller on the dormant path
 * what any call it holds does (on arm64, GCC sets up the frame for it at
 * the function's entry).
 *
 * @name is one that a trace_mark() of the same module (or of vmlinux)
 * places: modpost warns about a test of a name that none places, which
 * would be false for ever.
 *
 * Return: true while a probe is connected to the marker @name.
 */
#define trace_mark_enabled(name)					\
({									\
	__MARKER_QUERY_SITE(__marker_query_##name, name,		\
			    MARKER_SITE_ARCH_FLAGS);			\
	unlikely(__marker_arch_enabled(__marker_query_##name));		\
})

/**
 * _trace_mark - place a marker that is never patched
 * @name: the marker's name
 * @format: printf-like format string describing the arguments
 * @args: the arguments
 *
 * For code that text patching itself runs through, or that runs before
 * patching is possible: the site tests a pointer instead of being patched.
 */
#define _trace_mark(name, format, args...)				\
	__trace_mark(MARKER_SITE_GENERIC, __marker_generic_site,	\
		     name, format, ## args)

int marker_probe_register(const char *name, const char *format,
			  marker_probe_func *probe, void *probe_private);
int marker_probe_unregister(const char *name, marker_probe_func *probe,
			    void *probe_private);
int marker_probe_unregister_private_data(marker_probe_func *probe,
					 void *probe_private);
void *marker_get_private_data(const char *name, marker_probe_func *probe,
			      int num);
int marker_probe_register_direct(const char *name, const char *format,
				 void *probe, void *probe_private);
int marker_probe_register_direct_strict(const char *name, const char *format,
					void *probe, void *probe_private);
int marker_probe_unregister_direct(const char *name, void *probe,
				   void *probe_private);
int marker_probes_change(const struct marker_change *changes, unsigned int nr);
void markers_batch_begin(void);
void markers_batch_end(void);
int marker_probe_register_direct_cpuslocked(const char *name,
					    const char *format, void *probe,
					    void *probe_private);
int marker_probe_unregister_direct_cpuslocked(const char *name, void *probe,
					      void *probe_private);
int marker_probes_change_cpuslocked(const struct marker_change *changes,
				    unsigned int nr);
void marker_synchronize_unregister(void);
bool markers_text_reserved(void *start, void *end);

#else /* !CONFIG_MARKERS */

#define trace_mark(name, format, args...) \
	__marker_check_format(format, ## args)
#define _trace_mark(name, format, args...) \
	__marker_check_format(format, ## args)
#define trace_mark_enabled(name) false

static inline int marker_probe_register(const char *name, const char *format,
					marker_probe_func *probe,
					void *probe_private)
{
	return -EOPNOTSUPP;
}

static inline int marker_probe_unregister(const char *name,
					  marker_probe_func *probe,
					  void *probe_private)
{
	return -EOPNOTSUPP;
}

static inline int
marker_probe_unregister_private_data(marker_probe_func *probe,
				     void *probe_private)
{
	return -EOPNOTSUPP;
}

static inline void *marker_get_private_data(const char *name,
					    marker_probe_func *probe, int num)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline int marker_probe_register_direct(const char *name,
					       const char *format,
					       void *probe, void *probe_private)
{
	return -EOPNOTSUPP;
}

static inline int marker_probe_register_direct_strict(const char *name,
						      const char *format,
						      void *probe,
						      void *probe_private)
{
	return -EOPNOTSUPP;
}

static inline int marker_probe_unregister_direct(const char *name,
						 void *probe,
						 void *probe_private)
{
	return -EOPNOTSUPP;
}

static inline int marker_probes_change(const struct marker_change *changes,
				       unsigned int nr)
{
	return -EOPNOTSUPP;
}

static inline void markers_batch_begin(void)
{
}

static inline void markers_batch_end(void)
{
}

static inline int
marker_probe_register_direct_cpuslocked(const char *name, const char *format,
					void *probe, void *probe_private)
{
	return -EOPNOTSUPP;
}

static inline int
marker_probe_unregister_direct_cpuslocked(const char *name, void *probe,
					  void *probe_private)
{
	return -EOPNOTSUPP;
}

static inline int
marker_probes_change_cpuslocked(const struct marker_change *changes,
				unsigned int nr)
{
	return -EOPNOTSUPP;
}

static inline void marker_synchronize_unregister(void) { }

static inline bool markers_text_reserved(void *start, void *end)
{
	return false;
}

#endif /* CONFIG_MARKERS */

/*
 * Type-check the arguments against the format without evaluating them:
 * a mismatch is a -Wformat warning at the marker, not a bad record later.
 */
static inline __printf(1, 2) void ___marker_check_format(const char *fmt, ...)
{
}

#define __marker_check_format(format, args...)				\
do {									\
	if (0)								\
		___marker_check_format(format, ## args);		\
} while (0)

/*
 * A typed probe's parameters from its (type, name) pairs, which
 * COUNT_ARGS() counts together: __MARKER_PROTO##n gives its whole
 * parameter list, __MARKER_CHECK##n the arguments of its format check.
 */
#define __MARKER_LIST2(m, t, a)		m(t, a)
#define __MARKER_LIST4(m, t, a, ...)	m(t, a), __MARKER_LIST2(m, __VA_ARGS__)
#define __MARKER_LIST6(m, t, a, ...)	m(t, a), __MARKER_LIST4(m, __VA_ARGS__)
#define __MARKER_LIST8(m, t, a, ...)	m(t, a), __MARKER_LIST6(m, __VA_ARGS__)
#define __MARKER_LIST10(m, t, a, ...)	m(t, a), __MARKER_LIST8(m, __VA_ARGS__)
#define __MARKER_PARAM(t, a)		t a
#define __MARKER_PARAM_NAME(t, a)	a
#define __MARKER_PROTO0(...)		void *probe_private
#define __MARKER_CHECK0(format, ...)	format
#define __MARKER_PROTO2(...)	void *probe_private,			\
	__MARKER_LIST2(__MARKER_PARAM, __VA_ARGS__)
#define __MARKER_PROTO4(...)	void *probe_private,			\
	__MARKER_LIST4(__MARKER_PARAM, __VA_ARGS__)
#define __MARKER_PROTO6(...)	void *probe_private,			\
	__MARKER_LIST6(__MARKER_PARAM, __VA_ARGS__)
#define __MARKER_PROTO8(...)	void *probe_private,			\
	__MARKER_LIST8(__MARKER_PARAM, __VA_ARGS__)
#define __MARKER_PROTO10(...)	void *probe_private,			\
	__MARKER_LIST10(__MARKER_PARAM, __VA_ARGS__)
#define __MARKER_CHECK2(format, ...)					\
	format, __MARKER_LIST2(__MARKER_PARAM_NAME, __VA_ARGS__)
#define __MARKER_CHECK4(format, ...)					\
	format, __MARKER_LIST4(__MARKER_PARAM_NAME, __VA_ARGS__)
#define __MARKER_CHECK6(format, ...)					\
	format, __MARKER_LIST6(__MARKER_PARAM_NAME, __VA_ARGS__)
#define __MARKER_CHECK8(format, ...)					\
	format, __MARKER_LIST8(__MARKER_PARAM_NAME, __VA_ARGS__)
#define __MARKER_CHECK10(format, ...)					\
	format, __MARKER_LIST10(__MARKER_PARAM_NAME, __VA_ARGS__)

/**
 * DEFINE_MARKER_PROBE - define a direct probe, typed by its marker's format
 * @fn: the probe's name
 * @format: the format of the marker it serves, a string literal
 * @...: its parameters after the private data, as type, name pairs: one
 *	 per argument of the marker, at most %MARKER_MAX_DIRECT_ARGS
 *
 * The compiler checks the parameters against @format as it checks the
 * arguments of printf(): a probe declared (long i, int square) for "i %d
 * square %lu" is a -Wformat warning in fn##_marker_check() that gives the
 * conversion, the parameter's type and its position (argument 2 is the
 * first parameter after the private data), an error with CONFIG_WERROR;
 * not wrong values at run time. Register it with
 * marker_probe_register_typed(), which passes @format along, so that the
 * format is written once; the registry then checks it against the
 * marker's. The body follows the macro, with probe_private and the
 * parameters in scope::
 *
 *	DEFINE_MARKER_PROBE(loop_probe, "i %d square %lu",
 *			    int, i, unsigned long, square)
 *	{
 *		pr_info("%d %lu\n", i, square);
 *	}
 *
 * An odd number of type, name words, or more than five pairs, does not
 * build.
 */
#define DEFINE_MARKER_PROBE(fn, format, ...)				\
	static const char fn##_marker_format[] __maybe_unused = format;	\
	static inline void __maybe_unused					\
	fn##_marker_check(CONCATENATE(__MARKER_PROTO,			\
				      COUNT_ARGS(__VA_ARGS__))(__VA_ARGS__)) \
	{								\
		___marker_check_format(CONCATENATE(__MARKER_CHECK,	\
				COUNT_ARGS(__VA_ARGS__))(format, ## __VA_ARGS__)); \
	}								\
	static void fn(CONCATENATE(__MARKER_PROTO,			\
				   COUNT_ARGS(__VA_ARGS__))(__VA_ARGS__))

/**
 * marker_probe_register_typed - connect a probe of DEFINE_MARKER_PROBE()
 * @name: the marker's name
 * @fn: the probe
 * @probe_private: its private data
 *
 * marker_probe_register_direct() with the format @fn was defined with.
 * Disconnect it with marker_probe_unregister_direct().
 */
#define marker_probe_register_typed(name, fn, probe_private)		\
	marker_probe_register_direct(name, fn##_marker_format, fn,	\
				     probe_private)

/**
 * marker_probe_register_typed_strict - marker_probe_register_typed(), for a
 *					marker that loaded code has
 * @name: the marker's name
 * @fn: the probe
 * @probe_private: its private data
 *
 * A misspelt name is then -ENOENT, not a probe that waits forever.
 */
#define marker_probe_register_typed_strict(name, fn, probe_private)	\
	marker_probe_register_direct_strict(name, fn##_marker_format, fn, \
					    probe_private)

#endif /* _LINUX_MARKERS_H */
