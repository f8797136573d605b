/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API that kernel/trace/trace_markers_fields.c,
 * kernel/trace/trace_markers_control.c and lib/{vsprintf,kstrtox,ctype,glob}.c
 * use, for building them unchanged into userspace fuzz targets.
 *
 * It is included first into every translation unit that compiles kernel
 * code (-include kshim.h); the build makes each kernel header those files
 * include an empty file, so this is the whole kernel environment. Only
 * CONFIG_64BIT, CONFIG_MARKERS and CONFIG_DEBUG_FS are set: the optional
 * parts of the files (kallsyms, block devices, device tree, patching)
 * stay out.
 *
 * The trace event machinery is reduced to the types trace_markers.h
 * embeds and the three trace_seq functions the printing uses; the rest
 * of the events (kernel/trace/trace_markers.c, the registry) is faked by
 * the harnesses. What the fuzzed paths really run is implemented
 * (kshim.c); what they cannot reach is declared, and defined to abort()
 * so that reaching it is a finding rather than a silent wrong answer.
 */
#ifndef _KSHIM_H
#define _KSHIM_H

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <sys/socket.h>

/*
 * lib/vsprintf.c defines the printf family: rename its definitions so
 * that the sanitizers and libFuzzer keep using the C library's.
 */
#define vsnprintf	kern_vsnprintf
#define vscnprintf	kern_vscnprintf
#define snprintf	kern_snprintf
#define scnprintf	kern_scnprintf
#define vsprintf	kern_vsprintf
#define sprintf		kern_sprintf
#define vsscanf		kern_vsscanf
#define sscanf		kern_sscanf

/* Not ctype.h's functions either: the kernel's come from lib/ctype.c. */
#define isalnum(c)	k_isalnum(c)
#define isalpha(c)	k_isalpha(c)
#define iscntrl(c)	k_iscntrl(c)
#define isdigit(c)	k_isdigit(c)
#define isgraph(c)	k_isgraph(c)
#define islower(c)	k_islower(c)
#define isprint(c)	k_isprint(c)
#define ispunct(c)	k_ispunct(c)
#define isspace(c)	k_isspace(c)
#define isupper(c)	k_isupper(c)
#define isxdigit(c)	k_isxdigit(c)
#define tolower(c)	k_tolower(c)
#define toupper(c)	k_toupper(c)

#define CONFIG_64BIT		1
#define CONFIG_MARKERS		1
#define CONFIG_DEBUG_FS		1
#define BITS_PER_LONG		64
#define BITS_PER_LONG_LONG	64
#define BITS_PER_BYTE		8
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define NSEC_PER_SEC		1000000000L
#define NSEC_PER_USEC		1000L

/* linux/args.h defines it as glibc does, with other parameter names */
#undef __CONCAT

/* Keep mm/internal.h (included by vsprintf.c by its path) out. */
#define __MM_INTERNAL_H

/* types */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;
typedef u16 __le16;
typedef u16 __be16;
typedef u32 __le32;
typedef u32 __be32;
typedef u64 __le64;
typedef u64 __be64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef u64 resource_size_t;
typedef s64 time64_t;
typedef u64 netdev_features_t;
typedef unsigned int gfp_t;
typedef unsigned int __poll_t;
typedef struct { long counter; } atomic_long_t;
typedef struct { int counter; } atomic_t;
typedef struct { u64 key[2]; } siphash_key_t;
typedef struct { u8 b[16]; } guid_t;
typedef struct { u8 b[16]; } uuid_t;

