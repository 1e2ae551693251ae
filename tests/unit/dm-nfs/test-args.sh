#!/bin/bash
# Build and run the userspace unit test of dm-nfs's table argument parser.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gcc -std=gnu11 -Wall -Wextra -Werror -I"$here/shim" -I"$root/dm-nfs" \
	-o "$out/test-args" "$here/test-args.c" "$root/dm-nfs/dm-nfs-args.c"
"$out/test-args"
