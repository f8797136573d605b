// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel markers: the state machine of patched sites, for every
 * architecture that patches them. The architecture gives the primitives
 * (arch/<arch>/kernel/markers.c): build a jump, a NOP or a call, and
 * apply a batch of them. What to patch, in which order, and when to wait
 * for a grace period is decided here.
 *
 * A site has two kinds of patch points (see <asm/markers.h>): jumps, a NOP
 * while the marker is off and a jump to the out-of-line block while it is
 * on; and the call in the out-of-line block, to the architecture's
 * dispatcher or, when one direct probe is connected, to that probe.
 *
 * The states of a site, as site->flags and site->direct record them:
 *
 *   OFF         jumps NOP, call to the dispatcher
 *   DISPATCHED  jumps armed, call to the dispatcher
 *   DIRECT(P)   jumps armed, call to direct probe P with site->probe_private
 *   REFUSED     the text was not what the registry wrote: never patched again
 *
 * and the transitions, each one operation of markers_patch_commit():
 *
 *   OFF -> DISPATCHED           arm (phase 1)
 *   OFF -> DIRECT(P)            write private, [grace period], call to P,
 *                               arm (phase 2)
 *   DISPATCHED -> DIRECT(P)     write private, grace period, call to P
 *   DIRECT(P) -> DIRECT(Q)      call to the dispatcher (phase 1), write
 *                               private, grace period, call to Q (phase 2)
 *   DIRECT(P) -> DISPATCHED     call to the dispatcher (phase 1)
 *   DISPATCHED, DIRECT -> OFF   disarm, call to the dispatcher (phase 1)
 *   any -> REFUSED              a poke found unexpected text
 *
 * Phase 1 happens before phase 2, in separate batches. The out-of-line
 * block loads probe_private and then makes the call, with preemption
 * disabled. A (direct probe, private data) pair must never be mixed up
 * with another one, so probe_private is only rewritten while the call goes
 * to the dispatcher (which ignores it), and the call is only patched to a
 * probe once an RCU grace period has passed since the write: a CPU that
 * loaded an older value is still between the load and the call, inside its
 * non-preemptible region, and the grace period waits for it. That is the
 * grace period kernel/tracepoint.c takes on its 1 -> 0 -> 1 and N -> 1
 * transitions.
 *
 * The grace period is skipped only for a site that has never been armed
 * (no MARKER_SITE_USED): nothing can be inside its block. It is not skipped
 * for a site that has merely been off for a while: the jump lands before
 * preempt_disable(), so a task preempted right after the jump is no RCU
 * reader, survives any number of grace periods, and loads probe_private
 * only when it resumes.
 *
 * Init text that is gone needs no change to stop calling a probe, and can
 * take none to start: its patch points are never read or written.
 */

#define pr_fmt(fmt) "markers: " fmt

#include <linux/kernel.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "markers.h"

/* text_poke_queue() takes at most PAGE_SIZE / 16 sites per batch. */
#define MARKERS_POKE_BATCH	256

/**
 * struct marker_plan - what one update does to one site
 * @direct: the direct probe the call must end at, or %NULL
 * @probe_private: the private data for @direct
 * @leave_direct: phase 1 patches the call from a direct probe to the dispatcher
 * @enter_direct: phase 2 patches the call to @direct
 * @arm: the jumps are armed, in phase 2 if @enter_direct, else phase 1
 * @disarm: the jumps become NOPs in phase 1
 * @call_done: the current phase changed every copy of the site's call
 *	       it had to, as planned
 * @jump_done: the same for the site's jumps
 * @call_written: the current phase wrote a copy of the call to a probe
 * @jump_written: the current phase armed a copy of the jumps
 *
 * A site's patch points change together: the compiler may copy a site
 * (an inlined function), and each copy must do what the site's state
 * says. A phase checks all of a site's points before it queues any; if
 * one holds text the registry did not write, the site is refused and
 * its state stays as it was. A change that points the site at probes
 * (arming, entering a direct call) then writes nothing; one that takes
 * it away from them still writes the points it can, so that no copy it
 * can reach keeps calling a probe that may go.
 */
