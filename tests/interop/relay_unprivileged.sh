#!/usr/bin/env bash
# glasstcp relay without root. The relay runs as nobody (setpriv), with
# /dev/net/tun readable and writable by it (most distributions' 0666; here
# a node of the test's own, bind-mounted over it in a mount namespace of
# the test's, since this machine's is 0600): its child makes a user
# namespace (root in it, mapped to nobody) and the network namespace in
# it. And as nobody inside `unshare -r` (a user namespace made by the
# caller, as rootless container tools do). Checked from inside, each way:
# TCP to the host's loopback (10.0.2.2 and [fd00::2]) with bytes both
# ways, UDP, ping to the gateway (the stack's answer) and to an address on
# the host (relayed through a ping socket: the group nobody is in must be
# in net.ipv4.ping_group_range), the command's exit status; and what does
# not work without root: the device's txqueuelen stays the kernel's (said
# once), a forwarded port below 1024 is refused (-t 80: the relay names
# it and exits 1).
#
# Network safety: the relayed namespace (10.0.2.0/24, fd00::/64) and the
# test's own namespace (its loopback, 192.0.2.1 on it).
. "$(dirname "$0")/lib.sh"
need python3 ss ping setpriv unshare mount mknod
enter_netns "$@"
sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.lo.disable_ipv6=0
sysctl -qw net.ipv4.ping_group_range="0 2147483647" || skip "cannot set net.ipv4.ping_group_range"
ip addr add 192.0.2.1/32 dev lo || fail "cannot give lo 192.0.2.1"
[ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" = 1 ] ||
	skip "unprivileged user namespaces are off (kernel.unprivileged_userns_clone)"
chmod 755 "$WORK"

cat >"$WORK/srv.py" <<'PY'
import socket, threading
def tcp(fam, addr):
    s = socket.socket(fam); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 9500)); s.listen(8)
    while True:
        c, _ = s.accept()
        d = b""
        while len(d) < 100000:
            b = c.recv(65536)
            if not b:
                break
            d += b
        c.sendall(b"got %d" % len(d)); c.close()
def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 9501))
    while True:
        d, a = s.recvfrom(2000); s.sendto(b"echo:" + d, a)
for a in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    threading.Thread(target=tcp, args=a, daemon=True).start()
udp()
PY
python3 "$WORK/srv.py" &
PIDS+=($!)
for _ in $(seq 100); do ss -Htln | grep -q '\[::1\]:9500' && break; sleep 0.05; done

cat >"$WORK/cli.py" <<'PY'
import os, socket, sys
bad = 0
for host in ("10.0.2.2", "fd00::2"):
    s = socket.create_connection((host, 9500), timeout=5)
    s.sendall(b"z" * 100000)
    r = s.recv(100)
    ok = r == b"got 100000"
    print(("ok  " if ok else "BAD ") + " uid %d: TCP to %s: 100000 B up, %r back" % (os.getuid(), host, r))
    bad += not ok
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(3)
u.sendto(b"q", ("10.0.2.2", 9501))
r = u.recv(100)
print(("ok  " if r == b"echo:q" else "BAD ") + " UDP: %r" % r)
bad += r != b"echo:q"
sys.exit(bad)
PY

# The TUN node nobody may open, in a mount namespace of the test's own.
run_nobody() { # PRE... -- RELAY ARGS: the relay as nobody, after PRE (unshare -r or nothing)
	unshare -m sh -c '
		mount -t tmpfs tmpfs "$0" && mknod -m 666 "$0/tun" c 10 200 && mount --bind "$0/tun" /dev/net/tun || exit 120
		exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"' "$WORK/dev" "$@"
}
mkdir -p "$WORK/dev"
for how in own unshare-r; do
	pre=()
	[ $how = unshare-r ] && pre=(unshare -r)
	SERVE_LOG=$WORK/relay-$how.log
	run_nobody "${pre[@]}" "$GT" relay --dns none -- sh -c "
		ping -n -c1 -W2 10.0.2.2 >/dev/null || exit 91
		ping -n -c1 -W2 192.0.2.1 >/dev/null || exit 92
		exec python3 '$WORK/cli.py'" >"$WORK/out-$how.txt" 2>"$SERVE_LOG"
	rc=$?
	cat "$WORK/out-$how.txt"
	[ $rc != 120 ] || skip "cannot make a TUN node for the test"
	[ $rc = 0 ] || fail "as nobody ($how): exit status $rc (91/92: ping to the gateway/the host failed)"
	grep -q "txqueuelen stays the kernel's" "$SERVE_LOG" || fail "($how) the txqueuelen note is missing"
	echo "ok   nobody ($how): TCP over IPv4 and IPv6, UDP, ping to the gateway and to the host"
done
SERVE_LOG=$WORK/relay-fwd.log
run_nobody "$GT" relay --dns none -t 80 -- true 2>"$SERVE_LOG"
rc=$?
[ $rc = 1 ] && grep -q -- '-t: 0.0.0.0:80: Permission denied' "$SERVE_LOG" || fail "-t 80 as nobody: exit $rc, $(cat "$SERVE_LOG")"
echo "ok   -t 80 as nobody: $(grep -- '-t:' "$SERVE_LOG")"
pass "the relay works without root, in its own user namespace and in the caller's"
