#!/usr/bin/env bash
# Case 9: swarm offload. How many copies of an object does the ORIGIN upload when N BitTorrent clients fetch it?
# N python3-libtorrent sessions in one process (bench/swarm-offload.py clients), client i bound to 127.0.0.(10+i),
# each limited to DOWN_RATE down / UP_RATE up (a peer-class filter puts loopback in the global, limited class),
# no DHT/LSD/PEX/UPnP/NAT-PMP/uTP, no extensions, several connections per IP allowed, each adding the torrent
# exactly as its origin serves it. Finished clients keep seeding until the case ends (all done or CASE_TIMEOUT).
# Origins (ORIGINS), interleaved per scenario so they share the machine's conditions:
#   pb:       Peerbucket, `serve --piece-length PIECE --max-upload-rate ORIGIN_RATE $PB_ARGS`; the object's default
#             `?torrent` (its tracker + BEP 19 web seed url-list), a fresh public key per case so its counters start
#             at 0. Origin bytes = the server's peerbucket_object_egress_bytes_total{via=seeder|web_seed|range_get|plain_get}
#             from /_metrics, after minus before.
#   lt:       the anchor: a libtorrent session (bench/swarm-offload.py origin, bound to 127.0.0.2) seeding the same
#             bytes, upload capped at ORIGIN_RATE, behind a fresh opentracker per case; a v1 torrent made by
#             libtorrent with the same piece length, announce = opentracker, no url-list. Origin bytes = the seed
#             torrent's total_payload_upload.
#   lt-super: the same with strict_super_seeding and the torrent in super-seeding mode.
# A plain-HTTP origin needs no run: every client downloads the whole object, N x 100 %.
# Scenarios (SCENARIOS, space-separated KIND:N): flash:N (all N start together), stagger:N (one every STAGGER_S s),
# lone:1 (one client). Per case: origin % of one copy (by path), the clients' blocks by source (block_finished_alert
# endpoints: web seed / origin peer / other clients, first copies only), last completion (s from the first client's
# start) and median completion (each client's own add-to-finished), achieved client rates (median and max of each
# client's average download rate; the highest 5 s-window download and upload rate of any client) to show the limits
# hold. A client is verified by libtorrent: it completes only when every piece passed its SHA-1 check.
# Knobs: SCENARIOS ("flash:4 flash:8 flash:16 stagger:16 lone:1"), ORIGINS ("pb lt lt-super"), SIZE_MIB (64),
#        PIECE_KIB (256), DOWN_RATE (8M), UP_RATE (2M), ORIGIN_RATE (4M; K/M/G = 1024-based, as the server's
#        --max-upload-rate), STAGGER_S (2), CASE_TIMEOUT (s, 180), SAVE_ROOT (/dev/shm), PB_ARGS (added to serve).
source "$(dirname "$0")/lib.sh"
SCENARIOS="${SCENARIOS:-flash:4 flash:8 flash:16 stagger:16 lone:1}"
ORIGINS="${ORIGINS:-pb lt lt-super}"
SIZE_MIB="${SIZE_MIB:-64}"
PIECE_KIB="${PIECE_KIB:-256}"
DOWN_RATE="${DOWN_RATE:-8M}"
UP_RATE="${UP_RATE:-2M}"
ORIGIN_RATE="${ORIGIN_RATE:-4M}"
STAGGER_S="${STAGGER_S:-2}"
CASE_TIMEOUT="${CASE_TIMEOUT:-180}"
SAVE_ROOT="${SAVE_ROOT:-/dev/shm}"
PY=/usr/bin/python3   # Debian's python3-libtorrent imports only here
HELPER="$BENCH_DIR/swarm-offload.py"
CMD="SCENARIOS=\"$SCENARIOS\" ORIGINS=\"$ORIGINS\" SIZE_MIB=$SIZE_MIB PIECE_KIB=$PIECE_KIB DOWN_RATE=$DOWN_RATE UP_RATE=$UP_RATE ORIGIN_RATE=$ORIGIN_RATE STAGGER_S=$STAGGER_S CASE_TIMEOUT=$CASE_TIMEOUT${PB_ARGS:+ PB_ARGS=\"$PB_ARGS\"} bench/09-swarm-offload.sh"
bench_init swarm
SAVE="$(mktemp -d "$SAVE_ROOT/pb-bench-swarm-dl.XXXXXX")"
swarm_cleanup() { bench_cleanup; rm -rf "$SAVE"; }
trap swarm_cleanup EXIT
trap 'exit 130' INT TERM

