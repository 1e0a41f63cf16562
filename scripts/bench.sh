#!/usr/bin/env bash
# The portal's benchmark harness, on a fresh machine: builds the binary, generates N
# believable orders (default 100,000), imports them into a fresh data folder (timed),
# adds a staff account, starts "portal serve" on a free loopback port (start-up
# timed until /healthz answers), measures every hot route with scripts/load
# (64 connections, BENCH_DURATION per route), compares /healthz with wrk when it is
# installed, stops the server and prints the data folder's size per order.
#
#   scripts/bench.sh [N]
#
# Environment: BENCH_DURATION (default 5s per route), BENCH_CONNECTIONS (64),
# BENCH_SEED (1), BENCH_ROUTES (all), BENCH_REPEAT (1: measure each route this
# many times and keep the run other processes disturbed least, for a shared
# machine), BENCH_KEEP=1 keeps the work folder,
# BENCH_DATABASE_URL=postgres://USER@HOST:PORT/DB measures the PostgreSQL
# backend instead of Badger: the script makes a fresh database on that server
# (USER must be allowed to create one), gives the portal a signing key file,
# reports the round trips per request of each route, and drops the database at
# the end,
# TMPDIR chooses where it goes (it must be a real disk for fsync to cost what it
# costs in production; not tmpfs).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-100000}
DURATION=${BENCH_DURATION:-5s}
CONNS=${BENCH_CONNECTIONS:-64}
SEED=${BENCH_SEED:-1}
ROUTES=${BENCH_ROUTES:-healthz,login,licenses,orders,order,quote,activate,refresh,search}
REPEAT=${BENCH_REPEAT:-1}

now() { date +%s%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / ((b - a) / 1e9) }'; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/portal-bench.XXXXXX")
SERVER_PID=
DATA="$WORK/data"
STORE=(--data "$DATA")
BENCH_DB=
SERVER_URL=${BENCH_DATABASE_URL:-}
if [ -n "$SERVER_URL" ]; then
	BENCH_DB="portal_bench_$$"
	psql -q -X "$SERVER_URL" -c "CREATE DATABASE $BENCH_DB" >/dev/null
	# The same server, the new database: replace the URL's path.
	DB_URL=$(printf '%s' "$SERVER_URL" | sed -E "s#^(postgres(ql)?://[^/]+)/?[^?]*#\1/$BENCH_DB#")
	STORE=(--database-url "$DB_URL")
fi
sql() { psql -X -At "$DB_URL" -c "$1"; }
cleanup() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	if [ "${BENCH_KEEP:-}" = 1 ]; then
		echo "work folder kept: $WORK"
	else
		rm -rf "$WORK"
	fi
	if [ -n "$BENCH_DB" ] && [ "${BENCH_KEEP:-}" != 1 ]; then
		psql -q -X "$SERVER_URL" -c "DROP DATABASE IF EXISTS $BENCH_DB" >/dev/null || true
	fi
}
trap cleanup EXIT

commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
echo "== portal benchmark: $N orders, commit $commit"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) memory, $(go version | cut -d' ' -f3-), $(uname -sr)"
if [ -n "$BENCH_DB" ]; then echo "backend: PostgreSQL $(sql 'SHOW server_version'), database $BENCH_DB"; else echo "backend: Badger"; fi
echo "work folder: $WORK ($(df -T "$WORK" | awk 'NR==2 { print $2 }')); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== building"
mkdir -p .tools
go build -o .tools/portal .
go build -o .tools/bench-gen ./scripts/gen
go build -o .tools/bench-load ./scripts/load

echo "== generating $N orders"
t0=$(now)
.tools/bench-gen -n "$N" -seed "$SEED" -out "$WORK/orders.jsonl"
t1=$(now)
gen_s=$(seconds "$t0" "$t1")

echo "== importing"
if [ -n "$BENCH_DB" ]; then .tools/portal keygen "$WORK/signing.pem" >/dev/null; fi
# GNU time, when there, gives the import's peak memory.
measure_rss=()
if [ -x /usr/bin/time ]; then measure_rss=(/usr/bin/time -f %M -o "$WORK/import.rss"); fi
t0=$(now)
"${measure_rss[@]}" .tools/portal import "${STORE[@]}" "$WORK/orders.jsonl" >"$WORK/import.txt" 2>"$WORK/import.log"
t1=$(now)
import_s=$(seconds "$t0" "$t1")
import_rate=$(rate "$N" "$t0" "$t1")
cat "$WORK/import.txt" | head -4
if ! grep -q '^rejected: 0$' "$WORK/import.txt"; then
	echo "the import refused lines:" >&2
	head -20 "$WORK/import.txt" >&2
	exit 1
fi

size_kb() {
	if [ -n "$BENCH_DB" ]; then sql "SELECT pg_database_size('$BENCH_DB') / 1024"; else du -sk "$DATA" | cut -f1; fi
}
imported_kb=$(size_kb)

