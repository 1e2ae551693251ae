# Per-run assembly of each stack's initramfs: the cached base tree, hard-
# linked, plus the lab's guest scripts, the scenario, cluster.conf and, for
# the project's stack, the project's modules and tools.  Sourced by run.

lab_resolve_kernel() {
	local want=$1 h
	if [ -d "$LAB_CACHE/kernels/$want" ]; then echo "$want"; return 0; fi
	h=$(ls -d /usr/src/linux-headers-"$want"[.-]*-amd64 2>/dev/null | sort -V | tail -1)
	if [ -z "$h" ]; then
		echo "lab: no linux-headers for kernel '$want' (run make deps)" >&2
		return 1
	fi
	h=${h#/usr/src/linux-headers-}
	if [ ! -f "$LAB_CACHE/kernels/$h/.complete" ]; then
		echo "lab: kernel image $h not unpacked; fetching it" >&2
		bash "$LAB/kernels.sh" >&2 || return 1
	fi
	echo "$h"
}

lab_node_ip() { echo "10.77.0.$((10 + $1))"; }

lab_write_cluster_conf() {
	local f=$1 i
	{
		printf 'cluster:\n\tnode_count = %d\n\theartbeat_mode = local\n\tname = lab\n\n' "$NODES"
		for ((i = 0; i < NODES; i++)); do
			printf 'node:\n\tip_port = 7777\n\tip_address = %s\n\tnumber = %d\n\tname = node%d\n\tcluster = lab\n\n' \
				"$(lab_node_ip $i)" "$i" "$i"
		done
	} > "$f"
}

# corosync for --cluster user: knet over the lab network, nodeid = N + 1
# (corosync and fs/dlm number nodes from 1).  Token 3 s unless
# LAB_COROSYNC_TOKEN_MS says otherwise (a restart at host load ~20 lost
# every member with 3 s: cluster/11 in session 8; pcmk roots use 10 s).
# LAB_COROSYNC_JOIN_MS sets totem.join (corosync's default 50 ms): in
# session 10 a node's crash left both survivors in rings of their own even
# with a 10 s token, and dlm_controld then removed one of them as a
# "stateful merge" member (cluster/11, both kernels).
lab_write_corosync_conf() {
	local f=$1 i
	{
		printf 'totem {\n\tversion: 2\n\tcluster_name: lab\n\ttransport: knet\n'
		if [[ -n ${LAB_COROSYNC_JOIN_MS:-} ]]; then
			printf '\tjoin: %d\n' "$LAB_COROSYNC_JOIN_MS"
		fi
		printf '\tcrypto_cipher: none\n\tcrypto_hash: none\n\ttoken: %d\n}\n' \
			"${LAB_COROSYNC_TOKEN_MS:-3000}"
		printf 'nodelist {\n'
		for ((i = 0; i < NODES; i++)); do
			printf '\tnode {\n\t\tring0_addr: %s\n\t\tname: node%d\n\t\tnodeid: %d\n\t}\n' \
				"$(lab_node_ip $i)" "$i" $((i + 1))
		done
		printf '}\nquorum {\n\tprovider: corosync_votequorum\n'
		((NODES == 2)) && printf '\ttwo_node: 1\n'
		printf '}\nlogging {\n\tto_logfile: yes\n\tlogfile: /var/log/corosync/corosync.log\n'
		printf '\tto_syslog: no\n\tto_stderr: no\n\ttimestamp: on\n}\n'
	} > "$f"
}

lab_write_conf() {
	cat > "$1" <<CONF
LAB_CLUSTER=lab
LAB_HB_THRESHOLD=$HB_THRESHOLD
LAB_IDLE_TIMEOUT_MS=${LAB_IDLE_TIMEOUT_MS:-30000}
LAB_KEEPALIVE_DELAY_MS=${LAB_KEEPALIVE_DELAY_MS:-2000}
LAB_RECONNECT_DELAY_MS=${LAB_RECONNECT_DELAY_MS:-2000}
LAB_KVER=$KVER
LAB_NFS=$NFS
LAB_CLUSTER_STACK=$CLUSTER_STACK
LAB_ROOTFS=$ROOTFS
lab_node_ip() { echo "10.77.0.\$((10 + \$1))"; }
CONF
}

# Base trees are cached by kernel, stack and the inputs that shape them.
lab_base_tree() {
	local stack=$1 key
	key=$( { cat "$LAB/host/initramfs.sh"; dpkg-query -W ocfs2-tools busybox-static kmod util-linux dash 2>/dev/null; } | md5sum | cut -c1-12)
	local dir=$LAB_CACHE/base/$KVER-$stack-$key
	if [ ! -d "$dir" ]; then
		echo "lab: building the $stack base image for $KVER (cached afterwards)" >&2
		# Built aside and renamed, so runs in other lab slots never see
		# a half-built tree.
		rm -rf "$dir.tmp.$$"
		bash "$LAB/host/initramfs.sh" base "$KVER" "$stack" "$dir.tmp.$$" >&2 || return 1
		mv -T "$dir.tmp.$$" "$dir" 2>/dev/null || rm -rf "$dir.tmp.$$"
	fi
	echo "$dir"
}

# Project modules: all of them for "ours"; for "stock" only those that do
# not replace a Debian ocfs2 module (dm-nfs, say).
lab_stage_modules() {
	local stage=$1 stack=$2 ko n
	mkdir -p "$stage/lib/modules/$KVER/updates"
	[ -d "$TOP/build/$KVER" ] || return 0
	while read -r ko; do
		n=$(basename "$ko")
		[ "$stack" = stock ] && [[ $n == ocfs2* ]] && continue
		cp "$ko" "$stage/lib/modules/$KVER/updates/$n"
	done < <(find "$TOP/build/$KVER" -name '*.ko')
}

# Both module sets in every node (LAB_MODSETS=1; the 3-node creators
# bench): Debian's ocfs2* modules in /lab/mods/stock and the project's in
# /lab/mods/ours, outside the module path (modprobe never picks them), each
# with a manifest of lines "NAME DEPENDS BUILD-ID" (DEPENDS comma separated
# or -).  lab-modset swaps one set for the other in a running node and
# proves by the build IDs which one is loaded.
lab_stage_modsets() {
	local stage=$1 kroot=$LAB_CACHE/kernels/$KVER/root f n d dep
	[ "${LAB_MODSETS:-0}" = 1 ] || return 0
	mkdir -p "$stage/lab/mods/stock" "$stage/lab/mods/ours"
	while read -r f; do
		n=$(basename "$f")
		n=${n%%.ko*}.ko
		case "$f" in
		*.xz) xz -dc "$f" > "$stage/lab/mods/stock/$n" ;;
		*.zst) zstd -qdc "$f" > "$stage/lab/mods/stock/$n" ;;
		*) cp "$f" "$stage/lab/mods/stock/$n" ;;
		esac || return 1
	done < <(find "$kroot/lib/modules/$KVER/kernel/fs/ocfs2" -name 'ocfs2*.ko*')
	while read -r f; do
		n=$(basename "$f")
		# a hard link where the boot set already holds the file: the
		# initramfs carries the big debug-info module once
		ln -f "$stage/lib/modules/$KVER/updates/$n" "$stage/lab/mods/ours/$n" 2>/dev/null ||
			cp "$f" "$stage/lab/mods/ours/$n" || return 1
	done < <(find "$TOP/build/$KVER" -name 'ocfs2*.ko')
	for d in stock ours; do
		ls "$stage/lab/mods/$d"/ocfs2.ko > /dev/null || return 1
		for f in "$stage/lab/mods/$d"/*.ko; do
			dep=$(modinfo -F depends "$f")
			printf '%s %s %s\n' "$(basename "$f" .ko)" "${dep:--}" \
				"$(readelf -n "$f" | awk '/Build ID:/ { print $3 }')"
		done > "$stage/lab/mods/$d/manifest"
	done
}

# Project tools replace the stock ones under the standard names; the stock
# ones stay as stock-NAME.  A tool the project lacks stays stock.
lab_stage_tools() {
	local stage=$1 t bin ours=() stockleft=()
	for t in $STOCK_TOOLS; do
		bin=$(find "$TOP/tools" -type f -perm -u+x -name "$t" 2>/dev/null | head -1)
		if [ -n "$bin" ]; then
			rm -f "$stage/usr/sbin/$t"
			lab_copy_bin "$stage" "$bin" "/usr/sbin/$t.lab"
			rm -f "$stage/usr/sbin/$t.lab"
			cp "$bin" "$stage/usr/sbin/$t"
			ours+=("$t")
		else
			stockleft+=("$t")
		fi
	done
	echo "ours: ${ours[*]:-none}" > "$stage/lab/etc/tools"
	echo "stock: ${stockleft[*]:-none}" >> "$stage/lab/etc/tools"
}

lab_stage_adds() {
	local stage=$1 f
	mkdir -p "$stage/usr/local/bin"
	for f in "${ADDS[@]}"; do
		[ -e "$f" ] || { echo "lab: --add $f: no such file" >&2; return 1; }
		if file -L "$f" 2>/dev/null | grep -q ELF; then
			lab_copy_bin "$stage" "$f" "/usr/local/bin/$(basename "$f").lab"
			rm -f "$stage/usr/local/bin/$(basename "$f").lab"
		fi
		cp -L "$f" "$stage/usr/local/bin/$(basename "$f")"
	done
}

# Scenario helpers from tests/lab/tools, built on the host, in /lab/bin.
lab_stage_labtools() {
	local stage=$1 src bin
	for src in "$LAB"/tools/*.c; do
		[ -e "$src" ] || continue
		bin=$LAB_CACHE/bin/$(basename "$src" .c)
		if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
			mkdir -p "$LAB_CACHE/bin"
			gcc -O2 -Wall -Wextra -I"$TOP/include" -o "$bin.$$" "$src" || return 1
			mv -f "$bin.$$" "$bin"
		fi
		lab_copy_bin "$stage" "$bin" "/lab/bin/$(basename "$bin").lib"
		rm -f "$stage/lab/bin/$(basename "$bin").lib"
		cp "$bin" "$stage/lab/bin/"
	done
}

lab_build_initrd() {
	local stack=$1 out=$2 base stage=$RUN/stage-$1
	base=$(lab_base_tree "$stack") || return 1
	cp -al "$base" "$stage"
	cp "$LAB"/guest/* "$stage/lab/bin/"
	mv "$stage/lab/bin/init" "$stage/init"
	cp "$SCENARIO" "$stage/lab/scenario" && chmod +x "$stage/lab/scenario"
	printf '%q ' "${SCENARIO_ARGS[@]}" > "$stage/lab/etc/args"
	lab_write_conf "$stage/lab/etc/lab.conf"
	lab_write_cluster_conf "$stage/etc/ocfs2/cluster.conf"
	lab_write_corosync_conf "$stage/etc/corosync/corosync.conf"
	printf 'enable_fencing=0\n' > "$stage/etc/dlm/dlm.conf"
	lab_stage_modules "$stage" "$stack"
	lab_stage_modsets "$stage" || { echo "lab: staging both module sets failed" >&2; return 1; }
	if [ "$stack" = ours ]; then
		lab_stage_tools "$stage"
	else
		printf 'ours: none (stock stack)\nstock: all\n' > "$stage/lab/etc/tools"
	fi
	lab_stage_adds "$stage" || return 1
	lab_stage_labtools "$stage" || return 1
	rm -f "$stage/lib/modules/$KVER"/modules.{dep,dep.bin,alias,alias.bin,symbols,symbols.bin,softdep,devname,builtin.bin,builtin.alias.bin,weakdep}
	depmod -b "$stage" "$KVER" || return 1
	(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) > "$out" || return 1
	rm -rf "$stage"
}

lab_prepare_initrds() {
	local s
	for s in $(printf '%s\n' "${STACK_LIST[@]}" | sort -u); do
		lab_build_initrd "$s" "$RUN/initrd-$s.cpio" || { echo "lab: building the $s initramfs failed" >&2; return 1; }
	done
}

# Shared disks: SIZE makes a fresh sparse image in the run directory, PATH
# uses the caller's file and leaves it for inspection.
lab_prepare_disks() {
	local d i=0
	DISK_FILES=()
	for d in "${DISKS[@]}"; do
		if [[ $d =~ ^[0-9]+[KMGT]?$ ]]; then
			truncate -s "$d" "$RUN/disk$i.img" || return 1
			DISK_FILES+=("$RUN/disk$i.img")
		elif [ -f "$d" ] || [ -b "$d" ]; then
			DISK_FILES+=("$(readlink -f "$d")")
		else
			echo "lab: --disk $d is neither a size nor an existing file" >&2
			return 1
		fi
		i=$((i + 1))
	done
	if ((NFS)); then
		truncate -s 8G "$RUN/nfs-export.img" && mkfs.ext4 -q -F "$RUN/nfs-export.img" || return 1
	fi
}
