#!/usr/bin/env bash
# CLI golden test: runs a fixed sequence of quitt commands against a fresh database with a fixed
# clock and compares the whole transcript (commands, output, exit codes) with
# tests/golden/cli/transcript.txt. QUITT_UPDATE_GOLDEN=1 rewrites the golden file instead.
set -u
quitt=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QUITT_DB="$work/golden.db"
export USER=tester
data="$source_dir/tests/data/intake"
golden="$source_dir/tests/golden/cli/transcript.txt"
now="--now 2026-11-23T09:30:00Z"

run() {  # run <args...>: appends "$ quitt <args>" then the output and the exit code
  echo "\$ quitt $*" | sed "s|$data|DATA|g; s|$work|WORK|g"
  "$quitt" $now "$@" 2>&1 | sed "s|$data|DATA|g; s|$work|WORK|g"
  echo "[exit ${PIPESTATUS[0]}]"
  echo
}

{
  run client add ACME --name "Acme Versand GmbH"
  run client add ACME --name "Again"
  run client list
  run import claims "$data/english_comma.csv" --client NOPE
  run import claims "$data/english_comma.csv" --client ACME
  run import claims "$data/windows1252_semicolon.csv" --client ACME
  run import claims "$data/windows1252_semicolon.csv" --client ACME
  run import claims "$data/bad_rows.csv" --client ACME
  run import claims "$data/bad_rows.csv" --client ACME --keep-good-rows --report "$work/report.json"
  run import claims "$data/claims.jsonl" --client ACME --keep-good-rows
  run cases list
  run cases list --type business --json
  run cases list --min-amount 1000 --limit 1
  run case show Q-00000001-3
  run case show Q-00000001-3 --json
  run case note Q-00000001-3 "Customer asked for a call back after 5 pm"
  run case history Q-00000001-3
  run case show Q-00000001-4
  run case verify Q-00000001-3
  run case verify --all
  run demo --cases 2 --csv "$work/demo.csv"
  run import claims "$work/demo.csv" --client ACME
} > "$work/transcript.txt"

if [ "${QUITT_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$work/transcript.txt" "$golden"
  echo "updated $golden"
  exit 0
fi
if ! diff -u "$golden" "$work/transcript.txt"; then
  echo "CLI transcript differs from $golden (QUITT_UPDATE_GOLDEN=1 to accept)" >&2
  exit 1
fi
echo "CLI transcript matches"
