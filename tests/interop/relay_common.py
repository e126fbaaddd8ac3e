"""What the relay tests' Python clients and servers share: the byte
pattern the servers send and the clients check, the clients'
'ok'/'FAIL' lines with their count (each client's exit status), and the
1-byte echo server the busy-poll tests run on the namespace's host side
(python3 relay_common.py echo PORT [DELAY_US])."""

failures = 0


def report(ok, name, msg):
    global failures
    print("%s %s: %s" % ("ok  " if ok else "FAIL", name, msg), flush=True)
    failures += 0 if ok else 1


def pattern(n):
    # Deterministic bytes the client can check without a second channel.
    block = bytes(range(256)) * 256
    return (block * (n // len(block) + 1))[:n]


def ss(port):
    """TCP sockets of this network namespace to or from PORT, listeners left
    out, as (state, local, peer) from `ss`."""
    import subprocess
    out = subprocess.run(["ss", "-Htan", "( sport = :%d or dport = :%d )" % (port, port)],
                         capture_output=True, text=True, timeout=10).stdout
    rows = [tuple(line.split()[i] for i in (0, 3, 4)) for line in out.splitlines() if line.strip()]
    return [r for r in rows if r[0] != "LISTEN"]


def ss_wait(port, want, timeout=2.0):
    """Polls ss(port) until want(rows) holds or timeout; returns the last rows
    and whether it held."""
    import time
    end = time.monotonic() + timeout
    while True:
        rows = ss(port)
        if want(rows) or time.monotonic() > end:
            return rows, want(rows)
        time.sleep(0.01)


def states(rows, local_port=None, peer_port=None):
    """The states among rows whose local (or peer) port is the one given."""
    def port(a):
        return int(a.rsplit(":", 1)[1])
    return sorted(s for s, l, p in rows
                  if (local_port is None or port(l) == local_port) and
                  (peer_port is None or port(p) == peer_port))


def listings(log):
    """How many listings the relay has printed to LOG, its stderr (SIGUSR1,
    relay.c print_listing(): each ends with its counters line, which comes
    after the flows)."""
    try:
        with open(log) as f:
            return f.read().count("\nrelay: FlowsOpened ")
    except OSError:
        return 0


def wait_listing(log, before, timeout=10.0):
    """Waits until LOG holds more than BEFORE listings, TIMEOUT s at most;
    whether it does. What a test lists must not move on before: the relay
    prints the listing from its loop, which a loaded machine may not run
    for a while (a fixed 0.3 or 0.5 s was waited before)."""
    import time
    end = time.monotonic() + timeout
    while listings(log) <= before and time.monotonic() < end:
        time.sleep(0.01)
    return listings(log) > before


def echo_server(port, delay_us=0):
    # A thread per connection: each byte read is sent back (TCP_NODELAY),
    # after a busy wait of delay_us (a server that answers late without
    # sleeping, so its own wakeup is not in the measure).
    import socket
    import threading
    import time
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(8)

    def serve(c):
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            b = c.recv(1)
            if not b:
                break
            if delay_us:
                t = time.perf_counter()
                while time.perf_counter() - t < delay_us / 1e6:
                    pass
            c.sendall(b)
        c.close()

    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


if __name__ == "__main__":
    import sys
    if len(sys.argv) >= 3 and sys.argv[1] == "echo":
        echo_server(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
