#!/usr/bin/env bash
# glasstcp relay --busy-poll-us N: the spin's window adapts (relay.c,
# spin_adapt()). It starts at 50 us (N when that is less); a spin that ran
# out and slept, and whose sleep an event ended within N us of the last
# event, doubles it (BusyPollGrows), up to N; a sleep that nothing ended
# that soon halves it (BusyPollShrinks), down to 50 us. BusyPollWindowUs
# is its length when the relay ends. A server that answers 300 us after
# each 1-byte request (a busy wait, not a sleep) is past a 50 us window:
#   --busy-poll-us 2000: the window grows (at least once, and to 100 us or
#                        more at the end), and where the spin was never
#                        backed off the spin finds the replies (BusyPollHits
#                        at least N / 2 of the N echoes' 2N events);
#   --busy-poll-us 50:   it never grows (BusyPollGrows 0, window 50);
#   --busy-poll-us 1000, the client pausing 5 ms after each echo: each
#                        pause is a sleep longer than N, and the window
#                        shrinks again (BusyPollShrinks at least 1), never
#                        below 50 us.
# Before the window adapted (a fixed N, 50 by default) the counters were
# not there, and a 50 us spin never found a reply 300 us away.
#
# Network safety: the relayed namespace (10.0.2.0/24) and the loopback of
# the test's own namespace only.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
need python3 ss
enter_netns "$@"

python3 "$HERE/relay_common.py" echo 9713 300 &
PIDS+=($!)
for _ in $(seq 100); do ss -Htln | grep -q '127.0.0.1:9713 ' && break; sleep 0.05; done

N=300
# echoes PAUSE_S OPTIONS...: N 1-byte echoes through the relay
echoes() {
	local pause=$1
	shift
	timeout 60 "$GT" relay --dns none "$@" -- python3 -c "
import socket, time
s = socket.create_connection(('10.0.2.2', 9713), timeout=5)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
for i in range($N):
    s.sendall(b'x')
    assert s.recv(1) == b'x'
    if $pause:
        time.sleep($pause)
s.close()
" 2>"$SERVE_LOG" || fail "the relay or its command failed ($*): exit $? ($(tail -3 "$SERVE_LOG"))"
}
counters() {
	echo "BusyPolls $(relay_counter BusyPolls), BusyPollHits $(relay_counter BusyPollHits), BusyPollSleeps $(relay_counter BusyPollSleeps), BusyPollBackoffs $(relay_counter BusyPollBackoffs), BusyPollLostForgiven $(relay_counter BusyPollLostForgiven), BusyPollGrows $(relay_counter BusyPollGrows), BusyPollShrinks $(relay_counter BusyPollShrinks), BusyPollWindowUs $(relay_counter BusyPollWindowUs), SwitchesVoluntary $(relay_counter SwitchesVoluntary)"
}

SERVE_LOG=$WORK/relay2000.log
echoes 0 --busy-poll-us 2000
echo "--busy-poll-us 2000: $(counters)"
grows=$(relay_counter BusyPollGrows)
win=$(relay_counter BusyPollWindowUs)
hits=$(relay_counter BusyPollHits)
[ -n "$grows" ] && [ -n "$win" ] || fail "no BusyPollGrows or BusyPollWindowUs on the counters line"
[ "$grows" -ge 1 ] || fail "BusyPollGrows $grows: the window never grew for replies 300 us away"
[ "$win" -ge 100 ] && [ "$win" -le 2000 ] || fail "BusyPollWindowUs $win: not grown, or past --busy-poll-us 2000"
if [ "$(relay_counter BusyPollBackoffs)" = 0 ]; then
	[ "${hits:-0}" -ge $((N / 2)) ] || fail "BusyPollHits ${hits:-?}: the grown window found fewer than $((N / 2)) of $((2 * N)) events"
else
	echo "the spin lost the CPU (load $(cut -d' ' -f1 /proc/loadavg)): hits not checked"
fi

SERVE_LOG=$WORK/relay50.log
echoes 0 --busy-poll-us 50
echo "--busy-poll-us 50: $(counters)"
[ "$(relay_counter BusyPollGrows)" = 0 ] || fail "BusyPollGrows $(relay_counter BusyPollGrows) with --busy-poll-us 50"
[ "$(relay_counter BusyPollWindowUs)" = 50 ] || fail "BusyPollWindowUs $(relay_counter BusyPollWindowUs) with --busy-poll-us 50"

N=60
SERVE_LOG=$WORK/relay1000.log
echoes 0.005 --busy-poll-us 1000
echo "--busy-poll-us 1000, 5 ms pauses: $(counters)"
shrinks=$(relay_counter BusyPollShrinks)
win=$(relay_counter BusyPollWindowUs)
[ "${shrinks:-0}" -ge 1 ] || fail "BusyPollShrinks ${shrinks:-?}: 5 ms pauses never shrank the window"
[ "${win:-0}" -ge 50 ] && [ "${win:-0}" -le 1000 ] || fail "BusyPollWindowUs ${win:-?}: outside 50-1000 us"
pass "replies 300 us away: the window grew ($grows times) and found $hits events; with 50 it stayed 50; 5 ms pauses shrank it $shrinks times"
