/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The markers' trace events: what kernel/trace/trace_markers.c (the
 * events), trace_markers_fields.c (their fields),
 * trace_markers_control.c (the languages of set_marker and control) and
 * trace_markers_tracefs.c (their files) share.
 */
#ifndef _TRACE_MARKERS_H
#define _TRACE_MARKERS_H

#include <linux/bitops.h>
#include <linux/hashtable.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/trace_events.h>
#include <linux/tracepoint-defs.h>

/*
 * The bytes a string field keeps, its NUL included: by default, and at
 * most, where the conversion's precision asks for more ("%.1000s"). A
 * record's largest size must fit a ring buffer page of 4 KiB
 * (BUF_MAX_DATA_SIZE) and perf's PERF_MAX_TRACE_SIZE, 8 KiB.
 */
#define MARKER_EVENT_STR_MAX		256
#define MARKER_EVENT_STR_LIMIT		2048
#define MARKER_EVENT_RECORD_MAX		4000
/* The bytes a %*ph dump keeps at most, as printk() prints at most. */
#define MARKER_EVENT_DUMP_MAX		64

/* struct marker_field.flags */
#define MARKER_FIELD_SIGNED	0x01
#define MARKER_FIELD_STRING	0x02	/* a __data_loc char[] */
#define MARKER_FIELD_COPY	0x04	/* u8[size], copied through the pointer */
#define MARKER_FIELD_DUMP	0x08	/* __data_loc u8[], %*ph's bytes */

/**
 * struct marker_field - one field of a marker's event
 * @name: the field's name, from the word before its conversion ("field
 *	  %type", "key=%type", "key: %type") or argN
 * @type: its C type, as the format file shows it
 * @offset: its offset in the record, struct trace_entry included
 * @size: its size in the record (4, the data_loc word, for a string)
 * @flags: %MARKER_FIELD_SIGNED, %MARKER_FIELD_STRING, %MARKER_FIELD_COPY,
 *	   %MARKER_FIELD_DUMP
 * @max: for a string, the bytes it keeps at most, its NUL included
 */
struct marker_field {
	const char *name;
	const char *type;
	u16 offset;
	u8 size;
	u8 flags;
	u16 max;
};

/**
 * struct marker_conv - one conversion of a marker's format, for printing
 * @start: offset of its '%' in the format
 * @len: its length
 * @field: the field holding its value; a '*' width or precision is in the
 *	   one or two fields before
 * @stars: number of '*' in it
 * @kind: 'd' signed, 'u' unsigned, 'c', 's', 'p', 'a' for the bytes an
 *	  address or UUID extension prints, 'e' for %pe, 'h' for %*ph
 */
struct marker_conv {
	u16 start;
	u16 len;
	u8 field;
	u8 stars;
	char kind;
};

/**
 * struct marker_fields - the record layout of a marker's event
 * @format: the marker's format
 * @print_fmt: the format file's print fmt
 * @size: the size of a record without its strings' bytes
 * @max_size: the size of a record with every string at its @max
 * @nr_fields: number of @field (the marker's arguments, or one for none)
 * @nr_args: number of the marker's arguments
 * @nr_convs: number of @conv
 * @nr_strings: number of string fields
 * @string_mask: bit n set when field n is a string
 * @copy_mask: bit n set when field n keeps the bytes argument n points to
 * @dump_mask: bit n set when field n is a %*ph dump
 * @general: more than one string, a string with another @max than
 *	     %MARKER_EVENT_STR_MAX, a %MARKER_FIELD_COPY or %MARKER_FIELD_DUMP
 *	     field: the records
 *	     take marker_fields_write(), not the probes' inline path
 * @strings: indexes of the string fields in @field
 * @field: the fields, in argument order
 * @conv: the conversions of @format, in order
 * @names: storage of the fields' names
 */
struct marker_fields {
	const char *format;
	char *print_fmt;
	unsigned int size;
	unsigned int max_size;
	u8 nr_fields;
	u8 nr_args;
	u8 nr_convs;
	u8 nr_strings;
	u16 string_mask;
	u16 copy_mask;
	u16 dump_mask;
	bool general;
	u8 strings[MARKER_MAX_ARGS];
	struct marker_field field[MARKER_MAX_ARGS];
	struct marker_conv conv[MARKER_MAX_ARGS];
	char names[];
};

struct marker_fields *marker_fields_parse(const char *format,
					  unsigned int nargs);
