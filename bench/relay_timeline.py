#!/usr/bin/env python3
"""Reads bench/relay_timeline.sh's trace (perf script of the system calls
and context switches of the namespace's client, the relay and the echo
server) and prints a connection's steps, medians over the connections.

    relay_timeline.py TRACE SERVER_PID

Each connection is found by its descriptors: the client's socket() to its
close(), the relay's host socket() to its close(), the server's accept4()
to its close(); the k-th of each are the same connection (one in flight).
Times are from the client's connect() (us). Beside the medians: each
step's mean, the total's p99 and mean (the rate is the mean's inverse),
and the stalls in which none of the three ran, with the task given the
CPU before each (docs/relay.md, Where the mean goes)."""
import bisect
import re
import statistics
import sys
from collections import defaultdict

NR = {0: 'read', 3: 'close', 20: 'writev', 41: 'socket', 42: 'connect', 44: 'sendto',
      45: 'recvfrom', 46: 'sendmsg', 47: 'recvmsg', 48: 'shutdown', 54: 'setsockopt',
      232: 'epoll_wait', 233: 'epoll_ctl', 288: 'accept4', 281: 'epoll_pwait'}

LINE = re.compile(r'^\s*(\S.*?)\s+(\d+)/(\d+)\s+([\d.]+):\s+(\S+):\s+(.*)$')
ENTER = re.compile(r'NR (\d+) \(([^)]*)\)')
EXIT = re.compile(r'NR (\d+) = (-?\d+)')


def load(path):
    calls = defaultdict(list)   # tid -> [enter, exit, nr, args, ret]
    open_call = {}
    switches = defaultdict(list)  # tid -> [(t, state, the task that took the CPU)]
    wakeups = defaultdict(list)   # waker tid -> [(t, woken tid)]
    comm = {}
    for line in open(path, errors='replace'):
        m = LINE.match(line)
        if not m:
            continue
        c, _pid, tid, t, ev, rest = m.groups()
        tid = int(tid)
        t = float(t) * 1e6
        comm.setdefault(tid, c)
        comm[tid] = c
        if ev == 'raw_syscalls:sys_enter':
            e = ENTER.match(rest)
            if e:
                args = [int(x, 16) for x in e.group(2).split(', ')]
                rec = [t, None, int(e.group(1)), args, None]
                calls[tid].append(rec)
                open_call[tid] = rec
        elif ev == 'raw_syscalls:sys_exit':
            e = EXIT.match(rest)
            rec = open_call.pop(tid, None)
            if e and rec and rec[2] == int(e.group(1)):
                rec[1] = t
                rec[4] = int(e.group(2))
        elif ev == 'sched:sched_wakeup':
            w = re.search(r' pid=(\d+)', rest)
            if w:
                wakeups[tid].append((t, int(w.group(1))))
        elif ev == 'sched:sched_switch':
            st = re.search(r'prev_pid=(\d+) .*prev_state=(\S+) ==> next_comm=(.*) next_pid=\d+ next_prio=(\d+)', rest)
            if st and int(st.group(1)) == tid:
                switches[tid].append((t, st.group(2), f'{st.group(3)}/{st.group(4)}'))
    for tid in calls:
        calls[tid] = [r for r in calls[tid] if r[1] is not None]
    return calls, switches, comm, wakeups


