// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the requests written to set_marker and control, through
 * the write handlers of kernel/trace/trace_markers_control.c,
 * over a fake of kernel/trace/trace_markers.c: the events of a fixed set
 * of marker sites in modules that each input loads (markers_walk_sites()),
 * events kept after their module went (enabled or not), an event enable
 * that can be told to fail, and the registry's batch, whose end connects
 * and disconnects the events as their net change says.
 *
 * Input: byte 0 selects the file and the mode (set_marker, set_marker
 * opened with O_TRUNC, control, control from a grammar), byte 1 the
 * loaded modules, byte 2 the kept events, byte 3 the events enabled
 * before the request, byte 4 which enable fails, if one does, and with
 * what; the rest is the write (or, for the grammar, what builds it).
 *
 * Checked, as Documentation/markers.txt ("The markers directory of
 * debugfs") says: a refused write changes nothing (no event enabled
 * before is disabled even for a while, every one enabled for it is
 * disabled again), fails
 * with its errno (E2BIG over 4096 bytes, EINVAL for a binary byte, "!"
 * alone or a malformed query, ENOENT for a token or query that matches
 * no loaded marker, else what the enable failed with) and says why; an
 * accepted one returns the count and enables, then disables, each event
 * once at most, leaving each as the request asks. For set_marker and for
 * the grammar's queries the result is computed independently (globs with
 * lib/glob.c); for any control write the rules above are checked. After
 * every request, reading set_marker and control must list the state.
 *
 * FUZZ_REQUESTS_SHOW=1 prints each request and its result.
 */
#include <stdio.h>

#include "kernel/trace/trace_markers_control.c"
#include "kernel/trace/trace_markers_pending.c"
#include "harness.h"

/* The fake events ------------------------------------------------------- */

struct fake_site {
	const char *module;
	struct marker_site site;
};

#define SITE(mod, n, fmt, fn, f, l, args) \
	{ mod, { .name = n, .format = fmt, .function = fn, .file = f, \
		 .line = l, .nargs = args } }

/* Sites from the documentation and the tests; one format conflict. */
static const struct fake_site sites[] = {
	SITE("vmlinux", "sched_switch", "prev %s next %s", "__schedule",
	     "kernel/sched/core.c", 6601, 2),
	SITE("vmlinux", "net_rx_drop", "dev %s len %u", "netif_rx",
	     "net/core/dev.c", 5010, 2),
	SITE("marker_example", "example_open", "pid %d comm %s",
	     "marker_example_open", "samples/markers/marker-example.c", 33, 2),
	SITE("marker_example", "example_loop", "i %d square %lu",
	     "marker_example_show", "samples/markers/marker-example.c", 25, 2),
	SITE("marker_example", "example_tick", " ", "marker_example_show",
	     "samples/markers/marker-example.c", 22, 0),
	SITE("mt_marked", "mt_fire", "seq %d", "mt_fire_set",
	     "tools/testing/markers/modules/mt_marked.c", 40, 1),
	SITE("mt_marked", "mt_fire", "seq %d", "mt_marked_init",
	     "tools/testing/markers/modules/mt_marked.c", 52, 1),
	SITE("mt_rebuilt", "example_loop", "i %u", "rebuilt_show",
	     "tools/testing/markers/modules/mt_rebuilt.c", 12, 1),
	SITE("mt_rebuilt", "mt_quoted", "a \"quoted\" %s", "rebuilt_show",
	     "tools/testing/markers/modules/mt_rebuilt.c", 14, 1),
};

static const char * const modules[] = {
	"vmlinux", "marker_example", "mt_marked", "mt_rebuilt",
};

/* Events that may be kept from modules gone (recorded since). */
static const struct {
	const char *name, *format;
} kept[] = {
	{ "example_open", "pid %d comm %s" },
	{ "example_loop", "i %d square %lu" },
	{ "mt_fire", "seq %d" },
	{ "old_marker", "x %d" },
	{ "mt_quoted", "a \"quoted\" %s" },
	{ "example_loop", "i %u" },
};

