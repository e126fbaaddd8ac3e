#!/usr/bin/env bash
# glasstcp relay over IPv6, the services beyond TCP to an address: DNS to
# the resolver address fd00::3 (UDP and TCP, relayed to a dnsmasq the test
# starts on its host loopback, the IPv4 resolver of --dns reached through an
# IPv4-mapped address), ping to fd00::3 answered by the relay, DNS to other
# ports of fd00::3 refused (ICMPv6 port unreachable, RST), a resolver that
# is not there answered with ICMPv6 port unreachable (its ICMPv4 told
# again as ICMPv6) so that the lookup fails at once; --socks5 for IPv6
# destinations: a CONNECT with ATYP 4 through Debian's microsocks to
# [fd00::2] (the host's ::1) and to a global address of the host's, data
# both ways intact, a closed port refused (ECONNREFUSED at once), TCP DNS
# to fd00::3 through the proxy (ATYP 1, the IPv4 resolver).
#
# Network safety: the relayed namespace (10.0.2.0/24, fd00::/64) and the
# test's own namespace: its loopback and 2001:db8::1 (documentation prefix)
# on that loopback. Nothing leaves them.
. "$(dirname "$0")/lib.sh"
need python3 ss ping dnsmasq
enter_netns "$@"
ipv6_on 2001:db8::1

dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1 \
	--port=5353 --address=/relay.test/192.0.2.53 --log-queries --log-facility="$WORK/dnsmasq.log" \
	--pid-file="$WORK/dnsmasq.pid" --user=root 2>"$WORK/dnsmasq.err" &
PIDS+=($!)
# An echo on the host's every IPv6 address: what it reads, back, then close.
python3 -c "
import socket, threading
s = socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('::', 9400)); s.listen(16)
def serve(c):
    while True:
        b = c.recv(65536)
        if not b: break
        c.sendall(b)
    c.close()
def guarded(c):
    try:
        serve(c)
    except OSError:
        pass  # a client that resets
while True:
    c, _ = s.accept(); threading.Thread(target=guarded, args=(c,), daemon=True).start()" &
PIDS+=($!)
for _ in $(seq 100); do ss -Htln | grep -q ':9400 ' && ss -Hutln | grep -q '127.0.0.1:5353 ' && break; sleep 0.05; done
ss -Hutln | grep -q '127.0.0.1:5353 ' || fail "dnsmasq did not start: $(cat "$WORK/dnsmasq.err")"

# DNS from inside (relay_dns_client.py), over IPv6 only: A relay.test over
# UDP and TCP to [fd00::3]:53; UDP to its port 54 and TCP to its port 80
# refused; "dead": the resolver is not there.
DNS="python3 $(dirname "$0")/relay_dns_client.py"

cat >"$WORK/socks.py" <<'PY'
# Through --socks5 to IPv6 destinations: 1 MB each way at once to [fd00::2] and
# to [2001:db8::1] (the echo on the host), a closed port, TCP DNS.
import errno, hashlib, os, socket, struct, sys, threading, time
bad = 0
def check(what, ok, detail):
    global bad
    bad += not ok
    print(("ok  " if ok else "BAD ") + " %s: %s" % (what, detail))
for host in ("fd00::2", "2001:db8::1"):
    data = os.urandom(1 << 20)
    s = socket.create_connection((host, 9400), timeout=10)
    # No half-close: microsocks ends both directions at the first EOF.
    threading.Thread(target=lambda: s.sendall(data), daemon=True).start()
    got = b""
    while len(got) < len(data):
        b = s.recv(65536)
        if not b:
            break
        got += b
    s.close()
    check("1 MB echoed through the proxy from [%s]:9400" % host, got == data, "%d bytes back" % len(got))
t0 = time.monotonic()
try:
    socket.create_connection(("fd00::2", 9401), timeout=5)
    check("closed port through the proxy", False, "connected")
