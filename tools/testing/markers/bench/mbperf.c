// SPDX-License-Identifier: GPL-2.0
/*
 * mbperf: count trace events with perf while a command runs, for make
 * bench's perf cases in the guest (static, no perf tool in the initramfs).
 *
 *	mbperf NAME=ID... -- PROG [ARG...]
 *
 * ID is a tracepoint id, or the path of a tracefs "id" file
 * (/sys/kernel/tracing/events/markers/NAME/id). For each NAME, opens a
 * counting event (PERF_TYPE_TRACEPOINT, config ID, no sampling) on every
 * online CPU (pid -1: whatever runs there), runs PROG with its arguments,
 * then prints "NAME count N", N summed over the CPUs. Exits with PROG's
 * status, or 1 if an event could not be opened or read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_EVENTS	8
#define MAX_CPUS	64

static long perf_open(struct perf_event_attr *attr, int cpu)
{
	return syscall(SYS_perf_event_open, attr, -1, cpu, -1, 0);
}

/* ID as a number, or read from a file */
static int parse_id(const char *s, unsigned long long *id)
{
	char buf[32], *end;
	FILE *f;

	if (!strchr(s, '/')) {
		errno = 0;
		*id = strtoull(s, &end, 10);
		return errno || end == s || *end ? -1 : 0;
	}
	f = fopen(s, "r");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		fprintf(stderr, "mbperf: %s: %s\n", s, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	*id = strtoull(buf, &end, 10);
	return end == buf ? -1 : 0;
}

int main(int argc, char **argv)
{
	static int fds[MAX_EVENTS][MAX_CPUS];
	const char *names[MAX_EVENTS];
	int nev = 0, ncpu, nfd[MAX_EVENTS] = { 0 };
	int i, c, status, rc = 0;
	pid_t pid;

	ncpu = sysconf(_SC_NPROCESSORS_CONF);
	if (ncpu < 1 || ncpu > MAX_CPUS)
		ncpu = MAX_CPUS;
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		struct perf_event_attr attr;
		unsigned long long id;
		char *eq = strchr(argv[i], '=');

		if (!eq || nev == MAX_EVENTS) {
			fprintf(stderr, "usage: mbperf NAME=ID... -- PROG [ARG...]\n");
			return 1;
		}
		*eq = '\0';
		if (parse_id(eq + 1, &id)) {
			fprintf(stderr, "mbperf: bad id %s\n", eq + 1);
			return 1;
		}
		memset(&attr, 0, sizeof(attr));
		attr.type = PERF_TYPE_TRACEPOINT;
		attr.size = sizeof(attr);
		attr.config = id;
		for (c = 0; c < ncpu; c++) {
			long fd = perf_open(&attr, c);

			if (fd < 0 && errno == ENODEV)	/* an offline CPU */
				continue;
			if (fd < 0) {
				fprintf(stderr,
					"mbperf: perf_event_open(%s, id %llu, cpu %d): %s\n",
					argv[i], id, c, strerror(errno));
				return 1;
			}
			fds[nev][nfd[nev]++] = fd;
		}
		if (!nfd[nev]) {
			fprintf(stderr, "mbperf: %s: no CPU\n", argv[i]);
			return 1;
		}
		names[nev++] = argv[i];
	}
	if (i + 1 >= argc || !nev) {
		fprintf(stderr, "usage: mbperf NAME=ID... -- PROG [ARG...]\n");
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("mbperf: fork");
		return 1;
	}
	if (!pid) {
		execvp(argv[i + 1], argv + i + 1);
		fprintf(stderr, "mbperf: %s: %s\n", argv[i + 1], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("mbperf: waitpid");
		return 1;
	}
	for (i = 0; i < nev; i++) {
		unsigned long long sum = 0;

		for (c = 0; c < nfd[i]; c++) {
			uint64_t v;

			if (read(fds[i][c], &v, sizeof(v)) != sizeof(v)) {
				fprintf(stderr, "mbperf: read %s: %s\n", names[i],
					strerror(errno));
				rc = 1;
				continue;
			}
			sum += v;
		}
		printf("%s count %llu\n", names[i], sum);
	}
	if (rc)
		return rc;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