void marker_fields_free(struct marker_fields *mf);
int marker_fields_define(struct trace_event_call *call,
			 const struct marker_fields *mf);
void marker_fields_print(struct trace_seq *s, const struct marker_fields *mf,
			 const void *record, unsigned int size, bool hash_ptr);

/*
 * The fixed part of a record: struct trace_entry, then one u64 slot per
 * field (see marker_field_place()).
 */
static __always_inline u64 *marker_fields_slots(void *record)
{
	return record + sizeof(struct trace_entry);
}

/*
 * The bytes a record keeps of the string @str, its NUL included, when
 * its field keeps at most @max.
 */
static __always_inline unsigned int marker_string_size(const char *str,
						       unsigned int max)
{
	return min_t(size_t, strlen(str), max - 1) + 1;
}

/*
 * Copy the string @str, of marker_string_size() @size, to @record at
 * @dyn, and point @slot at it with its data_loc word. Return the offset
 * after it. @bound is a constant, the largest @size can be.
 */
static __always_inline unsigned int marker_string_put(void *record,
						      unsigned int dyn,
						      u64 *slot,
						      const char *str,
						      unsigned int size,
						      unsigned int bound)
{
	/*
	 * @size is at most @bound already, but the compiler does not know
	 * it when @size came through memory: with it, a short copy is a few
	 * moves inline rather than a call of memcpy().
	 */
	unsigned int len = min_t(unsigned int, size - 1, bound - 1);
	char *dst = record + dyn;

	memcpy(dst, str, len);
	dst[len] = '\0';
	*slot = dyn | (u32)(len + 1) << 16;
	return dyn + len + 1;
}

/*
 * The bytes of each %*ph dump: as printk() prints them, the width's
 * magnitude, at most %MARKER_EVENT_DUMP_MAX; none for NULL, which prints
 * nothing then.
 */
static __always_inline unsigned int
marker_dumps_measure(const struct marker_fields *mf, const unsigned long *args,
		     u16 *lens)
{
	unsigned long dumps = mf->dump_mask;
	unsigned int size = 0, i;
	int width;

	while (dumps) {
		i = __ffs(dumps);
		dumps &= dumps - 1;
		width = args[i - 1];	/* the '*' before it */
		lens[i] = args[i] ? min_t(unsigned int, abs(width),
					  MARKER_EVENT_DUMP_MAX) : 0;
		size += lens[i];
	}
	return size;
}

/* Copy each %*ph dump to @record at @dyn, as marker_dumps_measure() says. */
static __always_inline unsigned int
marker_dumps_write(const struct marker_fields *mf, void *record,
		   unsigned int dyn, const unsigned long *args, const u16 *lens)
{
	unsigned long dumps = mf->dump_mask;
	u64 *slot = marker_fields_slots(record);
	unsigned int i, len;

	while (dumps) {
		i = __ffs(dumps);
		dumps &= dumps - 1;
		len = min_t(unsigned int, lens[i], MARKER_EVENT_DUMP_MAX);
		if (len)
			memcpy(record + dyn, (const void *)args[i], len);
		slot[i] = dyn | (u32)len << 16;
		dyn += len;
	}
	return dyn;
}

/**
 * marker_fields_measure - the size of a record of these arguments
 * @mf: the event's fields
 * @args: the marker's arguments; a NULL string becomes "(null)" here
 * @lens: filled with the bytes string field n keeps, its NUL included
 * @strings: @mf->string_mask
 *
 * Only the string and dump fields are looked at: the other fields cost
 * nothing here. A string is measured as a TRACE_EVENT's __string() measures it,
 * with strlen(), and what it keeps is capped.
 *
 * Return: the record's size, struct trace_entry included.
 */
static __always_inline unsigned int
marker_fields_measure(const struct marker_fields *mf, unsigned long *args,
		      u16 *lens, unsigned long strings)
{
	unsigned int size = mf->size, i;

	while (strings) {
		i = __ffs(strings);
		strings &= strings - 1;
		if (!args[i])
			args[i] = (unsigned long)"(null)";
		lens[i] = marker_string_size((const char *)args[i],
					     mf->field[i].max);
		size += lens[i];
	}
	if (mf->dump_mask)
		size += marker_dumps_measure(mf, args, lens);
	return size;
}

