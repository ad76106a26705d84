#!/usr/bin/env bash
# Messaging API at scale: one POST /api/SendMessages of N recipients (default 100,000) against the packaged jar,
# started here as in production (prod profile) with a 512 MB heap, on an embedded H2 database, with the sandbox
# transport as the sink.
# Prints figures, not a verdict: the size of the request, the time to the answer, messages/s through to the sink
# (DELIVERED, read from /observe/metrics), the time until every message was stored out of the spool (as a message
# row), the time until the dispatch was Queued (its messages stored and handed to delivery), the time until every
# message was delivered, and the peak heap.
#
#   bench/messaging-100k.sh [N]     env: HEAP (512m), PORT (18480), PROFILE (prod), KEEP=1 keeps the work directory,
#                                   JAVA_OPTS (more JVM options, e.g. a flight recording), DB_OPTIONS (appended to
#                                   the H2 URL, e.g. ";CACHE_SIZE=65536"), ACCEPT_ONLY=1 (stop after the answer),
#                                   DB_URL, DB_USER, DB_PASSWORD (another database instead of the embedded H2 file,
#                                   e.g. DB_URL=jdbc:postgresql://localhost:5432/herald: an empty database of its own),
#                                   WARMUP=n (first a dispatch of n recipients, delivered in full: a warm JVM; the
#                                   heap and GC figures then include the warm-up)
#
# The dev profile is much slower at this size: Camel's dev profile turns on the backlog tracer and message history,
# which record every step of every exchange.
#
# Needs java, curl, python3 and jstat (JDK). Builds target/herald.jar first if it is missing.
set -euo pipefail

N=${1:-100000}
HEAP=${HEAP:-512m}
PROFILE=${PROFILE:-prod}
PORT=${PORT:-18480}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/target/herald.jar
TOKEN=bench-admin-token-0123456789abcdef
BASE=http://localhost:$PORT
WORK=$(mktemp -d -t herald-bench-XXXXXX)
PID=
SAMPLER=
LIVE_SAMPLER=

