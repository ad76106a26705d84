package io.herald.sms.smpp;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * The {@code smpp:} scheme: {@code to: smpp:smsc-a} submits the message being delivered to the smpp upstream named
 * smsc-a, over the binds {@link SmppLinks} keeps. Built on jsmpp (camel-smpp is not available for this Camel).
 */
public final class SmppComponent extends DefaultComponent {
    private final SmppLinks links;
    private final SmppParts parts;

    public SmppComponent(SmppLinks links, SmppParts parts) {
        this.links = links;
        this.parts = parts;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("smpp: needs an upstream name (smpp:smsc-a)");
        }
        return new SmppEndpoint(uri, this, remaining);
    }

    SmppLinks links() {
        return links;
    }

    SmppParts parts() {
        return parts;
    }
}
