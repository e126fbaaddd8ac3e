#!/usr/bin/env python3
# Measures Linux's SYN queue (docs/conformance.md, branch h-lxsynq): SYNs
# from ports 40000.. of 192.168.0.2 to a listener on 192.168.0.1:8080 with
# the given backlog, over a TUN device; after each, what came back, the
# half-open count (ss state syn-recv) and the TcpExt counters. pktrun's
# scripts speak for one tuple, and a second SYN from a tuple with a
# request sock never reaches tcp_conn_request(), hence this probe.
# Run as root, only in a private namespace:
#   unshare -n python3 tools/lx-synq-probe.py BACKLOG NSYN SYNCOOKIES [MAX_SYN_BACKLOG]
import fcntl, os, socket, struct, subprocess, sys, time, select
backlog = int(sys.argv[1]); nsyn = int(sys.argv[2]); cookies = sys.argv[3]
msb = sys.argv[4] if len(sys.argv) > 4 else None
TUNSETIFF = 0x400454ca
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", b"gt0", 0x0001 | 0x1000))
def sh(c): subprocess.run(c, shell=True, check=True)
sh("ip link set lo up; ip link set gt0 up; ip addr add 192.168.0.1/24 dev gt0")
sh(f"sysctl -qw net.ipv4.tcp_syncookies={cookies}")
if msb: sh(f"sysctl -qw net.ipv4.tcp_max_syn_backlog={msb}")
L = socket.socket(); L.bind(("192.168.0.1", 8080)); L.listen(backlog)
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
src, dst = socket.inet_aton("192.168.0.2"), socket.inet_aton("192.168.0.1")
def syn(sport, seq):
    opt = struct.pack("!BBH", 2, 4, 1460)
    tcp = struct.pack("!HHIIBBHHH", sport, 8080, seq, 0, (5 + 1) << 4, 0x02, 65535, 0, 0) + opt
    c = csum(src + dst + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    os.write(fd, ip + tcp)
def counters():
    t = open("/proc/net/netstat").read().split("\n")
    k, v = t[0].split()[1:], t[1].split()[1:]
    d = dict(zip(k, map(int, v)))
    return {x: d.get(x, 0) for x in ("SyncookiesSent", "TCPReqQFullDoCookies", "TCPReqQFullDrop", "ListenDrops", "ListenOverflows")}
for i in range(nsyn):
    syn(40000 + i, 1000 * (i + 1))
    got = []
    end = time.time() + 0.2
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            p = os.read(fd, 2048)
            if len(p) >= 40 and p[9] == 6:
                sp, dp, seq, ack, off, fl = struct.unpack("!HHIIBB", p[20:34])
                if dp == 40000 + i: got.append("SA" if fl == 0x12 else hex(fl))
    synrecv = subprocess.run("ss -Htn state syn-recv | wc -l", shell=True, capture_output=True, text=True).stdout.strip()
    print(f"SYN {i+1} port {40000+i}: {got or 'nothing'} syn-recv {synrecv} {counters()}")
