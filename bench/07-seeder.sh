#!/usr/bin/env bash
# Case 7: one 1 GiB public object downloaded by the same client (python3-libtorrent, offline: no DHT/LSD/PEX/
# UPnP/NAT-PMP, no uTP, loopback only, a fresh session per download) from three sources, rounds alternating:
#   pb-peer: Peerbucket's seeder alone (url-list and trackers stripped; the client dials the peer port);
#   lt-peer: a second libtorrent session seeding the identical torrent from the same bytes (the reference);
#   pb-web:  Peerbucket's web seed alone (trackers stripped, url-list kept, no peer dialed: HTTP ranges).
# Peerbucket is restarted after the upload (same data dir), so its memory reflects serving, not ingest. The
# blob and the libtorrent seeder's file are in the page cache; the client saves to tmpfs (SAVE_ROOT, emptied
# between downloads) so the client's disk is not what is measured. Per download the seeder's CPU (utime+stime
# from /proc/PID/stat) and peak RSS (VmHWM, reset through /proc/PID/clear_refs before each download) are taken.
# Knobs: ROUNDS (3), FORMATS ("v1"; e.g. "v1 hybrid"), WARMUP (1 unmeasured round), DL_TIMEOUT (s, 300),
#        SAVE_ROOT (/dev/shm).
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-3}"
FORMATS="${FORMATS:-v1}"
WARMUP="${WARMUP:-1}"
DL_TIMEOUT="${DL_TIMEOUT:-300}"
SAVE_ROOT="${SAVE_ROOT:-/dev/shm}"
PY=/usr/bin/python3   # Debian's python3-libtorrent imports only here
bench_init seeder
SAVE="$(mktemp -d "$SAVE_ROOT/pb-bench-seeder-dl.XXXXXX")"
seeder_cleanup() { bench_cleanup; rm -rf "$SAVE"; }
trap seeder_cleanup EXIT
trap 'exit 130' INT TERM


ensure_big_file
start_pb "$TMP/pbdata"
pb_public_put bench big.bin "$BIG_FILE"
stop_pb
start_pb "$TMP/pbdata"   # serving-only process from here on
PB_RSS_START=$(awk '/VmRSS/ {print $2}' "/proc/$PB_PID/status")
BLOB=$(find "$TMP/pbdata" -type f -size 1048576k | head -1)
[[ -n $BLOB ]] || { echo "no 1 GiB blob under $TMP/pbdata" >&2; exit 1; }
warm "$BLOB" "$BIG_FILE"

# one libtorrent seeder per format (same torrent as Peerbucket's, same bytes, through a symlink to BIG_FILE)
declare -A LT_PID LT_PORT NAME PLEN
for f in $FORMATS; do
  q="?torrent"; [[ $f != v1 ]] && q="?torrent&format=$f"
  curl -sf "$PB_URL/bench/big.bin$q" -o "$TMP/$f.torrent"
  read -r name plen npieces ih urls < <($PY "$BENCH_DIR/lt-torrent.py" "$TMP/$f.torrent" "$TMP/$f.peers.torrent" "$TMP/$f.web.torrent")
  [[ $urls == http* ]] || { echo "$f torrent has no url-list: $urls" >&2; exit 1; }
  NAME[$f]=$name; PLEN[$f]=$plen
  mkdir -p "$TMP/lt-$f"; ln -s "$BIG_FILE" "$TMP/lt-$f/$name"
  $PY "$BENCH_DIR/lt-seed.py" "$TMP/$f.peers.torrent" "$TMP/lt-$f" "$TMP/lt-$f.ready" > "$TMP/lt-$f.log" 2>&1 &
  LT_PID[$f]=$!; PIDS+=("$!")
  for ((i = 0; i < 1200; i++)); do [[ -s "$TMP/lt-$f.ready" ]] && break; kill -0 "${LT_PID[$f]}" || break; sleep 0.1; done
  [[ -s "$TMP/lt-$f.ready" ]] || { echo "libtorrent seeder ($f) not ready: $(cat "$TMP/lt-$f.log")" >&2; exit 1; }
  LT_PORT[$f]=$(cat "$TMP/lt-$f.ready")
  echo "# $f: name=$name piece_length=$plen pieces=$npieces info-hash=$ih web seed=$urls"
done

