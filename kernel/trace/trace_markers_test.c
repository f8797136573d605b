// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the fields of the markers' trace events: what a format
 * becomes in tracefs (names, types, offsets, print fmt) and how a record
 * written from argument words prints, against the kernel's snprintf() of
 * the marker's own format.
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/trace_seq.h>

#include "trace_markers.h"

static struct marker_fields *mtf_parse(struct kunit *test, const char *fmt,
				       unsigned int nargs)
{
	struct marker_fields *mf = marker_fields_parse(fmt, nargs);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mf);
	return mf;
}

/* Where field @slot of @size bytes is: see marker_field_place(). */
static unsigned int mtf_offset(unsigned int slot, unsigned int size)
{
	unsigned int offset = sizeof(struct trace_entry) + slot * sizeof(u64);

	if (IS_ENABLED(CONFIG_CPU_BIG_ENDIAN))
		offset += sizeof(u64) - size;
	return offset;
}

static void mtf_expect_field(struct kunit *test, const struct marker_fields *mf,
			     unsigned int i, const char *name, const char *type,
			     unsigned int size)
{
	const struct marker_field *f = &mf->field[i];
	unsigned int offset = mtf_offset(i, size);

	KUNIT_EXPECT_STREQ(test, f->name, name);
	KUNIT_EXPECT_STREQ(test, f->type, type);
	KUNIT_EXPECT_EQ(test, f->offset, offset);
	KUNIT_EXPECT_EQ(test, f->size, size);
}

/* The sample's markers, as the VM tests see them in the format files. */
static void mtf_layout_test(struct kunit *test)
{
	struct marker_fields *mf = mtf_parse(test, "i %d square %lu", 2);

	KUNIT_EXPECT_EQ(test, mf->nr_fields, 2);
	mtf_expect_field(test, mf, 0, "i", "int", 4);
	mtf_expect_field(test, mf, 1, "square", "unsigned long", 8);
	KUNIT_EXPECT_EQ(test, mf->size, mtf_offset(2, sizeof(u64)));
	KUNIT_EXPECT_STREQ(test, mf->print_fmt,
			   "\"i %d square %lu\", REC->i, REC->square");
	marker_fields_free(mf);

	mf = mtf_parse(test, "pid %d comm %s", 2);
	mtf_expect_field(test, mf, 1, "comm", "__data_loc char[]", 4);
	KUNIT_EXPECT_TRUE(test, mf->field[1].flags & MARKER_FIELD_STRING);
	KUNIT_EXPECT_EQ(test, mf->nr_strings, 1);
	KUNIT_EXPECT_EQ(test, mf->string_mask, BIT(1));
	KUNIT_EXPECT_STREQ(test, mf->print_fmt,
			   "\"pid %d comm %s\", REC->pid, __get_str(comm)");
	marker_fields_free(mf);

	mf = mtf_parse(test, MARK_NOARGS, 0);
	KUNIT_EXPECT_EQ(test, mf->nr_fields, 1);
	KUNIT_EXPECT_EQ(test, mf->nr_args, 0);
	mtf_expect_field(test, mf, 0, "noargs", "unsigned char", 1);
	KUNIT_EXPECT_STREQ(test, mf->print_fmt, "\" \"");
	marker_fields_free(mf);
}

/* A format and the names of its fields. */
struct mtf_names_case {
	const char *fmt;
	unsigned int nargs;
	const char *names[3];
};

static void mtf_expect_names(struct kunit *test,
			     const struct mtf_names_case *cases,
			     unsigned int nr)
{
	struct marker_fields *mf;
	unsigned int i, j;

	for (i = 0; i < nr; i++) {
		mf = mtf_parse(test, cases[i].fmt, cases[i].nargs);
		for (j = 0; j < cases[i].nargs; j++)
			KUNIT_EXPECT_STREQ_MSG(test, mf->field[j].name,
					       cases[i].names[j], "format \"%s\"",
					       cases[i].fmt);
		marker_fields_free(mf);
	}
}

