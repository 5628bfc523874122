#!/usr/bin/env bash
# Case 2: PUT of a 1 GiB object. Peerbucket (curl --aws-sigv4, UNSIGNED-PAYLOAD) vs nginx WebDAV PUT of the
# same file; plus the hashing floor (md5sum + sha1sum + sha256sum of the same file, sequentially, warm cache).
# Also the same digests through openssl dgst, and dd conv=fsync of the file (disk floor).
# Rounds alternate; each round writes a new key / file. MB/s = 1 GiB / curl time_total (until the response).
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-3}"
bench_init put1g
ensure_big_file
warm "$BIG_FILE"
start_pb "$TMP/pbdata"
curl -sf "${SIGV4[@]}" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -X PUT "$PB_URL/bench" -o /dev/null
start_nginx "$TMP/www"

machine_line
declare -a pb ng
tck=$(getconf CLK_TCK)
pb_cpu0=$(cpu_ticks "$PB_PID"); ng_cpu0=$(cpu_ticks "$NG_WORKER")
for ((r = 1; r <= ROUNDS; r++)); do
  read -r code t < <(curl -s "${SIGV4[@]}" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -T "$BIG_FILE" \
    -o "$TMP/pb.out" -w '%{http_code} %{time_total}\n' "$PB_URL/bench/put-$r.bin")
  [[ $code == 200 ]] || { echo "Peerbucket PUT -> $code: $(cat "$TMP/pb.out")" >&2; exit 1; }
  pb+=("$(awk -v t="$t" 'BEGIN { print 1073.741824 / t }')")
  read -r code t < <(curl -s -T "$BIG_FILE" -o /dev/null -w '%{http_code} %{time_total}\n' "$NG_URL/put-$r.bin")
  [[ $code == 201 || $code == 204 ]] || { echo "nginx PUT -> $code" >&2; exit 1; }
  ng+=("$(awk -v t="$t" 'BEGIN { print 1073.741824 / t }')")
  rm -f "$TMP/www/put-$r.bin"
done
pb_cpu=$(( $(cpu_ticks "$PB_PID") - pb_cpu0 )); ng_cpu=$(( $(cpu_ticks "$NG_WORKER") - ng_cpu0 ))
# the object read back has the right size and ETag = MD5
etag=$(curl -sfI "${SIGV4[@]}" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$PB_URL/bench/put-1.bin" | awk -F'"' 'tolower($0) ~ /^etag/ {print $2}')
md5=$(md5sum < "$BIG_FILE" | cut -d' ' -f1)
[[ $etag == "$md5" ]] || echo "WARNING: ETag $etag != md5 $md5" >&2

hash_time() { local s e; s=$(date +%s.%N); "$1" "$BIG_FILE" > /dev/null; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { print e - s }'; }
t_md5=$(hash_time md5sum); t_sha1=$(hash_time sha1sum); t_sha256=$(hash_time sha256sum)
t_all=$(awk -v a="$t_md5" -v b="$t_sha1" -v c="$t_sha256" 'BEGIN { print a + b + c }')
floor=$(awk -v t="$t_all" 'BEGIN { print 1073.741824 / t }')
# the same three digests through OpenSSL (what .NET's IncrementalHash uses on Linux; SHA-NI for SHA-1/256)
ossl_time() { local s e; s=$(date +%s.%N); openssl dgst "-$1" "$BIG_FILE" > /dev/null; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { print e - s }'; }
o_md5=$(ossl_time md5); o_sha1=$(ossl_time sha1); o_sha256=$(ossl_time sha256)
o_all=$(awk -v a="$o_md5" -v b="$o_sha1" -v c="$o_sha256" 'BEGIN { print a + b + c }')
# the disk: write the same 1 GiB and fsync it (Peerbucket fsyncs the blob before answering; nginx does not)
s=$(date +%s.%N); dd if="$BIG_FILE" of="$TMP/dd.bin" bs=1M conv=fsync status=none; e=$(date +%s.%N); rm -f "$TMP/dd.bin"
t_dd=$(awk -v s="$s" -v e="$e" 'BEGIN { print e - s }')

med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
pbm=$(med "${pb[@]}"); ngm=$(med "${ng[@]}")
echo "| writer | median MB/s (of $ROUNDS) | all rounds MB/s | server CPU s per GiB |"
echo "|---|---|---|---|"
printf '| Peerbucket PutObject | %.0f | %s | %.2f |\n' "$pbm" "$(printf '%.0f ' "${pb[@]}")" "$(awk -v c=$pb_cpu -v t=$tck -v r=$ROUNDS 'BEGIN{print c/t/r}')"
printf '| nginx WebDAV PUT | %.0f | %s | %.2f |\n' "$ngm" "$(printf '%.0f ' "${ng[@]}")" "$(awk -v c=$ng_cpu -v t=$tck -v r=$ROUNDS 'BEGIN{print c/t/r}')"
printf '| hashing floor: md5sum %.2fs + sha1sum %.2fs + sha256sum %.2fs | %.0f | | %.2f |\n' "$t_md5" "$t_sha1" "$t_sha256" "$floor" "$t_all"
printf '| hashing floor: openssl dgst -md5 %.2fs + -sha1 %.2fs + -sha256 %.2fs | %.0f | | %.2f |\n' "$o_md5" "$o_sha1" "$o_sha256" "$(awk -v t="$o_all" 'BEGIN { print 1073.741824 / t }')" "$o_all"
printf '| disk floor: dd bs=1M conv=fsync (write + fsync 1 GiB) | %.0f | | |\n' "$(awk -v t="$t_dd" 'BEGIN { print 1073.741824 / t }')"
echo "ratio Peerbucket/nginx: $(ratio "$pbm" "$ngm"); Peerbucket/coreutils hashing floor: $(ratio "$pbm" "$floor"); Peerbucket/openssl hashing floor: $(ratio "$pbm" "$(awk -v t="$o_all" 'BEGIN { print 1073.741824 / t }')")"
echo "# peak RSS kB: Peerbucket $(vmhwm "$PB_PID"), nginx worker $(vmhwm "$NG_WORKER"); loadavg after: $(loadavg)"
