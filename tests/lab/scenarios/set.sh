#!/bin/sh
# set.sh SCENARIO...: run several scenarios (any area) one after the other in
# one lab boot, to spare the shared lab a boot per scenario.  Each scenario
# is passed to the lab with --add (it lands in /usr/local/bin) and named
# here by its file name.  Barrier names get the scenario's name in front,
# so two scenarios using the same name ("image") never meet each other's
# barriers; every node also waits for the others before each scenario.  A
# scenario that kills a node must come last.  Every scenario runs even if
# an earlier one failed; the node fails if any of them did (or skipped).
# NAME.sh=A,B passes the arguments A B to that scenario.
# With --stop first, a node stops at its first failing scenario: its end
# releases the other nodes from that scenario's barriers at once, where
# they would otherwise wait for the run's timeout.
# A node the lab restarted (lab-ctl restart, LAB_GEN > 0) resumes at the
# scenario it was killed in, with the failures it had seen; that scenario
# sees LAB_GEN and knows its part (fs/05, fs/06).
# Run, e.g.:
#   tests/lab/run --nfs --nodes 2 --mem 1024 --timeout 1500 --add /usr/bin/fio \
#       --add tests/lab/scenarios/dm-nfs/40-pool-ocfs2.sh \
#       --add tests/lab/scenarios/dm-nfs/60-kill-writer.sh \
#       tests/lab/scenarios/set.sh 40-pool-ocfs2.sh 60-kill-writer.sh
real=$(command -v lab-barrier)
shim=/tmp/set-bin
mkdir -p $shim
failed=
stop=
[ "${1:-}" = --stop ] && { stop=1; shift; }
n=0
progress=$LAB_RESULTS/.set-progress.$NODE
resume=0
if [ "${LAB_GEN:-0}" -gt 0 ] && [ -e "$progress" ]; then
	read -r resume failed < "$progress"
	[ -z "$failed" ] || failed=" $failed"
	echo "=== node$NODE generation $LAB_GEN resumes at scenario $resume"
fi

for item in "$@"; do
	s=${item%%=*}
	args=
	case $item in *=*) args=$(echo "${item#*=}" | tr ',' ' ') ;; esac
	name=${s%.sh}
	n=$((n + 1))
	[ "$n" -ge "$resume" ] || continue
	echo "$n$failed" > "$progress"
	# the position too: one scenario may come twice (other arguments)
	printf '#!/bin/sh\nexec %s "%s-%s-$1"\n' "$real" $n "$name" > $shim/lab-barrier
	chmod +x $shim/lab-barrier
	"$real" "set-$n-$name"
	echo "=== $name on node$NODE"
	# shellcheck disable=SC2086 # args are words
	f=$(command -v "$s" || echo "/usr/local/bin/$s")
	PATH=$shim:$PATH sh "$f" $args
	rc=$?
	case $rc in
	0) echo "=== $name: PASS" ;;
	77) echo "=== $name: SKIP"; failed="$failed $name" ;;
	*) echo "=== $name: FAIL (exit $rc)"; failed="$failed $name" ;;
	esac
	[ -z "$stop" ] || [ -z "$failed" ] || break
done
[ -z "$failed" ] || { echo "failed or skipped:$failed"; exit 1; }
echo "all passed: $*"
