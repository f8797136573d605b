// SPDX-License-Identifier: GPL-2.0
/*
 * mfailnth: load or unload a module with its N-th slab allocation failed,
 * for the allocation failure tests of vm/50-core.sh.
 *
 *	mfailnth N FILE.ko
 *	mfailnth N --rm NAME
 *	mfailnth N --write FILE TEXT
 *
 * Reads FILE.ko, then writes N to /proc/thread-self/fail-nth (see
 * Documentation/fault-injection/fault-injection.rst) and calls
 * init_module(2) (or delete_module(2) for --rm) at once, so that the count
 * covers the load or the unload only. With --write, FILE is opened first
 * and only the write(2) of TEXT to it is counted. Prints "ok" or the errno name of the
 * failed call, then "injected" if the N-th allocation was reached and
 * failed, or "clean" if the call made fewer than N allocations. Exits 0 if
 * the call succeeded, 1 if not, 2 on misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fail_nth_fd(void)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR);

	if (fd < 0)
		perror("/proc/thread-self/fail-nth");
	return fd;
}

int main(int argc, char **argv)
{
	bool rm = argc == 4 && !strcmp(argv[2], "--rm");
	bool wr = argc == 5 && !strcmp(argv[2], "--write");
	int fd = -1, ffd, err = 0;
	char nth[16] = "";
	struct stat sb;
	size_t len = 0;
	char *buf = NULL;

	if ((argc != 3 && !rm && !wr) || atoi(argv[1]) <= 0) {
		fprintf(stderr, "usage: mfailnth N FILE.ko | N --rm NAME | N --write FILE TEXT\n");
		return 2;
	}
	if (rm)
		goto inject;
	if (wr) {
		fd = open(argv[3], O_WRONLY);
		if (fd < 0) {
			perror(argv[3]);
			return 2;
		}
		goto inject;
	}
	fd = open(argv[2], O_RDONLY);
	if (fd < 0 || fstat(fd, &sb)) {
		perror(argv[2]);
		return 2;
	}
	len = sb.st_size;
	buf = malloc(len);
	if (!buf || read(fd, buf, len) != (ssize_t)len) {
		perror(argv[2]);
		return 2;
	}
	close(fd);
inject:
	ffd = fail_nth_fd();
	if (ffd < 0)
		return 2;
	if (write(ffd, argv[1], strlen(argv[1])) < 0) {
		perror("fail-nth");
		return 2;
	}
	if (wr) {
		if (write(fd, argv[4], strlen(argv[4])) < 0)
			err = errno;
	} else if (rm ? syscall(SYS_delete_module, argv[3], O_NONBLOCK) :
			syscall(SYS_init_module, buf, len, "")) {
		err = errno;
	}
	/* 0 once the fault was injected, the allocations left otherwise */
	if (pread(ffd, nth, sizeof(nth) - 1, 0) < 0) {
		perror("fail-nth");
		return 2;
	}
	if (write(ffd, "0", 1) < 0) {
		perror("fail-nth");
		return 2;
	}
	printf("%s %s\n", err ? (strerrorname_np(err) ?: "E?") : "ok",
	       atoi(nth) ? "clean" : "injected");
	return err ? 1 : 0;
}
