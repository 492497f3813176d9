-- For the scripts whose values can be sent once only (refresh tokens, DPoP proofs): each wrk
-- thread takes every BENCH_WRK_THREADS-th line of a file, so no two threads send the same one.
local share = {}
local counter = 0

-- wrk's setup(): numbers the threads, in the main state.
function share.setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
end

-- In a thread's init(): that thread's lines of `path`.
function share.lines(path)
  local stride = tonumber(os.getenv("BENCH_WRK_THREADS") or "1")
  local mine, i = {}, 0
  for line in io.lines(path) do
    if line ~= "" and i % stride == thread_index then
      table.insert(mine, line)
    end
    i = i + 1
  end
  return mine
end

return share
