#!/usr/bin/env bash
# Installs planbook from a release: picks the archive for this OS and
# architecture, checks it against the release's SHA256SUMS, and puts the
# binary in an install directory. The GitHub Action (action.yml) runs it;
# it works anywhere with bash, curl or wget, tar (unzip on Windows) and
# sha256sum or shasum.
#
#   PLANBOOK_VERSION      the version: 0.2.0 or v0.2.0 (required)
#   PLANBOOK_RELEASES     where the releases are, e.g.
#                         https://github.com/OWNER/planbook/releases/download
#                         (the files are looked up under vVERSION/)
#   PLANBOOK_INSTALL_DIR  where planbook goes (default: ~/.local/bin)
#   RUNNER_OS, RUNNER_ARCH  the platform as GitHub names it (Linux, macOS,
#                         Windows; X64, ARM64); default: uname
#
#   ci/install.sh --archive-name   prints the archive's name and exits
#
# Exit codes: 0 installed (or already there), 1 anything else; nothing is
# installed unless the archive matched its checksum.
set -euo pipefail

die() {
  printf 'planbook install: %s\n' "$*" >&2
  exit 1
}

version=${PLANBOOK_VERSION:-}
version=${version#v}
[ -n "$version" ] || die "no version given: set PLANBOOK_VERSION (e.g. 0.2.0)"
case $version in
  *[!0-9A-Za-z.+-]* | .* | *..*) die "\`$version\` is not a version (e.g. 0.2.0)" ;;
esac

os=${RUNNER_OS:-$(uname -s)}
arch=${RUNNER_ARCH:-$(uname -m)}
case $os in
  Linux) os=linux ;;
  macOS | Darwin) os=macos ;;
  Windows | MINGW* | MSYS* | CYGWIN*) os=windows ;;
esac
case $arch in
  X64 | x86_64 | amd64 | AMD64) arch=x86_64 ;;
  ARM64 | aarch64 | arm64) arch=aarch64 ;;
esac
case $os-$arch in
  linux-x86_64) target=x86_64-unknown-linux-musl ;;
  linux-aarch64) target=aarch64-unknown-linux-musl ;;
  macos-x86_64) target=x86_64-apple-darwin ;;
  macos-aarch64) target=aarch64-apple-darwin ;;
  windows-x86_64) target=x86_64-pc-windows-msvc ;;
  *) die "planbook has no release archive for $os on $arch; build it from source instead: cargo install --locked planbook (needs a Rust toolchain)" ;;
esac
# The name ci/package.sh gives the archive.
name=planbook-$version-$target
exe=planbook
case $target in
  *-windows-*) archive=$name.zip exe=planbook.exe ;;
  *) archive=$name.tar.gz ;;
esac
if [ "${1:-}" = --archive-name ]; then
  printf '%s\n' "$archive"
  exit 0
fi

releases=${PLANBOOK_RELEASES:-}
[ -n "$releases" ] || die "no release location given: set PLANBOOK_RELEASES (e.g. https://github.com/OWNER/planbook/releases/download)"
dir=${PLANBOOK_INSTALL_DIR:-$HOME/.local/bin}

# Already there (a restored cache): nothing to download.
if [ -x "$dir/$exe" ] && "$dir/$exe" --version 2>/dev/null | grep -q "^planbook $version "; then
  printf 'planbook %s is already installed in %s\n' "$version" "$dir"
  exit 0
fi

fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl --fail --silent --show-error --location --retry 3 --output "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget --quiet --tries=3 --output-document="$2" "$1"
  else
    die "neither curl nor wget is installed"
  fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{ print $1 }'
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | awk '{ print $1 }'
  else
    die "neither sha256sum nor shasum is installed: cannot check the download"
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
base=$releases/v$version
fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS" 2>"$tmp/err" \
  || die "planbook $version has no release at $base/ ($(tr '\n' ' ' <"$tmp/err")); check the version: the releases are tagged v0.2.0, and PLANBOOK_VERSION is 0.2.0 or v0.2.0"
expected=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS")
[ -n "$expected" ] || die "the release $version has no archive for $target (SHA256SUMS lists no $archive)"
fetch "$base/$archive" "$tmp/$archive" 2>"$tmp/err" \
  || die "cannot download $base/$archive: $(tr '\n' ' ' <"$tmp/err")"
actual=$(sha256 "$tmp/$archive")
[ "$actual" = "$expected" ] \
  || die "checksum mismatch for $archive: SHA256SUMS says $expected, the download is $actual; nothing was installed"

case $archive in
  *.zip) (cd "$tmp" && unzip -q "$archive") ;;
  *) tar -C "$tmp" -xzf "$tmp/$archive" ;;
esac
[ -f "$tmp/$name/$exe" ] || die "$archive holds no $name/$exe; nothing was installed"
mkdir -p "$dir"
# Copy beside the destination, then rename: never a half-written binary.
cp "$tmp/$name/$exe" "$dir/.$exe.$$"
chmod 755 "$dir/.$exe.$$"
mv -f "$dir/.$exe.$$" "$dir/$exe"
"$dir/$exe" --version
printf 'planbook %s installed in %s\n' "$version" "$dir"
