#!/bin/sh
# glasstcp sim --sysctl: a setting reaches both stacks (a receive buffer of
# 8 KiB, tcp_rmem, holds the transfer to about one buffer per round trip:
# 8192 B / 20 ms = 3.3 Mbit/s at most, where the default buffer makes
# 15-25 Mbit/s of the same 200 kB in slow start), in either order with
# --profile, and a refusal names its cause and exits 2.
GT=${1:?usage: sim_sysctl.sh GLASSTCP}
fail() { echo "FAIL: $*"; exit 1; }
mbit() { "$GT" sim --bytes 200000 "$@" 2>&1 | sed -n 's/^ *goodput *\([0-9.]*\) Mbit.*/\1/p'; }
small=$(mbit --sysctl 'net.ipv4.tcp_rmem=4096 8192 8192')
big=$(mbit)
after=$(mbit --sysctl 'net.ipv4.tcp_rmem=4096 8192 8192' --profile freebsd)
echo "goodput: 8 KiB buffer $small, default $big, 8 KiB then --profile freebsd $after Mbit/s"
awk -v s="$small" -v b="$big" -v a="$after" 'BEGIN { exit !(s != "" && s < 3.3 && b > 10 && a != "" && a < 3.3) }' ||
	fail "tcp_rmem did not bound the goodput"
out=$("$GT" sim --sysctl net.ipv4.tcp_nonexistent=1 2>&1); rc=$?
[ $rc = 2 ] || fail "an unknown setting: exit $rc, want 2"
echo "$out" | grep -q "glasstcp has no setting named net.ipv4.tcp_nonexistent" || fail "message: $out"
# A value the profile cannot take (FreeBSD's maxunacktime beside Linux's
# restart after idle, which keeps its time in the same TCB field): refused,
# with the way out named. (pmtud_blackhole_detection=1 was the example
# until it was implemented.)
out=$("$GT" sim --sysctl net.inet.tcp.maxunacktime=1000 2>&1); rc=$?
[ $rc = 2 ] || fail "a value the profile cannot take: exit $rc, want 2"
echo "$out" | grep -q "needs net.ipv4.tcp_slow_start_after_idle=0 first" || fail "message: $out"
"$GT" sim --sysctl net.inet.tcp.pmtud_blackhole_detection=1 >/dev/null 2>&1 ||
	fail "pmtud_blackhole_detection=1 refused"
echo "PASS"