#define MAX_EVENTS	16

/*
 * An event: @enabled is its state in the top-level buffer (what ftrace
 * says), @connected whether its probe is connected to the marker; in a
 * batch the connections and disconnections wait for the flush.
 */
struct fake_event {
	struct marker_event ev;
	struct marker_fields *mf;
	bool enabled;
	bool connected;
	bool was_connected;		/* before the request */
	unsigned int changes;		/* connections and disconnections */
	bool lost;			/* was_connected, disconnected a while */
};

/* Where the fake fails: the N-th enable, or nowhere. */
enum { FAIL_NONE, FAIL_ENABLE };

static LIST_HEAD(marker_events);
static struct fake_event *events[MAX_EVENTS];
static unsigned int nr_events;
static u8 loaded_modules;
static int locked;
static int fail_what, fail_at, fail_errno;
static int fail_planned;		/* fail_what at the request's start */
static unsigned int enable_calls;

/*
 * The registry's batch: each change is made at once, and the sites follow
 * at the end, so that what the text does is the net change of the batch.
 */
static struct {
	unsigned int depth;
	bool pending[MAX_EVENTS];
} batch;

static struct fake_event *fake(struct marker_event *ev)
{
	return container_of(ev, struct fake_event, ev);
}

static bool site_loaded(const struct fake_site *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modules); i++)
		if (!strcmp(modules[i], s->module))
			return loaded_modules & BIT(i);
	return false;
}

/* The lock of the events: its lock and unlock check who holds it. */
struct mutex event_mutex;

void mutex_lock(struct mutex *lock)
{
	fuzz_check(lock == &event_mutex, "%s: not event_mutex", __func__);
	fuzz_check(!locked, "%s: taken twice", __func__);
	locked++;
}

void mutex_unlock(struct mutex *lock)
{
	fuzz_check(lock == &event_mutex, "%s: not event_mutex", __func__);
	fuzz_check(locked == 1, "%s: not locked", __func__);
	locked--;
}

struct marker_event *marker_event_next(struct marker_event *ev)
{
	struct list_head *next = ev ? ev->list.next : marker_events.next;

	fuzz_check(locked, "%s: unlocked", __func__);
	if (next == &marker_events)
		return NULL;
	return list_entry(next, struct marker_event, list);
}

struct marker_event *marker_event_find(const char *name)
{
	unsigned int i;

	fuzz_check(locked, "%s: unlocked", __func__);
	for (i = 0; i < nr_events; i++)
		if (!strcmp(events[i]->ev.name, name))
			return &events[i]->ev;
	return NULL;
}

/* One trace instance here: the requests act on the NULL one. */
bool marker_event_enabled(struct trace_array *tr, struct marker_event *ev)
{
	fuzz_check(!tr, "%s: an instance", __func__);
	fuzz_check(locked, "%s: unlocked", __func__);
	return fake(ev)->enabled;
}

static void set_connected(struct fake_event *f, bool on)
{
	f->connected = on;
	f->changes++;
	f->lost |= !on && f->was_connected;
}

static int event_index(const struct fake_event *f);

void markers_batch_begin(void)
{
	fuzz_check(locked, "batch begun unlocked");
	batch.depth++;
}

/* The end patches the sites: each event's connection is its net change. */
void markers_batch_end(void)
{
	unsigned int i;

	fuzz_check(locked && batch.depth, "batch ended out of a batch");
	if (--batch.depth)
		return;
	for (i = 0; i < nr_events; i++) {
		if (batch.pending[i] && events[i]->connected != events[i]->enabled)
			set_connected(events[i], events[i]->enabled);
		batch.pending[i] = false;
	}
}

bool marker_events_module_loaded(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modules); i++)
		if (!strcmp(modules[i], name))
			return loaded_modules & BIT(i);
	return false;
}

bool marker_event_soft_mode(struct trace_array *tr, struct marker_event *ev)
{
	fuzz_check(locked, "%s: unlocked", __func__);
	return false;
}

