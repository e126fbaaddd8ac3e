#!/usr/bin/env python3
"""The host side of relay_forward.sh: clients in the test's outer namespace
connecting to the relay's forwarded ports on 127.0.0.1, which lead to
relay_fwd_ns.py's servers inside. Each check prints 'ok NAME: ...' or
'FAIL NAME: ...'; the exit status is the number of failures.

Usage: relay_fwd_client.py RELAY_PID OUTDIR
"""
import hashlib
import os
import signal
import socket
import struct
import sys
import time

import relay_common
from relay_common import pattern, report

REPLY_BYTES = 1 << 20
RELAY_PID, OUT = int(sys.argv[1]), sys.argv[2]


def read_to_eof(s):
    got = bytearray()
    while True:
        b = s.recv(1 << 16)
        if not b:
            return bytes(got)
        got += b


def check_reply(name, data, got):
    line, _, rest = got.partition(b"\n")
    digest, n = line.decode().split()
    want = hashlib.sha256(data).hexdigest()
    report(digest == want and int(n) == len(data), name + "_up",
           "%d bytes in, the namespace's sha256 %s" % (len(data), "matches" if digest == want else "DIFFERS"))
    report(rest == pattern(REPLY_BYTES), name + "_down",
           "%d of %d bytes out%s" % (len(rest), REPLY_BYTES, "" if rest == pattern(REPLY_BYTES) else " (wrong bytes)"))


def sized():
    # Host port 18080 -> the namespace's 8080; the client closes first.
    data = os.urandom(3 << 20)
    s = socket.create_connection(("127.0.0.1", 18080), timeout=20)
    s.sendall(struct.pack(">Q", len(data)) + data)
    got = bytearray()
    while len(got) < 64 + 1 + 8 + REPLY_BYTES:
        b = s.recv(1 << 16)
        if not b:
            break
        got += b
        if b"\n" in got and len(got.partition(b"\n")[2]) >= REPLY_BYTES:
            break
    s.close()
    check_reply("sized", data, bytes(got))


def half_close():
    # 127.0.0.1/8081: after our shutdown(SHUT_WR) the namespace still sends.
    data = os.urandom(2 << 20)
    s = socket.create_connection(("127.0.0.1", 8081), timeout=20)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while b"\n" not in got:
        b = s.recv(1 << 16)
        if not b:
            break
        got += b
    os.kill(RELAY_PID, signal.SIGUSR1)  # the listing: half-closed, the host's FIN first
    got += read_to_eof(s)
    s.close()
    check_reply("half_close", data, got)


def banner():
    # The namespace's server closes first, five times.
    ok = 0
    for _ in range(5):
        s = socket.create_connection(("127.0.0.1", 8082), timeout=5)
        ok += read_to_eof(s) == b"banner from the namespace\n"
        s.close()
    report(ok == 5, "ns_closes_first", "%d of 5 banners, each followed by the namespace's FIN" % ok)


def ns_reset():
    s = socket.create_connection(("127.0.0.1", 8083), timeout=5)
    s.sendall(b"hello\n")
    err = None
    try:
        read_to_eof(s)
    except OSError as e:
        err = e
    s.close()
    report(isinstance(err, ConnectionResetError), "ns_rst",
           "the namespace's SO_LINGER {1,0} close reached the host client as %r" % (err,))


def client_reset():
    s = socket.create_connection(("127.0.0.1", 8084), timeout=5)
    s.sendall(b"x" * 1000)
    time.sleep(0.2)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    path = os.path.join(OUT, "ns_peer.txt")
    # The server's note() creates the file, then writes its line: wait for
    # the whole line, not the file (under ASan the client read it empty
    # between the two).
    what = "nothing"
    for _ in range(40):
        if os.path.exists(path):
            text = open(path).read()
            if text.endswith("\n"):
                what = text.strip()
                break
        time.sleep(0.05)
    report(what == "reset", "client_rst", "the namespace's server saw %s" % what)


def port_range():
    got = []
    for p in (8090, 8091, 8092):
        s = socket.create_connection(("127.0.0.1", p), timeout=5)
        got.append(read_to_eof(s))
        s.close()
    want = [b"port %d\n" % p for p in (8090, 8091, 8092)]
    report(got == want, "range", "8090-8092 answered %r" % (got,))


def refused():
    # 18099 -> 8099, where nothing listens in the namespace: the host's
    # connect completes (the relay accepted), then the client is reset,
    # often before connect() has returned: it fails with ECONNRESET then.
    t0 = time.monotonic()
    err = None
    s = socket.socket()
    s.settimeout(5)
    try:
        s.connect(("127.0.0.1", 18099))
        read_to_eof(s)
    except OSError as e:
        err = e
    dt = time.monotonic() - t0
    s.close()
    report(isinstance(err, ConnectionResetError) and dt < 0.5, "refused",
           "a closed port in the namespace: %r after %.1f ms" % (err, dt * 1000))


for check in (sized, half_close, banner, ns_reset, client_reset, port_range, refused):
    try:
        check()
    except Exception as e:  # a check that throws fails, the others still run
        report(False, check.__name__, "raised %r" % (e,))
sys.exit(relay_common.failures)
