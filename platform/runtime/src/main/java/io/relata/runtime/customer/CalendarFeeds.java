package io.relata.runtime.customer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The secret tokens of users' calendar feeds: a token in the feed's URL stands for its user, so that a calendar
 * app can subscribe without a password. 256 random bits, of which only the SHA-256 is kept; a user has at most one
 * (a new one replaces it), and revoking it stops the URL at once.
 */
public final class CalendarFeeds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final Clock clock;

    public CalendarFeeds(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new token for the user's feed; the previous one stops working. Shown once: only its hash is stored. */
    public String renew(long userId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sql(c -> {
            c.setAutoCommit(false); // the old token goes and the new one comes in one step
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM crm_calendar_feed WHERE user_id = ?")) {
                delete.setLong(1, userId);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO crm_calendar_feed (user_id, token_hash, created_at) VALUES (?, ?, ?)")) {
                insert.setLong(1, userId);
                insert.setString(2, hash(token));
                insert.setObject(3, OffsetDateTime.now(clock));
                insert.executeUpdate();
            }
            c.commit();
            return null;
        });
        return token;
    }

    /** When the user's current token was made, if they have one. */
    public Optional<OffsetDateTime> createdAt(long userId) {
        return sql(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT created_at FROM crm_calendar_feed WHERE user_id = ?")) {
                query.setLong(1, userId);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getObject(1, OffsetDateTime.class)) : Optional.empty();
                }
            }
        });
    }

    public void revoke(long userId) {
        sql(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM crm_calendar_feed WHERE user_id = ?")) {
                delete.setLong(1, userId);
                delete.executeUpdate();
            }
            return null;
        });
    }

    /** The user a token stands for; empty for a token that is unknown, revoked or replaced. */
    public Optional<Long> userOf(String token) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        return sql(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT user_id FROM crm_calendar_feed WHERE token_hash = ?")) {
                query.setString(1, hash(token));
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
            }
        });
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T sql(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read or write calendar feed tokens: " + e.getMessage(), e);
        }
    }
}
