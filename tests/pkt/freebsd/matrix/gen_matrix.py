#!/usr/bin/env python3
"""Writes the cells of the FreeBSD state x event matrix that the sample of the
FreeBSD tcp-testsuite in ../shared/conformance lacks, as glasstcp's own packet
scripts: one file per cell, each with the rule of FreeBSD's code it checks.

The cells: an RST or a SYN, at the left edge of the receive window (RCV.NXT),
at its right edge (RCV.NXT + RCV.WND - 1), just left of it (RCV.NXT - 1) or
just right of it (RCV.NXT + RCV.WND), with net.inet.tcp.insecure_rst /
insecure_syn 0 ("secure", RFC 5961) or 1, in each synchronized state; TIME_WAIT
reached with shutdown() (the descriptor still open: sockstat names the
process) or close() (sockstat shows "?" for it: tw_count()). One byte of
data with ACK at the same four places in each synchronized state, and in
TIME_WAIT at its five; SYN|FIN in TIME_WAIT with drop_synfin 1 and 0; FIN,
SYN and SYN|FIN for a syncache entry (SYN_RECEIVED from LISTEN), and FIN|ACK
and data with ACK acknowledging its SYN, and SYN|ACK.

Run from the repository root: python3 tests/pkt/freebsd/matrix/gen_matrix.py
[SAMPLE_DIR]. Cells whose script exists in SAMPLE_DIR (default
../shared/conformance/freebsd-tcp-testsuite/state-event-engine) are skipped:
the sample runs as it is. The receive window is the 65536-byte buffer rounded
up to 45 segments of 1460 bytes (tcp_mss(): 65700), unscaled (the peer offers
no window scale).
"""
import re

from matrixgen import BOUND, CONNECT, SYN, generated_by, write_cells

WND = 65700

HEADER = """// {title}
//
// {why}
""" + generated_by("gen_matrix.py") + """--tolerance_usecs=50000

{sysctl}"""

ACTIVE = CONNECT + SYN + """+.1  < S. 0:0(0) ack 1 win 32767 <mss 1460>
+0   > . 1:1(0) ack 1 win 65535
+0   getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65700], [4]) = 0
"""

PASSIVE = BOUND + """+0   listen(3, 2) = 0
+0   < S 0:0(0) win 32767 <mss 1460>
+0   > S. 0:0(0) ack 1 win 65535 <mss 1460>
+.1  < . 1:1(0) ack 1 win 32767
+0   accept(3, ..., ...) = 4
+0   getsockopt(4, SOL_SOCKET, SO_RCVBUF, [65700], [4]) = 0
"""

# Each state: how it is reached (after the handshake), RCV.NXT and SND.NXT
# there, and how the connection is shown to be intact afterwards.
STATES = {
    "established": dict(
        reach="",
        rcv=1, snd=1,
        alive="""+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+0   close(3) = 0
+0   > F. 1:1(0) ack 1 win 65535
+.1  < F. 1:1(0) ack 2 win 32767
+0   > . 2:2(0) ack 2 win 65535
"""),
    "fin-wait-1": dict(
        reach="""+.1  shutdown(3, SHUT_WR) = 0
+0   > F. 1:1(0) ack 1 win 65535
""",
        rcv=1, snd=2,
        alive="""+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+.1  < F. 1:1(0) ack 2 win 32767
+0   > . 2:2(0) ack 2 win 65535
+0   close(3) = 0
"""),
    "fin-wait-2": dict(
        reach="""+.1  shutdown(3, SHUT_WR) = 0
+0   > F. 1:1(0) ack 1 win 65535
+.1  < . 1:1(0) ack 2 win 32767
""",
        rcv=1, snd=2,
        alive="""+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+.1  < F. 1:1(0) ack 2 win 32767
+0   > . 2:2(0) ack 2 win 65535
+0   close(3) = 0
"""),
    "close-wait": dict(
        reach="""+.1  < F. 1:1(0) ack 1 win 32767
+0   > . 1:1(0) ack 2 win 65535
""",
        rcv=2, snd=1,
        alive="""+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+0   close(3) = 0
+0   > F. 1:1(0) ack 2 win 65535
+.1  < . 2:2(0) ack 2 win 32767
"""),
    "closing": dict(
        reach="""+.1  shutdown(3, SHUT_WR) = 0
+0   > F. 1:1(0) ack 1 win 65535
+.1  < F. 1:1(0) ack 1 win 32767
+0   > F. 1:1(0) ack 2 win 65535
""",
        rcv=2, snd=2,
        alive="""+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+.1  < . 2:2(0) ack 2 win 32767
+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c TIME_WAIT | grep 1`
+0   close(3) = 0
"""),
    "last-ack": dict(
        reach="""+.1  < F. 1:1(0) ack 1 win 32767
+0   > . 1:1(0) ack 2 win 65535
+0   shutdown(3, SHUT_WR) = 0
+0   > F. 1:1(0) ack 2 win 65535
""",
        rcv=2, snd=2,
        alive="""+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+.1  < . 2:2(0) ack 2 win 32767
+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c LAST_ACK | grep 0`
+0   close(3) = 0
"""),
}

POSITIONS = {
    "left-edge": lambda r: r,
    "right-edge": lambda r: r + WND - 1,
    "outside-left": lambda r: r - 1,
    "outside-right": lambda r: r + WND,
}


def rfc_name(state):
    return state.upper().replace("-", "_")


def in_window(pos):
    return pos in ("left-edge", "right-edge")


def rst_cell(state, pos, secure, with_ack=False):
    st = STATES[state]
    seq = POSITIONS[pos](st["rcv"])
    if with_ack:
        body = ACTIVE + st["reach"] + "+.1  < R. %d:%d(0) ack %d win 32767\n" % (seq, seq, st["snd"])
    else:
        body = ACTIVE + st["reach"] + "+.1  < R %d:%d(0) win 32767\n" % (seq, seq)
    if pos == "left-edge" or (pos == "right-edge" and not secure):
        why = ("tcp_do_segment(): an RST with SEG.SEQ in [last_ack_sent,\n"
               "// last_ack_sent + rcv_wnd) drops the connection when insecure_rst is set or\n"
               "// SEG.SEQ == last_ack_sent; so_error is ECONNRESET in every synchronized\n"
               "// state (CLOSING and LAST_ACK included). Nothing is sent.")
        body += """+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0
+0   close(3) = 0
"""
    elif pos == "right-edge":
        why = ("tcp_do_segment(): an RST inside the window but not at last_ack_sent,\n"
               "// with insecure_rst 0, earns a challenge ACK (RFC 5961 3.2; tcp_respond()\n"
               "// with rcv_nxt, snd_nxt) and changes nothing.")
        body += "+0   > . %d:%d(0) ack %d win 65535\n" % (st["snd"], st["snd"], st["rcv"]) + st["alive"]
    else:
        why = ("tcp_do_segment(): an RST outside [last_ack_sent, last_ack_sent +\n"
               "// rcv_wnd) is dropped without an answer, secure or not.")
        body += st["alive"]
    if with_ack:
        why += ("\n// The ACK field plays no part: the RST check comes before the ACK's\n"
                "// (and this one acknowledges everything sent).")
    title = "%s %s in %s, insecure_rst=%d." % ("RST|ACK" if with_ack else "RST", pos,
                                             rfc_name(state), 0 if secure else 1)
    return title, why, "insecure_rst", body


def synfin_cell(state, pos, secure, drop):
    """SYN|FIN: with drop_synfin, tcp_do_segment() drops it before anything
    else; without, it meets the SYN block as a SYN does."""
    title, why, knob, body = syn_cell(state, pos, secure, fin=True)
    title = title.replace("SYN ", "SYN|FIN ", 1)[:-1] + ", drop_synfin=%d." % drop
    if drop:
        st = STATES[state]
        seq = POSITIONS[pos](st["rcv"])
        body = (ACTIVE + st["reach"] + "+.1  < SF %d:%d(0) win 32767 <mss 1460>\n" % (seq, seq)
                + st["alive"])
        why = ("tcp_do_segment(): with net.inet.tcp.drop_synfin set, a segment with\n"
               "// SYN and FIN is dropped first (\"SYN|FIN segment ignored\").")
    else:
        why += ("\n// drop_synfin is 0: the FIN changes nothing, the SYN block comes first.")
    body = "0    `sysctl -w net.inet.tcp.drop_synfin=%d`\n" % drop + body
    return title, why, knob, body


def syn_cell(state, pos, secure, with_ack=False, fin=False):
    st = STATES[state]
    seq = POSITIONS[pos](st["rcv"])
    if fin:
        body = ACTIVE + st["reach"] + "+.1  < SF %d:%d(0) win 32767 <mss 1460>\n" % (seq, seq)
    elif with_ack:
        body = ACTIVE + st["reach"] + "+.1  < S. %d:%d(0) ack %d win 32767 <mss 1460>\n" % (
            seq, seq, st["snd"])
    else:
        body = ACTIVE + st["reach"] + "+.1  < S %d:%d(0) win 32767 <mss 1460>\n" % (seq, seq)
    if in_window(pos) and not secure:
        why = ("tcp_do_segment() (RFC 5961 4.2 block): a SYN in a synchronized state with\n"
               "// SEG.SEQ in [last_ack_sent, last_ack_sent + rcv_wnd) and insecure_syn set\n"
               "// is tcp_drop(tp, ECONNRESET): an RST at SND.NXT (tcp_output() in CLOSED\n"
               "// sends RST|ACK), so_error ECONNRESET.")
        body += """+0   > R. %d:%d(0) ack %d win 0
+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0
+0   close(3) = 0
""" % (st["snd"], st["snd"], st["rcv"])
    else:
        why = ("tcp_do_segment() (RFC 5961 4.2 block): any other SYN in a synchronized\n"
               "// state gets a challenge ACK, tcp_respond() with rcv_nxt and snd_nxt, and\n"
               "// changes nothing.")
        body += "+0   > . %d:%d(0) ack %d win 65535\n" % (st["snd"], st["snd"], st["rcv"]) + st["alive"]
    if with_ack:
        why += ("\n// A SYN|ACK meets the same block: it tests for SYN, whatever else is set.")
    title = "%s %s in %s, insecure_syn=%d." % ("SYN|ACK" if with_ack else "SYN", pos,
                                             rfc_name(state), 0 if secure else 1)
    return title, why, "insecure_syn", body


