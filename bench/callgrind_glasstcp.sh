#!/usr/bin/env bash
# glasstcp under valgrind's callgrind: the instructions it executes in user
# space (the Ir total), which neither the machine's load nor its lack of
# hardware counters (`perf stat -e instructions` says "not supported" on
# this VM) hides. Given to bench/loss_vs_kernel.sh as the binary, it counts
# `glasstcp get`'s (or serve's) instructions per transfer:
#   GT_LOSS_BYTES=30000000 GT_LOSS_RATES=0 GT_LOSS_REORDER=0 GT_LOSS_DIRS=recv \
#     bench/loss_vs_kernel.sh bench/callgrind_glasstcp.sh
#   callgrind_annotate "$GT_CG_OUT" | grep 'PROGRAM TOTALS'   # Ir; divide by MB
# The process runs about 50 times slower under callgrind, so its batches
# and ACKs differ from a native run's (more packets per wakeup); compare
# builds with each other this way, not with a native run.
# GT_BIN: the glasstcp binary (default build/glasstcp beside this directory).
# GT_CG_OUT: the profile (default /tmp/gt-callgrind.out; overwritten).
GT_BIN=${GT_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/glasstcp}
exec valgrind --tool=callgrind --callgrind-out-file="${GT_CG_OUT:-/tmp/gt-callgrind.out}" "$GT_BIN" "$@"