/* The naming rules, the same as tools/markers's. */
static void mtf_names_test(struct kunit *test)
{
	static const struct mtf_names_case cases[] = {
		{ "%d %u", 2, { "arg0", "arg1" } },
		{ "int %d long %ld", 2, { "arg0", "arg1" } },
		{ "common_pid %d pid %d", 2, { "arg0", "pid" } },
		{ "x %d x %d", 2, { "x", "arg1" } },
		{ "arg1 %d %d", 2, { "arg0", "arg1" } },
		{ "arg0 %d", 1, { "arg0" } },
		{ "9lives %d", 1, { "arg0" } },
		{ "w %*d", 2, { "arg0", "w" } },
		{ "%%d n %d", 1, { "n" } },
		{ "t %pS then %d", 2, { "t", "then" } },
	};

	mtf_expect_names(test, cases, ARRAY_SIZE(cases));
}

/*
 * printk style: one '=' or ':' between the word and its conversion, with
 * or without spaces, and never a word from before the previous one.
 */
static void mtf_printk_names_test(struct kunit *test)
{
	static const struct mtf_names_case cases[] = {
		{ "key=%d", 1, { "key" } },
		{ "key: %d", 1, { "key" } },
		{ "key = %d", 1, { "key" } },
		{ "key : %d", 1, { "key" } },
		{ "x=%d y=%d", 2, { "x", "y" } },
		{ "a=%d,b=%d", 2, { "a", "b" } },
		{ "dev=%s: len=%u", 2, { "dev", "len" } },
		{ "comm %s: pid %d", 2, { "comm", "pid" } },
		{ "ratio: %d%%", 1, { "ratio" } },
		{ "%s:%d", 2, { "arg0", "arg1" } },	/* ':' after a field */
		{ "%d=%d", 2, { "arg0", "arg1" } },
		{ "a==%d", 1, { "arg0" } },		/* one '=' only */
		{ "a:=%d", 1, { "arg0" } },
		{ "a\t=%d", 1, { "arg0" } },		/* spaces only */
		{ "key=%*d", 2, { "arg0", "key" } },
		{ "x=%d x=%d", 2, { "x", "arg1" } },
		{ "int=%d common_pid: %d", 2, { "arg0", "arg1" } },
		{ "arg1=%d %d", 2, { "arg0", "arg1" } },
	};

	mtf_expect_names(test, cases, ARRAY_SIZE(cases));
}

static void mtf_types_test(struct kunit *test)
{
	struct marker_fields *mf;

	mf = mtf_parse(test, "a %hhd b %hu c %zu d %lld e %c f %p g %x", 7);
	mtf_expect_field(test, mf, 0, "a", "signed char", 1);
	mtf_expect_field(test, mf, 1, "b", "unsigned short", 2);
	mtf_expect_field(test, mf, 2, "c", "size_t", 8);
	mtf_expect_field(test, mf, 3, "d", "long long", 8);
	mtf_expect_field(test, mf, 4, "e", "char", 1);
	mtf_expect_field(test, mf, 5, "f", "void *", 8);
	mtf_expect_field(test, mf, 6, "g", "unsigned int", 4);
	KUNIT_EXPECT_TRUE(test, mf->field[0].flags & MARKER_FIELD_SIGNED);
	KUNIT_EXPECT_FALSE(test, mf->field[6].flags & MARKER_FIELD_SIGNED);
	marker_fields_free(mf);
}

/* What no field can hold, or a format that does not fit the site. */
static void mtf_refused_test(struct kunit *test)
{
	static const struct {
		const char *fmt;
		unsigned int nargs;
	} cases[] = {
		{ "name %pd", 1 },	/* reads through the pointer */
		{ "sa %pISpc", 1 },	/* a size that depends on the family */
		{ "buf %*phX", 2 },
		{ "ip %hpI4", 1 },
		{ "f %f", 1 },
		{ "100%", 0 },
		{ "n %d", 2 },		/* the site passes 2 */
		{ "n %d", 0 },
		{ "s %ls", 1 },
		{ "a %5% b %d", 1 },	/* printf() prints it differently */
		{ "v %------------------------------5d", 1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    PTR_ERR(marker_fields_parse(cases[i].fmt,
								cases[i].nargs)),
				    -EINVAL, "format \"%s\"", cases[i].fmt);
}

/* Write a record of @args and print it as the trace file does. */
static const char *mtf_print(struct kunit *test, struct marker_fields *mf,
			     unsigned long *args)
{
	struct trace_seq *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	u16 lens[MARKER_MAX_ARGS];
	unsigned int size;
	void *record;

	KUNIT_ASSERT_NOT_NULL(test, s);
	size = marker_fields_measure(mf, args, lens, mf->string_mask);
	record = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, record);
	marker_fields_write(mf, record, args, mf->nr_args, lens,
			    mf->string_mask);
	trace_seq_init(s);
	marker_fields_print(s, mf, record, size, true);
	trace_seq_putc(s, '\0');
	return s->buffer;
}