/* compiler */
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __scanf(a, b)		__attribute__((format(scanf, a, b)))
#define __packed		__attribute__((packed))
#define __uninitialized
#define __aligned(x)		__attribute__((aligned(x)))
#define __section(s)		__attribute__((section(s)))
#define __used			__attribute__((used))
#define __maybe_unused		__attribute__((unused))
#ifndef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#endif
#define __force
#define noinline		__attribute__((noinline))
#define noinline_for_stack	noinline
#define __noreturn		__attribute__((noreturn))
#define __pure			__attribute__((pure))
#define MODULE_DESCRIPTION(s)
#define __must_check		__attribute__((warn_unused_result))
#define __counted_by(m)
#define __rcu
#define __user
#define __iomem
#define __percpu
#define __init
#define __initdata
#define __exit
#define __read_mostly
#define __ro_after_init
#define __weak			__attribute__((weak))
#define __fallthrough		__attribute__((fallthrough))
#define fallthrough		__fallthrough
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define barrier()		__asm__ __volatile__("" ::: "memory")
#define smp_wmb()		barrier()
#define smp_rmb()		barrier()
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)
#define static_assert(e, ...)	_Static_assert(e, #e)
#define BUILD_BUG_ON(e)		_Static_assert(!(e), #e)
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#define __same_type(a, b)	__builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#define IS_ENABLED(c)		0
#define EXPORT_SYMBOL(s)
#define EXPORT_SYMBOL_GPL(s)
#define EXPORT_SYMBOL_IF_KUNIT(s)
#define THIS_MODULE		((struct module *)0)
#define early_param(s, f)
#define subsys_initcall(f)
#define late_initcall(f)
#define core_initcall(f)
#define MODULE_LICENSE(s)

/* arithmetic */
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define MIN(a, b)		min(a, b)
#define MAX(a, b)		max(a, b)
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define BIT(n)			(1UL << (n))
#define __ffs(w)		((unsigned long)__builtin_ctzl(w))
#define BIT_MASK(n)		(1UL << ((n) % BITS_PER_LONG))
#define BIT_WORD(n)		((n) / BITS_PER_LONG)
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define BITS_TO_LONGS(n)	DIV_ROUND_UP(n, BITS_PER_LONG)
#define DECLARE_BITMAP(n, b)	unsigned long n[BITS_TO_LONGS(b)]
#define U64_MAX			UINT64_MAX
#define S16_MAX			INT16_MAX
#define S16_MIN			INT16_MIN
#define U32_MAX			UINT32_MAX
#define __ALIGN_KERNEL_MASK(x, m) (((x) + (m)) & ~(m))
#define ALIGN(x, a)		__ALIGN_KERNEL_MASK(x, (__typeof__(x))(a) - 1)
#define PTR_ALIGN(p, a)		((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define do_div(n, base) ({ u32 __b = (base); u32 __r = (n) % __b; (n) /= __b; __r; })

static inline u64 div_u64_rem(u64 n, u32 d, u32 *r)
{
	*r = n % d;
	return n / d;
}

static inline u64 div_u64(u64 n, u32 d)
{
	return n / d;
}

static inline s64 div_s64(s64 n, s32 d)
{
	return n / d;
}

/* both host and kernel target are x86-64, little endian */
#define cpu_to_le16(x)		((__le16)(x))
#define le16_to_cpu(x)		((u16)(x))
#define cpu_to_le32(x)		((__le32)(x))
#define le32_to_cpu(x)		((u32)(x))
#define be16_to_cpu(x)		__builtin_bswap16(x)
#define be32_to_cpu(x)		__builtin_bswap32(x)
#define cpu_to_be16(x)		__builtin_bswap16(x)
#define cpu_to_be32(x)		__builtin_bswap32(x)
#define swab32(x)		__builtin_bswap32(x)

#define get_unaligned(p) \
	(((const struct { __typeof__(*(p)) x; } __packed *)(p))->x)
#define get_unaligned_le16(p)	((u16)get_unaligned((const u16 *)(p)))
#define get_unaligned_be16(p)	be16_to_cpu(get_unaligned((const u16 *)(p)))
#define get_unaligned_be32(p)	be32_to_cpu(get_unaligned((const u32 *)(p)))

/* errors */
#define MAX_ERRNO		4095
#define IS_ERR_VALUE(x)		unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
/* the kernel's own error codes (include/linux/errno.h) */
#define ERESTARTSYS	512
#define ERESTARTNOINTR	513
#define ERESTARTNOHAND	514
#define ENOIOCTLCMD	515
#define ERESTART_RESTARTBLOCK	516
#define EPROBE_DEFER	517
#define EOPENSTALE	518
#define ENOPARAM	519
#define EBADHANDLE	521
#define ENOTSYNC	522
#define EBADCOOKIE	523
#define ENOTSUPP	524
#define ETOOSMALL	525
#define ESERVERFAULT	526
#define EBADTYPE	527
#define EJUKEBOX	528
#define EIOCBQUEUED	529
#define ERECALLCONFLICT	530
#define ENOGRACE	531

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR_VALUE((unsigned long)ptr);
}