struct marker_plan {
	void *direct;
	void *probe_private;
	bool leave_direct;
	bool enter_direct;
	bool arm;
	bool disarm;
	bool call_done;
	bool jump_done;
	bool call_written;
	bool jump_written;
};

/**
 * struct marker_points - where a site's jumps, or calls, are
 * @first: where they start in the table's patch_order, after the jumps
 *	   for calls
 * @nr: how many there are (the compiler may copy a site)
 */
struct marker_points {
	unsigned int first;
	unsigned int nr;
};

/**
 * struct marker_site_patch - a site's patch points, and its current plan
 * @plan: what the current update does to the site
 * @jumps: the site's jumps
 * @calls: the site's calls
 */
struct marker_site_patch {
	struct marker_plan plan;
	struct marker_points jumps;
	struct marker_points calls;
};

/**
 * struct marker_commit - the state of one markers_patch_commit()
 * @spans: the spans of sites the commit brings in line
 * @pokes: the instructions queued for the current batch
 * @nr_pokes: number of @pokes queued
 * @direct: some site enters a direct call, so there is a phase 2
 * @checking: the points are only compared with what they must hold
 *
 * Nothing here is allocated: the plans were allocated with their table
 * (table->plans), and the pokes go through one static batch, so that a
 * commit, and with it every disconnection, cannot fail.
 */
struct marker_commit {
	struct list_head *spans;
	struct marker_poke *pokes;
	unsigned int nr_pokes;
	bool direct;
	bool checking;
};

/* One batch of pokes, used under markers_mutex and text_mutex. */
static struct marker_poke marker_pokes[MARKERS_POKE_BATCH];

static struct marker_site_patch *marker_site_patch(const struct marker_table *table,
						   unsigned int index)
{
	struct marker_site_patch *patches = table->plans;

	return &patches[index];
}

static void *marker_jump_code(const struct marker_jump *jump)
{
	return (void *)((unsigned long)&jump->code + jump->code);
}

static void *marker_jump_target(const struct marker_jump *jump)
{
	return (void *)((unsigned long)&jump->target + jump->target);
}

static struct marker_site *marker_jump_site(const struct marker_jump *jump)
{
	return (void *)(((unsigned long)&jump->site + jump->site) & ~3UL);
}

static void *marker_call_code(const struct marker_call *call)
{
	return (void *)((unsigned long)&call->code + call->code);
}

static struct marker_site *marker_call_site(const struct marker_call *call)
{
	return (void *)((unsigned long)&call->site + call->site);
}

static void marker_refuse(struct marker_site *site, const void *code,
			  const char *what)
{
	if (!(site->flags & MARKER_SITE_REFUSED))
		pr_warn("marker %s: unexpected %s at %pS (%s:%u); site left off\n",
			site->name, what, code, site->file, site->line);
	site->flags |= MARKER_SITE_REFUSED;
}

/* The index in @table of the site of jump (or call) @i. */
static unsigned int marker_point_site(const struct marker_table *table,
				      unsigned int i, bool call)
{
	const struct marker_site *site;

	if (call)
		site = marker_call_site(&table->calls[i]);
	else
		site = marker_jump_site(&table->jumps[i]);
	return site - table->sites;
}

static struct marker_points *marker_points(const struct marker_table *table,
					   unsigned int index, bool call)
{
	struct marker_site_patch *patch = marker_site_patch(table, index);

	return call ? &patch->calls : &patch->jumps;
}

/*
 * Order the jumps (or calls) of @table by site in @order, a counting sort:
 * count each site's, place each site's run, fill the runs. A commit then
 * finds a site's patch points without walking the table's.
 */
