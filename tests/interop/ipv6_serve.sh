#!/usr/bin/env bash
# Issue 16 over real kernel TCP: kernel curl -6, wget -6 and socat -6
# against `glasstcp serve` on IPv6, in a private network namespace (IPv6 on
# inside it only; the addresses are 2001:db8:200::1, the kernel's side of the
# TUN device, and 2001:db8:200::2, glasstcp's: documentation prefixes, RFC
# 3849). Files of 1 KB to 30 MB by HTTP compared by sha256; 3 MB through the
# echo server; the same server answers IPv4 at the same time; then the other
# way, `glasstcp get http://[v6]:port/` and `glasstcp send [v6] port` to
# kernel servers; the capture decodes with no bad checksum.
. "$(dirname "$0")/lib.sh"
need curl socat python3
enter_netns "$@"
sysctl -qw net.ipv6.conf.all.disable_ipv6=0 || skip "cannot enable IPv6 in the namespace"
sysctl -qw net.ipv6.conf.default.disable_ipv6=0
K6=2001:db8:200::1
G6=2001:db8:200::2

mkdir -p "$WORK/www"
for s in 1K 64K 1M 30M; do head -c $s /dev/urandom >"$WORK/www/f$s"; done
serve --http 80 "$WORK/www" --echo 7 --addr $G6/64 --kernel-addr $K6/64 --pcap "$WORK/cap.pcap"
grep -q "$G6/64" "$SERVE_LOG" || fail "serve does not name its IPv6 address: $(head -2 "$SERVE_LOG")"

# What a failed transfer leaves to read (seen once, in a run of the
# interop set at load 7, not again in 40 runs: the first curl -6 timed
# out, no byte received, with nothing else printed): the kernel's
# addresses and their flags (tentative?), its IPv6 routes, glasstcp's
# socket listing and counters (SIGUSR1), and what glasstcp's capture saw.
v6_diag() {
	ip -6 addr show dev gt0
	ip -6 route show dev gt0
	kill -USR1 "$SERVE_PID" 2>/dev/null && sleep 0.5
	command -v tshark >/dev/null 2>&1 && timeout 20 tshark -r "$WORK/cap.pcap" 2>/dev/null | head -20
}
for s in 1K 64K 1M 30M; do
	out=$(timeout 60 curl -6 -g -sS --max-time 50 -o "$WORK/got" -w '%{http_code} %{speed_download}' \
		"http://[$G6]/f$s") || { v6_diag; fail "curl -6 f$s: $out"; }
	[ "${out%% *}" = 200 ] || fail "curl -6 f$s: HTTP ${out%% *}"
	[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f$s")" ] || fail "curl -6 f$s: sha256 differs"
	echo "curl -6 f$s: intact, $(awk -v b="${out#* }" 'BEGIN{printf "%.0f Mbit/s", b*8/1e6}')"
done
if command -v wget >/dev/null 2>&1; then
	timeout 60 wget -6 -q -O "$WORK/got" "http://[$G6]/f1M" || fail "wget -6 f1M"
	[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f1M")" ] || fail "wget -6 f1M: sha256 differs"
	echo "wget -6 f1M: intact"
fi
head -c 3M /dev/urandom >"$WORK/e"
timeout 60 socat -6 -t 30 -T 50 - "TCP6:[$G6]:7" <"$WORK/e" >"$WORK/e.out" || fail "socat -6 echo"
[ "$(sha "$WORK/e.out")" = "$(sha "$WORK/e")" ] || fail "socat -6: the echo differs"
echo "socat -6 3 MB through glasstcp's echo: intact"
# The same server over IPv4, at the same time as an IPv6 download.
timeout 60 curl -6 -g -sS --max-time 50 -o "$WORK/got6" "http://[$G6]/f30M" &
c6=$!
timeout 60 curl -4 -sS --max-time 50 -o "$WORK/got4" "http://$GADDR/f30M" || fail "curl -4 beside -6"
wait $c6 || fail "curl -6 beside -4"
[ "$(sha "$WORK/got4")" = "$(sha "$WORK/www/f30M")" ] || fail "curl -4 f30M differs"
[ "$(sha "$WORK/got6")" = "$(sha "$WORK/www/f30M")" ] || fail "curl -6 f30M (beside -4) differs"
echo "curl -4 and curl -6 at once, 30 MB each: intact"
serve_stop
[ "$(counter InErrs)" = 0 ] || fail "TcpInErrs $(counter InErrs)"
grep '^counters:' "$SERVE_LOG"
pcap_check "$WORK/cap.pcap" "ipv6" transport

# glasstcp as the IPv6 client: get from a kernel HTTP server, send through
# a kernel echo, both bound to the kernel's IPv6 address.
ip tuntap add dev gt0 mode tun || fail "ip tuntap add"
ip link set gt0 up || fail "ip link set up"
ip -6 addr add $K6/64 dev gt0 nodad || fail "ip -6 addr add"
(cd "$WORK/www" && exec timeout 120 python3 -m http.server 8080 --bind $K6) >/dev/null 2>&1 &
PIDS+=($!)
timeout 120 socat TCP6-LISTEN:7007,bind="[$K6]",fork,reuseaddr EXEC:cat &
PIDS+=($!)
for _ in $(seq 100); do ss -tln | grep -q "\[$K6\]:8080" && ss -tln | grep -q "\[$K6\]:7007" && break; sleep 0.05; done
C=(--tun gt0 --addr $G6/64 --quiet)
timeout 60 "$GT" get "http://[$K6]:8080/f1M" -o "$WORK/got" "${C[@]}" 2>"$WORK/get.err" \
	|| fail "glasstcp get -6: $(cat "$WORK/get.err")"
[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f1M")" ] || fail "glasstcp get -6: sha256 differs"
echo "glasstcp get http://[$K6]:8080/f1M: intact"
timeout 60 "$GT" send "[$K6]" 7007 "${C[@]}" <"$WORK/e" >"$WORK/r.out" 2>"$WORK/send.err" \
	|| fail "glasstcp send -6: $(cat "$WORK/send.err")"
[ "$(sha "$WORK/r.out")" = "$(sha "$WORK/e")" ] || fail "glasstcp send -6 through the kernel's echo: differs"
echo "glasstcp send [$K6] 7007, 3 MB through the kernel's echo: intact"
pass "curl -6 1 KB-30 MB, wget -6, socat -6 echo, IPv4 and IPv6 at once, get and send to [v6]"
