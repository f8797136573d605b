// SPDX-License-Identifier: GPL-2.0
/*
 * mbtime: time writes to a file, for make bench's arming measurements in
 * the guest (busybox has no sub-second clock).
 *
 *	mbtime FILE TEXT...
 *
 * Opens FILE for appending, writes each TEXT in one write(2) of its own,
 * and prints "ns <elapsed> cal <n> writes <n> failed <n>": the monotonic
 * time from before the open to after the close, and how much the CAL line
 * of /proc/interrupts (function-call IPIs, summed over the CPUs) grew
 * meanwhile. Exits 1 if a write failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long cal_ipis(void)
{
	unsigned long long sum = 0;
	char line[4096], *p, *end;
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		p = line + strspn(line, " ");
		if (strncmp(p, "CAL:", 4))
			continue;
		p += 4;
		for (;;) {
			unsigned long long v = strtoull(p, &end, 10);

			if (end == p)
				break;
			sum += v;
			p = end;
		}
		break;
	}
	fclose(f);
	return sum;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long long t0, t1, c0, c1;
	int i, fd, failed = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: mbtime FILE TEXT...\n");
		return 2;
	}
	c0 = cal_ipis();
	t0 = now_ns();
	fd = open(argv[1], O_WRONLY | O_APPEND);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	for (i = 2; i < argc; i++) {
		size_t len = strlen(argv[i]);

		if (write(fd, argv[i], len) != (ssize_t)len) {
			if (!failed)
				fprintf(stderr, "mbtime: %s: %s: %s\n",
					argv[1], argv[i], strerror(errno));
			failed++;
		}
	}
	close(fd);
	t1 = now_ns();
	c1 = cal_ipis();
	printf("ns %llu cal %llu writes %d failed %d\n", t1 - t0, c1 - c0,
	       argc - 2, failed);
	return failed ? 1 : 0;
}
