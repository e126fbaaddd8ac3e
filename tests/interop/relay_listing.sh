#!/usr/bin/env bash
# glasstcp relay --listing MS: the SIGUSR1 listing (every flow with both
# halves, the counters) printed every MS milliseconds without a signal.
# A command holds one connection to a server on the host's loopback for
# 1.3 s under --listing 200: the relay prints a listing about every
# 200 ms (5 to 10 of them, with the command's own start; one in each 200 ms period),
# each showing the open flow; without --listing it prints none.
#
# Network safety: the relayed namespace (10.0.2.0/24) and the loopback of
# the test's own namespace only.
. "$(dirname "$0")/lib.sh"
need python3 ss
enter_netns "$@"

# A server that closes when its client does: the relay ends with the command.
python3 -c "
import socket
s = socket.socket(); s.bind(('127.0.0.1', 9100)); s.listen(8)
while True:
    c, _ = s.accept()
    while c.recv(100):
        pass
    c.close()" &
PIDS+=($!)
for _ in $(seq 100); do ss -Htln | grep -q '127.0.0.1:9100 ' && break; sleep 0.05; done

SERVE_LOG=$WORK/relay.log
hold="import socket, time
s = socket.create_connection(('10.0.2.2', 9100), timeout=5)
time.sleep(1.3)"
timeout 20 "$GT" relay --listing 200 --dns none -- python3 -c "$hold" 2>"$SERVE_LOG" ||
	fail "the relay exited $?"
n=$(grep -c '^--- relay at ' "$SERVE_LOG")
# One per 200 ms of the relay's life: the command's 1.3 s and its start,
# which a loaded machine stretches (2.4 s seen under ASan at load 14).
last=$(grep '^--- relay at ' "$SERVE_LOG" | tail -1 | awk '{print $4}')
want=$(awk -v t="${last:-0}" 'BEGIN {printf "%d", t / 0.2}')
[ "$n" -ge 5 ] && [ "$n" -ge $((want - 1)) ] && [ "$n" -le $((want + 1)) ] ||
	fail "$n listings in the relay's ${last:-?} s (the command's 1.3 s and its start) at --listing 200"
grep -A2 '^--- relay at ' "$SERVE_LOG" | grep -q '^tcp 10.0.2.100:[0-9]* -> 10.0.2.2:9100 (host 127.0.0.1:9100)  ns ESTABLISHED  host ESTABLISHED' ||
	fail "no listing shows the open flow: $(head -5 "$SERVE_LOG")"
# On the period's grid (relay.c: one listing per period, however late the
# loop got): each in a period of its own, none early. How late one comes
# is the scheduler's: under load a listing 70 ms late and the next on time
# are 130 ms apart, which a test of the gaps failed (relay_listing at load 14).
grep '^--- relay at ' "$SERVE_LOG" | awk '{k = int($4 / 0.2 + 0.02); if (NR > 1 && k <= prev) { print "two in period " k; exit 1 } prev = k}' ||
	fail "listings not one per 200 ms period: $(grep '^--- relay at ' "$SERVE_LOG" | tr '\n' ' ')"
echo "ok   --listing 200: $n listings at $(grep '^--- relay at ' "$SERVE_LOG" | awk '{printf "%s ", $4}')s, each with the open flow"

timeout 20 "$GT" relay --dns none -- python3 -c "$hold" 2>"$SERVE_LOG" || fail "the relay exited $?"
n=$(grep -c '^--- relay at ' "$SERVE_LOG")
[ "$n" = 0 ] || fail "$n listings without --listing"
echo "ok   without --listing: none"
pass "--listing prints the listing on its period"
