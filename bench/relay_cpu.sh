#!/usr/bin/env bash
# CPU time, system calls and context switches per connection (issue 17) of
# each process of the chain -- the client in the namespace, the tool that
# relays, the server on the host's loopback -- for glasstcp relay (and a
# second build, GT_BASE), pasta and slirp4netns, the tools taking turns run
# by run. One connection in flight: bench/relay_rate.c (connect, 1 byte
# each way, close). On an idle machine the rate with one connection in
# flight is about 1 / (the chain's CPU per connection), so the columns say
# what part of a connection's cost is the relay's and what the floor is
# (the client's and the server's share, which every tool pays).
#
#   sudo GT=build/glasstcp [GT_BASE=OTHER/glasstcp] [RELAY_CPU_RUNS=3]
#        [RELAY_CPU_SECONDS=2] [RELAY_CPU_GT_OPTS=...] [RELAY_CPU_BASE_OPTS=...]
#        bash bench/relay_cpu.sh
#
# (the OPTS: relay options for GT's and GT_BASE's relay). With
# --busy-poll-us (default 50) the relay's CPU includes its spin, which
# grows as the rest of the chain gets slower: compare builds with
# --busy-poll-us 0 for what a connection costs.
#
# Each tool runs as a daemon attached to a namespace of its own (glasstcp
# relay --netns, pasta PID, slirp4netns PID) and is measured from outside
# while the client runs: its on-CPU time from /proc/PID/schedstat (ns, not
# ticks), its context switches from /proc/PID/status (voluntary: it slept;
# involuntary: preempted), its system calls with perf stat -e
# raw_syscalls:sys_enter -p PID; the client's under perf stat; the
# server's from its /proc files. Per connection: us of CPU, calls, and
# switches (vol+invol). "kernel veth" is the floor: the same client and
# server over a veth, no relay.
#
# Network safety: as bench/relay_vs.sh, the script re-runs itself in a new
# network namespace (unshare -n) that plays the host; pasta's veth goes
# into a third namespace of ours (192.0.2.0/24, TEST-NET-1).
set -u
RUNS=${RELAY_CPU_RUNS:-3}
SECS=${RELAY_CPU_SECONDS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
GT=${GT:-$HERE/../build/glasstcp}

if [ -z "${GT_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "relay_cpu: needs root (namespaces, TUN, veth)"; exit 77; }
	for t in perf unshare nsenter ip cc; do
		command -v $t >/dev/null || { echo "relay_cpu: $t is not installed"; exit 77; }
	done
	[ -x "$GT" ] || { echo "relay_cpu: no glasstcp at $GT (set GT=)"; exit 77; }
	[ -n "${GT_BASE:-}" ] && GT_BASE=$(cd "$(dirname "$GT_BASE")" && pwd)/$(basename "$GT_BASE")
	GT=$(cd "$(dirname "$GT")" && pwd)/$(basename "$GT") GT_IN_NETNS=1 exec unshare -n -m --propagation private -- bash "$0" "$@"
fi

ip link set lo up
# pasta attaches only to a named namespace (/run/netns, private to this
# script's mount namespace)
mkdir -p /run/netns && mount -t tmpfs none /run/netns
sysctl -qw net.ipv4.tcp_tw_reuse=1 "net.ipv4.ip_local_port_range=1024 65535"
WORK=$(mktemp -d /tmp/gt-relay-cpu.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

RATE=$WORK/relay_rate
cc -O2 -o "$RATE" "$HERE/relay_rate.c" || exit 1
"$RATE" server 7008 &
SERVER=$!
PIDS+=($SERVER)

wait_netns() {
	local self
	self=$(readlink /proc/self/ns/net)
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$1/ns/net" 2>/dev/null || echo "$self")" != "$self" ] && return 0
		sleep 0.02
	done
	return 1
}
new_ns() { unshare -n sleep infinity & PIDS+=($!); wait_netns $!; echo $! >"$WORK/ns"; }

names=() nspaths=() tpids=() targets=()

# kernel veth: the floor (no relaying process)
new_ns; K=$(cat "$WORK/ns")
ip link add gtc-k0 type veth peer name gtc-k1 netns /proc/$K/ns/net
ip addr add 10.9.0.1/24 dev gtc-k0 && ip link set gtc-k0 up
nsenter --net=/proc/$K/ns/net sh -c 'ip link set lo up; ip addr add 10.9.0.2/24 dev gtc-k1; ip link set gtc-k1 up'
names+=("kernel veth"); nspaths+=(/proc/$K/ns/net); tpids+=(0); targets+=(10.9.0.1)

start_gt() { # NAME BINARY OPTS...
	local name=$1 bin=$2
	shift 2
	new_ns
	local ns
	ns=$(cat "$WORK/ns")
	"$bin" relay --quiet --dns none "$@" --netns /proc/$ns/ns/net &
	local p=$!
	PIDS+=($p)
	for _ in $(seq 100); do
		nsenter --net=/proc/$ns/ns/net ip -br addr show gt0 2>/dev/null | grep -q 10.0.2.100 && break
		sleep 0.05
	done
	names+=("$name"); nspaths+=(/proc/$ns/ns/net); tpids+=($p); targets+=(10.0.2.2)
}
# shellcheck disable=SC2086
start_gt "glasstcp relay" "$GT" ${RELAY_CPU_GT_OPTS:-}
# shellcheck disable=SC2086
[ -n "${GT_BASE:-}" ] && start_gt "glasstcp base" "$GT_BASE" ${RELAY_CPU_BASE_OPTS:-}

if command -v pasta >/dev/null; then
	new_ns; SINK=$(cat "$WORK/ns")
	ip link add gtc-pasta type veth peer name gtc-sink netns /proc/$SINK/ns/net &&
		ip addr add 192.0.2.1/24 dev gtc-pasta && ip link set gtc-pasta up &&
		ip route add default via 192.0.2.2 &&
		nsenter --net=/proc/$SINK/ns/net ip link set gtc-sink up
	ip netns add gtc-pasta
	pasta --runas 0 --config-net --quiet -f -P "$WORK/pasta.pid" --netns gtc-pasta 2>/dev/null &
	PIDS+=($!)
	for _ in $(seq 100); do [ -s "$WORK/pasta.pid" ] && break; sleep 0.05; done
	sleep 0.3
	[ -s "$WORK/pasta.pid" ] && { names+=(pasta); nspaths+=(/run/netns/gtc-pasta); tpids+=($(cat "$WORK/pasta.pid")); targets+=(192.0.2.2); }
fi
if command -v slirp4netns >/dev/null; then
	new_ns; S=$(cat "$WORK/ns")
	slirp4netns --configure --mtu=65520 $S tap0 >"$WORK/slirp.log" 2>&1 &
	SL=$!
	PIDS+=($SL)
	for _ in $(seq 50); do
		nsenter --net=/proc/$S/ns/net ip -br addr show tap0 2>/dev/null | grep -q 10.0.2.100 && break
		sleep 0.1
	done
	names+=(slirp4netns); nspaths+=(/proc/$S/ns/net); tpids+=($SL); targets+=(10.0.2.2)
fi
for i in "${!nspaths[@]}"; do
	nsenter --net=${nspaths[$i]} sysctl -qw net.ipv4.tcp_tw_reuse=1 "net.ipv4.ip_local_port_range=1024 65535"
done

ns_of() { awk '{print $1}' "/proc/$1/schedstat"; }
sw_of() { awk '/^voluntary_ctxt_switches/{v=$2} /^nonvoluntary_ctxt_switches/{n=$2} END{print v, n}' "/proc/$1/status"; }

# one RUN of tool I: prints "conns  tool_us tool_calls tool_vol tool_invol  client_us client_calls client_sw  server_us server_vol server_invol"
one() {
	local i=$1 tp=${tpids[$1]} t0 s0 sv0 t1 s1 sv1 st0 st1 line n
	s0=$(ns_of $SERVER); sv0=$(sw_of $SERVER)
	if [ "$tp" != 0 ]; then
		t0=$(ns_of "$tp"); st0=$(sw_of "$tp")
		perf stat -x, -o "$WORK/tool.perf" -e raw_syscalls:sys_enter -p "$tp" &
		local pp=$!
		sleep 0.05
	fi
	line=$(perf stat -x, -o "$WORK/client.perf" -e task-clock,raw_syscalls:sys_enter,context-switches -- \
		nsenter --net=${nspaths[$i]} "$RATE" client "${targets[$i]}" 7008 "$SECS" 1)
	if [ "$tp" != 0 ]; then
		t1=$(ns_of "$tp"); st1=$(sw_of "$tp")
		kill -INT $pp; wait $pp 2>/dev/null
	fi
	s1=$(ns_of $SERVER); sv1=$(sw_of $SERVER)
	n=$(echo "$line" | awk -v s="$SECS" '{printf "%d", $2 * s}')
	[ "$n" -gt 0 ] || { echo "0"; return; }
	local tool="- - - -"
	if [ "$tp" != 0 ]; then
		local calls
		calls=$(awk -F, '/raw_syscalls:sys_enter/{print $1}' "$WORK/tool.perf")
		tool=$(echo "$t0 $t1 $calls $st0 $st1" | awk -v n="$n" '{printf "%.1f %.2f %.2f %.2f", ($2 - $1) / 1e3 / n, $3 / n, ($6 - $4) / n, ($7 - $5) / n}')
	fi
	local client
	client=$(awk -F, -v n="$n" '/task-clock/{c=$1} /raw_syscalls/{s=$1} /context-switches/{w=$1}
		END{printf "%.1f %.2f %.2f", c * 1e3 / n, s / n, w / n}' "$WORK/client.perf")
	local server
	server=$(echo "$s0 $s1 $sv0 $sv1" | awk -v n="$n" '{printf "%.1f %.2f %.2f", ($2 - $1) / 1e3 / n, ($5 - $3) / n, ($6 - $4) / n}')
	echo "$n $tool $client $server"
}

echo "relay_cpu: one connection in flight, $RUNS runs of ${SECS} s, the tools taking turns; per connection:"
echo "tool: us of CPU, system calls, sleeps (voluntary switches), preemptions; client: us, calls, switches; server: us, sleeps, preemptions"
declare -A res
for r in $(seq "$RUNS"); do
	for i in "${!names[@]}"; do
		res[$i]="${res[$i]:-}$(one "$i")
"
	done
done
printf '%-15s %7s %6s | %7s %6s %5s %5s | %6s %6s %5s | %6s %5s %5s | %7s\n' tool conn/s "" "us" calls vol inv us calls sw us vol inv "all us"
for i in "${!names[@]}"; do
	echo -n "${res[$i]}" | while read -r n tus tc tv ti cus cc csw sus sv si; do
		[ "$n" -gt 0 ] 2>/dev/null || { printf '%-15s failed\n' "${names[$i]}"; continue; }
		all=$(echo "$tus $cus $sus" | awk '{t = ($1 == "-") ? 0 : $1; printf "%.1f", t + $2 + $3}')
		printf '%-15s %7d %6s | %7s %6s %5s %5s | %6s %6s %5s | %6s %5s %5s | %7s\n' "${names[$i]}" $((n / SECS)) "" \
			"$tus" "$tc" "$tv" "$ti" "$cus" "$cc" "$csw" "$sus" "$sv" "$si" "$all"
	done
done
echo "(load $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs, kernel $(uname -r))"
