#!/usr/bin/env bash
# glasstcp relay: a command in a relayed namespace against servers on the
# "host". The test's private namespace (unshare -n, lib.sh) plays the host:
# its servers listen on its loopback only (relay_servers.py), and the relay
# makes the command's namespace inside it. Checked from inside
# (relay_client.py, curl): a 2 MB download and a 3 MB upload intact; a
# closed port refused at once (ECONNREFUSED in well under the 1 s a SYN
# retransmission would take); half-close (the client's shutdown(SHUT_WR),
# the server still sends); the server's RST reaching the client as
# ECONNRESET and the client's reaching the server; an unroutable address
# failing at once (ICMP); DNS to 10.0.2.3 answered by the test's own stub
# (--dns, never the machine's resolver); the command's exit status; and the
# relay's listing (SIGUSR1) and counters; --netns on a namespace made by
# another process.
#
# Network safety: the only addresses used are the relayed namespace's
# (10.0.2.0/24), the host namespace's loopback, and 192.0.2.1, which the
# host namespace has no route to (the connect fails there; nothing is sent).
. "$(dirname "$0")/lib.sh"
need curl python3 ss
enter_netns "$@"
HERE=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$WORK/www"
head -c 2M /dev/urandom >"$WORK/www/f"
(cd "$WORK/www" && exec python3 -m http.server 8080 --bind 127.0.0.1) >"$WORK/http.log" 2>&1 &
PIDS+=($!)
python3 "$HERE/relay_servers.py" "$WORK" >"$WORK/servers.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
	[ -f "$WORK/ready" ] && ss -Htln | grep -q '127.0.0.1:8080' && break
	sleep 0.05
done
[ -f "$WORK/ready" ] || fail "the test's servers did not start: $(cat "$WORK/servers.log")"

SERVE_LOG=$WORK/relay.log # for fail()'s tail
rc=0
timeout 60 "$GT" relay --dns 127.0.0.1:5353 -- sh -c "
	curl -sS --max-time 10 -o '$WORK/got' http://10.0.2.2:8080/f || exit 90
	exec python3 '$HERE/relay_client.py'" >"$WORK/client.log" 2>"$SERVE_LOG" || rc=$?
cat "$WORK/client.log"
[ $rc != 90 ] && [ -s "$WORK/got" ] || fail "curl through the relay failed (exit status $rc)"
[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f")" ] || fail "the download differs"
echo "ok   download: 2 MB from the host's 127.0.0.1:8080 via 10.0.2.2, intact"
[ $rc = 0 ] || fail "$rc checks failed inside the namespace (relay exit status = the command's)"

# The client's RST reached the server.
for _ in $(seq 40); do [ -f "$WORK/peer_reset.txt" ] && break; sleep 0.05; done
[ "$(cat "$WORK/peer_reset.txt" 2>/dev/null)" = reset ] ||
	fail "the client's SO_LINGER {1,0} close reached the server as '$(cat "$WORK/peer_reset.txt" 2>/dev/null)', not a reset"
echo "ok   client_rst: the server saw ECONNRESET"

# The listing the client asked for (SIGUSR1) while its upload was half-closed.
grep -q '^tcp 10.0.2.100:[0-9]* -> 10.0.2.2:9001 (host 127.0.0.1:9001) .*first close: namespace FIN' "$SERVE_LOG" ||
	fail "the SIGUSR1 listing does not show the half-closed flow: $(grep -A5 'tcp flows' "$SERVE_LOG")"
echo "ok   listing: $(grep -m1 '^tcp 10.0.2.100:[0-9]* -> 10.0.2.2:9001' "$SERVE_LOG")"

