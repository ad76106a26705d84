package io.herald.api.messaging;

import io.herald.HeraldConfiguration.Core;
import org.apache.camel.spi.Registry;

import java.time.Duration;

/**
 * The Messaging API dialect (seed 002): SendMessages, Dispatches, scheduled sends, CRM records. Its routes are
 * {@code messaging-api.camel.yaml}, {@code scheduler.camel.yaml} and {@code crm.camel.yaml}.
 */
public final class MessagingApiModule {
    private MessagingApiModule() {
    }

    public static void bind(Core core) {
        Registry registry = core.context().getRegistry();
        registry.bind("messagingApiDialect", new MessagingApiDialect());
        registry.bind("dispatchApi", new DispatchApi(core.messages()));
        registry.bind("crmOutbox", new CrmOutbox(core.messages(), core.metrics(),
                Integer.parseInt(core.settings().get("herald.crm.batch-size").orElse("500")),
                Duration.parse(core.settings().get("herald.crm.claim-timeout").orElse("PT5M"))));
    }
}
