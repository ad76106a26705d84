package io.herald.tools;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The {@link SmppSimulator}'s counters over HTTP on 127.0.0.1, in the benchmarks' sink protocol (bench/lib.sh):
 * {@code GET /count} answers {@code {"count":N,"first_ms":T,"last_ms":T}}, {@code GET /reset} zeroes them.
 */
final class SimulatorControl {
    private SimulatorControl() {
    }

    static HttpServer start(int port, SmppSimulator simulator) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/count", exchange -> {
            long[] c = simulator.counts();
            byte[] body = ("{\"count\":" + c[0] + ",\"first_ms\":" + c[1] + ",\"last_ms\":" + c[2] + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/reset", exchange -> {
            simulator.resetCounts();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
