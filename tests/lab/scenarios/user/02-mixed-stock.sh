#!/bin/sh
# Stock and our user stacks in one fs/dlm lockspace.  A stock node mounts
# a pcmk volume (its ocfs2 creates the lockspace named by the UUID and
# negotiates the locking protocol through "version_lock"); our nodes join
# the same lockspace through dlmfs (mkdir /dlm/<UUID>), read the stock
# node's protocol value, and lock in it.  Then the other way round: our
# node creates the lockspace first and writes the protocol value, and
# the stock mount must accept it.  Stock dlmfs itself cannot join a
# domain under dlm_controld (it passes an empty cluster name, which fs/dlm
# refuses with EBADR); that is recorded, not judged.
# Run: tests/lab/run --cluster user --stack stock,ours,ours --nodes 3
#      --disk 1G THIS   (or --stack stock,stock,ours)
set -e
R=$LAB_RESULTS
dev=/dev/vda
say() { echo "node$NODE ($LAB_STACK): $*"; }
fail() { echo "node$NODE: FAIL: $*"; exit 1; }

grep -q '^user pcmk' /run/lab-stack || fail "user stack not online"
echo "$LAB_STACK" > "$R/stack.$NODE"
lab-barrier stacks
stock=$(grep -l stock "$R"/stack.? | sed 's/.*\.//' | tr '\n' ' ')
ours=$(grep -l ours "$R"/stack.? | sed 's/.*\.//' | tr '\n' ' ')
first_stock=${stock%% *}
first_ours=${ours%% *}
[ -n "$first_stock" ] && [ -n "$first_ours" ] || fail "need stock and ours nodes"
say "stock nodes: $stock; ours: $ours"

if [ "$NODE" = "$first_stock" ]; then
	mkfs.ocfs2 -q -F -N 4 --cluster-stack=pcmk --cluster-name=lab $dev
fi
lab-barrier formatted
U=$(blkid -o value -s UUID $dev | tr -d '-' | tr 'a-f' 'A-F')
[ ${#U} = 32 ] || fail "UUID $U"
mkdir -p /mnt/ocfs2

# Round 1: stock mounts first; ours join its lockspace through dlmfs.
[ "$LAB_STACK" = stock ] && mount -t ocfs2 $dev /mnt/ocfs2
lab-barrier stock-mounted
if [ "$LAB_STACK" = ours ]; then
	mkdir /dlm/$U || fail "joining the stock node's lockspace $U"
	say "joined the stock mount's lockspace"
fi
lab-barrier ours-joined
if [ "$NODE" = "$first_stock" ]; then
	dlm_tool ls > "$R/ls.round1"
	cat "$R/ls.round1"
	n=$(awk -v u="$U" '$1 == "name" && $2 == u { f = 1 }
		f && $1 == "members" { print NF - 1; exit }' "$R/ls.round1")
	[ "$n" = 3 ] || fail "lockspace $U has $n members, want 3"
fi
# our nodes lock among themselves inside the stock node's lockspace
if [ "$LAB_STACK" = ours ]; then
	rc=0
	lab-dlmlock -w -n -t 3 /dlm/$U/agent > "$R/agent.$NODE" || rc=$?
	[ $rc = 0 ] || [ $rc = 3 ] || fail "trylock in $U: exit $rc"
fi
lab-barrier agent-tried
if [ "$NODE" = "$first_stock" ]; then
	n=$(cat "$R"/agent.? | grep -c granted || true)
	[ "$n" -ge 1 ] || fail "nobody got the agent lock"
	say "agent lock in the shared lockspace: $n grant(s) of $(ls "$R"/agent.? | wc -l) tries"
fi
lab-barrier round1
[ "$LAB_STACK" = ours ] && { rm -f /dlm/$U/*; rmdir /dlm/$U; }
lab-barrier ours-left
[ "$LAB_STACK" = stock ] && umount /mnt/ocfs2
lab-barrier round1-over

# Round 2: ours creates the lockspace first (writes the protocol value);
# every stock node then mounts and must accept it.
[ "$NODE" = "$first_ours" ] && mkdir /dlm/$U
lab-barrier ours-first
if [ "$LAB_STACK" = stock ]; then
	mount -t ocfs2 $dev /mnt/ocfs2 || fail "stock mount after our node set the protocol"
	echo "node$NODE was here" > /mnt/ocfs2/from-node$NODE
	say "mounted with our node's protocol value in place"
fi
lab-barrier stock-joined
if [ "$NODE" = "$first_ours" ]; then
	dlm_tool ls | awk -v u="$U" '$1 == "name" && $2 == u { f = 1 }
		f && $1 == "members" { print; exit }'
	rmdir /dlm/$U
fi
lab-barrier round2
if [ "$LAB_STACK" = stock ]; then
	umount /mnt/ocfs2
	# stock dlmfs under dlm_controld, for the record
	if mkdir /dlm/stockdom 2> "$R/stockdlmfs.$NODE"; then
		say "stock dlmfs joined a domain"
		rmdir /dlm/stockdom
	else
		say "stock dlmfs mkdir: $(cat "$R/stockdlmfs.$NODE")"
	fi
fi
lab-barrier done
[ "$NODE" = "$first_stock" ] && fsck.ocfs2 -fn $dev > /dev/null
exit 0
