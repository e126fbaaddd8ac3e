#!/usr/bin/env python3
"""A SOCKS5 proxy for relay_socks5.sh that answers what microsocks will not
be made to: it connects nowhere; the CONNECT's destination port picks its
answer (no authentication).

  7001  REP 0x04 host unreachable         -> the namespace gets ICMP host unreachable
  7002  REP 0x01 general failure          -> RST
  7003  success, and the far side's first bytes in the same write as the
        reply (a domain-name BND.ADDR, so the reply's length is read from
        it); then it echoes lines
  7004  no reply at all                   -> the relay's connect timeout: ICMP
  7005  a reply that is not SOCKS5        -> RST
  7006  success with an IPv6 BND.ADDR, then the first bytes in a second write

Usage: relay_socks5_fake.py PORT OUTDIR   (writes OUTDIR/fake_ready when listening)
"""
import os
import socket
import struct
import sys
import threading

FIRST = b"first bytes with the reply\n"


def recv_exact(c, n):
    got = b""
    while len(got) < n:
        b = c.recv(n - len(got))
        if not b:
            raise EOFError
        got += b
    return got


def echo(c):
    while True:
        b = c.recv(65536)
        if not b:
            return
        c.sendall(b)


def serve(c):
    try:
        ver, n = recv_exact(c, 2)
        methods = recv_exact(c, n)
        if ver != 5 or 0 not in methods:
            c.sendall(b"\x05\xff")
            return
        c.sendall(b"\x05\x00")
        ver, cmd, _, atyp = recv_exact(c, 4)
        if atyp != 1 or cmd != 1:
            return
        recv_exact(c, 4)
        port = struct.unpack(">H", recv_exact(c, 2))[0]
        v4_reply = lambda rep: bytes([5, rep, 0, 1, 0, 0, 0, 0, 0, 0])
        if port == 7001:
            c.sendall(v4_reply(4))
        elif port == 7002:
            c.sendall(v4_reply(1))
        elif port == 7003:
            name = b"proxy.invalid"
            c.sendall(bytes([5, 0, 0, 3, len(name)]) + name + b"\x1f\x90" + FIRST)
            echo(c)
        elif port == 7004:
            c.recv(1)  # until the relay gives up and closes
        elif port == 7005:
            c.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")
        elif port == 7006:
            c.sendall(bytes([5, 0, 0, 4]) + bytes(16) + b"\x1f\x90")
            c.sendall(FIRST)
            echo(c)
    except (OSError, EOFError, ValueError):
        pass
    finally:
        c.close()


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)
    open(os.path.join(out, "fake_ready"), "w").close()
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


if __name__ == "__main__":
    main()
