// SPDX-License-Identifier: GPL-2.0
/*
 * The fields of a marker's trace event, read from its format.
 *
 * A marker's format is the only description of its arguments there is:
 * "pid %d comm %s" says that the first argument is an int and the second
 * a string. Each argument becomes a field, named by the word just before
 * its conversion when that word can name a C member (the "field %type"
 * convention of Documentation/markers.txt, "The fields of an event"),
 * else argN; the word may be followed by one '=' or ':', so that the
 * printk style "dev=%s len: %u" names its fields as "dev %s len %u"
 * does. The rules are those of tools/markers, so that the tools'
 * view of a change (a renamed or retyped field) is what tracefs, perf
 * and BPF programs see.
 *
 * The record is struct trace_entry, then the fields in argument order,
 * one u64 slot each, then the bytes of the strings; the print
 * fmt is the marker's format with REC->field arguments, which
 * libtraceevent (trace-cmd, perf) parses, and the trace file prints a
 * record with the marker's own format.
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/trace_seq.h>

#include "trace_markers.h"

/* What a conversion reads, from its length modifier. */
struct marker_int_type {
	const char *modifier;
	const char *signed_type;
	const char *unsigned_type;
	u8 size;
};

static const struct marker_int_type marker_int_types[] = {
	{ "hh", "signed char", "unsigned char", 1 },
	{ "h", "short", "unsigned short", sizeof(short) },
	{ "ll", "long long", "unsigned long long", sizeof(long long) },
	{ "l", "long", "unsigned long", sizeof(long) },
	{ "L", "long long", "unsigned long long", sizeof(long long) },
	{ "z", "ssize_t", "size_t", sizeof(size_t) },
	{ "Z", "ssize_t", "size_t", sizeof(size_t) },
	{ "t", "ptrdiff_t", "ptrdiff_t", sizeof(ptrdiff_t) },
	{ "j", "intmax_t", "uintmax_t", sizeof(long long) },
	{ "", "int", "unsigned int", sizeof(int) },	/* no modifier: last */
};

/* Longest conversion accepted: it is rebuilt in a buffer to print it. */
#define MARKER_CONV_MAX		24

#define MARKER_INT_DEFAULT (&marker_int_types[ARRAY_SIZE(marker_int_types) - 1])

/* Words that cannot name a member of the struct that bpftrace generates. */
static const char * const marker_c_keywords[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do",
	"double", "else", "enum", "extern", "float", "for", "goto", "if",
	"inline", "int", "long", "register", "restrict", "return", "short",
	"signed", "sizeof", "static", "struct", "switch", "typedef", "union",
	"unsigned", "void", "volatile", "while", "_Alignas", "_Alignof",
	"_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
	"_Static_assert", "_Thread_local", "alignas", "alignof", "bool",
	"constexpr", "false", "nullptr", "static_assert", "thread_local",
	"true", "typeof", "typeof_unqual", "_BitInt", "_Decimal32",
	"_Decimal64", "_Decimal128", "asm",
};

/* %p extensions printed from the pointer's value alone, never through it. */
static bool marker_pointer_ext_ok(const char *ext, size_t len)
{
	if (!len)
		return true;
	if (len == 1 && strchr("xKsSBfF", ext[0]))
		return true;
	return len == 2 && strchr("SB", ext[0]) && ext[1] == 'R';
}

/*
 * %*ph dumps as many bytes as its width says, up to 64, as hex: the
 * record keeps those bytes, and the print fmt shows them with
 * __print_hex(), which libtraceevent knows (it knows no %*ph).
 */
static bool marker_is_dump(const char *ext, size_t len)
{
	return ext[0] == 'h' &&
	       (len == 1 || (len == 2 && strchr("CDN", ext[1])));
}

/*
 * %pe prints an error code from the pointer's value (-ENOENT, or -2
 * without CONFIG_SYMBOLIC_ERRNAME): its field is a long, which the print
 * fmt prints with %ld, since libtraceevent knows no %pe.
 */