int marker_event_enable(struct trace_array *tr, struct marker_event *ev,
			bool enable)
{
	struct fake_event *f = fake(ev);

	fuzz_check(locked, "%s: unlocked", __func__);
	fuzz_check(f->enabled != enable, "%s: %s again", ev->name,
		   enable ? "enabled" : "disabled");
	if (enable && fail_what == FAIL_ENABLE && enable_calls++ == fail_at)
		return fail_errno;
	f->enabled = enable;
	if (batch.depth && event_index(f) >= 0)
		batch.pending[event_index(f)] = true;
	else
		set_connected(f, enable);
	return 0;
}

/* The registry's walk, over the sites of the loaded modules. */
int markers_walk_sites(int (*fn)(const struct marker_site *site,
				 const char *module, void *data),
		       void *data)
{
	unsigned int i;
	int ret;

	fuzz_check(locked, "sites walked without the events' lock");
	for (i = 0; i < ARRAY_SIZE(sites); i++) {
		if (!site_loaded(&sites[i]))
			continue;
		ret = fn(&sites[i].site, sites[i].module, data);
		if (ret)
			return ret;
	}
	return 0;
}

static struct fake_event *event_new(const char *name, const char *format)
{
	struct fake_event *f = calloc(1, sizeof(*f));

	fuzz_check(nr_events < MAX_EVENTS, "too many events");
	f->mf = calloc(1, sizeof(*f->mf));
	f->mf->format = format;
	f->ev.name = (char *)name;
	f->ev.fields = f->mf;
	/* the event's type, unique as the kernel's are */
	f->ev.call.event.type = nr_events + 1;
	/* until a loaded site says otherwise */
	f->ev.state = MARKER_EVENT_GONE;
	list_add_tail(&f->ev.list, &marker_events);
	events[nr_events++] = f;
	return f;
}

/* What trace_markers.c would have after these loads and unloads. */
static void events_make(u8 mods, u8 kept_mask, u8 enabled)
{
	struct fake_event *f;
	unsigned int i, j;

	loaded_modules = mods;
	locked = 1;
	for (i = 0; i < ARRAY_SIZE(kept); i++) {
		if (!(kept_mask & BIT(i)) || marker_event_find(kept[i].name))
			continue;
		f = event_new(kept[i].name, kept[i].format);
		f->ev.recorded = true;
	}
	for (i = 0; i < ARRAY_SIZE(sites); i++) {
		const struct marker_site *s = &sites[i].site;

		if (!site_loaded(&sites[i]))
			continue;
		if (marker_event_find(s->name))
			f = fake(marker_event_find(s->name));
		else
			f = event_new(s->name, s->format);
		if (!strcmp(f->mf->format, s->format))
			f->ev.state = MARKER_EVENT_LIVE;
		else if (f->ev.state != MARKER_EVENT_LIVE)
			f->ev.state = MARKER_EVENT_STALE;
	}
	locked = 0;
	for (j = 0; j < nr_events; j++) {
		f = events[j];
		f->enabled = enabled & BIT(j % 8);
		f->connected = f->enabled;
	}
	/*
	 * An event whose name came back with another format stays only if
	 * it is in use; else one of the new format replaces it.
	 */
	for (j = 0; j < nr_events;) {
		f = events[j];
		if (f->ev.state != MARKER_EVENT_STALE || f->enabled) {
			j++;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(sites); i++)
			if (site_loaded(&sites[i]) &&
			    !strcmp(sites[i].site.name, f->ev.name))
				break;
		f->mf->format = sites[i].site.format;
		f->ev.state = MARKER_EVENT_LIVE;
		f->ev.recorded = false;
		/* at the end of the list, as a new event */
		list_del(&f->ev.list);
		list_add_tail(&f->ev.list, &marker_events);
		memmove(&events[j], &events[j + 1],
			(nr_events - j - 1) * sizeof(*events));
		events[nr_events - 1] = f;
	}
}

