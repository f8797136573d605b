// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: a marker's trace event records, as
 * kernel/trace/trace_markers.c writes them (marker_fields_measure() and
 * marker_fields_write() of trace_markers.h) and the trace file prints
 * them (marker_fields_print() of trace_markers_fields.c, into a trace_seq
 * whose printf is lib/vsprintf.c's).
 *
 * Input byte 0 selects the mode: bit 0 a format built from conversions
 * and text (else the format is the input up to its first NUL), bit 1
 * corrupted string locations, bit 2 pointers printed unhashed. Then the
 * arguments: a selector byte each, and its value (a small or a full
 * integer, a string from the input, a long one, or NULL).
 *
 * Checked, for any format that marker_fields_parse() accepts:
 *  1. the record is of the size measured, its strings are the arguments'
 *     first 255 bytes (or as many as the conversion's precision says),
 *     NUL-terminated, after the fields;
 *  1a. with at most one string, marker_fields_measure_one() and
 *     marker_fields_write_one(), the probes' common path, give the same
 *     size and the same record as the general functions;
 *  1b. the bytes a %p extension prints (%pI4, %pM, %pU...) are in the
 *     record, copied, and their argument's slot is cleared;
 *  2. the text printed is the kernel's snprintf() of the marker's format
 *     with the arguments truncated to their fields' types and the strings
 *     to 255 bytes, and it is cut only by a full trace_seq, as a prefix;
 *  3. with the data_loc words of the strings corrupted, print reads no
 *     byte outside the record (the record is allocated at its exact size)
 *     and shows "(bad)" for each location that is not a NUL-terminated
 *     string inside it, else that string.
 *
 * FUZZ_RECORD_SHOW=1 prints each format and the text printed.
 */
#include <stdio.h>

#include "kernel/trace/trace_markers_fields.c"
#include "harness.h"

#define FORMAT_MAX	512
#define STRING_MAX	600

/* Formats from what markers' formats are made of. */
static const char * const flags[] = { "", "", "-", "0", "#", "+", " ", "-0", "#0" };
static const char * const widths[] = { "", "", "1", "5", "12", "*", "0", "40" };
static const char * const precs[] = {
	"", "", ".0", ".1", ".3", ".*", ".", ".20", ".300", ".2047",
};

static const char * const lens[] = { "", "", "hh", "h", "l", "ll", "z", "L", "t" };
static const char * const convs[] = {
	"d", "i", "u", "x", "X", "o", "c", "s", "s", "p", "pS", "ps", "px",
	"pK", "pB", "pSR", "pF", "pe", "pI4", "pi4", "pI6", "pI6c", "pM",
	"pMR", "pm", "pU", "pUb", "pUL", "ph", "phC", "phN", "%",
};

static const char * const texts[] = {
	" ", "i ", "square ", "pid ", " comm ", ", ", "=", "(", ")", "\t", "\n",
	"x", "\"q\" ", "\\", "%%", "100%% ",
};

static void add(char *fmt, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n <= FORMAT_MAX) {
		memcpy(fmt + *len, s, n + 1);
		*len += n;
	}
}

static void build(struct fuzz_input *in, char *fmt)
{
	size_t len = 0;
	u8 c, n;

	fmt[0] = '\0';
	n = fuzz_u8(in) % 10;
	while (n--) {
		c = fuzz_u8(in);
		if (c & 1) {
			add(fmt, &len, texts[(c >> 1) % ARRAY_SIZE(texts)]);
			continue;
		}
		add(fmt, &len, "%");
		add(fmt, &len, flags[fuzz_u8(in) % ARRAY_SIZE(flags)]);
		add(fmt, &len, widths[fuzz_u8(in) % ARRAY_SIZE(widths)]);
		add(fmt, &len, precs[fuzz_u8(in) % ARRAY_SIZE(precs)]);
		c = fuzz_u8(in);
		/* only integers take a length modifier */
		if (c % ARRAY_SIZE(convs) < 6)
			add(fmt, &len, lens[fuzz_u8(in) % ARRAY_SIZE(lens)]);
		add(fmt, &len, convs[c % ARRAY_SIZE(convs)]);
		/* "%p" and a letter would be an extension */
		if (c % ARRAY_SIZE(convs) >= 9)
			add(fmt, &len, " ");
	}
}

/* The format's conversions the kernel's printf() does not have. */
static bool printf_unknown(const struct marker_fields *mf)
{
	unsigned int i;

	for (i = 0; i < mf->nr_convs; i++) {
		const char *p = mf->format + mf->conv[i].start;
		size_t n = strcspn(p + 1, "diuxXocsp");

		if (memchr(p, 'j', n + 1) || memchr(p, 'Z', n + 1))
			return true;
	}
	return false;
}

/*
 * Whether a width or precision of the format is over 9999: vsnprintf()
 * goes through every character of a width even past the end of its
 * buffer, and millions of them make the run slow, not better.
 */
static bool huge_width(const struct marker_fields *mf)
{
	unsigned int i;

	for (i = 0; i < mf->nr_convs; i++) {
		const char *p = mf->format + mf->conv[i].start + 1;
		size_t n = strspn(p, "-+ #0");

		if (strspn(p + n, "0123456789") > 4)
			return true;
		p += n + strspn(p + n, "0123456789*");
		if (*p == '.' && strspn(p + 1, "0123456789") > 4)
			return true;
	}
	return false;
}

/* Mark the '*' width and precision fields, which take small values. */
static void star_fields(const struct marker_fields *mf, bool *star)
{
	unsigned int i, k;

	memset(star, 0, MARKER_MAX_ARGS * sizeof(*star));
	for (i = 0; i < mf->nr_convs; i++)
		for (k = 1; k <= mf->conv[i].stars; k++)
			star[mf->conv[i].field - k] = true;
}

/* The value as the field keeps it, extended back to a word. */
static unsigned long truncated(const struct marker_field *f, unsigned long v)
{
	bool sign = f->flags & MARKER_FIELD_SIGNED;

	switch (f->size) {
	case 1:
		return sign ? (unsigned long)(long)(s8)v : (u8)v;
	case 2:
		return sign ? (unsigned long)(long)(s16)v : (u16)v;
	case 4:
		return sign ? (unsigned long)(long)(s32)v : (u32)v;
	default:
		return v;
	}
}

/* The kernel's vsnprintf() with every argument as a word. */
#define ARGS(a) a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], \
		a[9], a[10], a[11]

static int call_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void check_print(const struct marker_fields *mf, const void *record,
			unsigned int size, const unsigned long *expect_args)
{
	static char out[TRACE_SEQ_BUFFER_SIZE], expect[TRACE_SEQ_BUFFER_SIZE];
	struct trace_seq s = { .buffer = out, .size = sizeof(out) };
	int n;

	marker_fields_print(&s, mf, record, size, true);
	if (getenv("FUZZ_RECORD_SHOW"))
		fprintf(stderr, "\"%s\": \"%.*s\"%s\n", mf->format, (int)s.len,
			out, s.full ? " (full)" : "");
	if (printf_unknown(mf))
		return;
	n = call_snprintf(expect, sizeof(expect), mf->format, ARGS(expect_args));
	fuzz_check(s.full == (n >= (int)sizeof(expect)),
		   "\"%s\": printed %u (full %d), snprintf() %d", mf->format,
		   s.len, s.full, n);
	fuzz_check((s.full || s.len == n) && !memcmp(out, expect, s.len),
		   "\"%s\": printed \"%.*s\", snprintf() \"%.*s\"", mf->format,
		   (int)s.len, out, n, expect);
}

/* 1a: the probes' path for at most one string writes the same record. */
static void check_one_string_path(const struct marker_fields *mf,
				  const unsigned long *args,
				  const unsigned char *record, unsigned int rsize)
{
	const char *str = NULL;
	unsigned int size, ssize;
	unsigned char *one;

	size = marker_fields_measure_one(mf, args, &str, &ssize);
	fuzz_check(size == rsize, "one-string path: %u bytes, general %u",
		   size, rsize);
	one = malloc(size);
	memset(one, 0xa5, size);
	marker_fields_write_one(mf, one, args, mf->nr_args, str, ssize);
	fuzz_check(!memcmp(one + sizeof(struct trace_entry),
			   record + sizeof(struct trace_entry),
			   size - sizeof(struct trace_entry)),
		   "one-string path: another record");
	free(one);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static char strings[MARKER_MAX_ARGS][STRING_MAX + 1];
	static char capped[MARKER_MAX_ARGS][MARKER_EVENT_STR_LIMIT];
	static u8 copied[MARKER_MAX_ARGS][16];
	static u8 dumped[MARKER_MAX_ARGS][MARKER_EVENT_DUMP_MAX];
	static const u8 zeros[16];
	struct fuzz_input in = { data, size };
	unsigned long args[MARKER_MAX_ARGS] = { 0 }, orig[MARKER_MAX_ARGS];
	unsigned long expect[MARKER_MAX_ARGS] = { 0 };
	u8 mode = fuzz_u8(&in), sel;
	u16 lens[MARKER_MAX_ARGS];
	bool star[MARKER_MAX_ARGS];
	struct marker_fields *mf;
	char fmt[FORMAT_MAX + 1];
	unsigned int i, s, rsize, n;
	size_t len;
	u8 *record;

	if (mode & 1) {
		build(&in, fmt);
	} else {
		len = strnlen((const char *)in.data, min(in.size, FORMAT_MAX));
		memcpy(fmt, in.data, len);
		fmt[len] = '\0';
		in.data += min(len + 1, in.size);
		in.size -= min(len + 1, in.size);
	}
	/* the number of arguments the format describes, if any */
	for (n = 0; n <= MARKER_MAX_ARGS; n++) {
		mf = marker_fields_parse(fmt, n);
		if (!IS_ERR(mf))
			break;
		if (PTR_ERR(mf) != -EINVAL)
			return 0;
	}
	if (IS_ERR(mf))
		return 0;
	if (huge_width(mf)) {
		marker_fields_free(mf);
		return 0;
	}
	star_fields(mf, star);
	no_hash_pointers = mode & 4;

	for (i = 0; i < mf->nr_args; i++) {
		const struct marker_field *f = &mf->field[i];

		sel = fuzz_u8(&in);
		if (f->flags & MARKER_FIELD_DUMP) {
			/* bytes to dump, or NULL; the width is any int */
			for (s = 0; s < sizeof(dumped[i]); s++)
				dumped[i][s] = fuzz_u8(&in);
			args[i] = sel % 8 ? (unsigned long)dumped[i] : 0;
			continue;
		}
		if (f->flags & MARKER_FIELD_COPY) {
			/* an address or a UUID, or NULL */
			for (s = 0; s < sizeof(copied[i]); s++)
				copied[i][s] = fuzz_u8(&in);
			args[i] = sel % 8 ? (unsigned long)copied[i] : 0;
			continue;
		}
		if (f->flags & MARKER_FIELD_STRING) {
			switch (sel % 4) {
			case 0:
				args[i] = 0;
				break;
			case 1:
				/* a long string of one byte, 0 to 599 long */
				len = (fuzz_u8(&in) << 8 | fuzz_u8(&in)) % STRING_MAX;
				memset(strings[i], fuzz_u8(&in) | 1, len);
				strings[i][len] = '\0';
				args[i] = (unsigned long)strings[i];
				break;
			default:
				/* from the input, up to its NUL */
				len = strnlen((const char *)in.data,
					      min(in.size, (size_t)STRING_MAX));
				memcpy(strings[i], in.data, len);
				strings[i][len] = '\0';
				in.data += min(len + 1, in.size);
				in.size -= min(len + 1, in.size);
				args[i] = (unsigned long)strings[i];
				break;
			}
			continue;
		}
		if (star[i]) {
			/* left-justified, wider than the trace_seq, or none */
			args[i] = sel & 1 ? (long)(s8)fuzz_u8(&in) :
				  (long)(s16)(fuzz_u8(&in) << 8 | fuzz_u8(&in)) % 9000;
			continue;
		}
		switch (sel % 4) {
		case 0:
			args[i] = (long)(s8)fuzz_u8(&in);
			break;
		case 1:
			args[i] = fuzz_u8(&in) % 70;
			break;
		default:
			args[i] = fuzz_u64(&in);
			break;
		}
	}

	memcpy(orig, args, sizeof(orig));
	rsize = marker_fields_measure(mf, args, lens, mf->string_mask);
	fuzz_check(rsize >= mf->size && rsize <= mf->max_size &&
		   mf->max_size <= MARKER_EVENT_RECORD_MAX,
		   "record of %u bytes, fields %u, at most %u", rsize,
		   mf->size, mf->max_size);
	record = malloc(rsize);
	/* the header is the ring buffer's; the rest must all be written */
	memset(record, 0xa5, rsize);
	marker_fields_write(mf, record, args, mf->nr_args, lens,
			    mf->string_mask);
	if (!mf->general && mf->nr_args)
		check_one_string_path(mf, orig, record, rsize);

	/* 1: the record */
	for (i = 0, s = 0; i < mf->nr_args; i++) {
		const struct marker_field *f = &mf->field[i];
		const char *str = (const char *)args[i] ?: "(null)";
		u32 loc, off, slen;

		if (f->flags & MARKER_FIELD_DUMP) {
			/* |width| bytes, at most 64, none for NULL */
			int width = expect[i - 1];
			unsigned int want = args[i] ? min(abs(width), 64) : 0;

			memcpy(&loc, record + f->offset, sizeof(loc));
			off = loc & 0xffff;
			slen = loc >> 16;
			fuzz_check(slen == want && off >= mf->size &&
				   off + slen <= rsize &&
				   (!slen || !memcmp(record + off,
						     (const void *)args[i], slen)),
				   "dump %u: at %u, %u bytes of %u", i, off, slen,
				   want);
			/*
			 * printed from the record, with the width it keeps:
			 * what printk() prints of the argument (NULL prints
			 * nothing, as a width of 0 does)
			 */
			expect[i - 1] = slen;
			expect[i] = (unsigned long)(record + off);
			continue;
		}
		if (f->flags & MARKER_FIELD_COPY) {
			/* the bytes, or zeros for NULL, and the slot cleared */
			u64 slot;

			memcpy(&slot, record + sizeof(struct trace_entry) +
			       i * sizeof(u64), sizeof(slot));
			expect[i] = args[i] ?: (unsigned long)zeros;
			fuzz_check(f->offset >= sizeof(struct trace_entry) +
				   mf->nr_args * sizeof(u64) &&
				   f->offset + f->size <= mf->size &&
				   !memcmp(record + f->offset,
					   (const void *)expect[i], f->size) &&
				   !slot, "copy %u: at %u, %u bytes", i,
				   f->offset, f->size);
			continue;
		}
		if (!(f->flags & MARKER_FIELD_STRING)) {
			expect[i] = truncated(f, args[i]);
			continue;
		}
		memcpy(&loc, record + f->offset, sizeof(loc));
		off = loc & 0xffff;
		slen = loc >> 16;
		fuzz_check(slen == lens[i] &&
			   slen == strnlen(str, f->max - 1) + 1 &&
			   off >= mf->size && off + slen <= rsize &&
			   !memcmp(record + off, str, slen - 1) &&
			   !record[off + slen - 1],
			   "string %u: at %u, %u bytes, record %u", i, off, slen,
			   rsize);
		/* as printk() sees the argument: NULL prints "(null)" too */
		snprintf(capped[i], f->max, "%s", str);
		expect[i] = args[i] ? (unsigned long)capped[i] : 0;
		s++;
	}
	if (!mf->nr_args)
		fuzz_check(!record[mf->field[0].offset], "noargs is not 0");

	/* 2: printed as the format says */
	check_print(mf, record, rsize, expect);

	/* 3: corrupted string locations */
	if (mode & 2 && mf->nr_strings) {
		for (s = 0; s < mf->nr_strings; s++) {
			const struct marker_field *f = &mf->field[mf->strings[s]];
			u32 loc;

			memcpy(&loc, record + f->offset, sizeof(loc));
			switch (fuzz_u8(&in) % 4) {
			case 0:
				break;
			case 1:
				/* off by a little: the length or the offset */
				loc += (u32)(s8)fuzz_u8(&in) << (fuzz_u8(&in) & 1 ? 16 : 0);
				break;
			case 2:
				loc = fuzz_u64(&in);
				break;
			default:
				/* a string byte overwritten: its NUL maybe */
				if (rsize > mf->size)
					record[mf->size + fuzz_u8(&in) %
					       (rsize - mf->size)] = fuzz_u8(&in);
				break;
			}
			memcpy(record + f->offset, &loc, sizeof(loc));
		}
		for (s = 0; s < mf->nr_strings; s++) {
			const struct marker_field *f = &mf->field[mf->strings[s]];
			u32 loc, off, slen;

			memcpy(&loc, record + f->offset, sizeof(loc));
			off = loc & 0xffff;
			slen = loc >> 16;
			if (slen && off + slen <= rsize && !record[off + slen - 1])
				expect[mf->strings[s]] = (unsigned long)(record + off);
			else
				expect[mf->strings[s]] = (unsigned long)"(bad)";
		}
		check_print(mf, record, rsize, expect);
	}
	free(record);
	marker_fields_free(mf);
	return 0;
}
