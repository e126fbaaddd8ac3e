#!/usr/bin/env bash
# `make check-loss` (root) runs it at 1% and 5%, floor 0.3. `make check`
# runs it at 5% with floor 0.3 and at 1% with floor 0.2
# (tests/interop/loss_floor.sh, which says why each floor): a test that
# fails at random would block every landing.
# Goodput floor under random loss, as a ratio to the Linux kernel on the same
# path in the same run (bench/loss_vs_kernel.sh, small): curl in namespace K
# downloads from glasstcp's --http over TUN and, as the anchor, from a kernel
# sendfile server in namespace P over veth; namespace R (this one) routes both
# and drops forwarded TCP with nftables `numgen random mod 100 < P`, both
# ways (a drop between hosts: Linux takes one on its own output hook as a
# local send error, not a loss). GSO/TSO/GRO off on the veths, no --offload,
# the kernel sender's congestion control cubic (loss-based, as glasstcp's;
# this machine's default may be bbr, which shrugs off random loss).
# At 1% and 5% loss, glasstcp sending must reach >= GT_LOSS_FLOOR (0.3) x
# the kernel's goodput. Never an absolute time. Against noise: the anchor
# first downloads for GT_LOSS_ANCHOR_S (2 s) of a large file, and the size
# for both paths is what it moved in that time (at least 1 MB), so the
# anchor's transfer lasts about that long; goodput counts from the
# connection's establishment (a lost SYN's 1 s is not the transfer's); a rate
# below the floor is measured once more (anchor and glasstcp anew) and judged
# on both attempts together (bytes over time, each side). nftables' random
# drop cannot be seeded. glasstcp's transfer is cut at the time that already
# means failure (anchor time / floor + 2 s), which bounds the runtime.
# GT_LOSS_LOGS=DIR keeps each glasstcp serve log (its counters) there;
# GT_LOSS_PCAP=DIR a capture of glasstcp's link for each transfer.
HERE=$(cd "$(dirname "$0")" && pwd) # bench/, for sendfile_server.py
. "$HERE/../tests/interop/lib.sh"
need curl python3 nft ethtool nsenter awk
enter_netns "$@"

FLOOR=${GT_LOSS_FLOOR:-0.3}
RATES=${GT_LOSS_RATES:-"1 5"}
ANCHOR_S=${GT_LOSS_ANCHOR_S:-2}
MIN_BYTES=1000000
MAX_BYTES=200000000

# --- K and P, held by a sleep each, routed through this namespace (R) ---
router_kp 200
for ns in inK inP; do
	$ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
done
ethtool -K kv1 gso off tso off gro off && ethtool -K pv1 gso off tso off gro off &&
	inK ethtool -K kv0 gso off tso off gro off && inP ethtool -K pv0 gso off tso off gro off ||
	skip "ethtool -K cannot turn the veth offloads off"
nft add table inet gtloss 2>/dev/null || skip "nftables not permitted"
nft add chain inet gtloss lossy '{ type filter hook forward priority 0; }' || fail "nft chain"

mkdir -p "$WORK/www"
inP timeout 180 python3 "$HERE/sendfile_server.py" 10.202.0.2 8080 "$WORK/www" cubic >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do inP ss -tln | grep -q 10.202.0.2:8080 && break; sleep 0.05; done
inP ss -tln | grep -q 10.202.0.2:8080 || fail "the kernel's HTTP server in P did not start"
grep -qw cubic /proc/sys/net/ipv4/tcp_available_congestion_control || skip "cubic congestion control not available"

# fetch URL BYTES MAX_S: curl in K; sets F_mbit (from establishment), F_t, F_size, F_rc
fetch() {
	local out code tc tt
	out=$(inK timeout $((${3%.*} + 10)) curl -s -o /dev/null --max-time "$3" \
		-w '%{http_code} %{size_download} %{time_connect} %{time_total}' "$1")
	F_rc=$?
	read -r code F_size tc tt <<<"$out"
	F_t=$(awk -v a="${tc:-0}" -v b="${tt:-0}" 'BEGIN{printf "%.3f", b-a}')
	F_mbit=$(awk -v s="${F_size:-0}" -v t="$F_t" 'BEGIN{ if (t > 0) printf "%.1f", s*8/t/1e6; else print 0 }')
	[ "$F_rc" = 0 ] && [ "$code" = 200 ] && [ "$F_size" = "$2" ]
}
rtos_P() { inP nstat -asz TcpExtTCPTimeouts 2>/dev/null | awk '$1=="TcpExtTCPTimeouts"{print $2}'; }

