#!/usr/bin/env bash
# Goodput under loss and reordering, glasstcp against the Linux kernel on the
# same path in the same run, as a ratio. Three network namespaces made here:
#
#   K (kernel, 10.201.0.1) --veth-- R (router) --TUN gt0-- glasstcp 10.200.0.2
#                                    R          --veth-- P (kernel, 10.202.0.2)
#
# K talks to glasstcp (over TUN) and, as the anchor, to the kernel in P (over
# veth), with the same tool: curl in K downloading from `glasstcp serve
# --http` / from a sendfile HTTP server in P (glasstcp sends), or the server
# in K sending to `glasstcp get` / to curl in P (glasstcp receives). R drops
# forwarded TCP with nftables `numgen random mod 100 < P` both ways, for both
# paths alike: a drop between hosts, because Linux TCP takes a drop on its
# own output hook as a local send error, not a loss (it sends again at once).
# GSO/TSO/GRO off on every veth (GT_LOSS_VETH_GSO=1: GSO on), MTU 1500. Checksums like for like: a veth
# keeps checksum offload (tx-checksumming on, ethtool -k), so the kernel's
# path computes and checks no TCP checksum at all; glasstcp runs with
# --offload --no-tso, which gives its TUN device the same (partial checksums
# both ways, taken as valid) and MSS-sized segments both ways, as the veths
# have. Without it the kernel summed every segment it wrote to the TUN device
# and glasstcp summed it again, and the reverse for glasstcp's own.
# Reordering: glasstcp's fault wrapper on glasstcp's path, and the same fault
# injector on the kernel's path: `glasstcp impair` between two TUN devices in
# R (ia, ib), where policy routing sends K<->P traffic through them.
# Not a test: prints conditions and a table, never fails on numbers; exits
# non-zero only when a transfer could not run at all.
# Run as root: bench/loss_vs_kernel.sh [path/to/glasstcp]  (default build/glasstcp)
#   GT_LOSS_BYTES (100000000)  GT_LOSS_LIMIT_S (120, per transfer)
#   GT_LOSS_RATES ("0 1 5 20") GT_LOSS_REORDER (5; 0 = none) GT_LOSS_SEED (1)
#   GT_LOSS_DIRS ("send recv": glasstcp sending, glasstcp receiving)
#   GT_LOSS_GT_OPTS ("--offload --no-tso": options for glasstcp serve/get;
#   "" runs the TUN device without a virtio-net header: software checksums)
#   GT_LOSS_SAME_BUFS (1: glasstcp is given the kernel receiver's own tcp_rmem
#   with --sysctl, so both receivers may grow their buffers and windows as
#   far; 0: glasstcp's Linux profile default, tcp_rmem[2] 6 MiB. tcp_wmem[2]
#   is 4 MiB on both unless this machine changed the kernel's: printed)
#   GT_LOSS_CC (cubic, Linux's default and loss-based like glasstcp; "" = this
#   machine's default, which may be bbr: it shrugs off random loss)
#   GT_LOSS_PCAP=DIR  a capture (headers, 128 bytes a packet) of each row on
#   K's veth, both paths alike: K is the kernel end that talks to glasstcp and
#   to P, so one capture sees both from the same side (DIR/DIR-COND.pcap; the
#   kernel's transfer is host 10.202.0.2, glasstcp's host 10.200.0.2)
#   GT_LOSS_SS=DIR  the kernel sender's view of each row: `ss -tin` of K's
#   and P's TCP sockets every 5 ms while the row runs (DIR/DIR-COND.inK.ss and .inP.ss, each
#   sample after a line `@ SECONDS`): cwnd, ssthresh, rtt/minrtt, and the
#   sender's busy / rwnd_limited / sndbuf_limited times (cumulative)
#   With bench/perf_stat_glasstcp.sh as the binary, each row also says
#   glasstcp's CPU time for the transfer (less load-sensitive than Mbit/s).
#   GT_LOSS_PIN (or LVK_PIN): pin with taskset. 1 = senders on CPU 0, receivers
#   on CPU 1; S:R = senders on CPU list S, receivers on R (e.g. 0:0, 0:1, 0-1:1).
#   Senders: the python servers in K and P, glasstcp serve; receivers: curl,
#   glasstcp get. The kernel's own softirq work (a sender's output clocked by
#   an ACK, the forwarding in R) runs on whichever CPU raised it: not pinned.
#   Unset or 0: nothing pinned (the scheduler places them)
#   GT_LOSS_RPS=MASK  RPS (rps_cpus, a hex CPU mask) on the two devices where
#   the receivers' ACKs enter R, gt0 and pv1: the kernel sender's work that an
#   ACK clocks (its ACK processing, its next segments, their forwarding) then
#   runs in softirq on those CPUs, not on the CPU of the task that wrote the
#   ACK (glasstcp's runtime on its path). Unset: no RPS, as the kernel's default
#   GT_LOSS_VETH_GSO=1  GSO on every veth (TSO and GRO stay off): the kernel
#   sender in P then builds skbs of up to 64 KB that pv0 cuts into segments in
#   software as it sends them, before R. Meant for 0% loss with
#   GT_LOSS_GT_OPTS=--offload (TSO: glasstcp writes super-frames of up to 64
#   KB to gt0, which R cuts as it sends them on kv1, gso on): both senders
#   then hand their kernel one buffer for many segments. Not like for like
#   under loss: R's nftables rule sees a whole super-frame on glasstcp's path
#   (one drop takes every segment of it) and single segments on the kernel's.
#   Unset: GSO off everywhere, so both senders go through their kernel one
#   segment at a time (glasstcp with --no-tso)
#   GT_LOSS_NSTAT=REGEX  after each row, K's and P's TcpExt counters that moved
#   during each path's transfer and match REGEX (e.g. 'Reord|DSACK|Retrans|OFO'),
#   glasstcp's own counters (--counters) that match it, and its TunReadToWrite line
set -u
GT=$(realpath "${1:-build/glasstcp}")
BYTES=${GT_LOSS_BYTES:-100000000}
LIMIT_S=${GT_LOSS_LIMIT_S:-120}
RATES=${GT_LOSS_RATES:-"0 1 5 20"}
REORDER=${GT_LOSS_REORDER:-5}
SEED=${GT_LOSS_SEED:-1}
DIRS=${GT_LOSS_DIRS:-"send recv"}
GT_OPTS=${GT_LOSS_GT_OPTS---offload --no-tso}
CC=${GT_LOSS_CC-cubic}
SAME_BUFS=${GT_LOSS_SAME_BUFS:-1}
PIN=${GT_LOSS_PIN:-${LVK_PIN:-0}}
PS=() PR=() # taskset prefixes: senders, receivers
case $PIN in
0 | "") PIN= ;;
1) PIN=0:1 ;;
esac
if [ -n "$PIN" ]; then
	[[ $PIN =~ ^[0-9,-]+:[0-9,-]+$ ]] || { echo "loss_vs_kernel: GT_LOSS_PIN wants 0, 1 or S:R (CPU lists), got '$PIN'"; exit 1; }
	PS=(taskset -c "${PIN%%:*}") PR=(taskset -c "${PIN##*:}")
