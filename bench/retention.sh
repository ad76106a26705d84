#!/usr/bin/env bash
# Retention purge under a light accept load, against the packaged jar (prod profile, H2 file database in a temp
# directory):
#   1. Herald starts once to create its schema, an account (live key) and an EMAIL campaign, and stops;
#   2. the H2 file is filled directly with SQL (H2's RunScript, Herald stopped): MESSAGES final EMAIL messages in
#      dispatches of 1,000, each with 4 events; the first half became final 401 days ago (past herald.retention.messages,
#      P400D: deleted whole, their dispatches with them), the second half 31 days ago (past herald.retention
#      .message-content, P30D: their content erased);
#   3. Herald starts again with the purge due PURGE_AFTER_S seconds after its start, and COSMOS SMS requests (to Kannel's
#      provider sink, as bench/cosmos.sh) are sent at RATE requests/s in back-to-back wrk windows of WINDOW_S seconds,
#      from before the purge until after it;
#   4. prints the purge (from Herald's "Retention:" log line: rows, batches, the longest batch, the time it took), the
#      accept latency of the windows before the purge and of those that overlap it, and what the table holds after.
#
#   bench/retention.sh     env: MESSAGES=100000, BATCH=1000 (herald.retention.batch-size), RATE=200, WINDOW_S=2,
#                          PURGE_AFTER_S=40, THREADS=1, CONNS=4, SINK_PORT=18581, and the knobs of bench/lib.sh
THREADS=${THREADS:-1}
CONNS=${CONNS:-4}
source "$(dirname "$0")/lib.sh"
MESSAGES=${MESSAGES:-100000}
BATCH=${BATCH:-1000}
RATE=${RATE:-200}
WINDOW_S=${WINDOW_S:-2}
PURGE_AFTER_S=${PURGE_AFTER_S:-40}
SINK_PORT=${SINK_PORT:-18581}
MAX_S=${MAX_S:-600}
export RATE THREADS   # cosmos.lua paces the load with them
DB_PASSWORD=${DB_PASSWORD:-bench-db-password}
[ -z "${DB_URL:-}" ] || die "retention.sh fills an H2 file: DB_URL is not supported"
[ $((MESSAGES % 2000)) = 0 ] || die "MESSAGES must be a multiple of 2000 (dispatches of 1,000, two ages)"
H2_JAR=$(ls "$ROOT"/target/lib/h2-*.jar 2>/dev/null | head -1)
[ -n "$H2_JAR" ] || (cd "$ROOT" && mvn -q -B package -DskipTests) || die "no target/lib"
H2_JAR=$(ls "$ROOT"/target/lib/h2-*.jar | head -1)
H2_URL="jdbc:h2:file:$WORK/db/herald"
sql() { java -cp "$H2_JAR" org.h2.tools.RunScript -url "$H2_URL" -user herald -password "$DB_PASSWORD" -showResults "$@"; }

# 1. schema, account, campaign
herald_start -Dherald.housekeeping.delay-ms=86400000
make_account retention-bench
CAMPAIGN=$(tenant -d '{"name":"retention","channel":"EMAIL","from":"news@acme.com","subject":"Hi %recipient.name%","text":"Hello"}' \
    "$BASE/v1/campaigns" | json "['id']")
KEY_ID="(SELECT MAX(id) FROM api_key WHERE account_id = $ACCOUNT)"
herald_stop

# 2. the table
DISPATCHES=$((MESSAGES / 1000))
cat >"$WORK/fill.sql" <<SQL
INSERT INTO dispatch (account_id, campaign_id, api_key_id, dialect, is_test, total_recipients, accepted, created_at,
    send_status, scheduled, send_at, started_queuing_at, finished_queuing_at)
SELECT $ACCOUNT, $CAMPAIGN, $KEY_ID, 'bench', FALSE, 1000, 1000, t, 3, FALSE, t, t, t
FROM (SELECT DATEADD('DAY', CASE WHEN X <= $((DISPATCHES / 2)) THEN -401 ELSE -31 END,
                     DATEADD('MINUTE', -X, CURRENT_TIMESTAMP)) AS t FROM SYSTEM_RANGE(1, $DISPATCHES));
INSERT INTO message (id, account_id, dispatch_id, campaign_id, channel, recipient, sender, subject, body_text, body_html,
    sandbox, status, attempts, first_attempt_at, provider_message_id, created_at, updated_at, claimed_by)
SELECT CAST(RANDOM_UUID() AS VARCHAR(36)), d.account_id, d.id, d.campaign_id, 'EMAIL',
    'person' || d.id || '.' || r.X || '@example.com', 'news@acme.com', 'Hi person ' || r.X,
    'Hello person ' || r.X || ', ' || REPEAT('this is the text of a rather ordinary newsletter. ', 10),
    '<p>Hello person ' || r.X || ',</p><p>' || REPEAT('this is the text of a rather ordinary newsletter. ', 10) || '</p>',
    FALSE, 'DELIVERED', 1, d.created_at, 'smtp-' || d.id || '-' || r.X, d.created_at, DATEADD('SECOND', 5, d.created_at), 'bench'
FROM dispatch d CROSS JOIN SYSTEM_RANGE(1, 1000) r WHERE d.dialect = 'bench';
INSERT INTO message_event (message_id, status, at, detail)
SELECT m.id, s.status, m.updated_at, s.detail FROM message m CROSS JOIN (VALUES ('ACCEPTED', 'accepted'),
    ('QUEUED', 'handed to delivery'), ('SENT', 'sent'), ('DELIVERED', '250 2.0.0 Ok: queued')) AS s(status, detail)
