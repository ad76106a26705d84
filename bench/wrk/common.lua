-- Shared part of the wrk scripts (loaded with dofile by cosmos.lua and cosender.lua).
-- Every thread gets an id (tid) so that the scripts can give every request other recipients; RUN (environment)
-- separates the warm-up (1) from the measured run (2). The scripts call tally(status, msgs, refused, bad) from
-- response(); done() prints one line:
--   RESULT requests= msgs= non2xx= bad_body= refused= socket_errors= duration_s= msgs_per_s= reqs_per_s= p50_ms= p99_ms= max_ms=
--          non2xx_by_status=404:12,503:3 (or -)
-- msgs: messages Herald accepted (answered ok); non2xx: answers outside 200-299; bad_body: 2xx answers that accepted
-- nothing; refused: messages an accepting answer refused (CO-SENDER per-message ERROR).

local threads = {}
local next_id = 0
run = tonumber(os.getenv("RUN") or "2")
api_key = os.getenv("API_KEY") or ""
api_secret = os.getenv("API_SECRET") or ""
code = os.getenv("CODE") or ""

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

n = 0
msgs, non2xx, bad_body, refused = 0, 0, 0, 0
codes_str = ""          -- this thread's non-2xx answers by status, "404:12,503:3" (a string: thread:get copies it)
local codes = {}

function tally(status, accepted, refusals, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    codes[status] = (codes[status] or 0) + 1
    local parts = {}
    for k, v in pairs(codes) do parts[#parts + 1] = k .. ":" .. v end
    codes_str = table.concat(parts, ",")
    if non2xx <= 3 then io.stderr:write("answer " .. status .. " " .. tostring(body):sub(1, 300) .. "\n") end
  elseif accepted == 0 then
    bad_body = bad_body + 1
    if bad_body <= 3 then io.stderr:write("answer " .. status .. " " .. tostring(body):sub(1, 300) .. "\n") end
  end
  msgs = msgs + accepted
  refused = refused + refusals
end

function done(summary, latency, requests)
  local m, x, b, r = 0, 0, 0, 0
  local all = {}
  for _, t in ipairs(threads) do
    m = m + t:get("msgs"); x = x + t:get("non2xx"); b = b + t:get("bad_body"); r = r + t:get("refused")
    for k, v in string.gmatch(t:get("codes_str") or "", "(%d+):(%d+)") do all[k] = (all[k] or 0) + tonumber(v) end
  end
  local parts = {}
  for k, v in pairs(all) do parts[#parts + 1] = k .. ":" .. v end
  table.sort(parts)
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d msgs=%d non2xx=%d bad_body=%d refused=%d socket_errors=%d " ..
    "duration_s=%.3f msgs_per_s=%.1f reqs_per_s=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx_by_status=%s\n",
    summary.requests, m, x, b, r,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    secs, m / secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    #parts > 0 and table.concat(parts, ",") or "-"))
end
