#!/usr/bin/env bash
# glasstcp relay with the tools people run in a namespace: wget, iperf3
# (both directions), ping and a name lookup through the C library's
# resolver. The test's private namespace (lib.sh) plays the host: an HTTP
# server, an iperf3 server and dnsmasq listen on its loopback; inside,
# 10.0.2.2 is that loopback and 10.0.2.3:53 the relay's way to dnsmasq
# (--dns). Checked: a 4 MB wget intact; iperf3 up and down carrying data
# (at least 50 Mbit/s each: a floor for a busy 2-CPU machine, the numbers
# are printed); ping to the gateway and the resolver address answered by
# the stack, ping to another address relayed through a ping socket and its
# replies passed back, ping to an address the host has no route to answered
# with ICMP net unreachable; getent (glibc's resolver, with a
# resolv.conf naming 10.0.2.3 in a mount namespace of the command's own)
# answered by dnsmasq, which logs the query.
#
# Network safety: the only addresses used are the relayed namespace's
# (10.0.2.0/24), the host namespace's loopback, 192.0.2.1 (TEST-NET-1) on the
# loopback of the test's own namespace (pinged from inside: answered
# there) and 198.51.100.1 (TEST-NET-2), which it has no route to (nothing is
# sent).
. "$(dirname "$0")/lib.sh"
need python3 wget iperf3 ping dnsmasq getent unshare mount
enter_netns "$@"

mkdir -p "$WORK/www"
head -c 4M /dev/urandom >"$WORK/www/f"
(cd "$WORK/www" && exec python3 -m http.server 8080 --bind 127.0.0.1) >"$WORK/http.log" 2>&1 &
PIDS+=($!)
# One server per direction: a second test right after the first can find
# iperf3's server still busy with it ("the server is busy running a test").
iperf3 -s -B 127.0.0.1 -p 5201 >"$WORK/iperf3s.log" 2>&1 &
PIDS+=($!)
iperf3 -s -B 127.0.0.1 -p 5202 >"$WORK/iperf3s2.log" 2>&1 &
PIDS+=($!)
dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1 \
	--port=5353 --address=/relay.test/192.0.2.53 --log-queries --log-facility="$WORK/dnsmasq.log" \
	--pid-file="$WORK/dnsmasq.pid" --user=root 2>"$WORK/dnsmasq.err" &
PIDS+=($!)
for _ in $(seq 100); do
	ss -Htln | grep -q '127.0.0.1:8080 ' && ss -Htln | grep -q '127.0.0.1:5201 ' && ss -Htln | grep -q '127.0.0.1:5202 ' &&
		ss -Hunl | grep -q '127.0.0.1:5353 ' && break
	sleep 0.05
done
ss -Hunl | grep -q '127.0.0.1:5353 ' || fail "dnsmasq did not start: $(cat "$WORK/dnsmasq.err")"
echo "nameserver 10.0.2.3" >"$WORK/resolv.conf"
ip addr add 192.0.2.1/32 dev lo || fail "cannot give lo 192.0.2.1"
# The relay's ping sockets need its group in this (per-namespace) range.
sysctl -qw net.ipv4.ping_group_range="0 2147483647" || skip "cannot set net.ipv4.ping_group_range"

SERVE_LOG=$WORK/relay.log
rc=0
timeout 90 "$GT" relay --dns 127.0.0.1:5353 -- sh -c "
	wget -q -T 10 -O '$WORK/got' http://10.0.2.2:8080/f || exit 91
	iperf3 -c 10.0.2.2 -t 2 -J >'$WORK/up.json' || exit 92
	iperf3 -c 10.0.2.2 -p 5202 -t 2 -R -J >'$WORK/down.json' || exit 93
	ping -c 3 -i 0.2 -W 2 10.0.2.2 >'$WORK/ping_gw.txt' || exit 94
	ping -c 2 -i 0.2 -W 2 10.0.2.3 >'$WORK/ping_dns.txt' || exit 95
	ping -c 2 -i 0.2 -W 2 192.0.2.1 >'$WORK/ping_far.txt' || exit 96
	ping -c 1 -W 2 198.51.100.1 >'$WORK/ping_noroute.txt' 2>&1 && exit 98
	unshare -m sh -c 'mount --bind $WORK/resolv.conf /etc/resolv.conf && getent ahostsv4 relay.test' >'$WORK/getent.txt' || exit 97
	exit 0" >"$WORK/cmd.log" 2>"$SERVE_LOG" || rc=$?
