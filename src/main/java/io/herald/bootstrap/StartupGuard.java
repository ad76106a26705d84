package io.herald.bootstrap;

import io.herald.Settings;
import io.herald.security.Secrets;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;

/**
 * Decides the operator token at start: the prod profile refuses a missing, short or demo token and demo
 * credentials; the dev profile makes one up and prints it when none is set.
 */
public final class StartupGuard {
    static final Set<String> DEMO_VALUES = Set.of("herald", "changeme", "change-me", "admin", "secret", "password");
    private static final int MIN_TOKEN_LENGTH = 24;

    private StartupGuard() {
    }

    public static String check(Settings settings) {
        String token = settings.get("herald.admin.token").orElse(null);
        if ("prod".equals(settings.profile())) {
            if (token == null || token.length() < MIN_TOKEN_LENGTH || DEMO_VALUES.contains(token)) {
                throw new IllegalStateException("prod profile: herald.admin.token (HERALD_ADMIN_TOKEN) must be set to a"
                        + " random value of at least " + MIN_TOKEN_LENGTH + " characters");
            }
            if (settings.flag("herald.demo.enabled")) {
                throw new IllegalStateException("prod profile: herald.demo.enabled must be false");
            }
            String dbPassword = settings.text("herald.db.password");
            if (dbPassword.isEmpty() || DEMO_VALUES.contains(dbPassword)) {
                throw new IllegalStateException("prod profile: herald.db.password (HERALD_DB_PASSWORD) must not be empty"
                        + " or a demo value");
            }
            return token;
        }
        return token != null ? token : madeUp(settings, "operator API token", "herald.admin.token", "HERALD_ADMIN_TOKEN");
    }

    /**
     * The SMS provider webhook token ({@code herald.sms.provider.webhook-token}, see WebhookToken): the prod profile
     * refuses a missing or short one; the test profile (Herald's own tests) leaves the provider webhooks open without
     * one, and says so; any other profile (dev, or one of the operator's own) makes one up and prints it when none is
     * set, so the webhooks are never open by accident.
     */
    public static Optional<String> webhookToken(Settings settings) {
        Optional<String> token = settings.get("herald.sms.provider.webhook-token");
        if ("prod".equals(settings.profile()) && token.map(String::length).orElse(0) < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("prod profile: herald.sms.provider.webhook-token"
                    + " (HERALD_SMS_PROVIDER_WEBHOOK_TOKEN) must be set to a random value of at least " + MIN_TOKEN_LENGTH
                    + " characters: the SMS provider's delivery reports and replies are authenticated with it");
        }
        if (token.isEmpty() && !"test".equals(settings.profile())) {
            token = Optional.of(madeUp(settings, "SMS provider webhook token", "herald.sms.provider.webhook-token",
                    "HERALD_SMS_PROVIDER_WEBHOOK_TOKEN"));
        }
        if (token.isEmpty()) {
            LoggerFactory.getLogger(StartupGuard.class).warn("herald.sms.provider.webhook-token is not set:"
                    + " /callbacks/sms/dlr and /callbacks/sms/inbound accept posts from anyone");
        }
        return token;
    }

    /** A random token for this run, printed (not logged) so that the operator can use it. */
    private static String madeUp(Settings settings, String what, String key, String env) {
        String token = Secrets.base36(32);
        System.out.println("[herald] " + settings.profile() + " profile: " + what + " for this run: " + token
                + "  (set " + key + " / " + env + " to choose one)");
        return token;
    }
}
