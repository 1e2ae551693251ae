#!/bin/bash
# Fetch and unpack the Debian kernel image matching each installed
# linux-headers-*-amd64 package, so lab nodes boot exactly the kernel our
# modules were built for.  Images are unpacked into $LAB_CACHE/kernels/<KVER>
# and never installed on the host.
set -euo pipefail
LAB_CACHE=${LAB_CACHE:-/var/cache/ocfs2-lab}

fetch_one() {
	local kver=$1 dest=$LAB_CACHE/kernels/$1 tmp pkg
	[ -f "$dest/.complete" ] && return 0
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	for pkg in "linux-image-$kver-unsigned" "linux-image-$kver"; do
		(cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1) && break
	done
	ls "$tmp"/*.deb >/dev/null 2>&1 || { echo "kernels: cannot download linux-image-$kver" >&2; return 1; }
	rm -rf "$dest" && mkdir -p "$dest/root"
	dpkg-deb -x "$tmp"/*.deb "$dest/root"
	cp "$dest/root/boot/vmlinuz-$kver" "$dest/vmlinuz"
	depmod -b "$dest/root" "$kver"
	touch "$dest/.complete"
	echo "kernels: $kver ready in $dest"
}

for h in /usr/src/linux-headers-*-amd64; do
	[ -d "$h" ] || continue
	fetch_one "${h#/usr/src/linux-headers-}"
done
