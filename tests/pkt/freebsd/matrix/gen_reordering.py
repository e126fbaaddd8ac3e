#!/usr/bin/env python3
"""Writes the reordering cells of the FreeBSD tcp-testsuite's rcv-data-segments
matrix that the sample in ../shared/conformance lacks: five segments of 1, 2,
4, 8 and 16 bytes (sequence 1..32) arriving in every order, as glasstcp's own
scripts. The expected ACKs come from matrixgen.Receiver, a model of FreeBSD's
receiver (tcp_do_segment()'s delayed ACK, tcp_reass(), tcp_update_sack_list()).

Run from the repository root: python3 tests/pkt/freebsd/matrix/gen_reordering.py [SAMPLE_DIR].
"""
import itertools

from matrixgen import SACK_ACCEPTED, Receiver, generated_by, peer_closes, write_cells

SEGS = {1: (1, 2), 2: (2, 4), 3: (4, 8), 4: (8, 16), 5: (16, 32)}
ORD = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth"}

HEAD = """// Five segments of 1, 2, 4, 8 and 16 bytes arrive in the order {order}.
//
// FreeBSD's receiver (tcp_do_segment(), tcp_reass(), tcp_update_sack_list()):
// a segment at RCV.NXT with nothing queued out of order waits for the
// delayed ACK unless one is pending already; every other segment is ACKed
// at once, with the SACK block it joined first and the earlier blocks after.
""" + generated_by("gen_reordering.py", "order") + """--tolerance_usecs=10000

""" + SACK_ACCEPTED


def script(perm):
    r = Receiver()
    lines = []
    for k in perm:
        lines += r.receive(*SEGS[k], note=" // %s segment" % ORD[k])
    lines.append("+0   recv(4, ..., 1024, 0) = 31")
    wait = 0.1
    if r.delack:
        lines.append("+.04 > . 1:1(0) ack 32 win 65535")
        wait = 0.06
    lines += peer_closes(32, "+%g" % wait)
    return HEAD.format(order=", ".join(str(k) for k in perm)) + "\n".join(lines) + "\n"


def cells():
    for perm in itertools.permutations(range(1, 6)):
        yield "reordering-%s" % "".join(str(k) for k in perm), script(perm)


if __name__ == "__main__":
    write_cells("gen_reordering.py", "rcv-data-segments", cells(), unit="orders")
