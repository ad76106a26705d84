package io.herald.edge.fuzz;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Sends fuzz requests over real HTTP/1.1 with a per-request timeout: no answer in time is a hang, and fails. */
public final class FuzzClient {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final Duration timeout;

    public FuzzClient(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    public FuzzAnswer send(FuzzRequest request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + request.path())).timeout(timeout);
        request.headers().forEach(b::header);
        b.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new FuzzAnswer(r.statusCode(), r.headers().map(), new String(r.body(), StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new AssertionError("no answer within " + timeout.toMillis() + " ms (a hang) to " + request, e);
        } catch (IOException e) {
            throw new AssertionError("the connection failed (" + e + ") for " + request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
