#!/usr/bin/env python3
"""The namespace side of relay_hostile.sh: hostile packets written straight
onto the namespace's TUN device (an AF_PACKET socket on gt0, so the kernel
neither fixes checksums nor lengths), built with scapy. Around them, a
victim connection to the host's echo server must keep working, and a new
connection must work after. Each check prints 'ok NAME: ...' or 'FAIL NAME:
...'; the exit status is the number of failures; OUTDIR/sent.txt lists how
many of each kind were sent and how many of them the kernel dropped on
gt0 before the relay read them, for the shell to compare with the counters.

Usage: relay_hostile.py OUTDIR
"""
import errno
import os
import random
import socket
import struct
import sys
import time

from scapy.all import IP, IPv6, IPv6ExtHdrHopByHop, TCP, UDP, ICMP, Raw  # noqa: E402

import relay_common
from relay_common import report

NS, GW = "10.0.2.100", "10.0.2.2"
ECHO, CLOSED = 9401, 9402
OUT = sys.argv[1]
rng = random.Random(17)
sent = {}

dropped = {}
tx = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM)
# Packets of ours the relay has not read yet, at most: below the device's
# queue, 10000 as the relay sets it (--txqueuelen) and the kernel's 500 where
# it cannot (a user namespace, relay/ns.c), so that a relay the machine does
# not run for a while loses none of them.
BACKLOG = 256


def dev_tx():
    """gt0's transmit counters in this namespace (/proc/net/dev: /sys/class/net
    shows the namespace that mounted sysfs): (packets, dropped). A TUN device
    counts a packet transmitted when its reader takes it (tun_put_user()) and
    dropped when its queue is full (tun_net_xmit())."""
    for line in open("/proc/net/dev"):
        name, _, rest = line.partition(":")
        if name.strip() == "gt0":
            f = rest.split()
            return int(f[9]), int(f[11])
    raise SystemExit("no gt0 in /proc/net/dev")


tx0 = dev_tx()


def put(kind, raw, proto=0x0800):
    """Sends RAW, counted under KIND; a packet the kernel drops before the
    relay could read it (the device's queue full: tx_dropped, or ENOBUFS from
    a qdisc) is counted in dropped[KIND] too, and the shell subtracts it from
    what the relay must have counted. A drop of the kernel's own packets on
    gt0 while RAW was sent lowers that floor as well, never raises it."""
    d0 = dev_tx()[1]
    sent[kind] = sent.get(kind, 0) + 1
    lost = 0
    try:
        tx.sendto(raw, ("gt0", proto))
    except OSError as e:
        if e.errno != errno.ENOBUFS:
            raise
        lost = 1  # a drop the driver also counted in tx_dropped is one drop
    d = max(dev_tx()[1] - d0, lost)
    if d:
        dropped[kind] = dropped.get(kind, 0) + d
    # Waits for the relay to read, not a fixed time (a loaded machine may
    # not run it for a while): at most BACKLOG of our packets unread or
    # dropped. The device's own count includes the kernel's packets to the
    # relay, so this may let more than BACKLOG wait, never fewer; 10 s at
    # most, after which the drops are counted as they come.
    ours = sum(sent.values())
    end = time.monotonic() + 10
    while True:
        n, dr = dev_tx()
        if ours - (n - tx0[0]) - (dr - tx0[1]) <= BACKLOG or time.monotonic() > end:
            break
        time.sleep(0.001)


def corrupt(raw, off):
    b = bytearray(raw)
    b[off] ^= 0x5a
    return bytes(b)


def accepts():
    try:
        return int(open(os.path.join(OUT, "accepts")).read() or 0)
    except (OSError, ValueError):
        return 0


def echo(s, msg):
    s.sendall(msg)
    got = b""
    while len(got) < len(msg):
        b = s.recv(100)
        if not b:
            break
        got += b
    return got == msg


def eport():
    return rng.randrange(20000, 30000)  # below the namespace's ephemeral range


victim = socket.create_connection((GW, ECHO), timeout=5)
vport = victim.getsockname()[1]
report(echo(victim, b"before\n"), "victim_before", "echo from the host on port %d" % ECHO)
time.sleep(0.2)
base = accepts()

# Bad checksums: a SYN with one must not open a host connection, a stray
# segment with one must not draw an RST (a kernel drops both unseen).
for i in range(200):
    syn = bytes(IP(src=NS, dst=GW) / TCP(sport=eport(), dport=ECHO, flags="S", seq=rng.getrandbits(32)))
    put("tcp_bad_csum", corrupt(syn, 20 + 16))
    ack = bytes(IP(src=NS, dst=GW) / TCP(sport=eport(), dport=CLOSED, flags="A", seq=1, ack=1))
    put("tcp_bad_csum", corrupt(ack, 20 + 17))
for i in range(100):
    u = bytes(IP(src=NS, dst=GW) / UDP(sport=eport(), dport=5353) / Raw(b"x" * 20))
    put("udp_bad_csum", corrupt(u, 20 + 7))
time.sleep(0.3)
report(accepts() == base, "bad_csum_syn", "%d SYNs with bad checksums: the host server accepted %d connections" %
       (200, accepts() - base))

