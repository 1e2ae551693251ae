# pp-trace.awk: reads the tracefs text of the ping-pong's traced run
# (cluster-bench.sh's pptrace.<node>.<stack>.<round>, one file per node)
# and prints, summed over the files given:
#   C <what> <count>    events counted
#   L <what> <ms>       one latency sample
# Counted: DLM requests by direction (up: more than the level last
# granted on this node, down: less), lock type and level asked, blocking
# ASTs by lock type and level wanted, disk requests issued
# (read, write, flush), jbd2 commits, checkpoints and journal superblock
# writes.  Latencies: a DLM request to its grant (same lock id on one
# node), a blocking AST to this node's next request on that lock (the
# giving-up node's work before it converts down), a disk request to its
# completion.  run.sh divides the counts by the turns and takes medians.

# the lock type: the first byte of the hex resource name
function lock_type(hex, c) {
	c = substr(hex, 1, 2)
	if (c == "4d") return "M"
	if (c == "57") return "W"
	if (c == "4f") return "O"
	if (c == "4e") return "N"
	if (c == "53") return "S"
	return "other"
}

function arg(name, i) {
	for (i = ev + 1; i <= NF; i++)
		if (index($i, name "=") == 1)
			return substr($i, length(name) + 2)
	return ""
}

# the disk request's kind from its rwbs letters (blk_fill_rwbs)
function io_kind(rwbs) {
	if (rwbs ~ /R/) return "read"
	if (rwbs ~ /W/) return "write"
	if (rwbs ~ /^F/) return "flush"
	return "other"
}

FNR == 1 { file++ }

{
	ev = 0
	for (i = 1; i <= NF; i++)
		if ($i ~ /^[0-9]+\.[0-9]+:$/) {
			ev = i + 1
			break
		}
	if (!ev)
		next
	t = substr($(ev - 1), 1, length($(ev - 1)) - 1) * 1000
	name = $ev
	sub(/:$/, "", name)
}

# up (a request for more) or down, against the level last granted
function rank(mode) {
	return index("NL CR CW PR PW EX", mode)
}

name == "dlm_lock_start" {
	ty = lock_type(arg("res_name"))
	id = arg("lkb_id")
	dir = "unknown"	# not granted since the trace began
	if ((file, id) in granted)
		dir = rank(arg("mode")) < rank(granted[file, id]) ? "down" : "up"
	k = dir ":" ty ">" arg("mode")
	C["dlm " k]++
	asked[file, id] = t
	what[file, id] = k
	level[file, id] = arg("mode")
	if ((file, arg("res_name")) in basted) {
		L["bast-to-request " ty] = L["bast-to-request " ty] " " \
			(t - basted[file, arg("res_name")])
		delete basted[file, arg("res_name")]
	}
	next
}

name == "dlm_ast" {
	id = arg("lkb_id")
	if (arg("sb_status") == "0" && (file, id) in level)
		granted[file, id] = level[file, id]
	if ((file, id) in asked) {
		L["request-to-grant " what[file, id]] = \
			L["request-to-grant " what[file, id]] " " (t - asked[file, id])
		delete asked[file, id]
	}
	next
}

name == "dlm_bast" {
	C["bast " lock_type(arg("res_name")) "<" arg("mode")]++
	if (!((file, arg("res_name")) in basted))
		basted[file, arg("res_name")] = t
	next
}

name == "block_rq_issue" {
	k = io_kind($(ev + 2))
	C["disk " k]++
	if (k == "flush")
		fl[file, ++fl_in[file]] = t
	else
		io[file, $(ev + 1), $(ev + 5)] = t " " k
	next
}

name == "block_rq_complete" {
	k = io_kind($(ev + 2))
	if (k == "flush") {
		if (fl_out[file] < fl_in[file]) {
			n = ++fl_out[file]
			L["disk flush"] = L["disk flush"] " " (t - fl[file, n])
		}
		next
	}
	key = file SUBSEP $(ev + 1) SUBSEP $(ev + 4)
	if (key in io) {
		split(io[key], v, " ")
		L["disk " v[2]] = L["disk " v[2]] " " (t - v[1])
		delete io[key]
	}
	next
}

name == "jbd2_start_commit" { C["jbd2 commits"]++; next }
name == "jbd2_checkpoint" { C["jbd2 checkpoints"]++; next }
name == "jbd2_write_superblock" { C["jbd2 superblock-writes"]++; next }

END {
	for (k in C)
		print "C", k, C[k]
	for (k in L) {
		n = split(L[k], v, " ")
		for (i = 1; i <= n; i++)
			printf "L %s %.3f\n", k, v[i]
	}
}
