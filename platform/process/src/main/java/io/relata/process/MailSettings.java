package io.relata.process;

import java.time.Duration;

/**
 * The SMTP server the {@link Outbox} sends process mails through. Without a host, mails stay queued
 * (state {@code pending}) until one is configured: nothing is lost and nothing is reported as failed.
 *
 * @param host     SMTP host, or null for "not configured"
 * @param username null for a server without authentication
 * @param startTls require STARTTLS before authenticating and sending
 * @param timeout  for connecting to, reading from and writing to the server
 */
public record MailSettings(String host, int port, String from, String username, String password, boolean startTls,
                           Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** No mail server: mails wait in the outbox. */
    public static final MailSettings NONE = new MailSettings(null, 25, "crm@localhost", null, null, false, DEFAULT_TIMEOUT);

    public MailSettings {
        host = blankToNull(host);
        username = blankToNull(username);
        password = blankToNull(password);
        if (port <= 0 || port > 65_535) {
            throw new IllegalArgumentException("The SMTP port must be between 1 and 65535, not " + port);
        }
        if (from == null || from.isBlank()) {
            throw new IllegalArgumentException("Mails need a sender address (CRM_SMTP_FROM)");
        }
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    public boolean isConfigured() {
        return host != null;
    }

    /** A mail session for this server: its host and port, the timeouts, STARTTLS and authentication as set. */
    public jakarta.mail.Session session() {
        java.util.Properties properties = new java.util.Properties();
        String millis = String.valueOf(timeout.toMillis());
        properties.put("mail.smtp.host", host);
        properties.put("mail.smtp.port", String.valueOf(port));
        properties.put("mail.smtp.connectiontimeout", millis);
        properties.put("mail.smtp.timeout", millis);
        properties.put("mail.smtp.writetimeout", millis);
        if (startTls) {
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.starttls.required", "true");
        }
        if (username != null) {
            properties.put("mail.smtp.auth", "true");
        }
        return jakarta.mail.Session.getInstance(properties);
    }

    @Override
    public String toString() {
        return "MailSettings[host=" + host + ", port=" + port + ", from=" + from + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", startTls=" + startTls + ", timeout=" + timeout + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
