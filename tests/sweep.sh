#!/usr/bin/env bash
# Real-text sweep: classify every line of real Japanese text that no one here wrote and
# report what gets flagged. The goal is zero lines with a takedown-class label (inducement,
# method, incitement) or an announcement: every one found becomes a row of
# tests/corpus/sweep.jsonl and a fix in the rules.
#
# Usage: tests/sweep.sh [--check]
#   Text: Debian's manpages-ja and libreoffice-help-ja (apt-get download, cached in
#   .cache/sweep/), split into lines with at least one Japanese character.
#   Prints the lines scanned, the counts per primary category and every flagged line.
#   --check exits 1 if any line got a takedown-class or announcement label (scripts/test uses
#   it); if the packages cannot be downloaded it says so and exits 0.
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
CACHE=$ROOT/.cache/sweep
CHECK=0
[[ "${1:-}" == --check ]] && CHECK=1
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cd "$ROOT"

mkdir -p "$CACHE"
if [[ ! -s "$CACHE/lines.txt" ]]; then
    (
        cd "$CACHE"
        if ! ls manpages-ja_*.deb libreoffice-help-ja_*.deb >/dev/null 2>&1; then
            apt-get download manpages-ja libreoffice-help-ja >/dev/null 2>&1 ||
                { apt-get update >/dev/null 2>&1 && apt-get download manpages-ja libreoffice-help-ja >/dev/null 2>&1; } ||
                { echo "sweep: cannot download manpages-ja / libreoffice-help-ja; skipped" >&2; exit 3; }
        fi
        rm -rf x && mkdir x
        for d in manpages-ja_*.deb libreoffice-help-ja_*.deb; do dpkg-deb -x "$d" x; done
        python3 - <<'PY'
import gzip, html, os, re
lines = []
for root, _, files in sorted(os.walk("x")):
    for f in sorted(files):
        p = os.path.join(root, f)
        if f.endswith(".gz") and "/man/" in p:
            t = gzip.open(p).read().decode("utf-8", "replace")
            t = re.sub(r"^\.[A-Za-z]+\s*", "", t, flags=re.M)
            t = re.sub(r"\\f[BIRP]", "", t)
        elif f.endswith(".html"):
            t = open(p, "rb").read().decode("utf-8", "replace")
            t = re.sub(r"<script.*?</script>", "", t, flags=re.S)
            t = html.unescape(re.sub(r"<[^>]+>", "\n", t))
        else:
            continue
        for line in t.split("\n"):
            line = line.strip()
            if len(line) >= 4 and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", line):
                lines.append(line)
open("lines.txt", "w").write("\n".join(lines) + "\n")
PY
        rm -rf x
    ) || { [[ $? == 3 ]] && exit 0; exit 1; }
fi

# The debug build is the one `cargo test` already made; a release build would cost CI a
# second compile of everything for a few seconds saved here.
PROFILE=debug
((CHECK)) || PROFILE=release
if [[ $PROFILE == release ]]; then
    cargo build --release --locked --quiet -p inochi-cli
else
    cargo build --locked --quiet -p inochi-cli
fi
"$CARGO_TARGET_DIR/$PROFILE/inochi" classify --lines "$CACHE/lines.txt" --no-progress > "$CACHE/verdicts.jsonl"
python3 - "$CACHE" "$CHECK" <<'PY'
import collections, json, sys
cache, check = sys.argv[1], sys.argv[2] == "1"
lines = open(f"{cache}/lines.txt").read().split("\n")
counts = collections.Counter()
bad = []
for raw in open(f"{cache}/verdicts.jsonl"):
    v = json.loads(raw)
    counts[v["primary"]] += 1
    if v["primary"] != "none":
        rules = sorted({e["rule"] for l in v["labels"] for e in l["evidence"]})
        print(f"{v['primary']:13} {lines[v['id'] - 1][:120]}  [{', '.join(rules)}]")
        if v["primary"] in ("inducement", "method", "incitement", "announcement"):
            bad.append(v["id"])
print(f"sweep: {sum(counts.values())} lines; " + ", ".join(f"{c} {counts[c]}" for c in
      ["announcement", "inducement", "method", "incitement", "ideation", "none"]))
if check and bad:
    print(f"sweep: {len(bad)} lines got a takedown-class or announcement label", file=sys.stderr)
    sys.exit(1)
PY