STAFF_EMAIL=bench@x.example
BENCH_STAFF_PASSWORD="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export BENCH_STAFF_PASSWORD
printf '%s\n' "$BENCH_STAFF_PASSWORD" | .tools/portal user add "${STORE[@]}" --email "$STAFF_EMAIL" --role support --password-stdin

PORT=$(.tools/bench-load -free-port)
BASE="http://127.0.0.1:$PORT"
SERVE_EXTRA=()
LOAD_EXTRA=()
if [ -n "$BENCH_DB" ]; then
	SERVE_EXTRA=(--signing-key "$WORK/signing.pem")
	# The profiler's address also answers the store's round trips so far.
	PPROF_PORT=$(.tools/bench-load -free-port)
	SERVE_EXTRA+=(--pprof-addr "127.0.0.1:$PPROF_PORT")
	LOAD_EXTRA=(-round-trips "http://127.0.0.1:$PPROF_PORT/debug/round-trips")
fi
echo "== starting the server on $BASE"
t0=$(now)
.tools/portal serve "${STORE[@]}" "${SERVE_EXTRA[@]}" --addr "127.0.0.1:$PORT" >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER_PID=$!
.tools/bench-load -base "$BASE" -wait-ready 120s >/dev/null
t1=$(now)
startup_s=$(seconds "$t0" "$t1")
echo "ready after $startup_s s"

# After a large import Badger compacts its tables in the background on the first
# start: wait until the server is idle (under 3% of a core for a second), so that
# the routes are measured on a settled server, and say how long that took.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
mem_line() { awk '/^(VmHWM|RssAnon)/ { printf "%s %.1f MB  ", $1, $2 / 1024 }' "/proc/$SERVER_PID/status"; }
settle_from=$(now)
first_ticks=$(cpu_ticks)
prev=$first_ticks
for _ in $(seq 1 300); do
	sleep 1
	cur=$(cpu_ticks)
	if [ $((cur - prev)) -le 3 ]; then break; fi
	prev=$cur
done
settled_s=$(seconds "$settle_from" "$(now)")
settle_cpu=$(awk -v t=$(( $(cpu_ticks) - first_ticks )) 'BEGIN { printf "%.2f", t / 100 }')
settle_mem=$(mem_line)
echo "settled (idle) after $settled_s s, having used $settle_cpu s of CPU meanwhile; memory then: $settle_mem"

echo "== /healthz with wrk, for comparison with the load script's first row (run just after)"
if command -v wrk >/dev/null; then
	wrk -t2 -c "$CONNS" -d "$DURATION" --latency "$BASE/healthz" | tee "$WORK/wrk.txt" |
		awk '/Requests\/sec/ { rps = $2 } / 50%/ { p50 = $2 } / 99%/ { p99 = $2 } /Non-2xx/ { bad = $NF }
			END { printf "wrk -t2 -c'"$CONNS"': %.0f req/s, p50 %s, p99 %s, non-2xx %s\n", rps, p50, p99, bad ? bad : 0 }'
else
	echo "wrk is not installed (apt-get install -y wrk); skipped"
fi

echo "== load: $CONNS connections, $DURATION per route, best of $REPEAT"
.tools/bench-load -base "$BASE" -pid "$SERVER_PID" -sidecar "$WORK/orders.jsonl.logins.json" \
	-c "$CONNS" -duration "$DURATION" -repeat "$REPEAT" -routes "$ROUTES" -staff-email "$STAFF_EMAIL" "${LOAD_EXTRA[@]}" | tee "$WORK/load.txt"

echo "== stopping the server"
t0=$(now)
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || true
t1=$(now)
SERVER_PID=
stop_s=$(seconds "$t0" "$t1")

du_kb=$(size_kb)
echo
echo "== summary: $N orders, commit $commit"
echo "generate:  $gen_s s"
import_mem=""
if [ -s "$WORK/import.rss" ]; then import_mem=$(awk '{ printf ", peak RSS %.1f MB", $1 / 1024 }' "$WORK/import.rss"); fi
echo "import:    $import_s s, $import_rate orders/s (portal import, each transaction synced)$import_mem"
echo "start-up:  $startup_s s until /healthz answered 200; idle after $settled_s s ($settle_cpu s of CPU meanwhile, Badger compacting after the import), memory then: $settle_mem"
grep '^server memory' "$WORK/load.txt" || true
echo "shutdown:  $stop_s s after SIGTERM"
awk -v kb="$imported_kb" -v after="$du_kb" -v n="$N" 'BEGIN {
	printf "data:      %.1f MB on disk (du) after the import, %.0f bytes per order; %.1f MB after the load (its sessions and CSRF tokens)\n",
		kb / 1024, kb * 1024 / n, after / 1024 }'
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
