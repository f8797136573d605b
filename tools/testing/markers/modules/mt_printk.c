// SPDX-License-Identifier: GPL-2.0
/*
 * Markers written as debug output is: printk-style field names ("key=%u",
 * "key: %#x", "key = %d"), and two strings in one record, which the
 * event's probes write out of line (their general case), and %p
 * extensions: the bytes of an address, copied into the record, and an
 * error code, a hex dump (%*ph); and a string longer than the default 255
 * bytes, kept to its precision. Writing N to
 * /sys/module/mt_printk/parameters/fire fires each marker once with N; an
 * odd N passes NULL as the second string.
 */

#include <linux/markers.h>
#include <linux/module.h>
#include <linux/string.h>

/* a path longer than the 1000 bytes mt_printk_long's field keeps */
static char mt_printk_path[1500];

static noinline void mt_printk_event(unsigned int n)
{
	u8 ip[4] = { 192, 168, 0, n }, mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, n };
	u8 ip6[16] = { 0xfe, 0x80, [15] = n }, uuid[16];
	u8 hdr[4] = { 0xde, 0xad, 0xbe, n };
	unsigned int i;

	for (i = 0; i < sizeof(uuid); i++)
		uuid[i] = i < 15 ? i : n;

	trace_mark(mt_printk_kv, "dev=%s len=%u flags: %#x", "vda", n, 0x11);
	trace_mark(mt_printk_two, "dev=%s drv: %s err = %d", "vda",
		   n & 1 ? NULL : "virtio", -(int)n);
	trace_mark(mt_printk_addr, "src=%pI4 mac=%pM err=%pe", ip, mac,
		   ERR_PTR(-(int)n));
	trace_mark(mt_printk_addr6, "dst=%pI6c id=%pUb", ip6, uuid);
	trace_mark(mt_printk_hex, "hdr=%*ph", 4, hdr);
	memset(mt_printk_path, 'a' + n % 26, sizeof(mt_printk_path) - 1);
	trace_mark(mt_printk_long, "path=%.1000s", mt_printk_path);
}

static int mt_printk_fire(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (!ret)
		mt_printk_event(n);
	return ret;
}

static const struct kernel_param_ops mt_printk_fire_ops = {
	.set = mt_printk_fire,
};
module_param_cb(fire, &mt_printk_fire_ops, NULL, 0200);
MODULE_PARM_DESC(fire, "fire each marker once with this value");

static void __exit mt_printk_exit(void)
{
}
module_exit(mt_printk_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: printk-style formats");
