package io.herald.callbacks;

import org.apache.hc.client5.http.SystemDefaultDnsResolver;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The callback HTTP client's name resolution: the addresses it connects to are exactly the ones checked here, so a
 * host that resolves (or re-resolves) to a refused address is never contacted.
 */
public class GuardedDnsResolver extends SystemDefaultDnsResolver {
    private final boolean allowPrivate;

    public GuardedDnsResolver(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        if (!allowPrivate && CallbackAddressPolicy.isRefusedName(host)) {
            throw new CallbackAddressRefusedException("callback host " + host + " is a local or metadata host");
        }
        InetAddress[] addresses = super.resolve(host);
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (!CallbackAddressPolicy.isPublic(address)) {
                    throw new CallbackAddressRefusedException("callback host " + host + " resolves to "
                            + address.getHostAddress() + ", a loopback, private, link-local or metadata address");
                }
            }
        }
        return addresses;
    }
}
