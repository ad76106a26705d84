package io.herald.security;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;
import org.apache.logging.log4j.status.StatusLogger;

import java.util.List;

/**
 * {@code %mask{pattern}} in a Log4j2 pattern layout: formats the inner pattern, then hides its secrets with
 * {@link LogMasking}. {@code log4j2.properties} wraps the message and the stack trace in it,
 * {@code %mask{%msg%n%xEx}}, so an exception's message (an HTTP client's, with the URL it called) is masked too.
 */
@Plugin(name = "MaskingPatternConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"mask"})
public final class MaskingPatternConverter extends LogEventPatternConverter {
    private final List<PatternFormatter> formatters;

    private MaskingPatternConverter(List<PatternFormatter> formatters) {
        super("mask", "mask");
        this.formatters = formatters;
    }

    public static MaskingPatternConverter newInstance(Configuration config, String[] options) {
        if (options == null || options.length != 1) {
            StatusLogger.getLogger().error("%mask takes one pattern, e.g. %mask{%msg%n%xEx}");
            return null;
        }
        return new MaskingPatternConverter(PatternLayout.createPatternParser(config).parse(options[0]));
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        StringBuilder text = new StringBuilder();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, text);
        }
        toAppendTo.append(LogMasking.mask(text));
    }

    /** The layout adds no unmasked stack trace of its own when the inner pattern prints it. */
    @Override
    public boolean handlesThrowable() {
        return formatters.stream().anyMatch(PatternFormatter::handlesThrowable);
    }
}
