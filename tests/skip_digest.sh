#!/usr/bin/env sh
# After a ctest run: what was not judged, and why. A kernel script the
# runner could not judge (the machine stalled it: pktrun --kernel's
# UNSUPPORTED), or a test that skipped itself (the harness's SKIP:), counts
# as skipped in ctest's summary, which does not print why; this prints the
# reasons from ctest's log, so that a CI log says how often and where.
#   usage: skip_digest.sh <build dir>
build=${1:?build dir}
log="$build/Testing/Temporary/LastTest.log"
[ -f "$log" ] || exit 0
grep -E '^(UNSUPPORTED |.*: SKIP: )' "$log" > "$build/skip_digest.txt" || { rm -f "$build/skip_digest.txt"; exit 0; }
echo "== not judged ($(wc -l < "$build/skip_digest.txt") tests: unsupported scripts and skipped tests, with why)"
cut -c1-400 "$build/skip_digest.txt"
