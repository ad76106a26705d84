#!/usr/bin/env bash
# SMS over SMPP: COSMOS POST /v1.0/sms/ (one SMS per request, a different `to` every request, bench/wrk/cosmos.lua)
# -> Herald (packaged jar, prod profile, H2 file database) -> one transceiver bind -> the SMPP simulator
# (io.herald.tools.SmppSimulator from the same jar, no receipts), with window 10 and then 100; then, back to back,
# Kannel (Debian's bearerbox + smsbox, /cgi-bin/sendsms driven by ../shared/bench/kannel/sendsms.lua) through an
# `smsc = smpp` group to the same simulator, max-pending-submits 10 and 100. Prints each end-to-end figure (SMS/s from
# the load's start to the last submit_sm the simulator answered) and the ratio Herald / Kannel per window.
#
#   bench/smpp.sh          env: the knobs of bench/lib.sh (WARMUP=30, DURATION=20s, THREADS=2, CONNS=32, PORT, HEAP),
#                          WINDOWS="10 100", SMPP_PORT=18775 (the simulator), SIM_CTL_PORT=18776 (its /count),
#                          KANNEL=1 (0: Herald only), HERALD_RUNS=1 (0: Kannel only)
source "$(dirname "$0")/lib.sh"
SMPP_PORT=${SMPP_PORT:-18775}
SIM_CTL_PORT=${SIM_CTL_PORT:-18776}
WINDOWS=${WINDOWS:-10 100}
KANNEL_ADMIN=http://127.0.0.1:14000
KANNEL_SENDSMS=http://127.0.0.1:14013
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -B package -DskipTests) || die "no $JAR"

# the simulator plays the sink of lib.sh: GET /count and /reset on its control port
port_free "$SMPP_PORT" && port_free "$SIM_CTL_PORT" || die "port $SMPP_PORT or $SIM_CTL_PORT in use"
java -cp "$JAR" io.herald.tools.SmppSimulator "$SMPP_PORT" -1 "$SIM_CTL_PORT" >"$WORK/simulator.out" 2>&1 &
SINK_PID=$!; STARTED+=("$SINK_PID")
SINK_CTL=http://127.0.0.1:$SIM_CTL_PORT
wait_http "$SINK_CTL/count" 60 "$SINK_PID" || die "simulator did not start (see $WORK/simulator.out)"
log "SMPP simulator on 127.0.0.1:$SMPP_PORT (pid $SINK_PID)"

declare -A HERALD KANNEL_E2E
for window in $([ "${HERALD_RUNS:-1}" = 1 ] && echo "$WINDOWS"); do
    cat >"$WORK/routing-$window.json" <<JSON
{"upstreams": [{"name": "sim", "kind": "smpp", "host": "127.0.0.1", "port": $SMPP_PORT, "systemId": "herald",
  "password": "bench", "bind": "transceiver", "window": $window, "tps": 0, "enquireLinkSeconds": 30}],
 "rules": [{"match": {}, "upstreams": ["sim"]}]}
JSON
    herald_start -Dherald.sms.routing-file="$WORK/routing-$window.json"
    make_account "smpp-bench-$window"
    warm_up cosmos.lua
    measure cosmos.lua
    report "Herald COSMOS /v1.0/sms/ -> SMPP (one bind, window $window), wrk -t$THREADS -c$CONNS -d$DURATION" \
        | tee "$WORK/report-$window.txt"
    HERALD[$window]=$(sed -n 's/^DATA .* e2e_per_s=\([0-9]*\) .*/\1/p' "$WORK/report-$window.txt")
    herald_stop
done

kannel_run() {   # kannel_run WINDOW: sets KANNEL_E2E[WINDOW]
    local window=$1 dir=$WORK/kannel-$1 bb sb i t0 js
    mkdir -p "$dir"
    sed -e "s#/tmp/kannel-bench#$dir#g" -e '/^# ---* the SMSC/,/^# ---* smsbox/d' "$SHARED/kannel/kannel.conf" >"$dir/kannel.conf"
    cat >>"$dir/kannel.conf" <<CONF

group = smsc
smsc = smpp
smsc-id = sim
host = 127.0.0.1
port = $SMPP_PORT
transceiver-mode = true
smsc-username = kannel
smsc-password = bench
system-type = ""
max-pending-submits = $window
enquire-link-interval = 30
CONF
    bearerbox -v 2 "$dir/kannel.conf" >"$dir/bearerbox.out" 2>&1 &
    bb=$!; STARTED+=("$bb")
    wait_http "$KANNEL_ADMIN/status.txt?password=bench" 20 || die "bearerbox did not start (see $dir)"
    smsbox -v 2 "$dir/kannel.conf" >"$dir/smsbox.out" 2>&1 &
    sb=$!; STARTED+=("$sb")
    for ((i = 0; i < 300; i++)); do   # the SMPP bind online and smsbox's sendsms port open
        curl -s "$KANNEL_ADMIN/status.txt?password=bench" | grep -q 'sim\[sim\].*online' \
            && curl -s -o /dev/null "$KANNEL_SENDSMS/" && break
        sleep 0.2
    done
    if [ "$WARMUP" -gt 0 ] 2>/dev/null; then
        wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$SHARED/kannel/sendsms.lua" "$KANNEL_SENDSMS" \
            >"$dir/wrk-warmup.out" 2>&1 || true
    fi
    sleep 3; sink_reset
    t0=$(now_ms)
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s "$SHARED/kannel/sendsms.lua" "$KANNEL_SENDSMS" >"$dir/wrk.out" 2>&1 || true
    local prev=-1 c same=0
    while :; do   # drained: the count did not grow for IDLE_S seconds
        c=$(sink_count); [ "$c" = "$prev" ] && same=$((same + 1)) || same=0; prev=$c
        [ "$same" -ge $((IDLE_S * 5)) ] && break; sleep 0.2
    done
    js=$(sink_json)
    KANNEL_E2E[$window]=$(python3 -c "import sys; c, last, t0 = map(int, sys.argv[1:]); print(round(c / ((last - t0) / 1000)))" \
        "$(json_num count <<<"$js")" "$(json_num last_ms <<<"$js")" "$t0")
    log "Kannel smpp, max-pending-submits $window: $(json_num count <<<"$js") SMS, ${KANNEL_E2E[$window]} SMS/s end to end"
    stop_pid "$sb"; forget_pid "$sb"; stop_pid "$bb"; forget_pid "$bb"
}

if [ "${KANNEL:-1}" = 1 ]; then
    ensure_cmd bearerbox kannel
    for window in $WINDOWS; do kannel_run "$window"; done
fi
for window in $WINDOWS; do
    k=${KANNEL_E2E[$window]:-}
    echo "window $window: Herald ${HERALD[$window]:-n/a} SMS/s end to end$([ -n "$k" ] && [ -n "${HERALD[$window]:-}" ] && python3 -c "import sys; h, k = map(float, sys.argv[1:]); print(f', Kannel {k:,.0f} SMS/s, ratio Herald / Kannel {h / k:.2f}')" "${HERALD[$window]:-}" "$k")"
done | tee "$WORK/ratio.txt"
