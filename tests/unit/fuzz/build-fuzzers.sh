#!/bin/bash
# Build the libFuzzer + ASan fuzzers of the decoders and run each for
# $SECONDS_EACH seconds (default 600), growing tests/unit/fuzz/corpus/<n>/.
# Usage: tests/unit/fuzz/build-fuzzers.sh [seconds-each [decoder...]]
# (decoders 0 superblock, 1 inode, 2 extent block, 3 group, 4 dir block)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
SECS=${1:-600}
shift || true
DECODERS=${*:-0 1 2 3 4}
OUT=/tmp/ocfs2-fuzz
mkdir -p "$OUT"
SRCS="$ROOT/tools/lib/*.c $ROOT/tools/print/*.c $ROOT/include/ocfs2/*.c"
for n in $DECODERS; do
	clang -g -O1 -fsanitize=fuzzer,address,undefined -DFUZZ_DECODER=$n \
		-Wno-gnu-variable-sized-type-not-at-end \
		-D_GNU_SOURCE -I"$ROOT/tools/include" -I"$ROOT/include" \
		-I"$ROOT/tools/lib" -I"$ROOT/tools/print" \
		"$HERE/fuzz-decoders.c" $SRCS -luuid -lblkid -o "$OUT/fuzz-$n"
	mkdir -p "$HERE/corpus/$n"
	nice -n 19 "$OUT/fuzz-$n" -max_total_time="$SECS" -max_len=4096 \
		-artifact_prefix="$OUT/" \
		-print_final_stats=1 "$HERE/corpus/$n" 2>&1 | tail -12
done
