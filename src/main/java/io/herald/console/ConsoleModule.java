package io.herald.console;

import io.herald.Core;
import io.herald.security.ApiKeyAuthenticator;

import java.time.Clock;

/** The web console (docs/console.md): its sessions, its live figures and its pages on the HTTP server. */
public final class ConsoleModule {
    private ConsoleModule() {
    }

    public static void bind(Core core, ApiKeyAuthenticator keys, String adminToken) throws Exception {
        var settings = core.settings();
        if (!settings.flag("herald.console.enabled")) {
            return;
        }
        ConsoleSessions sessions = new ConsoleSessions(settings.duration("herald.console.session-idle"), Clock.systemUTC());
        core.context().addStartupListener(new ConsoleServer(sessions, new ConsoleStats(core.jdbc(), Clock.systemUTC()),
                keys, adminToken, secureCookies(settings.required("herald.public-url"))));
    }

    /** The session cookie is {@code Secure} when Herald is reached over https. */
    static boolean secureCookies(String publicUrl) {
        return publicUrl.trim().toLowerCase(java.util.Locale.ROOT).startsWith("https:");
    }
}