WHERE m.claimed_by = 'bench';
SELECT COUNT(*) AS messages FROM message;
SELECT COUNT(*) AS events FROM message_event;
SQL
log "filling the H2 file: $MESSAGES messages, $((MESSAGES * 4)) events, $DISPATCHES dispatches"
t0=$(now_ms); sql -script "$WORK/fill.sql" >"$WORK/fill.out" || { cat "$WORK/fill.out" >&2; die "fill failed"; }
log "filled in $(( $(now_ms) - t0 )) ms: $(tr -s ' \n' ' ' <"$WORK/fill.out" | grep -o 'MESSAGES [0-9]*\|EVENTS [0-9]*' | tr '\n' ' ')"
ls -l "$WORK/db" >&2

# 3. the purge under load
sink_start sms "$SINK_PORT"
herald_start -Dherald.housekeeping.delay-ms=$((PURGE_AFTER_S * 1000)) -Dherald.housekeeping.period-ms=86400000 \
    -Dherald.retention.batch-size="$BATCH" -Dherald.content-rules.max-repeats=0 \
    -Dherald.sms.provider.url="http://127.0.0.1:$SINK_PORT/v1.0/sms/" \
    -Dherald.sms.provider.api-key=bench -Dherald.sms.provider.api-secret=bench
STARTED_MS=$(now_ms)
make_account cosmos-load
: >"$WORK/windows.txt"
i=0
while :; do
    i=$((i + 1))
    w0=$(now_ms)
    run_wrk cosmos.lua "$WINDOW_S" "$WORK/wrk-$i.out" $((i % 10))
    w1=$(now_ms)
    grep -q '^RESULT' "$WORK/wrk-$i.out" || { cat "$WORK/wrk-$i.out" >&2; die "window $i: no wrk summary"; }
    echo "$w0 $w1 $(grep '^RESULT' "$WORK/wrk-$i.out" | cut -c8-)" >>"$WORK/windows.txt"
    herald_alive
    if grep -q 'Retention - Retention:' "$WORK/herald.log"; then
        [ -n "${DONE_AT:-}" ] || DONE_AT=$i
        [ $((i - DONE_AT)) -ge 2 ] && break    # two more windows after the purge
    fi
    [ $(($(now_ms) - STARTED_MS)) -gt $((MAX_S * 1000)) ] && die "no purge within ${MAX_S}s"
done
herald_stop
sink_stop

# 4. what the table holds now
cat >"$WORK/after.sql" <<SQL
SELECT COUNT(*) AS messages_left FROM message;
SELECT COUNT(*) AS erased FROM message WHERE content_erased_at IS NOT NULL;
SELECT COUNT(*) AS bench_with_recipient FROM message WHERE claimed_by = 'bench' AND recipient IS NOT NULL;
SELECT COUNT(*) AS events_left FROM message_event;
SELECT COUNT(*) AS bench_dispatches_left FROM dispatch WHERE dialect = 'bench';
SQL
sql -script "$WORK/after.sql" >"$WORK/after.out"

python3 - "$WORK/herald.log" "$WORK/windows.txt" "$WORK/after.out" "$MESSAGES" "$BATCH" "$RATE" "$WINDOW_S" <<'PY'
import datetime, os, re, sys
log, windows, after = open(sys.argv[1]).read(), open(sys.argv[2]).read().split("\n"), open(sys.argv[3]).read()
messages, batch, rate, window = sys.argv[4:8]
m = re.search(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) INFO .*Retention - Retention: (.*took (\d+) ms)$", log, re.M)
if not m:
    sys.exit("no Retention line in Herald's log")
h, mi, s, ms = (int(x) for x in m.groups()[:4])
today = datetime.datetime.now().replace(hour=h, minute=mi, second=s, microsecond=ms * 1000)
end = today.timestamp() * 1000
start = end - int(m.group(6))
before, during = [], []
for line in windows:
    if not line.strip():
        continue
    w0, w1, rest = line.split(" ", 2)
    w = dict(kv.split("=", 1) for kv in rest.split())
    row = (int(w0), int(w1), float(w["p50_ms"]), float(w["p99_ms"]), float(w["max_ms"]), int(w["requests"]), int(w["non2xx"]))
    if row[1] <= start:
        before.append(row)
    elif row[0] < end:
        during.append(row)
def median(values):
    values = sorted(values)
    return values[len(values) // 2]
def summary(rows):
    if not rows:
        return "no window"
    seconds = sum(r[1] - r[0] for r in rows) / 1000
    return (f"{len(rows)} windows ({seconds:.0f} s), {sum(r[5] for r in rows) / seconds:.0f} req/s, non-2xx {sum(r[6] for r in rows)}; "
            f"p50 median {median([r[2] for r in rows]):.1f} ms; p99 median {median([r[3] for r in rows]):.1f} ms, "
            f"worst window {max(r[3] for r in rows):.1f} ms; max {max(r[4] for r in rows):.1f} ms")
print(f"== Retention purge of {int(messages):,} final messages (half past P400D, half past P30D), batch-size {batch}, "
      f"under COSMOS accepts at {rate} req/s in {window} s wrk windows")
print(f"purge           {m.group(5)}")
print(f"accept before   {summary(before)}")
print(f"accept during   {summary(during)}  (windows overlapping the purge)")
counts = re.findall(r"AS (\w+) FROM.*\n--> (\d+)", after)
print("table after     " + ", ".join(f"{k} {int(v):,}" for k, v in counts))
print(f"box             {open('/proc/loadavg').read().split()[0]} load average (1 min) on {os.cpu_count()} cores at the end")
PY
