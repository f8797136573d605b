// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of patched marker sites: the instructions of a dormant and of
 * an armed site on x86-64 and arm64, what kprobes and optimized kprobes must
 * leave alone, the unwinder through a site's out-of-line block, and the
 * batching of one marker's hundred sites. On the generic fallback (UML) the
 * suite checks that nothing is patched.
 */

#include <kunit/test.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/markers.h>
#include <linux/markers_internal.h>
#include <linux/stacktrace.h>
#include <linux/string.h>

#if defined(CONFIG_MARKERS_PATCHING) && defined(CONFIG_X86)
#include <linux/memory.h>
#include <asm/insn.h>
#include <asm/text-patching.h>
#elif defined(CONFIG_MARKERS_PATCHING) && defined(CONFIG_ARM64)
#include <linux/sizes.h>
#include <asm/insn.h>
#endif

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define MPT_DIRECT	"markers_patched_direct"
#define MPT_HUNDRED	"markers_patched_hundred"

/* The marked functions. noinline keeps one copy of each site. */

static noinline void mpt_fire_direct(unsigned long a, int b)
{
	trace_mark(markers_patched_direct, "a %lu b %d", a, b);
}

#define MPT_10(x)	x x x x x x x x x x
#define MPT_HUNDRED_SITE	trace_mark(markers_patched_hundred, "i %d", i);

/* One marker, one hundred sites. */
static noinline void mpt_fire_hundred(int i)
{
	MPT_10(MPT_10(MPT_HUNDRED_SITE))
}

/* What the probes saw. */
struct mpt_seen {
	atomic_t calls;
	char text[32];
	unsigned long a;
	int b;
};

static struct mpt_seen mpt_seen1, mpt_seen2;

static void __printf(3, 0) mpt_va_probe(void *probe_private,
					void *call_private, const char *fmt,
					va_list *args)
{
	struct mpt_seen *seen = probe_private;
	va_list copy;

	va_copy(copy, *args);
	vsnprintf(seen->text, sizeof(seen->text), fmt, copy);
	va_end(copy);
	atomic_inc(&seen->calls);
}

static void mpt_direct_probe(void *probe_private, unsigned long a, int b)
{
	struct mpt_seen *seen = probe_private;

	seen->a = a;
	seen->b = b;
	atomic_inc(&seen->calls);
}

static void mpt_noargs_direct(void *probe_private)
{
	struct mpt_seen *seen = probe_private;

	atomic_inc(&seen->calls);
}

static struct marker_site *mpt_find_site(const char *name)
{
	struct marker_site *site;

	for (site = __start___markers; site < __stop___markers; site++)
		if (!strcmp(site->name, name))
			return site;
	return NULL;
}

/* What patching counters must show: nothing where sites are not patched. */
static unsigned long mpt_patched(unsigned long n)
{
	return IS_ENABLED(CONFIG_MARKERS_PATCHING) ? n : 0;
}

/*
 * The patch points of the marker @name in the core kernel: a compiler may
 * copy a site's asm goto (GCC does on arm64), each copy a jump to patch.
 */
static void mpt_count_patch_points(const char *name, unsigned long *jumps,
				   unsigned long *calls)
{
#ifdef CONFIG_MARKERS_PATCHING
	const struct marker_site *site;
	const struct marker_jump *jump;
	const struct marker_call *call;

	*jumps = 0;
	*calls = 0;
	for (jump = __start___markers_jump; jump < __stop___markers_jump;
	     jump++) {
		site = (void *)(((unsigned long)&jump->site + jump->site) & ~3UL);
		*jumps += !strcmp(site->name, name);
	}
	for (call = __start___markers_call; call < __stop___markers_call;
	     call++) {
		site = (void *)((unsigned long)&call->site + call->site);
		*calls += !strcmp(site->name, name);
	}
#else
	*jumps = 0;
	*calls = 0;
#endif
}

