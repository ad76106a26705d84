package io.herald.bootstrap;

import io.herald.HeraldConfiguration.Settings;
import io.herald.security.Secrets;

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
            if (settings.get("herald.demo.enabled").map(Boolean::parseBoolean).orElse(false)) {
                throw new IllegalStateException("prod profile: herald.demo.enabled must be false");
            }
            String dbPassword = settings.get("herald.db.password").orElse("");
            if (dbPassword.isEmpty() || DEMO_VALUES.contains(dbPassword)) {
                throw new IllegalStateException("prod profile: herald.db.password (HERALD_DB_PASSWORD) must not be empty"
                        + " or a demo value");
            }
            return token;
        }
        if (token == null) {
            token = Secrets.base36(32);
            System.out.println("[herald] dev profile: operator API token for this run: " + token
                    + "  (set herald.admin.token / HERALD_ADMIN_TOKEN to choose one)");
        }
        return token;
    }
}
