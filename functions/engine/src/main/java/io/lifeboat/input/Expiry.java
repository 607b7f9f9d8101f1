package io.lifeboat.input;

import io.lifeboat.error.InvalidInputException;

import java.time.Instant;

/**
 * When a backup may expire: after now, and before year 10000, since Velero's files and the records write it as an
 * ISO 8601 instant with a four-digit year ("+10000-01-01T00:00:00Z" is not one a Velero client reads).
 */
public final class Expiry {
    /** The first instant refused. */
    public static final Instant LIMIT = Instant.parse("+10000-01-01T00:00:00Z");

    private Expiry() {
    }

    /** The expiry, or a 400 naming {@code field}. */
    public static Instant require(String field, Instant expiresAt, Instant now) {
        if (!expiresAt.isAfter(now)) {
            throw new InvalidInputException(field, "must be in the future");
        }
        if (!expiresAt.isBefore(LIMIT)) {
            throw new InvalidInputException(field, "must be before year 10000");
        }
        return expiresAt;
    }
}
