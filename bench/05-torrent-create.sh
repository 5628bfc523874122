#!/usr/bin/env bash
# Case 5: creating a .torrent for a 1 GiB file (1 MiB pieces, warm page cache), hyperfine, RUNS runs each:
#  v1:     peerbucket torrent create -f v1     vs  mktorrent -l 20 (2 hashing threads = nproc by default)
#  hybrid: peerbucket torrent create -f hybrid vs  libtorrent 2.0.8 create_torrent + set_piece_hashes
# Peerbucket's times include .NET start-up (~0.1-0.2 s). Info-hashes of each pair are compared.
source "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-3}"
bench_init create
ensure_big_file
warm "$BIG_FILE"
PB=(dotnet "$PB_DLL" torrent create "$BIG_FILE" -l 1M -a http://127.0.0.1:6969/announce)
O="$TMP/out"; mkdir -p "$O"
machine_line
(cd "$TMP" && timeout 600 hyperfine --runs "$RUNS" --style basic --export-json "$TMP/h.json" \
  --prepare "rm -f $O/mk.v1.torrent" \
  -n 'peerbucket v1' "${PB[*]} -f v1 -o $O/pb.v1.torrent" \
  -n 'mktorrent v1' "mktorrent -l 20 -a http://127.0.0.1:6969/announce -o $O/mk.v1.torrent $BIG_FILE" \
  -n 'peerbucket hybrid' "${PB[*]} -f hybrid -o $O/pb.hybrid.torrent" \
  -n 'libtorrent hybrid' "/usr/bin/python3 $BENCH_DIR/lt-create.py $BIG_FILE 1048576 $O/lt.hybrid.torrent hybrid" \
  > "$TMP/hyperfine.log" 2>&1) || { cat "$TMP/hyperfine.log"; exit 1; }
# the prepare step removes mktorrent's output (it refuses to overwrite) before every run of every command;
# write it once more, untimed, for the info-hash comparison
mktorrent -l 20 -a http://127.0.0.1:6969/announce -o "$O/mk.v1.torrent" "$BIG_FILE" > /dev/null
/usr/bin/python3 - "$TMP/h.json" "$O" <<'PY'
import json, sys
import libtorrent as lt
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
def ih(name):
    try:
        h = lt.torrent_info(f"{sys.argv[2]}/{name}").info_hashes()
        return (str(h.v1) if h.has_v1() else "-") + " / " + (str(h.v2) if h.has_v2() else "-")
    except Exception as e:  # noqa: BLE001 - report, do not hide
        return f"unreadable: {e}"
print("| command | mean s | min s | max s | MB/s (1 GiB / mean) | user+sys s | info-hash v1 / v2 |")
print("|---|---|---|---|---|---|---|")
files = {"peerbucket v1": "pb.v1.torrent", "mktorrent v1": "mk.v1.torrent",
         "peerbucket hybrid": "pb.hybrid.torrent", "libtorrent hybrid": "lt.hybrid.torrent"}
for name, f in files.items():
    r = res[name]
    print(f"| {name} | {r['mean']:.2f} | {r['min']:.2f} | {r['max']:.2f} | {1073.741824 / r['mean']:.0f} | "
          f"{r['user'] + r['system']:.2f} | {ih(f)} |")
print(f"ratio peerbucket/mktorrent (v1 time): {res['peerbucket v1']['mean'] / res['mktorrent v1']['mean']:.2f}; "
      f"peerbucket/libtorrent (hybrid time): {res['peerbucket hybrid']['mean'] / res['libtorrent hybrid']['mean']:.2f}")
PY
echo "# loadavg after: $(loadavg)"
