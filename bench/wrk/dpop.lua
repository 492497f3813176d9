-- The notes list with a DPoP-bound access token: every request carries a proof of its own, since
-- the server accepts each proof once. The proofs are signed before wrk starts (BENCH_PROOFS_FILE,
-- one a line) and shared out among the threads; when they run out, a dummy proof makes the
-- shortfall visible as non-2xx answers rather than as replays.
local share = dofile(os.getenv("BENCH_WRK_DIR") .. "/share.lua")
setup = share.setup

local proofs = {}

function init(args)
  proofs = share.lines(os.getenv("BENCH_PROOFS_FILE"))
end

-- X-Forwarded-Proto is added by the TLS proxy in production (PROXY_HEADERS in bench/common.py).
local headers = {
  ["X-Forwarded-Proto"] = "https",
  ["Authorization"] = "DPoP " .. os.getenv("BENCH_ACCESS_TOKEN"),
}

function request()
  headers["DPoP"] = table.remove(proofs) or "exhausted"
  return wrk.format("GET", nil, headers)
end
