#!/bin/sh
# o2cb_ctl against the stock one, on node0 with the lab cluster online:
# the same command sequence (good and bad input; config file edits, info
# listings, and -i/-u/-H changes to the running cluster) must give the
# same output, exit codes, resulting cluster.conf and configfs tree.
# The command list is the host test's (tests/unit/o2cb-tools/
# test-o2cb-ctl-ops.sh), here over the real configfs, where -i and
# online=yes succeed.
#   tests/lab/run --nodes 1 --add tools/o2cb_ctl/o2cb_ctl \
#     tests/lab/scenarios/o2cb-tools/04-o2cb-ctl.sh
# o2cb_ctl always uses /etc/ocfs2/cluster.conf: the lab's file is kept
# aside and put back between the two runs.
set -u
[ "$NODE" = 0 ] || exit 0
grep -q '^o2cb lab' /run/lab-stack || { echo "o2cb cluster not online"; exit 77; }
STOCK=/usr/sbin/stock-o2cb_ctl
OURS=/usr/local/bin/o2cb_ctl
[ -x $OURS ] || OURS=/usr/sbin/o2cb_ctl
CONF=/etc/ocfs2/cluster.conf
C=/sys/kernel/config/cluster
cp $CONF /tmp/lab.conf

cmds() {
	cat <<'EOF'
-I
-I -o
-I -z
-I -t cluster
-I -t node -o
-I -n lab
-I -n node0
-I -n node0 -o
-I -n 0
-I -n lab -t cluster -o
-I -n node0 -a ip_address
-I -t node -a name
-I -n nosuch
-C -n lab2 -t cluster
-C -n lab -t cluster
-C -n node9 -t node -a number=9 -a ip_address=10.77.0.99 -a ip_port=7777 -a cluster=lab
-C -n node8 -t node -a number=9 -a ip_address=10.77.0.98 -a ip_port=7777 -a cluster=lab
-C -n node7 -t node -a number=300 -a ip_address=10.77.0.97 -a ip_port=7777 -a cluster=lab
-C -n node6 -t node -a number=6 -a ip_address=10.77.0 -a ip_port=7777 -a cluster=lab
-C -n node5 -t node -a number=5 -a ip_address=10.77.0.95 -a cluster=lab
-C -n node4 -t node -a number=4 -a ip_address=10.77.0.94 -a ip_port=99999 -a cluster=lab
-C -n node3 -t node -a number=3 -a ip_address=10.77.0.93 -a ip_port=7777 -a cluster=nocl
-C -n node9 -t node -a number=10 -a ip_address=10.77.0.99 -a ip_port=7777 -a cluster=lab
-C -n node1 -t node -a ip_address=10.77.0.91 -a ip_port=7777 -a cluster=lab2
-C -n node2 -t node -a number=2 -a ip_address=10.77.0.92 -a ip_port=7777 -a cluster=lab -i
-C -n lab5 -t cluster -i
-C -n a -n b -t node -a cluster=lab
-C -n x -t node -a bogus=1 -a cluster=lab
-C -n x -t node
-C -n x
-I -t node -o
-I -t cluster -o
-H -n lab -t cluster -a online=yes
-H -n lab -t cluster -a online=maybe
-H -n lab -a online=yes
-H -n node0 -t node -a ip_port=7778
-H -n lab2 -t cluster -a name=lab3
-H -n nosuch -t cluster -a online=no
-H -t cluster
-D -n node9
-D -n node2 -u
-D
-I -o
EOF
}

# run BIN LABEL: the sequence from the lab's file; output, file, configfs.
run() {
	cp /tmp/lab.conf $CONF
	cmds | while IFS= read -r c; do
		echo "\$ o2cb_ctl $c"
		eval "$1 $c" 2>&1
		echo "rc=$?"
	done | sed "s|$1|o2cb_ctl|g"
	echo "--- file"; cat $CONF
	echo "--- configfs"; (cd $C && find . | sort)
	# put the running cluster back as the lab had it
	o2cb_ctl_clean
}

# the lab's own nodes stay: node1 is a live peer, and the second run must
# start from the configfs the first one saw
o2cb_ctl_clean() {
	for n in $C/lab/node/*; do
		grep -qx "${n##*/}" /tmp/lab.nodes || rmdir "$n" 2>/dev/null
	done
	cp /tmp/lab.conf $CONF
}
ls $C/lab/node > /tmp/lab.nodes

run $STOCK > /tmp/stock.out
cat /tmp/stock.out
if [ "$OURS" = /usr/sbin/o2cb_ctl ] && ! grep -q 'ours:.*o2cb_ctl' /lab/etc/tools; then
	echo "no o2cb_ctl of ours here: stock output only"
	exit 0
fi
run $OURS > /tmp/ours.out
cp /tmp/stock.out /tmp/ours.out "$LAB_RESULTS/"
if [ "$(ls $C/lab/node)" != "$(cat /tmp/lab.nodes)" ]; then
	echo "FAIL: the lab's nodes changed: $(ls $C/lab/node | tr '\n' ' ')"
	exit 1
fi
if diff -u /tmp/stock.out /tmp/ours.out; then
	echo "same: $(cmds | wc -l) o2cb_ctl commands, file and configfs as stock"
else
	echo "FAIL: o2cb_ctl differs from stock"
	exit 1
fi
