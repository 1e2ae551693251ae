// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for the metadata decoders shared by the kernel and the
 * tools.  Built with -DFUZZ_DECODER=<n> and libFuzzer + ASan it fuzzes one
 * decoder (0 superblock, 1 inode, 2 extent block, 3 group descriptor,
 * 4 directory block); built without libFuzzer (the regression test) its
 * main() replays files through every decoder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libocfs2.h"
#include "ocfs2_print.h"

static FILE *sink;

/* Decode @len bytes as a block of type @which, as the tools would. */
static void decode(int which, const u8 *data, size_t len)
{
	unsigned int bs = 4096;
	struct ocfs2_bad bad;
	u8 *b;

	if (len && data[0] & 1)
		bs = 512 << (data[0] >> 1 & 3);
	b = calloc(1, bs);
	if (!b)
		return;
	memcpy(b, data, len < bs ? len : bs);
	switch (which) {
	case 0:
		if (!ocfs2_validate_super(b, bs, &bad)) {
			struct ocfs2_fs fs = { .sb_di = (void *)b,
					       .sb = &((struct ocfs2_dinode *)b)->id2.i_super };

			ocfs2_feature_words(sink, fs.sb);
		}
		break;
	case 1:
		/* as debugfs stat does; chains need the device, so not those */
		if (!ocfs2_validate_dinode(b, bs, 100, 7, &bad) &&
		    !(le32_to_cpu(((struct ocfs2_dinode *)b)->i_flags) &
		      OCFS2_CHAIN_FL)) {
			struct ocfs2_dinode sbdi = { 0 };
			struct ocfs2_fs fs = {
				.bs = bs, .bbits = __builtin_ctz(bs),
				.sb_di = &sbdi, .sb = &sbdi.id2.i_super,
			};

			ocfs2_print_inode(sink, &fs, (void *)b);
		}
		break;
	case 2:
		if (!ocfs2_validate_extent_block(b, bs, 100, 7, &bad))
			ocfs2_print_extent_block(sink, (void *)b);
		break;
	case 3:
		if (!ocfs2_validate_group_desc(b, bs, 100, 7, &bad))
			ocfs2_print_group(sink, (void *)b);
		break;
	default:
		ocfs2_validate_dir_block(b, bs, &bad);
		ocfs2_validate_dir_trailer(b, bs, 100, &bad);
		ocfs2_validate_dx_root(b, bs, 100, 7, &bad);
		ocfs2_validate_dx_leaf(b, bs, 100, 7, &bad);
		ocfs2_validate_refcount_block(b, bs, 100, 7, &bad);
		break;
	}
	ocfs2_block_check_validate(b, bs, (void *)(b + 0x80));
	free(b);
}

#ifdef FUZZ_DECODER
int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	if (!sink)
		sink = fopen("/dev/null", "w");
	decode(FUZZ_DECODER, data, len);
	return 0;
}
#else
int main(int argc, char **argv)
{
	static u8 buf[8192];
	int i, which;

	sink = fopen("/dev/null", "w");
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		for (which = 0; which < 5; which++)
			decode(which, buf, n);
	}
	printf("replayed %d inputs through 5 decoders\n", argc - 1);
	return 0;
}
#endif
