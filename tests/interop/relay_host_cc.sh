#!/usr/bin/env bash
# glasstcp relay --loopback-cc: a host socket whose far end is the host's
# loopback gets the congestion control named (default cubic: unpaced; a
# pacing algorithm such as BBR costs an hrtimer per burst and nothing can
# be congested on loopback), with `kernel` the namespace's default. The
# test's namespace (lib.sh) sets its default to reno, so each setting is
# told apart in `ss -ti` of the relay's socket to a server on the loopback.
#
# Network safety: the relayed namespace (10.0.2.0/24) and the loopback of
# the test's own namespace only.
. "$(dirname "$0")/lib.sh"
need python3 ss
enter_netns "$@"
grep -qw cubic /proc/sys/net/ipv4/tcp_available_congestion_control ||
	modprobe tcp_cubic 2>/dev/null
grep -qw cubic /proc/sys/net/ipv4/tcp_available_congestion_control || skip "no cubic in this kernel"
sysctl -qw net.ipv4.tcp_congestion_control=reno || skip "cannot set this namespace's congestion control"

# A listener that never accepts: the connection is up in its backlog. It
# says when it listens (a file), rather than the test polling ss for a while.
python3 -c "
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 9100)); s.listen(8)
open('$WORK/listening', 'w').close()
time.sleep(120)" &
PIDS+=($!)
for _ in $(seq 600); do [ -f "$WORK/listening" ] && break; sleep 0.05; done
[ -f "$WORK/listening" ] || fail "the listener on 127.0.0.1:9100 did not start in 30 s"

SERVE_LOG=$WORK/relay.log
# check OPTS... WANT: the relay's socket to 127.0.0.1:9100 reads WANT in ss -ti.
# The namespace's client holds its connection until the test has read ss
# (the file seeN), and the test reads ss for as long as the relay runs: no
# window of its own (it was 2 s from the relay's start, which the start-up
# of the relay and of python under load could use up, and the client held
# the connection for 1.5 s only).
n=0
check() {
	local want=$1 got
	shift
	n=$((n + 1))
	timeout 60 "$GT" relay "$@" --dns none -- python3 -c "
import os, socket, time
s = socket.create_connection(('10.0.2.2', 9100), timeout=30)
end = time.monotonic() + 50
while not os.path.exists('$WORK/seen$n') and time.monotonic() < end:
    time.sleep(0.02)" 2>"$SERVE_LOG" &
	local rp=$!
	got=
	while kill -0 $rp 2>/dev/null; do
		got=$(ss -Htin state established '( dport = :9100 )' | grep -oE '\b(cubic|reno|bbr)\b' | head -1)
		[ -n "$got" ] && break
		sleep 0.05
	done
	touch "$WORK/seen$n"
	wait $rp || fail "the relay ($*) exited $?"
	[ "$got" = "$want" ] || fail "relay $*: the host socket's congestion control is '${got:-none seen}', want $want"
	grep -q ' HostCcErrors 0' "$SERVE_LOG" || fail "HostCcErrors: $(grep -o ' HostCcErrors [0-9]*' "$SERVE_LOG")"
	echo "ok   ${*:-default}: $got"
}
check cubic
check reno --loopback-cc kernel
check reno --loopback-cc reno
pass "the loopback hop's congestion control as --loopback-cc says"
