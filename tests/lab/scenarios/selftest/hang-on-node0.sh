#!/bin/sh
# Lab self-test: node0 never finishes; the run must time out naming node0.
[ "$NODE" = 0 ] && sleep 100000
exit 0
