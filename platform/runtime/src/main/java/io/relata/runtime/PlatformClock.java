package io.relata.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The platform's time: the system clock, which tests and demos may move forward (never back) when
 * {@code CRM_CLOCK_ADJUSTABLE} is set, so that process timers ("3 days after …") can be shown and tested
 * without waiting. Record timestamps, rules' {@code today} and timers all read this clock.
 */
public final class PlatformClock extends Clock {

    private final Clock system;
    private final boolean adjustable;
    private final AtomicReference<Duration> offset;

    public PlatformClock(Clock system, boolean adjustable) {
        this(system, adjustable, new AtomicReference<>(Duration.ZERO));
    }

    private PlatformClock(Clock system, boolean adjustable, AtomicReference<Duration> offset) {
        this.system = system;
        this.adjustable = adjustable;
        this.offset = offset;
    }

    public boolean isAdjustable() {
        return adjustable;
    }

    /** Moves the clock forward; returns the new offset from the system clock. */
    public Duration advance(Duration by) {
        if (!adjustable) {
            throw new IllegalStateException("The platform clock is not adjustable (set CRM_CLOCK_ADJUSTABLE=true for tests and demos)");
        }
        if (by.isNegative()) {
            throw new IllegalArgumentException("The clock only moves forward: timers that fired cannot be undone");
        }
        return offset.updateAndGet(current -> current.plus(by));
    }

    public Duration offset() {
        return offset.get();
    }

    @Override
    public ZoneId getZone() {
        return system.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new PlatformClock(system.withZone(zone), adjustable, offset);
    }

    @Override
    public Instant instant() {
        return system.instant().plus(offset.get());
    }
}