/*
 * printk: warnings and WARN()s are counted, and the last warning kept,
 * for the harnesses to check
 */
extern unsigned long kshim_warnings;
extern unsigned long kshim_warns;
extern char kshim_last_warning[1024];
#define KERN_SOH		"\001"
#define KERN_WARNING		KERN_SOH "4"
#define printk(fmt, ...)	kshim_printk(fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	kshim_printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	kshim_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	kshim_printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { } while (0)
#define pr_warn_ratelimited(fmt, ...) pr_warn(fmt, ##__VA_ARGS__)
#define WARN_ON(c)		kshim_warn_on(!!(c), __FILE__, __LINE__)
#define WARN_ON_ONCE(c)		WARN_ON(c)
#define WARN_ONCE(c, fmt, ...)	WARN_ON(c)
#define WARN(c, fmt, ...)	WARN_ON(c)
#define BUG_ON(c)		kshim_bug_on(!!(c), #c, __FILE__, __LINE__)
__printf(1, 2) int kshim_printk(const char *fmt, ...);
int kshim_warn_on(int cond, const char *file, int line);
void kshim_bug_on(int cond, const char *what, const char *file, int line);

/* lib/ctype.c, as linux/ctype.h declares it */
#define _U	0x01	/* upper */
#define _L	0x02	/* lower */
#define _D	0x04	/* digit */
#define _C	0x08	/* cntrl */
#define _P	0x10	/* punct */
#define _S	0x20	/* white space (space/lf/tab) */
#define _X	0x40	/* hex digit */
#define _SP	0x80	/* hard space (0x20) */
extern const unsigned char _ctype[];
#define __ismask(x)	(_ctype[(int)(unsigned char)(x)])
#define k_isalnum(c)	((__ismask(c) & (_U | _L | _D)) != 0)
#define k_isalpha(c)	((__ismask(c) & (_U | _L)) != 0)
#define k_iscntrl(c)	((__ismask(c) & (_C)) != 0)
#define k_isdigit(c)	((unsigned int)((c) - '0') < 10)
#define k_isgraph(c)	((__ismask(c) & (_P | _U | _L | _D)) != 0)
#define k_islower(c)	((__ismask(c) & (_L)) != 0)
#define k_isprint(c)	((__ismask(c) & (_P | _U | _L | _D | _SP)) != 0)
#define k_ispunct(c)	((__ismask(c) & (_P)) != 0)
#define k_isspace(c)	((__ismask(c) & (_S)) != 0)
#define k_isupper(c)	((__ismask(c) & (_U)) != 0)
#define k_isxdigit(c)	((__ismask(c) & (_D | _X)) != 0)
static inline unsigned char __tolower(unsigned char c)
{
	return k_isupper(c) ? c - 'A' + 'a' : c;
}

static inline unsigned char __toupper(unsigned char c)
{
	return k_islower(c) ? c - 'a' + 'A' : c;
}

#define k_tolower(c)	__tolower(c)
#define k_toupper(c)	__toupper(c)
#define _tolower(c)	((c) | 0x20)

static inline int isodigit(const char c)
{
	return c >= '0' && c <= '7';
}

/* lib/string_helpers.c, and string.h's inline helper */
char *skip_spaces(const char *str);
char *strim(char *s);
static inline const char *kbasename(const char *path)
{
	const char *tail = strrchr(path, '/');

	return tail ? tail + 1 : path;
}

/* lib/hexdump.c */
extern const char hex_asc[];
extern const char hex_asc_upper[];
#define hex_asc_lo(x)	hex_asc[((x) & 0x0f)]
#define hex_asc_hi(x)	hex_asc[((x) & 0xf0) >> 4]
static inline char *hex_byte_pack(char *buf, u8 byte)
{
	*buf++ = hex_asc_hi(byte);
	*buf++ = hex_asc_lo(byte);
	return buf;
}

