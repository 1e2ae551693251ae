# Starting, watching and acting on the QEMU nodes of a run: the frame hub,
# one QEMU per node, the host side of lab-ctl.  Sourced by run.

lab_hub_bin() {
	local bin=$LAB_CACHE/bin/lab-hub
	if [ ! -x "$bin" ] || [ "$LAB/host/hub.c" -nt "$bin" ]; then
		mkdir -p "$(dirname "$bin")"
		gcc -O2 -Wall -Wextra -o "$bin.$$" "$LAB/host/hub.c" || return 1
		mv -f "$bin.$$" "$bin"
	fi
	echo "$bin"
}

lab_qemu_node() {
	local i=$1 stack mac d
	stack=$(node_stack "$i")
	mac=$(printf '52:54:00:77:00:%02x' "$i")
	# no_timer_check: under host load a TCG guest's IO-APIC timer check
	# can miss its IRQs and panic 0.06 s into boot ("IO-APIC + timer
	# doesn't work!", run 20261126-181755 on 6.1); as on KVM guests.
	# LAB_MAXCPUS=2 (-smp 1,maxcpus=2): one vCPU still, but QEMU 7.2's
	# TCG translates for a machine that may have more, so the guest's
	# memory barriers and LOCKed instructions stay barriers on the host.
	# With -smp 1 it drops them, yet the virtio devices run in QEMU's
	# main-loop thread beside the vCPU thread: the guest re-arming its
	# completion interrupt (store, mb, load of the used index) and QEMU
	# deciding whether to interrupt (store, mb, load of the guest's
	# mark) can then miss each other, and a request completes without an
	# interrupt until the next one does (upstream fixed the barrier half
	# in 8.1, "tcg: Do not elide memory barriers for !CF_PARALLEL in
	# system mode").  Suspected in the 6.12 stress stalls: a FLUSH in
	# flight for 90 s ended by the next request (run 20261127-091043).
	# A comma list gives one value per node (the last one for the rest).
	# LAB_IOEVENTFD=off: a guest's kick of a virtio disk is handled at
	# once in its vCPU thread, not signalled through an eventfd to QEMU's
	# main loop (run 20261127-102930: reads posted in the available ring
	# of idle disks were never taken, QEMU's last_avail_idx one behind).
	local smp=1 list m extra=()
	IFS=, read -ra list <<< "${LAB_MAXCPUS:-1}"
	m=${list[$i]:-${list[-1]}}
	[ "$m" = 1 ] || smp=1,maxcpus=$m
	IFS=, read -ra list <<< "${LAB_IOEVENTFD:-on}"
	m=${list[$i]:-${list[-1]}}
	[ "$m" = on ] || extra+=(-global "virtio-blk-pci.ioeventfd=$m")
	local args=(
		-machine pc -cpu max -m "$MEM" -smp "$smp" "${extra[@]}" -display none -no-reboot
		-kernel "$LAB_CACHE/kernels/$KVER/vmlinuz" -initrd "$RUN/initrd-$stack.cpio"
		-append "console=ttyS0,115200 panic=1 mitigations=off no_timer_check lab.node=$i lab.nodes=$NODES lab.stack=$stack lab.gen=${GEN[$i]:-0}"
		-serial "file:$RUN/node$i.serial"
		-monitor "unix:$RUN/node$i.mon,server=on,wait=off"
		-netdev "dgram,id=net0,local.type=unix,local.path=$RUN/node$i.sock,remote.type=unix,remote.path=$RUN/hub.sock"
		-device "virtio-net-pci,netdev=net0,mac=$mac"
		-virtfs "local,path=$RESULTS,mount_tag=results,security_model=none,id=results"
	)
	for d in "${DISK_FILES[@]}"; do
		args+=(-drive "file=$d,format=raw,if=virtio,cache=none,file.locking=off")
	done
	if ((NFS)) && ((i == 0)); then
		args+=(-drive "file=$RUN/nfs-export.img,format=raw,if=virtio,cache=none")
	fi
	# Last disk, found by its label.  snapshot=on: each node writes to its
	# own temporary copy-on-write layer, the cached image stays untouched.
	if [ -n "$ROOTFS_IMG" ]; then
		args+=(-drive "file=$ROOTFS_IMG,format=raw,if=virtio,snapshot=on")
	fi
	qemu-system-x86_64 "${args[@]}" > "$RUN/node$i.qemu" 2>&1 &
	PIDS[$i]=$!
	# Nodes come before builds and host-side tests on this machine: a
	# starved guest misses heartbeats and makes every waiting run later.
	renice -n -10 -p "${PIDS[$i]}" > /dev/null 2>&1 || true
	disown "${PIDS[$i]}"
}

