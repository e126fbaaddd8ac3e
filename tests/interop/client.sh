#!/usr/bin/env bash
# glasstcp as the client, the kernel as the server: downloads from a kernel
# HTTP server (python3 -m http.server bound to 10.200.0.1) compared by
# sha256; `glasstcp send` through a kernel echo (socat) with glasstcp's
# half-close; a closed port gives ECONNREFUSED; a port whose packets are
# dropped (nftables, else an address nobody answers) gives ETIMEDOUT after
# the SYN retries, shortened to 2 (1 + 2 + 4 = 7 s).
. "$(dirname "$0")/lib.sh"
need python3 socat
enter_netns "$@"

make_tun
mkdir -p "$WORK/www"
for s in 1K 1M 30M; do head -c $s /dev/urandom >"$WORK/www/f$s"; done
(cd "$WORK/www" && exec timeout 300 python3 -m http.server 8080 --bind $KADDR) >/dev/null 2>&1 &
PIDS+=($!)
timeout 300 socat TCP-LISTEN:7007,bind=$KADDR,fork,reuseaddr EXEC:cat &
PIDS+=($!)
for _ in $(seq 100); do ss -tln | grep -q "$KADDR:8080" && ss -tln | grep -q "$KADDR:7007" && break; sleep 0.05; done

C=(--tun gt0 --addr $GADDR/24 --quiet)
for s in 1K 1M 30M; do
	timeout 60 "$GT" get http://$KADDR:8080/f$s -o "$WORK/got" "${C[@]}" 2>"$WORK/get.err" \
		|| fail "get f$s: $(cat "$WORK/get.err")"
	[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f$s")" ] || fail "get f$s: sha256 differs"
	echo "get f$s: intact ($(cat "$WORK/get.err"))"
done

head -c 3M /dev/urandom >"$WORK/r"
timeout 60 "$GT" send $KADDR 7007 "${C[@]}" <"$WORK/r" >"$WORK/r.out" 2>"$WORK/send.err" \
	|| fail "send: $(cat "$WORK/send.err")"
[ "$(sha "$WORK/r.out")" = "$(sha "$WORK/r")" ] || fail "send through kernel echo: differs"
echo "send 3 MB through the kernel's echo: intact ($(cat "$WORK/send.err"))"

rc=0
timeout 20 "$GT" get http://$KADDR:9999/ "${C[@]}" 2>"$WORK/refused.err" >/dev/null || rc=$?
grep -q 'Connection refused' "$WORK/refused.err" || fail "closed port: want ECONNREFUSED, got rc $rc: $(cat "$WORK/refused.err")"
echo "closed port: $(cat "$WORK/refused.err")"

if command -v nft >/dev/null 2>&1 && nft add table inet gtest 2>/dev/null; then
	nft add chain inet gtest in '{ type filter hook input priority 0; }'
	nft add rule inet gtest in tcp dport 9998 drop
	target=http://$KADDR:9998/ how="nft drops tcp dport 9998"
else
	target=http://10.200.0.3/ how="no nft: 10.200.0.3 does not exist"
fi
t0=$(date +%s)
rc=0
timeout 30 "$GT" get "$target" "${C[@]}" --syn-retries 2 2>"$WORK/to.err" >/dev/null || rc=$?
t=$(($(date +%s) - t0))
grep -q 'Connection timed out' "$WORK/to.err" || fail "dropped port: want ETIMEDOUT, got rc $rc: $(cat "$WORK/to.err")"
[ $t -ge 5 ] && [ $t -le 12 ] || fail "ETIMEDOUT after $t s, want about 7"
echo "dropped port ($how): $(cat "$WORK/to.err")"
pass "3 downloads from the kernel intact, send via kernel echo, ECONNREFUSED, ETIMEDOUT"
