#!/usr/bin/env bash
# One command on a fresh Debian/Ubuntu machine with Node 20: installs what is missing, type
# checks, and runs the whole test suite against real ffmpeg, espeak-ng, redis-server and
# HTTP fakes of every provider. Arguments go to vitest (for example a file filter).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh

# Redis and S3 for the tests: containers where an engine can run, else local processes.
services=${TEST_SERVICES:-auto}
if [[ $services != processes ]]; then
  if reason=$(bash scripts/start-container-engine.sh 2>&1 >/dev/null | tail -n 1) && docker info >/dev/null 2>&1; then
    # Each image from a registry when one serves it, else made from this machine's files (cached).
    offline=()
    [[ -n ${TEST_REDIS_IMAGE:-} ]] || docker image inspect redis:7-alpine >/dev/null 2>&1 || timeout 60 docker pull -q redis:7-alpine >/dev/null 2>&1 || offline+=(TEST_REDIS_IMAGE)
    [[ -n ${TEST_S3_IMAGE:-} ]] || docker image inspect minio/minio:latest >/dev/null 2>&1 || timeout 60 docker pull -q minio/minio:latest >/dev/null 2>&1 || offline+=(TEST_S3_IMAGE)
    if ((${#offline[@]} > 0)); then
      echo "No registry serves the default image for ${offline[*]}: building test images from this machine's files"
      images=$(bash scripts/build-test-images.sh)
      for name in "${offline[@]}"; do eval "$(grep "^export $name=" <<<"$images")"; done
    fi
    export TESTCONTAINERS_RYUK_DISABLED=true
  elif [[ $services == containers ]]; then
    echo "TEST_SERVICES=containers but no container engine can start: $reason" >&2
    exit 1
  else
    echo "test services: no container engine can start ($reason); Redis and S3 run as local processes"
    export TEST_SERVICES=processes
  fi
fi

echo "Type checking"
npx tsc --noEmit -p .

echo "Lint and format"
npx biome lint .
npx biome format .

echo "Dependency rules (layers only import downward, no cycles)"
npx depcruise src --config .dependency-cruiser.cjs

echo "Unused files, exports and dependencies (knip)"
npx knip

mkdir -p .test-results
status=0
CLUSTER_SUBSET=(
  test/integration/jobs-store.test.ts
  test/integration/jobs-lifecycle.test.ts
  test/integration/router-shared-state.test.ts
  test/integration/governance-spend-batch.test.ts
  test/integration/cache-index.test.ts
  test/integration/redis-scripts.test.ts
)
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json "$@" || status=$?

# The Redis-backed stores and a job's whole path again, on a 3-master, 3-replica Redis Cluster
# (local processes): any multi-key command or script that spans hash slots fails with CROSSSLOT.
# The whole suite runs there with TEST_REDIS=cluster; this subset keeps the run short.
if (($# == 0)); then
  echo "Redis Cluster: stores, scripts and a job's path (TEST_REDIS=cluster)"
  TEST_REDIS=cluster TEST_SERVICES=processes npx vitest run "${CLUSTER_SUBSET[@]}" || status=$?
fi

# A plain closing line that any CI can read, from the JSON report.
if [[ -f .test-results/vitest.json ]]; then
  node -e '
    const report = require("./.test-results/vitest.json");
    // Each test file that used Redis or S3 noted the kind it ran on (test/helpers/services.ts).
    const fs = require("node:fs");
    const markers = fs.existsSync(".test-results/services") ? fs.readdirSync(".test-results/services").map((name) => JSON.parse(fs.readFileSync(`.test-results/services/${name}`, "utf8"))) : [];
    const kindOf = new Map(markers.map((marker) => [marker.file, marker.kind]));
    const counts = { containers: 0, processes: 0, neither: 0 };
    for (const file of report.testResults) counts[kindOf.get(file.name) ?? "neither"] += file.assertionResults.filter((test) => test.status === "passed" || test.status === "failed").length;
    console.log(`test services: ${counts.containers} tests ran on containers, ${counts.processes} on processes (${counts.neither} needed neither Redis nor S3)`);
    console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed` + (report.numPendingTests ? `, ${report.numPendingTests} skipped` : ""));
    // A file whose set-up failed (a service that would not start) shows its tests as skipped: name it.
    const broken = report.testResults.filter((file) => file.status === "failed" && file.assertionResults.every((test) => test.status !== "failed"));
    for (const file of broken) console.error(`test file failed before its tests ran: ${file.name}: ${(file.message ?? "").split("\n")[0]}`);
    if (broken.length > 0) process.exit(1);
    if (report.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
  ' || status=1
fi
exit $status
