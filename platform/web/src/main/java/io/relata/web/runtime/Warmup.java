package io.relata.web.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pays in the background, once the CRM serves, what the first visitor would otherwise wait for: Faces' and
 * PrimeFaces' first rendering (class loading, the login view compiled) and the scripts and style sheets every
 * page loads (the rules are compiled from the metadata load on: {@link Platform}). It asks the server over loopback like a browser that has not logged in: no login is tried and
 * no data is read (the session the login form opens expires unused). Readiness does not wait for it.
 */
final class Warmup implements Runnable {

    private static final Logger LOG = Logger.getLogger(Warmup.class.getName());
    /** How long to wait for the deployment to serve: a busy machine takes minutes. */
    private static final long SERVE_TIMEOUT_MS = 180_000;
    private static final Pattern RESOURCE = Pattern.compile("(?:href|src)=\"(/jakarta\\.faces\\.resource/[^\"]+)\"");

    private final URI base;

    Warmup(URI base) {
        this.base = base;
    }

    /** Starts the warm-up on a daemon thread of low priority. */
    static void startInBackground(int port) {
        Thread thread = new Thread(new Warmup(URI.create("http://127.0.0.1:" + port)), "relata-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    @Override
    public void run() {
        try {
            long deadline = System.currentTimeMillis() + SERVE_TIMEOUT_MS;
            String login = null;
            while (login == null && System.currentTimeMillis() < deadline) {
                login = page("/login.xhtml");
                if (login == null) {
                    Thread.sleep(250);
                }
            }
            if (login == null) {
                LOG.fine("Warm-up skipped: the login page did not answer");
                return;
            }
            long started = System.nanoTime();
            page("/login.xhtml"); // the second rendering runs what the first only loaded
            Set<String> resources = new LinkedHashSet<>();
            Matcher resource = RESOURCE.matcher(login);
            while (resource.find()) {
                resources.add(resource.group(1).replace("&amp;", "&"));
            }
            for (String path : resources) {
                page(path);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            LOG.info(() -> "Warm-up done in " + millis + " ms: login page and " + resources.size() + " scripts and style sheets");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Warm-up stopped", e);
        }
    }

    /** The body of a 200 answer, or null (not serving yet, or refused). */
    private String page(String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) base.resolve(path).toURL().openConnection();
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(60_000);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("Accept-Language", "en");
            try {
                if (connection.getResponseCode() != 200) {
                    return null;
                }
                try (InputStream body = connection.getInputStream()) {
                    return new String(body.readAllBytes(), StandardCharsets.UTF_8);
                }
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return null;
        }
    }
}
