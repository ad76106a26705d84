-- CO-SENDER (seed 001): POST /v1/messages with Basic auth api:<key>, PER_REQUEST (10) messages per request for the
-- campaign CODE, every recipient different:
--   CHANNEL=SMS:   +49151 R T NNNNNN (German mobile numbers)   CHANNEL=EMAIL: u<R><T>-<N>@example.com
-- R = run (1 warm-up, 2 measured), T = wrk thread, N = message of that thread.
-- A message counts as accepted when its entry says OK or WARNING; ERROR entries count as refused.
-- Environment: LUA_DIR, AUTH_B64, CODE, RUN, CHANNEL, PER_REQUEST.
dofile(os.getenv("LUA_DIR") .. "/common.lua")

local channel = os.getenv("CHANNEL") or "SMS"
local per_request = tonumber(os.getenv("PER_REQUEST") or "10")
local auth = "Basic " .. (os.getenv("AUTH_B64") or "")   -- base64 of api:<key>, made by lib.sh
local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json", ["Authorization"] = auth }

function request()
  local parts = {}
  for i = 1, per_request do
    n = n + 1
    local recipient
    if channel == "EMAIL" then
      recipient = string.format("u%d%d-%d@example.com", run % 10, tid % 10, n)
    else
      recipient = string.format("+49151%d%d%06d", run % 10, tid % 10, n % 1000000)
    end
    parts[i] = '{"recipient":"' .. recipient .. '","parameters":{"name":"Customer ' .. n .. '","order":"' .. n .. '"}}'
  end
  return wrk.format("POST", "/v1/messages", headers,
    '{"code":"' .. code .. '","messages":[' .. table.concat(parts, ",") .. ']}')
end

function response(status, headers, body)
  local ok, err = 0, 0
  if status == 200 and body then
    for s in body:gmatch('"status"%s*:%s*"(%u+)"') do
      if s == "OK" or s == "WARNING" then ok = ok + 1 elseif s == "ERROR" then err = err + 1 end
    end
  end
  tally(status, ok, err, body)
end