static void events_free(void)
{
	unsigned int i;

	for (i = 0; i < nr_events; i++) {
		list_del(&events[i]->ev.list);
		free(events[i]->mf);
		free(events[i]);
	}
	nr_events = 0;
}

/* The event recording a site: same name, same format. */
static struct fake_event *site_event(const struct marker_site *s)
{
	unsigned int i;

	for (i = 0; i < nr_events; i++)
		if (!strcmp(events[i]->ev.name, s->name))
			return strcmp(events[i]->mf->format, s->format) ?
			       NULL : events[i];
	return NULL;
}

/* Read a listing whole, as the files' seq_file shows it. */
static size_t read_all(int (*show)(struct seq_file *m, struct trace_array *tr),
		       char *buf, size_t size)
{
	struct seq_file m = { .buf = buf, .size = size };

	fuzz_check(!show(&m, NULL), "show");
	fuzz_check(m.count < m.size, "listing overflowed");
	buf[m.count] = '\0';
	return m.count;
}

/*
 * Drop the lines of requests waiting for a module (which the model does
 * not follow) from a listing.
 */
static void drop_lines(char *buf, const char *mark)
{
	char *line = buf, *end, *out = buf;

	for (; *line; line = end) {
		end = strchrnul(line, '\n');
		if (*end)
			end++;
		if (!memmem(line, end - line, mark, strlen(mark))) {
			memmove(out, line, end - line);
			out += end - line;
		}
	}
	*out = '\0';
}

/* set_marker lists the enabled events, control every loaded site. */
static void check_listings(void)
{
	static char out[8192], expect[8192];
	unsigned int i;
	size_t n = 0;

	expect[0] = '\0';
	for (i = 0; i < nr_events; i++)
		if (events[i]->enabled)
			n += sprintf(expect + n, "%s\n", events[i]->ev.name);
	read_all(marker_set_show, out, sizeof(out));
	drop_lines(out, ":mod:");
	fuzz_check(!strcmp(out, expect), "set_marker lists\n%sexpected\n%s",
		   out, expect);

	n = sprintf(expect, "# file:line [module]function name =flags \"format\"\n");
	for (i = 0; i < ARRAY_SIZE(sites); i++) {
		const struct marker_site *s = &sites[i].site;
		struct fake_event *f = site_event(s);

		if (!site_loaded(&sites[i]))
			continue;
		n += sprintf(expect + n, "%s:%u [%s]%s %s =%c \"%s\"\n", s->file,
			     s->line, sites[i].module, s->function, s->name,
			     f && f->enabled ? 'r' : '_', s->format);
	}
	read_all(marker_control_show, out, sizeof(out));
	drop_lines(out, "# waiting for ");
	fuzz_check(!strcmp(out, expect), "control lists\n%sexpected\n%s",
		   out, expect);
}

/* The models ------------------------------------------------------------ */

/* What the kernel's log should say of a refused write, if anything. */
static char expected_warning[512];

struct state {
	bool enabled[MAX_EVENTS];
};

static void snapshot(struct state *s)
{
	unsigned int i;

	for (i = 0; i < nr_events; i++)
		s->enabled[i] = events[i]->enabled;
}

/* What marker_copy_request() refuses before looking at the request. */
static int expect_copy(const u8 *data, size_t size)
{
	size_t i;

	if (size > 4096)
		return -E2BIG;
	for (i = 0; i < size; i++)
		if (!isprint(data[i]) && !isspace(data[i]))
			return -EINVAL;
	return 0;
}

static int event_index(const struct fake_event *f)
{
	unsigned int i;

	for (i = 0; i < nr_events; i++)
		if (events[i] == f)
			return i;
	return -1;
}

/*
 * GLOB:mod:MODULE: the events of MODULE's loaded sites that GLOB selects;
 * a request that waits if MODULE is not loaded; with '!', nothing waiting
 * for an unloaded module is an error (each input starts with none).
 */
