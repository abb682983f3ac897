#!/usr/bin/env bash
# Runs the README's test command while two CPU-bound processes run beside it, as on a busy
# laptop or a shared CI runner. The tests must pass like this: they wait for readiness
# signals and derive their limits from configured timeouts, never from how fast this
# machine happens to be.
#
#   scripts/test-under-load.sh [runs]     # default 1 run; each run re-tests everything
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-1}
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
# Turbo would answer a repeated run from its cache; every run must really run the tests.
export TURBO_FORCE=true

burners=()
stop_burners() {
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_burners EXIT INT TERM
for _ in 1 2; do
  node -e 'for (;;) Math.sqrt(Math.random());' &
  burners+=("$!")
done
echo "== two CPU-bound processes running: ${burners[*]}"

for run in $(seq 1 "$runs"); do
  echo "== run $run of $runs: the README's test command"
  started=$(date +%s)
  npx --yes pnpm@10.34.9 install --frozen-lockfile && npx --yes pnpm@10.34.9 test
  echo "== run $run passed in $(($(date +%s) - started)) s"
done
