# Common code of the load benchmarks (bench/cosmos.sh, cosender.sh, email.sh, soak.sh). Source it, don't run it.
#
# Starts Herald's packaged jar (prod profile, an H2 file database in a temp directory, or DB_URL) and a sink on
# 127.0.0.1, makes an account and a key through the operator API, drives the load with wrk and a Lua script, and
# prints the figures. Every process it starts is stopped by PID on exit (also on Ctrl-C / TERM).
#
# Knobs (environment), common to every scenario:
#   JAR=target/herald.jar   the jar (built with mvn package -DskipTests if missing)
#   HEAP=1g                 Herald's -Xmx
#   JAVA_OPTS               more JVM options for Herald (e.g. a flight recording)
#   PORT=18580              Herald's HTTP port
#   WARMUP=30               seconds of the same load before the measured one (0: none)
#   DURATION=20s            the measured load (wrk -d)
#   THREADS=2 CONNS=32      wrk -t / -c
#   IDLE_S=10               the drain ends when the sink has everything Herald accepted, or has not grown for IDLE_S
#   DRAIN_MAX_S=600         give up draining after this long
#   KEEP=1                  keep the work directory (Herald's log, the sink's output, wrk's output)
#   DB_URL DB_USER DB_PASSWORD   another database instead of the embedded H2 file (an empty database of its own,
#                                e.g. DB_URL=jdbc:postgresql://127.0.0.1:5432/herald)
#   QUEUE=kafka KAFKA=host:port  Kafka between accept and delivery (-Dherald.queue=kafka -Dherald.kafka.brokers=...)
#   KEEP_LOG=FILE           on exit, Herald is stopped first with TERM (KILL only after STOP_WAIT_S, default 30) and
#                           timed: herald.log is copied to FILE and "stop_ms=.. killed=0|1 exit=.." written to FILE.stop
#
# Needs java (JDK: jmap for soak.sh), curl, python3, wrk (installed with apt-get if missing and running as root).

set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BENCH=$ROOT/bench
SHARED=${SHARED:-$ROOT/../shared/bench}
JAR=${JAR:-$ROOT/target/herald.jar}
HEAP=${HEAP:-1g}
PORT=${PORT:-18580}
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
IDLE_S=${IDLE_S:-10}
DRAIN_MAX_S=${DRAIN_MAX_S:-600}
TOKEN=${TOKEN:-bench-admin-token-0123456789abcdef}
BASE=http://127.0.0.1:$PORT
HZ=$(getconf CLK_TCK)
WORK=$(mktemp -d -t herald-bench-XXXXXX)
STARTED=()          # every PID started here, stopped in reverse order on exit
HERALD_PID=
SINK_PID=

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }

stop_pid() {   # stop_pid PID [SECONDS]: its children first, then TERM, up to SECONDS (15), then KILL
    local pid=$1 i kid
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    for kid in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do stop_pid "$kid"; done
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < ${2:-15} * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "$pid ignored TERM, killing"; kill -KILL "$pid" 2>/dev/null || true; }
    wait "$pid" 2>/dev/null || true
}

forget_pid() {   # forget_pid PID: no longer ours to stop (it ended or was stopped)
    local keep=() p
    for p in "${STARTED[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    STARTED=("${keep[@]}")
}

# herald_stop_timed FILE: TERM to Herald, KILL only after STOP_WAIT_S (30); herald.log copied to FILE, and to FILE.stop
# "stop_ms=<TERM to exit> killed=0|1 exit=<status>" (stop_ms=-1: Herald was not running)
herald_stop_timed() {
    local pid=$HERALD_PID t0 ms=-1 killed=0 rc=-1 i
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        t0=$(now_ms); kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < ${STOP_WAIT_S:-30} * 20; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        if kill -0 "$pid" 2>/dev/null; then killed=1; kill -KILL "$pid" 2>/dev/null || true; fi
        rc=0; wait "$pid" 2>/dev/null || rc=$?
        ms=$(($(now_ms) - t0))
        log "Herald (pid $pid) stopped $ms ms after TERM$([ "$killed" = 1 ] && echo ", KILLED after ${STOP_WAIT_S:-30} s"), exit $rc"
        forget_pid "$pid"; HERALD_PID=
    fi
    echo "stop_ms=$ms killed=$killed exit=$rc" >"$1.stop"
    cp "$WORK/herald.log" "$1" 2>/dev/null || true
}

