package io.herald.callbacks;

import io.herald.api.cosmos.CosmosMessages;
import io.herald.api.cosmos.CosmosMessages.CosmosMessage;
import io.herald.sms.PriceList;
import io.herald.store.Channel;
import io.herald.store.MessageRepository;
import io.herald.store.MessageSpool;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;
import org.apache.camel.Header;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, when a message's status events are complete, which callbacks its final state gives, and stores them in one
 * transaction: the COSMOS request's {@code callback}, the account's webhook, and, when this was the last message of
 * its dispatch to become final, the webhook's dispatch summary. Each is stored once, whatever repeats the event.
 */
public class CallbackPlanner {
    private final MessageRepository messages;
    private final CallbackRepository callbacks;
    private final WebhookRepository webhooks;
    private final CosmosMessages cosmosMessages;
    private final PriceList prices;
    private final MessageSpool spool;

    public CallbackPlanner(MessageRepository messages, MessageSpool spool, CallbackRepository callbacks, WebhookRepository webhooks,
                           CosmosMessages cosmosMessages, PriceList prices) {
        this.messages = messages;
        this.spool = spool;
        this.callbacks = callbacks;
        this.webhooks = webhooks;
        this.cosmosMessages = cosmosMessages;
        this.prices = prices;
    }

    /** Answers the ids of the callbacks stored now (none when the message is not final or all were stored before). */
    public List<Long> plan(@Header(StatusEvents.MESSAGE_ID) String messageId) {
        StoredMessage message = messages.find(messageId).orElse(null);
        if (message == null || !message.status().isFinal()) {
            return List.of();
        }
        Optional<CosmosMessage> cosmos = cosmosMessages.find(messageId);
        String callbackUrl = cosmos.map(CosmosMessage::callbackUrl).orElse(null);
        String webhookUrl = webhooks.url(message.accountId()).orElse(null);
        if (callbackUrl == null && webhookUrl == null) {
            return List.of();
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        BigDecimal price = cosmos.map(CosmosMessage::price)
                .orElseGet(() -> message.channel() == Channel.SMS ? prices.priceOf(message.recipient()) : BigDecimal.ZERO);
        String body = DeliveryStatus.message(message.status(), message.recipient(), message.id(), price, now);
        // final when every message is: none is still spooled (messages still to be stored) or on its way. The spool
        // is read first: a spool row goes in the transaction that stores its messages, so counts read after a look
        // that found none spooled include every message of the dispatch
        boolean spooled = webhookUrl != null && spool.spooled(message.dispatchId());
        Map<MessageStatus, Long> dispatchCounts = webhookUrl == null ? Map.of() : messages.statusCounts(message.dispatchId());
        boolean dispatchFinal = webhookUrl != null && !spooled && dispatchCounts.keySet().stream().allMatch(MessageStatus::isFinal);

        return callbacks.jdbc().inTransaction(c -> {
            List<Long> created = new ArrayList<>();
            if (callbackUrl != null) {
                callbacks.insertIfAbsent(c, "message:" + messageId + ":callback", message.accountId(), messageId,
                        message.dispatchId(), DeliveryStatus.MESSAGE_EVENT, callbackUrl, body).ifPresent(created::add);
            }
            if (webhookUrl != null) {
                callbacks.insertIfAbsent(c, "message:" + messageId + ":webhook", message.accountId(), messageId,
                        message.dispatchId(), DeliveryStatus.MESSAGE_EVENT, webhookUrl, body).ifPresent(created::add);
                if (dispatchFinal) {
                    callbacks.insertIfAbsent(c, "dispatch:" + message.dispatchId() + ":webhook", message.accountId(), null,
                            message.dispatchId(), DeliveryStatus.DISPATCH_EVENT, webhookUrl,
                            DeliveryStatus.dispatch(message.dispatchId(), dispatchCounts, now)).ifPresent(created::add);
                }
            }
            return created;
        });
    }
}
