#!/usr/bin/env bash
# SYN cookies that real clients survive (RFC 4987 3.6, RFC 7323). hping3
# floods glasstcp's HTTP port with SYNs from a spoofed 10.200.0.3, so no RST
# ever frees a half-open TCB: the listener's SYN queue (the listen backlog
# + 1 in the Linux profile, max_syn_backlog in the FreeBSD one) fills and
# every later SYN gets a cookie. During the flood and right
# after it, new kernel clients (curl) must each get their file intact within
# GT_FLOOD_MAX_MS (1 s); the kernel must drop none of glasstcp's segments by
# PAWS (nstat TcpExtPAWSEstab unchanged: a cookie's TSval ahead of the
# connection's later ones did that, RFC 7323 5.3); glasstcp's listing must
# show no connection made from a cookie with an absurd RTT or RTO (a sample
# from a TSecr in the future, RFC 7323 4.1).
#
# Network safety: as every interop test, this runs only in its own network
# namespace (lib.sh), which holds lo and the TUN device and nothing else;
# hping3 sends only to glasstcp's 10.200.0.2. glasstcp's SYN-ACKs to
# 10.200.0.3 reach the namespace's kernel, which does not forward (a new
# namespace starts with forwarding off) and drops them. At most about 60 s.
. "$(dirname "$0")/lib.sh"
need curl socat nstat hping3
enter_netns "$@"

SPOOF=10.200.0.3
MAX_MS=${GT_FLOOD_MAX_MS:-1000}
N_DURING=${GT_FLOOD_DURING:-12}
N_AFTER=${GT_FLOOD_AFTER:-12}
N_KA=4                    # kept-alive clients, listed while open
HOLD=256                  # the listing's length (print_listing, runtime/tun/loop.c)
# The flood lasts until the fetches during it are done, FLOOD_S seconds at
# most: hping3 sends a SYN every 100 us at most (2,000 to 6,000 a second
# here), each from the next source port. The bound is the test's budget
# less a little: at load 15-17 the queue filling, the holder's release and
# the 12 fetches took longer than the 15 s it used to be, and the flood
# ended before the last fetch (twice in one helper's full runs).
FLOOD_S=${GT_FLOOD_S:-40}
BUDGET_S=45               # no fetch starts after this (bash's SECONDS)
ERRS=()
err() { ERRS+=("$*"); echo "error: $*"; }

# cookies WHAT: TcpSyncookiesWHAT as the last dump printed it.
cookies() { grep -E "^ +TcpSyncookies$1 " "$SERVE_LOG" | tail -1 | awk '{print $2}'; }
paws() { nstat -asz TcpExtPAWSEstab | awk '$1=="TcpExtPAWSEstab"{print $2}'; }
# listing: serve's socket listing and every counter (SIGUSR1, --counters);
# waits until the dump is complete (the counters come last).
listing() {
	local before
	before=$(grep -c '^  all non-zero counters:' "$SERVE_LOG")
	kill -USR1 "$SERVE_PID"
	for _ in $(seq 200); do
		if [ "$(grep -c '^  all non-zero counters:' "$SERVE_LOG")" -gt "$before" ]; then
			sleep 0.05
			return 0
		fi
		sleep 0.02
	done
	fail "no listing after SIGUSR1"
}
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

mkdir -p "$WORK/www"
head -c 200K /dev/urandom >"$WORK/www/f"
head -c 15K /dev/urandom | base64 >"$WORK/www/k"
serve --http 80 "$WORK/www" --discard 9 --counters
paws0=$(paws)
[ -n "$paws0" ] || fail "nstat gives no TcpExtPAWSEstab"

# The listing shows the first 256 sockets only, and TCBs in the order of
# their slots (src/tcp/tcp_conn.c: slabs in order, a freed slot reused
# first): the flood's 4,096 half-open TCBs would hide every connection made
# after them. So HOLD connections take the first slots before the flood and
# give them back once the SYN queue is full; the connections made from
# cookies then reuse those slots and are listed. A process of its own holds
# them, so that no other child inherits the descriptors.
(
	for _ in $(seq $HOLD); do exec {fd}<>/dev/tcp/$GADDR/9 || exit 1; done
	: >"$WORK/held"
	for _ in $(seq 600); do [ -e "$WORK/release" ] && exit 0; sleep 0.05; done
) &
HOLDER_PID=$!
PIDS+=("$HOLDER_PID")
for _ in $(seq 200); do [ -e "$WORK/held" ] && break; sleep 0.05; done
[ -e "$WORK/held" ] || fail "could not open $HOLD connections to the discard port"

