#!/bin/bash
# Generate fsck.ocfs2.checks(8) from fsck/problems.def, the same table
# fsck.ocfs2 asks its questions from.
set -eu
cd "$(dirname "$0")/.."
cat <<'HEAD'
.TH FSCK.OCFS2.CHECKS 8 "2026" "ocfs2 suite" "System Administration"
.SH NAME
fsck.ocfs2.checks \- the checks fsck.ocfs2 performs
.SH DESCRIPTION
Each problem fsck.ocfs2 finds is printed as [CODE] followed by what was
found and a question.  The codes are stock fsck.ocfs2's.  -n answers no,
-y yes, -p yes for the problems marked safe.
.SH CHECKS
HEAD
# join each two-line entry, then split its fields
sed -n '/^PROBLEM_ENUM/{N;s/\n[[:space:]]*/ /;p}' fsck/problems.def |
sed -E 's/^PROBLEM_ENUM\(([A-Z0-9_]+), ([01]), ([A-Z_|0]+), "([^"]*)", "([^"]*)"\)/\1|\2|\3|\4|\5/' |
while IFS='|' read -r code ans flags prompt what; do
	printf '.SS "%s"\n%s\n.br\nPrompt: %s (default %s%s).\n' "$code" "$what" "$prompt" \
		"$([ "$ans" = 1 ] && echo yes || echo no)" \
		"$([ "$flags" = PF_PREEN ] && echo ", repaired by -p" || true)"
done
echo '.SH SEE ALSO'
echo '.BR fsck.ocfs2 (8)'
