#!/usr/bin/env bash
# The whole test suite, on a fresh clone too: installs what it needs, builds (once; again only
# when a source changed), runs vitest. Unit and engine tests run as anyone; integration and
# browser tests need root (real namespaces, TUNs, ping, tcpdump, Chromium…) and skip
# otherwise, each file saying why. Ends with the skipped files and their reasons, then
# `N passed, N failed, N skipped`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
mkdir -p test-results
export VPCLAB_SKIP_LOG="$PWD/test-results/skips.jsonl"
rm -f "$VPCLAB_SKIP_LOG"
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
code=$?
set -e
node scripts/summary.js test-results/vitest.json "$VPCLAB_SKIP_LOG"
exit $code
