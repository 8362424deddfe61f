#!/usr/bin/env bash
# `planbook serve` with search on a plan repository: peak memory (VmHWM)
# once the first search index is served and after each of EDITS edits to
# one plan, and how long each edit takes until the new index is served
# (pagefind-entry.json changes). With the search cache (.planbook-cache/)
# only the edited plan's page is parsed again.
#
#   bench/serve-search.sh REPO [BIN]     # REPO: a plan repository (copied)
#   COLD=1 bench/serve-search.sh REPO    # start without a search cache
set -euo pipefail
repo=${1:?usage: bench/serve-search.sh REPO [BIN]}
bin=${2:-$(dirname "$0")/../target/release/planbook}
EDITS=${EDITS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/planbook-serve.XXXXXX")
cp -r "$repo" "$work/repo"
[ "${COLD:-}" = 1 ] && rm -rf "$work/repo/.planbook-cache"
port=$((20000 + RANDOM % 20000))
"$bin" --root "$work/repo" --today 2026-11-28 -q serve --port "$port" >"$work/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT

entry() { curl -fsS "http://127.0.0.1:$port/pagefind/pagefind-entry.json" 2>/dev/null || true; }
hwm() { awk '/VmHWM/ { printf "%d MB", $2 / 1024 }' "/proc/$pid/status"; }
# wait_change OLD: waits until the entry differs from OLD (and is not empty).
wait_change() {
  local old=$1 now
  for _ in $(seq 6000); do
    now=$(entry)
    if [ -n "$now" ] && [ "$now" != "$old" ]; then
      printf '%s' "$now"
      return 0
    fi
    sleep 0.01
  done
  echo "no new index" >&2
  return 1
}

start=$(date +%s.%N)
current=$(wait_change "")
echo "first index served after $(echo "$(date +%s.%N) - $start" | bc) s, peak $(hwm)"
plan=$(find "$work/repo/content" -name '*.md' | sort | sed -n 1p)
for i in $(seq "$EDITS"); do
  start=$(date +%s.%N)
  printf '\nEdited in the serve bench, round %s.\n' "$i" >>"$plan"
  current=$(wait_change "$current")
  echo "edit $i: new index served after $(echo "$(date +%s.%N) - $start" | bc) s, peak $(hwm)"
done
