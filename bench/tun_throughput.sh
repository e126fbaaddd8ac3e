#!/usr/bin/env bash
# Throughput over TUN: the kernel's curl downloading from glasstcp's HTTP
# server and socat uploading into glasstcp's discard, without the virtio-net
# offloads, with receive offload only (--offload --no-tso) and with both
# (--offload: the stack's large segments go out as GSO writes); beside it the
# kernel-to-kernel rate across a veth pair (iperf3) in the same run, and the
# rate of short HTTP requests. RUNS=N repeats each configuration N times
# (default 3), in turn, and prints every run. PARTS picks what each run
# measures (default "download upload http"; a part left out prints "-"), and
# OFFLOADS which configurations (default "plain rx tx": none, --offload
# --no-tso, --offload), e.g. PARTS=upload OFFLOADS="plain tx" for the
# kernel sending into glasstcp with and without its GSO super-segments.
# UPLOAD_MSS=N: socat uploads with TCP_MAXSEG N (its mss=N), so the kernel's
# segments, and the gso_size of its super-segments, are under glasstcp's MSS.
# Not a test: it prints conditions and numbers and never fails CI.
# Run as root: bench/tun_throughput.sh [path/to/glasstcp] (default build/glasstcp)
set -u
GT=$(realpath "${1:-build/glasstcp}")
SIZE_MB=${SIZE_MB:-300}
REQS=${REQS:-2000}
RUNS=${RUNS:-3}
PARTS=${PARTS:-download upload http}
OFFLOADS=${OFFLOADS:-plain rx tx}
part() { case " $PARTS " in *" $1 "*) return 0;; esac; return 1; }
[ "$(id -u)" = 0 ] || { echo "bench: needs root"; exit 0; }
if [ -z "${GT_IN_NETNS:-}" ]; then
	GT_IN_NETNS=1 PARTS=$PARTS OFFLOADS=$OFFLOADS UPLOAD_MSS=${UPLOAD_MSS:-} exec unshare -n -- bash "$0" "$GT"
fi
ip link set lo up
W=$(mktemp -d /tmp/gt-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
head -c ${SIZE_MB}M /dev/zero >"$W/big"; echo hi >"$W/small"
mbit() { awk -v b="$1" -v t="$2" 'BEGIN{printf "%.0f", b*8/t/1e6}'; }

echo "conditions: $(uname -r), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), MTU 1500, ${SIZE_MB} MB transfers${UPLOAD_MSS:+, uploads with TCP_MAXSEG $UPLOAD_MSS}, one connection, no impairments, network namespace"
for run in $(seq "$RUNS"); do
for o in $OFFLOADS; do
	case $o in plain) off="" ;; rx) off="--offload --no-tso" ;; tx) off=--offload ;;
	*) echo "bench: OFFLOADS takes plain, rx, tx"; exit 1 ;; esac
	"$GT" serve --tun gt0 --addr 10.200.0.2/24 --kernel-addr 10.200.0.1/24 --http 80 "$W" --discard 9 \
		--time-limit 120 $off >"$W/serve.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do grep -q '^serve: ready' "$W/serve.log" && break; sleep 0.05; done
	down=- up=- ka=- kc=-
	if part download; then
		d=$(timeout 60 curl -s -o /dev/null -w '%{speed_download}' http://10.200.0.2/big)
		down=$(mbit "$d" 1)
	fi
	if part upload; then
		t0=$(date +%s.%N)
		timeout 60 socat -u FILE:"$W/big" TCP:10.200.0.2:9${UPLOAD_MSS:+,mss=$UPLOAD_MSS}
		t1=$(date +%s.%N)
		up=$(mbit $((SIZE_MB * 1048576)) "$(awk -v a=$t0 -v b=$t1 'BEGIN{print b-a}')")
	fi
	part http && kc=$(timeout 60 bash -c "for i in \$(seq $REQS); do echo 'url = \"http://10.200.0.2/small\"'; echo 'output = \"/dev/null\"'; done >$W/urls; t0=\$(date +%s.%N); curl -s -K $W/urls -H 'Connection: close'; t1=\$(date +%s.%N); awk -v n=$REQS -v a=\$t0 -v b=\$t1 'BEGIN{printf \"%.0f\", n/(b-a)}'")
	part http && ka=$(timeout 60 bash -c "t0=\$(date +%s.%N); curl -s -K $W/urls; t1=\$(date +%s.%N); awk -v n=$REQS -v a=\$t0 -v b=\$t1 'BEGIN{printf \"%.0f\", n/(b-a)}'")
	kill -TERM $pid; wait $pid
	printf '%-20s glasstcp->kernel (curl download) %6s Mbit/s   kernel->glasstcp (socat upload) %6s Mbit/s   HTTP %6s req/s keep-alive, %6s req/s new connection each\n' \
		"${off:-plain}" "$down" "$up" "$ka" "$kc"
	grep -E '^device|offload:' "$W/serve.log" | sed 's/^/             /'
done
done

# The kernel against itself across a veth pair into a second namespace.
if command -v iperf3 >/dev/null; then
	unshare -n sleep 120 & peer=$!
	# until the sleep runs in its own namespace (unshare has switched)
	self=$(readlink /proc/self/ns/net)
	for _ in $(seq 100); do [ "$(readlink /proc/$peer/ns/net 2>/dev/null)" != "$self" ] && break; sleep 0.02; done
	ip link add v0 type veth peer name v1 netns $peer
	ip addr add 10.201.0.1/24 dev v0; ip link set v0 up
	nsenter -t $peer -n sh -c 'ip link set lo up; ip addr add 10.201.0.2/24 dev v1; ip link set v1 up'
	nsenter -t $peer -n timeout 30 iperf3 -s -1 -B 10.201.0.2 >/dev/null 2>&1 &
	sleep 0.5
	k=$(timeout 30 iperf3 -c 10.201.0.2 -t 3 -J 2>/dev/null | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6))' 2>/dev/null)
	echo "kernel->kernel across veth (iperf3, 3 s): ${k:-?} Mbit/s"
	kill $peer 2>/dev/null
else
	echo "iperf3 not installed: no kernel-to-kernel reference"
fi
