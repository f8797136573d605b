// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the registry's rules at the sites: the grace period a site
 * needs before it calls a new direct probe, the bytes kprobes must leave
 * alone, probes registered before the registry started, a site in init
 * text, trace_mark_enabled(), batches of changes, and the copies of one
 * site changing together. The suite also holds a marker in built-in
 * .exit.text, for vm/50-core.sh, which enables it once that text is gone.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/kthread.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/memory.h>
#include <linux/module.h>
#include <linux/rcupdate.h>

#define MST_EARLY	"markers_site_test_early"
#define MST_SHORT	"markers_site_test_short"
#define MST_RACE	"markers_site_test_race"
#define MST_COPIED	"markers_site_test_copied"
#define MST_HOTPLUG	"markers_site_test_hotplug"
#define MST_INIT_TEXT	"markers_site_test_init_text"

/* A probe registered before core_initcall, when the registry has no sites. */

static atomic_t mst_early_calls;

static noinline void mst_fire_early(int v)
{
	trace_mark(markers_site_test_early, "v %d", v);
}

static void mst_early_probe(void *probe_private, int v)
{
	atomic_inc(&mst_early_calls);
}

static int __init mst_register_early(void)
{
	return marker_probe_register_direct(MST_EARLY, "v %d", mst_early_probe,
					    NULL);
}
early_initcall(mst_register_early);

/* Before any other registration could connect it by the way. */
static int __init mst_fire_at_boot(void)
{
	mst_fire_early(0);
	return 0;
}
arch_initcall(mst_fire_at_boot);

static void mst_early_probe_test(struct kunit *test)
{
	/* The hit of arch_initcall time reached the probe. */
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mst_early_calls));
	mst_fire_early(1);
	KUNIT_EXPECT_EQ(test, 2, atomic_read(&mst_early_calls));
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister_direct(MST_EARLY,
						       mst_early_probe, NULL));
	marker_synchronize_unregister();
	mst_fire_early(2);
	KUNIT_EXPECT_EQ(test, 2, atomic_read(&mst_early_calls));
}

/*
 * A marker in init text, hit by an initcall through a direct probe. On x86
 * with call-depth tracking (retbleed=stuff), call thunks are given to the
 * calls of kernel text only, so the registry must expect, and write, the
 * calls of init text without them, or it refuses the site.
 */

static atomic_t mst_init_text_sum = ATOMIC_INIT(-1);

static void mst_init_text_probe(void *probe_private, int v)
{
	atomic_add(v, &mst_init_text_sum);
}

static int __init mst_fire_init_text(void)
{
	int ret;

	ret = marker_probe_register_direct(MST_INIT_TEXT, "v %d",
					   mst_init_text_probe, NULL);
	if (ret)
		return ret;
	atomic_set(&mst_init_text_sum, 0);
	trace_mark(markers_site_test_init_text, "v %d", 5);
	return marker_probe_unregister_direct(MST_INIT_TEXT,
					      mst_init_text_probe, NULL);
}
late_initcall(mst_fire_init_text);

static void mst_init_text_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 5, atomic_read(&mst_init_text_sum));
}

/*
 * A batch: changes are made and checked at once, and their sites patched
 * at its end, all in one sequence. markers_site_test_batch_d is connected
 * and disconnected inside the batch, and never called.
 */

static atomic_t mst_batch_sum;

static noinline void mst_fire_batch(int v)
{
	trace_mark(markers_site_test_batch_a, "v %d", v);
	trace_mark(markers_site_test_batch_b, "v %d", v);
	trace_mark(markers_site_test_batch_c, "v %d", v);
	trace_mark(markers_site_test_batch_d, "v %d", v);
}

static void mst_batch_probe(void *probe_private, int v)
{
	atomic_add(v, probe_private);
}

static const char * const mst_batch_names[] = {
	"markers_site_test_batch_a",
	"markers_site_test_batch_b",
	"markers_site_test_batch_c",
};

static void mst_batch_change(struct kunit *test, bool connect)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(mst_batch_names); i++) {
		if (connect)
			ret = marker_probe_register_direct(mst_batch_names[i],
							   "v %d",
							   mst_batch_probe,
							   &mst_batch_sum);
		else
			ret = marker_probe_unregister_direct(mst_batch_names[i],
							     mst_batch_probe,
							     &mst_batch_sum);
		KUNIT_EXPECT_EQ(test, 0, ret);
	}
}

