-- Shared part of the wrk scripts (loaded with dofile by cosmos.lua and cosender.lua).
-- Every thread gets an id (tid) so that the scripts can give every request other recipients; RUN (environment)
-- separates the warm-up (1) from the measured run (2). The scripts call tally(status, msgs, refused, bad) from
-- response(); done() prints one line:
--   RESULT requests= msgs= non2xx= bad_body= refused= socket_errors= duration_s= msgs_per_s= reqs_per_s= p50_ms= p99_ms= max_ms=
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

function tally(status, accepted, refusals, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
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
  for _, t in ipairs(threads) do
    m = m + t:get("msgs"); x = x + t:get("non2xx"); b = b + t:get("bad_body"); r = r + t:get("refused")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d msgs=%d non2xx=%d bad_body=%d refused=%d socket_errors=%d " ..
    "duration_s=%.3f msgs_per_s=%.1f reqs_per_s=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, m, x, b, r,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    secs, m / secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