cleanup() {
    local i
    [ -n "${KEEP_LOG:-}" ] && herald_stop_timed "$KEEP_LOG"
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do stop_pid "${STARTED[i]}"; done
    STARTED=()
    if [ "${KEEP:-0}" = 1 ]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_cmd() {   # ensure_cmd COMMAND DEBIAN_PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    [ "$(id -u)" = 0 ] || die "$1 is missing (Debian package $2)"
    log "installing $2"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; } \
        || die "apt-get install $2 failed"
}
ensure_cmd wrk wrk
ensure_cmd curl curl
ensure_cmd python3 python3

port_free() { ! ss -ltn "sport = :$1" | grep -q LISTEN; }

wait_http() {   # wait_http URL SECONDS [PID]: until URL answers 2xx, for SECONDS of wall time
    # one probe at a time, each allowed up to 30 s: a slow answer (Herald's readiness with Kafka consumers can take
    # many seconds) is waited for, not piled up under a stream of 1 s probes
    local end=$(($(date +%s) + $2))
    while [ "$(date +%s)" -lt "$end" ]; do
        curl -fs -o /dev/null --max-time 30 "$1" && return 0
        [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
        sleep 0.1
    done
    return 1
}

cpu_ticks() {   # utime+stime of PID in clock ticks (0 if gone)
    local s
    s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    s=${s##*) }
    awk '{print $12 + $13}' <<<"$s"
}
sys_ticks() { awk '/^cpu /{b=$2+$3+$4+$7+$8+$9; print b, b+$5+$6}' /proc/stat; }   # busy total (whole box)
# cores used by PID between two cpu_ticks readings over a wall time in ms: cores TICKS0 TICKS1 MS0 MS1
cores() { awk -v a="$1" -v b="$2" -v t0="$3" -v t1="$4" -v hz="$HZ" 'BEGIN {printf "%.2f", (b - a) / hz / ((t1 - t0) / 1000)}'; }

# ------------------------------------------------------------------ Herald
# herald_start [-Dkey=value ...]: starts the jar in the background (prod profile), waits for /observe/health/ready
herald_start() {
    [ -f "$JAR" ] || (cd "$ROOT" && mvn -q -B package -DskipTests) || die "no $JAR"
    port_free "$PORT" || die "port $PORT is in use"
    local queue=()
    if [ "${QUEUE:-embedded}" = kafka ]; then
        [ -n "${KAFKA:-}" ] || die "QUEUE=kafka needs KAFKA=host:port"
        queue=(-Dherald.queue=kafka -Dherald.kafka.brokers="$KAFKA")
    fi
    # shellcheck disable=SC2086
    java -Xmx"$HEAP" ${JAVA_OPTS:-} -Dcamel.main.profile=prod \
        -Dherald.http.port="$PORT" -Dherald.public-url="$BASE" \
        -Dherald.db.url="${DB_URL:-jdbc:h2:file:$WORK/db/herald}" -Dherald.db.user="${DB_USER:-herald}" \
        -Dherald.db.password="${DB_PASSWORD:-bench-db-password}" \
        -Dherald.admin.token="$TOKEN" -Dherald.demo.enabled=false \
        -Dherald.sms.provider.webhook-token="${WEBHOOK_TOKEN:-bench-webhook-token-0123456789abcdef}" \
        "${queue[@]}" "$@" -jar "$JAR" >"$WORK/herald.log" 2>&1 &
    HERALD_PID=$!; STARTED+=("$HERALD_PID")
    wait_http "$BASE/observe/health/ready" 180 "$HERALD_PID" \
        || { tail -30 "$WORK/herald.log" >&2; die "Herald did not become ready"; }
    log "Herald ready (pid $HERALD_PID, port $PORT, db ${DB_URL:-H2 file in $WORK/db}, queue ${QUEUE:-embedded})"
}

herald_stop() { stop_pid "$HERALD_PID"; forget_pid "$HERALD_PID"; HERALD_PID=; }

herald_alive() { kill -0 "$HERALD_PID" 2>/dev/null || { tail -30 "$WORK/herald.log" >&2; die "Herald stopped"; }; }

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
admin() { curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }

# make_account NAME [RPS]: an account, a live (not sandbox) key, the rate limit raised to RPS (default 1000000).
# Sets ACCOUNT, KEY, SECRET.
make_account() {
    local answer
    ACCOUNT=$(admin -d "{\"name\":\"$1\"}" "$BASE/admin/accounts" | json "['id']")
    answer=$(admin -d '{"sandbox":false}' "$BASE/admin/accounts/$ACCOUNT/keys")
    KEY=$(json "['apiKey']" <<<"$answer")
    SECRET=$(json "['apiSecret']" <<<"$answer")
    [ "$(json "['sandbox']" <<<"$answer")" = False ] || die "the key is a sandbox key"
    admin -X PUT -d "{\"requestsPerSecond\":${2:-1000000}}" "$BASE/admin/accounts/$ACCOUNT/rate-limit" >/dev/null
    log "account $ACCOUNT, live key, rate limit ${2:-1000000}/s"
}

tenant() { curl -fsS -u "api:$KEY" -H 'Content-Type: application/json' "$@"; }

# make_campaign JSON: creates and activates a campaign, sets CODE
make_campaign() {
    CODE=$(tenant -d "$1" "$BASE/v1/campaigns" | json "['code']")
    tenant -X POST "$BASE/v1/campaigns/$CODE/activate" >/dev/null
    log "campaign $CODE active"
}

# metrics FILE: Herald's /observe/metrics saved to FILE
metrics() { curl -fsS "$BASE/observe/metrics" >"$1"; }
# metric FILE NAME: the sum of every series of NAME (all labels); empty when the metric is absent
metric() {
    awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $NF; seen = 1 } END { if (seen) printf "%.0f\n", s }' "$1"
}
# metric0 FILE NAME: the same, 0 when absent (a labelled counter appears with its first message)
metric0() { local v; v=$(metric "$1" "$2"); echo "${v:-0}"; }
# delta NAME: metric NAME in $WORK/after.prom minus $WORK/before.prom, or n/a
delta() {
    local a b
    a=$(metric "$WORK/before.prom" "$1"); b=$(metric "$WORK/after.prom" "$1")
    # a labelled counter is absent until its first message; absent after the load = not exported at all
    if [ -n "$b" ]; then echo $((b - ${a:-0})); else echo n/a; fi
}

# ------------------------------------------------------------------ sinks
# sink_start KIND PORT: KIND sms (Kannel's Sink.java, control on PORT) or smtp (SmtpSink.java, control on PORT+1).
# Sets SINK_PID and SINK_CTL (the control base URL).
sink_start() {
    local src ctl
    case "$1" in
        sms) src=$SHARED/kannel/Sink.java; ctl=$2 ;;
        smtp) src=$SHARED/email/SmtpSink.java; ctl=$(($2 + 1)) ;;
        *) die "sink kind $1" ;;
    esac
    [ -f "$src" ] || die "no $src"
    port_free "$2" && port_free "$ctl" || die "sink port $2 or $ctl in use"
    java "$src" "$2" >"$WORK/sink-$1.out" 2>&1 &
    SINK_PID=$!; STARTED+=("$SINK_PID")
    SINK_CTL=http://127.0.0.1:$ctl
    wait_http "$SINK_CTL/count" 60 "$SINK_PID" || die "sink did not start (see $WORK/sink-$1.out)"
    log "$1 sink on 127.0.0.1:$2 (pid $SINK_PID)"
}
sink_stop() { stop_pid "$SINK_PID"; forget_pid "$SINK_PID"; SINK_PID=; }
sink_json() { curl -fs --max-time 5 "$SINK_CTL/count"; }
json_num() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
sink_count() { sink_json | json_num count; }
sink_reset() { curl -fs --max-time 5 "$SINK_CTL/reset" >/dev/null; }

