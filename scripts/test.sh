#!/usr/bin/env bash
# Runs go vet and the whole suite on the embedded SQLite default, then again
# on PostgreSQL when it answers at $PG_URL. With REQUIRE_POSTGRES=1 (CI) a
# missing PostgreSQL is a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then echo "gofmt needed:" $unformatted >&2; exit 1; fi

echo "== go vet"
$GO vet ./...

# go test's own limit is 10 minutes per package. The browser tests
# (tenants/e2e) took 8.5 minutes on SQLite and passed 10 on PostgreSQL on a
# day this host ran everything at half speed (nginx at a quarter of its
# usual rate), and were stopped there, green as far as they had got.
TIMEOUT=${TEST_TIMEOUT:-30m}

echo "== tests on SQLite (embedded default)"
env -u TRANGTIN_TEST_DATABASE_URL $GO test -count=1 -timeout "$TIMEOUT" ./...

hostport=$(echo "$PG_URL" | sed -E 's#^[a-z]+://([^@/]*@)?([^/?]+).*#\2#')
host=${hostport%:*}; port=${hostport##*:}
[ "$host" = "$port" ] && port=5432
if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  echo "== tests on PostgreSQL ($host:$port)"
  TRANGTIN_TEST_DATABASE_URL="$PG_URL" $GO test -count=1 -timeout "$TIMEOUT" ./...
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL is required but not reachable at $host:$port" >&2
  exit 1
else
  echo "== PostgreSQL not reachable at $host:$port: skipped the PostgreSQL run"
fi
