#!/usr/bin/env bash
# The one test command: install what the interop tests drive, check formatting, build, run every test project,
# and print one summary line ("N passed, M failed[, K skipped]") computed from the TRX results.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '== %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- (a) tools the interop tests drive --------------------------------------------------------------------------
install_debian_packages() {
  local wanted=(s3cmd rclone python3-boto3 python3-libtorrent aria2 transmission-cli mktorrent qbittorrent-nox
    rtorrent opentracker nginx-light curl python3-munch python3-isodate python3-tz python3-lxml python3-yaml
    python3-gevent python3-pytest python3-pytest-timeout python3-requests python3-dateutil chromium)
  command -v aws >/dev/null 2>&1 || wanted+=(awscli)
  local missing=() pkg
  for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

install_js_sdk() {
  local dir=tests/Peerbucket.Interop.Tests/js
  if [ ! -d "$dir/node_modules/@aws-sdk/client-s3" ]; then
    log "installing @aws-sdk/client-s3 into $dir"
    (cd "$dir" && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; })
  fi
}

install_debian_packages
install_js_sdk

# --- (b) format, (c) build --------------------------------------------------------------------------------------
log "dotnet format --verify-no-changes"
dotnet format Peerbucket.slnx --verify-no-changes

log "dotnet build -c Release"
dotnet build Peerbucket.slnx -c Release -nologo

# --- (d) tests -------------------------------------------------------------------------------------------------
# Every test project prints one summary line, e.g. "Failed!  - Failed:     1, Passed:    36, Skipped:     0, Total:
# 37, Duration: 1 m - Peerbucket.Interop.Tests.dll (net10.0)". The totals are summed from those lines (TRX files are
# kept in TestResults/run for inspection); a project that printed no summary line counts as a failure.
results=TestResults/run
rm -rf "$results"
mkdir -p "$results"

log "dotnet test -c Release"
test_status=0
dotnet test Peerbucket.slnx -c Release --no-build -nologo --logger trx --results-directory "$results" 2>&1 |
  tee "$results/console.log" || test_status=$?

# Only test projects (*.Tests.csproj) print a summary; tests/Peerbucket.Testing is support code they share.
expected_projects=$(grep -c 'Path="tests/[^"]*\.Tests\.csproj"' Peerbucket.slnx)
passed=0 failed=0 skipped=0 projects=0
while IFS= read -r line; do
  count() { printf '%s' "$line" | grep -o "$1: *[0-9]*" | grep -o '[0-9]*$' || echo 0; }
  projects=$((projects + 1))
  passed=$((passed + $(count Passed)))
  failed=$((failed + $(count Failed)))
  skipped=$((skipped + $(count Skipped)))
done < <(grep -E '^(Passed|Failed|Skipped)! +- Failed: ' "$results/console.log" || true)

# The S3 conformance suite (ceph/s3-tests) against the real server, compared with its list of expected failures.
log "conformance/s3-tests.sh"
conformance_status=0
conformance/s3-tests.sh 2>&1 | tee "$results/s3-tests.log" || conformance_status=$?

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"

status=0
if [ "$projects" -ne "$expected_projects" ]; then
  log "only $projects of $expected_projects test projects reported results (dotnet test exit $test_status)"
  status=1
fi
if [ "$failed" -gt 0 ] || [ "$test_status" -ne 0 ]; then
  status=1
fi
if [ "$conformance_status" -ne 0 ]; then
  log "the S3 conformance suite differs from conformance/s3-tests.expected-failures (see $results/s3-tests.log)"
  status=1
fi
if [ "$((passed + failed))" -eq 0 ]; then
  log "zero tests ran"
  status=1
fi
exit "$status"
