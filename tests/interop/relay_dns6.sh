#!/usr/bin/env bash
# glasstcp relay with an IPv6 resolver (--dns ADDR6, [ADDR6]:PORT): DNS to
# the namespace's resolver addresses, 10.0.2.3:53 and [fd00::3]:53, UDP and
# TCP, reaches a resolver the host reaches over IPv6 only, through AF_INET6
# host sockets (an IPv4 lookup stays IPv4 inside). Checked with dnsmasq:
# - on a router namespace beyond the host, reached over a veth
#   (--dns 2001:db8:53::2, port 53 by default): the four queries answered,
#   and dnsmasq saw them from the host's 2001:db8:53::1;
# - on the host's ::1 (--dns [::1]:5353): the four answered; the ready
#   lines and the listing name the resolver;
# - nothing at [::1]:5399: each UDP query fails with ECONNREFUSED at once
#   (the resolver's ICMPv6 port unreachable, told to an IPv4 lookup as
#   ICMPv4 port unreachable from 10.0.2.3, RFC 7915 5.2) and each TCP
#   connect is refused; UdpPortUnreach 2;
# - --dns refuses a multicast or unspecified address and a bad bracket.
#
# Network safety: the relayed namespace (10.0.2.0/24, fd00::/64), the
# test's own namespace (lib.sh) as the host, and a third namespace R of the
# test's on a veth (2001:db8:53::1 <-> 2001:db8:53::2, the documentation
# prefix); the resolvers answer from their own configuration (--no-resolv,
# --address), never the machine's. Nothing leaves these namespaces.
. "$(dirname "$0")/lib.sh"
need python3 ss dnsmasq nsenter
enter_netns "$@"
ipv6_on

peer_ns gtd-h gtd-r
sysctl -qw net.ipv6.conf.gtd-h.disable_ipv6=0
ip addr add 2001:db8:53::1/64 dev gtd-h nodad && ip link set gtd-h up || fail "veth setup"
in_peer sh -c '
	sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.gtd-r.disable_ipv6=0
	ip addr add 2001:db8:53::2/64 dev gtd-r nodad && ip link set gtd-r up' || fail "resolver namespace setup"

in_peer dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces \
	--listen-address=2001:db8:53::2 --port=53 --address=/relay.test/192.0.2.66 --log-queries \
	--log-facility="$WORK/dnsmasq-r.log" --pid-file="$WORK/dnsmasq-r.pid" --user=root 2>"$WORK/dnsmasq-r.err" &
PIDS+=($!)
dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces --listen-address=::1 --port=5353 \
	--address=/relay.test/192.0.2.53 --log-queries --log-facility="$WORK/dnsmasq-lo.log" \
	--pid-file="$WORK/dnsmasq-lo.pid" --user=root 2>"$WORK/dnsmasq-lo.err" &
PIDS+=($!)
for _ in $(seq 100); do
	ss -Hutln | grep -q '\[::1\]:5353 ' &&
		in_peer ss -Hutln | grep -q '\[2001:db8:53::2\]:53 ' && break
	sleep 0.05
done
ss -Hutln | grep -q '\[::1\]:5353 ' || fail "dnsmasq on ::1 did not start: $(cat "$WORK/dnsmasq-lo.err")"
in_peer ss -Hutln | grep -q '\[2001:db8:53::2\]:53 ' ||
	fail "dnsmasq in R did not start: $(cat "$WORK/dnsmasq-r.err")"

CLIENT="python3 $(dirname "$0")/relay_dns_client.py"

# A resolver beyond the host, over the veth.
SERVE_LOG=$WORK/relay_r.log
timeout 60 "$GT" relay --dns 2001:db8:53::2 -- $CLIENT live 192.0.2.66 46 >"$WORK/r.out" 2>"$SERVE_LOG" ||
	fail "DNS to 2001:db8:53::2: $(cat "$WORK/r.out")"
