package io.relata.web.security;

import io.relata.api.security.Actor;
import io.relata.web.runtime.Database;
import jakarta.persistence.EntityManager;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Users, teams, passwords and API tokens. Passwords are PBKDF2-hashed (Jakarta Security); five wrong
 * passwords in a row lock the account for a growing while (1, 2, 4 … up to 60 minutes), and every attempt
 * lands in the login log. Wrong user names cost the same hashing time as wrong passwords, so the answer
 * time does not tell which user names exist.
 */
public class UserDirectory {

    public static final int MIN_PASSWORD_LENGTH = 12;
    static final int FAILURES_BEFORE_LOCK = 5;
    private static final Duration MAX_LOCK = Duration.ofMinutes(60);
    private static final String TOKEN_PREFIX = "rlt_";
    /** The sizes of the columns (V2__users_teams_audit.sql): longer text is refused before the database would. */
    static final int MAX_DISPLAY_NAME = 200;
    static final int MAX_EMAIL = 254;
    static final int MAX_TOKEN_NAME = 100;
    private static final Logger LOG = Logger.getLogger(UserDirectory.class.getName());

    private final Database database;
    private final Pbkdf2PasswordHash hasher;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;

    public UserDirectory(Database database, Pbkdf2PasswordHash hasher) {
        this.database = database;
        this.hasher = hasher;
        hasher.initialize(Map.of("Pbkdf2PasswordHash.Iterations", "210000",
                "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA512", "Pbkdf2PasswordHash.SaltSizeBytes", "32"));
        this.dummyHash = hasher.generate("not a password of anyone".toCharArray());
    }

    /** The outcome of a password check. */
    public record Authentication(LoginEvent.Outcome outcome, Actor actor, OffsetDateTime passwordChanged) {
        public boolean succeeded() {
            return outcome == LoginEvent.Outcome.SUCCESS;
        }
    }

    public Authentication authenticate(String username, char[] password, LoginEvent.Channel channel, String remote) {
        String name = username == null ? "" : username.trim();
        Authentication result = new Authentication(LoginEvent.Outcome.BAD_CREDENTIALS, null, null);
        try {
            result = check(name, password);
            return result;
        } finally {
            log(name, result.outcome(), channel, remote);
        }
    }

    private Authentication check(String name, char[] password) {
        Optional<UserAccount> found = database.inTransaction(em -> findByUsername(em, name));
        if (found.isEmpty()) {
            hasher.verify(password, dummyHash);
            return new Authentication(LoginEvent.Outcome.BAD_CREDENTIALS, null, null);
        }
        UserAccount user = found.get();
        // Hashed in every case, locked or not, so the answer time tells nothing.
        boolean matches = hasher.verify(password, user.getPasswordHash());
        if (user.isLocked(OffsetDateTime.now())) {
            return new Authentication(LoginEvent.Outcome.LOCKED, null, null);
        }
        if (!matches) {
            countFailure(user.getId());
            return new Authentication(LoginEvent.Outcome.BAD_CREDENTIALS, null, null);
        }
        if (!user.isActive()) {
            return new Authentication(LoginEvent.Outcome.INACTIVE, null, null);
        }
        return database.inTransaction(em -> {
            em.createQuery("update UserAccount u set u.failedLogins = 0, u.lockedUntil = null where u.id = :id")
                    .setParameter("id", user.getId()).executeUpdate();
            return new Authentication(LoginEvent.Outcome.SUCCESS, actorOf(em, user), user.getPasswordChanged());
        });
    }

    /**
     * One more failed attempt, counted atomically in the database: parallel wrong guesses each count (a
     * read-modify-write would lose all but one) and the lock starts at the fifth.
     */
    private void countFailure(long userId) {
        database.inTransactionDo(em -> {
            em.createQuery("update UserAccount u set u.failedLogins = u.failedLogins + 1 where u.id = :id")
                    .setParameter("id", userId).executeUpdate();
            int failures = em.createQuery("select u.failedLogins from UserAccount u where u.id = :id", Integer.class)
                    .setParameter("id", userId).getSingleResult();
            if (failures >= FAILURES_BEFORE_LOCK) {
                em.createQuery("update UserAccount u set u.lockedUntil = :until where u.id = :id")
                        .setParameter("until", OffsetDateTime.now().plus(lockDuration(failures)))
                        .setParameter("id", userId).executeUpdate();
            }
        });
    }

