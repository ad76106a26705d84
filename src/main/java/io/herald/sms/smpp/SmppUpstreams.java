package io.herald.sms.smpp;

import io.herald.sms.routing.Upstream;
import io.herald.sms.routing.UpstreamsListener;

import java.util.List;

/**
 * Keeps the binds ({@link SmppLinks}) in step with the routing table: the smpp upstreams of every list the table
 * announces, with the transport's own settings (binds per upstream, TLS).
 */
public final class SmppUpstreams implements UpstreamsListener {
    private final SmppLinks links;
    private final int bindsPerUpstream;
    private final boolean tls;

    public SmppUpstreams(SmppLinks links, int bindsPerUpstream, boolean tls) {
        this.links = links;
        this.bindsPerUpstream = bindsPerUpstream;
        this.tls = tls;
    }

    @Override
    public void upstreamsChanged(List<Upstream> upstreams) {
        links.configure(upstreams.stream().filter(u -> u.kind() == Upstream.Kind.SMPP).map(this::smpp).toList());
    }

    private SmppUpstream smpp(Upstream u) {
        return new SmppUpstream(u.name(), u.host(), u.port(), u.systemId(), u.password(),
                u.systemType() == null ? "" : u.systemType(), u.bind() != Upstream.Bind.TRANSMITTER_RECEIVER, u.window(),
                u.tps(), u.enquireLinkSeconds(), SmppText.LongMessages.valueOf(u.longMessages().name()), bindsPerUpstream,
                tls);
    }
}
