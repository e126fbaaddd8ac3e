#!/usr/bin/env python3
"""The namespace side of relay_close.sh (the relay's COMMAND): one client per
close case of relay_close_servers.py, each checking what the namespace's
application sees and, with `ss` inside the namespace, what its kernel holds;
it asks the relay for its listing (SIGUSR1 to its parent, the relay) while
a half-closed flow is half-closed. Prints 'ok NAME: ...' or 'FAIL NAME:
...'; the exit status is the number of failures.

Usage: relay_close_client.py OUTDIR RELAY_LOG
"""
import hashlib
import os
import signal
import socket
import struct
import sys
import time

import relay_common
from relay_common import listings, pattern, report, ss, ss_wait, states, wait_listing

GW = "10.0.2.2"
HOST_HALF, NS_HALF, NS_RST, HOST_RST, NS_UNREAD, HOST_UNREAD, TW_NS, TW_HOST, REFUSED = range(9101, 9110)
TW_ROUNDS = 5
OUT, RELAY_LOG = sys.argv[1], sys.argv[2]


def wait_host(name, timeout=5.0):
    path = os.path.join(OUT, "host." + name)
    end = time.monotonic() + timeout
    while not os.path.exists(path) and time.monotonic() < end:
        time.sleep(0.01)
    return os.path.exists(path)


def listing(name):
    """Asks the relay for its listing (SIGUSR1 to its parent) and waits until
    it is in the relay's log: the flow must not move on before."""
    before = listings(RELAY_LOG)
    os.kill(os.getppid(), signal.SIGUSR1)
    report(wait_listing(RELAY_LOG, before), name + "_listing", "the relay's listing printed while half-closed")


def connect(port):
    return socket.create_connection((GW, port), timeout=10)


def host_half():
    s = connect(HOST_HALF)
    got = bytearray()
    while True:
        b = s.recv(1 << 16)
        if not b:
            break
        got += b
    report(got == pattern(1 << 20), "host_half_down", "%d bytes, then the host's FIN" % len(got))
    rows, ok = ss_wait(HOST_HALF, lambda r: states(r) == ["CLOSE-WAIT"])
    report(ok, "host_half_ns_ss", "namespace after the host's FIN: %s" % (rows,))
    report(wait_host("host_half"), "host_half_sync", "the host side observed")
    listing("host_half")
    data = os.urandom(3 << 20)
    s.sendall(data)  # the direction still open keeps flowing
    s.close()
    end = time.monotonic() + 10
    path = os.path.join(OUT, "host_half.sha")
    while time.monotonic() < end and not (os.path.exists(path) and open(path).read().endswith("\n")):
        time.sleep(0.02)
    line = open(path).read().split() if os.path.exists(path) else ["?", "0"]
    report(line == [hashlib.sha256(data).hexdigest(), str(len(data))], "host_half_up",
           "after the host's FIN the namespace still sent %s of %d bytes%s" %
           (line[1], len(data), "" if line[0] == hashlib.sha256(data).hexdigest() else " (DIFFER)"))


def ns_half():
    s = connect(NS_HALF)
    data = os.urandom(1 << 20)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    rows, ok = ss_wait(NS_HALF, lambda r: states(r) == ["FIN-WAIT-2"])
    report(ok, "ns_half_ns_ss", "namespace after its FIN: %s" % (rows,))
    report(wait_host("ns_half"), "ns_half_sync", "the host side observed")
    listing("ns_half")
    open(os.path.join(OUT, "ns.ns_half"), "w").close()  # the server may send now
    got = bytearray()
    while True:
        b = s.recv(1 << 16)
        if not b:
            break
        got += b
    s.close()
    line, _, rest = bytes(got).partition(b"\n")
    report(line.decode() == "%s %d" % (hashlib.sha256(data).hexdigest(), len(data)), "ns_half_up",
           "the server's digest of our 1 MB: %s" % line[:20].decode(errors="replace"))
    report(rest == pattern(1 << 20), "ns_half_down",
           "after our FIN the server still sent %d bytes" % len(rest))


def ns_rst():
    s = connect(NS_RST)
    s.sendall(b"x" * 100)
    s.recv(100)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    rows = ss(NS_RST)
    report(rows == [], "ns_rst_ns_ss", "namespace after its reset: %s" % (rows or "none",))


def host_rst():
    s = connect(HOST_RST)
    s.sendall(b"x\n")
    err = None
    try:
        while s.recv(1 << 16):
            pass
    except OSError as e:
        err = e
    report(isinstance(err, ConnectionResetError), "host_rst_ns", "the server's reset reached us as %r" % (err,))
    rows = ss(HOST_RST)
    s.close()
    report(rows == [], "host_rst_ns_ss", "namespace after the reset: %s" % (rows or "none",))


def ns_unread():
    import fcntl
    import termios
    s = connect(NS_UNREAD)
    end = time.monotonic() + 5
    queued = 0
    while time.monotonic() < end and queued < 65536:
        queued = struct.unpack("i", fcntl.ioctl(s, termios.FIONREAD, b"\0\0\0\0"))[0]
        time.sleep(0.005)
    s.close()  # unread data: our kernel resets
    report(queued >= 65536, "ns_unread_queued", "%d bytes unread at close" % queued)
    rows, ok = ss_wait(NS_UNREAD, lambda r: r == [])
    report(ok, "ns_unread_ns_ss", "namespace after the close: %s" % (rows or "none",))


def host_unread():
    s = connect(HOST_UNREAD)
    s.sendall(b"v" * 65536)
    err = None
    try:
        while s.recv(1 << 16):
            pass
    except OSError as e:
        err = e
    s.close()
    report(isinstance(err, ConnectionResetError), "host_unread_ns",
           "the server closed with our 64 KB unread: we saw %r" % (err,))


def refused():
    times, errs = [], []
    for _ in range(20):
        s = socket.socket()
        s.settimeout(5)
        t0 = time.monotonic()
        try:
            s.connect((GW, REFUSED))
            errs.append("connected")
        except OSError as e:
            errs.append(type(e).__name__)
        times.append((time.monotonic() - t0) * 1000)
        s.close()
    times.sort()
    ok = errs == ["ConnectionRefusedError"] * 20 and times[10] < 2.0 and times[-1] < 50
    report(ok, "refused", "20 connects to a closed port: %s; median %.2f ms, max %.2f ms" %
           (sorted(set(errs)), times[10], times[-1]))


def tw_ns():
    for _ in range(TW_ROUNDS):
        s = connect(TW_NS)
        s.sendall(b"ping\n")
        s.recv(100)
        s.close()  # we close first
        time.sleep(0.05)
    rows, ok = ss_wait(TW_NS, lambda r: states(r) == ["TIME-WAIT"] * TW_ROUNDS)
    report(ok, "tw_ns_first_ns_ss", "namespace closed first %d times: its kernel holds %s" %
           (TW_ROUNDS, states(rows)))


def tw_host():
    for _ in range(TW_ROUNDS):
        s = connect(TW_HOST)
        while s.recv(100):
            pass
        s.close()
    rows, ok = ss_wait(TW_HOST, lambda r: r == [])
    report(ok, "tw_host_first_ns_ss",
           "the server closed first %d times: the namespace holds %s" % (TW_ROUNDS, states(rows) or "nothing"))


for check in (host_half, ns_half, ns_rst, host_rst, ns_unread, host_unread, refused, tw_ns, tw_host):
    try:
        check()
    except Exception as e:
        report(False, check.__name__, "raised %r" % (e,))
sys.exit(relay_common.failures)