static inline char *hex_byte_pack_upper(char *buf, u8 byte)
{
	*buf++ = hex_asc_upper[((byte) & 0xf0) >> 4];
	*buf++ = hex_asc_upper[((byte) & 0x0f)];
	return buf;
}

/* lib/kstrtox.c and lib/vsprintf.c */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
int _kstrtoul(const char *s, unsigned int base, unsigned long *res);
int _kstrtol(const char *s, unsigned int base, long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);
static inline int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	return kstrtoull(s, base, (unsigned long long *)res);
}

static inline int kstrtol(const char *s, unsigned int base, long *res)
{
	return kstrtoll(s, base, (long long *)res);
}

unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base);
unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base);
long simple_strtol(const char *cp, char **endp, unsigned int base);
long long simple_strtoll(const char *cp, char **endp, unsigned int base);
int num_to_str(char *buf, int size, unsigned long long num, unsigned int width);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
__printf(3, 0) int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
__printf(3, 4) int scnprintf(char *buf, size_t size, const char *fmt, ...);
__printf(3, 0) int vscnprintf(char *buf, size_t size, const char *fmt, va_list args);
__printf(2, 3) int sprintf(char *buf, const char *fmt, ...);
__printf(2, 0) int vsprintf(char *buf, const char *fmt, va_list args);
__scanf(2, 3) int sscanf(const char *buf, const char *fmt, ...);
__scanf(2, 0) int vsscanf(const char *buf, const char *fmt, va_list args);
extern bool no_hash_pointers;
extern int kptr_restrict;

/* lists (include/linux/list.h, the part these files use) */
struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, head, member) (&(pos)->member == (head))
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, __typeof__(*pos), member);	\
	     !list_entry_is_head(pos, head, member);			\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, __typeof__(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     !list_entry_is_head(pos, head, member);			\
	     pos = n, n = list_next_entry(n, member))

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void __list_add(struct list_head *new, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = new;
	new->next = next;
	new->prev = prev;
	prev->next = new;
}

static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	__list_add(new, head->prev, head);
}

static inline void list_add(struct list_head *new, struct list_head *head)
{
	__list_add(new, head, head->next);
}

static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	entry->next = NULL;
	entry->prev = NULL;
}

static inline void list_move_tail(struct list_head *list,
				  struct list_head *head)
{
	list_del(list);
	list_add_tail(list, head);
}

static inline int list_empty(const struct list_head *head)
{
	return head->next == head;
}

/* hlist and hashtable.h */
#define hlist_entry_safe(ptr, type, member) \
	({ __typeof__(ptr) ____ptr = (ptr); \
	   ____ptr ? container_of(____ptr, type, member) : NULL; })
#define hlist_for_each_entry(pos, head, member)				\
	for (pos = hlist_entry_safe((head)->first, __typeof__(*(pos)), member); \
	     pos;							\
	     pos = hlist_entry_safe((pos)->member.next, __typeof__(*(pos)), member))

static inline void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{
	n->next = h->first;
	if (h->first)
		h->first->pprev = &n->next;
	h->first = n;
	n->pprev = &h->first;
}

static inline void hlist_del_init(struct hlist_node *n)
{
	if (!n->pprev)
		return;
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
	n->next = NULL;
	n->pprev = NULL;
}

/* memory: the C library's, so that ASan sees every allocation */
#define GFP_KERNEL		0u
#define GFP_NOWAIT		0u
#define kmalloc(n, gfp)		kshim_malloc(n, false)
#define kzalloc(n, gfp)		kshim_malloc(n, true)
#define kcalloc(n, s, gfp)	kshim_calloc(n, s)
#define kmalloc_array(n, s, gfp) kshim_calloc(n, s)
#define kfree(p)		free((void *)(p))
#define kfree_rcu(p, f)		free(p)
#define kstrdup(s, gfp)		kshim_strdup(s)
#define struct_size(p, member, n) \
	(sizeof(*(p)) + sizeof((p)->member[0]) * (size_t)(n))
