# DNS from inside a relayed namespace: an A query for relay.test over UDP
# and TCP to the resolver addresses 10.0.2.3 and [fd00::3], port 53.
# Usage: relay_dns_client.py MODE WANT FAMILIES
#   FAMILIES: 4, 6 or 46: the resolver addresses asked;
#   live: every query answered with WANT (an IPv4 address);
#   dead: nothing listens at the resolver: each UDP query fails with
#         ECONNREFUSED (the ICMP port unreachable reached the socket) and
#         each TCP connect is refused, within a second;
#   closed: the resolver address's other ports are refused by the relay:
#         UDP to port 54 (ICMP port unreachable), TCP to port 80 (RST).
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


mode, want, fams = sys.argv[1], sys.argv[2], sys.argv[3]
resolvers = [(socket.AF_INET, "10.0.2.3")] * ("4" in fams) + [(socket.AF_INET6, "fd00::3")] * ("6" in fams)


def name(addr, port):
    return ("[%s]:%d" if ":" in addr else "%s:%d") % (addr, port)


def refused(what, fn):
    t0 = time.monotonic()
    try:
        fn()
        check(what, False, "answered")
    except OSError as e:
        ms = (time.monotonic() - t0) * 1000
        check(what, e.errno == errno.ECONNREFUSED and ms < 1000, "%r in %.1f ms" % (e, ms))


def udp_other(fam, addr):
    u = socket.socket(fam, socket.SOCK_DGRAM)
    u.settimeout(3)
    u.connect((addr, 54))
    u.send(b"x")
    u.recv(100)


qid = 0x1000
for fam, addr in resolvers:
    if mode == "closed":
        refused("UDP to " + name(addr, 54), lambda: udp_other(fam, addr))
        refused("TCP to " + name(addr, 80), lambda: socket.create_connection((addr, 80), timeout=5))
        continue
    for proto, ask in (("UDP", udp), ("TCP", tcp)):
        qid += 1
        what = "%s to %s" % (proto, name(addr, 53))
        if mode == "live":
            try:
                got = ask(fam, addr, qid)
            except OSError as e:
                got = repr(e)
            check(what, got == want, "relay.test A %s" % got)
        else:
            refused(what + " (no resolver)", lambda: ask(fam, addr, qid))
sys.exit(bad)