static int expect_set_module(char *glob, char *mod, bool enable, bool *want)
{
	char *module = mod + 5, *p;
	unsigned int j, matched = 0;

	*mod = '\0';
	if (!*module || strchr(module, ':'))
		return -EINVAL;
	for (p = strchr(module, '-'); p; p = strchr(p + 1, '-'))
		*p = '_';
	if (!marker_events_module_loaded(module)) {
		if (enable)
			return 0;
		snprintf(expected_warning, sizeof(expected_warning),
			 "set_marker: \"%s:mod:%s\": the module is not loaded",
			 glob, module);
		return -ENOENT;
	}
	for (j = 0; j < ARRAY_SIZE(sites); j++) {
		struct fake_event *f = site_event(&sites[j].site);

		if (!f || !site_loaded(&sites[j]) ||
		    strcmp(sites[j].module, module) ||
		    !glob_match(*glob ? glob : "*", sites[j].site.name))
			continue;
		want[event_index(f)] = enable;
		matched++;
	}
	if (matched)
		return 0;
	snprintf(expected_warning, sizeof(expected_warning),
		 "set_marker: \"%s:mod:%s\" matches no marker of that module",
		 glob, module);
	return -ENOENT;
}

/* set_marker: names or globs to enable, !globs to disable, in order. */
static int expect_set(char *buf, bool *want)
{
	unsigned int i, matched;
	char *token, *glob, *mod;
	bool enable;
	int ret;

	while ((token = strsep(&buf, " \t\n\r\v\f"))) {
		if (!*token)
			continue;
		enable = token[0] != '!';
		glob = enable ? token : token + 1;
		if (!*glob)
			return -EINVAL;
		mod = strstr(glob, ":mod:");
		if (mod) {
			ret = expect_set_module(glob, mod, enable, want);
			if (ret)
				return ret;
			continue;
		}
		matched = 0;
		for (i = 0; i < nr_events; i++) {
			struct fake_event *f = events[i];

			/* "!glob" also disables what is kept enabled */
			if (!glob_match(glob, f->ev.name) ||
			    !(f->ev.state == MARKER_EVENT_LIVE ||
			      (!enable && f->enabled)))
				continue;
			want[i] = enable;
			matched++;
		}
		if (!matched) {
			snprintf(expected_warning, sizeof(expected_warning),
				 "set_marker: \"%s\" matches no loaded%s marker",
				 glob, enable ? "" : " or enabled");
			return -ENOENT;
		}
	}
	return 0;
}

#define swap(a, b) \
	do { __typeof__(a) __t = (a); (a) = (b); (b) = __t; } while (0)

/* The grammar of control: queries made whole, with what they select. */
static const char * const g_modules[] = {
	"vmlinux", "marker_example", "mt_*", "*", "nosuch", "mt_rebuilt",
	"mt_marked", "marker_?xample",
};

static const char * const g_files[] = {
	"samples/markers/marker-example.c", "marker-example.c", "*.c",
	"samples/*", "kernel/sched/core.c", "core.c", "mt_*.c", "nosuch.c",
	"tools/testing/markers/modules/mt_marked.c", "*",
};

static const char * const g_lines[] = {
	"25", "33", "22", "40", "52", "12", "6601", "5010", "1",
};

static const char * const g_bad_lines[] = { "0", "x", "", "5-2", "3x", "99999999999" };

static const char * const g_funcs[] = {
	"marker_example_show", "marker_example_*", "*show", "__schedule",
	"mt_fire_set", "*", "nosuch", "rebuilt_show",
};

static const char * const g_names[] = {
	"example_loop", "example_*", "mt_fire", "*", "mt_?uoted", "nosuch",
	"sched_switch", "net_rx_drop", "example_tick", "[em]*",
};

static const char * const g_formats[] = {
	"%d", "comm", "i %", "pid %d comm %s", "seq", " ", "%lu", "quoted",
	"nosuch", "%s", "x",
};

