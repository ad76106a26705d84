package io.herald.callbacks;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client that posts callbacks: names resolved through the {@link GuardedDnsResolver}, no redirects (a
 * redirect could lead anywhere), and no automatic re-sends (retries are Herald's, with backoff, and counted).
 */
public class CallbackHttpClient implements HttpClientConfigurer {
    private final boolean allowPrivate;
    private final long connectTimeoutMs;
    private final long responseTimeoutMs;

    public CallbackHttpClient(boolean allowPrivate, long connectTimeoutMs, long responseTimeoutMs) {
        this.allowPrivate = allowPrivate;
        this.connectTimeoutMs = connectTimeoutMs;
        this.responseTimeoutMs = responseTimeoutMs;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(allowPrivate))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                        .setSocketTimeout(Timeout.ofMilliseconds(responseTimeoutMs))
                        .build())
                .setMaxConnTotal(50)
                .setMaxConnPerRoute(5)
                .build());
        builder.disableRedirectHandling();
        builder.disableAutomaticRetries();
        builder.disableCookieManagement();
    }
}
