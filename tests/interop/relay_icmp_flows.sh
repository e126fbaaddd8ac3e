#!/usr/bin/env bash
# glasstcp relay: ICMP errors for UDP and TCP flows, as a router would send
# them. A router namespace beyond the host answers the relay's host sockets
# with ICMP; what reaches the namespace is checked from inside:
#   UDP (the relay's host socket takes IP_RECVERR, the error queue names the
#   router, type and code): each error arrives in the namespace socket's own
#   error queue (IP_RECVERR inside) from that router with that type and
#   code, which the namespace's kernel delivers only when the quoted
#   headers name the socket: net unreachable for an address the router has
#   no route to, host unreachable for an `unreachable` route, port
#   unreachable from the router itself, time exceeded from it for a
#   datagram sent with TTL 2 (the relay sends it on with TTL 1), and time
#   exceeded from 10.0.2.2 for TTL 1 (the relay does not send it on); a
#   closed port on the mapped gateway: port unreachable from 10.0.2.2.
#   TCP: the router's net / host unreachable for the relay's SYN (queued
#   on the relay's host socket, which has IP_RECVERR while it connects)
#   reaches the namespace from the router, quoting its SYN: connect()
#   fails with ENETUNREACH / EHOSTUNREACH within a second (no SYN-ACK, no
#   waiting for the host's SYN retransmission even when the ICMP came while
#   connect() held the relay's socket, where a kernel client waits 1 s),
#   and its socket's error queue names the router, type and code; a
#   closed port on the router: ECONNREFUSED.
#   IPv6 the same: ICMPv6 no route and hop limit exceeded for UDP from the
#   router, ENETUNREACH for TCP. Counters: IcmpErrorsRelayed,
#   UdpPortUnreach, IcmpTtlExceeded, FlowsUnreachable.
#
# Network safety: the test's namespace (lib.sh) plays the host; a third
# namespace R of the test's is a router on a veth (lib.sh's relay_router:
# 198.18.0.1 <-> 198.18.0.2,
# RFC 2544's benchmark range; 2001:db8:ff::1 <-> ::2) with no route for
# 203.0.113.0/26 (TEST-NET-3) and 2001:db8:1::/49, an unreachable route for
# 203.0.113.64/26 and a route for 203.0.113.128/25 back to the host;
# nothing leaves these namespaces.
. "$(dirname "$0")/lib.sh"
need ip python3
enter_netns "$@"

relay_router

cat >"$WORK/cli.py" <<'PY'
import errno, select, socket, struct, sys, time
v6 = sys.argv[1] == "1"
bad = 0
IP_RECVERR, IPV6_RECVERR = 11, 25
def report(s):
    """(type, code, offender) of the ICMP error in s's error queue."""
    _, anc, _, _ = s.recvmsg(64, 512, socket.MSG_ERRQUEUE)
    for lvl, typ, d in anc:
        if len(d) >= 16 + 8:
            _, origin, itype, code, _, _, _ = struct.unpack("=IBBBBII", d[:16])
            fam_off = struct.unpack("=H", d[16:18])[0]
            if fam_off == socket.AF_INET:
                off = socket.inet_ntop(socket.AF_INET, d[20:24])
            else:
                off = socket.inet_ntop(socket.AF_INET6, d[24:40])
            return (itype, code, off)
    return "an error without its report"
def recverr(s, fam, ttl=None):
    if fam == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
        if ttl:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVERR, 1)
        if ttl:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
def udp_error(dst, port, ttl=None):
    """(type, code, offender) of the first ICMP error for one datagram, from
    the socket's own error queue, or a string saying why none came."""
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    recverr(s, fam, ttl)
    s.connect((dst, port))
    s.send(b"probe")
    p = select.poll()
    p.register(s, select.POLLERR)
    if not p.poll(3000):
        return "no error within 3 s"
    return report(s)
def check_udp(what, want, *args, **kw):
    global bad
    got = udp_error(*args, **kw)
    ok = got == want
    bad += not ok
    print(("ok  " if ok else "BAD ") + " UDP %s: %s%s" % (what, got, "" if ok else " (want %s)" % (want,)))
