#!/usr/bin/env bash
# glasstcp relay over IPv6: the namespace gets fd00::100/64 and a default
# route via fd00::2 (the host's ::1, as 10.0.2.2 is its 127.0.0.1). Its TCP
# connections cross as IPv4 ones do: the SYN held while the relay's IPv6
# host socket connects, the segments translated to IPv4 for the stack and
# back (RFC 7915, MSS less 20). Checked from inside: 3 MB down and 3 MB up
# intact (with a half-close between) to [fd00::2] and to a global address
# of the host's, a closed port refused (ECONNREFUSED at once), an address
# the host has no route to answered with ICMPv6 no route (ENETUNREACH), an
# echo to the gateway answered, the listing's IPv6 flow, ss on the host
# (the relay's socket [::1] -> [::1]), the counters; --no-ipv6 leaves the
# device without the address, and a namespace with IPv6 off (--netns)
# gets IPv4 and a word why not IPv6. UDP: an echo from [fd00::2] and from the
# host's global address, a closed port answered with ICMPv6 port
# unreachable; ping -6 relayed to the host's address through an IPv6 ping
# socket, hop limit 1 answered with time exceeded from fd00::2, no route
# with ICMPv6 no route.
#
# Network safety: the relayed namespace (10.0.2.0/24, fd00::/64) and the
# test's own namespace: its loopback and 2001:db8::1 (documentation
# prefix) on that loopback; 2001:db8:ffff::1 has no route there (nothing is
# sent).
. "$(dirname "$0")/lib.sh"
need python3 ss ping
enter_netns "$@"
ipv6_on 2001:db8::1
ping_sockets_on

cat >"$WORK/srv.py" <<'PY'
import hashlib, os, socket, sys, threading
data = os.urandom(3 << 20)
open(sys.argv[1] + "/down.sha", "w").write(hashlib.sha256(data).hexdigest())
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", 9300))
s.listen(16)
def serve(c):
    # The client's upload to its EOF, then the download, then close.
    h = hashlib.sha256()
    while True:
        b = c.recv(65536)
        if not b:
            break
        h.update(b)
    open(sys.argv[1] + "/up.sha", "a").write(h.hexdigest() + "\n")
    c.sendall(data)
    c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
python3 "$WORK/srv.py" "$WORK" &
PIDS+=($!)
# A UDP echo on the host's every IPv6 address.
python3 -c "
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(('::', 9310))
while True:
    d, a = s.recvfrom(2000); s.sendto(b'echo:' + d, a)" &
PIDS+=($!)
for _ in $(seq 100); do ss -Htln | grep -q ':9300 ' && [ -f "$WORK/down.sha" ] && break; sleep 0.05; done

cat >"$WORK/cli.py" <<'PY'
import errno, hashlib, os, signal, socket, sys, time
work = sys.argv[1]
bad = 0
def flow(host):
    up = os.urandom(3 << 20)
    s = socket.create_connection((host, 9300), timeout=10)
    if host == "fd00::2":
        with open(work + "/listing.req", "w") as f:
            f.write("now")
        # The test asks for the listing and looks at ss while this flow is
        # open: until it says so (ss.done), 10 s at most.
        for _ in range(200):
            if os.path.exists(work + "/ss.done"):
                break
            time.sleep(0.05)
    s.sendall(up)
    s.shutdown(socket.SHUT_WR)
    h = hashlib.sha256()
    while True:
        b = s.recv(65536)
        if not b:
            break
        h.update(b)
    s.close()
    open(work + "/up_sent.sha", "a").write(hashlib.sha256(up).hexdigest() + "\n")
    return h.hexdigest()
got = [flow("fd00::2"), flow("2001:db8::1")]
want = open(work + "/down.sha").read()
for g, h in zip(got, ["fd00::2", "2001:db8::1"]):
    print(("ok  " if g == want else "BAD ") + " 3 MB down from [%s] after 3 MB up" % h)
    bad += g != want
t0 = time.monotonic()
try:
    socket.create_connection(("fd00::2", 9301), timeout=5)
    print("BAD  closed port connected"); bad += 1
except ConnectionRefusedError:
    ms = (time.monotonic() - t0) * 1000
    print(("ok  " if ms < 500 else "BAD ") + " closed port refused in %.1f ms" % ms)
    bad += ms >= 500
try:
    socket.create_connection(("2001:db8:ffff::1", 80), timeout=5)
    print("BAD  unroutable connected"); bad += 1
except OSError as e:
    print(("ok  " if e.errno == errno.ENETUNREACH else "BAD ") + " unroutable: %s" % e)
    bad += e.errno != errno.ENETUNREACH
# UDP: an echo from the gateway and from the host's global address; a
# closed port answered with ICMPv6 port unreachable (ECONNREFUSED).
for host in ("fd00::2", "2001:db8::1"):
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.settimeout(3)
    u.connect((host, 9310))
    u.send(b"x" * 1200)
    try:
        d = u.recv(2000)
    except OSError as e:
        d = repr(e).encode()
    ok = d == b"echo:" + b"x" * 1200
    print(("ok  " if ok else "BAD ") + " UDP echo from [%s]: %d bytes" % (host, len(d)))
    bad += not ok
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u.settimeout(3)
u.connect(("fd00::2", 9311))
u.send(b"y")
try:
    u.recv(100)
    print("BAD  closed UDP port answered"); bad += 1
except ConnectionRefusedError:
    print("ok   closed UDP port: port unreachable (ECONNREFUSED)")
except OSError as e:
    print("BAD  closed UDP port: %r" % e); bad += 1
sys.exit(bad)
PY

