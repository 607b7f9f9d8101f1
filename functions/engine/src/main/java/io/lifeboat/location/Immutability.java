package io.lifeboat.location;

import io.lifeboat.objectstore.Retention;

import java.time.Duration;
import java.time.Instant;

/**
 * A location's immutability: every object of each backup is written locked for {@code days} days from the time the
 * backup is asked for, in {@code mode}. The longest lock is {@value #MAX_DAYS} days (S3's limit is 100 years).
 */
public record Immutability(int days, Retention.Mode mode) {
    public static final int MAX_DAYS = 36_500;

    /** The lock of a backup asked for at {@code askedAt}. */
    public Retention retentionFrom(Instant askedAt) {
        return new Retention(mode, askedAt.plus(Duration.ofDays(days)));
    }
}
