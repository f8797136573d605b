// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the requests written to set_marker, control and
 * events/<name>/enable, through the write handlers of
 * kernel/marker_probe.c, over a fixed set of marker sites in modules that
 * each input loads and unloads (marker_events_sync()).
 *
 * Input: byte 0 selects the file (and O_TRUNC for set_marker), byte 1
 * the loaded modules, byte 2 the markers enabled before the request,
 * byte 3 whether the registry refuses the batch; the rest is the write.
 *
 * Checked, as Documentation/markers.txt section 4 says: a refused request
 * changes nothing, logs a warning and fails with its errno; an accepted
 * one is one batch of changes that leaves every marker as asked. For
 * set_marker and enable the expected result is computed independently,
 * with lib/glob.c's glob_match().
 */
#include <stdio.h>

#include "kernel/marker_probe.c"
#include "harness.h"

struct fake_site {
	const char *module;
	struct marker_site site;
};

#define SITE(mod, n, fmt, fn, f, l) \
	{ mod, { .name = n, .format = fmt, .function = fn, .file = f, .line = l } }

/* Sites from the documentation and the tests; one format conflict. */
static const struct fake_site sites[] = {
	SITE("vmlinux", "sched_switch", "prev %s next %s", "__schedule",
	     "kernel/sched/core.c", 6601),
	SITE("vmlinux", "net_rx_drop", "dev %s len %u", "netif_rx",
	     "net/core/dev.c", 5010),
	SITE("marker_example", "example_open", "pid %d comm %s",
	     "marker_example_open", "samples/markers/marker-example.c", 33),
	SITE("marker_example", "example_loop", "i %d square %lu",
	     "marker_example_show", "samples/markers/marker-example.c", 25),
	SITE("marker_example", "example_tick", " ", "marker_example_show",
	     "samples/markers/marker-example.c", 22),
	SITE("mt_marked", "mt_fire", "seq %d", "mt_fire_set",
	     "tools/testing/markers/modules/mt_marked.c", 40),
	SITE("mt_marked", "mt_fire", "seq %d", "mt_marked_init",
	     "tools/testing/markers/modules/mt_marked.c", 52),
	SITE("mt_rebuilt", "example_loop", "i %u", "rebuilt_show",
	     "tools/testing/markers/modules/mt_rebuilt.c", 12),
	SITE("mt_rebuilt", "mt_quoted", "a \"quoted\" %s", "rebuilt_show",
	     "tools/testing/markers/modules/mt_rebuilt.c", 14),
};

static const char * const modules[] = {
	"vmlinux", "marker_example", "mt_marked", "mt_rebuilt",
};

static u8 loaded_modules;
static unsigned int batches;
static int fail_batch;

static bool module_loaded(const char *module)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modules); i++)
		if (!strcmp(modules[i], module))
			return loaded_modules & BIT(i);
	return false;
}

/* The registry's walk, over the sites of the loaded modules. */
int markers_walk_sites(int (*fn)(const struct marker_site *site,
				 const char *module, void *data),
		       void *data)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sites); i++) {
		if (!module_loaded(sites[i].module))
			continue;
		ret = fn(&sites[i].site, sites[i].module, data);
		if (ret)
			return ret;
	}
	return 0;
}

struct dentry *markers_debugfs_dir(void)
{
	return NULL;
}

/* The registry: check the batch it is given, and accept or refuse it. */
int marker_probes_change(const struct marker_change *changes, unsigned int nr)
{
	const struct marker_event *event;
	unsigned int i, j;

	batches++;
	fuzz_check(nr > 0, "empty batch");
	for (i = 0; i < nr; i++) {
		event = changes[i].probe.probe_private;
		fuzz_check(changes[i].probe.func == (void *)marker_record,
			   "change %u: not the recorder", i);
		fuzz_check(!strcmp(changes[i].name, event->name) &&
			   !strcmp(changes[i].format, event->format),
			   "change %u: %s", i, changes[i].name);
		fuzz_check(changes[i].connect == !event->enabled,
			   "change %u: %s connects twice or disconnects twice",
			   i, event->name);
		for (j = 0; j < i; j++)
			fuzz_check(strcmp(changes[j].name, changes[i].name),
				   "%s twice in one batch", changes[i].name);
	}
	return fail_batch;
}

#define MAX_EVENTS	16

struct state {
	unsigned int nr;
	struct marker_event *events[MAX_EVENTS];
	bool enabled[MAX_EVENTS];
	bool loaded[MAX_EVENTS];
};

static void snapshot(struct state *s)
{
	struct marker_event *event;

	s->nr = 0;
	list_for_each_entry(event, &marker_events, list) {
		fuzz_check(s->nr < MAX_EVENTS, "too many events");
		fuzz_check(event->want == event->enabled,
			   "%s: want %d, enabled %d outside a request",
			   event->name, event->want, event->enabled);
		s->events[s->nr] = event;
		s->enabled[s->nr] = event->enabled;
		s->loaded[s->nr++] = event->loaded;
	}
}

/* Every request is checked whole first: refused, nothing changes. */
static int expect_set(const struct state *s, char *buf, bool *want)
{
	unsigned int i, matched;
	const char *glob;
	char *token;
	bool enable;

	memcpy(want, s->enabled, sizeof(s->enabled));
	while ((token = strsep(&buf, " \t\n\r\v\f"))) {
		if (!*token)
			continue;
		enable = token[0] != '!';
		glob = enable ? token : token + 1;
		if (!*glob)
			return -EINVAL;
		matched = 0;
		for (i = 0; i < s->nr; i++) {
			/* "!glob" disables markers loaded or not */
			if (!glob_match(glob, s->events[i]->name) ||
			    !(s->loaded[i] || (s->enabled[i] && !enable)))
				continue;
			want[i] = enable;
			matched++;
		}
		if (!matched)
			return -ENOENT;
	}
	return 0;
}

