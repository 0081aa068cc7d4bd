#!/usr/bin/env bash
# cpu-ab.sh compares trangtin servers already running on one database, in
# alternating wrk runs: req/s and the CPU a request costs trangtin and
# PostgreSQL together (from /proc/<pid>/stat), medians per server. Start
# each build with `TRANGTIN_PAGE_CACHE=0 trangtin serve --addr 127.0.0.1:PORT`
# on the same demo database, then:
#
#   ROUNDS=6 HOST=so-ldtbxh.localhost bench/cpu-ab.sh / 8701 8702
#
# The CPU per request moves less with the host's speed than req/s does.
set -euo pipefail
path=${1:?usage: cpu-ab.sh PATH PORT...}
shift
rounds=${ROUNDS:-6} host=${HOST:-so-ldtbxh.localhost} duration=${DURATION:-3s}
tick=$(getconf CLK_TCK)
ticks() { cat "$@" 2>/dev/null | awk '{s += $14 + $15} END {print s + 0}'; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$rounds"); do
	for port in "$@"; do
		pid=$(pgrep -f "serve --addr 127.0.0.1:$port" | head -1)
		pg=()
		for p in $(pgrep -f 'postgres:' || true); do pg+=("/proc/$p/stat"); done
		a=$(ticks "/proc/$pid/stat") pa=$(ticks "${pg[@]}")
		res=$(wrk -t2 -c64 -d"$duration" -H "Host: $host" "http://127.0.0.1:$port$path")
		b=$(ticks "/proc/$pid/stat") pb=$(ticks "${pg[@]}")
		n=$(awk '/requests in/ {print $1}' <<<"$res")
		rps=$(awk '/Requests\/sec/ {print $2}' <<<"$res")
		echo "$port $rps $(echo "scale=4; ($b - $a + $pb - $pa) * 1000 / $tick / $n" | bc)" >>"$out"
	done
done
for port in "$@"; do
	awk -v p="$port" '$1 == p {r[++n] = $2; c[n] = $3}
		END {asort(r); asort(c); m = int((n + 1) / 2); printf "port %s: %.0f req/s, %.3f ms of CPU a request (medians of %d)\n", p, r[m], c[m], n}' "$out"
done
