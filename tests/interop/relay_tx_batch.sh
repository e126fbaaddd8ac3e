#!/usr/bin/env bash
# glasstcp relay: a loop pass's device writes in one io_uring_enter()
# (relay.c, tx_flush(); txq.c; --tx-batch). Eight connections to an echo
# server on the host's loopback, 1 byte out on each and the eight echoes
# back, 40 rounds: the namespace's eight bytes come in one group from the
# device and the stack's eight ACKs of them, or the eight echoes from the
# host sockets, are written in one pass. Checked from the relay's
# counters: every echo back intact, every packet to the device through the
# queue (TxPkts = TxBatchedPkts + TxFlushWrites: none of them is over
# RELAY_TXQ_SLOT), at least one io_uring_enter() with several (TxBatches),
# no write failed (TxErrors, TxRingFailed 0). With --tx-batch 0 the same
# run writes each packet with its own writev(): TxBatches and
# TxFlushWrites 0. Skipped where io_uring is not to be had (the relay says
# "device writes one at a time").
#
# Network safety: the relayed namespace (10.0.2.0/24) and the loopback of
# the test's own namespace only.
. "$(dirname "$0")/lib.sh"
need python3 ss
enter_netns "$@"

echo_server_bg 9710
CLIENT="
import socket
socks = [socket.create_connection(('10.0.2.2', 9710), timeout=5) for _ in range(8)]
for r in range(40):
    for s in socks:
        s.sendall(b'Q')
    for s in socks:
        assert s.recv(1) == b'Q'
for s in socks:
    s.close()
"
SERVE_LOG=$WORK/relay.log
"$GT" relay --dns none -- python3 -c "$CLIENT" 2>"$SERVE_LOG" || fail "the relay or its command failed: exit $?"
grep -q 'device writes one at a time' "$SERVE_LOG" && skip "no io_uring here: $(grep 'one at a time' "$SERVE_LOG")"
pkts=$(relay_counter TxPkts)
batched=$(relay_counter TxBatchedPkts)
single=$(relay_counter TxFlushWrites)
batches=$(relay_counter TxBatches)
echo "TxPkts $pkts, TxBatches $batches carrying $batched, TxFlushWrites $single"
[ "$(relay_counter TxErrors)" = 0 ] && [ "$(relay_counter TxRingFailed)" = 0 ] || fail "device writes failed"
[ "${batches:-0}" -ge 1 ] || fail "no io_uring_enter() with several packets"
[ $((batched + single)) -eq "${pkts:-0}" ] || fail "TxPkts $pkts is not TxBatchedPkts $batched + TxFlushWrites $single"
[ "${pkts:-0}" -ge 320 ] || fail "TxPkts $pkts: fewer than the 320 echoes"

"$GT" relay --dns none --tx-batch 0 -- python3 -c "$CLIENT" 2>"$SERVE_LOG" || fail "the relay or its command failed (--tx-batch 0): exit $?"
[ "$(relay_counter TxBatches)" = 0 ] && [ "$(relay_counter TxFlushWrites)" = 0 ] || fail "--tx-batch 0 queued device writes"
pass "$batches io_uring_enter()s carried $batched of $pkts device writes; none with --tx-batch 0"
