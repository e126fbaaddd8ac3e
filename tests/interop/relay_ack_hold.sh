#!/usr/bin/env bash
# glasstcp relay: the ACK hold (relay.c, hold_ack()). The stack answers a
# connection's first byte with a pure ACK (quick-ACK mode) while the
# relay hands it the group of packets from the device; that ACK is held
# until the group's flows have been pumped, so the byte's sendmsg() to the
# server comes first and the ACK's writev() to the device after it (or
# the ACK is dropped when the echo, which carries it, came first). Checked
# from the relay's own system calls (strace of the relay process only, in
# order: one thread): over 30 connections (connect, 1 byte each way,
# close) to an echo server on the host's loopback, no pure ACK of a
# connection's first byte (ack = the SYN-ACK's ack + 1) reaches the device
# before the sendmsg() of that byte, and every one of the 30 either is
# written after it or was carried by the echo (AcksSuperseded): written +
# superseded >= 30. With the hold off, every one is written before
# (interop.relay_ack_hold fails). The same connections are
# answered at once (tcp_flow.c, new_flow()): the loopback connect is
# complete when a second connect() asks, and the SYN goes to the stack in
# that pass (ConnectsAtOnce at least 15 of 30; 0 before). That brings the
# namespace's ACK and first byte into the group with the last
# connection's FIN and ACKs: the hold counts only segments with data
# (it failed 18 of 30 while it counted every packet).
# strace holds each of the relay's sendmsg() and shutdown() 3 ms on its
# way out (delay_exit), as a server that takes the CPU would, longer than
# RELAY_LOST_CPU_US (tcp_flow.c, lost_cpu()): each request's sendmsg()
# has its socket read in the same pass (ReadsAfterSend at least 30; 0
# with lost_cpu() off, and the test fails), and an echo found there
# carries the held ACK (AcksSuperseded at least the echoes found,
# RepliesAtOnce less the EOFs among them, GuessedEofs). How many echoes
# the server wrote within the 3 ms is the scheduler's: on an idle machine
# nearly all (3.0-3.1 device writes per connection, SYN-ACK, echo, FIN),
# beside three busy loops 10-13 of 30 (3.4-4.0 per connection), where a
# fixed bound of 3.5 writes per connection and RepliesAtOnce at least 15
# failed 2 runs of 3 (ASan build); the writes are printed, not judged.
# The shutdown() that passes the namespace's FIN on is held as long, and
# the relay reads the socket in that pass too: no peek (recv(MSG_PEEK))
# at all, and each connection's EOF read once (one recvmsg() = 0 on the
# socket between its shutdown() and its close(), 30 of 30), by the
# guessed read when the server closed within the 3 ms (GuessedEofs,
# printed: 10-30 of 30, the load's; a floor of 15 failed 1 run of 3 beside
# three busy loops). The guessed read takes the stack's send buffer
# (gt_send_spans()) and gives it back when the socket was empty or at its
# EOF (gt_send_commit() of 0); before, a peek went first on every guess
# (one recvfrom() more per connection, the test fails on it).
#
# Both traced runs write each device packet with its own writev()
# (--tx-batch 0): the packets of a pass queued for one io_uring_enter()
# (the default, relay.c tx_flush()) are not in strace's view.
#
# Network safety: the relayed namespace (10.0.2.0/24) and the loopback of
# the test's own namespace only.
. "$(dirname "$0")/lib.sh"
need python3 ss strace
enter_netns "$@"

echo_server_bg 9700

N=30
SERVE_LOG=$WORK/relay.log
# The relay process only (no -f: not the namespace's command), its
# device writes and socket sends, whole headers in hex. LeakSanitizer
# cannot run under ptrace (the ASan build's relay exits 1 at the end with
# "LeakSanitizer has encountered a fatal error"): leak checking is off for
# this traced run only.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 90 strace -qq -o "$WORK/trace" -e trace=writev,sendmsg,shutdown \
	-e inject=sendmsg,shutdown:delay_exit=3000 -e signal=none -xx -s 96 \
	"$GT" relay --dns none --tx-batch 0 -- python3 -c "$(echo_clients_py 9700 "$N")" 2>"$SERVE_LOG" || fail "the relay or its command failed: exit $?"