static const char * const g_spaces[] = { " ", "  ", "\t", " \t " };
static const char * const keys[] = { "module", "file", "func", "name", "format" };

struct query {
	const char *value[5];
	unsigned int line;
	bool enable;
};

static bool query_selects(const struct query *q, const struct fake_site *fs)
{
	const struct marker_site *s = &fs->site;

	return (!q->value[0] || glob_match(q->value[0], fs->module)) &&
	       (!q->value[1] || glob_match(q->value[1], s->file) ||
		glob_match(q->value[1], kbasename(s->file))) &&
	       (!q->line || q->line == s->line) &&
	       (!q->value[2] || glob_match(q->value[2], s->function)) &&
	       (!q->value[3] || glob_match(q->value[3], s->name)) &&
	       (!q->value[4] || strstr(s->format, q->value[4]));
}

static void put(char **p, const char *s)
{
	*p += sprintf(*p, "%s", s);
}

/*
 * Write one query of the grammar at *@p; return its error (0, -EINVAL
 * for a malformed one, -ENODATA for an empty one).
 */
static int build_query(struct fuzz_input *in, char **p, struct query *q)
{
	u8 shape = fuzz_u8(in), mask = fuzz_u8(in);
	unsigned int i, k, order[5] = { 0, 1, 2, 3, 4 };
	bool any = false;
	int err = 0;

	memset(q, 0, sizeof(*q));
	/* the terms in any order, each at most once unless repeated */
	for (i = 4; i > 0; i--) {
		k = fuzz_u8(in) % (i + 1);
		swap(order[i], order[k]);
	}
	for (i = 0; i < 5; i++) {
		const char *v;
		unsigned int key = order[i];
		u8 c;

		if (!(mask & BIT(key)))
			continue;
		any = true;
		c = fuzz_u8(in);
		put(p, g_spaces[c % ARRAY_SIZE(g_spaces)]);
		put(p, keys[key]);
		put(p, g_spaces[0]);
		switch (key) {
		case 0:
			v = g_modules[(c >> 2) % ARRAY_SIZE(g_modules)];
			break;
		case 1:
			v = g_files[(c >> 2) % ARRAY_SIZE(g_files)];
			break;
		case 2:
			v = g_funcs[(c >> 2) % ARRAY_SIZE(g_funcs)];
			break;
		case 3:
			v = g_names[(c >> 2) % ARRAY_SIZE(g_names)];
			break;
		default:
			v = g_formats[(c >> 2) % ARRAY_SIZE(g_formats)];
			break;
		}
		q->value[key] = v;
		/* a format with a space must be quoted, any may be */
		if (key == 4 && (strchr(v, ' ') || (c & 0x80))) {
			put(p, "\"");
			put(p, v);
			put(p, "\"");
		} else {
			put(p, v);
		}
		if (key == 1 && (c & 0x02)) {
			u8 l = fuzz_u8(in);

			put(p, ":");
			if (l & 0x80) {
				put(p, g_bad_lines[l % ARRAY_SIZE(g_bad_lines)]);
				err = err ?: -EINVAL;
			} else {
				put(p, g_lines[l % ARRAY_SIZE(g_lines)]);
				q->line = atoi(g_lines[l % ARRAY_SIZE(g_lines)]);
			}
		}
	}
	/* what may go wrong with the query as a whole */
	switch (shape % 16) {
	case 0:
		/* no + or -: malformed, or empty */
		if (!any)
			err = -ENODATA;
		else
			err = -EINVAL;
		goto done;
	case 1:
		put(p, " bogus x");
		err = -EINVAL;
		break;
	case 2:
		/* a term twice */
		put(p, " name a name b");
		err = -EINVAL;
		break;
	case 3:
		/* a keyword without its argument */
		put(p, g_spaces[0]);
		put(p, keys[(shape >> 4) % ARRAY_SIZE(keys)]);
		put(p, " ");
		put(p, shape & 0x80 ? "+" : "-");
		err = -EINVAL;
		goto done;
	case 4:
		put(p, " format \"unterminated");
		err = -EINVAL;
		goto done;
	default:
		break;
	}
	q->enable = shape & 0x10;
	put(p, g_spaces[(shape >> 5) % ARRAY_SIZE(g_spaces)]);
	put(p, q->enable ? "+" : "-");
	if (shape % 16 == 5) {
		/* a word after the operation */
		put(p, " x");
		err = -EINVAL;
	} else if (shape % 16 == 6) {
		put(p, "\t");
	}
done:
	return err;
}

