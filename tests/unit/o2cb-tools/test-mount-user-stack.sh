#!/bin/bash
# mount.ocfs2 on a user-stack (pcmk/lab) volume refuses, before mount(2)
# and with the reason, in a private mount namespace where tmpfs stands in
# for /sys/fs/ocfs2 and fs/dlm's configfs: no stack glue, no cluster name
# (dlm_controld down), another cluster's name, o2cb running.  The mount
# itself needs the kernel: the lab's user/30 fs and user/40 do it.
[ "$(id -u)" = 0 ] && command -v unshare > /dev/null || exit 77
tmp=$(mktemp -d /tmp/ocfs2-mntuser.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
truncate -s 256M "$tmp/v.img"
"$TOOLS/mkfs/mkfs.ocfs2" -q -N 2 --cluster-stack=pcmk --cluster-name=lab "$tmp/v.img" \
	< /dev/null > /dev/null || exit 1
mkdir "$tmp/mnt"
cat > "$tmp/inside.sh" <<'INSIDE'
#!/bin/sh
M=$1 IMG=$2 DIR=$3
mount -t tmpfs none /sys/kernel && mount -t tmpfs none /sys/fs || exit 1
m() { echo "\$ mount.ocfs2 IMG DIR"; $M "$IMG" "$DIR" 2>&1 | sed "s|$IMG|IMG|"; }
m
mkdir -p /sys/fs/ocfs2 /sys/kernel/config/dlm/cluster
echo pcmk > /sys/fs/ocfs2/cluster_stack
m
echo other > /sys/kernel/config/dlm/cluster/cluster_name
m
echo o2cb > /sys/fs/ocfs2/cluster_stack
m
INSIDE
chmod +x "$tmp/inside.sh"
unshare -m "$tmp/inside.sh" "$TOOLS/mount/mount.ocfs2" "$tmp/v.img" "$tmp/mnt" > "$tmp/out" 2>&1 || exit 1
cat > "$tmp/want" <<'WANT'
$ mount.ocfs2 IMG DIR
mount.ocfs2: Unable to access cluster service while trying initialize cluster
mount.ocfs2: the ocfs2 stack glue is not loaded (modprobe ocfs2_stackglue)
$ mount.ocfs2 IMG DIR
mount.ocfs2: Unable to access cluster service while trying initialize cluster
mount.ocfs2: fs/dlm has no cluster name: is dlm_controld running (the dlm clone, or 'systemctl start dlm')?
$ mount.ocfs2 IMG DIR
mount.ocfs2: Cluster name is invalid while trying to join the group
mount.ocfs2: IMG is a volume of cluster 'lab' but fs/dlm here runs cluster 'other' (corosync's totem.cluster_name)
$ mount.ocfs2 IMG DIR
mount.ocfs2: Cluster stack is invalid while trying to join the group
mount.ocfs2: IMG is a 'pcmk' stack volume but the running stack is 'o2cb'
WANT
diff -u "$tmp/want" "$tmp/out"
