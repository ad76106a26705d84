package io.herald.status;

import io.herald.store.Channel;
import io.herald.store.GroupCommit;
import io.herald.store.StatementCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Per-channel counters of accepted, sent, delivered and failed messages, and of messages stored out of the Messaging
 * API's spool, published at /observe/metrics, each with its HELP text; and the histograms of the time from a send
 * request's arrival to its answer and from a message's acceptance to its hand-over to the relay or provider
 * (docs/observability.md).
 */
public class MessageMetrics {
    private final CamelContext context;
    private volatile MeterRegistry registry;

    /**
     * Histogram buckets (seconds) of both latencies, for Prometheus' {@code histogram_quantile}: an accept is answered
     * in milliseconds, a hand-over may wait for a backlog or a retry, minutes.
     */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(30)};

    public MessageMetrics(CamelContext context) {
        this.context = context;
    }

    /** The per-channel counters and their HELP texts. */
    private static final Map<String, String> CHANNEL_COUNTERS = Map.of(
            "herald.messages.accepted", "Messages accepted (answered with an id), by channel",
            "herald.spool.stored", "Messages of a spooled Messaging API dispatch stored as messages after its answer",
            "herald.messages.sent", "Messages handed to the SMTP relay or SMS provider (or the sandbox), by channel",
            "herald.messages.delivered", "Messages delivered (a delivery report; the relay's acceptance for email)",
            "herald.messages.not_delivered", "Messages the provider reported not delivered, by channel",
            "herald.messages.failed", "Messages that failed for good (refused, or retries given up), by channel");

    public void accepted(Channel channel, int count) {
        increment("herald.messages.accepted", channel, count);
    }

    /** Spooled messages stored as messages (after their call was answered; accepted counts them at the answer). */
    public void unspooled(Channel channel, int count) {
        increment("herald.spool.stored", channel, count);
    }

    /** A spooled batch whose storing failed (it stays spooled and is tried again): a failure an operator should see. */
    public void spoolFailed() {
        spoolFailures().increment();
    }

    private Counter spoolFailures() {
        return Counter.builder("herald.spool.failures").description("Spooled batches whose storing failed (tried again)")
                .register(registry());
    }

    /** A batch of CRM records that the CRM endpoint did not take (sent again once their claim runs out). */
    public void crmFailed() {
        crmFailures().increment();
    }

    private Counter crmFailures() {
        return Counter.builder("herald.crm.failures")
                .description("Batches of CRM records the CRM endpoint did not take (sent again)").register(registry());
    }

    /** A provider webhook post refused for a missing or wrong token: {@code herald_webhook_rejected_total{endpoint}}. */
    public void webhookRejected(String endpoint) {
        webhookRejections(endpoint).increment();
    }

    private Counter webhookRejections(String endpoint) {
        return Counter.builder("herald.webhook.rejected").description("Provider webhook posts refused for a missing or wrong token")
                .tag("endpoint", endpoint).register(registry());
    }

    /**
     * Handed to the relay or provider (or recorded by the sandbox): counted, and the time since the message was accepted
     * (its id is a version-7 UUID, which holds its creation time) goes to {@code herald_delivery_handover_seconds}.
     */
    public void sent(Channel channel, String messageId) {
        increment("herald.messages.sent", channel, 1);
        long acceptedAt = acceptedAt(messageId);
        if (acceptedAt > 0) {
            Timer.builder("herald.delivery.handover")
                    .description("Time from a message's acceptance to its hand-over to the relay or provider, by channel")
                    .tag("channel", channel.name()).serviceLevelObjectives(BUCKETS).register(registry())
                    .record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - acceptedAt)));
        }
    }

    /** A send request answered (any dialect): the time from its arrival to its answer, by dialect and outcome. */
    public void acceptLatency(String dialect, int status, long nanos) {
        Timer.builder("herald.accept.latency")
                .description("Time from a send request's arrival to its answer, by dialect and HTTP status class")
                .tag("dialect", dialect).tag("status", (status / 100) + "xx").serviceLevelObjectives(BUCKETS)
                .register(registry()).record(Duration.ofNanos(nanos));
    }

    /** An HTTP request answered: {@code herald_http_server_requests_seconds{method,route,status}}. */
    public void httpRequest(String method, String route, int status, long nanos) {
        Timer.builder("herald.http.server.requests")
                .description("HTTP requests answered, by method, route (the path template; other = no route) and status")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .serviceLevelObjectives(BUCKETS).register(registry()).record(Duration.ofNanos(nanos));
    }

    public void delivered(Channel channel) {
        increment("herald.messages.delivered", channel, 1);
    }

    public void notDelivered(Channel channel) {
        increment("herald.messages.not_delivered", channel, 1);
    }

    public void failed(Channel channel) {
        increment("herald.messages.failed", channel, 1);
    }

    /**
     * The counters at zero from the start, so that rates and the dashboard have a series before the first message
     * (and the failure counters before the first failure): per channel, and the provider webhooks' ({@code dlr},
     * {@code inbound}: status.camel.yaml, opt-out.camel.yaml).
     */
    public void registerAtZero() {
        for (Channel channel : Channel.values()) {
            CHANNEL_COUNTERS.keySet().forEach(name -> increment(name, channel, 0));
        }
        spoolFailures();
        crmFailures();
        webhookRejections("dlr");
        webhookRejections("inbound");
    }

    /** The creation time (epoch milliseconds) a version-7 UUID holds; 0 for any other id. */
    static long acceptedAt(String messageId) {
        try {
            UUID id = UUID.fromString(messageId);
            return id.version() == 7 ? id.getMostSignificantBits() >>> 16 : 0;
        } catch (IllegalArgumentException | NullPointerException e) {
            return 0;
        }
    }

    /** What Herald asks of its database: {@code herald_db_statements_total} and {@code herald_db_commits_total}. */
    public void database(StatementCounter counter, GroupCommit... writers) {
        MeterRegistry r = registry();
        for (GroupCommit writer : writers) {
            FunctionCounter.builder("herald.db.group.commits", writer, GroupCommit::batches).tag("writer", writer.name())
                    .description("Group commits (transactions of the writer)").register(r);
            FunctionCounter.builder("herald.db.group.units", writer, GroupCommit::units).tag("writer", writer.name())
                    .description("Units of work written by group commits (callers answered)").register(r);
        }
        FunctionCounter.builder("herald.db.statements", counter, StatementCounter::statements)
                .description("SQL statements executed (a JDBC batch counts once)").register(r);
        FunctionCounter.builder("herald.db.commits", counter, StatementCounter::commits)
                .description("Database commits (explicit, or a write in auto-commit mode)").register(r);
    }

    /** Registers the counter (at zero) if it is not yet, then adds the count. */
    private void increment(String name, Channel channel, int count) {
        Counter counter = Counter.builder(name).description(CHANNEL_COUNTERS.get(name)).tag("channel", channel.name())
                .register(registry());
        if (count > 0) {
            counter.increment(count);
        }
    }

    /** Looked up on first use: the Prometheus registry is created by camel-main after the beans are bound. */
    public MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            r = context.getRegistry().findSingleByType(MeterRegistry.class);
            registry = r = r != null ? r : new SimpleMeterRegistry();
        }
        return r;
    }
}
