// SPDX-License-Identifier: GPL-2.0
/*
 * mfuzz: fuzz the markers' debugfs files and their trace events' tracefs
 * files from inside the test VM (tools/testing/markers/vm/40-debugfs-fuzz.sh).
 *
 *	mfuzz fuzz [-t SECS] [-p PROCS] [-s SEED] [-d DIR]...
 *	mfuzz check [-n COUNT] [-t SECS] [-s SEED] [-d DIR]...
 *	mfuzz sample [-n COUNT] [-s SEED] [-d DIR]...
 *
 * The files are those under each DIR: the first is the markers' debugfs
 * directory, the others tracefs events/markers directories (default:
 * /sys/kernel/debug/markers and /sys/kernel/tracing/events/markers).
 *
 * fuzz: PROCS processes (default 4) write random input to every writable
 * file (set_marker, control, enable, filter, trigger), read every readable
 * one and fire the markers of the test modules mt_marked and mt_many, for
 * SECS seconds (default 20). Inputs are random bytes, random text and
 * mutations of valid requests built from the loaded markers (names, globs,
 * !globs, control queries, 0/1, filters on the events' fields, triggers);
 * they are written whole, split over several write()s, at offsets, after
 * lseek()s of the write-only descriptor, through writev(), from a bad
 * address, empty, or longer than 4096 bytes, on descriptors opened
 * O_WRONLY, O_RDWR (read before and after), O_TRUNC or O_APPEND; and
 * while another descriptor of the same file is being read.
 *
 * check: COUNT (default 2000) writes one at a time, at most SECS seconds
 * (default 120), on descriptors opened O_WRONLY, O_RDWR or O_APPEND, some
 * after lseek()s: before and after each, the state (set_marker, the
 * set_event file of each trace buffer, i.e. the enabled events, the state
 * column of available_markers and sites) is read; a write that failed must
 * have changed none of it.
 *
 * sample: print COUNT inputs of each kind, to see what is generated.
 *
 * Both print their figures as KTAP comments ("# ..."); check prints each
 * violation with its input and exits 1 if there was one. fuzz exits 1 if
 * a worker did not finish within a minute of the deadline.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES	8192
#define MAX_DIRS	8
#define MAX_WORDS	4096
#define INPUT_MAX	9000
#define MAX_ERRNO	134
#define PATH_LEN	512
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* What a file is, for the grammar of its input and the figures. */
enum fclass { F_SET, F_CONTROL, F_ENABLE, F_FILTER, F_TRIGGER, F_RDONLY,
	      F_NR };
static const char * const class_names[F_NR] = {
	"set_marker", "control", "events/*/enable", "events/*/filter",
	"events/*/trigger", "read-only files",
};

struct file {
	char path[PATH_LEN];
	enum fclass class;
	int writable;
	int top;	/* directly in the debugfs directory */
	int fd;		/* kept open by the check, else -1 */
};

struct class_stats {
	unsigned long writes, accepted, rejected;
};

/* The slowest operation of a fuzzing process. */
struct slowest {
	double secs;
	char what[160];
};

#define MAX_PROCS	64

/* Shared by the fuzzing processes (MAP_SHARED). */
struct stats {
	struct slowest slowest[MAX_PROCS];
	unsigned long writes, accepted, rejected, opens, open_failed;
	unsigned long reads, read_bytes, fires, seeks, interleaved;
	unsigned long err[MAX_ERRNO];
	struct class_stats class[F_NR];
};

static const char *dirs[MAX_DIRS] = { "/sys/kernel/debug/markers",
				      "/sys/kernel/tracing/events/markers" };
static int nr_dirs = 2;
static const char *dir;	/* dirs[0]: debugfs */
static struct file files[MAX_FILES];
static int nr_files;
static char *names[MAX_WORDS], *modules[MAX_WORDS], *formats[MAX_WORDS];
static char *srcfiles[MAX_WORDS], *funcs[MAX_WORDS], *fields[MAX_WORDS];
static int nr_names, nr_modules, nr_formats, nr_srcfiles, nr_funcs;
static int nr_fields;
static struct stats *st;
static char last_op[160];	/* what the current operation does */
static unsigned long long rng;
static char *bad_page;	/* a page that faults, just after a mapped one */

/* A file's path for messages: without the /sys/kernel/ prefix. */
static const char *short_path(const char *path)
{
	return strncmp(path, "/sys/kernel/", 12) ? path : path + 12;
}

