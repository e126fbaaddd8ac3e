#!/usr/bin/env python3
"""The namespace side of relay_forward.sh, run by `glasstcp relay -t ... --
python3 relay_fwd_ns.py OUTDIR`: servers on the namespace's 10.0.2.100,
reached only through the relay's forwarded ports. Each writes what it saw
to OUTDIR when the host's client cannot see it. Runs until OUTDIR/stop
appears (at most 60 s).

  8080  SIZED   an 8-byte length and that many bytes; answers their sha256
                and REPLY_BYTES of pattern; closes after the client does
  8081  HALF    reads to EOF (the client's shutdown(SHUT_WR)), answers the
                sha256, 0.3 s later REPLY_BYTES more, then closes
  8082  BANNER  a line at once, then closes first
  8083  RST     reads a line, closes with SO_LINGER {1,0}
  8084  PEER    reads until the client's RST; OUTDIR/ns_peer.txt: reset or eof
  8090-8092     each answers "port N" and closes
  (8099: nothing listens)

OUTDIR/ns_ready when listening; OUTDIR/ns_peers.txt: each client's address.
"""
import hashlib
import os
import socket
import struct
import sys
import threading
import time

from relay_common import listings, pattern, wait_listing

REPLY_BYTES = 1 << 20
OUT = sys.argv[1]


def note(name, line):
    with open(os.path.join(OUT, name), "a") as f:
        f.write(line + "\n")


def recv_exact(c, n):
    got = bytearray()
    while len(got) < n:
        b = c.recv(min(65536, n - len(got)))
        if not b:
            break
        got += b
    return bytes(got)


def sized(c):
    n = struct.unpack(">Q", recv_exact(c, 8))[0]
    h = hashlib.sha256()
    left = n
    while left:
        b = c.recv(min(65536, left))
        if not b:
            break
        h.update(b)
        left -= len(b)
    c.sendall(("%s %d\n" % (h.hexdigest(), n - left)).encode())
    c.sendall(pattern(REPLY_BYTES))
    while c.recv(65536):  # the client closes first
        pass


def half(c):
    h = hashlib.sha256()
    n = 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        h.update(b)
        n += len(b)
    # The host's client lists the relay's flows (SIGUSR1) once it has the
    # digest: the rest waits until the listing is in the relay's log
    # (relay_forward.sh: OUTDIR/relay.log).
    log = os.path.join(OUT, "relay.log")
    before = listings(log)
    c.sendall(("%s %d\n" % (h.hexdigest(), n)).encode())
    wait_listing(log, before)
    c.sendall(pattern(REPLY_BYTES))


def banner(c):
    c.sendall(b"banner from the namespace\n")


def rst(c):
    c.recv(100)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def peer(c):
    what = "eof"
    try:
        while c.recv(65536):
            pass
    except ConnectionResetError:
        what = "reset"
    note("ns_peer.txt", what)


def portnum(port):
    return lambda c: c.sendall(b"port %d\n" % port)


def serve(port, fn):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("10.0.2.100", port))
    s.listen(16)

    def loop():
        while True:
            c, addr = s.accept()
            note("ns_peers.txt", "%s:%d -> %d" % (addr[0], addr[1], port))

            def one(c=c):
                try:
                    fn(c)
                except OSError:
                    pass
                c.close()
            threading.Thread(target=one, daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()


servers = {8080: sized, 8081: half, 8082: banner, 8083: rst, 8084: peer}
for p in (8090, 8091, 8092):
    servers[p] = portnum(p)
for p, fn in servers.items():
    serve(p, fn)
open(os.path.join(OUT, "ns_ready"), "w").close()
deadline = time.monotonic() + 60
while not os.path.exists(os.path.join(OUT, "stop")) and time.monotonic() < deadline:
    time.sleep(0.05)