void *kshim_malloc(size_t n, bool zero);
void *kshim_calloc(size_t n, size_t size);
char *kshim_strdup(const char *s);
void *memdup_user_nul(const void __user *src, size_t len);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);

/* RCU (linux/markers.h): one thread, nothing to do */
#define rcu_read_lock()		do { } while (0)
#define rcu_read_unlock()	do { } while (0)
#define rcu_dereference(p)	(p)
#define rcu_assign_pointer(p, v) ((p) = (v))

/* the task, for vsprintf.c's %pK */
#define TASK_COMM_LEN	16
struct task_struct {
	int pid;
	char comm[TASK_COMM_LEN];
};

extern struct task_struct kshim_task;
#define current		(&kshim_task)

/* file system objects of the debugfs handlers */
#define FMODE_READ	0x1u
#define FMODE_WRITE	0x2u
struct inode {
	void *i_private;
};

/* what vsprintf.c's %pd and %pD (never fuzzed) refer to */
struct qstr {
	const char *name;
};

struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
};

struct path {
	struct dentry *dentry;
};

struct file {
	unsigned int f_mode;
	unsigned int f_flags;
	void *private_data;
	struct inode *f_inode;
	struct path f_path;
};

struct seq_file {
	char *buf;
	size_t size;
	size_t count;
	void *private;
};

__printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_puts(struct seq_file *m, const char *s);
void seq_write(struct seq_file *m, const void *data, size_t len);

struct module;
struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long action,
			     void *data);
	int priority;
};

#define NOTIFY_DONE	0
#define NOTIFY_OK	1

struct file_operations {
	struct module *owner;
	int (*open)(struct inode *inode, struct file *file);
	ssize_t (*read)(struct file *file, char __user *buf, size_t count,
			loff_t *ppos);
	ssize_t (*write)(struct file *file, const char __user *buf,
			 size_t count, loff_t *ppos);
	loff_t (*llseek)(struct file *file, loff_t off, int whence);
	int (*release)(struct inode *inode, struct file *file);
};

int single_open(struct file *file, int (*show)(struct seq_file *m, void *v),
		void *data);
int single_release(struct inode *inode, struct file *file);
ssize_t seq_read(struct file *file, char __user *buf, size_t size,
		 loff_t *ppos);
loff_t seq_lseek(struct file *file, loff_t offset, int whence);
/* as linux/seq_file.h */
#define DEFINE_SHOW_STORE_ATTRIBUTE(__name)				\
static int __name ## _open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, __name ## _show, inode->i_private);	\
}									\
									\
static const struct file_operations __name ## _fops = {			\
	.owner		= THIS_MODULE,					\
	.open		= __name ## _open,				\
	.read		= seq_read,					\
	.write		= __name ## _write,				\
	.llseek		= seq_lseek,					\
	.release	= single_release,				\
}

/* debugfs: no files, the harnesses call the handlers */
struct dentry *debugfs_create_file(const char *name, unsigned short mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops);

/* glob.h (lib/glob.c) */
bool glob_match(const char *pat, const char *str);

/*
 * linux/trace_events.h, tracepoint-defs.h and trace_seq.h: the types
 * that struct marker_event embeds (only as complete as the fuzzed files
 * need), the record's header, and the functions the fields' code calls.
 */
struct trace_entry {
	unsigned short type;
	unsigned char flags;
	unsigned char preempt_count;
	int pid;
};

struct tracepoint {
	const char *name;
};

struct trace_event_functions;
struct trace_event {
	struct hlist_node node;
	int type;
	struct trace_event_functions *funcs;
};

struct trace_event_call;
struct trace_event_fields;
struct trace_event_class {
	const char *system;
	struct list_head fields;
	int (*reg)(struct trace_event_call *event, int type, void *data);
	struct trace_event_fields *fields_array;
};

struct trace_event_call {
	struct list_head list;
	struct trace_event_class *class;
	struct tracepoint *tp;
	struct trace_event event;
	char *print_fmt;
	int flags;
};

