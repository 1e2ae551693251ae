#!/bin/bash
# debugfs.ocfs2 dirblocks, dx_root, dx_leaf, dx_dump, dx_space, decode,
# grpextents, hb and rdump must print what stock prints, byte for byte
# (stdout and stderr interleaved), on a fresh stock-made volume and on
# every kernel-populated volume cached by the tools lab drivers
# (tests/lab/scenarios/tools/host-*.bash): every directory (up to 300),
# every index root and leaf, every group of every allocator chain, the
# inodes by number, and bad arguments; rdump -v of each top directory must
# say the same and leave the same tree (names, types, modes, owners, sizes,
# bytes, link targets).  Stock dirblocks on a metaecc volume checksums
# memory past its buffer and prints a "**FAILED CHECKSUM**" line with a
# different value each run: those lines are dropped from stock's output.
# Skips (77) without the stock tools.
set -u
T=${TOOLS:-tools}
SBIN=${STOCK_SBIN:-/sbin}
LAB_CACHE=${LAB_CACHE:-/var/cache/ocfs2-lab}
[ -x "$SBIN/mkfs.ocfs2" ] && [ -x "$SBIN/debugfs.ocfs2" ] || exit 77
WORK=$(mktemp -d /tmp/ocfs2-dircmd.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail=0

stock() { "$SBIN/debugfs.ocfs2" -R "$1" "$2" 2>/dev/null; }

# every directory (depth first, stock's view) as "ino path"
dirs() {	# IMAGE DIR
	local ino mode name
	echo "$(stock "stat $2" "$1" | awk '/Inode:/ {print $2; exit}') $2"
	while read -r ino mode name; do
		[ "$name" = . ] || [ "$name" = .. ] && continue
		[ "${mode:0:1}" = d ] && dirs "$1" "${2%/}/$name"
	done < <(stock "ls -l $2" "$1" | awk '{print $1, $2, $NF}')
}

# the first group of every chain of every allocator
groups() {	# IMAGE
	local f slots s
	slots=$(stock stats "$1" | awk '/Max Node Slots:/ {print $NF}')
	{
		echo "stat //global_bitmap"
		echo "stat //global_inode_alloc"
		for ((s = 0; s < ${slots:-1}; s++)); do
			printf 'stat //inode_alloc:%04d\nstat //extent_alloc:%04d\n' $s $s
		done
	} > "$WORK/gcmds"
	# the chain records' table only: it ends at the first empty line
	"$SBIN/debugfs.ocfs2" -f "$WORK/gcmds" "$1" 2>/dev/null |
		awk '/^\t##   Total/ {t = 1; next} /^$/ {t = 0} t && $5 ~ /^[0-9]+$/ {print $5}'
}

commands() {	# IMAGE
	local ino path root
	dirs "$1" / | head -n 300 > "$WORK/dirs"
	while read -r ino path; do
		echo "dirblocks $path"
		echo "dx_dump $path"
		echo "dx_space $path"
		root=$(stock "stat $path" "$1" | awk '/Indexed Tree Root:/ {print $4}')
		[ -n "$root" ] || continue
		echo "dx_root <$root>"
		stock "dx_dump $path" "$1" | awk '/Dir Index Leaf:/ {print "dx_leaf <" $4 ">"}'
	done < "$WORK/dirs"
	awk '{printf "<%s> ", $1} NR % 40 == 0 {printf "\n"}' "$WORK/dirs" | sed 's/^/decode /'
	echo
	groups "$1" | sort -un | sed 's/.*/grpextents <&>/'
	echo "hb"
	echo "decode"
	echo "decode junk <5>"
	echo "decode <5> junk <6>"
	echo "decode <999999999999>"
	echo "dx_root"
	echo "dx_root <5>"
	echo "dx_root 5"
	echo "dx_leaf <5>"
	echo "dx_leaf <999999999999>"
	echo "grpextents"
	echo "grpextents <5>"
	echo "dirblocks"
	echo "dirblocks /no/such/dir"
	echo "dirblocks <5>"
	echo "dx_dump <5>"
	echo "dx_space <5>"
	echo "dx_space /no/such"
	echo "rdump"
	echo "rdump /"
}

# names, types, modes, owners, sizes and link targets, then the bytes
tree() {	# DIR
	(cd "$1" && find . -mindepth 1 -printf '%p %y %m %U %G %s %l\n' | sort &&
	 find . -type f | sort | xargs -r md5sum)
}

compare_rdump() {	# IMAGE LABEL
	local top
	for top in $(stock "ls -l /" "$1" | awk '$2 ~ /^d/ && $NF != "." && $NF != ".." {print $NF}'); do
		rm -rf "$WORK/r.ours" "$WORK/r.stock"
		mkdir "$WORK/r.ours" "$WORK/r.stock"
		"$T/debugfs/debugfs.ocfs2" -R "rdump -v /$top $WORK/r.ours" "$1" 2>&1 |
			sed "s|$WORK/r.ours|DST|" > "$WORK/out.ours"
		"$SBIN/debugfs.ocfs2" -R "rdump -v /$top $WORK/r.stock" "$1" 2>&1 |
			sed "s|$WORK/r.stock|DST|" | grep -v '^debugfs.ocfs2 1' > "$WORK/out.stock"
		if ! cmp -s <(grep -v '^debugfs.ocfs2 1' "$WORK/out.ours") "$WORK/out.stock" ||
		   ! cmp -s <(tree "$WORK/r.ours") <(tree "$WORK/r.stock"); then
			echo "FAIL $2: rdump /$top differs from stock"
			diff <(tree "$WORK/r.stock") <(tree "$WORK/r.ours") | head -10
			fail=1
			return
		fi
	done
	echo "ok $2: rdump of every top directory identical"
}

compare() {	# IMAGE LABEL
	commands "$1" > "$WORK/cmds"
	"$T/debugfs/debugfs.ocfs2" -f "$WORK/cmds" "$1" 2>&1 | grep -v '^debugfs.ocfs2 1' > "$WORK/ours"
	"$SBIN/debugfs.ocfs2" -f "$WORK/cmds" "$1" 2>&1 | grep -v '^debugfs.ocfs2 1' |
		grep -v '^	\*\*FAILED CHECKSUM\*\* Computed' > "$WORK/stock"
	if cmp -s "$WORK/ours" "$WORK/stock"; then
		echo "ok $2: $(wc -l < "$WORK/cmds") commands, $(wc -l < "$WORK/ours") lines identical"
	else
		echo "FAIL $2: our output differs from stock"
		diff "$WORK/stock" "$WORK/ours" | head -20
		fail=1
	fi
	compare_rdump "$1" "$2"
}

truncate -s 1G "$WORK/stock.img"
"$SBIN/mkfs.ocfs2" -q -F -N 2 -L dircmd "$WORK/stock.img" >/dev/null || exit 1
compare "$WORK/stock.img" "stock mkfs"
for img in ${DIRCMD_IMAGES:-"$LAB_CACHE"/populated/*/vd?.img}; do
	[ -e "${img%.img}.ok" ] || continue
	compare "$img" "${img#"$LAB_CACHE"/populated/}"
done
exit $fail
