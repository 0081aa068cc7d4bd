#!/usr/bin/env bash
# Runs the MinIO server the blob and media tests use, on 127.0.0.1 with a
# temporary data directory.
#
#   scripts/minio.sh start    install MinIO if needed (pinned version, ~4 min
#                             once per machine, cached in $GOPATH/bin), start it
#                             and wait until it answers; nothing to do if it
#                             already answers
#   scripts/minio.sh stop     stop it and remove its data directory
#   scripts/minio.sh env      print the variables the tests read:
#                             eval "$(scripts/minio.sh env)"
#   scripts/minio.sh status   say whether it answers
#
# Typical use:
#   scripts/minio.sh start && eval "$(scripts/minio.sh env)" && go test ./platform/blob/...
#
# Settings (environment): MINIO_ADDR (127.0.0.1:9000), MINIO_CONSOLE_ADDR
# (127.0.0.1:9001), MINIO_BIN (default: minio in $GOBIN or $GOPATH/bin), GO.
set -euo pipefail

MINIO_MODULE=github.com/minio/minio
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
ADDR=${MINIO_ADDR:-127.0.0.1:9000}
CONSOLE_ADDR=${MINIO_CONSOLE_ADDR:-127.0.0.1:9001}
ACCESS_KEY=trangtin
SECRET_KEY=trangtin-secret
GO=${GO:-go}

STATE=/tmp/trangtin-minio-${ADDR//[^0-9]/-}
PID_FILE=$STATE.pid       # pid of the server
DATA_FILE=$STATE.data     # path of its temporary data directory
LOG_FILE=$STATE.log       # its output

# minio_bin prints where the server binary is (or is to be installed).
minio_bin() {
  if [ -n "${MINIO_BIN:-}" ]; then echo "$MINIO_BIN"; return; fi
  local dir
  dir=$("$GO" env GOBIN)
  if [ -z "$dir" ]; then dir=$("$GO" env GOPATH); dir=${dir%%:*}/bin; fi
  echo "$dir/minio"
}

# live succeeds when the server answers its liveness probe.
live() {
  local url="http://$ADDR/minio/health/ready"
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null
    return
  fi
  local host=${ADDR%:*} port=${ADDR##*:} status
  (
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf 'GET /minio/health/ready HTTP/1.0\r\nHost: %s\r\n\r\n' "$ADDR" >&3
    IFS= read -r -t 2 status <&3 || exit 1
    [[ $status == *" 200 "* ]]
  ) 2>/dev/null
}

# running prints the pid of the server this script started, if alive.
running() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid=$(cat "$PID_FILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  if live; then
    echo "MinIO already answers at http://$ADDR"
    return 0
  fi
  local bin
  bin=$(minio_bin)
  if [ ! -x "$bin" ]; then
    echo "installing MinIO $MINIO_VERSION into $(dirname "$bin") (takes a few minutes, once)..." >&2
    (cd / && GOBIN=$(dirname "$bin") "$GO" install "$MINIO_MODULE@$MINIO_VERSION")
  fi
  if pid=$(running); then
    echo "MinIO (pid $pid) runs but does not answer at http://$ADDR; waiting" >&2
  else
    local data
    data=$(mktemp -d /tmp/trangtin-minio-data.XXXXXX)
    echo "$data" >"$DATA_FILE"
    # setsid detaches the server from this shell so it outlives the script.
    local launcher=()
    command -v setsid >/dev/null 2>&1 && launcher=(setsid)
    MINIO_ROOT_USER=$ACCESS_KEY MINIO_ROOT_PASSWORD=$SECRET_KEY \
      nohup "${launcher[@]}" "$bin" server --quiet --address "$ADDR" --console-address "$CONSOLE_ADDR" "$data" \
      >"$LOG_FILE" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$PID_FILE"
  fi
  for _ in $(seq 1 240); do
    if live; then
      echo "MinIO answers at http://$ADDR (console http://$CONSOLE_ADDR), pid $pid, data $(cat "$DATA_FILE" 2>/dev/null), log $LOG_FILE"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "MinIO exited; its log ($LOG_FILE):" >&2
      tail -n 20 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      return 1
    fi
    sleep 0.25
  done
  echo "MinIO (pid $pid) did not answer at http://$ADDR within 60 s; log: $LOG_FILE" >&2
  return 1
}

stop() {
  local pid
  if pid=$(running); then
    kill "$pid"
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    echo "MinIO (pid $pid) stopped"
  else
    echo "MinIO was not running (not started by this script)"
  fi
  rm -f "$PID_FILE"
  if [ -f "$DATA_FILE" ]; then
    local data
    data=$(cat "$DATA_FILE")
    case "$data" in /tmp/trangtin-minio-data.*) rm -rf "$data" ;; esac
    rm -f "$DATA_FILE"
  fi
}

env_lines() {
  echo "export TRANGTIN_TEST_S3_ENDPOINT=$ADDR"
  echo "export TRANGTIN_TEST_S3_ACCESS_KEY=$ACCESS_KEY"
  echo "export TRANGTIN_TEST_S3_SECRET_KEY=$SECRET_KEY"
  local bin
  bin=$(minio_bin)
  if [ -x "$bin" ]; then echo "export TRANGTIN_MINIO_BIN=$bin"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) env_lines ;;
  status)
    if live; then echo "MinIO answers at http://$ADDR"; else echo "MinIO does not answer at http://$ADDR"; exit 1; fi ;;
  *)
    echo "usage: $0 start|stop|env|status" >&2
    exit 2 ;;
esac