static void marker_index_points(struct marker_table *table, bool call,
				unsigned int *order)
{
	unsigned int nr = call ? table->nr_calls : table->nr_jumps;
	unsigned int i, next = call ? table->nr_jumps : 0;
	struct marker_points *points;

	for (i = 0; i < nr; i++)
		marker_points(table, marker_point_site(table, i, call), call)->nr++;
	for (i = 0; i < table->nr_sites; i++) {
		points = marker_points(table, i, call);
		points->first = next;
		next += points->nr;
		points->nr = 0;
	}
	for (i = 0; i < nr; i++) {
		points = marker_points(table, marker_point_site(table, i, call),
				       call);
		order[points->first + points->nr++] = i;
	}
}

/**
 * markers_patch_init_table - index and check the patch points of a new table
 * @table: the table
 *
 * Every jump must be the NOP the build left and every call must go to the
 * dispatcher; a site where that is not so is never patched. The plans of
 * later commits, and the index of each site's patch points, are allocated
 * here, once.
 *
 * Return: 0, or -ENOMEM.
 */
int markers_patch_init_table(struct marker_table *table)
{
	struct marker_poke poke;
	struct marker_call *call;
	struct marker_jump *jump;
	struct marker_site *site;
	void *code;

	table->plans = kvcalloc(table->nr_sites,
				sizeof(struct marker_site_patch), GFP_KERNEL);
	table->patch_order = kvcalloc(table->nr_jumps + table->nr_calls,
				      sizeof(*table->patch_order), GFP_KERNEL);
	if ((!table->plans && table->nr_sites) ||
	    (!table->patch_order && table->nr_jumps + table->nr_calls)) {
		markers_patch_free_table(table);
		return -ENOMEM;
	}
	marker_index_points(table, false, table->patch_order);
	marker_index_points(table, true, table->patch_order);

	/* The architecture may read its call thunks under it. */
	guard(mutex)(&text_mutex);
	for (jump = table->jumps; jump < table->jumps + table->nr_jumps;
	     jump++) {
		code = marker_jump_code(jump);
		if (!arch_marker_nop_len(code))
			marker_refuse(marker_jump_site(jump), code, "jump");
	}
	for (call = table->calls; call < table->calls + table->nr_calls;
	     call++) {
		code = marker_call_code(call);
		site = marker_call_site(call);
		if (!arch_marker_gen_call(&poke, code,
					  arch_marker_dispatcher(site)) ||
		    memcmp(code, poke.insn, poke.len))
			marker_refuse(site, code, "call");
	}
	return 0;
}

/**
 * markers_patch_free_table - free what markers_patch_init_table() allocated
 * @table: the table, no longer in the registry
 */
void markers_patch_free_table(struct marker_table *table)
{
	kvfree(table->plans);
	table->plans = NULL;
	kvfree(table->patch_order);
	table->patch_order = NULL;
}

/**
 * markers_patch_text_reserved - whether a range overlaps a table's patch points
 * @table: the table
 * @start: first byte of the range
 * @end: last byte of the range
 *
 * Return: true if it does.
 */
bool markers_patch_text_reserved(const struct marker_table *table,
				 unsigned long start, unsigned long end)
{
	unsigned long code;
	unsigned int i;

	for (i = 0; i < table->nr_jumps; i++) {
		code = (unsigned long)marker_jump_code(&table->jumps[i]);
		/* Init text that is gone may be unmapped: never read it. */
		if (code > end || code + MARKER_ARCH_JUMP_MAX <= start ||
		    !marker_site_text_patchable(table, code))
			continue;
		if (code + arch_marker_jump_len((void *)code) > start)
			return true;
	}
	for (i = 0; i < table->nr_calls; i++) {
		code = (unsigned long)marker_call_code(&table->calls[i]);
		if (code <= end && code + MARKER_ARCH_CALL_LEN > start)
			return true;
	}
	return false;
}

/* The direct probe @site can call for @want, or %NULL. */
static void *marker_direct_probe(const struct marker_site *site,
				 const struct marker_probes *want)
{
	if (!want || want->nr != 1 ||
	    !(want->probes[0].flags & MARKER_PROBE_DIRECT) ||
	    site->nargs > MARKER_MAX_DIRECT_ARGS ||
	    (site->flags & MARKER_SITE_QUERY))
		return NULL;
	return want->probes[0].func;
}

