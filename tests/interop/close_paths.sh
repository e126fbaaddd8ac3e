#!/usr/bin/env bash
# Close paths against the kernel's TCP: the kernel closes first (it holds
# TIME_WAIT: ss shows it); glasstcp closes first (glasstcp holds TIME_WAIT:
# its counters say so at shutdown); SO_LINGER {1,0} (curl sees the reset);
# close with unread data (an RST, RFC 1122 4.2.2.13).
. "$(dirname "$0")/lib.sh"
need curl ss
enter_netns "$@"

mkdir -p "$WORK/www"
head -c 100K /dev/urandom >"$WORK/www/f"
serve --http 80 "$WORK/www" --linger0 81 --unread 82

# settle: waits (5 s at most) until the kernel's sockets to port 80 have
# all closed or reached TIME-WAIT, the close's last segments exchanged:
# a fixed 0.3 s waited for glasstcp's answers before, which a loaded
# machine can take longer to give.
settle() {
	for _ in $(seq 100); do
		[ -z "$(ss -Htan "( dport = :80 )" | grep -v '^TIME-WAIT')" ] && return 0
		sleep 0.05
	done
	fail "the kernel's connection to port 80 still closing after 5 s: $(ss -Htan "( dport = :80 )")"
}
# Kernel first: curl keeps the connection alive, then exits and closes it.
timeout 20 curl -sS --max-time 10 -o /dev/null http://$GADDR/f || fail "keep-alive curl"
settle
tw=$(ss -Htan state time-wait "( dport = :80 )" | grep -c "$GADDR:80")
[ "$tw" = 1 ] || fail "kernel closed first: want 1 TIME-WAIT in ss, got $tw: $(ss -tan)"
echo "kernel closed first: ss shows it holding TIME_WAIT: $(ss -Htan state time-wait "( dport = :80 )" | tr -s ' ')"

# glasstcp first: Connection: close, so the server closes after the response.
timeout 20 curl -sS --max-time 10 -H 'Connection: close' -o /dev/null http://$GADDR/f || fail "Connection: close curl"
settle
tw=$(ss -Htan state time-wait "( dport = :80 )" | grep -c "$GADDR:80")
[ "$tw" = 1 ] || fail "glasstcp closed first, yet the kernel has $tw TIME-WAIT entries"

# SO_LINGER {1,0} and close with unread data: curl must see a reset.
for p in 81 82; do
	rc=0
	timeout 20 curl -sS --max-time 10 -o /dev/null http://$GADDR:$p/ 2>"$WORK/c$p.err" || rc=$?
	grep -qi 'reset' "$WORK/c$p.err" || fail "port $p: curl rc $rc, want a reset: $(cat "$WORK/c$p.err")"
	echo "port $p: curl says: $(cat "$WORK/c$p.err")"
done

serve_stop
grep '^counters:' "$SERVE_LOG"
now=$(grep -o 'TIME_WAIT now [0-9]*' "$SERVE_LOG" | awk '{print $3}')
[ "$(counter TW)" = 1 ] && [ "$now" = 1 ] || fail "glasstcp closed first: want TW 1 and TIME_WAIT now 1"
[ "$(counter AbortOnLinger)" = 1 ] || fail "want AbortOnLinger 1"
[ "$(counter AbortOnClose)" = 1 ] || fail "want AbortOnClose 1"
[ "$(counter OutRsts)" -ge 2 ] || fail "want 2 RSTs sent"
pass "kernel-first and glasstcp-first TIME_WAIT, SO_LINGER 0 reset, unread-data reset"