    static Duration lockDuration(int failures) {
        long minutes = 1L << Math.min(failures - FAILURES_BEFORE_LOCK, 6);
        return Duration.ofMinutes(minutes).compareTo(MAX_LOCK) > 0 ? MAX_LOCK : Duration.ofMinutes(minutes);
    }

    /**
     * The user of a login verified a moment ago, if it still holds: the account is active, not locked, and
     * the password has not changed since {@code passwordChanged}.
     */
    public Optional<Actor> actorOfRecentLogin(String username, OffsetDateTime passwordChanged) {
        return database.inTransaction(em -> findByUsername(em, username)
                .filter(u -> u.isActive() && !u.isLocked(OffsetDateTime.now()) && passwordChanged.isEqual(u.getPasswordChanged()))
                .map(u -> actorOf(em, u)));
    }

    public Optional<Actor> actor(String username) {
        return database.inTransaction(em -> findByUsername(em, username).filter(UserAccount::isActive).map(u -> actorOf(em, u)));
    }

    /** Creates the first administrator if there are no users; returns the generated password, if one was made. */
    public Optional<String> bootstrapAdministrator(String configuredPassword, String administratorRole) {
        return database.inTransaction(em -> {
            long users = em.createQuery("select count(u) from UserAccount u", Long.class).getSingleResult();
            if (users > 0) {
                return Optional.<String>empty();
            }
            boolean generated = configuredPassword == null || configuredPassword.isBlank();
            String password = generated ? randomPassword() : configuredPassword;
            UserAccount admin = new UserAccount("admin", "Administrator", null, hasher.generate(password.toCharArray()));
            admin.setRoles(Set.of(administratorRole));
            em.persist(admin);
            return generated ? Optional.of(password) : Optional.<String>empty();
        });
    }

    public UserAccount createUser(String username, String displayName, String email, String password, Set<String> roles) {
        checkPassword(password);
        if (username == null || !username.matches("[a-zA-Z0-9._@-]{2,100}")) {
            throw new IllegalArgumentException("The user name must be 2 to 100 letters, digits or . _ @ -");
        }
        checkText("display name", displayName, MAX_DISPLAY_NAME);
        checkText("e-mail address", email, MAX_EMAIL);
        return database.inTransaction(em -> {
            if (findByUsername(em, username).isPresent()) {
                throw new IllegalArgumentException("The user name '" + username + "' is taken");
            }
            UserAccount user = new UserAccount(username, displayName == null || displayName.isBlank() ? username : displayName,
                    email, hasher.generate(password.toCharArray()));
            user.setRoles(roles);
            em.persist(user);
            return user;
        });
    }

    /** Needs the current password; wrong guesses count towards the lock like failed logins. */
    public void changePassword(String username, char[] currentPassword, String newPassword, String remote) {
        checkPassword(newPassword);
        if (!authenticate(username, currentPassword == null ? new char[0] : currentPassword, LoginEvent.Channel.FORM, remote).succeeded()) {
            throw new IllegalArgumentException("The current password is not correct");
        }
        database.inTransactionDo(em -> findByUsername(em, username).orElseThrow()
                .setPasswordHash(hasher.generate(newPassword.toCharArray())));
    }

    /** The password state of a user, to tell whether a session still stands for the password it was opened with. */
    public Optional<OffsetDateTime> passwordChanged(String username) {
        return database.inTransaction(em -> findByUsername(em, username).map(UserAccount::getPasswordChanged));
    }

    public void resetPassword(long userId, String newPassword) {
        checkPassword(newPassword);
        database.inTransactionDo(em -> {
            UserAccount user = em.find(UserAccount.class, userId);
            user.setPasswordHash(hasher.generate(newPassword.toCharArray()));
            user.setFailedLogins(0);
            user.setLockedUntil(null);
        });
    }