/* One marker with a hundred sites: every site fires, one sequence arms all. */
static void mpt_hundred_sites_test(struct kunit *test)
{
	struct marker_stats before, after;
	unsigned long jumps, calls;
	int ret;

	mpt_count_patch_points(MPT_HUNDRED, &jumps, &calls);
	kunit_info(test, "%lu jumps and %lu calls for 100 sites", jumps, calls);
	KUNIT_EXPECT_GE(test, jumps, mpt_patched(100));
	KUNIT_EXPECT_GE(test, calls, mpt_patched(100));

	memset(&mpt_seen1, 0, sizeof(mpt_seen1));
	memset(&mpt_seen2, 0, sizeof(mpt_seen2));
	markers_read_stats(&before);
	ret = marker_probe_register(MPT_HUNDRED, NULL, mpt_va_probe, &mpt_seen1);
	KUNIT_ASSERT_EQ(test, 0, ret);
	markers_read_stats(&after);
	kunit_info(test, "va_list probe on 100 sites: %lu sequence, %lu batch, %lu pokes",
		   after.sequences - before.sequences,
		   after.batches - before.batches, after.pokes - before.pokes);
	/* The update brought in line this marker's sites, and no others. */
	KUNIT_EXPECT_EQ(test, 100, after.sites - before.sites);
	/* One sequence, one NOP -> JMP per jump, 256 per batch. */
	KUNIT_EXPECT_EQ(test, mpt_patched(1), after.sequences - before.sequences);
	KUNIT_EXPECT_EQ(test, DIV_ROUND_UP(jumps, 256),
			after.batches - before.batches);
	KUNIT_EXPECT_EQ(test, jumps, after.pokes - before.pokes);
	mpt_fire_hundred(5);
	KUNIT_EXPECT_EQ(test, 100, atomic_read(&mpt_seen1.calls));
	KUNIT_EXPECT_STREQ(test, "i 5", mpt_seen1.text);
	ret = marker_probe_unregister(MPT_HUNDRED, mpt_va_probe, &mpt_seen1);
	KUNIT_EXPECT_EQ(test, 0, ret);

	/* A direct probe also moves the calls: still one sequence. */
	markers_read_stats(&before);
	ret = marker_probe_register_direct(MPT_HUNDRED, NULL, mpt_noargs_direct,
					   &mpt_seen2);
	KUNIT_ASSERT_EQ(test, 0, ret);
	markers_read_stats(&after);
	kunit_info(test, "direct probe on 100 sites: %lu sequence, %lu batch, %lu pokes",
		   after.sequences - before.sequences,
		   after.batches - before.batches, after.pokes - before.pokes);
	KUNIT_EXPECT_EQ(test, 100, after.sites - before.sites);
	KUNIT_EXPECT_EQ(test, mpt_patched(1), after.sequences - before.sequences);
	KUNIT_EXPECT_EQ(test, DIV_ROUND_UP(jumps + calls, 256),
			after.batches - before.batches);
	KUNIT_EXPECT_EQ(test, jumps + calls, after.pokes - before.pokes);
	mpt_fire_hundred(6);
	KUNIT_EXPECT_EQ(test, 100, atomic_read(&mpt_seen2.calls));
	ret = marker_probe_unregister_direct(MPT_HUNDRED, mpt_noargs_direct,
					     &mpt_seen2);
	KUNIT_EXPECT_EQ(test, 0, ret);
}

/*
 * The unwinder must see through the out-of-line block into the marked
 * function, once, and on to its caller. mpt_fire_direct() is a leaf;
 * mpt_fire_framed() has made a call before its marker, so that on arm64
 * the return address in x30 is stale there and a frame record made of it
 * would show the function twice.
 */
static unsigned long mpt_trace_entries[16];
static unsigned int mpt_trace_nr;

