#!/bin/bash
# Fuzz regression: replay every input of the kept fuzz corpus
# (tests/unit/fuzz/corpus/*/*) through all five decoders, built with
# AddressSanitizer and UBSan, so a crash the fuzzers once found stays fixed.
# The fuzzers themselves: tests/unit/fuzz/build-fuzzers.sh (clang/libFuzzer).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
BIN=$(mktemp /tmp/ocfs2-replay.XXXXXX)
trap 'rm -f "$BIN"' EXIT
gcc -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-D_GNU_SOURCE -I"$ROOT/tools/include" -I"$ROOT/include" \
	-I"$ROOT/tools/lib" -I"$ROOT/tools/print" "$HERE/fuzz-decoders.c" \
	"$ROOT"/tools/lib/*.c "$ROOT"/tools/print/*.c "$ROOT"/include/ocfs2/*.c \
	-luuid -lblkid -o "$BIN"
find "$HERE/corpus" -type f -print0 | xargs -0 -r -n 500 "$BIN"
