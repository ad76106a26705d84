package io.herald.delivery;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Turns off Apache HttpClient's own re-execution of requests (by default it silently re-sends a POST answered
 * 503 or 429 after a second). Retries of the SMS provider call are Herald's alone ({@link RetryPolicy}), so each
 * attempt is exactly one request and shows up in the message history.
 */
public class NoAutomaticHttpRetries implements HttpClientConfigurer {
    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
    }
}
