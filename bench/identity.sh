#!/usr/bin/env bash
# Byte-identity check for refactorings: builds the demo content, a
# 1,000-plan corpus and a 500-plan git repository with 20 tags (with
# --versions) with the planbook binary BIN into OUT/{demo,corpus,versions}.
# Build twice with two binaries and compare:
#
#   bench/identity.sh /tmp/planbook-before /tmp/before
#   bench/identity.sh target/release/planbook /tmp/after
#   diff -r /tmp/before /tmp/after && echo identical
#
# The inputs are made once under INPUTS (default /tmp/planbook-identity)
# and reused, so both builds read the same git objects. The corpus and the
# versions repository are built with search on (their default) and again
# with `[search] enabled = false` (copies under INPUTS/nosearch).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "$1")
OUT=$2
INPUTS=${INPUTS:-/tmp/planbook-identity}
TODAY=2026-11-28

if [ ! -d "$INPUTS/vrepo/.git" ]; then
  rm -rf "$INPUTS"
  mkdir -p "$INPUTS"
  cargo build --release --quiet --example gen_corpus
  "${CARGO_TARGET_DIR:-target}"/release/examples/gen_corpus --plans 1000 --out "$INPUTS/corpus" >/dev/null
  "${CARGO_TARGET_DIR:-target}"/release/examples/gen_corpus --plans 500 --out "$INPUTS/vrepo" >/dev/null
  export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
  export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
  export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
  g() { git -C "$INPUTS/vrepo" -c init.defaultBranch=main -c commit.gpgsign=false "$@"; }
  g init -q
  mapfile -t files < <(find "$INPUTS/vrepo/content" -name '*.md' | sort)
  for t in $(seq 0 19); do
    if [ "$t" -gt 0 ]; then
      for k in $(seq 0 24); do
        f=${files[$(((t * 37 + k * 19) % ${#files[@]}))]}
        sed -i "0,/^title: \"/s//title: \"rev$t /" "$f"
      done
    fi
    export GIT_AUTHOR_DATE="2026-11-$(printf %02d $((t + 1)))T10:00:00Z"
    export GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
    g add -A
    g commit -q -m "review $t"
    g tag "v$(printf %02d $((t + 1)))"
  done
fi

rm -rf "$OUT"
mkdir -p "$OUT"
"$BIN" --root . --today "$TODAY" -q build --out "$OUT/demo"
"$BIN" --root "$INPUTS/corpus" --today "$TODAY" -q build --out "$OUT/corpus"
"$BIN" --root "$INPUTS/vrepo" --today "$TODAY" -q build --versions --out "$OUT/versions"
if [ ! -d "$INPUTS/nosearch/vrepo/.git" ]; then
  rm -rf "$INPUTS/nosearch"
  mkdir -p "$INPUTS/nosearch"
  cp -a "$INPUTS/corpus" "$INPUTS/vrepo" "$INPUTS/nosearch/"
  for r in corpus vrepo; do
    printf '\n[search]\nenabled = false\n' >>"$INPUTS/nosearch/$r/book.toml"
  done
fi
"$BIN" --root "$INPUTS/nosearch/corpus" --today "$TODAY" -q build --out "$OUT/corpus-nosearch"
"$BIN" --root "$INPUTS/nosearch/vrepo" --today "$TODAY" -q build --versions --out "$OUT/versions-nosearch"
echo "built demo, corpus and versions (search on and off) into $OUT"
