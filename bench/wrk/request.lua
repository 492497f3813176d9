-- One fixed request described by environment variables, so a single script
-- serves every scenario whose requests are identical (wrk builds it once).
wrk.method = os.getenv("BENCH_METHOD") or "GET"
-- Added by the TLS proxy in production (PROXY_HEADERS in bench/common.py).
wrk.headers["X-Forwarded-Proto"] = "https"

local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

local token = os.getenv("BENCH_ACCESS_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