static bool marker_is_errcode(const char *ext, size_t len)
{
	return len == 1 && ext[0] == 'e';
}

/*
 * %p extensions that print a few bytes the pointer points to: the record
 * keeps those bytes, copied when the marker fires, as a TRACE_EVENT keeps
 * them in an __array() field, and prints them from there. Any other
 * extension that reads through its pointer (a string, a struct, a
 * sockaddr whose size depends on its family) has no event.
 */
struct marker_pointer_copy {
	const char *ext;
	const char *type;
	u8 size;
};

static const struct marker_pointer_copy marker_pointer_copies[] = {
	{ "I4", "u8[4]", 4 }, { "i4", "u8[4]", 4 },
	{ "I6", "u8[16]", 16 }, { "i6", "u8[16]", 16 }, { "I6c", "u8[16]", 16 },
	{ "M", "u8[6]", 6 }, { "MR", "u8[6]", 6 }, { "MF", "u8[6]", 6 },
	{ "m", "u8[6]", 6 }, { "mR", "u8[6]", 6 },
	{ "U", "u8[16]", 16 }, { "Ub", "u8[16]", 16 }, { "UB", "u8[16]", 16 },
	{ "Ul", "u8[16]", 16 }, { "UL", "u8[16]", 16 },
};

static const struct marker_pointer_copy *marker_pointer_copy(const char *ext,
							     size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(marker_pointer_copies); i++)
		if (strlen(marker_pointer_copies[i].ext) == len &&
		    !strncmp(marker_pointer_copies[i].ext, ext, len))
			return &marker_pointer_copies[i];
	return NULL;
}

/**
 * struct marker_spec - one conversion of a format, parsed
 * @len: its length, from its '%'
 * @stars: the '*' widths and precisions it consumes
 * @type: its integer type, for d, i, u, x, X, o
 * @conv: its conversion character ('%' for "%%", 0 at the end)
 * @ext: length of a %p extension
 * @prec: its precision, if it has one written in digits, else -1
 * @star_width: its width is a '*'
 */
struct marker_spec {
	unsigned int len;
	unsigned int stars;
	const struct marker_int_type *type;
	char conv;
	unsigned int ext;
	int prec;
	bool star_width;
};

/* Parse the conversion at @p, which points at its '%'. */
static void marker_spec_parse(const char *p, struct marker_spec *spec)
{
	const char *start = p++;
	unsigned int i;

	memset(spec, 0, sizeof(*spec));
	spec->prec = -1;
	p += strspn(p, "-+ #0");
	if (*p == '*') {
		spec->stars++;
		spec->star_width = true;
		p++;
	} else {
		p += strspn(p, "0123456789");
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			spec->stars++;
			p++;
		} else {
			/* beyond any limit, kept so: refused, not wrapped */
			for (spec->prec = 0; isdigit(*p); p++)
				spec->prec = min(spec->prec * 10 + *p - '0',
						 MARKER_EVENT_STR_LIMIT);
		}
	}
	for (i = 0; i < ARRAY_SIZE(marker_int_types) - 1; i++) {
		const char *m = marker_int_types[i].modifier;

		if (!strncmp(p, m, strlen(m))) {
			spec->type = &marker_int_types[i];
			p += strlen(m);
			break;
		}
	}
	if (isalpha(*p) || *p == '%')
		spec->conv = *p++;
	if (spec->conv == 'p')
		while (isalnum(p[spec->ext]))
			spec->ext++;
	spec->len = p - start;
}

static bool marker_is_keyword(const char *word, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(marker_c_keywords); i++)
		if (strlen(marker_c_keywords[i]) == len &&
		    !strncmp(marker_c_keywords[i], word, len))
			return true;
	return false;
}

/* Whether @word is argM, M not @n: a name only field M may have. */
static bool marker_is_other_arg(const char *word, size_t len, unsigned int n)
{
	char own[8];

	if (len < 4 || strncmp(word, "arg", 3) ||
	    strspn(word + 3, "0123456789") != len - 3)
		return false;
	snprintf(own, sizeof(own), "arg%u", n);
	return strlen(own) != len || strncmp(own, word, len);
}

