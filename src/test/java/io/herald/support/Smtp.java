package io.herald.support;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/** A real SMTP server (GreenMail) on 127.0.0.1 for a test class: {@code @RegisterExtension @Order(1)}, before the app. */
public final class Smtp {
    private Smtp() {
    }

    /** Started before the class's tests on this port, stopped after them; mail is kept until purged. */
    public static GreenMailExtension perClass(int port) {
        return new GreenMailExtension(new ServerSetup(port, "127.0.0.1", "smtp")).withPerMethodLifecycle(false);
    }
}
