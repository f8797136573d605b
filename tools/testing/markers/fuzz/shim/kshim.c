// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace implementations of the kernel functions declared by kshim.h.
 *
 * Memory comes from the C library so that AddressSanitizer checks every
 * access; printing goes through the kernel's own vsnprintf(). Warnings
 * are counted: each harness decides whether one is a finding.
 */
#include <stdio.h>

unsigned long kshim_warnings;
unsigned long kshim_warns;
char kshim_last_warning[1024];
struct task_struct kshim_task = { .pid = 1, .comm = "fuzz" };

/* KSHIM_VERBOSE=1 prints the kernel's messages (when replaying a crash). */
int kshim_printk(const char *fmt, ...)
{
	bool warning = !strncmp(fmt, KERN_WARNING, strlen(KERN_WARNING));
	static int verbose = -1;
	char line[sizeof(kshim_last_warning)];
	va_list ap;
	int n;

	if (verbose < 0)
		verbose = !!getenv("KSHIM_VERBOSE");
	if (warning) {
		kshim_warnings++;
		fmt += strlen(KERN_WARNING);
	}
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (warning)
		memcpy(kshim_last_warning, line, sizeof(line));
	if (verbose)
		fputs(line, stderr);
	return n;
}

int kshim_warn_on(int cond, const char *file, int line)
{
	if (cond) {
		kshim_warns++;
		if (getenv("KSHIM_VERBOSE"))
			fprintf(stderr, "WARNING at %s:%d\n", file, line);
	}
	return cond;
}

void kshim_bug_on(int cond, const char *what, const char *file, int line)
{
	if (cond) {
		fprintf(stderr, "BUG at %s:%d: %s\n", file, line, what);
		abort();
	}
}

int kshim_unreachable(const char *what, const void *arg)
{
	fprintf(stderr, "kshim: %s(%p) called: not reachable by the fuzzed paths\n",
		what, arg);
	abort();
}

void *kshim_malloc(size_t n, bool zero)
{
	/* kmalloc(0) is ZERO_SIZE_PTR: not NULL, and never dereferenced. */
	return zero ? calloc(1, n ?: 1) : malloc(n ?: 1);
}

void *kshim_calloc(size_t n, size_t size)
{
	return calloc(n ?: 1, size ?: 1);
}

