package io.herald.observe;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.herald.Core;
import io.herald.status.MessageMetrics;
import io.herald.store.MessageStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaComponent;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Observability (docs/observability.md): the log format ({@code herald.log.format}), the request log, and the
 * metrics Herald adds to camel-micrometer's at {@code /observe/metrics} once the context has started (when
 * camel-main has made the Prometheus registry): the connection pool's (HikariCP), the backlog gauges, the in-memory
 * queues' depths and Herald's per-channel counters at zero. The JVM binders are camel-micrometer's
 * ({@code camel.metrics.binders}).
 */
public final class ObserveModule {
    private ObserveModule() {
    }

    public static void bind(Core core, HikariDataSource pool) throws Exception {
        LogFormat.apply(core.settings().text("herald.log.format"));
        MessageMetrics metrics = core.metrics();
        Backlog backlog = new Backlog(core.jdbc(), core.settings().duration("herald.metrics.backlog-refresh"));
        CamelContext context = core.context();
        context.addStartupListener(new RequestLog(metrics));
        AtomicBoolean registered = new AtomicBoolean();
        // once: starting a route later (a test's, an operator's) calls the startup listeners again
        context.addStartupListener((started, alreadyStarted) -> {
            if (!registered.compareAndSet(false, true)) {
                return;
            }
            MeterRegistry registry = metrics.registry();
            pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
            metrics.registerAtZero();
            for (MessageStatus status : Backlog.WAITING) {
                Gauge.builder("herald.messages.waiting", backlog, b -> b.waiting(status)).tag("state", status.name())
                        .description("Messages not final, by state (SENT: waiting for a delivery report); read at most "
                                + "once per herald.metrics.backlog-refresh")
                        .register(registry);
            }
            Gauge.builder("herald.spool.waiting", backlog, Backlog::spooled)
                    .description("Messages of answered Messaging API dispatches still spooled (not yet stored as messages)")
                    .register(registry);
            queueDepths(started, registry);
        });
    }

    /** The in-memory (seda) queues: the embedded delivery queue, the callbacks queue, the wake-up signals. */
    private static void queueDepths(CamelContext context, MeterRegistry registry) {
        SedaComponent seda = context.hasComponent("seda") instanceof SedaComponent component ? component : null;
        if (seda == null) {
            return;
        }
        for (String key : seda.getQueues().keySet()) {
            String name = key.replaceFirst("^seda:(//)?", "");
            Gauge.builder("herald.queue.depth", seda, s -> {
                        var reference = s.getQueues().get(key);
                        return reference == null ? 0 : reference.getQueue().size();
                    }).tag("queue", name)
                    .description("Entries waiting in an in-memory queue (delivery: message ids for the delivery consumers)")
                    .register(registry);
        }
    }
}
