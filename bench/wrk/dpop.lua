-- The notes list with a DPoP-bound access token: every request carries a proof of its own, since
-- the server accepts each proof once. The proofs are signed before wrk starts (BENCH_PROOFS_FILE,
-- one a line) and shared out among the threads; when they run out, a dummy proof makes the
-- shortfall visible as non-2xx answers rather than as replays.
local counter = 0

function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
end

local proofs = {}

function init(args)
  local stride = tonumber(os.getenv("BENCH_WRK_THREADS") or "1")
  local i = 0
  for line in io.lines(os.getenv("BENCH_PROOFS_FILE")) do
    if line ~= "" and i % stride == thread_index then
      table.insert(proofs, line)
    end
    i = i + 1
  end
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
