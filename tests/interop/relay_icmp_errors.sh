#!/usr/bin/env bash
# glasstcp relay: ICMP errors for relayed pings. The relay is the
# namespace's first router: an echo that arrives with TTL 1 is answered
# with time exceeded from the gateway (RFC 1812 5.3.1); the others leave
# through the relay's ping socket with their TTL less one, and the errors a
# router beyond sends for them (read from the ping socket's error queue)
# reach the namespace from that router, with its type and code, quoting the
# namespace's own echo, so that ping inside says who and what. Checked
# with ping inside: "Destination Net Unreachable" from a router that has no
# route, "Time to live exceeded" from it for an echo sent with TTL 2, from
# 10.0.2.2 for one sent with TTL 1; and replies still come for an echo to
# the router itself with TTL 2 (it arrives there with 1) and with the
# default TTL; the counters IcmpErrorsRelayed and IcmpTtlExceeded. The
# same over IPv6 (ping -6): no route and hop limit exceeded from the
# router, replies with hop limit 2.
#
# Network safety: the test's namespace (lib.sh) plays the host; a third
# namespace R of the test's is a router on a veth (lib.sh's relay_router:
# 198.18.0.1 <-> 198.18.0.2, RFC 2544's benchmark range; 2001:db8:ff::1 <->
# ::2) with forwarding on, no route for 203.0.113.0/26 (TEST-NET-3) and
# 2001:db8:1::/49, and a route for 203.0.113.128/25 and
# 2001:db8:1:8000::/49 back to the host; nothing leaves these namespaces.
. "$(dirname "$0")/lib.sh"
need ping ip python3
enter_netns "$@"

ping_sockets_on
relay_router

SERVE_LOG=$WORK/relay.log
timeout 60 "$GT" relay --dns none -- sh -c "
	ping -n -c1 -W3 203.0.113.1 >'$WORK/unreach.txt' 2>&1
	ping -n -c1 -W3 -t 2 203.0.113.129 >'$WORK/ttl2.txt' 2>&1
	ping -n -c1 -W3 -t 1 203.0.113.129 >'$WORK/ttl1.txt' 2>&1
	ping -n -c2 -i 0.2 -W3 -t 2 198.18.0.2 >'$WORK/ok_ttl2.txt' 2>&1 || exit 91
	ping -n -c2 -i 0.2 -W3 198.18.0.2 >'$WORK/ok.txt' 2>&1 || exit 92
	[ -z '$V6' ] && exit 0
	ping -6 -n -c1 -W3 2001:db8:1::1 >'$WORK/unreach6.txt' 2>&1
	ping -6 -n -c1 -W3 -t 2 2001:db8:1:8000::1 >'$WORK/hop2.txt' 2>&1
	ping -6 -n -c2 -i 0.2 -W3 -t 2 2001:db8:ff::2 >'$WORK/ok6.txt' 2>&1 || exit 93
	exit 0" 2>"$SERVE_LOG"
rc=$?
for f in unreach ttl2 ttl1 ok_ttl2 ok unreach6 hop2 ok6; do [ -f "$WORK/$f.txt" ] && sed "s/^/$f: /" "$WORK/$f.txt"; done
[ $rc = 0 ] || fail "an echo the router answers got no reply (exit status $rc: 91/92 IPv4, 93 IPv6)"
grep -q '^From 198.18.0.2 icmp_seq=1 Destination Net Unreachable' "$WORK/unreach.txt" ||
	fail "no net unreachable from the router reached ping"
echo "ok   unreachable: $(grep -m1 '^From' "$WORK/unreach.txt")"
grep -q '^From 198.18.0.2 icmp_seq=1 Time to live exceeded' "$WORK/ttl2.txt" ||
	fail "no time exceeded from the router reached ping (TTL 2)"
echo "ok   TTL 2: $(grep -m1 '^From' "$WORK/ttl2.txt")"
grep -q '^From 10.0.2.2 icmp_seq=1 Time to live exceeded' "$WORK/ttl1.txt" ||
	fail "no time exceeded from the gateway (TTL 1)"
echo "ok   TTL 1: $(grep -m1 '^From' "$WORK/ttl1.txt")"
grep -q ' 0% packet loss' "$WORK/ok_ttl2.txt" && grep -q ' 0% packet loss' "$WORK/ok.txt" ||
	fail "echoes to the router lost"
echo "ok   replies with TTL 2 and 64"
if [ -n "$V6" ]; then
	grep -q '^From 2001:db8:ff::2 icmp_seq=1 Destination unreachable: No route' "$WORK/unreach6.txt" ||
		fail "no ICMPv6 no route from the router reached ping -6"
	grep -q '^From 2001:db8:ff::2 icmp_seq=1 Time exceeded: Hop limit' "$WORK/hop2.txt" ||
		fail "no ICMPv6 time exceeded from the router reached ping -6 (hop limit 2)"
	grep -q ' 0% packet loss' "$WORK/ok6.txt" || fail "echoes to the router over IPv6 lost"
	echo "ok   IPv6: $(grep -m1 '^From' "$WORK/unreach6.txt"); $(grep -m1 '^From' "$WORK/hop2.txt"); replies with hop limit 2"
fi
want=$([ -n "$V6" ] && echo 4 || echo 2)
[ "$(relay_counter IcmpErrorsRelayed)" = "$want" ] || fail "IcmpErrorsRelayed $(relay_counter IcmpErrorsRelayed), want $want"
[ "$(relay_counter IcmpTtlExceeded)" = 1 ] || fail "IcmpTtlExceeded $(relay_counter IcmpTtlExceeded), want 1"
pass "ICMP errors for relayed pings reach the namespace from their router"