# A unix datagram socket queues only max_dgram_qlen frames (10 by default),
# read when the socket is made: a burst of NFS or o2net traffic overflows
# the hub's queue and the frames are dropped.  Make room before the hub and
# the nodes create theirs.
lab_unix_queues() {
	local q=/proc/sys/net/unix/max_dgram_qlen
	if [ -w $q ] && [ "$(cat $q)" -lt 512 ]; then
		echo 512 > $q || true
	fi
}

lab_start_nodes() {
	local hub i socks=()
	hub=$(lab_hub_bin) || { echo "lab: cannot build the frame hub" >&2; return 1; }
	for ((i = 0; i < NODES; i++)); do socks+=("$RUN/node$i.sock"); done
	lab_unix_queues
	"$hub" "$RUN/hub.sock" "${socks[@]}" 2> "$RUN/hub.log" &
	HUB_PID=$!
	# The hub carries every frame: starved behind the (reniced) nodes
	# and the host's builds it dropped enough to stall NFS for minutes.
	renice -n -10 -p "$HUB_PID" > /dev/null 2>&1 || true
	for ((i = 0; i < NODES; i++)); do lab_qemu_node "$i"; done
	echo "lab: $NODES node(s), kernel $KVER, stack $STACK, scenario $NAME, run dir $RUN" >&2
}

lab_monitor() {
	local i=$1 cmd=$2
	printf '%s\n' "$cmd" | socat -t 2 - "UNIX-CONNECT:$RUN/node$i.mon" > /dev/null 2>&1
}

# The device side of node N's virtio disks: for each queue, how far QEMU
# has read the guest's available ring (last_avail_idx), what it holds
# (inuse), what it has completed (used_idx) and signalled (signalled_used),
# and, read from guest memory, the rings' indexes and event marks (avail
# idx: what the guest posted; used idx; used_event: the guest wants an
# interrupt past it; avail_event: QEMU wants a kick past it).  Told apart,
# a request the guest posted but QEMU never took, one QEMU still works on,
# and a completion whose interrupt went missing.  Only reads: QEMU's
# "info virtio-queue-element" must not be used here, it decodes the
# descriptor at last_avail_idx even when the guest has not posted it and
# marks the device broken on the garbage it finds ("Desc next is N": run
# 20261127-102930, every later request of those disks hung).
lab_virtio_query() {
	printf '%s\n' "$2" | socat -t 2 - "UNIX-CONNECT:$RUN/node$1.mon" 2>&1 |
		tr -d '\r' | sed 's/\x1b\[[0-9]*[A-Z]//g' | grep -v '^(qemu)\|^QEMU'
}

# lab_virtio_u16 N NAME ADDR: a 16-bit word of node N's guest memory
lab_virtio_u16() {
	printf '  %-22s%d\n' "$2:" "$(lab_virtio_query "$1" "xp /1hx $3" |
		sed -n 's/^[0-9a-f]*: *\(0x[0-9a-f]*\)$/\1/p')"
}

lab_virtio_state() {
	local n=$1 dev st num avail used
	date -u +%T
	for dev in $(lab_virtio_query "$n" "info virtio" |
		sed -n 's/^\([^ ]*\) \[virtio-blk\]$/\1/p'); do
		echo "=== $dev"
		st=$(lab_virtio_query "$n" "info virtio-queue-status $dev 0")
		echo "$st" | grep -v '^ *\(num_default\|align\|desc\):'
		num=$(echo "$st" | sed -n 's/^ *num: *\([0-9]*\)$/\1/p')
		avail=$(echo "$st" | sed -n 's/^ *avail: *\(0x[0-9a-f]*\)$/\1/p')
		used=$(echo "$st" | sed -n 's/^ *used: *\(0x[0-9a-f]*\)$/\1/p')
		[ -n "$num" ] && [ -n "$avail" ] && [ -n "$used" ] &&
			((avail && used)) || continue
		echo "  guest memory:"
		lab_virtio_u16 "$n" "avail idx" $((avail + 2))
		lab_virtio_u16 "$n" "used idx" $((used + 2))
		lab_virtio_u16 "$n" "used_event" $((avail + 4 + 2 * num))
		lab_virtio_u16 "$n" "avail_event" $((used + 4 + 8 * num))
	done
}