# SND.UNA in each state (an ACK of it changes nothing), and whether our FIN
# is out unacknowledged (BSD's tcp_output() then sends it again with every
# ACK: snd_nxt is pulled back onto the FIN).
SND_UNA = {"established": 1, "fin-wait-1": 1, "fin-wait-2": 2, "close-wait": 1, "closing": 1,
           "last-ack": 1}
FIN_OUT = {"fin-wait-1", "closing", "last-ack"}


def resync_ack(state):
    """The ACK TF_ACKNOW sends: our FIN again where it is unacknowledged."""
    st = STATES[state]
    if state in FIN_OUT:
        return "+0   > F. 1:1(0) ack %d win 65535\n" % st["rcv"]
    return "+0   > . %d:%d(0) ack %d win 65535\n" % (st["snd"], st["snd"], st["rcv"])


def bare_cell(kind, state, pos):
    """A pure ACK (SEG.ACK = SND.UNA) or a FIN without ACK, no data."""
    st = STATES[state]
    r = st["rcv"]
    seq = POSITIONS[pos](r)
    if kind == "ack":
        seg = "+.1  < . %d:%d(0) ack %d win 32767\n" % (seq, seq, SND_UNA[state])
    else:
        seg = "+.1  < F %d:%d(0) win 32767\n" % (seq, seq)
    body = ACTIVE + st["reach"] + seg
    if pos == "outside-left":
        why = ("tcp_do_segment(): a segment wholly before rcv_nxt is trimmed to nothing\n"
               "// and sets TF_ACKNOW (\"send an ACK to resynchronize\"); without the ACK\n"
               "// bit it then goes to dropafterack, with it the ACK is processed and the\n"
               "// answer sent. In FIN_WAIT_1, CLOSING and LAST_ACK tcp_output() sends the\n"
               "// unacknowledged FIN again with it.")
        body += resync_ack(state)
    elif kind == "ack":
        why = ("tcp_do_segment(): a bare ACK inside [rcv_nxt, rcv_nxt + rcv_wnd] (the\n"
               "// right-hand trim drops nothing when SEG.SEQ + 0 - (rcv_nxt + rcv_wnd) is\n"
               "// not above 0) acknowledging SND.UNA changes nothing and is not answered.")
    else:
        why = ("tcp_do_segment(): a segment without ACK that the trimming leaves alone\n"
               "// is dropped (\"if the ACK bit is off ... drop\"); its FIN is not taken.")
    body += st["alive"]
    title = "%s %s in %s." % ("ACK" if kind == "ack" else "FIN without ACK", pos,
                             rfc_name(state))
    return title, why, None, body


# After a FIN held beyond rcv_nxt: the peer's FIN at rcv_nxt is dropped
# (tcp_reass()), its ACK of our FIN taken.
HELD_FIN_ALIVE = {
    "established": """+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+0   close(3) = 0
+0   > F. 1:1(0) ack 1 win 65535
+.1  < F. 1:1(0) ack 2 win 32767
+0   > . 2:2(0) ack 1 win 65535
""",
    "fin-wait-1": """+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+.1  < F. 1:1(0) ack 2 win 32767
+0   > . 2:2(0) ack 1 win 65535
+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c FIN_WAIT_2 | grep 1`
+0   close(3) = 0
""",
}
HELD_FIN_ALIVE["fin-wait-2"] = HELD_FIN_ALIVE["fin-wait-1"]


def finack_cell(state, pos):
    """A FIN|ACK with no data (SEG.ACK = SND.UNA), ESTABLISHED and the two
    FIN_WAIT states only: there the FIN is news."""
    st = STATES[state]
    r = st["rcv"]
    seq = POSITIONS[pos](r)
    body = ACTIVE + st["reach"] + "+.1  < F. %d:%d(0) ack %d win 32767\n" % (seq, seq, SND_UNA[state])
    if pos == "left-edge":
        why = ("tcp_do_segment(): a FIN at rcv_nxt is taken (rcv_nxt + 1, TF_ACKNOW):\n"
               "// ESTABLISHED goes to CLOSE_WAIT, FIN_WAIT_1 to CLOSING (the ACK carries\n"
               "// our FIN again), FIN_WAIT_2 to TIME_WAIT.")
        if state == "established":
            body += """+0   > . 1:1(0) ack 2 win 65535
+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+0   close(3) = 0
+0   > F. 1:1(0) ack 2 win 65535
+.1  < . 2:2(0) ack 2 win 32767
"""
        elif state == "fin-wait-1":
            body += """+0   > F. 1:1(0) ack 2 win 65535
+.1  < . 2:2(0) ack 2 win 32767
+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c TIME_WAIT | grep 1`
+0   close(3) = 0
"""
        else:
            body += """+0   > . 2:2(0) ack 2 win 65535
+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c TIME_WAIT | grep 1`
+0   close(3) = 0
"""
    elif pos == "outside-left":
        why = ("tcp_do_segment(): wholly before rcv_nxt, the segment is trimmed to\n"
               "// nothing, its FIN cleared (\"any valid FIN must be to the left of the\n"
               "// window\") and TF_ACKNOW set: an ACK, and no state change.")
        body += resync_ack(state)
        body += st["alive"]
    else:
        why = ("tcp_do_segment(): a FIN beyond rcv_nxt (the trimming, by data alone,\n"
               "// leaves one at rcv_nxt + rcv_wnd too) goes to tcp_reass() with TF_ACKNOW:\n"
               "// a duplicate ACK, and no state change. tcp_reass() holds it, an empty\n"
               "// entry; the peer's FIN at rcv_nxt after it ends before that entry\n"
               "// (\"Someone is trying to game us\": TH_FIN and SEQ_LT(th_seq + tlen,\n"
               "// last->tqe_start + last->tqe_len)) and is dropped, with TF_ACKNOW: an\n"
               "// ACK that does not take it, while its ACK of our FIN counts (FIN_WAIT_2).")
        body += resync_ack(state)
        body += HELD_FIN_ALIVE[state]
    title = "FIN|ACK %s in %s." % (pos, rfc_name(state))
    return title, why, None, body


def ack_line(state, ack):
    """The ACK TF_ACKNOW sends with RCV.NXT = ack: our FIN again where it
    is unacknowledged."""
    st = STATES[state]
    if state in FIN_OUT:
        return "+0   > F. 1:1(0) ack %d win 65535\n" % ack
    return "+0   > . %d:%d(0) ack %d win 65535\n" % (st["snd"], st["snd"], ack)


def finack_held_cell(state, filled):
    """A byte held out of order at rcv_nxt + 10, then a FIN|ACK with five
    bytes at rcv_nxt (ending before the held byte), or, once the hole is
    filled, a bare FIN|ACK at the new rcv_nxt: ESTABLISHED and the two
    FIN_WAIT states."""
    st = STATES[state]
    r = st["rcv"]
    una = SND_UNA[state]
    body = ACTIVE + st["reach"]
    body += "+.1  < . %d:%d(1) ack %d win 32767\n" % (r + 10, r + 11, una)
    body += ack_line(state, r)
    if not filled:
        why = ("tcp_do_segment(): with the reassembly queue not empty the segment goes\n"
               "// to tcp_reass(), whose first test drops a FIN that ends before the last\n"
               "// entry (\"Someone is trying to game us, dump the segment\": TH_FIN and\n"
               "// SEQ_LT(th_seq + tlen, last->tqe_start + last->tqe_len)): *tlenp = 0,\n"
               "// its data freed with it, nothing counted; TF_ACKNOW: an ACK at rcv_nxt,\n"
               "// and no state change.")
        body += "+.1  < F. %d:%d(5) ack %d win 32767\n" % (r, r + 5, una)
        body += ack_line(state, r)
        body += ("+0   read(3, ..., 100) = -1 EAGAIN (Resource temporarily unavailable)\n"
                 "+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n"
                 "+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c %s | grep 1`\n"
                 "+0   close(3) = 0\n" % SOCKSTAT[state])
    else:
        why = ("tcp_do_segment(): the hole's ten bytes go to tcp_reass(), which hands\n"
               "// the queue over (rcv_nxt + 11, TF_ACKNOW); the FIN at the new rcv_nxt\n"
               "// finds the queue empty and is taken (rcv_nxt + 1, TF_ACKNOW):\n"
               "// ESTABLISHED goes to CLOSE_WAIT, FIN_WAIT_1 to CLOSING, FIN_WAIT_2 to\n"
               "// TIME_WAIT. Before the hole is filled tcp_reass() drops such a FIN\n"
               "// (rcv-fin-ack-*-held-data-before-end).")
        body += "+.1  < . %d:%d(10) ack %d win 32767\n" % (r, r + 10, una)
        body += ack_line(state, r + 11)
        body += "+0   read(3, ..., 100) = 11\n"
        body += "+.1  < F. %d:%d(0) ack %d win 32767\n" % (r + 11, r + 11, una)
        body += ack_line(state, r + 12)
        if state == "established":
            body += ("+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c CLOSE_WAIT | grep 1`\n"
                     "+0   close(3) = 0\n"
                     "+0   > F. 1:1(0) ack %d win 65535\n"
                     "+.1  < . %d:%d(0) ack 2 win 32767\n" % (r + 12, r + 12, r + 12))
        elif state == "fin-wait-1":
            body += ("+.1  < . %d:%d(0) ack 2 win 32767\n"
                     "+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c TIME_WAIT | grep 1`\n"
                     "+0   close(3) = 0\n" % (r + 12, r + 12))
        else:
            body += ("+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c TIME_WAIT | grep 1`\n"
                     "+0   close(3) = 0\n")
    title = "FIN|ACK at rcv_nxt with a byte held at rcv_nxt + 10, %s, in %s." % (
        "the hole filled first" if filled else "ending before it", rfc_name(state))
    return title, why, None, body


SOCKSTAT = {"established": "ESTABLISHED", "fin-wait-1": "FIN_WAIT_1", "fin-wait-2": "FIN_WAIT_2",
            "close-wait": "CLOSE_WAIT", "closing": "CLOSING", "last-ack": "LAST_ACK"}


