package io.herald.sms.smpp;

/**
 * What the SMPP transport needs of an smpp upstream of the routing table (SPEC §6), with the transport's own settings
 * ({@code herald.smpp.*}): how many binds of each kind, TLS.
 */
public record SmppUpstream(String name, String host, int port, String systemId, String password, String systemType,
                           boolean transceiver, int window, int tps, int enquireLinkSeconds,
                           SmppText.LongMessages longMessages, int binds, boolean tls) {
}
