-- wrk script: cycle over request paths read from the file in env WRK_PATHS; method from env WRK_METHOD
-- (GET or PUT); env WRK_ACL adds x-amz-acl; for PUT the body is env WRK_BODY_BYTES bytes. Prints a machine-readable summary line.
local method = os.getenv("WRK_METHOD") or "GET"
local body = nil
if method == "PUT" then body = string.rep("x", tonumber(os.getenv("WRK_BODY_BYTES") or "4096")) end
local headers = {}
if os.getenv("WRK_ACL") then headers["x-amz-acl"] = os.getenv("WRK_ACL") end -- signed by presign.py
local paths = {}
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
  counter = (tid or 0) * 7919
  bad = 0
end

function request()
  counter = counter + 1
  return wrk.format(method, paths[(counter % #paths) + 1], headers, body)
end

function response(status, headers, body)
  if status >= 300 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + (t:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f requests=%d p50_ms=%.2f p99_ms=%.2f non2xx=%d connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests / (summary.duration / 1e6), summary.requests, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, b, e.connect, e.read, e.write, e.timeout, e.status))
end
