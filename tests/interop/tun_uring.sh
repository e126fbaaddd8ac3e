#!/usr/bin/env bash
# The device's reads and writes in batches (issue 13: a TUN device gives one
# packet per read() and takes one per write(), and those system calls were
# most of the runtime's time). With io_uring, one io_uring_enter() carries
# many reads and writes. Checks, on bulk transfers both ways with MSS-sized
# segments, one packet per read and per write (bench/loss_vs_kernel.sh's
# case):
#  - glasstcp get of 20 MB from a kernel HTTP server, without --offload (with
#    it, the kernel's TCP on this host would hand over 64 KiB TSO segments):
#    intact; the runtime's
#    tun: line says TunUring 1, TunUringFailed 0, TunUringFixedFile 1 (the
#    device's fd registered with the ring), and the packets read and
#    written took fewer than a quarter as many enters (each read its own
#    system call, as before, would be one enter per packet);
#  - glasstcp serve --http, 20 MB to curl: intact; every packet written went
#    through the ring (TunTxBatched = the device's tx packets), some enters
#    carried more than one write (TunTxBatchMax > 1), and again fewer than
#    a quarter as many enters as packets;
#  - --no-uring: the same download intact, with TunUring 0 and no enter;
#  - --rx-ack-pkts 2 (each group given to the stack two packets at a time,
#    the application run and the writes sent after each part): intact,
#    TunRxPartFlushes > 0 and more ACKs written than the whole-group run;
#    both runs count every packet read at most once in TunReadToWrite.
# Skipped where the kernel refuses io_uring (io_uring_disabled, seccomp).
. "$(dirname "$0")/lib.sh"
need python3 curl
enter_netns "$@"

[ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 0 ] ||
	skip "io_uring is disabled on this kernel (kernel.io_uring_disabled)"
make_tun
mkdir -p "$WORK/www"
head -c 20M /dev/urandom >"$WORK/www/f"
(cd "$WORK/www" && exec timeout 200 python3 -m http.server 8080 --bind $KADDR) >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do ss -tln | grep -q "$KADDR:8080" && break; sleep 0.05; done

# tunv LOG NAME: NAME's value on LOG's last tun: line; dev LOG rx|tx: the
# device's packets that way.
tunv() { grep '^tun:' "$1" | tail -1 | grep -o "$2 [0-9]*" | awk '{print $2}'; }
dev() { grep '^device gt0' "$1" | tail -1 | grep -o "$2 [0-9]* pkts" | awk '{print $2}'; }
# batched LOG WHAT: TunUring 1, no failure, the fd a fixed file, fewer than
# a quarter as many enters as packets.
batched() {
	local u e f x rx tx
	u=$(tunv "$1" TunUring) e=$(tunv "$1" TunUringEnters) f=$(tunv "$1" TunUringFailed)
	rx=$(dev "$1" rx) tx=$(dev "$1" tx)
	[ "$u" = 1 ] || {
		grep -q 'io_uring' "$1" && skip "$2: io_uring refused here"
		fail "$2: TunUring '${u}', want 1: $(grep '^tun:' "$1")"
	}
	[ "$f" = 0 ] || fail "$2: TunUringFailed $f"
	x=$(tunv "$1" TunUringFixedFile)
	[ "$x" = 1 ] || fail "$2: TunUringFixedFile '${x}', want 1: $(grep '^tun:' "$1")"
	[ $((e * 4)) -lt $((rx + tx)) ] ||
		fail "$2: $e enters for $rx packets read and $tx written, want under a quarter"
	echo "$2: $rx packets read, $tx written, in $e io_uring_enter() calls"
}

O=(--tun gt0 --addr $GADDR/24 --counters)
timeout 100 "$GT" get http://$KADDR:8080/f -o "$WORK/got" "${O[@]}" 2>"$WORK/get.err" ||
	fail "get: $(tail -5 "$WORK/get.err")"
[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f")" ] || fail "get: sha256 differs"
batched "$WORK/get.err" "get 20 MB"

timeout 100 "$GT" get http://$KADDR:8080/f -o "$WORK/got" "${O[@]}" --no-uring 2>"$WORK/get2.err" ||
	fail "get --no-uring: $(tail -5 "$WORK/get2.err")"
[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f")" ] || fail "get --no-uring: sha256 differs"
[ "$(tunv "$WORK/get2.err" TunUring)" = 0 ] && [ "$(tunv "$WORK/get2.err" TunUringEnters)" = 0 ] ||
	fail "get --no-uring: $(grep '^tun:' "$WORK/get2.err")"
echo "get --no-uring 20 MB: intact, TunUring 0, no enter"

# r2w LOG: the packets TunReadToWrite counted, all buckets.
r2w() { grep '^  TunReadToWrite' "$1" | sed 's/.*us)://; s/;.*//' | tr ',' '\n' | awk '{s+=$NF} END{print s+0}'; }
timeout 100 "$GT" get http://$KADDR:8080/f -o "$WORK/got" "${O[@]}" --rx-ack-pkts 2 2>"$WORK/get3.err" ||
	fail "get --rx-ack-pkts 2: $(tail -5 "$WORK/get3.err")"
[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f")" ] || fail "get --rx-ack-pkts 2: sha256 differs"
pf=$(grep -o 'TunRxPartFlushes [0-9]*' "$WORK/get3.err" | awk '{print $2}')
[ "${pf:-0}" -gt 0 ] || fail "get --rx-ack-pkts 2: TunRxPartFlushes '${pf}', want > 0: $(grep TunReadToWrite "$WORK/get3.err")"
a1=$(dev "$WORK/get.err" tx) a3=$(dev "$WORK/get3.err" tx)
[ "$a3" -gt "$a1" ] || fail "get --rx-ack-pkts 2: $a3 packets written, not more than the $a1 of whole groups"
for l in get get3; do
	n=$(r2w "$WORK/$l.err") rx=$(dev "$WORK/$l.err" rx)
	[ "$n" -gt 0 ] && [ "$n" -le "$rx" ] || fail "$l: TunReadToWrite counted $n packets of $rx read"
done
echo "get --rx-ack-pkts 2 20 MB: intact, $pf writes mid-group, $a3 packets written against $a1"

serve --http 80 "$WORK/www" --offload --no-tso --counters
fetch_in "" http://$GADDR/f "$WORK/www/f"
serve_stop
batched "$SERVE_LOG" "serve 20 MB"
tx=$(dev "$SERVE_LOG" tx) b=$(tunv "$SERVE_LOG" TunTxBatched) m=$(tunv "$SERVE_LOG" TunTxBatchMax)
[ "$b" = "$tx" ] || fail "serve: $b packets written through the ring of $tx"
[ "${m:-0}" -gt 1 ] || fail "serve: TunTxBatchMax ${m:-?}, want more than one write per enter"
pass "reads and writes batched both ways (serve's largest batch of writes: $m)"
