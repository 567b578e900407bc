package io.relata.web.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client for the deployed CRM. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final HttpClient client = CLIENT;
    private final URI base;
    private final String authorization;
    private final java.util.Map<String, String> headers;

    /** Anonymous: sends no credentials. */
    Http(URI base) {
        this(base, null, java.util.Map.of());
    }

    private Http(URI base, String authorization, java.util.Map<String, String> headers) {
        this.base = base;
        this.authorization = authorization;
        this.headers = headers;
    }

    Http basic(String username, String password) {
        return new Http(base, "Basic " + java.util.Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)), headers);
    }

    Http bearer(String token) {
        return new Http(base, "Bearer " + token, headers);
    }

    /** The Authorization header this client sends, if any. */
    java.util.Optional<String> authorization() {
        return java.util.Optional.ofNullable(authorization);
    }

    /** Sends {@code name: value} with every request. */
    Http header(String name, String value) {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new Http(base, authorization, java.util.Map.copyOf(more));
    }

    /**
     * As a client at {@code address} behind the local reverse proxy the CRM trusts (the tests connect from
     * 127.0.0.1, a trusted proxy by default).
     */
    Http from(String address) {
        return header("X-Forwarded-For", address);
    }

    /** Sends a GET without waiting for the answer, for requests that must arrive together. */
    java.util.concurrent.CompletableFuture<Reply> getAsync(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(60));
        decorate(request);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(Reply::new);
    }

    private void decorate(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A file as the body ({@code application/java-archive}), e.g. a plugin jar. */
    Reply postJar(String path, java.nio.file.Path jar) throws java.io.FileNotFoundException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/java-archive")
                .POST(HttpRequest.BodyPublishers.ofFile(jar)));
    }

    /** {@link #postJar} with PUT. */
    Reply putJar(String path, java.nio.file.Path jar) throws java.io.FileNotFoundException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/java-archive")
                .PUT(HttpRequest.BodyPublishers.ofFile(jar)));
    }

    /** As an HTML form posts (application/x-www-form-urlencoded). */
    Reply postForm(String path, String form) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /**
     * Announces a body of {@code contentLength} bytes but sends only {@code start} of it, then reads the answer:
     * what a client sees of a server that refuses a body by its announced size, without reading it. (A client
     * that sends the whole body first, like {@link HttpClient}, cannot see such an answer.)
     *
     * @return the status and the body of the answer; the server closes the connection after it
     */
    Raw postAnnounced(String path, long contentLength, String start) {
        URI uri = uri(path);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost()
                    + ":" + uri.getPort() + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n");
            if (authorization != null) {
                head.append("Authorization: ").append(authorization).append("\r\n");
            }
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            socket.getOutputStream().write((head + "\r\n" + start).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
            int bodyAt = answer.indexOf("\r\n\r\n");
            return new Raw(status, answer.substring(0, bodyAt), answer.substring(bodyAt + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An answer read off the socket: status, header lines and body (as sent, e.g. chunked). */
    record Raw(int status, String head, String body) {
    }

    /**
     * Without a Content-Length: the body is sent in chunks of unknown total size, on a connection of its own. A pooled
     * one may have idled out on the server meanwhile (its keep-alive timeout is 30 s, as long as {@link #postAnnounced}
     * waits for its answer): the POST then met a closed connection ("EOF reached while reading"), which the JDK client
     * does not retry for a POST.
     */
    Reply postChunked(String path, String json) {
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
        decorate(request);
        try {
            HttpClient own = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            return new Reply(own.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply patch(String path, String json, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return send(request);
    }

    Reply put(String path, String json, String ifMatch) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").header("If-Match", ifMatch)
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Any method (WebDAV's PROPFIND, REPORT, …) with a body of {@code contentType} and headers as name, value pairs. */
    Reply send(String method, String path, String contentType, String body, String... headerPairs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            request.header(headerPairs[i], headerPairs[i + 1]);
        }
        return send(request);
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    URI uri(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private Reply send(HttpRequest.Builder request) {
        decorate(request);
        HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
        try {
            try {
                return new Reply(client.send(built, HttpResponse.BodyHandlers.ofString()));
            } catch (IOException e) {
                // the pooled connection was closed by the server while idle, before this request went out on it (the
                // JDK client retries that only for GET): sending it again on a new connection is what a browser does
                if (!String.valueOf(e.getMessage()).contains("Idle connection closed")) {
                    throw e;
                }
                return new Reply(client.send(built, HttpResponse.BodyHandlers.ofString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Reply(HttpResponse<String> response) {

        int status() {
            return response.statusCode();
        }

        String body() {
            return response.body();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        JsonObject json() {
            try (var reader = Json.createReader(new StringReader(response.body()))) {
                JsonStructure structure = reader.read();
                return structure.asJsonObject();
            } catch (RuntimeException e) {
                throw new AssertionError("Not a JSON object (" + response.statusCode() + "): " + response.body(), e);
            }
        }

        @Override
        public String toString() {
            return response.statusCode() + " " + response.body();
        }
    }
}
