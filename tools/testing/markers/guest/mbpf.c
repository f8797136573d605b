// SPDX-License-Identifier: GPL-2.0
/*
 * mbpf: sum one field of a trace event with a BPF program, without libbpf,
 * for the in-VM tests of the markers' trace events (vm/55-trace-clients.sh).
 *
 *	mbpf SYS/NAME FIELD -- CMD [ARG]...	prints "count=N sum=S"
 *	mbpf -f SYS/NAME FIELD			prints "id=ID offset=O size=S signed=B"
 *
 * Reads the event's id and format in tracefs, loads a
 * BPF_PROG_TYPE_TRACEPOINT program (raw instructions, license "GPL") that
 * adds the field's value (sign-extended if the field is signed) to slot 0
 * of an array map and 1 to slot 1, opens the event with
 * perf_event_open(PERF_TYPE_TRACEPOINT, config = id, pid = -1, cpu = 0)
 * as libbpf and bpftrace do (the program belongs to the event, so it runs
 * on every CPU's hits), attaches it with PERF_EVENT_IOC_SET_BPF, enables
 * it, runs CMD and waits for it, and prints the map's two slots.
 * Exits 0 on success, 1 if a step failed (named on stderr, with the
 * verifier's log for a refused program) or CMD did not exit 0, 2 on
 * misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct field {
	unsigned long long id;
	int offset, size, is_signed;
};

static char log_buf[1 << 16];

static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("mbpf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int read_file(const char *path, char *buf, size_t size)
{
	ssize_t len;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = '\0';
	return 0;
}

/*
 * The name of a format line's declaration: its last word, without an
 * array suffix ("__data_loc char[] comm" -> comm, "char comm[16]" -> comm).
 */
static void decl_name(const char *decl, size_t len, char *name, size_t size)
{
	const char *end = decl + len, *start;

	while (end > decl && end[-1] == ']') {
		while (end > decl && end[-1] != '[')
			end--;
		if (end > decl)
			end--;
	}
	start = end;
	while (start > decl && start[-1] != ' ')
		start--;
	snprintf(name, size, "%.*s", (int)(end - start), start);
}

/* Fill @f from tracefs' events/SYS/NAME/{id,format}; 0 or a message */
static int parse_event(const char *event, const char *want, struct field *f)
{
	static const char * const roots[] = { "/sys/kernel/tracing",
				       "/sys/kernel/debug/tracing" };
	static char buf[1 << 16];
	char path[512], name[128];
	const char *p;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/events/%s/id", roots[i], event);
		if (!read_file(path, buf, sizeof(buf)))
			break;
	}
	if (i == 2)
		return fail("read %s/events/%s/id: %s", roots[0], event,
			    strerror(errno));
	f->id = strtoull(buf, NULL, 10);
	snprintf(path, sizeof(path), "%s/events/%s/format", roots[i], event);
	if (read_file(path, buf, sizeof(buf)))
		return fail("read %s: %s", path, strerror(errno));
	for (p = buf; (p = strstr(p, "field:")); p++) {
		const char *decl = p + strlen("field:");
		const char *semi = strchr(decl, ';');

		if (!semi)
			break;
		decl_name(decl, semi - decl, name, sizeof(name));
		if (strcmp(name, want))
			continue;
		if (sscanf(semi, "; offset:%d; size:%d; signed:%d;",
			   &f->offset, &f->size, &f->is_signed) != 3)
			return fail("%s: cannot parse the line of field %s",
				    path, want);
		return 0;
	}
	return fail("%s: no field %s", path, want);
}

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })

/*
 * The program: r7 = the field (sign-extended), then for slot 0 and slot 1,
 * r0 = bpf_map_lookup_elem(map, &slot) and an atomic add of r7, then 1.
 * Returns the number of instructions written to @insn.
 */
