-- POST a look-up with token auth; CPR numbers rotate through the open windows' patients.
local token = os.getenv("BENCH_TOKEN")
local cprs = {}
for cpr in string.gmatch(os.getenv("BENCH_CPRS"), "[^,]+") do cprs[#cprs + 1] = cpr end
local i = 0
request = function()
  i = i % #cprs + 1
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Token " .. token}
  return wrk.format("POST", nil, headers, '{"cpr": "' .. cprs[i] .. '"}')
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH %f %f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(95) / 1000, summary.errors.status + summary.errors.connect + summary.errors.timeout))
end
