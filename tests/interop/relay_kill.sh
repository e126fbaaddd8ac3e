#!/usr/bin/env bash
# glasstcp relay killed (SIGKILL) in the middle of transfers: nothing may
# stay stuck on the host. The test's private namespace (lib.sh) plays the
# host: one server streams to every client without end, one reads from
# every client without end. The relay's COMMAND opens 4 flows of each and
# keeps them busy. After SIGKILL the kernel closes the relay's host sockets
# as for any killed process, and each close must be an RST: a download's
# socket holds unread bytes (RFC 1122 4.2.2.13), and an upload's has
# SO_LINGER {1,0} set until the namespace's FIN is passed on, so that a
# cut-off upload does not reach the server as a clean EOF. Checked within
# 5 s: every server connection ended with ECONNRESET, no socket of these
# flows left on the host in any state (TIME-WAIT included), and the COMMAND
# gone too (the relay made it with PR_SET_PDEATHSIG).
#
# Network safety: the only addresses used are the relayed namespace's
# (10.0.2.0/24) and the host namespace's loopback.
. "$(dirname "$0")/lib.sh"
need python3 ss
enter_netns "$@"
FLOWS=4

cat >"$WORK/servers.py" <<'PY'
import os, socket, sys, threading
out = sys.argv[1]
lock = threading.Lock()
def log(what):
    with lock:
        with open(os.path.join(out, "ended"), "a") as f:
            f.write(what + "\n")
def source(c):
    try:
        while True:
            c.sendall(b"d" * 65536)
    except OSError as e:
        log("down " + type(e).__name__)
def sink(c):
    try:
        while c.recv(65536):
            pass
        log("up EOF")
    except OSError as e:
        log("up " + type(e).__name__)
    c.close()
def serve(port, fn):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)
    while True:
        c, _ = s.accept()
        threading.Thread(target=fn, args=(c,), daemon=True).start()
threading.Thread(target=serve, args=(9201, source), daemon=True).start()
threading.Thread(target=serve, args=(9202, sink), daemon=True).start()
open(os.path.join(out, "ready"), "w").close()
threading.Event().wait()
PY
cat >"$WORK/client.py" <<'PY'
import os, socket, sys, threading, time
out, n = sys.argv[1], int(sys.argv[2])
open(os.path.join(out, "client.pid"), "w").write(str(os.getpid()))
moved = [0] * (2 * n)
def down(i):
    s = socket.create_connection(("10.0.2.2", 9201), timeout=30)
    while True:
        moved[i] += len(s.recv(65536))
def up(i):
    s = socket.create_connection(("10.0.2.2", 9202), timeout=30)
    while True:
        s.sendall(b"u" * 65536)
        moved[i] += 65536
for i in range(n):
    threading.Thread(target=down, args=(i,), daemon=True).start()
    threading.Thread(target=up, args=(n + i,), daemon=True).start()
while min(moved) < (1 << 20):  # every flow has carried a megabyte
    time.sleep(0.02)
open(os.path.join(out, "running"), "w").close()
time.sleep(120)
PY

python3 "$WORK/servers.py" "$WORK" >"$WORK/servers.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -f "$WORK/ready" ] && break; sleep 0.05; done
[ -f "$WORK/ready" ] || fail "the servers did not start: $(cat "$WORK/servers.log")"

SERVE_LOG=$WORK/relay.log
"$GT" relay --dns none --time-limit 100 -- python3 "$WORK/client.py" "$WORK" $FLOWS >"$WORK/client.log" 2>"$SERVE_LOG" &
RLP=$!
PIDS+=($RLP)
for _ in $(seq 300); do [ -f "$WORK/running" ] && break; sleep 0.05; done
[ -f "$WORK/running" ] || fail "the flows did not start: $(cat "$WORK/client.log")"
flows() { ss -Htan '( sport = :9201 or dport = :9201 or sport = :9202 or dport = :9202 )' | grep -v '^LISTEN'; }
n=$(flows | grep -c '^ESTAB')
[ "$n" = $((4 * FLOWS)) ] || fail "want $((4 * FLOWS)) established sockets (both ends of $((2 * FLOWS)) flows), ss shows $n: $(flows)"
echo "ok   running: $((2 * FLOWS)) flows, each past 1 MB, $n established sockets on the host"

kill -KILL $RLP
wait $RLP 2>/dev/null
t0=$(date +%s%N)
for _ in $(seq 100); do
	left=$(flows | wc -l)
	ended=$(wc -l <"$WORK/ended" 2>/dev/null || echo 0)
	[ "$left" = 0 ] && [ "$ended" = $((2 * FLOWS)) ] && break
	sleep 0.05
done
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$left" = 0 ] || fail "5 s after SIGKILL the host still has: $(flows)"
[ "$ended" = $((2 * FLOWS)) ] || fail "only $ended of $((2 * FLOWS)) server connections ended: $(cat "$WORK/ended")"
resets=$(grep -c 'ConnectionResetError' "$WORK/ended")
[ "$resets" = $((2 * FLOWS)) ] || fail "every server connection should end with a reset: $(sort "$WORK/ended" | uniq -c)"
echo "ok   killed: within $ms ms every server connection ended with a reset ($(sort "$WORK/ended" | uniq -c | awk '{printf "%s %s %s; ", $1, $2, $3}')), no socket of the flows left on the host"
cpid=$(cat "$WORK/client.pid")
for _ in $(seq 100); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.05; done
kill -0 "$cpid" 2>/dev/null && { kill -KILL "$cpid"; fail "the COMMAND outlived the relay"; }
echo "ok   command: gone with the relay"
pass "relay killed mid-transfer: the host's side of every flow ended within a bounded time"
