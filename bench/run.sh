#!/usr/bin/env bash
# planbook against Hugo and Zola on the same markdown bodies, and against
# the floor (reading every file and rendering its markdown with
# pulldown-cmark alone; "floor+write" also writes each rendered body to a
# file of its own, as a site has one page per plan). For each corpus size:
# median wall time and peak RSS over RUNS runs, each into a fresh output
# directory (removing the previous one is not timed), and ratios measured
# in this same run.
#
#   bench/run.sh                      # sizes 1000 and 10000, 3 runs each
#   SIZES=1000 RUNS=5 bench/run.sh
#   TMPDIR=/dev/shm bench/run.sh      # on tmpfs: measure the tools, not the disk
#
# Rows: `planbook-build` is the default configuration (search on), cold:
# the search cache (.planbook-cache/) is removed before each run.
# `pb-rebuild-1-edit` is the build a team sees day to day: the cache
# warm, one plan edited before each run. `hugo+pagefind` is Hugo and then
# Pagefind's own CLI indexing Hugo's pages (the same bodies), timed as one
# command. Hugo's pages say they are Japanese (`<html lang="ja">`), as
# planbook's do: Pagefind splits the words of such a page, and indexes a
# page without `lang` as whole runs of text (1,044 words for 1,000 plans).
#
# Hugo: `apt-get install hugo`. Zola: put `zola` on PATH; skipped otherwise.
# Pagefind's CLI: `pip install 'pagefind[extended]'` (`python3 -m
# pagefind`); skipped otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SIZES=${SIZES:-"1000 10000"}
TODAY=2026-11-28
WORK=$(mktemp -d "${TMPDIR:-/tmp}/planbook-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet --bin planbook --example gen_corpus --example floor
PB=$PWD/target/release/planbook
GEN=$PWD/target/release/examples/gen_corpus
FLOOR=$PWD/target/release/examples/floor
HUGO=$(command -v hugo || true)
ZOLA=$(command -v zola || true)

PAGEFIND=""
python3 -m pagefind --version >/dev/null 2>&1 && PAGEFIND="python3 -m pagefind"

# Run before each timed run of `measure` (not timed).
BEFORE=true

# measure NAME OUTDIR CMD...: prints "NAME seconds rss_mb" (medians / max).
measure() {
  local name=$1 out=$2
  shift 2
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    rm -rf "$out"
    $BEFORE
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || {
      echo "$name failed:" >&2
      cat "$WORK/err" >&2
      return 1
    }
    read -r t m <"$WORK/time"
    times+=("$t")
    ((m > rss)) && rss=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
  echo "$name $median $((rss / 1024))"
}

echo "date: $(date -u +%Y-%m-%d), machine: $(nproc) cores, $(uname -sr), output under ${TMPDIR:-/tmp}"
echo "hugo: $([ -n "$HUGO" ] && hugo version | cut -d' ' -f2 || echo not installed); zola: $([ -n "$ZOLA" ] && zola --version || echo not installed)"
for n in $SIZES; do
  dir=$WORK/n$n
  "$GEN" --plans "$n" --out "$dir/plans" --hugo "$dir/hugo" --zola "$dir/zola" >/dev/null
  {
    measure "planbook-lint" "$WORK/none" "$PB" --root "$dir/plans" --today "$TODAY" -q lint
    no_cache() { rm -rf "$dir/plans/.planbook-cache"; }
    BEFORE=no_cache
    measure "planbook-build" "$dir/out" "$PB" --root "$dir/plans" --today "$TODAY" -q build --out "$dir/out"
    # Warm cache, one plan's body edited before each run.
    "$PB" --root "$dir/plans" --today "$TODAY" -q build --out "$dir/out" >/dev/null
    edited=$(find "$dir/plans/content" -name '*.md' | sort | sed -n 1p)
    edit_one() { printf '\nedited %s\n' "$RANDOM$RANDOM" >>"$edited"; }
    BEFORE=edit_one
    measure "pb-rebuild-1-edit" "$dir/out" "$PB" --root "$dir/plans" --today "$TODAY" -q build --out "$dir/out"
    BEFORE=no_cache
    # The same build with search off ([search] enabled = false): the index
    # is most of a large build's time (README, "The site").
    cp "$dir/plans/book.toml" "$WORK/book.toml"
    printf '\n[search]\nenabled = false\n' >>"$dir/plans/book.toml"
    measure "pb-build-nosearch" "$dir/out" "$PB" --root "$dir/plans" --today "$TODAY" -q build --out "$dir/out"
    cp "$WORK/book.toml" "$dir/plans/book.toml"
    BEFORE=true
    measure "floor" "$WORK/none" "$FLOOR" "$dir/plans"
    measure "floor+write" "$dir/floor-out" "$FLOOR" "$dir/plans" --write "$dir/floor-out"
    [ -n "$HUGO" ] && measure "hugo" "$dir/hugo-out" "$HUGO" --quiet -s "$dir/hugo" -d "$dir/hugo-out"
    [ -n "$HUGO" ] && [ -n "$PAGEFIND" ] && measure "hugo+pagefind" "$dir/hugo-out" \
      sh -c "\"$HUGO\" --quiet -s \"$dir/hugo\" -d \"$dir/hugo-out\" && $PAGEFIND --site \"$dir/hugo-out\" --silent"
    [ -n "$ZOLA" ] && measure "zola" "$dir/zola-out" "$ZOLA" --root "$dir/zola" build -o "$dir/zola-out"
    true
  } >"$dir/results"
  echo
  echo "N = $n"
  awk '
    { t[$1] = $2; m[$1] = $3; order[NR] = $1 }
    END {
      printf "| %-15s | %9s | %13s | %9s | %9s |\n", "tool", "median s", "peak RSS MB", "× hugo", "× floor"
      printf "|-----------------|-----------|---------------|-----------|-----------|\n"
      for (i = 1; i <= NR; i++) {
        k = order[i]
        h = ("hugo" in t) ? sprintf("%.2f", t[k] / t["hugo"]) : "—"
        f = sprintf("%.1f", t[k] / t["floor"])
        printf "| %-15s | %9.2f | %13d | %9s | %9s |\n", k, t[k], m[k], h, f
      }
    }' "$dir/results"
done
