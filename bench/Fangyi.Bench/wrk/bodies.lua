-- wrk script for Fangyi's benchmarks: posts prepared request bodies, one per line of a file, to one path with one
-- Authorization header ("-" for none), each thread taking every THREADS-th line.
--   MODE once:  each body is posted once, and a thread stops once every one of its bodies is answered (the
--               sampler phones: every registration is a write the benchmark then counts in the store). A
--               connection whose thread has no body left waits instead of sending: a request cut off mid-flight
--               by the stop would be a write the host never acknowledged.
--   MODE round: the thread goes round its bodies for as long as wrk runs (the kiosks at a city's doors: the same
--               people come back).
-- At the end it prints the 99.9th percentile, which wrk's own report leaves out.
-- Arguments (after --): BODY_FILE PATH AUTHORIZATION THREADS MODE
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  local file, path, authorization, every = args[1], args[2], args[3], tonumber(args[4])
  once = args[5] == "once"
  local headers = { ["Content-Type"] = "application/json" }
  if authorization ~= "-" then
    headers["Authorization"] = authorization
  end
  requests = {}
  local i = 0
  for line in io.lines(file) do
    if i % every == id then
      requests[#requests + 1] = wrk.format("POST", path, headers, line)
    end
    i = i + 1
  end
  reserved, sent, answered = 0, 0, 0
  if once and id == 0 then
    -- wrk calls the first thread's request() once, unsent, to check the script: that call takes no body.
    sent = -1
  end
  if #requests == 0 then
    wrk.thread:stop()
  end
end

-- wrk asks delay() before each request() but may ask for several connections before sending any, so a body
-- is reserved here and sent there.
function delay()
  if not once then
    return 0
  end
  if reserved >= #requests then
    return 3600000
  end
  reserved = reserved + 1
  return 0
end

function request()
  if once then
    sent = sent + 1
  else
    sent = sent % #requests + 1
  end
  return requests[math.max(sent, 1)]
end

function response(status, headers, body)
  answered = answered + 1
  if status >= 300 and not told then
    told = true
    io.stderr:write("first refusal: " .. status .. " " .. (body or "") .. "\n")
  end
  if once and answered >= #requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  io.write(string.format("p99.9 %.0fus\n", latency:percentile(99.9)))
end