bytes() {  # 8M -> 8388608 (K/M/G 1024-based, as Peerbucket's ByteRate)
  awk -v s="$1" 'BEGIN { m = 1; u = toupper(substr(s, length(s))); if (u == "K") m = 1024; else if (u == "M") m = 1048576;
    else if (u == "G") m = 1073741824; if (m > 1) s = substr(s, 1, length(s) - 1); printf "%d", s * m }'
}
DOWN_B=$(bytes "$DOWN_RATE"); UP_B=$(bytes "$UP_RATE"); ORIGIN_B=$(bytes "$ORIGIN_RATE")
PIECE=$((PIECE_KIB * 1024))
for s in $SCENARIOS; do
  [[ $s =~ ^(flash|stagger|lone):[0-9]+$ ]] || { echo "bad scenario '$s' (flash:N, stagger:N, lone:1)" >&2; exit 2; }
done
for o in $ORIGINS; do [[ $o =~ ^(pb|lt|lt-super)$ ]] || { echo "bad origin '$o' (pb, lt, lt-super)" >&2; exit 2; }; done

# the object: the first SIZE_MIB of the shared random file when it is there, else fresh random bytes
mkdir -p "$TMP/src"
OBJ="$TMP/src/obj.bin"
if [[ -f $BIG_FILE && $(stat -c %s "$BIG_FILE") -ge $((SIZE_MIB * 1048576)) ]]; then
  head -c $((SIZE_MIB * 1048576)) "$BIG_FILE" > "$OBJ"
else
  head -c $((SIZE_MIB * 1048576)) /dev/urandom > "$OBJ"
fi
SIZE=$(stat -c %s "$OBJ")

if [[ " $ORIGINS " == *" pb "* ]]; then
  PB_ARGS="--piece-length $PIECE --max-upload-rate $ORIGIN_RATE ${PB_ARGS:-}" start_pb "$TMP/pbdata"
  echo "# Peerbucket: serve --piece-length $PIECE --max-upload-rate $ORIGIN_RATE ${PB_ARGS:-} (pid $PB_PID, http $PB_PORT, tracker $PB_TPORT, peers $PB_PPORT)" >&2
fi
warm "$OBJ"

ROWS=()
DETAIL="$TMP/detail.txt"; : > "$DETAIL"
CASE_NO=0

