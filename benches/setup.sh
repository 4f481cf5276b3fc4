#!/usr/bin/env bash
# Fetches the benches' real text: Debian's manpages-ja, split into lines, in
# .cache/bench/manpages-ja.txt. Idempotent and cached; reuses the .deb that
# tests/sweep.sh downloaded. Without apt (or without network to Debian's mirror)
# it says so and exits 0: the benches then use their deterministic generator.
set -euo pipefail
ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
OUT=$ROOT/.cache/bench
mkdir -p "$OUT"
[[ -s "$OUT/manpages-ja.txt" ]] && exit 0
cd "$OUT"
if ! ls manpages-ja_*.deb >/dev/null 2>&1; then
    if ls "$ROOT"/.cache/sweep/manpages-ja_*.deb >/dev/null 2>&1; then
        cp "$ROOT"/.cache/sweep/manpages-ja_*.deb .
    elif ! { apt-get download manpages-ja >/dev/null 2>&1 ||
        { apt-get update >/dev/null 2>&1 && apt-get download manpages-ja >/dev/null 2>&1; }; }; then
        echo "bench setup: cannot download manpages-ja; the benches use the generator" >&2
        exit 0
    fi
fi
rm -rf x && mkdir x
dpkg-deb -x manpages-ja_*.deb x
python3 - <<'PY'
import gzip, os, re
lines = []
for root, _, files in sorted(os.walk("x")):
    for f in sorted(files):
        p = os.path.join(root, f)
        if not (f.endswith(".gz") and "/man/" in p):
            continue
        t = gzip.open(p).read().decode("utf-8", "replace")
        t = re.sub(r"^\.[A-Za-z]+\s*", "", t, flags=re.M)
        t = re.sub(r"\\f[BIRP]", "", t)
        for line in t.split("\n"):
            line = line.strip()
            if len(line) >= 4 and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", line):
                lines.append(line)
open("manpages-ja.txt.tmp", "w").write("\n".join(lines) + "\n")
PY
mv manpages-ja.txt.tmp manpages-ja.txt
rm -rf x
printf 'bench setup: %s lines of manpages-ja in %s\n' "$(wc -l <manpages-ja.txt)" "$OUT/manpages-ja.txt"
