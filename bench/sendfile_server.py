"""The kernel's side of the loss benchmarks (bench/loss_vs_kernel.sh,
bench/loss_floor.sh): a small HTTP/1.1 server that answers GET /NAME with
ROOT/NAME by sendfile(), reads the request before answering and awaits the
client's FIN (no RST). It sets the congestion control per socket
(TCP_CONGESTION: a namespace may not make a non-allowed one its default)
and prints the one in effect for each connection.

usage: sendfile_server.py ADDR PORT ROOT [CC]"""
import os
import socket
import sys

addr, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cc = sys.argv[4] if len(sys.argv) > 4 else ""
ls = socket.create_server((addr, port))
while True:
    c, _ = ls.accept()
    c.settimeout(300)
    if cc:
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, cc.encode())
    print(c.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b"\0").decode(),
          flush=True)
    try:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            d = c.recv(4096)
            if not d:
                break
            head += d
        if b"\r\n\r\n" in head:
            path = os.path.join(root, os.path.basename(head.split(b" ")[1].decode()))
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                      % os.path.getsize(path))
            with open(path, "rb") as f:
                c.sendfile(f)
            c.shutdown(socket.SHUT_WR)
            while c.recv(65536):
                pass
    except OSError:
        pass
    c.close()
