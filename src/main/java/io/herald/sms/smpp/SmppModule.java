package io.herald.sms.smpp;

import io.herald.Core;
import io.herald.Settings;
import io.herald.store.GroupCommit;
import org.apache.camel.ProducerTemplate;

/**
 * The SMPP transport (SPEC §6): the {@code smpp:} component, the binds of the smpp upstreams ({@code smppLinks}) and
 * the receipt reader ({@code smppReceipts}) of routes/smpp.camel.yaml. Settings: {@code herald.smpp.*}.
 */
public final class SmppModule {
    private SmppModule() {
    }

    public static SmppLinks bind(Core core, GroupCommit deliveryWrites) throws Exception {
        Settings settings = core.settings();
        SmppParts parts = new SmppParts(core.jdbc(), deliveryWrites);
        ProducerTemplate template = core.context().createProducerTemplate();
        long receiptWait = settings.longValue("herald.smpp.receipt-wait-ms");
        SmppLinks links = new SmppLinks(core.context(),
                new SmppBind.Options(settings.millis("herald.smpp.response-timeout-ms"),
                        settings.millis("herald.smpp.reconnect-initial-ms"), settings.millis("herald.smpp.reconnect-max-ms"),
                        settings.integer("herald.smpp.pdu-threads")),
                new SmppLink.Pacing(settings.millis("herald.smpp.resend-wait-ms"),
                        settings.millis("herald.smpp.throttle-backoff-ms"), settings.integer("herald.smpp.throttle-retries")),
                (upstream, scheduler) -> new SmppDeliveries(upstream, template, scheduler, receiptWait));
        core.context().addService(links, true, true);
        core.context().addComponent("smpp", new SmppComponent(links, parts));
        core.context().getRegistry().bind("smppLinks", links);
        core.context().getRegistry().bind("smppParts", parts);
        core.context().getRegistry().bind("smppReceipts", new SmppReceipts(parts, core.messages()));
        // the routing table (SmsRouter) announces its upstreams to every UpstreamsListener of the registry
        core.context().getRegistry().bind("smppUpstreams", new SmppUpstreams(links,
                settings.integer("herald.smpp.binds-per-upstream"), settings.flag("herald.smpp.tls")));
        return links;
    }
}