static bool marker_name_taken(const struct marker_fields *mf, unsigned int n,
			      const char *word, size_t len)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (strlen(mf->field[i].name) == len &&
		    !strncmp(mf->field[i].name, word, len))
			return true;
	return false;
}

/* @end moved back over the spaces before it, not before @from. */
static const char *marker_skip_spaces(const char *from, const char *end)
{
	while (end > from && end[-1] == ' ')
		end--;
	return end;
}

/*
 * The word that ends just before @end and starts no earlier than @from
 * (the end of the previous conversion). Spaces, one '=' or ':' and spaces
 * are skipped first: "len %u", "len=%u", "len: %u" and "len = %u" all
 * name their field len, as most debug output is written. Only one, so
 * that "a==%d" or "a:=%d" names nothing rather than guess.
 */
static size_t marker_word_before(const char *from, const char *end,
				 const char **word)
{
	const char *start;

	end = marker_skip_spaces(from, end);
	if (end > from && (end[-1] == '=' || end[-1] == ':'))
		end = marker_skip_spaces(from, end - 1);
	start = end;
	while (start > from && isascii(start[-1]) &&
	       (isalnum(start[-1]) || start[-1] == '_'))
		start--;
	*word = start;
	return end - start;
}

/* Name field @n from @word if it may, else argN; @names has the room. */
static void marker_field_name(struct marker_fields *mf, unsigned int n,
			      const char *word, size_t len, char **names)
{
	bool ok = len && !isdigit(word[0]) && !marker_is_keyword(word, len) &&
		  (len < 7 || strncmp(word, "common_", 7)) &&
		  !marker_name_taken(mf, n, word, len) &&
		  !marker_is_other_arg(word, len, n);

	mf->field[n].name = *names;
	if (ok)
		*names += sprintf(*names, "%.*s", (int)len, word) + 1;
	else
		*names += sprintf(*names, "arg%u", n) + 1;
}

/*
 * Add field @n of @size bytes in the next slot of the record. Each field
 * has a u64 slot, as each argument has a word in the call, so that
 * marker_fields_write() stores every argument with one u64 store and no
 * test of its size: a narrower field is the low-order end of its slot,
 * and the rest of the slot is padding that the format file does not show.
 */
static void marker_field_place(struct marker_fields *mf, unsigned int n,
			       const char *type, unsigned int size, u8 flags)
{
	struct marker_field *f = &mf->field[n];

	f->type = type;
	f->size = size;
	f->flags = flags;
	f->offset = mf->size;
	if (IS_ENABLED(CONFIG_CPU_BIG_ENDIAN) && !(flags & MARKER_FIELD_COPY))
		f->offset += sizeof(u64) - size;
	mf->size += sizeof(u64);
	if (flags & MARKER_FIELD_STRING) {
		mf->strings[mf->nr_strings++] = n;
		mf->string_mask |= BIT(n);
	}
	if (flags & MARKER_FIELD_COPY)
		mf->copy_mask |= BIT(n);
	if (flags & MARKER_FIELD_DUMP)
		mf->dump_mask |= BIT(n);
}

/*
 * The bytes of the %MARKER_FIELD_COPY fields follow the slots, in
 * argument order; their slots, which hold the pointers, show no field.
 */
static void marker_fields_place_copies(struct marker_fields *mf)
{
	unsigned long copies = mf->copy_mask;
	struct marker_field *f;

	while (copies) {
		f = &mf->field[__ffs(copies)];
		copies &= copies - 1;
		f->offset = mf->size;
		mf->size += f->size;
	}
}