static void mpt_stack_probe(void *probe_private, unsigned long a, int b)
{
	mpt_trace_nr = stack_trace_save(mpt_trace_entries,
					ARRAY_SIZE(mpt_trace_entries), 0);
}

static noinline int mpt_before_marker(int b)
{
	barrier();
	return b + 1;
}

static noinline void mpt_fire_framed(unsigned long a, int b)
{
	b = mpt_before_marker(b);
	trace_mark(markers_patched_framed, "a %lu b %d", a, b);
}

static void mpt_trace_sym(unsigned int i, char *sym)
{
	sym[0] = '\0';
	if (i < mpt_trace_nr)
		sprint_symbol_no_offset(sym, mpt_trace_entries[i]);
	/* without " [module]", or a clone's ".constprop.0" */
	sym[strcspn(sym, " .")] = '\0';
}

/*
 * Check that @fn is in the probe's stack trace once, after the probe, and
 * followed by @next if @next is given.
 */
static void mpt_expect_in_trace(struct kunit *test, const char *fn,
				const char *next)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned int i, count = 0;
	int probe = -1, at = -1;

	for (i = 0; i < mpt_trace_nr; i++) {
		mpt_trace_sym(i, sym);
		kunit_info(test, "stack in probe: %u %s", i, sym);
		if (!strcmp(sym, "mpt_stack_probe") && probe < 0)
			probe = i;
		if (strcmp(sym, fn))
			continue;
		if (at < 0)
			at = i;
		count++;
	}
	KUNIT_EXPECT_GE(test, probe, 0);
	KUNIT_EXPECT_GT(test, at, probe);
	KUNIT_EXPECT_EQ_MSG(test, 1, count, "%s in the stack trace", fn);
	if (!next || at < 0)
		return;
	mpt_trace_sym(at + 1, sym);
	KUNIT_EXPECT_STREQ(test, next, sym);
}

static void mpt_stack_trace_test(struct kunit *test)
{
	/* What is tested is objtool's view of the patched out-of-line block. */
	if (!IS_ENABLED(CONFIG_MARKERS_PATCHING))
		kunit_skip(test, "generic sites have no out-of-line block");
	if (!IS_ENABLED(CONFIG_KALLSYMS) || !IS_ENABLED(CONFIG_STACKTRACE))
		kunit_skip(test, "needs KALLSYMS and STACKTRACE");
	mpt_trace_nr = 0;
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register_direct(MPT_DIRECT, NULL,
						     mpt_stack_probe, NULL));
	mpt_fire_direct(1, 2);
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister_direct(MPT_DIRECT,
						       mpt_stack_probe, NULL));
	/*
	 * ORC finds a leaf's caller; a frame-pointer unwinder goes from a
	 * leaf to its caller's caller, the leaf having no frame record.
	 */
	mpt_expect_in_trace(test, "mpt_fire_direct",
			    IS_ENABLED(CONFIG_UNWINDER_ORC) ?
			    "mpt_stack_trace_test" : NULL);

	mpt_trace_nr = 0;
	KUNIT_ASSERT_EQ(test, 0,
			marker_probe_register_direct("markers_patched_framed",
						     "a %lu b %d",
						     mpt_stack_probe, NULL));
	mpt_fire_framed(3, 4);
	KUNIT_EXPECT_EQ(test, 0,
			marker_probe_unregister_direct("markers_patched_framed",
						       mpt_stack_probe, NULL));
	mpt_expect_in_trace(test, "mpt_fire_framed", "mpt_stack_trace_test");
}

#if defined(CONFIG_MARKERS_PATCHING) && defined(CONFIG_X86)
/* __start___markers and friends come from <linux/markers.h>. */

static u8 *mpt_rel(const s32 *field)
{
	return (u8 *)field + *field;
}

static bool mpt_is_jump_of(const struct marker_jump *jump,
			   const struct marker_site *site)
{
	return (((unsigned long)&jump->site + jump->site) & ~3UL) ==
	       (unsigned long)site;
}

