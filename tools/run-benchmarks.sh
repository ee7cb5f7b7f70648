#!/usr/bin/env bash
# `make bench`: every benchmark of bench/, one after the other, with its printed figures.
set -euo pipefail
build=${1:-build}
for program in import_bench workflow_bench banking_bench letters_bench daily_run_bench payments_bench; do
  if [ -x "$build/bench/$program" ]; then
    echo "== $program"
    "$build/bench/$program" || echo "($program failed)"
  fi
done
if [ -x bench/http_bench.sh ]; then
  echo "== http_bench"
  bash bench/http_bench.sh "$build" || echo "(http_bench failed)"
fi