case $rc in
0) ;;
91) fail "wget failed: $(cat "$WORK/cmd.log")" ;;
92 | 93) fail "iperf3 failed ($rc): $(tail -5 "$WORK/up.json" "$WORK/down.json" 2>/dev/null)" ;;
94 | 95) fail "ping to the gateway or the resolver address failed: $(cat "$WORK"/ping_*.txt)" ;;
96) fail "ping to 192.0.2.1 (relayed) failed: $(cat "$WORK/ping_far.txt"; grep '^relay:' "$SERVE_LOG" | grep -oE 'Icmp[A-Za-z]+ [0-9]+')" ;;
98) fail "ping to 198.51.100.1 was answered: $(cat "$WORK/ping_noroute.txt")" ;;
97) fail "getent relay.test failed: $(cat "$WORK/getent.txt" "$WORK/dnsmasq.log" 2>/dev/null)" ;;
*) fail "the relay exited $rc" ;;
esac

[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f")" ] || fail "wget: the 4 MB differ"
echo "ok   wget: 4 MB from the host's 127.0.0.1:8080 via 10.0.2.2, intact"

mbps() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(int(d["end"]["sum_received"]["bits_per_second"]/1e6))' "$1"; }
up=$(mbps "$WORK/up.json") && down=$(mbps "$WORK/down.json") ||
	fail "iperf3's JSON has no result: $(grep -h '"error"' "$WORK/up.json" "$WORK/down.json")"
[ "$up" -ge 50 ] && [ "$down" -ge 50 ] || fail "iperf3: up $up Mbit/s, down $down Mbit/s (floor 50)"
echo "ok   iperf3: up $up Mbit/s, down $down Mbit/s (2 s each, received)"

grep -q '3 received' "$WORK/ping_gw.txt" && grep -q '2 received' "$WORK/ping_dns.txt" ||
	fail "ping: $(cat "$WORK/ping_gw.txt" "$WORK/ping_dns.txt")"
grep -q '2 received' "$WORK/ping_far.txt" || fail "ping 192.0.2.1: $(cat "$WORK/ping_far.txt")"
grep -q 'Unreachable' "$WORK/ping_noroute.txt" || fail "ping 198.51.100.1: $(cat "$WORK/ping_noroute.txt")"
cnt() { grep '^relay:' "$SERVE_LOG" | tail -1 | grep -o " $1 [0-9]*" | awk '{print $2}'; }
[ "$(cnt IcmpEchoToStack)" -ge 5 ] && [ "$(cnt IcmpEchoRelayed)" -ge 2 ] && [ "$(cnt IcmpEchoReplies)" -ge 2 ] ||
	fail "ICMP counters: IcmpEchoToStack $(cnt IcmpEchoToStack) (want 5), IcmpEchoRelayed $(cnt IcmpEchoRelayed) and IcmpEchoReplies $(cnt IcmpEchoReplies) (want 2 each)"
echo "ok   ping: 10.0.2.2 $(grep -o 'rtt.*' "$WORK/ping_gw.txt") and 10.0.2.3 answered by the stack; 192.0.2.1 relayed ($(grep -o 'rtt.*' "$WORK/ping_far.txt"), IcmpEchoRelayed $(cnt IcmpEchoRelayed), IcmpEchoReplies $(cnt IcmpEchoReplies)); 198.51.100.1: $(grep -m1 -o 'Destination.*' "$WORK/ping_noroute.txt")"

grep -q '^192.0.2.53 ' "$WORK/getent.txt" || fail "getent: $(cat "$WORK/getent.txt")"
grep -q 'query\[A\] relay.test from 127.0.0.1' "$WORK/dnsmasq.log" || fail "dnsmasq did not log the query: $(cat "$WORK/dnsmasq.log")"
[ "$(cnt DnsQueries)" -ge 1 ] || fail "DnsQueries $(cnt DnsQueries)"
echo "ok   dns: getent ahostsv4 relay.test -> $(awk 'NR==1{print $1}' "$WORK/getent.txt") via 10.0.2.3 -> dnsmasq (DnsQueries $(cnt DnsQueries))"
pass "relay: wget, iperf3 both ways, ping, DNS through dnsmasq"
