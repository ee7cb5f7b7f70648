#!/usr/bin/env bash
# The layer arrows of ARCHITECTURE.md, checked on the source text: domain and workflow stay pure
# (no I/O, no database, no HTTP, no clock), domain never reaches up into workflow/app/adapters,
# and app never includes an adapter. Prints every violation with file and line; exits 1 if any.
set -u
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
status=0

check() {  # check <folder> <extended-regex> <reason>
  local hits
  hits=$(grep -rnE --include='*.h' --include='*.cc' --exclude='*_test.cc' "$2" "$1" 2>/dev/null)
  if [ -n "$hits" ]; then
    printf '%s\n' "$hits" | sed "s|\$| <- $3|"
    status=1
  fi
}

pure_io='#include *<(fstream|iostream|filesystem|thread|future|sqlite3\.h|libpq-fe\.h|curl/|boost/|spdlog/|sys/|unistd\.h|fcntl\.h|ctime|time\.h|random)'
clock_calls='(system_clock|steady_clock|high_resolution_clock|utc_clock)::now|[^_a-zA-Z]time\(nullptr\)|std::getenv|[^n]printf\(|std::cout|std::cerr|fopen\('
for layer in src/domain src/workflow; do
  check "$layer" "$pure_io" "I/O, database, HTTP or clock header in a pure layer"
  check "$layer" "$clock_calls" "clock, environment or console access in a pure layer"
done
check src/domain '#include *"(workflow|app|adapters)/' "domain may only use common"
check src/workflow '#include *"(app|adapters)/' "workflow may only use domain and common"
check src/app '#include *"adapters/' "app must not know adapters (use a port)"
check src/common '#include *"(domain|workflow|app|adapters)/' "common is the bottom layer"

if [ $status -eq 0 ]; then echo "layer arrows hold"; fi
exit $status
