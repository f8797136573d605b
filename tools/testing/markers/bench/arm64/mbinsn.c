// SPDX-License-Identifier: GPL-2.0
/*
 * mbinsn: count the guest instructions of writes to a file, for the arming
 * measurements of ARCH=arm64 make bench (bench/arm64/guest.sh).
 *
 *	mbinsn FILE TEXT...
 *
 * Opens a counter of PERF_COUNT_HW_INSTRUCTIONS on every CPU, for every
 * task, user and kernel, then opens FILE for appending, writes each TEXT
 * in one write(2) of its own, closes it, and prints "insn <n> writes <n>
 * failed <n>": the instructions every CPU retired from before the open to
 * after the close, whoever ran them (the writer, the RCU and workqueue
 * threads it waits for, interrupts). Under QEMU with -icount shift=0 and
 * one vCPU that is the exact count: an idle vCPU retires nothing while it
 * waits in WFI. Exits 1 if a write failed, 2 if a counter could not open.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_CPUS	64

static int open_counter(int cpu)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_INSTRUCTIONS;
	attr.size = sizeof(attr);
	attr.disabled = 1;
	attr.pinned = 1;
	return syscall(SYS_perf_event_open, &attr, -1, cpu, -1, 0);
}

int main(int argc, char **argv)
{
	int fds[MAX_CPUS], i, fd, ncpus, failed = 0;
	unsigned long long total = 0, v;

	if (argc < 3) {
		fprintf(stderr, "usage: mbinsn FILE TEXT...\n");
		return 2;
	}
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpus < 1 || ncpus > MAX_CPUS) {
		fprintf(stderr, "mbinsn: %d CPUs\n", ncpus);
		return 2;
	}
	for (i = 0; i < ncpus; i++) {
		fds[i] = open_counter(i);
		if (fds[i] < 0) {
			fprintf(stderr, "mbinsn: perf_event_open cpu %d: %s\n",
				i, strerror(errno));
			return 2;
		}
	}
	for (i = 0; i < ncpus; i++)
		ioctl(fds[i], PERF_EVENT_IOC_ENABLE, 0);
	fd = open(argv[1], O_WRONLY | O_APPEND);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	for (i = 2; i < argc; i++) {
		size_t len = strlen(argv[i]);

		if (write(fd, argv[i], len) != (ssize_t)len) {
			if (!failed)
				fprintf(stderr, "mbinsn: %s: %s: %s\n",
					argv[1], argv[i], strerror(errno));
			failed++;
		}
	}
	close(fd);
	for (i = 0; i < ncpus; i++)
		ioctl(fds[i], PERF_EVENT_IOC_DISABLE, 0);
	for (i = 0; i < ncpus; i++) {
		if (read(fds[i], &v, sizeof(v)) != sizeof(v)) {
			fprintf(stderr, "mbinsn: read cpu %d: %s\n", i,
				strerror(errno));
			return 2;
		}
		total += v;
	}
	printf("insn %llu writes %d failed %d\n", total, argc - 2, failed);
	return failed ? 1 : 0;
}