/* The patch sequences since @before; none where sites are not patched. */
static unsigned long mst_sequences(const struct marker_stats *before)
{
	struct marker_stats now;

	markers_read_stats(&now);
	return now.sequences - before->sequences;
}

static void mst_batch_test(struct kunit *test)
{
	unsigned long one = IS_ENABLED(CONFIG_MARKERS_PATCHING) ? 1 : 0;
	struct marker_stats before;

	atomic_set(&mst_batch_sum, 0);
	markers_read_stats(&before);
	markers_batch_begin();
	mst_batch_change(test, true);
	/* Each change is checked when it is made, as outside a batch. */
	KUNIT_EXPECT_EQ(test, -EBUSY,
			marker_probe_register_direct(mst_batch_names[0],
						     "v %d", mst_batch_probe,
						     &mst_batch_sum));
	KUNIT_EXPECT_EQ(test, -EPERM,
			marker_probe_register_direct(mst_batch_names[0],
						     "v %lu", mst_batch_probe,
						     NULL));
	/* Batches nest; a change taken back in the batch leaves no trace. */
	markers_batch_begin();
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_register_direct("markers_site_test_batch_d",
						     "v %d", mst_batch_probe,
						     &mst_batch_sum));
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister_direct("markers_site_test_batch_d",
						       mst_batch_probe,
						       &mst_batch_sum));
	markers_batch_end();
	/* The sites are left as they were until the end. */
	mst_fire_batch(1);
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&mst_batch_sum));
	KUNIT_EXPECT_EQ(test, 0, mst_sequences(&before));
	markers_batch_end();
	KUNIT_EXPECT_EQ(test, one, mst_sequences(&before));
	mst_fire_batch(2);
	KUNIT_EXPECT_EQ(test, 6, atomic_read(&mst_batch_sum));

	markers_read_stats(&before);
	markers_batch_begin();
	mst_batch_change(test, false);
	/* A probe disconnected in a batch is called until its end. */
	mst_fire_batch(3);
	KUNIT_EXPECT_EQ(test, 15, atomic_read(&mst_batch_sum));
	markers_batch_end();
	marker_synchronize_unregister();
	KUNIT_EXPECT_EQ(test, one, mst_sequences(&before));
	mst_fire_batch(4);
	KUNIT_EXPECT_EQ(test, 15, atomic_read(&mst_batch_sum));
}

/* trace_mark_enabled(): the argument is computed only while it is true. */

static atomic_t mst_computed_calls;
static int mst_computed_last;

static noinline int mst_fire_computed(int v)
{
	int computed = 0;

	if (trace_mark_enabled(markers_site_test_computed)) {
		computed = v * 2;
		trace_mark(markers_site_test_computed, "v %d", computed);
	}
	return computed;
}

static void mst_computed_probe(void *probe_private, int v)
{
	mst_computed_last = v;
	atomic_inc(&mst_computed_calls);
}

static void mst_enabled_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0, mst_fire_computed(3));
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register_direct("markers_site_test_computed",
						     "v %d", mst_computed_probe,
						     NULL));
	KUNIT_EXPECT_EQ(test, 6, mst_fire_computed(3));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mst_computed_calls));
	KUNIT_EXPECT_EQ(test, 6, mst_computed_last);
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister_direct("markers_site_test_computed",
						       mst_computed_probe, NULL));
	marker_synchronize_unregister();
	KUNIT_EXPECT_EQ(test, 0, mst_fire_computed(4));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mst_computed_calls));
}

/*
 * Built-in .exit.text is freed with the init memory and never runs: its
 * marker must never be patched after boot (vm/50-core.sh enables it).
 */
static void __exit mst_exit_marked(void)
{
	trace_mark(markers_site_test_exit, MARK_NOARGS);
}

__exitcall(mst_exit_marked);

#ifdef CONFIG_MARKERS_PATCHING
static void mst_noargs_probe(void *probe_private)
{
}

/*
 * Before the init memory is freed (KUnit runs built-in suites then), a
 * probe on the .exit.text marker leaves its jump as it was: that text is
 * no kernel text, and text_poke() on it hits DEBUG_VIRTUAL's check.
 */
