package io.herald.sms.routing;

import io.herald.sms.smpp.SmppLinks;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Readiness of the SMS upstreams (not liveness: a restart brings no upstream back): up while any upstream of the table
 * in force is available, with {@code degraded} when some are not; down when none is. An upstream is available when its
 * circuit is not open and, for an smpp upstream, a bind of it is up. Details give each upstream's circuit
 * ({@code upstream.<name>}: CLOSED, HALF_OPEN, OPEN) and, for smpp upstreams, {@code upstream.<name>.bound},
 * {@code .window-in-use} (submit_sm awaiting their answer), {@code .window} and {@code .tps} (the table's settings).
 */
public class UpstreamsHealthCheck extends AbstractHealthCheck {
    private final SmsRouter router;

    public UpstreamsHealthCheck(SmsRouter router) {
        super("herald", "sms-upstreams");
        this.router = router;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        RoutingTable table = router.table();
        SmppLinks links = getCamelContext() == null ? null
                : getCamelContext().getRegistry().lookupByNameAndType("smppLinks", SmppLinks.class);
        List<String> available = new ArrayList<>(router.available());
        for (Upstream upstream : table.upstreams().values()) {
            String name = upstream.name();
            builder.detail("upstream." + name, table.guarded() ? router.breakers().state(name).name() : "CLOSED");
            if (upstream.kind() == Upstream.Kind.SMPP) {
                boolean bound = links != null && links.bound(name);
                builder.detail("upstream." + name + ".bound", bound);
                builder.detail("upstream." + name + ".window-in-use", links == null ? 0 : links.windowInUse(name));
                builder.detail("upstream." + name + ".window", upstream.window());
                builder.detail("upstream." + name + ".tps", upstream.tps());
                if (!bound) {
                    available.remove(name);
                }
            }
        }
        builder.detail("available", available.size() + " of " + table.upstreams().size());
        if (available.isEmpty()) {
            builder.down().message("no SMS upstream is available: every circuit is open or every bind down");
        } else if (available.size() < table.upstreams().size()) {
            builder.detail("degraded", true).up().message("degraded: some SMS upstreams are down; SMS go to the others");
        } else {
            builder.up();
        }
    }
}
