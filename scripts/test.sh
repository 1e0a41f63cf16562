#!/usr/bin/env bash
# Runs every test of the portal. On a fresh Debian machine it first installs what
# the tests need: Chromium for the browser tests (Debian's package) and the Go
# modules, including the templ generator pinned in go.mod as a tool.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Chromium from Debian's packages"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
fi

echo "== Go modules and the templ generator"
go mod download
go tool templ version

echo "== gofmt and go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...

echo "== tests"
# The browser tests fail, rather than skip, when CI is set and Chromium is missing.
export CI="${CI:-true}"
go test -race -count=1 ./...