static unsigned long long next_rand(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

/* A number in [0, n). */
static unsigned long rnd(unsigned long n)
{
	return n ? next_rand() % n : 0;
}

/* True with probability @pct percent. */
static int chance(unsigned int pct)
{
	return rnd(100) < pct;
}

static void add(unsigned long *counter, unsigned long n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static void count_errno(int e)
{
	add(&st->err[e > 0 && e < MAX_ERRNO ? e : 0], 1);
}

static const char *errname(int e)
{
	const char *s = strerrorname_np(e);

	return s ? s : "E?";
}

/*
 * The whole of an open file read from offset 0 (a seq_file shows afresh),
 * NUL-terminated; NULL if it cannot be read.
 */
static char *slurp_fd(int fd, size_t *lenp)
{
	size_t len = 0, cap = 8192;
	char *buf = malloc(cap);
	ssize_t n;

	for (;;) {
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
		n = pread(fd, buf + len, cap - len - 1, len);
		if (n < 0 && !len) {
			free(buf);
			return NULL;
		}
		if (n <= 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

static char *slurp(const char *path, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	char *buf;

	if (fd < 0)
		return NULL;
	buf = slurp_fd(fd, lenp);
	close(fd);
	return buf;
}

static void add_word(char **list, int *nr, const char *s, size_t len)
{
	int i;

	if (!len || *nr >= MAX_WORDS)
		return;
	for (i = 0; i < *nr; i++)
		if (strlen(list[i]) == len && !strncmp(list[i], s, len))
			return;
	list[(*nr)++] = strndup(s, len);
}

/*
 * The field names of a format, as the events name them: the word before
 * each conversion (the rules on C identifiers and keywords are left to
 * the kernel: a wrong name is just a refused filter).
 */
static void add_fields(const char *fmt, size_t len)
{
	const char *p, *end, *word;

	for (p = memchr(fmt, '%', len); p;
	     p = memchr(p + 1, '%', fmt + len - p - 1)) {
		end = p;
		while (end > fmt && end[-1] == ' ')
			end--;
		word = end;
		while (word > fmt && word[-1] != ' ')
			word--;
		add_word(fields, &nr_fields, word, end - word);
	}
}

/* Words for the grammar: names, modules, formats, fields, files, functions. */
static void read_words(void)
{
	char path[PATH_LEN], *buf, *line, *save, *p, *q;

	snprintf(path, sizeof(path), "%s/available_markers", dir);
	buf = slurp(path, NULL);
	for (line = buf ? strtok_r(buf, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		p = strchr(line, ' ');
		if (!p)
			continue;
		add_word(names, &nr_names, line, p - line);
		q = strchr(p + 2, '"');
		if (p[1] == '"' && q) {
			add_word(formats, &nr_formats, p + 2, q - p - 2);
			add_fields(p + 2, q - p - 2);
		}
		p = strstr(line, " module=");
		if (p)
			add_word(modules, &nr_modules, p + 8, strlen(p + 8));
	}
	free(buf);
	snprintf(path, sizeof(path), "%s/sites", dir);
	buf = slurp(path, NULL);
	/* name file:line function [module] state ... */
	for (line = buf ? strtok_r(buf, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		p = strchr(line, ' ');
		if (!p)
			continue;
		q = strchr(++p, ' ');
		if (!q)
			continue;
		add_word(srcfiles, &nr_srcfiles, p, q - p);
		p = q + 1;
		q = strchr(p, ' ');
		if (q)
			add_word(funcs, &nr_funcs, p, q - p);
	}
	free(buf);
}

/* Files written to by the requests they take: the others are read-only. */
static const char * const writable_names[] = { "set_marker", "control",
					      "enable", "filter", "trigger" };
static const enum fclass writable_classes[] = { F_SET, F_CONTROL, F_ENABLE,
						F_FILTER, F_TRIGGER };

/*
 * The files under @path, by name and type only: a stat() of each of the
 * hundreds of files is what a scan would otherwise spend its time on.
 */
static void walk(const char *path, int depth, int debugfs)
{
	char sub[PATH_LEN];
	struct dirent *de;
	struct file *f;
	unsigned int i;
	DIR *d;

	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) && nr_files < MAX_FILES) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (de->d_type == DT_DIR) {
			if (depth < 3)
				walk(sub, depth + 1, debugfs);
			continue;
		}
		f = &files[nr_files++];
		snprintf(f->path, sizeof(f->path), "%s", sub);
		f->top = debugfs && !depth;
		f->fd = -1;
		f->writable = 0;
		f->class = F_RDONLY;
		for (i = 0; i < ARRAY_SIZE(writable_names); i++) {
			if (!strcmp(de->d_name, writable_names[i])) {
				f->writable = 1;
				f->class = writable_classes[i];
			}
		}
	}
	closedir(d);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void scan(void)
{
	int i;

	nr_files = 0;
	for (i = 0; i < nr_dirs; i++)
		walk(dirs[i], 0, !i);
}

/* Weights of the kinds of file written to: the grammars, then the rest. */
static const unsigned int class_weights[F_NR] = { 22, 22, 18, 13, 13, 12 };

/* A file to write to: a kind of file by weight, then one of its files. */
static struct file *pick_write_file(void)
{
	unsigned int w = rnd(100), class = 0, nr = 0;
	int i, pick;

	while (class < F_NR - 1 && w >= class_weights[class])
		w -= class_weights[class++];
	for (i = 0; i < nr_files; i++)
		nr += files[i].class == class;
	if (!nr)
		return nr_files ? &files[rnd(nr_files)] : NULL;
	pick = rnd(nr);
	for (i = 0; i < nr_files; i++)
		if (files[i].class == class && !pick--)
			break;
	return &files[i];
}

/* A file to read: mostly one of the top directory, else of events/. */
static struct file *pick_read_file(void)
{
	int top = chance(70), i, tries;

	for (tries = 0; tries < 256 && nr_files; tries++) {
		i = rnd(nr_files);
		if (files[i].top == top)
			return &files[i];
	}
	return nr_files ? &files[rnd(nr_files)] : NULL;
}

/* --- inputs */

struct input {
	char buf[INPUT_MAX];
	size_t len;
};

static void put(struct input *in, const char *s, size_t len)
{
	if (in->len + len > sizeof(in->buf))
		len = sizeof(in->buf) - in->len;
	memcpy(in->buf + in->len, s, len);
	in->len += len;
}

static void puts_(struct input *in, const char *s)
{
	put(in, s, strlen(s));
}

static void putf(struct input *in, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(in, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static const char *pick(char **list, int nr, const char *fallback)
{
	return nr ? list[rnd(nr)] : fallback;
}

static void put_space(struct input *in)
{
	static const char spaces[] = " \t\n\r\v\f";

	if (chance(70))
		puts_(in, " ");
	else
		put(in, &spaces[rnd(6)], 1);
}

static size_t random_len(void)
{
	switch (rnd(10)) {
	case 0:
		return 4090 + rnd(10);	/* around the 4096-byte limit */
	case 1:
		return 4097 + rnd(INPUT_MAX - 4097);
	case 2:
		return 0;
	case 3:
	case 4:
		return 64 + rnd(600);
	default:
		return 1 + rnd(40);
	}
}

static void gen_bytes(struct input *in)
{
	size_t i, n = random_len();

	for (i = 0; i < n && in->len < sizeof(in->buf); i++)
		in->buf[in->len++] = rnd(256);
}

static void gen_text(struct input *in)
{
	static const char ws[] = " \t\n";
	size_t i, n = random_len();

	for (i = 0; i < n && in->len < sizeof(in->buf); i++)
		in->buf[in->len++] = chance(90) ? 0x20 + rnd(95) : ws[rnd(3)];
}

/* A glob made from @s: wildcards in, a tail cut, a class, or as it is. */
static void put_glob(struct input *in, const char *s)
{
	size_t len = strlen(s), i, cut;

	switch (rnd(8)) {
	case 0:
		cut = rnd(len + 1);
		put(in, s, cut);
		puts_(in, "*");
		break;
	case 1:
		for (i = 0; i < len; i++)
			put(in, chance(20) ? "?" : &s[i], 1);
		break;
	case 2:
		cut = rnd(len + 1);
		put(in, s, cut);
		puts_(in, chance(50) ? "[0-9]*" : "[!a-m]*");
		break;
	case 3:
		puts_(in, "*");
		if (len > 3)
			puts_(in, s + len - 3);
		break;
	case 4:
		cut = rnd(len + 1);
		put(in, s, cut);
		puts_(in, chance(50) ? "[" : "\\");
		break;
	case 5:
		puts_(in, chance(50) ? "*" : "mt_*");
		break;
	default:
		puts_(in, s);
		break;
	}
}

static void gen_set(struct input *in)
{
	int i, n = 1 + rnd(chance(10) ? 40 : 5);

	if (chance(10))
		put_space(in);
	for (i = 0; i < n; i++) {
		if (i)
			put_space(in);
		if (chance(30))
			puts_(in, "!");
		if (chance(8))
			continue;	/* "!" alone, or an empty token */
		if (chance(8))
			puts_(in, chance(50) ? "nosuch_marker" : "mt_many_999");
		else
			put_glob(in, pick(names, nr_names, "mt_mod_event"));
	}
	if (chance(60))
		puts_(in, "\n");
}

static const char * const keywords[] = { "module", "file", "func", "name",
					 "format" };

static void put_arg(struct input *in, int kw)
{
	const char *f;
	size_t len, off;

	switch (kw) {
	case 0:
		put_glob(in, chance(80) ? pick(modules, nr_modules, "mt_many") :
			 "vmlinux");
		break;
	case 1:
		f = pick(srcfiles, nr_srcfiles, "mt_many.c:1");
		len = strcspn(f, ":");
		if (chance(40)) {	/* the base name */
			off = len;
			while (off && f[off - 1] != '/')
				off--;
			f += off;
			len -= off;
		}
		if (chance(25))
			put_glob(in, strndupa(f, len));
		else
			put(in, f, chance(50) ? strlen(f) : len);
		if (chance(10))
			puts_(in, chance(50) ? ":0" : chance(50) ? ":x1" :
			      ":99999999999");
		break;
	case 2:
		put_glob(in, pick(funcs, nr_funcs, "mt_many_fire"));
		break;
	case 3:
		put_glob(in, pick(names, nr_names, "mt_irq"));
		break;
	default:
		f = pick(formats, nr_formats, "n %d");
		len = strlen(f);
		off = rnd(len + 1);
		len = rnd(len - off + 1);
		if (chance(90))
			puts_(in, "\"");
		put(in, f + off, len);
		if (chance(85))
			puts_(in, "\"");
		break;
	}
}

static void gen_control(struct input *in)
{
	int q, nq = 1 + rnd(chance(10) ? 10 : 3), i, nk, kw, used;

	for (q = 0; q < nq; q++) {
		if (q)
			puts_(in, chance(60) ? ";" : "\n");
		nk = rnd(4);
		used = 0;
		for (i = 0; i < nk; i++) {
			kw = rnd(5);
			if ((used & (1 << kw)) && chance(80))
				continue;	/* a repeated keyword, sometimes */
			used |= 1 << kw;
			if (i || chance(10))
				put_space(in);
			if (chance(5))
				puts_(in, chance(50) ? "modules" : "line");
			else
				puts_(in, keywords[kw]);
			if (chance(4))
				continue;	/* no argument */
			put_space(in);
			put_arg(in, kw);
		}
		put_space(in);
		switch (rnd(12)) {
		case 0:
			break;			/* no flag */
		case 1:
			puts_(in, "=r");
			break;
		case 2:
			puts_(in, "+ more");
			break;
		case 3:
			puts_(in, "+-");
			break;
		default:
			puts_(in, chance(60) ? "+" : "-");
			break;
		}
	}
	if (chance(50))
		puts_(in, "\n");
}

static void gen_enable(struct input *in)
{
	static const char * const values[] = {
		"0", "1", "0\n", "1\n", " 1", "1 ", "\t0\n", "2", "01", "-1",
		"", "\n", "1 1", "1\n\n", "0x1", "true", "on", "10", "+1",
	};

	if (chance(70))
		puts_(in, values[rnd(4)]);
	else
		puts_(in, values[rnd(ARRAY_SIZE(values))]);
}

/* A filter predicate on a field of the events, or on a wrong one. */
static void put_predicate(struct input *in)
{
	static const char * const ops[] = { "==", "!=", "<", "<=", ">", ">=",
					    "&", "~", "=", "=~" };
	static const char * const odd[] = { "common_pid", "common_flags",
					    "arg0", "noargs", "nosuch" };

	if (chance(85))
		puts_(in, pick(fields, nr_fields, "n"));
	else
		puts_(in, odd[rnd(ARRAY_SIZE(odd))]);
	put_space(in);
	puts_(in, ops[rnd(ARRAY_SIZE(ops))]);
	puts_(in, " ");
	switch (rnd(6)) {
	case 0:
		putf(in, "\"%s\"", chance(50) ? "mt" : "m*");
		break;
	case 1:
		putf(in, "0x%lx", rnd(1UL << 32));
		break;
	case 2:
		putf(in, "-%lu", rnd(1000));
		break;
	case 3:
		puts_(in, pick(names, nr_names, "mt_irq"));
		break;
	default:
		putf(in, "%lu", rnd(chance(50) ? 10 : 100000));
		break;
	}
}

static void gen_filter(struct input *in)
{
	int i, n = 1 + rnd(chance(10) ? 8 : 3), open = 0;

	if (chance(10)) {	/* no filter */
		puts_(in, chance(50) ? "0" : "");
		return;
	}
	for (i = 0; i < n; i++) {
		if (i)
			puts_(in, chance(50) ? " && " : " || ");
		if (chance(10))
			puts_(in, "!");
		if (chance(15)) {
			puts_(in, "(");
			open++;
		}
		put_predicate(in);
		if (open && chance(40)) {
			puts_(in, ")");
			open--;
		}
	}
	while (open-- > 0 && chance(90))
		puts_(in, ")");
	if (chance(50))
		puts_(in, "\n");
}

static void gen_trigger(struct input *in)
{
	static const char * const cmds[] = {
		"traceon", "traceoff", "stacktrace", "enable_event",
		"disable_event", "snapshot", "hist:keys=n", "nosuch",
	};
	const char *cmd = cmds[chance(85) ? rnd(5) : rnd(ARRAY_SIZE(cmds))];

	if (chance(30))
		puts_(in, "!");
	puts_(in, cmd);
	if (strstr(cmd, "_event")) {
		if (chance(90))
			puts_(in, ":markers");
		puts_(in, ":");
		puts_(in, chance(90) ? pick(names, nr_names, "mt_irq") :
		      "nosuch");
	}
	if (chance(30))
		putf(in, ":%lu", rnd(5));
	else if (chance(3))
		puts_(in, ":x");
	if (chance(20)) {
		puts_(in, " if ");
		put_predicate(in);
	}
	if (chance(50))
		puts_(in, "\n");
}

static void mutate(struct input *in)
{
	static const char odd[] = { 0, 0x7f, (char)0x80, (char)0xff, 1, 27 };
	size_t at = rnd(in->len + 1), n;

	switch (rnd(6)) {
	case 0:		/* a byte flipped */
		if (in->len)
			in->buf[rnd(in->len)] ^= 1 << rnd(8);
		break;
	case 1:		/* a byte that is not text inserted */
		if (in->len < sizeof(in->buf)) {
			memmove(in->buf + at + 1, in->buf + at, in->len - at);
			in->buf[at] = odd[rnd(sizeof(odd))];
			in->len++;
		}
		break;
	case 2:		/* a byte deleted */
		if (in->len && at < in->len) {
			memmove(in->buf + at, in->buf + at + 1,
				in->len - at - 1);
			in->len--;
		}
		break;
	case 3:		/* cut */
		in->len = at;
		break;
	case 4:		/* repeated, sometimes past 4096 */
		n = in->len;
		while (n && in->len + n <= sizeof(in->buf) &&
		       (chance(70) || in->len < 4097)) {
			memcpy(in->buf + in->len, in->buf, n);
			in->len += n;
		}
		break;
	default:	/* padded with white space up to about the limit */
		n = 4090 + rnd(12);
		if (n > in->len && n <= sizeof(in->buf)) {
			memmove(in->buf + n - in->len, in->buf, in->len);
			memset(in->buf, ' ', n - in->len);
			in->len = n;
		}
		break;
	}
}

static void generate(struct input *in, enum fclass class)
{
	in->len = 0;
	if (chance(15))	/* another file's grammar */
		class = rnd(F_RDONLY);
	switch (rnd(10)) {
	case 0:
		gen_bytes(in);
		return;
	case 1:
		gen_text(in);
		return;
	}
	switch (class) {
	case F_SET:
		gen_set(in);
		break;
	case F_CONTROL:
		gen_control(in);
		break;
	case F_ENABLE:
		gen_enable(in);
		break;
	case F_FILTER:
		gen_filter(in);
		break;
	default:
		gen_trigger(in);
		break;
	}
	if (chance(20))
		mutate(in);
}

/* The input with C escapes, on one line, cut after @max bytes. */
static void print_input(const char *prefix, const struct input *in,
			size_t max)
{
	size_t i;
	unsigned char c;

	printf("%s\"", prefix);
	for (i = 0; i < in->len && i < max; i++) {
		c = in->buf[i];
		if (c == '\n')
			printf("\\n");
		else if (c == '\t')
			printf("\\t");
		else if (c == '\\' || c == '"')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\"%s (%zu bytes)\n", in->len > max ? "..." : "", in->len);
}

/* --- one write */

enum wstyle { W_WHOLE, W_SPLIT, W_OFFSET, W_WRITEV, W_EMPTY, W_FAULT,
	      W_SEEK, W_NR };

/*
 * Write @in to @f in a random way. Return 0 if every write() succeeded,
 * else the errno of the first that failed; -1 if the file did not open.
 */
static int do_write(const struct file *f, const struct input *in,
		    enum wstyle style, int flags)
{
	static const int whence[] = { SEEK_SET, SEEK_CUR, SEEK_END };
	size_t off = 0, chunk, n;
	struct iovec iov[8];
	int fd, err = 0, i, nr;
	char buf[256];
	ssize_t ret;

	fd = open(f->path, flags);
	add(&st->opens, 1);
	if (fd < 0) {
		add(&st->open_failed, 1);
		return -1;
	}
	/* read before writing, and after */
	if ((flags & O_ACCMODE) == O_RDWR && chance(50))
		ret = read(fd, buf, 1 + rnd(sizeof(buf)));
	switch (style) {
	case W_SPLIT:
		chunk = 1 + rnd(in->len ? in->len : 1);
		do {
			n = in->len - off < chunk ? in->len - off : chunk;
			ret = write(fd, in->buf + off, n);
			if (ret < 0) {
				err = errno;
				break;
			}
			off += n;
		} while (off < in->len);
		break;
	case W_OFFSET:
		ret = pwrite(fd, in->buf, in->len, rnd(chance(50) ? 8 : 100000));
		if (ret < 0 && errno == ESPIPE) {
			lseek(fd, rnd(5000), SEEK_SET);
			ret = write(fd, in->buf, in->len);
		}
		err = ret < 0 ? errno : 0;
		break;
	case W_WRITEV:
		nr = 1 + rnd(8);
		for (i = 0; i < nr; i++) {
			n = i == nr - 1 ? in->len - off : rnd(in->len - off + 1);
			iov[i].iov_base = (char *)in->buf + off;
			iov[i].iov_len = n;
			off += n;
		}
		err = writev(fd, iov, nr) < 0 ? errno : 0;
		break;
	case W_EMPTY:
		err = write(fd, in->buf, 0) < 0 ? errno : 0;
		break;
	case W_FAULT:
		/* the copy from user space faults after a few bytes */
		n = in->len < 4096 ? in->len : 4096;
		memcpy(bad_page - n, in->buf, n);
		err = write(fd, bad_page - n, n + 1 + rnd(64)) < 0 ? errno : 0;
		break;
	case W_SEEK:
		/* what a buffered writer, or dd seek=N conv=notrunc, does */
		for (i = rnd(3); i >= 0; i--)
			lseek(fd, chance(20) ? -(off_t)rnd(100) :
			      (off_t)rnd(chance(50) ? 8 : 5000), whence[rnd(3)]);
		add(&st->seeks, 1);
		if (chance(50))
			lseek(fd, 0, SEEK_SET);
		err = write(fd, in->buf, in->len) < 0 ? errno : 0;
		lseek(fd, 0, whence[rnd(3)]);
		break;
	default:
		err = write(fd, in->buf, in->len) < 0 ? errno : 0;
		break;
	}
	if ((flags & O_ACCMODE) == O_RDWR) {
		if (chance(50))
			lseek(fd, 0, SEEK_SET);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
	}
	close(fd);
	return err;
}

static void account(enum fclass class, int err)
{
	add(&st->writes, 1);
	add(&st->class[class].writes, 1);
	if (err) {
		add(&st->rejected, 1);
		add(&st->class[class].rejected, 1);
		count_errno(err);
	} else {
		add(&st->accepted, 1);
		add(&st->class[class].accepted, 1);
	}
}

/* --- phase 1: several processes at once */

static void fuzz_write(struct input *in)
{
	const struct file *f = pick_write_file();
	int flags = O_WRONLY, err;
	enum wstyle style;

	if (!f)
		return;
	if (chance(4))
		flags = (chance(50) ? O_WRONLY : O_RDWR) | O_TRUNC;
	else if (chance(6))
		flags = O_RDWR;
	else if (chance(6))
		flags |= O_APPEND;
	else if (chance(3))
		flags = O_RDWR | O_APPEND;
	generate(in, f->class);
	style = chance(50) ? W_WHOLE : rnd(W_NR);
	snprintf(last_op, sizeof(last_op), "write %.100s (%zu bytes, style %d, flags %#x)",
		 short_path(f->path), in->len, style, flags);
	err = do_write(f, in, style, flags);
	if (err >= 0)
		account(f->class, err);
}

/*
 * A file read on one descriptor while another one writes to it: a read
 * begun, the write, the read finished, then read again from the start.
 */
static void fuzz_interleave(struct input *in)
{
	const struct file *f = pick_write_file();
	enum wstyle style;
	char buf[512];
	ssize_t n;
	int fd, err;

	if (!f)
		return;
	fd = open(f->path, O_RDONLY | O_NONBLOCK);
	add(&st->opens, 1);
	if (fd < 0) {
		add(&st->open_failed, 1);
		return;
	}
	generate(in, f->class);
	style = chance(50) ? W_WHOLE : rnd(W_NR);
	snprintf(last_op, sizeof(last_op), "read %.90s while writing it (%zu bytes, style %d)",
		 short_path(f->path), in->len, style);
	n = read(fd, buf, 1 + rnd(sizeof(buf)));
	err = do_write(f, in, style, chance(70) ? O_WRONLY : O_RDWR);
	if (err >= 0)
		account(f->class, err);
	while (n > 0)
		n = read(fd, buf, sizeof(buf));
	lseek(fd, 0, SEEK_SET);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	add(&st->interleaved, 1);
	close(fd);
}

static void fuzz_read(void)
{
	static const size_t sizes[] = { 1, 7, 64, 4095, 65536 };
	const struct file *f = pick_read_file();
	static char buf[65536];
	size_t size, max, total = 0;
	struct pollfd pfd;
	ssize_t n;
	int fd;

	if (!f)
		return;
	fd = open(f->path, O_RDONLY | O_NONBLOCK);
	add(&st->opens, 1);
	if (fd < 0) {
		add(&st->open_failed, 1);
		return;
	}
	size = sizes[rnd(5)];
	snprintf(last_op, sizeof(last_op), "read %.120s by %zu bytes",
		 short_path(f->path), size);
	/* small reads cost a system call each: fewer of them */
	max = size * 512 < 256 * 1024 ? size * 512 : 256 * 1024;
	if (chance(20)) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		poll(&pfd, 1, rnd(3));
	}
	while (total < max) {
		if (chance(5))
			lseek(fd, rnd(3) ? (off_t)rnd(total + 100) : 0,
			      SEEK_SET);
		if (chance(3))
			n = pread(fd, buf, size, rnd(20000));
		else
			n = read(fd, buf, size);
		if (n <= 0)
			break;
		total += n;
	}
	add(&st->reads, 1);
	add(&st->read_bytes, total);
	close(fd);
}

static void write_param(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, val, strlen(val)) > 0)
		add(&st->fires, 1);
	close(fd);
}

static void fuzz_fire(void)
{
	char n[16];

	snprintf(last_op, sizeof(last_op), "fire");
	switch (rnd(3)) {
	case 0:
		snprintf(n, sizeof(n), "%lu", 1 + rnd(20));
		write_param("/sys/module/mt_marked/parameters/fire", n);
		break;
	case 1:
		write_param("/sys/module/mt_many/parameters/fire", "1");
		break;
	default:
		snprintf(n, sizeof(n), "%lu", 1 + rnd(50));
		write_param("/sys/module/mt_many/parameters/fire_irq", n);
		break;
	}
}

static void worker(int id, double deadline)
{
	struct slowest *slowest = &st->slowest[id];
	static struct input in;
	double t, rescan = 0;

	while ((t = now()) < deadline) {
		/* events/NAME/ come and go with their modules */
		if (t >= rescan) {
			scan();
			read_words();
			t = now();
			rescan = t + 10;
		}
		switch (rnd(10)) {
		case 0:
			fuzz_fire();
			break;
		case 1:
		case 2:
		case 3:
			fuzz_read();
			break;
		case 4:
			fuzz_interleave(&in);
			break;
		default:
			fuzz_write(&in);
			break;
		}
		t = now() - t;
		if (t > slowest->secs) {
			slowest->secs = t;
			memcpy(slowest->what, last_op, sizeof(last_op));
		}
	}
	exit(0);
}

static void print_errnos(const char *what)
{
	int e;

	for (e = 0; e < MAX_ERRNO; e++)
		if (st->err[e])
			printf("# %s: %s: %lu\n", what, e ? errname(e) : "other",
			       st->err[e]);
}

static void print_classes(const char *what)
{
	const struct class_stats *c;
	int i;

	for (i = 0; i < F_NR; i++) {
		c = &st->class[i];
		if (c->writes)
			printf("# %s: %s: %lu writes, %lu accepted, %lu rejected\n",
			       what, class_names[i], c->writes, c->accepted,
			       c->rejected);
	}
}

static int run_fuzz(double secs, int procs, unsigned long long seed)
{
	double t0 = now(), deadline = t0 + secs;
	pid_t pids[MAX_PROCS];
	int i, left, status, stuck = 0;
	char path[64], *s;
	pid_t pid;

	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			rng = seed * 0x9e3779b97f4a7c15ULL + i + 1;
			worker(i, deadline);
		}
	}
	/* a worker stuck in the kernel a minute after the deadline: a hang */
	for (left = procs; left && now() < deadline + 60;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0)
			break;
		if (!pid) {
			usleep(100000);
			continue;
		}
		left--;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("# fuzz: worker %d ended with status %#x\n",
			       pid, status);
			stuck++;
		}
	}
	for (i = 0; left && i < procs; i++) {
		if (waitpid(pids[i], &status, WNOHANG))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/wchan", pids[i]);
		s = slurp(path, NULL);
		printf("# fuzz: worker %d stuck 60 s after the deadline, in %s\n",
		       pids[i], s ? s : "?");
		free(s);
		stuck++;
	}
	printf("# fuzz: %d processes, %.1f s, seed %llu\n", procs, now() - t0,
	       seed);
	printf("# fuzz: %lu writes, %lu accepted, %lu rejected; %lu opens (%lu failed)\n",
	       st->writes, st->accepted, st->rejected, st->opens,
	       st->open_failed);
	printf("# fuzz: %lu reads, %lu bytes read, %lu firings\n", st->reads,
	       st->read_bytes, st->fires);
	printf("# fuzz: %lu writes after lseek(), %lu reads while written\n",
	       st->seeks, st->interleaved);
	for (i = 0; i < procs; i++)
		printf("# fuzz: worker %d: slowest operation %.2f s: %s\n", i,
		       st->slowest[i].secs, st->slowest[i].what);
	print_classes("fuzz");
	print_errnos("fuzz rejected");
	return stuck ? 1 : 0;
}