static void marker_plan_site(struct marker_plan *plan,
			     const struct marker_site *site,
			     const struct marker_probes *want)
{
	bool armed = site->flags & MARKER_SITE_ARMED;
	bool change;

	memset(plan, 0, sizeof(*plan));
	plan->call_done = true;
	plan->jump_done = true;
	if (site->flags & (MARKER_SITE_GENERIC | MARKER_SITE_REFUSED))
		return;
	plan->direct = marker_direct_probe(site, want);
	if (plan->direct)
		plan->probe_private = want->probes[0].probe_private;
	change = plan->direct != site->direct ||
		 (plan->direct && plan->probe_private != site->probe_private);
	plan->leave_direct = change && site->direct;
	plan->enter_direct = change && plan->direct;
	plan->arm = want && !armed;
	plan->disarm = !want && armed;
}

/*
 * A site waiting for a direct call is armed with it, in phase 2. So are
 * the other sites an operation arms, when it has a phase 2: they do not
 * depend on phase 1, and one batch sequence then does all the arming.
 */
static int marker_arm_phase(const struct marker_commit *c,
			    const struct marker_plan *plan)
{
	return plan->enter_direct || c->direct ? 2 : 1;
}

static int marker_poke_cmp(const void *a, const void *b)
{
	const struct marker_poke *pa = a, *pb = b;

	if (pa->addr == pb->addr)
		return 0;
	return pa->addr < pb->addr ? -1 : 1;
}

/*
 * Patch what is queued, in address order (x86's text_poke_queue() would
 * flush early otherwise): one synchronisation of the CPUs per batch.
 * Context: text_mutex held.
 */
static void marker_flush(struct marker_commit *c)
{
	lockdep_assert_held(&text_mutex);
	if (!c->nr_pokes)
		return;
	sort(c->pokes, c->nr_pokes, sizeof(*c->pokes), marker_poke_cmp, NULL);
	arch_markers_apply(c->pokes, c->nr_pokes);
	marker_stats.batches++;
	marker_stats.pokes += c->nr_pokes;
	c->nr_pokes = 0;
}

/*
 * Queue @poke if the text holds @expect, the instruction the registry last
 * wrote there; otherwise leave the site alone for good, and say so. While
 * @c is checking, only compare.
 * Return: whether @poke was (or, checking, would be) queued.
 */
static bool marker_queue(struct marker_commit *c, struct marker_site *site,
			 const struct marker_poke *poke, const u8 *expect)
{
	if (memcmp(poke->addr, expect, poke->len)) {
		marker_refuse(site, poke->addr, "instruction before patching");
		return false;
	}
	if (c->checking)
		return true;
	if (c->nr_pokes == MARKERS_POKE_BATCH)
		marker_flush(c);
	c->pokes[c->nr_pokes++] = *poke;
	return true;
}

/*
 * A call that cannot reach @to (arm64's BL: +-128 MiB) is not queued: the
 * site then keeps its call as it was, and the plan sees it next time.
 */
static bool marker_queue_call(struct marker_commit *c, struct marker_site *site,
			      void *code, void *from, void *to)
{
	struct marker_poke poke, old;

	if (!arch_marker_gen_call(&old, code, from) ||
	    !arch_marker_gen_call(&poke, code, to))
		return false;
	return marker_queue(c, site, &poke, old.insn);
}

static bool marker_queue_jump(struct marker_commit *c, struct marker_site *site,
			      const struct marker_jump *jump, bool on)
{
	void *code = marker_jump_code(jump), *target = marker_jump_target(jump);
	struct marker_poke poke, old;

	arch_marker_gen_jump(&old, code, target, !on);
	arch_marker_gen_jump(&poke, code, target, on);
	return marker_queue(c, site, &poke, old.insn);
}