def data_cell(state, pos):
    """One byte of data with ACK (SEG.ACK = SND.UNA) in a synchronized state."""
    st = STATES[state]
    r = st["rcv"]
    seq = POSITIONS[pos](r)
    body = ACTIVE + st["reach"] + "+.1  < . %d:%d(1) ack %d win 32767\n" % (seq, seq + 1,
                                                                          SND_UNA[state])
    have_fin = state in ("close-wait", "closing", "last-ack")
    if pos == "outside-left":
        why = ("tcp_do_segment(): the byte lies wholly before rcv_nxt (todrop == tlen,\n"
               "// no FIN): trimmed to nothing, TF_ACKNOW (\"send an ACK to\n"
               "// resynchronize\"); the ACK is processed and the answer sent, our FIN\n"
               "// again where it is unacknowledged.")
        body += resync_ack(state)
    elif pos == "outside-right":
        why = ("tcp_do_segment(): the byte ends after rcv_nxt + rcv_wnd (todrop >= tlen,\n"
               "// the window open): dropafterack, whatever the state: an ACK, our FIN\n"
               "// again where it is unacknowledged.")
        body += resync_ack(state)
    elif have_fin:
        why = ("tcp_do_segment(): inside the window, but a FIN was taken\n"
               "// (TCPS_HAVERCVDFIN): the text is freed (\"m_freem(m); thflags &=\n"
               "// ~TH_FIN\") and nothing set TF_ACKNOW; tcp_output() finds nothing to\n"
               "// send (no window update after a FIN, our FIN already out): no answer.")
    elif pos == "left-edge":
        why = ("tcp_do_segment(): in order with an empty reassembly queue: appended,\n"
               "// rcv_nxt + 1, and DELAY_ACK() holds the ACK for the delayed-ACK timer;\n"
               "// then tcp_output() (FIN_WAIT_1: our unacknowledged FIN again).")
        ack = "+.04 " + resync_ack(state)[5:]
        body += ack.replace("ack %d win" % r, "ack %d win" % (r + 1))
        body += "+0   read(3, ..., 1) = 1\n"
    else:
        why = ("tcp_do_segment(): the byte fits at the window's last octet, out of\n"
               "// order: tcp_reass() queues it and sets TF_ACKNOW, a duplicate ACK now.")
        body += resync_ack(state)
    body += ("+.1  getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n"
             "+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c %s | grep 1`\n"
             "+0   close(3) = 0\n" % SOCKSTAT[state])
    title = "Data with ACK %s in %s." % (pos, rfc_name(state))
    return title, why, None, body


def finack_again_cell(state, pos):
    """A FIN|ACK after the peer's FIN was taken (CLOSE_WAIT, CLOSING,
    LAST_ACK): no news."""
    st = STATES[state]
    r = st["rcv"]
    seq = POSITIONS[pos](r)
    body = ACTIVE + st["reach"] + "+.1  < F. %d:%d(0) ack %d win 32767\n" % (seq, seq, SND_UNA[state])
    if pos == "outside-left":
        why = ("tcp_do_segment(): the peer's FIN again, wholly before rcv_nxt: trimmed,\n"
               "// its FIN cleared, TF_ACKNOW: an ACK (with our FIN again where it is\n"
               "// unacknowledged), no state change.")
        body += resync_ack(state)
    else:
        why = ("tcp_do_segment(): once a FIN was received (TCPS_HAVERCVDFIN) a later\n"
               "// FIN at or beyond rcv_nxt is freed and its FIN flag cleared, without\n"
               "// TF_ACKNOW: nothing is sent and the state stays.")
    body += st["alive"]
    title = "FIN|ACK %s in %s." % (pos, rfc_name(state))
    return title, why, None, body


TW_ALIVE = """// Still in TIME_WAIT: an old ACK (SEG.SEQ != rcv_nxt) is answered
// (tcp_twcheck(): "acknowledge the segment if ... not a duplicate ACK").
+.1  < . 1:1(0) ack 2 win 32767
+0   > . 2:2(0) ack 2 win 65535
"""


def tw_reach(how, fd):
    call = "shutdown(%d, SHUT_WR) = 0" % fd if how == "shutdown" else "close(%d) = 0" % fd
    return """+.1  %s
+0   > F. 1:1(0) ack 1 win 65535
+.1  < F. 1:1(0) ack 2 win 32767
+0   > . 2:2(0) ack 2 win 65535
""" % call


def tw_count(how, n):
    """The check that n connections are in TIME_WAIT, as FreeBSD's sockstat(1)
    shows them (usr.bin/sockstat/sockstat.c display()): after shutdown() the
    socket and its descriptor remain (tcp_twstart() only soisdisconnected()s
    it), and the row names the process; after close() no descriptor holds
    the socket, and the row has "?" for user, command, PID and FD, so it is
    counted without the process's name, and none of the process's rows is in
    TIME_WAIT."""
    if how == "shutdown":
        return "+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c TIME_WAIT | grep %d`\n" % n
    line = "+0   `sockstat -4 -P tcp -s | grep -c TIME_WAIT | grep %d`\n" % n
    if n:
        line += "+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c TIME_WAIT | grep 0`\n"
    return line


def tw_rst_cell(how, pos, secure, with_ack=False):
    seq = POSITIONS[pos](2)
    seg = ("+.1  < R. %d:%d(0) ack 2 win 32767\n" if with_ack else
           "+.1  < R %d:%d(0) win 32767\n") % (seq, seq)
    body = ACTIVE + tw_reach(how, 3) + seg + TW_ALIVE
    body += tw_count(how, 1)
    if how == "shutdown":
        body += "+0   close(3) = 0\n"
    why = ("tcp_twcheck(): \"if the segment contains RST: drop the segment\" (RFC 1337),\n"
           "// wherever it falls and whatever insecure_rst says; TIME_WAIT goes on.")
    title = "%s %s in TIME_WAIT reached with %s(), insecure_rst=%d." % (
        "RST|ACK" if with_ack else "RST", pos, how, 0 if secure else 1)
    return title, why, "insecure_rst", body


# SEG.SEQ around the passive side's receive window in TIME_WAIT (rcv_nxt 2,
# 65535 bytes), for tw_syn_cell() and tw_synack_cell().
TW_PASSIVE_POS = {"left-edge": 2, "right-edge": 65536, "outside-left": 1, "outside-right": 65537}


def tw_syn_cell(how, pos, secure):
    # Passive: the listener is still there to take a recycled SYN.
    seq = TW_PASSIVE_POS[pos]
    body = PASSIVE + tw_reach(how, 4)
    body += "+.1  < S %d:%d(0) win 32767 <mss 1460>\n" % (seq, seq)
    if seq > 2:
        why = ("tcp_twcheck(): a SYN without ACK and SEG.SEQ > rcv_nxt ends TIME_WAIT\n"
               "// (tcp_twclose()) and goes on to the listener, which answers with a\n"
               "// SYN-ACK of a new connection; insecure_syn plays no part.")
        body += "+0   > S. ...(0) ack %d win 65535 <mss 1460>\n" % (seq + 1)
        body += tw_count(how, 0)
    else:
        why = ("tcp_twcheck(): a SYN with SEG.SEQ <= rcv_nxt is no new connection, and\n"
               "// a segment without ACK is dropped (\"drop the segment if it does not\n"
               "// contain an ACK\"); insecure_syn plays no part. TIME_WAIT goes on.")
        body += TW_ALIVE
        body += tw_count(how, 1)
    if how == "shutdown":
        body += "+0   close(4) = 0\n"
    body += "+0   close(3) = 0\n"
    title = "SYN %s in TIME_WAIT reached with %s(), insecure_syn=%d." % (pos, how, 0 if secure else 1)
    return title, why, "insecure_syn", body


def tw_synfin_cell(how, pos, secure, drop):
    """SYN|FIN in TIME_WAIT: drop_synfin first, then tcp_twcheck() as for a
    SYN (tw_syn_cell())."""
    title, why, knob, body = tw_syn_cell(how, pos, secure)
    title = title.replace("SYN ", "SYN|FIN ", 1)[:-1] + ", drop_synfin=%d." % drop
    seq = TW_PASSIVE_POS[pos]
    if drop:
        body = PASSIVE + tw_reach(how, 4)
        body += "+.1  < SF %d:%d(0) win 32767 <mss 1460>\n" % (seq, seq)
        body += TW_ALIVE
        body += tw_count(how, 1)
        if how == "shutdown":
            body += "+0   close(4) = 0\n"
        body += "+0   close(3) = 0\n"
        why = ("tcp_input(): with net.inet.tcp.drop_synfin set, SYN|FIN is dropped\n"
               "// before TIME_WAIT sees it, wherever it falls: TIME_WAIT goes on, as the\n"
               "// sample's drop cells in this state show.")
    else:
        body = body.replace("< S %d:%d(0)" % (seq, seq), "< SF %d:%d(0)" % (seq, seq), 1)
        why += ("\n// drop_synfin is 0: the FIN changes nothing; a listener that takes it\n"
                "// answers the SYN alone (syncache_add()).")
    body = "0    `sysctl -w net.inet.tcp.drop_synfin=%d`\n" % drop + body
    return title, why, knob, body


SYNRCVD_LISTEN = BOUND + """+0   listen(3, 1) = 0
+0   < S 0:0(0) win 32767 <mss 1460>
+0   > S. 0:0(0) ack 1 win 65535 <mss 1460>
+0   `sockstat -4 -P tcp -s | grep -c SYN_RCVD | grep 1`
"""

SYNRCVD_SYNSENT = CONNECT + SYN + """+.1  < S 0:0(0) win 32767 <mss 1460>
+0   > S. 0:0(0) ack 1 win 65535 <mss 1460>
+0   getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65700], [4]) = 0
"""

SYNSENT_ALIVE = """+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+.1  < . 1:1(0) ack 1 win 32767
+0   < F. 1:1(0) ack 1 win 32767
+0   > . 1:1(0) ack 2 win 65535
+0   close(3) = 0
+0   > F. 1:1(0) ack 2 win 65535
+.1  < . 2:2(0) ack 2 win 32767
"""

# Where SEG.ACK falls around SND.UNA = ISS (0) .. SND.MAX = ISS + 1.
ACKS = {"left-edge": 0, "right-edge": 1, "outside-left": 0xffffffff, "outside-right": 2}


