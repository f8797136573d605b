/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the fuzz targets: reading structured values from the
 * fuzzer's input, and reporting a broken property. A broken property
 * aborts, so that libFuzzer saves the input as a crash reproducer.
 */
#ifndef _FUZZ_HARNESS_H
#define _FUZZ_HARNESS_H

struct fuzz_input {
	const u8 *data;
	size_t size;
};

static inline u8 fuzz_u8(struct fuzz_input *in)
{
	u8 v = 0;

	if (in->size) {
		v = *in->data++;
		in->size--;
	}
	return v;
}

static inline u64 fuzz_u64(struct fuzz_input *in)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | fuzz_u8(in);
	return v;
}

#define fuzz_check(cond, fmt, ...)					\
do {									\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s: " fmt "\n",	\
			__FILE__, __LINE__, #cond, ##__VA_ARGS__);	\
		abort();						\
	}								\
} while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#endif /* _FUZZ_HARNESS_H */
