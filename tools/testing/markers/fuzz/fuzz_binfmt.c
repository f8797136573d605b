// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: binary records. The recorder of kernel/marker_probe.c
 * stores a marker's arguments with vbin_printf() when it fires and
 * formats them with bstr_printf() when trace is read (lib/vsprintf.c).
 *
 * The input builds a format of up to 12 conversions (numbers of every
 * size, flags, widths and precisions, given or '*', %c, %s of strings
 * this harness owns, %p forms that do not dereference) and their values.
 * Then:
 *  1. vbin_printf() into a large buffer and bstr_printf() into an output
 *     of a size from the input must give what vsnprintf() gives;
 *  2. the recorder itself (marker_record() into a ring buffer whose
 *     records are allocated at their exact size, marker_format_record())
 *     must show the same text in its trace line, or count a miss when
 *     the arguments take more than its 1 KiB.
 */
#include <stdio.h>

#include "kernel/marker_probe.c"
#include "harness.h"

#define MAX_ARGS	16
#define FORMAT_MAX	512
#define BIG_WORDS	4096
#define OUT_MAX		2048

/* Owned strings for %s; the last is built from the input. */
static char long_string[1200];
static const char * const strings[] = {
	"", "cat", "example_loop", "with spaces and %d", "\t\n", long_string,
};

struct fuzz_fmt {
	char fmt[FORMAT_MAX];
	size_t len;
	unsigned long args[MAX_ARGS];
	unsigned int nr_args;
};

static void add(struct fuzz_fmt *f, const char *s)
{
	size_t n = strlen(s);

	if (f->len + n < sizeof(f->fmt)) {
		memcpy(f->fmt + f->len, s, n + 1);
		f->len += n;
	}
}

static void add_arg(struct fuzz_fmt *f, unsigned long v)
{
	f->args[f->nr_args++] = v;
}

/* One conversion: "%" flags width precision length type, and its args. */
static void add_conversion(struct fuzz_fmt *f, struct fuzz_input *in)
{
	static const char * const lengths[] = { "", "hh", "h", "l", "ll", "z", "t" };
	static const char * const ptrs[] = { "p", "px", "pK", "pS", "ps" };
	static const char ints[] = "diuxXo";
	u8 flags = fuzz_u8(in), width = fuzz_u8(in), prec = fuzz_u8(in);
	u8 type = fuzz_u8(in);
	char spec[32], *p = spec;
	unsigned int i;

	if (f->nr_args + 3 > MAX_ARGS)
		return;
	*p++ = '%';
	for (i = 0; i < 5; i++)
		if (flags & BIT(i))
			*p++ = "-+ #0"[i];
	/* width: none, up to 2 digits, or '*' with a small value */
	if (width & 0x80) {
		*p++ = '*';
		add_arg(f, (int)(s8)width);
	} else if (width & 0x40) {
		p += sprintf(p, "%u", width % 64);
	}
	if (prec & 0x80) {
		p += sprintf(p, ".*");
		add_arg(f, (int)(s8)prec);
	} else if (prec & 0x40) {
		p += sprintf(p, ".%u", prec % 64);
	}
	switch (type % 4) {
	case 0:
	case 1:
		p += sprintf(p, "%s%c", lengths[(type >> 2) % ARRAY_SIZE(lengths)],
			     ints[(type >> 5) % 6]);
		add_arg(f, fuzz_u64(in));
		break;
	case 2:
		if (type & 4) {
			*p++ = 'c';
			add_arg(f, fuzz_u8(in));
		} else {
			*p++ = 's';
			i = (type >> 3) % (ARRAY_SIZE(strings) + 2);
			/* NULL and error pointers print as "(null)", "(efault)" */
			add_arg(f, i < ARRAY_SIZE(strings) ?
				(unsigned long)strings[i] :
				i == ARRAY_SIZE(strings) ? 0 : -EFAULT);
		}
		break;
	default:
		/* the space ends it: "%p" and a word would be an extension */
		p += sprintf(p, "%s ", ptrs[(type >> 2) % ARRAY_SIZE(ptrs)]);
		add_arg(f, fuzz_u64(in));
		break;
	}
	*p = '\0';
	add(f, spec);
}

static void build(struct fuzz_fmt *f, struct fuzz_input *in)
{
	char text[16];
	u8 c, n;

	f->len = 0;
	f->fmt[0] = '\0';
	f->nr_args = 0;
	n = fuzz_u8(in);
	memset(long_string, 'a' + n % 26, sizeof(long_string));
	long_string[fuzz_u8(in) * 4 + fuzz_u8(in) % 4] = '\0';
	while (in->size && f->len < FORMAT_MAX - 64) {
		c = fuzz_u8(in);
		if (c < 0x40) {
			/* literal text, without '%' */
			n = 0;
			while (n < c % 8 && in->size) {
				text[n] = fuzz_u8(in) % 95 + ' ';
				if (text[n] != '%')
					n++;
			}
			text[n] = '\0';
			add(f, text);
		} else if (c < 0x48) {
			add(f, "%%");
		} else {
			add_conversion(f, in);
		}
	}
}

