#!/usr/bin/env bash
# Memory soak: COSMOS POST /v1.0/sms/ at a fixed modest rate for MINUTES into Kannel's provider sink, against the
# packaged jar (prod profile, H2 file database in a temp directory). Every SAMPLE_S seconds (a minute) it forces a
# full GC (jmap -histo:live) and prints Herald's live heap; at the end the series and the change from the 2nd sample
# (minute 2) to the last in %, and the usual throughput figures of the whole soak.
# The rate is paced by the wrk script (wrk2 is not available): each wrk thread hands its requests evenly spaced slots
# (RATE / THREADS per second), so the load is at most RATE, and RATE while CONNS connections keep up (CONNS / latency
# above RATE); the achieved rate is printed. Keep RATE well below the box's ceiling (bench/cosmos.sh), else this is
# a saturation run.
#
#   bench/soak.sh          env: MINUTES=15, RATE=100 (requests = SMS per second; about half of what cosmos.sh
#                          measured on the 2-core box), CONNS=16, THREADS=2, SAMPLE_S=60,
#                          WARMUP=30, HEAP=1g, SINK_PORT=18581, and the other knobs of bench/lib.sh (PORT, DB_URL..,
#                          QUEUE=kafka KAFKA=..)
: "${CONNS:=16}"
MINUTES=${MINUTES:-15}
DURATION=$((MINUTES * 60))s
source "$(dirname "$0")/lib.sh"
SINK_PORT=${SINK_PORT:-18581}
RATE=${RATE:-100}
SAMPLE_S=${SAMPLE_S:-60}
export RATE THREADS
command -v jmap >/dev/null || die "jmap (a JDK) is needed"

sink_start sms "$SINK_PORT"
herald_start -Dherald.sms.provider.url="http://127.0.0.1:$SINK_PORT/v1.0/sms/" \
    -Dherald.sms.provider.api-key=bench -Dherald.sms.provider.api-secret=bench
make_account soak-bench
warm_up cosmos.lua

: >"$WORK/live.txt"
NEXT_SAMPLE=
sample_heap() {
    local t; t=$(now_ms)
    [ -z "$NEXT_SAMPLE" ] && { NEXT_SAMPLE=$((t + SAMPLE_S * 1000)); return; }
    [ "$t" -lt "$NEXT_SAMPLE" ] && return
    NEXT_SAMPLE=$((NEXT_SAMPLE + SAMPLE_S * 1000))
    local live k
    live=$(jmap -histo:live "$HERALD_PID" 2>/dev/null | tail -1 | awk '{print $3}')
    k=$(($(wc -l <"$WORK/live.txt") + 1))
    echo "$k $live $(sink_count)" >>"$WORK/live.txt"
    log "sample $k ($((k * SAMPLE_S)) s): live heap $(awk -v b="${live:-0}" 'BEGIN {printf "%.1f", b / 1048576}') MB, sink $(sink_count)"
}
log "soak: ${MINUTES} min at up to $RATE SMS/s ($CONNS connections), live heap every ${SAMPLE_S}s"
measure cosmos.lua sample_heap
report "Herald COSMOS soak, $MINUTES min at up to $RATE SMS/s (wrk -t$THREADS -c$CONNS, paced) -> Sink.java"
python3 - "$WORK/live.txt" "$SAMPLE_S" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if len(l.split()) >= 2]
step = int(sys.argv[2])
series = [(int(r[0]), int(r[1])) for r in rows]
print("live heap       " + ", ".join(f"{k * step // 60 if step % 60 == 0 else k * step}{'m' if step % 60 == 0 else 's'} "
                                     f"{b / 1048576:.1f}" for k, b in series) + " MB (after a forced full GC)")
if len(series) >= 3:
    a, b = series[1][1], series[-1][1]
    print(f"live heap change from sample 2 to the last: {a / 1048576:.1f} -> {b / 1048576:.1f} MB, {100 * (b - a) / a:+.1f} %")
else:
    print("live heap change: n/a (fewer than 3 samples)")
PY