cat "$WORK/r.out"
n=$(grep -c 'query\[A\] relay.test from 2001:db8:53::1' "$WORK/dnsmasq-r.log")
[ "$n" = 4 ] || fail "dnsmasq in R logged $n queries from 2001:db8:53::1, want 4: $(cat "$WORK/dnsmasq-r.log")"
grep -q 'DNS 10.0.2.3 -> \[2001:db8:53::2\]:53' "$SERVE_LOG" ||
	fail "the ready line does not name the resolver: $(grep 'relay: ready' "$SERVE_LOG")"
[ "$(relay_counter DnsQueries)" = 2 ] || fail "DnsQueries $(relay_counter DnsQueries), want 2 (the UDP ones)"
echo "ok   dnsmasq beyond the host saw 4 queries from 2001:db8:53::1; DnsQueries $(relay_counter DnsQueries)"

# A resolver on the host's ::1, another port; the listing names it.
SERVE_LOG=$WORK/relay_lo.log
timeout 60 "$GT" relay --listing 100 --dns '[::1]:5353' -- sh -c "
	$CLIENT live 192.0.2.53 46 && python3 -c '
import socket, time
s = socket.create_connection((\"10.0.2.3\", 53)); time.sleep(0.4); s.close()'" >"$WORK/lo.out" 2>"$SERVE_LOG" ||
	fail "DNS to [::1]:5353: $(cat "$WORK/lo.out")"
cat "$WORK/lo.out"
n=$(grep -c 'query\[A\] relay.test from ::1' "$WORK/dnsmasq-lo.log")
[ "$n" = 4 ] || fail "dnsmasq on ::1 logged $n queries, want 4: $(cat "$WORK/dnsmasq-lo.log")"
for l in 'DNS 10.0.2.3 -> \[::1\]:5353' 'DNS fd00::3 -> \[::1\]:5353'; do
	grep -q "$l" "$SERVE_LOG" || fail "no '$l' in the ready lines: $(grep '^relay: \(ready\|IPv6\)' "$SERVE_LOG")"
done
grep -q '^tcp 10.0.2.100:[0-9]* -> 10.0.2.3:53 (host \[::1\]:5353)' "$SERVE_LOG" ||
	fail "the listing does not show the IPv6 host end: $(grep '^tcp ' "$SERVE_LOG" | tail -3)"
echo "ok   dnsmasq on ::1 saw 4 queries; $(grep -m1 -o '^tcp 10.0.2.100:[0-9]* -> 10.0.2.3:53 (host [^)]*)' "$SERVE_LOG")"

# Nobody at the resolver: refused at once, UDP and TCP, both families.
SERVE_LOG=$WORK/relay_dead.log
timeout 60 "$GT" relay --dns '[::1]:5399' -- $CLIENT dead - 46 >"$WORK/dead.out" 2>"$SERVE_LOG" ||
	fail "no resolver at [::1]:5399: $(cat "$WORK/dead.out")"
cat "$WORK/dead.out"
[ "$(relay_counter UdpPortUnreach)" = 2 ] || fail "UdpPortUnreach $(relay_counter UdpPortUnreach), want 2"
echo "ok   UdpPortUnreach $(relay_counter UdpPortUnreach), FlowsRefused $(relay_counter FlowsRefused)"

# What --dns refuses.
for a in ff02::1 :: '[::1' '[::1]x' '[::1]:0x'; do
	rc=0
	timeout 20 "$GT" relay --quiet --dns "$a" -- true 2>"$WORK/opt.err" || rc=$?
	[ $rc = 2 ] && grep -q -- "--dns wants" "$WORK/opt.err" || fail "--dns '$a': exit $rc, $(cat "$WORK/opt.err")"
done
echo "ok   --dns refuses ff02::1, ::, '[::1', '[::1]x', '[::1]:0x'"
pass "DNS through an IPv6 resolver, beyond the host and on ::1, IPv4 and IPv6 lookups, UDP and TCP"
