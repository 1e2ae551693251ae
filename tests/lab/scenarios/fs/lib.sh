# Helpers shared by the fs scenarios (sourced by dash).

# manifest DIR [SKIP]: one line per path under DIR (sorted): name, raw
# mode, owner, size, links, mtime, and the content hash (files), target
# hash (symlinks) or device numbers.  MANIFEST files themselves are left
# out, and so is the subtree DIR/SKIP if given (a stress tree of thousands
# of files costs minutes of stat and sha256sum on the TCG nodes).
manifest() {
	(
	cd "$1" || exit 1
	find . -path "./${2:-.manifest-skips-nothing}" -prune -o ! -name MANIFEST ! -name 'MANIFEST.*' -print |
		sort | while read -r p; do
		line=$(stat -c '%n %f %u:%g %s %h %Y' "$p")
		if [ -L "$p" ]; then
			line="$line -> $(readlink "$p" | sha256sum | cut -c1-16) $(readlink "$p" | wc -c)"
		elif [ -f "$p" ]; then
			line="$line $(sha256sum < "$p" | cut -c1-64)"
		elif [ -c "$p" ] || [ -b "$p" ]; then
			line="$line dev=$(stat -c '%t:%T' "$p")"
		fi
		echo "$line"
	done
	)
}

# repeat CHAR N: a string of N copies of CHAR
repeat() {
	head -c "$2" /dev/zero | tr '\0' "$1"
}

# fail MSG: say what failed and end the scenario; the volume is unmounted
# first, so a later scenario of the same boot (set.sh) can mount its own
fail() {
	echo "FAIL: $*"
	[ -z "${FAIL_MARK:-}" ] || : > "$FAIL_MARK"
	cd /
	umount /mnt/ocfs2 2>/dev/null || true
	exit 1
}

# bail_mark FILE: from now on fail() leaves FILE, and bar NAME (lab-barrier
# NAME) gives up once another node left it.  set.sh without --stop goes on
# to the next scenario after a failure, so a node still waiting at one of
# the failed scenario's barriers would otherwise wait for the run's timeout.
bail_mark() {
	FAIL_MARK=$1
	# an end through set -e leaves the mark too
	trap 'rc=$?; [ $rc = 0 ] || [ -z "${FAIL_MARK:-}" ] || : > "$FAIL_MARK"; exit $rc' EXIT
}

bar() {
	lab-barrier "$1" &
	bpid=$!
	while kill -0 $bpid 2> /dev/null; do
		if [ -n "${FAIL_MARK:-}" ] && [ -e "$FAIL_MARK" ]; then
			kill $bpid 2> /dev/null || true
			FAIL_MARK=
			fail "another node failed; given up at barrier $1"
		fi
		sleep 1
	done
	wait $bpid
}

# klog_check NAME: save this node's kernel log as $LAB_RESULTS/NAME.klog and
# say "clean" or "dirty" in $LAB_RESULTS/NAME.verdict.  For nodes that are
# killed later: the lab judges only the kernel logs of nodes still alive.
KLOG_BAD='WARNING: CPU|cut here|BUG: |kernel BUG|Oops|Kernel panic|blocked for more than|general protection fault|possible circular locking|inconsistent lock state|possible recursive locking|UBSAN:|KASAN:|soft lockup|Call Trace:'
klog_check() {
	dmesg > "$LAB_RESULTS/$1.klog"
	if grep -Eq "$KLOG_BAD" "$LAB_RESULTS/$1.klog"; then
		echo dirty > "$LAB_RESULTS/$1.verdict"
		grep -E -A 30 "$KLOG_BAD" "$LAB_RESULTS/$1.klog" | head -60
	else
		echo clean > "$LAB_RESULTS/$1.verdict"
	fi
}

# klog_verdict NAME: fail unless klog_check NAME found the log clean
klog_verdict() {
	[ "$(cat "$LAB_RESULTS/$1.verdict" 2>/dev/null)" = clean ] ||
		fail "kernel log of $1 before the kill is not clean (see $1.klog)"
}

