package io.lifeboat.objectstore;

import java.time.Instant;
import java.util.Locale;

/**
 * How an object is locked when it is written: until {@code retainUntil}, in a {@link Mode}. S3 writes it as Object
 * Lock retention, Azure as a version-level immutability policy, GCS as an object retention.
 */
public record Retention(Mode mode, Instant retainUntil) {
    public Retention {
        if (mode == null || retainUntil == null) {
            throw new IllegalArgumentException("a retention has a mode and a date");
        }
    }

    /**
     * Governance: the lock holds, but an identity with the right permission (S3's s3:BypassGovernanceRetention, an
     * Azure unlocked policy's owner, GCS's overrideUnlockedRetention) may lift it. Compliance: no one can shorten or
     * lift it before its date, the account's root included.
     */
    public enum Mode {
        GOVERNANCE, COMPLIANCE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Mode fromWire(String value) {
            for (Mode mode : values()) {
                if (mode.wireName().equals(value)) {
                    return mode;
                }
            }
            return null;
        }
    }

    /** Whether the object is still locked at {@code now}. */
    public boolean locksAt(Instant now) {
        return now.isBefore(retainUntil);
    }
}
