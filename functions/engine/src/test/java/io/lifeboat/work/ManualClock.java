package io.lifeboat.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A clock for tests that moves only when told, or when a run pauses on it: give it to an executor as its clock and
 * its {@link Pause}, and a wait of a minute takes no time while the run sees the minute pass.
 */
public final class ManualClock extends Clock implements Pause {
    private Instant now;
    private final List<Duration> pauses = new ArrayList<>();

    public ManualClock(Instant start) {
        this.now = start;
    }

    public ManualClock() {
        this(Instant.parse("2026-11-23T12:00:00Z"));
    }

    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Moves the clock on by the pause, at once. */
    @Override
    public synchronized void pause(Duration duration) {
        pauses.add(duration);
        advance(duration);
    }

    /** Every pause a run made on this clock, in order. */
    public synchronized List<Duration> pauses() {
        return List.copyOf(pauses);
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("a manual clock is in UTC");
        }
        return this;
    }
}