static void mst_exit_text_test(struct kunit *test)
{
	struct marker_poke nop;
	struct marker_jump *jump;
	struct marker_site *site;
	void *code = NULL, *target = NULL;
	int ret;

	if (system_state >= SYSTEM_FREEING_INITMEM)
		kunit_skip(test, "init memory freed: vm/50-core.sh checks that");
	for (jump = __start___markers_jump; jump < __stop___markers_jump;
	     jump++) {
		site = (void *)(((unsigned long)&jump->site + jump->site) & ~3UL);
		if (!strcmp(site->name, "markers_site_test_exit")) {
			code = (void *)((unsigned long)&jump->code + jump->code);
			target = (void *)((unsigned long)&jump->target +
					  jump->target);
			break;
		}
	}
	if (!code)
		kunit_skip(test, "the linker dropped .exit.text");
	if (kernel_text_address((unsigned long)code))
		kunit_skip(test, "built-in .exit.text is kernel text here");
	arch_marker_gen_jump(&nop, code, target, false);
	KUNIT_ASSERT_EQ(test, 0, memcmp(code, nop.insn, nop.len));

	ret = marker_probe_register_direct("markers_site_test_exit", NULL,
					   mst_noargs_probe, NULL);
	KUNIT_EXPECT_EQ(test, 0, ret);
	KUNIT_EXPECT_EQ(test, 0, memcmp(code, nop.insn, nop.len));
	KUNIT_EXPECT_FALSE(test, site->flags & MARKER_SITE_REFUSED);
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister_direct("markers_site_test_exit",
						       mst_noargs_probe, NULL));
	KUNIT_EXPECT_EQ(test, 0, memcmp(code, nop.insn, nop.len));
}
#else
static void mst_exit_text_test(struct kunit *test)
{
	kunit_skip(test, "needs patched sites");
}
#endif

#if defined(CONFIG_MARKERS_PATCHING) && defined(CONFIG_X86_64)
#include <asm/text-patching.h>

static noinline void mst_fire_short(int v)
{
	trace_mark(markers_site_test_short, "v %d", v);
}

static void mst_nop_probe(void *probe_private, int v)
{
}

/* The code of the only jump of the marker @name. */
static u8 *mst_jump_code(const char *name)
{
	struct marker_jump *jump;
	struct marker_site *site;
	u8 *code = NULL;

	for (jump = __start___markers_jump; jump < __stop___markers_jump;
	     jump++) {
		site = (void *)(((unsigned long)&jump->site + jump->site) &
				~3UL);
		if (!strcmp(site->name, name))
			code = (u8 *)&jump->code + jump->code;
	}
	return code;
}

/* A 2-byte NOP or JMP8 reserves its 2 bytes, not the 3 after them. */
static void mst_check_short_reserved(struct kunit *test, u8 *code)
{
	KUNIT_EXPECT_TRUE(test, markers_text_reserved(code, code));
	KUNIT_EXPECT_TRUE(test, markers_text_reserved(code + 1, code + 1));
	KUNIT_EXPECT_TRUE(test, markers_text_reserved(code - 1, code));
	KUNIT_EXPECT_FALSE(test, markers_text_reserved(code + 2, code + 2));
	KUNIT_EXPECT_FALSE(test, markers_text_reserved(code + 4, code + 4));
}

static void mst_short_reserved_test(struct kunit *test)
{
	u8 *code = mst_jump_code(MST_SHORT);

	KUNIT_ASSERT_NOT_NULL(test, code);
	if (memcmp(code, x86_nops[2], 2))
		kunit_skip(test, "objtool left a 5-byte NOP at %pS", code);
	mst_check_short_reserved(test, code);

	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register_direct(MST_SHORT, NULL,
						     mst_nop_probe, NULL));
	KUNIT_EXPECT_EQ(test, JMP8_INSN_OPCODE, code[0]);
	mst_check_short_reserved(test, code);
	mst_fire_short(1);
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister_direct(MST_SHORT,
						       mst_nop_probe, NULL));
	marker_synchronize_unregister();
}