def synrcvd_rst_cell(via, pos, secure, ack_pos):
    # The window: the listener's syncache entry offers 65535 (the unrounded
    # buffer, sc_wnd); the simultaneous open's tcpcb the rounded 65700.
    wnd = 65535 if via == "listen" else WND
    seq = {"left-edge": 1, "right-edge": wnd, "outside-left": 0, "outside-right": 1 + wnd}[pos]
    flags = "R" if ack_pos is None else "R."
    ack = "" if ack_pos is None else " ack %d" % ACKS[ack_pos]
    body = (SYNRCVD_LISTEN if via == "listen" else SYNRCVD_SYNSENT)
    body += "+.1  < %s %d:%d(0)%s win 32767\n" % (flags, seq, seq, ack)
    inwin = pos in ("left-edge", "right-edge")
    resets = pos == "left-edge" or (pos == "right-edge" and not secure)
    if via == "listen":
        why = ("tcp_input() hands an RST for a listener to syncache_chkrst(), which\n"
               "// ignores the ACK field: SEG.SEQ in [irs + 1, irs + 1 + sc_wnd) drops the\n"
               "// entry when insecure_rst is set or SEG.SEQ == irs + 1, else earns a\n"
               "// challenge ACK (syncache_respond(TH_ACK)); outside, it is dropped.")
        if resets:
            body += "+.1  `sockstat -4 -P tcp -s | grep -c SYN_RCVD | grep 0`\n"
        else:
            if inwin:
                body += "+0   > . 1:1(0) ack 1 win 65535\n"
            body += "+.1  `sockstat -4 -P tcp -s | grep -c SYN_RCVD | grep 1`\n"
        body += "+0   close(3) = 0\n"
    else:
        why = ("tcp_do_segment(), RST check: SEG.SEQ in [last_ack_sent, last_ack_sent +\n"
               "// rcv_wnd) closes with ECONNREFUSED (SYN_RECEIVED) when insecure_rst is set\n"
               "// or SEG.SEQ == last_ack_sent, else earns a challenge ACK; outside, dropped.\n"
               "// SEG.ACK plays no part: the sample's recordings of FreeBSD (e.g. ...-left-\n"
               "// edge-ack-outside-right-insecure, ECONNREFUSED) show the RST taken before\n"
               "// the SYN_RECEIVED check of SEG.ACK (docs/conformance.md).")
        if resets:
            body += "+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0\n+0   close(3) = 0\n"
        else:
            if inwin:
                body += "+0   > . 1:1(0) ack 1 win 65535\n"
            body += SYNSENT_ALIVE
    state = "SYN_RECEIVED (from %s)" % ("LISTEN" if via == "listen" else "SYN_SENT")
    if ack_pos is None:
        title = "RST %s in %s, insecure_rst=%d." % (pos, state, 0 if secure else 1)
    else:
        title = "RST|ACK %s, ACK %s, in %s, insecure_rst=%d." % (pos, ack_pos, state, 0 if secure else 1)
    return title, why, "insecure_rst", body


TW_POS = {"left-edge": 2, "middle": 3, "right-edge": 1 + WND, "outside-left": 1,
          "outside-right": 2 + WND}


def tw_segment_cell(kind, how, pos):
    """ACK, FIN, FIN|ACK or a byte of data with ACK in TIME_WAIT
    (tcp_twcheck())."""
    seq = TW_POS[pos]
    flags = {"ack": ".", "fin": "F", "fin-ack": "F.", "data": "."}[kind]
    ack = "" if kind == "fin" else " ack 2"
    n = 1 if kind == "data" else 0
    body = ACTIVE + tw_reach(how, 3) + "+.1  < %s %d:%d(%d)%s win 32767\n" % (
        flags, seq, seq + n, n, ack)
    if kind == "fin":
        why = ("tcp_twcheck(): \"drop the segment if it does not contain an ACK\": a FIN\n"
               "// alone is dropped unanswered wherever it falls.")
    elif kind == "ack" and pos == "left-edge":
        why = ("tcp_twcheck(): an exact duplicate of the last ACK (flags ACK, SEG.SEQ ==\n"
               "// rcv_nxt, SEG.ACK == snd_nxt, no data) is not answered.")
    else:
        why = ("tcp_twcheck(): every segment with ACK but an exact duplicate of the last\n"
               "// ACK (data, wherever it falls, is not one) is answered with an ACK\n"
               "// (tcp_twrespond()); a FIN whose end is rcv_nxt also restarts the 2MSL\n"
               "// timer. No window check applies.")
        body += "+0   > . 2:2(0) ack 2 win 65535\n"
    body += TW_ALIVE
    if how == "shutdown":
        body += "+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c TIME_WAIT | grep 1`\n"
        body += "+0   close(3) = 0\n"
    title = "%s %s in TIME_WAIT reached with %s()." % (
        {"ack": "ACK", "fin": "FIN", "fin-ack": "FIN|ACK", "data": "Data with ACK"}[kind], pos,
        how)
    return title, why, None, body


def tw_synack_cell(how, pos, secure):
    seq = TW_PASSIVE_POS[pos]
    body = PASSIVE + tw_reach(how, 4)
    body += "+.1  < S. %d:%d(0) ack 0 win 32767 <mss 1460>\n" % (seq, seq)
    body += "+0   > . 2:2(0) ack 2 win 65535\n" + TW_ALIVE
    if how == "shutdown":
        body += "+0   close(4) = 0\n"
    body += "+0   close(3) = 0\n"
    why = ("tcp_twcheck(): only a SYN without ACK may start a new connection ((thflags &\n"
           "// (TH_SYN | TH_ACK)) == TH_SYN); a SYN|ACK has an ACK and is no duplicate\n"
           "// ACK, so it is answered with an ACK wherever it falls; insecure_syn plays\n"
           "// no part.")
    title = "SYN|ACK %s in TIME_WAIT reached with %s(), insecure_syn=%d." % (
        pos, how, 0 if secure else 1)
    return title, why, "insecure_syn", body


SYNSENT = "0    `sysctl -w net.inet.tcp.rexmit_initial=1000`\n" + CONNECT + SYN

SYNSENT_GOES_ON = """// Still in SYN_SENT: the SYN is retransmitted after the initial RTO and
// the handshake completes.
+.9  > S 0:0(0) win 65535 <mss 1460,nop,wscale 6,sackOK,TS val 1100 ecr 0>
+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+0   < S. 0:0(0) ack 1 win 32767 <mss 1460>
+0   > . 1:1(0) ack 1 win 65535
+0   close(3) = 0
+0   > F. 1:1(0) ack 1 win 65535
+0   < F. 1:1(0) ack 2 win 32767
+0   > . 2:2(0) ack 2 win 65535
"""

# SEG.ACK around ISS: only ISS + 1 acknowledges our SYN.
SYNSENT_ACKS = {"left-edge": 1, "outside-left": 0, "outside-right": 2}


def synsent_cell(kind, data, ack_pos):
    flags = {"ack": ".", "fin-ack": "F.", "rst-ack": "R.", "syn-ack": "S.",
             "fin": "F", "rst": "R"}[kind]
    n = 3 if data else 0
    ack = SYNSENT_ACKS[ack_pos] if ack_pos else None
    seg = "+.1  < %s 0:%d(%d)%s win 32767%s\n" % (
        flags, n, n, "" if ack is None else " ack %d" % ack,
        " <mss 1460>" if kind == "syn-ack" else "")
    body = SYNSENT + seg
    good = ack == 1
    if ack is not None and not good:
        if kind == "rst-ack":
            why = ("tcp_do_segment(): in SYN_SENT an ACK outside (iss, snd_max] goes to\n"
                   "// dropwithreset, which never answers an RST: the segment is dropped.")
            body += SYNSENT_GOES_ON
        else:
            why = ("tcp_do_segment(): in SYN_SENT an ACK outside (iss, snd_max] goes to\n"
                   "// dropwithreset: an RST with SEQ = SEG.ACK and no ACK (RFC 9293\n"
                   "// 3.10.7.3), and the attempt goes on.")
            body += "+0   > R %d:%d(0) win 0\n" % (ack, ack) + SYNSENT_GOES_ON
    elif kind == "rst-ack":
        why = ("tcp_do_segment(), SYN_SENT: RST with an acceptable ACK is\n"
               "// tcp_drop(tp, ECONNREFUSED); nothing is sent (no SYN received).")
        body += "+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0\n"
        body += "+0   close(3) = 0\n"
    elif kind == "syn-ack":
        why = ("tcp_do_segment(), SYN_SENT: a SYN with an acceptable ACK establishes the\n"
               "// connection; its data is queued (RFC 9293 3.10.7.3 \"continue processing\n"
               "// at the sixth step\") and acknowledged.")
        body += "+0   > . 1:1(0) ack %d win 65535\n" % (1 + n)
        body += "+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n"
        if n:
            body += "+0   read(3, ..., 100) = %d\n" % n
        body += """+0   close(3) = 0
+0   > F. 1:1(0) ack %d win 65535
+.1  < F. %d:%d(0) ack 2 win 32767
+0   > . 2:2(0) ack %d win 65535
""" % (1 + n, 1 + n, 1 + n, 2 + n)
    else:
        why = ("tcp_do_segment(), SYN_SENT: a segment without SYN (an RST without ACK,\n"
               "// an ACK, a FIN) is dropped: \"if seg does not contain SYN, then drop it\".")
        body += SYNSENT_GOES_ON
    what = {"ack": "ACK", "fin-ack": "FIN|ACK", "rst-ack": "RST|ACK", "syn-ack": "SYN|ACK",
            "fin": "FIN", "rst": "RST"}[kind]
    title = "%s %s data in SYN_SENT%s." % (what, "with" if data else "without",
                                          "" if ack_pos is None else ", ACK " + ack_pos)
    return title, why, None, body


LISTEN_ALIVE = """// The listener still takes a SYN.
+1   < S 27:27(0) win 32767 <mss 1460>
+0   > S. 0:0(0) ack 28 win 65535 <mss 1460>
"""

FLAGS = {"ack": ".", "fin": "F", "fin-ack": "F.", "rst": "R", "rst-ack": "R.", "syn": "S",
         "syn-ack": "S.", "syn-fin": "SF"}
NAMES = {"ack": "ACK", "fin": "FIN", "fin-ack": "FIN|ACK", "rst": "RST", "rst-ack": "RST|ACK",
         "syn": "SYN", "syn-ack": "SYN|ACK", "syn-fin": "SYN|FIN"}


