package io.herald.callbacks;

import com.sun.net.httpserver.HttpServer;
import io.herald.callbacks.CallbackAddressPolicy;
import io.herald.callbacks.CallbackAddressRefusedException;
import io.herald.callbacks.CallbackHttpClient;
import io.herald.callbacks.Signatures;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Callback safety: which URLs and addresses are refused, also when the HTTP client connects, and the signature. */
class CallbackAddressPolicyTest {
    private final CallbackAddressPolicy strict = new CallbackAddressPolicy(false);
    private final CallbackAddressPolicy lenient = new CallbackAddressPolicy(true);

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "0.0.0.0", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.0.10",
            "169.254.169.254", "100.64.0.1", "100.100.100.200", "192.0.0.192", "192.0.2.1", "198.18.0.1", "198.51.100.7",
            "203.0.113.9", "224.0.0.1", "239.255.255.250", "255.255.255.255", "::", "::1", "fe80::1", "fc00::1",
            "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2001:db8::1", "fec0::1"})
    void nonPublicAddressesAreRefused(String address) throws Exception {
        assertThat(CallbackAddressPolicy.isPublic(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "169.255.0.1",
            "2606:2800:220:1:248:1893:25c8:1946", "2a00:1450:4001:82a::200e"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertThat(CallbackAddressPolicy.isPublic(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34/hook", "http://example.com/response?param1=value1",
            "HTTPS://Example.COM:8443/a/b", "http://[2606:2800:220:1:248:1893:25c8:1946]/x"})
    void publicHttpUrlsAreAccepted(String url) {
        assertThat(strict.refusal(url)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/cb", "http://localhost/cb", "http://LOCALHOST./cb", "http://app.localhost/cb",
            "http://metadata.google.internal/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
            "http://[::ffff:7f00:1]/", "http://2130706433/", "http://10.0.0.1/"})
    void privateTargetsAreRefusedUnlessAllowed(String url) {
        assertThat(strict.refusal(url)).isNotNull();
        assertThat(lenient.refusal(url)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "ftp://example.com/x", "file:///etc/passwd", "mailto:a@example.com", "/relative",
            "example.com/cb", "http:/example.com", "http://", "http://user:secret@example.com/", "http://exa mple.com/",
            "javascript:alert(1)"})
    void onlyAbsoluteHttpUrlsWithoutCredentialsAreAccepted(String url) {
        assertThat(strict.refusal(url)).isNotNull();
        assertThat(lenient.refusal(url)).isNotNull();
    }

    @Test
    void overlongUrlsAreRefused() {
        assertThat(strict.refusal("https://example.com/" + "a".repeat(2000))).contains("longer");
    }

    @Test
    void theCallbackClientRefusesPrivateAddressesWhenItConnects() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/cb";
        try {
            try (CloseableHttpClient client = client(false)) {
                assertThatThrownBy(() -> client.execute(new HttpPost(url), response -> response.getCode()))
                        .isInstanceOf(CallbackAddressRefusedException.class);
                assertThatThrownBy(() -> client.execute(new HttpPost("http://localhost:" + server.getAddress().getPort()),
                        response -> response.getCode())).isInstanceOf(CallbackAddressRefusedException.class);
            }
            try (CloseableHttpClient client = client(true)) {
                int code = client.execute(new HttpPost(url), response -> response.getCode());
                assertThat(code).isEqualTo(204);
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void signatureIsHmacSha256OfTimestampDotBody() throws Exception {
        String body = "{\"status\":\"delivered\"}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("whsec_test".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(("1700000000." + body).getBytes(StandardCharsets.UTF_8)));
        assertThat(Signatures.sign("whsec_test", 1700000000L, body)).isEqualTo("sha256=" + expected);
        assertThat(Signatures.sign("other", 1700000000L, body)).isNotEqualTo("sha256=" + expected);
        // RFC 4231 test case 2, through the same code path
        mac.init(new SecretKeySpec("Jefe".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(HexFormat.of().formatHex(mac.doFinal("what do ya want for nothing?".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    private static CloseableHttpClient client(boolean allowPrivate) {
        HttpClientBuilder builder = HttpClientBuilder.create();
        new CallbackHttpClient(allowPrivate, 2000, 2000).configureHttpClient(builder);
        return builder.build();
    }
}