static int build_prog(struct bpf_insn *insn, const struct field *f, int map)
{
	static const int bpf_size[9] = { [1] = BPF_B, [2] = BPF_H,
					 [4] = BPF_W, [8] = BPF_DW };
	int n = 0, slot, shift = 64 - 8 * f->size;

	insn[n++] = INSN(BPF_LDX | BPF_MEM | bpf_size[f->size], BPF_REG_7,
			 BPF_REG_1, f->offset, 0);
	if (f->is_signed && shift) {
		insn[n++] = INSN(BPF_ALU64 | BPF_LSH | BPF_K, BPF_REG_7, 0, 0, shift);
		insn[n++] = INSN(BPF_ALU64 | BPF_ARSH | BPF_K, BPF_REG_7, 0, 0, shift);
	}
	for (slot = 0; slot < 2; slot++) {
		/* *(u32 *)(fp - 4) = slot; r1 = map; r2 = fp - 4 */
		insn[n++] = INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, slot);
		insn[n++] = INSN(BPF_LD | BPF_IMM | BPF_DW, BPF_REG_1,
				 BPF_PSEUDO_MAP_FD, 0, map);
		insn[n++] = INSN(0, 0, 0, 0, 0);
		insn[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
		insn[n++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4);
		insn[n++] = INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
		/* if (!r0) skip the add (and, for slot 1, r7 = 1 before it) */
		insn[n++] = INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 1 + slot, 0);
		if (slot == 1)
			insn[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_7, 0, 0, 1);
		insn[n++] = INSN(BPF_STX | BPF_ATOMIC | BPF_DW, BPF_REG_0,
				 BPF_REG_7, 0, BPF_ADD);
	}
	insn[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	insn[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return n;
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* Load the program; on refusal, print the verifier's log and return -1 */
static int load_prog(const struct field *f, int map)
{
	struct bpf_insn insn[32];
	union bpf_attr attr;
	int fd, level;

	for (level = 0; level < 2; level++) {
		memset(&attr, 0, sizeof(attr));
		attr.prog_type = BPF_PROG_TYPE_TRACEPOINT;
		attr.insns = (uintptr_t)insn;
		attr.insn_cnt = build_prog(insn, f, map);
		attr.license = (uintptr_t)"GPL";
		if (level) {
			attr.log_level = 1;
			attr.log_buf = (uintptr_t)log_buf;
			attr.log_size = sizeof(log_buf);
		}
		fd = sys_bpf(BPF_PROG_LOAD, &attr);
		if (fd >= 0)
			return fd;
	}
	fail("bpf(BPF_PROG_LOAD): %s; verifier log:\n%s", strerror(errno),
	     log_buf);
	return -1;
}

static int lookup(int map, __u32 key, __u64 *value)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)value;
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr);
}

static int run(char **argv)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return fail("fork: %s", strerror(errno));
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "mbpf: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return fail("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("%s: exit status 0x%x", argv[0], status);
	return 0;
}

int main(int argc, char **argv)
{
	struct perf_event_attr pattr;
	__u64 sum = 0, count = 0;
	union bpf_attr attr;
	int map, prog, ev, ret;
	struct field f;

	if (argc == 4 && !strcmp(argv[1], "-f")) {
		if (parse_event(argv[2], argv[3], &f))
			return 1;
		printf("id=%llu offset=%d size=%d signed=%d\n", f.id, f.offset,
		       f.size, f.is_signed);
		return 0;
	}
	if (argc < 5 || strcmp(argv[3], "--")) {
		fprintf(stderr, "usage: mbpf SYS/NAME FIELD -- CMD [ARG]...\n"
				"       mbpf -f SYS/NAME FIELD\n");
		return 2;
	}
	if (parse_event(argv[1], argv[2], &f))
		return 1;
	if (f.size != 1 && f.size != 2 && f.size != 4 && f.size != 8)
		return fail("field %s: size %d is not 1, 2, 4 or 8", argv[2], f.size);
	if (f.offset < 8 || f.offset % f.size)
		return fail("field %s: offset %d unaligned or below 8",
			    argv[2], f.offset);

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = sizeof(__u32);
	attr.value_size = sizeof(__u64);
	attr.max_entries = 2;
	map = sys_bpf(BPF_MAP_CREATE, &attr);
	if (map < 0)
		return fail("bpf(BPF_MAP_CREATE): %s", strerror(errno));
	prog = load_prog(&f, map);
	if (prog < 0)
		return 1;

	memset(&pattr, 0, sizeof(pattr));
	pattr.type = PERF_TYPE_TRACEPOINT;
	pattr.size = sizeof(pattr);
	pattr.config = f.id;
	pattr.sample_period = 1;
	pattr.sample_type = PERF_SAMPLE_RAW;
	pattr.wakeup_events = 1;
	pattr.disabled = 1;
	ev = syscall(SYS_perf_event_open, &pattr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (ev < 0)
		return fail("perf_event_open(PERF_TYPE_TRACEPOINT, config %llu): %s",
			    f.id, strerror(errno));
	if (ioctl(ev, PERF_EVENT_IOC_SET_BPF, prog))
		return fail("ioctl(PERF_EVENT_IOC_SET_BPF): %s", strerror(errno));
	if (ioctl(ev, PERF_EVENT_IOC_ENABLE, 0))
		return fail("ioctl(PERF_EVENT_IOC_ENABLE): %s", strerror(errno));

	ret = run(argv + 4);

	if (ioctl(ev, PERF_EVENT_IOC_DISABLE, 0))
		return fail("ioctl(PERF_EVENT_IOC_DISABLE): %s", strerror(errno));
	if (lookup(map, 0, &sum) || lookup(map, 1, &count))
		return fail("bpf(BPF_MAP_LOOKUP_ELEM): %s", strerror(errno));
	if (f.is_signed)
		printf("count=%llu sum=%lld\n", count, (long long)sum);
	else
		printf("count=%llu sum=%llu\n", count, sum);
	return ret;
}
