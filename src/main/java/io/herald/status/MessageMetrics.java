package io.herald.status;

import io.herald.store.Channel;
import io.herald.store.GroupCommit;
import io.herald.store.StatementCounter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * Per-channel counters of accepted, sent, delivered and failed messages, and of messages stored out of the Messaging
 * API's spool, published at /observe/metrics.
 */
public class MessageMetrics {
    private final CamelContext context;
    private volatile MeterRegistry registry;

    public MessageMetrics(CamelContext context) {
        this.context = context;
    }

    public void accepted(Channel channel, int count) {
        increment("herald.messages.accepted", channel, count);
    }

    /** Spooled messages stored as messages (after their call was answered; accepted counts them at the answer). */
    public void unspooled(Channel channel, int count) {
        increment("herald.spool.stored", channel, count);
    }

    /** A spooled batch whose storing failed (it stays spooled and is tried again): a failure an operator should see. */
    public void spoolFailed() {
        registry().counter("herald.spool.failures").increment();
    }

    /** A batch of CRM records that the CRM endpoint did not take (sent again once their claim runs out). */
    public void crmFailed() {
        registry().counter("herald.crm.failures").increment();
    }

    /** A provider webhook post refused for a missing or wrong token: {@code herald_webhook_rejected_total{endpoint}}. */
    public void webhookRejected(String endpoint) {
        registry().counter("herald.webhook.rejected", "endpoint", endpoint).increment();
    }

    public void sent(Channel channel) {
        increment("herald.messages.sent", channel, 1);
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

    private void increment(String name, Channel channel, int count) {
        if (count > 0) {
            registry().counter(name, "channel", channel.name()).increment(count);
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
