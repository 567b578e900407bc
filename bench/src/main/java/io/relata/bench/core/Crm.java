package io.relata.bench.core;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The CRM's REST API as one user: Basic (username and password) or a personal API token. */
final class Crm {

    /** One HTTP/1.1 client for all users: keep-alive connections, as a browser or integration would hold. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final String authorization;
    private final String label;

    private Crm(URI base, String authorization, String label) {
        this.base = base;
        this.authorization = authorization;
        this.label = label;
    }

    static Crm basic(URI base, String username, String password) {
        String credentials = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new Crm(base, "Basic " + credentials, username + " (Basic)");
    }

    Crm withToken(String token) {
        return new Crm(base, "Bearer " + token, label.replace("(Basic)", "(token)"));
    }

    String label() {
        return label;
    }

    /** GET {@code path} (with its query), the body as text; anything but 200 is an error. */
    String get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build(), 200);
    }

    /** GET without credentials (a page before login). */
    static String anonymousGet(URI base, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** The id of the user {@code username} (this client must be an administrator). */
    long userId(String username) throws IOException, InterruptedException {
        for (var user : getJson("/api/v1/admin/users").getJsonArray("items").getValuesAs(JsonObject.class)) {
            if (user.getString("username").equals(username)) {
                return user.getJsonNumber("id").longValue();
            }
        }
        throw new IllegalStateException("No user " + username);
    }

    JsonObject getJson(String path) throws IOException, InterruptedException {
        return parse(get(path));
    }

    JsonObject post(String path, String json) throws IOException, InterruptedException {
        return parse(send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), 201));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", authorization).header("Accept", "application/json, text/html");
    }

    private String send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " as " + label + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static JsonObject parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    /** A JSON string literal. */
    static String quote(String text) {
        return Json.createValue(text).toString();
    }
}