/* The kernel functions, called with every argument as a machine word. */
#define ARGS(a) a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], \
		a[9], a[10], a[11], a[12], a[13], a[14], a[15]

static int call_vsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int call_vbin_printf(u32 *bin, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vbin_printf(bin, size, fmt, ap);
	va_end(ap);
	return n;
}

static void call_record(struct marker_event *event, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	marker_record(event, NULL, fmt, &ap);
	va_end(ap);
}

/* A ring buffer of one record, allocated at the size reserved. */
static void *record;

struct ring_buffer_event *ring_buffer_lock_reserve(struct trace_buffer *b,
						   unsigned long length)
{
	free(record);
	record = malloc(length);
	return record;
}

void *ring_buffer_event_data(struct ring_buffer_event *event)
{
	return event;
}

int ring_buffer_unlock_commit(struct trace_buffer *buffer)
{
	return 0;
}

/* 1: encode, decode, and compare with vsnprintf(). */
static void check_round_trip(const struct fuzz_fmt *f, size_t size)
{
	static u32 bin[BIG_WORDS];
	static char out[OUT_MAX], expect[OUT_MAX];
	int nr, len, want;

	want = call_vsnprintf(expect, size, f->fmt, ARGS(f->args));
	nr = call_vbin_printf(bin, BIG_WORDS, f->fmt, ARGS(f->args));
	fuzz_check(nr >= 0 && nr <= BIG_WORDS, "\"%s\": %d words", f->fmt, nr);
	len = bstr_printf(out, size, f->fmt, bin);
	fuzz_check(len == want, "\"%s\": bstr_printf %d, vsnprintf %d",
		   f->fmt, len, want);
	if (size)
		fuzz_check(!strcmp(out, expect),
			   "\"%s\" (size %zu): bstr_printf \"%s\", vsnprintf \"%s\"",
			   f->fmt, size, out, expect);
}

/* 2: the recorder, as trace shows a record. */
static void check_recorder(const struct fuzz_fmt *f)
{
	static struct marker_event *event;
	static char line[2 * MARKER_LINE_MAX], text[MARKER_LINE_MAX * 2];
	unsigned long missed;
	size_t len, tlen, shown, cut;
	char *args;

	/* Stale words of an earlier, longer record, as on a real CPU. */
	memset(marker_scratch, 'A', sizeof(*marker_scratch));
	if (event)
		marker_event_free(event);
	event = marker_event_create("fuzz_event", f->fmt);
	fuzz_check(event, "no event");
	missed = atomic_long_read(&event->missed);
	call_record(event, f->fmt, ARGS(f->args));
	if (atomic_long_read(&event->missed) != missed)
		return;	/* more than MARKER_RECORD_WORDS: dropped */

	len = marker_format_record(line, 0, 1234567890123ULL, record);
	fuzz_check(len && line[len - 1] == '\n' && !line[len],
		   "bad line \"%s\"", line);
	/* memmem(), memcmp(): a %c of 0 puts a NUL in the line */
	args = memmem(line, len, ": fuzz_event:", 13);
	fuzz_check(args, "no name in \"%s\"", line);
	args += 13;
	args += *args == ' ';
	/* The line ends with the arguments, trailing blanks dropped. */
	tlen = call_vsnprintf(text, sizeof(text), f->fmt, ARGS(f->args));
	while (tlen && text[tlen - 1] == ' ')
		tlen--;
	shown = line + len - 1 - args;
	if (tlen > shown) {
		/*
		 * Cut to fit MARKER_LINE_MAX - 1 characters, trailing blanks
		 * dropped, then to MARKER_LINE_MAX - 2: the line shows the
		 * start of the text, and what is cut is blank unless the
		 * line is full.
		 */
		cut = min(tlen, MARKER_LINE_MAX - 1 - (size_t)(args - line));
		fuzz_check(!memcmp(args, text, shown) &&
			   (len - 1 == MARKER_LINE_MAX - 2 ||
			    strspn(text + shown, " ") >= cut - shown),
			   "\"%s\": trace shows \"%s\", expected \"%s\"",
			   f->fmt, args, text);
		return;
	}
	fuzz_check(args + tlen == line + len - 1 && !memcmp(args, text, tlen),
		   "\"%s\": trace shows \"%s\", expected \"%.*s\"", f->fmt,
		   args, (int)tlen, text);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_input in = { data, size };
	static struct fuzz_fmt f;
	size_t out_size;

	if (!marker_scratch)
		marker_scratch = alloc_percpu(struct marker_scratch);
	out_size = (fuzz_u8(&in) << 4 | fuzz_u8(&in)) % OUT_MAX;
	build(&f, &in);
	kshim_warns = 0;
	check_round_trip(&f, out_size);
	check_recorder(&f);
	/* widths and precisions are in range: nothing to warn about */
	fuzz_check(!kshim_warns, "\"%s\": %lu warnings", f.fmt, kshim_warns);
	return 0;
}
