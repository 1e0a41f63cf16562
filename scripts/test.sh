#!/usr/bin/env bash
# Runs every test of the portal. On a fresh Debian machine it first installs what
# the tests need: Chromium for the browser tests, PostgreSQL for the storage
# tests and poppler-utils to read the invoice PDFs back (Debian's packages), and
# the Go modules, including the templ generator pinned in go.mod as a tool. It
# starts stripe-mock and a PostgreSQL server of its own on 127.0.0.1, and stops
# them when it ends, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# initdb refuses to run as root: as root, the test server belongs to the
# postgres user that Debian's package makes.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; else "$@"; fi
}

stripe_mock_pid=""
pebble_pid=""
pebble_dir=""
pg_dir=""
cleanup() {
  if [ -n "$stripe_mock_pid" ]; then kill "$stripe_mock_pid" 2>/dev/null || true; fi
  if [ -n "$pebble_pid" ]; then kill "$pebble_pid" 2>/dev/null || true; fi
  if [ -n "$pebble_dir" ]; then rm -rf "$pebble_dir"; fi
  if [ -n "$pg_dir" ]; then
    as_pg_owner "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Chromium from Debian's packages"
  apt_install chromium fonts-liberation
fi

if ! command -v pdftotext >/dev/null 2>&1; then
  echo "== installing poppler-utils (pdftotext, pdffonts, pdfinfo) from Debian's packages"
  apt_install poppler-utils
fi

# PostgreSQL 15 or newer; Debian 12's package is 15.
newest_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true; }
pg_bin="$(newest_pg_bin)"
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "== installing PostgreSQL from Debian's packages"
  apt_install postgresql
  pg_bin="$(newest_pg_bin)"
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
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; then break; fi
  sleep 0.1
done
export STRIPE_MOCK_URL="http://127.0.0.1:$http_port"
echo "stripe-mock at $STRIPE_MOCK_URL"

echo "== Pebble, Let's Encrypt's test CA (from the Go module proxy), on loopback only"
PEBBLE_VERSION=v2.10.3
if [ ! -x "$tools/pebble" ] || [ "$(cat "$tools/pebble.version" 2>/dev/null)" != "$PEBBLE_VERSION" ]; then
  GOBIN="$tools" go install "github.com/letsencrypt/pebble/v2/cmd/pebble@$PEBBLE_VERSION"
  echo "$PEBBLE_VERSION" > "$tools/pebble.version"
fi
pebble_dir="$(mktemp -d /tmp/portal-test-pebble.XXXXXX)"
# Pebble's own API is served with a certificate made here (its CA is the
# tests' --acme-ca-file); the certificates it issues chain to a root it makes
# at each start, given by its management API at /roots/0.
go run ./scripts/testcert "$pebble_dir"
acme_port=$(free_port $((14000 + RANDOM % 2000)))
acme_mgmt_port=$(free_port $((acme_port + 1)))
va_http_port=$(free_port $((acme_mgmt_port + 1)))
va_tls_port=$(free_port $((va_http_port + 1)))
# "shortlived" lets a test watch a renewal within seconds.
cat >"$pebble_dir/config.json" <<JSON
{"pebble": {
  "listenAddress": "127.0.0.1:$acme_port",
  "managementListenAddress": "127.0.0.1:$acme_mgmt_port",
  "certificate": "$pebble_dir/cert.pem",
  "privateKey": "$pebble_dir/key.pem",
  "httpPort": $va_http_port,
  "tlsPort": $va_tls_port,
  "ocspResponderURL": "",
  "externalAccountBindingRequired": false,
  "retryAfter": {"authz": 1, "order": 1},
  "keyAlgorithm": "ecdsa",
  "profiles": {
    "default": {"description": "90 days", "validityPeriod": 7776000},
    "shortlived": {"description": "20 seconds, for renewal tests", "validityPeriod": 20}
  }
}}
JSON
# Always valid: the CA does not fetch the challenge, so test names need no
# DNS; no random sleeps and no rejected nonces, so that the tests are quick.
PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
  "$tools/pebble" -config "$pebble_dir/config.json" >"$pebble_dir/log" 2>&1 &
pebble_pid=$!
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$acme_mgmt_port") 2>/dev/null; then break; fi
  sleep 0.1
done
export PORTAL_TEST_ACME_DIRECTORY="https://127.0.0.1:$acme_port/dir"
export PORTAL_TEST_ACME_CA_FILE="$pebble_dir/ca.pem"
export PORTAL_TEST_ACME_MANAGEMENT="https://127.0.0.1:$acme_mgmt_port"
echo "Pebble at $PORTAL_TEST_ACME_DIRECTORY"

echo "== PostgreSQL ($pg_bin), on loopback only"
pg_dir="$(mktemp -d /tmp/portal-test-pg.XXXXXX)"
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pg_dir"; fi
# A database that compares text by a language's rules (ICU, en-US), as most
# do: the store must keep its own byte order for keys whatever the default.
if ! as_pg_owner "$pg_bin/initdb" -D "$pg_dir/data" -U portal --auth=trust -E UTF8 --locale=C.UTF-8 \
    --locale-provider=icu --icu-locale=en-US >"$pg_dir/initdb.log" 2>&1; then
  rm -rf "$pg_dir/data"
  as_pg_owner "$pg_bin/initdb" -D "$pg_dir/data" -U portal --auth=trust -E UTF8 >"$pg_dir/initdb.log" 2>&1 ||
    { cat "$pg_dir/initdb.log"; exit 1; }
fi
# The server binds its port itself: when another process took the port since
# it looked free, the start fails and the next try takes another.
pg_port=""
for _ in 1 2 3 4 5 6 7 8; do
  port=$(free_port $((20000 + RANDOM % 30000)))
  if as_pg_owner "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -t 60 -l "$pg_dir/log" \
      -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=500" start >/dev/null 2>&1; then
    pg_port=$port
    break
  fi
done
if [ -z "$pg_port" ]; then
  echo "PostgreSQL did not start:"; cat "$pg_dir/log"; exit 1
fi
export PORTAL_TEST_DATABASE_URL="postgres://portal@127.0.0.1:$pg_port/postgres?sslmode=disable"
echo "PostgreSQL at $PORTAL_TEST_DATABASE_URL"

echo "== gofmt and go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...

echo "== tests"
# The browser and PostgreSQL tests fail, rather than skip, when CI is set and
# Chromium or the server is missing.
export CI="${CI:-true}"
go test -race -count=1 ./...

echo "== the handler and browser tests again, on PostgreSQL"
# The same tests, unchanged, with every test portal's store in a schema of its
# own on the server above instead of a Badger folder.
PORTAL_TEST_BACKEND=postgres go test -race -count=1 ./handlers/
