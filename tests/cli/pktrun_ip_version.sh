#!/bin/sh
# glasstcp pktrun --ip-version ipv4|ipv6|ipv4-mapped-ipv6 (and packetdrill's
# --ip_version=V): named in --help; each value and both spellings taken; a
# bad or missing value refused, exit status 2, with a message naming the
# option, the value and the choices; a script marked for other versions
# skipped with its reason (exit 77, nothing passed).
GT=${1:?usage: pktrun_ip_version.sh GLASSTCP}
fail() { echo "FAIL: $*"; exit 1; }
"$GT" pktrun --help | grep -q -- '--ip-version ipv4|ipv6|ipv4-mapped-ipv6' ||
	fail "--help does not name --ip-version"
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
cat >"$dir/syn.pkt" <<'PKT'
0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
+0 bind(3, ..., ...) = 0
+0 listen(3, 1) = 0
+0 < S 0:0(0) win 32792 <mss 1460,nop,wscale 7>
+0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 10>
PKT
for v in ipv4 ipv6 ipv4-mapped-ipv6; do
	"$GT" pktrun --strict --ip-version "$v" "$dir/syn.pkt" >"$dir/out" 2>&1 ||
		fail "--ip-version $v: $(cat "$dir/out")"
	"$GT" pktrun --strict --ip_version="$v" "$dir/syn.pkt" >"$dir/out" 2>&1 ||
		fail "--ip_version=$v: $(cat "$dir/out")"
done
err=$("$GT" pktrun --ip-version ipv5 "$dir/syn.pkt" 2>&1)
[ $? -eq 2 ] || fail "--ip-version ipv5: exit status not 2"
echo "$err" | grep -q -- "--ip-version wants ipv4, ipv6 or ipv4-mapped-ipv6, not 'ipv5'" ||
	fail "--ip-version ipv5: the message does not name it: $err"
err=$("$GT" pktrun --ip_version=v6 "$dir/syn.pkt" 2>&1)
[ $? -eq 2 ] || fail "--ip_version=v6: exit status not 2"
echo "$err" | grep -q -- "--ip_version wants ipv4, ipv6 or ipv4-mapped-ipv6, not 'v6'" ||
	fail "--ip_version=v6: the message does not name it: $err"
"$GT" pktrun --ip-version >/dev/null 2>&1 && fail "--ip-version without a value accepted"
{ echo '// pktrun-ip-versions: ipv4 -- an IPv4 option'; cat "$dir/syn.pkt"; } >"$dir/v4only.pkt"
out=$("$GT" pktrun --ip-version ipv6 "$dir/v4only.pkt")
[ $? -eq 77 ] || fail "a script marked ipv4 only, run in ipv6: exit status not 77: $out"
echo "$out" | grep -q '^SKIP .*: not in ipv6 (pktrun-ip-versions: an IPv4 option)' ||
	fail "the skip does not say why: $out"
echo PASS
