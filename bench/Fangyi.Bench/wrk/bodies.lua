-- wrk script for Fangyi's benchmarks: each thread posts its share of prepared request bodies, one per line
-- of a file, to one path with one bearer token, and stops once every one of them is answered. A connection
-- whose thread has no body left waits instead of sending: a request cut off mid-flight by the stop would be a
-- write the host never acknowledged, and the benchmark counts what was stored.
-- Arguments (after --): BODY_FILE PATH TOKEN THREADS
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  local file, every = args[1], tonumber(args[4])
  path, token = args[2], args[3]
  bodies = {}
  local i = 0
  for line in io.lines(file) do
    if i % every == id then
      bodies[#bodies + 1] = line
    end
    i = i + 1
  end
  reserved, sent, answered = 0, 0, 0
  if id == 0 then
    -- wrk calls the first thread's request() once, unsent, to check the script: that call takes no body.
    sent = -1
  end
  headers = { ["Content-Type"] = "application/json" }
  if token ~= "-" then
    headers["Authorization"] = "Bearer " .. token
  end
  if #bodies == 0 then
    wrk.thread:stop()
  end
end

-- wrk asks delay() before each request() but may ask for several connections before sending any, so a body
-- is reserved here and sent there.
function delay()
  if reserved >= #bodies then
    return 3600000
  end
  reserved = reserved + 1
  return 0
end

function request()
  sent = sent + 1
  return wrk.format("POST", path, headers, bodies[sent])
end

function response(status, headers, body)
  answered = answered + 1
  if status >= 300 and not told then
    told = true
    io.stderr:write("first refusal: " .. status .. " " .. (body or "") .. "\n")
  end
  if answered >= #bodies then
    wrk.thread:stop()
  end
end