/* The fields of one conversion; -EINVAL if no field can hold it. */
static int marker_fields_add(struct marker_fields *mf,
			     const struct marker_spec *spec, const char *p,
			     const char *from, char **names)
{
	const struct marker_int_type *t = spec->type ?: MARKER_INT_DEFAULT;
	struct marker_conv *c = &mf->conv[mf->nr_convs];
	const struct marker_pointer_copy *copy;
	unsigned int i, n = mf->nr_args;
	const char *word;
	size_t len;

	if (n + spec->stars + 1 > MARKER_MAX_ARGS)
		return -E2BIG;
	for (i = 0; i < spec->stars; i++) {
		marker_field_name(mf, n + i, "", 0, names);
		marker_field_place(mf, n + i, "int", sizeof(int),
				   MARKER_FIELD_SIGNED);
	}
	n += spec->stars;
	len = marker_word_before(from, p, &word);
	marker_field_name(mf, n, word, len, names);
	switch (spec->conv) {
	case 'd':
	case 'i':
		marker_field_place(mf, n, t->signed_type, t->size,
				   MARKER_FIELD_SIGNED);
		c->kind = 'd';
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		marker_field_place(mf, n, t->unsigned_type, t->size, 0);
		c->kind = 'u';
		break;
	case 'c':
		if (spec->type)
			return -EINVAL;
		marker_field_place(mf, n, "char", 1, 0);
		c->kind = 'c';
		break;
	case 's':
		if (spec->type)
			return -EINVAL;
		/* a precision is what the record keeps: what is printed */
		if (spec->prec >= MARKER_EVENT_STR_LIMIT)
			return -E2BIG;
		marker_field_place(mf, n, "__data_loc char[]", sizeof(u32),
				   MARKER_FIELD_STRING);
		mf->field[n].max = spec->prec < 0 ? MARKER_EVENT_STR_MAX :
				   spec->prec + 1;
		mf->max_size += mf->field[n].max;
		c->kind = 's';
		break;
	case 'p':
		if (spec->type)
			return -EINVAL;
		copy = marker_pointer_copy(p + spec->len, spec->ext);
		if (copy) {
			marker_field_place(mf, n, copy->type, copy->size,
					   MARKER_FIELD_COPY);
			c->kind = 'a';
		} else if (marker_is_dump(p + spec->len, spec->ext)) {
			if (spec->stars != 1 || !spec->star_width)
				return -EINVAL;
			marker_field_place(mf, n, "__data_loc u8[]", sizeof(u32),
					   MARKER_FIELD_DUMP);
			mf->max_size += MARKER_EVENT_DUMP_MAX;
			c->kind = 'h';
		} else if (marker_is_errcode(p + spec->len, spec->ext)) {
			marker_field_place(mf, n, "long", sizeof(long),
					   MARKER_FIELD_SIGNED);
			c->kind = 'e';
		} else if (marker_pointer_ext_ok(p + spec->len, spec->ext)) {
			marker_field_place(mf, n, "void *", sizeof(void *), 0);
			c->kind = 'p';
		} else {
			return -EINVAL;
		}
		break;
	default:
		return -EINVAL;
	}
	c->start = p - mf->format;
	c->len = spec->len + spec->ext;
	c->field = n;
	c->stars = spec->stars;
	mf->nr_convs++;
	mf->nr_args = n + 1;
	mf->nr_fields = mf->nr_args;
	return 0;
}

/* Append the @len bytes of @text to @buf, escaped for a C string literal. */
static char *marker_escape(char *buf, const char *text, size_t len)
{
	const char *end = text + len;

	for (; text < end; text++) {
		if (*text == '"' || *text == '\\')
			*buf++ = '\\';
		if (*text == '\n') {
			*buf++ = '\\';
			*buf++ = 'n';
		} else if (*text == '\t') {
			*buf++ = '\\';
			*buf++ = 't';
		} else {
			*buf++ = *text;
		}
	}
	return buf;
}

/*
 * The format, escaped, as the print fmt's literal: the same but for each
 * %pe, which becomes %ld, as its field is a long, and each %*ph, which
 * becomes %s, printed by __print_hex().
 */