python3 - "$WORK/trace" "$N" <<'PY' || fail "a first byte's ACK before the byte, or connections missing (above)"
import re, sys
lines = open(sys.argv[1]).read().splitlines()
n_conn = int(sys.argv[2])

def unhex(s):
    return bytes(int(h, 16) for h in re.findall(r"\\x([0-9a-f]{2})", s))

syn_ack = {}    # client port -> the SYN-ACK's ack (the client's ISN + 1)
byte_sent = {}  # client port -> whether the relay sendmsg()ed its first byte yet
current = None  # connections are one after another: the latest SYN-ACK's
good = bad = writes = 0
for ln in lines:
    if ln.startswith("sendmsg("):
        # The first byte to the server: one byte, "Q".
        m = re.search(r'msg_iov=\[\{iov_base="((?:\\x[0-9a-f]{2})*)", iov_len=1\}\]', ln)
        if m and unhex(m.group(1)) == b"Q" and current is not None and not byte_sent.get(current):
            byte_sent[current] = True
        continue
    if not ln.startswith("writev("):
        continue
    # The device write: [virtio-net header, the packet's pieces...].
    pieces = re.findall(r'iov_base="((?:\\x[0-9a-f]{2})*)(?:"\.\.\.|")', ln)
    if len(pieces) < 2:
        continue
    ip = unhex(pieces[1])
    if len(ip) < 40 or ip[0] >> 4 != 4 or ip[9] != 6:
        continue
    writes += 1
    ihl = (ip[0] & 15) * 4
    tcp = ip[ihl:]
    dport = int.from_bytes(tcp[2:4], "big")
    ack = int.from_bytes(tcp[8:12], "big")
    flags = tcp[13]
    total = int.from_bytes(ip[2:4], "big")
    if flags == 0x12:
        syn_ack[dport] = ack
        byte_sent[dport] = False
        current = dport
    elif flags == 0x10 and total == ihl + (tcp[12] >> 4) * 4 and dport in syn_ack \
            and ack == (syn_ack[dport] + 1) & 0xffffffff:
        if byte_sent.get(dport):
            good += 1
        else:
            bad += 1
            print("BAD  port %d: the ACK of its first byte was written before the byte's sendmsg()" % dport)
print("%d connections; ACKs of a first byte written after its sendmsg(): %d, before: %d; "
      "TCP segments written to the device: %d (%.2f per connection)" %
      (len(syn_ack), good, bad, writes, writes / max(len(syn_ack), 1)))
open(sys.argv[1] + ".good", "w").write("%d\n" % good)
sys.exit(0 if bad == 0 and len(syn_ack) == n_conn else 1)
PY
held=$(relay_counter AcksHeld)
sup=$(relay_counter AcksSuperseded)
good=$(cat "$WORK/trace.good")
[ "${held:-0}" -ge $((N / 2)) ] || fail "AcksHeld ${held:-?}, want at least $((N / 2))"
# Each first-byte ACK went after its byte or was carried by the echo. A
# held ACK of a FIN that came in a group with data (the next connection's
# byte) is counted by AcksHeld, and by AcksSuperseded when the stack's FIN
# carried it (AcksHeld 31 in one run): the sum is at least N, at most AcksHeld.
[ $((good + ${sup:-0})) -ge $N ] && [ $((good + ${sup:-0})) -le "${held:-0}" ] ||
	fail "first-byte ACKs written after the byte $good, superseded ${sup:-?}: want at least $N together, at most AcksHeld ${held:-?}"
