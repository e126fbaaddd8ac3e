#!/usr/bin/env python3
"""Probes for bench/relay_vs.sh, run inside each relayed namespace.

  relay_probe.py echo-server PORT         1-byte echo on 0.0.0.0:PORT (the host side)
  relay_probe.py rtt HOST PORT N          median and p99 round trip of 1 byte, in us
  relay_probe.py rate HOST PORT SECONDS [THREADS]
                                          connections per second: connect, 1 byte
                                          each way, close; THREADS clients at once
                                          (default 1), so that one python client's
                                          own cost is not all that is measured
  relay_probe.py refused HOST PORT        ms until connect() to a closed port fails
  relay_probe.py idle HOST PORT N         the relay's (an ancestor's) RSS with 1 and
                                          with N idle connections open, in kB
Each client prints one line 'NAME VALUE [MORE]'.
"""
import os
import socket
import sys
import threading
import time


def echo_server(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(1024)

    def serve(c):
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                b = c.recv(4096)
                if not b:
                    break
                c.sendall(b)
        except OSError:
            pass
        c.close()

    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def rtt(host, port, n):
    s = socket.create_connection((host, port), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    samples = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        s.sendall(b"x")
        if not s.recv(1):
            break
        samples.append((time.perf_counter_ns() - t0) / 1000)
    s.close()
    samples.sort()
    print("rtt_us %.1f %.1f" % (samples[len(samples) // 2], samples[int(len(samples) * 0.99)]))


def rate(host, port, seconds, threads=1):
    counts = [0] * threads
    end = time.monotonic() + seconds
    t0 = time.monotonic()

    def client(i):
        while time.monotonic() < end:
            s = socket.create_connection((host, port), timeout=5)
            s.sendall(b"x")
            s.recv(1)
            s.close()
            counts[i] += 1

    ts = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("conn_per_s %.0f" % (sum(counts) / (time.monotonic() - t0)))


def refused(host, port):
    s = socket.socket()
    s.settimeout(15)
    t0 = time.monotonic()
    what = "connected?"
    try:
        s.connect((host, port))
    except ConnectionRefusedError:
        what = "refused"
    except OSError as e:
        what = type(e).__name__
    print("refused_ms %.2f %s" % ((time.monotonic() - t0) * 1000, what))


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        return int([l for l in f if l.startswith("VmRSS")][0].split()[1])


def relay_pid():
    # The nearest ancestor named glasstcp (timeout(1) may stand between).
    pid = os.getppid()
    while pid > 1:
        with open("/proc/%d/comm" % pid) as f:
            if f.read().strip() == "glasstcp":
                return pid
        with open("/proc/%d/stat" % pid) as f:
            pid = int(f.read().rsplit(")", 1)[1].split()[1])
    return os.getppid()


def idle(host, port, n, echo=False):
    # echo: each flow sends a byte and reads it back before it idles (the
    # state a flow keeps once data has crossed it), the first included.
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, n + 64)), hard))
    def conn():
        s = socket.create_connection((host, port), timeout=10)
        if echo:
            s.sendall(b"x")
            s.recv(1)
        return s
    socks = [conn()]
    time.sleep(0.3)
    relay = relay_pid()
    with open("/proc/%d/comm" % relay) as f:
        if f.read().strip() != "glasstcp":
            # Else the RSS read would be another process's (0 B a flow).
            sys.exit("relay_probe idle: no ancestor named glasstcp (the relay's binary must be named so)")
    before = rss_kb(relay)
    for _ in range(n - 1):
        socks.append(conn())
    time.sleep(0.5)
    after = rss_kb(relay)
    print("idle_rss_kb %d %d %d" % (n, before, after))
    for s in socks:
        s.close()


def main():
    cmd = sys.argv[1]
    if cmd == "echo-server":
        echo_server(int(sys.argv[2]))
    elif cmd == "rtt":
        rtt(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "rate":
        rate(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]),
             int(sys.argv[5]) if len(sys.argv) > 5 else 1)
    elif cmd == "idle":
        idle(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
             len(sys.argv) > 5 and sys.argv[5] == "echo")
    elif cmd == "refused":
        refused(sys.argv[2], int(sys.argv[3]))


if __name__ == "__main__":
    main()
