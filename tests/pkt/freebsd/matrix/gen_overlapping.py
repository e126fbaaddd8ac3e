#!/usr/bin/env python3
"""Writes the overlapping-data cells of the FreeBSD tcp-testsuite's
rcv-data-segments matrix that the sample in ../shared/conformance lacks, as
glasstcp's own scripts: with 1:100 in order and 200:300, 400:500, 600:700
queued out of order, a segment A:B arrives (A, B on a 50-byte grid and the
ends 275, 475, 675), then 1:800 fills everything. The expected ACKs come from
matrixgen.Receiver, a model of FreeBSD's receiver (FreeBSD 13's
tcp_update_dsack_list() and tcp_update_sack_list()):

- every ACK goes at once: something is queued out of order (tcp_reass(),
  TF_ACKNOW), or the segment is a duplicate;
- a D-SACK block comes first when the segment repeats data (RFC 2883): the
  part below RCV.NXT if it starts there, else the first part that repeats a
  queued block; then the block the segment joined, then the earlier blocks;
- the window is the free buffer (65700 rounded; the application only peeks).

Run from the repository root: python3 tests/pkt/freebsd/matrix/gen_overlapping.py [SAMPLE_DIR].
"""
from matrixgen import SACK_ACCEPTED, Receiver, generated_by, peer_closes, write_cells

HEAD = """// Overlapping data: with 1:100 in order and 200:300, 400:500 and 600:700
// queued out of order, the segment {a}:{b} arrives, then 1:800.
//
// FreeBSD's receiver (tcp_do_segment(), tcp_reass(), tcp_update_dsack_list(),
// tcp_update_sack_list()): each is ACKed at once; a repeat of data is
// reported first in a D-SACK block (RFC 2883: the part below RCV.NXT, else
// the first repeated part of a queued block), then the block the segment
// joined, then the blocks reported before.
""" + generated_by("gen_overlapping.py") + """--tolerance_usecs=10000

""" + SACK_ACCEPTED


def script(a, b):
    r = Receiver()
    lines = []
    for s, e in ((1, 100), (200, 300), (400, 500), (600, 700), (a, b), (1, 800)):
        lines += r.receive(s, e)
    lines.append("+0   recv(4, ..., 1024, 0) = 799")
    lines += peer_closes(800, "+.1")
    return HEAD.format(a=a, b=b) + "\n".join(lines) + "\n"


def cells():
    ends = sorted(set(range(50, 701, 50)) | {275, 475, 675})
    for a in range(50, 701, 50):
        for b in ends:
            if b > a:
                yield "overlapping-%03d-%03d" % (a, b), script(a, b)


if __name__ == "__main__":
    write_cells("gen_overlapping.py", "rcv-data-segments", cells())
