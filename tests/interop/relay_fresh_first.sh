#!/usr/bin/env bash
# glasstcp relay: a late FIN waits for a new flow's first byte (tcp_flow.c,
# defer_fin(), relay_tcp_late_ready()). A client that closes and connects
# again at once puts its FIN and its next SYN into the device together; the
# FIN's shutdown() waits for an idle moment (interop.relay_late_fin), and
# the first such moment was the one after the next SYN-ACK, while the
# namespace's client wakes to send its request: the shutdown() woke the
# server there, and the old connection's EOF, FIN and close() went before
# the new connection's request. Now the FIN also waits (--late-us, 1 ms, at
# the latest) until every flow opened since has moved its first byte.
#
# Seen from the echo server on the host's loopback, which logs, in the
# order its epoll reports them, each connection's request and EOF (a
# request that came with the accept() as it is accepted): 30
# connections, each opened before the one before it is closed (connect
# k, close k-1, a 200 us pause, 1 byte each way on k), so that k-1's FIN
# comes while k is new, and the pause gives the relay an idle moment
# before k's request every time. Connection k's request must reach
# the server before connection k-1's EOF for at least half of them (before
# the change: 0-2 of 29). The relay runs with --late-us 200000 so that the
# 1 ms bound (LateAtDeadline), which a client descheduled on a loaded CI
# machine outlasts, never decides the order under test; every FIN is still passed on (FinsFromNs 30) and every echo
# came back (the client checks).
#
# Network safety: the relayed namespace (10.0.2.0/24) and the loopback of
# the test's own namespace only.
. "$(dirname "$0")/lib.sh"
need python3 ss
enter_netns "$@"

N=30
PORT=9702
python3 -c "
import selectors, socket, sys
sel = selectors.EpollSelector()
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(('127.0.0.1', int(sys.argv[1]))); ls.listen(64); ls.setblocking(False)
sel.register(ls, selectors.EVENT_READ, None)
log = open(sys.argv[2], 'w', buffering=1)
n = 0
while True:
    for key, _ in sel.select():
        if key.data is None:
            c, _ = ls.accept(); c.setblocking(False)
            sel.register(c, selectors.EVENT_READ, n); n += 1
            try:  # the request may come with the accept (interop.relay_ack_with_request)
                b = c.recv(100)
            except BlockingIOError:
                continue
            if b:
                c.sendall(b); log.write('req %d\n' % (n - 1))
            continue
        b = key.fileobj.recv(100)
        if b:
            key.fileobj.sendall(b); log.write('req %d\n' % key.data)
        else:
            sel.unregister(key.fileobj); key.fileobj.close(); log.write('eof %d\n' % key.data)
" "$PORT" "$WORK/order" &
PIDS+=($!)
for _ in $(seq 100); do ss -Htln | grep -q "127.0.0.1:$PORT " && break; sleep 0.05; done

SERVE_LOG=$WORK/relay.log
timeout 90 "$GT" relay --dns none --late-us 200000 -- python3 -c "
import socket, time
prev = None
for i in range($N):
    s = socket.create_connection(('10.0.2.2', $PORT), timeout=5)
    if prev:
        prev.close()
    time.sleep(0.0002)
    s.sendall(b'Q')
    assert s.recv(1) == b'Q'
    prev = s
prev.close()" 2>"$SERVE_LOG" || fail "the relay or its command failed: exit $?"
for _ in $(seq 50); do [ "$(grep -c '^eof' "$WORK/order")" -ge $N ] && break; sleep 0.05; done

python3 - "$WORK/order" "$N" <<'PY' || fail "the previous connection's EOF reached the server before the next request (above)"
import sys
at = {}
for i, ln in enumerate(open(sys.argv[1]).read().split('\n')):
    if ln:
        at[tuple(ln.split())] = i
n = int(sys.argv[2])
first = sum(1 for k in range(1, n) if ('req', str(k)) in at and ('eof', str(k - 1)) in at
            and at[('req', str(k))] < at[('eof', str(k - 1))])
seen = sum(1 for k in range(n) if ('req', str(k)) in at and ('eof', str(k)) in at)
print("%d connections whole; connection k's request before k-1's EOF at the server: %d of %d" % (seen, first, n - 1))
sys.exit(0 if seen == n and first >= n // 2 else 1)
PY
fins=$(relay_counter FinsFromNs)
[ "${fins:-0}" -eq $N ] || fail "FinsFromNs ${fins:-?}, want $N"
pass "each new connection's request reached the server before the last one's EOF (FinsFromNs $fins, LateAtDeadline $(relay_counter LateAtDeadline))"
