#!/usr/bin/env bash
# What `glasstcp serve`, `get` and `send` say when something is wrong, and
# that --quiet says nothing when all is well: a port outside 1-65535 is
# "port out of range" for every port option; a missing --http directory
# stops the start with its name; `serve --quiet` and `get --quiet` print
# nothing on success (stdout and stderr), and still name a failure.
. "$(dirname "$0")/lib.sh"
enter_netns "$@"

# run WANT-RC CMD...: runs it (at most 10 s); its stdout+stderr in $WORK/msg.
run() {
	local want=$1 rc=0
	shift
	timeout 10 "$@" >"$WORK/msg" 2>&1 || rc=$?
	[ "$rc" = "$want" ] || fail "'$*': exit $rc, want $want: $(head -5 "$WORK/msg")"
}
says() { grep -q -- "$1" "$WORK/msg" || fail "message lacks '$1': $(head -5 "$WORK/msg")"; }

S=(serve --tun gt0 --addr $GADDR/24 --kernel-addr $KADDR/24 --time-limit 5)
for opt in --echo --discard --linger0 --unread; do
	for p in 70000 0 65536 99999999999999999999; do
		run 2 "$GT" "${S[@]}" $opt $p
		says "port out of range"
		grep -q "unknown argument" "$WORK/msg" && fail "$opt $p called unknown: $(cat "$WORK/msg")"
	done
	run 2 "$GT" "${S[@]}" $opt seven
	says "$opt wants a port number, got 'seven'"
done
run 2 "$GT" "${S[@]}" --http 70000 "$WORK"
says "port out of range"
run 2 "$GT" "${S[@]}" --bogus 1
says "unknown argument '--bogus'"
echo "serve: ports outside 1-65535 named 'port out of range', unknown options 'unknown argument'"

run 2 "$GT" get http://$KADDR:70000/ --tun gt0 --addr $GADDR/24
says "port out of range"
run 2 "$GT" send $KADDR 70000 --tun gt0 --addr $GADDR/24
says "port out of range"
echo "get and send: 'port out of range'"

run 2 "$GT" "${S[@]}" --http 80 "$WORK/nonexistent"
says "$WORK/nonexistent: No such file or directory"
grep -q "serve: ready" "$WORK/msg" && fail "serve started without its directory"
: >"$WORK/plain"
run 2 "$GT" "${S[@]}" --echo 7 --http 80 "$WORK/plain"
says "$WORK/plain: not a directory"
echo "serve --http with a missing directory: refuses to start, names it"

# --quiet: a whole run with a request served prints nothing at all.
mkdir -p "$WORK/www"
echo hello >"$WORK/www/index.html"
"$GT" serve --tun gt0 --addr $GADDR/24 --kernel-addr $KADDR/24 --time-limit 3 --grace-ms 200 \
	--quiet --http 80 "$WORK/www" --echo 7 >"$WORK/q.out" 2>"$WORK/q.err" &
QPID=$!
PIDS+=($QPID)
got=
for _ in $(seq 40); do
	got=$(timeout 5 bash -c "exec 3<>/dev/tcp/$GADDR/80 && printf 'GET / HTTP/1.0\r\n\r\n' >&3 && cat <&3" 2>/dev/null) && break
	sleep 0.05
done
printf '%s' "$got" | grep -q hello || fail "serve --quiet did not answer: $got"
(exec 3<>"/dev/tcp/$GADDR/7" && printf 'ping' >&3 && exec 3>&-) 2>/dev/null
qrc=0
wait $QPID || qrc=$?
[ $qrc = 0 ] || fail "serve --quiet exited $qrc: $(cat "$WORK/q.err")"
[ ! -s "$WORK/q.out" ] || fail "serve --quiet printed on stdout: $(head -5 "$WORK/q.out")"
[ ! -s "$WORK/q.err" ] || fail "serve --quiet printed on stderr: $(head -5 "$WORK/q.err")"
echo "serve --quiet: served, exited 0, printed nothing"

