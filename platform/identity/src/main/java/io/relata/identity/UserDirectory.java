package io.relata.identity;

import io.relata.api.security.Actor;
import jakarta.persistence.EntityManager;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.MessageFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Users, teams, passwords and API tokens. Passwords are PBKDF2-hashed (Jakarta Security) and must pass the
 * {@link PasswordPolicy}. Wrong passwords never lock an account: the {@link LoginThrottle} holds back further
 * attempts of that user name from that client address (and of that address altogether) for a growing while,
 * so nobody can lock others out by guessing; locking a user is an administrator's decision ({@link #lock}).
 * Every attempt lands in the login log. Wrong user names cost the same hashing time as wrong passwords, so
 * the answer time does not tell which user names exist.
 */
public class UserDirectory {

    public static final int MIN_PASSWORD_LENGTH = PasswordPolicy.MIN_LENGTH;
    private static final String TOKEN_PREFIX = "rlt_";
    /** The sizes of the columns (V2__users_teams_audit.sql): longer text is refused before the database would. */
    static final int MAX_DISPLAY_NAME = 200;
    static final int MAX_EMAIL = 254;
    static final int MAX_TOKEN_NAME = 100;
    private static final Logger LOG = Logger.getLogger(UserDirectory.class.getName());
    /**
     * How long a verified API token is trusted without reading the database. Every change in this directory
     * that could refuse a token (revoke, password change, deactivation, lock, new roles or teams) drops it
     * at once; only changes made elsewhere (another server on the same database, SQL by hand) wait this long.
     */
    static final Duration TOKEN_TRUST_TIME = Duration.ofSeconds(30);
    /** A token's "last used" is written at most this often, in the background, never in the request. */
    static final Duration LAST_USED_INTERVAL = Duration.ofMinutes(1);
    /** More verified tokens than this and the expired ones are swept out. */
    private static final int MAX_TRUSTED_TOKENS = 10_000;

    private final PersistenceUnit database;
    private final Pbkdf2PasswordHash hasher;
    private final Clock clock;
    private final LoginThrottle throttle;
    private final PasswordPolicy passwords;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;
    /** Verified tokens by their SHA-256: a token request costs no database work while trusted. */
    private final Map<String, TrustedToken> trustedTokens = new ConcurrentHashMap<>();
    /** Counts the drops from {@link #trustedTokens}, so a verification racing with one is not trusted. */
    private final AtomicLong distrusts = new AtomicLong();
    /** When each token's "last used" was last written (by token id). */
    private final Map<Long, Instant> lastUsedWritten = new ConcurrentHashMap<>();
    private final Executor lastUsedWriter;

    /**
     * Session and Basic logins verified recently, by user name: whether the account may still log in, its password
     * state and its roles and teams were read from the database at most {@link #TOKEN_TRUST_TIME} ago (a request
     * would otherwise read them every time). Changes made through this directory drop the entry at once.
     */
    private final Map<String, TrustedLogin> trustedLogins = new ConcurrentHashMap<>();

    private record TrustedLogin(long userId, OffsetDateTime passwordChanged, Actor actor, Instant verifiedAt) {
        boolean trustedAt(Instant now) {
            return !now.isBefore(verifiedAt) && now.isBefore(verifiedAt.plus(TOKEN_TRUST_TIME));
        }
    }

    /** A token verified at {@code verifiedAt}: whose it is and who its requests act as. */
    private record TrustedToken(long tokenId, long userId, Actor actor, Instant verifiedAt) {
        boolean trustedAt(Instant now) {
            return !now.isBefore(verifiedAt) && now.isBefore(verifiedAt.plus(TOKEN_TRUST_TIME));
        }
    }

    public UserDirectory(PersistenceUnit database, Pbkdf2PasswordHash hasher, Clock clock, LoginThrottle.Policy throttling,
                         PasswordPolicy passwords) {
        this(database, hasher, clock, throttling, passwords, backgroundWriter());
    }

