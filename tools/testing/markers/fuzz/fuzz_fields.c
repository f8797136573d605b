// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: marker_fields_parse() of kernel/trace/trace_markers_fields.c,
 * which makes a marker's trace event fields (events/markers/<name>/format)
 * from its format and number of arguments.
 *
 * Input byte 0: bit 7 the structured mode, bit 6 a number of arguments
 * (its low 4 bits) other than the one the format describes; the rest is
 * the format (up to its first NUL), or, in the structured mode, the bytes
 * that build one from conversions, names and separators.
 *
 * The result is compared with a model written from the interface's
 * description (Documentation/markers.txt, "The fields of an event" and
 * "Changing markers": the "field %type" convention, a '=' or ':' allowed
 * after the word, and tools/markers' rules): the same error, or
 * the same fields, names, types and conversions. On success the layout
 * must also hold: names unique C identifiers, no C keyword, no common_
 * prefix, argM only for field M; struct trace_entry first, then field
 * M at the low-order end of u64 slot M, except a field that keeps the
 * bytes a %p extension prints, which follow the slots; string field M in
 * the string mask, and no other field; one "unsigned
 * char noargs" field for a marker without arguments; a print fmt that is
 * the format as a C string literal followed by exactly one REC->name or
 * __get_str(name) per argument; and marker_fields_define() must declare
 * exactly these fields. Any crash, leak or out-of-bounds access is a
 * finding as well.
 *
 * FUZZ_FIELDS_DUMP=1 prints each input's format and fields, for
 * fields_tools.py to compare with tools/markers/markers.
 */
#include <stdio.h>

#include "kernel/trace/trace_markers_fields.c"
#include "harness.h"

#define FORMAT_MAX	1024

/* The model ------------------------------------------------------------- */

struct model_field {
	char name[FORMAT_MAX + 8];
	const char *type;
	unsigned int size;
	bool is_signed;
	bool is_string;
	bool is_copy;
	bool is_dump;
	unsigned int max;	/* a string's bytes at most, NUL included */
};

struct model_conv {
	size_t start, len;
	unsigned int field, stars;
	bool errcode;		/* %pe: printed with %ld by the print fmt */
	bool dump;		/* %*ph: printed with %s and __print_hex() */
};

/*
 * @odd: the format has what gcc's format check warns about and the spec
 * leaves open, a "%%" with flags, a width, a precision or a length ("% %",
 * "%5%", "%*%") or a conversion of more than MODEL_CONV_MAX characters:
 * the kernel may refuse it (-EINVAL) rather than do as the model says.
 */
#define MODEL_CONV_MAX	24

struct model {
	int err;
	bool too_big;		/* records could pass MARKER_EVENT_RECORD_MAX */
	bool odd;
	unsigned int nr_args, nr_convs;
	struct model_field field[MARKER_MAX_ARGS];
	struct model_conv conv[MARKER_MAX_ARGS];
};

/* C keywords (C11, C23) and asm: they cannot name a member. */
static const char * const keywords[] = {
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

/* Length modifiers, longest first, and the types they give. */
static const struct {
	const char *mod;
	const char *s_type, *u_type;
	unsigned int size;
	bool u_signed;		/* the "unsigned" type is signed (ptrdiff_t) */
} mods[] = {
	{ "hh", "signed char", "unsigned char", 1 },
	{ "h", "short", "unsigned short", 2 },
	{ "ll", "long long", "unsigned long long", 8 },
	{ "l", "long", "unsigned long", 8 },
	{ "L", "long long", "unsigned long long", 8 },
	{ "z", "ssize_t", "size_t", 8 },
	{ "Z", "ssize_t", "size_t", 8 },
	{ "t", "ptrdiff_t", "ptrdiff_t", 8 },
	{ "j", "intmax_t", "uintmax_t", 8 },
};

static bool m_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static bool m_word_char(char c)
{
	return m_alnum(c) || c == '_';
}

static bool is_keyword(const char *w)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keywords); i++)
		if (!strcmp(keywords[i], w))
			return true;
	return false;
}

/*
 * The bytes a %p extension prints from what its pointer points to, which
 * the record keeps (Documentation/markers.txt, "Formats"), or 0.
 */
