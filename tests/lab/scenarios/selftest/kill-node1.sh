#!/bin/sh
# Lab self-test: node0 kills node1 and cuts/restores its own link; the kill
# is expected, so the run passes, and barriers go on without node1.
set -e
lab-barrier up
if [ "$NODE" = 0 ]; then
	lab-ctl kill 1
	lab-ctl link 0 off
	! ping -c 1 -W 2 10.77.0.12 > /dev/null 2>&1
	lab-ctl link 0 on
	i=0
	until ping -c 1 -W 2 10.77.0.12; do
		i=$((i + 1))
		[ $i -lt 10 ] || exit 1
	done
fi
[ "$NODE" = 1 ] && sleep 100000
lab-barrier after-kill
