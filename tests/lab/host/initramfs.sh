#!/bin/bash
# Build the root tree of a lab node for one kernel and one stack.
#
#   initramfs.sh base KVER STACK DIR   cached base: busybox, dash, util-linux,
#                                      kmod, stock ocfs2-tools, Debian modules
#   (sourced) lab_copy_bin ROOT FILE [DEST]  a binary with its libraries
#
# STACK is "stock" (Debian's ocfs2 modules) or "ours" (Debian's modules minus
# ocfs2*, the project's modules are added per run by the runner).
LAB_CACHE=${LAB_CACHE:-/var/cache/ocfs2-lab}

# Debian modules every node gets, and the stock cluster stack.
BASE_MODULES="virtio_pci virtio_blk virtio_net 9pnet_virtio 9p configfs jbd2
	dlm dm-mod dm-flakey dm-log-writes loop ext4 nfsd nfs nfsv3 nfsv4 crc32c_generic"
STOCK_MODULES="ocfs2 ocfs2_stackglue ocfs2_stack_o2cb ocfs2_stack_user
	ocfs2_nodemanager ocfs2_dlm ocfs2_dlmfs"
HOST_BINS="/usr/bin/dash /usr/bin/mount /usr/bin/umount /usr/sbin/losetup
	/usr/sbin/blockdev /usr/sbin/blkid /usr/sbin/wipefs /usr/sbin/dmsetup
	/usr/bin/kmod /usr/sbin/mkfs.ext4 /usr/bin/taskset /usr/bin/flock
	/usr/sbin/rpc.nfsd /usr/sbin/rpc.mountd /usr/sbin/exportfs /usr/sbin/mount.nfs
	/usr/sbin/corosync /usr/sbin/corosync-cfgtool /usr/sbin/corosync-quorumtool
	/usr/sbin/corosync-cmapctl /usr/sbin/corosync-cpgtool /usr/sbin/dlm_controld
	/usr/sbin/dlm_tool"
STOCK_TOOLS="debugfs.ocfs2 defragfs.ocfs2 fsck.ocfs2 mkfs.ocfs2 mount.ocfs2
	mounted.ocfs2 o2cb o2cb_ctl o2cluster o2image ocfs2_hb_ctl tunefs.ocfs2
	o2info o2hbmonitor"

# Copy FILE (following links) into ROOT at the same path, or at DEST.
lab_copy_file() {
	local root=$1 src=$2 dest=${3:-$2} real dir
	real=$(readlink -f "$src")
	dir=$(readlink -f "$(dirname "$dest")" 2>/dev/null || dirname "$dest")
	mkdir -p "$root$dir" "$root$(dirname "$real")"
	[ -e "$root$real" ] || cp -p "$real" "$root$real"
	if [ "$dir/$(basename "$dest")" != "$real" ]; then
		ln -sfn "$real" "$root$dir/$(basename "$dest")"
	fi
}

# Copy an executable and every shared library it loads.
lab_copy_bin() {
	local root=$1 src=$2 dest=${3:-$2} lib
	lab_copy_file "$root" "$src" "$dest"
	for lib in $(ldd "$src" 2>/dev/null | grep -oE '/[^ ]+' || true); do
		[ -e "$lib" ] && lab_copy_file "$root" "$lib"
	done
}

merged_usr_skeleton() {
	local root=$1 d
	mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{etc,proc,sys,dev,run,tmp,root,mnt,var/tmp,var/lib}
	for d in bin sbin lib lib64; do ln -sfn "usr/$d" "$root/$d"; done
	mkdir -p "$root"/lab/{bin,bb,etc} "$root"/etc/ocfs2 "$root"/dlm "$root"/nfs
	echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
	echo 'root:x:0:' > "$root/etc/group"
	echo 'hosts: files' > "$root/etc/nsswitch.conf"
	cp /etc/services /etc/protocols "$root/etc/"
	: > "$root/etc/fstab"
	ln -sfn /proc/self/mounts "$root/etc/mtab"
}

install_busybox() {
	local root=$1 a
	cp /bin/busybox "$root/lab/bb/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sfn busybox "$root/lab/bb/$a"
	done
}

install_host_bins() {
	local root=$1 b t
	for b in $HOST_BINS; do lab_copy_bin "$root" "$b"; done
	ln -sfn dash "$root/usr/bin/sh"
	ln -sfn mount.nfs "$root/usr/sbin/mount.nfs4"
	mkdir -p "$root/var/lib/nfs/v4recovery" "$root/export"
	mkdir -p "$root"/var/lib/corosync "$root"/var/log/corosync "$root"/etc/corosync \
		"$root"/var/log/dlm_controld "$root"/etc/dlm "$root"/var/run
	: > "$root/var/lib/nfs/etab"
	: > "$root/var/lib/nfs/rmtab"
	for t in modprobe insmod rmmod lsmod modinfo depmod; do
		ln -sfn /usr/bin/kmod "$root/usr/sbin/$t"
	done
	for t in $STOCK_TOOLS; do
		b=$(command -v "$t" || true)
		[ -n "$b" ] || { echo "initramfs: stock $t not installed (make deps)" >&2; exit 1; }
		lab_copy_bin "$root" "$b" "/usr/sbin/$t"
		# A real file, not a link: the project's tool may replace $t.
		rm -f "$root/usr/sbin/stock-$t"
		cp "$(readlink -f "$b")" "$root/usr/sbin/stock-$t"
	done
}

# Copy the named modules and everything they depend on, decompressed.
install_modules() {
	local root=$1 kver=$2 kroot=$3 skip=$4 m f rel
	shift 4
	for m in "$@"; do
		modprobe -d "$kroot" -S "$kver" --show-depends "$m" 2>/dev/null |
			awk '$1 == "insmod" { print $2 }'
	done | sort -u | while read -r f; do
		rel=${f#"$kroot"}
		case "$(basename "$rel")" in $skip) continue ;; esac
		mkdir -p "$root$(dirname "$rel")"
		case "$f" in
		*.xz) xz -dc "$f" > "$root${rel%.xz}" ;;
		*.zst) zstd -qdc "$f" > "$root${rel%.zst}" ;;
		*) cp "$f" "$root$rel" ;;
		esac
	done
	cp "$kroot/lib/modules/$kver"/modules.{builtin,builtin.modinfo,order} "$root/lib/modules/$kver/" 2>/dev/null || true
}

build_base() {
	local kver=$1 stack=$2 dir=$3 kroot=$LAB_CACHE/kernels/$1/root
	[ -d "$kroot" ] || { echo "initramfs: kernel $kver not unpacked (run make deps)" >&2; exit 1; }
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
	merged_usr_skeleton "$dir.tmp"
	install_busybox "$dir.tmp"
	install_host_bins "$dir.tmp"
	mkdir -p "$dir.tmp/lib/modules/$kver"
	if [ "$stack" = stock ]; then
		install_modules "$dir.tmp" "$kver" "$kroot" 'NONE' $BASE_MODULES $STOCK_MODULES
	else
		install_modules "$dir.tmp" "$kver" "$kroot" 'ocfs2*' $BASE_MODULES $STOCK_MODULES
	fi
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-}" in
	base) build_base "$2" "$3" "$4" ;;
	*) echo "usage: initramfs.sh base KVER stock|ours DIR" >&2; exit 2 ;;
	esac
fi