def rtt_main(calls, srv, comm):
    """The 1-byte echo: each step of a round trip, from the client's send()."""
    relay = max((t for t in calls if comm[t].startswith('glasstcp')), key=lambda t: len(calls[t]))
    client = max((t for t in calls if t not in (srv, relay)),
                 key=lambda t: sum(1 for r in calls[t] if r[2] == 44))
    rc, cl, sv = calls[relay], calls[client], calls[srv]
    reads = [r for r in rc if r[2] == 0 and r[3][2] >= 0x10000]
    tun = max(set(r[3][0] for r in reads), key=lambda fd: sum(1 for r in reads if r[3][0] == fd))
    sends = [r for r in cl if r[2] == 44 and r[4] == 1]
    steps = defaultdict(list)
    order = []

    # index by time for speed
    def after(lst, starts, t, pred, limit):
        i = bisect.bisect_left(starts, t)
        while i < len(lst) and lst[i][0] <= limit:
            if pred(lst[i]):
                return lst[i]
            i += 1
        return None
    rs, ss, cs = [r[0] for r in rc], [r[0] for r in sv], [r[0] for r in cl]
    for k in range(len(sends) - 1):
        t0, lim = sends[k][0], sends[k + 1][0]
        ev = [('client send() enter (the byte into the device)', t0)]
        rd = after(rc, rs, t0, lambda r: r[2] == 0 and r[3][0] == tun and r[4] and r[4] > 62, lim)
        sm = rd and after(rc, rs, rd[1], lambda r: r[2] == 46, lim)
        sr = sm and after(sv, ss, sm[0], lambda r: r[2] == 45 and r[4] == 1, lim)
        sd = sr and after(sv, ss, sr[1], lambda r: r[2] == 44, lim)
        rr = sd and after(rc, rs, sd[0], lambda r: r[2] == 47 and r[4] == 1, lim)
        wv = rr and after(rc, rs, rr[1], lambda r: r[2] == 20 and r[3][0] == tun, lim)
        cr = after(cl, cs, t0, lambda r: r[2] == 45 and r[4] == 1, lim)
        if not (rd and sm and sr and sd and rr and wv and cr):
            continue
        ev += [('relay read() returns the byte', rd[1]), ('relay sendmsg() enter', sm[0]),
               ('relay sendmsg() returns', sm[1]), ('server recv() returns the byte', sr[1]),
               ('server send() enter (the echo)', sd[0]), ('relay recvmsg() returns the echo', rr[1]),
               ('relay writev() enter (the echo into the device)', wv[0]), ('relay writev() returns', wv[1]),
               ('client recv() returns the echo', cr[1])]
        for name, t in ev:
            if name not in steps:
                order.append(name)
            steps[name].append(t - t0)
    n = len(steps[order[0]]) if order else 0
    print(f'round trips: {len(sends)}, used {n}')
    print(f'{"median us from send()":>22} {"p90":>8} {"step":>8}  step')
    prev = 0.0
    for name in order:
        m = statistics.median(steps[name])
        v = sorted(steps[name])
        print(f'{m:22.1f} {v[int(len(v) * 0.9)]:8.1f} {m - prev:8.1f}  {name}')
        prev = m
    t_first, t_last = sends[0][0], sends[-1][0]
    cnt = defaultdict(int)
    for r in rc:
        if t_first <= r[0] <= t_last:
            cnt[NR.get(r[2], str(r[2]))] += 1
    print('relay system calls per round trip: ' +
          ', '.join(f'{k} {v / max(n, 1):.2f}' for k, v in sorted(cnt.items(), key=lambda x: -x[1])))


