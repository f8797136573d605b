// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: bstr_printf() of lib/vsprintf.c on binary arguments that
 * vbin_printf() did not write (a corrupted or stale record), with any
 * format and any output size.
 *
 * bstr_printf() has no bound on its binary buffer: it trusts the format
 * to say how much to read. The buffer here is the input followed by
 * enough zero bytes for any format of its length (each conversion or '*'
 * reads at most 8 bytes and 3 of alignment; a string ends at the first
 * zero), allocated at that exact size so that AddressSanitizer reports
 * any read past it. Warnings (a width out of range) are allowed.
 *
 * Input: two bytes of output size, the format up to a NUL (at most 256
 * bytes), then the binary arguments.
 */
#include <stdio.h>

#include "harness.h"

#define FORMAT_MAX	256
#define OUT_MAX		4096

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static char out[OUT_MAX + 16];
	struct fuzz_input in = { data, size };
	size_t out_size, fmt_len, reads = 1, pad, i;
	char fmt[FORMAT_MAX + 1];
	u32 *bin;
	int len;

	out_size = (fuzz_u8(&in) << 8 | fuzz_u8(&in)) % (OUT_MAX + 1);
	fmt_len = strnlen((const char *)in.data, min(in.size, FORMAT_MAX));
	memcpy(fmt, in.data, fmt_len);
	fmt[fmt_len] = '\0';
	in.data += min(fmt_len + 1, in.size);
	in.size -= min(fmt_len + 1, in.size);

	for (i = 0; i < fmt_len; i++)
		reads += fmt[i] == '%' || fmt[i] == '*';
	pad = reads * 12;
	bin = calloc(1, in.size + pad);
	memcpy(bin, in.data, in.size);

	/* The canary past out_size must survive. */
	memset(out, 0x5a, sizeof(out));
	len = bstr_printf(out, out_size, fmt, bin);
	fuzz_check(len >= 0, "\"%s\": %d", fmt, len);
	/* NUL-terminated where the length says (a %c of 0 adds others) */
	if (out_size)
		fuzz_check(!out[min((size_t)len, out_size - 1)],
			   "\"%s\": returned %d, not terminated there", fmt, len);
	for (i = out_size; i < sizeof(out); i++)
		fuzz_check(out[i] == 0x5a, "\"%s\": wrote byte %zu of %zu", fmt,
			   i, out_size);
	free(bin);
	return 0;
}
