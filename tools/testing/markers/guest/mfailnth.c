// SPDX-License-Identifier: GPL-2.0
/*
 * mfailnth: load a module with its N-th slab allocation failed, for the
 * allocation failure tests of vm/50-core.sh.
 *
 *	mfailnth N FILE.ko
 *
 * Reads FILE.ko, then writes N to /proc/thread-self/fail-nth (see
 * Documentation/fault-injection/fault-injection.rst) and calls
 * init_module(2) at once, so that the count covers the load only. Prints
 * "ok" or the errno name of the failed load, then "injected" if the N-th
 * allocation was reached and failed, or "clean" if the load made fewer
 * than N allocations. Exits 0 if the module loaded, 1 if not, 2 on misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
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
	char nth[16] = "";
	int fd, ffd, err = 0;
	struct stat sb;
	size_t len;
	char *buf;

	if (argc != 3 || atoi(argv[1]) <= 0) {
		fprintf(stderr, "usage: mfailnth N FILE.ko\n");
		return 2;
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
	ffd = fail_nth_fd();
	if (ffd < 0)
		return 2;
	if (write(ffd, argv[1], strlen(argv[1])) < 0) {
		perror("fail-nth");
		return 2;
	}
	if (syscall(SYS_init_module, buf, len, ""))
		err = errno;
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
