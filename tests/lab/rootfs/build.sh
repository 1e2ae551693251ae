#!/bin/bash
# Build (once) the Debian 12 root filesystem that pacemaker lab nodes boot
# as their cluster-stack root: corosync, pacemaker, dlm-controld, crmsh, pcs
# and ocfs2-tools from Debian's own mirror, packed into an ext4 image that
# QEMU gives each node as a private copy-on-write view (snapshot=on).
# Cached as $LAB_CACHE/rootfs/pcmk-<key>.img, the key hashing this script,
# so it is rebuilt only when the package list or the recipe changes.
# Prints the image path.  Needs debootstrap (scripts/deps.sh).
set -euo pipefail
LAB_CACHE=${LAB_CACHE:-/var/cache/ocfs2-lab}
MIRROR=${LAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PKGS=corosync,pacemaker,pacemaker-cli-utils,dlm-controld,crmsh,ocfs2-tools,procps,kmod,util-linux,iproute2,psmisc,lsb-base
# pcs brings python and ruby stacks whose maintainer scripts fail when
# debootstrap configures them with the base system: apt installs it after.
APT_PKGS="pcs"
key=$(md5sum < "$0" | cut -c1-12)
out=$LAB_CACHE/rootfs/pcmk-$key.img
[ -s "$out" ] && { echo "$out"; exit 0; }
command -v debootstrap > /dev/null || { echo "rootfs: debootstrap is missing (run make deps)" >&2; exit 1; }
mkdir -p "$LAB_CACHE/rootfs"
exec 9> "$LAB_CACHE/rootfs/.build.lock"
flock 9
[ -s "$out" ] && { echo "$out"; exit 0; }
dir=$(mktemp -d "$LAB_CACHE/rootfs/tree.XXXXXX")
trap 'umount -l "$dir/proc" 2>/dev/null; rm -rf "$dir" "$out.tmp"' EXIT
echo "rootfs: debootstrap bookworm into $dir (a few minutes, once)" >&2
nice -n 10 debootstrap --variant=minbase --include="$PKGS" bookworm "$dir" "$MIRROR" >&2
mount -t proc proc "$dir/proc"
cp /etc/resolv.conf "$dir/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' > "$dir/usr/sbin/policy-rc.d"
chmod 755 "$dir/usr/sbin/policy-rc.d"
chroot "$dir" apt-get -q update >&2
DEBIAN_FRONTEND=noninteractive nice -n 10 chroot "$dir" \
	apt-get -q -y --no-install-recommends install $APT_PKGS >&2
rm -f "$dir/usr/sbin/policy-rc.d"
umount "$dir/proc"
rm -f "$dir/etc/resolv.conf"
# No services start by themselves in a lab node: the node's init does it.
rm -f "$dir"/etc/systemd/system/multi-user.target.wants/*
chroot "$dir" apt-get clean
rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin
# Kernel modules and lab tools come from the node's initramfs at boot.
rm -rf "$dir"/lib/modules/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
mkdir -p "$dir"/lib/modules "$dir"/lab "$dir"/results
size=$(( $(du -sm "$dir" | cut -f1) * 13 / 10 + 64 ))
truncate -s "${size}M" "$out.tmp"
mkfs.ext4 -q -F -L labroot -d "$dir" "$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
