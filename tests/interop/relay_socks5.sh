#!/usr/bin/env bash
# glasstcp relay --socks5: every TCP connection from the namespace goes
# through a SOCKS5 proxy (RFC 1928 CONNECT; RFC 1929 username/password),
# Debian's microsocks, started here on the test's host loopback. Checked
# from inside (relay_socks5_client.py, curl): 2 MB down (curl) and 3 MB up
# with 1 MB back intact through the proxy; a server that speaks first (its
# bytes may come with the proxy's reply); a closed port refused at once (the
# proxy's REP 0x05 -> RST -> ECONNREFUSED); an unroutable address failing at
# once (REP 0x03 -> ICMP -> ENETUNREACH); username/password accepted, from
# the command line and from a file; a wrong password, no credentials for a
# proxy that wants them, and no proxy at all each failing the namespace's
# connect at once (RST) although the port is open; the relay's counters.
# microsocks closes both sides at the first EOF it reads, so half-close and
# RST crossing are checked without a proxy (relay_basic.sh), not here.
#
# Network safety: the only addresses used are the relayed namespace's
# (10.0.2.0/24), the host namespace's loopback (servers and proxies), and
# 192.0.2.1, which the host namespace has no route to (the proxy's connect
# fails there; nothing is sent).
. "$(dirname "$0")/lib.sh"
need microsocks curl python3 ss
enter_netns "$@"
HERE=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$WORK/www"
head -c 2M /dev/urandom >"$WORK/www/f"
(cd "$WORK/www" && exec python3 -m http.server 8080 --bind 127.0.0.1) >"$WORK/http.log" 2>&1 &
PIDS+=($!)
python3 "$HERE/relay_servers.py" "$WORK" >"$WORK/servers.log" 2>&1 &
PIDS+=($!)
microsocks -i 127.0.0.1 -p 1080 >"$WORK/socks.log" 2>&1 &
PIDS+=($!)
microsocks -i 127.0.0.1 -p 1081 -u alice -P 's3cr:et' >"$WORK/socks_auth.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
	[ -f "$WORK/ready" ] && ss -Htln | grep -q '127.0.0.1:8080' &&
		ss -Htln | grep -q '127.0.0.1:1080' && ss -Htln | grep -q '127.0.0.1:1081' && break
	sleep 0.05
done
ss -Htln | grep -q '127.0.0.1:1081' || fail "microsocks did not start: $(cat "$WORK"/socks*.log)"
[ -f "$WORK/ready" ] || fail "the test's servers did not start: $(cat "$WORK/servers.log")"

cnt() { grep '^relay:' "$SERVE_LOG" | tail -1 | grep -o " $1 [0-9]*" | awk '{print $2}'; }
# relayed LOG RELAY-ARGS... -- COMMAND...: the relay's log in $WORK/LOG.log
# (SERVE_LOG, for fail()'s tail), the command's output shown.
relayed() {
	SERVE_LOG=$WORK/$1.log
	shift
	local rc=0
	timeout 60 "$GT" relay --dns none "$@" >"$WORK/client.log" 2>"$SERVE_LOG" || rc=$?
	cat "$WORK/client.log"
	return $rc
}

# No authentication: data both ways, a banner, refused, unreachable.
rc=0
relayed noauth --socks5 127.0.0.1:1080 -- sh -c "
	curl -sS --max-time 10 -o '$WORK/got' http://10.0.2.2:8080/f || exit 90
	exec python3 '$HERE/relay_socks5_client.py' sized banner refused unreachable" || rc=$?
[ $rc != 90 ] && [ -s "$WORK/got" ] || fail "curl through the relay and the proxy failed (exit status $rc)"
[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f")" ] || fail "the download differs"
echo "ok   download: 2 MB from the host's 127.0.0.1:8080 via 10.0.2.2 and the proxy, intact"
[ $rc = 0 ] || fail "$rc checks failed inside the namespace"
grep -q '^relay: TCP through the SOCKS5 proxy 127.0.0.1:1080 (no authentication)' "$SERVE_LOG" ||
	fail "the relay does not say it uses the proxy"
[ "$(cnt SocksOk)" -ge 22 ] && [ "$(cnt SocksConnects)" = "$(cnt FlowsOpened)" ] ||
	fail "every flow through the proxy: $(grep '^relay:' "$SERVE_LOG" | tail -1)"
[ "$(cnt SocksRefused)" = 1 ] && [ "$(cnt FlowsRefused)" = 1 ] || fail "SocksRefused $(cnt SocksRefused), FlowsRefused $(cnt FlowsRefused)"
[ "$(cnt SocksUnreachable)" = 1 ] && [ "$(cnt FlowsUnreachable)" = 1 ] || fail "SocksUnreachable $(cnt SocksUnreachable)"
[ "$(cnt SocksPending)" = 0 ] && [ "$(cnt SocksProxyErrors)" = 0 ] && [ "$(cnt SocksBadReplies)" = 0 ] ||
	fail "pending/proxy errors/bad replies: $(grep '^relay:' "$SERVE_LOG" | tail -1)"