static char *marker_print_literal(char *buf, const struct marker_fields *mf)
{
	const char *p = mf->format, *conv;
	const struct marker_conv *c;
	unsigned int i;

	for (i = 0; i < mf->nr_convs; i++) {
		c = &mf->conv[i];
		conv = mf->format + c->start;
		buf = marker_escape(buf, p, conv - p);
		p = conv + c->len;
		if (c->kind == 'h') {
			*buf++ = '%';
			*buf++ = 's';
			continue;
		}
		/* a conversion has nothing to escape */
		memcpy(buf, conv, c->len);
		buf += c->len;
		if (c->kind == 'e')
			memcpy(buf - 2, "ld", 2);
	}
	return marker_escape(buf, p, strlen(p));
}

/* The print fmt's argument for the dump field %s (its name twice). */
#define MARKER_DUMP_ARG \
	", __print_hex(__get_dynamic_array(%s), __get_dynamic_array_len(%s))"

/* print fmt: "the marker's format", REC->field, __get_str(string) ... */
static char *marker_print_fmt(const struct marker_fields *mf)
{
	size_t size = 2 * strlen(mf->format) + 3;
	unsigned int i;
	char *buf, *p;

	for (i = 0; i < mf->nr_args; i++)
		size += 2 * strlen(mf->field[i].name) + sizeof(MARKER_DUMP_ARG);
	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return NULL;
	p = buf;
	*p++ = '"';
	p = marker_print_literal(p, mf);
	*p++ = '"';
	for (i = 0; i < mf->nr_args; i++) {
		const struct marker_field *f = &mf->field[i];

		/* a dump's length is its array's: "%s" takes no width */
		if (i + 1 < mf->nr_args && mf->dump_mask & BIT(i + 1))
			continue;
		if (f->flags & MARKER_FIELD_STRING)
			p += sprintf(p, ", __get_str(%s)", f->name);
		else if (f->flags & MARKER_FIELD_DUMP)
			p += sprintf(p, MARKER_DUMP_ARG, f->name, f->name);
		else
			p += sprintf(p, ", REC->%s", f->name);
	}
	*p = '\0';
	return buf;
}

/**
 * marker_fields_parse - the fields of a marker's event, from its format
 * @format: the marker's format
 * @nargs: the number of arguments its sites pass
 *
 * Return: the fields, or an ERR_PTR(): -EINVAL for a conversion no field
 * can hold (a %p extension that reads through its pointer, a floating
 * point or unknown conversion, a '%' other than "%%", one longer than
 * MARKER_CONV_MAX), or a format that does not describe @nargs arguments;
 * -E2BIG for more than MARKER_MAX_ARGS arguments, a string precision of
 * MARKER_EVENT_STR_LIMIT or more, or a record that could be larger than
 * MARKER_EVENT_RECORD_MAX; -ENOMEM.
 */
struct marker_fields *marker_fields_parse(const char *format,
					  unsigned int nargs)
{
	size_t names_size = strlen(format) + MARKER_MAX_ARGS * 8;
	const char *p = format, *from = format;
	struct marker_spec spec;
	struct marker_fields *mf;
	char *names;
	int ret = 0;

	mf = kzalloc(struct_size(mf, names, names_size), GFP_KERNEL);
	if (!mf)
		return ERR_PTR(-ENOMEM);
	mf->format = format;
	mf->size = sizeof(struct trace_entry);
	names = mf->names;
	while ((p = strchr(p, '%'))) {
		marker_spec_parse(p, &spec);
		/* "%5%" and the like print differently here and in printf() */
		ret = -EINVAL;
		if ((spec.conv == '%' && spec.len != 2) ||
		    spec.len + spec.ext > MARKER_CONV_MAX)
			goto fail;
		if (spec.conv != '%') {
			ret = marker_fields_add(mf, &spec, p, from, &names);
			if (ret)
				goto fail;
		}
		p += spec.len + spec.ext;
		from = p;
	}
	ret = -EINVAL;
	if (mf->nr_args != nargs)
		goto fail;
	marker_fields_place_copies(mf);
	if (!nargs) {
		/* An event needs a field: the ring buffer's layout code does. */
		mf->field[0].name = "noargs";
		marker_field_place(mf, 0, "unsigned char", 1, 0);
		mf->nr_fields = 1;
	}
	mf->max_size += mf->size;
	ret = -E2BIG;
	if (mf->max_size > MARKER_EVENT_RECORD_MAX)
		goto fail;
	mf->general = mf->nr_strings > 1 || mf->copy_mask || mf->dump_mask ||
		      (mf->nr_strings &&
		       mf->field[mf->strings[0]].max != MARKER_EVENT_STR_MAX);
	ret = -ENOMEM;
	mf->print_fmt = marker_print_fmt(mf);
	if (!mf->print_fmt)
		goto fail;
	return mf;
fail:
	kfree(mf);
	return ERR_PTR(ret);
}