def stray(kind, data):
    n = 3 if data else 0
    has_ack = kind in ("ack", "fin-ack", "rst-ack", "syn-ack")
    syn = kind.startswith("syn")
    return n, has_ack, "+.1  < %s 17:%d(%d)%s win 32767%s\n" % (
        FLAGS[kind], 17 + n, n, " ack 34" if has_ack else "", " <mss 1460>" if syn else "")


def closed_cell(kind, data):
    n, has_ack, seg = stray(kind, data)
    body = BOUND + seg
    if kind.startswith("rst"):
        why = ("tcp_input(): no connection and no listener; an RST is never answered\n"
               "// (tcp_dropwithreset() returns at once for one).")
    elif has_ack:
        why = ("tcp_input() -> tcp_dropwithreset(): no connection, no listener: a\n"
               "// segment with ACK is answered by an RST with SEQ = SEG.ACK (RFC 9293\n"
               "// 3.10.7.1).")
        body += "+0   > R 34:34(0) win 0\n"
    else:
        end = 17 + n + (1 if "syn" in kind else 0) + (1 if "fin" in kind else 0)
        why = ("tcp_input() -> tcp_dropwithreset(): no connection, no listener: a\n"
               "// segment without ACK is answered by RST|ACK, ACK = SEG.SEQ + SEG.LEN,\n"
               "// SYN and FIN counted (RFC 9293 3.10.7.1).")
        body += "+0   > R. 0:0(0) ack %d win 0\n" % end
    body += "+.1  close(3) = 0\n"
    title = "%s %s data to a bound socket (CLOSED)." % (NAMES[kind], "with" if data else "without")
    return title, why, None, body


def listen_cell(kind, data, drop_synfin=None):
    n, has_ack, seg = stray(kind, data)
    body = BOUND + "+0   listen(3, 1) = 0\n" + seg
    if kind.startswith("rst"):
        why = ("tcp_input(), listening socket: an RST goes to syncache_chkrst(), which\n"
               "// finds no entry for it and drops it.")
        body += LISTEN_ALIVE
    elif kind == "syn-fin" and drop_synfin:
        why = ("tcp_input(), listening socket: SYN|FIN is dropped when\n"
               "// net.inet.tcp.drop_synfin is set.")
        body += LISTEN_ALIVE
    elif kind in ("syn", "syn-fin"):
        why = ("tcp_input(), listening socket: a SYN (the FIN too with drop_synfin 0)\n"
               "// goes to syncache_add(), whose SYN-ACK acknowledges the SYN alone: the\n"
               "// syncache keeps no data (it is sent again after the handshake).")
        body += "+0   > S. 0:0(0) ack 18 win 65535 <mss 1460>\n"
    elif has_ack:
        why = ("tcp_input(), listening socket: a segment with ACK and no valid\n"
               "// syncache entry or cookie is answered by an RST with SEQ = SEG.ACK.")
        body += "+0   > R 34:34(0) win 0\n" + LISTEN_ALIVE
    else:
        why = ("tcp_input(), listening socket: a segment without SYN, ACK or RST\n"
               "// is dropped unanswered.")
        body += LISTEN_ALIVE
    body += "+0   close(3) = 0\n"
    title = "%s %s data to a listener%s." % (
        NAMES[kind], "with" if data else "without",
        "" if drop_synfin is None else ", drop_synfin=%d" % drop_synfin)
    return title, why, None, body


def synrcvd_ack_cell(pos, ack_pos):
    """An ACK that would complete a passive open (syncache_expand())."""
    seq = {"left-edge": 1, "right-edge": 65535, "outside-left": 0, "outside-right": 65536}[pos]
    ack = ACKS[ack_pos]
    body = SYNRCVD_LISTEN + "+.1  < . %d:%d(0) ack %d win 32767\n" % (seq, seq, ack)
    if ack == 1 and pos in ("left-edge", "right-edge"):
        why = ("syncache_expand(): an ACK of our SYN with SEG.SEQ in (irs, irs +\n"
               "// sc_wnd] completes the connection (syncache_socket()), unanswered.")
        body += """+0   accept(3, ..., ...) = 4
+0   `sockstat -4 -P tcp -s | grep -c SYN_RCVD | grep 0`
"""
    else:
        why = ("syncache_expand() takes the entry out of the bucket (TAILQ_REMOVE),\n"
               "// then fails when SEG.ACK is not iss + 1 or SEG.SEQ is not in (irs, irs +\n"
               "// sc_wnd]: \"failed:\" frees the entry and tcp_input() answers with an RST\n"
               "// at SEG.ACK (dropwithreset). The proper ACK after finds no entry (no\n"
               "// overflow: no cookie check) and gets the listener's RST.")
        body += """+0   > R %d:%d(0) win 0
+0   `sockstat -4 -P tcp -s | grep -c SYN_RCVD | grep 0`
+.1  < . 1:1(0) ack 1 win 32767
+0   > R 1:1(0) win 0
+0   close(3) = 0
""" % (ack, ack)
        title = "ACK %s, ACK %s, in SYN_RECEIVED (from LISTEN)." % (pos, ack_pos)
        return title, why, None, body
    body += """+0   close(4) = 0
+0   > F. 1:1(0) ack 1 win 65535
+.1  < F. 1:1(0) ack 2 win 32767
+0   > . 2:2(0) ack 2 win 65535
+0   close(3) = 0
"""
    title = "ACK %s, ACK %s, in SYN_RECEIVED (from LISTEN)." % (pos, ack_pos)
    return title, why, None, body


SYNRCVD_LISTEN_ALIVE = """+.1  < . 1:1(0) ack 1 win 32767
+0   accept(3, ..., ...) = 4
+0   `sockstat -4 -P tcp -s | grep -c SYN_RCVD | grep 0`
+0   close(4) = 0
+0   > F. 1:1(0) ack 1 win 65535
+.1  < F. 1:1(0) ack 2 win 32767
+0   > . 2:2(0) ack 2 win 65535
+0   close(3) = 0
"""

SYNRCVD_SEQ = {"left-edge": 1, "right-edge": 65535, "outside-left": 0, "outside-right": 65536}


def synrcvd_listen_cell(kind, pos, secure=True, drop=None):
    """A FIN, SYN or SYN|FIN without ACK for a syncache entry (SYN_RECEIVED
    from LISTEN): tcp_input()'s listening-socket branch, not tcp_do_segment()."""
    seq = SYNRCVD_SEQ[pos]
    flags = {"fin": "F", "syn": "S", "syn-fin": "SF"}[kind]
    opts = "" if kind == "fin" else " <mss 1460>"
    body = SYNRCVD_LISTEN + "+.1  < %s %d:%d(0) win 32767%s\n" % (flags, seq, seq, opts)
    if kind == "fin":
        why = ("tcp_input(), listening socket: no ACK-only segment for\n"
               "// syncache_expand(), no RST, no SYN: \"SYN is missing, segment\n"
               "// ignored\" (dropunlock). The entry stays; the ACK after completes it.")
    elif drop:
        why = ("tcp_input(), listening socket: SYN|FIN is dropped when\n"
               "// net.inet.tcp.drop_synfin is set. The entry stays.")
    else:
        why = ("tcp_input(), listening socket: a SYN (the FIN too with drop_synfin 0)\n"
               "// goes to syncache_add(), which finds the entry for the 4-tuple (a\n"
               "// duplicate SYN, tcps_sc_dupsyn) and sends its SYN-ACK again\n"
               "// (syncache_respond()), whatever SEG.SEQ; insecure_syn plays no part.")
        body += "+0   > S. 0:0(0) ack 1 win 65535 <mss 1460>\n"
    body += SYNRCVD_LISTEN_ALIVE
    knob = None
    if kind != "fin":
        knob = "insecure_syn"
    if drop is not None:
        body = "0    `sysctl -w net.inet.tcp.drop_synfin=%d`\n" % drop + body
    title = "%s %s in SYN_RECEIVED (from LISTEN)%s%s." % (
        {"fin": "FIN", "syn": "SYN", "syn-fin": "SYN|FIN"}[kind], pos,
        "" if kind == "fin" else ", insecure_syn=%d" % (0 if secure else 1),
        "" if drop is None else ", drop_synfin=%d" % drop)
    return title, why, knob, body


def synrcvd_listen_acked_cell(kind, pos):
    """A FIN|ACK, or a byte of data with ACK, acknowledging our SYN (SEG.ACK =
    ISS + 1) for a syncache entry: syncache_expand() as for a bare ACK, then
    tcp_do_segment() on the new socket."""
    seq = SYNRCVD_SEQ[pos]
    if kind == "fin-ack":
        seg = "+.1  < F. %d:%d(0) ack 1 win 32767\n" % (seq, seq)
    else:
        seg = "+.1  < . %d:%d(1) ack 1 win 32767\n" % (seq, seq + 1)
    body = SYNRCVD_LISTEN + seg
    if pos not in ("left-edge", "right-edge"):
        why = ("syncache_expand(): SEG.SEQ not in (irs, irs + sc_wnd]: \"failed:\"\n"
               "// frees the entry and tcp_input() answers with an RST at SEG.ACK; the\n"
               "// proper ACK after gets the listener's RST.")
        body += """+0   > R 1:1(0) win 0
+0   `sockstat -4 -P tcp -s | grep -c SYN_RCVD | grep 0`
+.1  < . 1:1(0) ack 1 win 32767
+0   > R 1:1(0) win 0
+0   close(3) = 0
"""
    elif pos == "right-edge":
        why = ("syncache_expand() completes the connection (SEG.SEQ in (irs, irs +\n"
               "// sc_wnd]), then tcp_do_segment(): ESTABLISHED, and the segment lies\n"
               "// beyond rcv_nxt: tcp_reass() with TF_ACKNOW, a duplicate ACK now.")
        body += """+0   > . 1:1(0) ack 1 win 65535
+0   accept(3, ..., ...) = 4
+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c ESTABLISHED | grep 1`
+0   close(4) = 0
+0   > F. 1:1(0) ack 1 win 65535
+0   close(3) = 0
"""
    elif kind == "fin-ack":
        why = ("syncache_expand() completes the connection, then tcp_do_segment():\n"
               "// ESTABLISHED, the FIN at rcv_nxt is taken (TF_ACKNOW): CLOSE_WAIT.")
        body += """+0   > . 1:1(0) ack 2 win 65535
+0   accept(3, ..., ...) = 4
+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c CLOSE_WAIT | grep 1`
+0   close(4) = 0
+0   > F. 1:1(0) ack 2 win 65535
+.1  < . 2:2(0) ack 2 win 32767
+0   close(3) = 0
"""
    else:
        why = ("syncache_expand() completes the connection, then tcp_do_segment():\n"
               "// ESTABLISHED, the byte in order with an empty queue: appended, the\n"
               "// ACK held for the delayed-ACK timer (DELAY_ACK()).")
        body += """+.04 > . 1:1(0) ack 2 win 65535
+0   accept(3, ..., ...) = 4
+0   read(4, ..., 1) = 1
+0   close(4) = 0
+0   > F. 1:1(0) ack 2 win 65535
+.1  < F. 2:2(0) ack 2 win 32767
+0   > . 2:2(0) ack 3 win 65535
+0   close(3) = 0
"""
    title = "%s %s, ACK right-edge, in SYN_RECEIVED (from LISTEN)." % (
        "FIN|ACK" if kind == "fin-ack" else "Data with ACK", pos)
    return title, why, None, body