run_clients() {  # run_clients TORRENT KIND N ORIGIN_ENDPOINT -> $TMP/clients.json
  local torrent=$1 kind=$2 n=$3 origin=$4 stagger=0
  [[ $kind == stagger ]] && stagger=$STAGGER_S
  rm -rf "${SAVE:?}"/*
  timeout $((CASE_TIMEOUT + 60)) $PY "$HELPER" clients "$torrent" "$SAVE" --n "$n" --stagger "$stagger" \
    --down "$DOWN_B" --up "$UP_B" --timeout "$CASE_TIMEOUT" --origin "$origin" > "$TMP/clients.json" 2> "$TMP/clients.err" &
  local pid=$!; PIDS+=("$pid")
  wait "$pid" || true
  [[ -s $TMP/clients.json ]] || { echo "clients produced no result: $(tail -5 "$TMP/clients.err")" >&2; exit 1; }
  rm -rf "${SAVE:?}"/*
}

case_pb() {  # case_pb KIND N
  local kind=$1 n=$2 key torrent info before after load
  key="c$CASE_NO-$kind$n.bin"
  pb_public_put bench "$key" "$OBJ"
  torrent="$TMP/$key.torrent"
  curl -sf "$PB_URL/bench/$key?torrent" -o "$torrent"
  read -r ih plen npieces trackers urls < <($PY "$HELPER" info "$torrent")
  [[ $plen == "$PIECE" && $urls == http* && $trackers == http* ]] ||
    { echo "unexpected ?torrent for $key: piece $plen trackers $trackers url-list $urls" >&2; exit 1; }
  (( CASE_NO == 1 )) && echo "# Peerbucket ?torrent: piece_length=$plen pieces=$npieces trackers=$trackers url-list=$urls" >&2
  read -r b_s b_r b_p < <($PY "$HELPER" metrics "$PB_URL/_metrics" bench "$key")
  load=$(cut -d' ' -f1 /proc/loadavg)
  run_clients "$torrent" "$kind" "$n" "127.0.0.1:$PB_PPORT"
  sleep 1
  read -r a_s a_r a_p < <($PY "$HELPER" metrics "$PB_URL/_metrics" bench "$key")
  ROWS+=("$($PY "$HELPER" summarize "Peerbucket (default ?torrent: tracker + web seed)${PB_ARGS:+ $PB_ARGS}" "$kind:$n" "$TMP/clients.json" \
    $((a_s - b_s)) $((a_r - b_r)) $((a_p - b_p)) "$load" "$DETAIL")")
}

case_lt() {  # case_lt KIND N SUPER(0|1)
  local kind=$1 n=$2 super=$3 ot_port ih torrent load ot_pid or_pid label="libtorrent seed" args=()
  (( super )) && { label="libtorrent seed, strict super-seeding"; args=(--super-seed); }
  ot_port=$(free_port)
  torrent="$TMP/lt-c$CASE_NO.torrent"
  ih=$($PY "$HELPER" torrent "$OBJ" "$PIECE" "http://127.0.0.1:$ot_port/announce" "$torrent")
  rm -rf "$TMP/ot"; mkdir -p "$TMP/ot"; chmod 755 "$TMP/ot"
  echo "$ih" > "$TMP/ot/whitelist.txt"; chmod 644 "$TMP/ot/whitelist.txt"
  # Debian's opentracker is whitelist-only and refuses to keep root: it chroots to DIR as nobody
  opentracker -i 127.0.0.1 -p "$ot_port" -P "$ot_port" -d "$TMP/ot" -w whitelist.txt -u nobody > "$TMP/ot.log" 2>&1 &
  ot_pid=$!; PIDS=("$ot_pid" "${PIDS[@]}")
  sleep 0.5
  kill -0 "$ot_pid" || { echo "opentracker exited: $(cat "$TMP/ot.log")" >&2; exit 1; }
  rm -f "$TMP/origin.ready" "$TMP/origin.stats"
  $PY "$HELPER" origin "$torrent" "$TMP/src" "$TMP/origin.ready" "$TMP/origin.stats" --bind 127.0.0.2 \
    --up "$ORIGIN_B" "${args[@]}" > "$TMP/origin.log" 2>&1 &
  or_pid=$!; PIDS=("$or_pid" "${PIDS[@]}")
  for ((i = 0; i < 600; i++)); do [[ -s $TMP/origin.ready ]] && break; kill -0 "$or_pid" || break; sleep 0.1; done
  [[ -s $TMP/origin.ready ]] || { echo "libtorrent origin not ready: $(cat "$TMP/origin.log")" >&2; exit 1; }
  load=$(cut -d' ' -f1 /proc/loadavg)
  run_clients "$torrent" "$kind" "$n" 127.0.0.2
  kill "$or_pid"; wait "$or_pid" 2>/dev/null || true
  kill "$ot_pid"; wait "$ot_pid" 2>/dev/null || true
  read -r up _ peak1 peak5 ss < "$TMP/origin.stats"
  (( super )) && [[ $ss != super_seeding=1 ]] && { echo "origin not in super-seeding mode: $ss" >&2; exit 1; }
  echo "# $label $kind:$n: origin payload upload $up B, peak 1 s / 5 s upload $(awk -v a="$peak1" -v b="$peak5" 'BEGIN { printf "%.2f / %.2f MiB/s", a / 1048576, b / 1048576 }') (cap $ORIGIN_RATE), $ss" >> "$DETAIL"
  ROWS+=("$($PY "$HELPER" summarize "$label" "$kind:$n" "$TMP/clients.json" "$up" - - "$load" "$DETAIL")")
}

echo "# command: $CMD"
machine_line
echo "# object: $SIZE bytes, piece length $PIECE; clients: down $DOWN_RATE ($DOWN_B B/s), up $UP_RATE ($UP_B B/s); origin cap $ORIGIN_RATE ($ORIGIN_B B/s)"
for s in $SCENARIOS; do
  kind=${s%%:*}; n=${s##*:}
  for o in $ORIGINS; do
    CASE_NO=$((CASE_NO + 1))
    t0=$(date +%s)
    case $o in
      pb) case_pb "$kind" "$n" ;;
      lt) case_lt "$kind" "$n" 0 ;;
      lt-super) case_lt "$kind" "$n" 1 ;;
    esac
    echo "# case $CASE_NO $o $s: $(( $(date +%s) - t0 )) s; ${ROWS[-1]}" >&2
  done
done

echo "| origin | scenario | clients done | origin % of one copy | peer wire % (seeder) | web seed % (web_seed + range_get) | plain GET % | clients' blocks from web seed / origin peer / other clients (% of one copy, summed) | last completion s | median completion s | client avg down MiB/s: median (max) | highest 5 s client down / up MiB/s | load1 |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo "# plain HTTP origin (no run needed): every client GETs the whole object, origin = N x 100 %."
cat "$DETAIL"
[[ -n ${PB_PID:-} ]] && echo "# Peerbucket now: $(grep -E '^(VmRSS|RssAnon)' "/proc/$PB_PID/status" | tr -s ' \t' ' ' | tr '\n' ' ')"
echo "# loadavg after: $(loadavg)"
