#!/bin/sh
# Pacemaker lab nodes (--rootfs pcmk, 3 nodes): the admin's usual
# configuration with crmsh - STONITH through the lab fence agent,
# no-quorum-policy=freeze, dlm (ocf:pacemaker:controld) and Debian's own
# ocf:pacemaker:o2cb agent (which starts /usr/sbin/ocfs2_controld.pcmk) as
# one cloned group - and `crm status` shows both started on every node.
# Run: tests/lab/run --cluster user --rootfs pcmk --nodes 3 --mem 1024 \
#        --add ocfs2_controld/ocfs2_controld --timeout 600 \
#        tests/lab/scenarios/user/30-pcmk-controld-clones.sh
set -e
grep -q '^pcmk ' /run/lab-stack || { echo "not a pacemaker node (--rootfs pcmk)"; exit 77; }
[ "$NODES" -eq 3 ] || { echo "wants 3 nodes"; exit 77; }

wait_for() {	# SECONDS CMD...: until CMD succeeds
	t=$1; shift
	i=0
	until "$@" > /dev/null 2>&1; do
		i=$((i + 1))
		[ $i -le "$t" ] || { echo "timed out: $*"; return 1; }
		sleep 1
	done
}

all_online() { lab-pcmk crm_mon -1 | grep -q 'Online: \[ node0 node1 node2 \]'; }
clones_started() {
	out=$(lab-pcmk crm_mon -1 -r)
	[ "$(echo "$out" | grep -c 'Started: \[ node0 node1 node2 \]')" -ge 1 ] &&
		! echo "$out" | grep -qE 'Stopped|FAILED|Failed'
}

wait_for 240 all_online
lab-barrier online
if [ "$NODE" = 0 ]; then
	lab-pcmk crm configure <<'CRM'
property stonith-enabled=true no-quorum-policy=freeze
primitive fence-lab stonith:fence_lab params pcmk_host_list="node0 node1 node2" op monitor interval=120s
primitive dlm ocf:pacemaker:controld op monitor interval=60s timeout=60s
primitive o2cb ocf:pacemaker:o2cb params stack=pcmk op monitor interval=60s timeout=60s
group base-group dlm o2cb
clone base-clone base-group meta interleave=true
commit
CRM
fi
lab-barrier configured
wait_for 300 clones_started || { lab-pcmk crm_mon -1 -r -f; exit 1; }
lab-pcmk crm status
pidof ocfs2_controld.pcmk > /dev/null || pgrep -f ocfs2_controld.pcmk
pidof dlm_controld > /dev/null
lab-barrier started
exit 0
