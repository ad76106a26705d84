package io.herald.sms.smpp;

import io.herald.delivery.DeliveryLoader;
import io.herald.delivery.TransientDeliveryException;
import io.herald.sms.routing.SmsRouter;
import io.herald.store.StoredMessage;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Submits the message being delivered ({@link DeliveryLoader#MESSAGE}) to its smpp upstream, asynchronously: the
 * exchange goes on when every part has its submit_sm_resp, with the first part's SMSC message id in
 * {@link SmsRouter#PROVIDER_MESSAGE_ID} (the delivery route records SENT), or fails: at once with a {@link TransientDeliveryException} when the upstream is not bound (the
 * routing's failover then tries the next upstream), else with the submit's error. Parts acknowledged by an earlier
 * attempt are not sent again.
 */
final class SmppProducer extends DefaultAsyncProducer {
    private final String upstream;
    private final SmppLinks links;
    private final SmppParts parts;

    SmppProducer(SmppEndpoint endpoint, String upstream, SmppLinks links, SmppParts parts) {
        super(endpoint);
        this.upstream = upstream;
        this.links = links;
        this.parts = parts;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        StoredMessage message = exchange.getProperty(DeliveryLoader.MESSAGE, StoredMessage.class);
        SmppLink link = links.link(upstream);
        if (message == null || link == null || !link.bound()) {
            exchange.setException(message == null ? new IllegalStateException("no message to submit")
                    : new TransientDeliveryException("SMPP upstream " + upstream + (link == null ? " is not configured"
                    : " is not bound")));
            callback.done(true);
            return true;
        }
        try {
            link.execute(() -> {
                try {
                    exchange.getMessage().setHeader(SmsRouter.PROVIDER_MESSAGE_ID, send(link, message));
                } catch (RuntimeException e) {
                    exchange.setException(e);
                }
                callback.done(false);
            });
        } catch (RuntimeException e) {
            // the upstream was just removed from the table (its threads stopped)
            exchange.setException(new TransientDeliveryException("SMPP upstream " + upstream + " was removed"));
            callback.done(true);
            return true;
        }
        return false;
    }

    /** Sends the parts not yet acknowledged; answers the first part's SMSC message id. */
    private String send(SmppLink link, StoredMessage message) {
        SmppText.Encoded encoded = SmppText.encode(message.text() == null ? "" : message.text(),
                link.upstream.longMessages(), reference(message.id()));
        Map<Integer, String> acknowledged = parts.acknowledged(message.id());
        String source = source(message.from());
        String destination = message.recipient().startsWith("+") ? message.recipient().substring(1) : message.recipient();
        int count = encoded.parts().size();
        List<String> ids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String id = acknowledged.get(i);
            if (id == null) {
                id = link.submit(source, destination, encoded.dataCoding(), encoded.parts().get(i - 1));
                parts.acknowledged(message.id(), i, count, upstream, id);
            }
            ids.add(id);
        }
        return ids.get(0);
    }

    /** The concatenation reference of a message: the same on every attempt, so parts sent again still join. */
    static int reference(String messageId) {
        return messageId.hashCode() & 0xFFFF;
    }

    /** source_addr: an international number without '+' (TON 1), or the alphanumeric sender as it is (TON 5). */
    static String source(String from) {
        if (from == null) {
            return "";
        }
        String stripped = from.startsWith("+") ? from.substring(1) : from;
        return SmppLink.digits(stripped) ? stripped : from;
    }
}
