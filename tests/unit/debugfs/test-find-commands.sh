#!/bin/bash
# debugfs.ocfs2 encode, bmap, frag, findpath, locate/ncheck, icheck,
# refcount and xattr [-v] must
# print what stock prints, byte for byte (stdout and stderr interleaved),
# on a fresh stock-made volume and on every kernel-populated volume cached
# by tests/lab/scenarios/tools/host-populated.bash: every path of the
# volume (up to 400), the inodes by number, blocks spread over the volume,
# and bad arguments.  Skips (77) without the stock tools.
set -u
T=${TOOLS:-tools}
SBIN=${STOCK_SBIN:-/sbin}
LAB_CACHE=${LAB_CACHE:-/var/cache/ocfs2-lab}
[ -x "$SBIN/mkfs.ocfs2" ] && [ -x "$SBIN/debugfs.ocfs2" ] || exit 77
WORK=$(mktemp -d /tmp/ocfs2-findcmd.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail=0

# every path (depth first, stock's view) as "ino kind path"
paths() {	# IMAGE DIR
	local ino mode name
	while read -r ino mode name; do
		[ "$name" = . ] || [ "$name" = .. ] && continue
		echo "$ino ${mode:0:1} ${2%/}/$name"
		[ "${mode:0:1}" = d ] && paths "$1" "${2%/}/$name"
	done < <("$SBIN/debugfs.ocfs2" -R "ls -l $2" "$1" 2>/dev/null | awk '{print $1, $2, $NF}')
}

commands() {	# IMAGE
	local blocks step b i=0
	paths "$1" / | head -n 400 > "$WORK/paths"
	while read -r ino kind path; do
		echo "encode $path"
		echo "frag $path"
		echo "bmap $path 0"
		echo "bmap $path 3"
		echo "findpath <$ino>"
		echo "refcount $path"
		echo "xattr $path"
		echo "xattr -v $path"
		i=$((i + 1))
		[ $((i % 25)) = 0 ] && echo "locate $(tail -n 30 "$WORK/paths" | awk '{printf "<%s> ", $1}')"
	done < "$WORK/paths"
	echo "ncheck <5> <6> $(awk 'NR % 7 == 0 {printf "<%s> ", $1}' "$WORK/paths")"
	for f in global_bitmap journal:0000 slot_map heartbeat; do
		echo "frag //$f"
		echo "bmap //$f 1"
	done
	blocks=$("$SBIN/debugfs.ocfs2" -R stats "$1" 2>/dev/null | awk '/Clusters:/ && /Blocks:/ {for (i = 1; i < NF; i++) if ($i == "Blocks:") print $(i + 1)}')
	[ -n "$blocks" ] || blocks=65536
	step=$((blocks / 40 + 1))
	printf "icheck"
	for ((b = 0; b < blocks; b += step)); do printf " %d %d" $b $((b + 1)); done
	printf " 2 3 4 5 6 7 8 9 10 %d\n" $((blocks - 1))
	echo "icheck $blocks"
	echo "icheck 12 nonsense"
	echo "encode"
	echo "bmap /"
	echo "frag"
	echo "findpath"
	echo "findpath /"
	echo "locate <999999999>"
	echo "encode /does/not/exist"
	echo "refcount"
	echo "refcount <12345678901>"
	echo "refcount -e <5>"
	echo "xattr"
	echo "xattr -v"
}

compare() {	# IMAGE LABEL
	commands "$1" > "$WORK/cmds"
	"$T/debugfs/debugfs.ocfs2" -f "$WORK/cmds" "$1" 2>&1 | grep -v '^debugfs.ocfs2 1' > "$WORK/ours"
	"$SBIN/debugfs.ocfs2" -f "$WORK/cmds" "$1" 2>&1 | grep -v '^debugfs.ocfs2 1' > "$WORK/stock"
	if cmp -s "$WORK/ours" "$WORK/stock"; then
		echo "ok $2: $(wc -l < "$WORK/cmds") commands, $(wc -l < "$WORK/ours") lines identical"
	else
		echo "FAIL $2: our output differs from stock"
		diff "$WORK/stock" "$WORK/ours" | head -20
		fail=1
	fi
}

truncate -s 1G "$WORK/stock.img"
"$SBIN/mkfs.ocfs2" -q -F -N 2 -L findcmd "$WORK/stock.img" >/dev/null || exit 1
compare "$WORK/stock.img" "stock mkfs"
for img in "$LAB_CACHE"/populated/*/vd?.img; do
	[ -e "${img%.img}.ok" ] || continue
	compare "$img" "${img#"$LAB_CACHE"/populated/}"
done
exit $fail
