#!/usr/bin/env bash
# Cached public pages with 10,000 tenants against one, in the same rounds.
#
# bench/pages.sh measures each tenant count in a case of its own, minutes
# apart, and compares them through their ratio to nginx in their own
# rounds; on a host whose speed moves by a quarter between cases (nginx's
# own figures show it) that comparison is noise at issue 13's 0.95 line.
# Here two servers run at once from the same build, one on the demo as it
# is and one on the demo with N empty units added (bench/filltenants),
# both with their page cache, and each round runs them one after the
# other (the next round in the reverse order): the ratio is taken within
# each round, and the table gives its median.
#
#   bench/tenants.sh
#   DIALECTS=sqlite ROUNDS=7 bench/tenants.sh
#
# Settings (environment): DIALECTS ("sqlite postgres"), TENANTS (10000),
# ROUNDS (7), DURATION (4s), CONNS (64), THREADS (2), PG_ADMIN.
set -euo pipefail
cd "$(dirname "$0")/.."

DIALECTS=${DIALECTS:-"sqlite postgres"}
TENANTS=${TENANTS:-10000}
ROUNDS=${ROUNDS:-7}
DURATION=${DURATION:-4s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
HOST=so-ldtbxh.localhost
PORT_ONE=${PORT_ONE:-18140} PORT_MANY=${PORT_MANY:-18141}
METRICS_ONE=${METRICS_ONE:-18148} METRICS_MANY=${METRICS_MANY:-18149}

for tool in wrk curl; do
  command -v $tool >/dev/null || { echo "bench/tenants.sh needs $tool (apt-get install wrk curl)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/trangtin-tenants.XXXXXX)
pids=()
dbs=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for d in "${dbs[@]}"; do psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build" >&2
CGO_ENABLED=0 go build -trimpath -o "$work/trangtin" ./cmd/trangtin
go build -o "$work/filltenants" ./bench/filltenants

. bench/lib.sh

# start loads the demo (and n - 1 more units when n > 1) into a database
# of its own and serves it with the page cache on port.
start() {
  local dialect=$1 n=$2 port=$3 metrics=$4
  local data="$work/data-$dialect-$n" url=""
  mkdir -p "$data"
  if [ "$dialect" = postgres ]; then
    local db="trangtin_tenants_$$_$n"
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $db" >/dev/null
    psql "$PG_ADMIN" -qc "CREATE DATABASE $db" >/dev/null
    dbs+=("$db")
    url="${PG_ADMIN%/*}/$db?sslmode=disable"
  fi
  echo "== $dialect, $n tenant(s): demo" >&2
  TRANGTIN_DATA_DIR=$data TRANGTIN_DATABASE_URL=$url "$work/trangtin" demo >/dev/null
  if [ "$n" -gt 1 ]; then
    echo "== adding $n tenants" >&2
    TRANGTIN_DATA_DIR=$data TRANGTIN_DATABASE_URL=$url "$work/filltenants" -n "$n" >/dev/null 2>&1
  fi
  TRANGTIN_DATA_DIR=$data TRANGTIN_DATABASE_URL=$url TRANGTIN_METRICS_ADDR="127.0.0.1:$metrics" \
    "$work/trangtin" serve --addr "127.0.0.1:$port" >"$work/serve-$dialect-$n.log" 2>&1 &
  pids+=($!)
  wait_ready "$port"
}

stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  for d in "${dbs[@]}"; do psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done
  dbs=()
  sleep 0.5
}

for dialect in $DIALECTS; do
  start "$dialect" 1 "$PORT_ONE" "$METRICS_ONE"
  start "$dialect" "$TENANTS" "$PORT_MANY" "$METRICS_MANY"
  settle "$PORT_ONE" "$METRICS_ONE"
  settle "$PORT_MANY" "$METRICS_MANY"
  item=$(curl -fs -H "Host: $HOST" "http://127.0.0.1:$PORT_ONE/" | grep -o 'href="/bai-viet/[^"?#]*"' | head -1 | sed 's/^href="//; s/"$//')
  [ -n "$item" ] || { echo "no item link on the home page" >&2; exit 1; }
  echo
  echo "### $dialect: cached pages, $TENANTS tenants against 1 in the same rounds — wrk -t$THREADS -c$CONNS -d$DURATION, $ROUNDS rounds"
  echo
  echo "| page | bytes (1) | bytes ($TENANTS) | 1 tenant req/s | $TENANTS tenants req/s | $TENANTS ÷ 1 (median of the rounds) | lowest, highest round |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
  for path in / "$item" /chuyen-muc/tin-tuc-su-kien /feed.xml; do
    b1=$(curl -fs -H "Host: $HOST" "http://127.0.0.1:$PORT_ONE$path" | wc -c)
    bn=$(curl -fs -H "Host: $HOST" "http://127.0.0.1:$PORT_MANY$path" | wc -c)
    rps "http://127.0.0.1:$PORT_ONE$path" >/dev/null # warm-up
    rps "http://127.0.0.1:$PORT_MANY$path" >/dev/null
    one="" many="" r=""
    for i in $(seq 1 "$ROUNDS"); do
      if [ $((i % 2)) = 1 ]; then
        a=$(rps "http://127.0.0.1:$PORT_ONE$path"); b=$(rps "http://127.0.0.1:$PORT_MANY$path")
      else
        b=$(rps "http://127.0.0.1:$PORT_MANY$path"); a=$(rps "http://127.0.0.1:$PORT_ONE$path")
      fi
      one+=" $a" many+=" $b" r+=" $(ratio "$b" "$a")"
    done
    lo=$(echo "$r" | tr ' ' '\n' | grep -v '^$' | sort -n | head -1)
    hi=$(echo "$r" | tr ' ' '\n' | grep -v '^$' | sort -n | tail -1)
    printf '| `%s` | %s | %s | %s | %s | %s | %s, %s |\n' "$path" "$b1" "$bn" "$(echo "$one" | median)" "$(echo "$many" | median)" \
      "$(echo "$r" | median)" "$lo" "$hi"
  done
  stop_all
done