/* --- phase 2: one write at a time, and what a refusal may not change */

static void strbuf_add(char **s, size_t *len, const char *add)
{
	size_t n = strlen(add), cap = 4096;

	while (cap < *len + n + 1)
		cap *= 2;
	*s = realloc(*s, cap);	/* the same size: nothing to do */
	memcpy(*s + *len, add, n + 1);
	*len += n;
}

/* Field @nr (0-based, space separated) of @line, in @out. */
static void field(const char *line, int nr, char *out, size_t size)
{
	size_t len;

	while (nr--) {
		line = strchr(line, ' ');
		if (!line) {
			*out = '\0';
			return;
		}
		line++;
	}
	len = strcspn(line, " ");
	if (len >= size)
		len = size - 1;
	memcpy(out, line, len);
	out[len] = '\0';
}

/*
 * The contents of @f, through a descriptor opened at the first call and
 * kept: reading many small files is the cost of a snapshot.
 */
static char *read_kept(struct file *f)
{
	if (f->fd < 0)
		f->fd = open(f->path, O_RDONLY | O_NONBLOCK);
	return f->fd < 0 ? NULL : slurp_fd(f->fd, NULL);
}

/* The same for a file of the top directory, by name. */
static char *read_top(const char *name)
{
	size_t n = strlen(dir);
	int i;

	for (i = 0; i < nr_files; i++)
		if (files[i].top && !strcmp(files[i].path + n + 1, name))
			return read_kept(&files[i]);
	return NULL;
}

