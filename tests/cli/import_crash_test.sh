#!/usr/bin/env bash
# Crash test for the claim import: SIGKILL in the middle of an import must leave a consistent
# database (every hash chain intact, read models matching the events), and running the same import
# again must complete it to exactly the state of a clean import.
#   import_crash_test.sh <quitt> [claims]
set -u
quitt=$1
cases=${2:-80000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now="--now 2026-11-23T09:30:00Z"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$quitt" $now demo --cases "$cases" --csv "$work/claims.csv" >/dev/null || fail "demo csv"
total=$(( $(wc -l < "$work/claims.csv") - 1 ))

count() {  # count <db> <table>
  sqlite3 "$1" "SELECT count(*) FROM $2" 2>/dev/null
}

consistent() {  # consistent <db>: chains intact, claims and claim events agree
  local db=$1
  "$quitt" --db "$db" $now case verify --all > "$work/verify.txt" || { cat "$work/verify.txt"; fail "verify after crash"; }
  local claims events
  claims=$(count "$db" claims)
  events=$(sqlite3 "$db" "SELECT count(*) FROM case_events WHERE type = 'claim_added'")
  [ "$claims" = "$events" ] || fail "claims table ($claims) and claim events ($events) disagree"
  local summed
  summed=$(sqlite3 "$db" "SELECT coalesce(sum(claim_count),0) FROM cases")
  [ "$summed" = "$claims" ] || fail "case read model counts $summed claims, there are $claims"
}

killed_import() {  # killed_import <db> keep|strict [flags]: starts an import, kills it mid-way
  local db=$1 mode=$2; shift 2
  "$quitt" --db "$db" $now client add ACME --name "Acme" >/dev/null
  "$quitt" --db "$db" $now import claims "$work/claims.csv" --client ACME --quiet "$@" >/dev/null 2>&1 &
  local pid=$!
  # Wait until the import has committed a few batches (or, in all-or-nothing mode, has written a
  # good part of its single transaction), then kill it without warning.
  for _ in $(seq 1 600); do
    if [ "$mode" = keep ]; then
      [ "$(sqlite3 "$db" "SELECT count(*) FROM claims" 2>/dev/null || echo 0)" -ge 40000 ] && break
    else
      [ -s "$db-wal" ] && [ "$(stat -c %s "$db-wal")" -gt 4000000 ] && break
    fi
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

# 1. Keep-good-rows: batches of 20,000 commit one by one; a kill leaves whole batches.
killed_import "$work/keep.db" keep --keep-good-rows
after_kill=$(count "$work/keep.db" claims)
echo "keep-good-rows: $after_kill of $total claims were committed when the import was killed"
[ "$after_kill" -lt "$total" ] || echo "note: the import finished before the kill; increase the size"
[ $(( after_kill % 20000 )) -eq 0 ] || [ "$after_kill" -eq "$total" ] || fail "a partial batch ($after_kill) survived the crash"
consistent "$work/keep.db"
"$quitt" --db "$work/keep.db" $now import claims "$work/claims.csv" --client ACME --keep-good-rows --quiet > "$work/rerun.txt" || fail "re-run"
[ "$(count "$work/keep.db" claims)" = "$total" ] || fail "re-run did not complete the import"
tr -d , < "$work/rerun.txt" | grep -q "$after_kill already there" || { cat "$work/rerun.txt"; fail "re-run did not skip the committed claims"; }
consistent "$work/keep.db"

# 2. Default (all or nothing): a kill leaves nothing of the file.
killed_import "$work/strict.db" strict
left=$(count "$work/strict.db" claims)
[ "$left" = 0 ] || [ "$left" = "$total" ] || fail "all-or-nothing import left $left of $total claims"
consistent "$work/strict.db"
"$quitt" --db "$work/strict.db" $now import claims "$work/claims.csv" --client ACME --quiet >/dev/null || fail "strict re-run"
consistent "$work/strict.db"

# 3. Both end exactly like a clean import: same cases, same claims, same amounts.
"$quitt" --db "$work/clean.db" $now client add ACME --name "Acme" >/dev/null
"$quitt" --db "$work/clean.db" $now import claims "$work/claims.csv" --client ACME --quiet >/dev/null || fail "clean import"
snapshot() {
  sqlite3 "$1" "SELECT customer_name, claim_count, principal_minor, currency FROM cases ORDER BY customer_name, principal_minor" | sha256sum
}
[ "$(snapshot "$work/keep.db")" = "$(snapshot "$work/clean.db")" ] || fail "crashed+rerun (keep) differs from a clean import"
[ "$(snapshot "$work/strict.db")" = "$(snapshot "$work/clean.db")" ] || fail "crashed+rerun (strict) differs from a clean import"
echo "PASS: kill -9 during import leaves a consistent database and a re-run completes it"
