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

e0=$(tcp_csum_errors)
serve --http 80 "$WORK/www" --echo 7 --addr $G6/64 --kernel-addr $K6/64 --offload --counters
for s in 1M 30M; do fetch_in "" "http://[$G6]/f$s" "$WORK/www/f$s" -6 -g; done
head -c 4M /dev/urandom >"$WORK/e"
timeout 60 socat -6 -t 30 -T 50 - "TCP6:[$G6]:7" <"$WORK/e" >"$WORK/e.out" || fail "socat -6 echo"
[ "$(sha "$WORK/e.out")" = "$(sha "$WORK/e")" ] || fail "socat -6: the echo differs"
serve_stop
grep -E 'offload:|^counters:' "$SERVE_LOG"
[ "$(counter InErrs)" = 0 ] || fail "TcpInErrs $(counter InErrs)"
GW=$(gso_writes)
[ "${GW:-0}" -gt 0 ] || fail "no GSO write over IPv6: TX offload not used"
TI=$(tso_in)
[ "${TI:-0}" -gt 0 ] || fail "no TSO super-segment from the kernel's IPv6 TCP"
grep -q ' 0 tx errors' "$SERVE_LOG" || fail "tx errors: $(grep '^device' "$SERVE_LOG")"
[ "$(tcp_csum_errors)" = "$e0" ] || fail "kernel TcpInCsumErrors $e0 -> $(tcp_csum_errors)"
echo "socat -6 4 MB through glasstcp's echo: intact; $GW GSO writes out, $TI TSO super-segments in"

# glasstcp as the IPv6 sender on the client side: `send` through a kernel echo.
ip tuntap add dev gt0 mode tun || fail "ip tuntap add"
ip link set gt0 up || fail "ip link set up"
ip -6 addr add $K6/64 dev gt0 nodad || fail "ip -6 addr add"
send_offload_echo $K6 $G6/64 "$WORK/e"
sw=$SEND_GSO_WRITES
ip link del gt0 2>/dev/null

# The kernel's segmentation of IPv6 GSO writes, verified by a peer namespace.
offload_peer
ip -6 addr add 2001:db8:201::1/64 dev v0 nodad && ip link set v0 up || fail "v0"
inpeer sh -c 'sysctl -qw net.ipv6.conf.all.disable_ipv6=0 && ip link set lo up &&
	ip -6 addr add 2001:db8:201::2/64 dev v1 nodad && ip link set v1 up &&
	ip -6 route add 2001:db8:200::/64 via 2001:db8:201::1' || fail "v1"
sysctl -qw net.ipv6.conf.all.forwarding=1 || fail "IPv6 forwarding"
serve --http 80 "$WORK/www" --addr $G6/64 --kernel-addr $K6/64 --offload
peer_capture_start "$WORK/fwd.pcap"
for s in 1M 30M; do fetch_in $PEER "http://[$G6]/f$s" "$WORK/www/f$s" -6 -g; done
serve_stop
grep 'offload:' "$SERVE_LOG"
FW=$(gso_writes)
[ "${FW:-0}" -gt 0 ] || fail "forwarded: no GSO write"
peer_capture_check "ipv6.src == $G6" 'ipv6.plen > 1460' "packets over the MTU"
echo "forwarded over IPv6 through a veth without checksum offload: 1M and 30M intact, $FW GSO writes, peer TcpInCsumErrors unchanged"
if [ -n "$CAP" ]; then
	tshark_count "$WORK/fwd.pcap" "ipv6.src == $G6 && tcp.len > 0"
	n6=$COUNT
	[ "$n6" -gt 1000 ] || fail "only $n6 data segments from glasstcp in the peer's capture"
	echo "peer capture: $n6 data segments from glasstcp, none over the MTU, no bad checksum"
fi
pass "IPv6 with TX offload: curl -6, socat -6, send [v6] intact ($GW + $sw GSO writes, $TI TSO super-segments in); kernel-cut IPv6 segments verified in a peer namespace"
