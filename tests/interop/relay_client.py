#!/usr/bin/env python3
"""The namespace side of relay_basic.sh, run by `glasstcp relay -- python3
relay_client.py`: each check prints 'ok NAME: ...' or 'FAIL NAME: ...'; the
exit status is the number of failures. Destinations are named explicitly:
the gateway 10.0.2.2 (the host's 127.0.0.1), the resolver 10.0.2.3, and
192.0.2.1 (TEST-NET-1), which the host namespace has no route to.
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

GW, DNS = "10.0.2.2", "10.0.2.3"
PORT_HALF, PORT_RST, PORT_REFUSED, PORT_PEER, PORT_BANNER = 9001, 9002, 9003, 9004, 9005
HALF_REPLY_BYTES = 1 << 20


def half_close():
    data = os.urandom(3 << 20)
    s = socket.create_connection((GW, PORT_HALF), timeout=10)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while b"\n" not in got:
        b = s.recv(1 << 16)
        if not b:
            break
        got += b
    # The server answered our FIN: the relay's listing now shows the flow
    # half-closed, the namespace's FIN first (the server waits until the
    # listing is in the relay's log).
    os.kill(os.getppid(), signal.SIGUSR1)
    while True:
        b = s.recv(1 << 16)
        if not b:
            break
        got += b
    s.close()
    line, _, rest = got.partition(b"\n")
    digest, n = line.decode().split()
    want = hashlib.sha256(data).hexdigest()
    report(digest == want and int(n) == len(data), "upload_intact",
           "%d bytes up, server's sha256 %s" % (len(data), "matches" if digest == want else "DIFFERS"))
    report(rest == pattern(HALF_REPLY_BYTES), "half_close",
           "after our shutdown(SHUT_WR) the server still sent %d of %d bytes%s" %
           (len(rest), HALF_REPLY_BYTES, "" if rest == pattern(HALF_REPLY_BYTES) else " (wrong bytes)"))


def refused():
    t0 = time.monotonic()
    s = socket.socket()
    s.settimeout(10)
    err = None
    try:
        s.connect((GW, PORT_REFUSED))
    except OSError as e:
        err = e
    dt = time.monotonic() - t0
    s.close()
    ok = isinstance(err, ConnectionRefusedError) and dt < 0.5
    report(ok, "refused", "connect to a closed port: %r after %.1f ms" % (err, dt * 1000))


def server_reset():
    s = socket.create_connection((GW, PORT_RST), timeout=10)
    s.sendall(b"hello\n")
    err = None
    try:
        while s.recv(65536):
            pass
    except OSError as e:
        err = e
    s.close()
    report(isinstance(err, ConnectionResetError), "server_rst",
           "the server's SO_LINGER {1,0} close reached us as %r" % (err,))


def client_reset():
    s = socket.create_connection((GW, PORT_PEER), timeout=10)
    s.sendall(b"x" * 1000)
    time.sleep(0.2)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    report(True, "client_rst_sent", "closed with SO_LINGER {1,0} (the server reports what it saw)")


def unreachable():
    t0 = time.monotonic()
    s = socket.socket()
    s.settimeout(10)
    err = None
    try:
        s.connect(("192.0.2.1", 80))
    except OSError as e:
        err = e
    dt = time.monotonic() - t0
    s.close()
    ok = isinstance(err, OSError) and getattr(err, "errno", 0) in (101, 113) and dt < 0.5
    report(ok, "unreachable", "connect to a host the host cannot route to: %r after %.1f ms" %
           (err, dt * 1000))


def banner():
    # The server speaks first and closes first, 20 times: its line may come
    # with the host connect's completion, before the namespace's handshake
    # is done; its FIN makes the stack the first closer inside (TIME_WAIT).
    got = 0
    for _ in range(20):
        s = socket.create_connection((GW, PORT_BANNER), timeout=5)
        data = b""
        try:
            while True:  # to the server's FIN: it closes first
                b = s.recv(100)
                if not b:
                    break
                data += b
        except OSError:
            pass
        got += data == b"banner from the host\n"
        s.close()
    report(got == 20, "server_first", "%d of 20 banners sent at accept arrived" % got)


def dns():
    q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
    for label in b"relay.test".split(b"."):
        q += bytes([len(label)]) + label
    q += b"\x00" + struct.pack(">HH", 1, 1)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(3)
    u.sendto(q, (DNS, 53))
    try:
        r, peer = u.recvfrom(4096)
    except OSError as e:
        report(False, "dns", "no answer from %s:53: %r" % (DNS, e))
        return
    ok = r[:2] == b"\x12\x34" and r[-4:] == socket.inet_aton("192.0.2.53") and peer == (DNS, 53)
    report(ok, "dns", "A relay.test from %s:%d: %s" % (peer[0], peer[1], socket.inet_ntoa(r[-4:])))


for check in (half_close, refused, server_reset, client_reset, unreachable, banner, dns):
    try:
        check()
    except Exception as e:  # a check that throws fails, the others still run
        report(False, check.__name__, "raised %r" % (e,))
sys.exit(relay_common.failures)