# wait_sink TARGET: until the sink counted TARGET, or did not grow for IDLE_S seconds, or DRAIN_MAX_S passed
wait_sink() {
    local target=$1 c prev=-1 same=0 t0
    t0=$(now_ms)
    while :; do
        c=$(sink_count)
        [ "${c:-0}" -ge "$target" ] && return 0
        if [ "$c" = "$prev" ]; then same=$((same + 1)); else same=0; fi
        prev=$c
        [ "$same" -ge $((IDLE_S * 5)) ] && { log "sink stopped at $c of $target"; return 0; }
        [ $(($(now_ms) - t0)) -gt $((DRAIN_MAX_S * 1000)) ] && { log "still draining after ${DRAIN_MAX_S}s"; return 0; }
        herald_alive
        sleep 0.2
    done
}

# ------------------------------------------------------------------ load
# run_wrk LUA SECONDS_OR_DURATION OUT [RUN]: wrk with the Lua script against Herald; RUN (1 warm-up, 2 measured)
# is handed to the script so that every run sends to other recipients. Summary line "RESULT ..." in OUT.
run_wrk() {
    local d=$2
    [[ "$d" =~ [a-z]$ ]] || d=${d}s
    LUA_DIR=$BENCH/wrk RUN=${4:-2} AUTH_B64=$(printf "api:%s" "$KEY" | base64 -w0) API_KEY=$KEY API_SECRET=${SECRET:-} CODE=${CODE:-} \
        wrk -t"$THREADS" -c"$CONNS" -d"$d" --timeout 30s -s "$BENCH/wrk/$1" "$BASE" >"$3" 2>&1 || true
}

