-- COSMOS (seed 003): POST /v1.0/sms/, one SMS per request, credentials in the body, a different `to` every time.
-- COSMOS's `to` is ^0[0-9]{14}$; "00" + a German mobile number (49151 + 8 digits) fits it:
--   0049151 R T NNNNNN   R = run (1 warm-up, 2 measured), T = wrk thread, N = request of that thread
-- Environment: LUA_DIR, API_KEY, API_SECRET, RUN; RATE and THREADS (a paced load, soak.sh), else DELAY_MS (a fixed
-- pause before every request of a connection).
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

-- RATE (requests per second, all threads together; soak.sh): every request of a thread gets the next free slot of
-- the thread's schedule (one every THREADS * 1000 / RATE ms), whichever connection sends it: an even rate of at most
-- RATE while enough connections are free. Needs LuaJIT's ffi for a millisecond clock; without it, DELAY_MS pauses.
local rate = tonumber(os.getenv("RATE") or "0")
local ok_ffi, ffi = pcall(require, "ffi")
if rate > 0 and ok_ffi then
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clk_id, bench_timespec *tp);
  ]]
  local ts = ffi.new("bench_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, ts)   -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local interval = tonumber(os.getenv("THREADS") or "1") * 1000 / rate
  local last_slot = 0
  function delay()
    local now = now_ms()
    local slot = math.max(now, last_slot + interval)
    last_slot = slot
    return math.floor(slot - now + 0.5)
  end
elseif delay_ms > 0 then
  function delay() return delay_ms end
end

-- ID_FILE (crash.sh): every accepted message_id is written, one a line, to ID_FILE.<thread id>
local id_file_base = os.getenv("ID_FILE")
local id_file

function init(args)
  if id_file_base and id_file_base ~= "" then
    id_file = io.open(id_file_base .. "." .. tid, "w")
    id_file:setvbuf("line")
  end
end

function response(status, headers, body)
  local ok = (status == 200 and body and body:find('"status"%s*:%s*"ok"')) and 1 or 0
  if ok == 1 and id_file then
    local id = body:match('"message_id"%s*:%s*"([^"]+)"')
    if id then id_file:write(id, "\n") end
  end
  tally(status, ok, 0, body)
end
