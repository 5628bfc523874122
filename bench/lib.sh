#!/usr/bin/env bash
# Shared helpers for the bench/ cases. Source it; every case calls bench_init first.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
PB_DLL="${PB_DLL:-$REPO/src/Peerbucket/bin/Release/net10.0/Peerbucket.dll}"
export PEERBUCKET_ACCESS_KEY=bench PEERBUCKET_SECRET_KEY=benchsecret
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=benchsecret AWS_DEFAULT_REGION=us-east-1
SIGV4=(--aws-sigv4 "aws:amz:us-east-1:s3" --user bench:benchsecret)
BIG_FILE="${BIG_FILE:-/tmp/pb-bench-1g.bin}"

PIDS=()
bench_init() {  # bench_init NAME -> sets TMP (removed on exit) and installs the cleanup trap
  TMP="$(mktemp -d "/tmp/pb-bench-$1.XXXXXX")"
  trap bench_cleanup EXIT INT TERM
}
bench_cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [[ -n "$pid" ]] && { timeout 10 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true; }
  done
  [[ -n "${KEEP_LOG:-}" && -f "${TMP:-}/pb.log" ]] && cp "$TMP/pb.log" "$KEEP_LOG"
  [[ -n "${TMP:-}" && -d "$TMP" ]] && rm -rf "$TMP"
}

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

ensure_big_file() {  # 1 GiB of random bytes, reused across cases (not removed: run-all.sh removes it)
  if [[ ! -f "$BIG_FILE" || $(stat -c %s "$BIG_FILE") -ne 1073741824 ]]; then
    head -c 1073741824 /dev/urandom > "$BIG_FILE"
  fi
}
warm() { cat "$@" > /dev/null; }

wait_http() {  # wait_http URL [seconds]
  local i
  for ((i = 0; i < ${2:-60} * 10; i++)); do
    curl -s -o /dev/null -f "$1" && return 0
    sleep 0.1
  done
  echo "timeout waiting for $1" >&2; return 1
}

# stop_pb: stops the Peerbucket started by start_pb (SIGTERM, then SIGKILL after 30 s), forgets started PIDs
stop_pb() {
  kill "$PB_PID" 2>/dev/null || true
  timeout 30 tail --pid="$PB_PID" -f /dev/null || kill -9 "$PB_PID" 2>/dev/null || true
  wait "$PB_TIME_PID" 2>/dev/null || true
  PIDS=()
}

# start_pb DATA_DIR -> sets PB_PORT PB_TPORT PB_PPORT PB_PID PB_URL; log in $TMP/pb.log
start_pb() {
  PB_PORT=$(free_port); PB_TPORT=$(free_port); PB_PPORT=$(free_port)
  mkdir -p "$1"
  /usr/bin/time -v -o "$TMP/pb.time" dotnet "$PB_DLL" serve --data "$1" --http "http://127.0.0.1:$PB_PORT" \
    --tracker-port "$PB_TPORT" --peer-port "$PB_PPORT" ${PB_ARGS:-} > "$TMP/pb.log" 2>&1 &
  PB_TIME_PID=$!
  PIDS+=("$PB_TIME_PID")
  PB_URL="http://127.0.0.1:$PB_PORT"
  wait_http "$PB_URL/_health" 60
  PB_PID=$(pgrep -P "$PB_TIME_PID" | head -1)
  PIDS=("$PB_PID" "${PIDS[@]}")
}

# start_nginx ROOT [extra http-level config] -> sets NG_PORT NG_PID NG_URL
start_nginx() {
  NG_PORT=$(free_port)
  local prefix="$TMP/nginx"
  mkdir -p "$prefix/logs" "$prefix/body" "$1"
  cat > "$prefix/nginx.conf" <<CONF
user root;
worker_processes 1;
daemon off;
error_log $prefix/logs/error.log warn;
pid $prefix/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $prefix/body;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:$NG_PORT;
    root $1;
    location / { dav_methods PUT; create_full_put_path on; }
    ${2:-}
  }
}
CONF
  /usr/bin/time -v -o "$TMP/nginx.time" nginx -p "$prefix" -c "$prefix/nginx.conf" > "$prefix/logs/stdout.log" 2>&1 &
  PIDS+=("$!")
  NG_URL="http://127.0.0.1:$NG_PORT"
  local i
  for ((i = 0; i < 100; i++)); do [[ -s "$prefix/nginx.pid" ]] && break; sleep 0.1; done
  NG_PID=$(cat "$prefix/nginx.pid")
  NG_WORKER=$(pgrep -P "$NG_PID" | head -1)
  PIDS=("$NG_PID" "${PIDS[@]}")
  sleep 0.2
}

pb_public_put() {  # pb_public_put BUCKET KEY FILE
  curl -s "${SIGV4[@]}" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -X PUT "$PB_URL/$1" -o /dev/null
  curl -sf "${SIGV4[@]}" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -H 'x-amz-acl: public-read' \
    -T "$3" "$PB_URL/$1/$2" -o /dev/null
}

vmhwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo "?"; }  # peak RSS kB
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime+stime in clock ticks
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
machine_line() { echo "# machine: nproc=$(nproc) loadavg=$(loadavg) $(date -u +%FT%TZ)"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
