#!/usr/bin/env bash
# glasstcp under `perf stat`: its CPU time (task-clock, ms; of it user_time and
# system_time: glasstcp's own code, and the kernel's share, which includes
# the softirq work our writes run; both from rusage, at the tick's
# resolution, so tens of ms apart from run to run), context switches
# and migrations, system calls (raw_syscalls:sys_enter), printed to stderr
# (CSV) when it exits. Given to
# bench/loss_vs_kernel.sh as the binary, it measures `glasstcp get`'s (or
# serve's) CPU per transfer, which the machine's load changes far less than
# Mbit/s: bench/loss_vs_kernel.sh bench/perf_stat_glasstcp.sh
# GT_BIN: the glasstcp binary (default build/glasstcp beside this directory).
# SIGTERM and SIGINT go to glasstcp, not to perf: the bench stops `serve`
# with SIGTERM, which would kill perf before it printed anything.
GT_BIN=${GT_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/glasstcp}
perf stat -x, -e task-clock,user_time,system_time,context-switches,cpu-migrations,raw_syscalls:sys_enter "$GT_BIN" "$@" &
perf_pid=$!
trap 'kill -TERM $(pgrep -P $perf_pid) 2>/dev/null' TERM INT
wait $perf_pid
rc=$?
[ $rc -ge 128 ] && wait $perf_pid && rc=$? # woken by the trap: perf is still printing
exit $rc
