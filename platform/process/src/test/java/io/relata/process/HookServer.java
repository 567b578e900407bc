package io.relata.process;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/** A webhook receiver on 127.0.0.1 that records what it is sent and answers with the status tests choose. */
final class HookServer implements AutoCloseable {

    private final HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile IntUnaryOperator status = call -> 200;

    HookServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            int code = status.applyAsInt(calls.incrementAndGet());
            if (code == 204) {
                exchange.sendResponseHeaders(code, -1);
                exchange.close();
                return;
            }
            byte[] answer = (code < 300 ? "ok" : "broken").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** @param byCall status for the n-th call (1-based) */
    void answer(IntUnaryOperator byCall) {
        status = byCall;
    }

    List<String> bodies() {
        return bodies;
    }

    int calls() {
        return calls.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
