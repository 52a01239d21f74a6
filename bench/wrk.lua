-- Request generator for wrk (bench/http.ts). Arguments after `--`:
--   fixed                 every request is the URL's path
--   inm <etag>            the same, with If-None-Match: <etag>
--   distinct <offset>     /rss.xml?since=<day>&limit=<21..100>, a new canonical URL per request
-- done() prints one JSON line that bench/http.ts parses.
local mode, arg2 = "fixed", nil
local counter = 0
local DAY = 86400
local FIRST = 31536000 -- 1971-01-01: before every entry, so each variant holds the whole feed

function init(args)
  mode = args[1] or "fixed"
  arg2 = args[2]
  if mode == "inm" then wrk.headers["If-None-Match"] = arg2 end
  if mode == "distinct" then counter = tonumber(arg2) or 0 end
end

function request()
  if mode ~= "distinct" then return wrk.format() end
  counter = counter + 1
  -- 19,700 days (1971..2024) x 80 limits: every request a URL this isolate has never rendered.
  local day = os.date("!%Y-%m-%d", FIRST + (counter % 19700) * DAY)
  local limit = 21 + math.floor(counter / 19700) % 80
  return wrk.format("GET", "/rss.xml?since=" .. day .. "&limit=" .. limit)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nWRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
