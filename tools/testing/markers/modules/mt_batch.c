// SPDX-License-Identifier: GPL-2.0
/*
 * Mixed batches of marker_probes_change() on one marker, for the
 * allocation failure sweeps of vm/50-core.sh. The marker mt_batch_event
 * has probes A and C when the module is loaded; then:
 *
 *   echo 1 > parameters/fail    removes A, adds B, then asks for a probe
 *                               with another format: the batch fails
 *                               (-EPERM) and must leave A and C alone;
 *   echo 1 > parameters/swap    removes A and adds B: on success B and C
 *                               are connected, on -ENOMEM A and C still;
 *   echo 1 > parameters/reset   goes back to A and C, whatever is there;
 *   echo 1 > parameters/fire    fires the marker once.
 *
 * When the removal of A gets no memory for the smaller array, it stubs A
 * in place in the current one: the batch then stages a new array over a
 * stubbed one, and undoing it, or keeping it, must free each array once
 * and give A back its function. The hits of each probe are parameters.
 */

#include <linux/markers.h>
#include <linux/module.h>

#define MT_BATCH	"mt_batch_event"
#define MT_FORMAT	"n %d"

static int hits_a, hits_b, hits_c;
/* Which of A and B are connected: reset undoes exactly what swap did. */
static bool a_on, b_on;
module_param(hits_a, int, 0444);
module_param(hits_b, int, 0444);
module_param(hits_c, int, 0444);

static noinline void mt_batch_fire(int n)
{
	trace_mark(mt_batch_event, MT_FORMAT, n);
}

static void mt_probe_a(void *probe_private, int n)
{
	WRITE_ONCE(hits_a, hits_a + 1);
}

static void mt_probe_b(void *probe_private, int n)
{
	WRITE_ONCE(hits_b, hits_b + 1);
}

static void mt_probe_c(void *probe_private, int n)
{
	WRITE_ONCE(hits_c, hits_c + 1);
}

static void mt_probe_other(void *probe_private, const char *s)
{
}

static struct marker_change mt_change(bool connect, void *probe,
				      const char *format)
{
	return (struct marker_change) {
		.name = MT_BATCH,
		.format = format,
		.probe = { .func = probe, .flags = MARKER_PROBE_DIRECT },
		.connect = connect,
	};
}

/* Connect or disconnect @probe alone; -EBUSY or -ENOENT if already so. */
static int mt_one(bool connect, void *probe)
{
	struct marker_change change = mt_change(connect, probe, MT_FORMAT);

	return marker_probes_change(&change, 1);
}

static int mt_fail_set(const char *val, const struct kernel_param *kp)
{
	struct marker_change batch[] = {
		mt_change(false, mt_probe_a, NULL),
		mt_change(true, mt_probe_b, MT_FORMAT),
		mt_change(true, mt_probe_other, "s %s"),
	};

	return marker_probes_change(batch, ARRAY_SIZE(batch));
}

static int mt_swap_set(const char *val, const struct kernel_param *kp)
{
	struct marker_change batch[] = {
		mt_change(false, mt_probe_a, NULL),
		mt_change(true, mt_probe_b, MT_FORMAT),
	};

	int ret = marker_probes_change(batch, ARRAY_SIZE(batch));

	if (!ret) {
		a_on = false;
		b_on = true;
	}
	return ret;
}

static int mt_reset_set(const char *val, const struct kernel_param *kp)
{
	int ret = 0;

	if (b_on)
		ret = mt_one(false, mt_probe_b);
	if (!ret)
		b_on = false;
	if (!ret && !a_on)
		ret = mt_one(true, mt_probe_a);
	if (!ret)
		a_on = true;
	return ret;
}

static int mt_fire_set(const char *val, const struct kernel_param *kp)
{
	mt_batch_fire(1);
	return 0;
}

static const struct kernel_param_ops mt_fail_ops = { .set = mt_fail_set };
static const struct kernel_param_ops mt_swap_ops = { .set = mt_swap_set };
static const struct kernel_param_ops mt_reset_ops = { .set = mt_reset_set };
static const struct kernel_param_ops mt_fire_ops = { .set = mt_fire_set };
module_param_cb(fail, &mt_fail_ops, NULL, 0200);
module_param_cb(swap, &mt_swap_ops, NULL, 0200);
module_param_cb(reset, &mt_reset_ops, NULL, 0200);
module_param_cb(fire, &mt_fire_ops, NULL, 0200);

static int __init mt_batch_init(void)
{
	int ret = mt_one(true, mt_probe_a);

	if (!ret)
		ret = mt_one(true, mt_probe_c);
	if (ret)
		mt_one(false, mt_probe_a);
	a_on = !ret;
	return ret;
}

static void __exit mt_batch_exit(void)
{
	if (a_on)
		mt_one(false, mt_probe_a);
	if (b_on)
		mt_one(false, mt_probe_b);
	mt_one(false, mt_probe_c);
	marker_synchronize_unregister();
}

module_init(mt_batch_init);
module_exit(mt_batch_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: mixed batches under allocation failure");
