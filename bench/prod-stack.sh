#!/usr/bin/env bash
# The production stack on 127.0.0.1, without Docker: PostgreSQL (Debian's `postgresql` package, initdb into a temp
# directory, fsync and synchronous_commit on, pg_stat_statements) and a single-node KRaft Kafka 3.9.1 broker (a java
# process from the kafka_2.13 jars), then the load benchmarks against it (herald.queue=kafka, herald.db.url=PostgreSQL):
# each scenario on a fresh empty database and its own topic and consumer group, Herald's jar copied to a private
# directory first. After each scenario: what PostgreSQL saw (statements, commits, WAL fsyncs per message), the CPU of
# Kafka and PostgreSQL, and a graceful-stop check (Herald stopped with SIGTERM after the load: stop time against
# camel.main.shutdown-timeout, and every ERROR line of its log).
#
#   bench/prod-stack.sh    env: SCENARIOS="cosmos cosender" (bench/<name>.sh), WARMUP, DURATION and the other knobs of
#                          bench/lib.sh (passed through), PG_PORT=15432, KAFKA_PORT=19092 (controller on +1),
#                          PORT=18590 SINK_PORT=18591 (Herald, the sink: off the other benches' defaults),
#                          STOP_WAIT_S=30 (KILL Herald only after this), KAFKA_LIB=/tmp/prodstack-kafka/lib (the broker's
#                          jars, fetched once with mvn dependency:copy-dependencies), KEEP=1 (keep the work directories)
#
# Everything it starts (PostgreSQL, Kafka; the scenario scripts stop Herald and the sink themselves) is stopped by PID on
# exit, also on failure and Ctrl-C. Run as root on Debian (apt-get install postgresql if missing; initdb runs as postgres).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
SCENARIOS=${SCENARIOS:-cosmos cosender}
PG_PORT=${PG_PORT:-15432}
KAFKA_PORT=${KAFKA_PORT:-19092}
KAFKA_CTL_PORT=$((KAFKA_PORT + 1))
KAFKA_VERSION=3.9.1
KAFKA_CACHE=${KAFKA_CACHE:-/tmp/prodstack-kafka}
KAFKA_LIB=${KAFKA_LIB:-$KAFKA_CACHE/lib}
export PORT=${PORT:-18590} SINK_PORT=${SINK_PORT:-18591} STOP_WAIT_S=${STOP_WAIT_S:-30}
DB_NAME=herald
export DB_USER=herald DB_PASSWORD=bench-pg-password-0123456789
export DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/$DB_NAME
export QUEUE=kafka KAFKA=127.0.0.1:$KAFKA_PORT
SHUTDOWN_S=$(sed -n 's/^camel\.main\.shutdown-timeout *= *\([0-9]*\).*/\1/p' "$ROOT/application.properties" | head -1)
SHUTDOWN_S=${SHUTDOWN_S:-45}   # Camel's own default
HZ=$(getconf CLK_TCK)

WORK=$(mktemp -d -t prodstack-XXXXXX)
chmod 755 "$WORK"
PG_PID=
KAFKA_PID=

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }
port_free() { ! ss -ltn "sport = :$1" | grep -q LISTEN; }

