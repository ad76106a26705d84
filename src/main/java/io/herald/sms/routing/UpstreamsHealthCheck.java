package io.herald.sms.routing;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.List;
import java.util.Map;

/**
 * Readiness of the SMS upstreams (not liveness: a restart brings no upstream back): up while any upstream of the table
 * in force is available (its circuit not open), with {@code degraded} when some are not; down when none is. Details
 * give each upstream's circuit ({@code upstream.<name>}: CLOSED, HALF_OPEN, OPEN).
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
        List<String> available = router.available();
        for (String name : table.upstreams().keySet()) {
            builder.detail("upstream." + name, table.guarded() ? router.breakers().state(name).name() : "CLOSED");
        }
        builder.detail("available", available.size() + " of " + table.upstreams().size());
        if (available.isEmpty()) {
            builder.down().message("no SMS upstream is available: every circuit is open");
        } else if (available.size() < table.upstreams().size()) {
            builder.detail("degraded", true).up().message("degraded: some SMS upstreams are down; SMS go to the others");
        } else {
            builder.up();
        }
    }
}