except OSError as e:
    ms = (time.monotonic() - t0) * 1000
    check("closed port through the proxy", e.errno == errno.ECONNREFUSED and ms < 1000, "%s in %.1f ms" % (e, ms))
sys.exit(bad)
PY

SERVE_LOG=$WORK/relay_dns.log
timeout 60 "$GT" relay --dns 127.0.0.1:5353 -- sh -c "
	ping -6 -n -c2 -i 0.2 -W2 fd00::3 >'$WORK/ping3.txt' 2>&1 || exit 91
	$DNS live 192.0.2.53 6 && exec $DNS closed - 6" 2>"$SERVE_LOG"
rc=$?
[ $rc != 91 ] || fail "ping -6 fd00::3: $(cat "$WORK/ping3.txt")"
[ $rc = 0 ] || fail "DNS over IPv6: $rc checks failed inside"
echo "ok   ping -6 fd00::3: $(grep -c 'bytes from fd00::3' "$WORK/ping3.txt") replies"
grep -q 'query\[A\] relay.test from 127.0.0.1' "$WORK/dnsmasq.log" || fail "dnsmasq did not log the query: $(cat "$WORK/dnsmasq.log")"
[ "$(relay_counter DnsQueries)" = 1 ] || fail "DnsQueries $(relay_counter DnsQueries), want 1 (the UDP query)"
grep -q 'relay: IPv6: fd00::100/64, gateway fd00::2 (the host.s ::1), DNS fd00::3 -> 127.0.0.1:5353' "$SERVE_LOG" ||
	fail "the ready line does not name the IPv6 resolver: $(grep 'relay: IPv6' "$SERVE_LOG")"
echo "ok   dnsmasq saw the queries; DnsQueries $(relay_counter DnsQueries); $(grep -o 'relay: IPv6.*' "$SERVE_LOG")"

SERVE_LOG=$WORK/relay_dead.log
timeout 30 "$GT" relay --dns 127.0.0.1:5399 -- $DNS dead - 6 2>"$SERVE_LOG" ||
	fail "a resolver that is not there: exit $?"
[ "$(relay_counter UdpPortUnreach)" = 1 ] || fail "UdpPortUnreach $(relay_counter UdpPortUnreach), want 1"

if command -v microsocks >/dev/null; then
	microsocks -i 127.0.0.1 -p 1080 >"$WORK/socks.log" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 100); do ss -Htln | grep -q '127.0.0.1:1080 ' && break; sleep 0.05; done
	SERVE_LOG=$WORK/relay_socks.log
	timeout 60 "$GT" relay --dns 127.0.0.1:5353 --socks5 127.0.0.1:1080 -- sh -c "
		python3 '$WORK/socks.py' || exit 1
		exec $DNS live 192.0.2.53 6" 2>"$SERVE_LOG" ||
		fail "through the proxy to IPv6 destinations: exit $?"
	[ "$(relay_counter SocksOk)" = 3 ] && [ "$(relay_counter SocksRefused)" = 1 ] ||
		fail "SocksOk $(relay_counter SocksOk) (want 3: two echoes, TCP DNS), SocksRefused $(relay_counter SocksRefused) (want 1)"
	echo "ok   SocksOk $(relay_counter SocksOk), SocksRefused $(relay_counter SocksRefused)"
else
	echo "(microsocks is not installed: --socks5 over IPv6 not checked)"
fi
# -t for IPv6: a client on the host's [::1] reaches the namespace's server
# over IPv6 (from fd00::2, the stack's IPv6 address), one on 127.0.0.1 over
# IPv4 (from 10.0.2.2), 1 MB each way with a half-close between; an IPv6
# address given to -t listens there only; a port closed inside resets the
# IPv6 client.
cat >"$WORK/fwd_srv.py" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_INET6)  # dual-stack: IPv4 clients as ::ffff:a.b.c.d
s.bind(("::", 9500))
s.listen(8)
open(sys.argv[1] + "/fwd.ready", "w").close()
for _ in range(3):
    c, peer = s.accept()
    c.sendall(("peer=%s\n" % peer[0]).encode())
    while True:
        b = c.recv(65536)
        if not b:
            break
        c.sendall(b)
    c.close()
