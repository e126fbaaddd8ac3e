#!/usr/bin/env python3
"""Writes snd-syn cells of the FreeBSD tcp-testsuite that the sample in
../shared/conformance lacks, as glasstcp's own scripts: the SYN of an active
open with each combination of net.inet.tcp.rfc1323 and sack.enable, and with
MSS from other interface MTUs.

The option layout is FreeBSD's tcp_addoptions(): MSS on a 4-byte boundary,
window scale after a NOP at an odd offset, SACK-permitted at an even one,
timestamps at 4n + 2, then EOL and zero padding to a multiple of 4. The MSS is
the interface MTU less 40 (tcp_mssopt()).

Run from the repository root: python3 tests/pkt/freebsd/matrix/gen_snd_syn.py [SAMPLE_DIR].
"""
from matrixgen import CONNECT, generated_by, write_cells

HEAD = """// The SYN of an active open: {what}.
//
// {why}
""" + generated_by("gen_snd_syn.py") + """--tolerance_usecs=25000
{mtu}
0    `sysctl -w net.inet.tcp.rfc1323={rfc1323}`
0    `sysctl -w net.inet.tcp.sack.enable={sack}`
""" + CONNECT + """+0   > S 0:0(0) win 65535 <{opts}>
+0   close(3) = 0
"""


def layout(mss, ws, sack, ts):
    """tcp_addoptions()'s bytes, as packetdrill prints them."""
    out, n = ["mss %d" % mss], 4
    if ws:
        out += ["nop", "wscale 6"]
        n += 4
    if sack:
        if n % 2:
            out.append("nop")
            n += 1
        out.append("sackOK")
        n += 2
    if ts:
        while n % 4 != 2:
            out.append("nop")
            n += 1
        out.append("TS val 100 ecr 0")
        n += 10
    if n % 4:
        out.append("eol")
        n += 1
        while n % 4:
            out.append("eol")
            n += 1
    return ",".join(out)


def cells():
    why = ("tcp_output() builds the SYN's options from TF_REQ_SCALE, TF_REQ_TSTMP\n"
           "// (rfc1323) and TF_SACK_PERMIT (sack.enable); tcp_addoptions() lays them out.")
    for rfc1323 in (1, 0):
        for sack in (1, 0):
            name = "snd-syn-%s" % {(1, 1): "with-default-options", (1, 0): "without-sack",
                                    (0, 1): "without-ws-and-ts",
                                    (0, 0): "without-sack-and-ws-and-ts"}[(rfc1323, sack)]
            opts = layout(1460, rfc1323, sack, rfc1323)
            what = "rfc1323=%d, sack.enable=%d" % (rfc1323, sack)
            yield name + "-ipv4", HEAD.format(what=what, why=why, mtu="", rfc1323=rfc1323,
                                              sack=sack, opts=opts)
    why = ("tcp_mssopt(): the MSS offered is the interface MTU less the 40 bytes of\n"
           "// IPv4 and TCP headers.")
    for mtu in (576, 1280, 1500, 9000):
        opts = layout(mtu - 40, 1, 1, 1)
        yield ("snd-syn-mss-inherited-from-mtu-%d-ipv4" % mtu,
               HEAD.format(what="MTU %d" % mtu, why=why, mtu="--mtu=%d" % mtu, rfc1323=1,
                           sack=1, opts=opts))



if __name__ == "__main__":
    write_cells("gen_snd_syn.py", "snd-syn", cells())
