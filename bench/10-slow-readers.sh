#!/usr/bin/env bash
# Case 10: slow and never-reading HTTP clients of one 8 MiB public object. Does the server's memory stay bounded,
# does it cut off the clients that read nothing, and does an S3 GET probe still answer fast?
# bench/slow-readers.py opens SLOW connections reading RATE bytes/s each and NEVER connections that read nothing (all
# GET the 8 MiB object, SO_RCVBUF 16 KiB), holds them SECS seconds, times an anonymous GET of a 1 KiB object every
# 0.25 s on a new connection, and samples the server's VmRSS. Compare two builds in one run with PB_DLL_BEFORE.
# Knobs: SLOW (500), NEVER (500), RATE (4096), SECS (45), PB_DLL_BEFORE (a second build to run first, optional).
source "$(dirname "$0")/lib.sh"
SLOW="${SLOW:-500}"
NEVER="${NEVER:-500}"
RATE="${RATE:-4096}"
SECS="${SECS:-45}"
bench_init slow-readers
ulimit -n 65536 2>/dev/null || true
head -c $((8 * 1048576)) /dev/urandom > "$TMP/obj.bin"
head -c 1024 /dev/urandom > "$TMP/small.bin"

run_one() {  # run_one LABEL DLL
  PB_DLL="$2" start_pb "$TMP/data-$1"
  pb_public_put bench big.bin "$TMP/obj.bin"
  pb_public_put bench small.bin "$TMP/small.bin"
  local host=${PB_URL#http://}
  local out
  out=$(/usr/bin/python3 "$BENCH_DIR/slow-readers.py" "${host%:*}" "${host#*:}" /bench/big.bin --readers "$SLOW" --rate "$RATE" \
    --never "$NEVER" --seconds "$SECS" --probe "$PB_URL/bench/small.bin" --pid "$PB_PID")
  echo "| $1 | $(echo "$out" | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print(" | ".join(str(x) for x in [
    r["connections"], r["slow_open"], r["server_open"], round(r["slow_bytes_read"] / 1048576, 1), r["probe_ms_median"], r["probe_ms_p99"],
    r["probe_ms_max"], r["probe_failures"], round(r["rss_kb_start"] / 1024), round(r["rss_kb_max"] / 1024), round(r["rss_kb_end"] / 1024)]))') |"
  echo "$out" | /usr/bin/python3 -c 'import json,sys; r = json.load(sys.stdin); print("# probes over 50 ms (s into the run, ms):", r["slow_probes_s_ms"]); print("# at the end, MB:", {k: round(v / 1048576) for k, v in r["gc_at_end"].items()})' >&2
  stop_pb
}

machine_line
echo "# $SLOW readers at $RATE B/s + $NEVER that read nothing, $SECS s, 8 MiB object; probe: GET of 1 KiB every 0.25 s"
echo "| build | connections | slow readers still receiving | connections the server holds at the end | MiB read by slow | probe median ms | p99 ms | max ms | probe failures | RSS MB start | RSS MB max | RSS MB end |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
[[ -n "${PB_DLL_BEFORE:-}" ]] && run_one before "$PB_DLL_BEFORE"
run_one current "$PB_DLL"
