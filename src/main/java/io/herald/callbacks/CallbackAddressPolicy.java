package io.herald.callbacks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Where Herald may post callbacks: absolute http(s) URLs without credentials, whose host is not, and does not resolve
 * to, a loopback, private, link-local, shared (CGNAT), multicast, reserved or cloud-metadata address, unless
 * {@code herald.callbacks.allow-private=true}. A host that does not resolve yet is accepted here; every post checks
 * the addresses again when it connects ({@link GuardedDnsResolver}), so a later DNS change cannot lead inside.
 */
public class CallbackAddressPolicy {
    public static final int MAX_LENGTH = 2000;
    private static final Set<String> METADATA_NAMES = Set.of("localhost", "metadata", "metadata.google.internal",
            "metadata.goog", "instance-data", "instance-data.ec2.internal");

    private final boolean allowPrivate;

    public CallbackAddressPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /** Null when Herald may post to the URL, else why not. */
    public String refusal(String url) {
        if (url == null || url.isBlank()) {
            return "is empty";
        }
        if (url.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.isOpaque() || !(scheme.equals("http") || scheme.equals("https"))) {
            return "must be an absolute http or https URL";
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return "must name a host";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain credentials";
        }
        if (allowPrivate) {
            return null;
        }
        String host = uri.getHost();
        if (isRefusedName(host)) {
            return "names a local or metadata host";
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!isPublic(address)) {
                    return "resolves to a loopback, private, link-local or metadata address";
                }
            }
        } catch (UnknownHostException e) {
            return null; // not resolvable now; checked again at every post
        }
        return null;
    }

    static boolean isRefusedName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return METADATA_NAMES.contains(h) || h.endsWith(".localhost");
    }

    /** True for addresses on the public internet; false for everything a callback must not reach. */
    public static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(b);
        }
        Inet6Address v6 = (Inet6Address) address;
        if (v6.isIPv4CompatibleAddress() || isPrefix(b, new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b}, 4)) {
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]}); // ::a.b.c.d and NAT64 64:ff9b::/96
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return false; // unique local fc00::/7 (AWS metadata fd00:ec2::254)
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return false; // documentation 2001:db8::/32
        }
        return (b[0] & 0xe0) == 0x20; // global unicast 2000::/3 only
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return !(a0 == 0 || a0 == 10 || a0 == 127 || a0 >= 224
                || (a0 == 100 && (a1 & 0xc0) == 64)                  // shared 100.64/10 (Alibaba metadata 100.100.100.200)
                || (a0 == 169 && a1 == 254)                          // link-local, metadata 169.254.169.254
                || (a0 == 172 && (a1 & 0xf0) == 16)
                || (a0 == 192 && a1 == 168)
                || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))    // IETF 192.0.0/24 (Oracle metadata), TEST-NET-1
                || (a0 == 198 && (a1 & 0xfe) == 18)                  // benchmarking 198.18/15
                || (a0 == 198 && a1 == 51 && a2 == 100)
                || (a0 == 203 && a1 == 0 && a2 == 113));
    }

    private static boolean isPrefix(byte[] address, byte[] prefix, int length) {
        for (int i = 0; i < length; i++) {
            if (address[i] != prefix[i]) {
                return false;
            }
        }
        for (int i = length; i < 12; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