# The relay's counters at exit.
[ "$(relay_counter FlowsRefused)" -ge 1 ] || fail "FlowsRefused $(relay_counter FlowsRefused)"
[ "$(relay_counter FlowsUnreachable)" -ge 1 ] || fail "FlowsUnreachable $(relay_counter FlowsUnreachable)"
[ "$(relay_counter ResetsFromHost)" -ge 1 ] || fail "ResetsFromHost $(relay_counter ResetsFromHost)"
[ "$(relay_counter ResetsFromNs)" -ge 1 ] || fail "ResetsFromNs $(relay_counter ResetsFromNs)"
[ "$(relay_counter NsClosedFirst)" -ge 1 ] && [ "$(relay_counter HostClosedFirst)" -ge 20 ] || fail "closers: $(grep '^relay: Flows' "$SERVE_LOG" | tail -1)"
[ "$(relay_counter DnsQueries)" = 1 ] || fail "DnsQueries $(relay_counter DnsQueries)"
[ "$(relay_counter BytesUp)" -ge 3145728 ] && [ "$(relay_counter BytesDown)" -ge 3145728 ] || fail "bytes: $(grep '^relay:' "$SERVE_LOG")"
[ "$(wc -l <"$WORK/dns_queries.txt")" = 1 ] || fail "the DNS stub saw $(wc -l <"$WORK/dns_queries.txt") queries"
echo "ok   counters: $(grep '^relay:' "$SERVE_LOG" | tail -1 | grep -oE ' (Flows(Opened|Refused|Unreachable)|Resets(FromNs|FromHost)|(Ns|Host)ClosedFirst|Bytes(Up|Down)|DnsQueries) [0-9]+' | tr '\n' ' ')"

# TIME_WAIT where TCP's rule puts it. The upload's namespace closed first,
# so the relay's host socket sent the first FIN on the host: the host holds
# TIME_WAIT for that connection (ss). The banner server closed first, 20
# times: the stack holds TIME_WAIT on the namespace side (the counters' TW).
tw=$(ss -Htan state time-wait "( dport = :9001 )" | grep -c '127.0.0.1:9001')
[ "$tw" = 1 ] || fail "namespace closed first: want the relay's host socket in TIME_WAIT once, ss shows $tw"
tw=$(grep '^counters:' "$SERVE_LOG" | tail -1 | grep -o ' TW [0-9]*' | awk '{print $2}')
[ "${tw:-0}" -ge 20 ] || fail "the server closed first 20 times: the stack should have held TIME_WAIT 20 times, TW ${tw:-?}"
echo "ok   time_wait: the host holds it for the flow the namespace closed first; the stack for the one the server closed first"

# The exit status is the command's, signals as 128 + N.
rc=0; timeout 20 "$GT" relay --quiet --dns none -- sh -c 'exit 7' || rc=$?
[ $rc = 7 ] || fail "exit status: want 7, got $rc"
rc=0; timeout 20 "$GT" relay --quiet --dns none -- sh -c 'kill -TERM $$' || rc=$?
[ $rc = 143 ] || fail "killed by SIGTERM: want 143, got $rc"
echo "ok   exit status: 7 and 143 (SIGTERM) passed through"
# --netns: serve a namespace someone else made; SIGTERM ends the relay (0).
need nsenter
unshare -n sleep 60 &
NSP=$!
PIDS+=($NSP)
wait_netns $NSP
"$GT" relay --dns none --netns /proc/$NSP/ns/net 2>"$WORK/netns.log" &
RLP=$!
PIDS+=($RLP)
for _ in $(seq 100); do grep -q '^relay: ready' "$WORK/netns.log" && break; sleep 0.05; done
timeout 20 nsenter --net=/proc/$NSP/ns/net curl -sS --max-time 10 -o "$WORK/got2" http://10.0.2.2:8080/f ||
	fail "curl in the --netns namespace: $(cat "$WORK/netns.log")"
[ "$(sha "$WORK/got2")" = "$(sha "$WORK/www/f")" ] || fail "the --netns download differs"
kill -TERM $RLP
rc=0; wait $RLP || rc=$?
[ $rc = 0 ] || fail "relay --netns exited $rc on SIGTERM: $(cat "$WORK/netns.log")"
echo "ok   netns: a namespace made by someone else served, 2 MB intact, SIGTERM ends the relay with 0"
pass "relay: data both ways, refused and unreachable at once, half-close, RST both ways, DNS, listing, exit status"
