#!/usr/bin/env bash
# Coverage-guided fuzzing of one target (or all) with AFL++ and SharpFuzz (out-of-process mode).
#   fuzz/fuzz.sh TARGET|all [SECONDS]     (default 600 s per target)
# Installs afl++ (Debian) and the sharpfuzz tool (NuGet) when missing, publishes fuzz/Peerbucket.Fuzz, instruments
# the parser assemblies (Protocols, Storage, S3), seeds AFL++ with the target's own seeds and runs it for SECONDS.
# Crashes and hangs are copied to fuzz/findings/TARGET/; turn each into a file under fuzz/regressions/TARGET/ (replayed
# by the test command) and a named test once fixed. Prints the executions done (for docs/FUZZING.md).
# The in-process runner without coverage feedback: dotnet fuzz/Peerbucket.Fuzz/bin/Release/net10.0/Peerbucket.Fuzz.dll run TARGET N.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: fuzz/fuzz.sh TARGET|all [SECONDS]}"
seconds="${2:-600}"
work=fuzz/.work
out=$work/publish

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
command -v afl-fuzz >/dev/null || { as_root apt-get update; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends afl++; }
[ -x $work/tools/sharpfuzz ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path $work/tools >/dev/null

rm -rf "$out"
dotnet publish fuzz/Peerbucket.Fuzz -c Release -o "$out" -nologo -v q
for assembly in Peerbucket.Protocols Peerbucket.Storage Peerbucket.S3; do
  $work/tools/sharpfuzz "$out/$assembly.dll" >/dev/null
done

targets=("$target")
[ "$target" = all ] && mapfile -t targets < <(dotnet "$out/Peerbucket.Fuzz.dll" list)
for t in "${targets[@]}"; do
  rm -rf "$work/$t"
  dotnet "$out/Peerbucket.Fuzz.dll" seeds "$t" "$work/$t/in"
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    timeout $((seconds + 60)) afl-fuzz -i "$work/$t/in" -o "$work/$t/out" -t 5000 -m none -V "$seconds" \
    -- dotnet "$out/Peerbucket.Fuzz.dll" afl "$t" > "$work/$t/afl.log" 2>&1 || true
  stats="$work/$t/out/default/fuzzer_stats"
  [ -f "$stats" ] || { echo "$t: afl-fuzz did not start; see $work/$t/afl.log" >&2; tail -20 "$work/$t/afl.log" >&2; exit 1; }
  mkdir -p "fuzz/findings/$t"
  found=0
  for f in "$work/$t/out/default/crashes"/id* "$work/$t/out/default/hangs"/id*; do
    [ -e "$f" ] || continue
    cp "$f" "fuzz/findings/$t/$(basename "$(dirname "$f")")-$(sha1sum "$f" | cut -c1-16)"
    found=$((found + 1))
  done
  awk -v t="$t" -v f="$found" -F' *: *' '
    $1 == "execs_done" { e = $2 } $1 == "execs_per_sec" { s = $2 } $1 == "corpus_count" { c = $2 } $1 == "bitmap_cvg" { b = $2 }
    END { printf "%s: %s executions (%s/s), corpus %s, coverage %s, %d findings\n", t, e, s, c, b, f }' "$stats"
done