/* Queue the change of one call of @site for @phase. */
static void marker_queue_phase_call(struct marker_commit *c,
				    const struct marker_table *table,
				    struct marker_site *site,
				    struct marker_plan *plan,
				    const struct marker_call *call, int phase)
{
	void *code = marker_call_code(call);
	void *dispatcher = arch_marker_dispatcher(site);
	bool gone = !marker_site_text_patchable(table, (unsigned long)code);
	bool ok;

	if (phase == 1 && plan->leave_direct) {
		plan->call_done &= gone ||
			marker_queue_call(c, site, code, site->direct,
					  dispatcher);
	} else if (phase == 2 && plan->enter_direct && !gone) {
		ok = marker_queue_call(c, site, code, dispatcher, plan->direct);
		plan->call_done &= ok;
		plan->call_written |= ok;
	}
}

/* Queue the change of one jump of @site for @phase, as above. */
static void marker_queue_phase_jump(struct marker_commit *c,
				    const struct marker_table *table,
				    struct marker_site *site,
				    struct marker_plan *plan,
				    const struct marker_jump *jump, int phase)
{
	bool gone = !marker_site_text_patchable(table,
				(unsigned long)marker_jump_code(jump));
	bool ok;

	if (phase == 1 && plan->disarm) {
		plan->jump_done &= gone ||
			marker_queue_jump(c, site, jump, false);
	} else if (plan->arm && marker_arm_phase(c, plan) == phase && !gone) {
		ok = marker_queue_jump(c, site, jump, true);
		plan->jump_done &= ok;
		plan->jump_written |= ok;
	}
}

/* Queue (or check) the changes of every point of a site for @phase. */
static void marker_queue_points(struct marker_commit *c,
				const struct marker_table *table,
				struct marker_site *site,
				struct marker_site_patch *patch, int phase)
{
	const unsigned int *order = table->patch_order;
	unsigned int i;

	for (i = patch->calls.first; i < patch->calls.first + patch->calls.nr;
	     i++)
		marker_queue_phase_call(c, table, site, &patch->plan,
					&table->calls[order[i]], phase);
	for (i = patch->jumps.first; i < patch->jumps.first + patch->jumps.nr;
	     i++)
		marker_queue_phase_jump(c, table, site, &patch->plan,
					&table->jumps[order[i]], phase);
}

/*
 * Queue the patches of one phase (1 or 2) for the site @index of @table,
 * all of its points or, in phase 2, none (see struct marker_plan).
 */
static void marker_queue_site(struct marker_commit *c,
			      const struct marker_table *table,
			      unsigned int index, int phase)
{
	struct marker_site_patch *patch = marker_site_patch(table, index);
	struct marker_site *site = &table->sites[index];
	struct marker_plan *plan = &patch->plan;

	if (phase == 2 && (site->flags & MARKER_SITE_REFUSED))
		goto refused;
	c->checking = true;
	marker_queue_points(c, table, site, patch, phase);
	c->checking = false;
	/*
	 * Arming, or entering a direct call, is all or nothing when a point
	 * holds unexpected text. A call that cannot reach its probe (arm64's
	 * BL) is no such failure: it stays at the dispatcher, the site armed.
	 */
	if ((phase == 2 || plan->arm) && (site->flags & MARKER_SITE_REFUSED))
		goto refused;
	plan->call_done = true;
	plan->jump_done = true;
	plan->call_written = false;
	plan->jump_written = false;
	marker_queue_points(c, table, site, patch, phase);
	return;
refused:
	plan->call_done = false;
	plan->jump_done = false;
}

/* Queue the patches of one phase for every site of the commit. */
static void marker_queue_phase(struct marker_commit *c, int phase)
{
	struct marker_span *span;
	unsigned int k;

	list_for_each_entry(span, c->spans, update)
		for (k = 0; k < span->nr; k++)
			marker_queue_site(c, span->table,
					  marker_span_index(span, k), phase);
}

