#!/bin/sh
# POSIX ACLs both ways with stock (getfacl/setfacl from the host's acl
# package, setpriv from util-linux to act as users 1001-1003).
#  node0 (stock): mkfs -M local; access and default ACLs on a directory,
#    files allowed and denied to named users, a 15-entry ACL (its value
#    goes out of line), a file and a directory made under the default ACL;
#    every ACL dumped;
#  node1 (ours): the same dump; stock's ACLs enforced for users 1001-1003
#    (allowed and denied as the ACL says, not as the mode bits alone);
#    inheritance of stock's default ACL by ours' creates, equal to what
#    stock made; ours sets access, default and 15-entry ACLs, chmod moves
#    the mask, an ACL equal to the mode is stored as the mode alone,
#    setfacl -b removes it; bad input refused; noacl mount ignores ACLs;
#    remount, dump left for stock;
#  node0 (stock): the same dump of ours' ACLs, users allowed and denied the
#    same way, stock fsck -fn clean.
#   tests/lab/run --nodes 2 --stack stock,ours --disk 512M \
#       --add tests/lab/scenarios/fs/lib.sh --add /usr/bin/setfacl \
#       --add /usr/bin/getfacl --add /usr/bin/setpriv --add /usr/bin/setfattr \
#       --add /usr/bin/getfattr tests/lab/scenarios/fs/19-posix-acl.sh
set -e
. /usr/local/bin/lib.sh
dev=/dev/vda
mnt=/mnt/ocfs2
mkdir -p $mnt
umask 022
# the tools come from the host (--add): without them every node skips at
# once, before any barrier, rather than one failing and the other waiting
for t in setfacl getfacl setpriv setfattr getfattr; do
	command -v $t > /dev/null || { echo "$t not added: skipped"; exit 77; }
done

# as UID GID CMD...: run CMD as that user (no supplementary groups)
as() {
	u=$1
	g=$2
	shift 2
	setpriv --reuid "$u" --regid "$g" --clear-groups "$@"
}

# may UID GID WHAT CMD...: CMD must succeed as that user
may() {
	u=$1
	g=$2
	w=$3
	shift 3
	as "$u" "$g" "$@" > /dev/null 2>&1 || fail "user $u:$g denied: $w"
}

# mayn't UID GID WHAT CMD...: CMD must fail with "Permission denied"
maynt() {
	u=$1
	g=$2
	w=$3
	shift 3
	if as "$u" "$g" "$@" > /dev/null 2> /tmp/err; then
		fail "user $u:$g allowed: $w"
	fi
	grep -q "Permission denied" /tmp/err || {
		cat /tmp/err
		fail "user $u:$g: $w failed, but not with EACCES"
	}
}

# dump DIR: every path's ACLs (numeric), in name order
dump() {
	(
	cd "$1"
	find . | sort | while read -r p; do
		getfacl -n "$p" 2>&1
	done
	)
}

# the same: ACL tests on stock's files (run by node1, then node0 again)
check_stock_files() {
	may 1001 1001 "read f (user:1001:r--)" cat f
	maynt 1002 1002 "read f (mode 600)" cat f
	maynt 1001 1001 "read g (user:1001:---)" cat g
	may 1002 1002 "read g (other r)" cat g
	may 1001 1001 "list d (user:1001:r-x)" ls d
	maynt 1002 1002 "list d (mode 750)" ls d
	may 1003 2000 "write in d (group:2000:rwx)" touch d/by2000
	rm -f d/by2000
	may 1010 1010 "read big (user:1010:r--)" cat big
	maynt 1011 1011 "read big (user:1011:---)" cat big
}