/*
 * Narrow arguments arrive with garbage in their upper bits; the record
 * keeps the field's bytes and prints as the typed value would.
 */
static void mtf_print_test(struct kunit *test)
{
	const char *fmt = "v %d u %u h %hhd s %s p %5.2s c %c x %#llx w %*d %%";
	unsigned long args[] = {
		0xdead0000fffffffeUL, 0xbeef000000000007UL, 0x1ff,
		(unsigned long)"text", (unsigned long)"abc", 0x4141,
		0x123456789abcdefUL, 0xffff000000000006UL, 42,
	};
	struct marker_fields *mf = mtf_parse(test, fmt, ARRAY_SIZE(args));
	char want[128];

	snprintf(want, sizeof(want), fmt, -2, 7U, (signed char)-1, "text",
		 "abc", 'A', 0x123456789abcdefULL, 6, 42);
	KUNIT_EXPECT_STREQ(test, mtf_print(test, mf, args), want);
	marker_fields_free(mf);
}

static void mtf_expect_copy(struct kunit *test, const struct marker_fields *mf,
			    unsigned int i, const char *name, const char *type,
			    unsigned int size)
{
	const struct marker_field *f = &mf->field[i];

	KUNIT_EXPECT_STREQ(test, f->name, name);
	KUNIT_EXPECT_STREQ(test, f->type, type);
	KUNIT_EXPECT_EQ(test, f->size, size);
	KUNIT_EXPECT_TRUE(test, f->flags & MARKER_FIELD_COPY);
}

/*
 * The bytes a %p extension prints through its pointer are copied into
 * the record, after the slots, and printed from there: the source may be
 * gone by the time the trace is read.
 */
static void mtf_copies_test(struct kunit *test)
{
	static const char *fmt =
		"ip %pI4 ip6 %pI6c mac=%pM uuid: %pUb err %pe n %d";
	u8 ip[4] = { 10, 0, 0, 1 }, mac[6] = { 0, 0x11, 0x22, 0x33, 0x44, 0x55 };
	u8 ip6[16] = { 0xfe, 0x80, [15] = 1 }, uuid[16];
	unsigned long args[] = {
		(unsigned long)ip, (unsigned long)ip6, (unsigned long)mac,
		(unsigned long)uuid, (unsigned long)ERR_PTR(-EINVAL), 7,
	};
	struct marker_fields *mf = mtf_parse(test, fmt, ARRAY_SIZE(args));
	const char *got;
	char want[128];
	unsigned int i;

	for (i = 0; i < sizeof(uuid); i++)
		uuid[i] = i;
	mtf_expect_copy(test, mf, 0, "ip", "u8[4]", 4);
	mtf_expect_copy(test, mf, 1, "ip6", "u8[16]", 16);
	mtf_expect_copy(test, mf, 2, "mac", "u8[6]", 6);
	mtf_expect_copy(test, mf, 3, "uuid", "u8[16]", 16);
	KUNIT_EXPECT_EQ(test, mf->copy_mask, 0xf);
	KUNIT_EXPECT_TRUE(test, mf->general);
	/* 6 slots, then 4 + 16 + 6 + 16 bytes in argument order */
	KUNIT_EXPECT_EQ(test, mf->field[0].offset, 8 + 6 * 8);
	KUNIT_EXPECT_EQ(test, mf->field[1].offset, 8 + 6 * 8 + 4);
	KUNIT_EXPECT_EQ(test, mf->field[3].offset, 8 + 6 * 8 + 26);
	KUNIT_EXPECT_EQ(test, mf->size, 8 + 6 * 8 + 42);
	KUNIT_EXPECT_NOT_NULL(test, strstr(mf->print_fmt, ", REC->ip, "));

	KUNIT_EXPECT_NOT_NULL(test, strstr(mf->print_fmt, " err %ld n %d\","));
	mtf_expect_field(test, mf, 4, "err", "long", 8);

	got = mtf_print(test, mf, args);
	/* -EINVAL, or -22 without CONFIG_SYMBOLIC_ERRNAME */
	snprintf(want, sizeof(want),
		 "ip 10.0.0.1 ip6 fe80::1 mac=00:11:22:33:44:55 uuid: 00010203-0405-0607-0809-0a0b0c0d0e0f err %pe n 7",
		 ERR_PTR(-EINVAL));
	KUNIT_EXPECT_STREQ(test, got, want);
	/* NULL keeps zeros */
	args[0] = 0;
	got = mtf_print(test, mf, args);
	KUNIT_EXPECT_NOT_NULL(test, strstr(got, "ip 0.0.0.0 ip6"));
	marker_fields_free(mf);
}

