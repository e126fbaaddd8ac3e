#!/usr/bin/env bash
# Issue 13's floor in `make check`: glasstcp sending over TUN under random
# loss both ways must reach a floor times the Linux kernel's goodput on the
# same path in the same run (bench/loss_floor.sh: curl in a namespace,
# nftables drops in a router namespace, the kernel's sendfile server over a
# veth as the anchor; a ratio, never a time).
# - 5% loss, floor 0.3: before RACK-TLP glasstcp was 0.01-0.03 x there;
#   with it, 6-84 x in seven runs (the kernel's sender loses 200 ms to each
#   of its RTOs at this rate).
# - 1% loss, floor 0.2: before RACK-TLP 0.12-0.18 x; with the transmission
#   order fix of f8365c4, 0.41-4.5 x over eight runs on a machine loaded
#   with builds (docs/recovery.md), where the floor's retry (the two
#   attempts pooled) never came into play. 0.2 catches a fall back to the
#   old recovery without failing on the machine's noise.
# A rate under its floor is measured once more, anchor and glasstcp anew on
# the same path and size (attempt() in bench/loss_floor.sh), and judged on
# both attempts pooled: bytes over time each side, so with equal sizes and
# anchors the pooled ratio is the harmonic mean 2 / (1/r1 + 1/r2), below
# the better attempt and dragged down by the worse. It is no retry that
# forgets: after a first attempt at the old recovery's 0.02 x at 5% no
# second one reaches 0.3 (the mean stays under 0.04), and after 0.15 x at
# 1% (the old 0.12-0.18) only a second of 0.3 x or more passes 0.2. Still a
# ratio to the kernel measured in the same run, never a time. Forced
# (GT_LOSS_RATES=5 GT_LOSS_FLOOR=50 bash bench/loss_floor.sh, three busy
# loops): attempts of 3.06 x (anchor 6.3 Mbit/s, 5 RTOs) and 6.86 x (5.0,
# 10), each measured anew, pooled 4.43.
# `make check-loss` runs both rates at 0.3.
bench=$(dirname "$0")/../../bench/loss_floor.sh
GT_LOSS_RATES=5 GT_LOSS_FLOOR=0.3 bash "$bench" "$@" || exit $?
GT_LOSS_RATES=1 GT_LOSS_FLOOR=0.2 exec bash "$bench" "$@"
