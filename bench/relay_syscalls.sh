#!/usr/bin/env bash
# The relay's CPU time and system calls per connection (issue 17), by
# name: perf stat --no-inherit of the relay's own process (not the command
# it runs) while bench/relay_rate.c makes connections with one in flight
# (connect, 1 byte each way, close) to an echo server on the host's
# loopback, divided by the connections made. task-clock is CPU time, which
# other load on the machine moves less than the rate.
#
#   sudo GT=build/glasstcp [RELAY_SC_SECONDS=2] [RELAY_SC_OPTS="--busy-poll-us 0"]
#        [RELAY_SC_CONC=8] bash bench/relay_syscalls.sh
#
# RELAY_SC_CONC: connections in flight (1 by default). RELAY_SC_RTT=N: the
# counts per 1-byte round trip instead, N of them on one connection
# (bench/relay_probe.py rtt, as bench/relay_vs.sh's round trip), with its
# median and p99 (us). Also counted: the
# epoll_wait()s that returned nothing ("epoll_wait empty": the spin's
# polls, the idle moments' probes), the read()s that failed (the device's
# EAGAIN that ends a drain) and the relay's context switches.
#
# (strace -f of the relay shows the order of the calls, but slows each so
# much that the relay's guessed reads, tcp_flow.c lost_cpu(), happen on
# every send: the counts under it are not the relay's.)
# Network safety: a new network namespace (unshare -n) plays the host.
set -u
SECS=${RELAY_SC_SECONDS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
GT=${GT:-$HERE/../build/glasstcp}
if [ -z "${GT_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "relay_syscalls: needs root (namespaces, TUN)"; exit 77; }
	for t in perf unshare cc; do
		command -v $t >/dev/null || { echo "relay_syscalls: $t is not installed"; exit 77; }
	done
	GT=$(cd "$(dirname "$GT")" && pwd)/$(basename "$GT") GT_IN_NETNS=1 exec unshare -n -- bash "$0" "$@"
fi
ip link set lo up
sysctl -qw net.ipv4.tcp_tw_reuse=1 "net.ipv4.ip_local_port_range=1024 65535"
WORK=$(mktemp -d /tmp/gt-relay-sc.XXXXXX)
trap 'kill $SRV 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
cc -O2 -o "$WORK/relay_rate" "$HERE/relay_rate.c" || exit 1
"$WORK/relay_rate" server 7008 &
SRV=$!
if [ -n "${RELAY_SC_RTT:-}" ]; then
	python3 "$HERE/relay_probe.py" echo-server 7007 &
	SRV="$SRV $!"
fi
sleep 0.3
EV=task-clock,raw_syscalls:sys_enter
for c in read write writev recvfrom recvmsg sendmsg setsockopt epoll_wait epoll_pwait2 epoll_ctl io_uring_enter connect socket shutdown close; do
	EV=$EV,syscalls:sys_enter_$c
done
perf stat --no-inherit -x, -o "$WORK/sc" -e "$EV" \
	-e syscalls:sys_exit_epoll_wait --filter 'ret == 0' -e syscalls:sys_exit_read --filter 'ret < 0' -e context-switches \
	-- "$GT" relay --quiet --dns none ${RELAY_SC_OPTS:-} -- \
	$([ -n "${RELAY_SC_RTT:-}" ] && echo python3 "$HERE/relay_probe.py" rtt 10.0.2.2 7007 "$RELAY_SC_RTT" ||
		echo "$WORK/relay_rate" client 10.0.2.2 7008 "$SECS" "${RELAY_SC_CONC:-1}") >"$WORK/out"
if [ -n "${RELAY_SC_RTT:-}" ]; then
	N=$RELAY_SC_RTT
	echo "round trips: $N (median/p99 us $(awk '{print $2 "/" $3}' "$WORK/out"))"
else
	N=$(awk -v s="$SECS" '{print int($2 * s + 0.5); exit}' "$WORK/out")
	echo "connections: $N ($(head -1 "$WORK/out"))"
fi
awk -F, -v n="$N" '$1 ~ /^[0-9.]+$/ {e = $3; sub(/^syscalls:sys_enter_/, "", e); sub(/^raw_syscalls:sys_enter/, "all calls", e);
	sub(/^syscalls:sys_exit_epoll_wait/, "epoll_wait empty", e); sub(/^syscalls:sys_exit_read/, "read failed", e);
	if (e == "task-clock") printf "%8.1f us CPU\n", $1 * 1000 / n; else printf "%8.2f %s\n", $1 / n, e}' "$WORK/sc"