    public void update(long userId, String displayName, String email, boolean active, Set<String> roles, List<Long> teamIds) {
        checkText("display name", displayName, MAX_DISPLAY_NAME);
        checkText("e-mail address", email, MAX_EMAIL);
        database.inTransactionDo(em -> {
            UserAccount user = Optional.ofNullable(em.find(UserAccount.class, userId))
                    .orElseThrow(() -> new IllegalArgumentException("No user with id " + userId));
            if (displayName != null && !displayName.isBlank()) {
                user.setDisplayName(displayName);
            }
            user.setEmail(email);
            user.setActive(active);
            user.setRoles(roles);
            em.createQuery("delete from TeamMembership m where m.key.userId = :user").setParameter("user", userId).executeUpdate();
            for (int i = 0; i < teamIds.size(); i++) {
                if (em.find(Team.class, teamIds.get(i)) == null) {
                    throw new IllegalArgumentException("No team with id " + teamIds.get(i));
                }
                em.persist(new TeamMembership(userId, teamIds.get(i), i));
            }
        });
    }

    public void unlock(long userId) {
        database.inTransactionDo(em -> {
            UserAccount user = em.find(UserAccount.class, userId);
            user.setFailedLogins(0);
            user.setLockedUntil(null);
        });
    }

    public Team createTeam(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("A team needs a name of 1 to 100 characters");
        }
        checkText("team name", name, 100);
        return database.inTransaction(em -> {
            boolean taken = !em.createQuery("select t from Team t where t.name = :name", Team.class)
                    .setParameter("name", name.trim()).getResultList().isEmpty();
            if (taken) {
                throw new IllegalArgumentException("The team name '" + name + "' is taken");
            }
            Team team = new Team(name.trim());
            em.persist(team);
            return team;
        });
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
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiToken entity = new ApiToken(userId, name == null || name.isBlank() ? "API token" : name.trim(), sha256(token), token.substring(0, 8));
        database.inTransactionDo(em -> em.persist(entity));
        return new NewToken(entity, token);
    }

    public Optional<Actor> authenticateToken(String token, String remote) {
        Optional<Actor> actor = database.inTransaction(em -> em.createQuery(
                        "select t from ApiToken t where t.tokenHash = :hash and t.revokedAt is null", ApiToken.class)
                .setParameter("hash", sha256(token)).getResultList().stream().findFirst()
                .flatMap(t -> {
                    t.setLastUsedAt(OffsetDateTime.now());
                    UserAccount user = em.find(UserAccount.class, t.getUserId());
                    return user != null && user.isActive() ? Optional.of(actorOf(em, user)) : Optional.empty();
                }));
        if (actor.isEmpty()) {
            log(TOKEN_PREFIX + "…", LoginEvent.Outcome.TOKEN_REJECTED, LoginEvent.Channel.TOKEN, remote);
        }
        return actor;
    }

    public List<ApiToken> tokens(long userId) {
        return database.inTransaction(em -> em.createQuery("select t from ApiToken t where t.userId = :user order by t.createdAt desc", ApiToken.class)
                .setParameter("user", userId).getResultList());
    }

    /** Revokes one of the user's own tokens; false if the user has no such token. */
    public boolean revokeToken(long userId, long tokenId) {
        return database.inTransaction(em -> {
            ApiToken token = em.find(ApiToken.class, tokenId);
            if (token == null || token.getUserId() != userId) {
                return false;
            }
            if (!token.isRevoked()) {
                token.setRevokedAt(OffsetDateTime.now());
            }
            return true;
        });
    }

    public void logLogout(String username, String remote) {
        log(username, LoginEvent.Outcome.LOGOUT, LoginEvent.Channel.FORM, remote);
    }

    // ---- internals ----

    private void log(String username, LoginEvent.Outcome outcome, LoginEvent.Channel channel, String remote) {
        try {
            database.inTransactionDo(em -> em.persist(new LoginEvent(username, outcome, channel, remote)));
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

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("A password needs at least " + MIN_PASSWORD_LENGTH + " characters");
        }
    }

    private String randomPassword() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