# ours_param_again: a generation after a restart (lab-ctl restart) loaded
# our module with its defaults; set again what ours-param.sh set on this
# node earlier in the run (later settings of one parameter win)
ours_param_again() {
	op=$LAB_RESULTS/ours-param.$NODE
	[ "$LAB_STACK" = ours ] && [ "${LAB_GEN:-0}" -gt 0 ] && [ -s "$op" ] ||
		return 0
	modprobe ocfs2
	while read -r kv; do
		echo "${kv#*=}" > "/sys/module/ocfs2/parameters/${kv%%=*}" ||
			fail "ours-param again: ocfs2.${kv%%=*}"
	done < "$op"
	echo "node$NODE gen$LAB_GEN: ocfs2 parameters set again: $(tr '\n' ' ' < "$op")"
}

# fsck_clean WHAT [DEV]: stock fsck.ocfs2 -fn of DEV (default $dev) must
# exit 0 and ask no repair question.  With -n stock answers "n" to every
# question and still exits 0, so the questions are what tell damage apart.
# The output stays in $LAB_RESULTS/fsck.last.  FSCK_ALLOW, if set, is an
# extended regex of questions that are stock fsck's own false alarms for
# this volume (each caller says why); they are shown but pass.
fsck_clean() {
	stock-fsck.ocfs2 -fn "${2:-$dev}" > "$LAB_RESULTS/fsck.last" 2>&1 || {
		cat "$LAB_RESULTS/fsck.last"
		fail "stock fsck $1: exit status"
	}
	if [ -n "${FSCK_ALLOW:-}" ]; then
		grep -E "$FSCK_ALLOW" "$LAB_RESULTS/fsck.last" || true
	fi
	if grep -v -E "${FSCK_ALLOW:-^\$}" "$LAB_RESULTS/fsck.last" | grep -q '? n$'; then
		cat "$LAB_RESULTS/fsck.last"
		fail "stock fsck $1: wants repairs"
	fi
}

# Refcount scenarios (fs/17, fs/27-*): our nodes change reflinked files
# and a model of each on tmpfs (/model) gets the same change.
# rc_on: load ocfs2; ocfs2.refcount_writes must be on by default
RC_PARAM=/sys/module/ocfs2/parameters/refcount_writes
rc_on() {
	modprobe ocfs2
	[ -w $RC_PARAM ] || fail "ours: no parameter refcount_writes"
	RC_DEFAULT=$(cat $RC_PARAM)
	[ "$RC_DEFAULT" = Y ] ||
		fail "ours: ocfs2.refcount_writes is $RC_DEFAULT, not on by default"
	echo "ours: ocfs2.refcount_writes on by default"
}

# rc_ours [MODEL_MB]: rc_on, and a model of MODEL_MB (64) MiB on /model
rc_ours() {
	rc_on
	mkdir -p /model
	mount -t tmpfs -o size="${1:-64}m" tmpfs /model
}

# rc_ours_end: the model goes
rc_ours_end() {
	umount /model 2>/dev/null || true
}

# rcw MODE FILE OFF LEN SEED: the same change to $mnt/FILE and its model
# (fs-rcio: buf, direct, mmap, trunc, punch)
rcw() {
	fs-rcio "$1" "$mnt/$2" "/model/$2" "$3" "$4" "$5" ||
		fail "ours: $1 $2 $3+$4"
}

# rc_same WHEN: the volume under $mnt holds the model's files, each equal
rc_same() {
	(cd /model && find . -type f | sort) > /tmp/model.list
	(cd "$mnt" && find . -type f | sort) > /tmp/vol.list
	cmp -s /tmp/model.list /tmp/vol.list || {
		diff /tmp/model.list /tmp/vol.list | head
		fail "ours $1: other names than the model"
	}
	while read -r f; do
		cmp "$mnt/$f" "/model/$f" > /tmp/cmp.out 2>&1 || {
			cat /tmp/cmp.out
			fail "ours $1: $f differs from its model"
		}
	done < /tmp/model.list
	echo "ours $1: $(wc -l < /tmp/model.list) files equal their models"
}

