package io.herald.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.edge.fuzz.ErrorObjectFormat;
import io.herald.edge.fuzz.FuzzAnswer;
import io.herald.edge.fuzz.FuzzRequest;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** What the edge tests share: sending, the error-object check, database counts, raw HTTP. */
final class EdgeSupport {
    static final String EMAIL_CAMPAIGN = "{\"name\":\"edge\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\",\"subject\":\"Hi\","
            + "\"text\":\"Hello %recipient.name%\"}";

    private EdgeSupport() {
    }

    static String emailCode(HeraldApp app, Tenant tenant) {
        return app.activeCampaign(tenant, EMAIL_CAMPAIGN).get("code").asText();
    }

    static String body(String code, String... recipients) {
        StringBuilder b = new StringBuilder("{\"code\":\"").append(code).append("\",\"messages\":[");
        for (int i = 0; i < recipients.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"recipient\":\"").append(recipients[i]).append("\",\"parameters\":{\"name\":\"N\"}}");
        }
        return b.append("]}").toString();
    }

    static Response send(HeraldApp app, Tenant tenant, String body, String idempotencyKey) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", HeraldApp.basic(tenant.apiKey()));
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        return app.send("POST", "/v1/messages", "application/json", body, headers);
    }

    static List<String> messageIds(Response answer) {
        JsonNode messages = answer.expect(200).json().get("messages");
        return StreamSupport.stream(messages.spliterator(), false).map(m -> m.get("messageId").asText()).toList();
    }

    /** Asserts the seed-001 error object with this status and code (every field checked). */
    static Response assertError(Response r, int status, int code) {
        ErrorObjectFormat.check(FuzzRequest.to("?", "?").defect("edge test"), new FuzzAnswer(r.status(), r.headers(), r.body()));
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("code").asInt()).as(r.body()).isEqualTo(code);
        return r;
    }

    static long count(HeraldApp app, String sql, Object... params) {
        DataSource ds = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long storedMessages(HeraldApp app, Tenant tenant) {
        return count(app, "SELECT COUNT(*) FROM message WHERE account_id = ?", tenant.accountId());
    }

    static long sandboxDeliveries(HeraldApp app, Tenant tenant) {
        return count(app, "SELECT COUNT(*) FROM sandbox_delivery d JOIN message m ON m.id = d.message_id WHERE m.account_id = ?",
                tenant.accountId());
    }

    static long messagesSent(HeraldApp app, Tenant tenant) {
        return app.admin("GET", "/admin/accounts/" + tenant.accountId(), null).expect(200).json().get("messagesSent").asLong();
    }

    /**
     * One HTTP/1.1 request written byte for byte (for header bytes java.net.http will not send), answered as a
     * {@link Response}; the connection is closed after it.
     */
    static Response raw(HeraldApp app, String method, String path, Map<String, String> headers, byte[] body) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        try (Socket socket = new Socket("localhost", app.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.toByteArray());
            socket.getOutputStream().flush();
            return parse(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response parse(InputStream in) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, split).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(split + 4);
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            StringBuilder joined = new StringBuilder();
            int at = 0;
            while (true) {
                int lineEnd = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    break;
                }
                joined.append(body, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
            body = joined.toString();
        }
        return new Response(status, body, headers);
    }
}
