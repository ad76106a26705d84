-- COSMOS (seed 003): POST /v1.0/sms/, one SMS per request, credentials in the body, a different `to` every time.
-- COSMOS's `to` is ^0[0-9]{14}$; "00" + a German mobile number (49151 + 8 digits) fits it:
--   0049151 R T NNNNNN   R = run (1 warm-up, 2 measured), T = wrk thread, N = request of that thread
-- Environment: LUA_DIR, API_KEY, API_SECRET, RUN; DELAY_MS (pause before every request of a connection; soak.sh).
dofile(os.getenv("LUA_DIR") .. "/common.lua")

local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")

function request()
  n = n + 1
  local to = string.format("0049151%d%d%06d", run % 10, tid % 10, n % 1000000)
  local body = '{"api_key":"' .. api_key .. '","api_secret":"' .. api_secret .. '","to":"' .. to ..
    '","from":"Herald","text":"Hello from the Herald benchmark ' .. n .. '"}'
  return wrk.format("POST", "/v1.0/sms/", headers, body)
end

if delay_ms > 0 then
  function delay() return delay_ms end
end

function response(status, headers, body)
  local ok = (status == 200 and body and body:find('"status"%s*:%s*"ok"')) and 1 or 0
  tally(status, ok, 0, body)
end