/* Where a call to @dest really goes, as its contract says: text_mutex held. */
static void *mpt_thunk(void *dest)
{
	guard(mutex)(&text_mutex);
	return callthunks_translate_call_dest(dest);
}

static void *mpt_call_dest(const u8 *code)
{
	return (void *)(code + CALL_INSN_SIZE + *(s32 *)(code + 1));
}

/* No indirect jump or call from @from up to @to. */
static void mpt_expect_no_indirect(struct kunit *test, const u8 *from,
				   const u8 *to)
{
	struct insn insn;

	while (from < to) {
		KUNIT_ASSERT_EQ(test, 0, insn_decode_kernel(&insn, from));
		if (insn.opcode.bytes[0] == 0xff) {
			int reg = X86_MODRM_REG(insn.modrm.value);

			KUNIT_EXPECT_TRUE_MSG(test, reg < 2 || reg > 5,
					      "indirect branch at %pS", from);
		}
		from += insn.length;
	}
	KUNIT_EXPECT_PTR_EQ(test, from, to);
}

static void mpt_patched_code_test(struct kunit *test)
{
	struct marker_site *site = mpt_find_site(MPT_DIRECT);
	struct marker_jump *jump;
	struct marker_call *call;
	u8 *code, *target, *call_code = NULL;
	int jumps = 0, ret;

	KUNIT_ASSERT_NOT_NULL(test, site);
	for (call = __start___markers_call; call < __stop___markers_call;
	     call++)
		if ((struct marker_site *)mpt_rel(&call->site) == site)
			call_code = mpt_rel(&call->code);
	KUNIT_ASSERT_NOT_NULL(test, call_code);

	/* Dormant: a NOP, and the call goes to the dispatcher. */
	for (jump = __start___markers_jump; jump < __stop___markers_jump;
	     jump++) {
		if (!mpt_is_jump_of(jump, site))
			continue;
		code = mpt_rel(&jump->code);
		KUNIT_EXPECT_TRUE(test, !memcmp(code, x86_nops[2], 2) ||
				  !memcmp(code, x86_nops[5], 5));
		jumps++;
	}
	KUNIT_ASSERT_EQ(test, 1, jumps);
	/* Two arguments: the dispatcher that takes them in registers. */
	KUNIT_EXPECT_PTR_EQ(test, arch_marker_dispatcher(site),
			    (void *)__marker_x86_dispatch2);
	KUNIT_EXPECT_PTR_EQ(test, mpt_call_dest(call_code),
			    mpt_thunk(arch_marker_dispatcher(site)));

	ret = marker_probe_register_direct(MPT_DIRECT, NULL, mpt_direct_probe,
					   &mpt_seen1);
	KUNIT_ASSERT_EQ(test, 0, ret);
	for (jump = __start___markers_jump; jump < __stop___markers_jump;
	     jump++) {
		if (!mpt_is_jump_of(jump, site))
			continue;
		code = mpt_rel(&jump->code);
		target = mpt_rel(&jump->target);
		/* Armed: a jump to the out-of-line block... */
		if (code[0] == JMP8_INSN_OPCODE)
			KUNIT_EXPECT_PTR_EQ(test, target, code + 2 + (s8)code[1]);
		else
			KUNIT_EXPECT_PTR_EQ(test, target,
					    code + 5 + *(s32 *)(code + 1));
		/* ...which reaches a direct call of the probe. */
		KUNIT_EXPECT_TRUE(test, call_code > target);
		mpt_expect_no_indirect(test, target, call_code);
		kunit_info(test, "armed: %pS: %*ph -> %pS ... %pS: %*ph (%ps)",
			   code, code[0] == JMP8_INSN_OPCODE ? 2 : 5, code,
			   target, call_code, CALL_INSN_SIZE, call_code,
			   mpt_call_dest(call_code));
	}
	KUNIT_EXPECT_EQ(test, CALL_INSN_OPCODE, call_code[0]);
	KUNIT_EXPECT_PTR_EQ(test, mpt_call_dest(call_code),
			    mpt_thunk(mpt_direct_probe));
	KUNIT_EXPECT_PTR_EQ(test, site->probe_private, (void *)&mpt_seen1);

	ret = marker_probe_unregister_direct(MPT_DIRECT, mpt_direct_probe,
					     &mpt_seen1);
	KUNIT_EXPECT_EQ(test, 0, ret);
	for (jump = __start___markers_jump; jump < __stop___markers_jump;
	     jump++) {
		if (!mpt_is_jump_of(jump, site))
			continue;
		code = mpt_rel(&jump->code);
		KUNIT_EXPECT_TRUE(test, !memcmp(code, x86_nops[2], 2) ||
				  !memcmp(code, x86_nops[5], 5));
	}
	KUNIT_EXPECT_PTR_EQ(test, mpt_call_dest(call_code),
			    mpt_thunk(arch_marker_dispatcher(site)));
}

