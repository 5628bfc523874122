#!/usr/bin/env bash
# Case 12: soak. Everything at once for DURATION s, with the server killed (kill -9) at KILL_AT s and started again on
# the same data and ports. Does anything fail outside the restart window, is any acknowledged object lost, and is
# memory flat after warm-up?
# Load, all on loopback:
#   - PEERS raw BitTorrent connections (bench/peer-load.py) downloading a public SWARM_MIB object at PEER_RATE B/s each
#     (opened again after the restart: they do not reconnect by themselves);
#   - S3 WORKERS threads (bench/soak-s3.py, botocore, no retries): PUT 1-64 KiB objects, GET them back and compare,
#     LIST every tenth step; each acknowledged PUT is journalled before the next request, and at the end every
#     journalled object is read back and compared;
#   - SWARM libtorrent clients (download.py with the torrent's tracker and web seed, each on its own 127.0.2.x, capped at
#     SWARM_RATE down) downloading the object again and again.
# The restart window runs from the kill to the health check answering after the restart plus GRACE s; errors and
# failed downloads that began before its end are counted apart. RSS is sampled every 5 s; "flat" compares the RSS
# WARM s after each start with the RSS just before the kill / at the end.
# Knobs: DURATION (600), KILL_AT (300), WARM (60), GRACE (5), PEERS (1000), PEER_RATE (16384), WORKERS (200),
#        SWARM (16), SWARM_MIB (32), SWARM_RATE (4000000).
source "$(dirname "$0")/lib.sh"
DURATION="${DURATION:-600}"
KILL_AT="${KILL_AT:-300}"
WARM="${WARM:-60}"
GRACE="${GRACE:-5}"
PEERS="${PEERS:-1000}"
PEER_RATE="${PEER_RATE:-16384}"
WORKERS="${WORKERS:-200}"
SWARM="${SWARM:-16}"
SWARM_MIB="${SWARM_MIB:-32}"
SWARM_RATE="${SWARM_RATE:-4000000}"
PY=/usr/bin/python3
DL="$REPO/tests/Peerbucket.Interop.Tests/py/download.py"
CMD="DURATION=$DURATION KILL_AT=$KILL_AT WARM=$WARM PEERS=$PEERS PEER_RATE=$PEER_RATE WORKERS=$WORKERS SWARM=$SWARM SWARM_MIB=$SWARM_MIB SWARM_RATE=$SWARM_RATE bench/12-soak.sh"
bench_init soak
ulimit -n 65536 2>/dev/null || true

PB_PORT=$(free_port); PB_TPORT=$(free_port); PB_PPORT=$(free_port)
PB_URL="http://127.0.0.1:$PB_PORT"
serve() {  # serve LOG -> sets PB_PID
  dotnet "$PB_DLL" serve --data "$TMP/data" --http "$PB_URL" --tracker-port "$PB_TPORT" --peer-port "$PB_PPORT" \
    --max-peers $((PEERS + SWARM * 4 + 100)) > "$1" 2>&1 &
  PB_PID=$!
  PIDS+=("$PB_PID")
  wait_http "$PB_URL/_health" 60
}
rss_mb() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$PB_PID/status" 2>/dev/null || echo 0; }

mkdir -p "$TMP/data"
serve "$TMP/pb1.log"
head -c $((SWARM_MIB * 1048576)) /dev/urandom > "$TMP/obj.bin"
pb_public_put soak swarm.bin "$TMP/obj.bin"
curl -sf "${SIGV4[@]}" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -X PUT "$PB_URL/soak-s3" -o /dev/null
curl -sf "$PB_URL/soak/swarm.bin?torrent" -o "$TMP/s.torrent"

START=$(date +%s)
END=$((START + DURATION))
machine_line
echo "# command: $CMD"

peers() {  # peers SECONDS LABEL
  $PY "$BENCH_DIR/peer-load.py" "127.0.0.1:$PB_PPORT" "$TMP/s.torrent" --connections "$PEERS" --seconds "$1" --metrics-url "$PB_URL/_metrics" \
    --rate "$PEER_RATE" > "$TMP/peers-$2.json" 2> "$TMP/peers-$2.err" &
}
peers $((KILL_AT - 15)) 1
PEERS1=$!

$PY "$BENCH_DIR/soak-s3.py" "$PB_URL" soak-s3 "$WORKERS" "$END" "$TMP/journal" > "$TMP/s3.json" 2> "$TMP/s3.err" &
S3=$!

