#!/usr/bin/env bash
# glasstcp relay under hostile packets from inside the namespace
# (relay_hostile.py, scapy, written straight onto the TUN device): bad IP
# and TCP/UDP checksums, broken IPv4 headers, fragments, TCP headers longer
# or shorter than possible, other protocols, IPv6 with an extension header
# or a bad checksum, IP version 5, SYNs with bad options, a
# SYN flood to a closed and to an open port, an RST flood at a live
# connection. Checked: that connection keeps working and a new one works;
# a SYN with a bad checksum opens no host connection and a stray segment
# with one draws no RST; the relay counts each kind (RxBadCsum, RxBadIp,
# RxFragments, RxBadL4, RxOtherProto, RxNotIpv4, Rx6Dropped, FlowsRefused),
# each at least the packets sent of that kind less those the kernel dropped
# on the TUN device before the relay read them; the flood's
# host connections are gone within 5 s; the relay exits with the command's
# status.
#
# Network safety: the only addresses used are the relayed namespace's
# (10.0.2.0/24, fd00::/64 for the IPv6 packets, dropped by the relay) and
# the host namespace's loopback.
. "$(dirname "$0")/lib.sh"
need ss
PY=
for p in python3 /usr/bin/python3; do
	command -v "$p" >/dev/null && "$p" -c 'import scapy.all' 2>/dev/null && { PY=$p; break; }
done
[ -n "$PY" ] || skip "scapy is not installed (python3-scapy)"
enter_netns "$@"
HERE=$(cd "$(dirname "$0")" && pwd)

cat >"$WORK/echo.py" <<'PY'
import os, socket, sys, threading
out, n = sys.argv[1], [0]
lock = threading.Lock()
def one(c):
    try:
        while True:
            b = c.recv(65536)
            if not b:
                break
            c.sendall(b)
    except OSError:
        pass
    c.close()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 9401))
s.listen(4096)
open(os.path.join(out, "ready"), "w").close()
while True:
    c, _ = s.accept()
    with lock:
        n[0] += 1
        open(os.path.join(out, "accepts.tmp"), "w").write(str(n[0]))
        os.rename(os.path.join(out, "accepts.tmp"), os.path.join(out, "accepts"))
    threading.Thread(target=one, args=(c,), daemon=True).start()
PY
python3 "$WORK/echo.py" "$WORK" >"$WORK/echo.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -f "$WORK/ready" ] && break; sleep 0.05; done
[ -f "$WORK/ready" ] || fail "the echo server did not start: $(cat "$WORK/echo.log")"

SERVE_LOG=$WORK/relay.log
rc=0
timeout 120 "$GT" relay --dns none -- "$PY" "$HERE/relay_hostile.py" "$WORK" >"$WORK/ns.out" 2>"$SERVE_LOG" || rc=$?
cat "$WORK/ns.out"
[ $rc = 0 ] || fail "$rc checks failed inside the namespace (or the relay died: exit $rc)"
# sent.txt: KIND SENT DROPPED, DROPPED being the packets of that kind the
# kernel dropped on gt0 before the relay read them (the TUN queue full under
# load: tx_dropped, as `ip -s link show gt0` shows it; relay_hostile.py put()).
# The relay can count only what it read, so a counter's floor is SENT less
# DROPPED: a loaded machine that does not run the relay for a while drops
# some, and that is the kernel's doing, not a packet the relay missed.
sent() { awk -v k="$1" '$1 == k {print $2 - $3}' "$WORK/sent.txt"; }
reached() { awk -v k="$1" '$1 == k {print $2 - $3}' "$WORK/sent.txt"; }
drops=$(awk '{d += $3} END {print d + 0}' "$WORK/sent.txt")
check() { # COUNTER WANT-AT-LEAST WHAT
	[ "$(relay_counter "$1")" -ge "$2" ] || fail "$1 $(relay_counter "$1"), want at least $2 ($3; sent less dropped on gt0)"
	printf '%s %s (%s %s); ' "$1" "$(relay_counter "$1")" "$2" "$3"
}
line=$(
	check RxBadCsum $(($(reached tcp_bad_csum) + $(reached udp_bad_csum) + $(reached ipv6_bad_csum))) "bad TCP/UDP checksums, IPv4 and IPv6"
	check RxBadIp "$(reached ip_bad)" "broken IPv4"
	check RxFragments "$(reached fragment)" fragments
	check RxBadL4 "$(reached tcp_bad_hdr)" "TCP header lengths"
	check RxOtherProto "$(reached other_proto)" "protocol 47"
	check RxNotIpv4 "$(reached not_ip)" "IP version 5"
	check Rx6Dropped "$(reached ipv6_ext)" "IPv6 extension headers"
	check FlowsRefused "$(reached syn_flood_closed)" "SYNs to a closed port"
) || { echo "$line"; exit 1; }
echo "ok   counted: $line"
echo "ok   dropped on gt0 before the relay read them: $drops of $(awk '{s += $2} END {print s}' "$WORK/sent.txt") sent"
[ "$(relay_counter RstToStray)" -lt "$(sent tcp_bad_csum)" ] || fail "RstToStray $(relay_counter RstToStray): segments with bad checksums drew RSTs"
# The open port's flood: every host connection it made is gone.
for _ in $(seq 100); do
	left=$(ss -Htan '( dport = :9401 or sport = :9401 )' | grep -vc '^LISTEN\|^TIME-WAIT')
	[ "$left" = 0 ] && break
	sleep 0.05
done
[ "$left" = 0 ] || fail "host sockets of the SYN flood left: $(ss -Htan '( dport = :9401 )' | head)"
echo "ok   flood: $(sent syn_flood_open) SYNs to the open port made $(relay_counter FlowsOpened) flows in all, none left on the host; stack: $(grep '^counters:' "$SERVE_LOG" | tail -1 | grep -oE '(InErrs|OutRsts|InRsts|EstabResets) [0-9]+' | tr '\n' ' ')"
pass "relay: hostile packets dropped and counted, floods survived, the victim connection intact"