echo "ok   counters: $(grep '^relay:' "$SERVE_LOG" | tail -1 | grep -oE ' (FlowsOpened|Socks(Connects|Ok|Refused|Unreachable)|Bytes(Up|Down)) [0-9]+' | tr '\n' ' ')"

# What microsocks will not be made to answer (relay_socks5_fake.py): host
# unreachable, a general failure, no reply (the relay's own timeout), not
# SOCKS5, and the far side's bytes in the same write as the reply.
python3 "$HERE/relay_socks5_fake.py" 1082 "$WORK" >"$WORK/fake.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -f "$WORK/fake_ready" ] && break; sleep 0.05; done
relayed fake --socks5 127.0.0.1:1082 --connect-timeout-ms 300 -- \
	python3 "$HERE/relay_socks5_client.py" fake || fail "against the scripted proxy"
[ "$(cnt SocksUnreachable)" = 1 ] && [ "$(cnt SocksFailed)" = 1 ] && [ "$(cnt SocksOk)" = 2 ] &&
	[ "$(cnt SocksTimeouts)" = 1 ] && [ "$(cnt FlowsTimedOut)" = 1 ] && [ "$(cnt SocksBadReplies)" = 1 ] &&
	[ "$(cnt SocksPending)" = 0 ] || fail "scripted proxy: $(grep '^relay:' "$SERVE_LOG" | tail -1)"
echo "ok   replies: host unreachable -> ICMP, failure -> RST, no reply -> timeout (ICMP), not SOCKS5 -> RST, bytes with the reply kept"

# Username/password (RFC 1929), on the command line and from a file (the
# password holds a colon: only the first one separates).
relayed auth --socks5 127.0.0.1:1081 --socks5-user 'alice:s3cr:et' -- \
	python3 "$HERE/relay_socks5_client.py" sized || fail "username/password on the command line"
grep -q 'username/password' "$SERVE_LOG" && [ "$(cnt SocksOk)" = 1 ] && [ "$(cnt SocksAuthFailed)" = 0 ] ||
	fail "auth: $(grep '^relay:' "$SERVE_LOG" | tail -1)"
printf 'alice:s3cr:et\n' >"$WORK/creds"
relayed authfile --socks5 127.0.0.1:1081 --socks5-user-file "$WORK/creds" -- \
	python3 "$HERE/relay_socks5_client.py" banner || fail "username/password from a file"
[ "$(cnt SocksOk)" = 20 ] || fail "auth from a file: $(grep '^relay:' "$SERVE_LOG" | tail -1)"
echo "ok   auth: accepted with USER:PASS given on the command line and in a file"

# The proxy refusing us: the namespace's connect to an open port fails at
# once, counted as an authentication failure; without credentials the
# proxy offers no acceptable method (0xFF), with wrong ones RFC 1929 fails.
relayed badpass --socks5 127.0.0.1:1081 --socks5-user alice:wrong -- \
	python3 "$HERE/relay_socks5_client.py" denied || fail "a wrong password"
[ "$(cnt SocksAuthFailed)" = 1 ] && [ "$(cnt FlowsRefused)" = 1 ] || fail "wrong password: $(grep '^relay:' "$SERVE_LOG" | tail -1)"
grep -q 'authentication: username/password refused' "$SERVE_LOG" || fail "no message for the refused password"
relayed nocreds --socks5 127.0.0.1:1081 -- python3 "$HERE/relay_socks5_client.py" denied ||
	fail "no credentials for a proxy that wants them"
[ "$(cnt SocksAuthFailed)" = 1 ] || fail "no credentials: $(grep '^relay:' "$SERVE_LOG" | tail -1)"
grep -q 'no acceptable method' "$SERVE_LOG" || fail "no message for the missing credentials"
echo "ok   auth_failed: a wrong password and missing credentials each refuse the connect at once (RST)"

# No proxy listening: the flow cannot be carried, the namespace is refused
# at once (and the open port shows nothing went around the proxy).
relayed noproxy --socks5 127.0.0.1:1099 -- python3 "$HERE/relay_socks5_client.py" denied ||
	fail "no proxy"
[ "$(cnt SocksProxyErrors)" = 1 ] || fail "no proxy: $(grep '^relay:' "$SERVE_LOG" | tail -1)"
echo "ok   no_proxy: connect refused at once, SocksProxyErrors 1"

# Option errors.
rc=0; "$GT" relay --socks5-user a:b -- true 2>/dev/null || rc=$?
[ $rc = 2 ] || fail "--socks5-user without --socks5: exit $rc"
rc=0; "$GT" relay --socks5 127.0.0.1:1080 --socks5-user nocolon -- true 2>/dev/null || rc=$?
[ $rc = 2 ] || fail "--socks5-user nocolon: exit $rc"
rc=0; "$GT" relay --socks5 127.0.0.1 -- true 2>/dev/null || rc=$?
[ $rc = 2 ] || fail "--socks5 without a port: exit $rc"
pass "relay --socks5: data both ways through microsocks, refused and unreachable at once, auth accepted and refused"
