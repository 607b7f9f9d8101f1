package io.lifeboat.location;

import java.time.Instant;

/** The outcome of the latest validation. {@code reason} is a short word (NoSuchBucket, AccessDenied...). */
public record LocationStatus(Phase phase, String reason, String message, Instant lastValidatedAt) {

    public enum Phase { Pending, Available, Unavailable }

    public static LocationStatus pending() {
        return new LocationStatus(Phase.Pending, null, "not validated yet", null);
    }

    public static LocationStatus available(Instant at) {
        return new LocationStatus(Phase.Available, null, "the bucket can be written, read, listed and deleted from", at);
    }

    public static LocationStatus unavailable(String reason, String message, Instant at) {
        return new LocationStatus(Phase.Unavailable, reason, message, at);
    }
}
