# Shared by the interop tests: skip rules, the private network namespace,
# starting and stopping `glasstcp serve`, and checks. Sourced, not run.
#
# Network safety: every test re-runs itself inside a new network namespace
# (unshare -n) before it touches anything; the only addresses used are
# 10.200.0.1 (the kernel's side of the TUN device) and 10.200.0.2
# (glasstcp), both inside that namespace. Every wait is bounded by timeout.
set -u

GT=${GT:?path to the glasstcp binary}
KADDR=10.200.0.1
GADDR=10.200.0.2
NAME=$(basename "$0" .sh)

skip() { echo "SKIP $NAME: $*"; exit 77; }
fail() { echo "FAIL $NAME: $*"; [ -n "${SERVE_LOG:-}" ] && [ -f "$SERVE_LOG" ] && tail -20 "$SERVE_LOG"; exit 1; }
pass() { echo "ok   $NAME: $*"; }
need() { for t in "$@"; do command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"; done; }

# Re-executes the calling script in a fresh network namespace, once.
enter_netns() {
	if [ -z "${GT_IN_NETNS:-}" ]; then
		[ "$(id -u)" = 0 ] || skip "needs root (TUN devices and network namespaces)"
		[ -c /dev/net/tun ] || skip "no /dev/net/tun"
		need unshare ip timeout sha256sum
		unshare -n true 2>/dev/null || skip "unshare -n is not permitted here"
		GT_IN_NETNS=1 exec unshare -n -- bash "$0" "$@"
	fi
	ip link set lo up
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null || true
	sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
	WORK=$(mktemp -d /tmp/gt-interop.XXXXXX)
	trap cleanup EXIT
}

PIDS=()
cleanup() {
	for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}

# A TUN device made by the kernel side first, for tests where a kernel
# server must bind to 10.200.0.1 before glasstcp starts.
make_tun() {
	ip tuntap add dev gt0 mode tun || fail "ip tuntap add"
	ip addr add $KADDR/24 dev gt0 || fail "ip addr add"
	ip link set gt0 up || fail "ip link set up"
}

# serve ARGS...: starts `glasstcp serve` in the background (at most 200 s)
# and waits until it says ready.
serve() {
	SERVE_LOG=$WORK/serve.log
	# Emptied here, not only by the background job's redirection: the
	# loop below could otherwise read the previous run's "ready" first.
	: >"$SERVE_LOG"
	"$GT" serve --tun gt0 --addr $GADDR/24 --kernel-addr $KADDR/24 --time-limit 200 "$@" \
		>"$SERVE_LOG" 2>&1 &
	SERVE_PID=$!
	PIDS+=("$SERVE_PID")
	for _ in $(seq 100); do
		grep -q '^serve: ready' "$SERVE_LOG" 2>/dev/null && return 0
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.05
	done
	fail "glasstcp serve did not start: $(cat "$SERVE_LOG")"
}

# Stops the server with SIGTERM; it closes, prints counters, exits 0.
serve_stop() {
	kill -TERM "$SERVE_PID" 2>/dev/null
	local rc=0
	wait "$SERVE_PID" || rc=$?
	[ $rc = 0 ] || fail "glasstcp serve exited $rc"
}

# counter NAME: a value from the "counters:" line of the serve log.
counter() { grep '^counters:' "$SERVE_LOG" | grep -o "$1 [0-9]*" | head -1 | awk '{print $2}'; }

sha() { sha256sum "$1" | cut -d' ' -f1; }

# pcap_check FILE [FILTER [transport [kernel-csum]]]: tshark must find no malformed frame
# and no bad IP or TCP checksum (among the frames a display FILTER selects,
# if given). Skipped (not failed) without tshark.
#
# transport: only Ethernet, IP and TCP are judged, not what tshark makes of
# the payload. For a live capture, which may miss frames (the kernel drops
# what dumpcap cannot take in time on a loaded machine): when it misses the
# segment that carries an HTTP response's head, tshark parses the body's
# random bytes as HTTP header lines and flags some of those segments
# "Malformed Packet: HTTP", though every byte on the wire was right.
#
# One form is not counted bad in the kernel's frames (sources $KADDR, and
# $K6 where a test sets it): a TCP checksum 0xffff where 0x0000 was computed
# (tshark's tcp.checksum.ffff). Both are zero in one's complement and a
# receiver takes either (RFC 1624 3); Linux writes 0xffff when it completes
# a checksum in software (skb_checksum_help(): csum_fold() ?: CSUM_MANGLED_0),
# about one segment in 65,536. glasstcp's own frames are held to 0x0000,
# unless the fourth argument is kernel-csum: a capture taken after the
# kernel segmented glasstcp's GSO writes in software and completed their
# partial checksums (forwarded out of a device without checksum offload),
# where every frame's checksum is the kernel's. interop.tx_offload's
# forwarded capture failed once on one such frame (make test-asan in CI,
# session 29's stop: "TCP Checksum 0xffff instead of 0x0000 (see RFC
# 1624)", a 1514-byte segment of a GSO write, the peer's TcpInCsumErrors
# unchanged).
#
# In transport mode tshark does not reassemble TCP streams (TSHARK_SEG):
# nothing above TCP is judged there, and reassembling a capture's HTTP
# bodies was nearly all of tshark's CPU time (a 99 MB capture of three
# 30 MB downloads: 33.3 s user with it, 1.9 s without, the same fields
# out; /usr/bin/time tshark -r ... -T fields ...). At 33 s of CPU a loaded
# 2-core machine took longer than the timeout (343 s of wall time beside
# three busy loops), and interop.ipv6_offload ran past its 240 s (ASan
# build, ctest -R '^interop\.' -j2 beside three busy loops, 1 run of 2).
# tshark cut by its timeout fails the check: the frames it had not read
# were not judged.
TSHARK_SEG=(-o tcp.desegment_tcp_streams:FALSE)
pcap_check() {
	command -v tshark >/dev/null 2>&1 || { echo "note: tshark missing, $1 not checked"; return 0; }
	local res n bad rc=0 layers='.' seg=() anysrc=0
	[ "${4:-}" = kernel-csum ] && anysrc=1
	[ "${3:-}" = transport ] && layers='Malformed Packet: (Ethernet|IPv4|TCP)]' seg=("${TSHARK_SEG[@]}")
	timeout 120 tshark -r "$1" ${2:+-Y "$2"} "${seg[@]}" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
		-T fields -e frame.number -e _ws.malformed -e ip.checksum.status -e tcp.checksum.status \
		-e tcp.checksum.ffff -e ip.src -e ipv6.src >"$1.fields" 2>"$1.err" || rc=$?
	[ $rc -lt 124 ] || fail "tshark did not finish reading $1 in 120 s (exit $rc)"
	res=$(awk -F'\t' -v re="$layers" -v k4="$KADDR" -v k6="${K6:-}" -v any=$anysrc '
			{n++}
			$4=="0" && $5!="" && (any || $6==k4 || (k6!="" && $7==k6)) {next}
			($2!="" && $2~re) || $3=="0" || $4=="0" {b++}
			END{print n+0, b+0}' "$1.fields")
	read -r n bad <<<"$res"
	[ "$n" -gt 0 ] || fail "tshark read no frames from $1"
	# A capture stopped in the middle of a write ends in a partial record:
	# tshark says so and drops it, never reports it as a bad frame. Named
	# here so that a cut file is not mistaken for a clean one.
	if grep -q 'cut short' "$1.err"; then
		echo "note: $1 ends in a partial record (capture cut); the frames before it were judged"
	fi
	if [ "$bad" != 0 ]; then
		# Which frames, and what tshark says about them: a frame cut by the
		# capture (caplen < len) reads differently from one really bad.
		timeout 120 tshark -r "$1" ${2:+-Y "$2"} "${seg[@]}" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
			-T fields -e frame.number -e frame.len -e frame.cap_len -e _ws.malformed \
			-e ip.checksum.status -e tcp.checksum.status -e tcp.seq_raw -e tcp.len \
			-e _ws.expert.message 2>&1 |
			awk -F'\t' -v re="$layers" '($4!="" && $4~re) || $5=="0" || $6=="0"' | head -20
		fail "tshark: $bad malformed or bad-checksum frames in $1"
	fi
	echo "pcap $1${2:+ ($2)}: $n frames, none malformed${3:+ at IP or TCP}, no bad checksum"
}

# tshark_count FILE FILTER: COUNT = how many frames of FILE the display
# FILTER selects (frame and header fields only: no TCP reassembly,
# TSHARK_SEG); fails if tshark does not finish in 60 s, rather than count
# a part.
tshark_count() {
	local out rc=0
	out=$(timeout 60 tshark -r "$1" "${TSHARK_SEG[@]}" -Y "$2" -T fields -e frame.number 2>/dev/null) || rc=$?
	[ $rc -lt 124 ] || fail "tshark did not finish counting '$2' in $1 in 60 s (exit $rc)"
	COUNT=0
	[ -z "$out" ] || COUNT=$(wc -l <<<"$out")
}

# A router topology in the test's own namespace (R): namespaces K
# (10.201.0.1, via kv0/kv1) and P (10.202.0.2, via pv0/pv1), each held by a
# sleep of $1 seconds (bounded: the test is done long before), routed
# through R with forwarding on. Defines K, P, inK and inP. Used by
# bench/loss_floor.sh and interop.impair_bridge.
router_kp() {
	unshare -n -- sleep "$1" & K=$!
	unshare -n -- sleep "$1" & P=$!
	PIDS+=("$K" "$P")
	local self
	self=$(readlink /proc/self/ns/net)
	for _ in $(seq 100); do
		[ "$(readlink /proc/$K/ns/net)" != "$self" ] && [ "$(readlink /proc/$P/ns/net)" != "$self" ] && break
		sleep 0.02
	done
	inK() { nsenter -t "$K" -n -- "$@"; }
	inP() { nsenter -t "$P" -n -- "$@"; }
	ip link add kv1 type veth peer name kv0 netns "$K" || fail "veth R-K"
	ip link add pv1 type veth peer name pv0 netns "$P" || fail "veth R-P"
	ip addr add 10.201.0.2/24 dev kv1 && ip link set kv1 up || fail "kv1"
	ip addr add 10.202.0.1/24 dev pv1 && ip link set pv1 up || fail "pv1"
	inK sh -c 'ip link set lo up; ip addr add 10.201.0.1/24 dev kv0; ip link set kv0 up; ip route add default via 10.201.0.2' || fail "ns K"
	inP sh -c 'ip link set lo up; ip addr add 10.202.0.2/24 dev pv0; ip link set pv0 up; ip route add default via 10.202.0.1' || fail "ns P"
	sysctl -qw net.ipv4.ip_forward=1 || fail "ip_forward"
}

# ---- Shared by the offload tests (tx_offload, ipv6_offload, tx_offload_mss) ----

# What a log of `serve --offload` (default $SERVE_LOG) or `send --offload` counts.
gso_writes() { grep -o '[0-9]* GSO writes out' "${1:-$SERVE_LOG}" | awk '{print $1}'; }
tso_in() { grep -o '[0-9]* TSO super-segments in' "${1:-$SERVE_LOG}" | awk '{print $1}'; }

# tcp_csum_errors [PID]: the kernel's TcpInCsumErrors, in PID's network
# namespace if given.
tcp_csum_errors() {
	${1:+nsenter -t "$1" -n --} nstat -az TcpInCsumErrors | awk '$1=="TcpInCsumErrors"{print $2}'
}

# fetch_in PID URL WANT [CURL_ARGS...]: downloads URL (at most 60 s), in
# PID's network namespace unless PID is empty; fails unless the answer is
# 200 with WANT's bytes; prints the rate.
fetch_in() {
	local ns=$1 url=$2 want=$3 out
	shift 3
	out=$(${ns:+nsenter -t "$ns" -n --} timeout 60 curl "$@" -sS --max-time 50 -o "$WORK/got" \
		-w '%{http_code} %{speed_download}' "$url") || fail "curl $* $url: $out"
	[ "${out%% *}" = 200 ] || fail "curl $* $url: HTTP ${out%% *}"
	[ "$(sha "$WORK/got")" = "$(sha "$want")" ] || fail "curl $* $url: sha256 differs"
	echo "curl $*${*:+ }$url${ns:+ (from the peer)}: intact," \
		"$(awk -v b="${out#* }" 'BEGIN{printf "%.0f Mbit/s", b*8/1e6}')"
}

# send_offload_echo KERNEL_ADDR GT_ADDR/LEN FILE: `glasstcp send --offload`
# over gt0 (made by the caller, KERNEL_ADDR on it) of FILE to a kernel echo
# (socat) on KERNEL_ADDR port 7007; fails unless the reply is FILE's bytes
# and the send wrote GSO writes, whose count it prints and leaves in
# SEND_GSO_WRITES.
send_offload_echo() {
	local k=$1 listen="TCP-LISTEN:7007,bind=$1" at="$1:7007" sw
	case $k in *:*) listen="TCP6-LISTEN:7007,bind=[$k]" at="[$k]:7007" ;; esac
	timeout 60 socat "$listen,reuseaddr" EXEC:cat &
	PIDS+=("$!")
	for _ in $(seq 100); do ss -tln | grep -qF -e "$k:7007" -e "$k]:7007" && break; sleep 0.05; done
	timeout 60 "$GT" send "$k" 7007 --tun gt0 --addr "$2" --offload \
		<"$3" >"$WORK/s.out" 2>"$WORK/send.err" || fail "send: $(cat "$WORK/send.err")"
	[ "$(sha "$WORK/s.out")" = "$(sha "$3")" ] || fail "send to $k: reply differs"
	sw=$(gso_writes "$WORK/send.err")
	[ "${sw:-0}" -gt 0 ] || fail "send to $k: no GSO write ($(grep offload: "$WORK/send.err"))"
	echo "send $(wc -c <"$3") bytes to $at through a kernel echo: intact, $sw GSO writes"
	# shellcheck disable=SC2034 # read by the caller
	SEND_GSO_WRITES=$sw
}

# offload_peer: a second namespace (PEER, held by a bounded sleep; inpeer
# runs a command there) joined to this one by a veth, v0 here and v1 there,
# the caller giving them addresses. Transmit checksumming is off on v0
# (ETHTOOL_STXCSUM, no ethtool binary needed; TSO and SG go with it): the
# kernel cuts a GSO write it forwards out v0 in software and completes each
# checksum from the partial sum the writer left, so the peer's TCP verifies
# every segment glasstcp's writes became.
offload_peer() {
	unshare -n sleep 200 &
	PEER=$!
	PIDS+=("$PEER")
	wait_netns "$PEER"
	inpeer() { nsenter -t $PEER -n "$@"; }
	ip link add v0 type veth peer name v1 netns $PEER || fail "veth"
	python3 - <<'PYEOF' || fail "cannot turn transmit checksumming off on v0"
import array, fcntl, socket, struct
val = array.array('I', [0x17, 0])            # ETHTOOL_STXCSUM, data 0
ifr = struct.pack('16sP', b'v0', val.buffer_info()[0])
fcntl.ioctl(socket.socket(), 0x8946, ifr)    # SIOCETHTOOL
PYEOF
}

# peer_capture_start FILE: tshark captures on v1 in PEER into FILE (at most
# 60 s); CAP is its pid, empty without tshark. PEER_PCAP is FILE and
# PEER_CSUM0 the peer's TcpInCsumErrors, read once the capture runs, for
# peer_capture_check.
peer_capture_start() {
	CAP=""
	PEER_PCAP=$1
	command -v tshark >/dev/null 2>&1 || { PEER_CSUM0=$(tcp_csum_errors $PEER); return 0; }
	# Not through inpeer(): $! must be timeout itself, which passes SIGINT on.
	# -B 32: a 32 MiB kernel buffer; with the default 2 MiB a loaded
	# machine drops a quarter of the frames before dumpcap reads them,
	# and those go unchecked.
	nsenter -t $PEER -n timeout 60 tshark -B 32 -i v1 -w "$1" >"$WORK/tshark.log" 2>&1 &
	CAP=$!
	PIDS+=("$CAP")
	# Ready once dumpcap has opened v1: tshark prints "Capturing on" before
	# it even starts dumpcap, so that line is no sign (CI, the ASan build
	# with other tests beside it: the download ended before the capture
	# began, "1 packet captured"). dumpcap writes the file's header after
	# it opened the interface, and tshark then says "Capture started".
	for _ in $(seq 600); do
		{ [ -s "$1" ] || grep -q 'Capture started' "$WORK/tshark.log"; } && break
		kill -0 "$CAP" 2>/dev/null || fail "tshark ended before capturing: $(cat "$WORK/tshark.log")"
		sleep 0.05
	done
	[ -s "$1" ] || grep -q 'Capture started' "$WORK/tshark.log" ||
		fail "tshark did not start capturing on v1 in 30 s: $(cat "$WORK/tshark.log")"
	PEER_CSUM0=$(tcp_csum_errors $PEER)
}

# peer_capture_stop: ends the capture (timeout passes SIGINT on; tshark
# closes its file) and prints what it captured and dropped.
peer_capture_stop() {
	[ -n "$CAP" ] || return 0
	sleep 0.5
	kill -INT "$CAP" 2>/dev/null
	wait "$CAP" 2>/dev/null
	grep -iE 'captured|dropped' "$WORK/tshark.log"
}

# peer_capture_check SRC BIG WHAT: the checks the offload tests make of the
# kernel's software segmentation of glasstcp's GSO writes, forwarded to
# PEER (offload_peer) while peer_capture_start captured there. Stops the
# capture, then fails if the peer's TCP counted a checksum error since
# peer_capture_start (read after the capture ends, so that the peer's count
# and tshark judge the same segments: the FINs and ACKs of serve_stop's
# close too); where tshark captured (CAP), if a frame the display filter
# SRC selects (glasstcp's segments as the kernel cut them: the peer's own
# ACKs leave with partial checksums, v1 offloads them) is malformed at IP
# or TCP or has a bad checksum (pcap_check's transport and kernel-csum
# modes), or if any frame the display filter BIG selects reached the peer
# (WHAT names them in the message: "packets over the MTU").
peer_capture_check() {
	local after
	peer_capture_stop
	after=$(tcp_csum_errors $PEER)
	[ "$PEER_CSUM0" = "$after" ] || fail "the peer counted $((after - PEER_CSUM0)) TCP checksum errors"
	[ -n "$CAP" ] || return 0
	pcap_check "$PEER_PCAP" "$1" transport kernel-csum
	tshark_count "$PEER_PCAP" "$2"
	[ "$COUNT" = 0 ] || fail "$COUNT $3 reached the peer"
}

# ---- Shared by the relay tests (relay_*.sh) ----

# relay_counter NAME: a counter from the relay's last "relay:" line in
# $SERVE_LOG (the counters it prints when it exits).
relay_counter() { grep '^relay:' "$SERVE_LOG" | tail -1 | grep -o " $1 [0-9]*" | awk '{print $2}'; }

# ipv6_on [ADDR]: IPv6 back on in the test's namespace (enter_netns turns
# it off), or skip without it in the kernel; with ADDR, the host's loopback
# gets that address as a global address of the host's (nodad: at once).
ipv6_on() {
	[ -d /proc/sys/net/ipv6 ] || skip "no IPv6 in this kernel"
	sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 \
		net.ipv6.conf.lo.disable_ipv6=0
	[ -z "${1:-}" ] || ip addr add "$1/128" dev lo nodad || fail "cannot give lo $1"
}

# ping_sockets_on: the relay's unprivileged ping sockets need its group in
# net.ipv4.ping_group_range (per namespace: this one's).
ping_sockets_on() {
	sysctl -qw net.ipv4.ping_group_range="0 2147483647" || skip "cannot set net.ipv4.ping_group_range"
}

# wait_netns PID [COMM]: returns once PID, just started as `unshare -n
# ...`, is in its own network namespace (/proc/PID/ns/net names the new
# one, not this one) and, with COMM, has exec'd COMM (what its shell set
# up in the namespace first is done); fails after 2 s.
wait_netns() {
	local self ns
	self=$(readlink /proc/self/ns/net)
	for _ in $(seq 100); do
		ns=$(readlink "/proc/$1/ns/net" 2>/dev/null) || fail "process $1 ended before its namespace was ready"
		[ "$ns" != "$self" ] && { [ -z "${2:-}" ] || [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; } && return 0
		sleep 0.02
	done
	fail "process $1: no namespace of its own${2:+ running $2} after 2 s"
}

# peer_ns HOST_IF PEER_IF: a third namespace of the test's (held by a sleep,
# $RNS, ended at exit) joined to this one by a veth, HOST_IF here and
# PEER_IF there, both still down and without addresses; its lo up. in_peer
# CMD... runs CMD in it.
peer_ns() {
	unshare -n sleep infinity &
	RNS=$!
	PIDS+=("$RNS")
	wait_netns "$RNS"
	ip link add "$1" type veth peer name "$2" netns /proc/$RNS/ns/net || fail "no veth"
	in_peer ip link set lo up || fail "the peer namespace's lo"
}
in_peer() { nsenter --net=/proc/$RNS/ns/net "$@"; }

# relay_router: a router beyond the relay's host (peer_ns; its name R in the
# tests), on a veth gtr-h (198.18.0.1, this namespace) <-> gtr-r
# (198.18.0.2), RFC 2544's benchmark range. This namespace routes
# 203.0.113.0/24 (TEST-NET-3) to R; R forwards, sends no redirects, answers
# every error at once (no ICMP rate limit: its per-peer burst of 6 would
# drop some of a test's), has no route for 203.0.113.0/26, an unreachable
# route for 203.0.113.64/26 and a route back to this namespace for
# 203.0.113.128/25. With IPv6 in the kernel (V6=1): 2001:db8:ff::1 <-> ::2,
# 2001:db8:1::/48 routed to R, which has no route for 2001:db8:1::/49 and
# one back for 2001:db8:1:8000::/49. Returns once R answers ping. Nothing
# leaves these namespaces.
relay_router() {
	peer_ns gtr-h gtr-r
	ip addr add 198.18.0.1/24 dev gtr-h && ip link set gtr-h up || fail "veth setup"
	ip route add 203.0.113.0/24 via 198.18.0.2 || fail "route"
	in_peer sh -c '
		ip addr add 198.18.0.2/24 dev gtr-r && ip link set gtr-r up
		sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.gtr-r.send_redirects=0
		sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=100000
		ip route add unreachable 203.0.113.64/26
		ip route add 203.0.113.128/25 via 198.18.0.1' || fail "router setup"
	V6=
	if [ -d /proc/sys/net/ipv6 ]; then
		sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.gtr-h.disable_ipv6=0 &&
		ip addr add 2001:db8:ff::1/64 dev gtr-h nodad &&
		ip route add 2001:db8:1::/48 via 2001:db8:ff::2 &&
		in_peer sh -c '
			ip addr add 2001:db8:ff::2/64 dev gtr-r nodad
			sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.icmp.ratelimit=0
			ip route add 2001:db8:1:8000::/49 via 2001:db8:ff::1' && V6=1
		[ -n "$V6" ] || fail "IPv6 router setup"
		for _ in $(seq 30); do ping -6 -c1 -W1 2001:db8:ff::2 >/dev/null 2>&1 && break; sleep 0.1; done
	fi
	for _ in $(seq 30); do ping -c1 -W1 198.18.0.2 >/dev/null 2>&1 && break; sleep 0.1; done
	ping -c1 -W2 198.18.0.2 >/dev/null || fail "the router does not answer from the host"
}

# A threaded echo server on 127.0.0.1:PORT in the background (each read of
# up to 100 bytes written back, until the client's EOF; a reset ends that
# connection quietly); returns once it listens. The relay tests' host side.
echo_server_bg() {
	python3 -c "
import socket, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(64)
def serve(c):
    try:
        while True:
            b = c.recv(100)
            if not b:
                break
            c.sendall(b)
    except OSError:
        pass
    c.close()
while True:
    c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()" "$1" &
	PIDS+=($!)
	for _ in $(seq 100); do ss -Htln | grep -q "127.0.0.1:$1 " && break; sleep 0.05; done
}

# The namespace side of the relay tests' echo runs, as a python3 -c
# script: N connections to 10.0.2.2:PORT one after another, each one byte
# out, its echo back, then close.
echo_clients_py() {
	printf '%s\n' "import socket" \
		"for i in range($2):" \
		"    s = socket.create_connection(('10.0.2.2', $1), timeout=5)" \
		"    s.sendall(b'Q')" \
		"    assert s.recv(1) == b'Q'" \
		"    s.close()"
}