timeout -s INT "$FLOOD_S" hping3 -q -S -p 80 -a $SPOOF -i u100 $GADDR >"$WORK/hping3.log" 2>&1 &
FLOOD_PID=$!
PIDS+=("$FLOOD_PID")
t_flood=$(date +%s.%N)

# Wait (at most 10 s) until the SYN queue is full and cookies go out.
sent=0
for _ in $(seq 40); do
	listing
	sent=$(cookies Sent)
	[ "${sent:-0}" -gt 0 ] && break
	kill -0 "$FLOOD_PID" 2>/dev/null || fail "hping3 ended before any cookie was sent: $(cat "$WORK/hping3.log")"
	sleep 0.2
done
[ "${sent:-0}" -gt 0 ] || fail "no SYN cookie sent after 10 s of flood: the SYN queue never filled"
echo "flood: SYN queue full, cookies sent after $(since "$t_flood") s"
: >"$WORK/release"
wait "$HOLDER_PID"
sleep 0.3

# fetch TAG: one new kernel connection, one file; "TAG ms" or "TAG FAILED".
fetch() {
	local out
	if [ "$SECONDS" -ge $BUDGET_S ]; then
		echo "$1 FAILED (not run: the test's $BUDGET_S s are spent)" >>"$WORK/results"
		return
	fi
	out=$(timeout 5 curl -sS --max-time 2 -o "$WORK/got.$1" -w '%{http_code} %{time_total}' \
		http://$GADDR/f 2>&1) || { echo "$1 FAILED ($(echo $out))" >>"$WORK/results"; return; }
	if [ "${out%% *}" != 200 ]; then
		echo "$1 FAILED (HTTP ${out%% *})" >>"$WORK/results"
	elif [ "$(sha "$WORK/got.$1")" != "$(sha "$WORK/www/f")" ]; then
		echo "$1 FAILED (body differs)" >>"$WORK/results"
	else
		echo "$1 $(awk -v t="${out#* }" 'BEGIN{printf "%d", t*1000}')" >>"$WORK/results"
	fi
	rm -f "$WORK/got.$1"
}

# Connections that stay open through a listing, made from cookies too (on
# the flooded port: the SYN queue is per listener): 15 requests 100 ms
# apart on one kept-alive connection, then open until released.
: >"$WORK/results"
KA_PIDS=()
for i in $(seq $N_KA); do
	(
		for _ in $(seq 15); do printf 'GET /k HTTP/1.1\r\nHost: %s\r\n\r\n' $GADDR; sleep 0.1; done
		for _ in $(seq 300); do [ -e "$WORK/ka_release" ] && break; sleep 0.05; done
	) | timeout 30 socat -t 1 - TCP:$GADDR:80 >"$WORK/ka.$i" 2>&1 &
	PIDS+=($!)
	KA_PIDS+=($!)
done
for i in $(seq "$N_DURING"); do fetch during$i; done
kill -0 "$FLOOD_PID" 2>/dev/null || err "the flood ended (after $FLOOD_S s) before the fetches during it"

# Every kept-alive client has its 15 answers (at most 8 s more): the
# listing, while they are open. Every connection with the kernel's address
# (the flood's half-open ones have 10.200.0.3) must have a sane RTT and RTO.
ka_got() { grep -ac '^HTTP/1.1 200 OK' "$WORK/ka.$1"; }
for _ in $(seq 160); do
	all=1
	for i in $(seq $N_KA); do [ "$(ka_got "$i")" = 15 ] || all=0; done
	[ $all = 1 ] && break
	sleep 0.05
done
listing
recv_during=$(cookies Recv)
awk '/^--- sockets/{blk=""} {blk=blk $0 "\n"} END{printf "%s", blk}' "$SERVE_LOG" >"$WORK/last"
awk -v k="$KADDR:" '
	$1 ~ /^[A-Z_0-9-]+$/ && $1 != "State" { peer = ($5 ~ "^" k); st = $1; next }
	peer && /rto:/ {
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^rto:/) rto = substr($i, 5) + 0
			if ($i ~ /^rtt:/) { split(substr($i, 5), r, "/"); rtt = r[1] + 0 }
		}
		print st, rto, rtt
	}' "$WORK/last" >"$WORK/rtts"
