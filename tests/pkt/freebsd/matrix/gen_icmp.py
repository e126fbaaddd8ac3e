#!/usr/bin/env python3
"""Writes ICMP cells of the FreeBSD tcp-testsuite's rcv-icmp matrix that the
sample in ../shared/conformance lacks, as glasstcp's own scripts: an ICMP
error about our SYN, quoting a sequence number just below, just above and
at the SYN's (only the last is about a segment in flight, tcp_ctlinput()),
with net.inet.tcp.icmp_may_rst on and off.

FreeBSD's icmp_input() maps destination-unreachable codes 2 and 3 to
PRC_UNREACH_PROTOCOL/PORT, 9, 10 and 13 to PRC_UNREACH_ADMIN_PROHIB, time
exceeded in transit to PRC_TIMXCEED_INTRANS: with icmp_may_rst, these drop a
connection in SYN_SENT (tcp_drop_syn_sent()) with inetctlerrmap's error
(ECONNREFUSED, EHOSTUNREACH for time exceeded). The other unreachable codes
(PRC_UNREACH_NET) and every code without icmp_may_rst are soft errors
(tcp_notify(): t_softerror only), which SO_ERROR does not show.

Run from the repository root: python3 tests/pkt/freebsd/matrix/gen_icmp.py [SAMPLE_DIR].
"""
from matrixgen import CONNECT, SYN, generated_by, write_cells

HARD = {"proto-unreachable": ("unreachable protocol_unreachable", "ECONNREFUSED"),
        "port-unreachable": ("unreachable port_unreachable", "ECONNREFUSED"),
        "net-prohibited": ("unreachable net_prohibited", "ECONNREFUSED"),
        "host-prohibited": ("unreachable host_prohibited", "ECONNREFUSED"),
        "comm-prohibited": ("unreachable comm_prohibited", "ECONNREFUSED"),
        "ttl-exceeded": ("time_exceeded ttl_exceeded_in_transit", "EHOSTUNREACH")}
SOFT = {"net-unreachable": "unreachable net_unreachable",
        "host-unreachable": "unreachable host_unreachable",
        "source-route-failed": "unreachable source_route_failed",
        "net-unknown": "unreachable net_unknown",
        "host-unknown": "unreachable host_unknown",
        "source-host-isolated": "unreachable source_host_isolated",
        "net-unreachable-for-tos": "unreachable net_unreachable_for_tos",
        "host-unreachable-for-tos": "unreachable host_unreachable_for_tos"}

HEAD = """// ICMP {what} about our SYN, net.inet.tcp.icmp_may_rst={rst}.
//
// {why}
""" + generated_by("gen_icmp.py") + """--tolerance_usecs=50000

0    `sysctl -w net.inet.tcp.icmp_may_rst={rst}`
""" + CONNECT + SYN + """+.1  < icmp {icmp} [4294967295:4294967295(0)]
+.1  getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+.1  < icmp {icmp} [1:1(0)]
+.1  getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+.1  < icmp {icmp} [0:0(0)]
+.1  getsockopt(3, SOL_SOCKET, SO_ERROR, [{err}], [4]) = 0
+0   close(3) = 0
"""


def cells():
    for name, (icmp, err) in HARD.items():
        for rst in (1, 0):
            hard = rst == 1
            why = ("tcp_ctlinput(): the quoted sequence number must lie in [snd_una,\n"
                   "// snd_max); with icmp_may_rst this code drops a SYN_SENT connection\n"
                   "// (tcp_drop_syn_sent(), %s)." % err) if hard else (
                   "tcp_ctlinput(): without icmp_may_rst even this code is only a soft\n"
                   "// error (tcp_notify() keeps it in t_softerror): SO_ERROR stays 0.")
            fname = "rcv-icmp-hard-error-%s%s-ipv4" % (name, "" if hard else "-icmp-may-rst-disabled")
            yield fname, HEAD.format(what=icmp, rst=rst, why=why, icmp=icmp,
                                     err=err if hard else "0")
    for name, icmp in SOFT.items():
        why = ("icmp_input() maps this code to PRC_UNREACH_NET, a soft error\n"
               "// (tcp_notify() keeps it in t_softerror): SO_ERROR stays 0.")
        yield "rcv-icmp-soft-error-%s-ipv4" % name, HEAD.format(what=icmp, rst=1, why=why,
                                                               icmp=icmp, err="0")



if __name__ == "__main__":
    write_cells("gen_icmp.py", "rcv-icmp", cells())
