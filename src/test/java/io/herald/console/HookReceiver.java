package io.herald.console;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A webhook receiver on a real HTTP server: answers every POST with the status it is set to, and keeps the bodies. */
final class HookReceiver implements AutoCloseable {
    private final HttpServer server;
    private volatile int status = 503;
    final List<String> bodies = new CopyOnWriteArrayList<>();

    HookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void answer(int status) {
        this.status = status;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