def check_tcp(what, want, dst, port, icmp=None, within_ms=1000):
    """connect() fails with want within within_ms; icmp: the (type, code,
    router) its socket's error queue says (IP_RECVERR inside)."""
    global bad
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    recverr(s, fam)
    s.settimeout(5)
    t0 = time.monotonic()
    try:
        s.connect((dst, port))
        got = "connected"
    except OSError as e:
        got = errno.errorcode.get(e.errno, str(e)) if e.errno else str(e)
    ms = (time.monotonic() - t0) * 1000
    rep = None
    if icmp:
        try:
            rep = report(s)
        except OSError as e:
            rep = "no ICMP error queued (%s)" % e
    ok = got == want and ms < within_ms and rep == icmp
    bad += not ok
    print(("ok  " if ok else "BAD ") + " TCP %s: %s in %.1f ms%s%s" % (what, got, ms,
          ", ICMP %s" % (rep,) if icmp else "",
          "" if ok else " (want %s within %d ms%s)" % (want, within_ms, ", ICMP %s" % (icmp,) if icmp else "")))
R = "198.18.0.2"
check_udp("no route at the router", (3, 0, R), "203.0.113.1", 9)
check_udp("unreachable route at the router", (3, 1, R), "203.0.113.65", 9)
check_udp("closed port on the router", (3, 3, R), R, 9)
check_udp("TTL 2", (11, 0, R), "203.0.113.129", 9, ttl=2)
check_udp("TTL 1", (11, 0, "10.0.2.2"), "203.0.113.129", 9, ttl=1)
check_udp("closed port on the mapped gateway", (3, 3, "10.0.2.2"), "10.0.2.2", 9)
# A router's "no route" and "unreachable" errors (Linux's ip_error()) cost a
# token of a per-source bucket that refills one a second (the global
# net.ipv4.route.error_cost, not a namespace's to change): each TCP case
# waits for a token, so that the router answers the first SYN.
time.sleep(1.1)
check_tcp("no route at the router", "ENETUNREACH", "203.0.113.2", 80, icmp=(3, 0, R))
time.sleep(1.1)
check_tcp("unreachable route at the router", "EHOSTUNREACH", "203.0.113.66", 80, icmp=(3, 1, R))
check_tcp("closed port on the router", "ECONNREFUSED", R, 80)
if v6:
    R6 = "2001:db8:ff::2"
    check_udp("IPv6 no route at the router", (1, 0, R6), "2001:db8:1::1", 9)
    check_udp("IPv6 hop limit 2", (3, 0, R6), "2001:db8:1:8000::1", 9, ttl=2)
    check_udp("IPv6 closed port on the router", (1, 4, R6), R6, 9)
    check_tcp("IPv6 no route at the router", "ENETUNREACH", "2001:db8:1::2", 80, icmp=(1, 0, R6))
sys.exit(1 if bad else 0)
PY

SERVE_LOG=$WORK/relay.log
timeout 60 "$GT" relay --dns none -- python3 "$WORK/cli.py" "${V6:-0}" 2>"$SERVE_LOG"
rc=$?
if [ $rc != 0 ]; then
	# Who sent and who heard what: the router's ICMP out, the host's in.
	echo "router: $(in_peer nstat -asz 2>/dev/null | awk '/Icmp6?Out(DestUnreachs|TimeExcds|Msgs)|RateLimit/ {printf "%s %s, ", $1, $2}')"
	echo "host: $(nstat -asz 2>/dev/null | awk '/Icmp6?In(DestUnreachs|TimeExcds)|LockDroppedIcmps|TCPTimeouts/ {printf "%s %s, ", $1, $2}')"
	fail "an ICMP error did not reach the namespace as the router sent it (exit status $rc)"
fi
# Relayed from routers: UDP's net, host unreachable, TTL 2, TCP's net and
# host unreachable (and IPv6: UDP's no route and hop limit 2, TCP's no route).
want=$([ -n "$V6" ] && echo 8 || echo 5)
[ "$(relay_counter IcmpErrorsRelayed)" = "$want" ] || fail "IcmpErrorsRelayed $(relay_counter IcmpErrorsRelayed), want $want"
want=$([ -n "$V6" ] && echo 3 || echo 2)
[ "$(relay_counter UdpPortUnreach)" = "$want" ] || fail "UdpPortUnreach $(relay_counter UdpPortUnreach), want $want"
[ "$(relay_counter IcmpTtlExceeded)" = 1 ] || fail "IcmpTtlExceeded $(relay_counter IcmpTtlExceeded), want 1"
want=$([ -n "$V6" ] && echo 3 || echo 2)
[ "$(relay_counter FlowsUnreachable)" = "$want" ] || fail "FlowsUnreachable $(relay_counter FlowsUnreachable), want $want"
pass "ICMP errors for UDP and TCP flows reach the namespace as a router sends them"
