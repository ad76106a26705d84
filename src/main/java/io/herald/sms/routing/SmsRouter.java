package io.herald.sms.routing;

import io.herald.delivery.DeliveryLoader;
import io.herald.delivery.PermanentDeliveryException;
import io.herald.delivery.TransientDeliveryException;
import io.herald.status.StatusRecorder;
import io.herald.store.StoredMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Chooses the upstream of each SMS from the routing table in force (SPEC §6) and moves it on to the next upstream of its
 * rule when one fails (route deliver-sms, delivery.camel.yaml). Every upstream sits behind its circuit breaker
 * ({@link UpstreamBreakers}): an upstream whose circuit is open is passed over; a transient failure counts against it
 * and the message goes to the next one; when none is left the failure goes to the delivery error handler, which
 * retries the message with backoff (from the first upstream again). The table is replaced whole ({@link #replace}),
 * for messages not yet handed to an upstream.
 */
public class SmsRouter {
    /** Exchange property: the name of the upstream chosen for the attempt (also the SMPP endpoint's path). */
    public static final String UPSTREAM = "heraldUpstream";
    /** Exchange property: that upstream's {@link Upstream}. */
    public static final String UPSTREAM_CONFIG = "heraldUpstreamConfig";
    /** Exchange property: that upstream's kind as the table spells it ({@code http}, {@code smpp}, {@code sandbox}). */
    public static final String UPSTREAM_KIND = "heraldUpstreamKind";
    /** Exchange property: an {@code http} upstream's endpoint URI (its URL with the endpoint's options). */
    public static final String UPSTREAM_ENDPOINT = "heraldUpstreamEndpoint";
    /** Header the {@code smpp} producer sets: the id under which the SMSC took the message (its first part's). */
    public static final String PROVIDER_MESSAGE_ID = "heraldProviderMessageId";
    /** Exchange property: true once an upstream took the message (ends the deliver-sms loop). */
    public static final String CARRIED = "heraldUpstreamCarried";
    private static final String PLAN = "heraldUpstreamPlan";
    private static final Logger LOG = LoggerFactory.getLogger(SmsRouter.class);

    private final UpstreamBreakers breakers;
    private final StatusRecorder statusRecorder;
    private final Function<Upstream, String> httpEndpoint;
    private volatile RoutingTable table;

    /** The upstreams left to try for one message, and the one being tried. */
    private static final class Plan {
        final List<Upstream> candidates;
        final boolean guarded;
        int next;
        Upstream current;
        long startNanos;

        Plan(RoutingTable table, List<Upstream> candidates) {
            this.candidates = candidates;
            this.guarded = table.guarded();
        }
    }

    /** {@code httpEndpoint}: the camel-http endpoint URI of an {@code http} upstream. */
    public SmsRouter(RoutingTable table, UpstreamBreakers breakers, StatusRecorder statusRecorder,
                     Function<Upstream, String> httpEndpoint) {
        this.table = table;
        this.httpEndpoint = httpEndpoint;
        this.breakers = breakers;
        this.statusRecorder = statusRecorder;
    }

    public RoutingTable table() {
        return table;
    }

    public UpstreamBreakers breakers() {
        return breakers;
    }

    /**
     * Puts {@code replacement} in force and tells every {@link UpstreamsListener} of the registry. Upstreams that left
     * the table or changed start again with a closed circuit.
     */
    public synchronized void replace(RoutingTable replacement, CamelContext context) {
        Set<String> gone = new HashSet<>();
        table.upstreams().forEach((name, old) -> {
            if (!old.equals(replacement.upstreams().get(name))) {
                gone.add(name);
            }
        });
        table = replacement;
        breakers.forget(gone);
        announce(context);
    }

    /**
     * Tells every {@link UpstreamsListener} bound in the registry the upstreams in force (at start, after a replace), and
     * makes the endpoints of the {@code http} upstreams, so that no message waits for that.
     */
    public void announce(CamelContext context) {
        List<Upstream> upstreams = List.copyOf(table.upstreams().values());
        for (Upstream upstream : upstreams) {
            if (upstream.kind() == Upstream.Kind.HTTP) {
                context.getEndpoint(httpEndpoint.apply(upstream));
            }
        }
        for (UpstreamsListener listener : context.getRegistry().findByType(UpstreamsListener.class)) {
            listener.upstreamsChanged(upstreams);
        }
    }

    /** The first attempt's upstream: the first available one of the message's rule. */
    public void plan(@ExchangeProperty(DeliveryLoader.MESSAGE) StoredMessage message, Exchange exchange) {
        RoutingTable routing = table;
        Plan plan = new Plan(routing, routing.candidates(message));
        exchange.setProperty(PLAN, plan);
        exchange.removeProperty(CARRIED);
        if (!advance(plan, exchange)) {
            throw new TransientDeliveryException("no SMS upstream available: " + String.join(", ",
                    plan.candidates.stream().map(Upstream::name).toList()) + " down");
        }
    }

    /**
     * After a failed attempt (the deliver-sms loop's doCatch): the failure counts against the upstream's circuit and the
     * message moves on to the next available upstream of its rule. A permanent refusal, or a failure with no upstream
     * left, is thrown again, for the delivery error handler (FAILED, or a retry with backoff).
     */
    public void failover(Exchange exchange) throws Exception {
        Plan plan = exchange.getProperty(PLAN, Plan.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String from = plan.current.name();
        if (ObjectHelper.getException(PermanentDeliveryException.class, cause) != null) {
            if (plan.guarded) {
                breakers.refused(from, plan.startNanos);
            }
            throw cause;
        }
        if (plan.guarded) {
            breakers.failed(from, plan.startNanos, cause);
        }
        if (!advance(plan, exchange)) {
            throw cause;
        }
        LOG.warn("SMS {} failed over from upstream {} to {}: {}", exchange.getProperty(StatusRecorder.MESSAGE_ID), from,
                plan.current.name(), StatusRecorder.describe(cause));
    }

    /** The attempt's upstream took the message. */
    public void carried(Exchange exchange) {
        Plan plan = exchange.getProperty(PLAN, Plan.class);
        if (plan.guarded) {
            breakers.succeeded(plan.current.name(), plan.startNanos);
        }
        exchange.setProperty(CARRIED, true);
    }

    /** An SMSC took the message ({@code smpp} producer returned): SENT, with its id ({@link #PROVIDER_MESSAGE_ID}). */
    public void smppAccepted(@ExchangeProperty(DeliveryLoader.MESSAGE) StoredMessage message,
                             @ExchangeProperty(UPSTREAM) String upstream, Exchange exchange) {
        String id = exchange.getMessage().getHeader(PROVIDER_MESSAGE_ID, String.class);
        statusRecorder.sent(message, id, "accepted by SMSC " + upstream + (id == null ? "" : " as " + id), upstream);
    }

    private boolean advance(Plan plan, Exchange exchange) {
        while (plan.next < plan.candidates.size()) {
            Upstream upstream = plan.candidates.get(plan.next++);
            if (!plan.guarded || breakers.tryAcquire(upstream.name())) {
                plan.current = upstream;
                plan.startNanos = System.nanoTime();
                exchange.setProperty(UPSTREAM, upstream.name());
                exchange.setProperty(UPSTREAM_CONFIG, upstream);
                exchange.setProperty(UPSTREAM_KIND, upstream.kind().json());
                if (upstream.kind() == Upstream.Kind.HTTP) {
                    exchange.setProperty(UPSTREAM_ENDPOINT, httpEndpoint.apply(upstream));
                }
                return true;
            }
        }
        return false;
    }

    /** Names of the upstreams, in table order, whose circuit is not open. */
    public List<String> available() {
        List<String> up = new ArrayList<>();
        RoutingTable routing = table;
        for (String name : routing.upstreams().keySet()) {
            if (!routing.guarded() || breakers.available(name)) {
                up.add(name);
            }
        }
        return up;
    }
}
