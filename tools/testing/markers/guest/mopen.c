// SPDX-License-Identifier: GPL-2.0
/*
 * mopen: report whether files open, for reading and for writing, by errno
 * name; for the root-only and lockdown checks of vm/90-security.sh.
 *
 *	mopen [-u UID] [-d DIR] FILE...
 *
 * Opens DIR (if given) first, then, with -u, drops to uid and gid UID
 * with no supplementary group, then opens each FILE (relative to DIR, or
 * an absolute path) for reading and for writing, without O_TRUNC and
 * without blocking, and closes it at once: it never reads nor writes.
 * Looking FILE up from a DIR opened as root leaves only the permissions of
 * FILE, and of the directories between, to refuse access. Prints one
 * line per file:
 *
 *	FILE read=EACCES write=EACCES	("ok" for an open that worked)
 *
 * Exits 0, or 2 on misuse or if it could not drop its privileges.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *try_open(int dirfd, const char *file, int flags)
{
	int fd = openat(dirfd, file, flags | O_NONBLOCK);

	if (fd < 0)
		return strerrorname_np(errno) ?: "E?";
	close(fd);
	return "ok";
}

int main(int argc, char **argv)
{
	int dirfd = AT_FDCWD, opt;
	const char *r;
	long uid = -1;

	while ((opt = getopt(argc, argv, "u:d:")) != -1) {
		switch (opt) {
		case 'u':
			uid = strtol(optarg, NULL, 10);
			break;
		case 'd':
			dirfd = open(optarg, O_PATH | O_DIRECTORY);
			if (dirfd < 0) {
				perror(optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: mopen [-u uid] [-d dir] file...\n");
			return 2;
		}
	}
	if (uid > 0 && (setgroups(0, NULL) || setgid(uid) || setuid(uid) ||
			getuid() != uid || geteuid() != uid || !setuid(0))) {
		fprintf(stderr, "mopen: cannot drop to uid %ld\n", uid);
		return 2;
	}
	for (; optind < argc; optind++) {
		r = try_open(dirfd, argv[optind], O_RDONLY);
		printf("%s read=%s write=%s\n", argv[optind], r,
		       try_open(dirfd, argv[optind], O_WRONLY));
	}
	return 0;
}
