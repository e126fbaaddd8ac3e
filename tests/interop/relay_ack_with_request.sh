#!/usr/bin/env bash
# glasstcp relay: the host connect's last handshake ACK goes with the first
# request (tcp_flow.c, host_socket(): TCP_DEFER_ACCEPT on the connecting
# socket, Linux's tcp_rcv_synsent_state_process() "Save one ACK"), so the
# far server's accept() and its first read come in one wakeup; a server
# that speaks first still sees the connection, --late-us (1 ms) after the
# namespace's handshake (TCP_QUICKACK: relay_tcp_fresh_expire()).
#
# An epoll server on the host's loopback notes, at each accept(), whether
# the request is readable already (a peek). 20 connections one after
# another (connect, a 200 us pause, 1 byte each way, close): the request
# must be there at accept() for every connection whose ACK the relay did
# not send at --late-us (HostAcksForced, less the banner's below): a
# client descheduled past the 1 ms on a loaded machine has its ACK sent
# before its request, and the server accepts first (1-2 of 20 beside three
# busy loops, the ASan build, each one forced). Before the change the
# server accepted at the relay's connect(), before the SYN was answered:
# 0 of 20 with the request. HostAcksHeld 21. Only a relay stalled for
# the kernel's own 200 ms (TCP_DELACK_MAX, tcp_rcv_synsent_state_process())
# would let an ACK go uncounted. Then a server that speaks first (a banner
# at accept(), port 9704): the namespace's client gets the banner without
# sending anything, and HostAcksForced counts the ACK sent for it.
#
# Network safety: the relayed namespace (10.0.2.0/24) and the loopback of
# the test's own namespace only.
. "$(dirname "$0")/lib.sh"
need python3 ss
enter_netns "$@"

N=20
python3 -c "
import selectors, socket, sys
sel = selectors.EpollSelector()
log = open(sys.argv[1], 'w', buffering=1)
for port in (9703, 9704):
    ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(('127.0.0.1', port)); ls.listen(64); ls.setblocking(False)
    sel.register(ls, selectors.EVENT_READ, port)
while True:
    for key, _ in sel.select():
        if key.data in (9703, 9704):
            c, _ = key.fileobj.accept(); c.setblocking(False)
            if key.data == 9704:
                c.sendall(b'220 hello\n'); log.write('banner\n')
            else:
                try:
                    ready = len(c.recv(1, socket.MSG_PEEK)) > 0
                except BlockingIOError:
                    ready = False
                log.write('accept %s\n' % ('with-request' if ready else 'before-request'))
            sel.register(c, selectors.EVENT_READ, 'c')
            continue
        b = key.fileobj.recv(100)
        if b:
            key.fileobj.sendall(b)
        else:
            sel.unregister(key.fileobj); key.fileobj.close()
" "$WORK/accepts" &
PIDS+=($!)
for _ in $(seq 100); do ss -Htln | grep -q "127.0.0.1:9704 " && break; sleep 0.05; done

SERVE_LOG=$WORK/relay.log
timeout 90 "$GT" relay --dns none -- python3 -c "
import socket, time
for i in range($N):
    s = socket.create_connection(('10.0.2.2', 9703), timeout=5)
    time.sleep(0.0002)
    s.sendall(b'Q')
    assert s.recv(1) == b'Q'
    s.close()
t0 = time.monotonic()
s = socket.create_connection(('10.0.2.2', 9704), timeout=5)
assert s.recv(100) == b'220 hello\n'
print('banner after %.1f ms' % ((time.monotonic() - t0) * 1e3))
s.close()" >"$WORK/client.out" 2>"$SERVE_LOG" || fail "the relay or its command failed: exit $?"

with=$(grep -c 'with-request' "$WORK/accepts")
before=$(grep -c 'before-request' "$WORK/accepts")
held=$(relay_counter HostAcksHeld)
forced=$(relay_counter HostAcksForced)
echo "accept() with the request: $with, before it: $before; HostAcksHeld $held, HostAcksForced $forced; $(cat "$WORK/client.out")"
[ $((with + before)) -eq $N ] || fail "the server accepted $((with + before)) connections, want $N"
[ "${held:-0}" -eq $((N + 1)) ] || fail "HostAcksHeld ${held:-?}, want $((N + 1))"
[ "${forced:-0}" -ge 1 ] || fail "HostAcksForced ${forced:-?}: the banner connection's ACK was not sent by the relay"
[ "$before" -le $((forced - 1)) ] ||
	fail "the server accepted $before of $N before the request, and the relay sent only $((forced - 1)) of their ACKs at --late-us (HostAcksForced $forced, one the banner's)"
grep -q '^banner after' "$WORK/client.out" || fail "no banner"
pass "the request came with accept() for $with of $N; a server that speaks first was reached (HostAcksForced $forced)"
