#!/bin/bash
# Build and run the heartbeat liveness rule test in userspace.
set -eu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -std=gnu11 -Wall -Wextra -Werror -include tests/unit/o2cb/kshim.h \
	-Iinclude -Istack-o2cb -o "$out/hb_liveness" \
	tests/unit/o2cb/hb_liveness.c stack-o2cb/hb_slot.c
"$out/hb_liveness"