def synrcvd_listen_synack_cell(pos, secure):
    """A SYN|ACK (SEG.ACK = ISS + 1) for a syncache entry."""
    seq = SYNRCVD_SEQ[pos]
    body = SYNRCVD_LISTEN + "+.1  < S. %d:%d(0) ack 1 win 32767 <mss 1460>\n" % (seq, seq)
    why = ("tcp_input(), listening socket: \"(SYN|ACK) is bogus on a listen socket\":\n"
           "// syncache_badack() drops the entry (tcps_sc_badack) and the segment\n"
           "// gets an RST at SEG.ACK (dropwithreset), wherever SEG.SEQ falls;\n"
           "// insecure_syn plays no part. The proper ACK after meets the listener's RST.")
    body += """+0   > R 1:1(0) win 0
+0   `sockstat -4 -P tcp -s | grep -c SYN_RCVD | grep 0`
+.1  < . 1:1(0) ack 1 win 32767
+0   > R 1:1(0) win 0
+0   close(3) = 0
"""
    title = "SYN|ACK %s, ACK right-edge, in SYN_RECEIVED (from LISTEN), insecure_syn=%d." % (
        pos, 0 if secure else 1)
    return title, why, "insecure_syn", body


def synrcvd_synsent_syn_cell(pos, secure):
    """A SYN without ACK in SYN_RECEIVED reached by a simultaneous open."""
    seq = {"left-edge": 1, "right-edge": WND, "outside-left": 0, "outside-right": 1 + WND}[pos]
    body = SYNRCVD_SYNSENT + "+.1  < S %d:%d(0) win 32767 <mss 1460>\n" % (seq, seq)
    if pos == "outside-left":
        why = ("tcp_do_segment(): no RFC 5961 SYN check in SYN_RECEIVED; the\n"
               "// trimming strips the SYN at rcv_nxt - 1 (todrop 1), leaving nothing:\n"
               "// TF_ACKNOW, and tcp_output() in SYN_RECEIVED sends the SYN|ACK again.")
        body += "+0   > S. 0:0(0) ack 1 win 65535 <mss 1460>\n"
    else:
        why = ("tcp_do_segment(): no RFC 5961 SYN check in SYN_RECEIVED; nothing to\n"
               "// trim (the SYN takes no room in tlen), no ACK bit: step6, no text,\n"
               "// nothing sent. insecure_syn plays no part.")
    body += SYNSENT_ALIVE
    title = "SYN %s in SYN_RECEIVED (from SYN_SENT), insecure_syn=%d." % (pos, 0 if secure else 1)
    return title, why, "insecure_syn", body


def synrcvd_synsent_ack_cell(pos, ack_pos):
    """An ACK in SYN_RECEIVED reached by a simultaneous open (a full tcpcb)."""
    seq = POSITIONS[pos](1)
    ack = ACKS[ack_pos]
    body = SYNRCVD_SYNSENT + "+.1  < . %d:%d(0) ack %d win 32767\n" % (seq, seq, ack)
    if ack != 1:
        why = ("tcp_do_segment(), SYN_RECEIVED: SEG.ACK outside (snd_una, snd_max] goes\n"
               "// to dropwithreset: an RST at SEG.ACK, and the state stays.")
        body += "+0   > R %d:%d(0) win 0\n" % (ack, ack)
    elif pos == "outside-left":
        why = ("tcp_do_segment(): wholly before rcv_nxt, the segment is trimmed and\n"
               "// TF_ACKNOW set (\"But keep on processing for RST or ACK\"); its ACK\n"
               "// of our SYN still completes the handshake (ESTABLISHED), and the ACK\n"
               "// goes out.")
        body += "+0   > . 1:1(0) ack 1 win 65535\n"
        body += "+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c ESTABLISHED | grep 1`\n"
    else:
        why = ("tcp_do_segment(): a bare ACK of our SYN inside [rcv_nxt, rcv_nxt +\n"
               "// rcv_wnd] (the trimming is by data alone) completes the handshake,\n"
               "// unanswered.")
    body += SYNSENT_ALIVE
    title = "ACK %s, ACK %s, in SYN_RECEIVED (from SYN_SENT)." % (pos, ack_pos)
    return title, why, None, body


# After a segment held in the reassembly queue beyond RCV.NXT (tcp_reass()'s
# new_entry): the handshake ACK completes the connection without a word (the
# held segment is not at rcv_nxt, tcp_reass(NULL) presents nothing), and our
# FIN is acknowledged. The peer's FIN is left out: FreeBSD's tcp_reass()
# drops a FIN that ends before the last held segment ("Someone is trying to
# game us").
SYNSENT_HELD_ALIVE = """+.1  < . 1:1(0) ack 1 win 32767
+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+0   close(3) = 0
+0   > F. 1:1(0) ack 1 win 65535
+.1  < . 1:1(0) ack 2 win 32767
"""

# The same, the handshake already complete (ESTABLISHED).
SYNSENT_EST_HELD_ALIVE = """+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+0   close(3) = 0
+0   > F. 1:1(0) ack 1 win 65535
+.1  < . 1:1(0) ack 2 win 32767
"""

# One byte received (RCV.NXT 2), read, then the peer's FIN.
SYNSENT_BYTE_ALIVE = """+0   read(3, ..., 1) = 1
+.1  < F. 2:2(0) ack 1 win 32767
+0   > . 1:1(0) ack 3 win 65535
+0   close(3) = 0
+0   > F. 1:1(0) ack 3 win 65535
+.1  < . 3:3(0) ack 2 win 32767
"""

SYNACK_AGAIN = "+0   > S. 0:0(0) ack 1 win 65535 <mss 1460>\n"

# The state after the answer: still SYN_RECEIVED, or ESTABLISHED.
IN_SYNRCVD = "+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c SYN_RCVD | grep 1`\n"
IN_EST = "+0   `sockstat -4 -P tcp -s | grep packetdril | grep -c ESTABLISHED | grep 1`\n"

SYNSENT_NAMES = {"fin": "FIN", "fin-ack": "FIN|ACK", "syn-ack": "SYN|ACK", "syn-fin": "SYN|FIN",
                 "data": "Data with ACK", "data-noack": "Data without ACK"}

# Why a segment without ACK that stays in the window is answered: the ACK
# bit off in SYN_RECEIVED is "goto step6", not a drop.
NOACK_STEP6 = ("tcp_do_segment(): without ACK, in SYN_RECEIVED \"goto step6\" (no drop);\n"
               "// dodata: not yet ESTABLISHED, so tcp_reass() holds the %s\n"
               "// (new_entry; present: \"!TCPS_HAVEESTABLISHED\" returns 0) and TF_ACKNOW\n"
               "// is set: tcp_output() in SYN_RECEIVED (TF_NEEDSYN) sends the SYN|ACK\n"
               "// again.")


