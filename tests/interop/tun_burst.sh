#!/usr/bin/env bash
# Many connections at once from the kernel's side (issue 13, "TUN bursts"):
# GT_BURST_N (1000, the issue's `ab -c 1000`) HTTP requests, each on a new
# connection, all SYNs sent within a few tens of milliseconds, against
# `glasstcp serve --http`. The
# kernel queues what it sends to the TUN reader in a ring of txqueuelen
# packets and drops (tx_dropped) what finds it full; Linux gives a TUN device
# 500, the runtime sets 10000 (--txqueuelen). Checks:
#  - bad --txqueuelen values are refused with a clear message (exit 2);
#  - with the default: `ip link` shows qlen 10000; every connection gets its
#    own file, intact, within 20 s; the kernel dropped nothing on the way to
#    glasstcp (tx_dropped 0) and retransmitted no SYN (both judged up to
#    1000 connections: below), glasstcp dropped no SYN;
#  - with --txqueuelen 0 (the device's 500 kept): every connection intact
#    still (what the kernel dropped is retransmitted); drops are printed,
#    not judged: they depend on the machine's speed;
#  - both times, the runtime's counters (SIGUSR1 and exit) name
#    TunKernelTxDropped and TunKernelRxDropped and agree with the device's
#    /sys/class/net/gt0/statistics (read from a sysfs mounted in a private
#    mount namespace: the one mounted outside shows the host's devices);
#  - a persistent device (`ip tuntap add`) gets --txqueuelen for the run and
#    its own length back at exit; --txqueuelen 0 leaves it as it is.
. "$(dirname "$0")/lib.sh"
need python3
enter_netns "$@"
N=${GT_BURST_N:-1000}

# One descriptor per connection in the client.
want_fds=$((N + 256))
if [ "$(ulimit -Sn)" != unlimited ] && [ "$(ulimit -Sn)" -lt $want_fds ]; then
	ulimit -Sn $want_fds 2>/dev/null || skip "open-files limit $(ulimit -Hn) is below $want_fds"
fi
unshare -m true 2>/dev/null || skip "unshare -m is not permitted here (sysfs of this namespace)"

# sysfs VALUE: /sys/class/net/gt0/VALUE as this network namespace sees it.
sysfs() {
	unshare -m sh -c "mount -t sysfs sysfs /sys && cat /sys/class/net/gt0/$1" ||
		fail "cannot read /sys/class/net/gt0/$1 in a private mount namespace"
}
# lib.sh's serve() starts glasstcp with its log truncated in the child, and
# may find the last run's "serve: ready" there first: empty it here, so that
# each run is waited for.
serve_fresh() { : >"$WORK/serve.log"; serve "$@"; }
qlen() { ip link show gt0 | grep -o 'qlen [0-9]*' | awk '{print $2}'; }
# tunctr NAME: the value in the last "tun:" line of the serve log.
tunctr() { grep '^tun:' "$SERVE_LOG" | tail -1 | grep -o "$1 [0-9]*" | awk '{print $2}'; }
# allctr NAME: from the --counters list at exit (absent = 0).
allctr() { awk -v n="$1" '$1==n{v=$2} END{print v+0}' "$SERVE_LOG"; }

# --- the option's values
for bad in -1 abc 1.5 1e4 1000001 ''; do
	out=$("$GT" serve --tun gt0 --addr $GADDR/24 --txqueuelen "$bad" --echo 7 2>&1)
	rc=$?
	[ $rc = 2 ] || fail "--txqueuelen '$bad': exit $rc, want 2 ($out)"
	grep -q -- "--txqueuelen wants a whole number of packets from 0 to 1000000" <<<"$out" ||
		fail "--txqueuelen '$bad': message '$out'"
done
"$GT" serve --help | grep -q -- '--txqueuelen N' || fail "serve --help does not list --txqueuelen"
echo "--txqueuelen: -1, abc, 1.5, 1e4, 1000001 and '' refused with the range named; --help lists it"

# --- the load: N files of 1000-1499 random bytes, one per connection
mkdir -p "$WORK/www"
python3 - "$WORK/www" "$N" <<'EOF'
import os, sys
for i in range(int(sys.argv[2])):
    with open(os.path.join(sys.argv[1], 'c%d' % i), 'wb') as f:
        f.write(os.urandom(1000 + i % 500))
