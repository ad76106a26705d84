package io.herald.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Generation, hashing and timing-safe comparison of API keys, secrets and codes. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    /** A setting whose name holds one of these words (any case, dashes and underscores ignored) is a secret. */
    public static final List<String> SECRET_WORDS = List.of("secret", "password", "token", "key");

    private Secrets() {
    }

    /** {@code key_} + 26 lowercase base-36 characters (docs/contract.md#accounts-keys-and-campaigns). */
    public static String newApiKey() {
        return "key_" + base36(26);
    }

    public static String newApiSecret() {
        return base36(40);
    }

    public static String base36(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = BASE36[RANDOM.nextInt(BASE36.length)];
        }
        return new String(chars);
    }

    public static String sha256(String value) {
        return HexFormat.of().formatHex(sha256Digest().digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** A new SHA-256 digest (every JVM has one). */
    public static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a setting is a secret: its name contains secret, password, token or key, in any case, dashes and
     * underscores ignored (herald.sms.provider.api-secret, HERALD_DB_PASSWORD). Secrets are masked in the log and can
     * be read from a file ({@link SecretFiles}).
     */
    public static boolean isSecretSetting(String name) {
        String plain = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return SECRET_WORDS.stream().anyMatch(plain::contains);
    }

    /** The credential of an {@code Authorization: Bearer <credential>} header (any case of "Bearer"), else null. */
    public static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    /** Compares in time independent of where the values differ. */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