def main():
    calls, switches, comm, wakeups = load(sys.argv[1])
    srv = int(sys.argv[2])
    if len(sys.argv) > 3 and sys.argv[3] == 'rtt':
        rtt_main(calls, srv, comm)
        return
    relay = max((t for t in calls if comm[t].startswith('glasstcp')), key=lambda t: len(calls[t]))
    client = max((t for t in calls if comm[t] == 'relay_rate' and t != srv), key=lambda t: len(calls[t]))
    rc = calls[relay]
    reads = [r for r in rc if r[2] == 0 and r[3][2] >= 0x10000]
    tun = max(set(r[3][0] for r in reads), key=lambda fd: sum(1 for r in reads if r[3][0] == fd))

    def conns(cl, opener, closer=3):
        out, cur = [], {}
        for r in cl:
            if r[2] == opener and r[4] is not None and r[4] >= 0:
                cur[r[4]] = [r]
            elif r[2] == closer and r[3][0] in cur:
                cur[r[3][0]].append(r)
                out.append((r[3][0], cur.pop(r[3][0])))
            elif len(r[3]) and r[3][0] in cur:
                cur[r[3][0]].append(r)
        return out

    cconns = conns(calls[client], 41)
    sconns = conns(calls[srv], 288)
    # the relay: its host sockets, plus the device calls around them
    rconns = conns(rc, 41)
    rindex = {id(r): i for i, r in enumerate(rc)}

    def first(lst, pred):
        for r in lst:
            if pred(r):
                return r
        return None

    def dev_before(rec, kind):  # the last device call of kind (0 read, 20 writev) with a packet before rec
        i = rindex[id(rec)] - 1
        while i >= 0:
            r = rc[i]
            if r[2] == kind and r[3][0] == tun and r[4] > 0:
                return r
            i -= 1
        return None

    def dev_after(rec, kind):
        i = rindex[id(rec)] + 1
        while i < len(rc):
            r = rc[i]
            if r[2] == kind and r[3][0] == tun and r[4] > 0:
                return r
            i += 1
        return None

    def wait_after(cl, rec, limit):  # the client's epoll_wait that returns after rec
        for r in cl:
            if r[0] >= rec[1] and r[2] in (232, 281) and r[4] > 0:
                return r if r[1] <= limit else None
        return None

    # the k-th of each by time: the relay's connect() after the client's
    # connect() (its socket() may come before it, made ahead at an idle
    # moment: tcp_flow.c, pool_take()), the server's accept4() return
    # after the relay's connect()
    def rconnect(rr):
        return next((r for r in rr if r[2] == 42), rr[0])
    rconns = [c for c in rconns if c[1]]
    rconns.sort(key=lambda c: rconnect(c[1])[0])
    rstart = [rconnect(c[1])[0] for c in rconns]
    sstart = [c[1][0][1] for c in sconns]
    triples = []
    for _, cc in cconns:
        con = next((r for r in cc if r[2] == 42), None)
        if not con:
            continue
        i = bisect.bisect_left(rstart, con[0])
        if i >= len(rconns):
            break
        rr = rconns[i][1]
        rcon = next((r for r in rr if r[2] == 42), rr[0])
        j = bisect.bisect_left(sstart, rcon[0])
        if j >= len(sconns):
            break
        if triples and (triples[-1][1] is rr):
            continue
        triples.append((cc, rr, sconns[j][1]))
    n = len(triples)
    steps = defaultdict(list)
    order = []
    totals = []
    cl_all = calls[client]
    cl_i = 0
    for k in range(n):
        cc, rr, ss = triples[k]
        cconn = first(cc, lambda r: r[2] == 42)
        if not cconn:
            continue
        t0 = cconn[0]
        ev = []

        def add(name, t):
            if t is not None:
                ev.append((name, t))
        add('client connect() enter (SYN into the device)', t0)
        add('client connect() returns', cconn[1])
        sock = rr[0]
        syn = dev_before(rconnect(rr), 0)
        add('relay reads the SYN (read returns)', syn and syn[1])
        if sock[0] >= (syn[1] if syn else t0):  # made on the SYN's path, not ahead
            add('relay socket() enter', sock[0])
        cons = [r for r in rr if r[2] == 42]
        if cons:
            add('relay connect() enter', cons[0][0])
            add('relay connect() returns (loopback handshake in it)', cons[0][1])
        if len(cons) > 1:
            add('relay 2nd connect() returns', cons[1][1])
        last_con = cons[-1] if cons else sock
        synack = dev_after(last_con, 20)
        add('relay SYN-ACK writev() enter', synack and synack[0])
        add('relay SYN-ACK writev() returns', synack and synack[1])
        acc = ss[0]
        add('server accept4() returns', acc[1])
        # the client's wakeup for the connect: its epoll_wait after connect()
        while cl_i < len(cl_all) and cl_all[cl_i][0] < cconn[1]:
            cl_i += 1
        cw = None
        for r in cl_all[cl_i:cl_i + 8]:
            if r[2] in (232, 281) and r[4] > 0:
                cw = r
                break
        add('client epoll_wait() returns (connected)', cw and cw[1])
        csend = first(cc, lambda r: r[2] == 44)
        add('client send() enter (the byte into the device)', csend and csend[0])
        rsend = first(rr, lambda r: r[2] == 46)
        if rsend:
            dread = dev_before(rsend, 0)
            if dread and (not synack or dread[0] > synack[0]):
                add('relay reads the byte (read returns)', dread[1])
            add('relay sendmsg() enter (byte to the server)', rsend[0])
            add('relay sendmsg() returns', rsend[1])
        srecv = first(ss, lambda r: r[2] == 45 and r[4] == 1)
        add('server recv() returns the byte', srecv and srecv[1])
        ssend = first(ss, lambda r: r[2] == 44)
        add('server send() enter (echo)', ssend and ssend[0])
        recho = first(rr, lambda r: r[2] == 47 and r[4] == 1)
        add('relay recvmsg() returns the echo', recho and recho[1])
        if recho:
            we = dev_after(recho, 20)
            add('relay echo writev() enter', we and we[0])
            add('relay echo writev() returns', we and we[1])
        crecv = first(cc, lambda r: r[2] == 45 and r[4] == 1)
        add('client recv() returns the echo', crecv and crecv[1])
        cclose = cc[-1]
        add('client close() enter (FIN into the device)', cclose[0])
        add('client close() returns', cclose[1])
        shut = first(rr, lambda r: r[2] == 48)
        if shut:
            fr = dev_before(shut, 0)
            if fr and (not recho or fr[0] > recho[0]):
                add('relay reads the FIN (read returns)', fr[1])
            add('relay shutdown() enter', shut[0])
            add('relay shutdown() returns', shut[1])
        seof = first(ss, lambda r: r[2] == 45 and r[4] == 0)
        add('server recv() returns 0 (EOF)', seof and seof[1])
        add('server close() enter', ss[-1][0])
        reof = first(rr, lambda r: r[2] == 47 and r[4] == 0)
        add('relay recvmsg() returns 0 (EOF)', reof and reof[1])
        if reof:
            wf = dev_after(reof, 20)
            add('relay FIN writev() enter', wf and wf[0])
        add('relay close() enter', rr[-1][0])
        if k + 1 < n:
            nxt = first(triples[k + 1][0], lambda r: r[2] == 42)
            if nxt:
                add('next connection: client connect() enter', nxt[0])
                totals.append(nxt[0] - t0)
        for name, t in ev:
            if name not in steps:
                order.append(name)
            steps[name].append(t - t0)

    def med(v):
        return statistics.median(v) if v else float('nan')

    def pct(v, p):
        v = sorted(v)
        return v[min(len(v) - 1, int(len(v) * p))] if v else float('nan')
    print(f'connections: client {len(cconns)}, relay {len(rconns)}, server {len(sconns)}; used {n}')
    rows = sorted(((med(steps[s]), s) for s in order))
    # the mean beside the median: the rate is the mean's inverse, and a
    # step whose mean is far above its median holds the slow connections
    print(f'{"median us from connect()":>26} {"p90":>8} {"mean":>8} {"step after the one above":>10}  step (n)')
    prev = 0.0
    for m, s in rows:
        print(f'{m:26.1f} {pct(steps[s], 0.9):8.1f} {statistics.fmean(steps[s]):8.1f} {m - prev:10.1f}  {s} ({len(steps[s])})')
        prev = m
    if totals:
        print(f'per connection (connect to next connect): median {med(totals):.1f} us, p90 {pct(totals, 0.9):.1f}, '
              f'p99 {pct(totals, 0.99):.1f}, mean {statistics.fmean(totals):.1f}; '
              f'over 500 us: {sum(1 for t in totals if t > 500)}, {sum(t for t in totals if t > 500) / sum(totals) * 100:.0f}% of the time')
    # what the relay's process did per connection
    t_first = triples[0][0][0][0]
    t_last = triples[n - 1][0][-1][1]
    inwin = [r for r in rc if t_first <= r[0] <= t_last]
    cnt = defaultdict(int)
    for r in inwin:
        cnt[NR.get(r[2], str(r[2]))] += 1
    print('relay system calls per connection: ' + ', '.join(f'{k} {v / n:.2f}' for k, v in sorted(cnt.items(), key=lambda x: -x[1])))
    sl = [s for s in switches[relay] if t_first <= s[0] <= t_last]
    print(f'relay switches per connection: sleeps {sum(1 for s in sl if s[1].startswith("S")) / n:.2f}, '
          f'preempted {sum(1 for s in sl if s[1].startswith("R")) / n:.2f}')
    for who, tid in (('client', client), ('server', srv)):
        sl = [s for s in switches[tid] if t_first <= s[0] <= t_last]
        print(f'{who} switches per connection: sleeps {sum(1 for s in sl if s[1].startswith("S")) / n:.2f}, '
              f'preempted {sum(1 for s in sl if s[1].startswith("R")) / n:.2f}')
    # where the relay was preempted: on the way out of which call (a
    # wakeup preemption comes at the return to user space)
    pre = defaultdict(int)
    exits = [r[1] for r in rc]
    for t, st, _ in switches[relay]:
        if not (t_first <= t <= t_last) or not st.startswith('R'):
            continue
        j = bisect.bisect_right(exits, t) - 1
        name = NR.get(rc[j][2], str(rc[j][2])) if j >= 0 and t - rc[j][1] < 3 else 'elsewhere'
        pre[name] += 1
    print('relay preempted in: ' + ', '.join(f'{k} {v / n:.2f}' for k, v in sorted(pre.items(), key=lambda x: -x[1])))
    # the processes the relay wakes (its device writes wake the client, its
    # sends the server): how long until they run, and how many of the
    # relay's polls (epoll_wait() with timeout 0) came in between
    starts = {tid: [r[0] for r in calls[tid]] for tid in (client, srv)}
    polls = [r[0] for r in rc if r[2] in (232, 281) and r[3][3] == 0]
    for who, tid in (('client', client), ('server', srv)):
        lat, spun = [], []
        for t, w in wakeups[relay]:
            if w != tid or not (t_first <= t <= t_last):
                continue
            i = bisect.bisect_left(starts[tid], t)
            if i < len(starts[tid]):
                t2 = starts[tid][i]
                lat.append(t2 - t)
                spun.append(bisect.bisect_left(polls, t2) - bisect.bisect_left(polls, t))
        if lat:
            print(f'{who} woken by the relay: {len(lat) / n:.2f} per connection, median {med(lat):.1f} us to its next '
                  f'system call (p90 {pct(lat, 0.9):.1f}); relay polls meanwhile: median {med(spun):.0f}, '
                  f'{sum(1 for x in spun if x > 0) / len(spun) * 100:.0f}% with any')
    # the host socket made ahead (before the client's connect()) or on the SYN's path
    ahead = sum(1 for cc, rr, ss in triples
                if any(r[2] == 42 for r in cc) and rr[0][0] < next(r for r in cc if r[2] == 42)[0])
    print(f'relay host socket() made before the client\'s connect() (ahead, at an idle moment): {ahead} of {n}')
    # the previous connection's shutdown() (its namespace FIN passed on)
    # against this one's connect() and request sendmsg()
    where = defaultdict(int)
    for k in range(1, n):
        sh = [r for r in triples[k - 1][1] if r[2] == 48]
        sm = [r for r in triples[k][1] if r[2] == 46]
        if not sh or not sm:
            continue
        s0 = sh[0][0]
        where['before the SYN\'s connect()' if s0 < rconnect(triples[k][1])[0] else
              'before the request\'s sendmsg()' if s0 < sm[0][0] else 'after the request\'s sendmsg()'] += 1
    print('the previous connection\'s shutdown(): ' + ', '.join(f'{v} {k}' for k, v in where.items()))
    # ... and its EOF's recvmsg() (then its FIN's writev(), close()) between
    # this request's device read and its sendmsg(): the old flow's close work
    # in the new request's path
    inpath = 0
    for k in range(1, n):
        eof = [r for r in triples[k - 1][1] if r[2] == 47 and r[4] == 0]
        sm = [r for r in triples[k][1] if r[2] == 46]
        dread = sm and dev_before(sm[0], 0)
        if eof and dread and dread[1] < eof[0][0] < sm[0][0]:
            inpath += 1
    print(f'the previous connection\'s EOF read between the request\'s device read and its sendmsg(): {inpath} of {n - 1}')
    # the stalls: stretches of over GAP_US in which none of the three
    # processes made a system call or switched, and who was given the CPU
    # at the last switch before one (another task: on this shared machine,
    # others' compile jobs; prio 130 is nice 10)
    GAP_US = 300
    marks = []
    for tid in (client, relay, srv):
        marks += [(r[0], None) for r in calls[tid] if t_first <= r[0] <= t_last]
        marks += [(r[1], None) for r in calls[tid] if t_first <= r[1] <= t_last]
        marks += [(sw[0], sw[2]) for sw in switches[tid] if t_first <= sw[0] <= t_last]
    marks.sort(key=lambda x: x[0])
    gaps, took, last_next = [], defaultdict(float), None
    for a, b in zip(marks, marks[1:]):
        last_next = a[1] if a[1] is not None else last_next
        if b[0] - a[0] > GAP_US:
            gaps.append(b[0] - a[0])
            who = (last_next or '?').split('/')[0]
            took[who if who not in ('relay_rate', 'glasstcp') else 'one of the three'] += b[0] - a[0]
    span = t_last - t_first
    if gaps:
        print(f'stalls over {GAP_US} us with none of the three running: {len(gaps) / n:.3f} per connection, '
              f'{sum(gaps) / span * 100:.0f}% of the time, median {med(gaps):.0f} us; the CPU given to: ' +
              ', '.join(f'{k} {v / sum(gaps) * 100:.0f}%' for k, v in sorted(took.items(), key=lambda x: -x[1])[:5]))
    # the relay's epoll_wait()s: time asleep per connection
    ws = [r for r in inwin if r[2] in (232, 281)]
    print(f'relay epoll_wait: {len(ws) / n:.2f} per connection, {sum(r[1] - r[0] for r in ws) / n:.1f} us in them per connection, '
          f'{sum(1 for r in ws if r[3][3] == 0) / n:.2f} with timeout 0')


main()
