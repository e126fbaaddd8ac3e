#!/usr/bin/env bash
# glasstcp relay against pasta, slirp4netns and kernel routing over a veth,
# side by side in one run (issue 17): iperf3 up (namespace -> host) and down
# (-R), best and worst of RUNS runs of SECONDS each; the median and p99
# round trip of 1 byte (the best of RUNS runs: a run's median moves between
# ~20 and ~90 us on this shared machine for every tool); connections per second (connect, 1 byte each way,
# close; the client closes first), best of RUNS runs of 2 s of a C client
# (bench/relay_rate.c, built here with cc) with one connection in flight
# and with eight ("x8"), best/median, against a C epoll echo server; how long a connect to a closed port takes to fail; and the relay's
# RSS per idle flow (RELAY_BENCH_IDLE connections, 5000; RELAY_BENCH_IDLE_ECHO=1:
# each flow echoes a byte first). A tool that is not
# installed is skipped, and the table says so. RELAY_BENCH_PARTS=irate, irtt
# and itput have the tools take turns run by run (connections/s, round trip,
# iperf3).
#
#   sudo GT=build/glasstcp bash bench/relay_vs.sh        (RELAY_BENCH_RUNS=3,
#                                                        RELAY_BENCH_SECONDS=3)
#
# Network safety: the script re-runs itself in a new network namespace
# (unshare -n) that plays the host; its servers (iperf3, a 1-byte echo)
# listen there. pasta needs a routable interface to start: a veth into a
# third namespace of ours (192.0.2.1 -> 192.0.2.2, TEST-NET-1), where nothing
# listens; pasta maps its gateway address 192.0.2.2 to the host's loopback,
# so nothing is ever sent over it. slirp4netns and the relay use 10.0.2.2
# (the host's loopback); the kernel's namespace a veth 10.9.0.2 -> 10.9.0.1.
set -u
RUNS=${RELAY_BENCH_RUNS:-3}
# What to measure: any of tput rtt rate refused idle (all by default), and
# irate, irtt and itput (not by default: below).
PARTS=${RELAY_BENCH_PARTS:-tput rtt rate refused idle}
SECS=${RELAY_BENCH_SECONDS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
GT=${GT:-$HERE/../build/glasstcp}

if [ -z "${GT_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "relay_vs: needs root (namespaces, TUN, veth)"; exit 77; }
	for t in iperf3 python3 unshare nsenter ip; do
		command -v $t >/dev/null || { echo "relay_vs: $t is not installed"; exit 77; }
	done
	[ -x "$GT" ] || { echo "relay_vs: no glasstcp at $GT (set GT=)"; exit 77; }
	[ -n "${GT_BASE:-}" ] && GT_BASE=$(cd "$(dirname "$GT_BASE")" && pwd)/$(basename "$GT_BASE")
	GT=$(cd "$(dirname "$GT")" && pwd)/$(basename "$GT") GT_IN_NETNS=1 exec unshare -n -- bash "$0" "$@"
fi

ip link set lo up
sysctl -qw net.ipv4.tcp_tw_reuse=1 "net.ipv4.ip_local_port_range=1024 65535"
WORK=$(mktemp -d /tmp/gt-relay-vs.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

# Servers on the "host": iperf3 on every address of this namespace (its
# loopback and the veth ends, all private to it), the 1-byte echo too.
iperf3 -s -p 5201 >"$WORK/iperf3.log" 2>&1 &
PIDS+=($!)
python3 "$HERE/relay_probe.py" echo-server 7007 &
PIDS+=($!)
RATE=$WORK/relay_rate
cc -O2 -o "$RATE" "$HERE/relay_rate.c" || exit 1
"$RATE" server 7008 &
PIDS+=($!)
CLOSED_PORT=7009
sleep 0.5

# wait_netns PID: until PID, just started as `unshare -n ...`, is in its
# own network namespace (tests/interop/lib.sh has the test suite's).
wait_netns() {
	local self
	self=$(readlink /proc/self/ns/net)
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$1/ns/net" 2>/dev/null || echo "$self")" != "$self" ] && return 0
		sleep 0.02
	done
	return 1
}

# ---- one runner per tool: run_TOOL CMD... runs CMD inside its namespace ----

# RELAY_BENCH_GT_OPTS: options for GT's relay only (not GT_BASE's), to
# compare one build with and without an option (--busy-poll-us 0).
run_glasstcp() { "$GT" relay --quiet --dns none ${RELAY_BENCH_GT_OPTS:-} -- "$@"; }
# GT_BASE=PATH: a second build measured in the same run (its own row), to
# compare a change with what it changes (RELAY_BENCH_BASE_OPTS: its
# options; GT_BASE=$GT with options compares two settings of one build).
run_glasstcp_base() { "$GT_BASE" relay --quiet --dns none ${RELAY_BENCH_BASE_OPTS:-} -- "$@"; }

PASTA_OK=
if command -v pasta >/dev/null; then
	unshare -n sleep infinity &
	SINK=$!
	PIDS+=($SINK)
	wait_netns $SINK
	ip link add gtb-pasta type veth peer name gtb-sink netns /proc/$SINK/ns/net &&
		ip addr add 192.0.2.1/24 dev gtb-pasta && ip link set gtb-pasta up &&
		ip route add default via 192.0.2.2 &&
		nsenter --net=/proc/$SINK/ns/net ip link set gtb-sink up && PASTA_OK=1
fi
run_pasta() { pasta --runas 0 --config-net --quiet -- "$@" 2>/dev/null; }

SLIRP_OK=
if command -v slirp4netns >/dev/null; then
	unshare -n sleep infinity &
	SLIRP_NS=$!
	PIDS+=($SLIRP_NS)
	wait_netns $SLIRP_NS
	slirp4netns --configure --mtu=65520 $SLIRP_NS tap0 >"$WORK/slirp.log" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 50); do
		nsenter --net=/proc/$SLIRP_NS/ns/net ip -br addr show tap0 2>/dev/null | grep -q 10.0.2.100 &&
			{ SLIRP_OK=1; break; }
		sleep 0.1
	done
fi
run_slirp4netns() { nsenter --net=/proc/$SLIRP_NS/ns/net "$@"; }

unshare -n sleep infinity &
KNS=$!
PIDS+=($KNS)
wait_netns $KNS
ip link add gtb-k0 type veth peer name gtb-k1 netns /proc/$KNS/ns/net
ip addr add 10.9.0.1/24 dev gtb-k0 && ip link set gtb-k0 up
nsenter --net=/proc/$KNS/ns/net sh -c 'ip link set lo up; ip addr add 10.9.0.2/24 dev gtb-k1; ip link set gtb-k1 up'
run_veth() { nsenter --net=/proc/$KNS/ns/net "$@"; }

# ---- measurements ----

gbits() { python3 -c 'import json,sys
d=json.load(sys.stdin); e=d.get("end",{}).get("sum_received",{})
print("%.2f" % (e.get("bits_per_second",0)/1e9))' 2>/dev/null || echo 0; }

# iperf DIR RUNNER TARGET: "best worst" Gbit/s of RUNS runs
iperf() {
	local dir=$1 runner=$2 target=$3 r v all=()
	for r in $(seq "$RUNS"); do
		v=$($runner timeout $((SECS + 20)) iperf3 -c "$target" -p 5201 -t "$SECS" -J \
			$([ "$dir" = down ] && echo -R) 2>/dev/null | gbits)
		all+=("$v")
	done
	printf '%s\n' "${all[@]}" | sort -g | awk 'NR==1{w=$1} {b=$1} END{printf "%s/%s", b, w}'
}

# rate_best RUNNER TARGET CONC: the best of RUNS runs of 2 s of the C
# client (bench/relay_rate.c) with CONC connections in flight; the client's
# errors are said after the number when there were any. The client closes
# first, so each connection leaves a TIME_WAIT socket in its namespace:
# tcp_tw_reuse=1 and the widest port range there (each tool's namespace
# the same) keep the ephemeral ports from running out, where the veth's
# and slirp4netns's namespaces, kept across runs, would otherwise fail
# after ~28,000 connections and the others, new each run, not.
rate_best() {
	local runner=$1 target=$2 conc=$3 r
	for r in $(seq "$RUNS"); do
		$runner sh -c 'sysctl -qw net.ipv4.tcp_tw_reuse=1 "net.ipv4.ip_local_port_range=1024 65535"
			exec timeout 30 "$@"' - "$RATE" client "$target" 7008 2 "$conc"
	done | sort -k2 -g | awk '{v[NR] = $2; e += $4}
		END {printf "%s/%s%s", v[NR], v[int((NR + 1) / 2)], (e > 0 ? "(" e "err)" : "")}'
}

row() {
	local name=$1 runner=$2 target=$3
	local up=- down=- rtt=- rate=- rate4=- ref=-
	case " $PARTS " in *" tput "*)
		up=$(iperf up "$runner" "$target")
		down=$(iperf down "$runner" "$target");;
	esac
	case " $PARTS " in *" rtt "*)
		rtt=$(for r in $(seq "$RUNS"); do
			$runner timeout 60 python3 "$HERE/relay_probe.py" rtt "$target" 7007 2000
		done | sort -k2 -g | head -1 | awk '{print $2 "/" $3}');;
	esac
	case " $PARTS " in *" rate "*)
		rate=$(rate_best "$runner" "$target" 1)
		rate4=$(rate_best "$runner" "$target" 8);;
	esac
	case " $PARTS " in *" refused "*)
		ref=$($runner timeout 30 python3 "$HERE/relay_probe.py" refused "$target" $CLOSED_PORT | awk '{print $2 " " $3}');;
	esac
	printf '%-16s %14s %14s %16s %12s %12s   %s\n' "$name" "$up" "$down" "${rtt:-?}" "${rate:-?}" "${rate4:-?}" "${ref:-?}"
}