# Broken IPv4: bad header checksum, short, IHL < 5, total length past the
# packet, options running past the header.
good = bytes(IP(src=NS, dst=GW) / TCP(sport=eport(), dport=ECHO, flags="S"))
for i in range(50):
    put("ip_bad", corrupt(good, 10))
    put("ip_bad", good[:12])
    b = bytearray(good); b[0] = 0x43; put("ip_bad", bytes(b))
    b = bytearray(good); b[2:4] = struct.pack(">H", len(good) + 100); put("ip_bad", bytes(b))
    b = bytearray(good); b[0] = 0x4f; put("ip_bad", bytes(b))
# Fragments, first and later ones.
for i in range(100):
    f = IP(src=NS, dst=GW, id=i, flags="MF", frag=0) / TCP(sport=eport(), dport=ECHO, flags="S")
    put("fragment", bytes(f))
    f = IP(src=NS, dst=GW, id=i, proto=6, frag=100) / Raw(b"y" * 64)
    put("fragment", bytes(f))
# TCP headers the length cannot hold: data offset < 5, or past the packet.
for i in range(100):
    t = bytearray(bytes(IP(src=NS, dst=GW) / TCP(sport=eport(), dport=ECHO, flags="S")))
    t[20 + 12] = (3 << 4) if i % 2 else (15 << 4)
    put("tcp_bad_hdr", bytes(t))
# Other protocols, IPv6, ICMP that is not echo to the gateway.
for i in range(50):
    put("other_proto", bytes(IP(src=NS, dst=GW, proto=47) / Raw(b"\0" * 24)))
    # IPv6 the relay does not follow (a hop-by-hop header before TCP), one
    # with a bad TCP checksum, and a version that is neither 4 nor 6.
    put("ipv6_ext", bytes(IPv6(src="fd00::100", dst="fd00::2") / IPv6ExtHdrHopByHop() /
                          TCP(sport=eport(), dport=ECHO, flags="S")), 0x86DD)
    put("ipv6_bad_csum", bytes(IPv6(src="fd00::100", dst="fd00::2") /
                               TCP(sport=eport(), dport=ECHO, flags="S", chksum=0x1234)), 0x86DD)
    put("not_ip", b"\x50" + b"\0" * 39)
    put("icmp_other", bytes(IP(src=NS, dst=GW) / ICMP(type=3, code=3) / Raw(b"\x45" + b"\0" * 27)))

# SYNs with bad options (good checksums): zero and one-byte option lengths,
# a length past the header, a window scale of 200, an MSS of 0. Each is a
# flow to the stack, whose SYN-ACK the namespace's kernel answers with RST.
opts_bad = [b"\x02\x00\x05\xb4", b"\x02\x01\x00\x00", b"\x08\x28" + b"\0" * 6, b"\x03\x03\xc8\x00",
            b"\x02\x04\x00\x00", b"\x05\x03\x00\x00", b"\x1e\x02\x00\x00", b"\x04\x09\x01\x01"]
for i in range(40):
    o = opts_bad[i % len(opts_bad)]
    t = TCP(sport=eport(), dport=ECHO, flags="S", seq=rng.getrandbits(32), dataofs=5 + len(o) // 4) / Raw(b"")
    raw = bytearray(bytes(IP(src=NS, dst=GW) / TCP(sport=t.sport, dport=ECHO, flags="S", seq=t.seq,
                                                  options=[("NOP", None)] * len(o))))
    raw[40:40 + len(o)] = o
    # recompute the TCP checksum over the bad options
    pkt = IP(bytes(raw)); del pkt[TCP].chksum
    put("syn_bad_opts", bytes(pkt))

# A SYN flood: to a closed port (each refused with RST, no host state left)
# and to the open one (each a host connection the namespace's kernel then
# resets: the SYN-ACK is for no socket of its own).
for i in range(2000):
    put("syn_flood_closed", bytes(IP(src=NS, dst=GW) / TCP(sport=20000 + i % 10000, dport=CLOSED,
                                                          flags="S", seq=rng.getrandbits(32))))
for i in range(500):
    put("syn_flood_open", bytes(IP(src=NS, dst=GW) / TCP(sport=30000 + i, dport=ECHO, flags="S",
                                                        seq=rng.getrandbits(32))))
# An RST flood at the victim's 4-tuple, blind sequence numbers (RFC 5961 3:
# outside the window ignored, inside it answered with a challenge ACK).
for i in range(2000):
    put("rst_flood", bytes(IP(src=NS, dst=GW) / TCP(sport=vport, dport=ECHO, flags="R",
                                                   seq=rng.getrandbits(32))))
time.sleep(1.0)

ok = False
try:
    ok = echo(victim, b"after the flood\n")
except OSError as e:
    print("victim: %r" % (e,))
report(ok, "victim_after", "the victim connection still echoes after %d hostile packets" % sum(sent.values()))
victim.close()
try:
    s = socket.create_connection((GW, ECHO), timeout=5)
    report(echo(s, b"new\n"), "new_connection", "a new connection works")
    s.close()
except OSError as e:
    report(False, "new_connection", "%r" % (e,))
with open(os.path.join(OUT, "sent.txt"), "w") as f:
    for k, v in sorted(sent.items()):
        f.write("%s %d %d\n" % (k, v, dropped.get(k, 0)))
sys.exit(relay_common.failures)