tck=$(getconf CLK_TCK)
declare -A SECS CPU RSS CCPU
# fetch FORMAT CASE ROUND(0 = warm-up): one download into an empty save dir; appends to the arrays
fetch() {
  local f=$1 c=$2 r=$3 pid torrent args=() out c0 c1 hwm
  case $c in
    pb-peer) pid=$PB_PID; torrent="$TMP/$f.peers.torrent"; args=(--peer "127.0.0.1:$PB_PPORT") ;;
    lt-peer) pid=${LT_PID[$f]}; torrent="$TMP/$f.peers.torrent"; args=(--peer "127.0.0.1:${LT_PORT[$f]}") ;;
    pb-web)  pid=$PB_PID; torrent="$TMP/$f.web.torrent" ;;
  esac
  rm -rf "${SAVE:?}"/*
  echo 5 > "/proc/$pid/clear_refs"   # VmHWM := current RSS
  c0=$(cpu_ticks "$pid")
  out=$(timeout $((DL_TIMEOUT + 30)) $PY "$BENCH_DIR/lt-fetch.py" "$torrent" "$SAVE" "${args[@]}" --timeout "$DL_TIMEOUT" 2> "$TMP/fetch.err") || true
  c1=$(cpu_ticks "$pid"); hwm=$(vmhwm "$pid")
  local line; line=$(grep '^RESULT' <<< "$out" || true)
  if [[ $line != *"done=1"* || $(stat -c %s "$SAVE/${NAME[$f]}" 2>/dev/null || echo 0) -ne 1073741824 ]]; then
    echo "download failed ($f $c round $r): ${line:-no result} $(cat "$TMP/fetch.err")" >&2; exit 1
  fi
  (( r == 0 )) && return 0
  local k="$f $c"
  SECS[$k]+="$(sed 's/.* seconds=\([^ ]*\).*/\1/' <<< "$line") "
  CPU[$k]+="$(awk -v d=$((c1 - c0)) -v t="$tck" 'BEGIN { printf "%.2f", d / t }') "
  RSS[$k]+="$hwm "
  CCPU[$k]+="$(sed 's/.* client_cpu_s=\([^ ]*\).*/\1/' <<< "$line") "
  echo "# round $r $f $c: $line seeder_cpu_s=$(awk -v d=$((c1 - c0)) -v t="$tck" 'BEGIN { printf "%.2f", d / t }') seeder_hwm_kB=$hwm" >&2
}

CASES=(pb-peer lt-peer pb-web)
for ((r = 1 - WARMUP; r <= ROUNDS; r++)); do
  (( r == 1 )) && machine_line
  for f in $FORMATS; do
    for ((i = 0; i < 3; i++)); do fetch "$f" "${CASES[$(( (i + (r > 0 ? r - 1 : 0)) % 3 ))]}" "$((r > 0 ? r : 0))"; done
  done
done

med() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
max() { tr ' ' '\n' <<< "$1" | grep . | sort -g | tail -1; }
mbs() { awk -v s="$1" 'BEGIN { printf "%.0f", 1073741824 / 1e6 / s }'; }
echo "| torrent | source (seeder process) | median s (of $ROUNDS) | median MB/s | all rounds MB/s | vs libtorrent seeding | seeder CPU s (median) | seeder peak RSS MB (max) | client CPU s (median) |"
echo "|---|---|---|---|---|---|---|---|---|"
for f in $FORMATS; do
  ltm=$(mbs "$(med "${SECS[$f lt-peer]}")")
  for c in "${CASES[@]}"; do
    k="$f $c"
    case $c in
      pb-peer) label="Peerbucket seeder, peer wire (Peerbucket)" ;;
      lt-peer) label="libtorrent seeding (python3 + libtorrent $($PY -c 'import libtorrent; print(libtorrent.__version__)'))" ;;
      pb-web)  label="Peerbucket web seed, HTTP ranges (Peerbucket)" ;;
    esac
    m=$(mbs "$(med "${SECS[$k]}")")
    all=$(for s in ${SECS[$k]}; do printf '%s ' "$(mbs "$s")"; done)
    printf '| %s | %s | %s | %s | %s| %s | %s | %s | %s |\n' "$f" "$label" "$(med "${SECS[$k]}")" "$m" "$all" \
      "$(ratio "$m" "$ltm")" "$(med "${CPU[$k]}")" "$(awk -v k="$(max "${RSS[$k]}")" 'BEGIN { printf "%.0f", k / 1024 }')" "$(med "${CCPU[$k]}")"
  done
done
echo "# Peerbucket RSS after restart (before serving): $((PB_RSS_START / 1024)) MB; piece length: $(for f in $FORMATS; do printf '%s %s ' "$f" "${PLEN[$f]}"; done)"
echo "# libtorrent 2.0 maps files with mmap: its peak RSS counts the file's page-cache pages it touched (RssFile)."
for f in $FORMATS; do
  echo "# libtorrent seeder ($f) now: $(grep -E '^(RssAnon|RssFile)' "/proc/${LT_PID[$f]}/status" | tr -s ' \t' ' ' | tr '\n' ' ')"
done
echo "# Peerbucket now: $(grep -E '^(RssAnon|RssFile)' "/proc/$PB_PID/status" | tr -s ' \t' ' ' | tr '\n' ' ')loadavg after: $(loadavg)"