void marker_fields_free(struct marker_fields *mf)
{
	if (IS_ERR_OR_NULL(mf))
		return;
	kfree(mf->print_fmt);
	kfree(mf);
}

/**
 * marker_fields_define - declare the fields to the trace event machinery
 * @call: the event
 * @mf: its fields
 *
 * Return: 0 or -ENOMEM.
 */
int marker_fields_define(struct trace_event_call *call,
			 const struct marker_fields *mf)
{
	const struct marker_field *f;
	unsigned int i;
	int ret;

	for (i = 0; i < mf->nr_fields; i++) {
		f = &mf->field[i];
		/* an array's length shows in the format file: "u8 addr[4]" */
		ret = trace_define_field_ext(call, f->type, f->name, f->offset,
					     f->size,
					     f->flags & MARKER_FIELD_SIGNED,
					     f->flags & MARKER_FIELD_STRING ?
					     FILTER_DYN_STRING : FILTER_OTHER,
					     f->flags & MARKER_FIELD_COPY ?
					     f->size : 0, 0);
		if (ret)
			return ret;
	}
	return 0;
}

/* The value of integer field @f of @record, extended to 64 bits. */
static u64 marker_field_value(const struct marker_field *f, const void *record)
{
	const void *p = record + f->offset;
	bool sign = f->flags & MARKER_FIELD_SIGNED;

	switch (f->size) {
	case 1:
		return sign ? (s64)*(s8 *)p : *(u8 *)p;
	case 2:
		return sign ? (s64)*(s16 *)p : *(u16 *)p;
	case 4:
		return sign ? (s64)*(s32 *)p : *(u32 *)p;
	default:
		return *(u64 *)p;
	}
}

/*
 * The bytes of dump field @f of a record of @size bytes, and their number
 * in *@len, or NULL if they are out of it.
 */
static const u8 *marker_field_bytes(const struct marker_field *f,
				    const void *record, unsigned int size,
				    int *len)
{
	u32 loc = *(u32 *)(record + f->offset);
	unsigned int offset = loc & 0xffff;

	*len = loc >> 16;
	if (offset + *len > size || *len > MARKER_EVENT_DUMP_MAX)
		return NULL;
	return record + offset;
}

/* String field @f of a record of @size bytes, or "(bad)" if out of it. */
static const char *marker_field_string(const struct marker_field *f,
				       const void *record, unsigned int size)
{
	u32 loc = *(u32 *)(record + f->offset);
	unsigned int offset = loc & 0xffff, len = loc >> 16;
	const char *str = record + offset;

	if (!len || offset + len > size || str[len - 1])
		return "(bad)";
	return str;
}

/*
 * The conversion @c as printf() should see it for the value as we pass
 * it: an integer is passed as a 64-bit one, so its length modifier
 * becomes "ll" (the value was truncated and extended to its own type).
 * A plain %p becomes %px when the trace's hash-ptr option is off, as
 * trace_event_format() does for the events of TRACE_EVENT().
 */
