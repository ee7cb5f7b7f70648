#!/usr/bin/env bash
# `make run`: a SQLite database with demo data (created once), then quitt itself.
#   run-demo.sh <quitt binary> <database> <demo cases>
set -euo pipefail
quitt=$1
db=$2
cases=$3
mkdir -p "$(dirname "$db")"
export QUITT_DB="$db"
if [ "$(sqlite3 "$db" "SELECT count(*) FROM cases" 2>/dev/null || echo 0)" = 0 ]; then
  echo "== creating $db with $cases demo cases"
  "$quitt" migrate
  "$quitt" demo --cases "$cases" --client DEMO
fi
echo "== the first cases"
"$quitt" cases list --limit 5
first=$("$quitt" cases list --limit 1 --json | sed -n 's/.*"case_number": "\(Q-[0-9-]*\)".*/\1/p' | head -1)
if [ -n "$first" ]; then
  echo "== case $first"
  "$quitt" case show "$first"
fi
echo "== hash chains"
"$quitt" case verify --all
if "$quitt" --help 2>/dev/null | grep -qE '^ +serve'; then
  listen=${QUITT_LISTEN:-127.0.0.1:8080}
  echo "== starting quitt serve on http://$listen (Ctrl-C stops it); database $db"
  exec "$quitt" serve --listen "$listen"
fi
echo "== done. Try: QUITT_DB=$db $quitt --help"