static void mpt_kprobe_refused_test(struct kunit *test)
{
	struct marker_site *site = mpt_find_site(MPT_DIRECT);
	struct marker_jump *jump;
	struct marker_call *call;
	u8 *code = NULL, *call_code = NULL;

	KUNIT_ASSERT_NOT_NULL(test, site);
	for (jump = __start___markers_jump; jump < __stop___markers_jump;
	     jump++)
		if (mpt_is_jump_of(jump, site))
			code = mpt_rel(&jump->code);
	for (call = __start___markers_call; call < __stop___markers_call;
	     call++)
		if ((struct marker_site *)mpt_rel(&call->site) == site)
			call_code = mpt_rel(&call->code);
	KUNIT_ASSERT_NOT_NULL(test, code);
	KUNIT_ASSERT_NOT_NULL(test, call_code);

	KUNIT_EXPECT_TRUE(test, markers_text_reserved(code, code));
	KUNIT_EXPECT_TRUE(test, markers_text_reserved(call_code + 4,
						      call_code + 4));
	KUNIT_EXPECT_FALSE(test, markers_text_reserved(mpt_fire_direct,
						       mpt_fire_direct));
#ifdef CONFIG_KPROBES
	{
		struct kprobe kp = { .addr = (kprobe_opcode_t *)code };

		KUNIT_EXPECT_EQ(test, -EINVAL, register_kprobe(&kp));
		kp = (struct kprobe){ .addr = (kprobe_opcode_t *)call_code };
		KUNIT_EXPECT_EQ(test, -EINVAL, register_kprobe(&kp));
	}
#endif
}
#endif /* CONFIG_MARKERS_PATCHING && CONFIG_X86 */

#if defined(CONFIG_MARKERS_PATCHING) && defined(CONFIG_ARM64)
/* What the instruction at @code is, and where a B or BL there goes. */
static u32 mpt_a64_insn(const void *code)
{
	return le32_to_cpup(code);
}

static void *mpt_a64_dest(const void *code)
{
	return (void *)code + aarch64_get_branch_offset(mpt_a64_insn(code));
}

static void *mpt_a64_rel(const s32 *field)
{
	return (void *)field + *field;
}

/* Check every copy of @site's jump: a NOP, or a B to its block. */
static int mpt_a64_expect_jumps(struct kunit *test,
				const struct marker_site *site, bool on)
{
	const struct marker_jump *jump;
	int n = 0;
	void *code;

	for (jump = __start___markers_jump; jump < __stop___markers_jump;
	     jump++) {
		if ((void *)(((unsigned long)&jump->site + jump->site) & ~3UL) !=
		    site)
			continue;
		code = mpt_a64_rel(&jump->code);
		if (on) {
			/* a B's offset is read only from a B: BUG() otherwise */
			KUNIT_ASSERT_TRUE(test, aarch64_insn_is_b(mpt_a64_insn(code)));
			KUNIT_EXPECT_PTR_EQ(test, mpt_a64_dest(code),
					    mpt_a64_rel(&jump->target));
		} else {
			KUNIT_EXPECT_EQ(test, aarch64_insn_gen_nop(),
					mpt_a64_insn(code));
		}
		n++;
	}
	return n;
}