enum filter_type {
	FILTER_OTHER = 0,
	FILTER_STATIC_STRING,
	FILTER_DYN_STRING,
	FILTER_RDYN_STRING,
	FILTER_PTR_STRING,
	FILTER_TRACE_FN,
	FILTER_CPUMASK,
	FILTER_COMM,
	FILTER_CPU,
	FILTER_STACKTRACE,
};

int trace_define_field_ext(struct trace_event_call *call, const char *type,
			   const char *name, int offset, int size,
			   int is_signed, int filter_type, int len,
			   int need_test);

/*
 * The kernel's struct trace_seq is a page-sized buffer; this one is the
 * harness's buffer, with the same rules (kshim.c): a print that does not
 * fit leaves the text as it was and marks it full, and nothing is added
 * to a full one.
 */
#define TRACE_SEQ_BUFFER_SIZE	(PAGE_SIZE * 2 - 32)
struct trace_seq {
	char *buffer;
	unsigned int size;
	unsigned int len;
	int full;
};

__printf(2, 3) void trace_seq_printf(struct trace_seq *s, const char *fmt, ...);
void trace_seq_putmem(struct trace_seq *s, const void *mem, unsigned int len);
void trace_seq_putc(struct trace_seq *s, unsigned char c);
void trace_seq_puts(struct trace_seq *s, const char *str);

/*
 * The rest of what lib/vsprintf.c refers to. The fuzzed conversions
 * never reach the %p extensions that need these (they dereference their
 * argument), so the types are only as complete as the code needs to
 * compile; the functions abort() if called (kshim.c).
 */
struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
};

#define IORESOURCE_IO		0x00000100
#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_IRQ		0x00000400
#define IORESOURCE_DMA		0x00000800
#define IORESOURCE_BUS		0x00001000
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_MEM_64	0x00100000
#define IORESOURCE_WINDOW	0x00200000
#define IORESOURCE_UNSET	0x20000000
#define IORESOURCE_DISABLED	0x10000000
static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

struct rtc_time {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year;
	int tm_wday, tm_yday, tm_isdst;
};

struct tm {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon;
	long tm_year;
	int tm_wday, tm_yday;
};

void time64_to_tm(time64_t totalsecs, int offset, struct tm *result);

struct va_format {
	const char *fmt;
	va_list *va;
};

struct trace_print_flags {
	unsigned long mask;
	const char *name;
};

extern const struct trace_print_flags pageflag_names[];
extern const struct trace_print_flags vmaflag_names[];
extern const struct trace_print_flags gfpflag_names[];
#define PAGEFLAGS_MASK		0xffffUL
#define SECTIONS_WIDTH		0
#define SECTIONS_PGSHIFT	0
#define SECTIONS_MASK		0
#define NODES_WIDTH		0
#define NODES_PGSHIFT		0
#define NODES_MASK		0
#define ZONES_WIDTH		0
#define ZONES_PGSHIFT		0
#define ZONES_MASK		0
#define LAST_CPUPID_WIDTH	0
#define LAST_CPUPID_PGSHIFT	0
#define LAST_CPUPID_MASK	0
#define KASAN_TAG_WIDTH		0
#define KASAN_TAG_PGSHIFT	0
#define KASAN_TAG_MASK		0

typedef struct { unsigned int val; } kuid_t;
typedef struct { unsigned int val; } kgid_t;
struct cred {
	kuid_t uid, euid;
	kgid_t gid, egid;
};

#define CAP_SYSLOG		34
const struct cred *current_cred(void);
bool has_capability_noaudit(struct task_struct *t, int cap);
#define uid_eq(a, b)		((a).val == (b).val)
#define gid_eq(a, b)		((a).val == (b).val)
#define in_hardirq()		0
#define in_serving_softirq()	0
#define in_nmi()		0

struct fwnode_handle;
struct device_node {
	unsigned int phandle;
};

struct property;
#define OF_DYNAMIC		1
#define OF_DETACHED		2
#define OF_POPULATED		3
#define OF_POPULATED_BUS	4
const char *fwnode_get_name(const struct fwnode_handle *fwnode);
const char *fwnode_get_name_prefix(const struct fwnode_handle *fwnode);
unsigned int fwnode_count_parents(const struct fwnode_handle *fwnode);
struct fwnode_handle *fwnode_get_nth_parent(struct fwnode_handle *fwnode,
					    unsigned int depth);
