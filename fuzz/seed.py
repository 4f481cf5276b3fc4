#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets into fuzz/corpus/<target>/ (git-ignored).

Seeds come from tests/corpus/*.jsonl (post texts and whole lines), core/packs/*.toml and a few
payload metadata records. Re-running is cheap and idempotent (file names are content hashes).
"""
import glob
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")


def put(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(d, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)


# Rows seeded per corpus file (FUZZ_SEEDS_PER_FILE; 0: all). libFuzzer runs every seed once
# before its clock starts, so seeding all 33,000 rows took about 50 s of each target's 30;
# a spread of each file keeps every kind of post (both languages, evasions, long posts).
PER_FILE = int(os.environ.get("FUZZ_SEEDS_PER_FILE", "40"))


def spread(lines):
    """At most PER_FILE non-empty lines, evenly spaced through the file."""
    rows = [l for l in lines if l.strip()]
    if PER_FILE <= 0 or len(rows) <= PER_FILE:
        return rows
    step = len(rows) / PER_FILE
    return [rows[int(i * step)] for i in range(PER_FILE)]


def main():
    counts = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "corpus", "*.jsonl"))):
        with open(path, "rb") as f:
            lines = f.read().split(b"\n")
        for line in spread(lines):
            put("jsonl", line)
            try:
                text = json.loads(line)["text"]
            except (ValueError, KeyError, TypeError):
                continue
            put("fold_classify", text)
        # A few multi-line seeds, one with CRLF and one with a broken line.
        put("jsonl", b"\n".join(lines[:5]))
        put("jsonl", b"\r\n".join(lines[5:8]) + b"\n\xff\xfe\n{}\n")
    for path in sorted(glob.glob(os.path.join(ROOT, "core", "packs", "*.toml"))):
        with open(path, "rb") as f:
            put("pack", f.read())
    put("pack", '[pack]\nname = "x"\nversion = "1"\n')
    sep = "\x1f"
    for sel in range(8):
        put("payload", bytes([sel]) + sep.join([
            "https://sns.example/@user/posts/1", "1", "user",
            "2025-03-16T02:30:18+09:00", "2025-03-16T03:00:00+09:00", "ja", "SNS",
            "Example SNS Trust & Safety", "trust@sns.example", "担当者", "東京都", "REF-1",
            "ja-JP", "https://sns.example/terms",
        ]).encode("utf-8"))
    put("payload", b"\x02" + "not a url\x1f\x1f\x1fyesterday".encode("utf-8"))
    for t in ("fold_classify", "jsonl", "pack", "payload"):
        counts[t] = len(os.listdir(os.path.join(OUT, t)))
    print("seeds: " + ", ".join(f"{t} {n}" for t, n in counts.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
