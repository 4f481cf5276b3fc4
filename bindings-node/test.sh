#!/usr/bin/env bash
# Build and test the Node package `inochi` (bindings-node/); scripts/test runs it.
#
# Usage: bindings-node/test.sh
#
# Steps (each starts with a "--- " line):
#   1. npm ci                  the pinned @napi-rs/cli, from npm's cache when it has it
#   2. cargo build inochi-cli  the Rust CLI (debug) that the suite compares the binding with
#   3. napi build --release    the addon, inochi.linux-x64-gnu.node (stripped: 55 MB instead of
#                              71 MB); index.js and index.d.ts are regenerated and must equal
#                              the committed ones
#   4. node --test test/       the suite, against this folder
#   5. npm pack                the tarball holds exactly the package files
#   6. install                 the tarball goes into an empty project with `npm install --offline`
#                              and works there: a smoke check, then the suite against that copy
# Exit status: 0 if every step passed, non-zero at the first failure.
#
# Environment:
#   CARGO_TARGET_DIR   shared target directory (default <repo>/target)
#   INOCHI_CLI         the CLI to compare with (default: a copy of the one step 2 builds)
#   INOCHI_NODE_KEEP=1 keep the temporary directory with the tarball and the test project
#
# Release, not debug: measured on 2 cores, a core change costs ~30 s to rebuild the release addon
# from a warm target directory (a debug build of the same is not faster in practice, and a cold
# one is ~3 min either way), and the release addon is what the package ships and what the
# event-loop test and the bench measure. napi builds for an explicit --target, so its artifacts
# live in $CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/ and never evict the workspace's own.
set -euo pipefail

HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd -- "$HERE/.." && pwd -P)
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
[[ "$CARGO_TARGET_DIR" == /* ]] || CARGO_TARGET_DIR=$ROOT/$CARGO_TARGET_DIR
export CARGO_TARGET_DIR

step() { printf -- '--- %s\n' "$*"; }

command -v node >/dev/null || { echo "test.sh: node is not installed" >&2; exit 1; }
command -v npm >/dev/null || { echo "test.sh: npm is not installed" >&2; exit 1; }
printf 'node %s, npm %s, CARGO_TARGET_DIR=%s\n' "$(node --version)" "$(npm --version)" "$CARGO_TARGET_DIR"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/inochi-node.XXXXXX")
cleanup() {
    if [[ "${INOCHI_NODE_KEEP:-}" == 1 ]]; then
        printf 'kept %s\n' "$WORK"
    else
        rm -rf -- "$WORK"
    fi
}
trap cleanup EXIT

cd "$HERE"

step "1/6 npm ci"
npm ci --prefer-offline --no-audit --no-fund

step "2/6 cargo build -p inochi-cli (the CLI the suite compares with)"
(cd "$ROOT" && cargo build --locked -p inochi-cli)
if [[ -z "${INOCHI_CLI:-}" ]]; then
    # A copy: with a shared target directory another checkout's build may replace
    # $CARGO_TARGET_DIR/debug/inochi while the suite runs.
    cp "$CARGO_TARGET_DIR/debug/inochi" "$WORK/inochi"
    export INOCHI_CLI="$WORK/inochi"
fi

step "3/6 napi build --platform --release --strip"
npx napi build --platform --release --strip --no-const-enum -- --locked
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
   git -C "$ROOT" ls-files --error-unmatch bindings-node/index.d.ts >/dev/null 2>&1; then
    if ! git -C "$ROOT" diff --exit-code -- bindings-node/index.js bindings-node/index.d.ts; then
        echo "test.sh: napi regenerated index.js or index.d.ts differently from the committed files;" >&2
        echo "         review the change above and commit it" >&2
        exit 1
    fi
fi

step "4/6 node --test test/"
node --test test/

step "5/6 npm pack"
npm pack --pack-destination "$WORK" --json >"$WORK/pack.json"
TARBALL="$WORK/$(node -p "require('$WORK/pack.json')[0].filename")"
ls -l "$TARBALL"
listing=$(tar -tzf "$TARBALL" | sed 's|^package/||' | sort | tr '\n' ' ')
expected="COPYING.ipadic README.md index.d.ts index.js inochi.linux-x64-gnu.node package.json "
if [[ "$listing" != "$expected" ]]; then
    printf 'test.sh: the tarball holds\n  %s\nexpected\n  %s\n' "$listing" "$expected" >&2
    exit 1
fi

step "6/6 npm install --offline into an empty project"
APP="$WORK/app"
mkdir -p "$APP"
(
    cd "$APP"
    printf '{ "name": "inochi-install-check", "version": "1.0.0", "private": true }\n' >package.json
    npm install --offline --no-audit --no-fund "$TARBALL"
    test -f node_modules/inochi/COPYING.ipadic
    node - <<'EOF'
const assert = require('node:assert/strict')
const inochi = require('inochi')
const c = new inochi.Classifier()
assert.equal(c.classify('一緒に死ねる人を探しています。DMください').primary, 'inducement')
assert.equal(JSON.parse(c.classifyJson('死にたいなあ')).primary, 'ideation')
try {
  new inochi.Classifier({ packToml: '[' })
  assert.fail('no error')
} catch (e) {
  assert.equal(e.code, 'ERR_INOCHI_PACK')
}
c.classifyBatch(['今夜ビルの屋上から飛び降ります。さようなら', '死ぬほど眠い']).then((vs) => {
  assert.deepEqual(vs.map((v) => v.primary), ['announcement', 'none'])
  console.log(`installed package works: ${require.resolve('inochi')}, pack ${c.pack.name} ${c.pack.hash}`)
})
EOF
)
INOCHI_NODE_PACKAGE="$APP/node_modules/inochi" node --test test/

printf 'bindings-node/test.sh: all steps passed\n'
