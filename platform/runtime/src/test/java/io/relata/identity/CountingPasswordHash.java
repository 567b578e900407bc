package io.relata.identity;

import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fast stand-in for PBKDF2 that counts how often a password is checked; with {@link #holdChecks} every
 * check waits at a gate, so that tests can make any number of checks overlap.
 */
public final class CountingPasswordHash implements Pbkdf2PasswordHash {

    final AtomicInteger checks = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    /** From now on checks wait until {@link #releaseChecks}. */
    void holdChecks() {
        gate = new CountDownLatch(1);
    }

    void releaseChecks() {
        gate.countDown();
    }

    @Override
    public String generate(char[] password) {
        return "test:" + UserDirectory.sha256(new String(password));
    }

    @Override
    public boolean verify(char[] password, String hashedPassword) {
        checks.incrementAndGet();
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the password checks");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return generate(password).equals(hashedPassword);
    }
}