/*
 * The set_event file of each tracefs directory .../events/markers: the
 * events enabled in that trace buffer, in one read rather than one per
 * enable file.
 */
static struct file set_events[MAX_DIRS];

static void find_set_events(void)
{
	static const char suffix[] = "/events/markers";
	size_t n, sn = strlen(suffix);
	int i;

	for (i = 1; i < nr_dirs; i++) {
		n = strlen(dirs[i]);
		while (n > 1 && dirs[i][n - 1] == '/')
			n--;
		set_events[i].fd = -1;
		if (n <= sn || strncmp(dirs[i] + n - sn, suffix, sn))
			continue;
		snprintf(set_events[i].path, sizeof(set_events[i].path),
			 "%.*s/set_event", (int)(n - sn), dirs[i]);
	}
}

static char *snapshot(void)
{
	char tmp[PATH_LEN * 2], f1[256], f2[256], *s = NULL;
	char *buf, *line, *save, *p;
	size_t len = 0;
	int i;

	buf = read_top("set_marker");
	strbuf_add(&s, &len, "set_marker:\n");
	strbuf_add(&s, &len, buf ? buf : "(unreadable)\n");
	free(buf);
	for (i = 1; i < nr_dirs; i++) {
		if (!set_events[i].path[0])
			continue;
		buf = read_kept(&set_events[i]);
		snprintf(tmp, sizeof(tmp), "%.200s:\n", short_path(set_events[i].path));
		strbuf_add(&s, &len, tmp);
		strbuf_add(&s, &len, buf ? buf : "(unreadable)\n");
		free(buf);
	}
	/* name "format" sites=N state=S probes=N module=M: the name, S, M */
	buf = read_top("available_markers");
	for (line = buf ? strtok_r(buf, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		field(line, 0, f1, sizeof(f1));
		p = strstr(line, " state=");
		snprintf(tmp, sizeof(tmp), "available %s %.*s %s\n", f1,
			 p ? (int)strcspn(p + 1, " ") : 0, p ? p + 1 : "",
			 strstr(line, " module=") ?: "");
		strbuf_add(&s, &len, tmp);
	}
	free(buf);
	/* name file:line function [module] state ...: all but the rest */
	buf = read_top("sites");
	for (line = buf ? strtok_r(buf, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		field(line, 0, f1, sizeof(f1));
		field(line, 4, f2, sizeof(f2));
		snprintf(tmp, sizeof(tmp), "site %s ", f1);
		strbuf_add(&s, &len, tmp);
		field(line, 1, f1, sizeof(f1));
		snprintf(tmp, sizeof(tmp), "%s %s\n", f1, f2);
		strbuf_add(&s, &len, tmp);
	}
	free(buf);
	return s;
}

/* Print the lines of @a that @b lacks and the reverse, at most 20. */
static void print_diff(const char *a, const char *b)
{
	const char *lists[2] = { a, b }, *other, *line, *end;
	int i, shown = 0;
	size_t n;

	for (i = 0; i < 2; i++) {
		other = lists[!i];
		for (line = lists[i]; *line && shown < 20; line = end + 1) {
			end = strchrnul(line, '\n');
			n = end - line;
			if (!memmem(other, strlen(other), line, n))
				printf("#   %s %.*s\n", i ? "after: " : "before:",
				       (int)n, line), shown++;
			if (!*end)
				break;
		}
	}
}

static int run_check(unsigned long count, double secs, unsigned long long seed)
{
	static struct input in;
	double t0 = now(), deadline = t0 + secs;
	unsigned long i, violations = 0, skipped = 0;
	char *before, *after;
	const struct file *f;
	enum wstyle style;
	int err, flags;

	rng = seed * 0x9e3779b97f4a7c15ULL + 1000;
	scan();
	read_words();
	find_set_events();
	for (i = 0; i < count && now() < deadline; i++) {
		f = pick_write_file();
		if (!f)
			break;
		generate(&in, f->class);
		/*
		 * One write() per open, so that a refusal is the whole request;
		 * no O_TRUNC, which empties set_marker whatever is written.
		 */
		style = chance(8) ? W_FAULT : chance(5) ? W_EMPTY :
			chance(10) ? W_SEEK : W_WHOLE;
		flags = chance(80) ? O_WRONLY : chance(40) ? O_RDWR :
			chance(50) ? O_WRONLY | O_APPEND : O_RDWR | O_APPEND;
		before = snapshot();
		err = do_write(f, &in, style, flags);
		after = snapshot();
		if (err < 0) {
			skipped++;
		} else {
			account(f->class, err);
			if (err && strcmp(before, after)) {
				violations++;
				printf("# VIOLATION: %s: refused (%s), state changed;",
				       short_path(f->path), errname(err));
				printf(" flags %#x, %s\n", flags,
				       style == W_FAULT ? "faulting buffer" :
				       style == W_EMPTY ? "empty write" :
				       style == W_SEEK ? "after lseek(), input:" : "input:");
				print_input("#   input ", &in, 300);
				print_diff(before, after);
			}
		}
		free(before);
		free(after);
	}
	printf("# check: %lu writes in %.1f s, seed %llu\n", st->writes,
	       now() - t0, seed);
	printf("# check: %lu accepted, %lu rejected, %lu not opened\n",
	       st->accepted, st->rejected, skipped);
	print_classes("check");
	print_errnos("check rejected");
	printf("# check: %lu refused write(s) changed the state\n", violations);
	return violations ? 1 : 0;
}

/* Print @count inputs for each class of file, to see what is generated. */
static int run_sample(unsigned long count)
{
	static struct input in;
	unsigned long i;
	int class;

	read_words();
	for (class = 0; class < F_RDONLY; class++)
		for (i = 0; i < count; i++) {
			generate(&in, class);
			printf("# %s: ", class_names[class]);
			print_input("", &in, 160);
		}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 0;
	unsigned long count = 2000;
	double secs = -1;
	int opt, procs = 4, dirs_given = 0;
	char *mode;
	long page = sysconf(_SC_PAGESIZE);

	if (argc < 2)
		goto usage;
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "t:p:s:n:d:")) != -1) {
		switch (opt) {
		case 't':
			secs = strtod(optarg, NULL);
			break;
		case 'p':
			procs = atoi(optarg);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			if (!dirs_given)
				nr_dirs = 0;
			dirs_given = 1;
			if (nr_dirs < MAX_DIRS)
				dirs[nr_dirs++] = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (procs < 1 || procs > MAX_PROCS)
		goto usage;
	dir = dirs[0];
	if (!seed)
		seed = time(NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	bad_page = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED || bad_page == MAP_FAILED)
		return 2;
	/* the fourth page faults: writes from its start cross into it */
	bad_page += 3 * page;
	mprotect(bad_page, page, PROT_NONE);
	rng = seed;
	if (!strcmp(mode, "fuzz"))
		return run_fuzz(secs < 0 ? 20 : secs, procs, seed);
	if (!strcmp(mode, "check"))
		return run_check(count, secs < 0 ? 120 : secs, seed);
	if (!strcmp(mode, "sample"))
		return run_sample(count);
usage:
	fprintf(stderr, "usage: mfuzz fuzz [-t secs] [-p procs] [-s seed] [-d dir]...\n"
		"       mfuzz check [-n count] [-t secs] [-s seed] [-d dir]...\n"
		"       mfuzz sample [-n count] [-s seed] [-d dir]...\n");
	return 2;
}
