#!/usr/bin/env python3
"""Where a transfer in a bench/loss_vs_kernel.sh capture (GT_LOSS_PCAP) spent
its time, seen from K's veth: for each peer (10.200.0.2 glasstcp,
10.202.0.2 the kernel receiver), goodput from the SYN to the last data
segment, segments per ACK, retransmissions, how many data segments left with
the flight (highest sequence sent less the last ACK) within two MSS of the
window last offered (window-limited), and the pauses longer than 0.5 ms
between two packets of the connection, by which end sent the packet before
and after the pause: data->data is the sender stopping in the middle of its
own output, data->ack the receiver answering late, ack->data the sender
answering an ACK late. Needs tshark.
    bench/capture_gaps.py FILE.pcap [PEER...]
"""
import collections
import subprocess
import sys

SENDER = '10.201.0.1'  # K: the sending end in the recv rows
GAP_S = 0.0005


def packets(pcap):
    out = subprocess.run(['tshark', '-r', pcap, '-o', 'tcp.relative_sequence_numbers:TRUE', '-T', 'fields',
                          '-e', 'frame.time_relative', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'tcp.seq',
                          '-e', 'tcp.ack', '-e', 'tcp.window_size', '-e', 'tcp.len', '-e', 'tcp.flags.syn',
                          '-e', 'tcp.analysis.retransmission'],
                         capture_output=True, text=True, check=True).stdout
    flows = collections.defaultdict(list)
    for line in out.splitlines():
        f = line.split('\t')
        from_k = f[1] == SENDER
        flows[f[2] if from_k else f[1]].append(
            dict(t=float(f[0]), k=from_k, seq=int(f[3] or 0), ack=int(f[4] or 0), win=int(f[5] or 0),
                 len=int(f[6] or 0), syn=f[7] == '1', rtx=bool(f[8])))
    return flows


def report(peer, pk):
    data = [p for p in pk if p['k'] and p['len'] > 0]
    if not data:
        return
    t0 = next((p['t'] for p in pk if p['syn']), pk[0]['t'])
    dur = data[-1]['t'] - t0
    acks = sum(1 for p in pk if not p['k'])
    top = max(p['seq'] + p['len'] for p in data)
    last_ack = last_win = sent = wlim = 0
    for p in pk:
        if not p['k']:
            last_ack, last_win = max(last_ack, p['ack']), p['win']
        elif p['len'] > 0:
            sent = max(sent, p['seq'] + p['len'])
            wlim += bool(last_win) and sent - last_ack > last_win - 2 * 1448
    n, tot = collections.Counter(), collections.Counter()
    for a, b in zip(pk, pk[1:]):
        if b['t'] - a['t'] > GAP_S:
            kind = ('data' if a['k'] else 'ack') + '->' + ('data' if b['k'] else 'ack')
            n[kind] += 1
            tot[kind] += b['t'] - a['t']
    print(f"{peer}: {top / 1e6:.1f} MB in {dur * 1e3:.1f} ms, {top * 8 / dur / 1e6:.0f} Mbit/s; "
          f"{len(data)} data segments, {acks} ACKs ({len(data) / max(acks, 1):.1f} per ACK), "
          f"{sum(p['rtx'] for p in data)} retransmitted, {wlim} window-limited")
    print("  pauses over 0.5 ms: " + (', '.join(f"{k} {n[k]} ({tot[k] * 1e3:.0f} ms)" for k in sorted(n)) or 'none')
          + f"; {sum(tot.values()) * 1e3:.0f} ms of {dur * 1e3:.0f}")


def main():
    flows = packets(sys.argv[1])
    for peer in sys.argv[2:] or sorted(flows):
        report(peer, flows.get(peer, []))


if __name__ == '__main__':
    main()
