#!/usr/bin/env bash
# Instructions per segment of bench_ackpath's cases (an ACK that
# acknowledges nothing new), counted by valgrind's callgrind: one run per
# profile and case, collecting only inside that case's feed_*() call, so
# the Ir are the stack's for those segments alone. Prints, per case, Ir a
# segment for the whole input path (feed_X inclusive) and for ack_input()
# inclusive. Compare builds with each other; this VM has no hardware
# counters. Build first (Release, as `make bench` does):
#   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DGT_BENCH=ON
#   cmake --build build-bench --target bench_ackpath
#   bench/ackpath_callgrind.sh
# GT_BENCH_SCALE (default 0.1: 2,000 data segments, 11 loss cycles) and
# GT_ACKPATH_BIN (default build-bench/bench/bench_ackpath) are read.
set -euo pipefail
bin=${GT_ACKPATH_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build-bench/bench/bench_ackpath}
export GT_BENCH_SCALE=${GT_BENCH_SCALE:-0.1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-8s %-18s %9s %12s %14s\n' profile case segments "Ir/seg" "ack_input/seg"
for prof in linux freebsd; do
	for f in feed_recv feed_bidir_stale feed_sack_dup; do
		GT_BENCH_PROFILE=$prof valgrind --tool=callgrind --toggle-collect=$f \
			--callgrind-out-file="$tmp/cg.out" "$bin" >"$tmp/table" 2>/dev/null
		segs=$(awk -v f=$f '$0 ~ " " f " " { gsub(",", "", $(NF-1)); print $(NF-1) }' "$tmp/table")
		callgrind_annotate --inclusive=yes "$tmp/cg.out" >"$tmp/ann" 2>/dev/null
		ir=$(awk -v f=":$f " '$0 ~ f { gsub(",", "", $1); print $1; exit }' "$tmp/ann")
		ack=$(awk '/:ack_input / { gsub(",", "", $1); print $1; exit }' "$tmp/ann")
		printf '%-8s %-18s %9s %12.0f %14.0f\n' "$prof" "$f" "$segs" \
			"$(echo "${ir:-0} / $segs" | bc -l)" "$(echo "${ack:-0} / $segs" | bc -l)"
	done
done
