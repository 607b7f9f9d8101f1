package io.lifeboat.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Says when a run's progress is worth recording: the first time, then at most once per interval. */
public final class ProgressThrottle {
    /** What both executors use: a record write at most once a second. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Clock clock;
    private final Duration interval;
    private Instant last = Instant.MIN;

    public ProgressThrottle(Clock clock, Duration interval) {
        this.clock = clock;
        this.interval = interval;
    }

    public ProgressThrottle(Clock clock) {
        this(clock, INTERVAL);
    }

    /** True when the last recorded progress is at least an interval old (it counts as recorded now). */
    public synchronized boolean due() {
        Instant now = clock.instant();
        if (Duration.between(last, now).compareTo(interval) >= 0) {
            last = now;
            return true;
        }
        return false;
    }
}
