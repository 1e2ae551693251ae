#!/bin/sh
# One boot, two proofs: local mounts as before (fs/03, fs/04, fs/10 via
# cluster/90), then the cluster coherence checks (cluster/01) with the
# stack per node as given (stock,ours: a stock node and ours share one
# pcmk volume and its fs/dlm lockspace).
# Run: tests/lab/run --cluster user --stack stock,ours --nodes 2 --disk 1G
#      --add tests/lab/scenarios/fs/lib.sh
#      --add tests/lab/scenarios/fs/03-rw-setattr.sh
#      --add tests/lab/scenarios/fs/04-rw-create.sh
#      --add tests/lab/scenarios/fs/10-rw-data.sh
#      --add tests/lab/scenarios/cluster/90-local-regression.sh
#      --add tests/lab/scenarios/cluster/01-user-coherence.sh --timeout 420 THIS
set -e
sh /usr/local/bin/90-local-regression.sh || exit 1
echo "node$NODE: == cluster coherence"
sh /usr/local/bin/01-user-coherence.sh || exit 1
exit 0
