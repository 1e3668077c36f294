-- POST a look-up with token auth: the nurses (one token per line of the file BENCH_TOKENS) take
-- turns, and the CPR numbers rotate through the open windows' patients.
-- Reports req/s, p95 and failures (errors, timeouts and any response other than 200).
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local cprs = {}
for cpr in string.gmatch(os.getenv("BENCH_CPRS"), "[^,]+") do cprs[#cprs + 1] = cpr end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0; i = 0 end
request = function()
  i = i + 1
  local headers = {["Content-Type"] = "application/json",
                   ["Authorization"] = "Token " .. tokens[i % #tokens + 1]}
  return wrk.format("POST", nil, headers, '{"cpr": "' .. cprs[i % #cprs + 1] .. '"}')
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
