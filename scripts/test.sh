#!/usr/bin/env bash
# One command on a fresh Debian/Ubuntu machine with Node 20: installs what is missing, type
# checks, and runs the whole test suite against real ffmpeg, espeak-ng, redis-server and
# HTTP fakes of every provider. Arguments go to vitest (for example a file filter).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh

echo "Type checking"
npx tsc --noEmit -p .

mkdir -p .test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json "$@" || status=$?

# A plain closing line that any CI can read, from the JSON report.
if [[ -f .test-results/vitest.json ]]; then
  node -e '
    const report = require("./.test-results/vitest.json");
    console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed` + (report.numPendingTests ? `, ${report.numPendingTests} skipped` : ""));
    if (report.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
  ' || status=1
fi
exit $status