EOF
cat >"$WORK/burst.py" <<'EOF'
# N non-blocking connects in one loop (the SYNs leave together), then on
# each: GET /c<i> with Connection: close, read to the server's FIN, compare
# with the file. Bounded by LIMIT seconds.
import errno, os, select, socket, sys, time
host, port, n, root, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
want = [open(os.path.join(root, 'c%d' % i), 'rb').read() for i in range(n)]
ep = select.epoll()
conns = {}
t0 = time.monotonic()
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    e = s.connect_ex((host, port))
    if e not in (0, errno.EINPROGRESS):
        sys.exit('connect %d: %s' % (i, os.strerror(e)))
    conns[s.fileno()] = {'s': s, 'i': i, 'got': [], 'up': False}
    ep.register(s.fileno(), select.EPOLLOUT)
syns_s = time.monotonic() - t0
ok = bad = slow = 0
conn_max = 0.0
def end(fd, c):
    ep.unregister(fd)
    c['s'].close()
    del conns[fd]
while conns and time.monotonic() - t0 < limit:
    for fd, ev in ep.poll(0.2):
        c = conns[fd]
        s, i = c['s'], c['i']
        if not c['up']:
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                print('connection %d: %s' % (i, os.strerror(err))); bad += 1; end(fd, c); continue
            t = time.monotonic() - t0
            conn_max = max(conn_max, t)
            slow += t > 0.9   # a SYN retransmitted (the first RTO is 1 s)
            s.send(b'GET /c%d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' % i)
            c['up'] = True
            ep.modify(fd, select.EPOLLIN)
            continue
        try:
            d = s.recv(65536)
        except OSError as e:
            print('connection %d: %s' % (i, e)); bad += 1; end(fd, c); continue
        if d:
            c['got'].append(d); continue
        end(fd, c)
        head, _, body = b''.join(c['got']).partition(b'\r\n\r\n')
        if head.startswith(b'HTTP/1.1 200') and body == want[i]:
            ok += 1
        else:
            print('connection %d: wrong answer (head %r, %d body bytes)' % (i, head[:40], len(body))); bad += 1
print('burst: %d of %d intact, %d failed, %d unfinished; SYNs sent in %.3f s, last connected at %.3f s, '
      '%d after 0.9 s; %.2f s in all' % (ok, n, bad, len(conns), syns_s, conn_max, slow, time.monotonic() - t0))
sys.exit(0 if ok == n else 1)
EOF

# The kernel's count of SYN retransmissions in this network namespace.
synretrans() {
	awk '$1=="TcpExt:" {if (!h) {split($0, k); h=1} else {split($0, v); for (i in k) if (k[i]=="TCPSynRetrans") print v[i]}}' \
		/proc/net/netstat
}

# burst LABEL: runs the load; fails unless every connection got its file.
# SYNRETRANS: the SYNs the kernel sent again meanwhile.
burst() {
	local s0
	s0=$(synretrans)
	timeout 40 python3 "$WORK/burst.py" $GADDR 80 "$N" "$WORK/www" 20 >"$WORK/burst.out" 2>&1 ||
		fail "$1: $(tail -5 "$WORK/burst.out")"
	sed "s/^/$1: /" "$WORK/burst.out"
	SYNRETRANS=$(($(synretrans) - s0))
}

# check_counters LABEL: the runtime's tun line (SIGUSR1 now) against /sys.
check_counters() {
	local tx0 rx0 tx1 rx1 lines
	tx0=$(sysfs statistics/tx_dropped); rx0=$(sysfs statistics/rx_dropped)
	lines=$(grep -c '^tun:' "$SERVE_LOG")
	kill -USR1 "$SERVE_PID"
	for _ in $(seq 100); do
		[ "$(grep -c '^tun:' "$SERVE_LOG")" -gt "$lines" ] && break
		sleep 0.05
	done
	[ "$(grep -c '^tun:' "$SERVE_LOG")" -gt "$lines" ] || fail "$1: no tun: counters line after SIGUSR1"
	tx1=$(sysfs statistics/tx_dropped); rx1=$(sysfs statistics/rx_dropped)
	[ "$tx0 $rx0" = "$tx1 $rx1" ] || fail "$1: the device still counting drops ($tx0 $rx0 -> $tx1 $rx1)"
	TXD=$(tunctr TunKernelTxDropped); RXD=$(tunctr TunKernelRxDropped)
	[ -n "$TXD" ] && [ -n "$RXD" ] || fail "$1: no TunKernelTxDropped/TunKernelRxDropped: $(grep '^tun:' "$SERVE_LOG" | tail -1)"
	# The device was made by this run: its totals are the drops since the start.
	[ "$TXD" = "$tx1" ] || fail "$1: TunKernelTxDropped $TXD, /sys tx_dropped $tx1"
	[ "$RXD" = "$rx1" ] || fail "$1: TunKernelRxDropped $RXD, /sys rx_dropped $rx1"
	grep '^tun:' "$SERVE_LOG" | tail -1 | grep -q "device totals tx_dropped $tx1 rx_dropped $rx1" ||
		fail "$1: device totals differ from /sys ($tx1, $rx1): $(grep '^tun:' "$SERVE_LOG" | tail -1)"
	echo "$1: TunKernelTxDropped $TXD, TunKernelRxDropped $RXD, as /sys says:"
	grep '^tun:' "$SERVE_LOG" | tail -1 | sed 's/^/    /'
	grep '^  the kernel dropped' "$SERVE_LOG" | tail -1 | sed 's/^/  /'
}

