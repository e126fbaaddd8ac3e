#!/bin/sh
# Runs tests/viz/check_viz.py; exit 77 (skipped) when python3 is missing.
# usage: check_viz.sh GLASSTCP OUTDIR svg|pcap
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }
exec python3 "$(dirname "$0")/check_viz.py" "$@"
