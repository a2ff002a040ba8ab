#!/usr/bin/env bash
# The whole test suite, on a fresh clone too: installs what it needs, builds, runs vitest.
# Unit and engine tests run as anyone; integration tests need root (real namespaces, TUNs,
# ping, tcpdump…) and skip with a message otherwise. Ends with `N passed, N failed, N skipped`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
mkdir -p test-results
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
code=$?
set -e
node scripts/summary.js test-results/vitest.json
exit $code
