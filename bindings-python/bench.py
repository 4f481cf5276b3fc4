#!/usr/bin/env python3
"""Throughput of `Classifier.classify_batch` against the Rust CLI on the same lines, and
against a plain Python `re` NG-word filter over the pack's trigger words.

Usage (a release wheel and a release CLI; test.sh --release leaves the wheel installed in
$CARGO_TARGET_DIR/python/venv-test and builds target/release/inochi):

    bindings-python/test.sh --release
    target/python/venv-test/bin/python bindings-python/bench.py [--lines FILE] [--cli PATH]
        [--repeat N] [--threads N]

Lines: .cache/sweep/lines.txt (real Japanese text, made by tests/sweep.sh) when present,
else (or with --generated) generated from the labeled corpus mixed with benign filler. Every
figure is the best of --repeat runs (default 3; the slow `re` filter runs once when it takes
over 10 s), classifier construction excluded on the Python side; the CLI figure is given with
and without its start-up (an empty input). The CLI writes its JSON to /dev/null; Python gets
Verdict objects back.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import inochi

ROOT = Path(__file__).resolve().parents[1]


def load_lines(path, generated):
    if path is None and not generated:
        default = ROOT / ".cache" / "sweep" / "lines.txt"
        path = default if default.exists() else None
    if path is not None:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        lines = [s[:-1] if s.endswith("\r") else s for s in lines]  # as the CLI reads them
        return str(path), lines
    # Generated: corpus posts among benign lines, about 1 in 20.
    rng = random.Random(5)
    posts = []
    for p in sorted((ROOT / "tests" / "corpus").glob("*.jsonl")):
        with open(p, encoding="utf-8") as f:
            posts += [json.loads(line)["text"] for line in f if line.strip()]
    # One post per line, as the CLI's --lines reads them.
    posts = [p for p in posts if "\n" not in p and "\r" not in p]
    filler = [
        "今日はいい天気ですね。散歩に行ってきます",
        "新しいカフェのケーキがとても美味しかった",
        "会議の資料を明日までに準備しておいてください",
        "the build finished in 42 seconds on the new runner",
        "週末は家族と映画を見に行く予定です",
        "電車が遅れていて会社に遅刻しそう",
    ]
    lines = [rng.choice(posts) if rng.random() < 0.05 else rng.choice(filler) for _ in range(100_000)]
    return "generated (100,000 lines)", lines


def trigger_words():
    """The surface forms of the pack's anchor concepts: what its trigger scan looks for."""
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        return ["死にたい", "死ね", "自殺", "一緒に死", "首吊", "飛び降り", "kill myself", "kys"]
    words = set()
    for name in ("default.toml", "ja.toml", "en.toml"):
        path = ROOT / "core" / "packs" / name
        if not path.exists():
            continue
        with open(path, "rb") as f:
            pack = tomllib.load(f)
        for concept in pack.get("concepts", {}).values():
            if concept.get("anchor"):
                words.update(w for w in concept.get("forms", []) if w.strip())
    return sorted(words, key=len, reverse=True)


def best(repeat, fn):
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lines", type=Path, help="one post per line (default: the sweep lines)")
    ap.add_argument("--generated", action="store_true",
                    help="100,000 generated lines, 1 in 20 a corpus post, instead of the sweep lines")
    ap.add_argument("--cli", type=Path, default=None, help="the inochi CLI (default: target/release/inochi)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None, help="threads for both (default: all cores)")
    args = ap.parse_args()

    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    cli = args.cli or target / "release" / "inochi"
    if not cli.exists():
        sys.exit(f"bench: no CLI at {cli}; build it with cargo build --release -p inochi-cli")
    source, lines = load_lines(args.lines, args.generated)
    n = len(lines)
    nbytes = sum(len(s.encode()) for s in lines) + n
    print(f"inochi {inochi.__version__} from {Path(inochi.__file__).parent}")
    print(f"lines: {source}: {n:,} lines, {nbytes / 1e6:.1f} MB; cores: {os.cpu_count()}; "
          f"threads: {args.threads or 'all'}; best of {args.repeat}")

    # Python: classify_batch (text conversion, GIL released, Verdict objects back).
    t0 = time.perf_counter()
    c = inochi.Classifier()
    build = time.perf_counter() - t0
    c.classify_batch(lines[:2000], threads=args.threads)  # warm up
    py_time, verdicts = best(args.repeat, lambda: c.classify_batch(lines, threads=args.threads))
    py_flagged = sum(v.primary != "none" for v in verdicts)

    # The CLI, same lines from a file, output thrown away.
    import tempfile

    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        path = f.name
    try:
        cmd = [str(cli), "classify", "--lines", "--no-progress"]
        if args.threads:
            cmd += ["--threads", str(args.threads)]

        def run(inp):
            with open(inp, "rb") as stdin:
                subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL, check=True)

        startup, _ = best(args.repeat, lambda: run(os.devnull))
        cli_time, _ = best(args.repeat, lambda: run(path))
        flagged = subprocess.run(cmd + [path], capture_output=True, check=True).stdout.decode()
        cli_flagged = sum('"primary":"none"' not in line for line in flagged.splitlines())
    finally:
        os.unlink(path)

    # A plain Python NG-word filter: one compiled alternation of the trigger words.
    words = trigger_words()
    ng = re.compile("|".join(map(re.escape, words)), re.IGNORECASE)
    # Slow (backtracking over every alternative at every position): once is enough past 10 s.
    re_time, re_flagged = best(1, lambda: sum(1 for s in lines if ng.search(s)))
    if re_time < 10 and args.repeat > 1:
        more, _ = best(args.repeat - 1, lambda: sum(1 for s in lines if ng.search(s)))
        re_time = min(re_time, more)

    def rate(t):
        return f"{n / t:>12,.0f} lines/s  {nbytes / t / 1e6:7.1f} MB/s"

    cli_work = max(cli_time - startup, 1e-9)
    print()
    print(f"Classifier() construction          {build * 1000:8.1f} ms")
    print(f"python classify_batch   {py_time:8.3f} s  {rate(py_time)}  flagged {py_flagged:,}")
    print(f"rust CLI (whole run)    {cli_time:8.3f} s  {rate(cli_time)}  flagged {cli_flagged:,}")
    print(f"rust CLI (minus start)  {cli_work:8.3f} s  {rate(cli_work)}  (start-up {startup * 1000:.0f} ms)")
    print(f"python re NG words      {re_time:8.3f} s  {rate(re_time)}  flagged {re_flagged:,}"
          f"  ({len(words)} words)")
    print()
    print(f"classify_batch / CLI (whole run):    {cli_time / py_time:6.2f}x the CLI's throughput")
    print(f"classify_batch / CLI (minus start):  {cli_work / py_time:6.2f}x")
    print(f"classify_batch / re NG-word filter:  {re_time / py_time:6.2f}x")
    if py_flagged != cli_flagged:
        print(f"warning: python flagged {py_flagged}, the CLI {cli_flagged}: not the same build?")


if __name__ == "__main__":
    main()