static int expect_enable(const struct state *s, char *buf, unsigned int k,
			 bool *want)
{
	size_t len = strlen(buf);

	/* "exactly 0 or 1, a trailing newline allowed" (white space, in fact) */
	memcpy(want, s->enabled, sizeof(s->enabled));
	while (len && isspace(buf[len - 1]))
		buf[--len] = '\0';
	if (strcmp(buf, "0") && strcmp(buf, "1"))
		return -EINVAL;
	if (!s->loaded[k])
		return -ENODEV;
	want[k] = buf[0] == '1';
	return 0;
}

/* What marker_copy_request() refuses before looking at the request. */
static int expect_copy(const u8 *data, size_t size)
{
	size_t i;

	if (size > MARKER_WRITE_MAX)
		return -E2BIG;
	for (i = 0; i < size; i++)
		if (!isprint(data[i]) && !isspace(data[i]))
			return -EINVAL;
	return 0;
}

static void set_initial(u8 mask)
{
	struct marker_event *event;
	unsigned int i = 0;

	mutex_lock(&marker_events_mutex);
	list_for_each_entry(event, &marker_events, list)
		event->want = event->loaded && (mask & BIT(i++ % 8));
	fail_batch = 0;
	fuzz_check(!marker_events_apply(), "initial state refused");
	mutex_unlock(&marker_events_mutex);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_input in = { data, size };
	u8 file_sel = fuzz_u8(&in), mods = fuzz_u8(&in);
	u8 initial = fuzz_u8(&in), fail = fuzz_u8(&in);
	struct inode inode = { NULL };
	struct file file = { .f_mode = FMODE_WRITE, .f_inode = &inode };
	struct state before, after;
	bool want[MAX_EVENTS], checked = true;
	unsigned long warnings;
	unsigned int i, k = 0;
	ssize_t ret;
	loff_t pos = 0;
	char *copy;
	int exp;

	/* Modules come and go (events created, retired, freed). */
	loaded_modules = mods;
	marker_events_sync();
	set_initial(initial);
	snapshot(&before);
	fail_batch = fail & 1 ? -ENOMEM : 0;
	batches = 0;
	warnings = kshim_warnings;

	exp = expect_copy(in.data, in.size);
	copy = strndup((const char *)in.data, in.size);
	switch (file_sel % 4) {
	case 0:
		if (!exp)
			exp = expect_set(&before, copy, want);
		ret = marker_set_write(&file, (const char *)in.data, in.size, &pos);
		break;
	case 1:
		/* O_TRUNC: everything off first, then the request. */
		file.f_flags = O_TRUNC;
		ret = marker_set_open(&inode, &file);
		exp = 0;
		for (i = 0; i < before.nr; i++)
			if (before.enabled[i])
				exp = fail_batch;
		fuzz_check(ret == exp, "open: %zd, expected %d", ret, exp);
		if (ret)
			goto out;
		batches = 0;
		snapshot(&before);
		exp = expect_copy(in.data, in.size);
		if (!exp)
			exp = expect_set(&before, copy, want);
		ret = marker_set_write(&file, (const char *)in.data, in.size, &pos);
		break;
	case 2:
		if (!before.nr)
			goto out;
		k = fuzz_u8(&in) % before.nr;
		/* the data byte read above is not part of the write */
		exp = expect_copy(in.data, in.size);
		free(copy);
		copy = strndup((const char *)in.data, in.size);
		if (!exp)
			exp = expect_enable(&before, copy, k, want);
		inode.i_private = before.events[k];
		ret = marker_enable_write(&file, (const char *)in.data, in.size,
					  &pos);
		break;
	default:
		/* control: no independent model, only the rules of requests */
		checked = false;
		ret = marker_control_write(&file, (const char *)in.data, in.size,
					   &pos);
		break;
	}

	snapshot(&after);
	fuzz_check(after.nr == before.nr, "events changed by a request");
	if (checked && !exp) {
		bool change = false;

		for (i = 0; i < before.nr; i++)
			change |= want[i] != before.enabled[i];
		/* The batch of an accepted request can still be refused. */
		if (change && fail_batch)
			exp = fail_batch;
	}
	if (checked)
		fuzz_check(ret == (exp ?: (ssize_t)in.size),
			   "returned %zd, expected %d", ret, exp);
	else
		fuzz_check(ret == (ssize_t)in.size || ret == -E2BIG ||
			   ret == -EINVAL || ret == -ENOENT ||
			   (ret == fail_batch && fail_batch),
			   "returned %zd", ret);
	fuzz_check(batches <= 1, "%u batches for one request", batches);
	for (i = 0; i < after.nr; i++) {
		fuzz_check(after.events[i] == before.events[i],
			   "events reordered");
		if (ret < 0)
			fuzz_check(after.enabled[i] == before.enabled[i],
				   "%s changed by a refused request",
				   after.events[i]->name);
		else if (checked)
			fuzz_check(after.enabled[i] == want[i],
				   "%s: enabled %d, expected %d",
				   after.events[i]->name, after.enabled[i],
				   want[i]);
	}
	/* A refusal says why; a batch refused by the registry is its own. */
	if (ret < 0 && ret != fail_batch)
		fuzz_check(kshim_warnings > warnings, "refused (%zd) silently",
			   ret);
out:
	free(copy);
	return 0;
}
