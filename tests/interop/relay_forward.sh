#!/usr/bin/env bash
# glasstcp relay -t: ports forwarded into the namespace. Servers run inside
# the relayed namespace (relay_fwd_ns.py, on 10.0.2.100); clients in the
# test's outer namespace, which plays the host (relay_fwd_client.py), come
# to the relay's listening sockets on its loopback, and the relay connects
# each through glasstcp into the namespace. Checked: 3 MB in and 1 MB out
# intact through a mapped port (-t 18080:8080); half-close (the client's
# shutdown(SHUT_WR), the namespace still sends) with the relay's listing
# taken meanwhile (-t 127.0.0.1/8081); the namespace's server closing first;
# an RST each way; a range (-t 8090-8092); a port nothing listens on inside
# (the client is reset at once); the namespace sees the clients come from
# the gateway; TIME_WAIT where TCP's rule puts it on both sides (ss outside
# and inside, the stack's TW counter); the counters; -t's syntax errors.
#
# Network safety: the only addresses used are the relayed namespace's
# (10.0.2.0/24) and the host namespace's loopback.
. "$(dirname "$0")/lib.sh"
need python3 ss
enter_netns "$@"
HERE=$(cd "$(dirname "$0")" && pwd)

SERVE_LOG=$WORK/relay.log
"$GT" relay --dns none -t 18080:8080 -t 127.0.0.1/8081 -t 8082 -t 8083 -t 8084 -t 8090-8092 \
	-t 18099:8099 -- sh -c "python3 '$HERE/relay_fwd_ns.py' '$WORK'; ss -Htan state time-wait >'$WORK/ns_tw.txt'" \
	>"$WORK/ns.log" 2>"$SERVE_LOG" &
RLP=$!
PIDS+=($RLP)
for _ in $(seq 100); do [ -f "$WORK/ns_ready" ] && break; sleep 0.05; done
[ -f "$WORK/ns_ready" ] || fail "the namespace's servers did not start: $(cat "$WORK/ns.log")"
grep -q '^relay: forwarding host 0.0.0.0:8090-8092 -> 10.0.2.100:8090-8092$' "$SERVE_LOG" &&
	grep -q '^relay: forwarding host 127.0.0.1:8081 -> 10.0.2.100:8081$' "$SERVE_LOG" ||
	fail "the relay does not list its forwards: $(grep '^relay: forw' "$SERVE_LOG")"
ss -Htln | grep -q '127.0.0.1:8081 ' && ss -Htln | grep -q '0.0.0.0:18080 ' ||
	fail "the relay does not listen on the host: $(ss -Htln)"

rc=0
timeout 60 python3 "$HERE/relay_fwd_client.py" $RLP "$WORK" || rc=$?
[ $rc = 0 ] || fail "$rc checks failed on the host"

# The namespace saw every client come from the gateway.
n=$(grep -vc '^10\.0\.2\.2:' "$WORK/ns_peers.txt")
[ "$n" = 0 ] || fail "clients came from elsewhere: $(cat "$WORK/ns_peers.txt")"
echo "ok   source: the namespace saw $(wc -l <"$WORK/ns_peers.txt") clients, all from 10.0.2.2"

# The listing the client asked for while its upload was half-closed: the
# host's FIN crossed first, the stack is in FIN_WAIT_2.
grep -q '^tcp-in 127.0.0.1:[0-9]* -> host port 8081 -> 10.0.2.100:8081 (from 10.0.2.2:[0-9]*)  ns FIN_WAIT_2 .*first close: host FIN' "$SERVE_LOG" ||
	fail "the SIGUSR1 listing does not show the half-closed forward: $(grep -A3 'tcp flows' "$SERVE_LOG")"
echo "ok   listing: $(grep -m1 '^tcp-in 127.0.0.1:[0-9]* -> host port 8081' "$SERVE_LOG")"

