#!/usr/bin/env bash
# Long fuzz runs, one target after another, for the hours the resolve notes report.
#
# Usage: bash fuzz/long.sh MINUTES TARGET [MINUTES TARGET ...]
#   e.g. bash fuzz/long.sh 60 fold_classify 60 jsonl 60 payload 60 pack
#
# One libFuzzer process per target (on this 2-core machine the other core stays free for
# work); the seed corpora and every input found so far are kept in fuzz/corpus/TARGET, so runs
# add up across sessions. Each run's log goes to fuzz/logs/TARGET-DATE.log and a line
# "TARGET: N execs in S s, exit RC" is appended to fuzz/logs/runs.txt (git-ignored). A crash
# stops that target's run and leaves its input in fuzz/artifacts/TARGET/; the script goes on
# with the next target and exits non-zero at the end.
set -uo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
TC=${FUZZ_TOOLCHAIN:-nightly}
export PATH="$HOME/.cargo/bin:$PATH"
if (($# == 0 || $# % 2 != 0)); then
    sed -n '2,12p' "$0" >&2
    exit 2
fi
python3 fuzz/seed.py
cargo "+$TC" fuzz build --fuzz-dir fuzz || exit 1
mkdir -p fuzz/logs
failed=0
while (($# > 0)); do
    mins=$1 t=$2
    shift 2
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
    log=fuzz/logs/$t-$(date -u +%Y%m%dT%H%M%S).log
    printf 'long: %s for %d min (log %s)\n' "$t" "$mins" "$log"
    rc=0
    cargo "+$TC" fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- \
        -max_total_time=$((mins * 60)) -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
        >"$log" 2>&1 || rc=$?
    runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 execs in \2 s/p' "$log" | tail -1)
    line="$(date -u +%FT%TZ) $t: ${runs:-? execs}, exit $rc"
    printf '%s\n' "$line" | tee -a fuzz/logs/runs.txt
    ((rc == 0)) || failed=1
done
exit $failed
