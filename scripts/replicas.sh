#!/usr/bin/env bash
# Two `trangtin serve` processes on one PostgreSQL (and MinIO when
# TRANGTIN_TEST_S3_ENDPOINT is set) behave as one: a tenant onboarded by the
# command line, an item published through replica A (on the other's page-
# cached home page too), a role revoked, and a scheduled publication are
# seen by both within a second, and the scheduled job runs once. Used by CI; needs curl, psql and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
BIN=${BIN:-bin/trangtin}
[ -x "$BIN" ] || CGO_ENABLED=0 go build -o "$BIN" ./cmd/trangtin
work=$(mktemp -d); dbname=trangtin_replicas_$$
base=${ADMIN_URL%/*}; query=${ADMIN_URL#*\?}
export TRANGTIN_DATABASE_URL="$base/$dbname?$query"
export TRANGTIN_SECRET=replicas-test-secret-0123456789abcdef0123456789
export TRANGTIN_DATA_DIR="$work/data"
if [ -n "${TRANGTIN_TEST_S3_ENDPOINT:-}" ]; then
  export TRANGTIN_S3_ENDPOINT=$TRANGTIN_TEST_S3_ENDPOINT TRANGTIN_S3_ACCESS_KEY=$TRANGTIN_TEST_S3_ACCESS_KEY
  export TRANGTIN_S3_SECRET_KEY=$TRANGTIN_TEST_S3_SECRET_KEY TRANGTIN_S3_BUCKET=replicas-$$
fi
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# The servers' logs are buffered for 200 ms: wait for the lines of the
# request that failed before showing them.
fail() { echo "FAIL: $*" >&2; sleep 0.5; for f in "$work"/*.log; do echo "--- $f"; tail -20 "$f"; done >&2; exit 1; }

psql "$ADMIN_URL" -qc "CREATE DATABASE $dbname" >/dev/null
"$BIN" demo >/dev/null
"$BIN" serve --addr 127.0.0.1:18081 >"$work/a.log" 2>&1 & pids+=($!)
"$BIN" serve --addr 127.0.0.1:18082 --no-migrate >"$work/b.log" 2>&1 & pids+=($!)
for port in 18081 18082; do
  for _ in $(seq 1 50); do curl -fs "127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  curl -fs "127.0.0.1:$port/readyz" >/dev/null || fail "replica on $port not ready"
done

# within SECONDS_LIMIT, CMD must succeed
within() { local limit=$1; shift; local end=$((SECONDS + limit + 1)); until "$@"; do [ $SECONDS -lt $end ] || return 1; sleep 0.1; done; }
status() { curl -s -o /dev/null -w '%{http_code}' -H "Host: $2" "http://127.0.0.1:$1$3"; }
is() { [ "$(status "$2" "$3" "$4")" = "$1" ]; }
shows() { curl -s -H "Host: $2" "http://127.0.0.1:$1$3" | grep -qF "$4"; }
cached() { curl -s -D - -o /dev/null -H "Host: $2" "http://127.0.0.1:$1$3" | grep -qi '^x-cache: hit'; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }

echo "== onboarding by the command line is served by both replicas"
"$BIN" tenant create --slug trung-tam-moi --name "Trung tâm mới" --kind unit --parent so-ldtbxh >/dev/null
within 2 is 200 18081 trung-tam-moi.localhost / || fail "replica A does not serve the new tenant"
within 2 is 200 18082 trung-tam-moi.localhost / || fail "replica B does not serve the new tenant"

echo "== an item published through A is on B's public site"
CHIEF=$("$BIN" token create --email truongban.ttdvvl@trangtin.local)
CTV=$("$BIN" token create --email ctv.ttdvvl@trangtin.local)
api() { curl -s -H "Host: admin.localhost" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -X "$3" "http://127.0.0.1:$1/api/v1$4" ${5:+-d "$5"}; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
U=/tenants/trung-tam-dich-vu-viec-lam/posts
mk() { api 18081 "$CHIEF" POST $U "{\"title\":\"$1\",\"summary\":\"Tin thử nghiệm hai bản chạy.\",\"body\":\"<p>Nội dung.</p>\",\"fields\":[\"lao-dong-viec-lam\"]}" | field '["id"]'; }
step() { api 18081 "$CHIEF" POST "$U/$1/transitions" "$2" >/dev/null; }
ID=$(mk "Hai bản chạy cùng một cơ sở dữ liệu")
ED=$("$BIN" token create --email bientap.ttdvvl@trangtin.local)
step "$ID" '{"to":"submitted"}'
api 18081 "$ED" POST "$U/$ID/transitions" '{"to":"approved"}' >/dev/null
# Both replicas hold the unit's home page in their page cache before the
# item is published: neither may keep serving it stale.
H=trung-tam-dich-vu-viec-lam.localhost
# (Background jobs of the steps above may still touch the unit's content
# for a moment: each try renders and stores again until a hit.)
for port in 18081 18082; do
  within 3 cached $port $H / || fail "replica on $port does not serve its home page from the page cache"
done
step "$ID" '{"to":"published"}'
t0=$(ms)
# One request, its headers kept: if it is stale, whether it came from the
# cache and what the item's status was then tell where to look.
if ! curl -s -D "$work/a-home.headers" -H "Host: $H" http://127.0.0.1:18081/ | grep -qF "Hai bản chạy cùng một cơ sở dữ liệu"; then
  tr -d '\r' <"$work/a-home.headers" | grep -iE '^(HTTP/|x-cache|x-request-id|etag|last-modified):' >&2 || true
  echo "the item's status through A's API now: $(api 18081 "$CHIEF" GET "$U/$ID" | field '["status"]')" >&2
  fail "replica A's home page is stale on the next request after publishing"
fi
within 1 shows 18082 $H / "Hai bản chạy cùng một cơ sở dữ liệu" || fail "replica B's cached home page does not show the published item"
echo "replica B's home page showed the item $(( $(ms) - t0 )) ms after the publication through A"
SLUG=$(api 18082 "$CHIEF" GET "$U/$ID" | field '["slug"]')
within 1 is 200 18082 $H "/bai-viet/$SLUG" || fail "replica B does not show the published item"

echo "== a revoked role is refused by both replicas"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: admin.localhost' -H "Authorization: Bearer $CTV" http://127.0.0.1:18082/api/v1$U)" = 200 ] || fail "contributor cannot list before revocation"
"$BIN" user grant --revoke --email ctv.ttdvvl@trangtin.local --tenant trung-tam-dich-vu-viec-lam --role contributor >/dev/null
for port in 18081 18082; do
  within 1 bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: admin.localhost' -H 'Authorization: Bearer $CTV' http://127.0.0.1:$port/api/v1$U)\" = 404 ]" \
    || fail "replica on $port still accepts the revoked contributor"
done

echo "== a scheduled item is published once, by one of the replicas"
ID2=$(mk "Bài hẹn giờ đăng")
step "$ID2" '{"to":"submitted"}'
api 18081 "$ED" POST "$U/$ID2/transitions" '{"to":"approved"}' >/dev/null
AT=$(python3 -c "import datetime; print((datetime.datetime.now(datetime.timezone.utc)+datetime.timedelta(seconds=3)).strftime('%Y-%m-%dT%H:%M:%SZ'))")
step "$ID2" "{\"to\":\"scheduled\",\"at\":\"$AT\"}"
within 10 bash -c "[ \"\$(psql '$TRANGTIN_DATABASE_URL' -tAc \"SELECT count(*) FROM post_transitions WHERE post_id='$ID2' AND to_status='published'\")\" = 1 ]" \
  || fail "scheduled item not published"
sleep 2
n=$(psql "$TRANGTIN_DATABASE_URL" -tAc "SELECT count(*) FROM post_transitions WHERE post_id='$ID2' AND to_status='published'")
[ "$n" = 1 ] || fail "scheduled item published $n times"
echo "replicas check passed"
