#!/usr/bin/env bash
# Packs a built planbook binary into its release archive:
#
#   ci/package.sh TARGET BINARY OUTDIR    writes OUTDIR/planbook-VERSION-TARGET.tar.gz
#                                         (.zip for Windows) and prints its path
#   ci/package.sh --name TARGET VERSION   prints the archive's file name only
#
# The archive holds one directory, planbook-VERSION-TARGET/, with the
# binary, README.md, CHANGELOG.md, both licence files, the shell
# completions (completions/) and the man page (man/planbook.1), which the
# binary writes itself: BINARY must run on this machine. VERSION is read
# from `BINARY --version`. The name is the one contract shared by this
# script, ci/install.sh (the GitHub Action), Cargo.toml's binstall metadata
# and .github/workflows/release.yml; tests/testsuite/release.rs checks
# that they agree.
set -euo pipefail

die() {
  printf 'package.sh: %s\n' "$*" >&2
  exit 1
}

# planbook-VERSION-TARGET.tar.gz, or .zip for Windows targets.
archive_name() {
  case $1 in
    *-windows-*) printf 'planbook-%s-%s.zip\n' "$2" "$1" ;;
    *) printf 'planbook-%s-%s.tar.gz\n' "$2" "$1" ;;
  esac
}

if [ "${1:-}" = --name ]; then
  [ $# -eq 3 ] || die "usage: ci/package.sh --name TARGET VERSION"
  archive_name "$2" "$3"
  exit 0
fi
[ $# -eq 3 ] || die "usage: ci/package.sh TARGET BINARY OUTDIR"
target=$1
bin=$2
out=$3
root=$(cd "$(dirname "$0")/.." && pwd)

[ -x "$bin" ] || die "$bin is not an executable"
# `planbook 0.2.0 (abc1234567 x86_64-unknown-linux-musl)`
version=$("$bin" --version | awk 'NR == 1 { print $2 }')
[ -n "$version" ] || die "$bin --version printed no version"
archive=$(archive_name "$target" "$version")
name=${archive%.tar.gz}
name=${name%.zip}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir=$stage/$name
mkdir -p "$dir/completions" "$dir/man"
case $target in
  *-windows-*) cp "$bin" "$dir/planbook.exe" ;;
  *) cp "$bin" "$dir/planbook" && chmod 755 "$dir/planbook" ;;
esac
cp "$root/README.md" "$root/CHANGELOG.md" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$dir/"
"$bin" completions bash >"$dir/completions/planbook.bash"
"$bin" completions zsh >"$dir/completions/_planbook"
"$bin" completions fish >"$dir/completions/planbook.fish"
"$bin" completions powershell >"$dir/completions/_planbook.ps1"
"$bin" man >"$dir/man/planbook.1"

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/$archive"
case $archive in
  *.zip) (cd "$stage" && 7z a -tzip -bso0 "$out/$archive" "$name" >/dev/null) ;;
  *) tar -C "$stage" -czf "$out/$archive" "$name" ;;
esac
printf '%s\n' "$out/$archive"
