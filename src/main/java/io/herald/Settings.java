package io.herald;

import org.apache.camel.CamelContext;

import java.time.Duration;
import java.util.Optional;

/**
 * Herald's settings, read through Camel's properties component: {@code application.properties} and the profile's
 * file, {@code -D} system properties, the environment ({@code HERALD_…}), and a secret's file named by its
 * {@code HERALD_…_FILE} variable ({@link io.herald.security.SecretFiles}).
 * <p>
 * Every default is written once, in {@code application.properties}: the typed readers here refuse a key that no
 * source defines, so a setting cannot silently fall back to a value written in Java ({@code SettingsDefaultsTest}).
 * {@link #get} is for the settings that have no default at all (unset means "not configured": the SMTP relay, the
 * SMS provider, the operator token).
 */
public final class Settings {
    private final CamelContext context;

    public Settings(CamelContext context) {
        this.context = context;
    }

    /** A setting without a default: empty when no source sets it (or sets it empty). */
    public Optional<String> get(String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** A setting with a default in application.properties, which may be empty. */
    public String text(String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim)
                .orElseThrow(() -> new IllegalStateException("setting " + key + " is not defined: application.properties"
                        + " should hold its default"));
    }

    /** A setting that must not be empty. */
    public String required(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            throw new IllegalStateException("missing configuration: " + key);
        }
        return value;
    }

    public int integer(String key) {
        return Integer.parseInt(required(key));
    }

    public long longValue(String key) {
        return Long.parseLong(required(key));
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(required(key));
    }

    /** An ISO-8601 duration ({@code PT5S}). */
    public Duration duration(String key) {
        return Duration.parse(required(key));
    }

    /** A number of milliseconds (a key ending in {@code -ms}). */
    public Duration millis(String key) {
        return Duration.ofMillis(longValue(key));
    }

    public String profile() {
        return required("camel.main.profile");
    }
}
