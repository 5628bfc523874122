#!/usr/bin/env bash
# Case 8: Peerbucket's seeder with hundreds of peers at once: is its memory bounded, and what does a peer cost?
# One 256 MiB public object (the first 256 MiB of /tmp/pb-bench-1g.bin), its v1 ?torrent fetched, Peerbucket
# restarted on the same data dir (serving only), then bench/peer-load.py opens N raw peer connections (plain asyncio,
# no libtorrent) per level, N in LEVELS, each for LEVEL_SECS: BEP 3 handshake with the fast bit, interested, then
# OUTSTANDING 16 KiB requests kept in flight (random block of a random piece), reading at most RATE bytes/s per
# connection through a RCVBUF-byte receive buffer (so, as behind a slow link, the seeder's sends back up into its
# socket send buffers and pending writes instead of sitting in ours), answering nothing else.
# Modes (one fresh Peerbucket each, --max-peers 600):
#   wait:    default choker (8 slots + 1 optimistic); choked peers request nothing (a plain BEP 3 client): the cost
#            of connections that only wait;
#   allowed: default choker; choked peers request pieces of their BEP 6 allowed fast set (a fast-extension client;
#            on loopback every peer gets the same 10 pieces);
#   all:     --unchoke-slots 1000: every peer unchoked, every connection with sends in flight;
#   deep:    as all, but OUTSTANDING_DEEP requests per peer: more than the seeder's kernel send buffer takes, so
#            every connection also holds a blocked write in the seeder (the worst case for its memory).
# Per level: the seeder's peak RSS (VmHWM, reset through /proc/PID/clear_refs before the level), RssAnon 5 s into
# the window and at its end (connections still open) and 2 s after the peers closed, CPU s (utime+stime over the
# level, connects included), MB/s of block payload delivered to all peers in the window, peers unchoked / served
# (>= 1 block), the seeder's Send-Q (bytes its sockets hold in the kernel), connections the server closed (with the
# reasons from /_metrics and the Information lines of its log), and the generator's own CPU (cores busy in the window:
# near 1.0 means the Python side, not the seeder, set the MB/s).
# Knobs: LEVELS ("100 300 500"), LEVEL_SECS (15), OUTSTANDING (64), OUTSTANDING_DEEP (400), RATE (bytes/s read
#        per connection, 262144), RCVBUF (SO_RCVBUF of each peer, 65536), MODES ("wait allowed all deep"),
#        SIZE_MIB (256), PB_ARGS (added to every serve), LOAD_ARGS (added to every peer-load.py run).
source "$(dirname "$0")/lib.sh"
LEVELS="${LEVELS:-100 300 500}"
LEVEL_SECS="${LEVEL_SECS:-15}"
OUTSTANDING="${OUTSTANDING:-64}"
OUTSTANDING_DEEP="${OUTSTANDING_DEEP:-400}"
RATE="${RATE:-262144}"
RCVBUF="${RCVBUF:-65536}"
MODES="${MODES:-wait allowed all deep}"
SIZE_MIB="${SIZE_MIB:-256}"
PY=/usr/bin/python3
bench_init many-peers
trap 'exit 130' INT TERM

status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# the object: the first SIZE_MIB of the shared random file when it is there, else fresh random bytes
OBJ="$TMP/obj.bin"
if [[ -f $BIG_FILE && $(stat -c %s "$BIG_FILE") -ge $((SIZE_MIB * 1048576)) ]]; then
  head -c $((SIZE_MIB * 1048576)) "$BIG_FILE" > "$OBJ"
else
  head -c $((SIZE_MIB * 1048576)) /dev/urandom > "$OBJ"
fi
BASE_ARGS="--max-peers 600 ${PB_ARGS:-}"
PB_ARGS="$BASE_ARGS" start_pb "$TMP/pbdata"
pb_public_put bench many.bin "$OBJ"
curl -sf "$PB_URL/bench/many.bin?torrent" -o "$TMP/many.torrent"
stop_pb
rm -f "$OBJ"
BLOB=$(find "$TMP/pbdata" -type f -size "$((SIZE_MIB * 1024))k" | head -1)
[[ -n $BLOB ]] || { echo "no ${SIZE_MIB} MiB blob under $TMP/pbdata" >&2; exit 1; }
warm "$BLOB"

