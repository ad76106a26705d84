package io.herald.observe;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** herald.log.format moves the root logger between the two appenders of log4j2.properties; anything else is refused. */
class LogFormatTest {

    private static LoggerConfig root() {
        return ((LoggerContext) LogManager.getContext(false)).getConfiguration().getRootLogger();
    }

    @AfterEach
    void backToText() {
        LogFormat.apply("text");
    }

    @Test
    void jsonAndBackToText() {
        LogFormat.apply("json");
        assertThat(root().getAppenders()).containsKey("json").doesNotContainKey("console");
        LogFormat.apply("json");
        assertThat(root().getAppenders()).containsOnlyKeys("json");
        LogFormat.apply("text");
        assertThat(root().getAppenders()).containsKey("console").doesNotContainKey("json");
    }

    @Test
    void anUnknownFormatIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> LogFormat.apply("xml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("herald.log.format must be text or json, not 'xml'");
        assertThat(root().getAppenders()).containsKey("console").doesNotContainKey("json");
    }
}
