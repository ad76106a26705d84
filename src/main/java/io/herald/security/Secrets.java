package io.herald.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Generation, hashing and timing-safe comparison of API keys, secrets and codes. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private Secrets() {
    }

    /** {@code key_} + 26 lowercase base-36 characters (SPEC §1). */
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

    /** Compares in time independent of where the values differ. */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
