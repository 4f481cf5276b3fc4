#!/usr/bin/env python3
"""Turns criterion's results (target/criterion) into the tables of benches/RESULTS.md.

Usage: python3 benches/report.py [CRITERION_DIR]

Run after `cargo bench -p inochi-benches` (CRITERION_DIR defaults to
$CARGO_TARGET_DIR/criterion or target/criterion). Prints markdown: MB/s per
benchmark (mean), the ratios the issue's targets are stated in, and whether
each target holds.
"""
import json
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
base = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "criterion")


def load(group, name):
    d = os.path.join(base, group, name, "new")
    try:
        est = json.load(open(os.path.join(d, "estimates.json")))
        bench = json.load(open(os.path.join(d, "benchmark.json")))
    except FileNotFoundError:
        return None
    ns = est["mean"]["point_estimate"]
    nbytes = (bench.get("throughput") or {}).get("Bytes")
    return {"s": ns / 1e9, "bytes": nbytes, "mbs": nbytes / (ns / 1e9) / 1e6 if nbytes else None}


try:
    POSTS = json.load(open(os.path.join(base, "inochi-posts.json")))
except (FileNotFoundError, ValueError):
    POSTS = {}


def posts(group, name):
    """Posts per run of a benchmark, as the benches recorded them."""
    return POSTS.get(f"{group}/{name}", POSTS.get(group))


def table(group, names, against=None):
    rows = [(n, load(group, n)) for n in names]
    rows = [(n, r) for n, r in rows if r]
    if not rows:
        return
    ref = dict(rows).get(against) if against else None
    head = f"| `{group}` | time per run | MB/s | posts/s |" + (f" time ÷ {against}'s |" if ref else "")
    print(head)
    print("|---|---:|---:|---:|" + ("---:|" if ref else ""))
    for n, r in rows:
        t = f"{r['s'] * 1e3:.2f} ms" if r["s"] < 10 else f"{r['s']:.2f} s"
        p = posts(group, n)
        ps = f"{p / r['s']:,.0f}" if p else ""
        line = f"| {n} | {t} | {r['mbs']:.1f} | {ps} |" if r["mbs"] else f"| {n} | {t} | | {ps} |"
        if ref:
            line += f" {r['s'] / ref['s']:.2f}× |" if n != against else " 1 |"
        print(line)
    print()


table("mix-2pct", ["inochi", "aho-corasick-dfa", "aho-corasick", "regex-set", "str-contains",
                   "rustrict", "lindera-tokenize-only"], against="inochi")
table("workload", ["all-benign", "mix-2pct", "all-positive"])
table("batch", ["threads-1", "threads-2"])
table("post-size", ["1MB", "10MB"])
table("stage", ["fold", "fold-with-offsets", "screen", "scan", "analyze-triggered", "decide-triggered"])

m = {n: load("mix-2pct", n) for n in ["inochi", "aho-corasick-dfa", "rustrict", "lindera-tokenize-only"]}
b1, b2 = load("batch", "threads-1"), load("batch", "threads-2")
p1, p10 = load("post-size", "1MB"), load("post-size", "10MB")
print("| target | measured | holds |")
print("|---|---:|:---:|")


def row(name, value, ok):
    print(f"| {name} | {value} | {'yes' if ok else 'NO'} |")


if m["inochi"]:
    i = m["inochi"]
    row("end to end on the 2% mix ≥ 100 MB/s (one core)", f"{i['mbs']:.1f} MB/s", i["mbs"] >= 100)
    if m["aho-corasick-dfa"]:
        r = i["s"] / m["aho-corasick-dfa"]["s"]
        row("within 3× of the bare Aho-Corasick scan (DFA)", f"{r:.1f}× its time", r <= 3)
    if m["rustrict"]:
        r = m["rustrict"]["s"] / i["s"]
        row("≥ 30× rustrict", f"{r:.1f}×", r >= 30)
    if m["lindera-tokenize-only"]:
        r = m["lindera-tokenize-only"]["s"] / i["s"]
        row("≥ 20× lindera on every line", f"{r:.1f}×", r >= 20)
if b1 and b2:
    r = (b1["s"] * b2["bytes"]) / (b2["s"] * b1["bytes"])
    row("batch on 2 cores ≥ 1.8× one core", f"{r:.2f}×", r >= 1.8)
if p1 and p10:
    r = p10["s"] / p1["s"]
    size = p10["bytes"] / p1["bytes"]
    row(f"a 10 MB post ≤ 12× a 1 MB post", f"{r:.2f}× (for {size:.1f}× the bytes)", r <= 12)
