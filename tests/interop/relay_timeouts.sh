#!/usr/bin/env bash
# glasstcp relay's TCP idle timeout and keepalive. The test's private
# namespace (lib.sh) plays the host, with an echo server on its loopback.
#   --idle-timeout-ms 600: of two flows, the one that stays quiet 1.5 s is
#     reset on both sides (the namespace's recv fails with ECONNRESET, the
#     server's too; IdleTimeouts 1) and the one that talks every 200 ms is
#     not.
#   --keepalive 1,1,2: after the flow is up, nftables drops everything
#     between the relay and the server (a far end that vanished): the
#     relay's host socket gives up after its probes go unanswered (1 s idle
#     + 2 x 1 s) and the namespace's connection is reset within 8 s; the
#     stack's own probes to the namespace, which answers them, are counted.
#
# Network safety: the only addresses used are the relayed namespace's
# (10.0.2.0/24) and the host namespace's loopback; the nftables table is
# the test namespace's own.
. "$(dirname "$0")/lib.sh"
need python3 nft
enter_netns "$@"

cat >"$WORK/echo.py" <<'PY'
import os, socket, sys, threading
out = sys.argv[1]
def one(c, port):
    what = "eof"
    try:
        while True:
            b = c.recv(4096)
            if not b:
                break
            c.sendall(b)
    except ConnectionResetError:
        what = "reset"
    except OSError as e:
        what = type(e).__name__
    c.close()
    with open(os.path.join(out, "ended.%d" % port), "a") as f:
        f.write(what + "\n")
def serve(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=one, args=(c, port), daemon=True).start()
for p in (9701, 9702):
    threading.Thread(target=serve, args=(p,), daemon=True).start()
open(os.path.join(out, "ready"), "w").close()
threading.Event().wait()
PY
cat >"$WORK/idle.py" <<'PY'
import socket, sys, threading, time
res = {}
def quiet():
    s = socket.create_connection(("10.0.2.2", 9701), timeout=10)
    s.sendall(b"a"); s.recv(10)
    time.sleep(1.5)
    try:
        s.sendall(b"b")
        res["quiet"] = "answered %r" % s.recv(10)
    except OSError as e:
        res["quiet"] = type(e).__name__
def busy():
    s = socket.create_connection(("10.0.2.2", 9701), timeout=10)
    ok = 0
    for i in range(8):
        s.sendall(b"x"); ok += s.recv(10) == b"x"
        time.sleep(0.2)
    s.shutdown(socket.SHUT_WR)
    eof = s.recv(10) == b""  # the server's FIN: the flow ends cleanly
    s.close()
    res["busy"] = "%d of 8 echoed%s" % (ok, ", then closed" if eof else "")
ts = [threading.Thread(target=quiet), threading.Thread(target=busy)]
for t in ts: t.start()
for t in ts: t.join(20)
print("quiet: %s; busy: %s" % (res.get("quiet"), res.get("busy")))
sys.exit(0 if res.get("quiet") == "ConnectionResetError" and res.get("busy") == "8 of 8 echoed, then closed" else 1)
PY
cat >"$WORK/ka.py" <<'PY'
import os, socket, sys, time
out = sys.argv[1]
s = socket.create_connection(("10.0.2.2", 9702), timeout=10)
s.sendall(b"a"); s.recv(10)
open(os.path.join(out, "ka_up"), "w").close()
s.settimeout(12)
t0 = time.monotonic()
try:
    b = s.recv(10)
    what = "EOF" if not b else "data"
except OSError as e:
    what = type(e).__name__
dt = time.monotonic() - t0
print("keepalive: %s after %.1f s" % (what, dt))
sys.exit(0 if what == "ConnectionResetError" and dt < 8 else 1)
PY

python3 "$WORK/echo.py" "$WORK" >"$WORK/echo.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -f "$WORK/ready" ] && break; sleep 0.05; done
[ -f "$WORK/ready" ] || fail "the echo server did not start: $(cat "$WORK/echo.log")"
cnt() { grep '^relay:' "$SERVE_LOG" | tail -1 | grep -o " $1 [0-9]*" | awk '{print $2}'; }

SERVE_LOG=$WORK/relay1.log
rc=0; timeout 60 "$GT" relay --dns none --idle-timeout-ms 600 -- python3 "$WORK/idle.py" >"$WORK/idle.out" 2>"$SERVE_LOG" || rc=$?
[ $rc = 0 ] || fail "idle timeout: $(cat "$WORK/idle.out")"
[ "$(cnt IdleTimeouts)" = 1 ] || fail "IdleTimeouts $(cnt IdleTimeouts), want 1"
for _ in $(seq 40); do grep -q reset "$WORK/ended.9701" 2>/dev/null && break; sleep 0.05; done
grep -q reset "$WORK/ended.9701" || fail "the server did not see the idle flow reset: $(cat "$WORK/ended.9701" 2>/dev/null)"
echo "ok   idle: $(cat "$WORK/idle.out"); the server saw: $(sort "$WORK/ended.9701" | uniq -c | tr -s ' \n' ' ')(IdleTimeouts 1)"

SERVE_LOG=$WORK/relay2.log
"$GT" relay --dns none --keepalive 1,1,2 -- python3 "$WORK/ka.py" "$WORK" >"$WORK/ka.out" 2>"$SERVE_LOG" &
RLP=$!
PIDS+=($RLP)
for _ in $(seq 100); do [ -f "$WORK/ka_up" ] && break; sleep 0.05; done
[ -f "$WORK/ka_up" ] || fail "the keepalive flow did not start: $(cat "$WORK/ka.out")"
nft -f - <<NFT || skip "nftables cannot drop here"
table inet gtka {
	chain out {
		type filter hook output priority 0;
		oif lo tcp dport 9702 counter drop
		oif lo tcp sport 9702 counter drop
	}
}
NFT
rc=0; wait $RLP || rc=$?
[ $rc = 0 ] || fail "keepalive: $(cat "$WORK/ka.out") $(grep -oE '(ResetsFromHost|StackKeepAlive[A-Za-z]+) [0-9]+' "$SERVE_LOG" | tr '\n' ' ')"
probes=$(nft list table inet gtka | grep -o 'packets [0-9]*' | awk '{s += $2} END {print s + 0}')
[ "$probes" -ge 2 ] || fail "nftables dropped $probes packets: the relay's probes did not go out"
[ "$(cnt ResetsFromHost)" = 1 ] && [ "$(cnt StackKeepAliveProbes)" -ge 1 ] ||
	fail "ResetsFromHost $(cnt ResetsFromHost) (want 1), StackKeepAliveProbes $(cnt StackKeepAliveProbes) (want >= 1)"
echo "ok   keepalive: $(cat "$WORK/ka.out"); $probes unanswered probes dropped on the host; the stack's probes to the namespace $(cnt StackKeepAliveProbes), answered (StackKeepAliveAborts $(cnt StackKeepAliveAborts))"
pass "relay: --idle-timeout-ms resets a quiet flow only, --keepalive ends a flow whose far end vanished"
