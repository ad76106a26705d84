package io.herald.callbacks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The signature of a callback: {@code X-Herald-Signature: sha256=<hex>}, the HMAC-SHA256 of
 * {@code <X-Herald-Timestamp>.<body>} keyed with the account's signing secret.
 */
public final class Signatures {
    public static final String SIGNATURE_HEADER = "X-Herald-Signature";
    public static final String TIMESTAMP_HEADER = "X-Herald-Timestamp";

    private Signatures() {
    }

    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
