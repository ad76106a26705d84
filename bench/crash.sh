#!/usr/bin/env bash
# Crash safety under load: COSMOS POST /v1.0/sms/ (1 SMS per request) into Kannel's provider sink; KILL_AFTER seconds
# into the load Herald is killed with SIGKILL, restarted on the same database and ports, and the load runs on until
# DURATION ends. Every message_id answered "ok" (wrk writes them down) is then looked up with GET /v1/messages/{id}:
# after the drain (and up to SETTLE_S more) each one must have left Herald (SENT or DELIVERED). Prints the time to be
# ready again and what a client got meanwhile, the answered messages by final state, the lost ones (answered ok, not
# sent at the end; 404 = not stored at all) with their creation time against the kill, and the sink count against
# them (the excess is messages sent twice around the crash, plus messages stored whose answer the crash cut off).
#
#   bench/crash.sh         env: DURATION=60s, KILL_AFTER=15 (leave time for the restart: the load should go on after
#                          it), WARMUP=0 (seconds of load before, into the same database), SETTLE_S=150 (after the
#                          drain, how long answered messages not yet sent are looked up again: the killed instance's
#                          claims are sent again when their lease, herald.delivery.lease = 1 min, ends),
#                          SINK_PORT=18581, and the other knobs of bench/lib.sh (THREADS, CONNS, PORT, DB_URL..,
#                          QUEUE=kafka KAFKA=..)
WARMUP=${WARMUP:-0}
DURATION=${DURATION:-60s}
source "$(dirname "$0")/lib.sh"
SINK_PORT=${SINK_PORT:-18581}
KILL_AFTER=${KILL_AFTER:-15}
SETTLE_S=${SETTLE_S:-150}
HERALD_ARGS=(-Dherald.sms.provider.url="http://127.0.0.1:$SINK_PORT/v1.0/sms/"
    -Dherald.sms.provider.api-key=bench -Dherald.sms.provider.api-secret=bench)

sink_start sms "$SINK_PORT"
herald_start "${HERALD_ARGS[@]}"
make_account crash-bench
warm_up cosmos.lua
sink_reset

log "load: wrk -t$THREADS -c$CONNS -d$DURATION; SIGKILL to Herald after ${KILL_AFTER}s"
export ID_FILE=$WORK/ids
T0=$(now_ms)
run_wrk cosmos.lua "$DURATION" "$WORK/wrk.out" 2 &
WPID=$!; STARTED+=("$WPID")
sleep "$KILL_AFTER"
AT_KILL=$(sink_count)
kill -KILL "$HERALD_PID"; wait "$HERALD_PID" 2>/dev/null || true; forget_pid "$HERALD_PID"
T_KILL=$(now_ms)
log "Herald killed (sink had $AT_KILL); restarting on the same database"
mv "$WORK/herald.log" "$WORK/herald-1.log"
# what a client gets while Herald starts: a COSMOS request with wrong credentials every 100 ms (401 once the route
# answers; 000 = no connection), until ready
( while :; do
      printf '%s %s\n' "$(now_ms)" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H 'Content-Type: application/json' \
          -d '{"api_key":"probe","api_secret":"probe","to":"004915100000000","from":"Probe","text":"probe"}' "$BASE/v1.0/sms/")"
      sleep 0.1
  done ) >"$WORK/probe.txt" 2>/dev/null &
PROBE=$!; STARTED+=("$PROBE")
herald_start "${HERALD_ARGS[@]}"
T_READY=$(now_ms)
stop_pid "$PROBE"; forget_pid "$PROBE"
wait "$WPID" 2>/dev/null || true; forget_pid "$WPID"
T_END=$(now_ms)
grep -q '^RESULT' "$WORK/wrk.out" || { cat "$WORK/wrk.out" >&2; die "no wrk summary"; }
cat "$WORK"/ids.[0-9]* 2>/dev/null | sort -u >"$WORK/answered.txt" || true
ANSWERED=$(wc -l <"$WORK/answered.txt")
log "load ended; $ANSWERED messages answered ok; draining"
wait_sink "$ANSWERED"
sleep "$IDLE_S"   # messages stored but not yet answered, and retries, may still come