# stop_by_pid PID SIGNAL SECONDS: SIGNAL, then KILL after SECONDS; works for processes that are not our children
stop_by_pid() {
    local pid=$1 i
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -"$2" "$pid" 2>/dev/null || true
    for ((i = 0; i < $3 * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "$pid still running $3 s after $2, killing"; kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    set +e
    [ -n "$KAFKA_PID" ] && { stop_by_pid "$KAFKA_PID" TERM 30; log "Kafka stopped (pid $KAFKA_PID)"; }
    # postmaster: SIGINT = fast shutdown (ends the sessions, checkpoint); it is not our child (pg_ctl started it)
    [ -n "$PG_PID" ] && { stop_by_pid "$PG_PID" INT 30; log "PostgreSQL stopped (pid $PG_PID)"; }
    KAFKA_PID=; PG_PID=
    if [ "${KEEP:-0}" = 1 ]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ Herald's jar, a private copy
copy_jar() {
    local src=$ROOT/target/herald.jar i
    [ -f "$src" ] || (cd "$ROOT" && mvn -q -B package -DskipTests) || die "no $src"
    mkdir -p "$WORK/jar"
    for ((i = 0; i < 10; i++)); do   # others rebuild target/ meanwhile: retry until the copy is a whole zip
        rm -rf "$WORK/jar/lib"
        cp "$src" "$WORK/jar/herald.jar" && cp -r "$ROOT/target/lib" "$WORK/jar/lib" \
            && python3 -m zipfile -t "$WORK/jar/herald.jar" >/dev/null 2>&1 && break
        sleep 5
    done
    [ "$i" -lt 10 ] || die "could not copy a complete $src"
    export JAR=$WORK/jar/herald.jar
    log "jar: $src ($(date -r "$src" '+%F %T'), $(ls "$WORK/jar/lib" | wc -l) libs) copied to $WORK/jar"
}

# ------------------------------------------------------------------ PostgreSQL
PG_BIN=
pg_find() { PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1); [ -x "$PG_BIN/initdb" ]; }
psql_su() { PGOPTIONS='-c client_min_messages=warning' psql -h "$WORK/pg" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAtX "$@"; }   # superuser over the socket

pg_start() {
    if ! pg_find; then
        [ "$(id -u)" = 0 ] || die "PostgreSQL is missing (Debian package postgresql)"
        log "installing postgresql"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } \
            || die "apt-get install postgresql failed"
        pg_find || die "no initdb after installing postgresql"
    fi
    port_free "$PG_PORT" || die "port $PG_PORT is in use (PG_PORT)"
    local data=$WORK/pg run=(runuser -u postgres --)
    [ "$(id -u)" = 0 ] || run=()
    mkdir -p "$data"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
    "${run[@]}" "$PG_BIN/initdb" -D "$data" -U postgres -E UTF8 --no-locale --auth-local=trust \
        --auth-host=scram-sha-256 >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
    local preload=
    [ -f "$("$PG_BIN/pg_config" --pkglibdir)/pg_stat_statements.so" ] && preload=pg_stat_statements
    cat >>"$data/postgresql.conf" <<EOF
# bench/prod-stack.sh
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$data'
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 100
shared_preload_libraries = '$preload'
EOF
    touch "$WORK/pg.log"; [ "$(id -u)" = 0 ] && chown postgres "$WORK/pg.log"
    "${run[@]}" "$PG_BIN/pg_ctl" -D "$data" -l "$WORK/pg.log" -w -t 60 start >/dev/null \
        || { tail -20 "$WORK/pg.log" >&2; die "PostgreSQL did not start"; }
    PG_PID=$(head -1 "$data/postmaster.pid")
    psql_su -d postgres -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'"
    PG_STATEMENTS=0
    if [ -n "$preload" ]; then psql_su -d postgres -c "CREATE EXTENSION pg_stat_statements" && PG_STATEMENTS=1; fi
    log "PostgreSQL $("$PG_BIN/pg_config" --version | awk '{print $2}') on 127.0.0.1:$PG_PORT (pid $PG_PID, data $data," \
        "fsync $(psql_su -d postgres -c 'SHOW fsync'), synchronous_commit $(psql_su -d postgres -c 'SHOW synchronous_commit')," \
        "pg_stat_statements $([ "$PG_STATEMENTS" = 1 ] && echo on || echo off))"
}

# pg_fresh_db: drops and creates the database, resets pg_stat_statements and the WAL counters
pg_fresh_db() {
    psql_su -d postgres -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
    psql_su -d postgres -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
    [ "$PG_STATEMENTS" = 1 ] && psql_su -d postgres -c "SELECT pg_stat_statements_reset()" >/dev/null
    psql_su -d postgres -c "SELECT pg_stat_reset_shared('wal')" >/dev/null
}

# cpu ticks of the postmaster and all its children, the ended ones included (cutime/cstime of the postmaster)
pg_ticks() {
    local t=0 p s f
    for p in "$PG_PID" $(cat /proc/"$PG_PID"/task/*/children 2>/dev/null); do
        s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
        s=${s##*) }; read -ra f <<<"$s"
        t=$((t + f[11] + f[12] + (p == PG_PID ? f[13] + f[14] : 0)))
    done
    echo "$t"
}
proc_ticks() { local s f; s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }; s=${s##*) }; read -ra f <<<"$s"; echo $((f[11] + f[12])); }

# ------------------------------------------------------------------ Kafka
kafka_jars() {
    [ -f "$KAFKA_LIB/kafka_2.13-$KAFKA_VERSION.jar" ] && [ -f "$KAFKA_LIB/.complete" ] && return 0
    log "fetching the kafka_2.13:$KAFKA_VERSION runtime jars into $KAFKA_LIB (mvn dependency:copy-dependencies)"
    mkdir -p "$KAFKA_CACHE"
    cat >"$KAFKA_CACHE/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.bench</groupId><artifactId>kafka-broker-jars</artifactId><version>1</version><packaging>pom</packaging>
  <!-- throwaway: only to copy the broker's runtime jars (bench/prod-stack.sh) -->
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
EOF
    rm -rf "$KAFKA_LIB"
    (cd "$KAFKA_CACHE" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIB" >"$KAFKA_CACHE/mvn.log" 2>&1) \
        || { tail -20 "$KAFKA_CACHE/mvn.log" >&2; die "mvn dependency:copy-dependencies of kafka_2.13:$KAFKA_VERSION failed"; }
    touch "$KAFKA_LIB/.complete"
}

kafka_start() {
    kafka_jars
    port_free "$KAFKA_PORT" && port_free "$KAFKA_CTL_PORT" || die "port $KAFKA_PORT or $KAFKA_CTL_PORT is in use (KAFKA_PORT)"
    local dir=$WORK/kafka cp="$KAFKA_LIB/*" id i
    mkdir -p "$dir"
    cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CTL_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CTL_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
    cat >"$dir/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
EOF
    id=$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    java -cp "$cp" -Dlog4j.configuration="file:$dir/log4j.properties" kafka.tools.StorageTool format -t "$id" \
        -c "$dir/server.properties" >"$WORK/kafka-format.log" 2>&1 || { cat "$WORK/kafka-format.log" >&2; die "kafka-storage format failed"; }
    java -Xms512m -Xmx512m -Djava.awt.headless=true -Dlog4j.configuration="file:$dir/log4j.properties" \
        -cp "$cp" kafka.Kafka "$dir/server.properties" >"$WORK/kafka.log" 2>&1 &
    KAFKA_PID=$!
    for ((i = 0; i < 900; i++)); do
        grep -q 'Kafka Server started' "$WORK/kafka.log" && ! port_free "$KAFKA_PORT" && break
        kill -0 "$KAFKA_PID" 2>/dev/null || { tail -30 "$WORK/kafka.log" >&2; die "Kafka exited"; }
        sleep 0.1
    done
    [ "$i" -lt 900 ] || { tail -30 "$WORK/kafka.log" >&2; die "Kafka not started after 90 s"; }
    log "Kafka $KAFKA_VERSION (KRaft, broker+controller) on 127.0.0.1:$KAFKA_PORT (pid $KAFKA_PID, cluster $id)"
}

# ------------------------------------------------------------------ a scenario
run_scenario() {
    local sc=$1 script=$BENCH/$1.sh hlog=$WORK/$1-herald.log rc=0 t0 t1 k0 k1 p0 p1
    [ -f "$script" ] || die "no $script"
    pg_fresh_db
    log "== $sc: bench/$sc.sh on PostgreSQL + Kafka (fresh database $DB_NAME, topic herald.delivery.$sc.$$)"
    t0=$(now_ms); k0=$(proc_ticks "$KAFKA_PID"); p0=$(pg_ticks)
    KEEP_LOG=$hlog JAVA_OPTS="${JAVA_OPTS:-} -Dherald.kafka.delivery.topic=herald.delivery.$sc.$$ -Dherald.kafka.delivery.group=herald-delivery-$sc-$$" \
        bash "$script" || rc=$?
    t1=$(now_ms); k1=$(proc_ticks "$KAFKA_PID"); p1=$(pg_ticks)
    kill -0 "$KAFKA_PID" 2>/dev/null || die "Kafka died during $sc (see $WORK/kafka.log)"
    kill -0 "$PG_PID" 2>/dev/null || die "PostgreSQL died during $sc (see $WORK/pg.log)"

    local msgs stmts calls_all commits rollbacks wal
    msgs=$(psql_su -d "$DB_NAME" -c "SELECT count(*) FROM message" 2>/dev/null || echo 0)
    read -r commits rollbacks < <(psql_su -d postgres -F ' ' -c "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = '$DB_NAME'")
    wal=$(psql_su -d postgres -F ' ' -c "SELECT wal_records, wal_write, wal_sync, pg_size_pretty(wal_bytes) FROM pg_stat_wal")
    echo "== $sc on PostgreSQL + Kafka: the whole scenario (set-up, warm-up, load, drain, stop), per message in the database"
    python3 - "$msgs" "$commits" "$rollbacks" "$wal" "$k0" "$k1" "$p0" "$p1" "$t0" "$t1" "$HZ" <<'PY'
import sys
msgs, commits, rollbacks = int(sys.argv[1] or 0), int(sys.argv[2] or 0), int(sys.argv[3] or 0)
wrec, wwrite, wsync, wbytes = sys.argv[4].split(" ", 3)
k0, k1, p0, p1, t0, t1, hz = (int(x) for x in sys.argv[5:12])
per = lambda x: f"{int(x) / msgs:.2f}" if msgs else "n/a"
print(f"postgres        {msgs} messages in the database; {per(commits)} transactions per message (pg_stat_database "
      f"xact_commit {commits}, read-only and autocommit ones included; {rollbacks} rollbacks); WAL: {per(wsync)} fsyncs and {per(wwrite)} writes per message "
      f"({wsync} fsyncs, {wwrite} writes, {wrec} records, {wbytes})")
ks, ps, wall = (k1 - k0) / hz, (p1 - p0) / hz, (t1 - t0) / 1000
print(f"engines CPU     Kafka {ks:.1f} s, PostgreSQL {ps:.1f} s (postmaster + backends) over the scenario's {wall:.0f} s; "
      + (f"per 1000 messages: Kafka {ks * 1000 / msgs:.2f} s, PostgreSQL {ps * 1000 / msgs:.2f} s" if msgs else ""))
PY
    if [ "$PG_STATEMENTS" = 1 ]; then
        read -r stmts calls_all < <(psql_su -d postgres -F ' ' -c "SELECT coalesce(sum(calls) FILTER (WHERE query !~* '^\s*(BEGIN|COMMIT|ROLLBACK|SET|SHOW)\y'), 0),
            coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$DB_NAME'")
        python3 -c "import sys; s, a, m = (int(x) for x in sys.argv[1:]); f = (lambda x: f'{x / m:.2f}' if m else 'n/a');
print(f'statements      {f(s)} SQL statements per message (pg_stat_statements, every statement in the database: {s}; {f(a)} with BEGIN/COMMIT/ROLLBACK/SET/SHOW, {a})')" \
            "$stmts" "$calls_all" "$msgs"
        echo "top statements  calls per message, rows per call, mean ms, statement"
        psql_su -d postgres -F $'\t' -c "SELECT round(calls::numeric / greatest($msgs, 1), 2), round(rows::numeric / greatest(calls, 1), 1),
            round(mean_exec_time::numeric, 3), left(regexp_replace(query, '\s+', ' ', 'g'), 110)
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$DB_NAME'
            ORDER BY calls DESC LIMIT 8" | sed 's/^/                /'
    fi

    # graceful stop: lib.sh (KEEP_LOG) stopped Herald with TERM first, on the scenario's exit, and timed it
    local stop_ms=-1 killed=0 exit=-1 errors
    [ -f "$hlog.stop" ] && eval "$(grep -E '^stop_ms=-?[0-9]+ killed=[01] exit=-?[0-9]+$' "$hlog.stop" | tr ' ' '\n' | sed 's/^/local /')"
    if [ "$stop_ms" -lt 0 ]; then
        echo "graceful stop   n/a: Herald was not running at the end of the scenario (exit $rc)"
    elif [ "$killed" = 1 ]; then
        echo "graceful stop   NO: still running ${STOP_WAIT_S} s after SIGTERM, killed (shutdown-timeout ${SHUTDOWN_S} s)"
    else
        echo "graceful stop   $(awk -v ms="$stop_ms" -v lim="$SHUTDOWN_S" 'BEGIN {printf "%s: %.1f s after SIGTERM (camel.main.shutdown-timeout %d s)", (ms <= lim * 1000) ? "yes" : "NO, over the timeout", ms / 1000, lim}'), exit status $exit"
    fi
    errors=$(grep -cE '^[0-9:.]+ +ERROR |Exception in thread' "$hlog" 2>/dev/null || true)
    echo "herald.log      ${errors:-0} ERROR lines, $(grep -cE '^[0-9:.]+ +WARN ' "$hlog" 2>/dev/null || true) WARN lines"
    # every ERROR line with the first line after it when that is not a log line (the exception)
    awk '/^[0-9:.]+ +ERROR |Exception in thread/ {print; n++; grab = 1; next}
         grab && !/^[0-9:.]+ +[A-Z]+ / {print "    " $0} {grab = 0}' "$hlog" 2>/dev/null | head -80 | sed 's/^/                /' || true
    [ "${errors:-0}" -gt 40 ] && echo "                (at most 80 lines shown)"
    grep -hoE 'Apache Camel [^ ]+ \([^)]*\) shutdown in .*' "$hlog" 2>/dev/null | tail -1 | sed 's/^/camel           /' || true
    echo "DATA-PROD scenario=$sc msgs_in_db=$msgs commits=$commits wal_fsyncs=$(awk '{print $3}' <<<"$wal") stmts=${stmts:-n/a} stop_ms=$stop_ms killed=$killed herald_exit=$exit errors=${errors:-0} bench_rc=$rc"
    [ "$rc" = 0 ] || { log "bench/$sc.sh failed (exit $rc)"; FAILED=1; }
    return 0
}

# ------------------------------------------------------------------ main
for sc in $SCENARIOS; do [ -f "$BENCH/$sc.sh" ] || die "unknown scenario $sc (no bench/$sc.sh)"; done
copy_jar
pg_start
kafka_start
FAILED=0
for sc in $SCENARIOS; do run_scenario "$sc"; done
exit "$FAILED"
