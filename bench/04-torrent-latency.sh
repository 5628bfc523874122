#!/usr/bin/env bash
# Case 4: latency of GET ?torrent for a 1 MiB and a 1 GiB public object (v1 and hybrid), N requests each
# with curl -w time_total (one new connection per request, like a client), requests interleaved across the
# variants. Reference: nginx serving the same .torrent bytes as a static file.
source "$(dirname "$0")/lib.sh"
N="${N:-50}"
bench_init torrent
ensure_big_file
start_pb "$TMP/pbdata"
head -c 1048576 /dev/urandom > "$TMP/small.bin"
pb_public_put bench small.bin "$TMP/small.bin"
pb_public_put bench big.bin "$BIG_FILE"
start_nginx "$TMP/www"
for k in small big; do
  curl -sf "$PB_URL/bench/$k.bin?torrent" -o "$TMP/www/$k.v1.torrent"
  curl -sf "$PB_URL/bench/$k.bin?torrent&format=hybrid" -o "$TMP/www/$k.hybrid.torrent"
done

declare -A URL=(
  [pb-1MiB-v1]="$PB_URL/bench/small.bin?torrent"      [pb-1GiB-v1]="$PB_URL/bench/big.bin?torrent"
  [pb-1MiB-hybrid]="$PB_URL/bench/small.bin?torrent&format=hybrid"
  [pb-1GiB-hybrid]="$PB_URL/bench/big.bin?torrent&format=hybrid"
  [nginx-1GiB-v1-static]="$NG_URL/big.v1.torrent"     [nginx-1GiB-hybrid-static]="$NG_URL/big.hybrid.torrent"
)
ORDER=(pb-1MiB-v1 pb-1GiB-v1 pb-1MiB-hybrid pb-1GiB-hybrid nginx-1GiB-v1-static nginx-1GiB-hybrid-static)
for v in "${ORDER[@]}"; do for i in 1 2 3; do curl -sf -o /dev/null "${URL[$v]}"; done; done  # warm-up

machine_line
for ((i = 0; i < N; i++)); do
  for v in "${ORDER[@]}"; do
    curl -s -o /dev/null -w "$v %{http_code} %{size_download} %{time_total}\n" "${URL[$v]}"
  done
done > "$TMP/samples"
bad=$(awk '$2 != 200' "$TMP/samples" | wc -l)
echo "| request | bytes | median ms | p90 ms | mean ms | max ms |"
echo "|---|---|---|---|---|---|"
for v in "${ORDER[@]}"; do
  awk -v v="$v" '$1 == v { print $4 * 1000, $3 }' "$TMP/samples" | sort -g | awk -v v="$v" '
    { a[NR] = $1; s += $1; b = $2 }
    END { printf "| %s | %d | %.2f | %.2f | %.2f | %.2f |\n", v, b, a[int((NR + 1) / 2)], a[int(NR * 0.9)], s / NR, a[NR] }'
done
med() { awk -v v="$1" '$1 == v { print $4 }' "$TMP/samples" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "ratio 1GiB/1MiB median (Peerbucket v1): $(ratio "$(med pb-1GiB-v1)" "$(med pb-1MiB-v1)"), (hybrid): $(ratio "$(med pb-1GiB-hybrid)" "$(med pb-1MiB-hybrid)")"
echo "ratio Peerbucket/nginx-static median (1 GiB v1): $(ratio "$(med pb-1GiB-v1)" "$(med nginx-1GiB-v1-static)"), (1 GiB hybrid): $(ratio "$(med pb-1GiB-hybrid)" "$(med nginx-1GiB-hybrid-static)")"
echo "# non-200 responses: $bad of $(wc -l < "$TMP/samples"); peak RSS kB: Peerbucket $(vmhwm "$PB_PID"); loadavg after: $(loadavg)"
