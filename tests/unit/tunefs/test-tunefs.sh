#!/bin/bash
# tunefs.ocfs2: each supported change on a volume made by our mkfs must
# leave stock `fsck.ocfs2 -fn` clean and show in stock debugfs/our -Q;
# unsupported changes must be refused with a reason and change nothing.
set -u
T=${TOOLS:-tools}
SBIN=${STOCK_SBIN:-/sbin}
MKFS=$T/mkfs/mkfs.ocfs2 TUNEFS=$T/tunefs/tunefs.ocfs2
[ -x "$SBIN/fsck.ocfs2" ] || exit 77
WORK=$(mktemp -d /tmp/ocfs2-tunefs.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
IMG=$WORK/v.img
fail=0

fresh() { rm -f "$IMG"; truncate -s 3G "$IMG"; "$MKFS" -q -F -N 2 "$@" "$IMG"; }
clean() {
	"$SBIN/fsck.ocfs2" -fn "$IMG" >"$WORK/fsck" 2>&1 ||
		{ echo "FAIL stock fsck after: $*"; cat "$WORK/fsck"; fail=1; return 1; }
}
expect_q() {	# format expected-output description
	local got
	got=$("$TUNEFS" -Q "$1" "$IMG")
	[ "$got" = "$2" ] || { echo "FAIL $3: -Q '$1' gave '$got', want '$2'"; fail=1; return 1; }
	echo "ok $3"
}
run() { "$TUNEFS" -q "$@" "$IMG" >"$WORK/out" 2>&1 || { echo "FAIL tunefs $*"; cat "$WORK/out"; fail=1; return 1; }; }

fresh
run -L tuned && clean -L && expect_q "%V" tuned "label"
run --uuid-reset=2a4d1c58-1faa-42a1-a41d-26efc90c1315 && clean -U &&
	expect_q "%U" 2A4D1C581FAA42A1A41D26EFC90C1315 "uuid (dashed form)"
run -U && clean -U &&
	if [ "$("$TUNEFS" -Q %U "$IMG")" = 2A4D1C581FAA42A1A41D26EFC90C1315 ]; then
		echo "FAIL uuid not regenerated"; fail=1
	else
		echo "ok uuid regenerated"
	fi
run -N 5 && clean -N 5 && expect_q "%N" 5 "add slots 2->5"
run -N 9 && clean -N 9 && expect_q "%N" 9 "add slots 5->9"
run -M local && clean -M local && expect_q "%H" "local sparse extended-slotmap inline-data xattr indexed-dirs refcount discontig-bg append-dio" "mount local"
run -M cluster && clean -M cluster && expect_q "%H" "sparse extended-slotmap inline-data xattr indexed-dirs refcount discontig-bg append-dio" "mount cluster"
run --cluster-stack=pcmk --cluster-name=lab && clean stack &&
	"$SBIN/debugfs.ocfs2" -R stats "$IMG" | grep -q "Cluster stack: pcmk" && echo "ok cluster stack pcmk"
run --cluster-stack=o2cb --cluster-name=lab --global-heartbeat && clean ghb &&
	"$SBIN/debugfs.ocfs2" -R stats "$IMG" | grep -q "Globalheartbeat" && echo "ok global heartbeat"
run --fs-features=noextended-slotmap && clean noext && expect_q "%H" "sparse inline-data xattr indexed-dirs refcount discontig-bg clusterinfo append-dio" "no extended slot map"
run --fs-features=extended-slotmap,noappend-dio && clean ext && expect_q "%H" "sparse extended-slotmap inline-data xattr indexed-dirs refcount discontig-bg clusterinfo" "extended slot map, no append-dio"
run --fs-features=nobackup-super && clean nobackup && expect_q "%M" "strict-journal-super" "no backup super"
run --fs-features=backup-super && clean backup && expect_q "%M" "backup-super strict-journal-super" "backup super again"

fresh --fs-features=metaecc
run --fs-features=nometaecc && clean nometaecc && expect_q "%H" "sparse extended-slotmap inline-data xattr indexed-dirs refcount discontig-bg append-dio" "no metaecc"

fresh --fs-feature-level=max-compat
run --fs-features=sparse,unwritten,inline-data,xattr,refcount,discontig-bg,append-dio && clean enable-many &&
	expect_q "%H|%O" "sparse inline-data xattr refcount discontig-bg append-dio|unwritten" "enable flag-only features"

# -J size=: both journals grow (extents appended, JBD2 superblock for
# the new length), then with -N the new slot's journal has the new size too
fresh -J size=16M
run -J size=40M && clean "-J size=40M" && {
	for s in 0 1; do
		"$SBIN/debugfs.ocfs2" -R "stat //journal:000$s" "$IMG" 2>/dev/null | grep -q "Size: 41943040" &&
		"$SBIN/debugfs.ocfs2" -R "logdump $s" "$IMG" 2>/dev/null | grep -q "Total Blocks: 10240" ||
			{ echo "FAIL journal:000$s not 40M after -J size=40M"; fail=1; }
	done
}
run -J size=64M -N 3 && clean "-J size=64M -N 3" &&
	"$SBIN/debugfs.ocfs2" -R "stat //journal:0002" "$IMG" 2>/dev/null | grep -q "Size: 67108864" &&
	echo "ok -J size=40M, then -J size=64M -N 3: journals grown, stock fsck clean"

# refusals: exit 1 with a reason, volume unchanged
fresh
sum=$(md5sum <"$IMG")
for bad in "--fs-features=nosparse" "--fs-features=noinline-data" "--fs-features=metaecc" "-N 1" "--fs-features=usrquota" "-J size=4M" "-J block64" "-J size=junk"; do
	if "$TUNEFS" $bad "$IMG" >"$WORK/out" 2>&1; then
		echo "FAIL $bad was not refused"; fail=1
	elif [ "$(md5sum <"$IMG")" != "$sum" ]; then
		echo "FAIL $bad refused but changed the volume"; fail=1
	else
		echo "ok refused $bad: $(tail -1 "$WORK/out")"
	fi
done
exit $fail
