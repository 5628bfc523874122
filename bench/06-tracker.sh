#!/usr/bin/env bash
# Case 6: tracker announces per second, Peerbucket's tracker vs opentracker, same info-hash (a public object's
# x-peerbucket-btih), same generators, runs alternating:
#  HTTP: wrk + bench/wrk-announce.lua (5000 distinct peers, compact, numwant=50), with "Connection: close"
#        (one TCP connection per announce, like real clients) and keep-alive, at 4 and 16 connections.
#        opentracker is HTTP/1.0 and closes after every reply, so its keep-alive row is also one connection
#        per announce.
#  UDP:  bench/udp-announce.py (BEP 15; 8 sockets, connect once, announce in lockstep).
# Reports server CPU per announce and peak RSS (VmHWM) of both servers. wrk counts one "read" socket error per
# opentracker reply (it closes the connection right after replying); the replies themselves are complete
# and counted (status checked by the Lua script).
source "$(dirname "$0")/lib.sh"
DUR="${DUR:-6}"
UDP_DUR="${UDP_DUR:-8}"
bench_init tracker
chmod 755 "$TMP"
start_pb "$TMP/pbdata"
head -c 4096 /dev/urandom > "$TMP/obj"
pb_public_put bench obj.bin "$TMP/obj"
IH=$(curl -sfI "$PB_URL/bench/obj.bin" | awk -F': ' 'tolower($1) == "x-peerbucket-btih" { print $2 }' | tr -d '\r')
[[ $IH =~ ^[0-9a-f]{40}$ ]] || { echo "no info-hash from Peerbucket: '$IH'" >&2; exit 1; }

# opentracker: Debian's build is whitelist-only; it refuses to keep root, so it chroots to DIR as nobody
mkdir -p "$TMP/ot"; chmod 755 "$TMP/ot"
echo "$IH" > "$TMP/ot/whitelist.txt"; chmod 644 "$TMP/ot/whitelist.txt"
OT_PORT=$(free_port)
opentracker -i 127.0.0.1 -p "$OT_PORT" -P "$OT_PORT" -d "$TMP/ot" -w whitelist.txt -u nobody > "$TMP/ot.log" 2>&1 &
OT_PID=$!; PIDS=("$OT_PID" "${PIDS[@]}")
sleep 1
kill -0 "$OT_PID" || { echo "opentracker exited: $(cat "$TMP/ot.log")" >&2; exit 1; }

E=$(sed 's/../%&/g' <<< "$IH")
for port in "$PB_TPORT" "$OT_PORT"; do  # sanity: a real peer list, not a failure reason
  curl -s "http://127.0.0.1:$port/announce?info_hash=$E&peer_id=-BENCH0-999999999999&port=9&uploaded=0&downloaded=0&left=1&compact=1&numwant=50" > "$TMP/reply"
  grep -qa '5:peers' "$TMP/reply" || { echo "bad announce reply from port $port: $(cat -v "$TMP/reply")" >&2; exit 1; }
done

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }
tck=$(getconf CLK_TCK)
http_run() {  # http_run PORT CONNS CLOSE SECONDS
  (cd "$TMP" && WRK_INFO_HASH="$IH" WRK_CLOSE="$3" timeout $(( $4 + 20 )) \
    wrk -t2 -c"$2" -d"${4}s" --timeout 5s -s "$BENCH_DIR/wrk-announce.lua" "http://127.0.0.1:$1" | grep '^RESULT')
}
# warm-up (JIT, swarm filled with the 5000 peers), not measured
http_run "$PB_TPORT" 16 0 2 > /dev/null; http_run "$OT_PORT" 16 1 2 > /dev/null

machine_line
echo "| transport | connections | tracker | announces/s | p50 ms | p99 ms | non-200 / failure / socket errors | server CPU µs/announce |"
echo "|---|---|---|---|---|---|---|---|"
declare -A RPS
for c in 4 16; do
  for close in 1 0; do
    mode="HTTP, Connection: close"; [[ $close == 0 ]] && mode="HTTP, keep-alive"
    for t in pb ot; do
      port=$PB_TPORT; pid=$PB_PID; name=Peerbucket
      [[ $t == ot ]] && { port=$OT_PORT; pid=$OT_PID; name=opentracker; }
      c0=$(cpu_ticks "$pid"); r=$(http_run "$port" "$c" "$close" "$DUR"); cpu=$(( $(cpu_ticks "$pid") - c0 ))
      RPS[$t$c$close]=$(field rps "$r")
      errs=$(( $(field connect "$r") + $(field read "$r") + $(field write "$r") + $(field timeout "$r") ))
      note=""; [[ $t == ot && $close == 0 ]] && note=" (closes anyway)"
      echo "| $mode | $c | $name$note | $(field rps "$r") | $(field p50_ms "$r") | $(field p99_ms "$r") | $(field non200 "$r") / $(field failure_reason "$r") / $errs | $(awk -v c="$cpu" -v t="$tck" -v n="$(field requests "$r")" 'BEGIN { printf "%.0f", c / t * 1e6 / n }') |"
    done
  done
done
for t in pb ot; do
  port=$PB_TPORT; pid=$PB_PID; name=Peerbucket
  [[ $t == ot ]] && { port=$OT_PORT; pid=$OT_PID; name=opentracker; }
  c0=$(cpu_ticks "$pid"); r=$(timeout $(( UDP_DUR + 30 )) python3 "$BENCH_DIR/udp-announce.py" 127.0.0.1 "$port" "$IH" 8 "$UDP_DUR" | grep '^RESULT'); cpu=$(( $(cpu_ticks "$pid") - c0 ))
  RPS[udp$t]=$(field per_s "$r")
  echo "| UDP (BEP 15), generator CPU $(field client_cpu_s "$r") s of ${UDP_DUR} s | 8 sockets | $name | $(field per_s "$r") | | | timeouts $(field timeouts "$r"), error replies $(field errors "$r") | $(awk -v c="$cpu" -v t="$tck" -v n="$(field announces "$r")" 'BEGIN { printf "%.0f", c / t * 1e6 / n }') |"
done
echo "ratio Peerbucket/opentracker announces/s: HTTP close c4 $(ratio "${RPS[pb41]}" "${RPS[ot41]}"), c16 $(ratio "${RPS[pb161]}" "${RPS[ot161]}"); Peerbucket keep-alive c16 vs opentracker c16 $(ratio "${RPS[pb160]}" "${RPS[ot160]}"); UDP $(ratio "${RPS[udppb]}" "${RPS[udpot]}")"
echo "# peak RSS kB: Peerbucket $(vmhwm "$PB_PID") (whole S3 server), opentracker $(vmhwm "$OT_PID"); loadavg after: $(loadavg)"
