#!/usr/bin/env bash
# Public pages against a static file server: builds trangtin, loads the
# demo, saves the bytes of a few public pages, serves those very bytes from
# nginx, and measures both with wrk in alternating runs. Prints one
# Markdown table per database and tenant count with the medians.
#
#   bench/pages.sh                      # SQLite and PostgreSQL, 1 and 10,000 tenants
#   DIALECTS=sqlite TENANTS=1 bench/pages.sh
#
# Settings (environment):
#   DIALECTS   "sqlite postgres"      which databases
#   TENANTS    "1 10000"              1 = the demo as it is; N > 1 adds N empty units
#   ROUNDS     5                      rounds per page, each running every server once,
#                                     in the reverse order of the round before (medians kept)
#   DURATION   8s                     length of one wrk run
#   CONNS      64, THREADS 2          wrk -c and -t
#   PG_ADMIN   postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
#
# Four servers answer each page: trangtin with its page cache (the
# default TRANGTIN_PAGE_CACHE), trangtin with the cache off
# (TRANGTIN_PAGE_CACHE=0: the render path), and nginx serving the bytes
# the first one returned, twice: as the issue set it, with no access log,
# and as trangtin answers: writing an access log buffered as trangtin
# buffers its own (64 KB, flushed every 200 ms), and sending the headers
# trangtin sends (security headers, request id, X-Cache, Vary). wrk
# sends no Accept-Encoding, so all four send the same uncompressed bytes.
# A fifth, bench/gostatic, writes those bytes from memory with fasthttp set
# up as trangtin's server, and does nothing else: the ceiling of a Go
# server here, where nginx sends a file with sendfile.
set -euo pipefail
cd "$(dirname "$0")/.."

DIALECTS=${DIALECTS:-"sqlite postgres"}
TENANTS=${TENANTS:-"1 10000"}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-8s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
HOST=so-ldtbxh.localhost
PORT_CACHED=${PORT_CACHED:-18130} PORT_RENDER=${PORT_RENDER:-18132} PORT_NGINX=${PORT_NGINX:-18131}
PORT_NGINX_LOG=${PORT_NGINX_LOG:-18133} PORT_GO=${PORT_GO:-18134}
PORT_METRICS=${PORT_METRICS:-18139}

for tool in wrk nginx curl; do
  command -v $tool >/dev/null || { echo "bench/pages.sh needs $tool (apt-get install wrk nginx curl)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/trangtin-pages.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${pgdb:-}" ] && psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $pgdb" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build" >&2
CGO_ENABLED=0 go build -trimpath -o "$work/trangtin" ./cmd/trangtin
go build -o "$work/filltenants" ./bench/filltenants
go build -o "$work/gostatic" ./bench/gostatic

. bench/lib.sh

start_nginx() {
  # Another server on the port would answer in nginx's place (and 404 a
  # page it lacks, at a speed nothing else reaches).
  for port in $PORT_NGINX $PORT_NGINX_LOG; do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
      echo "port $port is taken: stop what listens there or set PORT_NGINX / PORT_NGINX_LOG" >&2; exit 1
    fi
  done
  mkdir -p "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; application/rss+xml xml; }
  server {
    listen 127.0.0.1:$PORT_NGINX;
    root $work/www;
  }
  server {
    listen 127.0.0.1:$PORT_NGINX_LOG;
    root $work/www;
    access_log $work/nginx/access.log combined buffer=64k flush=200ms;
    include $work/headers.conf;
  }
}
EOF
  nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off; user root;' &
  pids+=($!)
  for _ in $(seq 1 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT_NGINX/home.html" &&
      curl -fs -o /dev/null "http://127.0.0.1:$PORT_NGINX_LOG/home.html" && return 0
    sleep 0.1
  done
  echo "nginx did not start" >&2; exit 1
}

