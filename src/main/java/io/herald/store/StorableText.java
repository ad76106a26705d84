package io.herald.store;

/**
 * Text every database Herald runs on can store: PostgreSQL refuses U+0000 in a text column, so a value holding it
 * would fail only when written. Callers refuse such input with their own dialect's error before anything is stored.
 */
public final class StorableText {
    private StorableText() {
    }

    /** Whether {@code value} (null passes) can be stored as text. */
    public static boolean storable(String value) {
        return value == null || value.indexOf('\0') < 0;
    }
}
