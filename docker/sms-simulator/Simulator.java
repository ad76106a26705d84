import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upstream SMS provider for Herald's production stack, speaking SPEC section 4 (the COSMOS wire format as a server).
 *
 * POST /sms  {"api_key","api_secret","to","from","text","callback"}
 *   401 {"status":"unauthorized"} on wrong credentials, 400 {"status":"invalid_to"} / {"status":"invalid_text"},
 *   503 {"status":"internal_error"} for a share SIM_FAIL_RATE of requests (to exercise Herald's retries),
 *   else 200 {"status":"ok","message_id","price"}; SIM_REPORT_DELAY_MS later it POSTs the delivery status
 *   {"status","to","message_id","price","message_timestamp"} to the request's callback ("not_delivered" for a share
 *   SIM_NOT_DELIVERED_RATE), retrying a report that is not answered 2xx. The callback is used exactly as given,
 *   query string included: Herald puts its webhook token there (?token=...).
 * POST /reply {"from","to","text"}  a handset's reply (e.g. STOP), passed on to Herald's SIM_INBOUND_URL with
 *   Authorization: Bearer SIM_WEBHOOK_TOKEN; answers what Herald answered.
 * GET /       the last messages as a web page;  GET /messages  the same as JSON;  GET /health  200.
 *
 * Configuration (environment): SIM_PORT (9090), SIM_API_KEY / SIM_API_SECRET (unset: any credentials),
 * SIM_REPORT_DELAY_MS (1000), SIM_FAIL_RATE (0.0), SIM_NOT_DELIVERED_RATE (0.0), SIM_PRICE (0.0075),
 * SIM_INBOUND_URL (http://herald:8080/callbacks/sms/inbound), SIM_WEBHOOK_TOKEN or SIM_WEBHOOK_TOKEN_FILE (Herald's
 * herald.sms.provider.webhook-token; unset: no Authorization header).
 * Run: java Simulator.java (JDK 17, no dependencies).
 */
