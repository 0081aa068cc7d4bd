# Helpers bench/pages.sh and bench/tenants.sh share; source it after
# setting THREADS, CONNS, DURATION and HOST.

# rps prints the requests per second of one wrk run against url, sent with
# Host host (HOST when not given).
rps() {
  local url=$1 host=${2:-$HOST}
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -H "Host: $host" "$url" 2>/dev/null |
    awk '/Requests\/sec/ {print int($2)}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

wait_ready() {
  for _ in $(seq 1 150); do
    curl -fs -o /dev/null "http://127.0.0.1:$1/readyz" && return 0
    sleep 0.2
  done
  echo "server on :$1 did not become ready" >&2
  exit 1
}

# settle waits until the Department's home on port stays the same, and no
# background job runs (the metrics on port metrics), for three seconds.
# The demo leaves jobs behind (the pictures' smaller renditions); each one
# changes the pages, so bytes saved before they end are not what trangtin
# serves a second later. A server also reconciles the media library at
# start, tenant by tenant (15 s of a core among 10,000 tenants), and jobs
# take CPU from the runs.
settle() {
  local port=$1 metrics=$2 prev="" cur stable=0 running
  for _ in $(seq 1 300); do
    cur=$(curl -fs -H "Host: $HOST" "http://127.0.0.1:$port/" | md5sum)
    running=$(curl -fs "http://127.0.0.1:$metrics/metrics" | awk '/^trangtin_jobs_queue\{state="running"\}/ {print $2}')
    if [ "$cur" = "$prev" ] && [ "${running:-1}" = 0 ]; then
      stable=$((stable + 1))
      [ $stable -ge 3 ] && return 0
    else
      stable=0
    fi
    prev=$cur
    sleep 1
  done
  echo "the home page on :$port kept changing, or a job kept running, for five minutes" >&2
  exit 1
}
