// SPDX-License-Identifier: GPL-2.0
/*
 * mseek: open a file the ways a buffered writer, a shell redirection or a
 * second process does, and report what each system call did, by errno
 * name; for vm/20-debugfs.sh and vm/50-trace-events.sh. Every file of the
 * markers (debugfs and tracefs) must survive them: no oops, and each call
 * succeeds or fails with a plain errno.
 *
 *	mseek [-n COUNT] MODE FILE [TEXT [TEXT2]]
 *
 * MODE:
 *   wrseek  open(O_WRONLY); lseek() to 0, to 1 (SEEK_SET), by +1
 *           (SEEK_CUR), to the end (SEEK_END) and back to 0; read() (on a
 *           write-only descriptor); write(TEXT); lseek(0) again
 *   rdwr    open(O_RDWR); read() 16 bytes; lseek(0); write(TEXT);
 *           lseek(0); read() to the end
 *   trunc   open(O_WRONLY | O_TRUNC); write(TEXT); lseek(0)
 *   append  open(O_WRONLY | O_APPEND); write(TEXT); lseek(0); write(TEXT2
 *           or TEXT); then open(O_RDWR | O_APPEND); read(); write(TEXT)
 *   race    a child writes TEXT and TEXT2 (if given) in turn COUNT times
 *           (default 200), on one descriptor kept open and on fresh ones,
 *           while the parent reads the file to its end COUNT times, on one
 *           descriptor (lseek(0) between) and on fresh ones
 *
 * TEXT takes the C escapes \n \t \xHH. Every open is O_NONBLOCK. Prints
 * one line: MODE, then "call=result" per call, the result being "ok" (a
 * whole write), a byte count or an offset, or the errno name, e.g.
 *
 *	wrseek open=ok seek0=0 seek1=1 cur=2 end=0 back=0 read=EBADF write=ok
 *
 * race prints its counts and the errno names seen, e.g.
 *
 *	race writes=400 written=400 werr=- reads=400 read=400 rerr=-
 *
 * Exits 0 when every call returned with success or a named errno, 1 if
 * one failed with an errno that has no name or the child was killed, 2 on
 * misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int unnamed;	/* an errno without a name was seen */

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

static const char *errname(int e)
{
	const char *s = strerrorname_np(e);

	if (!s) {
		unnamed = 1;
		return "E?";
	}
	return s;
}

/* Print " what=result" for a call that returned @ret (< 0: errno). */
static void report(const char *what, long ret, long whole)
{
	if (ret < 0)
		printf(" %s=%s", what, errname(errno));
	else if (whole >= 0 && ret == whole)
		printf(" %s=ok", what);
	else
		printf(" %s=%ld", what, ret);
}

static int do_open(const char *path, int flags)
{
	int fd = open(path, flags | O_NONBLOCK);

	report("open", fd < 0 ? -1 : 0, 0);
	return fd;
}

static void do_seek(const char *what, int fd, off_t off, int whence)
{
	report(what, lseek(fd, off, whence), -1);
}

static void do_write(int fd, const char *buf, size_t len)
{
	report("write", write(fd, buf, len), len);
}

/* Read up to @max bytes (0: to the end); print the byte count. */
static void do_read(int fd, size_t max)
{
	char buf[4096];
	size_t total = 0;
	ssize_t n;

	do {
		n = read(fd, buf, max && max < sizeof(buf) ? max : sizeof(buf));
		if (n > 0)
			total += n;
	} while (n > 0 && (!max || total < max));
	if (n < 0 && !total)
		report("read", -1, -1);
	else
		report("read", total, -1);
}

/* Read @fd to its end; 0, or the errno of a failed read(). */
static int drain(int fd)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	return n < 0 ? errno : 0;
}

/* Remember the first few distinct errno names of a kind of call. */
struct errs {
	char names[128];
};

static void note(struct errs *e, int err)
{
	const char *s = errname(err);
	size_t len = strlen(e->names);

	if (strstr(e->names, s) || len + strlen(s) + 2 > sizeof(e->names))
		return;
	snprintf(e->names + len, sizeof(e->names) - len, "%s%s",
		 len ? "," : "", s);
}

