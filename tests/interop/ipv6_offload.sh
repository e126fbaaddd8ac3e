#!/usr/bin/env bash
# IPv6 with --offload (issue 16): the TUN device offers the kernel TSO6 too,
# so glasstcp hands it IPv6/TCP segments of up to 64,000 payload bytes, one
# write each with a virtio-net header of gso_type VIRTIO_NET_HDR_GSO_TCPV6
# (runtime/tun/gso.c), and the kernel's own IPv6 TCP sends glasstcp its
# super-segments whole. Checks, in a private network namespace (IPv6 on in
# it only; 2001:db8:200::/64 on the TUN link, 2001:db8:201::/64 on a veth,
# documentation prefixes, RFC 3849):
#  - curl -6 downloads of 1 MB and 30 MB intact, with GSO writes out, and no
#    TCP checksum error counted by the kernel;
#  - socat -6 sends 4 MB through glasstcp's echo: the kernel's TSO
#    super-segments come in (counted), the echo is intact;
#  - `glasstcp send [v6]` with --offload through a kernel echo: GSO writes;
#  - the kernel really cuts IPv6 GSO writes into valid segments: a second
#    namespace downloads through this one, which forwards out a veth whose
#    transmit checksumming is off (the kernel segments in software and
#    completes each checksum from the partial sum glasstcp wrote); the
#    peer's TCP verifies every one (TcpInCsumErrors stays 0) and tshark,
#    capturing there, finds no bad checksum and no packet over the MTU.
. "$(dirname "$0")/lib.sh"
need curl socat python3 nstat
enter_netns "$@"
sysctl -qw net.ipv6.conf.all.disable_ipv6=0 || skip "cannot enable IPv6 in the namespace"
sysctl -qw net.ipv6.conf.default.disable_ipv6=0
K6=2001:db8:200::1
G6=2001:db8:200::2

mkdir -p "$WORK/www"
for s in 1M 30M; do head -c $s /dev/urandom >"$WORK/www/f$s"; done
gso_writes() { grep -o '[0-9]* GSO writes out' "$1" | awk '{print $1}'; }
tso_in() { grep -o '[0-9]* TSO super-segments in' "$1" | awk '{print $1}'; }
csum_errors() { nstat -az TcpInCsumErrors | awk '$1=="TcpInCsumErrors"{print $2}'; }

