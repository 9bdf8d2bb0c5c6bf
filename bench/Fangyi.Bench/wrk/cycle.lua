-- wrk script for Fangyi's benchmarks: posts prepared request bodies, one per line of a file, to one path with
-- one Authorization header, each thread going round its share of the lines for as long as wrk runs (the kiosks
-- at a city's doors: the same people come back). At the end it prints the 99.9th percentile, which wrk's own
-- report leaves out.
-- Arguments (after --): BODY_FILE PATH AUTHORIZATION THREADS
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  local file, every = args[1], tonumber(args[4])
  local path, authorization = args[2], args[3]
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = authorization }
  requests = {}
  local i = 0
  for line in io.lines(file) do
    if i % every == id then
      requests[#requests + 1] = wrk.format("POST", path, headers, line)
    end
    i = i + 1
  end
  next = 0
end

function request()
  next = next % #requests + 1
  return requests[next]
end

function done(summary, latency, requests)
  io.write(string.format("p99.9 %.0fus\n", latency:percentile(99.9)))
end
