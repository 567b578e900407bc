package io.relata.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.security.Actor;
import io.relata.runtime.Database;
import io.relata.identity.LoginEvent.Channel;
import io.relata.identity.LoginEvent.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user directory on a real database (in-memory H2, the platform's migrations, EclipseLink): logins,
 * throttling, locks, tokens and the password policy, with a clock the tests move and a password hash that
 * counts its checks.
 */
class UserDirectoryTest {

    private static final String PASSWORD = "violet-otter-carries-17-maps";
    private static final String HOME = "198.51.100.20";
    private static final String ATTACKER = "203.0.113.66";
    private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");

    private Database database;
    private TestClock clock;
    private CountingPasswordHash hash;
    private UserDirectory users;
    /** How many writes of a token's "last used" were handed to the background; run at once here. */
    private final AtomicInteger lastUsedWrites = new AtomicInteger();

    @BeforeEach
    void openDatabase() {
        database = Database.open("jdbc:h2:mem:users-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000", "sa", "");
        clock = new TestClock(START);
        hash = new CountingPasswordHash();
        users = new UserDirectory(database, hash, clock, LoginThrottle.Policy.DEFAULT, PasswordPolicy.shipped(), write -> {
            lastUsedWrites.incrementAndGet();
            write.run();
        });
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    private UserDirectory.Authentication login(String username, String password, String from) {
        return users.authenticate(username, password.toCharArray(), Channel.BASIC, from);
    }

    private UserAccount user(String username) {
        return users.createUser(username, null, null, PASSWORD, Set.of("sales"));
    }

    // ---- item 2: parallel guesses ----

    @Test
    void parallelGuessesAreCheckedAtMostFiveTimesWhateverTheConcurrency() throws Exception {
        user("vera");
        int attempts = 40;
        hash.holdChecks(); // every granted check waits until all attempts have been answered or are being checked
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch refused = new CountDownLatch(attempts - LoginThrottle.Policy.DEFAULT.perUserAndAddress().freeFailures());
            List<Future<UserDirectory.Authentication>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String guess = i == 17 ? PASSWORD : "wrong-guess-number-" + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    UserDirectory.Authentication answer = login("vera", guess, ATTACKER);
                    if (answer.outcome() == Outcome.THROTTLED) {
                        refused.countDown();
                    }
                    return answer;
                }));
            }
            start.countDown();
            assertThat(refused.await(60, TimeUnit.SECONDS)).as("35 attempts refused while 5 are being checked").isTrue();
            assertThat(hash.checks).as("checks started").hasValue(5);
            hash.releaseChecks();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<UserDirectory.Authentication> answer : answers) {
                outcomes.add(answer.get(60, TimeUnit.SECONDS).outcome());
            }
            assertThat(hash.checks).as("passwords checked").hasValue(5);
            assertThat(outcomes.stream().filter(o -> o == Outcome.THROTTLED)).hasSize(35);
            assertThat(outcomes.stream().filter(o -> o != Outcome.THROTTLED)).hasSize(5)
                    .allMatch(o -> o == Outcome.BAD_CREDENTIALS || o == Outcome.SUCCESS);
        } finally {
            hash.releaseChecks();
            pool.shutdownNow();
        }
    }

    @Test
    void aWaitingUserNameIsNotCheckedEvenWithTheRightPassword() {
        user("vera");
        for (int i = 0; i < 5; i++) {
            assertThat(login("vera", "wrong-guess-" + i, ATTACKER).outcome()).isEqualTo(Outcome.BAD_CREDENTIALS);
        }
        UserDirectory.Authentication right = login("vera", PASSWORD, ATTACKER);
        assertThat(right.outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(right.heldUntil()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        assertThat(hash.checks).as("the sixth password was not checked").hasValue(5);
    }

    @Test
    void unknownUserNamesAreThrottledJustLikeKnownOnes() {
        for (int i = 0; i < 5; i++) {
            assertThat(login("nobody-here", "wrong-guess-" + i, ATTACKER).outcome()).isEqualTo(Outcome.BAD_CREDENTIALS);
        }
        assertThat(login("nobody-here", "wrong-guess-6", ATTACKER).outcome()).as("tells nothing about the name")
                .isEqualTo(Outcome.THROTTLED);
    }

    // ---- item 3: no lock-out by others ----

    @Test
    void wrongPasswordsFromElsewhereNeverKeepTheUserOutNorEndTheirSession() {
        user("vera");
        UserDirectory.Authentication session = login("vera", PASSWORD, HOME);
        assertThat(session.succeeded()).isTrue();
        for (int round = 0; round < 10; round++) { // "again and again": the attacker waits out every delay
            for (int i = 0; i < 5; i++) {
                login("vera", "wrong-guess-" + round + "-" + i, ATTACKER);
            }
            clock.advance(Duration.ofHours(1));
        }
        assertThat(users.actorOfRecentLogin("vera", session.passwordChanged())).as("the open session stands").isPresent();
        assertThat(login("vera", PASSWORD, HOME).succeeded()).as("a new login from her own address").isTrue();
        assertThat(users.user(users.users().get(0).getId()).orElseThrow().isLocked()).isFalse();
    }

    @Test
    void delaysDoubleWithEveryFurtherFailureUpToAnHourAndASuccessStartsAfresh() {
        user("vera");
        for (int i = 0; i < 5; i++) {
            login("vera", "wrong-guess-" + i, ATTACKER);
        }
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Instant heldUntil = login("vera", "still-wrong-" + i, ATTACKER).heldUntil();
            waits.add(Duration.between(clock.instant(), heldUntil));
            clock.advance(Duration.between(clock.instant(), heldUntil)); // wait it out, then guess once more
            assertThat(login("vera", "after-waiting-" + i, ATTACKER).outcome()).isEqualTo(Outcome.BAD_CREDENTIALS);
        }
        assertThat(waits).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4),
                Duration.ofMinutes(8), Duration.ofMinutes(16), Duration.ofMinutes(32), Duration.ofMinutes(60), Duration.ofMinutes(60));

        clock.advance(Duration.ofMinutes(60));
        assertThat(login("vera", PASSWORD, ATTACKER).succeeded()).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(login("vera", "fresh-mistake-" + i, ATTACKER).outcome()).as("five free failures again")
                    .isEqualTo(Outcome.BAD_CREDENTIALS);
        }
        assertThat(login("vera", "fresh-mistake-6", ATTACKER).outcome()).isEqualTo(Outcome.THROTTLED);
    }

    @Test
    void aQuietDayForgetsOldFailures() {
        user("vera");
        for (int i = 0; i < 4; i++) {
            login("vera", "wrong-guess-" + i, HOME);
        }
        clock.advance(Duration.ofHours(25));
        for (int i = 0; i < 5; i++) {
            assertThat(login("vera", "typo-" + i, HOME).outcome()).isEqualTo(Outcome.BAD_CREDENTIALS);
        }
    }

    @Test
    void twentyFailuresFromOneAddressHoldBackEveryUserNameFromThere() {
        user("vera");
        for (int i = 0; i < 20; i++) {
            assertThat(login("sprayed-" + i, "Summer2026!", ATTACKER).outcome()).isEqualTo(Outcome.BAD_CREDENTIALS);
        }
        assertThat(login("vera", PASSWORD, ATTACKER).outcome()).as("anonymous attempts from there wait").isEqualTo(Outcome.THROTTLED);
        assertThat(login("vera", PASSWORD, HOME).succeeded()).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(login("vera", PASSWORD, ATTACKER).succeeded()).isTrue();
    }

    @Test
    void administratorsSeeWaitingAttemptsInTheLogAndCanReleaseThem() {
        UserAccount vera = user("vera");
        for (int i = 0; i < 5; i++) {
            login("vera", "wrong-guess-" + i, ATTACKER);
        }
        login("vera", PASSWORD, ATTACKER);

        List<LoginEvent> log = users.loginLog(10);
        assertThat(log.get(0).getOutcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(log.get(0).getRemote()).isEqualTo(ATTACKER);
        assertThat(log.get(0).getHeldUntil().toInstant()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        assertThat(log.get(1).getOutcome()).as("the failure that started the wait").isEqualTo(Outcome.BAD_CREDENTIALS);
        assertThat(log.get(1).getHeldUntil()).isNotNull();
        assertThat(log.get(2).getHeldUntil()).isNull();

        LoginThrottle.Bucket bucket = users.throttledLogins(10).get(0);
        assertThat(bucket.username()).isEqualTo("vera");
        assertThat(bucket.remote()).isEqualTo(ATTACKER);
        assertThat(bucket.failures()).isEqualTo(5);
        assertThat(bucket.heldAt(users.now())).isTrue();

        users.unlock(vera.getId());
        assertThat(login("vera", PASSWORD, ATTACKER).succeeded()).as("unlock releases the user's attempts").isTrue();
        for (int i = 0; i < 5; i++) {
            login("vera", "wrong-again-" + i, ATTACKER);
        }
        long id = users.throttledLogins(10).stream().filter(b -> "vera".equals(b.username())).findFirst().orElseThrow().id();
        assertThat(users.releaseThrottle(id)).isTrue();
        assertThat(login("vera", PASSWORD, ATTACKER).succeeded()).isTrue();
        assertThat(users.releaseThrottle(987654)).isFalse();
    }

    // ---- item 3: locking is the administrators' decision ----

    @Test
    void anAdministratorsLockEndsSessionsPasswordsAndTokensUntilUnlocked() {
        users.bootstrapAdministrator(null, "administrator");
        Actor admin = users.actor("admin").orElseThrow();
        UserAccount vera = user("vera");
        UserDirectory.Authentication session = login("vera", PASSWORD, HOME);
        String token = users.createToken(vera.getId(), "integration").token();

        users.lock(vera.getId(), admin);
        UserAccount locked = users.user(vera.getId()).orElseThrow();
        assertThat(locked.isLocked()).isTrue();
        assertThat(locked.getLockedBy()).isEqualTo("admin");
        assertThat(login("vera", PASSWORD, HOME).outcome()).isEqualTo(Outcome.LOCKED);
        assertThat(users.actorOfRecentLogin("vera", session.passwordChanged())).isEmpty();
        assertThat(users.actor("vera")).isEmpty();
        assertThat(users.authenticateToken(token, HOME)).isEmpty();

        users.unlock(vera.getId());
        assertThat(users.actorOfRecentLogin("vera", session.passwordChanged())).isPresent();
        assertThat(users.authenticateToken(token, HOME)).isPresent();
        assertThat(login("vera", PASSWORD, HOME).succeeded()).isTrue();

        assertThatThrownBy(() -> users.lock(admin.userId(), admin)).isInstanceOf(UserDirectory.RefusedException.class)
                .hasMessageContaining("cannot lock yourself out");
    }

    // ---- item 6: tokens ----

    @Test
    void deactivatingAUserStopsTheirTokensAtOnce() {
        UserAccount vera = user("vera");
        String token = users.createToken(vera.getId(), "integration").token();
        assertThat(users.authenticateToken(token, HOME)).map(Actor::username).contains("vera");

        users.update(vera.getId(), null, null, false, Set.of("sales"), List.of());
        assertThat(users.authenticateToken(token, HOME)).isEmpty();
        assertThat(login("vera", PASSWORD, HOME).outcome()).isEqualTo(Outcome.INACTIVE);
        assertThat(users.loginLog(1).get(0).getOutcome()).isEqualTo(Outcome.INACTIVE);

        users.update(vera.getId(), null, null, true, Set.of("sales"), List.of());
        assertThat(users.authenticateToken(token, HOME)).isPresent();
    }

    @Test
    void changingThePasswordRevokesTheTokensOnlyWhenAsked() {
        UserAccount vera = user("vera");
        String kept = users.createToken(vera.getId(), "kept").token();
        assertThat(users.changePassword("vera", PASSWORD.toCharArray(), "teal-heron-builds-4-kites", HOME, false)).isZero();
        assertThat(users.authenticateToken(kept, HOME)).isPresent();

        String second = users.createToken(vera.getId(), "second").token();
        assertThat(users.activeTokenCount(vera.getId())).isEqualTo(2);
        assertThat(users.changePassword("vera", "teal-heron-builds-4-kites".toCharArray(), PASSWORD, HOME, true)).isEqualTo(2);
        assertThat(users.authenticateToken(kept, HOME)).isEmpty();
        assertThat(users.authenticateToken(second, HOME)).isEmpty();
        assertThat(users.activeTokenCount(vera.getId())).isZero();
        assertThat(users.tokens(vera.getId())).allMatch(ApiToken::isRevoked);

        String third = users.createToken(vera.getId(), "third").token();
        assertThat(users.resetPassword(vera.getId(), "amber-finch-reads-9-maps", true)).isEqualTo(1);
        assertThat(users.authenticateToken(third, HOME)).isEmpty();
    }

    @Test
    void aWrongCurrentPasswordIsAFailedLoginAndChangesNothing() {
        user("vera");
        assertThatThrownBy(() -> users.changePassword("vera", "not-my-password".toCharArray(), "teal-heron-builds-4-kites", HOME, true))
                .isInstanceOfSatisfying(UserDirectory.CurrentPasswordRefusedException.class,
                        e -> assertThat(e.result().outcome()).isEqualTo(Outcome.BAD_CREDENTIALS));
        assertThat(login("vera", PASSWORD, HOME).succeeded()).isTrue();
    }

    // ---- item 5: passwords ----

    @Test
    void weakPasswordsAreRefusedForNewUsersChangesAndResets() {
        assertThatThrownBy(() -> users.createUser("anna", null, null, "aaaaaaaaaaaa", Set.of()))
                .isInstanceOfSatisfying(PasswordPolicy.RejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(PasswordPolicy.Reason.REPETITIVE));
        assertThat(users.users()).isEmpty();

        UserAccount vera = user("vera");
        assertThatThrownBy(() -> users.changePassword("vera", PASSWORD.toCharArray(), "Password2026!", HOME, false))
                .isInstanceOfSatisfying(PasswordPolicy.RejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(PasswordPolicy.Reason.COMMON));
        assertThat(hash.checks).as("refused before the current password is checked").hasValue(0);
        assertThatThrownBy(() -> users.resetPassword(vera.getId(), "vera-2026-secret", false))
                .isInstanceOfSatisfying(PasswordPolicy.RejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(PasswordPolicy.Reason.CONTAINS_USER_NAME));
        assertThat(login("vera", PASSWORD, HOME).succeeded()).as("the old password still works").isTrue();
    }

    @Test
    void aConfiguredAdministratorPasswordMustPassThePolicyAndAGeneratedOneAlwaysDoes() {
        assertThatThrownBy(() -> users.bootstrapAdministrator("admin-password-2026", "administrator"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CRM_ADMIN_PASSWORD").hasMessageContaining("user name");
        assertThat(users.users()).isEmpty();

        Optional<String> generated = users.bootstrapAdministrator(null, "administrator");
        assertThat(generated).isPresent();
        assertThat(login("admin", generated.get(), HOME).succeeded()).isTrue();
    }

    @Test
    void sessionAndBasicLoginsAreTrustedBrieflyAndChangesThroughTheDirectoryApplyAtOnce() {
        UserAccount vera = user("vera");
        UserDirectory.Authentication session = login("vera", PASSWORD, HOME);
        assertThat(users.actorOfRecentLogin("vera", session.passwordChanged())).isPresent();

        users.update(vera.getId(), null, null, true, Set.of("service"), List.of());
        assertThat(users.actorOfRecentLogin("vera", session.passwordChanged())).as("new roles: at once")
                .hasValueSatisfying(actor -> assertThat(actor.roles()).containsExactly("service"));

        // deactivated behind the directory's back: the login goes on working until its trust runs out
        database.inTransactionDo(em -> em.createQuery("update UserAccount u set u.active = false").executeUpdate());
        assertThat(users.actorOfRecentLogin("vera", session.passwordChanged())).as("trusted, not read again").isPresent();
        clock.advance(UserDirectory.TOKEN_TRUST_TIME);
        assertThat(users.actorOfRecentLogin("vera", session.passwordChanged())).as("read again").isEmpty();

        database.inTransactionDo(em -> em.createQuery("update UserAccount u set u.active = true").executeUpdate());
        assertThat(users.actorOfRecentLogin("vera", session.passwordChanged())).isPresent();
        users.resetPassword(vera.getId(), "copper-lantern-meadow", false);
        assertThat(users.actorOfRecentLogin("vera", session.passwordChanged())).as("the password changed: the session ends")
                .isEmpty();
    }

    @Test
    void aRevokedTokenIsRefusedOnTheNextRequestThoughVerifiedTokensAreTrusted() {
        UserAccount vera = user("vera");
        UserDirectory.NewToken token = users.createToken(vera.getId(), "integration");
        assertThat(users.authenticateToken(token.token(), HOME)).isPresent();
        // revoked behind the directory's back: the trusted token goes on working until its trust runs out
        database.inTransactionDo(em -> em.createQuery("update ApiToken t set t.revokedAt = :now")
                .setParameter("now", OffsetDateTime.ofInstant(START, java.time.ZoneOffset.UTC)).executeUpdate());
        assertThat(users.authenticateToken(token.token(), HOME)).as("trusted, not read again").isPresent();
        clock.advance(UserDirectory.TOKEN_TRUST_TIME);
        assertThat(users.authenticateToken(token.token(), HOME)).as("verified again").isEmpty();

        UserDirectory.NewToken second = users.createToken(vera.getId(), "second");
        assertThat(users.authenticateToken(second.token(), HOME)).isPresent();
        assertThat(users.revokeToken(vera.getId(), second.entity().getId())).isTrue();
        assertThat(users.authenticateToken(second.token(), HOME)).as("revoked through the directory: at once").isEmpty();
        assertThat(users.loginLog(1).get(0).getOutcome()).isEqualTo(Outcome.TOKEN_REJECTED);
    }

    @Test
    void newRolesAndTeamsReachTheNextTokenRequest() {
        UserAccount vera = user("vera");
        Team north = users.createTeam("North");
        String token = users.createToken(vera.getId(), "integration").token();
        assertThat(users.authenticateToken(token, HOME)).map(Actor::roles).contains(Set.of("sales"));

        users.update(vera.getId(), null, null, true, Set.of("service"), List.of(north.getId()));
        Actor now = users.authenticateToken(token, HOME).orElseThrow();
        assertThat(now.roles()).containsExactly("service");
        assertThat(now.teamIds()).containsExactly(north.getId());
    }

    @Test
    void aTokensLastUseIsWrittenAtMostOncePerInterval() {
        UserAccount vera = user("vera");
        String token = users.createToken(vera.getId(), "integration").token();
        OffsetDateTime start = OffsetDateTime.ofInstant(START, java.time.ZoneOffset.UTC);

        assertThat(users.authenticateToken(token, HOME)).isPresent();
        assertThat(users.tokens(vera.getId()).get(0).getLastUsedAt()).isEqualTo(start);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(11)); // past the trust time too: verified again, still not written
            assertThat(users.authenticateToken(token, HOME)).isPresent();
        }
        assertThat(lastUsedWrites).hasValue(1);
        assertThat(users.tokens(vera.getId()).get(0).getLastUsedAt()).isEqualTo(start);

        clock.advance(UserDirectory.LAST_USED_INTERVAL.minusSeconds(55));
        assertThat(users.authenticateToken(token, HOME)).isPresent();
        assertThat(lastUsedWrites).hasValue(2);
        assertThat(users.tokens(vera.getId()).get(0).getLastUsedAt())
                .isEqualTo(start.plus(UserDirectory.LAST_USED_INTERVAL));
    }

    @Test
    void tokenTimesComeFromThePlatformClock() {
        UserAccount vera = user("vera");
        users.createToken(vera.getId(), "integration");
        assertThat(users.tokens(vera.getId()).get(0).getCreatedAt()).isEqualTo(OffsetDateTime.ofInstant(START, java.time.ZoneOffset.UTC));
    }
}
