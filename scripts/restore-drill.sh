#!/usr/bin/env bash
# Restore drill for PostgreSQL: dump a database, restore it into a new one
# and check the platform reads it (migrations all applied, tenants listed).
# Usage: scripts/restore-drill.sh [postgres-url]   (default: a fresh demo
# database on the local server, created and dropped by this script)
set -euo pipefail
cd "$(dirname "$0")/.."
ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
BIN=${BIN:-bin/trangtin}
[ -x "$BIN" ] || CGO_ENABLED=0 go build -o "$BIN" ./cmd/trangtin
work=$(mktemp -d)
src=trangtin_drill_src_$$; dst=trangtin_drill_dst_$$
cleanup() {
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $src WITH (FORCE)" >/dev/null 2>&1 || true
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $dst WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
base=${ADMIN_URL%/*}; query=${ADMIN_URL#*\?}
if [ $# -ge 1 ]; then
  SRC_URL=$1
else
  psql "$ADMIN_URL" -qc "CREATE DATABASE $src" >/dev/null
  SRC_URL="$base/$src?$query"
  TRANGTIN_DATA_DIR="$work/data" TRANGTIN_DATABASE_URL="$SRC_URL" "$BIN" demo >/dev/null
fi
echo "== pg_dump"
pg_dump -Fc -d "$SRC_URL" -f "$work/trangtin.dump"
echo "== pg_restore into a new database"
psql "$ADMIN_URL" -qc "CREATE DATABASE $dst" >/dev/null
DST_URL="$base/$dst?$query"
pg_restore --no-owner -d "$DST_URL" "$work/trangtin.dump"
echo "== the platform reads the restored database"
TRANGTIN_DATA_DIR="$work/data" TRANGTIN_DATABASE_URL="$DST_URL" "$BIN" migrate status | tee "$work/status"
if grep -q pending "$work/status"; then echo "restored database has pending migrations" >&2; exit 1; fi
a=$(TRANGTIN_DATA_DIR="$work/data" TRANGTIN_DATABASE_URL="$SRC_URL" "$BIN" tenant list --json | md5sum)
b=$(TRANGTIN_DATA_DIR="$work/data" TRANGTIN_DATABASE_URL="$DST_URL" "$BIN" tenant list --json | md5sum)
[ "$a" = "$b" ] || { echo "tenants differ after restore" >&2; exit 1; }
echo "restore drill passed"
