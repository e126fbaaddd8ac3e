#!/usr/bin/env bash
# glasstcp relay: TCP_NODELAY on a host socket comes with the flow's second
# send (tcp_flow.c, move_up()). Nagle's algorithm holds back only a small
# segment while data is unacknowledged (RFC 1122 4.2.3.4, Linux's
# tcp_nagle_check()), and at a flow's first send none is: a connection
# that sends one request and closes needs no setsockopt() for it. Checked
# from the relay's own system calls (strace of the relay process only):
# connection A sends 1 byte and closes: no TCP_NODELAY on its socket;
# connection B sends 1 byte, then (after the echo) 1 more: TCP_NODELAY on
# its socket once, after the first byte's sendmsg() and before the
# second's; HostNoDelaySet 1. With the option set at socket() as before,
# both sockets get it before any sendmsg() and the test fails.
#
# Network safety: the relayed namespace (10.0.2.0/24) and the loopback of
# the test's own namespace only.
. "$(dirname "$0")/lib.sh"
need python3 ss strace
enter_netns "$@"

echo_server_bg 9720

SERVE_LOG=$WORK/relay.log
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 60 strace -qq -o "$WORK/trace" \
	-e trace=socket,setsockopt,sendmsg -e signal=none -s 16 \
	"$GT" relay --dns none -- python3 -c "
import socket
a = socket.create_connection(('10.0.2.2', 9720), timeout=5)
a.sendall(b'A')
assert a.recv(1) == b'A'
a.close()
b = socket.create_connection(('10.0.2.2', 9720), timeout=5)
b.sendall(b'B')
assert b.recv(1) == b'B'
b.sendall(b'C')
assert b.recv(1) == b'C'
b.close()" 2>"$SERVE_LOG" || fail "the relay or its command failed: exit $?"

python3 - "$WORK/trace" <<'PY' || fail "TCP_NODELAY not where it belongs (above)"
import re, sys
fd_of = {}      # the payload byte -> the fd its sendmsg() went to
nodelay = []    # (line number, fd)
sends = {}      # payload byte -> line number
tcp_socks = set()
for i, ln in enumerate(open(sys.argv[1]).read().splitlines()):
    m = re.match(r'socket\(AF_INET6?, SOCK_STREAM.*\) = (\d+)', ln)
    if m:
        tcp_socks.add(int(m.group(1)))
    m = re.match(r'setsockopt\((\d+), SOL_TCP, TCP_NODELAY', ln)
    if m:
        nodelay.append((i, int(m.group(1))))
    m = re.match(r'sendmsg\((\d+), \{msg_name=NULL, msg_namelen=0, msg_iov=\[\{iov_base="(.)", iov_len=1\}\]', ln)
    if m:
        sends[m.group(2)] = i
        fd_of[m.group(2)] = int(m.group(1))
print("sendmsg lines %s, TCP_NODELAY (line, fd) %s" % (sends, nodelay))
ok = set(sends) == {"A", "B", "C"} and fd_of["B"] == fd_of["C"]
if not ok:
    print("BAD  the three bytes' sendmsg() calls not seen")
    sys.exit(1)
mine = [(l, fd) for l, fd in nodelay if fd in (fd_of["A"], fd_of["B"])]
if len(mine) != 1 or mine[0][1] != fd_of["B"] or not sends["B"] < mine[0][0] < sends["C"]:
    print("BAD  want one TCP_NODELAY, on B's socket, between its two sends")
    sys.exit(1)
PY
set_n=$(relay_counter HostNoDelaySet)
[ "${set_n:-0}" -eq 1 ] || fail "HostNoDelaySet ${set_n:-?}, want 1"
pass "TCP_NODELAY only for the flow that sent twice, before its second send (HostNoDelaySet $set_n)"
