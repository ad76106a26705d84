package io.herald.sms.smpp;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code smpp:<upstream name>}: submits the message being delivered to that smpp upstream of the routing table. */
final class SmppEndpoint extends DefaultEndpoint {
    private final String upstream;

    SmppEndpoint(String uri, SmppComponent component, String upstream) {
        super(uri, component);
        this.upstream = upstream;
    }

    @Override
    public Producer createProducer() {
        SmppComponent component = (SmppComponent) getComponent();
        return new SmppProducer(this, upstream, component.links(), component.parts());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("smpp: receipts and inbound messages arrive by themselves (SmppDeliveries)");
    }
}
