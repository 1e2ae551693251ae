#!/bin/sh
# Set ocfs2 module parameters on our nodes for the scenarios that follow
# in the same boot (tests/lab/scenarios/set.sh ours-param.sh=NAME=VALUE,...;
# a feature still off by default run through the usual scenarios).  Stock
# nodes do nothing.  Fails on a parameter the module does not have.  Each
# setting is also kept in $LAB_RESULTS/ours-param.NODE: a scenario that
# restarts its node (fs/06) sets them again in the next generation, whose
# module starts from its defaults (ours_param_again in fs/lib.sh).
set -e
[ "$LAB_STACK" = ours ] || exit 0
modprobe ocfs2
for kv in "$@"; do
	p=/sys/module/ocfs2/parameters/${kv%%=*}
	[ -w "$p" ] || { echo "ours-param: no parameter ${kv%%=*}" >&2; exit 1; }
	echo "${kv#*=}" > "$p"
	echo "$kv" >> "$LAB_RESULTS/ours-param.$NODE"
	echo "node$NODE: ocfs2.${kv%%=*} = $(cat "$p")"
done