    /** With {@code lastUsedWriter} running the writes of the tokens' "last used" (tests pass {@code Runnable::run}). */
    UserDirectory(PersistenceUnit database, Pbkdf2PasswordHash hasher, Clock clock, LoginThrottle.Policy throttling,
                  PasswordPolicy passwords, Executor lastUsedWriter) {
        this.lastUsedWriter = lastUsedWriter;
        this.database = database;
        this.hasher = hasher;
        this.clock = clock;
        this.throttle = new LoginThrottle(database.dataSource(), clock, throttling);
        this.passwords = passwords;
        hasher.initialize(Map.of("Pbkdf2PasswordHash.Iterations", "210000",
                "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA512", "Pbkdf2PasswordHash.SaltSizeBytes", "32"));
        this.dummyHash = hasher.generate("not a password of anyone".toCharArray());
    }

    /**
     * The outcome of a password check. {@code heldUntil}: for THROTTLED, when attempts of this user name from
     * this address may resume.
     */
    public record Authentication(LoginEvent.Outcome outcome, Actor actor, OffsetDateTime passwordChanged, Instant heldUntil) {
        public boolean succeeded() {
            return outcome == LoginEvent.Outcome.SUCCESS;
        }
    }

    /** Input the directory refuses; {@link #message(Locale)} gives the text in the user's language. */
    public static class RefusedException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;
        private final String messageKey;
        private final transient Object[] arguments;

        RefusedException(String messageKey, String english, Object... arguments) {
            super(english);
            this.messageKey = messageKey;
            this.arguments = arguments;
        }