# The relay closes its listeners when this command exits: wait until the
# client has also tried the port closed inside (fwd.done).
import time
for _ in range(300):
    if os.path.exists(sys.argv[1] + "/fwd.done"):
        break
    time.sleep(0.05)
PY
cat >"$WORK/fwd_cli.py" <<'PY'
import errno, os, socket, sys, threading
bad = 0
def check(what, ok, detail):
    global bad
    bad += not ok
    print(("ok  " if ok else "BAD ") + " %s: %s" % (what, detail))
def flow(host, port, want_peer):
    s = socket.create_connection((host, port), timeout=10)
    data = os.urandom(1 << 20)
    def send():
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
    threading.Thread(target=send, daemon=True).start()
    got = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        got += b
    s.close()
    line, _, rest = got.partition(b"\n")
    check("-t from [%s]:%d" % (host, port), line.decode() == "peer=" + want_peer and rest == data,
          "%s, %d bytes echoed after the half-close" % (line.decode(), len(rest)))
flow("::1", 9500, "fd00::2")
flow("127.0.0.1", 9500, "::ffff:10.0.2.2")
flow("::1", 9501, "fd00::2")
try:
    socket.create_connection(("127.0.0.1", 9501), timeout=5)
    check("-t [::1]/9501 on 127.0.0.1", False, "connected")
except OSError as e:
    check("-t [::1]/9501 on 127.0.0.1", e.errno == errno.ECONNREFUSED, str(e))
# The relay accepts before it knows (docs/relay.md): the reset comes at the
# first read, or already at the connect when it is quicker.
try:
    s = socket.create_connection(("::1", 9502), timeout=5)
    got = s.recv(100)
    check("a port closed inside, over IPv6", False, "read %r" % got)
except OSError as e:
    check("a port closed inside, over IPv6", e.errno == errno.ECONNRESET, str(e))
sys.exit(bad)
PY
SERVE_LOG=$WORK/relay_fwd.log
timeout 60 "$GT" relay --dns none -t 9500 -t '[::1]/9501:9500' -t 9502 -- python3 "$WORK/fwd_srv.py" "$WORK" 2>"$SERVE_LOG" &
RP=$!
for _ in $(seq 200); do [ -f "$WORK/fwd.ready" ] && break; sleep 0.05; done
[ -f "$WORK/fwd.ready" ] || fail "the namespace's server did not start"
rc=0; timeout 30 python3 "$WORK/fwd_cli.py" || rc=$?
touch "$WORK/fwd.done"
[ $rc = 0 ] || fail "-t over IPv6: exit $rc"
wait $RP || fail "the relay with -t exited $?"
for l in 'host 0.0.0.0:9500 -> 10.0.2.100:9500' 'host \[::\]:9500 -> \[fd00::100\]:9500' 'host \[::1\]:9501 -> \[fd00::100\]:9500'; do
	grep -q "relay: forwarding $l" "$SERVE_LOG" || fail "no 'forwarding $l': $(grep forwarding "$SERVE_LOG")"
done
grep -q 'relay: forwarding host 127.0.0.1:9501\|relay: forwarding host 0.0.0.0:9501' "$SERVE_LOG" && fail "-t [::1]/9501 listens on IPv4"
[ "$(relay_counter FwdEstablished)" = 3 ] && [ "$(relay_counter FwdRefused)" = 1 ] ||
	fail "FwdEstablished $(relay_counter FwdEstablished) (want 3), FwdRefused $(relay_counter FwdRefused) (want 1)"
echo "ok   $(grep -c 'relay: forwarding' "$SERVE_LOG") forwarding lines; FwdEstablished $(relay_counter FwdEstablished), FwdRefused $(relay_counter FwdRefused)"
pass "DNS to fd00::3, SOCKS5 to IPv6 destinations and -t for IPv6 clients through the relay"
