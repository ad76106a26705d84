package io.herald.api.messaging;

import io.herald.Core;
import io.herald.crm.CrmOutbox;
import org.apache.camel.spi.Registry;

import java.time.Duration;

/**
 * The Messaging API dialect (docs/contract.md#messaging-api): SendMessages, Dispatches, scheduled sends, CRM records.
 * Its routes are {@code messaging-api.camel.yaml}, {@code scheduler.camel.yaml} and {@code crm.camel.yaml}.
 */
public final class MessagingApiModule {
    private MessagingApiModule() {
    }

    public static void bind(Core core) {
        Registry registry = core.context().getRegistry();
        registry.bind("messagingApiDialect", new MessagingApiDialect());
        registry.bind("dispatchApi", new DispatchApi(core.dispatches()));
        registry.bind("crmOutbox", new CrmOutbox(core.crm(), core.metrics(),
                core.settings().integer("herald.crm.batch-size"),
                core.settings().duration("herald.crm.claim-timeout")));
    }
}
