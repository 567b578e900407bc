package io.relata.plugins;

import io.relata.api.plugin.JsonEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link JsonEndpoint} of an integration whose settings name a {@code url}: POST with a JSON body, bearer
 * {@code api_key} or basic {@code user}/{@code password}, {@code timeout_ms} (default 4 s, below the 5 s a plugin call may take by default) for the whole exchange.
 * Redirects are not followed (a credential must not travel to a host the administrator did not name).
 */
final class HttpJsonEndpoint implements JsonEndpoint {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(4);
    private static final int MAX_ANSWER_IN_MESSAGE = 300;

    private final URI url;
    private final Map<String, String> settings;
    private final PlainJson json;
    private final HttpClient client;
    private final Duration timeout;

    private HttpJsonEndpoint(URI url, Map<String, String> settings, PlainJson json, HttpClient client, Duration timeout) {
        this.url = url;
        this.settings = settings;
        this.json = json;
        this.client = client;
        this.timeout = timeout;
    }

    /**
     * The endpoint the settings configure, or empty when they name no URL.
     *
     * @throws IllegalArgumentException when the URL is not an http(s) URL or the timeout is not a number of
     *                                  milliseconds (the administrator's mistake, reported with the call)
     */
    static Optional<JsonEndpoint> of(String integration, Map<String, String> settings, PlainJson json, HttpClient client) {
        String url = settings.get("url");
        if (url == null) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The URL of the integration " + integration + " ('" + url
                    + "') is not a URL: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("The URL of the integration " + integration + " ('" + url
                    + "') must start with http:// or https://");
        }
        Duration timeout = DEFAULT_TIMEOUT;
        String millis = settings.get("timeout_ms");
        if (millis != null) {
            try {
                timeout = Duration.ofMillis(Long.parseLong(millis));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("The timeout of the integration " + integration + " ('" + millis
                        + "') is not a number of milliseconds, e.g. 5000");
            }
        }
        return Optional.of(new HttpJsonEndpoint(uri, settings, json, client, timeout));
    }

    /** The client endpoints share: no redirects, connections on loopback or wherever the administrator points. */
    static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public URI url() {
        return url;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> post(Map<String, Object> body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.write(body), StandardCharsets.UTF_8));
        if (settings.containsKey("api_key")) {
            request.header("Authorization", "Bearer " + settings.get("api_key"));
        } else if (settings.containsKey("user")) {
            String pair = settings.get("user") + ":" + settings.getOrDefault("password", "");
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new IOException("POST " + url + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("POST " + url + " was interrupted", e);
        }
        String text = response.body() == null ? "" : response.body().strip();
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            throw new IOException("POST " + url + " answered HTTP " + response.statusCode() + (text.isEmpty() ? ""
                    : ": " + start(text)));
        }
        Object answer;
        try {
            answer = json.read(text);
        } catch (RuntimeException e) {
            throw new IOException("POST " + url + " answered no JSON: " + start(text), e);
        }
        if (!(answer instanceof Map<?, ?> object)) {
            throw new IOException("POST " + url + " answered JSON, but not an object: " + start(text));
        }
        return (Map<String, Object>) ExtensionRegistry.plainValue(object);
    }

    private static String start(String text) {
        return text.length() > MAX_ANSWER_IN_MESSAGE ? text.substring(0, MAX_ANSWER_IN_MESSAGE) + "…" : text;
    }
}
