#!/usr/bin/env bash
# HTTP benchmark (issue 7): case detail GET through `quitt serve` with wrk on loopback, and nginx
# serving a static file of the same size in the same run as the ceiling. Prints both figures.
#
#   bench/http_bench.sh [path/to/quitt] [seconds] [connections]
#
# Needs wrk and nginx (tools/packages.txt). Starts both servers on free loopback ports in a
# temporary folder and stops them at the end (also on Ctrl-C).
set -euo pipefail
quitt=${1:-build/apps/quitt/quitt}
seconds=${2:-10}
connections=${3:-64}
# quitt --threads: 4 on 2 cores measured best (a pool thread preempted by wrk leaves others
# running; 2: 17.7k req/s, 3: 19.4k, 4: 20.7k, docs/api.md). nginx runs one worker per core.
threads=${QUITT_BENCH_THREADS:-4}
wrk_threads=${QUITT_BENCH_WRK_THREADS:-2}  # wrk shares the same cores: try 1 as well
work=$(mktemp -d /tmp/quitt_http_bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 did not open" >&2; exit 1; }

export QUITT_DB="$work/quitt.db"
"$quitt" client add ACME --name "Acme GmbH" >/dev/null
cat > "$work/claims.jsonl" <<'JSON'
{"client_reference":"INV-1","customer_reference":"C-1","name":"Erika Mustermann","street":"Hauptstr. 1","postcode":"10115","city":"Berlin","invoice_date":"2025-01-02","due_date":"2025-01-16","amount":"120.50"}
{"client_reference":"INV-2","customer_reference":"C-1","name":"Erika Mustermann","street":"Hauptstr. 1","postcode":"10115","city":"Berlin","invoice_date":"2025-01-05","due_date":"2025-01-19","amount":"80.00"}
JSON
"$quitt" import claims "$work/claims.jsonl" --client ACME >/dev/null
key=$("$quitt" key add ACME --label bench)
number=$("$quitt" cases list --client ACME --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["cases"][0]["case_number"])')

quitt_port=$(free_port)
"$quitt" serve --listen 127.0.0.1:"$quitt_port" --threads "$threads" --access-log off --no-webhooks \
  2>"$work/serve.log" &
quitt_pid=$!
pids+=($quitt_pid)
wait_port "$quitt_port"
url="http://127.0.0.1:$quitt_port/api/v1/cases/$number"
curl -sf -H "Authorization: Bearer $key" "$url" > "$work/detail.json"
size=$(stat -c %s "$work/detail.json")

# nginx: one worker per core, the same bytes as a static file.
nginx_port=$(free_port)
mkdir -p "$work/www" "$work/nginx"
cp "$work/detail.json" "$work/www/detail.json"
# nginx workers drop to an unprivileged user when started as root: let them read the file.
chmod 755 "$work" "$work/www"; chmod 644 "$work/www/detail.json"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; root $work/www; keepalive_requests 1000000; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
pids+=($nginx_pid)
wait_port "$nginx_port"

# CPU seconds (user+system, in clock ticks) of a process and its children/threads: for nginx the
# workers are child processes, for quitt the pool threads are counted in the process itself.
cpu_ticks() {  # cpu_ticks <pid...>
  local total=0 pid
  for pid in "$@"; do
    # fields 14 and 15 of /proc/<pid>/stat (after the command name in parentheses)
    total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}
tick=$(getconf CLK_TCK)

run() {  # run <label> <pids> <url> [header]
  local label=$1 watch=$2 url=$3 out before after
  before=$(cpu_ticks $watch)
  if [ $# -ge 4 ]; then
    out=$(wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" --latency -H "$4" "$url")
  else
    out=$(wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" --latency "$url")
  fi
  after=$(cpu_ticks $watch)
  local rate p50 p99 errors requests us
  rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" || true)
  us=$(awk -v t=$((after - before)) -v n="$requests" -v hz="$tick" 'BEGIN {printf "%.1f", n ? t * 1e6 / hz / n : 0}')
  printf '%-34s %10s req/s  p50 %8s  p99 %8s  %6s us CPU/req  load %s %s\n' "$label" "$rate" "$p50" \
    "$p99" "$us" "$(cut -d' ' -f1 /proc/loadavg)" "$errors"
}

echo "http_bench: wrk -t$wrk_threads -c$connections -d${seconds}s on loopback, $(nproc) cores, quitt --threads $threads, nginx $(nproc) workers"
echo "http_bench: case detail $number, response $size bytes (2 claims, 3 events)"
run "quitt GET /api/v1/cases/{number}" "$quitt_pid" "$url" "Authorization: Bearer $key"
nginx_workers=$(pgrep -P "$nginx_pid" | tr '\n' ' ')
run "nginx static file (same size)" "$nginx_pid $nginx_workers" "http://127.0.0.1:$nginx_port/detail.json"
echo "http_bench: target 20,000 req/s with p99 < 10 ms for quitt"
