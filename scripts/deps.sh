#!/bin/bash
# Install every Debian package the build, the lab, the tests and the
# benchmarks need, then fetch the lab's Debian kernels.  Idempotent.
set -euo pipefail

PKGS=(
	# build
	build-essential make gcc clang libclang-rt-14-dev python3 rsync socat file pkg-config dwarves kmod
	linux-headers-amd64 linux-headers-6.12-amd64
	libblkid-dev uuid-dev libdevmapper-dev
	libcpg-dev libquorum-dev libcmap-dev libcorosync-common-dev libdlm-dev pacemaker-dev
	# the lab: QEMU nodes booting Debian kernels from an initramfs
	qemu-system-x86 qemu-utils busybox-static cpio xz-utils zstd
	util-linux dash e2fsprogs dmsetup fio
	# xfs_io drives O_DIRECT, mmap and fallocate in the fs data scenarios
	xfsprogs
	# setfattr/getfattr for the xattr scenario (fs/16), added to the nodes
	attr
	# getfacl/setfacl for the POSIX ACL scenario (fs/19), added to the nodes
	acl
	# the stock peer
	ocfs2-tools dlm-controld nfs-kernel-server
	# pacemaker lab nodes (--rootfs pcmk): their root filesystem is built with it
	debootstrap
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "deps: installing ${missing[*]}"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The lab boots the Debian kernel matching each installed header package.
bash "$(dirname "$0")/../tests/lab/kernels.sh"
