package io.herald.sms.smpp;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The binds of every smpp upstream of the routing table, kept in step with it ({@link #configure}: an upstream new or
 * changed is bound, one removed or changed is unbound), and their metrics per upstream: {@code herald_smpp_bound},
 * {@code herald_smpp_window_in_use}, {@code herald_smpp_submits_total}, {@code herald_smpp_throttles_total},
 * {@code herald_smpp_resends_total}.
 */
public final class SmppLinks extends ServiceSupport {
    private final CamelContext context;
    private final SmppBind.Options options;
    private final SmppLink.Pacing pacing;
    private final SmppDeliveries.Factory deliveries;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "smpp-binds");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, SmppLink> links = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new HashMap<>();

    SmppLinks(CamelContext context, SmppBind.Options options, SmppLink.Pacing pacing, SmppDeliveries.Factory deliveries) {
        this.context = context;
        this.options = options;
        this.pacing = pacing;
        this.deliveries = deliveries;
    }

    /** The smpp upstreams now configured (the whole list): binds what is new or changed, unbinds what went. */
    public synchronized void configure(List<SmppUpstream> upstreams) {
        Map<String, SmppUpstream> wanted = new HashMap<>();
        upstreams.forEach(u -> wanted.put(u.name(), u));
        for (String name : new ArrayList<>(links.keySet())) {
            if (!links.get(name).upstream.equals(wanted.get(name))) {
                remove(name);
            }
        }
        for (SmppUpstream upstream : upstreams) {
            if (!links.containsKey(upstream.name())) {
                SmppLink link = new SmppLink(upstream, deliveries.receiver(upstream.name(), scheduler), scheduler, options,
                        pacing);
                links.put(upstream.name(), link);
                meters.put(upstream.name(), register(upstream.name(), link));
                link.start();
            }
        }
    }

    /** The upstream's link, null when no smpp upstream has that name. */
    public SmppLink link(String upstream) {
        return links.get(upstream);
    }

    /** Whether an smpp upstream has a transmitting bind up (for failover and health). */
    public boolean bound(String upstream) {
        SmppLink link = links.get(upstream);
        return link != null && link.bound();
    }

    /** submit_sm sent to an smpp upstream and not yet answered (0 when no smpp upstream has that name). */
    public int windowInUse(String upstream) {
        SmppLink link = links.get(upstream);
        return link == null ? 0 : link.windowInUse();
    }

    private void remove(String name) {
        SmppLink link = links.remove(name);
        link.stop();
        MeterRegistry registry = registry();
        meters.remove(name).forEach(registry::remove);
    }

    private List<Meter> register(String name, SmppLink link) {
        MeterRegistry r = registry();
        return List.of(
                Gauge.builder("herald.smpp.bound", link, SmppLink::boundCount).tag("upstream", name)
                        .description("SMPP binds of the upstream that are up").register(r),
                Gauge.builder("herald.smpp.window.in.use", link, SmppLink::windowInUse).tag("upstream", name)
                        .description("submit_sm sent to the upstream and not yet answered").register(r),
                FunctionCounter.builder("herald.smpp.submits", link, SmppLink::submits).tag("upstream", name)
                        .description("submit_sm sent to the upstream (each part, each try)").register(r),
                FunctionCounter.builder("herald.smpp.throttles", link, SmppLink::throttles).tag("upstream", name)
                        .description("submit_sm the upstream answered ESME_RTHROTTLED or ESME_RMSGQFUL").register(r),
                FunctionCounter.builder("herald.smpp.resends", link, SmppLink::resends).tag("upstream", name)
                        .description("submit_sm sent again after the bind dropped or no submit_sm_resp came").register(r));
    }

    private MeterRegistry registry() {
        MeterRegistry r = context.getRegistry().findSingleByType(MeterRegistry.class);
        return r != null ? r : io.micrometer.core.instrument.Metrics.globalRegistry;
    }

    @Override
    protected synchronized void doStop() {
        new ArrayList<>(links.keySet()).forEach(this::remove);
        scheduler.shutdownNow();
    }
}