cleanup() {
    [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
    [ -n "$LIVE_SAMPLER" ] && kill "$LIVE_SAMPLER" 2>/dev/null || true
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
    if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

now() { date +%s.%N; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -B package -DskipTests)

java -Xmx"$HEAP" ${JAVA_OPTS:-} -Xlog:gc:file="$WORK/gc.log" -Dcamel.main.profile="$PROFILE" \
    -Dherald.http.port="$PORT" -Dherald.public-url="$BASE" \
    -Dherald.db.url="${DB_URL:-jdbc:h2:file:$WORK/herald${DB_OPTIONS:-}}" -Dherald.db.user="${DB_USER:-herald}" \
    -Dherald.db.password="${DB_PASSWORD:-bench-db-password}" \
    -Dherald.admin.token="$TOKEN" -Dherald.demo.enabled=false \
    -jar "$JAR" > "$WORK/herald.log" 2>&1 &
PID=$!

for _ in $(seq 1 120); do
    curl -fs "$BASE/observe/health/ready" > /dev/null 2>&1 && break
    kill -0 "$PID" 2>/dev/null || { echo "Herald did not start:"; tail -30 "$WORK/herald.log"; exit 1; }
    sleep 0.5
done

# heap in use (young + old, KB), sampled every 200 ms for the whole run; and the live heap (what a full GC leaves),
# every LIVE_EVERY seconds (default 15; 0 = never): each sample forces a full GC, which costs the run a little time
jstat -gc "$PID" 200 > "$WORK/jstat.log" 2>/dev/null &
SAMPLER=$!
LIVE_EVERY=${LIVE_EVERY:-15}
if [ "$LIVE_EVERY" != 0 ]; then
    ( while kill -0 "$PID" 2>/dev/null; do
          sleep "$LIVE_EVERY"
          jmap -histo:live "$PID" 2>/dev/null | awk '/^Total/ {print $3}' >> "$WORK/live.log"
      done ) &
    LIVE_SAMPLER=$!
fi

admin() { curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
ACCOUNT=$(admin -d '{"name":"bench"}' "$BASE/admin/accounts" | json "['id']")
KEY=$(admin -d '{"sandbox":true}' "$BASE/admin/accounts/$ACCOUNT/keys" | json "['apiKey']")
tenant() { curl -fs -u "api:$KEY" -H 'Content-Type: application/json' "$@"; }
CODE=$(tenant -d '{"name":"bench","channel":"EMAIL","from":"offers@example.com","subject":"Your code %recipient.voucherCode%",
  "text":"Hello %recipient.name%, code %recipient.voucherCode% is worth %recipient.voucherAmount% until %recipient.expirationDate%."}' \
  "$BASE/v1/campaigns" | json "['code']")
TEMPLATE=$(tenant -X POST "$BASE/v1/campaigns/$CODE/activate" | json "['id']")

# the seed's recipient shape, with a card number on every other recipient (a CRM record each)
body() {
python3 - "$1" "$TEMPLATE" > "$2" <<'PY'
import json, sys
n, template = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
out.write('{"templateId":%d,"recipients":[' % template)
for i in range(n):
    r = {"uniqueId": "C%07d" % i, "email": "customer%d@example.com" % i, "mobilePhone": "69%08d" % i,
         "password": "secret", "payload": {"name": "Customer %d" % i, "voucherCode": "SPRING%05d" % (i % 100000),
                                           "voucherAmount": "100 €", "expirationDate": "28/09/2019"}}
    if i % 2 == 0:
        r["cardNumber"] = "40%012d" % i
    out.write(("," if i else "") + json.dumps(r, ensure_ascii=False))
out.write("]}")
PY
}
body "$N" "$WORK/body.json"
BYTES=$(stat -c %s "$WORK/body.json")

metric() {
    curl -fs "$BASE/observe/metrics" | python3 -c "
import sys
total = 0.0
for line in sys.stdin:
    if line.startswith('$1') and 'channel=\"EMAIL\"' in line:
        total += float(line.rsplit(' ', 1)[1])
print(int(total))"
}

# WARMUP=n: first a dispatch of n recipients, delivered in full, so the figures below are those of a warm JVM
# (the JIT has compiled the hot paths) instead of a process's first request
# POSTs a body file to SendMessages, keeps the answer in the given file; stops the script unless it answered 200
send_dispatch() {
    local status
    status=$(curl -s -o "$2" -w '%{http_code}' -u "api:$KEY" -H 'Content-Type: application/json' \
        --data-binary @"$1" "$BASE/api/SendMessages")
    if [ "$status" != 200 ]; then echo "SendMessages answered $status:"; head -c 2000 "$2"; echo; exit 1; fi
}

DELIVERED_BEFORE=0
STORED_BEFORE=0
if [ "${WARMUP:-0}" -gt 0 ]; then
    body "$WARMUP" "$WORK/warmup.json"
    W0=$(now)
    send_dispatch "$WORK/warmup.json" "$WORK/warmup-answer.json"
    W1=$(now)
    WARM_SENT=$(json "['totalRecipientsSent']" < "$WORK/warmup-answer.json")
    while [ "$(metric herald_messages_delivered_total)" -lt "$WARM_SENT" ]; do
        sleep 0.5
        kill -0 "$PID" 2>/dev/null || { echo "Herald stopped during the warm-up:"; tail -30 "$WORK/herald.log"; exit 1; }
    done
    DELIVERED_BEFORE=$(metric herald_messages_delivered_total)
    STORED_BEFORE=$(metric herald_spool_stored_total)
    python3 -c "import sys; print(f'warm-up: {sys.argv[3]} recipients accepted in {float(sys.argv[2]) - float(sys.argv[1]):.2f} s, all delivered')" "$W0" "$W1" "$WARM_SENT"
fi

T0=$(now)
send_dispatch "$WORK/body.json" "$WORK/answer.json"
T1=$(now)
SENT=$(json "['totalRecipientsSent']" < "$WORK/answer.json")
if [ "${ACCEPT_ONLY:-0}" = 1 ]; then
    python3 -c "import sys; t = float(sys.argv[2]) - float(sys.argv[1]); print(f'accept time (answer)           {t:.2f} s  ({int(sys.argv[3]) / t:,.0f} recipients/s)')" "$T0" "$T1" "$SENT"
    exit 0
fi
DISPATCH=$(json "['dispatch']" < "$WORK/answer.json")

DELIVERED=0
TQ=
TS=
while [ "$DELIVERED" -lt "$SENT" ]; do
    sleep 0.5
    if [ -z "$TS" ] && [ $(( $(metric herald_spool_stored_total) - STORED_BEFORE )) -ge "$SENT" ]; then
        TS=$(now)
    fi
    DELIVERED=$(( $(metric herald_messages_delivered_total) - DELIVERED_BEFORE ))
    if [ -z "$TQ" ] && curl -fs -u "api:$KEY" "$BASE/api/Dispatches/$DISPATCH" | grep -q '"sendStatusId":3'; then
        TQ=$(now)
    fi
    kill -0 "$PID" 2>/dev/null || { echo "Herald stopped:"; tail -30 "$WORK/herald.log"; exit 1; }
done
T2=$(now)
sleep 0.5
kill "$SAMPLER" 2>/dev/null || true
SAMPLER=

curl -fs -u "api:$KEY" "$BASE/api/Dispatches/$DISPATCH" > "$WORK/dispatch.json"
PEAK_USED=$(awk 'NR>1 && $1 ~ /^[0-9.]+$/ {u=$3+$4+$6+$8; if (u>m) m=u} END {printf "%.0f", m/1024}' "$WORK/jstat.log")
PEAK_LIVE=$(grep -o '[0-9]*M->[0-9]*M' "$WORK/gc.log" | sed 's/.*->\([0-9]*\)M/\1/' | sort -n | tail -1)
GCS=$(grep -c 'Pause' "$WORK/gc.log" || true)
PEAK_LIVE_FULL=$(sort -n "$WORK/live.log" 2>/dev/null | tail -1 | awk '{printf "%.0f", $1 / 1048576}')
LIVE_SAMPLES=$(wc -l < "$WORK/live.log" 2>/dev/null || echo 0)

python3 - "$N" "$BYTES" "$SENT" "$T0" "$T1" "$T2" "$PEAK_USED" "${PEAK_LIVE:-?}" "$HEAP" "$GCS" "$WORK/dispatch.json" "${PEAK_LIVE_FULL:-?}" "$LIVE_SAMPLES" "$LIVE_EVERY" "${TQ:-}" "${TS:-}" <<'PY'
import json, sys
n, size, sent = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
t0, t1, t2 = map(float, sys.argv[4:7])
peak_used, peak_live, heap, gcs = sys.argv[7], sys.argv[8], sys.argv[9], sys.argv[10]
d = json.load(open(sys.argv[11]))
peak_live_full, live_samples, live_every = sys.argv[12], sys.argv[13], sys.argv[14]
print(f"recipients in the request      {n:,} ({size / 1e6:.1f} MB of JSON)")
print(f"accepted (totalRecipientsSent) {sent:,}")
print(f"accept time (answer)           {t1 - t0:.2f} s  ({sent / (t1 - t0):,.0f} recipients/s)")
stored = f"{float(sys.argv[16]) - t0:.2f} s from the request" if sys.argv[16] else "not seen before all were delivered"
print(f"all stored out of the spool    {stored}")
queued = f"{float(sys.argv[15]) - t0:.2f} s from the request (every message stored and handed to delivery)" \
    if sys.argv[15] else "not seen before all were delivered"
print(f"dispatch Queued after          {queued}")
print(f"all delivered after            {t2 - t0:.2f} s from the request")
print(f"messages/s through to the sink {sent / (t2 - t0):,.0f} end to end, {sent / (t2 - t1):,.0f} after the answer")
print(f"peak heap in use (sampled)     {peak_used} MB of -Xmx{heap} (includes garbage not yet collected)")
print(f"peak heap after a young GC     {peak_live} MB  ({gcs} GC pauses; old garbage not yet collected counts)")
print(f"peak live heap (full GC)       {peak_live_full} MB  (largest of {live_samples} samples, one every {live_every} s)")
print(f"dispatch {d['dispatchId']}: sendStatusId {d['sendStatusId']}, created {d['createdAt']},"
      f" queuing {d['startedQueuingAt']} .. {d['finishedQueuingAt']} (UTC)")
PY
