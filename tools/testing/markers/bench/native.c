// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, native: the x86-64 marker site on the host CPU, in userspace.
 *
 * The site is the kernel's own: this file includes the real
 * <linux/markers.h> and arch/x86/include/asm/markers.h, with the few kernel
 * definitions they need from native_shim.h. What the kernel does at build
 * and run time is done here by hand: the site's jump is turned into a NOP
 * (objtool's job), and arming writes the jump back and points the
 * out-of-line call straight at the probe (the registry's job, as for a
 * single direct probe).
 *
 * Each case is a loop calling a small function holding the site, as in the
 * kernel benchmark: a * 3 + (b ^ c) with the site taking a, b and c. The
 * loop is timed with rdtsc (lfence on both sides) and, when the kernel
 * lets us, with the core's cycle and instruction counters; the cases run
 * in turn, many rounds, and the median per iteration is printed as JSON.
 *
 *	native [-r ROUNDS] [-n ITERATIONS] [-s MICROSECONDS]
 *
 * -s sleeps between rounds (default 1000 us), so that the rounds spread
 * over seconds and a burst of load on a shared host spoils few of them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "native_shim.h"
#include <linux/markers.h>
#include <linux/markers_internal.h>

#define classic_preempt_disable()	preempt_disable_notrace()
#define classic_preempt_enable()	preempt_enable_notrace()
#include "classic_marker.h"

#define MB_FORMAT	"a %d b %d c %d"
#define MB_BODY(a, b, c)	((a) * 3 + ((b) ^ (c)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

__thread unsigned int mb_preempt_count = 0x80000000u;
static unsigned long dispatcher_calls, schedule_calls;

void mb_preempt_schedule(void)
{
	schedule_calls++;
}

/* The site's call goes here until it is patched to a probe. */
void __marker_dispatch(const struct marker_site *site,
		       const unsigned long *args)
{
	dispatcher_calls++;
}

/* The entries the sites call, as in markers_64.S; here all just count. */
#define MB_ENTRY(n)							\
	".globl __marker_x86_dispatch" n "\n"				\
	".type __marker_x86_dispatch" n ", @function\n"			\
	"__marker_x86_dispatch" n ":\n\t"				\
	"mov %rax, %rdi\n\t"						\
	"lea 8(%rsp), %rsi\n\t"						\
	"jmp __marker_dispatch\n"					\
	".size __marker_x86_dispatch" n ", . - __marker_x86_dispatch" n "\n"
__asm__(".text\n" MB_ENTRY("") MB_ENTRY("0") MB_ENTRY("1") MB_ENTRY("2")
	MB_ENTRY("3") MB_ENTRY("4") MB_ENTRY("5"));

/* The entry the call of a site with @nargs arguments goes to, dormant. */
static void *mb_dispatcher(unsigned int nargs)
{
	static void * const by_nargs[] = {
		__marker_x86_dispatch0, __marker_x86_dispatch1,
		__marker_x86_dispatch2, __marker_x86_dispatch3,
		__marker_x86_dispatch4, __marker_x86_dispatch5,
	};

	return nargs < 6 ? by_nargs[nargs] : (void *)__marker_x86_dispatch;
}

DEFINE_CLASSIC_MARKER(mb_native_classic, MB_FORMAT);

static __noipa __used void probe_direct(void *priv, int a, int b, int c)
{
}

static __noipa __used void probe_va(void *probe_private,
				    void *call_private, const char *fmt,
				    va_list *args)
{
}

static void (*probe_ptr)(void *priv, int a, int b, int c) = probe_direct;

static __noipa __used int f_none(int a, int b, int c)
{
	return MB_BODY(a, b, c);
}

static __noipa __used int f_marker(int a, int b, int c)
{
	trace_mark(mb_native, MB_FORMAT, a, b, c);
	return MB_BODY(a, b, c);
}

static __noipa __used int f_classic(int a, int b, int c)
{
	classic_trace_mark(mb_native_classic, MB_FORMAT, a, b, c);
	return MB_BODY(a, b, c);
}

static __noipa __used int f_direct(int a, int b, int c)
{
	probe_direct(NULL, a, b, c);
	return MB_BODY(a, b, c);
}

static __noipa __used int f_indirect(int a, int b, int c)
{
	void (*probe)(void *priv, int a, int b, int c) = probe_ptr;

	asm("" : "+r" (probe));	/* an indirect call, not a known callee */
	probe(NULL, a, b, c);
	return MB_BODY(a, b, c);
}

/* --- patching: objtool's NOPs, then the registry's arming ---------------- */

static void make_writable(void *addr, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long start = (unsigned long)addr & ~(page - 1);
	unsigned long end = ((unsigned long)addr + len + page - 1) & ~(page - 1);

	if (mprotect((void *)start, end - start,
		     PROT_READ | PROT_WRITE | PROT_EXEC)) {
		perror("mprotect");
		exit(1);
	}
}

static unsigned char *jump_code(struct marker_jump *j)
{
	return (unsigned char *)&j->code + j->code;
}

static unsigned char *jump_target(struct marker_jump *j)
{
	return (unsigned char *)&j->target + j->target;
}

static struct marker_site *jump_site(struct marker_jump *j)
{
	return (void *)(((unsigned long)&j->site + j->site) & ~3UL);
}

static unsigned char *call_code(struct marker_call *c)
{
	return (unsigned char *)&c->code + c->code;
}

static struct marker_site *call_site(struct marker_call *c)
{
	return (void *)((unsigned long)&c->site + c->site);
}

static void put_rel32(unsigned char *at, const void *insn_end,
		      const void *dest)
{
	s32 rel = (s32)((long)dest - (long)insn_end);

	memcpy(at, &rel, 4);
}

/* The length of a site's jump or NOP. */
static int jump_len(const unsigned char *code)
{
	if (code[0] == 0xeb || (code[0] == 0x66 && code[1] == 0x90))
		return 2;
	if (code[0] == 0xe9 || !memcmp(code, "\x0f\x1f\x44\x00\x00", 5))
		return 5;
	fprintf(stderr, "native: unexpected site bytes %02x %02x\n",
		code[0], code[1]);
	exit(1);
}

/* What objtool does at build time: the site's jump becomes a NOP. */
static void sites_to_nops(void)
{
	struct marker_jump *j;
	unsigned char *code;

	for (j = __start___markers_jump; j < __stop___markers_jump; j++) {
		code = jump_code(j);
		make_writable(code, 5);
		if (jump_len(code) == 2)
			memcpy(code, "\x66\x90", 2);
		else
			memcpy(code, "\x0f\x1f\x44\x00\x00", 5);
	}
}

/* Arm (probe != NULL) or disarm every site of @name, for one direct probe. */
static int set_direct(const char *name, void *probe, void *priv)
{
	struct marker_jump *j;
	struct marker_call *c;
	unsigned char *code;
	int n = 0, len;

	for (c = __start___markers_call; c < __stop___markers_call; c++) {
		if (strcmp(call_site(c)->name, name))
			continue;
		call_site(c)->probe_private = priv;
		call_site(c)->direct = probe;
		code = call_code(c);
		make_writable(code, 5);
		put_rel32(code + 1, code + 5,
			  probe ? probe : mb_dispatcher(call_site(c)->nargs));
	}
	for (j = __start___markers_jump; j < __stop___markers_jump; j++) {
		if (strcmp(jump_site(j)->name, name))
			continue;
		code = jump_code(j);
		len = jump_len(code);
		if (!probe) {
			memcpy(code, len == 2 ? "\x66\x90" :
			       "\x0f\x1f\x44\x00\x00", len);
		} else if (len == 2) {
			code[0] = 0xeb;
			code[1] = (unsigned char)(jump_target(j) - (code + 2));
		} else {
			code[0] = 0xe9;
			put_rel32(code + 1, code + 5, jump_target(j));
		}
		n++;
	}
	return n;
}

/* --- timing ----------------------------------------------------------------- */

static inline u64 tsc(void)
{
	u32 lo, hi;

	asm volatile("lfence\n\trdtsc\n\tlfence"
		     : "=a" (lo), "=d" (hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

static int perf_fd[2] = { -1, -1 };

static void perf_open(void)
{
	static const u64 config[2] = { PERF_COUNT_HW_CPU_CYCLES,
					    PERF_COUNT_HW_INSTRUCTIONS };
	struct perf_event_attr attr;
	int i;

	for (i = 0; i < 2; i++) {
		memset(&attr, 0, sizeof(attr));
		attr.size = sizeof(attr);
		attr.type = PERF_TYPE_HARDWARE;
		attr.config = config[i];
		attr.exclude_kernel = 1;
		attr.exclude_hv = 1;
		perf_fd[i] = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	}
}

static u64 perf_read(int i)
{
	u64 v = 0;

	if (perf_fd[i] < 0 || read(perf_fd[i], &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

/* Keep a value the compiler would otherwise drop. */
static __always_inline void sink(int v)
{
	asm volatile("" : : "r" (v));
}

#define LOOP(fn)							\
static __noipa __used void loop_##fn(unsigned int n, u64 out[3])		\
{									\
	u64 t0, t1, c0, c1, i0, i1;					\
	unsigned int i;							\
	int acc = 0;							\
									\
	c0 = perf_read(0);						\
	i0 = perf_read(1);						\
	t0 = tsc();							\
	for (i = 0; i < n; i++)						\
		acc += fn(i, i + 1, i + 2);				\
	t1 = tsc();							\
	c1 = perf_read(0);						\
	i1 = perf_read(1);						\
	sink(acc);							\
	out[0] = t1 - t0;						\
	out[1] = c1 - c0;						\
	out[2] = i1 - i0;						\
}

LOOP(f_none)
LOOP(f_marker)
LOOP(f_classic)
LOOP(f_direct)
LOOP(f_indirect)

struct ncase {
	const char *id;
	const char *what;
	void (*loop)(unsigned int n, u64 out[3]);
	const char *arm;	/* marker armed with probe_direct, or NULL */
	int classic;		/* classic marker armed with probe_va */
	double *v[3];		/* per round: TSC, cycles, instructions per call */
	double net;		/* median of the TSC difference to n_none */
};

static struct ncase cases[] = {
	{ .id = "n_none", .what = "unmarked function", .loop = loop_f_none },
	{ .id = "n_marker", .what = "dormant marker", .loop = loop_f_marker },
	{ .id = "n_classic", .what = "dormant classic marker",
	  .loop = loop_f_classic },
	{ .id = "n_direct", .what = "direct call of the probe",
	  .loop = loop_f_direct },
	{ .id = "n_indirect", .what = "indirect call of the probe",
	  .loop = loop_f_indirect },
	{ .id = "n_marker_on", .what = "active marker, direct probe",
	  .loop = loop_f_marker, .arm = "mb_native" },
	{ .id = "n_classic_on", .what = "active classic marker, va_list probe",
	  .loop = loop_f_classic, .classic = 1 },
};

#define NCASES	ARRAY_SIZE(cases)

static void arm(struct ncase *c, int on)
{
	if (c->arm && set_direct(c->arm, on ? (void *)probe_direct : NULL,
				 NULL) != 1) {
		fprintf(stderr, "native: marker %s not found\n", c->arm);
		exit(1);
	}
	if (c->classic) {
		__classic_mark_mb_native_classic.single.func = probe_va;
		__classic_mark_mb_native_classic.state = on;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	unsigned int rounds = 301, iters = 10000, pause = 1000, r, k, m;
	double *diff;
	u64 out[3];
	cpu_set_t set;
	int opt, cpu;

	while ((opt = getopt(argc, argv, "r:n:s:")) != -1) {
		switch (opt) {
		case 'r':
			rounds = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			iters = strtoul(optarg, NULL, 0);
			break;
		case 's':
			pause = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-r rounds] [-n iterations] [-s us]\n",
				argv[0]);
			return 2;
		}
	}
	if (!rounds || !iters)
		return 2;
	cpu = sched_getcpu();
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	sites_to_nops();
	perf_open();
	for (k = 0; k < NCASES; k++)
		for (m = 0; m < 3; m++)
			cases[k].v[m] = calloc(rounds, sizeof(double));
	for (r = 0; r < rounds; r++) {
		usleep(pause);
		for (k = 0; k < NCASES; k++) {
			arm(&cases[k], 1);
			cases[k].loop(iters, out);
			arm(&cases[k], 0);
			for (m = 0; m < 3; m++)
				cases[k].v[m][r] = (double)out[m] / iters;
		}
	}
	if (dispatcher_calls || schedule_calls) {
		fprintf(stderr, "native: unexpected calls: dispatcher %lu, scheduler %lu\n",
			dispatcher_calls, schedule_calls);
		return 1;
	}
	/* net: the median over rounds of the difference to n_none's round */
	diff = calloc(rounds, sizeof(double));
	for (k = 0; k < NCASES; k++) {
		for (r = 0; r < rounds; r++)
			diff[r] = cases[k].v[0][r] - cases[0].v[0][r];
		cases[k].net = median(diff, rounds);
	}
	printf("{\"cpu\": %d, \"rounds\": %u, \"iterations\": %u,\n"
	       " \"counters\": %s,\n \"cases\": [\n", cpu, rounds, iters,
	       perf_fd[0] >= 0 && perf_fd[1] >= 0 ? "true" : "false");
	for (k = 0; k < NCASES; k++) {
		printf("  {\"id\": \"%s\", \"what\": \"%s\", \"tsc\": %.3f, \"net\": %.3f",
		       cases[k].id, cases[k].what,
		       median(cases[k].v[0], rounds), cases[k].net);
		if (perf_fd[0] >= 0 && perf_fd[1] >= 0)
			printf(", \"cycles\": %.3f, \"instructions\": %.3f",
			       median(cases[k].v[1], rounds),
			       median(cases[k].v[2], rounds));
		printf("}%s\n", k + 1 < NCASES ? "," : "");
	}
	printf(" ]}\n");
	return 0;
}
