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
	ping -c 1 -W 5 10.77.0.12 > /dev/null
fi
[ "$NODE" = 1 ] && sleep 100000
lab-barrier after-kill
