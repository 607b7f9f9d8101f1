package io.lifeboat.objectstore;

import java.io.InputStream;
import java.util.List;

/**
 * One bucket (or Azure container) of a location, reached with its provider's own SDK. Keys are full object keys,
 * prefix included. Every failure is a {@link StoreException} carrying the provider's reason.
 */
public interface ObjectStore extends AutoCloseable {
    /** Fails with reason NoSuchBucket, AccessDenied... when the bucket cannot be used. */
    void checkBucket();

    void put(String key, byte[] content);

    byte[] get(String key);

    /** Keys under the prefix, in lexical order. */
    List<String> list(String prefix);

    void delete(String key);

    /** Starts a streamed upload; see {@link Upload}. */
    Upload upload(String key);

    /** Streams an object's content. The caller closes the stream. */
    InputStream download(String key);

    /** The size of an object in bytes; NoSuchKey when it is absent. */
    long size(String key);

    /**
     * Fails with reason {@value #IMMUTABILITY_NOT_ENABLED} when objects written here cannot be locked: the bucket has
     * no Object Lock (S3), the container no version-level immutability (Azure), the bucket no object retention (GCS).
     */
    default void checkRetention() {
        throw new StoreException(IMMUTABILITY_NOT_ENABLED, "this store cannot lock objects");
    }

    /** Writes an object whole, locked as {@code retention} says (null: not locked). */
    default void put(String key, byte[] content, Retention retention) {
        if (retention != null) {
            throw new StoreException(IMMUTABILITY_NOT_ENABLED, "this store cannot lock objects");
        }
        put(key, content);
    }

    /** A streamed upload whose object is locked as {@code retention} says (null: not locked). */
    default Upload upload(String key, Retention retention) {
        if (retention != null) {
            throw new StoreException(IMMUTABILITY_NOT_ENABLED, "this store cannot lock objects");
        }
        return upload(key);
    }

    /**
     * Every stored version of the objects under the prefix (where the store keeps versions: the older ones and delete
     * markers too), each with the date its lock ends (null when it has none). What deleting a locked backup looks at:
     * deleting the current object of a versioned bucket would only hide it.
     */
    default List<StoredVersion> versions(String prefix) {
        return list(prefix).stream().map(key -> new StoredVersion(key, null, null)).toList();
    }

    /** Deletes one stored version for good (the object itself when it has no version ID); a locked one is refused. */
    default void deleteVersion(StoredVersion version) {
        if (version.versionId() != null) {
            throw new StoreException("NotImplemented", "this store keeps no versions");
        }
        delete(version.key());
    }

    /** The reason of a store failure that says objects cannot be locked there. */
    String IMMUTABILITY_NOT_ENABLED = "ImmutabilityNotEnabled";

    @Override
    default void close() {
    }
}
