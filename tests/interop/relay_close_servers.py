#!/usr/bin/env python3
"""The host side of relay_close.sh: one server per close case on the test's
host loopback, each of which also looks at the host's side of its flow with
`ss` while the flow is in the state the case is about (the relay's host
socket and the server's own) and prints 'ok NAME: ...' or 'FAIL NAME: ...'
lines to stdout; relay_close_client.py does the same inside the namespace.
The two meet through files in OUTDIR: OUTDIR/host.NAME says the host side
of NAME has been observed, OUTDIR/ns.NAME that the namespace took the
relay's listing.

  HOST_HALF    sends 1 MB, shutdown(SHUT_WR) (the host's FIN first), then
               reads the namespace's 3 MB to EOF: the open direction flows.
  NS_HALF      reads to the namespace's FIN, then sends the sha256 and 1 MB.
  NS_RST       reads; the namespace's SO_LINGER {1,0} close must arrive as
               ECONNRESET, and leave no host socket behind.
  HOST_RST     reads a line, closes with SO_LINGER {1,0}.
  NS_UNREAD    sends 64 KB and reads: the namespace closes without reading
               them, its kernel resets, and the reset must arrive here.
  HOST_UNREAD  waits until 64 KB from the namespace sit unread in its socket,
               then close(): the host kernel resets (RFC 1122 4.2.2.13).
  TW_NS        echoes a line, closes after the namespace's FIN (it closed first).
  TW_HOST      sends a line and closes first.

Usage: relay_close_servers.py OUTDIR
"""
import hashlib
import os
import socket
import struct
import sys
import threading
import time

from relay_common import pattern, report, ss_wait, states

HOST_HALF, NS_HALF, NS_RST, HOST_RST, NS_UNREAD, HOST_UNREAD, TW_NS, TW_HOST = range(9101, 9109)
OUT = sys.argv[1]
lock = threading.Lock()


def say(ok, name, msg):
    with lock:
        report(ok, name, msg)


def observed(name):
    open(os.path.join(OUT, "host." + name), "w").close()


def listener(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(16)
    return s


def read_to_eof(c):
    h, n = hashlib.sha256(), 0
    while True:
        b = c.recv(1 << 16)
        if not b:
            return h.hexdigest(), n
        h.update(b)
        n += len(b)


def host_half(s):
    c, _ = s.accept()
    c.sendall(pattern(1 << 20))
    c.shutdown(socket.SHUT_WR)
    # Our FIN crossed: the namespace's FIN has not. The server is the
    # first closer on the host (FIN-WAIT-2), the relay's socket CLOSE-WAIT.
    rows, ok = ss_wait(HOST_HALF, lambda r: states(r, local_port=HOST_HALF) == ["FIN-WAIT-2"] and
                       states(r, peer_port=HOST_HALF) == ["CLOSE-WAIT"])
    say(ok, "host_half_ss", "host after the server's FIN: %s" % (rows,))
    observed("host_half")
    digest, n = read_to_eof(c)
    c.close()
    with open(os.path.join(OUT, "host_half.sha"), "w") as f:
        f.write("%s %d\n" % (digest, n))


def ns_half(s):
    c, _ = s.accept()
    digest, n = read_to_eof(c)
    rows, ok = ss_wait(NS_HALF, lambda r: states(r, local_port=NS_HALF) == ["CLOSE-WAIT"] and
                       states(r, peer_port=NS_HALF) == ["FIN-WAIT-2"])
    say(ok, "ns_half_ss", "host after the namespace's FIN: %s" % (rows,))
    observed("ns_half")
    # The namespace takes the relay's listing of the half-closed flow first.
    end = time.monotonic() + 5
    while not os.path.exists(os.path.join(OUT, "ns.ns_half")) and time.monotonic() < end:
        time.sleep(0.01)
    c.sendall(("%s %d\n" % (digest, n)).encode())
    c.sendall(pattern(1 << 20))
    c.close()


def ns_rst(s):
    c, _ = s.accept()
    c.recv(100)
    c.sendall(b"ready\n")
    err = None
    try:
        while c.recv(1 << 16):
            pass
    except OSError as e:
        err = e
    c.close()
    say(isinstance(err, ConnectionResetError), "ns_rst_host",
        "the namespace's SO_LINGER {1,0} close reached the server as %r" % (err,))
    rows, ok = ss_wait(NS_RST, lambda r: r == [])
    say(ok, "ns_rst_ss", "host sockets of the flow after the reset: %s" % (rows or "none",))


def host_rst(s):
    c, _ = s.accept()
    c.recv(100)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    rows, ok = ss_wait(HOST_RST, lambda r: r == [])
    say(ok, "host_rst_ss", "host sockets of the flow after the server's reset: %s" % (rows or "none",))


def ns_unread(s):
    c, _ = s.accept()
    c.sendall(b"u" * 65536)
    err = None
    try:
        while c.recv(1 << 16):
            pass
    except OSError as e:
        err = e
    c.close()
    say(isinstance(err, ConnectionResetError), "ns_unread_host",
        "the namespace closed with 64 KB unread: the server saw %r" % (err,))


def host_unread(s):
    import fcntl
    import termios
    c, _ = s.accept()
    end = time.monotonic() + 5
    queued = 0
    while time.monotonic() < end:
        queued = struct.unpack("i", fcntl.ioctl(c, termios.FIONREAD, b"\0\0\0\0"))[0]
        if queued >= 65536:
            break
        time.sleep(0.005)
    c.close()  # unread data: the kernel sends RST, not FIN
    say(queued >= 65536, "host_unread_queued", "%d bytes unread in the server's socket at close" % queued)


def tw_ns(s):
    while True:
        c, _ = s.accept()
        c.sendall(c.recv(100))
        while c.recv(100):
            pass
        c.close()


def tw_host(s):
    while True:
        c, _ = s.accept()
        c.sendall(b"bye\n")
        c.close()


def main():
    fns = [host_half, ns_half, ns_rst, host_rst, ns_unread, host_unread, tw_ns, tw_host]
    socks = [listener(p) for p in range(HOST_HALF, TW_HOST + 1)]
    for fn, s in zip(fns, socks):
        threading.Thread(target=fn, args=(s,), daemon=True).start()
    open(os.path.join(OUT, "ready"), "w").close()
    while not os.path.exists(os.path.join(OUT, "stop")):
        time.sleep(0.05)


if __name__ == "__main__":
    main()