# the final state of every answered message; the ones not yet sent are looked up again every 5 s for up to SETTLE_S
# (messages claimed by the killed instance are sent again once their lease, herald.delivery.lease, runs out)
python3 - "$BASE" "$KEY" "$WORK/answered.txt" "$SETTLE_S" >"$WORK/states.txt" 2>"$WORK/settle.txt" <<'PY'
import base64, http.client, json, sys, time, urllib.parse
base, key, ids, settle = sys.argv[1], sys.argv[2], [l.strip() for l in open(sys.argv[3]) if l.strip()], int(sys.argv[4])
u = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
auth = "Basic " + base64.b64encode(f"api:{key}".encode()).decode()
def state(i):
    conn.request("GET", "/v1/messages/" + urllib.parse.quote(i), headers={"Authorization": auth})
    r = conn.getresponse()
    body = r.read()
    return json.loads(body).get("status", "?") if r.status == 200 else f"HTTP_{r.status}"
states = {i: state(i) for i in ids}
t0 = time.time()
def pending():
    return [i for i, s in states.items() if s not in ("SENT", "DELIVERED", "HTTP_404")]
while pending() and time.time() - t0 < settle:
    time.sleep(5)
    for i in pending():
        states[i] = state(i)
print(f"{len(pending())} answered messages neither sent nor missing {time.time() - t0:.0f} s after the drain",
      file=sys.stderr)
for i in ids:
    print(i, states[i])
PY
log "$(cat "$WORK/settle.txt")"
JS=$(sink_json); TOTAL=$(json_num count <<<"$JS"); LAST_MS=$(json_num last_ms <<<"$JS")

python3 - "$(grep '^RESULT' "$WORK/wrk.out")" "$WORK/states.txt" "$TOTAL" "$T0" "$T_KILL" "$T_READY" "$T_END" "$LAST_MS" "$AT_KILL" "$WORK/probe.txt" <<'PY'
import collections, sys
w = dict(kv.split("=", 1) for kv in sys.argv[1].split()[1:])
states = collections.Counter(l.split()[1] for l in open(sys.argv[2]) if l.strip())
total = int(sys.argv[3]); t0, tkill, tready, tend, last, at_kill = (int(x or 0) for x in sys.argv[4:10])
answered = sum(states.values())
left = states.get("SENT", 0) + states.get("DELIVERED", 0)
print("== Herald COSMOS crash: SIGKILL under load, restart on the same database")
print(f"load            {w['requests']} requests in {float(w['duration_s']):.1f} s: {w['msgs']} answered ok, "
      f"{w['non2xx']} non-2xx (by status: {w.get('non2xx_by_status', '-')}), {w['bad_body']} non-ok bodies, {w['socket_errors']} socket errors "
      f"(the requests cut off or refused while Herald was down)")
print(f"crash           killed {(tkill - t0) / 1000:.1f} s into the load (sink had {at_kill}); "
      f"ready again {(tready - tkill) / 1000:.1f} s after the kill")
if tready >= tend:
    print("WARNING         the load ended before Herald was ready again: raise DURATION (or lower KILL_AFTER)")
else:
    print(f"after restart   {(tend - tready) / 1000:.1f} s of load on the restarted Herald")
print(f"answered ok     {answered} message ids; final states: " + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))
missing = states.get("HTTP_404", 0)
print(f"lost            {answered - left}: answered ok but not SENT/DELIVERED at the end, of which {missing} not stored at all"
      f" (GET /v1/messages/{{id}} 404)")
for line in open(sys.argv[2]):
    i, state = line.split()
    if state in ("SENT", "DELIVERED"):
        continue
    try:   # Herald's ids are UUIDv7: the first 48 bits are the creation time in ms
        created = int(i.replace("-", "")[:12], 16)
        print(f"  {i} {state}: created {(created - tkill) / 1000:+.3f} s from the kill")
    except ValueError:
        print(f"  {i} {state}")
probe = [l.split() for l in open(sys.argv[10]) if len(l.split()) == 2]
if probe:
    runs, prev = [], None
    for t, code in probe:
        if code != prev:
            runs.append([code, int(t), int(t)]); prev = code
        else:
            runs[-1][2] = int(t)
    print("while starting  a probe request every 100 ms answered: " +
          ", ".join(f"{c} from {(a - tkill) / 1000:.1f} s to {(b - tkill) / 1000:.1f} s" for c, a, b in runs) +
          f" after the kill; ready at {(tready - tkill) / 1000:.1f} s (000 = no connection, 401 = the COSMOS route answers)")
print(f"sink            {total} requests; {total - left:+d} against the answered messages that left "
      f"(messages sent twice around the crash, plus stored messages whose answer the crash cut off); "
      f"last arrival {(last - tend) / 1000:+.1f} s after the load ended")
print(f"DATA answered={answered} left={left} lost={answered - left} sink={total} restart_s={(tready - tkill) / 1000:.1f}")
PY