# lab-ctl requests arrive as files in results/.lab/ctl; answer each once.
lab_handle_ctl() {
	local req id verb n arg rc
	for req in "$RESULTS"/.lab/ctl/req.*; do
		[ -e "$req" ] || continue
		case "$req" in *.tmp) continue ;; esac
		id=${req##*/req.}
		read -r verb n arg < "$req"
		rc=1
		case "$verb" in
		kill)
			echo "lab: node$n killed on request (lab-ctl kill from node${id%%.*})" >&2
			: > "$RESULTS/.lab/dead/$n"
			KILLED[$n]=1
			# A node already down counts as killed: a fence agent
			# asked to fence a crashed node must hear "done".
			kill -9 "${PIDS[$n]}" 2>/dev/null || ! lab_node_running "$n"
			rc=$?
			;;
		restart)
			echo "lab: node$n restarted on request (lab-ctl restart from node${id%%.*})" >&2
			lab_restart_node "$n"
			rc=$?
			;;
		link)
			echo "lab: node$n link $arg (lab-ctl from node${id%%.*})" >&2
			lab_monitor "$n" "set_link net0 $arg" && rc=0
			;;
		virtio)
			lab_virtio_state "$n" > "$RESULTS/virtio.node$n.$(date +%H%M%S)" && rc=0
			;;
		fenced)
			# refused while its QEMU still runs: the guest asks again
			if ! lab_node_running "$n"; then
				echo "lab: node$n fenced itself (lab-ctl fenced from node${id%%.*}); its kernel log is judged up to the fence" >&2
				: > "$RESULTS/.lab/dead/$n"
				FENCED[$n]=1
				rc=0
			fi
			;;
		esac
		rm -f "$req"
		echo $rc > "$RESULTS/.lab/ctl/done.$id"
	done
}

lab_node_running() { kill -0 "${PIDS[$1]}" 2>/dev/null; }

# lab-ctl restart N: kill node N as lab-ctl kill does, keep what its
# generation G left as node$N.genG.* (serial console, scenario output, set-up
# log), and boot it again on the same disks as generation G+1 (lab.gen on the
# kernel command line, $LAB_GEN in the scenario).  The new generation counts
# in barriers and is judged like any node; the kept serial logs are judged
# too (lab_node_problems), since the scenario cannot look at them.
lab_restart_node() {
	local n=$1 g=${GEN[$1]:-0} f
	kill -9 "${PIDS[$n]}" 2>/dev/null
	while lab_node_running "$n"; do sleep 0.1; done
	mv -f "$RUN/node$n.serial" "$RUN/node$n.gen$g.serial" 2>/dev/null
	for f in log setup.log dmesg; do
		mv -f "$RESULTS/node$n.$f" "$RESULTS/node$n.gen$g.$f" 2>/dev/null
	done
	rm -f "$RESULTS/.lab/status/$n" "$RESULTS/.lab/boot/$n" "$RUN/node$n.sock"
	GEN[$n]=$((g + 1))
	unset "KILLED[$n]"
	unset "FENCED[$n]"
	lab_qemu_node "$n"
	rm -f "$RESULTS/.lab/dead/$n"
}

lab_supervise() {
	local i alive
	TIMED_OUT=0
	KILLED=() GEN=() FENCED=()
	while :; do
		lab_handle_ctl
		alive=0
		for ((i = 0; i < NODES; i++)); do lab_node_running "$i" && alive=1; done
		((alive)) || break
		if (($(date +%s) - START >= TIMEOUT)); then
			TIMED_OUT=1
			for ((i = 0; i < NODES; i++)); do
				lab_node_running "$i" && TIMEOUT_NODES+=" node$i"
			done
			# Ask each hung kernel for its blocked tasks before pulling the plug.
			for ((i = 0; i < NODES; i++)); do
				lab_node_running "$i" && lab_monitor "$i" "sendkey alt-sysrq-w"
			done
			sleep 2
			break
		fi
		sleep 0.3
	done
	ELAPSED=$(($(date +%s) - START))
	cleanup
}