check_ours_files() {
	may 1001 1001 "write o_f (user:1001:rw-)" sh -c 'echo x >> o_f'
	may 1002 1002 "read o_f (user:1002:r--)" cat o_f
	maynt 1002 1002 "write o_f (user:1002:r--)" sh -c 'echo x >> o_f'
	maynt 1001 1001 "read o_m (chmod 600 masked user:1001:rw-)" cat o_m
	may 1003 3000 "write in o_d (group:3000:rwx)" touch o_d/by3000
	rm -f o_d/by3000
	maynt 1002 1002 "list o_d (user:1002:---)" ls o_d
	may 1001 1001 "read o_d/file (inherited user:1001:r--)" cat o_d/file
	maynt 1002 1002 "read o_d/file (inherited user:1002:---)" cat o_d/file
}

if [ "$NODE" = 0 ]; then
	echo y | stock-mkfs.ocfs2 -q -F -b 4096 -C 4096 -M local -L acls $dev
	mount -t ocfs2 $dev $mnt
	grep " $mnt " /proc/mounts
	cd $mnt
	echo secret > f
	chmod 600 f
	setfacl -m u:1001:r f
	echo open > g
	setfacl -m u:1001:- g
	mkdir d
	chmod 750 d
	setfacl -m u:1001:rx,g:2000:rwx d
	setfacl -d -m u:1001:r,u:1002:-,g:2000:rw,o::- d
	touch d/in_stock
	mkdir d/sub_stock
	echo big > big
	setfacl -m u:1010:r,u:1011:-,u:1012:rw,u:1013:rwx,u:1014:r,u:1015:w big
	setfacl -m g:1020:r,g:1021:-,g:1022:rw,g:1023:x,g:1024:r big
	dump . > "$LAB_RESULTS/stock1.acl"
	cat "$LAB_RESULTS/stock1.acl"
	check_stock_files
	cd /
	umount $mnt
	echo "stock: ACLs set and enforced"
fi
lab-barrier stock-set

