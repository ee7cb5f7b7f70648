#!/usr/bin/env bash
# Builds the libFuzzer target of the API's request parsing with clang (its own build directory,
# every library compiled with -fsanitize=fuzzer-no-link,address,undefined) and runs it for a
# bounded time from the seed corpus tests/fuzz/json_request/. Fails (exit 1) on any crash, leak,
# sanitizer report, timeout or out-of-memory; the input that did it is kept in
# <build dir>/artifacts/ and printed.
#
#   tools/fuzz.sh [--time SECONDS] [--seed N] [--build-dir DIR] [--jobs N]
#
# Defaults: 60 s, a random seed (printed; --seed N repeats a run on the same corpus), build-fuzz/
# at the repository root, 2 build jobs. CTest runs it for 15 s
# (label "fuzz") when clang++ is installed. Needs the Debian packages clang and libclang-rt-14-dev.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=60
build="$root/build-fuzz"
jobs=2
seed=0
while [ $# -gt 0 ]; do
  case "$1" in
    --time) seconds=$2; shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "usage: tools/fuzz.sh [--time SECONDS] [--seed N] [--build-dir DIR] [--jobs N]" >&2; exit 2 ;;
  esac
done
cxx=$(command -v clang++ || true)
cc=$(command -v clang || true)
if [ -z "$cxx" ] || [ -z "$cc" ]; then
  echo "fuzz: clang++ is not installed (Debian packages clang, libclang-rt-14-dev)" >&2
  exit 1
fi

flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
if [ ! -f "$build/CMakeCache.txt" ]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S "$root" -B "$build" "${generator[@]}" \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="$flags" -DQUITT_FUZZ=ON -DQUITT_BUILD_BENCHMARKS=OFF >/dev/null
fi
cmake --build "$build" --target json_request_fuzz -j "$jobs"
fuzzer=$(find "$build" -type f -name json_request_fuzz -perm -u+x | head -1)
[ -n "$fuzzer" ] || { echo "fuzz: json_request_fuzz was not built" >&2; exit 1; }

corpus="$build/corpus/json_request"
artifacts="$build/artifacts/"
mkdir -p "$corpus" "$artifacts"
cp -n "$root"/tests/fuzz/json_request/* "$corpus"/ 2>/dev/null || true
[ "$seed" != 0 ] || seed=$(( (RANDOM << 15 | RANDOM) + 1 ))
echo "fuzz: running json_request_fuzz for ${seconds}s, seed $seed (corpus $corpus)"
set +e
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  "$fuzzer" -seed="$seed" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" >"$build/fuzz.log" 2>&1
code=$?
set -e
grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|Done)" "$build/fuzz.log" || true
if [ $code -ne 0 ]; then
  echo "fuzz: FAILED (exit $code); the end of the log:" >&2
  tail -60 "$build/fuzz.log" >&2
  ls -1 "$artifacts" >&2
  exit 1
fi
echo "fuzz: no crash, leak or sanitizer report in ${seconds}s"