public final class Simulator {
    private static final Pattern FIELD = Pattern.compile("\"([a-z_]+)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int KEEP = 200;

    private final String apiKey = env("SIM_API_KEY", "");
    private final String apiSecret = env("SIM_API_SECRET", "");
    private final long reportDelayMs = Long.parseLong(env("SIM_REPORT_DELAY_MS", "1000"));
    private final double failRate = Double.parseDouble(env("SIM_FAIL_RATE", "0"));
    private final double notDeliveredRate = Double.parseDouble(env("SIM_NOT_DELIVERED_RATE", "0"));
    private final String price = env("SIM_PRICE", "0.0075");
    private final String inboundUrl = env("SIM_INBOUND_URL", "http://herald:8080/callbacks/sms/inbound");
    private final String webhookToken = envOrFile("SIM_WEBHOOK_TOKEN");
    private final AtomicLong ids = new AtomicLong();
    private final Deque<String> recent = new ArrayDeque<>();
    private final ScheduledExecutorService reports = Executors.newScheduledThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws IOException {
        new Simulator().start(Integer.parseInt(env("SIM_PORT", "9090")));
    }

    private void start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 200);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/sms", this::send);
        server.createContext("/reply", this::reply);
        server.createContext("/messages", e -> answer(e, 200, "application/json", messagesJson()));
        server.createContext("/health", e -> answer(e, 200, "application/json", "{\"status\":\"ok\"}"));
        server.createContext("/", e -> answer(e, 200, "text/html; charset=utf-8", page()));
        server.start();
        log("SMS provider simulator listening on :" + port + " (report delay " + reportDelayMs + " ms, fail rate "
                + failRate + ", not-delivered rate " + notDeliveredRate + ")");
    }

    private void send(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "application/json", "{\"status\":\"method_not_allowed\"}");
            return;
        }
        Map<String, String> request = fields(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String to = request.getOrDefault("to", "");
        String text = request.getOrDefault("text", "");
        if ((!apiKey.isEmpty() && !apiKey.equals(request.get("api_key")))
                || (!apiSecret.isEmpty() && !apiSecret.equals(request.get("api_secret")))) {
            answer(exchange, 401, "application/json", "{\"status\":\"unauthorized\"}");
            return;
        }
        if (!to.matches("[0-9]{6,15}")) {
            answer(exchange, 400, "application/json", "{\"status\":\"invalid_to\"}");
            return;
        }
        if (text.isEmpty()) {
            answer(exchange, 400, "application/json", "{\"status\":\"invalid_text\"}");
            return;
        }
        if (ThreadLocalRandom.current().nextDouble() < failRate) {
            answer(exchange, 503, "application/json", "{\"status\":\"internal_error\"}");
            return;
        }
        String messageId = "sim-" + ids.incrementAndGet();
        answer(exchange, 200, "application/json",
                "{\"status\":\"ok\",\"message_id\":\"" + messageId + "\",\"price\":" + price + "}");
        String status = ThreadLocalRandom.current().nextDouble() < notDeliveredRate ? "not_delivered" : "delivered";
        remember(messageId + "  to " + to + "  from " + request.getOrDefault("from", "") + "  " + status + "  " + text);
        String callback = request.get("callback");
        if (callback != null && !callback.isBlank()) {
            String report = "{\"status\":\"" + status + "\",\"to\":\"" + to + "\",\"message_id\":\"" + messageId
                    + "\",\"price\":" + price + ",\"message_timestamp\":\""
                    + TIMESTAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\"}";
            reports.schedule(() -> report(callback, report, 1), reportDelayMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Passes a handset's reply on to Herald's inbound webhook, authenticated with its webhook token. */
    private void reply(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "application/json", "{\"status\":\"method_not_allowed\"}");
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(inboundUrl)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (!webhookToken.isEmpty()) {
            request.header("Authorization", "Bearer " + webhookToken);
        }
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            answer(exchange, 502, "application/json", "{\"status\":\"herald_unreachable\"}");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Map<String, String> reply = fields(body);
        remember("reply from " + reply.getOrDefault("from", "") + "  to " + reply.getOrDefault("to", "") + "  "
                + reply.getOrDefault("text", "") + "  (Herald answered " + answer.statusCode() + ")");
        answer(exchange, answer.statusCode(), "application/json", answer.body());
    }

    /** Posts a delivery status; a refused or non-2xx post is tried again with a doubling delay, 8 times at most. */
    private void report(String callback, String report, int attempt) {
        int code;
        try {
            code = http.send(HttpRequest.newBuilder(URI.create(callback)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(report)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            code = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (code / 100 != 2 && attempt < 8) {
            reports.schedule(() -> report(callback, report, attempt + 1), 1000L << attempt, TimeUnit.MILLISECONDS);
        } else if (code / 100 != 2) {
            log("gave up the delivery report to " + withoutQuery(callback) + " (last answer " + code + "): " + report);
        }
    }

    /** The URL without its query string, which holds Herald's webhook token: never logged. */
    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    private static Map<String, String> fields(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            out.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
        }
        return out;
    }

    private synchronized void remember(String line) {
        recent.addFirst(line);
        while (recent.size() > KEEP) {
            recent.removeLast();
        }
    }

    private synchronized String messagesJson() {
        StringBuilder json = new StringBuilder("{\"sent\":" + ids.get() + ",\"recent\":[");
        String separator = "";
        for (String line : recent) {
            json.append(separator).append('"').append(line.replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n")).append('"');
            separator = ",";
        }
        return json.append("]}").toString();
    }

    private synchronized String page() {
        StringBuilder html = new StringBuilder("<!doctype html><meta http-equiv=refresh content=5><title>SMS simulator"
                + "</title><h1>SMS provider simulator</h1><p>" + ids.get() + " messages accepted. Latest first:</p><pre>");
        for (String line : recent) {
            html.append(line.replace("&", "&amp;").replace("<", "&lt;")).append('\n');
        }
        return html.append("</pre>").toString();
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** {@code name}, or the content of the file {@code name_FILE} names (a Docker secret), trimmed; empty if neither. */
    private static String envOrFile(String name) {
        String file = env(name + "_FILE", "");
        if (file.isEmpty()) {
            return env(name, "");
        }
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(file)).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + "_FILE " + file, e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void log(String line) {
        System.out.println(ZonedDateTime.now(ZoneOffset.UTC) + " " + line);
    }
}
