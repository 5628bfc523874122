#!/usr/bin/env bash
# Case 3: 4 KiB objects, 16 concurrent connections (wrk -t2 -c16), ~10 s per phase.
#  PUT: Peerbucket with 1000 precomputed presigned PUT URLs (SigV4 query auth, so wrk signs nothing; each
#       URL is reused and overwrites its key) vs nginx WebDAV PUT of the same paths (query ignored).
#  GET: anonymous GET of 100 public 4 KiB objects vs nginx serving the same 100 files.
# Both servers use the same generator (wrk + bench/wrk-paths.lua). Phases alternate PB / nginx.
# Also PUT with 1 connection, and the disk's 'write 4 KiB + fsync' rate with 16 threads (Peerbucket fsyncs each PUT; nginx does not).
source "$(dirname "$0")/lib.sh"
DUR="${DUR:-10}"
bench_init small
start_pb "$TMP/pbdata"
curl -sf "${SIGV4[@]}" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -X PUT "$PB_URL/bench" -o /dev/null
start_nginx "$TMP/www"
mkdir -p "$TMP/www/bench/s" "$TMP/www/bench/g"

python3 "$BENCH_DIR/presign.py" "$PB_URL" bench s/ 1000 public-read > "$TMP/put.txt"
python3 "$BENCH_DIR/presign.py" "$PB_URL" bench g/ 100 public-read > "$TMP/seed.txt"
sed 's/?.*//' "$TMP/seed.txt" > "$TMP/get.txt"
head -c 4096 /dev/urandom > "$TMP/obj"
while read -r p; do
  curl -sf -H 'x-amz-acl: public-read' -T "$TMP/obj" "$PB_URL$p" -o /dev/null
  cp "$TMP/obj" "$TMP/www${p%%\?*}"
done < "$TMP/seed.txt"

run() {  # run URL METHOD PATHFILE SECONDS [CONNECTIONS] -> RESULT line
  local c="${5:-16}" t=2; [[ $c == 1 ]] && t=1
  (cd "$TMP" && WRK_ACL=public-read WRK_PATHS="$3" WRK_METHOD="$2" WRK_BODY_BYTES=4096 \
    timeout $(( $4 + 20 )) wrk -t$t -c"$c" -d"${4}s" --timeout 10s -s "$BENCH_DIR/wrk-paths.lua" "$1" | grep '^RESULT')
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }

# short warm-up (JIT, connection setup) for both, not measured
run "$PB_URL" PUT "$TMP/put.txt" 2 > /dev/null; run "$NG_URL" PUT "$TMP/put.txt" 2 > /dev/null
run "$PB_URL" GET "$TMP/get.txt" 2 > /dev/null; run "$NG_URL" GET "$TMP/get.txt" 2 > /dev/null

machine_line
tck=$(getconf CLK_TCK)
declare -A R CPU
for phase in PUT GET; do
  paths="$TMP/put.txt"; [[ $phase == GET ]] && paths="$TMP/get.txt"
  c0=$(cpu_ticks "$PB_PID"); R[pb$phase]=$(run "$PB_URL" $phase "$paths" "$DUR"); CPU[pb$phase]=$(( $(cpu_ticks "$PB_PID") - c0 ))
  c0=$(cpu_ticks "$NG_WORKER"); R[ng$phase]=$(run "$NG_URL" $phase "$paths" "$DUR"); CPU[ng$phase]=$(( $(cpu_ticks "$NG_WORKER") - c0 ))
done
# PUT with one connection (no concurrency: the per-request durable-write latency)
c0=$(cpu_ticks "$PB_PID"); R[pbPUT1]=$(run "$PB_URL" PUT "$TMP/put.txt" 5 1); CPU[pbPUT1]=$(( $(cpu_ticks "$PB_PID") - c0 ))
c0=$(cpu_ticks "$NG_WORKER"); R[ngPUT1]=$(run "$NG_URL" PUT "$TMP/put.txt" 5 1); CPU[ngPUT1]=$(( $(cpu_ticks "$NG_WORKER") - c0 ))
fs=$(python3 "$BENCH_DIR/fsync-floor.py" "$TMP" 16 5)
fs1=$(python3 "$BENCH_DIR/fsync-floor.py" "$TMP" 1 5)

echo "| op | server (connections) | req/s | p50 ms | p99 ms | non-2xx | socket errors | server CPU µs/req |"
echo "|---|---|---|---|---|---|---|---|"
for phase in PUT PUT1 GET; do
  for s in pb ng; do
    r=${R[$s$phase]}; name=Peerbucket; [[ $s == ng ]] && name=nginx
    if [[ $phase == PUT1 ]]; then name="$name (1)"; else name="$name (16)"; fi
    errs=$(( $(field connect "$r") + $(field read "$r") + $(field write "$r") + $(field timeout "$r") ))
    cpu_us=$(awk -v c="${CPU[$s$phase]}" -v t="$tck" -v n="$(field requests "$r")" 'BEGIN { printf "%.0f", c / t * 1e6 / n }')
    echo "| ${phase%1} 4 KiB | $name | $(field rps "$r") | $(field p50_ms "$r") | $(field p99_ms "$r") | $(field non2xx "$r") | $errs | $cpu_us |"
  done
done
echo "| fsync floor | python, 16 threads, write 4 KiB + fsync | $(field ops_per_s "$fs") | | | | | |"
echo "| fsync floor | python, 1 thread, write 4 KiB + fsync | $(field ops_per_s "$fs1") | | | | | |"
echo "ratio Peerbucket/nginx: PUT $(ratio "$(field rps "${R[pbPUT]}")" "$(field rps "${R[ngPUT]}")"), PUT 1 connection $(ratio "$(field rps "${R[pbPUT1]}")" "$(field rps "${R[ngPUT1]}")"), GET $(ratio "$(field rps "${R[pbGET]}")" "$(field rps "${R[ngGET]}")")"
echo "# peak RSS kB: Peerbucket $(vmhwm "$PB_PID"), nginx worker $(vmhwm "$NG_WORKER"); loadavg after: $(loadavg)"