fi

HERE=$(cd "$(dirname "$0")" && pwd) # bench/, for sendfile_server.py
if [ -z "${GT_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "loss_vs_kernel: needs root (TUN, namespaces, nftables)"; exit 1; }
	[ -x "$GT" ] || { echo "loss_vs_kernel: no glasstcp binary at $GT"; exit 1; }
	for t in unshare nsenter ip nft ethtool nstat curl python3 timeout ${PIN:+taskset}; do
		command -v $t >/dev/null || { echo "loss_vs_kernel: $t is not installed"; exit 1; }
	done
	# The binary does not know its commit: name the tree's, and say whether the
	# binary is older than the last commit to the code it is built from.
	cd "$(dirname "$0")" || exit 1
	code=$(git log -1 --format='%h %ct' -- ../src ../include ../runtime ../tools 2>/dev/null)
	COMMIT="tree at $(git rev-parse --short HEAD 2>/dev/null || echo '?'), last code commit ${code%% *}"
	if [ -n "$code" ] && [ "$(stat -c %Y "$GT")" -lt "${code##* }" ]; then
		COMMIT="$COMMIT, but the binary ($(date -r "$GT" '+%F %T')) is OLDER than that commit: rebuild it"
	fi
	git diff --quiet HEAD -- ../src ../include ../runtime ../tools 2>/dev/null || COMMIT="$COMMIT, uncommitted code changes"
	cd - >/dev/null || exit 1
	GT_COMMIT=$COMMIT GT_IN_NETNS=1 exec unshare -n -- bash "$0" "$GT"
fi

# --- namespaces: this one is R; K and P are held by a sleep each ----------
# tests/interop/lib.sh for router_kp (its fail() ends the run as die() does;
# its cleanup() is replaced by this script's own below).
. "$HERE/../tests/interop/lib.sh"
W=$(mktemp -d /tmp/gt-lossbench.XXXXXX)
HOLD_S=$((LIMIT_S * 30 + 600)) # outlives every run; ends them if we are killed
cleanup() {
	impair_off
	# A job started as `inK CMD &` is a subshell whose child (nsenter, which
	# execs CMD) would outlive a kill of the job alone: the children first.
	for p in $(jobs -p); do pkill -TERM -P "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "${GT_LOSS_KEEP:-}" ] && echo "work files kept in $W" || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip link set lo up
IMPAIR_PID=
impair_on() { # glasstcp impair between ia and ib, K<->P routed through it
	"$GT" impair --tun ia --tun ib --reorder "$REORDER" --seed "$SEED" >"$W/impair.log" 2>&1 &
	IMPAIR_PID=$!
	for _ in $(seq 100); do grep -qs ready "$W/impair.log" && break; sleep 0.05; done  # -s: the file may not exist yet
	grep -q ready "$W/impair.log" || die "glasstcp impair did not start: $(cat "$W/impair.log")"
	for d in all ia ib kv1 pv1; do sysctl -qw net.ipv4.conf.$d.rp_filter=0; done
	ip rule del iif kv1 to 10.202.0.0/24 lookup 100 2>/dev/null
	ip rule del iif pv1 to 10.201.0.0/24 lookup 101 2>/dev/null
	ip route replace 10.202.0.0/24 dev ia table 100 && ip rule add iif kv1 to 10.202.0.0/24 lookup 100 &&
		ip route replace 10.201.0.0/24 dev ib table 101 && ip rule add iif pv1 to 10.201.0.0/24 lookup 101 ||
		die "policy routing through ia/ib"
}
impair_off() {
	[ -n "${IMPAIR_PID:-}" ] || return 0
	ip rule del iif kv1 to 10.202.0.0/24 lookup 100 2>/dev/null
	ip rule del iif pv1 to 10.201.0.0/24 lookup 101 2>/dev/null
	kill -TERM "$IMPAIR_PID" 2>/dev/null; wait "$IMPAIR_PID" 2>/dev/null
	IMPAIR_PID=
	IMPAIR_SEEN="kernel path through glasstcp impair: $(grep -o 'reordered [0-9]*' "$W/impair.log" | awk '{s+=$2} END{print s+0}') reordered"
}
# K and P, held by a sleep each and routed through R with forwarding on:
# router_kp (tests/interop/lib.sh), as bench/loss_floor.sh and
# interop.impair_bridge build them.
router_kp "$HOLD_S"
die() { echo "loss_vs_kernel: $*"; exit 1; }
for ns in "" inK inP; do
	$ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
done
VGSO=off
[ "${GT_LOSS_VETH_GSO:-0}" = 1 ] && VGSO=on
ethtool -K kv1 gso $VGSO tso off gro off && ethtool -K pv1 gso $VGSO tso off gro off &&
	inK ethtool -K kv0 gso $VGSO tso off gro off && inP ethtool -K pv0 gso $VGSO tso off gro off ||
	die "ethtool -K: offloads could not be turned off"
ip tuntap add dev gt0 mode tun && ip addr add 10.200.0.1/24 dev gt0 && ip link set gt0 up || die "TUN gt0"
if [ -n "${GT_LOSS_RPS:-}" ]; then
	# sysfs shows the network namespace it was mounted in: a private mount.
	unshare -m bash -c "mount -t sysfs sysfs /sys && echo $GT_LOSS_RPS >/sys/class/net/gt0/queues/rx-0/rps_cpus &&
		echo $GT_LOSS_RPS >/sys/class/net/pv1/queues/rx-0/rps_cpus" || die "GT_LOSS_RPS: rps_cpus of gt0 and pv1"
fi
nft add table inet gtloss && nft add chain inet gtloss lossy '{ type filter hook forward priority 0; }' ||
	die "nftables"

# The kernel receiver in P autotunes up to its namespace's tcp_rmem[2];
# glasstcp gets the same limit (or its profile's).
GT_BUFS=()
[ "$SAME_BUFS" = 1 ] && GT_BUFS=(--sysctl "net.ipv4.tcp_rmem=$(inP sysctl -n net.ipv4.tcp_rmem)")
mkdir -p "$W/www"
truncate -s "$BYTES" "$W/www/f" # sparse: no disk, served as zeros

# The kernel's side: bench/sendfile_server.py, one per sending namespace, with
# the congestion control set per socket (it prints the one in effect).
inP "${PS[@]}" timeout $HOLD_S python3 "$HERE/sendfile_server.py" 10.202.0.2 8080 "$W/www" "$CC" >"$W/srvP.log" 2>&1 &
inK "${PS[@]}" timeout $HOLD_S python3 "$HERE/sendfile_server.py" 10.201.0.1 8080 "$W/www" "$CC" >"$W/srvK.log" 2>&1 &
for _ in $(seq 100); do
	inP ss -tln | grep -q 10.202.0.2:8080 && inK ss -tln | grep -q 10.201.0.1:8080 && break
	sleep 0.05
done

set_loss() { # PCT: the rule on every forwarded TCP packet, both ways, both paths
	nft flush chain inet gtloss lossy
	[ "$1" = 0 ] || nft add rule inet gtloss lossy meta l4proto tcp numgen random mod 100 \< "$1" counter drop
}
nst() { "$@" nstat -asz 2>/dev/null | awk 'NR > 1 {print $1, $2}'; }
nst_diff() { # BEFORE AFTER: the counters that moved and match GT_LOSS_NSTAT
	join "$1" "$2" | awk -v re="$GT_LOSS_NSTAT" '$3 != $2 && $1 ~ re {printf " %s %d", $1, $3 - $2}'
}
nst_mark() { # TAG: snapshots of K's and P's counters
	[ -n "${GT_LOSS_NSTAT:-}" ] || return 0
	nst inK | sort >"$W/nsK.$1"; nst inP | sort >"$W/nsP.$1"
}
NST_LINES=
nst_note() { # PATH A B: the moves between snapshots A and B
	[ -n "${GT_LOSS_NSTAT:-}" ] || return 0
	NST_LINES="$NST_LINES    $1 path, K:$(nst_diff "$W/nsK.$2" "$W/nsK.$3"); P:$(nst_diff "$W/nsP.$2" "$W/nsP.$3")
"
}
gt_note() { # LOG: glasstcp's CPU time (bench/perf_stat_glasstcp.sh as the binary), its own counters that match GT_LOSS_NSTAT, and its read-to-write line
	local cpu
	cpu=$(awk -F, '$3 == "task-clock" {printf "%.0f ms", $1} $3 == "user_time" && $1 ~ /^[0-9]+$/ {printf " (user %.0f ms", $1 / 1e6}
		$3 == "system_time" && $1 ~ /^[0-9]+$/ {printf ", system %.0f ms)", $1 / 1e6}
		$3 == "raw_syscalls:sys_enter" && $1 ~ /^[0-9]+$/ {printf ", %d system calls", $1}' "$1")
	[ -z "$cpu" ] || NST_LINES="$NST_LINES    glasstcp's CPU time (perf stat task-clock): $cpu
"
	[ -n "${GT_LOSS_NSTAT:-}" ] || return 0
	NST_LINES="$NST_LINES    glasstcp's own:$(awk -v re="$GT_LOSS_NSTAT" 'NF >= 2 && $1 ~ re && $2 ~ /^[0-9]+$/ {printf " %s %s", $1, $2}' "$1")
$(grep -h '^  TunReadToWrite' "$1" | sed 's/^/  /')
"
}
CAP_PID=
cap_on() { # NAME: capture K's veth while one transfer runs
	[ -n "${GT_LOSS_PCAP:-}" ] || return 0
	mkdir -p "$GT_LOSS_PCAP"
	# dumpcap says its own PID (exec keeps it): $! is the subshell that runs
	# the namespace function, and a TERM to it alone left dumpcap writing
	# the next row's packets into this row's file until K went away.
	inK bash -c 'echo $$ >"$0"; exec dumpcap -q -i kv0 -s 128 -f tcp -w "$1"' "$W/dumpcap.pid" \
		"$GT_LOSS_PCAP/$1.pcap" >"$W/dumpcap.log" 2>&1 &
	CAP_PID=$!
	for _ in $(seq 100); do [ -s "$GT_LOSS_PCAP/$1.pcap" ] && break; sleep 0.05; done
}
SS_PID=
ss_on() { # NAME: K's and P's sockets every 5 ms while one row runs
	[ -n "${GT_LOSS_SS:-}" ] || return 0
	mkdir -p "$GT_LOSS_SS"
	local ns
	# $! is the subshell that runs the namespace function, not the loop
	# under nsenter: killed alone, it left the loop running for good,
	# holding the bench lock's descriptor (flock), so each loop says its
	# own PID.
	for ns in inK inP; do
		$ns bash -c 'echo $$ >"$0"; while :; do echo "@ $(date +%s.%N)"; ss -tin state established; sleep 0.005; done' \
			"$W/ss.$ns.pid" >"$GT_LOSS_SS/$1.$ns.ss" 2>&1 &
		SS_PID="$SS_PID $!"
	done
	for _ in $(seq 100); do [ -s "$W/ss.inK.pid" ] && [ -s "$W/ss.inP.pid" ] && break; sleep 0.01; done
}
ss_off() {
	[ -n "$SS_PID" ] || return 0
	local p
	for p in $(cat "$W/ss.inK.pid" "$W/ss.inP.pid" 2>/dev/null); do kill "$p" 2>/dev/null; done
	rm -f "$W/ss.inK.pid" "$W/ss.inP.pid"
	for p in $SS_PID; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	SS_PID=
}
cap_off() {
	[ -n "$CAP_PID" ] || return 0
	sleep 0.2
	[ -s "$W/dumpcap.pid" ] && kill -TERM "$(cat "$W/dumpcap.pid")" 2>/dev/null
	rm -f "$W/dumpcap.pid"
	kill -TERM "$CAP_PID" 2>/dev/null; wait "$CAP_PID" 2>/dev/null; CAP_PID=
	grep -i 'drop' "$W/dumpcap.log" | sed 's/^/  capture: /'
}
rtos() { "$@" nstat -asz TcpExtTCPTimeouts 2>/dev/null | awk '$1=="TcpExtTCPTimeouts"{print $2}'; }
gt_rtos() { awk '$1=="TcpTimeouts"{v=$2} END{print v+0}' "$1"; }
mbit() { awk -v b="$1" -v t="$2" 'BEGIN{ if (t > 0) printf "%.1f", b*8/t/1e6; else print "?" }'; }

# curl NS URL: sets R_ok (done/timeout/fail), R_mbit, R_note; goodput from
# the connection's establishment (a lost SYN's 1 s is not the transfer's).
curl_run() {
	local out rc code size tc tt
	out=$($1 "${PR[@]}" timeout $((LIMIT_S + 15)) curl -s -o /dev/null --max-time "$LIMIT_S" \
		-w '%{http_code} %{size_download} %{time_connect} %{time_total}' "$2")
	rc=$?
	read -r code size tc tt <<<"$out"
	R_mbit=$(mbit "${size:-0}" "$(awk -v a="${tc:-0}" -v b="${tt:-0}" 'BEGIN{print b-a}')")
	if [ $rc = 0 ] && [ "$code" = 200 ] && [ "$size" = "$BYTES" ]; then R_ok=done; R_note=
	elif [ $rc = 28 ] || [ $rc = 124 ]; then R_ok=timeout; R_note="${size:-0} of $BYTES bytes in ${LIMIT_S} s"
	else R_ok=fail; R_note="curl rc $rc, HTTP ${code:-?}, ${size:-0} bytes"; fi
}

# One transfer on each path. Sets G_* (glasstcp path) and A_* (anchor).
run_send() { # glasstcp sends: curl in K from glasstcp's --http / from P
	local faults=$1 log=$W/serve.log k0 p0 k1 p1
	k0=$(rtos inK); p0=$(rtos inP)
	nst_mark a0
	curl_run inK http://10.202.0.2:8080/f
	nst_mark a1; nst_note kernel a0 a1
	A_ok=$R_ok A_mbit=$R_mbit A_note=$R_note
	k1=$(rtos inK); p1=$(rtos inP)
	A_rto="$((p1 - p0))/$((k1 - k0))"
	# Started twice at most: after a transfer cut by its time limit, a start
	# has been seen to end at once with nothing printed (cause not known yet).
	local pid t0=$SECONDS try rc=0
	for try in 1 2; do
		"${PS[@]}" "$GT" serve --tun gt0 --addr 10.200.0.2/24 --http 80 "$W/www" --counters --grace-ms 300 $GT_OPTS "${GT_BUFS[@]}" \
			--time-limit $((LIMIT_S + 30)) $faults >"$log" 2>&1 &
		pid=$!
		for _ in $(seq 200); do grep -q '^serve: ready' "$log" && break; kill -0 $pid 2>/dev/null || break; sleep 0.05; done
		grep -q '^serve: ready' "$log" && break
		kill $pid 2>/dev/null; wait $pid; rc=$?
		cp "$log" "$log.try$try"
		sleep 1
	done
	if ! grep -q '^serve: ready' "$log"; then
		G_ok=fail G_mbit=? G_rto=?
		G_note="serve not ready after $((SECONDS - t0)) s, twice (status $rc): $(tr '\n' ' ' <"$log" | cut -c1-300)"
		return
	fi
	[ -f "$log.try1" ] && G_note_start="serve's first start failed (status $rc: $(tr '\n' ' ' <"$log.try1" | cut -c1-200)); " && rm -f "$log.try1"
	k0=$(rtos inK)
	nst_mark g0
	curl_run inK http://10.200.0.2/f
	nst_mark g1; nst_note glasstcp g0 g1
	G_ok=$R_ok G_mbit=$R_mbit G_note="${G_note_start:-}$R_note"
	G_note_start=
	kill -TERM $pid; wait $pid
	k1=$(rtos inK)
	G_rto="$(gt_rtos "$log")/$((k1 - k0))"
	gt_note "$log"
	faults_seen "$log"
}

run_recv() { # glasstcp receives: the server in K sends to glasstcp get / to curl in P
	local faults=$1 log=$W/get.log k0 p0 k1 p1 rc line t
	k0=$(rtos inK); p0=$(rtos inP)
	nst_mark a0
	curl_run inP http://10.201.0.1:8080/f
	nst_mark a1; nst_note kernel a0 a1
	A_ok=$R_ok A_mbit=$R_mbit A_note=$R_note
	k1=$(rtos inK); p1=$(rtos inP)
	A_rto="$((k1 - k0))/$((p1 - p0))"
	k0=$(rtos inK)
	nst_mark g0
	"${PR[@]}" timeout $((LIMIT_S + 30)) "$GT" get http://10.201.0.1:8080/f -o /dev/null --tun gt0 $GT_OPTS "${GT_BUFS[@]}" \
		--addr 10.200.0.2/24 --counters --time-limit "$LIMIT_S" $faults 2>"$log"
	rc=$?
	nst_mark g1; nst_note glasstcp g0 g1
	k1=$(rtos inK)
	G_rto="$((k1 - k0))/$(gt_rtos "$log")"
	line=$(grep -m1 '^glasstcp get' "$log")
	if [ $rc = 0 ]; then
		t=$(sed -n 's/.* out in \([0-9.]*\) s .*/\1/p' <<<"$line")
		G_ok=done G_mbit=$(mbit "$BYTES" "${t:-0}") G_note=
	elif grep -q 'time limit' <<<"$line"; then
		G_ok=timeout G_mbit=? G_note="$(grep -o '[0-9]* bytes in' <<<"$line") (head included) in ${LIMIT_S} s"
	else
		G_ok=fail G_mbit=? G_note="get rc $rc: ${line:-$(head -2 "$log" | tr '\n' ' ')}"
	fi
	gt_note "$log"
	faults_seen "$log"
}

faults_seen() { # the fault wrapper's reorder counts, from its exit report
	FAULTS_SEEN="reordered by glasstcp's wrapper: $(grep '^  faults in' "$1" | grep -o '[0-9]* reordered' | cut -d' ' -f1) in,"
	FAULTS_SEEN="$FAULTS_SEEN $(grep '^  faults out' "$1" | grep -o '[0-9]* reordered' | cut -d' ' -f1) out"
}
cell() { [ "$1" = done ] && echo "$2" || echo "$1"; }
ratio() { # G_ok G_mbit A_ok A_mbit
	if [ "$1" = done ] && [ "$3" = done ]; then awk -v g="$2" -v a="$4" 'BEGIN{ if (a > 0) printf "%.3f", g/a; else print "?" }'
	elif [ "$1" = timeout ] && [ "$3" = done ]; then
		awk -v b="$BYTES" -v l="$LIMIT_S" -v a="$4" 'BEGIN{ printf "<%.3f", b*8/l/1e6/a }'
	else echo "-"; fi
}

echo "conditions: $(uname -r), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  glasstcp $GT (${GT_COMMIT:-commit unknown}), options: ${GT_OPTS:-none}, MTU 1500; kernel TCP cc ${CC:-$(inP sysctl -n net.ipv4.tcp_congestion_control) (default)} (set per socket by the kernel senders; the one in effect is checked below), veth GSO $VGSO, TSO/GRO off"
if [ ${#GT_BUFS[@]} -gt 0 ]; then
	echo "  buffers: the kernel receiver's tcp_rmem $(inP sysctl -n net.ipv4.tcp_rmem | tr '\t' ' '), glasstcp given the same (--sysctl); the kernel sender's tcp_wmem $(inK sysctl -n net.ipv4.tcp_wmem | tr '\t' ' '), glasstcp's tcp_wmem[2] 4 MiB"
else
	echo "  buffers: the kernel's tcp_rmem $(inP sysctl -n net.ipv4.tcp_rmem | tr '\t' ' '), tcp_wmem $(inK sysctl -n net.ipv4.tcp_wmem | tr '\t' ' '); glasstcp its Linux profile's (tcp_rmem[2] 6 MiB, tcp_wmem[2] 4 MiB; GT_LOSS_SAME_BUFS=0)"
fi
if [ -n "$PIN" ]; then
	echo "  pinned (taskset): senders (python servers, glasstcp serve) on CPU ${PIN%%:*}, receivers (curl, glasstcp get) on CPU ${PIN##*:}; softirq work where it is raised"
else
	echo "  not pinned (GT_LOSS_PIN unset): the scheduler places every process"
fi
[ -n "${GT_LOSS_RPS:-}" ] && echo "  RPS: rps_cpus $GT_LOSS_RPS on gt0 and pv1 (the receivers' ACKs into R)"
echo "  $BYTES bytes per transfer, one connection, at most ${LIMIT_S} s each (curl --max-time / get --time-limit)"
echo "  loss: nftables in R, 'meta l4proto tcp numgen random mod 100 < P drop' on forwarded packets, both directions, both paths (not seedable)"
echo "  reordering ${REORDER}%: glasstcp's fault injector (--reorder $REORDER --seed $SEED: a packet held 5 ms, both directions) on both paths: glasstcp's own wrapper, and glasstcp impair between two TUN devices in R for the kernel's (K<->P policy-routed through them)"
echo "  send: glasstcp serve --http -> curl in K  vs  python sendfile server in P -> curl in K"
echo "  recv: python sendfile server in K -> glasstcp get  vs  the same server -> curl in P"
echo "  goodput: body bytes / time from connection established to the last byte (Mbit/s); RTOs: sender/receiver"
echo "    of each path (glasstcp: TcpTimeouts from --counters; kernel: nstat TcpExtTCPTimeouts in its namespace)"
echo
printf '%-4s %-12s %12s %12s %8s  %-14s %-14s %s\n' dir condition "glasstcp" "kernel" ratio "RTOs gt path" "RTOs k path" notes
printf '%-4s %-12s %12s %12s %8s  %-14s %-14s %s\n' "" "" "Mbit/s" "Mbit/s" "gt/k" "" "" ""
could_not_run=0
for dir in $DIRS; do
	conds=$RATES
	[ "$REORDER" != 0 ] && conds="$conds reorder"
	for c in $conds; do
		FAULTS_SEEN=
		if [ "$c" = reorder ]; then
			set_loss 0
			impair_on
			faults="--reorder $REORDER --seed $SEED"
			label="reorder ${REORDER}%"
		else
			set_loss "$c"
			faults=
			label="loss ${c}%"
		fi
		NST_LINES=
		cap_on "$dir-$c"
		ss_on "$dir-$c"
		run_$dir "$faults" "$c"
		ss_off
		cap_off
		IMPAIR_SEEN=
		[ "$c" = reorder ] && impair_off
		dropped=$(nft list chain inet gtloss lossy | grep -o 'packets [0-9]*' | awk '{s+=$2} END{print s+0}')
		note=
		[ -n "$A_note" ] && note="kernel: $A_note; "
		[ -n "$G_note" ] && note="${note}glasstcp: $G_note; "
		[ "$c" = reorder ] && note="${note}${FAULTS_SEEN}; ${IMPAIR_SEEN}"
		[ "$c" != reorder ] && [ "$c" != 0 ] && note="${note}nft dropped $dropped"
		printf '%-4s %-12s %12s %12s %8s  %-14s %-14s %s\n' "$dir" "$label" "$(cell "$G_ok" "$G_mbit")" \
			"$(cell "$A_ok" "$A_mbit")" "$(ratio "$G_ok" "$G_mbit" "$A_ok" "$A_mbit")" "$G_rto" "$A_rto" "$note"
		printf '%s' "$NST_LINES"
		[ "$G_ok" = fail ] || [ "$A_ok" = fail ] && could_not_run=1
	done
done
echo
echo "kernel senders' congestion control in effect: $(sort "$W"/srv?.log | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}')"
grep -h -v '^[a-z0-9]*$' "$W"/srv?.log | head -3
echo "send = glasstcp sending (RTOs gt path: glasstcp/K, k path: P/K); recv = glasstcp receiving (gt path: K/glasstcp, k path: K/P)"
[ $could_not_run = 0 ] || { echo "loss_vs_kernel: a transfer could not run (see notes)"; exit 1; }
exit 0