start_gostatic() {
  if curl -s -o /dev/null "http://127.0.0.1:$PORT_GO/"; then
    echo "port $PORT_GO is taken: stop what listens there or set PORT_GO" >&2; exit 1
  fi
  "$work/gostatic" -dir "$work/www" -addr "127.0.0.1:$PORT_GO" &
  gostatic=$!
  pids+=($gostatic)
  for _ in $(seq 1 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT_GO/home.html" && return 0
    sleep 0.1
  done
  echo "gostatic did not start" >&2; exit 1
}

run_case() {
  local dialect=$1 tenants=$2
  local data="$work/data-$dialect-$tenants"
  mkdir -p "$data"
  export TRANGTIN_DATA_DIR=$data
  unset TRANGTIN_DATABASE_URL
  if [ "$dialect" = postgres ]; then
    pgdb="trangtin_bench_$$_$tenants"
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $pgdb" >/dev/null
    psql "$PG_ADMIN" -qc "CREATE DATABASE $pgdb" >/dev/null
    export TRANGTIN_DATABASE_URL="${PG_ADMIN%/*}/$pgdb?sslmode=disable"
  fi
  echo "== $dialect, $tenants tenant(s): demo" >&2
  "$work/trangtin" demo >/dev/null
  if [ "$tenants" -gt 1 ]; then
    echo "== adding $tenants tenants" >&2
    "$work/filltenants" -n "$tenants" >/dev/null 2>&1
  fi
  TRANGTIN_METRICS_ADDR="127.0.0.1:$PORT_METRICS" TRANGTIN_LOG_FORMAT=json "$work/trangtin" serve --addr "127.0.0.1:$PORT_CACHED" >"$work/cached.log" 2>&1 &
  local cached=$!
  pids+=($cached)
  wait_ready $PORT_CACHED
  TRANGTIN_PAGE_CACHE=0 "$work/trangtin" serve --no-migrate --addr "127.0.0.1:$PORT_RENDER" >"$work/render.log" 2>&1 &
  local render=$!
  pids+=($render)
  wait_ready $PORT_RENDER
  settle $PORT_CACHED $PORT_METRICS

  # The pages: the Department's home, its first item, a section, the feed.
  rm -rf "$work/www"; mkdir -p "$work/www"; chmod 755 "$work/www"
  curl -fs -H "Host: $HOST" "http://127.0.0.1:$PORT_CACHED/" -o "$work/www/home.html"
  local item
  item=$(grep -o 'href="/bai-viet/[^"?#]*"' "$work/www/home.html" | head -1 | sed 's/^href="//; s/"$//')
  [ -n "$item" ] || { echo "no item link on the home page" >&2; exit 1; }
  declare -A paths=([home]=/ [item]=$item [section]=/chuyen-muc/tin-tuc-su-kien [feed]=/feed.xml)
  declare -A files=([home]=home.html [item]=item.html [section]=section.html [feed]=feed.xml)
  for page in item section feed; do
    curl -fs -H "Host: $HOST" "http://127.0.0.1:$PORT_CACHED${paths[$page]}" -o "$work/www/${files[$page]}"
  done
  # trangtin's response headers for nginx's second server (those nginx
  # does not write itself): the security headers, the request id, X-Cache
  # and Vary are a tenth of an item's bytes, and wrk reads each of them.
  curl -fs -D - -o /dev/null -H "Host: $HOST" "http://127.0.0.1:$PORT_CACHED/" | tr -d '\r' |
    grep -viE '^(date|content-type|content-length|server|connection|etag|last-modified|accept-ranges|transfer-encoding):' |
    grep -E '^[A-Za-z-]+: [^"$]*$' | sed -E 's/^([^:]+): (.*)$/add_header \1 "\2" always;/' >"$work/headers.conf"
  start_nginx
  start_gostatic

  echo
  echo "### $dialect, $tenants tenant(s) — wrk -t$THREADS -c$CONNS -d$DURATION, median of $ROUNDS alternating runs"
  echo
  echo "| page | bytes | trangtin cached req/s | trangtin uncached req/s | nginx req/s | cached / nginx (median of the rounds) | nginx + access log + trangtin's headers req/s | cached / nginx + log + headers (median of the rounds) | Go server req/s | Go server / nginx | cached / Go server |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for page in home item section feed; do
    local path=${paths[$page]} file=${files[$page]} c="" r="" n="" l="" g=""
    rps "http://127.0.0.1:$PORT_CACHED$path" "$HOST" >/dev/null # warm-up
    rps "http://127.0.0.1:$PORT_RENDER$path" "$HOST" >/dev/null
    # Each round runs the four servers one after the other, the next
    # round in the reverse order, so that a host slowing down or speeding
    # up during a round weighs on every server alike. The cached ratios
    # are taken within each round, from two runs next to each other, and
    # their median is kept: the host's speed moves by a third over minutes
    # here, which a ratio of medians taken rounds apart would carry.
    local rc="" rl="" rg="" gn="" i
    for i in $(seq 1 "$ROUNDS"); do
      local order="cached nginx go render log"
      [ $((i % 2)) = 0 ] && order="log render go nginx cached"
      local ci ni li gi
      for server in $order; do
        case $server in
        cached) ci=$(rps "http://127.0.0.1:$PORT_CACHED$path" "$HOST"); c+=" $ci" ;;
        render) r+=" $(rps "http://127.0.0.1:$PORT_RENDER$path" "$HOST")" ;;
        nginx) ni=$(rps "http://127.0.0.1:$PORT_NGINX/$file" "127.0.0.1"); n+=" $ni" ;;
        log) li=$(rps "http://127.0.0.1:$PORT_NGINX_LOG/$file" "127.0.0.1"); l+=" $li" ;;
        go) gi=$(rps "http://127.0.0.1:$PORT_GO/$file" "127.0.0.1"); g+=" $gi" ;;
        esac
      done
      rc+=" $(ratio "$ci" "$ni")" rl+=" $(ratio "$ci" "$li")" rg+=" $(ratio "$ci" "$gi")" gn+=" $(ratio "$gi" "$ni")"
    done
    # The bytes nginx served must still be what trangtin serves.
    if ! curl -fs -H "Host: $HOST" "http://127.0.0.1:$PORT_CACHED$path" | cmp -s - "$work/www/$file"; then
      echo "warning: trangtin's $page changed during the runs; its row compares different bytes" >&2
      page="$page (changed)"
    fi
    local mc mr mn ml mg mrc mrl mrg mgn
    mc=$(echo "$c" | median) mr=$(echo "$r" | median) mn=$(echo "$n" | median) ml=$(echo "$l" | median)
    mg=$(echo "$g" | median)
    mrc=$(echo "$rc" | median) mrl=$(echo "$rl" | median) mrg=$(echo "$rg" | median) mgn=$(echo "$gn" | median)
    printf '| %s `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$page" "$path" "$(stat -c %s "$work/www/$file")" \
      "$mc" "$mr" "$mn" "$mrc" "$ml" "$mrl" "$mg" "$mgn" "$mrg"
    echo "$dialect ${page%% *} $tenants $mrc $mc" >>"$work/ratios"
  done
  for p in $cached $render $gostatic $(cat "$work/nginx/nginx.pid" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  wait "$cached" "$render" "$gostatic" 2>/dev/null || true
  sleep 0.5
  if [ "$dialect" = postgres ]; then
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $pgdb" >/dev/null; pgdb=""
  fi
}

for dialect in $DIALECTS; do
  for tenants in $TENANTS; do
    run_case "$dialect" "$tenants"
  done
done

# The tenant counts against each other. The cases run minutes apart, and
# the host's speed moves between them (nginx's own figures for the same
# bytes show by how much), so the cached pages are compared through their
# ratio to nginx in their own rounds; the raw req/s ratio is beside it.
counts=($TENANTS)
if [ ${#counts[@]} -gt 1 ]; then
  one=${counts[0]}
  echo
  echo "### cached pages, more tenants against $one — ratio to nginx in their own rounds"
  echo
  echo "| database | page | tenants | cached / nginx | same at $one tenant(s) | ratio of the two | cached req/s ÷ cached req/s at $one |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
  awk -v one="$one" '
    $3 == one { base[$1 " " $2] = $4; rps[$1 " " $2] = $5; next }
    { rows[++n] = $0 }
    END {
      for (i = 1; i <= n; i++) {
        split(rows[i], f, " "); k = f[1] " " f[2]
        if (!(k in base)) continue
        printf "| %s | %s | %s | %s | %s | %.2f | %.2f |\n", f[1], f[2], f[3], f[4], base[k], f[4] / base[k], f[5] / rps[k]
      }
    }' "$work/ratios"
fi
