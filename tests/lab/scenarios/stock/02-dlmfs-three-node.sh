#!/bin/sh
# Three nodes race for one dlmfs EX lock with trylock while whoever gets it
# holds it: exactly one holder.  Then the holder lets go and a blocking EX
# open on another node is granted, and an LVB written under EX is read
# under PR elsewhere.
set -e
R=$LAB_RESULTS
if [ "$NODE" = 0 ]; then
	mkfs.ocfs2 -q -F -N "$NODES" --cluster-stack=o2cb --cluster-name=lab /dev/vda
fi
lab-barrier formatted
# On o2cb a dlmfs domain needs this node heartbeating on a region.
ocfs2_hb_ctl -S -d /dev/vda labdlm
mkdir /dlm/labdom
lab-barrier joined

# Round 1: trylock race.  A winner holds until every node has tried.
if lab-dlmlock -w -n -u "$R/round1.done" /dlm/labdom/master > "$R/round1.$NODE" 2>&1 &
then :; fi
pid=$!
sleep 3
lab-barrier tried
[ "$NODE" = 0 ] && {
	holders=$(grep -l granted "$R"/round1.* | wc -l)
	echo "round 1 holders: $holders"
	test "$holders" -eq 1
	: > "$R/round1.done"
}
wait $pid || true
lab-barrier round1

# Round 2: node1 takes EX and writes the LVB; node2 then reads it under PR.
if [ "$NODE" = 1 ]; then
	lab-dlmlock -w -s "lvb-from-node1" /dlm/labdom/lvbtest
	rm /dlm/labdom/lvbtest 2>/dev/null || true
fi
lab-barrier lvb-written
if [ "$NODE" = 2 ]; then
	lab-dlmlock -r -g /dlm/labdom/lvbtest | tee "$R/lvb.read"
	grep -q 'lvb lvb-from-node1' "$R/lvb.read"
fi
lab-barrier lvb-read

rm -f /dlm/labdom/*
rmdir /dlm/labdom
ocfs2_hb_ctl -K -d /dev/vda labdlm
