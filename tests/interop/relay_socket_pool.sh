#!/usr/bin/env bash
# glasstcp relay: host sockets made ahead at an idle moment (tcp_flow.c,
# pool_take()). socket() and its options (SO_LINGER, --loopback-cc,
# --host-buf, IP_RECVERR) were made between the device read of the
# namespace's SYN and the host connect(); now a socket of the SYN's kind
# is taken from a small pool that the loop fills when it has nothing else
# to do. Checked from the relay's own system calls (strace of the relay
# process only, in order): 12 connections one after another (connect, 1
# byte each way, close) to an echo server on the host's loopback, each
# followed by a connection to a closed port, each SYN after the first sent
# once the relay's counters say its pool holds a socket (SIGUSR1 listings:
# SocketsMadeAhead above SocketsTakenReady; a fixed 20 ms was waited before,
# which a relay slowed by strace, ASan and load may not be run in): from
# the third on, the host
# socket that a connect() uses was made before the device read that came
# just before that connect() (the SYN's), for all of them (before the
# change: for none); every refused connection is still refused, RST
# for the SYN (ECONNREFUSED at the client, never SYN-ACK then RST),
# within 1 s under strace and the relay's FlowsRefused counts each;
# every TCP socket the relay made, used or not, is closed before it exits;
# SocketsTakenReady counts the SYNs that got one.
#
# Network safety: the relayed namespace (10.0.2.0/24) and the loopback of
# the test's own namespace only.
. "$(dirname "$0")/lib.sh"
need python3 ss strace
enter_netns "$@"

echo_server_bg 9730

N=12
SERVE_LOG=$WORK/relay.log
# LeakSanitizer cannot run under ptrace: leak checking is off for this
# traced run only (as in relay_ack_hold.sh).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 90 strace -qq -o "$WORK/trace" \
	-e trace=socket,connect,read,close -e signal=none -s 0 \
	"$GT" relay --dns none -- python3 -c "
import os, re, signal, socket, sys, time
LOG = '$SERVE_LOG'
def pool_ready():
    # Waits for the relay's idle moment to have refilled its pool: asks for
    # its counters (SIGUSR1: a listing that ends with them) until
    # SocketsMadeAhead exceeds SocketsTakenReady (the pool's sockets, all
    # of one kind here: IPv4 to the loopback). 60 s at most; not ready then
    # fails: the relay never had an idle moment to make one.
    # Only whole lines count: the listing's counters line may still be
    # being written (its start is what wait_listing() counts).
    def lines():
        return [l for l in open(LOG).read().split(chr(10))[:-1] if l.startswith('relay: FlowsOpened ')]
    end = time.monotonic() + 60
    last = ''
    while time.monotonic() < end:
        before = len(lines())
        os.kill(os.getppid(), signal.SIGUSR1)
        while len(lines()) <= before and time.monotonic() < end:
            time.sleep(0.005)
        if len(lines()) <= before:
            break
        last = lines()[-1]
        c = dict((k, int(v)) for k, v in re.findall(r'(\w+) (\d+)', last))
        if c['SocketsMadeAhead'] > c['SocketsTakenReady']:
            return
        time.sleep(0.005)
    raise SystemExit('the relay made no socket ahead in 60 s: %s' % last)
for i in range($N):
    if i:
        pool_ready()
    s = socket.create_connection(('10.0.2.2', 9730), timeout=5)
    s.sendall(b'Q')
    assert s.recv(1) == b'Q'
    s.close()
    pool_ready()
    t = time.monotonic()
    try:
        socket.create_connection(('10.0.2.2', 9731), timeout=5)
        raise SystemExit('connection %d to a closed port was accepted' % i)
    except ConnectionRefusedError:
        pass
    dt = time.monotonic() - t
    assert dt < 1.0, 'refused after %.3f s' % dt" 2>"$SERVE_LOG" || fail "the relay or its command failed: exit $?"

python3 - "$WORK/trace" "$N" <<'PY' || fail "host sockets made on the SYN's path, or left open (above)"
import re, sys
n_conn = int(sys.argv[2])
made = {}        # fd -> index of the socket() that made it (TCP only)
last_read = -1   # index of the last read() that returned data
ahead = on_path = 0
connects = []
opened, closed = 0, 0
for i, ln in enumerate(open(sys.argv[1]).read().splitlines()):
    m = re.match(r'(\w+)\(([^,)]*)', ln)
    if not m or " = " not in ln:
        continue
    call, ret = m.group(1), ln.rsplit(" = ", 1)[1].split()[0]
    if call == "socket" and "SOCK_STREAM" in ln and ret.isdigit():
        made[int(ret)] = i
        opened += 1
    elif call == "read" and ret.isdigit() and int(ret) > 0:
        last_read = i
    elif call == "close" and m.group(2).isdigit() and int(m.group(2)) in made:
        del made[int(m.group(2))]
        closed += 1
    elif call == "connect" and m.group(2).isdigit() and int(m.group(2)) in made:
        fd = int(m.group(2))
        if connects and connects[-1][0] == made[fd]:
            continue  # the second connect() of the same socket (ConnectsAtOnce)
        connects.append((made[fd], made[fd] < last_read))
hosts = connects[2:]
ahead = sum(1 for _, a in hosts if a)
print("%d host connects; from the third on, made ahead of the SYN's read: %d of %d; "
      "TCP sockets made %d, closed %d, left open %d" % (len(connects), ahead, len(hosts), opened, closed, len(made)))
ok = len(connects) == 2 * n_conn and ahead == len(hosts) and not made
sys.exit(0 if ok else 1)
PY
taken=$(relay_counter SocketsTakenReady)
refused=$(relay_counter FlowsRefused)
[ "${refused:-0}" -eq $N ] || fail "FlowsRefused ${refused:-?}, want $N"
[ "${taken:-0}" -ge $((2 * N - 2)) ] || fail "SocketsTakenReady ${taken:-?}, want at least $((2 * N - 2))"
pass "host sockets made ahead (SocketsTakenReady $taken, SocketsMadeAhead $(relay_counter SocketsMadeAhead)); every closed port refused (FlowsRefused $refused)"