/* Build a control write of queries; its expected result in @want. */
static int build_control(struct fuzz_input *in, char *buf, bool *want)
{
	unsigned int nr = fuzz_u8(in) % 5 + 1, i, j, matched;
	int err = 0, e;
	struct query q;
	char *p = buf;

	*p = '\0';
	for (i = 0; i < nr; i++) {
		if (i)
			put(&p, fuzz_u8(in) & 1 ? ";" : "\n");
		e = build_query(in, &p, &q);
		if (err || e == -ENODATA)
			continue;
		if (e) {
			/* the query is shown, cut by its parsing */
			snprintf(expected_warning, sizeof(expected_warning),
				 "control: malformed query \"");
			err = e;
			continue;
		}
		matched = 0;
		for (j = 0; j < ARRAY_SIZE(sites); j++) {
			struct fake_event *f = site_event(&sites[j].site);

			if (!site_loaded(&sites[j]) || !f ||
			    !query_selects(&q, &sites[j]))
				continue;
			for (e = 0; e < (int)nr_events; e++)
				if (events[e] == f)
					want[e] = q.enable;
			matched++;
		}
		/* a plain module name that is not loaded: "+" waits for it */
		if (!matched && q.enable && q.value[0] &&
		    !strpbrk(q.value[0], "*?[") &&
		    !marker_events_module_loaded(q.value[0]))
			continue;
		if (!matched) {
			snprintf(expected_warning, sizeof(expected_warning),
				 "control: query \"");
			err = -ENOENT;
		}
	}
	if (fuzz_u8(in) & 1)
		put(&p, "\n");
	return err;
}

/* The target ------------------------------------------------------------ */

/* Start a request: the fake's failure, and what it started from. */
static void request_begin(u8 fail, struct state *before)
{
	static const int errnos[] = { -ENOMEM, -EBUSY, -ENODEV, -EINVAL };
	unsigned int i;

	fail_what = (fail >> 6) == FAIL_ENABLE ? FAIL_ENABLE : FAIL_NONE;
	fail_planned = fail_what;
	fail_at = fail & 3;
	fail_errno = errnos[(fail >> 2) & 3];
	enable_calls = 0;
	for (i = 0; i < nr_events; i++) {
		events[i]->was_connected = events[i]->connected;
		events[i]->changes = 0;
		events[i]->lost = false;
		before->enabled[i] = events[i]->enabled;
	}
}

/*
 * What an accepted request gives once applied: the enables, any of which
 * may fail, all taken back then, and the disables, which cannot fail.
 */