SERVE_LOG=$WORK/relay.log
timeout 60 "$GT" relay --dns none -- sh -c "
	ip -6 addr show dev gt0 >'$WORK/addr.txt'
	ping -6 -n -c2 -i 0.2 -W2 fd00::2 >'$WORK/ping.txt' 2>&1 || exit 91
	ping -6 -n -c2 -i 0.2 -W2 2001:db8::1 >'$WORK/ping_far.txt' 2>&1 || exit 92
	ping -6 -n -c1 -W2 -t 1 2001:db8::1 >'$WORK/ping_hop1.txt' 2>&1
	ping -6 -n -c1 -W2 2001:db8:ffff::1 >'$WORK/ping_noroute.txt' 2>&1
	exec python3 '$WORK/cli.py' '$WORK'" >"$WORK/client.log" 2>"$SERVE_LOG" &
RP=$!
for _ in $(seq 200); do [ -f "$WORK/listing.req" ] && break; sleep 0.05; done
kill -USR1 "$(grep -o 'pid [0-9]*' "$SERVE_LOG" | head -1 | awk '{print $2}')"
sleep 0.1
HOST_SS=$(ss -Htn state established '( dport = :9300 )')
touch "$WORK/ss.done"
wait $RP
rc=$?
cat "$WORK/client.log"
[ $rc != 91 ] || fail "ping -6 fd00::2 failed: $(cat "$WORK/ping.txt")"
[ $rc != 92 ] || fail "ping -6 2001:db8::1 (relayed) failed: $(cat "$WORK/ping_far.txt")"
[ $rc = 0 ] || fail "$rc checks failed inside (exit status $rc)"
grep -q 'inet6 fd00::100/64 scope global' "$WORK/addr.txt" || fail "no fd00::100/64 inside: $(cat "$WORK/addr.txt")"
echo "ok   fd00::100/64 inside; ping -6 fd00::2: $(grep -c 'bytes from fd00::2' "$WORK/ping.txt") replies, 2001:db8::1 (relayed): $(grep -c 'bytes from 2001:db8::1' "$WORK/ping_far.txt")"
grep -q '^From fd00::2 icmp_seq=1 Time exceeded: Hop limit' "$WORK/ping_hop1.txt" ||
	fail "hop limit 1: $(cat "$WORK/ping_hop1.txt")"
grep -q '^From fd00::2 icmp_seq=1 Destination unreachable: No route' "$WORK/ping_noroute.txt" ||
	fail "no route: $(cat "$WORK/ping_noroute.txt")"
echo "ok   ping -6 -t 1: $(grep -m1 '^From' "$WORK/ping_hop1.txt"); no route: $(grep -m1 '^From' "$WORK/ping_noroute.txt")"
sort "$WORK/up.sha" >"$WORK/a"; sort "$WORK/up_sent.sha" >"$WORK/b"
cmp -s "$WORK/a" "$WORK/b" && [ "$(wc -l <"$WORK/a")" = 2 ] || fail "the server's uploads differ from what was sent"
echo "ok   3 MB up intact twice"
grep -q '^tcp \[fd00::100\]:[0-9]* -> \[fd00::2\]:9300 (host \[::1\]:9300)  ns ESTABLISHED' "$SERVE_LOG" ||
	fail "the listing does not show the IPv6 flow: $(grep -A3 'tcp flows' "$SERVE_LOG")"
echo "ok   listing: $(grep -m1 '^tcp \[fd00::100\]' "$SERVE_LOG")"
echo "$HOST_SS" | grep -q '\[::1\]:[0-9]* *\[::1\]:9300' || fail "ss on the host: '$HOST_SS'"
echo "ok   host: $(echo "$HOST_SS" | grep -m1 '\[::1\]:9300' | tr -s ' ')"
[ "$(relay_counter Flows6Opened)" -ge 4 ] && [ "$(relay_counter FlowsRefused)" -ge 1 ] && [ "$(relay_counter FlowsUnreachable)" -ge 1 ] &&
	[ "$(relay_counter Icmp6EchoToGw)" = 2 ] || fail "counters: $(grep '^relay:' "$SERVE_LOG" | tail -1)"
echo "ok   counters: Flows6Opened $(relay_counter Flows6Opened) FlowsRefused $(relay_counter FlowsRefused) FlowsUnreachable $(relay_counter FlowsUnreachable) Icmp6EchoToGw $(relay_counter Icmp6EchoToGw)"

timeout 20 "$GT" relay --no-ipv6 --quiet --dns none -- ip -6 addr show dev gt0 >"$WORK/addr2.txt" 2>&1 || fail "--no-ipv6: exit $?"
! grep -q 'fd00::100' "$WORK/addr2.txt" || fail "--no-ipv6 still gave the address"
echo "ok   --no-ipv6: no fd00::100"

# --netns into a namespace whose IPv6 is off: the relay says so and goes on
# with IPv4.
unshare -n sh -c 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; exec sleep 30' &
NSP=$!
PIDS+=($NSP)
wait_netns $NSP sleep
timeout 20 "$GT" relay --dns none --netns /proc/$NSP/ns/net -- python3 -c "
import socket
s = socket.create_connection(('10.0.2.2', 9300), timeout=5); s.shutdown(socket.SHUT_WR)
n = 0
while True:
    b = s.recv(65536)
    if not b: break
    n += len(b)
assert n == 3 << 20, n" >"$WORK/v6off.out" 2>"$WORK/v6off.log" || fail "--netns without IPv6: exit $?: $(cat "$WORK/v6off.log")"
grep -q 'no IPv6 inside: giving the device its IPv6 address' "$WORK/v6off.log" || fail "no word of IPv6 being off: $(cat "$WORK/v6off.log")"
echo "ok   --netns with IPv6 off: $(grep -o 'no IPv6 inside.*' "$WORK/v6off.log"); IPv4 relayed"
pass "TCP and ping over IPv6 through the relay"