# Every request's sendmsg() held 3 ms had its socket read in that pass, and
# each echo found there (the reads that found bytes, not the EOF) carried
# the held ACK.
after=$(relay_counter ReadsAfterSend)
at_once=$(relay_counter RepliesAtOnce)
geofs=$(relay_counter GuessedEofs)
[ "${after:-0}" -ge $N ] || fail "ReadsAfterSend ${after:-?}, want at least $N: a send that lost the CPU without its socket read in the pass"
[ "${sup:-0}" -ge $((${at_once:-0} - ${geofs:-0})) ] ||
	fail "AcksSuperseded ${sup:-?} of $((${at_once:-0} - ${geofs:-0})) echoes read in the pass of their request (RepliesAtOnce $at_once, GuessedEofs $geofs): an echo without the byte's ACK"
echo "echoes read in the pass of their request: $((${at_once:-0} - ${geofs:-0})) of $N (the scheduler's), each carrying the held ACK (AcksSuperseded $sup); ReadsAfterSend $after"
once=$(relay_counter ConnectsAtOnce)
[ "${once:-0}" -ge $((N / 2)) ] || fail "ConnectsAtOnce ${once:-?}, want at least $((N / 2)) of $N loopback connects"
# The guessed read's EOF, in a run of its own (tracing the reads too slows the
# relay enough to move the ACKs above): shutdown() held 3 ms as above.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 90 strace -qq -o "$WORK/trace2" \
	-e trace=shutdown,recvfrom,recvmsg,close -e inject=shutdown:delay_exit=3000 -e signal=none -s 4 \
	"$GT" relay --dns none --tx-batch 0 -- python3 -c "$(echo_clients_py 9700 "$N")" 2>"$SERVE_LOG" || fail "the relay or its command failed (second run): exit $?"
python3 - "$WORK/trace2" "$N" <<'PY' || fail "a peek, an EOF read twice or not read, after a shutdown() (above)"
import re, sys
n_conn = int(sys.argv[2])
shut = set()   # fds shut down and not yet closed
eof = set()    # of those, the ones whose EOF was read
seen = again = peeks = 0
for ln in open(sys.argv[1]).read().splitlines():
    # strace pads short calls' results with spaces: "close(8)      = 0",
    # and marks the held ones: "shutdown(5, SHUT_WR)   = 0 (DELAYED)"
    m = re.match(r'(\w+)\((\d+)[,)]', ln)
    if not m or " = " not in ln:
        continue
    call, fd = m.group(1), int(m.group(2))
    ret = int(ln.rsplit(" = ", 1)[1].split()[0])
    if "MSG_PEEK" in ln:
        peeks += 1
        print("BAD  fd %d: a peek: %s" % (fd, ln))
    elif call in ("recvmsg", "recvfrom") and fd in shut and ret == 0:
        if fd in eof:
            again += 1
            print("BAD  fd %d: the EOF read again" % fd)
        eof.add(fd)
        seen += 1
    elif call == "shutdown":
        shut.add(fd)
    elif call == "close":
        shut.discard(fd)
        eof.discard(fd)
print("EOFs read after a shutdown(): %d; read again: %d; peeks: %d" % (seen, again, peeks))
sys.exit(0 if again == 0 and peeks == 0 and seen == n_conn else 1)
PY
eofs=$(relay_counter GuessedEofs)
after2=$(relay_counter ReadsAfterSend)
[ "${after2:-0}" -ge $N ] || fail "ReadsAfterSend ${after2:-?}, want at least $N: a shutdown() that lost the CPU without its socket read in the pass"
echo "EOFs found by the guessed read after the shutdown(): GuessedEofs $eofs of $N (the scheduler's)"
pass "the ACK of a connection's first byte follows the byte's sendmsg() (AcksHeld $held, AcksSuperseded $sup); $once of $N SYNs answered in the pass of their connect(); $((at_once - geofs)) echoes read in the pass of their request"
