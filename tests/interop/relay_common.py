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