        public String message(Locale locale) {
            String pattern = ResourceBundle.getBundle("io.relata.identity.messages", locale).getString(messageKey);
            return new MessageFormat(pattern.replace("'", "''"), locale).format(
                    java.util.Arrays.stream(arguments).map(String::valueOf).toArray());
        }
    }

    /** The current password given to change it was not accepted: wrong, or not checked because attempts wait. */
    public static final class CurrentPasswordRefusedException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;
        private final transient Authentication result;

        CurrentPasswordRefusedException(Authentication result) {
            super(result.outcome() == LoginEvent.Outcome.THROTTLED
                    ? "Too many failed attempts from this address; try again after " + result.heldUntil()
                    : "The current password is not correct");
            this.result = result;
        }

        public Authentication result() {
            return result;
        }
    }

    /**
     * Checks a user name and password from {@code remote}. The attempt is first reserved in the throttle; if
     * attempts of this name from this address wait, the password is not even hashed (THROTTLED).
     */
    public Authentication authenticate(String username, char[] password, LoginEvent.Channel channel, String remote) {
        String name = username == null ? "" : username.trim();
        LoginThrottle.Ticket ticket = throttle.reserve(name, remote);
        if (!ticket.granted()) {
            log(name, LoginEvent.Outcome.THROTTLED, channel, remote, ticket.heldUntil());
            return new Authentication(LoginEvent.Outcome.THROTTLED, null, null, ticket.heldUntil());
        }
        Authentication result = new Authentication(LoginEvent.Outcome.BAD_CREDENTIALS, null, null, null);
        try {
            result = check(name, password);
            return result;
        } finally {
            // LOCKED and INACTIVE are only ever answered to the right password
            boolean passwordRight = result.outcome() != LoginEvent.Outcome.BAD_CREDENTIALS;
            throttle.finished(ticket, passwordRight);
            if (!passwordRight && ticket.startsHold()) {
                String until = ticket.heldUntil().toString();
                LOG.warning(() -> "Repeated failed logins as '" + name + "' from " + ticket.remote() + ": further attempts wait until "
                        + until + " (administrators see this on the Users page)");
            }
            log(name, result.outcome(), channel, remote, !passwordRight && ticket.startsHold() ? ticket.heldUntil() : null);
        }
    }

    private Authentication check(String name, char[] password) {
        Optional<UserAccount> found = database.inTransaction(em -> findByUsername(em, name));
        if (found.isEmpty()) {
            hasher.verify(password, dummyHash);
            return new Authentication(LoginEvent.Outcome.BAD_CREDENTIALS, null, null, null);
        }
        UserAccount user = found.get();
        if (!hasher.verify(password, user.getPasswordHash())) {
            return new Authentication(LoginEvent.Outcome.BAD_CREDENTIALS, null, null, null);
        }
        if (user.isLocked()) {
            return new Authentication(LoginEvent.Outcome.LOCKED, null, null, null);
        }
        if (!user.isActive()) {
            return new Authentication(LoginEvent.Outcome.INACTIVE, null, null, null);
        }
        return database.inTransaction(em -> new Authentication(LoginEvent.Outcome.SUCCESS, actorOf(em, user),
                user.getPasswordChanged(), null));
    }

    /**
     * The user of a login verified a moment ago, if it still holds: the account is active, not locked, and
     * the password has not changed since {@code passwordChanged}.
     */
    public Optional<Actor> actorOfRecentLogin(String username, OffsetDateTime passwordChanged) {
        Instant now = clock.instant();
        TrustedLogin trusted = trustedLogins.get(username);
        if (trusted == null || !trusted.trustedAt(now)) {
            long distrustsBefore = distrusts.get();
            Optional<TrustedLogin> verified = database.inTransaction(em -> findByUsername(em, username)
                    .filter(UserAccount::mayLogIn)
                    .map(u -> new TrustedLogin(u.getId(), u.getPasswordChanged(), actorOf(em, u), now)));
            if (verified.isEmpty()) {
                trustedLogins.remove(username);
                return Optional.empty();
            }
            trusted = verified.get();
            trustedLogins.put(username, trusted);
            if (distrusts.get() != distrustsBefore) {
                trustedLogins.remove(username, trusted); // an account change raced with the read: verify again next time
            }
        }
        return passwordChanged.isEqual(trusted.passwordChanged()) ? Optional.of(trusted.actor()) : Optional.empty();
    }

    public Optional<Actor> actor(String username) {
        return database.inTransaction(em -> findByUsername(em, username).filter(UserAccount::mayLogIn).map(u -> actorOf(em, u)));
    }

    /**
     * Creates the first administrator if there are no users; returns the generated password, if one was made.
     * A configured password must pass the password policy like any other.
     *
     * @throws IllegalStateException naming {@code CRM_ADMIN_PASSWORD} and why it is refused
     */
    public Optional<String> bootstrapAdministrator(String configuredPassword, String administratorRole) {
        boolean generated = configuredPassword == null || configuredPassword.isBlank();
        return database.inTransaction(em -> {
            long users = em.createQuery("select count(u) from UserAccount u", Long.class).getSingleResult();
            if (users > 0) {
                return Optional.<String>empty();
            }
            String password = generated ? randomPassword(List.of("admin", "Administrator")) : configuredPassword;
            try {
                passwords.check(password, List.of("admin", "Administrator"));
            } catch (PasswordPolicy.RejectedException e) {
                throw new IllegalStateException("CRM_ADMIN_PASSWORD is not accepted as the password of the first user 'admin': "
                        + e.getMessage() + " Set another one, or leave it empty to have one generated.", e);
            }
            UserAccount admin = new UserAccount("admin", "Administrator", null, hasher.generate(password.toCharArray()));
            admin.setRoles(Set.of(administratorRole));
            em.persist(admin);
            return generated ? Optional.of(password) : Optional.<String>empty();
        });
    }

    /** @throws PasswordPolicy.RejectedException if the password is refused, saying why */
    /**
     * A colleague who owns records but cannot log in until an administrator sets a password (demo data): the
     * password is random and shown to nobody.
     */
    public UserAccount createUserWithoutPassword(String username, String displayName, String email, Set<String> roles) {
        return createUser(username, displayName, email, randomPassword(List.of(username, displayName == null ? "" : displayName)), roles);
    }

    public UserAccount createUser(String username, String displayName, String email, String password, Set<String> roles) {
        if (username == null || !username.matches("[a-zA-Z0-9._@-]{2,100}")) {
            throw new RefusedException("users.error.usernameInvalid", "The user name must be 2 to 100 letters, digits or . _ @ -");
        }
        checkText("display name", displayName, MAX_DISPLAY_NAME);
        checkText("e-mail address", email, MAX_EMAIL);
        String name = displayName == null || displayName.isBlank() ? username : displayName;
        passwords.check(password, List.of(username, name));
        return database.inTransaction(em -> {
            if (findByUsername(em, username).isPresent()) {
                throw new RefusedException("users.error.usernameTaken", "The user name '" + username + "' is taken", username);
            }
            UserAccount user = new UserAccount(username, name, email, hasher.generate(password.toCharArray()));
            user.setRoles(roles);
            em.persist(user);
            return user;
        });
    }

    /**
     * Users change their own password; the current one is checked like a login (so wrong guesses are
     * throttled like failed logins). With {@code revokeTokens} all their API tokens are revoked at the same
     * moment, for when someone else may have known the password. Returns how many tokens were revoked.
     *
     * @throws PasswordPolicy.RejectedException if the new password is refused
     * @throws CurrentPasswordRefusedException if the current password is wrong or was not checked
     */
    public int changePassword(String username, char[] currentPassword, String newPassword, String remote, boolean revokeTokens) {
        UserAccount user = database.inTransaction(em -> findByUsername(em, username))
                .orElseThrow(() -> new RefusedException("users.error.noUser", "No user named '" + username + "'", username));
        passwords.check(newPassword, List.of(user.getUsername(), user.getDisplayName()));
        Authentication current = authenticate(username, currentPassword == null ? new char[0] : currentPassword,
                LoginEvent.Channel.FORM, remote);
        if (!current.succeeded()) {
            throw new CurrentPasswordRefusedException(current);
        }
        int revoked = database.inTransaction(em -> {
            UserAccount stored = findByUsername(em, username).orElseThrow();
            stored.setPasswordHash(hasher.generate(newPassword.toCharArray()));
            return revokeTokens ? revokeAll(em, stored.getId()) : 0;
        });
        distrustUser(user.getId());
        return revoked;
    }

    /** The password state of a user, to tell whether a session still stands for the password it was opened with. */
    public Optional<OffsetDateTime> passwordChanged(String username) {
        return database.inTransaction(em -> findByUsername(em, username).map(UserAccount::getPasswordChanged));
    }

    /**
     * An administrator sets a user's password; waiting login attempts of the user are released (an
     * administrator's lock stays). Returns how many API tokens were revoked with {@code revokeTokens}.
     *
     * @throws PasswordPolicy.RejectedException if the password is refused
     */
    public int resetPassword(long userId, String newPassword, boolean revokeTokens) {
        UserAccount user = user(userId).orElseThrow(() -> new RefusedException("users.error.noUser", "No user with id " + userId, userId));
        passwords.check(newPassword, List.of(user.getUsername(), user.getDisplayName()));
        int revoked = database.inTransaction(em -> {
            em.find(UserAccount.class, userId).setPasswordHash(hasher.generate(newPassword.toCharArray()));
            return revokeTokens ? revokeAll(em, userId) : 0;
        });
        distrustUser(userId);
        throttle.releaseUser(user.getUsername());
        return revoked;
    }

    public void update(long userId, String displayName, String email, boolean active, Set<String> roles, List<Long> teamIds) {
        checkText("display name", displayName, MAX_DISPLAY_NAME);
        checkText("e-mail address", email, MAX_EMAIL);
        database.inTransactionDo(em -> {
            UserAccount user = Optional.ofNullable(em.find(UserAccount.class, userId))
                    .orElseThrow(() -> new RefusedException("users.error.noUser", "No user with id " + userId, userId));
            if (displayName != null && !displayName.isBlank()) {
                user.setDisplayName(displayName);
            }
            user.setEmail(email);
            user.setActive(active);
            user.setRoles(roles);
            em.createQuery("delete from TeamMembership m where m.key.userId = :user").setParameter("user", userId).executeUpdate();
            for (int i = 0; i < teamIds.size(); i++) {
                if (em.find(Team.class, teamIds.get(i)) == null) {
                    throw new RefusedException("users.error.noTeam", "No team with id " + teamIds.get(i), teamIds.get(i));
                }
                em.persist(new TeamMembership(userId, teamIds.get(i), i));
            }
        });
        distrustUser(userId); // deactivated, or other roles and teams: the actor of the token changes
    }

    /**
     * An administrator locks a user out: from the next request on, no login, session, Basic login or API
     * token of theirs works, until {@link #unlock}. Administrators cannot lock themselves out.
     */
    public void lock(long userId, Actor administrator) {
        if (administrator.userId() == userId) {
            throw new RefusedException("users.error.lockSelf", "You cannot lock yourself out");
        }
        database.inTransactionDo(em -> {
            UserAccount user = Optional.ofNullable(em.find(UserAccount.class, userId))
                    .orElseThrow(() -> new RefusedException("users.error.noUser", "No user with id " + userId, userId));
            if (!user.isLocked()) {
                user.lock(OffsetDateTime.now(clock), administrator.username());
            }
        });
        distrustUser(userId);
    }

    /** Lifts an administrator's lock and releases the user's waiting login attempts from every address. */
    public void unlock(long userId) {
        String username = database.inTransaction(em -> {
            UserAccount user = Optional.ofNullable(em.find(UserAccount.class, userId))
                    .orElseThrow(() -> new RefusedException("users.error.noUser", "No user with id " + userId, userId));
            user.unlock();
            return user.getUsername();
        });
        throttle.releaseUser(username);
    }

    /** Login attempts with failures, those that currently wait first. */
    public List<LoginThrottle.Bucket> throttledLogins(int limit) {
        return throttle.buckets(limit);
    }

    /** An administrator lets the attempts of one throttle bucket resume at once; false if there is none. */
    public boolean releaseThrottle(long bucketId) {
        return throttle.release(bucketId);
    }

    /** The time throttled logins are compared with: the platform clock. */
    public Instant now() {
        return clock.instant();
    }

    public Team createTeam(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new RefusedException("users.error.teamName", "A team needs a name of 1 to 100 characters");
        }
        checkText("team name", name, 100);
        return database.inTransaction(em -> {
            boolean taken = !em.createQuery("select t from Team t where t.name = :name", Team.class)
                    .setParameter("name", name.trim()).getResultList().isEmpty();
            if (taken) {
                throw new RefusedException("users.error.teamTaken", "The team name '" + name + "' is taken", name);
            }
            Team team = new Team(name.trim());
            em.persist(team);
            return team;
        });
    }

    /** The roles of every user who may log in (active, not locked): who would be an administrator under a model. */
    public List<Set<String>> rolesOfUsersWhoMayLogIn() {
        return users().stream().filter(UserAccount::mayLogIn).map(u -> Set.copyOf(u.getRoles())).toList();
    }

    public List<UserAccount> users() {
        return database.inTransaction(em -> em.createQuery("select u from UserAccount u order by u.username", UserAccount.class).getResultList());
    }

    public Optional<UserAccount> user(long id) {
        return database.inTransaction(em -> Optional.ofNullable(em.find(UserAccount.class, id)));
    }

    public List<Team> teams() {
        return database.inTransaction(em -> em.createQuery("select t from Team t order by t.name", Team.class).getResultList());
    }

    public List<Long> teamIds(long userId) {
        return database.inTransaction(em -> teamIds(em, userId));
    }

    public List<LoginEvent> loginLog(int limit) {
        return database.inTransaction(em -> em.createQuery("select e from LoginEvent e order by e.at desc, e.id desc", LoginEvent.class)
                .setMaxResults(limit).getResultList());
    }

    // ---- API tokens ----

    /** A token just created: {@code token} is the only time the secret is visible. */
    public record NewToken(ApiToken entity, String token) {
    }

    public NewToken createToken(long userId, String name) {
        checkText("token name", name, MAX_TOKEN_NAME);
        if (name != null && name.trim().length() > 100) {
            throw new RefusedException("token.nameTooLong", "A token name has at most 100 characters");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiToken entity = new ApiToken(userId, name == null || name.isBlank() ? "API token" : name.trim(), sha256(token), token.substring(0, 8),
                OffsetDateTime.now(clock));
        database.inTransactionDo(em -> em.persist(entity));
        return new NewToken(entity, token);
    }

    /**
     * The user of a personal API token. A revoked token, and the token of a user who is deactivated or
     * locked, stops working at once: a verified token is trusted for {@link #TOKEN_TRUST_TIME} without reading
     * the database (the write of "last used" and the check cost a create 39 % of its CPU), and every change here
     * that could refuse it drops that trust before the change returns.
     */
    public Optional<Actor> authenticateToken(String token, String remote) {
        String hash = sha256(token);
        Instant now = clock.instant();
        TrustedToken trusted = trustedTokens.get(hash);
        if (trusted != null && trusted.trustedAt(now)) {
            noteUse(trusted.tokenId(), now);
            return Optional.of(trusted.actor());
        }
        long distrustsBefore = distrusts.get();
        Optional<TrustedToken> verified = verify(hash, now);
        if (verified.isEmpty()) {
            trustedTokens.remove(hash);
            log(TOKEN_PREFIX + "…", LoginEvent.Outcome.TOKEN_REJECTED, LoginEvent.Channel.TOKEN, remote, null);
            return Optional.empty();
        }
        trust(hash, verified.get(), distrustsBefore);
        noteUse(verified.get().tokenId(), now);
        return verified.map(TrustedToken::actor);
    }

    /**
     * The token's user as the database has it now, if the token is not revoked and the user may log in. Plain
     * JDBC in one read-only transaction: the JPA reads (the user refreshed past the shared cache) took
     * EclipseLink's cache locks that every request with a session or Basic login waits for.
     */
    private Optional<TrustedToken> verify(String hash, Instant now) {
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try {
                long tokenId;
                long userId;
                String username;
                try (PreparedStatement token = connection.prepareStatement("SELECT t.id, u.id, u.username FROM crm_api_token t"
                        + " JOIN crm_user u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL"
                        + " AND u.active = TRUE AND u.locked_at IS NULL")) {
                    token.setString(1, hash);
                    try (ResultSet row = token.executeQuery()) {
                        if (!row.next()) {
                            return Optional.empty();
                        }
                        tokenId = row.getLong(1);
                        userId = row.getLong(2);
                        username = row.getString(3);
                    }
                }
                Set<String> roles = new LinkedHashSet<>();
                try (PreparedStatement query = connection.prepareStatement(
                        "SELECT role_name FROM crm_user_role WHERE user_id = ? ORDER BY role_name")) {
                    query.setLong(1, userId);
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            roles.add(rows.getString(1));
                        }
                    }
                }
                List<Long> teams = new ArrayList<>();
                try (PreparedStatement query = connection.prepareStatement(
                        "SELECT team_id FROM crm_team_member WHERE user_id = ? ORDER BY position")) {
                    query.setLong(1, userId);
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            teams.add(rows.getLong(1));
                        }
                    }
                }
                return Optional.of(new TrustedToken(tokenId, userId, Actor.user(userId, username, roles, teams), now));
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not check an API token: " + e.getMessage(), e);
        }
    }

    /**
     * Trusts a verification unless trust was dropped since it began: then the database may have answered
     * before the change that dropped it, and the next request verifies again.
     */
    private void trust(String hash, TrustedToken verified, long distrustsBefore) {
        if (trustedTokens.size() >= MAX_TRUSTED_TOKENS) {
            Instant now = clock.instant();
            trustedTokens.values().removeIf(t -> !t.trustedAt(now));
        }
        trustedTokens.put(hash, verified);
        if (distrusts.get() != distrustsBefore) {
            trustedTokens.remove(hash, verified); // a drop ran meanwhile; a drop after this check removes it itself
        }
    }

    /** Drops the trust in the tokens of a user whose account just changed. */
    private void distrustUser(long userId) {
        distrusts.incrementAndGet();
        trustedTokens.values().removeIf(t -> t.userId() == userId);
        trustedLogins.values().removeIf(l -> l.userId() == userId);
    }

    private void distrustToken(long tokenId) {
        distrusts.incrementAndGet();
        trustedTokens.values().removeIf(t -> t.tokenId() == tokenId);
    }

    /** Writes the token's "last used" in the background if the last write is {@link #LAST_USED_INTERVAL} old. */
    private void noteUse(long tokenId, Instant now) {
        boolean[] due = {false};
        lastUsedWritten.compute(tokenId, (id, written) -> {
            if (written == null || !now.isBefore(written.plus(LAST_USED_INTERVAL)) || now.isBefore(written)) {
                due[0] = true;
                return now;
            }
            return written;
        });
        if (!due[0]) {
            return;
        }
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        try {
            lastUsedWriter.execute(() -> writeLastUsed(tokenId, at));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            lastUsedWritten.remove(tokenId); // the queue is full: the next use tries again
        }
    }

    private void writeLastUsed(long tokenId, OffsetDateTime at) {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE crm_api_token SET last_used_at = ? WHERE id = ?")) {
            update.setObject(1, at);
            update.setLong(2, tokenId);
            update.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not note when API token " + tokenId + " was last used: " + e.getMessage(), e);
        } finally {
            database.evict(ApiToken.class, tokenId); // the token list reads it anew
        }
    }

    /** One daemon thread that writes the tokens' "last used", started when there is work and ended when idle. */
    private static Executor backgroundWriter() {
        ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1_000), r -> {
            Thread thread = new Thread(r, "relata-token-last-used");
            thread.setDaemon(true);
            return thread;
        });
        writer.allowCoreThreadTimeOut(true);
        return writer;
    }

    public List<ApiToken> tokens(long userId) {
        return database.inTransaction(em -> em.createQuery("select t from ApiToken t where t.userId = :user order by t.createdAt desc", ApiToken.class)
                .setParameter("user", userId).getResultList());
    }

    /** Revokes one of the user's own tokens; false if the user has no such token. */
    public boolean revokeToken(long userId, long tokenId) {
        boolean revoked = database.inTransaction(em -> {
            ApiToken token = em.find(ApiToken.class, tokenId);
            if (token == null || token.getUserId() != userId) {
                return false;
            }
            if (!token.isRevoked()) {
                token.setRevokedAt(OffsetDateTime.now(clock));
            }
            return true;
        });
        distrustToken(tokenId);
        return revoked;
    }

    /** How many of the user's API tokens still work (offered for revoking when the password changes). */
    public long activeTokenCount(long userId) {
        return database.inTransaction(em -> em.createQuery(
                        "select count(t) from ApiToken t where t.userId = :user and t.revokedAt is null", Long.class)
                .setParameter("user", userId).getSingleResult());
    }

    private int revokeAll(EntityManager em, long userId) {
        return em.createQuery("update ApiToken t set t.revokedAt = :now where t.userId = :user and t.revokedAt is null")
                .setParameter("now", OffsetDateTime.now(clock)).setParameter("user", userId).executeUpdate();
    }

    public void logLogout(String username, String remote) {
        log(username, LoginEvent.Outcome.LOGOUT, LoginEvent.Channel.FORM, remote, null);
    }

    // ---- internals ----

    private void log(String username, LoginEvent.Outcome outcome, LoginEvent.Channel channel, String remote, Instant heldUntil) {
        OffsetDateTime until = heldUntil == null ? null : heldUntil.atOffset(ZoneOffset.UTC);
        try {
            database.inTransactionDo(em -> em.persist(new LoginEvent(OffsetDateTime.now(clock), username, outcome, channel, remote, until)));
        } catch (RuntimeException e) {
            LOG.warning(() -> "Could not write the login log: " + e.getMessage());
        }
    }

    /** Text an administrator or user typed: at most {@code max} characters and no NUL (PostgreSQL refuses it). */
    private static void checkText(String what, String value, int max) {
        if (value == null) {
            return;
        }
        if (value.length() > max) {
            throw new IllegalArgumentException("The " + what + " may have at most " + max + " characters; this one has "
                    + value.length());
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("The " + what + " contains the NUL character (U+0000); remove it");
        }
    }

    private static Optional<UserAccount> findByUsername(EntityManager em, String username) {
        return em.createQuery("select u from UserAccount u where u.username = :name", UserAccount.class)
                .setParameter("name", username).getResultList().stream().findFirst();
    }

    private static Actor actorOf(EntityManager em, UserAccount user) {
        return Actor.user(user.getId(), user.getUsername(), new LinkedHashSet<>(user.getRoles()), teamIds(em, user.getId()));
    }

    private static List<Long> teamIds(EntityManager em, long userId) {
        return em.createQuery("select m from TeamMembership m where m.key.userId = :user order by m.position", TeamMembership.class)
                .setParameter("user", userId).getResultList().stream().map(TeamMembership::getTeamId).toList();
    }

    /** 120 random bits; drawn again in the unlikely case that the policy refuses it (e.g. it contains "admin"). */
    private String randomPassword(List<String> names) {
        while (true) {
            byte[] bytes = new byte[15];
            random.nextBytes(bytes);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                passwords.check(password, names);
                return password;
            } catch (PasswordPolicy.RejectedException e) {
                // draw again
            }
        }
    }

    /** The hex SHA-256 of {@code text}: how tokens are stored, and a key for what must not be kept in clear. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
