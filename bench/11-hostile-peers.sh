#!/usr/bin/env bash
# Case 11: good BitTorrent clients beside peers that only hold the seeder's slots. Does a full seeder let the good
# ones in (slot eviction) and do they keep their speed?
# One public object (SIZE_MIB), Peerbucket with --max-peers MAX_PEERS. First GOOD libtorrent clients (download.py,
# seeder only: no tracker, no web seed; each on its own 127.0.1.x, capped at RATE down) download it alone: the
# baseline. Then bench/peer-load.py opens TRICKLE connections that handshake and only send a keep-alive every 20 s
# and NOREAD that are interested and request but read at 1 byte/s (SO_RCVBUF 4 KiB) — all from 127.0.0.1, enough to
# fill the seeder — waits WARM s (past the seeder's 30 s eviction threshold) and the same GOOD clients download again.
# Reports each round's completion times, the speed ratio (goal: >= 0.8) and the seeder's close reasons (/_metrics).
# ARIA2 more good clients are aria2c (the torrent without its web seed, so they find the seeder — and each other —
# through the store's tracker; each on its own 127.0.2.x, capped at RATE down), timed from start to exit.
# Knobs: GOOD (10), ARIA2 (0), TRICKLE (250), NOREAD (250), MAX_PEERS (500), SIZE_MIB (32), RATE (bytes/s per good
# client, 2000000), WARM (35).
source "$(dirname "$0")/lib.sh"
GOOD="${GOOD:-10}"
ARIA2="${ARIA2:-0}"
TRICKLE="${TRICKLE:-250}"
NOREAD="${NOREAD:-250}"
MAX_PEERS="${MAX_PEERS:-500}"
SIZE_MIB="${SIZE_MIB:-32}"
RATE="${RATE:-2000000}"
WARM="${WARM:-35}"
PY=/usr/bin/python3
DL="$REPO/tests/Peerbucket.Interop.Tests/py/download.py"
bench_init hostile
ulimit -n 65536 2>/dev/null || true
head -c $((SIZE_MIB * 1048576)) /dev/urandom > "$TMP/obj.bin"
PB_ARGS="--max-peers $MAX_PEERS" start_pb "$TMP/data"
pb_public_put bench hostile.bin "$TMP/obj.bin"
curl -sf "$PB_URL/bench/hostile.bin?torrent" -o "$TMP/h.torrent"
$PY "$REPO/tests/Peerbucket.Interop.Tests/py/strip_torrent.py" "$TMP/h.torrent" "$TMP/h-noseed.torrent"

aria2_one() {  # aria2_one DIR BIND -> prints {"done": bool, "seconds": s} into DIR.json
  local t0 rc=0
  t0=$(date +%s.%N)
  timeout 240 aria2c --enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false \
    --seed-time=0 --file-allocation=none --summary-interval=0 --disable-ipv6=true --bt-stop-timeout=240 \
    --interface="$2" --max-download-limit="$RATE" --dir="$1" "$TMP/h-noseed.torrent" > "$1.log" 2>&1 || rc=$?
  echo "{\"done\": $([ "$rc" -eq 0 ] && echo true || echo false), \"seconds\": $(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { printf "%.2f", a - b }')}" > "$1.json"
}

origin_bytes() { $PY "$BENCH_DIR/swarm-offload.py" metrics "$PB_URL/_metrics" bench hostile.bin | awk '{ print $1 + $2 + $3 }'; }