/* Store the marker's @nargs arguments, each whole in its field's slot. */
static __always_inline void marker_fields_store(void *record,
						const unsigned long *args,
						unsigned int nargs)
{
	u64 *slot = marker_fields_slots(record);
	unsigned int i;

	for (i = 0; i < nargs; i++)
		slot[i] = args[i];
	if (!nargs)
		slot[0] = 0;
}

/*
 * Copy the bytes that the arguments of @copies point to (an address, a
 * UUID: what a %p extension prints) to their fields, at record time, as
 * a TRACE_EVENT's __array() field is filled; NULL leaves zeros. The
 * argument's own slot, which no field shows, is cleared.
 */
static __always_inline void marker_fields_copy(const struct marker_fields *mf,
					       void *record,
					       const unsigned long *args,
					       unsigned long copies)
{
	u64 *slot = marker_fields_slots(record);
	const struct marker_field *f;
	unsigned int i;

	while (copies) {
		i = __ffs(copies);
		copies &= copies - 1;
		f = &mf->field[i];
		if (args[i])
			memcpy(record + f->offset, (const void *)args[i],
			       f->size);
		else
			memset(record + f->offset, 0, f->size);
		slot[i] = 0;
	}
}

/**
 * marker_fields_write - fill a record with a marker's arguments
 * @mf: the event's fields
 * @record: the record, of marker_fields_measure()'s size
 * @args: the arguments marker_fields_measure() was given
 * @nargs: their number, @mf->nr_args: a constant where the caller can
 *	   make it one, so that the first loop becomes @nargs stores
 * @lens: what marker_fields_measure() gave
 * @strings: as for marker_fields_measure()
 *
 * Each argument is stored whole in its field's slot, which truncates an
 * integer to its field's size; the bytes of each %MARKER_FIELD_COPY field
 * are copied after the slots; then each string, then each dump, is
 * copied after those, its slot overwritten with the data_loc word. The header (struct
 * trace_entry) is left to the buffer's owner.
 */
static __always_inline void
marker_fields_write(const struct marker_fields *mf, void *record,
		    const unsigned long *args, unsigned int nargs,
		    const u16 *lens, unsigned long strings)
{
	u64 *slot = marker_fields_slots(record);
	unsigned int dyn = mf->size, i;

	marker_fields_store(record, args, nargs);
	if (mf->copy_mask)
		marker_fields_copy(mf, record, args, mf->copy_mask);
	/* @dyn in a local: memcpy() could change *mf */
	while (strings) {
		i = __ffs(strings);
		strings &= strings - 1;
		dyn = marker_string_put(record, dyn, &slot[i],
					(const char *)args[i], lens[i],
					MARKER_EVENT_STR_LIMIT);
	}
	if (mf->dump_mask)
		marker_dumps_write(mf, record, dyn, args, lens);
}

/**
 * marker_fields_measure_one - marker_fields_measure() for at most one string
 * @mf: the event's fields, not @mf->general: at most one string field,
 *	of %MARKER_EVENT_STR_MAX, and no %MARKER_FIELD_COPY field
 * @args: the marker's arguments, left as they are
 * @str: set to the string of the string field, "(null)" for NULL
 * @size: set to the bytes that string keeps, or 0 if there is none
 *
 * The common case, which each probe inlines: with no loop and the
 * arguments read only, the compiler keeps them in registers.
 *
 * Return: the record's size, as marker_fields_measure() gives it.
 */
static __always_inline unsigned int
marker_fields_measure_one(const struct marker_fields *mf,
			  const unsigned long *args, const char **str,
			  unsigned int *size)
{
	*size = 0;
	if (!mf->nr_strings)
		return mf->size;
	*str = (const char *)args[mf->strings[0]] ?: "(null)";
	*size = marker_string_size(*str, MARKER_EVENT_STR_MAX);
	return mf->size + *size;
}

/**
 * marker_fields_write_one - marker_fields_write() for at most one string
 * @mf: as for marker_fields_measure_one()
 * @record: the record, of marker_fields_measure_one()'s size
 * @args: the arguments marker_fields_measure_one() was given
 * @nargs: as for marker_fields_write()
 * @str: what marker_fields_measure_one() gave
 * @size: what marker_fields_measure_one() gave
 *
 * The record is the one marker_fields_write() writes.
 */
static __always_inline void
marker_fields_write_one(const struct marker_fields *mf, void *record,
			const unsigned long *args, unsigned int nargs,
			const char *str, unsigned int size)
{
	marker_fields_store(record, args, nargs);
	if (size)
		marker_string_put(record, mf->size,
				  &marker_fields_slots(record)[mf->strings[0]],
				  str, size, MARKER_EVENT_STR_MAX);
}

