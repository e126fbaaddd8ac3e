# DNS from inside a relayed namespace: an A query for relay.test over UDP
# and TCP to the resolver addresses 10.0.2.3 and [fd00::3], port 53.
# Usage: relay_dns_client.py live WANT_ADDR | dead
#   live: every query answered with WANT_ADDR;
#   dead: nothing listens at the resolver: each UDP query fails with
#         ECONNREFUSED (the ICMP port unreachable reached the socket) and
#         each TCP connect is refused, within a second.
# One line per check ("ok" / "BAD"); the exit status is the number of BAD.
import errno, socket, struct, sys, time

bad = 0


def check(what, ok, detail):
    global bad
    bad += not ok
    print(("ok  " if ok else "BAD ") + " %s: %s" % (what, detail), flush=True)


def query(name, qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for part in name.split("."):
        q += bytes([len(part)]) + part.encode()
    return q + b"\0" + struct.pack(">HH", 1, 1)


def answer_a(r, qid):
    """The first A record's address in the reply r, or why not."""
    if len(r) < 12 or struct.unpack(">H", r[:2])[0] != qid:
        return "not our reply"
    an = struct.unpack(">H", r[6:8])[0]
    i = 12
    while r[i]:
        i += r[i] + 1
    i += 5
    for _ in range(an):
        if r[i] & 0xc0 == 0xc0:
            i += 2
        else:
            while r[i]:
                i += r[i] + 1
            i += 1
        typ, _, _, rdlen = struct.unpack(">HHIH", r[i:i + 10])
        i += 10
        if typ == 1 and rdlen == 4:
            return socket.inet_ntoa(r[i:i + 4])
        i += rdlen
    return "no A record"


def udp(fam, addr, qid):
    u = socket.socket(fam, socket.SOCK_DGRAM)
    u.settimeout(3)
    u.connect((addr, 53))
    u.send(query("relay.test", qid))
    try:
        return answer_a(u.recv(512), qid)
    finally:
        u.close()


def tcp(fam, addr, qid):
    t = socket.socket(fam, socket.SOCK_STREAM)
    t.settimeout(5)
    t.connect((addr, 53))
    q = query("relay.test", qid)
    t.sendall(struct.pack(">H", len(q)) + q)
    r = b""
    while len(r) < 2 or len(r) < 2 + struct.unpack(">H", r[:2])[0]:
        b = t.recv(4096)
        if not b:
            break
        r += b
    t.close()
    return answer_a(r[2:], qid) if len(r) > 2 else "no reply"


mode = sys.argv[1]
want = sys.argv[2] if mode == "live" else None
resolvers = [(socket.AF_INET, "10.0.2.3"), (socket.AF_INET6, "fd00::3")]
qid = 0x1000
for fam, addr in resolvers:
    for proto, ask in (("UDP", udp), ("TCP", tcp)):
        qid += 1
        what = "%s to %s:53" % (proto, addr if fam == socket.AF_INET else "[" + addr + "]")
        t0 = time.monotonic()
        try:
            got = ask(fam, addr, qid)
            err = None
        except OSError as e:
            got, err = repr(e), e
        ms = (time.monotonic() - t0) * 1000
        if mode == "live":
            check(what, got == want, "relay.test A %s" % got)
        else:
            refused = err is not None and err.errno == errno.ECONNREFUSED
            check(what + " (no resolver)", refused and ms < 1000, "%s in %.1f ms" % (got, ms))
sys.exit(bad)
