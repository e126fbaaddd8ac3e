#!/usr/bin/env bash
# Receive GSO over TUN (--offload): the kernel's TCP sends glasstcp its TSO
# super-segments whole, and the runtime hands each to the stack with the
# virtio-net header's gso_size (gt_stack_input_batch_gso()), so TCP
# measures the peer's segment size by it (tcp_measure_rcv_mss()), not by
# the packet's length. Checks, in a private network namespace:
#  - socat sends 8 MB through glasstcp's echo with TCP_MAXSEG 1000 on the
#    kernel's socket (socat's mss=1000): intact;
#  - TSO super-segments came in, every one handed with its gso_size
#    (TunRxGsoTcp equal to them), none bad (TunRxGsoBad 0);
#  - the gso sizes are the kernel's segment size under that MSS, 988 (1000
#    less the 12 bytes of timestamps), the largest and, so far, the
#    smallest too: what the stack now gets, where it got the packet's
#    length before;
#  - with the default MSS the size is 1448 (MTU 1500, timestamps);
#  - through the fault wrapper (--delay 2 --reorder 2: it keeps each
#    packet's gso_size, tests/unit/test_tun_fault_gso.c), mss=1000 again:
#    intact, the same counts; the sizes now down to 960, as the kernel's
#    segments carry SACK blocks for glasstcp's reordered echo (up to 3
#    with timestamps, 28 bytes: tcp_current_mss() takes them off).
. "$(dirname "$0")/lib.sh"
need socat
enter_netns "$@"

head -c 8M /dev/urandom >"$WORK/e"
# gso_stat NAME: a value from the runtime's receive-GSO offload line.
gso_stat() { grep -o "$1 [0-9]*" "$SERVE_LOG" | head -1 | awk '{print $2}'; }

for run in 1000 "" "1000 --delay 2 --reorder 2"; do
	read -r mss faults <<<"$run"
	serve --echo 7 --offload $faults
	timeout 60 socat -t 30 -T 50 - "TCP:$GADDR:7${mss:+,mss=$mss}" <"$WORK/e" >"$WORK/e.out" ||
		fail "socat echo (mss ${mss:-default})"
	[ "$(sha "$WORK/e.out")" = "$(sha "$WORK/e")" ] || fail "the echo differs (mss ${mss:-default})"
	serve_stop
	grep -E 'offload:|^counters:' "$SERVE_LOG"
	[ "$(counter InErrs)" = 0 ] || fail "TcpInErrs $(counter InErrs)"
	ti=$(tso_in)
	[ "${ti:-0}" -gt 0 ] || fail "no TSO super-segment from the kernel (mss ${mss:-default})"
	[ "$(gso_stat TunRxGsoTcp)" = "$ti" ] || fail "TunRxGsoTcp $(gso_stat TunRxGsoTcp), $ti TSO in"
	[ "$(gso_stat TunRxGsoBad)" = 0 ] || fail "TunRxGsoBad $(gso_stat TunRxGsoBad)"
	want=$([ -n "$mss" ] && echo $((mss - 12)) || echo 1448)
	lo=$(gso_stat TunRxGsoSizeMin) hi=$(gso_stat TunRxGsoSizeMax)
	least=$((want - 28)) # SACK blocks on some segments: the runs without faults have none so far
	[ "${lo:-0}" -ge "$least" ] && [ "$lo" -le "$want" ] && [ "$hi" = "$want" ] ||
		fail "gso sizes $lo..$hi, want $least..$want (mss ${mss:-default}${faults:+ $faults})"
	echo "mss ${mss:-default}${faults:+ $faults}: 8 MB echoed intact, $ti TSO super-segments in, each handed with its gso_size ($lo..$hi)"
done
pass "TSO super-segments reach the stack with their gso_size"