swarm_client() {  # swarm_client I: downloads again and again until END; one line per download in swarm-I.log
  local i=$1 n=0 t0 rc
  while (($(date +%s) < END - 30)); do
    n=$((n + 1)); rm -rf "$TMP/sw$i"; mkdir -p "$TMP/sw$i"; t0=$(date +%s)
    rc=0
    $PY "$DL" "$TMP/s.torrent" "$TMP/sw$i" --keep-trackers --web-seeds --bind "127.0.2.$((10 + i))" \
      --download-rate "$SWARM_RATE" --timeout 150 > "$TMP/sw$i.json" 2>/dev/null || rc=$?
    local done
    done=$(tail -1 "$TMP/sw$i.json" 2>/dev/null | $PY -c 'import json,sys; print(json.loads(sys.stdin.read()).get("done", False))' 2>/dev/null || echo False)
    echo "$t0 $(date +%s) $done" >> "$TMP/swarm-$i.log"
  done
}
SW=()
for ((i = 0; i < SWARM; i++)); do swarm_client "$i" & SW+=($!); done

: > "$TMP/rss"
sampler() { while true; do echo "$(($(date +%s) - START)) $(rss_mb)" >> "$TMP/rss"; sleep 5; done; }

sampler & SAMPLER=$!
sleep $((START + KILL_AT - $(date +%s)))
RSS_BEFORE_KILL=$(rss_mb)
KILL=$(date +%s)
kill -9 "$PB_PID"
kill "$SAMPLER" 2>/dev/null || true
wait "$PB_PID" 2>/dev/null || true
serve "$TMP/pb2.log"
HEALTHY=$(date +%s)
WINDOW_END=$((HEALTHY + GRACE))
sampler & SAMPLER=$!
PIDS+=("$SAMPLER")
wait "$PEERS1" || true
peers $((END - $(date +%s) - 15)) 2
PEERS2=$!

wait "$S3" || true
wait "${SW[@]}" || true
wait "$PEERS2" || true
RSS_END=$(rss_mb)
kill "$SAMPLER" 2>/dev/null || true
$PY "$BENCH_DIR/soak-s3.py" "$PB_URL" soak-s3 1 0 "$TMP/journal" --verify > "$TMP/verify.json"

$PY - "$TMP" "$START" "$KILL" "$HEALTHY" "$WINDOW_END" "$WARM" "$RSS_BEFORE_KILL" "$RSS_END" <<'PYEOF'
import glob, json, sys
tmp, start, kill, healthy, window_end, warm, rss_kill, rss_end = sys.argv[1], *map(int, sys.argv[2:])
s3 = json.loads(open(f"{tmp}/s3.json").read().strip().splitlines()[-1])
errors = []
for line in open(f"{tmp}/s3.err"):
    try:
        errors.append(json.loads(line))
    except ValueError:
        pass
outside = [e for e in errors if not (kill <= e["t"] <= window_end)]
verify = json.loads(open(f"{tmp}/verify.json").read())
runs = []
for path in glob.glob(f"{tmp}/swarm-*.log"):
    for line in open(path):
        t0, t1, done = line.split()
        runs.append((int(t0), int(t1), done == "True"))
failed_outside = [r for r in runs if not r[2] and not (r[0] <= window_end and r[1] >= kill)]
rss = [tuple(map(int, l.split())) for l in open(f"{tmp}/rss") if len(l.split()) == 2]
def at(t):
    near = [m for s, m in rss if s >= t]
    return near[0] if near else 0
peers = [json.loads(open(f).read().strip().splitlines()[-1]) for f in sorted(glob.glob(f"{tmp}/peers-*.json"))]
print(f"restart window: kill at {kill - start} s, healthy again {healthy - kill} s later")
print("| phase | peer connections greeted | peer MB/s | closed by server | server's close reasons in the window |")
print("|---|---|---|---|---|")
for i, p in enumerate(peers, 1):
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(p.get("server_closes", {}).items())) or "-"
    print(f"| {'before' if i == 1 else 'after'} the kill | {p['greeted']}/{p['connections']} | {p['mb_s']} | {p['closed_by_server']} | {reasons} |")
print()
print("| S3 PUT / GET / LIST | errors in the window | errors outside | GET mismatches | acknowledged objects | lost | wrong bytes |")
print("|---|---|---|---|---|---|---|")
print(f"| {s3['put']} / {s3['get']} / {s3['list']} | {len(errors) - len(outside)} | {len(outside)} | {s3['mismatch']} | "
      f"{verify['acknowledged']} | {verify['lost']} | {verify['wrong']} |")
for e in outside[:5]:
    print(f"  outside the window: t={e['t'] - start:.1f} s {e['op']} {e['error']}")
print()
done = sum(1 for r in runs if r[2])
print(f"swarm downloads: {done} done, {len(runs) - done} not done ({len(failed_outside)} of them outside the window)")
print()
print("| RSS MB | after warm-up | before the kill | after the restart's warm-up | end |")
print("|---|---|---|---|---|")
print(f"| server | {at(warm)} | {rss_kill} | {at(healthy - start + warm)} | {rss_end} |")
print("rss samples (s MB): " + " ".join(f"{s}:{m}" for s, m in rss[::6]))
PYEOF
