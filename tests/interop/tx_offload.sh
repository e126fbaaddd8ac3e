#!/usr/bin/env bash
# Transmit offload (--offload): glasstcp hands the TUN device TCP segments of
# up to 64,000 payload bytes, one write each, and the kernel cuts them
# (virtio-net GSO, partial checksum). Checks:
#  - curl downloads of 1 KB to 100 MB (sha256), socat echo both ways with
#    half-close, `glasstcp send` through a kernel echo: the large segments
#    were written (the serve counters) and nothing is lost;
#  - the kernel really cuts them into valid segments: a second namespace
#    (the "peer") downloads through this one, which forwards out a veth whose
#    transmit checksumming is off, so the kernel segments in software and
#    computes each checksum from the partial sum glasstcp wrote; the peer's
#    TCP verifies every one (TcpInCsumErrors stays 0) and tshark, capturing
#    in the peer, finds no bad checksum and no packet over the MTU;
#  - with nftables dropping 5% each way (whole GSO writes), downloads intact;
#  - the stack's own capture reads back cleanly in tshark;
#  - the link lost nothing (below, after the first serve's counters).
# Addresses: 10.200.0.0/24 on the TUN link, 10.201.0.0/24 on the veth, both
# only inside namespaces this test creates.
. "$(dirname "$0")/lib.sh"
need curl socat python3 nstat
enter_netns "$@"

mkdir -p "$WORK/www"
for s in 1K 64K 1M 10M 100M; do head -c $s /dev/urandom >"$WORK/www/f$s"; done

# The kernel's counters in this namespace (-s: nstat's history file, shared
# with other namespaces, left alone), summed over the names given.
kstat() { nstat -asz "$@" | awk '{s+=$2} END{print s+0}'; }
KDROPS="TcpExtTCPBacklogDrop TcpExtTCPRcvQDrop TcpExtTCPOFODrop TcpExtTCPZeroWindowDrop TcpExtPFMemallocDrop TcpExtRcvPruned IpInDiscards"
KDUPS="TcpExtTCPDSACKOldSent TcpExtTCPDSACKOfoSent"
kdrops0=$(kstat $KDROPS) kdups0=$(kstat $KDUPS)
serve --http 80 "$WORK/www" --echo 7 --offload --counters
for s in 1K 64K 1M 10M 100M; do fetch_in "" http://$GADDR/f$s "$WORK/www/f$s"; done
for s in 100000 4M; do
	head -c $s /dev/urandom >"$WORK/e$s"
	timeout 60 socat -t 30 -T 50 - TCP:$GADDR:7 <"$WORK/e$s" >"$WORK/e$s.out" || fail "socat echo $s"
	[ "$(sha "$WORK/e$s.out")" = "$(sha "$WORK/e$s")" ] || fail "echo of $s bytes differs"
	echo "echo $s bytes: intact after half-close"