void fwnode_handle_put(struct fwnode_handle *fwnode);
bool is_of_node(const struct fwnode_handle *fwnode);
struct device_node *to_of_node(const struct fwnode_handle *fwnode);
struct fwnode_handle *of_fwnode_handle(struct device_node *node);
int of_node_check_flag(const struct device_node *n, unsigned long flag);
int of_property_read_string(const struct device_node *np,
			    const char *propname, const char **out_string);
#define of_property_for_each_string(np, propname, prop, s) \
	for (prop = NULL, s = NULL; \
	     kshim_unreachable("of_property_for_each_string", prop); )

#define UUID_STRING_LEN		36
extern const u8 guid_index[16];
extern const u8 uuid_index[16];

/* lib/string_helpers.c: its other functions are not called */
struct device;
void *devres_alloc(void (*release)(struct device *dev, void *res),
		   size_t size, gfp_t gfp);
void devres_add(struct device *dev, void *res);
void devres_free(void *res);
char *file_path(struct file *file, char *buf, int buflen);
int get_cmdline(struct task_struct *task, char *buffer, int buflen);
char *get_options(const char *str, int nints, int *ints);
int hex_to_bin(unsigned char ch);
__printf(2, 3) char *kasprintf(gfp_t gfp, const char *fmt, ...);
char *strreplace(char *str, char old, char new);

#define IPV6_FLOWINFO_MASK	htonl(0x0FFFFFFF)
static inline bool ipv6_addr_v4mapped(const struct in6_addr *a)
{
	return IN6_IS_ADDR_V4MAPPED(a);
}

static inline bool ipv6_addr_is_isatap(const struct in6_addr *addr)
{
	return (addr->s6_addr32[2] | htonl(0x02000000)) == htonl(0x02005EFE);
}

u64 siphash_1u64(u64 a, const siphash_key_t *key);
u64 siphash_1u32(u32 a, const siphash_key_t *key);
void get_random_bytes(void *buf, size_t len);
int execute_with_initialized_rng(struct notifier_block *nb);
const char *errname(int err);
#define hash_long(v, bits)	((unsigned long)((v) * 0x61C8864680B583EBull) >> (64 - (bits)))
#define isascii(c)		(((unsigned char)(c)) <= 0x7f)
#define strchrnul(s, c)		kshim_strchrnul(s, c)
char *kshim_strchrnul(const char *s, int c);
#define strscpy(d, s, n)	kshim_strscpy(d, s, n)
ssize_t kshim_strscpy(char *dst, const char *src, size_t size);

static inline void __set_bit(unsigned int nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(unsigned int nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline bool test_bit(unsigned int nr, const unsigned long *addr)
{
	return (addr[BIT_WORD(nr)] >> (nr % BITS_PER_LONG)) & 1;
}

static inline void __assign_bit(unsigned int nr, unsigned long *addr,
				bool value)
{
	if (value)
		__set_bit(nr, addr);
	else
		__clear_bit(nr, addr);
}

static inline unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags)
{
	return calloc(BITS_TO_LONGS(nbits) ?: 1, sizeof(unsigned long));
}

static inline void bitmap_free(const unsigned long *bitmap)
{
	free((void *)bitmap);
}

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/* The harness that needs a lock defines these, and checks them. */
struct mutex {
	int held;
};

void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);

static inline void bitmap_complement(unsigned long *dst,
				     const unsigned long *src,
				     unsigned int nbits)
{
	unsigned int k;

	for (k = 0; k < BITS_TO_LONGS(nbits); k++)
		dst[k] = ~src[k];
}

/* %pbl: not fuzzed (the bitmap is dereferenced); iterates over nothing */
#define for_each_set_bitrange(b, e, addr, size) \
	for ((b) = 0, (e) = (size); \
	     kshim_unreachable("for_each_set_bitrange", addr); )
int kshim_unreachable(const char *what, const void *arg);
/* x86-64 has no function descriptors */
static inline void *dereference_symbol_descriptor(void *ptr)
{
	return ptr;
}

struct clk;

#endif /* _KSHIM_H */