# get --quiet against a kernel server: nothing on success, the cause on failure.
need python3
make_tun
echo body >"$WORK/www/f"
(cd "$WORK/www" && exec timeout 60 python3 -m http.server 8080 --bind $KADDR) >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do ss -tln | grep -q "$KADDR:8080" && break; sleep 0.05; done
Q=(--tun gt0 --addr $GADDR/24 --quiet)
rc=0
timeout 20 "$GT" get http://$KADDR:8080/f "${Q[@]}" >"$WORK/g.out" 2>"$WORK/g.err" || rc=$?
[ $rc = 0 ] || fail "get --quiet: exit $rc: $(cat "$WORK/g.err")"
[ "$(cat "$WORK/g.out")" = body ] || fail "get --quiet: stdout '$(cat "$WORK/g.out")', want only the body"
[ ! -s "$WORK/g.err" ] || fail "get --quiet printed: $(cat "$WORK/g.err")"
rc=0
timeout 20 "$GT" get http://$KADDR:8080/missing "${Q[@]}" >/dev/null 2>"$WORK/g.err" || rc=$?
[ $rc = 1 ] || fail "get --quiet of a 404: exit $rc"
grep -q "HTTP 404" "$WORK/g.err" || fail "get --quiet of a 404 did not say so: $(cat "$WORK/g.err")"
echo "get --quiet: only the body on success; a 404 still named"
# A TUN device another process holds: named as busy, not as a permission
# problem (TUNSETIFF says EBUSY).
"$GT" serve --tun gt0 --addr $GADDR/24 --time-limit 5 --echo 7 >"$WORK/b1.out" 2>&1 &
BPID=$!
PIDS+=($BPID)
for _ in $(seq 100); do grep -q "ready" "$WORK/b1.out" && break; sleep 0.05; done
grep -q "ready" "$WORK/b1.out" || fail "first serve on gt0 did not start: $(cat "$WORK/b1.out")"
rc=0
timeout 10 "$GT" serve --tun gt0 --addr $GADDR/24 --time-limit 2 --echo 7 >"$WORK/msg" 2>&1 || rc=$?
[ $rc != 0 ] || fail "a second serve on a busy gt0 exited 0"
says "TUN device gt0 is in use by another process"
grep -q "CAP_NET_ADMIN" "$WORK/msg" && fail "a busy device blamed on privileges: $(cat "$WORK/msg")"
kill $BPID 2>/dev/null; wait $BPID 2>/dev/null
echo "a busy TUN device: 'in use by another process', not privileges"

# --sysctl: each refusal names its cause; a setting taken changes what goes
# on the wire (tcp_rmem[2] sets the window scale, tcp_select_initial_window()).
run 2 "$GT" "${S[@]}" --echo 7 --sysctl net.ipv4.tcp_nonexistent=1
says "glasstcp has no setting named net.ipv4.tcp_nonexistent"
run 2 "$GT" "${S[@]}" --echo 7 --sysctl net.ipv4.tcp_rmem=4096
says "'4096' is not a value net.ipv4.tcp_rmem takes"
run 2 "$GT" "${S[@]}" --echo 7 --sysctl net.inet.tcp.maxunacktime=3000
says "net.inet.tcp.maxunacktime=3000 needs net.ipv4.tcp_slow_start_after_idle=0 first"
run 2 "$GT" "${S[@]}" --echo 7 --sysctl tcp_rmem
says "--sysctl: wants NAME=VALUE, got 'tcp_rmem'"
# wscale_seen [SERVE-OPTIONS...]: the scale glasstcp's SYN-ACK offered, as
# the kernel client's socket reports it (ss: wscale:<peer's>,<own>).
wscale_seen() {
	"$GT" serve --tun gt0 --addr $GADDR/24 --kernel-addr $KADDR/24 --time-limit 5 --grace-ms 100 \
		--echo 7 "$@" >"$WORK/ws.out" 2>&1 &
	local pid=$! ws=
	PIDS+=($pid)
	for _ in $(seq 100); do grep -q "ready" "$WORK/ws.out" && break; sleep 0.05; done
	exec 3<>"/dev/tcp/$GADDR/7" || fail "no connection to serve $*: $(cat "$WORK/ws.out")"
	ws=$(ss -tni dst $GADDR:7 | grep -o 'wscale:[0-9]*' | head -1)
	exec 3>&-
	kill $pid 2>/dev/null; wait $pid 2>/dev/null
	echo "${ws#wscale:}"
}
ws=$(wscale_seen)
[ "$ws" = 10 ] || fail "the Linux profile's SYN-ACK offered wscale '$ws', want 10 (tcp_rmem[2] 32 MiB, Linux 6.17+)"
ws=$(wscale_seen --sysctl 'net.ipv4.tcp_rmem=4096 131072 6291456')
[ "$ws" = 7 ] || fail "with tcp_rmem[2] 6 MiB the SYN-ACK offered wscale '$ws', want 7"
# Given before --profile, the setting must survive the profile's defaults.
ws=$(wscale_seen --sysctl 'net.ipv4.tcp_rmem=4096 131072 6291456' --profile linux)
[ "$ws" = 7 ] || fail "--sysctl before --profile was lost: wscale '$ws', want 7"
echo "--sysctl: refusals named; tcp_rmem[2] 6 MiB offers wscale 7 (default 32 MiB: 10), in either order with --profile"
pass "port out of range, missing directory named, --quiet silent on success, busy TUN named, --sysctl applied and refused by name"