done
serve_stop
grep -E 'offload:|^counters:|^tun:' "$SERVE_LOG"
[ "$(counter InErrs)" = 0 ] || fail "TcpInErrs $(counter InErrs)"
# A clean link loses nothing: every segment glasstcp retransmitted reached
# the kernel as a copy of one it held already, which its TCP answers with a
# D-SACK and counts (tcp_dsack_set(): TCPDSACKOldSent, TCPDSACKOfoSent; one
# per duplicate skb, as RetransSegs counts one per segment sent, a GSO write
# being one of each). The retransmissions themselves are not the fault: a
# tail loss probe (RFC 8985 7) goes after 2 SRTT + 2 ms while the kernel may
# hold an odd last segment's ACK 40 ms, as it does for Linux senders; and on
# a loaded machine the kernel's ACKs may come later than the RTO (the
# receiver descheduled holding its socket, or glasstcp's loop away from the
# device), so a timeout fires for segments that arrived: the stack must undo
# it (RFC 7323 / Linux's TCPLossUndo, F-RTO's TCPSpuriousRTOs, a D-SACK
# undo). With the kernel's ACKs held 0.5 s by a tbf qdisc on gt0, three
# times in a 100 MB download: TcpTimeouts 1, TcpLossUndo 1, RetransSegs 3,
# the kernel's TCPDSACKOldSent 3 (this asserted TcpTimeouts 0 and
# RetransSegs <= TcpLossProbes, and failed there). What a real loss shows
# instead: a retransmission that fills a hole (no D-SACK) and a recovery
# nobody undoes. Only drops counted on the way, by the kernel (its TCP
# receive drops, IpInDiscards) or the device (TunKernelTxDropped: its queue
# to glasstcp, with the reader away, full; TunKernelRxDropped), let a
# recovery go undone, one each at most.
full() { awk -v n="$1" '$1==n{v=$2} END{print v+0}' "$SERVE_LOG"; }
tunc() { grep '^tun:' "$SERVE_LOG" | grep -o "$1 [0-9]*" | head -1 | awk '{print $2}'; }
retr=$(counter RetransSegs) fr=$(full TcpFastRetrans) rto=$(full TcpTimeouts)
undone=$(($(full TcpLossUndo) + $(full TcpSpuriousRTOs) + $(full TcpDSACKUndo) + $(full TcpFullUndo) + $(full TcpPartialUndo) + $(full TcpRenoUndo)))
dups=$(($(kstat $KDUPS) - kdups0))
td=$(tunc TunKernelTxDropped) trd=$(tunc TunKernelRxDropped)
[ -n "$td" ] && [ -n "$trd" ] || fail "the device's drops unknown: $(grep '^tun:' "$SERVE_LOG")"
kd=$(($(kstat $KDROPS) - kdrops0))
drops=$((kd + td + trd))
echo "retransmissions: $retr (tail loss probes $(full TcpLossProbes)), duplicates the kernel D-SACKed $dups;" \
	"fast retransmits $fr, timeouts $rto, undone $undone; dropped on the way: kernel $kd, device $td to glasstcp, $trd from it"
if [ "$drops" = 0 ]; then
	[ "$retr" -le "$dups" ] ||
		fail "RetransSegs $retr on a clean link, only $dups of them copies the kernel held (D-SACK): a segment was lost"
	# A timeout that backs off before the late ACKs come counts twice
	# for one undo: every timeout's copy is a duplicate (above), and at
	# least one undo says the stack saw it.
	[ $((fr + (rto > 0))) -le "$undone" ] ||
		fail "TcpFastRetrans $fr and TcpTimeouts $rto on a clean link, $undone recoveries undone"
else
	[ $((fr + rto - undone)) -le "$drops" ] ||
		fail "TcpFastRetrans $fr and TcpTimeouts $rto, $undone undone: more recoveries than the $drops drops counted on the way"
fi
GW=$(gso_writes)
[ "${GW:-0}" -gt 0 ] || fail "no GSO write: TX offload not used"
grep -q ' 0 tx errors' "$SERVE_LOG" || fail "tx errors: $(grep '^device' "$SERVE_LOG")"
[ "$(tcp_csum_errors)" = 0 ] || fail "kernel TcpInCsumErrors $(tcp_csum_errors)"

# glasstcp as the sender on the client side: `send` through a kernel echo
# (the device made first, so that socat can bind the kernel's address).
make_tun
send_offload_echo $KADDR $GADDR/24 "$WORK/e4M"

# The kernel's segmentation, verified in software by a peer namespace.
offload_peer
ip addr add 10.201.0.1/24 dev v0 && ip link set v0 up || fail "v0"
inpeer sh -c 'ip link set lo up && ip addr add 10.201.0.2/24 dev v1 && ip link set v1 up &&
	ip route add 10.200.0.0/24 via 10.201.0.1' || fail "v1"
