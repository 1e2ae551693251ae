#!/bin/bash
# dkms.conf must list exactly the modules the Kbuild files build: regenerate
# it into a temporary file and compare.  Fix with scripts/gen-dkms.sh.
set -u
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
scripts/gen-dkms.sh "$tmp" || exit 1
if ! diff -u dkms.conf "$tmp"; then
	echo "dkms.conf is stale: run scripts/gen-dkms.sh"
	exit 1
fi
echo "dkms.conf lists $(grep -c '^BUILT_MODULE_NAME' dkms.conf) modules, as the Kbuild files build"