/*
 * %*ph keeps as many bytes as printk() prints, at most 64; the print
 * fmt shows them with __print_hex(), which libtraceevent knows.
 */
static void mtf_dumps_test(struct kunit *test)
{
	static const char *fmt = "hdr %*ph mac %*phC none %*ph";
	u8 *buf = kunit_kzalloc(test, 100, GFP_KERNEL);
	unsigned long args[6];
	struct marker_fields *mf = mtf_parse(test, fmt, ARRAY_SIZE(args));
	char *want = kunit_kzalloc(test, 512, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, want);
	for (i = 0; i < 100; i++)
		buf[i] = i;
	args[0] = 3;
	args[1] = (unsigned long)buf;
	args[2] = 100;		/* printk() prints 64 */
	args[3] = (unsigned long)buf;
	args[4] = 4;
	args[5] = 0;		/* NULL: nothing */
	mtf_expect_field(test, mf, 0, "arg0", "int", 4);
	mtf_expect_field(test, mf, 1, "hdr", "__data_loc u8[]", 4);
	KUNIT_EXPECT_EQ(test, mf->dump_mask, BIT(1) | BIT(3) | BIT(5));
	KUNIT_EXPECT_TRUE(test, mf->general);
	KUNIT_EXPECT_NOT_NULL(test, strstr(mf->print_fmt,
					   "\"hdr %s mac %s none %s\", __print_hex("));
	KUNIT_EXPECT_NOT_NULL(test, strstr(mf->print_fmt,
					   "__print_hex(__get_dynamic_array(hdr), "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(mf->print_fmt,
					   "__get_dynamic_array_len(hdr)), __print_hex("));
	snprintf(want, 512, "hdr %*ph mac %*phC none ", 3, buf, 100, buf);
	KUNIT_EXPECT_STREQ(test, mtf_print(test, mf, args), want);
	marker_fields_free(mf);

	/* the width must be a '*' */
	KUNIT_EXPECT_EQ(test, PTR_ERR(marker_fields_parse("b %.*ph", 2)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(marker_fields_parse("b %6ph", 1)),
			-EINVAL);
}

static void mtf_strings_test(struct kunit *test)
{
	struct marker_fields *mf = mtf_parse(test, "name %s", 1);
	unsigned long args[1] = { 0 };
	char *big, want[MARKER_EVENT_STR_MAX + 8];

	KUNIT_EXPECT_STREQ(test, mtf_print(test, mf, args), "name (null)");
	big = kunit_kzalloc(test, 1000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	memset(big, 'x', 999);
	args[0] = (unsigned long)big;
	snprintf(want, sizeof(want), "name %.*s", MARKER_EVENT_STR_MAX - 1, big);
	KUNIT_EXPECT_STREQ(test, mtf_print(test, mf, args), want);
	KUNIT_EXPECT_FALSE(test, mf->general);
	marker_fields_free(mf);
}

/*
 * A string's precision is what its field keeps, up to the limit; the
 * largest record must fit a ring buffer page.
 */
static void mtf_long_strings_test(struct kunit *test)
{
	struct marker_fields *mf = mtf_parse(test, "path %.600s end", 1);
	unsigned long args[1];
	char *big, *want;
	u16 lens[1];

	big = kunit_kzalloc(test, 1000, GFP_KERNEL);
	want = kunit_kzalloc(test, 1000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_ASSERT_NOT_NULL(test, want);
	memset(big, 'x', 999);
	args[0] = (unsigned long)big;
	KUNIT_EXPECT_EQ(test, mf->field[0].max, 601);
	KUNIT_EXPECT_TRUE(test, mf->general);
	KUNIT_EXPECT_EQ(test, marker_fields_measure(mf, args, lens, 1),
			mf->size + 601);
	snprintf(want, 1000, "path %.600s end", big);
	KUNIT_EXPECT_STREQ(test, mtf_print(test, mf, args), want);
	marker_fields_free(mf);

	/* a precision keeps that many: "%.3s" keeps 3 bytes and the NUL */
	mf = mtf_parse(test, "s %.3s", 1);
	KUNIT_EXPECT_EQ(test, mf->field[0].max, 4);
	marker_fields_free(mf);

	KUNIT_EXPECT_EQ(test, PTR_ERR(marker_fields_parse("s %.2048s", 1)),
			-E2BIG);
	mf = mtf_parse(test, "s %.2047s", 1);
	KUNIT_EXPECT_EQ(test, mf->max_size, mf->size + MARKER_EVENT_STR_LIMIT);
	marker_fields_free(mf);
	KUNIT_EXPECT_EQ(test,
			PTR_ERR(marker_fields_parse("a %.2000s b %.2000s", 2)),
			-E2BIG);
}

/*
 * A record too short for the layout prints nothing of it (an old record
 * read through a new layout would); %p prints raw when hash-ptr is off.
 */
static void mtf_bounds_test(struct kunit *test)
{
	struct marker_fields *mf = mtf_parse(test, "v %d p %p", 2);
	struct trace_seq *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	unsigned long args[2] = { 7, (unsigned long)mf };
	u16 lens[MARKER_MAX_ARGS];
	char want[64];
	void *record;

	KUNIT_ASSERT_NOT_NULL(test, s);
	record = kunit_kzalloc(test, mf->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, record);
	marker_fields_measure(mf, args, lens, 0);
	marker_fields_write(mf, record, args, 2, lens, 0);
	trace_seq_init(s);
	marker_fields_print(s, mf, record, mf->size - 1, false);
	trace_seq_putc(s, '\0');
	KUNIT_EXPECT_STREQ(test, s->buffer, "(bad record)");
	trace_seq_init(s);
	marker_fields_print(s, mf, record, mf->size, false);
	trace_seq_putc(s, '\0');
	/* %px: the address in hex, zero-padded to a pointer's width */
	snprintf(want, sizeof(want), "v 7 p %0*lx", 2 * (int)sizeof(void *),
		 (unsigned long)mf);
	KUNIT_EXPECT_STREQ(test, s->buffer, want);
	trace_seq_init(s);
	marker_fields_print(s, mf, record, mf->size, true);
	trace_seq_putc(s, '\0');
	snprintf(want, sizeof(want), "v 7 p %p", mf);
	KUNIT_EXPECT_STREQ(test, s->buffer, want);
	marker_fields_free(mf);
}

/*
 * What triggers, perf and BPF take before they use an event: a marker's
 * event is dynamic, so this needs CONFIG_DYNAMIC_EVENTS, which the UML
 * run has only because MARKER_EVENTS selects it (no kprobe events there).
 */
static void mtf_event_ref_test(struct kunit *test)
{
	struct trace_event_file *file;

	if (!IS_ENABLED(CONFIG_MARKERS_KUNIT_TEST))
		kunit_skip(test, "no markers_test_direct without MARKERS_KUNIT_TEST");
	file = trace_get_event_file(NULL, "markers", "markers_test_direct");
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(file), "trace_get_event_file(): %ld",
			       PTR_ERR(file));
	trace_put_event_file(file);
}

static struct kunit_case mtf_cases[] = {
	KUNIT_CASE(mtf_layout_test),
	KUNIT_CASE(mtf_names_test),
	KUNIT_CASE(mtf_printk_names_test),
	KUNIT_CASE(mtf_types_test),
	KUNIT_CASE(mtf_refused_test),
	KUNIT_CASE(mtf_print_test),
	KUNIT_CASE(mtf_copies_test),
	KUNIT_CASE(mtf_dumps_test),
	KUNIT_CASE(mtf_strings_test),
	KUNIT_CASE(mtf_long_strings_test),
	KUNIT_CASE(mtf_bounds_test),
	KUNIT_CASE(mtf_event_ref_test),
	{}
};

static struct kunit_suite mtf_suite = {
	.name = "marker_events",
	.test_cases = mtf_cases,
};

kunit_test_suite(mtf_suite);

MODULE_DESCRIPTION("KUnit tests of the markers' trace event fields");
MODULE_LICENSE("GPL");
