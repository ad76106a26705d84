#!/usr/bin/env bash
# CO-SENDER SMS throughput: POST /v1/messages (seed 001), 10 SMS per request for an active SMS campaign, every
# recipient different, against the packaged jar (prod profile, H2 file database in a temp directory), delivered over
# HTTP to Kannel's provider sink (../shared/bench/kannel/Sink.java) with a live key.
#
#   bench/cosender.sh      env: the knobs of bench/lib.sh (WARMUP=30, DURATION=20s, THREADS=2, CONNS=32, PORT, HEAP,
#                          DB_URL.., QUEUE=kafka KAFKA=..), SINK_PORT=18581, PER_REQUEST=10 (1..10)
source "$(dirname "$0")/lib.sh"
SINK_PORT=${SINK_PORT:-18581}
export CHANNEL=SMS PER_REQUEST=${PER_REQUEST:-10}

sink_start sms "$SINK_PORT"
herald_start -Dherald.sms.provider.url="http://127.0.0.1:$SINK_PORT/v1.0/sms/" \
    -Dherald.sms.provider.api-key=bench -Dherald.sms.provider.api-secret=bench
make_account cosender-bench
make_campaign '{"name":"bench-sms","channel":"SMS","from":"Herald","text":"Hello %recipient.name%, your order %recipient.order% has shipped."}'
warm_up cosender.lua
measure cosender.lua
report "Herald CO-SENDER /v1/messages, $PER_REQUEST SMS per request, wrk -t$THREADS -c$CONNS -d$DURATION (warm-up ${WARMUP}s) -> Sink.java"