static int run_race(const char *path, const char *t1, size_t l1,
		    const char *t2, size_t l2, int count)
{
	int i, fd, kept, err, status, reads = 0, read_ok = 0;
	int fds[2], writes = 0, written = 0;
	char buf[256];
	ssize_t n;
	struct errs werr = { "" }, rerr = { "" };
	const char *t;
	size_t l;
	pid_t pid;

	if (pipe(fds))
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (!pid) {
		close(fds[0]);
		kept = open(path, O_WRONLY | O_NONBLOCK);
		for (i = 0; i < count; i++) {
			t = (i & 1) && t2 ? t2 : t1;
			l = (i & 1) && t2 ? l2 : l1;
			fd = i % 2 && kept >= 0 ? kept :
			     open(path, O_WRONLY | O_NONBLOCK);
			writes++;
			if (fd < 0) {
				note(&werr, errno);
				continue;
			}
			if (write(fd, t, l) == (ssize_t)l)
				written++;
			else
				note(&werr, errno);
			if (fd != kept)
				close(fd);
		}
		dprintf(fds[1], "writes=%d written=%d werr=%s", writes,
			written, werr.names[0] ? werr.names : "-");
		exit(unnamed);
	}
	close(fds[1]);
	kept = open(path, O_RDONLY | O_NONBLOCK);
	for (i = 0; i < count; i++) {
		reads++;
		if (i % 2 && kept >= 0) {
			lseek(kept, 0, SEEK_SET);
			err = drain(kept);
		} else {
			fd = open(path, O_RDONLY | O_NONBLOCK);
			if (fd < 0) {
				note(&rerr, errno);
				continue;
			}
			err = drain(fd);
			close(fd);
		}
		if (err)
			note(&rerr, err);
		else
			read_ok++;
	}
	if (kept >= 0)
		close(kept);
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	n = read(fds[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("race %s reads=%d read=%d rerr=%s\n", buf, reads, read_ok,
	       rerr.names[0] ? rerr.names : "-");
	if (!WIFEXITED(status)) {
		printf("# mseek: the writer ended with status %#x\n", status);
		return 1;
	}
	return WEXITSTATUS(status) || unnamed;
}

int main(int argc, char **argv)
{
	char *t1 = NULL, *t2 = NULL;
	size_t l1 = 0, l2 = 0;
	const char *mode, *path;
	int opt, fd, count = 200;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n')
			goto usage;
		count = atoi(optarg);
	}
	if (argc - optind < 2 || argc - optind > 4 || count < 1)
		goto usage;
	mode = argv[optind];
	path = argv[optind + 1];
	if (argc - optind > 2) {
		t1 = malloc(strlen(argv[optind + 2]) + 1);
		l1 = unescape(argv[optind + 2], t1);
	} else {
		t1 = "";
	}
	if (argc - optind > 3) {
		t2 = malloc(strlen(argv[optind + 3]) + 1);
		l2 = unescape(argv[optind + 3], t2);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "race"))
		return run_race(path, t1, l1, t2, l2, count);
	if (strcmp(mode, "wrseek") && strcmp(mode, "rdwr") &&
	    strcmp(mode, "trunc") && strcmp(mode, "append"))
		goto usage;

	printf("%s", mode);
	if (!strcmp(mode, "wrseek")) {
		fd = do_open(path, O_WRONLY);
		if (fd >= 0) {
			do_seek("seek0", fd, 0, SEEK_SET);
			do_seek("seek1", fd, 1, SEEK_SET);
			do_seek("cur", fd, 1, SEEK_CUR);
			do_seek("end", fd, 0, SEEK_END);
			do_seek("back", fd, 0, SEEK_SET);
			do_read(fd, 16);
			do_write(fd, t1, l1);
			do_seek("seek0", fd, 0, SEEK_SET);
			close(fd);
		}
	} else if (!strcmp(mode, "rdwr")) {
		fd = do_open(path, O_RDWR);
		if (fd >= 0) {
			do_read(fd, 16);
			do_seek("seek0", fd, 0, SEEK_SET);
			do_write(fd, t1, l1);
			do_seek("seek0", fd, 0, SEEK_SET);
			do_read(fd, 0);
			close(fd);
		}
	} else if (!strcmp(mode, "trunc")) {
		fd = do_open(path, O_WRONLY | O_TRUNC);
		if (fd >= 0) {
			do_write(fd, t1, l1);
			do_seek("seek0", fd, 0, SEEK_SET);
			close(fd);
		}
	} else {
		fd = do_open(path, O_WRONLY | O_APPEND);
		if (fd >= 0) {
			do_write(fd, t1, l1);
			do_seek("seek0", fd, 0, SEEK_SET);
			if (t2)
				do_write(fd, t2, l2);
			else
				do_write(fd, t1, l1);
			close(fd);
		}
		fd = do_open(path, O_RDWR | O_APPEND);
		if (fd >= 0) {
			do_read(fd, 0);
			do_write(fd, t1, l1);
			close(fd);
		}
	}
	printf("\n");
	return unnamed;
usage:
	fprintf(stderr, "usage: mseek [-n count] wrseek|rdwr|trunc|append|race\n"
		"             file [text [text2]]\n");
	return 2;
}