static int m_copy_size(const char *ext, size_t len)
{
	static const struct {
		const char *ext;
		int size;
	} copies[] = {
		{ "I4", 4 }, { "i4", 4 }, { "I6", 16 }, { "i6", 16 },
		{ "I6c", 16 }, { "M", 6 }, { "MR", 6 }, { "MF", 6 }, { "m", 6 },
		{ "mR", 6 }, { "U", 16 }, { "Ub", 16 }, { "UB", 16 },
		{ "Ul", 16 }, { "UL", 16 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(copies); i++)
		if (strlen(copies[i].ext) == len &&
		    !strncmp(copies[i].ext, ext, len))
			return copies[i].size;
	return 0;
}

/* "arg" and at least one digit, nothing else */
static bool is_positional(const char *w)
{
	size_t i;

	if (strncmp(w, "arg", 3) || !w[3])
		return false;
	for (i = 3; w[i]; i++)
		if (w[i] < '0' || w[i] > '9')
			return false;
	return true;
}

static void m_name(struct model *m, unsigned int n, const char *word,
		   size_t len)
{
	char w[FORMAT_MAX + 8], own[16];
	bool ok = len > 0 && !(word[0] >= '0' && word[0] <= '9');
	unsigned int i;

	memcpy(w, word, len);
	w[len] = '\0';
	snprintf(own, sizeof(own), "arg%u", n);
	ok = ok && !is_keyword(w) && strncmp(w, "common_", 7) &&
	     (!is_positional(w) || !strcmp(w, own));
	for (i = 0; ok && i < n; i++)
		ok = strcmp(m->field[i].name, w);
	snprintf(m->field[n].name, sizeof(m->field[n].name), "%s", ok ? w : own);
}

static void m_type(struct model *m, unsigned int n, const char *type,
		   unsigned int size, bool is_signed, bool is_string)
{
	m->field[n].type = type;
	m->field[n].size = size;
	m->field[n].is_signed = is_signed;
	m->field[n].is_string = is_string;
	m->field[n].is_copy = false;
	m->field[n].is_dump = false;
}

static void model_parse(const char *fmt, struct model *m)
{
	size_t prev = 0, i = 0, start, mod_len;
	unsigned int stars, n, k, record = 8;	/* struct trace_entry */
	bool star_width;
	int mod, prec;
	char conv;

	memset(m, 0, sizeof(*m));
	while (fmt[i]) {
		if (fmt[i] != '%') {
			i++;
			continue;
		}
		start = i++;
		stars = 0;
		i += strspn(fmt + i, "-+ #0");
		star_width = fmt[i] == '*';
		if (fmt[i] == '*') {
			stars++;
			i++;
		} else {
			i += strspn(fmt + i, "0123456789");
		}
		prec = -1;
		if (fmt[i] == '.') {
			i++;
			if (fmt[i] == '*') {
				stars++;
				i++;
			} else {
				/* the documented limit: 2048 or more is refused */
				for (prec = 0; fmt[i] >= '0' && fmt[i] <= '9'; i++)
					prec = min(prec * 10 + fmt[i] - '0', 2048);
			}
		}
		mod = -1;
		for (k = 0; k < ARRAY_SIZE(mods); k++) {
			if (!strncmp(fmt + i, mods[k].mod, strlen(mods[k].mod))) {
				mod = k;
				break;
			}
		}
		mod_len = mod < 0 ? 0 : strlen(mods[mod].mod);
		i += mod_len;
		/* the kernel's ctype: Latin-1 letters are letters */
		conv = isalpha(fmt[i]) || fmt[i] == '%' ? fmt[i] : 0;
		if (conv)
			i++;
		if (conv == '%') {
			m->odd |= i - start != 2;
			prev = i;
			continue;
		}
		/* the conversion's length, a %p's extension included */
		for (k = 0; conv == 'p' && isalnum(fmt[i + k]); k++)
			;
		m->odd |= i + k - start > MODEL_CONV_MAX;
		n = m->nr_args;
		if (n + stars + 1 > MARKER_MAX_ARGS) {
			m->err = -E2BIG;
			return;
		}
		for (k = 0; k < stars; k++) {
			m_name(m, n + k, "", 0);
			m_type(m, n + k, "int", 4, true, false);
		}
		n += stars;
		/*
		 * the word before the conversion: spaces, then one '=' or
		 * ':' and the spaces before it skipped ("len=%u", "len: %u")
		 */
		{
			size_t end = start, b;

			while (end > prev && fmt[end - 1] == ' ')
				end--;
			if (end > prev && (fmt[end - 1] == '=' ||
					   fmt[end - 1] == ':')) {
				end--;
				while (end > prev && fmt[end - 1] == ' ')
					end--;
			}
			b = end;
			while (b > prev && m_word_char(fmt[b - 1]))
				b--;
			m_name(m, n, fmt + b, end - b);
		}
		switch (conv) {
		case 'd':
		case 'i':
			if (mod < 0)
				m_type(m, n, "int", 4, true, false);
			else
				m_type(m, n, mods[mod].s_type, mods[mod].size,
				       true, false);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (mod < 0)
				m_type(m, n, "unsigned int", 4, false, false);
			else
				m_type(m, n, mods[mod].u_type, mods[mod].size,
				       mods[mod].u_signed, false);
			break;
		case 'c':
			if (mod >= 0)
				goto invalid;
			m_type(m, n, "char", 1, false, false);
			break;
		case 's':
			if (mod >= 0)
				goto invalid;
			if (prec >= 2048) {
				m->err = -E2BIG;
				return;
			}
			m_type(m, n, "__data_loc char[]", 4, false, true);
			m->field[n].max = prec < 0 ? 256 : prec + 1;
			record += m->field[n].max;
			break;
		case 'p': {
			size_t e = 0;
			int copy;

			if (mod >= 0)
				goto invalid;
			/* what vsnprintf() takes as the extension */
			while (isalnum(fmt[i + e]))
				e++;
			/* a hex dump of as many bytes as the width says */
			if (fmt[i] == 'h' &&
			    (e == 1 || (e == 2 && strchr("CDN", fmt[i + 1])))) {
				if (stars != 1 || !star_width)
					goto invalid;
				i += e;
				m_type(m, n, "__data_loc u8[]", 4, false, false);
				m->field[n].is_dump = true;
				m->conv[m->nr_convs].dump = true;
				record += 64;
				break;
			}
			/* an error code: a long */
			if (e == 1 && fmt[i] == 'e') {
				i += e;
				m_type(m, n, "long", 8, true, false);
				m->conv[m->nr_convs].errcode = true;
				break;
			}
			/* the bytes of an address or a UUID: copied */
			copy = m_copy_size(fmt + i, e);
			if (copy) {
				record += copy;
				i += e;
				m_type(m, n, copy == 4 ? "u8[4]" : copy == 6 ?
				       "u8[6]" : "u8[16]", copy, false, false);
				m->field[n].is_copy = true;
				break;
			}
			/* else only extensions that print the pointer's value */
			if (!(e == 0 ||
			      (e == 1 && strchr("xKsSBfFe", fmt[i])) ||
			      (e == 2 && strchr("SB", fmt[i]) && fmt[i + 1] == 'R')))
				goto invalid;
			i += e;
			m_type(m, n, "void *", 8, false, false);
			break;
		}
		default:
			goto invalid;
		}
		m->conv[m->nr_convs].start = start;
		m->conv[m->nr_convs].len = i - start;
		m->conv[m->nr_convs].field = n;
		m->conv[m->nr_convs++].stars = stars;
		m->nr_args = n + 1;
		prev = i;
	}
	/* the slots, then the copied bytes and every string at its most */
	m->too_big = record + 8 * m->nr_args > 4000;
	return;
invalid:
	m->err = -EINVAL;
}

/* The checks ------------------------------------------------------------ */

static bool is_ident(const char *s)
{
	size_t i;

	if (!*s || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; s[i]; i++)
		if (!m_word_char(s[i]))
			return false;
	return true;
}

/* print fmt: "<format, escaped>" then ", REC->name" or ", __get_str(name)" */
static void check_print_fmt(const struct marker_fields *mf, const char *fmt,
			    const struct model *m)
{
	static char literal[FORMAT_MAX + 1];
	const char *p = mf->print_fmt, *f = literal;
	char arg[2 * FORMAT_MAX + 96];
	unsigned int i;
	size_t n, j;

	/* the format, each %pe as %ld, each %*ph as %s */
	for (i = 0, n = 0, j = 0; i < m->nr_convs; i++) {
		const struct model_conv *c = &m->conv[i];

		memcpy(literal + n, fmt + j, c->start - j);
		n += c->start - j;
		j = c->start + c->len;
		if (c->dump) {
			n += sprintf(literal + n, "%%s");
			continue;
		}
		memcpy(literal + n, fmt + c->start, c->len);
		n += c->len;
		if (c->errcode)
			memcpy(literal + n - 2, "ld", 2);
	}
	snprintf(literal + n, sizeof(literal) - n, "%s", fmt + j);
	fuzz_check(p && *p++ == '"', "print fmt %s", mf->print_fmt);
	for (; *p != '"'; p++) {
		char c = *p;

		fuzz_check(c, "print fmt: unterminated literal: %s",
			   mf->print_fmt);
		fuzz_check(c != '\n' && c != '\t',
			   "print fmt: raw %#x in the literal", c);
		if (c == '\\') {
			p++;
			fuzz_check(strchr("\"\\nt", *p),
				   "print fmt: escape \\%c", *p);
			c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
		}
		fuzz_check(c == *f, "print fmt %s is not the format \"%s\"",
			   mf->print_fmt, fmt);
		f++;
	}
	fuzz_check(!*f, "print fmt %s: the format is cut", mf->print_fmt);
	p++;
	for (i = 0; i < mf->nr_args; i++) {
		const struct marker_field *fl = &mf->field[i];

		/* a dump's width is not printed: its array has the length */
		if (i + 1 < m->nr_args && m->field[i + 1].is_dump)
			continue;
		if (m->field[i].is_dump)
			n = snprintf(arg, sizeof(arg),
				     ", __print_hex(__get_dynamic_array(%s), __get_dynamic_array_len(%s))",
				     fl->name, fl->name);
		else
			n = snprintf(arg, sizeof(arg),
				     fl->flags & MARKER_FIELD_STRING ?
				     ", __get_str(%s)" : ", REC->%s", fl->name);
		fuzz_check(!strncmp(p, arg, n), "print fmt %s: argument %u",
			   mf->print_fmt, i);
		p += n;
	}
	fuzz_check(!*p, "print fmt %s: more than %u arguments", mf->print_fmt,
		   mf->nr_args);
}

static void check_layout(const struct marker_fields *mf)
{
	unsigned int i, j, end = sizeof(struct trace_entry), strings = 0, slot;

	fuzz_check(mf->nr_fields == (mf->nr_args ?: 1), "%u fields, %u args",
		   mf->nr_fields, mf->nr_args);
	for (i = 0; i < mf->nr_fields; i++) {
		const struct marker_field *f = &mf->field[i];

		fuzz_check(is_ident(f->name) && !is_keyword(f->name) &&
			   strncmp(f->name, "common_", 7),
			   "field %u: bad name \"%s\"", i, f->name);
		if (is_positional(f->name)) {
			char own[16];

			snprintf(own, sizeof(own), "arg%u", i);
			fuzz_check(!strcmp(own, f->name),
				   "field %u named %s", i, f->name);
		}
		for (j = 0; j < i; j++)
			fuzz_check(strcmp(mf->field[j].name, f->name),
				   "fields %u and %u are both %s", j, i,
				   f->name);
		end += sizeof(u64);
		fuzz_check(!(f->flags & MARKER_FIELD_COPY) ==
			   !(mf->copy_mask & (1U << i)),
			   "field %s: copy flag and mask differ", f->name);
		fuzz_check(!(f->flags & MARKER_FIELD_DUMP) ==
			   !(mf->dump_mask & (1U << i)),
			   "field %s: dump flag and mask differ", f->name);
		if (f->flags & MARKER_FIELD_COPY) {
			fuzz_check(f->size == 4 || f->size == 6 || f->size == 16,
				   "field %s: copy of %u bytes", f->name, f->size);
			continue;
		}
		fuzz_check(f->size == 1 || f->size == 2 || f->size == 4 ||
			   f->size == 8, "field %s: size %u", f->name, f->size);
		slot = end - sizeof(u64);
		if (IS_ENABLED(CONFIG_CPU_BIG_ENDIAN))
			slot += sizeof(u64) - f->size;
		fuzz_check(f->offset == slot, "field %s at %u, expected %u",
			   f->name, f->offset, slot);
		fuzz_check(!(f->flags & MARKER_FIELD_STRING) ==
			   !(mf->string_mask & (1U << i)),
			   "field %s: string flag and mask differ", f->name);
		if (f->flags & MARKER_FIELD_STRING) {
			fuzz_check(strings < mf->nr_strings &&
				   mf->strings[strings] == i,
				   "string field %s not in strings[]", f->name);
			strings++;
		}
	}
	fuzz_check(strings == mf->nr_strings, "%u strings, %u listed", strings,
		   mf->nr_strings);
	/* then the copied bytes, in argument order */
	for (i = 0; i < mf->nr_fields; i++) {
		const struct marker_field *f = &mf->field[i];

		if (!(f->flags & MARKER_FIELD_COPY))
			continue;
		fuzz_check(f->offset == end, "copy field %s at %u, expected %u",
			   f->name, f->offset, end);
		end += f->size;
	}
	fuzz_check(mf->size == end, "size %u, fields end at %u", mf->size, end);
	fuzz_check(mf->general == (mf->nr_strings > 1 || mf->copy_mask ||
				   mf->dump_mask ||
				   (mf->nr_strings == 1 &&
				    mf->field[mf->strings[0]].max != 256)),
		   "general %d with %u strings, copies %#x", mf->general,
		   mf->nr_strings, mf->copy_mask);
	if (!mf->nr_args)
		fuzz_check(!strcmp(mf->field[0].name, "noargs") &&
			   !strcmp(mf->field[0].type, "unsigned char") &&
			   mf->field[0].size == 1 && !mf->field[0].flags,
			   "no arguments: field %s %s", mf->field[0].type,
			   mf->field[0].name);
}

static void check_model(const struct marker_fields *mf, const struct model *m,
			const char *fmt)
{
	unsigned int i;

	fuzz_check(mf->nr_args == m->nr_args && mf->nr_convs == m->nr_convs,
		   "\"%s\": %u args %u convs, model %u %u", fmt, mf->nr_args,
		   mf->nr_convs, m->nr_args, m->nr_convs);
	for (i = 0; i < m->nr_args; i++) {
		const struct marker_field *f = &mf->field[i];
		const struct model_field *e = &m->field[i];

		fuzz_check(!strcmp(f->name, e->name) && !strcmp(f->type, e->type) &&
			   f->size == e->size &&
			   !!(f->flags & MARKER_FIELD_SIGNED) == e->is_signed &&
			   !!(f->flags & MARKER_FIELD_STRING) == e->is_string &&
			   !!(f->flags & MARKER_FIELD_COPY) == e->is_copy &&
			   !!(f->flags & MARKER_FIELD_DUMP) == e->is_dump &&
			   (!e->is_string || f->max == e->max),
			   "\"%s\" field %u: %s %s (size %u flags %#x), model %s %s (size %u%s%s)",
			   fmt, i, f->type, f->name, f->size, f->flags, e->type,
			   e->name, e->size, e->is_signed ? " signed" : "",
			   e->is_string ? " string" : "");
	}
	for (i = 0; i < m->nr_convs; i++) {
		const struct marker_conv *c = &mf->conv[i];
		const struct model_conv *e = &m->conv[i];

		fuzz_check(c->start == e->start && c->len == e->len &&
			   c->field == e->field && c->stars == e->stars,
			   "\"%s\" conversion %u: at %u len %u field %u stars %u, model %zu %zu %u %u",
			   fmt, i, c->start, c->len, c->field, c->stars,
			   e->start, e->len, e->field, e->stars);
	}
}

/* marker_fields_define() must declare the fields as they are. */
static const struct marker_fields *defining;
static unsigned int defined;

int trace_define_field_ext(struct trace_event_call *call, const char *type,
			   const char *name, int offset, int size,
			   int is_signed, int filter_type, int len,
			   int need_test)
{
	const struct marker_field *f;

	fuzz_check(defining && defined < defining->nr_fields,
		   "field %s defined out of turn", name);
	f = &defining->field[defined++];
	fuzz_check(!strcmp(type, f->type) && !strcmp(name, f->name) &&
		   offset == f->offset && size == f->size &&
		   is_signed == !!(f->flags & MARKER_FIELD_SIGNED) &&
		   filter_type == (f->flags & MARKER_FIELD_STRING ?
				   FILTER_DYN_STRING : FILTER_OTHER) &&
		   len == (f->flags & MARKER_FIELD_COPY ? f->size : 0) &&
		   !need_test,
		   "defined %s %s at %d size %d signed %d filter %d len %d",
		   type, name, offset, size, is_signed, filter_type, len);
	return 0;
}

/* The structured mode: formats made of what markers' formats are made of. */
static const char * const pieces[] = {
	"%d", "%i", "%u", "%x", "%X", "%o", "%ld", "%lu", "%lx", "%lld",
	"%llu", "%hd", "%hu", "%hhd", "%hhu", "%zu", "%zx", "%zd", "%c",
	"%s", "%p", "%pS", "%ps", "%px", "%pK", "%pB", "%pSR", "%*d", "%.*s",
	"%*.*s", "%-8s", "%08lx", "%#x", "%5.2d", "%%", "%Lu", "%td", "%jd",
	"%Zu", "%lc", "%ls", "%pI4", "%pM", "%pI6c", "%pU", "%pe", "%pd",
	"%*ph", "%*phC", "%.*ph", "%*phX", "%.300s", "%.2047s", "%.5000s",
	"%f", "%n", "%", " ", "  ",
	", ",
	"=", ":", "(", "[", "] ", "\t", "\n", "\"", "\\", "i", "square",
	"pid", "comm", "len", "common_pid", "common_x", "arg0", "arg1",
	"arg2", "arg12", "int", "long", "true", "asm", "_x", "x1", "1x",
	"noargs", "a_b", "dev_name",
};

static size_t build(struct fuzz_input *in, char *fmt)
{
	size_t len = 0, n;
	const char *p;

	while (in->size) {
		p = pieces[fuzz_u8(in) % ARRAY_SIZE(pieces)];
		n = strlen(p);
		if (len + n > FORMAT_MAX)
			break;
		memcpy(fmt + len, p, n);
		len += n;
	}
	fmt[len] = '\0';
	return len;
}

/* FORMAT <format in hex>, then ERROR <errno> or a FIELD <name> <type> each */
static void dump(const char *fmt, const struct marker_fields *mf)
{
	unsigned int i;

	printf("FORMAT ");
	for (i = 0; fmt[i]; i++)
		printf("%02x", (u8)fmt[i]);
	printf("\n");
	if (IS_ERR(mf))
		printf("ERROR %ld\n", -PTR_ERR(mf));
	else
		for (i = 0; i < mf->nr_args; i++)
			printf("FIELD %s %s\n", mf->field[i].name,
			       mf->field[i].type);
	fflush(stdout);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static int dumping = -1;
	struct fuzz_input in = { data, size };
	u8 mode = fuzz_u8(&in);
	struct marker_fields *mf, *other;
	char fmt[FORMAT_MAX + 1];
	unsigned int nargs, o;
	struct model m;
	size_t len;
	int err;

	if (dumping < 0)
		dumping = !!getenv("FUZZ_FIELDS_DUMP");
	if (mode & 0x80) {
		len = build(&in, fmt);
	} else {
		len = strnlen((const char *)in.data, min(in.size, FORMAT_MAX));
		memcpy(fmt, in.data, len);
		fmt[len] = '\0';
	}
	model_parse(fmt, &m);
	/* mostly the number of arguments the format describes, else any */
	nargs = (mode & 0x40) || m.err ? mode % 16 : m.nr_args;

	mf = marker_fields_parse(fmt, nargs);
	if (dumping)
		dump(fmt, mf);
	err = m.err ?: nargs != m.nr_args ? -EINVAL : m.too_big ? -E2BIG : 0;
	if (IS_ERR(mf) && PTR_ERR(mf) == -EINVAL && m.odd)
		err = -EINVAL;
	if (IS_ERR(mf)) {
		fuzz_check(PTR_ERR(mf) == err, "\"%s\" (%u args): error %ld, model %d",
			   fmt, nargs, PTR_ERR(mf), err);
		/* the error depends on the number of arguments only if it fits */
		o = (nargs + 1) % 14;
		err = m.err ?: o != m.nr_args ? -EINVAL :
		      m.too_big ? -E2BIG : 0;
		other = marker_fields_parse(fmt, o);
		fuzz_check(IS_ERR(other) ? PTR_ERR(other) == err ||
			   (m.odd && PTR_ERR(other) == -EINVAL) : !err,
			   "\"%s\" (%u args): %ld, model %d", fmt, o,
			   IS_ERR(other) ? PTR_ERR(other) : 0, err);
		/*
		 * trace_markers.c frees what the parse gave, error or not
		 * (marker_event_free() of a refused format's event)
		 */
		marker_fields_free(other);
		marker_fields_free(mf);
		return 0;
	}
	fuzz_check(!err, "\"%s\" (%u args) accepted, model: error %d", fmt,
		   nargs, err);
	fuzz_check(mf->format == fmt && mf->nr_args == nargs,
		   "\"%s\": %u args", fmt, mf->nr_args);
	check_model(mf, &m, fmt);
	check_layout(mf);
	check_print_fmt(mf, fmt, &m);
	defining = mf;
	defined = 0;
	fuzz_check(!marker_fields_define(NULL, mf) &&
		   defined == mf->nr_fields, "%u of %u fields defined", defined,
		   mf->nr_fields);
	defining = NULL;
	marker_fields_free(mf);
	return 0;
}