static int expect_apply(const struct state *before, const bool *want)
{
	unsigned int i, on = 0;

	for (i = 0; i < nr_events; i++)
		on += want[i] && !before->enabled[i];
	if (fail_planned == FAIL_ENABLE && fail_at < on)
		return fail_errno;
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static char grammar[8192];
	struct fuzz_input in = { data, size };
	u8 file_sel = fuzz_u8(&in), mods = fuzz_u8(&in);
	u8 kept_mask = fuzz_u8(&in), initial = fuzz_u8(&in);
	u8 fail = fuzz_u8(&in);
	bool want[MAX_EVENTS], checked = true;
	const char *req = (const char *)in.data;
	size_t count = in.size;
	unsigned long warnings;
	struct state before;
	unsigned int i;
	ssize_t ret;
	char *copy;
	int exp;

	events_make(mods, kept_mask, initial);
	check_listings();
	expected_warning[0] = '\0';

	if (file_sel % 4 == 1) {
		/* O_TRUNC: everything off first, then the request */
		request_begin(fail, &before);
		marker_set_clear(NULL);
		for (i = 0; i < nr_events; i++)
			fuzz_check(!events[i]->enabled && !events[i]->connected &&
				   events[i]->changes <= 1,
				   "%s: enabled %d, connected %d after O_TRUNC",
				   events[i]->ev.name, events[i]->enabled,
				   events[i]->connected);
		check_listings();
	}
	request_begin(fail, &before);
	memcpy(want, before.enabled, sizeof(want));
	warnings = kshim_warnings;

	switch (file_sel % 4) {
	case 0:
	case 1:
		exp = expect_copy(in.data, in.size);
		if (!exp) {
			copy = strndup(req, count);
			exp = expect_set(copy, want);
			free(copy);
		}
		ret = marker_set_write(NULL, req, count);
		break;
	case 2:
		/* control: no model, only the rules of requests */
		checked = false;
		exp = 0;
		ret = marker_control_write(NULL, req, count);
		break;
	default:
		exp = build_control(&in, grammar, want);
		req = grammar;
		count = strlen(grammar);
		ret = marker_control_write(NULL, req, count);
		break;
	}
	fuzz_check(!locked && !batch.depth,
		   "the events' lock or a batch is held after the write");

	if (checked && !exp)
		exp = expect_apply(&before, want);
	if (getenv("FUZZ_REQUESTS_SHOW"))
		fprintf(stderr, "%s \"%.*s\": %zd, expected %s%d\n",
			file_sel % 4 < 2 ? "set_marker" : "control", (int)count,
			req, ret, checked ? "" : "any of ", exp);
	if (checked)
		fuzz_check(ret == (exp ?: (ssize_t)count),
			   "\"%.*s\": returned %zd, expected %d", (int)count,
			   req, ret, exp);
	else
		fuzz_check(ret == (ssize_t)count || ret == -E2BIG ||
			   ret == -EINVAL || ret == -ENOENT ||
			   ret == fail_errno || ret == -ENOMEM,
			   "\"%.*s\": returned %zd", (int)count, req, ret);

	for (i = 0; i < nr_events; i++) {
		struct fake_event *f = events[i];

		fuzz_check(f->enabled == f->connected,
			   "%s: enabled %d, connected %d", f->ev.name,
			   f->enabled, f->connected);
		if (ret < 0) {
			/* all or nothing, even for a while */
			fuzz_check(f->enabled == before.enabled[i] && !f->lost,
				   "%s changed by a refused request (%zd)",
				   f->ev.name, ret);
			continue;
		}
		/* connected or disconnected once at most */
		fuzz_check(f->changes <= 1, "%s: %u changes", f->ev.name,
			   f->changes);
		if (checked) {
			fuzz_check(f->enabled == want[i],
				   "%s: enabled %d, expected %d", f->ev.name,
				   f->enabled, want[i]);
		} else if (f->enabled != before.enabled[i]) {
			/* control changes only the events of loaded sites */
			unsigned int j;
			bool site = false;

			for (j = 0; j < ARRAY_SIZE(sites); j++)
				site |= site_loaded(&sites[j]) &&
					site_event(&sites[j].site) == f;
			fuzz_check(site, "%s changed, no loaded site",
				   f->ev.name);
		}
	}
	/* A refusal says why. */
	if (ret < 0) {
		fuzz_check(kshim_warnings > warnings, "refused (%zd) silently",
			   ret);
		if (checked && expected_warning[0] && ret == exp &&
		    ret != fail_errno)
			fuzz_check(strstr(kshim_last_warning, expected_warning),
				   "warned \"%s\", expected \"%s\"",
				   kshim_last_warning, expected_warning);
	}
	check_listings();
	/* every input starts with nothing waiting for a module */
	marker_pending_clear(NULL, false);
	marker_pending_clear(NULL, true);
	events_free();
	return 0;
}