good_round() {  # good_round LABEL -> prints "LABEL median max done" and the per-client seconds; origin bytes in $TMP/LABEL.origin
  local i pids=() before
  before=$(origin_bytes)
  for ((i = 0; i < ARIA2; i++)); do
    rm -rf "$TMP/$1-$((GOOD + i))"; mkdir -p "$TMP/$1-$((GOOD + i))"
    aria2_one "$TMP/$1-$((GOOD + i))" "127.0.2.$((10 + i))" &
    pids+=($!)
  done
  for ((i = 0; i < GOOD; i++)); do
    rm -rf "$TMP/$1-$i"; mkdir -p "$TMP/$1-$i"
    $PY "$DL" "$TMP/h.torrent" "$TMP/$1-$i" --peer "127.0.0.1:$PB_PPORT" --bind "127.0.1.$((10 + i))" \
      --download-rate "$RATE" --timeout 240 > "$TMP/$1-$i.json" 2>/dev/null &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  echo $(( $(origin_bytes) - before )) > "$TMP/$1.origin"
  $PY - "$1" "$TMP" "$((GOOD + ARIA2))" <<'PYEOF'
import json, statistics, sys
label, tmp, good = sys.argv[1], sys.argv[2], int(sys.argv[3])
runs = []
for i in range(good):
    try:
        runs.append(json.loads(open(f"{tmp}/{label}-{i}.json").read().strip().splitlines()[-1]))
    except Exception:
        runs.append({"done": False, "seconds": None})
        print(f"{label}-{i}: " + open(f"{tmp}/{label}-{i}.json").read()[-300:], file=sys.stderr)
for i, r in enumerate(runs):
    if not r.get("done"):
        print(f"{label}-{i} did not finish: seconds={r.get('seconds')} progress={r.get('progress')} errors={r.get('errors', [])[:3]}", file=sys.stderr)
secs = [r["seconds"] for r in runs if r.get("done")]
print(f"{label} {statistics.median(secs) if secs else 'nan'} {max(secs) if secs else 'nan'} {len(secs)} {' '.join(str(s) for s in secs)}")
PYEOF
}

disconnects() { curl -sf "$PB_URL/_metrics" | awk '/^peerbucket_seeder_disconnects_total/ && $2 > 0 {sub(/.*reason="/, "", $1); sub(/".*/, "", $1); printf "%s=%s ", $1, $2}'; }

machine_line
read -r _ base_med base_max base_done base_all < <(good_round baseline)
$PY "$BENCH_DIR/peer-load.py" "127.0.0.1:$PB_PPORT" "$TMP/h.torrent" --connections "$TRICKLE" --seconds 300 --trickle 20 > "$TMP/trickle.json" 2>&1 &
T_PID=$!
$PY "$BENCH_DIR/peer-load.py" "127.0.0.1:$PB_PPORT" "$TMP/h.torrent" --connections "$NOREAD" --seconds 300 --rate 1 --rcvbuf 4096 > "$TMP/noread.json" 2>&1 &
N_PID=$!
PIDS+=("$T_PID" "$N_PID")
sleep "$WARM"
open_before=$(ss -Htn state established "( sport = :$PB_PPORT )" | wc -l)
read -r _ att_med att_max att_done att_all < <(good_round attack)
kill "$T_PID" "$N_PID" 2>/dev/null || true
echo "# $GOOD good libtorrent clients (seeder only) and $ARIA2 aria2c (tracker, no web seed), $RATE B/s each, of a $SIZE_MIB MiB object; attackers: $TRICKLE trickling + $NOREAD never-reading peers from 127.0.0.1, --max-peers $MAX_PEERS"
pct() { awk -v b="$(cat "$TMP/$1.origin")" -v s=$((SIZE_MIB * 1048576)) 'BEGIN { printf "%.0f", 100 * b / s }'; }
echo "| round | good clients done | median s | last s | origin sent, % of one copy | per-client s |"
echo "|---|---|---|---|---|---|"
echo "| alone | $base_done/$((GOOD + ARIA2)) | $base_med | $base_max | $(pct baseline) | $base_all |"
echo "| beside the attackers (seeder connections when they started: $open_before) | $att_done/$((GOOD + ARIA2)) | $att_med | $att_max | $(pct attack) | $att_all |"
echo "speed ratio (alone median / attacked median; goal >= 0.8): $(ratio "$base_med" "$att_med")"
echo "# seeder closes by reason: $(disconnects)"
