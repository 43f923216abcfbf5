-- Replays the request corpus written by bench/corpus.py (one request per line, tab-separated:
-- method, path, headers as name:value joined by \x1f, body). Each wrk thread starts at its own
-- offset. Counts answers below 400 (a click's 302 is a success) and the rest per thread; done() prints the totals as one JSON line.

local corpus_path = os.getenv("BENCH_CORPUS")
local requests = {}
local threads = {}
local counter = 0

local function split(text, separator)
  local parts = {}
  for part in (text .. separator):gmatch("(.-)" .. separator) do
    table.insert(parts, part)
  end
  return parts
end

local function decode_line(line)
  local fields = split(line, "\t")
  local headers = {}
  for _, pair in ipairs(split(fields[3], "\31")) do
    local name, value = pair:match("^([^:]+):(.*)$")
    if name then headers[name] = value end
  end
  return {fields[1], fields[2], headers, fields[4]}
end

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  local index = 0
  for line in io.lines(corpus_path) do
    local item = decode_line(line)
    index = index + 1
    requests[index] = wrk.format(item[1], item[2], item[3], item[4])
  end
  position = (id - 1) * math.floor(index / 2)
  total = index
  ok = 0
  not_ok = 0
end

function request()
  position = position % total + 1
  return requests[position]
end

function response(status, headers, body)
  if status >= 200 and status < 400 then
    ok = ok + 1
  else
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests_done)
  local ok_total, not_ok_total = 0, 0
  for _, thread in ipairs(threads) do
    ok_total = ok_total + thread:get("ok")
    not_ok_total = not_ok_total + thread:get("not_ok")
  end
  io.write(string.format(
    'BENCH {"requests": %d, "ok": %d, "not_ok": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, "duration_us": %d, "socket_errors": %d}\n',
    summary.requests, ok_total, not_ok_total, latency:percentile(50), latency:percentile(99),
    latency.max, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
