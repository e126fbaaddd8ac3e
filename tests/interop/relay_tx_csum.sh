#!/usr/bin/env bash
# glasstcp relay: the stack's TCP segments reach the namespace with partial
# checksums (VIRTIO_NET_HDR_F_NEEDS_CSUM), as a veth hands over the
# kernel's own: the relay does not sum every byte it sends (relay.c,
# tx_partial). Seen from inside by an AF_PACKET socket on the device with
# PACKET_AUXDATA: every data segment of a 1 MiB download over IPv4 and one
# over IPv6 (the relay's IPv4 -> IPv6 translation, relay_tcp4_to6()) comes
# TP_STATUS_CSUMNOTREADY (the kernel's CHECKSUM_PARTIAL), its checksum field
# the pseudo-header's sum, so that completed from the TCP header on it is
# right; the bytes arrive intact. With --pcap the segments are complete
# (the capture shows them as sent) and their checksums right.
#
# Network safety: the relayed namespace (10.0.2.0/24, fd00::/64) and the
# loopback of the test's own namespace only.
. "$(dirname "$0")/lib.sh"
need python3 ss
enter_netns "$@"
ipv6_on

python3 -c "
import socket, sys, threading
data = bytes(range(256)) * 4096
def serve(fam, addr):
    s = socket.socket(fam); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, 9400)); s.listen(8)
    while True:
        c, _ = s.accept()
        c.sendall(data)
        c.close()
for fam, addr in ((socket.AF_INET, '127.0.0.1'), (socket.AF_INET6, '::1')):
    threading.Thread(target=serve, args=(fam, addr), daemon=True).start()
threading.Event().wait(120)" &
PIDS+=($!)
for _ in $(seq 100); do
	ss -Htln | grep -q '127.0.0.1:9400 ' && ss -Htln | grep -q '\[::1\]:9400 ' && break
	sleep 0.05
done

cat >"$WORK/client.py" <<'PY'
# Downloads 1 MiB over IPv4 and over IPv6 while an AF_PACKET socket on gt0
# reads every packet with its auxiliary data; prints one line per family:
# data segments, partial ones whose field is the pseudo-header's sum,
# complete ones whose checksum is right, and bad ones.
import socket, struct, sys, threading

ETH_P_ALL, SOL_PACKET, PACKET_AUXDATA = 3, 263, 8
TP_STATUS_CSUMNOTREADY = 8
want = bytes(range(256)) * 4096

def fold(s):
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s

def sum16(b):
    if len(b) % 2:
        b += b"\0"
    return sum(struct.unpack("!%dH" % (len(b) // 2), b))

pk = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ALL))
pk.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
# Room for both downloads' packets, so a sniffer that falls behind on a
# loaded machine loses none (SO_RCVBUFFORCE: root; SO_RCVBUF otherwise).
try:
    pk.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)
except OSError:
    pk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
pk.bind(("gt0", ETH_P_ALL))
pk.settimeout(0.5)
stats = {4: [0, 0, 0, 0], 6: [0, 0, 0, 0]}  # data segs, partial ok, valid ok, bad
done = threading.Event()

def sniff():
    # Until the downloads are done and nothing more is queued: a sniffer
    # behind on a loaded machine that stopped at done left the IPv6
    # download's packets unread ("no IPv6 data segments seen on gt0").
    while True:
        try:
            p, anc, _, _ = pk.recvmsg(70000, socket.CMSG_SPACE(64))
        except socket.timeout:
            if done.is_set():
                break
            continue
        status = 0
        for lvl, typ, d in anc:
            if lvl == SOL_PACKET and typ == PACKET_AUXDATA:
                status = struct.unpack_from("I", d, 0)[0]
        if p[0] >> 4 == 4 and p[9] == 6:
            v, hl = 4, (p[0] & 15) * 4
            tl = struct.unpack_from("!H", p, 2)[0] - hl
            pseudo = sum16(p[12:20]) + 6 + tl
        elif p[0] >> 4 == 6 and p[6] == 6:
            v, hl = 6, 40
            tl = struct.unpack_from("!H", p, 4)[0]
            pseudo = sum16(p[8:40]) + 6 + tl
        else:
            continue
        t = p[hl:hl + tl]
        if struct.unpack_from("!H", t, 0)[0] != 9400 or tl - (t[12] >> 4) * 4 <= 0:
            continue
        st = stats[v]
        st[0] += 1
        field = struct.unpack_from("!H", t, 16)[0]
        if status & TP_STATUS_CSUMNOTREADY and field == fold(pseudo):
            st[1] += 1
        elif not status & TP_STATUS_CSUMNOTREADY and fold(pseudo + sum16(t)) == 0xffff:
            st[2] += 1
        else:
            st[3] += 1

th = threading.Thread(target=sniff)
th.start()
ok = True
for fam, addr in ((socket.AF_INET, "10.0.2.2"), (socket.AF_INET6, "fd00::2")):
    s = socket.create_connection((addr, 9400), timeout=20)
    got = bytearray()
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        got += b
    s.close()
    if got != want:
        print("download over", addr, "differs:", len(got), "bytes")
        ok = False
done.set()
th.join()
for v in (4, 6):
    print("ipv%d %d %d %d %d" % (v, *stats[v]))
sys.exit(0 if ok else 1)
PY

SERVE_LOG=$WORK/relay.log
# run [OPTS]: the client inside the relay; its lines in $WORK/out.
run() {
	timeout 60 "$GT" relay --dns none "$@" -- python3 "$WORK/client.py" >"$WORK/out" 2>"$SERVE_LOG" ||
		fail "the relay or its client exited $? ($*): $(cat "$WORK/out")"
	cat "$WORK/out"
}
# check FAMILY FIELD: the family's segments are all of the kind FIELD
# (2: partial with the pseudo-header's sum, 3: complete and right).
check() {
	local segs kind
	segs=$(awk -v f="ipv$1" '$1==f {print $2}' "$WORK/out")
	kind=$(awk -v f="ipv$1" -v k="$2" '$1==f {print $(k+1)}' "$WORK/out")
	[ "${segs:-0}" -gt 0 ] || fail "no IPv$1 data segments seen on gt0"
	[ "$kind" = "$segs" ] || fail "IPv$1: $kind of $segs data segments $3"
}
run
check 4 2 "partial with the pseudo-header's sum (line: family, data segments, partial, complete, bad)"
check 6 2 "partial with the pseudo-header's sum"
echo "ok   partial: every data segment over IPv4 and IPv6, 1 MiB each intact"
run --pcap "$WORK/ns.pcap"
check 4 3 "complete and right with --pcap"
check 6 3 "complete and right with --pcap"
pcap_check "$WORK/ns.pcap" "tcp.srcport == 9400" transport
pass "the stack's segments leave partial (complete with --pcap), their sums right"
