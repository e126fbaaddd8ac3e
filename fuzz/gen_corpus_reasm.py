#!/usr/bin/env python3
# Seeds for fuzz_reasm (fuzz/corpus/reasm/): run from the repository root.
# Record format: fuzz/fuzz_reasm.c. The SYN is 10.0.0.2:40000 (or
# [2001:db8::2]) -> port 80 with a right TCP checksum, so a reassembled one
# reaches the listener.
import os
import struct


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def syn(v6):
    h = bytearray(struct.pack('!HHIIBBHHH', 40000, 80, 1000, 0, 5 << 4, 0x02, 65535, 0, 0))
    if v6:
        src = bytes([0x20, 1, 0xd, 0xb8] + [0] * 11 + [2])
        dst = bytes([0x20, 1, 0xd, 0xb8] + [0] * 11 + [1])
        ph = src + dst + struct.pack('!IxxxB', 20, 6)
    else:
        ph = struct.pack('!IIxBH', 0x0a000002, 0x0a000001, 6, 20)
    h[16:18] = struct.pack('!H', csum(ph + bytes(h)))
    return bytes(h)


def rec(v6, more, dst, t, ident, off8, data):
    f = (1 if v6 else 0) | (2 if more else 0) | (4 if dst else 0) | (t << 3)
    return bytes([f, ident]) + struct.pack('!HH', off8, len(data)) + data


seeds = {}
for v6 in (0, 1):
    s = syn(v6)
    fam = 'v6' if v6 else 'v4'
    seeds[fam + '_syn_in_order'] = bytes([8]) + rec(v6, 1, 0, 0, 1, 0, s[:16]) + \
        rec(v6, 0, 0, 1, 1, 2, s[16:])
    seeds[fam + '_syn_reversed'] = bytes([8]) + rec(v6, 0, v6, 0, 2, 2, s[16:]) + \
        rec(v6, 1, v6, 1, 2, 0, s[:16])
    seeds[fam + '_overlap_then_dup'] = bytes([8]) + rec(v6, 1, 0, 0, 3, 0, s[:16]) + \
        rec(v6, 0, 0, 0, 3, 1, s[8:]) + rec(v6, 1, 0, 0, 4, 0, s[:16]) + \
        rec(v6, 1, 0, 0, 4, 0, s[:16]) + rec(v6, 0, 0, 0, 4, 2, s[16:])
    seeds[fam + '_first_alone_times_out'] = bytes([8]) + rec(v6, 1, 0, 0, 5, 0, s[:16]) + \
        rec(v6, 1, 0, 31, 6, 1, s[8:16])
    seeds[fam + '_too_many'] = bytes([0x12]) + \
        b''.join(rec(v6, 1, 0, 0, i, 0, bytes(16)) for i in range(10)) + \
        rec(v6, 0, 0, 0, 9, 0x1fff, bytes(64))
os.makedirs('fuzz/corpus/reasm', exist_ok=True)
for k, v in seeds.items():
    with open('fuzz/corpus/reasm/' + k, 'wb') as f:
        f.write(v)