tck=$(getconf CLK_TCK)
ROWS=()
machine_line
for mode in $MODES; do
  args="$BASE_ARGS"; choked=allowed; outstanding=$OUTSTANDING
  case $mode in
    wait) choked=wait ;;
    allowed) ;;
    all) args="$BASE_ARGS --unchoke-slots 1000" ;;
    deep) args="$BASE_ARGS --unchoke-slots 1000"; outstanding=$OUTSTANDING_DEEP ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  PB_ARGS="$args" start_pb "$TMP/pbdata"
  echo "# $mode: serve $args; Peerbucket RSS after start $(mb "$(status_kb "$PB_PID" VmRSS)") MB (RssAnon $(mb "$(status_kb "$PB_PID" RssAnon)") MB)" >&2
  for n in $LEVELS; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo 5 > "/proc/$PB_PID/clear_refs"   # VmHWM := current RSS
    c0=$(cpu_ticks "$PB_PID")
    timeout $((LEVEL_SECS + 120)) $PY "$BENCH_DIR/peer-load.py" "127.0.0.1:$PB_PPORT" "$TMP/many.torrent" \
      --connections "$n" --seconds "$LEVEL_SECS" --outstanding "$outstanding" --rate "$RATE" --rcvbuf "$RCVBUF" \
      --while-choked "$choked" ${LOAD_ARGS:-} --server-pid "$PB_PID" --metrics-url "$PB_URL/_metrics" \
      > "$TMP/load.out" 2> "$TMP/load.err" &
    LOAD_PID=$!; PIDS+=("$LOAD_PID")
    wait "$LOAD_PID" || { echo "peer-load.py failed ($mode $n): $(cat "$TMP/load.err")" >&2; exit 1; }
    out=$(cat "$TMP/load.out")
    c1=$(cpu_ticks "$PB_PID"); hwm=$(vmhwm "$PB_PID")
    sleep 2
    after=$(status_kb "$PB_PID" RssAnon)
    echo "# $mode n=$n: $out" >&2
    ROWS+=("$($PY - "$mode" "$n" "$outstanding" "$out" "$(((c1 - c0)))" "$tck" "$hwm" "$after" "$load" <<'PY'
import json, sys
mode, n, outstanding, out, ticks, tck, hwm, after, load = sys.argv[1:]
r = json.loads(out)
closes = ", ".join(f"{k} {v}" for k, v in sorted(r["server_closes"].items())) or "none"
anon_end = r["server_end"].get("RssAnon", 0)
early = [a for t, _, a in r["rss"] if t >= 4.5 and a]
anon_5s = early[0] if early else 0
print(f"| {mode} | {n} | {outstanding} | {r['greeted']}/{r['opened']} ({r['connect_s']:.1f} s) | {r['unchoked']} | {r['served']} "
      f"| {r['closed_by_server']} ({closes}) | {r['mb_s']:.0f} | {r['peer_mb_median']:.2f} ({r['peer_mb_min']:.2f}–{r['peer_mb_max']:.2f}) "
      f"| {int(ticks) / int(tck):.1f} | {int(hwm) / 1024:.0f} | {anon_5s / 1024:.0f} → {anon_end / 1024:.0f} | {int(after) / 1024:.0f} "
      f"| {(r['server_sendq_bytes'] or 0) / 1048576:.0f} | {r['client_cpu_s'] / r['seconds']:.2f} | {load} |")
PY
)")
  done
  grep -E "Peer .* closed \(" "$TMP/pb.log" | sed "s/^/# $mode log: /" | head -20 >&2 || true
  echo "# $mode: Peerbucket now $(grep -E '^(VmRSS|RssAnon|RssFile|Threads)' "/proc/$PB_PID/status" | tr -s ' \t' ' ' | tr '\n' ' ')" >&2
  stop_pb
done

echo "| mode | peers | requests outstanding per peer | greeted/opened (connect time) | unchoked (ever) | got ≥ 1 block | closed by server (server's close reasons in the window) | MB/s to all peers | MB per peer: median (min–max) | seeder CPU s | seeder peak RSS MB | seeder RssAnon MB: 5 s → end of window | RssAnon MB 2 s after close | seeder Send-Q MB (kernel) | generator CPU (cores) | load1 |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo "# per connection: read at most $RATE B/s, SO_RCVBUF $RCVBUF; $LEVEL_SECS s per level; loadavg after: $(loadavg)"
