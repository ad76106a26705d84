package io.herald.sms.smpp;

import io.herald.status.StatusRecorder;
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
    private final StatusRecorder statusRecorder;

    public SmppComponent(SmppLinks links, SmppParts parts, StatusRecorder statusRecorder) {
        this.links = links;
        this.parts = parts;
        this.statusRecorder = statusRecorder;
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

    StatusRecorder statusRecorder() {
        return statusRecorder;
    }
}
