/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The markers' trace events: what kernel/trace/trace_markers.c (the
 * events), trace_markers_fields.c (their fields) and
 * trace_markers_control.c (debugfs set_marker and control) share.
 */
#ifndef _TRACE_MARKERS_H
#define _TRACE_MARKERS_H

#include <linux/hashtable.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/trace_events.h>
#include <linux/tracepoint-defs.h>

/* Longest string a record keeps, its NUL included. */
#define MARKER_EVENT_STR_MAX	256

/* struct marker_field.flags */
#define MARKER_FIELD_SIGNED	0x01
#define MARKER_FIELD_STRING	0x02	/* a __data_loc char[] */

/**
 * struct marker_field - one field of a marker's event
 * @name: the field's name, from the "field %type" convention or argN
 * @type: its C type, as the format file shows it
 * @offset: its offset in the record, struct trace_entry included
 * @size: its size in the record (4, the data_loc word, for a string)
 * @flags: %MARKER_FIELD_SIGNED, %MARKER_FIELD_STRING
 */
struct marker_field {
	const char *name;
	const char *type;
	u16 offset;
	u8 size;
	u8 flags;
};

/**
 * struct marker_conv - one conversion of a marker's format, for printing
 * @start: offset of its '%' in the format
 * @len: its length
 * @field: the field holding its value; a '*' width or precision is in the
 *	   one or two fields before
 * @stars: number of '*' in it
 * @kind: 'd' signed, 'u' unsigned, 'c', 's' or 'p'
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
 * @nr_fields: number of @field (the marker's arguments, or one for none)
 * @nr_args: number of the marker's arguments
 * @nr_convs: number of @conv
 * @nr_strings: number of string fields
 * @strings: indexes of the string fields in @field
 * @field: the fields, in argument order
 * @conv: the conversions of @format, in order
 * @names: storage of the fields' names
 */
struct marker_fields {
	const char *format;
	char *print_fmt;
	unsigned int size;
	u8 nr_fields;
	u8 nr_args;
	u8 nr_convs;
	u8 nr_strings;
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
			 const void *record, unsigned int size);

/**
 * marker_fields_measure - the size of a record of these arguments
 * @mf: the event's fields
 * @args: the marker's arguments
 * @lens: filled with the bytes each string field keeps, its NUL included
 *
 * Return: the record's size, struct trace_entry included.
 */
static __always_inline unsigned int
marker_fields_measure(const struct marker_fields *mf,
		      const unsigned long *args, u16 *lens)
{
	unsigned int size = mf->size, i;
	const char *str;

	for (i = 0; i < mf->nr_strings; i++) {
		str = (const char *)args[mf->strings[i]] ?: "(null)";
		lens[i] = strnlen(str, MARKER_EVENT_STR_MAX - 1) + 1;
		size += lens[i];
	}
	return size;
}

/**
 * marker_fields_write - fill a record with a marker's arguments
 * @mf: the event's fields
 * @record: the record, of marker_fields_measure()'s size
 * @args: the marker's arguments, one word each
 * @lens: what marker_fields_measure() gave
 *
 * Integers are truncated to their field's size; the header (struct
 * trace_entry) is left to the buffer's owner.
 */
static __always_inline void
marker_fields_write(const struct marker_fields *mf, void *record,
		    const unsigned long *args, const u16 *lens)
{
	const struct marker_field *f = mf->field;
	unsigned int i, s = 0, dyn = mf->size;
	const char *str;
	void *p;

	for (i = 0; i < mf->nr_args; i++, f++) {
		p = record + f->offset;
		if (f->flags & MARKER_FIELD_STRING) {
			str = (const char *)args[i] ?: "(null)";
			memcpy(record + dyn, str, lens[s] - 1);
			((char *)record)[dyn + lens[s] - 1] = '\0';
			*(u32 *)p = dyn | (u32)lens[s] << 16;
			dyn += lens[s++];
			continue;
		}
		switch (f->size) {
		case 1:
			*(u8 *)p = args[i];
			break;
		case 2:
			*(u16 *)p = args[i];
			break;
		case 4:
			*(u32 *)p = args[i];
			break;
		default:
			*(u64 *)p = args[i];
			break;
		}
	}
	if (!mf->nr_args)
		*(u8 *)(record + mf->field[0].offset) = 0;
}

/**
 * struct marker_event - the trace event of one marker name
 * @list: in marker_events
 * @node: in the hash table of names
 * @call: the event
 * @class: its class: system "markers", our reg() and fields
 * @tp: only its name is read, as TRACE_EVENT_FL_TRACEPOINT asks
 * @fields: the record layout
 * @top_file: its file in the top-level trace buffer
 * @name: the marker's name
 * @nargs: the number of arguments of its sites
 * @users: ftrace instances and perf using it (reg() registrations)
 * @loaded: a site of the name and format is loaded
 * @recorded: it was enabled in an instance since its creation: its
 *	      records may be in a buffer, so it stays until reboot
 * @stale: its name is loaded with another format
 * @warned: that was said once
 * @want: for trace_markers_control.c: the state a request asks for
 * @toggled: enabled by the request being applied, to undo if it fails
 *
 * Everything is protected by event_mutex.
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
	bool loaded;
	bool recorded;
	bool stale;
	bool warned;
	bool want;
	bool toggled;
};

extern struct list_head marker_events;

void marker_events_lock(void);
void marker_events_unlock(void);
struct marker_event *marker_event_find(const char *name);
bool marker_event_enabled(struct marker_event *ev);
int marker_events_batch_begin(unsigned int max);
int marker_events_batch_flush(void);
void marker_events_batch_end(void);
int marker_event_enable(struct marker_event *ev, bool enable);

/* Without debugfs, its functions do nothing and this creates nothing. */
void marker_control_init(struct dentry *dir);

#endif /* _TRACE_MARKERS_H */