def synrcvd_synsent_seg_cell(kind, pos, ack_pos=None, secure=True, drop=None):
    """A FIN, FIN|ACK, SYN|ACK, SYN|FIN or one byte of data, with or without
    ACK, in SYN_RECEIVED reached by a simultaneous open: FreeBSD's full
    tcpcb with TF_NEEDSYN (tcp_do_segment(), SYN_SENT: "simultaneous open",
    TF_ACKNOW | TF_NEEDSYN), SND.UNA = ISS, SND.MAX = ISS + 1, RCV.NXT =
    IRS + 1, rcv_wnd 65700."""
    seq = POSITIONS[pos](1)
    ack = None if ack_pos is None else ACKS[ack_pos]
    n = 1 if kind.startswith("data") else 0
    flags = {"fin": "F", "fin-ack": "F.", "syn-ack": "S.", "syn-fin": "SF", "data": ".",
             "data-noack": "P"}[kind]
    opts = " <mss 1460>" if kind.startswith("syn") else ""
    body = SYNRCVD_SYNSENT + "+.1  < %s %d:%d(%d)%s win 32767%s\n" % (
        flags, seq, seq + n, n, "" if ack is None else " ack %d" % ack, opts)
    if drop:
        why = ("tcp_do_segment(): with net.inet.tcp.drop_synfin set, SYN|FIN is dropped\n"
               "// first (\"SYN|FIN segment ignored\"), wherever it falls.")
        body += SYNSENT_ALIVE
    elif ack is not None and ack != 1:
        why = ("tcp_do_segment(), the state switch before the RST, SYN and window\n"
               "// checks: in SYN_RECEIVED an ACK outside (snd_una, snd_max] (SND.UNA is\n"
               "// still ISS: TF_NEEDSYN) goes to dropwithreset: tcp_dropwithreset() sends\n"
               "// <SEQ=SEG.ACK><CTL=RST>, wherever SEG.SEQ falls; the state stays.")
        body += "+0   > R %d:%d(0) win 0\n" % (ack, ack) + IN_SYNRCVD + SYNSENT_ALIVE
    elif pos == "outside-left" and ack is None:
        why = ("tcp_do_segment(): SEG.SEQ = IRS is no \"LAND\" segment (SEQ_LT(th_seq,\n"
               "// irs) is false); the trimming takes what lies before rcv_nxt (a SYN\n"
               "// first), and with nothing left (a FIN with it, \"any valid FIN must be\n"
               "// to the left of the window\") sets TF_ACKNOW; without ACK, goto step6:\n"
               "// tcp_output() in SYN_RECEIVED sends the SYN|ACK again.")
        if kind == "syn-fin":
            why = ("tcp_do_segment(): the trimming takes the SYN at IRS (todrop 1 -> 0),\n"
                   "// but keeps the FIN, now at rcv_nxt (todrop == tlen with FIN set is\n"
                   "// no duplicate). Without ACK, goto step6; dodata: tcp_reass() holds\n"
                   "// the FIN (not ESTABLISHED) and TF_ACKNOW is set: the SYN|ACK again.\n"
                   "// The handshake ACK's tcp_reass(NULL) presents the held FIN, whose\n"
                   "// TH_FIN it throws away ((void)): the later FIN|ACK is news.")
        body += SYNACK_AGAIN + IN_SYNRCVD + SYNSENT_ALIVE
    elif pos == "outside-left":
        why = ("tcp_do_segment(): SEG.SEQ = IRS passes the \"LAND\" check; the trimming\n"
               "// leaves nothing (a SYN and a byte count, a FIN is cleared) and sets\n"
               "// TF_ACKNOW; the ACK of our SYN completes the handshake (ESTABLISHED,\n"
               "// TF_NEEDSYN cleared, snd_una++) and the ACK goes out.")
        body += "+0   > . 1:1(0) ack 1 win 65535\n" + IN_EST + SYNSENT_ALIVE
    elif ack is None and kind == "data-noack" and pos == "outside-right":
        why = ("tcp_do_segment(): the byte ends after rcv_nxt + rcv_wnd (todrop >=\n"
               "// tlen, the window open): dropafterack, which in SYN_RECEIVED sends an\n"
               "// RST only for a bad ACK; none here: TF_ACKNOW, the SYN|ACK again.")
        body += SYNACK_AGAIN + IN_SYNRCVD + SYNSENT_ALIVE
    elif ack is None:
        what = "byte" if n else "FIN (an empty entry)"
        why = NOACK_STEP6 % what
        if pos == "outside-right":
            why += ("\n// SEG.SEQ = rcv_nxt + rcv_wnd: the right-hand trim is by data alone\n"
                    "// (todrop = 0), so the FIN stays.")
        body += SYNACK_AGAIN + IN_SYNRCVD
        if pos == "left-edge" and n:
            why += ("\n// The handshake ACK's tcp_reass(NULL) presents the byte (rcv_nxt 2);\n"
                    "// tcp_output() finds no window update worth sending: no ACK.")
            body += "+.1  < . 1:1(0) ack 1 win 32767\n" + SYNSENT_BYTE_ALIVE
        elif pos == "left-edge":
            why += ("\n// The handshake ACK's tcp_reass(NULL) presents the held FIN and its\n"
                    "// TH_FIN is thrown away ((void)): the later FIN|ACK is news.")
            body += SYNSENT_ALIVE
        else:
            body += SYNSENT_HELD_ALIVE
    elif kind == "data" and pos == "outside-right":
        why = ("tcp_do_segment(): the byte ends after rcv_nxt + rcv_wnd: dropafterack,\n"
               "// before the ACK is processed; SEG.ACK passes its SYN_RECEIVED test, so\n"
               "// TF_ACKNOW: tcp_output() in SYN_RECEIVED sends the SYN|ACK again.")
        body += SYNACK_AGAIN + IN_SYNRCVD + SYNSENT_ALIVE
    elif kind == "syn-ack":
        why = ("tcp_do_segment(): no RFC 5961 SYN check in SYN_RECEIVED, nothing to trim;\n"
               "// the ACK of our SYN completes the handshake (ESTABLISHED, TF_NEEDSYN\n"
               "// cleared, snd_una++, acked 0: step6) and the SYN bit is ignored; no\n"
               "// text, no window update worth sending: unanswered. insecure_syn plays\n"
               "// no part.")
        body += IN_EST + SYNSENT_ALIVE
    elif pos == "left-edge" and kind == "fin-ack":
        why = ("tcp_do_segment(): the ACK completes the handshake (ESTABLISHED), then\n"
               "// the FIN at rcv_nxt is taken (TF_ACKNOW): CLOSE_WAIT.")
        body += """+0   > . 1:1(0) ack 2 win 65535
+0   getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+0   close(3) = 0
+0   > F. 1:1(0) ack 2 win 65535
+.1  < . 2:2(0) ack 2 win 32767
"""
    elif pos == "left-edge":
        why = ("tcp_do_segment(): the ACK completes the handshake (ESTABLISHED,\n"
               "// TF_NEEDSYN cleared), then the byte in order with an empty queue is\n"
               "// appended and its ACK held for the delayed-ACK timer (DELAY_ACK()).")
        body += "+.04 > . 1:1(0) ack 2 win 65535\n" + SYNSENT_BYTE_ALIVE
    else:
        why = ("tcp_do_segment(): the ACK completes the handshake (ESTABLISHED); the\n"
               "// %s beyond rcv_nxt goes to tcp_reass() with TF_ACKNOW: a duplicate\n"
               "// ACK. (At rcv_nxt + rcv_wnd the right-hand trim, by data alone, leaves\n"
               "// a FIN.)" % ("byte" if n else "FIN"))
        body += "+0   > . 1:1(0) ack 1 win 65535\n" + IN_EST + SYNSENT_EST_HELD_ALIVE
    if drop is not None:
        body = "0    `sysctl -w net.inet.tcp.drop_synfin=%d`\n" % drop + body
    title = "%s %s%s in SYN_RECEIVED (from SYN_SENT)%s%s." % (
        SYNSENT_NAMES[kind], pos, "" if ack_pos is None else ", ACK %s," % ack_pos,
        ", insecure_syn=%d" % (0 if secure else 1) if kind.startswith("syn") else "",
        "" if drop is None else ", drop_synfin=%d" % drop)
    knob = "insecure_syn" if kind.startswith("syn") else None
    return title, why, knob, body


def synrcvd_synsent_land_cell(kind):
    """A segment one below the IRS (SEG.SEQ = IRS - 1) in SYN_RECEIVED reached
    by a simultaneous open: tcp_do_segment()'s "LAND" check."""
    seq = 0xffffffff
    n = 1 if kind.startswith("data") else 0
    flags = {"syn": "S", "fin": "F", "data-noack": "P", "data": ".", "fin-ack": "F.",
             "syn-ack": "S."}[kind]
    has_ack = kind in ("data", "fin-ack", "syn-ack")
    opts = " <mss 1460>" if kind.startswith("syn") else ""
    body = SYNRCVD_SYNSENT + "+.1  < %s %d:%d(%d)%s win 32767%s\n" % (
        flags, seq, (seq + n) & 0xffffffff, n, " ack 1" if has_ack else "", opts)
    why = ("tcp_do_segment(), SYN_RECEIVED: \"validate that the packet belongs to\n"
           "// this connection before trimming\": SEG.SEQ below the IRS is\n"
           "// dropwithreset (the \"LAND\" check), after the ACK check (passed or no\n"
           "// ACK) and before the trimming; tcp_dropwithreset() answers\n"
           "// %s;\n// the state stays." % (
               "<SEQ=SEG.ACK><CTL=RST>" if has_ack else
               "<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (SYN and FIN counted)"))
    if has_ack:
        body += "+0   > R 1:1(0) win 0\n"
    else:
        end = (seq + n + (1 if "syn" in kind else 0) + (1 if "fin" in kind else 0)) & 0xffffffff
        # tcp_respond() with seq 0: absolute ('!'), not counted from our ISS.
        body += "+0   > R. 0:0(0)! ack %d win 0\n" % end
    body += IN_SYNRCVD + SYNSENT_ALIVE
    title = "%s below the IRS%s in SYN_RECEIVED (from SYN_SENT)%s." % (
        {"syn": "SYN", "syn-ack": "SYN|ACK"}.get(kind, SYNSENT_NAMES.get(kind)),
        ", ACK right-edge," if has_ack else "",
        ", insecure_syn=0" if kind.startswith("syn") else "")
    return title, why, "insecure_syn" if kind.startswith("syn") else None, body


def synrcvd_synsent_seg_cells():
    for kind in ("syn", "fin", "data-noack", "data", "fin-ack", "syn-ack"):
        fam = "data" if kind.startswith("data") else kind
        name = "rcv-%s-syn-rcvd-via-syn-sent-below-irs" % fam
        if kind in ("data", "fin-ack", "syn-ack"):
            name += "-ack-right-edge"
        elif kind == "data-noack":
            name += "-no-ack"
        if kind.startswith("syn"):
            name += "-secure"
        yield ("rcv-%s-syn-rcvd" % fam, name, synrcvd_synsent_land_cell(kind))
    for pos in POSITIONS:
        yield ("rcv-fin-syn-rcvd", "rcv-fin-syn-rcvd-via-syn-sent-%s" % pos,
               synrcvd_synsent_seg_cell("fin", pos))
        yield ("rcv-data-syn-rcvd", "rcv-data-syn-rcvd-via-syn-sent-%s-no-ack" % pos,
               synrcvd_synsent_seg_cell("data-noack", pos))
        for ack_pos in ACKS:
            for kind in ("fin-ack", "data"):
                yield ("rcv-%s-syn-rcvd" % kind,
                       "rcv-%s-syn-rcvd-via-syn-sent-%s-ack-%s" % (kind, pos, ack_pos),
                       synrcvd_synsent_seg_cell(kind, pos, ack_pos))
        for secure in (True, False):
            sec = "secure" if secure else "insecure"
            for ack_pos in ACKS:
                yield ("rcv-syn-ack-syn-rcvd",
                       "rcv-syn-ack-syn-rcvd-via-syn-sent-%s-ack-%s-%s" % (pos, ack_pos, sec),
                       synrcvd_synsent_seg_cell("syn-ack", pos, ack_pos, secure))
            for drop in (1, 0):
                yield ("rcv-syn-fin-syn-rcvd", "rcv-syn-fin-syn-rcvd-via-syn-sent-%s-%s-%s" % (
                    pos, sec, "drop" if drop else "nodrop"),
                       synrcvd_synsent_seg_cell("syn-fin", pos, None, secure, drop))


