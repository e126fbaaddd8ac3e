#!/usr/bin/env python3
"""The host side of relay_basic.sh: servers on 127.0.0.1 of the test's private
namespace (nothing else is reachable from it), each checking one relay rule.

  PORT_HALF   reads to EOF (the client's shutdown(SHUT_WR)), then answers the
              sha256 of what it read and, 0.5 s later, HALF_REPLY_BYTES more:
              the direction still open after the client's FIN must keep
              flowing.
  PORT_RST    reads a request line, then closes with SO_LINGER {1,0}: an RST.
  PORT_PEER   reads until the client's RST reaches it; writes what it saw
              (ECONNRESET or EOF) to OUT/peer_reset.txt.
  PORT_BANNER speaks first: a line at once on accept (it may reach the relay
              with the connect's completion, before the namespace's handshake),
              then closes first.
  PORT_SIZED  reads an 8-byte big-endian length and that many bytes, answers
              their sha256 and HALF_REPLY_BYTES of pattern, then closes: data
              both ways without a half-close (relay_socks5.sh: microsocks
              closes both sides at the first EOF it reads).
  DNS_PORT    UDP: answers every A query with 192.0.2.53 (an answer only;
              nothing is ever sent there).

Usage: relay_servers.py OUTDIR   (writes OUTDIR/ready when listening)
"""
import hashlib
import os
import socket
import struct
import sys
import threading

from relay_common import listings, pattern, wait_listing

PORT_HALF, PORT_RST, PORT_PEER, PORT_BANNER, PORT_SIZED, DNS_PORT = 9001, 9002, 9004, 9005, 9006, 5353
HALF_REPLY_BYTES = 1 << 20


def listener(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(16)
    return s


def serve_half(s, out):
    while True:
        c, _ = s.accept()
        h = hashlib.sha256()
        n = 0
        while True:
            b = c.recv(65536)
            if not b:
                break
            h.update(b)
            n += len(b)
        # The client lists the relay's flows (SIGUSR1) once it has the
        # digest: the rest waits until the listing is in the relay's log
        # (relay_basic.sh: OUTDIR/relay.log).
        log = os.path.join(out, "relay.log")
        before = listings(log)
        c.sendall(("%s %d\n" % (h.hexdigest(), n)).encode())
        wait_listing(log, before)
        c.sendall(pattern(HALF_REPLY_BYTES))
        c.close()


def serve_rst(s):
    while True:
        c, _ = s.accept()
        c.recv(100)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()


def serve_peer(s, out):
    while True:
        c, _ = s.accept()
        what = "eof"
        try:
            while c.recv(65536):
                pass
        except ConnectionResetError:
            what = "reset"
        with open(os.path.join(out, "peer_reset.txt"), "w") as f:
            f.write(what + "\n")
        c.close()


def serve_banner(s):
    while True:
        c, _ = s.accept()
        c.sendall(b"banner from the host\n")
        c.close()  # the server closes first: its FIN crosses before the client's


def recv_exact(c, n):
    got = bytearray()
    while len(got) < n:
        b = c.recv(min(65536, n - len(got)))
        if not b:
            break
        got += b
    return bytes(got)


def serve_sized(s):
    while True:
        c, _ = s.accept()
        try:
            hdr = recv_exact(c, 8)
            n = struct.unpack(">Q", hdr)[0] if len(hdr) == 8 else 0
            h = hashlib.sha256()
            left = n
            while left:
                b = c.recv(min(65536, left))
                if not b:
                    break
                h.update(b)
                left -= len(b)
            c.sendall(("%s %d\n" % (h.hexdigest(), n - left)).encode())
            c.sendall(pattern(HALF_REPLY_BYTES))
        except OSError:
            pass
        c.close()


def serve_dns(out):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", DNS_PORT))
    while True:
        q, peer = u.recvfrom(4096)
        if len(q) < 12:
            continue
        qid = q[:2]
        end = 12
        while end < len(q) and q[end] != 0:
            end += q[end] + 1
        question = q[12:end + 5]
        hdr = qid + b"\x81\x80" + struct.pack(">HHHH", 1, 1, 0, 0)
        answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton("192.0.2.53")
        u.sendto(hdr + question + answer, peer)
        with open(os.path.join(out, "dns_queries.txt"), "a") as f:
            f.write("%s:%d\n" % peer)


def main():
    out = sys.argv[1]
    socks = [listener(PORT_HALF), listener(PORT_RST), listener(PORT_PEER), listener(PORT_BANNER),
             listener(PORT_SIZED)]
    threads = [threading.Thread(target=serve_half, args=(socks[0], out)),
               threading.Thread(target=serve_rst, args=(socks[1],)),
               threading.Thread(target=serve_peer, args=(socks[2], out)),
               threading.Thread(target=serve_banner, args=(socks[3],)),
               threading.Thread(target=serve_sized, args=(socks[4],)),
               threading.Thread(target=serve_dns, args=(out,))]
    for t in threads:
        t.daemon = True
        t.start()
    open(os.path.join(out, "ready"), "w").close()
    threading.Event().wait()


if __name__ == "__main__":
    main()
