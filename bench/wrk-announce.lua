-- wrk script: HTTP tracker announces for one info-hash (env WRK_INFO_HASH, 40 hex), each request with its own
-- peer_id and port from a pool of 5000 peers (half seeds, half leechers), compact=1, numwant=50.
-- env WRK_CLOSE=1 adds "Connection: close" (one TCP connection per announce, like real clients).
local hex = os.getenv("WRK_INFO_HASH")
local ih = hex:gsub("(%x%x)", function(b) return "%" .. b:upper() end)
local headers = {}
if os.getenv("WRK_CLOSE") == "1" then headers["Connection"] = "close" end
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  counter = (tid or 0) * 2500
  bad = 0
  failures = 0
end

function request()
  counter = counter + 1
  local n = counter % 5000
  local path = string.format(
    "/announce?info_hash=%s&peer_id=-BENCH0-%012d&port=%d&uploaded=0&downloaded=0&left=%d&compact=1&numwant=50&event=started",
    ih, n, 10000 + n, (n % 2) * 1048576)
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 elseif body:find("failure reason", 1, true) then failures = failures + 1 end
end

function done(summary, latency, requests)
  local b, f = 0, 0
  for _, t in ipairs(threads) do b = b + (t:get("bad") or 0); f = f + (t:get("failures") or 0) end
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f requests=%d p50_ms=%.2f p99_ms=%.2f non200=%d failure_reason=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests / (summary.duration / 1e6), summary.requests, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, b, f, e.connect, e.read, e.write, e.timeout))
end
