package io.herald.observe;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

import java.util.Map;

/**
 * {@code herald.log.format}: {@code text} (the pattern layout) or {@code json} (one JSON object a line, Log4j's
 * JSON template layout with {@code herald-log-template.json}). Both appenders are declared in
 * {@code log4j2.properties}, both mask secrets ({@code %mask}); this moves every logger that writes to one of them to
 * the chosen one. It applies from the moment Herald reads its configuration: the few lines the JVM and Camel print
 * before that are text.
 */
public final class LogFormat {
    /** The format's appender in log4j2.properties. */
    private static final Map<String, String> APPENDERS = Map.of("text", "console", "json", "json");

    private LogFormat() {
    }

    public static void apply(String format) {
        String name = APPENDERS.get(format);
        if (name == null) {
            throw new IllegalArgumentException("herald.log.format must be text or json, not '" + format + "'");
        }
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return;
        }
        Configuration config = context.getConfiguration();
        Appender chosen = config.getAppender(name);
        if (chosen == null) {
            return;
        }
        for (LoggerConfig logger : config.getLoggers().values()) {
            for (String other : APPENDERS.values()) {
                if (!other.equals(name) && logger.getAppenders().containsKey(other)) {
                    logger.removeAppender(other);
                    logger.addAppender(chosen, null, null);
                }
            }
        }
        context.updateLoggers();
    }
}
