#!/usr/bin/env bash
# Build the `inochi` wheel and test it as a user gets it: installed into a fresh virtualenv
# without network access, then pytest against the installed package. scripts/test calls this.
#
# Usage: bindings-python/test.sh [--release] [-- PYTEST-ARGS...]
#
#   --release   build the wheel with `maturin build --release` (for benchmarks and release
#               wheels). The default is cargo's dev profile: `cargo test` has already compiled
#               the core in that profile, so the wheel costs seconds, where a release build of
#               the core costs minutes on a small CI machine. The results are the same.
#
# Steps:
#   1. tools virtualenv (reused, one per Python version): maturin, pinned, from PyPI; a local
#      wheelhouse with tests/requirements.txt (pytest, pinned): the only steps that use the
#      network, once;
#   2. `maturin build` into $CARGO_TARGET_DIR/python/wheels-<profile>/; check that the wheel
#      carries COPYING.ipadic;
#   3. a fresh virtualenv; `pip install --no-index` of the wheel and of pytest from the
#      wheelhouse;
#   4. the Rust CLI (`inochi`, same profile, copied) for the corpus comparison;
#   5. pytest bindings-python/tests, run from outside the source tree against the install.
#
# Environment: CARGO_TARGET_DIR (default <repo>/target), PYTHON (default python3; 3.9 or later,
# e.g. PYTHON=python3.9 to test the oldest Python the abi3 wheel supports), INOCHI_CLI (the CLI
# to compare with, instead of the one built here).
# After a run, $CARGO_TARGET_DIR/python/venv-test holds the installed package (bench.py uses it).
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
PROFILE=dev
PYTEST_ARGS=()
while (($#)); do
    case "$1" in
        --release) PROFILE=release ;;
        --) shift; PYTEST_ARGS=("$@"); break ;;
        -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) printf 'test.sh: unknown argument %s (see --help)\n' "$1" >&2; exit 2 ;;
    esac
    shift
done

MATURIN_VERSION=1.16.0
REQUIREMENTS=$ROOT/bindings-python/tests/requirements.txt

CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
[[ "$CARGO_TARGET_DIR" == /* ]] || CARGO_TARGET_DIR=$PWD/$CARGO_TARGET_DIR
export CARGO_TARGET_DIR
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))' ||
    { printf 'test.sh: %s does not run, or is older than Python 3.9\n' "$PYTHON" >&2; exit 1; }
PYVER=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
WORK=$CARGO_TARGET_DIR/python
TOOLS=$WORK/venv-tools-$PYVER
WHEELHOUSE=$WORK/wheelhouse-$PYVER
TESTENV=$WORK/venv-test
OUT=$WORK/wheels-$PROFILE
# Repo root: cargo reads .cargo/config.toml (the offline dictionary cache) from here.
cd "$ROOT"

step() { printf -- '--- python: %s\n' "$*"; }

# ---- 1. tools (reused while the pins do not change) ---------------------------------------
STAMP="maturin==$MATURIN_VERSION $("$PYTHON" -c 'import sys; print(sys.version.split()[0])') $(cksum < "$REQUIREMENTS")"
if [[ ! -x $TOOLS/bin/maturin || "$(cat "$TOOLS/.stamp" 2>/dev/null)" != "$STAMP" ]]; then
    step "tools virtualenv $TOOLS (maturin $MATURIN_VERSION), wheelhouse $WHEELHOUSE"
    rm -rf "$TOOLS" "$WHEELHOUSE"
    "$PYTHON" -m venv "$TOOLS"
    "$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check "maturin==$MATURIN_VERSION"
    "$TOOLS/bin/python" -m pip download --quiet --disable-pip-version-check \
        --dest "$WHEELHOUSE" --only-binary=:all: -r "$REQUIREMENTS"
    printf '%s\n' "$STAMP" > "$TOOLS/.stamp"
fi

# ---- 2. the wheel ------------------------------------------------------------------------
step "maturin build (profile $PROFILE)"
rm -rf "$OUT"
MATURIN_ARGS=(build --manifest-path bindings-python/Cargo.toml --out "$OUT" --locked
              --interpreter "$PYTHON")
if [[ $PROFILE == release ]]; then MATURIN_ARGS+=(--release); else MATURIN_ARGS+=(--profile dev); fi
"$TOOLS/bin/maturin" "${MATURIN_ARGS[@]}"
WHEELS=("$OUT"/inochi-*.whl)
[[ ${#WHEELS[@]} -eq 1 && -f ${WHEELS[0]} ]] ||
    { printf 'test.sh: expected one wheel in %s\n' "$OUT" >&2; exit 1; }
WHEEL=${WHEELS[0]}
"$PYTHON" - "$WHEEL" <<'EOF'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
need = ["inochi/COPYING.ipadic", "inochi/py.typed", "inochi/__init__.pyi"]
missing = [n for n in need if n not in names]
if not any(n.endswith(".dist-info/licenses/COPYING.ipadic") for n in names):
    missing.append("*.dist-info/licenses/COPYING.ipadic")
if missing:
    sys.exit(f"test.sh: the wheel lacks {', '.join(missing)}")
print(f"wheel: {sys.argv[1]} ({len(names)} files, COPYING.ipadic included)")
EOF

# ---- 3. a fresh virtualenv, no network ---------------------------------------------------
step "fresh virtualenv $TESTENV, pip install --no-index"
rm -rf "$TESTENV"
"$PYTHON" -m venv "$TESTENV"
"$TESTENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-index \
    --find-links "$WHEELHOUSE" "$WHEEL" -r "$REQUIREMENTS"

# ---- 4. the Rust CLI to compare with -----------------------------------------------------
# A copy: another checkout sharing this target dir may rebuild target/<profile>/inochi from
# other sources while the suite runs.
if [[ $PROFILE == release ]]; then
    cargo build --locked --quiet --release -p inochi-cli
    cp "$CARGO_TARGET_DIR/release/inochi" "$WORK/inochi-cli-release"
else
    cargo build --locked --quiet -p inochi-cli
    cp "$CARGO_TARGET_DIR/debug/inochi" "$WORK/inochi-cli-dev"
fi
CLI=${INOCHI_CLI:-$WORK/inochi-cli-$PROFILE}

# ---- 5. pytest against the installed package ---------------------------------------------
step "pytest"
cd "$WORK"
INOCHI_CLI=$CLI INOCHI_ROOT=$ROOT INOCHI_WHEEL=$WHEEL \
    "$TESTENV/bin/python" -m pytest -p no:cacheprovider -q "$ROOT/bindings-python/tests" \
    ${PYTEST_ARGS[@]+"${PYTEST_ARGS[@]}"}
