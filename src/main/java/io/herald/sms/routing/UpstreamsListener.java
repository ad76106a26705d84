package io.herald.sms.routing;

import java.util.List;

/**
 * Hears the upstreams of the routing table: called with the whole list once at start (before the first message is
 * routed) and again after every accepted {@code PUT /admin/sms-routing}. A transport that keeps connections (SMPP binds)
 * opens those of new or changed upstreams and closes those of upstreams no longer listed.
 */
public interface UpstreamsListener {
    void upstreamsChanged(List<Upstream> upstreams);
}
