#!/usr/bin/env bash
# Email throughput: CO-SENDER POST /v1/messages (seed 001), 10 emails per request for an active EMAIL campaign (text +
# html), every recipient different, against the packaged jar (prod profile, H2 file database in a temp directory),
# delivered over SMTP to ../shared/bench/email/SmtpSink.java; then, back to back on the same sink with Herald
# stopped, the anchor: RawJakartaMail.java --mode reuse (Jakarta Mail, one reused connection per thread, with the
# stream-provider property) on Herald's own jars (target/lib), and the ratio Herald end to end / anchor.
#
#   bench/email.sh         env: the knobs of bench/lib.sh (WARMUP=30, DURATION=20s, THREADS=2, CONNS=32, PORT, HEAP,
#                          DB_URL.., QUEUE=kafka KAFKA=..), SMTP_PORT=19125 (control port SMTP_PORT+1),
#                          PER_REQUEST=10, ANCHOR=0 skips the anchor, ANCHOR_N=50000 mails (plus N/10 warm-up),
#                          ANCHOR_THREADS=8
source "$(dirname "$0")/lib.sh"
SMTP_PORT=${SMTP_PORT:-19125}
export CHANNEL=EMAIL PER_REQUEST=${PER_REQUEST:-10}

sink_start smtp "$SMTP_PORT"
herald_start -Dherald.smtp.host=127.0.0.1 -Dherald.smtp.port="$SMTP_PORT"
make_account email-bench
make_campaign '{"name":"bench-email","channel":"EMAIL","from":"shop@example.com","subject":"Your order %recipient.order% has shipped",
  "text":"Hello %recipient.name%,\n\nyour order #%recipient.order% has shipped and is on its way. Delivery usually takes two to three working days.\n\nThe Example Shop team\n",
  "html":"<p>Hello %recipient.name%,</p><p>your order #%recipient.order% has shipped and is on its way. Delivery usually takes two to three working days.</p><p>The Example Shop team</p>"}'
warm_up cosender.lua
measure cosender.lua
report "Herald CO-SENDER /v1/messages, $PER_REQUEST emails per request, wrk -t$THREADS -c$CONNS -d$DURATION (warm-up ${WARMUP}s) -> SmtpSink.java" \
    | tee "$WORK/report.txt"

if [ "${ANCHOR:-1}" = 1 ]; then
    herald_stop
    sink_reset
    log "anchor, back to back: RawJakartaMail --mode reuse --n ${ANCHOR_N:-50000} --threads ${ANCHOR_THREADS:-8}"
    java -Djakarta.mail.util.StreamProvider=org.eclipse.angus.mail.util.MailStreamProvider -cp "$ROOT/target/lib/*" \
        "$SHARED/email/RawJakartaMail.java" --host 127.0.0.1 --port "$SMTP_PORT" --mode reuse \
        --n "${ANCHOR_N:-50000}" --threads "${ANCHOR_THREADS:-8}" >"$WORK/anchor.out" 2>&1 \
        || { tail -20 "$WORK/anchor.out" >&2; die "anchor failed"; }
    anchor=$(grep '^RESULT' "$WORK/anchor.out")
    echo "anchor          $anchor (sink counted $(sink_count), warm-up included)"
    herald_e2e=$(sed -n 's/^DATA .* e2e_per_s=\([0-9]*\) .*/\1/p' "$WORK/report.txt")
    anchor_rate=$(sed -n 's/.*msgs_per_s=\([0-9.]*\).*/\1/p' <<<"$anchor")
    python3 -c "import sys; h, a = float(sys.argv[1]), float(sys.argv[2]); print(f'ratio Herald end to end / Jakarta Mail reuse: {h:,.0f} / {a:,.0f} = {h / a:.2f}')" \
        "$herald_e2e" "$anchor_rate"
fi
