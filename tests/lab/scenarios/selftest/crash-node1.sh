#!/bin/sh
# Lab self-test: node1's kernel panics; the run must fail naming node1.
if [ "$NODE" = 1 ]; then
	sync
	echo c > /proc/sysrq-trigger
fi
exit 0
