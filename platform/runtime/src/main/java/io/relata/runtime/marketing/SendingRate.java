package io.relata.runtime.marketing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many mails a sender (a campaign, a sequence) may send now at its rate per minute: a second's worth at first,
 * then what the time since it was last asked allows, at most a minute's worth; fractions carry over. Per node: several
 * nodes each keep to the rate.
 */
final class SendingRate {

    private final Clock clock;
    private final Map<Long, Instant> counted = new ConcurrentHashMap<>();
    private final Map<Long, Double> allowance = new ConcurrentHashMap<>();

    SendingRate(Clock clock) {
        this.clock = clock;
    }

    /** The mails {@code sender} may send now at {@code perMinute}. */
    int due(long sender, int perMinute) {
        Instant now = clock.instant();
        Instant last = counted.put(sender, now);
        double gained = last == null ? perMinute / 60.0 : Duration.between(last, now).toMillis() * perMinute / 60_000.0;
        double available = Math.min(perMinute, allowance.getOrDefault(sender, 0.0) + gained);
        int due = (int) Math.floor(available);
        allowance.put(sender, available - due);
        return due;
    }

    /** The sender starts now, with a second's worth at {@code perMinute}. */
    void begin(long sender, int perMinute) {
        counted.put(sender, clock.instant());
        allowance.put(sender, perMinute / 60.0);
    }

    /** The sender stopped: when it is asked again, it starts with a second's worth. */
    void forget(long sender) {
        counted.remove(sender);
        allowance.remove(sender);
    }
}
