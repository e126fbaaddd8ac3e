#!/usr/bin/env bash
# A persistent TUN device (`ip tuntap add`, as docs/tun.md suggests) keeps
# the offloads TUNSETOFFLOAD gave it after the program closes it. A run with
# --offload must not leave TSO and checksum offload on for the next run
# without it: with no virtio-net header that run cannot know a checksum is
# partial, would drop every segment as corrupt and look dead. Checks, on one
# device kept across runs:
#  - a run with --offload, ended by SIGTERM: traffic flows; at exit the
#    device's offloads are back to what they were (off);
#  - a run with --offload, killed (SIGKILL): nothing could restore, the
#    device keeps checksum offload and TSO on;
#  - the run after it, without --offload, turns them off itself: curl
#    downloads intact, glasstcp counts no bad segment (InErrs 0).
. "$(dirname "$0")/lib.sh"
need curl python3
enter_netns "$@"

mkdir -p "$WORK/www"
head -c 1M /dev/urandom >"$WORK/www/f1M"

# The device's transmit checksum and TSO states, read with SIOCETHTOOL (no
# ethtool binary needed): "csum on tso on" and the like.
offloads() {
	python3 - "$1" <<'EOF'
import array, fcntl, socket, struct, sys
def get(cmd):
    val = array.array('I', [cmd, 0])
    ifr = struct.pack('16sP', sys.argv[1].encode(), val.buffer_info()[0])
    fcntl.ioctl(socket.socket(), 0x8946, ifr)   # SIOCETHTOOL
    return 'on' if val[1] else 'off'
print('csum', get(0x16), 'tso', get(0x1e))     # ETHTOOL_GTXCSUM, ETHTOOL_GTSO
EOF
}

download() {
	local out
	out=$(timeout 30 curl -sS --max-time "$2" -o "$WORK/got" -w '%{http_code}' \
		http://$GADDR/f1M 2>&1) || fail "$1: curl: $out"
	[ "$out" = 200 ] || fail "$1: HTTP $out"
	[ "$(sha "$WORK/got")" = "$(sha "$WORK/www/f1M")" ] || fail "$1: sha256 differs"
}

make_tun
[ "$(offloads gt0)" = "csum off tso off" ] || fail "a new device has offloads: $(offloads gt0)"

serve --http 80 "$WORK/www" --offload
[ "$(offloads gt0)" = "csum on tso on" ] || fail "--offload did not set them: $(offloads gt0)"
download "--offload" 20
serve_stop
[ "$(offloads gt0)" = "csum off tso off" ] ||
	fail "after a run with --offload the device keeps $(offloads gt0)"
echo "run 1 (--offload, SIGTERM): intact; the device's offloads put back: $(offloads gt0)"

serve --http 80 "$WORK/www" --offload
download "--offload, to be killed" 20
kill -KILL "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
[ "$(offloads gt0)" = "csum on tso on" ] ||
	fail "a killed run left $(offloads gt0), not the state this test means to check"
echo "run 2 (--offload, SIGKILL): intact; the device keeps $(offloads gt0)"

serve --http 80 "$WORK/www"
[ "$(offloads gt0)" = "csum off tso off" ] || fail "a run without --offload keeps $(offloads gt0)"
download "without --offload after a killed --offload run" 10
serve_stop
[ "$(counter InErrs)" = 0 ] || fail "glasstcp counted $(counter InErrs) bad segments (InErrs)"
pass "a persistent device: --offload's TSO and checksum offload put back at exit, and turned off by the next run without it"