# warm_up LUA: WARMUP seconds of the load, then waits until the sink has every accepted message, resets the sink
warm_up() {
    [ "$WARMUP" -gt 0 ] 2>/dev/null || return 0
    log "warm-up: ${WARMUP}s of the same load"
    metrics "$WORK/w0.prom"
    run_wrk "$1" "$WARMUP" "$WORK/wrk-warmup.out" 1
    grep -q '^RESULT' "$WORK/wrk-warmup.out" || { cat "$WORK/wrk-warmup.out" >&2; die "warm-up: no wrk summary"; }
    metrics "$WORK/w1.prom"
    local acc
    acc=$(( $(metric0 "$WORK/w1.prom" herald_messages_accepted_total) - $(metric0 "$WORK/w0.prom" herald_messages_accepted_total) ))
    wait_sink "$acc"
    log "warm-up: $(grep '^RESULT' "$WORK/wrk-warmup.out" | cut -c8-); sink $(sink_count) of $acc accepted"
    sleep 1
}

# measure LUA [HOOK]: the measured load and its drain. Sets T0 T_END DURING_COUNT TOTAL FIRST_MS LAST_MS CPU_LOAD CPU_ALL BOX_BUSY
measure() {
    sink_reset
    metrics "$WORK/before.prom"
    local c0 c1 c2
    log "load: wrk -t$THREADS -c$CONNS -d$DURATION"
    local s0 s1
    s0=$(sys_ticks); c0=$(cpu_ticks "$HERALD_PID"); T0=$(now_ms)
    run_wrk "$1" "$DURATION" "$WORK/wrk.out" 2 &
    local wpid=$!; STARTED+=("$wpid")
    if [ -n "${2:-}" ]; then
        while kill -0 "$wpid" 2>/dev/null; do
            "$2"   # HOOK: called about every 0.1 s during the load (soak.sh samples the heap)
            sleep 0.1
        done
    fi
    wait "$wpid" 2>/dev/null || true; forget_pid "$wpid"
    T_END=$(now_ms); c1=$(cpu_ticks "$HERALD_PID"); s1=$(sys_ticks)
    # whole box busy over the load window, in cores (Herald + wrk + sink + whatever else runs on the box)
    BOX_BUSY=$(awk -v a="$s0" -v b="$s1" -v n="$(nproc)" 'BEGIN {split(a, x, " "); split(b, y, " ");
        printf "%.2f", (y[2] > x[2]) ? n * (y[1] - x[1]) / (y[2] - x[2]) : 0}')
    DURING_COUNT=$(sink_count)
    grep -q '^RESULT' "$WORK/wrk.out" || { cat "$WORK/wrk.out" >&2; die "no wrk summary"; }
    metrics "$WORK/mid.prom"
    local acc
    acc=$(( $(metric0 "$WORK/mid.prom" herald_messages_accepted_total) - $(metric0 "$WORK/before.prom" herald_messages_accepted_total) ))
    log "load ended; draining (target: $acc accepted)"
    # requests in flight when wrk stopped may still be stored after that reading: drain to the latest count
    local more
    while :; do
        wait_sink "$acc"
        sleep 0.5
        metrics "$WORK/mid.prom"
        more=$(( $(metric0 "$WORK/mid.prom" herald_messages_accepted_total) - $(metric0 "$WORK/before.prom" herald_messages_accepted_total) ))
        [ "$more" -le "$acc" ] || [ "$(sink_count)" -lt "$acc" ] && break
        acc=$more
    done
    c2=$(cpu_ticks "$HERALD_PID"); local t2; t2=$(now_ms)
    sleep 1   # let the last SENT updates land before reading the counters
    metrics "$WORK/after.prom"
    local js; js=$(sink_json)
    TOTAL=$(json_num count <<<"$js"); FIRST_MS=$(json_num first_ms <<<"$js"); LAST_MS=$(json_num last_ms <<<"$js")
    CPU_LOAD=$(cores "$c0" "$c1" "$T0" "$T_END")
    CPU_ALL=$(cores "$c0" "$c2" "$T0" "$t2")
}

