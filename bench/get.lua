-- GET with a session cookie (HTML pages, stats endpoints) and report req/s and p95.
local cookie = os.getenv("BENCH_COOKIE")
request = function()
  return wrk.format("GET", nil, {["Cookie"] = cookie})
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH %f %f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(95) / 1000, summary.errors.status + summary.errors.connect + summary.errors.timeout))
end
