-- wrk reporter: one line "requests_per_second p50_ms p95_ms errors".
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.2f %.2f %d\n", summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, errors))
end