# --- the default: txqueuelen 10000, nothing dropped
serve_fresh --http 80 "$WORK/www" --counters
[ "$(qlen)" = 10000 ] || fail "ip link shows qlen $(qlen), want 10000"
[ "$(sysfs tx_queue_len)" = 10000 ] || fail "/sys tx_queue_len $(sysfs tx_queue_len), want 10000"
echo "default: ip link shows qlen 10000"
burst "txqueuelen 10000"
check_counters "txqueuelen 10000"
# Judged up to 1000 at once. A connection has at most a few packets waiting
# for glasstcp (a SYN; an ACK and the request; ACKs and a FIN) until the
# queue's delay passes the kernel's RTO (200 ms at least): then it resends,
# and every resent packet takes a slot too. 1000 leaves the ring room for
# that on a slow build: at 2000 every RelWithDebInfo run dropped nothing, but
# ASan runs on a busy 2 vCPU VM dropped 883 and 1806 in 2 of 5; at 5000 even
# RelWithDebInfo drops thousands (docs/tun.md). Above 1000 the drops are
# printed, not judged.
if [ "$N" -le 1000 ]; then
	[ "$TXD" = 0 ] || fail "txqueuelen 10000: the kernel dropped $TXD packets on the way to glasstcp"
	[ "$SYNRETRANS" = 0 ] || fail "txqueuelen 10000: the kernel retransmitted $SYNRETRANS SYNs"
fi
TXD_BIG=$TXD
serve_stop
[ "$(grep -c '^tun:' "$SERVE_LOG")" -ge 2 ] || fail "no tun: line at exit"
grep '^tun:' "$SERVE_LOG" | tail -1 | grep -q "^tun: TunKernelTxDropped $TXD, TunKernelRxDropped $RXD," ||
	fail "at exit: $(grep '^tun:' "$SERVE_LOG" | tail -1), want the drops of SIGUSR1's ($TXD, $RXD)"
for c in TcpSynDrops TcpListenOverflows; do
	[ "$(allctr $c)" = 0 ] || fail "txqueuelen 10000: glasstcp $c $(allctr $c)"
done
[ "$(allctr TcpPassiveOpens)" = "$N" ] || fail "PassiveOpens $(allctr TcpPassiveOpens), want $N"

# --- the device's own 500: drops counted and shown, every connection intact
serve_fresh --http 80 "$WORK/www" --txqueuelen 0
[ "$(qlen)" = 500 ] || fail "--txqueuelen 0: ip link shows qlen $(qlen), want Linux's 500"
burst "txqueuelen 500"
check_counters "txqueuelen 500"
if [ "$TXD" != 0 ]; then
	grep -q "the kernel dropped $TXD packets on their way to glasstcp" "$SERVE_LOG" ||
		fail "txqueuelen 500: $TXD drops and no line saying so"
fi
serve_stop

# --- a persistent device: the length for the run, its own back at exit
make_tun
[ "$(qlen)" = 500 ] || fail "ip tuntap add: qlen $(qlen)"
serve_fresh --echo 7 --txqueuelen 4000
[ "$(qlen)" = 4000 ] || fail "persistent device: qlen $(qlen) during the run, want 4000"
serve_stop
[ "$(qlen)" = 500 ] || fail "persistent device: qlen $(qlen) after the run, want 500 back"
serve_fresh --echo 7 --txqueuelen 0
[ "$(qlen)" = 500 ] || fail "persistent device, --txqueuelen 0: qlen $(qlen)"
serve_stop
echo "persistent device: qlen 4000 during the run, 500 again after it; --txqueuelen 0 left it"
pass "$N connections at once intact with txqueuelen 10000 ($TXD_BIG kernel drops) and 500 ($TXD dropped and retransmitted); drop counters agree with /sys"
