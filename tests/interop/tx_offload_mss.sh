#!/usr/bin/env bash
# Transmit offload at a peer's smaller MSS (--offload): the runtime's device
# takes each large segment's gso_size from the stack (gt_device.transmit_gso:
# the connection's MSS less the options), so glasstcp keeps TSO when the
# kernel peer advertises 536 (a route's advmss, as MSS clamping on a VPN or
# PPPoE path would give it). Before, TSO was taken only at the MSS the MTU
# allows, and this download went one write per segment. Checks:
#  - curl downloads of 1 MB and 30 MB from glasstcp, the kernel's SYN
#    carrying MSS 536: intact, GSO writes out, more than one segment each;
#    the same 30 MB with --no-tso for the rate beside it (docs/tun.md);
#  - the kernel really cuts them at the MSS: a second namespace (the peer,
#    lib.sh's offload_peer: a veth without transmit checksumming, so the
#    kernel segments in software) downloads through this one with advmss
#    536 on its route; tshark there finds no segment of glasstcp's with
#    more than 536 payload bytes, full ones of 524 (536 less the 12 bytes of
#    timestamps), and no bad checksum; the peer's TcpInCsumErrors unchanged.
# Addresses: 10.200.0.0/24 on the TUN link, 10.201.0.0/24 on the veth, both
# only inside namespaces this test creates.
. "$(dirname "$0")/lib.sh"
need curl python3 nstat
enter_netns "$@"

MSS=536
mkdir -p "$WORK/www"
for s in 1M 30M; do head -c $s /dev/urandom >"$WORK/www/f$s"; done

# segs_per_write: the segments the kernel cut each GSO write into, on average.
segs_per_write() {
	grep -o '[0-9]* GSO writes out, cut into [0-9]* segments' "$SERVE_LOG" |
		awk '{ if ($1 > 0) printf "%d", $7 / $1; else print 0 }'
}

# The kernel's SYNs to glasstcp's address carry MSS 536.
serve --http 80 "$WORK/www" --offload --counters
ip route add $GADDR/32 dev gt0 src $KADDR advmss $MSS || fail "advmss route"
for s in 1M 30M; do fetch_in "" http://$GADDR/f$s "$WORK/www/f$s"; done
serve_stop
grep -E 'offload:' "$SERVE_LOG"
[ "$(counter InErrs)" = 0 ] || fail "TcpInErrs $(counter InErrs)"
grep -q ' 0 tx errors' "$SERVE_LOG" || fail "tx errors: $(grep '^device' "$SERVE_LOG")"
GW=$(gso_writes)
[ "${GW:-0}" -gt 0 ] || fail "no GSO write at MSS $MSS: TX offload not used"
SPW=$(segs_per_write)
[ "${SPW:-0}" -ge 2 ] || fail "GSO writes of $SPW segments on average"
echo "MSS $MSS: $GW GSO writes, $SPW segments each on average"
[ "$(tcp_csum_errors)" = 0 ] || fail "kernel TcpInCsumErrors $(tcp_csum_errors)"

# The same download without transmit offload, for the rate beside it.
serve --http 80 "$WORK/www" --offload --no-tso
ip route replace $GADDR/32 dev gt0 src $KADDR advmss $MSS || fail "advmss route"
echo "--no-tso:"
fetch_in "" http://$GADDR/f30M "$WORK/www/f30M"
serve_stop

# Forwarded to a peer that advertises 536 itself: the kernel cuts each GSO
# write in software at the gso_size glasstcp gave.
offload_peer
ip addr add 10.201.0.1/24 dev v0 && ip link set v0 up || fail "v0"
inpeer sh -c "ip link set lo up && ip addr add 10.201.0.2/24 dev v1 && ip link set v1 up &&
	ip route add 10.200.0.0/24 via 10.201.0.1 advmss $MSS" || fail "v1"
sysctl -qw net.ipv4.ip_forward=1 || fail "ip_forward"
serve --http 80 "$WORK/www" --offload
peer_capture_start "$WORK/fwd.pcap"
fetch_in $PEER http://$GADDR/f1M "$WORK/www/f1M"
serve_stop
grep 'offload:' "$SERVE_LOG"
[ "$(gso_writes)" -gt 0 ] 2>/dev/null || fail "forwarded: no GSO write at MSS $MSS"
peer_capture_check "ip.src == $GADDR" "ip.src == $GADDR && tcp.len > $MSS" "segments over the peer's MSS $MSS"
if [ -n "$CAP" ]; then
	tshark_count "$WORK/fwd.pcap" "ip.src == $GADDR && tcp.len == $((MSS - 12))"
	full=$COUNT
	[ "$full" -gt 0 ] || fail "no segment of $((MSS - 12)) payload bytes reached the peer"
	echo "the peer got $full full segments of $((MSS - 12)) bytes, none over $MSS"
fi
pass "TSO at a peer's MSS of $MSS: GSO writes cut at the MSS, bytes intact"
