#!/usr/bin/env bash
# Issue 13's floor in `make check`: glasstcp sending over TUN under 5%
# random loss both ways must reach at least 0.3 x the Linux kernel's goodput
# on the same path in the same run (bench/loss_floor.sh: curl in a namespace,
# nftables drops in a router namespace, the kernel's sendfile server over a
# veth as the anchor; a ratio, never a time). Before RACK-TLP glasstcp was
# 0.01-0.03 x there; with it, 6-84 x in seven runs (the kernel's sender
# loses 200 ms to each of its RTOs at this rate). 1% is not asserted here:
# its ratio spread over 0.21-0.53 on a machine shared with builds
# (docs/recovery.md), so a 0.3 floor would fail at random; `make check-loss`
# runs both rates.
GT_LOSS_RATES=5 GT_LOSS_FLOOR=0.3 exec bash "$(dirname "$0")/../../bench/loss_floor.sh" "$@"
