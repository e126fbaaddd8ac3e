#!/usr/bin/env bash
# glasstcp relay with 5,000 TCP flows open at once. The test's private
# namespace (lib.sh) plays the host with an echo server on its loopback;
# the relay's COMMAND opens 5,000 connections to it (250 at a time), sends
# each its number and checks its echo, and holds them all open while the
# host is looked at: 5,000 established connections from the relay to the
# server (ss), the relay's peak flow count and its resident memory. Then it
# closes them all; within 10 s none is left on the host but the relay's
# TIME-WAIT (the namespace closed first, docs/relay.md).
#
# Network safety: the only addresses used are the relayed namespace's
# (10.0.2.0/24) and the host namespace's loopback.
. "$(dirname "$0")/lib.sh"
need python3 ss
enter_netns "$@"
N=${RELAY_MANY_FLOWS:-5000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((N + 1000)) ] ||
	skip "the descriptor limit $(ulimit -n) is below $((N + 1000))"

cat >"$WORK/echo.py" <<'PY'
import os, selectors, socket, sys
sel = selectors.DefaultSelector()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 9501))
s.listen(4096)
s.setblocking(False)
sel.register(s, selectors.EVENT_READ)
open(os.path.join(sys.argv[1], "ready"), "w").close()
while True:
    for key, _ in sel.select():
        if key.fileobj is s:
            while True:
                try:
                    c, _ = s.accept()
                except BlockingIOError:
                    break
                c.setblocking(False)
                sel.register(c, selectors.EVENT_READ)
        else:
            c = key.fileobj
            try:
                b = c.recv(4096)
            except OSError:
                b = b""
            if b:
                c.send(b)
            else:
                sel.unregister(c)
                c.close()
PY
cat >"$WORK/client.py" <<'PY'
import os, selectors, socket, sys, time
out, n = sys.argv[1], int(sys.argv[2])
sel = selectors.DefaultSelector()
socks, got, wave = [], {}, 250
t0 = time.monotonic()
for start in range(0, n, wave):
    pend = []
    for i in range(start, min(n, start + wave)):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("10.0.2.2", 9501))
        sel.register(s, selectors.EVENT_WRITE, i)
        pend.append(s)
    left, end = len(pend), time.monotonic() + 20
    while left and time.monotonic() < end:
        for key, ev in sel.select(1):
            s, i = key.fileobj, key.data
            if ev & selectors.EVENT_READ:  # an echo of an earlier connection
                got[i] = s.recv(64)
                continue
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                print("FAIL connect %d: errno %d" % (i, err)); sys.exit(1)
            s.send(b"%08d" % i)
            sel.modify(s, selectors.EVENT_READ, i)
            left -= 1
    if left:
        print("FAIL %d connects of wave %d did not finish" % (left, start)); sys.exit(1)
    socks += pend
end = time.monotonic() + 30
while len(got) < n and time.monotonic() < end:
    for key, ev in sel.select(1):
        got[key.data] = key.fileobj.recv(64)
        sel.unregister(key.fileobj)
bad = [i for i in range(n) if got.get(i) != b"%08d" % i]
print("%s open: %d connections, %d echoes right, %.1f s" % ("ok  " if not bad else "FAIL", n, n - len(bad), time.monotonic() - t0))
if bad:
    sys.exit(1)
open(os.path.join(out, "all_open"), "w").close()
end = time.monotonic() + 30
while not os.path.exists(os.path.join(out, "checked")) and time.monotonic() < end:
    time.sleep(0.05)
for s in socks:
    s.close()
time.sleep(0.5)
PY

python3 "$WORK/echo.py" "$WORK" >"$WORK/echo.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -f "$WORK/ready" ] && break; sleep 0.05; done
[ -f "$WORK/ready" ] || fail "the echo server did not start: $(cat "$WORK/echo.log")"

SERVE_LOG=$WORK/relay.log
"$GT" relay --dns none --time-limit 150 -- python3 "$WORK/client.py" "$WORK" $N >"$WORK/client.log" 2>"$SERVE_LOG" &
RLP=$!
PIDS+=($RLP)
for _ in $(seq 1200); do [ -f "$WORK/all_open" ] || ! kill -0 $RLP 2>/dev/null && break; sleep 0.05; done
cat "$WORK/client.log"
[ -f "$WORK/all_open" ] || fail "the flows did not all open"
est=$(ss -Htan state established '( dport = :9501 )' | wc -l)
rss=$(awk '/^VmRSS/ {print $2}' /proc/$RLP/status)
[ "$est" = "$N" ] || fail "the host shows $est established connections from the relay, want $N"
echo "ok   host: $est established connections from the relay to the server; the relay's RSS ${rss} kB"
touch "$WORK/checked"
rc=0; wait $RLP || rc=$?
[ $rc = 0 ] || fail "the relay exited $rc"
cnt() { grep '^relay:' "$SERVE_LOG" | tail -1 | grep -o " $1 [0-9]*" | awk '{print $2}'; }
[ "$(cnt FlowsPeak)" -ge "$N" ] && [ "$(cnt FlowsEstablished)" = "$N" ] && [ "$(cnt FlowLimitHit)" = 0 ] &&
	[ "$(cnt FlowSocketErrors)" = 0 ] || fail "counters: $(grep '^relay:' "$SERVE_LOG" | tail -1)"
for _ in $(seq 200); do
	left=$(ss -Htan '( dport = :9501 or sport = :9501 )' | grep -vc '^LISTEN\|^TIME-WAIT')
	[ "$left" = 0 ] && break
	sleep 0.05
done
[ "$left" = 0 ] || fail "$left sockets of the flows left on the host: $(ss -Htan '( dport = :9501 )' | grep -v TIME-WAIT | head -3)"
echo "ok   closed: FlowsPeak $(cnt FlowsPeak), FlowsEstablished $(cnt FlowsEstablished), NsClosedFirst $(cnt NsClosedFirst); nothing left on the host but $(ss -Htan state time-wait '( dport = :9501 )' | wc -l) TIME-WAIT"
pass "relay: $N concurrent flows opened, echoed, held and closed"