/**
 * enum marker_event_state - an event against the loaded sites of its name
 * @MARKER_EVENT_LIVE: a site of its name and format is loaded
 * @MARKER_EVENT_STALE: its name is loaded, with another format only: the
 *	event makes way for one of that format once nothing uses it
 * @MARKER_EVENT_GONE: no site of its name is loaded: the event goes once
 *	nothing uses it, unless it recorded (struct marker_event.recorded)
 */
enum marker_event_state {
	MARKER_EVENT_LIVE,
	MARKER_EVENT_STALE,
	MARKER_EVENT_GONE,
};

/**
 * struct marker_event - the trace event of one marker name
 * @list: in the list of events, oldest first
 * @node: in the hash table of names
 * @call: the event
 * @class: its class: system "markers", our reg() and fields
 * @tp: only its name is read, as TRACE_EVENT_FL_TRACEPOINT asks
 * @fields: the record layout
 * @top_file: its file in the top-level trace buffer
 * @name: the marker's name
 * @nargs: the number of arguments of its sites
 * @users: the reg() registrations: ftrace instances and perf using it
 * @state: where it stands against the loaded sites, as of the last walk
 * @recorded: it was enabled in an instance since its creation: its
 *	      records may be in a buffer, so it stays while its name is
 *	      gone, until its name comes back with another format
 *
 * An event goes when nothing uses it (@users, and the references perf,
 * triggers and eprobes take on the call) and it is %MARKER_EVENT_STALE,
 * or %MARKER_EVENT_GONE without having recorded. Everything is protected
 * by event_mutex.
 */
struct marker_event {
	struct list_head list;
	struct hlist_node node;
	struct trace_event_call call;
	struct trace_event_class class;
	struct tracepoint tp;
	struct marker_fields *fields;
	struct trace_event_file *top_file;
	char *name;
	unsigned int nargs;
	unsigned int users;
	enum marker_event_state state;
	bool recorded;
};

/* Protects the events, as it protects every trace event (trace.h). */
extern struct mutex event_mutex;

struct marker_event *marker_event_next(struct marker_event *ev);

/* Every event, oldest first. Context: event_mutex held. */
#define for_each_marker_event(ev)					\
	for ((ev) = marker_event_next(NULL); (ev);			\
	     (ev) = marker_event_next(ev))

static inline struct marker_event *marker_event_of(struct trace_event_call *call)
{
	return container_of(call, struct marker_event, call);
}

/* trace_markers_probes.c */
void *marker_event_probe(const struct marker_event *ev, bool perf);

struct seq_file;
struct trace_array;

struct marker_event *marker_event_find(const char *name);
bool marker_event_enabled(struct trace_array *tr, struct marker_event *ev);
bool marker_event_soft_mode(struct trace_array *tr, struct marker_event *ev);
int marker_event_enable(struct trace_array *tr, struct marker_event *ev,
			bool enable);

bool marker_events_module_loaded(const char *name);

/* trace_markers_control.c */
ssize_t marker_set_write(struct trace_array *tr, const char __user *ubuf,
			 size_t count);
int marker_set_show(struct seq_file *m, struct trace_array *tr);
void marker_set_clear(struct trace_array *tr);
ssize_t marker_control_write(struct trace_array *tr, const char __user *ubuf,
			     size_t count);
int marker_control_show(struct seq_file *m, struct trace_array *tr);
void marker_control_clear(struct trace_array *tr);
void marker_control_module_loaded(const char *module);

/* trace_markers_pending.c: requests waiting for their module */
int marker_pending_add(struct list_head *staged, struct trace_array *tr,
		       const char *module, const char *text, bool query);
int marker_pending_forget(struct trace_array *tr, const char *module,
			  const char *text, bool query);
void marker_pending_end(struct list_head *staged, bool done);
void marker_pending_clear(struct trace_array *tr, bool query);
void marker_pending_show(struct seq_file *m, struct trace_array *tr,
			 bool query);
void marker_pending_for_module(const char *module,
			       void (*fn)(struct trace_array *tr,
					  const char *module, const char *text,
					  bool query));

/* trace_markers_tracefs.c: without debugfs, this creates nothing. */
void marker_control_init(struct dentry *dir);

#endif /* _TRACE_MARKERS_H */