/* Record the state phase @phase left @site in: only what it really did. */
static void marker_site_done(const struct marker_commit *c,
			     struct marker_site *site,
			     struct marker_plan *plan, int phase)
{
	if (phase == 1 && plan->leave_direct && plan->call_done)
		site->direct = NULL;
	if (phase == 1 && plan->disarm && plan->jump_done)
		site->flags &= ~MARKER_SITE_ARMED;
	/* toward a probe: only if some copy was written, gone text is none */
	if (phase == 2 && plan->enter_direct && plan->call_done &&
	    plan->call_written)
		site->direct = plan->direct;
	if (plan->arm && marker_arm_phase(c, plan) == phase &&
	    plan->jump_done && plan->jump_written)
		site->flags |= MARKER_SITE_ARMED | MARKER_SITE_USED;
	plan->call_done = true;
	plan->jump_done = true;
	plan->call_written = false;
	plan->jump_written = false;
}

static void marker_sites_done(struct marker_commit *c, int phase)
{
	struct marker_span *span;
	unsigned int k, i;

	list_for_each_entry(span, c->spans, update) {
		for (k = 0; k < span->nr; k++) {
			i = marker_span_index(span, k);
			marker_site_done(c, &span->table->sites[i],
					 &marker_site_patch(span->table, i)->plan,
					 phase);
		}
	}
}

/*
 * Before phase 2 points calls at direct probes: write their private data,
 * and wait until no CPU can have loaded an older value. Only a site that
 * was never armed can have no task inside its block (see the top of this
 * file); any other needs a whole grace period after the write.
 */
static bool marker_prepare_direct(struct marker_commit *c)
{
	bool any = false, full_gp = false;
	struct marker_span *span;
	struct marker_plan *plan;
	struct marker_site *site;
	unsigned int k, i;

	list_for_each_entry(span, c->spans, update) {
		for (k = 0; k < span->nr; k++) {
			i = marker_span_index(span, k);
			plan = &marker_site_patch(span->table, i)->plan;
			if (!plan->enter_direct)
				continue;
			site = &span->table->sites[i];
			any = true;
			WRITE_ONCE(site->probe_private, plan->probe_private);
			if (site->flags & MARKER_SITE_USED)
				full_gp = true;
		}
	}
	if (full_gp) {
		synchronize_rcu();
		marker_stats.grace_periods++;
	}
	return any;
}

/* Queue and apply one phase, under text_mutex but not across a grace period. */
static void marker_patch_phase(struct marker_commit *c, int phase)
{
	mutex_lock(&text_mutex);
	marker_queue_phase(c, phase);
	marker_flush(c);
	mutex_unlock(&text_mutex);
}

/**
 * markers_patch_commit - make sites call what the registry wants
 * @spans: the spans of sites to bring in line, linked by their @update;
 *	   for each of their sites, its table's @want says the probes it
 *	   must call
 *
 * Publishes the probe arrays, then patches in at most two batch sequences:
 * first what must come first (switching off, leaving direct calls), then,
 * after the grace period it may need, the direct calls and all the
 * arming. An operation that only arms sites, or only disarms them, is
 * one sequence. It allocates nothing and cannot fail.
 *
 * Context: cpus_read_lock() and the registry's mutex held.
 */
void markers_patch_commit(struct list_head *spans)
{
	struct marker_commit c = { .spans = spans, .pokes = marker_pokes };
	unsigned long pokes = marker_stats.pokes;
	struct marker_table *table;
	struct marker_span *span;
	struct marker_plan *plan;
	unsigned int k, i;

	list_for_each_entry(span, spans, update) {
		table = span->table;
		for (k = 0; k < span->nr; k++) {
			i = marker_span_index(span, k);
			plan = &marker_site_patch(table, i)->plan;
			marker_plan_site(plan, &table->sites[i], table->want[i]);
			c.direct |= plan->enter_direct;
			rcu_assign_pointer(table->sites[i].probes,
					   table->want[i]);
		}
	}

	marker_patch_phase(&c, 1);
	marker_sites_done(&c, 1);
	if (marker_prepare_direct(&c))
		marker_patch_phase(&c, 2);
	marker_sites_done(&c, 2);
	if (marker_stats.pokes != pokes)
		marker_stats.sequences++;
}
