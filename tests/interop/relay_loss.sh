#!/usr/bin/env bash
# glasstcp relay with loss between the relay and the servers: nftables in
# the test's private namespace (lib.sh), which plays the host, drops a
# random 3% of the TCP segments to and from the server's port on its
# loopback (both directions; SYNs and FINs included). The drop is on the
# input hook, after the sender has sent: a drop on the output hook hands
# the sending socket -EPERM from its own transmit (__tcp_transmit_skb),
# and the kernel sends that segment again later without counting it as
# lost or as a retransmission (CI once saw 34 drops and no retransmission). Four flows at once
# each send 4 MB up, half-close, and get the server's digest of them and
# 4 MB back: every byte must arrive, the half-close must cross, and the
# loss must have happened (the rules' drop counters, the host kernel's
# retransmissions); FINs crossed 4 times each way, no resets.
#
# Network safety: the only addresses used are the relayed namespace's
# (10.0.2.0/24) and the host namespace's loopback; the nftables table is
# made in the test's own namespace and goes with it.
. "$(dirname "$0")/lib.sh"
need python3 nft nstat
enter_netns "$@"
HERE=$(cd "$(dirname "$0")" && pwd)
PCT=${RELAY_LOSS_PCT:-3}

nft -f - <<NFT || skip "nftables cannot make the loss rules here"
table inet gtloss {
	chain in {
		type filter hook input priority 0;
		iif lo tcp dport 9601 numgen random mod 100 < $PCT counter drop
		iif lo tcp sport 9601 numgen random mod 100 < $PCT counter drop
	}
}
NFT

cat >"$WORK/server.py" <<'PY'
import hashlib, os, socket, sys, threading
from relay_common import pattern
def one(c):
    h, n = hashlib.sha256(), 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        h.update(b); n += len(b)
    c.sendall(("%s %d\n" % (h.hexdigest(), n)).encode())
    c.sendall(pattern(4 << 20))
    c.close()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 9601))
s.listen(64)
open(os.path.join(sys.argv[1], "ready"), "w").close()
while True:
    c, _ = s.accept()
    threading.Thread(target=one, args=(c,), daemon=True).start()
PY
cat >"$WORK/client.py" <<'PY'
import hashlib, os, socket, sys, threading
sys.path.insert(0, sys.argv[1])
import relay_common
from relay_common import pattern, report
res = {}
def one(i):
    data = os.urandom(4 << 20)
    s = socket.create_connection(("10.0.2.2", 9601), timeout=60)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    got = bytearray()
    while True:
        b = s.recv(65536)
        if not b:
            break
        got += b
    s.close()
    line, _, rest = bytes(got).partition(b"\n")
    res[i] = (line.decode() == "%s %d" % (hashlib.sha256(data).hexdigest(), len(data)), rest == pattern(4 << 20), len(rest))
ts = [threading.Thread(target=one, args=(i,)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join(90)
for i in range(4):
    up, down, n = res.get(i, (False, False, 0))
    report(up and down, "flow%d" % i, "4 MB up %s, then our FIN; %d bytes down %s" % ("intact" if up else "WRONG", n, "intact" if down else "WRONG"))
sys.exit(relay_common.failures)
PY

PYTHONPATH=$HERE python3 "$WORK/server.py" "$WORK" >"$WORK/server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -f "$WORK/ready" ] && break; sleep 0.05; done
[ -f "$WORK/ready" ] || fail "the server did not start: $(cat "$WORK/server.log")"
nstat -n
SERVE_LOG=$WORK/relay.log
rc=0
timeout 150 env PYTHONPATH="$HERE" "$GT" relay --dns none -- python3 "$WORK/client.py" "$HERE" >"$WORK/ns.out" 2>"$SERVE_LOG" || rc=$?
cat "$WORK/ns.out"
[ $rc = 0 ] || fail "$rc flows failed (or the relay: exit $rc)"
drops=$(nft list table inet gtloss | grep -o 'packets [0-9]*' | awk '{s += $2} END {print s + 0}')
retrans=$(nstat -az TcpRetransSegs | awk '/TcpRetransSegs/ {print $2}')
[ "$drops" -gt 0 ] && [ "${retrans:-0}" -gt 0 ] || fail "no loss happened: $drops drops, $retrans retransmissions on the host"
st() { grep '^counters:' "$SERVE_LOG" | tail -1 | grep -o " $1 [0-9]*" | awk '{print $2}'; }
[ "$(relay_counter FinsFromNs)" = 4 ] && [ "$(relay_counter FinsFromHost)" = 4 ] && [ "$(relay_counter ResetsFromNs)" = 0 ] &&
	[ "$(relay_counter ResetsFromHost)" = 0 ] || fail "closes under loss: $(grep '^relay:' "$SERVE_LOG" | tail -1)"
echo "ok   loss: nftables dropped $drops segments between the relay and the server ($PCT% each way), the host kernel retransmitted $retrans; the namespace side: stack RetransSegs $(st RetransSegs); FINs 4 each way, no resets"
pass "relay: 4 x (4 MB up, half-close, 4 MB down) intact with ${PCT}% loss between the relay and the server"
