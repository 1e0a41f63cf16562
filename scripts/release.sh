#!/usr/bin/env bash
# Builds the portal's release binaries: one static binary for each of
# linux/amd64, linux/arm64, darwin/arm64 and windows/amd64, without the
# machine's paths (-trimpath), with the version given (or git describe's)
# stamped in for "portal version" and /healthz, and a SHA256SUMS file to check
# a download against ("sha256sum -c SHA256SUMS").
#
#   scripts/release.sh [VERSION]     writes dist/VERSION/
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
case "$version" in
  *[!A-Za-z0-9._+-]*) echo "version $version: letters, digits, . _ + - only" >&2; exit 2 ;;
esac
# The commit, from git: the Go toolchain stamps it too when it recognises the
# repository, and that stamp wins; this one serves where it does not.
commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
modified=false
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then modified=true; fi
out="dist/$version"
rm -rf "$out"
mkdir -p "$out"

for target in linux/amd64 linux/arm64 darwin/arm64 windows/amd64; do
  goos="${target%/*}" goarch="${target#*/}"
  name="portal-$version-$goos-$goarch"
  if [ "$goos" = windows ]; then name="$name.exe"; fi
  echo "== $name"
  # CGO off: every dependency is pure Go, and the binary then runs on any
  # distribution. -s -w drop the symbol tables; the build information that
  # "portal version" reads (module, commit) stays.
  CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" go build -trimpath \
    -ldflags "-s -w -X portal/buildinfo.version=$version -X portal/buildinfo.commit=$commit -X portal/buildinfo.modified=$modified" \
    -o "$out/$name" .
done

(cd "$out" && sha256sum portal-* > SHA256SUMS)
echo "== $out"
ls -l "$out"
