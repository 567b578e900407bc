package io.relata.identity;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Slows down password guessing without handing attackers a way to lock users out. Attempts are counted in
 * two buckets: a user name from one client address, and one client address for all user names. Each bucket
 * lets a few failures through freely, then holds further attempts back for a delay that doubles with every
 * further failure. Someone guessing from elsewhere therefore never keeps the real user out, and sessions
 * that are already open are not touched at all.
 *
 * <p>An attempt is reserved (counted as failed) before its password is hashed, in one database transaction
 * that locks the bucket rows: however many guesses arrive at once, at most the free number is ever checked
 * before the hold starts. A success forgets the user's failures, except those of attempts still being
 * checked, so parallel guesses cannot ride on it either. Runs with the platform clock, so tests move time
 * instead of waiting.
 */
public final class LoginThrottle {

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class.getName());
    private static final Duration CLEAN_UP_EVERY = Duration.ofHours(1);
    private static final String DECREMENT_PENDING = "CASE WHEN pending > 0 THEN pending - 1 ELSE 0 END";

    /**
     * How many failures a bucket lets through, the first delay after them (doubling per further failure) and
     * its cap; after {@code forgetAfter} without attempts a bucket starts afresh.
     */
    public record Limits(int freeFailures, Duration firstDelay, Duration maxDelay) {

        public Limits {
            if (freeFailures < 1 || firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("Throttle limits need at least one free failure and 0 < first delay <= max delay");
            }
        }

        /** The hold after the {@code failures}-th failure, or zero while failures are still free. */
        Duration delayAfter(int failures) {
            if (failures < freeFailures) {
                return Duration.ZERO;
            }
            int doublings = Math.min(failures - freeFailures, 30);
            Duration delay = firstDelay.multipliedBy(1L << doublings);
            return delay.compareTo(maxDelay) > 0 || delay.isNegative() ? maxDelay : delay;
        }
    }

    /** Limits per user name and address, per address, and when an idle bucket is forgotten. */
    public record Policy(Limits perUserAndAddress, Limits perAddress, Duration forgetAfter) {

        /**
         * Five wrong passwords for one user from one address, then 1, 2, 4 … up to 60 minutes between tries;
         * twenty failures from one address over all user names, then 1, 2, 4 … up to 15 minutes.
         */
        public static final Policy DEFAULT = new Policy(
                new Limits(5, Duration.ofMinutes(1), Duration.ofMinutes(60)),
                new Limits(20, Duration.ofMinutes(1), Duration.ofMinutes(15)),
                Duration.ofHours(24));
    }

    /**
     * The answer to "may this attempt be checked?". When granted, the caller checks the password and must
     * report the outcome with {@link #finished}; a failure was already counted in advance.
     * {@code heldUntil} is when attempts may resume: for a refused attempt, and for a granted one whose
     * failure starts a hold.
     */
    public record Ticket(boolean granted, Instant heldUntil, String username, String remote, boolean addressHoldSet) {

        /** True if this attempt, should it fail, is the one that starts holding the user's attempts back. */
        public boolean startsHold() {
            return granted && heldUntil != null;
        }
    }

    /** A bucket as administrators see it. */
    public record Bucket(long id, String username, String remote, int failures, Instant lastAttempt, Instant heldUntil) {

        /** A bucket of a whole client address, for all user names. */
        public boolean wholeAddress() {
            return username == null;
        }

        public boolean heldAt(Instant now) {
            return heldUntil != null && heldUntil.isAfter(now);
        }

        public OffsetDateTime getHeldUntil() {
            return heldUntil == null ? null : heldUntil.atOffset(ZoneOffset.UTC);
        }

        public OffsetDateTime getLastAttempt() {
            return lastAttempt.atOffset(ZoneOffset.UTC);
        }
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final Policy policy;
    private final AtomicReference<Instant> lastCleanUp = new AtomicReference<>(Instant.MIN);

    public LoginThrottle(DataSource dataSource, Clock clock, Policy policy) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.policy = policy;
    }

    /**
     * Reserves one attempt of {@code username} from {@code remote} in both buckets, or refuses it without
     * counting if either bucket is holding attempts back. Never lets an attempt through on a database error.
     */
    public Ticket reserve(String username, String remote) {
        String user = key(username);
        String address = remote == null || remote.isBlank() ? "unknown" : remote;
        Instant now = clock.instant();
        cleanUpNowAndThen(now);
        for (int round = 1; ; round++) {
            SQLException failure = null;
            try (Connection connection = dataSource.getConnection()) {
                Ticket ticket = reserve(connection, user, address, now);
                if (ticket != null) {
                    return ticket;
                }
            } catch (SQLException e) {
                failure = e; // e.g. a lock wait that timed out under heavy guessing: try again
            }
            if (round == 4) {
                String cause = failure == null ? "its rows kept changing" : failure.getMessage();
                LOG.warning(() -> "Login attempt of '" + user + "' from " + address + " refused: the throttle could not be read ("
                        + cause + ")");
                return new Ticket(false, now.plusSeconds(5), user, address, false);
            }
        }
    }

    /** null if a bucket row vanished or appeared under our feet: the caller tries again. */
    private Ticket reserve(Connection connection, String user, String address, Instant now) throws SQLException {
        String userBucket = bucket("user", address, user);
        String addressBucket = bucket("address", address, "");
        insertIfAbsent(connection, userBucket, user, address, now);
        insertIfAbsent(connection, addressBucket, null, address, now);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            // Always the user's bucket first, then the address's: two attempts never wait for each other in a circle.
            Row userRow = lock(connection, userBucket);
            Row addressRow = lock(connection, addressBucket);
            if (userRow == null || addressRow == null) {
                connection.rollback();
                return null;
            }
            userRow = userRow.forgottenIfIdle(now, policy.forgetAfter());
            addressRow = addressRow.forgottenIfIdle(now, policy.forgetAfter());
            Instant held = later(userRow.heldAt(now), addressRow.heldAt(now));
            if (held != null) {
                connection.rollback();
                return new Ticket(false, held, user, address, false);
            }
            Instant userHold = hold(now, policy.perUserAndAddress(), userRow.failures() + 1);
            Instant addressHold = hold(now, policy.perAddress(), addressRow.failures() + 1);
            update(connection, userRow.id(), userRow.failures() + 1, userRow.pending() + 1, now, userHold);
            update(connection, addressRow.id(), addressRow.failures() + 1, addressRow.pending() + 1, now, addressHold);
            connection.commit();
            return new Ticket(true, later(userHold, addressHold), user, address, addressHold != null);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * The password of a granted attempt has been checked. Right: the user's bucket forgets its failures except
     * those of attempts still being checked, and the address gets back the attempt it lent (lifting the hold
     * this attempt would have started). Wrong: it stays counted.
     */
    public void finished(Ticket ticket, boolean passwordRight) {
        if (!ticket.granted()) {
            return;
        }
        // SET expressions all see the row as it was: "pending - 1" is the number of other attempts still running.
        String user = passwordRight
                ? "UPDATE crm_login_throttle SET pending = " + DECREMENT_PENDING + ", failures = " + DECREMENT_PENDING
                        + ", held_until = CASE WHEN pending - 1 >= ? THEN held_until ELSE NULL END WHERE bucket = ?"
                : "UPDATE crm_login_throttle SET pending = " + DECREMENT_PENDING + " WHERE bucket = ?";
        String address = "UPDATE crm_login_throttle SET pending = " + DECREMENT_PENDING
                + (passwordRight ? ", failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END" : "")
                + (passwordRight && ticket.addressHoldSet() ? ", held_until = NULL" : "") + " WHERE bucket = ?";
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement(user)) {
                int next = 1;
                if (passwordRight) {
                    statement.setInt(next++, policy.perUserAndAddress().freeFailures());
                }
                statement.setString(next, bucket("user", ticket.remote(), ticket.username()));
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement(address)) {
                statement.setString(1, bucket("address", ticket.remote(), ""));
                statement.executeUpdate();
            }
        } catch (SQLException e) {
            // the bucket keeps one attempt too many until it is forgotten; the login itself stands
            LOG.warning(() -> "Could not update the login throttle of '" + ticket.username() + "': " + e.getMessage());
        }
    }

    /** Buckets with failures, held ones first: what administrators are shown. */
    public List<Bucket> buckets(int limit) {
        String sql = "SELECT id, username, remote, failures, last_attempt, held_until FROM crm_login_throttle WHERE failures > 0 "
                + "ORDER BY CASE WHEN held_until IS NULL THEN 1 ELSE 0 END, last_attempt DESC, id DESC";
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setMaxRows(limit);
            List<Bucket> buckets = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    buckets.add(new Bucket(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getInt(4),
                            instant(rows, 5), instant(rows, 6)));
                }
            }
            return buckets;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the login throttle: " + e.getMessage(), e);
        }
    }

    /** An administrator lets one bucket try again at once; false if there is no such bucket. */
    public boolean release(long bucketId) {
        return execute("UPDATE crm_login_throttle SET failures = pending, held_until = NULL WHERE id = ?", ps -> ps.setLong(1, bucketId)) > 0;
    }

    /** An administrator lets a user try again at once from every address. */
    public void releaseUser(String username) {
        execute("UPDATE crm_login_throttle SET failures = pending, held_until = NULL WHERE username = ?", ps -> ps.setString(1, key(username)));
    }

    // ---- internals ----

    private record Row(long id, int failures, int pending, Instant lastAttempt, Instant heldUntil) {

        /** Also forgets attempts whose end was never reported (the server stopped while checking them). */
        Row forgottenIfIdle(Instant now, Duration forgetAfter) {
            boolean idle = lastAttempt.plus(forgetAfter).isBefore(now) && (heldUntil == null || !heldUntil.isAfter(now));
            return idle ? new Row(id, 0, 0, lastAttempt, null) : this;
        }

        Instant heldAt(Instant now) {
            return heldUntil != null && heldUntil.isAfter(now) ? heldUntil : null;
        }
    }

    private static Instant hold(Instant now, Limits limits, int failures) {
        Duration delay = limits.delayAfter(failures);
        return delay.isZero() ? null : now.plus(delay);
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static Row lock(Connection connection, String bucket) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, failures, pending, last_attempt, held_until FROM crm_login_throttle WHERE bucket = ? FOR UPDATE")) {
            select.setString(1, bucket);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new Row(row.getLong(1), row.getInt(2), row.getInt(3), instant(row, 4), instant(row, 5)) : null;
            }
        }
    }

    private static void update(Connection connection, long id, int failures, int pending, Instant now, Instant heldUntil)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE crm_login_throttle SET failures = ?, pending = ?, last_attempt = ?, held_until = ? WHERE id = ?")) {
            update.setInt(1, failures);
            update.setInt(2, pending);
            update.setObject(3, now.atOffset(ZoneOffset.UTC));
            update.setObject(4, heldUntil == null ? null : heldUntil.atOffset(ZoneOffset.UTC));
            update.setLong(5, id);
            update.executeUpdate();
        }
    }

    /**
     * Outside the locking transaction (auto-commit): a parallel insert of the same bucket then fails harmlessly
     * on the unique index instead of aborting the transaction.
     */
    private static void insertIfAbsent(Connection connection, String bucket, String username, String remote, Instant now)
            throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM crm_login_throttle WHERE bucket = ?")) {
            exists.setString(1, bucket);
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO crm_login_throttle (bucket, username, remote, failures, pending, last_attempt) VALUES (?, ?, ?, 0, 0, ?)")) {
            insert.setString(1, bucket);
            insert.setString(2, username);
            insert.setString(3, truncate(remote));
            insert.setObject(4, now.atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private void cleanUpNowAndThen(Instant now) {
        Instant last = lastCleanUp.get();
        if (last.plus(CLEAN_UP_EVERY).isAfter(now) || !lastCleanUp.compareAndSet(last, now)) {
            return;
        }
        Instant idleSince = now.minus(policy.forgetAfter());
        execute("DELETE FROM crm_login_throttle WHERE last_attempt < ? AND (held_until IS NULL OR held_until < ?)", ps -> {
            ps.setObject(1, idleSince.atOffset(ZoneOffset.UTC));
            ps.setObject(2, now.atOffset(ZoneOffset.UTC));
        });
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private int execute(String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not change the login throttle: " + e.getMessage(), e);
        }
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** User names are compared as typed, trimmed and lower-cased, so case variants share one bucket. */
    static String key(String username) {
        return truncate(username == null ? "" : username.trim().toLowerCase(Locale.ROOT));
    }

    private static String truncate(String text) {
        return text.length() > 100 ? text.substring(0, 100) : text;
    }

    private static String bucket(String kind, String remote, String username) {
        return UserDirectory.sha256(kind + '\n' + truncate(remote) + '\n' + username);
    }
}
