#!/usr/bin/env bash
# glasstcp relay's memory and flow limits, each hit and counted, with no
# flow harmed by it: --stack-mem (all the stack's buffers: 8 flows of 2 MB
# up and 1 MB down through 256 KiB arrive intact; the stack refuses
# allocations, StackBufLimitHit, and the relay makes the flow wait,
# StackMemWaits, instead of resetting it), small buffers everywhere
# (--chunk 16 KiB, 8 KiB host and stack buffers: the same 8 flows intact
# although the server takes them one at a time, so 7 wait with full
# buffers while one moves; the relay holds no bytes of its own that the
# waiting ones could fill), and
# --max-flows (a connection past it is not answered: its SYN is dropped and
# counted, FlowLimitHit, and the namespace's connect times out; the flows
# in the table are untouched). The test's private namespace (lib.sh) plays
# the host (relay_servers.py's PORT_SIZED on its loopback).
#
# Network safety: the only addresses used are the relayed namespace's
# (10.0.2.0/24) and the host namespace's loopback.
. "$(dirname "$0")/lib.sh"
need python3
enter_netns "$@"
HERE=$(cd "$(dirname "$0")" && pwd)

python3 "$HERE/relay_servers.py" "$WORK" >"$WORK/servers.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -f "$WORK/ready" ] && break; sleep 0.05; done
[ -f "$WORK/ready" ] || fail "the servers did not start: $(cat "$WORK/servers.log")"

cat >"$WORK/sized.py" <<'PY'
import hashlib, os, socket, struct, sys, threading
sys.path.insert(0, sys.argv[1])
import relay_common
from relay_common import pattern, report
res, lock = [], threading.Lock()
def one():
    d = os.urandom(2 << 20)
    s = socket.create_connection(("10.0.2.2", 9006), timeout=30)
    s.sendall(struct.pack(">Q", len(d)) + d)
    got = bytearray()
    while True:
        b = s.recv(65536)
        if not b:
            break
        got += b
    line, _, rest = bytes(got).partition(b"\n")
    with lock:
        res.append(line.decode() == "%s %d" % (hashlib.sha256(d).hexdigest(), len(d)) and rest == pattern(1 << 20))
ts = [threading.Thread(target=one) for _ in range(8)]
for t in ts: t.start()
for t in ts: t.join(60)
report(sum(res) == 8, "flows", "%d of 8 flows (2 MB up, 1 MB down) intact" % sum(res))
sys.exit(relay_common.failures)
PY
cat >"$WORK/maxflows.py" <<'PY'
import socket, sys, time
sys.path.insert(0, sys.argv[1])
import relay_common
from relay_common import report
held = [socket.create_connection(("10.0.2.2", 9006), timeout=5) for _ in range(4)]
s = socket.socket()
s.settimeout(1.5)
t0 = time.monotonic()
try:
    s.connect(("10.0.2.2", 9006))
    what = "connected"
except OSError as e:
    what = type(e).__name__
report(what in ("TimeoutError", "timeout"), "past_limit", "a 5th connection with 4 flows allowed: %s after %.1f s" % (what, time.monotonic() - t0))
ok = 0
for h in held:  # the 4 in the table still work: an empty upload's digest comes back
    h.sendall(b"\0" * 8)
    got = b""
    while b"\n" not in got:
        b = h.recv(100)
        if not b:
            break
        got += b
    ok += got.startswith(b"e3b0c44298fc1c149afbf4c8996fb924") and b" 0\n" in got
report(ok == 4, "held", "the 4 flows in the table answered")
sys.exit(relay_common.failures)
PY

SERVE_LOG=$WORK/relay1.log
# --profile after the buffer options: they still hold (the profile is
# applied first, wherever it is given).
rc=0; timeout 90 "$GT" relay --dns none --stack-mem 262144 --sndbuf 65536 --rcvbuf 65536 --profile linux -- \
	python3 "$WORK/sized.py" "$HERE" 2>"$SERVE_LOG" || rc=$?
[ $rc = 0 ] || fail "--stack-mem 256 KiB: $rc checks failed"
[ "$(relay_counter StackBufLimitHit)" -gt 0 ] && [ "$(relay_counter ResetsFromNs)" = 0 ] && [ "$(relay_counter ResetsFromHost)" = 0 ] ||
	fail "--stack-mem: StackBufLimitHit $(relay_counter StackBufLimitHit) (want > 0), resets $(relay_counter ResetsFromNs)/$(relay_counter ResetsFromHost) (want 0)"
echo "ok   stack-mem: 8 flows intact through 256 KiB of stack buffers; StackBufLimitHit $(relay_counter StackBufLimitHit), StackMemWaits $(relay_counter StackMemWaits), no resets"

SERVE_LOG=$WORK/relay2.log
rc=0; timeout 90 "$GT" relay --dns none --chunk 16384 --host-buf 8192 --sndbuf 8192 --rcvbuf 8192 -- \
	python3 "$WORK/sized.py" "$HERE" 2>"$SERVE_LOG" || rc=$?
[ $rc = 0 ] || fail "small buffers: $rc checks failed"
[ "$(relay_counter ResetsFromNs)" = 0 ] && [ "$(relay_counter ResetsFromHost)" = 0 ] || fail "small buffers: resets $(relay_counter ResetsFromNs)/$(relay_counter ResetsFromHost)"
echo "ok   small buffers: 8 flows intact through 16 KiB moves and 8 KiB buffers, one served at a time"

SERVE_LOG=$WORK/relay3.log
rc=0; timeout 60 "$GT" relay --dns none --max-flows 4 -- python3 "$WORK/maxflows.py" "$HERE" 2>"$SERVE_LOG" || rc=$?
[ $rc = 0 ] || fail "--max-flows 4: $rc checks failed"
[ "$(relay_counter FlowLimitHit)" -ge 1 ] && [ "$(relay_counter FlowsPeak)" = 4 ] || fail "--max-flows: FlowLimitHit $(relay_counter FlowLimitHit), FlowsPeak $(relay_counter FlowsPeak)"
echo "ok   max-flows: the 5th SYN dropped (FlowLimitHit $(relay_counter FlowLimitHit)), FlowsPeak 4"
pass "relay: --stack-mem and --max-flows hit and counted, small buffers, and no flow harmed"
