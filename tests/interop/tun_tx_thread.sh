#!/usr/bin/env bash
# --tx-thread: the device's writes on a thread of their own (issue 13: a
# write to a TUN device runs the kernel's receive path for the packet, on
# the writer's CPU; sending, that was half of serve's CPU time). Checks:
#  - glasstcp serve --http --offload --no-tso --tx-thread, 20 MB to curl
#    (MSS-sized segments, one write each): intact; the tun: line says
#    TunTxThread 1, every packet written went through the writer's banks
#    (none through the main thread's ring: TunTxBatched 0), in banks of up
#    to 32 (TunTxThreadBankMax > 1, fewer than a quarter as many of the
#    writer's enters as packets), no tx error;
#  - the same with --no-uring: intact, the writer write()s each packet
#    (TunTxThreadEnters 0);
#  - glasstcp get --tx-thread of 20 MB from a kernel server (the ACKs through
#    the writer): intact, no tx error.
. "$(dirname "$0")/lib.sh"
need python3 curl
enter_netns "$@"

make_tun
mkdir -p "$WORK/www"
head -c 20M /dev/urandom >"$WORK/www/f"

tunv() { grep '^tun:' "$1" | tail -1 | grep -o "$2 [0-9]*" | awk '{print $2}'; }
dev() { grep '^device gt0' "$1" | tail -1 | grep -o "$2 [0-9]* pkts" | awk '{print $2}'; }
txerr() { grep '^device gt0' "$1" | tail -1 | grep -o '[0-9]* tx errors' | awk '{print $1}'; }

serve --http 80 "$WORK/www" --offload --no-tso --counters --tx-thread
fetch_in "" http://$GADDR/f "$WORK/www/f"
serve_stop
t=$(tunv "$SERVE_LOG" TunTxThread) tx=$(dev "$SERVE_LOG" tx) b=$(tunv "$SERVE_LOG" TunTxBatched)
m=$(tunv "$SERVE_LOG" TunTxThreadBankMax) e=$(tunv "$SERVE_LOG" TunTxThreadEnters)
[ "$t" = 1 ] || fail "serve --tx-thread: TunTxThread '${t}', want 1: $(grep '^tun:' "$SERVE_LOG")"
[ "$(txerr "$SERVE_LOG")" = 0 ] || fail "serve --tx-thread: $(grep '^device' "$SERVE_LOG")"
[ "${tx:-0}" -gt 14000 ] || fail "serve --tx-thread: ${tx} packets written for 20 MB, want more than 14,000"
[ "$b" = 0 ] || fail "serve --tx-thread: $b packets through the main thread's ring, want none"
[ "${m:-0}" -gt 1 ] || fail "serve --tx-thread: TunTxThreadBankMax '${m}', want more than one packet a bank"
if [ "$(tunv "$SERVE_LOG" TunUring)" = 1 ]; then
	[ "${e:-0}" -gt 0 ] && [ $((e * 4)) -lt "$tx" ] ||
		fail "serve --tx-thread: $e enters of the writer for $tx packets, want some, under a quarter"
fi
echo "serve --tx-thread 20 MB: intact, $tx packets in $(tunv "$SERVE_LOG" TunTxThreadBanks) banks, $e enters"

serve --http 80 "$WORK/www" --offload --no-tso --counters --tx-thread --no-uring
fetch_in "" http://$GADDR/f "$WORK/www/f"
serve_stop
[ "$(tunv "$SERVE_LOG" TunTxThread)" = 1 ] && [ "$(tunv "$SERVE_LOG" TunTxThreadEnters)" = 0 ] &&
	[ "$(txerr "$SERVE_LOG")" = 0 ] || fail "serve --tx-thread --no-uring: $(grep '^tun:\|^device' "$SERVE_LOG")"
echo "serve --tx-thread --no-uring 20 MB: intact, write() per packet"

(cd "$WORK/www" && exec timeout 200 python3 -m http.server 8080 --bind $KADDR) >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do ss -tln | grep -q "$KADDR:8080" && break; sleep 0.05; done
timeout 100 "$GT" get http://$KADDR:8080/f -o "$WORK/got" --tun gt0 --addr $GADDR/24 --counters --tx-thread \
	2>"$WORK/get.err" || fail "get --tx-thread: $(tail -5 "$WORK/get.err")"
[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f")" ] || fail "get --tx-thread: sha256 differs"
[ "$(tunv "$WORK/get.err" TunTxThread)" = 1 ] && [ "$(txerr "$WORK/get.err")" = 0 ] ||
	fail "get --tx-thread: $(grep '^tun:\|^device' "$WORK/get.err")"
pass "the device's writes on their own thread, both ways ($(dev "$WORK/get.err" tx) ACKs written by get's writer)"
