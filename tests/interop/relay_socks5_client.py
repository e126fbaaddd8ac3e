#!/usr/bin/env python3
"""The namespace side of relay_socks5.sh, run by `glasstcp relay --socks5 ...
-- python3 relay_socks5_client.py CHECK...`: each check prints 'ok NAME: ...'
or 'FAIL NAME: ...'; the exit status is the number of failures.
Destinations: the gateway 10.0.2.2 (the host's 127.0.0.1, here reached
through the proxy) and 192.0.2.1 (TEST-NET-1), which the host namespace,
where the proxy runs, has no route to.

  sized        3 MB up (length-prefixed), the server's sha256 and 1 MB back
  banner       20 connections to a server that speaks first and closes
  refused      a closed port: the proxy's REP 0x05 -> ECONNREFUSED at once
  unreachable  192.0.2.1: the proxy's REP 0x03 -> ENETUNREACH at once (ICMP)
  fake         against relay_socks5_fake.py: REP 0x04 -> EHOSTUNREACH, REP
               0x01 -> ECONNREFUSED, the far side's first bytes in the reply's
               own write (domain-name and IPv6 BND.ADDR) arrive and the flow
               echoes, no reply -> EHOSTUNREACH after the relay's timeout, not
               SOCKS5 -> ECONNREFUSED
  denied       the proxy refuses us (credentials, or no proxy at all): an
               open port still fails at once with ECONNREFUSED (RST)
"""
import hashlib
import os
import socket
import struct
import sys
import time

import relay_common
from relay_common import pattern, report

GW = "10.0.2.2"
PORT_REFUSED, PORT_BANNER, PORT_SIZED = 9003, 9005, 9006
REPLY_BYTES = 1 << 20


def sized():
    data = os.urandom(3 << 20)
    s = socket.create_connection((GW, PORT_SIZED), timeout=20)
    s.sendall(struct.pack(">Q", len(data)) + data)
    got = bytearray()
    while True:
        b = s.recv(1 << 16)
        if not b:
            break
        got += b
    s.close()
    line, _, rest = bytes(got).partition(b"\n")
    digest, n = line.decode().split()
    want = hashlib.sha256(data).hexdigest()
    report(digest == want and int(n) == len(data), "upload_intact",
           "%d bytes up through the proxy, server's sha256 %s" %
           (len(data), "matches" if digest == want else "DIFFERS"))
    report(rest == pattern(REPLY_BYTES), "download_intact",
           "%d of %d bytes back%s" % (len(rest), REPLY_BYTES,
                                      "" if rest == pattern(REPLY_BYTES) else " (wrong bytes)"))


def banner():
    # The server's line may reach the relay in the same read as the
    # proxy's CONNECT reply: the relay must read the reply only.
    got = 0
    for _ in range(20):
        s = socket.create_connection((GW, PORT_BANNER), timeout=5)
        data = b""
        try:
            while True:
                b = s.recv(100)
                if not b:
                    break
                data += b
        except OSError:
            pass
        got += data == b"banner from the host\n"
        s.close()
    report(got == 20, "server_first", "%d of 20 banners sent at accept arrived" % got)


def connect_error(addr):
    t0 = time.monotonic()
    s = socket.socket()
    s.settimeout(10)
    err = None
    try:
        s.connect(addr)
    except OSError as e:
        err = e
    dt = time.monotonic() - t0
    s.close()
    return err, dt


def refused():
    err, dt = connect_error((GW, PORT_REFUSED))
    ok = isinstance(err, ConnectionRefusedError) and dt < 0.5
    report(ok, "refused", "closed port through the proxy: %r after %.1f ms" % (err, dt * 1000))


def unreachable():
    err, dt = connect_error(("192.0.2.1", 80))
    ok = isinstance(err, OSError) and getattr(err, "errno", 0) in (101, 113) and dt < 0.5
    report(ok, "unreachable", "a host the proxy cannot route to: %r after %.1f ms" % (err, dt * 1000))


def denied():
    err, dt = connect_error((GW, PORT_SIZED))
    ok = isinstance(err, ConnectionRefusedError) and dt < 0.5
    report(ok, "denied", "an open port, the proxy refusing us: %r after %.1f ms" % (err, dt * 1000))


def fake():
    first = b"first bytes with the reply\n"
    for port, want in ((7001, 113), (7002, 111), (7005, 111)):
        err, dt = connect_error((GW, port))
        ok = getattr(err, "errno", 0) == want and dt < 0.5
        report(ok, "fake_%d" % port, "want errno %d at once: %r after %.1f ms" % (want, err, dt * 1000))
    for port in (7003, 7006):
        s = socket.create_connection((GW, port), timeout=5)
        got = b""
        while len(got) < len(first):
            b = s.recv(100)
            if not b:
                break
            got += b
        s.sendall(b"echo me\n")
        back = b""
        while len(back) < 8:
            b = s.recv(100)
            if not b:
                break
            back += b
        s.close()
        report(got == first and back == b"echo me\n", "fake_%d" % port,
               "bytes after the reply %r, echo %r" % (got, back))
    err, dt = connect_error((GW, 7004))
    ok = getattr(err, "errno", 0) == 113 and 0.2 < dt < 2
    report(ok, "fake_7004", "no reply: %r after %.1f ms (the relay's 300 ms timeout)" % (err, dt * 1000))


CHECKS = {f.__name__: f for f in (sized, banner, refused, unreachable, fake, denied)}
for name in sys.argv[1:]:
    try:
        CHECKS[name]()
    except Exception as e:  # a check that throws fails, the others still run
        report(False, name, "raised %r" % (e,))
sys.exit(relay_common.failures)