/*
 * The race of a direct probe with its private data. A task takes the jump
 * while probe A is connected and is preempted before preempt_disable():
 * no RCU reader, it lets every grace period pass. A goes, B comes. When the
 * task resumes, it loads the private data and calls: it must call A with
 * A's data, the dispatcher, or B with B's, never B with A's. The test site
 * below sleeps where the preemption would happen, and widens the window
 * between the load and the call: after the load it spins until the site's
 * private data changes (or 2 s), then 200 ms more, long enough for the
 * registry to repatch the call if it does not wait for the task.
 */
static DECLARE_COMPLETION(mst_resume);
static DECLARE_COMPLETION(mst_done);
static atomic_t mst_at_entry, mst_loading;

static void mst_preempted_here(void)
{
	atomic_set(&mst_at_entry, 1);
	wait_for_completion(&mst_resume);
	atomic_set(&mst_loading, 1);
}

#define MST_WIDEN							\
	"mov jiffies(%%rip), %%r10\n\t"					\
	"2: pause\n\t"							\
	"cmp %%rdi, %c[site]+%c[priv](%%rip)\n\t"			\
	"jne 3f\n\t"							\
	"mov jiffies(%%rip), %%r11\n\t"					\
	"sub %%r10, %%r11\n\t"						\
	"cmp $(2 * " __stringify(HZ) "), %%r11\n\t"			\
	"jb 2b\n\t"							\
	"3: mov jiffies(%%rip), %%r10\n\t"				\
	"4: pause\n\t"							\
	"mov jiffies(%%rip), %%r11\n\t"					\
	"sub %%r10, %%r11\n\t"						\
	"cmp $(" __stringify(HZ) " / 5 + 1), %%r11\n\t"		\
	"jb 4b\n\t"

#define mst_widened_site(msite, args...)				\
do {									\
	if (unlikely(arch_marker_site_armed(&(msite)))) {		\
		mst_preempted_here();					\
		preempt_disable_notrace();				\
		__marker_x86_call_after_load(msite, MST_WIDEN, ## args); \
		preempt_enable_notrace();				\
	}								\
} while (0)

static noinline void mst_fire_race(unsigned long v)
{
	__trace_mark(MARKER_SITE_ARCH_FLAGS, mst_widened_site,
		     markers_site_test_race, "v %lu", v);
}

static int mst_race_thread(void *data)
{
	mst_fire_race(1);
	complete(&mst_done);
	return 0;
}

struct mst_probe_data {
	atomic_t calls;
	atomic_t wrong;
};

static struct mst_probe_data mst_a, mst_b;

static void mst_probe_a(void *probe_private, unsigned long v)
{
	if (probe_private != &mst_a)
		atomic_inc(&mst_a.wrong);
	atomic_inc(&mst_a.calls);
}

static void mst_probe_b(void *probe_private, unsigned long v)
{
	if (probe_private != &mst_b)
		atomic_inc(&mst_b.wrong);
	atomic_inc(&mst_b.calls);
}

static bool mst_wait_for(atomic_t *flag)
{
	int i;

	for (i = 0; i < 5000 && !atomic_read(flag); i++)
		usleep_range(1000, 2000);
	return atomic_read(flag);
}

static void mst_preempted_entry_test(struct kunit *test)
{
	struct task_struct *task;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs a second CPU for the preempted task");
	memset(&mst_a, 0, sizeof(mst_a));
	memset(&mst_b, 0, sizeof(mst_b));
	atomic_set(&mst_at_entry, 0);
	atomic_set(&mst_loading, 0);
	reinit_completion(&mst_resume);
	reinit_completion(&mst_done);

	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register_direct(MST_RACE, "v %lu",
						     mst_probe_a, &mst_a));
	task = kthread_run(mst_race_thread, NULL, "mst_race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	KUNIT_ASSERT_TRUE(test, mst_wait_for(&mst_at_entry));

	/* A goes, and a grace period passes without the sleeping task. */
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister_direct(MST_RACE, mst_probe_a,
						       &mst_a));
	synchronize_rcu();

	/* The task loads the private data the site has now, and spins. */
	complete(&mst_resume);
	KUNIT_ASSERT_TRUE(test, mst_wait_for(&mst_loading));
	msleep(50);

	/* B comes: its call must wait until the task has made its own. */
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_register_direct(MST_RACE, "v %lu",
						     mst_probe_b, &mst_b));
	KUNIT_EXPECT_NE(test, 0UL,
			wait_for_completion_timeout(&mst_done, 10 * HZ));

	KUNIT_EXPECT_EQ(test, 0, atomic_read(&mst_a.calls));
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&mst_b.wrong));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&mst_b.calls));
	kunit_info(test, "probe B called %d time(s), %d with another probe's data",
		   atomic_read(&mst_b.calls), atomic_read(&mst_b.wrong));

	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister_direct(MST_RACE, mst_probe_b,
						       &mst_b));
	marker_synchronize_unregister();
}
#else
static void mst_short_reserved_test(struct kunit *test)
{
	kunit_skip(test, "needs patched x86-64 sites");
}

