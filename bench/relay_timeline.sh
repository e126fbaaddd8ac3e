#!/usr/bin/env bash
# A timeline of one connection through the relay (issue 17): where the wall
# time of connect, 1 byte each way, close goes, step by step, as medians
# over many connections made one at a time. The machine is shared and the
# rate moves with its load; the steps' order and their medians say which
# hop holds the time (a wakeup, a loop pass, a system call that runs the
# other side's TCP input).
#
#   sudo GT=build/glasstcp [RELAY_TL_SECONDS=1] [RELAY_TL_OPTS=...] \
#        [RELAY_TL_RTT=N] [RELAY_TL_KEEP=DIR] bash bench/relay_timeline.sh
#
# perf record of the system calls (raw_syscalls:sys_enter/sys_exit) and the
# context switches of three processes, the namespace's client and the
# relay (glasstcp relay --dns none -- relay_rate client 10.0.2.2 7008 S 1)
# and the echo server on the host's loopback (relay_rate server 7008);
# bench/relay_timeline.py reads the trace and prints each step's median
# time from the client's connect() (CLOCK_MONOTONIC, perf's clock) and
# from the step before it. The tracing slows every system call by about
# a microsecond, the same for every build.
# Network safety: a new network namespace (unshare -n) plays the host.
set -u
SECS=${RELAY_TL_SECONDS:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
GT=${GT:-$HERE/../build/glasstcp}
if [ -z "${GT_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "relay_timeline: needs root (namespaces, TUN)"; exit 77; }
	for t in perf unshare cc python3; do
		command -v $t >/dev/null || { echo "relay_timeline: $t is not installed"; exit 77; }
	done
	GT=$(cd "$(dirname "$GT")" && pwd)/$(basename "$GT") GT_IN_NETNS=1 exec unshare -n -- bash "$0" "$@"
fi
ip link set lo up
sysctl -qw net.ipv4.tcp_tw_reuse=1 "net.ipv4.ip_local_port_range=1024 65535"
WORK=${RELAY_TL_KEEP:-$(mktemp -d /tmp/gt-relay-tl.XXXXXX)}
mkdir -p "$WORK"
[ -n "${RELAY_TL_KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
cc -O2 -o "$WORK/relay_rate" "$HERE/relay_rate.c" || exit 1
# RELAY_TL_RTT=N: a 1-byte echo instead, N round trips on one connection
# (bench/relay_probe.py rtt, as bench/relay_vs.sh's round trip)
if [ -n "${RELAY_TL_RTT:-}" ]; then
	CLIENT="python3 $HERE/relay_probe.py rtt 10.0.2.2 7008 $RELAY_TL_RTT"
else
	CLIENT="$WORK/relay_rate client 10.0.2.2 7008 $SECS 1"
fi
cat >"$WORK/run.sh" <<EOF
"$WORK/relay_rate" server 7008 & echo \$! >"$WORK/srv.pid"
sleep 0.2
"$GT" relay --quiet --dns none ${RELAY_TL_OPTS:-} -- $CLIENT >"$WORK/out"
kill \$(cat "$WORK/srv.pid")
EOF
perf record -q -o "$WORK/perf.data" -m 1024 \
	-e raw_syscalls:sys_enter -e raw_syscalls:sys_exit -e sched:sched_switch -e sched:sched_wakeup \
	-- bash "$WORK/run.sh" 2>/dev/null
perf script -i "$WORK/perf.data" -F comm,pid,tid,time,event,trace --ns >"$WORK/trace.txt" 2>/dev/null
echo "client: $(head -1 "$WORK/out")"
python3 "$HERE/relay_timeline.py" "$WORK/trace.txt" "$(cat "$WORK/srv.pid")" ${RELAY_TL_RTT:+rtt}
