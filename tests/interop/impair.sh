#!/usr/bin/env bash
# The same traffic under impairments, everything must arrive intact:
#  1. random loss on the kernel's side with nftables (numgen random; this
#     kernel has no netem), 5% each way on the TUN device;
#  2. glasstcp's own fault wrapper around the TUN device: 5% loss and 50 ms
#     delay each way, with 10 ms jitter, 1% duplication and 2% reordering.
. "$(dirname "$0")/lib.sh"
need curl python3 socat
enter_netns "$@"

mkdir -p "$WORK/www"
for s in 200K 3M; do head -c $s /dev/urandom >"$WORK/www/f$s"; done
head -c 100K /dev/urandom >"$WORK/e"

curl_check() { # FILE: kernel curl downloads it from glasstcp
	timeout 90 curl -sS --max-time 80 -o "$WORK/got" http://$GADDR/$1 || fail "$2: curl $1"
	[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/$1")" ] || fail "$2: $1 differs"
}
echo_check() {
	timeout 90 socat -t 60 -T 80 - TCP:$GADDR:7 <"$WORK/e" >"$WORK/e.out" || fail "$1: socat echo"
	[ "$(sha "$WORK/e.out")" = "$(sha "$WORK/e")" ] || fail "$1: echo differs"
}

# 1. nftables loss on the kernel's side.
if command -v nft >/dev/null 2>&1 && nft add table inet gtest 2>/dev/null; then
	serve --http 80 "$WORK/www" --echo 7
	nft add chain inet gtest in '{ type filter hook input priority 0; }'
	nft add chain inet gtest out '{ type filter hook output priority 0; }'
	nft add rule inet gtest in iifname gt0 numgen random mod 100 \< 5 counter drop
	nft add rule inet gtest out oifname gt0 numgen random mod 100 \< 5 counter drop
	curl_check f3M "nft loss"
	echo_check "nft loss"
	serve_stop
	echo "nft 5% loss each way: 3 MB download and 100 KB echo intact; $(grep '^counters:' "$SERVE_LOG" | grep -o 'RetransSegs [0-9]*') by glasstcp; nft dropped $(nft list table inet gtest | grep -o 'packets [0-9]*' | awk '{s+=$2} END{print s}') packets"
	[ "$(counter RetransSegs)" -gt 0 ] || fail "nft loss: glasstcp retransmitted nothing"
	nft delete table inet gtest
else
	echo "note: nft missing or not permitted: the kernel-side loss part is skipped"
fi

# 2. glasstcp's fault wrapper.
serve --http 80 "$WORK/www" --echo 7 --loss 5 --delay 50 --jitter 10 --dup 1 --reorder 2 --seed 7
curl_check f200K "fault wrapper"
echo_check "fault wrapper"
serve_stop
grep '^  faults' "$SERVE_LOG"
lost=$(grep '^  faults out' "$SERVE_LOG" | grep -o '[0-9]* lost' | cut -d' ' -f1)
[ "${lost:-0}" -gt 0 ] || fail "the fault wrapper lost nothing"
echo "fault wrapper 5% loss, 50 ms delay: 200 KB download and 100 KB echo intact; $(grep '^counters:' "$SERVE_LOG" | grep -o 'RetransSegs [0-9]*')"

# And glasstcp as the client through its own faults, from a kernel server.
ip tuntap add dev gt0 mode tun && ip addr add $KADDR/24 dev gt0 && ip link set gt0 up || fail "tun"
(cd "$WORK/www" && exec timeout 120 python3 -m http.server 8080 --bind $KADDR) >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do ss -tln | grep -q "$KADDR:8080" && break; sleep 0.05; done
timeout 90 "$GT" get http://$KADDR:8080/f200K -o "$WORK/got" --tun gt0 --addr $GADDR/24 \
	--loss 5 --delay 50 --jitter 10 --seed 3 2>"$WORK/get.err" || fail "get with faults: $(cat "$WORK/get.err")"
[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f200K")" ] || fail "get with faults: differs"
echo "get through the fault wrapper: intact ($(head -1 "$WORK/get.err"))"
pass "intact under nft loss and under the fault wrapper (server and client)"