static void marker_conv_spec(const struct marker_fields *mf,
			     const struct marker_conv *c, bool hash_ptr,
			     char *buf, size_t size)
{
	const char *p = mf->format + c->start, *end = p + c->len;
	struct marker_spec spec;
	bool raw_ptr;
	size_t keep;

	marker_spec_parse(p, &spec);
	keep = spec.len - 1 - (spec.type ? strlen(spec.type->modifier) : 0);
	raw_ptr = c->kind == 'p' && !spec.ext && !hash_ptr;
	if (c->kind == 'd' || c->kind == 'u')
		snprintf(buf, size, "%.*sll%c", (int)keep, p, spec.conv);
	else
		snprintf(buf, size, "%.*s%c%s%.*s", (int)keep, p, spec.conv,
			 raw_ptr ? "x" : "", (int)(end - (p + spec.len)),
			 p + spec.len);
}

/* Print one conversion with its value, and its '*' arguments first. */
static void marker_print_conv(struct trace_seq *s,
			      const struct marker_fields *mf,
			      const struct marker_conv *c, const void *record,
			      unsigned int size, bool hash_ptr)
{
	const struct marker_field *f = &mf->field[c->field];
	int star[2] = { 0, 0 };
	unsigned int i;
	char spec[32];
	const void *arg = NULL;
	u64 v = 0;

	for (i = 0; i < c->stars; i++)
		star[i] = marker_field_value(f - c->stars + i, record);
	marker_conv_spec(mf, c, hash_ptr, spec, sizeof(spec));
	if (c->kind == 's')
		arg = marker_field_string(f, record, size);
	else if (c->kind == 'h')
		arg = marker_field_bytes(f, record, size, &star[0]);
	else if (c->kind == 'a')
		arg = record + f->offset;	/* inside mf->size: checked */
	else
		v = marker_field_value(f, record);
	if (c->kind == 'p' || c->kind == 'e')
		arg = (const void *)(unsigned long)v;

	if (c->kind == 'h' && !arg) {
		trace_seq_puts(s, "(bad)");
		return;
	}

	switch (c->kind) {
	case 's':
	case 'p':
	case 'e':
	case 'a':
	case 'h':
		if (c->stars == 2)
			trace_seq_printf(s, spec, star[0], star[1], arg);
		else if (c->stars)
			trace_seq_printf(s, spec, star[0], arg);
		else
			trace_seq_printf(s, spec, arg);
		break;
	case 'c':
		if (c->stars == 2)
			trace_seq_printf(s, spec, star[0], star[1], (int)v);
		else if (c->stars)
			trace_seq_printf(s, spec, star[0], (int)v);
		else
			trace_seq_printf(s, spec, (int)v);
		break;
	default:
		if (c->stars == 2)
			trace_seq_printf(s, spec, star[0], star[1], v);
		else if (c->stars)
			trace_seq_printf(s, spec, star[0], v);
		else
			trace_seq_printf(s, spec, v);
		break;
	}
}

/* Print the text of the format from @p to @end, "%%" as '%'. */
static void marker_print_text(struct trace_seq *s, const char *p,
			      const char *end)
{
	const char *pct;

	while (p < end) {
		pct = memchr(p, '%', end - p);
		if (!pct) {
			trace_seq_putmem(s, p, end - p);
			return;
		}
		trace_seq_putmem(s, p, pct - p + 1);
		p = pct + 2;
	}
}

/**
 * marker_fields_print - print a record as the marker's format says
 * @s: where to print
 * @mf: the event's fields
 * @record: the record
 * @size: the record's size: no byte past it is read
 * @hash_ptr: print a plain %p hashed, as the trace's hash-ptr option says
 *
 * A record shorter than the fixed part of @mf's layout is not one of
 * this event's records: it prints as "(bad record)", nothing of it read.
 */
void marker_fields_print(struct trace_seq *s, const struct marker_fields *mf,
			 const void *record, unsigned int size, bool hash_ptr)
{
	const char *p = mf->format;
	unsigned int i;

	if (size < mf->size) {
		trace_seq_puts(s, "(bad record)");
		return;
	}
	for (i = 0; i < mf->nr_convs; i++) {
		const struct marker_conv *c = &mf->conv[i];

		marker_print_text(s, p, mf->format + c->start);
		marker_print_conv(s, mf, c, record, size, hash_ptr);
		p = mf->format + c->start + c->len;
	}
	marker_print_text(s, p, p + strlen(p));
}
