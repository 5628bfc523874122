#!/usr/bin/env bash
# Case 1: GET of a 1 GiB object. Peerbucket (public object, anonymous GET) vs nginx (sendfile on) serving
# the same bytes from its own file. Page cache warmed for both; rounds alternate between the two servers.
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-5}"
bench_init get1g
ensure_big_file
start_pb "$TMP/pbdata"
pb_public_put bench big.bin "$BIG_FILE"
start_nginx "$TMP/www"
cp "$BIG_FILE" "$TMP/www/big.bin"
# warm: one full GET through each server (reads the stored blob / file into the page cache)
curl -sf -o /dev/null "$PB_URL/bench/big.bin"
curl -sf -o /dev/null "$NG_URL/big.bin"

machine_line
get() { curl -sf -o /dev/null -w '%{speed_download} %{size_download}\n' "$1"; }
declare -a pb ng
pb_cpu0=$(cpu_ticks "$PB_PID"); ng_cpu0=$(cpu_ticks "$NG_WORKER")
for ((r = 1; r <= ROUNDS; r++)); do
  read -r s n < <(get "$PB_URL/bench/big.bin"); [[ $n -eq 1073741824 ]] || { echo "short PB body: $n" >&2; exit 1; }
  pb+=("$s")
  read -r s n < <(get "$NG_URL/big.bin"); [[ $n -eq 1073741824 ]] || { echo "short nginx body: $n" >&2; exit 1; }
  ng+=("$s")
done
pb_cpu=$(( $(cpu_ticks "$PB_PID") - pb_cpu0 )); ng_cpu=$(( $(cpu_ticks "$NG_WORKER") - ng_cpu0 ))
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)] / 1e6}'; }
pbm=$(med "${pb[@]}"); ngm=$(med "${ng[@]}")
tck=$(getconf CLK_TCK)
echo "| server | median MB/s (of $ROUNDS, curl -o /dev/null) | all rounds MB/s | server CPU s per GiB |"
echo "|---|---|---|---|"
printf '| Peerbucket | %.0f | %s | %.2f |\n' "$pbm" "$(printf '%s ' "${pb[@]}" | awk '{for(i=1;i<=NF;i++) printf "%.0f ", $i/1e6}')" "$(awk -v c=$pb_cpu -v t=$tck -v r=$ROUNDS 'BEGIN{print c/t/r}')"
printf '| nginx (sendfile) | %.0f | %s | %.2f |\n' "$ngm" "$(printf '%s ' "${ng[@]}" | awk '{for(i=1;i<=NF;i++) printf "%.0f ", $i/1e6}')" "$(awk -v c=$ng_cpu -v t=$tck -v r=$ROUNDS 'BEGIN{print c/t/r}')"
echo "ratio Peerbucket/nginx (throughput): $(ratio "$pbm" "$ngm")"
echo "# peak RSS kB: Peerbucket $(vmhwm "$PB_PID"), nginx worker $(vmhwm "$NG_WORKER"); loadavg after: $(loadavg)"