echo "relay_vs: iperf3 best/worst of $RUNS x ${SECS}s; rtt = median/p99 of 2000 1-byte round trips (python), the run of $RUNS with the lowest median; conn/s best/median of $RUNS x 2 s (bench/relay_rate.c)"
printf '%-16s %14s %14s %16s %12s %12s   %s\n' tool "up Gbit/s" "down Gbit/s" "rtt us" "conn/s" "x8 conn/s" "closed port (ms, result)"
row "kernel veth" run_veth 10.9.0.1
row "glasstcp relay" run_glasstcp 10.0.2.2
[ -n "${GT_BASE:-}" ] && row "glasstcp base" run_glasstcp_base 10.0.2.2
if [ -n "$PASTA_OK" ]; then row pasta run_pasta 192.0.2.2
else echo "pasta            skipped: $(command -v pasta >/dev/null && echo 'setup failed' || echo 'not installed (apt-get install passt)')"; fi
if [ -n "$SLIRP_OK" ]; then row slirp4netns run_slirp4netns 10.0.2.2
else echo "slirp4netns      skipped: $(command -v slirp4netns >/dev/null && echo "did not start: $(head -c 200 "$WORK/slirp.log")" || echo 'not installed')"; fi
# irate: connections/s with one in flight, the tools taking turns run by
# run (each run 2 s of each tool in a row), so that a change in the
# machine's load falls on all of them alike: median and best of RUNS runs,
# and each run's numbers.
case " $PARTS " in *" irate "*)
	names=("kernel veth" "glasstcp relay"); runners=(run_veth run_glasstcp); targets=(10.9.0.1 10.0.2.2)
	[ -n "${GT_BASE:-}" ] && { names+=("glasstcp base"); runners+=(run_glasstcp_base); targets+=(10.0.2.2); }
	[ -n "$PASTA_OK" ] && { names+=(pasta); runners+=(run_pasta); targets+=(192.0.2.2); }
	[ -n "$SLIRP_OK" ] && { names+=(slirp4netns); runners+=(run_slirp4netns); targets+=(10.0.2.2); }
	declare -A got slowest
	for r in $(seq "$RUNS"); do
		for i in "${!names[@]}"; do
			line=$(${runners[$i]} sh -c 'sysctl -qw net.ipv4.tcp_tw_reuse=1 "net.ipv4.ip_local_port_range=1024 65535"
				exec timeout 30 "$@"' - "$RATE" client "${targets[$i]}" 7008 2 1)
			v=$(echo "$line" | awk '{print $2}')
			got[$i]="${got[$i]:-} ${v:-0}"
			slowest[$i]="${slowest[$i]:-} $(echo "$line" | awk '{printf "%s/%s/%s", $6, $8, $10}')"
		done
	done
	echo "one connection in flight, the tools taking turns ($RUNS runs of 2 s): median, best; each run"
	for i in "${!names[@]}"; do
		printf '%-16s %s\n' "${names[$i]}" "$(echo ${got[$i]} | tr ' ' '\n' | sort -g |
			awk '{v[NR] = $1} END {printf "%s %s", v[int((NR + 1) / 2)], v[NR]}')   (${got[$i]# })"
	done
	# Each run's slowest connect and echo (ms) and its connections over
	# 20 ms (bench/relay_rate.c): a run far below the others either
	# waited once (a lost SYN: a connect of ~1,000 ms) or was slow
	# throughout (no slowest step near its length).
	echo "slowest connect/echo ms and connections over 20 ms, each run"
	for i in "${!names[@]}"; do
		printf '%-16s %s\n' "${names[$i]}" "${slowest[$i]# }"
	done;;
esac
# irtt: the 1-byte round trip, the tools taking turns run by run (each run
# RELAY_BENCH_RTT_N round trips, 2000, of each tool in a row), so that a
# change in the machine's load falls on all of them alike: the median of
# the runs' medians and p99s, the best median, and each run's median.
case " $PARTS " in *" irtt "*)
	names=("kernel veth" "glasstcp relay"); runners=(run_veth run_glasstcp); targets=(10.9.0.1 10.0.2.2)
	[ -n "${GT_BASE:-}" ] && { names+=("glasstcp base"); runners+=(run_glasstcp_base); targets+=(10.0.2.2); }
	[ -n "$PASTA_OK" ] && { names+=(pasta); runners+=(run_pasta); targets+=(192.0.2.2); }
	[ -n "$SLIRP_OK" ] && { names+=(slirp4netns); runners+=(run_slirp4netns); targets+=(10.0.2.2); }
	declare -A med p99
	for r in $(seq "$RUNS"); do
		for i in "${!names[@]}"; do
			line=$(${runners[$i]} timeout 60 python3 "$HERE/relay_probe.py" rtt "${targets[$i]}" 7007 "${RELAY_BENCH_RTT_N:-2000}")
			med[$i]="${med[$i]:-} $(echo "$line" | awk '{print ($2 == "" ? 0 : $2)}')"
			p99[$i]="${p99[$i]:-} $(echo "$line" | awk '{print ($3 == "" ? 0 : $3)}')"
		done
	done
	echo "1-byte round trip, the tools taking turns ($RUNS runs of ${RELAY_BENCH_RTT_N:-2000}): us median of the runs' medians / of their p99s, best median; each run's median"
	for i in "${!names[@]}"; do
		printf '%-16s %s\n' "${names[$i]}" "$(echo ${med[$i]} | tr ' ' '\n' | sort -g |
			awk '{v[NR] = $1} END {printf "%s", v[int((NR + 1) / 2)]}')/$(echo ${p99[$i]} | tr ' ' '\n' | sort -g |
			awk '{v[NR] = $1} END {printf "%s", v[int((NR + 1) / 2)]}') $(echo ${med[$i]} | tr ' ' '\n' | sort -g | head -1)   (${med[$i]# })"
	done;;
esac
# itput: iperf3 down and up, the tools taking turns run by run (each run
# SECS of each tool down, then of each up), so that a change in the
# machine's load falls on all of them alike; best and median of RUNS, each
# tool's ratio to the kernel's veth (best to best), and each run's numbers.
case " $PARTS " in *" itput "*)
	names=("kernel veth" "glasstcp relay"); runners=(run_veth run_glasstcp); targets=(10.9.0.1 10.0.2.2)
	[ -n "${GT_BASE:-}" ] && { names+=("glasstcp base"); runners+=(run_glasstcp_base); targets+=(10.0.2.2); }
	[ -n "$PASTA_OK" ] && { names+=(pasta); runners+=(run_pasta); targets+=(192.0.2.2); }
	[ -n "$SLIRP_OK" ] && { names+=(slirp4netns); runners+=(run_slirp4netns); targets+=(10.0.2.2); }
	declare -A tp
	for r in $(seq "$RUNS"); do
		for dir in down up; do
			for i in "${!names[@]}"; do
				v=$(${runners[$i]} timeout $((SECS + 20)) iperf3 -c "${targets[$i]}" -p 5201 -t "$SECS" -J \
					$([ "$dir" = down ] && echo -R) 2>/dev/null | gbits)
				tp[$dir$i]="${tp[$dir$i]:-} ${v:-0}"
			done
		done
	done
	echo "iperf3, the tools taking turns ($RUNS runs of ${SECS} s each way): Gbit/s best, median, best / the kernel veth's best; each run"
	for dir in down up; do
		kb=$(echo ${tp[${dir}0]} | tr ' ' '\n' | sort -g | tail -1)
		for i in "${!names[@]}"; do
			printf '%-4s %-16s %s\n' "$dir" "${names[$i]}" "$(echo ${tp[$dir$i]} | tr ' ' '\n' | sort -g |
				awk -v kb="$kb" '{v[NR] = $1} END {printf "%s %s %.2fx", v[NR], v[int((NR + 1) / 2)], (kb > 0 ? v[NR] / kb : 0)}')   (${tp[$dir$i]# })"
		done
	done;;
esac
IDLE_N=${RELAY_BENCH_IDLE:-5000}
case " $PARTS " in *" idle "*) ;; *) IDLE_N=0;; esac
# RELAY_BENCH_IDLE_ECHO=1: each flow echoes a byte before it idles.
IDLE_ECHO=$([ -n "${RELAY_BENCH_IDLE_ECHO:-}" ] && echo echo)
[ "$IDLE_N" -gt 1 ] && run_glasstcp timeout 120 python3 "$HERE/relay_probe.py" idle 10.0.2.2 7007 "$IDLE_N" $IDLE_ECHO |
	awk -v e="${IDLE_ECHO:+, a byte echoed each}" '{printf "glasstcp relay, %d idle flows%s: RSS %d kB with 1, %d kB with %d: %.0f B per flow (the host kernel'"'"'s sockets not counted)\n", $2, e, $3, $4, $2, ($4 - $3) * 1024 / ($2 - 1)}'
echo "(pasta: $(pasta --version 2>/dev/null | head -1 || echo -); slirp4netns: $(slirp4netns --version 2>/dev/null | head -1 || echo -); $(nproc) CPUs, kernel $(uname -r))"