# TIME_WAIT, host side: the namespace closed first 5 times on 8082, so the
# relay's accepted socket sent the first FIN there each time; on 18080 the
# client closed first and holds it, the relay's socket none.
tw_relay=$(ss -Htan state time-wait '( sport = :8082 )' | grep -c '127.0.0.1:8082')
tw_client=$(ss -Htan state time-wait '( dport = :18080 )' | grep -c '127.0.0.1:18080')
tw_wrong=$(ss -Htan state time-wait '( sport = :18080 )' | grep -c '127.0.0.1:18080')
[ "$tw_relay" = 5 ] && [ "$tw_client" = 1 ] && [ "$tw_wrong" = 0 ] ||
	fail "host TIME_WAIT: relay side of 8082 $tw_relay (want 5), client of 18080 $tw_client (want 1), relay side of 18080 $tw_wrong (want 0)"

touch "$WORK/stop"
rc=0; wait $RLP || rc=$?
[ $rc = 0 ] || fail "the relay exited $rc"
# Inside: the namespace's kernel holds TIME_WAIT for the 5 connections it
# closed first, none for those the host closed first (8080, 8081), which
# glasstcp holds (TW).
ns_tw=$(grep -c '10.0.2.100:8082 ' "$WORK/ns_tw.txt")
ns_wrong=$(grep -cE '10.0.2.100:808[01] ' "$WORK/ns_tw.txt")
[ "$ns_tw" = 5 ] && [ "$ns_wrong" = 0 ] || fail "namespace TIME_WAIT: 8082 $ns_tw (want 5), 8080/8081 $ns_wrong (want 0): $(cat "$WORK/ns_tw.txt")"
tw=$(grep '^counters:' "$SERVE_LOG" | tail -1 | grep -o ' TW [0-9]*' | awk '{print $2}')
[ "${tw:-0}" -ge 2 ] || fail "the host closed first twice: glasstcp should have held TIME_WAIT twice, TW ${tw:-?}"
echo "ok   time_wait: the first closer holds it on each side: host client + glasstcp when the client closed first, the relay's host socket + the namespace's kernel when the namespace did"

[ "$(relay_counter FwdAccepted)" = 13 ] && [ "$(relay_counter FwdEstablished)" = 12 ] && [ "$(relay_counter FwdRefused)" = 1 ] &&
	[ "$(relay_counter ResetsFromNs)" -ge 1 ] && [ "$(relay_counter ResetsFromHost)" -ge 1 ] && [ "$(relay_counter FwdErrors)" = 0 ] &&
	[ "$(relay_counter FlowsOpened)" = 0 ] || fail "counters: $(grep '^relay:' "$SERVE_LOG" | tail -1)"
echo "ok   counters: $(grep '^relay:' "$SERVE_LOG" | tail -1 | grep -oE ' (Fwd[A-Za-z]+|Resets(FromNs|FromHost)|(Ns|Host)ClosedFirst|Bytes(Up|Down)) [0-9]+' | tr '\n' ' ')"

# -t's syntax and conflicts.
for bad in 0 65536 8000-7999 8000-8010:9000-9001 1.2.3/80 80:81:82 x; do
	rc=0; "$GT" relay -t "$bad" -- true 2>/dev/null || rc=$?
	[ $rc = 2 ] || fail "-t $bad: exit $rc, want 2"
done
rc=0; "$GT" relay -t 8000 -t 127.0.0.1/8000 -- true 2>/dev/null || rc=$?
[ $rc = 2 ] || fail "a port forwarded twice: exit $rc"
python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1", 8500)); s.listen(); time.sleep(5)' &
PIDS+=($!)
for _ in $(seq 100); do ss -Htln | grep -q '127.0.0.1:8500 ' && break; sleep 0.05; done
rc=0; "$GT" relay --quiet --dns none -t 127.0.0.1/8500 -- true 2>"$WORK/inuse.log" || rc=$?
[ $rc = 1 ] && grep -q '127.0.0.1:8500: Address already in use' "$WORK/inuse.log" ||
	fail "a host port in use: exit $rc, $(cat "$WORK/inuse.log")"
echo "ok   options: bad -t forms refused (exit 2), a port in use named (exit 1)"
pass "relay -t: data both ways, half-close, RST both ways, range, refused, TIME_WAIT on each side"
