// SPDX-License-Identifier: GPL-2.0
/*
 * nice: run a command with an adjusted niceness, as coreutils' nice(1).
 *
 *	nice [-n N] CMD [ARG]...	N defaults to 10
 *
 * Debian's busybox-static has no nice applet, and ftracetest's onchange
 * and snapshot inter-event tests (vm/56-ftracetest.sh) run "nice -n 1
 * ping" to change a task's priority. CMD is found in PATH by execvp(), so
 * that it is exec'd by name as on a distribution. Exits 125 if the
 * niceness cannot be changed, 126 or 127 if CMD cannot be run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int inc = 10, first = 1;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		inc = atoi(argv[2]);
		first = 3;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: nice [-n N] command [arg]...\n");
		return 125;
	}
	errno = 0;
	if (nice(inc) == -1 && errno) {
		perror("nice");
		return 125;
	}
	execvp(argv[first], argv + first);
	perror(argv[first]);
	return errno == ENOENT ? 127 : 126;
}
