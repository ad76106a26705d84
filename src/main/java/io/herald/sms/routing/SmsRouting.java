package io.herald.sms.routing;

import io.herald.Core;
import io.herald.Settings;
import io.herald.api.Json;
import io.herald.delivery.NoAutomaticHttpRetries;
import io.herald.status.StatusRecorder;
import org.apache.camel.health.HealthCheckRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * SMS upstreams and routing (SPEC §6): the routing table in force (from herald.sms.routing-file, or without one the
 * single upstream of herald.sms.provider.*), the router of route deliver-sms and the upstreams' circuit breakers.
 * Binds {@code smsRouter}; the upstreams are announced to every {@link UpstreamsListener} as Camel starts.
 */
public final class SmsRouting {
    private SmsRouting() {
    }

    public static SmsRouter bind(Core core, StatusRecorder statusRecorder) throws Exception {
        Settings settings = core.settings();
        UpstreamBreakers breakers = new UpstreamBreakers(settings.integer("herald.sms.failover.failure-rate"),
                settings.integer("herald.sms.failover.minimum-calls"), settings.integer("herald.sms.failover.window"),
                settings.duration("herald.sms.failover.open-for"), settings.integer("herald.sms.failover.half-open-calls"),
                core.metrics());
        String options = "throwExceptionOnFailure=false&connectTimeout=" + settings.integer("herald.sms.provider.connect-timeout-ms")
                + "&responseTimeout=" + settings.integer("herald.sms.provider.response-timeout-ms")
                + "&connectionsPerRoute=" + settings.integer("herald.sms.provider.connections")
                + "&maxTotalConnections=" + settings.integer("herald.sms.provider.connections")
                + "&httpClientConfigurer=#class:" + NoAutomaticHttpRetries.class.getName();
        SmsRouter router = new SmsRouter(initial(settings), breakers, statusRecorder,
                upstream -> upstream.url() + (upstream.url().contains("?") ? "&" : "?") + options);
        core.context().getRegistry().bind("smsRouter", router);
        core.context().getRegistry().bind("smsRoutingApi", new SmsRoutingApi(router));
        HealthCheckRegistry health = HealthCheckRegistry.get(core.context());
        if (health != null) {
            health.register(new UpstreamsHealthCheck(router));
        }
        core.context().addStartupListener((context, alreadyStarted) -> router.announce(context));
        return router;
    }

    /**
     * The table of herald.sms.routing-file; without one, every SMS to the provider of herald.sms.provider.url, or the
     * sandbox when that is unset. A file that cannot be read or is not a valid table stops the start, naming the fault.
     */
    private static RoutingTable initial(Settings settings) {
        String file = settings.get("herald.sms.routing-file").orElse(null);
        if (file != null) {
            try {
                return RoutingTableReader.read(Json.MAPPER.readTree(Files.readString(Path.of(file))), null);
            } catch (IOException e) {
                throw new IllegalStateException("herald.sms.routing-file " + file + " cannot be read as JSON: " + e.getMessage(), e);
            } catch (RoutingTableReader.InvalidTable e) {
                throw new IllegalStateException("herald.sms.routing-file " + file + " is not a valid routing table: "
                        + e.getMessage(), e);
            }
        }
        String url = settings.get("herald.sms.provider.url").orElse(null);
        return RoutingTable.single(url == null ? Upstream.sandbox(RoutingTable.DEFAULT_UPSTREAM)
                : Upstream.http(RoutingTable.DEFAULT_UPSTREAM, url, settings.text("herald.sms.provider.api-key"),
                settings.text("herald.sms.provider.api-secret")));
    }
}