static void mst_preempted_entry_test(struct kunit *test)
{
	kunit_skip(test, "needs patched x86-64 sites");
}
#endif

/*
 * One site, two copies of its code (an inlined function): the copies
 * change together. With one copy's jump holding text the registry did not
 * write, a direct probe connects to neither: the site is refused before
 * anything is written, and the good copy never calls the probe, while it
 * is connected or after.
 */
static __always_inline void mst_copied_site(int v)
{
	trace_mark(markers_site_test_copied, "v %d", v);
}

static noinline void mst_fire_copy1(int v)
{
	mst_copied_site(v);
}

static noinline void mst_fire_copy2(int v)
{
	mst_copied_site(v + 1);
}

#ifdef CONFIG_MARKERS_PATCHING
static atomic_t mst_copied_calls;

static void mst_copied_probe(void *probe_private, int v)
{
	atomic_inc(&mst_copied_calls);
}

/* The jump of marker @name inside function @func. */
static struct marker_jump *mst_jump_in(const char *name, void *func)
{
	unsigned long size, offset, code;
	const struct marker_site *site;
	struct marker_jump *jump;

	if (!kallsyms_lookup_size_offset((unsigned long)func, &size, &offset))
		return NULL;
	for (jump = __start___markers_jump; jump < __stop___markers_jump;
	     jump++) {
		site = (void *)(((unsigned long)&jump->site + jump->site) & ~3UL);
		code = (unsigned long)&jump->code + jump->code;
		if (!strcmp(site->name, name) && code - (unsigned long)func < size)
			return jump;
	}
	return NULL;
}

/* Write one instruction as the registry does. */
static void mst_poke(const struct marker_poke *poke)
{
	cpus_read_lock();
	mutex_lock(&text_mutex);
	arch_markers_apply(poke, 1);
	mutex_unlock(&text_mutex);
	cpus_read_unlock();
}

static void mst_copies_together_test(struct kunit *test)
{
	struct marker_jump *jump = mst_jump_in(MST_COPIED, mst_fire_copy2);
	struct marker_site *site;
	struct marker_poke bad;
	u8 saved[MARKER_POKE_MAX];
	void *code, *target;
	int ret;

	if (!jump || !mst_jump_in(MST_COPIED, mst_fire_copy1))
		kunit_skip(test, "the compiler made one copy of the site");
	site = (void *)(((unsigned long)&jump->site + jump->site) & ~3UL);
	code = (void *)((unsigned long)&jump->code + jump->code);
	target = (void *)((unsigned long)&jump->target + jump->target);
	KUNIT_ASSERT_FALSE(test, site->flags & MARKER_SITE_REFUSED);

	/* copy 2's jump armed behind the registry's back; it never runs */
	arch_marker_gen_jump(&bad, code, target, true);
	memcpy(saved, code, bad.len);
	mst_poke(&bad);

	ret = marker_probe_register_direct(MST_COPIED, "v %d",
					   mst_copied_probe, NULL);
	KUNIT_EXPECT_EQ(test, 0, ret);
	KUNIT_EXPECT_TRUE(test, site->flags & MARKER_SITE_REFUSED);
	KUNIT_EXPECT_FALSE(test, site->flags & MARKER_SITE_ARMED);
	KUNIT_EXPECT_NULL(test, site->direct);
	mst_fire_copy1(1);
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&mst_copied_calls));

	ret = marker_probe_unregister_direct(MST_COPIED, mst_copied_probe,
					     NULL);
	KUNIT_EXPECT_EQ(test, 0, ret);
	mst_fire_copy1(2);
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&mst_copied_calls));

	/* copy 2 as it was; the site stays refused, as any refused site */
	memcpy(bad.insn, saved, bad.len);
	mst_poke(&bad);
}
#else
static void mst_copies_together_test(struct kunit *test)
{
	mst_fire_copy1(1);
	mst_fire_copy2(1);
	kunit_skip(test, "needs patched sites");
}
#endif

