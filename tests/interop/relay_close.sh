#!/usr/bin/env bash
# glasstcp relay: every close case observed from both ends. The test's
# private namespace (lib.sh) plays the host, with one server per case on its
# loopback (relay_close_servers.py); the relay's COMMAND is the client inside
# (relay_close_client.py). Each side checks what its application sees and
# what its kernel holds (`ss` on the host, `ss` inside the namespace), and
# the relay's listing (SIGUSR1) is taken while each half-closed flow is
# half-closed:
#   - the host's FIN first, the namespace still sending 3 MB after it, and
#     the namespace's FIN first, the host still sending 1 MB after it;
#   - an RST from either side (SO_LINGER {1,0}) arriving as ECONNRESET on the
#     other, with no socket of the flow left on either side;
#   - unread data at close: a reset (RFC 1122 4.2.2.13) on either side;
#   - a closed port refused with RST, 20 times, median under 2 ms (never a
#     SYN-ACK first: the connect() itself fails with ECONNREFUSED);
#   - TIME_WAIT: who holds it when the namespace closes first (its kernel,
#     and the relay's host socket) and when the server does (the server,
#     and glasstcp: the stack's TW counter), docs/relay.md.
#
# Network safety: the only addresses used are the relayed namespace's
# (10.0.2.0/24) and the host namespace's loopback.
. "$(dirname "$0")/lib.sh"
need python3 ss
enter_netns "$@"
HERE=$(cd "$(dirname "$0")" && pwd)

python3 "$HERE/relay_close_servers.py" "$WORK" >"$WORK/host.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -f "$WORK/ready" ] && break; sleep 0.05; done
[ -f "$WORK/ready" ] || fail "the servers did not start: $(cat "$WORK/host.out")"

SERVE_LOG=$WORK/relay.log
rc=0
timeout 90 "$GT" relay --dns none -- python3 "$HERE/relay_close_client.py" "$WORK" "$SERVE_LOG" \
	>"$WORK/ns.out" 2>"$SERVE_LOG" || rc=$?
touch "$WORK/stop"
sed 's/^/ns:   /' "$WORK/ns.out"
sed 's/^/host: /' "$WORK/host.out"
[ $rc = 0 ] || fail "$rc checks failed inside the namespace"
grep -q '^FAIL' "$WORK/host.out" && fail "checks failed on the host"
n=$(grep -c '^ok' "$WORK/host.out")
[ "$n" = 7 ] || fail "the host side made $n of 7 checks"

# The relay's listing while each flow was half-closed: glasstcp's state on
# the namespace side, the host socket's, and who closed first.
want() {
	grep -Eq "^tcp 10.0.2.100:[0-9]* -> 10.0.2.2:$1 \(host 127.0.0.1:$1\)  ns $2  host $3 .*first close: $4 " "$SERVE_LOG" ||
		fail "listing for :$1: want ns $2, host $3, $4 first: $(grep "10.0.2.2:$1 " "$SERVE_LOG")"
	echo "ok   listing: $(grep -m1 "10.0.2.2:$1 " "$SERVE_LOG")"
}
# The namespace's kernel may still hold the ACK of glasstcp's FIN (Linux
# delays it after a FIN: pingpong mode, tcp_fin()), hence FIN_WAIT_1 or 2.
want 9101 'FIN_WAIT_[12]' CLOSE_WAIT "host FIN"
want 9102 CLOSE_WAIT FIN_WAIT2 "namespace FIN"

# TIME_WAIT on the host: when the namespace closed first the relay's host
# socket sent the first FIN on the host and holds it, the server none; when
# the server closed first the server holds it, the relay's socket none.
relay_tw_ns=$(ss -Htan state time-wait '( dport = :9107 )' | grep -c ' 127.0.0.1:9107')
srv_tw_ns=$(ss -Htan state time-wait '( sport = :9107 )' | grep -c '127.0.0.1:9107 ')
relay_tw_host=$(ss -Htan state time-wait '( dport = :9108 )' | grep -c ' 127.0.0.1:9108')
srv_tw_host=$(ss -Htan state time-wait '( sport = :9108 )' | grep -c '127.0.0.1:9108 ')
[ "$relay_tw_ns" = 5 ] && [ "$srv_tw_ns" = 0 ] && [ "$relay_tw_host" = 0 ] && [ "$srv_tw_host" = 5 ] ||
	fail "host TIME_WAIT: namespace first: relay $relay_tw_ns (want 5), server $srv_tw_ns (0); server first: relay $relay_tw_host (0), server $srv_tw_host (5)"
tw=$(grep '^counters:' "$SERVE_LOG" | tail -1 | grep -o ' TW [0-9]*' | awk '{print $2}')
[ "${tw:-0}" -ge 5 ] || fail "the server closed first 5 times: glasstcp should have held TIME_WAIT 5 times, TW ${tw:-?}"
echo "ok   time_wait: namespace first -> its kernel (inside) and the relay's host socket (5 on the host); server first -> the server (5) and glasstcp (TW $tw)"

[ "$(relay_counter FlowsRefused)" = 20 ] || fail "FlowsRefused $(relay_counter FlowsRefused), want 20"
[ "$(relay_counter ResetsFromNs)" -ge 2 ] && [ "$(relay_counter ResetsFromHost)" -ge 2 ] ||
	fail "resets: from the namespace $(relay_counter ResetsFromNs), from the host $(relay_counter ResetsFromHost), want 2 each (SO_LINGER and unread data)"
[ "$(relay_counter NsClosedFirst)" -ge 6 ] && [ "$(relay_counter HostClosedFirst)" -ge 6 ] ||
	fail "closers: $(relay_counter NsClosedFirst) namespace, $(relay_counter HostClosedFirst) host, want 6 each"
echo "ok   counters: $(grep '^relay:' "$SERVE_LOG" | tail -1 | grep -oE ' (Flows(Opened|Refused)|Resets(FromNs|FromHost)|Fins(FromNs|FromHost)|(Ns|Host)ClosedFirst|Bytes(Up|Down)) [0-9]+' | tr '\n' ' ')"
pass "relay: half-close both ways, RST both ways, unread data, refused, TIME_WAIT, each seen from both ends"
