#!/usr/bin/env bash
# `glasstcp serve` on SIGUSR1: the ss-style listing of its sockets (the
# listener, an established connection held open by a kernel client) and
# its counters, on standard error, while it keeps serving; and `serve
# --help` says so, as it says what SIGINT and SIGTERM do.
. "$(dirname "$0")/lib.sh"
need socat
enter_netns "$@"

help=$("$GT" serve --help) || fail "serve --help failed"
grep -q "SIGUSR1.*socket listing" <<<"$help" || fail "serve --help does not document SIGUSR1"
grep -q "SIGINT, SIGTERM" <<<"$help" || fail "serve --help does not document SIGINT/SIGTERM"
echo "serve --help documents SIGUSR1, SIGINT and SIGTERM"

serve --echo 7

# A kernel client that stays connected for a few seconds.
(sleep 3 | timeout 20 socat -t 1 - TCP:$GADDR:7 >/dev/null) &
PIDS+=($!)
for _ in $(seq 50); do
	kill -USR1 "$SERVE_PID"
	sleep 0.1
	grep -q "ESTAB" "$SERVE_LOG" && break
done
grep -q -- "--- sockets" "$SERVE_LOG" || fail "no listing after SIGUSR1"
grep -q "LISTEN" "$SERVE_LOG" || fail "the listing lacks the listener"
grep -q "ESTAB" "$SERVE_LOG" || fail "the listing lacks the established connection: $(tail -20 "$SERVE_LOG")"
grep -q "^counters:" "$SERVE_LOG" || fail "no counters after SIGUSR1"
echo "SIGUSR1: listing with the listener and the connection, and counters"
# Still serving after the signals.
echo ping | timeout 10 socat -t 2 - TCP:$GADDR:7 | grep -q ping || fail "echo stopped after SIGUSR1"
echo "still serving"
serve_stop
