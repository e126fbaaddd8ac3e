#!/usr/bin/env python3
"""Checks what `glasstcp sim` draws and writes, as a user would read it.

usage: check_viz.py GLASSTCP OUTDIR svg|pcap
  svg:  every SVG parses with a real XML parser; the ladder shows a lost-
        segment mark for each segment the simulator dropped and TIME_WAIT on
        the client's (the active closer's) timeline; the JSON-lines trace parses.
  pcap: tshark reads the pcap without errors, with the frame count the run
        reported. Exit 77 (skipped) when tshark is missing.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def run_sim(gt, out):
    os.makedirs(out, exist_ok=True)
    args = [gt, "sim", "--bytes", "60000", "--loss", "8", "--delay", "15", "--seed", "4",
            "--pcap", f"{out}/run.pcap", "--trace-json", f"{out}/trace.jsonl",
            "--ladder", f"{out}/ladder.svg", "--ladder-text", f"{out}/ladder.txt",
            "--tsg", f"{out}/tsg.svg", "--cwnd", f"{out}/cwnd.svg", "--ss-at", "0.1"]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"glasstcp sim failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p.stdout


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check_svg(gt, out):
    report = run_sim(gt, out)
    for name in ("ladder", "tsg", "cwnd"):
        root = ET.parse(f"{out}/{name}.svg").getroot()
        if root.tag != SVG + "svg":
            fail(f"{name}.svg: root is {root.tag}")
    root = ET.parse(f"{out}/ladder.svg").getroot()
    # The links' loss counts, from the report, against the lost marks drawn.
    lost = sum(int(m) for m in re.findall(r"delivered\s+(\d+) lost", report))
    if lost == 0:
        fail("the scenario should lose packets; the report says none:\n" + report)
    marks = [t for t in root.iter(SVG + "text") if (t.text or "") == "lost"]
    if len(marks) != lost:
        fail(f"ladder: {len(marks)} lost marks, the simulator dropped {lost}")
    # TIME_WAIT: a bar on the client's timeline (left of the middle).
    bars = [r for r in root.iter(SVG + "rect") if r.get("class") == "tw"]
    lines = [l for l in root.iter(SVG + "line") if l.get("class") == "tl"]
    middle = sum(float(l.get("x1")) for l in lines) / len(lines)
    tw = [b for b in bars if float(b.get("height")) > 14]
    if len(tw) != 1 or float(tw[0].get("x")) >= middle:
        fail(f"ladder: expected one TIME_WAIT bar on the client's side, got {len(tw)}")
    if "held by the client (the active closer)" not in report:
        fail("report: TIME_WAIT not held by the client")
    texts = " ".join(t.text or "" for t in root.iter(SVG + "tspan"))
    for state in ("SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "TIME_WAIT", "LAST_ACK"):
        if state not in texts:
            fail(f"ladder: state {state} not written on a timeline")
    # The JSON-lines trace parses, line by line, and holds the kinds we need.
    kinds = set()
    with open(f"{out}/trace.jsonl") as f:
        for n, line in enumerate(f, 1):
            try:
                ev = json.loads(line)
            except ValueError as e:
                fail(f"trace.jsonl line {n}: {e}")
            kinds.add(ev["type"])
    for k in ("state", "seg_in", "seg_out", "timer_arm", "timer_fire", "cwnd", "rtt", "window"):
        if k not in kinds:
            fail(f"trace.jsonl: no {k} event")
    if "sockets at 0.100 s" not in report or "LISTEN" not in report:
        fail("--ss-at 0.1 printed no listing")
    print(f"ok: 3 SVGs parse; {lost} lost marks; TIME_WAIT on the client; {n} JSON lines")


def check_pcap(gt, out):
    tshark = shutil.which("tshark")
    if not tshark:
        print("SKIP: tshark is not installed")
        sys.exit(77)
    report = run_sim(gt, out)
    m = re.search(r"pcap: \S+, (\d+) packets", report)
    if not m:
        fail("no pcap line in the report")
    want = int(m.group(1))
    p = subprocess.run([tshark, "-n", "-r", f"{out}/run.pcap", "-T", "fields", "-e", "frame.number",
                        "-e", "_ws.expert.severity"], capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"tshark exit {p.returncode}: {p.stderr}")
    rows = [r for r in p.stdout.splitlines() if r.strip()]
    if len(rows) != want:
        fail(f"tshark read {len(rows)} frames, the run wrote {want}")
    err = subprocess.run([tshark, "-n", "-r", f"{out}/run.pcap", "-Y", "_ws.malformed || ip.checksum.status == \"Bad\""],
                         capture_output=True, text=True)
    if err.stdout.strip():
        fail("tshark found malformed frames:\n" + err.stdout[:2000])
    print(f"ok: tshark read {want} frames, none malformed")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    gt, out, what = sys.argv[1:]
    {"svg": check_svg, "pcap": check_pcap}[what](gt, out)


if __name__ == "__main__":
    main()
