#!/usr/bin/env bash
# A CI smoke run of every fuzz target; scripts/test calls it when fuzz/Cargo.toml exists.
#
# Usage: bash fuzz/smoke.sh [TARGET...]        (default: every target)
#
# Installs cargo-fuzz (`cargo install cargo-fuzz --locked`, into ~/.cargo/bin) if missing,
# writes the seed corpora (fuzz/seed.py, from tests/corpus and core/packs; git-ignored), builds
# every target once on nightly, then runs each for FUZZ_SECONDS. Prints per target the
# executions done; exits non-zero on any crash, leak, timeout or out-of-memory (the input that
# did it is left in fuzz/artifacts/TARGET/).
#
# Environment:
#   FUZZ_SECONDS       seconds per target (default 30)
#   CARGO_TARGET_DIR   shared target dir; fuzz builds go to its x86_64-unknown-linux-gnu/ folder
#   FUZZ_TOOLCHAIN     the nightly toolchain (default nightly)
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
# From the repo root, so that cargo reads .cargo/config.toml (LINDERA_BUILD_DICTIONARY_CACHE_DIR
# for the embedded dictionary).
cd "$ROOT"
SECS=${FUZZ_SECONDS:-30}
TC=${FUZZ_TOOLCHAIN:-nightly}
ALL=(fold_classify pack payload jsonl)
if (($# > 0)); then TARGETS=("$@"); else TARGETS=("${ALL[@]}"); fi
if [[ -n "${CARGO_TARGET_DIR:-}" ]]; then
    [[ "$CARGO_TARGET_DIR" == /* ]] || CARGO_TARGET_DIR=$PWD/$CARGO_TARGET_DIR
    export CARGO_TARGET_DIR
fi
T0=$SECONDS

export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo fuzz --version >/dev/null 2>&1; then
    printf 'smoke: installing cargo-fuzz\n'
    cargo install cargo-fuzz --locked
fi
if ! cargo "+$TC" --version >/dev/null 2>&1; then
    printf 'smoke: the %s toolchain is not installed (rustup toolchain install %s)\n' "$TC" "$TC" >&2
    exit 1
fi

python3 fuzz/seed.py

printf 'smoke: building %s\n' "${TARGETS[*]}"
# One build for every target (the same flags `fuzz run` uses: release with debug assertions).
cargo "+$TC" fuzz build --fuzz-dir fuzz
printf 'smoke: build took %d s\n' $((SECONDS - T0))

LOGDIR=$(mktemp -d)
trap 'rm -rf "$LOGDIR"' EXIT
failed=()
summary=()
for t in "${TARGETS[@]}"; do
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
    log=$LOGDIR/$t.log
    printf 'smoke: fuzzing %s for %d s\n' "$t" "$SECS"
    rc=0
    # -timeout: one input taking longer than 30 s is a hang; -rss_limit_mb: 4 GB is an OOM.
    cargo "+$TC" fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$SECS" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
        >"$log" 2>&1 || rc=$?
    runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 execs in \2 s/p' "$log" | tail -1)
    if ((rc != 0)); then
        tail -n 60 "$log" >&2
        failed+=("$t")
        summary+=("$t: FAILED (exit $rc; artifacts in fuzz/artifacts/$t/)")
    else
        summary+=("$t: ${runs:-? execs} ($(grep -c . <(ls "fuzz/corpus/$t")) corpus entries)")
    fi
done

printf '\nsmoke: per target\n'
printf '  %s\n' "${summary[@]}"
printf 'smoke: %d s in all\n' $((SECONDS - T0))
if ((${#failed[@]} > 0)); then
    printf 'smoke: FAILED: %s\n' "${failed[*]}" >&2
    exit 1
fi