if [ "$NODE" = 1 ]; then
	mount -t ocfs2 $dev $mnt
	grep " $mnt " /proc/mounts | grep -q ",acl" ||
		fail "acl is not the default on an xattr volume: $(grep " $mnt " /proc/mounts)"
	cd $mnt
	dump . > /tmp/ours1.acl
	diff "$LAB_RESULTS/stock1.acl" /tmp/ours1.acl ||
		fail "stock's ACLs read differently"
	check_stock_files
	echo "ours: stock's ACLs read identically and enforced"

	# inheritance: ours creates in stock's directory what stock created
	touch d/in_ours
	mkdir d/sub_ours
	[ "$(getfacl -n d/in_stock | sed 1d)" = "$(getfacl -n d/in_ours | sed 1d)" ] ||
		fail "file under the default ACL: $(getfacl -n d/in_ours)"
	[ "$(getfacl -n d/sub_stock | sed 1d)" = "$(getfacl -n d/sub_ours | sed 1d)" ] ||
		fail "directory under the default ACL: $(getfacl -n d/sub_ours)"
	[ "$(stat -c %a d/in_ours)" = "$(stat -c %a d/in_stock)" ] ||
		fail "mode of the inherited file: $(stat -c %a d/in_ours)"
	echo "ours: default ACL inherited as stock does"

	# ours sets
	echo data > o_f
	setfacl -m u:1001:rw,u:1002:r,g:3000:rwx o_f
	echo masked > o_m
	setfacl -m u:1001:rw o_m
	chmod 600 o_m
	getfacl -n o_m | grep -q "^mask::---" ||
		fail "chmod 600 did not move the mask: $(getfacl -n o_m)"
	mkdir o_d
	setfacl -m u:1002:-,g:3000:rwx o_d
	setfacl -d -m u:1001:r,u:1002:-,g:3000:rwx o_d
	echo inherited > o_d/file
	mkdir o_d/sub
	getfacl -n o_d/sub | grep -q "^default:user:1001:r--" ||
		fail "subdirectory did not inherit the default ACL"
	echo big > o_big
	setfacl -m u:1010:r,u:1011:-,u:1012:rw,u:1013:rwx,u:1014:r,u:1015:w o_big
	setfacl -m g:1020:r,g:1021:-,g:1022:rw,g:1023:x,g:1024:r o_big
	# a default ACL whose value goes out of line (over 10 entries)
	mkdir o_bigd
	setfacl -d -m u:1010:r,u:1011:-,u:1012:rw,u:1013:rwx,u:1014:r,u:1015:w o_bigd
	setfacl -d -m g:1020:r,g:1021:-,g:1022:rw,g:1023:x,g:1024:r o_bigd
	echo inherited > o_bigd/f
	mkdir o_bigd/sd
	getfacl -n o_bigd/f | grep -q "^user:1010:r--" ||
		fail "file did not inherit the 16-entry default ACL: $(getfacl -n o_bigd/f)"
	getfacl -n o_bigd/sd | grep -q "^default:group:1024:r--" ||
		fail "directory did not inherit the 16-entry default ACL"
	may 1010 1010 "read o_bigd/f (inherited user:1010:r--)" cat o_bigd/f
	maynt 1011 1011 "read o_bigd/f (inherited user:1011:---)" cat o_bigd/f
	check_ours_files
	# an ACL the mode says all of is kept as the mode
	echo plain > o_plain
	setfacl --set u::rw,g::r,o::- o_plain
	[ "$(stat -c %a o_plain)" = 640 ] || fail "o_plain mode $(stat -c %a o_plain)"
	if getfattr -n system.posix_acl_access o_plain > /dev/null 2>&1; then
		fail "a minimal ACL was stored as an xattr"
	fi
	echo rm > o_rm
	setfacl -m u:1001:rwx o_rm
	setfacl -b o_rm
	if getfattr -n system.posix_acl_access o_rm > /dev/null 2>&1; then
		fail "setfacl -b left the ACL"
	fi
	# bad input
	if setfacl -d -m u:1001:r o_f 2> /tmp/err; then
		fail "a default ACL on a file was accepted"
	fi
	cat /tmp/err
	if setfattr -n system.posix_acl_access -v 0x0200000001000600 o_f 2> /tmp/err; then
		fail "a malformed ACL xattr was accepted"
	fi
	cat /tmp/err
	getfacl -n o_f | grep -q "^user:1001:rw-" || fail "o_f's ACL changed"
	if setfattr -n system.posix_acl_bogus -v 1 o_f 2> /tmp/err; then
		fail "system.posix_acl_bogus was accepted"
	fi
	cat /tmp/err
	echo "ours: ACLs set, masked, minimal ACLs as modes, bad input refused"

	# noacl: the mode bits alone decide, setfacl refused
	cd /
	umount $mnt
	mount -t ocfs2 -o noacl $dev $mnt
	grep " $mnt " /proc/mounts | grep -q ",noacl" ||
		fail "noacl not shown: $(grep " $mnt " /proc/mounts)"
	cd $mnt
	maynt 1001 1001 "read f under noacl (mode 600)" cat f
	if setfacl -m u:1001:r g 2> /tmp/err; then
		fail "setfacl accepted under noacl"
	fi
	cat /tmp/err
	cd /
	umount $mnt

	mount -t ocfs2 $dev $mnt
	cd $mnt
	check_stock_files
	check_ours_files
	dump . > "$LAB_RESULTS/ours2.acl"
	cd /
	umount $mnt
	echo "ours: remounted, every ACL still enforced"
fi
lab-barrier ours-set

if [ "$NODE" = 0 ]; then
	mount -t ocfs2 $dev $mnt
	cd $mnt
	dump . > /tmp/stock2.acl
	diff "$LAB_RESULTS/ours2.acl" /tmp/stock2.acl ||
		fail "stock reads ours' ACLs differently"
	check_stock_files
	check_ours_files
	cd /
	umount $mnt
	fsck_clean "after ours' ACLs"
	echo "stock: ours' ACLs read identically and enforced; fsck clean"
fi
lab-barrier done