e0=$(csum_errors)
serve --http 80 "$WORK/www" --echo 7 --addr $G6/64 --kernel-addr $K6/64 --offload --counters
for s in 1M 30M; do
	out=$(timeout 60 curl -6 -g -sS --max-time 50 -o "$WORK/got" -w '%{http_code} %{speed_download}' \
		"http://[$G6]/f$s") || fail "curl -6 f$s: $out"
	[ "${out%% *}" = 200 ] || fail "curl -6 f$s: HTTP ${out%% *}"
	[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f$s")" ] || fail "curl -6 f$s: sha256 differs"
	echo "curl -6 f$s: intact, $(awk -v b="${out#* }" 'BEGIN{printf "%.0f Mbit/s", b*8/1e6}')"
done
head -c 4M /dev/urandom >"$WORK/e"
timeout 60 socat -6 -t 30 -T 50 - "TCP6:[$G6]:7" <"$WORK/e" >"$WORK/e.out" || fail "socat -6 echo"
[ "$(sha "$WORK/e.out")" = "$(sha "$WORK/e")" ] || fail "socat -6: the echo differs"
serve_stop
grep -E 'offload:|^counters:' "$SERVE_LOG"
[ "$(counter InErrs)" = 0 ] || fail "TcpInErrs $(counter InErrs)"
GW=$(gso_writes "$SERVE_LOG")
[ "${GW:-0}" -gt 0 ] || fail "no GSO write over IPv6: TX offload not used"
TI=$(tso_in "$SERVE_LOG")
[ "${TI:-0}" -gt 0 ] || fail "no TSO super-segment from the kernel's IPv6 TCP"
grep -q ' 0 tx errors' "$SERVE_LOG" || fail "tx errors: $(grep '^device' "$SERVE_LOG")"
[ "$(csum_errors)" = "$e0" ] || fail "kernel TcpInCsumErrors $e0 -> $(csum_errors)"
echo "socat -6 4 MB through glasstcp's echo: intact; $GW GSO writes out, $TI TSO super-segments in"

# glasstcp as the IPv6 sender on the client side: `send` through a kernel echo.
ip tuntap add dev gt0 mode tun || fail "ip tuntap add"
ip link set gt0 up || fail "ip link set up"
ip -6 addr add $K6/64 dev gt0 nodad || fail "ip -6 addr add"
timeout 60 socat TCP6-LISTEN:7007,bind="[$K6]",reuseaddr EXEC:cat &
PIDS+=($!)
for _ in $(seq 100); do ss -tln | grep -q "$K6\]:7007" && break; sleep 0.05; done
timeout 60 "$GT" send "$K6" 7007 --tun gt0 --addr $G6/64 --offload \
	<"$WORK/e" >"$WORK/s.out" 2>"$WORK/send.err" || fail "send: $(cat "$WORK/send.err")"
[ "$(sha "$WORK/s.out")" = "$(sha "$WORK/e")" ] || fail "send [v6]: reply differs"
sw=$(gso_writes "$WORK/send.err")
[ "${sw:-0}" -gt 0 ] || fail "send [v6]: no GSO write ($(grep offload: "$WORK/send.err"))"
echo "send [$K6]:7007 4 MB through a kernel echo: intact, $sw GSO writes"
ip link del gt0 2>/dev/null

# The kernel's segmentation of IPv6 GSO writes, verified by a peer namespace.
unshare -n sleep 200 &
PEER=$!
PIDS+=($PEER)
sleep 0.2
inpeer() { nsenter -t $PEER -n "$@"; }
ip link add v0 type veth peer name v1 netns $PEER || fail "veth"
ip -6 addr add 2001:db8:201::1/64 dev v0 nodad && ip link set v0 up || fail "v0"
inpeer sh -c 'sysctl -qw net.ipv6.conf.all.disable_ipv6=0 && ip link set lo up &&
	ip -6 addr add 2001:db8:201::2/64 dev v1 nodad && ip link set v1 up &&
	ip -6 route add 2001:db8:200::/64 via 2001:db8:201::1' || fail "v1"
sysctl -qw net.ipv6.conf.all.forwarding=1 || fail "IPv6 forwarding"
# ETHTOOL_STXCSUM off on v0: TSO and SG go with it.
python3 - <<'EOF' || fail "cannot turn transmit checksumming off on v0"
import array, fcntl, socket, struct
val = array.array('I', [0x17, 0])            # ETHTOOL_STXCSUM, data 0
ifr = struct.pack('16sP', b'v0', val.buffer_info()[0])
fcntl.ioctl(socket.socket(), 0x8946, ifr)    # SIOCETHTOOL
EOF
serve --http 80 "$WORK/www" --addr $G6/64 --kernel-addr $K6/64 --offload
cap=""
if command -v tshark >/dev/null 2>&1; then
	nsenter -t $PEER -n timeout 60 tshark -B 32 -i v1 -w "$WORK/fwd.pcap" >"$WORK/tshark.log" 2>&1 &
	cap=$!
	PIDS+=($cap)
	for _ in $(seq 100); do grep -q 'Capturing on' "$WORK/tshark.log" && break; sleep 0.05; done
fi
before=$(inpeer nstat -az TcpInCsumErrors | awk '$1=="TcpInCsumErrors"{print $2}')
for s in 1M 30M; do
	inpeer timeout 60 curl -6 -g -sS --max-time 50 -o "$WORK/got" "http://[$G6]/f$s" ||
		fail "peer curl -6 f$s"
	[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f$s")" ] || fail "peer f$s: sha256 differs"
done
serve_stop
grep 'offload:' "$SERVE_LOG"
FW=$(gso_writes "$SERVE_LOG")
[ "${FW:-0}" -gt 0 ] || fail "forwarded: no GSO write"
if [ -n "$cap" ]; then
	sleep 0.5
	kill -INT "$cap" 2>/dev/null
	wait "$cap" 2>/dev/null
	grep -iE 'captured|dropped' "$WORK/tshark.log"
fi
after=$(inpeer nstat -az TcpInCsumErrors | awk '$1=="TcpInCsumErrors"{print $2}')
[ "$before" = "$after" ] || fail "the peer counted $((after - before)) TCP checksum errors"
echo "forwarded over IPv6 through a veth without checksum offload: 1M and 30M intact, $FW GSO writes, peer TcpInCsumErrors unchanged"
if [ -n "$cap" ]; then
	pcap_check "$WORK/fwd.pcap" "ipv6.src == $G6" transport
	big=$(timeout 60 tshark -r "$WORK/fwd.pcap" -Y 'ipv6.plen > 1460' 2>/dev/null | wc -l)
	[ "$big" = 0 ] || fail "$big packets over the MTU reached the peer"
	n6=$(timeout 60 tshark -r "$WORK/fwd.pcap" -Y "ipv6.src == $G6 && tcp.len > 0" 2>/dev/null | wc -l)
	[ "$n6" -gt 1000 ] || fail "only $n6 data segments from glasstcp in the peer's capture"
	echo "peer capture: $n6 data segments from glasstcp, none over the MTU, no bad checksum"
fi
pass "IPv6 with TX offload: curl -6, socat -6, send [v6] intact ($GW + $sw GSO writes, $TI TSO super-segments in); kernel-cut IPv6 segments verified in a peer namespace"
