// SPDX-License-Identifier: GPL-2.0
/*
 * mload: load a module under another license, for vm/90-security.sh.
 *
 *	mload FILE.ko LICENSE
 *
 * Reads FILE.ko, replaces the value of its "license=" modinfo entry with
 * LICENSE (which must not be longer than the original; the rest is padded
 * with NUL bytes), and loads the result with init_module(2): what modpost
 * would have refused to link, to check that the kernel's module loader
 * refuses it too. Prints "ok" or the errno name of the failed load; exits
 * 0 if it loaded, 1 if not, 2 on misuse.
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

int main(int argc, char **argv)
{
	static const char key[] = "license=";
	size_t len, old;
	struct stat sb;
	char *buf, *p;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: mload FILE.ko LICENSE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &sb)) {
		perror(argv[1]);
		return 2;
	}
	len = sb.st_size;
	buf = malloc(len + 1);
	if (!buf || read(fd, buf, len) != (ssize_t)len) {
		perror(argv[1]);
		return 2;
	}
	close(fd);
	buf[len] = '\0';
	/* the modinfo entry, not a string that merely contains it */
	for (p = buf; (p = memmem(p, buf + len - p, key, sizeof(key) - 1));
	     p++)
		if (p == buf || p[-1] == '\0')
			break;
	if (!p) {
		fprintf(stderr, "mload: no %s in %s\n", key, argv[1]);
		return 2;
	}
	p += sizeof(key) - 1;
	old = strlen(p);
	if (strlen(argv[2]) > old) {
		fprintf(stderr, "mload: \"%s\" is longer than \"%s\"\n",
			argv[2], p);
		return 2;
	}
	memset(p, 0, old);
	memcpy(p, argv[2], strlen(argv[2]));
	if (syscall(SYS_init_module, buf, len, "")) {
		printf("%s\n", strerrorname_np(errno) ?: "E?");
		return 1;
	}
	printf("ok\n");
	return 0;
}
