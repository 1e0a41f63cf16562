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

echo "== stripe-mock (from the Go module proxy), on loopback only"
STRIPE_MOCK_VERSION=v0.203.0
tools="$(pwd)/.tools"
if [ ! -x "$tools/stripe-mock" ] || [ "$(cat "$tools/stripe-mock.version" 2>/dev/null)" != "$STRIPE_MOCK_VERSION" ]; then
  GOBIN="$tools" go install "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION"
  echo "$STRIPE_MOCK_VERSION" > "$tools/stripe-mock.version"
fi
free_port() {
  local port
  for port in $(seq "$1" "$(($1 + 200))"); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port near $1" >&2; exit 1
}
http_port=$(free_port 12111)
https_port=$(free_port $((http_port + 1)))
# Both flags, or stripe-mock also opens https on every interface.
"$tools/stripe-mock" -http-addr "127.0.0.1:$http_port" -https-addr "127.0.0.1:$https_port" >/tmp/stripe-mock-$$.log 2>&1 &
stripe_mock_pid=$!
trap 'kill $stripe_mock_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; then break; fi
  sleep 0.1
done
export STRIPE_MOCK_URL="http://127.0.0.1:$http_port"
echo "stripe-mock at $STRIPE_MOCK_URL"

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
