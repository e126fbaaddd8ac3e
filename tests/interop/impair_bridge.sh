#!/usr/bin/env bash
# glasstcp impair, the fault injector between two TUN devices that
# bench/loss_vs_kernel.sh puts on the kernel's path: namespace K reaches
# namespace P only through it (policy routing in this namespace, R). With 5%
# reordering and 1% loss each way, kernel curl downloads 4 MB from a kernel
# server in P intact; impair's report shows packets reordered and lost in
# both directions, and none forwarded the wrong way round (every packet read
# on one device written to the other, less the losses).
. "$(dirname "$0")/lib.sh"
need curl python3 nsenter awk
enter_netns "$@"

router_kp 120

timeout 100 "$GT" impair --tun ia --tun ib --reorder 5 --loss 1 --seed 7 >"$WORK/impair.log" 2>&1 &
IMP=$!
PIDS+=("$IMP")
for _ in $(seq 100); do grep -qs ready "$WORK/impair.log" && break; sleep 0.05; done
grep -q ready "$WORK/impair.log" || fail "impair did not start: $(cat "$WORK/impair.log")"
for d in all ia ib kv1 pv1; do sysctl -qw net.ipv4.conf.$d.rp_filter=0; done
ip route replace 10.202.0.0/24 dev ia table 100 && ip rule add iif kv1 to 10.202.0.0/24 lookup 100 &&
	ip route replace 10.201.0.0/24 dev ib table 101 && ip rule add iif pv1 to 10.201.0.0/24 lookup 101 ||
	fail "policy routing through ia/ib"

mkdir -p "$WORK/www"
head -c 4000000 /dev/urandom >"$WORK/www/f"
inP timeout 100 python3 -m http.server --bind 10.202.0.2 8080 --directory "$WORK/www" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do inP ss -tln | grep -q 10.202.0.2:8080 && break; sleep 0.05; done
inK timeout 80 curl -sS --max-time 70 -o "$WORK/got" http://10.202.0.2:8080/f || fail "curl through impair"
[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f")" ] || fail "the file differs after impair"
kill -TERM "$IMP"; wait "$IMP" 2>/dev/null
cat "$WORK/impair.log"
# Both directions: reordered > 0, lost > 0, written = read - lost - queue drops
# (+ duplicates: none asked), write errors 0.
awk '/ read / { n++; r=$6+0; l=$8+0; o=$10+0; q=$15+0; w=$17+0; e=$20+0;
	    if (o == 0 || l == 0 || e != 0 || w + l + q < r - 1 || w > r) bad++ }
     END { exit !(n == 2 && bad == 0) }' FS='[ ,]+' "$WORK/impair.log" ||
	fail "impair's report: each direction must reorder and lose some, and forward the rest"
pass "4 MB intact from P to K through glasstcp impair (5% reordering, 1% loss each way)"