def cells():
    yield from synrcvd_synsent_seg_cells()
    for pos in POSITIONS:
        for ack_pos in ACKS:
            # An old SEG.SEQ with a bad SEG.ACK too: the state switch's ACK
            # check comes before the sequence checks for every segment but
            # an RST (the sample's recordings of RST|ACK in this state show
            # the sequence handled first for those; docs/conformance.md).
            yield ("rcv-ack-syn-rcvd", "rcv-ack-syn-rcvd-via-syn-sent-%s-ack-%s" % (pos, ack_pos),
                   synrcvd_synsent_ack_cell(pos, ack_pos))
    for pos in POSITIONS:
        for ack_pos in ACKS:
            yield ("rcv-ack-syn-rcvd", "rcv-ack-syn-rcvd-via-listen-%s-ack-%s" % (pos, ack_pos),
                   synrcvd_ack_cell(pos, ack_pos))
    for pos in POSITIONS:
        for secure in (True, False):
            yield ("rcv-syn-syn-rcvd", "rcv-syn-syn-rcvd-via-syn-sent-%s-%s" % (
                pos, "secure" if secure else "insecure"), synrcvd_synsent_syn_cell(pos, secure))
    for pos in POSITIONS:
        yield ("rcv-fin-syn-rcvd", "rcv-fin-syn-rcvd-via-listen-%s" % pos,
               synrcvd_listen_cell("fin", pos))
        for secure in (True, False):
            sec = "secure" if secure else "insecure"
            yield ("rcv-syn-syn-rcvd", "rcv-syn-syn-rcvd-via-listen-%s-%s" % (pos, sec),
                   synrcvd_listen_cell("syn", pos, secure))
            for drop in (1, 0):
                yield ("rcv-syn-fin-syn-rcvd", "rcv-syn-fin-syn-rcvd-via-listen-%s-%s-%s" % (
                    pos, sec, "drop" if drop else "nodrop"),
                       synrcvd_listen_cell("syn-fin", pos, secure, drop))
    for pos in POSITIONS:
        yield ("rcv-fin-ack-syn-rcvd", "rcv-fin-ack-syn-rcvd-via-listen-%s-ack-right-edge" % pos,
               synrcvd_listen_acked_cell("fin-ack", pos))
        yield ("rcv-data-syn-rcvd", "rcv-data-syn-rcvd-via-listen-%s-ack-right-edge" % pos,
               synrcvd_listen_acked_cell("data", pos))
        for secure in (True, False):
            yield ("rcv-syn-ack-syn-rcvd",
                   "rcv-syn-ack-syn-rcvd-via-listen-%s-ack-right-edge-%s" % (
                       pos, "secure" if secure else "insecure"),
                   synrcvd_listen_synack_cell(pos, secure))
    for state in ("established", "fin-wait-1", "fin-wait-2"):
        for pos in POSITIONS:
            yield ("rcv-fin-ack-%s" % state, "rcv-fin-ack-%s-%s" % (state, pos),
                   finack_cell(state, pos))
        for filled in (False, True):
            yield ("rcv-fin-ack-%s" % state, "rcv-fin-ack-%s-held-data-%s" % (
                state, "hole-filled" if filled else "before-end"),
                   finack_held_cell(state, filled))
    for state in ("close-wait", "closing", "last-ack"):
        for pos in POSITIONS:
            yield ("rcv-fin-ack-%s" % state, "rcv-fin-ack-%s-%s" % (state, pos),
                   finack_again_cell(state, pos))
    for state in STATES:
        for pos in POSITIONS:
            yield ("rcv-data-%s" % state, "rcv-data-%s-%s" % (state, pos), data_cell(state, pos))
    for state in STATES:
        for pos in POSITIONS:
            for kind in ("ack", "fin"):
                yield ("rcv-%s-%s" % (kind, state), "rcv-%s-%s-%s" % (kind, state, pos),
                       bare_cell(kind, state, pos))
    for kind in FLAGS:
        for data in (True, False):
            wd = "with" if data else "without"
            yield ("rcv-%s-closed" % kind, "rcv-%s-%s-data-closed" % (kind, wd),
                   closed_cell(kind, data))
            if kind == "syn-fin":
                for drop in (1, 0):
                    name = "rcv-syn-fin-%s-data-listen-dropping-%s" % (
                        wd, "enabled" if drop else "disabled")
                    title, why, knob, body = listen_cell(kind, data, drop)
                    body = "0    `sysctl -w net.inet.tcp.drop_synfin=%d`\n" % drop + body
                    yield ("rcv-syn-fin-listen", name, (title, why, knob, body))
            else:
                yield ("rcv-%s-listen" % kind, "rcv-%s-%s-data-listen" % (kind, wd),
                       listen_cell(kind, data))
    for kind in ("ack", "fin-ack", "rst-ack", "syn-ack"):
        for data in (True, False):
            for ack_pos in SYNSENT_ACKS:
                name = "rcv-%s-%s-data-syn-sent-ack-%s" % (kind, "with" if data else "without",
                                                         ack_pos)
                yield ("rcv-%s-syn-sent" % kind, name, synsent_cell(kind, data, ack_pos))
    for kind in ("fin", "rst"):
        for data in (True, False):
            name = "rcv-%s-%s-data-syn-sent" % (kind, "with" if data else "without")
            yield ("rcv-%s-syn-sent" % kind, name, synsent_cell(kind, data, None))
    for how in ("shutdown", "close"):
        for kind in ("ack", "fin", "fin-ack", "data"):
            for pos in TW_POS:
                yield ("rcv-%s-time-wait" % kind, "rcv-%s-time-wait-using-%s-%s" % (kind, how, pos),
                       tw_segment_cell(kind, how, pos))
        for pos in POSITIONS:
            for secure in (True, False):
                sec = "secure" if secure else "insecure"
                yield ("rcv-syn-ack-time-wait",
                       "rcv-syn-ack-time-wait-using-%s-%s-%s" % (how, pos, sec),
                       tw_synack_cell(how, pos, secure))
    for via in ("listen", "syn-sent"):
        for pos in POSITIONS:
            for secure in (True, False):
                sec = "secure" if secure else "insecure"
                yield ("rcv-rst-syn-rcvd", "rcv-rst-syn-rcvd-via-%s-%s-%s" % (via, pos, sec),
                       synrcvd_rst_cell(via, pos, secure, None))
                for ack_pos in ACKS:
                    yield ("rcv-rst-ack-syn-rcvd",
                           "rcv-rst-ack-syn-rcvd-via-%s-%s-ack-%s-%s" % (via, pos, ack_pos, sec),
                           synrcvd_rst_cell(via, pos, secure, ack_pos))
    for state in STATES:
        for pos in POSITIONS:
            for secure in (True, False):
                sec = "secure" if secure else "insecure"
                yield ("rcv-rst-%s" % state, "rcv-rst-%s-%s-%s" % (state, pos, sec),
                       rst_cell(state, pos, secure))
                yield ("rcv-syn-%s" % state, "rcv-syn-%s-%s-%s" % (state, pos, sec),
                       syn_cell(state, pos, secure))
                yield ("rcv-rst-ack-%s" % state, "rcv-rst-ack-%s-%s-%s" % (state, pos, sec),
                       rst_cell(state, pos, secure, True))
                yield ("rcv-syn-ack-%s" % state, "rcv-syn-ack-%s-%s-%s" % (state, pos, sec),
                       syn_cell(state, pos, secure, True))
                for drop in (1, 0):
                    yield ("rcv-syn-fin-%s" % state, "rcv-syn-fin-%s-%s-%s-%s" % (
                        state, pos, sec, "drop" if drop else "nodrop"),
                           synfin_cell(state, pos, secure, drop))
    for how in ("shutdown", "close"):
        for pos in POSITIONS:
            for secure in (True, False):
                sec = "secure" if secure else "insecure"
                yield ("rcv-rst-time-wait", "rcv-rst-time-wait-using-%s-%s-%s" % (how, pos, sec),
                       tw_rst_cell(how, pos, secure))
                yield ("rcv-rst-ack-time-wait",
                       "rcv-rst-ack-time-wait-using-%s-%s-%s" % (how, pos, sec),
                       tw_rst_cell(how, pos, secure, True))
                yield ("rcv-syn-time-wait", "rcv-syn-time-wait-using-%s-%s-%s" % (how, pos, sec),
                       tw_syn_cell(how, pos, secure))
                for drop in (1, 0):
                    yield ("rcv-syn-fin-time-wait", "rcv-syn-fin-time-wait-using-%s-%s-%s-%s" % (
                        how, pos, sec, "drop" if drop else "nodrop"),
                           tw_synfin_cell(how, pos, secure, drop))


# The families added on branch h-bsdnoprr carry the FreeBSD mark too (the
# hostcache purge the suite's scripts start with), and the three ACK cells
# added on branch h-bsdsrcv; the older cells are left as they were written.
MARKED = re.compile(r"^rcv-(data|fin|fin-ack|syn|syn-fin|syn-ack)-syn-rcvd-|^rcv-data-|"
                    r"^rcv-fin-ack-[a-z0-9-]+-held-data-|"
                    r"^rcv-syn-fin-time-wait-|"
                    r"^rcv-ack-syn-rcvd-via-syn-sent-outside-left-ack-(?!right-edge)")
MARK = "0    `sysctl -w net.inet.tcp.hostcache.purgenow=1`\n"


def script(title, why, knob, body, insecure, mark=False):
    # A FreeBSD sysctl first in every cell (the knob it turns, or the
    # default RFC 5961 one): it also tells pktrun the script is FreeBSD's.
    sysctl = "0    `sysctl -w net.inet.tcp.%s=%d`\n" % (knob or "insecure_rst", insecure if knob else 0)
    if mark:
        sysctl = MARK + sysctl
    return HEADER.format(title=title, why=why, sysctl=sysctl) + body


def scripts():
    for folder, name, cell in cells():
        insecure = 0 if "-secure" in name else 1
        yield (name, script(*cell, insecure, mark=bool(MARKED.match(name))), folder,
               name + "-ipv4.pkt")


if __name__ == "__main__":
    write_cells("gen_matrix.py", "state-event-engine", scripts())
