"""What the relay tests' Python clients and servers share: the byte
pattern the servers send and the clients check, and the clients'
'ok'/'FAIL' lines with their count (each client's exit status)."""

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
