-- wrk script: POST the body in TOPMOCK_BODY (a signed, form-encoded TOP call) with the
-- Content-Type the .NET and taobaopy SDKs send; print one machine-readable RESULT line.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded;charset=UTF-8"
wrk.body = os.getenv("TOPMOCK_BODY") or ""
if os.getenv("TOPMOCK_CLOSE") == "1" then wrk.headers["Connection"] = "close" end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.3f p50=%d p99=%d errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
