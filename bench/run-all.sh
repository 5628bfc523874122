#!/usr/bin/env bash
# Runs every case in order and prints their tables (tee to a log with: bench/run-all.sh | tee /tmp/bench.log).
# Each case starts and stops its own servers; the shared 1 GiB random file (/tmp/pb-bench-1g.bin) is
# created once and removed at the end unless KEEP_BIG_FILE=1.
# Needs: dotnet build src/Peerbucket -c Release; apt-get install wrk hyperfine nginx-light opentracker
#        mktorrent python3-libtorrent time; python3 with botocore (for presigned URLs).
set -uo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
trap '[[ ${KEEP_BIG_FILE:-0} == 1 ]] || rm -f "$BIG_FILE"' EXIT
echo "# Peerbucket $(git rev-parse --short HEAD), $(uname -srm), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
echo "# CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
status=0
for c in bench/[0-9][0-9]-*.sh; do
  echo; echo "## $(basename "$c")"
  timeout 1800 "$c" || { echo "FAILED: $c (exit $?)"; status=1; }
done
exit $status