/*
 * The patched code on arm64: dormant, each copy of the site's jump is a
 * NOP and its block's BL goes to the dispatcher for two arguments; with
 * one direct probe, the jumps are Bs to the block and the BL goes to the
 * probe; unregistered, all is as it was.
 */
static void *mpt_a64_call_code(const struct marker_site *site)
{
	const struct marker_call *call;
	void *call_code = NULL;

	for (call = __start___markers_call; call < __stop___markers_call;
	     call++)
		if (mpt_a64_rel(&call->site) == site)
			call_code = mpt_a64_rel(&call->code);
	return call_code;
}

static void mpt_patched_code_test(struct kunit *test)
{
	struct marker_site *site = mpt_find_site(MPT_DIRECT);
	void *call_code;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, site);
	call_code = mpt_a64_call_code(site);
	KUNIT_ASSERT_NOT_NULL(test, call_code);

	KUNIT_EXPECT_GE(test, mpt_a64_expect_jumps(test, site, false), 1);
	KUNIT_EXPECT_TRUE(test, aarch64_insn_is_bl(mpt_a64_insn(call_code)));
	KUNIT_EXPECT_PTR_EQ(test, mpt_a64_dest(call_code),
			    (void *)__marker_arm64_dispatch2);

	ret = marker_probe_register_direct(MPT_DIRECT, NULL, mpt_direct_probe,
					   &mpt_seen1);
	KUNIT_ASSERT_EQ(test, 0, ret);
	mpt_a64_expect_jumps(test, site, true);
	KUNIT_EXPECT_PTR_EQ(test, mpt_a64_dest(call_code),
			    (void *)mpt_direct_probe);
	KUNIT_EXPECT_PTR_EQ(test, site->probe_private, (void *)&mpt_seen1);
	kunit_info(test, "armed: %pS: %08x (bl %ps)", call_code,
		   mpt_a64_insn(call_code), mpt_a64_dest(call_code));

	ret = marker_probe_unregister_direct(MPT_DIRECT, mpt_direct_probe,
					     &mpt_seen1);
	KUNIT_EXPECT_EQ(test, 0, ret);
	mpt_a64_expect_jumps(test, site, false);
	KUNIT_EXPECT_PTR_EQ(test, mpt_a64_dest(call_code),
			    (void *)__marker_arm64_dispatch2);
}

/*
 * A direct probe out of the BL's reach (+-128 MiB) leaves the call at the
 * dispatcher, which calls the probe from the site's probe array: the site
 * is armed and works, at the dispatcher's cost. The "probe" is an address
 * 256 MiB past the site, where no code needs to be: the marker is not
 * fired while it is connected, so it is never called. (Modules are always
 * loaded within reach of the kernel in this test kernel, and vmalloc()
 * gives addresses near its text too.)
 */
static void mpt_far_probe_test(struct kunit *test)
{
	struct marker_site *site = mpt_find_site(MPT_DIRECT);
	void *call_code, *far;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, site);
	call_code = mpt_a64_call_code(site);
	KUNIT_ASSERT_NOT_NULL(test, call_code);
	far = call_code + SZ_256M;

	ret = marker_probe_register_direct(MPT_DIRECT, NULL, far, &mpt_seen1);
	KUNIT_ASSERT_EQ(test, 0, ret);
	KUNIT_EXPECT_GE(test, mpt_a64_expect_jumps(test, site, true), 1);
	KUNIT_EXPECT_PTR_EQ(test, mpt_a64_dest(call_code),
			    (void *)__marker_arm64_dispatch2);
	KUNIT_EXPECT_NULL(test, site->direct);
	kunit_info(test, "probe 256 MiB away: %pS stays bl %ps", call_code,
		   mpt_a64_dest(call_code));

	ret = marker_probe_unregister_direct(MPT_DIRECT, far, &mpt_seen1);
	KUNIT_EXPECT_EQ(test, 0, ret);
	mpt_a64_expect_jumps(test, site, false);
	KUNIT_EXPECT_PTR_EQ(test, mpt_a64_dest(call_code),
			    (void *)__marker_arm64_dispatch2);
}
#endif /* CONFIG_MARKERS_PATCHING && CONFIG_ARM64 */

