#!/usr/bin/env python3
"""Set the `known-miss` tag of every row in tests/corpus/*.jsonl from what
the classifier says now.

Usage: scripts/retag-corpus.py            (builds the CLI in release mode)

A row is a known miss when its primary is neither `expect` nor in `accept`,
or when a `none`/`ideation` row gets a takedown-class primary (inducement,
method, incitement) even if `accept` lists it. The tag is added to such rows
and removed from every other row, so run it after a change you mean to keep,
then read `git diff tests/corpus`: every tag added there is a regression to
look at before committing. Rows are rewritten in the corpus's own form (keys
in place, format characters such as zero-width spaces escaped as \\uXXXX).
"""
import glob
import json
import os
import subprocess
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAKEDOWN = {"inducement", "method", "incitement"}


def escape(line):
    return "".join(c if unicodedata.category(c) != "Cf" and c not in "\u2028\u2029"
                   else "\\u%04x" % ord(c) for c in line)


def main():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "inochi-cli"], cwd=ROOT, check=True)
    inochi = os.path.join(target, "release", "inochi")
    added = removed = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "corpus", "*.jsonl"))):
        rows = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
        out = subprocess.run([inochi, "classify"], input="".join(
            json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in rows),
            capture_output=True, text=True, check=False).stdout.splitlines()
        if len(out) != len(rows):
            sys.exit(f"retag-corpus: {path}: {len(rows)} rows, {len(out)} verdicts")
        lines = []
        for row, line in zip(rows, out):
            got = json.loads(line)["primary"]
            accepted = got == row["expect"] or got in row.get("accept", [])
            miss = not accepted or (row["expect"] in ("none", "ideation") and got in TAKEDOWN)
            tags = row.setdefault("tags", [])
            if miss and "known-miss" not in tags:
                tags.append("known-miss")
                added += 1
            elif not miss and "known-miss" in tags:
                tags.remove("known-miss")
                removed += 1
            lines.append(escape(json.dumps(row, ensure_ascii=False)))
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    print(f"retag-corpus: known-miss added to {added} rows, removed from {removed}")


if __name__ == "__main__":
    main()
