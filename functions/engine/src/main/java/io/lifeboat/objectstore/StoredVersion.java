package io.lifeboat.objectstore;

import java.time.Instant;

/**
 * One stored version of an object: its key, its version ID (S3's version ID, Azure's version, GCS's generation; null
 * where the store keeps no versions) and the date its lock ends (null when it has none).
 */
public record StoredVersion(String key, String versionId, Instant lockedUntil) {
    /** Whether the store would refuse to delete it at {@code now}. */
    public boolean lockedAt(Instant now) {
        return lockedUntil != null && now.isBefore(lockedUntil);
    }
}