#if defined(CONFIG_MARKERS_PATCHING) && defined(CONFIG_OPTPROBES)
/*
 * An optimized kprobe replaces the probed instruction, and the ones after it
 * up to JMP32_INSN_SIZE bytes, with a jump: at an instruction just before a
 * site, the jump would overwrite the site's NOP. The two functions below
 * have the same instruction before the same NOP, a marker's in the first, a
 * plain one in the second. notrace: a kprobe on the __fentry__ call would be
 * an ftrace kprobe, never optimized.
 */
static noinline notrace unsigned long mpt_fire_optprobe(unsigned long a)
{
	asm volatile("add $1, %0" : "+r" (a));
	trace_mark(markers_patched_optprobe, "a %lu", a);
	return a;
}

static noinline notrace unsigned long mpt_optprobe_control(unsigned long a)
{
	asm volatile("add $1, %0" : "+r" (a));
	asm volatile(ASM_NOP2);
	return a;
}

struct mpt_kprobe {
	struct kprobe kp;
	atomic_t hits;
};

static int mpt_kprobe_pre(struct kprobe *p, struct pt_regs *regs)
{
	atomic_inc(&container_of(p, struct mpt_kprobe, kp)->hits);
	return 0;
}

/* The start of the instruction of @func that ends at @end, or NULL. */
static u8 *mpt_insn_before(u8 *func, u8 *end)
{
	struct insn insn;
	u8 *prev = NULL;

	while (func < end) {
		if (insn_decode_kernel(&insn, func))
			return NULL;
		prev = func;
		func += insn.length;
	}
	return func == end ? prev : NULL;
}

/* Where, among the first instructions of @func, the @len bytes @code start. */
static u8 *mpt_find_code(u8 *func, const u8 *code, size_t len)
{
	struct insn insn;
	int i;

	for (i = 0; i < 16; i++, func += insn.length) {
		if (!memcmp(func, code, len))
			return func;
		if (insn_decode_kernel(&insn, func))
			return NULL;
	}
	return NULL;
}

/* Whether the kprobe at @addr is optimized: the flag and the code agree. */
static bool mpt_kprobe_optimized(struct kunit *test, u8 *addr)
{
	struct kprobe *p;
	bool ret;

	preempt_disable();
	p = get_kprobe(addr);
	ret = p && kprobe_optimized(p);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, ret ? JMP32_INSN_OPCODE : INT3_INSN_OPCODE,
			*addr);
	return ret;
}

