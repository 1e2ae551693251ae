#!/bin/sh
# The o2cb service (o2cb.init) brings the cluster online and takes it down
# again, from /etc/default/o2cb, on the stock modules or on ours:
#   tests/lab/run --nodes 2 --disk 256M --add tools/o2cb/o2cb \
#     --add tools/o2cb/o2cb.init --add tools/hb_ctl/ocfs2_hb_ctl \
#     [--stack ours] tests/lab/scenarios/o2cb-tools/03-service.sh
# What the lab brought up is taken down first (by the service itself),
# then "o2cb.init configure" is answered from a pipe and must start the
# cluster with the timeouts given; status tells what is up; stop refuses
# while a heartbeat region is active (and, on the stock stack, while a
# volume is mounted); bad settings are refused and change nothing.
set -eu
fail() { echo "FAIL: $*"; exit 1; }
INIT=/usr/local/bin/o2cb.init
C=/sys/kernel/config/cluster/lab
DEF=/etc/default/o2cb
dev=/dev/vda
grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }
echo "node$NODE stack $LAB_STACK"
# the lab's root has no /etc/default, every Debian host has
mkdir -p /etc/default
mounts_fs=1
[ "$LAB_STACK" = ours ] && mounts_fs=0

# --- down: what the lab brought up, through the service
rm -f $DEF
$INIT offline lab
[ ! -d $C ] || fail "cluster still registered after offline"
$INIT unload
[ ! -d /sys/module/ocfs2_nodemanager ] || fail "ocfs2_nodemanager still loaded"
grep -q " /dlm " /proc/mounts && fail "dlmfs still mounted"
$INIT status || true
lab-barrier down

# --- bad settings: refused, nothing changes
printf 'y\no2cb\nlab\n3\n' > /tmp/ans
if $INIT configure < /tmp/ans; then fail "threshold 3 accepted"; fi
[ ! -e $DEF ] || fail "$DEF written by a refused configure"
printf 'y\ntoolong\n' > /tmp/ans
if $INIT configure < /tmp/ans; then fail "stack 'toolong' accepted"; fi
printf 'O2CB_ENABLED=true\nO2CB_BOOTCLUSTER=nosuch\n' > $DEF
if $INIT start; then fail "started an unknown cluster"; fi
[ -z "$(ls /sys/kernel/config/cluster 2>/dev/null)" ] || fail "something registered"
$INIT unload
rm -f $DEF
echo "ok: bad settings refused"

# --- up: configure from a pipe starts the cluster with these timeouts
printf 'y\no2cb\nlab\n9\n15000\n1000\n2000\n' | $INIT configure
cat $DEF
for f in heartbeat/dead_threshold:9 idle_timeout_ms:15000 keepalive_delay_ms:1000 reconnect_delay_ms:2000; do
	[ "$(cat $C/${f%%:*})" = "${f#*:}" ] || fail "${f%%:*} is $(cat $C/${f%%:*})"
done
[ "$(cat $C/node/node$NODE/local)" = 1 ] || fail "not local"
grep -q " /dlm ocfs2_dlmfs " /proc/mounts || fail "no dlmfs"
$INIT status
$INIT online-status
o2cb -v cluster-status lab
# start again: already online, still fine
$INIT start
lab-barrier up

if [ "$NODE" = 0 ]; then
	# stock mkfs asks before overwriting a volume even with -F (a set
	# may have formatted it before: run 20261127-033849 'Aborting')
	echo y | stock-mkfs.ocfs2 -q -F -N 2 --cluster-stack=o2cb --cluster-name=lab $dev
fi
lab-barrier formatted

# --- stop refuses while heartbeat is in use
if [ $mounts_fs = 1 ]; then
	mkdir -p /mnt/v
	mount -t ocfs2 $dev /mnt/v
	echo "node$NODE" > /mnt/v/n$NODE
	lab-barrier written
	[ "$(cat /mnt/v/n0)$(cat /mnt/v/n1)" = node0node1 ] || fail "cross-node read"
	if $INIT stop 2> /tmp/err; then fail "stopped with a mounted volume"; fi
	cat /tmp/err
	grep -q "heartbeat region still active" /tmp/err || fail "no reason given"
	[ -d $C ] || fail "cluster gone after a refused stop"
	umount /mnt/v
else
	ocfs2_hb_ctl -S -d $dev svc
	if $INIT stop 2> /tmp/err; then fail "stopped with an active region"; fi
	cat /tmp/err
	[ -d $C ] || fail "cluster gone after a refused stop"
	ocfs2_hb_ctl -K -d $dev svc
fi
lab-barrier released
echo "ok: stop refused while heartbeat is in use"

# --- down again, cleanly
$INIT stop
[ ! -d $C ] || fail "cluster registered after stop"
[ ! -d /sys/module/ocfs2_nodemanager ] || fail "modules still loaded after stop"
$INIT status || true
lab-barrier stopped
# and up once more from the file alone, as at boot
$INIT start
[ "$(cat $C/heartbeat/dead_threshold)" = 9 ] || fail "threshold after restart"
$INIT restart
[ -d $C ] || fail "restart left it down"
echo "node$NODE: done"