char *kshim_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* User memory is the fuzzer's buffer: copies never fault. */
void *memdup_user_nul(const void __user *src, size_t len)
{
	char *p = malloc(len + 1);

	if (!p)
		return ERR_PTR(-ENOMEM);
	memcpy(p, src, len);
	p[len] = '\0';
	return p;
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

char *kshim_strchrnul(const char *s, int c)
{
	while (*s && *s != (char)c)
		s++;
	return (char *)s;
}

/* the kernel's semantics: always terminated, -E2BIG when cut */
ssize_t kshim_strscpy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (!size)
		return -E2BIG;
	len = strnlen(src, size);
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

const char hex_asc[] = "0123456789abcdef";
const char hex_asc_upper[] = "0123456789ABCDEF";
const u8 guid_index[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
const u8 uuid_index[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
const struct trace_print_flags pageflag_names[] = { { 0, NULL } };
const struct trace_print_flags vmaflag_names[] = { { 0, NULL } };
const struct trace_print_flags gfpflag_names[] = { { 0, NULL } };

/* seq_file: a fixed buffer; an overflow marks it full, as seq_file does. */
static void seq_add(struct seq_file *m, size_t n)
{
	m->count = m->count + n < m->size ? m->count + n : m->size;
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(m->buf + m->count, m->size - m->count, fmt, ap);
	va_end(ap);
	seq_add(m, n);
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	size_t room = m->size - m->count;

	memcpy(m->buf + m->count, data, len < room ? len : room);
	seq_add(m, len);
}

/*
 * trace_seq as the kernel's (kernel/trace/trace_seq.c over lib/seq_buf.c):
 * what does not fit, its terminating NUL included, is not added and
 * makes the buffer full.
 */
void trace_seq_printf(struct trace_seq *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->buffer + s->len, s->size - s->len, fmt, ap);
	va_end(ap);
	if (s->len + n < s->size)
		s->len += n;
	else
		s->full = 1;
}

void trace_seq_putmem(struct trace_seq *s, const void *mem, unsigned int len)
{
	if (s->full)
		return;
	if (s->len + len < s->size) {
		memcpy(s->buffer + s->len, mem, len);
		s->len += len;
	} else {
		s->full = 1;
	}
}

void trace_seq_putc(struct trace_seq *s, unsigned char c)
{
	trace_seq_putmem(s, &c, 1);
}

void trace_seq_puts(struct trace_seq *s, const char *str)
{
	trace_seq_putmem(s, str, strlen(str));
}

/* debugfs: the harnesses call the handlers, no file is made. */
struct dentry *debugfs_create_file(const char *name, unsigned short mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops)
{
	return NULL;
}

/*
 * Called only by the paths the harnesses do not run (the debugfs files'
 * reading, declaring the fields, the %p extensions that dereference).
 * Weak: a harness that runs one of them defines it.
 */
#define UNREACHABLE(ret, name, ...)			\
__weak ret name(__VA_ARGS__)				\
{							\
	kshim_unreachable(#name, NULL);			\
	__builtin_unreachable();			\
}

UNREACHABLE(int, trace_define_field_ext, struct trace_event_call *call,
	    const char *type, const char *name, int offset, int size,
	    int is_signed, int filter_type, int len, int need_test)
UNREACHABLE(int, single_open, struct file *file,
	    int (*show)(struct seq_file *m, void *v), void *data)
UNREACHABLE(int, single_release, struct inode *inode, struct file *file)
UNREACHABLE(ssize_t, seq_read, struct file *file, char __user *buf,
	    size_t size, loff_t *ppos)
UNREACHABLE(loff_t, seq_lseek, struct file *file, loff_t offset, int whence)
UNREACHABLE(void, time64_to_tm, time64_t totalsecs, int offset,
	    struct tm *result)
UNREACHABLE(const struct cred *, current_cred, void)
UNREACHABLE(bool, has_capability_noaudit, struct task_struct *t, int cap)
UNREACHABLE(const char *, fwnode_get_name, const struct fwnode_handle *fwnode)
UNREACHABLE(const char *, fwnode_get_name_prefix,
	    const struct fwnode_handle *fwnode)
UNREACHABLE(unsigned int, fwnode_count_parents,
	    const struct fwnode_handle *fwnode)
UNREACHABLE(struct fwnode_handle *, fwnode_get_nth_parent,
	    struct fwnode_handle *fwnode, unsigned int depth)
UNREACHABLE(void, fwnode_handle_put, struct fwnode_handle *fwnode)
UNREACHABLE(bool, is_of_node, const struct fwnode_handle *fwnode)
UNREACHABLE(struct device_node *, to_of_node,
	    const struct fwnode_handle *fwnode)
UNREACHABLE(struct fwnode_handle *, of_fwnode_handle, struct device_node *node)
UNREACHABLE(int, of_node_check_flag, const struct device_node *n,
	    unsigned long flag)
UNREACHABLE(int, of_property_read_string, const struct device_node *np,
	    const char *propname, const char **out_string)
UNREACHABLE(u64, siphash_1u64, u64 a, const siphash_key_t *key)
UNREACHABLE(u64, siphash_1u32, u32 a, const siphash_key_t *key)
UNREACHABLE(void, get_random_bytes, void *buf, size_t len)
UNREACHABLE(int, execute_with_initialized_rng, struct notifier_block *nb)
UNREACHABLE(void *, devres_alloc, void (*release)(struct device *dev, void *res),
	    size_t size, gfp_t gfp)
UNREACHABLE(void, devres_add, struct device *dev, void *res)
UNREACHABLE(void, devres_free, void *res)
UNREACHABLE(char *, file_path, struct file *file, char *buf, int buflen)
UNREACHABLE(int, get_cmdline, struct task_struct *task, char *buffer,
	    int buflen)
UNREACHABLE(char *, get_options, const char *str, int nints, int *ints)
UNREACHABLE(int, hex_to_bin, unsigned char ch)
UNREACHABLE(char *, kasprintf, gfp_t gfp, const char *fmt, ...)
