-- Token refresh under rotation with reuse detection: a refresh token may be
-- presented only once, and a replay revokes its whole family. Each thread
-- starts from its own share of freshly minted tokens (one login each) and
-- continues every chain with the token the previous response returned, as
-- a real client does. wrk calls response() before the connection asks
-- request() for its next request, so a token is always ready unless a
-- refresh failed; then a dummy token makes the failure visible as a non-2xx.
local share = dofile(os.getenv("BENCH_WRK_DIR") .. "/share.lua")
setup = share.setup

local queue = {}

function init(args)
  queue = share.lines(os.getenv("BENCH_TOKENS_FILE"))
end

-- X-Forwarded-Proto is added by the TLS proxy in production (PROXY_HEADERS in bench/common.py).
local headers = { ["Content-Type"] = "application/json", ["X-Forwarded-Proto"] = "https" }

function request()
  local token = table.remove(queue) or "exhausted"
  return wrk.format("POST", nil, headers, '{"refresh": "' .. token .. '"}')
end

function response(status, response_headers, body)
  local token = body:match('"refresh"%s*:%s*"([^"]+)"')
  if token then
    table.insert(queue, token)
  end
end