# attempt BYTES PCT: anchor then glasstcp, same bytes. Appends to G_bytes,
# G_t, K_bytes, K_t (a cut glasstcp transfer counts its whole cut time, so
# its goodput is at most what it shows) and sets A_line.
attempt() {
	local bytes=$1 p0 p1 ka kt limit ok=1 how g gto
	p0=$(rtos_P)
	fetch http://10.202.0.2:8080/f "$bytes" 60 || fail "$2% loss: the kernel anchor could not download $bytes bytes (curl rc $F_rc, ${F_size:-0} bytes)"
	p1=$(rtos_P)
	ka=$F_mbit kt=$F_t
	K_bytes=$((K_bytes + bytes)) K_t=$(awk -v a="$K_t" -v b="$kt" 'BEGIN{print a+b}')
	limit=$(awk -v t="$kt" -v f="$FLOOR" 'BEGIN{printf "%.1f", t/f + 2}')
	serve --http 80 "$WORK/www" --counters --grace-ms 300 \
		${GT_LOSS_PCAP:+--pcap "$GT_LOSS_PCAP/serve-$2pct-$bytes.pcap"}
	fetch http://$GADDR/f "$bytes" "$limit" || ok=0
	serve_stop
	[ -z "${GT_LOSS_LOGS:-}" ] || cp "$SERVE_LOG" "$GT_LOSS_LOGS/serve-$2pct-$bytes.log"
	gto=$(awk '$1=="TcpTimeouts"{v=$2} END{print v+0}' "$SERVE_LOG")
	g=$F_mbit
	if [ $ok = 1 ]; then
		how="glasstcp $g Mbit/s (${F_t} s)"
		G_bytes=$((G_bytes + bytes)) G_t=$(awk -v a="$G_t" -v b="$F_t" 'BEGIN{print a+b}')
	elif [ "$F_rc" = 28 ] || [ "$F_rc" = 124 ]; then
		how="glasstcp cut at ${limit} s (anchor/floor + 2 s) with ${F_size:-0} of $bytes bytes (~$g Mbit/s while it ran)"
		g=$(awk -v b="$bytes" -v l="$limit" 'BEGIN{printf "%.1f", b*8/l/1e6}')
		how="$how: < $g Mbit/s"
		G_bytes=$((G_bytes + ${F_size:-0})) G_t=$(awk -v a="$G_t" -v b="$limit" 'BEGIN{print a+b}')
	else
		fail "$2% loss: glasstcp's download did not run (curl rc $F_rc, ${F_size:-0} bytes)"
	fi
	A_line="$2% loss, $bytes bytes: kernel $ka Mbit/s (${kt} s, P's RTOs $((p1 - p0))); $how, TcpTimeouts $gto, RetransSegs $(counter RetransSegs); ratio $([ $ok = 1 ] || echo '< ')$(awk -v g="$g" -v k="$ka" 'BEGIN{printf "%.3f", g/k}')"
}
pooled() { # glasstcp's goodput over the kernel's, all attempts of this rate
	awk -v gb="$G_bytes" -v gt="$G_t" -v kb="$K_bytes" -v kt="$K_t" 'BEGIN{printf "%.3f", (gb/gt)/(kb/kt)}'
}
above() { awk -v r="$1" -v f="$FLOOR" 'BEGIN{exit !(r >= f)}'; }

failed=()
for pct in $RATES; do
	nft flush chain inet gtloss lossy
	nft add rule inet gtloss lossy meta l4proto tcp numgen random mod 100 \< "$pct" counter drop
	# Calibration: what the anchor moves in ANCHOR_S is the size of both transfers.
	truncate -s $MAX_BYTES "$WORK/www/f" # sparse: no disk
	fetch http://10.202.0.2:8080/f $MAX_BYTES "$ANCHOR_S"
	bytes=$(awk -v n="${F_size:-0}" -v lo=$MIN_BYTES 'BEGIN{b=int(n/1e6+1)*1000000; print (b < lo ? lo : b)}')
	truncate -s "$bytes" "$WORK/www/f"
	G_bytes=0 G_t=0 K_bytes=0 K_t=0
	attempt "$bytes" "$pct"
	r=$(pooled)
	if above "$r"; then
		echo "ok   $A_line"
	else
		echo "low  $A_line; measuring once more"
		attempt "$bytes" "$pct"
		r=$(pooled)
		echo "     $A_line; both attempts: ratio $r"
		above "$r" || failed+=("$pct% (ratio $r)")
	fi
done
dropped=$(nft list chain inet gtloss lossy | grep -o 'packets [0-9]*' | awk '{s+=$2} END{print s+0}')
[ ${#failed[@]} = 0 ] || { SERVE_LOG=; fail "glasstcp's goodput below $FLOOR x the kernel's at ${failed[*]} loss, over two attempts each (numbers above)"; }
pass "glasstcp sending >= $FLOOR x the kernel's goodput at loss ${RATES// /% and }% (last rate: nft dropped $dropped)"
