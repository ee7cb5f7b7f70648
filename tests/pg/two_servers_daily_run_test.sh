#!/usr/bin/env bash
# Two `quitt serve` processes on one PostgreSQL database run the daily run together: both get
# POST /api/v1/runs for the same date at the same moment, share its partitions, and the events and
# outbox that result equal those of one clean `quitt run` over a copy of the same data - nothing
# twice, nothing missing.
#
#   tests/pg/two_servers_daily_run_test.sh QUITT_BINARY [CASES]
#
# Exit 0: passed, 1: failed, 77: skipped (no PostgreSQL installed; CTest SKIP_RETURN_CODE).
set -euo pipefail
quitt=$(realpath "$1")
cases=${2:-3000}
here=$(cd "$(dirname "$0")" && pwd)
now=2026-11-23T05:00:00Z
as_of=2026-11-23
partitions=8

if ! bindir=$(bash "$here/pg_cluster.sh" bindir 2>/dev/null); then
  echo "SKIP: no PostgreSQL server installed (Debian package postgresql-15)"
  exit 77
fi
psql=$bindir/psql
[ -x "$psql" ] || psql=$(command -v psql)

work=$(mktemp -d /tmp/quitt-two-servers.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${dir:-}" ] && bash "$here/pg_cluster.sh" stop "$dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for log in "$work"/serve-*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -20 "$log" >&2; }; done
  exit 1
}

eval "$(bash "$here/pg_cluster.sh" start --fast --owner-pid $$)"
base=${url%/*}
"$psql" -q -X "$url" -c "CREATE DATABASE shared" -c "CREATE DATABASE clean" >/dev/null
shared=$base/shared
clean=$base/clean
export QUITT_STRATEGIES=${QUITT_STRATEGIES:-$here/../../strategies}

# The same data in both databases (same seed, same clock).
for db in "$shared" "$clean"; do
  "$quitt" --db "$db" --now "$now" demo --cases "$cases" --seed 11 >/dev/null
done

# The reference: one clean run by one process.
"$quitt" --db "$clean" --now "$now" run --as-of "$as_of" --partitions "$partitions" \
  --worker reference >"$work/clean-run.txt"

# An admin for the API, then two servers on the shared database.
QUITT_PASSWORD="correct horse battery" "$quitt" --db "$shared" user add root --role admin >/dev/null
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# Each server on a free loopback port; a port taken by someone else between the probe and the
# bind only costs another try.
start_server() {
  local n=$1 attempt port pid
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    "$quitt" --db "$shared" --now "$now" serve --listen "127.0.0.1:$port" --threads 2 \
      --access-log off --no-webhooks --run-partitions "$partitions" >"$work/serve-$n.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do
      curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
      pids+=("$pid")
      ports+=("$port")
      return 0
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  fail "server $n did not start: $(tail -3 "$work/serve-$n.log")"
}
ports=()
start_server 1
start_server 2

# A session per server (the session lives in the shared database, either server would do).
login() {
  curl -fsS -c "$work/cookies-$1" -H 'Content-Type: application/json' \
    -d '{"username":"root","password":"correct horse battery"}' \
    "http://127.0.0.1:$1/api/v1/session" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])'
}
run_on() {
  local port=$1 csrf=$2
  curl -sS -o "$work/run-$port.json" -w '%{http_code}' -b "$work/cookies-$port" \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
    -d "{\"as_of\":\"$as_of\"}" "http://127.0.0.1:$port/api/v1/runs" >"$work/status-$port"
}
csrf1=$(login "${ports[0]}")
csrf2=$(login "${ports[1]}")
run_on "${ports[0]}" "$csrf1" &
first=$!
run_on "${ports[1]}" "$csrf2" &
second=$!
wait "$first" "$second"
for port in "${ports[@]}"; do
  [ "$(cat "$work/status-$port")" = 200 ] || fail "POST /api/v1/runs on $port: $(cat "$work/run-$port.json")"
done

# Where the run stands, from the database itself (each answer is a snapshot taken when that
# server ran out of partitions to claim; the other may still have been working then).
state=$("$psql" -X -At -F ' ' "$shared" -c "SELECT count(*), count(*) FILTER (WHERE status = 'done'),
    count(DISTINCT worker) FROM run_partitions WHERE as_of = '$as_of'")
python3 - "$work/run-${ports[0]}.json" "$work/run-${ports[1]}.json" $state <<'PY' || fail "run summaries"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
total, done, workers = (int(x) for x in sys.argv[3:6])
for name, s in (("server 1", a), ("server 2", b)):
    print(f"{name}: {s['partitions_claimed']} partitions, {s['cases_seen']} cases decided, "
          f"{s['events']} events, {s['outbox']} actions queued")
print(f"whole run: {done} of {total} partitions done, by {workers} workers")
assert total > 0 and done == total, "the run is not complete after both answered"
assert a["partitions_claimed"] + b["partitions_claimed"] == total, \
    f"partitions claimed {a['partitions_claimed']} + {b['partitions_claimed']} != {total}"
# On a busy machine one server may claim every partition before the other's request arrives:
# that is allowed (nothing is done twice either way), so it is reported, not asserted.
if a["partitions_claimed"] == 0 or b["partitions_claimed"] == 0:
    print("note: one server claimed every partition this time")
PY

# The result must equal the clean run's: every event (with its hash, so also the order and the
# chain) and every outbox row.
dump() {
  "$psql" -X -At "$1" -c "SELECT client_id, case_id, seq, type, effective_date, recorded_at,
      actor, payload, encode(hash, 'hex') FROM case_events ORDER BY 1, 2, 3" >"$2.events"
  "$psql" -X -At "$1" -c "SELECT client_id, message_key, case_id, case_number, channel, template,
      due_date, run_date, event_seq, status FROM outbox ORDER BY 1, 2" >"$2.outbox"
}
dump "$shared" "$work/shared"
dump "$clean" "$work/clean"
outbox_rows=$(wc -l <"$work/clean.outbox")
[ "$outbox_rows" -gt 0 ] || fail "the clean run queued nothing: the test would prove nothing"
diff -q "$work/clean.events" "$work/shared.events" >/dev/null ||
  fail "events differ from the clean run: $(diff "$work/clean.events" "$work/shared.events" | head -5)"
diff -q "$work/clean.outbox" "$work/shared.outbox" >/dev/null ||
  fail "outbox differs from the clean run: $(diff "$work/clean.outbox" "$work/shared.outbox" | head -5)"
echo "PASS: two servers, $(wc -l <"$work/shared.events") events and $outbox_rows outbox rows, equal to one clean run"
