-- GET with a session cookie (HTML pages, stats endpoints) and report req/s, p95 and failures
-- (connection errors, timeouts and any response other than 200, such as a redirect to login).
local cookie = os.getenv("BENCH_COOKIE")
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
request = function()
  return wrk.format("GET", nil, {["Cookie"] = cookie})
end
function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
done = function(summary, latency, requests)
  local failed = summary.errors.connect + summary.errors.timeout + summary.errors.read
  for _, thread in ipairs(threads) do failed = failed + thread:get("not_ok") end
  io.write(string.format("BENCH %f %f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(95) / 1000, failed))
end
