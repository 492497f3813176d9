-- The notes list with a DPoP-bound access token: every request carries a proof of its own, since
-- the server accepts each proof once. The proofs are signed before wrk starts (BENCH_PROOFS_FILE,
-- one a line) and shared out among the threads; when they run out, a dummy proof makes the
-- shortfall visible as non-2xx answers rather than as replays.
--
-- Each thread formats its requests in init(), so that request() only hands the next one out:
-- wrk runs on the same cores as the server, and building a request per call in Lua cost the
-- server a share of its CPU that the Bearer list (one request wrk builds once) did not pay.
local share = dofile(os.getenv("BENCH_WRK_DIR") .. "/share.lua")
setup = share.setup

local requests = {}
local exhausted

function init(args)
  -- X-Forwarded-Proto is added by the TLS proxy in production (PROXY_HEADERS in bench/common.py).
  local headers = {
    ["X-Forwarded-Proto"] = "https",
    ["Authorization"] = "DPoP " .. os.getenv("BENCH_ACCESS_TOKEN"),
  }
  for _, proof in ipairs(share.lines(os.getenv("BENCH_PROOFS_FILE"))) do
    headers["DPoP"] = proof
    table.insert(requests, wrk.format("GET", nil, headers))
  end
  headers["DPoP"] = "exhausted"
  exhausted = wrk.format("GET", nil, headers)
end

function request()
  return table.remove(requests) or exhausted
end
