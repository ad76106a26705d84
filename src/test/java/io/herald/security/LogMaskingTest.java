package io.herald.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the log layout's %mask hides, and what it leaves for the operator to read. */
class LogMaskingTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // Camel's settings summary: a secret's value to the end of the line, whatever the setting's spelling
            "    [ENV]    herald.sms.provider.api-secret = s3cr3t value|    [ENV]    herald.sms.provider.api-secret = ***",
            "    [ENV]    herald.sms.provider.webhook-token = t0k3n|    [ENV]    herald.sms.provider.webhook-token = ***",
            "    [ENV]    herald.smtp.pass-word = pw|    [ENV]    herald.smtp.pass-word = ***",
            "    [ENV]    HERALD_DB_PASSWORD = pw|    [ENV]    HERALD_DB_PASSWORD = ***",
            // URLs: user info, query and fragment
            "Callback 7 to https://hooks.example.com/in?token=abc&x=1 failed|Callback 7 to https://hooks.example.com/in?*** failed",
            "Connect to http://user:pass@example.com:8080/sms failed|Connect to http://***@example.com:8080/sms failed",
            "see <https://example.com/cb#access_token=abc>|see <https://example.com/cb#***>",
            "jdbc:postgresql://db:5432/herald?user=h&password=pw|jdbc:postgresql://db:5432/herald?***",
            // name=value, name: value, JSON, credentials after Bearer / Basic
            "apiKey=abc, next=1|apiKey=***, next=1",
            "Headers: {Authorization=Bearer abc.def, Accept=*/*}|Headers: {Authorization=***, Accept=*/*}",
            "Authorization: Basic YXBpOmtleQ==|Authorization: ***",
            "{\"api_key\":\"k\",\"api_secret\":\"s\\\"x\",\"to\":\"0333\"}|{\"api_key\":\"***\",\"api_secret\":\"***\",\"to\":\"0333\"}",
            "sent Bearer abc to the server|sent Bearer *** to the server",
            // left alone: other settings, Camel endpoints, stack frames and exception class names
            "    [application.properties] herald.queue = embedded|    [application.properties] herald.queue = embedded",
            "Started deliver (seda://delivery)|Started deliver (seda://delivery)",
            "herald.queue.callbacks.in = seda:callbacks?size=100000|herald.queue.callbacks.in = seda:callbacks?size=100000",
            "\tat io.herald.store.ApiKeyCache.get(ApiKeyCache.java:42)|\tat io.herald.store.ApiKeyCache.get(ApiKeyCache.java:42)",
            "Caused by: java.security.InvalidKeyException: too short|Caused by: java.security.InvalidKeyException: too short",
    })
    void masks(String line, String expected) {
        assertThat(LogMasking.mask(line)).isEqualTo(expected);
    }
}
