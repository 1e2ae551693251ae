#!/bin/sh
# Lab self-test: a kernel warning on node0 fails the run even though every
# scenario exits 0.  Loading a module with a bad parameter is harmless, so
# provoke a real WARN through the kernel's own test hook when present, else
# fake the log line through /dev/kmsg (what the verdict reads is the console).
[ "$NODE" = 0 ] && echo "WARNING: CPU: 0 PID: 1 at lab/selftest.c:1 lab_selftest" > /dev/kmsg
exit 0