shown=$(wc -l <"$WORK/rtts")
if [ "$shown" -lt $N_KA ]; then
	err "the listing shows $shown of the kernel's connections, want the $N_KA kept-alive ones" \
		"(if TCB slots are no longer reused first, the holding trick above needs another way)"
else
	bad=$(awk '$2 > 3000 || $3 > 1000' "$WORK/rtts")
	[ -z "$bad" ] || err "connections with an absurd RTO or RTT (state rto_ms srtt_ms): $(echo $bad)"
	echo "listing: $shown of the kernel's connections, rto max $(sort -k2 -g "$WORK/rtts" | tail -1 |
		awk '{print $2}') ms, srtt max $(sort -k3 -g "$WORK/rtts" | tail -1 | awk '{print $3}') ms"
fi
: >"$WORK/ka_release"
wait "${KA_PIDS[@]}"
for i in $(seq $N_KA); do
	[ "$(ka_got "$i")" = 15 ] || err "kept-alive client $i got $(ka_got "$i") of 15 responses"
done

# Right after the flood: its half-open TCBs still fill the SYN queue.
kill -INT "$FLOOD_PID" 2>/dev/null
wait "$FLOOD_PID" 2>/dev/null
t_end=$(date +%s.%N)
for i in $(seq "$N_AFTER"); do fetch after$i; done
listing
sent=$(cookies Sent)
recv=$(cookies Recv)
paws1=$(paws)
serve_stop

n=$((N_DURING + N_AFTER))
ok=$(grep -vc FAILED "$WORK/results")
slowest=$(grep -v FAILED "$WORK/results" | sort -k2 -n | tail -1)
echo "flood: $(grep -o '^[0-9]* packets transmitted' "$WORK/hping3.log" | awk '{print $1}') SYNs" \
	"in $(awk -v a="$t_flood" -v b="$t_end" 'BEGIN{printf "%.1f", b-a}') s"
echo "cookies: $sent SYN-ACKs with a cookie; $recv connections made from one ($recv_during during the flood)"
echo "fetches: $ok of $n intact; slowest ${slowest:-none} ms; all: $(tr '\n' ' ' <"$WORK/results")"
[ "$ok" = "$n" ] || err "$((n - ok)) of $n new connections not served: $(grep FAILED "$WORK/results" | tr '\n' ';')"
slow=$(awk -v m="$MAX_MS" '$2 !~ /FAILED/ && $2 > m' "$WORK/results")
[ -z "$slow" ] || err "$(echo "$slow" | wc -l) of $n fetches slower than $MAX_MS ms: $(echo $slow)"
[ "$paws1" = "$paws0" ] ||
	err "the kernel dropped $((paws1 - paws0)) of glasstcp's segments by PAWS (TcpExtPAWSEstab)"
# Each fetch and kept-alive client came from a cookie, during the flood
# and after it.
[ "${recv_during:-0}" -ge $((N_DURING + N_KA)) ] ||
	err "only ${recv_during:-0} connections from cookies during the flood, want >= $((N_DURING + N_KA))"
[ $((${recv:-0} - ${recv_during:-0})) -ge "$N_AFTER" ] ||
	err "only $((${recv:-0} - ${recv_during:-0})) connections from cookies after the flood, want >= $N_AFTER"
[ "$(counter InErrs)" = 0 ] || err "TcpInErrs $(counter InErrs)"
[ ${#ERRS[@]} = 0 ] || fail "${#ERRS[@]} checks failed (above); first: ${ERRS[0]}"
pass "$n new connections during and after a SYN flood ($sent cookies sent, $recv used):" \
	"all intact, slowest ${slowest#* } ms, no PAWS drop, sane RTTs"