# Directory scenarios (fs/13, fs/30): many names, checked by lookup and
# by readdir.
# mk DIR PREFIX FROM TO [STEP]: create DIR/PREFIX_FROM .. below TO
mk() {
	i=$3
	while [ "$i" -lt "$4" ]; do
		: > "$1/$2_$i"
		i=$((i + ${5:-1}))
	done
}

# all_found DIR LIST: every name of LIST (one a line) exists in DIR
all_found() {
	while read -r f; do
		[ -e "$1/$f" ] || fail "$1/$f not found by lookup"
	done < "$2"
}

# none_found DIR LIST: no name of LIST exists in DIR
none_found() {
	while read -r f; do
		[ ! -e "$1/$f" ] || fail "$1/$f still found by lookup"
	done < "$2"
}

# same_names DIR LIST: readdir of DIR gives exactly LIST
same_names() {
	ls -A "$1" | sort > /tmp/names.now
	sort "$2" | diff /tmp/names.now - > /tmp/names.diff ||
		fail "$1: readdir differs from $2: $(head -5 /tmp/names.diff)"
}

# u16/u32/u64 BLK OFF: little-endian fields of 1 KiB block BLK of $dev
# (fs/30, fs/31 format with 1 KiB blocks)
u16() { dd if="$dev" bs=1024 skip="$1" count=1 2>/dev/null | od -An -tu2 -j"$2" -N2 | tr -d ' '; }
u32() { dd if="$dev" bs=1024 skip="$1" count=1 2>/dev/null | od -An -tu4 -j"$2" -N4 | tr -d ' '; }
u64() { dd if="$dev" bs=1024 skip="$1" count=1 2>/dev/null | od -An -tu8 -j"$2" -N8 | tr -d ' '; }

# Discontiguous group scenarios (fs/23, fs/24).
# make_names DIR PREFIX FIRST LAST: empty files, few forks
make_names() {
	i=$3
	while [ "$i" -le "$4" ]; do
		echo "$2$i"
		i=$((i + 1))
	done > /tmp/names
	(cd "$1" && xargs touch < /tmp/names) ||
		fail "creating $2$3..$2$4 in $1"
}

# listing DIR: "name inode" per line, sorted
listing() {
	(cd "$1" && ls -ai | awk '$2 != "." && $2 != ".." { print $2, $1 }' |
		sort)
}

# group_extents ALLOC: "group-block extents" for every group of slot 0's
# ALLOC on $dev (4 KiB blocks; stock debugfs's stat walks the chains); a
# contiguous group's descriptor has no extent records
group_extents() {
	stock-debugfs.ocfs2 -R "stat //$1:0000" "$dev" 2>/dev/null |
		awk 'NF == 7 && $1 ~ /^[0-9]+$/ { print $2 }' |
		while read -r g; do
			n=$(dd if="$dev" bs=4096 skip="$g" count=1 2>/dev/null |
				od -An -tu2 -j 324 -N 2 | tr -d ' ')
			echo "$g $n"
		done
}

# fragment_volume: stock mkfs -M local on $dev with 64 KiB clusters
# (inode and extent groups of 1024 blocks = 64 clusters), fills it with
# 3 MiB files and removes every other one: the free space is 48-cluster
# holes, none a whole group.  Unmounted at the end (the freed clusters
# reach the bitmap through the truncate log).
fragment_volume() {
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 65536 -N 2 -M local \
		-L discontig "$dev"
	mount -t ocfs2 "$dev" "$mnt"
	i=0
	while dd if=/dev/zero of="$mnt/fill$i" bs=1M count=3 2>/dev/null; do
		i=$((i + 1))
	done
	rm -f "$mnt/fill$i"
	j=0
	while [ $j -lt $i ]; do
		rm "$mnt/fill$j"
		j=$((j + 2))
	done
	umount "$mnt"
	echo "stock: $i files of 3 MiB filled the volume, every other one removed"
}
