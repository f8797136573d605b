// SPDX-License-Identifier: GPL-2.0
/*
 * mwrite: write to a file and report the outcome by errno name, for the
 * in-VM tests of the markers debugfs files (busybox's shell only says
 * "write error").
 *
 *	mwrite [-t] [-c CHUNK] FILE TEXT	write TEXT (C escapes: \n \t \xHH)
 *	mwrite [-t] -n N FILE			write N bytes of 'a'
 *
 * -t opens with O_TRUNC; -c splits the data into writes of CHUNK bytes on
 * one open file. Prints "ok" or the errno name of the first failed write
 * (ENOENT, ...), and exits 0 on success, 1 on a failed write, 2 on misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t unescape(const char *in, char *out)
{
	size_t n = 0;

	while (*in) {
		if (in[0] == '\\' && in[1] == 'n') {
			out[n++] = '\n';
			in += 2;
		} else if (in[0] == '\\' && in[1] == 't') {
			out[n++] = '\t';
			in += 2;
		} else if (in[0] == '\\' && in[1] == 'x' && in[2] && in[3]) {
			char hex[3] = { in[2], in[3], 0 };

			out[n++] = (char)strtoul(hex, NULL, 16);
			in += 4;
		} else {
			out[n++] = *in++;
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	size_t len, chunk = 0, off, count = 0;
	int opt, fd, flags = O_WRONLY;
	char *buf;

	while ((opt = getopt(argc, argv, "tc:n:")) != -1) {
		switch (opt) {
		case 't':
			flags |= O_TRUNC;
			break;
		case 'c':
			chunk = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		default:
			return 2;
		}
	}
	if (optind + (count ? 1 : 2) != argc) {
		fprintf(stderr, "usage: mwrite [-t] [-c chunk] file text | -n N file\n");
		return 2;
	}
	if (count) {
		buf = malloc(count);
		memset(buf, 'a', count);
		len = count;
	} else {
		buf = malloc(strlen(argv[optind + 1]) + 1);
		len = unescape(argv[optind + 1], buf);
	}
	fd = open(argv[optind], flags);
	if (fd < 0) {
		printf("open:%s\n", strerrorname_np(errno));
		return 1;
	}
	if (!chunk)
		chunk = len ? len : 1;
	for (off = 0; off < len || (!len && !off); off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;

		if (write(fd, buf + off, n) < 0) {
			printf("%s\n", strerrorname_np(errno));
			return 1;
		}
		if (!len)
			break;
	}
	if (close(fd) < 0) {
		printf("close:%s\n", strerrorname_np(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}
