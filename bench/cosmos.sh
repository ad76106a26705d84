#!/usr/bin/env bash
# COSMOS SMS throughput: POST /v1.0/sms/ (seed 003), one SMS per request, a different `to` every request, against the
# packaged jar (prod profile, H2 file database in a temp directory), delivered over HTTP to Kannel's provider sink
# (../shared/bench/kannel/Sink.java) with a live key: the same sink and load shape as the Kannel baseline.
#
#   bench/cosmos.sh        env: the knobs of bench/lib.sh (WARMUP=30, DURATION=20s, THREADS=2, CONNS=32, PORT, HEAP,
#                          DB_URL.., QUEUE=kafka KAFKA=..), SINK_PORT=18581,
#                          KANNEL=1: then, back to back, ../shared/bench/kannel/run.sh with REPEATS=1 and the same
#                          DURATION (its sink on 18080; KANNEL_SINK_CEILING=1 first measures the sink, which also warms
#                          it up, default 1) and the ratio Herald end to end / Kannel end to end
source "$(dirname "$0")/lib.sh"
SINK_PORT=${SINK_PORT:-18581}

sink_start sms "$SINK_PORT"
herald_start -Dherald.sms.provider.url="http://127.0.0.1:$SINK_PORT/v1.0/sms/" \
    -Dherald.sms.provider.api-key=bench -Dherald.sms.provider.api-secret=bench
make_account cosmos-bench
warm_up cosmos.lua
measure cosmos.lua
report "Herald COSMOS /v1.0/sms/, 1 SMS per request, wrk -t$THREADS -c$CONNS -d$DURATION (warm-up ${WARMUP}s) -> Sink.java" \
    | tee "$WORK/report.txt"

if [ "${KANNEL:-0}" = 1 ]; then
    herald_stop
    sink_stop
    log "Kannel baseline, back to back: run.sh REPEATS=1 DURATION=$DURATION"
    mkdir -p "$WORK/kannel"
    REPEATS=1 DURATION=$DURATION THREADS=$THREADS CONNS=$CONNS SINK_CEILING=${KANNEL_SINK_CEILING:-1} \
        WORK=$WORK/kannel "$SHARED/kannel/run.sh" 2>"$WORK/kannel/run.err" | tee "$WORK/kannel.out" \
        || { tail -20 "$WORK/kannel/run.err" >&2; die "Kannel run failed"; }
    herald_e2e=$(sed -n 's/^DATA .* e2e_per_s=\([0-9]*\) .*/\1/p' "$WORK/report.txt")
    kannel_e2e=$(awk '{print $5}' "$WORK/kannel/data.txt" | head -1)
    python3 -c "import sys; h, k = float(sys.argv[1]), float(sys.argv[2]); print(f'ratio Herald / Kannel end to end: {h:,.0f} / {k:,.0f} = {h / k:.2f}')" \
        "$herald_e2e" "$kannel_e2e"
fi