/*
 * A strict registration connects to a marker that loaded code has, and
 * refuses one that nothing loaded has, leaving the registry as it was.
 */
static void mst_strict_probe(void *probe_private, int v)
{
}

static void mst_strict_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -ENOENT,
			marker_probe_register_direct_strict("markers_site_test_nosuch",
							    "v %d", mst_strict_probe,
							    NULL));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			marker_probe_unregister_direct("markers_site_test_nosuch",
						       mst_strict_probe, NULL));
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register_direct_strict(MST_COPIED, "v %d",
							    mst_strict_probe,
							    NULL));
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister_direct(MST_COPIED,
						       mst_strict_probe, NULL));
}

/*
 * Probes connected and disconnected from CPU hotplug callbacks, where the
 * hotplug lock is held (for writing, while a CPU comes and goes): one
 * direct probe per online CPU, through the _cpuslocked calls, which
 * would deadlock taking cpus_read_lock() themselves.
 */
static atomic_t mst_hotplug_calls;

static noinline void mst_fire_hotplug(int v)
{
	trace_mark(markers_site_test_hotplug, "v %d", v);
}

static void mst_hotplug_probe(void *probe_private, int v)
{
	atomic_inc(&mst_hotplug_calls);
}

/* Each CPU's probe has its own private data: its number, plus one. */
static int mst_hotplug_online(unsigned int cpu)
{
	return marker_probe_register_direct_cpuslocked(MST_HOTPLUG, "v %d",
						       mst_hotplug_probe,
						       (void *)(cpu + 1UL));
}

static int mst_hotplug_offline(unsigned int cpu)
{
	return marker_probe_unregister_direct_cpuslocked(MST_HOTPLUG,
							 mst_hotplug_probe,
							 (void *)(cpu + 1UL));
}

/* The probes called by one hit. */
static int mst_hotplug_hit(void)
{
	atomic_set(&mst_hotplug_calls, 0);
	mst_fire_hotplug(1);
	return atomic_read(&mst_hotplug_calls);
}

static void mst_hotplug_test(struct kunit *test)
{
	unsigned int cpu = cpumask_last(cpu_online_mask);
	int state, n = num_online_cpus();

	if (!IS_ENABLED(CONFIG_HOTPLUG_CPU) || n < 2)
		kunit_skip(test, "needs CPU hotplug and two CPUs online");
	state = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "markers/test:online",
				  mst_hotplug_online, mst_hotplug_offline);
	KUNIT_ASSERT_GE(test, state, 0);
	KUNIT_EXPECT_EQ(test, n, mst_hotplug_hit());
	/* the callbacks of a CPU going and coming: cpus_write_lock() held */
	KUNIT_EXPECT_EQ(test, 0, remove_cpu(cpu));
	KUNIT_EXPECT_EQ(test, n - 1, mst_hotplug_hit());
	KUNIT_EXPECT_EQ(test, 0, add_cpu(cpu));
	KUNIT_EXPECT_EQ(test, n, mst_hotplug_hit());
	cpuhp_remove_state(state);
	KUNIT_EXPECT_EQ(test, 0, mst_hotplug_hit());
}

static struct kunit_case markers_site_test_cases[] = {
	KUNIT_CASE(mst_early_probe_test),
	KUNIT_CASE(mst_init_text_test),
	KUNIT_CASE(mst_enabled_test),
	KUNIT_CASE(mst_batch_test),
	KUNIT_CASE(mst_short_reserved_test),
	KUNIT_CASE_SLOW(mst_preempted_entry_test),
	KUNIT_CASE(mst_copies_together_test),
	KUNIT_CASE(mst_exit_text_test),
	KUNIT_CASE(mst_strict_test),
	KUNIT_CASE(mst_hotplug_test),
	{}
};

static struct kunit_suite markers_site_test_suite = {
	.name = "markers_sites",
	.test_cases = markers_site_test_cases,
};

kunit_test_suite(markers_site_test_suite);

MODULE_DESCRIPTION("KUnit tests of the registry's rules at marker sites");
MODULE_LICENSE("GPL");
