# Helpers shared by the fs scenarios (sourced by dash).

# manifest DIR: one line per path under DIR (sorted): name, raw mode, owner,
# size, links, mtime, and the content hash (files), target hash (symlinks)
# or device numbers.  MANIFEST files themselves are left out.
manifest() {
	(
	cd "$1" || exit 1
	find . ! -name MANIFEST ! -name 'MANIFEST.*' | sort | while read -r p; do
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

fail() {
	echo "FAIL: $*"
	exit 1
}
