// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the "fields:" part of events/<name>/format, made by
 * marker_show_fields() of kernel/marker_probe.c from the marker's format
 * with the "field %type" convention (marker_field_name() and
 * marker_conversion_type()).
 *
 * Input byte 0 selects the mode:
 *  - even: the rest is any format (up to its first NUL); the output must
 *    be well formed: one "\t<type> <name>;" line per argument, a known
 *    type, a name that is an identifier found in the format or argN;
 *  - odd: the rest builds a format from known conversions with names
 *    ("name %lu") or without ("(%d"); the output must be exactly the
 *    types documented for printk() formats and those names.
 */
#include <stdio.h>

#include "kernel/marker_probe.c"
#include "harness.h"

#define FORMAT_MAX	512
#define OUT_SIZE	(256 * 1024)

static const char * const known_types[] = {
	"int", "long", "long long", "short", "char", "size_t", "ssize_t",
	"unsigned int", "unsigned long", "unsigned long long",
	"unsigned short", "unsigned char", "string", "pointer", "unknown",
};

/* Conversions and the type printk() gives their argument. */
static const struct {
	const char *conv;
	const char *type;
} convs[] = {
	{ "%d", "int" }, { "%i", "int" }, { "%5d", "int" }, { "%-3i", "int" },
	{ "%ld", "long" }, { "%lld", "long long" }, { "%hd", "short" },
	{ "%hhd", "char" }, { "%zd", "ssize_t" }, { "%u", "unsigned int" },
	{ "%x", "unsigned int" }, { "%#X", "unsigned int" },
	{ "%08o", "unsigned int" }, { "%lu", "unsigned long" },
	{ "%lx", "unsigned long" }, { "%llu", "unsigned long long" },
	{ "%#018llx", "unsigned long long" }, { "%hu", "unsigned short" },
	{ "%hx", "unsigned short" }, { "%hhx", "unsigned char" },
	{ "%hhu", "unsigned char" }, { "%zu", "size_t" }, { "%zx", "size_t" },
	{ "%c", "char" }, { "%s", "string" }, { "%.8s", "string" },
	{ "%-12s", "string" }, { "%p", "pointer" }, { "%pS", "pointer" },
	{ "%px", "pointer" }, { "%pK", "pointer" },
};

static const char * const names[] = {
	"i", "square", "pid", "comm", "len", "dev_name", "_x", "a1",
	"irq", "flags",
};

static bool is_ident(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(s[i]) && s[i] != '_')
			return false;
	return true;
}

/* Check one output line "\t<type> <name>;" of field @nr. */
static void check_line(const char *fmt, const char *line, size_t len,
		       unsigned int nr)
{
	const char *name = NULL;
	char arg[16];
	size_t i, name_len = 0;

	fuzz_check(len > 3 && line[0] == '\t' && line[len - 1] == ';',
		   "line %u \"%.*s\"", nr, (int)len, line);
	for (i = 0; i < ARRAY_SIZE(known_types); i++) {
		size_t tlen = strlen(known_types[i]);

		if (len > tlen + 2 && !strncmp(line + 1, known_types[i], tlen) &&
		    line[1 + tlen] == ' ' &&
		    is_ident(line + 2 + tlen, len - 3 - tlen)) {
			name = line + 2 + tlen;
			name_len = len - 3 - tlen;
		}
	}
	fuzz_check(name, "line %u \"%.*s\": unknown type or bad name", nr,
		   (int)len, line);
	/* A name comes from the format, or is the argument's number. */
	snprintf(arg, sizeof(arg), "arg%u", nr);
	fuzz_check(memmem(fmt, strlen(fmt), name, name_len) ||
		   (name_len == strlen(arg) && !memcmp(name, arg, name_len)),
		   "line %u \"%.*s\": name not in the format", nr, (int)len,
		   line);
}

static void check_raw(const char *fmt, const char *out, size_t len)
{
	unsigned int nr = 0, percents = 0;
	const char *p, *nl;

	for (p = fmt; *p; p++)
		percents += *p == '%';
	for (p = out; p < out + len; p = nl + 1) {
		nl = memchr(p, '\n', out + len - p);
		fuzz_check(nl, "output does not end with a newline");
		check_line(fmt, p, nl - p, nr++);
	}
	fuzz_check(nr <= percents, "%u fields from %u '%%'", nr, percents);
}

static void build(struct fuzz_input *in, char *fmt, char *expect)
{
	size_t flen = 0, elen = 0;
	unsigned int nr = 0;

	while (in->size && flen < FORMAT_MAX - 64) {
		u8 c = fuzz_u8(in), n = fuzz_u8(in);
		const char *name = names[n % ARRAY_SIZE(names)];
		unsigned int i = c % ARRAY_SIZE(convs);
		const char *sep = nr ? ", " : "";

		if (n & 0x80) {
			flen += sprintf(fmt + flen, "%s(%s", sep, convs[i].conv);
			elen += sprintf(expect + elen, "\t%s arg%u;\n",
					convs[i].type, nr);
		} else {
			flen += sprintf(fmt + flen, "%s%s%s%s", sep, name,
					n & 0x40 ? "" : " ", convs[i].conv);
			elen += sprintf(expect + elen, "\t%s %s;\n",
					convs[i].type, name);
		}
		nr++;
	}
	fmt[flen] = '\0';
	expect[elen] = '\0';
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static char out[OUT_SIZE], expect[OUT_SIZE];
	struct fuzz_input in = { data, size };
	struct seq_file m = { .buf = out, .size = sizeof(out) };
	char fmt[FORMAT_MAX + 1];
	bool structured = fuzz_u8(&in) & 1;
	size_t len;

	if (structured) {
		build(&in, fmt, expect);
	} else {
		len = strnlen((const char *)in.data, min(in.size, FORMAT_MAX));
		memcpy(fmt, in.data, len);
		fmt[len] = '\0';
	}
	marker_show_fields(&m, fmt);
	fuzz_check(m.count < m.size, "output overflowed %zu bytes", m.size);
	if (structured)
		fuzz_check(m.count == strlen(expect) &&
			   !memcmp(out, expect, m.count),
			   "format \"%s\": got\n%.*sexpected\n%s", fmt,
			   (int)m.count, out, expect);
	else
		check_raw(fmt, out, m.count);
	return 0;
}