sysctl -qw net.ipv4.ip_forward=1 || fail "ip_forward"
serve --http 80 "$WORK/www" --offload
peer_capture_start "$WORK/fwd.pcap"
for s in 1M 10M; do fetch_in $PEER http://$GADDR/f$s "$WORK/www/f$s"; done
serve_stop
grep 'offload:' "$SERVE_LOG"
[ "$(gso_writes)" -gt 0 ] 2>/dev/null || fail "forwarded: no GSO write"
# Only glasstcp's segments, as the kernel cut them, are judged, at IP and
# TCP: a live capture may miss frames (dumpcap's "packets dropped" above),
# and lib.sh's pcap_check says what HTTP then makes of the rest.
peer_capture_check "ip.src == $GADDR" 'ip.len > 1500' "packets over the MTU"
echo "forwarded through a veth without checksum offload: 1M and 10M intact, peer TcpInCsumErrors unchanged"
if [ -n "$CAP" ]; then
	# The same check on a copy without the frames that carry the responses'
	# heads, as a loaded machine's capture loses them now and then: it must
	# pass too (it failed once in a few loaded runs when HTTP was judged).
	heads=$(timeout 60 tshark -r "$WORK/fwd.pcap" "${TSHARK_SEG[@]}" -Y "ip.src == $GADDR && frame contains \"HTTP/1.1 200\"" \
		-T fields -e frame.number 2>/dev/null | tr '\n' ' ')
	if [ -n "$heads" ] && command -v editcap >/dev/null 2>&1; then
		# shellcheck disable=SC2086 # frame numbers, one word each
		editcap "$WORK/fwd.pcap" "$WORK/fwd-lost.pcap" $heads >/dev/null 2>&1 || fail "editcap"
		pcap_check "$WORK/fwd-lost.pcap" "ip.src == $GADDR" transport kernel-csum
		echo "  (frames $heads removed, as a capture under load may lose them)"
	fi
fi

# Loss on the kernel's side (nftables, 5% each way): the input hook sees a GSO
# write before it is cut, so one drop loses a burst of up to 44 segments;
# the stack recovers and the files arrive intact.
if command -v nft >/dev/null 2>&1 && nft add table inet gtso 2>/dev/null; then
	serve --http 80 "$WORK/www" --offload
	nft add chain inet gtso in '{ type filter hook input priority 0; }'
	nft add chain inet gtso out '{ type filter hook output priority 0; }'
	nft add rule inet gtso in iifname gt0 numgen random mod 100 \< 5 counter drop
	nft add rule inet gtso out oifname gt0 numgen random mod 100 \< 5 counter drop
	for s in 1M 10M; do
		timeout 120 curl -sS --max-time 110 -o "$WORK/got" http://$GADDR/f$s || fail "nft loss: curl f$s"
		[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f$s")" ] || fail "nft loss: f$s differs"
	done
	serve_stop
	[ "$(counter RetransSegs)" -gt 0 ] || fail "nft loss: glasstcp retransmitted nothing"
	echo "nft 5% loss each way: 1M and 10M intact; RetransSegs $(counter RetransSegs); $(gso_writes) GSO writes; nft dropped $(nft list table inet gtso | grep -o 'packets [0-9]*' | awk '{s+=$2} END{print s}') packets"
	nft delete table inet gtso
else
	echo "note: nft missing or not permitted: the kernel-side loss part is skipped"
fi

# The stack's own capture of large segments: tshark reads it cleanly, and
# the segments that leave with a partial checksum (every one that is not cut
# by the kernel: --offload gives the device checksum offload both ways) are
# completed for it, so pcap_check finds every checksum right.
serve --http 80 "$WORK/www" --offload --pcap "$WORK/cap.pcap"
timeout 20 curl -sS --max-time 10 -o "$WORK/got" http://$GADDR/f1M || fail "pcap run: curl"
[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f1M")" ] || fail "pcap run: f1M differs"
serve_stop
grep -Eq ' [1-9][0-9]* partial checksums completed for the capture' "$SERVE_LOG" ||
	fail "pcap run: no partial checksum completed for the capture: $(grep 'offload:' "$SERVE_LOG")"
pcap_check "$WORK/cap.pcap"
pass "downloads 1 KB-100 MB, echo and send with TX offload ($GW GSO writes); kernel-cut segments verified in a peer namespace"
