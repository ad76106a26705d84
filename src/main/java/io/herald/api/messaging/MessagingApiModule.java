package io.herald.api.messaging;

import io.herald.HeraldConfiguration.Core;

/** The Messaging API dialect (seed 002): SendMessages, Dispatches, scheduled sends, CRM records. */
public final class MessagingApiModule {
    private MessagingApiModule() {
    }

    public static void bind(Core core) {
    }
}
