#!/usr/bin/env bash
# The two set-up commands of the README, for a fresh Debian 12 machine:
#   bash tools/setup.sh run    install packages, build, create var/quitt.db with demo data, start quitt
#   bash tools/setup.sh test   install packages, build, run every test
# Packages come from Debian only (tools/packages.txt); sudo is used when not root.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-}
case "$what" in
  run|test) ;;
  *) echo "usage: bash tools/setup.sh run|test" >&2; exit 2 ;;
esac
bash tools/install-deps.sh
exec make "$what"