static void mpt_optprobe_refused_test(struct kunit *test)
{
	struct marker_site *site = mpt_find_site("markers_patched_optprobe");
	struct mpt_kprobe site_kp = { .kp.pre_handler = mpt_kprobe_pre };
	struct mpt_kprobe ctl_kp = { .kp.pre_handler = mpt_kprobe_pre };
	u8 *nop = NULL, *before, *ctl, code[16];
	struct marker_jump *jump;
	bool site_opt, ctl_opt;
	size_t len;
	int n = 0;

	KUNIT_ASSERT_NOT_NULL(test, site);
	for (jump = __start___markers_jump; jump < __stop___markers_jump;
	     jump++)
		if (mpt_is_jump_of(jump, site))
			nop = mpt_rel(&jump->code);
	KUNIT_ASSERT_NOT_NULL(test, nop);
	if (!memcmp(nop, x86_nops[2], 2))
		n = 2;
	else if (!memcmp(nop, x86_nops[5], 5))
		n = 5;
	KUNIT_ASSERT_NE_MSG(test, 0, n, "site %pS: %*ph", nop, 5, nop);

	/*
	 * The probed instruction must precede the NOP closely enough that the
	 * jump reaches into it, and the code after the NOP, where the site's
	 * out-of-line block returns, must not lie inside the jump (the
	 * optimizer refuses a jump target there for its own reasons).
	 */
	before = mpt_insn_before((u8 *)mpt_fire_optprobe, nop);
	if (!before || nop - before >= JMP32_INSN_SIZE ||
	    before + JMP32_INSN_SIZE > nop + n)
		kunit_skip(test, "layout: no instruction right before %pS (%pS)",
			   nop, before);
	len = nop + n - before;
	memcpy(code, before, len);
	ctl = mpt_find_code((u8 *)mpt_optprobe_control, code, len);
	if (!ctl)
		kunit_skip(test, "layout: %pS has no %*ph", mpt_optprobe_control,
			   (int)len, code);

	ctl_kp.kp.addr = (kprobe_opcode_t *)ctl;
	KUNIT_ASSERT_EQ(test, 0, register_kprobe(&ctl_kp.kp));
	site_kp.kp.addr = (kprobe_opcode_t *)before;
	if (register_kprobe(&site_kp.kp)) {
		unregister_kprobe(&ctl_kp.kp);
		KUNIT_FAIL(test, "cannot probe %pS", before);
		return;
	}
	wait_for_kprobe_optimizer();

	ctl_opt = mpt_kprobe_optimized(test, ctl);
	site_opt = mpt_kprobe_optimized(test, before);
	kunit_info(test, "optprobe: %pS (%*ph): %s; %pS, before the site: %s",
		   ctl, (int)len, code, ctl_opt ? "optimized" : "NOT optimized",
		   before, site_opt ? "optimized" : "not optimized");
	/* Optimization works in this kernel, and the marker prevents it. */
	KUNIT_EXPECT_TRUE(test, ctl_opt);
	KUNIT_EXPECT_FALSE(test, site_opt);
	KUNIT_EXPECT_TRUE(test, !memcmp(nop, x86_nops[n], n));
	/* Both probes are live, and the site still works. */
	KUNIT_EXPECT_EQ(test, 8UL, mpt_optprobe_control(7));
	KUNIT_EXPECT_EQ(test, 8UL, mpt_fire_optprobe(7));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&ctl_kp.hits));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&site_kp.hits));

	unregister_kprobe(&site_kp.kp);
	unregister_kprobe(&ctl_kp.kp);
}
#else
static void mpt_optprobe_refused_test(struct kunit *test)
{
	kunit_skip(test, "needs patched sites and optimized kprobes");
}
#endif

static struct kunit_case mpt_cases[] = {
	KUNIT_CASE(mpt_hundred_sites_test),
	KUNIT_CASE(mpt_stack_trace_test),
#if defined(CONFIG_MARKERS_PATCHING) && defined(CONFIG_X86)
	KUNIT_CASE(mpt_patched_code_test),
	KUNIT_CASE(mpt_kprobe_refused_test),
#elif defined(CONFIG_MARKERS_PATCHING) && defined(CONFIG_ARM64)
	KUNIT_CASE(mpt_patched_code_test),
	KUNIT_CASE(mpt_far_probe_test),
#endif
	KUNIT_CASE(mpt_optprobe_refused_test),
	{}
};

static struct kunit_suite mpt_suite = {
	.name = "markers_patched",
	.test_cases = mpt_cases,
};

kunit_test_suite(mpt_suite);

MODULE_DESCRIPTION("KUnit tests of patched marker sites");
MODULE_LICENSE("GPL");
