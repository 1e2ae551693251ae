#!/bin/sh
# Lab self-test: node1 fails; the run must fail naming node1.
[ "$NODE" = 1 ] && { echo "node1 fails on purpose"; exit 3; }
exit 0