# report TITLE: prints the figures of the last measure
report() {
    local line
    line=$(grep '^RESULT' "$WORK/wrk.out")
    python3 - "$1" "$line" "$T0" "$T_END" "$DURING_COUNT" "$TOTAL" "$LAST_MS" "$CPU_LOAD" "$CPU_ALL" \
        "$(delta herald_messages_accepted_total)" "$(delta herald_messages_sent_total)" \
        "$(delta herald_db_statements_total)" "$(delta herald_db_commits_total)" "$(nproc)" "$BOX_BUSY" <<'PY'
import sys
title, line = sys.argv[1], sys.argv[2]
t0, tend, during, total, last = (int(x or 0) for x in sys.argv[3:8])
cpu_load, cpu_all = sys.argv[8], sys.argv[9]
accepted, sent, stmts, commits, ncpu, box = sys.argv[10:16]
w = dict(kv.split("=", 1) for kv in line.split()[1:])
load_s = (tend - t0) / 1000
span_s = (last - t0) / 1000 if last > t0 else float("nan")
drain = max(0, (last - tend) / 1000) if last else float("nan")
def per(x):
    return f"{int(x) / total:.2f}" if x != "n/a" and total else "n/a"
print(f"== {title}")
print(f"accepted        {float(w['msgs_per_s']):,.0f} msg/s  ({w['msgs']} messages in {w['requests']} requests, "
      f"{float(w['duration_s']):.1f} s; {float(w['reqs_per_s']):,.0f} req/s)")
print(f"latency         p50 {float(w['p50_ms']):.1f} ms, p99 {float(w['p99_ms']):.1f} ms, max {float(w['max_ms']):.1f} ms")
print(f"not accepted    non-2xx answers {w['non2xx']} (by status: {w.get('non2xx_by_status', '-')}), 2xx with a non-ok body {w['bad_body']}, "
      f"refused messages in 2xx answers {w.get('refused', 0)}, socket errors {w['socket_errors']}")
print(f"delivered       {during / load_s:,.0f} msg/s during the load, {total / span_s:,.0f} msg/s end to end "
      f"(load start -> last arrival, {span_s:.1f} s); drain {drain:.1f} s after the load")
print(f"messages        stored (herald_messages_accepted_total) {accepted}, sent (herald_messages_sent_total) {sent}, "
      f"at the sink {total}; stored - at sink = {int(accepted) - total if accepted != 'n/a' else 'n/a'}")
print(f"database        {per(stmts)} SQL statements and {per(commits)} commits per delivered message "
      f"({stmts} statements, {commits} commits)")
print(f"Herald CPU      {cpu_load} cores during the load, {cpu_all} cores load start -> drained; "
      f"whole box busy {box} of {ncpu} cores during the load")
print(f"DATA accepted_per_s={float(w['msgs_per_s']):.0f} p50_ms={w['p50_ms']} p99_ms={w['p99_ms']} non2xx={w['non2xx']} "
      f"bad_body={w['bad_body']} during_per_s={during / load_s:.0f} e2e_per_s={total / span_s:.0f} drain_s={drain:.1f} "
      f"stored={accepted} sent={sent} sink={total} stmts_per_msg={per(stmts)} commits_per_msg={per(commits)} "
      f"cpu_load={cpu_load} cpu_all={cpu_all} box_busy={box}")
PY
}
